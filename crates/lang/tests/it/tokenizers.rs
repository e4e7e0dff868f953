//! The two tantivy tokenizers: how they split, fold and stem, and that their offsets slice the original text.

use dossier_lang::{Lang, MAX_TOKEN_BYTES, StemTokenizer, WordTokenizer, fold, stem};
use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};

pub fn tokens<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<Token> {
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.clone());
    }
    out
}

fn texts<T: Tokenizer>(tokenizer: T, text: &str) -> Vec<String> {
    tokens(tokenizer, text).into_iter().map(|token| token.text).collect()
}

#[test]
fn apostrophe_words_stay_whole_in_both_tokenizers() {
    let text = "м'ясо, м’ясо та мʼясо; O'Brien і п'ять";
    assert_eq!(texts(WordTokenizer, text), ["м'ясо", "м'ясо", "та", "м'ясо", "o'brien", "і", "п'ять"]);
    let stems = texts(StemTokenizer, text);
    assert_eq!(stems.len(), 7, "{stems:?}");
    assert_eq!(stems[0], stems[1]);
    assert_eq!(stems[1], stems[3]);
    assert!(stems[0].starts_with("м'яс"), "{stems:?}");
    assert_eq!(stems[4], stem(Some(Lang::English), "o'brien"));
}

#[test]
fn apostrophes_at_word_edges_do_not_join() {
    assert_eq!(texts(WordTokenizer, "'цитата' rock'n'roll Jones' 5'"), ["цитата", "rock'n'roll", "jones", "5"]);
}

#[test]
fn hyphens_and_punctuation_split() {
    assert_eq!(
        texts(WordTokenizer, "Нью-Йорк, т.е. 2020-01-05/ab_c"),
        ["нью", "йорк", "т", "е", "2020", "01", "05", "ab", "c"]
    );
}

#[test]
fn yo_and_stress_are_folded_in_the_token() {
    assert_eq!(texts(WordTokenizer, "Ёлка ёлка елка за\u{301}мок"), ["елка", "елка", "елка", "замок"]);
    let stems = texts(StemTokenizer, "Ёлка и ёлки");
    assert_eq!(stems[0], stem(Some(Lang::Russian), "елка"));
    assert_eq!(stems[2], stem(Some(Lang::Russian), "елки"));
}

#[test]
fn offsets_slice_multibyte_text_and_positions_count_words() {
    let text = "  Київ — столиця України; Москва́ — «столица».\n\nÄrger 東京 ok";
    let found = tokens(WordTokenizer, text);
    let slices: Vec<&str> = found.iter().map(|token| &text[token.offset_from..token.offset_to]).collect();
    assert_eq!(slices, ["Київ", "столиця", "України", "Москва́", "столица", "Ärger", "東京", "ok"]);
    let positions: Vec<usize> = found.iter().map(|token| token.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4, 5, 6, 7]);
    for token in &found {
        assert_eq!(token.text, fold(&text[token.offset_from..token.offset_to]));
    }
    let stemmed = tokens(StemTokenizer, text);
    let same_offsets = |token: &Token| (token.offset_from, token.offset_to, token.position);
    assert_eq!(
        stemmed.iter().map(same_offsets).collect::<Vec<_>>(),
        found.iter().map(same_offsets).collect::<Vec<_>>()
    );
}

#[test]
fn overlong_words_are_dropped_but_keep_their_position() {
    let long = "я".repeat(MAX_TOKEN_BYTES);
    let text = format!("до {long} после");
    for found in [tokens(WordTokenizer, &text), tokens(StemTokenizer, &text)] {
        let positions: Vec<usize> = found.iter().map(|token| token.position).collect();
        assert_eq!(positions, [0, 2]);
    }
    let fits = "z".repeat(MAX_TOKEN_BYTES);
    assert_eq!(texts(WordTokenizer, &fits), vec![fits]);
}

#[test]
fn each_paragraph_is_stemmed_in_its_own_language() {
    // The second paragraph has no decisive letter (no ы э ъ ё), but the document mixes the languages (the last
    // paragraph is Russian by its letters), so the n-gram detector decides it.
    let text = "Міністерство фінансів України повідомило про перевірку.\n\n\
                Министерство финансов России сообщило о проверке.\n\n\
                Міністерства\n\nВы это видели?";
    let found = texts(StemTokenizer, text);
    assert_eq!(found[0], stem(Some(Lang::Ukrainian), "міністерство"));
    assert_eq!(found[1], stem(Some(Lang::Ukrainian), "фінансів"));
    assert_eq!(found[6], stem(Some(Lang::Russian), "министерство"));
    assert_eq!(found[7], stem(Some(Lang::Russian), "финансов"));
    assert_eq!(found[12], stem(Some(Lang::Ukrainian), "міністерства"));
    assert_eq!(found[14], stem(Some(Lang::Russian), "это"));
}

#[test]
fn undecided_paragraphs_take_the_document_language() {
    // "Что происходит" has none of і ї є ґ ы э ъ ё: the document (clearly Russian) decides.
    let text = "Что происходит\n\nЭто было вчера, мы все видели результаты выборов.";
    let found = texts(StemTokenizer, text);
    assert_eq!(found[1], stem(Some(Lang::Russian), "происходит"));
    let text = "Що робити\n\nЦе було вчора, ми всі бачили результати виборів у Києві.";
    let found = texts(StemTokenizer, text);
    assert_eq!(found[1], stem(Some(Lang::Ukrainian), "робити"));
}

#[test]
fn latin_words_in_a_cyrillic_paragraph_get_english_stems() {
    let found = texts(StemTokenizer, "Компанія Holdings Limited підписала contracts у Києві");
    assert_eq!(found[1], "hold");
    assert_eq!(found[2], stem(Some(Lang::English), "limited"));
    assert_eq!(found[4], "contract");
    assert_eq!(found[0], stem(Some(Lang::Ukrainian), "компанія"));
}

#[test]
fn belarusian_paragraphs_index_words_unstemmed() {
    let found = texts(StemTokenizer, "Міністэрства ўнутраных спраў Беларусі");
    assert_eq!(found, ["міністэрства", "ўнутраных", "спраў", "беларусі"]);
}

#[test]
fn empty_and_separator_only_texts_have_no_tokens() {
    for text in ["", " ", "\n\n\n", "— … «» ''", "\u{301}"] {
        assert!(tokens(WordTokenizer, text).is_empty(), "{text:?}");
        assert!(tokens(StemTokenizer, text).is_empty(), "{text:?}");
    }
}

#[test]
fn a_long_document_judges_paragraphs_its_sample_did_not_see() {
    // Detection samples windows of a long text; a Russian paragraph between them must still be stemmed as Russian.
    let ukrainian = "Міністерство фінансів повідомило, що бюджет буде виконано вчасно.\n\n".repeat(8_000);
    let split = ukrainian.len() / 5;
    let split = (split..).find(|&index| ukrainian[..index].ends_with("\n\n")).unwrap_or(0);
    let text =
        format!("{}Министерство сообщило, что бюджеты выполнены.\n\n{}", &ukrainian[..split], &ukrainian[split..]);
    assert!(text.len() > 256 * 1024);
    let found = tokens(StemTokenizer, &text);
    let russian = found.iter().find(|token| &text[token.offset_from..token.offset_to] == "Министерство");
    assert_eq!(russian.map(|token| token.text.as_str()), Some(stem(Some(Lang::Russian), "министерство").as_str()));
    assert_eq!(found[0].text, stem(Some(Lang::Ukrainian), "міністерство"));
}

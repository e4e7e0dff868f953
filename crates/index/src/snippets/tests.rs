//! Snippet selection and rendering.

use super::*;

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(dossier_lang::WordTokenizer)
}

fn exact(words: &[&str]) -> Highlights {
    Highlights { exact: words.iter().map(|word| word.to_string()).collect(), ..Highlights::default() }
}

#[test]
fn marks_the_words_and_collapses_whitespace() {
    let text = "Письмо\n\n  Министерства обороны о наборе";
    let found = snippets(text, &exact(&["министерства"]), &mut analyzer(), 3);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "Письмо Министерства обороны о наборе");
    assert_eq!(found[0].marked("[", "]"), "Письмо [Министерства] обороны о наборе");
}

#[test]
fn finds_a_match_deep_in_a_long_text() {
    let mut text = "обычный текст без совпадений. ".repeat(50_000);
    text.push_str("Здесь упомянут Кривенко, глава комиссии.");
    text.push_str(&" и снова обычный текст.".repeat(100));
    let found = snippets(&text, &exact(&["кривенко"]), &mut analyzer(), 2);
    assert_eq!(found.len(), 1);
    assert!(found[0].text.starts_with('…'));
    assert!(found[0].marked("[", "]").contains("упомянут [Кривенко], глава"), "{:?}", found[0]);
}

#[test]
fn prefers_passages_with_more_distinct_words_and_keeps_document_order() {
    let filler = " слово".repeat(60);
    let text = format!("бюджет{filler} бюджет смета{filler} смета");
    let found = snippets(&text, &exact(&["бюджет", "смета"]), &mut analyzer(), 1);
    assert_eq!(found.len(), 1);
    assert!(found[0].marked("[", "]").contains("[бюджет] [смета]"), "{:?}", found[0]);
    let three = snippets(&text, &exact(&["бюджет", "смета"]), &mut analyzer(), 3);
    let starts: Vec<usize> = three
        .iter()
        .map(|s| text.find(s.text.trim_start_matches('…').split(' ').next().unwrap_or("")).unwrap_or(0))
        .collect();
    assert!(starts.windows(2).all(|pair| pair[0] <= pair[1]), "{three:?}");
}

#[test]
fn html_is_escaped_and_highlights_are_character_ranges() {
    let text = "<script>alert(1)</script> Ёлка & «Кривенко»";
    let found = snippets(text, &exact(&["елка"]), &mut analyzer(), 1);
    assert_eq!(found[0].to_html(), "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Ёлка</mark> &amp; «Кривенко»");
    let [start, end] = found[0].highlights[0];
    let marked: String = found[0].text.chars().skip(start).take(end - start).collect();
    assert_eq!(marked, "Ёлка");
}

#[test]
fn prefixes_fuzzy_words_and_stems() {
    let text = "министерству направлено письмо Кривенка и Krivenko";
    let prefix = Highlights { prefixes: ["минист".to_string()].into(), ..Highlights::default() };
    assert_eq!(snippets(text, &prefix, &mut analyzer(), 1)[0].highlights.len(), 1);
    let fuzzy = Highlights { fuzzy: [("кривенко".to_string(), 1)].into(), ..Highlights::default() };
    assert_eq!(
        snippets(text, &fuzzy, &mut analyzer(), 1)[0].marked("[", "]"),
        "министерству направлено письмо [Кривенка] и Krivenko"
    );
    let stems = Highlights {
        stems: dossier_lang::query_stems("министерство").into_iter().collect(),
        ..Highlights::default()
    };
    assert_eq!(
        snippets(text, &stems, &mut analyzer(), 1)[0].marked("[", "]"),
        "[министерству] направлено письмо Кривенка и Krivenko"
    );
}

#[test]
fn no_match_gives_the_start_and_empty_text_gives_nothing() {
    assert_eq!(snippets("Начало документа.", &exact(&["нет"]), &mut analyzer(), 3)[0].text, "Начало документа.");
    assert!(snippets("  \n", &exact(&["нет"]), &mut analyzer(), 3).is_empty());
}

#[test]
fn edit_distance_counts_transpositions_as_one() {
    assert!(within_edits("кривенко", "кривенко", 0));
    assert!(within_edits("кривенко", "кирвенко", 1));
    assert!(within_edits("кривенко", "кривенк", 1));
    assert!(!within_edits("кривенко", "кривецкий", 2));
}

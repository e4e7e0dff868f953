//! Fingerprints: the same text in the forms format conversion, OCR and retyping give it has one exact hash or a
//! high similarity; different texts do not.

use dossier_versions::{Fingerprint, text_similarity};

/// A Russian text of `n_words` words, deterministic in `seed`.
pub fn russian_text(n_words: usize, seed: u64) -> String {
    const SYLLABLES: [&str; 24] = [
        "ка", "ро", "ми", "сто", "ве", "ла", "на", "до", "го", "за", "пре", "ли", "то", "ры", "ше", "вы", "бо", "ну",
        "жи", "да", "ско", "ре", "ци", "ях",
    ];
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut words = Vec::with_capacity(n_words);
    for index in 0..n_words {
        let n_syllables = 1 + next() % 4;
        let mut word: String = (0..n_syllables).map(|_| SYLLABLES[(next() % 24) as usize]).collect();
        if index % 11 == 0 {
            let mut chars = word.chars();
            word = chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or(word);
        }
        words.push(word);
        if index % 9 == 8 {
            words.push(".".to_string());
        }
    }
    words.join(" ").replace(" .", ".")
}

fn similarity(a: &str, b: &str) -> f32 {
    Fingerprint::of(a).similarity(&Fingerprint::of(b))
}

#[test]
fn the_same_text_typed_differently_has_one_exact_hash() {
    let text = russian_text(200, 1);
    let variants = [
        text.to_uppercase(),
        text.replace(' ', "  "),
        text.replace(' ', "\u{00A0}"),
        text.replace(". ", ".\n\n"),
        text.replace('о', "o"),
        text.replace('е', "ё"),
        text.replace("ка", "к\u{200B}а"),
        text.replace("ро", "р\u{00AD}о"),
        format!("«{text}» — ..."),
    ];
    for variant in &variants {
        assert_eq!(Fingerprint::of(variant).exact_hash(), Fingerprint::of(&text).exact_hash(), "{variant:.80}");
    }
}

#[test]
fn a_word_hyphenated_at_a_line_end_does_not_change_the_text() {
    let text = russian_text(200, 2);
    let mut hyphenated = String::new();
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            hyphenated.push(if index % 10 == 0 { '\n' } else { ' ' });
        }
        let chars: Vec<char> = word.chars().collect();
        if index % 10 == 9 && chars.len() > 3 && chars.iter().all(|ch| ch.is_alphabetic()) {
            let (head, tail) = chars.split_at(2);
            hyphenated.extend(head);
            hyphenated.push_str("-\n");
            hyphenated.extend(tail);
        } else {
            hyphenated.push_str(word);
        }
    }
    assert_ne!(hyphenated, text);
    assert_eq!(Fingerprint::of(&hyphenated).exact_hash(), Fingerprint::of(&text).exact_hash());
}

#[test]
fn a_few_changed_words_keep_a_high_similarity() {
    let text = russian_text(400, 3);
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    for index in [10, 100, 200, 300, 390] {
        words[index] = "изменено".to_string();
    }
    let edited = words.join(" ");
    assert!(similarity(&text, &edited) > 0.8, "{}", similarity(&text, &edited));
    assert!(text_similarity(&text, &edited) > 0.9);
}

#[test]
fn ocr_like_letter_errors_keep_the_text_similar() {
    // One letter in twenty misread, as a poor scan gives: roughly one word in four changes.
    let text = russian_text(500, 4);
    let garbled: String = text
        .chars()
        .enumerate()
        .map(|(index, ch)| match (index % 20 == 7, ch) {
            (true, 'а') => 'о',
            (true, 'и') => 'н',
            (true, 'ш') => 'щ',
            (true, 'е') => 'с',
            _ => ch,
        })
        .collect();
    let exact = text_similarity(&text, &garbled);
    assert!(exact > 0.3, "{exact}");
    assert!(similarity(&text, &garbled) > 0.2);
}

#[test]
fn different_texts_are_not_similar() {
    for seed in 10..20 {
        let (a, b) = (russian_text(300, seed), russian_text(300, seed + 100));
        assert!(similarity(&a, &b) < 0.1, "{seed}: {}", similarity(&a, &b));
        assert!(text_similarity(&a, &b) < 0.02);
    }
}

#[test]
fn a_fingerprint_is_the_same_in_every_build() {
    // A stored fingerprint must stay comparable: this pins the algorithm of version 1. If it changes on purpose,
    // bump Fingerprint::VERSION and update the value.
    // The whole fingerprint is pinned (version, flags, word count, exact hash and all 64 MinHash minima), so that a
    // change to the normal form, the word or shingle hash, or the slots' permutations is caught, not only the first.
    let fingerprint = Fingerprint::of(&russian_text(100, 42));
    assert_eq!(Fingerprint::VERSION, 1);
    assert_eq!(fingerprint.to_hex(), PINNED);
}

const PINNED: &str = concat!(
    "0101640000004ad483e9b7e1b51343534928564677325e01c6f8a74fa6679e436588a2b296b33993247ea0cd10f8b8826f10",
    "505848433429f7005ca58362d01e5c7985feaebce7e245bb592757c361bfd974061241980eaed860318094371e421b356e2b",
    "db6d6de74f5df666336ec4451d76c42d211bffbb9dd7b4c0bd2e96c2e8608d791c88387f97d59a7ef38b814cdbbc988a4a38",
);

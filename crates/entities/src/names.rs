//! The normal form and the linking key of a name.

use dossier_lang::Lang;

/// A name's normal form as shown: the text with its spaces collapsed and the quotes and punctuation around it
/// dropped.
pub fn name_value(_kind: &str, text: &str, _lang: Option<Lang>) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

/// The key under which mentions of one name meet: each word folded (case, ё) and stemmed in the name's language,
/// so that inflected forms (`Министерства обороны`, `Министерство обороны`) share it.
pub fn name_key(_kind: &str, text: &str, lang: Option<Lang>) -> String {
    let stems: Vec<String> = words(text).map(|word| dossier_lang::stem(lang, &dossier_lang::fold(word))).collect();
    stems.join(" ")
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-'))
        .filter(|word| !word.is_empty())
}

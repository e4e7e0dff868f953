//! The normal form and the linking key of a name: people by [`crate::person`], organisations and places by
//! [`crate::bodies`].

use dossier_lang::Lang;

use crate::{LOCATION, ORGANIZATION, PERSON, bodies, person};

/// A name's normal form as shown: a person's canonical `Фамилия Имя Отчество` (or initials), in the nominative
/// (`Соколов-Ветров Игорь Петрович`, `Соколов-Ветров И. П.`); a body or place with its head noun in the nominative
/// and its legal form kept (`Министерство обороны`, `ООО «Ромашка»`); anything else with its spaces collapsed and
/// the punctuation around it dropped.
pub fn name_value(kind: &str, text: &str, lang: Option<Lang>) -> String {
    name_forms(kind, text, lang).0
}

/// The key under which mentions of one name meet. People: the Latin skeleton of the masculine surname and the first
/// sound of the first name (`sokolov-vetrov i`), the same for Russian, Ukrainian and Latin spellings and for every
/// case, with `/f` when the mention shows a woman. Bodies and places: each word folded and stemmed in the name's
/// language, then the kind of legal form (`ромашк #llc`).
pub fn name_key(kind: &str, text: &str, lang: Option<Lang>) -> String {
    name_forms(kind, text, lang).1
}

/// [`name_value`] and [`name_key`] at once (the name is read once).
pub fn name_forms(kind: &str, text: &str, lang: Option<Lang>) -> (String, String) {
    match kind {
        PERSON => {
            let ukrainian = lang == Some(Lang::Ukrainian);
            if let Some(person) = person::parse(text, ukrainian) {
                return (person.value(), person.key());
            }
        }
        ORGANIZATION | LOCATION => {
            let body = bodies::parse(text, lang);
            if !body.words.is_empty() || body.form.is_some() {
                return (body.value(), body.key(lang));
            }
        }
        _ => {}
    }
    let value = words(text).collect::<Vec<_>>().join(" ");
    // A word the stemmer leaves nothing of (another script) stands for itself.
    let key: Vec<String> = words(text)
        .map(|word| {
            let folded = dossier_lang::fold(word);
            let stem = dossier_lang::stem(lang, &folded);
            if stem.is_empty() { folded } else { stem }
        })
        .collect();
    (value, key.join(" "))
}

#[cfg(test)]
mod tests;

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-'))
        .filter(|word| !word.is_empty())
}

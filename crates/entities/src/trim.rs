//! Spans of names as the models give them, cut to the name: a model reads across line breaks and takes a greeting
//! for part of the name (`Уважаемый Игорь Павлович`, `И. П. Соколов-Ветров⏎Исп.`).

/// Words of address that precede a name but are not part of it (compared case-insensitively).
const ADDRESS_WORDS: &[&str] = &[
    "уважаемый",
    "уважаемая",
    "уважаемые",
    "глубокоуважаемый",
    "глубокоуважаемая",
    "дорогой",
    "дорогая",
    "господин",
    "госпожа",
    "гражданин",
    "гражданка",
    "товарищ",
    "шановний",
    "шановна",
    "шановні",
    "вельмишановний",
    "вельмишановна",
    "пан",
    "пані",
    "громадянин",
    "громадянка",
    "dear",
    "mr",
    "mrs",
    "ms",
    "mr.",
    "mrs.",
    "ms.",
];

/// The part of `text` (a name the model found) that is the name: its byte range within `text`. Empty when nothing
/// is left.
pub(crate) fn name_span(text: &str, after: &str) -> std::ops::Range<usize> {
    let mut start = 0;
    // Leading words of address.
    loop {
        let rest = &text[start..];
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        if word_end == rest.len() || !ADDRESS_WORDS.contains(&word.to_lowercase().as_str()) {
            break;
        }
        start += word_end + rest[word_end..].len() - rest[word_end..].trim_start().len();
    }
    let mut end = text.len();
    // A single word on the next line that the text goes on from (`Исп.`, `Об авансировании`) belongs to that line.
    if let Some(newline) = text[start..end].rfind('\n').map(|at| start + at) {
        let tail = text[newline + 1..end].trim();
        let goes_on = after.starts_with('.') || after.trim_start_matches(' ').starts_with(char::is_lowercase);
        if !tail.contains(char::is_whitespace) && goes_on {
            end = text[..newline].trim_end().len();
        }
    }
    if end <= start { start..start } else { start..end }
}

#[cfg(test)]
mod tests {
    use super::name_span;

    fn cut<'a>(text: &'a str, after: &str) -> &'a str {
        &text[name_span(text, after)]
    }

    #[test]
    fn greetings_and_the_next_lines_first_word_are_not_the_name() {
        assert_eq!(cut("Уважаемый Игорь Павлович", "!"), "Игорь Павлович");
        assert_eq!(cut("Шановна пані Ірина", ","), "Ірина");
        assert_eq!(cut("И. П. Соколов-Ветров\nИсп", ".: Перепёлкина"), "И. П. Соколов-Ветров");
        assert_eq!(cut("Т. Е. Ракитиной\nОб", " авансировании"), "Т. Е. Ракитиной");
        // A name that goes on over a line break stays whole; so does one whose next line starts a new sentence.
        assert_eq!(cut("Соколов-Ветров\nИгорь Павлович", ","), "Соколов-Ветров\nИгорь Павлович");
        assert_eq!(cut("Соколов\nИгорь", " Павлович"), "Соколов\nИгорь");
        assert_eq!(cut("Уважаемый", "!"), "Уважаемый");
    }
}

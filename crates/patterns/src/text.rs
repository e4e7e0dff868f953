//! Small helpers for reading a `&str` around a byte position: the character before or after, words, spaces, digit
//! runs. Every position handed around inside the crate is a byte offset on a character boundary.

/// The character starting at byte `at`, if any.
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The character ending at byte `at`, if any.
pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// A space inside a line, including the no-break and thin spaces typesetters put between thousands.
pub(crate) fn is_inline_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\u{2002}'..='\u{2006}' | '\u{2008}')
}

/// A letter or a digit (any script).
pub(crate) fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// An apostrophe inside a Ukrainian word (п'ять, м’ята) or an English one.
fn is_word_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// The end of the word starting at `at` (letters, and apostrophes between letters); `at` if there is none.
pub(crate) fn word_end(text: &str, at: usize) -> usize {
    let mut end = at;
    let mut chars = text[at..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c.is_alphabetic() {
            end = at + offset + c.len_utf8();
        } else if is_word_apostrophe(c)
            && end == at + offset
            && chars.peek().is_some_and(|(_, next)| next.is_alphabetic())
        {
            continue;
        } else {
            break;
        }
    }
    end
}

/// The start of the word ending at `end` (the mirror of [`word_end`]).
pub(crate) fn word_start(text: &str, end: usize) -> usize {
    let mut start = end;
    for (offset, c) in text[..end].char_indices().rev() {
        if c.is_alphabetic() || (is_word_apostrophe(c) && offset + c.len_utf8() == start && start != end) {
            start = offset;
        } else {
            break;
        }
    }
    // A leading apostrophe is not part of the word.
    while let Some(c) = char_at(text, start).filter(|c| is_word_apostrophe(*c)) {
        start += c.len_utf8();
    }
    start
}

/// The end of the run of ASCII digits starting at `at`.
pub(crate) fn digits_end(text: &str, at: usize) -> usize {
    at + text.as_bytes()[at..].iter().take_while(|byte| byte.is_ascii_digit()).count()
}

/// The position after inline spaces from `at`.
pub(crate) fn skip_inline_spaces(text: &str, at: usize) -> usize {
    let mut end = at;
    for c in text[at..].chars() {
        if !is_inline_space(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// The position before inline spaces ending at `at`.
pub(crate) fn skip_inline_spaces_back(text: &str, at: usize) -> usize {
    let mut start = at;
    for c in text[..at].chars().rev() {
        if !is_inline_space(c) {
            break;
        }
        start -= c.len_utf8();
    }
    start
}

/// Lower case of a short word, for comparing with the vocabularies.
pub(crate) fn lower(word: &str) -> String {
    word.chars().flat_map(char::to_lowercase).collect()
}

/// Whether the word at `start..end` is followed by nothing that continues it (not a letter or digit).
pub(crate) fn ends_word(text: &str, end: usize) -> bool {
    char_at(text, end).is_none_or(|c| !is_alnum(c))
}

/// Whether nothing that continues a token (letter or digit) stands right before `start`.
pub(crate) fn starts_word(text: &str, start: usize) -> bool {
    char_before(text, start).is_none_or(|c| !is_alnum(c))
}

/// The largest character boundary at or below `index`.
pub(crate) fn floor_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The smallest character boundary at or above `index`.
pub(crate) fn ceil_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_stop_at_digits() {
        let text = "п'ять А123ВС";
        assert_eq!(&text[..word_end(text, 0)], "п'ять");
        let plate = text.find('А').expect("letter");
        assert_eq!(&text[plate..word_end(text, plate)], "А");
        assert_eq!(word_start(text, text.find(' ').expect("space")), 0);
    }
}

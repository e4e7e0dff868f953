//! Finding the characters in one text that are not what they look like: letters of another script inside a word
//! (a Latin `о` in a Cyrillic word, a Cyrillic `а` in an English one), invisible characters (zero-width, soft hyphen,
//! bidi controls, variation selectors) and spaces other than the ordinary one. Such characters mark a copy
//! (canary traps), hide a word from search, or show that a text was OCR'd or retyped; `protect` and `verify` use this
//! scanner as well as `diff`.

use serde::Serialize;

use crate::chars::{InvisibleKind, Script, invisible_kind, is_confusable, is_unusual_space, lookalike_in, script_of};
use crate::diff::{CharInfo, Span};

/// What is suspicious about a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A letter of another script inside a word, which looks like a letter of the word's own script.
    Homoglyph,
    /// A letter of another script inside a word, with no lookalike in the word's script (still unusual).
    MixedScript,
    /// A character displayed as nothing, other than a bidi control.
    Invisible,
    /// A bidi control: it changes the order in which the text around it is displayed.
    Bidi,
    /// Whitespace other than space, tab and line breaks: no-break, thin, em, ideographic space and the like.
    UnusualSpace,
}

/// One suspicious character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// Where it is, in chars.
    pub span: Span,
    /// Where it starts, in bytes (for slicing the text in Rust).
    pub byte_offset: usize,
    /// The character.
    pub char: CharInfo,
    /// For a letter of another script: the word it stands in (chars) and that word's script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word_script: Option<Script>,
    /// For a homoglyph: the letter of the word's script it imitates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub looks_like: Option<CharInfo>,
}

/// Every suspicious character of `text`, in order. Linear time; one finding per character found.
pub fn suspicious_characters(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The current word: (byte offset, char offset, char) of each of its characters.
    let mut word: Vec<(usize, usize, char)> = Vec::new();
    for (char_offset, (byte_offset, ch)) in text.char_indices().enumerate() {
        let invisible = invisible_kind(ch);
        if let Some(kind) = invisible {
            let kind = if kind == InvisibleKind::Bidi { FindingKind::Bidi } else { FindingKind::Invisible };
            findings.push(plain(kind, byte_offset, char_offset, ch));
        } else if is_unusual_space(ch) {
            findings.push(plain(FindingKind::UnusualSpace, byte_offset, char_offset, ch));
        }
        let in_word = ch.is_alphanumeric()
            || (!word.is_empty() && (invisible.is_some() || unicode_normalization::char::is_combining_mark(ch)));
        if in_word {
            word.push((byte_offset, char_offset, ch));
        } else {
            mixed_letters(&word, &mut findings);
            word.clear();
        }
    }
    mixed_letters(&word, &mut findings);
    findings.sort_by_key(|finding| finding.byte_offset);
    findings
}

fn plain(kind: FindingKind, byte_offset: usize, char_offset: usize, ch: char) -> Finding {
    Finding {
        kind,
        span: Span { start: char_offset, end: char_offset + 1 },
        byte_offset,
        char: CharInfo::of(ch),
        word: None,
        word_script: None,
        looks_like: None,
    }
}

/// The letters of a word that belong to a script other than the word's.
fn mixed_letters(word: &[(usize, usize, char)], findings: &mut Vec<Finding>) {
    let Some(script) = word_script(word) else { return };
    let (Some(first), Some(last)) = (word.first(), word.last()) else { return };
    let span = Span { start: first.1, end: last.1 + 1 };
    for &(byte_offset, char_offset, ch) in word {
        let letter_script = script_of(ch);
        if !matches!(letter_script, Script::Latin | Script::Cyrillic | Script::Greek) || letter_script == script {
            continue;
        }
        let looks_like = lookalike_in(ch, script);
        findings.push(Finding {
            kind: if looks_like.is_some() { FindingKind::Homoglyph } else { FindingKind::MixedScript },
            span: Span { start: char_offset, end: char_offset + 1 },
            byte_offset,
            char: CharInfo::of(ch),
            word: Some(span),
            word_script: Some(script),
            looks_like: looks_like.map(CharInfo::of),
        });
    }
}

/// The script of a word that mixes scripts: the one most of its letters without a lookalike belong to, or when all
/// its letters have lookalikes, the one most of its letters belong to (Cyrillic on a tie, the corpus being mostly
/// Cyrillic). `None` for a word of one script (or none).
fn word_script(word: &[(usize, usize, char)]) -> Option<Script> {
    let mut counts = [[0u32; 3]; 2];
    for &(_, _, ch) in word {
        let slot = match script_of(ch) {
            Script::Latin => 0,
            Script::Cyrillic => 1,
            Script::Greek => 2,
            Script::Other | Script::Common => continue,
        };
        counts[usize::from(is_confusable(ch))][slot] += 1;
    }
    let totals: Vec<u32> = (0..3).map(|slot| counts[0][slot] + counts[1][slot]).collect();
    if totals.iter().filter(|&&total| total > 0).count() < 2 {
        return None;
    }
    let pick = |row: [u32; 3]| -> Option<Script> {
        let best = *row.iter().max()?;
        if best == 0 {
            return None;
        }
        [Script::Cyrillic, Script::Latin, Script::Greek]
            .into_iter()
            .zip([row[1], row[0], row[2]])
            .find(|&(_, count)| count == best)
            .map(|(script, _)| script)
    };
    pick(counts[0]).or_else(|| pick([totals[0], totals[1], totals[2]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(FindingKind, usize, String)> {
        suspicious_characters(text)
            .into_iter()
            .map(|finding| (finding.kind, finding.span.start, finding.char.code))
            .collect()
    }

    #[test]
    fn a_latin_o_in_a_cyrillic_word_is_a_homoglyph() {
        let findings = suspicious_characters("Это сл\u{006F}во.");
        assert_eq!(findings.len(), 1);
        let finding = &findings[0];
        assert_eq!(finding.kind, FindingKind::Homoglyph);
        assert_eq!(finding.span, Span { start: 6, end: 7 });
        assert_eq!(finding.word, Some(Span { start: 4, end: 9 }));
        assert_eq!(finding.word_script, Some(Script::Cyrillic));
        assert_eq!(finding.looks_like.as_ref().map(|info| info.code.as_str()), Some("U+043E"));
    }

    #[test]
    fn a_cyrillic_letter_in_an_english_word_is_a_homoglyph_too() {
        assert_eq!(kinds("the \u{0441}at"), [(FindingKind::Homoglyph, 4, "U+0441".to_string())]);
        // A word of one script is fine however many lookalikes it has.
        assert_eq!(kinds("сорок copy ТОР TOP"), []);
    }

    #[test]
    fn invisible_characters_bidi_controls_and_odd_spaces_are_found() {
        assert_eq!(
            kinds("a\u{200B}b c\u{202E}d e\u{00A0}f g\u{FE0F}"),
            [
                (FindingKind::Invisible, 1, "U+200B".to_string()),
                (FindingKind::Bidi, 5, "U+202E".to_string()),
                (FindingKind::UnusualSpace, 9, "U+00A0".to_string()),
                (FindingKind::Invisible, 13, "U+FE0F".to_string()),
            ]
        );
        assert_eq!(kinds("Обычный текст, ordinary text.\n\tTab"), []);
    }
}

//! The one notation in which dossier shows what cannot be shown as it is: names from the evidence.
//!
//! File names, member paths, titles, reasons and metadata come from the leak. A name need not be UTF-8
//! ([`escape_bytes`]: `\xFF`), and a hostile one can carry terminal control sequences (`\x1B]0;TITLE\x07` retitles
//! the window, `\x1B[2K\r` erases the line), a line break that forges a row of a listing, a tab that forges a
//! column, or a bidi override that makes `gpj.exe` read as `exe.jpg` ([`escape_controls`]: `\x1B`, `\n`,
//! `\u{202E}`). Both write a byte as `\xNN` in upper-case hex, so a name reads the same wherever it is shown.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Renders bytes as text that tells every byte sequence apart: UTF-8 as it is, a backslash as `\\`, every byte
/// that is not part of valid UTF-8 as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for &byte in chunk.invalid() {
            push_byte(&mut out, byte);
        }
    }
    out
}

/// Whether `c` acts on the text around it instead of showing as a character: C0 controls (line breaks and tabs
/// included), DEL, C1 controls, the line and paragraph separators, and the bidi controls (embeddings, overrides,
/// isolates, marks).
pub fn is_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// `text` with every [`is_control`] character shown as an escape (`\n`, `\r`, `\t`, `\x1B`, `\u{202E}`), except
/// those `keep` accepts, given the character and the one after it. Backslashes are left as they are: the text may
/// already be a name in [`escape_bytes`]'s notation. Text with nothing to escape (nearly all) is returned as it is.
pub fn escape_controls(text: &str, keep: impl Fn(char, Option<char>) -> bool) -> Cow<'_, str> {
    let mut escaped: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_control(c) || keep(c, chars.peek().map(|&(_, next)| next)) {
            if let Some(out) = escaped.as_mut() {
                out.push(c);
            }
            continue;
        }
        let out = escaped.get_or_insert_with(|| text[..at].to_string());
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{7f}' => push_byte(out, c as u8),
            _ => {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
        }
    }
    escaped.map_or(Cow::Borrowed(text), Cow::Owned)
}

fn push_byte(out: &mut String, byte: u8) {
    let _ = write!(out, "\\x{byte:02X}");
}

#[cfg(test)]
mod tests {
    use super::{escape_bytes, escape_controls};

    #[test]
    fn a_control_character_and_an_undecodable_byte_are_written_alike() {
        assert_eq!(escape_bytes(b"a\xff\\b"), "a\\xFF\\\\b");
        assert_eq!(escape_controls("a\x1b\x7fb\u{9b}", |_, _| false), "a\\x1B\\x7Fb\\u{009B}");
        assert_eq!(escape_controls("x\u{202e}\n\r\t", |_, _| false), "x\\u{202E}\\n\\r\\t");
        assert_eq!(escape_controls("line\r\n", |c, next| c == '\r' && next == Some('\n')), "line\r\\n");
    }
}

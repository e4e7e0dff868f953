//! Text from the evidence, made safe to print for a person.
//!
//! File names, member paths, titles, reasons and metadata come from the leak, and a hostile one can carry terminal
//! control sequences (`\x1b]0;TITLE\x07` retitles the window, `\x1b[2K\r` erases the line), a line break that forges
//! a row of `list`, a tab that forges a column, or a bidi override that makes `gpj.exe` read as `exe.jpg`. Every
//! human-readable output of the CLI passes such text through [`visible`], which shows these characters as escapes
//! (`\x1b`, `\n`, `\u{202e}`) instead of letting them act. JSON output is exact: serde escapes what JSON must.
//!
//! A document's text (`dossier extract FILE`) is content, not a name: printed to a terminal it keeps its line breaks
//! and tabs and escapes the rest ([`visible_text`]); written to a pipe or a file it is exact, byte for byte.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` for one field of a line: every control character, DEL, line or paragraph separator and bidi control
/// shown as an escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, |_, _| false)
}

/// A document's text for a terminal: like [`visible`], but line breaks and tabs (the text's layout) stay, and so does
/// a carriage return before a line break (a lone one would let the text overwrite its own lines).
pub fn visible_text(text: &str) -> Cow<'_, str> {
    escape(text, |c, next| matches!(c, '\n' | '\t') || (c == '\r' && next == Some('\n')))
}

/// Whether `c` is shown as an escape: C0 controls, DEL, C1 controls, the line and paragraph separators, and the
/// bidi controls (embeddings, overrides, isolates, marks).
fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Escapes every hidden character except those `keep` accepts, given the character and the one after it. Text
/// with nothing to escape (nearly all) is returned as it is.
fn escape(text: &str, keep: impl Fn(char, Option<char>) -> bool) -> Cow<'_, str> {
    let mut escaped: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_hidden(c) || keep(c, chars.peek().map(|&(_, next)| next)) {
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
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    escaped.map_or(Cow::Borrowed(text), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::{visible, visible_text};

    #[test]
    fn a_hostile_name_cannot_drive_the_terminal_or_forge_a_row() {
        let name = "x\x1b]0;TITLE\x07\x1b[2K\rFAKE.txt\nok\ttext\tforged.txt";
        assert_eq!(visible(name), "x\\x1b]0;TITLE\\x07\\x1b[2K\\rFAKE.txt\\nok\\ttext\\tforged.txt");
        assert_eq!(visible("\u{9b}31m \u{7f}"), "\\u{9b}31m \\x7f");
    }

    #[test]
    fn bidi_controls_are_shown_not_obeyed() {
        assert_eq!(visible("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(visible(&format!("a{c}b")).starts_with("a\\u{"), "{:x}", c as u32);
        }
        for c in ['\u{200e}', '\u{200f}', '\u{61c}', '\u{2028}', '\u{2029}'] {
            assert!(visible(&format!("a{c}b")).starts_with("a\\u{"), "{:x}", c as u32);
        }
    }

    #[test]
    fn ordinary_names_are_untouched() {
        for name in ["Исх_14-07-2298_Минфин_аванс.docx", "C:\\Users\\ivan\\звіт.pdf", "שלום.txt", "a b"]
        {
            assert!(matches!(visible(name), std::borrow::Cow::Borrowed(_)), "{name}");
        }
    }

    #[test]
    fn document_text_keeps_its_layout_but_not_escape_sequences() {
        assert_eq!(visible_text("line 1\r\n\tline 2\n"), "line 1\r\n\tline 2\n");
        assert_eq!(visible_text("secret\rcover\x1b[2J\n"), "secret\\rcover\\x1b[2J\n");
    }
}

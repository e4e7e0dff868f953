//! Text from the evidence, made safe to print for a person.
//!
//! Every human-readable output of the CLI passes names, paths, titles, reasons and metadata through [`visible`],
//! which shows control characters, line breaks, tabs and bidi controls as escapes (`\x1B`, `\n`, `\u{202E}`) in the
//! notation the catalog uses for undecodable name bytes ([`dossier_core::escape_controls`]), instead of letting
//! them act on the terminal or forge rows and columns. JSON output is exact: serde escapes what JSON must.
//!
//! A document's text (`dossier extract FILE`) is content, not a name: printed to a terminal it keeps its line breaks
//! and tabs and escapes the rest ([`visible_text`]); written to a pipe or a file it is exact, byte for byte.

use std::borrow::Cow;

/// `text` for one field of a line: every control character shown as an escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    dossier_core::escape_controls(text, |_, _| false)
}

/// A document's text for a terminal: like [`visible`], but line breaks and tabs (the text's layout) stay, and so does
/// a carriage return before a line break (a lone one would let the text overwrite its own lines).
pub fn visible_text(text: &str) -> Cow<'_, str> {
    dossier_core::escape_controls(text, |c, next| matches!(c, '\n' | '\t') || (c == '\r' && next == Some('\n')))
}

#[cfg(test)]
mod tests {
    use super::{visible, visible_text};

    #[test]
    fn a_hostile_name_cannot_drive_the_terminal_or_forge_a_row() {
        let name = "x\x1b]0;TITLE\x07\x1b[2K\rFAKE.txt\nok\ttext\tforged.txt";
        assert_eq!(visible(name), "x\\x1B]0;TITLE\\x07\\x1B[2K\\rFAKE.txt\\nok\\ttext\\tforged.txt");
        assert_eq!(visible("\u{9b}31m \u{7f}"), "\\u{009B}31m \\x7F");
    }

    #[test]
    fn bidi_controls_are_shown_not_obeyed() {
        assert_eq!(visible("invoice\u{202e}fdp.exe"), "invoice\\u{202E}fdp.exe");
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(visible(&format!("a{c}b")).starts_with("a\\u{"), "{:x}", c as u32);
        }
        for c in ['\u{200e}', '\u{200f}', '\u{61c}', '\u{2028}', '\u{2029}'] {
            assert!(visible(&format!("a{c}b")).starts_with("a\\u{"), "{:x}", c as u32);
        }
    }

    #[test]
    fn ordinary_names_are_untouched() {
        for name in ["Исх_14-07-2298_Минфин_аванс.docx", "C:\\Users\\ivan\\звіт.pdf", "שלום.txt", "a b", "a\\xFF.txt"]
        {
            assert!(matches!(visible(name), std::borrow::Cow::Borrowed(_)), "{name}");
        }
    }

    #[test]
    fn document_text_keeps_its_layout_but_not_escape_sequences() {
        assert_eq!(visible_text("line 1\r\n\tline 2\n"), "line 1\r\n\tline 2\n");
        assert_eq!(visible_text("secret\rcover\x1b[2J\n"), "secret\\rcover\\x1B[2J\n");
    }
}

//! Plain-text files in the character sets they are found in: the collection's README in UTF-8, an accountant's
//! notes in windows-1251 (Notepad, CRLF, no byte-order mark), an older note in KOI8-R, and a news page saved as
//! windows-1251 HTML. Nothing in the bytes of the legacy files says which code page they use, except the HTML's
//! own declaration; guessing it is the reader's job.

use crate::error::DemoError;
use crate::mail::encode_strictly;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Windows1251,
    Koi8r,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

#[derive(Debug, Clone, Copy)]
pub struct TextFile {
    pub relative_path: &'static str,
    pub text: &'static str,
    pub encoding: TextEncoding,
    pub line_ending: LineEnding,
}

/// Renders a text file's bytes: line ends converted, then encoded without a byte-order mark.
pub fn render_text(file: &TextFile) -> Result<Vec<u8>, DemoError> {
    let text = match file.line_ending {
        LineEnding::Lf => file.text.to_owned(),
        LineEnding::CrLf => file.text.replace('\n', "\r\n"),
    };
    match file.encoding {
        TextEncoding::Utf8 => Ok(text.into_bytes()),
        TextEncoding::Windows1251 => encode_strictly(&text, encoding_rs::WINDOWS_1251, file.relative_path),
        TextEncoding::Koi8r => encode_strictly(&text, encoding_rs::KOI8_R, file.relative_path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_note_has_crlf_and_no_bom() {
        let file = TextFile {
            relative_path: "test.txt",
            text: "Заметка\nвторая строка",
            encoding: TextEncoding::Windows1251,
            line_ending: LineEnding::CrLf,
        };
        let bytes = render_text(&file).expect("encodable");
        assert_eq!(bytes[0], 0xC7); // "З" in windows-1251
        assert!(bytes.windows(2).any(|window| window == b"\r\n"));
    }

    #[test]
    fn koi8r_note_differs_from_windows_1251() {
        let text = "Звонок";
        let koi8 = TextFile { relative_path: "a", text, encoding: TextEncoding::Koi8r, line_ending: LineEnding::Lf };
        let cp1251 = TextFile { encoding: TextEncoding::Windows1251, ..koi8 };
        assert_ne!(render_text(&koi8).expect("encodable"), render_text(&cp1251).expect("encodable"));
    }
}

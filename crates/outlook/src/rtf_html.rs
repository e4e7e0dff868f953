//! Unwrapping HTML that Outlook encapsulated in RTF (`\fromhtml1`, MS-OXRTFEX).
//!
//! Outlook stores many HTML messages only as compressed RTF whose `{\*\htmltag ...}` groups hold the original
//! markup and whose `\htmlrtf ... \htmlrtf0` spans hold RTF-only rendering to drop. Recovering the HTML gives the
//! sender's text with its structure; reading the wrapper as RTF would also work but loses line breaks.

/// The encapsulated HTML, or `None` when the RTF is not encapsulated HTML or holds no markup.
pub fn deencapsulate_html(rtf: &[u8]) -> Option<String> {
    let mut parser = Parser { rtf, at: 0 };
    let mut output = Output::new(ansi_codepage(rtf));
    // Per group: (suppressed by \htmlrtf, inside an htmltag, skipped destination).
    let mut stack: Vec<(bool, bool, bool)> = Vec::new();
    let mut state = (false, false, false);
    let mut unicode_skip = 1usize;
    let mut pending_skip = 0usize;
    let mut saw_tag = false;

    while let Some(token) = parser.next() {
        let (suppressed, in_tag, skipped) = state;
        match token {
            Token::Open => {
                // Bound nesting so that a hostile file of '{' cannot grow the stack without limit.
                if stack.len() > 10_000 {
                    return None;
                }
                stack.push(state);
                pending_skip = 0;
            }
            Token::Close => {
                state = stack.pop().unwrap_or_default();
                pending_skip = 0;
            }
            Token::Word(word, parameter) => {
                if pending_skip > 0 && word != "'" {
                    pending_skip = 0;
                }
                match word {
                    "htmltag" => {
                        state.1 = true;
                        saw_tag = true;
                    }
                    "htmlrtf" => state.0 = parameter != Some(0),
                    "fonttbl" | "colortbl" | "stylesheet" | "info" | "pict" | "object" | "mhtmltag" | "header"
                    | "footer" | "listtable" | "listoverridetable" => state.2 = true,
                    "*" => {}
                    "uc" => unicode_skip = parameter.unwrap_or(1).clamp(0, 8) as usize,
                    "u" if !skipped && (in_tag || !suppressed) => {
                        let value = parameter.unwrap_or(0);
                        let code = if value < 0 { value + 65_536 } else { value } as u32;
                        output.push_char(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        pending_skip = unicode_skip;
                    }
                    "par" | "line" if !skipped && (in_tag || !suppressed) => output.push_str("\r\n"),
                    "tab" if !skipped && (in_tag || !suppressed) => output.push_str("\t"),
                    _ => {}
                }
            }
            Token::Hex(byte) => {
                if pending_skip > 0 {
                    pending_skip -= 1;
                } else if !skipped && (in_tag || !suppressed) {
                    output.push_byte(byte);
                }
            }
            Token::Text(byte) => {
                if pending_skip > 0 {
                    pending_skip -= 1;
                } else if !skipped && (in_tag || !suppressed) {
                    output.push_byte(byte);
                }
            }
        }
    }
    let html = output.finish();
    (saw_tag && !html.trim().is_empty()).then_some(html)
}

enum Token<'a> {
    Open,
    Close,
    Word(&'a str, Option<i32>),
    Hex(u8),
    Text(u8),
}

struct Parser<'a> {
    rtf: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let byte = *self.rtf.get(self.at)?;
            self.at += 1;
            return Some(match byte {
                b'{' => Token::Open,
                b'}' => Token::Close,
                b'\r' | b'\n' => continue,
                b'\\' => self.control(),
                other => Token::Text(other),
            });
        }
    }

    fn control(&mut self) -> Token<'a> {
        let Some(&first) = self.rtf.get(self.at) else { return Token::Text(b'\\') };
        if !first.is_ascii_alphabetic() {
            self.at += 1;
            return match first {
                b'\'' => {
                    let hex = self.rtf.get(self.at..self.at + 2).and_then(|pair| std::str::from_utf8(pair).ok());
                    match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                        Some(value) => {
                            self.at += 2;
                            Token::Hex(value)
                        }
                        None => Token::Word("'", None),
                    }
                }
                b'*' => Token::Word("*", None),
                b'~' => Token::Text(b' '),
                b'\r' | b'\n' => Token::Word("par", None),
                other => Token::Text(other),
            };
        }
        let start = self.at;
        while self.rtf.get(self.at).is_some_and(|b| b.is_ascii_alphabetic()) && self.at - start < 32 {
            self.at += 1;
        }
        let word = std::str::from_utf8(&self.rtf[start..self.at]).unwrap_or("");
        let number_start = self.at;
        if self.rtf.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.rtf.get(self.at).is_some_and(u8::is_ascii_digit) && self.at - number_start < 10 {
            self.at += 1;
        }
        let parameter = std::str::from_utf8(&self.rtf[number_start..self.at]).ok().and_then(|n| n.parse().ok());
        if self.rtf.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        Token::Word(word, parameter)
    }
}

/// Text built from a mix of codepage bytes and Unicode characters.
struct Output {
    encoding: &'static encoding_rs::Encoding,
    text: String,
    bytes: Vec<u8>,
}

impl Output {
    fn new(encoding: &'static encoding_rs::Encoding) -> Output {
        Output { encoding, text: String::new(), bytes: Vec::new() }
    }

    fn push_byte(&mut self, byte: u8) {
        self.bytes.push(byte);
    }

    fn flush(&mut self) {
        if !self.bytes.is_empty() {
            self.text.push_str(&self.encoding.decode_without_bom_handling(&self.bytes).0);
            self.bytes.clear();
        }
    }

    fn push_char(&mut self, c: char) {
        self.flush();
        self.text.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.flush();
        self.text.push_str(s);
    }

    fn finish(mut self) -> String {
        self.flush();
        self.text
    }
}

/// The `\ansicpgN` codepage of the document, windows-1252 when absent or unknown.
fn ansi_codepage(rtf: &[u8]) -> &'static encoding_rs::Encoding {
    let needle = b"\\ansicpg";
    let head = &rtf[..rtf.len().min(4096)];
    head.windows(needle.len())
        .position(|window| window == needle)
        .and_then(|position| {
            let digits: String = head[position + needle.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .take(6)
                .map(|&b| char::from(b))
                .collect();
            digits.parse::<u32>().ok()
        })
        .and_then(crate::properties::codepage_label)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_recovered_and_rtf_only_spans_dropped() {
        let rtf = br"{\rtf1\ansi\ansicpg1251\fromhtml1 {\fonttbl{\f0 Arial;}}{\*\htmltag64 <p>}\htmlrtf {\b \htmlrtf0 \'cf\'f0\'e8\'e2\'e5\'f2 \u1052?ir\htmlrtf }\htmlrtf0 {\*\htmltag72 </p>}\htmlrtf \par \htmlrtf0}";
        let html = deencapsulate_html(rtf).expect("encapsulated HTML");
        assert_eq!(html, "<p>Привет Мir</p>");
    }

    #[test]
    fn plain_rtf_is_not_html() {
        assert_eq!(deencapsulate_html(br"{\rtf1 hello}"), None);
        assert_eq!(deencapsulate_html(b"{{{{"), None);
    }
}

//! JSON and JSON Lines: every value in document order, object members as `key: value` lines (nested containers
//! as `key:` followed by their members, indented), so that names and figures are searchable beside their keys.
//!
//! The parser is iterative with an explicit stack, so a million nested brackets cost a few megabytes, never the
//! call stack. Invalid JSON keeps what was read before the error plus a diagnostic; in JSON Lines (several values,
//! one per line) a broken line is skipped and reading goes on at the next line.

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

/// Indentation stops growing here: deeper levels are still read, just not indented further.
const MAX_INDENT: usize = 16;
/// Diagnostics kept for one file; the rest are counted.
const MAX_DIAGNOSTICS: usize = 20;

/// Reads a JSON or JSON Lines file.
pub fn read_json(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let decoded = dossier_text::decode(&bytes, None);
    drop(bytes);
    let json = decoded.text.trim_start_matches('\u{feff}');
    let mut parser = Parser::new(json, ctx.limits.max_text_bytes);
    parser.run();
    let mut extraction = Extraction::default();
    if decoded.charset != "UTF-8" {
        extraction.metadata.set("charset", decoded.charset);
    }
    if parser.values > 1 {
        extraction.metadata.set("records", parser.values.to_string());
    }
    let mut diagnostics = parser.diagnostics;
    if parser.dropped_diagnostics > 0 {
        diagnostics.push(format!("{} more syntax errors", parser.dropped_diagnostics));
    }
    let (text, cut) = parser.out.finish();
    if text.trim().is_empty() && !diagnostics.is_empty() {
        return Err(ExtractError::malformed("json", diagnostics.join("; ")));
    }
    if text.trim().is_empty() && parser.values == 0 {
        return Err(ExtractError::malformed("json", "no JSON value"));
    }
    extraction.text = text;
    extraction.diagnostics = diagnostics;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Inside an object: `expect_key` before a key (or `}`), otherwise after a value (`,` or `}`).
    Object { expect_key: bool, after_comma: bool },
    /// Inside an array: `expect_value` at the start or after `,`.
    Array { expect_value: bool, after_comma: bool },
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    stack: Vec<Frame>,
    /// The key of the member whose value comes next.
    key: Option<String>,
    out: TextBuilder,
    values: usize,
    diagnostics: Vec<String>,
    dropped_diagnostics: usize,
}

type Step = Result<(), String>;

impl<'a> Parser<'a> {
    fn new(text: &'a str, limit: usize) -> Parser<'a> {
        Parser {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            stack: Vec::new(),
            key: None,
            out: TextBuilder::new(limit),
            values: 0,
            diagnostics: Vec::new(),
            dropped_diagnostics: 0,
        }
    }

    fn run(&mut self) {
        loop {
            if self.out.is_full() {
                return;
            }
            match self.step() {
                Ok(true) => {}
                Ok(false) => return,
                Err(message) => {
                    self.diagnose(message);
                    // JSON Lines: once a whole value has been read, a broken line does not spoil the next ones.
                    if self.values == 0 || !self.skip_to_next_line() {
                        return;
                    }
                    self.stack.clear();
                    self.key = None;
                }
            }
        }
    }

    fn diagnose(&mut self, message: String) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped_diagnostics += 1;
            return;
        }
        let before = &self.text[..floor_char_boundary(self.text, self.pos)];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
        self.diagnostics.push(format!("invalid JSON at line {line}, column {column}: {message}"));
    }

    fn skip_to_next_line(&mut self) -> bool {
        match self.bytes[self.pos.min(self.bytes.len())..].iter().position(|byte| *byte == b'\n') {
            Some(offset) => {
                self.pos += offset + 1;
                true
            }
            None => false,
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.bytes.get(self.pos) {
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn indent(&mut self) {
        let depth = self.stack.len().saturating_sub(1).min(MAX_INDENT);
        for _ in 0..depth {
            self.out.push("  ");
        }
    }

    /// One token. `Ok(false)` at the end of the input.
    fn step(&mut self) -> Result<bool, String> {
        self.skip_whitespace();
        let Some(&byte) = self.bytes.get(self.pos) else {
            if self.stack.is_empty() {
                return Ok(false);
            }
            return Err(format!("input ends inside {} open containers", self.stack.len()));
        };
        match self.stack.last().copied() {
            None => {
                if self.values > 0 {
                    // Another top-level value: JSON Lines or concatenated JSON.
                    self.out.end_paragraph();
                }
                self.value(byte)?;
            }
            Some(Frame::Object { expect_key: true, after_comma }) => match byte {
                b'}' if !after_comma => self.close(),
                b'"' => {
                    let key = self.string()?;
                    self.skip_whitespace();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return Err(format!("expected ':' after key \"{}\"", shorten(&key)));
                    }
                    self.pos += 1;
                    self.skip_whitespace();
                    let Some(&next) = self.bytes.get(self.pos) else {
                        return Err("input ends after a key".to_string());
                    };
                    self.key = Some(key);
                    self.set_top(Frame::Object { expect_key: false, after_comma: false });
                    self.value(next)?;
                }
                _ => return Err(format!("expected a key, found {}", describe(byte))),
            },
            Some(Frame::Object { expect_key: false, .. }) => match byte {
                b',' => {
                    self.pos += 1;
                    self.set_top(Frame::Object { expect_key: true, after_comma: true });
                }
                b'}' => self.close(),
                _ => return Err(format!("expected ',' or '}}', found {}", describe(byte))),
            },
            Some(Frame::Array { expect_value: true, after_comma }) => match byte {
                b']' if !after_comma => self.close(),
                _ => {
                    self.set_top(Frame::Array { expect_value: false, after_comma: false });
                    self.value(byte)?;
                }
            },
            Some(Frame::Array { expect_value: false, .. }) => match byte {
                b',' => {
                    self.pos += 1;
                    self.set_top(Frame::Array { expect_value: true, after_comma: true });
                }
                b']' => self.close(),
                _ => return Err(format!("expected ',' or ']', found {}", describe(byte))),
            },
        }
        Ok(true)
    }

    fn set_top(&mut self, frame: Frame) {
        if let Some(top) = self.stack.last_mut() {
            *top = frame;
        }
    }

    fn close(&mut self) {
        self.pos += 1;
        self.stack.pop();
        if self.stack.is_empty() {
            self.values += 1;
        }
    }

    /// A value starting at `byte`: containers are opened (their key written as a heading), scalars written.
    fn value(&mut self, byte: u8) -> Step {
        let key = self.key.take();
        match byte {
            b'{' | b'[' => {
                if let Some(key) = key {
                    self.indent();
                    self.out.push(&key);
                    self.out.push(":\n");
                }
                self.pos += 1;
                self.stack.push(if byte == b'{' {
                    Frame::Object { expect_key: true, after_comma: false }
                } else {
                    Frame::Array { expect_value: true, after_comma: false }
                });
                Ok(())
            }
            _ => {
                let scalar = match byte {
                    b'"' => self.string()?,
                    b'-' | b'0'..=b'9' => self.number()?,
                    b't' => self.literal("true")?,
                    b'f' => self.literal("false")?,
                    b'n' => self.literal("null")?,
                    _ => return Err(format!("expected a value, found {}", describe(byte))),
                };
                if self.stack.is_empty() {
                    self.values += 1;
                }
                if key.is_none() && scalar.is_empty() {
                    return Ok(());
                }
                self.indent();
                if let Some(key) = key {
                    self.out.push(&key);
                    self.out.push(": ");
                }
                // A value with line breaks stays on its line, so that every line keeps its key.
                if scalar.contains(['\n', '\r']) {
                    self.out.push(&scalar.replace("\r\n", " ").replace(['\n', '\r'], " "));
                } else {
                    self.out.push(&scalar);
                }
                self.out.push("\n");
                Ok(())
            }
        }
    }

    fn literal(&mut self, word: &str) -> Result<String, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(word.to_string())
        } else {
            Err(format!("expected {word}"))
        }
    }

    fn number(&mut self) -> Result<String, String> {
        let start = self.pos;
        while let Some(byte) = self.bytes.get(self.pos) {
            if matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let number = &self.text[start..self.pos];
        if number.parse::<f64>().is_err() {
            return Err(format!("bad number {}", shorten(number)));
        }
        Ok(number.to_string())
    }

    /// A string starting at the opening quote, escapes resolved (`\uD83D\uDE00` pairs too; lone surrogates as U+FFFD).
    fn string(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.bytes[self.pos..];
            let Some(offset) = rest.iter().position(|byte| *byte == b'"' || *byte == b'\\') else {
                self.pos = start;
                return Err("string never closed".to_string());
            };
            out.push_str(&self.text[self.pos..self.pos + offset]);
            self.pos += offset;
            if self.bytes[self.pos] == b'"' {
                self.pos += 1;
                return Ok(out);
            }
            // A backslash escape.
            let Some(&escaped) = self.bytes.get(self.pos + 1) else {
                return Err("string never closed".to_string());
            };
            self.pos += 2;
            match escaped {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' | b'f' => out.push(' '),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let high = self.hex4()?;
                    let c = if (0xD800..0xDC00).contains(&high) && self.bytes[self.pos..].starts_with(b"\\u") {
                        let saved = self.pos;
                        self.pos += 2;
                        let low = self.hex4()?;
                        if (0xDC00..0xE000).contains(&low) {
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                        } else {
                            self.pos = saved;
                            None
                        }
                    } else {
                        char::from_u32(high)
                    };
                    out.push(c.unwrap_or('\u{fffd}'));
                }
                other => return Err(format!("bad escape \\{}", other as char)),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or("\\u escape cut short")?;
        let digits = std::str::from_utf8(digits).map_err(|_| "bad \\u escape")?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| format!("bad \\u escape {digits}"))?;
        self.pos += 4;
        Ok(value)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn describe(byte: u8) -> String {
    if byte.is_ascii_graphic() { format!("'{}'", byte as char) } else { format!("byte 0x{byte:02x}") }
}

fn shorten(text: &str) -> String {
    let cut = floor_char_boundary(text, 40);
    if cut < text.len() { format!("{}...", &text[..cut]) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> (String, Vec<String>, usize) {
        let mut parser = Parser::new(json, 1 << 20);
        parser.run();
        let values = parser.values;
        (parser.out.finish().0, parser.diagnostics, values)
    }

    #[test]
    fn members_as_key_value_lines_in_order() {
        let (text, diagnostics, values) = parse(
            r#"{"name": "Иван", "age": 42, "ok": true, "tags": ["a", "b"], "x": {"y": null}, "e": "\u0416\ud83d\ude00"}"#,
        );
        assert_eq!(text, "name: Иван\nage: 42\nok: true\ntags:\n  a\n  b\nx:\n  y: null\ne: Ж😀\n");
        assert!(diagnostics.is_empty());
        assert_eq!(values, 1);
    }

    #[test]
    fn a_million_nested_arrays_do_not_overflow_the_stack() {
        let json = "[".repeat(1_000_000) + "\"deep\"" + &"]".repeat(1_000_000);
        let (text, diagnostics, _) = parse(&json);
        assert_eq!(text.trim(), "deep");
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn json_lines_skip_a_broken_line() {
        let (text, diagnostics, values) = parse("{\"a\": 1}\n{\"b\": oops}\n{\"c\": \"3\"}\n");
        assert_eq!(text, "a: 1\n\nc: 3\n");
        assert_eq!(values, 2);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].starts_with("invalid JSON at line 2, column 7"), "{diagnostics:?}");
    }

    #[test]
    fn truncated_json_keeps_what_was_read() {
        let (text, diagnostics, _) = parse("{\"a\": \"kept\", \"b\": [1, 2");
        assert_eq!(text, "a: kept\nb:\n  1\n  2\n");
        assert_eq!(diagnostics.len(), 1);
    }

    #[test]
    fn trailing_commas_are_errors() {
        let (_, diagnostics, _) = parse("[1, ]");
        assert_eq!(diagnostics.len(), 1);
        let (_, diagnostics, _) = parse("{\"a\": 1,}");
        assert_eq!(diagnostics.len(), 1);
    }
}

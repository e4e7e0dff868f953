//! A text buffer that stops growing at the per-document limit.

/// Collects a document's text up to `limit` bytes. Past the limit, further text is dropped (cut at a character
/// boundary) and [`TextBuilder::finish`] reports the truncation as a diagnostic, so the document becomes `partial`
/// rather than costing unbounded memory.
#[derive(Debug)]
pub struct TextBuilder {
    text: String,
    limit: usize,
    dropped_bytes: u64,
}

impl TextBuilder {
    pub fn new(limit: usize) -> TextBuilder {
        TextBuilder { text: String::new(), limit, dropped_bytes: 0 }
    }

    pub fn push(&mut self, s: &str) {
        let room = self.limit.saturating_sub(self.text.len());
        if s.len() <= room {
            self.text.push_str(s);
            return;
        }
        let mut cut = room;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        self.text.push_str(&s[..cut]);
        self.dropped_bytes += (s.len() - cut) as u64;
    }

    pub fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push(c.encode_utf8(&mut buf));
    }

    /// Ends the current line unless the text is empty or already ends with a newline.
    pub fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n");
        }
    }

    /// Ends the current paragraph with a blank line (at most one blank line in a row).
    pub fn end_paragraph(&mut self) {
        self.end_line();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.push("\n");
        }
    }

    pub fn is_full(&self) -> bool {
        self.dropped_bytes > 0
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text, and a diagnostic if some was cut off.
    pub fn finish(self) -> (String, Option<String>) {
        let diagnostic = (self.dropped_bytes > 0).then(|| {
            format!("limit exceeded: text cut off at {} bytes ({} more bytes dropped)", self.limit, self.dropped_bytes)
        });
        (self.text, diagnostic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary_and_says_so() {
        let mut text = TextBuilder::new(5);
        text.push("абв"); // 6 bytes: only two letters fit
        text.push("г");
        let (text, diagnostic) = text.finish();
        assert_eq!(text, "аб");
        assert_eq!(diagnostic.as_deref(), Some("limit exceeded: text cut off at 5 bytes (4 more bytes dropped)"));
    }

    #[test]
    fn paragraphs_do_not_pile_up_blank_lines() {
        let mut text = TextBuilder::new(100);
        text.end_paragraph();
        text.push("one");
        text.end_paragraph();
        text.end_paragraph();
        text.push("two");
        assert_eq!(text.finish(), ("one\n\ntwo".to_string(), None));
    }
}

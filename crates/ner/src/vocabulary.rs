//! The word vocabulary: 250,002 words, looked up once per token. The words stay in the one string they were read
//! as; an open-addressing table of word numbers finds them, which builds in milliseconds and takes 3 MB instead of a
//! quarter of a million small allocations.

/// Words numbered in file order; a word listed twice answers with its last number, as a Python dict built from the
/// list does.
pub(crate) struct Vocabulary {
    text: String,
    /// Byte range of each word in `text`.
    ranges: Vec<(u32, u32)>,
    /// Word numbers + 1 (0 = empty slot), at the hash of the word; a power of two long.
    slots: Vec<u32>,
}

impl Vocabulary {
    /// The vocabulary of the words in `text` at `ranges`. `text` must be shorter than 4 GB (checked by the loader).
    pub(crate) fn new(text: String, ranges: Vec<(u32, u32)>) -> Vocabulary {
        let size = (ranges.len() * 2).next_power_of_two().max(2);
        let mut vocabulary = Vocabulary { text, ranges, slots: vec![0; size] };
        for id in 0..vocabulary.ranges.len() {
            let word = vocabulary.word(id);
            let mut slot = vocabulary.home(word);
            loop {
                let occupant = vocabulary.slots[slot];
                if occupant == 0 || vocabulary.word(occupant as usize - 1) == word {
                    vocabulary.slots[slot] = id as u32 + 1;
                    break;
                }
                slot = (slot + 1) & (size - 1);
            }
        }
        vocabulary
    }

    pub(crate) fn len(&self) -> usize {
        self.ranges.len()
    }

    pub(crate) fn word(&self, id: usize) -> &str {
        let (start, end) = self.ranges[id];
        &self.text[start as usize..end as usize]
    }

    /// The number of `word`, if listed.
    pub(crate) fn get(&self, word: &str) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(word);
        loop {
            match self.slots[slot] {
                0 => return None,
                occupant if self.word(occupant as usize - 1) == word => return Some(occupant - 1),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    fn home(&self, word: &str) -> usize {
        // FNV-1a: short keys, no adversary (the keys are the model's own words; a text's words only probe).
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &byte in word.as_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        (hash ^ (hash >> 29)) as usize & (self.slots.len() - 1)
    }
}

/// Python's `str.splitlines()`: lines end at \n, \r\n, \r, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028 and U+2029; a
/// final line break does not start another line. Byte ranges of the lines in `text`.
pub(crate) fn python_lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let breaks = matches!(
            c,
            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if !breaks {
            continue;
        }
        lines.push((start, at));
        start = at + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            chars.next();
            start += 1;
        }
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &[&str]) -> Vocabulary {
        let text = words.join("\n");
        let ranges = python_lines(&text).into_iter().map(|(s, e)| (s as u32, e as u32)).collect();
        Vocabulary::new(text, ranges)
    }

    #[test]
    fn words_are_found_by_their_number() {
        let words: Vec<String> = (0..1000).map(|n| format!("слово{n}")).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let vocabulary = vocabulary(&refs);
        for (id, word) in refs.iter().enumerate() {
            assert_eq!(vocabulary.get(word), Some(id as u32));
        }
        assert_eq!(vocabulary.get("слово1000"), None);
        assert_eq!(vocabulary.get(""), None);
    }

    #[test]
    fn a_word_listed_twice_answers_with_its_last_number() {
        let vocabulary = vocabulary(&["а", "б", "а"]);
        assert_eq!(vocabulary.get("а"), Some(2));
        assert_eq!(vocabulary.len(), 3);
    }

    #[test]
    fn lines_split_like_python() {
        let text = "a\r\nb\rc\u{2028}d\n";
        let lines: Vec<&str> = python_lines(text).into_iter().map(|(s, e)| &text[s..e]).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        let text = "a\n\nb";
        let lines: Vec<&str> = python_lines(text).into_iter().map(|(s, e)| &text[s..e]).collect();
        assert_eq!(lines, ["a", "", "b"]);
    }
}

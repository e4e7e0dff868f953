//! The text of equation objects: Microsoft Equation 3.0 (Equation Editor, in Office 97-2003 documents) and MathType
//! keep an equation in an `Equation Native` stream as MTEF, MathType's equation format: a tree of lines, templates
//! (fractions, roots, scripts), piles and matrices whose leaves are characters. Nothing else in the file holds the
//! equation as text (the document shows a picture of it), so without this its formula is unsearchable.
//!
//! The characters are given in reading order, one space between the slots of a template or the lines of a pile,
//! which is what a search needs (`x = -b ± √ b 2 - 4 a c 2 a`), not a typeset rendering. MTEF versions 2 and 3
//! (Equation Editor) are read; MathType's own versions 4 and 5, whose records differ, are not yet (`None`). An
//! unknown record ends the reading with what was found.

use crate::compound::{u16_at, u32_at};

/// Records nest this deep in real equations; a hostile stream could nest them as deep as it is long.
const MAX_DEPTH: usize = 64;
/// An equation has at most a few thousand characters; this bounds the text of a hostile stream.
const MAX_CHARACTERS: usize = 1 << 16;

/// The text of an `Equation Native` stream: `None` when it is not MTEF or holds no character.
pub(crate) fn equation_text(native: &[u8]) -> Option<String> {
    // EQNOLEFILEHDR: its own length, a version, a clipboard format, the MTEF length, four reserved words.
    let header_len = usize::from(u16_at(native, 0)?);
    let mtef_len = u32_at(native, 8)? as usize;
    let mtef = native.get(header_len..)?;
    let mtef = &mtef[..mtef_len.min(mtef.len())];
    if !matches!(mtef.first(), Some(2 | 3)) {
        return None;
    }
    // After the header: version, platform, product, product version, product subversion.
    let mut reader = Reader { bytes: mtef, at: 5, text: String::new(), characters: 0 };
    reader.object_list(0);
    let text = reader.text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    text: String,
    characters: usize,
}

/// Record types: the low nibble of a record's first byte (the high nibble holds its options).
const END: u8 = 0;
const LINE: u8 = 1;
const CHAR: u8 = 2;
const TMPL: u8 = 3;
const PILE: u8 = 4;
const MATRIX: u8 = 5;
const EMBELL: u8 = 6;
const RULER: u8 = 7;
const FONT: u8 = 8;
const SIZE: u8 = 9;

/// Option bits: a nudge follows (any record); embellishments follow (CHAR); no object list (LINE); a ruler
/// follows (LINE, PILE); a line spacing follows (LINE).
const NUDGE: u8 = 0x08;
const CHAR_EMBELL: u8 = 0x02;
const LINE_NULL: u8 = 0x01;
const LINE_RULER: u8 = 0x02;
const LINE_LSPACE: u8 = 0x04;

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn skip(&mut self, count: usize) -> Option<()> {
        self.at = self.at.checked_add(count).filter(|&end| end <= self.bytes.len())?;
        Some(())
    }

    fn word(&mut self) -> Option<u16> {
        let word = u16_at(self.bytes, self.at)?;
        self.at += 2;
        Some(word)
    }

    fn space(&mut self) {
        if !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// The records up to the END that closes a list (or the end of the bytes); false when reading must stop.
    fn object_list(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        while let Some(tag) = self.byte() {
            let (kind, options) = (tag & 0x0F, tag >> 4);
            let read = match kind {
                END => return true,
                LINE => self.line(options, depth),
                CHAR => self.character(options),
                TMPL => self.template(options, depth),
                PILE => self.pile(options, depth),
                MATRIX => self.matrix(options, depth),
                EMBELL => self.nudge(options).and_then(|()| self.skip(1)),
                RULER => self.ruler(),
                FONT => self.font(),
                SIZE => self.size(),
                // Full, subscript, sub-subscript, symbol and sub-symbol size: the tag alone.
                10..=14 => Some(()),
                _ => return false,
            };
            if read.is_none() || self.characters >= MAX_CHARACTERS {
                return false;
            }
        }
        false
    }

    /// A nudge: two offset bytes, or, when both are 128, two words after them.
    fn nudge(&mut self, options: u8) -> Option<()> {
        if options & NUDGE == 0 {
            return Some(());
        }
        let (dx, dy) = (self.byte()?, self.byte()?);
        if dx == 128 && dy == 128 {
            self.skip(4)?;
        }
        Some(())
    }

    fn line(&mut self, options: u8, depth: usize) -> Option<()> {
        self.nudge(options)?;
        if options & LINE_LSPACE != 0 {
            self.skip(2)?;
        }
        if options & LINE_RULER != 0 {
            self.byte().filter(|&tag| tag & 0x0F == RULER)?;
            self.ruler()?;
        }
        self.space();
        if options & LINE_NULL == 0 && !self.object_list(depth + 1) {
            return None;
        }
        self.space();
        Some(())
    }

    fn character(&mut self, options: u8) -> Option<()> {
        self.nudge(options)?;
        let typeface = self.byte()?;
        let code = self.word()?;
        self.push_character(typeface, code);
        if options & CHAR_EMBELL != 0 && !self.object_list(MAX_DEPTH) {
            return None;
        }
        Some(())
    }

    fn push_character(&mut self, typeface: u8, code: u16) {
        // Typefaces are stored plus 128: 4 and 5 are lower- and upper-case Greek, 6 symbols, which Equation
        // Editor 3.0 may give as positions in the Symbol font rather than in Unicode.
        let symbol_font = matches!(typeface.wrapping_sub(128), 4..=6);
        let c = match u8::try_from(code) {
            Ok(position) if symbol_font => symbol_character(position),
            _ => char::from_u32(u32::from(code)),
        };
        if let Some(c) = c.filter(|c| !c.is_control()) {
            self.text.push(c);
            self.characters += 1;
        }
    }

    fn template(&mut self, options: u8, depth: usize) -> Option<()> {
        self.nudge(options)?;
        // Selector, variation, template options.
        self.skip(3)?;
        self.space();
        let read = self.object_list(depth + 1);
        self.space();
        read.then_some(())
    }

    fn pile(&mut self, options: u8, depth: usize) -> Option<()> {
        self.nudge(options)?;
        self.skip(2)?;
        if options & LINE_RULER != 0 {
            self.byte().filter(|&tag| tag & 0x0F == RULER)?;
            self.ruler()?;
        }
        self.space();
        let read = self.object_list(depth + 1);
        self.space();
        read.then_some(())
    }

    fn matrix(&mut self, options: u8, depth: usize) -> Option<()> {
        self.nudge(options)?;
        // Vertical alignment, horizontal and vertical justification, rows, columns, then two bits per row and
        // per column partition line (one more partition than rows or columns).
        self.skip(3)?;
        let (rows, columns) = (usize::from(self.byte()?), usize::from(self.byte()?));
        self.skip(((rows + 1) * 2).div_ceil(8) + ((columns + 1) * 2).div_ceil(8))?;
        self.space();
        let read = self.object_list(depth + 1);
        self.space();
        read.then_some(())
    }

    /// A ruler: its number of tab stops, then a type byte and an offset word per stop.
    fn ruler(&mut self) -> Option<()> {
        let stops = usize::from(self.byte()?);
        self.skip(stops * 3)
    }

    /// A font definition of MTEF 3: typeface, style, NUL-terminated name.
    fn font(&mut self) -> Option<()> {
        self.skip(2)?;
        self.string()
    }

    fn string(&mut self) -> Option<()> {
        let length = self.bytes.get(self.at..)?.iter().position(|&byte| byte == 0)?;
        self.skip(length + 1)
    }

    /// A size: 101 and a point size word, 100 and a size byte and a word, or two bytes.
    fn size(&mut self) -> Option<()> {
        match self.byte()? {
            101 => self.skip(2),
            100 => self.skip(3),
            _ => self.skip(1),
        }
    }
}

/// The Greek letters and the common mathematical signs at their positions in the Symbol font.
fn symbol_character(position: u8) -> Option<char> {
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    let symbol = match position {
        b'A'..=b'Z' => UPPER.chars().nth(usize::from(position - b'A')),
        b'a'..=b'z' => LOWER.chars().nth(usize::from(position - b'a')),
        0xA2 => Some('′'),
        0xA3 => Some('≤'),
        0xA5 => Some('∞'),
        0xAE => Some('→'),
        0xB1 => Some('±'),
        0xB3 => Some('≥'),
        0xB4 => Some('×'),
        0xB6 => Some('∂'),
        0xB7 => Some('•'),
        0xB8 => Some('÷'),
        0xB9 => Some('≠'),
        0xBB => Some('≈'),
        0xCE => Some('∈'),
        0xD1 => Some('∇'),
        0xD6 => Some('√'),
        0xE5 => Some('∑'),
        0xF2 => Some('∫'),
        _ => None,
    };
    symbol.or_else(|| char::from_u32(u32::from(position)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `Equation Native` stream of MTEF 3 holding `records` after the MTEF header.
    fn native(records: &[u8]) -> Vec<u8> {
        let mut mtef = vec![3, 1, 1, 3, 0];
        mtef.extend_from_slice(records);
        let mut stream = Vec::new();
        stream.extend_from_slice(&28u16.to_le_bytes());
        stream.extend_from_slice(&0x0002_0000u32.to_le_bytes());
        stream.extend_from_slice(&0xC1C6u16.to_le_bytes());
        stream.extend_from_slice(&(mtef.len() as u32).to_le_bytes());
        stream.extend_from_slice(&[0; 16]);
        stream.extend_from_slice(&mtef);
        stream
    }

    /// A CHAR record of MTEF 3 in typeface `typeface` (stored plus 128).
    fn character(typeface: u8, c: char) -> Vec<u8> {
        let mut record = vec![CHAR, 128 + typeface];
        record.extend_from_slice(&(c as u16).to_le_bytes());
        record
    }

    #[test]
    fn a_fraction_with_a_greek_letter_and_a_root_reads_in_order() {
        // x = (α ± √b) / 2, as Equation Editor 3.0 writes it: a line holding x, =, and a fraction template whose
        // two slots are lines; the root is a template of its own inside the numerator; α in the Symbol font.
        let mut records = vec![SIZE, 101, 12, 0, LINE];
        records.extend(character(3, 'x'));
        records.extend(character(6, '='));
        records.extend([TMPL, 11, 0, 0, LINE]);
        records.extend(character(4, 'a'));
        records.extend([CHAR, 128 + 6, 0xB1, 0]);
        records.extend([TMPL, 10, 0, 0, LINE]);
        records.extend(character(3, 'b'));
        records.extend([END, END, END, LINE]);
        records.extend(character(8, '2'));
        records.extend([END, END, END, END]);
        assert_eq!(equation_text(&native(&records)).as_deref(), Some("x= α± b 2"));
    }

    #[test]
    fn nudged_characters_and_embellishments_are_read() {
        let mut records = vec![LINE];
        // A nudged 'y' (both offsets 128: two words follow), then a 'z' with a prime embellishment.
        records.extend([CHAR | (NUDGE << 4), 128, 128, 1, 0, 2, 0, 128 + 3, b'y', 0]);
        records.extend([CHAR | (CHAR_EMBELL << 4), 128 + 3, b'z', 0, EMBELL, 5, END]);
        records.extend([END, END]);
        assert_eq!(equation_text(&native(&records)).as_deref(), Some("yz"));
    }

    #[test]
    fn damaged_streams_give_what_was_read_or_nothing() {
        assert_eq!(equation_text(b""), None);
        assert_eq!(equation_text(&native(&[])), None);
        let mut records = vec![LINE];
        records.extend(character(3, 'q'));
        records.push(0x0F);
        assert_eq!(equation_text(&native(&records)).as_deref(), Some("q"));
        // Every cut of a real-looking equation returns.
        let mut whole = vec![LINE];
        for c in "E=mc".chars() {
            whole.extend(character(3, c));
        }
        whole.extend([TMPL, 27, 0, 0, LINE]);
        whole.extend(character(8, '2'));
        whole.extend([END, END, END, END]);
        let stream = native(&whole);
        for cut in 0..stream.len() {
            let _ = equation_text(&stream[..cut]);
        }
        assert_eq!(equation_text(&stream).as_deref(), Some("E=mc 2"));
    }
}

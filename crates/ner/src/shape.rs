//! The shape of a token, slovnet's second input beside the word itself: the script (Russian, English) and case
//! pattern ("RU_Xx", "EN_XX", "RU_Xx-Xx"...), the punctuation mark itself ("PUNCT_«"), a number, or something else.
//! Each shape is an entry of the model's shape vocabulary (`vocabs/shape.gz`); [`all_shapes`] lists every shape
//! this code can produce, so that loading checks the vocabulary has each of them.

use crate::chars;

/// slovnet's punctuation marks, each with a shape of its own ("PUNCT_«"); any other punctuation is "PUNCT_OTHER".
const PUNCTUATION: &str = "!#$%&()[]\\/*+,.:;<=>?@^_{|}~-‐−‒⁃–—―`\"'«»„“ʼʻ”№…";

const OUTLINES: [&str; 7] = ["X", "x", "XX", "xx", "Xx", "Xx-Xx", "OTHER"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Shape {
    /// A Russian word with its outline (an index into `OUTLINES`).
    Russian(u8),
    /// A Latin word with its outline.
    English(u8),
    /// One of slovnet's punctuation marks alone.
    Punct(char),
    /// Other punctuation, or several marks.
    PunctOther,
    Number,
    Other,
}

impl Shape {
    /// The shape's entry in the vocabulary.
    pub(crate) fn name(self) -> String {
        match self {
            Shape::Russian(outline) => format!("RU_{}", OUTLINES[usize::from(outline)]),
            Shape::English(outline) => format!("EN_{}", OUTLINES[usize::from(outline)]),
            Shape::Punct(mark) => format!("PUNCT_{mark}"),
            Shape::PunctOther => "PUNCT_OTHER".to_string(),
            Shape::Number => "NUM".to_string(),
            Shape::Other => "OTHER".to_string(),
        }
    }

    /// A dense index for lookup tables: words first, then marks in `PUNCTUATION` order, then the rest.
    pub(crate) fn index(self) -> usize {
        let outlines = OUTLINES.len();
        match self {
            Shape::Russian(outline) => usize::from(outline),
            Shape::English(outline) => outlines + usize::from(outline),
            Shape::Punct(mark) => 2 * outlines + PUNCTUATION.chars().position(|c| c == mark).unwrap_or(0),
            Shape::PunctOther => 2 * outlines + PUNCTUATION.chars().count(),
            Shape::Number => 2 * outlines + PUNCTUATION.chars().count() + 1,
            Shape::Other => 2 * outlines + PUNCTUATION.chars().count() + 2,
        }
    }
}

/// Every shape [`word_shape`] can produce, in [`Shape::index`] order.
pub(crate) fn all_shapes() -> Vec<Shape> {
    let outlines = 0..OUTLINES.len() as u8;
    let mut shapes: Vec<Shape> = outlines.clone().map(Shape::Russian).collect();
    shapes.extend(outlines.map(Shape::English));
    shapes.extend(PUNCTUATION.chars().map(Shape::Punct));
    shapes.extend([Shape::PunctOther, Shape::Number, Shape::Other]);
    shapes
}

/// The shape of a token (slovnet's `word_shape`).
pub(crate) fn word_shape(word: &str) -> Shape {
    let Some(first) = word.chars().next() else { return Shape::Other };
    // slovnet's type is decided by a regular expression matched at the start of the word, alternatives in order:
    // Russian letters, Latin letters, a number with an optional sign, punctuation.
    if chars::is_russian_letter(first) {
        return Shape::Russian(outline(word));
    }
    if chars::is_latin_letter(first) {
        return Shape::English(outline(word));
    }
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    if unsigned.chars().next().is_some_and(chars::is_decimal) {
        return Shape::Number;
    }
    if PUNCTUATION.contains(first) {
        return if word.len() == first.len_utf8() { Shape::Punct(first) } else { Shape::PunctOther };
    }
    Shape::Other
}

/// The case pattern of a word (slovnet's `word_outline`), as an index into `OUTLINES`.
fn outline(word: &str) -> u8 {
    let mut it = word.chars();
    let (Some(first), second) = (it.next(), it.next()) else { return 6 };
    if second.is_none() {
        return if chars::is_upper(first) { 0 } else { 1 };
    }
    if chars::str_is_upper(word) {
        2
    } else if chars::str_is_lower(word) {
        3
    } else if is_title(word) {
        4
    } else if word.split_once('-').is_some_and(|(left, right)| is_title(left) && is_title(right)) {
        5
    } else {
        6
    }
}

/// Two characters or more, the first uppercase and the rest lowercase (as Python decides `isupper`/`islower`).
fn is_title(word: &str) -> bool {
    let mut it = word.chars();
    it.next().is_some_and(chars::is_upper) && chars::str_is_lower(it.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_follow_script_case_and_punctuation() {
        for (word, expected) in [
            ("Москва", "RU_Xx"),
            ("МИД", "RU_XX"),
            ("в", "RU_x"),
            ("Я", "RU_X"),
            ("Ростов-на-Дону", "RU_OTHER"),
            ("Санкт-Петербург", "RU_Xx-Xx"),
            ("СИЗО-6", "RU_XX"),
            ("iPhone", "EN_OTHER"),
            ("Google", "EN_Xx"),
            ("2011-2020", "NUM"),
            ("-5", "NUM"),
            ("«", "PUNCT_«"),
            ("?!", "PUNCT_OTHER"),
            ("-", "PUNCT_-"),
            ("§", "OTHER"),
            ("Δ", "OTHER"),
        ] {
            assert_eq!(word_shape(word).name(), expected, "{word}");
        }
    }

    #[test]
    fn every_shape_has_its_own_index() {
        let shapes = all_shapes();
        for (index, shape) in shapes.iter().enumerate() {
            assert_eq!(shape.index(), index, "{}", shape.name());
        }
        assert_eq!(shapes.len(), 65);
    }
}

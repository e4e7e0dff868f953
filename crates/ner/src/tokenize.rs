//! Words and punctuation, split exactly as razdel 0.5.0's `tokenize` splits them (natasha's NER sees only these
//! tokens, so every boundary razdel draws differently changes what the network reads).
//!
//! The text is cut into atoms: a run of Russian letters, a run of Latin letters, a run of decimal digits, one
//! punctuation mark, or one other non-space character. Neighbouring atoms with no space between them are then joined
//! into one token by a few rules: words around a dash or an underscore ("кто-то", "foo_bar", but not "--x"), digits
//! around a decimal point or a fraction slash ("1,5", "3/4"), runs of final punctuation ("?!", "..."), smileys, "--"
//! and "**", letters next to other symbols ("ΔP", "m²"), and "Yahoo!". A rule may look one atom further on either
//! side, across a space ("a -b" keeps "-b" whole), so the iterator keeps two atoms of context each way and runs in
//! constant memory over any text.
//!
//! The rules and character sets follow razdel 0.5.0 (MIT, natasha project), including its quirks: `{` is not
//! punctuation there, so "{x" is one token.

use std::ops::Range;

use crate::chars;

/// One token: its text and its byte range in the text it was cut from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    /// Byte offsets into the whole text.
    pub bytes: Range<usize>,
}

/// The tokens of `text`, lazily, in order.
pub fn tokenize(text: &str) -> Tokens<'_> {
    let mut tokens = Tokens { text, scan: 0, left2: None, left1: None, right1: None, right2: None, token: None };
    tokens.right1 = tokens.next_atom();
    tokens.right2 = tokens.next_atom();
    tokens
}

/// Iterator over the tokens of a text; see [`tokenize`].
pub struct Tokens<'a> {
    text: &'a str,
    /// Where the next atom is looked for.
    scan: usize,
    /// The two atoms before the next decision point and the two after it.
    left2: Option<Atom>,
    left1: Option<Atom>,
    right1: Option<Atom>,
    right2: Option<Atom>,
    /// The token being built, ending with `left1`.
    token: Option<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    Russian,
    Latin,
    Int,
    Punct,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Atom {
    kind: AtomKind,
    start: usize,
    end: usize,
}

/// razdel's final punctuation.
pub(crate) const ENDINGS: &str = ".?!…";
/// razdel's dashes: non-breaking hyphen, en dash, em dash, minus sign, hyphen-minus.
pub(crate) const DASHES: &str = "\u{2011}\u{2013}\u{2014}\u{2212}-";

/// razdel 0.5.0's punctuation for atoms: its quotes, dashes, brackets (without `{`, a quirk of that release) and
/// the ASCII marks.
fn is_punct(c: char) -> bool {
    "\\/!#$%&*+,.:;<=>?@^_`|~№…".contains(c) || DASHES.contains(c) || "«“‘»”’\"„'".contains(c) || "([})]".contains(c)
}

impl<'a> Tokens<'a> {
    fn next_atom(&mut self) -> Option<Atom> {
        let rest = &self.text[self.scan..];
        let (offset, first) = rest.char_indices().find(|&(_, c)| !chars::is_space(c))?;
        let start = self.scan + offset;
        let run = |class: fn(char) -> bool| {
            let tail = &self.text[start..];
            start + tail.char_indices().find(|&(_, c)| !class(c)).map_or(tail.len(), |(at, _)| at)
        };
        let (kind, end) = if chars::is_russian_letter(first) {
            (AtomKind::Russian, run(chars::is_russian_letter))
        } else if chars::is_latin_letter(first) {
            (AtomKind::Latin, run(chars::is_latin_letter))
        } else if chars::is_decimal(first) {
            (AtomKind::Int, run(chars::is_decimal))
        } else if is_punct(first) {
            (AtomKind::Punct, start + first.len_utf8())
        } else {
            (AtomKind::Other, start + first.len_utf8())
        };
        self.scan = end;
        Some(Atom { kind, start, end })
    }

    fn shift(&mut self) {
        self.left2 = self.left1;
        self.left1 = self.right1;
        self.right1 = self.right2;
        self.right2 = self.next_atom();
    }

    fn atom_text(&self, atom: Atom) -> &'a str {
        &self.text[atom.start..atom.end]
    }

    /// Whether the atom `right` joins the token `buffer` (which ends with `left1`, no space between them).
    fn joins(&self, buffer: &Range<usize>, left1: Atom, right: Atom) -> bool {
        let left_text = self.atom_text(left1);
        let right_text = self.atom_text(right);
        // The "2112" rules: a separator atom joins when the atoms on both sides of it qualify. Looking from the
        // split, the separator is either the left atom (then its left neighbour counts) or the right one (then its
        // right neighbour does). The first rule whose separator is present and whose sides qualify joins.
        type SeparatorRule = (fn(&str) -> bool, fn(Atom, Atom) -> bool);
        let separator_rules: [SeparatorRule; 4] = [
            (|s| is_one_of(s, DASHES), neither_punct),
            (|s| s == "_", neither_punct),
            (|s| is_one_of(s, ".,"), both_int),
            (|s| is_one_of(s, "/\\"), both_int),
        ];
        for (is_separator, sides_qualify) in separator_rules {
            let sides = if is_separator(left_text) {
                (self.left2, Some(right))
            } else if is_separator(right_text) {
                (Some(left1), self.right2)
            } else {
                continue;
            };
            if let (Some(before), Some(after)) = sides
                && sides_qualify(before, after)
            {
                return true;
            }
        }
        if left1.kind == AtomKind::Punct && right.kind == AtomKind::Punct {
            if is_smiley(&self.text[buffer.start..right.end]) {
                return true;
            }
            if is_one_of(left_text, ENDINGS) && is_one_of(right_text, ENDINGS) {
                return true;
            }
            if matches!((left_text, right_text), ("-", "-") | ("*", "*")) {
                return true;
            }
        }
        let wordlike = |kind| matches!(kind, AtomKind::Other | AtomKind::Russian | AtomKind::Latin);
        if left1.kind == AtomKind::Other && wordlike(right.kind) {
            return true;
        }
        if wordlike(left1.kind) && right.kind == AtomKind::Other {
            return true;
        }
        right_text == "!" && left_text.len() == 5 && left_text.to_lowercase() == "yahoo"
    }
}

/// Python's `text in chars` for a one-character atom (atoms of several characters are letters or digits, never a
/// substring of a punctuation list).
fn is_one_of(text: &str, set: &str) -> bool {
    let mut it = text.chars();
    matches!((it.next(), it.next()), (Some(c), None) if set.contains(c))
}

fn neither_punct(before: Atom, after: Atom) -> bool {
    before.kind != AtomKind::Punct && after.kind != AtomKind::Punct
}

fn both_int(before: Atom, after: Atom) -> bool {
    before.kind == AtomKind::Int && after.kind == AtomKind::Int
}

/// `[=:;]-?[)(]{1,3}` as a whole string: ":)", ";-(((", "=)".
pub(crate) fn is_smiley(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['=', ':', ';']) else { return false };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    (1..=3).contains(&rest.len()) && rest.bytes().all(|b| b == b'(' || b == b')')
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let Some(right) = self.right1 else {
                let token = self.token.take()?;
                return Some(Token { text: &self.text[token.clone()], bytes: token });
            };
            let Some(token) = self.token.clone() else {
                self.token = Some(right.start..right.end);
                self.shift();
                continue;
            };
            // The token in progress ends with `left1`; only atoms with no space between them can join.
            let joins = self.left1.is_some_and(|left1| left1.end == right.start && self.joins(&token, left1, right));
            self.shift();
            if joins {
                self.token = Some(token.start..right.end);
            } else {
                self.token = Some(right.start..right.end);
                return Some(Token { text: &self.text[token.clone()], bytes: token });
            }
        }
    }
}

#[cfg(test)]
mod tests;

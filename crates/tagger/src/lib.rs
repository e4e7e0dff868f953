//! Names of people, organisations and places in Ukrainian text: a feature-based sequence tagger of our own; and in
//! English text, by rules ([`english`]), since no open English corpus can be had to train on.
//!
//! The text is cut into sentences and tokens exactly as `dossier-ner` (razdel's rules) cuts them; each token is
//! described by features (the word, its affixes and shape, its name classes and parts of speech in a morphological
//! dictionary, how the text around writes it, the same of its neighbours; [`features`]); a linear model scores the
//! seven BIO tags of each token, and the best tag sequence of the sentence (Viterbi, first-order transitions, an I
//! only after its own B or I) gives the spans. The weights are trained by our own averaged perceptron ([`train`]) on
//! the ner-uk corpus; `cargo xtask train-ner-uk` makes the model folder:
//!
//! ```text
//! ner-uk/weights.bin   the trained weights (CC BY-NC-SA 4.0, as the corpus they were learnt from)
//! ner-uk/words.fst     every word form of pymorphy3-dicts-uk (GPL-3.0) with its name classes and parts of speech
//! ner-uk/LICENSE       both licences
//! ```
//!
//! ```no_run
//! let model = dossier_tagger::Model::load(std::path::Path::new("target/models/ner-uk"))?;
//! for entity in model.entities("Голова Київської ОДА Олексій Кулеба приїхав до Ірпеня.") {
//!     println!("{:?} {} [{}..{})", entity.kind, entity.text, entity.start, entity.end);
//! }
//! # Ok::<(), dossier_tagger::TaggerError>(())
//! ```
//!
//! Sentences are tagged one at a time, and a sentence longer than [`MAX_TOKENS`] in pieces; what the text around
//! says of a word (written small elsewhere, or capitalised inside a sentence: [`Context`]) is drawn from stretches
//! of about [`CONTEXT_BYTES`], so memory does not grow with the text. The crate knows text only: no storage, no
//! processes, no other dossier crate but `dossier-ner`'s segmentation and entity type.

mod crf;
mod decode;
pub mod english;
mod error;
pub mod features;
pub mod names;
pub mod tags;
pub mod train;
mod weights;

use std::ops::Range;
use std::path::Path;

use dossier_ner::{Entity, Sentences, Tokens};

pub use english::EnglishModel;
pub use error::TaggerError;
pub use features::Context;
pub use names::Names;
pub use weights::Weights;

/// The model folder's name inside a models folder.
pub const MODEL_FOLDER: &str = "ner-uk";
pub const WEIGHTS_FILE: &str = "weights.bin";
pub const WORDS_FILE: &str = "words.fst";

/// A sentence longer than this is tagged in pieces of this many tokens.
pub const MAX_TOKENS: usize = 256;

/// The text around a sentence that its [`Context`] is drawn from: the stretch of whole sentences it belongs to, of
/// about this many bytes (a whole document, for most), so that memory stays bounded on a long text.
pub const CONTEXT_BYTES: usize = 1 << 20;

/// A loaded model: immutable, shareable between threads.
pub struct Model {
    weights: Weights,
    names: Names,
    name: String,
}

impl Model {
    /// Reads `weights.bin` and `words.fst` from `dir`. A missing or damaged file is an error naming it.
    pub fn load(dir: &Path) -> Result<Model, TaggerError> {
        if !dir.is_dir() {
            return Err(TaggerError::NotFound { looked: dir.display().to_string() });
        }
        let path = dir.join(WEIGHTS_FILE);
        let bytes = std::fs::read(&path).map_err(|source| TaggerError::Io { path: path.clone(), source })?;
        let weights = Weights::from_bytes(&bytes, &path)?;
        let names = Names::load(&dir.join(WORDS_FILE))?;
        Ok(Model::new(weights, names, &bytes))
    }

    /// A model from weights in memory (`bytes`: their file, which names the model).
    pub fn new(weights: Weights, names: Names, bytes: &[u8]) -> Model {
        let name = format!("tagger-{}-{:016x}", features::FEATURES_VERSION, fnv1a(bytes));
        Model { weights, names, name }
    }

    /// The model's name and version, stored with every analysis: the feature templates' version and a hash of the
    /// weights, so that a retrained model is told apart from the one before.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names in `text`, in order, none overlapping; offsets in chars.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let mut entities = Vec::new();
        let mut cursor = (0, 0);
        let mut char_offset = |byte: usize| {
            let (cursor_byte, cursor_char) = cursor;
            let offset = cursor_char + text[cursor_byte..byte].chars().count();
            cursor = (byte, offset);
            offset
        };
        let mut pieces = pieces(text);
        let mut stretch: Vec<Vec<Range<usize>>> = Vec::new();
        loop {
            let piece = pieces.next();
            let end = piece.is_none();
            stretch.extend(piece);
            let stretch_bytes = match (stretch.first(), stretch.last()) {
                (Some(first), Some(last)) => last[last.len() - 1].end - first[0].start,
                _ => 0,
            };
            if end || stretch_bytes >= CONTEXT_BYTES {
                let tokens: Vec<Vec<&str>> =
                    stretch.iter().map(|piece| piece.iter().map(|range| &text[range.clone()]).collect()).collect();
                let mut context = Context::default();
                tokens.iter().for_each(|tokens| context.add(tokens));
                for (piece, tokens) in stretch.iter().zip(&tokens) {
                    for (kind, span) in tags::spans(&self.tag(tokens, &context)) {
                        let bytes = piece[span.start].start..piece[span.end - 1].end;
                        let start = char_offset(bytes.start);
                        let end = char_offset(bytes.end);
                        entities.push(Entity { kind, start, end, text: text[bytes].to_string() });
                    }
                }
                stretch.clear();
            }
            if end {
                return entities;
            }
        }
    }

    /// The best tags of one sentence's tokens, in the context of the text around it.
    pub fn tag(&self, tokens: &[&str], context: &Context) -> Vec<u8> {
        let features = features::sentence_features(tokens, &self.names, context);
        let emissions: Vec<weights::Row> =
            (0..features.len()).map(|token| self.weights.emissions(features.token(token))).collect();
        decode::viterbi(&emissions, &self.weights.start, &self.weights.transitions)
    }

    pub fn names(&self) -> &Names {
        &self.names
    }
}

/// The tokens of `text` as the tagger reads them: razdel's sentences, each as one piece of byte ranges, or several
/// of at most [`MAX_TOKENS`] tokens. Training cuts its texts with this too.
pub fn pieces(text: &str) -> Pieces<'_> {
    Pieces { text, sentences: dossier_ner::sentenize(text), current: None }
}

/// Iterator over the pieces of a text; see [`pieces`].
pub struct Pieces<'a> {
    text: &'a str,
    sentences: Sentences<'a>,
    /// The sentence being cut: its tokens and its offset in the text.
    current: Option<(Tokens<'a>, usize)>,
}

impl Iterator for Pieces<'_> {
    type Item = Vec<Range<usize>>;

    fn next(&mut self) -> Option<Vec<Range<usize>>> {
        loop {
            if let Some((tokens, offset)) = &mut self.current {
                let piece: Vec<Range<usize>> = tokens
                    .by_ref()
                    .take(MAX_TOKENS)
                    .map(|token| token.bytes.start + *offset..token.bytes.end + *offset)
                    .collect();
                if !piece.is_empty() {
                    return Some(join_apostrophes(self.text, piece));
                }
            }
            let sentence = self.sentences.next()?;
            self.current = Some((dossier_ner::tokenize(sentence.text), sentence.bytes.start));
        }
    }
}

/// Joins a word written with an apostrophe (м'ясо, Мар'яна, сім’я), which razdel cuts into three tokens, back into
/// one: Ukrainian spells such words with one, and names are among them.
fn join_apostrophes(text: &str, piece: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut joined: Vec<Range<usize>> = Vec::with_capacity(piece.len());
    let mut index = 0;
    while index < piece.len() {
        let token = piece[index].clone();
        let is_joint = |at: usize| {
            let (Some(previous), Some(apostrophe), Some(next)) = (joined.last(), piece.get(at), piece.get(at + 1))
            else {
                return false;
            };
            previous.end == apostrophe.start
                && apostrophe.end == next.start
                && matches!(&text[apostrophe.clone()], "'" | "\u{2019}" | "\u{02BC}")
                && text[previous.clone()].chars().next_back().is_some_and(char::is_alphabetic)
                && text[next.clone()].chars().next().is_some_and(char::is_alphabetic)
        };
        if is_joint(index) {
            let next_end = piece[index + 1].end;
            if let Some(previous) = joined.last_mut() {
                previous.end = next_end;
            }
            index += 2;
        } else {
            joined.push(token);
            index += 1;
        }
    }
    joined
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests;

//! Person, organization and location names in Russian text: our own Rust port of natasha 1.6.0's NER.
//!
//! The text is split into tokens exactly as razdel does ([`tokenize`]); each token becomes its navec word vector and
//! its shape vector; slovnet's network (three convolutions, a projection) scores every tag for every token; the CRF's
//! best tag sequence (Viterbi) is read as BIO tags, and the tags as spans. The model's weights come from natasha's
//! wheel, installed by `cargo xtask setup`; see the README for the folder layout.
//!
//! ```no_run
//! let dir = dossier_ner::find_model_dir(None)?;
//! let model = dossier_ner::Model::load(&dir)?;
//! for entity in model.entities("Президент России Владимир Путин прилетел в Казань.") {
//!     println!("{:?} {} [{}..{})", entity.kind, entity.text, entity.start, entity.end);
//! }
//! # Ok::<(), dossier_ner::NerError>(())
//! ```
//!
//! Memory stays bounded whatever the text's length: tokens stream through the network in windows and the tag
//! sequence is decided as it goes, so only the text and the entities found grow with it.

mod abbreviations;
mod chars;
mod error;
mod gemm;
mod locate;
mod model;
mod network;
mod sentenize;
mod shape;
mod tokenize;
mod viterbi;
mod vocabulary;

use std::collections::VecDeque;
use std::ops::Range;
use std::path::Path;

pub use chars::python_classes;
pub use error::NerError;
pub use locate::{MODEL_FOLDER, MODELS_ENV, find_model_dir, find_model_dir_from};
pub use sentenize::{Sentence, Sentences, sentenize};
pub use tokenize::{Token, Tokens, tokenize};

use model::Tag;
use network::{CONTEXT, Encoded, Scratch};
use viterbi::Viterbi;

/// The model this crate runs: natasha's Russian NER, release 1.6.0 (slovnet `news_v1`, navec `news_v1_1B_250K_300d`).
/// Stored with every analysis, so that results of another model can be told apart and recomputed.
pub const MODEL_NAME: &str = "natasha-1.6.0";

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Organization,
    Location,
}

impl Kind {
    /// natasha's tag for the kind: "PER", "ORG", "LOC".
    pub fn code(self) -> &'static str {
        match self {
            Kind::Person => "PER",
            Kind::Organization => "ORG",
            Kind::Location => "LOC",
        }
    }
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: Kind,
    /// Offset of the first character, in Unicode scalar values (`char`s) from the start of the text.
    pub start: usize,
    /// Offset just past the last character, in `char`s.
    pub end: usize,
    /// The name as written.
    pub text: String,
}

/// A loaded model: about 30 MB, immutable, shareable between threads.
pub struct Model {
    words: vocabulary::Vocabulary,
    unk_id: u32,
    navec: model::Navec,
    /// The vocabulary id of each shape, by `Shape::index`.
    shape_ids: Vec<u32>,
    shape_embedding: Vec<f32>,
    shape_dim: usize,
    layers: Vec<model::ConvLayer>,
    /// `width × tags`.
    proj: Vec<f32>,
    proj_bias: Vec<f32>,
    transitions: Vec<f32>,
    tags: Vec<Tag>,
}

/// Tokens per network window, besides the context on each side.
const BLOCK: usize = 256;

impl Model {
    /// Loads the model folder (`ner-ru`, see [`find_model_dir`]). A missing or corrupt file is an error naming it.
    pub fn load(dir: &Path) -> Result<Model, NerError> {
        model::load(dir)
    }

    /// The names in `text`, in order, none overlapping.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        self.entities_in_blocks(text, BLOCK)
    }

    fn entities_in_blocks(&self, text: &str, block: usize) -> Vec<Entity> {
        let mut run = Run::new(self, text, block);
        for token in tokenize(text) {
            run.push(token.bytes);
        }
        run.finish()
    }

    fn encode(&self, token: &str) -> Encoded {
        let word = self.words.get(&token.to_lowercase()).unwrap_or(self.unk_id);
        Encoded { word, shape: model::shape_id(self, shape::word_shape(token)) }
    }
}

/// One pass over a text: tokens are gathered into windows, scored, decided and turned into entities.
struct Run<'m, 't> {
    model: &'m Model,
    text: &'t str,
    /// Left context (if any), then the block being gathered, then its right context.
    window: Vec<Encoded>,
    /// Where the block starts in `window`: `CONTEXT`, or less at the text's start.
    block_start: usize,
    /// Tokens per block.
    block: usize,
    /// Byte ranges of the tokens in `window` from `block_start` on.
    window_tokens: VecDeque<Range<usize>>,
    scratch: Scratch,
    viterbi: Viterbi<'m>,
    /// Byte ranges of the tokens scored but not yet decided, oldest first.
    undecided: VecDeque<Range<usize>>,
    decided: Vec<u8>,
    spans: Spans<'t>,
}

impl<'m, 't> Run<'m, 't> {
    fn new(model: &'m Model, text: &'t str, block: usize) -> Run<'m, 't> {
        Run {
            model,
            text,
            window: Vec::with_capacity(block.min(BLOCK) + 3 * CONTEXT),
            block_start: 0,
            block,
            window_tokens: VecDeque::new(),
            scratch: Scratch::default(),
            viterbi: Viterbi::new(&model.transitions, model.tags.len()),
            undecided: VecDeque::new(),
            decided: Vec::new(),
            spans: Spans::new(text),
        }
    }

    fn push(&mut self, token: Range<usize>) {
        self.window.push(self.model.encode(&self.text[token.clone()]));
        self.window_tokens.push_back(token);
        if self.window.len() == self.block_start + self.block + CONTEXT {
            self.score_block(self.block_start..self.block_start + self.block);
            // The block's last CONTEXT tokens (fewer only at the text's start) become the next window's left
            // context, its right context the start of the next block.
            let next_block = self.block_start + self.block;
            let keep_from = next_block.saturating_sub(CONTEXT);
            self.window.drain(..keep_from);
            self.block_start = next_block - keep_from;
        }
    }

    fn finish(mut self) -> Vec<Entity> {
        if self.window.len() > self.block_start {
            self.score_block(self.block_start..self.window.len());
        }
        self.viterbi.finish(&mut self.decided);
        self.take_decided();
        self.spans.finish()
    }

    fn score_block(&mut self, block: Range<usize>) {
        network::emissions(self.model, &self.window, block.clone(), &mut self.scratch);
        let tags = self.model.tags.len();
        for index in 0..block.len() {
            let token = self.window_tokens.pop_front().expect("every window token from block_start has its range");
            self.undecided.push_back(token);
            self.viterbi.push(&self.scratch.emissions[index * tags..(index + 1) * tags], &mut self.decided);
            self.take_decided();
        }
    }

    fn take_decided(&mut self) {
        for &tag in &self.decided {
            let token = self.undecided.pop_front().expect("a tag is decided only for a scored token");
            self.spans.push(token, self.model.tags[usize::from(tag)]);
        }
        self.decided.clear();
    }
}

/// BIO tags to spans as slovnet reads them: B opens a span (closing any open one), I extends the open span (whatever
/// its type), O closes it; an I with no open span is ignored.
struct Spans<'t> {
    text: &'t str,
    open: Option<(Kind, Range<usize>)>,
    entities: Vec<Entity>,
    /// Byte and char offsets of the same point, moved forward as entities are found.
    cursor: (usize, usize),
}

impl<'t> Spans<'t> {
    fn new(text: &'t str) -> Spans<'t> {
        Spans { text, open: None, entities: Vec::new(), cursor: (0, 0) }
    }

    fn push(&mut self, token: Range<usize>, tag: Tag) {
        match tag {
            Tag::Outside => self.close(),
            Tag::Begin(kind) => {
                self.close();
                self.open = Some((kind, token));
            }
            Tag::Inside => {
                if let Some((_, span)) = &mut self.open {
                    span.end = token.end;
                }
            }
            Tag::Pad => {}
        }
    }

    fn close(&mut self) {
        let Some((kind, bytes)) = self.open.take() else { return };
        let start = self.char_offset(bytes.start);
        let end = self.char_offset(bytes.end);
        self.entities.push(Entity { kind, start, end, text: self.text[bytes].to_string() });
    }

    fn char_offset(&mut self, byte: usize) -> usize {
        let (cursor_byte, cursor_char) = self.cursor;
        let offset = cursor_char + self.text[cursor_byte..byte].chars().count();
        self.cursor = (byte, offset);
        offset
    }

    fn finish(mut self) -> Vec<Entity> {
        self.close();
        self.entities
    }
}

#[cfg(test)]
mod tests;

//! dossier's search query language: text in, [`Query`] tree out, or a [`ParseError`] that points at a position.
//!
//! The language is the one of an investigator's search box, close to Lucene's: words, `"phrases"`, `AND`/`OR`/`NOT`,
//! `-exclusions`, `prefix*`, `fuzzy~`, field filters (`title:`, `from:`, `date:2023-10`...). See [`SYNTAX_HELP`].
//! This crate knows nothing about tantivy: `dossier-index` translates the tree.

mod ast;
mod date;
mod describe;
mod help;
mod lexer;
mod parser;
mod render;

pub use ast::{Day, Field, ParseError, Query, Word, within_collection};
pub use describe::describe;
pub use help::SYNTAX_HELP;
pub use parser::{MAX_NESTING, ParseOptions, parse};
pub use render::render;

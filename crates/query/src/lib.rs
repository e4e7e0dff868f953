//! dossier's search query language: text in, [`Query`] tree out, or a [`ParseError`] that points at a position.

mod ast;

pub use ast::{Day, Field, ParseError, Query, Word};

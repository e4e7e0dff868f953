//! Golden tests of the tokenizer.

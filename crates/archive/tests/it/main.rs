//! Integration tests of the archive readers: golden files per format, and bomb limits.

mod golden;
mod limits;

//! Integration tests of the archive readers: golden files per format, bomb limits, and RAR through unar.

mod golden;
mod limits;
mod rar;

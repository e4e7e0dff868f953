//! Integration tests of the legacy Office readers: golden fixtures per format, and robustness against damaged input.

mod golden;
mod robustness;

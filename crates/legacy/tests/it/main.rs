//! Integration tests of the legacy Office readers: golden fixtures per format, embedded objects, and robustness
//! against damaged input.

mod container;
mod embedded;
mod equations;
mod golden;
mod pictures;
mod robustness;
mod word95;
mod xls_encrypted;

//! Integration tests of the Outlook readers: golden dumps of generated items and mailboxes, and what a dump
//! cannot show on its own (an attached item reads back as a message; readpst failures).

mod msg;
mod pst;

use std::path::{Path, PathBuf};

fn test_data(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format)
}

//! Damaged copies of the XLSB and encrypted-OOXML fixtures (cut short, bytes overwritten): the readers return a
//! result or an error for each, never a panic.

use std::path::PathBuf;

use dossier_document::{ReadFn, golden};

/// Reads every damaged variant of `name`; `cuts` and `flips` say how many of each (spread over the file).
fn survive(format: &str, name: &str, read: ReadFn, cuts: usize, flips: usize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format).join(name);
    let original = std::fs::read(&path).expect("fixture exists");
    let scratch = std::env::temp_dir().join(format!("office-robustness-{}-{name}", std::process::id()));
    let mut variants: Vec<Vec<u8>> = Vec::new();
    for step in 1..=cuts {
        variants.push(original[..original.len() * step / (cuts + 1)].to_vec());
    }
    for step in 1..=flips {
        let mut flipped = original.clone();
        let at = original.len() * step / (flips + 1);
        for byte in flipped.iter_mut().skip(at).take(4) {
            *byte ^= 0xff;
        }
        variants.push(flipped);
    }
    for (index, variant) in variants.iter().enumerate() {
        std::fs::write(&scratch, variant).expect("scratch file is writable");
        let outcome = std::panic::catch_unwind(|| golden::run(read, &scratch));
        assert!(outcome.is_ok(), "{name}: variant {index} panicked");
    }
    std::fs::remove_file(&scratch).expect("scratch file removed");
}

#[test]
fn damaged_xlsb_never_panics() {
    survive("xlsb", "0001_payments.xlsb", dossier_office::read_xlsb, 60, 120);
}

#[test]
fn damaged_encrypted_ooxml_never_panics() {
    survive("ooxml-encrypted", "0002_write_protected.xlsb", dossier_office::read_encrypted_ooxml, 12, 12);
}

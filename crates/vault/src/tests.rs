//! Tests of storing and verifying blobs.

use super::*;

#[test]
fn stores_once_with_both_hashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    let first = vault.store_reader(&mut &b"abc"[..]).expect("store");
    assert!(first.newly_stored);
    assert_eq!(first.blob.size, 3);
    // Known digests of "abc".
    assert_eq!(first.blob.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(first.blob.blake3, "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
    let second = vault.store_reader(&mut &b"abc"[..]).expect("store again");
    assert!(!second.newly_stored);
    assert_eq!(std::fs::read(vault.path_of(&first.blob.blake3)).expect("read blob"), b"abc");
    assert_eq!(std::fs::read_dir(dir.path().join("tmp")).expect("tmp").count(), 0, "no leftovers");
}

#[test]
fn verify_finds_missing_and_tampered_blobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    let good = vault.store_reader(&mut &b"letter"[..]).expect("store").blob;
    let tampered = vault.store_reader(&mut &b"figures"[..]).expect("store").blob;
    let missing = Blob { blake3: "00".repeat(32), sha256: "00".repeat(32), size: 1 };

    let path = vault.path_of(&tampered.blake3);
    let mut permissions = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).expect("make writable");
    std::fs::write(&path, b"figures, edited").expect("tamper");

    assert_eq!(vault.verify_blob(&good), None);
    assert!(matches!(vault.verify_blob(&tampered), Some(Problem::Mismatch { found_size: 15, .. })));
    assert!(matches!(vault.verify_blob(&missing), Some(Problem::Missing { .. })));
}

fn tamper(vault: &Vault, blob: &Blob, content: &[u8]) {
    let path = vault.path_of(&blob.blake3);
    let mut permissions = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).expect("make writable");
    std::fs::write(&path, content).expect("tamper");
}

#[test]
fn storing_over_a_damaged_blob_replaces_it_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    let blob = vault.store_reader(&mut &b"the true letter"[..]).expect("store").blob;
    tamper(&vault, &blob, b"the fake letter");

    let again = vault.store_reader(&mut &b"the true letter"[..]).expect("store again");
    assert!(again.newly_stored, "the damaged copy must not be taken for the content");
    assert!(
        matches!(&again.repaired, Some(Problem::Mismatch { found_size: 15, found_blake3, .. }) if *found_blake3 != blob.blake3),
        "{:?}",
        again.repaired
    );
    assert_eq!(std::fs::read(vault.path_of(&blob.blake3)).expect("read"), b"the true letter");
    assert_eq!(vault.verify_blob(&blob), None);
    // A verified blob is deduplicated as before.
    let third = vault.store_reader(&mut &b"the true letter"[..]).expect("store a third time");
    assert_eq!((third.newly_stored, third.repaired), (false, None));
}

fn read_verified(vault: &Vault, blob: &Blob) -> (Vec<u8>, std::io::Result<()>) {
    let mut reader = match vault.open_verified(blob) {
        Ok(reader) => reader,
        Err(problem) => return (Vec::new(), Err(std::io::Error::other(format!("{problem:?}")))),
    };
    let mut out = Vec::new();
    let mut buf = [0u8; 1000];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return (out, Ok(())),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(err) => return (out, Err(err)),
        }
    }
}

#[test]
fn a_corrupted_blob_is_not_read_as_genuine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    // Larger than one chunk, so that the damage is in a chunk after others were already handed out.
    let content: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    let blob = vault.store_reader(&mut &content[..]).expect("store").blob;

    let (read, result) = read_verified(&vault, &blob);
    result.expect("an intact blob reads to the end");
    assert_eq!(read, content);

    let mut flipped = content.clone();
    flipped[650_000] ^= 1;
    tamper(&vault, &blob, &flipped);
    let (read, result) = read_verified(&vault, &blob);
    let err = result.expect_err("a flipped byte must fail the read");
    assert!(matches!(damage_of(&err), Some(Problem::Mismatch { found_size: 700_000, .. })), "{err}");
    assert!(read.len() < content.len(), "the reader must not hand out the whole damaged file ({} bytes)", read.len());

    tamper(&vault, &blob, &content[..1000]);
    assert!(matches!(vault.open_verified(&blob), Err(Problem::Mismatch { found_size: 1000, .. })));
}

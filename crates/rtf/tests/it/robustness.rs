//! Hostile input: every prefix and many random mutations of the fixtures are read without a panic, and the text
//! limit holds.

use std::path::Path;

fn fixtures() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rtf");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rtf"))
        .collect();
    paths.sort();
    paths.iter().map(|path| std::fs::read(path).expect("fixture is readable")).collect()
}

#[test]
fn every_prefix_of_every_fixture_is_read_within_the_limit() {
    for fixture in fixtures().iter().filter(|fixture| fixture.len() < 4096) {
        for end in 0..=fixture.len() {
            let result = dossier_rtf::rtf_to_text(&fixture[..end], 64);
            assert!(result.text.len() <= 64);
        }
    }
}

#[test]
fn random_mutations_do_not_panic() {
    // A fixed xorshift sequence keeps the test deterministic.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const INTERESTING: &[u8] = b"{}\\'*u-0123456789abcdefbinucfcharsetpar \xff\x00";
    let mut mutations = 0;
    for fixture in fixtures().iter().filter(|fixture| !fixture.is_empty()) {
        for _ in 0..300 {
            let mut bytes = fixture.clone();
            for _ in 0..(next() % 8 + 1) {
                let at = (next() % bytes.len() as u64) as usize;
                let byte = INTERESTING[(next() % INTERESTING.len() as u64) as usize];
                match next() % 3 {
                    0 => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ => {
                        bytes.remove(at);
                        if bytes.is_empty() {
                            bytes.push(byte);
                        }
                    }
                }
            }
            let result = dossier_rtf::rtf_to_text(&bytes, 1 << 16);
            assert!(result.text.len() <= 1 << 16);
            mutations += 1;
        }
    }
    assert!(mutations > 1000);
}

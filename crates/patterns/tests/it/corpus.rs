//! `find` over the real texts of the shared corpus: every match lies inside its text, on character boundaries, in
//! order and without overlaps, and its character and byte offsets name the same text. Prints the count per kind and
//! check result (run with `--nocapture` to see it). Says so, and passes, when the corpus is absent.

use std::collections::BTreeMap;

use dossier_patterns::{Checksum, find};

use crate::corpus_texts::{corpus_root, corpus_texts};

#[test]
fn every_match_in_the_real_corpus_lies_inside_its_text_on_char_boundaries() {
    let Some(root) = corpus_root() else {
        println!("the shared corpus is absent (../shared/corpus or DOSSIER_CORPUS): nothing to read");
        return;
    };
    let texts = corpus_texts(&root);
    assert!(texts.len() > 1000, "expected the corpus's 1,000+ texts under {}, found {}", root.display(), texts.len());
    let mut counts: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    let mut n_bytes = 0;
    for (name, text) in &texts {
        n_bytes += text.len();
        let n_chars = text.chars().count();
        let mut previous_end = (0, 0);
        for found in find(text) {
            assert!(found.start < found.end && found.end <= n_chars, "{name}: char span of {found:?}");
            assert!(
                found.byte_start < found.byte_end && found.byte_end <= text.len(),
                "{name}: byte span of {found:?}"
            );
            assert!(
                text.is_char_boundary(found.byte_start) && text.is_char_boundary(found.byte_end),
                "{name}: {found:?}"
            );
            assert!((found.start, found.byte_start) >= previous_end, "{name}: overlap or disorder at {found:?}");
            assert_eq!(&text[found.byte_start..found.byte_end], found.text, "{name}: byte span text");
            let by_chars: String = text.chars().skip(found.start).take(found.end - found.start).collect();
            assert_eq!(by_chars, found.text, "{name}: char span text");
            assert!(!found.value.is_empty(), "{name}: empty value for {found:?}");
            previous_end = (found.end, found.byte_end);
            let checksum = match found.checksum {
                Some(Checksum::Valid) => "valid",
                Some(Checksum::Invalid) => "invalid",
                None => "-",
            };
            *counts.entry((found.kind.as_str(), checksum)).or_default() += 1;
        }
    }
    println!("{} texts, {:.1} MB of real ru/uk text", texts.len(), n_bytes as f64 / 1e6);
    for ((kind, checksum), count) in &counts {
        println!("{kind:>16} {checksum:>8} {count:>7}");
    }
}

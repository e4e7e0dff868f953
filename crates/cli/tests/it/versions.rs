//! Versions of one text end to end: fingerprints made as files are read, clustered by `dossier versions`, compared
//! word by word by `dossier diff`, and made again by `dossier reanalyse`.

use serde_json::Value;

use crate::util::{Env, write_demo};

fn cluster_of<'a>(versions: &'a Value, path_part: &str) -> Option<&'a Value> {
    versions["clusters"].as_array().expect("clusters").iter().find(|cluster| {
        cluster["members"]
            .as_array()
            .expect("members")
            .iter()
            .any(|m| m["path"].as_str().expect("path").contains(path_part))
    })
}

fn ids(cluster: &Value) -> Vec<i64> {
    cluster["members"].as_array().expect("members").iter().map(|m| m["id"].as_i64().expect("id")).collect()
}

#[test]
fn the_demos_two_near_identical_letters_are_versions_and_their_differing_words_are_shown() {
    let env = Env::new();
    let input = env.input("demo");
    write_demo(&input);
    env.ingest(&input, "demo", &["--no-ocr"]);
    let versions = env.run_json(&["versions", "-c", "demo", "--json"]);
    let letters =
        cluster_of(&versions, "Исх_14-07-2298_Минфин_аванс.docx").expect("the letter to the ministry has versions");
    let paths: Vec<&str> =
        letters["members"].as_array().expect("members").iter().map(|m| m["path"].as_str().expect("path")).collect();
    assert!(paths.iter().any(|p| p.contains("копия_письма_в_минфин_v2.docx")), "{paths:?}");
    assert_eq!(letters["identical"], false);
    // Texts that have nothing in common are never joined.
    assert!(!letters["members"].to_string().contains("Смета"), "{letters}");
    let [a, b] = ids(letters)[..] else { panic!("two members: {letters}") };
    let diff = env.run_json(&["diff", &a.to_string(), &b.to_string(), "--json"]);
    let changed: Vec<(String, String)> = diff["ops"]
        .as_array()
        .expect("ops")
        .iter()
        .filter(|op| op["kind"] == "changed")
        .map(|op| {
            let side = |key: &str| op[key].as_str().expect("both sides").replace('\u{a0}', " ");
            (side("a_text"), side("b_text"))
        })
        .collect();
    // One copy asks for an advance of 19 500 000 roubles, the other of 14 625 000, dated two days apart.
    assert!(
        changed
            .iter()
            .any(|(x, y)| (x, y) == (&"14 625".into(), &"19 500".into())
                || (x, y) == (&"19 500".into(), &"14 625".into())),
        "{changed:?}"
    );
    let text = env.run(&["diff", &a.to_string(), &b.to_string()]);
    assert!(text.contains("[-") && text.contains("{+"), "{text}");
}

#[test]
fn a_copy_with_a_latin_letter_is_a_version_whose_diff_names_the_lookalike() {
    let env = Env::new();
    let input = env.input("letters");
    let letter = "Министерство строительства Северо-Озёрской области сообщает, что работы по ремонту моста через \
                  реку Студёную будут завершены в срок, установленный государственным контрактом, а отчёт о ходе \
                  работ направляется еженедельно в адрес заместителя министра.\n";
    std::fs::write(input.join("original.txt"), letter).expect("write");
    // A canary copy: one Cyrillic о replaced by the Latin o, invisible to the eye.
    std::fs::write(input.join("canary.txt"), letter.replacen("моста", "мoста", 1)).expect("write");
    std::fs::write(input.join("other.txt"), "Совсем другой текст о погоде, урожае и ценах на рынке в этом году.\n")
        .expect("write");
    env.ingest(&input, "letters", &["--no-ocr", "--no-entities"]);
    let versions = env.run_json(&["versions", "-c", "letters", "--json"]);
    let cluster = cluster_of(&versions, "canary.txt").expect("the copies are versions without names being looked for");
    assert_eq!(ids(cluster).len(), 2, "{cluster}");
    assert!(cluster_of(&versions, "other.txt").is_none(), "{versions}");
    let [a, b] = ids(cluster)[..] else { unreachable!() };
    let diff = env.run_json(&["diff", &a.to_string(), &b.to_string(), "--json"]);
    assert_eq!(diff["summary"]["homoglyphs"], 1, "{diff}");
    let text = env.run(&["diff", &a.to_string(), &b.to_string()]);
    assert!(text.contains("U+006F") && text.contains("U+043E"), "{text}");
}

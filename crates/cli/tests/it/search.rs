//! `dossier search` and `dossier reindex` over the example leak.

use crate::util::{Env, write_demo};

fn demo_env() -> Env {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    env.ingest(&input, "leak", &["--no-ocr"]);
    env
}

fn paths_of(results: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["path"].as_str().expect("path").rsplit('/').next().expect("name").to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn inflected_russian_finds_the_letters_with_json_shape() {
    let env = demo_env();
    let results = env.run_json(&["search", "министерству", "--json", "--limit", "50"]);
    let total = results["total"].as_u64().expect("total");
    assert!(total >= 5, "{results}");
    assert_eq!(results["hits"].as_array().expect("hits").len() as u64, total);
    let hit = &results["hits"][0];
    for key in ["id", "path", "title", "score", "snippets", "collection", "format"] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    let snippet = &hit["snippets"][0];
    let text = snippet["text"].as_str().expect("snippet text");
    let [start, end] =
        [snippet["highlights"][0][0].as_u64().expect("start"), snippet["highlights"][0][1].as_u64().expect("end")];
    let marked: String = text.chars().skip(start as usize).take((end - start) as usize).collect();
    assert!(marked.to_lowercase().starts_with("министерств"), "{marked}");
    let types = results["facets"]["type"].as_array().expect("type facet");
    let counted: u64 = types.iter().map(|value| value["count"].as_u64().expect("count")).sum();
    assert_eq!(counted, total);
}

#[test]
fn paging_and_export_cover_every_hit_once() {
    let env = demo_env();
    let everything = env.run_json(&["search", "", "--json", "--limit", "1000"]);
    let total = everything["total"].as_u64().expect("total");
    let listed = env.run_json(&["list", "-c", "leak", "--json"]);
    assert_eq!(total, listed.as_array().expect("list").len() as u64, "every document is in the index");

    let export = env.run(&["search", "", "--all", "--json"]);
    let lines: Vec<serde_json::Value> =
        export.lines().map(|line| serde_json::from_str(line).expect("one JSON object per line")).collect();
    assert_eq!(lines.len() as u64, total);
    let mut pages = Vec::new();
    let mut offset = 0;
    while offset < total {
        let page = env.run_json(&["search", "", "--json", "--limit", "7", "--offset", &offset.to_string()]);
        pages.extend(paths_of(&page));
        offset += 7;
    }
    pages.sort();
    assert_eq!(pages, paths_of(&everything));
}

#[test]
fn a_query_of_symbols_only_is_refused_like_a_syntax_error() {
    let env = demo_env();
    for args in [&["search", "®@ —"][..], &["search", "®@", "--all", "--json"][..]] {
        let output = env.command().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no searchable word"), "{stderr}");
    }
}

#[test]
fn a_bad_query_points_at_the_problem() {
    let env = demo_env();
    let output = env.command().args(["search", "бюджет AND (смета"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("parenthes"), "{stderr}");
    // The caret stands under the unclosed parenthesis (position 11, after two spaces of indentation).
    let caret_line = stderr.lines().find(|line| line.trim() == "^").expect("a caret line");
    assert_eq!(caret_line.find('^'), Some(2 + 11), "{stderr}");
}

#[test]
fn reindex_rebuilds_the_same_results() {
    let env = demo_env();
    let before = env.run_json(&["search", "контракт OR договор", "--json", "--limit", "100"]);
    std::fs::remove_dir_all(env.data_dir().join("index")).expect("lose the index");
    let sync = env.run_json(&["reindex", "--json"]);
    assert_eq!(sync["documents_indexed"], sync["documents_in_index"]);
    let after = env.run_json(&["search", "контракт OR договор", "--json", "--limit", "100"]);
    assert_eq!(paths_of(&before), paths_of(&after));
    assert!(!paths_of(&after).is_empty());
}

#[test]
fn filters_and_collection_flag() {
    let env = demo_env();
    let mail = env.run_json(&["search", "type:mail", "--json", "--limit", "100"]);
    assert!(mail["total"].as_u64().expect("total") >= 1);
    assert!(
        mail["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|hit| hit["format"] == "eml" || hit["format"] == "msg" || hit["format"] == "mbox")
    );
    let none = env.run_json(&["search", "министерство", "-c", "no-such-collection", "--json"]);
    assert_eq!(none["total"], 0);
}

#[test]
fn the_readme_shows_the_same_syntax_help_as_the_binary() {
    let readme = include_str!("../../../../README.md");
    assert!(
        readme.contains(dossier_query::SYNTAX_HELP),
        "README.md's search syntax differs from dossier_query::SYNTAX_HELP"
    );
    let env = Env::new();
    let help = env.run(&["search", "--help"]);
    assert!(help.contains("министерство обороны"), "{help}");
}

#[test]
fn text_beyond_the_first_16_mib_is_searchable_and_counted_once() {
    let env = Env::new();
    let input = env.input("long");
    // About 34 MiB of text: the index takes it in three parts. "Кривошеев" stands at the end, in the last part only
    // and past the first 32 MiB; "протокол" is in every part and must still count the document once.
    let line = "Протокол заседания комиссии по вопросам дорожного хозяйства, пункт повестки дня.\n";
    let mut text = line.repeat((34 << 20) / line.len());
    text.push_str("Здесь упомянут Кривошеев.\n");
    std::fs::write(input.join("long.txt"), &text).expect("write");
    std::fs::write(input.join("short.txt"), "Протокол другого заседания.").expect("write");
    // About the index's parts, not the entities (whose analysis of 34 MiB costs a minute in a debug build).
    env.ingest(&input, "long", &["--no-ocr", "--no-entities"]);

    let late = env.run_json(&["search", "Кривошеев", "--json"]);
    assert_eq!(late["total"], 1, "{late:#}");
    assert!(late["hits"][0]["path"].as_str().is_some_and(|path| path.ends_with("long.txt")));
    let snippet = late["hits"][0]["snippets"].to_string();
    assert!(snippet.contains("Кривошеев"), "the hit's snippet comes from the part that holds the word: {snippet}");
    assert_eq!(late["facets"]["type"][0]["count"], 1, "{late:#}");

    let both = env.run_json(&["search", "протокол", "--json"]);
    assert_eq!(both["total"], 2, "each document once, whatever the number of its parts: {both:#}");
    let exported = env.run(&["search", "протокол", "--all"]);
    assert_eq!(exported.lines().count(), 2, "{exported}");

    // The document page marks the word where it is, however far into the text.
    let id = late["hits"][0]["id"].as_i64().expect("id");
    let mut dossier = dossier_core::Dossier::open(&env.data_dir()).expect("open");
    let query = dossier_query::parse("Кривошеев", &dossier_query::ParseOptions::default()).expect("query");
    let stored = dossier.text(id).expect("text").expect("a text");
    let marks = dossier.highlight(&query, &stored).expect("highlight");
    assert_eq!(marks.len(), 1);
    assert_eq!(&stored[marks[0].0..marks[0].1], "Кривошеев");
}

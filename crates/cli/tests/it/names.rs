//! Names from the evidence in the command line's output for people: a hostile file name cannot drive the terminal,
//! forge a row or hide its extension behind a bidi override; the JSON output keeps it exact.

use std::io::Write;

use crate::util::Env;

/// Retitles the terminal window, erases the line and writes a fake name over it.
const HIJACK: &str = "x\x1b]0;TITLE\x07\x1b[2K\rFAKE.txt";
/// Forges a second row of `list` (a line break, then tab-separated columns).
const FORGED_ROW: &str = "evil\nok\ttext\tforged-row.txt";
/// Reads as `reportfdp.txt`... with its real extension reversed out of sight.
const BIDI: &str = "report\u{202e}txt.pdf";
/// An archive member's name is data too.
const MEMBER: &str = "member\x1b]0;PWNED\x07\n\u{2066}.txt";
const COLLECTION: &str = "leak\u{202e}2023";

/// Whether `output` holds anything that acts on a terminal or bends a line: control characters other than line
/// breaks and tabs, and bidi controls.
fn acting_characters(output: &str) -> Vec<char> {
    output
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .collect()
}

fn hostile_leak(env: &Env) -> std::path::PathBuf {
    let input = env.input("hostile-names");
    std::fs::write(input.join(HIJACK), "Служебный отчёт номер один.").expect("write");
    std::fs::write(input.join(FORGED_ROW), "Служебный отчёт номер два.").expect("write");
    std::fs::write(input.join(BIDI), b"%PDF-1.7\nnot a PDF at all").expect("write");
    let file = std::fs::File::create(input.join("archive.zip")).expect("zip");
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file(MEMBER, zip::write::SimpleFileOptions::default()).expect("member");
    zip.write_all("Служебный отчёт \x1b[1mномер три\x1b[0m.".as_bytes()).expect("member text");
    zip.finish().expect("finish the zip");
    input
}

#[test]
fn hostile_file_names_cannot_drive_the_terminal_or_forge_rows() {
    let env = Env::new();
    let input = hostile_leak(&env);
    let summary = env.command().args(["ingest", input.to_str().expect("UTF-8"), "-c", COLLECTION]).output();
    let summary = summary.expect("dossier runs");
    crate::util::assert_success(&summary, &["ingest"]);

    let listed = env.run_json(&["list", "-c", COLLECTION, "--json"]);
    let n_documents = listed.as_array().expect("a list").len();
    assert_eq!(n_documents, 5, "{listed}");
    // JSON is exact: the names as they are.
    for name in [HIJACK, FORGED_ROW, BIDI] {
        assert!(
            listed
                .as_array()
                .expect("a list")
                .iter()
                .any(|doc| doc["path"].as_str().is_some_and(|p| p.ends_with(name))),
            "{name:?} in {listed}"
        );
    }
    assert!(listed.as_array().expect("a list").iter().any(|doc| doc["name"] == MEMBER), "{listed}");

    let list = env.run(&["list", "-c", COLLECTION]);
    let search = env.run(&["search", "отчёт", "--limit", "50"]);
    let search_all = env.run(&["search", "отчёт", "--all"]);
    let failures = env.run(&["failures"]);
    let status = env.run(&["status"]);
    let outputs = [
        ("ingest", String::from_utf8_lossy(&summary.stdout).into_owned()),
        ("list", list.clone()),
        ("search", search.clone()),
        ("search --all", search_all.clone()),
        ("failures", failures.clone()),
        ("status", status),
    ];
    for (command, output) in &outputs {
        assert_eq!(acting_characters(output), Vec::<char>::new(), "dossier {command}:\n{output}");
    }
    // One row per document, one per hit, one per failure: no name made a row of its own.
    assert_eq!(list.lines().count(), n_documents, "{list}");
    assert_eq!(search_all.lines().count(), 3, "{search_all}");
    assert_eq!(failures.lines().count(), 1, "{failures}");
    // What was there is shown, as escapes.
    assert!(list.contains(r"x\x1B]0;TITLE\x07\x1B[2K\rFAKE.txt"), "{list}");
    assert!(list.contains(r"evil\nok\ttext\tforged-row.txt"), "{list}");
    assert!(failures.contains(r"leak\u{202E}2023") && failures.contains(r"report\u{202E}txt.pdf"), "{failures}");
    assert!(search.contains(r"member\x1B]0;PWNED\x07\n\u{2066}.txt"), "{search}");

    // `extract` of the archive to a pipe: the member's header escaped, its text exact (it is the content).
    let extracted = env.run(&["extract", input.join("archive.zip").to_str().expect("UTF-8")]);
    let header = extracted.lines().find(|line| line.starts_with("==== ")).expect("the member's header");
    assert_eq!(acting_characters(header), Vec::<char>::new(), "{header}");
    assert!(header.contains(r"member\x1B]0;PWNED\x07\n\u{2066}.txt"), "{header}");
    assert!(extracted.contains("Служебный отчёт \x1b[1mномер три\x1b[0m."), "piped text is exact: {extracted:?}");
}

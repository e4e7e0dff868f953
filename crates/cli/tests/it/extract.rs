//! `dossier extract`: one file with its children, as JSON or as text; folders with a pool of workers, as JSON Lines.

use crate::util::{Env, write_demo};

#[test]
fn json_has_the_documented_shape_recursively() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    let mail = std::fs::read_dir(input.join("mail"))
        .expect("mail folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().contains("fwd_dop"))
        .expect("the forwarded letter");
    let node = env.run_json(&["extract", mail.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(node["outcome"], "ok");
    assert_eq!(node["mime"], "message/rfc822");
    assert!(node["metadata"]["subject"].as_str().expect("subject").starts_with("Доп. соглашение"));
    let children = node["children"].as_array().expect("children");
    assert!(!children.is_empty());
    for child in children {
        for key in ["outcome", "mime", "text", "metadata", "children"] {
            assert!(child.get(key).is_some(), "child lacks {key}: {child}");
        }
        assert_eq!(child["child_kind"], "attachment");
    }
    assert!(
        children.iter().any(|c| c["format"] == "docx" && c["text"].as_str().is_some_and(|t| t.contains("Мостострой")))
    );
}

#[test]
fn text_output_puts_children_after_their_parent_under_a_header() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    let zip = input.join("archive").join("leak_materials_2024-05.zip");
    let text = env.run(&["extract", zip.to_str().expect("UTF-8")]);
    let header = text.find("==== leak_materials_2024-05.zip!/").expect("a child header");
    let nested = text.find("!/Сметы_старые.zip!/СМЕТЫ/").expect("a grandchild header");
    assert!(header < nested);
}

#[test]
fn a_failed_file_exits_with_code_2_and_says_why() {
    let env = Env::new();
    let input = env.input("odd");
    let path = input.join("scan.djvu");
    std::fs::write(&path, b"AT&TFORM\x00\x00\x01\x00DJVMDIRM").expect("write");
    let output = env.command().args(["extract", path.to_str().expect("UTF-8"), "--json"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let node: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(node["outcome"], "failed");
    assert_eq!(node["error"], "unsupported format image/vnd.djvu");
}

#[test]
fn a_folder_is_read_by_every_worker_one_json_line_per_file() {
    let env = Env::new();
    let input = env.input("leak");
    let n_files = write_demo(&input);
    std::fs::write(input.join("scan.djvu"), b"AT&TFORM\x00\x00\x01\x00DJVMDIRM").expect("write");
    std::os::unix::fs::symlink("/etc/passwd", input.join("link")).expect("symlink");
    let output = env
        .command()
        .args(["extract", input.to_str().expect("UTF-8"), "--json", "--workers", "2", "--no-ocr"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), n_files + 2, "every file once, the link too");
    let mut paths: Vec<&str> = lines.iter().map(|line| line["path"].as_str().expect("path")).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), n_files + 2);
    let outcome = |suffix: &str| {
        let line = lines.iter().find(|line| line["path"].as_str().is_some_and(|p| p.ends_with(suffix))).expect(suffix);
        (line["outcome"].as_str().expect("outcome").to_string(), line["error"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(outcome("scan.djvu"), ("failed".into(), "unsupported format image/vnd.djvu".into()));
    assert_eq!(outcome("link"), ("failed".into(), "symbolic link (not followed)".into()));
    let zip = outcome("leak_materials_2024-05.zip");
    assert_eq!(zip.0, "ok");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{} files read", n_files + 2)), "{stderr}");
}

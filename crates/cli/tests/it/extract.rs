//! `dossier extract FILE`: one file with its children, as JSON or as text.

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

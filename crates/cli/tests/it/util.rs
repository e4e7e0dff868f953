//! Running the real binary in a temporary data folder (in the manner of ripgrep's tests/util.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A folder for input files.
    pub fn input(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join("input").join(name);
        std::fs::create_dir_all(&path).expect("input dir");
        path
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command.arg("--data-dir").arg(self.data_dir()).env_remove("DOSSIER_DATA_DIR");
        command
    }

    /// Runs dossier with `args`, asserting success, and returns stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().expect("dossier runs");
        assert_success(&output, args);
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    pub fn run_json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).expect("JSON output")
    }

    pub fn ingest(&self, path: &Path, collection: &str, extra: &[&str]) -> Value {
        let mut args = vec!["ingest", path.to_str().expect("UTF-8 path"), "-c", collection, "--json"];
        args.extend(extra);
        self.run_json(&args)
    }

    /// The collection as a sorted list of comparable rows (ids and times differ between runs; content must not).
    pub fn canonical_list(&self, collection: &str) -> Vec<String> {
        let list = self.run_json(&["list", "-c", collection, "--json", "--text"]);
        let mut rows: Vec<String> = list
            .as_array()
            .expect("a list")
            .iter()
            .map(|doc| {
                format!(
                    "{} | {} | {} | {} | {} | {} | {}",
                    doc["path"],
                    doc["state"],
                    doc["format"],
                    doc["blake3"],
                    doc["reason"],
                    doc["metadata"],
                    doc["text"]
                )
            })
            .collect();
        rows.sort();
        rows
    }
}

pub fn assert_success(output: &Output, args: &[&str]) {
    assert!(
        output.status.success(),
        "dossier {args:?} failed: {}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes the bundled example leak into `dir`: real documents of every common kind, nested archives, mail.
pub fn write_demo(dir: &Path) -> usize {
    dossier_demo::write_demo_collection(dir).expect("demo collection").len()
}

//! The machine and the versions a report was measured with, read off the system and the tools themselves.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use crate::extraction::Tools;

/// The first line a command prints (stdout, else stderr), or `unknown`.
fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|out| {
            let text = if out.stdout.is_empty() { out.stderr } else { out.stdout };
            String::from_utf8_lossy(&text).lines().next().map(|line| line.trim().to_string())
        })
        .filter(|line| !line.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|line| {
                line.strip_prefix("model name").map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn memory_gib() -> f64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|line| {
                line.strip_prefix("MemTotal:").and_then(|rest| rest.trim().trim_end_matches(" kB").parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kib| kib / 1_048_576.0)
}

/// The "Machine and versions" section.
pub fn describe(tools: &Tools, elapsed: Duration, quick: bool, arguments: &str) -> String {
    let mut out = String::new();
    let python = tools.python.to_string_lossy();
    let extractous = first_line(&python, &["-c", "import importlib.metadata as m; print(m.version('extractous'))"]);
    let _ = writeln!(out, "## Machine and versions\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| date | {} |", first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]));
    let _ = writeln!(out, "| CPU | {} |", cpu_model());
    let _ = writeln!(out, "| cores | {} |", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let _ = writeln!(out, "| memory | {:.1} GiB |", memory_gib());
    let _ = writeln!(out, "| kernel | {} |", first_line("uname", &["-sr"]));
    let _ = writeln!(
        out,
        "| dossier | {} (commit {}) |",
        first_line(&tools.dossier.to_string_lossy(), &["--version"]),
        first_line("git", &["rev-parse", "--short", "HEAD"])
    );
    let _ = writeln!(out, "| rustc | {} |", first_line("rustc", &["--version"]));
    let _ = writeln!(
        out,
        "| Apache Tika | extractous {extractous} (Tika's native build), {} |",
        first_line(&python, &["--version"])
    );
    let _ = writeln!(out, "| pdftotext | {} |", first_line("pdftotext", &["-v"]));
    let _ = writeln!(out, "| SQLite (FTS5) | {} (bundled with rusqlite) |", rusqlite::version());
    let _ = writeln!(out, "| Tesseract | {} |", first_line("tesseract", &["--version"]));
    let _ = writeln!(
        out,
        "| run | `cargo xtask bench{}{arguments}`, {:.0} min in all |",
        if quick { " --quick" } else { "" },
        elapsed.as_secs_f64() / 60.0
    );
    out
}

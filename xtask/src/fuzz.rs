//! Coverage-guided fuzzing of our own parsers (`fuzz/`, its own workspace): `cargo xtask fuzz-smoke` for CI and
//! `cargo xtask fuzz TARGET` for long runs.
//!
//! The engine is libFuzzer (from the `libfuzzer-sys` crate, compiled with the system's C++ compiler), in process.
//! The toolchain is stable: instrumentation comes from rustc's stable `-C passes=sancov-module` and `-C llvm-args`
//! flags (inline 8-bit counters, PC table, comparison tracing), which is what `cargo fuzz` passes, without its
//! nightly-only sanitizers. Build scripts stay uninstrumented because the flags only apply with an explicit
//! `--target`.
//!
//! Seeds are gathered into `target/fuzz/seeds/TARGET` on every run: the crates' golden fixtures (`test_data`), the
//! third-party files of `../shared/corpus` (copied into target/, never into the repository), and inputs derived
//! from them (property-set and compressed-RTF streams out of OLE files, lsar listings and unar progress of RAR
//! files). What libFuzzer finds grows `target/fuzz/corpus/TARGET`; crashes, timeouts and out-of-memory inputs land
//! in `target/fuzz/artifacts/TARGET`.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::{root, run};

/// The instrumentation libFuzzer needs, all stable rustc flags; `--cfg fuzzing` as `cargo fuzz` sets it.
const RUSTFLAGS: &str = "--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
     -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
     -Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth";

/// Seeds larger than this are left out: they slow every execution, and their parts are covered by smaller files.
const MAX_SEED_BYTES: u64 = 256 << 10;

/// Seconds each target fuzzes in the smoke run, after its seeds.
const SMOKE_SECONDS: u32 = 10;

/// How the seeds of a target are found.
struct Target {
    name: &'static str,
    /// Files with these extensions (lower case) under `test_data` folders and the shared corpus are seeds.
    extensions: &'static [&'static str],
    derive: Derive,
    /// The longest input libFuzzer makes (`-max_len`); longer seeds are cut. Small for the charset detector, which
    /// reads every byte of its input several times over: on whole texts it ran at 47 executions a second.
    max_len: u32,
}

/// The usual `max_len`: large enough for a small document with its container, small enough to run fast.
const MAX_LEN: u32 = 64 << 10;

/// Seeds made from other files rather than copied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Derive {
    /// The files themselves.
    Copy,
    /// The `\u{5}SummaryInformation` and `\u{5}DocumentSummaryInformation` streams of OLE2 files.
    PropertySets,
    /// The PR_RTF_COMPRESSED streams of Outlook items, and the files themselves (RTF for the round trip).
    CompressedRtf,
    /// What `lsar -j` and `unar` print about RAR files (when unar is installed).
    UnarOutput,
    /// The files with a first byte in front that chooses the declared charset (cycling through the choices).
    CharsetChoice,
    /// Each line of the query crate's golden inputs that is not a `#` comment (other text files are not queries).
    QueryLines,
}

const TARGETS: &[Target] = &[
    Target { name: "rtf", extensions: &["rtf"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "doc", extensions: &["doc"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "xls", extensions: &["xls"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "ppt", extensions: &["ppt"], derive: Derive::Copy, max_len: MAX_LEN },
    Target {
        name: "ole_property_set",
        extensions: &["doc", "xls", "ppt", "wps", "msg", "msi"],
        derive: Derive::PropertySets,
        max_len: MAX_LEN,
    },
    Target { name: "msg", extensions: &["msg"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "lzfu", extensions: &["msg", "rtf"], derive: Derive::CompressedRtf, max_len: MAX_LEN },
    Target { name: "wordperfect", extensions: &["wpd", "wp", "wp5", "wp6"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "works", extensions: &["wps"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "dbf", extensions: &["dbf"], derive: Derive::Copy, max_len: MAX_LEN },
    Target { name: "rar", extensions: &["rar"], derive: Derive::UnarOutput, max_len: MAX_LEN },
    Target { name: "pkcs7", extensions: &["p7m", "p7s", "p7b", "p7c"], derive: Derive::Copy, max_len: MAX_LEN },
    Target {
        name: "charset",
        extensions: &["txt", "html", "htm", "xml", "eml", "csv"],
        derive: Derive::CharsetChoice,
        max_len: 4096,
    },
    Target { name: "query", extensions: &["txt"], derive: Derive::QueryLines, max_len: MAX_LEN },
];

/// `cargo xtask fuzz-smoke`: every target over its seeds, then [`SMOKE_SECONDS`] of fuzzing each; fails on any
/// crash, timeout or out-of-memory.
pub fn smoke() -> anyhow::Result<()> {
    let binaries = build()?;
    let mut report = Vec::new();
    let mut failed = Vec::new();
    for target in TARGETS {
        let seeds = gather_seeds(target)?;
        let outcome = fuzz(&binaries, target, &["-timeout=10".to_string()], SMOKE_SECONDS)?;
        if !outcome.passed {
            failed.push(target.name);
        }
        report.push((target.name, seeds, outcome));
    }
    print_report(&report);
    if !failed.is_empty() {
        bail!("fuzz targets failed: {} (inputs in target/fuzz/artifacts/)", failed.join(", "));
    }
    Ok(())
}

/// `cargo xtask fuzz TARGET [--seconds N] [libFuzzer flags...]`: one long run, keeping its corpus in target/.
pub fn long_run(rest: &[String]) -> anyhow::Result<()> {
    let Some((name, rest)) = rest.split_first() else {
        let names: Vec<&str> = TARGETS.iter().map(|target| target.name).collect();
        bail!("usage: cargo xtask fuzz TARGET [--seconds N] [-runs=N ...]\ntargets: {}", names.join(" "));
    };
    let target = TARGETS.iter().find(|target| target.name == name).with_context(|| format!("no fuzz target {name}"))?;
    let mut seconds = 0;
    let mut flags = Vec::new();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            seconds = args.next().context("--seconds needs a number")?.parse().context("--seconds")?;
        } else {
            flags.push(arg.clone());
        }
    }
    if !flags.iter().any(|flag| flag.starts_with("-timeout=")) {
        flags.push("-timeout=5".to_string());
    }
    let binaries = build()?;
    let seeds = gather_seeds(target)?;
    let outcome = fuzz(&binaries, target, &flags, seconds)?;
    print_report(&[(target.name, seeds, outcome)]);
    if !outcome.passed {
        bail!("{name} failed (inputs in target/fuzz/artifacts/{name})");
    }
    Ok(())
}

fn fuzz_dir() -> PathBuf {
    root().join("target/fuzz")
}

/// Builds every fuzz target with libFuzzer's instrumentation; returns the folder of the binaries.
fn build() -> anyhow::Result<PathBuf> {
    let host = host_triple()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let manifest = root().join("fuzz/Cargo.toml");
    run(Command::new(cargo)
        .args(["build", "--release", "--locked", "--manifest-path"])
        .arg(&manifest)
        .args(["--target", &host, "--target-dir"])
        .arg(fuzz_dir().join("build"))
        .env("RUSTFLAGS", RUSTFLAGS)
        .current_dir(root()))?;
    Ok(fuzz_dir().join("build").join(host).join("release"))
}

fn host_triple() -> anyhow::Result<String> {
    let out = Command::new("rustc").arg("-vV").output().context("running rustc -vV")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().find_map(|line| line.strip_prefix("host: ")).map(str::to_string).context("rustc -vV names no host")
}

/// What one libFuzzer run did.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    passed: bool,
    executions: u64,
    seconds: f64,
}

/// Runs one target over its seeds and grown corpus, then fuzzes for `seconds` (0: until `flags` say otherwise).
fn fuzz(binaries: &Path, target: &Target, flags: &[String], seconds: u32) -> anyhow::Result<Outcome> {
    let name = target.name;
    let corpus = fuzz_dir().join("corpus").join(name);
    let artifacts = fuzz_dir().join("artifacts").join(name);
    let logs = fuzz_dir().join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let log_path = logs.join(format!("{name}.log"));
    let log = std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut command = Command::new(binaries.join(name));
    command
        .arg(&corpus)
        .arg(fuzz_dir().join("seeds").join(name))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .args(["-rss_limit_mb=2048", "-print_final_stats=1"])
        .args(flags)
        .arg(format!("-max_len={}", target.max_len))
        .stdout(log.try_clone()?)
        .stderr(log);
    if seconds > 0 {
        command.arg(format!("-max_total_time={seconds}"));
    }
    eprintln!("xtask: fuzzing {name} (log: {})", log_path.display());
    let started = Instant::now();
    let status = command.status().with_context(|| format!("starting fuzz target {name}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let executions = text
        .lines()
        .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or(0);
    if !status.success() {
        eprintln!("xtask: {name} failed ({status}):");
        for line in failure_excerpt(&text) {
            eprintln!("  {line}");
        }
    }
    Ok(Outcome { passed: status.success(), executions, seconds })
}

/// The lines of a libFuzzer log that say what went wrong: the panic message or libFuzzer's error, and where the
/// input was written.
fn failure_excerpt(log: &str) -> Vec<&str> {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.contains("panicked at") || line.contains("ERROR: libFuzzer"))
        .unwrap_or(lines.len().saturating_sub(20));
    let mut excerpt: Vec<&str> =
        lines[start..].iter().take_while(|line| !line.starts_with("stack backtrace:")).take(12).copied().collect();
    excerpt.extend(lines.iter().filter(|line| line.contains("Test unit written to") || line.starts_with("Base64:")));
    excerpt
}

fn print_report(report: &[(&str, usize, Outcome)]) {
    let mut table = String::from("fuzz target        seeds  executions  seconds  outcome\n");
    for (name, seeds, outcome) in report {
        let verdict = if outcome.passed { "ok" } else { "FAILED" };
        let _ = writeln!(table, "{name:<17} {seeds:>6} {:>11} {:>8.0}  {verdict}", outcome.executions, outcome.seconds);
    }
    eprint!("{table}");
}

/// Writes the seeds of `target` into a fresh `target/fuzz/seeds/NAME`; returns how many there are.
fn gather_seeds(target: &Target) -> anyhow::Result<usize> {
    let out = fuzz_dir().join("seeds").join(target.name);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let corpus = root().parent().expect("the repository has a parent folder").join("shared/corpus");
    if !corpus.is_dir() {
        eprintln!("xtask: {} is absent: seeds come from the golden fixtures only", corpus.display());
    }
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))?
        .filter_map(|entry| Some(entry.ok()?.path().join("test_data")))
        .filter(|dir| dir.is_dir())
        .collect();
    sources.sort();
    sources.push(corpus);
    let mut files = Vec::new();
    for source in &sources {
        collect_files(source, target.extensions, &mut files);
    }
    files.sort();
    let mut seeds = Seeds { out, count: 0 };
    for (index, file) in files.iter().enumerate() {
        let Ok(bytes) = std::fs::read(file) else { continue };
        let stem = file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        match target.derive {
            Derive::Copy => seeds.add(&stem, &bytes)?,
            Derive::PropertySets => {
                for stream in ["/\u{5}SummaryInformation", "/\u{5}DocumentSummaryInformation"] {
                    if let Some(bytes) = ole_stream(file, stream) {
                        seeds.add(&format!("{stem}{}", stream.replace(['/', '\u{5}'], "-")), &bytes)?;
                    }
                }
            }
            Derive::CompressedRtf => {
                if let Some(bytes) = ole_stream(file, "/__substg1.0_10090102") {
                    seeds.add(&format!("{stem}-rtf-compressed"), &bytes)?;
                } else if file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("rtf")) {
                    seeds.add(&stem, &bytes)?;
                }
            }
            Derive::UnarOutput => {
                for (kind, output) in unar_outputs(file) {
                    seeds.add(&format!("{stem}-{kind}"), &output)?;
                }
            }
            Derive::CharsetChoice => {
                let mut seed = vec![u8::try_from(index % 16).expect("below 16")];
                seed.extend_from_slice(&bytes);
                seeds.add(&stem, &seed)?;
            }
            Derive::QueryLines => {
                if file.starts_with(root().join("crates/query")) {
                    for (number, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
                        if !line.trim().is_empty() && !line.starts_with('#') {
                            seeds.add(&format!("{stem}-{number}"), line.as_bytes())?;
                        }
                    }
                }
            }
        }
    }
    Ok(seeds.count)
}

/// A folder of seed files, numbered in the order they were found.
struct Seeds {
    out: PathBuf,
    count: usize,
}

impl Seeds {
    fn add(&mut self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let name: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') { c } else { '_' }).collect();
        let path = self.out.join(format!("{:05}-{name}", self.count));
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        self.count += 1;
        Ok(())
    }
}

/// Files under `dir` with one of `extensions` and at most [`MAX_SEED_BYTES`]; golden `.expected` files are not.
fn collect_files(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else { continue };
        if file_type.is_dir() {
            collect_files(&path, extensions, files);
            continue;
        }
        let extension = path.extension().map(|ext| ext.to_string_lossy().to_ascii_lowercase());
        let small = entry.metadata().is_ok_and(|meta| meta.len() <= MAX_SEED_BYTES);
        if file_type.is_file() && small && extension.is_some_and(|ext| extensions.contains(&ext.as_str())) {
            files.push(path);
        }
    }
}

/// One stream of an OLE2 compound file, if the file is one and has it.
fn ole_stream(path: &Path, stream: &str) -> Option<Vec<u8>> {
    let mut compound = cfb::open(path).ok()?;
    if !compound.is_stream(stream) {
        return None;
    }
    let mut bytes = Vec::new();
    compound.open_stream(stream).ok()?.take(MAX_SEED_BYTES).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// What `lsar -j` and `unar` print about `archive` (nothing when unar is not installed).
fn unar_outputs(archive: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let mut outputs = Vec::new();
    if let Ok(out) = Command::new("lsar").args(["-j", "-nr"]).arg(archive).output() {
        outputs.push(("lsar", out.stdout));
    }
    let Ok(folder) = tempfile_dir() else { return outputs };
    if let Ok(out) =
        Command::new("unar").args(["-nr", "-D", "-f", "-k", "skip", "-o"]).arg(&folder).arg(archive).output()
    {
        outputs.push(("unar", out.stdout));
    }
    let _ = std::fs::remove_dir_all(&folder);
    outputs
}

/// A fresh folder under target/fuzz for unar's output.
fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = fuzz_dir().join("unar-output");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

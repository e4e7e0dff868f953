//! The `dossier` command line.

mod entities;
mod progress;
mod versions;
mod visible;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use dossier_core::{Dossier, ExtractedNode, IngestOptions, Limits, OcrOptions, Options};
use visible::{visible, visible_text};

#[derive(Parser)]
#[command(name = "dossier", version, about = "Turns a pile of leaked files into a searchable, verified evidence base.")]
struct Cli {
    /// Where collections live (the evidence vault and the catalog).
    #[arg(long, global = true, env = "DOSSIER_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads files, folders, archives and mailboxes into a collection. Safe to re-run: finished files are skipped.
    Ingest {
        /// Files and folders to ingest.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, short, default_value = "default")]
        collection: String,
        /// Retry only the files that failed before (e.g. after installing a missing tool).
        #[arg(long)]
        retry_failed: bool,
        /// Print the final summary as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// What was read, what failed and why.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Every failed file with its reason.
    Failures {
        #[arg(long, short)]
        collection: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every document of a collection in tree order: path, format, outcome, reason.
    List {
        #[arg(long, short, default_value = "default")]
        collection: String,
        #[arg(long)]
        json: bool,
        /// Include each document's text (with --json).
        #[arg(long)]
        text: bool,
    },
    /// Reads files (and everything inside them) without a collection, like `tika`. One file: its text (or JSON);
    /// several files or folders: every file under them, read by all workers, one JSON object per line with --json.
    Extract {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Searches every ingested document (the query language is below).
    #[command(after_long_help = dossier_query::SYNTAX_HELP)]
    Search {
        /// The query, e.g. `министерство AND "еженедельный отчёт" -проект date:2023`.
        query: String,
        #[arg(long)]
        json: bool,
        /// Hits per page.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Hits to skip (for the next pages).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Every hit, best first, without paging (with --json: one JSON object per line, for export).
        #[arg(long)]
        all: bool,
        /// Order of hits.
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Match every word also in other scripts and transliteration schemes (as `translit:word` does per word).
        #[arg(long)]
        translit: bool,
        /// Only this collection.
        #[arg(long, short)]
        collection: Option<String>,
        /// Print how the query was understood, then search.
        #[arg(long)]
        explain: bool,
    },
    /// Rebuilds the search index from the catalog (after an upgrade, or if the index folder was lost).
    Reindex {
        #[arg(long)]
        json: bool,
    },
    /// Re-hashes every original in the vault and reports any mismatch or missing blob.
    VerifyVault {
        #[arg(long)]
        json: bool,
    },
    /// Serves the web interface and the REST API (/api/v1) over the data folder.
    Serve {
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Builds the bundled, fictional example collection, shows what dossier made of it, and serves it.
    Demo {
        #[command(flatten)]
        read: ReadArgs,
        /// Only build the collection; do not start the server.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Every person, organisation, place, identifier, date and amount the documents name, linked across documents,
    /// with mention and document counts; or, with --with, the documents that name two entities.
    Entities(entities::EntitiesArgs),
    /// Analyses the stored texts again (names, identifiers, dates, amounts) where the stored analysis is missing or
    /// was made by another version; no file is read again.
    Reanalyse {
        /// Only this collection.
        #[arg(long, short)]
        collection: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Documents that hold one text: the same letter as DOCX, PDF, scan and e-mail attachment, and copies with a few
    /// words changed, in groups with their similarity.
    Versions(versions::VersionsArgs),
    /// What differs between two documents' texts, word by word, including what the eye does not see: lookalike
    /// letters of another script, invisible characters, other spaces, quotes and dashes.
    Diff(versions::DiffArgs),
    /// Runs an extraction worker (started by dossier itself inside the sandbox).
    #[command(hide = true)]
    Worker,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Where to listen. The default answers only this computer; another address makes the evidence reachable by
    /// anyone who can reach that address (there are no accounts yet).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Another name browsers may use to reach the server (repeatable), e.g. this computer's DNS name in the
    /// newsroom. Requests addressed to any other name are refused, so that a web page cannot read the evidence
    /// through DNS rebinding; this computer's loopback names, addresses and host name always answer.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,
}

#[derive(clap::Args)]
struct ReadArgs {
    /// Worker processes (default: one per core, as many as the memory budget allows).
    #[arg(long)]
    workers: Option<usize>,
    /// Seconds one file may take before its worker is killed.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Memory for the whole run (dossier and its workers), in MiB: what dossier keeps for itself (128 MiB) aside,
    /// it is shared equally by the workers.
    #[arg(long, default_value_t = dossier_core::DEFAULT_MEMORY_BUDGET_MIB)]
    memory_budget: u64,
    /// Memory per worker, in MiB (default: the worker's share of --memory-budget). A worker that runs out of it
    /// reads its file once more in a cheaper mode before the file fails.
    #[arg(long)]
    memory_limit: Option<u64>,
    /// A password to try on encrypted files (repeatable).
    #[arg(long = "password")]
    passwords: Vec<String>,
    /// A file of passwords to try, one per line.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Do not recognise text in scans and images.
    #[arg(long)]
    no_ocr: bool,
    /// Tesseract languages for OCR, joined with `+`.
    #[arg(long, default_value = "rus+ukr+eng")]
    ocr_lang: String,
    /// Do not look for names, identifiers, dates and amounts in the texts (`dossier reanalyse` can do it later).
    #[arg(long)]
    no_entities: bool,
}

impl ReadArgs {
    fn sandbox(&self) -> anyhow::Result<dossier_sandbox::SandboxConfig> {
        let mut config = dossier_core::default_sandbox_config()?;
        config.timeout = Duration::from_secs(self.timeout.max(1));
        config.memory_limit_bytes = Some(match self.memory_limit {
            Some(mib) => mib.max(64) << 20,
            None => self.memory_plan().worker_limit_bytes,
        });
        Ok(config)
    }

    fn memory_plan(&self) -> dossier_core::MemoryPlan {
        dossier_core::plan_memory(self.memory_budget, dossier_core::available_cores(), self.workers)
    }

    fn options(&self) -> anyhow::Result<Options> {
        let mut passwords = self.passwords.clone();
        if let Some(path) = &self.password_file {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            passwords.extend(text.lines().filter(|line| !line.is_empty()).map(str::to_string));
        }
        let ocr = OcrOptions {
            enabled: !self.no_ocr,
            languages: self.ocr_lang.split(['+', ',']).filter(|l| !l.is_empty()).map(str::to_string).collect(),
            ..OcrOptions::default()
        };
        Ok(Options { passwords, ocr })
    }

    fn workers(&self) -> usize {
        match (self.workers, self.memory_limit) {
            (Some(workers), _) => workers,
            // An explicit per-worker limit is the user's own choice of memory: one worker per core, as before.
            (None, Some(_)) => dossier_core::available_cores(),
            (None, None) => self.memory_plan().workers,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Worker) {
        return ExitCode::from(dossier_sandbox::worker_main().clamp(0, 255) as u8);
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|cause| {
                cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", visible(&format!("{err:#}")));
            if let Some(advice) = advice(&err) {
                eprintln!("{advice}");
            }
            ExitCode::from(1)
        }
    }
}

/// What to do about an error, where dossier knows a remedy.
fn advice(err: &anyhow::Error) -> Option<&'static str> {
    let index_damaged = err.chain().any(|cause| {
        matches!(cause.downcast_ref::<dossier_core::CoreError>(), Some(dossier_core::CoreError::Index(index)) if index.is_damaged())
    });
    index_damaged.then_some(
        "The search index is damaged. `dossier reindex` (with the same --data-dir) rebuilds it from the catalog; \
         the originals and the catalog are not affected.",
    )
}

fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("dossier");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/dossier"),
        None => PathBuf::from(".dossier"),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let open = || Dossier::open(&data_dir).with_context(|| format!("opening the data folder {}", data_dir.display()));
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Worker => unreachable!("handled before"),
        Command::Ingest { paths, collection, retry_failed, json, read } => {
            let mut dossier = Dossier::create(&data_dir)
                .with_context(|| format!("opening the data folder {}", data_dir.display()))?;
            let options = IngestOptions {
                collection,
                paths,
                retry_failed,
                workers: read.workers(),
                sandbox: read.sandbox()?,
                limits: Limits::default(),
                options: read.options()?,
                analyse: !read.no_entities,
                command: command_line(),
            };
            let summary = ingest(&mut dossier, &options)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                let c = &summary.counts;
                writeln!(
                    out,
                    "{}: {} files walked ({} new), {} documents read in {:.1} s; collection now has {} documents: {} ok, {} partial, {} failed, {} pending",
                    visible(&summary.collection),
                    summary.files_walked,
                    summary.files_new,
                    summary.documents_extracted,
                    summary.seconds,
                    c.documents,
                    c.ok,
                    c.partial,
                    c.failed,
                    c.pending
                )?;
                if c.failed > 0 {
                    writeln!(out, "see `dossier failures -c {}` for the reasons", visible(&summary.collection))?;
                }
                for missing in &summary.not_looked_for {
                    writeln!(out, "not looked for: {}", visible(missing))?;
                }
                for skipped in &summary.skipped {
                    writeln!(out, "skipped {}: {}", visible(&skipped.path), visible(&skipped.reason))?;
                }
            }
        }
        Command::Status { json } => {
            let status = open()?.status()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &status)?;
                writeln!(out)?;
            } else {
                print_status(&mut out, &status)?;
            }
        }
        Command::Failures { collection, json } => {
            let failures = open()?.failures(collection.as_deref())?;
            if json {
                serde_json::to_writer_pretty(&mut out, &failures)?;
                writeln!(out)?;
            } else {
                for failure in &failures {
                    let (collection, path, detail) = (&failure.collection, &failure.path, &failure.detail);
                    writeln!(out, "{}\t{}\t{}", visible(collection), visible(path), visible(detail))?;
                }
            }
        }
        Command::List { collection, json, text } => {
            let mut dossier = open()?;
            let documents = tree_order(dossier.documents(&collection)?);
            if json {
                let mut rows = Vec::with_capacity(documents.len());
                for doc in documents {
                    let mut row = serde_json::to_value(&doc)?;
                    if text {
                        row["text"] = dossier.text(doc.id)?.unwrap_or_default().into();
                    }
                    rows.push(row);
                }
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                for doc in &documents {
                    let reason = doc.reason.as_deref().map_or(String::new(), |r| format!("\t{}", visible(r)));
                    writeln!(
                        out,
                        "{}\t{}\t{}{reason}",
                        doc.state.as_str(),
                        visible(doc.format.as_deref().unwrap_or("-")),
                        visible(&doc.path)
                    )?;
                }
            }
        }
        Command::Extract { paths, json, read } if paths.len() > 1 || paths[0].is_dir() => {
            let (sandbox, options) = (read.sandbox()?, read.options()?);
            let mut written = Ok(());
            let mut counts = std::collections::BTreeMap::<&str, u64>::new();
            let text_output = TextOutput::for_stdout();
            let n = dossier_core::extract_files(
                &paths,
                read.workers(),
                &sandbox,
                &Limits::default(),
                &options,
                !read.no_entities,
                &mut |path, node| {
                    *counts.entry(node.outcome).or_default() += 1;
                    if written.is_err() {
                        return;
                    }
                    written = if json {
                        let mut row = serde_json::to_value(&node).unwrap_or_default();
                        row["path"] = path.display().to_string().into();
                        serde_json::to_writer(&mut out, &row)
                            .map_err(anyhow::Error::from)
                            .and_then(|()| Ok(writeln!(out)?))
                    } else {
                        writeln!(
                            out,
                            "==== {} ({}, {}) ====",
                            visible(&path.display().to_string()),
                            visible(node.format.as_deref().unwrap_or("unknown")),
                            node.outcome
                        )
                        .map_err(anyhow::Error::from)
                        .and_then(|()| print_tree(&mut out, &node, "", text_output))
                    };
                },
            )?;
            written?;
            let counted: Vec<String> = counts.iter().map(|(outcome, n)| format!("{n} {outcome}")).collect();
            eprintln!("{n} files read: {}", counted.join(", "));
        }
        Command::Extract { paths, json, read } => {
            let file = &paths[0];
            let node = dossier_core::extract_file(
                file,
                &read.sandbox()?,
                &Limits::default(),
                &read.options()?,
                !read.no_entities,
            )?;
            if json {
                serde_json::to_writer_pretty(&mut out, &node)?;
                writeln!(out)?;
            } else {
                print_tree(&mut out, &node, "", TextOutput::for_stdout())?;
            }
            if node.outcome == "failed" {
                return Ok(ExitCode::from(2));
            }
        }
        Command::VerifyVault { json } => {
            let report = open()?.verify_vault()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{} blobs, {} bytes re-hashed: {} problems",
                    report.blobs_checked,
                    report.bytes_checked,
                    report.problems.len()
                )?;
                for problem in &report.problems {
                    print_vault_problem(&mut out, problem)?;
                }
            }
            if !report.problems.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Search { query, json, limit, offset, all, sort, translit, collection, explain } => {
            let options = dossier_query::ParseOptions { translit };
            let mut parsed = match dossier_query::parse(&query, &options) {
                Ok(parsed) => parsed,
                Err(err) => {
                    // The caret goes under the character the position counts, as the query is shown.
                    let before: String = query.chars().take(err.position).collect();
                    let caret = visible(&before).chars().count();
                    eprintln!("error: {}\n  {}\n  {}^", visible(&err.message), visible(&query), " ".repeat(caret));
                    return Ok(ExitCode::from(2));
                }
            };
            if let Some(collection) = collection {
                parsed = dossier_query::within_collection(parsed, &collection);
            }
            if explain {
                eprintln!("query: {}", visible(&dossier_query::describe(&parsed)));
            }
            let mut dossier = open()?;
            // A query of symbols only is the searcher's mistake, told like a syntax error (exit code 2).
            let unsearchable = |err: &anyhow::Error| {
                err.downcast_ref::<dossier_core::CoreError>().is_some_and(|err| {
                    matches!(err, dossier_core::CoreError::Index(dossier_core::IndexError::NoSearchableWord))
                })
            };
            if all {
                if let Err(err) = search_all(&mut dossier, &parsed, json, &mut out) {
                    if unsearchable(&err) {
                        eprintln!("error: {err:#}\n  {}", visible(&query));
                        return Ok(ExitCode::from(2));
                    }
                    return Err(err);
                }
            } else {
                let sort = match sort {
                    SortArg::Relevance => dossier_core::Sort::Relevance,
                    SortArg::Newest => dossier_core::Sort::Newest,
                    SortArg::Oldest => dossier_core::Sort::Oldest,
                };
                let request =
                    dossier_core::SearchRequest { query: parsed, limit, offset, sort, snippets: 3, facets: true };
                let results = match dossier.search(&request).map_err(anyhow::Error::from) {
                    Err(err) if unsearchable(&err) => {
                        eprintln!("error: {err:#}\n  {}", visible(&query));
                        return Ok(ExitCode::from(2));
                    }
                    other => other?,
                };
                if json {
                    serde_json::to_writer_pretty(&mut out, &search_json(&results))?;
                    writeln!(out)?;
                } else {
                    print_results(&mut out, &results)?;
                }
            }
        }
        Command::Reindex { json } => {
            let sync = open()?.reindex()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &sync)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{} documents indexed in {:.1} s", sync.documents_indexed, sync.seconds)?;
            }
        }
        Command::Entities(args) => return entities::run(&mut open()?, &args, &mut out),
        Command::Versions(args) => return versions::run_versions(&mut open()?, &args, &mut out),
        Command::Diff(args) => return versions::run_diff(&mut open()?, &args, &mut out),
        Command::Reanalyse { collection, json, read } => {
            let summary =
                open()?.reanalyse(collection.as_deref(), &read.sandbox()?, read.workers(), &mut |done, total| {
                    if done % 500 == 0 || done == total {
                        eprint!("\ranalysed {done} of {total}");
                    }
                })?;
            eprintln!();
            if json {
                serde_json::to_writer_pretty(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                entities::print_reanalyse(&summary, &mut out)?;
            }
        }
        Command::Serve { serve: args } => {
            drop(out);
            serve(&data_dir, &args, None)?;
        }
        Command::Demo { read, no_serve, serve: args } => {
            demo(&data_dir, &read, &mut out)?;
            if !no_serve {
                drop(out);
                serve(&data_dir, &args, Some("/collections/demo"))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON of a page of results: facets as an object of name → values. Serialized directly (not through
/// `serde_json::Value`, which would print scores as noisy `f64`s), so it is byte for byte what the API answers.
#[derive(serde::Serialize)]
struct SearchJson<'a> {
    total: u64,
    offset: usize,
    hits: &'a [dossier_core::Hit],
    facets: std::collections::BTreeMap<&'a str, &'a [dossier_core::FacetValue]>,
}

fn search_json(results: &dossier_core::SearchResults) -> SearchJson<'_> {
    SearchJson {
        total: results.total,
        offset: results.offset,
        hits: &results.hits,
        facets: results.facets.iter().map(|(name, values)| (name.as_str(), values.as_slice())).collect(),
    }
}

fn print_results(out: &mut dyn Write, results: &dossier_core::SearchResults) -> anyhow::Result<()> {
    let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (open, close) = if bold { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    let shown = results.hits.len();
    if shown == 0 {
        writeln!(out, "{} hits", results.total)?;
    } else {
        writeln!(out, "{} hits, showing {}-{}", results.total, results.offset + 1, results.offset + shown)?;
    }
    for (n, hit) in results.hits.iter().enumerate() {
        let details: Vec<&str> =
            [hit.format.as_deref(), hit.lang.as_deref(), hit.date.as_deref()].into_iter().flatten().collect();
        let (title, details) = (visible(&hit.title), visible(&details.join(", ")).into_owned());
        writeln!(out, "\n{}. {open}{title}{close}  [{details}]", results.offset + n + 1)?;
        writeln!(out, "   {}  (id {}, {})", visible(&hit.path), hit.id, visible(&hit.collection))?;
        for snippet in &hit.snippets {
            writeln!(out, "   {}", marked_visibly(snippet, open, close))?;
        }
    }
    for (name, values) in &results.facets {
        if values.is_empty() {
            continue;
        }
        let listed: Vec<String> = values.iter().take(8).map(|v| format!("{} {}", visible(&v.value), v.count)).collect();
        writeln!(out, "{}{name}: {}", if name == "type" { "\n" } else { "" }, listed.join(", "))?;
    }
    Ok(())
}

/// A snippet for a terminal: its text shown [`visible`], the matched words between `open` and `close`.
fn marked_visibly(snippet: &dossier_core::Snippet, open: &str, close: &str) -> String {
    let chars: Vec<(usize, char)> = snippet.text.char_indices().collect();
    let byte_at = |char_index: usize| chars.get(char_index).map_or(snippet.text.len(), |&(byte, _)| byte);
    let mut out = String::with_capacity(snippet.text.len() + 16);
    let mut at = 0;
    for &[start, end] in &snippet.highlights {
        if start < at || end < start {
            continue;
        }
        out.push_str(&visible(&snippet.text[byte_at(at)..byte_at(start)]));
        out.push_str(open);
        out.push_str(&visible(&snippet.text[byte_at(start)..byte_at(end)]));
        out.push_str(close);
        at = end;
    }
    out.push_str(&visible(&snippet.text[byte_at(at)..]));
    out
}

/// Streams every hit: JSON Lines with --json, else one `id<TAB>path<TAB>title` line per hit.
fn search_all(
    dossier: &mut Dossier,
    query: &dossier_query::Query,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // A write error (a closed pipe, say) stops the stream; the caller treats a broken pipe as success.
    dossier.for_each_hit(query, if json { 1 } else { 0 }, &mut |hit| {
        let written = if json {
            serde_json::to_writer(&mut *out, &hit).map_err(std::io::Error::from).and_then(|()| writeln!(out))
        } else {
            writeln!(out, "{}\t{}\t{}", hit.id, visible(&hit.path), visible(&hit.title))
        };
        written.map_err(|source| dossier_core::CoreError::Io { path: PathBuf::from("<stdout>"), source })
    })?;
    Ok(())
}

fn ingest(dossier: &mut Dossier, options: &IngestOptions) -> anyhow::Result<dossier_core::IngestSummary> {
    let mut reporter = progress::Reporter::new();
    let summary = dossier.ingest(options, &mut |event| reporter.event(event));
    reporter.finish();
    Ok(summary?)
}

/// A vault problem for a person: what is wrong with which blob, where it is, and which documents it is the original of.
fn print_vault_problem(out: &mut dyn Write, problem: &dossier_core::VaultProblem) -> anyhow::Result<()> {
    let what = match &problem.problem {
        dossier_core::Problem::Missing { blake3 } => format!("missing: {blake3}"),
        dossier_core::Problem::Mismatch { blake3, found_blake3, found_size, .. } => {
            format!("damaged: {blake3} now holds {found_size} bytes hashing to {found_blake3}")
        }
        dossier_core::Problem::Unreadable { blake3, error } => format!("unreadable: {blake3}: {}", visible(error)),
    };
    writeln!(out, "{what}\n  vault file: {}", visible(&problem.vault_path.display().to_string()))?;
    for doc in &problem.documents {
        writeln!(out, "  original of document {} in {}: {}", doc.id, visible(&doc.collection), visible(&doc.path))?;
    }
    Ok(())
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

fn print_status(out: &mut dyn Write, status: &dossier_core::Status) -> anyhow::Result<()> {
    let row = |out: &mut dyn Write, name: &str, c: &dossier_core::Counts| {
        writeln!(out, "{name:<24} {:>9} {:>9} {:>9} {:>9} {:>9}", c.documents, c.ok, c.partial, c.failed, c.pending)
    };
    writeln!(
        out,
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "collection", "documents", "ok", "partial", "failed", "pending"
    )?;
    for collection in &status.collections {
        row(out, &visible(&collection.name), &collection.counts)?;
    }
    row(out, "total", &status.totals)?;
    if !status.failure_reasons.is_empty() {
        writeln!(out, "\nfailure reasons:")?;
        for reason in &status.failure_reasons {
            writeln!(out, "{:>9}  {}", reason.count, visible(&reason.reason))?;
        }
    }
    Ok(())
}

/// How `extract` writes a document's text: exact to a pipe or a file (it is the evidence's content), with control
/// characters shown as escapes to a terminal (a hostile text must not drive it; see `visible`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextOutput {
    Exact,
    Terminal,
}

impl TextOutput {
    fn for_stdout() -> TextOutput {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) { TextOutput::Terminal } else { TextOutput::Exact }
    }
}

/// Prints a file's text, then each child's after a header line naming it.
fn print_tree(out: &mut dyn Write, node: &ExtractedNode, parent_path: &str, text: TextOutput) -> anyhow::Result<()> {
    let path = if parent_path.is_empty() { node.name.clone() } else { format!("{parent_path}!/{}", node.name) };
    if !parent_path.is_empty() {
        let format = node.format.as_deref().unwrap_or("unknown");
        writeln!(out, "\n==== {} ({}, {}) ====", visible(&path), visible(format), node.outcome)?;
    }
    if let Some(error) = &node.error {
        writeln!(out, "[{}]", visible(error))?;
    }
    match text {
        TextOutput::Exact => out.write_all(node.text.as_bytes())?,
        TextOutput::Terminal => out.write_all(visible_text(&node.text).as_bytes())?,
    }
    if !node.text.is_empty() && !node.text.ends_with('\n') {
        writeln!(out)?;
    }
    for child in &node.children {
        print_tree(out, child, &path, text)?;
    }
    Ok(())
}

/// Orders documents so that each parent is followed by its children (depth first), as a file manager shows them.
fn tree_order(documents: Vec<dossier_core::DocRecord>) -> Vec<dossier_core::DocRecord> {
    let mut children: std::collections::HashMap<Option<i64>, Vec<dossier_core::DocRecord>> = Default::default();
    for doc in documents {
        children.entry(doc.parent_id).or_default().push(doc);
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<dossier_core::DocRecord> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(doc) = stack.pop() {
        if let Some(mut kids) = children.remove(&Some(doc.id)) {
            kids.reverse();
            stack.extend(kids);
        }
        ordered.push(doc);
    }
    ordered
}

fn demo(data_dir: &Path, read: &ReadArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let source = data_dir.join("demo-source");
    let _ = std::fs::remove_dir_all(&source);
    let files = dossier_demo::write_demo_collection(&source).context("writing the example collection")?;
    writeln!(out, "Example leak (fictional): {} files written to {}", files.len(), source.display())?;
    let mut dossier = Dossier::create(data_dir).with_context(|| format!("opening {}", data_dir.display()))?;

    let options = IngestOptions {
        collection: "demo".to_string(),
        paths: vec![source],
        retry_failed: false,
        workers: read.workers(),
        sandbox: read.sandbox()?,
        limits: Limits::default(),
        options: read.options()?,
        analyse: !read.no_entities,
        command: command_line(),
    };
    let summary = ingest(&mut dossier, &options)?;
    if options.analyse {
        // A data folder made by an older dossier holds the demo's documents without their names (or with an older
        // analysis): they are found again from the stored texts, as `dossier reanalyse -c demo` would.
        let again = dossier.reanalyse(Some("demo"), &options.sandbox, options.workers, &mut |_, _| {})?;
        if again.documents_analysed > 0 {
            writeln!(out, "{} documents analysed again with {}", again.documents_analysed, again.version)?;
        }
    }
    writeln!(out, "\nCollection \"demo\" in {}:", data_dir.display())?;
    for doc in tree_order(dossier.documents("demo")?) {
        let indent = "  ".repeat(doc.depth as usize + 1);
        let name = if doc.depth == 0 {
            Path::new(&doc.path)
                .strip_prefix(data_dir.join("demo-source"))
                .map_or(doc.path.clone(), |p| p.display().to_string())
        } else {
            doc.name.clone()
        };
        let title =
            doc.metadata.get("subject").or_else(|| doc.metadata.get("title")).and_then(|v| v.as_str()).unwrap_or("");
        writeln!(
            out,
            "{indent}{}  [{} {}]{}",
            visible(&name),
            doc.format.as_deref().unwrap_or("?"),
            doc.state.as_str(),
            if title.is_empty() { String::new() } else { format!("  \u{ab}{}\u{bb}", visible(title)) }
        )?;
    }
    let c = &summary.counts;
    writeln!(
        out,
        "\n{} documents: {} ok, {} partial, {} failed. Try: dossier status; dossier extract {}/letters/... --json",
        c.documents,
        c.ok,
        c.partial,
        c.failed,
        data_dir.join("demo-source").display()
    )?;
    writeln!(
        out,
        "Search it: dossier search 'министерство' ; dossier search '\"еженедельный отчёт\"' --json ; dossier search --help"
    )?;
    Ok(())
}

/// Serves the data folder until Ctrl-C. `start_page` is printed after the address.
fn serve(data_dir: &Path, args: &ServeArgs, start_page: Option<&str>) -> anyhow::Result<()> {
    let config = dossier_server::ServerConfig {
        data_dir: data_dir.to_path_buf(),
        addr: args.addr,
        allowed_hosts: args.allow_hosts.clone(),
        handles: 4,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async {
        let app = dossier_server::router(&config)
            .with_context(|| format!("opening the data folder {}", data_dir.display()))?;
        let listener = tokio::net::TcpListener::bind(config.addr).await.with_context(|| {
            format!("listening on {} (is another dossier running? try --addr 127.0.0.1:0)", config.addr)
        })?;
        let addr = listener.local_addr().context("reading the bound address")?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "WARNING: dossier is listening on {addr}, which is not loopback: anyone who can reach this address can \
                 read every document in {}. There are no accounts yet. Use the default 127.0.0.1 unless you mean it. \
                 Only requests addressed to this computer's addresses and host name are answered; add other names \
                 with --allow-host NAME.",
                data_dir.display()
            );
        }
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        let host = if addr.is_ipv6() && !addr.ip().is_unspecified() { format!("[{host}]") } else { host };
        println!(
            "dossier is serving {} at http://{host}:{}{}",
            data_dir.display(),
            addr.port(),
            start_page.unwrap_or("/")
        );
        println!("Press Ctrl-C to stop.");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        dossier_server::serve(listener, app, shutdown).await.context("serving")
    })
}

//! `dossier versions` and `dossier diff`.

use std::io::Write;
use std::process::ExitCode;

use dossier_core::{Diff, Dossier, Hidden, HiddenKind, OpKind};

use crate::visible::{visible, visible_text};

#[derive(clap::Args)]
pub struct VersionsArgs {
    /// Only this collection.
    #[arg(long, short)]
    collection: Option<String>,
    /// One JSON object: {"clusters": [{"members": [{"id", "path", "format"}], "pairs": [...], "identical"}], ...}.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The first document's id (the text the changes are made to).
    a: i64,
    /// The second document's id.
    b: i64,
    /// Every operation with its spans (chars into each text) and the hidden differences with each character's code
    /// point, name and script.
    #[arg(long)]
    json: bool,
    /// The whole text, not only the changes with some context.
    #[arg(long, conflicts_with = "json")]
    full: bool,
}

pub fn run_versions(dossier: &mut Dossier, args: &VersionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let versions = dossier.versions(args.collection.as_deref())?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &*versions)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (n, cluster) in versions.clusters.iter().enumerate() {
        let least = cluster.pairs.iter().map(|pair| pair.similarity).fold(f32::INFINITY, f32::min);
        let what = if cluster.identical {
            "the same words (`dossier diff` shows any hidden difference)".to_string()
        } else {
            format!("similarity from {least:.2}")
        };
        writeln!(out, "versions {}: {} documents, {what}", n + 1, cluster.members.len())?;
        for member in &cluster.members {
            let format = member.format.as_deref().unwrap_or("?");
            writeln!(out, "  {}\t{format}\t{}", member.id, visible(&member.path))?;
        }
    }
    let stats = &versions.stats;
    out.flush()?;
    eprintln!(
        "{} groups of versions among {} documents with text ({} distinct texts); `dossier diff A B` shows what differs",
        versions.clusters.len(),
        stats.documents,
        stats.distinct_texts
    );
    if versions.without_fingerprint > 0 {
        eprintln!(
            "{} documents were read by an older dossier and have no fingerprint: `dossier reanalyse` makes them",
            versions.without_fingerprint
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_diff(dossier: &mut Dossier, args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    for id in [args.a, args.b] {
        if dossier.document(id)?.is_none() {
            anyhow::bail!("no document {id}");
        }
    }
    let Some(diff) = dossier.diff(args.a, args.b)? else {
        anyhow::bail!("document {} or {} has no text to compare", args.a, args.b);
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &diff)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text_a: Vec<char> = dossier.text(args.a)?.unwrap_or_default().chars().collect();
    print_diff(&diff, &text_a, args.full, out)?;
    Ok(ExitCode::SUCCESS)
}

/// Unchanged text longer than this many chars is cut to its ends (unless --full).
const CONTEXT_CHARS: usize = 80;

/// The diff as text: `[-deleted-]`, `{+inserted+}`, `[-old-]{+new+}` for a change, a moved block numbered, and each
/// hidden difference spelled out after the words it is in, e.g. `⟦homoglyph: o U+006F LATIN … / о U+043E …⟧`.
fn print_diff(diff: &Diff, text_a: &[char], full: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if diff.ops.iter().all(|op| op.kind == OpKind::Equal && op.hidden.is_empty() && op.a_text.is_none()) {
        return writeln!(out, "The two texts are identical, character for character ({} words).", diff.summary.words_a);
    }
    let mut line = String::new();
    let slice = |start: usize, end: usize| -> String {
        text_a[start.min(text_a.len())..end.min(text_a.len())].iter().collect()
    };
    let last = diff.ops.len().saturating_sub(1);
    for (n, op) in diff.ops.iter().enumerate() {
        let a_text = op.a_text.clone().unwrap_or_else(|| slice(op.a.start, op.a.end));
        let moved = op.moved.map(|m| format!("(moved {m})")).unwrap_or_default();
        match op.kind {
            OpKind::Equal if op.hidden.is_empty() => line.push_str(&shorten(&a_text, full, n == 0, n == last)),
            OpKind::Equal => {
                line.push_str(&a_text);
                for hidden in &op.hidden {
                    line.push_str(&describe(hidden));
                }
            }
            OpKind::Deleted => line.push_str(&format!("[-{a_text}-]{moved}")),
            OpKind::Inserted => line.push_str(&format!("{{+{}+}}{moved}", op.b_text.as_deref().unwrap_or(""))),
            OpKind::Changed => {
                line.push_str(&format!("[-{a_text}-]{{+{}+}}", op.b_text.as_deref().unwrap_or("")));
            }
        }
    }
    writeln!(out, "{}", visible_text(&line))?;
    let s = &diff.summary;
    writeln!(
        out,
        "\n{} words against {}: {} changed, {} deleted, {} inserted ({} moved); hidden: {} lookalike letters, {} \
         invisible characters, {} spacing, {} punctuation, {} other encodings{}",
        s.words_a,
        s.words_b,
        s.changed_words_a,
        s.deleted_words,
        s.inserted_words,
        s.moved_words,
        s.homoglyphs,
        s.invisible,
        s.whitespace,
        s.punctuation,
        s.variants,
        if diff.approximate { " (approximate: the texts are long and share little)" } else { "" }
    )
}

/// Unchanged text cut to its ends when long: the end before a change and the start after one.
fn shorten(text: &str, full: bool, first: bool, last: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    if full || chars.len() <= 2 * CONTEXT_CHARS {
        return text.to_string();
    }
    let head: String = if first { String::new() } else { chars[..CONTEXT_CHARS].iter().collect() };
    let tail: String = if last { String::new() } else { chars[chars.len() - CONTEXT_CHARS..].iter().collect() };
    format!("{head} … {tail}")
}

fn describe(hidden: &Hidden) -> String {
    let kind = match hidden.kind {
        HiddenKind::Homoglyph => "lookalike letter",
        HiddenKind::Invisible => "invisible character",
        HiddenKind::Whitespace => "spacing",
        HiddenKind::Punctuation => "punctuation",
        HiddenKind::Variant => "other encoding",
    };
    let side = |chars: &[dossier_core::CharInfo]| -> String {
        if chars.is_empty() {
            return "nothing".to_string();
        }
        chars
            .iter()
            .map(|c| format!("{} {}", c.code, c.name.unwrap_or("")).trim_end().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    format!("⟦{kind}: {} / {}⟧", side(&hidden.a_chars), side(&hidden.b_chars))
}

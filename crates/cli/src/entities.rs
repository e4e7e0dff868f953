//! `dossier entities` and the summary of `dossier reanalyse`.

use std::io::Write;
use std::process::ExitCode;

use dossier_core::{Dossier, ReanalyseSummary};

use crate::visible::visible;

#[derive(clap::Args)]
pub struct EntitiesArgs {
    /// Only this collection.
    #[arg(long, short)]
    collection: Option<String>,
    /// Only this kind: person, organization, location, inn, ogrn, kpp, snils, edrpou, rnokpp, iban, card, phone,
    /// email, url, document_number, vehicle_plate, passport, date, amount...
    #[arg(long)]
    kind: Option<String>,
    /// The documents that name both entities, each given as KIND:ID (the first two columns of the listing).
    #[arg(long, num_args = 2, value_names = ["KIND:ID", "KIND:ID"])]
    both: Vec<String>,
    /// One JSON array.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// CSV (RFC 4180) with a header row.
    #[arg(long, conflicts_with = "ftm")]
    csv: bool,
    /// FollowTheMoney entities, one JSON object per line (Person, Organization, Address, Document, Mention), as
    /// Aleph and OpenAleph import them.
    #[arg(long, conflicts_with = "json")]
    ftm: bool,
}

pub fn run(dossier: &mut Dossier, args: &EntitiesArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let collection = args.collection.as_deref();
    if let [a, b] = args.both.as_slice() {
        let (a, b) = (kind_and_id(a)?, kind_and_id(b)?);
        let Some(docs) = dossier.cooccurrence(collection, a, b)? else {
            anyhow::bail!("no such entity: run `dossier entities` to see their kinds and ids");
        };
        let mut rows = Vec::new();
        for id in docs {
            if let Some(doc) = dossier.document(id)? {
                rows.push(doc);
            }
        }
        if args.json {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        } else {
            for doc in &rows {
                writeln!(out, "{}\t{}", doc.id, visible(&doc.path))?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.ftm {
        let written = dossier.export_ftm(collection, out)?;
        eprintln!("{written} FollowTheMoney entities written");
        return Ok(ExitCode::SUCCESS);
    }
    let entities = dossier.entities(collection, args.kind.as_deref())?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &entities)?;
        writeln!(out)?;
    } else if args.csv {
        out.write_all(dossier_server::entities_csv(&entities).as_bytes())?;
    } else {
        writeln!(out, "mentions\tdocuments\tkind\tid\tname")?;
        for entity in &entities {
            let check = match entity.checksum.as_deref() {
                Some("invalid") => "\t[checksum invalid]",
                _ => "",
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}{check}",
                entity.mentions,
                entity.documents,
                entity.kind,
                visible(&entity.id),
                visible(&entity.name)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn kind_and_id(arg: &str) -> anyhow::Result<(&str, &str)> {
    arg.split_once(':').ok_or_else(|| anyhow::anyhow!("{arg:?} is not KIND:ID (e.g. person:{})", "соколов-ветров"))
}

pub fn print_reanalyse(summary: &ReanalyseSummary, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} documents analysed ({} mentions) with {}; {} indexed",
        summary.documents_analysed, summary.mentions, summary.version, summary.documents_indexed
    )?;
    for missing in &summary.missing {
        writeln!(out, "not looked for: {}", visible(missing))?;
    }
    for (doc, reason) in &summary.failures {
        writeln!(out, "document {doc}: {}", visible(reason))?;
    }
    Ok(())
}

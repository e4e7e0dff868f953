//! vCard 2.1, 3.0 and 4.0 address books: each card becomes a block of labelled lines (name, organisation, title,
//! phones, e-mails, addresses, note), blocks separated by blank lines. vCard 2.1 values in quoted-printable with a
//! `CHARSET=windows-1251` parameter (what old phones and Outlook export) are decoded per property.

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

use crate::contentline::{self, Property};

/// Reads a vCard file (one or many cards).
pub fn read_vcf(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let charset = contentline::file_charset(&bytes);
    let lines = contentline::unfold(&bytes);
    drop(bytes);
    let mut extraction = Extraction::default();
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    let mut card: Option<Vec<Property>> = None;
    let mut cards = 0usize;
    let mut outside = 0usize;
    for line in &lines {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(property) = contentline::parse(line) else {
            outside += 1;
            continue;
        };
        let value_upper = || String::from_utf8_lossy(&property.raw).trim().to_ascii_uppercase();
        match property.name.as_str() {
            "BEGIN" if value_upper() == "VCARD" => {
                if let Some(unfinished) = card.take() {
                    extraction.diagnostics.push(format!("card {} has no END:VCARD", cards + 1));
                    cards += 1;
                    write_card(&mut text, &unfinished, charset);
                }
                card = Some(Vec::new());
            }
            "END" if value_upper() == "VCARD" => {
                if let Some(finished) = card.take() {
                    cards += 1;
                    write_card(&mut text, &finished, charset);
                }
            }
            _ => match &mut card {
                Some(properties) if properties.len() < 10_000 && !property.is_binary() => properties.push(property),
                Some(_) => {}
                None => outside += 1,
            },
        }
        if text.is_full() {
            break;
        }
    }
    if let Some(unfinished) = card.take() {
        extraction.diagnostics.push(format!("card {} has no END:VCARD (file truncated?)", cards + 1));
        cards += 1;
        write_card(&mut text, &unfinished, charset);
    }
    if cards == 0 {
        return Err(ExtractError::malformed("vcf", "no BEGIN:VCARD"));
    }
    if outside > 0 {
        extraction.diagnostics.push(format!("{outside} lines outside any card were skipped"));
    }
    extraction.metadata.set("cards", cards.to_string());
    if charset != encoding_rs::UTF_8 {
        extraction.metadata.set("charset", charset.name());
    }
    let (text, cut) = text.finish();
    extraction.text = text;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

fn write_card(text: &mut TextBuilder, properties: &[Property], charset: &'static encoding_rs::Encoding) {
    text.end_paragraph();
    let value = |property: &Property| property.text(charset);
    let mut wrote_name = false;
    for property in properties.iter().filter(|p| p.name == "FN") {
        line(text, "Name", &contentline::unescape(&value(property)));
        wrote_name = true;
    }
    for property in properties.iter().filter(|p| p.name == "N") {
        // N is family;given;additional;prefix;suffix: written in reading order.
        let parts = contentline::components(&value(property));
        let order = [3, 1, 2, 0, 4];
        let full: Vec<&str> =
            order.iter().filter_map(|&index| parts.get(index)).map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        let label = if wrote_name { "Full name" } else { "Name" };
        line(text, label, &full.join(" "));
    }
    for (name, label) in [("NICKNAME", "Nickname"), ("ORG", "Organization"), ("TITLE", "Title"), ("ROLE", "Role")] {
        for property in properties.iter().filter(|p| p.name == name) {
            let parts = contentline::components(&value(property));
            let parts: Vec<&str> = parts.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
            line(text, label, &parts.join(", "));
        }
    }
    for (name, label) in [("TEL", "Phone"), ("EMAIL", "Email"), ("ADR", "Address"), ("LABEL", "Address label")] {
        for property in properties.iter().filter(|p| p.name == name) {
            let types = property.types();
            let label = if types.is_empty() { label.to_string() } else { format!("{label} ({})", types.join(", ")) };
            let raw = value(property);
            let rendered = if name == "ADR" {
                let parts = contentline::components(&raw);
                parts.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
            } else {
                let unescaped = contentline::unescape(&raw);
                let trimmed = unescaped.trim();
                trimmed.strip_prefix("tel:").or_else(|| trimmed.strip_prefix("mailto:")).unwrap_or(trimmed).to_string()
            };
            line(text, &label, &rendered);
        }
    }
    for (name, label) in [("BDAY", "Birthday"), ("ANNIVERSARY", "Anniversary"), ("URL", "URL"), ("NOTE", "Note")] {
        for property in properties.iter().filter(|p| p.name == name) {
            line(text, label, &contentline::unescape(&value(property)));
        }
    }
}

fn line(text: &mut TextBuilder, label: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    text.push(label);
    text.push(": ");
    text.push(value);
    text.push("\n");
}

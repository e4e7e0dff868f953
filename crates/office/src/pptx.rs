//! PPTX (and PPTM): slides in presentation order, each with its speaker notes and comments.

use std::collections::HashMap;

use dossier_document::{Context, ExtractError, Extraction, Source};

use crate::output::{Document, Lines, alt_text};
use crate::package::{Package, Relationship};
use crate::xml::{self, XmlEvent};
use crate::{main_part, ooxml_meta};

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let package = Package::open(src, ctx, "pptx")?;
    read_package(package, ctx)
}

/// Reads an opened package (from a file, or decrypted in memory).
pub(crate) fn read_package(mut package: Package, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let main = main_part(&mut package, "officeDocument", "ppt/presentation.xml")?;
    let presentation_xml = package.read_main(&main)?;
    let mut slide_ids = Vec::new();
    let result = xml::walk(&presentation_xml, |event| {
        if let XmlEvent::Start(tag) = event
            && tag.local() == b"sldId"
            && let Some(id) = tag.attr("id")
        {
            slide_ids.push(id);
        }
    });
    drop(presentation_xml);
    if let Err(err) = result {
        package.diagnostics.push(format!("{main}: {err}"));
    }
    let relationships = package.relationships(&main)?;
    let slides = slide_parts(&package, &relationships, &slide_ids);
    let authors = comment_authors(&mut package, &relationships)?;

    let mut document = Document::new(ctx.limits.max_text_bytes);
    ooxml_meta::read(&mut package, &mut document.metadata)?;
    for (number, slide) in slides.iter().enumerate() {
        let mut text = String::new();
        if number > 0 {
            text.push('\u{c}');
        }
        text.push_str(&format!("Slide {}", number + 1));
        let Some(xml) = package.read_secondary(slide)? else {
            package.diagnostics.push(format!("slide {} ({slide}) missing", number + 1));
            document.section(None, &text);
            continue;
        };
        let slide_text = drawing_text(&mut package, slide, &xml, false);
        drop(xml);
        if !slide_text.is_empty() {
            text.push('\n');
            text.push_str(&slide_text);
        }
        document.section(None, &text);

        let slide_relationships = package.relationships(slide)?;
        for rel in &slide_relationships {
            if rel.external {
                continue;
            }
            match rel.kind.as_str() {
                "notesSlide" => {
                    if let Some(xml) = package.read_secondary(&rel.target)? {
                        let notes = drawing_text(&mut package, &rel.target, &xml, true);
                        document.section(Some("[Notes]"), &notes);
                    }
                }
                "comments" => {
                    if let Some(xml) = package.read_secondary(&rel.target)? {
                        let comments = slide_comments(&mut package, &rel.target, &xml, &authors);
                        document.section(Some("[Comments]"), &comments);
                    }
                }
                _ => {}
            }
        }
        if document.is_full() {
            break;
        }
    }
    package.emit_children(ctx, |name| name.starts_with("ppt/embeddings/"))?;
    Ok(document.finish(package.diagnostics))
}

/// The slide parts in presentation order: through `p:sldIdLst`, else every slide relationship, else the
/// conventional names in numeric order.
fn slide_parts(package: &Package, relationships: &[Relationship], slide_ids: &[String]) -> Vec<String> {
    let by_id: HashMap<&str, &str> =
        relationships.iter().filter(|rel| !rel.external).map(|rel| (rel.id.as_str(), rel.target.as_str())).collect();
    let ordered: Vec<String> =
        slide_ids.iter().filter_map(|id| by_id.get(id.as_str()).map(|target| target.to_string())).collect();
    if !ordered.is_empty() {
        return ordered;
    }
    let related: Vec<String> =
        relationships.iter().filter(|rel| !rel.external && rel.kind == "slide").map(|rel| rel.target.clone()).collect();
    if !related.is_empty() {
        return related;
    }
    let mut named: Vec<(u64, String)> = package
        .names()
        .iter()
        .filter_map(|name| {
            let number = name.to_lowercase().strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?.parse().ok()?;
            Some((number, name.clone()))
        })
        .collect();
    named.sort();
    named.into_iter().map(|(_, name)| name).collect()
}

/// The text of a slide or notes slide: paragraphs on their own lines, table cells separated by tabs. In notes,
/// fields (the slide number) are left out.
pub(crate) fn drawing_text(package: &mut Package, part: &str, xml: &str, notes: bool) -> String {
    let mut lines = Lines::default();
    let mut skip_depth = 0usize;
    let mut in_text = false;
    let mut cell_start = 0usize;
    let result = xml::walk(xml, |event| {
        if skip_depth > 0 {
            match event {
                XmlEvent::Start(_) => skip_depth += 1,
                XmlEvent::End(_) => skip_depth -= 1,
                XmlEvent::Text(_) => {}
            }
            return;
        }
        match event {
            XmlEvent::Start(tag) => match tag.local() {
                b"Fallback" => skip_depth = 1,
                b"fld" if notes => skip_depth = 1,
                b"t" => in_text = true,
                b"br" => lines.push_char('\n'),
                b"tc" => cell_start = lines.len(),
                // A shape's or picture's alt text; its `name` ("Picture 3") is generated, not written by anyone.
                b"cNvPr" => {
                    if let Some(alt) = alt_text(tag.attr("title").as_deref(), tag.attr("descr").as_deref()) {
                        lines.end_line();
                        lines.push(&alt);
                        lines.end_line();
                    }
                }
                _ => {}
            },
            XmlEvent::Text(text) if in_text => lines.push(text),
            XmlEvent::Text(_) => {}
            XmlEvent::End(name) => match name {
                b"t" => in_text = false,
                b"p" | b"tr" => lines.end_line(),
                b"tc" => lines.end_cell(cell_start),
                _ => {}
            },
        }
    });
    if let Err(err) = result {
        package.diagnostics.push(format!("{part}: {err}"));
    }
    lines.finish()
}

/// Comment authors by id, from the legacy (`commentAuthors.xml`) and modern (`authors.xml`) parts.
fn comment_authors(
    package: &mut Package,
    relationships: &[Relationship],
) -> Result<HashMap<String, String>, ExtractError> {
    let mut authors = HashMap::new();
    for rel in
        relationships.iter().filter(|rel| !rel.external && matches!(rel.kind.as_str(), "commentAuthors" | "authors"))
    {
        let Some(xml) = package.read_secondary(&rel.target)? else {
            continue;
        };
        let result = xml::walk(&xml, |event| {
            if let XmlEvent::Start(tag) = event
                && matches!(tag.local(), b"cmAuthor" | b"author")
                && let (Some(id), Some(name)) = (tag.attr("id"), tag.attr("name"))
            {
                authors.insert(id, name);
            }
        });
        if let Err(err) = result {
            package.diagnostics.push(format!("{}: {err}", rel.target));
        }
    }
    Ok(authors)
}

/// A slide's comments, one per line: "author: text".
fn slide_comments(package: &mut Package, part: &str, xml: &str, authors: &HashMap<String, String>) -> String {
    let mut comments: Vec<(String, String)> = Vec::new();
    let mut in_text = false;
    let mut depth_in_comment = 0usize;
    let result = xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => {
            if depth_in_comment > 0 {
                depth_in_comment += 1;
            }
            match tag.local() {
                b"cm" => {
                    depth_in_comment = 1;
                    let author = tag.attr("authorId").and_then(|id| authors.get(&id).cloned()).unwrap_or_default();
                    comments.push((author, String::new()));
                }
                b"text" | b"t" if depth_in_comment > 0 => in_text = true,
                _ => {}
            }
        }
        XmlEvent::Text(text) if in_text => {
            if let Some((_, comment)) = comments.last_mut() {
                comment.push_str(text);
                comment.push(' ');
            }
        }
        XmlEvent::Text(_) => {}
        XmlEvent::End(name) => {
            depth_in_comment = depth_in_comment.saturating_sub(1);
            if matches!(name, b"text" | b"t") {
                in_text = false;
            }
        }
    });
    if let Err(err) = result {
        package.diagnostics.push(format!("{part}: {err}"));
    }
    let mut lines = Lines::default();
    for (author, text) in comments {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if author.trim().is_empty() {
            lines.push(&text);
        } else {
            lines.push(&format!("{}: {text}", author.trim()));
        }
        lines.end_line();
    }
    lines.finish()
}

//! Filled-in forms: the AcroForm field tree (names and values, choices, check boxes, signatures) and the data
//! of XFA forms. What someone typed into a form is the point of many leaked documents (applications,
//! declarations, invoices), and MuPDF's page text does not include it: widgets are drawn as annotations, and
//! many forms carry values without appearance streams at all.
//!
//! The field tree is walked from /AcroForm /Fields down through /Kids, passing inheritable entries (/FT, /V,
//! /Ff, /Opt) down instead of following /Parent up, with a visited set, a depth limit and a node budget, so a
//! /Kids cycle or a fan-out bomb ends the walk instead of looping.

use std::collections::HashSet;
use std::rc::Rc;

use mupdf::pdf::{PdfDocument, PdfObject};
use quick_xml::events::Event;

use crate::object_text::{MAX_VALUE_CHARS, name_entry, normalise_line_ends, object_number, object_text, text_entry};
use crate::pdf_date::pdf_date_to_iso8601;

const MAX_FIELD_DEPTH: usize = 32;
/// Field tree nodes and kids looked at; real forms have hundreds, tax forms a few thousand (each with widgets).
const MAX_FIELD_NODES: usize = 100_000;
/// Options of one choice field looked at when mapping export values and indices to what the user saw.
const MAX_OPTIONS: usize = 2_000;
/// XFA packets larger than this (declared /Length) are not read.
const MAX_XFA_BYTES: i32 = 16 << 20;
/// Values taken from the XFA data.
const MAX_XFA_VALUES: usize = 20_000;
/// Field flag (PDF 1.7, table 226): a push button, which has no value.
const PUSH_BUTTON_FLAG: i32 = 1 << 16;

/// What the document's forms hold.
#[derive(Debug, Default)]
pub struct FormText {
    /// "name: value" of every field with a value, in field tree order.
    pub fields: Vec<String>,
    /// "name: value" from the XFA data that the AcroForm fields do not already show.
    pub xfa: Vec<String>,
    /// Names of the signers of signature fields.
    pub signers: Vec<String>,
    pub diagnostics: Vec<String>,
}

/// Entries a field inherits from its ancestors (PDF 1.7, 12.7.3.1).
#[derive(Clone, Default)]
struct Inherited {
    name: String,
    field_type: Option<String>,
    value: Option<Rc<PdfObject>>,
    flags: i32,
    options: Option<Rc<PdfObject>>,
}

struct Walk {
    visited: HashSet<i32>,
    nodes: usize,
    cycle_seen: bool,
    out: FormText,
}

/// Reads the AcroForm fields and the XFA data of `doc`; problems become diagnostics.
pub fn read_forms(doc: &PdfDocument) -> FormText {
    let mut walk = Walk { visited: HashSet::new(), nodes: 0, cycle_seen: false, out: FormText::default() };
    let acro_form = doc.catalog().ok().and_then(|catalog| catalog.get_dict("AcroForm").ok().flatten());
    let Some(acro_form) = acro_form.filter(|form| form.is_dict().unwrap_or(false)) else {
        return walk.out;
    };
    if let Some(fields) = acro_form.get_dict("Fields").ok().flatten()
        && fields.is_array().unwrap_or(false)
    {
        for index in 0..fields.len().unwrap_or(0) {
            let Ok(index) = i32::try_from(index) else { break };
            if let Some(field) = fields.get_array(index).ok().flatten() {
                walk.field(&field, &Inherited::default(), 0);
            }
            if walk.nodes > MAX_FIELD_NODES {
                break;
            }
        }
    }
    if walk.cycle_seen {
        walk.out.diagnostics.push("form fields: the field tree has a cycle; it was read once".to_string());
    }
    if walk.nodes > MAX_FIELD_NODES {
        walk.out.diagnostics.push(format!("form fields: more than {MAX_FIELD_NODES} nodes; the rest were skipped"));
    }
    if let Some(xfa) = acro_form.get_dict("XFA").ok().flatten() {
        let mut out = walk.out;
        read_xfa(&xfa, &mut out);
        return out;
    }
    walk.out
}

impl Walk {
    fn field(&mut self, node: &PdfObject, inherited: &Inherited, depth: usize) {
        self.nodes += 1;
        if depth > MAX_FIELD_DEPTH || self.nodes > MAX_FIELD_NODES || !node.is_dict().unwrap_or(false) {
            return;
        }
        if let Some(number) = object_number(node)
            && !self.visited.insert(number)
        {
            self.cycle_seen = true;
            return;
        }
        let mut own = inherited.clone();
        if let Some(partial_name) = text_entry(node, "T") {
            let partial_name = partial_name.replace('\n', " ");
            own.name = if own.name.is_empty() { partial_name } else { format!("{}.{partial_name}", own.name) };
        }
        if let Some(field_type) = name_entry(node, "FT") {
            own.field_type = Some(field_type);
        }
        if let Some(value) = node.get_dict("V").ok().flatten() {
            own.value = Some(Rc::new(value));
        }
        if let Some(flags) = node.get_dict("Ff").ok().flatten().and_then(|flags| flags.as_int().ok()) {
            own.flags = flags;
        }
        if let Some(options) = node.get_dict("Opt").ok().flatten() {
            own.options = Some(Rc::new(options));
        }
        // Kids with a /T are fields of their own; kids without one are only this field's widgets. Every kid
        // looked at counts against the node budget, so wide /Kids arrays cannot multiply the work.
        let mut named_kids = Vec::new();
        if let Some(kids) = node.get_dict("Kids").ok().flatten()
            && kids.is_array().unwrap_or(false)
        {
            let looked_at = kids.len().unwrap_or(0).min(MAX_FIELD_NODES.saturating_sub(self.nodes));
            self.nodes += looked_at;
            for index in 0..looked_at {
                let Ok(index) = i32::try_from(index) else { break };
                if let Some(kid) = kids.get_array(index).ok().flatten()
                    && kid.get_dict("T").ok().flatten().is_some()
                {
                    named_kids.push(kid);
                }
            }
        }
        if named_kids.is_empty() {
            self.terminal_field(&own);
            return;
        }
        for kid in named_kids {
            self.field(&kid, &own, depth + 1);
            if self.nodes > MAX_FIELD_NODES {
                return;
            }
        }
    }

    fn terminal_field(&mut self, field: &Inherited) {
        let Some(value) = &field.value else {
            return;
        };
        let field_type = field.field_type.as_deref().unwrap_or("");
        if field_type == "Btn" && field.flags & PUSH_BUTTON_FLAG != 0 {
            return;
        }
        let text = match field_type {
            "Sig" => {
                let Some(signature) = signature_text(value) else { return };
                if let Some(name) = text_entry(value, "Name") {
                    self.out.signers.push(name);
                }
                signature
            }
            "Ch" => match choice_text(value, field.options.as_deref()) {
                Some(text) => text,
                None => return,
            },
            _ => match plain_value(value) {
                Some(text) => text,
                None => return,
            },
        };
        let name = if field.name.is_empty() { "(unnamed field)" } else { field.name.as_str() };
        self.out.fields.push(format!("{name}: {text}"));
    }
}

/// A text string, text stream or name (a check box's or radio group's state, such as "Yes" or "Off").
fn plain_value(value: &PdfObject) -> Option<String> {
    if value.is_name().ok()? {
        let name = String::from_utf8_lossy(&value.as_name().ok()?).into_owned();
        return (!name.is_empty()).then_some(name);
    }
    object_text(value)
}

/// The chosen options of a list or combo box, shown as the user saw them: an export value is replaced by its
/// display text from /Opt when the option is an [export, display] pair.
fn choice_text(value: &PdfObject, options: Option<&PdfObject>) -> Option<String> {
    let chosen: Vec<String> = if value.is_array().ok()? {
        (0..value.len().ok()?.min(MAX_OPTIONS))
            .filter_map(|index| value.get_array(i32::try_from(index).ok()?).ok().flatten())
            .filter_map(|item| plain_value(&item))
            .collect()
    } else {
        vec![plain_value(value)?]
    };
    let shown: Vec<String> =
        chosen.into_iter().map(|export| display_text(&export, options).unwrap_or(export)).collect();
    (!shown.is_empty()).then(|| shown.join("; "))
}

fn display_text(export: &str, options: Option<&PdfObject>) -> Option<String> {
    let options = options.filter(|options| options.is_array().unwrap_or(false))?;
    for index in 0..options.len().ok()?.min(MAX_OPTIONS) {
        let option = options.get_array(i32::try_from(index).ok()?).ok()??;
        if option.is_array().ok()? {
            let pair_export = option.get_array(0).ok()?.and_then(|item| object_text(&item));
            if pair_export.as_deref() == Some(export) {
                return option.get_array(1).ok()?.and_then(|item| object_text(&item));
            }
        }
    }
    None
}

/// "signed by NAME, DATE, reason: ..., location: ..." from a signature dictionary; `None` for an unsigned
/// field.
fn signature_text(signature: &PdfObject) -> Option<String> {
    if !signature.is_dict().ok()? {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(name) = text_entry(signature, "Name") {
        parts.push(format!("signed by {name}"));
    } else {
        parts.push("signed".to_string());
    }
    if let Some(date) = text_entry(signature, "M") {
        parts.push(pdf_date_to_iso8601(&date).unwrap_or(date));
    }
    for (key, label) in [("Reason", "reason"), ("Location", "location"), ("ContactInfo", "contact")] {
        if let Some(text) = text_entry(signature, key) {
            parts.push(format!("{label}: {text}"));
        }
    }
    Some(parts.join(", ").replace('\n', " "))
}

/// The XFA "datasets" packet: /XFA is either one stream holding the whole XDP document or an array of
/// (packet name, stream) pairs.
fn read_xfa(xfa: &PdfObject, out: &mut FormText) {
    let known: HashSet<String> =
        out.fields.iter().filter_map(|line| line.split_once(": ").map(|(_, value)| value.to_string())).collect();
    if xfa.is_stream().unwrap_or(false) {
        read_xfa_stream(xfa, &known, out);
    } else if xfa.is_array().unwrap_or(false) {
        let len = xfa.len().unwrap_or(0).min(200);
        for index in (0..len.saturating_sub(1)).step_by(2) {
            let Ok(index) = i32::try_from(index) else { break };
            let name = xfa.get_array(index).ok().flatten().and_then(|name| object_text(&name));
            if name.as_deref() == Some("datasets")
                && let Some(stream) = xfa.get_array(index + 1).ok().flatten()
            {
                read_xfa_stream(&stream, &known, out);
            }
        }
    }
}

fn read_xfa_stream(stream: &PdfObject, known: &HashSet<String>, out: &mut FormText) {
    if !stream.is_stream().unwrap_or(false) {
        return;
    }
    let declared = stream.get_dict("Length").ok().flatten().and_then(|length| length.as_int().ok()).unwrap_or(0);
    if declared > MAX_XFA_BYTES {
        out.diagnostics.push(format!("XFA form data: {declared} bytes, over the {MAX_XFA_BYTES} byte limit"));
        return;
    }
    let Ok(bytes) = stream.read_stream() else {
        out.diagnostics.push("XFA form data: the stream cannot be decoded".to_string());
        return;
    };
    match xfa_data_values(&bytes) {
        Ok(values) => {
            let new_values = values.into_iter().filter(|(_, value)| !known.contains(value));
            out.xfa.extend(new_values.map(|(path, value)| format!("{path}: {value}")));
        }
        Err(why) => out.diagnostics.push(format!("XFA form data: {why}")),
    }
}

/// (element path, text) of every element with text inside `xfa:data`, the path relative to the data root and
/// dotted like a field name. Other XFA packets (template, config, locale set) hold no user data.
fn xfa_data_values(xml: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut path: Vec<String> = Vec::new();
    // Depth of the `xfa:data` element in `path`, once inside it.
    let mut data_depth: Option<usize> = None;
    let mut values = Vec::new();
    // The text of the innermost open element so far (text arrives in pieces, split at entity references).
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) if values.is_empty() => return Err(format!("not well-formed XML: {err}")),
            // Keep what came before the damage.
            Err(_) => break,
        };
        match event {
            Event::Start(start) => {
                flush_value(&path, data_depth, &mut text, &mut values);
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                if data_depth.is_none() && name == "data" && start.name().as_ref().starts_with(b"xfa:") {
                    data_depth = Some(path.len());
                }
                path.push(name);
                if path.len() > 256 {
                    return Err("elements nested over 256 deep".to_string());
                }
            }
            Event::End(_) => {
                flush_value(&path, data_depth, &mut text, &mut values);
                path.pop();
                if data_depth.is_some_and(|depth| path.len() <= depth) {
                    data_depth = None;
                }
            }
            Event::Text(piece) if data_depth.is_some() => {
                text.push_str(&piece.decode().map_err(|err| err.to_string())?);
            }
            Event::CData(piece) if data_depth.is_some() => text.push_str(&String::from_utf8_lossy(&piece)),
            Event::GeneralRef(reference) if data_depth.is_some() => {
                let written = format!("&{};", reference.decode().map_err(|err| err.to_string())?);
                match quick_xml::escape::unescape(&written) {
                    Ok(resolved) => text.push_str(&resolved),
                    Err(_) => text.push_str(&written),
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if values.len() >= MAX_XFA_VALUES || text.len() > MAX_VALUE_CHARS * 4 {
            break;
        }
        buf.clear();
    }
    Ok(values)
}

/// Records the text collected for the innermost open element, if it is below the data root and not blank.
fn flush_value(path: &[String], data_depth: Option<usize>, text: &mut String, values: &mut Vec<(String, String)>) {
    let collected = std::mem::take(text);
    let Some(depth) = data_depth else { return };
    if path.len() <= depth + 1 {
        return;
    }
    let value = normalise_line_ends(collected.trim());
    if !value.is_empty() {
        values.push((path[depth + 1..].join("."), value.chars().take(MAX_VALUE_CHARS).collect()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfa_data_values_are_dotted_paths_below_the_data_root() {
        let xml = br#"<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1><Name>Ivan &amp; Co</Name><Empty/><Row><Amount>100</Amount></Row></form1></xfa:data><dd:dataDescription xmlns:dd="x"><Name>not data</Name></dd:dataDescription></xfa:datasets>"#;
        let values = xfa_data_values(xml).expect("well-formed");
        assert_eq!(
            values,
            vec![
                ("form1.Name".to_string(), "Ivan & Co".to_string()),
                ("form1.Row.Amount".to_string(), "100".to_string())
            ]
        );
    }

    #[test]
    fn broken_xfa_keeps_what_came_before_the_damage() {
        let xml = b"<xfa:data><f><a>one</a><b>two</c></f></xfa:data>";
        let values = xfa_data_values(xml).expect("values before the damage");
        assert_eq!(values, vec![("f.a".to_string(), "one".to_string())]);
        assert!(xfa_data_values(b"<xfa:data><a>x</b>").is_err(), "nothing before the damage is an error");
    }
}

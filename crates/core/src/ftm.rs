//! The entities of a collection as FollowTheMoney (FtM) entities, one JSON object per line: what Aleph and OpenAleph
//! import (`ftm store write`, `alephclient write-entities`), so that a newsroom can carry its findings into the tools
//! it already has.
//!
//! People become `Person`, organisations `Organization` and places `Address`, each with every form it was written in
//! (`name`, `alias`) and the documents that name it (`proof`). Each document that names any of them is a `Document`;
//! each (document, person or organisation) pair is a `Mention` (`document`, `resolved`, the name as detected, and the
//! phones and e-mail addresses of that document as context). Identifiers are not attached to people or bodies: the
//! text does not say whose they are.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use dossier_catalog::{DocId, EntityFilter};
use serde_json::{Value, json};

use crate::{CoreError, Dossier, Entity};

/// The FtM id of an entity: `dossier-` and the kind, then a hash of the id (FtM ids are opaque strings, and ours
/// hold spaces and Cyrillic).
fn entity_id(entity: &Entity) -> String {
    format!("dossier-{}-{}", entity.kind, short_hash(&entity.id))
}

fn document_id(doc: DocId) -> String {
    format!("dossier-document-{doc}")
}

/// 16 hex digits of FNV-1a over the bytes: stable across runs and machines, which is all an id needs here.
fn short_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Dossier {
    /// Writes the FtM entities of the collection (or all) to `out`, one per line; returns how many.
    pub fn export_ftm(&mut self, collection: Option<&str>, out: &mut dyn Write) -> Result<u64, CoreError> {
        let entities = self.entities(collection, None)?;
        let mut written = 0u64;
        let mut named_in: BTreeMap<DocId, Vec<(&Entity, String)>> = BTreeMap::new();
        let mut contacts: BTreeMap<DocId, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
        for entity in &entities {
            let filter = EntityFilter { collection, kind: &entity.kind, members: &entity.members };
            let docs = self.catalog.entity_documents(&filter)?;
            match entity.kind.as_str() {
                "phone" | "email" => {
                    for doc in docs {
                        let (phones, emails) = contacts.entry(doc).or_default();
                        let set = if entity.kind == "phone" { phones } else { emails };
                        set.insert(entity.name.clone());
                    }
                }
                "person" | "organization" | "location" => {
                    let schema = match entity.kind.as_str() {
                        "person" => "Person",
                        "organization" => "Organization",
                        _ => "Address",
                    };
                    let forms: BTreeSet<&str> = entity.members.iter().map(|(_, value)| value.as_str()).collect();
                    let aliases: Vec<&str> = forms.into_iter().filter(|form| *form != entity.name).collect();
                    let mut properties = json!({
                        "name": [entity.name],
                        "proof": docs.iter().map(|doc| document_id(*doc)).collect::<Vec<_>>(),
                    });
                    if schema == "Address" {
                        properties["full"] = json!([entity.name]);
                    }
                    if !aliases.is_empty() {
                        properties["alias"] = json!(aliases);
                    }
                    write_line(out, &json!({"id": entity_id(entity), "schema": schema, "properties": properties}))?;
                    written += 1;
                    if schema != "Address" {
                        for doc in docs {
                            named_in.entry(doc).or_default().push((entity, schema.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut documents: BTreeSet<DocId> = named_in.keys().copied().collect();
        for entity in entities.iter().filter(|e| e.kind == "location") {
            let filter = EntityFilter { collection, kind: &entity.kind, members: &entity.members };
            documents.extend(self.catalog.entity_documents(&filter)?);
        }
        for &doc in &documents {
            let Some(record) = self.catalog.document(doc)? else { continue };
            let file_name = record.path.rsplit(['/', '\\', '!']).next().unwrap_or(&record.path).to_string();
            let mut properties = json!({
                "title": [crate::title_of(&record)],
                "fileName": [file_name],
            });
            if let Some(size) = record.size {
                properties["fileSize"] = json!([size.to_string()]);
            }
            write_line(out, &json!({"id": document_id(doc), "schema": "Document", "properties": properties}))?;
            written += 1;
        }
        for (doc, named) in &named_in {
            let (phones, emails) = contacts.get(doc).cloned().unwrap_or_default();
            for (entity, schema) in named {
                let detected = if schema == "Person" { "personMentioned" } else { "companyMentioned" };
                let mut properties = json!({
                    "document": [document_id(*doc)],
                    "resolved": [entity_id(entity)],
                    detected: [entity.name],
                });
                if !phones.is_empty() {
                    properties["contextPhone"] = json!(phones);
                }
                if !emails.is_empty() {
                    properties["contextEmail"] = json!(emails);
                }
                let id = format!("dossier-mention-{}", short_hash(&format!("{doc}\0{}", entity_id(entity))));
                write_line(out, &json!({"id": id, "schema": "Mention", "properties": properties}))?;
                written += 1;
            }
        }
        Ok(written)
    }
}

fn write_line(out: &mut dyn Write, value: &Value) -> Result<(), CoreError> {
    let io = |source| CoreError::Io { path: "<output>".into(), source };
    serde_json::to_writer(&mut *out, value).map_err(|err| io(err.into()))?;
    out.write_all(b"\n").map_err(io)
}

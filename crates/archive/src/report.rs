//! What every archive reader builds: the listing text, the shared metadata and the diagnostics, and the one
//! place where a member is handed to the sink.

use std::collections::BTreeSet;
use std::io::Read;

use dossier_document::{ChildMeta, Context, ExtractError, Extraction, Metadata, TextBuilder};

/// What became of a member offered to the sink.
pub(crate) enum Offer {
    Kept,
    /// The sink did not keep it (a read error part-way, a storage failure); the error says why.
    Refused(ExtractError),
}

/// The archive's own extraction while it is being read.
pub(crate) struct Report {
    text: TextBuilder,
    pub(crate) metadata: Metadata,
    pub(crate) diagnostics: Vec<String>,
    /// Entries listed that are not directories.
    pub(crate) entries: u64,
    compression_methods: BTreeSet<String>,
}

impl Report {
    pub(crate) fn new(ctx: &Context<'_>) -> Report {
        Report {
            text: TextBuilder::new(ctx.limits.max_text_bytes),
            metadata: Metadata::default(),
            diagnostics: Vec::new(),
            entries: 0,
            compression_methods: BTreeSet::new(),
        }
    }

    /// Lists a file member: `path  (1234 bytes)` plus an optional note such as "encrypted".
    pub(crate) fn list_file(&mut self, name: &str, size: Option<u64>, note: Option<&str>) {
        self.entries += 1;
        self.text.push(name);
        match (size, note) {
            (Some(size), Some(note)) => self.text.push(&format!("  ({size} bytes, {note})")),
            (Some(size), None) => self.text.push(&format!("  ({size} bytes)")),
            (None, Some(note)) => self.text.push(&format!("  ({note})")),
            (None, None) => {}
        }
        self.text.push("\n");
    }

    pub(crate) fn list_directory(&mut self, name: &str) {
        self.text.push(name);
        if !name.ends_with('/') {
            self.text.push("/");
        }
        self.text.push("\n");
    }

    /// Lists an entry that is not a file (a link, a device): `path -> target  (symbolic link)`.
    pub(crate) fn list_special(&mut self, name: &str, target: Option<&str>, kind: &str) {
        self.entries += 1;
        self.text.push(name);
        if let Some(target) = target {
            self.text.push(" -> ");
            self.text.push(target);
        }
        self.text.push(&format!("  ({kind})\n"));
    }

    pub(crate) fn note_compression(&mut self, method: &str) {
        self.compression_methods.insert(method.to_string());
    }

    pub(crate) fn diagnose(&mut self, diagnostic: impl Into<String>) {
        self.diagnostics.push(diagnostic.into());
    }

    /// Hands a member to the sink. A limit error is returned as `Err` so that the reader stops at once; any other
    /// refusal is returned as [`Offer::Refused`] for the reader to record against the member.
    pub(crate) fn offer(ctx: &mut Context<'_>, meta: ChildMeta, content: &mut dyn Read) -> Result<Offer, ExtractError> {
        match ctx.sink.add(meta, content) {
            Ok(()) => Ok(Offer::Kept),
            Err(err @ ExtractError::LimitExceeded(_)) => Err(err),
            Err(err) => Ok(Offer::Refused(err)),
        }
    }

    pub(crate) fn finish(mut self) -> Extraction {
        self.metadata.set("entries", self.entries.to_string());
        for method in &self.compression_methods {
            self.metadata.push("compression", method.clone());
        }
        let (text, cut) = self.text.finish();
        if let Some(cut) = cut {
            self.diagnostics.push(cut);
        }
        Extraction { text, metadata: self.metadata, diagnostics: self.diagnostics }
    }
}

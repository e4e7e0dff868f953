//! The documents of a collection as `dossier list --json --text` prints them.
//!
//! Only the fields the suite needs are read; unknown fields are ignored so that the catalog can grow without breaking
//! the suite.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    pub id: i64,
    pub path: String,
    #[serde(default)]
    pub format: Option<String>,
    pub state: String,
    #[serde(default)]
    pub reason: Option<String>,
    pub depth: u32,
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// The content hash; absent for a document whose bytes were not kept.
    #[serde(default)]
    pub blake3: Option<String>,
    /// Why a document is `partial` (its `reason` is then empty).
    #[serde(default)]
    pub diagnostics: Vec<serde_json::Value>,
    #[serde(default)]
    pub metadata: serde_json::Value,
    #[serde(default)]
    pub text: Option<String>,
}

impl Document {
    /// The `format` column, with "unknown" where detection gave nothing.
    pub fn format_or_unknown(&self) -> &str {
        self.format.as_deref().unwrap_or("unknown")
    }

    /// The failure reason, or for a partial document its first diagnostic.
    pub fn reason_or_diagnostic(&self) -> Option<String> {
        if let Some(reason) = &self.reason {
            return Some(reason.clone());
        }
        self.diagnostics.first().map(|diagnostic| match diagnostic {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }

    pub fn text_or_empty(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }

    /// Read at least partly and produced some text.
    pub fn has_text(&self) -> bool {
        matches!(self.state.as_str(), "ok" | "partial") && !self.text_or_empty().trim().is_empty()
    }

    pub fn metadata_string(&self, key: &str) -> Option<&str> {
        self.metadata.get(key).and_then(serde_json::Value::as_str)
    }
}

pub fn parse_list(json: &[u8]) -> anyhow::Result<Vec<Document>> {
    Ok(serde_json::from_slice(json)?)
}

//! Document metadata: named values, some of them lists (recipients, keywords).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Metadata keys are lower-case snake_case and shared across formats where the meaning is the same:
/// `title`, `author`, `last_modified_by`, `created`, `modified` (ISO 8601), `company`, `subject`, `keywords`,
/// `from`, `to`, `cc`, `bcc`, `date`, `message_id`, `charset`, `pages`, `producer`, `creator_tool`, `language`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Metadata(pub BTreeMap<String, MetaValue>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetaValue {
    One(String),
    Many(Vec<String>),
}

impl Metadata {
    /// Sets `key` to `value`, ignoring empty values (formats are full of empty fields that mean nothing).
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        let value = value.trim();
        if !value.is_empty() {
            self.0.insert(key.to_string(), MetaValue::One(value.to_string()));
        }
    }

    /// Adds `value` to the list under `key`.
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        match self.0.remove(key) {
            None => {
                self.0.insert(key.to_string(), MetaValue::Many(vec![value]));
            }
            Some(MetaValue::One(first)) => {
                self.0.insert(key.to_string(), MetaValue::Many(vec![first, value]));
            }
            Some(MetaValue::Many(mut values)) => {
                values.push(value);
                self.0.insert(key.to_string(), MetaValue::Many(values));
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&MetaValue> {
        self.0.get(key)
    }

    /// The value under `key` as one string (lists joined with "; ").
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.0.get(key).map(|value| match value {
            MetaValue::One(value) => value.clone(),
            MetaValue::Many(values) => values.join("; "),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &MetaValue)> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_turns_a_single_value_into_a_list() {
        let mut metadata = Metadata::default();
        metadata.set("to", "a@example.org");
        metadata.push("to", "b@example.org");
        metadata.set("title", "   ");
        assert_eq!(metadata.get_str("to").as_deref(), Some("a@example.org; b@example.org"));
        assert_eq!(metadata.get("title"), None);
    }
}

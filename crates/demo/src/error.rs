//! The one error type of the demo generator.
//!
//! Generating the collection only fails when the disk does, or when a story text cannot be written in the legacy
//! character set it is meant to show off (a programming slip in `story.rs`, reported rather than silently replaced).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot build the zip container {name}")]
    Zip {
        name: String,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("the text of {name} has characters that {encoding} cannot represent")]
    Unencodable { name: String, encoding: &'static str },
    #[error("{name} refers to {source_path}, which the collection does not contain")]
    MissingSource { name: String, source_path: String },
    #[error("invalid fixed timestamp {timestamp} for {name}")]
    Timestamp { name: String, timestamp: String },
}

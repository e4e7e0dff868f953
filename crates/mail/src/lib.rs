//! E-mail readers: single messages (EML, and Apple Mail's EMLX wrapper) and mailboxes (MBOX).
//!
//! Both entry points follow the shared reader shape of `dossier-document`. A message's text is a short header block
//! followed by its body; its attachments and forwarded messages go to the child sink. A mailbox is streamed message
//! by message (never loaded whole), each message handed to the sink as `message-NNNN.eml`.

mod attachments;
mod eml;
mod line_endings;
mod mbox;

use dossier_document::{Context, ExtractError, Extraction, Source};

/// Reads one RFC 5322 message (`.eml`; also tolerates an EMLX byte-count line or an mbox `From ` line in front).
pub fn read_eml(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    eml::read_eml(src, ctx)
}

/// Reads an mbox mailbox (mboxo or mboxrd), handing each message to the sink.
pub fn read_mbox(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    mbox::read_mbox(src, ctx)
}

//! Outlook readers: [`read_msg`] for single items (`.msg`, OLE2 compound files, read natively) and [`read_pst`]
//! for mailboxes (`.pst`/`.ost`, unpacked by Debian's `readpst`).
//!
//! [`lzfu`] (compressed RTF) is public so that fixture generators and other readers meeting Outlook's compressed
//! RTF elsewhere can use it.

pub mod lzfu;
mod msg;
mod properties;
mod pst;
mod readpst_output;
mod rtf_html;

pub use msg::read_msg;
pub use pst::read_pst;

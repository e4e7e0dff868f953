//! Lets a reader that starts legitimately slow work (OCR of many pages) ask for more wall-clock time.
//!
//! Each file is read under a wall-clock limit enforced by the process that started the worker. A reader about to
//! recognise 40 scanned pages calls [`extend_deadline`] with what that work may take (bounded by its own per-page
//! limit); the worker passes the request on to its parent. Outside a worker nothing is listening and the call is a
//! no-op. This is process-wide on purpose: a worker reads one file at a time.

use std::sync::OnceLock;
use std::time::Duration;

type Hook = Box<dyn Fn(Duration) + Send + Sync>;

static HOOK: OnceLock<Hook> = OnceLock::new();

/// Installs the function that forwards deadline extensions (done once, by the worker). Later calls are ignored.
pub fn set_deadline_hook(hook: Hook) {
    let _ = HOOK.set(hook);
}

/// Asks for `by` more wall-clock time for the file being read.
pub fn extend_deadline(by: Duration) {
    if let Some(hook) = HOOK.get() {
        hook(by);
    }
}

//! End-to-end tests of the `dossier` binary, run for real in temporary folders.

mod entities;
mod extract;
mod faults;
mod http;
mod ingest;
mod integrity;
mod kill_ocr;
mod names;
mod resume;
mod search;
mod util;
mod vault;
mod versions;

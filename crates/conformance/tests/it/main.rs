//! End-to-end tests of the `dossier-conformance` binary against a stand-in `dossier`: a shell script that answers
//! `ingest` with an empty summary and `list` with a canned document list, so that each accounting outcome can be
//! produced on purpose without building or running the real pipeline.

mod tika_coverage;
mod verdict;

//! Sandboxed extraction: the worker side ([`worker_main`]) and the parent side ([`Sandbox`]).
//!
//! Invariants: the parent never runs a format reader itself; a worker's failure (crash, hang, memory exhaustion) is
//! reported as a [`SandboxFailure`] for that one request and the next request gets a fresh worker.

mod dir_sink;
mod parent;
mod protocol;
mod worker;

pub use dir_sink::DirSink;
pub use parent::{Sandbox, SandboxConfig, SandboxFailure};
pub use protocol::{AnalyseRequest, Analysed, CheaperRequest, Request, Response, StagedChild};
pub use worker::{TEST_FAULTS_ENV, worker_main};

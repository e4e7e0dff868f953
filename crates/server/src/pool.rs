//! A few open data folders shared by the request handlers.
//!
//! `Dossier` is synchronous (SQLite, tantivy) and takes `&mut self`; a handler borrows one handle for the duration
//! of its work, on tokio's blocking threads. Several handles let a long export stream while searches go on. Each
//! handle sees what another process (a running `dossier ingest`) has committed, on its next use.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use dossier_core::{CoreError, Dossier};
use tokio::sync::Semaphore;

use crate::error::ApiError;

pub struct Pool {
    data_dir: PathBuf,
    idle: Mutex<Vec<Dossier>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// A pool of at most `size` handles on `data_dir`; the first is opened now, so that a bad data folder is an
    /// error at start-up rather than on the first request.
    pub fn open(data_dir: PathBuf, size: usize) -> Result<Pool, CoreError> {
        let first = Dossier::open(&data_dir)?;
        Ok(Pool { data_dir, idle: Mutex::new(vec![first]), permits: Arc::new(Semaphore::new(size.max(1))) })
    }

    /// Runs `work` with a handle on a blocking thread, waiting for a free handle first.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Dossier) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| ApiError::internal("pool closed"))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut dossier = pool.take()?;
            let result = work(&mut dossier);
            pool.give_back(dossier);
            result
        })
        .await
        .map_err(|err| ApiError::internal(format!("request handler stopped: {err}")))?
    }

    /// Runs `work` with a handle on the calling (blocking) thread, for work that is already off the runtime.
    pub fn run_blocking<T>(&self, work: impl FnOnce(&mut Dossier) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut dossier = self.take()?;
        let result = work(&mut dossier);
        self.give_back(dossier);
        result
    }

    fn take(&self) -> Result<Dossier, ApiError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(dossier) => Ok(dossier),
            None => Dossier::open(&self.data_dir).map_err(ApiError::from),
        }
    }

    fn give_back(&self, dossier: Dossier) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(dossier);
        }
    }
}

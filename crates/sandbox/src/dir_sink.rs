//! A child sink that writes each child to its own file in a staging folder.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

use dossier_document::{Budget, ChildMeta, ChildSink, ExtractError, Limits};

use crate::StagedChild;

pub struct DirSink {
    dir: PathBuf,
    budget: Budget,
    children: Vec<StagedChild>,
}

impl DirSink {
    pub fn new(dir: PathBuf, limits: &Limits, packed_bytes: u64) -> DirSink {
        DirSink { dir, budget: Budget::new(limits, packed_bytes), children: Vec::new() }
    }

    pub fn into_children(self) -> Vec<StagedChild> {
        self.children
    }
}

impl ChildSink for DirSink {
    fn add(&mut self, meta: ChildMeta, content: &mut dyn Read) -> Result<(), ExtractError> {
        self.budget.start_entry()?;
        if self.children.is_empty() {
            std::fs::create_dir_all(&self.dir).map_err(|err| ExtractError::io(&err))?;
        }
        // Staged files are named by position, never by the (hostile) name inside the parent.
        let path = self.dir.join(format!("child-{:06}", self.children.len()));
        let result = File::create(&path).map_err(|err| ExtractError::io(&err)).and_then(|file| {
            let mut writer = BufWriter::new(file);
            let size = self.budget.copy(content, &mut writer)?;
            writer.flush().map_err(|err| ExtractError::io(&err))?;
            Ok(size)
        });
        match result {
            Ok(size) => {
                self.children.push(StagedChild { meta, path, size });
                Ok(())
            }
            Err(err) => {
                let _ = std::fs::remove_file(&path);
                Err(err)
            }
        }
    }
}

//! Where the model folder is at run time. The weights are installed by `cargo xtask setup` into
//! `target/models/ner-ru`; nothing is ever downloaded at run time.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::NerError;

/// The model's folder name inside a models folder.
pub const MODEL_FOLDER: &str = "ner-ru";

/// The environment variable naming a models folder (the one that contains `ner-ru/`).
pub const MODELS_ENV: &str = "DOSSIER_MODELS";

/// The model folder: `explicit` (the `ner-ru` folder itself) if given; else `$DOSSIER_MODELS/ner-ru` if that
/// variable is set; else `<exe dir>/../models/ner-ru` or `<exe dir>/../../target/models/ner-ru`, so that
/// `target/debug/dossier` and `target/release/dossier` find `target/models`. An explicit path or the variable is
/// authoritative: if it names no folder, that is the error, not a reason to look elsewhere.
pub fn find_model_dir(explicit: Option<&Path>) -> Result<PathBuf, NerError> {
    let exe = std::env::current_exe().ok();
    find_model_dir_from(explicit, std::env::var_os(MODELS_ENV), exe.as_deref())
}

/// [`find_model_dir`] with the environment variable's value and the executable's path given.
pub fn find_model_dir_from(
    explicit: Option<&Path>,
    models_env: Option<OsString>,
    exe: Option<&Path>,
) -> Result<PathBuf, NerError> {
    let authoritative = match (explicit, models_env) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, Some(models)) if !models.is_empty() => Some(PathBuf::from(models).join(MODEL_FOLDER)),
        _ => None,
    };
    if let Some(dir) = authoritative {
        return if dir.is_dir() { Ok(dir) } else { Err(NerError::NotFound { looked: dir.display().to_string() }) };
    }
    let exe_dir = exe.and_then(Path::parent);
    let candidates: Vec<PathBuf> = exe_dir
        .map(|dir| vec![dir.join("../models").join(MODEL_FOLDER), dir.join("../../target/models").join(MODEL_FOLDER)])
        .unwrap_or_default();
    if let Some(found) = candidates.iter().find(|dir| dir.is_dir()) {
        return Ok(found.clone());
    }
    let mut looked: Vec<String> = candidates.iter().map(|dir| dir.display().to_string()).collect();
    if looked.is_empty() {
        looked.push("nowhere (the executable's folder is unknown)".to_string());
    }
    looked.push(format!("and ${MODELS_ENV} is not set"));
    Err(NerError::NotFound { looked: looked.join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().expect("a temporary folder")
    }

    #[test]
    fn an_explicit_folder_wins_and_must_exist() {
        let root = folder();
        let found = find_model_dir_from(Some(root.path()), Some("/elsewhere".into()), None);
        assert_eq!(found.expect("the explicit folder"), root.path());
        let missing = root.path().join("absent");
        let error = find_model_dir_from(Some(&missing), None, None).expect_err("an absent folder");
        assert!(error.to_string().contains("absent"), "{error}");
    }

    #[test]
    fn the_environment_names_the_models_folder() {
        let root = folder();
        std::fs::create_dir(root.path().join(MODEL_FOLDER)).expect("create");
        let found = find_model_dir_from(None, Some(root.path().into()), None).expect("found");
        assert_eq!(found, root.path().join(MODEL_FOLDER));
        let error = find_model_dir_from(None, Some(root.path().join("x").into()), None).expect_err("absent");
        assert!(error.to_string().contains("x/ner-ru"), "{error}");
    }

    #[test]
    fn a_release_binary_finds_target_models() {
        let root = folder();
        let models = root.path().join("target/models").join(MODEL_FOLDER);
        std::fs::create_dir_all(&models).expect("create");
        std::fs::create_dir_all(root.path().join("target/release")).expect("create");
        let exe = root.path().join("target/release/dossier");
        let found = find_model_dir_from(None, None, Some(&exe)).expect("found");
        assert_eq!(found.canonicalize().expect("exists"), models.canonicalize().expect("exists"));
        let error = find_model_dir_from(None, None, Some(&root.path().join("bin/x/dossier"))).expect_err("absent");
        assert!(error.to_string().contains(MODELS_ENV), "{error}");
    }
}

//! A folder of scenarios: which files can be run, and why the others cannot.

use crate::scenario::{Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// Loads every `*.toml` of `dir` (not recursive), sorted by name: the valid scenarios and, for
/// the others, their errors.
///
/// # Errors
/// The folder cannot be read.
pub fn scan_folder(dir: &Path) -> std::io::Result<Vec<(PathBuf, Result<Scenario, ScenarioError>)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|f| {
            let s = crate::model::check::load(&f);
            (f, s)
        })
        .collect())
}

/// Why a file of a batch is not run.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BatchFileError {
    /// The file does not load (every diagnostic, rendered).
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    /// An earlier file of the folder (by name) has the same scenario id: their output folders
    /// would collide.
    #[error(
        "error: {}: scenario id `{id}` is used by another file of the folder\n  = help: give each scenario its own id (outputs go to a folder named after it)",
        file.display()
    )]
    DuplicateId { file: PathBuf, id: String },
}

/// A folder's files split into those to run and those that cannot be, each list in file order.
pub struct Batch {
    /// The valid scenarios with their files.
    pub runnable: Vec<(PathBuf, Scenario)>,
    /// The files not run, with why.
    pub rejected: Vec<(PathBuf, BatchFileError)>,
}

impl Batch {
    /// How many files the folder holds.
    pub fn files(&self) -> usize {
        self.runnable.len() + self.rejected.len()
    }
}

/// Splits scanned files ([`scan_folder`]): a file that does not load, or whose scenario id an
/// earlier file already uses, is rejected.
pub fn plan_batch(found: Vec<(PathBuf, Result<Scenario, ScenarioError>)>) -> Batch {
    let mut batch = Batch {
        runnable: vec![],
        rejected: vec![],
    };
    for (f, s) in found {
        match s {
            Ok(s) if batch.runnable.iter().any(|(_, x)| x.meta.id == s.meta.id) => {
                let id = s.meta.id;
                batch
                    .rejected
                    .push((f.clone(), BatchFileError::DuplicateId { file: f, id }));
            }
            Ok(s) => batch.runnable.push((f, s)),
            Err(e) => batch.rejected.push((f, e.into())),
        }
    }
    batch
}

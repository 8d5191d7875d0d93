//! `armistice import`: a scenario written from a GENIUS negotiation or a spatial-model table.

use super::AppError;
use crate::cli::{ImportArgs, ImportFormat};
use armistice::scenario::import;

/// Reads the input, writes the scenario (to `--out`, else stdout) and checks that it loads.
pub fn import(a: &ImportArgs) -> Result<(), AppError> {
    let text = match &a.format {
        ImportFormat::Genius { profiles, domain } => import::genius::import(domain.as_deref(), profiles),
        ImportFormat::Table { file } => import::table::import(file),
    }
    .map_err(|e| AppError::Input(e.to_string()))?;
    // what is written must load: a failure here is a bug of the importer
    let check_path = a.out.clone().unwrap_or_else(|| "imported.toml".into());
    if let Err(e) = armistice::scenario::Scenario::from_bytes(&check_path, text.as_bytes()) {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the imported scenario does not load (please report this):\n{e}"
        )));
    }
    match &a.out {
        None => out!("{text}"),
        Some(path) => {
            if path.exists() && !a.force {
                return Err(AppError::Input(format!(
                    "error: {} already exists\n  = help: choose another name, or add --force to overwrite it",
                    path.display()
                )));
            }
            armistice::report::atomic::write_atomic(path, text.as_bytes())
                .map_err(|e| AppError::Input(format!("error: cannot write {}: {e}", path.display())))?;
            outln!(
                "wrote {}: read its comments, then `armistice check {0}` and `armistice solve {0}`",
                path.display()
            )
        }
    }
}

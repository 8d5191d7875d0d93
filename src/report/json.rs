//! `summary.json`: the manifest and every aggregate.

use super::Manifest;
use crate::stats::Summary;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    manifest: &'a Manifest,
    results: &'a Summary,
}

/// The JSON text of `summary.json` (`{"manifest": …, "results": …}`; the results part is
/// identical for any thread count).
pub fn render(manifest: &Manifest, summary: &Summary) -> String {
    let mut s = serde_json::to_string_pretty(&Document {
        manifest,
        results: summary,
    })
    .expect("summary serialises");
    s.push('\n');
    s
}

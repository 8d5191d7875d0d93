//! `armistice import`: commented scenario files written from the formats analysts already use.
//!
//! - [`genius`]: a two-party domain and its utility profiles in the XML format of the GENIUS
//!   negotiation platform (Lin et al. 2014, Computational Intelligence 30(1); the format the
//!   `negmas` package also reads);
//! - [`table`]: a positions/salience/capability table (CSV) of the spatial model of politics
//!   (Bueno de Mesquita 1994), one row per actor and issue.
//!
//! Each reader returns the scenario's text, or every problem in the input files, located by byte
//! range like a scenario's own diagnostics (so `check`'s rendering shows file, line and column).

pub mod genius;
pub mod table;

use super::diag::{self, Diagnostic, Severity};
use std::fmt;
use std::path::{Path, PathBuf};

/// Problems in one input file of an import.
#[derive(Debug, Clone)]
pub struct FileProblems {
    pub path: PathBuf,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// An import that failed: the problems of each input file.
#[derive(Debug, Clone)]
pub struct ImportError {
    pub files: Vec<FileProblems>,
}

impl ImportError {
    /// One problem in `path` (whose text is `text`).
    pub fn one(path: &Path, text: &str, d: Diagnostic) -> ImportError {
        ImportError {
            files: vec![FileProblems {
                path: path.to_path_buf(),
                text: text.to_string(),
                diagnostics: vec![d],
            }],
        }
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.files {
            for d in &file.diagnostics {
                writeln!(f, "{}", diag::render(&file.path, &file.text, d))?;
            }
        }
        let n = self.error_count();
        write!(
            f,
            "import failed: {n} error{} in the input",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ImportError {}

/// Reads a file as UTF-8 text, or a located error.
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ImportError::one(
            path,
            "",
            Diagnostic::error(
                super::DiagnosticKind::Io,
                None,
                format!("cannot read {}: {e}", path.display()),
                "check the path",
            ),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        ImportError::one(
            path,
            &good,
            Diagnostic::error(
                super::DiagnosticKind::Encoding,
                Some(at..at + 1),
                "the file is not valid UTF-8",
                "save the file as UTF-8",
            ),
        )
    })
}

/// An id the scenario format accepts, made from free text: ASCII letters and digits kept, every
/// other run of characters one `_`, at most 64 characters, starting with a letter or digit
/// (`"x"` for an empty result).
pub fn make_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches(|c| c == '_' || c == '-').to_string();
    let out: String = out.chars().take(64).collect();
    if out.is_empty() { "x".into() } else { out }
}

/// Ids made unique by suffixes `_2`, `_3`, ... in order of appearance.
pub fn unique(ids: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = vec![];
    ids.into_iter()
        .map(|id| {
            let mut cand = id.clone();
            let mut k = 2;
            while seen.contains(&cand) {
                cand = format!("{id}_{k}");
                k += 1;
            }
            seen.push(cand.clone());
            cand
        })
        .collect()
}

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number for a scenario file: the shortest text that reads back as the same `f64`.
pub fn num(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// The byte offset of (1-based) `row`, `col` in `text` (columns count characters).
pub fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let mut off = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == row as usize {
            let c = line
                .char_indices()
                .nth(col.saturating_sub(1) as usize)
                .map_or(line.len(), |(b, _)| b);
            return off + c;
        }
        off += line.len();
    }
    text.len()
}

//! Located diagnostics for scenario files, rendered in the style of rustc:
//!
//! ```text
//! error: unknown actor `RUS` (did you mean `RU`?)
//!   --> scenarios/x.toml:41:12
//!    |
//! 41 | actor = "RUS"
//!    |         ^^^^^
//!    = help: actors are declared with [[actor]] id = "..."
//! ```

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors stop the load, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic reports: callers match on this, never on the message text
/// (which is for people and may be reworded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// The file cannot be read (missing, unreadable).
    Io,
    /// The file is not valid UTF-8.
    Encoding,
    /// The file is empty, or holds only comments and blank lines.
    Empty,
    /// Text that cannot be parsed: TOML syntax, or the syntax of a value written as text
    /// (`round_length`, `as_of`, a sweep's `set`).
    Syntax,
    /// A key that the table does not have (often a typo).
    UnknownKey,
    /// A required key is absent, or a key that another key makes necessary (a `transition`
    /// table for `recognition = "markov"`, the parameters of the chosen durability model, ...).
    MissingKey,
    /// A value of the wrong type (text where a number is expected, a distribution with the wrong
    /// number of parameters, ...).
    WrongType,
    /// A value that is not one of the accepted words or forms (an unknown distribution family,
    /// recognition rule, issue kind, mood, quota, ...).
    UnknownValue,
    /// An id that is empty or, for the scenario id, not a safe folder name.
    InvalidId,
    /// An id declared twice, or an actor listed twice where each may appear once.
    DuplicateId,
    /// A reference to an actor, body, issue, option, event, parameter path or statistic that
    /// does not exist.
    UnknownReference,
    /// A distribution whose parameters are impossible (a non-positive spread, bounds in the
    /// wrong order, ...).
    InvalidDistribution,
    /// A number outside its valid range.
    OutOfRange,
    /// A distribution with noticeable mass outside its parameter's domain (a warning: draws there
    /// are clamped).
    PartlyOutOfRange,
    /// Something the model needs is not there (no issue, fewer than two actors, an issue without
    /// options or an actor without utilities, an empty list, ...).
    Incomplete,
    /// Keys or values that contradict each other (probabilities that do not sum to 1, a key that
    /// does not fit the issue's kind or the chosen model, ...).
    Inconsistent,
    /// More actors, ratifiers, divisible issues or packages than the engine handles.
    Limit,
    /// A key that is accepted but changes nothing (a warning).
    InertKey,
    /// A value that is allowed but probably a mistake (a warning: saliences that do not sum to 1,
    /// a deadline beyond the horizon, ...).
    Suspicious,
    /// No agreement is possible under the scenario's certain constraints (a warning).
    Infeasible,
    /// A key under an old name, still read (a warning naming the new one).
    Deprecated,
}

/// One problem in a scenario file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is.
    pub kind: DiagnosticKind,
    /// Byte range in the file, if the problem has a location.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error of `kind` at `span` with a fix (an empty `help` gives none).
    pub fn error(
        kind: DiagnosticKind,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let help = help.into();
        Diagnostic {
            severity: Severity::Error,
            kind,
            span,
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        }
    }

    /// A warning of `kind` at `span` with a suggestion.
    pub fn warning(
        kind: DiagnosticKind,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, span, message, help)
        }
    }
}

/// A scenario that failed to load: every diagnostic found, with the text to locate them in.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    pub path: PathBuf,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> Self {
        ScenarioError {
            path: path.to_path_buf(),
            text: String::new(),
            diagnostics: vec![Diagnostic::error(
                DiagnosticKind::Io,
                None,
                format!("cannot read the scenario file: {e}"),
                "check the path; scenarios usually live in scenarios/",
            )],
        }
    }

    /// Number of errors (warnings excluded).
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// 1-based line and column (in chars) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders one diagnostic against the file text.
pub fn render(path: &Path, text: &str, d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{kind}: {}\n", printable(&d.message));
    match &d.span {
        Some(span) if !text.is_empty() => {
            let (line, col) = line_col(text, span.start);
            let src = text.lines().nth(line - 1).unwrap_or("");
            let width = line.to_string().len();
            let pad = " ".repeat(width);
            let end_on_line = {
                let (l2, c2) = line_col(text, span.end);
                if l2 == line {
                    c2.max(col + 1)
                } else {
                    src.chars().count() + 1
                }
            };
            let (src, shift) = window(src, col);
            let col_shown = col - shift;
            let carets = "^".repeat((end_on_line - col).clamp(1, 80));
            out += &format!("{pad}--> {}:{line}:{col}\n", path.display());
            out += &format!(
                "{pad} |\n{line} | {}\n{pad} | {}{carets}\n",
                printable(&src),
                " ".repeat(col_shown - 1)
            );
        }
        _ => out += &format!("  --> {}\n", path.display()),
    }
    if let Some(h) = &d.help {
        out += &format!("  = help: {}\n", printable(h));
    }
    out
}

/// Longest source line quoted whole, in characters; a longer one is cut to a window around the
/// column (a 10,000-character line is not printed).
const MAX_QUOTED: usize = 160;

/// The part of `src` to quote so that column `col` shows, and how many columns were cut before it
/// (less the "…" that marks the cut).
fn window(src: &str, col: usize) -> (String, usize) {
    let n = src.chars().count();
    if n <= MAX_QUOTED {
        return (src.to_string(), 0);
    }
    let start = col.saturating_sub(MAX_QUOTED / 2).min(n.saturating_sub(MAX_QUOTED));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(src.chars().skip(start).take(MAX_QUOTED));
    if start + MAX_QUOTED < n {
        out.push('…');
    }
    (out, start.saturating_sub(1))
}

/// `s` with control characters other than line breaks and tabs escaped (`\u{1b}`), so nothing a
/// file says can drive the terminal.
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    c.escape_default().collect()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{}", render(&self.path, &self.text, d))?;
        }
        let n = self.error_count();
        write!(
            f,
            "{}: {n} error{} in the scenario",
            self.path.display(),
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ScenarioError {}

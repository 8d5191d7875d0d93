//! A positions/salience/capability table (CSV) of the spatial model of politics: one row per
//! actor and issue, the standard input of Bueno de Mesquita's expected-utility model (Bueno de
//! Mesquita 1994; Scholz, Calbert and Smith 2011, Table 1).
//!
//! The header names the columns, in any order (case and surrounding spaces ignored):
//! `actor`, `issue`, `position`, `salience`, `capability`. Positions are in the issue's own units;
//! saliences on 0–1 or on the literature's 0–100 (every salience above 1 means the whole table is
//! 0–100, divided by 100); capability is per actor (the same on each of its rows), >= 0.
//!
//! Each issue becomes a spatial issue on the scale [0, 100] when every position lies there, else
//! [lowest, highest position]; its options are the actors' positions. Saliences are per actor and
//! issue and are not shares: an actor may care a lot (0.9) about every issue, another little (0.1)
//! about each. They are written as absolute weights (`normalise_salience = false`), every one
//! divided by the same factor `max(1, largest actor's total)` (see [`Table::common_factor`]), so
//! that the ratios across actors and issues are those of the table: Bueno de Mesquita's weights
//! capability × salience, and so the weighted mean and median, are the table's. What is left of
//! an actor's attention is on nothing the negotiation changes.

use super::{FileProblems, ImportError, make_id, num, quote, read_text, unique};
use crate::scenario::diag::{Diagnostic, DiagnosticKind as Kind};
use std::ops::Range;
use std::path::Path;

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub actor: String,
    pub issue: String,
    pub position: f64,
    /// As written (0–1 or 0–100).
    pub salience: f64,
    pub capability: f64,
}

/// The table, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Actors in order of first appearance.
    pub actors: Vec<String>,
    /// Issues in order of first appearance.
    pub issues: Vec<String>,
    /// Whether saliences were written on 0–100.
    pub percent: bool,
}

impl Table {
    /// The scale of issue `k`: [0, 100] if every position lies there, else [min, max].
    pub fn scale(&self, k: usize) -> (f64, f64) {
        let ps: Vec<f64> = self
            .rows
            .iter()
            .filter(|r| r.issue == self.issues[k])
            .map(|r| r.position)
            .collect();
        let lo = ps.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if lo >= 0.0 && hi <= 100.0 {
            (0.0, 100.0)
        } else if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        }
    }

    /// Salience of actor `a` on issue `k` on 0–1 (0 without a row).
    pub fn salience(&self, a: usize, k: usize) -> f64 {
        self.rows
            .iter()
            .find(|r| r.actor == self.actors[a] && r.issue == self.issues[k])
            .map_or(0.0, |r| if self.percent { r.salience / 100.0 } else { r.salience })
    }

    /// Position of actor `a` on issue `k`, if it has a row.
    pub fn position(&self, a: usize, k: usize) -> Option<f64> {
        self.rows
            .iter()
            .find(|r| r.actor == self.actors[a] && r.issue == self.issues[k])
            .map(|r| r.position)
    }

    /// Capability of actor `a`.
    pub fn capability(&self, a: usize) -> f64 {
        self.rows
            .iter()
            .find(|r| r.actor == self.actors[a])
            .map_or(0.0, |r| r.capability)
    }

    /// The one number every salience is divided by, in the table's own units:
    /// `max(1, largest actor's total)` on 0–1, `max(100, largest actor's total)` on 0–100, so that
    /// no actor's saliences sum to more than 1 (as `normalise_salience = false` requires) while
    /// the ratios across actors and issues stay those of the table.
    pub fn common_divisor(&self) -> f64 {
        let unit = if self.percent { 100.0 } else { 1.0 };
        self.actors
            .iter()
            .map(|a| {
                self.rows
                    .iter()
                    .filter(|r| r.actor == *a)
                    .map(|r| r.salience)
                    .sum::<f64>()
            })
            .fold(unit, f64::max)
    }

    /// Salience of actor `a` on issue `k` as written (0 without a row).
    pub fn raw_salience(&self, a: usize, k: usize) -> f64 {
        self.rows
            .iter()
            .find(|r| r.actor == self.actors[a] && r.issue == self.issues[k])
            .map_or(0.0, |r| r.salience)
    }
}

const COLUMNS: [&str; 5] = ["actor", "issue", "position", "salience", "capability"];

/// The byte ranges of the fields of the line starting at `start` (a plain split on commas; a
/// quoted field with a comma shifts the later ones, which then point at the line's start).
fn field_spans(text: &str, start: usize) -> Vec<Range<usize>> {
    let line = text[start..].split('\n').next().unwrap_or("").trim_end_matches('\r');
    let mut out = vec![];
    let mut at = start;
    for f in line.split(',') {
        out.push(at..at + f.len().max(1));
        at += f.len() + 1;
    }
    out
}

fn err(diags: &mut Vec<Diagnostic>, span: Range<usize>, kind: Kind, msg: String, help: &str) {
    diags.push(Diagnostic::error(kind, Some(span), msg, help));
}

/// Reads and checks the table.
pub fn read(path: &Path) -> Result<Table, ImportError> {
    let text = read_text(path)?;
    let mut diags: Vec<Diagnostic> = vec![];
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(ImportError::one(
                path,
                &text,
                Diagnostic::error(
                    Kind::Syntax,
                    Some(0..1),
                    format!("cannot read the header: {e}"),
                    "the first line names the columns: actor,issue,position,salience,capability",
                ),
            ));
        }
    };
    let head_spans = field_spans(&text, 0);
    let mut col = [usize::MAX; 5];
    for (j, h) in header.iter().enumerate() {
        let h = h.to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == h) {
            Some(c) => col[c] = j,
            None => err(
                &mut diags,
                head_spans.get(j).cloned().unwrap_or(0..1),
                Kind::UnknownKey,
                format!("unknown column `{h}`"),
                "the columns are actor, issue, position, salience, capability",
            ),
        }
    }
    for (c, name) in COLUMNS.iter().enumerate() {
        if col[c] == usize::MAX {
            err(
                &mut diags,
                0..text.find('\n').unwrap_or(text.len()).max(1),
                Kind::MissingKey,
                format!("no column `{name}`"),
                "the header needs actor, issue, position, salience and capability (any order)",
            );
        }
    }
    if !diags.is_empty() {
        return Err(fail(path, &text, diags));
    }
    let mut rows = vec![];
    let mut spans: Vec<Vec<Range<usize>>> = vec![];
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                err(
                    &mut diags,
                    at..(at + 1).min(text.len()),
                    Kind::Syntax,
                    format!("cannot read this row: {e}"),
                    "every row has the header's number of comma-separated fields",
                );
                continue;
            }
        };
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        let fs = field_spans(&text, start);
        let span = |c: usize| fs.get(col[c]).cloned().unwrap_or(start..start + 1);
        let get = |c: usize| rec.get(col[c]).unwrap_or("").to_string();
        let number = |c: usize, name: &str, diags: &mut Vec<Diagnostic>| -> f64 {
            match get(c).parse::<f64>() {
                Ok(x) if x.is_finite() => x,
                _ => {
                    err(
                        diags,
                        span(c),
                        Kind::WrongType,
                        format!("{name} `{}` is not a number", get(c)),
                        "write a decimal number, e.g. 42.5",
                    );
                    f64::NAN
                }
            }
        };
        let position = number(2, "position", &mut diags);
        let salience = number(3, "salience", &mut diags);
        let capability = number(4, "capability", &mut diags);
        if !salience.is_nan() && !(0.0..=100.0).contains(&salience) {
            err(
                &mut diags,
                span(3),
                Kind::OutOfRange,
                format!("salience {salience} is outside 0–100"),
                "salience is on 0–1 or 0–100 (the literature's convention)",
            );
        }
        if capability < 0.0 {
            err(
                &mut diags,
                span(4),
                Kind::OutOfRange,
                format!("capability {capability} is negative"),
                "capability is >= 0, in any unit common to all actors",
            );
        }
        for c in [0, 1] {
            if get(c).is_empty() {
                err(
                    &mut diags,
                    span(c),
                    Kind::MissingKey,
                    format!("empty {}", COLUMNS[c]),
                    "give the actor's and the issue's name on every row",
                );
            }
        }
        rows.push(Row {
            actor: get(0),
            issue: get(1),
            position,
            salience,
            capability,
        });
        spans.push((0..5).map(span).collect());
    }
    if rows.is_empty() && diags.is_empty() {
        err(
            &mut diags,
            0..text.len().clamp(1, 1),
            Kind::Incomplete,
            "the table has no rows".into(),
            "add one row per actor and issue: actor,issue,position,salience,capability",
        );
    }
    // consistency: one row per (actor, issue), one capability per actor
    for (r, row) in rows.iter().enumerate() {
        if let Some(q) = rows[..r]
            .iter()
            .position(|x| x.actor == row.actor && x.issue == row.issue)
        {
            let line = crate::scenario::diag::line_col(&text, spans[q][0].start).0;
            err(
                &mut diags,
                spans[r][0].clone(),
                Kind::DuplicateId,
                format!(
                    "a second row for actor `{}` on issue `{}` (the first is on line {line})",
                    row.actor, row.issue
                ),
                "give each actor one row per issue",
            );
        }
        if let Some(q) = rows[..r].iter().position(|x| x.actor == row.actor)
            && rows[q].capability != row.capability
            && row.capability.is_finite()
            && rows[q].capability.is_finite()
        {
            let line = crate::scenario::diag::line_col(&text, spans[q][4].start).0;
            err(
                &mut diags,
                spans[r][4].clone(),
                Kind::Inconsistent,
                format!(
                    "capability {} of actor `{}` differs from its {} on line {line}",
                    row.capability, row.actor, rows[q].capability
                ),
                "capability belongs to the actor, not the issue: give the same number on each of its rows",
            );
        }
    }
    let mut actors: Vec<String> = vec![];
    let mut issues: Vec<String> = vec![];
    for r in &rows {
        if !actors.contains(&r.actor) {
            actors.push(r.actor.clone());
        }
        if !issues.contains(&r.issue) {
            issues.push(r.issue.clone());
        }
    }
    if diags.is_empty() && actors.len() < 2 {
        err(
            &mut diags,
            0..1,
            Kind::Incomplete,
            format!(
                "the table has {} actor(s): a negotiation needs at least 2",
                actors.len()
            ),
            "add rows for the other actors",
        );
    }
    if diags.is_empty() {
        meaningless(&rows, &actors, &spans, &mut diags);
    }
    if !diags.is_empty() {
        return Err(fail(path, &text, diags));
    }
    let percent = rows.iter().any(|r| r.salience > 1.0);
    Ok(Table {
        rows,
        actors,
        issues,
        percent,
    })
}

/// Tables that read but mean nothing: an actor with salience 0 on every issue (it values every
/// outcome alike), every capability 0 (nobody could propose, and the weighted mean and median
/// have no weights). Located at the actor's first row, or the first row.
fn meaningless(rows: &[Row], actors: &[String], spans: &[Vec<Range<usize>>], diags: &mut Vec<Diagnostic>) {
    for a in actors {
        let mine: Vec<usize> = (0..rows.len()).filter(|&r| rows[r].actor == *a).collect();
        if mine.iter().all(|&r| rows[r].salience == 0.0) {
            err(
                diags,
                spans[mine[0]][3].clone(),
                Kind::OutOfRange,
                format!("actor `{a}` has salience 0 on every issue"),
                "an actor that cares about no issue values every outcome alike: give it a positive salience on the issues it cares about, or remove its rows",
            );
        }
    }
    if rows.iter().all(|r| r.capability == 0.0) {
        err(
            diags,
            spans[0][4].clone(),
            Kind::OutOfRange,
            "every capability is 0: no actor could propose, and the weighted mean and median have no weights".into(),
            "give the actors their capabilities (> 0, in any unit common to all), e.g. their shares of votes or power",
        );
    }
}

fn fail(path: &Path, text: &str, diagnostics: Vec<Diagnostic>) -> ImportError {
    ImportError {
        files: vec![FileProblems {
            path: path.to_path_buf(),
            text: text.to_string(),
            diagnostics,
        }],
    }
}

/// Reads the table and writes the scenario (see [`to_scenario`]).
pub fn import(path: &Path) -> Result<String, ImportError> {
    let t = read(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "table".into());
    Ok(to_scenario(&t, &stem, &path.display().to_string()))
}

/// The scenario text: one spatial issue per issue of the table, one actor per actor.
#[allow(clippy::needless_range_loop)] // issues indexed in parallel across the table and the ids
pub fn to_scenario(t: &Table, name: &str, source: &str) -> String {
    let mut s = String::new();
    s.push_str(&format!("# Imported by `armistice import table` from {source}.\n"));
    s.push_str(
        "#\n# The spatial model: each issue is a scale; each actor has a position on it, a salience\n\
         # (how much it cares) and a capability (its power). Utility falls linearly with the distance\n\
         # from the actor's position (`loss`, docs/model.md §1 (spatial issues)); capability × salience weights the\n\
         # weighted mean and median that `armistice solve` prints, and capability is the actor's\n\
         # recognition weight (who gets to propose). The rest is this tool's bargaining model: check\n\
         # the protocol below.\n",
    );
    let divisor = t.common_divisor();
    let shortest = crate::scenario::number::shortest;
    s.push_str(
        "#\n# Saliences are per actor and issue, not shares: they are written as absolute weights\n\
         # (normalise_salience is false), the rest of an actor's attention on nothing decided here,\n\
         # so that an actor caring little about every issue keeps caring little.\n",
    );
    if divisor != 1.0 {
        let why = match (t.percent, divisor > 100.0) {
            (true, true) => "the largest actor's sum, over 100",
            (true, false) => "the table is on 0–100",
            _ => "the largest actor's sum",
        };
        s.push_str(&format!(
            "# Every salience of the table is divided by the same number, {} ({why}),\n\
             # so that no actor's sum exceeds 1 while the ratios across actors and issues, and so the\n\
             # weighted mean and median (capability × salience), are the table's.\n",
            shortest(divisor)
        ));
    }
    s.push('\n');
    s.push_str("[scenario]\n");
    s.push_str(&format!("id = {}\n", quote(&make_id(name).to_lowercase())));
    s.push_str(&format!(
        "title = {}\n",
        quote(&format!("{name} (imported positions, saliences and capabilities)"))
    ));
    // no as_of, no round_length: the table has no date, and rounds are counted, not dated
    s.push_str("horizon = 24                  # rounds of proposals observed\n");
    s.push_str(&format!("sources = [{}]\n\n", quote(source)));
    s.push_str("[protocol]\n");
    s.push_str("recognition = \"weighted\"       # the proposer is drawn in proportion to capability\n");
    s.push_str("quota = \"unanimity\"            # every actor must accept (or a number of votes)\n\n");
    let issue_ids = unique(t.issues.iter().map(|i| make_id(i)).collect());
    for (k, issue) in t.issues.iter().enumerate() {
        let (lo, hi) = t.scale(k);
        s.push_str("[[issue]]\n");
        s.push_str(&format!("id = {}\n", quote(&issue_ids[k])));
        if issue_ids[k] != *issue {
            s.push_str(&format!("title = {}\n", quote(issue)));
        }
        s.push_str(&format!("scale = [{}, {}]\n", num(lo), num(hi)));
        s.push_str("# options: the actors' positions; for a regular grid write e.g. `grid = 21` or `step = 5`\n");
        s.push_str("loss = \"linear\"\n\n");
    }
    let actor_ids = unique(t.actors.iter().map(|a| make_id(a)).collect());
    for (a, actor) in t.actors.iter().enumerate() {
        s.push_str("[[actor]]\n");
        s.push_str(&format!("id = {}\n", quote(&actor_ids[a])));
        if actor_ids[a] != *actor {
            s.push_str(&format!("name = {}\n", quote(actor)));
        }
        s.push_str(&format!("capability = {}\n", num(t.capability(a))));
        s.push_str("discount = 0.98               # per round [J]; without it (1) waiting would cost nothing\n");
        s.push_str("reservation_value = 0.0       # what no agreement is worth to it [J]\n");
        let mut pos = vec![];
        let mut sal = vec![];
        // every salience divided by one common factor: ratios across actors and issues kept
        for k in 0..t.issues.len() {
            if let Some(p) = t.position(a, k) {
                pos.push(format!("{} = {}", issue_ids[k], num(p)));
                let w = t.raw_salience(a, k);
                sal.push(format!("{} = {}", issue_ids[k], num(w / divisor)));
            }
        }
        s.push_str(&format!("position = {{ {} }}\n", pos.join(", ")));
        s.push_str(&format!("salience = {{ {} }}\n", sal.join(", ")));
        s.push_str("normalise_salience = false     # weights as in the table; the rest is weight on nothing\n");
        s.push('\n');
    }
    s
}

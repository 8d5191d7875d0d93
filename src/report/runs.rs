//! `runs.csv` (`run --per-run`): one row per run, in run order, streamed to disk as the runs
//! complete. Columns: `run`, `outcome`, `round` (1-based, empty without agreement or breakdown),
//! `proposer`, `package_id`, `package`, one column per issue (the agreed option id),
//! `years_to_renewed_war`, `payoff_<actor>` and `war_cost_paid_<actor>` per actor,
//! `share:<issue>:<actor>` per actor sharing a divisible issue (its agreed share, empty without
//! agreement), `frontline_<issue>` per issue with a frontline (path steps), `ratification_failures`,
//! `feasible_packages`, `solver_evaluations`; with `[ceasefire]` only (`docs/model.md` §9.1),
//! `ceasefire_round` (1-based round of the first ceasefire, empty without one), `ceasefire_terms`
//! (its terms) and `ceasefire_collapses` (ceasefires of the run that collapsed back to war).

use crate::model::package::decode;
use crate::scenario::Scenario;
use crate::sim::RunRecord;
use std::io::Write;

/// A streaming writer of `runs.csv`.
pub struct RunsCsv<W: Write> {
    w: csv::Writer<W>,
}

fn num(x: f64) -> String {
    format!("{}", (x * 1e9).round() / 1e9)
}

impl<W: Write> RunsCsv<W> {
    /// Writes the header for scenario `s`.
    ///
    /// # Errors
    /// I/O errors of the underlying writer.
    pub fn new(inner: W, s: &Scenario) -> std::io::Result<Self> {
        let mut w = csv::Writer::from_writer(inner);
        let mut h: Vec<String> = ["run", "outcome", "round", "proposer", "package_id", "package"]
            .map(String::from)
            .to_vec();
        h.extend(s.issues.iter().map(|i| i.id.clone()));
        h.push("years_to_renewed_war".into());
        h.extend(s.actors.iter().map(|a| format!("payoff_{}", a.id)));
        h.extend(s.actors.iter().map(|a| format!("war_cost_paid_{}", a.id)));
        h.extend(shared(s).map(|(k, i)| format!("share:{}:{}", s.issues[k].id, s.actors[i].id)));
        h.extend(
            s.issues
                .iter()
                .filter(|i| i.frontline.is_some())
                .map(|i| format!("frontline_{}", i.id)),
        );
        h.extend(["ratification_failures", "feasible_packages", "solver_evaluations"].map(String::from));
        if s.ceasefire.is_some() {
            h.extend(["ceasefire_round", "ceasefire_terms", "ceasefire_collapses"].map(String::from));
        }
        w.write_record(&h)?;
        Ok(RunsCsv { w })
    }

    /// Appends one run.
    ///
    /// # Errors
    /// I/O errors of the underlying writer.
    pub fn write(&mut self, s: &Scenario, r: &RunRecord) -> std::io::Result<()> {
        let mut rec: Vec<String> = vec![
            r.run.to_string(),
            r.outcome.name().to_string(),
            r.round.map_or(String::new(), |t| (t + 1).to_string()),
        ];
        rec.push(r.proposer.map_or(String::new(), |k| s.actors[k].id.clone()));
        rec.push(r.package.map_or(String::new(), |p| p.to_string()));
        rec.push(r.package.map_or(String::new(), |p| crate::model::package::label(s, p)));
        match r.package {
            Some(p) => rec.extend(
                decode(s, p)
                    .iter()
                    .enumerate()
                    .map(|(k, &o)| s.issues[k].options[o].id.clone()),
            ),
            None => rec.extend(s.issues.iter().map(|_| String::new())),
        }
        rec.push(r.years_to_renewed_war.map_or(String::new(), num));
        rec.extend(r.payoff.iter().map(|&x| num(x)));
        rec.extend(r.war_cost_paid.iter().map(|&x| num(x)));
        rec.extend(shared(s).map(|(_, i)| r.shares.as_ref().map_or(String::new(), |x| num(x[i]))));
        rec.extend(
            r.frontlines
                .iter()
                .zip(&s.issues)
                .filter(|(_, i)| i.frontline.is_some())
                .map(|(f, _)| f.map_or(String::new(), num)),
        );
        rec.extend([
            r.ratification_failures.to_string(),
            r.feasible_packages.to_string(),
            r.solver_evals.to_string(),
        ]);
        if let Some(c) = &s.ceasefire {
            let rc = r.ceasefire.as_ref();
            rec.push(
                rc.and_then(|x| x.first_round)
                    .map_or(String::new(), |t| (t + 1).to_string()),
            );
            rec.push(rc.and_then(|x| x.first_package).map_or(String::new(), |pc| c.label(pc)));
            rec.push(rc.map_or(0, |x| x.collapses).to_string());
        }
        self.w.write_record(&rec)?;
        Ok(())
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors while flushing.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// `(issue, actor)` for every actor sharing a divisible issue, in file order.
fn shared(s: &Scenario) -> impl Iterator<Item = (usize, usize)> + '_ {
    s.issues
        .iter()
        .enumerate()
        .flat_map(|(k, i)| i.divisible.iter().flatten().map(move |&a| (k, a)))
}

//! Runs with a round whose equilibrium solve stopped above the tolerance (`docs/model.md` §3):
//! each such round is played from the best values the solver reached, the run is counted, and the
//! first [`LISTED`] of them by run index are listed, so a merge of shards lists exactly the runs
//! an unsharded job lists, whatever the thread count.

use crate::sim::RunRecord;
use serde::{Deserialize, Serialize};

/// How many unconverged runs are listed (those with the smallest run indices); the count is exact.
pub const LISTED: usize = 100;

/// The unconverged runs of an aggregate: exact count, the first [`LISTED`] by run index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unconverged {
    /// Runs with at least one unconverged round.
    pub count: u64,
    /// The first [`LISTED`] of them, by run index.
    pub runs: Vec<UnconvergedRun>,
}

/// One unconverged run: its first unconverged round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UnconvergedRun {
    /// Run index (with the seed, it identifies the run: `armistice explain --run`).
    pub run: u64,
    /// 0-based round of its first unconverged solve.
    pub round: usize,
    /// Max-norm residual of the equilibrium map at the values played (utility units).
    pub residual: f64,
    /// Temperature those values solve (utility units).
    pub tau: f64,
}

impl Unconverged {
    /// No run was unconverged (the key is then left out of every file).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds one run (nothing if it converged throughout).
    pub fn add(&mut self, r: &RunRecord) {
        let Some(nc) = r.not_converged else { return };
        self.count += 1;
        let at = self.runs.partition_point(|x| x.run < r.run);
        if at < LISTED {
            self.runs.insert(
                at,
                UnconvergedRun {
                    run: r.run,
                    round: nc.round,
                    residual: nc.residual,
                    tau: nc.tau,
                },
            );
            self.runs.truncate(LISTED);
        }
    }

    /// Merges another job's (or shard's) unconverged runs (exact, order-independent).
    pub fn merge(&mut self, o: &Unconverged) {
        self.count += o.count;
        self.runs.extend_from_slice(&o.runs);
        self.runs.sort_by_key(|x| x.run);
        self.runs.dedup_by_key(|x| x.run);
        self.runs.truncate(LISTED);
    }

    /// "runs 3, 17, 40 and 2 more" style list of the first `k` run indices.
    pub fn first_runs(&self, k: usize) -> String {
        let shown: Vec<String> = self.runs.iter().take(k).map(|x| x.run.to_string()).collect();
        let more = self.count.saturating_sub(shown.len() as u64);
        let mut s = shown.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(run: u64) -> RunRecord {
        let s = crate::scenario::Scenario::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/classic/two-party-toy.toml"
        )))
        .unwrap();
        let mut r = crate::sim::simulate(&s, 1, run);
        r.not_converged = Some(crate::sim::NotConverged {
            round: 2,
            residual: 1e-8,
            tau: 0.1,
        });
        r
    }

    /// The list keeps the smallest run indices whatever the order of adding and merging, and the
    /// count stays exact past the cap.
    #[test]
    fn the_list_is_the_first_runs_by_index_in_any_order() {
        let runs: Vec<u64> = (0..(LISTED as u64 + 30)).rev().collect();
        let mut one = Unconverged::default();
        runs.iter().for_each(|&r| one.add(&rec(r)));
        let (mut a, mut b) = (Unconverged::default(), Unconverged::default());
        runs.iter().filter(|r| *r % 3 == 0).for_each(|&r| a.add(&rec(r)));
        runs.iter().filter(|r| *r % 3 != 0).for_each(|&r| b.add(&rec(r)));
        b.merge(&a);
        assert_eq!(one, b);
        assert_eq!(one.count, LISTED as u64 + 30);
        assert_eq!(one.runs.len(), LISTED);
        assert!(one.runs.iter().enumerate().all(|(i, x)| x.run == i as u64));
        assert_eq!(one.first_runs(3), format!("0, 1, 2 and {} more", LISTED + 27));
    }
}

//! Quota games with many actors (`docs/model.md` §3, "Coalitions"): the coalitions a package is
//! offered to, found by pricing the responders' votes instead of listing every coalition.
//!
//! For a package z, responder j's vote is priced by the share of the divisible issue it needs to
//! accept at its lowest believed type (0 without a divisible issue, or for a responder without a
//! share of it), then by its acceptance probability `F_j` at that price (higher is cheaper), then
//! by its margin `U_j(z) − R_j`. A proposer
//! maximising `P(C)·U_k + (1 − P(C))·R_k` buys the cheapest m votes: with a product of acceptance
//! probabilities and a split that pays each responder its price, no other m-subset does better.
//! - τ = 0 (exact best responses, the only case that calls this): the cheapest coalition; where the m-th cheapest vote ties (within [`TIE`]) with
//!   others, the tied responders fill the remaining seats evenly (Baron and Ferejohn 1989): the
//!   coalitions are the `|T|` circular windows of the tie class T (sorted by actor), so every tied
//!   responder is in exactly a share `seats/|T|` of them, as with every tied subset listed.
//! - τ > 0 keeps the older rule (`choice.rs`): the m responders most likely to accept, ties by
//!   actor order, one coalition per package. (Smoothing it by adding the coalitions one swap from
//!   the cheapest at its margin was tried and did not make the 26-actor case solve faster.)
//!
//! At most `|T|` coalitions per package, against `C(pool, m)` when listed: for 26 actors and a
//! majority of 14, at most 25 instead of 5,200,300.

use super::{Stage, TIE};

impl Stage<'_> {
    /// The coalitions of package z that add `m` responders from `pool` to the
    /// required ones (`needed`), by price (see the module docs).
    pub(super) fn cheapest_coalitions(&self, z: usize, r: &[f64], needed: u32, pool: &[usize], m: usize) -> Vec<u32> {
        let ps = self.packages;
        // (price, acceptance probability, margin, actor)
        let mut votes: Vec<(f64, f64, f64, usize)> = pool
            .iter()
            .map(|&j| {
                let x = ps.u(z, j) - r[j];
                match &ps.split {
                    // a share of the divisible issue buys the vote: priced by the share that
                    // meets the lowest believed type (impossible beyond the whole issue)
                    Some(d) if d.members & (1 << j) != 0 => {
                        let price = d.share_for(j, self.shock_lo[j] - x).max(0.0);
                        (price, f64::from(u8::from(price <= 1.0)), x, j)
                    }
                    _ => (0.0, self.accept_prob(j, x), x, j),
                }
            })
            .collect();
        votes.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(b.1.total_cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        let best = votes[..m].iter().fold(needed, |acc, v| acc | (1 << v.3));
        let edge = votes[m - 1];
        let tied = |v: &(f64, f64, f64, usize)| (v.0 - edge.0).abs() <= TIE && (v.1 - edge.1).abs() <= TIE;
        let sure = votes.iter().take_while(|v| !tied(v)).fold(needed, |acc, v| acc | (1 << v.3));
        let mut ties: Vec<usize> = votes.iter().filter(|v| tied(v)).map(|v| v.3).collect();
        let seats = m - (sure & !needed).count_ones() as usize;
        // a tie at a vote that cannot change the offer's acceptance (certain to accept, no
        // price) or kills it (certain to reject) is no tie worth mixing over
        if ties.len() <= seats || edge.1 >= 1.0 && edge.0 == 0.0 || edge.1 <= 0.0 {
            return vec![best];
        }
        ties.sort_unstable();
        (0..ties.len())
            .map(|s| (0..seats).fold(sure, |acc, t| acc | (1 << ties[(s + t) % ties.len()])))
            .collect()
    }
}

//! The per-issue decomposition of the peace values of one run (`docs/model.md` §1, §3), for the
//! search of large package spaces without listing every package.
//!
//! A peace value is additive over issues, `U_i(z) = Σ_k w_ik v_ik(o_k) + B_i`, less the price of
//! durability when it is priced in (`P(renewed war | z) · L_i`, a probability times the actor's
//! `renewed_war_loss`). So `Σ_k w_ik v_ik(o_k) + B_i + e_i`, with `e_i = max(0, −L_i)` when the
//! price is on (0 otherwise), bounds `U_i(z)` from above, and over a set of packages that fixes
//! the options of the first issues, the sum of those options' terms plus the largest term of
//! every later issue bounds every package in the set. The proposer's search
//! (`solve::equilibrium::prune`) walks the product of the issues with these bounds.

use super::package::PackageInputs;

/// Per actor, issue and option: `w_ik v_ik(o)`, with what bounds the rest of the peace value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueValues {
    /// Number of options of each issue.
    pub radix: Vec<usize>,
    /// Start of each issue's options within one actor's row of [`IssueValues::value`].
    pub start: Vec<usize>,
    /// Length of one actor's row: the number of options over all issues.
    pub width: usize,
    /// `value[i * width + start[k] + o] = w_ik v_ik(o)` (utility units).
    pub value: Vec<f64>,
    /// Per actor: the agreement bonus `B_i`.
    pub bonus: Vec<f64>,
    /// Per actor: `e_i ≥ 0`, an upper bound of `U_i(z) − Σ_k w_ik v_ik(o_k) − B_i` over every
    /// package (the durability price, which lowers a value unless `renewed_war_loss` < 0).
    pub excess: Vec<f64>,
    /// Per actor: `s_i ≥ 0`, an upper bound of `Σ_k w_ik v_ik(o_k) + B_i − U_i(z)` over every
    /// package (the durability price when `renewed_war_loss` > 0; 0 when it is not priced in).
    pub shortfall: Vec<f64>,
    /// Bitmask of the actors whose acceptance every package needs (veto actors; everyone under
    /// unanimity).
    pub always_required: u32,
    /// Whether the package set holds every package of the space, so that a package's position
    /// in the set is its global id.
    pub complete: bool,
    /// Whether every package of the set needs exactly [`IssueValues::always_required`] and no
    /// actor has a red line against any of them, so that a package's needs and red lines follow
    /// from its actors' values alone.
    pub uniform: bool,
    /// Number of packages in the set described: a copy of the set with other entries appended
    /// (the war state's ceasefire offers) does not match it and is searched by listing.
    pub packages: usize,
}

impl IssueValues {
    /// The layout for issues with `radix[k]` options; values filled by [`IssueValues::fill`].
    pub fn new(radix: Vec<usize>, n: usize, always_required: u32, packages: usize, complete: bool) -> IssueValues {
        let mut start = Vec::with_capacity(radix.len());
        let mut width = 0;
        for &r in &radix {
            start.push(width);
            width += r;
        }
        IssueValues {
            radix,
            start,
            width,
            value: vec![0.0; n * width],
            bonus: vec![0.0; n],
            excess: vec![0.0; n],
            shortfall: vec![0.0; n],
            always_required,
            complete,
            uniform: false,
            packages,
        }
    }

    /// Fills the terms from the run's package inputs `p`: the same products as
    /// [`super::PackageSet::refresh_utility`], so that summed over issues in order and plus the
    /// bonus they give `U_i(z)` bit for bit when durability is not priced in.
    pub fn fill(&mut self, p: &PackageInputs) {
        let n = self.bonus.len();
        for i in 0..n {
            for k in 0..self.radix.len() {
                for o in 0..self.radix[k] {
                    self.value[i * self.width + self.start[k] + o] = p.salience[i][k] * p.utility[i][k][o];
                }
            }
            self.bonus[i] = p.bonus[i];
            // a probability in [0, 1] times the loss, with room for its rounding
            let priced = p.price_horizon.is_some() && p.durability.is_some();
            let bound = |loss: f64| if priced { loss.max(0.0) * (1.0 + 1e-12) } else { 0.0 };
            self.excess[i] = bound(-p.renewed_war_loss[i]);
            self.shortfall[i] = bound(p.renewed_war_loss[i]);
        }
    }

    /// `w_ik v_ik(o)`.
    #[inline]
    pub fn term(&self, i: usize, k: usize, o: usize) -> f64 {
        self.value[i * self.width + self.start[k] + o]
    }
}

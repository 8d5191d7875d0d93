//! Games with a hard deadline (Ståhl 1972; `docs/model.md` §2): values by backward induction.

use super::Stage;

/// Values by backward induction from a hard deadline (Ståhl 1972; `docs/model.md` §2): with
/// `rounds_left` rounds to go (1 = this is the last), `W_t = G(W_{t+1})`, where in the last round
/// a rejection ends the talks with the breakdown values (`λ = 1`).
pub fn backward_induction(stage: &Stage<'_>, rounds_left: usize) -> Vec<f64> {
    let size = stage.proposer.len() * stage.delta.len();
    let mut last = stage.clone();
    last.breakdown = 1.0;
    let mut w = vec![0.0; size];
    let mut out = vec![0.0; size];
    last.map(&w, &mut out);
    std::mem::swap(&mut w, &mut out);
    for _ in 1..rounds_left.max(1) {
        stage.map(&w, &mut out);
        std::mem::swap(&mut w, &mut out);
    }
    w
}

/// The stage a round with `rounds_left` rounds to a hard deadline is played with, and the values
/// its reservation values and choices look ahead to (`W_{t+1}`): in the last round
/// (`rounds_left` = 1) a rejection ends the talks (`λ = 1`, no values ahead); before it, the
/// values by [`backward_induction`] with one round fewer.
pub fn deadline_round<'a>(stage: &Stage<'a>, rounds_left: usize) -> (Stage<'a>, Vec<f64>) {
    let size = stage.proposer.len() * stage.delta.len();
    if rounds_left <= 1 {
        let mut last = stage.clone();
        last.breakdown = 1.0;
        (last, vec![0.0; size])
    } else {
        (stage.clone(), backward_induction(stage, rounds_left - 1))
    }
}

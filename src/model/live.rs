//! The live packages of a large package set: for a proposer and a floor under every actor's
//! reservation value, the packages it could offer with a chance of acceptance. Filled and read
//! by the pruned proposer's problem (`solve::equilibrium`, `docs/model.md` §3 "Large package
//! spaces"); kept here, with the set, so that every solve of a run shares them.
//!
//! A live set is a superset of what the proposer can choose at any reservation values at or
//! above its floor, so the choice computed from it is the full listing's whatever the cache
//! holds: the cache changes how long a choice takes, never its bits.

use std::sync::{Arc, Mutex};

/// Live sets kept per package set (a few proposers and beliefs at once).
pub const LIVE_SETS_KEPT: usize = 8;

/// One live set.
#[derive(Debug)]
pub struct LiveSet {
    /// The proposer.
    pub proposer: usize,
    /// The bits of the acceptance parameters it was built under (belief supports, scales,
    /// ratifiers' mood floors, the shock family): a set is used only under the same ones.
    pub key: Vec<u64>,
    /// Per actor, the reservation value it was built at (utility units): it holds every package
    /// the proposer values above `floor[proposer]` that every needed responder accepts with
    /// positive probability at reservation values `floor`.
    pub floor: Vec<f64>,
    /// Positions of those packages in the set, ascending.
    pub packages: Vec<u32>,
    /// The responders other than the proposer that every one of them needs, when that is the
    /// same set for all of them (`None` if they differ or there are none): lets the choice
    /// weigh them without reading each package's needs.
    pub needed: Option<u32>,
}

/// Pareto frontiers of two actors' sums of terms over the last issues, per depth (see
/// `solve::equilibrium::prune`): they depend only on the set's values.
pub type Frontiers = Vec<Vec<(f64, f64)>>;

/// The live sets of one package set, most recently built last, and the frontiers the search
/// for them uses, per pair of actors. Cloning a package set starts an empty cache; changing its
/// values in place must [`LiveSets::clear`] it.
#[derive(Default)]
pub struct LiveSets {
    sets: Mutex<Vec<Arc<LiveSet>>>,
    frontiers: Mutex<Vec<PairFrontiers>>,
}

/// The frontiers of one pair of actors (proposer, responder).
type PairFrontiers = ((usize, usize), Arc<Frontiers>);

impl LiveSets {
    /// The first kept set that `usable` accepts, and its position.
    pub fn find(&self, usable: impl Fn(&LiveSet) -> bool) -> Option<(usize, Arc<LiveSet>)> {
        let sets = self.sets.lock().unwrap_or_else(|e| e.into_inner());
        sets.iter().position(|l| usable(l)).map(|i| (i, Arc::clone(&sets[i])))
    }

    /// Keeps `set`, in place of the one at `replace` if given, else dropping the oldest beyond
    /// [`LIVE_SETS_KEPT`].
    pub fn keep(&self, set: Arc<LiveSet>, replace: Option<usize>) {
        let mut sets = self.sets.lock().unwrap_or_else(|e| e.into_inner());
        match replace {
            Some(i) if i < sets.len() => sets[i] = set,
            _ => {
                sets.push(set);
                if sets.len() > LIVE_SETS_KEPT {
                    sets.remove(0);
                }
            }
        }
    }

    /// The frontiers of the pair `(k, j)`, computed by `make` the first time they are asked for.
    pub fn frontiers(&self, pair: (usize, usize), make: impl FnOnce() -> Frontiers) -> Arc<Frontiers> {
        let mut all = self.frontiers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, f)) = all.iter().find(|(p, _)| *p == pair) {
            return Arc::clone(f);
        }
        let f = Arc::new(make());
        all.push((pair, Arc::clone(&f)));
        f
    }

    /// Forgets every live set and frontier (the set's values changed).
    pub fn clear(&mut self) {
        self.sets.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        self.frontiers.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Number of live sets kept.
    pub fn len(&self) -> usize {
        self.sets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Clone for LiveSets {
    fn clone(&self) -> Self {
        LiveSets::default()
    }
}

impl std::fmt::Debug for LiveSets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LiveSets({} kept)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(proposer: usize) -> Arc<LiveSet> {
        Arc::new(LiveSet {
            proposer,
            key: vec![],
            floor: vec![0.0],
            packages: vec![proposer as u32],
            needed: None,
        })
    }

    /// Kept sets are found by the test given, replaced in place, the oldest dropped beyond
    /// [`LIVE_SETS_KEPT`], all of them forgotten by `clear` (with the frontiers) and none
    /// carried by a clone.
    #[test]
    fn sets_are_kept_replaced_evicted_and_cleared() {
        let mut live = LiveSets::default();
        for k in 0..LIVE_SETS_KEPT {
            live.keep(set(k), None);
        }
        assert_eq!(live.find(|l| l.proposer == 3).map(|(i, _)| i), Some(3));
        live.keep(set(100), Some(3));
        assert!(live.find(|l| l.proposer == 3).is_none());
        assert_eq!(live.find(|l| l.proposer == 100).map(|(i, _)| i), Some(3));
        live.keep(set(200), None);
        assert_eq!(live.len(), LIVE_SETS_KEPT);
        assert!(live.find(|l| l.proposer == 0).is_none(), "the oldest is dropped");
        assert!(live.clone().is_empty());
        let mut made = 0;
        for _ in 0..2 {
            live.frontiers((0, 1), || {
                made += 1;
                vec![vec![(0.0, 0.0)]]
            });
        }
        assert_eq!(made, 1, "frontiers are computed once");
        live.clear();
        assert!(live.is_empty());
        live.frontiers((0, 1), || {
            made += 1;
            vec![]
        });
        assert_eq!(made, 2, "clear forgets the frontiers");
    }
}

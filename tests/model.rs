//! Red lines, consent, ratification scope and the loader's located errors.

use armistice::model::{PackageSet, RunParams};
use armistice::scenario::Scenario;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use std::path::Path;

const BASE: &str = r#"
[scenario]
id = "t"
title = "t"
as_of = 2025-01-01
round_length = "1 month"
horizon = 6

[protocol]
quota = 2

[[issue]]
id = "x"
war_status_quo = "X1"
options = [{ id = "X0" }, { id = "X1" }, { id = "X2", consent = ["BODY"] }]

[[issue]]
id = "y"
war_status_quo = "Y0"
options = [{ id = "Y0" }, { id = "Y1", consent = ["C"] }]

[[body]]
id = "BODY"
consent = __CONSENT__

[[actor]]
id = "A"
veto = true
discount = 0.9
salience = { x = 0.5, y = 0.5 }
utility = { x = [1, 0.5, 0], y = [0, 1] }
red_lines = [{ issue = "x", options = ["X0"], binding = __BINDING__ __UNLESS__ }]

[[actor]]
id = "B"
veto = true
discount = 0.9
salience = { x = 0.5, y = 0.5 }
utility = { x = [0, 0.5, 1], y = [1, 0] }

[[actor]]
id = "C"
discount = 0.9
salience = { x = 1.0 }
utility = { x = [0, 0.5, 1] }
__RATIFIER__
"#;

fn scenario(binding: &str, consent: &str, unless: &str, ratifier: &str) -> Scenario {
    let text = BASE
        .replace("__BINDING__", binding)
        .replace("__CONSENT__", consent)
        .replace("__UNLESS__", unless)
        .replace("__RATIFIER__", ratifier);
    Scenario::from_bytes(Path::new("t.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn packages(s: &Scenario) -> (PackageSet, Vec<String>) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let p = RunParams::draw(s, &mut rng);
    let set = PackageSet::build(s, &p);
    let labels = set
        .ids
        .iter()
        .map(|&id| armistice::model::package::label(s, id))
        .collect();
    (set, labels)
}

#[test]
fn a_binding_red_line_of_a_veto_actor_removes_its_packages() {
    let (_, with) = packages(&scenario("1.0", "1.0", "", ""));
    assert!(with.iter().all(|l| !l.starts_with("X0")), "{with:?}");
    let (_, without) = packages(&scenario("0.0", "1.0", "", ""));
    assert!(without.iter().any(|l| l.starts_with("X0")), "{without:?}");
    assert_eq!(without.len(), 6);
    assert_eq!(with.len(), 4);
}

#[test]
fn a_red_line_waived_by_ratification_keeps_packages_in_the_ratifier_scope() {
    let ratifier = "[[ratifier]]\nid = \"R\"\nscope = { x = [\"X0\"] }\npass = { intercept = 0.0 }\n";
    let (set, labels) = packages(&scenario("1.0", "1.0", ", unless = { ratified = true }", ratifier));
    assert!(labels.iter().any(|l| l.starts_with("X0")), "{labels:?}");
    // in scope: pass probability logistic(0) = 0.5; out of scope: 1
    for (z, l) in labels.iter().enumerate() {
        let expect = if l.starts_with("X0") { 0.5 } else { 1.0 };
        assert!((set.ratify[z] - expect).abs() < 1e-12, "{l}");
    }
}

#[test]
fn a_red_line_waived_by_another_option() {
    let (_, labels) = packages(&scenario("1.0", "1.0", ", unless = { options = [\"Y1\"] }", ""));
    assert!(labels.contains(&"X0 · Y1".to_string()), "{labels:?}");
    assert!(!labels.contains(&"X0 · Y0".to_string()), "{labels:?}");
}

#[test]
fn a_refusing_body_removes_the_options_needing_its_consent() {
    let (_, refuse) = packages(&scenario("0.0", "0.0", "", ""));
    assert!(refuse.iter().all(|l| !l.starts_with("X2")), "{refuse:?}");
    let (_, agree) = packages(&scenario("0.0", "1.0", "", ""));
    assert!(agree.iter().any(|l| l.starts_with("X2")), "{agree:?}");
}

#[test]
fn consent_lists_add_required_responders() {
    let s = scenario("0.0", "1.0", "", "");
    let (set, labels) = packages(&s);
    let c = s.actor_index("C").unwrap();
    for (z, l) in labels.iter().enumerate() {
        let needs_c = set.required[z] & (1 << c) != 0;
        assert_eq!(needs_c, l.ends_with("Y1"), "{l}");
        // veto actors are always required
        assert_eq!(set.required[z] & 0b11, 0b11);
    }
}

/// A set records whether every package has the same needs and no red line against it (the
/// pruned search of large spaces takes whole subtrees of packages only then): not with a consent
/// list, yes once the consent lists are gone and a binding red line has removed its packages.
#[test]
fn a_set_is_uniform_only_when_needs_and_red_lines_are_the_same_for_every_package() {
    let uniform = |s: &Scenario| packages(s).0.issue_values.expect("issue values").uniform;
    assert!(!uniform(&scenario("1.0", "1.0", "", "")));
    let text = BASE
        .replace("__BINDING__", "1.0")
        .replace("__CONSENT__", "1.0")
        .replace("__UNLESS__", "")
        .replace("__RATIFIER__", "")
        .replace(", consent = [\"C\"]", "")
        .replace(", consent = [\"BODY\"]", "");
    let plain = Scenario::from_bytes(Path::new("t.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(uniform(&plain));
}

fn load_err(text: &str) -> String {
    match Scenario::from_bytes(Path::new("bad.toml"), text.as_bytes()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_unknown_key_is_located_with_a_suggestion() {
    let text = scenario_text().replace(
        "discount = 0.9\nsalience = { x = 1.0 }",
        "discont = 0.9\nsalience = { x = 1.0 }",
    );
    let e = load_err(&text);
    assert!(e.contains("bad.toml:"), "{e}");
    assert!(e.contains("unknown field `discont`"), "{e}");
    assert!(e.contains("did you mean `discount`"), "{e}");
}

#[test]
fn a_dangling_id_is_located_with_a_suggestion() {
    let text = scenario_text().replace("consent = [\"C\"]", "consent = [\"CC\"]");
    let e = load_err(&text);
    let line = text.lines().position(|l| l.contains("\"CC\"")).unwrap() + 1;
    assert!(e.contains(&format!("bad.toml:{line}:")), "{e}");
    assert!(e.contains("did you mean `C`"), "{e}");
}

#[test]
fn a_utility_array_of_the_wrong_length_says_how_many() {
    let text = scenario_text().replace("utility = { x = [0, 0.5, 1] }\n", "utility = { x = [0, 0.5] }\n");
    let e = load_err(&text);
    assert!(e.contains("has 2 values but issue `x` has 3 options"), "{e}");
}

#[test]
fn a_probability_above_one_is_an_error() {
    let text = scenario_text().replace("consent = 1.0", "consent = 1.5");
    let e = load_err(&text);
    assert!(e.contains("outside its domain") && e.contains("[0, 1]"), "{e}");
}

fn scenario_text() -> String {
    BASE.replace("__BINDING__", "0.5")
        .replace("__CONSENT__", "1.0")
        .replace("__UNLESS__", "")
        .replace("__RATIFIER__", "")
}

#[test]
fn a_ratifier_scope_that_is_not_a_list_is_an_error() {
    let text = scenario_text() + "[[ratifier]]\nid = \"R\"\nscope = { x = \"X0\" }\npass = { intercept = 0.0 }\n";
    let e = load_err(&text);
    assert!(e.contains("expects a list") && e.contains(":49:15"), "{e}");
}

#[test]
fn more_actors_than_the_engine_handles_is_an_error() {
    let mut text = scenario_text();
    for k in 0..31 {
        text += &format!(
            "[[actor]]\nid = \"X{k}A\"\ndiscount = 0.9\nsalience = {{ x = 1.0 }}\nutility = {{ x = [0, 0.5, 1] }}\n"
        );
    }
    let e = load_err(&text);
    assert!(e.contains("at most 32"), "{e}");
}

#[test]
fn an_unknown_key_and_a_dangling_id_are_reported_together() {
    let text = scenario_text()
        .replacen(
            "war_status_quo = \"X1\"",
            "war_status_qou = \"X1\"\nwar_status_quo = \"X1\"",
            1,
        )
        .replace("options = [\"X0\"]", "options = [\"X9\"]");
    let e = load_err(&text);
    assert!(e.contains("unknown field `war_status_qou`"), "{e}");
    assert!(e.contains("has no option `X9`"), "{e}");
    assert!(e.contains("2 errors"), "{e}");
}

#[test]
fn suggestions_prefer_a_shared_prefix_and_stay_silent_when_ambiguous() {
    use armistice::scenario::suggest;
    assert_eq!(suggest("USA", ["UA", "US", "EU"]), Some("US"));
    assert_eq!(suggest("B9", ["B0", "B1", "B2"]), None);
    assert_eq!(suggest("discont", ["discount", "noise"]), Some("discount"));
}

/// Runs whose package inputs are the same share one package set, the set a fresh build gives;
/// a parameter that is not an input (a war cost) does not stop the sharing, one that is (a
/// salience, a bonus) does; the cache keeps the last `PACKAGE_SETS_SHARED` sets.
#[test]
fn a_package_cache_shares_sets_of_equal_inputs_only() {
    use armistice::model::package::{PACKAGE_SETS_SHARED, PackageCache};
    use std::sync::Arc;
    let s = scenario("1.0", "1.0", "", "");
    let p = RunParams::draw(&s, &mut ChaCha8Rng::seed_from_u64(1));
    let cache = PackageCache::default();
    let a = cache.get(&s, &p);
    let fresh = PackageSet::build(&s, &p);
    assert_eq!(a.ids, fresh.ids);
    assert_eq!(a.utility, fresh.utility);
    assert_eq!((&a.required, &a.blocked), (&fresh.required, &fresh.blocked));
    let mut war = p.clone();
    war.war_cost[0] += 0.1;
    assert!(Arc::ptr_eq(&a, &cache.get(&s, &war)));
    let mut salience = p.clone();
    salience.salience[0][0] += 0.01;
    let b = cache.get(&s, &salience);
    assert!(!Arc::ptr_eq(&a, &b));
    assert_ne!(a.utility, b.utility);
    assert_eq!(PACKAGE_SETS_SHARED, 2);
    let mut bonus = p.clone();
    bonus.bonus[1] += 0.5;
    let c = cache.get(&s, &bonus);
    assert!(!Arc::ptr_eq(&b, &c));
    // the first set was dropped for the third: asked again, it is built again
    assert!(!Arc::ptr_eq(&a, &cache.get(&s, &p)));
}

/// A run that shares its package set plays exactly as one that builds its own, also when an
/// event changes the values in the middle of the run (the agreement bonus of
/// `expiring-bonus.toml` lapses at round 8: the run changes its own copy, not the shared set).
#[test]
fn a_run_sharing_its_package_set_plays_as_one_building_its_own() {
    use armistice::model::package::PackageCache;
    use armistice::sim::{simulate, simulate_shared};
    let s = Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/expiring-bonus.toml"
    )))
    .unwrap();
    let cache = PackageCache::default();
    let mut lapsed = 0;
    for run in 0..40 {
        let own = simulate(&s, 11, run);
        assert_eq!(simulate_shared(&s, 11, run, &cache), own, "run {run}");
        lapsed += usize::from(own.round.is_none_or(|r| r >= 8));
    }
    // the test exercises the lapse, not only early deals
    assert!(lapsed > 0, "{lapsed}");
    // the shared set still holds the values before the lapse
    let p = armistice::sim::run::drawn_params(&s, 11, 0);
    assert_eq!(cache.get(&s, &p).utility, PackageSet::build(&s, &p).utility);
}

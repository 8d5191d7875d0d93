//! Diagnostic regression suite for scenario authoring.
//!
//! Every file in `scenarios/invalid/` is a small scenario (derived from
//! `scenarios/classic/two-party-toy.toml`, `scenarios/classic/rubinstein.toml` or
//! `scenarios/template.toml`) with exactly one mistake,
//! named by the mistake and described on its first line, `# mistake: ...` (the empty file has no
//! room for it). Each file has one test here that snapshots the full text `armistice check` would
//! print for it (`tests/snapshots/invalid__<file>.snap`): the rendered errors for a file that fails
//! to load, the rendered warnings for one that loads. A second test checks the table below against
//! the directory and the behaviour every diagnostic must have (fails or warns as expected, points
//! at the line of the mistake, offers a fix).
//!
//! To add a case: write `scenarios/invalid/<mistake>.toml`, add a line to `cases!` below, run
//! `INSTA_UPDATE=always cargo test --test invalid`, and read the new snapshot as a user would.

use armistice::scenario::Scenario;
use std::path::{Path, PathBuf};

/// What loading a file must produce.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// The file fails to load; the first error points at this location.
    Fails(Loc),
    /// The file loads with at least one warning; the first warning points at this location.
    Warns(Loc),
}

/// Where the first diagnostic must point.
#[derive(Debug, Clone, Copy)]
enum Loc {
    /// `--> file:LINE:COL` with this 1-based line.
    Line(usize),
    /// `--> file` alone: the problem concerns the whole file or the whole scenario.
    Nowhere,
}

use Expect::{Fails, Warns};
use Loc::{Line, Nowhere};

/// One test per file, and the table [`CASES`] of (file stem, expectation).
macro_rules! cases {
    ($($test:ident: $file:literal => $expect:expr,)*) => {
        const CASES: &[(&str, Expect)] = &[$(($file, $expect),)*];
        $(
            #[test]
            fn $test() {
                snapshot($file);
            }
        )*
    };
}

cases! {
    // spatial issues (a scale with positions; docs/model.md §1, "Spatial issues")
    spatial_position_outside_scale: "spatial-position-outside-scale" => Fails(Line(56)),
    spatial_missing_position: "spatial-missing-position" => Fails(Line(69)),
    spatial_grid_and_step: "spatial-grid-and-step" => Fails(Line(43)),
    spatial_utility_given: "spatial-utility-given" => Fails(Line(55)),
    spatial_position_on_ordinal_issue: "spatial-position-on-ordinal-issue" => Fails(Line(56)),
    // optional calendar and discount (issue 18): what needs as_of / round_length / discount
    ceasefire_without_round_length: "ceasefire-without-round-length" => Fails(Line(72)),
    rate_per_without_round_length: "rate-per-without-round-length" => Fails(Line(67)),
    duration_without_round_length: "duration-without-round-length" => Fails(Line(9)),
    date_without_as_of: "date-without-as-of" => Fails(Line(19)),
    question_without_as_of: "question-without-as-of" => Fails(Line(72)),
    absolute_saliences_above_one: "absolute-saliences-above-one" => Fails(Line(70)),
    absolute_saliences_drawn_above_one: "absolute-saliences-drawn-above-one" => Fails(Line(70)),
    absolute_saliences_unbounded: "absolute-saliences-unbounded" => Fails(Line(70)),
    no_war_without_reservation_value: "no-war-without-reservation-value" => Fails(Line(16)),
    // TOML syntax, unknown and missing keys, wrong types (found by the structural precheck).
    // The mistake (an unclosed `{`) is on line 56; the parser notices on line 57.
    toml_syntax_error: "toml-syntax-error" => Fails(Line(57)),
    toml_syntax_unquoted_string: "toml-syntax-unquoted-string" => Fails(Line(64)),
    unknown_key_top_level: "unknown-key-top-level" => Fails(Line(13)),
    unknown_key_in_actor: "unknown-key-in-actor" => Fails(Line(68)),
    unknown_key_in_red_line: "unknown-key-in-red-line" => Fails(Line(59)),
    missing_actor_discount: "missing-actor-discount" => Fails(Line(62)),
    wrong_type_string_for_number: "wrong-type-string-for-number" => Fails(Line(68)),
    wrong_type_quoted_date: "wrong-type-quoted-date" => Fails(Line(8)),
    unknown_distribution_name: "unknown-distribution-name" => Fails(Line(53)),
    distribution_wrong_arity: "distribution-wrong-arity" => Fails(Line(53)),
    effect_add_and_set: "effect-add-and-set" => Fails(Line(88)),
    // References to ids that do not exist.
    dangling_actor_in_consent: "dangling-actor-in-consent" => Fails(Line(43)),
    dangling_issue_in_red_line: "dangling-issue-in-red-line" => Fails(Line(59)),
    dangling_option_in_red_line: "dangling-option-in-red-line" => Fails(Line(59)),
    red_line_option_of_other_issue: "red-line-option-of-other-issue" => Fails(Line(59)),
    dangling_issue_in_salience: "dangling-issue-in-salience" => Fails(Line(56)),
    dangling_actor_in_event_effect: "dangling-actor-in-event-effect" => Fails(Line(88)),
    dangling_war_status_quo: "dangling-war-status-quo" => Fails(Line(39)),
    unknown_actor_in_recognition_order: "unknown-actor-in-recognition-order" => Fails(Line(18)),
    // Structure.
    utility_wrong_length: "utility-wrong-length" => Fails(Line(71)),
    duplicate_actor_id: "duplicate-actor-id" => Fails(Line(63)),
    duplicate_option_id: "duplicate-option-id" => Fails(Line(43)),
    frontline_path_one_option: "frontline-path-one-option" => Fails(Line(34)),
    frontline_start_off_path: "frontline-start-off-path" => Fails(Line(34)),
    missing_war_time_utility: "missing-war-time-utility" => Fails(Line(47)),
    red_line_no_options: "red-line-no-options" => Fails(Line(59)),
    event_hazard_and_at_round: "event-hazard-and-at-round" => Fails(Line(83)),
    agreement_bonus_effect_without_actor: "agreement-bonus-effect-without-actor" => Fails(Line(87)),
    ratifier_scope_not_list: "ratifier-scope-not-list" => Fails(Line(102)),
    one_actor: "one-actor" => Fails(Line(4)),
    package_space_too_large: "package-space-too-large" => Fails(Line(4)),
    // Divisible issues, recognition, the war lottery, the band model (derived from
    // scenarios/classic/rubinstein.toml).
    divisible_issue_with_options: "divisible-issue-with-options" => Fails(Line(26)),
    two_divisible_issues: "two-divisible-issues" => Fails(Line(27)),
    utility_on_divisible_issue: "utility-on-divisible-issue" => Fails(Line(32)),
    curvature_out_of_range: "curvature-out-of-range" => Fails(Line(32)),
    markov_row_not_summing_to_one: "markov-row-not-summing-to-one" => Fails(Line(17)),
    war_and_breakdown_value: "war-and-breakdown-value" => Fails(Line(31)),
    band_without_volatility: "band-without-volatility" => Fails(Line(39)),
    // Values outside their domain, impossible distributions.
    binding_above_one: "binding-above-one" => Fails(Line(59)),
    negative_noise: "negative-noise" => Fails(Line(55)),
    temperature_old_name: "temperature-old-name" => Warns(Line(21)),
    temperature_and_old_name: "temperature-and-old-name" => Fails(Line(22)),
    discount_zero: "discount-zero" => Fails(Line(53)),
    discount_above_one: "discount-above-one" => Fails(Line(53)),
    normal_sd_zero: "normal-sd-zero" => Fails(Line(66)),
    uniform_low_above_high: "uniform-low-above-high" => Fails(Line(54)),
    triangular_mode_outside: "triangular-mode-outside" => Fails(Line(34)),
    horizon_zero: "horizon-zero" => Fails(Line(10)),
    round_length_unreadable: "round-length-unreadable" => Fails(Line(9)),
    quota_above_actor_count: "quota-above-actor-count" => Fails(Line(19)),
    p_renewed_war_one: "p-renewed-war-one" => Fails(Line(78)),
    event_duration_zero: "event-duration-zero" => Fails(Line(87)),
    belief_about_issue_without_frontline: "belief-about-issue-without-frontline" => Fails(Line(68)),
    belief_unknown_id: "belief-unknown-id" => Fails(Line(68)),
    belief_drift_sd_negative: "belief-drift-sd-negative" => Fails(Line(66)),
    belief_breakthrough_strength_zero: "belief-breakthrough-strength-zero" => Fails(Line(66)),
    price_durability_without_durability: "price-durability-without-durability" => Fails(Line(32)),
    sweep_unknown_path: "sweep-unknown-path" => Fails(Line(93)),
    sweep_value_out_of_range: "sweep-value-out-of-range" => Fails(Line(93)),
    // State-dependent positions (`when` lists).
    when_beyond_off_path: "when-beyond-off-path" => Fails(Line(59)),
    when_wrong_value_key: "when-wrong-value-key" => Fails(Line(59)),
    when_unknown_event: "when-unknown-event" => Fails(Line(59)),
    // Warnings: the file loads.
    saliences_not_summing_to_one: "saliences-not-summing-to-one" => Warns(Line(70)),
    distribution_mass_outside_domain: "distribution-mass-outside-domain" => Warns(Line(53)),
    impossible_agreement: "impossible-agreement" => Warns(Nowhere),
    event_after_horizon: "event-after-horizon" => Warns(Line(91)),
    renewed_war_loss_without_pricing: "renewed-war-loss-without-pricing" => Warns(Line(68)),
    belief_breakthrough_without_jump: "belief-breakthrough-without-jump" => Warns(Line(66)),
    belief_about_event_without_effect: "belief-about-event-without-effect" => Warns(Line(66)),
    belief_empty: "belief-empty" => Warns(Line(68)),
    renewed_war_loss_off_scale: "renewed-war-loss-off-scale" => Warns(Line(69)),
    deadline_beyond_horizon: "deadline-beyond-horizon" => Warns(Line(20)),
    war_without_breakdown: "war-without-breakdown" => Warns(Line(39)),
    // Whole-file problems.
    empty_file: "empty-file" => Fails(Nowhere),
    comment_only_file: "comment-only-file" => Fails(Nowhere),
    non_utf8: "non-utf8" => Fails(Line(50)),
    // Rates and times with their unit (docs/model.md §9.5).
    rate_unknown_unit: "rate-unknown-unit" => Fails(Line(66)),
    rate_per_on_non_rate: "rate-per-on-non-rate" => Fails(Line(53)),
    rate_hazard_above_one: "rate-hazard-above-one" => Fails(Line(21)),
    date_before_as_of: "date-before-as-of" => Fails(Line(22)),
    question_unknown_event: "question-unknown-event" => Fails(Line(80)),
    question_beyond_horizon: "question-beyond-horizon" => Fails(Line(81)),
    question_ceasefire_without_section: "question-ceasefire-without-section" => Fails(Line(80)),
    question_market_not_a_probability: "question-market-not-a-probability" => Fails(Line(85)),
    question_outcome_without_date: "question-outcome-without-date" => Fails(Line(84)),
    question_market_stale: "question-market-stale" => Warns(Line(86)),
    question_yes_after_deadline: "question-yes-after-deadline" => Fails(Line(85)),
    question_market_after_outcome: "question-market-after-outcome" => Fails(Line(91)),
    // Ids and text that could reach paths and terminals; messages of issue 14.
    id_dot_dot: "id-dot-dot" => Fails(Line(5)),
    id_escape_sequence: "id-escape-sequence" => Fails(Line(49)),
    id_too_long: "id-too-long" => Fails(Line(5)),
    sweep_id_with_path: "sweep-id-with-path" => Fails(Line(82)),
    text_with_control_character: "text-with-control-character" => Fails(Line(42)),
    table_declared_twice: "table-declared-twice" => Fails(Line(22)),
    integer_too_large: "integer-too-large" => Fails(Line(14)),
    nesting_too_deep: "nesting-too-deep" => Fails(Line(55)),
    missing_key_and_bad_ids: "missing-key-and-bad-ids" => Fails(Line(37)),
    unknown_actor_with_sweeps: "unknown-actor-with-sweeps" => Fails(Line(59)),
    absurd_magnitudes: "absurd-magnitudes" => Fails(Line(54)),
    ambiguous_option_id: "ambiguous-option-id" => Fails(Line(59)),
    temperature_too_small: "temperature-too-small" => Fails(Line(21)),
    // Discrete private types (`types`, derived from scenarios/classic/fearon.toml).
    types_probabilities_sum: "types-probabilities-sum" => Fails(Line(51)),
    types_probability_above_one: "types-probability-above-one" => Fails(Line(51)),
    types_empty: "types-empty" => Fails(Line(51)),
    types_and_noise: "types-and-noise" => Fails(Line(51)),
    types_shock_off_scale: "types-shock-off-scale" => Fails(Line(51)),
    types_unknown_key: "types-unknown-key" => Fails(Line(51)),
    types_noise_event: "types-noise-event" => Fails(Line(61)),
    tolerance_out_of_range: "tolerance-out-of-range" => Fails(Line(22)),
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/invalid")
}

/// The path shown in diagnostics: relative, so snapshots hold no machine paths.
fn display_path(stem: &str) -> PathBuf {
    PathBuf::from(format!("scenarios/invalid/{stem}.toml"))
}

fn read(stem: &str) -> Vec<u8> {
    let path = dir().join(format!("{stem}.toml"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The file's `# mistake: ...` line, if any.
fn mistake(bytes: &[u8]) -> Option<String> {
    let first = bytes.split(|&b| b == b'\n').next()?;
    let first = String::from_utf8_lossy(first);
    first.strip_prefix("# mistake: ").map(str::to_string)
}

/// What `armistice check` prints for the file: the error report, or the warnings of a file that
/// loads (empty if it loads cleanly).
fn diagnostics(stem: &str) -> (Result<Scenario, armistice::scenario::ScenarioError>, String) {
    let bytes = read(stem);
    let result = armistice::model::check::from_bytes(&display_path(stem), &bytes);
    let text = match &result {
        Ok(s) => s.warnings.join("\n"),
        Err(e) => e.to_string(),
    };
    (result, text)
}

fn snapshot(stem: &str) {
    let bytes = read(stem);
    let (_, text) = diagnostics(stem);
    let description = mistake(&bytes).unwrap_or_else(|| "the file is empty (0 bytes)".into());
    insta::with_settings!({
        description => description,
        omit_expression => true,
        prepend_module_to_snapshot => true,
    }, {
        insta::assert_snapshot!(stem, text);
    });
}

/// The `LINE:COL` of the first `--> path:LINE:COL` in `text`; `Some(None)` for a `--> path`
/// without a location; `None` if there is no `-->` line at all.
fn first_location(text: &str, stem: &str) -> Option<Option<(usize, usize)>> {
    let arrow = format!("--> {}", display_path(stem).display());
    let at = text.find(&arrow)?;
    let rest = &text[at + arrow.len()..];
    let rest = rest.lines().next().unwrap_or("");
    let Some(loc) = rest.strip_prefix(':') else {
        assert!(rest.is_empty(), "{stem}: unexpected text after the path: {rest:?}");
        return Some(None);
    };
    let (line, col) = loc
        .split_once(':')
        .unwrap_or_else(|| panic!("{stem}: bad location {loc:?}"));
    Some(Some((
        line.parse().unwrap_or_else(|_| panic!("{stem}: bad line {line:?}")),
        col.parse().unwrap_or_else(|_| panic!("{stem}: bad column {col:?}")),
    )))
}

/// Files whose diagnostics are known to lack a `= help:` line: the impossible-distribution errors
/// (validate.rs passes an empty help and puts the fix in the message) and the precheck's
/// wrong-type error for a schema without a description (the ratifier scope). Remove a file from
/// this list once its diagnostic gains a help line; the test below fails until you do, so the list
/// stays true.
const KNOWN_WITHOUT_HELP: &[&str] = &[];

/// The diagnostic blocks of a rendered report (`error: ...` or `warning: ...` up to the next).
fn blocks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for line in text.lines() {
        if line.starts_with("error: ") || line.starts_with("warning: ") {
            out.push(String::new());
        }
        if let Some(b) = out.last_mut() {
            b.push_str(line);
            b.push('\n');
        }
    }
    out
}

/// Everything wrong with one file's diagnostics, as messages (empty = as expected).
fn check_case(stem: &str, expect: Expect) -> Vec<String> {
    let mut problems = vec![];
    let bytes = read(stem);
    if stem == "empty-file" {
        if !bytes.is_empty() {
            problems.push("empty-file.toml must stay empty".into());
        }
    } else if mistake(&bytes).is_none_or(|m| m.trim().is_empty()) {
        problems.push("the file must start with `# mistake: <what is wrong>`".into());
    }
    let (result, text) = diagnostics(stem);
    let loc = match (expect, &result) {
        (Fails(loc), Err(e)) => {
            if e.error_count() == 0 {
                problems.push("a failed load without an error".into());
            }
            if !text.starts_with("error: ") {
                problems.push("the first diagnostic is not an error".into());
            }
            loc
        }
        (Fails(_), Ok(s)) => {
            problems.push(format!("expected to fail, but it loads (warnings: {:?})", s.warnings));
            return problems;
        }
        (Warns(loc), Ok(s)) => {
            if s.warnings.is_empty() {
                problems.push("loads without the expected warning".into());
            }
            if s.warnings.iter().any(|w| !w.starts_with("warning: ")) {
                problems.push("a loaded file reports something other than a warning".into());
            }
            loc
        }
        (Warns(_), Err(_)) => {
            problems.push("expected to load with a warning, but it fails".into());
            return problems;
        }
    };
    let diags = blocks(&text);
    if diags.is_empty() {
        problems.push("no diagnostic".into());
    }
    let without_help = diags.iter().filter(|b| !b.contains("\n  = help: ")).count();
    match (without_help > 0, KNOWN_WITHOUT_HELP.contains(&stem)) {
        (true, false) => problems.push(format!("{without_help} diagnostic(s) without a `= help:` line")),
        (false, true) => problems.push("every diagnostic now has help: remove it from KNOWN_WITHOUT_HELP".into()),
        _ => {}
    }
    match (loc, first_location(&text, stem)) {
        (Line(want), Some(Some((line, col)))) => {
            if line != want {
                problems.push(format!("the first diagnostic points at line {line}, expected {want}"));
            }
            // The quoted source line is the file's line (the non-UTF-8 file quotes its valid
            // prefix), and the carets start under the column.
            let src = String::from_utf8_lossy(&bytes);
            let src_line = src.lines().nth(line - 1).unwrap_or("");
            let quoted = format!("\n{line} | {src_line}\n");
            // (a line longer than 160 characters is quoted as a window around the column)
            if stem != "non-utf8" && src_line.chars().count() <= 160 && !text.contains(&quoted) {
                problems.push(format!("line {line} is not quoted"));
            }
            let width = line.to_string().len();
            let shown_col = if src_line.chars().count() > 160 {
                col.min(81)
            } else {
                col
            };
            if !text.contains(&format!("\n{} | {}^", " ".repeat(width), " ".repeat(shown_col - 1))) {
                problems.push(format!("no caret under column {col}"));
            }
        }
        (Line(want), other) => problems.push(format!("expected a location on line {want}, got {other:?}")),
        (Nowhere, Some(None)) => {}
        (Nowhere, other) => problems.push(format!("expected `--> file` without line:col, got {other:?}")),
    }
    problems
}

#[test]
fn every_invalid_file_is_covered_and_diagnosed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(s, _)| (*s).to_string()).collect();
    listed.sort();
    let missing: Vec<&String> = on_disk.iter().filter(|s| !listed.contains(s)).collect();
    let stale: Vec<&String> = listed.iter().filter(|s| !on_disk.contains(s)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "scenarios/invalid/ and the cases! table disagree: not in the table {missing:?}, no such file {stale:?}"
    );
    let mut unique = listed.clone();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "a file is listed twice in cases!");
    assert!(on_disk.len() >= 28, "only {} invalid scenarios", on_disk.len());
    for stem in KNOWN_WITHOUT_HELP {
        assert!(
            listed.iter().any(|s| s == stem),
            "KNOWN_WITHOUT_HELP names no case `{stem}`"
        );
    }

    let mut report = String::new();
    for &(stem, expect) in CASES {
        let problems = check_case(stem, expect);
        if !problems.is_empty() {
            let (_, text) = diagnostics(stem);
            report += &format!("\n{stem}.toml:\n  - {}\n{text}\n", problems.join("\n  - "));
        }
    }
    assert!(report.is_empty(), "diagnostics not as expected:\n{report}");
}

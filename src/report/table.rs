//! The terminal summary table.

use crate::stats::Summary;
use crate::stats::summary::Estimate;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// A percentage with as many decimals as `runs` supports (1 below 100,000 runs, else 2).
pub fn pct(p: f64, runs: u64) -> String {
    let d = if runs >= 100_000 { 2 } else { 1 };
    format!("{:.*}%", d, 100.0 * p)
}

/// "34.2% (33.6–34.9)"; "—" when there is nothing to estimate.
pub fn estimate(e: &Estimate, runs: u64) -> String {
    if e.total == 0 {
        return "— (nothing to estimate)".into();
    }
    format!(
        "{} ({}–{})",
        pct(e.p, runs),
        pct(e.ci_low, runs).trim_end_matches('%'),
        pct(e.ci_high, runs)
    )
}

/// Renders the summary as text tables for the terminal.
pub fn render(s: &Summary, out_dir: &str) -> String {
    let runs = s.runs;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(110);
    t.set_header(vec!["statistic", "estimate (95% interval)"]);
    for o in &s.outcomes {
        t.add_row(vec![format!("P({})", o.outcome), estimate(&o.estimate, runs)]);
    }
    for r in [6, 12, 24] {
        if r <= s.horizon
            && let Some(e) = s.agreement_by(r)
        {
            t.add_row(vec![format!("P(agreement within {r} rounds)"), estimate(&e, runs)]);
        }
    }
    t.add_row(vec![
        "median round of agreement".to_string(),
        s.median_round_of_agreement
            .map_or("—".into(), |m| format!("round {m} (of those that agree)")),
    ]);
    if let Some(p) = s.packages.first() {
        t.add_row(vec![
            "most likely package".to_string(),
            format!(
                "{}: {} of agreements",
                p.package,
                estimate(&p.share_of_agreements, runs)
            ),
        ]);
    }
    if let Some(e) = s.renewed_within(5.0) {
        t.add_row(vec![
            "P(renewed war within 5 years | agreement)".to_string(),
            estimate(&e, runs),
        ]);
    }
    if s.runs_with_a_rejected_ratification.count > 0 {
        t.add_row(vec![
            "runs with a signed deal rejected at ratification".to_string(),
            estimate(&s.runs_with_a_rejected_ratification, runs),
        ]);
    }
    t.add_row(vec![
        "runs where red lines leave no acceptable package".to_string(),
        estimate(&s.solver.no_acceptable_package, runs),
    ]);
    // with [ceasefire] only: a ceasefire stops the fighting; a settlement is an agreement
    let ceasefire = s.ceasefire.as_ref().map_or(String::new(), |c| {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(110);
        t.set_header(vec![
            "ceasefire (fighting stops, talks go on)",
            "estimate (95% interval)",
        ]);
        for (k, v) in super::ceasefire::rows(s, c, true) {
            t.add_row(vec![k, v]);
        }
        format!("{t}\n")
    });
    // with [[question]]s only: each question's probability (docs/model.md §11)
    let questions = if s.questions.is_empty() {
        String::new()
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(110);
        t.set_header(vec!["question", "deadline", "P(yes) (95% interval)"]);
        for q in &s.questions {
            let deadline = match &q.by {
                Some(d) => format!("by {d} ({} rounds)", q.rounds),
                None => format!("within {} rounds", q.rounds),
            };
            t.add_row(vec![
                format!("{} ({})", q.text, q.id),
                deadline,
                estimate(&q.estimate, runs),
            ]);
        }
        format!("{t}\n")
    };
    let mut issues = Table::new();
    issues
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(110);
    issues.set_header(vec!["issue", "modal agreed option", "share of agreements"]);
    for i in &s.issues {
        if !i.split.is_empty() {
            issues.add_row(vec![
                i.title.clone(),
                format!(
                    "mean split: {}",
                    i.split
                        .iter()
                        .map(|x| format!("{} {:.4}", x.actor, x.mean))
                        .collect::<Vec<_>>()
                        .join(" · ")
                ),
                format!(
                    "95%: {}",
                    i.split
                        .iter()
                        .map(|x| format!("{} {:.4}–{:.4}", x.actor, x.ci_low, x.ci_high))
                        .collect::<Vec<_>>()
                        .join(" · ")
                ),
            ]);
            continue;
        }
        let modal = i
            .modal_option
            .as_ref()
            .and_then(|m| i.options.iter().find(|o| &o.id == m));
        issues.add_row(vec![
            i.title.clone(),
            modal.map_or("—".into(), |o| {
                if o.label == o.id {
                    o.id.clone()
                } else {
                    format!("{} {}", o.id, o.label)
                }
            }),
            modal.map_or("—".into(), |o| estimate(&o.estimate, runs)),
        ]);
    }
    let solver = if s.solver.runs_above_temperature > 0 {
        format!(
            "note: in {} run(s) the logit path could not be followed down to temperature {}; those rounds were played at the lowest temperature reached (solver in summary.json). A few runs barely move the estimates; if many do, a higher `temperature` avoids it\n",
            s.solver.runs_above_temperature, s.temperature
        )
    } else {
        String::new()
    };
    let solver = match super::unconverged::warning(&s.solver.unconverged, s.runs) {
        Some(w) => format!("{solver}{w}\n"),
        None => solver,
    };
    format!(
        "{}\n{} · {} run(s) · seed {} · horizon {} round(s){} · agreement = signed and ratified{}\n\n{t}\n{ceasefire}{questions}{issues}\n{solver}written to {out_dir}\n",
        s.title,
        s.as_of_note(),
        s.runs,
        s.seed,
        s.horizon,
        s.of_round(),
        if s.ceasefire.is_some() {
            " (a settlement) · ceasefire = fighting stops while talks go on"
        } else {
            ""
        }
    )
}

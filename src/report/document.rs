//! `report.md` and `report.html`: the result as a reader meets it. Title, date, the question, a
//! headline sentence with intervals that can be quoted, the key numbers, the charts, the
//! baselines beside the simulated outcome, the assumptions (distributions shown as such), the
//! scenario's sources, and the command and seed that reproduce it. The HTML is one
//! self-contained file: charts inline as SVG, the font embedded, no external resource.

use super::Manifest;
use super::table::{estimate, pct};
use crate::stats::Summary;
use std::fmt::Write as _;

/// The charts in report order: (file stem, caption).
pub const CHARTS: [(&str, &str); 8] = [
    ("outcomes", "How the negotiation ends"),
    ("agreement-by-round", "When a deal is signed"),
    ("agreed-options", "What a deal contains"),
    ("packages", "The most likely deals"),
    ("payoffs", "Who gains"),
    ("survival", "How long a deal holds"),
    ("frontline", "Where the front stands at the end"),
    // drawn in the section "Ceasefire and settlement", not among the charts
    ("phases", PHASES_CAPTION),
];

/// The phase chart's caption (with `[ceasefire]` only).
const PHASES_CAPTION: &str = "Where the runs stand, round by round";

/// Charts listed under "Charts" (the phase chart has its own section).
fn in_charts(stem: &str) -> bool {
    stem != "phases"
}

fn label(s: &Summary, issue: usize, id: &str) -> String {
    s.issues[issue]
        .options
        .iter()
        .find(|o| o.id == id)
        .map_or(id.to_string(), |o| {
            if o.label == o.id {
                o.id.clone()
            } else {
                format!("{} ({})", o.id, o.label)
            }
        })
}

/// "24 months" for 24 rounds of "1 month"; "12 rounds of 2 weeks" otherwise.
pub fn horizon_text(s: &Summary) -> String {
    super::ceasefire::span_text(s.horizon, s.round_length.as_deref())
}

/// Upper-cases the first letter ("median round" → "Median round").
fn capitalised(t: &str) -> String {
    let mut c = t.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

const CEASEFIRE_INTRO: &str = "A ceasefire stops the fighting and freezes the front while talks on a settlement go on; it may collapse back to war. A settlement is what the rest of this report calls an agreement: a deal signed, and ratified where needed. The chance of a ceasefire counts each run's first one; its collapse is estimated over first ceasefires (Kaplan–Meier, counting a ceasefire that ends in a settlement or reaches the horizon as still holding when last seen).";

const WITHIN_HEAD: [&str; 3] = ["Within", "P(ceasefire)", "P(settlement)"];
const TERMS_HEAD: [&str; 2] = ["Terms of the first ceasefire", "Share of first ceasefires"];

/// The first ceasefires' terms, most frequent first (at most 10).
fn terms_rows(s: &Summary, c: &crate::stats::ceasefire::CeasefireStats) -> Vec<[String; 2]> {
    c.terms
        .iter()
        .take(10)
        .map(|t| {
            let name = if t.label.is_empty() || t.label == t.terms {
                t.terms.clone()
            } else {
                format!("{} ({})", t.terms, t.label)
            };
            [name, estimate(&t.estimate, s.runs)]
        })
        .collect()
}

/// The sentence a reader can quote.
pub fn headline(s: &Summary) -> String {
    let runs = s.runs;
    let horizon = horizon_text(s);
    let agree = &s.outcomes[0].estimate;
    let mut out = format!(
        "In {} simulated negotiation{}, {} (95% interval {}–{}) ended in an agreement within {horizon}",
        super::charts::theme::group_thousands(runs),
        if runs == 1 { "" } else { "s" },
        pct(agree.p, runs),
        pct(agree.ci_low, runs).trim_end_matches('%'),
        pct(agree.ci_high, runs)
    );
    if let Some(p) = s.packages.first() {
        let terms: Vec<String> = p.options.iter().enumerate().map(|(k, o)| label(s, k, o)).collect();
        let _ = write!(
            out,
            "; the most likely package, {}, came up in {} of agreements",
            terms.join(", "),
            estimate(&p.share_of_agreements, runs)
        );
    }
    if let Some(e) = s.renewed_within(5.0).filter(|e| e.total > 0) {
        let _ = write!(
            out,
            ", and {} of agreements were followed by renewed war within 5 years",
            estimate(&e, runs)
        );
    }
    out.push('.');
    out
}

/// The question the scenario answers.
fn question(s: &Summary) -> String {
    match (&s.as_of, &s.round_length) {
        (Some(as_of), Some(len)) => format!(
            "As things stood on {}, how likely is a negotiated agreement within {} ({} rounds of {}), on which terms, who gains, and how long would it hold?",
            as_of,
            horizon_text(s),
            s.horizon,
            len
        ),
        // undated, or rounds without a calendar length: no date, the horizon in rounds
        (as_of, _) => {
            let ask = format!(
                "how likely is a negotiated agreement within {}, on which terms, and who gains?",
                horizon_text(s)
            );
            match as_of {
                Some(d) => format!("As things stood on {d}, {ask}"),
                None => capitalised(&ask),
            }
        }
    }
}

/// Rows of the key-numbers table: (statistic, estimate).
const QUESTIONS_HEAD: [&str; 3] = ["Question", "Deadline", "P(yes) (95% interval)"];

/// The scenario's `[[question]]`s with their probabilities (empty without questions).
fn question_rows(s: &Summary) -> Vec<[String; 3]> {
    s.questions
        .iter()
        .map(|q| {
            let deadline = match &q.by {
                Some(d) => format!("by {d} ({} rounds)", q.rounds),
                None => format!("within {} rounds", q.rounds),
            };
            [q.text.clone(), deadline, estimate(&q.estimate, s.runs)]
        })
        .collect()
}

fn key_numbers(s: &Summary) -> Vec<(String, String)> {
    let runs = s.runs;
    let mut rows: Vec<(String, String)> = s
        .outcomes
        .iter()
        .map(|o| (format!("P({})", o.outcome), estimate(&o.estimate, runs)))
        .collect();
    for r in [6, 12, 24] {
        if r <= s.horizon
            && let Some(e) = s.agreement_by(r)
        {
            rows.push((format!("P(agreement within {r} rounds)"), estimate(&e, runs)));
        }
    }
    rows.push((
        "Median round of agreement".into(),
        s.median_round_of_agreement.map_or("—".into(), |m| format!("round {m}")),
    ));
    if let Some(d) = &s.durability {
        for (y, e) in d.years.iter().zip(&d.renewed_war_within) {
            let unit = if (*y - 1.0).abs() < 1e-12 { "year" } else { "years" };
            rows.push((
                format!("P(renewed war within {y} {unit} | agreement)"),
                estimate(e, runs),
            ));
        }
    }
    if s.runs_with_a_rejected_ratification.count > 0 {
        rows.push((
            "Runs with a signed deal rejected at ratification".into(),
            estimate(&s.runs_with_a_rejected_ratification, runs),
        ));
    }
    rows.push((
        "Runs where red lines leave no acceptable package".into(),
        estimate(&s.solver.no_acceptable_package, runs),
    ));
    if s.selection == Some(crate::scenario::Selection::Warm) {
        rows.push((
            "Equilibrium selection in later rounds".into(),
            "warm-started from the previous round's values (selection = \"warm\"): a round's equilibrium can depend on the run's history (docs/model.md §10, rule 7)".into(),
        ));
    }
    if s.solver.runs_above_temperature > 0 {
        rows.push((
            "Runs with a round played above the scenario's temperature (the logit path stopped)".into(),
            format!(
                "{} of {runs} (solver diagnostics in summary.json)",
                s.solver.runs_above_temperature
            ),
        ));
    }
    if !s.solver.unconverged.is_empty() {
        rows.push((
            "Runs with a round played above the solver's tolerance (from the best values reached)".into(),
            format!(
                "{} of {runs} (runs {}; every one listed in summary.json)",
                s.solver.unconverged.count,
                s.solver.unconverged.first_runs(super::unconverged::SHOWN)
            ),
        ));
    }
    rows
}

/// Per issue: simulated modal option and share, and the baselines.
fn baseline_rows(s: &Summary) -> Vec<[String; 5]> {
    let b = &s.baselines;
    s.issues
        .iter()
        .enumerate()
        .map(|(k, i)| {
            if !i.split.is_empty() {
                let split = i
                    .split
                    .iter()
                    .map(|x| format!("{} {:.3}", x.actor, x.mean))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let first = |x: &Option<(Vec<String>, f64)>| {
                    x.as_ref()
                        .map_or("—".into(), |(_, t)| format!("{} share {t:.3}", i.split[0].actor))
                };
                let sp = b.split.as_ref();
                return [
                    i.title.clone(),
                    format!("mean split {split}"),
                    "—".into(),
                    sp.map_or("—".into(), |sp| first(&sp.nash)),
                    sp.map_or("—".into(), |sp| first(&sp.kalai_smorodinsky)),
                ];
            }
            let modal = i
                .modal_option
                .as_ref()
                .and_then(|m| i.options.iter().find(|o| &o.id == m));
            [
                i.title.clone(),
                modal.map_or("—".into(), |o| format!("{} ({})", o.id, pct(o.estimate.p, s.runs))),
                b.weighted_median.get(k).cloned().unwrap_or_default(),
                b.nash.get(k).cloned().unwrap_or_else(|| "—".into()),
                b.kalai_smorodinsky.get(k).cloned().unwrap_or_else(|| "—".into()),
            ]
        })
        .collect()
}

fn assumption_rows(s: &Summary) -> Vec<[String; 8]> {
    s.assumptions
        .iter()
        .map(|a| {
            [
                format!("{} ({})", a.name, a.id),
                if a.veto { "yes".into() } else { "no".into() },
                a.recognition.clone(),
                a.discount.clone(),
                a.war_cost.clone(),
                a.noise.clone(),
                a.agreement_bonus.clone(),
                if a.red_lines.is_empty() {
                    "—".into()
                } else {
                    a.red_lines.join("; ")
                },
            ]
        })
        .collect()
}

/// The actors' outlook: beliefs about the war and the loss if war resumes (when priced in).
fn outlook_rows(s: &Summary) -> Vec<[String; 3]> {
    s.assumptions
        .iter()
        .map(|a| {
            [
                format!("{} ({})", a.name, a.id),
                if a.beliefs.is_empty() {
                    "the scenario's war path".into()
                } else {
                    a.beliefs.join("; ")
                },
                if s.price_durability {
                    a.renewed_war_loss.clone()
                } else {
                    "not priced in".into()
                },
            ]
        })
        .collect()
}

const OUTLOOK_HEAD: [&str; 3] = [
    "Actor",
    "Own view of the war (reservation value only)",
    "Loss if war resumes",
];

fn outlook_intro(s: &Summary) -> String {
    format!(
        "How each actor looks ahead when it weighs a deal against continued war ({}). {}",
        match s.anticipation {
            crate::scenario::Anticipation::ExpectedPath =>
                "along the expected war path, under its own beliefs where it states them; the simulated war follows the scenario",
            crate::scenario::Anticipation::None => "the war state taken as frozen; beliefs have no effect",
        },
        if s.price_durability {
            "Peace values are net of the probability of renewed war within the durability baseline's horizon times the loss below."
        } else {
            "Durability is not priced into peace values."
        }
    )
}

const ASSUMPTION_HEAD: [&str; 8] = [
    "Actor",
    "Veto",
    "Recognition",
    "Discount / round",
    "War cost / round",
    "Noise",
    "Agreement bonus",
    "Red lines",
];
const BASELINE_HEAD: [&str; 5] = [
    "Issue",
    "Simulated (modal option, share of agreements)",
    "Weighted median",
    "Nash",
    "Kalai–Smorodinsky",
];

fn md_row(cells: &[String]) -> String {
    format!(
        "| {} |\n",
        cells
            .iter()
            .map(|c| c.replace('|', "\\|"))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// `report.md`; `charts` lists the chart stems that were written.
pub fn markdown(s: &Summary, m: &Manifest, charts: &[&str]) -> String {
    let mut o = format!(
        "# {}\n\n*{} · scenario `{}` · {} runs · seed {}*\n\n",
        s.title,
        capitalised(&s.as_of_note()),
        s.scenario_id,
        super::charts::theme::group_thousands(s.runs),
        s.seed
    );
    let _ = write!(o, "**The question.** {}\n\n", question(s));
    if let Some(d) = &s.description {
        let _ = write!(o, "{}\n\n", d.trim());
    }
    let _ = write!(
        o,
        "**Headline.** {}\n\n## Key numbers\n\n| Statistic | Estimate (95% interval) |\n|---|---|\n",
        headline(s)
    );
    for (k, v) in key_numbers(s) {
        o += &md_row(&[k, v]);
    }
    if !s.questions.is_empty() {
        o += "\n## Questions\n\n";
        o += &md_row(&QUESTIONS_HEAD.map(String::from));
        o += &md_row(&QUESTIONS_HEAD.map(|_| "---".to_string()));
        for r in question_rows(s) {
            o += &md_row(&r);
        }
    }
    if let Some(c) = &s.ceasefire {
        let _ = write!(
            o,
            "\n## Ceasefire and settlement\n\n**{}**\n\n{CEASEFIRE_INTRO}\n\n",
            super::ceasefire::headline(s, c)
        );
        o += &md_row(&WITHIN_HEAD.map(String::from));
        o += &md_row(&WITHIN_HEAD.map(|_| "---".to_string()));
        for r in super::ceasefire::within_rows(s, c) {
            o += &md_row(&r);
        }
        o += "\n| Statistic | Estimate (95% interval) |\n|---|---|\n";
        for (k, v) in super::ceasefire::rows(s, c, false) {
            o += &md_row(&[capitalised(&k), v]);
        }
        if c.terms.len() > 1 {
            o += "\n";
            o += &md_row(&TERMS_HEAD.map(String::from));
            o += &md_row(&TERMS_HEAD.map(|_| "---".to_string()));
            for r in terms_rows(s, c) {
                o += &md_row(&r);
            }
        }
        if charts.contains(&"phases") {
            let _ = write!(o, "\n![{PHASES_CAPTION}](charts/phases.png)\n");
        }
    }
    o += "\n## Charts\n\n";
    for (stem, caption) in CHARTS.iter().filter(|(c, _)| charts.contains(c) && in_charts(c)) {
        let _ = write!(o, "![{caption}](charts/{stem}.png)\n\n");
    }
    o += "## Simulated outcome and baselines\n\nBaselines are computed on expected parameters, ignoring red lines: the weighted median of the actors' ideal options (salience × capability, capability = recognition weight), the Nash bargaining package and the Kalai–Smorodinsky package, with the value of never agreeing (war, or breakdown where talks can end) as the disagreement point.\n\n";
    o += &md_row(&BASELINE_HEAD.map(String::from));
    o += &md_row(&BASELINE_HEAD.map(|_| "---".to_string()));
    for r in baseline_rows(s) {
        o += &md_row(&r);
    }
    o += "\n## Assumptions\n\nAs written in the scenario; a distribution is drawn afresh in every run.\n\n";
    o += &md_row(&ASSUMPTION_HEAD.map(String::from));
    o += &md_row(&ASSUMPTION_HEAD.map(|_| "---".to_string()));
    for r in assumption_rows(s) {
        o += &md_row(&r);
    }
    let _ = write!(o, "\n{}\n\n", outlook_intro(s));
    o += &md_row(&OUTLOOK_HEAD.map(String::from));
    o += &md_row(&OUTLOOK_HEAD.map(|_| "---".to_string()));
    for r in outlook_rows(s) {
        o += &md_row(&r);
    }
    if !s.further_assumptions.is_empty() {
        o += "\nFurther assumptions:\n\n";
        for a in &s.further_assumptions {
            let _ = writeln!(o, "- {a}");
        }
    }
    o += "\n## Sources\n\n";
    if s.sources.is_empty() {
        o += "The scenario lists no sources.\n";
    }
    for src in &s.sources {
        let _ = writeln!(o, "- {src}");
    }
    let _ = write!(
        o,
        "\n## Reproduce\n\n```sh\n{}\n```\n\narmistice {} · scenario SHA-256 `{}` · {} thread(s) · {:.1} s. The same seed gives the same numbers with any thread count.\n",
        m.command, m.version, m.scenario_sha256, m.threads, m.wall_time_seconds
    );
    o
}

/// Escapes text for HTML.
pub fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(crate) fn html_table(head: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut o = String::from("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o += "</tr></thead><tbody>";
    for r in rows {
        o += "<tr>";
        for c in r {
            let _ = write!(o, "<td>{}</td>", esc(&c));
        }
        o += "</tr>";
    }
    o + "</tbody></table>\n"
}

/// Standard base64 (RFC 4648) for embedding the font.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for (j, shift) in [18, 12, 6, 0].iter().enumerate() {
            out.push(if j <= c.len() {
                T[((n >> shift) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// The family name the embedded font is registered under in the HTML report.
const FONT: &str = "ArmisticeDejaVuSans";

/// The report's style sheet, with the embedded font.
pub(crate) fn css() -> String {
    format!(
        "@font-face{{font-family:'{FONT}';src:url(data:font/ttf;base64,{}) format('truetype');font-weight:normal}}\n\
         @font-face{{font-family:'{FONT}';src:url(data:font/ttf;base64,{}) format('truetype');font-weight:bold}}\n\
         body{{font-family:'{FONT}',sans-serif;color:#212121;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}\n\
         h1{{font-size:1.7rem;margin-bottom:.2rem}} .meta{{color:#555}} .headline{{font-size:1.15rem;background:#f4f6f8;padding:.8rem 1rem;border-left:4px solid #0072b2}}\n\
         table{{border-collapse:collapse;margin:1rem 0;font-size:.9rem}} th,td{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}} th{{background:#eef1f4}}\n\
         figure{{margin:1.5rem 0;break-inside:avoid;page-break-inside:avoid}} figure svg{{width:100%;height:auto;display:block}} figcaption{{color:#777;font-size:.8rem;text-align:right}}\n\
         pre{{background:#f4f6f8;padding:.6rem;overflow-x:auto}} code,pre{{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}}\n\
         @media print{{body{{max-width:none;margin:0}} .headline{{background:none}} a{{color:inherit}}}}",
        base64(dejavu::sans::regular()),
        base64(dejavu::sans::bold())
    )
}

/// A single-file HTML page of an analysis (sweep, tornado, comparison) in the report's style:
/// a title, a line of metadata, paragraphs, one table, the charts inline (`svgs`: caption, SVG
/// text) and the command that reproduces it.
pub fn analysis_html(
    title: &str,
    meta: &str,
    paragraphs: &[String],
    table: (&[String], &[Vec<String>]),
    svgs: &[(String, String)],
    reproduce: &str,
) -> String {
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(title),
        css(),
        esc(title),
        esc(meta)
    );
    for p in paragraphs {
        let _ = writeln!(o, "<p>{}</p>", esc(p));
    }
    let head: Vec<&str> = table.0.iter().map(String::as_str).collect();
    o += &html_table(&head, table.1.iter().cloned());
    for (caption, svg) in svgs {
        let _ = writeln!(o, "<figure>{svg}<figcaption>{}</figcaption></figure>", esc(caption));
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">Reproduce: <code>{}</code></p>\n</body>\n</html>",
        esc(reproduce)
    );
    o
}

/// A chart inline as a numbered figure.
fn figure(stem: &str, svg: &str, n: usize) -> String {
    let caption = CHARTS.iter().find(|(c, _)| *c == stem).map_or(stem, |c| c.1);
    let svg = svg.replace(
        "font-family=\"DejaVu Sans, sans-serif\"",
        &format!("font-family=\"{FONT}, sans-serif\""),
    );
    let svg = svg
        .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .trim();
    // the chart draws its own title; the caption says where the print-ready files are
    format!(
        "<figure aria-label=\"{}\">{svg}<figcaption>Figure {n} · charts/{stem}.png (print) and charts/{stem}.svg (vector)</figcaption></figure>\n",
        esc(caption)
    )
}

/// `report.html`; `svgs` are (stem, SVG text) of the charts written.
pub fn html(s: &Summary, m: &Manifest, svgs: &[(&str, String)]) -> String {
    let css = css();
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n",
        esc(&s.title)
    );
    let _ = write!(
        o,
        "<h1>{}</h1>\n<p class=\"meta\">{} · scenario <code>{}</code> · {} runs · seed {}</p>\n<p><strong>The question.</strong> {}</p>\n",
        esc(&s.title),
        esc(&capitalised(&s.as_of_note())),
        esc(&s.scenario_id),
        super::charts::theme::group_thousands(s.runs),
        s.seed,
        esc(&question(s))
    );
    if let Some(d) = &s.description {
        let _ = writeln!(o, "<p>{}</p>", esc(d.trim()));
    }
    let _ = writeln!(
        o,
        "<p class=\"headline\">{}</p>\n<h2>Key numbers</h2>",
        esc(&headline(s))
    );
    o += &html_table(
        &["Statistic", "Estimate (95% interval)"],
        key_numbers(s).into_iter().map(|(k, v)| vec![k, v]),
    );
    if !s.questions.is_empty() {
        o += "<h2>Questions</h2>\n";
        o += &html_table(&QUESTIONS_HEAD, question_rows(s).into_iter().map(|r| r.to_vec()));
    }
    let mut figures = 0;
    if let Some(c) = &s.ceasefire {
        let _ = writeln!(
            o,
            "<h2>Ceasefire and settlement</h2>\n<p class=\"headline\">{}</p>\n<p>{}</p>",
            esc(&super::ceasefire::headline(s, c)),
            esc(CEASEFIRE_INTRO)
        );
        o += &html_table(
            &WITHIN_HEAD,
            super::ceasefire::within_rows(s, c).into_iter().map(|r| r.to_vec()),
        );
        o += &html_table(
            &["Statistic", "Estimate (95% interval)"],
            super::ceasefire::rows(s, c, false)
                .into_iter()
                .map(|(k, v)| vec![capitalised(&k), v]),
        );
        if c.terms.len() > 1 {
            o += &html_table(&TERMS_HEAD, terms_rows(s, c).into_iter().map(|r| r.to_vec()));
        }
        for (stem, svg) in svgs.iter().filter(|(stem, _)| !in_charts(stem)) {
            figures += 1;
            o += &figure(stem, svg, figures);
        }
    }
    o += "<h2>Charts</h2>\n";
    for (stem, svg) in svgs.iter().filter(|(stem, _)| in_charts(stem)) {
        figures += 1;
        o += &figure(stem, svg, figures);
    }
    o += "<h2>Simulated outcome and baselines</h2>\n<p>Baselines are computed on expected parameters, ignoring red lines: the weighted median of the actors' ideal options (salience × capability, capability = recognition weight), the Nash bargaining package and the Kalai–Smorodinsky package, with the value of never agreeing (war, or breakdown where talks can end) as the disagreement point.</p>\n";
    o += &html_table(&BASELINE_HEAD, baseline_rows(s).into_iter().map(|r| r.to_vec()));
    o += "<h2>Assumptions</h2>\n<p>As written in the scenario; a distribution is drawn afresh in every run.</p>\n";
    o += &html_table(&ASSUMPTION_HEAD, assumption_rows(s).into_iter().map(|r| r.to_vec()));
    let _ = writeln!(o, "<p>{}</p>", esc(&outlook_intro(s)));
    o += &html_table(&OUTLOOK_HEAD, outlook_rows(s).into_iter().map(|r| r.to_vec()));
    if !s.further_assumptions.is_empty() {
        o += "<p>Further assumptions:</p>\n<ul>\n";
        for a in &s.further_assumptions {
            let _ = writeln!(o, "<li>{}</li>", esc(a));
        }
        o += "</ul>\n";
    }
    o += "<h2>Sources</h2>\n<ul>\n";
    for src in &s.sources {
        let _ = writeln!(o, "<li>{}</li>", esc(src));
    }
    if s.sources.is_empty() {
        o += "<li>The scenario lists no sources.</li>\n";
    }
    let _ = write!(
        o,
        "</ul>\n<h2>Reproduce</h2>\n<pre>{}</pre>\n<p class=\"meta\">armistice {} · scenario SHA-256 <code>{}</code> · {} thread(s) · {:.1} s. The same seed gives the same numbers with any thread count.</p>\n</body>\n</html>\n",
        esc(&m.command),
        esc(&m.version),
        esc(&m.scenario_sha256),
        m.threads,
        m.wall_time_seconds
    );
    o
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (i, o) in cases {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }
}

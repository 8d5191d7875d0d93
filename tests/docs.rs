//! The documentation the code cites is in the repository: every `docs/model.md §N` names a
//! section that exists, every `docs/calibration/*.md` file exists, and nothing cites the design
//! notes the repository was started from, which its users do not have.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every text file below `dir` that may cite documentation.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x, "rs" | "toml" | "md" | "json"))
        {
            out.push(p);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut out = vec![PathBuf::from(ROOT).join("README.md")];
    for d in ["src", "tests", "benches", "examples", "scenarios", "docs", "schema"] {
        files(&Path::new(ROOT).join(d), &mut out);
    }
    out.into_iter()
        .filter(|p| !p.ends_with("tests/docs.rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (p, text)
        })
        .collect()
}

/// The section numbers `N` of `## N. Title` headings in `docs/model.md`.
fn model_sections() -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs/model.md")).expect("docs/model.md exists");
    text.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_once(". ").map(|(n, _)| n.to_string()))
        .collect()
}

/// The section numbers a citation names: `§3`, `§3–5` (both), `§4.2` (its section, 4).
fn cited_sections(after: &str) -> Vec<String> {
    let Some(rest) = after.trim_start().strip_prefix('§') else {
        return vec![];
    };
    let spec: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '–' | '-'))
        .collect();
    spec.split(['–', '-'])
        .filter_map(|n| n.split('.').next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_model_citation_names_an_existing_section() {
    let sections = model_sections();
    assert!(sections.len() >= 8, "docs/model.md has sections {sections:?}");
    let mut bad = vec![];
    let mut cited = 0;
    for (p, text) in sources() {
        let needle = "docs/model.md";
        for (k, _) in text.match_indices(needle) {
            let after = text[k + needle.len()..].trim_start_matches(['`', ')', ',']);
            for n in cited_sections(after) {
                cited += 1;
                if !sections.contains(&n) {
                    bad.push(format!("{}: docs/model.md §{n} has no section", p.display()));
                }
            }
        }
    }
    assert!(cited > 10, "only {cited} section citations found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_calibration_file_cited_exists() {
    let mut bad = vec![];
    let mut cited = 0;
    for (p, text) in sources() {
        let needle = "docs/calibration/";
        for (k, _) in text.match_indices(needle) {
            let name: String = text[k + needle.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            let name = name.trim_end_matches('.');
            if name.ends_with(".md") {
                cited += 1;
                if !Path::new(ROOT).join(needle).join(name).is_file() {
                    bad.push(format!("{}: docs/calibration/{name} does not exist", p.display()));
                }
            }
        }
    }
    assert!(cited >= 2, "only {cited} calibration citations found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn nothing_cites_documents_outside_the_repository() {
    // spelled in pieces so that this file does not match itself
    let outside = [
        ["MODEL", ".md"].concat(),
        ["CALIBRATION", ".md"].concat(),
        ["shared", "/data"].concat(),
        ["shared", "/design"].concat(),
    ];
    let mut bad = vec![];
    for (p, text) in sources() {
        for (i, line) in text.lines().enumerate() {
            for o in &outside {
                if line.contains(o.as_str()) {
                    bad.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "citations of files outside the repository:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_citation_parser_reads_ranges_and_subsections() {
    assert_eq!(cited_sections(" §3–5 and"), ["3", "5"]);
    assert_eq!(cited_sections("§4.2)"), ["4"]);
    assert_eq!(cited_sections(" section 3"), Vec::<String>::new());
}

#[test]
fn every_source_path_the_docs_name_exists() {
    let mut bad = vec![];
    let mut named = 0;
    for doc in ["README.md", "docs/model.md", "docs/scenario-format.md"] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(doc)).unwrap();
        for (k, _) in text.match_indices("src/") {
            if text[..k].ends_with(|c: char| c.is_alphanumeric() || c == '/') {
                continue;
            }
            let path: String = text[k..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '_' | '.' | '-'))
                .collect();
            let path = path.trim_end_matches('.');
            named += 1;
            if !Path::new(ROOT).join(path).exists() {
                bad.push(format!("{doc}: `{path}` does not exist"));
            }
        }
    }
    assert!(named > 10, "only {named} source paths found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

//! `report.html` and `report.md` as files, no browser needed: the HTML is well formed enough
//! to be read by any browser (doctype, one `<html>`, `<head>`, `<body>`, `<title>`, every
//! `<svg>` closed, one `<figure>` per chart written), self-contained (no external resource:
//! no http(s) in `src=`, `href=` or `url(`, no `<script src>`, no `<link>`, no `@import`; the
//! font is a `data:` URI), and the Markdown names every chart PNG written. `tests/browser.rs`
//! opens the same report in headless Chromium.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

/// Runs the reference scenario (300 runs, seed 1) into `dir/out` and returns that folder.
fn write_report(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .args(["run", REFERENCE, "--runs", "300", "--seed", "1", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// The files in `dir/charts` ending in `.ext`, sorted (file stems).
fn charts(dir: &Path, ext: &str) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    stems
}

/// Byte offsets of every case-insensitive occurrence of `needle` in `hay`.
fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    let hay = hay.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    hay.match_indices(&needle).map(|(i, _)| i).collect()
}

/// Occurrences of the opening tag `<name>` or `<name ...>` (not `<name-other` or `<namespace`).
fn open_tags(html: &str, name: &str) -> Vec<usize> {
    find_all(html, &format!("<{name}"))
        .into_iter()
        .filter(|&i| {
            matches!(
                html.as_bytes().get(i + 1 + name.len()),
                Some(b'>' | b' ' | b'\n' | b'\t' | b'\r' | b'/')
            )
        })
        .collect()
}

fn close_tags(html: &str, name: &str) -> Vec<usize> {
    find_all(html, &format!("</{name}>"))
}

/// The one opening and one closing tag of `name`, as (open, close) offsets.
fn single_element(html: &str, name: &str) -> (usize, usize) {
    let (o, c) = (open_tags(html, name), close_tags(html, name));
    assert_eq!(o.len(), 1, "expected one <{name}> in report.html, found {}", o.len());
    assert_eq!(c.len(), 1, "expected one </{name}> in report.html, found {}", c.len());
    assert!(o[0] < c[0], "</{name}> comes before <{name}>");
    (o[0], c[0])
}

/// Checks that opening and closing tags of `name` alternate (no nesting, none left open) and
/// returns the (open, close) pairs.
fn pairs(html: &str, name: &str) -> Vec<(usize, usize)> {
    let (o, c) = (open_tags(html, name), close_tags(html, name));
    assert_eq!(
        o.len(),
        c.len(),
        "{} <{name}> but {} </{name}> in report.html",
        o.len(),
        c.len()
    );
    let p: Vec<(usize, usize)> = o.into_iter().zip(c).collect();
    for (k, &(open, close)) in p.iter().enumerate() {
        assert!(open < close, "<{name}> number {k} is closed before it opens");
        if let Some(&(next, _)) = p.get(k + 1) {
            assert!(
                close < next,
                "<{name}> number {k} is still open when the next one starts"
            );
        }
    }
    p
}

/// The value after an attribute-like `prefix` at `at` (quoted or not), lowercased, trimmed.
fn value_after(html: &str, at: usize, prefix_len: usize) -> String {
    let rest = html[at + prefix_len..].trim_start();
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    rest.chars()
        .take_while(|c| !matches!(c, '"' | '\'' | ')' | '>' | ' ' | '\n'))
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The name of the attribute whose quoted value starts at `at` (`name="` just before), if any.
fn attribute_at(html: &str, at: usize) -> Option<String> {
    let before = html[..at].strip_suffix(['"', '\''])?.strip_suffix('=')?;
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_')))
        .map_or(0, |i| i + 1);
    Some(before[start..].to_ascii_lowercase())
}

/// Everything in `html` that would load an external resource: http(s) or protocol-relative URLs
/// in `src=`, `srcset=`, `href=`, `url(`…, http(s) URLs inside a tag other than as an `xmlns`
/// value (the SVG namespace `xmlns="http://www.w3.org/2000/svg"` is a name, not something
/// loaded), and `<script src`, `<link`, `@import`, `<iframe`, `<object`, `<embed`, `<base`,
/// `<img`. URLs in text (a source cited in the prose) are fine.
fn external_resources(html: &str) -> Vec<String> {
    let mut problems = vec![];
    for pattern in ["src=", "srcset=", "href=", "url(", "action=", "poster="] {
        for at in find_all(html, pattern) {
            let v = value_after(html, at, pattern.len());
            if v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//") || v.starts_with("ftp:") {
                problems.push(format!("{pattern}{v}"));
            }
        }
    }
    for at in find_all(html, "http://").into_iter().chain(find_all(html, "https://")) {
        let before = &html[..at];
        let in_tag = before.rfind('<') > before.rfind('>');
        if in_tag && !matches!(attribute_at(html, at).as_deref(), Some("xmlns" | "xmlns:xlink")) {
            let context = &html[before.rfind('<').unwrap()..(at + 40).min(html.len())];
            problems.push(format!("URL in a tag: {context}…"));
        }
    }
    for forbidden in [
        "<script src",
        "<link",
        "@import",
        "<iframe",
        "<object",
        "<embed",
        "<base",
        "<img",
    ] {
        if !find_all(html, forbidden).is_empty() {
            problems.push(forbidden.to_string());
        }
    }
    problems
}

#[test]
fn the_self_containment_check_flags_external_resources_and_allows_the_svg_namespace() {
    let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><text>x</text></svg>
<style>@font-face{src:url(data:font/ttf;base64,AAEAAA)}</style><p>Source: https://example.org/report (2025)</p>
<a href="#top">top</a>"##;
    assert_eq!(external_resources(ok), Vec::<String>::new());
    for bad in [
        r#"<img src="https://example.org/a.png">"#,
        r#"<image href='http://example.org/a.png'/>"#,
        r#"<svg><use xlink:href="https://example.org/s.svg#a"/></svg>"#,
        r#"<style>body{background:url( "https://example.org/bg.png" )}</style>"#,
        r#"<style>@font-face{src:url(//fonts.example.org/f.woff2)}</style>"#,
        r#"<style>@import "x.css";</style>"#,
        r#"<script src="app.js"></script>"#,
        r#"<link rel="stylesheet" href="style.css">"#,
        r#"<a href="https://example.org">source</a>"#,
        r#"<video poster=http://example.org/p.png></video>"#,
        r#"<div data-x="https://example.org/tracker"></div>"#,
    ] {
        assert!(!external_resources(bad).is_empty(), "not flagged: {bad}");
    }
}

#[test]
fn report_html_is_well_formed_and_self_contained_and_report_md_names_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_report(dir.path());
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html written");
    let svgs = charts(&out, "svg");
    let pngs = charts(&out, "png");
    assert!(
        !svgs.is_empty(),
        "no SVG chart written in {}",
        out.join("charts").display()
    );
    assert_eq!(svgs, pngs, "every chart should be written as both SVG and PNG");

    // Well formed enough.
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "report.html must start with <!DOCTYPE html>"
    );
    let (html_open, html_close) = single_element(&html, "html");
    let (head_open, head_close) = single_element(&html, "head");
    let (body_open, body_close) = single_element(&html, "body");
    let (title_open, title_close) = single_element(&html, "title");
    assert!(
        html_open < head_open
            && head_close < body_open
            && body_close < html_close
            && head_open < title_open
            && title_close < head_close,
        "<html>, <head> (with <title>) and <body> are out of order"
    );
    assert!(html[html_close..].trim() == "</html>", "content after </html>");
    let title = &html[title_open + "<title>".len()..title_close];
    assert!(!title.trim().is_empty(), "empty <title>");
    for (open, _) in pairs(&html, "svg") {
        assert!(open > body_open && open < body_close, "an <svg> outside <body>");
    }
    let figures = pairs(&html, "figure");
    assert_eq!(
        figures.len(),
        svgs.len(),
        "{} <figure> in report.html but {} SVG charts in charts/ ({svgs:?})",
        figures.len(),
        svgs.len()
    );
    for (k, &(open, close)) in figures.iter().enumerate() {
        let inner = &html[open..close];
        assert_eq!(
            open_tags(inner, "svg").len(),
            1,
            "figure {k} should hold exactly one <svg>"
        );
        assert_eq!(
            open_tags(inner, "figcaption").len(),
            1,
            "figure {k} has no <figcaption>"
        );
    }
    assert_eq!(
        open_tags(&html, "svg").len(),
        svgs.len(),
        "an <svg> outside the figures"
    );
    for name in ["table", "thead", "tbody", "tr", "ul", "pre", "style", "p", "h1", "h2"] {
        pairs(&html, name);
    }
    assert!(find_all(&html, "<h1").len() == 1, "expected one <h1>");

    let problems = external_resources(&html);
    assert!(problems.is_empty(), "report.html is not self-contained: {problems:#?}");
    // The font is embedded as a data: URI holding a TrueType font (base64 of 00 01 00 00).
    let fonts = find_all(&html, "url(data:font/ttf;base64,");
    assert!(!fonts.is_empty(), "no embedded font (url(data:font/ttf;base64,…))");
    for at in fonts {
        let data = &html[at + "url(data:font/ttf;base64,".len()..];
        assert!(data.starts_with("AAEAAA"), "embedded font is not a TrueType file");
        let len = data.find(')').expect("unterminated url(data:…)");
        assert!(len > 100_000, "embedded font is only {len} base64 characters");
        assert!(
            data[..len]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "embedded font is not plain base64"
        );
    }
    assert!(
        html.contains("simulated negotiations"),
        "report.html lacks the headline"
    );

    // report.md: the headline, and every chart PNG written, each named once, none missing.
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md written");
    assert!(
        md.contains("simulated negotiations"),
        "report.md lacks the headline sentence"
    );
    assert!(md.starts_with("# "), "report.md should start with its title");
    for stem in &pngs {
        assert!(out.join(format!("charts/{stem}.png")).is_file());
        assert!(
            md.contains(&format!("(charts/{stem}.png)")),
            "report.md does not show the chart charts/{stem}.png"
        );
    }
    for at in find_all(&md, "(charts/") {
        let name: String = md[at + 1..].chars().take_while(|&c| c != ')').collect();
        assert!(
            out.join(&name).is_file(),
            "report.md links {name}, which was not written"
        );
    }
}

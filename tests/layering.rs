//! The library's layers import downwards only (the order is written down in `src/lib.rs`), and
//! the command-line application stays out of the library.

use std::path::{Path, PathBuf};

/// Lowest first: a module may use its own layer and the layers before it.
const LAYERS: &[&str] = &[
    "theory", "scenario", "model", "solve", "sim", "stats", "runner", "analysis", "report",
];

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text without comments (line, doc and block comments) and string literals, which may
/// mention a module without importing it.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |k| i + 2 + k + 2);
            i = end;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The top-level modules a piece of code names through `crate::` (including grouped imports
/// such as `use crate::{model, sim::Outcome}`).
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = vec![];
    let mut rest = code;
    while let Some(k) = rest.find("crate::") {
        let after = &rest[k + "crate::".len()..];
        let heads: Vec<&str> = if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').map(str::trim).collect()
        } else {
            vec![after]
        };
        for h in heads {
            let name: String = h.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
        rest = after;
    }
    found
}

/// The layer of a library source file: the first component below `src/`.
fn layer_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(Path::new(ROOT).join("src")).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn library_modules_import_downwards_only() {
    let mut files = vec![];
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let mut upward = vec![];
    let mut checked = 0;
    for f in &files {
        let Some(layer) = layer_of(f) else { continue };
        if matches!(layer.as_str(), "main" | "cli" | "app" | "lib") {
            continue;
        }
        let own = LAYERS
            .iter()
            .position(|l| *l == layer)
            .unwrap_or_else(|| panic!("{} is in no layer: add `{layer}` to src/lib.rs and LAYERS", f.display()));
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        for m in crate_paths(&code) {
            checked += 1;
            match LAYERS.iter().position(|l| *l == m) {
                Some(k) if k > own => upward.push(format!("{}: {layer} uses crate::{m}", f.display())),
                Some(_) => {}
                None => upward.push(format!("{}: crate::{m} is not a library layer", f.display())),
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} crate:: paths found: is the parser broken?"
    );
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn the_parser_sees_imports_and_skips_comments() {
    let code = code_only(
        "use crate::{model, sim::Outcome};\n// crate::report\n/* crate::runner */ let s = \"crate::app\"; crate::stats::x();",
    );
    assert_eq!(crate_paths(&code), ["model", "sim", "stats"]);
}

#[test]
fn the_library_does_not_hold_the_application() {
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let code = code_only(&lib);
    for word in ["app", "cli"] {
        assert!(
            !code.contains(&format!("mod {word}")),
            "src/lib.rs declares `mod {word}`"
        );
    }
    // the library's sources never reach the binary's modules or its crates
    let mut files = vec![];
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    for f in files
        .iter()
        .filter(|f| !matches!(layer_of(f).as_deref(), Some("main" | "cli" | "app")))
    {
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        for c in ["anyhow::", "clap::", "indicatif::", "notify::", "ctrlc::"] {
            assert!(
                !code.contains(c),
                "{} uses {c}, which belongs to the binary",
                f.display()
            );
        }
    }
}

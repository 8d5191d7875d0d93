//! `report.html` in a real browser: Debian's Chromium, headless (`/usr/bin/chromium`, installed
//! by `scripts/install-chromium.sh`, which `.ci/run` runs). Without Chromium the tests print a
//! note and pass, unless `CI` is set, where they fail.
//!
//! What is checked, for the reference scenario's report:
//! - the page logs nothing to the console (no script error, no undecodable font…) and asks the
//!   network for nothing (Chromium's net log holds no request made by the page);
//! - the DOM Chromium builds has one `<figure>` with an `<svg>` per chart written, each laid out
//!   at a real size, with its labels set in the embedded font, which loaded; no horizontal
//!   overflow;
//! - a full-page screenshot (PNG) exists, is large, and is not blank: decoded by Chromium itself
//!   (a canvas in a probe page), the page and every chart's area carry ink and many colours.
//!
//! How console errors are seen: with `--enable-logging=stderr --v=0` Chromium 156 writes every
//! console message, and every uncaught exception, to stderr as
//! `[pid:tid:MMDD/hhmmss.micros:INFO:CONSOLE:LINE] "message", source: URL (LINE)`; the level is
//! `INFO` whatever the console method (`console.error` included), and there is no
//! `ERROR:CONSOLE` line (older versions wrote `INFO:CONSOLE(LINE)`). Chromium's own `ERROR:` lines
//! (D-Bus, mojo) are noise. So every `:CONSOLE:`/`:CONSOLE(` line counts: the report has no
//! script, and a message there means something went wrong (a font Chromium cannot decode is
//! logged there too). `console_and_network_checks_catch_errors_in_a_small_page` proves it.

use assert_cmd::Command;
use serde_json::Value;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// Chromium is killed (with all its processes) after this long.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The window width the report is laid out and photographed at.
const WIDTH: u32 = 1280;
const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

/// Whether to run: Chromium is there; or not, and then under CI that is a failure, elsewhere a
/// note and a pass.
fn have_chromium() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        !ci,
        "CI is set but {CHROMIUM} is missing: .ci/run must run scripts/install-chromium.sh before the tests"
    );
    eprintln!("note: {CHROMIUM} not found, browser test skipped (install it with scripts/install-chromium.sh)");
    false
}

/// What one Chromium run left behind.
struct Run {
    stdout: String,
    stderr: String,
    /// The net log (`--log-net-log`), parsed.
    net_log: Value,
}

impl Run {
    /// Console messages (see the module doc for the format).
    fn console(&self) -> Vec<String> {
        console_messages(&self.stderr)
    }

    /// URLs the page asked the network stack for: net-log events whose network isolation key
    /// is the page's (`file://`). Chromium's own background requests have other keys.
    fn page_requests(&self) -> Vec<String> {
        let mut urls = vec![];
        for e in self.net_log["events"].as_array().map_or(&[][..], Vec::as_slice) {
            let p = &e["params"];
            if let (Some(url), Some(key)) = (p["url"].as_str(), p["network_isolation_key"].as_str())
                && key.starts_with("file://")
                && !urls.iter().any(|u| u == url)
            {
                urls.push(url.to_string());
            }
        }
        urls
    }
}

/// Console messages in Chromium's stderr: `…:CONSOLE:N] "message", source: URL (N)`, or an
/// uncaught exception however it is printed.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE:") || l.contains(":CONSOLE(") || l.contains("Uncaught"))
        .map(|l| l.split_once("] ").map_or(l, |(_, m)| m).to_string())
        .collect()
}

/// Runs headless Chromium with a fresh profile on `args` (the last one being the URL), logging
/// to stderr and to a net log, and kills it and its children if it takes longer than
/// [`TIMEOUT`].
fn chromium(args: &[String]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let net_log = dir.path().join("net-log.json");
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Chromium still tries a few Google endpoints: resolve no name at all.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .process_group(0)
        .spawn()
        .expect("start chromium");
    let group = child.id();
    // The launcher script, the browser, its zygotes and renderers share the process group.
    let kill_group = || {
        let _ = std::process::Command::new("sh")
            .args(["-c", &format!("kill -KILL -- -{group} 2>/dev/null")])
            .status();
    };
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            kill_group();
            let _ = child.wait();
            panic!(
                "chromium {args:?} still running after {TIMEOUT:?}, killed; stderr:\n{}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    kill_group(); // stragglers, if any (the group id cannot be reused while it has members)
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    assert!(
        status.success(),
        "chromium {args:?} exited with {status}; stderr:\n{stderr}"
    );
    let raw = std::fs::read_to_string(&net_log).expect("chromium wrote no net log");
    let net_log = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("net log is not JSON ({e})"));
    Run {
        stdout: std::fs::read_to_string(&out).unwrap(),
        stderr,
        net_log,
    }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// Runs `script` in a probe page (with `url` in an iframe `WIDTH` wide when given, and tall
/// enough never to scroll: a scroll bar would narrow the layout against the screenshot's) and returns
/// the JSON the script handed to `done(…)`. Needs `--allow-file-access-from-files` to read the
/// iframe and to draw a `file:` image on a canvas, and a virtual-time budget for the dump to
/// wait for the asynchronous work.
fn probe(dir: &Path, name: &str, url: Option<&str>, script: &str) -> (Value, Run) {
    let iframe = url.map_or(String::new(), |u| {
        format!("<iframe id=\"f\" src=\"{u}\" style=\"width:{WIDTH}px;height:16000px;border:0\"></iframe>")
    });
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>probe</title></head><body>\n\
         <pre id=\"result\">pending</pre>{iframe}\n<script>\n\
         function done(out) {{\n\
           const s = JSON.stringify(out).replace(/[\\u007f-\\uffff<>&]/g, c => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));\n\
           document.getElementById('result').textContent = 'RES' + 'ULT:' + s + ':E' + 'ND';\n\
         }}\n\
         (async () => {{ try {{ {script} }} catch (e) {{ done({{probeError: String(e)}}); }} }})();\n\
         </script></body></html>\n"
    );
    let path = dir.join(name);
    std::fs::write(&path, page).unwrap();
    let run = chromium(&[
        "--allow-file-access-from-files".into(),
        "--virtual-time-budget=30000".into(),
        "--dump-dom".into(),
        file_url(&path),
    ]);
    let json = run
        .stdout
        .split_once("RESULT:")
        .and_then(|(_, r)| r.split_once(":END"))
        .map(|(j, _)| j.to_string())
        .unwrap_or_else(|| {
            panic!(
                "probe {name} gave no result; DOM:\n{}\nstderr:\n{}",
                run.stdout, run.stderr
            )
        });
    let v: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe {name}: {e} in {json}"));
    assert!(v.get("probeError").is_none(), "probe {name} failed: {v}");
    (v, run)
}

/// Layout of the page in the iframe: title, fonts, figures (with their SVG's box in page
/// coordinates and their labels), tables, sizes.
const LAYOUT: &str = r"
const f = document.getElementById('f');
const ready = () => f.contentDocument && f.contentDocument.URL.startsWith('file:') && f.contentDocument.readyState === 'complete';
if (!ready()) await new Promise(r => f.addEventListener('load', r));
const doc = f.contentDocument, win = f.contentWindow;
await doc.fonts.ready;
const box = el => { const r = el.getBoundingClientRect(); return {x: r.left + win.scrollX, y: r.top + win.scrollY, w: r.width, h: r.height}; };
done({
  title: doc.title,
  faces: [...doc.fonts].map(x => ({family: x.family.replace(/['\x22]/g, ''), weight: x.weight, status: x.status})),
  bodyFont: win.getComputedStyle(doc.body).fontFamily,
  headline: (doc.querySelector('.headline') || {}).textContent || '',
  figures: [...doc.querySelectorAll('figure')].map(fig => {
    const svg = fig.querySelector('svg');
    const texts = svg ? [...svg.querySelectorAll('text')] : [];
    return {
      svg: svg ? box(svg) : null,
      caption: (fig.querySelector('figcaption') || {}).textContent || '',
      texts: texts.length,
      emptyTexts: texts.filter(t => t.textContent.trim() && t.getBBox().width === 0).length,
      textFonts: [...new Set(texts.map(t => win.getComputedStyle(t).fontFamily))],
      shapes: svg ? svg.querySelectorAll('rect,path,polyline,polygon,line,circle').length : 0,
    };
  }),
  tables: [...doc.querySelectorAll('table')].map(t => ({rows: t.rows.length, w: box(t).w})),
  svgsOutsideFigures: [...doc.querySelectorAll('svg')].filter(s => !s.closest('figure')).length,
  images: doc.images.length,
  content: box(doc.body),
  scrollWidth: doc.documentElement.scrollWidth,
  clientWidth: doc.documentElement.clientWidth,
  height: Math.ceil(doc.documentElement.getBoundingClientRect().height),
});
";

/// Pixel statistics of a PNG decoded by Chromium: whole image and given regions. `PNG` and
/// `REGIONS` are prepended.
const PIXELS: &str = r"
const img = new Image();
await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('cannot load ' + PNG)); img.src = PNG; });
const c = document.createElement('canvas');
c.width = img.naturalWidth; c.height = img.naturalHeight;
const g = c.getContext('2d', {willReadFrequently: true});
g.drawImage(img, 0, 0);
const stats = (x, y, w, h) => {
  x = Math.max(0, Math.floor(x)); y = Math.max(0, Math.floor(y));
  w = Math.min(c.width - x, Math.ceil(w)); h = Math.min(c.height - y, Math.ceil(h));
  if (w <= 0 || h <= 0) return {pixels: 0, ink: 0, colours: 0};
  const d = g.getImageData(x, y, w, h).data;
  let ink = 0; const colours = new Set();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
    if (colours.size < 100000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return {pixels: w * h, ink: ink / (w * h), colours: colours.size};
};
done({width: c.width, height: c.height, whole: stats(0, 0, c.width, c.height), regions: REGIONS.map(r => stats(r.x, r.y, r.w, r.h))});
";

fn pixel_stats(dir: &Path, png: &Path, regions: &[Value]) -> Value {
    let script = format!(
        "const PNG = {};\nconst REGIONS = {};\n{PIXELS}",
        Value::from(file_url(png)),
        Value::from(regions.to_vec())
    );
    probe(dir, "pixels.html", None, &script).0
}

/// Whether a region's statistics look like something drawn: some ink, several colours.
fn drawn(s: &Value, min_ink: f64, min_colours: u64) -> Result<(), String> {
    let (ink, colours) = (s["ink"].as_f64().unwrap_or(0.0), s["colours"].as_u64().unwrap_or(0));
    if ink >= min_ink && colours >= min_colours {
        Ok(())
    } else {
        Err(format!(
            "ink {ink:.4} (want ≥ {min_ink}), {colours} colours (want ≥ {min_colours})"
        ))
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn screenshot(page: &str, png: &Path, height: u32) -> Run {
    chromium(&[
        format!("--screenshot={}", png.display()),
        format!("--window-size={WIDTH},{height}"),
        "--hide-scrollbars".into(),
        page.into(),
    ])
}

#[test]
fn console_and_network_checks_catch_errors_in_a_small_page() {
    if !have_chromium() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title>
<style>@font-face{font-family:'Broken';src:url(data:font/ttf;base64,AAAAAAAAAAAAAAAA) format('truetype')}
body{font-family:'Broken',sans-serif}</style>
<link rel="stylesheet" href="https://example.invalid/style.css">
</head><body><p>A page with errors.</p><img src="http://example.invalid/pixel.png" alt="">
<script>console.error("deliberate console.error x");</script>
<script>this is not javascript(</script>
<script>undefinedFunction();</script>
</body></html>
"#,
    )
    .unwrap();
    let clean = dir.path().join("clean.html");
    std::fs::write(
        &clean,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>clean</title></head><body><p>Nothing wrong here.</p></body></html>\n",
    )
    .unwrap();

    let b = screenshot(&file_url(&bad), &dir.path().join("bad.png"), 600);
    let console = b.console();
    for expected in [
        "\"deliberate console.error x\"",
        "Uncaught SyntaxError",
        "Uncaught ReferenceError: undefinedFunction is not defined",
        "Failed to decode downloaded font",
    ] {
        assert!(
            console.iter().any(|m| m.contains(expected)),
            "console check missed {expected}; found {console:#?}\nstderr:\n{}",
            b.stderr
        );
    }
    let requests = b.page_requests();
    for expected in ["https://example.invalid/style.css", "http://example.invalid/pixel.png"] {
        assert!(
            requests.iter().any(|u| u == expected),
            "net-log check missed {expected}: {requests:?}"
        );
    }
    // The layout probe sees a font that failed.
    let (layout, _) = probe(dir.path(), "probe-bad.html", Some(&file_url(&bad)), LAYOUT);
    assert!(
        layout["faces"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["status"] == "error"),
        "font check missed the broken font: {layout}"
    );

    let c = screenshot(&file_url(&clean), &dir.path().join("clean.png"), 600);
    assert_eq!(c.console(), Vec::<String>::new(), "stderr:\n{}", c.stderr);
    assert_eq!(c.page_requests(), Vec::<String>::new());

    // The blank check: an empty page fails it, a page with text passes.
    let blank = dir.path().join("blank.html");
    std::fs::write(
        &blank,
        "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n",
    )
    .unwrap();
    screenshot(&file_url(&blank), &dir.path().join("blank.png"), 600);
    let px = pixel_stats(dir.path(), &dir.path().join("blank.png"), &[]);
    assert_eq!(
        (px["width"].as_u64(), px["height"].as_u64()),
        (Some(u64::from(WIDTH)), Some(600))
    );
    assert!(
        drawn(&px["whole"], 0.0001, 2).is_err(),
        "a blank page passed the blank check: {px}"
    );
    let px = pixel_stats(dir.path(), &dir.path().join("clean.png"), &[]);
    assert!(
        drawn(&px["whole"], 0.0001, 2).is_ok(),
        "a page with text failed the blank check: {px}"
    );
}

#[test]
fn report_renders_in_headless_chromium() {
    if !have_chromium() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out");
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .args(["run", REFERENCE, "--runs", "300", "--seed", "1", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let report = out.join("report.html");
    let url = file_url(&report);
    let charts = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "svg"))
        .count();
    assert!(charts > 0, "no SVG chart written");

    // The DOM and layout as Chromium builds them.
    let (layout, probe_run) = probe(dir.path(), "probe-layout.html", Some(&url), LAYOUT);
    eprintln!("layout of the report in Chromium: {layout:#}");
    assert_eq!(
        probe_run.console(),
        Vec::<String>::new(),
        "console messages while loading the report"
    );
    assert_eq!(
        probe_run.page_requests(),
        Vec::<String>::new(),
        "the report asked the network for something"
    );
    assert!(!layout["title"].as_str().unwrap().is_empty(), "no title: {layout}");
    assert!(
        layout["headline"].as_str().unwrap().contains("simulated negotiations"),
        "no headline: {layout}"
    );
    let faces = layout["faces"].as_array().unwrap();
    assert!(!faces.is_empty(), "no @font-face in the report");
    for f in faces {
        assert_eq!(f["status"], "loaded", "embedded font face did not load: {f}");
    }
    let family = faces[0]["family"].as_str().unwrap().to_string();
    assert!(
        layout["bodyFont"].as_str().unwrap().contains(&family),
        "the body is not set in the embedded font {family}: {}",
        layout["bodyFont"]
    );
    let figures = layout["figures"].as_array().unwrap();
    assert_eq!(
        figures.len(),
        charts,
        "rendered <figure>s vs SVG charts written: {layout}"
    );
    assert_eq!(layout["svgsOutsideFigures"], 0);
    assert_eq!(layout["images"], 0, "the report should have no <img>");
    let content_width = layout["content"]["w"].as_f64().unwrap();
    let mut regions = vec![];
    for (k, f) in figures.iter().enumerate() {
        let svg = &f["svg"];
        assert!(svg.is_object(), "figure {k} has no <svg> in the DOM: {f}");
        let (w, h) = (svg["w"].as_f64().unwrap(), svg["h"].as_f64().unwrap());
        assert!(
            w >= 0.9 * content_width && w <= content_width + 1.0,
            "figure {k}: chart {w} px wide in a {content_width} px column"
        );
        assert!(h > 200.0 && h < w * 1.5, "figure {k}: chart {w}×{h} px");
        assert!(
            !f["caption"].as_str().unwrap().trim().is_empty(),
            "figure {k} has no caption"
        );
        assert!(
            f["texts"].as_u64().unwrap() >= 3,
            "figure {k}: chart without labels: {f}"
        );
        assert_eq!(f["emptyTexts"], 0, "figure {k}: labels that take no space: {f}");
        assert!(
            f["shapes"].as_u64().unwrap() >= 3,
            "figure {k}: chart without shapes: {f}"
        );
        for font in f["textFonts"].as_array().unwrap() {
            assert!(
                font.as_str().unwrap().contains(&family),
                "figure {k}: chart labels not in the embedded font: {font}"
            );
        }
        regions.push(svg.clone());
    }
    // with a ceasefire (docs/model.md §9.1), its section adds P(ceasefire) beside P(settlement),
    // its statistics and (with more than one terms signed) the first ceasefires' terms
    let html = std::fs::read_to_string(&report).unwrap();
    let tables = layout["tables"].as_array().unwrap().len();
    if html.contains("<h2>Ceasefire and settlement</h2>") {
        assert!(
            (6..=7).contains(&tables),
            "key numbers, the ceasefire's two or three, baselines, assumptions, the actors' outlook: {tables}"
        );
    } else {
        assert_eq!(tables, 4, "key numbers, baselines, assumptions, the actors' outlook");
    }
    for t in layout["tables"].as_array().unwrap() {
        assert!(t["rows"].as_u64().unwrap() >= 2, "a table without rows: {t}");
    }
    assert!(
        layout["scrollWidth"].as_u64() <= layout["clientWidth"].as_u64(),
        "the report overflows a {WIDTH} px window horizontally: {layout}"
    );

    // A full-page screenshot.
    let height = u32::try_from(layout["height"].as_u64().unwrap())
        .unwrap()
        .clamp(1000, 16000);
    let png = dir.path().join("report.png");
    let shot = screenshot(&url, &png, height);
    assert_eq!(
        shot.console(),
        Vec::<String>::new(),
        "console messages while rendering the report"
    );
    assert_eq!(
        shot.page_requests(),
        Vec::<String>::new(),
        "the report asked the network for something"
    );
    let bytes = std::fs::read(&png).expect("no screenshot written");
    assert!(bytes.len() >= 50_000, "screenshot only {} bytes", bytes.len());
    assert_eq!(png_size(&bytes), (WIDTH, height));
    let px = pixel_stats(dir.path(), &png, &regions);
    eprintln!("screenshot pixels (whole page, then each chart): {px}");
    if let Err(e) = drawn(&px["whole"], 0.02, 50) {
        panic!("the screenshot looks blank: {e}");
    }
    for (k, r) in px["regions"].as_array().unwrap().iter().enumerate() {
        if let Err(e) = drawn(r, 0.02, 16) {
            panic!(
                "chart {k} ({}) looks blank in the screenshot: {e}",
                figures[k]["caption"]
            );
        }
    }
    if let Ok(keep) = std::env::var("ARMISTICE_KEEP_SCREENSHOT") {
        std::fs::copy(&png, &keep).unwrap();
        eprintln!("screenshot kept at {keep}");
    }
}

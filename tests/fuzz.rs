//! No input makes the loader panic: arbitrary bytes, and arbitrary mutations of valid scenarios,
//! always give a scenario or an error (bounded case counts keep this fast in CI).

use armistice::scenario::Scenario;
use proptest::prelude::*;
use std::path::Path;

const SEEDS: [&str; 3] = [
    include_str!("../scenarios/classic/two-party-toy.toml"),
    include_str!("../scenarios/template.toml"),
    include_str!("../scenarios/ukraine-2025-08.toml"),
];

fn load(bytes: &[u8]) {
    // Ok or Err are both fine; a panic fails the test. A loaded scenario must also render.
    if let Err(e) = Scenario::from_bytes(Path::new("fuzz.toml"), bytes) {
        let _ = e.to_string();
    }
}

/// One edit of a valid file: delete, duplicate or replace a byte range, or swap in a token that
/// is likely to break types and domains.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("nan".to_string()),
        Just("\"x\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("{ normal = [0, 0] }".to_string()),
        Just("{ uniform = [2, 1] }".to_string()),
        Just("\n[[actor]]\n".to_string()),
        Just("\n[[issue]]\nid = \"z\"\n".to_string()),
        Just("=".to_string()),
        Just("\u{e9}".to_string()),
        "[a-z_]{1,8}",
        "[ -~]{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), token.clone()).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), 0usize..12, token).prop_map(|(a, n, t)| Edit::Replace(a, n, t)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Delete(a, n) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                b.drain(a.min(b.len())..end);
            }
            Edit::Insert(a, t) => {
                let a = a % (b.len() + 1);
                b.splice(a..a, t.bytes());
            }
            Edit::Replace(a, n, t) => {
                let a = (a % len).min(b.len());
                let end = (a + n).min(b.len());
                b.splice(a..end, t.bytes());
            }
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        load(&bytes);
    }

    #[test]
    fn mutated_scenarios_never_panic(which in 0usize..3, edits in proptest::collection::vec(edit(), 1..4)) {
        load(&apply(SEEDS[which], &edits));
    }
}

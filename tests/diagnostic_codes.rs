//! Every diagnostic code the source can report is listed in
//! docs/diagnostics.md, and the list names no code that no longer exists.

use std::collections::BTreeSet;
use std::path::Path;

/// The `"code"` right after `error(`, `warning(` or `warn(` (the
/// constructors of `Diagnostic` and the field reader's shorthands).
fn codes_in(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for call in ["error(", "warning(", "warn("] {
        for (at, _) in src.match_indices(call) {
            let rest = src[at + call.len()..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let code: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if !code.is_empty() && rest[code.len()..].starts_with('"') {
                out.insert(code);
            }
        }
    }
    out
}

#[test]
fn every_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    for e in walkdir::WalkDir::new(root.join("src")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            used.extend(codes_in(&std::fs::read_to_string(e.path()).unwrap()));
        }
    }
    let doc = std::fs::read_to_string(root.join("docs/diagnostics.md")).unwrap();
    let listed: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(c, _)| c.to_string()))
        .collect();
    assert!(used.len() > 20, "{used:?}");
    let undocumented: Vec<_> = used.difference(&listed).collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/diagnostics.md: {undocumented:?}"
    );
    let stale: Vec<_> = listed.difference(&used).collect();
    assert!(stale.is_empty(), "listed but never reported: {stale:?}");
}

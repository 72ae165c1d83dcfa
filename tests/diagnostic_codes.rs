//! The codes table of docs/diagnostics.md and the `Code` enum agree both
//! ways: every variant is documented, every documented code is a variant,
//! in the same order. And every code a stage still writes as a string
//! literal (`Diagnostic::error("broken-link", ...)`) is a variant, so the
//! conversion from a literal never falls back.

use coachbook::diagnostics::Code;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The codes of the table, in order: its rows start with `` | `code` ``.
fn documented() -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(c, _)| c.to_string()))
        .collect()
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let listed = documented();
    let variants: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert!(variants.len() > 20, "{variants:?}");
    let undocumented: Vec<_> = variants.iter().filter(|c| !listed.contains(c)).collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/diagnostics.md: {undocumented:?}"
    );
    let stale: Vec<_> = listed.iter().filter(|c| !variants.contains(c)).collect();
    assert!(stale.is_empty(), "documented but not a Code: {stale:?}");
    assert_eq!(
        listed, variants,
        "the table lists the codes in Code::ALL's order"
    );
}

/// The `"code"` right after `error(`, `warning(`, `warn(`, `error_at_key(`
/// or `warn_at_key(` (the constructors of `Diagnostic` and the field
/// reader's shorthands), where a call still passes a literal.
fn literal_codes(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for call in [
        "error(",
        "warning(",
        "warn(",
        "error_at_key(",
        "warn_at_key(",
    ] {
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
fn every_literal_code_in_the_source_is_a_variant() {
    let mut used = BTreeSet::new();
    for e in walkdir::WalkDir::new(root().join("src")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            used.extend(literal_codes(&std::fs::read_to_string(e.path()).unwrap()));
        }
    }
    let unknown: Vec<_> = used.iter().filter(|c| Code::parse(c).is_none()).collect();
    assert!(unknown.is_empty(), "not a diagnostics::Code: {unknown:?}");
}

//! The codes table of docs/diagnostics.md and the `Code` enum agree both
//! ways: every variant is documented, every documented code is a variant,
//! in the same order. (Every diagnostic is made with a `Code` variant:
//! the compiler checks that no stage invents a code.)

use coachbook::diagnostics::Code;
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

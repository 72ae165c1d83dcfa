//! Snapshots of what `check` prints for the invalid fixture
//! (tests/sites/invalid), in the JSON and the human format: any change in
//! a code, position, message, help or snippet shows as a diff of
//! tests/snapshots/ to review. Paths are relative to the site, so the
//! snapshots are the same on every machine. README (Testing) says how to
//! accept a change.

mod common;
use common::*;

/// `check` on the invalid fixture in `format`: its diagnostics as printed
/// (standard error), after checking it fails as content errors should.
/// The time the summary line ends with (`in 78 ms`) is left out.
fn check_invalid(format: &str) -> String {
    let site = fixture("invalid");
    let (code, stderr, _) = run(&["check", site.to_str().unwrap(), "--format", format]);
    assert_eq!(code, 1, "check fails on content errors: {stderr}");
    let site_abs = site.canonicalize().unwrap();
    for p in [site.to_string_lossy(), site_abs.to_string_lossy()] {
        assert!(!stderr.contains(p.as_ref()), "an absolute path leaked: {p}");
    }
    stderr
        .lines()
        .map(|l| match (l.starts_with("Checked "), l.rfind(" in ")) {
            (true, Some(at)) if l.ends_with(" ms") => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn invalid_fixture_json() {
    insta::assert_snapshot!(check_invalid("json"));
}

#[test]
fn invalid_fixture_human() {
    insta::assert_snapshot!(check_invalid("human"));
}

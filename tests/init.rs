//! `coachbook init DIR` scaffolds a site that builds clean with --strict.

mod common;
use common::*;

#[test]
fn init_makes_a_site_that_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("handbook");
    let s = site.to_str().unwrap();
    let (code, stderr, _) = run(&["init", s]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(site.join("coachbook.toml"))
        .unwrap()
        .contains("# The month your fiscal year starts"));
    // The built site and its spare copy stay out of version control.
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.contains("/public/") && ignore.contains("/.public.coachbook-*/"));
    let (code, stderr, _) = run(&["build", s, "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Built 4 notes"), "{stderr}");
    // Whatever day it is built on.
    for day in ["2026-01-01", "2026-12-31", "2027-03-01"] {
        let (code, stderr, _) = run(&["check", s, "--strict", "--as-of", day]);
        assert_eq!(code, 0, "{day}: {stderr}");
    }
    // Never over an existing site.
    let (code, _, _) = run(&["init", s]);
    assert_eq!(code, 2);
}

#[test]
fn scaffold_dated_any_day_is_strict_clean() {
    for today in ["2026-01-01", "2026-02-28", "2024-02-29", "2026-12-31"] {
        let dir = tempfile::tempdir().unwrap();
        let day = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        coachbook::cmd::init::create(dir.path(), day).unwrap();
        let (code, stderr, _) = run(&[
            "check",
            dir.path().to_str().unwrap(),
            "--strict",
            "--as-of",
            today,
        ]);
        assert_eq!(code, 0, "{today}: {stderr}");
    }
}

//! `coachbook import csv`: Salesforce and HubSpot exports into deal notes.

mod common;
use common::*;

/// A new site (default stages), as `coachbook init` makes it.
fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    coachbook::cmd::init::create(dir.path(), day).unwrap();
    dir
}

fn import(site: &std::path::Path, file: &str, map: &str, extra: &[&str]) -> (i32, String) {
    let csv = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/crm")
        .join(file);
    let mut args = vec![
        "import",
        "csv",
        csv.to_str().unwrap(),
        "--map",
        map,
        "--into",
        site.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, stderr, _) = run(&args);
    (code, stderr)
}

#[test]
fn salesforce_export_becomes_deals_and_reruns_keep_the_managers_notes() {
    let site = new_site();
    let p = site.path();
    // A dry run writes nothing.
    let (code, stderr) = import(p, "salesforce.csv", "salesforce", &["--dry-run"]);
    assert_eq!(code, 1, "two bad rows: {stderr}");
    assert!(stderr.contains("would create"), "{stderr}");
    assert!(!p
        .join("content/deals/gamma-analytics-expansion.md")
        .exists());
    // The real import.
    let (code, stderr) = import(p, "salesforce.csv", "salesforce", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("row 6 (Broken Row): Amount \"lots\" is not an amount"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 7 (Weird Stage): stage \"Verbal Yes\" maps to none"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("Imported: 4 deals, 0 updated, 0 unchanged, 3 new reps; 2 bad rows skipped"),
        "{stderr}"
    );
    let deal =
        std::fs::read_to_string(p.join("content/deals/gamma-analytics-expansion.md")).unwrap();
    for needle in [
        "owner: \"ana-silva\"",
        "value: 180000",
        "stage: \"proposal\"",
        "created: \"2026-05-16\"",
        "close_date: \"2026-09-30\"",
        "crm_id: \"0065g00000AbCdE1\"",
        "next_step: \"Security review with CISO\"",
    ] {
        assert!(deal.contains(needle), "{needle} in {deal}");
    }
    // An owner with no rep note gets one.
    assert!(p.join("content/reps/priya-raman.md").is_file());
    // The site builds clean with the imported notes.
    let (code, stderr, _) = run(&["check", p.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    // A manager adds notes; the CRM amount changes; re-import.
    let path = p.join("content/deals/gamma-analytics-expansion.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n## Coaching notes\nAsk about the CFO.\n"),
    )
    .unwrap();
    let csv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crm/salesforce.csv"),
    )
    .unwrap();
    let changed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        changed.path(),
        csv.replace("\"$180,000.00\"", "\"$200,000.00\""),
    )
    .unwrap();
    let (_, stderr, _) = run(&[
        "import",
        "csv",
        changed.path().to_str().unwrap(),
        "--map",
        "salesforce",
        "--into",
        p.to_str().unwrap(),
    ]);
    assert!(stderr.contains("value 180000 -> 200000"), "{stderr}");
    assert!(
        stderr.contains("0 deals, 1 updated, 3 unchanged"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("value: 200000"));
    assert!(
        after.ends_with("## Coaching notes\nAsk about the CFO.\n"),
        "body kept: {after}"
    );
}

#[test]
fn hubspot_export_with_its_own_dates_and_stages() {
    let site = new_site();
    let (code, stderr) = import(site.path(), "hubspot.csv", "hubspot", &[]);
    assert_eq!(code, 0, "{stderr}");
    let deal = std::fs::read_to_string(
        site.path()
            .join("content/deals/lambda-payroll-migration.md"),
    )
    .unwrap();
    for needle in [
        "owner: \"cat-ruiz\"",
        "stage: \"negotiation\"",
        "created: \"2026-05-02\"",
        "close_date: \"2026-08-20\"",
        "value: 72000",
    ] {
        assert!(deal.contains(needle), "{needle} in {deal}");
    }
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");
}

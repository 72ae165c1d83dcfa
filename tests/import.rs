//! `coachbook import csv`: Salesforce and HubSpot exports into deal notes.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// A new site (default stages), as `coachbook init` makes it.
fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    coachbook::cmd::init::create(dir.path(), day).unwrap();
    dir
}

fn crm(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/crm")
        .join(file)
}

/// Runs `coachbook import csv` on a fixture of tests/crm (or any path).
fn import(site: &Path, file: &str, map: &str, extra: &[&str]) -> (i32, String) {
    let csv = if Path::new(file).is_absolute() {
        PathBuf::from(file)
    } else {
        crm(file)
    };
    let map = if map.ends_with(".toml") && !Path::new(map).is_absolute() {
        crm(map).to_string_lossy().into_owned()
    } else {
        map.to_string()
    };
    let mut args = vec![
        "import".to_string(),
        "csv".into(),
        csv.to_string_lossy().into_owned(),
        "--map".into(),
        map,
        "--into".into(),
        site.to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stderr, _) = run(&args);
    (code, stderr)
}

/// Imports `text` (a CSV written by the test) with `map`.
fn import_text(site: &Path, text: &str, map: &str, extra: &[&str]) -> (i32, String) {
    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(csv.path(), text).unwrap();
    import(site, csv.path().to_str().unwrap(), map, extra)
}

fn read(p: &Path, rel: &str) -> String {
    std::fs::read_to_string(p.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `content/deals` and `content/reps`, with its text.
fn notes(p: &Path) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for dir in ["content/deals", "content/reps"] {
        for e in std::fs::read_dir(p.join(dir)).unwrap() {
            let e = e.unwrap();
            v.push((
                format!("{dir}/{}", e.file_name().to_string_lossy()),
                std::fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    v.sort();
    v
}

/// The generic mapping the tests below use for hand-written CSVs.
const SIMPLE: &str = "[columns]\nid = \"Id\"\nname = \"Name\"\naccount = \"Account\"\nowner = \"Owner\"\namount = \"Amount\"\nstage = \"Stage\"\ncreated = \"Created\"\nclose_date = \"Close\"\n";
const HEADER: &str = "Id,Name,Account,Owner,Amount,Stage,Created,Close\n";

fn simple_map(extra: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(f.path(), format!("{extra}{SIMPLE}")).unwrap();
    f
}

/// Imports `rows` (after [`HEADER`]) with the [`SIMPLE`] mapping.
fn import_rows(site: &Path, rows: &str, extra: &[&str]) -> (i32, String) {
    let map = simple_map("");
    import_text(
        site,
        &format!("{HEADER}{rows}"),
        map.path().to_str().unwrap(),
        extra,
    )
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
        stderr.contains("row 6 (Broken Row): Amount \"lots\" is not an amount; skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 7 (Weird Stage): stage \"Verbal Yes\" maps to none"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "rejected 2 rows: 1 not an amount in Amount (row 6), 1 unknown stage \"Verbal Yes\" (row 7)"
        ),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("Imported: 4 deals, 0 updated, 0 unchanged, 3 new reps; 2 bad rows skipped"),
        "{stderr}"
    );
    let deal = read(p, "content/deals/gamma-analytics-expansion.md");
    for needle in [
        "owner: \"ana-silva\"",
        "value: 180000",
        "stage: \"proposal\"",
        "created: \"2026-05-16\"",
        "close_date: \"2026-09-30\"",
        "crm_id: \"0065g00000AbCdE1\"",
        "next_step: \"Security review with CISO\"",
        "probability: 60",
    ] {
        assert!(deal.contains(needle), "{needle} in {deal}");
    }
    // An owner with no rep note gets one, with no invented quota, start
    // date or team: the build says what is missing, in that note.
    let rep = read(p, "content/reps/priya-raman.md");
    assert!(
        rep.starts_with("---\ntype: \"rep\"\nname: \"Priya Raman\"\n---\n"),
        "{rep}"
    );
    for key in ["quota:", "start_date:", "team:"] {
        assert!(!rep.contains(key), "{key} invented: {rep}");
    }
    let (code, stderr, _) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    for needle in [
        "error[missing-field]: quota is required: a number greater than 0",
        "error[missing-field]: start_date is required: a date written YYYY-MM-DD",
        "error[missing-field]: team is required",
        "content/reps/priya-raman.md:1:1",
        "add a line `quota: ...`",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    assert!(stderr.contains("(0 warnings, 9 errors)"), "{stderr}");
    // Filled in, the site checks clean.
    for rep in ["ana-silva", "ben-okoro", "priya-raman"] {
        let path = p.join(format!("content/reps/{rep}.md"));
        let text = std::fs::read_to_string(&path).unwrap().replacen(
            "\n---\n",
            "\nteam: Sales\nstart_date: 2025-01-06\nquota: 500000\n---\n",
            1,
        );
        std::fs::write(&path, text).unwrap();
    }
    let (code, stderr, _) = run(&["check", p.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");

    // A manager comments a value, adds keys and notes, moves a key; the
    // CRM amount changes; re-import: only the value's line changes.
    let path = p.join("content/deals/gamma-analytics-expansion.md");
    let managed = std::fs::read_to_string(&path)
        .unwrap()
        .replace("value: 180000", "value: 180000   # verbal from the CFO")
        .replace(
            "type: \"deal\"\n",
            "type: \"deal\"\n# Coaching focus: multi-threading.\nkey_question: Who signs above the CISO?\n",
        )
        .replace(
            "next_step: \"Security review with CISO\"\n",
            "next_step: \"Security review with CISO\"\nmeddpicc:\n  champion: {score: 2, evidence: \"Dana\"}   # met twice\n",
        )
        + "\n## Coaching notes\nAsk about the CFO.\n";
    std::fs::write(&path, &managed).unwrap();
    let csv = std::fs::read_to_string(crm("salesforce.csv")).unwrap();
    let changed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        changed.path(),
        csv.replace("\"$180,000.00\"", "\"$200,000.00\""),
    )
    .unwrap();
    let (_, stderr) = import(p, changed.path().to_str().unwrap(), "salesforce", &[]);
    assert!(stderr.contains("value 180000 -> 200000"), "{stderr}");
    assert!(
        stderr.contains("0 deals, 1 updated, 3 unchanged"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        managed.replace(
            "value: 180000   # verbal from the CFO",
            "value: 200000   # verbal from the CFO"
        ),
        "only the value changed, byte for byte"
    );
    // Once more: nothing to do, nothing written.
    let (_, stderr) = import(p, changed.path().to_str().unwrap(), "salesforce", &[]);
    assert!(
        stderr.contains("0 deals, 0 updated, 4 unchanged"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn hubspot_export_with_its_own_dates_and_stages() {
    let site = new_site();
    let (code, stderr) = import(site.path(), "hubspot.csv", "hubspot", &[]);
    assert_eq!(code, 0, "{stderr}");
    let deal = read(site.path(), "content/deals/lambda-payroll-migration.md");
    for needle in [
        "owner: \"cat-ruiz\"",
        "stage: \"negotiation\"",
        "created: \"2026-05-02\"",
        "close_date: \"2026-08-20\"",
        "value: 72000",
    ] {
        assert!(deal.contains(needle), "{needle} in {deal}");
    }
}

#[test]
fn stage_names_match_ignoring_case_and_separators() {
    let site = new_site();
    let p = site.path();
    let (code, stderr) = import(p, "hubspot_deals.csv", "hubspot", &[]);
    assert_eq!(code, 0, "{stderr}");
    for (file, stage) in [
        ("nu-logistics-rollout", "discovery"), // qualified to buy
        ("xi-health-renewal", "closed_won"),   // closed-won
        ("omicron-retail-pos", "negotiation"), // Contract sent
        ("pi-foods-trial", "solution"),        // PRESENTATION SCHEDULED
        ("rho-bank-upsell", "closed_lost"),    // closedlost
    ] {
        let text = read(p, &format!("content/deals/{file}.md"));
        assert!(
            text.contains(&format!("stage: \"{stage}\"")),
            "{file}: {text}"
        );
    }
}

#[test]
fn open_deals_may_lack_value_and_close_date() {
    let site = new_site();
    let p = site.path();
    std::fs::write(
        p.join("content/reps/cat-ruiz.md"),
        "---\ntype: rep\nname: Cat Ruiz\nteam: Sales\nstart_date: 2025-01-06\nquota: 600000\n---\n",
    )
    .unwrap();
    let (code, stderr) = import(p, "hubspot_deals.csv", "hubspot", &[]);
    assert_eq!(code, 0, "{stderr}");
    let open = read(p, "content/deals/nu-logistics-rollout.md");
    assert!(
        !open.contains("value:") && !open.contains("close_date:"),
        "{open}"
    );
    assert!(open.contains("created: \"2026-09-14\""), "{open}");
    // The build takes it, with the warnings the contract asks for.
    let (code, stderr, _) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // A closed deal without them is refused.
    let (code, stderr) = import_rows(
        p,
        "1,Won Without Value,Acme,Alex Morgan,,Closed Won,2026-01-05,2026-02-01\n\
         2,Won Without Date,Acme,Alex Morgan,500,closed-won,2026-01-05,\n\
         3,Open,Acme,Alex Morgan,,Discovery,2026-01-05,\n",
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "rejected 2 rows: 1 closed deal without Amount (row 2), 1 closed deal without Close (row 3)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("Imported: 1 deals"), "{stderr}");
}

/// The Maven sample in each of the conventions it circulates in: the same
/// deals, byte for byte.
#[test]
fn the_maven_sample_in_every_convention_gives_the_same_notes() {
    let reference = new_site();
    let (code, stderr) = import(reference.path(), "maven.csv", "maven.toml", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("rejected 3 rows: 2 no engage_date (rows 32, 33), 1 no account (row 11)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Imported: 29 deals, 0 updated, 0 unchanged, 18 new reps; 3 bad rows"),
        "{stderr}"
    );
    let expected = notes(reference.path());
    let won = read(reference.path(), "content/deals/zoomit-gtk-500.md");
    for needle in [
        "crm_id: \"XUSUEAV7\"",
        "name: \"Zoomit - GTK 500\"",
        "owner: \"elease-gluck\"",
        "value: 25897",
        "stage: \"closed_won\"",
        "created: \"2016-11-20\"",
        "close_date: \"2017-03-09\"",
    ] {
        assert!(won.contains(needle), "{needle}: {won}");
    }
    let engaging = read(reference.path(), "content/deals/ganjaflex-mg-advanced.md");
    assert!(
        engaging.contains("stage: \"discovery\"") && !engaging.contains("value:"),
        "{engaging}"
    );
    for (file, map, extra, note) in [
        (
            "maven_us.csv",
            "maven.toml",
            &[][..],
            "read month first (MM/DD/YYYY)",
        ),
        (
            "maven_dmy.csv",
            "maven.toml",
            &[][..],
            "read day first (DD/MM/YYYY)",
        ),
        (
            "maven_eu.csv",
            "maven.toml",
            &[][..],
            "with ',' as the decimal separator",
        ),
        (
            "maven.tsv",
            "maven.toml",
            &[][..],
            "fields separated by tabs",
        ),
        ("maven_dmy_yy.csv", "maven_yy.toml", &[][..], ""),
        (
            "maven_dmy_yy.csv",
            "maven.toml",
            &["--date-format", "DD-MM-YY"][..],
            "",
        ),
        (
            "maven_dmy_yy.csv",
            "maven.toml",
            &["--date-format", "%d-%m-%y"][..],
            "",
        ),
    ] {
        let site = new_site();
        let (code, stderr) = import(site.path(), file, map, extra);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stderr.contains(note), "{file}: {stderr}");
        assert!(
            stderr.contains("Imported: 29 deals, 0 updated, 0 unchanged, 18 new reps; 3 bad rows"),
            "{file}: {stderr}"
        );
        assert_eq!(notes(site.path()), expected, "{file} {extra:?}");
    }
    let eu = std::fs::read_to_string(crm("maven_eu.csv")).unwrap();
    assert!(eu.contains(";25.897,00") && eu.contains(";20.11.2016;"));
}

#[test]
fn two_digit_years_are_refused_unless_date_format_says_so() {
    let site = new_site();
    let (code, stderr) = import(site.path(), "maven_dmy_yy.csv", "maven.toml", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "row 2 (Cancity - GTX Plus Basic): engage_date \"20-10-16\" has a two-digit year"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "rejected 32 rows: 29 two-digit year in engage_date (rows 2, 3, 4, 5, 6, ...)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("Imported: 0 deals"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(site.path().join("content/deals"))
            .unwrap()
            .count(),
        1,
        "only the example deal of init"
    );
}

#[test]
fn a_column_date_order_comes_from_all_its_values() {
    let site = new_site();
    let p = site.path();
    // 05/01/2024 alone could be either; 13/01/2024 on another row settles
    // the column as day first.
    let (code, stderr) = import_rows(
        p,
        "1,Alpha,Acme,Alex Morgan,100,Discovery,05/01/2024,13/01/2024\n\
         2,Beta,Acme,Alex Morgan,100,Discovery,13/01/2024,20/02/2024\n",
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let alpha = read(p, "content/deals/alpha.md");
    assert!(alpha.contains("created: \"2024-01-05\""), "{alpha}");
    assert!(
        stderr.contains("dates in \"Created\" read day first"),
        "{stderr}"
    );
}

#[test]
fn dates_that_read_both_ways_stop_the_import_until_date_format_is_given() {
    let site = new_site();
    let p = site.path();
    let rows = "1,Alpha,Acme,Alex Morgan,100,Discovery,05/01/2024,06/02/2024\n\
                2,Beta,Acme,Alex Morgan,100,Discovery,03/04/2024,07/08/2024\n";
    let (code, stderr) = import_rows(p, rows, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("every date in \"Created\" can be read day first or month first (such as \"05/01/2024\" on row 2)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("set date_format") && stderr.contains("--date-format"),
        "{stderr}"
    );
    assert!(!p.join("content/deals/alpha.md").exists());
    // Said on the command line, or in the mapping.
    let (code, stderr) = import_rows(p, rows, &["--date-format", "MM/DD/YYYY"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(p, "content/deals/alpha.md").contains("created: \"2024-05-01\""));
    let site = new_site();
    let map = simple_map("date_format = \"DD/MM/YYYY\"\n");
    let (code, stderr) = import_text(
        site.path(),
        &format!("{HEADER}{rows}"),
        map.path().to_str().unwrap(),
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(read(site.path(), "content/deals/alpha.md").contains("created: \"2024-01-05\""));
}

#[test]
fn conflicting_date_orders_name_the_rows() {
    let site = new_site();
    let (code, stderr) = import_rows(
        site.path(),
        "1,Alpha,Acme,Alex Morgan,100,Discovery,2024-01-05,13/01/2024\n\
         2,Beta,Acme,Alex Morgan,100,Discovery,2024-01-05,01/14/2024\n\
         3,Gamma,Acme,Alex Morgan,100,Discovery,2024-01-05,01/15/2024\n",
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "the dates in \"Close\" are written both ways: day first on row 2 (such as \"13/01/2024\") and month first on rows 3, 4 (such as \"01/14/2024\")"
        ),
        "{stderr}"
    );
    assert!(!site.path().join("content/deals/alpha.md").exists());
}

#[test]
fn years_outside_1990_to_2100_are_row_errors() {
    let site = new_site();
    let (code, stderr) = import_rows(
        site.path(),
        "1,Alpha,Acme,Alex Morgan,100,Discovery,0005-04-17,2026-01-01\n\
         2,Beta,Acme,Alex Morgan,100,Discovery,2026-01-05,2917-01-01\n\
         3,Gamma,Acme,Alex Morgan,100,Discovery,2026-01-05,2026-02-01\n",
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("row 2 (Alpha): Created \"0005-04-17\" is in the year 5, outside 1990-2100"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 year outside 1990-2100 in Created (row 2), 1 year outside 1990-2100 in Close (row 3)"),
        "{stderr}"
    );
    assert!(stderr.contains("Imported: 1 deals"), "{stderr}");
}

#[test]
fn the_decimal_separator_comes_from_the_column_or_the_mapping() {
    let site = new_site();
    let p = site.path();
    // `1,200` alone is ambiguous; `350.000,00` on another row settles it.
    let eu = "Id;Name;Account;Owner;Amount;Stage;Created;Close\n\
              1;Alpha;Acme;Alex Morgan;1.200,50;Discovery;2026-01-05;2026-12-01\n\
              2;Beta;Acme;Alex Morgan;\"350.000,00\";Discovery;2026-01-05;2026-12-01\n\
              3;Gamma;Acme;Alex Morgan;1,200;Discovery;2026-01-05;2026-12-01\n";
    let map = simple_map("");
    let (code, stderr) = import_text(p, eu, map.path().to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(p, "content/deals/alpha.md").contains("value: 1200.5\n"));
    assert!(read(p, "content/deals/beta.md").contains("value: 350000\n"));
    assert!(read(p, "content/deals/gamma.md").contains("value: 1.2\n"));

    // Alone, `1,200` stops the import until `decimal` is given.
    let site = new_site();
    let rows = "1,Alpha,Acme,Alex Morgan,\"1,200\",Discovery,2026-01-05,2026-12-01\n\
                2,Beta,Acme,Alex Morgan,900,Discovery,2026-01-05,2026-12-01\n";
    let (code, stderr) = import_rows(site.path(), rows, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("every number in \"Amount\" with a separator can be read two ways (such as \"1,200\" on row 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("decimal = \".\" or decimal = \",\""),
        "{stderr}"
    );
    let map = simple_map("decimal = \".\"\n");
    let (code, stderr) = import_text(
        site.path(),
        &format!("{HEADER}{rows}"),
        map.path().to_str().unwrap(),
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(read(site.path(), "content/deals/alpha.md").contains("value: 1200\n"));

    // Both conventions in one column: an error naming the rows.
    let site = new_site();
    let (code, stderr) = import_rows(
        site.path(),
        "1,Alpha,Acme,Alex Morgan,\"1.200,50\",Discovery,2026-01-05,2026-12-01\n\
         2,Beta,Acme,Alex Morgan,\"1,200.50\",Discovery,2026-01-05,2026-12-01\n",
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("use both decimal separators: \".\" on row 3 (such as \"1,200.50\") and \",\" on row 2 (such as \"1.200,50\")"),
        "{stderr}"
    );
    // A value that does not fit the given separator is a row error.
    let (code, stderr) = import_rows(
        site.path(),
        "1,Alpha,Acme,Alex Morgan,\"1.200,50\",Discovery,2026-01-05,2026-12-01\n",
        &["--decimal", "."],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "Amount \"1.200,50\" is not an amount with '.' as the decimal separator (as given)"
        ),
        "{stderr}"
    );
}

#[test]
fn suffixes_are_exact_and_negative_amounts_are_refused() {
    let site = new_site();
    let p = site.path();
    let (code, stderr) = import_rows(
        p,
        "1,Alpha,Acme,Alex Morgan,12k,Discovery,2026-01-05,2026-12-01\n\
         2,Beta,Acme,Alex Morgan,1.5M,Discovery,2026-01-05,2026-12-01\n\
         3,Gamma,Acme,Alex Morgan,\"(1,200)\",Discovery,2026-01-05,2026-12-01\n\
         4,Delta,Acme,Alex Morgan,-5,Discovery,2026-01-05,2026-12-01\n\
         5,Epsilon,Acme,Alex Morgan,12 units,Discovery,2026-01-05,2026-12-01\n\
         6,Zeta,Acme,Alex Morgan,\"$1,250.75\",Discovery,2026-01-05,2026-12-01\n",
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(read(p, "content/deals/alpha.md").contains("value: 12000\n"));
    assert!(read(p, "content/deals/beta.md").contains("value: 1500000\n"));
    assert!(read(p, "content/deals/zeta.md").contains("value: 1250.75\n"));
    assert!(
        stderr.contains(
            "row 4 (Gamma): Amount \"(1,200)\" is negative, and values are never below 0; skipped"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "rejected 3 rows: 2 negative amount (rows 4, 5), 1 not an amount in Amount (row 6)"
        ),
        "{stderr}"
    );
}

#[test]
fn every_missing_column_is_listed_at_once() {
    let site = new_site();
    let (code, stderr) = import_text(
        site.path(),
        "Opportunity Name,Account Name,Amount\nA,B,1\n",
        "salesforce",
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "the export has no column \"Opportunity ID\", \"Opportunity Owner\" (or pass --owner NAME), \"Stage\", \"Created Date\", \"Close Date\" (mapping salesforce); its columns are: \"Opportunity Name\", \"Account Name\", \"Amount\""
        ),
        "{stderr}"
    );
}

#[test]
fn an_export_without_owners_takes_the_owner_flag() {
    let site = new_site();
    let p = site.path();
    let map = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(map.path(), SIMPLE.replace("owner = \"Owner\"\n", "")).unwrap();
    let csv = "Id,Name,Account,Amount,Stage,Created,Close\n1,Alpha,Acme,100,Discovery,2026-01-05,2026-12-01\n";
    let (code, stderr) = import_text(p, csv, map.path().to_str().unwrap(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pass --owner NAME"), "{stderr}");
    let (code, stderr) = import_text(
        p,
        csv,
        map.path().to_str().unwrap(),
        &["--owner", "Alex Morgan"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(read(p, "content/deals/alpha.md").contains("owner: \"alex-morgan\""));
    // With an owner column, --owner fills the empty cells only.
    let (code, stderr) = import_rows(
        p,
        "2,Beta,Acme,,100,Discovery,2026-01-05,2026-12-01\n3,Gamma,Acme,Sam Lee,100,Discovery,2026-01-05,2026-12-01\n",
        &["--owner", "alex-morgan"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(read(p, "content/deals/beta.md").contains("owner: \"alex-morgan\""));
    assert!(read(p, "content/deals/gamma.md").contains("owner: \"sam-lee\""));
}

#[test]
fn a_salesforce_report_with_footers_and_last_first_owners() {
    let site = new_site();
    let p = site.path();
    // Priya has a rep note; Ben does not.
    std::fs::write(
        p.join("content/reps/priya-natarajan.md"),
        "---\ntype: rep\nname: Priya Natarajan\nteam: Sales\nstart_date: 2025-01-06\nquota: 600000\n---\n",
    )
    .unwrap();
    let (code, stderr) = import(p, "salesforce_report.csv", "salesforce", &[]);
    assert_eq!(code, 1, "the credit note: {stderr}");
    assert!(
        stderr.contains("note: skipped 3 rows below the data, as a report's footer (rows: 9 \"Grand Totals (6 records)\", 12 \"Confidential Information - Do Not Distribute\", 13 \"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: skipped 2 blank rows (rows 10, 11)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rejected 1 row: 1 negative amount (row 6)"),
        "only the credit note is refused: {stderr}"
    );
    assert!(
        stderr.contains("Imported: 5 deals, 0 updated, 0 unchanged, 1 new reps; 1 bad row skipped"),
        "{stderr}"
    );
    assert!(read(p, "content/deals/acme-renewal-2026.md").contains("owner: \"priya-natarajan\""));
    assert!(read(p, "content/deals/globex-pilot.md").contains("owner: \"ben-okoro\""));
    assert!(read(p, "content/reps/ben-okoro.md").contains("name: \"Ben Okoro\""));
    let open = read(p, "content/deals/globex-pilot.md");
    assert!(
        !open.contains("value:") && !open.contains("close_date:"),
        "{open}"
    );
    // A report that is all footer after its data fails nothing.
    let site = new_site();
    let (code, stderr) = import_rows(
        site.path(),
        "1,Alpha,Acme,Alex Morgan,100,Discovery,2026-01-05,2026-12-01\n,,,,,,,\nTotal,,,,100,,,\n\"Confidential Information - Do Not Distribute\"\n",
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: skipped 2 rows below the data"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: skipped 1 blank row (row 3)"),
        "{stderr}"
    );
}

#[test]
fn unknown_keys_in_a_mapping_are_errors() {
    let site = new_site();
    let map = simple_map("date_fromat = \"DD/MM/YYYY\"\n");
    let (code, stderr) = import_text(
        site.path(),
        &format!("{HEADER}1,Alpha,Acme,Alex Morgan,100,Discovery,2026-01-05,2026-12-01\n"),
        map.path().to_str().unwrap(),
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown field `date_fromat`"), "{stderr}");
    assert!(!site.path().join("content/deals/alpha.md").exists());
}

#[test]
fn thousands_of_bad_rows_are_summed_up_in_one_line() {
    let site = new_site();
    let mut rows = String::new();
    for i in 0..2000 {
        // Every other row has an impossible close date, every 100th a
        // negative amount.
        let amount = if i % 100 == 1 { "-5" } else { "100" };
        let close = if i % 2 == 0 {
            "2026-02-30"
        } else {
            "2026-12-01"
        };
        rows.push_str(&format!(
            "{i},Deal {i},Acme,Alex Morgan,{amount},Discovery,2026-01-05,{close}\n"
        ));
    }
    let (code, stderr) = import_rows(site.path(), &rows, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("rejected 1,020 rows: 1,000 bad date in Close (rows 2, 4, 6, 8, 10, ...), 20 negative amount (rows 3, 103, 203, 303, 403, ...)"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("  ... and 997 more rows with bad date in Close (--verbose lists every row)"),
        "{stderr}"
    );
    let refused_lines = stderr.lines().filter(|l| l.contains("; skipped")).count();
    assert_eq!(refused_lines, 6, "three per reason: {stderr}");
    // --verbose lists every row (on a dry run, nothing written).
    let site = new_site();
    let (_, stderr) = import_rows(site.path(), &rows, &["--verbose", "--dry-run"]);
    let refused_lines = stderr.lines().filter(|l| l.contains("; skipped")).count();
    assert_eq!(refused_lines, 1020);
}

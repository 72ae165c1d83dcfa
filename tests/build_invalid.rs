//! Bad notes: every problem is reported with file, line and a stable code,
//! the rest of the site still builds, and the exit codes follow the rules
//! (0 built, 1 content errors or --strict with any diagnostic, 2 setup).

mod common;
use common::*;
use serde_json::Value;

fn diagnostics(stderr: &str) -> Vec<(String, u64, String, String)> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["code"].as_str().unwrap().to_string(),
                v["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_bad_note_is_reported_with_file_line_and_code() {
    let site = fixture("invalid");
    let (code, stderr, _) = run(&["check", site.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "check fails on errors: {stderr}");
    let (code, _, _) = run(&["check", site.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 1, "--strict fails on them");
    let out = tempfile::tempdir().unwrap();
    let (code, build_err, _) = run(&[
        "build",
        site.to_str().unwrap(),
        "-o",
        out.path().join("public").to_str().unwrap(),
    ]);
    assert_eq!(
        code, 0,
        "build reports problems and builds the rest: {build_err}"
    );
    let got = diagnostics(&stderr);
    let want: Vec<(&str, u64, &str, &str)> = vec![
        ("content/a/same.md", 1, "duplicate-name", "warning"),
        ("content/d/two.md", 3, "duplicate-id", "error"),
        ("content/deals/bad-stage.md", 7, "invalid-value", "error"),
        ("content/deals/broken-owner.md", 5, "broken-link", "warning"),
        ("content/deals/dates.md", 9, "date-order", "error"),
        (
            "content/deals/impossible-date.md",
            8,
            "invalid-date",
            "error",
        ),
        ("content/deals/meddpicc.md", 12, "invalid-value", "error"),
        ("content/debriefs/bad-enum.md", 6, "invalid-value", "error"),
        (
            "content/debriefs/no-takeaway.md",
            1,
            "missing-field",
            "error",
        ),
        ("content/debriefs/no-takeaway.md", 5, "empty-field", "error"),
        (
            "content/forecasts/bad-period.md",
            4,
            "invalid-value",
            "error",
        ),
        ("content/misc/links.md", 6, "ambiguous-link", "warning"),
        ("content/misc/links.md", 6, "broken-link", "warning"),
        ("content/misc/not-utf8.md", 2, "not-utf8", "error"),
        ("content/misc/typo.md", 2, "unknown-type", "warning"),
        (
            "content/misc/unterminated.md",
            1,
            "frontmatter-unterminated",
            "error",
        ),
        // At the `[` never closed, not at the end of the block.
        ("content/misc/yaml.md", 3, "frontmatter-syntax", "error"),
        (
            "content/preps/two-objections.md",
            8,
            "few-objections",
            "warning",
        ),
        ("content/reps/bad-quota.md", 6, "invalid-value", "error"),
        (
            "content/reps/too-focused.md",
            7,
            "too-many-focus-areas",
            "error",
        ),
    ];
    let want: Vec<(String, u64, String, String)> = want
        .into_iter()
        .map(|(f, l, c, s)| (f.to_string(), l, c.to_string(), s.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn messages_say_what_was_expected_and_found() {
    let site = fixture("invalid");
    let (_, stderr, _) = run(&["check", site.to_str().unwrap()]);
    for needle in [
        "quota must be a number greater than 0, found \"lots\"",
        "did you mean \"proposal\"?",
        "did you mean \"deal\"?",
        "did you mean \"Good Rep\"?",
        "created is not a date that exists: \"2026-02-30\"",
        "the id \"shared\" is already used by content/c/one.md",
        "2 notes have the file name \"same\": content/a/same.md (id \"a/same\"), content/b/same.md (id \"b/same\")",
        "content/reps/bad-quota.md:6",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in\n{stderr}");
    }
    // The human format shows the offending line.
    assert!(stderr.contains("quota: lots"), "{stderr}");
}

#[test]
fn the_rest_of_the_site_still_builds() {
    let (dir, code, stderr) = build("invalid", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("14 errors"), "{stderr}");
    // Valid notes are built; a note with field errors is rendered with a
    // notice and left out of the metrics.
    assert!(read(dir.path(), "reps/good-rep/index.html").contains("Good Rep"));
    let doc = html(dir.path(), "reps/bad-quota/index.html");
    assert_eq!(select(&doc, ".notice.error").len(), 1);
    let m: Value = serde_json::from_str(&read(dir.path(), "metrics.json")).unwrap();
    let reps: Vec<&String> = m["reps"].as_object().unwrap().keys().collect();
    assert_eq!(reps, ["good-rep"]);
    assert!(m["deals"].get("bad-stage").is_none());
    // A deal with a broken owner is a valid deal with no owner.
    assert_eq!(m["deals"]["broken-owner"]["owner"], Value::Null);
    // Broken links are visible on the page.
    let doc = html(dir.path(), "pages/links/index.html");
    let broken = select(&doc, ".prose a.broken-link");
    assert_eq!(broken.len(), 2);
    assert!(broken[0].value().attr("href").is_none());
    let doc = html(dir.path(), "deals/broken-owner/index.html");
    assert_eq!(select(&doc, ".facts a.broken-link").len(), 1);
    // The unknown type is a plain page. Two files named alike both stay,
    // under their folder paths; of two notes with one `slug`, the first
    // keeps it and the second is left out.
    assert!(dir.path().join("public/pages/typo/index.html").is_file());
    assert!(read(dir.path(), "pages/a/same/index.html").contains("Same A"));
    assert!(read(dir.path(), "pages/b/same/index.html").contains("Same B"));
    assert!(!dir.path().join("public/pages/same").exists());
    assert!(read(dir.path(), "pages/shared/index.html").contains("One"));
}

fn site_with_one_warning() -> tempfile::TempDir {
    let site = copy_site("valid");
    std::fs::write(
        site.path().join("content/handbook/broken.md"),
        "---\ntitle: Broken\n---\nSee [[Nobody]].\n",
    )
    .unwrap();
    site
}

#[test]
fn warnings_pass_but_strict_fails() {
    let site = site_with_one_warning();
    let s = site.path().to_str().unwrap();
    let (code, stderr, _) = run(&["check", s]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 warning, 0 errors"), "{stderr}");
    let (code, _, _) = run(&["check", s, "--strict"]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&["build", s, "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn github_format_annotates_lines() {
    let site = site_with_one_warning();
    let (_, stderr, _) = run(&["check", site.path().to_str().unwrap(), "--format", "github"]);
    assert!(
        stderr.contains("::warning file=content/handbook/broken.md,line=4,endLine=4,col=5,endColumn=15,title=broken-link::link \"Nobody\" does not match"),
        "{stderr}"
    );
}

#[test]
fn setup_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().to_str().unwrap();
    // No content folder.
    let (code, stderr, _) = run(&["build", s]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no content/ folder"), "{stderr}");
    // A bad configuration.
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("coachbook.toml"),
        "fiscal_year_start_month = 13\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["check", s]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("fiscal_year_start_month must be a month number from 1 to 12"),
        "{stderr}"
    );
    // A bad flag.
    let (code, _, _) = run(&["build", s, "--as-of", "2026-02-30"]);
    assert_eq!(code, 2);
    // Output folders it must never write into.
    std::fs::write(dir.path().join("coachbook.toml"), "").unwrap();
    for out in [
        s.to_string(),
        format!("{s}/content"),
        format!("{s}/content/public"),
        "/".to_string(),
    ] {
        let (code, stderr, _) = run(&["build", s, "-o", &out]);
        assert_eq!(code, 2, "{out}: {stderr}");
        assert!(
            stderr.contains("refusing to write the site into"),
            "{stderr}"
        );
    }
    assert!(!dir.path().join("index.html").exists());
    // A template that does not compile.
    std::fs::write(dir.path().join("coachbook.toml"), "").unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/page.html"), "{% if %}").unwrap();
    let (code, stderr, _) = run(&["build", s]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("page.html"), "{stderr}");
}

#[test]
fn an_empty_site_builds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let (code, stderr, _) = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "--strict",
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let m = std::fs::read_to_string(dir.path().join("public/metrics.json")).unwrap();
    let m: Value = serde_json::from_str(&m).unwrap();
    assert_eq!(m["org"]["quota_attainment"], Value::Null);
    assert_eq!(m["org"]["quota"], serde_json::json!(0));
}

#[test]
fn site_level_warnings_unknown_team_duplicate_forecast_and_team_clash() {
    let site = copy_site("valid");
    let p = site.path();
    let w = |rel: &str, text: &str| std::fs::write(p.join(rel), text).unwrap();
    w(
        "content/forecasts/f4.md",
        "---\ntype: forecast\nteam: Nort\nperiod: 2026-Q1\ncommit: 1\n---\n",
    );
    w(
        "content/forecasts/f5.md",
        "---\ntype: forecast\nowner: ben-okoro\nperiod: 2025-Q4\ncommit: 1\n---\n",
    );
    w(
        "content/reps/dee.md",
        "---\ntype: rep\nname: Dee\nteam: north\nstart_date: 2026-01-01\nquota: 1\n---\n",
    );
    w("content/deals/d8.md", "---\ntype: deal\nname: D8\naccount: A\nowner: dee\nvalue: 1\nstage: closed_won\nprobability: 50\ncreated: 2026-01-01\nclose_date: 2026-05-01\n---\n");
    let out = p.join("public");
    let (code, stderr, _) = run(&["build", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let got = diagnostics(&stderr);
    let codes: Vec<(&str, &str)> = got
        .iter()
        .map(|(f, _, c, _)| (f.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("content/deals/d8.md", "unexpected-field"),
            ("content/forecasts/f4.md", "unknown-team"),
            ("content/forecasts/f5.md", "duplicate-forecast"),
            ("content/reps/dee.md", "team-slug-clash"),
        ]
    );
    assert!(stderr.contains("did you mean \\\"North\\\"?"), "{stderr}");
    // Both teams get a page of their own.
    assert!(out.join("teams/north/index.html").is_file());
    assert!(out.join("teams/north-2/index.html").is_file());
}

/// Whenever a note is left out of the figures, the figures say so: the
/// dashboard, team and rep pages name how many, linking to `/problems/`,
/// which lists every diagnostic with its file and line.
#[test]
fn notes_left_out_of_the_figures_are_counted_and_listed() {
    let (dir, code, stderr) = build("invalid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "problems/index.html");
    let files = texts(&doc, ".problem-file h2");
    assert!(
        files
            .iter()
            .any(|f| f == "content/reps/bad-quota.md Left out"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f == "content/misc/not-utf8.md Left out"),
        "a note left out of the site is listed too: {files:?}"
    );
    assert!(
        files.iter().any(|f| f == "content/deals/broken-owner.md"),
        "a warning only: listed, not left out: {files:?}"
    );
    let items = texts(&doc, ".problems li");
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("error line 7") && i.contains("invalid-value")),
        "{items:?}"
    );
    let left_out = select(&doc, ".problem-file h2 .badge").len();
    assert!(left_out >= 5, "{left_out}");
    let notice = format!("{left_out} notes with problems are left out of these figures");
    for page in [
        "index.html",
        "reps/good-rep/index.html",
        "reps/good-rep/pipeline/index.html",
    ] {
        let doc = html(dir.path(), page);
        let n = texts(&doc, ".notice.left-out");
        assert_eq!(n.len(), 1, "{page}");
        assert!(n[0].starts_with(&notice), "{page}: {n:?} {notice}");
        let link = select(&doc, ".notice.left-out a")[0].value().attr("href");
        assert_eq!(link, Some("/problems/"), "{page}");
    }
    let team = std::fs::read_dir(dir.path().join("public/teams"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let team_page = std::fs::read_to_string(team.join("index.html")).unwrap();
    assert!(team_page.contains(&notice), "the team page");
    // Pages without figures do not carry it.
    let doc = html(dir.path(), "notes/index.html");
    assert!(select(&doc, ".notice.left-out").is_empty());

    // A clean site: the problems page says so, no notice anywhere.
    let (dir, code, _) = build("valid", &[]);
    assert_eq!(code, 0);
    let doc = html(dir.path(), "problems/index.html");
    assert!(select(&doc, ".problem-file").is_empty());
    assert!(select(&html(dir.path(), "index.html"), ".notice.left-out").is_empty());
}

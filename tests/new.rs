//! `coachbook new`: notes from the theme's templates, filled from the site.

mod common;
use common::*;

fn new(site: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--site", site.to_str().unwrap()]);
    let (code, stderr, out) = run(&all);
    (
        code,
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        stderr,
    )
}

#[test]
fn a_debrief_on_a_deal_gets_its_owner_and_the_date() {
    let site = copy_site("valid");
    let (code, path, stderr) = new(site.path(), &["debrief", "--deal", "Big Proposal"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        path.ends_with("content/debriefs/2026-06-30-debrief-big-proposal.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("rep: \"ana-silva\""), "{text}");
    assert!(text.contains("deal: \"d3\""), "{text}");
    assert!(text.contains("date: 2026-06-30"), "{text}");
    assert!(text.contains("## What would you do differently if you could replay that moment?"));
    // It parses as a debrief whose only problem is the takeaway still to write.
    let (_, d) = coachbook::content::parse_note(
        "x.md",
        std::path::Path::new(&path),
        &text,
        &coachbook::content::LoadOptions::default(),
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "empty-field");
    // Never overwrites.
    std::fs::write(&path, "mine").unwrap();
    let (code, _, stderr) = new(site.path(), &["debrief", "--deal", "Big Proposal"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn coaching_lists_focus_areas_and_prep_has_three_objections() {
    let site = copy_site("valid");
    let (_, path, _) = new(
        site.path(),
        &["coaching", "--rep", "Ana Silva", "--date", "2026-07-02"],
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# Current focus areas:"), "{text}");
    assert!(
        text.contains("Asks three layers deep before any pitch"),
        "{text}"
    );
    assert!(text.contains("date: 2026-07-02"));
    let (_, path, _) = new(site.path(), &["prep", "--deal", "d6"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.matches("- {objection: \"\", response: \"\"}").count(),
        3,
        "{text}"
    );
    assert!(
        text.contains("rep: \"ben-okoro\""),
        "the deal owner: {text}"
    );
}

#[test]
fn titles_with_quotes_stay_valid_yaml_and_bad_input_is_refused() {
    let site = copy_site("valid");
    let (code, path, stderr) = new(site.path(), &["page", "Objections: \"price\" & timing"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    let (n, d) = coachbook::content::parse_note(
        "x.md",
        std::path::Path::new(&path),
        &text,
        &coachbook::content::LoadOptions::default(),
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(n.unwrap().title, "Objections: \"price\" & timing");
    assert_eq!(new(site.path(), &["meeting"]).0, 2);
    assert_eq!(new(site.path(), &["debrief", "--deal", "Nope"]).0, 2);
    let (code, _, stderr) = new(site.path(), &["debrief", "--deal", "ana-silva"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a rep, not a deal"), "{stderr}");
}

#[test]
fn an_unknown_kind_is_a_usage_error_in_coachbooks_words() {
    let site = copy_site("valid");
    let (code, path, stderr) = new(site.path(), &["memo", "A title"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(path, "");
    assert_eq!(
        stderr,
        "error: unknown kind \"memo\": one of rep, manager, deal, debrief, coaching, call, prep, forecast, page\n"
    );
    // Kinds are matched as every enum value is: case and separators aside.
    let (code, _, stderr) = new(site.path(), &["Page", "A title"]);
    assert_eq!(code, 0, "{stderr}");
}

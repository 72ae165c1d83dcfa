//! One status language: a figure gets the same colour, reason and
//! definition link on every page that shows it (dashboard, team, rep,
//! pipeline review), and every link lands on an anchor of `/metrics/`.

mod common;

use common::{build, html, select};
use std::path::Path;

/// (class, reason, link) of the card labelled `label` on the page `rel`.
fn card(dir: &Path, rel: &str, label: &str) -> (String, String, String) {
    let doc = html(dir, rel);
    let label_sel = scraper::Selector::parse(".card-label").unwrap();
    let why_sel = scraper::Selector::parse(".card-why a").unwrap();
    for c in select(&doc, ".card") {
        let l: String = c
            .select(&label_sel)
            .flat_map(|x| x.text())
            .collect::<String>();
        if l.trim() != label {
            continue;
        }
        let class = c.value().attr("class").unwrap_or("").to_string();
        let why = c
            .select(&why_sel)
            .next()
            .unwrap_or_else(|| panic!("the {label} card of {rel} gives no reason"));
        return (
            class,
            why.text().collect(),
            why.value().attr("href").unwrap_or("").to_string(),
        );
    }
    panic!("no card {label} on {rel}");
}

#[test]
fn a_team_card_and_a_rep_card_with_the_same_figure_get_the_same_state() {
    // One team of one rep: the team's figures are the rep's.
    let (dir, code, stderr) = build("one-team", &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let team = "teams/solo/index.html";
    let rep = "reps/vera-long/index.html";
    let pipeline = "reps/vera-long/pipeline/index.html";

    let t = card(out, team, "Quota attainment FYTD");
    let r = card(out, rep, "Quota attainment FYTD");
    assert_eq!(t, r);
    assert_eq!(t.0, "card bad");
    assert_eq!(t.1, "Attainment 50%, target 90%");
    assert_eq!(t.2, "/metrics/#quota-attainment");

    let t = card(out, team, "Pipeline coverage");
    assert_eq!(t, card(out, rep, "Pipeline coverage"));
    assert_eq!(t, card(out, pipeline, "Coverage"));
    assert_eq!(t, card(out, "index.html", "Pipeline coverage"));
    assert_eq!(t.0, "card bad");
    assert_eq!(t.1, "Coverage 1.5x, target 3x");

    let t = card(out, team, "Deals at risk");
    assert_eq!(t, card(out, pipeline, "Risk"));
    assert_eq!(t, card(out, "index.html", "Deals at risk"));
    assert_eq!(t.0, "card bad");

    // Every definition linked to has its anchor on /metrics/.
    let metrics = common::read(out, "metrics/index.html");
    for page in [team, rep, pipeline, "index.html"] {
        let doc = html(out, page);
        for a in select(&doc, ".card-why a") {
            let href = a.value().attr("href").unwrap_or("");
            let anchor = href.split_once('#').map(|x| x.1).unwrap_or("");
            assert!(
                metrics.contains(&format!("id=\"{anchor}\"")),
                "{page} links to {href}, which /metrics/ does not define"
            );
        }
    }
}

#[test]
fn a_rep_in_ramp_is_judged_against_the_ramp_plan() {
    // The valid fixture's Ana Silva started 2026-01-05 (as of 2026-06-30)
    // with a day-30 gate still open: red for the plan, not the quota.
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let (class, reason, href) = card(out, "reps/ana-silva/index.html", "Quota attainment FYTD");
    assert!(reason.starts_with("In ramp: day 176 of 365"), "{reason}");
    assert!(reason.contains("day 30 gate 1 of 2 done"), "{reason}");
    assert_eq!(class, "card bad");
    assert!(href.ends_with("/metrics/#in-ramp"), "{href}");
    // Ramp progress comes first: in the prep sheet and before performance.
    let page = common::read(out, "reps/ana-silva/index.html");
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("id=\"prep-sheet\"") < at("id=\"ramp\""));
    assert!(at("id=\"ramp\"") < at("id=\"performance\""));
    assert!(at("See <a href=\"#ramp\">ramp progress</a>") < at("id=\"ramp\""));
    // A rep hired years ago is not in ramp and has no ramp section.
    let old = common::read(out, "reps/ben-okoro/index.html");
    assert!(!old.contains("In ramp"));
}

#[test]
fn the_prep_sheet_lists_red_and_slipped_deals_and_says_what_it_compares() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let pages: String = ["reps/ana-silva/index.html", "reps/cat-ruiz/index.html"]
        .iter()
        .map(|p| common::read(out, p))
        .collect();
    assert!(pages.contains("Slipped: close date passed"));
    assert!(pages.contains("due 2026-06-15 (15 days ago)"));
    assert!(pages.contains("Red now"));
    assert!(pages.contains("this list does not tell which of them changed"));
    assert!(pages.contains("changes/\">what changed</a>"));
}

#[test]
fn the_forecast_page_groups_ended_quarters_by_team() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "forecast/index.html");
    let heads = common::texts(&doc, "section[aria-labelledby=history] h3");
    assert_eq!(heads, ["North"]);
    let periods = common::texts(&doc, "section[aria-labelledby=history] td.lead");
    // Only ended quarters, the team's own forecast first.
    assert_eq!(periods, ["2025-Q4", "2025-Q4"]);
    let owners = common::texts(
        &doc,
        "section[aria-labelledby=history] td[data-label=Owner]",
    );
    assert_eq!(owners, ["North", "Ben Okoro"]);
}

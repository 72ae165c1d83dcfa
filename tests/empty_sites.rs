//! Empty and small sites read well: a site with one rep and no deals, and a
//! site with only handbook pages. No chart axis of nothing ("$0" to "$1"),
//! no comparison with nothing ("Was — in the two before (—)"), no table
//! with only its header; instead a sentence saying what to add next.

mod common;

use common::build;
use std::path::Path;

/// Every built page: (path relative to the output, its HTML).
fn pages(out: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut todo = vec![out.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p.strip_prefix(out).unwrap().display().to_string();
                found.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    found.sort();
    found
}

fn check_reads_well(site: &str) -> Vec<(String, String)> {
    let (dir, code, stderr) = build(site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let all = pages(&dir.path().join("public"));
    assert!(all.len() > 10, "{site}: only {} pages", all.len());
    for (rel, html) in &all {
        for bad in [">$1<", "Was —", "(—)", "No data yet"] {
            assert!(!html.contains(bad), "{site}/{rel} shows {bad:?}");
        }
        let doc = scraper::Html::parse_document(html);
        let tables = scraper::Selector::parse("table").unwrap();
        let rows = scraper::Selector::parse("tbody tr").unwrap();
        for t in doc.select(&tables) {
            assert!(
                t.select(&rows).next().is_some(),
                "{site}/{rel} has a table with only its header"
            );
        }
    }
    all
}

fn page<'a>(all: &'a [(String, String)], rel: &str) -> &'a str {
    &all.iter()
        .find(|(r, _)| r == rel)
        .unwrap_or_else(|| panic!("no page {rel}"))
        .1
}

#[test]
fn a_site_with_one_rep_and_no_deals_says_what_to_add() {
    let all = check_reads_well("one-rep");
    let hint = "No open deals yet: add one with <code>coachbook new deal</code>";
    assert!(page(&all, "index.html").contains(hint));
    assert!(page(&all, "teams/founders/index.html").contains(hint));
    assert!(page(&all, "reps/ada-first/pipeline/index.html").contains(hint));
    assert!(page(&all, "index.html")
        .contains("No deals closed in the two full quarters before to compare with"));
    assert!(page(&all, "forecast/index.html")
        .contains("No forecasts yet: add one with <code>coachbook new forecast</code>"));
    let rep = page(&all, "reps/ada-first/index.html");
    assert!(rep.contains("No skills assessed yet"));
    assert!(rep.contains("In ramp: day 60 of 365; no ramp plan"));
    assert!(page(&all, "debriefs/index.html").contains("<code>coachbook new debrief</code>"));
    // The deal board: its heading says there is nothing, and what to add,
    // in place of a table; the closed deals likewise.
    let board = page(&all, "deals/index.html");
    assert!(board.contains("0 open deals worth $0: add the first with <code>coachbook new deal"));
    assert!(!board.contains("soonest close first"));
    assert!(!board.contains("<table"));
    assert!(board.contains("id=\"closed-deals\""));
    assert!(board.contains("No closed deals yet: a deal is closed when its <code>stage</code>"));
}

#[test]
fn a_handbook_only_site_says_what_to_add() {
    let all = check_reads_well("handbook-only");
    assert!(page(&all, "teams/index.html")
        .contains("No teams yet: add a rep with <code>coachbook new rep</code>"));
    assert!(page(&all, "forecast/index.html")
        .contains("No reps yet: add one with <code>coachbook new rep</code>"));
    assert!(page(&all, "reps/index.html").contains("<code>coachbook new rep</code>"));
    assert!(page(&all, "deals/index.html").contains("0 open deals worth $0: add the first"));
}

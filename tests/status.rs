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
    // Coverage of the annual quota is shown, not judged, in ramp; the
    // pipeline review says the same.
    let c = card(out, "reps/ana-silva/index.html", "Pipeline coverage");
    assert_eq!(c.0, "card neutral");
    assert!(
        c.1.starts_with("In ramp: not judged against the annual quota ("),
        "{}",
        c.1
    );
    assert_eq!(
        c,
        card(out, "reps/ana-silva/pipeline/index.html", "Coverage")
    );
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
    assert!(pages.contains("This list does not tell which of them changed"));
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

/// (class, reason) of the state after the figure of the cell labelled
/// `label` in `row`: `None` when the cell shows no state (neutral).
fn cell_state(row: scraper::ElementRef, label: &str) -> Option<(String, String)> {
    let td = scraper::Selector::parse(&format!("td[data-label=\"{label}\"]")).unwrap();
    let st = scraper::Selector::parse(".st").unwrap();
    let hidden = scraper::Selector::parse(".visually-hidden").unwrap();
    let cell = row
        .select(&td)
        .next()
        .unwrap_or_else(|| panic!("no {label} cell"));
    let s = cell.select(&st).next()?;
    let class = s.value().attr("class").unwrap_or("").to_string();
    // Colour is never the only signal: a visible word, and the reason in
    // words for a screen reader.
    let word: String = s.text().next().map(str::to_string).unwrap_or_default();
    assert!(!word.trim().is_empty(), "{label}: a state with no word");
    let reason: String = s.select(&hidden).flat_map(|x| x.text()).collect();
    assert_eq!(
        s.value().attr("title"),
        reason.strip_prefix('(').and_then(|r| r.strip_suffix(')'))
    );
    let reason = reason
        .trim_start_matches('(')
        .trim_end_matches(')')
        .to_string();
    Some((class.replace("st st-", "card "), reason))
}

/// What `cell_state` compares with: the card's (class, reason), `None`
/// when the card is neutral.
fn card_state(dir: &Path, rel: &str, label: &str) -> Option<(String, String)> {
    let (class, reason, _) = card(dir, rel, label);
    (class != "card neutral").then_some((class, reason))
}

#[test]
fn table_cells_take_the_state_of_the_cards_that_show_the_same_figure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (dir, code, stderr) = common::build_at(root, &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let mut checked = 0;
    // The dashboard's rep table and each team page's: every rep's cells
    // as the rep's own cards (in ramp, attainment against the plan).
    for page in [
        "index.html",
        "teams/enterprise-east/index.html",
        "teams/mid-market/index.html",
    ] {
        let doc = html(out, page);
        let reps = select(&doc, "section table.data tbody tr")
            .into_iter()
            .filter(|r| {
                r.select(&scraper::Selector::parse("td[data-label=\"Forecast error\"]").unwrap())
                    .next()
                    .is_some()
            })
            .collect::<Vec<_>>();
        assert!(reps.len() >= 2, "{page}: {} rep rows", reps.len());
        for row in reps {
            let a = scraper::Selector::parse("td.lead a").unwrap();
            let href = row.select(&a).next().unwrap().value().attr("href").unwrap();
            let rep = format!("{}index.html", href.trim_start_matches('/'));
            let pipeline = format!("{}pipeline/index.html", href.trim_start_matches('/'));
            assert_eq!(
                cell_state(row, "Attainment"),
                card_state(out, &rep, "Quota attainment FYTD"),
                "{page} {rep}"
            );
            assert_eq!(
                cell_state(row, "Coverage"),
                card_state(out, &rep, "Pipeline coverage"),
                "{page} {rep}"
            );
            assert_eq!(
                cell_state(row, "Forecast error"),
                card_state(out, &rep, "Forecast error"),
                "{page} {rep}"
            );
            assert_eq!(
                cell_state(row, "Red / Yellow / Green"),
                card_state(out, &pipeline, "Risk"),
                "{page} {rep}"
            );
            checked += 1;
        }
    }
    // The team tables (dashboard and /teams/): each team's cards.
    for page in ["index.html", "teams/index.html"] {
        let doc = html(out, page);
        let rows = select(&doc, "table.data tbody tr")
            .into_iter()
            .filter(|r| {
                r.select(&scraper::Selector::parse("td[data-label=\"Forecast hit rate\"]").unwrap())
                    .next()
                    .is_some()
            })
            .collect::<Vec<_>>();
        assert_eq!(rows.len(), 2, "{page}");
        for row in rows {
            let a = scraper::Selector::parse("td.lead a").unwrap();
            let href = row.select(&a).next().unwrap().value().attr("href").unwrap();
            let team = format!("{}index.html", href.trim_start_matches('/'));
            assert_eq!(
                cell_state(row, "Attainment"),
                card_state(out, &team, "Quota attainment FYTD")
            );
            assert_eq!(
                cell_state(row, "Coverage"),
                card_state(out, &team, "Pipeline coverage")
            );
            assert_eq!(
                cell_state(row, "Forecast hit rate"),
                card_state(out, &team, "Forecast hit rate")
            );
            checked += 1;
        }
    }
    assert!(checked >= 16, "{checked} rows");
    // Sofia Marquez, in ramp with every gate due done: green against the
    // plan in the table too, not red against the annual quota.
    let doc = html(out, "index.html");
    let sofia = select(&doc, "table.data tbody tr")
        .into_iter()
        .find(|r| {
            r.text().any(|t| t.contains("Sofia Marquez"))
                && r.inner_html().contains("data-label=\"Attainment\"")
        })
        .expect("Sofia's row");
    let (class, reason) = cell_state(sofia, "Attainment").expect("a state");
    assert_eq!(class, "card good");
    assert!(reason.starts_with("In ramp: day 317 of 365"), "{reason}");

    // The deal board: an open deal with no activity for longer than
    // stale_days says so beside its last activity, by the risk rule.
    let doc = html(out, "deals/index.html");
    let stale: Vec<_> = select(&doc, "#board tbody tr")
        .into_iter()
        .filter_map(|r| cell_state(r, "Last activity"))
        .collect();
    assert!(!stale.is_empty());
    for (class, reason) in &stale {
        assert_eq!(class, "card bad");
        assert!(reason.starts_with("No activity for "), "{reason}");
        assert!(reason.ends_with("; stale after 30"), "{reason}");
    }
    // The forecast call: red deals in the quarter by the risk rule.
    let doc = html(out, "forecast/index.html");
    let states: Vec<_> = select(&doc, "table.call tbody tr")
        .into_iter()
        .filter_map(|r| cell_state(r, "Red deals"))
        .collect();
    assert!(states
        .iter()
        .any(|(c, r)| c == "card bad" && r.ends_with("; target none")));
    // Every status word links its definition on /metrics/ through the
    // header or the card; the anchor of the stale rule is there.
    assert!(common::read(out, "metrics/index.html").contains("id=\"last-activity\""));
}

#[test]
fn the_forecast_hit_rate_card_has_the_scorecard_rule_and_its_definition() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let f = card(out, "forecast/index.html", "Forecast hit rate");
    assert_eq!(f, card(out, "index.html", "Forecast hit rate"));
    assert_eq!(f.0, "card bad");
    assert_eq!(
        f.1,
        "1 of 2 ended forecasts within 10%; mean error 22%, target at most 10%"
    );
    assert!(f.2.ends_with("/metrics/#forecast-hit-rate"), "{}", f.2);
    assert!(common::read(out, "metrics/index.html").contains("id=\"forecast-hit-rate\""));
    // A team of these forecasts: the same rule on its page.
    assert_eq!(
        card(out, "teams/north/index.html", "Forecast hit rate").0,
        "card bad"
    );
    // With no ended forecast: grey, and it says so.
    let (dir, code, stderr) = build("one-rep", &[]);
    assert_eq!(code, 0, "{stderr}");
    let f = card(dir.path(), "forecast/index.html", "Forecast hit rate");
    assert_eq!(f.0, "card neutral");
    assert_eq!(f.1, "No ended forecast to grade yet");
}

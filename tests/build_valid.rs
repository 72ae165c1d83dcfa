//! The valid fixture: metrics.json to the last field, the pages, links,
//! base_url, sanitising and determinism.

mod common;
use common::*;
use serde_json::{json, Value};

fn metrics(dir: &std::path::Path) -> Value {
    serde_json::from_str(&read(dir, "metrics.json")).unwrap()
}

#[test]
fn builds_clean_under_strict() {
    let (_dir, code, stderr) = build("valid", &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Built 19 notes"), "{stderr}");
    assert!(stderr.contains("0 warnings, 0 errors"), "{stderr}");
}

#[test]
fn metrics_json_matches_hand_computed_figures() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let m = metrics(dir.path());
    assert_eq!(m["as_of"], "2026-06-30");
    assert_eq!(
        m["fiscal_year"],
        json!({"name": 2026, "start": "2026-04-01", "end": "2027-03-31"})
    );
    assert_eq!(
        m["reps"]["ana-silva"],
        json!({
            "name": "Ana Silva", "team": "North", "quota": 400000, "won_ytd": 100000,
            "quota_attainment": 0.25, "won_deals": 1, "lost_deals": 1, "win_rate": 0.5,
            "avg_deal_size": 100000, "sales_cycle_days": 89, "open_deals": 1,
            "open_pipeline": 200000, "weighted_pipeline": 120000,
            "pipeline_coverage": 200000.0 / 300000.0,
            "risk": {"red": 1, "yellow": 0, "green": 0},
            "forecast_error": null, "forecast_hit_rate": null, "ramp_days": 116, "coaching_30d": 1
        })
    );
    // Ben: a deal closing after the FY is not coverage; a forecast exactly at
    // the 10% target is within it; ramp counts his first win ever.
    let ben = &m["reps"]["ben-okoro"];
    assert_eq!(ben["pipeline_coverage"], json!(0));
    assert_eq!(ben["forecast_error"], json!(0.1));
    assert_eq!(ben["forecast_hit_rate"], json!(1));
    assert_eq!(ben["won_ytd"], json!(80000));
    assert_eq!(ben["ramp_days"], json!(2221));
    // Cat: nothing closed: ratios are null, never 0.
    let cat = &m["reps"]["cat-ruiz"];
    for k in ["win_rate", "avg_deal_size", "sales_cycle_days", "ramp_days"] {
        assert_eq!(cat[k], Value::Null, "{k}");
    }
    assert_eq!(cat["quota_attainment"], json!(0));
    assert_eq!(cat["weighted_pipeline"], json!(10000));
    // Pooled, not a mean of ratios.
    let north = &m["teams"]["North"];
    assert_eq!(north["quota_attainment"], json!(0.18));
    assert_eq!(north["win_rate"], json!(2.0 / 3.0));
    assert_eq!(north["sales_cycle_days"], json!(85));
    assert_eq!(north["pipeline_coverage"], json!(200000.0 / 820000.0));
    assert_eq!(north["forecast_error"], json!((0.1 + 1.0 / 3.0) / 2.0));
    assert_eq!(north["forecast_hit_rate"], json!(0.5));
    assert_eq!(north["ramp_days"], json!(116));
    assert!(north.get("name").is_none() && north.get("team").is_none());
    let org = &m["org"];
    assert_eq!(org["quota"], json!(1500000));
    assert_eq!(org["pipeline_coverage"], json!(240000.0 / 1320000.0));
    assert_eq!(org["risk"], json!({"red": 2, "yellow": 0, "green": 1}));
    // Deals.
    assert_eq!(
        m["deals"]["d3"],
        json!({"owner": "ana-silva", "stage": "proposal", "value": 200000, "probability": 60,
               "weighted_value": 120000, "age_days": 90, "last_activity": "2026-07-05",
               "meddpicc_total": 16, "risk": "red"})
    );
    assert_eq!(m["deals"]["d6"]["risk"], "green");
    assert_eq!(m["deals"]["d7"]["risk"], "red");
    assert_eq!(m["deals"]["d7"]["probability"], json!(25));
    assert_eq!(m["deals"]["d2"]["risk"], Value::Null);
    assert_eq!(m["deals"]["d2"]["last_activity"], "2026-05-31");
    // Forecasts.
    let f: Vec<&Value> = m["forecasts"].as_array().unwrap().iter().collect();
    assert_eq!(f.len(), 3);
    assert_eq!(
        *f[2],
        json!({"note": "f3", "owner": "North", "period": "2025-Q4", "commit": 400000,
               "actual": 300000, "final": true, "error": 1.0 / 3.0, "within_target": false})
    );
    assert_eq!(f[0]["final"], json!(false));
    // An open quarter is never graded (contract, second edition), and the
    // pages say it is open rather than a miss.
    assert_eq!(f[0]["within_target"], Value::Null);
    let doc = html(dir.path(), "forecast/index.html");
    let rows = texts(&doc, "table.data tbody tr");
    let q1 = rows
        .iter()
        .find(|r| r.starts_with("2026-Q1 (open) Ana Silva"))
        .unwrap();
    assert!(q1.ends_with("Open"), "{q1}");
}

#[test]
fn metrics_json_is_byte_identical_across_builds() {
    let (a, _, _) = build("valid", &[]);
    let (b, _, _) = build("valid", &[]);
    assert_eq!(
        read(a.path(), "metrics.json"),
        read(b.path(), "metrics.json")
    );
}

#[test]
fn as_of_flag_wins_over_config() {
    let (dir, _, _) = build("valid", &["--as-of", "2026-07-01"]);
    let m = metrics(dir.path());
    assert_eq!(m["as_of"], "2026-07-01");
    // The quarter ended on 2026-06-30: Ana's Q1 forecast is now final.
    assert_eq!(m["forecasts"][0]["final"], json!(true));
    // Graded now: 150,000 committed, 100,000 won, 50% off, a miss.
    assert_eq!(m["forecasts"][0]["actual"], json!(100000));
    assert_eq!(m["forecasts"][0]["within_target"], json!(false));
    assert_eq!(m["reps"]["ana-silva"]["forecast_hit_rate"], json!(0));
    assert_eq!(m["reps"]["ana-silva"]["forecast_error"], json!(0.5));
}

#[test]
fn every_page_of_the_spec_exists() {
    let (dir, _, _) = build("valid", &[]);
    for p in [
        "index.html",
        "reps/ana-silva/index.html",
        "reps/ana-silva/pipeline/index.html",
        "deals/d3/index.html",
        "debriefs/c2/index.html",
        "coaching/c1/index.html",
        "calls/c3/index.html",
        "preps/p1/index.html",
        "forecasts/f2/index.html",
        "pages/discovery/index.html",
        "pages/no-frontmatter/index.html",
        "teams/north/index.html",
        "forecast/index.html",
        "tags/index.html",
        "tags/enterprise/index.html",
        "notes/index.html",
        "metrics/index.html",
        "search/index.html",
        "404.html",
        "metrics.json",
        "sitemap.xml",
        "search-index.json",
        "style.css",
    ] {
        assert!(dir.path().join("public").join(p).is_file(), "missing {p}");
    }
}

#[test]
fn links_honour_base_url() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "reps/ana-silva/index.html");
    for a in select(&doc, "a[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(
            href.starts_with("/coach/") || href.starts_with("https://") || href.starts_with('#'),
            "{href}"
        );
    }
    let css = select(&doc, "link[rel=stylesheet]");
    assert_eq!(css[0].value().attr("href"), Some("/coach/style.css"));
    let sitemap = read(dir.path(), "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/coach/deals/d3/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn coaching_plan_shows_skills_focus_ramp_and_takeaways() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "reps/ana-silva/index.html");
    assert_eq!(texts(&doc, "h1"), ["Ana Silva"]);
    let skills = texts(&doc, "section[aria-labelledby=skills] tbody tr");
    assert!(
        skills.iter().any(|r| r.starts_with("Discovery 2 4 2")),
        "{skills:?}"
    );
    let focus = texts(&doc, "section[aria-labelledby=focus] .card");
    assert_eq!(focus.len(), 1);
    assert!(focus[0].contains("Asks three layers deep"), "{focus:?}");
    let ramp = texts(&doc, "section[aria-labelledby=ramp] .card-value");
    assert_eq!(ramp, ["1 / 2"]);
    let takeaways = texts(&doc, "section[aria-labelledby=coaching] .takeaway");
    assert_eq!(
        takeaways,
        [
            "Ask what happens if nothing changes before showing any slide",
            "Confirm the economic buyer before writing a proposal"
        ]
    );
    let gaps = texts(&doc, "section[aria-labelledby=gaps] p");
    assert_eq!(gaps, ["1 skill gap (coaching fixes them) and 1 will gap (management fixes them) recorded in coaching notes."]);
}

#[test]
fn pipeline_review_inspects_top_deals() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "reps/ben-okoro/pipeline/index.html");
    let top = texts(&doc, "section[aria-labelledby=inspect] article h3");
    assert_eq!(top, ["Next Year Deal Green"]);
    let q = texts(&doc, "section[aria-labelledby=inspect] .key-question");
    assert_eq!(q, ["Key question: Who signs above 100k at Zeta?"]);
    let cards = texts(&doc, "section[aria-labelledby=health] .card-value");
    assert_eq!(cards[0], "€120,000");
}

#[test]
fn deal_page_has_scorecard_risk_reasons_timeline_and_generated_question() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "deals/d3/index.html");
    let rows = texts(
        &doc,
        "section[aria-labelledby=meddpicc] .columns > .table-wrap > table > tbody > tr",
    );
    assert_eq!(rows.len(), 9, "{rows:?}");
    assert!(
        rows[1].starts_with("Economic buyer 1 Named, not met"),
        "{rows:?}"
    );
    let reasons = texts(&doc, "section[aria-labelledby=risk] li");
    assert!(
        reasons
            .iter()
            .any(|r| r.to_lowercase().contains("economic buyer")),
        "{reasons:?}"
    );
    let kq = texts(&doc, "section[aria-labelledby=kq] p");
    assert!(kq[0].contains("Who can say yes"), "{kq:?}");
    assert!(kq[1].contains("economic buyer is the weakest"), "{kq:?}");
    let timeline = texts(&doc, "section[aria-labelledby=timeline] li");
    // Only notes whose `deal` is this deal; a body link is a backlink.
    assert_eq!(
        timeline,
        ["2026-07-05 Deal prep Gamma exec meeting prep Meet the economic buyer"]
    );
    let back = texts(&doc, ".backlinks li a");
    assert!(back.contains(&"Ana Silva".to_string()), "{back:?}");
    assert!(back.contains(&"Ana one-to-one".to_string()), "{back:?}");
}

#[test]
fn wikilinks_resolve_with_anchors_and_html_is_sanitised() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "coaching/c1/index.html");
    let links = select(&doc, ".prose a.wikilink");
    assert_eq!(
        links[0].value().attr("href"),
        Some("/coach/deals/d3/#next-steps")
    );
    let page = read(dir.path(), "pages/discovery/index.html");
    assert!(
        !page.contains("onclick") && !page.contains("alert"),
        "handler kept"
    );
    assert!(
        page.contains("<b>Read both before a first call.</b>"),
        "{page}"
    );
    let doc = html(dir.path(), "pages/discovery/index.html");
    let hrefs: Vec<_> = select(&doc, ".prose a.wikilink")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(hrefs, ["/coach/coaching/c1/", "/coach/debriefs/c2/"]);
    let doc = html(dir.path(), "reps/ana-silva/index.html");
    assert_eq!(texts(&doc, ".prose b"), ["bold"]);
}

#[test]
fn money_uses_the_configured_currency_and_nulls_are_dashes() {
    let (dir, _, _) = build("valid", &[]);
    let doc = html(dir.path(), "reps/cat-ruiz/index.html");
    let cards = texts(&doc, "section[aria-labelledby=performance] .card");
    let win = cards.iter().find(|c| c.starts_with("Win rate")).unwrap();
    assert!(win.starts_with("Win rate FYTD —"), "{win}");
    let page = read(dir.path(), "index.html");
    assert!(page.contains("€1,500,000"), "quota in euros");
    assert!(!page.contains("NaN"));
}

#[test]
fn check_writes_nothing() {
    let site = copy_site("valid");
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Checked 19 notes"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn build_output_has_no_live_reload_script() {
    let (dir, _, _) = build("valid", &[]);
    assert!(!read(dir.path(), "index.html").contains("livereload"));
}

#[test]
fn today_does_not_depend_on_the_machines_time_zone() {
    // Without `as_of`, figures are as of today: in UTC (or `utc_offset`),
    // so a runner at UTC+14 and one at UTC-12, 26 hours apart on the
    // clock, build the same site.
    let site = copy_site("valid");
    let toml = site.path().join("coachbook.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("as_of = 2026-06-30\n", "")).unwrap();
    let s = site.path().to_str().unwrap();
    let mut seen = Vec::new();
    for tz in ["KIRI-14", "WEST+12", "UTC0"] {
        let out = tempfile::tempdir().unwrap();
        let o = out.path().join("public");
        let r = bin()
            .args(["build", s, "-o", o.to_str().unwrap()])
            .env("TZ", tz)
            .output()
            .unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        seen.push(metrics(out.path())["as_of"].as_str().unwrap().to_string());
    }
    let utc = chrono::Utc::now().date_naive().to_string();
    assert!(seen.iter().all(|d| *d == seen[0]), "{seen:?}");
    // (The build may straddle midnight UTC; allow the day after.)
    let next = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    assert!(seen[0] == utc || seen[0] == next, "{seen:?} vs {utc}");

    // utc_offset moves the calendar "today" is read on.
    let instant = chrono::DateTime::parse_from_rfc3339("2026-11-25T23:30:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(
        coachbook::build::date_at(instant, 0).to_string(),
        "2026-11-25"
    );
    assert_eq!(
        coachbook::build::date_at(instant, 60).to_string(),
        "2026-11-26"
    );
    assert_eq!(
        coachbook::build::date_at(instant, -480).to_string(),
        "2026-11-25"
    );
}

/// Contract, third edition: an open deal may lack its value and close
/// date (it counts as 0, never slips, and its owner's pipeline review
/// lists it under "missing data"); a closed deal may not.
#[test]
fn open_deals_may_lack_value_and_close_date() {
    let site = copy_site("valid");
    let deals = site.path().join("content/deals");
    std::fs::write(
        deals.join("early.md"),
        "---\ntype: deal\nname: Early Talks\naccount: Umbra\nowner: ana-silva\nstage: lead\ncreated: 2026-06-01\n---\n",
    )
    .unwrap();
    std::fs::write(
        deals.join("closed-no-value.md"),
        "---\ntype: deal\nname: Closed Blank\naccount: Umbra\nowner: ana-silva\nstage: closed_won\ncreated: 2026-05-01\n---\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr, _) = run(&[
        "build",
        site.path().to_str().unwrap(),
        "-o",
        out.path().join("public").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let diags: Vec<Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let has = |file: &str, code: &str, sev: &str| {
        diags.iter().any(|d| {
            d["file"] == format!("content/deals/{file}")
                && d["code"] == code
                && d["severity"] == sev
        })
    };
    assert!(has("early.md", "missing-data", "warning"), "{stderr}");
    assert!(
        has("closed-no-value.md", "missing-field", "error"),
        "{stderr}"
    );
    let m = metrics(out.path());
    assert_eq!(m["deals"]["early"]["value"], Value::Null);
    assert_eq!(m["deals"]["early"]["weighted_value"], json!(0));
    assert_eq!(m["deals"]["early"]["risk"], "yellow");
    assert!(m["deals"].get("closed-no-value").is_none());
    let doc = html(out.path(), "reps/ana-silva/pipeline/index.html");
    let missing = texts(&doc, "ul.missing-data li");
    assert_eq!(
        missing,
        ["Early Talks (Umbra): no value and no expected close date"]
    );
    let page = read(out.path(), "deals/early/index.html");
    assert!(page.contains("Missing"), "the deal page flags it");
}

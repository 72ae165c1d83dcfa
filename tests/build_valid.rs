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
        "search/data/manifest.json",
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
    let (out, code, stderr) = build_at(site.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let diags = json_diags(&stderr);
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

/// Contract, third edition: notes typed from the Sales Coach templates in
/// natural case count like any other (`Closed Won`, `Proposal`, `Lost`,
/// `Skill`, `Discovery`), date-times are read as dates, and a probability
/// written as a fraction warns.
#[test]
fn notes_in_natural_case_count_in_every_figure() {
    let site = copy_site("valid");
    let c = site.path().join("content");
    std::fs::write(
        c.join("deals/natural-won.md"),
        "---\ntype: deal\nname: Natural Won\naccount: Nova\nowner: ana-silva\nvalue: 10000\nstage: Closed Won\ncreated: 2026-04-01\nclose_date: 2026-05-02T16:30\n---\n",
    )
    .unwrap();
    std::fs::write(
        c.join("deals/natural-open.md"),
        "---\ntype: deal\nname: Natural Open\naccount: Nova\nowner: ana-silva\nvalue: 5000\nstage: Proposal\nprobability: 0.4\ncreated: 2026-04-01\nclose_date: 2026-12-01\n---\n",
    )
    .unwrap();
    std::fs::write(
        c.join("notes/natural-debrief.md"),
        "---\ntype: debrief\nrep: Ana Silva\ndeal: Natural Won\ndate: 2026-06-20 09:15\noutcome: Won\ngap: Skill\nskill: Objection Handling\ncause: Execution\ntakeaway: \"Name the decision date before the demo\"\n---\n",
    )
    .unwrap();
    std::fs::write(
        c.join("notes/natural-call.md"),
        "---\ntype: call\nrep: ana-silva\ndate: 2026-06-21\ncall_type: Discovery\noutcome: No Decision\ntakeaway: \"Let the silence work\"\n---\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "no errors: {stderr}");
    let diags = json_diags(&stderr);
    assert_eq!(diags.len(), 1, "{stderr}");
    assert_eq!(diags[0]["code"], "probability-fraction");
    assert_eq!(diags[0]["line"], 8);
    assert_eq!(diags[0]["help"], "did you mean 40? write `probability: 40`");
    let (out, code, _) = build_at(site.path(), &[]);
    assert_eq!(code, 0);
    let m = metrics(out.path());
    assert_eq!(m["deals"]["natural-won"]["stage"], "closed_won");
    assert_eq!(m["deals"]["natural-open"]["stage"], "proposal");
    assert_eq!(m["deals"]["natural-open"]["probability"], json!(0.4));
    // The won deal closed in FYTD (FY from April): in Ana's won figures.
    assert_eq!(m["deals"]["natural-won"]["age_days"], json!(31));
    // The debrief and the call count as coaching; the won deal as won.
    let (base, _, _) = build("valid", &[]);
    let before = metrics(base.path());
    let (ana, was) = (&m["reps"]["ana-silva"], &before["reps"]["ana-silva"]);
    assert_eq!(
        ana["coaching_30d"].as_u64().unwrap(),
        was["coaching_30d"].as_u64().unwrap() + 2
    );
    assert_eq!(
        ana["won_ytd"].as_f64().unwrap(),
        was["won_ytd"].as_f64().unwrap() + 10000.0
    );
    assert_eq!(
        ana["open_pipeline"].as_f64().unwrap(),
        was["open_pipeline"].as_f64().unwrap() + 5000.0
    );
}

/// The `manager` kind (contract, third edition): a manager carries no
/// quota and is in no pool; their page lists their reps with each one's
/// figures and latest one-to-one. A player-coach (a rep) may still be a
/// rep's manager.
#[test]
fn managers_list_their_reps_and_are_in_no_total() {
    let (base, _, _) = build("valid", &[]);
    let before = metrics(base.path());
    let site = copy_site("valid");
    let c = site.path().join("content");
    std::fs::create_dir_all(c.join("managers")).unwrap();
    std::fs::write(
        c.join("managers/mia-lund.md"),
        "---\ntype: Manager\nname: Mia Lund\nteam: [North, South]\nemail: mia@example.org\n---\nCoaches on Tuesdays.\n",
    )
    .unwrap();
    let ben = c.join("reps/ben-okoro.md");
    let text = std::fs::read_to_string(&ben).unwrap();
    std::fs::write(
        &ben,
        text.replacen("---\n", "---\nmanager: \"[[Mia Lund]]\"\n", 1),
    )
    .unwrap();
    let (out, code, stderr) = build_at(site.path(), &["--strict"]);
    assert_eq!(code, 0, "no warning for either kind of manager: {stderr}");
    let m = metrics(out.path());
    assert_eq!(m["org"], before["org"], "a manager is in no total");
    assert!(m["reps"].get("mia-lund").is_none());
    let doc = html(out.path(), "managers/mia-lund/index.html");
    let rows = texts(&doc, "table.data tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("Ben Okoro"), "{rows:?}");
    assert!(read(out.path(), "managers/mia-lund/index.html").contains("Coaches on Tuesdays."));
    // Ben's plan links to his manager; Ana's manager is Ben, a rep.
    let ben_page = read(out.path(), "reps/ben-okoro/index.html");
    assert!(
        ben_page.contains("/coach/managers/mia-lund/"),
        "ben links his manager"
    );
    let ana_page = read(out.path(), "reps/ana-silva/index.html");
    assert!(ana_page.contains("/coach/reps/ben-okoro/"));
    assert!(out.path().join("public/managers/index.html").is_file());
}

/// Fields coachbook does not read are kept and shown in a Properties
/// table (Obsidian vaults are full of them); a near miss of a known field
/// warns with "did you mean".
#[test]
fn unknown_fields_are_shown_as_properties_and_near_misses_warn() {
    let site = copy_site("valid");
    let c = site.path().join("content");
    std::fs::write(
        c.join("handbook/props.md"),
        "---\ntitle: Objection library\nstatus: draft\nowner_team: Enablement\nsources: [Gong, Call notes]\n_note_to_self: zorbleprivate\n---\nBody.\n",
    )
    .unwrap();
    let d6 = c.join("deals/d6.md");
    let text = std::fs::read_to_string(&d6).unwrap();
    std::fs::write(
        &d6,
        text.replacen("---\n", "---\nprobablity: 70\nregion: EMEA\n", 1),
    )
    .unwrap();
    let (out, code, stderr) = build_at(site.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let warned: Vec<Value> = json_diags(&stderr)
        .into_iter()
        .filter(|d| d["code"] == "unknown-field")
        .collect();
    assert_eq!(warned.len(), 1, "only the near miss warns: {stderr}");
    assert_eq!(warned[0]["line"], 2);
    assert_eq!(warned[0]["help"], "did you mean \"probability\"?");
    let doc = html(out.path(), "pages/props/index.html");
    assert_eq!(
        texts(&doc, "table.props tr"),
        [
            "status draft",
            "owner_team Enablement",
            "sources Gong, Call notes"
        ]
    );
    let doc = html(out.path(), "deals/d6/index.html");
    assert_eq!(
        texts(&doc, "table.props tr"),
        ["probablity 70", "region EMEA"]
    );
    let index = search_text(&out.path().join("public"));
    assert!(index.contains("enablement"));
    // A `_` field is the author's own: nowhere in the output.
    assert!(!index.contains("zorbleprivate"));
    assert!(!read(out.path(), "pages/props/index.html").contains("zorbleprivate"));
}

/// `/deals/` is a deal board: every open deal of the company with owner,
/// team, value, stage, close date and quarter, risk with its reason and
/// next step; then the closed deals.
#[test]
fn the_deal_board_lists_every_open_deal_with_what_a_review_needs() {
    let (dir, code, _) = build("valid", &[]);
    assert_eq!(code, 0);
    let m = metrics(dir.path());
    let open: Vec<&String> = m["deals"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, d)| !d["risk"].is_null())
        .map(|(id, _)| id)
        .collect();
    let doc = html(dir.path(), "deals/index.html");
    let rows = select(&doc, "table.board tbody tr");
    assert_eq!(rows.len(), open.len());
    let heads = texts(&doc, "table.board thead th");
    assert_eq!(
        heads,
        [
            "Deal",
            "Owner",
            "Team",
            "Account",
            "Value",
            "Stage",
            "Close",
            "Age",
            "Last activity",
            "MEDDPICC",
            "Risk",
            "Next step"
        ]
    );
    // Every row carries its filter keys, matching metrics.json.
    for r in &rows {
        let link = r
            .select(&scraper::Selector::parse("td a").unwrap())
            .next()
            .unwrap();
        let id = link
            .value()
            .attr("href")
            .unwrap()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap();
        assert_eq!(
            r.value().attr("data-risk"),
            m["deals"][id]["risk"].as_str(),
            "{id}"
        );
        assert_eq!(
            r.value().attr("data-stage"),
            m["deals"][id]["stage"].as_str(),
            "{id}"
        );
    }
    // Big Proposal (d3): Ana's, with its next step.
    let d3 = texts(&doc, "table.board tbody tr")
        .into_iter()
        .find(|t| t.starts_with("Big Proposal"))
        .unwrap();
    assert!(d3.contains("Ana Silva") && d3.contains("€200,000"), "{d3}");
    assert!(!texts(&doc, "#closed-deals").is_empty());
    // The dashboard's risk count opens the board filtered to those deals.
    let home = read(dir.path(), "index.html");
    assert!(home.contains("deals/?risk=red"));
}

/// The coaching plan opens with the one-to-one prep sheet: the last
/// one-to-one against the agreed cadence, the takeaway agreed then, and
/// what is due or overdue.
#[test]
fn the_coaching_plan_opens_with_a_one_to_one_prep_sheet() {
    let (dir, code, _) = build("valid", &[]);
    assert_eq!(code, 0);
    let doc = html(dir.path(), "reps/ana-silva/index.html");
    let items = texts(&doc, ".prep-sheet li");
    // Ana is in ramp (started 2026-01-05): ramp progress comes first.
    assert!(
        items[0].starts_with("Ramp In ramp: day 176 of 365; day 30 gate 1 of 2 done"),
        "{items:?}"
    );
    let items = items[1..].to_vec();
    // c1 on 2026-06-01, as of 2026-06-30, weekly: 22 days late.
    assert!(
        items[0].starts_with("Last one-to-one 2026-06-01"),
        "{items:?}"
    );
    assert!(
        items[0].contains("29 days ago; agreed every 7 days Overdue by 22 days"),
        "{items:?}"
    );
    assert!(
        items.iter().any(|i| i.starts_with("Red now Big Proposal")),
        "{items:?}"
    );
    assert!(
        items[1].starts_with("Agreed last time: “Ask what happens if nothing changes"),
        "{items:?}"
    );
    // The day-30 ramp gate (due 2026-02-04, one task open) is overdue; the
    // focus milestone due 2026-08-31 is not yet within two weeks.
    assert!(
        items.iter().any(|i| i.starts_with(
            "Overdue 146 days Day 30 ramp gate (Runs a call alone): 1 of 2 tasks done"
        )),
        "{items:?}"
    );
    assert!(
        !items.iter().any(|i| i.contains("Three-layer discovery")),
        "{items:?}"
    );
    // The sheet comes first on the page.
    let sections = select(&doc, "main section");
    assert_eq!(
        sections[0].value().attr("aria-labelledby"),
        Some("prep-sheet")
    );
}

/// The forecast page opens with the open quarter for the forecast call:
/// per team, then per rep, commit, closed won so far and the gap.
#[test]
fn the_forecast_page_opens_with_the_open_quarter() {
    let (dir, code, _) = build("valid", &[]);
    assert_eq!(code, 0);
    let doc = html(dir.path(), "forecast/index.html");
    assert_eq!(texts(&doc, "#call"), ["This quarter: 2026-Q1"]);
    let rows = texts(&doc, "table.call tbody tr");
    let ana = rows.iter().find(|r| r.starts_with("Ana Silva")).unwrap();
    // f1: commit 150,000; won 100,000 in Apr-Jun 2026; gap 50,000.
    assert!(
        ana.starts_with("Ana Silva €150,000 — €100,000 €50,000"),
        "{ana}"
    );
    let north = rows.iter().find(|r| r.starts_with("North")).unwrap();
    // No team forecast for North; its reps won 180,000 in the quarter.
    assert!(north.starts_with("North — — €180,000 —"), "{north}");
    // The open pipeline links to the board, filtered to the rep and quarter.
    assert!(read(dir.path(), "forecast/index.html")
        .contains("deals/?owner=ana%2Dsilva&amp;quarter=2026%2DQ1"));
}

/// Ramp days are a figure of the scorecard's cohorts (reps who started in
/// the last two years): a rep hired long ago does not show "Ramp 1,739
/// days".
#[test]
fn ramp_shows_only_for_reps_hired_within_the_scorecard_window() {
    let site = copy_site("valid");
    let p = site.path().join("content/reps/ben-okoro.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let start = text
        .lines()
        .find(|l| l.starts_with("start_date:"))
        .unwrap()
        .to_string();
    std::fs::write(&p, text.replace(&start, "start_date: 2021-03-01")).unwrap();
    let (out, code, stderr) = build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let labels = |rep: &str| {
        texts(
            &html(out.path(), &format!("reps/{rep}/index.html")),
            ".card-label",
        )
    };
    assert!(!labels("ben-okoro").iter().any(|l| l == "Ramp"));
    // Ana started on 2026-01-05: in the window.
    assert!(labels("ana-silva").iter().any(|l| l == "Ramp"));
}

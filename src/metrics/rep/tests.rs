//! Unit tests of `rep`.

use super::super::testutil::*;
use super::super::*;

#[test]
fn one_rep_every_key() {
    let mut b = SiteBuilder::new();
    let r = b.rep("dana", "East", "2026-02-01", 900000.0);
    // Won in FYTD: 100000 (40 days), 200000 (90 days).
    b.deal(
        "w1",
        Some(r),
        100000.0,
        CLOSED_WON,
        "2026-03-01",
        "2026-04-10",
    );
    b.deal(
        "w2",
        Some(r),
        200000.0,
        CLOSED_WON,
        "2026-05-01",
        "2026-07-30",
    );
    // Won last FY: not in won_ytd, but it is the first win (ramp).
    b.deal(
        "w0",
        Some(r),
        5000.0,
        CLOSED_WON,
        "2025-11-01",
        "2025-12-20",
    );
    // Won after as_of: not in FYTD.
    b.deal(
        "wf",
        Some(r),
        7000.0,
        CLOSED_WON,
        "2026-11-01",
        "2026-11-30",
    );
    b.deal(
        "l1",
        Some(r),
        80000.0,
        CLOSED_LOST,
        "2026-03-01",
        "2026-06-01",
    );
    // Open: one in FY (proposal 60%, green), one next FY (discovery 20%).
    let o1 = b.deal(
        "o1",
        Some(r),
        240000.0,
        "proposal",
        "2026-11-01",
        "2026-12-12",
    );
    b.scores(o1, [2; 8]);
    b.deal(
        "o2",
        Some(r),
        100000.0,
        "discovery",
        "2026-11-20",
        "2027-02-01",
    );
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    let r = &m.reps["dana"];
    assert_eq!(r.name.as_deref(), Some("dana"));
    assert_eq!(r.team.as_deref(), Some("East"));
    assert_eq!(r.quota, 900000.0);
    assert_eq!(r.won_ytd, 300000.0);
    assert_eq!(r.quota_attainment, Some(300000.0 / 900000.0));
    assert_eq!((r.won_deals, r.lost_deals), (2, 1));
    assert_eq!(r.win_rate, Some(2.0 / 3.0));
    assert_eq!(r.avg_deal_size, Some(150000.0));
    assert_eq!(r.sales_cycle_days, Some(65.0));
    assert_eq!(r.open_deals, 2);
    assert_eq!(r.open_pipeline, 340000.0);
    assert_eq!(r.weighted_pipeline, 144000.0 + 20000.0);
    assert_eq!(r.pipeline_coverage, Some(240000.0 / 600000.0));
    // o2 is yellow (total 0 < 16), o1 green.
    assert_eq!(
        r.risk,
        RiskCounts {
            red: 0,
            yellow: 1,
            green: 1
        }
    );
    // 2025-12-20 - 2026-02-01: a win before the start date gives a negative ramp.
    assert_eq!(r.ramp_days, Some(-43.0));
    assert_eq!((r.forecast_error, r.forecast_hit_rate), (None, None));
    assert_eq!(r.coaching_30d, 0);
    // The org equals the only rep here, without name/team.
    assert_eq!(m.org.won_ytd, 300000.0);
    assert_eq!(m.org.name, None);
    assert_eq!(m.teams["East"].team, None);
    // Org ramp: the rep started 297 days ago, in the window.
    assert_eq!(m.org.ramp_days, Some(-43.0));
}

#[test]
fn no_closed_deals_gives_nulls() {
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2026-01-01", 1000.0);
    b.deal("o", Some(r), 500.0, "commit", "2026-11-20", "2026-12-01");
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    let r = &m.reps["r"];
    assert_eq!((r.won_deals, r.lost_deals), (0, 0));
    assert_eq!(r.won_ytd, 0.0);
    assert_eq!(r.quota_attainment, Some(0.0));
    assert_eq!(r.win_rate, None);
    assert_eq!(r.avg_deal_size, None);
    assert_eq!(r.sales_cycle_days, None);
    assert_eq!(r.ramp_days, None);
    assert_eq!(r.pipeline_coverage, Some(0.5));
    // No reps at all: everything null or zero.
    let m = compute(
        &SiteBuilder::new().build(),
        &Config::default(),
        d("2026-11-25"),
    );
    assert_eq!(m.org.quota, 0.0);
    assert_eq!(m.org.quota_attainment, None);
    assert_eq!(m.org.pipeline_coverage, None);
    assert!(m.teams.is_empty() && m.reps.is_empty());
}

#[test]
fn quota_met_gives_null_coverage() {
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2026-01-01", 1000.0);
    b.deal("w", Some(r), 1000.0, CLOSED_WON, "2026-02-01", "2026-03-01");
    b.deal("o", Some(r), 500.0, "commit", "2026-11-20", "2026-12-01");
    let r2 = b.rep("s", "T", "2026-01-01", 1000.0);
    b.deal(
        "w2",
        Some(r2),
        1500.0,
        CLOSED_WON,
        "2026-02-01",
        "2026-03-01",
    );
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    assert_eq!(m.reps["r"].pipeline_coverage, None);
    assert_eq!(m.reps["r"].quota_attainment, Some(1.0));
    assert_eq!(m.reps["s"].pipeline_coverage, None);
    assert_eq!(m.reps["s"].quota_attainment, Some(1.5));
    assert_eq!(m.teams["T"].pipeline_coverage, None);
}

#[test]
fn fiscal_year_boundaries_april() {
    // FY 2026 = 2026-04-01..=2027-03-31.
    let config = Config {
        fiscal_year_start_month: 4,
        ..Config::default()
    };
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2025-01-01", 1000.0);
    b.deal(
        "last",
        Some(r),
        10.0,
        CLOSED_WON,
        "2026-01-01",
        "2026-03-31",
    );
    b.deal(
        "first",
        Some(r),
        20.0,
        CLOSED_WON,
        "2026-01-01",
        "2026-04-01",
    );
    b.deal(
        "lostlast",
        Some(r),
        1.0,
        CLOSED_LOST,
        "2026-01-01",
        "2026-03-31",
    );
    // Open deals either side of the FY end.
    b.deal(
        "in",
        Some(r),
        300.0,
        "discovery",
        "2026-05-01",
        "2027-03-31",
    );
    b.deal(
        "out",
        Some(r),
        400.0,
        "discovery",
        "2026-05-01",
        "2027-04-01",
    );
    let site = b.build();
    let m = compute(&site, &config, d("2026-05-10"));
    assert_eq!(m.fiscal_year.name, 2026);
    assert_eq!(m.fiscal_year.start, d("2026-04-01"));
    assert_eq!(m.fiscal_year.end, d("2027-03-31"));
    let r = &m.reps["r"];
    assert_eq!(r.won_ytd, 20.0);
    assert_eq!((r.won_deals, r.lost_deals), (1, 0));
    assert_eq!(r.open_pipeline, 700.0);
    assert_eq!(r.pipeline_coverage, Some(300.0 / 980.0));
    assert!(m.deals["in"].fy_close && !m.deals["out"].fy_close);
    // The day before, the old FY: the last-day deals count.
    let m = compute(&site, &config, d("2026-03-31"));
    assert_eq!(m.fiscal_year.name, 2025);
    assert_eq!(m.reps["r"].won_ytd, 10.0);
    assert_eq!((m.reps["r"].won_deals, m.reps["r"].lost_deals), (1, 1));
}

#[test]
fn fiscal_year_october_january_as_of() {
    let config = Config {
        fiscal_year_start_month: 10,
        ..Config::default()
    };
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2025-01-01", 1000.0);
    b.deal(
        "prev",
        Some(r),
        10.0,
        CLOSED_WON,
        "2026-01-01",
        "2026-09-30",
    );
    b.deal("cur", Some(r), 20.0, CLOSED_WON, "2026-01-01", "2026-10-01");
    b.deal(
        "open",
        Some(r),
        50.0,
        "discovery",
        "2026-12-01",
        "2027-09-30",
    );
    b.deal(
        "next",
        Some(r),
        70.0,
        "discovery",
        "2026-12-01",
        "2027-10-01",
    );
    let m = compute(&b.build(), &config, d("2027-01-15"));
    assert_eq!(m.fiscal_year.name, 2026);
    assert_eq!(m.fiscal_year.start, d("2026-10-01"));
    assert_eq!(m.fiscal_year.end, d("2027-09-30"));
    assert_eq!(m.reps["r"].won_ytd, 20.0);
    assert_eq!(m.reps["r"].pipeline_coverage, Some(50.0 / 980.0));
}

#[test]
fn pooled_team_is_not_a_mean_of_ratios() {
    let mut b = SiteBuilder::new();
    let a = b.rep("a", "East", "2020-01-01", 100.0);
    let c = b.rep("c", "East", "2020-01-01", 300.0);
    let w = b.rep("w", "West", "2020-01-01", 50.0);
    // a: 1 won (100, 10 days) of 1 closed -> win rate 1, attainment 1.
    b.deal("a1", Some(a), 100.0, CLOSED_WON, "2026-01-01", "2026-01-11");
    // c: 1 won (30, 40 days) 3 lost -> win rate 0.25, attainment 0.1.
    b.deal("c1", Some(c), 30.0, CLOSED_WON, "2026-01-01", "2026-02-10");
    for i in 0..3 {
        b.deal(
            &format!("cl{i}"),
            Some(c),
            5.0,
            CLOSED_LOST,
            "2026-01-01",
            "2026-02-10",
        );
    }
    b.deal(
        "co",
        Some(c),
        540.0,
        "discovery",
        "2026-11-20",
        "2026-12-20",
    );
    b.deal("wo", Some(w), 10.0, "discovery", "2026-11-20", "2026-12-20");
    // An orphan deal is in no figure.
    b.deal("orphan", None, 1e6, CLOSED_WON, "2026-01-01", "2026-02-10");
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    let e = &m.teams["East"];
    assert_eq!(e.quota, 400.0);
    assert_eq!(e.won_ytd, 130.0);
    assert_eq!(e.quota_attainment, Some(130.0 / 400.0)); // not (1 + 0.1) / 2
    assert_eq!((e.won_deals, e.lost_deals), (2, 3));
    assert_eq!(e.win_rate, Some(0.4)); // not (1 + 0.25) / 2
    assert_eq!(e.avg_deal_size, Some(65.0));
    assert_eq!(e.sales_cycle_days, Some(25.0));
    assert_eq!(e.pipeline_coverage, Some(540.0 / 270.0));
    // c alone: 540 / 270 too; a: null (quota met).
    assert_eq!(m.reps["a"].pipeline_coverage, None);
    let o = &m.org;
    assert_eq!(o.quota, 450.0);
    assert_eq!(o.won_ytd, 130.0);
    assert_eq!(o.open_deals, 2);
    assert_eq!(o.pipeline_coverage, Some(550.0 / 320.0));
    assert_eq!(m.deals["orphan"].owner, None);
    assert_eq!(m.teams.len(), 2);
    assert_eq!(m.teams["West"].won_deals, 0);
    assert_eq!(m.teams["West"].win_rate, None);
}

#[test]
fn forecast_keys_per_rep_team_org() {
    let mut b = SiteBuilder::new();
    let a = b.rep("a", "East", "2020-01-01", 100.0);
    let c = b.rep("c", "East", "2020-01-01", 100.0);
    let w = b.rep("w", "West", "2020-01-01", 100.0);
    // Q1 2026 actuals: a 100, c 200, w 400. Q3 2026: a 50.
    b.deal("a1", Some(a), 100.0, CLOSED_WON, "2026-01-01", "2026-02-01");
    b.deal("c1", Some(c), 200.0, CLOSED_WON, "2026-01-01", "2026-02-01");
    b.deal("w1", Some(w), 400.0, CLOSED_WON, "2026-01-01", "2026-02-01");
    b.deal("a3", Some(a), 50.0, CLOSED_WON, "2026-01-01", "2026-08-01");
    b.forecast_rep("fa1", Some(a), 2026, 1, 105.0); // 0.05, hit
    b.forecast_rep("fa3", Some(a), 2026, 3, 80.0); // 0.6, miss
                                                   // Actual 0: no error, but a miss (second edition).
    b.forecast_rep("fa2", Some(a), 2026, 2, 10.0);
    // Not final (Q4 holds as_of), though it has an error: excluded.
    b.deal("a4", Some(a), 100.0, CLOSED_WON, "2026-01-01", "2026-11-01");
    b.forecast_rep("fa4", Some(a), 2026, 4, 50.0);
    b.forecast_team("fe1", "East", 2026, 1, 270.0); // 0.1, hit
    b.forecast_rep("fw1", Some(w), 2026, 1, 200.0); // 0.5, miss
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    let fa4 = m.forecasts.iter().find(|f| f.note == "fa4").unwrap();
    assert_eq!((fa4.is_final, fa4.error), (false, Some(0.5)));
    let ra = &m.reps["a"];
    assert_eq!(ra.forecast_error, Some((0.05 + 0.6) / 2.0));
    assert_eq!(ra.forecast_hit_rate, Some(1.0 / 3.0));
    assert_eq!(ra.forecasts_counted, 3);
    assert_eq!(m.reps["c"].forecast_error, None);
    assert_eq!(m.reps["c"].forecast_hit_rate, None);
    let e = &m.teams["East"];
    let fa1 = (105.0f64 - 100.0).abs() / 100.0;
    let fa3 = (80.0f64 - 50.0).abs() / 50.0;
    let fe1 = (270.0f64 - 300.0).abs() / 300.0;
    assert_eq!(e.forecast_error, Some((fa1 + fa3 + fe1) / 3.0));
    assert_eq!(e.forecast_hit_rate, Some(2.0 / 4.0));
    let w = &m.teams["West"];
    assert_eq!(w.forecast_error, Some(0.5));
    assert_eq!(w.forecast_hit_rate, Some(0.0));
    assert_eq!(m.org.forecast_error, Some((fa1 + fa3 + fe1 + 0.5) / 4.0));
    assert_eq!(m.org.forecast_hit_rate, Some(2.0 / 5.0));
}

#[test]
fn open_deals_without_value_or_close_date_count_as_zero_and_outside_the_year() {
    let mut b = SiteBuilder::new();
    let a = b.rep("a", "East", "2020-01-01", 1000.0);
    b.deal(
        "known",
        Some(a),
        300.0,
        "proposal",
        "2026-01-01",
        "2026-12-01",
    );
    let v = b.deal(
        "novalue",
        Some(a),
        999.0,
        "proposal",
        "2026-01-01",
        "2026-12-01",
    );
    b.deal_mut(v).value = None;
    let c = b.deal(
        "noclose",
        Some(a),
        200.0,
        "proposal",
        "2026-01-01",
        "2026-12-01",
    );
    b.deal_mut(c).close_date = None;
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    let ra = &m.reps["a"];
    assert_eq!(ra.open_deals, 3);
    assert_eq!(ra.open_pipeline, 500.0);
    assert_eq!(ra.weighted_pipeline, 500.0 * 0.6);
    // Coverage counts only deals known to close in the FY.
    assert_eq!(ra.pipeline_coverage, Some(300.0 / 1000.0));
    assert_eq!(m.deals["novalue"].value, None);
    assert_eq!(m.org.open_pipeline, 500.0);
}

#[test]
fn coaching_window() {
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2020-01-01", 1.0);
    let s = b.rep("s", "T", "2020-01-01", 1.0);
    b.interaction("today", Kind::Coaching, Some(r), None, "2026-11-25");
    b.interaction("in29", Kind::Call, Some(r), None, "2026-10-27");
    b.interaction("out30", Kind::Debrief, Some(r), None, "2026-10-26");
    b.interaction("future", Kind::Coaching, Some(r), None, "2026-11-26");
    b.interaction("other", Kind::Coaching, Some(s), None, "2026-11-20");
    b.interaction("orphan", Kind::Coaching, None, None, "2026-11-20");
    let bad = b.interaction("bad", Kind::Coaching, Some(r), None, "2026-11-20");
    b.invalidate(bad);
    // Preps are not coaching interactions.
    b.prep("p", None, "2026-11-20");
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    assert_eq!(m.reps["r"].coaching_30d, 2);
    assert_eq!(m.reps["s"].coaching_30d, 1);
    assert_eq!(m.teams["T"].coaching_30d, 3);
    assert_eq!(m.org.coaching_30d, 3);
}

#[test]
fn ramp_team_means_use_the_364_day_window() {
    let mut b = SiteBuilder::new();
    // as_of 2026-11-25; 364 days before = 2025-11-26.
    let a = b.rep("a", "T", "2025-11-26", 1.0); // in window
    let c = b.rep("c", "T", "2025-11-25", 1.0); // 365 days: out
    let e = b.rep("e", "T", "2026-11-25", 1.0); // 0 days: in, no win
    let f = b.rep("f", "T", "2026-11-26", 1.0); // future start: out
    let g = b.rep("g", "T", "2026-03-01", 1.0); // in window
    b.deal("a1", Some(a), 1.0, CLOSED_WON, "2026-01-01", "2026-02-04"); // 70
    b.deal("a2", Some(a), 1.0, CLOSED_WON, "2026-01-01", "2026-05-04");
    b.deal("c1", Some(c), 1.0, CLOSED_WON, "2025-11-01", "2025-12-05"); // 10
    b.deal("f1", Some(f), 1.0, CLOSED_WON, "2026-11-01", "2026-12-06"); // 10
    b.deal("g1", Some(g), 1.0, CLOSED_WON, "2026-03-01", "2026-04-15"); // 45
    b.deal("g0", Some(g), 1.0, CLOSED_LOST, "2026-03-01", "2026-03-02");
    let _ = e;
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    assert_eq!(m.reps["a"].ramp_days, Some(70.0));
    assert_eq!(m.reps["c"].ramp_days, Some(10.0));
    assert_eq!(m.reps["e"].ramp_days, None);
    assert_eq!(m.reps["f"].ramp_days, Some(10.0));
    assert_eq!(m.reps["g"].ramp_days, Some(45.0));
    assert_eq!(m.teams["T"].ramp_days, Some(57.5));
    assert_eq!(m.org.ramp_days, Some(57.5));
}

#[test]
fn invalid_rep_is_in_no_figure() {
    let mut b = SiteBuilder::new();
    let r = b.rep("r", "T", "2020-01-01", 100.0);
    b.deal("x", Some(r), 10.0, CLOSED_WON, "2026-01-01", "2026-02-01");
    b.invalidate(r);
    let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
    assert!(m.reps.is_empty() && m.teams.is_empty());
    assert_eq!(m.org.won_ytd, 0.0);
    assert_eq!(m.deals["x"].owner.as_deref(), Some("r"));
}

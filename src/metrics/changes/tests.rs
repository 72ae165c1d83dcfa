use super::super::testutil::*;
use super::*;

fn deal(b: &mut SiteBuilder, id: &str, value: f64, stage: &str, close: &str) {
    b.deal(id, None, value, stage, "2026-01-05", close);
}

fn kinds(changes: &[DealChange]) -> Vec<(&str, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.deal.as_str(), c.change))
        .collect()
}

fn json(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn every_change_kind_with_from_and_to() {
    let mut t = SiteBuilder::new();
    deal(&mut t, "adv", 100.0, "discovery", "2026-12-01");
    deal(&mut t, "slip", 100.0, "proposal", "2026-12-01");
    deal(&mut t, "pull", 100.0, "proposal", "2026-12-20");
    deal(&mut t, "reval", 100.0, "proposal", "2026-12-01");
    deal(&mut t, "win", 100.0, "commit", "2026-12-01");
    deal(&mut t, "lose", 100.0, "commit", "2026-12-01");
    deal(&mut t, "gone", 100.0, "commit", "2026-12-01");
    deal(&mut t, "same", 100.0, "commit", "2026-12-01");
    deal(&mut t, "all", 100.0, "discovery", "2026-12-01");
    deal(&mut t, "closed", 100.0, CLOSED_WON, "2026-10-01");
    let then = t.build();
    let mut n = SiteBuilder::new();
    deal(&mut n, "adv", 100.0, "proposal", "2026-12-01");
    deal(&mut n, "slip", 100.0, "proposal", "2027-01-15");
    deal(&mut n, "pull", 100.0, "proposal", "2026-12-10");
    deal(&mut n, "reval", 150.5, "proposal", "2026-12-01");
    deal(&mut n, "win", 100.0, CLOSED_WON, "2026-11-28");
    deal(&mut n, "lose", 100.0, CLOSED_LOST, "2026-11-28");
    deal(&mut n, "same", 100.0, "commit", "2026-12-01");
    deal(&mut n, "all", 90.0, "solution", "2026-12-31");
    deal(&mut n, "fresh", 100.0, "prospecting", "2026-12-01");
    deal(&mut n, "born-won", 100.0, CLOSED_WON, "2026-11-29");
    deal(&mut n, "closed", 100.0, CLOSED_LOST, "2026-10-01");
    let now = n.build();
    let c = deal_changes(&then, &now);
    use ChangeKind::*;
    assert_eq!(
        kinds(&c),
        [
            ("adv", Stage),
            ("all", Stage),
            ("all", Slipped),
            ("all", Value),
            ("born-won", New),
            ("born-won", Won),
            ("fresh", New),
            ("gone", Removed),
            ("lose", Lost),
            ("pull", PulledIn),
            ("reval", Value),
            ("slip", Slipped),
            ("win", Won),
        ]
    );
    assert_eq!(
        json(&c[0]),
        r#"{"deal":"adv","change":"stage","from":"discovery","to":"proposal"}"#
    );
    assert_eq!(
        json(&c[9]),
        r#"{"deal":"pull","change":"pulled_in","from":"2026-12-20","to":"2026-12-10"}"#
    );
    assert_eq!(
        json(&c[10]),
        r#"{"deal":"reval","change":"value","from":100,"to":150.5}"#
    );
    assert_eq!(
        json(&c[11]),
        r#"{"deal":"slip","change":"slipped","from":"2026-12-01","to":"2027-01-15"}"#
    );
    assert_eq!(
        json(&c[4]),
        r#"{"deal":"born-won","change":"new","from":null,"to":null}"#
    );
}

#[test]
fn missing_values_and_close_dates() {
    let mut t = SiteBuilder::new();
    let a = t.deal("a", None, 0.0, "proposal", "2026-01-05", "2026-12-01");
    t.deal_mut(a).value = None;
    let b = t.deal("b", None, 10.0, "proposal", "2026-01-05", "2026-12-01");
    t.deal_mut(b).close_date = None;
    let then = t.build();
    let mut n = SiteBuilder::new();
    n.deal("a", None, 5.0, "proposal", "2026-01-05", "2026-12-01");
    n.deal("b", None, 10.0, "proposal", "2026-01-05", "2027-12-01");
    let now = n.build();
    let c = deal_changes(&then, &now);
    // No close date then: never slipped.
    assert_eq!(kinds(&c), [("a", ChangeKind::Value)]);
    assert_eq!(
        json(&c[0]),
        r#"{"deal":"a","change":"value","from":null,"to":5}"#
    );
}

#[test]
fn invalid_deals_are_absent() {
    let mut t = SiteBuilder::new();
    deal(&mut t, "x", 1.0, "proposal", "2026-12-01");
    let then = t.build();
    let mut n = SiteBuilder::new();
    deal(&mut n, "x", 1.0, "proposal", "2026-12-01");
    let mut now = n.build();
    now.notes[0].set_invalid();
    assert_eq!(
        kinds(&deal_changes(&then, &now)),
        [("x", ChangeKind::Removed)]
    );
}

/// Q4 2026 of a January fiscal year: October to December.
fn cfg(month: u32) -> Config {
    Config {
        fiscal_year_start_month: month,
        ..Config::default()
    }
}

#[test]
fn every_waterfall_bucket() {
    let mut t = SiteBuilder::new();
    deal(&mut t, "stay", 100.0, "proposal", "2026-12-01");
    deal(&mut t, "grow", 100.0, "proposal", "2026-12-01");
    deal(&mut t, "shrink", 100.0, "proposal", "2026-12-01");
    deal(&mut t, "pull", 40.0, "proposal", "2027-02-01");
    deal(&mut t, "win", 50.0, "commit", "2026-12-01");
    deal(&mut t, "lose", 60.0, "commit", "2026-12-01");
    deal(&mut t, "gone", 70.0, "commit", "2026-12-01");
    deal(&mut t, "push", 80.0, "commit", "2026-12-01");
    deal(&mut t, "undated", 5.0, "commit", "2026-12-01");
    deal(&mut t, "zeroed", 7.0, "commit", "2026-12-01");
    deal(&mut t, "later", 9.0, "commit", "2027-03-01");
    let then = t.build();
    let mut n = SiteBuilder::new();
    deal(&mut n, "stay", 100.0, "negotiation", "2026-11-30");
    deal(&mut n, "grow", 130.0, "proposal", "2026-12-01");
    deal(&mut n, "shrink", 75.0, "proposal", "2026-12-01");
    deal(&mut n, "pull", 45.0, "proposal", "2026-12-15");
    deal(&mut n, "win", 55.0, CLOSED_WON, "2026-11-28");
    deal(&mut n, "lose", 60.0, CLOSED_LOST, "2026-11-28");
    deal(&mut n, "push", 80.0, "commit", "2027-01-01");
    let u = n.deal("undated", None, 5.0, "commit", "2026-01-05", "2026-12-01");
    n.deal_mut(u).close_date = None;
    let z = n.deal("zeroed", None, 0.0, "commit", "2026-01-05", "2026-12-01");
    n.deal_mut(z).value = None;
    deal(&mut n, "new", 20.0, "discovery", "2026-10-02");
    deal(&mut n, "new-later", 20.0, "discovery", "2027-10-02");
    deal(&mut n, "later", 19.0, "commit", "2027-03-01");
    let now = n.build();
    let w = waterfall(&then, &now, &cfg(1), d("2026-11-30"));
    assert_eq!(
        w,
        Waterfall {
            period: "2026-Q4".to_string(),
            start: 100.0 + 100.0 + 100.0 + 50.0 + 60.0 + 70.0 + 80.0 + 5.0 + 7.0,
            created: 20.0,
            pulled_in: 45.0,
            value_change: 30.0 - 25.0 - 7.0,
            won: 50.0,
            lost: 60.0,
            removed: 70.0,
            pushed_out: 80.0 + 5.0,
            end: 100.0 + 130.0 + 75.0 + 45.0 + 20.0,
        }
    );
    assert_eq!(w.reconciled_end(), w.end);
}

#[test]
fn non_january_fiscal_year_and_quarter_boundaries() {
    // A fiscal year starting in April: 2026-Q3 is October to December,
    // 2026-Q4 January to March 2027.
    let mut t = SiteBuilder::new();
    deal(&mut t, "dec31", 10.0, "proposal", "2026-12-31");
    deal(&mut t, "jan1", 20.0, "proposal", "2027-01-01");
    deal(&mut t, "oct1", 30.0, "proposal", "2026-10-01");
    let then = t.build();
    let mut n = SiteBuilder::new();
    deal(&mut n, "dec31", 10.0, "proposal", "2027-01-01");
    deal(&mut n, "jan1", 20.0, "proposal", "2026-12-31");
    deal(&mut n, "oct1", 30.0, "proposal", "2026-09-30");
    let now = n.build();
    let w = waterfall(&then, &now, &cfg(4), d("2026-12-31"));
    assert_eq!(w.period, "2026-Q3");
    assert_eq!((w.start, w.end), (40.0, 20.0));
    assert_eq!((w.pulled_in, w.pushed_out), (20.0, 40.0));
    assert_eq!(w.reconciled_end(), w.end);
    // The next day is another quarter, with the same deals.
    let w = waterfall(&then, &now, &cfg(4), d("2027-01-01"));
    assert_eq!(w.period, "2026-Q4");
    assert_eq!((w.start, w.end), (20.0, 10.0));
    assert_eq!((w.pulled_in, w.pushed_out), (10.0, 20.0));
    // The same dates with a January fiscal year.
    let w = waterfall(&then, &now, &cfg(1), d("2026-12-31"));
    assert_eq!(w.period, "2026-Q4");
    assert_eq!((w.start, w.end), (40.0, 20.0));
}

#[test]
fn json_of_the_comparison_and_of_no_history() {
    let then = SiteBuilder::new().build();
    let mut n = SiteBuilder::new();
    deal(&mut n, "x", 1.5, "proposal", "2026-12-01");
    let now = n.build();
    let org = super::super::compute(&then, &cfg(1), d("2026-11-23")).org;
    let c = compare(
        &then,
        &now,
        &cfg(1),
        d("2026-11-30"),
        d("2026-11-23"),
        "abc",
        org,
    );
    let v = serde_json::to_value(History::Compared(Box::new(c))).unwrap();
    assert_eq!(v["since"], "2026-11-23");
    assert_eq!(v["commit"], "abc");
    assert_eq!(v["waterfall"]["created"], 1.5);
    assert_eq!(v["waterfall"]["start"], 0);
    assert_eq!(v["org_then"]["open_deals"], 0);
    assert_eq!(v["deals"][0]["change"], "new");
    let none = History::Unavailable {
        since: d("2026-11-23"),
        reason: NoHistory::NoRepository,
    };
    assert_eq!(serde_json::to_string(&none).unwrap(), "null");
    assert_eq!(serde_json::to_string(&History::NotRead).unwrap(), "null");
}

/// splitmix64, for the property test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_site(rng: &mut Rng, ids: u64) -> Site {
    let stages = ["discovery", "proposal", "commit", CLOSED_WON, CLOSED_LOST];
    let mut b = SiteBuilder::new();
    for i in 0..ids {
        if rng.below(4) == 0 {
            continue;
        }
        let stage = stages[rng.below(stages.len() as u64) as usize];
        let close = d("2026-06-01") + chrono::Duration::days(rng.below(400) as i64);
        let x = b.deal(
            &format!("d{i}"),
            None,
            (rng.below(5) * 1000 + rng.below(3) * 250) as f64,
            stage,
            "2026-01-01",
            &close.to_string(),
        );
        match rng.below(8) {
            0 => b.deal_mut(x).value = None,
            1 => b.deal_mut(x).close_date = None,
            _ => {}
        }
    }
    b.build()
}

/// Any two sites, any fiscal year and date: every deal whose part changed
/// lands in one bucket, and the identity holds exactly.
#[test]
fn the_identity_always_holds() {
    let mut rng = Rng(7);
    for _ in 0..500 {
        let ids = 1 + rng.below(30);
        let then = random_site(&mut rng, ids);
        let now = random_site(&mut rng, ids);
        let month = 1 + rng.below(12) as u32;
        let as_of = d("2026-08-01") + chrono::Duration::days(rng.below(300) as i64);
        let w = waterfall(&then, &now, &cfg(month), as_of);
        assert_eq!(w.reconciled_end(), w.end, "{w:?}");
        for x in [
            w.start,
            w.created,
            w.pulled_in,
            w.won,
            w.lost,
            w.removed,
            w.pushed_out,
            w.end,
        ] {
            assert!(x >= 0.0, "{w:?}");
        }
        // The changes agree with the waterfall where both speak.
        let c = deal_changes(&then, &now);
        if w.won > 0.0 {
            assert!(c.iter().any(|c| c.change == ChangeKind::Won));
        }
        if w.created > 0.0 {
            assert!(c.iter().any(|c| c.change == ChangeKind::New));
        }
        if w.removed > 0.0 {
            assert!(c.iter().any(|c| c.change == ChangeKind::Removed));
        }
        // Sorted by deal id, then kind, without repeats.
        let keys: Vec<_> = c.iter().map(|c| (c.deal.clone(), c.change)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted);
    }
}

//! The coaching programme's success scorecard that opens the dashboard:
//! quota attainment, win-rate trend over full fiscal quarters, forecast
//! accuracy and ramp time, each against its target. Not in metrics.json.

use super::deal::DealMetrics;
use super::fiscal::{last_two_full_quarters, prior_two_full_quarters, Quarter};
use super::rep::{ramp_cohort, ratio, Grouped};
use crate::config::Config;
use crate::model::{NoteIdx, Site};
use chrono::NaiveDate;
use rustc_hash::FxHashSet;

/// Target quota attainment FYTD.
pub const ATTAINMENT_TARGET: f64 = 0.9;
/// Target win-rate improvement, in percentage points.
pub const WIN_RATE_TARGET_POINTS: f64 = 5.0;
/// Target ramp: recent cohort at most this share of the prior one (20% shorter).
pub const RAMP_TARGET_RATIO: f64 = 0.8;

/// Quota attainment FYTD of the organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct AttainmentItem {
    pub value: Option<f64>,
    pub target: f64,
    pub met: Option<bool>,
}

/// Two consecutive full fiscal quarters and the pooled win rate of the deals
/// closed in them.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterWindow {
    /// Oldest first.
    pub quarters: [Quarter; 2],
    /// `2026-Q2 – 2026-Q3`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub won: u64,
    pub lost: u64,
    pub rate: Option<f64>,
}

/// Win rate of the last two full quarters against the two before them.
#[derive(Debug, Clone, PartialEq)]
pub struct WinRateItem {
    pub recent: Option<QuarterWindow>,
    pub prior: Option<QuarterWindow>,
    pub recent_rate: Option<f64>,
    pub prior_rate: Option<f64>,
    /// (recent - prior) x 100.
    pub delta_points: Option<f64>,
    pub target_points: f64,
    pub met: Option<bool>,
}

/// Forecast accuracy of the organisation at the error target.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastItem {
    /// Share of final forecasts with error <= the target.
    pub hit_rate: Option<f64>,
    /// Mean error of those forecasts.
    pub error: Option<f64>,
    pub error_target: f64,
    /// Final forecasts with an error (the hit rate's denominator).
    pub forecasts: u64,
    /// Mean error <= error target.
    pub met: Option<bool>,
}

/// Mean ramp_days of recent hires against the cohort before them.
#[derive(Debug, Clone, PartialEq)]
pub struct RampItem {
    /// Reps who started 0..=364 days before as_of.
    pub recent: Option<f64>,
    pub recent_reps: u64,
    /// First and last start date of the recent cohort.
    pub recent_from: Option<NaiveDate>,
    pub recent_to: NaiveDate,
    /// Reps who started 365..=729 days before as_of.
    pub prior: Option<f64>,
    pub prior_reps: u64,
    pub prior_from: Option<NaiveDate>,
    pub prior_to: Option<NaiveDate>,
    pub target_ratio: f64,
    /// recent <= 0.8 x prior.
    pub met: Option<bool>,
}

/// The dashboard's success scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub attainment: AttainmentItem,
    pub win_rate: WinRateItem,
    pub forecast: ForecastItem,
    pub ramp: RampItem,
}

fn window(
    quarters: Option<[Quarter; 2]>,
    start_month: u32,
    deals: &[&DealMetrics],
) -> Option<QuarterWindow> {
    let quarters = quarters?;
    let start = quarters[0].start(start_month)?;
    let end = quarters[1].end(start_month)?;
    let inside = |d: &&&DealMetrics| d.closed_within(start, end);
    let won = deals.iter().filter(|d| d.is_won).filter(inside).count() as u64;
    let lost = deals.iter().filter(|d| d.is_lost).filter(inside).count() as u64;
    Some(QuarterWindow {
        label: format!("{} – {}", quarters[0].label(), quarters[1].label()),
        quarters,
        start,
        end,
        won,
        lost,
        rate: ratio(won as f64, (won + lost) as f64),
    })
}

fn days_before(as_of: NaiveDate, n: u64) -> Option<NaiveDate> {
    as_of.checked_sub_days(chrono::Days::new(n))
}

/// The scorecard, from the rep/team/org figures and the deals.
pub fn compute_scorecard(
    site: &Site,
    config: &Config,
    as_of: NaiveDate,
    grouped: &Grouped,
    deals: &[&DealMetrics],
) -> Scorecard {
    let org = &grouped.org;
    let attainment = AttainmentItem {
        value: org.quota_attainment,
        target: ATTAINMENT_TARGET,
        met: org.quota_attainment.map(|a| a >= ATTAINMENT_TARGET),
    };

    // Pooled org deals: owned by a valid rep.
    let reps: FxHashSet<NoteIdx> = site.reps().map(|(i, _, _)| i).collect();
    let pooled: Vec<&DealMetrics> = deals
        .iter()
        .copied()
        .filter(|d| d.owner_idx.is_some_and(|o| reps.contains(&o)))
        .collect();
    let sm = config.fiscal_year_start_month;
    let recent = window(last_two_full_quarters(as_of, sm), sm, &pooled);
    let prior = window(prior_two_full_quarters(as_of, sm), sm, &pooled);
    let recent_rate = recent.as_ref().and_then(|w| w.rate);
    let prior_rate = prior.as_ref().and_then(|w| w.rate);
    let delta_points = match (recent_rate, prior_rate) {
        (Some(r), Some(p)) => Some((r - p) * 100.0),
        _ => None,
    };
    let win_rate = WinRateItem {
        recent,
        prior,
        recent_rate,
        prior_rate,
        delta_points,
        target_points: WIN_RATE_TARGET_POINTS,
        // A tolerance so that 60% vs 55% counts as +5 points.
        met: delta_points.map(|p| p >= WIN_RATE_TARGET_POINTS - 1e-9),
    };

    let forecast = ForecastItem {
        hit_rate: org.forecast_hit_rate,
        error: org.forecast_error,
        error_target: config.forecast_error_target,
        forecasts: org.forecasts_counted,
        met: org
            .forecast_error
            .map(|e| e <= config.forecast_error_target),
    };

    let ramps = || grouped.ramps.iter().copied();
    let (recent_ramp, recent_reps) = ramp_cohort(ramps(), as_of, 0, 364);
    let (prior_ramp, prior_reps) = ramp_cohort(ramps(), as_of, 365, 729);
    let ramp = RampItem {
        recent: recent_ramp,
        recent_reps,
        recent_from: days_before(as_of, 364),
        recent_to: as_of,
        prior: prior_ramp,
        prior_reps,
        prior_from: days_before(as_of, 729),
        prior_to: days_before(as_of, 365),
        target_ratio: RAMP_TARGET_RATIO,
        met: match (recent_ramp, prior_ramp) {
            (Some(r), Some(p)) => Some(r <= RAMP_TARGET_RATIO * p),
            _ => None,
        },
    };

    Scorecard {
        attainment,
        win_rate,
        forecast,
        ramp,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;

    #[test]
    fn win_rate_windows() {
        // as_of 2026-11-25, calendar FY: recent = 2026-Q2..Q3
        // (2026-04-01..=2026-09-30), prior = 2025-Q4..2026-Q1
        // (2025-10-01..=2026-03-31).
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2020-01-01", 1000.0);
        // Recent: 3 won, 1 lost -> 75%.
        b.deal("r1", Some(r), 1.0, CLOSED_WON, "2026-01-01", "2026-04-01");
        b.deal("r2", Some(r), 1.0, CLOSED_WON, "2026-01-01", "2026-09-30");
        b.deal("r3", Some(r), 1.0, CLOSED_WON, "2026-01-01", "2026-06-30");
        b.deal("r4", Some(r), 1.0, CLOSED_LOST, "2026-01-01", "2026-05-05");
        // Current quarter: in neither window.
        b.deal("c1", Some(r), 1.0, CLOSED_LOST, "2026-01-01", "2026-10-01");
        // Prior: 1 won, 1 lost -> 50%.
        b.deal("p1", Some(r), 1.0, CLOSED_WON, "2025-01-01", "2025-10-01");
        b.deal("p2", Some(r), 1.0, CLOSED_LOST, "2025-01-01", "2026-03-31");
        // Before both windows, open deals and orphans: ignored.
        b.deal("o1", Some(r), 1.0, CLOSED_LOST, "2025-01-01", "2025-09-30");
        b.deal("o2", Some(r), 1.0, "discovery", "2025-01-01", "2026-05-01");
        b.deal("o3", None, 1.0, CLOSED_LOST, "2025-01-01", "2026-05-01");
        let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
        let w = &m.scorecard.win_rate;
        let recent = w.recent.as_ref().unwrap();
        assert_eq!(
            (recent.start, recent.end),
            (d("2026-04-01"), d("2026-09-30"))
        );
        assert_eq!(recent.label, "2026-Q2 – 2026-Q3");
        assert_eq!((recent.won, recent.lost), (3, 1));
        let prior = w.prior.as_ref().unwrap();
        assert_eq!((prior.start, prior.end), (d("2025-10-01"), d("2026-03-31")));
        assert_eq!((prior.won, prior.lost), (1, 1));
        assert_eq!(w.recent_rate, Some(0.75));
        assert_eq!(w.prior_rate, Some(0.5));
        assert_eq!(w.delta_points, Some(25.0));
        assert_eq!(w.met, Some(true));
    }

    #[test]
    fn win_rate_null_side_and_exact_five_points() {
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2020-01-01", 1000.0);
        b.deal("r1", Some(r), 1.0, CLOSED_WON, "2026-01-01", "2026-05-01");
        let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
        assert_eq!(m.scorecard.win_rate.prior_rate, None);
        assert_eq!(m.scorecard.win_rate.delta_points, None);
        assert_eq!(m.scorecard.win_rate.met, None);

        // 60% (12 of 20) against 55% (11 of 20): +5 points, met.
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2020-01-01", 1000.0);
        for i in 0..20 {
            let s = if i < 12 { CLOSED_WON } else { CLOSED_LOST };
            b.deal(
                &format!("r{i}"),
                Some(r),
                1.0,
                s,
                "2026-01-01",
                "2026-05-01",
            );
            let s = if i < 11 { CLOSED_WON } else { CLOSED_LOST };
            b.deal(
                &format!("p{i}"),
                Some(r),
                1.0,
                s,
                "2025-01-01",
                "2026-01-05",
            );
        }
        let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
        assert_eq!(m.scorecard.win_rate.met, Some(true));
        let p = m.scorecard.win_rate.delta_points.unwrap();
        assert!((p - 5.0).abs() < 1e-9);
    }

    #[test]
    fn october_year_windows() {
        // as_of 2027-01-15, FY from October: current = FY2026 Q2; recent =
        // FY2025 Q4 + FY2026 Q1 = 2026-07-01..=2026-12-31.
        let config = Config {
            fiscal_year_start_month: 10,
            ..Config::default()
        };
        let m = compute(&SiteBuilder::new().build(), &config, d("2027-01-15"));
        let w = &m.scorecard.win_rate;
        let recent = w.recent.as_ref().unwrap();
        assert_eq!(recent.label, "2025-Q4 – 2026-Q1");
        assert_eq!(
            (recent.start, recent.end),
            (d("2026-07-01"), d("2026-12-31"))
        );
        let prior = w.prior.as_ref().unwrap();
        assert_eq!(prior.label, "2025-Q2 – 2025-Q3");
        assert_eq!((prior.start, prior.end), (d("2026-01-01"), d("2026-06-30")));
        assert_eq!(w.met, None);
    }

    #[test]
    fn attainment_and_forecast_items() {
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2020-01-01", 1000.0);
        b.deal("w", Some(r), 900.0, CLOSED_WON, "2026-01-01", "2026-02-01");
        b.forecast_rep("f", Some(r), 2026, 1, 990.0);
        let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
        let s = &m.scorecard;
        assert_eq!(s.attainment.value, Some(0.9));
        assert_eq!(s.attainment.met, Some(true));
        assert_eq!(s.forecast.hit_rate, Some(1.0));
        assert_eq!(s.forecast.forecasts, 1);
        assert_eq!(s.forecast.error_target, 0.1);
        assert_eq!(s.forecast.met, Some(true));

        let m = compute(
            &SiteBuilder::new().build(),
            &Config::default(),
            d("2026-11-25"),
        );
        let s = &m.scorecard;
        assert_eq!((s.attainment.value, s.attainment.met), (None, None));
        assert_eq!((s.forecast.hit_rate, s.forecast.met), (None, None));
        assert_eq!(
            (s.ramp.recent, s.ramp.prior, s.ramp.met),
            (None, None, None)
        );
    }

    #[test]
    fn ramp_cohorts() {
        // as_of 2026-11-25. Recent: started 2025-11-26..=2026-11-25;
        // prior: 2024-11-26..=2025-11-25.
        let mut b = SiteBuilder::new();
        let a = b.rep("a", "T", "2025-11-26", 1.0); // recent, 40
        let c = b.rep("c", "U", "2026-06-01", 1.0); // recent, 20
        let e = b.rep("e", "T", "2025-11-25", 1.0); // prior, 50
        let f = b.rep("f", "U", "2024-11-26", 1.0); // prior, 30
        let g = b.rep("g", "U", "2024-11-25", 1.0); // too old
        b.deal("a1", Some(a), 1.0, CLOSED_WON, "2026-01-01", "2026-01-05");
        b.deal("c1", Some(c), 1.0, CLOSED_WON, "2026-06-01", "2026-06-21");
        b.deal("e1", Some(e), 1.0, CLOSED_WON, "2025-12-01", "2026-01-14");
        b.deal("f1", Some(f), 1.0, CLOSED_WON, "2024-12-01", "2024-12-26");
        b.deal("g1", Some(g), 1.0, CLOSED_WON, "2024-12-01", "2024-12-05");
        let m = compute(&b.build(), &Config::default(), d("2026-11-25"));
        let r = &m.scorecard.ramp;
        assert_eq!((r.recent, r.recent_reps), (Some(30.0), 2));
        assert_eq!((r.prior, r.prior_reps), (Some(40.0), 2));
        assert_eq!(r.recent_from, Some(d("2025-11-26")));
        assert_eq!(r.prior_from, Some(d("2024-11-26")));
        assert_eq!(r.prior_to, Some(d("2025-11-25")));
        // 30 <= 0.8 x 40 = 32.
        assert_eq!(r.met, Some(true));
        assert_eq!(m.org.ramp_days, Some(30.0));
        assert_eq!(m.teams["T"].ramp_days, Some(40.0));
        assert_eq!(m.teams["U"].ramp_days, Some(20.0));
    }
}

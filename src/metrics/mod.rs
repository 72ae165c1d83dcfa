//! The metrics stage: typed notes and the configuration in, the figures of
//! every deal, rep, team, forecast and the organisation out, as defined in
//! the content model's "Metric definitions". Pure functions, no I/O.
//!
//! - [`fiscal`] - the fiscal calendar and `YYYY-Qn` periods;
//! - [`deal`] - per-deal figures and risk;
//! - [`forecast`] - per-forecast actual and error;
//! - [`rep`] - per-rep figures, pooled per team and for the organisation;
//! - [`scorecard`] - the dashboard's success scorecard;
//! - [`json`] - `metrics.json`.

mod by_note;
pub mod changes;
pub(crate) mod deal;
pub(crate) mod fiscal;
pub(crate) mod forecast;
pub(crate) mod json;
pub(crate) mod rep;
pub(crate) mod scorecard;
#[cfg(test)]
pub(crate) mod testutil;

pub use by_note::ByNote;
pub use deal::{DealMetrics, Risk};
pub use fiscal::{FiscalYear, Quarter};
pub use forecast::ForecastMetrics;
pub use json::to_json;
pub use rep::{RepMetrics, RiskCounts};
pub use scorecard::{
    AttainmentItem, ForecastItem, QuarterWindow, RampItem, Scorecard, WinRateItem,
};

use crate::config::Config;
use crate::model::{NoteIdx, Site};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every figure of the site as of one date. The serialized fields are
/// `metrics.json`; the scorecard is for the dashboard only.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Metrics {
    pub as_of: NaiveDate,
    pub fiscal_year: FiscalYear,
    pub org: RepMetrics,
    pub teams: BTreeMap<String, RepMetrics>,
    /// By rep note (keyed by rep id in `metrics.json`).
    pub reps: ByNote<RepMetrics>,
    /// By deal note (keyed by deal id in `metrics.json`).
    pub deals: ByNote<DealMetrics>,
    /// Sorted by note id.
    pub forecasts: Vec<ForecastMetrics>,
    /// What changed since the history's snapshot (`null` without one);
    /// set by `crate::history`, never by [`compute`].
    pub changes: changes::History,
    #[serde(skip)]
    pub scorecard: Scorecard,
}

/// The fiscal year containing `as_of`; at the edges of chrono's date range,
/// the bounds that cannot be represented are clamped.
fn fiscal_year(as_of: NaiveDate, start_month: u32) -> FiscalYear {
    fiscal::fiscal_year_of(as_of, start_month).unwrap_or_else(|| {
        let name = fiscal::fy_name_of(as_of, start_month);
        FiscalYear {
            name,
            start: fiscal::fy_start(name, start_month).unwrap_or(NaiveDate::MIN),
            end: fiscal::fy_end(name, start_month).unwrap_or(NaiveDate::MAX),
        }
    })
}

/// Computes every figure of `site` as of `as_of`. Only valid notes count.
pub fn compute(site: &Site, config: &Config, as_of: NaiveDate) -> Metrics {
    let fy = fiscal_year(as_of, config.fiscal_year_start_month);
    // The passes over every note, side by side (`serve` runs this on
    // every save, with the thread pool otherwise idle).
    let ((activity, coaching), team_of) = rayon::join(
        || {
            rayon::join(
                || deal::last_activity_dates(site),
                || rep::coaching_30d(site, as_of),
            )
        },
        || -> FxHashMap<NoteIdx, &str> {
            site.reps().map(|(i, _, r)| (i, r.team.as_str())).collect()
        },
    );
    let deals = deal::compute_deals(site, config, &fy, as_of, &activity);
    let deal_list: Vec<&DealMetrics> = deals.values().collect();
    let forecasts = forecast::compute_forecasts(site, config, as_of, &deal_list, &team_of);
    let grouped = rep::compute_reps(site, &fy, as_of, &deal_list, &forecasts, &coaching);
    let scorecard = scorecard::compute_scorecard(site, config, as_of, &grouped, &deal_list);
    drop(deal_list);
    Metrics {
        as_of,
        fiscal_year: fy,
        org: grouped.org,
        teams: grouped.teams,
        reps: grouped.reps,
        deals,
        forecasts,
        changes: changes::History::NotRead,
        scorecard,
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn extreme_dates_do_not_panic() {
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2020-01-01", 0.0);
        let x = b.deal("x", Some(r), f64::MAX, "commit", "2026-01-01", "2026-12-01");
        b.deal_mut(x).created = NaiveDate::MIN;
        b.deal(
            "y",
            Some(r),
            f64::MAX,
            CLOSED_WON,
            "2026-01-01",
            "2026-02-01",
        );
        b.forecast_rep("f", Some(r), 2026, 1, f64::MAX);
        let site = b.build();
        for as_of in [NaiveDate::MIN, NaiveDate::MAX, d("2026-11-25")] {
            for sm in [0, 1, 10, 12, 99] {
                let config = Config {
                    fiscal_year_start_month: sm,
                    ..Config::default()
                };
                let m = compute(&site, &config, as_of);
                let j = to_json(&m);
                assert!(!j.contains("NaN") && !j.contains("inf"));
            }
        }
    }
}

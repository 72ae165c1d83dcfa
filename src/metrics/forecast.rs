//! Per-forecast figures: the actual won in the forecast's fiscal quarter
//! (by the rep, or by the team's reps), whether the period is over
//! (`final`), and the error of the commit against the actual.

use super::deal::DealMetrics;
use super::json::{num, opt_num};
use crate::config::Config;
use crate::model::{ForecastOwner, NoteIdx, Site};
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// The figures of one forecast; the serialized fields are its entry in
/// `metrics.json`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ForecastMetrics {
    /// The forecast note's id.
    pub note: String,
    /// The rep's id, or the team's name; `null` when the rep reference is
    /// unresolved.
    pub owner: Option<String>,
    /// `YYYY-Qn`.
    pub period: String,
    #[serde(serialize_with = "num")]
    pub commit: f64,
    #[serde(serialize_with = "num")]
    pub actual: f64,
    /// The period's last day is before `as_of`.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// abs(commit - actual) / actual; `null` when actual is 0.
    #[serde(serialize_with = "opt_num")]
    pub error: Option<f64>,
    /// Graded for final forecasts only (`null` for an open period): when
    /// actual > 0, error <= forecast_error_target; when actual is 0, true
    /// only if commit is 0 too (a commit met by nothing is a miss).
    pub within_target: Option<bool>,

    #[serde(skip)]
    pub best_case: Option<f64>,
    /// Index of the forecast note in [`Site::notes`].
    #[serde(skip)]
    pub note_idx: NoteIdx,
    /// The owning rep, for a rep forecast whose reference resolved.
    #[serde(skip)]
    pub owner_rep: Option<NoteIdx>,
    /// The team, for a team forecast.
    #[serde(skip)]
    pub owner_team: Option<String>,
    /// First and last day of the period (`None` if not representable).
    #[serde(skip)]
    pub start: Option<NaiveDate>,
    #[serde(skip)]
    pub end: Option<NaiveDate>,
}

/// A forecast's grade (contract, second edition): `None` while its period
/// is open; else, with something closed, whether the error is within the
/// target, and with nothing closed, whether nothing was committed either.
pub fn grade(
    is_final: bool,
    commit: f64,
    actual: f64,
    error: Option<f64>,
    target: f64,
) -> Option<bool> {
    if !is_final {
        None
    } else if actual > 0.0 {
        error.map(|e| e <= target)
    } else {
        Some(commit == 0.0)
    }
}

/// The figures of every valid forecast, sorted by note id.
///
/// `team_of` maps each valid rep to its team.
pub fn compute_forecasts(
    site: &Site,
    config: &Config,
    as_of: NaiveDate,
    deals: &[&DealMetrics],
    team_of: &FxHashMap<NoteIdx, &str>,
) -> Vec<ForecastMetrics> {
    let sm = config.fiscal_year_start_month;
    // Won deals by owner and by the owner's team, in their original order,
    // so each forecast looks only at its own deals.
    let mut won_by_rep: FxHashMap<NoteIdx, Vec<&DealMetrics>> = FxHashMap::default();
    let mut won_by_team: FxHashMap<&str, Vec<&DealMetrics>> = FxHashMap::default();
    for d in deals.iter().copied().filter(|d| d.is_won) {
        if let Some(o) = d.owner_idx {
            won_by_rep.entry(o).or_default().push(d);
            if let Some(t) = team_of.get(&o) {
                won_by_team.entry(t).or_default().push(d);
            }
        }
    }
    let none: Vec<&DealMetrics> = Vec::new();
    let list: Vec<_> = site.forecasts().collect();
    let mut out: Vec<ForecastMetrics> = list
        .into_par_iter()
        .map(|(idx, note, f)| {
            let start = super::fiscal::quarter_start(f.year, f.quarter, sm);
            let end = super::fiscal::quarter_end(f.year, f.quarter, sm);
            let (owner, owner_rep, owner_team) = match &f.owner {
                ForecastOwner::Rep(r) => (
                    r.resolved
                        .and_then(|i| site.notes.get(i))
                        .map(|n| n.id.clone()),
                    r.resolved,
                    None,
                ),
                ForecastOwner::Team(t) => (Some(t.clone()), None, Some(t.clone())),
            };
            let won = match (&owner_rep, &owner_team) {
                (Some(r), _) => won_by_rep.get(r).unwrap_or(&none),
                (None, Some(t)) => won_by_team.get(t.as_str()).unwrap_or(&none),
                _ => &none,
            };
            let actual = match (start, end) {
                (Some(s), Some(e)) => won
                    .iter()
                    .filter(|d| d.closed_within(s, e))
                    .map(|d| d.amount())
                    .sum(),
                _ => 0.0,
            };
            let is_final = end.is_some_and(|e| e < as_of);
            let error = if actual != 0.0 {
                Some((f.commit - actual).abs() / actual).filter(|e| e.is_finite())
            } else {
                None
            };
            let within_target = grade(
                is_final,
                f.commit,
                actual,
                error,
                config.forecast_error_target,
            );
            ForecastMetrics {
                note: note.id.clone(),
                owner,
                period: f.period(),
                commit: f.commit,
                actual,
                is_final,
                error,
                within_target,
                best_case: f.best_case,
                note_idx: idx,
                owner_rep,
                owner_team,
                start,
                end,
            }
        })
        .collect();
    out.par_sort_unstable_by(|a, b| a.note.cmp(&b.note).then(a.note_idx.cmp(&b.note_idx)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use super::grade;

    #[test]
    fn rep_and_team_actuals() {
        let mut b = SiteBuilder::new();
        let a = b.rep("a", "East", "2025-01-01", 100.0);
        let c = b.rep("c", "East", "2025-01-01", 100.0);
        let w = b.rep("w", "West", "2025-01-01", 100.0);
        // Q3 2026 (calendar): 2026-07-01..=2026-09-30.
        b.deal(
            "d1",
            Some(a),
            100000.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-07-01",
        );
        b.deal(
            "d2",
            Some(c),
            50000.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-09-30",
        );
        b.deal(
            "d3",
            Some(a),
            70000.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-10-01",
        );
        b.deal(
            "d4",
            Some(a),
            9000.0,
            CLOSED_LOST,
            "2026-01-01",
            "2026-08-01",
        );
        b.deal("d5", Some(a), 9000.0, "commit", "2026-01-01", "2026-08-01");
        b.deal(
            "d6",
            Some(w),
            30000.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-08-01",
        );
        b.deal("d7", None, 30000.0, CLOSED_WON, "2026-01-01", "2026-08-01");
        b.forecast_rep("fa", Some(a), 2026, 3, 90000.0);
        b.forecast_team("fe", "East", 2026, 3, 180000.0);
        b.forecast_team("fx", "Nobody", 2026, 3, 1000.0);
        b.forecast_rep("fu", None, 2026, 3, 1000.0);
        let f4 = b.forecast_rep("fq4", Some(a), 2026, 4, 1000.0);
        b.forecast_mut(f4).best_case = Some(5000.0);
        let site = b.build();
        let m = compute(&site, &Config::default(), d("2026-11-25"));
        let f: Vec<_> = m.forecasts.iter().map(|f| f.note.as_str()).collect();
        assert_eq!(f, ["fa", "fe", "fq4", "fu", "fx"]);
        let fa = &m.forecasts[0];
        assert_eq!(fa.owner.as_deref(), Some("a"));
        assert_eq!(fa.period, "2026-Q3");
        assert_eq!(fa.actual, 100000.0);
        assert!(fa.is_final);
        assert_eq!(fa.error, Some(0.1));
        // 0.1 <= 0.10: a hit.
        assert_eq!(fa.within_target, Some(true));
        let fe = &m.forecasts[1];
        assert_eq!(fe.owner.as_deref(), Some("East"));
        assert_eq!(fe.actual, 150000.0);
        assert_eq!(fe.error, Some(0.2));
        assert_eq!(fe.within_target, Some(false));
        // Current quarter: not final; actual 70000.
        let fq4 = &m.forecasts[2];
        assert!(!fq4.is_final);
        assert_eq!(fq4.actual, 70000.0);
        assert_eq!(fq4.best_case, Some(5000.0));
        // An open quarter is never graded, whatever its error.
        assert_eq!(fq4.within_target, None);
        // Unresolved rep: owner null, actual 0, error null; a commit met
        // by nothing closed is a miss.
        let fu = &m.forecasts[3];
        assert_eq!(fu.owner, None);
        assert_eq!(
            (fu.actual, fu.error, fu.within_target),
            (0.0, None, Some(false))
        );
        // A team without reps: actual 0, a miss.
        let fx = &m.forecasts[4];
        assert_eq!(
            (fx.actual, fx.error, fx.within_target),
            (0.0, None, Some(false))
        );
        assert!(fx.is_final);
    }

    #[test]
    fn grading_follows_the_second_edition() {
        // Open: never graded.
        assert_eq!(grade(false, 100.0, 100.0, Some(0.0), 0.1), None);
        assert_eq!(grade(false, 100.0, 0.0, None, 0.1), None);
        // Final with something closed: the error against the target.
        assert_eq!(grade(true, 110.0, 100.0, Some(0.1), 0.1), Some(true));
        assert_eq!(grade(true, 120.0, 100.0, Some(0.2), 0.1), Some(false));
        // Final with nothing closed: a hit only for a commit of 0.
        assert_eq!(grade(true, 0.0, 0.0, None, 0.1), Some(true));
        assert_eq!(grade(true, 180000.0, 0.0, None, 0.1), Some(false));
    }

    #[test]
    fn final_boundary_and_fiscal_periods() {
        // Start month 10: FY2025 Q4 = 2026-07-01..=2026-09-30.
        let config = Config {
            fiscal_year_start_month: 10,
            ..Config::default()
        };
        let mut b = SiteBuilder::new();
        let a = b.rep("a", "East", "2025-01-01", 100.0);
        b.deal(
            "in",
            Some(a),
            1000.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-09-30",
        );
        b.deal(
            "out",
            Some(a),
            500.0,
            CLOSED_WON,
            "2026-01-01",
            "2026-10-01",
        );
        b.forecast_rep("f", Some(a), 2025, 4, 0.0);
        let site = b.build();
        // On the period's last day it is not final yet.
        let m = compute(&site, &config, d("2026-09-30"));
        assert!(!m.forecasts[0].is_final);
        let m = compute(&site, &config, d("2026-10-01"));
        let f = &m.forecasts[0];
        assert!(f.is_final);
        assert_eq!(f.actual, 1000.0);
        // Commit 0 against 1000: error 1.
        assert_eq!(f.error, Some(1.0));
        assert_eq!(f.within_target, Some(false));
        assert_eq!(f.start, Some(d("2026-07-01")));
        assert_eq!(f.end, Some(d("2026-09-30")));
    }

    #[test]
    fn bad_quarter_does_not_panic() {
        let mut b = SiteBuilder::new();
        let a = b.rep("a", "East", "2025-01-01", 100.0);
        b.forecast_rep("f", Some(a), 2026, 7, 10.0);
        b.forecast_rep("g", Some(a), i32::MAX, 1, 10.0);
        let site = b.build();
        let m = compute(&site, &Config::default(), d("2026-11-25"));
        assert!(m.forecasts.iter().all(|f| !f.is_final && f.actual == 0.0));
    }
}

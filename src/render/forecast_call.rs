//! The forecast call: the open quarter, per rep and per team. For each:
//! the commit and best case forecast for the quarter, closed won so far,
//! the gap to commit, the open pipeline expected to close in the quarter
//! (total, weighted, and in the commit stage), and the red deals among
//! it. Pure: figures in, figures out.

use crate::config::Config;
use crate::metrics::fiscal::{quarter_of, Quarter};
use crate::metrics::{DealMetrics, Metrics, Risk};
use crate::model::{enum_key, NoteIdx};
use chrono::NaiveDate;

/// One row of the forecast call.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CallFigures {
    pub commit: Option<f64>,
    pub best_case: Option<f64>,
    /// Closed won with close_date in the quarter (up to `as_of`).
    pub won: f64,
    /// commit - won, when there is a commit.
    pub gap: Option<f64>,
    /// Open deals expected to close in the quarter.
    pub open_deals: u64,
    pub open: f64,
    pub weighted: f64,
    /// Of `open`, the deals in the commit stage.
    pub in_commit_stage: f64,
    pub red_deals: u64,
}

/// The quarter the call is about: the one holding `as_of`.
pub fn current_quarter(config: &Config, as_of: NaiveDate) -> Quarter {
    quarter_of(as_of, config.fiscal_year_start_month)
}

/// The configured stage that means "commit": the one named `commit`, else
/// the last open stage.
pub fn commit_stage(config: &Config) -> Option<&str> {
    config
        .stages
        .iter()
        .map(|(s, _)| s.as_str())
        .find(|s| enum_key(s) == "commit")
        .or_else(|| config.stages.last().map(|(s, _)| s.as_str()))
}

/// The deal figures of the deals `deals` (note indices), for [`figures`].
pub fn deals_of(metrics: &Metrics, deals: impl IntoIterator<Item = NoteIdx>) -> Vec<&DealMetrics> {
    deals
        .into_iter()
        .filter_map(|i| metrics.deals.get(i))
        .collect()
}

/// The figures of the quarter `q` over `deals` (an owner's, or a team's),
/// with the commit and best case of `forecast` (if any).
pub fn figures(
    config: &Config,
    q: Quarter,
    deals: &[&DealMetrics],
    forecast: Option<(f64, Option<f64>)>,
) -> CallFigures {
    let sm = config.fiscal_year_start_month;
    let (Some(start), Some(end)) = (q.start(sm), q.end(sm)) else {
        return CallFigures::default();
    };
    let commit_stage = commit_stage(config);
    let mut f = CallFigures {
        commit: forecast.map(|x| x.0),
        best_case: forecast.and_then(|x| x.1),
        ..Default::default()
    };
    let in_quarter = |d: &DealMetrics| d.close_date.is_some_and(|c| start <= c && c <= end);
    for d in deals.iter().copied() {
        if !in_quarter(d) {
            continue;
        }
        if d.is_won {
            f.won += d.amount();
        } else if d.is_open {
            f.open_deals += 1;
            f.open += d.amount();
            f.weighted += d.weighted_value;
            if Some(d.stage.as_str()) == commit_stage {
                f.in_commit_stage += d.amount();
            }
            if d.risk == Some(Risk::Red) {
                f.red_deals += 1;
            }
        }
    }
    f.gap = f.commit.map(|c| c - f.won);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;
    use crate::model::CLOSED_WON;

    #[test]
    fn the_open_quarter_per_owner() {
        let mut b = SiteBuilder::new();
        let a = b.rep("a", "East", "2020-01-01", 1000.0);
        let c = b.rep("c", "East", "2020-01-01", 1000.0);
        // Q4 2026 (Oct-Dec): a won 100 in it, 50 before it.
        b.deal("w1", Some(a), 100.0, CLOSED_WON, "2026-09-01", "2026-10-15");
        b.deal("w0", Some(a), 50.0, CLOSED_WON, "2026-01-01", "2026-09-30");
        // Open in Q4: 200 in commit, 300 in proposal (slipped: red).
        b.deal("o1", Some(a), 200.0, "commit", "2026-09-01", "2026-12-20");
        b.deal("o2", Some(a), 300.0, "proposal", "2026-09-01", "2026-11-01");
        // Open, next quarter; and c's deal.
        b.deal("o3", Some(a), 999.0, "proposal", "2026-09-01", "2027-01-05");
        b.deal("o4", Some(c), 10.0, "commit", "2026-09-01", "2026-12-01");
        let site = b.build();
        let config = Config::default();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let m = crate::metrics::compute(&site, &config, as_of);
        let q = current_quarter(&config, as_of);
        assert_eq!(q.label(), "2026-Q4");
        let owned = |o: NoteIdx| -> Vec<&DealMetrics> {
            m.deals
                .values()
                .filter(|d| d.owner_idx == Some(o))
                .collect()
        };
        let f = figures(&config, q, &owned(a), Some((400.0, Some(600.0))));
        assert_eq!(f.won, 100.0);
        assert_eq!(f.gap, Some(300.0));
        assert_eq!((f.open_deals, f.open), (2, 500.0));
        assert_eq!(f.weighted, 200.0 * 0.9 + 300.0 * 0.6);
        assert_eq!(f.in_commit_stage, 200.0);
        // o2 slipped; o1 is at 90% with no economic buyer or champion.
        assert_eq!(f.red_deals, 2);
        let both = figures(&config, q, &[owned(a), owned(c)].concat(), None);
        assert_eq!((both.open, both.gap), (510.0, None));
    }
}

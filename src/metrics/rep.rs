//! Per-rep figures, and the same figures pooled for each team and for the
//! whole organisation: sums and counts are added up, and every ratio or
//! mean is recomputed from the pooled sums (never a mean of the reps'
//! ratios).

use super::deal::{DealMetrics, Risk};
use super::fiscal::FiscalYear;
use super::forecast::ForecastMetrics;
use super::json::{num, opt_num};
use super::ByNote;
use crate::model::{NoteData, NoteIdx, Site};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Open deals by risk.
#[derive(Serialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RiskCounts {
    pub red: u64,
    pub yellow: u64,
    pub green: u64,
}

impl RiskCounts {
    fn add(&mut self, other: &RiskCounts) {
        self.red += other.red;
        self.yellow += other.yellow;
        self.green += other.green;
    }
}

/// The figures of a rep, a team or the organisation; the serialized fields
/// are the spec's keys (`name` and `team` only per rep).
#[derive(Serialize, Debug, Clone, Default, PartialEq)]
pub struct RepMetrics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(serialize_with = "num")]
    pub quota: f64,
    #[serde(serialize_with = "num")]
    pub won_ytd: f64,
    #[serde(serialize_with = "opt_num")]
    pub quota_attainment: Option<f64>,
    pub won_deals: u64,
    pub lost_deals: u64,
    #[serde(serialize_with = "opt_num")]
    pub win_rate: Option<f64>,
    #[serde(serialize_with = "opt_num")]
    pub avg_deal_size: Option<f64>,
    #[serde(serialize_with = "opt_num")]
    pub sales_cycle_days: Option<f64>,
    pub open_deals: u64,
    #[serde(serialize_with = "num")]
    pub open_pipeline: f64,
    #[serde(serialize_with = "num")]
    pub weighted_pipeline: f64,
    #[serde(serialize_with = "opt_num")]
    pub pipeline_coverage: Option<f64>,
    pub risk: RiskCounts,
    #[serde(serialize_with = "opt_num")]
    pub forecast_error: Option<f64>,
    #[serde(serialize_with = "opt_num")]
    pub forecast_hit_rate: Option<f64>,
    /// Per rep: whole days (or null); team and org: a mean.
    #[serde(serialize_with = "opt_num")]
    pub ramp_days: Option<f64>,
    pub coaching_30d: u64,

    /// Sum of value of open deals closing on or before the FY's last day
    /// (the numerator of pipeline_coverage).
    #[serde(skip)]
    pub fy_pipeline: f64,
    /// Final forecasts with an error: the denominator of forecast_hit_rate.
    #[serde(skip)]
    pub forecasts_counted: u64,
    /// Number of reps pooled (1 for a rep).
    #[serde(skip)]
    pub rep_count: u64,
}

/// `n / d`, `None` when `d` is 0 or the result is not finite.
pub(crate) fn ratio(n: f64, d: f64) -> Option<f64> {
    if d == 0.0 {
        return None;
    }
    Some(n / d).filter(|x| x.is_finite())
}

/// Mean of `xs`, `None` when empty or not finite.
pub(crate) fn mean(xs: &[f64]) -> Option<f64> {
    ratio(xs.iter().sum(), xs.len() as f64)
}

/// The additive part of the figures: what pooling adds up.
#[derive(Debug, Clone, Default)]
struct Pool {
    quota: f64,
    won_ytd: f64,
    won_deals: u64,
    lost_deals: u64,
    cycle_days: f64,
    open_deals: u64,
    open_pipeline: f64,
    weighted_pipeline: f64,
    fy_pipeline: f64,
    risk: RiskCounts,
    coaching_30d: u64,
    reps: u64,
}

impl Pool {
    fn add(&mut self, o: &Pool) {
        self.quota += o.quota;
        self.won_ytd += o.won_ytd;
        self.won_deals += o.won_deals;
        self.lost_deals += o.lost_deals;
        self.cycle_days += o.cycle_days;
        self.open_deals += o.open_deals;
        self.open_pipeline += o.open_pipeline;
        self.weighted_pipeline += o.weighted_pipeline;
        self.fy_pipeline += o.fy_pipeline;
        self.risk.add(&o.risk);
        self.coaching_30d += o.coaching_30d;
        self.reps += o.reps;
    }

    fn add_deal(&mut self, d: &DealMetrics, fy: &FiscalYear, as_of: NaiveDate) {
        let in_fytd = d.closed_within(fy.start, as_of);
        if d.is_won {
            if in_fytd {
                self.won_ytd += d.amount();
                self.won_deals += 1;
                self.cycle_days += d.age_days as f64;
            }
        } else if d.is_lost {
            if in_fytd {
                self.lost_deals += 1;
            }
        } else {
            self.open_deals += 1;
            self.open_pipeline += d.amount();
            self.weighted_pipeline += d.weighted_value;
            if d.fy_close {
                self.fy_pipeline += d.amount();
            }
            match d.risk {
                Some(Risk::Red) => self.risk.red += 1,
                Some(Risk::Yellow) => self.risk.yellow += 1,
                Some(Risk::Green) => self.risk.green += 1,
                None => {}
            }
        }
    }

    /// The figures, with forecast keys over `forecasts` (those that count are
    /// picked here) and the given ramp_days.
    fn finish<'a>(
        &self,
        forecasts: impl Iterator<Item = &'a ForecastMetrics>,
        ramp_days: Option<f64>,
    ) -> RepMetrics {
        // forecast_error: over final forecasts with an error;
        // forecast_hit_rate: over final forecasts with a grade (every
        // final one, so a commit met by nothing closed is a miss).
        let mut errors = Vec::new();
        let mut graded = 0u64;
        let mut hits = 0u64;
        for f in forecasts.filter(|f| f.is_final) {
            errors.extend(f.error);
            if let Some(hit) = f.within_target {
                graded += 1;
                hits += u64::from(hit);
            }
        }
        let won = self.won_deals as f64;
        let lost = self.lost_deals as f64;
        let remaining = self.quota - self.won_ytd;
        RepMetrics {
            name: None,
            team: None,
            quota: self.quota,
            won_ytd: self.won_ytd,
            quota_attainment: ratio(self.won_ytd, self.quota),
            won_deals: self.won_deals,
            lost_deals: self.lost_deals,
            win_rate: ratio(won, won + lost),
            avg_deal_size: ratio(self.won_ytd, won),
            sales_cycle_days: ratio(self.cycle_days, won),
            open_deals: self.open_deals,
            open_pipeline: self.open_pipeline,
            weighted_pipeline: self.weighted_pipeline,
            pipeline_coverage: if remaining > 0.0 {
                ratio(self.fy_pipeline, remaining)
            } else {
                None
            },
            risk: self.risk,
            forecast_error: mean(&errors),
            forecast_hit_rate: ratio(hits as f64, graded as f64),
            ramp_days,
            coaching_30d: self.coaching_30d,
            fy_pipeline: self.fy_pipeline,
            forecasts_counted: graded,
            rep_count: self.reps,
        }
    }
}

/// A rep's ramp_days: days from `start` to the earliest close_date of the
/// rep's closed-won deals (any date).
fn ramp_days<'a>(start: NaiveDate, won: impl Iterator<Item = &'a DealMetrics>) -> Option<i64> {
    won.filter(|d| d.is_won)
        .filter_map(|d| d.close_date)
        .min()
        .map(|c| c.signed_duration_since(start).num_days())
}

/// Mean ramp_days over the reps (given as `(start_date, ramp_days)`) that
/// started `lo..=hi` days before `as_of` and have a ramp, and how many reps
/// that mean is over.
pub fn ramp_cohort(
    reps: impl Iterator<Item = (NaiveDate, Option<i64>)>,
    as_of: NaiveDate,
    lo: i64,
    hi: i64,
) -> (Option<f64>, u64) {
    let xs: Vec<f64> = reps
        .filter(|(start, _)| (lo..=hi).contains(&as_of.signed_duration_since(*start).num_days()))
        .filter_map(|(_, ramp)| ramp.map(|x| x as f64))
        .collect();
    (mean(&xs), xs.len() as u64)
}

/// One rep's inputs to pooling.
struct RepRow {
    idx: NoteIdx,
    id: String,
    name: String,
    team: String,
    start: NaiveDate,
    pool: Pool,
    ramp: Option<i64>,
}

/// Rep, team and org figures.
pub struct Grouped {
    pub reps: ByNote<RepMetrics>,
    pub teams: BTreeMap<String, RepMetrics>,
    pub org: RepMetrics,
    /// `(start_date, ramp_days)` of every valid rep, in site order.
    pub ramps: Vec<(NaiveDate, Option<i64>)>,
}

/// Team and org ramp_days: the mean over reps who started 0..=364 days
/// before `as_of`.
fn recent_ramp<'a>(rows: impl Iterator<Item = &'a RepRow>, as_of: NaiveDate) -> Option<f64> {
    ramp_cohort(rows.map(|r| (r.start, r.ramp)), as_of, 0, 364).0
}

/// Coaching interactions in the last 30 days, per resolved rep.
pub fn coaching_30d(site: &Site, as_of: NaiveDate) -> FxHashMap<NoteIdx, u64> {
    let mut coaching: FxHashMap<NoteIdx, u64> = FxHashMap::default();
    for note in site
        .notes
        .iter()
        .filter(|n| n.valid && n.kind.is_interaction())
    {
        if let NoteData::Interaction(i) = &note.data {
            if let Some(r) = i.rep.resolved {
                if (0..=29).contains(&as_of.signed_duration_since(i.date).num_days()) {
                    *coaching.entry(r).or_default() += 1;
                }
            }
        }
    }
    coaching
}

/// Figures for every valid rep, every team and the organisation, with the
/// coaching counts of [`coaching_30d`].
pub fn compute_reps(
    site: &Site,
    fy: &FiscalYear,
    as_of: NaiveDate,
    deals: &[&DealMetrics],
    forecasts: &[ForecastMetrics],
    coaching: &FxHashMap<NoteIdx, u64>,
) -> Grouped {
    // Each deal and forecast is looked at once: grouped by owner first, in
    // their original order (so sums add up in the same order).
    let mut deals_of: FxHashMap<NoteIdx, Vec<&DealMetrics>> = FxHashMap::default();
    for d in deals.iter().copied() {
        if let Some(o) = d.owner_idx {
            deals_of.entry(o).or_default().push(d);
        }
    }
    let mut forecasts_of_rep: FxHashMap<NoteIdx, Vec<usize>> = FxHashMap::default();
    let mut forecasts_of_team: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, f) in forecasts.iter().enumerate() {
        if let Some(r) = f.owner_rep {
            forecasts_of_rep.entry(r).or_default().push(i);
        }
        if let Some(t) = f.owner_team.as_deref() {
            forecasts_of_team.entry(t).or_default().push(i);
        }
    }
    let no_deals: Vec<&DealMetrics> = Vec::new();

    let mut rows: Vec<RepRow> = Vec::new();
    for (idx, note, rep) in site.reps() {
        let mine = deals_of.get(&idx).unwrap_or(&no_deals);
        let owned = || mine.iter().copied();
        let mut pool = Pool {
            quota: rep.quota,
            coaching_30d: coaching.get(&idx).copied().unwrap_or(0),
            reps: 1,
            ..Pool::default()
        };
        for d in owned() {
            pool.add_deal(d, fy, as_of);
        }
        rows.push(RepRow {
            idx,
            id: note.id.clone(),
            name: rep.name.clone(),
            team: rep.team.clone(),
            start: rep.start_date,
            pool,
            ramp: ramp_days(rep.start_date, owned()),
        });
    }

    let mut reps = ByNote::default();
    for row in &rows {
        let mine = forecasts_of_rep
            .get(&row.idx)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut m = row.pool.finish(
            mine.iter().map(|i| &forecasts[*i]),
            row.ramp.map(|x| x as f64),
        );
        m.name = Some(row.name.clone());
        m.team = Some(row.team.clone());
        reps.insert(row.idx, row.id.clone(), m);
    }

    let mut by_team: BTreeMap<&str, Vec<&RepRow>> = BTreeMap::new();
    for r in &rows {
        by_team.entry(r.team.as_str()).or_default().push(r);
    }
    let mut teams = BTreeMap::new();
    for (team, members) in by_team {
        let mut pool = Pool::default();
        for r in &members {
            pool.add(&r.pool);
        }
        // The team's own forecasts and its reps', in their original order.
        let mut mine: Vec<usize> = forecasts_of_team.get(team).cloned().unwrap_or_default();
        for r in &members {
            mine.extend(forecasts_of_rep.get(&r.idx).into_iter().flatten());
        }
        mine.sort_unstable();
        mine.dedup();
        let m = pool.finish(
            mine.iter().map(|i| &forecasts[*i]),
            recent_ramp(members.iter().copied(), as_of),
        );
        teams.insert(team.to_string(), m);
    }

    let mut pool = Pool::default();
    for r in &rows {
        pool.add(&r.pool);
    }
    let org = pool.finish(forecasts.iter(), recent_ramp(rows.iter(), as_of));

    let ramps = rows.iter().map(|r| (r.start, r.ramp)).collect();
    Grouped {
        reps,
        teams,
        org,
        ramps,
    }
}

#[cfg(test)]
mod tests;

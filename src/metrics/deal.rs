//! Per-deal figures: probability, weighted value, age, last activity,
//! MEDDPICC total and weakest element, and the red/yellow/green risk with
//! the sentences that explain it.

use super::fiscal::FiscalYear;
use super::json::{num, opt_num};
use super::ByNote;
use crate::config::Config;
use crate::model::{Deal, Note, NoteData, NoteIdx, Site, CHAMPION, ECONOMIC_BUYER, MEDDPICC};
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// The risk of an open deal.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Red,
    Yellow,
    Green,
}

impl Risk {
    /// `red`, `yellow` or `green`.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Red => "red",
            Risk::Yellow => "yellow",
            Risk::Green => "green",
        }
    }
}

/// The figures of one deal; the serialized fields are its `metrics.json` entry.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DealMetrics {
    /// The owning rep's id; `null` when the owner reference is unresolved.
    pub owner: Option<String>,
    pub stage: String,
    /// `null` for an open deal with no value yet.
    #[serde(serialize_with = "opt_num")]
    pub value: Option<f64>,
    /// Percent: the deal's own probability, else its stage's (0 for an
    /// unknown stage).
    #[serde(serialize_with = "num")]
    pub probability: f64,
    #[serde(serialize_with = "num")]
    pub weighted_value: f64,
    pub age_days: i64,
    pub last_activity: NaiveDate,
    pub meddpicc_total: u32,
    /// `null` for closed deals.
    pub risk: Option<Risk>,

    /// Index of the deal note in [`Site::notes`].
    #[serde(skip)]
    pub note: NoteIdx,
    /// Index of the owner note, when the reference resolved.
    #[serde(skip)]
    pub owner_idx: Option<NoteIdx>,
    #[serde(skip)]
    pub created: NaiveDate,
    /// `None` for an open deal with no expected close date yet.
    #[serde(skip)]
    pub close_date: Option<NaiveDate>,
    /// One sentence per condition that holds: red conditions first, then
    /// yellow ones. Empty for green and closed deals.
    #[serde(skip)]
    pub risk_reasons: Vec<String>,
    /// Index into [`MEDDPICC`] of the lowest score (ties: the first).
    #[serde(skip)]
    pub weakest_element: usize,
    #[serde(skip)]
    pub is_open: bool,
    #[serde(skip)]
    pub is_won: bool,
    #[serde(skip)]
    pub is_lost: bool,
    /// Open, with close_date on or before the last day of the fiscal year.
    #[serde(skip)]
    pub fy_close: bool,
}

impl DealMetrics {
    /// The value in sums: 0 for an open deal with no value yet.
    pub fn amount(&self) -> f64 {
        self.value.unwrap_or(0.0)
    }

    /// Closed (won or lost) with its close date in `start..=end`.
    pub fn closed_within(&self, start: NaiveDate, end: NaiveDate) -> bool {
        !self.is_open && self.close_date.is_some_and(|c| start <= c && c <= end)
    }
}

/// Formats a number for a sentence: `60`, `62.5`.
pub fn fmt_num(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// `economic_buyer` -> `economic buyer`.
pub fn element_label(key: &str) -> String {
    key.replace('_', " ")
}

/// A deal's probability (percent): its own, else its stage's, else 0.
pub fn probability(deal: &Deal, config: &Config) -> f64 {
    deal.probability
        .or_else(|| config.stage_probability(&deal.stage))
        .unwrap_or(0.0)
}

/// Index into [`MEDDPICC`] of the lowest score; ties go to the first.
pub fn weakest_element(deal: &Deal) -> usize {
    let mut best = 0;
    for (i, e) in deal.meddpicc.iter().enumerate() {
        if e.score < deal.meddpicc[best].score {
            best = i;
        }
    }
    best
}

/// The risk of an open deal and the sentences explaining each condition
/// that holds (red ones first).
pub fn assess_risk(
    deal: &Deal,
    prob: f64,
    last_activity: NaiveDate,
    as_of: NaiveDate,
    stale_days: i64,
) -> (Risk, Vec<String>) {
    let mut red = Vec::new();
    if let Some(close) = deal.close_date.filter(|c| *c < as_of) {
        red.push(format!("Close date {close} has passed (slipped)"));
    }
    if prob >= 60.0 {
        for i in [ECONOMIC_BUYER, CHAMPION] {
            let score = deal.meddpicc[i].score;
            if score < 2 {
                red.push(format!(
                    "Probability {}% but {} scores {} (needs 2)",
                    fmt_num(prob),
                    element_label(MEDDPICC[i]),
                    score
                ));
            }
        }
    }
    let idle = as_of.signed_duration_since(last_activity).num_days();
    if idle > stale_days {
        red.push(format!(
            "No activity for {idle} days (stale after {stale_days})"
        ));
    }

    let mut yellow = Vec::new();
    if deal.value.is_none() {
        yellow.push("No value yet: it counts as 0 in every pipeline figure".to_string());
    }
    if deal.close_date.is_none() {
        yellow.push(
            "No expected close date: it can never slip and is not in this year's coverage"
                .to_string(),
        );
    }
    let total = deal.meddpicc_total();
    if total < 16 {
        yellow.push(format!("MEDDPICC total {total} of 24 (below 16)"));
    }
    if prob >= 40.0 {
        // The labels joined with ", " (one string: this runs for every
        // open deal on every save in `serve`).
        let mut unknown = String::new();
        for (_, k) in (deal.meddpicc.iter().zip(MEDDPICC)).filter(|(e, _)| e.score == 0) {
            if !unknown.is_empty() {
                unknown.push_str(", ");
            }
            unknown.extend(k.chars().map(|c| if c == '_' { ' ' } else { c }));
        }
        if !unknown.is_empty() {
            yellow.push(format!(
                "Probability {}% with unknown elements: {unknown}",
                fmt_num(prob),
            ));
        }
    }

    let risk = if !red.is_empty() {
        Risk::Red
    } else if !yellow.is_empty() {
        Risk::Yellow
    } else {
        Risk::Green
    };
    red.extend(yellow);
    (risk, red)
}

/// The latest date of the valid interactions and preps on each deal.
pub fn last_activity_dates(site: &Site) -> FxHashMap<NoteIdx, NaiveDate> {
    let mut out: FxHashMap<NoteIdx, NaiveDate> = FxHashMap::default();
    for note in site.notes.iter().filter(|n| n.valid) {
        let date = match &note.data {
            NoteData::Interaction(i) if note.kind.is_interaction() => i.date,
            NoteData::Prep(p) => p.date,
            _ => continue,
        };
        if let Some(idx) = note.deal_ref().and_then(|r| r.resolved) {
            let e = out.entry(idx).or_insert(date);
            if date > *e {
                *e = date;
            }
        }
    }
    out
}

/// The figures of every valid deal, by note (in site order), with the
/// last activity of each deal (from [`last_activity_dates`]). Each deal's
/// figures are its own, so they are made in parallel (the risk sentences
/// are most of the work).
pub fn compute_deals(
    site: &Site,
    config: &Config,
    fy: &FiscalYear,
    as_of: NaiveDate,
    activity: &FxHashMap<NoteIdx, NaiveDate>,
) -> ByNote<DealMetrics> {
    let deals: Vec<(NoteIdx, &Note, &Deal)> = site.deals().collect();
    let entries = deals
        .into_par_iter()
        .map(|(idx, note, deal)| {
            let owner_idx = deal.owner.resolved;
            let owner = owner_idx
                .and_then(|i| site.notes.get(i))
                .map(|n| n.id.clone());
            let prob = probability(deal, config);
            let is_won = deal.is_won();
            let is_lost = deal.is_lost();
            let is_open = !is_won && !is_lost;
            let weighted_value = if is_open {
                deal.value_or_zero() * prob / 100.0
            } else if is_won {
                deal.value_or_zero()
            } else {
                0.0
            };
            // A closed deal always has its close date (the loader requires it).
            let age_days = match deal.close_date.filter(|_| !is_open) {
                Some(close) => close.signed_duration_since(deal.created).num_days(),
                None => as_of.signed_duration_since(deal.created).num_days(),
            };
            let last_activity = activity.get(&idx).copied().unwrap_or(deal.created);
            let (risk, risk_reasons) = if is_open {
                let (r, reasons) = assess_risk(deal, prob, last_activity, as_of, config.stale_days);
                (Some(r), reasons)
            } else {
                (None, Vec::new())
            };
            let m = DealMetrics {
                owner,
                stage: deal.stage.clone(),
                value: deal.value,
                probability: prob,
                weighted_value,
                age_days,
                last_activity,
                meddpicc_total: deal.meddpicc_total(),
                risk,
                note: idx,
                owner_idx,
                created: deal.created,
                close_date: deal.close_date,
                risk_reasons,
                weakest_element: weakest_element(deal),
                is_open,
                is_won,
                is_lost,
                fy_close: is_open && deal.close_date.is_some_and(|c| c <= fy.end),
            };
            (idx, (note.id.clone(), m))
        })
        .collect();
    ByNote::from_sorted(entries)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use super::*;

    fn one(b: SiteBuilder, config: &Config, as_of: &str) -> DealMetrics {
        let site = b.build();
        let m = compute(&site, config, d(as_of));
        assert_eq!(m.deals.len(), 1);
        m.deals.into_by_id().into_values().next().unwrap()
    }

    /// A deal that is green on 2026-11-25: scores all 2 (total 16),
    /// future close date, recent activity.
    fn green(b: &mut SiteBuilder, owner: Option<NoteIdx>) -> NoteIdx {
        let i = b.deal("g", owner, 240000.0, "proposal", "2026-11-01", "2026-12-12");
        b.scores(i, [2; 8]);
        i
    }

    #[test]
    fn open_deal_figures() {
        let mut b = SiteBuilder::new();
        let r = b.rep("dana", "East", "2026-01-01", 1.0);
        let i = green(&mut b, Some(r));
        b.prep("p", Some(i), "2026-11-20");
        b.interaction("c1", Kind::Call, Some(r), Some(i), "2026-11-10");
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.owner.as_deref(), Some("dana"));
        assert_eq!(m.probability, 60.0);
        assert_eq!(m.weighted_value, 144000.0);
        assert_eq!(m.age_days, 24);
        assert_eq!(m.last_activity, d("2026-11-20"));
        assert_eq!(m.meddpicc_total, 16);
        assert_eq!(m.risk, Some(Risk::Green));
        assert!(m.risk_reasons.is_empty());
        assert!(m.is_open && m.fy_close);
    }

    #[test]
    fn closed_deals() {
        let mut b = SiteBuilder::new();
        b.deal("w", None, 1000.0, CLOSED_WON, "2026-01-01", "2026-03-02");
        let l = b.deal("l", None, 500.0, CLOSED_LOST, "2026-01-01", "2026-01-11");
        b.deal_mut(l).probability = Some(30.0);
        let site = b.build();
        let m = compute(&site, &Config::default(), d("2026-11-25"));
        let (w, l) = (&m.deals["w"], &m.deals["l"]);
        assert_eq!(
            (w.probability, w.weighted_value, w.age_days),
            (100.0, 1000.0, 60)
        );
        assert_eq!(
            (l.probability, l.weighted_value, l.age_days),
            (30.0, 0.0, 10)
        );
        assert_eq!((w.risk, l.risk), (None, None));
        assert!(w.risk_reasons.is_empty());
        assert!(!w.is_open && w.is_won && l.is_lost && !l.fy_close);
        assert_eq!(w.owner, None);
    }

    #[test]
    fn probability_sources() {
        let config = Config {
            stages: vec![("lead".into(), 5.0), ("verbal".into(), 85.0)],
            ..Config::default()
        };
        let mut b = SiteBuilder::new();
        b.deal("a", None, 1000.0, "verbal", "2026-11-01", "2026-12-01");
        b.deal("b", None, 1000.0, "mystery", "2026-11-01", "2026-12-01");
        let c = b.deal("c", None, 1000.0, "lead", "2026-11-01", "2026-12-01");
        b.deal_mut(c).probability = Some(33.0);
        // A default stage that the custom config does not have.
        b.deal("d", None, 1000.0, "proposal", "2026-11-01", "2026-12-01");
        let site = b.build();
        let m = compute(&site, &config, d("2026-11-25"));
        assert_eq!(m.deals["a"].probability, 85.0);
        assert_eq!(m.deals["a"].weighted_value, 850.0);
        assert_eq!(m.deals["b"].probability, 0.0);
        assert_eq!(m.deals["b"].weighted_value, 0.0);
        assert_eq!(m.deals["c"].probability, 33.0);
        assert_eq!(m.deals["c"].weighted_value, 330.0);
        assert_eq!(m.deals["d"].probability, 0.0);
    }

    #[test]
    fn last_activity_rules() {
        let mut b = SiteBuilder::new();
        let r = b.rep("r", "T", "2026-01-01", 1.0);
        let i = b.deal("x", Some(r), 1.0, "discovery", "2026-06-01", "2026-12-31");
        // Invalid notes do not count; notes in the future do (the latest date).
        let late = b.interaction("late", Kind::Debrief, Some(r), Some(i), "2026-12-05");
        b.invalidate(late);
        b.interaction("fut", Kind::Coaching, Some(r), Some(i), "2026-12-01");
        b.prep("p", Some(i), "2026-07-01");
        // Unresolved deal refs do not count.
        b.prep("q", None, "2026-11-24");
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.last_activity, d("2026-12-01"));

        let mut b = SiteBuilder::new();
        b.deal("x", None, 1.0, "discovery", "2026-06-01", "2026-12-31");
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.last_activity, d("2026-06-01"));

        // The latest note date counts even when it is before `created`.
        let mut b = SiteBuilder::new();
        let i = b.deal("x", None, 1.0, "discovery", "2026-06-01", "2026-12-31");
        b.prep("p", Some(i), "2026-05-20");
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.last_activity, d("2026-05-20"));
        assert_eq!(m.age_days, 177);
    }

    #[test]
    fn an_open_deal_may_lack_value_and_close_date() {
        // No value: counts as 0, yellow, `value` null in metrics.json.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).value = None;
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!((m.value, m.weighted_value, m.amount()), (None, 0.0, 0.0));
        assert_eq!(m.risk, Some(Risk::Yellow));
        assert_eq!(
            m.risk_reasons,
            ["No value yet: it counts as 0 in every pipeline figure"]
        );
        // No close date: never slipped, not in the FY, yellow.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).close_date = None;
        let m = one(b, &Config::default(), "2030-01-01");
        assert!(m.is_open && !m.fy_close);
        assert_eq!(m.risk, Some(Risk::Red), "stale by then, not slipped");
        assert!(m.risk_reasons.iter().all(|r| !r.contains("slipped")));
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).close_date = None;
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Yellow));
    }

    #[test]
    fn risk_slipped() {
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).close_date = Some(d("2026-11-24"));
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Red));
        assert_eq!(
            m.risk_reasons,
            ["Close date 2026-11-24 has passed (slipped)"]
        );
        // Closing today is not slipped.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).close_date = Some(d("2026-11-25"));
        assert_eq!(
            one(b, &Config::default(), "2026-11-25").risk,
            Some(Risk::Green)
        );
    }

    #[test]
    fn risk_stale() {
        // created 2026-10-25: 31 days idle > 30 is red; 30 days is not.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).created = d("2026-10-25");
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Red));
        assert_eq!(m.risk_reasons, ["No activity for 31 days (stale after 30)"]);
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).created = d("2026-10-26");
        assert_eq!(
            one(b, &Config::default(), "2026-11-25").risk,
            Some(Risk::Green)
        );
        // A custom stale_days.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.deal_mut(i).created = d("2026-11-15");
        let config = Config {
            stale_days: 5,
            ..Config::default()
        };
        let m = one(b, &config, "2026-11-25");
        assert_eq!(m.risk_reasons, ["No activity for 10 days (stale after 5)"]);
    }

    #[test]
    fn risk_economic_buyer_and_champion() {
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [3, 1, 3, 3, 3, 3, 2, 3]);
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Red));
        assert_eq!(
            m.risk_reasons,
            ["Probability 60% but economic buyer scores 1 (needs 2)"]
        );
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [3, 3, 3, 3, 3, 3, 1, 3]);
        b.deal_mut(i).probability = Some(62.5);
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(
            m.risk_reasons,
            ["Probability 62.5% but champion scores 1 (needs 2)"]
        );
        // Below 60% the same scores are not red.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [3, 1, 3, 3, 3, 3, 1, 3]);
        b.deal_mut(i).stage = "solution".into();
        assert_eq!(
            one(b, &Config::default(), "2026-11-25").risk,
            Some(Risk::Green)
        );
    }

    #[test]
    fn risk_low_total() {
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [2, 2, 2, 2, 2, 2, 2, 1]);
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Yellow));
        assert_eq!(m.risk_reasons, ["MEDDPICC total 15 of 24 (below 16)"]);
    }

    #[test]
    fn risk_unknown_element() {
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [3, 3, 3, 3, 0, 3, 3, 0]);
        b.deal_mut(i).stage = "solution".into();
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Yellow));
        assert_eq!(
            m.risk_reasons,
            ["Probability 40% with unknown elements: paper process, competition"]
        );
        assert_eq!(m.weakest_element, 4);
        // At 20% a zero element alone is fine.
        let mut b = SiteBuilder::new();
        let i = green(&mut b, None);
        b.scores(i, [3, 3, 3, 3, 0, 3, 3, 3]);
        b.deal_mut(i).stage = "discovery".into();
        assert_eq!(
            one(b, &Config::default(), "2026-11-25").risk,
            Some(Risk::Green)
        );
    }

    #[test]
    fn red_lists_yellow_reasons_after_red_ones() {
        let mut b = SiteBuilder::new();
        let i = b.deal("x", None, 1.0, "proposal", "2026-10-01", "2026-11-01");
        b.scores(i, [0, 1, 0, 0, 0, 0, 0, 0]);
        let m = one(b, &Config::default(), "2026-11-25");
        assert_eq!(m.risk, Some(Risk::Red));
        assert_eq!(
            m.risk_reasons,
            [
                "Close date 2026-11-01 has passed (slipped)",
                "Probability 60% but economic buyer scores 1 (needs 2)",
                "Probability 60% but champion scores 0 (needs 2)",
                "No activity for 55 days (stale after 30)",
                "MEDDPICC total 1 of 24 (below 16)",
                "Probability 60% with unknown elements: metrics, decision criteria, \
                 decision process, paper process, identify pain, champion, competition",
            ]
        );
        assert_eq!(m.weakest_element, 0);
    }

    #[test]
    fn weakest_ties_go_first() {
        let mut b = SiteBuilder::new();
        let i = b.deal("x", None, 1.0, "proposal", "2026-10-01", "2026-11-01");
        b.scores(i, [3, 2, 1, 3, 1, 2, 3, 3]);
        assert_eq!(one(b, &Config::default(), "2026-11-25").weakest_element, 2);
    }
}

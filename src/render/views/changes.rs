//! `/changes/`: what changed since `since` (the contract's fourth edition,
//! "History"), grouped by team and rep, and the waterfall of the current
//! fiscal quarter (also on the forecast page). Without history the page
//! says why and how to fix it.

use super::common::{label, money_unit, NoteLink};
use super::{Cx, View};
use crate::metrics::changes::{ChangeKind, DealChange, History, Side, Waterfall};
use crate::model::{Kind, NoteIdx};
use crate::render::charts::{waterfall_chart, ChartSpec, Step};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

mod deal_log;
mod prep_moved;
mod since;
mod trend;
pub use deal_log::*;
pub use prep_moved::*;
pub use since::*;
pub use trend::*;

/// One change of one deal, as a row.
#[derive(Serialize)]
struct ChangeRow {
    deal: String,
    /// The deal's page (none for a removed deal).
    url: Option<String>,
    id: String,
    /// The kind's key (`new`, `won`, `stage`, `slipped`...).
    change: &'static str,
    /// The change for people: "Moved forward a stage", "Slipped"...
    what: String,
    /// `up`, `down` or `""`: whether the change is good for the pipeline.
    tone: &'static str,
    from: Option<String>,
    to: Option<String>,
    owner: Option<NoteLink>,
    /// The owner's name when it is not a rep now (a removed deal's owner
    /// as of the snapshot).
    owner_name: Option<String>,
    /// The owner's id (the filter's key; empty when unknown).
    owner_id: String,
    team: Option<String>,
    /// The deal was removed: owner and team are as of the snapshot.
    then: bool,
}

/// A rep's changes (or those of deals with no known owner).
#[derive(Serialize)]
struct RepGroup {
    name: String,
    url: Option<String>,
    changes: Vec<ChangeRow>,
}

/// A team's changes, rep by rep.
#[derive(Serialize)]
struct TeamGroup {
    name: String,
    url: Option<String>,
    count: usize,
    reps: Vec<RepGroup>,
}

/// How many changes of one kind.
#[derive(Serialize)]
struct Count {
    change: &'static str,
    label: &'static str,
    count: usize,
}

/// The waterfall's buckets, in the table's order, and its chart.
#[derive(Serialize)]
pub struct WaterfallView {
    period: String,
    start: f64,
    created: f64,
    pulled_in: f64,
    value_change: f64,
    won: f64,
    lost: f64,
    removed: f64,
    pushed_out: f64,
    end: f64,
    /// `start + created + pulled_in + value_change - won - lost - removed
    /// - pushed_out == end`.
    reconciles: bool,
    chart: String,
}

#[derive(Serialize)]
struct ChangesPage {
    /// The comparison date (also without history: the date asked for).
    since: Option<String>,
    /// Whether there is a comparison.
    available: bool,
    /// Why there is none, and how to fix it (without history).
    reason: Option<String>,
    /// The snapshot's commit (short).
    commit: Option<String>,
    total: usize,
    counts: Vec<Count>,
    teams: Vec<TeamGroup>,
    waterfall: Option<WaterfallView>,
}

const KINDS: [(ChangeKind, &str, &str); 8] = [
    (ChangeKind::New, "new", "New"),
    (ChangeKind::Won, "won", "Won"),
    (ChangeKind::Lost, "lost", "Lost"),
    (ChangeKind::Removed, "removed", "Removed"),
    (ChangeKind::Stage, "stage", "Changed stage"),
    (ChangeKind::Slipped, "slipped", "Slipped"),
    (ChangeKind::PulledIn, "pulled_in", "Pulled in"),
    (ChangeKind::Value, "value", "Changed value"),
];

fn kind_key(k: ChangeKind) -> (&'static str, &'static str) {
    KINDS
        .iter()
        .find(|(c, _, _)| *c == k)
        .map_or(("", ""), |(_, key, l)| (*key, *l))
}

fn side_text(cx: &Cx, s: &Option<Side>) -> Option<String> {
    Some(match s.as_ref()? {
        Side::Stage(t) => label(t),
        Side::Date(d) => d.to_string(),
        Side::Value(v) => {
            let symbol = crate::render::format::currency_symbol(&cx.config().currency);
            crate::render::format::money(*v, &symbol)
        }
    })
}

/// The position of a stage in the configured order (closed stages last).
fn stage_rank(cx: &Cx, stage: &str) -> Option<usize> {
    cx.config().stages.iter().position(|(s, _)| s == stage)
}

/// The change for people, and whether it is good (`up`) or bad (`down`)
/// for the pipeline.
fn describe(cx: &Cx, c: &DealChange) -> (String, &'static str) {
    let (_, l) = kind_key(c.change);
    match (c.change, &c.from, &c.to) {
        (ChangeKind::Stage, Some(Side::Stage(a)), Some(Side::Stage(b))) => {
            match (stage_rank(cx, a), stage_rank(cx, b)) {
                (Some(x), Some(y)) if y > x => ("Moved forward a stage".into(), "up"),
                (Some(x), Some(y)) if y < x => ("Moved back a stage".into(), "down"),
                _ => (l.into(), ""),
            }
        }
        (ChangeKind::Value, Some(Side::Value(a)), Some(Side::Value(b))) => {
            let (a, b) = (a.unwrap_or(0.0), b.unwrap_or(0.0));
            if b > a {
                ("Value up".into(), "up")
            } else {
                ("Value down".into(), "down")
            }
        }
        (ChangeKind::New | ChangeKind::Won | ChangeKind::PulledIn, _, _) => (l.into(), "up"),
        (ChangeKind::Lost | ChangeKind::Removed | ChangeKind::Slipped, _, _) => (l.into(), "down"),
        _ => (l.into(), ""),
    }
}

const NO_TEAM: &str = "No team";
const NO_OWNER: &str = "No owner";

/// The deal notes by id, with their owner and the owner's team.
fn deals_by_id(cx: &Cx) -> HashMap<String, NoteIdx> {
    cx.of_kinds(&[Kind::Deal])
        .into_iter()
        .filter(|(_, n)| n.valid)
        .map(|(i, n)| (n.id.clone(), i))
        .collect()
}

fn rows(cx: &Cx, all: &crate::metrics::changes::Changes) -> Vec<TeamGroup> {
    let deals = &all.deals;
    let by_id = deals_by_id(cx);
    let reps_by_id: HashMap<&str, NoteIdx> = cx
        .of_kinds(&[Kind::Rep])
        .into_iter()
        .filter(|(_, n)| n.valid)
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // team -> rep name -> (rep url, rows)
    type Reps = BTreeMap<String, (Option<String>, Vec<ChangeRow>)>;
    let mut teams: BTreeMap<String, Reps> = BTreeMap::new();
    for c in deals {
        let note = by_id.get(&c.deal).copied();
        let n = note.map(|i| cx.note(i));
        // A removed deal: its owner and team as the snapshot said (the
        // rep's page now, if the rep is still in the notes).
        let old = n
            .is_none()
            .then(|| all.removed_owners.get(&c.deal))
            .flatten();
        let owner_idx = match old {
            Some(o) => o.rep_id.as_deref().and_then(|r| reps_by_id.get(r).copied()),
            None => n.and_then(|n| n.deal()).and_then(|d| d.owner.resolved),
        };
        let owner = owner_idx.map(|o| cx.link(o));
        let owner_name = match (old, &owner) {
            (Some(o), None) if !o.name.is_empty() => Some(o.name.clone()),
            _ => None,
        };
        let owner_id = match old {
            Some(o) => o.rep_id.clone().unwrap_or_default(),
            None => owner.as_ref().map(|o| o.id.clone()).unwrap_or_default(),
        };
        let team = match old {
            Some(o) => Some(o.team.clone()),
            None => owner_idx.and_then(|o| cx.note(o).rep().map(|r| r.team.clone())),
        }
        .filter(|t| !t.is_empty());
        let (what, tone) = describe(cx, c);
        let row = ChangeRow {
            deal: n.map_or_else(|| c.deal.clone(), |n| n.title.clone()),
            url: n.map(|n| cx.note_url(n)),
            id: c.deal.clone(),
            change: kind_key(c.change).0,
            what,
            tone,
            from: side_text(cx, &c.from),
            to: side_text(cx, &c.to),
            owner: owner.clone(),
            owner_name: owner_name.clone(),
            owner_id,
            team: team.clone(),
            then: old.is_some(),
        };
        let rep_name = owner
            .as_ref()
            .map(|o| o.title.clone())
            .or(owner_name)
            .unwrap_or_else(|| NO_OWNER.to_string());
        let e = teams
            .entry(team.unwrap_or_else(|| NO_TEAM.to_string()))
            .or_default()
            .entry(rep_name)
            .or_insert_with(|| (owner.map(|o| o.url), Vec::new()));
        e.1.push(row);
    }
    let known = cx.teams();
    teams
        .into_iter()
        .map(|(team, reps)| TeamGroup {
            url: known.contains_key(&team).then(|| cx.team_url(&team)),
            count: reps.values().map(|(_, v)| v.len()).sum(),
            name: team,
            reps: reps
                .into_iter()
                .map(|(name, (url, changes))| RepGroup { name, url, changes })
                .collect(),
        })
        .collect()
}

/// The waterfall's steps, in the contract's order.
pub fn waterfall_steps(w: &Waterfall) -> Vec<Step> {
    let d = |l: &str, v: f64| Step::Delta {
        label: l.into(),
        value: v,
    };
    vec![
        Step::Total {
            label: "Start".into(),
            value: w.start,
        },
        d("Created", w.created),
        d("Pulled in", w.pulled_in),
        d("Value change", w.value_change),
        d("Won", -w.won),
        d("Lost", -w.lost),
        d("Removed", -w.removed),
        d("Pushed out", -w.pushed_out),
        Step::Total {
            label: "End".into(),
            value: w.end,
        },
    ]
}

/// The waterfall of the current quarter (`id`: the chart's DOM id), when
/// there is a comparison.
pub fn waterfall_view(cx: &Cx, id: &str) -> Option<WaterfallView> {
    let c = cx.history().changes()?;
    let w = &c.waterfall;
    let title = format!("Pipeline waterfall, {}", w.period);
    let description = format!(
        "How the open pipeline closing in {} moved from {} to {}: created, pulled in and value changes add to it; won, lost, removed and pushed-out deals leave it.",
        w.period, c.since, cx.as_of()
    );
    let spec = ChartSpec {
        id,
        title: &title,
        description: &description,
        unit: money_unit(cx),
        target: None,
        value_label: "Change",
        secondary_label: None,
    };
    Some(WaterfallView {
        period: w.period.clone(),
        start: w.start,
        created: w.created,
        pulled_in: w.pulled_in,
        value_change: w.value_change,
        won: w.won,
        lost: w.lost,
        removed: w.removed,
        pushed_out: w.pushed_out,
        end: w.end,
        reconciles: (w.reconciled_end() - w.end).abs() < 0.005,
        chart: waterfall_chart(&spec, &waterfall_steps(w)),
    })
}

pub fn changes_page(cx: &Cx) -> View {
    let h = cx.history();
    let data = match h {
        History::Compared(c) => {
            let counts = KINDS
                .iter()
                .map(|(k, key, l)| Count {
                    change: key,
                    label: l,
                    count: c.deals.iter().filter(|d| d.change == *k).count(),
                })
                .filter(|c| c.count > 0)
                .collect();
            ChangesPage {
                since: Some(c.since.to_string()),
                available: true,
                reason: None,
                commit: Some(c.commit.chars().take(12).collect()),
                total: c.deals.len(),
                counts,
                teams: rows(cx, c),
                waterfall: waterfall_view(cx, "waterfall"),
            }
        }
        History::Unavailable { since, reason } => ChangesPage {
            since: Some(since.to_string()),
            available: false,
            reason: Some(reason.explain(*since)),
            commit: None,
            total: 0,
            counts: Vec::new(),
            teams: Vec::new(),
            waterfall: None,
        },
        History::NotRead => ChangesPage {
            since: None,
            available: false,
            reason: Some("this build did not read the git history".into()),
            commit: None,
            total: 0,
            counts: Vec::new(),
            teams: Vec::new(),
            waterfall: None,
        },
    };
    View::new("changes.html", "What changed", "Changes", "changes/", &data)
}

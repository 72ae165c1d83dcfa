//! What changed between the snapshot at `since` and now (the contract's
//! fourth edition, "History"): the deal changes, the waterfall of the
//! fiscal quarter containing `as_of`, and the organisation's figures then.
//! Pure functions over two [`Site`]s; reading the snapshot out of git is
//! `crate::history`'s job.

use super::json::num;
use super::{fiscal, RepMetrics};
use crate::config::Config;
use crate::model::{Deal, Site};
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// `metrics.json`'s `changes`: a comparison, or `null` (with the reason,
/// for the pages) when there is no history to compare with.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum History {
    /// History was not looked at (a build that computes no comparison).
    #[default]
    NotRead,
    /// No snapshot at `since`, and why.
    Unavailable {
        since: NaiveDate,
        reason: NoHistory,
    },
    Compared(Box<Changes>),
}

impl History {
    pub fn changes(&self) -> Option<&Changes> {
        match self {
            History::Compared(c) => Some(c),
            _ => None,
        }
    }
}

impl Serialize for History {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            History::Compared(c) => c.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// Why there is no snapshot to compare with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHistory {
    /// The site folder is not inside a git repository (with a work tree).
    NoRepository,
    /// The repository has no commit yet.
    NoCommits,
    /// Every commit on HEAD's first-parent chain is later than `since`;
    /// `first` is the date of the oldest one.
    StartsAfter { first: NaiveDate },
    /// A shallow clone whose oldest commit (dated `oldest`) is later than
    /// `since`.
    Shallow { oldest: NaiveDate },
    /// The repository could not be read.
    Unreadable(String),
}

impl NoHistory {
    /// One sentence saying why, and how to fix it.
    pub fn explain(&self, since: NaiveDate) -> String {
        match self {
            NoHistory::NoRepository => {
                "the site is not in a git repository: commit content/ to git to compare with an earlier date".to_string()
            }
            NoHistory::NoCommits => {
                "the git repository has no commit yet: commit content/ to compare with an earlier date".to_string()
            }
            NoHistory::StartsAfter { first } => format!(
                "the git history starts on {first}, after {since}: pass a later --since, or wait until the history covers it"
            ),
            NoHistory::Shallow { oldest } => format!(
                "the clone is shallow and its oldest commit is from {oldest}, after {since}: clone the full history (`fetch-depth: 0` in GitHub Actions)"
            ),
            NoHistory::Unreadable(e) => format!("the git repository could not be read: {e}"),
        }
    }
}

/// The comparison between the snapshot at `since` and now.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Changes {
    pub since: NaiveDate,
    /// The full id of the snapshot's commit.
    pub commit: String,
    /// Sorted by deal id, then by [`ChangeKind`] order.
    pub deals: Vec<DealChange>,
    pub waterfall: Waterfall,
    /// The organisation's figures over the snapshot, as of `since`.
    pub org_then: RepMetrics,
    /// Each team's figures over the snapshot, by team (for the pages'
    /// deltas; not part of `metrics.json`).
    #[serde(skip)]
    pub teams_then: BTreeMap<String, RepMetrics>,
    /// Each rep's figures over the snapshot, by rep id (as `teams_then`).
    #[serde(skip)]
    pub reps_then: BTreeMap<String, RepMetrics>,
    /// The owner of each removed deal as of the snapshot, by deal id (for
    /// the pages; not part of `metrics.json`).
    #[serde(skip)]
    pub removed_owners: BTreeMap<String, OldOwner>,
    /// Each deal's history over the commits read, by deal id (for the
    /// deal pages; not part of `metrics.json`).
    #[serde(skip)]
    pub log: DealLog,
    /// The weekly trend figures (for the pages; not part of
    /// `metrics.json`).
    #[serde(skip)]
    pub trends: Trends,
    /// Each deal's risk and close date at the dates of reps' last
    /// one-to-ones (for the prep sheets; not part of `metrics.json`).
    #[serde(skip)]
    pub at_dates: BTreeMap<NaiveDate, BTreeMap<String, DealThen>>,
}

/// A removed deal's owner, as the snapshot's note said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OldOwner {
    /// The owner rep's id and name (when the reference resolved then).
    pub rep_id: Option<String>,
    pub name: String,
    /// The owner's team then (empty when unknown).
    pub team: String,
}

/// One field of a deal that a commit changed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// `stage`, `value`, `close_date`, `probability`, `meddpicc` or
    /// `next_step`.
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One commit that changed a deal.
#[derive(Debug, Clone, PartialEq)]
pub struct DealEvent {
    /// The commit's date (committer, UTC) and full id.
    pub date: NaiveDate,
    pub commit: String,
    pub fields: Vec<FieldChange>,
}

/// Every deal's history on HEAD's first-parent chain, within a window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DealLog {
    /// The date of the oldest commit compared (the window's start).
    pub from: Option<NaiveDate>,
    /// Commits read (pairs diffed + 1).
    pub commits: usize,
    /// Whether older commits exist that were not read (the window's cap).
    pub capped: bool,
    /// By deal id, newest first.
    pub deals: BTreeMap<String, Vec<DealEvent>>,
}

/// The trend figures of one organisation, team or rep at one date.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TrendFigures {
    pub open_pipeline: f64,
    pub weighted_pipeline: f64,
    pub won_ytd: f64,
    pub pipeline_coverage: Option<f64>,
}

impl TrendFigures {
    pub fn of(m: &RepMetrics) -> TrendFigures {
        TrendFigures {
            open_pipeline: m.open_pipeline,
            weighted_pipeline: m.weighted_pipeline,
            won_ytd: m.won_ytd,
            pipeline_coverage: m.pipeline_coverage,
        }
    }
}

/// One weekly point of the trends: the figures at `date` (the snapshot
/// at that date, measured as of it; the last point is now).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub org: TrendFigures,
    pub teams: BTreeMap<String, TrendFigures>,
    /// By rep id.
    pub reps: BTreeMap<String, TrendFigures>,
}

/// The weekly trends, oldest first (dates before the history starts are
/// left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trends {
    pub points: Vec<TrendPoint>,
}

/// A deal's risk and close date at an earlier date.
#[derive(Debug, Clone, PartialEq)]
pub struct DealThen {
    pub risk: Option<super::Risk>,
    pub close_date: Option<NaiveDate>,
    pub is_open: bool,
}

/// The kinds of deal change, in the contract's table order.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    New,
    Removed,
    Won,
    Lost,
    Stage,
    Slipped,
    PulledIn,
    Value,
}

/// An old or new stage, close date or value.
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    Stage(String),
    Date(NaiveDate),
    /// An open deal may have no value yet (`null`).
    Value(Option<f64>),
}

impl Serialize for Side {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Side::Stage(t) => s.serialize_str(t),
            Side::Date(d) => d.serialize(s),
            Side::Value(Some(v)) => num(v, s),
            Side::Value(None) => s.serialize_none(),
        }
    }
}

/// One change of one deal.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DealChange {
    pub deal: String,
    pub change: ChangeKind,
    pub from: Option<Side>,
    pub to: Option<Side>,
}

/// The current fiscal quarter's pipeline, from `start` to `end`:
/// `start + created + pulled_in + value_change - won - lost - removed -
/// pushed_out = end`.
#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct Waterfall {
    pub period: String,
    #[serde(serialize_with = "num")]
    pub start: f64,
    #[serde(serialize_with = "num")]
    pub created: f64,
    #[serde(serialize_with = "num")]
    pub pulled_in: f64,
    #[serde(serialize_with = "num")]
    pub value_change: f64,
    #[serde(serialize_with = "num")]
    pub won: f64,
    #[serde(serialize_with = "num")]
    pub lost: f64,
    #[serde(serialize_with = "num")]
    pub removed: f64,
    #[serde(serialize_with = "num")]
    pub pushed_out: f64,
    #[serde(serialize_with = "num")]
    pub end: f64,
}

impl Waterfall {
    /// The right-hand side of the identity, for checks: what `start` and
    /// the buckets add up to.
    pub fn reconciled_end(&self) -> f64 {
        self.start + self.created + self.pulled_in + self.value_change
            - self.won
            - self.lost
            - self.removed
            - self.pushed_out
    }
}

/// The valid deals of a site by id.
fn deals_by_id(site: &Site) -> BTreeMap<&str, &Deal> {
    site.deals().map(|(_, n, d)| (n.id.as_str(), d)).collect()
}

/// Every change of every deal between `then` and `now`, sorted by deal id
/// then kind.
pub fn deal_changes(then: &Site, now: &Site) -> Vec<DealChange> {
    let (old, new) = (deals_by_id(then), deals_by_id(now));
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut out = Vec::new();
    for id in ids {
        let mut push = |change, from, to| {
            out.push(DealChange {
                deal: id.to_string(),
                change,
                from,
                to,
            })
        };
        let (o, n) = (old.get(id).copied(), new.get(id).copied());
        match (o, n) {
            (Some(_), None) => push(ChangeKind::Removed, None, None),
            (None, Some(_)) => push(ChangeKind::New, None, None),
            _ => {}
        }
        let Some(n) = n else { continue };
        let was_closed = o.is_some_and(Deal::is_closed);
        if !was_closed && n.is_won() {
            push(ChangeKind::Won, None, None);
        }
        if !was_closed && n.is_lost() {
            push(ChangeKind::Lost, None, None);
        }
        let Some(o) = o.filter(|o| !o.is_closed() && !n.is_closed()) else {
            continue;
        };
        if o.stage != n.stage {
            push(
                ChangeKind::Stage,
                Some(Side::Stage(o.stage.clone())),
                Some(Side::Stage(n.stage.clone())),
            );
        }
        if let (Some(a), Some(b)) = (o.close_date, n.close_date) {
            if b != a {
                let kind = if b > a {
                    ChangeKind::Slipped
                } else {
                    ChangeKind::PulledIn
                };
                push(kind, Some(Side::Date(a)), Some(Side::Date(b)));
            }
        }
        if o.value != n.value {
            push(
                ChangeKind::Value,
                Some(Side::Value(o.value)),
                Some(Side::Value(n.value)),
            );
        }
    }
    out
}

/// A deal's part of the quarter's pipeline: its value if it is open with
/// a close date in `[start, end]`, else 0.
fn in_quarter(deal: Option<&Deal>, start: NaiveDate, end: NaiveDate) -> f64 {
    deal.filter(|d| !d.is_closed())
        .filter(|d| d.close_date.is_some_and(|c| start <= c && c <= end))
        .map_or(0.0, Deal::value_or_zero)
}

/// The waterfall of the fiscal quarter containing `as_of`. Each deal whose
/// part changed goes to exactly one bucket (the contract's rules; an open
/// deal still closing in the quarter whose value fell to 0 or was removed
/// is a `value_change`, and one whose close date was removed is
/// `pushed_out`, so the identity holds for every deal).
pub fn waterfall(then: &Site, now: &Site, config: &Config, as_of: NaiveDate) -> Waterfall {
    let month = config.fiscal_year_start_month;
    let q = fiscal::quarter_of(as_of, month);
    let (Some(start), Some(end)) = (q.start(month), q.end(month)) else {
        return Waterfall {
            period: q.label(),
            ..Waterfall::default()
        };
    };
    let (old, new) = (deals_by_id(then), deals_by_id(now));
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut w = Waterfall {
        period: q.label(),
        ..Waterfall::default()
    };
    for id in ids {
        let (o, n) = (old.get(id).copied(), new.get(id).copied());
        let (s, e) = (in_quarter(o, start, end), in_quarter(n, start, end));
        w.start += s;
        w.end += e;
        if e - s == 0.0 {
            continue;
        }
        if s == 0.0 {
            if o.is_none() {
                w.created += e;
            } else {
                w.pulled_in += e;
            }
        } else if e != 0.0 {
            w.value_change += e - s;
        } else {
            match n {
                None => w.removed += s,
                Some(d) if d.is_won() => w.won += s,
                Some(d) if d.is_lost() => w.lost += s,
                Some(d) if d.close_date.is_some_and(|c| start <= c && c <= end) => {
                    w.value_change -= s
                }
                Some(_) => w.pushed_out += s,
            }
        }
    }
    w
}

/// The whole comparison: `then` is the snapshot's site (validated and
/// linked) and `org_then` its organisation figures as of `since`.
pub fn compare(
    then: &Site,
    now: &Site,
    config: &Config,
    as_of: NaiveDate,
    since: NaiveDate,
    commit: &str,
    org_then: RepMetrics,
) -> Changes {
    Changes {
        since,
        commit: commit.to_string(),
        deals: deal_changes(then, now),
        waterfall: waterfall(then, now, config, as_of),
        org_then,
        teams_then: BTreeMap::new(),
        reps_then: BTreeMap::new(),
        removed_owners: removed_owners(then, now),
        log: DealLog::default(),
        trends: Trends::default(),
        at_dates: BTreeMap::new(),
    }
}

/// The owner (and the owner's team) of each deal of `then` that is not
/// in `now`, as `then` said.
pub fn removed_owners(then: &Site, now: &Site) -> BTreeMap<String, OldOwner> {
    let new = deals_by_id(now);
    then.deals()
        .filter(|(_, n, _)| !new.contains_key(n.id.as_str()))
        .map(|(_, n, d)| {
            let rep = d.owner.resolved.and_then(|o| then.notes.get(o));
            let owner = match rep {
                Some(r) => OldOwner {
                    rep_id: Some(r.id.clone()),
                    name: r.title.clone(),
                    team: r.rep().map(|x| x.team.clone()).unwrap_or_default(),
                },
                None => OldOwner {
                    rep_id: None,
                    name: d.owner.target.clone(),
                    team: String::new(),
                },
            };
            (n.id.clone(), owner)
        })
        .collect()
}

#[cfg(test)]
mod tests;

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
            url: n.map(|n| cx.href(&n.url_path())),
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

/// One figure then and now.
#[derive(Serialize)]
pub struct Delta {
    label: &'static str,
    then: String,
    now: String,
    /// The difference for people (`+$25,000`, `−3 points`), or a dash
    /// when either side has no figure.
    change: String,
    /// `up`, `down`, `same`, or `""` without a difference.
    dir: &'static str,
    /// `up` when the change is good, `down` when bad, `""` otherwise (the
    /// colour; the arrow follows `dir`).
    tone: &'static str,
}

/// The organisation's figures at `since` beside the figures now.
#[derive(Serialize)]
pub struct SinceView {
    since: String,
    url: String,
    figures: Vec<Delta>,
}

#[derive(Clone, Copy)]
enum Fmt {
    Money,
    Points,
    Ratio,
    Count,
}

fn signed_text(fmt: Fmt, d: f64, symbol: &str) -> String {
    use crate::render::format;
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "\u{2212}"
    } else {
        ""
    };
    let a = d.abs();
    let body = match fmt {
        Fmt::Money => format::money(Some(a), symbol),
        Fmt::Points => {
            let p = (a * 1000.0).round() / 10.0;
            let p = if p.fract() == 0.0 {
                format!("{p:.0}")
            } else {
                format!("{p:.1}")
            };
            format!("{p} point{}", if p == "1" { "" } else { "s" })
        }
        Fmt::Ratio => format::ratio(Some(a)),
        Fmt::Count => format::thousands(a),
    };
    format!("{sign}{body}")
}

fn delta(
    label: &'static str,
    fmt: Fmt,
    then: Option<f64>,
    now: Option<f64>,
    higher_is_better: bool,
    symbol: &str,
) -> Delta {
    use crate::render::format;
    let show = |v: Option<f64>| match fmt {
        Fmt::Money => format::money(v, symbol),
        Fmt::Points => format::pct(v),
        Fmt::Ratio => format::ratio(v),
        Fmt::Count => v.map_or_else(|| format::DASH.to_string(), format::thousands),
    };
    let d = match (then, now) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Some(b - a),
        _ => None,
    };
    // A difference that rounds to nothing in its unit is no change.
    let d = d.map(|d| match fmt {
        Fmt::Points => (d * 1000.0).round() / 1000.0,
        Fmt::Ratio => (d * 10.0).round() / 10.0,
        Fmt::Money | Fmt::Count => d.round(),
    });
    let (dir, tone) = match d {
        Some(d) if d > 0.0 => ("up", if higher_is_better { "up" } else { "down" }),
        Some(d) if d < 0.0 => ("down", if higher_is_better { "down" } else { "up" }),
        Some(_) => ("same", ""),
        None => ("", ""),
    };
    Delta {
        label,
        then: show(then),
        now: show(now),
        change: d.map_or_else(|| format::DASH.to_string(), |d| signed_text(fmt, d, symbol)),
        dir,
        tone,
    }
}

/// The organisation's figures then and now, when there is a comparison.
pub fn org_deltas(cx: &Cx) -> Option<SinceView> {
    let c = cx.history().changes()?;
    Some(deltas(cx, c.since, &c.org_then, &cx.org().org))
}

/// A team's figures then and now, when there is a comparison and the team
/// had figures then.
pub fn team_deltas(cx: &Cx, team: &str) -> Option<SinceView> {
    let c = cx.history().changes()?;
    let then = c.teams_then.get(team)?;
    Some(deltas(cx, c.since, then, cx.team_metrics(team)?))
}

/// A rep's figures then and now, when there is a comparison and the rep
/// was in the notes then.
pub fn rep_deltas(cx: &Cx, rep: NoteIdx) -> Option<SinceView> {
    let c = cx.history().changes()?;
    let then = c.reps_then.get(&cx.note(rep).id)?;
    Some(deltas(cx, c.since, then, &cx.rep_metrics(rep)))
}

fn deltas(
    cx: &Cx,
    since: chrono::NaiveDate,
    t: &crate::metrics::RepMetrics,
    n: &crate::metrics::RepMetrics,
) -> SinceView {
    let symbol = crate::render::format::currency_symbol(&cx.config().currency);
    let s = symbol.as_str();
    let count = |v: u64| Some(v as f64);
    SinceView {
        since: since.to_string(),
        url: cx.href("changes/"),
        figures: vec![
            delta(
                "Won FYTD",
                Fmt::Money,
                Some(t.won_ytd),
                Some(n.won_ytd),
                true,
                s,
            ),
            delta(
                "Quota attainment",
                Fmt::Points,
                t.quota_attainment,
                n.quota_attainment,
                true,
                s,
            ),
            delta(
                "Win rate FYTD",
                Fmt::Points,
                t.win_rate,
                n.win_rate,
                true,
                s,
            ),
            delta(
                "Open pipeline",
                Fmt::Money,
                Some(t.open_pipeline),
                Some(n.open_pipeline),
                true,
                s,
            ),
            delta(
                "Weighted pipeline",
                Fmt::Money,
                Some(t.weighted_pipeline),
                Some(n.weighted_pipeline),
                true,
                s,
            ),
            delta(
                "Pipeline coverage",
                Fmt::Ratio,
                t.pipeline_coverage,
                n.pipeline_coverage,
                true,
                s,
            ),
            delta(
                "Open deals",
                Fmt::Count,
                count(t.open_deals),
                count(n.open_deals),
                true,
                s,
            ),
            delta(
                "Red deals",
                Fmt::Count,
                count(t.risk.red),
                count(n.risk.red),
                false,
                s,
            ),
        ],
    }
}

/// One change on a deal's own page.
#[derive(Serialize)]
struct OwnChange {
    change: &'static str,
    what: String,
    tone: &'static str,
    from: Option<String>,
    to: Option<String>,
}

/// What changed on a deal since `since` (its page).
#[derive(Serialize)]
pub struct DealSince {
    since: String,
    url: String,
    changes: Vec<OwnChange>,
}

/// A deal's changes since `since`, when there is a comparison and the
/// deal changed.
pub fn deal_since(cx: &Cx, deal: NoteIdx) -> Option<DealSince> {
    let (since, own) = cx.deal_changes(deal)?;
    if own.is_empty() {
        return None;
    }
    Some(DealSince {
        since: since.to_string(),
        url: cx.href("changes/"),
        changes: own
            .into_iter()
            .map(|c| {
                let (what, tone) = describe(cx, c);
                OwnChange {
                    change: kind_key(c.change).0,
                    what,
                    tone,
                    from: side_text(cx, &c.from),
                    to: side_text(cx, &c.to),
                }
            })
            .collect(),
    })
}

/// One field a commit changed, for people.
#[derive(Serialize)]
struct FieldView {
    /// The field's key (`stage`, `close_date`...).
    field: &'static str,
    label: &'static str,
    from: Option<String>,
    to: Option<String>,
    /// `up` / `down` when the move is good / bad news, else `""`.
    tone: &'static str,
}

/// One commit that changed the deal.
#[derive(Serialize)]
struct EventView {
    date: String,
    /// The commit's short id.
    commit: String,
    fields: Vec<FieldView>,
}

/// A deal's history on its page: every commit that changed it, newest
/// first.
#[derive(Serialize)]
pub struct DealHistoryView {
    /// The date of the oldest commit read.
    from: Option<String>,
    /// Older commits exist that were not read.
    capped: bool,
    /// How many times the close date moved later.
    slips: usize,
    /// "Slipped 3 times", "Slipped once", or `None`.
    summary: Option<String>,
    events: Vec<EventView>,
}

fn field_label(field: &str) -> &'static str {
    match field {
        "stage" => "Stage",
        "value" => "Value",
        "close_date" => "Close date",
        "probability" => "Probability",
        "meddpicc" => "MEDDPICC",
        "next_step" => "Next step",
        _ => "Field",
    }
}

fn field_view(cx: &Cx, f: &crate::metrics::changes::FieldChange) -> FieldView {
    let symbol = crate::render::format::currency_symbol(&cx.config().currency);
    let money = |v: &Option<String>| {
        v.as_ref().map(|t| {
            t.parse::<f64>().map_or_else(
                |_| t.clone(),
                |x| crate::render::format::money(Some(x), &symbol),
            )
        })
    };
    let (from, to) = match f.field {
        "stage" => (f.from.as_deref().map(label), f.to.as_deref().map(label)),
        "value" => (money(&f.from), money(&f.to)),
        _ => (f.from.clone(), f.to.clone()),
    };
    let tone = match (f.field, &f.from, &f.to) {
        ("close_date", Some(a), Some(b)) if b > a => "down",
        ("close_date", Some(a), Some(b)) if b < a => "up",
        ("stage", Some(a), Some(b)) => match (stage_rank(cx, a), stage_rank(cx, b)) {
            (Some(x), Some(y)) if y > x => "up",
            (Some(x), Some(y)) if y < x => "down",
            _ => "",
        },
        ("value", Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) if y > x => "up",
            (Ok(x), Ok(y)) if y < x => "down",
            _ => "",
        },
        _ => "",
    };
    FieldView {
        field: f.field,
        label: field_label(f.field),
        from,
        to,
        tone,
    }
}

/// Whether a commit moved the close date later.
pub fn is_slip(f: &crate::metrics::changes::FieldChange) -> bool {
    f.field == "close_date" && matches!((&f.from, &f.to), (Some(a), Some(b)) if b > a)
}

/// A deal's history, when there is a comparison and the deal changed in
/// the commits read.
pub fn deal_history(cx: &Cx, deal: NoteIdx) -> Option<DealHistoryView> {
    let (log, events) = cx.deal_log(deal)?;
    if events.is_empty() {
        return None;
    }
    let slips = events
        .iter()
        .filter(|e| e.fields.iter().any(is_slip))
        .count();
    let summary = match slips {
        0 => None,
        1 => Some("Slipped once".to_string()),
        n => Some(format!("Slipped {n} times")),
    };
    Some(DealHistoryView {
        from: log.from.map(|d| d.to_string()),
        capped: log.capped,
        slips,
        summary,
        events: events
            .iter()
            .map(|e| EventView {
                date: e.date.to_string(),
                commit: e.commit.chars().take(7).collect(),
                fields: e.fields.iter().map(|f| field_view(cx, f)).collect(),
            })
            .collect(),
    })
}

/// The weekly trends of the organisation, a team or a rep: sparklines
/// with their data table.
#[derive(Serialize)]
pub struct TrendView {
    /// The first and last dates.
    from: String,
    to: String,
    chart: String,
}

fn trend_view(
    cx: &Cx,
    id: &str,
    who: &str,
    pick: impl Fn(&crate::metrics::changes::TrendPoint) -> Option<crate::metrics::changes::TrendFigures>,
) -> Option<TrendView> {
    use crate::render::charts::{trend_chart, Series, Unit};
    let c = cx.history().changes()?;
    let points = &c.trends.points;
    let figs: Vec<Option<_>> = points.iter().map(&pick).collect();
    // At least two weeks with figures, or there is no trend to draw.
    if figs.iter().filter(|f| f.is_some()).count() < 2 {
        return None;
    }
    let dates: Vec<String> = points.iter().map(|p| p.date.to_string()).collect();
    let money = money_unit(cx);
    let series =
        |label: &str,
         unit: &Unit,
         f: &dyn Fn(&crate::metrics::changes::TrendFigures) -> Option<f64>| Series {
            label: label.to_string(),
            unit: unit.clone(),
            values: figs.iter().map(|x| x.as_ref().and_then(f)).collect(),
        };
    let all = [
        series("Open pipeline", &money, &|f| Some(f.open_pipeline)),
        series("Weighted pipeline", &money, &|f| Some(f.weighted_pipeline)),
        series("Won FYTD", &money, &|f| Some(f.won_ytd)),
        series("Pipeline coverage", &Unit::Ratio, &|f| f.pipeline_coverage),
    ];
    let (from, to) = (dates.first()?.clone(), dates.last()?.clone());
    let title = format!("{who}: the last {} weeks", dates.len());
    let description = format!(
        "Open and weighted pipeline, won in the fiscal year to date and pipeline coverage, each week from {from} to {to}, from the content's git history."
    );
    let spec = ChartSpec {
        id,
        title: &title,
        description: &description,
        unit: money,
        target: None,
        value_label: "",
        secondary_label: None,
    };
    Some(TrendView {
        chart: trend_chart(&spec, &dates, &all),
        from,
        to,
    })
}

/// The organisation's weekly trends, with history.
pub fn org_trend(cx: &Cx) -> Option<TrendView> {
    trend_view(cx, "trend-org", "Trends", |p| Some(p.org))
}

/// A team's weekly trends (the weeks it had reps), with history.
pub fn team_trend(cx: &Cx, team: &str) -> Option<TrendView> {
    trend_view(cx, "trend-team", "Trends", |p| p.teams.get(team).copied())
}

/// A rep's weekly trends (the weeks the rep was in the notes), with
/// history.
pub fn rep_trend(cx: &Cx, rep: NoteIdx) -> Option<TrendView> {
    let id = cx.note(rep).id.clone();
    trend_view(cx, "trend-rep", "Trends", move |p| p.reps.get(&id).copied())
}

/// A deal of the prep sheet that moved since the last one-to-one.
#[derive(Serialize)]
struct MovedView {
    title: String,
    url: String,
    value: Option<f64>,
    risk_from: Option<&'static str>,
    risk_to: Option<&'static str>,
    risk_changed: bool,
    /// `up` when the risk got better, `down` when worse.
    risk_tone: &'static str,
    slipped_from: Option<String>,
    slipped_to: Option<String>,
}

/// The prep sheet's "since the last one-to-one": the rep's deals whose
/// risk changed or that slipped, or why it cannot say.
#[derive(Serialize)]
pub struct PrepMoved {
    /// The date compared with (the last one-to-one's).
    date: Option<String>,
    compared: bool,
    /// Why there is no comparison (one line).
    reason: Option<String>,
    deals: Vec<MovedView>,
}

fn risk_rank(r: Option<crate::metrics::Risk>) -> u8 {
    use crate::metrics::Risk;
    match r {
        Some(Risk::Red) => 3,
        Some(Risk::Yellow) => 2,
        Some(Risk::Green) => 1,
        None => 0,
    }
}

/// The rep's deals that moved since `last` (the date of the rep's last
/// one-to-one), from the snapshot of the history at that date.
pub fn prep_moved(cx: &Cx, rep: NoteIdx, last: Option<chrono::NaiveDate>) -> PrepMoved {
    use crate::render::prep_sheet;
    let none = |date: Option<chrono::NaiveDate>, reason: String| PrepMoved {
        date: date.map(|d| d.to_string()),
        compared: false,
        reason: Some(reason),
        deals: Vec::new(),
    };
    let Some(date) = last else {
        return none(None, "no one-to-one yet to compare with".into());
    };
    let c = match cx.history() {
        History::Compared(c) => c,
        // Why is on /changes/ (the page links there): the line here does
        // not depend on the clone.
        History::Unavailable { .. } => {
            return none(Some(date), "there is no git history to compare with".into())
        }
        History::NotRead => {
            return none(Some(date), "this build did not read the git history".into())
        }
    };
    let Some(then) = c.at_dates.get(&date) else {
        return none(
            Some(date),
            format!("the git history has no snapshot on or before {date} that was read (the latest {} one-to-one dates are compared)", crate::history::MAX_PREP_DATES),
        );
    };
    let r = cx.raw();
    for d in cx.deals_of(rep) {
        cx.deal_metrics(*d);
    }
    let deals = prep_sheet::moved_since(r.site, r.metrics, cx.deals_of(rep), then)
        .into_iter()
        .map(|m| {
            let n = cx.note(m.deal);
            let (rf, rt) = m.risk.unwrap_or((None, None));
            MovedView {
                title: n.title.clone(),
                url: cx.href(&n.url_path()),
                value: n.deal().and_then(|d| d.value),
                risk_from: rf.map(|k| k.as_str()),
                risk_to: rt.map(|k| k.as_str()),
                risk_changed: m.risk.is_some(),
                risk_tone: match risk_rank(rt).cmp(&risk_rank(rf)) {
                    std::cmp::Ordering::Greater => "down",
                    std::cmp::Ordering::Less => "up",
                    std::cmp::Ordering::Equal => "",
                },
                slipped_from: m.slipped.map(|(a, _)| a.to_string()),
                slipped_to: m.slipped.map(|(_, b)| b.to_string()),
            }
        })
        .collect();
    PrepMoved {
        date: Some(date.to_string()),
        compared: true,
        reason: None,
        deals,
    }
}

//! A rep's coaching plan (with its one-to-one prep sheet) and a
//! manager's page.

use super::common::{label, ref_link, Named, NotePage, RefLink};
use super::dashboard::RepRow;
use super::forecast::{forecast_row, ForecastRow};
use super::interactions::{timeline, Summary};
use super::Cx;
use crate::metrics::RepMetrics;
use crate::model::{Gap, Kind, Manager, NoteIdx, Rep};
use crate::render::charts::{self, Bar, ChartSpec, Unit};
use crate::render::status::{self, CardStates, GateProgress, RampState, Status};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Skill<'a> {
    key: &'a str,
    label: String,
    current: u8,
    target: u8,
    gap: i32,
    notes: &'a Option<String>,
}

#[derive(Serialize)]
struct Task<'a> {
    task: &'a String,
    done: bool,
}

#[derive(Serialize)]
struct Gate<'a> {
    label: String,
    gate: &'a String,
    items: Vec<Task<'a>>,
    done: usize,
    total: usize,
}

#[derive(Serialize)]
struct Focus<'a> {
    skill: String,
    current_behavior: &'a String,
    target_behavior: &'a String,
    actions: &'a String,
    milestone: &'a String,
    target_date: Option<String>,
}

#[derive(Serialize)]
struct Cadence<'a> {
    label: String,
    text: &'a String,
}

#[derive(Serialize)]
struct RepFields<'a> {
    id: &'a str,
    ramp_window: bool,
    name: &'a str,
    team: &'a str,
    team_url: String,
    manager: Option<RefLink>,
    start_date: String,
    quota: f64,
    skills: Vec<Skill<'a>>,
    focus: Vec<Focus<'a>>,
    cadence: Vec<Cadence<'a>>,
    ramp: Vec<Gate<'a>>,
    pipeline_url: String,
}

#[derive(Serialize)]
struct Gaps {
    skill: usize,
    will: usize,
}

#[derive(Serialize)]
struct RepCharts {
    attainment: String,
    coverage: String,
    skills: String,
}

#[derive(Serialize)]
struct RepPage<'a> {
    #[serde(flatten)]
    note: NotePage,
    prep: PrepSheet,
    rep: RepFields<'a>,
    m: RepMetrics,
    coaching: Vec<Summary>,
    gaps: Gaps,
    forecasts: Vec<ForecastRow>,
    charts: RepCharts,
    coverage_target: f64,
    /// The rep's figures at `since` beside now (with history).
    since: Option<super::changes::SinceView>,
    /// The rep's weekly trends (with history).
    trend: Option<super::changes::TrendView>,
    /// The states of the cards (one rule per metric); in ramp, attainment
    /// is judged against the ramp plan.
    st: CardStates,
    /// Where the rep stands in ramp; absent when not in ramp.
    #[serde(skip_serializing_if = "Option::is_none")]
    in_ramp: Option<RampState>,
}

/// The states of a rep's cards and table cells (one rule per metric, see
/// `status`); in ramp, attainment is judged against the ramp plan and
/// coverage of the annual quota is not judged. Also
/// where the rep stands in ramp.
pub fn rep_states(cx: &Cx, rep: &Rep, m: &RepMetrics) -> (CardStates, Option<RampState>) {
    let defs = cx.href("metrics/");
    let gates: Vec<GateProgress> = rep
        .ramp
        .iter()
        .map(|g| GateProgress {
            day: gate_day(g.key),
            done: g.items.iter().filter(|x| x.done).count(),
            total: g.items.len(),
        })
        .collect();
    let in_ramp = status::ramp((cx.as_of() - rep.start_date).num_days(), &gates, &defs);
    let mut st = status::card_states(m, cx.config(), &defs);
    if let Some(r) = &in_ramp {
        st.attainment = r.status.clone();
        st.coverage =
            status::coverage_in_ramp(m.pipeline_coverage, cx.config().coverage_target, &defs);
    }
    (st, in_ramp)
}

/// The day of a ramp gate (`day_30` is day 30).
fn gate_day(key: crate::model::RampDay) -> i64 {
    key.as_str().trim_start_matches("day_").parse().unwrap_or(0)
}

pub fn rep_page(cx: &Cx, i: NoteIdx, rep: &Rep, note: NotePage) -> serde_json::Result<Value> {
    let n = cx.note(i);
    let m = cx.rep_metrics(i);
    let config = cx.config();
    let skills = rep
        .skills
        .iter()
        .map(|s| Skill {
            key: s.key.as_str(),
            label: label(s.key.as_str()),
            current: s.current,
            target: s.target,
            gap: i32::from(s.target) - i32::from(s.current),
            notes: &s.notes,
        })
        .collect();
    let ramp = rep
        .ramp
        .iter()
        .map(|g| Gate {
            label: label(&g.key.as_str().replace("day_", "day ")),
            gate: &g.gate,
            items: g
                .items
                .iter()
                .map(|x| Task {
                    task: &x.task,
                    done: x.done,
                })
                .collect(),
            done: g.items.iter().filter(|x| x.done).count(),
            total: g.items.len(),
        })
        .collect();
    let focus = rep
        .focus
        .iter()
        .map(|f| Focus {
            skill: label(f.skill.as_str()),
            current_behavior: &f.current_behavior,
            target_behavior: &f.target_behavior,
            actions: &f.actions,
            milestone: &f.milestone,
            target_date: f.target_date.map(|d| d.to_string()),
        })
        .collect();
    let interactions: Vec<Option<Gap>> = cx
        .about(i)
        .iter()
        .map(|j| cx.note(*j))
        .filter(|x| x.kind.is_interaction())
        .map(|x| x.interaction().and_then(|y| y.gap))
        .collect();
    let gaps = Gaps {
        skill: interactions
            .iter()
            .filter(|g| **g == Some(Gap::Skill))
            .count(),
        will: interactions
            .iter()
            .filter(|g| **g == Some(Gap::Will))
            .count(),
    };
    let coaching: Vec<Summary> = timeline(cx, i)
        .into_iter()
        .filter(|v| v.link.type_name != "prep")
        .take(10)
        .collect();
    let forecasts = cx
        .forecasts()
        .iter()
        .filter(|f| f.owner_rep == Some(i))
        .map(|f| forecast_row(cx, f))
        .collect();
    let coverage_label = format!("Target {:.1}x", config.coverage_target);
    let charts = RepCharts {
        attainment: super::common::attainment_chart(
            "rep-attainment",
            "Quota attainment against target",
            "Closed-won value this fiscal year as a share of the annual quota, against the 90% target.",
            &[Bar { label: "Attainment FYTD".into(), value: m.quota_attainment.unwrap_or(0.0), secondary: None, href: None }],
        ),
        coverage: charts::bar_chart(
            &ChartSpec {
                id: "rep-coverage",
                title: "Pipeline coverage against target",
                description: "Open pipeline closing this fiscal year over the quota still to close, against the coverage target.",
                unit: Unit::Ratio,
                target: Some((config.coverage_target, &coverage_label)),
                value_label: "Coverage",
                secondary_label: None,
            },
            &[Bar { label: if m.pipeline_coverage.is_some() { "Coverage".into() } else { "Coverage (quota already met)".into() }, value: m.pipeline_coverage.unwrap_or(0.0), secondary: None, href: None }],
        ),
        skills: if rep.skills.is_empty() {
            super::dashboard::empty_chart(
                "Skills: current level and target",
                "No skills assessed yet: add <code>skills:</code> to the rep's note, each with its current and target level (1 to 5).",
            )
        } else {
            charts::skill_bars(
            &ChartSpec {
                id: "rep-skills",
                title: "Skills: current level and target",
                description: "Each skill's current level (bar) and target level (marker) on a 1 to 5 scale.",
                unit: Unit::Score { max: 5.0 },
                target: None,
                value_label: "Current",
                secondary_label: Some("Target"),
            },
            &rep.skills.iter().map(|s| (label(s.key.as_str()), f64::from(s.current), f64::from(s.target))).collect::<Vec<_>>(),
        )
        },
    };
    // Ramp is a figure of the scorecard's two cohorts: reps who started in
    // the last 730 days. For a rep hired years ago it says nothing.
    let ramp_window = (0..=729).contains(&(cx.as_of() - rep.start_date).num_days());
    let (st, in_ramp) = rep_states(cx, rep, &m);
    let page = RepPage {
        st,
        in_ramp,
        note,
        prep: prep_sheet_view(cx, i, rep),
        rep: RepFields {
            id: &n.id,
            ramp_window,
            name: &rep.name,
            team: &rep.team,
            team_url: cx.team_url(&rep.team),
            manager: ref_link(cx, rep.manager.as_ref()),
            start_date: rep.start_date.to_string(),
            quota: rep.quota,
            skills,
            focus,
            cadence: rep
                .cadence
                .iter()
                .map(|(k, v)| Cadence {
                    label: label(k),
                    text: v,
                })
                .collect(),
            ramp,
            pipeline_url: cx.href(&format!("{}pipeline/", n.url_path())),
        },
        m,
        coaching,
        gaps,
        forecasts,
        charts,
        coverage_target: config.coverage_target,
        since: super::changes::rep_deltas(cx, i),
        trend: super::changes::rep_trend(cx, i),
    };
    serde_json::to_value(&page)
}

#[derive(Serialize)]
struct LastLink<'a> {
    title: &'a str,
    url: String,
    takeaway: Option<&'a str>,
}

#[derive(Serialize)]
struct Due {
    what: String,
    due: String,
    days_left: i64,
    overdue: bool,
    overdue_days: i64,
}

#[derive(Serialize)]
struct RedDeal<'a> {
    title: &'a str,
    url: String,
    value: Option<f64>,
    reason: Option<&'a String>,
    close_date: Option<String>,
    /// Days the close date has passed (an open deal that slipped).
    slipped_days: Option<i64>,
}

/// The one-to-one prep sheet of a coaching plan (see `prep_sheet`).
#[derive(Serialize)]
struct PrepSheet {
    last: Option<Value>,
    date: Option<String>,
    days_ago: Option<i64>,
    cadence_days: Option<i64>,
    overdue_by: Option<i64>,
    /// The last one-to-one against the cadence (one rule, see `status`).
    cadence_st: Status,
    due: Vec<Due>,
    red: Vec<Value>,
    /// The rep's deals whose risk changed or that slipped since the last
    /// one-to-one (from the content's history), or why it cannot say.
    moved: super::changes::PrepMoved,
}

fn prep_sheet_view(cx: &Cx, i: NoteIdx, rep: &Rep) -> PrepSheet {
    use crate::render::prep_sheet;
    let r = cx.raw();
    let as_of = cx.as_of();
    // What the prep sheet's helpers read of the site.
    for j in cx.about(i) {
        cx.note(*j);
    }
    for d in cx.deals_of(i) {
        cx.note(*d);
        cx.deal_metrics(*d);
    }
    let last = prep_sheet::last_one_to_one(r.site, &r.lists.about[i], i, rep, as_of);
    let last_note = last.note.map(|j| cx.note(j));
    let due = prep_sheet::due_items(rep, as_of)
        .into_iter()
        .map(|d| Due {
            what: d.what,
            due: d.due.to_string(),
            days_left: d.days_left,
            overdue: d.days_left < 0,
            overdue_days: -d.days_left,
        })
        .collect();
    let red = prep_sheet::red_deals(r.metrics, &r.lists.deals_of[i])
        .into_iter()
        .filter_map(|d| {
            let n = cx.note(d);
            let m = cx.deal_metrics(d)?;
            serde_json::to_value(RedDeal {
                title: &n.title,
                url: cx.note_url(n),
                value: m.value,
                reason: m.risk_reasons.first(),
                close_date: m.close_date.map(|d| d.to_string()),
                slipped_days: prep_sheet::slipped_days(m.close_date, m.is_open, as_of),
            })
            .ok()
        })
        .collect();
    PrepSheet {
        last: last_note.and_then(|n| {
            serde_json::to_value(LastLink {
                title: &n.title,
                url: cx.note_url(n),
                takeaway: n.interaction().map(|x| x.takeaway.as_str()),
            })
            .ok()
        }),
        date: last.date.map(|d| d.to_string()),
        days_ago: last.days_ago,
        cadence_days: last.cadence_days,
        overdue_by: last.overdue_by.filter(|d| *d > 0),
        cadence_st: status::cadence(
            last.days_ago,
            last.cadence_days,
            last.overdue_by,
            &cx.href("metrics/"),
        ),
        due,
        red,
        moved: super::changes::prep_moved(cx, i, last.date),
    }
}

#[derive(Serialize)]
struct Latest<'a> {
    date: String,
    url: String,
    title: &'a str,
    days_ago: i64,
    takeaway: Option<&'a str>,
}

#[derive(Serialize)]
struct ManagedRep<'a> {
    #[serde(flatten)]
    row: RepRow,
    latest: Option<Latest<'a>>,
}

#[derive(Serialize)]
struct ManagerFields<'a> {
    name: &'a str,
    teams: &'a Vec<String>,
    email: &'a Option<String>,
    team_links: Vec<Named>,
}

#[derive(Serialize)]
struct ManagerPage<'a> {
    #[serde(flatten)]
    note: NotePage,
    manager: ManagerFields<'a>,
    reps: Vec<ManagedRep<'a>>,
}

/// A manager's page: their reps with each one's key figures and the
/// latest one-to-one with each (a manager carries no quota of their own).
pub fn manager_page(cx: &Cx, i: NoteIdx, m: &Manager, note: NotePage) -> serde_json::Result<Value> {
    let as_of = cx.as_of();
    let mut reps: Vec<(NoteIdx, &crate::model::Note)> = cx
        .of_kinds(&[Kind::Rep])
        .into_iter()
        .filter(|(_, n)| n.valid)
        .filter(|(_, n)| {
            n.rep()
                .is_some_and(|rep| rep.manager.as_ref().and_then(|x| x.resolved) == Some(i))
        })
        .collect();
    reps.sort_by(|a, b| a.1.title.cmp(&b.1.title));
    let rows = reps
        .iter()
        .map(|(j, _)| {
            let latest = cx
                .about(*j)
                .iter()
                .map(|x| cx.note(*x))
                .filter(|x| x.kind == Kind::Coaching && x.valid)
                .filter_map(|x| Some((x.date?, x)))
                .filter(|(d, _)| *d <= as_of)
                .max_by_key(|(d, x)| (*d, x.id.as_str()))
                .map(|(d, x)| Latest {
                    date: d.to_string(),
                    url: cx.note_url(x),
                    title: &x.title,
                    days_ago: (as_of - d).num_days(),
                    takeaway: x.interaction().map(|y| y.takeaway.as_str()),
                });
            let row = super::dashboard::rep_rows(cx, &[*j]).pop();
            row.map(|row| ManagedRep { row, latest })
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    let teams = cx.teams();
    let page = ManagerPage {
        note,
        manager: ManagerFields {
            name: &m.name,
            teams: &m.teams,
            email: &m.email,
            team_links: m
                .teams
                .iter()
                .filter(|t| teams.contains_key(*t))
                .map(|t| Named {
                    name: t.clone(),
                    url: cx.team_url(t),
                })
                .collect(),
        },
        reps: rows,
    };
    serde_json::to_value(&page)
}

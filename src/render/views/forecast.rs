//! The forecast page (accuracy, the open quarter's call) and a forecast
//! note's page.

use super::common::{label, ref_link, NoteLink, NotePage, RefLink};
use super::dashboard::{forecast_chart, rep_rows, RepRow, TeamRow};
use super::{Cx, View};
use crate::metrics::{ForecastMetrics, RepMetrics};
use crate::model::{Forecast, ForecastOwner, Note, NoteIdx};
use crate::render::forecast_call::{self, CallFigures};
use serde::Serialize;

/// Who a forecast is of: a rep (linked), a team, or a name.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Owner {
    Rep(NoteLink),
    Team {
        title: Option<String>,
        url: Option<String>,
    },
}

/// A forecast in a table of forecasts.
#[derive(Serialize)]
pub struct ForecastRow {
    title: String,
    url: String,
    period: String,
    owner: Owner,
    commit: f64,
    best_case: Option<f64>,
    actual: f64,
    #[serde(rename = "final")]
    is_final: bool,
    error: Option<f64>,
    within_target: Option<bool>,
}

pub fn forecast_row(cx: &Cx, f: &ForecastMetrics) -> ForecastRow {
    let n = cx.note(f.note_idx);
    let teams = cx.teams();
    ForecastRow {
        title: n.title.clone(),
        url: cx.note_url(n),
        period: f.period.clone(),
        owner: match (f.owner_rep, &f.owner_team) {
            (Some(o), _) => Owner::Rep(cx.link(o)),
            (None, Some(t)) => Owner::Team {
                title: Some(t.clone()),
                url: teams.contains_key(t).then(|| cx.team_url(t)),
            },
            _ => Owner::Team {
                title: f.owner.clone(),
                url: None,
            },
        },
        commit: f.commit,
        best_case: f.best_case,
        actual: f.actual,
        is_final: f.is_final,
        error: f.error,
        within_target: f.within_target,
    }
}

/// One line of the forecast call (a team, or one of its reps).
#[derive(Serialize)]
struct CallRow {
    name: String,
    url: String,
    board: String,
    commit: Option<f64>,
    best_case: Option<f64>,
    won: f64,
    gap: Option<f64>,
    open_deals: u64,
    open: f64,
    weighted: f64,
    in_commit_stage: f64,
    red_deals: u64,
    /// The red deals in the quarter by the risk rule of the cards.
    risk_st: crate::render::status::Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    reps: Option<Vec<CallRow>>,
}

impl CallRow {
    fn new(name: &str, url: String, board: String, f: CallFigures, defs: &str) -> CallRow {
        CallRow {
            risk_st: crate::render::status::risk(
                f.red_deals,
                0,
                f.open_deals.saturating_sub(f.red_deals),
                defs,
            ),
            name: name.to_string(),
            url,
            board,
            commit: f.commit,
            best_case: f.best_case,
            won: f.won,
            gap: f.gap,
            open_deals: f.open_deals,
            open: f.open,
            weighted: f.weighted,
            in_commit_stage: f.in_commit_stage,
            red_deals: f.red_deals,
            reps: None,
        }
    }
}

#[derive(Serialize)]
struct CallView {
    period: String,
    teams: Vec<CallRow>,
    commit_stage: Option<String>,
}

#[derive(Serialize)]
struct ForecastPage<'a> {
    forecasts: Vec<ForecastRow>,
    org: &'a RepMetrics,
    error_target: f64,
    chart: String,
    teams: Vec<TeamRow<'a>>,
    reps: Vec<RepRow>,
    call: CallView,
    /// The quarter's pipeline waterfall since `since` (with history).
    waterfall: Option<super::changes::WaterfallView>,
    /// Ended quarters grouped by team (then forecasts of no known team).
    history: Vec<HistoryGroup<'a>>,
    /// The state of the mean-error card (one rule, see `status`).
    error_st: crate::render::status::Status,
    /// The state of the hit-rate card (the scorecard's rule).
    hit_st: crate::render::status::Status,
}

/// A team's ended forecasts (its own and its reps'), newest period first.
#[derive(Serialize)]
struct HistoryGroup<'a> {
    team: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    m: Option<&'a RepMetrics>,
    /// The team's states (the rules of its cards).
    st: Option<crate::render::status::CardStates>,
    forecasts: Vec<ForecastRow>,
}

/// Ended forecasts grouped by the team of their owner (a team, or a rep's
/// team), teams in the site's order; forecasts of no known team last.
fn history<'a>(cx: &Cx<'_, 'a>) -> Vec<HistoryGroup<'a>> {
    let teams = cx.teams();
    let team_of = |f: &ForecastMetrics| -> Option<String> {
        match (f.owner_rep, &f.owner_team) {
            (Some(i), _) => cx.note(i).rep().map(|r| r.team.clone()),
            (None, Some(t)) => Some(t.clone()),
            _ => None,
        }
    };
    let mut ended: Vec<&ForecastMetrics> = cx.forecasts().iter().filter(|f| f.is_final).collect();
    // Newest period first; in a period the team's own forecast, then its reps'.
    ended.sort_by(|a, b| {
        b.period
            .cmp(&a.period)
            .then(a.owner_rep.is_some().cmp(&b.owner_rep.is_some()))
    });
    let mut groups: Vec<HistoryGroup> = teams
        .keys()
        .map(|t| HistoryGroup {
            team: t.clone(),
            url: Some(cx.team_url(t)),
            m: cx.team_metrics(t),
            st: cx
                .team_metrics(t)
                .map(|m| crate::render::status::card_states(m, cx.config(), &cx.href("metrics/"))),
            forecasts: ended
                .iter()
                .filter(|f| team_of(f).as_deref() == Some(t.as_str()))
                .map(|f| forecast_row(cx, f))
                .collect(),
        })
        .filter(|g| !g.forecasts.is_empty())
        .collect();
    let other: Vec<ForecastRow> = ended
        .iter()
        .filter(|f| !team_of(f).is_some_and(|t| teams.contains_key(&t)))
        .map(|f| forecast_row(cx, f))
        .collect();
    if !other.is_empty() {
        groups.push(HistoryGroup {
            team: "No team".to_string(),
            url: None,
            m: None,
            st: None,
            forecasts: other,
        });
    }
    groups
}

pub fn forecast_page(cx: &Cx) -> View {
    let teams = cx.teams();
    let all_reps: Vec<NoteIdx> = teams.values().flatten().copied().collect();
    let data = ForecastPage {
        forecasts: cx.forecasts().iter().map(|f| forecast_row(cx, f)).collect(),
        org: &cx.org().org,
        error_target: cx.config().forecast_error_target,
        chart: forecast_chart(cx, &all_reps, "fc"),
        teams: teams
            .keys()
            .map(|t| TeamRow::of(cx, t, None, None))
            .collect(),
        reps: rep_rows(cx, &all_reps),
        call: forecast_call_view(cx),
        waterfall: super::changes::waterfall_view(cx, "fc-waterfall"),
        history: history(cx),
        hit_st: crate::render::status::card_states(
            &cx.org().org,
            cx.config(),
            &cx.href("metrics/"),
        )
        .hit_rate,
        error_st: crate::render::status::forecast(
            cx.org().org.forecast_error,
            cx.config().forecast_error_target,
            &cx.href("metrics/"),
        ),
    };
    View::new(
        "forecast.html",
        "Forecast accuracy",
        "Forecast",
        "forecast/",
        &data,
    )
}

/// The open quarter for the forecast call: each team, then its reps.
fn forecast_call_view(cx: &Cx) -> CallView {
    use forecast_call::{current_quarter, deals_of, figures};
    let r = cx.raw();
    let config = cx.config();
    let q = current_quarter(config, cx.as_of());
    let period = q.label();
    let forecasts = cx.forecasts();
    let defs = cx.href("metrics/");
    // The quarter's forecast of a rep or team (the first by note id when
    // there are two: duplicate-forecast warns about it).
    let forecast_of = |rep: Option<NoteIdx>, team: Option<&str>| {
        forecasts
            .iter()
            .filter(|f| f.period == period)
            .find(|f| match (rep, team) {
                (Some(i), _) => f.owner_rep == Some(i),
                (None, Some(t)) => f.owner_team.as_deref() == Some(t),
                _ => false,
            })
            .map(|f| (f.commit, f.best_case))
    };
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    // What `forecast_call::deals_of` reads of a rep's deals.
    let own_deals = |i: NoteIdx| {
        let deals = cx.deals_of(i);
        for d in deals {
            cx.note(*d);
            cx.deal_metrics(*d);
        }
        deals_of(r.metrics, deals.iter().copied())
    };
    let teams = cx
        .teams()
        .iter()
        .map(|(t, reps)| {
            let team_deals: Vec<_> = reps.iter().flat_map(|i| own_deals(*i)).collect();
            let team = figures(config, q, &team_deals, forecast_of(None, Some(t)));
            let rep_rows: Vec<CallRow> = reps
                .iter()
                .map(|i| {
                    let n = cx.note(*i);
                    let own = own_deals(*i);
                    let f = figures(config, q, &own, forecast_of(Some(*i), None));
                    CallRow::new(
                        &n.title,
                        cx.note_url(n),
                        cx.href(&format!(
                            "deals/?owner={}&quarter={}",
                            enc(&n.id),
                            enc(&period)
                        )),
                        f,
                        &defs,
                    )
                })
                .collect();
            let mut v = CallRow::new(
                t,
                cx.team_url(t),
                cx.href(&format!("deals/?team={}&quarter={}", enc(t), enc(&period))),
                team,
                &defs,
            );
            v.reps = Some(rep_rows);
            v
        })
        .collect();
    CallView {
        period,
        teams,
        commit_stage: forecast_call::commit_stage(config).map(label),
    }
}

/// Who a forecast note is of, on its page.
#[derive(Serialize)]
#[serde(untagged)]
enum NoteOwner {
    Rep(Option<RefLink>),
    Team {
        title: String,
        url: Option<String>,
        kind: &'static str,
    },
}

#[derive(Serialize)]
struct ForecastFields {
    owner: NoteOwner,
    period: String,
    commit: f64,
    best_case: Option<f64>,
    actual: Option<f64>,
    #[serde(rename = "final")]
    is_final: Option<bool>,
    error: Option<f64>,
    within_target: Option<bool>,
    start: Option<String>,
    end: Option<String>,
}

#[derive(Serialize)]
struct ForecastNotePage {
    #[serde(flatten)]
    note: NotePage,
    f: ForecastFields,
    error_target: f64,
}

pub fn note_page(
    cx: &Cx,
    n: &Note,
    f: &Forecast,
    note: NotePage,
) -> serde_json::Result<serde_json::Value> {
    let fm = cx.forecasts().iter().find(|x| x.note == n.id);
    let owner = match &f.owner {
        ForecastOwner::Rep(x) => NoteOwner::Rep(ref_link(cx, Some(x))),
        ForecastOwner::Team(t) => NoteOwner::Team {
            title: t.clone(),
            url: cx.teams().contains_key(t).then(|| cx.team_url(t)),
            kind: "Team",
        },
    };
    let page = ForecastNotePage {
        note,
        f: ForecastFields {
            owner,
            period: f.period(),
            commit: f.commit,
            best_case: f.best_case,
            actual: fm.map(|m| m.actual),
            is_final: fm.map(|m| m.is_final),
            error: fm.and_then(|m| m.error),
            within_target: fm.and_then(|m| m.within_target),
            start: fm.and_then(|m| m.start).map(|d| d.to_string()),
            end: fm.and_then(|m| m.end).map(|d| d.to_string()),
        },
        error_target: cx.config().forecast_error_target,
    };
    serde_json::to_value(&page)
}

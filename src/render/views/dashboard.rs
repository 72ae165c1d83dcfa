//! The dashboard, a team's page and the list of teams: figures of reps,
//! their charts, red deals and recent interactions.

use super::common::{label, money_unit};
use super::deal::{deal_row, deal_value, DealRow};
use super::interactions::{interaction_summary, Summary};
use super::{Cx, View};
use crate::metrics::RepMetrics;
use crate::model::{Kind, NoteIdx};
use crate::render::charts::{self, Bar, ChartSpec, Unit};
use crate::render::status::{self, CardStates, Status};
use serde::Serialize;

/// A team in a list: name, page and figures.
#[derive(Serialize)]
pub struct TeamRow<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reps: Option<usize>,
    pub m: Option<&'a RepMetrics>,
    /// The states of the team's cells (the rules of its cards).
    pub st: Option<CardStates>,
    /// The team's open deals on the deal board.
    pub board_url: String,
}

impl<'a> TeamRow<'a> {
    /// The row of team `t`, its states from the same rules as its cards.
    pub fn of<'b: 'a>(
        cx: &Cx<'_, 'b>,
        t: &'a str,
        url: Option<String>,
        reps: Option<usize>,
    ) -> Self {
        let m = cx.team_metrics(t);
        TeamRow {
            name: t,
            url,
            reps,
            m,
            st: m.map(|m| status::card_states(m, cx.config(), &cx.href("metrics/"))),
            board_url: cx.href(&format!("deals/?team={}", query_value(t))),
        }
    }
}

/// A rep in a table of figures.
#[derive(Serialize)]
pub struct RepRow {
    pub title: String,
    pub url: String,
    pub pipeline_url: String,
    /// The rep's open deals on the deal board.
    pub board_url: String,
    pub team: Option<String>,
    pub m: RepMetrics,
    /// The states of the rep's cells: the rules of the rep's own cards
    /// (in ramp, attainment against the ramp plan).
    pub st: CardStates,
}

/// The charts of the dashboard and a team's page (SVG).
#[derive(Serialize)]
pub struct Charts {
    pub pipeline: String,
    pub attainment: String,
    pub win_rate: String,
    pub forecast: String,
}

#[derive(Serialize)]
struct Dashboard<'a> {
    org: &'a RepMetrics,
    /// The states of the org's cards (one rule per metric).
    st: CardStates,
    /// The states of the scorecard's cards.
    scorecard_st: ScorecardStates,
    scorecard: Scorecard,
    teams: Vec<TeamRow<'a>>,
    reps: Vec<RepRow>,
    charts: Charts,
    red_deals: Vec<DealRow>,
    recent: Vec<Summary>,
    /// The company's figures at `since` beside now (with history).
    since: Option<super::changes::SinceView>,
    /// The company's weekly trends (with history).
    trend: Option<super::changes::TrendView>,
}

pub fn dashboard(cx: &Cx) -> View {
    let m = cx.org();
    let teams = cx.teams();
    let rows: Vec<TeamRow> = teams
        .keys()
        .map(|t| TeamRow::of(cx, t, Some(cx.team_url(t)), None))
        .collect();
    let all_reps: Vec<NoteIdx> = teams.values().flatten().copied().collect();
    // Open red deals across the org, biggest first.
    let mut red: Vec<NoteIdx> = cx
        .of_kinds(&[Kind::Deal])
        .into_iter()
        .filter(|(_, n)| n.valid && n.deal().is_some())
        .filter(|(i, _)| {
            cx.deal_metrics(*i)
                .is_some_and(|d| d.risk == Some(crate::metrics::Risk::Red))
        })
        .map(|(i, _)| i)
        .collect();
    red.sort_by(|a, b| deal_value(cx, *b).total_cmp(&deal_value(cx, *a)));
    let defs = cx.href("metrics/");
    let data = Dashboard {
        org: &m.org,
        st: status::card_states(&m.org, cx.config(), &defs),
        scorecard_st: scorecard_states(cx, &defs),
        scorecard: scorecard_view(cx),
        teams: rows,
        reps: rep_rows(cx, &all_reps),
        charts: dashboard_charts(cx, &all_reps, "dash", ""),
        since: super::changes::org_deltas(cx),
        trend: super::changes::org_trend(cx),
        red_deals: red
            .iter()
            .take(10)
            .filter_map(|i| deal_row(cx, *i))
            .collect(),
        recent: recent_interactions(cx, None, 8),
    };
    View::new(
        "dashboard.html",
        cx.config().title.clone(),
        "Dashboard",
        "",
        &data,
    )
}

#[derive(Serialize)]
struct Team<'a> {
    team: &'a str,
    m: Option<&'a RepMetrics>,
    /// The states of the team's cards (one rule per metric).
    st: CardStates,
    reps: Vec<RepRow>,
    charts: Charts,
    recent: Vec<Summary>,
    deals: Vec<DealRow>,
    /// The team's figures at `since` beside now (with history).
    since: Option<super::changes::SinceView>,
    /// The team's weekly trends (with history).
    trend: Option<super::changes::TrendView>,
}

pub fn team(cx: &Cx, t: &str) -> View {
    let reps = cx.teams().get(t).cloned().unwrap_or_default();
    let mut open: Vec<NoteIdx> = reps
        .iter()
        .flat_map(|rep| cx.deals_of(*rep).iter().copied())
        .filter(|d| cx.deal_metrics(*d).is_some_and(|m| m.is_open))
        .collect();
    open.sort_by(|a, b| deal_value(cx, *b).total_cmp(&deal_value(cx, *a)));
    let defs = cx.href("metrics/");
    let data = Team {
        team: t,
        m: cx.team_metrics(t),
        st: status::card_states(
            &cx.team_metrics(t).cloned().unwrap_or_default(),
            cx.config(),
            &defs,
        ),
        reps: rep_rows(cx, &reps),
        charts: dashboard_charts(cx, &reps, "team", &format!("team={}&", query_value(t))),
        recent: recent_interactions(cx, Some(&reps), 10),
        deals: open.iter().filter_map(|i| deal_row(cx, *i)).collect(),
        since: super::changes::team_deltas(cx, t),
        trend: super::changes::team_trend(cx, t),
    };
    let path = format!("teams/{}/", cx.raw().team_slug(t));
    View::new("team.html", t, "Team", path, &data)
}

#[derive(Serialize)]
struct Teams<'a> {
    teams: Vec<TeamRow<'a>>,
}

pub fn teams(cx: &Cx) -> View {
    let teams = cx
        .teams()
        .iter()
        .map(|(t, reps)| TeamRow::of(cx, t, Some(cx.team_url(t)), Some(reps.len())))
        .collect();
    View::new("teams.html", "Teams", "Teams", "teams/", &Teams { teams })
}

/// The latest interactions (of these reps), newest first.
pub fn recent_interactions(cx: &Cx, reps: Option<&[NoteIdx]>, limit: usize) -> Vec<Summary> {
    let as_of = cx.as_of();
    let kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| k.is_interaction())
        .collect();
    let dated = match reps {
        None => cx.dated(&kinds),
        Some(reps) => cx.dated_about(&kinds, reps),
    };
    let mut items: Vec<(chrono::NaiveDate, NoteIdx)> = dated
        .into_iter()
        .filter(|n| n.valid)
        .filter(|n| match reps {
            None => true,
            Some(reps) => n.rep.is_some_and(|x| reps.contains(&x)),
        })
        .filter_map(|n| n.date.map(|d| (d, n.note)))
        .filter(|(d, _)| *d <= as_of)
        .collect();
    items.sort_by(|a, b| b.cmp(a));
    items
        .iter()
        .take(limit)
        .map(|(_, i)| interaction_summary(cx, *i))
        .collect()
}

pub fn rep_rows(cx: &Cx, reps: &[NoteIdx]) -> Vec<RepRow> {
    reps.iter()
        .map(|i| {
            let n = cx.note(*i);
            let m = cx.rep_metrics(*i);
            let st = match n.rep() {
                Some(rep) => super::rep::rep_states(cx, rep, &m).0,
                None => status::card_states(&m, cx.config(), &cx.href("metrics/")),
            };
            RepRow {
                title: n.title.clone(),
                url: cx.note_url(n),
                pipeline_url: cx.href(&format!("{}pipeline/", n.url_path())),
                board_url: cx.href(&format!("deals/?owner={}", query_value(&n.id))),
                team: n.rep().map(|x| x.team.clone()),
                m,
                st,
            }
        })
        .collect()
}

/// A value in a query string of the deal board (`?team=Mid%2DMarket`).
pub fn query_value(v: &str) -> String {
    // What URLSearchParams leaves as it is stays readable (`elena-sorensen`).
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'*');
    percent_encoding::utf8_percent_encode(v, SET).to_string()
}

/// The charts of these reps; `board` is the deal board's filter of the
/// same deals (`team=East&`, or empty for every deal), so that each stage's
/// figures link to the deals behind them.
pub fn dashboard_charts(cx: &Cx, reps: &[NoteIdx], prefix: &str, board: &str) -> Charts {
    let money = money_unit(cx);
    let config = cx.config();
    // Pipeline by stage (value, weighted), over the deals of these reps.
    let mut by_stage: Vec<(String, f64, f64, usize)> = config
        .stages
        .iter()
        .map(|(s, _)| (s.clone(), 0.0, 0.0, 0))
        .collect();
    for rep in reps {
        for d in cx.deals_of(*rep) {
            let n = cx.note(*d);
            if let (Some(deal), Some(m)) = (n.deal(), cx.deal_metrics(*d)) {
                if let Some(row) = by_stage.iter_mut().find(|(s, ..)| *s == deal.stage) {
                    row.1 += deal.value_or_zero();
                    row.2 += m.weighted_value;
                    row.3 += 1;
                }
            }
        }
    }
    let stage_bars: Vec<Bar> = by_stage
        .iter()
        .map(|(s, v, w, count)| Bar {
            label: label(s),
            value: *v,
            secondary: Some(*w),
            // The deals behind the figures, on the board (none: no link).
            href: (*count > 0).then(|| cx.href(&format!("deals/?{board}stage={}", query_value(s)))),
        })
        .collect();
    let no_open = stage_bars.iter().all(|b| b.value == 0.0);
    let pipeline = charts::bar_chart(
        &ChartSpec {
            id: &format!("{prefix}-pipeline"),
            title: "Open pipeline by stage",
            description: "Total value of open deals in each stage, with the weighted value (value x probability).",
            unit: money.clone(),
            target: None,
            value_label: "Pipeline",
            secondary_label: Some("Weighted"),
        },
        &stage_bars,
    );
    let rep_bars = |f: &dyn Fn(&RepMetrics) -> Option<f64>| -> Vec<Bar> {
        reps.iter()
            .map(|i| {
                let n = cx.note(*i);
                Bar {
                    label: n.title.clone(),
                    value: f(&cx.rep_metrics(*i)).unwrap_or(0.0),
                    secondary: None,
                    href: Some(cx.note_url(n)),
                }
            })
            .collect()
    };
    let attainment = super::common::attainment_chart(
        &format!("{prefix}-attainment"),
        "Quota attainment, fiscal year to date",
        "Closed-won value this fiscal year as a share of each rep's annual quota, against the 90% target.",
        &rep_bars(&|m| m.quota_attainment),
    );
    let win_rate = charts::bar_chart(
        &ChartSpec {
            id: &format!("{prefix}-winrate"),
            title: "Win rate, fiscal year to date",
            description:
                "Deals won as a share of deals closed (won or lost) this fiscal year, per rep.",
            unit: Unit::Percent,
            target: None,
            value_label: "Win rate",
            secondary_label: None,
        },
        &rep_bars(&|m| m.win_rate),
    );
    // A chart of nothing draws a "$0 to $1" axis: say what to add instead.
    let pipeline = if no_open {
        empty_chart("Open pipeline by stage", NO_DEALS_HINT)
    } else {
        pipeline
    };
    let closed_any = reps.iter().any(|i| cx.rep_metrics(*i).win_rate.is_some());
    let win_rate = if closed_any {
        win_rate
    } else {
        empty_chart(
            "Win rate, fiscal year to date",
            "No deal closed won or lost this fiscal year yet: the win rate starts with the first.",
        )
    };
    let forecast = forecast_chart(cx, reps, prefix);
    Charts {
        pipeline,
        attainment,
        win_rate,
        forecast,
    }
}

/// What to add when there are no deals (HTML).
pub const NO_DEALS_HINT: &str =
    "No open deals yet: add one with <code>coachbook new deal</code> (or import a CRM export with <code>coachbook import csv</code>).";
/// What to add when there are no forecasts (HTML).
pub const NO_FORECASTS_HINT: &str =
    "No forecasts yet: add one with <code>coachbook new forecast</code> at the start of a quarter.";

/// In place of a chart with nothing to draw: its title and what to add
/// next (`hint` is trusted HTML, a constant of the views).
pub fn empty_chart(title: &str, hint: &str) -> String {
    format!(
        "<figure class=\"chart chart-none\"><figcaption>{}</figcaption><p class=\"muted\">{hint}</p></figure>",
        crate::render::escape::html(title)
    )
}

/// Forecast commit vs actual per quarter, over these reps' forecasts.
pub fn forecast_chart(cx: &Cx, reps: &[NoteIdx], prefix: &str) -> String {
    let mut quarters: std::collections::BTreeMap<String, (f64, f64, bool)> = Default::default();
    for f in cx.forecasts() {
        let counts = f.owner_rep.is_some_and(|o| reps.contains(&o));
        if counts {
            let e = quarters.entry(f.period.clone()).or_insert((0.0, 0.0, true));
            e.0 += f.commit;
            e.1 += f.actual;
            e.2 &= f.is_final;
        }
    }
    let fbars: Vec<Bar> = quarters
        .iter()
        .map(|(p, (c, a, fin))| Bar {
            label: if *fin {
                p.clone()
            } else {
                format!("{p} (open)")
            },
            value: *c,
            secondary: fin.then_some(*a),
            href: None,
        })
        .collect();
    if fbars.is_empty() {
        return empty_chart(
            "Forecast commit against actual, per quarter",
            NO_FORECASTS_HINT,
        );
    }
    charts::band_chart(
        &ChartSpec {
            id: &format!("{prefix}-forecast"),
            title: "Forecast commit against actual, per quarter",
            description: "The reps' summed commit for each fiscal quarter, the band of the forecast error target around it, and what actually closed won.",
            unit: money_unit(cx),
            target: None,
            value_label: "Commit",
            secondary_label: Some("Actual"),
        },
        &fbars,
        cx.config().forecast_error_target,
    )
}

#[derive(Serialize)]
struct Scorecard {
    attainment: Attainment,
    win_rate: WinRate,
    forecast: ForecastCard,
    ramp: Ramp,
}

#[derive(Serialize)]
struct Attainment {
    value: Option<f64>,
    target: f64,
    met: Option<bool>,
}

#[derive(Serialize)]
struct WinRate {
    recent: Option<f64>,
    prior: Option<f64>,
    recent_label: Option<String>,
    prior_label: Option<String>,
    delta_points: Option<f64>,
    target_points: f64,
    met: Option<bool>,
}

#[derive(Serialize)]
struct ForecastCard {
    hit_rate: Option<f64>,
    error: Option<f64>,
    error_target: f64,
    forecasts: u64,
    met: Option<bool>,
}

#[derive(Serialize)]
struct Ramp {
    recent: Option<f64>,
    recent_reps: u64,
    prior: Option<f64>,
    prior_reps: u64,
    recent_from: Option<String>,
    prior_from: Option<String>,
    target_ratio: f64,
    met: Option<bool>,
}

/// The states of the scorecard's cards.
#[derive(Serialize)]
struct ScorecardStates {
    attainment: Status,
    win_rate: Status,
    forecast: Status,
    ramp: Status,
}

fn scorecard_states(cx: &Cx, defs: &str) -> ScorecardStates {
    let s = &cx.org().scorecard;
    ScorecardStates {
        attainment: status::attainment(s.attainment.value, defs),
        win_rate: status::win_rate_trend(s.win_rate.delta_points, s.win_rate.target_points, defs),
        forecast: status::hit_rate(
            s.forecast.hit_rate,
            s.forecast.forecasts,
            s.forecast.error,
            s.forecast.error_target,
            defs,
        ),
        ramp: status::ramp_trend(s.ramp.met, defs),
    }
}

fn scorecard_view(cx: &Cx) -> Scorecard {
    let s = &cx.org().scorecard;
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string());
    Scorecard {
        attainment: Attainment {
            value: s.attainment.value,
            target: s.attainment.target,
            met: s.attainment.met,
        },
        win_rate: WinRate {
            recent: s.win_rate.recent_rate,
            prior: s.win_rate.prior_rate,
            recent_label: s.win_rate.recent.as_ref().map(|w| w.label.clone()),
            prior_label: s.win_rate.prior.as_ref().map(|w| w.label.clone()),
            delta_points: s.win_rate.delta_points,
            target_points: s.win_rate.target_points,
            met: s.win_rate.met,
        },
        forecast: ForecastCard {
            hit_rate: s.forecast.hit_rate,
            error: s.forecast.error,
            error_target: s.forecast.error_target,
            forecasts: s.forecast.forecasts,
            met: s.forecast.met,
        },
        ramp: Ramp {
            recent: s.ramp.recent,
            recent_reps: s.ramp.recent_reps,
            prior: s.ramp.prior,
            prior_reps: s.ramp.prior_reps,
            recent_from: d(s.ramp.recent_from),
            prior_from: d(s.ramp.prior_from),
            target_ratio: s.ramp.target_ratio,
            met: s.ramp.met,
        },
    }
}

//! A rep's pipeline review: open deals by value, by stage, what they
//! lack, and the deals closed this fiscal year.

use super::common::{label, money_unit};
use super::deal::{deal_row, deal_value, DealRow};
use super::{Cx, View};
use crate::metrics::RepMetrics;
use crate::model::NoteIdx;
use crate::render::charts::{self, Bar, ChartSpec};
use serde::Serialize;

#[derive(Serialize)]
struct Missing<'a> {
    title: &'a str,
    url: String,
    account: &'a str,
    missing: Vec<&'static str>,
}

#[derive(Serialize)]
struct Stage {
    stage: String,
    count: usize,
    value: f64,
    avg_age: Option<f64>,
}

#[derive(Serialize)]
struct RepLine<'a> {
    name: &'a str,
    id: &'a str,
    url: String,
    team: Option<&'a str>,
}

#[derive(Serialize)]
struct Pipeline<'a> {
    missing: Vec<Missing<'a>>,
    rep: RepLine<'a>,
    m: RepMetrics,
    coverage_target: f64,
    /// The states of the cards (one rule per metric, see `status`).
    st: crate::render::status::CardStates,
    stages: Vec<Stage>,
    top: &'a [DealRow],
    deals: &'a [DealRow],
    chart: String,
    closed: Vec<DealRow>,
}

pub fn pipeline(cx: &Cx, i: NoteIdx) -> View {
    let n = cx.note(i);
    let config = cx.config();
    let mut open: Vec<NoteIdx> = cx
        .deals_of(i)
        .iter()
        .copied()
        .filter(|d| cx.deal_metrics(*d).is_some_and(|x| x.is_open))
        .collect();
    open.sort_by(|a, b| {
        deal_value(cx, *b)
            .total_cmp(&deal_value(cx, *a))
            .then_with(|| cx.note(*a).id.cmp(&cx.note(*b).id))
    });
    let rows: Vec<DealRow> = open.iter().filter_map(|d| deal_row(cx, *d)).collect();
    // Open deals that lack a value or an expected close date.
    let missing = open
        .iter()
        .filter_map(|d| {
            let n = cx.note(*d);
            let deal = n.deal()?;
            let what: Vec<&str> = [
                deal.value.is_none().then_some("value"),
                deal.close_date.is_none().then_some("expected close date"),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!what.is_empty()).then(|| Missing {
                title: &n.title,
                url: cx.note_url(n),
                account: &deal.account,
                missing: what,
            })
        })
        .collect();
    // Stage distribution and average age, over open deals.
    let mut stages = Vec::new();
    let mut bars = Vec::new();
    for (s, _) in &config.stages {
        let in_stage: Vec<&DealRow> = rows.iter().filter(|v| v.stage == *s).collect();
        let count = in_stage.len();
        let value: f64 = in_stage.iter().filter_map(|v| v.value).sum();
        let age: f64 = in_stage.iter().map(|v| v.age_days as f64).sum();
        stages.push(Stage {
            stage: label(s),
            count,
            value,
            avg_age: (count > 0).then(|| age / count as f64),
        });
        bars.push(Bar {
            label: label(s),
            value,
            secondary: None,
            // The deals behind the bar, on the board.
            href: (count > 0).then(|| {
                cx.href(&format!(
                    "deals/?owner={}&stage={}",
                    super::dashboard::query_value(&n.id),
                    super::dashboard::query_value(s)
                ))
            }),
        });
    }
    let no_open = bars.iter().all(|b| b.value == 0.0);
    let chart = charts::bar_chart(
        &ChartSpec {
            id: "pipeline-stages",
            title: "Open pipeline by stage",
            description: "Value of the rep's open deals in each stage.",
            unit: money_unit(cx),
            target: None,
            value_label: "Value",
            secondary_label: None,
        },
        &bars,
    );
    let chart = if no_open {
        super::dashboard::empty_chart("Open pipeline by stage", super::dashboard::NO_DEALS_HINT)
    } else {
        chart
    };
    let fy = &cx.org().fiscal_year;
    let closed: Vec<DealRow> = cx
        .deals_of(i)
        .iter()
        .filter_map(|d| {
            let x = cx.deal_metrics(*d)?;
            x.closed_within(fy.start, fy.end)
                .then(|| deal_row(cx, *d))
                .flatten()
        })
        .collect();
    let data = Pipeline {
        missing,
        rep: RepLine {
            name: &n.title,
            id: &n.id,
            url: cx.note_url(n),
            team: n.rep().map(|x| x.team.as_str()),
        },
        // The rep's own rules (in ramp, coverage is not judged).
        st: match n.rep() {
            Some(rep) => super::rep::rep_states(cx, rep, &cx.rep_metrics(i)).0,
            None => {
                crate::render::status::card_states(&cx.rep_metrics(i), config, &cx.href("metrics/"))
            }
        },
        m: cx.rep_metrics(i),
        coverage_target: config.coverage_target,
        stages,
        top: &rows[..rows.len().min(5)],
        deals: &rows,
        chart,
        closed,
    };
    View::new(
        "pipeline.html",
        format!("{}: pipeline review", n.title),
        "Pipeline review",
        format!("{}pipeline/", n.url_path()),
        &data,
    )
}

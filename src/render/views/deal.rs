//! A deal's page, its row in the tables of deals, and the deal board.

use super::common::{label, ref_link, NotePage, RefLink};
use super::interactions::{timeline, Summary};
use super::{Cx, View};
use crate::metrics::DealMetrics;
use crate::model::{Deal, Kind, NoteIdx, MEDDPICC};
use crate::render::charts::{self, Bar, ChartSpec, Unit};
use serde::Serialize;

/// A deal in a table of deals (dashboard, team, pipeline, prep).
#[derive(Serialize)]
pub struct DealRow {
    pub title: String,
    pub url: String,
    pub account: String,
    pub owner: Option<RefLink>,
    pub value: Option<f64>,
    pub stage: String,
    pub stage_label: String,
    pub probability: f64,
    pub weighted_value: f64,
    pub age_days: i64,
    pub close_date: Option<String>,
    pub last_activity: String,
    pub meddpicc_total: u32,
    pub risk: Option<&'static str>,
    pub risk_reasons: Vec<String>,
    pub next_step: Option<String>,
    pub key_question: KeyQuestion,
}

/// The question to ask next: the deal's own, or the one its weakest
/// MEDDPICC element suggests.
#[derive(Serialize)]
#[serde(untagged)]
pub enum KeyQuestion {
    Own {
        text: String,
        generated: bool,
    },
    Generated {
        text: String,
        generated: bool,
        element: String,
        score: Option<u8>,
    },
}

pub fn deal_row(cx: &Cx, i: NoteIdx) -> Option<DealRow> {
    let n = cx.note(i);
    let d = n.deal()?;
    let m = cx.deal_metrics(i)?;
    Some(DealRow {
        title: n.title.clone(),
        url: cx.note_url(n),
        account: d.account.clone(),
        owner: ref_link(cx, Some(&d.owner)),
        value: d.value,
        stage: d.stage.clone(),
        stage_label: label(&d.stage),
        probability: m.probability,
        weighted_value: m.weighted_value,
        age_days: m.age_days,
        close_date: d.close_date.map(|c| c.to_string()),
        last_activity: m.last_activity.to_string(),
        meddpicc_total: m.meddpicc_total,
        risk: m.risk.map(|k| k.as_str()),
        risk_reasons: m.risk_reasons.clone(),
        next_step: d.next_step.clone(),
        key_question: key_question(cx, d, m),
    })
}

fn key_question(cx: &Cx, d: &Deal, m: &DealMetrics) -> KeyQuestion {
    match &d.key_question {
        Some(q) => KeyQuestion::Own {
            text: q.clone(),
            generated: false,
        },
        None => {
            let key = MEDDPICC
                .get(m.weakest_element)
                .copied()
                .unwrap_or("metrics");
            KeyQuestion::Generated {
                text: cx.question(key),
                generated: true,
                element: label(key),
                score: d.meddpicc.get(m.weakest_element).map(|e| e.score),
            }
        }
    }
}

/// A deal's value (0 when it has none), for sorting.
pub fn deal_value(cx: &Cx, i: NoteIdx) -> f64 {
    cx.note(i).deal().map_or(0.0, Deal::value_or_zero)
}

#[derive(Serialize)]
struct Element {
    key: &'static str,
    label: String,
    score: u8,
    evidence: Option<String>,
}

#[derive(Serialize)]
struct DealFields {
    name: String,
    account: String,
    owner: Option<RefLink>,
    created: String,
    close_date: Option<String>,
    lost_reason: Option<String>,
    explicit_probability: Option<f64>,
    closed: bool,
    won: bool,
    pipeline_url: Option<String>,
}

#[derive(Serialize)]
struct DealPage {
    #[serde(flatten)]
    note: NotePage,
    deal: Option<DealRow>,
    d: DealFields,
    meddpicc: Vec<Element>,
    timeline: Vec<Summary>,
    chart: String,
    stale_days: i64,
    /// What changed on the deal since `since` (with history).
    since: Option<super::changes::DealSince>,
    /// Every commit that changed the deal (with history).
    history: Option<super::changes::DealHistoryView>,
}

pub fn deal_page(
    cx: &Cx,
    i: NoteIdx,
    d: &Deal,
    note: NotePage,
) -> serde_json::Result<serde_json::Value> {
    let elements: Vec<Element> = MEDDPICC
        .iter()
        .zip(d.meddpicc.iter())
        .map(|(k, e)| Element {
            key: k,
            label: label(k),
            score: e.score,
            evidence: e.evidence.clone(),
        })
        .collect();
    let chart = charts::bar_chart(
        &ChartSpec {
            id: "deal-meddpicc",
            title: "MEDDPICC scores",
            description: "Each element scored 0 (unknown) to 3 (validated with evidence).",
            unit: Unit::Score { max: 3.0 },
            target: Some((2.0, "Partly validated")),
            value_label: "Score",
            secondary_label: None,
        },
        &MEDDPICC
            .iter()
            .zip(d.meddpicc.iter())
            .map(|(k, e)| Bar {
                label: label(k),
                value: f64::from(e.score),
                secondary: None,
                href: None,
            })
            .collect::<Vec<_>>(),
    );
    let page = DealPage {
        note,
        deal: deal_row(cx, i),
        d: DealFields {
            name: d.name.clone(),
            account: d.account.clone(),
            owner: ref_link(cx, Some(&d.owner)),
            created: d.created.to_string(),
            close_date: d.close_date.map(|c| c.to_string()),
            lost_reason: d.lost_reason.clone(),
            explicit_probability: d.probability,
            closed: d.is_closed(),
            won: d.is_won(),
            pipeline_url: d
                .owner
                .resolved
                .map(|o| format!("{}pipeline/", cx.link(o).url)),
        },
        meddpicc: elements,
        timeline: timeline(cx, i),
        chart,
        stale_days: cx.config().stale_days,
        since: super::changes::deal_since(cx, i),
        history: super::changes::deal_history(cx, i),
    };
    serde_json::to_value(&page)
}

/// A deal on the board, with its filter keys.
#[derive(Serialize)]
struct BoardRow<'a> {
    title: &'a str,
    url: String,
    id: &'a str,
    account: &'a str,
    owner: Option<RefLink>,
    owner_id: Option<String>,
    team: Option<String>,
    team_url: Option<String>,
    value: Option<f64>,
    stage: &'a str,
    stage_label: String,
    close_date: Option<String>,
    quarter: Option<String>,
    age_days: i64,
    last_activity: String,
    /// The last activity by the risk rule's stale test (see `status`).
    stale: crate::render::status::Status,
    meddpicc_total: u32,
    risk: Option<&'static str>,
    reason: Option<&'a String>,
    next_step: Option<&'a String>,
}

#[derive(Serialize)]
struct Invalid<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
}

#[derive(Serialize)]
struct Board<'a> {
    open_total: f64,
    open_count: usize,
    closed_count: usize,
    /// Where the rows of each table go: markers the rows (HTML from
    /// `deal_rows.html`) replace once the page is rendered (see
    /// [`View::splices`]), so 23 MB of rows at 100k notes are not also
    /// copied into the template's context and through its output.
    open_rows: &'static str,
    closed_rows: &'static str,
    invalid: Vec<Invalid<'a>>,
}

/// The markers of the board's rows in `deals.html`'s output. They start
/// with `<`, which the template escapes in any text of a note, so only
/// the template's own `{{ open_rows | safe }}` can write them.
const OPEN_ROWS: &str = "<!--coachbook:open-rows-->";
const CLOSED_ROWS: &str = "<!--coachbook:closed-rows-->";

/// How many board rows `deal_rows.html` renders at a time.
const ROW_CHUNK: usize = 256;

/// The rows of one table of the board, rendered through `deal_rows.html`
/// [`ROW_CHUNK`] rows at a time: at 25,000 deals, one template context of
/// every row (a JSON value each) cost about 190 MB while the page rendered
/// (docs/benchmarks.md, session 7); a chunk's costs a hundredth of that.
/// The rows rendered, and their HTML, one piece per chunk (kept apart and
/// written in turn: see [`super::Splice`]).
fn board_rows<'a>(
    cx: &Cx,
    ids: &[NoteIdx],
    closed: bool,
    row: impl Fn(NoteIdx) -> Option<BoardRow<'a>>,
) -> Result<(usize, Vec<String>), String> {
    let mut html = Vec::with_capacity(ids.len().div_ceil(ROW_CHUNK));
    let mut count = 0;
    for chunk in ids.chunks(ROW_CHUNK) {
        let rows: Vec<BoardRow> = chunk.iter().filter_map(|i| row(*i)).collect();
        count += rows.len();
        let mut ctx = tera::Context::new();
        ctx.insert("rows", &rows);
        ctx.insert("closed", &closed);
        html.push(cx.render_part("deal_rows.html", &ctx)?);
    }
    Ok((count, html))
}

/// The deal board: every open deal of the company (owner, team, account,
/// value, stage, close date and quarter, age, last activity, MEDDPICC,
/// risk with its first reason, next step), then the closed ones, then
/// deal notes left out for errors. Rows carry their filter keys as data
/// attributes for `board.js`; the table works without it.
pub fn board(cx: &Cx) -> View {
    let start_month = cx.config().fiscal_year_start_month;
    let (stale_days, defs) = (cx.config().stale_days, cx.href("metrics/"));
    let deals = cx.of_kinds(&[Kind::Deal]);
    let row = |i: NoteIdx| -> Option<BoardRow> {
        let n = cx.note(i);
        let d = n.deal()?;
        let m = cx.deal_metrics(i)?;
        // The owner's id and team (a rep's team is one of its fields).
        let owner = d.owner.resolved.map(|o| cx.note(o));
        let team = owner.and_then(|o| o.rep()).map(|x| x.team.clone());
        let quarter = d
            .close_date
            .map(|c| crate::metrics::fiscal::quarter_of(c, start_month).label());
        Some(BoardRow {
            title: &n.title,
            url: cx.note_url(n),
            id: &n.id,
            account: &d.account,
            owner: ref_link(cx, Some(&d.owner)),
            owner_id: owner.map(|o| o.id.clone()),
            team_url: team.as_deref().map(|t| cx.team_url(t)),
            team,
            value: m.value,
            stage: &m.stage,
            stage_label: label(&m.stage),
            close_date: d.close_date.map(|c| c.to_string()),
            quarter,
            age_days: m.age_days,
            last_activity: m.last_activity.to_string(),
            stale: crate::render::status::stale(
                (cx.as_of() - m.last_activity).num_days(),
                stale_days,
                m.is_open,
                &defs,
            ),
            meddpicc_total: m.meddpicc_total,
            risk: m.risk.map(|k| k.as_str()),
            reason: m.risk_reasons.first(),
            next_step: d.next_step.as_ref(),
        })
    };
    let mut open: Vec<NoteIdx> = Vec::new();
    let mut closed: Vec<NoteIdx> = Vec::new();
    for (i, n) in &deals {
        if !n.valid || n.deal().is_none() {
            continue;
        }
        match cx.deal_metrics(*i) {
            Some(m) if m.is_open => open.push(*i),
            Some(_) => closed.push(*i),
            None => {}
        }
    }
    let close = |i: &NoteIdx| cx.note(*i).deal().and_then(|d| d.close_date);
    // Open: soonest close first (no date last), then largest value.
    open.sort_by(|a, b| {
        (close(a).is_none(), close(a))
            .cmp(&(close(b).is_none(), close(b)))
            .then_with(|| deal_value(cx, *b).total_cmp(&deal_value(cx, *a)))
    });
    // Closed: latest first.
    closed.sort_by_key(|i| std::cmp::Reverse(close(i)));
    let total: f64 = open
        .iter()
        .filter_map(|i| cx.deal_metrics(*i))
        .map(DealMetrics::amount)
        .sum();
    let (open_count, open_rows, closed_count, closed_rows) = match board_rows(cx, &open, false, row)
        .and_then(|(n, h)| board_rows(cx, &closed, true, row).map(|(c, ch)| (n, h, c, ch)))
    {
        Ok(t) => t,
        Err(e) => return View::failed(e),
    };
    let data = Board {
        open_total: total,
        open_count,
        closed_count,
        open_rows: OPEN_ROWS,
        closed_rows: CLOSED_ROWS,
        invalid: deals
            .iter()
            .filter(|(_, n)| !n.valid)
            .map(|(_, n)| Invalid {
                title: &n.title,
                url: cx.note_url(n),
                path: &n.path,
            })
            .collect(),
    };
    let mut view = View::new("deals.html", "Deals", "Section", "deals/", &data);
    view.splices = vec![(OPEN_ROWS, open_rows), (CLOSED_ROWS, closed_rows)];
    view
}

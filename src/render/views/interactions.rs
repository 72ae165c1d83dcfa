//! Interactions (calls, emails, meetings, coaching) and preps: their
//! pages, and their summaries in timelines and lists.

use super::common::{label, ref_link, NoteLink, NotePage, RefLink};
use super::deal::{deal_row, DealRow};
use super::Cx;
use crate::model::{Gap, Interaction, Note, NoteIdx, Prep};
use serde::Serialize;

/// An interaction (or prep) in a timeline or a list of recent ones.
#[derive(Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub link: NoteLink,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takeaway: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<Option<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rep: Option<Option<RefLink>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<Option<RefLink>>,
}

fn gap_name(g: Gap) -> &'static str {
    if g == Gap::Will {
        "will"
    } else {
        "skill"
    }
}

pub fn interaction_summary(cx: &Cx, j: NoteIdx) -> Summary {
    let n = cx.note(j);
    let mut v = Summary {
        link: cx.link(j),
        date: n.date.map(|d| d.to_string()),
        takeaway: None,
        gap: None,
        skill: None,
        outcome: None,
        rep: None,
        deal: None,
    };
    if let Some(x) = n.interaction() {
        v.takeaway = Some(x.takeaway.clone());
        v.gap = Some(x.gap.map(gap_name));
        v.skill = Some(x.skill.map(|v| label(v.as_str())));
        v.outcome = Some(x.outcome.map(|v| label(v.as_str())));
        v.rep = Some(ref_link(cx, Some(&x.rep)));
        v.deal = Some(ref_link(cx, x.deal.as_ref()));
    }
    if let Some(p) = n.prep() {
        v.takeaway = Some(p.objective.clone());
        v.rep = Some(ref_link(cx, p.rep()));
        v.deal = Some(ref_link(cx, Some(&p.deal)));
    }
    v
}

/// Interactions (and preps) about note `i`, newest first.
pub fn timeline(cx: &Cx, i: NoteIdx) -> Vec<Summary> {
    let mut items: Vec<(chrono::NaiveDate, NoteIdx)> = cx
        .about(i)
        .iter()
        .filter_map(|j| cx.note(*j).date.map(|d| (d, *j)))
        .collect();
    items.sort_by(|a, b| b.cmp(a));
    items
        .iter()
        .map(|(_, j)| interaction_summary(cx, *j))
        .collect()
}

#[derive(Serialize)]
struct Moment<'a> {
    at: &'a String,
    what_happened: &'a String,
    try_instead: &'a String,
    why: &'a String,
}

#[derive(Serialize)]
struct Call<'a> {
    call_type: Option<String>,
    attendees: &'a Vec<String>,
    duration_min: &'a Option<f64>,
    recording: Option<&'a str>,
    moments: Vec<Moment<'a>>,
}

#[derive(Serialize)]
struct InteractionView<'a> {
    kind: &'static str,
    rep: Option<RefLink>,
    deal: Option<RefLink>,
    date: String,
    takeaway: &'a str,
    gap: Option<&'static str>,
    skill: Option<String>,
    outcome: Option<String>,
    cause: Option<String>,
    call: Option<Call<'a>>,
}

#[derive(Serialize)]
struct InteractionPage<'a> {
    #[serde(flatten)]
    note: NotePage,
    x: InteractionView<'a>,
}

pub fn interaction_page(
    cx: &Cx,
    n: &Note,
    x: &Interaction,
    note: NotePage,
) -> serde_json::Result<serde_json::Value> {
    let view = InteractionView {
        kind: n.kind.type_name(),
        rep: ref_link(cx, Some(&x.rep)),
        deal: ref_link(cx, x.deal.as_ref()),
        date: x.date.to_string(),
        takeaway: &x.takeaway,
        gap: x.gap.map(gap_name),
        skill: x.skill.map(|v| label(v.as_str())),
        outcome: x.outcome.map(|v| label(v.as_str())),
        cause: x.cause.map(|v| label(v.as_str())),
        call: x.call.as_ref().map(|c| Call {
            call_type: c.call_type.map(|t| label(t.as_str())),
            attendees: &c.attendees,
            duration_min: &c.duration_min,
            recording: c
                .recording
                .as_deref()
                .filter(|u| crate::render::escape::is_web_url(u)),
            moments: c
                .moments
                .iter()
                .map(|m| Moment {
                    at: &m.at,
                    what_happened: &m.what_happened,
                    try_instead: &m.try_instead,
                    why: &m.why,
                })
                .collect(),
        }),
    };
    serde_json::to_value(&InteractionPage { note, x: view })
}

#[derive(Serialize)]
struct Objection<'a> {
    objection: &'a String,
    response: &'a String,
}

#[derive(Serialize)]
struct PrepView<'a> {
    deal: Option<RefLink>,
    rep: Option<RefLink>,
    date: String,
    objective: &'a String,
    buyer_needs: &'a String,
    our_ask: &'a String,
    objections: Vec<Objection<'a>>,
}

#[derive(Serialize)]
struct PrepPage<'a> {
    #[serde(flatten)]
    note: NotePage,
    prep: PrepView<'a>,
    deal: Option<DealRow>,
}

pub fn prep_page(cx: &Cx, p: &Prep, note: NotePage) -> serde_json::Result<serde_json::Value> {
    let prep = PrepView {
        deal: ref_link(cx, Some(&p.deal)),
        rep: ref_link(cx, p.rep()),
        date: p.date.to_string(),
        objective: &p.objective,
        buyer_needs: &p.buyer_needs,
        our_ask: &p.our_ask,
        objections: p
            .objections
            .iter()
            .map(|o| Objection {
                objection: &o.objection,
                response: &o.response,
            })
            .collect(),
    };
    let deal = p.deal.resolved.and_then(|d| deal_row(cx, d));
    serde_json::to_value(&PrepPage { note, prep, deal })
}

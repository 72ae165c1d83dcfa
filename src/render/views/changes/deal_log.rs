//! A deal's changes since `since` and its commit-by-commit history, on its page.

use super::*;

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

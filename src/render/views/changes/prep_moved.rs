//! The prep sheet's deals that changed risk or slipped since the last one-to-one.

use super::*;

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
                url: cx.note_url(n),
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

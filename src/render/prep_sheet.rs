//! The one-to-one prep sheet at the top of a coaching plan: what a manager
//! needs before the meeting. Pure functions of the site, the metrics and
//! `as_of`: the last one-to-one against the agreed cadence, the takeaway
//! agreed then, focus milestones and ramp gates due within two weeks or
//! overdue, the rep's red deals, and (with the content's git history) the
//! rep's deals whose risk changed or that slipped since the last one.

use crate::metrics::{Metrics, Risk};
use crate::model::{enum_key, Kind, NoteIdx, Rep, Site};
use chrono::NaiveDate;

/// How far ahead "due soon" looks.
pub const DUE_WINDOW_DAYS: i64 = 14;

/// The agreed one-to-one cadence in days, read from the free text of
/// `cadence.one_on_one` (`weekly`, `fortnightly`, `every 3 weeks`,
/// `monthly`); `None` when the text says no interval coachbook can read.
pub fn cadence_days(text: &str) -> Option<i64> {
    let t = text.trim().to_lowercase();
    let word = |w: &str| t.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    let fixed = [
        ("daily", 1),
        ("weekly", 7),
        ("fortnightly", 14),
        ("biweekly", 14),
        ("monthly", 30),
        ("quarterly", 91),
    ];
    if t.contains("bi-weekly") {
        return Some(14);
    }
    if let Some((_, d)) = fixed.iter().find(|(w, _)| word(w)) {
        return Some(*d);
    }
    // "every 2 weeks", "every two weeks", "once a month", "every 10 days".
    let words: Vec<&str> = t.split_whitespace().collect();
    let number = |w: &str| -> Option<i64> {
        match w {
            "a" | "an" | "one" | "once" => Some(1),
            "two" | "other" => Some(2),
            "three" => Some(3),
            "four" => Some(4),
            _ => w.parse().ok().filter(|n| (1..=365).contains(n)),
        }
    };
    for pair in words.windows(2) {
        let unit = match pair[1].trim_end_matches(['.', ',']) {
            "day" | "days" => 1,
            "week" | "weeks" => 7,
            "month" | "months" => 30,
            _ => continue,
        };
        if let Some(n) = number(pair[0]) {
            return Some(n * unit);
        }
    }
    None
}

/// The last one-to-one against the cadence.
#[derive(Debug, PartialEq)]
pub struct LastOneToOne {
    pub note: Option<NoteIdx>,
    pub date: Option<NaiveDate>,
    pub days_ago: Option<i64>,
    pub cadence_days: Option<i64>,
    /// Days past the cadence (positive when overdue).
    pub overdue_by: Option<i64>,
}

/// The rep's latest valid one-to-one on or before `as_of` and how it sits
/// against `cadence.one_on_one`. With no one-to-one yet, overdue counts
/// from the rep's start date. `about` are the notes about the rep (the
/// renderer's index), so a site's reps are not each a scan of every note.
pub fn last_one_to_one(
    site: &Site,
    about: &[NoteIdx],
    rep_idx: NoteIdx,
    rep: &Rep,
    as_of: NaiveDate,
) -> LastOneToOne {
    let latest = about
        .iter()
        .map(|i| (*i, &site.notes[*i]))
        .filter(|(_, n)| n.valid && n.kind == Kind::Coaching)
        .filter(|(_, n)| n.rep_ref().and_then(|r| r.resolved) == Some(rep_idx))
        .filter_map(|(i, n)| Some((n.date?, i)))
        .filter(|(d, _)| *d <= as_of)
        .max();
    let cadence = rep
        .cadence
        .iter()
        .find(|(k, _)| enum_key(k) == "one_on_one")
        .and_then(|(_, v)| cadence_days(v));
    let since = latest.map_or(rep.start_date, |(d, _)| d);
    let days = (as_of - since).num_days();
    LastOneToOne {
        note: latest.map(|(_, i)| i),
        date: latest.map(|(d, _)| d),
        days_ago: latest.map(|_| days),
        cadence_days: cadence,
        overdue_by: cadence.map(|c| days - c),
    }
}

/// A dated item of the plan: a focus area's milestone or a ramp gate.
#[derive(Debug, PartialEq)]
pub struct DueItem {
    pub what: String,
    pub due: NaiveDate,
    /// Negative when overdue.
    pub days_left: i64,
}

/// Focus-area milestones and unfinished ramp gates due within
/// [`DUE_WINDOW_DAYS`] or already overdue, soonest first.
pub fn due_items(rep: &Rep, as_of: NaiveDate) -> Vec<DueItem> {
    let mut out = Vec::new();
    for f in &rep.focus {
        if let Some(due) = f.target_date {
            let skill = f.skill.as_str().replace('_', " ");
            let what = if f.milestone.trim().is_empty() {
                format!("{skill} focus area")
            } else {
                format!("{skill}: {}", f.milestone.trim())
            };
            out.push(DueItem {
                what,
                due,
                days_left: (due - as_of).num_days(),
            });
        }
    }
    for g in &rep.ramp {
        let Some(days) = g
            .key
            .as_str()
            .strip_prefix("day_")
            .and_then(|d| d.parse::<i64>().ok())
        else {
            continue;
        };
        if !g.items.is_empty() && g.items.iter().all(|x| x.done) {
            continue;
        }
        let due = rep.start_date + chrono::Duration::days(days);
        let done = g.items.iter().filter(|x| x.done).count();
        out.push(DueItem {
            what: format!(
                "Day {days} ramp gate{}: {done} of {} tasks done",
                if g.gate.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", g.gate.trim())
                },
                g.items.len()
            ),
            due,
            days_left: (due - as_of).num_days(),
        });
    }
    out.retain(|x| x.days_left <= DUE_WINDOW_DAYS);
    out.sort_by_key(|x| x.due);
    out
}

/// One of the rep's open deals that moved since the last one-to-one: its
/// risk changed, or its close date moved later.
#[derive(Debug, PartialEq)]
pub struct Moved {
    pub deal: NoteIdx,
    /// The risk then and now, when it changed.
    pub risk: Option<(Option<Risk>, Option<Risk>)>,
    /// The close date then and now, when it moved later.
    pub slipped: Option<(NaiveDate, NaiveDate)>,
}

/// The rep's open deals (`deals`) whose risk changed or whose close date
/// slipped between `then` (each deal's risk and close date in the
/// snapshot at the last one-to-one, by id) and now; a deal not in the
/// snapshot is new and left out. Largest first.
pub fn moved_since(
    site: &Site,
    metrics: &Metrics,
    deals: &[NoteIdx],
    then: &std::collections::BTreeMap<String, crate::metrics::changes::DealThen>,
) -> Vec<Moved> {
    let mut out: Vec<(f64, Moved)> = deals
        .iter()
        .filter_map(|i| {
            let id = &site.notes[*i].id;
            let m = metrics.deals.get(*i).filter(|m| m.is_open)?;
            let t = then.get(id)?;
            let risk = (t.risk != m.risk).then_some((t.risk, m.risk));
            let slipped = match (t.close_date, m.close_date) {
                (Some(a), Some(b)) if t.is_open && b > a => Some((a, b)),
                _ => None,
            };
            (risk.is_some() || slipped.is_some()).then_some((
                m.amount(),
                Moved {
                    deal: *i,
                    risk,
                    slipped,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.deal.cmp(&b.1.deal)));
    out.into_iter().map(|(_, m)| m).collect()
}

/// Days an open deal's close date has passed (`Some(n)`, n > 0), else
/// `None`: with the red deals, what is true now (what changed since the
/// last one-to-one comes from the content's history, [`moved_since`]).
pub fn slipped_days(close_date: Option<NaiveDate>, is_open: bool, as_of: NaiveDate) -> Option<i64> {
    let d = (as_of - close_date?).num_days();
    (is_open && d > 0).then_some(d)
}

/// The open red deals among `deals` (the rep's), largest first.
pub fn red_deals(metrics: &Metrics, deals: &[NoteIdx]) -> Vec<NoteIdx> {
    let mut out: Vec<(f64, NoteIdx)> = deals
        .iter()
        .filter_map(|i| {
            let m = metrics.deals.get(*i)?;
            (m.risk == Some(Risk::Red)).then_some((m.amount(), *i))
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadences_as_people_write_them() {
        for (text, days) in [
            ("weekly", Some(7)),
            ("Weekly, Tuesdays 9:00", Some(7)),
            ("fortnightly", Some(14)),
            ("bi-weekly", Some(14)),
            ("biweekly", Some(14)),
            ("every two weeks", Some(14)),
            ("Every 3 weeks", Some(21)),
            ("once a month", Some(30)),
            ("monthly", Some(30)),
            ("every 10 days", Some(10)),
            ("when needed", None),
            ("", None),
        ] {
            assert_eq!(cadence_days(text), days, "{text}");
        }
    }

    #[test]
    fn slipped_is_an_open_deal_past_its_close_date() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert_eq!(slipped_days(d("2026-11-20"), true, as_of), Some(10));
        assert_eq!(slipped_days(d("2026-11-30"), true, as_of), None);
        assert_eq!(slipped_days(d("2026-12-20"), true, as_of), None);
        assert_eq!(slipped_days(d("2026-11-20"), false, as_of), None);
        assert_eq!(slipped_days(None, true, as_of), None);
    }
}

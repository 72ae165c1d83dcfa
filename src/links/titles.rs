//! Readable titles for notes without one of their own, made from their
//! kind, rep or deal and date once references are resolved.

use super::*;

/// Gives each note without a title of its own a readable one from its
/// kind, rep (or deal) and date, once references are resolved: "One-to-one
/// with Priya Natarajan, 24 Nov 2026", never the raw id. Pages keep their
/// file stem. Run on every resolve, so a renamed rep renames these too.
pub(crate) fn name_untitled(notes: &mut [Note]) {
    let all: Vec<NoteIdx> = (0..notes.len()).collect();
    name_untitled_at(notes, &all);
}

/// [`name_untitled`] for the notes at `only` (a made-up title reads the
/// titles of reps and deals, which are never made up: see [`made_up`]).
pub(crate) fn name_untitled_at(notes: &mut [Note], only: &[NoteIdx]) {
    let named: Vec<(NoteIdx, String)> = only
        .iter()
        .filter_map(|i| Some((*i, notes.get(*i)?)))
        .filter(|(_, n)| !n.title_given)
        .filter_map(|(i, n)| made_up_title(notes, n).map(|t| (i, t)))
        .collect();
    for (i, t) in named {
        notes[i].title = t;
    }
}

/// Whether the note's title is made up when none is given (from its
/// references: interactions, preps, forecasts).
pub(crate) fn made_up(n: &Note) -> bool {
    use crate::model::NoteData;
    matches!(
        n.data,
        NoteData::Interaction(_) | NoteData::Prep(_) | NoteData::Forecast(_)
    )
}

/// The title of an untitled note; `None` keeps the file stem.
fn made_up_title(notes: &[Note], n: &Note) -> Option<String> {
    use crate::model::{ForecastOwner, NoteData};
    // A reference by the name of the note it resolved to, else as written.
    let name = |r: &crate::model::RefField| match r.resolved.and_then(|i| notes.get(i)) {
        Some(t) => t.title.clone(),
        None => r.target.clone(),
    };
    let day = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
    match &n.data {
        NoteData::Interaction(x) => Some(match n.kind {
            Kind::Coaching => format!("One-to-one with {}, {}", name(&x.rep), day(x.date)),
            Kind::Call => format!("Call review with {}, {}", name(&x.rep), day(x.date)),
            _ => match &x.deal {
                Some(d) => format!("Debrief: {}, {}", name(d), day(x.date)),
                None => format!("Debrief with {}, {}", name(&x.rep), day(x.date)),
            },
        }),
        NoteData::Prep(p) => Some(format!("Prep: {}, {}", name(&p.deal), day(p.date))),
        NoteData::Forecast(f) => Some(match &f.owner {
            ForecastOwner::Rep(r) => format!("Forecast {}: {}", f.period(), name(r)),
            ForecastOwner::Team(t) => format!("Forecast {}: team {t}", f.period()),
        }),
        _ => None,
    }
}

//! The fields of each kind of note, read from its frontmatter: which
//! fields a kind knows, and the stand-ins for required fields that could
//! not be read. One submodule per group of kinds.

mod deal;
mod meetings;
mod people;

pub(crate) use deal::parse_deal;
pub use meetings::parse_period;
pub(crate) use meetings::{parse_forecast, parse_interaction, parse_prep};
pub(crate) use people::{parse_manager, parse_rep};

use super::*;
use deal::DEAL_FIELDS;
use meetings::{CALL_FIELDS, FORECAST_FIELDS, INTERACTION_FIELDS, PREP_FIELDS};
use people::{MANAGER_FIELDS, REP_FIELDS};

/// Fills each required field that could not be read with a stand-in
/// (its type's default), remembering which, so a note with errors still
/// gives a draft for the checks that read several fields.
#[derive(Default)]
struct StandIns(Vec<&'static str>);

impl StandIns {
    fn got<T: Default>(&mut self, v: Option<T>, field: &'static str) -> T {
        v.unwrap_or_else(|| {
            self.0.push(field);
            T::default()
        })
    }

    /// The fields read, complete when no stand-in was needed; the fields
    /// filled in are marked unread.
    fn finish<T>(self, r: &mut Reader, data: T) -> Read<T> {
        for f in &self.0 {
            r.mark_unread(f);
        }
        Read {
            data,
            complete: self.0.is_empty(),
        }
    }
}

/// A kind's fields as read, and whether every required one could be
/// (else `data` holds stand-ins: a draft for the checks).
pub(crate) struct Read<T> {
    pub(crate) data: T,
    pub(crate) complete: bool,
}

impl<T> Read<T> {
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        Read {
            data: f(self.data),
            complete: self.complete,
        }
    }
}

/// The fields every note may have, whatever its kind (`type` stands for
/// the configured `type_key`).
const COMMON_FIELDS: &[&str] = &[
    "type", "title", "slug", "tags", "date", "aliases", "private", "audience",
];

/// The top-level fields coachbook reads for a kind of note.
pub(crate) fn known_fields(kind: Kind) -> Vec<&'static str> {
    let own: &[&str] = match kind {
        Kind::Rep => REP_FIELDS,
        Kind::Manager => MANAGER_FIELDS,
        Kind::Deal => DEAL_FIELDS,
        Kind::Debrief | Kind::Coaching => INTERACTION_FIELDS,
        Kind::Call => return [INTERACTION_FIELDS, CALL_FIELDS].concat(),
        Kind::Prep => PREP_FIELDS,
        Kind::Forecast => FORECAST_FIELDS,
        Kind::Page => &[],
    };
    [COMMON_FIELDS, own].concat()
}

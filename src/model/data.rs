//! The fields of each kind of note, as the loader reads them.

use super::{
    CallType, Cause, Gap, OrWritten, Outcome, RampDay, RefField, Skill, CLOSED_LOST, CLOSED_WON,
};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct SkillScore {
    /// Which skill it scores.
    pub key: Skill,
    pub current: u8,
    pub target: u8,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FocusArea {
    /// A skill; a value off the list is kept as written (with a warning).
    pub skill: OrWritten<Skill>,
    pub current_behavior: String,
    pub target_behavior: String,
    pub actions: String,
    pub milestone: String,
    pub target_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RampItem {
    pub task: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RampGate {
    pub key: RampDay,
    pub items: Vec<RampItem>,
    pub gate: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rep {
    pub name: String,
    pub team: String,
    pub manager: Option<RefField>,
    pub start_date: NaiveDate,
    pub quota: f64,
    pub skills: Vec<SkillScore>,
    pub focus: Vec<FocusArea>,
    /// `(key, text)` in the order written.
    pub cadence: Vec<(String, String)>,
    pub ramp: Vec<RampGate>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    pub score: u8,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub name: String,
    pub account: String,
    pub owner: RefField,
    /// Required for closed deals; an open deal may not have one yet
    /// (counted as 0 in every sum, listed under "missing data").
    pub value: Option<f64>,
    pub stage: String,
    pub created: NaiveDate,
    /// The actual close for closed deals (required), the expected close for
    /// open ones (optional: without it a deal never slips and is never in
    /// the fiscal year's coverage).
    pub close_date: Option<NaiveDate>,
    pub probability: Option<f64>,
    pub next_step: Option<String>,
    pub key_question: Option<String>,
    pub lost_reason: Option<String>,
    /// Scores in [`MEDDPICC`] order; a missing element scores 0.
    pub meddpicc: [Element; 8],
}

impl Deal {
    pub fn is_won(&self) -> bool {
        self.stage == CLOSED_WON
    }
    pub fn is_lost(&self) -> bool {
        self.stage == CLOSED_LOST
    }
    pub fn is_closed(&self) -> bool {
        self.is_won() || self.is_lost()
    }
    /// The value in sums: 0 when an open deal has none yet.
    pub fn value_or_zero(&self) -> f64 {
        self.value.unwrap_or(0.0)
    }
    pub fn meddpicc_total(&self) -> u32 {
        self.meddpicc.iter().map(|e| u32::from(e.score)).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub at: String,
    pub what_happened: String,
    pub try_instead: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallInfo {
    pub call_type: Option<CallType>,
    pub attendees: Vec<String>,
    pub duration_min: Option<f64>,
    pub recording: Option<String>,
    pub moments: Vec<Moment>,
}

/// A debrief, coaching one-to-one or call review.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub rep: RefField,
    pub deal: Option<RefField>,
    pub date: NaiveDate,
    pub takeaway: String,
    pub gap: Option<Gap>,
    pub skill: Option<Skill>,
    pub outcome: Option<Outcome>,
    pub cause: Option<Cause>,
    /// Present for `call` notes.
    pub call: Option<CallInfo>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub objection: String,
    pub response: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prep {
    pub deal: RefField,
    /// The rep as written; see [`Prep::rep`] for the one the prep is about.
    pub rep: Option<RefField>,
    /// The deal's owner when no rep is written, resolved: set by the link
    /// stage on every run (never read from the note).
    pub deal_owner: Option<RefField>,
    pub date: NaiveDate,
    pub objective: String,
    pub buyer_needs: String,
    pub our_ask: String,
    pub objections: Vec<Objection>,
}

impl Prep {
    /// The rep this prep is about: the one written, else its deal's owner.
    pub fn rep(&self) -> Option<&RefField> {
        self.rep.as_ref().or(self.deal_owner.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ForecastOwner {
    Rep(RefField),
    Team(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub owner: ForecastOwner,
    /// Fiscal year named by the calendar year in which it starts.
    pub year: i32,
    /// Quarter 1-4.
    pub quarter: u32,
    pub commit: f64,
    pub best_case: Option<f64>,
}

impl Forecast {
    /// The period as written: `YYYY-Qn`.
    pub fn period(&self) -> String {
        format!("{}-Q{}", self.year, self.quarter)
    }
}

/// The fields of each kind.
// Each kind's fields in a box of their own: held in place, every note
// took the size of the largest kind (a deal, 536 bytes), so a `Note` was
// 928 bytes; boxed, a note holds 16 bytes here and only its own kind's
// fields are allocated (at 100k notes, about 16 MB less in all, and a
// scan of the notes reads 408-byte notes).
#[derive(Debug, Clone, PartialEq)]
pub enum NoteData {
    Rep(Box<Rep>),
    Manager(Box<Manager>),
    Deal(Box<Deal>),
    /// Debrief, coaching or call (see [`Note::kind`]).
    Interaction(Box<Interaction>),
    Prep(Box<Prep>),
    Forecast(Box<Forecast>),
    /// A plain page, or a typed note whose fields had errors: it is still
    /// rendered, but left out of the metrics.
    Page,
}

/// A first-line manager: never in the quota, attainment or coverage pools.
#[derive(Debug, Clone, PartialEq)]
pub struct Manager {
    pub name: String,
    /// The teams they lead (`team: East` or `team: [East, West]`).
    pub teams: Vec<String>,
    pub email: Option<String>,
}

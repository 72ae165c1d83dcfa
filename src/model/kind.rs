//! The kinds of note of the content model and what each one is called.

use super::canonical;

/// The kinds of note of the content model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Rep,
    /// A first-line manager with no quota of their own.
    Manager,
    Deal,
    Debrief,
    Coaching,
    Call,
    Prep,
    Forecast,
    Page,
}

impl Kind {
    /// Every kind, in the order the site lists them.
    pub const ALL: [Kind; 9] = [
        Kind::Rep,
        Kind::Manager,
        Kind::Deal,
        Kind::Debrief,
        Kind::Coaching,
        Kind::Call,
        Kind::Prep,
        Kind::Forecast,
        Kind::Page,
    ];

    /// The `type` value that selects this kind.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Rep => "rep",
            Kind::Manager => "manager",
            Kind::Deal => "deal",
            Kind::Debrief => "debrief",
            Kind::Coaching => "coaching",
            Kind::Call => "call",
            Kind::Prep => "prep",
            Kind::Forecast => "forecast",
            Kind::Page => "page",
        }
    }

    /// The URL section of notes of this kind (`/<section>/<id>/`).
    pub fn section(self) -> &'static str {
        match self {
            Kind::Rep => "reps",
            Kind::Manager => "managers",
            Kind::Deal => "deals",
            Kind::Debrief => "debriefs",
            Kind::Coaching => "coaching",
            Kind::Call => "calls",
            Kind::Prep => "preps",
            Kind::Forecast => "forecasts",
            Kind::Page => "pages",
        }
    }

    /// A human label, singular.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Rep => "Rep",
            Kind::Manager => "Manager",
            Kind::Deal => "Deal",
            Kind::Debrief => "Debrief",
            Kind::Coaching => "Coaching one-to-one",
            Kind::Call => "Call review",
            Kind::Prep => "Deal prep",
            Kind::Forecast => "Forecast",
            Kind::Page => "Page",
        }
    }

    /// A human label, plural.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Rep => "Reps",
            Kind::Manager => "Managers",
            Kind::Deal => "Deals",
            Kind::Debrief => "Debriefs",
            Kind::Coaching => "Coaching one-to-ones",
            Kind::Call => "Call reviews",
            Kind::Prep => "Deal preps",
            Kind::Forecast => "Forecasts",
            Kind::Page => "Pages",
        }
    }

    /// The kind a `type` value selects, if it is a known one (ignoring
    /// case and separators, like every enum value: `Deal`, `Coaching`).
    pub fn from_type(s: &str) -> Option<Kind> {
        let name = canonical(s, Kind::ALL.iter().map(|k| k.type_name()))?;
        Kind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    /// Whether a reference that must point to a `self` may point to a
    /// note of kind `other`: a rep's `manager` is a manager, or a rep (a
    /// player-coach with a quota stays a rep).
    pub fn accepts(self, other: Kind) -> bool {
        self == other || (self == Kind::Manager && other == Kind::Rep)
    }

    /// Debriefs, coaching one-to-ones and call reviews: the coaching interactions.
    pub fn is_interaction(self) -> bool {
        matches!(self, Kind::Debrief | Kind::Coaching | Kind::Call)
    }
}

//! The fixed value lists of the contract and how a written value matches
//! one of them (ignoring case and separators).
//!
//! Each closed list is an enum implementing [`Vocab`]: the loader parses a
//! written value once (`Closed Won`, `no-decision`: see [`enum_key`]) and
//! every later stage matches on variants; the canonical spelling
//! ([`Vocab::as_str`], `Display`, `Serialize`) is what pages and
//! metrics.json show. A deal's stage is not one of them: the open stages
//! are named in `coachbook.toml`, so a stage stays its canonical name as a
//! string (written by `validate` from the configured list), and
//! [`CLOSED_WON`] / [`CLOSED_LOST`] are the two the contract fixes.

use std::fmt;

/// The skill names of a rep's assessment, in display order: the
/// canonical spellings of [`Skill`], as a plain list for messages and
/// the frontmatter keys of `skills`.
pub const SKILLS: [&str; 6] = {
    let mut out = [""; 6];
    let mut i = 0;
    while i < out.len() {
        out[i] = <Skill as Vocab>::ALL[i].as_str();
        i += 1;
    }
    out
};

/// The eight MEDDPICC elements, in order.
pub const MEDDPICC: [&str; 8] = [
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identify_pain",
    "champion",
    "competition",
];

/// Index of `economic_buyer` in [`MEDDPICC`].
pub const ECONOMIC_BUYER: usize = 1;
/// Index of `champion` in [`MEDDPICC`].
pub const CHAMPION: usize = 6;

/// How an enum value is compared (contract, third edition): case ignored,
/// and spaces, `-` and `_` all the same (`Closed Won`, `closed-won` and
/// `closed_won` are one stage; `Qualified to Buy` is `qualified_to_buy`).
pub fn enum_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .trim()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The canonical spelling in `allowed` of an enum value written any way
/// [`enum_key`] accepts.
pub fn canonical<'a>(s: &str, allowed: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = enum_key(s);
    allowed.into_iter().find(|a| enum_key(a) == key)
}

/// Closed-won stage name.
pub const CLOSED_WON: &str = "closed_won";
/// Closed-lost stage name.
pub const CLOSED_LOST: &str = "closed_lost";

/// A closed list of values from the contract (outcome, cause, ...).
pub trait Vocab: Copy + Eq + 'static {
    /// Every value, in the contract's order.
    const ALL: &'static [Self];
    /// The canonical spelling of every value, in the same order.
    const NAMES: &'static [&'static str];

    /// The canonical spelling (`no_decision`).
    fn as_str(self) -> &'static str;

    /// The value written any way [`enum_key`] accepts (`No Decision`,
    /// `no-decision`), if it is one of the list.
    fn parse(written: &str) -> Option<Self> {
        let key = enum_key(written);
        Self::ALL
            .iter()
            .copied()
            .find(|v| enum_key(v.as_str()) == key)
    }
}

/// Declares a [`Vocab`] enum: each variant with its canonical spelling.
macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vm])* $v,)+
        }

        impl $name {
            /// The canonical spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$v => $s,)+
                }
            }
        }

        impl Vocab for $name {
            const ALL: &'static [Self] = &[$($name::$v,)+];
            const NAMES: &'static [&'static str] = &[$($s,)+];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

vocab! {
    /// The skills of a rep's assessment (`skills`, `focus[].skill`, an
    /// interaction's `skill`), in display order.
    Skill {
        Discovery = "discovery",
        Qualification = "qualification",
        ObjectionHandling = "objection_handling",
        ExecutivePresence = "executive_presence",
        Closing = "closing",
        ForecastAccuracy = "forecast_accuracy",
    }
}

vocab! {
    /// An interaction's `gap`: a skill gap is coached, a will gap is managed.
    Gap {
        Skill = "skill",
        Will = "will",
    }
}

vocab! {
    /// An interaction's `outcome`.
    Outcome {
        Won = "won",
        Lost = "lost",
        NoDecision = "no_decision",
        Advanced = "advanced",
        Stalled = "stalled",
    }
}

vocab! {
    /// A lost-deal debrief's `cause`: the process, not the person.
    Cause {
        Qualification = "qualification",
        Execution = "execution",
        Competition = "competition",
    }
}

vocab! {
    /// A call review's `call_type`.
    CallType {
        Discovery = "discovery",
        Demo = "demo",
        Negotiation = "negotiation",
        Executive = "executive",
    }
}

vocab! {
    /// The gates of a new rep's `ramp` (frontmatter keys, matched exactly).
    RampDay {
        Day30 = "day_30",
        Day60 = "day_60",
        Day90 = "day_90",
    }
}

/// A value that should be one of a list but is kept as written when it
/// is not (a warning, not an error): a focus area's `skill`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrWritten<T> {
    /// One of the list.
    Known(T),
    /// Anything else, as written (maybe empty).
    Written(String),
}

impl<T: Vocab> OrWritten<T> {
    /// Parses `written` once: a value of the list, else the text itself.
    pub fn parse(written: String) -> Self {
        T::parse(&written).map_or(OrWritten::Written(written), OrWritten::Known)
    }

    /// The canonical spelling, or the text as written.
    pub fn as_str(&self) -> &str {
        match self {
            OrWritten::Known(v) => v.as_str(),
            OrWritten::Written(s) => s,
        }
    }

    /// The text as written when it is not empty and names nothing of the list.
    pub fn unknown(&self) -> Option<&str> {
        match self {
            OrWritten::Written(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

impl<T> Default for OrWritten<T> {
    fn default() -> Self {
        OrWritten::Written(String::new())
    }
}

impl<T: Vocab> fmt::Display for OrWritten<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: Vocab> serde::Serialize for OrWritten<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_ignoring_case_and_separators() {
        assert_eq!(Outcome::parse("No Decision"), Some(Outcome::NoDecision));
        assert_eq!(Outcome::parse(" LOST "), Some(Outcome::Lost));
        assert_eq!(Outcome::parse("nodecision"), None);
        assert_eq!(
            Skill::parse("Objection-Handling"),
            Some(Skill::ObjectionHandling)
        );
        assert_eq!(CallType::parse("demo"), Some(CallType::Demo));
        assert_eq!(Gap::parse("WILL"), Some(Gap::Will));
        assert_eq!(Cause::parse(""), None);
    }

    #[test]
    fn canonical_spelling_is_shown_and_serialised() {
        assert_eq!(Outcome::NoDecision.to_string(), "no_decision");
        assert_eq!(
            serde_json::to_string(&[Skill::ForecastAccuracy]).unwrap(),
            r#"["forecast_accuracy"]"#
        );
        assert_eq!(SKILLS, Skill::NAMES);
        let names: Vec<_> = RampDay::ALL.iter().map(|d| d.as_str()).collect();
        assert_eq!(names, RampDay::NAMES);
    }

    #[test]
    fn a_value_off_the_list_is_kept_as_written() {
        let s = OrWritten::<Skill>::parse("Closing".into());
        assert_eq!((s.as_str(), s.unknown()), ("closing", None));
        let s = OrWritten::<Skill>::parse("negotiation".into());
        assert_eq!(
            (s.as_str(), s.unknown()),
            ("negotiation", Some("negotiation"))
        );
        assert_eq!(OrWritten::<Skill>::parse(String::new()).unknown(), None);
    }
}

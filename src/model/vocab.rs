//! The fixed value lists of the contract and how a written value matches
//! one of them (ignoring case and separators).

/// The six skills of a rep's assessment, in display order.
pub const SKILLS: [&str; 6] = [
    "discovery",
    "qualification",
    "objection_handling",
    "executive_presence",
    "closing",
    "forecast_accuracy",
];

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

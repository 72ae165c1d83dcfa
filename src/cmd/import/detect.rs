//! Reading dates and amounts as a CRM export writes them, without guessing.
//!
//! A cell alone often cannot say what it means: `05/04/2024` is 5 April or
//! 4 May, `1,200` is twelve hundred or one point two. So each column is
//! read twice: first every cell is classified ([`RawDate`], [`RawNumber`])
//! and the column's convention is decided from all of its values
//! ([`date_order`], [`decimal_separator`]); then each cell is read with
//! that convention. A column whose values contradict each other, or that
//! never settles the question, stops the import with the rows to look at:
//! the user says which convention holds (`date_format`, `decimal`).

mod numbers;
#[cfg(test)]
mod tests;

pub use numbers::*;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Dates outside these years are refused: a year 5 or 2917 in a sales
/// pipeline is a misread column, not a deal.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The order of day and month in a date written with numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl DateOrder {
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day first (DD/MM/YYYY)",
            DateOrder::MonthFirst => "month first (MM/DD/YYYY)",
        }
    }
}

/// One date cell, read before its column's order is known.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDate {
    Empty,
    /// A date whose reading does not depend on the order: year first
    /// (`2026-03-04`, `2026/03/04`) or a month name (`4 Mar 2026`).
    Known(NaiveDate),
    /// `a/b/yyyy` (or with `-`, `.`): day and month in either order.
    Numeric {
        a: u32,
        b: u32,
        year: i32,
    },
    /// A two-digit year (`05-04-17`): refused unless `date_format` says how
    /// to read it.
    TwoDigitYear,
    /// Not a date at all; the text says why.
    Bad(String),
}

/// The formats with a month name, tried on the whole cell.
const NAMED: &[&str] = &[
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d. %B %Y",
    "%d. %b %Y",
];

/// Splits `2026-03-04 10:22`, `2026-03-04T10:22:00Z` and `3/4/2026 10:22 AM`
/// into the date and the time (which is checked, then dropped).
fn split_time(s: &str) -> (&str, &str) {
    if let Some(i) = s.find(char::is_whitespace) {
        return (&s[..i], s[i..].trim());
    }
    if let Some(i) = s.find('T') {
        if i >= 8 && s[..i].bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return (&s[..i], &s[i + 1..]);
        }
    }
    (s, "")
}

/// Whether `t` looks like a time of day: `10:22`, `10:22:05.123`,
/// `9:05 PM`, `10:22:00Z`, `10:22+02:00`, `10:22 UTC`.
fn is_time(t: &str) -> bool {
    let mut t = t.trim();
    for zone in ["UTC", "GMT", "Z"] {
        if let Some(rest) = t.strip_suffix(zone) {
            t = rest.trim_end();
            break;
        }
    }
    // An offset: +02:00, -0500.
    if let Some(i) = t.rfind(['+', '-']) {
        let off = &t[i + 1..];
        if i > 0 && !off.is_empty() && off.bytes().all(|b| b.is_ascii_digit() || b == b':') {
            t = t[..i].trim_end();
        }
    }
    for ampm in ["AM", "PM", "am", "pm"] {
        if let Some(rest) = t.strip_suffix(ampm) {
            t = rest.trim_end();
            break;
        }
    }
    let mut parts = t.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let digits = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let sec_ok = match parts.next() {
        None => true,
        Some(s) => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
            digits(whole, 2, 2) && digits(frac, 1, 9)
        }
    };
    digits(h, 1, 2) && digits(m, 2, 2) && sec_ok && parts.next().is_none()
}

/// Classifies one date cell (no explicit format).
pub fn classify_date(cell: &str) -> RawDate {
    let s = cell.trim();
    if s.is_empty() {
        return RawDate::Empty;
    }
    if s.chars().any(|c| c.is_alphabetic()) {
        for f in NAMED {
            if let Ok(d) = NaiveDate::parse_from_str(s, f) {
                return RawDate::Known(d);
            }
        }
    }
    let (date, time) = split_time(s);
    if !time.is_empty() && !is_time(time) {
        return RawDate::Bad(format!("{s:?} is not a date"));
    }
    let seps: Vec<char> = date.chars().filter(|c| !c.is_ascii_digit()).collect();
    let sep = match seps.as_slice() {
        [a, b] if a == b && matches!(a, '-' | '/' | '.') => *a,
        _ => return RawDate::Bad(format!("{s:?} is not a date")),
    };
    let parts: Vec<&str> = date.split(sep).collect();
    let [p0, p1, p2] = parts.as_slice() else {
        return RawDate::Bad(format!("{s:?} is not a date"));
    };
    let n = |p: &str| p.parse::<u32>().ok();
    let (Some(x), Some(y), Some(z)) = (n(p0), n(p1), n(p2)) else {
        return RawDate::Bad(format!("{s:?} is not a date"));
    };
    let short = |p: &str| (1..=2).contains(&p.len());
    if p0.len() == 4 && short(p1) && short(p2) {
        // Year first: always year, month, day.
        return match NaiveDate::from_ymd_opt(x as i32, y, z) {
            Some(d) => RawDate::Known(d),
            None => RawDate::Bad(format!("{s:?} is not a date")),
        };
    }
    if short(p0) && short(p1) && p2.len() == 4 {
        return RawDate::Numeric {
            a: x,
            b: y,
            year: z as i32,
        };
    }
    if short(p0) && short(p1) && p2.len() == 2 {
        return RawDate::TwoDigitYear;
    }
    RawDate::Bad(format!("{s:?} is not a date"))
}

/// The date of a numeric cell in `order`, if it is a real date.
pub fn numeric_date(a: u32, b: u32, year: i32, order: DateOrder) -> Option<NaiveDate> {
    match order {
        DateOrder::DayFirst => NaiveDate::from_ymd_opt(year, b, a),
        DateOrder::MonthFirst => NaiveDate::from_ymd_opt(year, a, b),
    }
}

/// Why a column's date order could not be decided.
#[derive(Debug, PartialEq)]
pub enum OrderError {
    /// Some values only read day first, others only month first.
    Conflict {
        day_first: Vec<usize>,
        month_first: Vec<usize>,
    },
    /// Every numeric value reads both ways (the rows of a few).
    Ambiguous(Vec<usize>),
}

/// Decides the day/month order of a column from all its numeric values
/// (`(row, cell)`): a value that is a date in only one order settles it.
/// `Ok(None)`: the column has no numeric values, nothing to decide.
pub fn date_order(cells: &[(usize, RawDate)]) -> Result<Option<DateOrder>, OrderError> {
    let (mut day, mut month, mut ambiguous) = (Vec::new(), Vec::new(), Vec::new());
    for (row, c) in cells {
        if let RawDate::Numeric { a, b, year } = *c {
            let d = numeric_date(a, b, year, DateOrder::DayFirst).is_some();
            let m = numeric_date(a, b, year, DateOrder::MonthFirst).is_some();
            match (d, m) {
                (true, false) => day.push(*row),
                (false, true) => month.push(*row),
                (true, true) => ambiguous.push(*row),
                (false, false) => {}
            }
        }
    }
    match (day.is_empty(), month.is_empty()) {
        (false, false) => Err(OrderError::Conflict {
            day_first: day,
            month_first: month,
        }),
        (false, true) => Ok(Some(DateOrder::DayFirst)),
        (true, false) => Ok(Some(DateOrder::MonthFirst)),
        (true, true) if ambiguous.is_empty() => Ok(None),
        (true, true) => Err(OrderError::Ambiguous(ambiguous)),
    }
}

/// A `date_format` as the user wrote it: a chrono format (`%d-%m-%y`) or
/// the letters people write (`DD-MM-YY`, `MM/DD/YYYY`, `YYYY.MM.DD`).
pub fn chrono_format(f: &str) -> Result<String, String> {
    let f = f.trim();
    if f.contains('%') {
        // Check it reads a date at all: a format without day, month or
        // year never matches anything.
        for need in [["%d", "%e"], ["%m", "%b"], ["%Y", "%y"]] {
            let alt = match need[1] {
                "%b" => ["%b", "%B"].iter().any(|x| f.contains(x)),
                other => f.contains(other),
            };
            if !f.contains(need[0]) && !alt {
                return Err(format!(
                    "the date format {f:?} has no {} field",
                    match need[0] {
                        "%d" => "day (%d)",
                        "%m" => "month (%m)",
                        _ => "year (%Y or %y)",
                    }
                ));
            }
        }
        return Ok(f.to_string());
    }
    let mut out = String::new();
    let mut rest = f;
    let (mut d, mut m, mut y) = (false, false, false);
    while !rest.is_empty() {
        let upper = rest.to_ascii_uppercase();
        let (tok, len) = if upper.starts_with("YYYY") {
            y = true;
            ("%Y", 4)
        } else if upper.starts_with("YY") {
            y = true;
            ("%y", 2)
        } else if upper.starts_with("DD") {
            d = true;
            ("%d", 2)
        } else if upper.starts_with("MM") {
            m = true;
            ("%m", 2)
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                return Err(format!(
                    "the date format {f:?} is neither a chrono format (%d-%m-%Y) nor made of DD, MM, YYYY or YY and separators"
                ));
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        out.push_str(tok);
        rest = &rest[len..];
    }
    if !(d && m && y) {
        return Err(format!(
            "the date format {f:?} needs a day (DD), a month (MM) and a year (YYYY or YY)"
        ));
    }
    Ok(out)
}

/// One date cell read with an explicit chrono format. Year-first ISO dates
/// are read too (they cannot be misread); anything else must match.
pub fn parse_with_format(cell: &str, format: &str) -> RawDate {
    let s = cell.trim();
    if s.is_empty() {
        return RawDate::Empty;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, format) {
        return RawDate::Known(d);
    }
    if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
        return RawDate::Known(d.date());
    }
    let (date, time) = split_time(s);
    if time.is_empty() || is_time(time) {
        if let Ok(d) = NaiveDate::parse_from_str(date, format) {
            return RawDate::Known(d);
        }
    }
    match classify_date(s) {
        k @ RawDate::Known(_)
            if date.len() >= 8 && date[..4].bytes().all(|b| b.is_ascii_digit()) =>
        {
            k
        }
        _ => RawDate::Bad(format!("{s:?} does not match the date format {format:?}")),
    }
}

/// A date's year checked against [`YEARS`].
pub fn check_year(d: NaiveDate, cell: &str) -> Result<NaiveDate, String> {
    if YEARS.contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "{:?} is in the year {}, outside {}-{}",
            cell.trim(),
            d.year(),
            YEARS.start(),
            YEARS.end()
        ))
    }
}

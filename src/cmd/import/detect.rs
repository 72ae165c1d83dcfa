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

// ---------------------------------------------------------------- numbers

/// One amount cell, read before its column's decimal separator is known.
#[derive(Debug, Clone, PartialEq)]
pub enum RawNumber {
    Empty,
    /// `-5`, `(1,200)`, `1.200,50-`: amounts are never negative.
    Negative,
    Bad(String),
    Num(NumText),
}

/// The digits and separators of a number, and what follows them.
#[derive(Debug, Clone, PartialEq)]
pub struct NumText {
    /// Digits, `.` and `,` only (spaces, apostrophes and currency gone).
    pub core: String,
    /// Powers of ten from a `k` (3) or `M` (6) suffix.
    pub shift: u32,
    /// The exponent of `1.5e5`.
    pub exp: Option<i32>,
}

/// What one number says about its column's decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// No separator, or nothing to learn.
    None,
    /// The decimal separator must be this one.
    Decimal(char),
    /// `1,200` or `1.200`: a thousands separator or a decimal one.
    Ambiguous,
}

fn is_currency(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '₹'
            | '₩'
            | '₽'
            | '₺'
            | '₪'
            | '฿'
            | '₫'
            | '₴'
            | '₦'
            | '¢'
    )
}

/// Strips currency signs and codes (`USD`, `EUR`, `US$`, `R$`, `CHF`) from
/// the start (one to three capital letters) and the end (exactly three).
fn strip_currency(mut s: &str) -> &str {
    loop {
        let t = s.trim();
        let lead_letters = t.chars().take_while(|c| c.is_ascii_uppercase()).count();
        let t2 = if lead_letters > 0
            && lead_letters <= 3
            && t[lead_letters..]
                .chars()
                .next()
                .is_some_and(|c| c.is_whitespace() || is_currency(c) || !c.is_alphanumeric())
        {
            &t[lead_letters..]
        } else {
            t
        };
        let t2 = t2.trim_start_matches(is_currency).trim();
        let trail_letters = t2
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let t3 = if trail_letters == 3
            && t2[..t2.len() - 3]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c.is_ascii_digit() || is_currency(c))
        {
            &t2[..t2.len() - 3]
        } else {
            t2
        };
        let t3 = t3.trim_end_matches(is_currency).trim();
        if t3.len() == s.len() {
            return t3;
        }
        s = t3;
    }
}

/// Classifies one amount (or probability) cell.
pub fn classify_number(cell: &str) -> RawNumber {
    let original = cell.trim();
    if original.is_empty() {
        return RawNumber::Empty;
    }
    let bad = || RawNumber::Bad(format!("{original:?} is not an amount"));
    let mut s = strip_currency(original);
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = strip_currency(inner);
    }
    for minus in ['-', '\u{2212}'] {
        if let Some(rest) = s.strip_prefix(minus) {
            negative = true;
            s = strip_currency(rest);
        } else if let Some(rest) = s.strip_suffix(minus) {
            negative = true;
            s = strip_currency(rest);
        }
    }
    let s = s.strip_prefix('+').unwrap_or(s).trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim_end();
    let (s, shift) = match s.char_indices().next_back() {
        Some((i, 'k' | 'K')) => (s[..i].trim_end(), 3),
        Some((i, 'M')) => (s[..i].trim_end(), 6),
        _ => (s, 0),
    };
    // An exponent: 1.5e5, 1.2E+06.
    let (s, exp) = match s.find(['e', 'E']) {
        Some(i) => match s[i + 1..].parse::<i32>() {
            Ok(e) if (-20..=20).contains(&e) => (&s[..i], Some(e)),
            _ => return bad(),
        },
        None => (s, None),
    };
    let mut core = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' | '.' | ',' => core.push(c),
            // Thousands separators some locales use.
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {}
            _ => return bad(),
        }
    }
    if !core.bytes().any(|b| b.is_ascii_digit()) {
        return bad();
    }
    if negative {
        return RawNumber::Negative;
    }
    RawNumber::Num(NumText { core, shift, exp })
}

/// Whether `groups` (split at the thousands separator) are a well-formed
/// grouping: 1-3 digits, then exactly 3 each.
fn grouped(groups: &[&str]) -> bool {
    groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// What `n` says about the decimal separator.
pub fn evidence(n: &NumText) -> Evidence {
    if n.exp.is_some() {
        return Evidence::Decimal('.');
    }
    let core = n.core.as_str();
    let dots = core.matches('.').count();
    let commas = core.matches(',').count();
    match (dots, commas) {
        (0, 0) => Evidence::None,
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            if count > 1 {
                // Only thousands separators repeat: the decimal one is the other.
                return Evidence::Decimal(if sep == '.' { ',' } else { '.' });
            }
            let (before, after) = core.split_once(sep).unwrap_or((core, ""));
            if after.len() != 3 || before.is_empty() || before.len() > 3 || before == "0" {
                Evidence::Decimal(sep)
            } else {
                Evidence::Ambiguous
            }
        }
        _ => {
            // Both: the last one is the decimal separator.
            let last = core
                .rfind(['.', ','])
                .map_or('.', |i| core.as_bytes()[i] as char);
            Evidence::Decimal(last)
        }
    }
}

/// Why a column's decimal separator could not be decided.
#[derive(Debug, PartialEq)]
pub enum DecimalError {
    Conflict { dot: Vec<usize>, comma: Vec<usize> },
    Ambiguous(Vec<usize>),
}

/// Decides a column's decimal separator from all its values.
/// `Ok(None)`: no value needs one.
pub fn decimal_separator(cells: &[(usize, RawNumber)]) -> Result<Option<char>, DecimalError> {
    let (mut dot, mut comma, mut ambiguous) = (Vec::new(), Vec::new(), Vec::new());
    for (row, c) in cells {
        if let RawNumber::Num(n) = c {
            match evidence(n) {
                Evidence::Decimal('.') => dot.push(*row),
                Evidence::Decimal(_) => comma.push(*row),
                Evidence::Ambiguous => ambiguous.push(*row),
                Evidence::None => {}
            }
        }
    }
    match (dot.is_empty(), comma.is_empty()) {
        (false, false) => Err(DecimalError::Conflict { dot, comma }),
        (false, true) => Ok(Some('.')),
        (true, false) => Ok(Some(',')),
        (true, true) if ambiguous.is_empty() => Ok(None),
        (true, true) => Err(DecimalError::Ambiguous(ambiguous)),
    }
}

/// The value of `n` with `decimal` as the decimal separator (the other one
/// may only group thousands), exactly: a `k` or `M` suffix moves the
/// decimal point, it never multiplies a rounded number.
pub fn number_value(n: &NumText, decimal: Option<char>) -> Result<f64, String> {
    let decimal = decimal.unwrap_or('.');
    let group = if decimal == '.' { ',' } else { '.' };
    let (int_part, frac) = match n.core.matches(decimal).count() {
        0 => (n.core.as_str(), ""),
        1 => n.core.split_once(decimal).unwrap_or((n.core.as_str(), "")),
        _ => return Err(format!("has {decimal:?} twice")),
    };
    if frac.contains(group) {
        return Err(format!(
            "has {group:?} after the decimal separator {decimal:?}"
        ));
    }
    let int_digits: String = if int_part.contains(group) {
        let groups: Vec<&str> = int_part.split(group).collect();
        if !grouped(&groups) {
            return Err(format!(
                "is not grouped in thousands with {group:?} (the decimal separator is {decimal:?})"
            ));
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    let int_digits = if int_digits.is_empty() {
        "0".to_string()
    } else {
        int_digits
    };
    // Move the decimal point by the suffix, on the digits themselves.
    let mut digits = format!("{int_digits}{frac}");
    let mut point = int_digits.len() as i64 + i64::from(n.shift) + i64::from(n.exp.unwrap_or(0));
    if point < 0 {
        digits = format!("{}{digits}", "0".repeat((-point) as usize));
        point = 0;
    }
    let point = point as usize;
    if digits.len() < point {
        digits.push_str(&"0".repeat(point - digits.len()));
    }
    let text = format!("{}.{}", &digits[..point], &digits[point..]);
    let text = text.trim_end_matches('.');
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_string()
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err("is not a number".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn num(s: &str, decimal: Option<char>) -> Result<f64, String> {
        match classify_number(s) {
            RawNumber::Num(n) => number_value(&n, decimal),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn dates_that_read_one_way_only() {
        assert_eq!(classify_date("2026-03-04"), RawDate::Known(ymd(2026, 3, 4)));
        assert_eq!(
            classify_date("2026-03-04T23:10:00.000Z"),
            RawDate::Known(ymd(2026, 3, 4))
        );
        assert_eq!(
            classify_date("2026-08-20 00:00"),
            RawDate::Known(ymd(2026, 8, 20))
        );
        assert_eq!(classify_date("4 Mar 2026"), RawDate::Known(ymd(2026, 3, 4)));
        assert_eq!(
            classify_date("March 4, 2026"),
            RawDate::Known(ymd(2026, 3, 4))
        );
        assert_eq!(
            classify_date("3/4/2026 10:22 AM"),
            RawDate::Numeric {
                a: 3,
                b: 4,
                year: 2026
            }
        );
        assert_eq!(classify_date("17-04-05"), RawDate::TwoDigitYear);
        assert!(matches!(classify_date("2026-02-30"), RawDate::Bad(_)));
        assert!(matches!(classify_date("soon"), RawDate::Bad(_)));
        assert!(matches!(classify_date("3/4/2026 lunch"), RawDate::Bad(_)));
        assert!(matches!(classify_date("3/4-2026"), RawDate::Bad(_)));
        assert_eq!(classify_date("  "), RawDate::Empty);
    }

    #[test]
    fn a_column_order_comes_from_all_its_values() {
        let col = |v: &[&str]| -> Vec<(usize, RawDate)> {
            v.iter()
                .enumerate()
                .map(|(i, s)| (i + 2, classify_date(s)))
                .collect()
        };
        assert_eq!(
            date_order(&col(&["05/01/2024", "13/01/2024"])),
            Ok(Some(DateOrder::DayFirst))
        );
        assert_eq!(
            date_order(&col(&["05/01/2024", "01/13/2024"])),
            Ok(Some(DateOrder::MonthFirst))
        );
        assert_eq!(
            date_order(&col(&["05/01/2024", "06/02/2024"])),
            Err(OrderError::Ambiguous(vec![2, 3]))
        );
        assert_eq!(
            date_order(&col(&["13/01/2024", "05/01/2024", "01/13/2024"])),
            Err(OrderError::Conflict {
                day_first: vec![2],
                month_first: vec![4]
            })
        );
        // An ISO column has nothing to decide; an impossible date is no
        // evidence either way.
        assert_eq!(date_order(&col(&["2024-01-05", "13/45/2024"])), Ok(None));
    }

    #[test]
    fn date_formats_as_people_write_them() {
        assert_eq!(chrono_format("DD-MM-YY").unwrap(), "%d-%m-%y");
        assert_eq!(chrono_format("mm/dd/yyyy").unwrap(), "%m/%d/%Y");
        assert_eq!(chrono_format("%d.%m.%Y").unwrap(), "%d.%m.%Y");
        assert!(chrono_format("DD-MM").is_err());
        assert!(chrono_format("%d-%m").is_err());
        assert!(chrono_format("day first").is_err());
        assert_eq!(
            parse_with_format("17-04-05", "%d-%m-%y"),
            RawDate::Known(ymd(2005, 4, 17))
        );
        assert_eq!(
            parse_with_format("2026-04-05", "%d-%m-%y"),
            RawDate::Known(ymd(2026, 4, 5))
        );
        assert!(matches!(
            parse_with_format("17/04/05", "%d-%m-%y"),
            RawDate::Bad(_)
        ));
        assert!(check_year(ymd(5, 4, 17), "0005-04-17").is_err());
        assert!(check_year(ymd(2101, 1, 1), "x").is_err());
        assert!(check_year(ymd(1990, 1, 1), "x").is_ok());
    }

    #[test]
    fn amounts_exactly_or_not_at_all() {
        assert_eq!(num("$180,000.00", None), Ok(180000.0));
        assert_eq!(num("1.200,50", Some(',')), Ok(1200.5));
        assert!(num("\"350.000,00\"", Some(',')).is_err());
        assert_eq!(num("350.000,00", Some(',')), Ok(350000.0));
        assert_eq!(num("EUR 1.200,50", Some(',')), Ok(1200.5));
        assert_eq!(num("1 200,50 €", Some(',')), Ok(1200.5));
        assert_eq!(num("1'200.50 CHF", Some('.')), Ok(1200.5));
        assert_eq!(num("12k", None), Ok(12000.0));
        assert_eq!(num("12.5k", Some('.')), Ok(12500.0));
        assert_eq!(num("1,5M", Some(',')), Ok(1_500_000.0));
        assert_eq!(num("0.1k", Some('.')), Ok(100.0));
        assert_eq!(num("1.5e5", Some('.')), Ok(150000.0));
        assert_eq!(num("1,200", Some('.')), Ok(1200.0));
        assert_eq!(num("1,200", Some(',')), Ok(1.2));
        // A value that does not fit the column's separator is refused.
        assert!(num("1.200,50", Some('.')).is_err());
        assert!(num("1.2.3", Some('.')).is_err());
        assert!(num("12,00,000", Some('.')).is_err());
        assert_eq!(classify_number("(1,200)"), RawNumber::Negative);
        assert_eq!(classify_number("-5"), RawNumber::Negative);
        assert_eq!(classify_number("$(1,200.00)"), RawNumber::Negative);
        assert_eq!(classify_number("1.200,50-"), RawNumber::Negative);
        for bad in ["lots", "12 units", "TBD", "12m", "1e999", "$", "12kk"] {
            assert!(
                matches!(classify_number(bad), RawNumber::Bad(_)),
                "{bad}: {:?}",
                classify_number(bad)
            );
        }
        assert_eq!(classify_number(""), RawNumber::Empty);
    }

    #[test]
    fn a_column_decimal_separator_comes_from_all_its_values() {
        let col = |v: &[&str]| -> Vec<(usize, RawNumber)> {
            v.iter()
                .enumerate()
                .map(|(i, s)| (i + 2, classify_number(s)))
                .collect()
        };
        let ev = |s: &str| match classify_number(s) {
            RawNumber::Num(n) => evidence(&n),
            _ => Evidence::None,
        };
        assert_eq!(ev("1,200"), Evidence::Ambiguous);
        assert_eq!(ev("1.200"), Evidence::Ambiguous);
        assert_eq!(ev("1.200,50"), Evidence::Decimal(','));
        assert_eq!(ev("1,200.50"), Evidence::Decimal('.'));
        assert_eq!(ev("1.200.000"), Evidence::Decimal(','));
        assert_eq!(ev("12,5"), Evidence::Decimal(','));
        assert_eq!(ev("0,125"), Evidence::Decimal(','));
        assert_eq!(ev("1234,567"), Evidence::Decimal(','));
        assert_eq!(ev("1200"), Evidence::None);
        assert_eq!(
            decimal_separator(&col(&["1,200", "1200"])),
            Err(DecimalError::Ambiguous(vec![2]))
        );
        assert_eq!(
            decimal_separator(&col(&["1,200", "350.000,00"])),
            Ok(Some(','))
        );
        assert_eq!(decimal_separator(&col(&["1,200", "99.5"])), Ok(Some('.')));
        assert_eq!(decimal_separator(&col(&["100", "200"])), Ok(None));
        assert_eq!(
            decimal_separator(&col(&["1.200,50", "1,200.50"])),
            Err(DecimalError::Conflict {
                dot: vec![3],
                comma: vec![2]
            })
        );
    }

    /// No cell makes the readers panic: every short string over an
    /// alphabet of the characters they treat specially.
    #[test]
    fn no_cell_panics() {
        let alphabet: Vec<char> = "0123456789.,-/ :T()kKMeE+%$€'\"ZAPUSD\u{a0}\u{2212}é名"
            .chars()
            .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let len = (next() % 14) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = classify_date(&s);
            let _ = parse_with_format(&s, "%d-%m-%y");
            let _ = chrono_format(&s);
            if let RawNumber::Num(n) = classify_number(&s) {
                let _ = evidence(&n);
                let _ = number_value(&n, Some(','));
                let _ = number_value(&n, Some('.'));
            }
        }
    }
}

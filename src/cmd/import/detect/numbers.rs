//! Amounts: each cell classified ([`RawNumber`]) before the column's
//! decimal separator is decided from all of its values
//! ([`decimal_separator`]), then read with it ([`number_value`]).

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

/// Strips a currency sign or a code of up to three capital letters
/// (`USD`, `EUR`, `US$`, `R$`, `CHF`) from the start and the end.
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

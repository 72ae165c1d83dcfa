//! The fiscal calendar: which fiscal year and quarter a date falls in, where
//! they start and end, and the `YYYY-Qn` period notation.
//!
//! A fiscal year starts on day 1 of `fiscal_year_start_month` and is named by
//! the calendar year in which it starts; Q1 starts on its first day. Every
//! date computation is checked: dates outside chrono's range give `None`
//! instead of a panic.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// A fiscal year: its name and first and last day (both included).
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalYear {
    /// The calendar year in which it starts.
    pub name: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl FiscalYear {
    /// Whether `d` lies in this fiscal year.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// A fiscal quarter: quarter `quarter` (1-4) of fiscal year `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u32,
}

impl Quarter {
    /// `YYYY-Qn`.
    pub fn label(&self) -> String {
        format_period(self.year, self.quarter)
    }

    /// The quarter `n` quarters later (`n` may be negative).
    pub fn offset(&self, n: i64) -> Option<Quarter> {
        if !(1..=4).contains(&self.quarter) {
            return None;
        }
        let k = i64::from(self.year)
            .checked_mul(4)?
            .checked_add(i64::from(self.quarter) - 1)?
            .checked_add(n)?;
        let year = i32::try_from(k.div_euclid(4)).ok()?;
        let quarter = u32::try_from(k.rem_euclid(4)).ok()? + 1;
        Some(Quarter { year, quarter })
    }

    /// First day of the quarter.
    pub fn start(&self, start_month: u32) -> Option<NaiveDate> {
        quarter_start(self.year, self.quarter, start_month)
    }

    /// Last day of the quarter.
    pub fn end(&self, start_month: u32) -> Option<NaiveDate> {
        quarter_end(self.year, self.quarter, start_month)
    }
}

/// A valid start month (1-12); anything else falls back to January.
fn month(start_month: u32) -> u32 {
    if (1..=12).contains(&start_month) {
        start_month
    } else {
        1
    }
}

/// The name of the fiscal year containing `d`.
pub fn fy_name_of(d: NaiveDate, start_month: u32) -> i32 {
    if d.month() >= month(start_month) {
        d.year()
    } else {
        d.year() - 1
    }
}

/// First day of fiscal year `year`.
pub fn fy_start(year: i32, start_month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month(start_month), 1)
}

/// Last day of fiscal year `year`.
pub fn fy_end(year: i32, start_month: u32) -> Option<NaiveDate> {
    fy_start(year, start_month)?
        .checked_add_months(Months::new(12))?
        .pred_opt()
}

/// The fiscal year containing `d`, if its bounds are representable.
pub fn fiscal_year_of(d: NaiveDate, start_month: u32) -> Option<FiscalYear> {
    let name = fy_name_of(d, start_month);
    Some(FiscalYear {
        name,
        start: fy_start(name, start_month)?,
        end: fy_end(name, start_month)?,
    })
}

/// First day of quarter `q` (1-4) of fiscal year `year`.
pub fn quarter_start(year: i32, q: u32, start_month: u32) -> Option<NaiveDate> {
    if !(1..=4).contains(&q) {
        return None;
    }
    fy_start(year, start_month)?.checked_add_months(Months::new(3 * (q - 1)))
}

/// Last day of quarter `q` (1-4) of fiscal year `year`.
pub fn quarter_end(year: i32, q: u32, start_month: u32) -> Option<NaiveDate> {
    quarter_start(year, q, start_month)?
        .checked_add_months(Months::new(3))?
        .pred_opt()
}

/// The fiscal quarter containing `d`.
pub fn quarter_of(d: NaiveDate, start_month: u32) -> Quarter {
    let m = month(start_month);
    // Months since the start of the fiscal year: 0..=11.
    let since = (d.month() + 12 - m) % 12;
    Quarter {
        year: fy_name_of(d, start_month),
        quarter: since / 3 + 1,
    }
}

/// Formats `(year, n)` as `YYYY-Qn`.
pub fn format_period(year: i32, quarter: u32) -> String {
    format!("{year}-Q{quarter}")
}

/// The last two full fiscal quarters before `as_of` (the two most recent
/// quarters whose last day is before `as_of`), oldest first.
///
/// The quarter containing `as_of` never qualifies (its last day is on or
/// after `as_of`), so these are the two quarters before it.
pub fn last_two_full_quarters(as_of: NaiveDate, start_month: u32) -> Option<[Quarter; 2]> {
    let cur = quarter_of(as_of, start_month);
    Some([cur.offset(-2)?, cur.offset(-1)?])
}

/// The two quarters before [`last_two_full_quarters`], oldest first.
pub fn prior_two_full_quarters(as_of: NaiveDate, start_month: u32) -> Option<[Quarter; 2]> {
    let cur = quarter_of(as_of, start_month);
    Some([cur.offset(-4)?, cur.offset(-3)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn calendar_year() {
        let fy = fiscal_year_of(d("2026-11-25"), 1).unwrap();
        assert_eq!(fy.name, 2026);
        assert_eq!(fy.start, d("2026-01-01"));
        assert_eq!(fy.end, d("2026-12-31"));
        assert_eq!(quarter_start(2026, 3, 1), Some(d("2026-07-01")));
        assert_eq!(quarter_end(2026, 3, 1), Some(d("2026-09-30")));
    }

    #[test]
    fn april_start() {
        let fy = fiscal_year_of(d("2026-03-31"), 4).unwrap();
        assert_eq!(fy.name, 2025);
        assert_eq!((fy.start, fy.end), (d("2025-04-01"), d("2026-03-31")));
        let fy = fiscal_year_of(d("2026-04-01"), 4).unwrap();
        assert_eq!(fy.name, 2026);
        assert_eq!((fy.start, fy.end), (d("2026-04-01"), d("2027-03-31")));
        assert_eq!(quarter_end(2026, 4, 4), Some(d("2027-03-31")));
        assert_eq!(quarter_end(2025, 4, 4), Some(d("2026-03-31")));
    }

    #[test]
    fn october_start() {
        // January belongs to the fiscal year that started the previous October.
        let fy = fiscal_year_of(d("2027-01-15"), 10).unwrap();
        assert_eq!(fy.name, 2026);
        assert_eq!((fy.start, fy.end), (d("2026-10-01"), d("2027-09-30")));
        assert_eq!(quarter_start(2026, 1, 10), Some(d("2026-10-01")));
        assert_eq!(quarter_end(2026, 1, 10), Some(d("2026-12-31")));
        assert_eq!(quarter_start(2026, 2, 10), Some(d("2027-01-01")));
        assert_eq!(quarter_end(2026, 4, 10), Some(d("2027-09-30")));
        assert_eq!(
            quarter_of(d("2027-01-15"), 10),
            Quarter {
                year: 2026,
                quarter: 2
            }
        );
        assert_eq!(
            quarter_of(d("2026-09-30"), 10),
            Quarter {
                year: 2025,
                quarter: 4
            }
        );
    }

    #[test]
    fn bad_quarter_and_month() {
        assert_eq!(quarter_start(2026, 0, 1), None);
        assert_eq!(quarter_end(2026, 5, 1), None);
        // An out-of-range start month falls back to January.
        assert_eq!(fy_start(2026, 13), Some(d("2026-01-01")));
        assert_eq!(fy_end(2026, 0), Some(d("2026-12-31")));
        // Dates at the edge of chrono's range do not panic.
        assert_eq!(fiscal_year_of(NaiveDate::MAX, 1), None);
        assert!(fy_end(i32::MAX, 1).is_none());
        let _ = last_two_full_quarters(NaiveDate::MIN, 7);
        let _ = prior_two_full_quarters(NaiveDate::MAX, 7);
    }

    #[test]
    fn periods() {
        assert_eq!(format_period(2026, 3), "2026-Q3");
    }

    #[test]
    fn full_quarters() {
        // as_of 2026-11-25, calendar FY: current Q4; last two full: Q2, Q3.
        let q = last_two_full_quarters(d("2026-11-25"), 1).unwrap();
        assert_eq!(q.map(|q| q.label()), ["2026-Q2", "2026-Q3"]);
        let p = prior_two_full_quarters(d("2026-11-25"), 1).unwrap();
        assert_eq!(p.map(|q| q.label()), ["2025-Q4", "2026-Q1"]);
        // On the first day of a quarter the previous one is already full.
        let q = last_two_full_quarters(d("2026-10-01"), 1).unwrap();
        assert_eq!(q.map(|q| q.label()), ["2026-Q2", "2026-Q3"]);
        // On its last day, the current quarter is not full yet.
        let q = last_two_full_quarters(d("2026-09-30"), 1).unwrap();
        assert_eq!(q.map(|q| q.label()), ["2026-Q1", "2026-Q2"]);
        // October fiscal year, as_of in January (FY 2026 Q2): FY2025 Q4, FY2026 Q1.
        let q = last_two_full_quarters(d("2027-01-15"), 10).unwrap();
        assert_eq!(q.map(|q| q.label()), ["2025-Q4", "2026-Q1"]);
        assert_eq!(q[0].start(10), Some(d("2026-07-01")));
        assert_eq!(q[1].end(10), Some(d("2026-12-31")));
    }
}

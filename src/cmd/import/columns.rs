//! The export's columns: the mapping's columns found in the header, and
//! the date and number columns read cell by cell, their date order and
//! decimal separator decided from all of their values ([`detect`]).

use super::detect::{self, DateOrder, RawDate, RawNumber};
use super::{mapping, report, table};
use chrono::NaiveDate;

/// One reason a row is refused.
pub struct Problem {
    /// What the row is counted under in the summary (its first problem's).
    pub reason: String,
    /// What is wrong, in full.
    pub detail: String,
}

impl Problem {
    pub fn new(reason: String, detail: String) -> Problem {
        Problem { reason, detail }
    }
}

/// The columns of the mapping, found in the export.
pub struct Cols {
    pub id: usize,
    pub name: Vec<usize>,
    pub account: usize,
    pub owner: Option<usize>,
    pub amount: usize,
    pub stage: usize,
    pub created: usize,
    pub close: usize,
    pub probability: Option<usize>,
    pub next_step: Option<usize>,
}

pub fn find_columns(
    t: &table::Table,
    c: &mapping::Columns,
    default_owner: bool,
    map: &str,
) -> Result<Cols, String> {
    let missing = std::cell::RefCell::new(Vec::new());
    let mut errors = Vec::new();
    let mut find = |name: &str, required: bool| -> Option<usize> {
        match t.column(name) {
            Ok(Some(i)) => Some(i),
            Ok(None) => {
                if required {
                    missing.borrow_mut().push(format!("{name:?}"));
                }
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let id = find(&c.id, true);
    let name: Vec<Option<usize>> = c.name.list().iter().map(|n| find(n, true)).collect();
    let account = find(&c.account, true);
    let owner = match &c.owner {
        Some(o) => {
            let found = find(o, !default_owner);
            if found.is_none() && !default_owner {
                if let Some(last) = missing.borrow_mut().last_mut() {
                    last.push_str(" (or pass --owner NAME)");
                }
            }
            found
        }
        None => None,
    };
    let amount = find(&c.amount, true);
    let stage = find(&c.stage, true);
    let created = find(&c.created, true);
    let close = find(&c.close_date, true);
    let probability = c.probability.as_deref().and_then(|p| find(p, false));
    let next_step = c.next_step.as_deref().and_then(|p| find(p, false));
    let mut missing = missing.into_inner();
    if c.owner.is_none() && !default_owner {
        missing.push("an owner: the mapping names no owner column, so pass --owner NAME".into());
    }
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    // Every required column, or none.
    let found = (|| {
        Some(Cols {
            id: id?,
            name: name.into_iter().flatten().collect(),
            account: account?,
            owner,
            amount: amount?,
            stage: stage?,
            created: created?,
            close: close?,
            probability,
            next_step,
        })
    })();
    match found {
        Some(cols) if missing.is_empty() => Ok(cols),
        _ => Err(format!(
            "the export has no column {} (mapping {map}); its columns are: {}",
            missing.join(", "),
            t.headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A few rows, for messages: `rows 4, 9, 17, ...`.
pub fn rows_list(rows: &[usize]) -> String {
    report::rows_list(rows, 5)
}

/// One date column, read: each row's date, or why it has none.
pub struct DateColumn {
    pub cells: Vec<RawDate>,
    pub order: Option<DateOrder>,
}

pub fn read_dates(
    t: &table::Table,
    col: usize,
    header: &str,
    format: Option<&str>,
) -> Result<DateColumn, String> {
    let cell = |f: &Vec<String>| f.get(col).map_or("", String::as_str).to_string();
    let cells: Vec<RawDate> = t
        .rows
        .iter()
        .map(|(_, f)| match format {
            Some(fmt) => detect::parse_with_format(&cell(f), fmt),
            None => detect::classify_date(&cell(f)),
        })
        .collect();
    if format.is_some() {
        return Ok(DateColumn { cells, order: None });
    }
    let numbered = with_rows(t, &cells);
    let example = |row: usize| cell_at_row(t, row, &cell);
    match detect::date_order(&numbered) {
        Ok(order) => Ok(DateColumn { cells, order }),
        Err(detect::OrderError::Conflict {
            day_first,
            month_first,
        }) => Err(format!(
            "the dates in {header:?} are written both ways: day first on {} (such as {:?}) and month first on {} (such as {:?}); correct the export, or set date_format to say how every date is written",
            rows_list(&day_first),
            example(day_first[0]),
            rows_list(&month_first),
            example(month_first[0]),
        )),
        Err(detect::OrderError::Ambiguous(rows)) => Err(format!(
            "every date in {header:?} can be read day first or month first (such as {:?} on row {}), so the import cannot tell which: set date_format = \"DD/MM/YYYY\" or \"MM/DD/YYYY\" in the mapping, or pass --date-format (use the export's own separator)",
            example(rows[0]),
            rows[0]
        )),
    }
}

/// Each cell of a column with the row (line) it came from.
fn with_rows<T: Clone>(t: &table::Table, cells: &[T]) -> Vec<(usize, T)> {
    t.rows
        .iter()
        .zip(cells)
        .map(|((row, _), c)| (*row, c.clone()))
        .collect()
}

/// A column's cell on `row`, as written, for a message.
fn cell_at_row(t: &table::Table, row: usize, cell: &dyn Fn(&Vec<String>) -> String) -> String {
    t.rows
        .iter()
        .find(|(r, _)| *r == row)
        .map_or(String::new(), |(_, f)| cell(f))
}

/// One number column, read.
pub struct NumberColumn {
    pub cells: Vec<RawNumber>,
    pub decimal: Option<char>,
    /// The decimal separator was given, not found.
    pub given: bool,
}

pub fn read_numbers(
    t: &table::Table,
    col: Option<usize>,
    header: &str,
    given: Option<char>,
) -> Result<NumberColumn, String> {
    let Some(col) = col else {
        return Ok(NumberColumn {
            cells: vec![RawNumber::Empty; t.rows.len()],
            decimal: given,
            given: given.is_some(),
        });
    };
    let cell = |f: &Vec<String>| f.get(col).map_or("", String::as_str).to_string();
    let cells: Vec<RawNumber> = t
        .rows
        .iter()
        .map(|(_, f)| detect::classify_number(&cell(f)))
        .collect();
    if given.is_some() {
        return Ok(NumberColumn {
            cells,
            decimal: given,
            given: true,
        });
    }
    let numbered = with_rows(t, &cells);
    let example = |row: usize| cell_at_row(t, row, &cell);
    match detect::decimal_separator(&numbered) {
        Ok(decimal) => Ok(NumberColumn {
            cells,
            decimal,
            given: false,
        }),
        Err(detect::DecimalError::Conflict { dot, comma }) => Err(format!(
            "the numbers in {header:?} use both decimal separators: \".\" on {} (such as {:?}) and \",\" on {} (such as {:?}); correct the export, or set decimal in the mapping",
            rows_list(&dot),
            example(dot[0]),
            rows_list(&comma),
            example(comma[0]),
        )),
        Err(detect::DecimalError::Ambiguous(rows)) => Err(format!(
            "every number in {header:?} with a separator can be read two ways (such as {:?} on row {}: a thousands separator or a decimal one), so the import cannot tell which: set decimal = \".\" or decimal = \",\" in the mapping, or pass --decimal",
            example(rows[0]),
            rows[0]
        )),
    }
}

pub fn parse_decimal(s: &str) -> Result<char, String> {
    match s.trim() {
        "." => Ok('.'),
        "," => Ok(','),
        other => Err(format!(
            "the decimal separator {other:?} is neither \".\" nor \",\""
        )),
    }
}

/// Row `i`'s date in a column; a problem is pushed for a cell that is not
/// empty and not a date.
pub fn date_cell(
    col: &DateColumn,
    i: usize,
    text: &str,
    header: &str,
    problems: &mut Vec<Problem>,
) -> Option<NaiveDate> {
    let d = match col.cells.get(i)? {
        RawDate::Empty => return None,
        RawDate::Known(d) => *d,
        RawDate::Numeric { a, b, year } => {
            match col
                .order
                .and_then(|o| detect::numeric_date(*a, *b, *year, o))
            {
                Some(d) => d,
                None => {
                    problems.push(Problem::new(
                        format!("bad date in {header}"),
                        format!(
                            "{header} {text:?} is not a date{}",
                            col.order
                                .map(|o| format!(" (the column is {})", o.describe()))
                                .unwrap_or_default()
                        ),
                    ));
                    return None;
                }
            }
        }
        RawDate::TwoDigitYear => {
            problems.push(Problem::new(
                format!("two-digit year in {header}"),
                format!(
                    "{header} {text:?} has a two-digit year, which the import does not guess: set date_format (such as DD-MM-YY) to read it"
                ),
            ));
            return None;
        }
        RawDate::Bad(why) => {
            problems.push(Problem::new(
                format!("bad date in {header}"),
                format!("{header} {why}"),
            ));
            return None;
        }
    };
    match detect::check_year(d, text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(Problem::new(
                format!(
                    "year outside {}-{} in {header}",
                    detect::YEARS.start(),
                    detect::YEARS.end()
                ),
                format!("{header} {e}"),
            ));
            None
        }
    }
}

/// Row `i`'s number in a column; a problem is pushed for a cell that is
/// not empty and not exactly a number >= 0.
pub fn number_cell(
    col: &NumberColumn,
    i: usize,
    text: &str,
    header: &str,
    problems: &mut Vec<Problem>,
    amount: bool,
) -> Option<f64> {
    let what = if amount { "an amount" } else { "a number" };
    match col.cells.get(i)? {
        RawNumber::Empty => None,
        RawNumber::Negative => {
            problems.push(Problem::new(
                if amount {
                    "negative amount".to_string()
                } else {
                    format!("negative {header}")
                },
                format!("{header} {text:?} is negative, and values are never below 0"),
            ));
            None
        }
        RawNumber::Bad(_) => {
            problems.push(Problem::new(
                format!("not {what} in {header}"),
                format!("{header} {text:?} is not {what}"),
            ));
            None
        }
        RawNumber::Num(n) => match detect::number_value(n, col.decimal) {
            Ok(v) => Some(v),
            Err(why) => {
                let sep = col.decimal.unwrap_or('.');
                problems.push(Problem::new(
                    format!("not {what} in {header}"),
                    format!(
                        "{header} {text:?} is not {what} with {sep:?} as the decimal separator{}: it {why}",
                        if col.given { " (as given)" } else { " (as the column's other values say)" }
                    ),
                ));
                None
            }
        },
    }
}

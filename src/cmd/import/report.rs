//! Refused rows, summed up: one line per reason with a few rows each, not
//! thousands of lines of the same error. The first rows of each reason are
//! shown in full; `--verbose` shows every one.

use super::{plural, say, Args, Outcome, Planned, EXIT_CONTENT, EXIT_OK};
use std::collections::BTreeMap;
use std::path::Path;

/// A row the import refused.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub row: usize,
    pub name: String,
    /// The short reason it is counted under (its first problem).
    pub reason: String,
    /// Every problem of the row.
    pub detail: String,
}

impl Rejected {
    pub fn new(row: usize, name: &str, reason: &str, detail: String) -> Rejected {
        Rejected {
            row,
            name: name.to_string(),
            reason: reason.to_string(),
            detail,
        }
    }

    /// `row 6 (Broken Row): Amount "lots" is not an amount; skipped`.
    pub fn line(&self) -> String {
        let name = if self.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.name)
        };
        let end = if self.detail.ends_with("not written") {
            ""
        } else {
            "; skipped"
        };
        format!("row {}{name}: {}{end}", self.row, self.detail)
    }
}

/// Rows shown per reason without `--verbose`.
const SHOWN: usize = 3;

/// `12,345`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `rows 4, 9, 17, ...` (at most `max` numbers).
pub fn rows_list(rows: &[usize], max: usize) -> String {
    let mut s = if rows.len() == 1 { "row " } else { "rows " }.to_string();
    s.push_str(
        &rows
            .iter()
            .take(max)
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    if rows.len() > max {
        s.push_str(", ...");
    }
    s
}

/// The reasons, most rows first (then by first row), with their rows.
pub fn by_reason(rejected: &[Rejected]) -> Vec<(&str, Vec<&Rejected>)> {
    let mut groups: BTreeMap<&str, Vec<&Rejected>> = BTreeMap::new();
    for r in rejected {
        groups.entry(r.reason.as_str()).or_default().push(r);
    }
    let mut v: Vec<(&str, Vec<&Rejected>)> = groups.into_iter().collect();
    v.sort_by_key(|(_, rows)| (std::cmp::Reverse(rows.len()), rows[0].row));
    v
}

/// `rejected 2,013 rows: 1,990 bad date in Close Date (rows 4, 9, ...), 23
/// negative amount (rows 5, 6)`.
pub fn summary(rejected: &[Rejected]) -> String {
    let parts: Vec<String> = by_reason(rejected)
        .iter()
        .map(|(reason, rows)| {
            let nums: Vec<usize> = rows.iter().map(|r| r.row).collect();
            format!(
                "{} {reason} ({})",
                thousands(rows.len()),
                rows_list(&nums, 5)
            )
        })
        .collect();
    format!(
        "rejected {} {}: {}",
        thousands(rejected.len()),
        if rejected.len() == 1 { "row" } else { "rows" },
        parts.join(", ")
    )
}

/// Prints the first rows of each reason in full (all with `verbose`), then
/// the summary line.
pub fn print(file: &Path, rejected: &[Rejected], verbose: bool) {
    if rejected.is_empty() {
        return;
    }
    for (reason, rows) in by_reason(rejected) {
        let shown = if verbose { rows.len() } else { SHOWN };
        for r in rows.iter().take(shown) {
            say(&format!("{}: {}", file.display(), r.line()));
        }
        if rows.len() > shown {
            say(&format!(
                "  ... and {} more {} with {reason} (--verbose lists every row)",
                thousands(rows.len() - shown),
                if rows.len() - shown == 1 {
                    "row"
                } else {
                    "rows"
                },
            ));
        }
    }
    say(&summary(rejected));
}

/// Files listed by kind before "... and N more" (all with `--verbose`).
const LIST_FILES: usize = 50;

/// Prints what an import did (or, dry-running, would do) and returns the
/// exit code: 1 when a row was refused.
pub fn print_outcome(o: &Args, out: &Outcome) -> u8 {
    let verb = if o.dry_run { "would " } else { "" };
    let mut shown = [0usize; 3];
    let mut hidden = [0usize; 3];
    for p in &out.plans {
        let (kind, line) = match p {
            Planned::CreateDeal(f) => (0, format!("{verb}create {}", f.display())),
            Planned::CreateRep(f) => (
                1,
                format!(
                    "{verb}create {} (a new owner: set the team, start date and quota)",
                    f.display()
                ),
            ),
            Planned::UpdateDeal(f, what) => (
                2,
                format!("{verb}update {}: {}", f.display(), what.join("; ")),
            ),
            Planned::Unchanged(_) => continue,
        };
        if o.verbose || shown[kind] < LIST_FILES {
            shown[kind] += 1;
            say(&line);
        } else {
            hidden[kind] += 1;
        }
    }
    for (n, what) in hidden
        .iter()
        .zip(["new deal notes", "new rep notes", "updates"])
    {
        if *n > 0 {
            say(&format!(
                "... and {} more {what} (--verbose lists them all)",
                thousands(*n)
            ));
        }
    }
    for n in &out.notes {
        say(&format!("note: {n}"));
    }
    print(&o.file, &out.rejected, o.verbose);
    let count = |f: fn(&Planned) -> bool| out.plans.iter().filter(|p| f(p)).count();
    eprintln!(
        "{} {} deals, {} updated, {} unchanged, {} new reps; {} skipped",
        if o.dry_run { "Dry run:" } else { "Imported:" },
        count(|p| matches!(p, Planned::CreateDeal(_))),
        count(|p| matches!(p, Planned::UpdateDeal(..))),
        count(|p| matches!(p, Planned::Unchanged(_))),
        count(|p| matches!(p, Planned::CreateRep(_))),
        plural(out.rejected.len(), "bad row"),
    );
    if out.rejected.is_empty() {
        EXIT_OK
    } else {
        EXIT_CONTENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_sums_up_the_refused_rows() {
        let mut rows = Vec::new();
        for i in 0..1990 {
            rows.push(Rejected::new(
                4 + i * 2,
                "x",
                "bad date in close_date",
                "close_date \"31/02/2024\" is not a date".into(),
            ));
        }
        for i in 0..23 {
            rows.push(Rejected::new(
                5 + i * 2,
                "y",
                "negative amount",
                "no".into(),
            ));
        }
        assert_eq!(
            summary(&rows),
            "rejected 2,013 rows: 1,990 bad date in close_date (rows 4, 6, 8, 10, 12, ...), 23 negative amount (rows 5, 7, 9, 11, 13, ...)"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(rows_list(&[3], 5), "row 3");
    }
}

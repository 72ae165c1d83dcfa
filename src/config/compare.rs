//! `compare_days` (fourth edition, "History"): how many days before
//! `as_of` the "what changed" comparison looks, when `--since` is not
//! given.

/// The default: a week.
pub const DEFAULT_COMPARE_DAYS: i64 = 7;

/// Checks a `compare_days` value: a whole number of days from 1 to 3650.
pub fn parse_compare_days(days: i64) -> Result<i64, String> {
    if (1..=3650).contains(&days) {
        Ok(days)
    } else {
        Err(format!(
            "compare_days must be a number of days from 1 to 3650, found {days}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    #[test]
    fn compare_days_default_and_bounds() {
        assert_eq!(Config::default().compare_days, 7);
        let c = Config::from_toml("compare_days = 14\n").unwrap();
        assert_eq!(c.compare_days, 14);
        for bad in ["0", "-3", "3651"] {
            let e = Config::from_toml(&format!("compare_days = {bad}\n")).unwrap_err();
            assert!(e.contains("compare_days must be"), "{e}");
        }
    }
}

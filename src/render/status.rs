//! One status language for every card and badge: one rule per metric.
//!
//! Each function takes a figure and the target it is judged against (the
//! config's targets, the scorecard's constants) and returns the card's
//! class (`good`, `bad` or `neutral`), the reason in words ("Coverage
//! 0.5x, target 3x") and the link to the metric's definition on
//! `/metrics/`. The dashboard, team, rep and pipeline pages all call these,
//! so the same figure gets the same colour everywhere. Pure functions.

use crate::config::Config;
use crate::metrics::scorecard::ATTAINMENT_TARGET;
use crate::metrics::RepMetrics;
use serde::Serialize;

/// A card's state: its class, the reason in words and the definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// `good`, `bad` or `neutral` (the CSS class of the card).
    pub class: &'static str,
    pub reason: String,
    /// `/metrics/#anchor` under the site's base.
    pub href: String,
    /// The state in one short visible word ("met", "below", "overdue"),
    /// so that colour is never the only signal in a table cell; empty
    /// when neutral (no colour either).
    pub word: &'static str,
}

/// The anchors of the definitions on `/metrics/` (`id` of their `<dt>`).
pub mod anchor {
    pub const ATTAINMENT: &str = "quota-attainment";
    pub const COVERAGE: &str = "pipeline-coverage";
    pub const RISK: &str = "risk";
    pub const FORECAST: &str = "forecast-error";
    pub const WIN_RATE: &str = "win-rate";
    pub const RAMP: &str = "ramp";
    pub const IN_RAMP: &str = "in-ramp";
    pub const CADENCE: &str = "one-to-one-cadence";
    pub const HIT_RATE: &str = "forecast-hit-rate";
    pub const LAST_ACTIVITY: &str = "last-activity";
}

/// The short word of a state, per metric (see [`Status::word`]).
fn word(class: &str, anchor: &str) -> &'static str {
    match (class, anchor) {
        ("good", anchor::CADENCE) => "on cadence",
        ("bad", anchor::CADENCE) => "overdue",
        ("good", anchor::IN_RAMP) => "on plan",
        ("bad", anchor::IN_RAMP) => "behind plan",
        ("good", anchor::RISK) => "no red",
        ("bad", anchor::RISK) => "at risk",
        ("bad", anchor::FORECAST) => "over",
        ("bad", anchor::HIT_RATE | anchor::RAMP) => "missed",
        ("bad", anchor::LAST_ACTIVITY) => "stale",
        ("good", _) => "met",
        ("bad", _) => "below",
        _ => "",
    }
}

fn status(class: &'static str, reason: String, metrics_url: &str, anchor: &str) -> Status {
    Status {
        class,
        reason,
        href: format!("{metrics_url}#{anchor}"),
        word: word(class, anchor),
    }
}

/// As the cards print it (`52%`, `9.4%`).
fn pct(x: f64) -> String {
    crate::render::format::pct(Some(x))
}

/// `3x`, `2.5x`, `0.5x`.
fn times(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}x", x)
    } else {
        format!("{:.1}x", x)
    }
}

/// Quota attainment FYTD against [`ATTAINMENT_TARGET`].
pub fn attainment(value: Option<f64>, metrics_url: &str) -> Status {
    let target = pct(ATTAINMENT_TARGET);
    match value {
        Some(v) if v >= ATTAINMENT_TARGET => status(
            "good",
            format!("Attainment {}, target {target}", pct(v)),
            metrics_url,
            anchor::ATTAINMENT,
        ),
        Some(v) => status(
            "bad",
            format!("Attainment {}, target {target}", pct(v)),
            metrics_url,
            anchor::ATTAINMENT,
        ),
        None => status(
            "neutral",
            format!("No quota to measure against; target {target}"),
            metrics_url,
            anchor::ATTAINMENT,
        ),
    }
}

/// A gate of a ramp plan: its day, items done and items in all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateProgress {
    pub day: i64,
    pub done: usize,
    pub total: usize,
}

/// Where a rep stands in ramp, or `None` when the rep is not in ramp.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RampState {
    /// Days since the start date (day 0 is the start date).
    pub day: i64,
    /// Length of the ramp: the last gate of the plan, else a year.
    pub of: i64,
    pub status: Status,
}

/// Days of ramp for a rep without a plan.
pub const RAMP_YEAR_DAYS: i64 = 365;

/// A rep is in ramp when they started within a year, or when their ramp
/// plan still has open items. In ramp, attainment is judged against the
/// ramp plan (every gate due by today done), not the annual quota.
pub fn ramp(day: i64, gates: &[GateProgress], metrics_url: &str) -> Option<RampState> {
    let open_plan = gates.iter().any(|g| g.done < g.total);
    if day < 0 || (day >= RAMP_YEAR_DAYS && !open_plan) {
        return None;
    }
    // The plan's length while inside it, then the ramp year; past the year
    // (an open plan) the plan's length, said as such.
    let plan_end = gates.iter().map(|g| g.day).max();
    let (of, head) = match plan_end {
        Some(end) if day <= end => (end, format!("In ramp: day {day} of {end}")),
        _ if day < RAMP_YEAR_DAYS => (
            RAMP_YEAR_DAYS,
            format!("In ramp: day {day} of {RAMP_YEAR_DAYS}"),
        ),
        Some(end) => (end, format!("In ramp: day {day}, past the {end}-day plan")),
        None => (RAMP_YEAR_DAYS, format!("In ramp: day {day}")),
    };
    let due: Vec<&GateProgress> = gates.iter().filter(|g| g.day <= day).collect();
    let late: Vec<&GateProgress> = due.iter().copied().filter(|g| g.done < g.total).collect();
    let (class, reason) = if gates.is_empty() {
        ("neutral", format!("{head}; no ramp plan"))
    } else if let Some(g) = late.first() {
        (
            "bad",
            format!("{head}; day {} gate {} of {} done", g.day, g.done, g.total),
        )
    } else if due.is_empty() {
        let next = gates.iter().map(|g| g.day).min().unwrap_or(of);
        ("neutral", format!("{head}; first gate at day {next}"))
    } else {
        ("good", format!("{head}; every gate due so far done"))
    };
    Some(RampState {
        day,
        of,
        status: status(class, reason, metrics_url, anchor::IN_RAMP),
    })
}

/// Pipeline coverage against the config's `coverage_target`. No coverage
/// (a dash) means the quota is already met: good.
pub fn coverage(value: Option<f64>, target: f64, metrics_url: &str) -> Status {
    let t = times(target);
    match value {
        Some(v) if v >= target => status(
            "good",
            format!("Coverage {}, target {t}", times_one(v)),
            metrics_url,
            anchor::COVERAGE,
        ),
        Some(v) => status(
            "bad",
            format!("Coverage {}, target {t}", times_one(v)),
            metrics_url,
            anchor::COVERAGE,
        ),
        None => status(
            "good",
            format!("Quota already met; target {t}"),
            metrics_url,
            anchor::COVERAGE,
        ),
    }
}

/// Coverage of a rep in ramp: not judged against the annual quota (the
/// ramp plan's gates say what pipeline to build); neutral, with the figure
/// and the target in words.
pub fn coverage_in_ramp(value: Option<f64>, target: f64, metrics_url: &str) -> Status {
    let figure = value.map_or_else(|| "quota already met".to_string(), times_one);
    status(
        "neutral",
        format!(
            "In ramp: not judged against the annual quota ({figure}, target {})",
            times(target)
        ),
        metrics_url,
        anchor::IN_RAMP,
    )
}

/// A measured ratio, always with one decimal (`2.1x`, `0.0x`).
fn times_one(x: f64) -> String {
    crate::render::format::ratio(Some(x))
}

/// Open deals at risk: any red deal is bad; none open is neutral.
pub fn risk(red: u64, yellow: u64, green: u64, metrics_url: &str) -> Status {
    let plural = |n: u64, w: &str| format!("{n} {w} deal{}", if n == 1 { "" } else { "s" });
    if red > 0 {
        status(
            "bad",
            format!("{}; target none", plural(red, "red")),
            metrics_url,
            anchor::RISK,
        )
    } else if yellow + green == 0 {
        status(
            "neutral",
            "No open deals".to_string(),
            metrics_url,
            anchor::RISK,
        )
    } else {
        status(
            "good",
            "No red deals".to_string(),
            metrics_url,
            anchor::RISK,
        )
    }
}

/// Mean forecast error of final forecasts against `forecast_error_target`.
pub fn forecast(error: Option<f64>, target: f64, metrics_url: &str) -> Status {
    let t = pct(target);
    match error {
        Some(e) if e <= target => status(
            "good",
            format!("Mean error {}, target at most {t}", pct(e)),
            metrics_url,
            anchor::FORECAST,
        ),
        Some(e) => status(
            "bad",
            format!("Mean error {}, target at most {t}", pct(e)),
            metrics_url,
            anchor::FORECAST,
        ),
        None => status(
            "neutral",
            "No ended forecast to grade yet".to_string(),
            metrics_url,
            anchor::FORECAST,
        ),
    }
}

/// Win-rate change in points between two windows against its target.
pub fn win_rate_trend(delta_points: Option<f64>, target_points: f64, metrics_url: &str) -> Status {
    match delta_points {
        Some(d) => status(
            if d >= target_points { "good" } else { "bad" },
            format!("{d:+.1} points, target +{target_points} points"),
            metrics_url,
            anchor::WIN_RATE,
        ),
        None => status(
            "neutral",
            "Needs deals closed in four full quarters".to_string(),
            metrics_url,
            anchor::WIN_RATE,
        ),
    }
}

/// Ramp of recent hires against the cohort before them (`met` from the
/// scorecard, which applies `RAMP_TARGET_RATIO`).
pub fn ramp_trend(met: Option<bool>, metrics_url: &str) -> Status {
    let (class, reason) = match met {
        Some(true) => ("good", "At least 20% shorter than the year before"),
        Some(false) => ("bad", "Not 20% shorter than the year before"),
        None => ("neutral", "Needs hires with a first win in both years"),
    };
    status(class, reason.to_string(), metrics_url, anchor::RAMP)
}

/// The forecast hit rate (`hits` of `graded` ended forecasts within the
/// error target), judged by the scorecard's rule for its forecast item:
/// the mean error of those forecasts at most `forecast_error_target`.
/// Without an error (nothing closed in any graded period) every graded
/// forecast must have hit. Neutral with no ended forecast.
pub fn hit_rate(
    rate: Option<f64>,
    graded: u64,
    error: Option<f64>,
    target: f64,
    metrics_url: &str,
) -> Status {
    let t = pct(target);
    let (Some(rate), true) = (rate, graded > 0) else {
        return status(
            "neutral",
            "No ended forecast to grade yet".to_string(),
            metrics_url,
            anchor::HIT_RATE,
        );
    };
    let hits = (rate * graded as f64).round() as u64;
    let head = format!(
        "{hits} of {graded} ended forecast{} within {t}",
        if graded == 1 { "" } else { "s" }
    );
    let (class, reason) = match error {
        Some(e) => (
            if e <= target { "good" } else { "bad" },
            format!("{head}; mean error {}, target at most {t}", pct(e)),
        ),
        None => (
            if hits == graded { "good" } else { "bad" },
            format!("{head}; nothing closed in their periods"),
        ),
    };
    status(class, reason, metrics_url, anchor::HIT_RATE)
}

/// An open deal's last activity against `stale_days` (the risk rule's
/// "no activity for more than stale_days"): stale is bad, else neutral.
pub fn stale(idle_days: i64, stale_days: i64, open: bool, metrics_url: &str) -> Status {
    if open && idle_days > stale_days {
        status(
            "bad",
            format!("No activity for {idle_days} days; stale after {stale_days}"),
            metrics_url,
            anchor::LAST_ACTIVITY,
        )
    } else {
        status(
            "neutral",
            format!("Last activity {idle_days} days ago; stale after {stale_days}"),
            metrics_url,
            anchor::LAST_ACTIVITY,
        )
    }
}

/// The last one-to-one against the agreed cadence.
pub fn cadence(
    days_ago: Option<i64>,
    cadence_days: Option<i64>,
    overdue_by: Option<i64>,
    metrics_url: &str,
) -> Status {
    let (class, reason) = match (days_ago, cadence_days, overdue_by) {
        // Never one since the start: the days since then, not an "overdue
        // by" in the thousands for a rep hired years ago.
        (None, Some(c), Some(o)) if o > 0 => (
            "bad",
            format!(
                "None recorded in the {} days since the rep started; cadence every {c} days",
                o + c
            ),
        ),
        (_, Some(c), Some(o)) if o > 0 => (
            "bad",
            format!("Overdue by {o} days; cadence every {c} days"),
        ),
        (Some(d), Some(c), _) => ("good", format!("{d} days ago; cadence every {c} days")),
        (Some(d), None, _) => ("neutral", format!("{d} days ago; no cadence agreed")),
        (None, Some(c), _) => ("neutral", format!("None yet; cadence every {c} days")),
        (None, None, _) => ("neutral", "None yet; no cadence agreed".to_string()),
    };
    status(class, reason, metrics_url, anchor::CADENCE)
}

/// The states of the cards a set of figures (a rep, a team, the org) shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardStates {
    pub attainment: Status,
    pub coverage: Status,
    pub risk: Status,
    pub forecast: Status,
    pub hit_rate: Status,
}

/// One rule per metric, applied to a rep's, a team's or the org's figures.
pub fn card_states(m: &RepMetrics, config: &Config, metrics_url: &str) -> CardStates {
    CardStates {
        attainment: attainment(m.quota_attainment, metrics_url),
        coverage: coverage(m.pipeline_coverage, config.coverage_target, metrics_url),
        risk: risk(m.risk.red, m.risk.yellow, m.risk.green, metrics_url),
        forecast: forecast(m.forecast_error, config.forecast_error_target, metrics_url),
        hit_rate: hit_rate(
            m.forecast_hit_rate,
            m.forecasts_counted,
            m.forecast_error,
            config.forecast_error_target,
            metrics_url,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U: &str = "/metrics/";

    #[test]
    fn attainment_against_the_scorecard_target() {
        let s = attainment(Some(0.52), U);
        assert_eq!(s.class, "bad");
        assert_eq!(s.reason, "Attainment 52%, target 90%");
        assert_eq!(s.href, "/metrics/#quota-attainment");
        assert_eq!(attainment(Some(0.9), U).class, "good");
        assert_eq!(attainment(None, U).class, "neutral");
    }

    #[test]
    fn coverage_against_the_config_target() {
        let s = coverage(Some(0.5), 3.0, U);
        assert_eq!(
            (s.class, s.reason.as_str()),
            ("bad", "Coverage 0.5x, target 3x")
        );
        assert_eq!(coverage(Some(2.1), 3.0, U).class, "bad");
        assert_eq!(coverage(Some(3.0), 3.0, U).class, "good");
        assert_eq!(coverage(Some(2.1), 2.0, U).class, "good");
        assert_eq!(
            coverage(Some(2.0), 2.5, U).reason,
            "Coverage 2.0x, target 2.5x"
        );
        assert_eq!(coverage(None, 3.0, U).class, "good");
    }

    #[test]
    fn coverage_in_ramp_is_not_judged() {
        let s = coverage_in_ramp(Some(0.0), 3.0, U);
        assert_eq!((s.class, s.word), ("neutral", ""));
        assert_eq!(
            s.reason,
            "In ramp: not judged against the annual quota (0.0x, target 3x)"
        );
        assert_eq!(s.href, "/metrics/#in-ramp");
    }

    #[test]
    fn risk_counts() {
        assert_eq!(risk(2, 1, 0, U).class, "bad");
        assert_eq!(risk(2, 1, 0, U).reason, "2 red deals; target none");
        assert_eq!(risk(1, 0, 0, U).reason, "1 red deal; target none");
        assert_eq!(risk(0, 1, 3, U).class, "good");
        assert_eq!(risk(0, 0, 0, U).class, "neutral");
    }

    #[test]
    fn forecast_error_against_its_target() {
        assert_eq!(forecast(Some(0.05), 0.1, U).class, "good");
        assert_eq!(forecast(Some(0.1), 0.1, U).class, "good");
        let s = forecast(Some(0.25), 0.1, U);
        assert_eq!(
            (s.class, s.reason.as_str()),
            ("bad", "Mean error 25%, target at most 10%")
        );
        assert_eq!(forecast(None, 0.1, U).class, "neutral");
    }

    #[test]
    fn cadence_overdue_is_bad() {
        let s = cadence(Some(42), Some(14), Some(28), U);
        assert_eq!(s.class, "bad");
        assert_eq!(s.reason, "Overdue by 28 days; cadence every 14 days");
        assert_eq!(cadence(Some(10), Some(14), Some(-4), U).class, "good");
        assert_eq!(cadence(None, None, None, U).class, "neutral");
        let never = cadence(None, Some(14), Some(2760), U);
        assert_eq!(never.class, "bad");
        assert_eq!(
            never.reason,
            "None recorded in the 2774 days since the rep started; cadence every 14 days"
        );
    }

    #[test]
    fn ramp_is_judged_against_the_plan() {
        let g = |day, done, total| GateProgress { day, done, total };
        // Hired 20 years ago, plan done: not in ramp.
        assert!(ramp(7000, &[g(30, 2, 2)], U).is_none());
        assert!(ramp(400, &[], U).is_none());
        assert!(ramp(-3, &[], U).is_none());
        // Within a year, no plan.
        let r = ramp(40, &[], U).expect("in ramp");
        assert_eq!((r.day, r.of), (40, 365));
        assert_eq!(r.status.class, "neutral");
        assert_eq!(r.status.reason, "In ramp: day 40 of 365; no ramp plan");
        // A plan: gates due done is good, a late gate is bad, none due neutral.
        let plan = [g(30, 3, 3), g(60, 1, 2), g(90, 0, 2)];
        let r = ramp(45, &plan, U).expect("in ramp");
        assert_eq!((r.status.class, r.of), ("good", 90));
        assert_eq!(
            r.status.reason,
            "In ramp: day 45 of 90; every gate due so far done"
        );
        let r = ramp(61, &plan, U).expect("in ramp");
        assert_eq!(r.status.class, "bad");
        assert_eq!(
            r.status.reason,
            "In ramp: day 61 of 90; day 60 gate 1 of 2 done"
        );
        assert_eq!(ramp(10, &plan, U).map(|r| r.status.class), Some("neutral"));
        // Past the plan but within the year: day N of 365.
        let done = [g(30, 1, 1), g(90, 2, 2)];
        let r = ramp(317, &done, U).expect("in ramp");
        assert_eq!((r.of, r.status.class), (365, "good"));
        assert!(r.status.reason.starts_with("In ramp: day 317 of 365;"));
        // An open plan keeps a rep in ramp after a year, and is late.
        let r = ramp(500, &plan, U).expect("in ramp");
        assert_eq!(r.status.class, "bad");
        assert_eq!(
            r.status.reason,
            "In ramp: day 500, past the 90-day plan; day 60 gate 1 of 2 done"
        );
        assert_eq!(
            ramp(10, &plan, U).map(|r| r.status.href),
            Some("/metrics/#in-ramp".into())
        );
    }

    #[test]
    fn hit_rate_by_the_scorecard_rule() {
        let s = hit_rate(Some(0.5), 4, Some(0.08), 0.1, U);
        assert_eq!(s.class, "good");
        assert_eq!(
            s.reason,
            "2 of 4 ended forecasts within 10%; mean error 8%, target at most 10%"
        );
        assert_eq!(s.href, "/metrics/#forecast-hit-rate");
        assert_eq!(s.word, "met");
        let s = hit_rate(Some(0.0), 1, Some(0.25), 0.1, U);
        assert_eq!((s.class, s.word), ("bad", "missed"));
        assert!(s.reason.starts_with("0 of 1 ended forecast within 10%"));
        // Committed, nothing closed: a miss with no error to average.
        assert_eq!(hit_rate(Some(0.0), 2, None, 0.1, U).class, "bad");
        assert_eq!(hit_rate(Some(1.0), 1, None, 0.1, U).class, "good");
        assert_eq!(hit_rate(None, 0, None, 0.1, U).class, "neutral");
        assert_eq!(hit_rate(None, 0, None, 0.1, U).word, "");
    }

    #[test]
    fn stale_only_for_open_deals() {
        let s = stale(45, 30, true, U);
        assert_eq!((s.class, s.word), ("bad", "stale"));
        assert_eq!(s.reason, "No activity for 45 days; stale after 30");
        assert_eq!(s.href, "/metrics/#last-activity");
        assert_eq!(stale(30, 30, true, U).class, "neutral");
        assert_eq!(stale(45, 30, false, U).class, "neutral");
    }

    #[test]
    fn every_state_has_a_word_unless_neutral() {
        assert_eq!(attainment(Some(0.5), U).word, "below");
        assert_eq!(coverage(Some(4.0), 3.0, U).word, "met");
        assert_eq!(risk(1, 0, 0, U).word, "at risk");
        assert_eq!(forecast(Some(0.3), 0.1, U).word, "over");
        assert_eq!(cadence(Some(42), Some(14), Some(28), U).word, "overdue");
        assert_eq!(attainment(None, U).word, "");
    }

    #[test]
    fn win_rate_and_ramp_trends() {
        assert_eq!(win_rate_trend(Some(6.0), 5.0, U).class, "good");
        assert_eq!(
            win_rate_trend(Some(-2.0), 5.0, U).reason,
            "-2.0 points, target +5 points"
        );
        assert_eq!(win_rate_trend(None, 5.0, U).class, "neutral");
        assert_eq!(ramp_trend(None, U).class, "neutral");
    }
}

//! Inline SVG charts, drawn at build time.
//!
//! Pure functions from numbers to an HTML fragment: no I/O, no dependencies
//! beyond `std` and the site's own [`escape`](super::escape) and
//! [`format`](super::format) modules, and the same input always gives the
//! same bytes. Every chart is a `<figure class="chart">` holding a caption,
//! an accessible `<svg>` (`role="img"` labelled by its own `<title>` and
//! `<desc>`) whose colours come only from CSS classes, and a
//! `<details class="chart-data">` table with the same numbers, the
//! alternative for screen readers and for anyone who wants the figures.
//!
//! The drawing holds nothing interactive: an image may not contain links
//! (axe-core's `nested-interactive`), so a row's link lives in the data
//! table only, on the row's name.
//!
//! The caption comes first inside the figure: HTML allows a `<figcaption>`
//! only as the first or the last child of its `<figure>`.
//!
//! What it is not: it does not compute metrics (callers pass finished
//! numbers) and it does not know about URLs beyond filtering and escaping
//! the `href`s it is handed.
//!
//! Robustness rules: all text is escaped; non-finite numbers are drawn as 0
//! and shown as a dash in the table; negative values are drawn as 0 (their
//! true value is still in the table); labels longer than [`MAX_LABEL_CHARS`]
//! are cut with an ellipsis in the drawing only; coordinates carry at most
//! one decimal.
//!
//! Parts: [`scale`] maps values to x and picks the ticks, [`frame`] lays out
//! the rows, axis, target line and legend and writes the figure around
//! them, [`table`] writes the data table; [`bar`], [`band`], [`skills`]
//! and [`waterfall`] are the four kinds of chart.

mod band;
mod bar;
mod frame;
mod scale;
mod skills;
mod table;
#[cfg(test)]
mod tests;
mod trend;
mod waterfall;

pub use band::band_chart;
pub use bar::bar_chart;
#[cfg(test)]
use bar::bar_chart_with_band;
pub use skills::skill_bars;
pub use trend::{trend_chart, Series};
pub use waterfall::{waterfall_chart, Step};

use super::format::{self, DASH};

/// One row of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// A second figure drawn as a thinner bar over the first (weighted vs
    /// total pipeline, actual vs commit).
    pub secondary: Option<f64>,
    /// Makes the row's name in the data table a link (never the drawing:
    /// see the module comment).
    pub href: Option<String>,
}

/// What a chart shows and how to label it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec<'a> {
    /// Unique DOM id prefix: the chart uses `{id}-title` and `{id}-desc`.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub unit: Unit,
    /// A target drawn as a dashed vertical line: value and label, e.g.
    /// `(0.9, "Target 90%")`.
    pub target: Option<(f64, &'a str)>,
    /// Name of `Bar::value`, used in the legend and the table header.
    pub value_label: &'a str,
    /// Name of `Bar::secondary`.
    pub secondary_label: Option<&'a str>,
}

/// How values are formatted and scaled.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// Money, whole units with thousands separators: `$240,000`.
    Money { symbol: String },
    /// A ratio shown as a percentage: 0.9 is `90%`.
    Percent,
    /// A whole number: `12` (no page charts a count today; the chart
    /// tests use it as the plain unit).
    #[cfg(test)]
    Count,
    /// A multiple: 3.2 is `3.2x`.
    Ratio,
    /// A score out of `max`: `2.5`.
    Score { max: f64 },
}

/// Labels longer than this many characters are always cut in the drawing
/// (shorter ones are cut too when the row's value text leaves less room).
pub const MAX_LABEL_CHARS: usize = 44;

// Geometry of every chart, in viewBox units. Each row is a line of text
// (label on the left, value on the right) above its bar, so that the bars
// get the whole width and the text stays readable when a phone scales the
// drawing down. The stylesheet caps the drawn width so text never grows
// much beyond body size.
const WIDTH: f64 = 400.0;
const X0: f64 = 2.0;
const X1: f64 = 394.0;
const ROW_H: f64 = 40.0;
const TEXT_Y: f64 = 13.0;
const BAR_Y: f64 = 18.0;
const BAR_H: f64 = 14.0;
const THIN_Y: f64 = 22.0;
const THIN_H: f64 = 6.0;
/// Rough advance of one character at font size 12, for fitting text.
const CHAR_W: f64 = 7.0;
const LEGEND_H: f64 = 18.0;

/// Formats a value for people: `$240,000`, `87%`, `3.2x`, `12`, `2.5`.
/// Non-finite values are shown as an em dash.
pub fn format_value(unit: &Unit, v: f64) -> String {
    // Percent, ratio and score scale the value first: that may overflow.
    let scaled = match unit {
        Unit::Percent => v * 100.0,
        Unit::Ratio | Unit::Score { .. } => v * 10.0,
        Unit::Money { .. } => v,
        #[cfg(test)]
        Unit::Count => v,
    };
    if !v.is_finite() || !scaled.is_finite() {
        return DASH.to_string();
    }
    match unit {
        Unit::Money { symbol } => format::money(Some(v), symbol),
        Unit::Percent => {
            format!("{}%", signed_int(percent_points(v).round()))
        }
        #[cfg(test)]
        Unit::Count => format::thousands(v),
        Unit::Ratio => {
            let r = (v * 10.0).round() / 10.0;
            format!("{:.1}x", if r == 0.0 { 0.0 } else { r })
        }
        Unit::Score { .. } => {
            let r = (v * 10.0).round() / 10.0;
            if r == 0.0 {
                "0".to_string()
            } else if r.fract() == 0.0 {
                format!("{r:.0}")
            } else {
                format!("{r:.1}")
            }
        }
    }
}

/// `r` in percentage points, nudged so that 0.285 gives 28.5 and not
/// 28.499999...
fn percent_points(r: f64) -> f64 {
    let p = r * 100.0;
    let micro = p * 1e6;
    if micro.is_finite() {
        micro.round() / 1e6
    } else {
        p
    }
}

fn signed_int(r: f64) -> String {
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r:.0}")
    }
}

/// 0.1 -> "10%", 0.125 -> "12.5%".
fn percent_text(r: f64) -> String {
    let p = (r * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// +4% / -12% / 0%, with a real minus sign.
fn signed_percent(r: f64) -> String {
    let p = percent_points(r).round();
    if p > 0.0 {
        format!("+{p:.0}%")
    } else if p < 0.0 {
        format!("\u{2212}{:.0}%", -p)
    } else {
        "0%".to_string()
    }
}

fn non_empty(s: &str, default: &str) -> String {
    if s.trim().is_empty() {
        default.to_string()
    } else {
        s.to_string()
    }
}

/// Collapses runs of whitespace (newlines included) to one space.
fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to at most `max` characters, ending with an ellipsis when cut.
fn truncate(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() <= max {
        return (s.to_string(), false);
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('\u{2026}');
    (out, true)
}

/// A DOM id made of ASCII letters, digits, `-` and `_` (it is used in a
/// space-separated `aria-labelledby`).
fn dom_id(s: &str) -> String {
    let id: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".to_string()
    } else {
        id
    }
}

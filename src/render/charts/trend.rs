//! Trend sparklines: a few figures over the same dates, each drawn as a
//! small line (its own `role="img"` SVG, labelled by its `<title>` and
//! `<desc>`, with nothing interactive in it), and one data table with
//! every figure at every date right under them.

use super::scale::num;
use super::{dom_id, format_value, table, ChartSpec, Unit};
use crate::render::escape;
use std::fmt::Write as _;

/// One figure over the dates: `None` where it has no value (drawn as a
/// gap, a dash in the table).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub unit: Unit,
    pub values: Vec<Option<f64>>,
}

const W: f64 = 160.0;
const H: f64 = 40.0;
const PAD: f64 = 3.0;

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// The points of one series, scaled between its own minimum and maximum
/// (a flat series is drawn mid-height); runs of values split at gaps.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let vals: Vec<f64> = values.iter().filter_map(|v| finite(*v)).collect();
    let (lo, hi) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let n = values.len().max(2) - 1;
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / n as f64;
    let y = |v: f64| {
        if hi > lo {
            H - PAD - (H - 2.0 * PAD) * (v - lo) / (hi - lo)
        } else {
            H / 2.0
        }
    };
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match finite(*v) {
            Some(v) => cur.push((x(i), y(v))),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn show(unit: &Unit, v: Option<f64>) -> String {
    finite(v).map_or_else(|| super::DASH.to_string(), |v| format_value(unit, v))
}

/// The sparklines of `series` over `dates` (oldest first), in one figure
/// with `spec.title` as its caption, and their data table.
pub fn trend_chart(spec: &ChartSpec, dates: &[String], series: &[Series]) -> String {
    let id = dom_id(spec.id);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<figure class="chart trend"><figcaption>{}</figcaption><div class="sparklines">"#,
        escape::html(spec.title)
    );
    let (first, last) = (
        dates.first().map_or("", String::as_str),
        dates.last().map_or("", String::as_str),
    );
    for (k, s) in series.iter().enumerate() {
        let now = s.values.last().copied().flatten();
        let then = s.values.iter().find_map(|v| finite(*v));
        let title = format!("{}: {}", s.label, show(&s.unit, now));
        let desc = format!(
            "{} weekly from {first} to {last}: {} at the start, {} at the end.",
            s.label,
            show(&s.unit, then),
            show(&s.unit, now)
        );
        let _ = write!(
            out,
            r#"<div class="sparkline"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-{k}-title {id}-{k}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title id="{id}-{k}-title">{title}</title><desc id="{id}-{k}-desc">{desc}</desc>"#,
            w = num(W),
            h = num(H),
            title = escape::html(&title),
            desc = escape::html(&desc),
        );
        let runs = runs(&s.values);
        for run in &runs {
            let pts: Vec<String> = run
                .iter()
                .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                .collect();
            let _ = write!(
                out,
                r#"<polyline class="chart-line" fill="none" points="{}"/>"#,
                pts.join(" ")
            );
        }
        if let Some((x, y)) = runs.last().and_then(|r| r.last()) {
            let _ = write!(
                out,
                r#"<circle class="chart-dot" cx="{}" cy="{}" r="2.5"/>"#,
                num(*x),
                num(*y)
            );
        }
        let _ = write!(
            out,
            r#"</svg><p class="sparkline-label">{} <strong>{}</strong></p></div>"#,
            escape::html(&s.label),
            escape::html(&show(&s.unit, now))
        );
    }
    out.push_str("</div>");
    let heads: Vec<String> = series.iter().map(|s| s.label.clone()).collect();
    table::open(&mut out, "Week of", &heads);
    for (i, d) in dates.iter().enumerate() {
        let cells: Vec<Option<String>> = series
            .iter()
            .map(|s| Some(show(&s.unit, s.values.get(i).copied().flatten())))
            .collect();
        table::row(&mut out, d, None, &cells);
    }
    table::close(&mut out, spec, heads.len(), None);
    out.push_str("</figure>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_and_table() {
        let spec = ChartSpec {
            id: "t",
            title: "Trends <x>",
            description: "",
            unit: Unit::Count,
            target: None,
            value_label: "",
            secondary_label: None,
        };
        let dates = vec![
            "2026-11-16".to_string(),
            "2026-11-23".to_string(),
            "2026-11-30".to_string(),
        ];
        let html = trend_chart(
            &spec,
            &dates,
            &[
                Series {
                    label: "Open".into(),
                    unit: Unit::Count,
                    values: vec![Some(1.0), None, Some(3.0)],
                },
                Series {
                    label: "Flat".into(),
                    unit: Unit::Ratio,
                    values: vec![Some(f64::NAN), Some(2.0), Some(2.0)],
                },
            ],
        );
        assert!(html.contains("Trends &lt;x&gt;"));
        assert_eq!(html.matches("role=\"img\"").count(), 2);
        assert_eq!(html.matches("<polyline").count(), 3, "{html}");
        assert!(html.contains("<th scope=\"row\">2026-11-23</th><td class=\"num\"><span class=\"dash\">&#8212;</span></td><td class=\"num\">2.0x</td>"), "{html}");
        assert!(!html.contains("<a "));
        assert!(!html.contains("NaN"));
    }
}

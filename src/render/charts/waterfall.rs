//! A waterfall: a total, the signed steps that move it, and the total they
//! reach, each drawn as a horizontal bar floating from the running total
//! before the step to the running total after it (one row per step, like
//! every other chart). The data table shows the same figures, signed.

use super::frame::{empty_figure, figure_close, figure_open, rect, row, Frame};
use super::scale::{draw_value, Scale};
use super::{dom_id, format_value, table, ChartSpec, BAR_H, BAR_Y, DASH};

/// One row of a waterfall.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A total, drawn from 0 (the start and the end); the running total
    /// is this value after it.
    Total { label: String, value: f64 },
    /// A signed change of the running total (`-120000` for deals won out
    /// of the pipeline).
    Delta { label: String, value: f64 },
}

impl Step {
    fn label(&self) -> &str {
        match self {
            Step::Total { label, .. } | Step::Delta { label, .. } => label,
        }
    }
}

/// Where each step's bar lies: `(from, to)` in values, `from` being the
/// running total before the step (0 for a total). Non-finite values count
/// as 0.
pub fn spans(steps: &[Step]) -> Vec<(f64, f64)> {
    let clean = |v: f64| if v.is_finite() { v } else { 0.0 };
    let mut run = 0.0;
    steps
        .iter()
        .map(|s| match s {
            Step::Total { value, .. } => {
                run = clean(*value);
                (0.0, run)
            }
            Step::Delta { value, .. } => {
                let from = run;
                run += clean(*value);
                (from, run)
            }
        })
        .collect()
}

/// A delta for people: `+$25,000`, `−$120,000` (a real minus sign), `$0`.
fn signed(spec: &ChartSpec, v: f64) -> String {
    if !v.is_finite() {
        return DASH.to_string();
    }
    let abs = format_value(&spec.unit, v.abs());
    if v > 0.0 {
        format!("+{abs}")
    } else if v < 0.0 {
        format!("\u{2212}{abs}")
    } else {
        abs
    }
}

/// The waterfall chart of `steps`, with its data table.
pub fn waterfall_chart(spec: &ChartSpec, steps: &[Step]) -> String {
    if steps.is_empty() {
        return empty_figure(spec);
    }
    let id = dom_id(spec.id);
    let spans = spans(steps);
    let max = spans
        .iter()
        .flat_map(|(a, b)| [draw_value(*a), draw_value(*b)])
        .fold(0.0f64, f64::max);
    let scale = Scale::new(&spec.unit, max);
    let frame = Frame::new(steps.len(), false, Vec::new());

    let mut svg = String::new();
    frame.grid(&mut svg, &scale, &spec.unit);
    for (i, (s, (from, to))) in steps.iter().zip(&spans).enumerate() {
        let y = frame.row_y(i);
        let (class, text) = match s {
            Step::Total { value, .. } => ("chart-bar", format_value(&spec.unit, *value)),
            Step::Delta { value, .. } if *value < 0.0 => ("chart-bar-down", signed(spec, *value)),
            Step::Delta { value, .. } => ("chart-bar-up", signed(spec, *value)),
        };
        let (xa, xb) = (scale.x(from.min(*to)), scale.x(from.max(*to)));
        let mut body = String::new();
        rect(&mut body, class, xa, y + BAR_Y, xb - xa, BAR_H);
        row(&mut svg, y, s.label(), &text, &body);
    }

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);
    let heads = vec![
        super::non_empty(spec.value_label, "Value"),
        "Running total".to_string(),
    ];
    table::open(&mut out, "Step", &heads);
    for (s, (_, to)) in steps.iter().zip(&spans) {
        let value = match s {
            Step::Total { value, .. } => format_value(&spec.unit, *value),
            Step::Delta { value, .. } => signed(spec, *value),
        };
        table::row(
            &mut out,
            s.label(),
            None,
            &[Some(value), Some(format_value(&spec.unit, *to))],
        );
    }
    table::close(&mut out, spec, heads.len(), None);
    figure_close(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::Unit;
    use super::*;

    fn spec() -> ChartSpec<'static> {
        ChartSpec {
            id: "wf",
            title: "Pipeline waterfall",
            description: "",
            unit: Unit::Money { symbol: "$".into() },
            target: None,
            value_label: "Change",
            secondary_label: None,
        }
    }

    fn steps() -> Vec<Step> {
        let d = |l: &str, v: f64| Step::Delta {
            label: l.into(),
            value: v,
        };
        vec![
            Step::Total {
                label: "Start".into(),
                value: 710000.0,
            },
            d("Created", 25000.0),
            d("Pulled in", 50000.0),
            d("Value change", 10000.0),
            d("Won", -120000.0),
            d("Lost", -70000.0),
            d("Removed", -30000.0),
            d("Pushed out", -200000.0),
            Step::Total {
                label: "End".into(),
                value: 375000.0,
            },
        ]
    }

    #[test]
    fn bars_reconcile() {
        let s = spans(&steps());
        // Each step starts where the one before ended, and the last step
        // before the end total ends exactly at it.
        for w in s[1..s.len() - 1].windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        assert_eq!(s[0], (0.0, 710000.0));
        assert_eq!(s[s.len() - 2].1, 375000.0);
        assert_eq!(s[s.len() - 1], (0.0, 375000.0));
    }

    #[test]
    fn draws_signed_rows_and_no_links_in_the_image() {
        let html = waterfall_chart(&spec(), &steps());
        assert!(html.contains("chart-bar-up"));
        assert!(html.contains("chart-bar-down"));
        assert!(html.contains("\u{2212}$120,000"), "{html}");
        assert!(html.contains("+$25,000"));
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert!(!svg.contains("<a "));
        assert!(html.contains(r#"<details class="chart-data">"#));
        // Same bytes for the same input.
        assert_eq!(html, waterfall_chart(&spec(), &steps()));
    }

    #[test]
    fn empty_and_non_finite() {
        assert!(waterfall_chart(&spec(), &[]).contains("No data yet"));
        let html = waterfall_chart(
            &spec(),
            &[Step::Delta {
                label: "x".into(),
                value: f64::NAN,
            }],
        );
        assert!(!html.contains("NaN"));
    }
}

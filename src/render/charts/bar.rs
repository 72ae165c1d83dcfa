//! Horizontal bar charts: one row per bar, an optional thinner second bar
//! (weighted against total, actual against commit), an optional dashed
//! target line with a shaded band around it.

use super::frame::{empty_figure, figure_close, figure_open, rect, row, Frame};
use super::scale::{clean_band, clean_target, draw_value, num, Scale};
use super::{
    dom_id, format_value, non_empty, table, Bar, ChartSpec, BAR_H, BAR_Y, DASH, THIN_H, THIN_Y, X0,
};
use std::fmt::Write as _;

/// Horizontal bars, one row per bar. `secondary` is drawn as a thinner bar
/// over the main one; `spec.target` as a dashed vertical line.
pub fn bar_chart(spec: &ChartSpec, bars: &[Bar]) -> String {
    bar_chart_with_band(spec, bars, None)
}

/// [`bar_chart`] with an optional band of +/- `band` (a ratio: 0.1 = 10%)
/// shaded around the target line. Without a target there is no band.
pub fn bar_chart_with_band(spec: &ChartSpec, bars: &[Bar], band: Option<f64>) -> String {
    if bars.is_empty() {
        return empty_figure(spec);
    }
    let id = dom_id(spec.id);
    let target = clean_target(spec.target);
    let band = band.map(clean_band).filter(|b| *b > 0.0);
    let has_secondary = bars.iter().any(|b| b.secondary.is_some());

    let mut max = 0.0f64;
    for b in bars {
        max = max.max(draw_value(b.value));
        if let Some(s) = b.secondary {
            max = max.max(draw_value(s));
        }
    }
    if let Some((t, _)) = target {
        max = max.max(t * (1.0 + band.unwrap_or(0.0)));
    }
    let scale = Scale::new(&spec.unit, max);

    let mut legend = Vec::new();
    if has_secondary {
        legend.push(("chart-bar", non_empty(spec.value_label, "Value")));
        legend.push((
            "chart-bar-secondary",
            non_empty(spec.secondary_label.unwrap_or(""), "Secondary"),
        ));
    }
    let frame = Frame::new(bars.len(), target.is_some(), legend);

    let mut svg = String::new();
    frame.grid(&mut svg, &scale, &spec.unit);
    if let (Some((t, _)), Some(b)) = (target, band) {
        let xa = scale.x(t * (1.0 - b));
        let xb = scale.x(t * (1.0 + b));
        let _ = write!(
            svg,
            r#"<rect class="chart-band" x="{}" y="{}" width="{}" height="{}"/>"#,
            num(xa),
            num(frame.top),
            num(xb - xa),
            num(frame.axis_y() - frame.top)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = frame.row_y(i);
        let mut value_text = format_value(&spec.unit, b.value);
        if has_secondary {
            let s = b
                .secondary
                .map(|s| format_value(&spec.unit, s))
                .unwrap_or_else(|| DASH.to_string());
            value_text = format!("{value_text} / {s}");
        }
        let mut body = String::new();
        rect(
            &mut body,
            "chart-bar",
            X0,
            y + BAR_Y,
            scale.x(b.value) - X0,
            BAR_H,
        );
        if let Some(s) = b.secondary {
            rect(
                &mut body,
                "chart-bar-secondary",
                X0,
                y + THIN_Y,
                scale.x(s) - X0,
                THIN_H,
            );
        }
        row(&mut svg, y, &b.label, &value_text, &body);
    }
    if let Some(t) = target {
        frame.target_line(&mut svg, &scale, t);
    }
    frame.legend(&mut svg);

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);

    // The table.
    let sec_head = if has_secondary || spec.secondary_label.is_some() {
        Some(non_empty(spec.secondary_label.unwrap_or(""), "Secondary"))
    } else {
        None
    };
    let mut heads = vec![non_empty(spec.value_label, "Value")];
    heads.extend(sec_head.clone());
    table::open(&mut out, "Name", &heads);
    for b in bars {
        let mut cells = vec![Some(format_value(&spec.unit, b.value))];
        if sec_head.is_some() {
            cells.push(b.secondary.map(|s| format_value(&spec.unit, s)));
        }
        table::row(&mut out, &b.label, b.href.as_deref(), &cells);
    }
    table::close(&mut out, spec, heads.len(), band);
    figure_close(&mut out);
    out
}

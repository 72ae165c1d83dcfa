//! The forecast chart: commit against actual per period, with the band of
//! the forecast error target shaded around each commit.

use super::frame::{empty_figure, figure_close, figure_open, rect, row, Frame};
use super::scale::{clean_band, clean_target, draw_value, Scale};
use super::{
    dom_id, format_value, non_empty, percent_text, signed_percent, table, Bar, ChartSpec, BAR_H,
    BAR_Y, DASH, THIN_H, THIN_Y, X0,
};

/// Commit (`value`) against actual (`secondary`) per period, with a band of
/// +/- `band` (0.10 = 10%) around each commit. Rows without an actual draw
/// the commit and its band only.
pub fn band_chart(spec: &ChartSpec, rows: &[Bar], band: f64) -> String {
    if rows.is_empty() {
        return empty_figure(spec);
    }
    let id = dom_id(spec.id);
    let band = clean_band(band);
    let target = clean_target(spec.target);

    let mut max = 0.0f64;
    for r in rows {
        max = max.max(draw_value(r.value) * (1.0 + band));
        if let Some(s) = r.secondary {
            max = max.max(draw_value(s));
        }
    }
    if let Some((t, _)) = target {
        max = max.max(t);
    }
    let scale = Scale::new(&spec.unit, max);

    let value_label = non_empty(spec.value_label, "Commit");
    let secondary_label = non_empty(spec.secondary_label.unwrap_or(""), "Actual");
    let mut legend = vec![
        ("chart-bar", value_label.clone()),
        ("chart-bar-secondary", secondary_label.clone()),
    ];
    if band > 0.0 {
        legend.push(("chart-band", format!("\u{b1}{} band", percent_text(band))));
    }
    let frame = Frame::new(rows.len(), target.is_some(), legend);

    let mut svg = String::new();
    frame.grid(&mut svg, &scale, &spec.unit);
    for (i, r) in rows.iter().enumerate() {
        let y = frame.row_y(i);
        let commit = draw_value(r.value);
        let mut body = String::new();
        rect(
            &mut body,
            "chart-bar",
            X0,
            y + BAR_Y,
            scale.x(commit) - X0,
            BAR_H,
        );
        if band > 0.0 && commit > 0.0 {
            let xa = scale.x(commit * (1.0 - band));
            let xb = scale.x(commit * (1.0 + band));
            rect(
                &mut body,
                "chart-band",
                xa,
                y + BAR_Y - 3.0,
                xb - xa,
                BAR_H + 6.0,
            );
        }
        if let Some(a) = r.secondary {
            rect(
                &mut body,
                "chart-bar-secondary",
                X0,
                y + THIN_Y,
                scale.x(a) - X0,
                THIN_H,
            );
        }
        let actual = r
            .secondary
            .map(|a| format_value(&spec.unit, a))
            .unwrap_or_else(|| DASH.to_string());
        let value_text = format!("{} / {actual}", format_value(&spec.unit, r.value));
        row(&mut svg, y, &r.label, &value_text, &body);
    }
    if let Some(t) = target {
        frame.target_line(&mut svg, &scale, t);
    }
    frame.legend(&mut svg);

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);
    let heads = vec![value_label, secondary_label, "Actual vs commit".to_string()];
    table::open(&mut out, "Period", &heads);
    for r in rows {
        let diff = match r.secondary {
            Some(a) if r.value.is_finite() && r.value != 0.0 && a.is_finite() => {
                Some(signed_percent((a - r.value) / r.value))
            }
            _ => None,
        };
        let cells = vec![
            Some(format_value(&spec.unit, r.value)),
            r.secondary.map(|a| format_value(&spec.unit, a)),
            diff,
        ];
        table::row(&mut out, &r.label, r.href.as_deref(), &cells);
    }
    table::close(&mut out, spec, heads.len(), None);
    figure_close(&mut out);
    out
}

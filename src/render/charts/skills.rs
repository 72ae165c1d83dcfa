//! The skill chart (the rep plan's answer to a radar chart, kept as bars so
//! that levels read off one straight scale): each skill's current level as
//! a bar, its target level as a diamond, on a 1-5 (or `Unit::Score { max }`)
//! scale.

use super::frame::{diamond, empty_figure, figure_close, figure_open, rect, row, Frame};
use super::scale::{clean_target, Scale};
use super::{dom_id, format_value, non_empty, table, ChartSpec, Unit, BAR_H, BAR_Y, X0};

/// Skills on a 1-5 scale (or `Unit::Score { max }`): `(label, current,
/// target)`, the current level as a bar, the target as a diamond marker.
pub fn skill_bars(spec: &ChartSpec, skills: &[(String, f64, f64)]) -> String {
    if skills.is_empty() {
        return empty_figure(spec);
    }
    let id = dom_id(spec.id);
    let max = match spec.unit {
        Unit::Score { max } if max.is_finite() && max > 0.0 => max,
        _ => 5.0,
    };
    let unit = Unit::Score { max };
    let target = clean_target(spec.target);
    let scale = Scale::new(&unit, max);

    let value_label = non_empty(spec.value_label, "Current");
    let target_label = non_empty(spec.secondary_label.unwrap_or(""), "Target");
    let legend = vec![
        ("chart-bar", value_label.clone()),
        ("chart-marker", target_label.clone()),
    ];
    let frame = Frame::new(skills.len(), target.is_some(), legend);

    let mut svg = String::new();
    frame.grid(&mut svg, &scale, &unit);
    for (i, (label, current, goal)) in skills.iter().enumerate() {
        let y = frame.row_y(i);
        let mut body = String::new();
        rect(
            &mut body,
            "chart-bar",
            X0,
            y + BAR_Y,
            scale.x(*current) - X0,
            BAR_H,
        );
        if goal.is_finite() {
            let x = scale.x(*goal);
            diamond(&mut body, x, y + BAR_Y + BAR_H / 2.0, 5.0, 10.0);
        }
        let value_text = format!(
            "{} \u{2192} {}",
            format_value(&unit, *current),
            format_value(&unit, *goal)
        );
        row(&mut svg, y, label, &value_text, &body);
    }
    if let Some(t) = target {
        frame.target_line(&mut svg, &scale, t);
    }
    frame.legend(&mut svg);

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);
    let heads = vec![value_label, target_label, "Gap".to_string()];
    table::open(&mut out, "Skill", &heads);
    for (label, current, goal) in skills {
        let gap = goal - current;
        let cells = vec![
            Some(format_value(&unit, *current)),
            Some(format_value(&unit, *goal)),
            Some(format_value(&unit, gap)),
        ];
        table::row(&mut out, label, None, &cells);
    }
    table::close(&mut out, spec, heads.len(), None);
    figure_close(&mut out);
    out
}

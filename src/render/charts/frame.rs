//! The layout and markup around every chart: the vertical frame (target
//! label, rows, axis labels, legend), the `<figure>` with its caption and
//! `role="img"` SVG, one row of text and bars, and the shapes drawn.
//!
//! Nothing written here is interactive: the SVG is an image, and links
//! belong to the data table ([`super::table`]).

use super::scale::{num, Scale};
use super::{
    dom_id, flatten, format_value, truncate, ChartSpec, Unit, BAR_H, BAR_Y, CHAR_W, LEGEND_H,
    MAX_LABEL_CHARS, ROW_H, TEXT_Y, WIDTH, X0, X1,
};
use crate::render::escape;
use std::fmt::Write as _;

/// Vertical layout: an optional target label above the rows, the rows, the
/// axis labels, an optional legend.
pub(super) struct Frame {
    pub(super) top: f64,
    rows: usize,
    /// Legend items: class, text, and where they go (x, line).
    legend: Vec<(&'static str, String, f64, usize)>,
}

impl Frame {
    pub(super) fn new(rows: usize, target: bool, legend: Vec<(&'static str, String)>) -> Frame {
        // Lay the legend out now: its line count sets the height.
        let mut placed = Vec::new();
        let (mut x, mut line) = (X0, 0);
        for (class, label) in legend {
            let (label, _) = truncate(&flatten(&label), 40);
            let w = 14.0 + label.chars().count() as f64 * CHAR_W;
            if x > X0 && x + w > X1 {
                x = X0;
                line += 1;
            }
            placed.push((class, label, x, line));
            x += w + 16.0;
        }
        Frame {
            top: if target { 22.0 } else { 4.0 },
            rows,
            legend: placed,
        }
    }

    pub(super) fn row_y(&self, i: usize) -> f64 {
        self.top + i as f64 * ROW_H
    }

    pub(super) fn axis_y(&self) -> f64 {
        self.top + self.rows as f64 * ROW_H
    }

    fn legend_lines(&self) -> usize {
        self.legend.last().map_or(0, |l| l.3 + 1)
    }

    pub(super) fn height(&self) -> f64 {
        self.axis_y() + 20.0 + self.legend_lines() as f64 * LEGEND_H
    }

    /// Path data for a vertical line at `x` across the bars of every row
    /// (not across the text lines above them).
    fn vline(&self, x: f64) -> String {
        let x = num(x);
        let mut d = String::new();
        for i in 0..self.rows {
            let y = self.row_y(i);
            let end = if i + 1 == self.rows {
                self.axis_y()
            } else {
                y + BAR_Y + BAR_H + 3.0
            };
            let _ = write!(d, "M{x} {}V{}", num(y + BAR_Y - 3.0), num(end));
        }
        d
    }

    /// Gridlines at the scale's ticks and their labels under the last row;
    /// labels that would collide are left out (the gridlines stay).
    ///
    /// The same rows, top, scale and unit draw the same grid: every deal's
    /// MEDDPICC chart has one, so each thread keeps the last few grids
    /// drawn and copies them.
    pub(super) fn grid(&self, out: &mut String, scale: &Scale, unit: &Unit) {
        type Key = (usize, u64, (u64, u64), Unit);
        thread_local! {
            static GRIDS: std::cell::RefCell<Vec<(Key, String)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let key: Key = (self.rows, self.top.to_bits(), scale.bits(), unit.clone());
        let hit = GRIDS.with(|g| {
            let g = g.borrow();
            g.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, svg)| out.push_str(svg))
                .is_some()
        });
        if hit {
            return;
        }
        let mut svg = String::new();
        self.draw_grid(&mut svg, scale, unit);
        out.push_str(&svg);
        GRIDS.with(|g| {
            let mut g = g.borrow_mut();
            if g.len() >= 8 {
                g.remove(0);
            }
            g.push((key, svg));
        });
    }

    fn draw_grid(&self, out: &mut String, scale: &Scale, unit: &Unit) {
        let bottom = self.axis_y();
        let ticks = scale.ticks();
        let last = ticks.len().saturating_sub(1);
        let labels: Vec<String> = ticks.iter().map(|t| format_value(unit, *t)).collect();
        let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 6.0;
        let spacing = (X1 - X0) / last.max(1) as f64;
        let every = ((widest * 1.5 + 6.0) / spacing).ceil().max(1.0) as usize;
        for (i, t) in ticks.iter().enumerate() {
            let x = scale.x(*t);
            let _ = write!(out, r#"<path class="chart-axis" d="{}"/>"#, self.vline(x));
            let shown = i == 0 || ((last - i) % every == 0 && i >= every);
            if !shown {
                continue;
            }
            let anchor = if i == 0 {
                "start"
            } else if i == last {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                out,
                r#"<text class="chart-label chart-tick" x="{}" y="{}" text-anchor="{anchor}" font-size="10">{}</text>"#,
                num(x),
                num(bottom + 13.0),
                escape::html(&labels[i])
            );
        }
    }

    pub(super) fn target_line(&self, out: &mut String, scale: &Scale, (t, label): (f64, &str)) {
        let x = scale.x(t);
        let _ = write!(
            out,
            r#"<path class="chart-target" d="{}" stroke-dasharray="5 3"/>"#,
            self.vline(x)
        );
        let (label, _) = truncate(&flatten(label), 40);
        let half = label.chars().count() as f64 * CHAR_W / 2.0;
        let anchor = if x - half < X0 {
            "start"
        } else if x + half > X1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r#"<text class="chart-label chart-target-label" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
            num(x),
            num(self.top - 8.0),
            escape::html(&label)
        );
    }

    pub(super) fn legend(&self, out: &mut String) {
        if self.legend.is_empty() {
            return;
        }
        out.push_str(r#"<g class="chart-legend">"#);
        for (class, label, x, line) in &self.legend {
            let y = self.axis_y() + 32.0 + *line as f64 * LEGEND_H;
            if *class == "chart-marker" {
                diamond(out, x + 5.0, y - 4.0, 5.0, 6.0);
            } else {
                rect(out, class, *x, y - 9.0, 10.0, 10.0);
            }
            let _ = write!(
                out,
                r#"<text class="chart-label" x="{}" y="{}">{}</text>"#,
                num(x + 14.0),
                num(y),
                escape::html(label)
            );
        }
        out.push_str("</g>");
    }
}

pub(super) fn figure_open(
    out: &mut String,
    spec: &ChartSpec,
    id: &str,
    height: f64,
    svg_body: &str,
) {
    let desc = if spec.description.trim().is_empty() {
        spec.title
    } else {
        spec.description
    };
    let _ = write!(
        out,
        r#"<figure class="chart"><figcaption>{title}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" font-size="12"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{svg_body}</svg>"#,
        title = escape::html(spec.title),
        desc = escape::html(desc),
        w = num(WIDTH),
        h = num(height),
    );
}

pub(super) fn figure_close(out: &mut String) {
    out.push_str("</figure>");
}

pub(super) fn empty_figure(spec: &ChartSpec) -> String {
    let id = dom_id(spec.id);
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<text class="chart-label chart-empty" x="{}" y="28" text-anchor="middle">No data yet</text>"#,
        num(WIDTH / 2.0)
    );
    let mut out = String::new();
    figure_open(&mut out, spec, &id, 44.0, &body);
    figure_close(&mut out);
    out
}

/// One row of a chart: a group with a `<title>` holding the full label and
/// value, the (possibly cut) label, the drawing and the value text. Never a
/// link: the row's link is in the data table.
pub(super) fn row(out: &mut String, y: f64, label: &str, value_text: &str, body: &str) {
    let flat = flatten(label);
    let room = (X1 - X0 - 10.0) / CHAR_W - value_text.chars().count() as f64;
    let fit = (room.max(8.0) as usize).min(MAX_LABEL_CHARS);
    let (short, _) = truncate(&flat, fit);
    let text_y = num(y + TEXT_Y);
    let _ = write!(
        out,
        r#"<g class="chart-row"><title>{}: {}</title><text class="chart-label" x="{}" y="{text_y}">{}</text><text class="chart-value" x="{}" y="{text_y}" text-anchor="end">{}</text>{body}</g>"#,
        escape::html(&flat),
        escape::html(value_text),
        num(X0),
        escape::html(&short),
        num(X1),
        escape::html(value_text),
    );
}

/// A diamond centred on (x, y), `w` wide each side and `h` tall each side.
pub(super) fn diamond(out: &mut String, x: f64, y: f64, w: f64, h: f64) {
    let _ = write!(
        out,
        r#"<path class="chart-marker" d="M{} {}L{} {}L{} {}L{} {}Z"/>"#,
        num(x),
        num(y - h),
        num(x + w),
        num(y),
        num(x),
        num(y + h),
        num(x - w),
        num(y)
    );
}

pub(super) fn rect(out: &mut String, class: &str, x: f64, y: f64, w: f64, h: f64) {
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}"/>"#,
        num(x),
        num(y),
        num(w.max(0.0)),
        num(h.max(0.0))
    );
}

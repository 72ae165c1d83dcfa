//! Inline SVG charts, drawn at build time.
//!
//! Pure functions from numbers to an HTML fragment: no I/O, no dependencies
//! beyond `std`, and the same input always gives the same bytes. Every chart
//! is a `<figure class="chart">` holding a caption, an accessible `<svg>`
//! (`role="img"` labelled by its own `<title>` and `<desc>`) whose colours
//! come only from CSS classes, and a `<details class="chart-data">` table
//! with the same numbers, the alternative for screen readers and for anyone
//! who wants the figures.
//!
//! The caption comes first inside the figure: HTML allows a `<figcaption>`
//! only as the first or the last child of its `<figure>`.
//!
//! What it is not: it does not compute metrics (callers pass finished
//! numbers) and it does not know about URLs beyond escaping the `href`s it
//! is handed.
//!
//! Robustness rules: all text is escaped; non-finite numbers are drawn as 0
//! and shown as a dash in the table; negative values are drawn as 0 (their
//! true value is still in the table); labels longer than [`MAX_LABEL_CHARS`]
//! are cut with an ellipsis in the drawing only; coordinates carry at most
//! one decimal.

use std::fmt::Write as _;

/// One row of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// A second figure drawn as a thinner bar over the first (weighted vs
    /// total pipeline, actual vs commit).
    pub secondary: Option<f64>,
    /// Makes the row (in the drawing and in the table) a link.
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
    /// A whole number: `12`.
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
        Unit::Money { .. } | Unit::Count => v,
    };
    if !v.is_finite() || !scaled.is_finite() {
        return "\u{2014}".to_string();
    }
    match unit {
        Unit::Money { symbol } => {
            let r = v.round();
            let sign = if r < 0.0 { "-" } else { "" };
            format!("{sign}{symbol}{}", thousands(r.abs()))
        }
        Unit::Percent => {
            format!("{}%", signed_int(percent_points(v).round()))
        }
        Unit::Count => {
            let r = v.round();
            let sign = if r < 0.0 { "-" } else { "" };
            format!("{sign}{}", thousands(r.abs()))
        }
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

/// Escapes text for HTML and XML (text and attribute values alike), and
/// drops characters that neither may contain (controls, noncharacters).
pub fn escape(s: &str) -> String {
    let bytes = s.as_bytes();
    // Most values need nothing: find the first byte that might, with one
    // table lookup per byte, and copy the rest whole.
    let Some(first) = bytes.iter().position(|&b| ESCAPE_CLASS[b as usize] != 0) else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len() + s.len() / 16 + 8);
    let mut run = 0;
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        let (replacement, len): (&str, usize) = match ESCAPE_CLASS[b as usize] {
            0 => {
                i += 1;
                continue;
            }
            1 => match b {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&#39;", 1),
                _ => ("", 1),
            },
            // Lead bytes of the only multi-byte characters that may be
            // forbidden: U+0080..U+009F (0xC2), U+FDD0..U+FFFF (0xEF) and
            // the noncharacters of the other planes (0xF0..=0xF4).
            _ => match s[i..].chars().next() {
                Some(c) if is_forbidden_char(c) => ("", c.len_utf8()),
                Some(c) => {
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            },
        };
        out.push_str(&s[run..i]);
        out.push_str(replacement);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
    out
}

/// Per byte: 0 copied as is, 1 replaced or dropped (`&<>"'` and control
/// characters other than tab and newlines), 2 the lead byte of a character
/// that must be checked whole.
static ESCAPE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 1;
        b += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'\r' as usize] = 0;
    t[0x7F] = 1;
    t[b'&' as usize] = 1;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'"' as usize] = 1;
    t[b'\'' as usize] = 1;
    t[0xC2] = 2;
    t[0xEF] = 2;
    let mut b = 0xF0;
    while b <= 0xF4 {
        t[b] = 2;
        b += 1;
    }
    t
};

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
                .unwrap_or_else(|| "\u{2014}".to_string());
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
        row(&mut svg, y, &b.label, b.href.as_deref(), &value_text, &body);
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
    table_open(&mut out, "Name", &heads);
    for b in bars {
        let mut cells = vec![Some(format_value(&spec.unit, b.value))];
        if sec_head.is_some() {
            cells.push(b.secondary.map(|s| format_value(&spec.unit, s)));
        }
        table_row(&mut out, &b.label, b.href.as_deref(), &cells);
    }
    table_close(&mut out, spec, heads.len(), band);
    figure_close(&mut out);
    out
}

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
            .unwrap_or_else(|| "\u{2014}".to_string());
        let value_text = format!("{} / {actual}", format_value(&spec.unit, r.value));
        row(&mut svg, y, &r.label, r.href.as_deref(), &value_text, &body);
    }
    if let Some(t) = target {
        frame.target_line(&mut svg, &scale, t);
    }
    frame.legend(&mut svg);

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);
    let heads = vec![value_label, secondary_label, "Actual vs commit".to_string()];
    table_open(&mut out, "Period", &heads);
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
        table_row(&mut out, &r.label, r.href.as_deref(), &cells);
    }
    table_close(&mut out, spec, heads.len(), None);
    figure_close(&mut out);
    out
}

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
        row(&mut svg, y, label, None, &value_text, &body);
    }
    if let Some(t) = target {
        frame.target_line(&mut svg, &scale, t);
    }
    frame.legend(&mut svg);

    let mut out = String::new();
    figure_open(&mut out, spec, &id, frame.height(), &svg);
    let heads = vec![value_label, target_label, "Gap".to_string()];
    table_open(&mut out, "Skill", &heads);
    for (label, current, goal) in skills {
        let gap = goal - current;
        let cells = vec![
            Some(format_value(&unit, *current)),
            Some(format_value(&unit, *goal)),
            Some(format_value(&unit, gap)),
        ];
        table_row(&mut out, label, None, &cells);
    }
    table_close(&mut out, spec, heads.len(), None);
    figure_close(&mut out);
    out
}

// ---------------------------------------------------------------------------
// Scale and frame

/// Maps values to x coordinates: 0 at `X0`, `domain` at `X1`.
struct Scale {
    domain: f64,
    step: f64,
}

impl Scale {
    fn new(unit: &Unit, max: f64) -> Scale {
        let mut m = if max.is_finite() && max > 0.0 {
            max
        } else {
            0.0
        };
        match unit {
            Unit::Percent => m = m.max(1.0),
            Unit::Score { max: smax } => {
                let smax = if smax.is_finite() && *smax > 0.0 {
                    *smax
                } else {
                    5.0
                };
                m = m.max(smax);
                if m <= 10.0 {
                    return Scale {
                        domain: m.ceil(),
                        step: 1.0,
                    };
                }
            }
            _ => {}
        }
        if m == 0.0 {
            m = 1.0;
        }
        let mut step = nice_step(m / 5.0);
        if matches!(unit, Unit::Money { .. } | Unit::Count) && step < 10.0 {
            step = step.ceil().max(1.0);
        }
        let domain = (m / step).ceil() * step;
        if domain.is_finite() && domain >= m {
            Scale { domain, step }
        } else {
            Scale { domain: m, step: m }
        }
    }

    fn x(&self, v: f64) -> f64 {
        X0 + draw_value(v).min(self.domain) / self.domain * (X1 - X0)
    }

    fn ticks(&self) -> Vec<f64> {
        let n = (self.domain / self.step).round();
        if !(1.0..=12.0).contains(&n) {
            return vec![0.0, self.domain];
        }
        (0..=n as usize).map(|i| i as f64 * self.step).collect()
    }
}

/// Vertical layout: an optional target label above the rows, the rows, the
/// axis labels, an optional legend.
struct Frame {
    top: f64,
    rows: usize,
    /// Legend items: class, text, and where they go (x, line).
    legend: Vec<(&'static str, String, f64, usize)>,
}

impl Frame {
    fn new(rows: usize, target: bool, legend: Vec<(&'static str, String)>) -> Frame {
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

    fn row_y(&self, i: usize) -> f64 {
        self.top + i as f64 * ROW_H
    }

    fn axis_y(&self) -> f64 {
        self.top + self.rows as f64 * ROW_H
    }

    fn legend_lines(&self) -> usize {
        self.legend.last().map_or(0, |l| l.3 + 1)
    }

    fn height(&self) -> f64 {
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
    fn grid(&self, out: &mut String, scale: &Scale, unit: &Unit) {
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
                escape(&labels[i])
            );
        }
    }

    fn target_line(&self, out: &mut String, scale: &Scale, (t, label): (f64, &str)) {
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
            escape(&label)
        );
    }

    fn legend(&self, out: &mut String) {
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
                escape(label)
            );
        }
        out.push_str("</g>");
    }
}

/// A "nice" step at least `raw`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let base = 10f64.powf(raw.log10().floor());
    let f = raw / base;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = m * base;
    if step.is_finite() && step > 0.0 {
        step
    } else {
        raw
    }
}

// ---------------------------------------------------------------------------
// Pieces of markup

fn figure_open(out: &mut String, spec: &ChartSpec, id: &str, height: f64, svg_body: &str) {
    let desc = if spec.description.trim().is_empty() {
        spec.title
    } else {
        spec.description
    };
    let _ = write!(
        out,
        r#"<figure class="chart"><figcaption>{title}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" font-size="12"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{svg_body}</svg>"#,
        title = escape(spec.title),
        desc = escape(desc),
        w = num(WIDTH),
        h = num(height),
    );
}

fn figure_close(out: &mut String) {
    out.push_str("</figure>");
}

fn empty_figure(spec: &ChartSpec) -> String {
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
/// value, the (possibly cut) label, the drawing and the value text, wrapped
/// in a link when there is a safe `href`.
fn row(out: &mut String, y: f64, label: &str, href: Option<&str>, value_text: &str, body: &str) {
    let href = href.and_then(safe_href);
    let flat = flatten(label);
    let room = (X1 - X0 - 10.0) / CHAR_W - value_text.chars().count() as f64;
    let fit = (room.max(8.0) as usize).min(MAX_LABEL_CHARS);
    let (short, _) = truncate(&flat, fit);
    let text_y = num(y + TEXT_Y);
    if let Some(h) = &href {
        let _ = write!(out, r#"<a href="{}">"#, escape(h));
    }
    let _ = write!(
        out,
        r#"<g class="chart-row"><title>{}: {}</title><text class="chart-label" x="{}" y="{text_y}">{}</text><text class="chart-value" x="{}" y="{text_y}" text-anchor="end">{}</text>{body}</g>"#,
        escape(&flat),
        escape(value_text),
        num(X0),
        escape(&short),
        num(X1),
        escape(value_text),
    );
    if href.is_some() {
        out.push_str("</a>");
    }
}

/// A diamond centred on (x, y), `w` wide each side and `h` tall each side.
fn diamond(out: &mut String, x: f64, y: f64, w: f64, h: f64) {
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

fn rect(out: &mut String, class: &str, x: f64, y: f64, w: f64, h: f64) {
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}"/>"#,
        num(x),
        num(y),
        num(w.max(0.0)),
        num(h.max(0.0))
    );
}

fn table_open(out: &mut String, first: &str, heads: &[String]) {
    let _ = write!(
        out,
        r#"<details class="chart-data"><summary>Data table</summary><div class="table-wrap"><table class="data"><thead><tr><th scope="col">{}</th>"#,
        escape(first)
    );
    for h in heads {
        let _ = write!(out, r#"<th scope="col" class="num">{}</th>"#, escape(h));
    }
    out.push_str("</tr></thead><tbody>");
}

fn table_row(out: &mut String, label: &str, href: Option<&str>, cells: &[Option<String>]) {
    out.push_str(r#"<tr><th scope="row">"#);
    match href.and_then(safe_href) {
        Some(h) => {
            let _ = write!(out, r#"<a href="{}">{}</a>"#, escape(&h), escape(label));
        }
        None => out.push_str(&escape(label)),
    }
    out.push_str("</th>");
    for c in cells {
        table_cell(out, c.as_deref());
    }
    out.push_str("</tr>");
}

fn table_cell(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) if s != "\u{2014}" => {
            let _ = write!(out, r#"<td class="num">{}</td>"#, escape(s));
        }
        _ => out.push_str(r#"<td class="num"><span class="dash">&#8212;</span></td>"#),
    }
}

/// Closes the table, with a footer row for the target (and its band) when
/// the chart has one.
fn table_close(out: &mut String, spec: &ChartSpec, columns: usize, band: Option<f64>) {
    out.push_str("</tbody>");
    if let Some((t, label)) = clean_target(spec.target) {
        let mut value = format_value(&spec.unit, t);
        if let Some(b) = band {
            let _ = write!(value, " \u{b1}{}", percent_text(b));
        }
        let _ = write!(
            out,
            r#"<tfoot><tr class="total"><th scope="row">{}</th><td class="num">{}</td>"#,
            escape(&non_empty(label, "Target")),
            escape(&value)
        );
        for _ in 1..columns {
            out.push_str(r#"<td class="num"></td>"#);
        }
        out.push_str("</tr></tfoot>");
    }
    out.push_str("</table></div></details>");
}

// ---------------------------------------------------------------------------
// Small helpers

/// A number for SVG: at most one decimal, never NaN, no `-0`.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    // Tenths as an integer: integer formatting is far cheaper than float
    // formatting with a precision, and charts print many numbers.
    let tenths = (v * 10.0).round();
    if tenths.abs() >= 1e15 {
        return format!("{:.0}", v.round());
    }
    let t = tenths as i64;
    if t == 0 {
        "0".to_string()
    } else if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        let sign = if t < 0 { "-" } else { "" };
        format!("{sign}{}.{}", (t / 10).abs(), (t % 10).abs())
    }
}

/// The value a bar is drawn with: negative and non-finite values are 0.
fn draw_value(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

fn clean_target(t: Option<(f64, &str)>) -> Option<(f64, &str)> {
    t.filter(|(v, _)| v.is_finite())
        .map(|(v, l)| (v.max(0.0), l))
}

fn clean_band(b: f64) -> f64 {
    if b.is_finite() {
        b.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn thousands(v: f64) -> String {
    let digits = format!("{v:.0}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// The href itself, or `None` for empty ones and script/data URLs.
fn safe_href(h: &str) -> Option<String> {
    let h = h.trim();
    if h.is_empty() {
        return None;
    }
    let scheme: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|p| scheme.starts_with(p))
    {
        None
    } else {
        Some(h.to_string())
    }
}

/// Characters that HTML reports as errors and XML forbids.
fn is_forbidden_char(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(unit: Unit) -> ChartSpec<'static> {
        ChartSpec {
            id: "att",
            title: "Quota attainment",
            description: "Won this fiscal year against quota, per rep",
            unit,
            target: Some((0.9, "Target 90%")),
            value_label: "Attainment",
            secondary_label: None,
        }
    }

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_string(),
            value,
            secondary: None,
            href: None,
        }
    }

    /// Checks that `html` is well-formed XML (every tag closed, entities
    /// known, attributes quoted) and returns the concatenated text.
    fn well_formed(html: &str) -> String {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(html);
        reader.config_mut().check_end_names = true;
        let mut depth = 0i64;
        let mut text = String::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Text(t)) => text.push_str(&t.unescape().expect("bad entity")),
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!(
                    "not well-formed at {}: {e}\n{html}",
                    reader.buffer_position()
                ),
            }
            assert!(depth >= 0, "unbalanced: {html}");
        }
        assert_eq!(depth, 0, "unclosed elements: {html}");
        text
    }

    fn all_charts(label: &str, v: f64) -> Vec<String> {
        let s = spec(Unit::Percent);
        let b = Bar {
            label: label.to_string(),
            value: v,
            secondary: Some(v),
            href: Some(format!("/deals/{label}/")),
        };
        vec![
            bar_chart(&s, std::slice::from_ref(&b)),
            bar_chart_with_band(&s, std::slice::from_ref(&b), Some(0.1)),
            band_chart(&s, std::slice::from_ref(&b), 0.1),
            skill_bars(&s, &[(label.to_string(), v, v)]),
        ]
    }

    #[test]
    fn format_value_cases() {
        let usd = Unit::Money { symbol: "$".into() };
        assert_eq!(format_value(&usd, 240_000.0), "$240,000");
        assert_eq!(format_value(&usd, 1_234_567.49), "$1,234,567");
        assert_eq!(format_value(&usd, 999.5), "$1,000");
        assert_eq!(format_value(&usd, 0.0), "$0");
        assert_eq!(format_value(&usd, -0.2), "$0");
        assert_eq!(format_value(&usd, -5000.0), "-$5,000");
        let eur = Unit::Money {
            symbol: "EUR ".into(),
        };
        assert_eq!(format_value(&eur, 12_000.0), "EUR 12,000");
        assert_eq!(format_value(&Unit::Percent, 0.87), "87%");
        assert_eq!(format_value(&Unit::Percent, 0.875), "88%");
        assert_eq!(format_value(&Unit::Percent, 0.285), "29%");
        assert_eq!(format_value(&Unit::Percent, 1.2), "120%");
        assert_eq!(format_value(&Unit::Percent, -0.001), "0%");
        assert_eq!(format_value(&Unit::Ratio, 3.2), "3.2x");
        assert_eq!(format_value(&Unit::Ratio, 3.0), "3.0x");
        assert_eq!(format_value(&Unit::Count, 12.0), "12");
        assert_eq!(format_value(&Unit::Count, 12_345.0), "12,345");
        assert_eq!(format_value(&Unit::Score { max: 5.0 }, 2.5), "2.5");
        assert_eq!(format_value(&Unit::Score { max: 5.0 }, 3.0), "3");
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(format_value(&usd, v), "\u{2014}");
            assert_eq!(format_value(&Unit::Percent, v), "\u{2014}");
        }
        assert_eq!(format_value(&usd, 1e21), "$1,000,000,000,000,000,000,000");
        assert!(format_value(&usd, f64::MAX).starts_with("$179,769,313"));
        assert_eq!(
            format_value(&Unit::Percent, 1e306),
            format!("{:.0}%", 1e308)
        );
        assert_eq!(format_value(&Unit::Percent, f64::MAX), "\u{2014}");
    }

    #[test]
    fn escape_handles_every_special_character() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{7}c\u{85}d\u{FFFF}e\tf"), "abcde\tf");
        assert_eq!(escape("Zoë — 東京"), "Zoë — 東京");
    }

    #[test]
    fn escape_matches_a_char_by_char_reference() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c if is_forbidden_char(c) => {}
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet: Vec<char> = "aZ09 &<>\"'\t\n\r\u{0}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}\u{BF}é\u{FDCF}\u{FDD0}\u{FDEF}\u{FDF0}\u{FFFD}\u{FFFE}\u{FFFF}\u{1FFFE}\u{10FFFF}\u{1F600}東"
            .chars()
            .collect();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..5000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            assert_eq!(escape(&s), reference(&s), "{s:?}");
        }
        // Every code point once, in one string.
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        assert_eq!(escape(&all), reference(&all));
    }

    #[test]
    fn hostile_labels_are_escaped_everywhere() {
        let hostile = r#"<script>alert("x")</script>' onload='x&y"#;
        let mut s = spec(Unit::Count);
        s.title = "<b>title</b>";
        s.description = "\"desc\" & 'more'";
        s.value_label = "<i>v</i>";
        s.secondary_label = Some("<u>s</u>");
        s.target = Some((3.0, "<img src=x>"));
        s.id = "id\" onclick=\"x";
        let b = Bar {
            label: hostile.into(),
            value: 5.0,
            secondary: Some(2.0),
            href: Some("/x?a=1&b=\"2\"".into()),
        };
        let outs = [
            bar_chart(&s, std::slice::from_ref(&b)),
            band_chart(&s, std::slice::from_ref(&b), 0.1),
            skill_bars(&s, &[(hostile.into(), 2.0, 4.0)]),
        ];
        for html in &outs {
            for bad in ["<script", "<b>", "<i>", "<u>", "<img", "onclick=\""] {
                assert!(!html.contains(bad), "{bad} leaked: {html}");
            }
            let text = well_formed(html);
            assert!(text.contains("alert(\"x\")"), "label lost: {text}");
            assert!(html.contains("&lt;script&gt;"));
        }
        assert!(outs[0].contains(r#"href="/x?a=1&amp;b=&quot;2&quot;""#));
    }

    #[test]
    fn script_urls_are_not_linked() {
        let s = spec(Unit::Count);
        let b = Bar {
            label: "x".into(),
            value: 1.0,
            secondary: None,
            href: Some(" JaVa\tScript:alert(1)".into()),
        };
        let html = bar_chart(&s, &[b]);
        assert!(!html.contains("<a "));
        assert!(!html.to_lowercase().contains("script:"));
    }

    #[test]
    fn empty_input_renders_a_valid_placeholder() {
        let s = spec(Unit::Percent);
        for html in [
            bar_chart(&s, &[]),
            band_chart(&s, &[], 0.1),
            skill_bars(&s, &[]),
        ] {
            assert!(html.starts_with(r#"<figure class="chart">"#));
            assert!(html.contains("No data yet"));
            assert!(html.contains(r#"aria-labelledby="att-title att-desc""#));
            assert!(html.contains(r#"<title id="att-title">Quota attainment</title>"#));
            well_formed(&html);
        }
    }

    #[test]
    fn non_finite_and_negative_values_never_reach_the_svg() {
        let s = spec(Unit::Money { symbol: "$".into() });
        let bars: Vec<Bar> = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -50.0,
            0.0,
            f64::MAX,
        ]
        .iter()
        .map(|v| Bar {
            label: "r".into(),
            value: *v,
            secondary: Some(*v),
            href: None,
        })
        .collect();
        let mut outs = vec![
            bar_chart(&s, &bars),
            bar_chart_with_band(&s, &bars, Some(f64::NAN)),
            band_chart(&s, &bars, f64::INFINITY),
            band_chart(&s, &bars, -1.0),
        ];
        let skills: Vec<(String, f64, f64)> = [f64::NAN, f64::INFINITY, -3.0, 9.0]
            .iter()
            .map(|v| ("s".to_string(), *v, *v))
            .collect();
        outs.push(skill_bars(&s, &skills));
        let mut nan_target = spec(Unit::Percent);
        nan_target.target = Some((f64::NAN, "bad"));
        outs.push(bar_chart(&nan_target, &bars));
        outs.push(bar_chart(&spec(Unit::Count), &[bar("zero", 0.0)]));
        outs.push(bar_chart(&spec(Unit::Ratio), &[bar("all zero", 0.0)]));
        for html in &outs {
            let lower = html.to_lowercase();
            assert!(!lower.contains("nan"), "NaN in {html}");
            assert!(!lower.contains("inf"), "inf in {html}");
            assert!(!html.contains("=\"-"), "negative attribute in {html}");
            well_formed(html);
        }
    }

    #[test]
    fn svg_numbers_have_at_most_one_decimal() {
        let s = spec(Unit::Money { symbol: "$".into() });
        let bars: Vec<Bar> = (0..7)
            .map(|i| Bar {
                label: format!("rep {i}"),
                value: 1000.0 / 3.0 * i as f64,
                secondary: Some(77.777 * i as f64),
                href: None,
            })
            .collect();
        let html = bar_chart_with_band(&s, &bars, Some(0.1));
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        for attr in svg.split('"').skip(1).step_by(2) {
            if let Ok(n) = attr.parse::<f64>() {
                let decimals = attr.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 1, "{attr} has {decimals} decimals ({n})");
            }
        }
    }

    #[test]
    fn target_line_sits_at_the_target_value() {
        // Percent scale: domain [0, 100%] for values below 1.
        let html = bar_chart(&spec(Unit::Percent), &[bar("a", 0.5), bar("b", 0.7)]);
        let expected = X0 + 0.9 * (X1 - X0);
        assert!(
            html.contains(&format!(
                r#"<path class="chart-target" d="M{} "#,
                num(expected)
            )),
            "{html}"
        );
        assert!(html.contains(">Target 90%</text>"));
        // Bars are proportional on the same scale.
        assert!(html.contains(&format!(
            r#"class="chart-bar" x="{}" y="40" width="{}""#,
            num(X0),
            num(0.5 * (X1 - X0))
        )));

        // Money: values up to 240k, target 200k -> nice domain 250k.
        let mut s = spec(Unit::Money { symbol: "$".into() });
        s.target = Some((200_000.0, "Quota"));
        let html = bar_chart(&s, &[bar("a", 240_000.0), bar("b", 10_000.0)]);
        let x = X0 + 200_000.0 / 250_000.0 * (X1 - X0);
        assert!(html.contains(&format!(r#"<path class="chart-target" d="M{} "#, num(x))));
        assert!(
            html.contains(">$250,000</text>"),
            "axis ends at the nice max"
        );

        // A target beyond every value widens the scale: the line stays inside.
        s.target = Some((1_000_000.0, "Stretch"));
        let html = bar_chart(&s, &[bar("a", 10.0)]);
        assert!(html.contains(&format!(r#"<path class="chart-target" d="M{} "#, num(X1))));
    }

    #[test]
    fn band_is_drawn_around_the_target_and_the_commit() {
        let mut s = spec(Unit::Money { symbol: "$".into() });
        s.target = Some((100.0, "Target"));
        let html = bar_chart_with_band(&s, &[bar("a", 50.0)], Some(0.1));
        // Domain: 110 -> step 25 -> domain 125.
        let xa = X0 + 90.0 / 125.0 * (X1 - X0);
        let xb = X0 + 110.0 / 125.0 * (X1 - X0);
        assert!(html.contains(&format!(
            r#"<rect class="chart-band" x="{}" y="22" width="{}""#,
            num(xa),
            num(xb - xa)
        )));
        assert!(html.contains("Target</th><td class=\"num\">$100 \u{b1}10%</td>"));

        s.target = None;
        let rows = [
            Bar {
                label: "2026-Q1".into(),
                value: 100.0,
                secondary: Some(95.0),
                href: None,
            },
            Bar {
                label: "2026-Q2".into(),
                value: 100.0,
                secondary: None,
                href: None,
            },
        ];
        let html = band_chart(&s, &rows, 0.1);
        assert_eq!(html.matches(r#"class="chart-band""#).count(), 3); // 2 rows + legend
        assert_eq!(html.matches(r#"class="chart-bar-secondary""#).count(), 2); // 1 row + legend
        assert!(html.contains("\u{2212}5%"));
        assert!(html.contains("\u{b1}10% band"));
        assert!(html.contains("$100 / \u{2014}"));
        well_formed(&html);
    }

    #[test]
    fn long_labels_are_cut_in_the_svg_only() {
        let long = "Globex Corporation — worldwide platform renewal and expansion 2026";
        let mut b = bar(long, 10.0);
        b.href = Some("/deals/globex/".into());
        let html = bar_chart(&spec(Unit::Count), &[b]);
        let (short, cut) = truncate(long, MAX_LABEL_CHARS);
        assert!(cut && short.ends_with('\u{2026}'));
        assert!(short.chars().count() <= MAX_LABEL_CHARS);
        assert!(html.contains(&format!(">{}</text>", escape(&short))));
        assert!(html.contains(&format!("<title>{}: 10</title>", escape(long))));
        assert!(html.contains(&format!(
            r#"<th scope="row"><a href="/deals/globex/">{}</a></th>"#,
            escape(long)
        )));
        assert!(html.contains(r#"<a href="/deals/globex/"><g class="chart-row">"#));
        well_formed(&html);
    }

    #[test]
    fn output_is_deterministic() {
        for (a, b) in all_charts("Acme", 0.42)
            .iter()
            .zip(all_charts("Acme", 0.42).iter())
        {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn structure_matches_the_contract() {
        let mut s = spec(Unit::Money { symbol: "$".into() });
        s.secondary_label = Some("Weighted");
        s.value_label = "Total";
        let bars = [
            Bar {
                label: "Ada".into(),
                value: 300_000.0,
                secondary: Some(120_000.0),
                href: Some("/reps/ada/pipeline/".into()),
            },
            Bar {
                label: "Bo".into(),
                value: 80_000.0,
                secondary: None,
                href: None,
            },
        ];
        let html = bar_chart(&s, &bars);
        well_formed(&html);
        let doc = scraper::Html::parse_fragment(&html);
        let sel = |q: &str| scraper::Selector::parse(q).unwrap();
        let figure = doc.select(&sel("figure.chart")).next().unwrap();
        let children: Vec<_> = figure
            .children()
            .filter_map(|c| c.value().as_element().map(|e| e.name().to_string()))
            .collect();
        assert_eq!(children, ["figcaption", "svg", "details"]);
        let svg = doc.select(&sel("svg")).next().unwrap();
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert_eq!(svg.value().attr("width"), Some("100%"));
        assert!(svg.value().attr("viewBox").is_some());
        let headers: Vec<String> = doc
            .select(&sel("details.chart-data table.data thead th"))
            .map(|t| t.text().collect())
            .collect();
        assert_eq!(headers, ["Name", "Total", "Weighted"]);
        let cells: Vec<String> = doc
            .select(&sel("tbody td.num"))
            .map(|t| t.text().collect())
            .collect();
        assert_eq!(cells, ["$300,000", "$120,000", "$80,000", "\u{2014}"]);
        assert_eq!(doc.select(&sel("tbody .dash")).count(), 1);
        assert!(html.contains(">$300,000 / $120,000</text>"));
        assert!(html.contains(">$80,000 / \u{2014}</text>"));
        assert_eq!(doc.select(&sel(".chart-legend text")).count(), 2);

        let skills = skill_bars(
            &ChartSpec {
                id: "skills-ada",
                title: "Skills",
                description: "",
                unit: Unit::Score { max: 5.0 },
                target: None,
                value_label: "Current",
                secondary_label: Some("Target"),
            },
            &[("Discovery".into(), 2.0, 4.0), ("Closing".into(), 3.5, 4.0)],
        );
        well_formed(&skills);
        assert!(skills.contains(r#"<desc id="skills-ada-desc">Skills</desc>"#));
        assert_eq!(skills.matches(r#"class="chart-marker""#).count(), 3);
        assert!(skills.contains(">2 \u{2192} 4</text>"));
        assert!(skills.contains(r#"<td class="num">0.5</td>"#));
        // Ticks 0..5 on a 1-5 scale.
        assert_eq!(skills.matches("chart-tick").count(), 6);
    }
}

//! The data table under every chart (`<details class="chart-data">`): the
//! same numbers as the drawing, for screen readers and for anyone who wants
//! the figures, and the only place a chart's rows are links.

use super::scale::clean_target;
use super::{format_value, non_empty, percent_text, ChartSpec, DASH};
use crate::render::escape;
use std::fmt::Write as _;

/// Opens the data table: the collapsed `<details>`, the header row with
/// `first` over the names and `heads` over the figures.
pub(super) fn open(out: &mut String, first: &str, heads: &[String]) {
    let _ = write!(
        out,
        r#"<details class="chart-data"><summary>Data table</summary><div class="table-wrap"><table class="data"><thead><tr><th scope="col">{}</th>"#,
        escape::html(first)
    );
    for h in heads {
        let _ = write!(
            out,
            r#"<th scope="col" class="num">{}</th>"#,
            escape::html(h)
        );
    }
    out.push_str("</tr></thead><tbody>");
}

/// One row: the name (a link when `href` is a safe, non-empty URL) and its
/// cells, `None` or a dash shown as a dash.
pub(super) fn row(out: &mut String, label: &str, href: Option<&str>, cells: &[Option<String>]) {
    out.push_str(r#"<tr><th scope="row">"#);
    let href = href
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .and_then(escape::link_url);
    match href {
        Some(h) => {
            let _ = write!(
                out,
                r#"<a href="{}">{}</a>"#,
                escape::html(h),
                escape::html(label)
            );
        }
        None => out.push_str(&escape::html(label)),
    }
    out.push_str("</th>");
    for c in cells {
        cell(out, c.as_deref());
    }
    out.push_str("</tr>");
}

fn cell(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) if s != DASH => {
            let _ = write!(out, r#"<td class="num">{}</td>"#, escape::html(s));
        }
        _ => out.push_str(r#"<td class="num"><span class="dash">&#8212;</span></td>"#),
    }
}

/// Closes the table, with a footer row for the target (and its band) when
/// the chart has one.
pub(super) fn close(out: &mut String, spec: &ChartSpec, columns: usize, band: Option<f64>) {
    out.push_str("</tbody>");
    if let Some((t, label)) = clean_target(spec.target) {
        let mut value = format_value(&spec.unit, t);
        if let Some(b) = band {
            let _ = write!(value, " \u{b1}{}", percent_text(b));
        }
        let _ = write!(
            out,
            r#"<tfoot><tr class="total"><th scope="row">{}</th><td class="num">{}</td>"#,
            escape::html(&non_empty(label, "Target")),
            escape::html(&value)
        );
        for _ in 1..columns {
            out.push_str(r#"<td class="num"></td>"#);
        }
        out.push_str("</tr></tfoot>");
    }
    out.push_str("</table></div></details>");
}

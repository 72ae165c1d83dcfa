//! The figures then and now (`since`) on the dashboard, team and rep pages.

use super::*;

/// One figure then and now.
#[derive(Serialize)]
pub struct Delta {
    label: &'static str,
    then: String,
    now: String,
    /// The difference for people (`+$25,000`, `−3 points`), or a dash
    /// when either side has no figure.
    change: String,
    /// `up`, `down`, `same`, or `""` without a difference.
    dir: &'static str,
    /// `up` when the change is good, `down` when bad, `""` otherwise (the
    /// colour; the arrow follows `dir`).
    tone: &'static str,
}

/// The organisation's figures at `since` beside the figures now.
#[derive(Serialize)]
pub struct SinceView {
    since: String,
    url: String,
    figures: Vec<Delta>,
}

#[derive(Clone, Copy)]
enum Fmt {
    Money,
    Points,
    Ratio,
    Count,
}

fn signed_text(fmt: Fmt, d: f64, symbol: &str) -> String {
    use crate::render::format;
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "\u{2212}"
    } else {
        ""
    };
    let a = d.abs();
    let body = match fmt {
        Fmt::Money => format::money(Some(a), symbol),
        Fmt::Points => {
            let p = (a * 1000.0).round() / 10.0;
            let p = if p.fract() == 0.0 {
                format!("{p:.0}")
            } else {
                format!("{p:.1}")
            };
            format!("{p} point{}", if p == "1" { "" } else { "s" })
        }
        Fmt::Ratio => format::ratio(Some(a)),
        Fmt::Count => format::thousands(a),
    };
    format!("{sign}{body}")
}

fn delta(
    label: &'static str,
    fmt: Fmt,
    then: Option<f64>,
    now: Option<f64>,
    higher_is_better: bool,
    symbol: &str,
) -> Delta {
    use crate::render::format;
    let show = |v: Option<f64>| match fmt {
        Fmt::Money => format::money(v, symbol),
        Fmt::Points => format::pct(v),
        Fmt::Ratio => format::ratio(v),
        Fmt::Count => v.map_or_else(|| format::DASH.to_string(), format::thousands),
    };
    let d = match (then, now) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Some(b - a),
        _ => None,
    };
    // A difference that rounds to nothing in its unit is no change.
    let d = d.map(|d| match fmt {
        Fmt::Points => (d * 1000.0).round() / 1000.0,
        Fmt::Ratio => (d * 10.0).round() / 10.0,
        Fmt::Money | Fmt::Count => d.round(),
    });
    let (dir, tone) = match d {
        Some(d) if d > 0.0 => ("up", if higher_is_better { "up" } else { "down" }),
        Some(d) if d < 0.0 => ("down", if higher_is_better { "down" } else { "up" }),
        Some(_) => ("same", ""),
        None => ("", ""),
    };
    Delta {
        label,
        then: show(then),
        now: show(now),
        change: d.map_or_else(|| format::DASH.to_string(), |d| signed_text(fmt, d, symbol)),
        dir,
        tone,
    }
}

/// The organisation's figures then and now, when there is a comparison.
pub fn org_deltas(cx: &Cx) -> Option<SinceView> {
    let c = cx.history().changes()?;
    Some(deltas(cx, c.since, &c.org_then, &cx.org().org))
}

/// A team's figures then and now, when there is a comparison and the team
/// had figures then.
pub fn team_deltas(cx: &Cx, team: &str) -> Option<SinceView> {
    let c = cx.history().changes()?;
    let then = c.teams_then.get(team)?;
    Some(deltas(cx, c.since, then, cx.team_metrics(team)?))
}

/// A rep's figures then and now, when there is a comparison and the rep
/// was in the notes then.
pub fn rep_deltas(cx: &Cx, rep: NoteIdx) -> Option<SinceView> {
    let c = cx.history().changes()?;
    let then = c.reps_then.get(&cx.note(rep).id)?;
    Some(deltas(cx, c.since, then, &cx.rep_metrics(rep)))
}

fn deltas(
    cx: &Cx,
    since: chrono::NaiveDate,
    t: &crate::metrics::RepMetrics,
    n: &crate::metrics::RepMetrics,
) -> SinceView {
    let symbol = crate::render::format::currency_symbol(&cx.config().currency);
    let s = symbol.as_str();
    let count = |v: u64| Some(v as f64);
    SinceView {
        since: since.to_string(),
        url: cx.href("changes/"),
        figures: vec![
            delta(
                "Won FYTD",
                Fmt::Money,
                Some(t.won_ytd),
                Some(n.won_ytd),
                true,
                s,
            ),
            delta(
                "Quota attainment",
                Fmt::Points,
                t.quota_attainment,
                n.quota_attainment,
                true,
                s,
            ),
            delta(
                "Win rate FYTD",
                Fmt::Points,
                t.win_rate,
                n.win_rate,
                true,
                s,
            ),
            delta(
                "Open pipeline",
                Fmt::Money,
                Some(t.open_pipeline),
                Some(n.open_pipeline),
                true,
                s,
            ),
            delta(
                "Weighted pipeline",
                Fmt::Money,
                Some(t.weighted_pipeline),
                Some(n.weighted_pipeline),
                true,
                s,
            ),
            delta(
                "Pipeline coverage",
                Fmt::Ratio,
                t.pipeline_coverage,
                n.pipeline_coverage,
                true,
                s,
            ),
            delta(
                "Open deals",
                Fmt::Count,
                count(t.open_deals),
                count(n.open_deals),
                true,
                s,
            ),
            delta(
                "Red deals",
                Fmt::Count,
                count(t.risk.red),
                count(n.risk.red),
                false,
                s,
            ),
        ],
    }
}

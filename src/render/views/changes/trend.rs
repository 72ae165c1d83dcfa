//! Weekly trends (sparklines with their data table) of the organisation, a team or a rep.

use super::*;

/// The weekly trends of the organisation, a team or a rep: sparklines
/// with their data table.
#[derive(Serialize)]
pub struct TrendView {
    /// The first and last dates.
    from: String,
    to: String,
    chart: String,
}

fn trend_view(
    cx: &Cx,
    id: &str,
    who: &str,
    pick: impl Fn(&crate::metrics::changes::TrendPoint) -> Option<crate::metrics::changes::TrendFigures>,
) -> Option<TrendView> {
    use crate::render::charts::{trend_chart, Series, Unit};
    let c = cx.history().changes()?;
    let points = &c.trends.points;
    let figs: Vec<Option<_>> = points.iter().map(&pick).collect();
    // At least two weeks with figures, or there is no trend to draw.
    if figs.iter().filter(|f| f.is_some()).count() < 2 {
        return None;
    }
    let dates: Vec<String> = points.iter().map(|p| p.date.to_string()).collect();
    let money = money_unit(cx);
    let series =
        |label: &str,
         unit: &Unit,
         f: &dyn Fn(&crate::metrics::changes::TrendFigures) -> Option<f64>| Series {
            label: label.to_string(),
            unit: unit.clone(),
            values: figs.iter().map(|x| x.as_ref().and_then(f)).collect(),
        };
    let all = [
        series("Open pipeline", &money, &|f| Some(f.open_pipeline)),
        series("Weighted pipeline", &money, &|f| Some(f.weighted_pipeline)),
        series("Won FYTD", &money, &|f| Some(f.won_ytd)),
        series("Pipeline coverage", &Unit::Ratio, &|f| f.pipeline_coverage),
    ];
    let (from, to) = (dates.first()?.clone(), dates.last()?.clone());
    let title = format!("{who}: the last {} weeks", dates.len());
    let description = format!(
        "Open and weighted pipeline, won in the fiscal year to date and pipeline coverage, each week from {from} to {to}, from the content's git history."
    );
    let spec = ChartSpec {
        id,
        title: &title,
        description: &description,
        unit: money,
        target: None,
        value_label: "",
        secondary_label: None,
    };
    Some(TrendView {
        chart: trend_chart(&spec, &dates, &all),
        from,
        to,
    })
}

/// The organisation's weekly trends, with history.
pub fn org_trend(cx: &Cx) -> Option<TrendView> {
    trend_view(cx, "trend-org", "Trends", |p| Some(p.org))
}

/// A team's weekly trends (the weeks it had reps), with history.
pub fn team_trend(cx: &Cx, team: &str) -> Option<TrendView> {
    trend_view(cx, "trend-team", "Trends", |p| p.teams.get(team).copied())
}

/// A rep's weekly trends (the weeks the rep was in the notes), with
/// history.
pub fn rep_trend(cx: &Cx, rep: NoteIdx) -> Option<TrendView> {
    let id = cx.note(rep).id.clone();
    trend_view(cx, "trend-rep", "Trends", move |p| p.reps.get(&id).copied())
}

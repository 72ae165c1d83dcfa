//! What every page knows of the site, and the site's own pages: the
//! definitions of the figures, search, problems, not found. (The search
//! index and `sitemap.xml` are built in `render::search` and
//! `build::sitemap`.)

use super::{Cx, View};
use crate::render::Renderer;
use serde::Serialize;
use serde_json::{json, Value};

/// The most teams the navigation names one by one.
const NAV_TEAMS: usize = 4;

/// What every page knows of the site (built once per build): `site`.
pub fn site_view(r: &Renderer) -> Value {
    let fy = &r.metrics.fiscal_year;
    json!({
        "title": r.config.title,
        "base": r.config.base_path,
        "currency": r.config.currency,
        "as_of": r.metrics.as_of.to_string(),
        "fiscal_year": {"name": fy.name, "start": fy.start.to_string(), "end": fy.end.to_string()},
        "handbook_only": r.handbook_only(),
        // Set by the build of an audience without every rep.
        "scope": null,
        // The navigation names the teams when there are few; else it links
        // to the list of teams (every page carries the navigation).
        "nav_teams": if r.lists.teams.len() <= NAV_TEAMS {
            r.lists.teams.keys().map(|t| json!({"name": t, "url": r.href(&format!("teams/{}/", r.team_slug(t)))})).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

#[derive(Serialize)]
struct StageLine<'a> {
    name: &'a str,
    probability: f64,
}

#[derive(Serialize)]
struct Definitions<'a> {
    stages: Vec<StageLine<'a>>,
    coverage_target: f64,
    forecast_error_target: f64,
    stale_days: i64,
}

/// How the numbers are calculated (the configured stages and targets).
pub fn definitions(cx: &Cx) -> View {
    let c = cx.config();
    let data = Definitions {
        stages: c
            .stages
            .iter()
            .map(|(s, p)| StageLine {
                name: s,
                probability: *p,
            })
            .collect(),
        coverage_target: c.coverage_target,
        forecast_error_target: c.forecast_error_target,
        stale_days: c.stale_days,
    };
    View::new(
        "metrics.html",
        "How the numbers are calculated",
        "Definitions",
        "metrics/",
        &data,
    )
}

#[derive(Serialize)]
struct Nothing {}

pub fn search() -> View {
    View::new("search.html", "Search", "Search", "search/", &Nothing {})
}

pub fn not_found() -> View {
    View::new(
        "404.html",
        "Page not found",
        "Not found",
        "404.html",
        &Nothing {},
    )
}

#[derive(Serialize)]
struct Item<'a> {
    severity: String,
    code: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    help: &'a Option<String>,
}

#[derive(Serialize)]
struct File<'a> {
    file: &'a str,
    url: Option<String>,
    title: Option<String>,
    left_out: bool,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Problems<'a> {
    errors: usize,
    warnings: usize,
    files: Vec<File<'a>>,
}

/// The problems page: every diagnostic grouped by file, each file marked
/// when its note is left out of the figures, with a link to its page.
pub fn problems(cx: &Cx) -> View {
    let diags = cx.diags();
    let left_out = cx.left_out();
    let mut files: Vec<File> = Vec::new();
    let mut current: Option<&str> = None;
    for d in &diags.items {
        if current != Some(d.file.as_str()) {
            let f = d.file.as_str();
            current = Some(f);
            let note = cx.note_at(f);
            files.push(File {
                file: if f.is_empty() { "the site" } else { f },
                url: note.as_ref().map(|n| n.url.clone()),
                title: note.map(|n| n.title),
                left_out: left_out.binary_search(&f).is_ok(),
                items: Vec::new(),
            });
        }
        if let Some(f) = files.last_mut() {
            f.items.push(Item {
                severity: d.severity.to_string(),
                code: d.code.as_str(),
                line: d.line,
                column: d.column,
                message: &d.message,
                help: &d.help,
            });
        }
    }
    let data = Problems {
        errors: diags.errors(),
        warnings: diags.warnings(),
        files,
    };
    View::new("problems.html", "Problems", "Problems", "problems/", &data)
}

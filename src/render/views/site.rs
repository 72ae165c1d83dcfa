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
        "title_css": css_string(&r.config.title),
        "base": r.config.base_path,
        "currency": r.config.currency,
        "as_of": r.metrics.as_of.to_string(),
        "fiscal_year": {"name": fy.name, "start": fy.start.to_string(), "end": fy.end.to_string()},
        "handbook_only": r.handbook_only(),
        // Set by the build of an audience without every rep.
        "scope": null,
        // The navigation names the teams when there are few; else it links
        // to the list of teams (every page carries the navigation).
        "nav_teams": nav_teams(r).into_iter().map(|(name, url)| json!({"name": name, "url": url})).collect::<Vec<_>>(),
    })
}

/// The teams the navigation names, with their URLs: every team when there
/// are few, else none (the navigation then links to the list of teams).
fn nav_teams<'r>(r: &'r Renderer) -> Vec<(&'r str, String)> {
    if r.lists.teams.len() > NAV_TEAMS {
        return Vec::new();
    }
    (r.lists.teams.keys())
        .map(|t| (t.as_str(), r.href(&format!("teams/{}/", r.team_slug(t)))))
        .collect()
}

/// The site title written as a CSS string's content (for the printed
/// page's margin box): a quote, backslash or `<` of it becomes a CSS
/// escape, so nothing in the title can end the string or the `<style>`.
fn css_string(s: &str) -> String {
    s.replace('\\', "\\5C ")
        .replace('"', "\\22 ")
        .replace('<', "\\3C ")
}

/// The site's navigation (`nav`): its links, the same on every page but
/// for `aria-current` on the link to the page itself. Made once per build
/// in Rust, rather than by a dozen tests in every page's template.
#[derive(Default)]
pub struct Nav {
    /// Each link: its escaped `href`, its escaped text, its URL (compared
    /// with the page's) and what follows it in the HTML.
    links: Vec<(String, String, String, &'static str)>,
    /// The HTML when no link is to the page itself (most pages).
    plain: String,
}

impl Nav {
    pub fn of(r: &Renderer) -> Nav {
        use crate::render::escape::html;
        let mut links = Vec::new();
        let line = "\n    ";
        let mut push = |url: String, text: &str, sep: &'static str| {
            links.push((html(&url), html(text), url, sep));
        };
        if r.handbook_only() {
            push(r.href(""), "Handbook", line);
        } else {
            push(r.href(""), "Dashboard", line);
            let teams = nav_teams(r);
            if teams.is_empty() {
                push(r.href("teams/"), "Teams", line);
            }
            for (name, url) in teams {
                push(url, name, line);
            }
            push(r.href("forecast/"), "Forecast", line);
            push(r.href("changes/"), "What changed", line);
            push(r.href("deals/"), "Deals", line);
            push(r.href("handbook/"), "Handbook", line);
        }
        push(r.href("notes/"), "All notes", line);
        push(r.href("tags/"), "Tags", line);
        push(r.href("metrics/"), "Definitions", "");
        let mut nav = Nav {
            links,
            plain: String::new(),
        };
        nav.plain = nav.make(None);
        nav
    }

    fn make(&self, here: Option<&str>) -> String {
        let mut out = String::with_capacity(1024);
        for (href, text, url, sep) in &self.links {
            out.push_str("<a href=\"");
            out.push_str(href);
            out.push('"');
            if here == Some(url.as_str()) {
                out.push_str(" aria-current=\"page\"");
            }
            out.push('>');
            out.push_str(text);
            out.push_str("</a>");
            out.push_str(sep);
        }
        out
    }

    /// The navigation's HTML on the page at `here` (its URL).
    pub fn html(&self, here: &str) -> String {
        if self.links.iter().any(|(_, _, url, _)| url == here) {
            self.make(Some(here))
        } else {
            self.plain.clone()
        }
    }
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

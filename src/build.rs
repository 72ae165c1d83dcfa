//! The build, as an explicit ordered list of stages, each timed:
//! load -> validate -> links -> metrics -> render + write.
//!
//! [`analyse`] runs everything up to the metrics (what `check` needs);
//! [`write_site`] renders every page and writes it with `metrics.json`,
//! the search index, the sitemap and the static files.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::{self, Links};
use crate::metrics::{self, Metrics};
use crate::model::Site;
use crate::output::Output;
use crate::render::theme::{self, Theme};
use crate::render::{Job, Renderer};
use crate::{content, validate};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

/// A problem with the setup rather than the notes: exit code 2.
#[derive(Debug)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A site loaded, checked, linked and measured.
pub struct Analysis {
    pub config: Config,
    pub as_of: NaiveDate,
    pub site: Site,
    pub links: Links,
    pub metrics: Metrics,
    pub diags: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The date figures are computed at: `--as-of`, else the config's `as_of`,
/// else today.
pub fn resolve_as_of(cli: Option<NaiveDate>, config: &Config) -> NaiveDate {
    cli.or(config.as_of).unwrap_or_else(|| today(config))
}

/// Today's date in UTC, or at the config's `utc_offset`: never the build
/// machine's time zone, so a CI runner and a laptop build the same site.
pub fn today(config: &Config) -> NaiveDate {
    date_at(chrono::Utc::now(), config.utc_offset_minutes)
}

/// The calendar date at `offset_minutes` east of UTC at the instant `now`.
pub fn date_at(now: chrono::DateTime<chrono::Utc>, offset_minutes: i32) -> NaiveDate {
    (now + chrono::Duration::minutes(i64::from(offset_minutes))).date_naive()
}

/// Loads the site at `site_dir` and runs every stage up to the metrics.
pub fn analyse(site_dir: &Path, as_of: Option<NaiveDate>) -> Result<Analysis, SetupError> {
    let config = Config::load(site_dir).map_err(SetupError)?;
    content::content_dir(site_dir).map_err(SetupError)?;
    let as_of = resolve_as_of(as_of, &config);
    let start = Instant::now();
    let (notes, diags) = content::load(site_dir, &content::LoadOptions::of(&config));
    let load_time = start.elapsed();
    let mut a = analyse_notes(config, as_of, notes, diags);
    a.timings.insert(0, ("load", load_time));
    Ok(a)
}

/// [`analyse`], with the theme's templates compiled meanwhile on the
/// other core (they do not depend on the notes).
pub fn analyse_with_theme(
    site_dir: &Path,
    as_of: Option<NaiveDate>,
) -> Result<(Analysis, Theme), SetupError> {
    let (analysis, theme) = rayon::join(
        || analyse(site_dir, as_of),
        || Config::load(site_dir).and_then(|c| Theme::load(site_dir, &c)),
    );
    let analysis = analysis?;
    Ok((analysis, theme.map_err(SetupError)?))
}

/// Runs validate -> links -> metrics over notes already loaded.
pub fn analyse_notes(
    config: Config,
    as_of: NaiveDate,
    notes: Vec<crate::model::Note>,
    mut diags: Diagnostics,
) -> Analysis {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        timings.push((name, now - clock));
        clock = now;
    };
    let notes = validate::validate(notes, &config, &mut diags);
    let mut site = Site { notes };
    lap("validate", &mut timings);
    let links = links::resolve(&mut site, &mut diags);
    validate::check_resolved(&site, &mut diags);
    lap("links", &mut timings);
    let metrics = metrics::compute(&site, &config, as_of);
    lap("metrics", &mut timings);
    diags.sort();
    Analysis {
        config,
        as_of,
        site,
        links,
        metrics,
        diags,
        timings,
    }
}

/// The notes left out of the figures: the files with an error whose note
/// is not in the site as a valid note (left out for unreadable
/// frontmatter, or kept as a page marked invalid), sorted. In `serve`, a
/// note broken by a save keeps its last good version in the figures, so
/// it is not counted.
pub fn left_out<'d>(site: &Site, diags: &'d Diagnostics) -> Vec<&'d str> {
    let valid: std::collections::HashSet<&str> = site
        .notes
        .iter()
        .filter(|n| n.valid)
        .map(|n| n.path.as_str())
        .collect();
    let mut files: Vec<&str> = diags
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| d.file.as_str())
        .filter(|f| f.starts_with("content/") && !valid.contains(f))
        .collect();
    files.sort_unstable();
    files.dedup();
    files
}

/// What writing produced.
pub struct Written {
    /// Pages rendered (all of them, or the ones asked for).
    pub pages: usize,
    /// Pages the site has.
    pub total_pages: usize,
    /// Output path -> the inputs its view read, for each page rendered
    /// (what `serve` compares to find the pages an edit touches).
    pub inputs: Vec<(String, Vec<crate::render::inputs::Input>)>,
}

/// Renders every page of `a` into `out_dir` with `metrics.json`, the search
/// index, `sitemap.xml` and the static files, then removes what an earlier
/// build wrote that the site no longer has.
pub fn write_site(
    a: &mut Analysis,
    site_dir: &Path,
    out_dir: &Path,
    live_reload: bool,
) -> Result<Written, SetupError> {
    let theme = Theme::load(site_dir, &a.config).map_err(SetupError)?;
    write_pages(a, &theme, site_dir, out_dir, live_reload, None)
}

/// Like [`write_site`] with a loaded theme; with `only`, renders just the
/// pages it names (the others are known to be unchanged) and the site-wide
/// files that changed, and removes pages the site no longer has.
pub fn write_pages(
    a: &mut Analysis,
    theme: &Theme,
    site_dir: &Path,
    out_dir: &Path,
    live_reload: bool,
    only: Option<&Partial>,
) -> Result<Written, SetupError> {
    let rewrite_search = only.is_none_or(|p| p.search);
    let rewrite_metrics = only.is_none_or(|p| p.metrics);
    let same_pages = only.is_some_and(|p| !p.pages);
    let start = Instant::now();
    let out = Output::new(out_dir)
        .map_err(|e| SetupError(format!("cannot create {}: {e}", out_dir.display())))?;
    let io_err =
        |e: std::io::Error| SetupError(format!("cannot write to {}: {e}", out_dir.display()));
    let mut renderer = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, theme, &a.diags);
    renderer.live_reload = live_reload;
    let jobs = renderer.jobs();
    let todo: Vec<&Job> = match only {
        Some(p) => jobs.iter().filter(|j| p.jobs.contains(j)).collect(),
        None => jobs.iter().collect(),
    };
    // The site-wide files are built while the pages render.
    let (results, (search, map)) = rayon::join(
        || {
            todo.par_iter()
                .map(|job| {
                    // A page that cannot be rendered is still written, as a
                    // page saying why: a link to it never leads nowhere.
                    let (path, html, failed) = match renderer.render(job) {
                        Ok((path, html)) => (path, html, None),
                        Err(e) => (
                            renderer.output_path(job),
                            renderer.fallback_page(job, &e),
                            Some(e),
                        ),
                    };
                    out.write(&path, html.as_bytes()).map_err(|e| {
                        (renderer.source_of(job), format!("cannot write {path}: {e}"))
                    })?;
                    match failed {
                        Some(e) => Err((
                            renderer.source_of(job),
                            format!(
                                "{path} could not be rendered and shows the error instead: {e}"
                            ),
                        )),
                        None => Ok(()),
                    }
                })
                .collect::<Vec<Result<(), (String, String)>>>()
        },
        || {
            let search = rewrite_search.then(|| crate::render::search::site_index(&a.site));
            (search, (!same_pages).then(|| sitemap(&renderer, &jobs)))
        },
    );
    let inputs = renderer.take_inputs();
    let mut pages = 0;
    let mut render_errors = Vec::new();
    for r in results {
        match r {
            Ok(()) => pages += 1,
            Err((file, e)) => render_errors.push(Diagnostic::error("render-error", &file, 0, e)),
        }
    }
    a.timings.push(("render+write", start.elapsed()));
    let start = Instant::now();
    if same_pages {
        // Same pages, same static files: only what changed is written.
        if rewrite_metrics {
            out.write("metrics.json", metrics::to_json(&a.metrics).as_bytes())
                .map_err(io_err)?;
        }
        if let Some(index) = search {
            out.write("search-index.json", index.as_bytes())
                .map_err(io_err)?;
        }
        a.timings.push(("site files", start.elapsed()));
        a.diags.extend(render_errors);
        a.diags.sort();
        return Ok(Written {
            pages,
            total_pages: jobs.len(),
            inputs,
        });
    }
    let mut expected: BTreeSet<String> = jobs.iter().map(|j| renderer.output_path(j)).collect();
    // Kept as they are when unchanged.
    expected.insert("search-index.json".to_string());
    expected.insert("metrics.json".to_string());
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), SetupError> {
        out.write(name, bytes).map_err(io_err)?;
        expected.insert(name.to_string());
        Ok(())
    };
    if rewrite_metrics {
        put("metrics.json", metrics::to_json(&a.metrics).as_bytes())?;
    }
    if let Some(index) = search {
        put("search-index.json", index.as_bytes())?;
    }
    if let Some(map) = map {
        put("sitemap.xml", map.as_bytes())?;
    }
    for (name, text) in theme::STATIC {
        put(name, text.as_bytes())?;
    }
    if live_reload {
        put(LIVE_RELOAD_PATH, LIVE_RELOAD_JS.as_bytes())?;
    }
    let copied = out.copy_dir(&site_dir.join("static")).map_err(io_err)?;
    for link in copied.symlinks {
        let file = if link.is_empty() {
            "static".to_string()
        } else {
            format!("static/{link}")
        };
        a.diags.push(
            Diagnostic::warning(
                "static-symlink",
                &file,
                0,
                "a symlink; it is not published (it could copy a file from outside the site)",
            )
            .with_help("put the file itself in static/"),
        );
    }
    expected.extend(copied.files);
    out.finish(&expected).map_err(io_err)?;
    a.timings.push(("site files", start.elapsed()));
    a.diags.extend(render_errors);
    a.diags.sort();
    Ok(Written {
        pages,
        total_pages: jobs.len(),
        inputs,
    })
}

/// What an incremental rebuild must write: these pages, and the search
/// index and `metrics.json` only when what they hold changed.
pub struct Partial {
    pub jobs: HashSet<Job>,
    pub search: bool,
    pub metrics: bool,
    /// Pages may have appeared or gone (the sitemap and the manifest
    /// change); false when the site has the same pages as before.
    pub pages: bool,
}

/// Where `serve` puts its live-reload script, inside the output folder.
pub const LIVE_RELOAD_PATH: &str = "__coachbook/livereload.js";
/// The live-reload script (only in pages `serve` builds).
pub const LIVE_RELOAD_JS: &str = include_str!("../themes/default/static/livereload.js");

fn sitemap(r: &Renderer, jobs: &[crate::render::Job]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let origin = &r.config.origin;
    for job in jobs {
        if matches!(job, crate::render::Job::NotFound) {
            continue;
        }
        let path = r.output_path(job);
        let url_path = path.trim_end_matches("index.html");
        let loc = format!("{origin}{}", r.href(url_path));
        s.push_str("  <url><loc>");
        s.push_str(&crate::render::markdown::escape_attr(&loc));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

//! The pipeline driver, used by every command (`build`, `check`, `serve`,
//! `new`, `import`): load -> validate -> links -> metrics -> render + write,
//! each stage timed (`--verbose` prints the times).
//!
//! - [`Setup::load`] reads `coachbook.toml` once and checks `content/`;
//!   the theme is loaded from it ([`Setup::theme`]) only by the commands
//!   that render.
//! - [`read_note`] is the one way a note file is read, for the cold build
//!   ([`read_notes`]) and for `serve`'s re-reads alike.
//! - [`analyse_notes`] runs validate -> links -> metrics over notes read;
//!   [`link_and_measure`] is its second half, which `serve`'s in-place
//!   rebuild runs after validating only the notes that changed.
//! - [`write_pages`] renders the pages and writes them with `metrics.json`,
//!   the search index, the sitemap and the static files.

pub use crate::config::SetupError;

use crate::config::Config;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::{self, Links};
use crate::metrics::{self, Metrics};
use crate::model::{Note, Site};
use crate::output::{ByteBudget, CloseOnDrop, Output};
use crate::render::theme::{self, Theme};
use crate::render::views::Splice;
use crate::render::{Job, Renderer};
use crate::{content, validate};
use chrono::NaiveDate;
use crossbeam_channel::Sender;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A site's setup, read once per command: its folder and configuration.
#[derive(Debug, Clone)]
pub struct Setup {
    pub site_dir: PathBuf,
    pub config: Config,
}

impl Setup {
    /// Reads `coachbook.toml` (the defaults when there is none) and checks
    /// that the site has a real `content/` folder.
    pub fn load(site_dir: &Path) -> Result<Setup, SetupError> {
        let config = Config::load(site_dir)?;
        content::content_dir(site_dir)?;
        Ok(Setup {
            site_dir: site_dir.to_path_buf(),
            config,
        })
    }

    /// The theme: the embedded templates with the site's overrides.
    pub fn theme(&self) -> Result<Theme, SetupError> {
        Theme::load(&self.site_dir, &self.config).map_err(SetupError::Theme)
    }

    /// The configuration and theme as they are now on disk, for `serve`
    /// after `coachbook.toml`, `templates/` or `data/` changed.
    pub fn reload(site_dir: &Path) -> Result<(Config, Theme), SetupError> {
        let config = Config::load(site_dir)?;
        let theme = Theme::load(site_dir, &config).map_err(SetupError::Theme)?;
        Ok((config, theme))
    }

    /// How notes are read.
    pub fn load_options(&self) -> content::LoadOptions {
        content::LoadOptions::of(&self.config)
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
    /// The audience this analysis is of (`--audience`): `None` for the
    /// whole site. See `crate::audience::restrict`.
    pub audience: Option<crate::audience::Shown>,
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

/// One content file as read.
#[derive(Clone)]
pub struct Loaded {
    /// The note the site uses: the file's, or its last good version while
    /// the file is broken.
    pub note: Option<Note>,
    /// The file's own diagnostics as it is now.
    pub diags: Vec<Diagnostic>,
}

/// Reads one note file of the site at `site_dir` (the same caps for the
/// cold build and `serve`). While the file is broken, `previous` (its last
/// good version, in `serve`) stays in the site.
pub fn read_note(
    site_dir: &Path,
    abs: &Path,
    previous: Option<&Note>,
    opts: &content::LoadOptions,
) -> Loaded {
    let (note, diags) = content::read_note(site_dir, abs, opts);
    let broken = note.as_ref().is_none_or(|n| !n.valid);
    let keep_previous = broken && previous.is_some_and(|p| p.valid);
    Loaded {
        note: if keep_previous {
            previous.cloned()
        } else {
            note
        },
        diags,
    }
}

/// Reads every note file of the site (in parallel), sorted by path.
pub fn read_notes(site_dir: &Path, opts: &content::LoadOptions) -> Vec<(PathBuf, Loaded)> {
    read_notes_within(site_dir, opts, usize::MAX)
}

/// How many bytes of note bodies a cold build keeps in memory (16 MiB:
/// every body of a 10,000-note site of about 1 KB a note). Past it, a
/// body is dropped once parsed and read again from its file when the
/// search index and its page need it (`content::body_text`), so memory
/// stops growing with the body text of a large site. The environment
/// variable `COACHBOOK_BODY_BUDGET` (bytes) sets another.
pub const BODY_BUDGET: usize = 16 << 20;

/// What the binary's allocator does for a large site's build (see
/// `main.rs`). The library itself allocates through whatever allocator
/// the binary chose and does nothing here unless given these.
#[derive(Clone, Copy, Debug)]
pub struct LargeSiteHooks {
    /// Runs once, when a cold build first finds a large site (its bodies
    /// past the budget): the allocator hands freed memory back sooner.
    pub found: fn(),
    /// Runs between the stages of a large site's build: the allocator
    /// returns what the stage freed, on every thread. (Memory one thread
    /// allocated and another freed stays with the first until it
    /// allocates again; a worker idle after its stage would keep it, and
    /// the next stage's peak came on top: 450 or 560 MB at 100k notes,
    /// depending on which thread ran what.)
    pub release: fn(),
    /// Runs when a large site's pages start to render (`true`) and when
    /// they are written (`false`): the allocator may keep what a page
    /// frees a little longer meanwhile. Each page allocates and frees its
    /// own strings; handed back at once, the same memory was faulted in
    /// and zeroed again and again, page after page.
    pub pages: fn(bool),
}

static HOOKS: std::sync::OnceLock<LargeSiteHooks> = std::sync::OnceLock::new();

/// Whether this process has found a large site (and run `found`).
static LARGE_SITE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the hooks for a large site's build (once per process).
pub fn on_large_site(hooks: LargeSiteHooks) {
    let _ = HOOKS.set(hooks);
}

/// Called when a build's bodies go past the budget.
fn large_site_found() {
    use std::sync::atomic::Ordering;
    if !LARGE_SITE.swap(true, Ordering::Relaxed) {
        if let Some(h) = HOOKS.get() {
            (h.found)();
        }
    }
}

/// The end of a stage of the build: on a large site, freed memory goes
/// back before the next stage allocates its own.
fn stage_done() {
    if LARGE_SITE.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some(h) = HOOKS.get() {
            (h.release)();
        }
    }
}

/// The start (`true`) or end of a large site's pages.
fn pages_hook(start: bool) {
    if LARGE_SITE.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some(h) = HOOKS.get() {
            (h.pages)(start);
        }
    }
}

/// Most pages one parallel task renders: the pages' costs vary (a list
/// page is worth hundreds of note pages), and a core should never wait
/// on the other's last long run of them.
const PAGES_PER_TASK: usize = 8;

/// Most bytes of rendered pages waiting for the writer thread of a fresh
/// output folder (see `write_pages_with`). A short queue (64 pages, about
/// 0.8 MB at 10k notes) stalled the render threads whenever the disk
/// slowed the writer for a moment, leaving a core idle: 10k notes, four
/// builds each, 1.04 s with 64 pages, 0.91-0.93 s with 512-2048 (6-25 MB).
const WRITE_QUEUE_BYTES: usize = 16 << 20;

/// A page this large (with its splices) is written by the thread that
/// rendered it, not queued for the writer thread: the queue could hold
/// the biggest list pages while the writer was busy (the deal board has
/// 23 MB of rows at 100k notes). A handful of pages are this large.
const QUEUED_PAGE_MAX: usize = 256 << 10;

/// Writes a rendered page, its splices put in as it is written (the deal
/// board is not made one 23 MB string at 100k notes).
fn write_spliced(out: &Output, path: &str, html: &str, splices: &[Splice]) -> Result<(), String> {
    let pieces: Vec<&[u8]> = crate::render::views::spliced_pieces(html, splices)
        .into_iter()
        .map(str::as_bytes)
        .collect();
    out.write_pieces(path, &pieces)
        .map_err(|e| format!("cannot write {path}: {e}"))
}

fn body_budget() -> usize {
    std::env::var("COACHBOOK_BODY_BUDGET")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(BODY_BUDGET)
}

/// [`read_notes`], keeping the bodies read first in memory up to
/// `body_budget` bytes and dropping the others' (in `serve`, where files
/// change under a session, every body stays).
fn read_notes_within(
    site_dir: &Path,
    opts: &content::LoadOptions,
    body_budget: usize,
) -> Vec<(PathBuf, Loaded)> {
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let files = content::note_files(&site_dir.join("content"));
    content::map_in_order(&files, content::NOTES_PER_TASK, |abs| {
        let mut loaded = read_note(site_dir, abs, None, opts);
        if let Some(n) = &mut loaded.note {
            let len = n.body.len();
            let before = kept.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
            if before.saturating_add(len) > body_budget {
                n.body.release();
                large_site_found();
            }
        }
        (abs.to_path_buf(), loaded)
    })
}

/// Loads the site at `site_dir` and runs every stage up to the metrics.
pub fn analyse(site_dir: &Path, as_of: Option<NaiveDate>) -> Result<Analysis, SetupError> {
    Ok(analyse_setup(&Setup::load(site_dir)?, as_of))
}

/// Reads the notes of a site set up and runs every stage up to the metrics.
pub fn analyse_setup(setup: &Setup, as_of: Option<NaiveDate>) -> Analysis {
    analyse_within(setup, as_of, body_budget())
}

/// [`analyse_setup`] keeping `body_budget` bytes of bodies in memory.
fn analyse_within(setup: &Setup, as_of: Option<NaiveDate>, body_budget: usize) -> Analysis {
    let as_of = resolve_as_of(as_of, &setup.config);
    let start = Instant::now();
    // The attachments are found by a walk of their own, on the other
    // core while this one lists the notes (a serial 200 ms at 100k notes
    // when it came after the loading).
    let (mut read, (attachments, found)) = rayon::join(
        || read_notes_within(&setup.site_dir, &setup.load_options(), body_budget),
        || content::attachments::scan(&setup.site_dir, setup.config.unsafe_html),
    );
    let mut diags = Diagnostics::default();
    for (_, loaded) in &mut read {
        diags.extend(std::mem::take(&mut loaded.diags));
    }
    // Collected in place (the standard library reuses `read`'s buffer):
    // a second vector of 100,000 notes beside the first was the peak of
    // loading a large site.
    let notes: Vec<Note> = read.into_iter().filter_map(|(_, l)| l.note).collect();
    diags.extend(found);
    let load_time = start.elapsed();
    stage_done();
    let mut a = analyse_notes_with(setup.config.clone(), as_of, notes, attachments, diags);
    a.timings.insert(0, ("load", load_time));
    stage_done();
    a
}

/// [`analyse`], with the theme's templates compiled meanwhile on the
/// other core (they do not depend on the notes).
pub fn analyse_with_theme(
    site_dir: &Path,
    as_of: Option<NaiveDate>,
) -> Result<(Analysis, Theme), SetupError> {
    let setup = Setup::load(site_dir)?;
    let (analysis, theme) = rayon::join(|| analyse_setup(&setup, as_of), || setup.theme());
    Ok((analysis, theme?))
}

/// Runs validate -> links -> metrics over notes already read (and no
/// attachments).
pub fn analyse_notes(
    config: Config,
    as_of: NaiveDate,
    notes: Vec<Note>,
    diags: Diagnostics,
) -> Analysis {
    analyse_notes_with(config, as_of, notes, Default::default(), diags)
}

/// [`analyse_notes`] for a site with these attachments (which links may
/// name: see `content::attachments`).
pub fn analyse_notes_with(
    config: Config,
    as_of: NaiveDate,
    notes: Vec<Note>,
    attachments: content::attachments::Attachments,
    mut diags: Diagnostics,
) -> Analysis {
    let start = Instant::now();
    let notes = validate::validate(notes, &config, &mut diags);
    let mut site = Site { notes, attachments };
    let mut timings = vec![("validate", start.elapsed())];
    let (links, metrics) = link_and_measure(&mut site, &config, as_of, &mut diags, &mut timings);
    Analysis {
        config,
        as_of,
        site,
        links,
        metrics,
        diags,
        timings,
        audience: None,
    }
}

/// The stages after validate: resolves the links (and checks what needs
/// them resolved), computes the metrics, and sorts the diagnostics.
pub fn link_and_measure(
    site: &mut Site,
    config: &Config,
    as_of: NaiveDate,
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, Duration)>,
) -> (Links, Metrics) {
    link_and_measure_with(site, config, as_of, diags, timings, links::resolve)
}

/// [`link_and_measure`] resolving the links with `resolve` (`serve`
/// resolves again only the notes an edit touched: `links::resolve_again`).
pub fn link_and_measure_with(
    site: &mut Site,
    config: &Config,
    as_of: NaiveDate,
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, Duration)>,
    resolve: impl FnOnce(&mut Site, &mut Diagnostics) -> Links,
) -> (Links, Metrics) {
    let start = Instant::now();
    let links = resolve(site, diags);
    validate::check_resolved(site, diags);
    let linked = Instant::now();
    timings.push(("links", linked - start));
    let metrics = metrics::compute(site, config, as_of);
    diags.sort();
    // With the sort, which no other step counts.
    timings.push(("metrics", linked.elapsed()));
    (links, metrics)
}

/// The notes left out of the figures: the files with an error whose note
/// is not in the site as a valid note (left out for unreadable
/// frontmatter, or kept as a page marked invalid), sorted. In `serve`, a
/// note broken by a save keeps its last good version in the figures, so
/// it is not counted.
pub fn left_out<'d>(site: &Site, diags: &'d Diagnostics) -> Vec<&'d str> {
    let mut files: Vec<&str> = diags
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| d.file.as_str())
        .filter(|f| f.starts_with("content/"))
        .collect();
    if files.is_empty() {
        // The common case, and `serve` asks on every save.
        return files;
    }
    let valid: std::collections::HashSet<&str> = site
        .notes
        .iter()
        .filter(|n| n.valid)
        .map(|n| n.path.as_str())
        .collect();
    files.retain(|f| !valid.contains(f));
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
    /// (what `serve` compares to find the pages an edit touches); empty
    /// unless written by [`write_pages_recording`].
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
    let theme = Theme::load(site_dir, &a.config).map_err(SetupError::Theme)?;
    write_pages(a, &theme, site_dir, out_dir, live_reload, None)
}

/// Like [`write_site`] with a loaded theme; with `only`, renders just the
/// pages it names (the others are known to be unchanged) and the site-wide
/// files that changed, and removes pages the site no longer has.
/// `Written::inputs` is left empty: see [`write_pages_recording`].
pub fn write_pages(
    a: &mut Analysis,
    theme: &Theme,
    site_dir: &Path,
    out_dir: &Path,
    live_reload: bool,
    only: Option<&Partial>,
) -> Result<Written, SetupError> {
    write_pages_with(a, theme, site_dir, out_dir, live_reload, only, false)
}

/// [`write_pages`], keeping in `Written::inputs` what each page read
/// (what `serve` compares to find the pages an edit touches).
pub fn write_pages_recording(
    a: &mut Analysis,
    theme: &Theme,
    site_dir: &Path,
    out_dir: &Path,
    live_reload: bool,
    only: Option<&Partial>,
) -> Result<Written, SetupError> {
    write_pages_with(a, theme, site_dir, out_dir, live_reload, only, true)
}

fn write_pages_with(
    a: &mut Analysis,
    theme: &Theme,
    site_dir: &Path,
    out_dir: &Path,
    live_reload: bool,
    only: Option<&Partial>,
    record_inputs: bool,
) -> Result<Written, SetupError> {
    let rewrite_search = only.is_none_or(|p| p.search);
    let rewrite_metrics = only.is_none_or(|p| p.metrics);
    let same_pages = only.is_some_and(|p| !p.pages);
    let start = Instant::now();
    let out = Output::new(out_dir).map_err(|source| SetupError::CreateOutput {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let io_err = |source: std::io::Error| SetupError::WriteOutput {
        path: out_dir.to_path_buf(),
        source,
    };
    let lists = match only.and_then(|p| p.lists.clone()) {
        Some(lists) => lists,
        None => std::sync::Arc::new(crate::render::Lists::of(&a.site)),
    };
    let mut renderer = Renderer::with_lists(
        &a.site, &a.links, &a.metrics, &a.config, theme, &a.diags, lists,
    );
    renderer.live_reload = live_reload;
    if let Some(shown) = a.audience.as_ref().filter(|s| !s.every_rep) {
        // The dashboard says whose figures it shows (never silently the
        // audience's as if they were the company's).
        renderer.site_view["scope"] = serde_json::Value::from(shown.name.as_str());
    }
    renderer.record_inputs = record_inputs;
    let jobs = renderer.jobs();
    // Pages of an audience that is not public ask not to be indexed.
    let noindex = a.audience.as_ref().is_some_and(|s| !s.public);
    let metrics_json = |m: &Metrics| match &a.audience {
        Some(shown) => crate::audience::metrics_json(m, shown),
        None => metrics::to_json(m),
    };
    let todo: Vec<&Job> = match only {
        Some(p) => jobs.iter().filter(|j| p.jobs.contains(j)).collect(),
        None => jobs.iter().collect(),
    };
    // metrics.json. On a large site it is written and dropped before the
    // pages render (beside the search index: see below): it is made
    // through a JSON tree of every figure (about 50 MB at 100k notes),
    // which on top of the pages' memory was the peak of a large build. On
    // a smaller one it is made beside them (on one core, it left the
    // other idle for about 40 ms at 10k notes).
    let large = LARGE_SITE.load(std::sync::atomic::Ordering::Relaxed);
    let write_metrics = || -> std::io::Result<()> {
        if rewrite_metrics {
            out.write("metrics.json", metrics_json(&a.metrics).as_bytes())?;
        }
        Ok(())
    };
    // The search index. On a large site (`LARGE_SITE`: the bodies went
    // past their budget) it is written and dropped before the pages
    // render: built alongside them, its memory came on top of theirs (the
    // peak of a 100k build), and it is parallel inside. On a smaller one
    // it is built alongside the pages: its serial parts (merging the
    // postings, laying out the shards) then leave no core idle.
    // `None`: the index is unchanged and its files are kept as they are.
    let search = || -> std::io::Result<Option<Vec<String>>> {
        if !rewrite_search {
            return Ok(None);
        }
        let index = crate::render::search::site_index(&a.site);
        for (name, bytes) in &index.files {
            out.write(name, bytes)?;
        }
        if same_pages {
            crate::render::search::remove_stale(out.root(), &index)?;
        }
        Ok(Some(
            index.files.into_iter().map(|(name, _)| name).collect(),
        ))
    };
    // A page written: here, or (`Some`) sent to the writer thread.
    type ToWrite = (usize, String, String, Vec<Splice>, usize);
    let queued = ByteBudget::new(WRITE_QUEUE_BYTES);
    let write_page = |i: usize,
                      path: String,
                      html: String,
                      splices: Vec<Splice>,
                      writer: Option<&Sender<ToWrite>>| {
        // The splices count: the deal board's rows are one of them.
        let size =
            html.len() + (splices.iter().flat_map(|(_, s)| s).map(String::len)).sum::<usize>();
        match writer.filter(|_| size <= QUEUED_PAGE_MAX) {
            // `take` refuses once the writer thread is gone (it panicked):
            // the page is then written here, not queued for no one.
            Some(w) if queued.take(size) => w
                .send((i, path, html, splices, size))
                .map_err(|_| "the writer stopped".to_string()),
            _ => write_spliced(&out, &path, &html, &splices),
        }
    };
    let pages = |writer: Option<Sender<ToWrite>>| {
        todo.par_iter()
            .enumerate()
            .with_max_len(PAGES_PER_TASK)
            .map(|(i, job)| {
                // A page that cannot be rendered is still written, as a page
                // saying why: a link to it never leads nowhere.
                let (path, mut html, splices, failed) = match renderer.render_unspliced(job) {
                    Ok((path, html, splices)) => (path, html, splices, None),
                    Err(e) => (
                        renderer.output_path(job),
                        renderer.fallback_page(job, &e),
                        Vec::new(),
                        Some(e),
                    ),
                };
                if noindex {
                    html = crate::audience::noindex(&html);
                }
                let shown = failed.as_ref().map(|e| {
                    format!("{path} could not be rendered and shows the error instead: {e}")
                });
                write_page(i, path, html, splices, writer.as_ref())
                    .map_err(|e| (renderer.source_of(job), e))?;
                match shown {
                    Some(e) => Err((renderer.source_of(job), e)),
                    None => Ok(()),
                }
            })
            .collect::<Vec<Result<(), (String, String)>>>()
    };
    // Into a fresh output folder, the pages are written by one thread of
    // their own, in the order they are rendered, as `cp -r` would: two
    // threads creating files and folders on ext4 at once spent about 20%
    // more kernel time on its locks than one doing it all, and mkdirat
    // alone was 17% of a 10k build's CPU. Rendering stays on every core;
    // the queue between them holds at most `WRITE_QUEUE_BYTES` (the
    // largest pages are written where they are rendered:
    // `QUEUED_PAGE_MAX`). Over an earlier build each render thread
    // compares and writes its own pages. On a large site too: at 100k
    // notes, the render threads writing their own pages spent 25-27 s of
    // CPU on a 13.8-14.9 s build, with the writer thread 23.7-23.9 s on
    // 13.1-13.3 s, peak 366-372 MB (session 16; with the 64-page queue
    // and the notes of then, 4 of 22 such builds had peaked at 419-424
    // MB).
    let render_and_write = || {
        if !out.is_fresh() {
            return pages(None);
        }
        let (send, receive) = crossbeam_channel::unbounded::<ToWrite>();
        let out = &out;
        let queued = &queued;
        // Takes pages off the queue and writes them until it is empty and
        // no page is coming: the failures, by page.
        let drain = |receive: crossbeam_channel::Receiver<ToWrite>| {
            let mut failed = Vec::new();
            for (i, path, html, splices, size) in receive {
                let written = write_spliced(out, &path, &html, &splices);
                drop((html, splices));
                queued.give(size);
                if let Err(e) = written {
                    failed.push((i, e));
                }
            }
            failed
        };
        std::thread::scope(|s| {
            let helper = receive.clone();
            let writer = s.spawn(move || {
                let _close = CloseOnDrop(queued);
                drain(receive)
            });
            // Once the last page is rendered, the writer still has up to
            // `WRITE_QUEUE_BYTES` to write (about 80 ms at 10k notes) while
            // the render threads have nothing to do: this one writes
            // beside it (10k floor, six alternating pairs: median ratio
            // 1.26 -> 1.17).
            let mut results = pages(Some(send));
            let mut failed = drain(helper);
            failed.extend(
                writer
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
            for (i, e) in failed {
                results[i] = Err((renderer.source_of(todo[i]), e));
            }
            results
        })
    };
    // The sitemap and the paths of the pages (what `Output::finish`
    // keeps), unless the pages are the same as before.
    let want_map = a.audience.as_ref().is_none_or(|s| s.sitemap);
    let page_list = || -> (Option<String>, BTreeSet<String>) {
        if same_pages {
            return (None, BTreeSet::new());
        }
        // The two side by side, the paths sorted on every core: on one
        // core they were about 0.1 s at the end of a 100k build.
        let (map, mut paths) = rayon::join(
            || want_map.then(|| sitemap(&renderer, &jobs)),
            || {
                jobs.par_iter()
                    .map(|j| renderer.output_path(j))
                    .collect::<Vec<String>>()
            },
        );
        paths.par_sort_unstable();
        // From sorted paths, the set's own sort finds one run: linear.
        (map, paths.into_iter().collect())
    };
    let (search_files, results, (map, mut expected)) = if large {
        // metrics.json beside the search index: made on one core in about
        // 0.1 s at 100k notes, it left the other idle before the index.
        // The index holds little while it starts, so their memory does
        // not add up to the peak.
        let (written, search_files) = rayon::join(write_metrics, search);
        written.map_err(io_err)?;
        let search_files = search_files.map_err(io_err)?;
        stage_done();
        pages_hook(true);
        let results = render_and_write();
        pages_hook(false);
        // Made once the pages are out (not held while they render).
        (search_files, results, page_list())
    } else {
        // Beside the pages, on the core the search index leaves: made
        // after them, they kept one core busy and the other idle (about
        // 10 ms in a profile of a 10k build).
        let beside_pages = || -> std::io::Result<_> {
            write_metrics()?;
            let search_files = search()?;
            Ok((search_files, page_list()))
        };
        let (beside, results) = rayon::join(beside_pages, render_and_write);
        let (search_files, listed) = beside.map_err(io_err)?;
        (search_files, results, listed)
    };
    stage_done();
    let inputs = renderer.take_inputs();
    let mut pages = 0;
    let mut render_errors = Vec::new();
    for r in results {
        match r {
            Ok(()) => pages += 1,
            Err((file, e)) => render_errors.push(Diagnostic::error(Code::RenderError, &file, 0, e)),
        }
    }
    a.timings.push(("render+write", start.elapsed()));
    let start = Instant::now();
    if same_pages {
        // Same pages, same static files: only what changed is written.
        a.timings.push(("site files", start.elapsed()));
        a.diags.extend(render_errors);
        a.diags.sort();
        return Ok(Written {
            pages,
            total_pages: jobs.len(),
            inputs,
        });
    }
    // Kept as they are when unchanged.
    match search_files {
        Some(files) => expected.extend(files),
        None => expected.extend(crate::render::search::existing(out.root())),
    }
    expected.insert("metrics.json".to_string());
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), SetupError> {
        out.write(name, bytes).map_err(io_err)?;
        expected.insert(name.to_string());
        Ok(())
    };
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
                Code::StaticSymlink,
                &file,
                0,
                "a symlink; it is not published (it could copy a file from outside the site)",
            )
            .with_help("put the file itself in static/"),
        );
    }
    expected.extend(copied.files);
    // Attachments: copied by a full write; a partial one (`serve`) keeps
    // them, and copies the ones saved itself (`incremental`).
    if only.is_none() {
        let (files, problems) = content::attachments::publish(site_dir, &a.site.attachments, &out);
        expected.extend(files);
        a.diags.extend(problems);
    } else {
        expected.extend(a.site.attachments.paths().iter().cloned());
    }
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
    /// The site's lists, made already for the same analysis (by the check
    /// that chose these pages): the renderer that writes them reuses them.
    pub lists: Option<std::sync::Arc<crate::render::Lists>>,
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
        s.push_str(&crate::render::escape::html(&loc));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_site_runs_the_allocator_hooks_between_its_stages() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static FOUND: AtomicUsize = AtomicUsize::new(0);
        static RELEASED: AtomicUsize = AtomicUsize::new(0);
        static PAGES: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
        on_large_site(LargeSiteHooks {
            found: || {
                FOUND.fetch_add(1, Ordering::Relaxed);
            },
            release: || {
                RELEASED.fetch_add(1, Ordering::Relaxed);
            },
            pages: |start| {
                PAGES[usize::from(start)].fetch_add(1, Ordering::Relaxed);
            },
        });
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        for i in 0..3 {
            let note = format!("---\ntype: page\ntitle: P{i}\n---\nSome text.\n");
            std::fs::write(dir.path().join(format!("content/p{i}.md")), note).unwrap();
        }
        let setup = Setup::load(dir.path()).unwrap();
        // Within the budget: a small site, no hook runs.
        analyse_within(&setup, None, usize::MAX);
        assert_eq!(FOUND.load(Ordering::Relaxed), 0);
        assert_eq!(RELEASED.load(Ordering::Relaxed), 0);
        assert_eq!(PAGES[1].load(Ordering::Relaxed), 0);
        // Past it: found once, released after loading and after analysing,
        // and after the search index and the pages. (At least: the other
        // tests of this process now build a large site too.)
        let mut a = analyse_within(&setup, None, 0);
        assert_eq!(FOUND.load(Ordering::Relaxed), 1);
        let after_analysis = RELEASED.load(Ordering::Relaxed);
        assert!(after_analysis >= 2);
        let theme = setup.theme().unwrap();
        let out = dir.path().join("public");
        write_pages(&mut a, &theme, dir.path(), &out, false, None).unwrap();
        assert!(RELEASED.load(Ordering::Relaxed) >= after_analysis + 2);
        // The pages' start and end (the ends read first: another test's
        // pages may be rendering now, started and not yet ended).
        let ended = PAGES[0].load(Ordering::Relaxed);
        let started = PAGES[1].load(Ordering::Relaxed);
        assert!(ended >= 1 && started >= ended, "{started} {ended}");
        assert!(out.join("index.html").is_file());
    }

    #[test]
    fn setup_failures_are_typed_and_keep_their_messages() {
        let dir = tempfile::tempdir().unwrap();
        let e = Setup::load(dir.path()).unwrap_err();
        assert!(matches!(e, SetupError::NoContent(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!(
                "{} has no content/ folder: is this a coachbook site? (`coachbook init DIR` makes one)",
                dir.path().display()
            )
        );
        std::fs::write(dir.path().join("coachbook.toml"), "stale_days = -1\n").unwrap();
        let e = Setup::load(dir.path()).unwrap_err();
        assert!(matches!(e, SetupError::Config { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!(
                "{}: stale_days must be 0 or more, found -1",
                dir.path().join("coachbook.toml").display()
            )
        );
    }

    #[test]
    fn a_broken_note_keeps_its_last_good_version_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let file = content.join("p.md");
        let opts = content::LoadOptions::default();
        std::fs::write(&file, "---\ntype: page\ntitle: Good\n---\nText\n").unwrap();
        let good = read_note(dir.path(), &file, None, &opts).note.unwrap();
        assert!(good.valid);
        std::fs::write(&file, "---\ntype: page\ntitle: [\n---\n").unwrap();
        let cold = read_note(dir.path(), &file, None, &opts);
        assert!(cold.note.is_none() && !cold.diags.is_empty());
        let kept = read_note(dir.path(), &file, Some(&good), &opts);
        assert_eq!(kept.note.as_ref(), Some(&good));
        assert_eq!(kept.diags.len(), cold.diags.len());
        // The cold build reads every note with the same function.
        let all = read_notes(dir.path(), &opts);
        assert_eq!(all.len(), 1);
        assert!(all[0].1.note.is_none());
    }
}

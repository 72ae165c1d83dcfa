//! Incremental rebuilds for `serve`: keep every parsed note, re-parse only
//! the files that changed, run the cheap stages (validate, links, metrics)
//! again, and re-render only the pages whose output can change. The
//! result is the same site a cold `build` of the same files writes (a
//! property test checks this).
//!
//! An edit that keeps every note's path and id is patched in place
//! (`Session::patch_in_place`): only the saved notes are checked again;
//! when they also keep what links find notes by, only they and the notes
//! linking to them are resolved again (`links::resolve_again`); and only
//! the recorded inputs that can have changed are fingerprinted again
//! (`memo`). Any other edit runs validate, links and metrics over the
//! whole site.
//!
//! While a note is saved in a broken state, its last good version stays in
//! the site and its diagnostics are reported, so the server keeps showing
//! the last good page with an overlay naming the problem.

use crate::build::{self, read_note as read, Analysis, Loaded, SetupError};
use crate::config::Config;
use crate::content;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Note;
use crate::render::theme::Theme;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod memo;
mod search;

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Site-relative paths of the files that changed (empty for a full build).
    pub changed: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
    pub pages: usize,
    pub total_pages: usize,
    /// The output paths of the pages a partial rebuild rendered, sorted
    /// (empty after a full one).
    pub rendered: Vec<String>,
    pub notes: usize,
    pub elapsed: Duration,
    pub diags: Diagnostics,
    /// How long each step took (printed by `serve --verbose`).
    pub timings: Vec<(&'static str, Duration)>,
}

/// The time of each step of a rebuild, one after another.
struct Laps {
    last: Instant,
    out: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn since(start: Instant) -> Self {
        Laps {
            last: start,
            out: Vec::new(),
        }
    }

    /// The step `name` ends now.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.out.push((name, now - self.last));
        self.last = now;
    }
}

/// A site kept in memory between rebuilds.
pub struct Session {
    site_dir: PathBuf,
    out_dir: PathBuf,
    as_of_cli: Option<NaiveDate>,
    live_reload: bool,
    config: Config,
    theme: Theme,
    files: BTreeMap<PathBuf, Loaded>,
    last: Analysis,
    /// The warnings about files under `content/` left unpublished (see
    /// `content::attachments`); the attachments are `last.site`'s.
    attachment_diags: Vec<Diagnostic>,
    /// The history snapshot compared with (`changes`), re-read only when
    /// HEAD, `since` or the configuration moved.
    history: crate::history::Tracker,
    /// The search index is out of date: written by
    /// [`Session::write_search_index`] after the pages (it takes longer
    /// than the pages an edit touches, and no reload waits for it).
    search_pending: bool,
    /// Each note's search entry, kept between saves so that writing the
    /// index makes again only the entries of the notes that changed
    /// ([`search::Entries`]); emptied when the configuration may have
    /// changed.
    search: search::Entries,
    /// What each page read when last rendered ([`memo::Memo`]).
    memo: memo::Memo,
    /// What `validate::check_note` found in each note, by position in
    /// `last.site`, for the in-place rebuild: only the saved notes are
    /// checked again (the check scans each body for raw HTML, most of a
    /// save's cost at 10,000 notes). `None` after every other rebuild
    /// (the configuration may have changed, the notes may have moved).
    checked: Option<Vec<Vec<Diagnostic>>>,
    /// What `validate::check_site_notes` found across the notes at the
    /// last in-place rebuild (`None` after any other).
    site_checks: Option<Vec<Diagnostic>>,
    /// Each note's link problems (by position in `last.site`) as the
    /// in-place rebuild last resolved them, and the tables of paths and
    /// names, so the next resolves again only the notes it touches
    /// (`links::resolve_again`). `None` after any other rebuild.
    link_problems: Option<crate::links::Kept>,
    /// What `validate::assign_ids` reported when the in-place rebuild
    /// last proved the notes have the same ids at the same positions;
    /// `None` once a note's id may have moved since (a file added or
    /// removed, a note's file name, `slug` or kind changed: see
    /// [`layout_key`]) or after any other rebuild.
    layout_diags: Option<Vec<Diagnostic>>,
}

/// What `validate::assign_ids` reads of a note as loaded: while it is
/// the same for every note, so are the ids and their diagnostics.
fn layout_key(n: Option<&Note>) -> Option<(&str, &str, bool, usize, crate::model::Kind)> {
    n.map(|n| {
        let slug_line = if n.slug_given {
            n.field_line("slug")
        } else {
            0
        };
        (
            n.id.as_str(),
            n.path.as_str(),
            n.slug_given,
            slug_line,
            n.kind,
        )
    })
}

/// Whether `validate::check_site_notes` reads `n` (a rep or a forecast,
/// valid or not).
fn checked_across(n: &Note) -> bool {
    use crate::model::{Kind, NoteData};
    matches!(n.kind, Kind::Rep | Kind::Forecast)
        || n.rep().is_some()
        || matches!(n.checked_data().0, NoteData::Forecast(_))
}

/// What `validate::check_site_notes` finds across `notes`.
fn site_checks(notes: &[Note]) -> Vec<Diagnostic> {
    let mut found = Diagnostics::default();
    crate::validate::check_site_notes(notes, &mut found);
    found.items
}

/// What kind of file a changed path is.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// A note (or a folder of notes) under `content/`.
    Content,
    /// `coachbook.toml`, `templates/`, `static/` or `data/`: rebuild all.
    Site,
    /// A file under `content/` that is not a note (an image, a PDF).
    Attachment,
    /// Not ours to watch: editor temp files, the output folder, others.
    Ignored,
}

/// Classifies a changed path of the site at `site_dir`.
pub fn classify(site_dir: &Path, out_dir: &Path, path: &Path) -> Change {
    if path.starts_with(out_dir) {
        return Change::Ignored;
    }
    let Ok(rel) = path.strip_prefix(site_dir) else {
        return Change::Ignored;
    };
    if rel
        .components()
        .any(|c| content::is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return Change::Ignored;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match first.as_str() {
        "content" => {
            let is_md = path.extension().is_some_and(|e| e == "md");
            // A folder (created, renamed, removed) or a note.
            if is_md || path.extension().is_none() {
                Change::Content
            } else {
                Change::Attachment
            }
        }
        "coachbook.toml" | "templates" | "static" | "data" => Change::Site,
        _ => Change::Ignored,
    }
}

impl Session {
    /// Loads and builds the whole site (a cold build).
    pub fn new(
        site_dir: &Path,
        out_dir: &Path,
        as_of: Option<NaiveDate>,
        live_reload: bool,
    ) -> Result<(Session, Report), SetupError> {
        Self::new_since(site_dir, out_dir, as_of, None, live_reload)
    }

    /// [`Session::new`] comparing with the history at `since` (`--since`).
    pub fn new_since(
        site_dir: &Path,
        out_dir: &Path,
        as_of: Option<NaiveDate>,
        since: Option<NaiveDate>,
        live_reload: bool,
    ) -> Result<(Session, Report), SetupError> {
        let start = Instant::now();
        let setup = build::Setup::load(site_dir)?;
        let theme = setup.theme()?;
        let files: BTreeMap<PathBuf, Loaded> = build::read_notes(site_dir, &setup.load_options())
            .into_iter()
            .collect();
        let config = setup.config;
        let as_of_date = build::resolve_as_of(as_of, &config);
        let (notes, mut diags) = collect(&files);
        let (attachments, attachment_diags) =
            content::attachments::scan(site_dir, config.unsafe_html);
        diags.extend(attachment_diags.iter().cloned());
        let mut last =
            build::analyse_notes_with(config.clone(), as_of_date, notes, attachments, diags);
        let mut history = crate::history::Tracker::new(since);
        history.attach(site_dir, &config, &last.site, &mut last.metrics);
        let mut w =
            build::write_pages_recording(&mut last, &theme, site_dir, out_dir, live_reload, None)?;
        let mut memo = memo::Memo::default();
        memo.record(
            &last,
            &theme,
            live_reload,
            std::mem::take(&mut w.inputs),
            true,
        );
        let report = Report {
            changed: Vec::new(),
            full: true,
            pages: w.pages,
            total_pages: w.total_pages,
            rendered: Vec::new(),
            notes: last.site.notes.len(),
            elapsed: start.elapsed(),
            diags: last.diags.clone(),
            timings: last.timings.clone(),
        };
        Ok((
            Session {
                site_dir: site_dir.to_path_buf(),
                out_dir: out_dir.to_path_buf(),
                as_of_cli: as_of,
                live_reload,
                config,
                theme,
                files,
                last,
                attachment_diags,
                history,
                search_pending: false,
                search: search::Entries::default(),
                memo,
                checked: Default::default(),
                site_checks: None,
                link_problems: None,
                layout_diags: None,
            },
            report,
        ))
    }

    pub fn site_dir(&self) -> &Path {
        &self.site_dir
    }

    /// The site's configuration as last loaded.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The diagnostics of the current state.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.last.diags
    }

    /// The whole site's analysis as last built (`serve --audience` makes
    /// the audience's site from it).
    pub fn analysis(&self) -> &build::Analysis {
        &self.last
    }

    /// The theme as last loaded.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Rebuilds after `paths` changed (as reported by the watcher).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Report, SetupError> {
        let start = Instant::now();
        let mut content_paths = Vec::new();
        let mut site_change = false;
        for p in paths {
            match classify(&self.site_dir, &self.out_dir, p) {
                Change::Content => content_paths.push(p.clone()),
                Change::Site => site_change = true,
                Change::Attachment | Change::Ignored => {}
            }
        }
        let mut changed: Vec<String> = paths
            .iter()
            .filter(|p| classify(&self.site_dir, &self.out_dir, p) != Change::Ignored)
            .map(|p| content::rel_path(&self.site_dir, p))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            return Ok(self.report(changed, false, None, start));
        }
        let mut setup_problem = None;
        let opts_before = content::LoadOptions::of(&self.config);
        if site_change {
            match build::Setup::reload(&self.site_dir) {
                Ok((c, t)) => {
                    self.config = c;
                    self.theme = t;
                }
                Err(e) => setup_problem = Some(e),
            }
        }
        // Attachments: a saved one is copied again; when which files are
        // published changes, links may find others: every page is rendered.
        if let Some((found, warnings)) = content::attachments::changed(
            &self.site_dir,
            &self.out_dir,
            self.config.unsafe_html,
            (&self.last.site.attachments, &self.attachment_diags),
            paths,
        ) {
            self.last.site.attachments = found;
            self.attachment_diags = warnings;
            site_change = true;
        }
        let mut dirty = self.reload(&content_paths);
        if content::LoadOptions::of(&self.config) != opts_before {
            // Notes are read another way now (`type_key`): read them all.
            dirty.extend(self.reread_all());
        }
        self.memo.bump(&dirty);
        let as_of = build::resolve_as_of(self.as_of_cli, &self.config);
        if !site_change && setup_problem.is_none() && as_of == self.last.as_of {
            if let Some(r) = self.patch_in_place(&dirty, start, changed.clone())? {
                return Ok(r);
            }
        }
        if site_change || setup_problem.is_some() {
            // The notes may be read another way: no entry is kept.
            self.search.clear();
        }
        self.checked = None;
        self.site_checks = None;
        self.link_problems = None;
        self.layout_diags = None;
        let (notes, mut diags) = collect(&self.files);
        diags.extend(self.attachment_diags.iter().cloned());
        if let Some(e) = &setup_problem {
            diags.push(Diagnostic::error(
                Code::Config,
                "coachbook.toml",
                0,
                e.to_string(),
            ));
        }
        let attachments = self.last.site.attachments.clone();
        let mut next =
            build::analyse_notes_with(self.config.clone(), as_of, notes, attachments, diags);
        (self.history).attach(&self.site_dir, &self.config, &next.site, &mut next.metrics);
        let mut only = if site_change {
            None
        } else {
            let metrics_changed = self.last.metrics != next.metrics;
            Some(self.memo.stale(
                &next,
                &self.theme,
                self.live_reload,
                metrics_changed,
                false,
                None,
            ))
        };
        self.defer_search(&mut only);
        let mut w = build::write_pages_recording(
            &mut next,
            &self.theme,
            &self.site_dir,
            &self.out_dir,
            self.live_reload,
            only.as_ref(),
        )?;
        // A partial rebuild's report names its pages: keep them.
        let inputs = if only.is_none() {
            std::mem::take(&mut w.inputs)
        } else {
            w.inputs.clone()
        };
        self.memo
            .record(&next, &self.theme, self.live_reload, inputs, only.is_none());
        // Dropping ten thousand notes takes a while: not on this path.
        let old = std::mem::replace(&mut self.last, next);
        std::thread::spawn(move || drop(old));
        Ok(self.report(changed, only.is_none(), Some(&w), start))
    }

    /// Takes the search index out of a partial rebuild, to be written by
    /// [`Session::write_search_index`] once the pages are out. (A full
    /// rebuild writes it with everything else.)
    fn defer_search(&mut self, only: &mut Option<build::Partial>) {
        match only {
            Some(p) if p.search => {
                p.search = false;
                self.search_pending = true;
            }
            Some(_) => {}
            None => self.search_pending = false,
        }
    }

    /// Writes the search index if the last rebuilds left it out of date
    /// (replacing each file in one step, the manifest last, so a page
    /// never loads half a file). Returns whether it wrote.
    pub fn write_search_index(&mut self) -> Result<bool, SetupError> {
        if !self.search_pending {
            return Ok(false);
        }
        let (site, fps) = (&self.last.site, self.memo.recorded_fps());
        (self.search)
            .write(site, fps, &self.out_dir)
            .map_err(|source| SetupError::WriteFile {
                path: self.out_dir.join(crate::render::search::DIR),
                source,
            })?;
        self.search_pending = false;
        Ok(true)
    }

    /// What a rebuild did, from the current state.
    fn report(
        &self,
        changed: Vec<String>,
        full: bool,
        written: Option<&build::Written>,
        start: Instant,
    ) -> Report {
        let rendered = match written {
            Some(w) if !full => {
                let mut paths: Vec<String> = w.inputs.iter().map(|(p, _)| p.clone()).collect();
                paths.sort_unstable();
                paths
            }
            _ => Vec::new(),
        };
        Report {
            changed,
            full,
            pages: written.map_or(0, |w| w.pages),
            total_pages: written.map_or(0, |w| w.total_pages),
            rendered,
            notes: self.last.site.notes.len(),
            elapsed: start.elapsed(),
            diags: self.last.diags.clone(),
            timings: self.last.timings.clone(),
        }
    }

    /// The common case, edits to notes that keep their path and id: patch
    /// the site in place instead of copying every note, and compare before
    /// and after by position. `None` when the case does not apply.
    fn patch_in_place(
        &mut self,
        dirty: &HashSet<String>,
        start: Instant,
        changed: Vec<String>,
    ) -> Result<Option<Report>, SetupError> {
        use rayon::prelude::*;
        let mut laps = Laps::since(start);
        // Same notes at the same positions with the same ids (which also
        // rules out notes added, removed, renamed, dropped for a duplicate
        // slug, or moved to or from a path id by a shared file name).
        // Proved again only when a note's id may have moved since it was
        // last proved (`layout_diags`).
        let notes = &self.last.site.notes;
        let layout_diags = match self.layout_diags.take() {
            Some(d) => d,
            None => {
                let loaded: Vec<&Note> = self
                    .files
                    .values()
                    .filter_map(|l| l.note.as_ref())
                    .collect();
                let assigned = crate::validate::assign_ids(&loaded);
                let same_layout =
                    assigned.ids.len() == notes.len()
                        && loaded.iter().zip(notes.iter()).zip(&assigned.ids).all(
                            |((a, b), id)| a.path == b.path && id.as_deref() == Some(b.id.as_str()),
                        );
                if !same_layout {
                    return Ok(None);
                }
                assigned.diags
            }
        };
        // Looked up for every note: hashed the fast way.
        let dirty: rustc_hash::FxHashSet<&str> = dirty.iter().map(String::as_str).collect();
        let dirty_idx: Vec<usize> = notes
            .iter()
            .enumerate()
            .filter(|(_, n)| dirty.contains(n.path.as_str()))
            .map(|(i, _)| i)
            .collect();
        laps.lap("read, ids");

        // Patch.
        let mut site = std::mem::take(&mut self.last.site);
        let saved_site_wide = dirty_idx.iter().any(|i| checked_across(&site.notes[*i]));
        let names_before: Vec<crate::links::Names> = dirty_idx
            .iter()
            .map(|i| crate::links::Names::of(&site.notes[*i]))
            .collect();
        for i in &dirty_idx {
            let path = &site.notes[*i].abs_path;
            if let Some(mut n) = self.files.get(path).and_then(|l| l.note.clone()) {
                crate::validate::normalise(&mut n, &self.config);
                n.id.clone_from(&site.notes[*i].id);
                site.notes[*i] = n;
            }
        }
        let mut diags = Diagnostics::default();
        diags.extend(layout_diags.iter().cloned());
        self.layout_diags = Some(layout_diags);
        for l in self.files.values() {
            diags.extend(l.diags.iter().cloned());
        }
        diags.extend(self.attachment_diags.iter().cloned());
        laps.lap("patch");
        // Check the notes as loaded (the site's copies of notes that failed
        // a check have lost their fields), so every problem is reported.
        // The same notes at the same positions: each keeps what was found
        // in it but for the saved ones.
        let checks: Vec<Vec<Diagnostic>> = match self.checked.take() {
            Some(mut found) if found.len() == site.notes.len() => {
                for i in &dirty_idx {
                    let path = &site.notes[*i].abs_path;
                    if let Some(n) = self.files.get(path).and_then(|l| l.note.as_ref()) {
                        found[*i] = crate::validate::check_note(n, &self.config);
                    }
                }
                found
            }
            _ => {
                let loaded: Vec<&Note> = (self.files.values())
                    .filter_map(|l| l.note.as_ref())
                    .collect();
                (loaded.par_iter())
                    .map(|n| crate::validate::check_note(n, &self.config))
                    .collect()
            }
        };
        for i in &dirty_idx {
            let failed = checks[*i]
                .iter()
                .any(|d| d.severity == crate::diagnostics::Severity::Error);
            if failed {
                site.notes[*i].set_invalid();
            }
        }
        for found in &checks {
            diags.extend(found.iter().cloned());
        }
        self.checked = Some(checks);
        // What is checked across notes reads only reps and forecasts: kept
        // while no saved note is or was one.
        let saved_site_wide =
            saved_site_wide || dirty_idx.iter().any(|i| checked_across(&site.notes[*i]));
        let across: Vec<Diagnostic> = match self.site_checks.take() {
            Some(kept) if !saved_site_wide => {
                debug_assert!(
                    kept == site_checks(&site.notes),
                    "the checks across notes changed"
                );
                kept
            }
            _ => site_checks(&site.notes),
        };
        diags.extend(across.iter().cloned());
        self.site_checks = Some(across);
        laps.lap("checks");
        // The links: when every saved note keeps what links find notes by
        // (and so the same notes answer every link), only the saved notes
        // and those linking to them (a link reads its target's headings)
        // are resolved again.
        let names_kept = dirty_idx
            .iter()
            .zip(&names_before)
            .all(|(i, before)| crate::links::Names::of(&site.notes[*i]) == *before);
        let again: Option<(Vec<usize>, crate::links::Kept)> = match self.link_problems.take() {
            Some(kept) if names_kept && kept.problems.len() == site.notes.len() => {
                let backlinks = &self.last.links.backlinks;
                let mut only = dirty_idx.clone();
                for d in &dirty_idx {
                    only.extend(backlinks.get(*d).into_iter().flatten());
                }
                only.sort_unstable();
                only.dedup();
                Some((only, kept))
            }
            _ => None,
        };
        // The notes resolved again: no other note's fingerprint can change.
        let resolved: Option<Vec<usize>> = again.as_ref().map(|(only, _)| only.clone());
        let mut kept = None;
        // Updated in place by `resolve_again` (replaced after this anyway).
        let previous = std::mem::take(&mut self.last.links);
        let (links, mut metrics) = build::link_and_measure_with(
            &mut site,
            &self.config,
            self.last.as_of,
            &mut diags,
            &mut laps.out,
            |site, diags| match again {
                Some((only, mut problems)) => {
                    let links =
                        crate::links::resolve_again(site, &only, &mut problems, previous, diags);
                    kept = Some(problems);
                    links
                }
                None => {
                    let (links, problems) = crate::links::resolve_keeping(site, diags);
                    kept = Some(problems);
                    links
                }
            },
        );
        laps.last = Instant::now();
        self.link_problems = kept;
        (self.history).attach(&self.site_dir, &self.config, &site, &mut metrics);
        let old_metrics = std::mem::replace(&mut self.last.metrics, metrics);
        self.last.site = site;
        self.last.links = links;
        self.last.diags = diags;
        laps.lap("history");

        let metrics_changed = old_metrics != self.last.metrics;
        let mut only = Some(self.memo.stale(
            &self.last,
            &self.theme,
            self.live_reload,
            metrics_changed,
            true,
            resolved.as_deref(),
        ));
        laps.lap("memo stale");
        self.defer_search(&mut only);
        let mut w = build::write_pages_recording(
            &mut self.last,
            &self.theme,
            &self.site_dir,
            &self.out_dir,
            self.live_reload,
            only.as_ref(),
        )?;
        laps.lap("render, write");
        let inputs = if only.is_none() {
            std::mem::take(&mut w.inputs)
        } else {
            w.inputs.clone()
        };
        self.memo.record(
            &self.last,
            &self.theme,
            self.live_reload,
            inputs,
            only.is_none(),
        );
        laps.lap("memo record");
        self.last.timings = laps.out;
        std::thread::spawn(move || drop(old_metrics));
        Ok(Some(self.report(changed, only.is_none(), Some(&w), start)))
    }

    /// Re-reads every note (the way notes are read changed); returns the
    /// site-relative paths of the notes whose version in the site changed.
    fn reread_all(&mut self) -> HashSet<String> {
        self.layout_diags = None;
        let opts = content::LoadOptions::of(&self.config);
        let mut dirty = HashSet::new();
        for (p, l) in self.files.iter_mut() {
            // Read afresh: a last good version read the old way is stale.
            let loaded = read(&self.site_dir, p, None, &opts);
            if loaded.note != l.note {
                dirty.insert(content::rel_path(&self.site_dir, p));
            }
            *l = loaded;
        }
        dirty
    }

    /// Re-reads changed content paths; returns the site-relative paths of
    /// the notes whose version in the site changed.
    fn reload(&mut self, paths: &[PathBuf]) -> HashSet<String> {
        let opts = content::LoadOptions::of(&self.config);
        let mut dirty = HashSet::new();
        let mut rescan = false;
        for p in paths {
            if p.is_dir() || (!p.exists() && p.extension().is_none()) {
                rescan = true;
                continue;
            }
            if content::is_note_file(&self.site_dir, p) {
                let before = self.files.get(p).and_then(|l| l.note.clone());
                let loaded = read(&self.site_dir, p, before.as_ref(), &opts);
                if loaded.note != before {
                    dirty.insert(content::rel_path(&self.site_dir, p));
                }
                if layout_key(loaded.note.as_ref()) != layout_key(before.as_ref()) {
                    self.layout_diags = None;
                }
                self.files.insert(p.clone(), loaded);
            } else if self.files.remove(p).is_some() {
                self.layout_diags = None;
                dirty.insert(content::rel_path(&self.site_dir, p));
            }
        }
        if rescan {
            self.layout_diags = None;
            let now: BTreeSet<PathBuf> = content::note_files(&self.site_dir.join("content"))
                .into_iter()
                .collect();
            let gone: Vec<PathBuf> = self
                .files
                .keys()
                .filter(|p| !now.contains(*p))
                .cloned()
                .collect();
            for p in gone {
                self.files.remove(&p);
                dirty.insert(content::rel_path(&self.site_dir, &p));
            }
            for p in now {
                if !self.files.contains_key(&p) {
                    let loaded = read(&self.site_dir, &p, None, &opts);
                    self.files.insert(p.clone(), loaded);
                    dirty.insert(content::rel_path(&self.site_dir, &p));
                }
            }
        }
        dirty
    }
}

fn collect(files: &BTreeMap<PathBuf, Loaded>) -> (Vec<Note>, Diagnostics) {
    use rayon::prelude::*;
    let loaded: Vec<&Loaded> = files.values().collect();
    let notes: Vec<Note> = loaded.par_iter().filter_map(|l| l.note.clone()).collect();
    let mut diags = Diagnostics::default();
    for l in loaded {
        diags.extend(l.diags.iter().cloned());
    }
    (notes, diags)
}

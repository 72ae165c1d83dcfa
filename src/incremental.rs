//! Incremental rebuilds for `serve`: keep every parsed note, re-parse only
//! the files that changed, run the cheap stages (validate, links, metrics)
//! again over the whole site, and re-render only the pages whose output can
//! change. The result is the same site a cold `build` of the same files
//! writes (a property test checks this).
//!
//! While a note is saved in a broken state, its last good version stays in
//! the site and its diagnostics are reported, so the server keeps showing
//! the last good page with an overlay naming the problem.

use crate::build::{self, read_note as read, Analysis, Loaded, SetupError};
use crate::config::Config;
use crate::content;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Kind, Note, NoteIdx, Site};
use crate::render::search;
use crate::render::theme::Theme;
use crate::render::Job;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Site-relative paths of the files that changed (empty for a full build).
    pub changed: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
    pub pages: usize,
    pub total_pages: usize,
    pub notes: usize,
    pub elapsed: Duration,
    pub diags: Diagnostics,
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
        let w = build::write_pages(&mut last, &theme, site_dir, out_dir, live_reload, None)?;
        let report = Report {
            changed: Vec::new(),
            full: true,
            pages: w.pages,
            total_pages: w.total_pages,
            notes: last.site.notes.len(),
            elapsed: start.elapsed(),
            diags: last.diags.clone(),
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
        let as_of = build::resolve_as_of(self.as_of_cli, &self.config);
        if !site_change && setup_problem.is_none() && as_of == self.last.as_of {
            if let Some(r) = self.patch_in_place(&dirty, start, changed.clone())? {
                return Ok(r);
            }
        }
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
            affected(&self.last, &next, &dirty)
        };
        Problems::of(&self.last).touch(&next, &mut only);
        self.defer_search(&mut only);
        let w = build::write_pages(
            &mut next,
            &self.theme,
            &self.site_dir,
            &self.out_dir,
            self.live_reload,
            only.as_ref(),
        )?;
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
    /// (replacing the file in one step, so a page never loads half of
    /// it). Returns whether it wrote.
    pub fn write_search_index(&mut self) -> Result<bool, SetupError> {
        if !self.search_pending {
            return Ok(false);
        }
        let index = crate::render::search::site_index(&self.last.site);
        let path = self.out_dir.join("search-index.json");
        let tmp = self.out_dir.join(".search-index.json.coachbook-new");
        std::fs::write(&tmp, index.as_bytes())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|source| SetupError::WriteFile { path, source })?;
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
        Report {
            changed,
            full,
            pages: written.map_or(0, |w| w.pages),
            total_pages: written.map_or(0, |w| w.total_pages),
            notes: self.last.site.notes.len(),
            elapsed: start.elapsed(),
            diags: self.last.diags.clone(),
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
        // Same notes at the same positions with the same ids (which also
        // rules out notes added, removed, renamed, dropped for a duplicate
        // slug, or moved to or from a path id by a shared file name).
        let notes = &self.last.site.notes;
        let assigned = {
            let loaded: Vec<&Note> = self
                .files
                .values()
                .filter_map(|l| l.note.as_ref())
                .collect();
            crate::validate::assign_ids(&loaded)
        };
        let same_layout = assigned.ids.len() == notes.len()
            && self
                .files
                .values()
                .filter_map(|l| l.note.as_ref())
                .zip(notes.iter())
                .zip(&assigned.ids)
                .all(|((a, b), id)| a.path == b.path && id.as_deref() == Some(b.id.as_str()));
        if !same_layout {
            return Ok(None);
        }
        let dirty_idx: Vec<usize> = notes
            .iter()
            .enumerate()
            .filter(|(_, n)| dirty.contains(&n.path))
            .map(|(i, _)| i)
            .collect();
        // What the comparison needs of the old state.
        let old_targets: Vec<Vec<Option<NoteIdx>>> = notes.par_iter().map(targets_of).collect();
        let old_backlinks = std::mem::take(&mut self.last.links.backlinks);
        let old_dirty: Vec<(usize, Note)> =
            dirty_idx.iter().map(|i| (*i, notes[*i].clone())).collect();
        let old_teams: Vec<String> = self.last.metrics.teams.keys().cloned().collect();
        let old_problems = Problems::of(&self.last);
        let old_made_up_titles: Vec<(usize, String)> = notes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.title_given)
            .map(|(i, n)| (i, n.title.clone()))
            .collect();

        // Patch.
        let mut site = std::mem::take(&mut self.last.site);
        for (i, _) in &old_dirty {
            let path = &site.notes[*i].abs_path;
            if let Some(mut n) = self.files.get(path).and_then(|l| l.note.clone()) {
                crate::validate::normalise(&mut n, &self.config);
                n.id.clone_from(&site.notes[*i].id);
                site.notes[*i] = n;
            }
        }
        let mut diags = Diagnostics::default();
        diags.extend(assigned.diags);
        for l in self.files.values() {
            diags.extend(l.diags.iter().cloned());
        }
        diags.extend(self.attachment_diags.iter().cloned());
        // Check the notes as loaded (the site's copies of notes that failed
        // a check have lost their fields), so every problem is reported.
        let loaded: Vec<&Note> = self
            .files
            .values()
            .filter_map(|l| l.note.as_ref())
            .collect();
        let checks: Vec<Vec<Diagnostic>> = loaded
            .par_iter()
            .map(|n| crate::validate::check_note(n, &self.config))
            .collect();
        for (i, found) in checks.into_iter().enumerate() {
            let failed = found
                .iter()
                .any(|d| d.severity == crate::diagnostics::Severity::Error);
            if failed && dirty_idx.contains(&i) {
                site.notes[i].set_invalid();
            }
            diags.extend(found);
        }
        crate::validate::check_site_notes(&site.notes, &mut diags);
        let (links, mut metrics) = build::link_and_measure(
            &mut site,
            &self.config,
            self.last.as_of,
            &mut diags,
            &mut Vec::new(),
        );
        (self.history).attach(&self.site_dir, &self.config, &site, &mut metrics);
        let old_metrics = std::mem::replace(&mut self.last.metrics, metrics);
        self.last.site = site;
        self.last.links = links;
        self.last.diags = diags;
        self.last.timings.clear();

        let mut only = affected_in_place(
            &self.last,
            &old_metrics,
            &old_teams,
            &old_targets,
            &old_backlinks,
            &old_dirty,
            &old_made_up_titles,
        );
        old_problems.touch(&self.last, &mut only);
        self.defer_search(&mut only);
        let w = build::write_pages(
            &mut self.last,
            &self.theme,
            &self.site_dir,
            &self.out_dir,
            self.live_reload,
            only.as_ref(),
        )?;
        std::thread::spawn(move || drop((old_metrics, old_targets, old_backlinks)));
        Ok(Some(self.report(changed, only.is_none(), Some(&w), start)))
    }

    /// Re-reads every note (the way notes are read changed); returns the
    /// site-relative paths of the notes whose version in the site changed.
    fn reread_all(&mut self) -> HashSet<String> {
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
                self.files.insert(p.clone(), loaded);
            } else if self.files.remove(p).is_some() {
                dirty.insert(content::rel_path(&self.site_dir, p));
            }
        }
        if rescan {
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

/// The notes a note's references and links resolve to, in order.
fn targets_of(n: &Note) -> Vec<Option<NoteIdx>> {
    n.refs()
        .into_iter()
        .map(|r| r.resolved)
        .chain(n.all_links().map(|l| l.resolved))
        .collect()
}

/// [`affected`] for a site patched in place: the notes kept their
/// positions, so the old state is given by position.
fn affected_in_place(
    new: &Analysis,
    old_metrics: &crate::metrics::Metrics,
    old_teams: &[String],
    old_targets: &[Vec<Option<NoteIdx>>],
    old_backlinks: &[Vec<NoteIdx>],
    old_dirty: &[(usize, Note)],
    old_made_up_titles: &[(usize, String)],
) -> Option<build::Partial> {
    let site = &new.site;
    if new.metrics.teams.keys().ne(old_teams.iter()) {
        return None;
    }
    let n = Facts::of(site);
    let id = |i: NoteIdx| site.notes[i].id.as_str();
    let mut want = Want::default();
    // Notes whose references resolve differently now, and their targets.
    for (i, note) in site.notes.iter().enumerate() {
        let now = targets_of(note);
        if old_targets.get(i) != Some(&now) {
            want.note(id(i));
            for t in now
                .iter()
                .chain(old_targets.get(i).into_iter().flatten())
                .flatten()
            {
                want.note(id(*t));
            }
        }
    }
    let mut list_changed = false;
    let mut search = false;
    let mut summaries = false;
    // Made-up titles follow their rep or deal: a renamed rep renames its
    // one-to-ones, which lists and search show.
    for (i, old) in old_made_up_titles {
        if site.notes.get(*i).is_some_and(|n| n.title != *old) {
            n.touch_note(id(*i), &mut want);
            list_changed = true;
            search = true;
        }
    }
    for (i, old) in old_dirty {
        let now = &site.notes[*i];
        list_changed |= list_fields(old) != list_fields(now);
        search |= search::doc_entry(old) != search::doc_entry(now);
        summaries |= [old.kind, now.kind]
            .iter()
            .any(|k| matches!(k, Kind::Rep | Kind::Deal | Kind::Forecast));
        // The new version, with the new site's links.
        n.touch_note(id(*i), &mut want);
        // The old version: its tags, its section, what it pointed to and
        // what pointed to it.
        want.sections.insert(old.kind);
        for t in &old.tags {
            want.tags.extend(tag_pages(t));
        }
        for t in old_targets.get(*i).into_iter().flatten().flatten() {
            want.note(id(*t));
            n.touch_rep_pages(id(*t), &mut want);
        }
        for r in old_backlinks.get(*i).into_iter().flatten() {
            want.note(id(*r));
        }
        if let Some(r) = old.rep_ref().and_then(|r| r.resolved) {
            n.touch_rep(id(r), &mut want);
        }
        if let Some(d) = old.deal_ref().and_then(|r| r.resolved) {
            n.touch_note_page_and_owner(d, &mut want);
        }
        if let Some(o) = old.deal().and_then(|d| d.owner.resolved) {
            n.touch_rep(id(o), &mut want);
        }
    }
    let changed = changed_figures(old_metrics, &new.metrics);
    for rep in &changed.reps {
        n.touch_rep(rep, &mut want);
    }
    for team in &changed.teams {
        want.team(team);
    }
    for id in changed.deals.iter().chain(&changed.forecasts) {
        n.touch_note(id, &mut want);
    }
    let metrics_changed = *old_metrics != new.metrics;
    want.lists = list_changed;
    want.search = search;
    want.summaries = summaries || list_changed || metrics_changed;
    Some(build::Partial {
        jobs: {
            embedders(site, &mut want);
            want.into_jobs(site, &n)
        },
        search,
        metrics: metrics_changed,
        pages: list_changed,
    })
}

/// The pages of `new` whose output may differ from `old`'s, given the notes
/// (by path) that changed; `None` when every page must be rendered.
pub fn affected(
    old: &Analysis,
    new: &Analysis,
    dirty_paths: &HashSet<String>,
) -> Option<build::Partial> {
    let (o, n) = rayon::join(|| Facts::of(&old.site), || Facts::of(&new.site));
    // The navigation lists the teams: a change there touches every page.
    if o.teams.keys().ne(n.teams.keys()) || old.as_of != new.as_of {
        return None;
    }
    // Notes that changed, appeared, vanished or moved id.
    let mut dirty: HashSet<&str> = HashSet::new();
    for path in dirty_paths {
        dirty.extend(o.id_at.get(path.as_str()).copied());
        dirty.extend(n.id_at.get(path.as_str()).copied());
    }
    for (path, id) in &o.id_at {
        if n.id_at.get(path) != Some(id) {
            dirty.insert(id);
        }
    }
    for (path, id) in &n.id_at {
        if o.id_at.get(path) != Some(id) {
            dirty.insert(id);
        }
    }
    // Made-up titles follow their rep or deal (a renamed rep renames its
    // one-to-ones): such a note changed even though its file did not.
    let retitled: Vec<&str> = new
        .site
        .notes
        .iter()
        .filter(|x| !x.title_given)
        .filter(|x| o.note(&x.id).is_some_and(|old| old.title != x.title))
        .map(|x| x.id.as_str())
        .collect();
    dirty.extend(retitled);
    // Lists (the index, sections, tags) show a few fields of every note:
    // they change only when one of those did.
    let list_changed = dirty
        .iter()
        .any(|id| o.note(id).map(list_fields) != n.note(id).map(list_fields));

    let mut want = Want::default();
    want.global();
    // Notes whose references resolve differently now.
    for (id, targets) in &n.targets {
        if o.targets.get(id) != Some(targets) {
            want.note(id);
            for t in targets
                .iter()
                .chain(o.targets.get(id).into_iter().flatten())
            {
                want.note(t);
            }
        }
    }
    for id in &dirty {
        for f in [&o, &n] {
            f.touch_note(id, &mut want);
        }
    }
    want.lists = list_changed;
    let metrics_changed = old.metrics != new.metrics;
    want.summaries = metrics_changed
        || list_changed
        || dirty.iter().any(|id| {
            [o.note(id), n.note(id)]
                .into_iter()
                .flatten()
                .any(|x| matches!(x.kind, Kind::Rep | Kind::Deal | Kind::Forecast))
        });
    want.search = dirty
        .iter()
        .any(|id| o.note(id).map(search::doc_entry) != n.note(id).map(search::doc_entry));
    // Changed figures.
    let changed = changed_figures(&old.metrics, &new.metrics);
    for f in [&o, &n] {
        for rep in &changed.reps {
            f.touch_rep(rep, &mut want);
        }
        for id in changed.deals.iter().chain(&changed.forecasts) {
            f.touch_note(id, &mut want);
        }
    }
    for team in &changed.teams {
        want.team(team);
    }
    let search = want.search;
    Some(build::Partial {
        jobs: {
            embedders(&new.site, &mut want);
            want.into_jobs(&new.site, &n)
        },
        search,
        metrics: metrics_changed,
        pages: true,
    })
}

/// What the problems page and the "left out of these figures" notices
/// show: the diagnostics, and the notes they leave out.
#[derive(PartialEq)]
struct Problems {
    diags: Vec<Diagnostic>,
    left_out: Vec<String>,
}

impl Problems {
    fn of(a: &Analysis) -> Problems {
        Problems {
            diags: a
                .diags
                .items
                .iter()
                .filter(|d| d.code != "render-error")
                .cloned()
                .collect(),
            left_out: build::left_out(&a.site, &a.diags)
                .into_iter()
                .map(str::to_string)
                .collect(),
        }
    }

    /// Adds the problems page when the diagnostics changed; every page
    /// when the notes left out did (the dashboard, team and rep pages
    /// show their number).
    fn touch(&self, new: &Analysis, only: &mut Option<build::Partial>) {
        let Some(p) = only else { return };
        let now = Problems::of(new);
        if now.left_out != self.left_out {
            *only = None;
        } else if now.diags != self.diags {
            p.jobs.insert(Job::Problems);
        }
    }
}

/// The reps, teams, deals and forecasts (by id, or name for teams) whose
/// figures differ between two computations, including ones added or gone.
struct ChangedFigures {
    reps: Vec<String>,
    teams: Vec<String>,
    deals: Vec<String>,
    forecasts: Vec<String>,
}

fn changed_figures(old: &crate::metrics::Metrics, new: &crate::metrics::Metrics) -> ChangedFigures {
    let forecasts =
        |m: &crate::metrics::Metrics| -> BTreeMap<String, crate::metrics::ForecastMetrics> {
            m.forecasts
                .iter()
                .map(|f| (f.note.clone(), f.clone()))
                .collect()
        };
    ChangedFigures {
        reps: diff(&old.reps, &new.reps),
        teams: diff(&old.teams, &new.teams),
        deals: diff(&old.deals, &new.deals),
        forecasts: diff(&forecasts(old), &forecasts(new)),
    }
}

/// Keys whose values differ between `a` and `b`, or that only one has.
fn diff<V: PartialEq>(a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    out
}

/// What rendering needs to know about a site to find affected pages
/// (borrowed from the site: built twice per rebuild, it must be cheap).
struct Facts<'s> {
    site: &'s Site,
    by_id: FxHashMap<&'s str, NoteIdx>,
    id_at: FxHashMap<&'s str, &'s str>,
    /// Per note id: the ids its references and links resolve to, in order.
    targets: FxHashMap<&'s str, Vec<&'s str>>,
    /// Per note id: the notes that reference it.
    referrers: FxHashMap<&'s str, Vec<&'s str>>,
    teams: BTreeMap<&'s str, usize>,
}

impl<'s> Facts<'s> {
    fn of(site: &'s Site) -> Self {
        let n = site.notes.len();
        let mut by_id = FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut id_at = FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut targets = FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut referrers: FxHashMap<&str, Vec<&str>> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut teams: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, note) in site.notes.iter().enumerate() {
            let id = note.id.as_str();
            by_id.insert(id, i);
            id_at.insert(note.path.as_str(), id);
            let t: Vec<&str> = note
                .refs()
                .into_iter()
                .filter_map(|r| r.resolved)
                .chain(note.all_links().filter_map(|l| l.resolved))
                .map(|j| site.notes[j].id.as_str())
                .collect();
            for x in &t {
                referrers.entry(*x).or_default().push(id);
            }
            targets.insert(id, t);
            if let Some(r) = note.rep().filter(|_| note.valid) {
                *teams.entry(r.team.as_str()).or_default() += 1;
            }
        }
        Facts {
            site,
            by_id,
            id_at,
            targets,
            referrers,
            teams,
        }
    }

    fn note(&self, id: &str) -> Option<&'s Note> {
        self.by_id.get(id).map(|i| &self.site.notes[*i])
    }

    /// A note changed: its page, the pages of the notes it links and that
    /// link to it, its rep's plan, pipeline and team, and the lists.
    fn touch_note(&self, id: &str, want: &mut Want) {
        want.note(id);
        let Some(n) = self.note(id) else { return };
        want.sections.insert(n.kind);
        for t in &n.tags {
            want.tags.extend(tag_pages(t));
        }
        for t in self.targets.get(id).into_iter().flatten() {
            want.note(t);
            self.touch_rep_pages(t, want);
        }
        for r in self.referrers.get(id).into_iter().flatten() {
            want.note(r);
        }
        self.touch_rep_pages(id, want);
        if let Some(r) = n.rep_ref().and_then(|r| r.resolved) {
            self.touch_rep(&self.site.notes[r].id, want);
        }
        if let Some(d) = n.deal_ref().and_then(|r| r.resolved) {
            let deal = &self.site.notes[d];
            want.note(&deal.id);
            if let Some(o) = deal.deal().and_then(|x| x.owner.resolved) {
                self.touch_rep(&self.site.notes[o].id, want);
            }
        }
    }

    /// A deal's page and its owner's pages.
    fn touch_note_page_and_owner(&self, deal: NoteIdx, want: &mut Want) {
        let d = &self.site.notes[deal];
        want.note(&d.id);
        if let Some(o) = d.deal().and_then(|x| x.owner.resolved) {
            self.touch_rep(&self.site.notes[o].id, want);
        }
    }

    /// If `id` is a rep: its plan, pipeline and team.
    fn touch_rep_pages(&self, id: &str, want: &mut Want) {
        if self.note(id).is_some_and(|n| n.kind == Kind::Rep) {
            self.touch_rep(id, want);
        }
    }

    fn touch_rep(&self, id: &str, want: &mut Want) {
        want.note(id);
        want.pipelines.insert(id.to_string());
        if let Some(r) = self.note(id).and_then(|n| n.rep()) {
            want.team(&r.team);
            // The manager's page lists the rep's figures and latest one-to-one.
            if let Some(m) = r.manager.as_ref().and_then(|m| m.resolved) {
                want.note(&self.site.notes[m].id);
            }
        }
    }
}

/// The slugs of the tag pages that list a note tagged `t`: its own and
/// its parents' (`region/emea`, `region`).
fn tag_pages(t: &str) -> impl Iterator<Item = String> {
    crate::content::obsidian::tag_and_parents(t)
        .into_iter()
        .map(|(slug, _)| slug)
}

/// What the lists of notes show of a note.
fn list_fields(n: &Note) -> impl PartialEq + '_ {
    (
        (&n.title, n.kind, n.date, &n.tags, n.valid),
        n.interaction()
            .map(|x| (&x.takeaway, x.gap, &x.skill, &x.outcome)),
        n.deal().map(|d| (&d.account, d.close_date)),
        n.refs().into_iter().map(|r| &r.target).collect::<Vec<_>>(),
    )
}

/// Pages to render, by id and name (indices differ between two sites).
/// Embeds (`![[Note]]`): a page shows the notes it embeds, so it is
/// rendered again with any of them. A small rule of its own until the
/// pages declare what they read.
fn embedders(site: &Site, want: &mut Want) {
    let embeds = |n: &Note| {
        n.links.iter().any(|l| {
            l.kind == crate::model::LinkKind::Embed
                && l.resolved
                    .and_then(|t| site.notes.get(t))
                    .is_some_and(|t| want.notes.contains(&t.id))
        })
    };
    let more: Vec<String> = site
        .notes
        .iter()
        .filter(|n| embeds(n))
        .map(|n| n.id.clone())
        .collect();
    want.notes.extend(more);
}

#[derive(Default)]
struct Want {
    notes: HashSet<String>,
    pipelines: HashSet<String>,
    teams: HashSet<String>,
    sections: HashSet<Kind>,
    tags: HashSet<String>,
    lists: bool,
    search: bool,
    /// The dashboard, forecast and team pages: they show figures, lists of
    /// notes and the fields of reps, deals and forecasts.
    summaries: bool,
}

impl Want {
    fn global(&mut self) {}
    fn note(&mut self, id: &str) {
        self.notes.insert(id.to_string());
    }
    fn team(&mut self, t: &str) {
        self.teams.insert(t.to_string());
    }

    fn into_jobs(self, site: &Site, facts: &Facts) -> HashSet<Job> {
        let mut jobs: HashSet<Job> = HashSet::new();
        if self.summaries {
            // The deal board shows every deal's figures and owner.
            jobs.extend([Job::Dashboard, Job::Forecast, Job::Section(Kind::Deal)]);
        }
        for id in &self.notes {
            if let Some(i) = facts.by_id.get(id.as_str()) {
                jobs.insert(Job::Note(*i));
                // Deal pages of an interaction's timeline show their owner's
                // pipeline link; a rep's page shows its pipeline link.
            }
        }
        for id in &self.pipelines {
            if let Some(i) = facts.by_id.get(id.as_str()) {
                if site.notes[*i].rep().is_some() {
                    jobs.insert(Job::Pipeline(*i));
                }
            }
        }
        if self.summaries && !self.teams.is_empty() {
            jobs.insert(Job::Teams);
            for t in self.teams {
                jobs.insert(Job::Team(t));
            }
        }
        if self.lists {
            jobs.insert(Job::Notes);
            jobs.insert(Job::Tags);
            jobs.insert(Job::Handbook);
            // A site with no reps opens on the handbook.
            if facts.teams.is_empty() {
                jobs.insert(Job::Dashboard);
            }
            for k in self.sections {
                jobs.insert(Job::Section(k));
            }
            for t in self.tags {
                jobs.insert(Job::Tag(t));
            }
        }
        jobs
    }
}

//! Which pages an edit touches, asked of the views themselves: every page
//! rendered leaves the inputs its view read ([`Input`]) with their
//! fingerprints; after an edit, a page is rendered again only when one of
//! those inputs fingerprints differently now (or the page is new). No rule
//! here says what a page depends on: a view that reads one more field
//! reads it through the recorder, and the page follows it.
//!
//! After an in-place edit ([`Memo::stale`] with `in_place`: the same
//! notes at the same positions with the same ids), only the inputs that
//! can have changed are fingerprinted again: those of notes whose
//! fingerprint changed, the backlinks and lists of notes whose links or
//! references changed, the figures when the metrics changed, and the few
//! site-wide ones. The others keep the fingerprint they had, which is
//! theirs now: every input is a function of the notes' fingerprints,
//! their backlinks and lists, the metrics and the site-wide state.
//!
//! Then only the pages that read an input whose fingerprint moved are
//! looked at (`Memo::readers`, input -> pages), with the pages at a new
//! path and those new at the last check: every page recorded read the
//! fingerprints its inputs have had since, so no other page is stale.

use crate::build::{Analysis, Partial};
use crate::model::{Kind, Note, NoteIdx};
use crate::render::inputs::{fingerprint, note_fingerprint, note_fingerprints, Input};
use crate::render::theme::Theme;
use crate::render::{Job, Lists, Renderer};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Cell;
use std::collections::HashSet;
use std::sync::Arc;

/// What the last renders read, by output path.
#[derive(Default)]
pub struct Memo {
    /// Note path -> the version of its file's content.
    revs: FxHashMap<String, u64>,
    next_rev: u64,
    /// Every input a recorded page read (notes by id), each once: a
    /// page's inputs are indexes into it, so checking them after an edit
    /// fingerprints each input once and hashes no input. (The inputs of
    /// pages that are gone stay until the next full rebuild.)
    keys: Vec<Input<String>>,
    key_of: FxHashMap<Input<String>, u32>,
    /// Each key's fingerprint in the analysis last checked or recorded
    /// (indexes like `keys`).
    last: Vec<u64>,
    /// Note id -> the keys naming it.
    note_keys: FxHashMap<String, Vec<u32>>,
    /// The keys naming no note.
    shared_keys: Vec<u32>,
    /// What the analysis last recorded was, by note position, for the
    /// in-place check; `None` until a record, and after a `stale` that no
    /// `record` followed (a failed write).
    prev: Option<Prev>,
    /// The pages of the analysis `stale` last checked (kept for the next
    /// in-place check: when the same pages come, only the paths of the
    /// notes that changed are made again).
    listing: Option<Listing>,
    /// Output path -> its page's slot in `inputs`.
    pages: FxHashMap<String, u32>,
    /// By slot: the inputs the page read and their fingerprints then
    /// (empty: a free slot, listed in `free`).
    inputs: Vec<Vec<(u32, u64)>>,
    free: Vec<u32>,
    /// By key: the slots of the pages that read it, so that an in-place
    /// check looks only at the pages reading an input that changed. A
    /// superset: a page that stopped reading a key, or a slot freed,
    /// stays listed until the next full record (each page is checked on
    /// all its inputs, so an extra one costs a look and nothing more).
    readers: Vec<Vec<u32>>,
    /// Note id -> fingerprint, for the search index.
    notes: FxHashMap<String, u64>,
    /// The note fingerprints [`Memo::stale`] computed, for the
    /// [`Memo::record`] of the same analysis that follows it, whether
    /// the site had the same pages, and, after an in-place check, the
    /// positions of the notes whose fingerprint changed.
    checked: Option<Checked>,
}

/// What [`Memo::stale`] found, for the [`Memo::record`] that follows.
struct Checked {
    /// Every note's fingerprint, by position.
    fps: Vec<u64>,
    /// The site has the same pages as at the last record.
    same_pages: bool,
    /// After an in-place check: the positions of the notes whose
    /// fingerprint changed.
    changed: Option<Vec<NoteIdx>>,
    /// The lists of the site checked, and each note's
    /// [`Lists::key_of`].
    lists: Arc<Lists>,
    list_keys: Vec<u64>,
    /// After an in-place check: the kinds and backlinks of the analysis
    /// recorded before, for `record` to patch where they changed rather
    /// than read every note again.
    before: Option<(Vec<Kind>, Vec<Vec<NoteIdx>>)>,
}

/// No slot, or no position.
const NONE: u32 = u32::MAX;

/// The pages of a check, by position, with their slots in [`Memo`].
struct Listing {
    jobs: Vec<Job>,
    paths: Vec<String>,
    /// By position: the page's slot when checked (`NONE`: new then).
    slots: Vec<u32>,
    /// By slot: the page's position (`NONE`: not in this listing).
    at: Vec<u32>,
}

impl Listing {
    fn new(jobs: Vec<Job>, paths: Vec<String>, pages: &FxHashMap<String, u32>) -> Listing {
        let slots: Vec<u32> = paths
            .par_iter()
            .map(|p| pages.get(p).copied().unwrap_or(NONE))
            .collect();
        let mut l = Listing {
            jobs,
            paths,
            slots: Vec::new(),
            at: Vec::new(),
        };
        for (pos, slot) in slots.iter().enumerate() {
            l.place(pos, *slot);
        }
        l.slots = slots;
        l
    }

    /// The page at `pos` has the slot `slot` (`NONE`: none yet).
    fn place(&mut self, pos: usize, slot: u32) {
        if let Some(old) = self.slots.get(pos).copied().filter(|s| *s != NONE) {
            if let Some(a) = self.at.get_mut(old as usize) {
                *a = NONE;
            }
        }
        if let Some(s) = self.slots.get_mut(pos) {
            *s = slot;
        }
        if slot != NONE {
            let s = slot as usize;
            if self.at.len() <= s {
                self.at.resize(s + 1, NONE);
            }
            self.at[s] = pos as u32;
        }
    }
}

/// The analysis last recorded, by note position.
struct Prev {
    fps: Vec<u64>,
    kinds: Vec<Kind>,
    backlinks: Vec<Vec<NoteIdx>>,
    /// What was about each note, and each rep's deals.
    lists: Arc<Lists>,
    /// Each note's [`Lists::key_of`].
    list_keys: Vec<u64>,
}

/// Which of a note's inputs an in-place check looks at again.
#[derive(Clone, Copy, Default)]
struct Touched {
    /// Its fields (its fingerprint changed).
    note: bool,
    /// Its backlinks, interactions or deals.
    lists: bool,
}

/// Whether `k` is recomputed for a note touched so (`metrics`: the
/// metrics changed).
fn note_input_due(k: &Input<String>, t: Touched, metrics: bool) -> bool {
    match k {
        Input::Note(_) | Input::Link(_) | Input::Row(_) => t.note,
        Input::Backlinks(_) | Input::About(_) | Input::DealsOf(_) => t.lists,
        Input::RepFigures(_) | Input::DealFigures(_) | Input::DealChanges(_) => metrics,
        // Not a note's input: never listed under a note.
        Input::Site
        | Input::TeamFigures(_)
        | Input::Teams
        | Input::Forecasts
        | Input::Org
        | Input::History
        | Input::TagList
        | Input::Tag(_)
        | Input::Kind(_)
        | Input::Members(_)
        | Input::Dated(_)
        | Input::NoteAt(_)
        | Input::Diagnostics
        | Input::LeftOut => true,
    }
}

/// Whether the site-wide input `k` is recomputed after an in-place edit:
/// the figures when the metrics changed, what lists notes by kind when a
/// note of that kind changed (`kinds`), what the lists hold when they
/// changed (`same_lists`: they did not), the title and URL of a note at a
/// path when the note there changed (`paths`: the paths of the notes that
/// changed; in place, every note keeps its path), the rest always (each
/// is one value).
fn shared_input_due(
    k: &Input<String>,
    kinds: &[Kind],
    metrics: bool,
    same_lists: bool,
    paths: &FxHashSet<&str>,
) -> bool {
    match k {
        Input::TeamFigures(_) | Input::Forecasts | Input::Org | Input::History => metrics,
        Input::Dated(kind) => kinds.contains(kind),
        Input::Kind(kind) => kinds.contains(kind),
        // The ids of the notes of a kind: a note whose kind changed
        // changed the lists too.
        Input::Members(kind) => !same_lists && kinds.contains(kind),
        Input::Teams | Input::TagList | Input::Tag(_) => !same_lists,
        Input::NoteAt(path) => paths.contains(path.as_str()),
        // Cheap: always.
        Input::Site | Input::Diagnostics | Input::LeftOut => true,
        // A note's: listed under it, never here.
        Input::Note(_)
        | Input::Link(_)
        | Input::Row(_)
        | Input::Backlinks(_)
        | Input::About(_)
        | Input::DealsOf(_)
        | Input::RepFigures(_)
        | Input::DealFigures(_)
        | Input::DealChanges(_) => true,
    }
}

/// The note an input names, if any.
fn named_note(k: &Input<String>) -> Option<&str> {
    match k {
        Input::Note(n)
        | Input::Link(n)
        | Input::Row(n)
        | Input::Backlinks(n)
        | Input::About(n)
        | Input::DealsOf(n)
        | Input::RepFigures(n)
        | Input::DealFigures(n)
        | Input::DealChanges(n) => Some(n.as_str()),
        Input::Site
        | Input::TeamFigures(_)
        | Input::Teams
        | Input::Forecasts
        | Input::Org
        | Input::History
        | Input::TagList
        | Input::Tag(_)
        | Input::Kind(_)
        | Input::Members(_)
        | Input::Dated(_)
        | Input::NoteAt(_)
        | Input::Diagnostics
        | Input::LeftOut => None,
    }
}

/// Each note's [`Lists::key_of`], by position.
fn list_keys(site: &crate::model::Site) -> Vec<u64> {
    site.notes.par_iter().map(Lists::key_of).collect()
}

fn renderer<'a>(
    a: &'a Analysis,
    theme: &'a Theme,
    live_reload: bool,
    lists: Option<Arc<Lists>>,
) -> Renderer<'a> {
    let lists = lists.unwrap_or_else(|| Arc::new(Lists::of(&a.site)));
    let (site, links, metrics) = (&a.site, &a.links, &a.metrics);
    let mut r = Renderer::with_lists(site, links, metrics, &a.config, theme, &a.diags, lists);
    r.live_reload = live_reload;
    r
}

impl Memo {
    /// The files at these (site-relative) paths read differently now.
    pub fn bump(&mut self, dirty: &HashSet<String>) {
        for p in dirty {
            self.next_rev += 1;
            self.revs.insert(p.clone(), self.next_rev);
        }
    }

    /// The note fingerprints of the analysis last recorded, by note
    /// position (`None` after a check that no record followed).
    pub fn recorded_fps(&self) -> Option<&[u64]> {
        self.prev.as_ref().map(|p| p.fps.as_slice())
    }

    fn rev(&self, n: &Note) -> u64 {
        self.revs.get(&n.path).copied().unwrap_or(0)
    }

    /// The pages of `a` whose inputs changed since they were rendered,
    /// and whether the search index, `metrics.json` (`metrics_changed`)
    /// and the set of pages changed. `in_place`: `a` has the same notes
    /// at the same positions with the same ids as the analysis last
    /// recorded (then only the inputs that can have changed are looked
    /// at: see the module). `resolved`, in place: the only notes whose
    /// fingerprint can have changed since (those saved, and those the
    /// link stage resolved again); `None`: any.
    pub fn stale(
        &mut self,
        a: &Analysis,
        theme: &Theme,
        live_reload: bool,
        metrics_changed: bool,
        in_place: bool,
        resolved: Option<&[NoteIdx]>,
    ) -> Partial {
        let count = a.site.notes.len();
        let prev = self
            .prev
            .take()
            .filter(|p| in_place && p.fps.len() == count && self.last.len() == self.keys.len());
        // The lists: the last ones while no note resolved again changed
        // what they read (in place, every other note is as it was).
        let site = &a.site;
        let (lists, list_keys) = match (&prev, resolved) {
            (Some(p), Some(resolved)) => {
                let mut keys = p.list_keys.clone();
                for i in resolved.iter().filter(|i| **i < count) {
                    keys[*i] = Lists::key_of(&site.notes[*i]);
                }
                let same = resolved.iter().all(|i| keys.get(*i) == p.list_keys.get(*i));
                let lists = if same {
                    debug_assert!(*p.lists == Lists::of(site), "the lists changed");
                    p.lists.clone()
                } else {
                    Arc::new(Lists::of(site))
                };
                (lists, keys)
            }
            _ => (Arc::new(Lists::of(site)), list_keys(site)),
        };
        let r = renderer(a, theme, live_reload, Some(lists));
        let notes = match (&prev, resolved) {
            // Every other note keeps the fingerprint it had.
            (Some(p), Some(resolved)) => {
                let mut fps = p.fps.clone();
                for i in resolved.iter().filter(|i| **i < count) {
                    fps[*i] = note_fingerprint(
                        &a.site.notes,
                        &a.site.notes[*i],
                        self.rev(&a.site.notes[*i]),
                    );
                }
                debug_assert!(
                    fps == note_fingerprints(&r, &|n| self.rev(n)),
                    "a note not resolved again changed its fingerprint"
                );
                fps
            }
            _ => note_fingerprints(&r, &|n| self.rev(n)),
        };
        let listing = self.listing.take();
        let touched: Option<Vec<Touched>> = prev.as_ref().map(|p| {
            let same_lists = Arc::ptr_eq(&r.lists, &p.lists);
            let every = || -> Vec<Touched> {
                (0..notes.len())
                    .into_par_iter()
                    .map(|i| Touched {
                        note: notes[i] != p.fps[i],
                        lists: a.links.backlinks.get(i) != p.backlinks.get(i)
                            || !same_lists
                                && (r.lists.about.get(i) != p.lists.about.get(i)
                                    || r.lists.deals_of.get(i) != p.lists.deals_of.get(i)),
                    })
                    .collect()
            };
            match (resolved, &a.links.changed) {
                // Only the notes resolved again can have a new fingerprint,
                // and only those whose backlinks the link stage changed new
                // backlinks: the rest are not looked at.
                (Some(resolved), Some(changed)) if same_lists => {
                    let mut t = vec![Touched::default(); notes.len()];
                    for i in resolved.iter().filter(|i| **i < count) {
                        t[*i].note = notes[*i] != p.fps[*i];
                    }
                    for j in changed.iter().filter(|j| **j < count) {
                        t[*j].lists = a.links.backlinks.get(*j) != p.backlinks.get(*j);
                    }
                    debug_assert!(
                        t.iter()
                            .zip(every())
                            .all(|(a, b)| (a.note, a.lists) == (b.note, b.lists)),
                        "a note not resolved again, or whose backlinks did not change, was touched"
                    );
                    t
                }
                _ => every(),
            }
        });
        let (now, moved): (Vec<u64>, Option<Vec<u32>>) = match (&prev, &touched) {
            (Some(p), Some(touched)) => {
                let (now, moved) = self.check_some(a, &r, &notes, p, touched, metrics_changed);
                (now, Some(moved))
            }
            _ => (self.check_all(a, &r, &notes), None),
        };
        // The pages, and their paths: those of the last check when the
        // site has the same pages (but for the notes that changed, whose
        // URL follows their kind).
        // The same lists in place: the same pages (they follow the lists,
        // the notes' kinds and the configuration).
        let same_lists = prev
            .as_ref()
            .is_some_and(|p| Arc::ptr_eq(&r.lists, &p.lists));
        // Whether the page at a position is stale (new, or an input
        // changed since it was rendered), and whether it is new.
        let (inputs, pages) = (&self.inputs, &self.pages);
        let check = |slot: u32| -> (bool, bool) {
            match inputs.get(slot as usize) {
                Some(read) if slot != NONE => {
                    let fresh = (read.iter()).all(|(k, then)| now.get(*k as usize) == Some(then));
                    (false, !fresh)
                }
                _ => (true, true),
            }
        };
        let every = |paths: &[String]| -> Vec<(bool, bool)> {
            (paths.par_iter())
                .map(|path| check(pages.get(path).copied().unwrap_or(NONE)))
                .collect()
        };
        let (listing, found): (Listing, Vec<usize>) = match (listing, &touched, moved) {
            (Some(mut l), Some(touched), Some(moved)) if same_lists || l.jobs == r.jobs() => {
                debug_assert!(l.jobs == r.jobs(), "the same lists, other pages");
                // Only the pages reading an input that changed, and those
                // at a new path or new at the last check, can be stale:
                // every other page read what it reads now (each page
                // recorded read the fingerprints of the check before).
                let mut look: FxHashSet<usize> = FxHashSet::default();
                for pos in 0..l.jobs.len() {
                    if let Job::Note(i) | Job::Pipeline(i) = l.jobs[pos] {
                        if touched.get(i).is_some_and(|t| t.note) {
                            let path = r.output_path(&l.jobs[pos]);
                            if path != l.paths[pos] {
                                l.paths[pos] = path;
                                let slot = pages.get(&l.paths[pos]).copied().unwrap_or(NONE);
                                l.place(pos, slot);
                                look.insert(pos);
                            }
                        }
                    }
                }
                let unsure: Vec<usize> =
                    (0..l.slots.len()).filter(|p| l.slots[*p] == NONE).collect();
                for pos in unsure {
                    let slot = pages.get(&l.paths[pos]).copied().unwrap_or(NONE);
                    l.place(pos, slot);
                    look.insert(pos);
                }
                for k in moved {
                    for slot in self.readers.get(k as usize).into_iter().flatten() {
                        if let Some(pos) = l.at.get(*slot as usize).filter(|p| **p != NONE) {
                            look.insert(*pos as usize);
                        }
                    }
                }
                let mut found: Vec<usize> = look
                    .into_iter()
                    .filter(|pos| check(l.slots[*pos]).1)
                    .collect();
                found.sort_unstable();
                debug_assert!(
                    found
                        == (every(&l.paths).iter().enumerate())
                            .filter(|(_, (_, stale))| *stale)
                            .map(|(pos, _)| pos)
                            .collect::<Vec<_>>(),
                    "a page stale that no changed input names, or the other way"
                );
                (l, found)
            }
            _ => {
                let jobs = r.jobs();
                let paths: Vec<String> = jobs.iter().map(|j| r.output_path(j)).collect();
                let l = Listing::new(jobs, paths, pages);
                let found = (0..l.slots.len())
                    .into_par_iter()
                    .filter(|pos| check(l.slots[*pos]).1)
                    .collect();
                (l, found)
            }
        };
        let new_page = found.iter().any(|pos| listing.slots[*pos] == NONE);
        let stale: HashSet<Job> = found.iter().map(|pos| listing.jobs[*pos].clone()).collect();
        let jobs = &listing.jobs;
        let same_pages = !new_page && jobs.len() == self.pages.len();
        let search = match &prev {
            Some(p) => notes != p.fps,
            None => {
                self.notes.len() != a.site.notes.len()
                    || a.site
                        .notes
                        .iter()
                        .zip(&notes)
                        .any(|(n, fp)| self.notes.get(&n.id) != Some(fp))
            }
        };
        let changed = touched.map(|t| (0..t.len()).filter(|i| t[*i].note).collect());
        self.last = now;
        self.listing = Some(listing);
        let before = prev.map(|p| (p.kinds, p.backlinks));
        self.checked = Some(Checked {
            fps: notes,
            same_pages,
            changed,
            lists: r.lists.clone(),
            list_keys,
            before,
        });
        Partial {
            jobs: stale,
            search,
            metrics: metrics_changed,
            pages: !same_pages,
            lists: Some(r.lists),
        }
    }

    /// Every input recorded, fingerprinted now (in parallel).
    fn check_all(&self, a: &Analysis, r: &Renderer, notes: &[u64]) -> Vec<u64> {
        let by_id: FxHashMap<&str, NoteIdx> = a
            .site
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        // An input's fingerprint now (0 when a note it names is gone).
        let current = |k: &Input<String>| -> u64 {
            let absent = Cell::new(false);
            let at = k.clone().map(|id| {
                by_id.get(id.as_str()).copied().unwrap_or_else(|| {
                    absent.set(true);
                    0
                })
            });
            if absent.get() {
                0
            } else {
                fingerprint(r, notes, &at)
            }
        };
        self.keys.par_iter().map(current).collect()
    }

    /// The inputs recorded, fingerprinted now where they can have changed
    /// since `prev` (the analysis last recorded, the same notes at the
    /// same positions), kept where they cannot.
    fn check_some(
        &mut self,
        a: &Analysis,
        r: &Renderer,
        notes: &[u64],
        prev: &Prev,
        touched: &[Touched],
        metrics_changed: bool,
    ) -> (Vec<u64>, Vec<u32>) {
        // The lists were kept: nothing they hold changed.
        let same_lists = Arc::ptr_eq(&r.lists, &prev.lists);
        let mut kinds: Vec<Kind> = Vec::new();
        let mut paths: FxHashSet<&str> = FxHashSet::default();
        let mut due: Vec<(u32, NoteIdx)> = Vec::new();
        for (i, (n, t)) in a.site.notes.iter().zip(touched).enumerate() {
            if t.note {
                for k in [prev.kinds[i], n.kind] {
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
                paths.insert(n.path.as_str());
            }
            if !(t.note || t.lists || metrics_changed) {
                continue;
            }
            for key in self.note_keys.get(&n.id).into_iter().flatten() {
                if note_input_due(&self.keys[*key as usize], *t, metrics_changed) {
                    due.push((*key, i));
                }
            }
        }
        let shared: Vec<u32> = self
            .shared_keys
            .iter()
            .copied()
            .filter(|k| {
                let k = &self.keys[*k as usize];
                shared_input_due(k, &kinds, metrics_changed, same_lists, &paths)
            })
            .collect();
        let at_note = |key: u32, i: NoteIdx| {
            let k = self.keys[key as usize].clone().map(|_| i);
            (key, fingerprint(r, notes, &k))
        };
        let at_site = |key: u32| {
            let k = self.keys[key as usize].clone().map(|_| 0);
            (key, fingerprint(r, notes, &k))
        };
        let found: Vec<(u32, u64)> = due
            .par_iter()
            .map(|(key, i)| at_note(*key, *i))
            .chain(shared.par_iter().map(|key| at_site(*key)))
            .collect();
        let mut now = std::mem::take(&mut self.last);
        let mut moved = Vec::new();
        for (key, fp) in found {
            if now[key as usize] != fp {
                now[key as usize] = fp;
                moved.push(key);
            }
        }
        // Every input left out would have fingerprinted as it did.
        debug_assert!(
            now == self.check_all(a, r, notes),
            "an input changed that the in-place check did not look at"
        );
        (now, moved)
    }

    /// Keeps what the pages just rendered from `a` read (`all`: every page
    /// was rendered, so pages not among them are gone).
    pub fn record(
        &mut self,
        a: &Analysis,
        theme: &Theme,
        live_reload: bool,
        rendered: Vec<(String, Vec<Input>)>,
        all: bool,
    ) {
        // The analysis `stale` just checked (the same notes): its
        // fingerprints and lists, and whether any page came or went.
        let checked = (self.checked.take()).filter(|c| !all && c.fps.len() == a.site.notes.len());
        let lists = checked.as_ref().map(|c| c.lists.clone());
        let r = renderer(a, theme, live_reload, lists);
        let (notes, same_pages, changed, list_keys, before) = match checked {
            Some(c) => (c.fps, c.same_pages, c.changed, c.list_keys, c.before),
            None => {
                let fps = note_fingerprints(&r, &|n| self.rev(n));
                (fps, false, None, list_keys(&a.site), None)
            }
        };
        let id = |i: NoteIdx| a.site.notes[i].id.clone();
        if all {
            self.pages.clear();
            self.inputs.clear();
            self.free.clear();
            self.readers.clear();
            self.keys.clear();
            self.key_of.clear();
            self.last.clear();
            self.note_keys.clear();
            self.shared_keys.clear();
            self.listing = None;
        } else if !same_pages {
            let paths: HashSet<String> = r.jobs().iter().map(|j| r.output_path(j)).collect();
            let (inputs, free, listing) = (&mut self.inputs, &mut self.free, &mut self.listing);
            self.pages.retain(|p, slot| {
                let keep = paths.contains(p);
                if !keep {
                    inputs[*slot as usize] = Vec::new();
                    free.push(*slot);
                    // No longer at a position of the listing.
                    if let Some(at) = listing.as_mut().and_then(|l| l.at.get_mut(*slot as usize)) {
                        *at = NONE;
                    }
                }
                keep
            });
        }
        // Every key has a fingerprint of `a` (`stale` just set those of
        // the keys it had): a key the pages read first gets it now.
        self.last.resize(self.keys.len(), 0);
        let mut cache: FxHashMap<Input, u64> = FxHashMap::default();
        for (path, inputs) in rendered {
            let kept = inputs
                .into_iter()
                .map(|k| {
                    let fp = *cache
                        .entry(k.clone())
                        .or_insert_with(|| fingerprint(&r, &notes, &k));
                    let k = k.map(id);
                    let key = match self.key_of.get(&k) {
                        Some(key) => *key,
                        None => {
                            let key = self.keys.len() as u32;
                            match named_note(&k) {
                                Some(n) => {
                                    self.note_keys.entry(n.to_string()).or_default().push(key)
                                }
                                None => self.shared_keys.push(key),
                            }
                            self.keys.push(k.clone());
                            self.key_of.insert(k, key);
                            self.last.push(fp);
                            key
                        }
                    };
                    self.last[key as usize] = fp;
                    (key, fp)
                })
                .collect::<Vec<(u32, u64)>>();
            let slot = match self.pages.get(&path) {
                Some(slot) => *slot,
                None => {
                    let slot = self.free.pop().unwrap_or_else(|| {
                        self.inputs.push(Vec::new());
                        (self.inputs.len() - 1) as u32
                    });
                    self.pages.insert(path, slot);
                    slot
                }
            };
            // The page is listed under each key it reads that it did not
            // read before.
            self.readers.resize(self.keys.len(), Vec::new());
            let before = std::mem::replace(&mut self.inputs[slot as usize], kept);
            let read_before: FxHashSet<u32> = before.iter().map(|(k, _)| *k).collect();
            for (k, _) in &self.inputs[slot as usize] {
                if !read_before.contains(k) {
                    self.readers[*k as usize].push(slot);
                }
            }
        }
        // In place, only the notes whose fingerprint changed can have
        // another kind, and only those the link stage names new backlinks.
        let (kinds, backlinks) = match (before, &changed, &a.links.changed) {
            (Some((mut kinds, mut backlinks)), Some(fp_changed), Some(bl_changed)) => {
                for i in fp_changed {
                    kinds[*i] = a.site.notes[*i].kind;
                }
                for j in bl_changed {
                    backlinks[*j].clone_from(&a.links.backlinks[*j]);
                }
                debug_assert!(
                    kinds.iter().zip(&a.site.notes).all(|(k, n)| *k == n.kind)
                        && backlinks == a.links.backlinks,
                    "the kinds or backlinks patched differ"
                );
                (kinds, backlinks)
            }
            _ => (
                a.site.notes.iter().map(|n| n.kind).collect(),
                a.links.backlinks.clone(),
            ),
        };
        self.prev = Some(Prev {
            fps: notes.clone(),
            kinds,
            backlinks,
            lists: r.lists,
            list_keys,
        });
        match changed {
            // The same ids as last recorded: only the fingerprints that
            // changed (not a map of every id made again).
            Some(changed) => {
                for i in changed {
                    self.notes.insert(a.site.notes[i].id.clone(), notes[i]);
                }
            }
            None => {
                self.notes = a
                    .site
                    .notes
                    .iter()
                    .zip(notes)
                    .map(|(n, fp)| (n.id.clone(), fp))
                    .collect();
            }
        }
    }
}

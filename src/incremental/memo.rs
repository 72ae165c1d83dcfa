//! Which pages an edit touches, asked of the views themselves: every page
//! rendered leaves the inputs its view read ([`Input`]) with their
//! fingerprints; after an edit, a page is rendered again only when one of
//! those inputs fingerprints differently now (or the page is new). No rule
//! here says what a page depends on: a view that reads one more field
//! reads it through the recorder, and the page follows it.

use crate::build::{Analysis, Partial};
use crate::model::{Note, NoteIdx};
use crate::render::inputs::{fingerprint, note_fingerprints, Input};
use crate::render::theme::Theme;
use crate::render::{Job, Renderer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::collections::HashSet;

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
    /// Output path -> the inputs its page read and their fingerprints then.
    pages: FxHashMap<String, Vec<(u32, u64)>>,
    /// Note id -> fingerprint, for the search index.
    notes: FxHashMap<String, u64>,
    /// The note fingerprints [`Memo::stale`] computed, for the
    /// [`Memo::record`] of the same analysis that follows it, and whether
    /// the site had the same pages.
    checked: Option<(Vec<u64>, bool)>,
}

fn renderer<'a>(a: &'a Analysis, theme: &'a Theme, live_reload: bool) -> Renderer<'a> {
    let mut r = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, theme, &a.diags);
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

    fn rev(&self, n: &Note) -> u64 {
        self.revs.get(&n.path).copied().unwrap_or(0)
    }

    /// The pages of `a` whose inputs changed since they were rendered,
    /// and whether the search index, `metrics.json` (`metrics_changed`)
    /// and the set of pages changed.
    pub fn stale(
        &mut self,
        a: &Analysis,
        theme: &Theme,
        live_reload: bool,
        metrics_changed: bool,
    ) -> Partial {
        let r = renderer(a, theme, live_reload);
        let notes = note_fingerprints(&r, &|n| self.rev(n));
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
                fingerprint(&r, &notes, &at)
            }
        };
        // Every input recorded, fingerprinted now (in parallel).
        let now: Vec<u64> = self.keys.par_iter().map(current).collect();
        let mut jobs: HashSet<Job> = HashSet::new();
        let (mut pages, mut new_page) = (0, false);
        for job in r.jobs() {
            pages += 1;
            let fresh = match self.pages.get(&r.output_path(&job)) {
                None => {
                    new_page = true;
                    false
                }
                Some(inputs) => inputs
                    .iter()
                    .all(|(k, then)| now.get(*k as usize) == Some(then)),
            };
            if !fresh {
                jobs.insert(job);
            }
        }
        let same_pages = !new_page && pages == self.pages.len();
        let search = self.notes.len() != a.site.notes.len()
            || a.site
                .notes
                .iter()
                .zip(&notes)
                .any(|(n, fp)| self.notes.get(&n.id) != Some(fp));
        self.checked = Some((notes, same_pages));
        Partial {
            jobs,
            search,
            metrics: metrics_changed,
            pages: !same_pages,
        }
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
        let r = renderer(a, theme, live_reload);
        // The analysis `stale` just checked (the same notes): its
        // fingerprints, and whether any page came or went.
        let (notes, same_pages) = match self.checked.take() {
            Some((fps, same)) if !all && fps.len() == a.site.notes.len() => (fps, same),
            _ => (note_fingerprints(&r, &|n| self.rev(n)), false),
        };
        let id = |i: NoteIdx| a.site.notes[i].id.clone();
        if all {
            self.pages.clear();
            self.keys.clear();
            self.key_of.clear();
        } else if !same_pages {
            let paths: HashSet<String> = r.jobs().iter().map(|j| r.output_path(j)).collect();
            self.pages.retain(|p, _| paths.contains(p));
        }
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
                            self.keys.push(k.clone());
                            self.key_of.insert(k, key);
                            key
                        }
                    };
                    (key, fp)
                })
                .collect();
            self.pages.insert(path, kept);
        }
        self.notes = a
            .site
            .notes
            .iter()
            .zip(notes)
            .map(|(n, fp)| (n.id.clone(), fp))
            .collect();
    }
}

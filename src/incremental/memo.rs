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
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Cell;
use std::collections::HashSet;

/// What the last renders read, by output path.
#[derive(Default)]
pub struct Memo {
    /// Note path -> the version of its file's content.
    revs: FxHashMap<String, u64>,
    next_rev: u64,
    /// Output path -> the inputs its page read (notes by id) and their
    /// fingerprints then.
    pages: FxHashMap<String, Vec<(Input<String>, u64)>>,
    /// Note id -> fingerprint, for the search index.
    notes: FxHashMap<String, u64>,
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
        &self,
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
        let jobs_and_paths: Vec<(Job, String)> = r
            .jobs()
            .into_iter()
            .map(|j| {
                let p = r.output_path(&j);
                (j, p)
            })
            .collect();
        // Every input the current pages read last time, fingerprinted now
        // (once each, in parallel).
        let mut keys: FxHashSet<&Input<String>> = FxHashSet::default();
        for (_, path) in &jobs_and_paths {
            if let Some(inputs) = self.pages.get(path) {
                keys.extend(inputs.iter().map(|(k, _)| k));
            }
        }
        let keys: Vec<&Input<String>> = keys.into_iter().collect();
        let now: FxHashMap<&Input<String>, u64> =
            keys.par_iter().map(|k| (*k, current(k))).collect();
        let mut jobs: HashSet<Job> = HashSet::new();
        let mut same_pages = jobs_and_paths.len() == self.pages.len();
        for (job, path) in jobs_and_paths {
            let fresh = match self.pages.get(&path) {
                None => {
                    same_pages = false;
                    false
                }
                Some(inputs) => inputs.iter().all(|(k, then)| now.get(k) == Some(then)),
            };
            if !fresh {
                jobs.insert(job);
            }
        }
        let search = self.notes.len() != a.site.notes.len()
            || a.site
                .notes
                .iter()
                .zip(&notes)
                .any(|(n, fp)| self.notes.get(&n.id) != Some(fp));
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
        let notes = note_fingerprints(&r, &|n| self.rev(n));
        let id = |i: NoteIdx| a.site.notes[i].id.clone();
        if all {
            self.pages.clear();
        } else {
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
                    (k.map(id), fp)
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

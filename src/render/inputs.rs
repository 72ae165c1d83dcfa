//! The inputs a page reads ([`Input`], recorded by `views::Cx` as a view
//! is built) and their fingerprints: a page whose inputs all have the
//! fingerprints they had when it was last rendered renders the same, so
//! `serve` skips it.

use super::Renderer;
use crate::model::{Kind, Note, NoteIdx};
use std::hash::{Hash, Hasher};

/// One thing a page reads. `N` names a note: its index while rendering,
/// its id between rebuilds (indices shift when notes come and go).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input<N = NoteIdx> {
    /// What every page shows: the site view (title, base, as-of date,
    /// fiscal year, the navigation's teams) and live reload.
    Site,
    /// Every field of a note (its file, id, title, validity and what its
    /// references and links resolve to).
    Note(N),
    /// A note's title, URL, kind and id (a link to it).
    Link(N),
    /// A note's row in the note tables.
    Row(N),
    /// The notes that link to a note.
    Backlinks(N),
    /// The interactions and preps about a rep or deal.
    About(N),
    /// A rep's deals.
    DealsOf(N),
    RepFigures(N),
    DealFigures(N),
    TeamFigures(String),
    /// Every team and its reps.
    Teams,
    /// Every forecast's figures.
    Forecasts,
    /// The company's figures, scorecard and fiscal year.
    Org,
    /// The comparison with the snapshot at `since` (`metrics.changes`:
    /// the deal changes, the waterfall, the figures then), or why there
    /// is none.
    History,
    /// One deal's changes since `since` (and `since`), when there is a
    /// comparison: what its page shows, so an edit to another deal does
    /// not render every deal page again.
    DealChanges(N),
    /// Every tag with its name and notes.
    TagList,
    /// One tag's name and notes.
    Tag(String),
    /// Which notes have this kind, and every field of each.
    Kind(Kind),
    /// Which notes have this kind (ids, in order).
    Members(Kind),
    /// Of each note of this kind: whether it is valid, its date and the
    /// rep it is about (what lists of the latest notes select by).
    Dated(Kind),
    /// The title and URL of the note at a path (if any).
    NoteAt(String),
    /// The diagnostics (but the render errors, which follow the pages).
    Diagnostics,
    /// The notes left out of the figures.
    LeftOut,
}

impl<N> Input<N> {
    /// The same input with its note named another way.
    pub fn map<M>(self, f: impl FnOnce(N) -> M) -> Input<M> {
        match self {
            Input::Site => Input::Site,
            Input::Note(n) => Input::Note(f(n)),
            Input::Link(n) => Input::Link(f(n)),
            Input::Row(n) => Input::Row(f(n)),
            Input::Backlinks(n) => Input::Backlinks(f(n)),
            Input::About(n) => Input::About(f(n)),
            Input::DealsOf(n) => Input::DealsOf(f(n)),
            Input::RepFigures(n) => Input::RepFigures(f(n)),
            Input::DealFigures(n) => Input::DealFigures(f(n)),
            Input::TeamFigures(t) => Input::TeamFigures(t),
            Input::Teams => Input::Teams,
            Input::Forecasts => Input::Forecasts,
            Input::Org => Input::Org,
            Input::History => Input::History,
            Input::DealChanges(n) => Input::DealChanges(f(n)),
            Input::TagList => Input::TagList,
            Input::Tag(t) => Input::Tag(t),
            Input::Kind(k) => Input::Kind(k),
            Input::Members(k) => Input::Members(k),
            Input::Dated(k) => Input::Dated(k),
            Input::NoteAt(p) => Input::NoteAt(p),
            Input::Diagnostics => Input::Diagnostics,
            Input::LeftOut => Input::LeftOut,
        }
    }
}

/// A hasher fed by `Debug` output, for values that hold floats.
struct DebugHash<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl std::fmt::Write for DebugHash<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

fn hasher() -> std::collections::hash_map::DefaultHasher {
    std::collections::hash_map::DefaultHasher::new()
}

fn debug_fp(v: &impl std::fmt::Debug) -> u64 {
    use std::fmt::Write;
    let mut h = hasher();
    let _ = write!(DebugHash(&mut h), "{v:?}");
    h.finish()
}

fn fp(v: &impl Hash) -> u64 {
    let mut h = hasher();
    v.hash(&mut h);
    h.finish()
}

/// Every note's fingerprint: `revision` names the version of its file's
/// content (it changes whenever the file is read differently); the rest
/// is what later stages set: id, title, validity, and the ids its
/// references and links resolve to.
pub fn note_fingerprints(r: &Renderer, revision: &(dyn Fn(&Note) -> u64 + Sync)) -> Vec<u64> {
    use rayon::prelude::*;
    let notes = &r.site.notes;
    (notes.par_iter())
        .map(|n| note_fingerprint(notes, n, revision(n)))
        .collect()
}

/// The fingerprint of `n`, one of `notes` ([`note_fingerprints`]), whose
/// file's content has the version `revision`.
pub fn note_fingerprint(notes: &[Note], n: &Note, revision: u64) -> u64 {
    let targets: Vec<Option<&str>> = n
        .refs()
        .into_iter()
        .map(|x| x.resolved)
        .chain(n.all_links().map(|l| l.resolved))
        .map(|t| t.map(|j| notes[j].id.as_str()))
        .collect();
    // What else the link stage decides about a link: the file it
    // leads to, the heading it found, whether it is broken.
    let decided: Vec<(Option<&str>, Option<&str>, bool)> = n
        .all_links()
        .map(|l| (l.attachment(), l.heading_id(), l.broken))
        .collect();
    fp(&(
        revision, &n.path, &n.id, &n.title, n.valid, n.kind, targets, decided,
    ))
}

/// The fingerprint of an input in the state `r` renders (`notes`: from
/// [`note_fingerprints`]). An absent note fingerprints as 0.
pub fn fingerprint(r: &Renderer, notes: &[u64], input: &Input) -> u64 {
    let site = r.site;
    let id = |i: &NoteIdx| site.notes[*i].id.as_str();
    let ids = |v: &[NoteIdx]| v.iter().map(&id).collect::<Vec<_>>();
    match input {
        Input::Site => fp(&(r.site_view.to_string(), r.live_reload)),
        Input::Note(i) => notes[*i],
        Input::Link(i) => {
            let n = &site.notes[*i];
            fp(&(&n.id, &n.title, n.url_path(), n.kind))
        }
        // What `views::note_row` reads (the base path is the
        // configuration's: a change of it renders every page).
        Input::Row(i) => {
            let n = &site.notes[*i];
            fp(&(
                n.url_path(),
                &n.title,
                n.valid,
                n.kind,
                n.list_date(),
                &n.tags,
            ))
        }
        Input::Backlinks(i) => fp(&ids(&r.links.backlinks[*i])),
        Input::About(i) => fp(&ids(&r.lists.about[*i])),
        Input::DealsOf(i) => fp(&ids(&r.lists.deals_of[*i])),
        Input::RepFigures(i) => debug_fp(&r.metrics.reps.get(*i)),
        Input::DealFigures(i) => debug_fp(&r.metrics.deals.get(*i).map(|m| {
            // Indices shift when notes come and go: the owner by id.
            let owner = m.owner_idx.map(|o| id(&o));
            let mut m = m.clone();
            m.note = 0;
            m.owner_idx = None;
            (m, owner)
        })),
        Input::TeamFigures(t) => debug_fp(&r.metrics.teams.get(t)),
        Input::Teams => fp(&r
            .lists
            .teams
            .iter()
            .map(|(t, reps)| (t, ids(reps)))
            .collect::<Vec<_>>()),
        Input::Forecasts => debug_fp(
            &r.metrics
                .forecasts
                .iter()
                .map(|f| {
                    let (note, owner) = (id(&f.note_idx), f.owner_rep.as_ref().map(id));
                    let mut f = f.clone();
                    f.note_idx = 0;
                    f.owner_rep = None;
                    (f, note, owner)
                })
                .collect::<Vec<_>>(),
        ),
        Input::Org => debug_fp(&(
            &r.metrics.org,
            &r.metrics.scorecard,
            &r.metrics.fiscal_year,
            r.metrics.as_of,
        )),
        Input::History => debug_fp(&r.metrics.changes),
        Input::DealChanges(i) => debug_fp(&r.metrics.changes.changes().map(|c| {
            let own: Vec<_> = c.deals.iter().filter(|d| d.deal == id(i)).collect();
            let log = (c.log.from, c.log.capped, c.log.deals.get(id(i)));
            (c.since, own, log)
        })),
        Input::TagList => fp(&r
            .lists
            .tags
            .iter()
            .map(|(s, (name, notes))| (s, name, notes.len()))
            .collect::<Vec<_>>()),
        Input::Tag(t) => fp(&r.lists.tags.get(t).map(|(name, notes)| (name, ids(notes)))),
        Input::Kind(k) => fp(&site
            .notes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == *k)
            .map(|(i, _)| notes[i])
            .collect::<Vec<_>>()),
        Input::Members(k) => fp(&site
            .notes
            .iter()
            .filter(|n| n.kind == *k)
            .map(|n| &n.id)
            .collect::<Vec<_>>()),
        Input::Dated(k) => fp(&site
            .notes
            .iter()
            .filter(|n| n.kind == *k)
            .map(|n| {
                let rep = n.rep_ref().and_then(|x| x.resolved).map(|j| id(&j));
                (&n.id, n.valid, n.date, rep)
            })
            .collect::<Vec<_>>()),
        Input::NoteAt(p) => fp(&r.note_at(p).map(|i| {
            let n = &site.notes[i];
            (&n.id, &n.title, n.url_path())
        })),
        Input::Diagnostics => debug_fp(
            &r.diags
                .items
                .iter()
                .filter(|d| d.code != "render-error")
                .collect::<Vec<_>>(),
        ),
        Input::LeftOut => fp(&r.left_out),
    }
}

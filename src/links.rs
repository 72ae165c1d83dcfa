//! Ids, references and `[[wikilinks]]`: resolution and backlinks.
//!
//! A target resolves, in this order (contract, third edition):
//! 1. by id (`jane-doe`, `emea/acme`), as written or in lower case;
//! 2. by path inside `content/` (`[[emea/Acme]]`, with or without `.md`;
//!    a path may leave out leading folders when that leaves one note);
//! 3. by file stem, then by title or name, then by alias, each compared
//!    case-insensitively and Unicode-aware (see `obsidian::fold`): the
//!    first of these that names any note decides.
//!
//! Nothing, or more than one note at the step that decides, is a broken
//! link: a warning with file and line (an error under `--strict`), and the
//! link is rendered visibly broken. A frontmatter reference that must
//! point to a kind of note (a deal's `owner`) picks among the notes of
//! that kind only; a reference to the wrong kind of note is reported and
//! left unresolved. `[[#heading]]` is a link within the note itself. A
//! link to a heading or block the target does not have still goes to the
//! target's page, with a `broken-anchor` warning.
//! Every index here is built in one pass, so resolution is linear in the
//! number of links.

use crate::content::attachments::{Attachments, Found};
use crate::content::fields::did_you_mean;
use crate::content::obsidian::{
    block_anchor, fold, fold_path, heading_anchor, relative_path, strip_md,
};
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Kind, LinkKind, Note, NoteIdx, RefField, Site, Span, WikiLink};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

mod anchors;
mod embed_cycles;
mod index;
mod target;
mod titles;

use anchors::{anchor_on, Anchor};
use embed_cycles::embed_cycles;
pub(crate) use embed_cycles::is_whole_embed;
pub use index::{Index, Lookup, Resolution};
use target::{ambiguous_files, broken, resolve_ref, target_of, Target};
pub(crate) use titles::name_untitled;
use titles::name_untitled_at;

/// The links of a site: who links to whom.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// For each note, the notes that reference it (sorted, no repeats, not itself).
    pub backlinks: Vec<Vec<NoteIdx>>,
    /// After [`resolve_again`] updated the last run's backlinks: the notes
    /// whose backlinks it changed (sorted, once). `None` when every
    /// note's backlinks were made afresh.
    pub changed: Option<Vec<NoteIdx>>,
}

/// One note's resolutions: its frontmatter references (in `refs_mut`
/// order), its body links, and the problems found.
type Resolved = (
    Vec<Option<NoteIdx>>,
    Vec<(Target, Option<String>)>,
    Vec<Diagnostic>,
);

/// Resolves every frontmatter reference and body link of `site` in place,
/// reports the broken ones, fills in a prep's default rep (its deal's
/// owner), and computes backlinks.
pub fn resolve(site: &mut Site, diags: &mut Diagnostics) -> Links {
    let all: Vec<NoteIdx> = (0..site.notes.len()).collect();
    let mut problems = vec![Vec::new(); site.notes.len()];
    let names = Lookup::new(&site.notes);
    record(site, &all, &names, &mut problems);
    diags.extend(embed_cycles(&site.notes));
    set_deal_owners(site, &all);
    // The tables dropped on the other core meanwhile (half a million
    // strings and lists at 100k notes: about 30 ms on one core).
    let ((), links) = rayon::join(move || drop(names), || backlinks(site));
    name_untitled_at(&mut site.notes, &all);
    diags.extend(problems.into_iter().flatten());
    links
}

/// What [`resolve_again`] keeps between saves: each note's own link
/// problems (by position), the tables of ids, paths and names, each
/// note's targets (what its backlinks are made of) and the whole embeds
/// with the cycles they close.
pub struct Kept {
    pub problems: Vec<Vec<Diagnostic>>,
    pub names: Lookup,
    /// Each note's [`targets`], by position.
    targets: Vec<Vec<NoteIdx>>,
    /// The [`whole_embeds`] of the notes that have any.
    embeds: FxHashMap<NoteIdx, Vec<(NoteIdx, Span)>>,
    /// The warnings of [`embed_cycles`] for these embeds.
    cycles: Vec<Diagnostic>,
}

/// [`resolve`], also returning what [`resolve_again`] takes.
pub fn resolve_keeping(site: &mut Site, diags: &mut Diagnostics) -> (Links, Kept) {
    let all: Vec<NoteIdx> = (0..site.notes.len()).collect();
    let mut problems = vec![Vec::new(); site.notes.len()];
    let names = Lookup::new(&site.notes);
    record(site, &all, &names, &mut problems);
    let cycles = embed_cycles(&site.notes);
    diags.extend(cycles.iter().cloned());
    let embeds = site
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| (i, whole_embeds(n)))
        .filter(|(_, e)| !e.is_empty())
        .collect();
    set_deal_owners(site, &all);
    let n = site.notes.len();
    let targets: Vec<Vec<NoteIdx>> = site
        .notes
        .par_iter()
        .enumerate()
        .map(|(i, note)| targets(note, i, n))
        .collect();
    let links = backlinks_of(&targets);
    name_untitled_at(&mut site.notes, &all);
    diags.extend(problems.iter().flatten().cloned());
    let kept = Kept {
        problems,
        names,
        targets,
        embeds,
        cycles,
    };
    (links, kept)
}

/// Resolves again the links and references of the notes `only` (by
/// position), when nothing a link resolves by changed elsewhere: every
/// note keeps its id, path, kind, title if given (or if it is not made
/// up) and aliases, and the attachments are the same (`serve` checks
/// this). `only` must hold every note whose file changed and every note
/// that links to one of them (a link finds headings and blocks on its
/// target). `kept` (from [`resolve_keeping`] or the last
/// `resolve_again`) is updated, and `previous` (the links returned with
/// it) is updated into the links returned; every note's problems are
/// reported in `diags`, with the cycles of embeds.
///
/// Only the notes `only` are looked at (at 100,000 notes, the passes over
/// every note took 30 ms of a save): a note outside `only` keeps its
/// resolutions, so its targets, embeds and prep's default rep are the
/// same as last time (a prep's deal, when its file changed, has the prep
/// among its backlinks, so the prep is in `only`).
pub fn resolve_again(
    site: &mut Site,
    only: &[NoteIdx],
    kept: &mut Kept,
    previous: Links,
    diags: &mut Diagnostics,
) -> Links {
    let n = site.notes.len();
    let only: Vec<NoteIdx> = only.iter().copied().filter(|i| *i < n).collect();
    record(site, &only, &kept.names, &mut kept.problems);
    // The cycles of embeds, found again when an embed changed.
    let mut embeds_changed = false;
    for i in &only {
        let now = whole_embeds(&site.notes[*i]);
        if kept.embeds.get(i).map_or(&[][..], Vec::as_slice) != now.as_slice() {
            embeds_changed = true;
            if now.is_empty() {
                kept.embeds.remove(i);
            } else {
                kept.embeds.insert(*i, now);
            }
        }
    }
    if embeds_changed {
        kept.cycles = embed_cycles(&site.notes);
    }
    diags.extend(kept.cycles.iter().cloned());
    set_deal_owners(site, &only);
    // Backlinks: each note of `only` taken out of its old targets'
    // backlinks and put into its new ones'.
    let mut links = previous;
    let mut changed = Vec::new();
    let afresh = links.backlinks.len() != n || kept.targets.len() != n;
    if afresh {
        // Not the links of the last run: made afresh.
        kept.targets = (site.notes.iter().enumerate())
            .map(|(i, note)| targets(note, i, n))
            .collect();
        links = backlinks_of(&kept.targets);
    }
    for i in &only {
        let now = targets(&site.notes[*i], *i, n);
        let before = std::mem::replace(&mut kept.targets[*i], now);
        let now = &kept.targets[*i];
        for to in before.iter().filter(|t| now.binary_search(t).is_err()) {
            let b = &mut links.backlinks[*to];
            if let Ok(at) = b.binary_search(i) {
                b.remove(at);
                changed.push(*to);
            }
        }
        for to in now.iter().filter(|t| before.binary_search(t).is_err()) {
            let b = &mut links.backlinks[*to];
            if let Err(at) = b.binary_search(i) {
                b.insert(at, *i);
                changed.push(*to);
            }
        }
    }
    changed.sort_unstable();
    changed.dedup();
    links.changed = (!afresh).then_some(changed);
    name_untitled_at(&mut site.notes, &only);
    diags.extend(kept.problems.iter().flatten().cloned());
    links
}

/// What a note's links resolve by, which [`resolve_again`] needs unchanged
/// in every note: its id, path, kind, aliases, and its title when the
/// title is a name (given) or is not made up from its references.
#[derive(Debug, PartialEq)]
pub struct Names {
    id: String,
    path: String,
    kind: Kind,
    aliases: Vec<String>,
    title: Option<(bool, String)>,
}

impl Names {
    pub fn of(n: &Note) -> Names {
        Names {
            id: n.id.clone(),
            path: n.path.clone(),
            kind: n.kind,
            aliases: n.aliases.clone(),
            title: (n.title_given || !titles::made_up(n)).then(|| (n.title_given, n.title.clone())),
        }
    }
}

/// Resolves the notes `only` (positions) of `site` with the id, path and
/// name tables `names` (of these notes) and records the results in them,
/// their problems into `problems`.
fn record(site: &mut Site, only: &[NoteIdx], names: &Lookup, problems: &mut [Vec<Diagnostic>]) {
    // Resolve everything first, reading only (in parallel), then record
    // the results.
    let resolved: Vec<Resolved> = {
        let index = Index::with(&site.notes, std::borrow::Cow::Borrowed(names));
        let notes = &site.notes;
        let attachments = &site.attachments;
        only.par_iter()
            .filter(|me| **me < notes.len())
            .map(|me| resolve_note(*me, &notes[*me], &index, notes, attachments))
            .collect()
    };
    let len = site.notes.len();
    let only = only.iter().filter(|me| **me < len);
    for (me, (refs, links, found)) in only.zip(resolved) {
        let Some(note) = site.notes.get_mut(*me) else {
            continue;
        };
        for ((r, _), to) in note.refs_mut().into_iter().zip(refs) {
            r.resolved = to;
        }
        let links_mut = note
            .links
            .iter_mut()
            .chain(note.property_links.iter_mut().map(|(_, l)| l));
        for (l, (to, heading)) in links_mut.zip(links) {
            l.set_heading_id(heading);
            l.broken = matches!(to, Target::Broken(_) | Target::Files(_));
            let (resolved, attachment) = match to {
                Target::Note(i) => (Some(i), None),
                Target::File(p) => (None, Some(p)),
                Target::AsWritten | Target::Broken(_) | Target::Files(_) => (None, None),
            };
            l.resolved = resolved;
            l.set_attachment(attachment);
        }
        if let Some(p) = problems.get_mut(*me) {
            *p = found;
        }
    }
}

/// A prep without a rep is about its deal's owner: set afresh for the
/// preps among `only` on every run, so a serve rebuild never keeps an
/// owner that changed.
fn set_deal_owners(site: &mut Site, only: &[NoteIdx]) {
    let notes = &site.notes;
    let owners: Vec<(NoteIdx, Option<RefField>)> = only
        .iter()
        .filter_map(|i| match &notes.get(*i)?.data {
            crate::model::NoteData::Prep(p) => {
                let owner = p
                    .deal
                    .resolved
                    .and_then(|d| notes.get(d)?.deal()?.owner.resolved);
                let r = match (&p.rep, owner) {
                    (None, Some(owner)) => {
                        let mut r = RefField::new("rep", notes[owner].id.clone(), Span::default());
                        r.resolved = Some(owner);
                        Some(r)
                    }
                    _ => None,
                };
                Some((*i, r))
            }
            _ => None,
        })
        .collect();
    for (i, r) in owners {
        if let crate::model::NoteData::Prep(p) = &mut site.notes[i].data {
            p.deal_owner = r;
        }
    }
}

/// The whole embeds of a note whose links are resolved (what
/// [`embed_cycles`] reads of it): their targets and places.
fn whole_embeds(note: &Note) -> Vec<(NoteIdx, Span)> {
    note.links
        .iter()
        .filter(|l| is_whole_embed(l))
        .filter_map(|l| l.resolved.map(|to| (to, l.span)))
        .collect()
}

/// One note's resolutions (the note at `me`).
fn resolve_note(
    me: NoteIdx,
    note: &Note,
    index: &Index,
    notes: &[Note],
    attachments: &Attachments,
) -> Resolved {
    let mut found = Vec::new();
    let refs: Vec<Option<NoteIdx>> = note
        .refs_with_kind()
        .into_iter()
        .map(|(r, want)| resolve_ref(r, want, index, notes, &note.path, &mut found))
        .collect();
    // A body with thousands of links resolves each target once,
    // and explains only the first few broken ones in full.
    let mut memo: FxHashMap<(LinkKind, &str), Target> = FxHashMap::default();
    let mut reported = 0;
    // A link's heading on its target: found, found loosely
    // (its id), or a warning.
    let anchor =
        |found: &mut Vec<Diagnostic>, l: &WikiLink, to: &Note| match anchor_on(&note.path, l, to) {
            Anchor::Found => None,
            Anchor::Heading(id) => Some(id),
            Anchor::Broken(d) => {
                found.push(d);
                // The link goes to the top of the page.
                Some(String::new())
            }
        };
    let mut links: Vec<(Target, Option<String>)> =
        Vec::with_capacity(note.links.len() + note.property_links.len());
    let folder = note.content_path().rsplit_once('/').map_or("", |(f, _)| f);
    for l in note.all_links() {
        // `[[#heading]]`: a place in this note.
        if l.target.is_empty() {
            links.push((Target::Note(me), anchor(&mut found, l, note)));
            continue;
        }
        let res = memo
            .entry((l.kind, l.target.as_str()))
            .or_insert_with(|| target_of(index, attachments, folder, l));
        let res = match res {
            Target::Note(i) => {
                let heading = anchor(&mut found, l, &notes[*i]);
                links.push((Target::Note(*i), heading));
                continue;
            }
            Target::File(_) | Target::AsWritten => {
                links.push((res.clone(), None));
                continue;
            }
            Target::Broken(res) => res,
            Target::Files(paths) => {
                links.push((Target::Broken(Resolution::Missing), None));
                found.push(ambiguous_files(&note.path, l, paths));
                continue;
            }
        };
        links.push((Target::Broken(Resolution::Missing), None));
        reported += 1;
        found.push(if reported <= crate::diagnostics::PER_FILE {
            broken(&note.path, l.span, "link", &l.target, res, index, notes)
        } else {
            // Folded into "and N more" when printed.
            Diagnostic::warning(Code::BrokenLink, &note.path, l.span.line, String::new())
        });
    }
    (refs, links, found)
}

/// The notes the note `me` (of `n` notes) references or links to, itself
/// left out, sorted, once.
fn targets(note: &Note, me: NoteIdx, n: usize) -> Vec<NoteIdx> {
    let mut out: Vec<NoteIdx> = note
        .refs()
        .into_iter()
        .filter_map(|r| r.resolved)
        .chain(note.all_links().filter_map(|l| l.resolved))
        .filter(|to| *to != me && *to < n)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Backlinks from each note's [`targets`].
fn backlinks_of(targets: &[Vec<NoteIdx>]) -> Links {
    let mut backlinks: Vec<Vec<NoteIdx>> = vec![Vec::new(); targets.len()];
    for (from, to) in targets.iter().enumerate() {
        for to in to {
            backlinks[*to].push(from);
        }
    }
    Links {
        backlinks,
        changed: None,
    }
}

/// Backlinks among the notes of a site whose links are resolved: each
/// note's referencing and linking notes (itself left out), sorted, once.
pub(crate) fn backlinks(site: &Site) -> Links {
    let mut backlinks: Vec<Vec<NoteIdx>> = vec![Vec::new(); site.notes.len()];
    for (from, note) in site.notes.iter().enumerate() {
        let targets = note
            .refs()
            .into_iter()
            .filter_map(|r| r.resolved)
            .chain(note.all_links().filter_map(|l| l.resolved));
        for to in targets {
            if to != from {
                if let Some(b) = backlinks.get_mut(to) {
                    b.push(from);
                }
            }
        }
    }
    for b in backlinks.iter_mut() {
        b.sort_unstable();
        b.dedup();
    }
    Links {
        backlinks,
        changed: None,
    }
}

#[cfg(test)]
mod tests;

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
    let links = resolve_notes(site, &all, &names, &mut problems, diags);
    diags.extend(problems.into_iter().flatten());
    links
}

/// What [`resolve_again`] keeps between saves: each note's own link
/// problems (by position) and the tables of paths and names.
pub struct Kept {
    pub problems: Vec<Vec<Diagnostic>>,
    pub names: Lookup,
}

/// [`resolve`], also returning what [`resolve_again`] takes.
pub fn resolve_keeping(site: &mut Site, diags: &mut Diagnostics) -> (Links, Kept) {
    let all: Vec<NoteIdx> = (0..site.notes.len()).collect();
    let mut problems = vec![Vec::new(); site.notes.len()];
    let names = Lookup::new(&site.notes);
    let links = resolve_notes(site, &all, &names, &mut problems, diags);
    diags.extend(problems.iter().flatten().cloned());
    (links, Kept { problems, names })
}

/// Resolves again the links and references of the notes `only` (by
/// position), when nothing a link resolves by changed elsewhere: every
/// note keeps its id, path, kind, title if given (or if it is not made
/// up) and aliases, and the attachments are the same (`serve` checks
/// this). `only` must hold every note whose file changed and every note
/// that links to one of them (a link finds headings and blocks on its
/// target). `kept` (from [`resolve_keeping`] or the last
/// `resolve_again`) is updated; every note's problems are reported in
/// `diags`, with the cycles of embeds.
pub fn resolve_again(
    site: &mut Site,
    only: &[NoteIdx],
    kept: &mut Kept,
    diags: &mut Diagnostics,
) -> Links {
    let links = resolve_notes(site, only, &kept.names, &mut kept.problems, diags);
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

/// Resolves the notes `only` (sorted positions) of `site` with the path
/// and name tables `names` (of these notes), their problems
/// into `problems`, then what depends on every note: the cycles of embeds
/// (into `diags`), preps' default reps, backlinks, and the made-up titles
/// of `only`.
fn resolve_notes(
    site: &mut Site,
    only: &[NoteIdx],
    names: &Lookup,
    problems: &mut [Vec<Diagnostic>],
    diags: &mut Diagnostics,
) -> Links {
    // Resolve everything first, reading only (in parallel), then record
    // the results.
    let only: Vec<NoteIdx> = only
        .iter()
        .copied()
        .filter(|i| *i < site.notes.len())
        .collect();
    let resolved: Vec<Resolved> = {
        let index = Index::with(&site.notes, std::borrow::Cow::Borrowed(names));
        let notes = &site.notes;
        let attachments = &site.attachments;
        only.par_iter()
            .map(|me| resolve_note(*me, &notes[*me], &index, notes, attachments))
            .collect()
    };
    for (me, (refs, links, found)) in only.iter().zip(resolved) {
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
            l.heading_id = heading;
            l.broken = matches!(to, Target::Broken(_) | Target::Files(_));
            (l.resolved, l.attachment) = match to {
                Target::Note(i) => (Some(i), None),
                Target::File(p) => (None, Some(p)),
                Target::AsWritten | Target::Broken(_) | Target::Files(_) => (None, None),
            };
        }
        if let Some(p) = problems.get_mut(*me) {
            *p = found;
        }
    }
    diags.extend(embed_cycles(&site.notes));
    // A prep without a rep is about its deal's owner (set afresh on every
    // run, so a serve rebuild never keeps an owner that changed).
    let owners: Vec<Option<(NoteIdx, String)>> = site
        .notes
        .iter()
        .map(|n| {
            let owner = n.deal()?.owner.resolved?;
            Some((owner, site.notes[owner].id.clone()))
        })
        .collect();
    for note in site.notes.iter_mut() {
        if let crate::model::NoteData::Prep(p) = &mut note.data {
            p.deal_owner = match (&p.rep, p.deal.resolved.and_then(|d| owners[d].clone())) {
                (None, Some((owner, id))) => {
                    let mut r = RefField::new("rep", id, Span::default());
                    r.resolved = Some(owner);
                    Some(r)
                }
                _ => None,
            };
        }
    }

    let links = backlinks(site);
    name_untitled_at(&mut site.notes, &only);
    links
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
    Links { backlinks }
}

#[cfg(test)]
mod tests;

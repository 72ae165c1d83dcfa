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

/// What a target resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Found(NoteIdx),
    Missing,
    Ambiguous(Vec<NoteIdx>),
}

/// Lookup tables from ids, paths and names to notes.
pub struct Index<'n> {
    by_id: FxHashMap<&'n str, NoteIdx>,
    /// Folded path inside `content/` without `.md` (`emea/acme`).
    by_path: FxHashMap<String, NoteIdx>,
    /// Folded file stem, given title or name, alias: the notes of each.
    by_stem: FxHashMap<String, Vec<NoteIdx>>,
    by_title: FxHashMap<String, Vec<NoteIdx>>,
    by_alias: FxHashMap<String, Vec<NoteIdx>>,
    notes: &'n [Note],
}

fn add(map: &mut FxHashMap<String, Vec<NoteIdx>>, key: String, i: NoteIdx) {
    let v = map.entry(key).or_default();
    if v.last() != Some(&i) {
        v.push(i);
    }
}

impl<'n> Index<'n> {
    pub fn new(notes: &'n [Note]) -> Self {
        let cap = notes.len();
        let mut by_id = FxHashMap::with_capacity_and_hasher(cap, Default::default());
        let mut by_path = FxHashMap::with_capacity_and_hasher(cap, Default::default());
        let mut by_stem = FxHashMap::with_capacity_and_hasher(cap, Default::default());
        let mut by_title = FxHashMap::with_capacity_and_hasher(cap, Default::default());
        let mut by_alias = FxHashMap::default();
        for (i, n) in notes.iter().enumerate() {
            by_id.insert(n.id.as_str(), i);
            by_path.insert(fold_path(n.content_path()), i);
            add(&mut by_stem, fold(n.stem()), i);
            // A made-up title is not a name to link by: the file stem is.
            if n.title_given {
                add(&mut by_title, fold(&n.title), i);
            }
            for a in &n.aliases {
                add(&mut by_alias, fold(a), i);
            }
        }
        Index {
            by_id,
            by_path,
            by_stem,
            by_title,
            by_alias,
            notes,
        }
    }

    pub fn resolve(&self, target: &str) -> Resolution {
        self.resolve_where(target, |_| true)
    }

    /// Resolves `target` among the notes `keep` accepts.
    pub fn resolve_where(&self, target: &str, keep: impl Fn(&Note) -> bool) -> Resolution {
        let ok = |i: &NoteIdx| self.notes.get(*i).is_some_and(&keep);
        let t = target.trim();
        if t.is_empty() {
            return Resolution::Missing;
        }
        // 1. By id.
        let lower = t.to_lowercase();
        for id in [t, lower.as_str()] {
            if let Some(i) = self.by_id.get(id).filter(|i| ok(i)) {
                return Resolution::Found(*i);
            }
        }
        // 2. By path.
        let name = strip_md(t);
        if t.contains('/') {
            let path = fold_path(t);
            if let Some(i) = self.by_path.get(&path).filter(|i| ok(i)) {
                return Resolution::Found(*i);
            }
            // The end of a path (`emea/Acme` for `regions/emea/Acme.md`).
            let stem = path.rsplit('/').next().unwrap_or(&path);
            let tail = format!("/{path}");
            let found: Vec<NoteIdx> = self
                .by_stem
                .get(stem)
                .into_iter()
                .flatten()
                .copied()
                .filter(|i| ok(i))
                .filter(|i| fold_path(self.notes[*i].content_path()).ends_with(&tail))
                .collect();
            return match found.as_slice() {
                [] => Resolution::Missing,
                [one] => Resolution::Found(*one),
                _ => Resolution::Ambiguous(found),
            };
        }
        // 3. By file stem, title or name, alias.
        let key = fold(name);
        for map in [&self.by_stem, &self.by_title, &self.by_alias] {
            let found: Vec<NoteIdx> = map
                .get(&key)
                .into_iter()
                .flatten()
                .copied()
                .filter(|i| ok(i))
                .collect();
            match found.as_slice() {
                [] => continue,
                [one] => return Resolution::Found(*one),
                _ => return Resolution::Ambiguous(found),
            }
        }
        Resolution::Missing
    }

    /// The id or name closest to `target`, for a "did you mean".
    pub fn suggest(&self, target: &str) -> Option<String> {
        let ids = self.by_id.keys().copied();
        if let Some(s) = did_you_mean(target, ids) {
            return Some(s.to_string());
        }
        let folded = fold(target);
        for map in [&self.by_stem, &self.by_title, &self.by_alias] {
            if let Some(key) = did_you_mean(&folded, map.keys().map(String::as_str)) {
                let first = *map.get(key)?.first()?;
                let n = self.notes.get(first)?;
                return Some(if n.title_given {
                    n.title.clone()
                } else {
                    n.stem().to_string()
                });
            }
        }
        None
    }
}

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

/// Where a body or property link leads.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Note(NoteIdx),
    /// An attachment, by its path inside `content/`.
    File(String),
    /// A Markdown link to something that is not in the vault (a file of
    /// `static/`, a page): left as written, never reported.
    AsWritten,
    Broken(Resolution),
    /// No note, and several attachments of that file name (their paths).
    Files(Vec<String>),
}

/// The notes that stand for their folder when a link names the folder.
const FOLDER_PAGES: [&str; 3] = ["index", "README", "_index"];

/// Resolves one link of a note in `folder` (its folder inside
/// `content/`): a path written relative to the note (`../People/Steph
/// Ango`, `./x`) names exactly one path; a Markdown link's path is read
/// from the note's folder first; otherwise notes are looked up as the
/// module says, and attachments (by path, end of path, or file name) when
/// no note answers.
fn target_of(index: &Index, attachments: &Attachments, folder: &str, l: &WikiLink) -> Target {
    let t = l.target.as_str();
    let one = |path: &str| -> Option<Target> {
        if let Some(i) = index.by_path.get(&fold_path(path)) {
            if !crate::content::obsidian::names_a_file(path) || strip_md(path) != path {
                return Some(Target::Note(*i));
            }
        }
        attachments
            .at_path(path)
            .map(|p| Target::File(p.to_string()))
    };
    // A path that names a folder leads to the folder's own page, as on
    // GitHub and in most handbooks (`../strategy` -> `strategy/index.md`).
    let exact = |path: &str| -> Option<Target> {
        one(path).or_else(|| {
            let folder = path.trim_end_matches('/');
            (!folder.is_empty() && !crate::content::obsidian::names_a_file(folder))
                .then(|| {
                    FOLDER_PAGES
                        .iter()
                        .find_map(|name| one(&format!("{folder}/{name}")))
                })
                .flatten()
        })
    };
    if l.kind == LinkKind::Markdown && t.ends_with('/') {
        // A folder (`../guides/`, `/handbook/`): its page if it has one;
        // else, written from the top (`/deals/`), a page of the site or of
        // `static/`, left as written; written from this note's folder,
        // a folder of the content that has no page: broken.
        if let Some(path) = relative_path(folder, t) {
            return exact(&path).unwrap_or(Target::Broken(Resolution::Missing));
        }
        let path = if folder.is_empty() || t.starts_with('/') {
            t.trim_start_matches('/').to_string()
        } else {
            format!("{folder}/{t}")
        };
        return exact(&path).unwrap_or(Target::AsWritten);
    }
    if let Some(path) = relative_path(folder, t) {
        return exact(&path).unwrap_or(Target::Broken(Resolution::Missing));
    }
    if l.kind == LinkKind::Markdown {
        let from_folder = if folder.is_empty() || t.starts_with('/') {
            t.trim_start_matches('/').to_string()
        } else {
            format!("{folder}/{t}")
        };
        if let Some(found) = exact(&from_folder).or_else(|| exact(t.trim_start_matches('/'))) {
            return found;
        }
        // A note named by its file (`Other%20note.md`, Obsidian's
        // shortest form) is looked up like a wikilink; any other path
        // that is not in the vault is left as written.
        if strip_md(t) == t {
            return match attachments.find(t) {
                Found::One(p) => Target::File(p),
                _ => Target::AsWritten,
            };
        }
    }
    match index.resolve(t) {
        Resolution::Found(i) => Target::Note(i),
        Resolution::Missing => match attachments.find(t) {
            Found::One(p) => Target::File(p),
            Found::Missing => Target::Broken(Resolution::Missing),
            Found::Many(paths) => Target::Files(paths),
        },
        other => Target::Broken(other),
    }
}

/// A warning for each embed that closes a cycle of embeds (`![[B]]` in A
/// and `![[A]]` in B, or a note embedding itself). Pages embed one level
/// deep, so a cycle is never followed; the embed is shown as a link.
fn embed_cycles(notes: &[Note]) -> Vec<Diagnostic> {
    let edges: Vec<Vec<(NoteIdx, &WikiLink)>> = notes
        .iter()
        .map(|n| {
            n.links
                .iter()
                .filter(|l| l.kind == LinkKind::Embed)
                .filter_map(|l| l.resolved.map(|to| (to, l)))
                .collect()
        })
        .collect();
    if edges.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let component = strongly_connected(&edges);
    let mut out = Vec::new();
    for (from, list) in edges.iter().enumerate() {
        for (to, l) in list {
            if *to == from || component[*to] == component[from] {
                out.push(
                    Diagnostic::warning(
                        Code::EmbedCycle,
                        &notes[from].path,
                        l.span.line,
                        format!(
                            "this embed of {} is part of a cycle of embeds (it leads back to {}); it is shown as a link",
                            notes[*to].path, notes[from].path
                        ),
                    )
                    .at_span(l.span)
                    .with_help("link to the note with [[...]] instead of embedding it with ![[...]]"),
                );
            }
        }
    }
    out
}

/// The strongly connected component of each node of a graph (Tarjan's
/// algorithm, iterative so a long chain of embeds cannot overflow the stack).
fn strongly_connected<T>(edges: &[Vec<(NoteIdx, T)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to follow)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if *e == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some((w, _)) = edges[v].get(*e) {
                *e += 1;
                let w = *w;
                if w >= n {
                    continue;
                }
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Resolves every frontmatter reference and body link of `site` in place,
/// reports the broken ones, fills in a prep's default rep (its deal's
/// owner), and computes backlinks.
pub fn resolve(site: &mut Site, diags: &mut Diagnostics) -> Links {
    // A prep's rep filled in by an earlier run is worked out again below.
    for note in site.notes.iter_mut() {
        if let crate::model::NoteData::Prep(p) = &mut note.data {
            if p.rep.as_ref().is_some_and(|r| r.span == Span::default()) {
                p.rep = None;
            }
        }
    }
    // Resolve everything first, reading only (in parallel), then record
    // the results.
    let resolved: Vec<Resolved> = {
        let index = Index::new(&site.notes);
        let notes = &site.notes;
        let attachments = &site.attachments;
        notes
            .par_iter()
            .enumerate()
            .map(|(me, note)| {
                let mut found = Vec::new();
                let refs: Vec<Option<NoteIdx>> = note
                    .refs_with_kind()
                    .into_iter()
                    .map(|(r, want)| resolve_ref(r, want, &index, notes, &note.path, &mut found))
                    .collect();
                // A body with thousands of links resolves each target once,
                // and explains only the first few broken ones in full.
                let mut memo: FxHashMap<(LinkKind, &str), Target> = FxHashMap::default();
                let mut reported = 0;
                // A link's heading on its target: found, found loosely
                // (its id), or a warning.
                let anchor = |found: &mut Vec<Diagnostic>, l: &WikiLink, to: &Note| match anchor_on(
                    &note.path, l, to,
                ) {
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
                        .or_insert_with(|| target_of(&index, attachments, folder, l));
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
                        broken(&note.path, l.span, "link", &l.target, res, &index, notes)
                    } else {
                        // Folded into "and N more" when printed.
                        Diagnostic::warning(
                            Code::BrokenLink,
                            &note.path,
                            l.span.line,
                            String::new(),
                        )
                    });
                }
                (refs, links, found)
            })
            .collect()
    };
    for (note, (refs, links, found)) in site.notes.iter_mut().zip(resolved) {
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
        diags.extend(found);
    }
    diags.extend(embed_cycles(&site.notes));

    // A prep without a rep is the deal owner's.
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
            if p.rep.is_none() {
                if let Some((owner, id)) = p.deal.resolved.and_then(|d| owners[d].clone()) {
                    let mut r = RefField::new("rep", id, Span::default());
                    r.resolved = Some(owner);
                    p.rep = Some(r);
                }
            }
        }
    }

    let mut backlinks: Vec<Vec<NoteIdx>> = vec![Vec::new(); site.notes.len()];
    for (from, note) in site.notes.iter().enumerate() {
        let targets = note
            .refs()
            .into_iter()
            .filter_map(|r| r.resolved)
            .chain(note.all_links().filter_map(|l| l.resolved));
        for to in targets {
            if to != from {
                backlinks[to].push(from);
            }
        }
    }
    for b in backlinks.iter_mut() {
        b.sort_unstable();
        b.dedup();
    }
    name_untitled(&mut site.notes);
    Links { backlinks }
}

/// Gives each note without a title of its own a readable one from its
/// kind, rep (or deal) and date, once references are resolved: "One-to-one
/// with Priya Natarajan, 24 Nov 2026", never the raw id. Pages keep their
/// file stem. Run on every resolve, so a renamed rep renames these too.
fn name_untitled(notes: &mut [Note]) {
    let named: Vec<(NoteIdx, String)> = notes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.title_given)
        .filter_map(|(i, n)| made_up_title(notes, n).map(|t| (i, t)))
        .collect();
    for (i, t) in named {
        notes[i].title = t;
    }
}

/// The title of an untitled note; `None` keeps the file stem.
fn made_up_title(notes: &[Note], n: &Note) -> Option<String> {
    use crate::model::{ForecastOwner, NoteData};
    // A reference by the name of the note it resolved to, else as written.
    let name = |r: &crate::model::RefField| match r.resolved.and_then(|i| notes.get(i)) {
        Some(t) => t.title.clone(),
        None => r.target.clone(),
    };
    let day = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
    match &n.data {
        NoteData::Interaction(x) => Some(match n.kind {
            Kind::Coaching => format!("One-to-one with {}, {}", name(&x.rep), day(x.date)),
            Kind::Call => format!("Call review with {}, {}", name(&x.rep), day(x.date)),
            _ => match &x.deal {
                Some(d) => format!("Debrief: {}, {}", name(d), day(x.date)),
                None => format!("Debrief with {}, {}", name(&x.rep), day(x.date)),
            },
        }),
        NoteData::Prep(p) => Some(format!("Prep: {}, {}", name(&p.deal), day(p.date))),
        NoteData::Forecast(f) => Some(match &f.owner {
            ForecastOwner::Rep(r) => format!("Forecast {}: {}", f.period(), name(r)),
            ForecastOwner::Team(t) => format!("Forecast {}: team {t}", f.period()),
        }),
        _ => None,
    }
}

/// Letters and digits only, lower case: how a heading fragment written
/// for another generator is compared with this site's heading ids
/// (GitHub drops `;` and keeps `---` where this site's slugs differ).
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a link's heading or block names on its target `to`.
enum Anchor {
    /// Found as written (or there is none).
    Found,
    /// A heading found only by [`loose`] comparison: its id.
    Heading(String),
    /// Not found: a `broken-anchor` warning. The link still goes to the
    /// target's page.
    Broken(Diagnostic),
}

/// Whether the heading or block `l` names is on its target `to`.
fn anchor_on(path: &str, l: &WikiLink, to: &Note) -> Anchor {
    let (what, written, id) = match (&l.block, &l.anchor) {
        (Some(b), _) => ("block", format!("^{b}"), block_anchor(b)),
        (None, Some(h)) => ("heading", h.clone(), heading_anchor(h)),
        (None, None) => return Anchor::Found,
    };
    if to.anchors.contains(&id) {
        return Anchor::Found;
    }
    if what == "heading" {
        let key = loose(&written);
        let mut close = to
            .anchors
            .iter()
            .filter(|a| !a.starts_with('^') && !key.is_empty() && loose(a) == key);
        if let (Some(one), None) = (close.next(), close.next()) {
            return Anchor::Heading(one.clone());
        }
    }
    let d = Diagnostic::warning(
        Code::BrokenAnchor,
        path,
        l.span.line,
        format!(
            "{} has no {what} {written:?}; the link goes to the top of its page",
            to.path
        ),
    )
    .at_column(l.span.col);
    Anchor::Broken(match what {
        "block" => d.with_help(format!(
            "end the paragraph you mean in {} with ` ^{}`",
            to.path,
            l.block.as_deref().unwrap_or_default()
        )),
        _ => d.with_help("a heading link names the heading's text: [[note#Heading text]]"),
    })
}

/// The note a frontmatter reference points to, if it is one note of the
/// kind wanted; else a diagnostic in `found`.
fn resolve_ref(
    r: &RefField,
    want: Kind,
    index: &Index,
    notes: &[Note],
    path: &str,
    found: &mut Vec<Diagnostic>,
) -> Option<NoteIdx> {
    let res = match index.resolve(&r.target) {
        // A name several notes answer to, or one of another kind: the one
        // note of the kind wanted, if there is exactly one.
        Resolution::Found(i) if want.accepts(notes[i].kind) => Resolution::Found(i),
        other => match index.resolve_where(&r.target, |n| want.accepts(n.kind)) {
            Resolution::Missing => other,
            of_kind => of_kind,
        },
    };
    match res {
        // A target with errors of its own is still linked to, but cannot
        // count in anyone's metrics (the metrics skip invalid notes).
        Resolution::Found(i) if want.accepts(notes[i].kind) => Some(i),
        Resolution::Found(i) => {
            found.push(
                Diagnostic::warning(
                    Code::WrongKind,
                    path,
                    r.span.line,
                    format!(
                        "{} must point to a {}, but {:?} ({}) is a {}",
                        r.field,
                        want.type_name(),
                        r.target,
                        notes[i].path,
                        notes[i].kind.type_name()
                    ),
                )
                .at_span(r.span),
            );
            None
        }
        other => {
            found.push(broken(
                path, r.span, &r.field, &r.target, &other, index, notes,
            ));
            None
        }
    }
}

/// A link by a file name several attachments share.
fn ambiguous_files(path: &str, l: &WikiLink, paths: &[String]) -> Diagnostic {
    Diagnostic::warning(
        Code::AmbiguousLink,
        path,
        l.span.line,
        format!(
            "link {:?} matches {} attachments: {}",
            l.target,
            paths.len(),
            paths
                .iter()
                .map(|p| format!("content/{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .at_span(l.span)
    .with_help(format!(
        "link by path to pick one, like [[{}]]",
        paths.first().map_or("", String::as_str)
    ))
}

fn broken(
    path: &str,
    span: Span,
    what: &str,
    target: &str,
    res: &Resolution,
    index: &Index,
    notes: &[Note],
) -> Diagnostic {
    match res {
        Resolution::Ambiguous(many) => {
            let files: Vec<&str> = many.iter().map(|i| notes[*i].path.as_str()).collect();
            Diagnostic::warning(
                Code::AmbiguousLink,
                path,
                span.line,
                format!(
                    "{what} {target:?} matches {} notes: {}",
                    many.len(),
                    files.join(", ")
                ),
            )
            .at_span(span)
            .with_help(match many.first().and_then(|i| notes.get(*i)) {
                Some(n) => format!(
                    "link by path to pick one, like [[{}]], or give the notes different names",
                    n.content_path()
                ),
                None => "link by path to pick one".to_string(),
            })
        }
        _ => {
            let message = if crate::content::obsidian::names_a_file(target) {
                format!("{what} {target:?} does not match any note, nor any file in content/ by path or name")
            } else {
                format!("{what} {target:?} does not match any note's id, path, file name, title, name or alias")
            };
            let d = Diagnostic::warning(Code::BrokenLink, path, span.line, message).at_span(span);
            match index.suggest(target) {
                Some(s) => d.with_help(format!("did you mean {s:?}?")),
                None => d,
            }
        }
    }
}

#[cfg(test)]
mod tests;

//! Ids, references and `[[wikilinks]]`: resolution and backlinks.
//!
//! A target resolves by id first, then by title or name compared
//! case-insensitively. Nothing or more than one match is a broken link: a
//! warning with file and line (an error under `--strict`), and the link is
//! rendered visibly broken. A frontmatter reference to the wrong kind of
//! note (a deal's `owner` that is a deal) is reported and left unresolved.
//! Every index here is built in one pass, so resolution is linear in the
//! number of links.

use crate::content::fields::did_you_mean;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Kind, Note, NoteIdx, RefField, Site, Span};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// What a target resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Found(NoteIdx),
    Missing,
    Ambiguous(Vec<NoteIdx>),
}

/// Lookup tables from ids and titles to notes.
pub struct Index<'n> {
    by_id: FxHashMap<&'n str, NoteIdx>,
    by_title: FxHashMap<String, Vec<NoteIdx>>,
    notes: &'n [Note],
}

impl<'n> Index<'n> {
    pub fn new(notes: &'n [Note]) -> Self {
        let mut by_id = FxHashMap::with_capacity_and_hasher(notes.len(), Default::default());
        let mut by_title: FxHashMap<String, Vec<NoteIdx>> =
            FxHashMap::with_capacity_and_hasher(notes.len(), Default::default());
        for (i, n) in notes.iter().enumerate() {
            by_id.insert(n.id.as_str(), i);
            // A made-up title is not a name to link by: the file stem is.
            let name = if n.title_given {
                n.title.as_str()
            } else {
                n.stem()
            };
            by_title.entry(name.to_lowercase()).or_default().push(i);
        }
        Index {
            by_id,
            by_title,
            notes,
        }
    }

    pub fn resolve(&self, target: &str) -> Resolution {
        let t = target.trim();
        if let Some(i) = self.by_id.get(t) {
            return Resolution::Found(*i);
        }
        let lower = t.to_lowercase();
        if let Some(i) = self.by_id.get(lower.as_str()) {
            return Resolution::Found(*i);
        }
        match self.by_title.get(&lower).map(Vec::as_slice) {
            Some([one]) => Resolution::Found(*one),
            Some(many) if many.len() > 1 => Resolution::Ambiguous(many.to_vec()),
            _ => Resolution::Missing,
        }
    }

    /// The id or title closest to `target`, for a "did you mean".
    pub fn suggest(&self, target: &str) -> Option<String> {
        let ids = self.by_id.keys().copied();
        if let Some(s) = did_you_mean(target, ids) {
            return Some(s.to_string());
        }
        let key = did_you_mean(
            &target.to_lowercase(),
            self.by_title.keys().map(String::as_str),
        )?;
        let first = *self.by_title.get(key)?.first()?;
        self.notes.get(first).map(|n| n.title.clone())
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
type Resolved = (Vec<Option<NoteIdx>>, Vec<Option<NoteIdx>>, Vec<Diagnostic>);

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
        notes
            .par_iter()
            .map(|note| {
                let mut found = Vec::new();
                let refs: Vec<Option<NoteIdx>> = note
                    .refs_with_kind()
                    .into_iter()
                    .map(|(r, want)| resolve_ref(r, want, &index, notes, &note.path, &mut found))
                    .collect();
                // A body with thousands of links resolves each target once,
                // and explains only the first few broken ones in full.
                let mut memo: FxHashMap<&str, Resolution> = FxHashMap::default();
                let mut reported = 0;
                let mut links: Vec<Option<NoteIdx>> = Vec::with_capacity(note.links.len());
                for l in &note.links {
                    let res = memo
                        .entry(l.target.as_str())
                        .or_insert_with(|| index.resolve(&l.target));
                    if let Resolution::Found(i) = res {
                        links.push(Some(*i));
                        continue;
                    }
                    links.push(None);
                    reported += 1;
                    found.push(if reported <= crate::diagnostics::PER_FILE {
                        broken(&note.path, l.span, "link", &l.target, res, &index, notes)
                    } else {
                        // Folded into "and N more" when printed.
                        Diagnostic::warning("broken-link", &note.path, l.span.line, String::new())
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
        for (l, to) in note.links.iter_mut().zip(links) {
            l.resolved = to;
        }
        diags.extend(found);
    }

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
            .chain(note.links.iter().filter_map(|l| l.resolved));
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
    match index.resolve(&r.target) {
        // A target with errors of its own is still linked to, but cannot
        // count in anyone's metrics (the metrics skip invalid notes).
        Resolution::Found(i) if want.accepts(notes[i].kind) => Some(i),
        Resolution::Found(i) => {
            found.push(
                Diagnostic::warning(
                    "wrong-kind",
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
                .at_column(r.span.col),
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
                "ambiguous-link",
                path,
                span.line,
                format!(
                    "{what} {target:?} matches {} notes: {}",
                    many.len(),
                    files.join(", ")
                ),
            )
            .at_column(span.col)
            .with_help("link by id (the file name) to pick one")
        }
        _ => {
            let d = Diagnostic::warning(
                "broken-link",
                path,
                span.line,
                format!("{what} {target:?} does not match any note's id, title or name"),
            )
            .at_column(span.col);
            match index.suggest(target) {
                Some(s) => d.with_help(format!("did you mean {s:?}?")),
                None => d,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_note;
    use std::path::Path;

    fn note(file: &str, text: &str) -> Note {
        let (n, d) = parse_note(&format!("content/{file}"), Path::new(file), text);
        assert!(d.is_empty(), "{d:?}");
        n.unwrap()
    }

    #[test]
    fn resolves_by_id_then_title_and_reports_broken() {
        let mut site = Site {
            notes: vec![
                note("jane-doe.md", "---\ntype: rep\nname: Jane Doe\nteam: T\nstart_date: 2026-01-01\nquota: 10\n---\n"),
                note("d1.md", "---\ntype: deal\nname: Big Deal\naccount: A\nowner: \"[[jane doe]]\"\nvalue: 1\nstage: proposal\ncreated: 2026-01-01\nclose_date: 2026-02-01\n---\nSee [[Jane Doe]], [[nobody]] and [[Dup]].\n"),
                note("p1.md", "---\ntitle: Dup\n---\n"),
                note("p2.md", "---\ntitle: dup\n---\n[[d1]]\n"),
                note("prep.md", "---\ntype: prep\ndeal: Big Deal\ndate: 2026-01-05\nobjective: o\nbuyer_needs: b\nour_ask: a\n---\n"),
                note("c.md", "---\ntype: coaching\nrep: d1\ndate: 2026-01-05\ntakeaway: t\n---\n"),
            ],
        };
        let mut diags = Diagnostics::default();
        let links = resolve(&mut site, &mut diags);
        assert_eq!(site.notes[1].deal().unwrap().owner.resolved, Some(0));
        assert_eq!(site.notes[1].links[0].resolved, Some(0));
        assert_eq!(site.notes[1].links[1].resolved, None);
        let msgs: Vec<String> = diags.items.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("content/d1.md:11:")
                && m.contains("broken-link")
                && m.contains("\"nobody\"")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("ambiguous-link") && m.contains("content/p1.md, content/p2.md")), "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("content/c.md:3:") && m.contains("wrong-kind")),
            "{msgs:?}"
        );
        // The prep's rep defaults to its deal's owner.
        let prep = site.notes[4].prep().unwrap();
        assert_eq!(prep.rep.as_ref().and_then(|r| r.resolved), Some(0));
        assert_eq!(prep.rep.as_ref().unwrap().target, "jane-doe");
        // Untitled notes are named from their kind, references and date;
        // an unresolved reference is shown as written.
        assert_eq!(site.notes[4].title, "Prep: Big Deal, 5 Jan 2026");
        assert_eq!(site.notes[5].title, "One-to-one with d1, 5 Jan 2026");
        // A made-up title is not a name links can use; the stem is.
        let index = Index::new(&site.notes);
        assert!(matches!(
            index.resolve("Prep: Big Deal, 5 Jan 2026"),
            Resolution::Missing
        ));
        assert!(matches!(index.resolve("PREP"), Resolution::Found(4)));
        // Backlinks: Jane is referenced by the deal (owner and body) and the prep.
        assert_eq!(links.backlinks[0], vec![1, 4]);
        assert_eq!(links.backlinks[1], vec![3, 4]);
    }
}

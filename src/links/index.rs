//! The lookup tables from ids, paths, file stems, titles and aliases to
//! notes, built in one pass, and the lookup of one target in them.

use super::*;

/// What a target resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Found(NoteIdx),
    Missing,
    Ambiguous(Vec<NoteIdx>),
}

/// Lookup tables from ids, paths and names to notes.
pub struct Index<'n> {
    pub(super) names: std::borrow::Cow<'n, Lookup>,
    pub(super) notes: &'n [Note],
}

/// The tables from ids, paths and names to notes (owned, so `serve` can
/// keep them between saves that change no note's id or name: see
/// [`resolve_again`](super::resolve_again); building the id table alone
/// took 6-10 ms of a save at 100,000 notes).
#[derive(Clone, Default)]
pub struct Lookup {
    /// Id as written.
    pub(super) by_id: FxHashMap<String, NoteIdx>,
    /// Folded path inside `content/` without `.md` (`emea/acme`).
    pub(super) by_path: FxHashMap<String, NoteIdx>,
    /// Folded file stem, given title or name, alias: the notes of each.
    pub(super) by_stem: FxHashMap<String, Vec<NoteIdx>>,
    pub(super) by_title: FxHashMap<String, Vec<NoteIdx>>,
    pub(super) by_alias: FxHashMap<String, Vec<NoteIdx>>,
}

fn add(map: &mut FxHashMap<String, Vec<NoteIdx>>, key: String, i: NoteIdx) {
    let v = map.entry(key).or_default();
    if v.last() != Some(&i) {
        v.push(i);
    }
}

impl Lookup {
    pub fn new(notes: &[Note]) -> Self {
        let cap = notes.len();
        // Each table in a pass of its own, the passes on every core: made
        // in one pass, the tables were about 0.1 s of a 100k build on one
        // core, the other idle.
        let ids = || {
            let mut by_id = FxHashMap::with_capacity_and_hasher(cap, Default::default());
            for (i, n) in notes.iter().enumerate() {
                by_id.insert(n.id.clone(), i);
            }
            by_id
        };
        let paths = || {
            let mut by_path = FxHashMap::with_capacity_and_hasher(cap, Default::default());
            for (i, n) in notes.iter().enumerate() {
                by_path.insert(fold_path(n.content_path()), i);
            }
            by_path
        };
        let stems = || {
            let mut by_stem = FxHashMap::with_capacity_and_hasher(cap, Default::default());
            for (i, n) in notes.iter().enumerate() {
                add(&mut by_stem, fold(n.stem()), i);
            }
            by_stem
        };
        let names = || {
            let mut by_title = FxHashMap::with_capacity_and_hasher(cap, Default::default());
            let mut by_alias = FxHashMap::default();
            for (i, n) in notes.iter().enumerate() {
                // A made-up title is not a name to link by: the file stem is.
                if n.title_given {
                    add(&mut by_title, fold(&n.title), i);
                }
                for a in &n.aliases {
                    add(&mut by_alias, fold(a), i);
                }
            }
            (by_title, by_alias)
        };
        let ((by_id, by_path), (by_stem, (by_title, by_alias))) =
            rayon::join(|| rayon::join(ids, paths), || rayon::join(stems, names));
        Lookup {
            by_id,
            by_path,
            by_stem,
            by_title,
            by_alias,
        }
    }
}

impl<'n> Index<'n> {
    pub fn new(notes: &'n [Note]) -> Self {
        Self::with(notes, std::borrow::Cow::Owned(Lookup::new(notes)))
    }

    /// The index of `notes` with their id, path and name tables made
    /// before (by [`Lookup::new`] of notes with the same ids, paths and
    /// names).
    pub fn with(notes: &'n [Note], names: std::borrow::Cow<'n, Lookup>) -> Self {
        Index { names, notes }
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
            if let Some(i) = self.names.by_id.get(id).filter(|i| ok(i)) {
                return Resolution::Found(*i);
            }
        }
        // 2. By path.
        let name = strip_md(t);
        if t.contains('/') {
            let path = fold_path(t);
            if let Some(i) = self.names.by_path.get(&path).filter(|i| ok(i)) {
                return Resolution::Found(*i);
            }
            // The end of a path (`emea/Acme` for `regions/emea/Acme.md`).
            let stem = path.rsplit('/').next().unwrap_or(&path);
            let tail = format!("/{path}");
            let found: Vec<NoteIdx> = self
                .names
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
        for map in [
            &self.names.by_stem,
            &self.names.by_title,
            &self.names.by_alias,
        ] {
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
        let ids = self.names.by_id.keys().map(String::as_str);
        if let Some(s) = did_you_mean(target, ids) {
            return Some(s.to_string());
        }
        let folded = fold(target);
        for map in [
            &self.names.by_stem,
            &self.names.by_title,
            &self.names.by_alias,
        ] {
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

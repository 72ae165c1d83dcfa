//! [`ByNote`]: the figures of some notes (reps, deals), looked up by note
//! index, and written to `metrics.json` as an object keyed by note id.

use crate::model::NoteIdx;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

/// Figures keyed by the note they belong to. Views look them up by
/// [`NoteIdx`] (no id string built or compared); `metrics.json` keys them by
/// note id, sorted, as the contract says.
///
/// Held in a vector sorted by note index: the figures are made in note
/// order, so each insert is a push (a `BTreeMap` of 25,000 deals took
/// 11 ms to fill at 100,000 notes), and a lookup is a binary search.
#[derive(Debug, Clone, PartialEq)]
pub struct ByNote<M> {
    /// Sorted by index, each index once.
    entries: Vec<(NoteIdx, (String, M))>,
}

impl<M> Default for ByNote<M> {
    fn default() -> Self {
        ByNote {
            entries: Vec::new(),
        }
    }
}

impl<M> ByNote<M> {
    /// Empty, with room for `n` notes' figures.
    pub fn with_capacity(n: usize) -> Self {
        ByNote {
            entries: Vec::with_capacity(n),
        }
    }

    /// The figures `(index, (id, figures))` made in note order (each
    /// index once): kept as they are; otherwise inserted one by one.
    pub fn from_sorted(entries: Vec<(NoteIdx, (String, M))>) -> Self {
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return ByNote { entries };
        }
        let mut out = ByNote::with_capacity(entries.len());
        for (idx, (id, m)) in entries {
            out.insert(idx, id, m);
        }
        out
    }

    /// Adds (or replaces) the figures of note `idx`, whose id is `id`.
    pub fn insert(&mut self, idx: NoteIdx, id: String, m: M) {
        match self.entries.last() {
            Some((last, _)) if *last >= idx => {
                match self.entries.binary_search_by_key(&idx, |(i, _)| *i) {
                    Ok(at) => self.entries[at].1 = (id, m),
                    Err(at) => self.entries.insert(at, (idx, (id, m))),
                }
            }
            _ => self.entries.push((idx, (id, m))),
        }
    }

    /// The figures of note `idx`, if it has any.
    pub fn get(&self, idx: NoteIdx) -> Option<&M> {
        let at = self.entries.binary_search_by_key(&idx, |(i, _)| *i).ok()?;
        self.entries.get(at).map(|(_, (_, m))| m)
    }

    /// The figures of the note with id `id` (a linear scan: for tests and
    /// for matching across snapshots, where indices differ).
    pub fn by_id(&self, id: &str) -> Option<&M> {
        (self.entries.iter())
            .find(|(_, (i, _))| i == id)
            .map(|(_, (_, m))| m)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `(index, id, figures)` in note order.
    pub fn iter(&self) -> impl Iterator<Item = (NoteIdx, &str, &M)> {
        (self.entries.iter()).map(|(i, (id, m))| (*i, id.as_str(), m))
    }

    /// The figures, in note order.
    pub fn values(&self) -> impl Iterator<Item = &M> {
        self.entries.iter().map(|(_, (_, m))| m)
    }

    /// The same figures keyed by note id: what survives from one snapshot
    /// of the site to another, where note indices differ.
    pub fn into_by_id(self) -> BTreeMap<String, M> {
        self.entries.into_iter().map(|(_, e)| e).collect()
    }
}

impl<M> std::ops::Index<&str> for ByNote<M> {
    type Output = M;
    /// The figures of the note with id `id`; panics when there are none
    /// (for tests, as `BTreeMap`'s `Index`).
    fn index(&self, id: &str) -> &M {
        match self.by_id(id) {
            Some(m) => m,
            None => panic!("no figures for note id {id:?}"),
        }
    }
}

impl<M: Serialize> Serialize for ByNote<M> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<&(String, M)> = self.entries.iter().map(|(_, e)| e).collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut map = s.serialize_map(Some(sorted.len()))?;
        for (id, m) in sorted {
            map.serialize_entry(id, m)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_by_index_and_serializes_by_sorted_id() {
        let mut b = ByNote::default();
        b.insert(2, "alpha".to_string(), 1);
        b.insert(0, "zulu".to_string(), 2);
        assert_eq!(b.get(2), Some(&1));
        assert_eq!(b.get(1), None);
        assert_eq!(b["zulu"], 2);
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"alpha":1,"zulu":2}"#
        );
        let ids: Vec<&str> = b.iter().map(|(_, id, _)| id).collect();
        assert_eq!(ids, ["zulu", "alpha"]);
        // Out of order and again: sorted by index, the last one kept.
        b.insert(1, "mike".to_string(), 3);
        b.insert(2, "alpha".to_string(), 4);
        b.insert(5, "echo".to_string(), 5);
        let all: Vec<(usize, &str, i32)> = b.iter().map(|(i, id, m)| (i, id, *m)).collect();
        assert_eq!(
            all,
            [
                (0, "zulu", 2),
                (1, "mike", 3),
                (2, "alpha", 4),
                (5, "echo", 5)
            ]
        );
        assert_eq!(b.get(1), Some(&3));
        assert_eq!(b.get(2), Some(&4));
        assert_eq!(b.get(3), None);
        assert_eq!(b.len(), 4);
        // Made in order, or not: the same.
        let made = |order: &[usize]| {
            let v = order.iter().map(|i| (*i, (format!("n{i}"), *i))).collect();
            ByNote::from_sorted(v)
        };
        assert_eq!(made(&[1, 4, 7]), made(&[7, 1, 4]));
        assert_eq!(made(&[7, 1, 4]).get(4), Some(&4));
        assert_eq!(
            b.into_by_id().into_keys().collect::<Vec<_>>(),
            ["alpha", "echo", "mike", "zulu"]
        );
    }
}

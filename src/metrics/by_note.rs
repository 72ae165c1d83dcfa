//! [`ByNote`]: the figures of some notes (reps, deals), looked up by note
//! index, and written to `metrics.json` as an object keyed by note id.

use crate::model::NoteIdx;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

/// Figures keyed by the note they belong to. Views look them up by
/// [`NoteIdx`] (no id string built or compared); `metrics.json` keys them by
/// note id, sorted, as the contract says.
#[derive(Debug, Clone, PartialEq)]
pub struct ByNote<M> {
    entries: BTreeMap<NoteIdx, (String, M)>,
}

impl<M> Default for ByNote<M> {
    fn default() -> Self {
        ByNote {
            entries: BTreeMap::new(),
        }
    }
}

impl<M> ByNote<M> {
    /// Adds (or replaces) the figures of note `idx`, whose id is `id`.
    pub fn insert(&mut self, idx: NoteIdx, id: String, m: M) {
        self.entries.insert(idx, (id, m));
    }

    /// The figures of note `idx`, if it has any.
    pub fn get(&self, idx: NoteIdx) -> Option<&M> {
        self.entries.get(&idx).map(|(_, m)| m)
    }

    /// The figures of the note with id `id` (a linear scan: for tests and
    /// for matching across snapshots, where indices differ).
    pub fn by_id(&self, id: &str) -> Option<&M> {
        self.entries.values().find(|(i, _)| i == id).map(|(_, m)| m)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `(index, id, figures)` in note order.
    pub fn iter(&self) -> impl Iterator<Item = (NoteIdx, &str, &M)> {
        self.entries.iter().map(|(i, (id, m))| (*i, id.as_str(), m))
    }

    /// The figures, in note order.
    pub fn values(&self) -> impl Iterator<Item = &M> {
        self.entries.values().map(|(_, m)| m)
    }

    /// The same figures keyed by note id: what survives from one snapshot
    /// of the site to another, where note indices differ.
    pub fn into_by_id(self) -> BTreeMap<String, M> {
        self.entries.into_values().collect()
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
        let mut sorted: Vec<&(String, M)> = self.entries.values().collect();
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
        assert_eq!(
            b.into_by_id().into_keys().collect::<Vec<_>>(),
            ["alpha", "zulu"]
        );
    }
}

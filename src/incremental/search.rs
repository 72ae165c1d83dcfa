//! The search index in `serve`: each note's entry
//! ([`render::search::doc_entry`](crate::render::search::doc_entry)) is
//! kept between saves, and made again only for the notes that changed.
//! The files are then [`index_files`] of every entry, the bytes a cold
//! build writes (`site_index`) for the same site.
//!
//! An entry depends on its note alone, as the site has it after the link
//! stage: its fields and body, and what links set (a made-up title, the
//! rep a prep takes from its deal, named by the rep's id). The note's
//! fingerprint in the memo (`inputs::note_fingerprints`) covers all of
//! it: its file's revision, path, id, title, validity, and the ids its
//! references lead to. An entry is made again when that fingerprint
//! changes. A change of the configuration, which can change how every
//! note is read, drops every entry ([`Entries::clear`]).

use crate::model::Site;
use crate::render::search::{doc_entry, index_files, DocEntry, IndexFiles};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Every note's search entry as last made, by note position in the site
/// last indexed, with the note's id and the fingerprint it was made for.
#[derive(Default)]
pub struct Entries {
    ids: Vec<String>,
    fps: Vec<u64>,
    entries: Vec<DocEntry<'static>>,
}

impl Entries {
    /// Forgets every entry (the notes may be read differently now).
    pub fn clear(&mut self) {
        *self = Entries::default();
    }

    /// How many notes have an entry.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The index files of `site`, whose notes have the fingerprints `fps`
    /// (by position; `None` when they are not known, then every entry is
    /// made again and none is kept). Returns them and how many entries
    /// were made.
    pub fn files(&mut self, site: &Site, fps: Option<&[u64]>) -> (IndexFiles, usize) {
        let notes = &site.notes;
        let Some(fps) = fps.filter(|f| f.len() == notes.len()) else {
            self.clear();
            return (crate::render::search::site_index(site), notes.len());
        };
        let same_notes =
            self.ids.len() == notes.len() && self.ids.iter().zip(notes).all(|(id, n)| *id == n.id);
        let made = if same_notes {
            let due: Vec<usize> = (0..notes.len())
                .filter(|i| self.fps[*i] != fps[*i])
                .collect();
            let fresh: Vec<DocEntry<'static>> = due
                .par_iter()
                .map(|i| doc_entry(&notes[*i]).into_owned())
                .collect();
            for (i, e) in due.iter().zip(fresh) {
                self.entries[*i] = e;
            }
            due.len()
        } else {
            // Notes came, went or moved: each keeps its entry by id.
            let mut old: FxHashMap<String, (u64, DocEntry<'static>)> = (self.ids.drain(..))
                .zip(self.fps.drain(..).zip(self.entries.drain(..)))
                .collect();
            let mut slots: Vec<Option<DocEntry<'static>>> = (notes.iter().zip(fps))
                .map(|(n, fp)| match old.remove(&n.id) {
                    Some((was, e)) if was == *fp => Some(e),
                    _ => None,
                })
                .collect();
            let made = slots.iter().filter(|s| s.is_none()).count();
            (slots.par_iter_mut().zip(notes))
                .filter(|(s, _)| s.is_none())
                .for_each(|(s, n)| *s = Some(doc_entry(n).into_owned()));
            self.entries = slots.into_iter().flatten().collect();
            self.ids = notes.iter().map(|n| n.id.clone()).collect();
            std::thread::spawn(move || drop(old));
            made
        };
        self.fps = fps.to_vec();
        (index_files(&self.entries), made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::SiteBuilder;
    use crate::model::Kind;
    use crate::render::search::site_index;

    fn site(n: usize) -> Site {
        let mut b = SiteBuilder::new();
        let r = b.rep("jane", "East", "2024-01-01", 100.0);
        for i in 0..n {
            let date = format!("2026-0{}-1{}", 1 + i % 9, i % 10);
            b.interaction(&format!("note-{i}"), Kind::Debrief, Some(r), None, &date);
        }
        b.build()
    }

    #[test]
    fn entries_are_made_again_only_for_notes_whose_fingerprint_changed() {
        let mut site = site(12);
        let mut fps: Vec<u64> = (0..site.notes.len() as u64).collect();
        let mut e = Entries::default();
        let (files, made) = e.files(&site, Some(&fps));
        assert_eq!((files.files, made), (site_index(&site).files, 13));
        assert_eq!(e.len(), 13);
        assert_eq!(e.files(&site, Some(&fps)).1, 0);

        // A title changed under a new fingerprint: that entry only.
        site.notes[4].title = "Walrus tactics".into();
        fps[4] = 100;
        let (files, made) = e.files(&site, Some(&fps));
        assert_eq!((files.files, made), (site_index(&site).files, 1));

        // A note gone and another moved: the others keep their entries.
        site.notes.remove(2);
        fps.remove(2);
        site.notes.swap(5, 6);
        fps.swap(5, 6);
        let (files, made) = e.files(&site, Some(&fps));
        assert_eq!((files.files, made), (site_index(&site).files, 0));
        assert_eq!(e.len(), 12);

        // Fingerprints unknown: every entry made, none kept.
        site.notes[0].title = "Narwhal".into();
        let (files, made) = e.files(&site, None);
        assert_eq!((files.files, made), (site_index(&site).files, 12));
        assert_eq!(e.len(), 0);
    }
}

//! The search index in `serve`: each note's entry
//! ([`render::search::doc_entry`](crate::render::search::doc_entry)) is
//! kept between saves, and made again only for the notes that changed.
//! The files are those of
//! [`index_files`](crate::render::search::index_files) of every entry, the bytes a
//! cold build writes (`site_index`) for the same site; the index itself
//! is kept too ([`Kept`]), so that a save that edits notes in place
//! makes again and writes only the shards and chunks it changed.
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
use crate::render::search::{doc_entry, DocEntry, Kept, Update, MANIFEST};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Every note's search entry as last made, by note position in the site
/// last indexed, with the note's id and the fingerprint it was made for;
/// the index of them, and what was last written of it.
#[derive(Default)]
pub struct Entries {
    ids: Vec<String>,
    fps: Vec<u64>,
    entries: Vec<DocEntry<'static>>,
    /// The index of `entries`, kept while edits leave every document its
    /// number (see [`Kept`]).
    kept: Option<Kept>,
    /// The manifest and every file's path, as last written, when every
    /// write since `kept` was made succeeded.
    written: Option<(Vec<u8>, Vec<String>)>,
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

    /// Writes the index of `site`, whose notes have the fingerprints
    /// `fps` (see [`Entries::update`]), into the output folder `out`:
    /// only the files that changed, when the manifest there is the one
    /// last written (each file is replaced in one step and the manifest
    /// last, so the folder then holds what was last written); else
    /// every file whose bytes differ. Returns how many entries were made.
    pub fn write(
        &mut self,
        site: &Site,
        fps: Option<&[u64]>,
        out: &Path,
    ) -> std::io::Result<usize> {
        let (mut update, made) = self.update(site, fps);
        let last = self.written.take();
        let on_disk = !update.every
            && last.as_ref().is_some_and(|(manifest, _)| {
                std::fs::read(out.join(MANIFEST)).is_ok_and(|m| m == *manifest)
            });
        if !update.every && !on_disk {
            if let Some(kept) = &mut self.kept {
                update = kept.files(&self.entries, true);
            }
        }
        let same_names = on_disk && last.is_some_and(|(_, names)| names == update.names);
        let names: Vec<&str> = update.names.iter().map(String::as_str).collect();
        let files = &update.files.files;
        crate::render::search::write_files(out, files, &names, !on_disk, !same_names)?;
        self.written = (files.last()).map(|(_, manifest)| (manifest.clone(), update.names));
        Ok(made)
    }

    /// The index files of `site` (every one), and how many entries were
    /// made (tests: `serve` writes with [`Entries::write`]).
    #[cfg(test)]
    pub fn files(
        &mut self,
        site: &Site,
        fps: Option<&[u64]>,
    ) -> (crate::render::search::IndexFiles, usize) {
        let (update, made) = self.update(site, fps);
        match (&mut self.kept, update.every) {
            (Some(kept), false) => (kept.files(&self.entries, true).files, made),
            _ => (update.files, made),
        }
    }

    /// What changed in the index of `site`, whose notes have the
    /// fingerprints `fps` (by position; `None` when they are not known,
    /// then every entry is made again and none is kept). Returns it and
    /// how many entries were made.
    fn update(&mut self, site: &Site, fps: Option<&[u64]>) -> (Update, usize) {
        let notes = &site.notes;
        let Some(fps) = fps.filter(|f| f.len() == notes.len()) else {
            self.clear();
            let files = crate::render::search::site_index(site);
            return (Update::every(files), notes.len());
        };
        let same_notes =
            self.ids.len() == notes.len() && self.ids.iter().zip(notes).all(|(id, n)| *id == n.id);
        let mut kept = self.kept.take();
        let made = if same_notes {
            let due: Vec<usize> = (0..notes.len())
                .filter(|i| self.fps[*i] != fps[*i])
                .collect();
            let fresh: Vec<DocEntry<'static>> = due
                .par_iter()
                .map(|i| doc_entry(&notes[*i]).into_owned())
                .collect();
            for (i, e) in due.iter().zip(fresh) {
                // The postings follow the edit, unless it renumbers
                // documents: then the index is made anew.
                if kept
                    .as_mut()
                    .is_some_and(|k| !k.change(*i, &self.entries[*i], &e))
                {
                    kept = None;
                }
                self.entries[*i] = e;
            }
            due.len()
        } else {
            // Notes came, went or moved: each keeps its entry by id (the
            // documents are numbered anew).
            kept = None;
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
        let update = match &mut kept {
            Some(k) => k.files(&self.entries, false),
            None => {
                let (k, update) = Kept::new(&self.entries);
                kept = Some(k);
                update
            }
        };
        self.kept = kept;
        (update, made)
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

//! The index kept between saves (`serve`): every word's postings, and
//! of each shard and chunk last made its hash and size, so that a save
//! that edits notes in place makes again only the shards whose words
//! changed and the chunks whose rows changed.
//!
//! At 100k notes [`index_files`](super::index_files) of every entry
//! took about 300 ms a save: every posting list built again, every file
//! encoded and hashed, every file read back to compare. Here a one-note
//! edit changes the lists of the words it added, took out or weighed
//! anew (each decoded and encoded again), the shards that hold them and
//! its row's chunk. The files are the bytes `index_files` makes of the
//! same entries (the unit tests in `shard_tests.rs` check it after
//! random edits).
//!
//! Documents keep their numbers only while the notes and their dates do:
//! [`Kept::change`] refuses an edit of a date, and the caller makes a new
//! index ([`Kept::new`]) when notes come, go or move.

use super::shards::{
    all_name, chunk_name, combined_bytes, doc_order, file_hash, index_hash, manifest_bytes,
    manifest_line, postings, prefix_line, prefix_lists, prefix_name, shard_bytes, shard_name,
    shards, term_size, Chunks, Gaps, IndexFiles, PrefixScores, Sizes, Term, CHUNK_DOCS, MANIFEST,
    MAX_DOCS,
};
use super::DocEntry;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// A shard as last made.
struct Shard {
    /// Its path.
    name: String,
    first: Box<str>,
    last: Box<str>,
    /// How many terms it holds.
    terms: usize,
    hash: u64,
    len: usize,
    /// Its bytes: kept while the index is one file (at most
    /// [`super::shards::COMBINE_MAX`], which every save writes whole);
    /// above, only while they are to be written.
    bytes: Option<Vec<u8>>,
}

/// A prefix list as last made (see `shards::prefix_lists`).
struct Prefix {
    prefix: String,
    name: String,
    /// The first and last word it merges, and how many.
    first: Box<str>,
    last: Box<str>,
    terms: usize,
    hash: u64,
    /// Its bytes, only while they are to be written.
    bytes: Option<Vec<u8>>,
}

/// A metadata chunk as last made.
struct Chunk {
    hash: u64,
    len: usize,
    /// As [`Shard::bytes`].
    bytes: Option<Vec<u8>>,
}

/// What to write after a change.
#[derive(Debug, Default)]
pub struct Update {
    /// Files and their bytes, the manifest last: every file of the index
    /// when `every`, else those that changed since the last update.
    pub files: IndexFiles,
    /// The path of every file of the index.
    pub names: Vec<String>,
    /// Whether `files` holds every file of the index.
    pub every: bool,
}

impl Update {
    /// Every file of an index.
    pub fn every(files: IndexFiles) -> Update {
        let names = files.files.iter().map(|(n, _)| n.clone()).collect();
        Update {
            files,
            names,
            every: true,
        }
    }
}

/// The index of a list of entries, kept to follow edits of them.
pub struct Kept {
    sizes: Sizes,
    /// How many documents (entries past [`MAX_DOCS`] are not indexed).
    n: usize,
    /// `order[doc]`: the entry of document `doc`.
    order: Vec<usize>,
    /// `doc_of[entry]`: its document.
    doc_of: Vec<u32>,
    /// Every word, sorted, with its postings.
    terms: Vec<(Box<str>, Gaps)>,
    shards: Vec<Shard>,
    prefixes: Vec<Prefix>,
    chunks: Vec<Chunk>,
    /// Words whose postings changed since the last update (or that came
    /// or went).
    dirty_terms: Vec<Box<str>>,
    /// Chunks with a changed row since the last update.
    dirty_chunks: Vec<usize>,
}

impl Kept {
    /// The index of `entries` (in note order) and every file of it.
    pub fn new(entries: &[DocEntry<'_>]) -> (Kept, Update) {
        Kept::new_sized(entries, Sizes::BUILD)
    }

    /// [`Kept::new`] with other sizes (tests use small ones).
    pub(super) fn new_sized(entries: &[DocEntry<'_>], sizes: Sizes) -> (Kept, Update) {
        let n = entries.len().min(MAX_DOCS);
        let entries = &entries[..n];
        let dates: Vec<&str> = entries.iter().map(|e| e.date.as_str()).collect();
        let order = doc_order(&dates);
        let mut doc_of = vec![0u32; n];
        for (doc, &i) in order.iter().enumerate() {
            doc_of[i] = doc as u32;
        }
        let postings = postings(entries, &order);
        let mut terms: Vec<(Box<str>, Gaps)> = (postings.into_iter())
            .map(|(t, g)| (Box::from(t), g))
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut kept = Kept {
            sizes,
            n,
            order,
            doc_of,
            terms,
            shards: Vec::new(),
            prefixes: Vec::new(),
            chunks: Vec::new(),
            dirty_terms: Vec::new(),
            dirty_chunks: Vec::new(),
        };
        let update = kept.files(entries, true);
        (kept, update)
    }

    /// Takes in that entry `i` (by note position) is now `new`; it was
    /// `old`, as this index last saw it. Returns false when it cannot:
    /// the date changed, which can renumber the documents (the index is
    /// then to be made anew).
    pub fn change(&mut self, i: usize, old: &DocEntry<'_>, new: &DocEntry<'_>) -> bool {
        if old.date != new.date {
            return false;
        }
        let Some(&doc) = self.doc_of.get(i) else {
            // Past the last document indexed: not in the index.
            return true;
        };
        if old.row != new.row {
            self.dirty_chunks.push(doc as usize / CHUNK_DOCS);
        }
        let was: FxHashMap<&str, u8> = old.all_words().collect();
        let now: FxHashMap<&str, u8> = new.all_words().collect();
        for (w, x) in &was {
            match now.get(w) {
                Some(y) if y == x => {}
                y => self.set(w, doc, y.copied()),
            }
        }
        for (w, x) in &now {
            if !was.contains_key(w) {
                self.set(w, doc, Some(*x));
            }
        }
        true
    }

    /// Gives document `doc` the weight `weight` in the postings of
    /// `word`, or takes it out of them (`None`).
    fn set(&mut self, word: &str, doc: u32, weight: Option<u8>) {
        match self.terms.binary_search_by(|(t, _)| (**t).cmp(word)) {
            Ok(p) => {
                let list = self.terms[p].1.with_doc(doc, weight);
                if list.is_empty() {
                    self.terms.remove(p);
                } else {
                    self.terms[p].1 = list;
                }
            }
            Err(p) => {
                let Some(w) = weight else { return };
                let mut list = Gaps::default();
                list.push((doc << 2) | u32::from(w));
                self.terms.insert(p, (Box::from(word), list));
            }
        }
        self.dirty_terms.push(Box::from(word));
    }

    /// Whether a word changed since the last update between `first` and
    /// `last` (both included).
    fn dirty_between(&self, first: &str, last: &str) -> bool {
        let at = self.dirty_terms.partition_point(|d| &**d < first);
        self.dirty_terms.get(at).is_some_and(|d| &**d <= last)
    }

    /// The prefix lists of the words cut into shards of these term
    /// ranges: each one as it was when it merges the same words, none of
    /// them changed (and not `every`), else made again.
    fn prefix_lists(
        &self,
        old: Vec<Prefix>,
        ranges: &[std::ops::Range<usize>],
        every: bool,
    ) -> Vec<Prefix> {
        let texts: Vec<&str> = self.terms.iter().map(|(t, _)| &**t).collect();
        let lists = prefix_lists(&texts, ranges);
        drop(texts);
        let mut old: FxHashMap<String, Prefix> =
            (old.into_iter()).map(|p| (p.prefix.clone(), p)).collect();
        let plan: Vec<(String, std::ops::Range<usize>, Option<Prefix>)> = (lists.into_iter())
            .map(|(p, range)| {
                let first = &self.terms[range.start].0;
                let last = &self.terms[range.end - 1].0;
                let same = old.remove(&p).filter(|o| {
                    !every
                        && o.first == *first
                        && o.last == *last
                        && o.terms == range.len()
                        && !self.dirty_between(first, last)
                });
                (p, range, same)
            })
            .collect();
        let (terms, n) = (&self.terms, self.n);
        plan.into_par_iter()
            .map(|(prefix, range, same)| {
                if let Some(o) = same {
                    return o;
                }
                let mut scores = PrefixScores::new(n);
                for (t, g) in &terms[range.clone()] {
                    scores.add(**t == *prefix, g.entries());
                }
                let bytes = scores.bytes();
                Prefix {
                    name: prefix_name(&prefix),
                    prefix,
                    first: terms[range.start].0.clone(),
                    last: terms[range.end - 1].0.clone(),
                    terms: range.len(),
                    hash: file_hash(&bytes),
                    bytes: Some(bytes),
                }
            })
            .collect()
    }

    /// The files after the changes since the last update (every file when
    /// `every`, or the first time): `entries` are the entries the index
    /// now has, in note order (their rows make the chunks).
    pub fn files(&mut self, entries: &[DocEntry<'_>], every: bool) -> Update {
        let n = self.n;
        self.dirty_terms.sort_unstable();
        self.dirty_terms.dedup();
        let sized: Vec<(&str, usize)> = (self.terms.iter())
            .map(|(t, g)| (&**t, term_size(t, g.post_len(n))))
            .collect();
        let layout = shards(&sized, self.sizes.split_above, self.sizes.merge_up_to);
        drop(sized);

        let old_prefixes = std::mem::take(&mut self.prefixes);
        // Each shard as it was when it holds the same words, none of them
        // changed; else made again.
        let mut old: FxHashMap<String, Shard> = (self.shards.drain(..))
            .map(|s| (s.name.clone(), s))
            .collect();
        let mut plan: Vec<(std::ops::Range<usize>, String, Option<Shard>)> = Vec::new();
        for (key, range) in layout {
            let (Some(first), Some(last)) = (
                self.terms.get(range.start),
                range.end.checked_sub(1).and_then(|e| self.terms.get(e)),
            ) else {
                continue;
            };
            let name = shard_name(&key);
            let same = old.remove(&name).filter(|s| {
                !every
                    && s.first == first.0
                    && s.last == last.0
                    && s.terms == range.len()
                    && !self.dirty_between(&first.0, &last.0)
            });
            plan.push((range, name, same));
        }
        drop(old);
        let terms = &self.terms;
        let make_shard = |range: std::ops::Range<usize>, name: String| -> Shard {
            let group = &terms[range];
            let encoded: Vec<Term<'_, std::borrow::Cow<'_, [u8]>>> = (group.iter())
                .map(|(t, g)| {
                    let (kind, post) = g.encode_ref(n);
                    Term {
                        text: t,
                        kind,
                        post,
                    }
                })
                .collect();
            let bytes = shard_bytes(&encoded);
            Shard {
                name,
                first: group[0].0.clone(),
                last: group[group.len() - 1].0.clone(),
                terms: group.len(),
                hash: file_hash(&bytes),
                len: bytes.len(),
                bytes: Some(bytes),
            }
        };
        let ranges: Vec<std::ops::Range<usize>> = plan.iter().map(|p| p.0.clone()).collect();
        let made: Vec<(Shard, bool)> = plan
            .into_par_iter()
            .map(|(range, name, same)| match same {
                Some(s) => (s, false),
                None => (make_shard(range, name), true),
            })
            .collect();
        let (mut new_shards, mut fresh_shards): (Vec<Shard>, Vec<bool>) = made.into_iter().unzip();

        // The chunks of the changed rows.
        let count = n.div_ceil(CHUNK_DOCS);
        let order = &self.order;
        let make_chunk = |c: usize| -> Chunk {
            let mut chunk = Chunks::default();
            for &i in &order[c * CHUNK_DOCS..((c + 1) * CHUNK_DOCS).min(n)] {
                chunk.push(&entries[i].row);
            }
            let bytes = chunk.finish().into_iter().next().unwrap_or_default();
            Chunk {
                hash: file_hash(&bytes),
                len: bytes.len(),
                bytes: Some(bytes),
            }
        };
        let mut fresh_chunks = vec![every || self.chunks.len() != count; count];
        for &c in &self.dirty_chunks {
            if let Some(f) = fresh_chunks.get_mut(c) {
                *f = true;
            }
        }
        let mut old_chunks = std::mem::take(&mut self.chunks);
        old_chunks.resize_with(count, || Chunk {
            hash: 0,
            len: 0,
            bytes: None,
        });
        let mut new_chunks: Vec<Chunk> = (old_chunks.into_par_iter().enumerate())
            .map(|(c, old)| if fresh_chunks[c] { make_chunk(c) } else { old })
            .collect();

        let bytes: usize = new_shards.iter().map(|s| s.len).sum::<usize>()
            + new_chunks.iter().map(|c| c.len).sum::<usize>();
        let combine = !(new_shards.is_empty() && count == 0) && bytes <= self.sizes.combine_up_to;
        // The prefix lists, of the shards' files only (as `files_of`).
        let mut new_prefixes = if combine {
            Vec::new()
        } else {
            self.prefix_lists(old_prefixes, &ranges, every)
        };
        let chunk_names: Vec<String> = (0..count).map(chunk_name).collect();
        let h = index_hash(
            (new_shards.iter().map(|s| (s.name.as_str(), s.hash)))
                .chain(new_prefixes.iter().map(|p| (p.name.as_str(), p.hash)))
                .chain(
                    chunk_names
                        .iter()
                        .map(String::as_str)
                        .zip(new_chunks.iter().map(|c| c.hash)),
                ),
        );
        let mut lines = String::new();
        for s in &new_shards {
            manifest_line(&mut lines, &s.first, &s.last, s.terms, &s.name);
        }
        let mut prefix_lines = String::new();
        for p in &new_prefixes {
            prefix_line(&mut prefix_lines, &p.prefix, &p.name);
        }
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut names: Vec<String>;
        let all = if combine {
            // One file of every shard and chunk: their bytes kept.
            (new_shards
                .par_iter_mut()
                .zip(&mut fresh_shards)
                .zip(&ranges))
            .filter(|((s, _), _)| s.bytes.is_none())
            .for_each(|((s, fresh), range)| {
                *s = make_shard(range.clone(), std::mem::take(&mut s.name));
                *fresh = true;
            });
            (new_chunks.par_iter_mut().enumerate())
                .filter(|(_, c)| c.bytes.is_none())
                .for_each(|(c, chunk)| *chunk = make_chunk(c));
            let shard_parts: Vec<&[u8]> = (new_shards.iter())
                .map(|s| s.bytes.as_deref().unwrap_or_default())
                .collect();
            let chunk_parts: Vec<&[u8]> = (new_chunks.iter())
                .map(|c| c.bytes.as_deref().unwrap_or_default())
                .collect();
            let name = all_name(h);
            files.push((
                name.clone(),
                combined_bytes(&shard_parts, &chunk_parts, bytes),
            ));
            names = vec![name.clone()];
            Some(name)
        } else {
            // The files that changed, written; no bytes kept.
            for (s, fresh) in new_shards.iter_mut().zip(&fresh_shards) {
                match s.bytes.take() {
                    Some(b) if *fresh => files.push((s.name.clone(), b)),
                    _ => {}
                }
            }
            for ((c, name), fresh) in new_chunks.iter_mut().zip(&chunk_names).zip(&fresh_chunks) {
                match c.bytes.take() {
                    Some(b) if *fresh => files.push((name.clone(), b)),
                    _ => {}
                }
            }
            for p in &mut new_prefixes {
                if let Some(b) = p.bytes.take() {
                    files.push((p.name.clone(), b));
                }
            }
            names = new_shards.iter().map(|s| s.name.clone()).collect();
            names.extend(new_prefixes.iter().map(|p| p.name.clone()));
            names.extend(chunk_names);
            None
        };
        files.push((
            MANIFEST.to_string(),
            manifest_bytes(n, h, bytes, all.as_deref(), &prefix_lines, &lines),
        ));
        names.push(MANIFEST.to_string());
        self.shards = new_shards;
        self.prefixes = new_prefixes;
        self.chunks = new_chunks;
        self.dirty_terms.clear();
        self.dirty_chunks.clear();
        Update {
            files: IndexFiles { files },
            names,
            every: every || combine,
        }
    }
}

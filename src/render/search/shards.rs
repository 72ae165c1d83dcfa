//! The index split into files that a query fetches only a few of: a
//! manifest, term shards and document chunks (the format is described in
//! the parent module; sizes and timings in `docs/benchmarks.md`).
//!
//! Documents are numbered newest first (by their list date, then in note
//! order), so the client's tie-break between results of equal score, the
//! date, is the document number itself: it ranks without any document's
//! metadata and fetches the chunks of only the results it shows.

use super::DocEntry;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;

/// The folder of the index files, inside the output folder.
pub const DIR: &str = "search/data/";
/// The manifest's path, inside the output folder.
pub const MANIFEST: &str = "search/data/manifest.json";
/// The manifest's `v`: the client refuses any other. 4 since a small
/// index is one file (`all`): its manifest lists shards that are not
/// files, which a client of format 3 would ask for; 5 since a large one
/// has prefix lists (`prefixes`), which a client of format 4 would not
/// know to read.
pub const FORMAT: u32 = 5;
/// Documents per metadata chunk.
pub const CHUNK_DOCS: usize = 100;
/// A group of terms larger than this (bytes) is split by one more
/// character of prefix.
pub const SHARD_SPLIT: usize = 64 * 1024;
/// Neighbouring groups are put in one shard while it stays this small.
pub const SHARD_MERGE: usize = 16 * 1024;
/// Terms are never grouped by more characters than this (a group of
/// terms this alike stays one shard however large).
pub const MAX_PREFIX: usize = 8;
/// An index whose shards and chunks together are at most this many bytes
/// is written as one file instead (the manifest's `all`), which the
/// client fetches whole once the page is in. 4 MB is about what the old
/// single-file index (`search-index.json`) was at 10,000 notes: a site
/// that size downloads no more than it did before the split, and its
/// queries then wait for no request; a larger one (28 MB at 100,000
/// notes) keeps its shards, fetched as queries need them. The client
/// knows nothing of this figure: the manifest tells it which it got.
pub const COMBINE_MAX: usize = 4 * 1024 * 1024;

/// The sizes that decide how the index is cut into files.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    /// [`SHARD_SPLIT`].
    pub split_above: usize,
    /// [`SHARD_MERGE`].
    pub merge_up_to: usize,
    /// [`COMBINE_MAX`].
    pub combine_up_to: usize,
}

impl Sizes {
    /// The sizes of a real build.
    pub const BUILD: Sizes = Sizes {
        split_above: SHARD_SPLIT,
        merge_up_to: SHARD_MERGE,
        combine_up_to: COMBINE_MAX,
    };
}

/// The files of the index: paths inside the output folder and their
/// bytes, the manifest last (written last, so that a reader never finds
/// a manifest naming files not yet there).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexFiles {
    pub files: Vec<(String, Vec<u8>)>,
}

impl IndexFiles {
    /// The total size in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, b)| b.len()).sum()
    }
}

/// The index files now in the output folder `out` (paths inside it).
pub fn existing(out: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join(DIR))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().to_str().map(|n| format!("{DIR}{n}")))
                .filter(|n| !n.contains(".coachbook-new"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Removes the files of the index folder in `out` that `files` does not
/// have (shards of prefixes that are gone, chunks past the last note).
pub fn remove_stale(out: &std::path::Path, files: &IndexFiles) -> std::io::Result<()> {
    let names: Vec<&str> = files.files.iter().map(|(n, _)| n.as_str()).collect();
    remove_others(out, &names)
}

/// Removes the files of the index folder in `out` not named in `names`.
fn remove_others(out: &std::path::Path, names: &[&str]) -> std::io::Result<()> {
    let keep: rustc_hash::FxHashSet<&str> = names.iter().copied().collect();
    for name in existing(out) {
        if !keep.contains(name.as_str()) {
            std::fs::remove_file(out.join(&name))?;
        }
    }
    Ok(())
}

/// Writes the index into the output folder `out` outside a build (`serve`,
/// once the pages are out): each file replaced in one step, the manifest
/// last, then the files the index no longer has removed, and the output
/// folder's list of what coachbook wrote brought up to date.
pub fn write_to(out: &std::path::Path, files: &IndexFiles) -> std::io::Result<()> {
    let names: Vec<&str> = files.files.iter().map(|(n, _)| n.as_str()).collect();
    write_files(out, &files.files, &names, true, true)
}

/// Writes `files` (the manifest last) into the output folder `out`, each
/// replaced in one step: when `compare`, only those whose bytes differ
/// from the file there. When `tidy`, then removes the index files not in
/// `names` (every file of the index) and brings the output folder's list
/// of what coachbook wrote up to date (`serve` leaves both when it knows
/// the index has the files it last wrote, by the same names).
pub fn write_files(
    out: &std::path::Path,
    files: &[(String, Vec<u8>)],
    names: &[&str],
    compare: bool,
    tidy: bool,
) -> std::io::Result<()> {
    std::fs::create_dir_all(out.join(DIR))?;
    for (name, bytes) in files {
        let path = out.join(name);
        if compare && std::fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        let tmp = out.join(format!("{name}.coachbook-new"));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)?;
    }
    if !tidy {
        return Ok(());
    }
    remove_others(out, names)?;
    let list = out.join(crate::output::MANIFEST);
    if let Ok(old) = std::fs::read_to_string(&list) {
        let mut listed: Vec<&str> = old
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(DIR))
            .chain(names.iter().copied())
            .collect();
        listed.sort_unstable();
        let mut text = String::with_capacity(old.len());
        for n in listed {
            text.push_str(n);
            text.push('\n');
        }
        if text != old {
            std::fs::write(&list, text)?;
        }
    }
    Ok(())
}

/// One term and its posting list, encoded.
pub(super) struct Term<'a, P: AsRef<[u8]> = Vec<u8>> {
    pub text: &'a str,
    /// 0: varint gaps; 1: two bits per document.
    pub kind: u8,
    pub post: P,
}

impl<P: AsRef<[u8]>> Term<'_, P> {
    /// Its size in a shard.
    fn size(&self) -> usize {
        term_size(self.text, self.post.as_ref().len())
    }
}

/// The size in a shard of the term `text` whose encoded postings are
/// `post_len` bytes.
pub(super) fn term_size(text: &str, post_len: usize) -> usize {
    text.len() + post_len + 2 * 5 + 1
}

/// The index files of these notes' entries (in note order).
pub fn index_files(entries: &[DocEntry<'_>]) -> IndexFiles {
    index_files_sized(entries, Sizes::BUILD)
}

/// [`index_files`] with other sizes (tests use small ones).
pub(super) fn index_files_sized(entries: &[DocEntry<'_>], sizes: Sizes) -> IndexFiles {
    let n = entries.len().min(MAX_DOCS);
    let entries = &entries[..n];
    let dates: Vec<&str> = entries.iter().map(|e| e.date.as_str()).collect();
    let order = doc_order(&dates);
    let postings = postings(entries, &order);
    let mut chunks = Chunks::default();
    for &i in &order {
        chunks.push(&entries[i].row);
    }
    files_of(n, chunks, postings, sizes)
}

/// The metadata chunks, built a row at a time in document order: each
/// [`CHUNK_DOCS`] rows as a JSON array (`[row,\nrow]\n`). Built as the
/// rows come, no list of every row is kept (at 100k notes, 25 MB held
/// beside the postings).
#[derive(Default)]
pub(super) struct Chunks {
    done: Vec<Vec<u8>>,
    current: String,
    rows: usize,
}

impl Chunks {
    /// Adds the next document's row.
    pub(super) fn push(&mut self, row: &str) {
        self.current.push(if self.rows == 0 { '[' } else { ',' });
        if self.rows > 0 {
            self.current.push('\n');
        }
        self.current.push_str(row);
        self.rows += 1;
        if self.rows == CHUNK_DOCS {
            self.close();
        }
    }

    fn close(&mut self) {
        self.current.push_str("]\n");
        self.done
            .push(std::mem::take(&mut self.current).into_bytes());
        self.rows = 0;
    }

    /// The bytes of [`Chunks::finish`]'s chunks.
    pub(super) fn bytes(&self) -> usize {
        let open = if self.rows > 0 {
            self.current.len() + 2
        } else {
            0
        };
        self.done.iter().map(Vec::len).sum::<usize>() + open
    }

    /// Every chunk, the last one closed.
    pub(super) fn finish(mut self) -> Vec<Vec<u8>> {
        if self.rows > 0 {
            self.close();
        }
        self.done
    }
}

/// The most documents an index numbers (two bits of each posting hold the
/// weight).
pub(super) const MAX_DOCS: usize = (u32::MAX >> 2) as usize;

/// Postings per word of `entries`, built in document order (`order`, the
/// entry at each document number) so each list is sorted.
pub(super) fn postings<'e>(entries: &'e [DocEntry], order: &[usize]) -> FxHashMap<&'e str, Gaps> {
    let mut postings: FxHashMap<&str, Gaps> = FxHashMap::default();
    for (doc, &i) in order.iter().enumerate() {
        let doc = doc as u32;
        for (w, weight) in entries[i].all_words() {
            postings
                .entry(w)
                .or_default()
                .push((doc << 2) | u32::from(weight));
        }
    }
    postings
}

/// Document numbers: newest first (dates `YYYY-MM-DD`, or empty), then
/// note order. `order[doc]` is the note of document `doc`.
pub(super) fn doc_order(dates: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..dates.len()).collect();
    // No two are equal (the note order breaks ties): unstable is the same
    // order, and on every core.
    order.par_sort_unstable_by(|&a, &b| dates[b].cmp(dates[a]).then(a.cmp(&b)));
    order
}

/// The index files of `n` documents: their rows in document order and
/// each word's postings (`doc << 2 | weight`, in document order).
///
/// Each stage consumes the one before (a word's postings are dropped once
/// encoded, a shard's encoded lists once its file is made), so the
/// index's forms are not all held at once.
pub(super) fn files_of<K: AsRef<str> + Send + Sync>(
    n: usize,
    chunks: Chunks,
    postings: FxHashMap<K, Gaps>,
    sizes: Sizes,
) -> IndexFiles {
    let mut terms: Vec<(K, Gaps)> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    let (keys, lists): (Vec<K>, Vec<Gaps>) = terms.into_iter().unzip();
    let encoded: Vec<(u8, Vec<u8>)> = lists.into_par_iter().map(|p| p.encode(n)).collect();
    let mut terms: Vec<Term> = keys
        .iter()
        .zip(encoded)
        .map(|(t, (kind, post))| Term {
            text: t.as_ref(),
            kind,
            post,
        })
        .collect();

    let sized: Vec<(&str, usize)> = terms.iter().map(|t| (t.text, t.size())).collect();
    let layout = shards(&sized, sizes.split_above, sizes.merge_up_to);
    // The prefix lists, made from the encoded lists before the shards take
    // them; only for an index that will not be one file (the sizes are an
    // upper bound of the shards' bytes): a small index's client has every
    // shard in memory.
    let upper: usize = sized.iter().map(|t| t.1).sum::<usize>() + chunks.bytes();
    drop(sized);
    let prefixes = if upper > sizes.combine_up_to {
        prefix_files(&terms, &layout, n)
    } else {
        Vec::new()
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest_shards = String::new();
    for (key, range) in layout {
        let group = &mut terms[range];
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let name = shard_name(&key);
        manifest_line(
            &mut manifest_shards,
            first.text,
            last.text,
            group.len(),
            &name,
        );
        files.push((name, shard_bytes(group)));
        for t in group {
            t.post = Vec::new();
        }
    }
    drop(terms);
    let shard_count = files.len();
    let chunks = chunks.finish();
    // The bytes of every shard and chunk. At most `combine_up_to`, they
    // go out as one file that holds them all (named by the hash: any
    // change to the index is a new name), the shards not written apart:
    // the client of such an index never asks for them, and a small site
    // is then two files instead of a hundred or more. The prefix lists
    // are not counted, and only the shards' files have them.
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum::<usize>()
        + chunks.iter().map(Vec::len).sum::<usize>();
    let combine = (shard_count > 0 || !chunks.is_empty()) && bytes <= sizes.combine_up_to;
    let mut prefix_lines = String::new();
    if !combine {
        for (p, name, bytes) in prefixes {
            prefix_line(&mut prefix_lines, &p, &name);
            files.push((name, bytes));
        }
    }
    files.extend(
        chunks
            .into_iter()
            .enumerate()
            .map(|(c, bytes)| (chunk_name(c), bytes)),
    );
    let hashes: Vec<u64> = files.par_iter().map(|(_, b)| file_hash(b)).collect();
    let h = index_hash(files.iter().map(|(n, _)| n.as_str()).zip(hashes));
    let mut all = None;
    if combine {
        let name = all_name(h);
        let parts: Vec<&[u8]> = files.iter().map(|(_, b)| b.as_slice()).collect();
        let combined = combined_bytes(&parts[..shard_count], &parts[shard_count..], bytes);
        files = vec![(name.clone(), combined)];
        all = Some(name);
    }
    let manifest = manifest_bytes(n, h, bytes, all.as_deref(), &prefix_lines, &manifest_shards);
    files.push((MANIFEST.to_string(), manifest));
    IndexFiles { files }
}

/// The prefix lists of these sorted, encoded terms cut into shards by
/// `layout`, over `n` documents: each prefix, its path and its bytes.
fn prefix_files(
    terms: &[Term],
    layout: &[(String, std::ops::Range<usize>)],
    n: usize,
) -> Vec<(String, String, Vec<u8>)> {
    let texts: Vec<&str> = terms.iter().map(|t| t.text).collect();
    prefix_lists(&texts, layout.iter().map(|(_, r)| r))
        .into_par_iter()
        .map(|(p, range)| {
            let mut scores = PrefixScores::new(n);
            for t in &terms[range] {
                scores.add_encoded(t.text == p, t.kind, &t.post);
            }
            let name = prefix_name(&p);
            (p, name, scores.bytes())
        })
        .collect()
}

/// The path of the shard of terms grouped by `key`.
pub(super) fn shard_name(key: &str) -> String {
    format!("{DIR}t-{}.bin", hex(key))
}

/// The path of metadata chunk `c`.
pub(super) fn chunk_name(c: usize) -> String {
    format!("{DIR}d-{c}.json")
}

/// The path of a small index's one file, named by the index's hash.
pub(super) fn all_name(h: u64) -> String {
    format!("{DIR}all-{h:016x}.bin")
}

/// Adds a shard's line to the manifest's list (`name`: its path).
pub(super) fn manifest_line(out: &mut String, first: &str, last: &str, terms: usize, name: &str) {
    if !out.is_empty() {
        out.push(',');
    }
    let name = name.strip_prefix(DIR).unwrap_or(name);
    // Terms are letters and digits only: nothing to escape.
    let _ = write!(out, "\n[\"{first}\",\"{last}\",{terms},\"{name}\"]");
}

/// The manifest of `n` documents whose index has the hash `h`, `bytes`
/// bytes of shards and chunks, the one file `all` (its path) when it is
/// small, and the shards listed by `shard_lines` ([`manifest_line`]).
pub(super) fn manifest_bytes(
    n: usize,
    h: u64,
    bytes: usize,
    all: Option<&str>,
    prefix_lines: &str,
    shard_lines: &str,
) -> Vec<u8> {
    let all = all.map_or(String::new(), |a| {
        format!("\"all\":\"{}\",", a.strip_prefix(DIR).unwrap_or(a))
    });
    let prefixes = if prefix_lines.is_empty() {
        String::new()
    } else {
        format!("\"prefixes\":[{prefix_lines}],")
    };
    format!(
        "{{\"v\":{FORMAT},\"docs\":{n},\"chunk\":{CHUNK_DOCS},\"h\":\"{h:016x}\",\"bytes\":{bytes},{all}{prefixes}\"shards\":[{shard_lines}]}}\n"
    )
    .into_bytes()
}

/// One file's hash ([`Fnv`] of its bytes).
pub(super) fn file_hash(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.feed(bytes);
    h.0
}

/// One hash of every file (shards, then chunks, in order), from their
/// paths and each one's [`file_hash`]: the client asks for `file?h=HASH`,
/// so a browser never mixes a cached shard of an older index with this
/// one. Made of the files' own hashes, not of their bytes in one run, so
/// that `serve` hashes again only the files a save changed (and a build
/// hashes its files in parallel).
pub(super) fn index_hash<'a>(files: impl Iterator<Item = (&'a str, u64)>) -> u64 {
    let mut h = Fnv::default();
    for (name, fh) in files {
        h.feed(name.as_bytes());
        h.feed(&fh.to_le_bytes());
    }
    h.0
}

/// The one file of a small index: the number of shards, then each shard's
/// length and bytes, in the manifest's order; the number of chunks, then
/// each chunk's length and bytes (its JSON), chunk 0 first; lengths as
/// LEB128 varints. The shards and chunks are the files they would be
/// apart (`bytes` long together).
pub(super) fn combined_bytes(shards: &[&[u8]], chunks: &[&[u8]], bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 5 * (shards.len() + chunks.len() + 2));
    for part in [shards, chunks] {
        varint(&mut out, part.len() as u32);
        for b in part {
            varint(&mut out, b.len() as u32);
            out.extend_from_slice(b);
        }
    }
    out
}

/// The shards: runs of sorted terms sharing a prefix of 2 characters, or
/// more where that run is larger than [`SHARD_SPLIT`], small neighbours
/// merged up to [`SHARD_MERGE`]. Each is named by its first run's prefix.
pub(super) fn shards(
    terms: &[(&str, usize)],
    split_above: usize,
    merge_up_to: usize,
) -> Vec<(String, std::ops::Range<usize>)> {
    let mut groups = Vec::new();
    split(terms, 0, 2, split_above, &mut groups);
    let mut out: Vec<(String, std::ops::Range<usize>, usize)> = Vec::new();
    for (key, range, size) in groups {
        match out.last_mut() {
            Some((_, r, s)) if *s + size <= merge_up_to && r.end == range.start => {
                r.end = range.end;
                *s += size;
            }
            _ => out.push((key, range, size)),
        }
    }
    out.into_iter().map(|(k, r, _)| (k, r)).collect()
}

/// The first `k` characters of `t` (all of it when shorter).
fn prefix(t: &str, k: usize) -> &str {
    t.char_indices().nth(k).map_or(t, |(i, _)| &t[..i])
}

/// Groups `terms` (which start at index `offset` of the whole list) by
/// their first `k` characters, splitting large groups further.
fn split(
    terms: &[(&str, usize)],
    offset: usize,
    k: usize,
    split_above: usize,
    out: &mut Vec<(String, std::ops::Range<usize>, usize)>,
) {
    let mut start = 0;
    while start < terms.len() {
        let key = prefix(terms[start].0, k);
        let mut end = start + 1;
        while end < terms.len() && prefix(terms[end].0, k) == key {
            end += 1;
        }
        let group = &terms[start..end];
        let size: usize = group.iter().map(|t| t.1).sum();
        if size > split_above && group.len() > 1 && k < MAX_PREFIX {
            split(group, offset + start, k + 1, split_above, out);
        } else {
            out.push((key.to_string(), offset + start..offset + end, size));
        }
        start = end;
    }
}

/// A query word expands to at most this many words it starts (the
/// client's `EXPAND`: a one-letter word starts hundreds).
pub const EXPAND: usize = 400;
/// A prefix whose first [`EXPAND`] words lie in more than this many
/// shards gets a file of its own (see [`prefix_lists`]).
pub const PREFIX_SHARDS: usize = 3;
/// A word's score in a document by the weight of its place there (the
/// client's `WEIGHT`), plus one when the word is the query word itself.
const WEIGHTS: [u8; 4] = [1, 4, 10, 10];

/// The prefixes that get a list of their own: each prefix (of up to
/// [`MAX_PREFIX`] characters) of the sorted `terms` whose first [`EXPAND`]
/// terms lie in more than [`PREFIX_SHARDS`] of the `shards` (their term
/// ranges, in order), with the range of those terms.
///
/// Without them a query typed one letter at a time fetches, at its first
/// letter, every shard that letter's first 400 words lie in: at 100k
/// notes "c" fetched 30 files (676 KB) and matched 400 lists before its
/// first result (150-170 ms); its prefix list is one file, the scores
/// already merged.
pub(super) fn prefix_lists<'r>(
    terms: &[&str],
    shards: impl IntoIterator<Item = &'r std::ops::Range<usize>>,
) -> Vec<(String, std::ops::Range<usize>)> {
    // The shard of each term.
    let mut shard_of = vec![0; terms.len()];
    for (s, range) in shards.into_iter().enumerate() {
        if let Some(part) = shard_of.get_mut(range.clone()) {
            part.fill(s);
        }
    }
    let mut out = Vec::new();
    heavy(terms, &shard_of, 0, 1, &mut out);
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// [`prefix_lists`] of `terms` (at `offset` of the whole list) grouped by
/// their first `k` characters; recurses into the groups whose terms lie
/// in more than [`PREFIX_SHARDS`] shards (only they can hold such a
/// prefix).
fn heavy(
    terms: &[&str],
    shard_of: &[usize],
    offset: usize,
    k: usize,
    out: &mut Vec<(String, std::ops::Range<usize>)>,
) {
    let spans = |a: usize, b: usize| shard_of[offset + b - 1] - shard_of[offset + a] + 1;
    let mut start = 0;
    while start < terms.len() {
        let key = prefix(terms[start], k);
        let mut end = start + 1;
        while end < terms.len() && prefix(terms[end], k) == key {
            end += 1;
        }
        // A term shorter than k characters is a group of its own, whose
        // key is a shorter prefix, already looked at.
        if key.chars().count() == k && spans(start, end) > PREFIX_SHARDS {
            let first = start..end.min(start + EXPAND);
            if spans(first.start, first.end) > PREFIX_SHARDS {
                out.push((key.to_string(), offset + first.start..offset + first.end));
            }
            if k < MAX_PREFIX {
                heavy(&terms[start..end], shard_of, offset + start, k + 1, out);
            }
        }
        start = end;
    }
}

/// The path of the list of words starting with `prefix`.
pub(super) fn prefix_name(prefix: &str) -> String {
    format!("{DIR}p-{}.bin", hex(prefix))
}

/// Adds a prefix list's entry to the manifest's list (`name`: its path).
pub(super) fn prefix_line(out: &mut String, prefix: &str, name: &str) {
    if !out.is_empty() {
        out.push(',');
    }
    let name = name.strip_prefix(DIR).unwrap_or(name);
    // A prefix of a term: letters and digits only, nothing to escape.
    let _ = write!(out, "\n[\"{prefix}\",\"{name}\"]");
}

/// Each document's score for a query word that is `prefix`, from the
/// words it expands to: the best, over them, of the word's weight in the
/// document ([`WEIGHTS`]) plus one for the word `prefix` itself, exactly
/// as the client scores the words of the shards. 0: no such word.
pub(super) struct PrefixScores {
    scores: Vec<u8>,
}

impl PrefixScores {
    pub(super) fn new(docs: usize) -> PrefixScores {
        PrefixScores {
            scores: vec![0; docs],
        }
    }

    /// Adds a word's postings (`doc * 4 + weight`); `exact`: it is the
    /// prefix itself.
    pub(super) fn add(&mut self, exact: bool, entries: impl Iterator<Item = u32>) {
        for v in entries {
            let s = WEIGHTS[(v & 3) as usize] + u8::from(exact);
            if let Some(x) = self.scores.get_mut((v >> 2) as usize) {
                *x = (*x).max(s);
            }
        }
    }

    /// [`PrefixScores::add`] of an encoded list (see [`Gaps::encode`]),
    /// read in place.
    pub(super) fn add_encoded(&mut self, exact: bool, kind: u8, post: &[u8]) {
        if kind == 0 {
            let mut pos = 0;
            let mut prev = 0u32;
            self.add(
                exact,
                std::iter::from_fn(|| {
                    prev = prev.wrapping_add(varint_at(post, &mut pos)?);
                    Some(prev)
                }),
            );
            return;
        }
        let bonus = u8::from(exact);
        for (scores, &x) in self.scores.chunks_mut(4).zip(post) {
            if x == 0 {
                continue;
            }
            for (k, s) in scores.iter_mut().enumerate() {
                let w = (x >> (k * 2)) & 3;
                if w > 0 {
                    *s = (*s).max(WEIGHTS[usize::from(w - 1)] + bonus);
                }
            }
        }
    }

    /// The list's file: an encoding byte, then the scores as varint gaps
    /// between entries `doc * 16 + score` (0), or four bits per document,
    /// two documents a byte from the low bits (1), whichever is smaller.
    pub(super) fn bytes(self) -> Vec<u8> {
        let dense = self.scores.len().div_ceil(2);
        let mut gaps = vec![0u8];
        let mut last = 0u64;
        for (doc, &s) in self.scores.iter().enumerate() {
            if s == 0 {
                continue;
            }
            let v = (doc as u64) * 16 + u64::from(s);
            varint64(&mut gaps, v - last);
            last = v;
            if gaps.len() > dense + 1 {
                break;
            }
        }
        if gaps.len() <= dense + 1 {
            return gaps;
        }
        let mut out = Vec::with_capacity(dense + 1);
        out.push(1);
        for pair in self.scores.chunks(2) {
            out.push(pair[0] | pair.get(1).map_or(0, |s| s << 4));
        }
        out
    }
}

/// `v` as an LEB128 varint (the scores of a prefix list may pass 32 bits).
fn varint64(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A shard file: the number of terms, then per term its length and
/// UTF-8 bytes, its encoding (0 gaps, 1 two bits per document), the
/// length of its postings and their bytes; lengths as LEB128 varints.
pub(super) fn shard_bytes<P: AsRef<[u8]>>(terms: &[Term<'_, P>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.iter().map(Term::size).sum::<usize>() + 5);
    varint(&mut out, terms.len() as u32);
    for t in terms {
        varint(&mut out, t.text.len() as u32);
        out.extend_from_slice(t.text.as_bytes());
        out.push(t.kind);
        let post = t.post.as_ref();
        varint(&mut out, post.len() as u32);
        out.extend_from_slice(post);
    }
    out
}

/// A posting list (entries `doc * 4 + weight`) built in document order,
/// held as it is written: the gaps between entries as varints. At 100k
/// notes, 7.2 million postings take 7.7 MB so, against 44 MB as `u32`s
/// grown by doubling (the peak of the search stage).
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Gaps {
    bytes: Vec<u8>,
    last: u32,
}

impl Gaps {
    /// Adds the next entry: larger than any before (documents are added
    /// in order, each word once per document).
    pub(super) fn push(&mut self, v: u32) {
        debug_assert!(self.bytes.is_empty() || v > self.last);
        varint(&mut self.bytes, v.wrapping_sub(self.last));
        self.last = v;
    }

    /// The entries, decoded.
    pub(super) fn entries(&self) -> impl Iterator<Item = u32> + '_ {
        let mut pos = 0;
        let mut prev = 0u32;
        std::iter::from_fn(move || {
            let gap = varint_at(&self.bytes, &mut pos)?;
            prev = prev.wrapping_add(gap);
            Some(prev)
        })
    }

    /// The list over `docs` documents in the smaller of two encodings:
    /// its gaps as they are (kind 0), or two bits per document, `weight +
    /// 1` or 0 when absent, four documents a byte from the low bits (kind
    /// 1: a word in most notes costs a quarter byte a note).
    pub(super) fn encode(self, docs: usize) -> (u8, Vec<u8>) {
        if self.bytes.len() <= docs.div_ceil(4) {
            return (0, self.bytes);
        }
        (1, self.bitmap(docs))
    }

    /// [`Gaps::encode`], the list kept.
    pub(super) fn encode_ref(&self, docs: usize) -> (u8, std::borrow::Cow<'_, [u8]>) {
        if self.bytes.len() <= docs.div_ceil(4) {
            return (0, std::borrow::Cow::Borrowed(&self.bytes));
        }
        (1, std::borrow::Cow::Owned(self.bitmap(docs)))
    }

    /// The length of [`Gaps::encode`]'s bytes, without encoding.
    pub(super) fn post_len(&self, docs: usize) -> usize {
        self.bytes.len().min(docs.div_ceil(4))
    }

    /// Two bits per document (kind 1 of [`Gaps::encode`]).
    fn bitmap(&self, docs: usize) -> Vec<u8> {
        let mut bits = vec![0u8; docs.div_ceil(4)];
        for v in self.entries() {
            let doc = (v >> 2) as usize;
            if let Some(b) = bits.get_mut(doc / 4) {
                *b |= (((v & 3) + 1) as u8) << ((doc % 4) * 2);
            }
        }
        bits
    }

    /// Whether the list has no entry.
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The list with document `doc`'s entry given the weight `weight`, or
    /// taken out (`None`); the others as they are.
    pub(super) fn with_doc(&self, doc: u32, weight: Option<u8>) -> Gaps {
        let mut out = Gaps {
            bytes: Vec::with_capacity(self.bytes.len() + 5),
            last: 0,
        };
        let mut new = weight.map(|w| (doc << 2) | u32::from(w));
        for v in self.entries() {
            let d = v >> 2;
            if d == doc {
                continue;
            }
            if d > doc {
                if let Some(n) = new.take() {
                    out.push(n);
                }
            }
            out.push(v);
        }
        if let Some(n) = new {
            out.push(n);
        }
        out
    }
}

/// A sorted posting list in its smaller encoding (see [`Gaps::encode`]).
#[cfg(test)]
pub(super) fn encode(list: &[u32], docs: usize) -> (u8, Vec<u8>) {
    let mut gaps = Gaps::default();
    for &v in list {
        gaps.push(v);
    }
    gaps.encode(docs)
}

/// `v` as an LEB128 varint: seven bits a byte, low first, high bit set on
/// every byte but the last.
pub(super) fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The LEB128 varint at `pos` of `bytes`, moving `pos` past it.
pub(super) fn varint_at(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
    }
}

/// The UTF-8 bytes of `s` in hexadecimal: a file name for any prefix.
fn hex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// FNV-1a, 64 bits: the same on every platform and build.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Test helpers: the decoders the client implements, in Rust.
#[cfg(test)]
pub(super) mod read {
    /// A shard's terms with their postings (`doc * 4 + weight`, sorted).
    pub fn shard(bytes: &[u8], docs: usize) -> Option<Vec<(String, Vec<u32>)>> {
        let mut pos = 0;
        let n = varint(bytes, &mut pos)?;
        let mut out = Vec::new();
        for _ in 0..n {
            let len = varint(bytes, &mut pos)? as usize;
            let text = std::str::from_utf8(bytes.get(pos..pos + len)?).ok()?;
            pos += len;
            let kind = *bytes.get(pos)?;
            pos += 1;
            let len = varint(bytes, &mut pos)? as usize;
            let post = bytes.get(pos..pos + len)?;
            pos += len;
            let mut list = Vec::new();
            if kind == 0 {
                let (mut p, mut v) = (0, 0u32);
                while p < post.len() {
                    v += varint(post, &mut p)?;
                    list.push(v);
                }
            } else {
                for doc in 0..docs {
                    let w = (post.get(doc / 4)? >> ((doc % 4) * 2)) & 3;
                    if w > 0 {
                        list.push(((doc as u32) << 2) | u32::from(w - 1));
                    }
                }
            }
            out.push((text.to_string(), list));
        }
        (pos == bytes.len()).then_some(out)
    }

    /// A prefix list's score of each of `docs` documents (0: none).
    pub fn prefix(bytes: &[u8], docs: usize) -> Option<Vec<u8>> {
        let mut scores = vec![0u8; docs];
        match *bytes.first()? {
            0 => {
                let (mut pos, mut v) = (1, 0u64);
                while pos < bytes.len() {
                    let mut gap = 0u64;
                    let mut shift = 0;
                    loop {
                        let b = *bytes.get(pos)?;
                        pos += 1;
                        gap |= u64::from(b & 0x7f) << shift;
                        if b < 0x80 {
                            break;
                        }
                        shift += 7;
                    }
                    v += gap;
                    *scores.get_mut((v / 16) as usize)? = (v % 16) as u8;
                }
            }
            1 => {
                for (doc, s) in scores.iter_mut().enumerate() {
                    *s = (bytes.get(1 + doc / 2)? >> ((doc % 2) * 4)) & 15;
                }
            }
            _ => return None,
        }
        Some(scores)
    }

    /// The parts of a small index's one file, each a slice of it.
    pub type Parts<'a> = Vec<&'a [u8]>;

    /// The one file of a small index: its shards and its chunks.
    pub fn combined(bytes: &[u8]) -> Option<(Parts<'_>, Parts<'_>)> {
        let mut pos = 0;
        let mut part = || -> Option<Vec<&[u8]>> {
            let n = varint(bytes, &mut pos)?;
            let mut out = Vec::new();
            for _ in 0..n {
                let len = varint(bytes, &mut pos)? as usize;
                out.push(bytes.get(pos..pos + len)?);
                pos += len;
            }
            Some(out)
        };
        let shards = part()?;
        let chunks = part()?;
        (pos == bytes.len()).then_some((shards, chunks))
    }

    pub fn varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
        super::varint_at(bytes, pos)
    }
}

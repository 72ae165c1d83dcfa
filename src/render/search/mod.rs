//! The client-side search index, under `search/data/`: an inverted index
//! over every word of every note, built at build time and read by
//! `themes/default/static/search.js`. It holds only what a reader sees on
//! the note's page (see [`body_text`]): the index is public, so text the
//! page hides (comments, scripts) must not reach it.
//!
//! It is split so that a query downloads a few small files, not the whole
//! index (format 5; [`shards`] writes it):
//!
//! ```text
//! search/data/manifest.json  {"v": 5, "docs": N, "chunk": 100, "h": "<hash>", "bytes": B,
//!                             "all": "all-<hash>.bin",   (a small index only)
//!                             "prefixes": [["c", "p-63.bin"], ...],   (a large index only)
//!                             "shards": [["first word", "last word", words, "t-6465.bin"], ...]}
//! search/data/t-<hex>.bin    a shard: sorted words and their posting lists
//! search/data/p-<hex>.bin    a prefix list: each document's score for a
//!                            query word that is this prefix
//! search/data/d-<k>.json     [[title, url from the site root, kind, date, summary], ...]
//!                            for documents k*100 .. k*100+99
//! search/data/all-<hash>.bin every shard and every chunk in one file, instead
//!                            of the files above, when they hold at most 4 MB
//! ```
//!
//! Words are grouped by their first two characters (the file name is the
//! prefix's UTF-8 in hex); a group larger than 64 KB is split by one more
//! character (up to 8), and neighbouring small groups share a file up to
//! 16 KB. A posting list holds `doc * 4 + weight` (weight 2: in the title,
//! 1: in the account, names, tags, kind or takeaway, 0: in the text) as
//! varint gaps, or two bits per document when that is smaller (a word in
//! most notes). Documents are numbered newest first, so results of equal
//! score rank by number and the client fetches the metadata chunks of the
//! results it shows only. Words of one character and a short list of
//! English stop words are left out; the client ignores them in queries too.
//!
//! A query word matches the words it starts (at most 400 of them, the
//! first in sorted order), so a word being typed, one letter so far, would
//! fetch every shard those words lie in: at 100k notes "c" was 30 files
//! and 676 KB, and 400 posting lists to merge. A prefix whose first 400
//! words lie in more than 3 shards therefore has a prefix list (a large
//! index only): each document's best score among those words, merged at
//! build time as the client merges them (weight 2, 1, 0 scores 10, 4, 1;
//! plus one for the prefix itself), as varint gaps between `doc * 16 +
//! score` or four bits a document, whichever is smaller. The client
//! fetches that one file instead of the shards; the results are the same.
//!
//! `bytes` is the size of every shard and chunk together (the prefix lists
//! are not counted). When it is at
//! most [`shards::COMBINE_MAX`] (4 MB, about what the old single-file
//! index was at 10k notes), they are written as one file, `all`, and not
//! apart: the client fetches that file once the page is in (or at the
//! first query, if that comes sooner) and answers every query from
//! memory, with the same shards and chunks, so the same results. The
//! manifest's shard names then name no file (they only tell the shards
//! apart). Above it, a query fetches only the files it needs.
//!
//! Why our own format rather than pagefind's or elasticlunr-rs's:
//! pagefind is a separate binary (its index format has no Rust crate that
//! writes it, and its client is a WebAssembly module), and elasticlunr's
//! client loads the whole index, several times larger than this one.
//! `docs/benchmarks.md` has the sizes and timings.
//!
//! `h` is a hash of every shard and chunk (of each file's path and own
//! hash): the client fetches `file?h=HASH`, so a browser never mixes a
//! cached file of an older index with this one.
//!
//! Parts: this file makes the words; [`shards`] the files; [`kept`] the
//! index `serve` keeps between saves, to make again only the files an
//! edit changed; [`text`] finds the text a page shows; unit tests are in
//! `tests.rs` and `shard_tests.rs`.

mod kept;
#[cfg(test)]
mod shard_tests;
mod shards;
#[cfg(test)]
mod tests;
mod text;

pub use kept::{Kept, Update};
pub use shards::{
    existing, index_files, remove_stale, write_files, write_to, IndexFiles, DIR, MANIFEST,
};
pub use text::{body_text, plain_start};

use crate::model::{Note, NoteData, Site};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use text::{cut_words, shown_text};

/// How many characters of a note's text its summary (the result snippet)
/// keeps when it has no takeaway.
const SUMMARY_CHARS: usize = 200;

/// Words too common to be worth an entry (the client skips them too).
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her",
    "his", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so", "that",
    "the", "their", "them", "then", "there", "they", "this", "to", "was", "we", "were", "what",
    "when", "which", "who", "will", "with", "you", "your",
];

/// Whether `w` (lower case) is one of [`STOP_WORDS`] (a `match`, which
/// compiles to compares of lengths and bytes: this runs on every word).
fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "an" | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "he"
            | "her"
            | "his"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "our"
            | "she"
            | "so"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "they"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "what"
            | "when"
            | "which"
            | "who"
            | "will"
            | "with"
            | "you"
            | "your"
    )
}

/// Calls `f` with each word of `text`, lower-cased: runs of letters and
/// digits of 2 to 40 characters that are not stop words. Words already in
/// lower case are borrowed from `text`.
pub fn words<'a>(text: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.len() < 2 || raw.len() > 160 {
            continue;
        }
        if raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            if raw.len() <= 40 && !is_stop_word(raw) {
                f(Cow::Borrowed(raw));
            }
            continue;
        }
        let word: String = if raw.is_ascii() {
            raw.to_ascii_lowercase()
        } else {
            raw.chars().flat_map(char::to_lowercase).collect()
        };
        let n = word.chars().count();
        if (2..=40).contains(&n) && !is_stop_word(&word) {
            f(Cow::Owned(word));
        }
    }
}

/// One note's part of the index: its row of `docs` and its words with
/// their weights.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocEntry<'a> {
    /// The note's row of its fragment chunk, as JSON.
    pub row: String,
    /// The date results are ordered by (newest first), `YYYY-MM-DD` or
    /// empty.
    pub date: String,
    /// Its distinct words with the weight of the best place each is in
    /// (in no particular order), but those of [`DocEntry::text`].
    pub words: Vec<(Cow<'a, str>, u8)>,
    /// Its body's text as shown, lower-cased: the words of weight 0 not
    /// in `words` are byte ranges of it (`text_words`). One string for
    /// the body, not one per word: a 100k build made and freed about 12
    /// million of them.
    pub text: String,
    /// The ranges of `text` that are words of weight 0 (distinct, none of
    /// them in `words`).
    pub text_words: Vec<(u32, u32)>,
}

impl<'a> DocEntry<'a> {
    /// Every word and its weight: `words`, then the words of `text`.
    pub fn all_words(&self) -> impl Iterator<Item = (&str, u8)> + '_ {
        let text = (self.text_words.iter())
            .map(|&(s, e)| (self.text.get(s as usize..e as usize).unwrap_or(""), 0));
        self.words.iter().map(|(w, x)| (&**w, *x)).chain(text)
    }

    /// The entry with every word owned, to be kept after its note is
    /// gone (`serve` keeps each note's entry between saves).
    pub fn into_owned(self) -> DocEntry<'static> {
        DocEntry {
            row: self.row,
            date: self.date,
            words: (self.words.into_iter())
                .map(|(w, weight)| (Cow::Owned(w.into_owned()), weight))
                .collect(),
            text: self.text,
            text_words: self.text_words,
        }
    }
}

/// Indexes one note. Depends on the note alone (references are indexed as
/// written), so an edit re-indexes just the notes it touched.
pub fn doc_entry(n: &Note) -> DocEntry<'_> {
    // The note's fields: a few dozen words (the body's are kept apart,
    // see below, but for a body that is not ASCII).
    let mut best: FxHashMap<Cow<'_, str>, u8> =
        FxHashMap::with_capacity_and_hasher(64, Default::default());
    let mut add = |text, w: u8| {
        words(text, |word| {
            if let Some(v) = best.get_mut(&word) {
                *v = (*v).max(w);
            } else {
                best.insert(word, w);
            }
        })
    };
    add(&n.title, 2);
    add(n.kind.label(), 1);
    for t in &n.tags {
        add(t, 1);
    }
    // Shown in the page's Properties table.
    for (_, v) in &n.properties {
        add(v, 0);
    }
    match &n.data {
        NoteData::Rep(r) => {
            add(&r.name, 1);
            add(&r.team, 1);
        }
        NoteData::Deal(d) => {
            add(&d.account, 1);
            add(&d.owner.target, 1);
            add(&d.stage, 1);
            if let Some(s) = &d.next_step {
                add(s, 0);
            }
        }
        NoteData::Interaction(x) => {
            add(&x.takeaway, 1);
            add(&x.rep.target, 1);
            if let Some(d) = &x.deal {
                add(&d.target, 1);
            }
        }
        NoteData::Prep(p) => {
            add(&p.deal.target, 1);
            if let Some(r) = p.rep() {
                add(&r.target, 1);
            }
            add(&p.objective, 0);
            add(&p.buyer_needs, 0);
            add(&p.our_ask, 0);
        }
        NoteData::Manager(m) => {
            add(&m.name, 1);
            for t in &m.teams {
                add(t, 1);
            }
        }
        NoteData::Forecast(_) | NoteData::Page => {}
    }
    // What the page shows of the body, not the Markdown as written (its
    // words are owned: the text is made here).
    // A body that cannot be read again (its file changed during the
    // build; its page says so) leaves only the note's fields indexed.
    let text = crate::content::body_text(n).unwrap_or_else(|_| std::sync::Arc::from(""));
    let (mut body, summary_text) = shown_text(&text, n.raw_html_as_text);
    let mut text_words = Vec::new();
    if body.is_ascii() && u32::try_from(body.len()).is_ok() {
        // Lower-cased as a whole, ASCII text splits into the same words,
        // each one the lower-cased word itself: kept as its range.
        body.make_ascii_lowercase();
        let base = body.as_ptr() as usize;
        let mut seen: FxHashSet<&str> =
            FxHashSet::with_capacity_and_hasher(body.len() / 12, Default::default());
        words(&body, |word| match word {
            Cow::Borrowed(w) => {
                if !best.contains_key(w) && seen.insert(w) {
                    let start = (w.as_ptr() as usize).saturating_sub(base);
                    // Within `body`, whose length fits in a u32.
                    text_words.push((start as u32, (start + w.len()) as u32));
                }
            }
            Cow::Owned(w) => {
                if !best.contains_key(&*w) {
                    best.insert(Cow::Owned(w), 0);
                }
            }
        });
    } else {
        words(&body, |word| {
            if !best.contains_key(&*word) {
                best.insert(Cow::Owned(word.into_owned()), 0);
            }
        });
    }
    let words: Vec<(Cow<'_, str>, u8)> = best.into_iter().collect();

    let date = n.list_date().map(|d| d.to_string()).unwrap_or_default();
    let summary = match n.interaction() {
        Some(x) if !x.takeaway.trim().is_empty() => x.takeaway.trim().to_string(),
        _ => match n.deal() {
            Some(d) => format!("{} · {}", d.account, d.stage),
            None => cut_words(&summary_text, SUMMARY_CHARS),
        },
    };
    let row = serde_json::to_string(&(&n.title, n.url_path(), n.kind.label(), &date, summary))
        .unwrap_or_else(|_| "[\"\",\"\",\"\",\"\",\"\"]".into());
    DocEntry {
        row,
        date,
        words,
        text: if text_words.is_empty() {
            String::new()
        } else {
            body
        },
        text_words,
    }
}

/// The index files of a whole site (see [`shards`]).
///
/// The notes are indexed in batches, in document order, each batch's words
/// folded into the postings and dropped before the next: every note's
/// words held at once came on top of the parsed notes (the peak of a 100k
/// build). The files are the bytes [`index_files`] makes of all entries.
pub fn site_index(site: &Site) -> IndexFiles {
    site_index_batched(site, 4096)
}

/// [`site_index`], indexing `batch` notes at once (in parallel).
fn site_index_batched(site: &Site, batch: usize) -> IndexFiles {
    let batch = batch.max(1);
    let notes = &site.notes[..site.notes.len().min(shards::MAX_DOCS)];
    let dates: Vec<String> = notes
        .par_iter()
        .map(|n| n.list_date().map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let order = shards::doc_order(&dates.iter().map(String::as_str).collect::<Vec<_>>());
    let mut postings: FxHashMap<Box<str>, shards::Gaps> = FxHashMap::default();
    let mut chunks = shards::Chunks::default();
    // Each batch's entries are merged (in order, on one thread) while the
    // next batch is made on the others: merged between batches, they left
    // a core idle for about a fifth of the index's time at 100k notes.
    let mut merge = |b: usize, entries: Vec<DocEntry>| {
        for (j, e) in entries.into_iter().enumerate() {
            let doc = ((b * batch + j) as u32) << 2;
            for (w, weight) in e.all_words() {
                let posting = doc | u32::from(weight);
                match postings.get_mut(w) {
                    Some(list) => list.push(posting),
                    None => {
                        let mut list = shards::Gaps::default();
                        list.push(posting);
                        postings.insert(Box::from(w), list);
                    }
                }
            }
            chunks.push(&e.row);
        }
    };
    let mut made: Option<(usize, Vec<DocEntry>)> = None;
    for (b, notes_of_batch) in order.chunks(batch).enumerate() {
        let make = || -> Vec<DocEntry> {
            notes_of_batch
                .par_iter()
                .map(|&i| doc_entry(&notes[i]))
                .collect()
        };
        let previous = made.take();
        let ((), entries) = rayon::join(
            || {
                if let Some((pb, pe)) = previous {
                    merge(pb, pe);
                }
            },
            make,
        );
        made = Some((b, entries));
    }
    if let Some((b, entries)) = made {
        merge(b, entries);
    }
    shards::files_of(notes.len(), chunks, postings, shards::Sizes::BUILD)
}

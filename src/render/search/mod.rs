//! The client-side search index, `search-index.json`: an inverted index
//! over every word of every note, built at build time and read by
//! `themes/default/static/search.js`. It holds only what a reader sees on
//! the note's page (see [`body_text`]): the index is public, so text the
//! page hides (comments, scripts) must not reach it.
//!
//! ```json
//! {"v": 2,
//!  "docs": [["title", "url from the site root", "kind", "date", "summary"], ...],
//!  "terms": ["account", "acme", ...],
//!  "post": ["1c,4,a", ...]}
//! ```
//!
//! `terms` is sorted, so the client finds every term that starts with what
//! is being typed by binary search. `post[i]` lists the notes holding
//! `terms[i]`: each entry is `doc * 4 + weight` (weight 2: in the title, 1:
//! in the account, names, tags, kind or takeaway, 0: in the text), written
//! as the difference from the previous entry, in base 36, separated by
//! commas. Words of one character and a short list of English stop words
//! are left out; the client ignores them in queries too.
//!
//! Why our own index rather than elasticlunr-rs (mdBook's) or pagefind:
//! elasticlunr's JSON repeats every term's postings as nested objects with
//! frequencies and its client library loads the whole of it, several times
//! larger than this for the same notes; pagefind is a separate binary with
//! its own fragment files. This index is one file, about half the size of
//! the notes' Markdown, and a keystroke costs a binary search and a merge
//! of a few posting lists (`docs/benchmarks.md` has the figures).
//!
//! Parts: this file makes the words and the index; [`text`] finds the
//! text a page shows; unit tests are in `tests.rs`.

#[cfg(test)]
mod tests;
mod text;

pub use text::{body_text, plain_start};

use crate::model::{Note, NoteData, Site};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
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
#[derive(Debug, Clone, PartialEq)]
pub struct DocEntry<'a> {
    /// The note's row of `docs`, as JSON.
    pub row: String,
    /// Its distinct words with the weight of the best place each is in
    /// (in no particular order).
    pub words: Vec<(Cow<'a, str>, u8)>,
}

/// Indexes one note. Depends on the note alone (references are indexed as
/// written), so an edit re-indexes just the notes it touched.
pub fn doc_entry(n: &Note) -> DocEntry<'_> {
    // About one distinct word per 12 bytes of text: sized once, not grown.
    let mut best: FxHashMap<Cow<'_, str>, u8> = FxHashMap::with_capacity_and_hasher(
        (n.body.len() / 12).clamp(16, 1 << 16),
        Default::default(),
    );
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
    let (body, summary_text) = shown_text(&n.body, n.raw_html_as_text);
    words(&body, |word| {
        if !best.contains_key(&*word) {
            best.insert(Cow::Owned(word.into_owned()), 0);
        }
    });
    let words: Vec<(Cow<'_, str>, u8)> = best.into_iter().collect();

    let date = n.list_date().map(|d| d.to_string()).unwrap_or_default();
    let summary = match n.interaction() {
        Some(x) if !x.takeaway.trim().is_empty() => x.takeaway.trim().to_string(),
        _ => match n.deal() {
            Some(d) => format!("{} · {}", d.account, d.stage),
            None => cut_words(&summary_text, SUMMARY_CHARS),
        },
    };
    let row = serde_json::to_string(&(&n.title, n.url_path(), n.kind.label(), date, summary))
        .unwrap_or_else(|_| "[\"\",\"\",\"\",\"\",\"\"]".into());
    DocEntry { row, words }
}

/// The whole index as JSON, from every note's entry (in note order).
pub fn index_json(entries: &[DocEntry<'_>]) -> String {
    // Postings per word, built in note order so each list is sorted.
    let mut postings: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (doc, e) in entries.iter().enumerate() {
        let doc = u32::try_from(doc)
            .unwrap_or(u32::MAX >> 2)
            .min(u32::MAX >> 2);
        for (w, weight) in &e.words {
            postings
                .entry(&**w)
                .or_default()
                .push((doc << 2) | u32::from(*weight));
        }
    }
    let mut terms: Vec<(&str, Vec<u32>)> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let encoded: Vec<String> = terms.par_iter().map(|(_, p)| encode(p)).collect();

    let size = entries.iter().map(|e| e.row.len() + 1).sum::<usize>()
        + terms.iter().map(|(t, _)| t.len() + 3).sum::<usize>()
        + encoded.iter().map(|p| p.len() + 3).sum::<usize>()
        + 64;
    let mut out = String::with_capacity(size);
    out.push_str("{\"v\":2,\"docs\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&e.row);
    }
    out.push_str("],\n\"terms\":[");
    for (i, (t, _)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Words are letters and digits only: nothing to escape.
        out.push('"');
        out.push_str(t);
        out.push('"');
    }
    out.push_str("],\n\"post\":[");
    for (i, p) in encoded.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(p);
        out.push('"');
    }
    out.push_str("]}\n");
    out
}

/// A sorted posting list as base-36 gaps separated by commas.
fn encode(list: &[u32]) -> String {
    let mut s = String::with_capacity(list.len() * 3);
    let mut prev = 0u32;
    for (i, &v) in list.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        push_base36(&mut s, v - prev);
        prev = v;
    }
    s
}

fn push_base36(s: &mut String, mut v: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(v % 36) as usize];
        v /= 36;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        s.push(b as char);
    }
}

/// The index of a whole site.
pub fn site_index(site: &Site) -> String {
    let entries: Vec<DocEntry> = site.notes.par_iter().map(doc_entry).collect();
    index_json(&entries)
}

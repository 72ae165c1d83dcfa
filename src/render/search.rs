//! The client-side search index, `search-index.json`: an inverted index
//! over every word of every note, built at build time and read by
//! `themes/default/static/search.js`.
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

use crate::model::{Note, NoteData, Site};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

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
            if let Some(r) = &p.rep {
                add(&r.target, 1);
            }
            add(&p.objective, 0);
            add(&p.buyer_needs, 0);
            add(&p.our_ask, 0);
        }
        NoteData::Forecast(_) | NoteData::Page => {}
    }
    add(&n.body, 0);
    let words: Vec<(Cow<'_, str>, u8)> = best.into_iter().collect();

    let date = n.list_date().map(|d| d.to_string()).unwrap_or_default();
    let summary = match n.interaction() {
        Some(x) if !x.takeaway.trim().is_empty() => x.takeaway.trim().to_string(),
        _ => match n.deal() {
            Some(d) => format!("{} · {}", d.account, d.stage),
            None => plain_start(&n.body, SUMMARY_CHARS),
        },
    };
    let row = serde_json::to_string(&(&n.title, n.url_path(), n.kind.label(), date, summary))
        .unwrap_or_else(|_| "[\"\",\"\",\"\",\"\",\"\"]".into());
    DocEntry { row, words }
}

/// The first `max` characters or so of a Markdown text as plain text:
/// headings, tables, fences and HTML lines skipped, link and emphasis
/// marks dropped, cut at a word boundary.
pub fn plain_start(body: &str, max: usize) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.is_empty() || t.starts_with(['#', '|', '<', '-']) && !t.starts_with("- ") {
            continue;
        }
        let t = strip_links(t.trim_start_matches(['>', '-', '*', '+', ' ']));
        for c in t.chars() {
            if matches!(c, '*' | '_' | '`' | '[' | ']' | '#') || c.is_control() {
                continue;
            }
            out.push(c);
        }
        out.push(' ');
        if out.chars().count() > max {
            break;
        }
    }
    let mut cut = String::new();
    for word in out.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 1 > max {
            cut.push('…');
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut
}

/// A line with `[[target|label]]` as its label (or its target without an
/// anchor) and `[text](url)` as its text.
fn strip_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let inner_and_more = &rest[start + 2..];
        match inner_and_more.find("]]") {
            Some(end) => {
                let inner = &inner_and_more[..end];
                let shown = match inner.rsplit_once('|') {
                    Some((_, label)) => label,
                    None => inner.split('#').next().unwrap_or(inner),
                };
                out.push_str(shown);
                rest = &inner_and_more[end + 2..];
            }
            None => {
                out.push_str(inner_and_more);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    // `[text](url)`: drop `(url)`; the brackets go with the other marks.
    // One pass (a line of a hundred thousand links took minutes when each
    // removal searched and shifted the whole line again); a `](` formed
    // where one was removed (`[a](b)(c)`) is dropped too, as before.
    let mut text = String::with_capacity(out.len());
    let mut rest = out.as_str();
    loop {
        let from = if text.ends_with(']') && rest.starts_with('(') {
            0
        } else if let Some(start) = rest.find("](") {
            start + 1
        } else {
            break;
        };
        match rest[from..].find(')') {
            Some(len) => {
                text.push_str(&rest[..from]);
                rest = &rest[from + len + 1..];
            }
            None => break,
        }
    }
    text.push_str(rest);
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a posting list, as search.js does.
    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut prev = 0u32;
        for part in s.split(',').filter(|p| !p.is_empty()) {
            if let Ok(gap) = u32::from_str_radix(part, 36) {
                prev += gap;
                out.push(prev);
            }
        }
        out
    }

    #[test]
    fn link_urls_are_dropped_in_one_pass() {
        assert_eq!(
            strip_links("[a](b)(c) x [[t|L]] [[u#h]] [y](z"),
            "[a] x L u [y](z"
        );
        let long = "[a](b) ".repeat(100_000);
        assert_eq!(strip_links(&long), "[a] ".repeat(100_000));
    }

    #[test]
    fn stop_words_are_the_listed_ones() {
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["a", "ann", "there's", "deal", "whom", "your2"] {
            assert!(!is_stop_word(w), "{w}");
        }
        let listed = STOP_WORDS.len();
        let matched = ('a'..='z')
            .flat_map(|a| ('a'..='z').map(move |b| format!("{a}{b}")))
            .filter(|w| is_stop_word(w))
            .count();
        assert_eq!(matched, STOP_WORDS.iter().filter(|w| w.len() == 2).count());
        assert!(listed > 40);
    }

    #[test]
    fn words_are_lower_cased_and_filtered() {
        let mut got = Vec::new();
        words(
            "The MEDDPICC score of Acme's renewal: 12/24, Zoë in Malmö, a x 東京",
            |w| got.push(w.into_owned()),
        );
        assert_eq!(
            got,
            ["meddpicc", "score", "acme", "renewal", "12", "24", "zoë", "malmö", "東京"]
        );
    }

    #[test]
    fn postings_round_trip() {
        for list in [vec![], vec![0], vec![3, 4, 40, 1295, 1296, 99_999_999]] {
            assert_eq!(decode(&encode(&list)), list);
        }
        let mut s = String::new();
        push_base36(&mut s, 36 * 36);
        assert_eq!(s, "100");
    }

    #[test]
    fn summaries_are_plain_text() {
        let body =
            "# Heading\n\nWe met [[Jane Doe|Jane]] and **agreed** on `next` steps.\n\n| a | b |\n";
        assert_eq!(
            plain_start(body, 200),
            "We met Jane and agreed on next steps."
        );
        let long = "word ".repeat(100);
        let s = plain_start(&long, 20);
        assert!(s.chars().count() <= 21 && s.ends_with('…'), "{s}");
    }
}

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

use super::markdown::RawHtml;
use crate::content::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::content::wikilinks::without_comments;
use crate::model::{Note, NoteData, Site};
use pulldown_cmark::{Event, Tag, TagEnd};
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
            if let Some(r) = &p.rep {
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

/// What a reader sees of a note body: its text, and the part of it a
/// summary is made from (paragraphs, lists and quotes; not headings,
/// tables or code blocks).
///
/// Only text that is shown on the page counts: not Obsidian comments, HTML
/// comments or the content of `<script>` and `<style>`, which the page
/// never shows, nor link URLs or attributes (`title`, `alt`). A body
/// without raw HTML is read from its Markdown events; one with raw HTML is
/// rendered and sanitised as its page is, and read from the result, so
/// what the sanitiser drops is never indexed.
pub fn body_text(body: &str) -> (String, String) {
    shown_text(body, false)
}

/// [`body_text`] of a body whose page shows all its raw HTML as text when
/// `raw_html_as_text` (it nests too deeply to sanitise: see
/// `content::limits`); so does the index.
fn shown_text(body: &str, raw_html_as_text: bool) -> (String, String) {
    // As the page shows it (sanitised, whatever `unsafe_html` says): raw
    // HTML that is shown as text is text here too.
    let mode = RawHtml::for_note(raw_html_as_text, false);
    visible_text(without_comments(body).text.as_ref(), mode)
}

/// [`shown_text`] of a body without its comments.
fn visible_text(body: &str, raw_html: RawHtml) -> (String, String) {
    let shown = super::markdown::shown_events(body, raw_html, false, None);
    if shown.html_events {
        return html_text(body, shown.events, shown.raw_html, raw_html);
    }
    let mut text = String::with_capacity(body.len());
    let mut summary = String::new();
    // Inside a heading, table or code block: shown, but not a summary.
    let mut not_summary = 0usize;
    // Inside an image: its text is the `alt` attribute.
    let mut image = 0usize;
    // Obsidian's `^block-id` markers are hidden on the page: not words.
    let events = shown.events.map(|ev| match ev {
        Event::Text(t) => Event::Text(without_block_marker(t)),
        ev => ev,
    });
    for ev in events {
        match ev {
            Event::Text(t) | Event::Code(t) if image == 0 => {
                text.push_str(&t);
                if not_summary == 0 && summary.len() < SUMMARY_SOURCE_BYTES {
                    summary.push_str(&t);
                }
            }
            // A callout's own frame and title tags (raw HTML went to
            // `html_text`): block boundaries.
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::Html(_) => {
                text.push(' ');
                summary.push(' ');
            }
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::Start(Tag::Heading { .. } | Tag::Table(_) | Tag::CodeBlock(_)) => {
                not_summary += 1;
                text.push(' ');
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Table | TagEnd::CodeBlock) => {
                not_summary = not_summary.saturating_sub(1);
                text.push(' ');
            }
            Event::Start(_) | Event::End(_) if is_block_boundary(&ev) => {
                text.push(' ');
                summary.push(' ');
            }
            _ => {}
        }
    }
    (text, summary)
}

/// A text without the `^block-id` that ends it: the page hides a block's
/// id (see `render::obsidian`), so the index leaves it out too.
fn without_block_marker(t: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    match crate::content::obsidian::block_marker(&t) {
        Some((r, _)) => pulldown_cmark::CowStr::from(t[..r.start].to_string()),
        None => t,
    }
}

/// How much text a summary is cut from, at most.
const SUMMARY_SOURCE_BYTES: usize = SUMMARY_CHARS * 8;

/// Whether `ev` starts or ends a block (or a table cell): the text on each
/// side are separate words.
fn is_block_boundary(ev: &Event) -> bool {
    match ev {
        Event::Start(t) => !matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
        ),
        Event::End(t) => !matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
        ),
        _ => false,
    }
}

/// [`body_text`] of a body with raw HTML: the text of its sanitised HTML.
/// `kept` says whether any of it is left as HTML (rather than shown as
/// text, escaped).
fn html_text<'a>(
    body: &str,
    events: impl Iterator<Item = Event<'a>>,
    kept: bool,
    raw_html: RawHtml,
) -> (String, String) {
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let events = events.map(|ev| match ev {
        Event::Text(t) => Event::Text(without_block_marker(t)),
        ev => ev,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    if raw_html == RawHtml::AsText {
        // Every tag is escaped text and the page is not sanitised either
        // (its HTML nests too deeply for that): read as written. Parsing
        // a megabyte of `&lt;div&gt;` again would cost more than the page.
        return text_of_clean_html(&html);
    }
    // As the page does when the loader's estimate missed it (see
    // `markdown::render`): too deep to sanitise in reasonable time.
    if HtmlDepth::default().feed(&html) > 2 * MAX_HTML_DEPTH {
        if kept {
            return visible_text(body, RawHtml::AsText);
        }
        // Only the Markdown nests this deeply, and every tag of the body
        // is escaped text already: read as it is, never parsed.
        return text_of_clean_html(&html);
    }
    text_of_clean_html(&super::markdown::clean_html(&html))
}

/// The text and summary text of HTML as the sanitiser writes it (every `<`
/// of text and of attribute values escaped, so every `<` starts a tag that
/// the first `>` ends; no comments, scripts or styles).
fn text_of_clean_html(html: &str) -> (String, String) {
    let mut text = String::with_capacity(html.len());
    let mut summary = String::new();
    let mut not_summary = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let (chunk, after) = match rest.find('<') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let start = text.len();
        unescape_into(chunk, &mut text);
        if not_summary == 0 && summary.len() < SUMMARY_SOURCE_BYTES {
            summary.push_str(&text[start..]);
        }
        if after.is_empty() {
            break;
        }
        let (tag, after) = match after.find('>') {
            Some(i) => (&after[1..i], &after[i + 1..]),
            None => (&after[1..], ""),
        };
        rest = after;
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "pre"
        ) {
            not_summary = if closing {
                not_summary.saturating_sub(1)
            } else {
                not_summary + 1
            };
        }
        if !is_inline_element(&name) {
            text.push(' ');
            summary.push(' ');
        }
    }
    (text, summary)
}

/// Elements that do not break words apart (of those the sanitiser keeps).
fn is_inline_element(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "acronym"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Appends `s` with the sanitiser's escapes undone.
fn unescape_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (ch, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", ' '),
        ]
        .iter()
        .find(|(e, _)| rest.starts_with(e))
        .map_or(('&', 1), |(e, c)| (*c, e.len()));
        out.push(ch);
        rest = &rest[len..];
    }
    out.push_str(rest);
}

/// The first `max` characters or so of what a reader sees of a Markdown
/// body's paragraphs, lists and quotes (see [`body_text`]), cut at a word
/// boundary: a search result's snippet.
pub fn plain_start(body: &str, max: usize) -> String {
    cut_words(&body_text(body).1, max)
}

/// `text` cut to about `max` characters at a word boundary, spaces
/// collapsed, with `…` when cut.
fn cut_words(text: &str, max: usize) -> String {
    let mut cut = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if chars + n + 1 > max {
            cut.push('…');
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
            chars += 1;
        }
        cut.push_str(word);
        chars += n;
    }
    cut
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

    fn indexed(body: &str) -> Vec<String> {
        let mut got = Vec::new();
        words(&body_text(body).0, |w| got.push(w.into_owned()));
        got
    }

    #[test]
    fn summaries_are_plain_text() {
        let body =
            "# Heading\n\nWe met [[Jane Doe|Jane]] and **agreed** on `next` steps.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            plain_start(body, 200),
            "We met Jane and agreed on next steps."
        );
        let long = "word ".repeat(100);
        let s = plain_start(&long, 20);
        assert!(s.chars().count() <= 21 && s.ends_with('…'), "{s}");
        assert_eq!(
            plain_start(
                "- one\n- two\n\n> quoted [link](https://x.example/secret)\n",
                200
            ),
            "one two quoted link"
        );
    }

    #[test]
    fn hidden_text_is_not_indexed() {
        for body in [
            "Visible words. <!-- Rep is on a PIP; salary 123456 -->\n",
            "<!--\nRep is on a PIP; salary 123456\n-->\n\nVisible words.\n",
            "Visible words %%Rep is on a PIP; salary 123456%%.\n",
            "Visible words.\n\n%%\nRep is on a PIP\n\nsalary 123456\n%%\n",
            "Visible <span title=\"pip salary 123456\">words</span>.\n",
            "Visible words. ![pip salary 123456](chart.png)\n",
            "Visible [words](https://pip.example/salary/123456).\n",
        ] {
            let got = indexed(body);
            assert!(got.contains(&"visible".to_string()), "{body}: {got:?}");
            assert!(got.contains(&"words".to_string()), "{body}: {got:?}");
            for secret in ["pip", "salary", "123456"] {
                assert!(!got.contains(&secret.to_string()), "{body}: {got:?}");
            }
            let s = plain_start(body, 200);
            assert!(s.starts_with("Visible"), "{body}: {s}");
            assert!(!s.contains("salary") && !s.contains("PIP"), "{body}: {s}");
        }
    }

    #[test]
    fn tags_shown_as_text_are_indexed_as_shown() {
        // The page shows these as text (see `raw_html`), so search has them.
        let body = "Hi <first name>, put the <title> here.\n\n<script>var tracker = 1</script>\n\n> [!tip] Callout heading\n> inside\n";
        let got = indexed(body);
        for w in [
            "first", "name", "title", "here", "script", "tracker", "callout", "heading", "inside",
        ] {
            assert!(got.contains(&w.to_string()), "{w}: {got:?}");
        }
        // A callout's marker is not shown, so not indexed.
        assert!(!got.contains(&"tip".to_string()), "{got:?}");
        assert_eq!(
            plain_start(body, 200),
            "Hi <first name>, put the <title> here. <script>var tracker = 1</script> Callout heading inside"
        );
    }

    #[test]
    fn raw_html_text_is_indexed_as_shown() {
        let body = "<details><summary>More</summary>Hidden&amp;found</details>\n\n<table><tr><td>cell</td><td>two</td></tr></table>\n\nAT&amp;T <b>bo</b>ld 5 &lt; 6\n";
        let (text, summary_text) = body_text(body);
        let got = indexed(body);
        for w in ["more", "hidden", "found", "cell", "two", "bold"] {
            assert!(got.contains(&w.to_string()), "{w}: {got:?} from {text}");
        }
        assert!(!summary_text.contains("cell"), "{summary_text}");
        assert!(summary_text.contains("AT&T bold 5 < 6"), "{summary_text}");
        // `%%` in code stays.
        assert!(indexed("Say `%%keep%%` out loud.").contains(&"keep".to_string()));
    }

    #[test]
    fn html_too_deep_is_indexed_as_the_text_shown() {
        // Flagged by the loader: every tag is text, on the page and here.
        let body =
            "Intro *a*.\n\n<div><b>x</b> words &amp; more</div>\n\n> [!tip] Title\n> inside\n";
        let (text, summary) = shown_text(body, true);
        for w in [
            "Intro a.",
            "<div><b>x</b> words & more</div>",
            "Title",
            "inside",
        ] {
            assert!(text.contains(w), "{w}: {text}");
            assert!(summary.contains(w), "{w}: {summary}");
        }
        // Unflagged but too deep for the sanitiser: the same, found late.
        let deep = format!(
            "Intro\n\n{}x{}\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let (text, _) = body_text(&deep);
        assert!(
            text.contains("<div><div>") && text.contains("x</div>"),
            "{text}"
        );
        assert_eq!(body_text(&deep), shown_text(&deep, true));
    }
}

//! What a reader sees of a note body, as plain text for the index: the
//! body's Markdown events, or its sanitised HTML when it has raw HTML, with
//! what the page hides (comments, scripts, styles, link URLs, block ids)
//! left out; and the summary a search result shows.

use super::SUMMARY_CHARS;
use crate::content::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::content::wikilinks::without_comments;
use crate::render::markdown::RawHtml;
use pulldown_cmark::{Event, Tag, TagEnd};

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
pub(super) fn shown_text(body: &str, raw_html_as_text: bool) -> (String, String) {
    // As the page shows it (sanitised, whatever `unsafe_html` says): raw
    // HTML that is shown as text is text here too.
    let mode = RawHtml::for_note(raw_html_as_text, false);
    visible_text(without_comments(body).text.as_ref(), mode)
}

/// [`shown_text`] of a body without its comments.
fn visible_text(body: &str, raw_html: RawHtml) -> (String, String) {
    let shown = crate::render::markdown::shown_events(body, raw_html, false, None);
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
    text_of_clean_html(&crate::render::markdown::clean_html(&html))
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
pub(super) fn cut_words(text: &str, max: usize) -> String {
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

//! Note bodies: CommonMark -> HTML with resolved `[[wikilinks]]`, heading
//! anchors, footnotes with back-links, callouts, GFM autolinks and
//! sanitised raw HTML.
//!
//! The pipeline, on the body without its Obsidian `%%comments%%` (see
//! `content::wikilinks::without_comments`):
//! 1. raw HTML is decided tag by tag (`content::wikilinks::raw_html`): a
//!    tag that is not an allowed element, or that is not closed in its
//!    Markdown block, becomes text, so no tag changes how the rest of the
//!    page is parsed (validation warns about each one, with the same rules);
//!    a body whose HTML nests too deeply to sanitise (`html-too-deep`, see
//!    `content::limits`) has every tag shown as text ([`RawHtml::AsText`]);
//! 2. callouts (`callout`), then bare URLs and e-mail addresses become
//!    links (`autolink`);
//! 3. wikilinks are resolved, link and image URLs with a scheme other than
//!    http(s), mailto and tel are dropped, headings get ids, footnotes are
//!    numbered and listed at the end (`footnotes`), streamed into the HTML
//!    writer;
//! 4. when raw HTML is left, the page goes through ammonia (scripts,
//!    comments, event handlers, `javascript:` URLs and every inline style
//!    but a table column's alignment removed) unless the site sets
//!    `unsafe_html = true`; a page that nests too deeply for it is made
//!    again with its raw HTML as text.

mod autolink;
mod callout;
mod footnotes;
#[cfg(test)]
mod spec_tests;

use super::escape::{self, html as escape_attr};
use crate::content::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::content::obsidian::{embed_size, link_text};
use crate::content::wikilinks::raw_html::{self, ALLOWED_TAGS};
use crate::content::wikilinks::{markdown_options, vault_link, without_comments};
use crate::model::WikiLink;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::iter::Peekable;
use std::sync::OnceLock;

pub use crate::content::wikilinks::raw_html::RawHtml;

mod body;
mod heading_ids;
mod sanitize;

use body::BodyEvents;
pub use heading_ids::anchor;
use heading_ids::HeadingIds;
pub(crate) use sanitize::{clean_html, clean_html_without_ids};

/// How a wikilink target is shown: its URL, or `None` when it is broken.
pub struct LinkTarget {
    pub href: Option<String>,
    pub title: String,
}

/// Events read one at a time, as they are made.
type EventStream<'a> = Box<dyn Iterator<Item = Event<'a>> + 'a>;

/// A body's events as its page shows them, before links and headings are
/// made (see [`shown_events`]).
pub(crate) struct Shown<'a> {
    /// Raw HTML decided, adjacent text merged, callouts made; streamed, so
    /// a body is never held as events twice.
    pub events: EventStream<'a>,
    /// Whether raw HTML is left as HTML: only then does the page need the
    /// sanitiser.
    pub raw_html: bool,
    /// Whether raw HTML left any `Html` or `InlineHtml` event (kept, or an
    /// HTML block shown as text, escaped). Callouts' own HTML is apart.
    pub html_events: bool,
    /// The labels of the footnote references, in order, when asked for:
    /// footnotes are numbered, and headings kept off their ids, before
    /// the events are read.
    pub footnotes: Vec<String>,
}

/// The events of a body (comments already taken out) as its page shows
/// them before links and headings are made: raw HTML decided, Obsidian's
/// inline tags and block ids made (when `decorate` gives the site's base
/// path), adjacent text merged, callouts made.
pub(crate) fn shown_events<'a>(
    body: &'a str,
    raw_html: RawHtml,
    footnotes: bool,
    decorate: Option<&str>,
) -> Shown<'a> {
    let footnotes = footnotes && body.contains("[^");
    if !body.contains('<') {
        // No raw HTML to decide: the parser's events stream through.
        let parse = || Parser::new_ext(body, markdown_options());
        let events: EventStream<'a> = match decorate {
            Some(base) => Box::new(Decorated::new(
                parse().into_offset_iter(),
                super::obsidian::Decorator::new(body, base),
            )),
            None => Box::new(parse()),
        };
        return Shown {
            events: Box::new(callout::Callouts::new(MergeText::new(events))),
            raw_html: false,
            html_events: false,
            footnotes: if footnotes {
                footnote_labels(parse())
            } else {
                Vec::new()
            },
        };
    }
    let (src, _) = raw_html::source(body);
    // Held once: a tag is decided by what comes after it in its block.
    let events: Vec<raw_html::Spanned> = match &src.text {
        Cow::Borrowed(text) => Parser::new_ext(text, markdown_options())
            .into_offset_iter()
            .collect(),
        // Rare (an HTML block that never ends): the events outlive the text.
        Cow::Owned(text) => Parser::new_ext(text, markdown_options())
            .into_offset_iter()
            .map(|(e, r)| (e.into_static(), r))
            .collect(),
    };
    let footnotes = if footnotes {
        footnote_labels(events.iter().map(|(e, _)| e))
    } else {
        Vec::new()
    };
    let done = raw_html::rewrite(events, raw_html, false);
    // The decorator reads its ranges in the text parsed; a text the escapes
    // of `raw_html::source` rewrote (rare) is not the body's, and its tags
    // and block ids are left as written.
    let events: EventStream<'a> = match (decorate, &src.text) {
        (Some(base), Cow::Borrowed(text)) => Box::new(Decorated::new(
            done.events,
            super::obsidian::Decorator::new(text, base),
        )),
        _ => Box::new(done.events.map(|(e, _)| e)),
    };
    Shown {
        events: Box::new(callout::Callouts::new(MergeText::new(events))),
        raw_html: done.raw_html,
        html_events: done.html_events,
        footnotes,
    }
}

/// Events with their ranges through Obsidian's decorator (inline tags,
/// block ids): what it makes in their place comes first, as it is.
struct Decorated<'a, I> {
    inner: I,
    decorator: super::obsidian::Decorator<'a>,
    pending: std::collections::VecDeque<Event<'a>>,
}

impl<'a, I> Decorated<'a, I> {
    fn new(inner: I, decorator: super::obsidian::Decorator<'a>) -> Self {
        Decorated {
            inner,
            decorator,
            pending: std::collections::VecDeque::new(),
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Iterator for Decorated<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(ev);
            }
            let (ev, range) = self.inner.next()?;
            if let Some(ev) = self.decorator.event(ev, range, &mut self.pending) {
                return Some(ev);
            }
        }
    }
}

/// The labels of the footnote references among `events`, in order.
fn footnote_labels<'e, E: std::borrow::Borrow<Event<'e>>>(
    events: impl Iterator<Item = E>,
) -> Vec<String> {
    events
        .filter_map(|e| match e.borrow() {
            Event::FootnoteReference(label) => Some(label.to_string()),
            _ => None,
        })
        .collect()
}

/// Adjacent text events as one (pulldown-cmark splits text at `[`, `_`,
/// entities, ...; callout markers and URLs are read across them). A run
/// of pieces is copied once, so a long run stays linear.
struct MergeText<'a, I: Iterator<Item = Event<'a>>> {
    events: Peekable<I>,
}

impl<'a, I: Iterator<Item = Event<'a>>> MergeText<'a, I> {
    fn new(events: I) -> Self {
        MergeText {
            events: events.peekable(),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for MergeText<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let first = match self.events.next()? {
            Event::Text(t) => t,
            ev => return Some(ev),
        };
        if !matches!(self.events.peek(), Some(Event::Text(_))) {
            return Some(Event::Text(first));
        }
        let mut merged = String::from(&*first);
        while let Some(Event::Text(t)) = self.events.next_if(|e| matches!(e, Event::Text(_))) {
            merged.push_str(&t);
        }
        Some(Event::Text(CowStr::from(merged)))
    }
}

/// Renders `body`. `links` are the note's wikilinks in document order (as
/// found by the link stage); `target` turns one into an URL and title.
pub fn render(
    body: &str,
    links: &[WikiLink],
    target: impl Fn(&WikiLink) -> LinkTarget,
    raw_html: RawHtml,
) -> String {
    render_in(body, links, target, raw_html, "/")
}

/// [`render`] for a site whose pages are under `base` (its `base_path`,
/// where inline `#tags` link to: `{base}tags/{tag}/`).
pub fn render_in(
    body: &str,
    links: &[WikiLink],
    target: impl Fn(&WikiLink) -> LinkTarget,
    raw_html: RawHtml,
    base: &str,
) -> String {
    render_with(body, links, &target, &|_| None, raw_html, base)
}

/// [`render_in`] with embeds: `embed` gives the HTML a note embed
/// (`![[Note]]`) shows in place, or `None` to show it as a link.
pub fn render_with(
    body: &str,
    links: &[WikiLink],
    target: &dyn Fn(&WikiLink) -> LinkTarget,
    embed: &dyn Fn(&WikiLink) -> Option<String>,
    raw_html: RawHtml,
    base: &str,
) -> String {
    // Obsidian comments are hidden, as in Obsidian (the loader found the
    // links of this same text).
    let visible = without_comments(body);
    render_visible(visible.text.as_ref(), links, target, embed, raw_html, base)
}

/// [`render`] of a body without its comments.
fn render_visible(
    body: &str,
    links: &[WikiLink],
    target: &dyn Fn(&WikiLink) -> LinkTarget,
    embed: &dyn Fn(&WikiLink) -> Option<String>,
    raw_html: RawHtml,
    base: &str,
) -> String {
    let shown = shown_events(body, raw_html, true, Some(base));
    let has_raw_html = shown.raw_html;
    let notes = footnotes::Footnotes::new(shown.footnotes.iter().map(String::as_str));
    let heading_ids = HeadingIds::new(notes.ids());
    let mut events = BodyEvents {
        events: autolink::Autolinks::new(shown.events),
        links,
        target,
        embed,
        ready: std::collections::VecDeque::new(),
        swallow: false,
        embedding: None,
        wikilink_stack: Vec::new(),
        next_link: 0,
        heading: None,
        heading_ids,
        notes,
        section: None,
    };
    // Streamed into the writer: a body of a million list items is never
    // held as events (one with raw HTML, once).
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, &mut events);
    if !has_raw_html || raw_html != RawHtml::Sanitise {
        return out;
    }
    // The loader flags bodies too deep to sanitise (ammonia's HTML parser
    // slows down with depth: a megabyte of nested `<div>` took minutes);
    // this catches any its estimate missed.
    if HtmlDepth::default().feed(&out) > 2 * MAX_HTML_DEPTH {
        return render_visible(body, links, target, embed, RawHtml::AsText, base);
    }
    clean_html(&out)
}

#[cfg(test)]
mod tests;

//! Obsidian's body syntax on the page: inline `#tags` become links to
//! their tag page, and a paragraph, list item or heading ending in
//! `^block-id` gets that id (so `[[note^block-id]]` lands on it) with the
//! marker hidden; a quote, list, table or code block followed by a line
//! `^block-id` gets it on a mark just before it, and the line is not
//! shown. The rules for finding them are `content::obsidian`'s, the ones
//! the loader used, so every tag linked here is on its tag page and every
//! id given here is one a link was checked against.
//!
//! It also places note embeds (`![[Note]]`): one that is a paragraph of
//! its own, or stands in a list item or table cell, is shown as a block
//! (its paragraph unwrapped) and marked [`BLOCK_EMBED`] for the renderer;
//! one inside a sentence or a heading is left unmarked and shown as a
//! link. The embedding itself is in [`embeds`].

pub(crate) mod embeds;

use crate::content::obsidian::{block_anchor, names_a_file, tag_slug, Place};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;

/// Turns a body's Markdown events, with their ranges in `body`, into the
/// events the page shows.
pub struct Decorator<'a> {
    body: &'a str,
    /// `base_path` of the site: tag pages are at `{base}tags/{slug}/`.
    base: String,
    place: Place,
    /// The `^block-id` marker of the current block: its text is not shown.
    hide: Option<Range<usize>>,
    /// In the `^id` line a block before took: nothing of it is shown.
    skipping: bool,
    /// In a paragraph that is only a note embed: its `<p>` is left out.
    lone_embed: bool,
    in_paragraph: bool,
    in_heading: bool,
}

/// The mark on a note embed's image event (its `id`, which wikilinks do
/// not use otherwise) that says it may be shown as a block.
pub const BLOCK_EMBED: &str = "coachbook:block-embed";

/// Whether a paragraph's source is one note embed and nothing else.
fn lone_note_embed(source: &str) -> bool {
    let t = source.trim();
    let Some(inner) = t.strip_prefix("![[").and_then(|x| x.strip_suffix("]]")) else {
        return false;
    };
    let dest = inner.split('|').next().unwrap_or(inner);
    !inner.contains("[[")
        && !inner.contains("]]")
        && !names_a_file(&crate::content::obsidian::parse_target(dest).note)
}

impl<'a> Decorator<'a> {
    pub fn new(body: &'a str, base: &str) -> Self {
        Decorator {
            body,
            base: base.to_string(),
            place: Place::default(),
            hide: None,
            skipping: false,
            lone_embed: false,
            in_paragraph: false,
            in_heading: false,
        }
    }

    /// The event to show for `ev` at `range`, or `None` when it is left
    /// out or replaced by the events pushed to `out` (which are shown as
    /// they are: they hold no raw HTML of the note's own).
    pub fn event(
        &mut self,
        ev: Event<'a>,
        range: Range<usize>,
        out: &mut VecDeque<Event<'a>>,
    ) -> Option<Event<'a>> {
        if self.skipping {
            self.skipping = !matches!(ev, Event::End(TagEnd::Paragraph));
            return None;
        }
        self.place.see(&ev);
        match &ev {
            Event::Start(Tag::Paragraph) if self.place.claimed_paragraph(&range) => {
                self.skipping = true;
                None
            }
            Event::Start(Tag::Paragraph)
                if self.body.get(range.clone()).is_some_and(lone_note_embed) =>
            {
                self.lone_embed = true;
                None
            }
            Event::End(TagEnd::Paragraph) if self.lone_embed => {
                self.lone_embed = false;
                None
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_paragraph = false;
                Some(ev)
            }
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                if let Some((marker, id)) = self.place.block(&ev, self.body, &range) {
                    self.hide = Some(marker);
                    let id = super::escape::html(&block_anchor(id));
                    out.push_back(Event::Html(CowStr::from(format!(
                        "<span id=\"{id}\"></span>"
                    ))));
                }
                Some(ev)
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                Some(ev)
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_)) => {
                let Some(id) = self.place.trailing(&ev, self.body, &range) else {
                    return Some(ev);
                };
                let id = super::escape::html(&block_anchor(id));
                out.push_back(Event::Html(CowStr::from(format!(
                    "<div class=\"block-id\" id=\"{id}\"></div>\n"
                ))));
                out.push_back(ev);
                None
            }
            Event::Start(Tag::Image {
                link_type: link_type @ LinkType::WikiLink { .. },
                dest_url,
                title,
                ..
            }) if !self.in_heading && (!self.in_paragraph || self.lone_embed) => {
                Some(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: dest_url.clone(),
                    title: title.clone(),
                    id: CowStr::Borrowed(BLOCK_EMBED),
                }))
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                if matches!(ev, Event::Start(Tag::Paragraph)) {
                    self.in_paragraph = true;
                }
                let Some((marker, id)) = self.place.block(&ev, self.body, &range) else {
                    return Some(ev);
                };
                self.hide = Some(marker);
                let id = super::escape::html(&block_anchor(id));
                let tag = if matches!(ev, Event::Start(Tag::Item)) {
                    "li"
                } else {
                    "p"
                };
                out.push_back(Event::Html(CowStr::from(format!("<{tag} id=\"{id}\">"))));
                None
            }
            Event::SoftBreak | Event::HardBreak if self.hidden(&range) => None,
            Event::Text(t) => {
                // Only the note's own characters are cut or split, so the
                // pieces are slices of the body.
                if self.body.get(range.clone()) != Some(t.as_ref()) {
                    return Some(ev);
                }
                let mut shown = range.clone();
                if let Some(h) = self
                    .hide
                    .as_ref()
                    .filter(|h| h.start < range.end && range.start < h.end)
                {
                    shown.end = shown.end.min(h.start.max(range.start));
                }
                if shown.is_empty() {
                    return None;
                }
                let text = &self.body[shown.clone()];
                let tags = self.place.tags(self.body, &shown, text);
                if tags.is_empty() {
                    return Some(if shown == range {
                        ev
                    } else {
                        Event::Text(CowStr::Borrowed(text))
                    });
                }
                let mut at = 0;
                for r in tags {
                    if r.start > at {
                        out.push_back(Event::Text(CowStr::Borrowed(&text[at..r.start])));
                    }
                    let href =
                        format!("{}tags/{}/", self.base, tag_slug(&text[r.start + 1..r.end]));
                    out.push_back(Event::Html(CowStr::from(format!(
                        "<a class=\"tag\" href=\"{}\">",
                        super::escape::html(&href)
                    ))));
                    out.push_back(Event::Text(CowStr::Borrowed(&text[r.clone()])));
                    out.push_back(Event::Html(CowStr::Borrowed("</a>")));
                    at = r.end;
                }
                if at < text.len() {
                    out.push_back(Event::Text(CowStr::Borrowed(&text[at..])));
                }
                None
            }
            _ => Some(ev),
        }
    }

    /// Whether `range` lies in the hidden marker.
    fn hidden(&self, range: &Range<usize>) -> bool {
        self.hide
            .as_ref()
            .is_some_and(|h| h.start <= range.start && range.end <= h.end)
    }
}

//! Obsidian's body syntax on the page: inline `#tags` become links to
//! their tag page, and a paragraph or list item ending in `^block-id`
//! gets that id (so `[[note^block-id]]` lands on it) with the marker
//! hidden. The rules for finding them are `content::obsidian`'s, the ones
//! the loader used, so every tag linked here is on its tag page and every
//! id given here is one a link was checked against.

use crate::content::obsidian::{block_anchor, tag_slug, Place};
use pulldown_cmark::{CowStr, Event, Tag};
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
}

impl<'a> Decorator<'a> {
    pub fn new(body: &'a str, base: &str) -> Self {
        Decorator {
            body,
            base: base.to_string(),
            place: Place::default(),
            hide: None,
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
        self.place.see(&ev);
        match &ev {
            Event::Start(Tag::Paragraph | Tag::Item) => {
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

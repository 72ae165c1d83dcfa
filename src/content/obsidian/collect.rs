//! The reader of a body's events that collects its tags, heading ids and
//! block ids, knowing where it is (code, a link, a list item's text).

use super::*;

/// Where the reader of a body's events is: in code, a link or an image
/// (whose text holds no tags), the list item whose text carries a block id
/// (so its first paragraph does not carry it too), and the `^id` line
/// after a block that took its id (not a paragraph of its own).
#[derive(Debug, Default)]
pub struct Place {
    code: usize,
    link: usize,
    image: usize,
    /// The end of the own text of the last list item given a block id.
    item_line_end: usize,
    /// Where the last `^id` line taken by the block before it starts.
    claimed: Option<usize>,
}

impl Place {
    /// Follows `ev`.
    pub fn see(&mut self, ev: &Event) {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => self.link += 1,
            Event::End(TagEnd::Link) => self.link = self.link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.image += 1,
            Event::End(TagEnd::Image) => self.image = self.image.saturating_sub(1),
            _ => {}
        }
    }

    /// The tags of a text event at `range` of `body`: only in running text
    /// (not code, link labels or image descriptions), and only where the
    /// text is the note's own characters (not `&#35;` or `\#`, which
    /// write a `#` that is no tag).
    pub fn tags(&self, body: &str, range: &Range<usize>, text: &str) -> Vec<Range<usize>> {
        if self.code > 0 || self.link > 0 || self.image > 0 || !text.contains('#') {
            return Vec::new();
        }
        if body.get(range.clone()) != Some(text) {
            return Vec::new();
        }
        let before = body.get(..range.start).and_then(|b| b.chars().next_back());
        tags_in(text, before)
    }

    /// Whether the paragraph at `range` is the `^id` line a block before
    /// it took: it is not shown.
    pub fn claimed_paragraph(&self, range: &Range<usize>) -> bool {
        self.claimed
            .is_some_and(|c| range.start <= c && c < range.end.max(range.start + 1))
    }

    /// The block id a paragraph, list item or heading starting at `range`
    /// of `body` carries at its end: the marker's range in `body` and the
    /// id.
    pub fn block<'b>(
        &mut self,
        ev: &Event,
        body: &'b str,
        range: &Range<usize>,
    ) -> Option<(Range<usize>, &'b str)> {
        let source = body.get(range.clone())?;
        match ev {
            Event::Start(Tag::Paragraph)
                if range.start >= self.item_line_end && !self.claimed_paragraph(range) =>
            {
                let (r, id) = block_marker(source)?;
                Some((range.start + r.start..range.start + r.end, id))
            }
            Event::Start(Tag::Heading { .. }) => {
                let line = source.split('\n').next().unwrap_or(source);
                let (r, id) = block_marker(line.trim_end_matches('#').trim_end())?;
                // `# ^id` alone is a heading with no text: not a block id.
                (!line[..r.start].trim_start_matches('#').trim().is_empty()).then_some(())?;
                Some((range.start + r.start..range.start + r.end, id))
            }
            Event::Start(Tag::Item) => {
                let own = item_text(source);
                let (r, id) = block_marker(own)?;
                self.item_line_end = range.start + own.len();
                Some((range.start + r.start..range.start + r.end, id))
            }
            _ => None,
        }
    }

    /// The id a quote, list, table or code block starting at `range` of
    /// `body` takes from a `^id` line after it (the outermost block that
    /// ends there takes it).
    pub fn trailing<'b>(
        &mut self,
        ev: &Event,
        body: &'b str,
        range: &Range<usize>,
    ) -> Option<&'b str> {
        if !matches!(
            ev,
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_))
        ) {
            return None;
        }
        let (marker, id) = trailing_block_id(body, range.end)?;
        if self.claimed == Some(marker.start) {
            return None;
        }
        self.claimed = Some(marker.start);
        Some(id)
    }
}

/// What the loader learns from a body's events besides its links: its
/// inline tags and the ids its headings and blocks give their elements.
#[derive(Debug, Default)]
pub struct Collector {
    place: Place,
    heading: Option<String>,
    /// Inline tags, without `#`, in order (repeats kept).
    pub tags: Vec<String>,
    /// Heading ids (`next-steps`) and block ids (`^block-id`).
    pub anchors: Vec<String>,
}

impl Collector {
    /// Reads one event of the (comment-free) body `body` at `range`.
    pub fn event(&mut self, ev: &Event, range: &Range<usize>, body: &str) {
        self.place.see(ev);
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                self.heading = Some(String::new());
                if let Some((_, id)) = self.place.block(ev, body, range) {
                    self.anchors.push(block_anchor(id));
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = self.heading.take() {
                    // Without its block id, as the page shows it.
                    let text = block_marker(&h).map_or(h.as_str(), |(r, _)| &h[..r.start]);
                    self.anchors.push(heading_anchor(text));
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                if let Some((_, id)) = self.place.block(ev, body, range) {
                    self.anchors.push(block_anchor(id));
                }
            }
            Event::Start(_) => {
                if let Some(id) = self.place.trailing(ev, body, range) {
                    self.anchors.push(block_anchor(id));
                }
            }
            Event::Text(t) => {
                if let Some(h) = &mut self.heading {
                    h.push_str(t);
                }
                for r in self.place.tags(body, range, t) {
                    self.tags.push(t[r.start + 1..r.end].to_string());
                }
            }
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.push_str(t);
                }
            }
            _ => {}
        }
    }
}

//! Obsidian's linking syntax, as small pure functions shared by the loader
//! (which finds links, tags, headings and block ids) and the renderer
//! (which draws them), so both read a note the same way:
//!
//! - a wikilink's destination: `target#heading`, `target#^block`,
//!   `target^block`, `#heading` (same note), `folder/target.md`, and the
//!   `\|` a table cell needs ([`parse_target`]);
//! - `[[...]]` inside a frontmatter property's text ([`text_links`]);
//! - inline `#tags` in body text ([`tags_in`]) and hierarchical tag URLs
//!   ([`tag_slug`], [`tag_and_parents`]);
//! - a `^block-id` at the end of a paragraph or list item ([`block_marker`]);
//! - heading ids ([`heading_anchor`]) and the case- and Unicode-insensitive
//!   key names are compared by ([`fold`]).

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// The parts of a wikilink destination (`[[dest|label]]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The note, as written; empty for a link within the same note
    /// (`[[#heading]]`).
    pub note: String,
    /// A heading (`#Heading`; of `#A#B` the last, as Obsidian links the
    /// sub-heading).
    pub heading: Option<String>,
    /// A block id (`#^id` or `^id`), without the `^`.
    pub block: Option<String>,
}

/// Splits a wikilink destination. A trailing `\` is dropped: in a table
/// cell Obsidian writes the label's pipe as `\|` (`[[a\|b]]`), and no
/// note name can end with a backslash (Obsidian forbids `\` in names).
pub fn parse_target(dest: &str) -> Target {
    let dest = dest.trim().trim_end_matches('\\').trim_end();
    // The block id: after the first `^` (`a^b`, `a#^b`).
    let (rest, block) = match dest.split_once('^') {
        Some((r, b)) => {
            let b = b.trim();
            (r, (!b.is_empty()).then(|| b.to_string()))
        }
        None => (dest, None),
    };
    let (note, heading) = match rest.split_once('#') {
        Some((n, h)) => {
            // `A#B` is the sub-heading B of A: its id is B's.
            let last = h.rsplit('#').map(str::trim).find(|s| !s.is_empty());
            (n, last.map(str::to_string))
        }
        None => (rest, None),
    };
    Target {
        note: note.trim().to_string(),
        heading,
        block,
    }
}

/// The key names, paths and ids are compared by: Unicode NFC (a name typed
/// on one system and a file name saved on macOS, which decomposes accents,
/// are one), then lower case (`Ü` and `ü`, `Straße` and `straße`), with
/// surrounding spaces trimmed.
pub fn fold(s: &str) -> String {
    let t = s.trim();
    if t.is_ascii() {
        return t.to_ascii_lowercase();
    }
    t.nfc().collect::<String>().to_lowercase()
}

/// A path written in a link (`emea/Acme`, `emea/Acme.md`, `/emea/Acme`),
/// folded, without `.md` and leading or doubled slashes.
pub fn fold_path(s: &str) -> String {
    let t = s.trim();
    let t = strip_md(t);
    let parts: Vec<String> = t
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != ".")
        .map(fold)
        .collect();
    parts.join("/")
}

/// `name` without a final `.md` (any case).
pub fn strip_md(name: &str) -> &str {
    let n = name.len();
    if n > 3 && name.is_char_boundary(n - 3) && name[n - 3..].eq_ignore_ascii_case(".md") {
        &name[..n - 3]
    } else {
        name
    }
}

/// Every `[[...]]` of a piece of text (a frontmatter property's value), in
/// order: the byte range of the whole link and its destination and label.
/// Embeds (`![[...]]`) are not links.
pub fn text_links(text: &str) -> Vec<(Range<usize>, String, Option<String>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find("[[")) {
        let start = from + open;
        let Some(close) = text[start + 2..].find("]]") else {
            break;
        };
        let inner = &text[start + 2..start + 2 + close];
        let end = start + 2 + close + 2;
        let embed = start > 0 && text.as_bytes()[start - 1] == b'!';
        if inner.contains("[[") || inner.contains('\n') {
            from = start + 2;
            continue;
        }
        if !embed && !inner.trim().is_empty() {
            let (dest, label) = match inner.split_once('|') {
                Some((d, l)) => (d, Some(l.trim().to_string())),
                None => (inner, None),
            };
            out.push((start..end, dest.to_string(), label));
        }
        from = end;
    }
    out
}

/// The path a link written relative to its note (`./x`, `../People/Steph
/// Ango`, as Obsidian's "relative path" link format writes them) names,
/// from the top of `content/`, given the note's folder there (`""` at the
/// top). `None` when the target is not relative, or climbs out of
/// `content/`.
pub fn relative_path(folder: &str, target: &str) -> Option<String> {
    let t = target.trim();
    if !(t == "." || t == ".." || t.starts_with("./") || t.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in t.split('/') {
        match part.trim() {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The text a wikilink shows when it has no label, as Obsidian shows it:
/// `Note#Heading` -> `Note > Heading`, `Note#A#B` -> `Note > A > B`,
/// `Note#^id` -> `Note > ^id`. A link within the note (`#Heading`) and a
/// plain name are shown as written.
pub fn link_text(dest: &str) -> String {
    let d = dest.trim().trim_end_matches('\\').trim_end();
    let (note, rest) = match d.find(['#', '^']) {
        Some(i) => (d[..i].trim(), &d[i..]),
        None => return d.to_string(),
    };
    if note.is_empty() {
        return d.to_string();
    }
    let mut out = note.to_string();
    for part in rest.split('#').map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(" > ");
        out.push_str(part);
    }
    out
}

/// What the label of an image embed says (`![[photo.png|300]]`,
/// `![[photo.png|Team photo|300x200]]`): its alternative text, and its
/// width and height in pixels when the last part is a size.
pub fn embed_size(label: &str) -> (Option<&str>, Option<u32>, Option<u32>) {
    let label = label.trim();
    let (alt, last) = match label.rsplit_once('|') {
        Some((a, l)) => (Some(a.trim()), l.trim()),
        None => (None, label),
    };
    let (w, h) = match last.split_once('x') {
        Some((w, h)) => (w.trim().parse().ok(), h.trim().parse().ok()),
        None => (last.parse().ok(), None),
    };
    let size_ok = w.is_some_and(|w: u32| (1..=10_000).contains(&w))
        && h.is_none_or(|h: u32| (1..=10_000).contains(&h))
        && (h.is_some() || !last.contains('x'));
    if size_ok {
        (alt.filter(|a| !a.is_empty()), w, h)
    } else {
        ((!label.is_empty()).then_some(label), None, None)
    }
}

/// Whether a wikilink target names a file other than a note: it has an
/// extension that is not `.md` (`photo.jpg`, `plan.pdf`, `Daily.base`).
pub fn names_a_file(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 5
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && !ext.eq_ignore_ascii_case("md")
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// The file a Markdown link's destination names inside the vault
/// (`Other%20note.md`, `../img/photo.jpg#page=2`), percent-decoded,
/// without its query or fragment, with its fragment (the heading or
/// block it names); `None` for a URL with a scheme (`https:`, `mailto:`),
/// one for another host (`//x`), a fragment alone (`#x`), or empty.
pub fn markdown_target(dest: &str) -> Option<(String, Option<String>)> {
    let d = dest.trim();
    if d.is_empty() || d.starts_with("//") || d.starts_with('?') {
        return None;
    }
    // `#heading`: a place on this page, checked like `[[#heading]]`.
    if let Some(f) = d.strip_prefix('#') {
        let f = percent_encoding::percent_decode_str(f)
            .decode_utf8_lossy()
            .into_owned();
        return (!f.is_empty()).then(|| (String::new(), Some(f)));
    }
    let first_special = d.find(['/', '?', '#']).unwrap_or(d.len());
    if d[..first_special].contains(':') {
        return None;
    }
    let (path, fragment) = match d.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (d, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let path = decode(path);
    // `/` alone is the site's home; a path ending in `/` names a folder,
    // which the link stage resolves to the folder's page, if it has one.
    if path.trim().is_empty() || path.trim() == "/" {
        return None;
    }
    Some((path, fragment.map(decode).filter(|f| !f.is_empty())))
}

/// Whether `c` may be part of a tag after its first character.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

/// The inline tags of a run of body text, as byte ranges of `text` that
/// start at the `#`. `before` is the character just before `text` in the
/// note (`None` at the start of a block): a tag starts after whitespace or
/// at the start of a block, with a letter or `_` (`#q3` is a tag, `#123`,
/// `x#y`, `&#123;` and a URL's `#fragment` are not), and runs over
/// letters, digits, `_`, `-` and `/`. A trailing `/` is not part of it.
pub fn tags_in(text: &str, before: Option<char>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut prev = before;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let starts = c == '#' && prev.is_none_or(char::is_whitespace);
        prev = Some(c);
        if !starts {
            continue;
        }
        let Some(&(_, first)) = iter.peek() else {
            break;
        };
        if !(first.is_alphabetic() || first == '_') {
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, ch)) = iter.peek() {
            if !tag_char(ch) {
                break;
            }
            end = j + ch.len_utf8();
            prev = Some(ch);
            iter.next();
        }
        let tag = text[i + 1..end].trim_end_matches('/');
        if !tag_slug(tag).is_empty() {
            out.push(i..i + 1 + tag.len());
        }
    }
    out
}

/// The URL path of a tag below `/tags/`: each `/`-separated level
/// slugified (`Region/EMEA` -> `region/emea`); empty levels are dropped,
/// and a tag with no letter or digit has no page (empty).
pub fn tag_slug(tag: &str) -> String {
    let parts: Vec<String> = tag
        .trim()
        .trim_start_matches('#')
        .split('/')
        .map(slug::slugify)
        .filter(|s| !s.is_empty())
        .collect();
    parts.join("/")
}

/// The pages a tag is listed on: its own and each parent level's, as
/// `(slug, name)` from the deepest up (`region/emea` -> `region/emea`,
/// then `region`). The name of a level is the tag as written up to it.
pub fn tag_and_parents(tag: &str) -> Vec<(String, String)> {
    let written = tag.trim().trim_start_matches('#');
    let mut out = Vec::new();
    let mut name = written;
    loop {
        let slug = tag_slug(name);
        if !slug.is_empty()
            && out
                .last()
                .is_none_or(|(s, _): &(String, String)| *s != slug)
        {
            out.push((slug, name.trim_end_matches('/').to_string()));
        }
        match name.trim_end_matches('/').rsplit_once('/') {
            Some((parent, _)) => name = parent,
            None => break,
        }
    }
    out
}

/// Whether `id` is a block id: letters, digits and `-`.
fn is_block_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A `^block-id` ending a paragraph or list item, given the block's source
/// text: the byte range of the marker to hide (with the space or line
/// break before it) and the id. A block that is only `^id` (on its own
/// after a table or a quote, as Obsidian writes it) is all marker.
pub fn block_marker(source: &str) -> Option<(Range<usize>, &str)> {
    let t = source.trim_end();
    let caret = t.rfind('^')?;
    let id = &t[caret + 1..];
    if !is_block_id(id) {
        return None;
    }
    let before = &t[..caret];
    let kept = before.trim_end();
    if kept.len() == before.len() && !kept.is_empty() {
        // `word^id` is not a block id: a space or a line break comes first.
        return None;
    }
    Some((kept.len()..t.len(), id))
}

/// The id of a heading: the text slugified (`What happened?` ->
/// `what-happened`; `Ünïcödé 名前` -> `unicode-ming-qian`), `section` when
/// nothing is left. A link's `#heading` goes through the same function, so
/// it finds the heading whatever its case, accents or punctuation.
pub fn heading_anchor(text: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

/// The HTML id of a block (`^id`): a heading's id never holds `^`, so the
/// two never clash.
pub fn block_anchor(id: &str) -> String {
    format!("^{id}")
}

/// A block's id as a URL fragment (`%5Eid`: `^` is not allowed unescaped
/// in a URL; browsers decode it to find the element).
pub fn block_fragment(id: &str) -> String {
    format!("%5E{id}")
}

/// A `^block-id` on its own line after a block (a quote, a list, a table,
/// a code block), as Obsidian writes it: blank lines, then a line that is
/// only `^id`, then a blank line or the end. Returns the marker's range in
/// `body` and the id; `end` is where the block ends.
pub fn trailing_block_id(body: &str, end: usize) -> Option<(Range<usize>, &str)> {
    let mut at = end;
    let rest = body.get(end..)?;
    for line in rest.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() {
            at += line.len();
            continue;
        }
        let id = t.strip_prefix('^')?;
        if !is_block_id(id) {
            return None;
        }
        let next = body[at + line.len()..].split('\n').next().unwrap_or("");
        if !next.trim().is_empty() {
            return None;
        }
        let start = at + (line.len() - line.trim_start().len());
        return Some((start..start + t.len(), id));
    }
    None
}

/// The text of a list item that is its own (not a nested list, quote or
/// code block, nor a later paragraph): its lines up to the first blank
/// line or the first line that starts another block.
fn item_text(source: &str) -> &str {
    let mut end = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        let starts_block = t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.starts_with('>')
            || t.starts_with("```")
            || t.starts_with("~~~")
            || t.starts_with('#')
            || t.split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if i > 0 && (t.trim().is_empty() || starts_block) {
            break;
        }
        end += line.len();
    }
    &source[..end]
}

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

#[cfg(test)]
mod tests;

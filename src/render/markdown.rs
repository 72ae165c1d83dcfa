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

/// A body's events as rendered: wikilinks resolved, link URLs made safe,
/// headings given ids, footnote definitions held back and listed at the
/// end.
struct BodyEvents<'a, 'l> {
    events: autolink::Autolinks<'a, EventStream<'a>>,
    links: &'l [WikiLink],
    target: &'l dyn Fn(&WikiLink) -> LinkTarget,
    embed: &'l dyn Fn(&WikiLink) -> Option<String>,
    /// Events made by [`BodyEvents::convert`] after the one it returned.
    ready: std::collections::VecDeque<Event<'a>>,
    /// In a wikilink whose text is replaced by what it shows.
    swallow: bool,
    /// The embed being read (its events make one piece of HTML).
    embedding: Option<Embedding>,
    wikilink_stack: Vec<bool>,
    next_link: usize,
    /// The heading being read, with its events so far.
    heading: Option<(HeadingLevel, Vec<Event<'a>>)>,
    heading_ids: HeadingIds,
    notes: footnotes::Footnotes<'a>,
    /// The list of footnotes, once the body's events are done.
    section: Option<std::vec::IntoIter<Event<'a>>>,
}

impl<'a> Iterator for BodyEvents<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(section) = &mut self.section {
                return section.next();
            }
            let ev = match self.ready.pop_front() {
                Some(ev) => ev,
                None => {
                    let Some(ev) = self.events.next() else {
                        self.section = Some(self.notes.section().into_iter());
                        continue;
                    };
                    let Some(ev) = self.convert(ev) else {
                        continue;
                    };
                    ev
                }
            };
            // Headings get an id so `[[note#Heading]]` can point at them.
            let ev = match (&mut self.heading, ev) {
                (
                    None,
                    Event::Start(Tag::Heading {
                        level, id: None, ..
                    }),
                ) => {
                    self.heading = Some((level, Vec::new()));
                    continue;
                }
                (Some(_), Event::End(TagEnd::Heading(_))) => {
                    let Some((level, inner)) = self.heading.take() else {
                        continue;
                    };
                    self.heading_html(level, inner)
                }
                (Some((_, inner)), ev) => {
                    inner.push(ev);
                    continue;
                }
                (None, ev) => ev,
            };
            if let Some(ev) = self.notes.keep(ev) {
                return Some(ev);
            }
        }
    }
}

impl<'a> BodyEvents<'a, '_> {
    /// `ev` as written, or `None` when it is held back (a footnote
    /// definition's start and end).
    fn convert(&mut self, ev: Event<'a>) -> Option<Event<'a>> {
        if let Some(e) = &mut self.embedding {
            match ev {
                Event::End(TagEnd::Image) => {
                    let e = self.embedding.take()?;
                    return Some(Event::Html(CowStr::from(self.embed_html(e))));
                }
                Event::Text(t) | Event::Code(t) => e.label.push_str(&t),
                _ => {}
            }
            return None;
        }
        if self.swallow {
            if !matches!(ev, Event::End(TagEnd::Link)) {
                return None;
            }
            self.swallow = false;
        }
        Some(match ev {
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                id,
                ..
            }) => {
                self.embedding = Some(Embedding {
                    link: self.next_link,
                    dest: dest_url.to_string(),
                    pothole: has_pothole,
                    block: &*id == super::obsidian::BLOCK_EMBED,
                    label: String::new(),
                });
                self.next_link += 1;
                return None;
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                // Without a label, `[[Note#Heading]]` shows `Note > Heading`.
                if !has_pothole {
                    let shown = link_text(&dest_url);
                    if shown != dest_url.trim() {
                        self.ready.push_back(Event::Text(CowStr::from(shown)));
                        self.swallow = true;
                    }
                }
                self.wikilink_stack.push(true);
                let html = match self.links.get(self.next_link) {
                    Some(l) => {
                        let t = (self.target)(l);
                        match t.href {
                            Some(href) => format!(
                                "<a class=\"wikilink\" href=\"{}\" title=\"{}\">",
                                escape_attr(&href),
                                escape_attr(&t.title)
                            ),
                            None => format!(
                                "<a class=\"broken-link\" title=\"{}\">",
                                escape_attr(&t.title)
                            ),
                        }
                    }
                    None => "<a class=\"broken-link\">".to_string(),
                };
                self.next_link += 1;
                Event::Html(CowStr::from(html))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.vault_url(link_type, &dest_url, false) {
                    Vault::To(href) => CowStr::from(href),
                    Vault::Broken(t) => {
                        self.wikilink_stack.push(true);
                        return Some(Event::Html(CowStr::from(format!(
                            "<a class=\"broken-link\" title=\"{}\">",
                            escape_attr(&t)
                        ))));
                    }
                    Vault::AsWritten => safe_url(dest_url),
                };
                self.wikilink_stack.push(false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                if self.wikilink_stack.pop().unwrap_or(false) {
                    Event::Html(CowStr::Borrowed("</a>"))
                } else {
                    Event::End(TagEnd::Link)
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.vault_url(link_type, &dest_url, true) {
                    Vault::To(href) => CowStr::from(href),
                    Vault::Broken(_) | Vault::AsWritten => safe_url(dest_url),
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::FootnoteReference(label) => self.notes.reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.notes.start_definition(&label);
                return None;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.notes.end_definition();
                return None;
            }
            other => other,
        })
    }

    /// Where a Markdown link or image to a file of the vault goes (the
    /// loader listed it: see `wikilinks::vault_link`).
    fn vault_url(&mut self, link_type: LinkType, dest: &str, image: bool) -> Vault {
        if vault_link(link_type, dest, image).is_none() {
            return Vault::AsWritten;
        }
        let Some(l) = self.links.get(self.next_link) else {
            return Vault::AsWritten;
        };
        self.next_link += 1;
        let t = (self.target)(l);
        match t.href {
            Some(href) if l.is_resolved() => Vault::To(href),
            // What the link stage reported broken (a note's file, or a
            // path from this note's folder, that the vault lacks) shows as
            // broken; any other path may be a file of `static/`.
            _ if l.broken => Vault::Broken(t.title),
            _ => Vault::AsWritten,
        }
    }

    /// The HTML of an embed: an image, a link to a file, a note's content
    /// (when it stands as a block, see `obsidian::BLOCK_EMBED`), or a link.
    fn embed_html(&self, e: Embedding) -> String {
        let label = e.label.trim();
        let shown = if e.pothole && !label.is_empty() {
            label.to_string()
        } else {
            link_text(&e.dest)
        };
        let Some(l) = self.links.get(e.link) else {
            return format!("<a class=\"broken-link\">{}</a>", escape_attr(&shown));
        };
        let t = (self.target)(l);
        let Some(href) = t.href else {
            return format!(
                "<a class=\"broken-link\" title=\"{}\">{}</a>",
                escape_attr(&t.title),
                escape_attr(&shown)
            );
        };
        if let Some(path) = &l.attachment {
            let name = path.rsplit('/').next().unwrap_or(path);
            if is_image(name) {
                let (alt, w, h) = if e.pothole {
                    embed_size(label)
                } else {
                    (None, None, None)
                };
                let mut img = format!(
                    "<img class=\"embed\" src=\"{}\" alt=\"{}\"",
                    escape_attr(&href),
                    escape_attr(alt.unwrap_or(name))
                );
                if let Some(w) = w {
                    img.push_str(&format!(" width=\"{w}\""));
                }
                if let Some(h) = h {
                    img.push_str(&format!(" height=\"{h}\""));
                }
                img.push('>');
                return img;
            }
            let text = if e.pothole && !label.is_empty() {
                label
            } else {
                name
            };
            return format!(
                "<a class=\"embed-file\" href=\"{}\">{}</a>",
                escape_attr(&href),
                escape_attr(text)
            );
        }
        let link = format!(
            "<a class=\"wikilink\" href=\"{}\" title=\"{}\">{}</a>",
            escape_attr(&href),
            escape_attr(&t.title),
            escape_attr(&shown)
        );
        match e.block.then(|| (self.embed)(l)).flatten() {
            Some(html) => format!(
                "<div class=\"embed\">\n<p class=\"embed-title\">{link}</p>\n{html}</div>\n"
            ),
            None => link,
        }
    }

    fn heading_html(&mut self, level: HeadingLevel, inner: Vec<Event<'a>>) -> Event<'a> {
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.heading_ids.next(&text);
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        Event::Html(CowStr::from(format!(
            "<{level} id=\"{}\">{inner_html}</{level}>\n",
            escape_attr(&id)
        )))
    }
}

/// An embed being read: the index of its link, its destination as
/// written, whether it had a label, whether it may be shown as a block,
/// and its label's text.
struct Embedding {
    link: usize,
    dest: String,
    pothole: bool,
    block: bool,
    label: String,
}

/// Where a Markdown link or image leads.
enum Vault {
    /// A note's page or an attachment.
    To(String),
    /// A note's file the vault lacks (the title says so).
    Broken(String),
    /// Not a file of the vault: the destination as written.
    AsWritten,
}

/// Whether a file is shown as an image when embedded.
fn is_image(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp" | "svg" | "ico")
    )
}

/// Heading ids, unique in the page: `what-happened`, `what-happened-1`
/// (and a third `What happened` is not `what-happened-1` again when a
/// heading `What happened 1` took that id), and never one of the
/// footnotes' ids.
struct HeadingIds {
    used: HashSet<String>,
    count: HashMap<String, usize>,
}

impl HeadingIds {
    fn new(reserved: HashSet<String>) -> Self {
        HeadingIds {
            used: reserved,
            count: HashMap::new(),
        }
    }

    fn next(&mut self, text: &str) -> String {
        let base = anchor(text);
        let n = self.count.entry(base.clone()).or_insert(0);
        let mut id = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.used.contains(&id) {
            *n += 1;
            id = format!("{base}-{n}");
        }
        *n += 1;
        self.used.insert(id.clone());
        id
    }
}

/// The fragment id of a heading: `What happened?` -> `what-happened`.
pub fn anchor(text: &str) -> String {
    crate::content::obsidian::heading_anchor(text)
}

/// A link's or image's URL, or `#` when its scheme may not be linked
/// ([`escape::link_url`]).
fn safe_url(url: CowStr) -> CowStr {
    if escape::link_url(&url).is_some() {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// `html` sanitised: what a note body's raw HTML becomes on its page (and
/// what the search index reads of it).
pub(crate) fn clean_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// `html` sanitised, and without `id` attributes: what an embedded note
/// shows inside another page, whose own headings and blocks keep the ids
/// links point at (an id is unique in a page).
pub(crate) fn clean_html_without_ids(html: &str) -> String {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = builder();
        b.rm_generic_attributes(["id"]);
        b
    })
    .clean(html)
    .to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(builder)
}

fn builder() -> ammonia::Builder<'static> {
    {
        let mut b = ammonia::Builder::default();
        // The one list of elements: raw HTML's other tags never reach here
        // as tags (see `raw_html`).
        b.tags(ALLOWED_TAGS.iter().copied().collect());
        b.add_generic_attributes(["class", "id", "title"]);
        b.add_tag_attributes("details", ["open"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tag_attributes("ol", ["start"]);
        b.add_tag_attributes("td", ["align", "style"]);
        b.add_tag_attributes("th", ["align", "style"]);
        b.url_schemes(escape::LINK_SCHEMES.into_iter().collect());
        // A style can paint a fake page over the real one or fetch a remote
        // URL: only a table column's alignment is kept.
        b.attribute_filter(|_, attribute, value| match attribute {
            "style" => cell_alignment(value).map(Cow::Borrowed),
            _ => Some(Cow::Borrowed(value)),
        });
        b
    }
}

/// The one inline style the sanitiser keeps, on table cells: the column
/// alignment pulldown-cmark writes (`text-align: left`, `center` or
/// `right`), written back as it writes it. Anything else (another
/// property, a second declaration, CSS escapes or comments) drops the
/// whole attribute: the value is matched, never parsed.
fn cell_alignment(style: &str) -> Option<&'static str> {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match compact.strip_suffix(';').unwrap_or(&compact) {
        "text-align:left" => Some("text-align: left"),
        "text-align:center" => Some("text-align: center"),
        "text-align:right" => Some("text-align: right"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

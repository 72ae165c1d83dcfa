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
mod tests {
    use super::*;
    use crate::content::wikilinks::body_links;

    fn r(body: &str) -> String {
        let links = body_links(body, 1);
        render(
            body,
            &links,
            |l| LinkTarget {
                href: (l.target != "missing").then(|| format!("/deals/{}/", l.target)),
                title: l.target.clone(),
            },
            RawHtml::Sanitise,
        )
    }

    #[test]
    fn wikilinks_resolve_or_show_broken() {
        let h = r("See [[globex]] and [[missing|the one]].");
        assert!(
            h.contains("<a class=\"wikilink\" href=\"/deals/globex/\" title=\"globex\">globex</a>"),
            "{h}"
        );
        assert!(
            h.contains("<a class=\"broken-link\" title=\"missing\">the one</a>"),
            "{h}"
        );
    }

    #[test]
    fn headings_get_ids() {
        let h = r("## What happened?\n\n## What happened?\n");
        assert!(
            h.contains("<h2 id=\"what-happened\">What happened?</h2>"),
            "{h}"
        );
        assert!(h.contains("<h2 id=\"what-happened-1\">"), "{h}");
    }

    #[test]
    fn scripts_and_js_urls_are_removed() {
        let h =
            r("<script>alert(1)</script><img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        let h = r("[x](JavaScript:alert(3)) ![i](data:text/html,hi) [ok](https://a.example/x) [rel](../y)");
        assert!(!h.to_lowercase().contains("javascript:"), "{h}");
        assert!(!h.contains("data:"), "{h}");
        assert!(
            h.contains("https://a.example/x") && h.contains("../y"),
            "{h}"
        );
    }

    #[test]
    fn html_too_deep_to_sanitise_is_shown_as_text() {
        let t = |_: &WikiLink| LinkTarget {
            href: None,
            title: String::new(),
        };
        // Balanced, so every tag would be kept as HTML.
        let body = format!(
            "Intro *a* [[x]]\n\n{}x<b>y</b><script>alert(1)</script>{}\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let links = body_links(&body, 1);
        let h = render(&body, &links, t, RawHtml::AsText);
        assert!(
            h.contains("&lt;div&gt;&lt;div&gt;") && h.contains("&lt;/div&gt;&lt;/div&gt;"),
            "{h}"
        );
        for tag in ["<div", "<b>", "<script"] {
            assert!(!h.contains(tag), "{tag}: {h}");
        }
        // The Markdown is still Markdown, and links still links.
        assert!(
            h.contains("<em>a</em>") && h.contains("class=\"broken-link\""),
            "{h}"
        );
        // Unflagged, the renderer still refuses to sanitise it; with
        // unsafe_html it is passed through (no sanitiser to slow down).
        assert_eq!(render(&body, &links, t, RawHtml::Sanitise), h);
        assert!(render(&body, &links, t, RawHtml::Keep).contains(&"<div>".repeat(300)));
        // Never closed, the tags are text anyway (see `raw_html`).
        let open = format!("{}x\n", "<div>".repeat(300));
        assert_eq!(
            render(&open, &[], t, RawHtml::Sanitise),
            render(&open, &[], t, RawHtml::AsText)
        );
    }

    #[test]
    fn tables_and_details_survive_sanitising() {
        let h = r(
            "<details><summary>More</summary>Hidden</details>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(h.contains("<details>") && h.contains("<table>"), "{h}");
    }

    #[test]
    fn styles_keep_only_the_column_alignment() {
        let allowed = [
            "text-align: left",
            "text-align: center",
            "text-align: right",
        ];
        let hostile = [
            "position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;background:white",
            "background:url(http://evil.example/p.png)",
            "BACKGROUND:URL(http://evil.example/p.png)",
            "background:\\75rl(http://evil.example/p.png)",
            "background:u\\rl(http://evil.example/p.png)",
            "background:u/**/rl(http://evil.example/p.png)",
            "width:expression(alert(1))",
            "text-align:left;position:fixed",
            "text-align: left; background: url(http://evil.example/)",
            "text-align:/**/left",
            "text-align:\\6c eft",
            "TEXT-ALIGN: LEFT; Z-INDEX: 99999",
            "&#112;osition:fixed",
            "position&#58;fixed",
            "text-align:left\\;position:fixed",
        ];
        for style in hostile {
            let attr = style.replace('"', "&quot;");
            let body = format!(
                "<table><tr><td style=\"{attr}\">Fake</td><th STYLE=\"{attr}\">h</th></tr></table>\n\n\
                 <p style=\"{attr}\">p</p> <span style=\"{attr}\">s</span> <div style=\"{attr}\">d</div>\n"
            );
            let h = r(&body);
            let doc = scraper::Html::parse_fragment(&h);
            let styled = scraper::Selector::parse("[style]").unwrap();
            for e in doc.select(&styled) {
                let got = e.value().attr("style").unwrap_or_default();
                assert!(allowed.contains(&got), "{style} kept as {got:?} in {h}");
            }
            let lower = h.to_ascii_lowercase();
            for bad in ["url(", "position", "z-index", "expression", "\\"] {
                assert!(!lower.contains(bad), "{style}: {h}");
            }
        }
        // The alignment pulldown-cmark writes survives, with raw HTML in
        // the note (sanitised) and without.
        for extra in ["", "\n\n<b>raw</b>\n"] {
            let h = r(&format!(
                "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n{extra}"
            ));
            for a in allowed {
                assert!(h.contains(&format!("<td style=\"{a}\">")), "{h}");
            }
        }
        let h = r("<table><tr><td style=\"TEXT-ALIGN:Right;\">x</td></tr></table>");
        assert!(h.contains("<td style=\"text-align: right\">x</td>"), "{h}");
    }

    fn render_with(body: &str, unsafe_html: bool) -> String {
        let links = body_links(body, 1);
        render(
            body,
            &links,
            |l| LinkTarget {
                href: Some(format!("/x/{}/", l.target)),
                title: l.target.clone(),
            },
            RawHtml::for_note(false, unsafe_html),
        )
    }

    fn doc(h: &str) -> scraper::Html {
        scraper::Html::parse_fragment(h)
    }

    fn count(h: &str, css: &str) -> usize {
        let sel = scraper::Selector::parse(css).unwrap();
        doc(h).select(&sel).count()
    }

    fn text_of(h: &str, css: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(css).unwrap();
        doc(h)
            .select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    fn codes(body: &str, unsafe_html: bool) -> Vec<(&'static str, usize)> {
        crate::content::wikilinks::html_diagnostics("n.md", body, 1, unsafe_html)
            .into_iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect()
    }

    const EMAIL: &str = "Hi <first name>, I noticed <Company> is hiring. Put the <title> of the role here.\n\nAfter **bold**.\n";

    #[test]
    fn placeholders_are_text_and_the_page_goes_on() {
        for unsafe_html in [false, true] {
            let h = render_with(EMAIL, unsafe_html);
            assert_eq!(
                text_of(&h, "p"),
                [
                    "Hi <first name>, I noticed <Company> is hiring. Put the <title> of the role here.",
                    "After bold."
                ],
                "{h}"
            );
            assert!(h.contains("&lt;first name&gt;"), "{h}");
            assert_eq!(count(&h, "title, first, company"), 0, "{h}");
            assert_eq!(count(&h, "p strong"), 1, "{h}");
        }
        assert_eq!(
            codes(EMAIL, false),
            [
                ("unknown-html-tag", 1),
                ("unknown-html-tag", 1),
                ("unknown-html-tag", 1)
            ]
        );
        // In code, or escaped, a placeholder is text already: no warning.
        let quiet = "Hi `<first name>`, at \\<Company>.\n\n```\n<title>\n```\n";
        assert!(codes(quiet, false).is_empty());
        let h = render_with(quiet, false);
        assert!(
            h.contains("<code>&lt;first name&gt;</code>") && h.contains("at &lt;Company&gt;."),
            "{h}"
        );
    }

    #[test]
    fn raw_text_elements_never_take_over_the_page() {
        let after = "\n\nAfter **bold** [[x]].\n";
        for name in raw_html::RAW_TEXT {
            for body in [
                format!("Put the <{name}> here.{after}"),
                format!("Put the <{name}>x</{name}> here.{after}"),
                format!("<{name}>\nall of it\n{after}"),
                format!("<{name}>x</{name}>{after}"),
                format!("> <{name}>\n{after}"),
                format!("- <{name} a=\"b\">x{after}"),
            ] {
                for unsafe_html in [false, true] {
                    let h = render_with(&body, unsafe_html);
                    assert_eq!(
                        count(&h, "p strong"),
                        1,
                        "{name} {unsafe_html}: {body:?} -> {h}"
                    );
                    assert_eq!(count(&h, "a.wikilink"), 1, "{body:?} -> {h}");
                    let closed = body.contains(&format!("</{name}>"));
                    if unsafe_html && closed && *name != "plaintext" {
                        // Trusted authors' closed elements pass.
                        continue;
                    }
                    assert_eq!(count(&h, name), 0, "{name} {unsafe_html}: {body:?} -> {h}");
                    assert!(h.contains(&format!("&lt;{name}")), "{body:?} -> {h}");
                    assert!(!codes(&body, unsafe_html).is_empty(), "{body:?}");
                }
            }
        }
    }

    #[test]
    fn scripts_and_styles_are_shown_never_run() {
        let body = "<script>alert(1)</script>\n\n<style>body { display: none }</style>\n\nSee <script>x()</script>.\n";
        let h = render_with(body, false);
        assert_eq!(count(&h, "script, style"), 0, "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(
            h.contains("&lt;style&gt;body { display: none }&lt;/style&gt;"),
            "{h}"
        );
        let d = crate::content::wikilinks::html_diagnostics("n.md", body, 4, false);
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            got,
            [
                ("unknown-html-tag", 4, 1),
                ("unknown-html-tag", 6, 1),
                ("unknown-html-tag", 8, 5)
            ]
        );
        assert!(
            d[0].help.as_deref().unwrap_or("").contains("never run"),
            "{d:?}"
        );
        // With unsafe_html, a trusted author's closed script is kept.
        let h = render_with(body, true);
        assert!(
            h.contains("<script>alert(1)</script>") && h.contains("<script>x()</script>"),
            "{h}"
        );
        assert!(codes(body, true).is_empty());
    }

    #[test]
    fn allowed_tags_still_work() {
        let body = "Press <kbd>Ctrl</kbd>+<kbd>K</kbd>, line<br>break, H<sub>2</sub>O, <b>bold</b> <span class=\"x\">s</span><img src=\"a.png\" alt=\"a\"/>.\n\n<details>\n<summary>More</summary>\n\n- hidden *list*\n\n</details>\n\n<div>\n<p>para\n<ul><li>a<li>b</ul>\n<table><tr><td>1<td>2<tr><td>3</table>\n</div>\n";
        for unsafe_html in [false, true] {
            let h = render_with(body, unsafe_html);
            for (css, n) in [
                ("kbd", 2),
                ("br", 1),
                ("sub", 1),
                ("b", 1),
                ("span.x", 1),
                ("img", 1),
                ("details > summary", 1),
                ("details li em", 1),
                ("div li", 2),
                ("div td", 3),
            ] {
                assert_eq!(count(&h, css), n, "{css} {unsafe_html}: {h}");
            }
            assert!(!h.contains("&lt;"), "{h}");
            assert!(
                codes(body, unsafe_html).is_empty(),
                "{:?}",
                codes(body, unsafe_html)
            );
        }
    }

    #[test]
    fn a_tag_must_close_in_its_block() {
        // Left open, `<b>` would make every later paragraph bold.
        let h = render_with("Start <b>bold\n\nnext\n\n- <em>one\n- two</em>\n", false);
        assert_eq!(count(&h, "b, em"), 0, "{h}");
        assert!(
            h.contains("&lt;b&gt;bold") && h.contains("two&lt;/em&gt;"),
            "{h}"
        );
        assert_eq!(
            codes("Start <b>bold\n\nnext\n\n- <em>one\n- two</em>\n", false),
            [
                ("unclosed-html-tag", 1),
                ("unclosed-html-tag", 5),
                ("unclosed-html-tag", 6)
            ]
        );
        // An end tag that closes nothing of its block is text: it cannot
        // close the page's own elements.
        let body = "</section></main>\n\n> <div>\n\n</div>\n";
        for unsafe_html in [false, true] {
            let h = render_with(body, unsafe_html);
            assert_eq!(count(&h, "div"), 0, "{h}");
            assert!(
                h.contains("&lt;/section&gt;&lt;/main&gt;") && h.contains("&lt;/div&gt;"),
                "{h}"
            );
        }
        // `<span/>` leaves nothing open.
        let h = render_with("a <span/> b *c*\n", false);
        assert!(h.contains("<span></span> b <em>c</em>"), "{h}");
    }

    #[test]
    fn unsafe_html_lets_elements_through_but_not_placeholders() {
        let body = "<video src=\"v.mp4\" controls></video>\n\n<svg viewBox=\"0 0 2 2\"><circle cx=\"1\" cy=\"1\" r=\"1\"/><title>dot</title></svg>\n\nDear <first name>, <Company>.\n\n<base href=\"https://evil.example/\">\n";
        let h = render_with(body, true);
        assert_eq!(count(&h, "video"), 1, "{h}");
        assert_eq!(count(&h, "svg circle"), 1, "{h}");
        assert_eq!(count(&h, "base, first, company"), 0, "{h}");
        assert!(
            h.contains("Dear &lt;first name&gt;, &lt;Company&gt;."),
            "{h}"
        );
        assert_eq!(codes(body, true).len(), 3, "{:?}", codes(body, true));
        // Without it, the same elements are text.
        let h = render_with(body, false);
        assert_eq!(count(&h, "video, svg, circle, base"), 0, "{h}");
        assert!(h.contains("&lt;video"), "{h}");
    }

    #[test]
    fn an_html_block_that_never_ends_does_not_swallow_the_note() {
        for opener in [
            "<script>",
            "<STYLE media=x>",
            "<textarea>",
            "<pre>",
            "<!-- draft",
            "<?php",
            "<!DOCTYPE x",
            "<![CDATA[",
        ] {
            for prefix in ["", "> "] {
                let body = format!(
                    "Intro.\n\n{prefix}{opener}\n{prefix}raw *line*\n\nAfter **bold** [[x]].\n"
                );
                assert_eq!(body_links(&body, 1).len(), 1, "{body:?}");
                for unsafe_html in [false, true] {
                    let h = render_with(&body, unsafe_html);
                    assert_eq!(count(&h, "p strong"), 1, "{body:?} -> {h}");
                    assert_eq!(count(&h, "p em"), 1, "{body:?} -> {h}");
                    assert_eq!(count(&h, "a.wikilink[href='/x/x/']"), 1, "{body:?} -> {h}");
                    assert!(
                        h.contains(&format!("&lt;{}", opener[1..].trim_end_matches('>'))),
                        "{body:?} -> {h}"
                    );
                    let d =
                        crate::content::wikilinks::html_diagnostics("n.md", &body, 10, unsafe_html);
                    assert_eq!(d.len(), 1, "{body:?}: {d:?}");
                    assert_eq!(
                        (d[0].code.as_str(), d[0].line, d[0].column),
                        ("unclosed-html-tag", 12, 1 + prefix.len())
                    );
                }
            }
        }
        // Closed, they are what they were.
        let h = render_with("<pre>\n*a*\n</pre>\n\n<!-- hidden -->\n\ntext\n", false);
        assert_eq!(count(&h, "pre"), 1, "{h}");
        assert!(!h.contains("hidden") && !h.contains("<em>"), "{h}");
    }

    #[test]
    fn no_mix_of_markup_panics_or_leaves_a_raw_text_element() {
        const PIECES: &[&str] = &[
            "<",
            ">",
            "</",
            "<b>",
            "</b>",
            "<div>",
            "</div>",
            "<title>",
            "</title>",
            "<script>",
            "</script>",
            "<pre>",
            "<!--",
            "-->",
            "<?",
            "?>",
            "<![CDATA[",
            "]]>",
            "<svg>",
            "</svg>",
            "<p/>",
            "<first name>",
            "\n",
            "\n\n",
            "> ",
            "- ",
            "    ",
            "`",
            "```\n",
            "[[x]]",
            "%%",
            "[^1]",
            "[^1]: n\n",
            "https://a.example/(x)",
            "www.b.example",
            "c@d.example",
            "é",
            "名",
            "\\",
            "&amp;",
            "&",
            "\"",
            "'",
            "=",
            "a",
            " ",
            "| a |\n|---|\n",
            "*",
            "_",
            "[!note]",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut body = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 24) as usize;
            let mut s = seed;
            for _ in 0..n {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push_str(PIECES[(s >> 33) as usize % PIECES.len()]);
            }
            for unsafe_html in [false, true] {
                let h = render_with(&body, unsafe_html);
                let _ = crate::content::wikilinks::html_diagnostics("n.md", &body, 1, unsafe_html);
                if !unsafe_html {
                    assert_eq!(
                        count(&h, "title, script, plaintext, svg, first"),
                        0,
                        "{body:?} -> {h}"
                    );
                }
            }
            let _ = crate::render::search::body_text(&body);
        }
    }

    #[test]
    fn bare_urls_and_addresses_become_links() {
        let body = "Book at https://cal.example.com/jane?src=mail&x=1, or www.example.org/help.\n\nMail jane.doe+sales@acme.example (or call).\n\n`https://code.example` and [a link https://inner.example](https://outer.example) and <a href=\"https://raw.example\">https://raw.example/page</a>\n\n```\nhttps://block.example\n```\n\n![img https://alt.example](i.png) <https://angle.example> [[x]]\n";
        for unsafe_html in [false, true] {
            let h = render_with(body, unsafe_html);
            let hrefs: Vec<String> = {
                let sel = scraper::Selector::parse("a").unwrap();
                doc(&h)
                    .select(&sel)
                    .map(|a| a.value().attr("href").unwrap_or("").to_string())
                    .collect()
            };
            assert_eq!(
                hrefs,
                [
                    "https://cal.example.com/jane?src=mail&x=1",
                    "http://www.example.org/help",
                    "mailto:jane.doe+sales@acme.example",
                    "https://outer.example",
                    "https://raw.example",
                    "https://angle.example",
                    "/x/x/",
                ],
                "{h}"
            );
            assert_eq!(count(&h, "a a"), 0, "{h}");
            assert_eq!(
                text_of(&h, "p")[0],
                "Book at https://cal.example.com/jane?src=mail&x=1, or www.example.org/help."
            );
        }
        // The scheme filter sees them like any link.
        let h = render_with(
            "Go https://ok.example/x and javascript://alert(1).\n",
            false,
        );
        assert_eq!(count(&h, "a"), 1, "{h}");
    }

    #[test]
    fn footnotes_have_back_links_and_ids_apart_from_headings() {
        let body = "## Summary\n\nWe won[^win] on value[^1], as planned[^win].\n\n## 1\n\n## fn 1\n\n## fnref 1\n\n## fnref 1\n\n[^1]: The *pilot*, see [[x]].\n[^win]: Signed in Q3.\n\n        signed = true\n\n[^unused]: Never referred to.\n";
        for extra in ["", "\n<b>raw</b>\n"] {
            let h = render_with(&format!("{body}{extra}"), false);
            let d = doc(&h);
            let ids: Vec<String> = {
                let sel = scraper::Selector::parse("[id]").unwrap();
                d.select(&sel)
                    .map(|e| e.value().attr("id").unwrap_or("").to_string())
                    .collect()
            };
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "duplicate id: {ids:?}\n{h}");
            assert_eq!(
                ids,
                [
                    "summary",
                    "fnref-1",
                    "fnref-2",
                    "fnref-1-2",
                    "1",
                    "fn-1-1",
                    "fnref-1-1",
                    "fnref-1-3",
                    "fn-1",
                    "fn-2"
                ],
                "{h}"
            );
            // Every link to a fragment has its target on the page.
            let sel = scraper::Selector::parse("a[href^='#']").unwrap();
            for a in d.select(&sel) {
                let target = a.value().attr("href").unwrap_or("#")[1..].to_string();
                assert!(unique.contains(&target), "{target}: {h}");
            }
            assert_eq!(text_of(&h, "sup.footnote-ref a"), ["1", "2", "1"], "{h}");
            assert_eq!(count(&h, "section.footnotes > ol > li"), 2, "{h}");
            assert!(!h.contains("Never referred to"), "{h}");
            let back = text_of(&h, "li#fn-1 a.footnote-backref");
            assert_eq!(back, ["↩", "↩2"], "{h}");
            assert_eq!(count(&h, "li#fn-1 > pre ~ a.footnote-backref"), 2, "{h}");
            assert_eq!(count(&h, "li#fn-2 > p > a.footnote-backref"), 1, "{h}");
            assert_eq!(count(&h, "li#fn-2 a.wikilink"), 1, "{h}");
        }
    }

    #[test]
    fn callouts_obsidian_and_github() {
        let body = "> [!note] Before the *call*, read [[x]]\n> Body [[y]] text.\n>\n> - a list\n\n> [!WARNING]-\n> Folded.\n\n> [!faq]+ Open **question**\n> > [!tip]\n> > Nested.\n\n> [!NOTE]\n\n> Plain quote with [!note] inside.\n\n- > [!todo] In a list\n";
        for extra in ["", "\n<b>raw</b>\n"] {
            let h = render_with(&format!("{body}{extra}"), false);
            assert_eq!(count(&h, "aside.callout.callout-note"), 2, "{h}");
            assert_eq!(
                text_of(&h, ".callout-title"),
                [
                    "Before the call, read x",
                    "Warning",
                    "Open question",
                    "Tip",
                    "Note",
                    "In a list"
                ],
                "{h}"
            );
            assert_eq!(
                count(&h, "aside.callout-note > p.callout-title > em"),
                1,
                "{h}"
            );
            assert_eq!(
                count(&h, "aside.callout-note > p.callout-title + p a.wikilink"),
                1,
                "{h}"
            );
            assert_eq!(count(&h, "aside.callout-note > ul > li"), 1, "{h}");
            assert_eq!(
                count(
                    &h,
                    "details.callout-warning:not([open]) > summary.callout-title"
                ),
                1,
                "{h}"
            );
            assert_eq!(
                count(&h, "details.callout-question[open] > summary > strong"),
                1,
                "{h}"
            );
            assert_eq!(
                count(&h, "details.callout-question aside.callout-tip > p"),
                2,
                "{h}"
            );
            assert_eq!(count(&h, "li > aside.callout-todo"), 1, "{h}");
            assert_eq!(
                text_of(&h, "blockquote"),
                ["\nPlain quote with [!note] inside.\n"],
                "{h}"
            );
            // Links keep their order: each label shows its own target.
            let sel = scraper::Selector::parse("a.wikilink").unwrap();
            let hrefs: Vec<_> = doc(&h)
                .select(&sel)
                .map(|a| a.value().attr("href").unwrap_or("").to_string())
                .collect();
            assert_eq!(hrefs, ["/x/x/", "/x/y/"], "{h}");
        }
    }
}

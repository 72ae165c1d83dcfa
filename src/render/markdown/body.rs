//! The event rewriting of a body: wikilinks resolved (shown, embedded or
//! broken), Markdown links into the vault made pages' links, link URLs made
//! safe, headings given ids, footnote definitions held back for the end.

use super::*;

/// A body's events as rendered: wikilinks resolved, link URLs made safe,
/// headings given ids, footnote definitions held back and listed at the
/// end.
pub(super) struct BodyEvents<'a, 'l> {
    pub(super) events: autolink::Autolinks<'a, EventStream<'a>>,
    pub(super) links: &'l [WikiLink],
    pub(super) target: &'l dyn Fn(&WikiLink) -> LinkTarget,
    pub(super) embed: &'l dyn Fn(&WikiLink) -> Option<String>,
    /// Events made by [`BodyEvents::convert`] after the one it returned.
    pub(super) ready: std::collections::VecDeque<Event<'a>>,
    /// In a wikilink whose text is replaced by what it shows.
    pub(super) swallow: bool,
    /// The embed being read (its events make one piece of HTML).
    pub(super) embedding: Option<Embedding>,
    /// How each open link closes.
    pub(super) wikilink_stack: Vec<Close>,
    pub(super) next_link: usize,
    /// The heading being read, with its events so far.
    pub(super) heading: Option<(HeadingLevel, Vec<Event<'a>>)>,
    pub(super) heading_ids: HeadingIds,
    pub(super) notes: footnotes::Footnotes<'a>,
    /// The list of footnotes, once the body's events are done.
    pub(super) section: Option<std::vec::IntoIter<Event<'a>>>,
}

/// How an open link is closed: the `</a>` of a wikilink made here, the
/// Markdown link's own end, or nothing (a link to a note the audience
/// leaves out is its text alone).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Close {
    Html,
    Tag,
    Nothing,
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
                    block: &*id == super::super::obsidian::BLOCK_EMBED,
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
                let html = match self.links.get(self.next_link) {
                    Some(l) if l.excluded => {
                        self.next_link += 1;
                        self.wikilink_stack.push(Close::Nothing);
                        return None;
                    }
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
                self.wikilink_stack.push(Close::Html);
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
                    Vault::Excluded => {
                        self.wikilink_stack.push(Close::Nothing);
                        return None;
                    }
                    Vault::Broken(t) => {
                        self.wikilink_stack.push(Close::Html);
                        return Some(Event::Html(CowStr::from(format!(
                            "<a class=\"broken-link\" title=\"{}\">",
                            escape_attr(&t)
                        ))));
                    }
                    Vault::AsWritten => safe_url(dest_url),
                };
                self.wikilink_stack.push(Close::Tag);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => match self.wikilink_stack.pop().unwrap_or(Close::Tag) {
                Close::Html => Event::Html(CowStr::Borrowed("</a>")),
                Close::Tag => Event::End(TagEnd::Link),
                Close::Nothing => return None,
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.vault_url(link_type, &dest_url, true) {
                    Vault::To(href) => CowStr::from(href),
                    Vault::Broken(_) | Vault::AsWritten | Vault::Excluded => safe_url(dest_url),
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
        if l.excluded {
            return Vault::Excluded;
        }
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
        if l.excluded {
            return escape_attr(&shown);
        }
        let t = (self.target)(l);
        let Some(href) = t.href else {
            return format!(
                "<a class=\"broken-link\" title=\"{}\">{}</a>",
                escape_attr(&t.title),
                escape_attr(&shown)
            );
        };
        if let Some(path) = l.attachment() {
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
pub(super) struct Embedding {
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
    /// A note the audience leaves out: the link's text alone.
    Excluded,
}

/// Whether a file is shown as an image when embedded.
fn is_image(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp" | "svg" | "ico")
    )
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

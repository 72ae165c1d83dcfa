//! Note bodies: CommonMark -> HTML with resolved `[[wikilinks]]`, heading
//! anchors, and sanitised raw HTML.
//!
//! Raw HTML in a body goes through ammonia (scripts, comments, event
//! handlers, `javascript:` URLs and every inline style but a table column's
//! alignment removed) unless the site sets `unsafe_html = true`. A body
//! without raw HTML skips ammonia: pulldown-cmark escapes text itself, and
//! link and image URLs with a scheme other than http(s), mailto and tel are
//! dropped here. Obsidian `%%comments%%` are taken out first (see
//! `content::wikilinks::without_comments`). A body whose HTML nests too
//! deeply to sanitise has its raw HTML shown as text instead (see
//! `content::limits`).

use crate::content::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::content::wikilinks::{markdown_options, without_comments};
use crate::model::WikiLink;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a wikilink target is shown: its URL, or `None` when it is broken.
pub struct LinkTarget {
    pub href: Option<String>,
    pub title: String,
}

/// What becomes of raw HTML in a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Cleaned by ammonia (the default).
    Sanitise,
    /// Passed through as written (`unsafe_html = true`).
    Keep,
    /// Shown as text: the note's HTML nests too deeply to sanitise
    /// (`html-too-deep`, found by the loader).
    AsText,
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
    // Obsidian comments are hidden, as in Obsidian (the loader found the
    // links of this same text).
    let visible = without_comments(body);
    render_with(visible.text.as_ref(), links, &target, raw_html, base)
}

fn render_with(
    body: &str,
    links: &[WikiLink],
    target: &dyn Fn(&WikiLink) -> LinkTarget,
    raw_html: RawHtml,
    base: &str,
) -> String {
    let mut events = BodyEvents {
        parser: Parser::new_ext(body, markdown_options()).into_offset_iter(),
        obsidian: super::obsidian::Decorator::new(body, base),
        pending: std::collections::VecDeque::new(),
        links,
        target,
        raw_html,
        has_raw_html: false,
        wikilink_stack: Vec::new(),
        next_link: 0,
        heading: None,
        heading_ids: HashMap::new(),
    };
    // Streamed, not collected first: a body of a million list items
    // would otherwise hold every event at once.
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, &mut events);
    if !events.has_raw_html || raw_html != RawHtml::Sanitise {
        return out;
    }
    // The loader flags bodies too deep to sanitise (ammonia's HTML parser
    // slows down with depth: a megabyte of nested `<div>` took minutes);
    // this catches any its estimate missed.
    if HtmlDepth::default().feed(&out) > 2 * MAX_HTML_DEPTH {
        return render_with(body, links, target, RawHtml::AsText, base);
    }
    clean_html(&out)
}

/// A body's Markdown events as rendered: wikilinks resolved, link URLs
/// made safe, raw HTML noted (or turned into text), headings given ids.
struct BodyEvents<'a, 'l> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// Inline tags and block ids (see `render::obsidian`).
    obsidian: super::obsidian::Decorator<'a>,
    /// Events it made, shown next as they are.
    pending: std::collections::VecDeque<Event<'a>>,
    links: &'l [WikiLink],
    target: &'l dyn Fn(&WikiLink) -> LinkTarget,
    raw_html: RawHtml,
    has_raw_html: bool,
    wikilink_stack: Vec<bool>,
    next_link: usize,
    /// The heading being read, with its events so far.
    heading: Option<(HeadingLevel, Vec<Event<'a>>)>,
    heading_ids: HashMap<String, usize>,
}

impl<'a> Iterator for BodyEvents<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let ev = match self.pending.pop_front() {
                Some(ev) => ev,
                None => {
                    let (ev, range) = self.parser.next()?;
                    match self.obsidian.event(ev, range, &mut self.pending) {
                        Some(ev) => self.convert(ev),
                        None => continue,
                    }
                }
            };
            // Headings get an id so `[[note#Heading]]` can point at them.
            match (&mut self.heading, ev) {
                (
                    None,
                    Event::Start(Tag::Heading {
                        level, id: None, ..
                    }),
                ) => {
                    self.heading = Some((level, Vec::new()));
                }
                (Some(_), Event::End(TagEnd::Heading(_))) => {
                    if let Some((level, inner)) = self.heading.take() {
                        return Some(self.heading_html(level, inner));
                    }
                }
                (Some((_, inner)), ev) => inner.push(ev),
                (None, ev) => return Some(ev),
            }
        }
    }
}

impl<'a> BodyEvents<'a, '_> {
    fn convert(&mut self, ev: Event<'a>) -> Event<'a> {
        match ev {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) => {
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
                self.wikilink_stack.push(false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: safe_url(dest_url),
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
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            Event::Html(h) | Event::InlineHtml(h) if self.raw_html == RawHtml::AsText => {
                Event::Text(h)
            }
            Event::Html(h) => {
                self.has_raw_html = true;
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                self.has_raw_html = true;
                Event::InlineHtml(h)
            }
            other => other,
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
        let mut id = anchor(&text);
        let n = self.heading_ids.entry(id.clone()).or_insert(0);
        if *n > 0 {
            id = format!("{id}-{n}");
        }
        *n += 1;
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        Event::Html(CowStr::from(format!(
            "<{level} id=\"{}\">{inner_html}</{level}>\n",
            escape_attr(&id)
        )))
    }
}

/// The fragment id of a heading: `What happened?` -> `what-happened`.
pub fn anchor(text: &str) -> String {
    crate::content::obsidian::heading_anchor(text)
}

fn safe_url(url: CowStr) -> CowStr {
    let lower = url.trim_start().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_special = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_special) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme
        || ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
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

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title"]);
        b.add_tags(["details", "summary", "input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tag_attributes("ol", ["start"]);
        b.add_tag_attributes("td", ["align", "style"]);
        b.add_tag_attributes("th", ["align", "style"]);
        b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
        // A style can paint a fake page over the real one or fetch a remote
        // URL: only a table column's alignment is kept.
        b.attribute_filter(|_, attribute, value| match attribute {
            "style" => cell_alignment(value).map(Cow::Borrowed),
            _ => Some(Cow::Borrowed(value)),
        });
        b
    })
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

/// Escapes text for HTML: element content and quoted attribute values
/// (one escaper for the whole site: charts and Tera use it too).
pub use super::charts::escape as escape_attr;

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
        let body = format!("{}x<script>alert(1)</script>\n", "<div>".repeat(300));
        let links = body_links(&body, 1);
        let t = |_: &WikiLink| LinkTarget {
            href: None,
            title: String::new(),
        };
        let h = render(&body, &links, t, RawHtml::AsText);
        assert!(
            h.contains("&lt;div&gt;&lt;div&gt;") && !h.contains("<div>"),
            "{h}"
        );
        assert!(!h.contains("<script"), "{h}");
        // Unflagged, the renderer still refuses to sanitise it.
        assert_eq!(render(&body, &links, t, RawHtml::Sanitise), h);
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
}

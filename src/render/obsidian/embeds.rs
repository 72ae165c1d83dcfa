//! Where links lead on a page, and what embeds show: a note's body with
//! its wikilinks, embeds and Markdown links to the vault resolved.
//!
//! `![[Note]]` shows the note's body, `![[Note#Heading]]` its section
//! (the heading and what follows up to the next heading of its level or
//! higher), `![[Note^id]]` the block with that id. One level deep: in
//! what is embedded, embeds are links, and an embed that leads back to the
//! page's own note (a cycle, which the link stage reports) is a link too.
//! The embedded text is rendered like any body (its `%%comments%%` taken
//! out, its raw HTML decided and sanitised the same way).

use crate::content::obsidian::{block_anchor, block_marker, heading_anchor, Place};
use crate::content::wikilinks::{markdown_options, scan_body, without_comments};
use crate::model::{LinkKind, Note, NoteIdx, WikiLink};
use crate::render::markdown::{self, LinkTarget};
use crate::render::Renderer;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// What a path segment escapes in a URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// The URL path of an attachment (`img/Team photo.jpg` ->
/// `img/Team%20photo.jpg`), below the site's base path.
pub fn attachment_url(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a link goes: its note's page, at the heading or block it names,
/// or its attachment; `None` when it is broken.
pub fn link_target(r: &Renderer, l: &WikiLink) -> LinkTarget {
    if let Some(path) = l.attachment() {
        return LinkTarget {
            href: Some(r.href(&attachment_url(path))),
            title: path.rsplit('/').next().unwrap_or(path).to_string(),
        };
    }
    match l.resolved {
        Some(i) => {
            let t = &r.site.notes[i];
            LinkTarget {
                href: Some(format!("{}{}", r.note_url(t), l.fragment())),
                title: t.title.clone(),
            }
        }
        None => LinkTarget {
            href: None,
            title: format!(
                "Broken link: no single note or file matches \u{201c}{}\u{201d}",
                l.target
            ),
        },
    }
}

/// The HTML of note `n`'s body on its page, its embeds shown.
/// A body that cannot be read again (its file changed during the build)
/// is shown as a notice saying so, never as an empty page.
pub fn body_html(r: &Renderer, n: &Note) -> String {
    let me = index_of(r, n);
    let body = match crate::content::body_text(n) {
        Ok(body) => body,
        Err(e) => {
            return format!(
                "<p class=\"notice error\">{}</p>\n",
                crate::render::escape::html(&e)
            )
        }
    };
    markdown::render_with(
        &body,
        &n.links,
        &|l| link_target(r, l),
        &|l| embedded(r, me, l),
        markdown::RawHtml::for_note(n.raw_html_as_text, r.config.unsafe_html),
        &r.config.base_path,
    )
}

/// The index of `n` in the site, if it is one of its notes (found from
/// its address: a page never searches the whole site).
fn index_of(r: &Renderer, n: &Note) -> Option<NoteIdx> {
    let size = std::mem::size_of::<Note>().max(1);
    let offset = (n as *const Note as usize).checked_sub(r.site.notes.as_ptr() as usize)?;
    let i = offset / size;
    r.site
        .notes
        .get(i)
        .filter(|x| std::ptr::eq(*x, n))
        .map(|_| i)
}

/// What the embed `l` on the page of note `host` shows, or `None` to show
/// it as a link.
fn embedded(r: &Renderer, host: Option<NoteIdx>, l: &WikiLink) -> Option<String> {
    if l.kind != LinkKind::Embed {
        return None;
    }
    let to = l.resolved?;
    if let Some(host) = host.filter(|_| crate::links::is_whole_embed(l)) {
        if reaches(r, to, host) {
            return None;
        }
    }
    let n = r.site.notes.get(to)?;
    // A body that cannot be read again leaves the embed a link.
    let body = crate::content::body_text(n).ok()?;
    let range = match (l.block(), l.anchor()) {
        (Some(b), _) => block_range(&body, b)?,
        (None, Some(h)) => section_range(&body, h)?,
        (None, None) => 0..body.len(),
    };
    let text = body.get(range.clone())?;
    let links = links_in(n, &body, range.start, text);
    let html = markdown::render_with(
        text,
        links,
        &|l| link_target(r, l),
        &|_| None,
        markdown::RawHtml::for_note(n.raw_html_as_text, r.config.unsafe_html),
        &r.config.base_path,
    );
    // Its headings' and blocks' ids are the embedded note's, not this
    // page's. (A site that trusts its authors' HTML keeps it as written.)
    Some(if r.config.unsafe_html {
        html
    } else {
        markdown::clean_html_without_ids(&html)
    })
}

/// Whether note `to` leads back to note `host` through embeds.
fn reaches(r: &Renderer, to: NoteIdx, host: NoteIdx) -> bool {
    let notes = &r.site.notes;
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![to];
    while let Some(i) = todo.pop() {
        if i == host {
            return true;
        }
        if !seen.insert(i) {
            continue;
        }
        todo.extend(
            notes[i]
                .links
                .iter()
                .filter(|l| crate::links::is_whole_embed(l))
                .filter_map(|l| l.resolved)
                .filter(|j| *j < notes.len()),
        );
    }
    false
}

/// The links of note `n` within `text`, which starts at offset `start` of
/// its body `body`: those found there, matched by their position in the
/// file.
fn links_in<'n>(n: &'n Note, body: &str, start: usize, text: &str) -> &'n [WikiLink] {
    let before = body.get(..start).unwrap_or_default();
    let line = n.body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let first = n
        .links
        .partition_point(|l| (l.span.line, l.span.col) < (line, col));
    let count = scan_body(text, line).links.len();
    n.links.get(first..first + count).unwrap_or(&[])
}

/// The byte range in `body` of the section under the heading `heading`
/// (compared by its id, like a heading link): from the heading to the next
/// heading of its level or higher.
fn section_range(body: &str, heading: &str) -> Option<Range<usize>> {
    let want = heading_anchor(heading);
    let visible = without_comments(body);
    let text = visible.text.as_ref();
    let mut found: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    let mut reading: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    for (ev, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((start, at)) = found {
                    if level <= at {
                        return Some(visible.body_offset(start)..visible.body_offset(range.start));
                    }
                }
                reading = Some((range.start, level, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, h)) = &mut reading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level, h)) = reading.take() {
                    let h = block_marker(&h).map_or(h.as_str(), |(r, _)| &h[..r.start]);
                    if found.is_none() && heading_anchor(h) == want {
                        found = Some((start, level));
                    }
                }
            }
            _ => {}
        }
    }
    found.map(|(start, _)| visible.body_offset(start)..body.len())
}

/// The byte range in `body` of the block with id `id` (a paragraph, list
/// item, heading, or a quote, list, table or code block followed by the
/// `^id` line).
fn block_range(body: &str, id: &str) -> Option<Range<usize>> {
    let want = block_anchor(id);
    let visible = without_comments(body);
    let text = visible.text.as_ref();
    let mut place = Place::default();
    for (ev, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        place.see(&ev);
        let hit = match &ev {
            Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. }) => place
                .block(&ev, text, &range)
                .is_some_and(|(_, b)| block_anchor(b) == want),
            Event::Start(_) => place
                .trailing(&ev, text, &range)
                .is_some_and(|b| block_anchor(b) == want),
            _ => false,
        };
        if hit {
            return Some(visible.body_offset(range.start)..visible.body_offset(range.end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_blocks() {
        let body = "Intro\n\n## A\n\ntext a %%secret%%\n\n### A1\n\nsub\n\n## B ^hb\n\nb text\n\n> quote\n\n^q\n\n- one\n- two ^li\n";
        let r = section_range(body, "a").unwrap();
        assert_eq!(&body[r], "## A\n\ntext a %%secret%%\n\n### A1\n\nsub\n\n");
        let r = section_range(body, "B").unwrap();
        assert!(body[r].starts_with("## B ^hb"));
        assert!(section_range(body, "nope").is_none());
        assert_eq!(&body[block_range(body, "q").unwrap()], "> quote\n");
        assert_eq!(&body[block_range(body, "li").unwrap()], "- two ^li\n");
        assert!(body[block_range(body, "hb").unwrap()].starts_with("## B"));
        assert!(block_range(body, "zz").is_none());
    }

    #[test]
    fn attachment_urls_escape_each_segment() {
        assert_eq!(
            attachment_url("img/Team photo#1.jpg"),
            "img/Team%20photo%231.jpg"
        );
        assert_eq!(attachment_url("a/ü.png"), "a/%C3%BC.png");
    }
}

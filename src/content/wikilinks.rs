//! `[[wikilinks]]` in note bodies: found once, when a note is loaded, with
//! their file positions. The link stage resolves them; the renderer uses
//! the same Markdown options, so it meets the same links in the same order.

use crate::model::{Span, WikiLink};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// The Markdown extensions of note bodies; render uses the same, so the
/// links found here are the links rendered there, in the same order.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
}

/// Every `[[...]]` of a Markdown body, in document order, with its file
/// position (`body_line` is the file line where the body starts).
pub fn body_links(body: &str, body_line: usize) -> Vec<WikiLink> {
    if !body.contains("[[") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut line = body_line;
    let mut counted = 0;
    for (ev, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if let Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        }) = ev
        {
            let upto = range.start.min(body.len());
            line += body.as_bytes()[counted..upto]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted = counted.max(upto);
            let col = body[..upto].rfind('\n').map_or(upto, |nl| upto - nl - 1) + 1;
            let (target, anchor) = match dest_url.split_once('#') {
                Some((t, a)) => (t.trim().to_string(), Some(a.trim().to_string())),
                None => (dest_url.trim().to_string(), None),
            };
            out.push(WikiLink {
                target,
                anchor,
                span: Span { line, col },
                resolved: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_body_links_with_lines() {
        let links = body_links("Intro\n\nSee [[Jane Doe]] and [[deal-1|the deal]].\n\n`[[not a link]]`\n\n[[x#Heading]]\n", 5);
        let got: Vec<_> = links
            .iter()
            .map(|l| (l.target.as_str(), l.anchor.as_deref(), l.span.line))
            .collect();
        assert_eq!(
            got,
            [
                ("Jane Doe", None, 7),
                ("deal-1", None, 7),
                ("x", Some("Heading"), 11)
            ]
        );
        assert_eq!(links[0].span.col, 5);
    }
}

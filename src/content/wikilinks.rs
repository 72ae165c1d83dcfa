//! `[[wikilinks]]` in note bodies: found once, when a note is loaded, with
//! their file positions. The link stage resolves them; the renderer uses
//! the same Markdown options, so it meets the same links in the same order.

use super::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::model::{Span, WikiLink};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The Markdown extensions of note bodies; render uses the same, so the
/// links found here are the links rendered there, in the same order.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
}

/// What the loader learns from a note's body in one Markdown pass.
#[derive(Debug, Default)]
pub struct BodyScan {
    /// Every `[[...]]`, in document order, with its file position.
    pub links: Vec<WikiLink>,
    /// The file line where the body's HTML first nests deeper than
    /// [`MAX_HTML_DEPTH`], when the body has raw HTML: too deep to
    /// sanitise in reasonable time, so its raw HTML is shown as text.
    pub html_too_deep: Option<usize>,
}

/// Every `[[...]]` of a Markdown body, in document order, with its file
/// position (`body_line` is the file line where the body starts).
pub fn body_links(body: &str, body_line: usize) -> Vec<WikiLink> {
    scan_body(body, body_line).links
}

/// Finds the body's wikilinks and checks how deeply its HTML nests (the
/// Markdown's own elements plus raw HTML tags), in one pass. Positions
/// come from a line index built once, so a body with a hundred thousand
/// links on one line costs no more than one with them on many lines.
pub fn scan_body(body: &str, body_line: usize) -> BodyScan {
    let mut out = BodyScan::default();
    if !body.contains("[[") && !body.contains('<') {
        return out;
    }
    let lines = LineIndex::new(body);
    let mut md_depth = 0usize;
    let mut html = HtmlDepth::default();
    let mut has_raw_html = false;
    let mut too_deep_at: Option<usize> = None;
    for (ev, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let mut deepest_raw = html.depth;
        match ev {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                md_depth += 1;
                let (line, col) = lines.locate(range.start);
                let (target, anchor) = match dest_url.split_once('#') {
                    Some((t, a)) => (t.trim().to_string(), Some(a.trim().to_string())),
                    None => (dest_url.trim().to_string(), None),
                };
                out.links.push(WikiLink {
                    target,
                    anchor,
                    span: Span {
                        line: body_line + line,
                        col: col + 1,
                    },
                    resolved: None,
                });
            }
            // An HTML block is only its raw HTML (counted below).
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(_) => md_depth += 1,
            Event::End(_) => md_depth = md_depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                deepest_raw = html.feed(&h);
            }
            _ => {}
        }
        if too_deep_at.is_none() && md_depth + deepest_raw > MAX_HTML_DEPTH {
            too_deep_at = Some(range.start);
        }
    }
    if has_raw_html {
        out.html_too_deep = too_deep_at.map(|at| body_line + lines.locate(at).0);
    }
    out
}

/// The start of every line of a text, to turn byte offsets into lines
/// and columns by binary search.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 0-based line and 0-based byte column of `offset`.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        (line, offset.saturating_sub(start))
    }
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

    #[test]
    fn deep_html_is_found_with_its_line() {
        let deep = format!("Intro\n\n{}\n", "<div>".repeat(150));
        assert_eq!(scan_body(&deep, 5).html_too_deep, Some(7));
        // Deep Markdown alone is never sanitised: nothing to report.
        let quotes = format!("{} x\n", ">".repeat(150));
        assert_eq!(scan_body(&quotes, 1).html_too_deep, None);
        // With raw HTML somewhere, it counts.
        assert_eq!(
            scan_body(&format!("{quotes}\n<b>hi</b>\n"), 1).html_too_deep,
            Some(1)
        );
        let fine = format!("{}{}", "<div>".repeat(90), "</div>".repeat(90));
        assert_eq!(scan_body(&fine, 1).html_too_deep, None);
    }

    #[test]
    fn positions_on_one_long_line() {
        let body = "[[w]] ".repeat(3);
        let cols: Vec<_> = body_links(&body, 4)
            .iter()
            .map(|l| (l.span.line, l.span.col))
            .collect();
        assert_eq!(cols, [(4, 1), (4, 7), (4, 13)]);
    }
}

//! Body scanning shared by the loader and the renderer: Obsidian
//! `%%comments%%` taken out, and `[[wikilinks]]` found once, when a note is
//! loaded, with their file positions, in the pass that also measures how
//! deeply the body's HTML nests ([`scan_body`], `html-too-deep`: see
//! `content::limits`). The link stage resolves the links; the
//! renderer uses the same Markdown options on the same text (comments
//! removed, HTML blocks that never end cut short: `raw_html::source`), so
//! it meets the same links in the same order. Raw HTML shown as text is
//! reported by [`html_diagnostics`], which validation calls (the rules
//! depend on `unsafe_html`).

pub(crate) mod raw_html;

use super::limits::{HtmlDepth, MAX_HTML_DEPTH};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::model::{Span, WikiLink};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

/// The Markdown extensions of note bodies; render uses the same, so the
/// links found here are the links rendered there, in the same order.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
}

/// A note body without its Obsidian comments: what the page renders and
/// the search index reads.
#[derive(Debug)]
pub struct Uncommented<'a> {
    pub text: Cow<'a, str>,
    /// Where text was taken out: `(offset in text, bytes removed up to and
    /// including this cut)`, in order.
    cuts: Vec<(usize, usize)>,
}

impl Uncommented<'_> {
    /// The offset in the original body of offset `at` of `text`.
    pub fn body_offset(&self, at: usize) -> usize {
        let before = self.cuts.partition_point(|(pos, _)| *pos <= at);
        at + before.checked_sub(1).map_or(0, |i| self.cuts[i].1)
    }
}

/// How many times a body is parsed again, at most, because a comment held
/// a backtick or tilde (which may have opened or closed code); past that,
/// every later `%%` counts, even in code, so a comment is never shown.
const MAX_REPARSES: usize = 16;

/// `body` without Obsidian comments, which Obsidian hides: `%%` starts one
/// anywhere but in code (inline code and code blocks, where `%%` is
/// literal) and the next `%%` ends it, on the same line or lines later
/// (a block comment); one left open runs to the end of the note, as in
/// Obsidian. Text is only ever taken out, never added, and a body without
/// `%%` is borrowed as it is.
pub fn without_comments(body: &str) -> Uncommented<'_> {
    let bytes = body.as_bytes();
    let Some(mut open) = find_pair(bytes, 0) else {
        return Uncommented {
            text: Cow::Borrowed(body),
            cuts: Vec::new(),
        };
    };
    let mut out = String::with_capacity(body.len());
    let mut cuts = Vec::new();
    let mut removed = 0;
    // Code in body offsets, from `cursor` on; `None` once past MAX_REPARSES.
    let mut code = Some(code_ranges(body, 0, 0));
    let mut next_code = 0;
    let mut reparses = 0;
    let mut cursor = 0;
    loop {
        if let Some(code) = &code {
            while code.get(next_code).is_some_and(|r| r.end <= open) {
                next_code += 1;
            }
            if let Some(r) = code.get(next_code).filter(|r| r.start <= open) {
                match find_pair(bytes, r.end) {
                    Some(o) => {
                        open = o;
                        continue;
                    }
                    None => break,
                }
            }
        }
        let close = find_pair(bytes, open + 2).map_or(body.len(), |c| c + 2);
        // `open` and `close` are at ASCII bytes or the end: char boundaries.
        out.push_str(&body[cursor..open]);
        removed += close - open;
        cuts.push((out.len(), removed));
        cursor = close;
        let comment = &bytes[open..close];
        if code.is_some() && comment.iter().any(|b| matches!(b, b'`' | b'~')) {
            if reparses < MAX_REPARSES {
                reparses += 1;
                let now = format!("{out}{}", &body[cursor..]);
                code = Some(code_ranges(&now, out.len(), cursor));
                next_code = 0;
            } else {
                code = None;
            }
        }
        match find_pair(bytes, close) {
            Some(o) => open = o,
            None => break,
        }
    }
    out.push_str(&body[cursor.min(body.len())..]);
    Uncommented {
        text: Cow::Owned(out),
        cuts,
    }
}

/// The first `%%` at or after `from`.
fn find_pair(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(2)
        .position(|w| w == b"%%")
        .map(|i| from + i)
}

/// The byte ranges of inline code and code blocks of `text` that end after
/// `skip`, moved by `base - skip` (so ranges of a text whose offset `skip`
/// is offset `base` of the body come out in body offsets).
fn code_ranges(text: &str, skip: usize, base: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (ev, r) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        // A code block's start event spans the whole block, fences included.
        if !matches!(ev, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
            continue;
        }
        if r.end > skip {
            out.push(r.start.max(skip) - skip + base..r.end - skip + base);
        }
    }
    out
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
    /// Inline `#tags` and heading and block ids (see `obsidian`).
    pub obsidian: super::obsidian::Collector,
}

/// Every `[[...]]` of a Markdown body, in document order, with its file
/// position (`body_line` is the file line where the body starts).
pub fn body_links(body: &str, body_line: usize) -> Vec<WikiLink> {
    scan_body(body, body_line).links
}

/// Finds the body's wikilinks and checks how deeply its HTML nests (the
/// Markdown's own elements plus raw HTML tags), in one pass over the text
/// the renderer parses. Positions are counted forward as the offsets
/// come, so a body with a hundred thousand links on one line costs no
/// more than one with them on many lines.
pub fn scan_body(body: &str, body_line: usize) -> BodyScan {
    let mut out = BodyScan::default();
    if !body.contains("[[")
        && !body.contains("](")
        && !body.contains("]:")
        && !body.contains("][")
        && !body.contains('<')
        && !body.contains('#')
        && !body.contains('^')
    {
        return out;
    }
    // The text the page renders (comments out); positions in the file's.
    let visible = without_comments(body);
    // Parsed as the renderer parses it (an HTML block that never ends does
    // not hide the links after it).
    let (src, _) = raw_html::source(&visible.text);
    let lines = LineIndex::new(body);
    let mut columns = CharColumns::new(body, &lines);
    let mut md_depth = 0usize;
    let mut html = HtmlDepth::default();
    // The raw-HTML depth when each open Markdown block started: raw HTML
    // never outlives its block (see `raw_html`), so what a block leaves
    // open is not counted after it.
    let mut block_start_depth: Vec<usize> = Vec::new();
    let mut has_raw_html = false;
    let mut too_deep_at: Option<usize> = None;
    for (ev, range) in Parser::new_ext(&src.text, markdown_options()).into_offset_iter() {
        out.obsidian.event(&ev, &range, &src.text);
        let mut deepest_raw = html.depth;
        match ev {
            Event::Start(
                ref tag @ (Tag::Link {
                    ref link_type,
                    ref dest_url,
                    ..
                }
                | Tag::Image {
                    ref link_type,
                    ref dest_url,
                    ..
                }),
            ) => {
                md_depth += 1;
                let image = matches!(tag, Tag::Image { .. });
                if let Some(mut link) = vault_link(*link_type, dest_url, image) {
                    let upto = visible.body_offset(src.original_offset(range.start));
                    let (line, col) = columns.locate(upto);
                    // A link ends with `]` or `)`: the byte after it, in the body.
                    let end =
                        visible.body_offset(src.original_offset(range.end.saturating_sub(1))) + 1;
                    let (end_line, end_col) = columns.locate(end);
                    link.span = Span {
                        line: body_line + line,
                        col: col + 1,
                        end_col: if end_line == line { end_col + 1 } else { 0 },
                    };
                    out.links.push(link);
                }
            }
            // An HTML block is only its raw HTML (counted below).
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(tag) => {
                md_depth += 1;
                if raw_html::is_block(&tag) {
                    block_start_depth.push(html.depth);
                }
            }
            Event::End(tag) => {
                md_depth = md_depth.saturating_sub(1);
                if raw_html::is_block_end(&tag) {
                    html.end_block(block_start_depth.pop().unwrap_or(0));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                deepest_raw = html.feed(&h);
            }
            _ => {}
        }
        if too_deep_at.is_none() && md_depth + deepest_raw > MAX_HTML_DEPTH {
            let upto = visible.body_offset(src.original_offset(range.start));
            too_deep_at = Some(body_line + lines.locate(upto).0);
        }
    }
    if has_raw_html {
        out.html_too_deep = too_deep_at;
    }
    out
}

/// The link a Markdown link or image event of a body makes to a note or
/// file of the vault, without its position: every wikilink and embed
/// (`[[x]]`, `![[x]]`), and every Markdown link or image whose destination
/// is a relative path (`[x](Other%20note.md)`, `![](img/a.png)`; see
/// `obsidian::markdown_target`). The renderer asks the same question of
/// the same events, so both meet the same links in the same order.
pub fn vault_link(link_type: LinkType, dest: &str, image: bool) -> Option<WikiLink> {
    use crate::model::LinkKind;
    match link_type {
        LinkType::WikiLink { .. } => {
            let kind = if image {
                LinkKind::Embed
            } else {
                LinkKind::Wiki
            };
            Some(WikiLink::new(dest, Span::default()).of_kind(kind))
        }
        LinkType::Inline
        | LinkType::Reference
        | LinkType::Collapsed
        | LinkType::Shortcut
        | LinkType::ReferenceUnknown
        | LinkType::CollapsedUnknown
        | LinkType::ShortcutUnknown => {
            let (path, fragment) = super::obsidian::markdown_target(dest)?;
            let mut l = WikiLink::new("", Span::default()).of_kind(LinkKind::Markdown);
            l.target = path;
            if let Some(f) = fragment {
                match f.strip_prefix('^') {
                    Some(b) => l.set_block(Some(b.to_string())),
                    None => l.set_anchor(Some(f)),
                }
            }
            Some(l)
        }
        LinkType::Autolink | LinkType::Email => None,
    }
}

/// The raw-HTML tags of a body that its page shows as text (see
/// [`raw_html`]), as warnings at their file line and column: the same
/// decisions as the renderer's, on the same text (comments removed).
pub fn html_diagnostics(
    file: &str,
    body: &str,
    body_line: usize,
    unsafe_html: bool,
) -> Vec<Diagnostic> {
    if !body.contains('<') {
        return Vec::new();
    }
    let visible = without_comments(body);
    let (src, mut found) = raw_html::source(&visible.text);
    let events: Vec<_> = Parser::new_ext(&src.text, markdown_options())
        .into_offset_iter()
        .collect();
    let mode = raw_html::RawHtml::for_note(false, unsafe_html);
    let more = raw_html::rewrite(events, mode, true).findings;
    found.extend(more.into_iter().map(|mut f| {
        f.at = src.original_offset(f.at);
        f
    }));
    found.sort_by_key(|f| f.at);
    let mut at = Positions::new(body, body_line);
    found
        .into_iter()
        .map(|f| {
            let (line, col) = at.line_and_column(visible.body_offset(f.at));
            html_diagnostic(file, line, &f).at_column(col)
        })
        .collect()
}

/// The file line and column of offsets of a body, asked in increasing
/// order: each byte is read once, however many positions one long line
/// holds.
struct Positions<'b> {
    body: &'b str,
    line: usize,
    /// The offset counted up to, the start of its line, and how many
    /// characters lie between them.
    pos: usize,
    line_start: usize,
    chars: usize,
}

impl<'b> Positions<'b> {
    fn new(body: &'b str, body_line: usize) -> Self {
        Positions {
            body,
            line: body_line,
            pos: 0,
            line_start: 0,
            chars: 0,
        }
    }

    fn advance(&mut self, upto: usize) {
        let mut upto = upto.min(self.body.len());
        while !self.body.is_char_boundary(upto) {
            upto -= 1;
        }
        if upto < self.pos {
            // Not in order: count again from the start.
            let line = self.line - self.body[..self.pos].matches('\n').count();
            *self = Positions::new(self.body, line);
        }
        let seg = &self.body[self.pos..upto];
        match seg.rfind('\n') {
            Some(k) => {
                self.line += seg.bytes().filter(|b| *b == b'\n').count();
                self.line_start = self.pos + k + 1;
                self.chars = self.body[self.line_start..upto].chars().count();
            }
            None => self.chars += seg.chars().count(),
        }
        self.pos = upto;
    }

    /// The line, and the column in characters (1-based).
    fn line_and_column(&mut self, upto: usize) -> (usize, usize) {
        self.advance(upto);
        (self.line, self.chars + 1)
    }
}

fn html_diagnostic(file: &str, line: usize, f: &raw_html::Finding) -> Diagnostic {
    use raw_html::Problem;
    let tag = &f.tag;
    let name = &f.name;
    match f.problem {
        Problem::NotAnElement => Diagnostic::warning(
            Code::UnknownHtmlTag,
            file,
            line,
            format!("`{tag}` is not an HTML element; the page shows it as text"),
        )
        .with_help(format!(
            "a placeholder? write it in backticks (`` `{tag}` ``) or as `\\{tag}` to show it without this warning"
        )),
        Problem::NotAllowed => Diagnostic::warning(
            Code::UnknownHtmlTag,
            file,
            line,
            format!("`<{name}>` is not an element notes may use; the page shows `{tag}` as text"),
        )
        .with_help(match name.as_str() {
            "script" | "style" => "it is never run or applied: remove it, or set `unsafe_html = true` if every author is trusted",
            "plaintext" | "html" | "head" | "body" | "base" | "frameset" | "frame" => {
                "no note may use it, even with `unsafe_html`: remove it, or write it in backticks to show it as code"
            }
            _ => "remove it, or write it in backticks to show it as code; with `unsafe_html = true` (every author trusted) it passes when closed in its block",
        }),
        Problem::RawTextUnclosed => Diagnostic::warning(
            Code::UnknownHtmlTag,
            file,
            line,
            format!(
                "`<{name}>` is not closed in the same HTML block (everything after it would be its text); the page shows `{tag}` as text"
            ),
        )
        .with_help(format!("add `</{name}>` in the same block, or write the tag in backticks")),
        Problem::Unclosed => Diagnostic::warning(
            Code::UnclosedHtmlTag,
            file,
            line,
            format!(
                "`{tag}` is never closed in its Markdown block (the paragraph, or the quote, list item or note of its HTML block); the page shows it as text"
            ),
        )
        .with_help(format!("add `</{name}>` in the same block")),
        Problem::Unopened => Diagnostic::warning(
            Code::UnclosedHtmlTag,
            file,
            line,
            format!(
                "`{tag}` closes no `<{name}>` opened in its Markdown block; the page shows it as text"
            ),
        )
        .with_help("an element must open and close in the same paragraph, or in HTML blocks of the same quote, list item or note"),
        Problem::NeverEnds => Diagnostic::warning(
            Code::UnclosedHtmlTag,
            file,
            line,
            format!(
                "`{tag}` starts raw HTML that is never closed, so the rest of the note (or of its quote or list item) would be shown as source; the page shows it as text and reads on as Markdown"
            ),
        )
        .with_help(match name.as_str() {
            "!--" => "close the comment with `-->`, or use an Obsidian comment `%% ... %%`".to_string(),
            "?" => "close it with `?>`".to_string(),
            "!" => "close it with `>`".to_string(),
            "![CDATA[" => "close it with `]]>`".to_string(),
            n => format!("add `</{n}>`, or write the tag in backticks"),
        }),
    }
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

/// Byte offsets of a text as 0-based lines and 0-based columns in
/// characters (what an editor shows, not bytes). Counting goes on from
/// the offset asked before when it is on the same line, so offsets asked
/// in increasing order cost one pass over the text, however long its lines.
struct CharColumns<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    /// The last offset asked: (offset, line, column).
    last: (usize, usize, usize),
}

impl<'t> CharColumns<'t> {
    fn new(text: &'t str, lines: &'t LineIndex) -> Self {
        CharColumns {
            text,
            lines,
            last: (0, 0, 0),
        }
    }

    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let (line, byte_col) = self.lines.locate(offset);
        let line_start = offset - byte_col;
        let (last, last_line, last_col) = self.last;
        let (from, col) = if last_line == line && last >= line_start && last <= offset {
            (last, last_col)
        } else {
            (line_start, 0)
        };
        // Offsets here are at ASCII bytes or the end; the byte count is
        // a fallback that never panics.
        let col = col
            + self
                .text
                .get(from..offset)
                .map_or(offset - from, |s| s.chars().count());
        self.last = (offset, line, col);
        (line, col)
    }
}

#[cfg(test)]
mod tests;

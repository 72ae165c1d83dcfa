//! Raw HTML in a note body, before any HTML parser sees it.
//!
//! pulldown-cmark hands raw HTML over as it is written: an HTML block as
//! its lines, inline HTML one tag at a time. An HTML parser (ammonia's, or
//! the browser's when `unsafe_html = true`) would read `<first name>` as an
//! element that hides its text, and `<title>` (or `<textarea>`, `<xmp>`,
//! ...) as the start of raw text that swallows the rest of the page. So
//! every chunk is cut into tags and text here, and each tag is decided:
//!
//! - a tag of an element the sanitiser keeps (or, with `unsafe_html`, any
//!   element of the HTML standard but those that take over the page) stays
//!   HTML, provided it is closed in the Markdown block it opens in: inline
//!   HTML in its paragraph (or cell, heading, list item text), an HTML
//!   block's element in the same container (the note, a quote, a list
//!   item); otherwise it is shown as text;
//! - every other tag is shown as text, escaped (`&lt;first name&gt;`);
//! - raw-text elements (`<title>`, `<textarea>`, `<style>`, `<script>`,
//!   ...) are text, except with `unsafe_html` when their end tag is in the
//!   same chunk (then nothing in between is read as HTML); `<plaintext>`,
//!   which has no end, is always text.
//!
//! Text between tags keeps its meaning (entities) but every `<` in it is
//! escaped, so nothing there starts a tag either. An HTML block that
//! CommonMark would let run to the end of its container is cut short
//! first ([`source`]). Validation (for the warnings, through
//! `wikilinks::html_diagnostics`) and the renderer both run [`rewrite`]
//! over the same events, so the warnings of `check` are about exactly the
//! tags a page shows as text. No recursion, and every step is linear in
//! the body (or bounded), whatever the body holds.
//!
//! A note whose HTML nests too deeply to sanitise in reasonable time
//! (`html-too-deep`, found by the loader: see `content::limits`) has every
//! tag shown as text instead ([`RawHtml::AsText`]), by the same rewrite.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

mod elements;
mod source_text;
mod tokenize;
mod walk;

pub(crate) use elements::KNOWN_ELEMENTS;
use elements::{closes_implicitly, OPTIONAL_END, VOID};
pub use elements::{ALLOWED_TAGS, RAW_TEXT};
pub use source_text::source;
pub use tokenize::{tokenize, Token, TokenKind};
use walk::{decide, Decision};

/// What becomes of the raw HTML of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Decided tag by tag against the elements the sanitiser keeps; the
    /// page is then cleaned by the sanitiser (the default).
    Sanitise,
    /// Decided tag by tag against every element of the HTML standard but
    /// those that take over the page, and passed through as written
    /// (`unsafe_html = true`: every author trusted).
    Keep,
    /// Every tag shown as text: the note's HTML nests too deeply to
    /// sanitise in reasonable time (`html-too-deep`, found by the loader,
    /// or by the renderer in what it wrote).
    AsText,
}

impl RawHtml {
    /// The mode of a note's page: `raw_html_as_text` (the loader's
    /// `html-too-deep`) wins over the site's `unsafe_html`.
    pub fn for_note(raw_html_as_text: bool, unsafe_html: bool) -> RawHtml {
        if raw_html_as_text {
            RawHtml::AsText
        } else if unsafe_html {
            RawHtml::Keep
        } else {
            RawHtml::Sanitise
        }
    }
}

/// Why a tag is shown as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not an element at all (`<first name>`, `<Company>`).
    NotAnElement,
    /// An element notes may not hold (`<iframe>`, `<script>`, `<title>`
    /// without `unsafe_html`; `<plaintext>`, `<base>` ever).
    NotAllowed,
    /// A raw-text element whose end tag is not in the same chunk.
    RawTextUnclosed,
    /// A start tag never closed in its Markdown block.
    Unclosed,
    /// An end tag that closes nothing opened in its Markdown block.
    Unopened,
    /// An HTML block opener (`<script>`, `<pre>`, `<!--`, ...) whose end
    /// never comes: the rest of its quote, list item or note would be raw.
    NeverEnds,
}

/// A tag shown as text, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Offset of the tag's `<` in the text parsed.
    pub at: usize,
    /// The tag as written (at most 60 bytes of it, one line).
    pub tag: String,
    pub name: String,
    pub problem: Problem,
}

/// A chunk of raw HTML: an HTML block's lines, or one inline tag.
struct Chunk {
    /// Event indices it was made from (an HTML block's `Html` events, or
    /// the one `InlineHtml`).
    events: Range<usize>,
    inline: bool,
    text: String,
    /// `(offset in text, offset in the parsed source)` of each piece.
    pieces: Vec<(usize, usize)>,
    tokens: Vec<Token>,
    decisions: Vec<Decision>,
}

impl Chunk {
    fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|(o, _)| *o <= at);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some((o, s)) => s + (at - o),
            None => at,
        }
    }
}

/// An element left open, waiting for its end tag.
struct Open {
    name: String,
    chunk: usize,
    token: usize,
    scope: usize,
    /// `svg` or `math` (with `unsafe_html`): the tags inside it, which are
    /// taken as they are and shown as text with it if it is never closed.
    foreign: Option<Vec<(usize, usize)>>,
    /// The index in the stack of the innermost `svg` or `math` at or below
    /// this element.
    inner_foreign: Option<usize>,
}

/// Whether a tag starts or ends a Markdown block (a scope for raw HTML)
/// rather than inline formatting.
pub(crate) fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::HtmlBlock
    )
}

pub(crate) fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::HtmlBlock
    )
}

/// An event and its range in the text parsed.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// What [`rewrite`] makes of a body's events.
pub struct Rewritten<'a> {
    pub events: Applied<'a>,
    /// The tags shown as text (only when asked for), at offsets of the
    /// text parsed.
    pub findings: Vec<Finding>,
    /// Whether any raw HTML is left as HTML (comments included): only then
    /// does the page need the sanitiser.
    pub raw_html: bool,
    /// Whether the events hold any `Html` or `InlineHtml` (raw HTML left as
    /// HTML, or an HTML block shown as text, escaped).
    pub html_events: bool,
}

/// The events with their raw HTML decided (see the module comment). The
/// findings are only made when asked for, and never with
/// [`RawHtml::AsText`] (the loader's `html-too-deep` says it all).
pub fn rewrite(events: Vec<Spanned<'_>>, mode: RawHtml, findings: bool) -> Rewritten<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
    {
        return Rewritten {
            events: Applied::new(events, Vec::new()),
            findings: Vec::new(),
            raw_html: false,
            html_events: false,
        };
    }
    let mut chunks = chunks_of(&events);
    let mut found = Vec::new();
    match mode {
        RawHtml::AsText => {
            for c in &mut chunks {
                c.decisions.fill(Decision::Text);
            }
        }
        RawHtml::Sanitise | RawHtml::Keep => decide(
            &events,
            &mut chunks,
            mode == RawHtml::Keep,
            findings.then_some(&mut found),
        ),
    }
    let kept = chunks.iter().any(|c| {
        c.tokens
            .iter()
            .zip(&c.decisions)
            .any(|(t, d)| t.kind != TokenKind::Text && *d != Decision::Text)
    });
    // An HTML block stays an `Html` event, shown as text or not; one inline
    // tag is `InlineHtml` only when kept.
    let html_events = chunks.iter().any(|c| {
        !c.inline
            || c.tokens
                .first()
                .zip(c.decisions.first())
                .is_some_and(|(t, d)| t.kind != TokenKind::Text && *d != Decision::Text)
    });
    Rewritten {
        html_events,
        events: Applied::new(events, chunks),
        findings: found,
        raw_html: kept,
    }
}

/// The raw-HTML chunks of `events`, in order.
fn chunks_of(events: &[(Event, Range<usize>)]) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut block: Option<Chunk> = None;
    for (i, (ev, range)) in events.iter().enumerate() {
        match ev {
            Event::Html(h) => {
                let c = block.get_or_insert_with(|| Chunk {
                    events: i..i,
                    inline: false,
                    text: String::new(),
                    pieces: Vec::new(),
                    tokens: Vec::new(),
                    decisions: Vec::new(),
                });
                c.pieces.push((c.text.len(), range.start));
                c.text.push_str(h);
                c.events.end = i + 1;
            }
            Event::InlineHtml(h) => {
                chunks.extend(block.take());
                chunks.push(Chunk {
                    events: i..i + 1,
                    inline: true,
                    text: h.to_string(),
                    pieces: vec![(0, range.start)],
                    tokens: Vec::new(),
                    decisions: Vec::new(),
                });
            }
            _ => chunks.extend(block.take()),
        }
    }
    chunks.extend(block.take());
    for c in &mut chunks {
        c.tokens = tokenize(&c.text);
        if c.inline && !(c.tokens.len() == 1 && c.tokens[0].kind != TokenKind::Text) {
            // Inline HTML is one tag; anything else is text.
            c.tokens = vec![Token {
                kind: TokenKind::Text,
                range: 0..c.text.len(),
            }];
        }
        c.decisions = vec![Decision::Html; c.tokens.len()];
    }
    chunks
}

/// The events with each chunk replaced by what it was decided to be, as
/// they are read: the rewritten body is never held beside the original.
pub struct Applied<'a> {
    events: std::iter::Enumerate<std::vec::IntoIter<Spanned<'a>>>,
    chunks: std::iter::Peekable<std::vec::IntoIter<Chunk>>,
    skip_until: usize,
}

impl<'a> Applied<'a> {
    fn new(events: Vec<Spanned<'a>>, chunks: Vec<Chunk>) -> Self {
        Applied {
            events: events.into_iter().enumerate(),
            chunks: chunks.into_iter().peekable(),
            skip_until: 0,
        }
    }
}

impl<'a> Iterator for Applied<'a> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        loop {
            let (i, (ev, range)) = self.events.next()?;
            if i < self.skip_until {
                continue;
            }
            let Some(c) = self.chunks.next_if(|c| c.events.start == i) else {
                return Some((ev, range));
            };
            self.skip_until = c.events.end;
            return Some(apply(ev, range, &c));
        }
    }
}

/// What chunk `c`, which starts with event `ev` at `range`, was decided
/// to be: one event.
fn apply<'a>(ev: Event<'a>, range: Range<usize>, c: &Chunk) -> Spanned<'a> {
    let range = range.start
        ..c.pieces
            .last()
            .map_or(range.end, |(o, s)| s + (c.text.len() - o));
    if c.inline {
        let src = match ev {
            Event::InlineHtml(h) => h,
            _ => CowStr::from(c.text.clone()),
        };
        let ev = match (c.decisions.first(), c.tokens.first().map(|t| &t.kind)) {
            (Some(Decision::SelfClose), Some(TokenKind::Start { name, .. })) => {
                Event::InlineHtml(CowStr::from(self_closed(&src, name)))
            }
            (Some(Decision::Html), Some(k)) if *k != TokenKind::Text => Event::InlineHtml(src),
            _ => Event::Text(src),
        };
        return (ev, range);
    }
    let mut html = String::with_capacity(c.text.len() + 16);
    for (tok, d) in c.tokens.iter().zip(&c.decisions) {
        let src = &c.text[tok.range.clone()];
        match (&tok.kind, d) {
            (TokenKind::Text, _) => html.push_str(&src.replace('<', "&lt;")),
            (_, Decision::Text) => escape_into(&mut html, src),
            (TokenKind::Start { name, .. }, Decision::SelfClose) => {
                html.push_str(&self_closed(src, name))
            }
            _ => html.push_str(src),
        }
    }
    (Event::Html(CowStr::from(html)), range)
}

/// Appends `s` escaped as HTML text.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// `<name attrs/>` written `<name attrs></name>`.
fn self_closed(src: &str, name: &str) -> String {
    let open = src.strip_suffix("/>").unwrap_or(src).trim_end();
    format!("{open}></{name}>")
}

#[cfg(test)]
mod tests;

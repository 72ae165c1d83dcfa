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

/// The elements the sanitiser keeps (ammonia's defaults, plus `input` for
/// task lists and `section` for footnotes). `render::markdown` builds the
/// sanitiser from this list, so both always agree.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements whose content an HTML parser reads as text up to their end
/// tag (or, for `plaintext`, to the end of the page).
pub const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements of the HTML standard (and the obsolete ones browsers still
/// parse) that `unsafe_html = true` lets through. Left out on purpose, so
/// they are text even then: `html`, `head`, `body`, `base` (which would
/// move every relative link of the page), `frameset`, `frame` and
/// `plaintext`.
pub(crate) const KNOWN_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// Elements with no content and no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the parser closes them when a
/// sibling starts or their parent ends.
const OPTIONAL_END: &[&str] = &[
    "caption", "colgroup", "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
    "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Whether the start tag `new` closes an open `top` whose end tag was left
/// out (`<li>a<li>b`, `<td>1<td>2`).
fn closes_implicitly(new: &str, top: &str) -> bool {
    match new {
        "li" => top == "li",
        "dt" | "dd" => matches!(top, "dt" | "dd"),
        "p" => top == "p",
        "td" | "th" => matches!(top, "td" | "th"),
        "tr" => matches!(top, "td" | "th" | "tr"),
        "thead" | "tbody" | "tfoot" => {
            matches!(top, "td" | "th" | "tr" | "thead" | "tbody" | "tfoot")
        }
        "option" => top == "option",
        "optgroup" => matches!(top, "option" | "optgroup"),
        "rb" | "rt" | "rp" => matches!(top, "rb" | "rt" | "rp"),
        "rtc" => matches!(top, "rb" | "rt" | "rp" | "rtc"),
        _ => false,
    }
}

/// One piece of a raw-HTML chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    Text,
    /// `<name ...>` or `<name .../>`; the name in lower case.
    Start {
        name: String,
        self_closing: bool,
    },
    End {
        name: String,
    },
    /// `<!-- ... -->`
    Comment,
    /// A declaration, processing instruction or CDATA section.
    Markup,
    /// A raw-text element whose end tag is in the same chunk: start tag,
    /// content and end tag as one piece.
    RawText {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: Range<usize>,
}

/// `s` cut into text, tags, comments and other markup, by CommonMark's
/// grammar of raw HTML (stricter than an HTML parser's: whatever does not
/// parse is text). Never fails; the tokens cover `s` in order.
pub fn tokenize(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let lt = i + off;
        match markup_at(b, lt) {
            Some((kind, end)) => {
                if text_start < lt {
                    out.push(Token {
                        kind: TokenKind::Text,
                        range: text_start..lt,
                    });
                }
                let (kind, end) = match kind {
                    TokenKind::Start { name, .. }
                        if RAW_TEXT.contains(&name.as_str()) && name != "plaintext" =>
                    {
                        match end_of_raw_text(b, end, &name) {
                            Some(e) => (TokenKind::RawText { name }, e),
                            None => (
                                TokenKind::Start {
                                    name,
                                    self_closing: false,
                                },
                                end,
                            ),
                        }
                    }
                    other => (other, end),
                };
                out.push(Token {
                    kind,
                    range: lt..end,
                });
                i = end;
                text_start = end;
            }
            None => i = lt + 1,
        }
    }
    if text_start < b.len() {
        out.push(Token {
            kind: TokenKind::Text,
            range: text_start..b.len(),
        });
    }
    out
}

/// The position after the first `needle` at or after `from`.
fn find_after(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p + needle.len())
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

/// A tag name at `i`: an ASCII letter, then letters, digits and `-`.
fn tag_name(b: &[u8], i: usize) -> Option<(String, usize)> {
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let mut j = i + 1;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
    {
        j += 1;
    }
    let name = std::str::from_utf8(&b[i..j]).ok()?.to_ascii_lowercase();
    Some((name, j))
}

/// The markup that starts at `b[at] == b'<'`, and where it ends.
fn markup_at(b: &[u8], at: usize) -> Option<(TokenKind, usize)> {
    let rest = &b[at..];
    if rest.starts_with(b"<!--") {
        // `<!-->` and `<!--->` are (empty) comments to an HTML parser.
        if rest[4..].starts_with(b">") {
            return Some((TokenKind::Comment, at + 5));
        }
        if rest[4..].starts_with(b"->") {
            return Some((TokenKind::Comment, at + 6));
        }
        return find_after(b, at + 4, b"-->").map(|e| (TokenKind::Comment, e));
    }
    if rest.starts_with(b"<![CDATA[") {
        return find_after(b, at + 9, b"]]>").map(|e| (TokenKind::Markup, e));
    }
    if rest.starts_with(b"<?") {
        return find_after(b, at + 2, b"?>").map(|e| (TokenKind::Markup, e));
    }
    if rest.starts_with(b"<!") {
        if !rest.get(2)?.is_ascii_alphabetic() {
            return None;
        }
        return find_after(b, at + 2, b">").map(|e| (TokenKind::Markup, e));
    }
    if rest.starts_with(b"</") {
        let (name, j) = tag_name(b, at + 2)?;
        let j = skip_ws(b, j);
        return (b.get(j) == Some(&b'>')).then_some((TokenKind::End { name }, j + 1));
    }
    let (name, mut j) = tag_name(b, at + 1)?;
    loop {
        let k = skip_ws(b, j);
        if k == j {
            break;
        }
        let Some(after_name) = attribute_name(b, k) else {
            j = k;
            break;
        };
        j = after_name;
        let v = skip_ws(b, j);
        if b.get(v) == Some(&b'=') {
            j = attribute_value(b, skip_ws(b, v + 1))?;
        }
    }
    match (b.get(j), b.get(j + 1)) {
        (Some(b'/'), Some(b'>')) => Some((
            TokenKind::Start {
                name,
                self_closing: true,
            },
            j + 2,
        )),
        (Some(b'>'), _) => Some((
            TokenKind::Start {
                name,
                self_closing: false,
            },
            j + 1,
        )),
        _ => None,
    }
}

/// The end of an attribute name at `i`: `[A-Za-z_:][A-Za-z0-9_.:-]*`.
fn attribute_name(b: &[u8], i: usize) -> Option<usize> {
    let c = *b.get(i)?;
    if !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
        return None;
    }
    let mut j = i + 1;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-'))
    {
        j += 1;
    }
    Some(j)
}

/// The end of an attribute value at `i`: quoted, or a run of characters
/// that are not whitespace, quotes, `=`, `<`, `>` or a backtick.
fn attribute_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        q @ (b'"' | b'\'') => find_after(b, i + 1, &[q]),
        _ => {
            let mut j = i;
            while b.get(j).is_some_and(|c| {
                !is_ws(*c) && !matches!(c, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
            }) {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// Where the raw text of `name` that starts at `from` ends: after its end
/// tag (`</name` then whitespace, `/` or `>`, up to the next `>`), as an
/// HTML parser reads it.
fn end_of_raw_text(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.len();
    let mut i = from;
    loop {
        let at = find_after(b, i, b"</")? - 2;
        let after = at + 2 + n;
        let matches = b
            .get(at + 2..after)
            .is_some_and(|w| w.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(after)
                .is_some_and(|c| is_ws(*c) || matches!(c, b'/' | b'>'));
        if matches {
            return find_after(b, after, b">");
        }
        i = at + 2;
    }
}

/// What one tag becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Html,
    Text,
    /// `<span/>`: an HTML parser ignores the `/` and leaves the element
    /// open, so it is written `<span></span>`.
    SelfClose,
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

/// The text a body is parsed from: the body (comments removed) with a `\`
/// before each HTML block opener that CommonMark would let run to the end
/// of its container (see [`source`]).
#[derive(Debug)]
pub struct Source<'a> {
    pub text: Cow<'a, str>,
    /// Offsets in the original text before which a `\` was added, sorted.
    escapes: Vec<usize>,
}

impl Source<'_> {
    /// The offset in the original text of offset `at` of `self.text`.
    pub fn original_offset(&self, at: usize) -> usize {
        // The k-th `\` sits at escapes[k] + k in the new text, an
        // increasing position: count those before `at`.
        let (mut lo, mut hi) = (0, self.escapes.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.escapes[mid] + mid < at {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        at - lo
    }
}

/// How many times a body is parsed again because an opener that never
/// ends was escaped (each round escapes every one found; what a later
/// round would find past this stays raw text, escaped, never HTML).
const MAX_ROUNDS: usize = 16;

/// `text` to parse. An HTML block that starts with `<pre`, `<script`,
/// `<style` or `<textarea` (CommonMark's type 1), `<!--`, `<?`, `<!X` or
/// `<![CDATA[` (types 2 to 5) ends only where its end marker is, or with
/// its container: never closed, it would make the rest of the quote, list
/// item or note raw HTML, shown as source. Such an opener gets a `\`
/// before it, so it is text and what follows is Markdown again. The loader
/// (for wikilinks and warnings) and the renderer both parse this text. The
/// findings are the openers escaped.
pub fn source(text: &str) -> (Source<'_>, Vec<Finding>) {
    let mut src = Source {
        text: Cow::Borrowed(text),
        escapes: Vec::new(),
    };
    let mut found = Vec::new();
    if !might_run_on(text) {
        return (src, found);
    }
    for _ in 0..MAX_ROUNDS {
        let events: Vec<_> = Parser::new_ext(&src.text, super::markdown_options())
            .into_offset_iter()
            .collect();
        let new: Vec<(usize, Finding)> = chunks_of(&events)
            .iter()
            .filter(|c| !c.inline)
            .filter_map(run_on)
            .collect();
        if new.is_empty() {
            break;
        }
        let before = src.escapes.len();
        for (at, mut f) in new {
            let orig = src.original_offset(at);
            if text.is_char_boundary(orig) {
                f.at = orig;
                found.push(f);
                src.escapes.push(orig);
            }
        }
        src.escapes.sort_unstable();
        src.escapes.dedup();
        found.sort_by_key(|f| f.at);
        found.dedup_by_key(|f| f.at);
        if src.escapes.len() == before {
            break;
        }
        let mut t = String::with_capacity(text.len() + src.escapes.len());
        let mut from = 0;
        for &e in &src.escapes {
            t.push_str(text.get(from..e).unwrap_or_default());
            t.push('\\');
            from = e;
        }
        t.push_str(text.get(from..).unwrap_or_default());
        src.text = Cow::Owned(t);
    }
    (src, found)
}

/// A quick test that `text` may hold an opener of [`source`].
fn might_run_on(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2).any(|w| match w {
        [b'<', c] => matches!(c, b'!' | b'?' | b'p' | b'P' | b's' | b'S' | b't' | b'T'),
        _ => false,
    })
}

/// Where an HTML block starts with an opener whose end marker is not in
/// the block, and the finding for it.
fn run_on(c: &Chunk) -> Option<(usize, Finding)> {
    let lead = c.text.len() - c.text.trim_start().len();
    let t = &c.text[lead..];
    let lower = |n: usize| t.get(..n.min(t.len())).unwrap_or("").to_ascii_lowercase();
    let first_line = t.lines().next().unwrap_or("");
    let (name, ends) = if t.starts_with("<!--") {
        // `<!-->` ends itself: the `-->` may overlap the opener.
        ("!--", t.get(2..).is_some_and(|r| r.contains("-->")))
    } else if t.starts_with("<![CDATA[") {
        ("![CDATA[", t.contains("]]>"))
    } else if let Some(rest) = t.strip_prefix("<?") {
        ("?", rest.contains("?>"))
    } else if t.starts_with("<!") && t.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) {
        ("!", t.contains('>'))
    } else {
        let name = ["pre", "script", "style", "textarea"]
            .into_iter()
            .find(|n| {
                lower(n.len() + 1) == format!("<{n}")
                    && t.as_bytes()
                        .get(n.len() + 1)
                        .is_none_or(|c| matches!(c, b' ' | b'\t' | b'>' | b'\n' | b'\r'))
            })?;
        let rest = c.text.to_ascii_lowercase();
        let ends = ["</pre>", "</script>", "</style>", "</textarea>"]
            .iter()
            .any(|e| rest.contains(e));
        (name, ends)
    };
    if ends {
        return None;
    }
    let at = c.source_offset(lead);
    let mut tag: String = first_line.chars().take(40).collect();
    if first_line.chars().count() > 40 {
        tag.push('…');
    }
    Some((
        at,
        Finding {
            at,
            tag,
            name: name.to_string(),
            problem: Problem::NeverEnds,
        },
    ))
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

/// The state of [`decide`]'s walk.
struct Walk<'f> {
    unsafe_html: bool,
    open: Vec<Open>,
    /// How many elements of each name are open in each scope (so an end
    /// tag that closes nothing is found at once, however deep the stack).
    counts: HashMap<(usize, String), usize>,
    /// The current scope: each Markdown block opened adds one, and so does
    /// a run of inline content (inline HTML closes in its own run).
    scope: usize,
    findings: Option<&'f mut Vec<Finding>>,
    /// Names of elements not allowed whose start tag was reported: their
    /// end tags are then not reported again.
    reported: HashSet<String>,
}

impl Walk<'_> {
    fn allowed(&self, name: &str) -> bool {
        if self.unsafe_html {
            KNOWN_ELEMENTS.contains(&name)
        } else {
            ALLOWED_TAGS.contains(&name)
        }
    }

    fn report(&mut self, chunks: &[Chunk], (c, t): (usize, usize), name: &str, problem: Problem) {
        let Some(found) = self.findings.as_deref_mut() else {
            return;
        };
        let chunk = &chunks[c];
        let tok = &chunk.tokens[t];
        let mut tag: String = chunk.text[tok.range.clone()]
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        if tag.len() > 60 {
            let mut cut = 57;
            while !tag.is_char_boundary(cut) {
                cut -= 1;
            }
            tag.truncate(cut);
            tag.push('…');
        }
        found.push(Finding {
            at: chunk.source_offset(tok.range.start),
            tag,
            name: name.to_string(),
            problem,
        });
    }

    fn set(chunks: &mut [Chunk], (c, t): (usize, usize), d: Decision) {
        chunks[c].decisions[t] = d;
    }

    fn push(&mut self, name: String, (chunk, token): (usize, usize), foreign: bool) {
        *self.counts.entry((self.scope, name.clone())).or_insert(0) += 1;
        let index = self.open.len();
        let inner_foreign = if foreign {
            Some(index)
        } else {
            self.open.last().and_then(|o| o.inner_foreign)
        };
        self.open.push(Open {
            name,
            chunk,
            token,
            scope: self.scope,
            foreign: foreign.then(Vec::new),
            inner_foreign,
        });
    }

    fn pop(&mut self) -> Option<Open> {
        let o = self.open.pop()?;
        if let Some(n) = self.counts.get_mut(&(o.scope, o.name.clone())) {
            *n = n.saturating_sub(1);
        }
        Some(o)
    }

    /// Ends the current scope: what is still open in it is either closed
    /// by the parser (optional end tags) or shown as text.
    fn close_scope(&mut self, chunks: &mut [Chunk]) {
        while self.open.last().is_some_and(|o| o.scope >= self.scope) {
            if let Some(o) = self.pop() {
                self.unclosed(chunks, o);
            }
        }
        self.scope = self.scope.saturating_sub(1);
    }

    fn unclosed(&mut self, chunks: &mut [Chunk], o: Open) {
        if o.foreign.is_none() && OPTIONAL_END.contains(&o.name.as_str()) {
            return;
        }
        Self::set(chunks, (o.chunk, o.token), Decision::Text);
        for inner in o.foreign.into_iter().flatten() {
            Self::set(chunks, inner, Decision::Text);
        }
        self.report(chunks, (o.chunk, o.token), &o.name, Problem::Unclosed);
    }

    /// The index in `open` of the innermost `svg` or `math` open in this
    /// scope.
    fn foreign_root(&self) -> Option<usize> {
        let top = self.open.last().filter(|o| o.scope == self.scope)?;
        let i = top.inner_foreign?;
        self.open
            .get(i)
            .filter(|o| o.scope == self.scope)
            .map(|_| i)
    }

    fn add_member(&mut self, root: usize, at: (usize, usize)) {
        if let Some(members) = self.open.get_mut(root).and_then(|o| o.foreign.as_mut()) {
            members.push(at);
        }
    }

    fn token(&mut self, chunks: &mut [Chunk], at: (usize, usize)) {
        let kind = chunks[at.0].tokens[at.1].kind.clone();
        if let Some(root) = self.foreign_root() {
            // Inside SVG or MathML (unsafe_html only) every name is an
            // element and `/>` closes it.
            match &kind {
                TokenKind::Start {
                    self_closing: true, ..
                }
                | TokenKind::Comment
                | TokenKind::Markup
                | TokenKind::Text => {
                    self.add_member(root, at);
                    return;
                }
                TokenKind::Start { name, .. } if !matches!(name.as_str(), "svg" | "math") => {
                    self.add_member(root, at);
                    self.push(name.clone(), at, false);
                    return;
                }
                _ => {}
            }
        }
        match kind {
            TokenKind::Text | TokenKind::Comment | TokenKind::Markup => {}
            TokenKind::RawText { name } => {
                if !self.unsafe_html || !self.allowed(&name) {
                    Self::set(chunks, at, Decision::Text);
                    self.report(chunks, at, &name, Problem::NotAllowed);
                    self.reported.insert(name);
                }
            }
            TokenKind::Start { name, self_closing } => {
                self.start(chunks, at, name, self_closing);
            }
            TokenKind::End { name } => self.end(chunks, at, name),
        }
    }

    fn start(
        &mut self,
        chunks: &mut [Chunk],
        at: (usize, usize),
        name: String,
        self_closing: bool,
    ) {
        let raw_text = RAW_TEXT.contains(&name.as_str());
        if !self.allowed(&name) || (raw_text && (!self.unsafe_html || !chunks[at.0].inline)) {
            Self::set(chunks, at, Decision::Text);
            let problem = if raw_text && self.unsafe_html && name != "plaintext" {
                Problem::RawTextUnclosed
            } else if KNOWN_ELEMENTS.contains(&name.as_str())
                || raw_text
                || matches!(
                    name.as_str(),
                    "html" | "head" | "body" | "base" | "frameset" | "frame"
                )
            {
                Problem::NotAllowed
            } else {
                Problem::NotAnElement
            };
            self.report(chunks, at, &name, problem);
            self.reported.insert(name);
            return;
        }
        if VOID.contains(&name.as_str()) {
            return;
        }
        if self_closing && !raw_text {
            Self::set(chunks, at, Decision::SelfClose);
            return;
        }
        while self
            .open
            .last()
            .is_some_and(|o| o.scope == self.scope && closes_implicitly(&name, &o.name))
        {
            self.pop();
        }
        let foreign = self.unsafe_html && matches!(name.as_str(), "svg" | "math");
        self.push(name, at, foreign);
    }

    fn end(&mut self, chunks: &mut [Chunk], at: (usize, usize), name: String) {
        let scope = self.scope;
        let open_here = self
            .counts
            .get(&(scope, name.clone()))
            .is_some_and(|n| *n > 0);
        // The stack holds this scope's elements on top (scopes only nest).
        let found = open_here
            .then(|| {
                self.open
                    .iter()
                    .rposition(|o| o.scope != scope || o.name == name)
            })
            .flatten()
            .filter(|&i| self.open[i].scope == scope);
        let Some(i) = found else {
            Self::set(chunks, at, Decision::Text);
            if self.allowed(&name) {
                self.report(chunks, at, &name, Problem::Unopened);
            } else if !self.reported.contains(&name) {
                let problem = if KNOWN_ELEMENTS.contains(&name.as_str()) {
                    Problem::NotAllowed
                } else {
                    Problem::NotAnElement
                };
                self.report(chunks, at, &name, problem);
            }
            return;
        };
        // In SVG or MathML an end tag closes what is open inside it.
        let in_foreign = self.foreign_root().is_some_and(|r| r <= i);
        while self.open.len() > i + 1 {
            if let Some(o) = self.pop() {
                if !in_foreign {
                    self.unclosed(chunks, o);
                }
            }
        }
        let Some(mut m) = self.pop() else {
            return;
        };
        if let Some(members) = m.foreign.as_mut() {
            members.push(at);
            // Nested in another foreign root: part of it too.
            let all = std::mem::take(members);
            if let Some(outer) = self.foreign_root() {
                self.add_member(outer, (m.chunk, m.token));
                for a in all {
                    self.add_member(outer, a);
                }
            }
        } else if let Some(root) = self.foreign_root() {
            self.add_member(root, at);
        }
    }
}

/// Decides every token of every chunk, walking the events for the Markdown
/// blocks that scope raw HTML.
fn decide(
    events: &[(Event, Range<usize>)],
    chunks: &mut [Chunk],
    unsafe_html: bool,
    findings: Option<&mut Vec<Finding>>,
) {
    let mut w = Walk {
        unsafe_html,
        open: Vec::new(),
        scope: 0,
        findings,
        counts: HashMap::new(),
        reported: HashSet::new(),
    };
    let mut next_chunk = 0;
    let mut in_run = false;
    for (i, (ev, _)) in events.iter().enumerate() {
        let block_boundary = match ev {
            Event::Start(t) => is_block(t) || matches!(t, Tag::HtmlBlock),
            Event::End(t) => is_block_end(t) || matches!(t, TagEnd::HtmlBlock),
            Event::Rule => true,
            _ => false,
        };
        if block_boundary && in_run {
            w.close_scope(chunks);
            in_run = false;
        }
        match ev {
            Event::Start(t) if is_block(t) => w.scope += 1,
            Event::End(t) if is_block_end(t) => w.close_scope(chunks),
            _ => {}
        }
        while chunks.get(next_chunk).is_some_and(|c| c.events.start == i) {
            let (inline, n) = (chunks[next_chunk].inline, chunks[next_chunk].tokens.len());
            if inline && !in_run {
                in_run = true;
                w.scope += 1;
            }
            for t in 0..n {
                w.token(chunks, (next_chunk, t));
            }
            next_chunk += 1;
        }
    }
    if in_run {
        w.close_scope(chunks);
    }
    w.close_scope(chunks);
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

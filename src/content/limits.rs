//! Caps that keep one small hostile (or broken) note from costing minutes
//! or gigabytes: the size of a note and of its frontmatter, and how deeply
//! its YAML and HTML nest. Each is checked with a cheap linear scan
//! *before* the parser that would choke on it runs; a note over a cap is
//! reported (file and line) and left out, or its raw HTML is shown as text,
//! and the rest of the site builds as usual. docs/content.md lists them.

use super::wikilinks::raw_html::KNOWN_ELEMENTS;
use std::io::Read;
use std::path::Path;

/// A note file larger than this is left out unread (`note-too-large`).
/// Dense Markdown costs up to about 150 bytes of memory per byte of body
/// for each Markdown parse (pulldown-cmark's tree), and the page and the
/// search index may parse one note at the same time: 1 MB keeps the worst
/// build measured (a body of nothing but `[[w]]` links) under 400 MB. A
/// one-hour call transcript is about 60 KB.
pub const MAX_NOTE_BYTES: u64 = 1024 * 1024;
/// A frontmatter block larger than this is left out before the YAML parser
/// sees it (`frontmatter-too-large`).
pub const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;
/// Lists and maps nested deeper than this in the frontmatter are refused
/// before parsing (`frontmatter-too-deep`). Real notes nest about five.
pub const MAX_YAML_DEPTH: usize = 64;
/// A body whose HTML nests deeper than this has its raw HTML shown as text
/// instead of sanitised (`html-too-deep`).
pub const MAX_HTML_DEPTH: usize = 100;

/// A note file's bytes, or its size when it is over the cap.
pub enum Capped {
    Whole(Vec<u8>),
    TooLarge(u64),
}

/// Reads `path` if it is at most `cap` bytes: the size is checked before
/// reading, and at most `cap + 1` bytes are ever read (the file may grow
/// meanwhile), so a huge file costs no memory.
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<Capped> {
    // Not a link swapped in after the note was listed, and not a FIFO
    // (which would block the reader forever).
    let file = crate::site_files::open_regular(path)?;
    let len = file.metadata()?.len();
    if len > cap {
        return Ok(Capped::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > cap {
        return Ok(Capped::TooLarge(read.max(len)));
    }
    Ok(Capped::Whole(bytes))
}

/// A size for messages: `20.0 MB`, `456 KB`.
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Where a frontmatter block first nests deeper than `max`: its 0-based
/// line within `yaml` and 1-based column (in characters).
///
/// A cheap pass that follows the tokens of libyaml's scanner (the parser
/// behind `serde_norway`) closely enough to count the same nesting: flow
/// `[` and `{` (outside quoted strings, comments, plain text and block
/// scalars), plus one level per block collection (a deeper key or `- `
/// entry). The parser itself only enforces its recursion limit after
/// reading the whole block, and its scanner slows down quadratically with
/// flow depth: 400 KB of `[` took over a minute.
pub fn yaml_too_deep(yaml: &str, max: usize) -> Option<(usize, usize)> {
    YamlScan {
        b: yaml.as_bytes(),
        pos: 0,
        line: 0,
        col: 0,
    }
    .run(max)
}

struct YamlScan<'a> {
    b: &'a [u8],
    pos: usize,
    /// 0-based line (counting `\n` only, like the file's own lines).
    line: usize,
    /// 0-based column in characters since the last line break.
    col: usize,
}

/// A possible simple key (`key: value`) in block context.
#[derive(Clone, Copy)]
struct Key {
    line: usize,
    col: usize,
    pos: usize,
}

impl YamlScan<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.pos + k).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// Bytes of the line break at `pos + k` (libyaml also breaks lines at
    /// CR, NEL, LS and PS), or 0.
    fn brk(&self, k: usize) -> usize {
        match self.peek(k) {
            b'\n' | b'\r' => 1,
            0xC2 if self.peek(k + 1) == 0x85 => 2,
            0xE2 if self.peek(k + 1) == 0x80 && matches!(self.peek(k + 2), 0xA8 | 0xA9) => 3,
            _ => 0,
        }
    }

    fn blank(&self, k: usize) -> bool {
        matches!(self.peek(k), b' ' | b'\t')
    }

    fn blankz(&self, k: usize) -> bool {
        self.blank(k) || self.brk(k) > 0 || self.pos + k >= self.b.len()
    }

    /// Moves past one character (or line break).
    fn bump(&mut self) {
        let n = self.brk(0);
        if n > 0 {
            if self.peek(0) == b'\n' {
                self.line += 1;
            }
            self.col = 0;
            self.pos += n;
            return;
        }
        self.pos += 1;
        self.col += 1;
        while self.pos < self.b.len() && self.b[self.pos] & 0xC0 == 0x80 {
            self.pos += 1;
        }
    }

    fn skip_to_break(&mut self) {
        while !self.at_end() && self.brk(0) == 0 {
            self.bump();
        }
    }

    fn doc_marker(&self) -> bool {
        self.col == 0
            && ((self.peek(0) == b'-' && self.peek(1) == b'-' && self.peek(2) == b'-')
                || (self.peek(0) == b'.' && self.peek(1) == b'.' && self.peek(2) == b'.'))
            && self.blankz(3)
    }

    fn run(&mut self, max: usize) -> Option<(usize, usize)> {
        // The open flow collections: whether each is a sequence, and
        // whether its current entry is a `key: value` pair (`[a: b]` is a
        // list holding a one-pair map, one level more).
        let mut flows: Vec<(bool, bool)> = Vec::new();
        let mut pairs = 0usize;
        // The open block collections: column, and whether a sequence.
        let mut indents: Vec<(usize, bool)> = Vec::new();
        let mut key_allowed = true;
        let mut key: Option<Key> = None;
        // A `- ` entry: a new sequence when further right, or one written
        // without indentation under a key (`key:` then `- a` below it).
        let roll_seq = |indents: &mut Vec<(usize, bool)>, col: usize| match indents.last() {
            Some(&(c, seq)) if c > col || (c == col && seq) => {}
            _ => indents.push((col, true)),
        };
        // A key: a key at the column of such a sequence ends it.
        let roll_map = |indents: &mut Vec<(usize, bool)>, col: usize| {
            let n = indents.len();
            if n >= 2 && indents[n - 1] == (col, true) && indents[n - 2].0 == col {
                indents.pop();
            }
            if indents.last().is_none_or(|t| col > t.0) {
                indents.push((col, false));
            }
        };
        loop {
            let flow = flows.len();
            // Whitespace, comments and line breaks up to the next token.
            loop {
                match self.peek(0) {
                    b' ' | b'\t' if !self.at_end() => self.bump(),
                    b'#' => self.skip_to_break(),
                    _ if self.brk(0) > 0 => {
                        self.bump();
                        if flow == 0 {
                            key_allowed = true;
                        }
                    }
                    _ => break,
                }
            }
            if self.at_end() {
                return None;
            }
            if key.is_some_and(|k| k.line != self.line || k.pos + 1024 < self.pos) {
                key = None;
            }
            if flow == 0 {
                while indents.last().is_some_and(|t| t.0 > self.col) {
                    indents.pop();
                }
            }
            let here = Key {
                line: self.line,
                col: self.col,
                pos: self.pos,
            };
            let start = self.pos;
            let c = self.peek(0);
            if self.col == 0 && c == b'%' {
                self.skip_to_break();
                continue;
            }
            if self.doc_marker() {
                indents.clear();
                key = None;
                for _ in 0..3 {
                    self.bump();
                }
                continue;
            }
            // Where a deeper level is reported: the token, or its key.
            let mut at = here;
            match c {
                b'[' | b'{' => {
                    save_key(&mut key, flow, key_allowed, here);
                    flows.push((c == b'[', false));
                    self.bump();
                    key_allowed = true;
                }
                b']' | b'}' => {
                    if let Some((_, true)) = flows.pop() {
                        pairs -= 1;
                    }
                    self.bump();
                    key_allowed = false;
                }
                b',' => {
                    if let Some((_, pair @ true)) = flows.last_mut() {
                        *pair = false;
                        pairs -= 1;
                    }
                    self.bump();
                    key_allowed = true;
                }
                b'-' if self.blankz(1) => {
                    if flow == 0 {
                        roll_seq(&mut indents, here.col);
                        key = None;
                    }
                    self.bump();
                    key_allowed = true;
                }
                b'?' if flow > 0 || self.blankz(1) => {
                    open_pair(&mut flows, &mut pairs);
                    if flow == 0 {
                        roll_map(&mut indents, here.col);
                        key = None;
                    }
                    self.bump();
                    key_allowed = flow == 0;
                }
                b':' if flow > 0 || self.blankz(1) => {
                    open_pair(&mut flows, &mut pairs);
                    // After a simple key's `:` no key may follow on the
                    // line (`a: b: c` is an error); after `? k` one may.
                    key_allowed = flow == 0;
                    if flow == 0 {
                        if let Some(k) = key.take() {
                            at = k;
                            key_allowed = false;
                        }
                        roll_map(&mut indents, at.col);
                    }
                    self.bump();
                }
                b'*' | b'&' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while self.peek(0).is_ascii_alphanumeric()
                        || matches!(self.peek(0), b'_' | b'-')
                    {
                        self.bump();
                    }
                    key_allowed = false;
                }
                b'!' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    if self.peek(0) == b'<' {
                        while !self.at_end() && self.brk(0) == 0 && self.peek(0) != b'>' {
                            self.bump();
                        }
                        if self.peek(0) == b'>' {
                            self.bump();
                        }
                    } else {
                        while is_tag_char(self.peek(0)) {
                            self.bump();
                        }
                    }
                    key_allowed = false;
                }
                b'|' | b'>' if flow == 0 => {
                    key = None;
                    self.block_scalar(indents.last().map(|t| t.0));
                    key_allowed = true;
                }
                b'\'' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while !self.at_end() {
                        if self.peek(0) == b'\'' {
                            self.bump();
                            if self.peek(0) != b'\'' {
                                break;
                            }
                        }
                        self.bump();
                    }
                    key_allowed = false;
                }
                b'"' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while !self.at_end() && self.peek(0) != b'"' {
                        if self.peek(0) == b'\\' {
                            self.bump();
                            if self.at_end() {
                                break;
                            }
                        }
                        self.bump();
                    }
                    if !self.at_end() {
                        self.bump();
                    }
                    key_allowed = false;
                }
                _ => {
                    save_key(&mut key, flow, key_allowed, here);
                    let min_col = if flow == 0 {
                        indents.last().map_or(0, |t| t.0 + 1)
                    } else {
                        0
                    };
                    key_allowed = self.plain_scalar(flow > 0, min_col);
                }
            }
            if self.pos == start {
                // Never stall on something unforeseen.
                self.bump();
            }
            // A flow collection that turns out to be a key (`[a]: b`) sits
            // inside a mapping opened before it: count that one already.
            let pending_map = !flows.is_empty()
                && key.is_some_and(|k| indents.last().is_none_or(|t| k.col > t.0));
            if flows.len() + pairs + indents.len() + usize::from(pending_map) > max {
                return Some((at.line, at.col + 1));
            }
        }
    }

    /// A plain (unquoted) scalar, which may continue on more-indented
    /// lines. Returns whether it ended on a line break (a key may follow).
    fn plain_scalar(&mut self, in_flow: bool, min_col: usize) -> bool {
        let mut leading_break = false;
        loop {
            if self.doc_marker() || self.peek(0) == b'#' {
                break;
            }
            while !self.blankz(0) {
                let c = self.peek(0);
                // The common case: a plain ASCII character of the text.
                if c.is_ascii_alphanumeric() {
                    self.pos += 1;
                    self.col += 1;
                    continue;
                }
                if in_flow
                    && c == b':'
                    && matches!(self.peek(1), b',' | b'?' | b'[' | b']' | b'{' | b'}')
                {
                    // libyaml stops with an error here.
                    return leading_break;
                }
                if (c == b':' && self.blankz(1))
                    || (in_flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                self.bump();
            }
            if !(self.blank(0) || self.brk(0) > 0) {
                break;
            }
            while self.blank(0) || self.brk(0) > 0 {
                if self.brk(0) > 0 {
                    leading_break = true;
                }
                self.bump();
            }
            if !in_flow && self.col < min_col {
                break;
            }
        }
        leading_break
    }

    /// A `|` or `>` block scalar: its header and then every line indented
    /// at least as far as its first line (libyaml's rule).
    fn block_scalar(&mut self, parent: Option<usize>) {
        self.bump();
        let mut increment = 0;
        for _ in 0..2 {
            match self.peek(0) {
                b'+' | b'-' => self.bump(),
                d @ b'1'..=b'9' => {
                    increment = usize::from(d - b'0');
                    self.bump();
                }
                _ => {}
            }
        }
        self.skip_to_break();
        if self.at_end() {
            return;
        }
        self.bump();
        let mut indent = match (increment, parent) {
            (0, _) => 0,
            (i, Some(p)) => p + i,
            (i, None) => i,
        };
        let mut first = true;
        loop {
            let mut max_indent = 0;
            loop {
                while (indent == 0 || self.col < indent) && self.peek(0) == b' ' {
                    self.bump();
                }
                max_indent = max_indent.max(self.col);
                if self.brk(0) == 0 {
                    break;
                }
                self.bump();
            }
            if first && indent == 0 {
                indent = max_indent.max(parent.map_or(0, |p| p + 1)).max(1);
            }
            first = false;
            if self.at_end() || self.col != indent {
                return;
            }
            self.skip_to_break();
            if self.at_end() {
                return;
            }
            self.bump();
        }
    }
}

/// A `:` or `?` in a flow sequence's entry makes the entry a one-pair map.
fn open_pair(flows: &mut [(bool, bool)], pairs: &mut usize) {
    if let Some((true, pair @ false)) = flows.last_mut() {
        *pair = true;
        *pairs += 1;
    }
}

/// Remembers a token that may be the key of a block mapping.
fn save_key(key: &mut Option<Key>, flow: usize, allowed: bool, here: Key) {
    if flow == 0 && allowed {
        *key = Some(here);
    }
}

/// A character of a tag such as `!!str` or `!local` (libyaml's URI
/// characters, without the flow indicators).
fn is_tag_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_;/?:@&=+$.%!~*'()".contains(&c)
}

/// How deeply HTML nests, fed piece by piece (raw HTML arrives in several
/// Markdown events). Counts open tags minus close tags of HTML elements;
/// void elements (`<br>`) and elements the HTML parser closes by
/// themselves when a sibling starts (`<p>`, `<li>`, `<td>`, ...) are not
/// counted, so loosely written HTML does not look deep, and neither are
/// tags that name no element (`<first name>`, `<Company>`), which are
/// shown as text (see `wikilinks::raw_html`). An upper bound, in practice,
/// of the depth the sanitiser's parser builds, whose cost grows with it.
#[derive(Default)]
pub struct HtmlDepth {
    pub depth: usize,
    state: HtmlState,
    name: String,
    closing: bool,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum HtmlState {
    #[default]
    Text,
    /// After `<`.
    Open,
    /// Reading a tag name.
    Name,
    /// Inside a tag, after its name.
    Attrs,
    /// Inside a quoted attribute value.
    Quoted(u8),
    /// `<!--` ... `-->`; the count of `-` just seen.
    Comment(u8),
    /// `<!...>` or `<?...>`.
    Bang,
}

/// Elements without content: never open.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements a following sibling closes implicitly: they do not nest by
/// themselves, so counting them would only overstate loose HTML.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

impl HtmlDepth {
    /// The Markdown block that started when the depth was `depth` has
    /// ended. Raw HTML is decided within its block (see
    /// `content::wikilinks::raw_html`): what the block left open is shown
    /// as text, its end tags closed nothing outside it, and a tag it left
    /// unfinished ends with it. So the depth is what it was.
    pub fn end_block(&mut self, depth: usize) {
        self.depth = depth;
        self.state = HtmlState::Text;
    }

    /// Reads more HTML; returns the greatest depth reached while reading it.
    pub fn feed(&mut self, text: &str) -> usize {
        let mut max = self.depth;
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match self.state {
                HtmlState::Text => {
                    if c == b'<' {
                        self.state = HtmlState::Open;
                    }
                }
                HtmlState::Open => {
                    self.name.clear();
                    self.closing = false;
                    if c == b'/' {
                        self.closing = true;
                        self.state = HtmlState::Name;
                    } else if c == b'!' {
                        self.state = if b.get(i + 1..i + 3) == Some(&b"--"[..]) {
                            i += 2;
                            HtmlState::Comment(0)
                        } else {
                            HtmlState::Bang
                        };
                    } else if c == b'?' {
                        self.state = HtmlState::Bang;
                    } else if c.is_ascii_alphabetic() {
                        self.name.push(c.to_ascii_lowercase() as char);
                        self.state = HtmlState::Name;
                    } else {
                        self.state = HtmlState::Text;
                        continue;
                    }
                }
                HtmlState::Name => {
                    if (c.is_ascii_alphanumeric() || c == b'-') && self.name.len() < 32 {
                        self.name.push(c.to_ascii_lowercase() as char);
                    } else if c.is_ascii_alphanumeric() || c == b'-' {
                        // Longer than any element name: still one tag.
                    } else if self.name.is_empty() {
                        self.state = HtmlState::Text;
                        continue;
                    } else {
                        self.state = HtmlState::Attrs;
                        continue;
                    }
                }
                HtmlState::Attrs => match c {
                    b'"' | b'\'' => self.state = HtmlState::Quoted(c),
                    b'>' => {
                        self.state = HtmlState::Text;
                        let name = self.name.as_str();
                        if !VOID.contains(&name)
                            && !SELF_CLOSING_SIBLINGS.contains(&name)
                            && KNOWN_ELEMENTS.contains(&name)
                        {
                            if self.closing {
                                self.depth = self.depth.saturating_sub(1);
                            } else {
                                self.depth += 1;
                                max = max.max(self.depth);
                            }
                        }
                    }
                    _ => {}
                },
                HtmlState::Quoted(q) => {
                    if c == q {
                        self.state = HtmlState::Attrs;
                    }
                }
                HtmlState::Comment(dashes) => {
                    self.state = match c {
                        b'-' => HtmlState::Comment(dashes.saturating_add(1)),
                        b'>' if dashes >= 2 => HtmlState::Text,
                        _ => HtmlState::Comment(0),
                    };
                }
                HtmlState::Bang => {
                    if c == b'>' {
                        self.state = HtmlState::Text;
                    }
                }
            }
            i += 1;
        }
        max
    }
}

#[cfg(test)]
mod tests;

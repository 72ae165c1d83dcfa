//! Splitting a note into frontmatter and body, parsing the YAML, and
//! finding where a key sits in the file so diagnostics can point at it.

use crate::model::Span;
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A note's text split at its frontmatter fences.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when the note has none).
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
    /// Whether the note had a frontmatter block at all.
    pub has_frontmatter: bool,
}

/// Why a frontmatter block could not be split off.
#[derive(Debug, PartialEq)]
pub struct Unterminated;

/// Splits `text` (LF line endings, no BOM) into frontmatter and body. A note
/// whose first line is not `---` has no frontmatter: all of it is body.
pub fn split(text: &str) -> Result<Split<'_>, Unterminated> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
            has_frontmatter: false,
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
                has_frontmatter: true,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Unterminated)
}

/// One step of a path into the frontmatter: a mapping key or a list index.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds where keys and their values sit in a frontmatter block by scanning
/// its text: YAML parsers that keep positions per node are not on serde's
/// path. A position is a line and the columns a value (or key) spans, in
/// characters, so a diagnostic can underline exactly the bad value.
///
/// Lookups do not rescan the text: every place a key could be written,
/// where each value ends, and (once per list or flow collection) where its
/// items start are worked out once, so locating thousands of keys or list
/// items (one diagnostic each) stays linear, not quadratic.
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Whether each line is ASCII (a byte column is then its column).
    ascii: Vec<bool>,
    first_line: usize,
    /// Every `key:` of up to [`INDEXED_KEY`] bytes, by key: where it is
    /// (line index, byte column), in text order.
    keys: FxHashMap<&'a str, Vec<(usize, usize)>>,
    /// For each line, the first line after the value that starts on it.
    block_ends: Vec<usize>,
    /// The `- ` items of each region searched, found once.
    items: RefCell<FxHashMap<(usize, usize), Items>>,
    /// Each flow collection (`[...]`, `{...}`) read, by where it opens.
    flows: RefCell<FxHashMap<Pos, Rc<Flow>>>,
    /// The last byte column turned into characters: (line, byte, column),
    /// so columns asked left to right along a long line cost one pass.
    last_col: Cell<(usize, usize, usize)>,
}

/// The `- ` items of a region: (line index, indent) of each.
type Items = Rc<[(usize, usize)]>;

/// A place in the frontmatter text: (line index, byte column).
type Pos = (usize, usize);

/// A flow collection: where it ends (just past its closing bracket, or
/// the end of the text when it is never closed) and, for a `[...]`, where
/// each of its items starts.
struct Flow {
    end: Pos,
    items: Vec<Pos>,
}

/// One step of a path, found: the key (a list item's dash, or a flow
/// item) and what follows it.
#[derive(Debug, Clone, Copy)]
struct Step {
    line: usize,
    /// The key's byte range on `line`.
    key: (usize, usize),
    /// The byte column after the key's `:` (or the item's dash).
    after: usize,
    /// The value's byte range on `line`, when it starts there.
    value: Option<(usize, usize)>,
    /// Where the value opens, when it is a flow collection.
    flow: Option<Pos>,
}

/// A value read on its line: its byte range, whether it opens a flow
/// collection, and whether it is really a key (`- key: value` items).
struct Scalar {
    range: Option<(usize, usize)>,
    flow: bool,
    is_key: bool,
}

impl<'a> Locator<'a> {
    pub fn new(yaml: &'a str, first_line: usize) -> Self {
        let lines: Vec<&str> = yaml.split('\n').collect();
        let block_ends = block_ends(&lines);
        Locator {
            ascii: lines.iter().map(|l| l.is_ascii()).collect(),
            keys: key_index(&lines),
            lines,
            first_line,
            block_ends,
            items: RefCell::default(),
            flows: RefCell::default(),
            last_col: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// The position of the block's opening fence `---` (used for missing
    /// fields); line 1 with no extent when there is no fence.
    pub fn start(&self) -> Span {
        Span {
            line: self.first_line.saturating_sub(1).max(1),
            col: 1,
            end_col: if self.first_line > 1 { 4 } else { 0 },
        }
    }

    /// Where the key of `path` is written (a list item's dash): the last
    /// segment found; a missing key points at its parent (or the opening
    /// fence).
    pub fn find(&self, path: &[Seg]) -> Span {
        match self.walk(path).0 {
            Some(step) => self.span(step.line, step.key),
            None => self.start(),
        }
    }

    /// Where the value at `path` is written, from its first character to
    /// its last on the key's line (a quoted text with its quotes, a whole
    /// `[...]` or `{...}`). A value that starts on a later line (a block
    /// list or map) is shown by its key; one the scan cannot find by the
    /// value around it, or the key of the last segment found.
    pub fn find_value(&self, path: &[Seg]) -> Span {
        match self.walk(path).0 {
            Some(step) => match step.value {
                Some(range) => self.span(step.line, range),
                None => self.span(step.line, step.key),
            },
            None => self.start(),
        }
    }

    /// The span of bytes `range` of line `l`, in characters.
    fn span(&self, l: usize, range: (usize, usize)) -> Span {
        let col = self.char_col(l, range.0) + 1;
        let end_col = self.char_col(l, range.1) + 1;
        Span {
            line: self.first_line + l,
            col,
            end_col: if end_col > col { end_col } else { 0 },
        }
    }

    /// The 0-based column, in characters, of byte column `byte` of line `l`.
    fn char_col(&self, l: usize, byte: usize) -> usize {
        let Some(line) = self.lines.get(l) else {
            return byte;
        };
        let byte = byte.min(line.len());
        if self.ascii[l] {
            return byte;
        }
        let (last_l, last_b, last_c) = self.last_col.get();
        let (from, col) = if last_l == l && last_b <= byte {
            (last_b, last_c)
        } else {
            (0, 0)
        };
        // Positions here are at ASCII bytes or line ends; counting bytes
        // is a fallback that never panics.
        let col = col
            + line
                .get(from..byte)
                .map_or(byte - from, |s| s.chars().count());
        self.last_col.set((l, byte, col));
        col
    }

    /// Follows `path` as far as it is found: the last step found, and
    /// whether that was all of it.
    fn walk(&self, path: &[Seg]) -> (Option<Step>, bool) {
        let mut last: Option<Step> = None;
        // The region searched: from a position to one (exclusive).
        let mut from: Pos = (0, 0);
        let mut to: Pos = (self.lines.len(), 0);
        let mut in_flow = false;
        for seg in path {
            let step = match seg {
                Seg::Key(k) => self.find_key(k, from, to).map(|(l, c)| {
                    let key = (c, c + k.len());
                    self.step(l, key, key.1 + 1, in_flow)
                }),
                Seg::Index(i) => match last.and_then(|s| s.flow) {
                    Some(open) => self.flow_item(open, *i).map(|(l, c)| {
                        let mut step = self.step(l, (c, c + 1), c, true);
                        step.key = step.value.unwrap_or(step.key);
                        step
                    }),
                    None if !in_flow => self.find_item(*i, from, to).map(|(l, c)| {
                        let mut step = self.step(l, (c, c + 1), c + 1, false);
                        if step.value.is_none() {
                            // A map item (`- skill: a`): its keys follow.
                            step.flow = None;
                        }
                        step
                    }),
                    None => None,
                },
            };
            let Some(step) = step else {
                return (last, false);
            };
            match step.flow {
                Some(open) => {
                    from = (open.0, open.1 + 1);
                    to = self.flow(open).end;
                    in_flow = true;
                }
                None => {
                    from = (step.line, step.after);
                    to = (self.end_of(step.line), 0);
                    in_flow = false;
                }
            }
            last = Some(step);
        }
        (last, true)
    }

    /// The step of a key (or dash) at `key` on line `l`, its value read
    /// from byte `after` on.
    fn step(&self, l: usize, key: (usize, usize), after: usize, in_flow: bool) -> Step {
        let v = self.scalar(l, after, in_flow);
        let value = v.range.filter(|_| !v.is_key);
        Step {
            line: l,
            key,
            after,
            value,
            flow: value.filter(|_| v.flow).map(|(s, _)| (l, s)),
        }
    }

    /// The value that starts at or after byte `at` of line `l`, if one
    /// does before the line (or a comment) ends.
    fn scalar(&self, l: usize, at: usize, in_flow: bool) -> Scalar {
        let none = Scalar {
            range: None,
            flow: false,
            is_key: false,
        };
        let Some(line) = self.lines.get(l) else {
            return none;
        };
        let b = line.as_bytes();
        let mut s = at.min(b.len());
        while s < b.len() && matches!(b[s], b' ' | b'\t') {
            s += 1;
        }
        let text_end = line.trim_end().len().max(s);
        let Some(&first) = b.get(s) else {
            return none;
        };
        // At least the first character (an empty plain value cannot be).
        let first_len = line
            .get(s..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8);
        let range = |e: usize| Some((s, e.max(s + first_len).min(b.len())));
        match first {
            b'#' | b',' | b']' | b'}' => none,
            b'|' | b'>' if !in_flow => none,
            b'"' | b'\'' => Scalar {
                range: range(quoted_end(b, s).unwrap_or(text_end)),
                flow: false,
                is_key: false,
            },
            b'[' | b'{' => {
                let end = self.flow((l, s)).end;
                Scalar {
                    range: range(if end.0 == l { end.1 } else { text_end }),
                    flow: true,
                    is_key: false,
                }
            }
            _ => {
                let (end, is_key) = plain_end(b, s, in_flow);
                Scalar {
                    range: range(end),
                    flow: false,
                    is_key,
                }
            }
        }
    }

    /// The flow collection that opens at `open`, read once.
    fn flow(&self, open: Pos) -> Rc<Flow> {
        if let Some(f) = self.flows.borrow().get(&open) {
            return f.clone();
        }
        let f = Rc::new(self.scan_flow(open));
        self.flows.borrow_mut().insert(open, f.clone());
        f
    }

    /// The start of item `i` of the `[...]` that opens at `open`.
    fn flow_item(&self, open: Pos, i: usize) -> Option<Pos> {
        let f = self.flow(open);
        f.items.get(i).copied()
    }

    /// Reads a flow collection from its opening bracket to the matching
    /// close, across lines, stepping over quoted text and comments.
    fn scan_flow(&self, open: Pos) -> Flow {
        let is_list = self
            .lines
            .get(open.0)
            .and_then(|l| l.as_bytes().get(open.1))
            == Some(&b'[');
        let mut items = Vec::new();
        let mut depth = 0usize;
        let mut expect_item = false;
        let mut prev = b' ';
        let (mut l, mut c) = open;
        while l < self.lines.len() {
            let b = self.lines[l].as_bytes();
            while c < b.len() {
                let ch = b[c];
                if matches!(ch, b' ' | b'\t') {
                    c += 1;
                    continue;
                }
                if ch == b'#' && (c == 0 || matches!(b[c - 1], b' ' | b'\t')) {
                    break;
                }
                if is_list && depth == 1 && expect_item {
                    expect_item = false;
                    if !matches!(ch, b']' | b',') {
                        items.push((l, c));
                    }
                }
                match ch {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Flow {
                                end: (l, c + 1),
                                items,
                            };
                        }
                    }
                    b',' if depth == 1 => expect_item = true,
                    b'"' | b'\'' if matches!(prev, b'[' | b'{' | b',' | b':' | b'?') => {
                        // Quoted text may run over several lines.
                        match self.skip_quoted(ch, (l, c + 1)) {
                            Some((ql, qc)) => {
                                l = ql;
                                c = qc;
                                prev = ch;
                                continue;
                            }
                            None => break,
                        }
                    }
                    _ => {}
                }
                if depth == 1 && matches!(ch, b'[' | b'{') && (l, c) == open {
                    expect_item = true;
                }
                prev = ch;
                c += 1;
            }
            l += 1;
            c = 0;
        }
        Flow {
            end: (self.lines.len(), 0),
            items,
        }
    }

    /// Just past the quote `q` that closes text starting at `from`, on
    /// that line or a later one; `None` when it is never closed.
    fn skip_quoted(&self, q: u8, from: Pos) -> Option<Pos> {
        let (mut l, mut c) = from;
        while l < self.lines.len() {
            let b = self.lines[l].as_bytes();
            while c < b.len() {
                match b[c] {
                    b'\\' if q == b'"' => c += 2,
                    x if x == q => {
                        if q == b'\'' && b.get(c + 1) == Some(&b'\'') {
                            c += 2;
                        } else {
                            return Some((l, c + 1));
                        }
                    }
                    _ => c += 1,
                }
            }
            l += 1;
            c = 0;
        }
        None
    }

    /// The first `key:` at or after `from` and before `to`, where `key`
    /// starts a line or follows a space, tab, `{`, `,` or `-`.
    fn find_key(&self, key: &str, from: Pos, to: Pos) -> Option<Pos> {
        let to = to.min((self.lines.len(), 0));
        if key.len() <= INDEXED_KEY {
            let places = self.keys.get(key)?;
            let first = places.partition_point(|p| *p < from);
            return places.get(first).copied().filter(|p| *p < to);
        }
        self.scan_key(key, from, to)
    }

    /// `find_key` by reading the region.
    fn scan_key(&self, key: &str, from: Pos, to: Pos) -> Option<Pos> {
        let last = to.0.min(self.lines.len().saturating_sub(1));
        for l in from.0..=last {
            let Some(line) = self.lines.get(l) else {
                break;
            };
            let start = if l == from.0 {
                from.1.min(line.len())
            } else {
                0
            };
            let mut search = start;
            while let Some(i) = line.get(search..).and_then(|s| s.find(key)) {
                let at = search + i;
                if (l, at) >= to {
                    return None;
                }
                if key_at(line, at, key.len()) {
                    return Some((l, at));
                }
                search = at + key.len();
            }
        }
        None
    }

    /// The first line after `l` indented no more than it.
    fn end_of(&self, l: usize) -> usize {
        match self.block_ends.get(l) {
            Some(&e) if e != usize::MAX => e,
            _ => {
                let base = self.lines.get(l).map_or(0, |line| indent(line));
                (l + 1..self.lines.len())
                    .find(|j| !is_blank(self.lines[*j]) && indent(self.lines[*j]) <= base)
                    .unwrap_or(self.lines.len())
            }
        }
    }

    fn find_item(&self, index: usize, from: Pos, to: Pos) -> Option<Pos> {
        let to = to.0.min(self.lines.len());
        let region = (from.0, to);
        let cached = self.items.borrow().get(&region).cloned();
        let items = match cached {
            Some(items) => items,
            None => {
                let items: Items = self.list_items(from.0 + 1, to).into();
                self.items.borrow_mut().insert(region, items.clone());
                items
            }
        };
        items.get(index).copied()
    }

    /// The lines of a region that start a `- ` item at the indent of its
    /// first one.
    fn list_items(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut dash_indent = None;
        let mut out = Vec::new();
        for l in from..to {
            let line = self.lines[l];
            if !line.trim_start().starts_with('-') {
                continue;
            }
            let ind = indent(line);
            match dash_indent {
                None => dash_indent = Some(ind),
                Some(d) if d != ind => continue,
                _ => {}
            }
            out.push((l, ind));
        }
        out
    }
}

/// Just past the quote that closes the quoted text opening at byte `s`
/// of a line, if it closes on that line.
fn quoted_end(b: &[u8], s: usize) -> Option<usize> {
    let q = *b.get(s)?;
    let mut c = s + 1;
    while c < b.len() {
        match b[c] {
            b'\\' if q == b'"' => c += 2,
            x if x == q => {
                if q == b'\'' && b.get(c + 1) == Some(&b'\'') {
                    c += 2;
                } else {
                    return Some(c + 1);
                }
            }
            _ => c += 1,
        }
    }
    None
}

/// Where a plain (unquoted) value starting at byte `s` of a line ends,
/// trailing blanks left out, and whether a `: ` ends it (it is a key).
/// It runs to a comment (` #`) or the line end, and in a flow collection
/// also to a `,`, `[`, `]`, `{` or `}`.
fn plain_end(b: &[u8], s: usize, in_flow: bool) -> (usize, bool) {
    let mut c = s;
    let mut is_key = false;
    while c < b.len() {
        let ch = b[c];
        if ch == b'#' && c > s && matches!(b[c - 1], b' ' | b'\t') {
            break;
        }
        if ch == b':' {
            let next = b.get(c + 1).copied();
            let ends = next.is_none_or(|n| {
                matches!(n, b' ' | b'\t') || (in_flow && matches!(n, b',' | b']' | b'}'))
            });
            if ends {
                is_key = true;
                break;
            }
        }
        if in_flow && matches!(ch, b',' | b'[' | b']' | b'{' | b'}') {
            break;
        }
        c += 1;
    }
    while c > s && matches!(b[c - 1], b' ' | b'\t') {
        c -= 1;
    }
    (c, is_key)
}

/// Keys up to this many bytes are found through the index; longer ones
/// (never a field name) by scanning.
const INDEXED_KEY: usize = 64;

/// Whether `line[at..at + len]` is written as a key: at the line start or
/// after a space, tab, `{`, `,` or `-`, and followed by `:`.
fn key_at(line: &str, at: usize, len: usize) -> bool {
    let before = line[..at].chars().next_back();
    let after = line[at + len..].chars().next();
    before.is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-' | '\t')) && after == Some(':')
}

/// Every stretch of up to [`INDEXED_KEY`] bytes before a `:` that
/// `key_at` accepts, with where it is, in text order.
fn key_index<'a>(lines: &[&'a str]) -> FxHashMap<&'a str, Vec<(usize, usize)>> {
    let mut keys: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    let mut found: Vec<(usize, &str)> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        let b = line.as_bytes();
        found.clear();
        starts.clear();
        // Where a key may start: the line start and after each boundary.
        let mut first = 0;
        for (p, c) in b.iter().enumerate() {
            if *c == b':' {
                while starts.get(first).is_some_and(|s| s + INDEXED_KEY < p) {
                    first += 1;
                }
                for s in starts[first..]
                    .iter()
                    .chain((p <= INDEXED_KEY).then_some(&0))
                {
                    if *s < p {
                        found.push((*s, &line[*s..p]));
                    }
                }
            }
            if matches!(c, b' ' | b'{' | b',' | b'-' | b'\t') {
                starts.push(p + 1);
            }
        }
        // In text order: by column, whatever colon each belongs to.
        found.sort_by_key(|(s, _)| *s);
        for (s, k) in &found {
            keys.entry(k).or_default().push((l, *s));
        }
    }
    keys
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

fn is_blank(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// For each line `l`, the first line after it indented no more than `l`
/// (the end of the value that starts on `l`; a list item's own keys sit
/// further right than its dash). One pass with a stack of the lines
/// still open, whose indents only grow from bottom to top.
fn block_ends(lines: &[&str]) -> Vec<usize> {
    let base = |l: &str| indent(l) + usize::from(l.trim_start().starts_with("- "));
    let mut ends = vec![lines.len(); lines.len()];
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (j, line) in lines.iter().enumerate() {
        if is_blank(line) {
            continue;
        }
        let ind = indent(line);
        while let Some(&(l, b)) = open.last() {
            if b < ind {
                break;
            }
            ends[l] = j;
            open.pop();
        }
        open.push((j, base(line)));
    }
    // A blank or comment line starts no value (though a key may be found
    // in a comment): `Locator::end_of` works its end out when asked.
    for (l, line) in lines.iter().enumerate() {
        if is_blank(line) {
            ends[l] = usize::MAX;
        }
    }
    ends
}

/// A frontmatter that is not valid YAML, explained for a person: where
/// the mistake is, what it is, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlProblem {
    /// 0-based line of the YAML block.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// The column just past what to underline; 0 when unknown.
    pub end_col: usize,
    /// What is wrong, in a few words.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// How long a value may be to be quoted back in a "write it so" help.
const SHOWN_VALUE: usize = 60;

/// Explains a YAML error of `yaml`: the parser's position turned into
/// the line and columns a person sees (characters, not bytes), pointing
/// at the cause where the parser notices the mistake later (an unclosed
/// quote, a line without `:`), and the common mistakes said in plain
/// words. Anything else keeps the parser's own text.
pub fn explain_yaml_error(yaml: &str, e: &serde_norway::Error) -> YamlProblem {
    let text = e.to_string();
    let (head, context) = match text.find(", while ") {
        Some(i) => (&text[..i], Some(&text[i + 2..])),
        None => (text.as_str(), None),
    };
    let problem = head
        .find(" at line ")
        .or_else(|| head.find(" at position "))
        .map_or(head, |i| &head[..i]);
    let x = Explainer::new(yaml);
    // Where the parser noticed the problem: a byte offset of `yaml`.
    let at = after_word(head, " at position ")
        .or_else(|| e.location().map(|l| l.index()))
        .map(|o| x.floor(o));
    // Where what it was reading started (a quote, a key, a `[`).
    let context_at = context
        .and_then(|c| {
            let i = c.rfind(" at line ")?;
            let mut nums = c[i + 9..].split(" column ");
            let line = nums.next()?.trim().parse().ok()?;
            let col = nums.next()?.trim().parse().ok()?;
            x.mark(line, col)
        })
        .map(|o| x.floor(o));
    let context = context.unwrap_or("");
    let fallback = || {
        let (l, c) = x.pos(at.unwrap_or(0));
        let end = x.text_end(l).max(c);
        x.problem(
            l,
            (c, end),
            problem.to_string(),
            "values with `:` or starting with `[`, `{`, `*` or `&` need quotes".into(),
        )
    };
    if problem.contains("more than one document") {
        if let Some(found) = x.indented_start() {
            return found;
        }
    }
    if let Some(i) = problem.find("duplicate entry with key ") {
        let parent = problem[..i].trim_end().trim_end_matches(':');
        let key = &problem[i + "duplicate entry with key ".len()..];
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .filter(|k| !k.contains('\\'))
            .unwrap_or(key);
        return x.duplicate(parent, key, at.unwrap_or(0));
    }
    if let Some(found) = x.explain(problem, context, at, context_at) {
        return found;
    }
    fallback()
}

/// The number right after `word` in `s`.
fn after_word(s: &str, word: &str) -> Option<usize> {
    let i = s.find(word)?;
    let digits: String = s[i + word.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The YAML text by lines, to explain an error in.
struct Explainer<'a> {
    yaml: &'a str,
    lines: Vec<&'a str>,
    starts: Vec<usize>,
}

impl<'a> Explainer<'a> {
    fn new(yaml: &'a str) -> Self {
        let lines: Vec<&str> = yaml.split('\n').collect();
        let mut starts = Vec::with_capacity(lines.len());
        let mut at = 0;
        for l in &lines {
            starts.push(at);
            at += l.len() + 1;
        }
        Explainer {
            yaml,
            lines,
            starts,
        }
    }

    /// `o` moved back to a character boundary of the text.
    fn floor(&self, o: usize) -> usize {
        let mut o = o.min(self.yaml.len());
        while !self.yaml.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// The line index and byte column of offset `o`.
    fn pos(&self, o: usize) -> (usize, usize) {
        let l = self.starts.partition_point(|s| *s <= o).saturating_sub(1);
        (l, o - self.starts.get(l).copied().unwrap_or(0))
    }

    fn line(&self, l: usize) -> &'a str {
        self.lines.get(l).copied().unwrap_or("")
    }

    /// The byte offset of the parser's 1-based line and column (in
    /// characters, its lines broken at CR, LF, CRLF, NEL, LS and PS).
    fn mark(&self, line: usize, col: usize) -> Option<usize> {
        let (mut l, mut c) = (1, 1);
        let mut chars = self.yaml.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            if (l, c) == (line, col) {
                return Some(i);
            }
            match ch {
                '\r' => {
                    if chars.peek().is_some_and(|(_, n)| *n == '\n') {
                        chars.next();
                    }
                    (l, c) = (l + 1, 1);
                }
                '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => (l, c) = (l + 1, 1),
                _ => c += 1,
            }
        }
        ((l, c) == (line, col)).then_some(self.yaml.len())
    }

    /// The byte column where line `l`'s text ends (trailing blanks out).
    fn text_end(&self, l: usize) -> usize {
        self.line(l).trim_end().len()
    }

    /// The byte column where line `l`'s text starts.
    fn text_start(&self, l: usize) -> usize {
        indent(self.line(l))
    }

    fn problem(
        &self,
        l: usize,
        bytes: (usize, usize),
        message: String,
        help: String,
    ) -> YamlProblem {
        let line = self.line(l);
        let col_of = |b: usize| {
            line.get(..b.min(line.len()))
                .map_or(b, |s| s.chars().count())
                + 1
        };
        let (col, end) = (col_of(bytes.0), col_of(bytes.1));
        YamlProblem {
            line: l,
            col,
            end_col: if end > col { end } else { 0 },
            message,
            help,
        }
    }

    /// A first line indented more than the lines after it (the parser
    /// reads them as a second document).
    fn indented_start(&self) -> Option<YamlProblem> {
        let first = (0..self.lines.len()).find(|l| !is_blank(self.line(*l)))?;
        let base = indent(self.line(first));
        (base > 0
            && (first + 1..self.lines.len())
                .any(|l| !is_blank(self.line(l)) && indent(self.line(l)) < base))
        .then(|| {
            self.problem(
                first,
                (self.text_start(first), self.text_end(first)),
                "the first line is indented more than the lines after it, so they do not line up"
                    .into(),
                "start each top-level field at the beginning of its line".into(),
            )
        })
    }

    /// `key` given twice in the map that starts at offset `map` (in
    /// `parent`, a path like `skills`, or the top level): the second one.
    fn duplicate(&self, parent: &str, key: &str, map: usize) -> YamlProblem {
        let (ml, mc) = self.pos(map);
        let flow = self.line(ml).as_bytes().get(mc) == Some(&b'{');
        let mut seen = 0;
        let mut second = None;
        'lines: for l in ml..self.lines.len() {
            let line = self.line(l);
            if !flow && l > ml && !is_blank(line) && indent(line) < mc {
                break;
            }
            let mut from = if l == ml { mc } else { 0 };
            while let Some(i) = line.get(from..).and_then(|t| t.find(key)) {
                let at = from + i;
                from = at + key.len().max(1);
                let in_place = if flow { true } else { at == mc };
                if in_place && key_at(line, at, key.len()) {
                    seen += 1;
                    if seen == 2 {
                        second = Some((l, at));
                        break 'lines;
                    }
                }
            }
        }
        let (l, c) = second.unwrap_or((ml, mc));
        let end = if second.is_some() { c + key.len() } else { c };
        let place = if parent.is_empty() {
            String::new()
        } else {
            format!(" in `{parent}`")
        };
        self.problem(
            l,
            (c, end),
            format!("`{key}` is given twice{place}"),
            "keep one of them: each field is given once".into(),
        )
    }

    /// The common mistakes, recognised by the parser's problem and
    /// context and by the text where it stopped.
    fn explain(
        &self,
        problem: &str,
        context: &str,
        at: Option<usize>,
        context_at: Option<usize>,
    ) -> Option<YamlProblem> {
        // The problem's line, byte column and the character there.
        let (l, c) = self.pos(at?);
        let line = self.line(l);
        let ch = line.get(c..).and_then(|t| t.chars().next());
        let to_end = (c, self.text_end(l).max(c + ch.map_or(0, char::len_utf8)));
        // `, written so`, or ` ("...")` when the line is too long to show.
        let quote_help = |start: &str, key: &str, value: &str| {
            if key.is_empty() || value.chars().count() > SHOWN_VALUE {
                format!("{start} (\"...\")")
            } else {
                format!("{start}: `{key}: {}`", quoted(value))
            }
        };
        if problem.contains("tab character")
            || (ch == Some('\t') && problem.contains("cannot start any token"))
        {
            let b = line.as_bytes();
            let (mut s, mut e) = (c.min(b.len()), c.min(b.len()));
            while s > 0 && matches!(b[s - 1], b' ' | b'\t') {
                s -= 1;
            }
            while e < b.len() && matches!(b[e], b' ' | b'\t') {
                e += 1;
            }
            return Some(self.problem(
                l,
                (s, e),
                "this line is indented with a tab; YAML indents with spaces only".into(),
                "replace the tab with spaces".into(),
            ));
        }
        if problem.starts_with("mapping values are not allowed") {
            let lead = indent(line)
                + if line.trim_start().starts_with("- ") {
                    2
                } else {
                    0
                };
            let before = line.get(lead..c).unwrap_or("");
            if let Some(sep) = find_separator(before) {
                // `takeaway: Ask: why`: a second `: ` in the value.
                let key = before[..sep].trim();
                let v_start = lead
                    + sep
                    + 1
                    + (before[sep + 1..].len() - before[sep + 1..].trim_start().len());
                let v_end = self.text_end(l).max(v_start);
                let value = line.get(v_start..v_end).unwrap_or("");
                let simple_key = !key.is_empty() && !key.contains(['{', '[', '"', '\'']);
                return Some(self.problem(
                    l,
                    (v_start, v_end),
                    if simple_key {
                        format!("the value of `{key}` has a `: ` in it, which YAML reads as the start of another field")
                    } else {
                        "this value has a `: ` in it, which YAML reads as the start of another field".into()
                    },
                    quote_help(
                        "a value with `: ` in it needs quotes",
                        if simple_key { key } else { "" },
                        value,
                    ),
                ));
            }
            let key = line.get(lead..c).unwrap_or("").trim();
            let deeper = (0..l)
                .rev()
                .find(|j| !is_blank(self.line(*j)))
                .is_some_and(|above| indent(line) > indent(self.line(above)));
            if deeper && !key.is_empty() {
                return Some(self.problem(
                    l,
                    (lead, c),
                    format!("`{key}` is indented more than the line above it, so YAML reads it as part of that line's value"),
                    format!("start `{key}:` in the same column as the fields around it; if it is more of the value above, put that value in quotes"),
                ));
            }
            return Some(self.problem(
                l,
                (c, c + 1),
                "a `:` where YAML does not expect one".into(),
                "a value with `:` needs quotes".into(),
            ));
        }
        if problem.contains("cannot start any token") {
            let ch = ch?;
            let (key, value) = key_value(line);
            return Some(self.problem(
                l,
                to_end,
                format!("YAML does not let a value start with `{ch}`"),
                quote_help("put the value in quotes", key, value),
            ));
        }
        if context.starts_with("while scanning a quoted scalar")
            && problem.contains("end of stream")
        {
            let (ql, qc) = self.pos(context_at?);
            let q = self
                .line(ql)
                .get(qc..)
                .and_then(|t| t.chars().next())
                .unwrap_or('"');
            let inner = if q == '\'' { "''" } else { "\\\"" };
            return Some(self.problem(
                ql,
                (qc, self.text_end(ql).max(qc + 1)),
                format!("the `{q}` that opens this value is never closed, so the rest of the frontmatter reads as part of it"),
                format!("end the value with a matching `{q}`; to put a `{q}` inside it, write `{inner}`"),
            ));
        }
        if context.starts_with("while parsing a quoted scalar") {
            // An escape: from its backslash to where the parser stopped.
            let slash = line.get(..c + 1).and_then(|t| t.rfind('\\'))?;
            let end = line
                .get(c..)
                .and_then(|t| t.chars().next())
                .map_or(c, |x| c + x.len_utf8())
                .max(slash + 2)
                .min(line.len());
            let shown = line.get(slash..end).unwrap_or("\\");
            return Some(self.problem(
                l,
                (slash, end),
                format!("`{shown}` is not a valid escape inside double quotes"),
                "a `\\` in double quotes starts an escape: write `\\\\` for a backslash, or use single quotes ('...'), in which a backslash is just a backslash".into(),
            ));
        }
        if context.starts_with("while scanning a simple key") && problem.contains("expected ':'") {
            let (kl, _) = self.pos(context_at?);
            let text = self.line(kl).trim();
            let help = match text.split_once(' ') {
                Some((k, v)) if !k.contains(':') && text.chars().count() <= SHOWN_VALUE => {
                    format!("write it as `{k}: {}`", v.trim())
                }
                _ => "a field is written `key: value`; a line that continues the value above must be indented under it".into(),
            };
            return Some(self.problem(
                kl,
                (self.text_start(kl), self.text_end(kl)),
                "this line is not a field: it has no `:` after the field's name".into(),
                help,
            ));
        }
        if problem.starts_with("did not find expected ',' or") {
            let (bl, bc) = self.pos(context_at?);
            let (open, close, what) = if context.contains("flow mapping") {
                ('{', '}', "map")
            } else {
                ('[', ']', "list")
            };
            return Some(self.problem(
                bl,
                (bc, self.text_end(bl).max(bc + 1)),
                format!("the `{open}` that opens this {what} is never closed"),
                format!("close it with `{close}`, or put the value in quotes if the `{open}` is part of the text"),
            ));
        }
        if problem.starts_with("did not find expected key")
            || problem.starts_with("did not find expected '-'")
        {
            let prev = line.get(..c).and_then(|t| t.trim_end().chars().next_back());
            if ch == Some('-') {
                return Some(self.problem(
                    l,
                    to_end,
                    "this list item does not line up with a list: the `- ` items of one list start in the same column, under their field".into(),
                    "indent it like the other `- ` items of its list".into(),
                ));
            }
            if let Some(q @ ('"' | '\'')) = prev {
                let inner = if q == '\'' { "''" } else { "\\\"" };
                return Some(self.problem(
                    l,
                    to_end,
                    format!("there is more text after the closing `{q}` of this value"),
                    format!("put all of the value inside the quotes; to put a `{q}` inside them, write `{inner}`"),
                ));
            }
            if let Some(b @ (']' | '}')) = prev {
                return Some(self.problem(
                    l,
                    to_end,
                    format!("there is more text after the `{b}` that closes this value"),
                    "remove it, or put the whole value in quotes if it is text".into(),
                ));
            }
            return Some(self.problem(
                l,
                to_end,
                "this line does not line up with the lines above it".into(),
                "the fields of one map start in the same column, and a list's `- ` items go under their field: indent it like the line it belongs beside".into(),
            ));
        }
        if problem.starts_with("block sequence entries are not allowed") {
            return Some(self.problem(
                l,
                to_end,
                "a list item cannot start on the same line as its field".into(),
                "put each `- item` on a line of its own under the field, indented, or write the list as `[a, b]`".into(),
            ));
        }
        if problem.starts_with("unknown anchor") {
            let name_end = line
                .get(c + 1..)
                .and_then(|t| t.find(|x: char| x.is_whitespace() || matches!(x, ',' | ']' | '}')))
                .map_or(line.len(), |i| c + 1 + i);
            let (key, value) = key_value(line);
            let alias = line.get(c..name_end).unwrap_or("*");
            return Some(self.problem(
                l,
                (c, name_end),
                format!("`{alias}` names an anchor that is not defined: in YAML a value starting with `*` refers to one"),
                quote_help("put the value in quotes", key, value),
            ));
        }
        if problem.starts_with("control characters are not allowed") {
            let shown = ch.map_or(String::new(), |x| {
                format!(" ({})", crate::diagnostics::escape_controls(&x.to_string()))
            });
            return Some(self.problem(
                l,
                (c, c + ch.map_or(1, char::len_utf8)),
                format!("this line has a control character{shown}, which YAML does not allow"),
                "remove it: most editors do not show it".into(),
            ));
        }
        None
    }
}

/// Where `key: ` ends in `s`: the first `:` followed by a blank.
fn find_separator(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && matches!(b.get(i + 1), Some(b' ' | b'\t')))
}

/// A `key: value` line's key and value (empty when it is not one).
fn key_value(line: &str) -> (&str, &str) {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    match find_separator(t) {
        Some(i) if !t[..i].contains(['{', '[', '"', '\'']) => (t[..i].trim(), t[i + 1..].trim()),
        _ => ("", ""),
    }
}

/// `v` in quotes that keep it as written: double quotes, or single ones
/// when it has a `"` or `\`.
fn quoted(v: &str) -> String {
    if v.contains(['"', '\\']) {
        format!("'{}'", v.replace('\'', "''"))
    } else {
        format!("\"{v}\"")
    }
}

#[cfg(test)]
mod tests;

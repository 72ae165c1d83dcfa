//! Where a key or value sits in the frontmatter text, for diagnostics.

use super::scan::*;
use crate::model::Span;
use rustc_hash::FxHashMap;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

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
///
/// That index is built on the first lookup that needs it, not before: most
/// notes raise no diagnostic, and the top-level fields a fast parse already
/// located ([`Locator::with_top_level`]) are answered without it.
pub struct Locator<'a> {
    yaml: &'a str,
    first_line: usize,
    /// The text's lines and what is found in them, built when first asked.
    index: OnceCell<Index<'a>>,
    /// Top-level fields located when the text was parsed (in text order).
    top: Vec<TopField<'a>>,
    /// Where each key of a long `top` is in it, built when first asked.
    top_index: OnceCell<FxHashMap<&'a str, usize>>,
    /// The `- ` items of each region searched, found once.
    items: RefCell<FxHashMap<(usize, usize), Items>>,
    /// Each flow collection (`[...]`, `{...}`) read, by where it opens.
    flows: RefCell<FxHashMap<Pos, Rc<Flow>>>,
    /// The last byte column turned into characters: (line, byte, column),
    /// so columns asked left to right along a long line cost one pass.
    last_col: Cell<(usize, usize, usize)>,
}

/// A top-level field located ahead of time, exactly where the scan of a
/// [`Locator`] would find it: its key as written (a plain key, so its text
/// is the key), the 0-based line of the key, and the span of its value
/// (what [`Locator::find_value`] returns for it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopField<'a> {
    pub key: &'a str,
    pub line: usize,
    pub value: Span,
}

/// What a [`Locator`] scans once, when first asked.
pub(super) struct Index<'a> {
    pub(super) lines: Vec<&'a str>,
    /// Whether each line is ASCII (a byte column is then its column).
    ascii: Vec<bool>,
    /// Every `key:` of up to [`INDEXED_KEY`] bytes, by key: where it is
    /// (line index, byte column), in text order.
    keys: FxHashMap<&'a str, Vec<(usize, usize)>>,
    /// For each line, the first line after the value that starts on it.
    block_ends: Vec<usize>,
}

impl<'a> Index<'a> {
    fn new(yaml: &'a str) -> Self {
        let lines: Vec<&str> = yaml.split('\n').collect();
        Index {
            ascii: lines.iter().map(|l| l.is_ascii()).collect(),
            keys: key_index(&lines),
            block_ends: block_ends(&lines),
            lines,
        }
    }
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
        Self::with_top_level(yaml, first_line, Vec::new())
    }

    /// A locator that answers the top-level fields `top` (located by a
    /// parse of the same text, exactly as the scan would) without
    /// scanning; other lookups scan as usual.
    pub fn with_top_level(yaml: &'a str, first_line: usize, top: Vec<TopField<'a>>) -> Self {
        Locator {
            yaml,
            first_line,
            index: OnceCell::new(),
            top,
            top_index: OnceCell::new(),
            items: RefCell::default(),
            flows: RefCell::default(),
            last_col: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// The index of the text, built on first use.
    pub(super) fn ix(&self) -> &Index<'a> {
        self.index.get_or_init(|| Index::new(self.yaml))
    }

    /// The text's lines.
    pub(super) fn lines(&self) -> &[&'a str] {
        &self.ix().lines
    }

    /// The pre-located top-level field of a one-key `path`: looked for
    /// along a short list, through a map in a long one (every field of a
    /// note with thousands is asked for).
    fn top_field(&self, path: &[Seg]) -> Option<&TopField<'a>> {
        let [Seg::Key(k)] = path else {
            return None;
        };
        if self.top.len() <= 16 {
            return self.top.iter().find(|f| f.key == *k);
        }
        let index = self.top_index.get_or_init(|| {
            let mut index = FxHashMap::default();
            for (i, f) in self.top.iter().enumerate() {
                index.entry(f.key).or_insert(i);
            }
            index
        });
        index.get(k).and_then(|i| self.top.get(*i))
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
        if let Some(f) = self.top_field(path) {
            // A plain key at the start of its line.
            let end_col = f.key.chars().count() + 1;
            return Span {
                line: self.first_line + f.line,
                col: 1,
                end_col: if end_col > 1 { end_col } else { 0 },
            };
        }
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
        if let Some(f) = self.top_field(path) {
            return f.value;
        }
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
        let Some(line) = self.lines().get(l) else {
            return byte;
        };
        let byte = byte.min(line.len());
        if self.ix().ascii[l] {
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
        let mut to: Pos = (self.lines().len(), 0);
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
        let Some(line) = self.lines().get(l) else {
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
            .lines()
            .get(open.0)
            .and_then(|l| l.as_bytes().get(open.1))
            == Some(&b'[');
        let mut items = Vec::new();
        let mut depth = 0usize;
        let mut expect_item = false;
        let mut prev = b' ';
        let (mut l, mut c) = open;
        let lines = self.lines();
        while l < lines.len() {
            let b = lines[l].as_bytes();
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
            end: (lines.len(), 0),
            items,
        }
    }

    /// Just past the quote `q` that closes text starting at `from`, on
    /// that line or a later one; `None` when it is never closed.
    fn skip_quoted(&self, q: u8, from: Pos) -> Option<Pos> {
        let (mut l, mut c) = from;
        let lines = self.lines();
        while l < lines.len() {
            if let Some(end) = close_quote(lines[l].as_bytes(), q, c) {
                return Some((l, end));
            }
            l += 1;
            c = 0;
        }
        None
    }

    /// The first `key:` at or after `from` and before `to`, where `key`
    /// starts a line or follows a space, tab, `{`, `,` or `-`.
    pub(super) fn find_key(&self, key: &str, from: Pos, to: Pos) -> Option<Pos> {
        if key.len() <= INDEXED_KEY {
            return self.indexed_key(key, from, to);
        }
        self.scan_key(key, from, to)
    }

    /// `find_key` through the index of every key (`key` of at most
    /// [`INDEXED_KEY`] bytes).
    pub(super) fn indexed_key(&self, key: &str, from: Pos, to: Pos) -> Option<Pos> {
        let to = to.min((self.lines().len(), 0));
        let places = self.ix().keys.get(key)?;
        let first = places.partition_point(|p| *p < from);
        places.get(first).copied().filter(|p| *p < to)
    }

    /// `find_key` by reading the region.
    pub(super) fn scan_key(&self, key: &str, from: Pos, to: Pos) -> Option<Pos> {
        let to = to.min((self.lines().len(), 0));
        // No key is empty (as the index holds none).
        if key.is_empty() {
            return None;
        }
        let last = to.0.min(self.lines().len().saturating_sub(1));
        for l in from.0..=last {
            let Some(line) = self.lines().get(l) else {
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
                // The next occurrence may overlap this one (`a-a` in
                // `a-a-a:` is a key at its second place, not its first).
                search = at + line[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        None
    }

    /// The first line after `l` indented no more than it.
    pub(super) fn end_of(&self, l: usize) -> usize {
        match self.ix().block_ends.get(l) {
            Some(&e) if e != usize::MAX => e,
            _ => {
                let lines = self.lines();
                let base = lines.get(l).map_or(0, |line| indent(line));
                (l + 1..lines.len())
                    .find(|j| !is_blank(lines[*j]) && indent(lines[*j]) <= base)
                    .unwrap_or(lines.len())
            }
        }
    }

    fn find_item(&self, index: usize, from: Pos, to: Pos) -> Option<Pos> {
        let to = to.0.min(self.lines().len());
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
            let line = self.lines()[l];
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

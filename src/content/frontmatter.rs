//! Splitting a note into frontmatter and body, parsing the YAML, and
//! finding where a key sits in the file so diagnostics can point at it.

use crate::model::Span;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
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

/// Finds the file position of keys in a frontmatter block by scanning its
/// text: YAML parsers that keep positions per node are not on serde's path,
/// and line-level precision is what a person needs to find the mistake.
///
/// Lookups do not rescan the text: every place a key could be written,
/// where each value ends, and (once per list) where its items start are
/// worked out up front, so locating thousands of keys or list items (one
/// diagnostic each) stays linear, not quadratic.
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
}

/// The `- ` items of a region: (line index, indent) of each.
type Items = Rc<[(usize, usize)]>;

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
        }
    }

    /// The position of the block's first line (used for missing fields).
    pub fn start(&self) -> Span {
        Span {
            line: self.first_line.saturating_sub(1).max(1),
            col: 1,
        }
    }

    /// The position of the last segment of `path` found; a missing key
    /// points at its parent (or the opening fence).
    pub fn find(&self, path: &[Seg]) -> Span {
        let mut best = self.start();
        // The region searched: (line index, byte column) to line end-exclusive.
        let mut from = (0usize, 0usize);
        let mut to = self.lines.len();
        for seg in path {
            let found = match seg {
                Seg::Key(k) => self.find_key(k, from, to),
                Seg::Index(i) => self.find_item(*i, from, to),
            };
            match found {
                Some((l, c)) => {
                    let col = if self.ascii[l] {
                        c
                    } else {
                        self.lines[l][..c].chars().count()
                    };
                    best = Span {
                        line: self.first_line + l,
                        col: col + 1,
                    };
                    let key_len = match seg {
                        Seg::Key(k) => k.len() + 1,
                        Seg::Index(_) => 1,
                    };
                    from = (l, c + key_len);
                    to = self.end_of(l);
                }
                None => return best,
            }
        }
        best
    }

    /// The first `key:` at or after `from` and before line `to`, where
    /// `key` starts a line or follows a space, tab, `{`, `,` or `-`.
    fn find_key(&self, key: &str, from: (usize, usize), to: usize) -> Option<(usize, usize)> {
        let to = to.min(self.lines.len());
        if key.len() <= INDEXED_KEY {
            let places = self.keys.get(key)?;
            let first = places.partition_point(|p| *p < from);
            return places.get(first).copied().filter(|(l, _)| *l < to);
        }
        self.scan_key(key, from, to)
    }

    /// `find_key` by reading the region.
    fn scan_key(&self, key: &str, from: (usize, usize), to: usize) -> Option<(usize, usize)> {
        for l in from.0..to {
            let line = self.lines[l];
            let start = if l == from.0 {
                from.1.min(line.len())
            } else {
                0
            };
            let mut search = start;
            while let Some(i) = line.get(search..).and_then(|s| s.find(key)) {
                let at = search + i;
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

    fn find_item(&self, index: usize, from: (usize, usize), to: usize) -> Option<(usize, usize)> {
        let to = to.min(self.lines.len());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_frontmatter_and_body() {
        let s = split("---\na: 1\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "a: 1\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        assert!(s.has_frontmatter);
    }

    #[test]
    fn no_frontmatter_is_all_body() {
        let s = split("# Title\n").unwrap();
        assert!(!s.has_frontmatter);
        assert_eq!(s.body, "# Title\n");
    }

    #[test]
    fn unterminated_is_an_error() {
        assert_eq!(split("---\na: 1\n"), Err(Unterminated));
    }

    #[test]
    fn empty_frontmatter_and_end_of_file() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn block_ends_match_a_plain_scan() {
        let yaml = "a:\n  b: 1\n  # c: 2\n\n  d:\n    - e: 1\n      f: 2\n    - g\nh: 3\n  - i\n# j:\nk:\n";
        let lines: Vec<&str> = yaml.split('\n').collect();
        let loc = Locator::new(yaml, 2);
        for l in 0..lines.len() {
            let base = indent(lines[l]) + usize::from(lines[l].trim_start().starts_with("- "));
            let plain = (l + 1..lines.len())
                .find(|j| !is_blank(lines[*j]) && indent(lines[*j]) <= base)
                .unwrap_or(lines.len());
            assert_eq!(loc.end_of(l), plain, "line {l}");
        }
    }

    #[test]
    fn the_key_index_finds_what_a_scan_finds() {
        let yaml = "a: 1\nb:\n  a: {a: 2, b-c: 3}\n  - x,a: 4\n# a: no\nlong key here: 5\nurl: http://a:b\n\ta:\nb c: d: e\n";
        let loc = Locator::new(yaml, 2);
        let n = loc.lines.len();
        for key in [
            "a",
            "b",
            "b-c",
            "c",
            "key here",
            "long key here",
            "http",
            "//a",
            "url",
            "d",
            "b c",
            "zz",
        ] {
            for l in 0..n {
                for c in [0, 1, 3] {
                    for to in [l + 1, n] {
                        assert_eq!(
                            loc.find_key(key, (l, c), to),
                            loc.scan_key(key, (l, c), to.min(n)),
                            "{key:?} from {l}:{c} to {to}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn many_list_items_are_located() {
        let yaml = format!("tags:\n{}", "  - {a: 1}\n".repeat(20_000));
        let loc = Locator::new(&yaml, 2);
        for i in [0, 1, 19_999] {
            let s = loc.find(&[Seg::Key("tags"), Seg::Index(i)]);
            assert_eq!((s.line, s.col), (3 + i, 3));
        }
        assert_eq!(loc.find(&[Seg::Key("tags"), Seg::Index(20_000)]).line, 2);
    }

    #[test]
    fn locates_nested_keys() {
        let yaml = "name: X\nskills:\n  discovery: {current: 3, target: 9}\n  closing:\n    current: 7\nfocus:\n  - skill: a\n  - skill: b\n    target_date: 2026-02-30\n";
        let loc = Locator::new(yaml, 2);
        assert_eq!(loc.find(&[Seg::Key("name")]).line, 2);
        let s = loc.find(&[
            Seg::Key("skills"),
            Seg::Key("discovery"),
            Seg::Key("target"),
        ]);
        assert_eq!((s.line, s.col), (4, 27));
        assert_eq!(
            loc.find(&[Seg::Key("skills"), Seg::Key("closing"), Seg::Key("current")])
                .line,
            6
        );
        let s = loc.find(&[Seg::Key("focus"), Seg::Index(1), Seg::Key("target_date")]);
        assert_eq!(s.line, 10);
        // Missing key: its parent.
        assert_eq!(loc.find(&[Seg::Key("focus"), Seg::Key("nope")]).line, 7);
        assert_eq!(loc.find(&[Seg::Key("nope")]).line, 1);
    }
}

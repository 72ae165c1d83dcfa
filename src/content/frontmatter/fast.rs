//! A fast parse of the simple YAML nearly all frontmatter is written in,
//! with the top-level fields located as the [`Locator`] would find them.
//!
//! `serde_norway` (a port of libyaml) is exact but slow, and the locator
//! scans the whole text again for positions. Frontmatter is mostly one
//! `key: value` per line, some lists and maps, some quoted text: this
//! reads that subset in one pass. It answers only when it is certain of
//! the answer: the same mapping `serde_norway` would return (keys in the
//! same order, numbers made as it makes them), a nesting well within
//! [`crate::content::limits::MAX_YAML_DEPTH`], and the same spans as the
//! locator's scan. Anything else (anchors, tags, block scalars, text over
//! several lines, escapes, duplicate keys, a number it is not sure of, a
//! key the locator would find elsewhere first...) returns `None`, and the
//! note goes through the parser as before.
//!
//! The subset: a top-level block mapping of plain keys; block mappings
//! and block lists (`- item`, `- key: value`) nested in it; one-line flow
//! lists and maps (`[a, "b"]`, `{score: 3}`); plain, single- and
//! double-quoted one-line scalars; comment lines and ` #` comments after
//! a value outside flow collections.

use super::locate::TopField;
use super::scan::key_at;
use crate::model::Span;
use serde_norway::mapping::Entry;
use serde_norway::{Mapping, Number, Value};

/// A frontmatter block the fast path read: its mapping and where each of
/// its top-level fields is (in the mapping's order).
#[derive(Debug)]
pub struct Simple<'a> {
    pub map: Mapping,
    pub top: Vec<TopField<'a>>,
}

/// How deeply collections may nest here: far below the depth limit the
/// full path checks, so that check can be skipped.
const MAX_DEPTH: usize = 16;

/// Longer keys are left to the parser (libyaml caps a key at 1024
/// characters).
const MAX_KEY: usize = 256;

/// Past this many (colon, key) pairs to compare, checking that no key is
/// found earlier than where it is written costs more than it saves.
const MAX_KEY_CHECKS: usize = 100_000;

/// Parses `yaml` (a frontmatter block whose first line is file line
/// `first_line`) if it is in the simple subset, else `None`.
pub fn parse(yaml: &str, first_line: usize) -> Option<Simple<'_>> {
    if !plain_text(yaml) {
        return None;
    }
    let mut p = Parser {
        lines: yaml.split('\n').collect(),
        next: 0,
        top: Vec::new(),
        first_line,
    };
    let map = p.block_map(0, None, 0)?;
    if p.content_line().is_some() || map.is_empty() {
        return None;
    }
    let top = p.top;
    if !first_found_where_written(&p.lines, &top) {
        return None;
    }
    Some(Simple { map, top })
}

/// Whether `yaml` is free of what the subset never reads: tabs, carriage
/// returns and other control characters, and the characters libyaml
/// takes as line breaks or refuses (NEL, LS, PS, a byte-order mark,
/// non-characters).
fn plain_text(yaml: &str) -> bool {
    let ascii_ok = yaml
        .bytes()
        .all(|b| (b >= 0x20 && b != 0x7f) || b == b'\n' || b >= 0x80);
    ascii_ok
        && (yaml.is_ascii()
            || yaml.chars().all(|c| {
                !matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

/// Whether the locator's scan finds every top-level key where it is
/// written: it takes the first `key:` in the text (after a line start,
/// space, `{`, `,` or `-`), which may be in an earlier line's value,
/// nested key or comment.
fn first_found_where_written(lines: &[&str], top: &[TopField]) -> bool {
    let mut checks = 0usize;
    // `top` is in text order: the keys still ahead of line `l` are a tail.
    let mut ahead = 0;
    for (l, line) in lines.iter().enumerate() {
        while top.get(ahead).is_some_and(|f| f.line <= l) {
            ahead += 1;
        }
        if ahead == top.len() {
            break;
        }
        for (p, b) in line.bytes().enumerate() {
            if b != b':' {
                continue;
            }
            for f in &top[ahead..] {
                checks += 1;
                if checks > MAX_KEY_CHECKS {
                    return false;
                }
                let Some(at) = p.checked_sub(f.key.len()) else {
                    continue;
                };
                if line.get(at..p) == Some(f.key) && key_at(line, at, f.key.len()) {
                    return false;
                }
            }
        }
    }
    true
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    /// The next line to read.
    next: usize,
    /// The top-level fields, as they are read.
    top: Vec<TopField<'a>>,
    first_line: usize,
}

/// The number of spaces a line starts with.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether byte `c` of `b` starts a `- ` entry (a dash then a space or
/// the line end).
fn is_dash(b: &[u8], c: usize) -> bool {
    b.get(c) == Some(&b'-') && matches!(b.get(c + 1), None | Some(b' '))
}

impl<'a> Parser<'a> {
    /// The next line with content (not blank, not a comment), and its
    /// indent, without moving past it.
    fn content_line(&mut self) -> Option<(usize, usize)> {
        while let Some(line) = self.lines.get(self.next) {
            let ind = indent(line);
            match line.as_bytes().get(ind) {
                None | Some(b'#') => self.next += 1,
                Some(_) => return Some((self.next, ind)),
            }
        }
        None
    }

    /// A block mapping whose keys are at column `indent`; its first key
    /// at `first` (line, column) when it follows a list item's dash.
    fn block_map(
        &mut self,
        indent: usize,
        first: Option<(usize, usize)>,
        depth: usize,
    ) -> Option<Mapping> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let mut map = Mapping::new();
        if let Some((l, c)) = first {
            self.entry(&mut map, l, c, indent, depth)?;
        }
        while let Some((l, ind)) = self.content_line() {
            if ind < indent {
                break;
            }
            if ind > indent {
                return None;
            }
            self.entry(&mut map, l, ind, indent, depth)?;
        }
        Some(map)
    }

    /// One `key: value` of a block mapping at column `indent`, its key at
    /// byte `c` of line `l`; moves past it (and any block value).
    fn entry(
        &mut self,
        map: &mut Mapping,
        l: usize,
        c: usize,
        indent: usize,
        depth: usize,
    ) -> Option<()> {
        let line = self.lines[l];
        let b = line.as_bytes();
        let key_end = block_key_end(line, c)?;
        let key = &line[c..key_end];
        // serde_norway refuses a key written twice.
        let Entry::Vacant(slot) = map.entry(key_value(key)?) else {
            return None;
        };
        self.next = l + 1;
        let s = skip_spaces(b, key_end + 1);
        let (value, range) = if s >= b.len() || (b[s] == b'#' && s > key_end + 1) {
            (self.block_value(indent, depth)?, None)
        } else {
            let (value, end) = inline_value(line, s, depth + 1)?;
            line_rest_empty(b, end)?;
            (value, Some((s, end)))
        };
        if depth == 0 {
            let (start, end) = range.unwrap_or((c, key_end));
            self.top.push(TopField {
                key,
                line: l,
                value: Span {
                    line: self.first_line + l,
                    col: char_col(line, start) + 1,
                    end_col: char_col(line, end) + 1,
                },
            });
        }
        slot.insert(value);
        Some(())
    }

    /// The value of a key with nothing after it on its line: a block
    /// list or mapping on the lines below, or null.
    fn block_value(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let Some((l, ind)) = self.content_line() else {
            return Some(Value::Null);
        };
        let dash = is_dash(self.lines[l].as_bytes(), ind);
        if ind > indent {
            if dash {
                self.block_list(ind, depth + 1).map(Value::Sequence)
            } else {
                self.block_map(ind, None, depth + 1).map(Value::Mapping)
            }
        } else if ind == indent && dash {
            self.block_list(ind, depth + 1).map(Value::Sequence)
        } else {
            Some(Value::Null)
        }
    }

    /// A block list whose dashes are at column `indent`.
    fn block_list(&mut self, indent: usize, depth: usize) -> Option<Vec<Value>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some((l, ind)) = self.content_line() {
            if ind < indent {
                break;
            }
            if ind > indent {
                return None;
            }
            let line = self.lines[l];
            let b = line.as_bytes();
            if !is_dash(b, ind) {
                // The next key of a mapping whose value this list is.
                break;
            }
            self.next = l + 1;
            let s = skip_spaces(b, ind + 1);
            if s >= b.len() || b[s] == b'#' || is_dash(b, s) {
                // A block value below the dash, or a list in a list.
                return None;
            }
            if block_key_end(line, s).is_some() {
                let map = self.block_map(s, Some((l, s)), depth + 1)?;
                items.push(Value::Mapping(map));
            } else {
                let (value, end) = inline_value(line, s, depth + 1)?;
                line_rest_empty(b, end)?;
                items.push(value);
            }
        }
        Some(items)
    }
}

/// The 0-based column, in characters, of byte `byte` of `line`.
fn char_col(line: &str, byte: usize) -> usize {
    if line.is_ascii() {
        byte
    } else {
        line.get(..byte).map_or(byte, |s| s.chars().count())
    }
}

fn skip_spaces(b: &[u8], mut c: usize) -> usize {
    while b.get(c) == Some(&b' ') {
        c += 1;
    }
    c
}

/// `Some` when nothing but spaces, or spaces and a comment, follows
/// byte `end` of a line.
fn line_rest_empty(b: &[u8], end: usize) -> Option<()> {
    let s = skip_spaces(b, end);
    (s >= b.len() || (b[s] == b'#' && s > end)).then_some(())
}

/// Whether `c` may start a plain key or value in the subset: not a YAML
/// indicator, not a space.
fn plain_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '(' || (!c.is_ascii() && !c.is_whitespace())
}

/// Where a block mapping key starting at byte `c` ends (at its `:`,
/// which a space or the line end follows), when the line holds one the
/// subset reads: a plain key of at most [`MAX_KEY`] bytes with no
/// space before the colon.
fn block_key_end(line: &str, c: usize) -> Option<usize> {
    let b = line.as_bytes();
    let first = line.get(c..)?.chars().next()?;
    if !plain_start(first) {
        return None;
    }
    let mut i = c;
    while i < b.len() && i - c <= MAX_KEY {
        match b[i] {
            b':' => {
                return (matches!(b.get(i + 1), None | Some(b' ')) && b[i - 1] != b' ')
                    .then_some(i);
            }
            b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'\\' | b'`' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The value of a plain key: only a key that reads as text (`true:`,
/// `1:` or `null:` would be other kinds of key).
fn key_value(key: &str) -> Option<Value> {
    match plain_scalar(key)? {
        v @ Value::String(_) => Some(v),
        _ => None,
    }
}

/// A value written on one line from byte `s` (not a space): quoted text,
/// a flow collection or a plain scalar, and the byte just past it.
fn inline_value(line: &str, s: usize, depth: usize) -> Option<(Value, usize)> {
    let b = line.as_bytes();
    match b[s] {
        b'"' | b'\'' => quoted(line, s),
        b'[' | b'{' => flow(line, s, depth),
        _ => {
            let first = line.get(s..)?.chars().next()?;
            let dash_number = first == '-' && b.get(s + 1).is_some_and(u8::is_ascii_digit);
            if !(plain_start(first) || dash_number || matches!(first, '+' | '.')) {
                return None;
            }
            // To a comment or the line end.
            let mut end = (s + 1..b.len())
                .find(|&i| b[i] == b'#' && b[i - 1] == b' ')
                .unwrap_or(b.len());
            while end > s && b[end - 1] == b' ' {
                end -= 1;
            }
            let text = &line[s..end];
            if text.contains(": ") || text.ends_with(':') {
                return None;
            }
            Some((plain_scalar(text)?, end))
        }
    }
}

/// Quoted text opening at byte `s`, closed on its line: single quotes
/// (`''` is a quote) or double quotes without escapes.
fn quoted(line: &str, s: usize) -> Option<(Value, usize)> {
    let b = line.as_bytes();
    let q = b[s];
    let mut out = String::new();
    let mut from = s + 1;
    let mut i = s + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => return None,
            x if x == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    out.push_str(&line[from..=i]);
                    i += 2;
                    from = i;
                    continue;
                }
                out.push_str(&line[from..i]);
                return Some((Value::String(out), i + 1));
            }
            _ => i += 1,
        }
    }
    None
}

/// A flow list or map opening at byte `s` and closing on its line.
fn flow(line: &str, s: usize, depth: usize) -> Option<(Value, usize)> {
    if depth >= MAX_DEPTH {
        return None;
    }
    let b = line.as_bytes();
    let list = b[s] == b'[';
    let close = if list { b']' } else { b'}' };
    let mut seq = Vec::new();
    let mut map = Mapping::new();
    let mut c = skip_spaces(b, s + 1);
    if b.get(c) == Some(&close) {
        let v = if list {
            Value::Sequence(seq)
        } else {
            Value::Mapping(map)
        };
        return Some((v, c + 1));
    }
    loop {
        if list {
            let (v, end) = flow_value(line, c, depth)?;
            seq.push(v);
            c = end;
        } else {
            let key_end = flow_key_end(line, c)?;
            let Entry::Vacant(slot) = map.entry(key_value(&line[c..key_end])?) else {
                return None;
            };
            let vs = skip_spaces(b, key_end + 1);
            let (v, end) = flow_value(line, vs, depth)?;
            slot.insert(v);
            c = end;
        }
        c = skip_spaces(b, c);
        match b.get(c) {
            Some(&x) if x == close => break,
            Some(b',') => {
                c = skip_spaces(b, c + 1);
                // A trailing comma.
                if b.get(c) == Some(&close) {
                    break;
                }
            }
            _ => return None,
        }
    }
    let v = if list {
        Value::Sequence(seq)
    } else {
        Value::Mapping(map)
    };
    Some((v, c + 1))
}

/// Where a flow mapping key starting at byte `c` ends: at a `:` and a
/// space, the key plain, with no space before the colon.
fn flow_key_end(line: &str, c: usize) -> Option<usize> {
    let end = block_key_end(line, c)?;
    (line.as_bytes().get(end + 1) == Some(&b' ')).then_some(end)
}

/// A value in a flow collection from byte `s`, and the byte past it.
fn flow_value(line: &str, s: usize, depth: usize) -> Option<(Value, usize)> {
    let b = line.as_bytes();
    match *b.get(s)? {
        b'"' | b'\'' => quoted(line, s),
        b'[' | b'{' => flow(line, s, depth + 1),
        _ => {
            let first = line.get(s..)?.chars().next()?;
            let dash_number = first == '-' && b.get(s + 1).is_some_and(u8::is_ascii_digit);
            if !(plain_start(first) || dash_number || matches!(first, '+' | '.')) {
                return None;
            }
            let mut end = s;
            while end < b.len() {
                match b[end] {
                    b',' | b']' | b'}' => break,
                    b'[' | b'{' | b':' | b'#' | b'"' | b'\'' | b'\\' | b'`' | b'?' => return None,
                    _ => end += 1,
                }
            }
            while end > s && b[end - 1] == b' ' {
                end -= 1;
            }
            Some((plain_scalar(&line[s..end])?, end))
        }
    }
}

/// A plain scalar resolved as `serde_norway` resolves it, when certain:
/// null, a boolean, a number written the usual way, or text that cannot
/// be anything else.
fn plain_scalar(t: &str) -> Option<Value> {
    match t {
        "" => return None,
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let b = t.as_bytes();
    if b[0].is_ascii_digit() || matches!(b[0], b'-' | b'+' | b'.') {
        if let Some(n) = number(t) {
            return Some(Value::Number(n));
        }
        if is_date(b) {
            return Some(Value::String(t.to_string()));
        }
        // Integers (in any base) and floats are written only with
        // letters, digits, `+`, `-` and `.`: anything else is text.
        if b.iter()
            .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))
        {
            return Some(Value::String(t.to_string()));
        }
        return None;
    }
    // Words Rust reads as (infinite) floats: text to serde_norway too,
    // but not worth being clever about.
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return None;
    }
    Some(Value::String(t.to_string()))
}

/// `0`, `[1-9][0-9]*`, `-[1-9][0-9]*` as integers (when they fit, as
/// serde_norway's u64 then i64), and `-?(0|[1-9][0-9]*)\.[0-9]+` as a
/// float (when finite).
fn number(t: &str) -> Option<Number> {
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !all_digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    match frac {
        Some(f) => {
            if !all_digits(f) {
                return None;
            }
            let v: f64 = t.parse().ok()?;
            v.is_finite().then(|| Number::from(v))
        }
        None if neg => {
            if int == "0" {
                return None;
            }
            t.parse::<i64>().ok().map(Number::from)
        }
        None => t.parse::<u64>().ok().map(Number::from),
    }
}

/// `YYYY-MM-DD`: text to serde_norway (it has no date type).
fn is_date(b: &[u8]) -> bool {
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

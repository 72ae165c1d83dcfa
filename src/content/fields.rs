//! Frontmatter YAML -> typed fields, with a diagnostic a sales manager can
//! act on for every value of the wrong type or out of its range.
//!
//! Each reader takes a path into the frontmatter, returns the typed value or
//! `None`, and records an error (making the note invalid) when a present
//! value is wrong or a required one is missing.

use super::frontmatter::{Locator, Seg};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{RefField, Span, Vocab};
use chrono::NaiveDate;
use serde_norway::{Mapping, Value};

/// Reads fields out of one note's frontmatter, collecting diagnostics.
pub struct Reader<'a> {
    pub root: &'a Mapping,
    pub loc: &'a Locator<'a>,
    pub file: &'a str,
    pub diags: Vec<Diagnostic>,
    /// Set when any error was recorded.
    pub failed: bool,
    /// The key that picks the kind (`type_key`): a known top-level field
    /// in place of `type`.
    pub type_key: &'a str,
    /// The top-level fields with an error (a wrong value, or a required
    /// one missing): the rules that read several fields skip them, so a
    /// note with errors is still checked as far as it can be.
    pub unread: Vec<String>,
}

/// What a value looks like, for "found ..." in messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let short: String = s.chars().take(60).collect();
            if short.len() < s.len() {
                format!("\"{short}...\"")
            } else {
                format!("{s:?}")
            }
        }
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a map of fields".to_string(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

fn get<'v>(map: &'v Mapping, key: &str) -> Option<&'v Value> {
    map.get(key)
}

/// A dotted name for messages: `skills.discovery.current`, `focus[2].skill`.
pub fn path_name(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{}]", i + 1)),
        }
    }
    s
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Mapping, loc: &'a Locator<'a>, file: &'a str) -> Self {
        Reader {
            root,
            loc,
            file,
            diags: Vec::new(),
            failed: false,
            type_key: "type",
            unread: Vec::new(),
        }
    }

    /// Where the value at `path` is written (see [`Locator::find_value`]).
    pub fn span(&self, path: &[Seg]) -> Span {
        self.loc.find_value(path)
    }

    /// Where the key of `path` is written (see [`Locator::find`]).
    pub fn key_span(&self, path: &[Seg]) -> Span {
        self.loc.find(path)
    }

    /// Records that the top-level field `name` could not be read.
    pub fn mark_unread(&mut self, name: &str) {
        if !self.unread.iter().any(|u| u == name) {
            self.unread.push(name.to_string());
        }
    }

    /// An error about the value at `path`, underlining the value.
    pub fn error(&mut self, code: Code, path: &[Seg], msg: String) -> &mut Diagnostic {
        let span = self.span(path);
        self.push_error(code, path, span, msg)
    }

    /// An error about the key of `path` itself (a field that is not one),
    /// or about something missing under it, underlining the key.
    pub fn error_at_key(&mut self, code: Code, path: &[Seg], msg: String) -> &mut Diagnostic {
        let span = self.key_span(path);
        self.push_error(code, path, span, msg)
    }

    fn push_error(&mut self, code: Code, path: &[Seg], span: Span, msg: String) -> &mut Diagnostic {
        self.failed = true;
        if let Some(Seg::Key(k)) = path.first() {
            self.mark_unread(k);
        }
        self.push(Diagnostic::error(code, self.file, span.line, msg).at_span(span))
    }

    /// A warning about the value at `path`, underlining the value.
    pub fn warn(&mut self, code: Code, path: &[Seg], msg: String) -> &mut Diagnostic {
        let span = self.span(path);
        self.push(Diagnostic::warning(code, self.file, span.line, msg).at_span(span))
    }

    /// A warning about the key of `path` itself, underlining the key.
    pub fn warn_at_key(&mut self, code: Code, path: &[Seg], msg: String) -> &mut Diagnostic {
        let span = self.key_span(path);
        self.push(Diagnostic::warning(code, self.file, span.line, msg).at_span(span))
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// Records that the value at `path` is not `what` (for example "a
    /// piece of text"), saying what was found instead.
    fn wrong_type(&mut self, path: &[Seg], what: &str, found: &Value) {
        let msg = format!(
            "{} must be {what}, found {}",
            path_name(path),
            describe(found)
        );
        self.error(Code::InvalidType, path, msg);
    }

    /// The value at `path` (None when absent or null).
    pub fn value(&self, path: &[Seg]) -> Option<&'a Value> {
        let mut cur: &'a Value = match path.first() {
            Some(Seg::Key(k)) => get(self.root, k)?,
            _ => return None,
        };
        for seg in &path[1..] {
            cur = match (seg, cur) {
                (Seg::Key(k), Value::Mapping(m)) => get(m, k)?,
                (Seg::Index(i), Value::Sequence(s)) => s.get(*i)?,
                _ => return None,
            };
        }
        match cur {
            Value::Null => None,
            Value::Tagged(t) => Some(&t.value),
            v => Some(v),
        }
    }

    /// A required field that is absent, shown at the key it belongs under
    /// (the opening `---` for a top-level one).
    fn missing(&mut self, path: &[Seg], what: &str) {
        let name = path_name(path);
        if let Some(Seg::Key(k)) = path.first() {
            self.mark_unread(k);
        }
        self.error_at_key(
            Code::MissingField,
            &path[..path.len().saturating_sub(1)],
            format!("{name} is required: {what}"),
        )
        .help = Some(format!("add a line `{}: ...`", last_key(path)));
    }

    /// A string; numbers and booleans are taken as their text.
    pub fn opt_str(&mut self, path: &[Seg]) -> Option<String> {
        match self.value(path)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.wrong_type(path, "a piece of text", other);
                None
            }
        }
    }

    /// A required, non-blank string.
    pub fn req_str(&mut self, path: &[Seg], what: &str) -> Option<String> {
        let present = self.value(path).is_some();
        match self.opt_str(path) {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(_) => {
                let msg = format!("{} must not be empty: {what}", path_name(path));
                self.error(Code::EmptyField, path, msg);
                None
            }
            None => {
                if !present {
                    self.missing(path, what);
                }
                None
            }
        }
    }

    /// A number in `[min, max]` (either bound optional); `rule` describes it
    /// for the message ("a number greater than 0").
    pub fn opt_num(&mut self, path: &[Seg], rule: &str, ok: impl Fn(f64) -> bool) -> Option<f64> {
        let v = self.value(path)?;
        let n = match v {
            Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
            _ => None,
        };
        match n {
            Some(f) if ok(f) => Some(f),
            _ => {
                let msg = format!("{} must be {rule}, found {}", path_name(path), describe(v));
                self.error(Code::InvalidValue, path, msg);
                None
            }
        }
    }

    pub fn req_num(&mut self, path: &[Seg], rule: &str, ok: impl Fn(f64) -> bool) -> Option<f64> {
        if self.value(path).is_none() {
            self.missing(path, rule);
            return None;
        }
        self.opt_num(path, rule, ok)
    }

    /// A whole number in `lo..=hi` (scores, skill levels).
    pub fn opt_score(&mut self, path: &[Seg], lo: u8, hi: u8) -> Option<u8> {
        let rule = format!("a whole number from {lo} to {hi}");
        self.opt_num(path, &rule, |f| {
            f.fract() == 0.0 && f >= f64::from(lo) && f <= f64::from(hi)
        })
        .map(|f| f as u8)
    }

    pub fn opt_date(&mut self, path: &[Seg]) -> Option<NaiveDate> {
        let v = self.value(path)?;
        let parsed = match v {
            Value::String(s) => parse_note_date(s),
            _ => None,
        };
        if parsed.is_none() {
            let msg = match v {
                Value::String(s) if looks_like_date(s) => format!(
                    "{} is not a date that exists: {}",
                    path_name(path),
                    describe(v)
                ),
                _ => format!(
                    "{} must be a date written YYYY-MM-DD, found {}",
                    path_name(path),
                    describe(v)
                ),
            };
            self.error(Code::InvalidDate, path, msg);
        }
        parsed
    }

    pub fn req_date(&mut self, path: &[Seg]) -> Option<NaiveDate> {
        if self.value(path).is_none() {
            self.missing(path, "a date written YYYY-MM-DD");
            return None;
        }
        self.opt_date(path)
    }

    pub fn opt_bool(&mut self, path: &[Seg]) -> Option<bool> {
        let v = self.value(path)?;
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path, "true or false", other);
                None
            }
        }
    }

    /// One of the values of `E`, parsed once, matched ignoring case and
    /// separators (`Discovery`, `no decision`); else an error with a "did
    /// you mean" help.
    pub fn opt_enum<E: Vocab>(&mut self, path: &[Seg]) -> Option<E> {
        let s = self.opt_str(path)?;
        let t = s.trim();
        if let Some(v) = E::parse(t) {
            return Some(v);
        }
        let msg = format!(
            "{} must be one of {}, found {:?}",
            path_name(path),
            E::NAMES.join(", "),
            s
        );
        let help = did_you_mean(t, E::NAMES.iter().copied());
        let d = self.error(Code::InvalidValue, path, msg);
        if let Some(h) = help {
            d.help = Some(format!("did you mean {h:?}?"));
        }
        None
    }

    /// A list of strings (a single string is taken as a list of one).
    pub fn str_list(&mut self, path: &[Seg]) -> Vec<String> {
        match self.value(path) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Bool(b) => out.push(b.to_string()),
                        other => {
                            let mut p = path.to_vec();
                            p.push(Seg::Index(i));
                            let msg = format!(
                                "{} must be a piece of text, found {}; it is left out",
                                path_name(&p),
                                describe(other)
                            );
                            self.warn(Code::InvalidType, &p, msg);
                        }
                    }
                }
                out
            }
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(other) => {
                let msg = format!(
                    "{} must be a list of text, found {}",
                    path_name(path),
                    describe(other)
                );
                self.error(Code::InvalidType, path, msg);
                Vec::new()
            }
        }
    }

    /// A mapping at `path`, or an error when something else is there.
    pub fn opt_map(&mut self, path: &[Seg], what: &str) -> Option<&'a Mapping> {
        match self.value(path)? {
            Value::Mapping(m) => Some(m),
            other => {
                self.wrong_type(path, what, other);
                None
            }
        }
    }

    /// A list at `path` (its length), or an error when something else is there.
    pub fn opt_list(&mut self, path: &[Seg], what: &str) -> Option<usize> {
        match self.value(path)? {
            Value::Sequence(s) => Some(s.len()),
            other => {
                self.wrong_type(path, what, other);
                None
            }
        }
    }

    /// A reference to another note: bare (`jane-doe`, `Jane Doe`) or a
    /// quoted wikilink (`"[[Jane Doe]]"`).
    pub fn opt_ref(&mut self, path: &[Seg]) -> Option<RefField> {
        let s = self.opt_str(path)?;
        let target = strip_wikilink(&s);
        if target.is_empty() {
            let msg = format!("{} must name a note, found {:?}", path_name(path), s);
            self.error(Code::EmptyField, path, msg);
            return None;
        }
        let span = self.span(path);
        Some(RefField::new(last_key(path), target, span))
    }

    pub fn req_ref(&mut self, path: &[Seg], what: &str) -> Option<RefField> {
        if self.value(path).is_none() {
            self.missing(path, what);
            return None;
        }
        self.opt_ref(path)
    }

    /// Keys of the mapping at `path` that are not in `known` (for warnings).
    /// Warns about keys of the mapping at `path` (the frontmatter itself when
    /// empty) that look like typos of a known field. Other extra fields are
    /// the writer's own and are kept quietly.
    pub fn unknown_keys(&mut self, path: &[Seg], known: &[&str]) {
        let map = if path.is_empty() {
            Some(self.root)
        } else {
            match self.value(path) {
                Some(Value::Mapping(m)) => Some(m),
                _ => None,
            }
        };
        let Some(m) = map else {
            return;
        };
        // At the top: the configured kind key stands for `type`, and
        // `aliases` is read on every note.
        let top: Vec<&str>;
        let known = if path.is_empty() {
            top = known
                .iter()
                .map(|k| if *k == "type" { self.type_key } else { k })
                .chain(["aliases"])
                .collect();
            &top[..]
        } else {
            known
        };
        let typos: Vec<(String, &str)> = m
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| !known.contains(k))
            .filter_map(|k| did_you_mean(k, known.iter().copied()).map(|h| (k.to_string(), h)))
            .collect();
        for (k, h) in typos {
            let mut p = path.to_vec();
            p.push(Seg::Key(&k));
            let msg = format!(
                "{} is not a field of this kind of note; {}",
                path_name(&p),
                if path.is_empty() {
                    "it is kept as a property and shown on the page"
                } else {
                    "it is ignored"
                }
            );
            self.warn_at_key(Code::UnknownField, &p, msg).help =
                Some(format!("did you mean {h:?}?"));
        }
    }
}

fn last_key<'p>(path: &[Seg<'p>]) -> &'p str {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(*k),
            Seg::Index(_) => None,
        })
        .unwrap_or("")
}

/// A note's date: `YYYY-MM-DD`, or a date-time as Obsidian writes its
/// properties (`2026-01-05T10:00`, `2026-01-05 10:00:00`, with seconds,
/// fractions or a zone), read as its date as written (no zone conversion).
pub fn parse_note_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (date, time) = match s.get(..10) {
        Some(d) if s.len() > 10 => (d, &s[10..]),
        _ => return crate::config::parse_date(s),
    };
    let time = time.strip_prefix(['T', ' '])?;
    let hm = time.get(..5).filter(|t| t.is_ascii())?;
    let ok_time = hm.as_bytes()[2] == b':'
        && hm[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && hm[3..].parse::<u32>().is_ok_and(|m| m < 60)
        && time[5..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | '+' | '-'));
    if ok_time {
        crate::config::parse_date(date)
    } else {
        None
    }
}

fn looks_like_date(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `[[Jane Doe]]` -> `Jane Doe`; `[[a|label]]` -> `a`; `[[a#h]]` -> `a`;
/// anything else is trimmed as is.
pub fn strip_wikilink(s: &str) -> String {
    let t = s.trim();
    let inner = t
        .strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .unwrap_or(t);
    let inner = inner.split('|').next().unwrap_or(inner);
    let inner = inner.split('#').next().unwrap_or(inner);
    inner.trim().to_string()
}

/// How far (in edits) a "did you mean" suggestion may be.
const SUGGEST_DISTANCE: usize = 2;
/// Longer text gets no suggestion: it is not a mistyped name.
const SUGGEST_MAX_CHARS: usize = 64;

/// The closest candidate within edit distance 2 (case-insensitive).
/// Candidates whose length alone puts them out of reach are skipped
/// before any work (a 200 KB title among the notes cost seconds per
/// broken link when each was compared in full).
pub fn did_you_mean<'c>(s: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    if s.len() > 4 * SUGGEST_MAX_CHARS {
        return None;
    }
    let s = s.to_lowercase();
    let s_chars = s.chars().count();
    if s_chars > SUGGEST_MAX_CHARS {
        return None;
    }
    // A char is at most 4 bytes: a candidate longer than this in bytes
    // has too many chars to be within reach.
    let max_bytes = 4 * (s_chars + SUGGEST_DISTANCE);
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        let limit = best.map_or(SUGGEST_DISTANCE, |(d, _)| d.saturating_sub(1));
        if c.len() > max_bytes {
            continue;
        }
        let lower = c.to_lowercase();
        // The lengths alone bound the distance from below.
        if lower.chars().count().abs_diff(s_chars) > limit {
            continue;
        }
        let d = strsim::levenshtein(&s, &lower);
        if d <= limit {
            best = Some((d, c));
            if d == 0 {
                break;
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests;

//! A YAML error explained for a person: where, what, and how to fix it.

use super::scan::*;

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
pub(super) const SHOWN_VALUE: usize = 60;

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
pub(super) fn after_word(s: &str, word: &str) -> Option<usize> {
    let i = s.find(word)?;
    let digits: String = s[i + word.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The YAML text by lines, to explain an error in.
pub(super) struct Explainer<'a> {
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
pub(super) fn find_separator(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && matches!(b.get(i + 1), Some(b' ' | b'\t')))
}

/// A `key: value` line's key and value (empty when it is not one).
pub(super) fn key_value(line: &str) -> (&str, &str) {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    match find_separator(t) {
        Some(i) if !t[..i].contains(['{', '[', '"', '\'']) => (t[..i].trim(), t[i + 1..].trim()),
        _ => ("", ""),
    }
}

/// `v` in quotes that keep it as written: double quotes, or single ones
/// when it has a `"` or `\`.
pub(super) fn quoted(v: &str) -> String {
    if v.contains(['"', '\\']) {
        format!("'{}'", v.replace('\'', "''"))
    } else {
        format!("\"{v}\"")
    }
}

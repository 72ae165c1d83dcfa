//! Line scanners the locator shares: where a quoted or plain value ends,
//! which `key:` a line holds, where each block value ends.

use rustc_hash::FxHashMap;

/// Just past the quote that closes the quoted text opening at byte `s`
/// of a line, if it closes on that line.
pub(super) fn quoted_end(b: &[u8], s: usize) -> Option<usize> {
    close_quote(b, *b.get(s)?, s + 1)
}

/// Just past the quote `q` that closes quoted text, scanning a line from
/// byte `c` (inside the quotes); `None` when the line ends first. A `\`
/// escapes in double quotes, `''` is a quote in single quotes (YAML).
pub(super) fn close_quote(b: &[u8], q: u8, mut c: usize) -> Option<usize> {
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
pub(super) fn plain_end(b: &[u8], s: usize, in_flow: bool) -> (usize, bool) {
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
pub(super) const INDEXED_KEY: usize = 64;

/// Whether `line[at..at + len]` is written as a key: at the line start or
/// after a space, tab, `{`, `,` or `-`, and followed by `:`.
pub(super) fn key_at(line: &str, at: usize, len: usize) -> bool {
    let before = line[..at].chars().next_back();
    let after = line[at + len..].chars().next();
    before.is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-' | '\t')) && after == Some(':')
}

/// Every stretch of up to [`INDEXED_KEY`] bytes before a `:` that
/// `key_at` accepts, with where it is, in text order.
pub(super) fn key_index<'a>(lines: &[&'a str]) -> FxHashMap<&'a str, Vec<(usize, usize)>> {
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

pub(super) fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

pub(super) fn is_blank(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// For each line `l`, the first line after it indented no more than `l`
/// (the end of the value that starts on `l`; a list item's own keys sit
/// further right than its dash). One pass with a stack of the lines
/// still open, whose indents only grow from bottom to top.
pub(super) fn block_ends(lines: &[&str]) -> Vec<usize> {
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

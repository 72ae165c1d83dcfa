//! Cutting a chunk of raw HTML into tags, comments and text, byte by
//! byte (no recursion, linear in the chunk).

use super::*;

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

//! Obsidian's linking syntax, as small pure functions shared by the loader
//! (which finds links, tags, headings and block ids) and the renderer
//! (which draws them), so both read a note the same way:
//!
//! - a wikilink's destination: `target#heading`, `target#^block`,
//!   `target^block`, `#heading` (same note), `folder/target.md`, and the
//!   `\|` a table cell needs ([`parse_target`]);
//! - `[[...]]` inside a frontmatter property's text ([`text_links`]);
//! - inline `#tags` in body text ([`tags_in`]) and hierarchical tag URLs
//!   ([`tag_slug`], [`tag_and_parents`]);
//! - a `^block-id` at the end of a paragraph or list item ([`block_marker`]);
//! - heading ids ([`heading_anchor`]) and the case- and Unicode-insensitive
//!   key names are compared by ([`fold`]).

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

mod collect;
mod tags;

pub use collect::{Collector, Place};
pub use tags::{tag_and_parents, tag_slug, tags_in};

/// The parts of a wikilink destination (`[[dest|label]]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The note, as written; empty for a link within the same note
    /// (`[[#heading]]`).
    pub note: String,
    /// A heading (`#Heading`; of `#A#B` the last, as Obsidian links the
    /// sub-heading).
    pub heading: Option<String>,
    /// A block id (`#^id` or `^id`), without the `^`.
    pub block: Option<String>,
}

/// Splits a wikilink destination. A trailing `\` is dropped: in a table
/// cell Obsidian writes the label's pipe as `\|` (`[[a\|b]]`), and no
/// note name can end with a backslash (Obsidian forbids `\` in names).
pub fn parse_target(dest: &str) -> Target {
    let dest = dest.trim().trim_end_matches('\\').trim_end();
    // The block id: after the first `^` (`a^b`, `a#^b`).
    let (rest, block) = match dest.split_once('^') {
        Some((r, b)) => {
            let b = b.trim();
            (r, (!b.is_empty()).then(|| b.to_string()))
        }
        None => (dest, None),
    };
    let (note, heading) = match rest.split_once('#') {
        Some((n, h)) => {
            // `A#B` is the sub-heading B of A: its id is B's.
            let last = h.rsplit('#').map(str::trim).find(|s| !s.is_empty());
            (n, last.map(str::to_string))
        }
        None => (rest, None),
    };
    Target {
        note: note.trim().to_string(),
        heading,
        block,
    }
}

/// The key names, paths and ids are compared by: Unicode NFC (a name typed
/// on one system and a file name saved on macOS, which decomposes accents,
/// are one), then lower case (`Ü` and `ü`, `Straße` and `straße`), with
/// surrounding spaces trimmed.
pub fn fold(s: &str) -> String {
    let t = s.trim();
    if t.is_ascii() {
        return t.to_ascii_lowercase();
    }
    t.nfc().collect::<String>().to_lowercase()
}

/// A path written in a link (`emea/Acme`, `emea/Acme.md`, `/emea/Acme`),
/// folded, without `.md` and leading or doubled slashes.
pub fn fold_path(s: &str) -> String {
    let t = strip_md(s.trim());
    let mut out = String::with_capacity(t.len());
    let parts = t
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != ".");
    for (k, part) in parts.enumerate() {
        if k > 0 {
            out.push('/');
        }
        // `fold` of each part, without a string of its own when ASCII
        // (every note's path is folded for the link tables).
        if part.is_ascii() {
            out.extend(part.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(&fold(part));
        }
    }
    out
}

/// `name` without a final `.md` (any case).
pub fn strip_md(name: &str) -> &str {
    let n = name.len();
    if n > 3 && name.is_char_boundary(n - 3) && name[n - 3..].eq_ignore_ascii_case(".md") {
        &name[..n - 3]
    } else {
        name
    }
}

/// Every `[[...]]` of a piece of text (a frontmatter property's value), in
/// order: the byte range of the whole link and its destination and label.
/// Embeds (`![[...]]`) are not links.
pub fn text_links(text: &str) -> Vec<(Range<usize>, String, Option<String>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find("[[")) {
        let start = from + open;
        let Some(close) = text[start + 2..].find("]]") else {
            break;
        };
        let inner = &text[start + 2..start + 2 + close];
        let end = start + 2 + close + 2;
        let embed = start > 0 && text.as_bytes()[start - 1] == b'!';
        if inner.contains("[[") || inner.contains('\n') {
            from = start + 2;
            continue;
        }
        if !embed && !inner.trim().is_empty() {
            let (dest, label) = match inner.split_once('|') {
                Some((d, l)) => (d, Some(l.trim().to_string())),
                None => (inner, None),
            };
            out.push((start..end, dest.to_string(), label));
        }
        from = end;
    }
    out
}

/// The path a link written relative to its note (`./x`, `../People/Steph
/// Ango`, as Obsidian's "relative path" link format writes them) names,
/// from the top of `content/`, given the note's folder there (`""` at the
/// top). `None` when the target is not relative, or climbs out of
/// `content/`.
pub fn relative_path(folder: &str, target: &str) -> Option<String> {
    let t = target.trim();
    if !(t == "." || t == ".." || t.starts_with("./") || t.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in t.split('/') {
        match part.trim() {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The text a wikilink shows when it has no label, as Obsidian shows it:
/// `Note#Heading` -> `Note > Heading`, `Note#A#B` -> `Note > A > B`,
/// `Note#^id` -> `Note > ^id`. A link within the note (`#Heading`) and a
/// plain name are shown as written.
pub fn link_text(dest: &str) -> String {
    let d = dest.trim().trim_end_matches('\\').trim_end();
    let (note, rest) = match d.find(['#', '^']) {
        Some(i) => (d[..i].trim(), &d[i..]),
        None => return d.to_string(),
    };
    if note.is_empty() {
        return d.to_string();
    }
    let mut out = note.to_string();
    for part in rest.split('#').map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(" > ");
        out.push_str(part);
    }
    out
}

/// What the label of an image embed says (`![[photo.png|300]]`,
/// `![[photo.png|Team photo|300x200]]`): its alternative text, and its
/// width and height in pixels when the last part is a size.
pub fn embed_size(label: &str) -> (Option<&str>, Option<u32>, Option<u32>) {
    let label = label.trim();
    let (alt, last) = match label.rsplit_once('|') {
        Some((a, l)) => (Some(a.trim()), l.trim()),
        None => (None, label),
    };
    let (w, h) = match last.split_once('x') {
        Some((w, h)) => (w.trim().parse().ok(), h.trim().parse().ok()),
        None => (last.parse().ok(), None),
    };
    let size_ok = w.is_some_and(|w: u32| (1..=10_000).contains(&w))
        && h.is_none_or(|h: u32| (1..=10_000).contains(&h))
        && (h.is_some() || !last.contains('x'));
    if size_ok {
        (alt.filter(|a| !a.is_empty()), w, h)
    } else {
        ((!label.is_empty()).then_some(label), None, None)
    }
}

/// Whether a wikilink target names a file other than a note: it has an
/// extension that is not `.md` (`photo.jpg`, `plan.pdf`, `Daily.base`).
pub fn names_a_file(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 5
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && !ext.eq_ignore_ascii_case("md")
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// The file a Markdown link's destination names inside the vault
/// (`Other%20note.md`, `../img/photo.jpg#page=2`), percent-decoded,
/// without its query or fragment, with its fragment (the heading or
/// block it names); `None` for a URL with a scheme (`https:`, `mailto:`),
/// one for another host (`//x`), a fragment alone (`#x`), or empty.
pub fn markdown_target(dest: &str) -> Option<(String, Option<String>)> {
    let d = dest.trim();
    if d.is_empty() || d.starts_with("//") || d.starts_with('?') {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    // `#heading`: a place on this page, checked like `[[#heading]]`.
    if let Some(f) = d.strip_prefix('#') {
        let f = decode(f);
        return (!f.is_empty()).then(|| (String::new(), Some(f)));
    }
    let first_special = d.find(['/', '?', '#']).unwrap_or(d.len());
    if d[..first_special].contains(':') {
        return None;
    }
    let (path, fragment) = match d.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (d, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = decode(path);
    // `/` alone is the site's home; a path ending in `/` names a folder,
    // which the link stage resolves to the folder's page, if it has one.
    if path.trim().is_empty() || path.trim() == "/" {
        return None;
    }
    Some((path, fragment.map(decode).filter(|f| !f.is_empty())))
}

/// Whether `id` is a block id: letters, digits and `-`.
fn is_block_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A `^block-id` ending a paragraph or list item, given the block's source
/// text: the byte range of the marker to hide (with the space or line
/// break before it) and the id. A block that is only `^id` (on its own
/// after a table or a quote, as Obsidian writes it) is all marker.
pub fn block_marker(source: &str) -> Option<(Range<usize>, &str)> {
    let t = source.trim_end();
    let caret = t.rfind('^')?;
    let id = &t[caret + 1..];
    if !is_block_id(id) {
        return None;
    }
    let before = &t[..caret];
    let kept = before.trim_end();
    if kept.len() == before.len() && !kept.is_empty() && !kept.ends_with("]]") {
        // `word^id` is not a block id: a space or a line break comes
        // first, except right after a link or an embed (`![[chart.png]]^id`,
        // which Obsidian accepts and its help vault writes).
        return None;
    }
    Some((kept.len()..t.len(), id))
}

/// The id of a heading: the text slugified (`What happened?` ->
/// `what-happened`; `Ünïcödé 名前` -> `unicode-ming-qian`), `section` when
/// nothing is left. A link's `#heading` goes through the same function, so
/// it finds the heading whatever its case, accents or punctuation.
pub fn heading_anchor(text: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

/// The HTML id of a block (`^id`): a heading's id never holds `^`, so the
/// two never clash.
pub fn block_anchor(id: &str) -> String {
    format!("^{id}")
}

/// A block's id as a URL fragment (`%5Eid`: `^` is not allowed unescaped
/// in a URL; browsers decode it to find the element).
pub fn block_fragment(id: &str) -> String {
    format!("%5E{id}")
}

/// A `^block-id` on its own line after a block (a quote, a list, a table,
/// a code block), as Obsidian writes it: blank lines, then a line that is
/// only `^id`, then a blank line or the end. Returns the marker's range in
/// `body` and the id; `end` is where the block ends.
pub fn trailing_block_id(body: &str, end: usize) -> Option<(Range<usize>, &str)> {
    let mut at = end;
    let rest = body.get(end..)?;
    for line in rest.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() {
            at += line.len();
            continue;
        }
        let id = t.strip_prefix('^')?;
        if !is_block_id(id) {
            return None;
        }
        let next = body[at + line.len()..].split('\n').next().unwrap_or("");
        if !next.trim().is_empty() {
            return None;
        }
        let start = at + (line.len() - line.trim_start().len());
        return Some((start..start + t.len(), id));
    }
    None
}

/// The text of a list item that is its own (not a nested list, quote or
/// code block, nor a later paragraph): its lines up to the first blank
/// line or the first line that starts another block.
fn item_text(source: &str) -> &str {
    let mut end = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        let starts_block = t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.starts_with('>')
            || t.starts_with("```")
            || t.starts_with("~~~")
            || t.starts_with('#')
            || t.split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if i > 0 && (t.trim().is_empty() || starts_block) {
            break;
        }
        end += line.len();
    }
    &source[..end]
}

#[cfg(test)]
mod tests;

//! Inline `#tags` in body text, and the URLs of hierarchical tags
//! (`#sales/emea` is also on the page of `#sales`).

use super::*;

/// Whether `c` may be part of a tag after its first character.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

/// The inline tags of a run of body text, as byte ranges of `text` that
/// start at the `#`. `before` is the character just before `text` in the
/// note (`None` at the start of a block): a tag starts after whitespace or
/// at the start of a block, with a letter or `_` (`#q3` is a tag, `#123`,
/// `x#y`, `&#123;` and a URL's `#fragment` are not), and runs over
/// letters, digits, `_`, `-` and `/`. A trailing `/` is not part of it.
pub fn tags_in(text: &str, before: Option<char>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut prev = before;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let starts = c == '#' && prev.is_none_or(char::is_whitespace);
        prev = Some(c);
        if !starts {
            continue;
        }
        let Some(&(_, first)) = iter.peek() else {
            break;
        };
        if !(first.is_alphabetic() || first == '_') {
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, ch)) = iter.peek() {
            if !tag_char(ch) {
                break;
            }
            end = j + ch.len_utf8();
            prev = Some(ch);
            iter.next();
        }
        let tag = text[i + 1..end].trim_end_matches('/');
        if !tag_slug(tag).is_empty() {
            out.push(i..i + 1 + tag.len());
        }
    }
    out
}

/// The URL path of a tag below `/tags/`: each `/`-separated level
/// slugified (`Region/EMEA` -> `region/emea`); empty levels are dropped,
/// and a tag with no letter or digit has no page (empty).
pub fn tag_slug(tag: &str) -> String {
    let parts: Vec<String> = tag
        .trim()
        .trim_start_matches('#')
        .split('/')
        .map(slug::slugify)
        .filter(|s| !s.is_empty())
        .collect();
    parts.join("/")
}

/// The pages a tag is listed on: its own and each parent level's, as
/// `(slug, name)` from the deepest up (`region/emea` -> `region/emea`,
/// then `region`). The name of a level is the tag as written up to it.
pub fn tag_and_parents(tag: &str) -> Vec<(String, String)> {
    let written = tag.trim().trim_start_matches('#');
    let mut out = Vec::new();
    let mut name = written;
    loop {
        let slug = tag_slug(name);
        if !slug.is_empty()
            && out
                .last()
                .is_none_or(|(s, _): &(String, String)| *s != slug)
        {
            out.push((slug, name.trim_end_matches('/').to_string()));
        }
        match name.trim_end_matches('/').rsplit_once('/') {
            Some((parent, _)) => name = parent,
            None => break,
        }
    }
    out
}

//! GFM's extended autolinks: bare `https://...` and `http://...` URLs,
//! `www.` addresses and e-mail addresses in text become links, by the
//! rules of the GFM spec (section "Autolinks (extension)") as cmark-gfm
//! applies them: trailing punctuation is left out, a closing parenthesis
//! only when it has no opening one in the link, an entity-like `&name;` at
//! the end too; `<` ends a link. Text in code, in links, in images and in a
//! raw `<a>` element is left alone (HTML blocks are never text).

use crate::content::wikilinks::raw_html::{tokenize, TokenKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;

/// One link found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autolink {
    pub range: Range<usize>,
    /// `http://` added to a `www.` link, `mailto:` to an address.
    pub href: String,
}

/// The events with the autolinks of their text made links, as they are
/// read.
pub struct Autolinks<'a, I: Iterator<Item = Event<'a>>> {
    events: I,
    /// Inside a link or image (Markdown's or a raw `<a>`), or a code block.
    inside: usize,
    raw_a: usize,
    /// The events a text became, not yet read.
    out: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Autolinks<'a, I> {
    pub fn new(events: I) -> Self {
        Autolinks {
            events,
            inside: 0,
            raw_a: 0,
            out: VecDeque::new(),
        }
    }

    /// The events `ev` becomes, into `out`.
    fn step(&mut self, ev: Event<'a>) {
        match &ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                self.inside += 1
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                self.inside = self.inside.saturating_sub(1)
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains("a") || h.contains("A") => {
                for t in tokenize(h) {
                    match t.kind {
                        TokenKind::Start {
                            name,
                            self_closing: false,
                        } if name == "a" => self.raw_a += 1,
                        TokenKind::End { name } if name == "a" => {
                            self.raw_a = self.raw_a.saturating_sub(1)
                        }
                        _ => {}
                    }
                }
            }
            Event::Text(t) if self.inside == 0 && self.raw_a == 0 && might_link(t) => {
                let found = find(t);
                if !found.is_empty() {
                    let text = t.to_string();
                    let mut at = 0;
                    for l in found {
                        if at < l.range.start {
                            self.out.push_back(Event::Text(CowStr::from(
                                text[at..l.range.start].to_string(),
                            )));
                        }
                        // (`Autolink`: written as it is; pulldown-cmark
                        // would add a second `mailto:` to an `Email`.)
                        self.out.push_back(Event::Start(Tag::Link {
                            link_type: LinkType::Autolink,
                            dest_url: CowStr::from(l.href),
                            title: CowStr::Borrowed(""),
                            id: CowStr::Borrowed(""),
                        }));
                        self.out.push_back(Event::Text(CowStr::from(
                            text[l.range.clone()].to_string(),
                        )));
                        self.out.push_back(Event::End(TagEnd::Link));
                        at = l.range.end;
                    }
                    if at < text.len() {
                        self.out
                            .push_back(Event::Text(CowStr::from(text[at..].to_string())));
                    }
                    return;
                }
            }
            _ => {}
        }
        self.out.push_back(ev);
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Autolinks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(ev) = self.out.pop_front() {
                return Some(ev);
            }
            let ev = self.events.next()?;
            self.step(ev);
        }
    }
}

/// A cheap test that `t` may hold a link.
fn might_link(t: &str) -> bool {
    t.contains("://") || t.contains("www.") || t.contains('@')
}

/// The autolinks of `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<Autolink> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Where the last link ended: an e-mail's local part starts after it.
    let mut last_end = 0;
    while i < b.len() {
        let found = match b[i] {
            b'w' | b'W' if b[i..].starts_with(b"www.") && www_boundary(text, i) => www(text, i)
                .map(|end| Autolink {
                    range: i..end,
                    href: format!("http://{}", &text[i..end]),
                }),
            b'h' | b'H' if url_boundary(text, i) => url(text, i).map(|end| Autolink {
                range: i..end,
                href: text[i..end].to_string(),
            }),
            b'@' => email(text, last_end, i),
            _ => None,
        };
        match found {
            Some(l) => {
                i = l.range.end;
                last_end = i;
                out.push(l);
            }
            None => i += utf8_len(b[i]),
        }
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// The character before byte `i`.
fn before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// A `www.` link starts a text, or follows whitespace or one of `*_~(`.
fn www_boundary(text: &str, i: usize) -> bool {
    before(text, i).is_none_or(|c| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('))
}

/// A URL does not continue a word (`xhttp://` is no link), as in cmark-gfm.
fn url_boundary(text: &str, i: usize) -> bool {
    before(text, i).is_none_or(|c| !c.is_alphanumeric())
}

/// The end of a `www.` link at `i`.
fn www(text: &str, i: usize) -> Option<usize> {
    let domain_end = domain(text, i);
    finish(text, i, i, domain_end, false)
}

/// The end of an `http://` or `https://` link at `i`.
fn url(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?.as_bytes();
    // Compared as bytes: `hellowoé` has no character boundary at 8.
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(s.as_bytes()))
    })?;
    let host = i + scheme.len();
    let domain_end = domain(text, host);
    finish(text, i, host, domain_end, true)
}

/// The end of the run of domain characters at `i` (letters, digits, `-`,
/// `_` and `.`).
fn domain(text: &str, i: usize) -> usize {
    let Some(rest) = text.get(i..) else {
        return i;
    };
    i + rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(rest.len(), |(k, _)| k)
}

/// The end of a link that starts at `start` with its host at `host` and
/// the run of domain characters ending at `domain_end`: the path after it,
/// trailing punctuation cut, and the host checked.
fn finish(
    text: &str,
    start: usize,
    host: usize,
    domain_end: usize,
    short_ok: bool,
) -> Option<usize> {
    // The host first: a text of failed candidates costs no path scans.
    if !valid_domain(text.get(host..domain_end)?, short_ok) {
        return None;
    }
    let rest = text.get(domain_end..)?;
    let path_end = domain_end
        + rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || *c == '<')
            .map_or(rest.len(), |(k, _)| k);
    let end = trim_end(text.get(start..path_end)?) + start;
    let host_text = text.get(host..domain_end.min(end))?;
    valid_domain(host_text, short_ok).then_some(end)
}

/// GFM's valid domain: segments of letters, digits, `_` and `-` split by
/// `.`, at least one `.` (but for `http(s)://` hosts), no `_` in the last
/// two segments.
fn valid_domain(host: &str, short_ok: bool) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || !host.chars().next().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let segments: Vec<&str> = host.split('.').collect();
    if segments.len() < 2 && !short_ok {
        return false;
    }
    !segments.iter().rev().take(2).any(|s| s.contains('_'))
}

/// The length of `link` without what GFM leaves out at its end.
fn trim_end(link: &str) -> usize {
    let b = link.as_bytes();
    let mut end = b.len();
    // Counted once: trimming only ever removes `)` of these.
    let opening = b.iter().filter(|c| **c == b'(').count();
    let mut closing = b.iter().filter(|c| **c == b')').count();
    while end > 0 {
        match b[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b';' => {
                let mut k = end - 1;
                while k > 0 && b[k - 1].is_ascii_alphanumeric() {
                    k -= 1;
                }
                end = if k > 0 && k < end - 1 && b[k - 1] == b'&' {
                    k - 1
                } else {
                    end - 1
                };
            }
            b')' if closing > opening => {
                closing -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

/// An e-mail address around the `@` at `at`, its local part starting no
/// earlier than `from`.
fn email(text: &str, from: usize, at: usize) -> Option<Autolink> {
    let b = text.as_bytes();
    let local_ok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+');
    let mut start = at;
    while start > from && local_ok(b[start - 1]) {
        start -= 1;
    }
    if start == at {
        return None;
    }
    let mut end = at + 1;
    let mut periods = 0;
    while let Some(&c) = b.get(end) {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_') {
            end += 1;
        } else if c == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
            periods += 1;
            end += 1;
        } else {
            break;
        }
    }
    let last = *b.get(end - 1)?;
    if periods == 0 || !last.is_ascii_alphanumeric() {
        return None;
    }
    Some(Autolink {
        range: start..end,
        href: format!("mailto:{}", &text[start..end]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|l| (&text[l.range], l.href))
            .collect()
    }

    fn one(text: &str) -> (&str, String) {
        let got = links(text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        got.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn bare_urls_and_www_addresses() {
        assert_eq!(
            one("Book at https://cal.example.com/jane?src=mail&x=1 today"),
            (
                "https://cal.example.com/jane?src=mail&x=1",
                "https://cal.example.com/jane?src=mail&x=1".into()
            )
        );
        assert_eq!(
            one("see www.commonmark.org/help for more"),
            (
                "www.commonmark.org/help",
                "http://www.commonmark.org/help".into()
            )
        );
        assert_eq!(one("http://localhost:8080/x").0, "http://localhost:8080/x");
        assert_eq!(one("HTTPS://EXAMPLE.COM").0, "HTTPS://EXAMPLE.COM");
        assert_eq!(one("(www.example.com)").0, "www.example.com");
        assert_eq!(one("*www.example.com*").0, "www.example.com");
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_a_link() {
        for (text, link) in [
            ("Visit www.commonmark.org.", "www.commonmark.org"),
            ("Visit www.commonmark.org/a.b.", "www.commonmark.org/a.b"),
            ("https://x.example/a?, then", "https://x.example/a"),
            ("\"https://x.example/q\"", "https://x.example/q"),
            (
                "www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
            (
                "www.google.com/search?q=Markup+(business)))",
                "www.google.com/search?q=Markup+(business)",
            ),
            (
                "(www.google.com/search?q=Markup+(business))",
                "www.google.com/search?q=Markup+(business)",
            ),
            (
                "(www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
            (
                "www.google.com/search?q=(business))+ok",
                "www.google.com/search?q=(business))+ok",
            ),
            (
                "www.google.com/search?q=commonmark&hl=en",
                "www.google.com/search?q=commonmark&hl=en",
            ),
            (
                "www.google.com/search?q=commonmark&hl;",
                "www.google.com/search?q=commonmark",
            ),
            ("www.commonmark.org/he<lp", "www.commonmark.org/he"),
        ] {
            assert_eq!(one(text).0, link, "{text}");
        }
    }

    #[test]
    fn what_is_not_a_link() {
        for text in [
            "www.",
            "wwwx.example.com",
            "xwww.example.com",
            "a.www.example.com",
            "xhttps://example.com",
            "https://",
            "https://.",
            "www.xxx.yyy._zzz",
            "www.xxx._yyy.zzz",
            "hello@mail+xyz.example",
            "a.b-c_d@a.b-",
            "a.b-c_d@a.b_",
            "@example.com",
            "mail@",
            "50% @ x",
        ] {
            assert!(links(text).is_empty(), "{text}: {:?}", links(text));
        }
        assert_eq!(one("www.xxx_yyy.zzz.example").0, "www.xxx_yyy.zzz.example");
        // `www.` is a segment of the domain, as in cmark-gfm.
        assert_eq!(one("www.example").0, "www.example");
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            one("mail jane.doe+sales@acme-corp.example.com now"),
            (
                "jane.doe+sales@acme-corp.example.com",
                "mailto:jane.doe+sales@acme-corp.example.com".into()
            )
        );
        assert_eq!(one("hello+xyz@mail.example").0, "hello+xyz@mail.example");
        assert_eq!(one("a.b-c_d@a.b.").0, "a.b-c_d@a.b");
        assert_eq!(one("(foo@bar.baz)").0, "foo@bar.baz");
        assert_eq!(
            links("https://x.example/@me and me@x.example"),
            [
                ("https://x.example/@me", "https://x.example/@me".to_string()),
                ("me@x.example", "mailto:me@x.example".to_string())
            ]
        );
    }

    #[test]
    fn unicode_never_splits_a_character() {
        for text in [
            "é www.exämple.com/ü?ß. ok",
            "名前@例え.jp",
            "ü@x.example",
            "https://例え.jp/パス。",
            "\u{feff}www.a.b",
            // An `h` with a character across the scheme's length.
            "see a@b.example, hellowoé",
            "href=x>é www.b.example",
            "httpsé://a.example",
        ] {
            let _ = links(text);
        }
        assert_eq!(one("é www.exämple.com/ü.").0, "www.exämple.com/ü");
    }
}

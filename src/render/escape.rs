//! The site's one escaping module: HTML text, quoted attribute values and
//! which link URLs may be written at all.
//!
//! - [`html`] escapes text for element content and quoted attribute values
//!   alike (charts, Markdown's own markup, Tera's autoescape, the sitemap),
//!   and drops characters that neither HTML nor XML may contain.
//! - [`link_url`] decides whether a URL may be an `href`: relative URLs
//!   and the schemes of [`LINK_SCHEMES`] only. The Markdown renderer, the
//!   raw-HTML sanitiser (through [`LINK_SCHEMES`]) and the charts' data
//!   tables all use it.
//! - [`is_web_url`] is the stricter rule for fields that must be an absolute
//!   `http(s)://` address (a call's recording).
//!
//! Pure functions, no dependencies beyond `std`.

/// The URL schemes a link may have; any other scheme (`javascript:`,
/// `data:`, `vbscript:`, `file:`, ...) is never written as a link.
pub const LINK_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Escapes text for HTML and XML (text and attribute values alike), and
/// drops characters that neither may contain (controls, noncharacters).
pub fn html(s: &str) -> String {
    let bytes = s.as_bytes();
    // Most values need nothing: find the first byte that might, with one
    // table lookup per byte, and copy the rest whole.
    let Some(first) = bytes.iter().position(|&b| ESCAPE_CLASS[b as usize] != 0) else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len() + s.len() / 16 + 8);
    let mut run = 0;
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        let (replacement, len): (&str, usize) = match ESCAPE_CLASS[b as usize] {
            0 => {
                i += 1;
                continue;
            }
            1 => match b {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&#39;", 1),
                _ => ("", 1),
            },
            // Lead bytes of the only multi-byte characters that may be
            // forbidden: U+0080..U+009F (0xC2), U+FDD0..U+FFFF (0xEF) and
            // the noncharacters of the other planes (0xF0..=0xF4).
            _ => match s[i..].chars().next() {
                Some(c) if is_forbidden_char(c) => ("", c.len_utf8()),
                Some(c) => {
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            },
        };
        out.push_str(&s[run..i]);
        out.push_str(replacement);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
    out
}

/// Per byte: 0 copied as is, 1 replaced or dropped (`&<>"'` and control
/// characters other than tab and newlines), 2 the lead byte of a character
/// that must be checked whole.
static ESCAPE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 1;
        b += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'\r' as usize] = 0;
    t[0x7F] = 1;
    t[b'&' as usize] = 1;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'"' as usize] = 1;
    t[b'\'' as usize] = 1;
    t[0xC2] = 2;
    t[0xEF] = 2;
    let mut b = 0xF0;
    while b <= 0xF4 {
        t[b] = 2;
        b += 1;
    }
    t
};

/// Characters that HTML reports as errors and XML forbids.
fn is_forbidden_char(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// `url` when it may be a link's target: a relative URL (no scheme: a path,
/// `?query` or `#fragment`) or one whose scheme is in [`LINK_SCHEMES`],
/// compared case-insensitively. `None` for every other scheme.
///
/// A colon before the first `/`, `?` or `#` makes the text before it a
/// scheme, as browsers read it; leading whitespace is ignored and any
/// other character inside the scheme (a tab in `java\tscript:`, a control
/// character) makes it an unknown scheme, so it is refused.
pub fn link_url(url: &str) -> Option<&str> {
    let start = url.trim_start();
    let scheme = match (start.find(':'), start.find(['/', '?', '#'])) {
        (Some(c), Some(s)) if c < s => &start[..c],
        (Some(c), None) => &start[..c],
        _ => return Some(url),
    };
    LINK_SCHEMES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
        .then_some(url)
}

/// Whether `url` is an absolute web address: `http://` or `https://`.
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_handles_every_special_character() {
        assert_eq!(
            html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(html("a\u{0}b\u{7}c\u{85}d\u{FFFF}e\tf"), "abcde\tf");
        assert_eq!(html("Zoë — 東京"), "Zoë — 東京");
        assert_eq!(html(""), "");
    }

    #[test]
    fn html_matches_a_char_by_char_reference() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c if is_forbidden_char(c) => {}
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet: Vec<char> = "aZ09 &<>\"'\t\n\r\u{0}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}\u{BF}é\u{FDCF}\u{FDD0}\u{FDEF}\u{FDF0}\u{FFFD}\u{FFFE}\u{FFFF}\u{1FFFE}\u{10FFFF}\u{1F600}東"
            .chars()
            .collect();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..5000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            assert_eq!(html(&s), reference(&s), "{s:?}");
        }
        // Every code point once, in one string.
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        assert_eq!(html(&all), reference(&all));
    }

    #[test]
    fn link_url_keeps_relative_urls_and_the_listed_schemes() {
        for ok in [
            "/deals/acme/",
            "../x",
            "notes/a:b",
            "?q=1:2",
            "#fn:1",
            "",
            "https://x.example/a",
            "HTTP://x.example",
            "mailto:ada@x.example",
            "tel:+1555",
            "  https://x.example",
        ] {
            assert_eq!(link_url(ok), Some(ok), "{ok:?}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:x",
            "data:text/html,<b>",
            "file:///etc/passwd",
            "javascript://alert(1)",
            "a:b/c",
        ] {
            assert_eq!(link_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn web_urls_are_absolute_http() {
        assert!(is_web_url("https://rec.example/1"));
        assert!(is_web_url("http://rec.example/1"));
        for bad in ["/x", "ftp://x", "javascript:alert(1)", "mailto:a@b", ""] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }
}

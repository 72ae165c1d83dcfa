//! The CommonMark and GFM spec examples a handbook author would use
//! (`tests/commonmark_spec/gfm-examples.txt`, CC BY-SA 4.0), rendered in
//! both modes and compared with the spec's HTML as a browser reads it.
//!
//! Not differences: heading ids and the `rel` ammonia adds to links (our
//! attributes, dropped before comparing), and, without `unsafe_html`, what
//! the sanitiser removes (the spec's HTML is sanitised too). Deliberate
//! differences are in `tests/commonmark_spec/deviations.txt`: per example
//! and mode, coachbook's normalised output and one of [`REASONS`]; each
//! must still differ from the spec, so a stale entry fails too.

use scraper::node::Node;
use scraper::{ElementRef, Html};
use std::collections::BTreeMap;

const EXAMPLES: &str = include_str!("../../../tests/commonmark_spec/gfm-examples.txt");
const DEVIATIONS: &str = include_str!("../../../tests/commonmark_spec/deviations.txt");

/// Why coachbook differs from the spec (docs/markdown.md explains each).
const REASONS: &[&str] = &[
    "tag-as-text",
    "self-closing-tag",
    "never-ending-html-block",
    "scheme-filter",
    "autolinks-everywhere",
    "no-ftp-autolink",
    "wikilinks",
    "table-alignment-style",
    "empty-tbody",
    "commonmark-0.31-comments",
    "footnote-ids",
];

struct Example {
    name: String,
    markdown: String,
    html: String,
}

/// The examples of the extract, by their spec number.
fn examples() -> Vec<Example> {
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut name = String::new();
    let mut lines = EXAMPLES.lines();
    while let Some(line) = lines.next() {
        if let Some(n) = line.strip_prefix("Example ") {
            name = n.to_string();
        } else if line.starts_with(&format!("{fence} example")) {
            let mut markdown = String::new();
            for l in lines.by_ref().take_while(|l| *l != ".") {
                markdown.push_str(l);
                markdown.push('\n');
            }
            let mut html = String::new();
            for l in lines.by_ref().take_while(|l| *l != fence) {
                html.push_str(l);
                html.push('\n');
            }
            out.push(Example {
                name: name.clone(),
                markdown: markdown.replace('→', "\t"),
                html: html.replace('→', "\t"),
            });
        }
    }
    out
}

/// `(example, mode)` -> (reason, coachbook's normalised HTML).
fn deviations() -> BTreeMap<(String, &'static str), (String, String)> {
    let mut out = BTreeMap::new();
    let mut lines = DEVIATIONS.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("Example ") else {
            continue;
        };
        let (n, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let (modes, reason) = rest.split_once(": ").unwrap_or((rest, ""));
        let html = lines.next().unwrap_or("").replace("\\n", "\n");
        for mode in ["safe", "unsafe"] {
            if modes.split('+').any(|m| m == mode) {
                out.insert((n.to_string(), mode), (reason.to_string(), html.clone()));
            }
        }
    }
    out
}

fn ours(markdown: &str, unsafe_html: bool) -> String {
    let links = crate::content::wikilinks::body_links(markdown, 1);
    super::render(
        markdown,
        &links,
        |l| super::LinkTarget {
            href: Some(format!("/x/{}/", l.target)),
            title: l.target.clone(),
        },
        super::RawHtml::for_note(false, unsafe_html),
    )
}

/// Our attributes, not differences: heading ids, and the `rel` the
/// sanitiser puts on links.
fn ours_only(element: &str, attribute: &str) -> bool {
    (attribute == "id" && matches!(element, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        || (element == "a" && attribute == "rel")
}

/// One line per difference, for `deviations.txt` (the HTML with its
/// newlines as `\\n`).
fn one_line(html: &str) -> String {
    html.replace('\n', "\\n")
}

#[test]
fn spec_examples_render_as_the_spec_says_but_for_the_listed_differences() {
    let examples = examples();
    assert!(examples.len() > 250, "{}", examples.len());
    let mut known = deviations();
    for ((n, _), (reason, _)) in &known {
        assert!(
            REASONS.contains(&reason.as_str()),
            "example {n}: unknown reason {reason:?}"
        );
    }
    let mut failures = Vec::new();
    for e in &examples {
        for (mode, unsafe_html) in [("safe", false), ("unsafe", true)] {
            let spec = if unsafe_html {
                e.html.clone()
            } else {
                super::clean_html(&e.html)
            };
            let spec = normalize(&spec, &ours_only);
            let got = normalize(&ours(&e.markdown, unsafe_html), &ours_only);
            match known.remove(&(e.name.clone(), mode)) {
                Some((reason, want)) => {
                    if got == spec {
                        failures.push(format!(
                            "Example {} {mode}: listed as a deviation ({reason}) but renders as the spec says",
                            e.name
                        ));
                    } else if got != want {
                        failures.push(format!(
                            "Example {} {mode}: {reason}\n{:?}\nspec {}\nwant {}\ngot  {}",
                            e.name,
                            e.markdown,
                            one_line(&spec),
                            one_line(&want),
                            one_line(&got)
                        ));
                    }
                }
                None if got != spec => failures.push(format!(
                    "Example {} {mode}: differs from the spec\n{:?}\nspec {}\ngot  {}",
                    e.name,
                    e.markdown,
                    one_line(&spec),
                    one_line(&got)
                )),
                None => {}
            }
        }
    }
    for (n, mode) in known.keys() {
        failures.push(format!(
            "Example {n} {mode}: listed in deviations.txt, not in the extract"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_normaliser_reads_html_as_a_browser_does() {
    let n = |h: &str| normalize(h, &ours_only);
    assert_eq!(
        n("<p>a  b\n</p>\n<h2 id=x class=\"y\" >T</h2>"),
        "<p>a b</p><h2 class=\"y\">T</h2>"
    );
    assert_eq!(
        n("<pre><code>a  b\n</code></pre>"),
        "<pre><code>a  b\n</code></pre>"
    );
    assert_eq!(
        n("<a title='t' href=\"u\">x</a>"),
        "<a href=\"u\" title=\"t\">x</a>"
    );
    assert_eq!(n("<li>x<li>y"), "<li>x</li><li>y</li>");
}

const BLOCK: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "meta",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "section",
    "source",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// `html` normalised. `drop_attr(element, attribute)` says which
/// attributes to leave out.
fn normalize(html: &str, drop_attr: &dyn Fn(&str, &str) -> bool) -> String {
    let doc = Html::parse_fragment(html);
    let mut out = String::new();
    children(doc.root_element(), &mut out, false, drop_attr);
    squeeze(&out)
}

fn children(
    parent: ElementRef<'_>,
    out: &mut String,
    in_pre: bool,
    drop_attr: &dyn Fn(&str, &str) -> bool,
) {
    for node in parent.children() {
        match node.value() {
            Node::Text(t) => {
                let t = t
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                if in_pre {
                    out.push_str(&t.replace(' ', "\u{1}").replace('\n', "\u{2}"));
                } else {
                    out.push_str(&t);
                }
            }
            Node::Comment(c) => {
                out.push_str("<!--");
                out.push_str(c);
                out.push_str("-->");
            }
            Node::Element(_) => {
                if let Some(e) = ElementRef::wrap(node) {
                    element(e, out, in_pre, drop_attr);
                }
            }
            _ => {}
        }
    }
}

fn element(
    e: ElementRef<'_>,
    out: &mut String,
    in_pre: bool,
    drop_attr: &dyn Fn(&str, &str) -> bool,
) {
    let name = e.value().name();
    let mut attrs: Vec<(String, String)> = e
        .value()
        .attrs()
        .filter(|(k, _)| !drop_attr(name, k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    attrs.sort();
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(&k);
        out.push_str("=\"");
        out.push_str(&v.replace('&', "&amp;").replace('"', "&quot;"));
        out.push('"');
    }
    out.push('>');
    children(e, out, in_pre || name == "pre", drop_attr);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Whitespace runs as one space, none next to a block-level tag.
fn squeeze(s: &str) -> String {
    let mut collapsed = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            collapsed.push(' ');
            space = false;
        }
        collapsed.push(c);
    }
    let is_block_tag = |tag: &str| {
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        BLOCK.contains(&name.as_str())
    };
    // Drop a space whose neighbour is a block tag.
    let mut out = String::with_capacity(collapsed.len());
    let parts: Vec<&str> = collapsed.split(' ').collect();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let prev = parts[i - 1];
            let prev_tag = prev
                .rfind('<')
                .map(|k| &prev[k..])
                .filter(|t| t.ends_with('>'));
            let next_tag = part.starts_with('<').then(|| {
                let end = part.find('>').map_or(part.len(), |k| k + 1);
                &part[..end]
            });
            let block = prev_tag.is_some_and(is_block_tag) || next_tag.is_some_and(is_block_tag);
            if !block {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out.replace('\u{1}', " ").replace('\u{2}', "\n")
}

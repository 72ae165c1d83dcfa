//! Unit tests of `markdown`.

use super::*;
use crate::content::wikilinks::body_links;

fn r(body: &str) -> String {
    let links = body_links(body, 1);
    render(
        body,
        &links,
        |l| LinkTarget {
            href: (l.target != "missing").then(|| format!("/deals/{}/", l.target)),
            title: l.target.clone(),
        },
        RawHtml::Sanitise,
    )
}

#[test]
fn wikilinks_resolve_or_show_broken() {
    let h = r("See [[globex]] and [[missing|the one]].");
    assert!(
        h.contains("<a class=\"wikilink\" href=\"/deals/globex/\" title=\"globex\">globex</a>"),
        "{h}"
    );
    assert!(
        h.contains("<a class=\"broken-link\" title=\"missing\">the one</a>"),
        "{h}"
    );
}

#[test]
fn headings_get_ids() {
    let h = r("## What happened?\n\n## What happened?\n");
    assert!(
        h.contains("<h2 id=\"what-happened\">What happened?</h2>"),
        "{h}"
    );
    assert!(h.contains("<h2 id=\"what-happened-1\">"), "{h}");
}

#[test]
fn scripts_and_js_urls_are_removed() {
    let h = r("<script>alert(1)</script><img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))");
    assert!(!h.contains("<script"), "{h}");
    assert!(!h.contains("onerror"), "{h}");
    assert!(!h.contains("javascript:"), "{h}");
    let h = r(
        "[x](JavaScript:alert(3)) ![i](data:text/html,hi) [ok](https://a.example/x) [rel](../y)",
    );
    assert!(!h.to_lowercase().contains("javascript:"), "{h}");
    assert!(!h.contains("data:"), "{h}");
    assert!(
        h.contains("https://a.example/x") && h.contains("../y"),
        "{h}"
    );
}

#[test]
fn html_too_deep_to_sanitise_is_shown_as_text() {
    let t = |_: &WikiLink| LinkTarget {
        href: None,
        title: String::new(),
    };
    // Balanced, so every tag would be kept as HTML.
    let body = format!(
        "Intro *a* [[x]]\n\n{}x<b>y</b><script>alert(1)</script>{}\n",
        "<div>".repeat(300),
        "</div>".repeat(300)
    );
    let links = body_links(&body, 1);
    let h = render(&body, &links, t, RawHtml::AsText);
    assert!(
        h.contains("&lt;div&gt;&lt;div&gt;") && h.contains("&lt;/div&gt;&lt;/div&gt;"),
        "{h}"
    );
    for tag in ["<div", "<b>", "<script"] {
        assert!(!h.contains(tag), "{tag}: {h}");
    }
    // The Markdown is still Markdown, and links still links.
    assert!(
        h.contains("<em>a</em>") && h.contains("class=\"broken-link\""),
        "{h}"
    );
    // Unflagged, the renderer still refuses to sanitise it; with
    // unsafe_html it is passed through (no sanitiser to slow down).
    assert_eq!(render(&body, &links, t, RawHtml::Sanitise), h);
    assert!(render(&body, &links, t, RawHtml::Keep).contains(&"<div>".repeat(300)));
    // Never closed, the tags are text anyway (see `raw_html`).
    let open = format!("{}x\n", "<div>".repeat(300));
    assert_eq!(
        render(&open, &[], t, RawHtml::Sanitise),
        render(&open, &[], t, RawHtml::AsText)
    );
}

#[test]
fn tables_and_details_survive_sanitising() {
    let h =
        r("<details><summary>More</summary>Hidden</details>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(h.contains("<details>") && h.contains("<table>"), "{h}");
}

#[test]
fn styles_keep_only_the_column_alignment() {
    let allowed = [
        "text-align: left",
        "text-align: center",
        "text-align: right",
    ];
    let hostile = [
        "position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;background:white",
        "background:url(http://evil.example/p.png)",
        "BACKGROUND:URL(http://evil.example/p.png)",
        "background:\\75rl(http://evil.example/p.png)",
        "background:u\\rl(http://evil.example/p.png)",
        "background:u/**/rl(http://evil.example/p.png)",
        "width:expression(alert(1))",
        "text-align:left;position:fixed",
        "text-align: left; background: url(http://evil.example/)",
        "text-align:/**/left",
        "text-align:\\6c eft",
        "TEXT-ALIGN: LEFT; Z-INDEX: 99999",
        "&#112;osition:fixed",
        "position&#58;fixed",
        "text-align:left\\;position:fixed",
    ];
    for style in hostile {
        let attr = style.replace('"', "&quot;");
        let body = format!(
                "<table><tr><td style=\"{attr}\">Fake</td><th STYLE=\"{attr}\">h</th></tr></table>\n\n\
                 <p style=\"{attr}\">p</p> <span style=\"{attr}\">s</span> <div style=\"{attr}\">d</div>\n"
            );
        let h = r(&body);
        let doc = scraper::Html::parse_fragment(&h);
        let styled = scraper::Selector::parse("[style]").unwrap();
        for e in doc.select(&styled) {
            let got = e.value().attr("style").unwrap_or_default();
            assert!(allowed.contains(&got), "{style} kept as {got:?} in {h}");
        }
        let lower = h.to_ascii_lowercase();
        for bad in ["url(", "position", "z-index", "expression", "\\"] {
            assert!(!lower.contains(bad), "{style}: {h}");
        }
    }
    // The alignment pulldown-cmark writes survives, with raw HTML in
    // the note (sanitised) and without.
    for extra in ["", "\n\n<b>raw</b>\n"] {
        let h = r(&format!(
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n{extra}"
        ));
        for a in allowed {
            assert!(h.contains(&format!("<td style=\"{a}\">")), "{h}");
        }
    }
    let h = r("<table><tr><td style=\"TEXT-ALIGN:Right;\">x</td></tr></table>");
    assert!(h.contains("<td style=\"text-align: right\">x</td>"), "{h}");
}

fn render_with(body: &str, unsafe_html: bool) -> String {
    let links = body_links(body, 1);
    render(
        body,
        &links,
        |l| LinkTarget {
            href: Some(format!("/x/{}/", l.target)),
            title: l.target.clone(),
        },
        RawHtml::for_note(false, unsafe_html),
    )
}

fn doc(h: &str) -> scraper::Html {
    scraper::Html::parse_fragment(h)
}

fn count(h: &str, css: &str) -> usize {
    let sel = scraper::Selector::parse(css).unwrap();
    doc(h).select(&sel).count()
}

fn text_of(h: &str, css: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(css).unwrap();
    doc(h)
        .select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn codes(body: &str, unsafe_html: bool) -> Vec<(&'static str, usize)> {
    crate::content::wikilinks::html_diagnostics("n.md", body, 1, unsafe_html)
        .into_iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect()
}

const EMAIL: &str = "Hi <first name>, I noticed <Company> is hiring. Put the <title> of the role here.\n\nAfter **bold**.\n";

#[test]
fn placeholders_are_text_and_the_page_goes_on() {
    for unsafe_html in [false, true] {
        let h = render_with(EMAIL, unsafe_html);
        assert_eq!(
            text_of(&h, "p"),
            [
                "Hi <first name>, I noticed <Company> is hiring. Put the <title> of the role here.",
                "After bold."
            ],
            "{h}"
        );
        assert!(h.contains("&lt;first name&gt;"), "{h}");
        assert_eq!(count(&h, "title, first, company"), 0, "{h}");
        assert_eq!(count(&h, "p strong"), 1, "{h}");
    }
    assert_eq!(
        codes(EMAIL, false),
        [
            ("unknown-html-tag", 1),
            ("unknown-html-tag", 1),
            ("unknown-html-tag", 1)
        ]
    );
    // In code, or escaped, a placeholder is text already: no warning.
    let quiet = "Hi `<first name>`, at \\<Company>.\n\n```\n<title>\n```\n";
    assert!(codes(quiet, false).is_empty());
    let h = render_with(quiet, false);
    assert!(
        h.contains("<code>&lt;first name&gt;</code>") && h.contains("at &lt;Company&gt;."),
        "{h}"
    );
}

#[test]
fn raw_text_elements_never_take_over_the_page() {
    let after = "\n\nAfter **bold** [[x]].\n";
    for name in raw_html::RAW_TEXT {
        for body in [
            format!("Put the <{name}> here.{after}"),
            format!("Put the <{name}>x</{name}> here.{after}"),
            format!("<{name}>\nall of it\n{after}"),
            format!("<{name}>x</{name}>{after}"),
            format!("> <{name}>\n{after}"),
            format!("- <{name} a=\"b\">x{after}"),
        ] {
            for unsafe_html in [false, true] {
                let h = render_with(&body, unsafe_html);
                assert_eq!(
                    count(&h, "p strong"),
                    1,
                    "{name} {unsafe_html}: {body:?} -> {h}"
                );
                assert_eq!(count(&h, "a.wikilink"), 1, "{body:?} -> {h}");
                let closed = body.contains(&format!("</{name}>"));
                if unsafe_html && closed && *name != "plaintext" {
                    // Trusted authors' closed elements pass.
                    continue;
                }
                assert_eq!(count(&h, name), 0, "{name} {unsafe_html}: {body:?} -> {h}");
                assert!(h.contains(&format!("&lt;{name}")), "{body:?} -> {h}");
                assert!(!codes(&body, unsafe_html).is_empty(), "{body:?}");
            }
        }
    }
}

#[test]
fn scripts_and_styles_are_shown_never_run() {
    let body = "<script>alert(1)</script>\n\n<style>body { display: none }</style>\n\nSee <script>x()</script>.\n";
    let h = render_with(body, false);
    assert_eq!(count(&h, "script, style"), 0, "{h}");
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
    assert!(
        h.contains("&lt;style&gt;body { display: none }&lt;/style&gt;"),
        "{h}"
    );
    let d = crate::content::wikilinks::html_diagnostics("n.md", body, 4, false);
    let got: Vec<_> = d
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown-html-tag", 4, 1),
            ("unknown-html-tag", 6, 1),
            ("unknown-html-tag", 8, 5)
        ]
    );
    assert!(
        d[0].help.as_deref().unwrap_or("").contains("never run"),
        "{d:?}"
    );
    // With unsafe_html, a trusted author's closed script is kept.
    let h = render_with(body, true);
    assert!(
        h.contains("<script>alert(1)</script>") && h.contains("<script>x()</script>"),
        "{h}"
    );
    assert!(codes(body, true).is_empty());
}

#[test]
fn allowed_tags_still_work() {
    let body = "Press <kbd>Ctrl</kbd>+<kbd>K</kbd>, line<br>break, H<sub>2</sub>O, <b>bold</b> <span class=\"x\">s</span><img src=\"a.png\" alt=\"a\"/>.\n\n<details>\n<summary>More</summary>\n\n- hidden *list*\n\n</details>\n\n<div>\n<p>para\n<ul><li>a<li>b</ul>\n<table><tr><td>1<td>2<tr><td>3</table>\n</div>\n";
    for unsafe_html in [false, true] {
        let h = render_with(body, unsafe_html);
        for (css, n) in [
            ("kbd", 2),
            ("br", 1),
            ("sub", 1),
            ("b", 1),
            ("span.x", 1),
            ("img", 1),
            ("details > summary", 1),
            ("details li em", 1),
            ("div li", 2),
            ("div td", 3),
        ] {
            assert_eq!(count(&h, css), n, "{css} {unsafe_html}: {h}");
        }
        assert!(!h.contains("&lt;"), "{h}");
        assert!(
            codes(body, unsafe_html).is_empty(),
            "{:?}",
            codes(body, unsafe_html)
        );
    }
}

#[test]
fn a_tag_must_close_in_its_block() {
    // Left open, `<b>` would make every later paragraph bold.
    let h = render_with("Start <b>bold\n\nnext\n\n- <em>one\n- two</em>\n", false);
    assert_eq!(count(&h, "b, em"), 0, "{h}");
    assert!(
        h.contains("&lt;b&gt;bold") && h.contains("two&lt;/em&gt;"),
        "{h}"
    );
    assert_eq!(
        codes("Start <b>bold\n\nnext\n\n- <em>one\n- two</em>\n", false),
        [
            ("unclosed-html-tag", 1),
            ("unclosed-html-tag", 5),
            ("unclosed-html-tag", 6)
        ]
    );
    // An end tag that closes nothing of its block is text: it cannot
    // close the page's own elements.
    let body = "</section></main>\n\n> <div>\n\n</div>\n";
    for unsafe_html in [false, true] {
        let h = render_with(body, unsafe_html);
        assert_eq!(count(&h, "div"), 0, "{h}");
        assert!(
            h.contains("&lt;/section&gt;&lt;/main&gt;") && h.contains("&lt;/div&gt;"),
            "{h}"
        );
    }
    // `<span/>` leaves nothing open.
    let h = render_with("a <span/> b *c*\n", false);
    assert!(h.contains("<span></span> b <em>c</em>"), "{h}");
}

#[test]
fn unsafe_html_lets_elements_through_but_not_placeholders() {
    let body = "<video src=\"v.mp4\" controls></video>\n\n<svg viewBox=\"0 0 2 2\"><circle cx=\"1\" cy=\"1\" r=\"1\"/><title>dot</title></svg>\n\nDear <first name>, <Company>.\n\n<base href=\"https://evil.example/\">\n";
    let h = render_with(body, true);
    assert_eq!(count(&h, "video"), 1, "{h}");
    assert_eq!(count(&h, "svg circle"), 1, "{h}");
    assert_eq!(count(&h, "base, first, company"), 0, "{h}");
    assert!(
        h.contains("Dear &lt;first name&gt;, &lt;Company&gt;."),
        "{h}"
    );
    assert_eq!(codes(body, true).len(), 3, "{:?}", codes(body, true));
    // Without it, the same elements are text.
    let h = render_with(body, false);
    assert_eq!(count(&h, "video, svg, circle, base"), 0, "{h}");
    assert!(h.contains("&lt;video"), "{h}");
}

#[test]
fn an_html_block_that_never_ends_does_not_swallow_the_note() {
    for opener in [
        "<script>",
        "<STYLE media=x>",
        "<textarea>",
        "<pre>",
        "<!-- draft",
        "<?php",
        "<!DOCTYPE x",
        "<![CDATA[",
    ] {
        for prefix in ["", "> "] {
            let body = format!(
                "Intro.\n\n{prefix}{opener}\n{prefix}raw *line*\n\nAfter **bold** [[x]].\n"
            );
            assert_eq!(body_links(&body, 1).len(), 1, "{body:?}");
            for unsafe_html in [false, true] {
                let h = render_with(&body, unsafe_html);
                assert_eq!(count(&h, "p strong"), 1, "{body:?} -> {h}");
                assert_eq!(count(&h, "p em"), 1, "{body:?} -> {h}");
                assert_eq!(count(&h, "a.wikilink[href='/x/x/']"), 1, "{body:?} -> {h}");
                assert!(
                    h.contains(&format!("&lt;{}", opener[1..].trim_end_matches('>'))),
                    "{body:?} -> {h}"
                );
                let d = crate::content::wikilinks::html_diagnostics("n.md", &body, 10, unsafe_html);
                assert_eq!(d.len(), 1, "{body:?}: {d:?}");
                assert_eq!(
                    (d[0].code.as_str(), d[0].line, d[0].column),
                    ("unclosed-html-tag", 12, 1 + prefix.len())
                );
            }
        }
    }
    // Closed, they are what they were.
    let h = render_with("<pre>\n*a*\n</pre>\n\n<!-- hidden -->\n\ntext\n", false);
    assert_eq!(count(&h, "pre"), 1, "{h}");
    assert!(!h.contains("hidden") && !h.contains("<em>"), "{h}");
}

#[test]
fn no_mix_of_markup_panics_or_leaves_a_raw_text_element() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "<b>",
        "</b>",
        "<div>",
        "</div>",
        "<title>",
        "</title>",
        "<script>",
        "</script>",
        "<pre>",
        "<!--",
        "-->",
        "<?",
        "?>",
        "<![CDATA[",
        "]]>",
        "<svg>",
        "</svg>",
        "<p/>",
        "<first name>",
        "\n",
        "\n\n",
        "> ",
        "- ",
        "    ",
        "`",
        "```\n",
        "[[x]]",
        "%%",
        "[^1]",
        "[^1]: n\n",
        "https://a.example/(x)",
        "www.b.example",
        "c@d.example",
        "é",
        "名",
        "\\",
        "&amp;",
        "&",
        "\"",
        "'",
        "=",
        "a",
        " ",
        "| a |\n|---|\n",
        "*",
        "_",
        "[!note]",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let mut body = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 24) as usize;
        let mut s = seed;
        for _ in 0..n {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(PIECES[(s >> 33) as usize % PIECES.len()]);
        }
        for unsafe_html in [false, true] {
            let h = render_with(&body, unsafe_html);
            let _ = crate::content::wikilinks::html_diagnostics("n.md", &body, 1, unsafe_html);
            if !unsafe_html {
                assert_eq!(
                    count(&h, "title, script, plaintext, svg, first"),
                    0,
                    "{body:?} -> {h}"
                );
            }
        }
        let _ = crate::render::search::body_text(&body);
    }
}

#[test]
fn bare_urls_and_addresses_become_links() {
    let body = "Book at https://cal.example.com/jane?src=mail&x=1, or www.example.org/help.\n\nMail jane.doe+sales@acme.example (or call).\n\n`https://code.example` and [a link https://inner.example](https://outer.example) and <a href=\"https://raw.example\">https://raw.example/page</a>\n\n```\nhttps://block.example\n```\n\n![img https://alt.example](i.png) <https://angle.example> [[x]]\n";
    for unsafe_html in [false, true] {
        let h = render_with(body, unsafe_html);
        let hrefs: Vec<String> = {
            let sel = scraper::Selector::parse("a").unwrap();
            doc(&h)
                .select(&sel)
                .map(|a| a.value().attr("href").unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(
            hrefs,
            [
                "https://cal.example.com/jane?src=mail&x=1",
                "http://www.example.org/help",
                "mailto:jane.doe+sales@acme.example",
                "https://outer.example",
                "https://raw.example",
                "https://angle.example",
                "/x/x/",
            ],
            "{h}"
        );
        assert_eq!(count(&h, "a a"), 0, "{h}");
        assert_eq!(
            text_of(&h, "p")[0],
            "Book at https://cal.example.com/jane?src=mail&x=1, or www.example.org/help."
        );
    }
    // The scheme filter sees them like any link.
    let h = render_with(
        "Go https://ok.example/x and javascript://alert(1).\n",
        false,
    );
    assert_eq!(count(&h, "a"), 1, "{h}");
}

#[test]
fn footnotes_have_back_links_and_ids_apart_from_headings() {
    let body = "## Summary\n\nWe won[^win] on value[^1], as planned[^win].\n\n## 1\n\n## fn 1\n\n## fnref 1\n\n## fnref 1\n\n[^1]: The *pilot*, see [[x]].\n[^win]: Signed in Q3.\n\n        signed = true\n\n[^unused]: Never referred to.\n";
    for extra in ["", "\n<b>raw</b>\n"] {
        let h = render_with(&format!("{body}{extra}"), false);
        let d = doc(&h);
        let ids: Vec<String> = {
            let sel = scraper::Selector::parse("[id]").unwrap();
            d.select(&sel)
                .map(|e| e.value().attr("id").unwrap_or("").to_string())
                .collect()
        };
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate id: {ids:?}\n{h}");
        assert_eq!(
            ids,
            [
                "summary",
                "fnref-1",
                "fnref-2",
                "fnref-1-2",
                "1",
                "fn-1-1",
                "fnref-1-1",
                "fnref-1-3",
                "fn-1",
                "fn-2"
            ],
            "{h}"
        );
        // Every link to a fragment has its target on the page.
        let sel = scraper::Selector::parse("a[href^='#']").unwrap();
        for a in d.select(&sel) {
            let target = a.value().attr("href").unwrap_or("#")[1..].to_string();
            assert!(unique.contains(&target), "{target}: {h}");
        }
        assert_eq!(text_of(&h, "sup.footnote-ref a"), ["1", "2", "1"], "{h}");
        assert_eq!(count(&h, "section.footnotes > ol > li"), 2, "{h}");
        assert!(!h.contains("Never referred to"), "{h}");
        let back = text_of(&h, "li#fn-1 a.footnote-backref");
        assert_eq!(back, ["↩", "↩2"], "{h}");
        assert_eq!(count(&h, "li#fn-1 > pre ~ a.footnote-backref"), 2, "{h}");
        assert_eq!(count(&h, "li#fn-2 > p > a.footnote-backref"), 1, "{h}");
        assert_eq!(count(&h, "li#fn-2 a.wikilink"), 1, "{h}");
    }
}

#[test]
fn callouts_obsidian_and_github() {
    let body = "> [!note] Before the *call*, read [[x]]\n> Body [[y]] text.\n>\n> - a list\n\n> [!WARNING]-\n> Folded.\n\n> [!faq]+ Open **question**\n> > [!tip]\n> > Nested.\n\n> [!NOTE]\n\n> Plain quote with [!note] inside.\n\n- > [!todo] In a list\n";
    for extra in ["", "\n<b>raw</b>\n"] {
        let h = render_with(&format!("{body}{extra}"), false);
        assert_eq!(count(&h, "aside.callout.callout-note"), 2, "{h}");
        assert_eq!(
            text_of(&h, ".callout-title"),
            [
                "Before the call, read x",
                "Warning",
                "Open question",
                "Tip",
                "Note",
                "In a list"
            ],
            "{h}"
        );
        assert_eq!(
            count(&h, "aside.callout-note > p.callout-title > em"),
            1,
            "{h}"
        );
        assert_eq!(
            count(&h, "aside.callout-note > p.callout-title + p a.wikilink"),
            1,
            "{h}"
        );
        assert_eq!(count(&h, "aside.callout-note > ul > li"), 1, "{h}");
        assert_eq!(
            count(
                &h,
                "details.callout-warning:not([open]) > summary.callout-title"
            ),
            1,
            "{h}"
        );
        assert_eq!(
            count(&h, "details.callout-question[open] > summary > strong"),
            1,
            "{h}"
        );
        assert_eq!(
            count(&h, "details.callout-question aside.callout-tip > p"),
            2,
            "{h}"
        );
        assert_eq!(count(&h, "li > aside.callout-todo"), 1, "{h}");
        assert_eq!(
            text_of(&h, "blockquote"),
            ["\nPlain quote with [!note] inside.\n"],
            "{h}"
        );
        // Links keep their order: each label shows its own target.
        let sel = scraper::Selector::parse("a.wikilink").unwrap();
        let hrefs: Vec<_> = doc(&h)
            .select(&sel)
            .map(|a| a.value().attr("href").unwrap_or("").to_string())
            .collect();
        assert_eq!(hrefs, ["/x/x/", "/x/y/"], "{h}");
    }
}

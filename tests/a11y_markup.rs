//! The markup the accessibility checks of the browser test rely on
//! (`tests/browser/a11y.js` runs axe-core on it in Chromium; these checks
//! run without a browser): the skip link first, the current page marked in
//! the navigation, named search landmarks, focusable named table regions,
//! labelled cells for the phone cards, and the print header's CSS string,
//! which a hostile site title cannot end.

mod common;
use common::*;

#[test]
fn skip_link_current_page_and_named_landmarks() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let public = dir.path();
    for (page, current) in [
        ("index.html", "Dashboard"),
        ("deals/index.html", "Deals"),
        ("forecast/index.html", "Forecast"),
        ("notes/index.html", "All notes"),
        ("metrics/index.html", "Definitions"),
    ] {
        let doc = html(public, page);
        // The first link of the page skips to the content.
        let first = select(&doc, "body a").into_iter().next().unwrap();
        assert_eq!(first.value().attr("href"), Some("#content"), "{page}");
        assert_eq!(first.text().collect::<String>(), "Skip to content");
        assert_eq!(select(&doc, "main#content").len(), 1, "{page}");
        assert_eq!(
            texts(&doc, r#".site-nav a[aria-current="page"]"#),
            [current],
            "{page}"
        );
        assert_eq!(
            select(&doc, r#"form[role="search"][aria-label="Site search"]"#).len(),
            1,
            "{page}"
        );
        // Every table of the templates scrolls in a focusable, named region
        // (the charts' data tables are src/render/charts.rs's).
        for wrap in select(&doc, ".table-wrap:not(.chart-data .table-wrap)") {
            let a = wrap.value();
            assert_eq!(a.attr("tabindex"), Some("0"), "{page}: {}", wrap.html());
            assert_eq!(a.attr("role"), Some("region"), "{page}");
            assert!(
                a.attr("aria-label").is_some_and(|l| !l.is_empty()),
                "{page}"
            );
        }
    }
    // A note's page is none of the navigation's: no link is marked, and
    // the navigation is the same as on the dashboard but for the mark.
    let note = read(public, "deals/d1/index.html");
    let nav = |page: &str| {
        page.split("<nav class=\"site-nav\"")
            .nth(1)
            .and_then(|s| s.split("</nav>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(!nav(&note).contains("aria-current"), "{}", nav(&note));
    let home = read(public, "index.html");
    assert_eq!(nav(&home).replace(" aria-current=\"page\"", ""), nav(&note));
    let search = html(public, "search/index.html");
    assert_eq!(
        select(
            &search,
            r#"form[role="search"][aria-label="Search every note"]"#
        )
        .len(),
        1
    );
    // The deal board's cells carry their column's name for the phone cards.
    let board = html(public, "deals/index.html");
    assert!(!select(&board, r#"#board td[data-label="Next step"]"#).is_empty());
}

#[test]
fn print_header_keeps_a_hostile_title_inside_its_css_string() {
    let site = copy_site("valid");
    let config = site.path().join("coachbook.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let hostile =
        r#"title = 'A\" } body { background: url(x) } </style><script>alert(1)</script> "'"#;
    let text = text
        .lines()
        .map(|l| if l.starts_with("title") { hostile } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&config, text).unwrap();
    let (dir, code, stderr) = build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "index.html");
    let style = page
        .split(r#"<style media="print">"#)
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap();
    assert!(!style.contains('<'), "{style}");
    // Inside the CSS string: no raw quote and no raw backslash before one.
    let inner = style.split(r#"@top-left { content: ""#).nth(1).unwrap();
    let inner = inner.split(r#""; }"#).next().unwrap();
    assert!(!inner.contains('"'), "{inner}");
    assert!(inner.contains(r"\5C \22 "), "{inner}");
    assert!(!page.contains("<script>alert(1)"), "{page}");
}

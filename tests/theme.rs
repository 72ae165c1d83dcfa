//! Site overrides of the theme, static files, and escaping of user text.

mod common;
use common::*;

#[test]
fn site_templates_static_files_and_questions_override_the_theme() {
    let site = copy_site("valid");
    let p = site.path();
    std::fs::create_dir_all(p.join("templates")).unwrap();
    std::fs::write(
        p.join("templates/page.html"),
        "<!DOCTYPE html><title>{{ page.title }}</title><p id=custom>{{ page.title }}</p>",
    )
    .unwrap();
    std::fs::create_dir_all(p.join("static/img")).unwrap();
    std::fs::write(p.join("static/img/logo.svg"), "<svg/>").unwrap();
    std::fs::create_dir_all(p.join("data")).unwrap();
    std::fs::write(
        p.join("data/questions.toml"),
        "[meddpicc]\neconomic_buyer = \"Have you met the person who signs?\"\n",
    )
    .unwrap();
    let out = p.join("public");
    let (code, stderr, _) = run(&["build", p.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(out.join("pages/discovery/index.html")).unwrap();
    assert!(page.contains("<p id=custom>Discovery Guide</p>"), "{page}");
    assert_eq!(
        std::fs::read_to_string(out.join("img/logo.svg")).unwrap(),
        "<svg/>"
    );
    let deal = std::fs::read_to_string(out.join("deals/d3/index.html")).unwrap();
    assert!(deal.contains("Have you met the person who signs?"));
    // Other templates are still the theme's.
    assert!(std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("Coaching programme scorecard"));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let site = copy_site("valid");
    let p = site.path();
    std::fs::write(
        p.join("content/handbook/hostile.md"),
        "---\ntitle: \"<script>alert('t')</script>\"\ntags: [\"<img src=x onerror=alert(1)>\"]\n---\nBody <iframe src=\"https://evil.example\"></iframe> [x](javascript:alert(2))\n",
    )
    .unwrap();
    std::fs::write(
        p.join("content/deals/hostile-deal.md"),
        "---\ntype: deal\nname: \"Deal <b onmouseover=alert(3)>x</b>\"\naccount: \"\\\"><script>alert(4)</script>\"\nowner: ana-silva\nvalue: 1\nstage: lead\ncreated: 2026-06-01\nclose_date: 2026-12-01\nnext_step: \"<script>alert(5)</script>\"\n---\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["build", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    for rel in [
        "pages/hostile/index.html",
        "deals/hostile-deal/index.html",
        "reps/ana-silva/pipeline/index.html",
        "notes/index.html",
        "tags/index.html",
        "index.html",
    ] {
        let text = std::fs::read_to_string(p.join("public").join(rel)).unwrap();
        let doc = scraper::Html::parse_document(&text);
        // Only the theme's own scripts, which have a src.
        for s in select(&doc, "script") {
            assert!(s.value().attr("src").is_some(), "{rel}: inline script");
        }
        for sel in [
            "[onerror]",
            "[onmouseover]",
            "iframe",
            "a[href^=javascript]",
        ] {
            assert!(select(&doc, sel).is_empty(), "{rel}: {sel}");
        }
    }
    let doc = html(p, "pages/hostile/index.html");
    assert_eq!(texts(&doc, "h1"), ["<script>alert('t')</script>"]);
}

#[test]
fn unsafe_html_lets_raw_html_through_only_when_asked() {
    let site = copy_site("valid");
    let p = site.path();
    let page = "---\ntitle: Raw\n---\n<div class=\"callout\" onclick=\"go()\">Hi</div>\n\n<script>track()</script>\n";
    std::fs::write(p.join("content/handbook/raw.md"), page).unwrap();
    let (code, stderr, _) = run(&["build", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let safe = std::fs::read_to_string(p.join("public/pages/raw/index.html")).unwrap();
    // The script is shown as text, never run (contract, third edition).
    assert!(
        safe.contains("class=\"callout\"")
            && !safe.contains("onclick")
            && !safe.contains("<script>track()")
            && safe.contains("&lt;script&gt;track()&lt;/script&gt;"),
        "{safe}"
    );
    let config = std::fs::read_to_string(p.join("coachbook.toml")).unwrap();
    std::fs::write(
        p.join("coachbook.toml"),
        format!("unsafe_html = true\n{config}"),
    )
    .unwrap();
    let (code, stderr, _) = run(&["build", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let raw = std::fs::read_to_string(p.join("public/pages/raw/index.html")).unwrap();
    assert!(raw.contains("onclick=\"go()\"") && raw.contains("<script>track()</script>"));
}

/// A page whose template fails at render time is still written, saying
/// why, so no link leads nowhere; the problem names the note.
#[test]
fn a_page_that_cannot_render_is_shown_not_dropped() {
    let site = copy_site("valid");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/deal.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.name }}{% endblock content %}",
    )
    .unwrap();
    let (out, code, stderr) = build_at(site.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(out.path().join("public/deals/d3/index.html")).unwrap();
    assert!(page.contains("This page could not be built"), "{page}");
    assert!(page.contains("Big Proposal"));
    assert!(page.contains("content/deals/d3.md"));
    let errors: Vec<serde_json::Value> = json_diags(&stderr)
        .into_iter()
        .filter(|d| d["code"] == "render-error")
        .collect();
    assert!(
        errors.iter().any(|d| d["file"] == "content/deals/d3.md"),
        "{stderr}"
    );
    // The other pages are built as usual.
    assert!(
        std::fs::read_to_string(out.path().join("public/reps/ana-silva/index.html"))
            .unwrap()
            .contains("Ana Silva")
    );
    // And --strict fails.
    let (code, _, _) = run(&[
        "build",
        site.path().to_str().unwrap(),
        "-o",
        out.path().join("strict").to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(code, 1);
}

/// The deal board's rows are a template of their own (`deal_rows.html`,
/// rendered a chunk of rows at a time): when it fails, the board is still
/// written, saying why.
#[test]
fn a_failing_row_template_shows_the_board_with_its_error() {
    let site = copy_site("valid");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/deal_rows.html"),
        "{% for d in rows %}{{ d.no_such_field.name }}{% endfor %}",
    )
    .unwrap();
    let (out, code, stderr) = build_at(site.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(out.path().join("public/deals/index.html")).unwrap();
    assert!(page.contains("This page could not be built"), "{page}");
    assert!(page.contains("deal_rows.html"), "{page}");
    assert!(
        json_diags(&stderr)
            .iter()
            .any(|d| d["code"] == "render-error"),
        "{stderr}"
    );
    // A row template that works is used for the board's rows.
    std::fs::write(
        site.path().join("templates/deal_rows.html"),
        "{% for d in rows %}<tr><td>ROW {{ d.title }}</td></tr>{% endfor %}",
    )
    .unwrap();
    let (out, code, stderr) = build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(out.path().join("public/deals/index.html")).unwrap();
    assert!(
        page.contains("<tr><td>ROW Big Proposal</td></tr>"),
        "{page}"
    );
}

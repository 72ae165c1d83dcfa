//! Note bodies as handbook authors write them: email and call templates
//! with `<placeholders>`, raw-text elements left open, callouts,
//! footnotes and bare URLs, built by the real binary on
//! `tests/sites/markdown`.

mod common;
use common::*;
use serde_json::Value;

/// Builds the fixture with JSON diagnostics; returns the output folder,
/// the exit code and the diagnostics.
fn build_json(extra: &[&str]) -> (tempfile::TempDir, i32, Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = fixture("markdown");
    let out = dir.path().join("public");
    let mut args = vec![
        "build",
        site.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, stderr, _) = run(&args);
    let diags = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (dir, code, diags, stderr)
}

/// The text of each element `css` selects, its whitespace collapsed.
fn plain(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The 1-based line of `content/handbook/<file>` that holds `needle`.
fn line_of(file: &str, needle: &str) -> u64 {
    let text =
        std::fs::read_to_string(fixture("markdown").join("content/handbook").join(file)).unwrap();
    let i = text.lines().position(|l| l.contains(needle)).unwrap();
    i as u64 + 1
}

#[test]
fn placeholders_are_text_with_a_warning_at_their_line() {
    let (dir, code, diags, stderr) = build_json(&[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "pages/prospecting-email/index.html");
    // No element from the placeholders, and nothing swallowed: the words
    // after `<title>` and the paragraphs after it are on the page as text.
    assert!(select(
        &doc,
        ".prose title, .prose textarea, .prose first, .prose company"
    )
    .is_empty());
    assert_eq!(select(&doc, "head title").len(), 1);
    let paras = plain(&doc, ".prose p");
    assert!(
        paras.contains(
            &"Hi <first name>, I noticed <Company> is hiring. Put the <title> of the role here."
                .to_string()
        ),
        "{paras:?}"
    );
    assert!(
        paras
            .contains(&"The words after the title stay on the page, and so does this.".to_string()),
        "{paras:?}"
    );
    assert_eq!(texts(&doc, ".prose p strong"), ["this"]);
    // The unclosed `<textarea>` did not hide the call script's lines, nor
    // the wikilink after it.
    assert!(
        paras.iter().any(|p| p.starts_with("<textarea>")),
        "{paras:?}"
    );
    assert!(
        paras.contains(&"Then pause for an answer. See call-openers.".to_string()),
        "{paras:?}"
    );
    assert_eq!(select(&doc, ".prose a.wikilink").len(), 1);

    let file = "content/handbook/prospecting-email.md";
    let mut got: Vec<(String, u64, u64)> = diags
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let subject = line_of("prospecting-email.md", "Subject:");
    let hi = line_of("prospecting-email.md", "Hi <first name>");
    let textarea = line_of("prospecting-email.md", "<textarea>");
    let mut want = vec![
        ("unknown-html-tag".to_string(), subject, 31),
        ("unknown-html-tag".to_string(), hi, 4),
        ("unknown-html-tag".to_string(), hi, 28),
        ("unknown-html-tag".to_string(), hi, 57),
        ("unclosed-html-tag".to_string(), textarea, 1),
    ];
    want.sort();
    assert_eq!(got, want, "{stderr}");
    // In backticks or escaped, a placeholder does not warn.
    assert!(
        !diags
            .iter()
            .any(|d| d["file"] == "content/handbook/call-openers.md"),
        "{stderr}"
    );
    let doc = html(dir.path(), "pages/call-openers/index.html");
    assert_eq!(
        plain(&doc, ".prose p")[0],
        "Open with <first name>, then <Company>, then the reason for the call."
    );
    assert_eq!(texts(&doc, ".prose details summary"), ["Why it works"]);
    assert_eq!(texts(&doc, ".prose details p strong"), ["name"]);
}

#[test]
fn check_reports_the_same_and_strict_fails() {
    let site = fixture("markdown");
    let (code, stderr, _) = run(&["check", site.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`<first name>` is not an HTML element; the page shows it as text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/handbook/prospecting-email.md:9:4"),
        "{stderr}"
    );
    assert!(stderr.contains("5 warnings, 0 errors"), "{stderr}");
}

#[test]
fn unsafe_html_still_shows_placeholders_as_text() {
    let site = copy_site("markdown");
    let p = site.path();
    let config = std::fs::read_to_string(p.join("coachbook.toml")).unwrap();
    std::fs::write(
        p.join("coachbook.toml"),
        format!("unsafe_html = true\n{config}"),
    )
    .unwrap();
    let (code, stderr, _) = run(&["build", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(p, "pages/prospecting-email/index.html");
    assert!(select(&doc, ".prose title, .prose textarea, .prose first").is_empty());
    let paras = plain(&doc, ".prose p");
    assert!(
        paras
            .iter()
            .any(|p| p.contains("Put the <title> of the role here.")),
        "{paras:?}"
    );
    assert!(stderr.contains("5 warnings"), "{stderr}");
}

#[test]
fn bare_urls_are_links() {
    let (dir, code, _, stderr) = build_json(&[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "pages/prospecting-email/index.html");
    let hrefs: Vec<&str> = select(&doc, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.starts_with("http"))
        .collect();
    assert_eq!(
        hrefs,
        ["https://news.example.com/acme", "http://www.example.org"],
        "{stderr}"
    );
}

#[test]
fn footnotes_link_both_ways() {
    let (dir, code, _, stderr) = build_json(&[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "pages/prospecting-email/index.html");
    assert_eq!(
        select(
            &doc,
            ".prose sup.footnote-ref a[href='#fn-1'][id='fnref-1']"
        )
        .len(),
        1
    );
    let notes = plain(&doc, ".prose section.footnotes li#fn-1");
    assert_eq!(notes, ["Internal test of 400 emails, Q2 2026. ↩"]);
    assert_eq!(
        select(&doc, "li#fn-1 a.footnote-backref[href='#fnref-1']").len(),
        1
    );
}

#[test]
fn callouts_are_asides() {
    let (dir, code, _, stderr) = build_json(&[]);
    assert_eq!(code, 0, "{stderr}");
    let doc = html(dir.path(), "pages/prospecting-email/index.html");
    assert_eq!(
        plain(&doc, ".prose aside.callout.callout-tip > p.callout-title"),
        ["Before you send"]
    );
    assert!(select(&doc, ".prose blockquote").is_empty());
}

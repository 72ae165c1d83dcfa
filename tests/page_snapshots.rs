//! Snapshots of a few representative pages of the valid fixture (its
//! `as_of` is pinned, so they do not move with the calendar): the main
//! content of the dashboard, a rep's coaching plan, a deal and the
//! forecast page, and the whole `metrics.json`. A change in what a page
//! shows is then a reviewed diff of tests/snapshots/ rather than a silent
//! one. README (Testing) says how to accept a change.

mod common;
use common::*;

/// The `<main>` element of the page at `rel` in the fixture built in
/// `dir`, one
/// tag per line so that a diff points at the element that changed.
fn main_of(dir: &std::path::Path, rel: &str) -> String {
    let page = read(dir, rel);
    let start = page.find("<main").expect("a <main> element");
    let end = page.rfind("</main>").expect("a </main> tag") + "</main>".len();
    page[start..end]
        .replace("><", ">\n<")
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn built() -> tempfile::TempDir {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    dir
}

#[test]
fn representative_pages() {
    let dir = built();
    for (name, rel) in [
        ("dashboard", "index.html"),
        ("rep_plan", "reps/ana-silva/index.html"),
        ("pipeline_review", "reps/ana-silva/pipeline/index.html"),
        ("deal", "deals/d3/index.html"),
        ("forecast", "forecast/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(dir.path(), rel));
    }
}

#[test]
fn metrics_json() {
    let dir = built();
    insta::assert_snapshot!(read(dir.path(), "metrics.json"));
}

//! Long lists of notes are paginated: `/notes/`, a section and a tag show
//! `page_size` rows a page, the first page at the list's own URL and the
//! next ones at `page/2/`, `page/3/`, ..., linked by a navigation with
//! `rel="prev"`/`rel="next"`; every note is listed on exactly one page of
//! each list, and an edit re-renders only the pages that list the note.

mod common;

use common::{html, select, texts};
use std::collections::BTreeMap;
use std::path::Path;

const NOTES: usize = 11;
const PAGE_SIZE: usize = 4;

/// A handbook of `NOTES` pages tagged `t`, with `page_size = PAGE_SIZE`.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("coachbook.toml"),
        format!("title = \"Paged\"\npage_size = {PAGE_SIZE}\nas_of = 2026-11-25\n"),
    )
    .unwrap();
    let content = dir.path().join("content/handbook");
    std::fs::create_dir_all(&content).unwrap();
    for i in 1..=NOTES {
        std::fs::write(
            content.join(format!("p{i:02}.md")),
            format!("---\ntype: page\ntitle: Page {i:02}\ntags: [t]\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    dir
}

/// The pages of a list (`notes/`, `pages/`, `tags/t/`) as built, by page
/// number, walking the `rel="next"` links from the first page; checks
/// each page's pager on the way.
fn walk(root: &Path, list: &str) -> BTreeMap<usize, Vec<String>> {
    let out = root.join("public");
    let pages = NOTES.div_ceil(PAGE_SIZE);
    let mut found = BTreeMap::new();
    let mut url = format!("/{list}");
    for n in 1..=pages {
        let want = if n == 1 {
            format!("/{list}")
        } else {
            format!("/{list}page/{n}/")
        };
        assert_eq!(url, want, "page {n} of {list}");
        let rel = format!("{}index.html", url.trim_start_matches('/'));
        assert!(out.join(&rel).is_file(), "{rel} missing");
        let doc = html(root, &rel);
        let navs = select(&doc, "nav.pager");
        assert_eq!(navs.len(), 1, "{rel}: one pager");
        assert!(navs[0]
            .value()
            .attr("aria-label")
            .is_some_and(|l| !l.is_empty()));
        let first = (n - 1) * PAGE_SIZE + 1;
        let last = (n * PAGE_SIZE).min(NOTES);
        assert_eq!(
            texts(&doc, ".pager-range"),
            vec![format!("Showing {first}–{last} of {NOTES}.")],
            "{rel}"
        );
        let prev: Vec<_> = select(&doc, "nav.pager a[rel=prev]")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        if n == 1 {
            assert!(prev.is_empty(), "{rel}: no previous page");
        } else if n == 2 {
            assert_eq!(prev, vec![format!("/{list}")], "{rel}");
        } else {
            assert_eq!(prev, vec![format!("/{list}page/{}/", n - 1)], "{rel}");
        }
        let rows: Vec<String> = select(&doc, "table.notes tbody a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert!(rows.len() == last + 1 - first, "{rel}: {rows:?}");
        found.insert(n, rows);
        let next: Vec<_> = select(&doc, "nav.pager a[rel=next]")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        if n == pages {
            assert!(next.is_empty(), "{rel}: no next page");
        } else {
            assert_eq!(next.len(), 1, "{rel}");
            url = next[0].clone();
        }
    }
    let beyond = format!("{list}page/{}/index.html", pages + 1);
    assert!(!out.join(&beyond).exists(), "{beyond} should not exist");
    found
}

#[test]
fn long_lists_are_paginated_and_list_every_note_once() {
    let site = site();
    let (dir, code, stderr) = common::build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for list in ["notes/", "pages/", "tags/t/"] {
        let pages = walk(dir.path(), list);
        let mut listed: BTreeMap<String, usize> = BTreeMap::new();
        for rows in pages.values() {
            for r in rows {
                *listed.entry(r.clone()).or_default() += 1;
            }
        }
        assert_eq!(listed.len(), NOTES, "{list}: {listed:?}");
        assert!(listed.values().all(|n| *n == 1), "{list}: {listed:?}");
        for i in 1..=NOTES {
            assert!(listed.contains_key(&format!("/pages/p{i:02}/")), "{list}");
        }
        // Every page is in the sitemap (it lists every page of the site).
        assert!(
            sitemap.contains(&format!("<loc>/{list}page/2/</loc>")),
            "{list}"
        );
    }
    // A later page says which page it is in its title.
    let doc = html(dir.path(), "notes/page/2/index.html");
    assert_eq!(
        texts(&doc, "title")[0].split(" · ").next(),
        Some("Every note, page 2 of 3")
    );
}

#[test]
fn a_list_that_fits_on_one_page_has_no_pager() {
    let site = site();
    std::fs::write(
        site.path().join("coachbook.toml"),
        "title = \"Paged\"\nas_of = 2026-11-25\n",
    )
    .unwrap();
    let (dir, code, stderr) = common::build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    for rel in ["notes/index.html", "pages/index.html", "tags/t/index.html"] {
        let doc = html(dir.path(), rel);
        assert!(select(&doc, "nav.pager").is_empty(), "{rel}");
        assert!(select(&doc, ".pager-range").is_empty(), "{rel}");
    }
    assert!(!out.join("notes/page").exists());
}

#[test]
fn a_bad_page_size_is_a_setup_error() {
    let site = site();
    std::fs::write(site.path().join("coachbook.toml"), "page_size = 0\n").unwrap();
    let (_dir, code, stderr) = common::build_at(site.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("page_size must be"), "{stderr}");
}

#[test]
fn an_edit_renders_only_the_list_pages_that_show_the_note() {
    use coachbook::incremental::Session;
    let site = site();
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    // p10 is on the third page of every list.
    let p = site.path().join("content/handbook/p10.md");
    std::fs::write(
        &p,
        "---\ntype: page\ntitle: Page ten, renamed\ntags: [t]\n---\nText 10.\n",
    )
    .unwrap();
    let r = session.apply(&[p]).unwrap();
    assert!(!r.full);
    for list in ["notes/", "pages/", "tags/t/"] {
        let third = format!("{list}page/3/index.html");
        assert!(r.rendered.contains(&third), "{third}: {:?}", r.rendered);
        for other in [
            format!("{list}index.html"),
            format!("{list}page/2/index.html"),
        ] {
            assert!(!r.rendered.contains(&other), "{other}: {:?}", r.rendered);
        }
    }
    let page = std::fs::read_to_string(out.path().join("notes/page/3/index.html")).unwrap();
    assert!(page.contains("Page ten, renamed"));
}

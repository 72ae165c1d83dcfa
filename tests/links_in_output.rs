//! Every link and every asset a built page refers to inside the site
//! exists: the file, and the `#fragment` on the page it names.
//!
//! A site whose pages link to pages that were never written is silently
//! wrong in the way a reader notices first. This walks every HTML file of
//! the output, resolves each `href` and `src` the way a browser would
//! (relative to the page's folder, or from the site root), and checks the
//! target. Links that leave the site (`https:`, `mailto:`, ...) are not
//! followed.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The ids of one page, read once.
type Ids = HashMap<PathBuf, BTreeSet<String>>;

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Percent-decodes a URL path (the output's file names are not encoded).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file a URL path names inside `root`, if any: a folder means its
/// `index.html`.
fn target(root: &Path, base: &str, page_dir: &Path, path: &str) -> Option<PathBuf> {
    let path = decode(path);
    let mut segments: Vec<String> = if path.starts_with('/') {
        // From the host's root: the site lives under `base`.
        let inside = path.strip_prefix(base)?;
        if !(inside.is_empty() || inside.starts_with('/')) {
            return None;
        }
        Vec::new()
    } else {
        page_dir
            .strip_prefix(root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let path = if path.starts_with('/') {
        &path[base.len()..]
    } else {
        &path[..]
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                // Above the root is outside the site: a broken link.
                segments.pop()?;
            }
            s => segments.push(s.to_string()),
        }
    }
    let mut file = root.to_path_buf();
    for s in &segments {
        file.push(s);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn ids_of(file: &Path, cache: &mut Ids) -> BTreeSet<String> {
    cache
        .entry(file.to_path_buf())
        .or_insert_with(|| {
            let doc = scraper::Html::parse_document(&std::fs::read_to_string(file).unwrap());
            let sel = scraper::Selector::parse("[id], a[name]").unwrap();
            doc.select(&sel)
                .filter_map(|e| e.value().attr("id").or(e.value().attr("name")))
                .map(str::to_string)
                .collect()
        })
        .clone()
}

/// Every broken internal reference of the site in `root`, served under
/// the path `base` ("" or "/coach"), as "page: url (why)", sorted.
fn broken_references(root: &Path, base: &str) -> Vec<String> {
    let sel = scraper::Selector::parse("[href], [src]").unwrap();
    let mut ids = Ids::new();
    let mut broken = BTreeMap::new();
    for page in html_files(root) {
        let text = std::fs::read_to_string(&page).unwrap();
        let doc = scraper::Html::parse_document(&text);
        let dir = page.parent().unwrap().to_path_buf();
        let rel = page.strip_prefix(root).unwrap().display().to_string();
        for el in doc.select(&sel) {
            for attr in ["href", "src"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                let url = url.trim();
                let lower = url.to_ascii_lowercase();
                let external = lower.contains(':') && {
                    let scheme = &lower[..lower.find(':').unwrap()];
                    !scheme.contains('/') && !scheme.contains('#') && !scheme.contains('?')
                };
                if url.is_empty() || external || url.starts_with("//") {
                    continue;
                }
                let (before_fragment, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let path = before_fragment.split('?').next().unwrap_or("");
                let file = if path.is_empty() {
                    Some(page.clone())
                } else {
                    target(root, base, &dir, path)
                };
                let Some(file) = file else {
                    broken.insert(format!("{rel}: {url} (no such file)"), ());
                    continue;
                };
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    if file.extension().is_some_and(|e| e == "html")
                        && !ids_of(&file, &mut ids).contains(&decode(fragment))
                    {
                        broken.insert(format!("{rel}: {url} (no such id on the page)"), ());
                    }
                }
            }
        }
    }
    broken.into_keys().collect()
}

fn assert_no_broken(root: &Path, base: &str) {
    let broken = broken_references(root, base);
    assert!(
        broken.is_empty(),
        "{} broken internal references, for example:\n{}",
        broken.len(),
        broken
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_internal_reference_of_the_example_site_exists() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (dir, code, stderr) = common::build_at(site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_no_broken(&dir.path().join("public"), "");
}

#[test]
fn every_internal_reference_of_the_fixture_sites_exists() {
    for (name, base) in [("valid", "/coach"), ("markdown", ""), ("vault", "/coach")] {
        let (dir, _code, _stderr) = common::build(name, &[]);
        assert_no_broken(&dir.path().join("public"), base);
    }
}

/// A real handbook written for GitHub (plain Markdown links between
/// files, relative paths, folder links, raw HTML; see
/// tests/corpus/README.md): every file is a page, and no link of the
/// output leads nowhere (links to pages outside the copied folder are
/// shown as broken text).
#[test]
fn a_public_handbook_builds_every_page_and_links_only_to_what_exists() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sourcegraph-sales");
    let (dir, code, stderr) = common::build_at(&site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(site.join("content")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            pages += 1;
        }
    }
    let notes = std::fs::read_to_string(out.join("notes/index.html")).unwrap();
    let listed = notes.matches("<tr").count().saturating_sub(1);
    assert_eq!(listed, pages, "every Markdown file is a page of /notes/");
    assert!(stderr.contains(&format!("Built {pages} notes")), "{stderr}");
    assert_no_broken(&out, "");
    // Links between the copied pages resolve: the sales index links its
    // sub-pages by relative `.md` paths.
    let resolved = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .filter(|html| html.contains("class=\"broken-link\""))
        .count();
    assert!(resolved > 0, "links outside the copy are shown as broken");
}

#[test]
fn the_checker_sees_a_missing_page_and_a_missing_fragment() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::write(
        root.join("a/index.html"),
        r##"<p id="here"><a href="../b/">b</a> <a href="#here">ok</a> <a href="#gone">x</a>
        <a href="/a/#here">ok</a> <img src="../../up.png"> <a href="https://x.example/">ext</a></p>"##,
    )
    .unwrap();
    let broken = broken_references(root, "");
    assert_eq!(
        broken,
        vec![
            "a/index.html: #gone (no such id on the page)".to_string(),
            "a/index.html: ../../up.png (no such file)".to_string(),
            "a/index.html: ../b/ (no such file)".to_string(),
        ]
    );
}

//! Security issue #10: nothing hidden from a reader leaks into the site,
//! and nothing outside it does either. Each test builds a site that holds
//! the attack and fails without its fix.

mod common;
use common::*;
use std::path::Path;

/// A site with `coachbook.toml` and the given notes, built into
/// `<dir>/public`; returns the folder and the build's stderr.
fn build_site(notes: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(site.join("coachbook.toml"), "title = \"Leaks\"\n").unwrap();
    for (name, text) in notes {
        std::fs::write(site.join("content").join(name), text).unwrap();
    }
    let out = dir.path().join("public");
    let (code, stderr, _) = run(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (dir, stderr)
}

/// Every file under `dir`, as (path, text) (lossy for binary files).
fn files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).to_lowercase(),
            )
        })
        .collect()
}

/// The words of the search index.
fn terms(dir: &Path) -> Vec<String> {
    search_text(&dir.join("public"))
        .lines()
        .filter_map(|l| l.strip_prefix('"')?.strip_suffix('"'))
        .map(str::to_string)
        .collect()
}

const HIDDEN: &str = "---
title: Pipeline hygiene
_private_review: frontmattersecret
---
Weekly pipeline hygiene <!-- Rep is on a PIP; salary 123456 commentsecret --> keeps forecasts honest.

<!--
Block comment: blockcommentsecret
-->

Inspect every opportunity %%inline obsidiansecret%% before Friday.

%%
Obsidian block comment, obsidianblocksecret
over several lines

with a blank line and [[nowhere]]
%%

Literal `%%codespan%%` stays, and so does this:

```
fenced %%codeblock%% too
```

Visible <span title=\"titlesecret\">tooltip</span> text.
<script>var s = \"scriptsecret\";</script>
<style>.x::after { content: \"stylesecret\" }</style>
![altsecret](chart.png)
";

#[test]
fn hidden_text_is_neither_indexed_nor_published() {
    let (dir, stderr) = build_site(&[("hidden.md", HIDDEN)]);
    // The wikilink inside the comment is not a link: no broken-link warning.
    assert!(!stderr.contains("nowhere"), "{stderr}");
    let public = dir.path().join("public");
    let terms = terms(dir.path());
    for visible in [
        "weekly",
        "hygiene",
        "forecasts",
        "honest",
        "inspect",
        "opportunity",
        "friday",
        "codespan",
        "codeblock",
        "tooltip",
        // Shown as text (never run), so indexed: see the test below.
        "scriptsecret",
        "stylesecret",
    ] {
        assert!(terms.contains(&visible.to_string()), "{visible}: {terms:?}");
    }
    let secrets = [
        "salary",
        "123456",
        "commentsecret",
        "blockcommentsecret",
        "obsidiansecret",
        "obsidianblocksecret",
        "nowhere",
        "frontmattersecret",
        "titlesecret",
        "altsecret",
    ];
    for secret in secrets {
        assert!(
            !terms.iter().any(|t| t.contains(secret)),
            "{secret} indexed"
        );
    }
    // Not in a search snippet, nor on any page: only `title` and `alt`
    // attributes, which the page does carry, are allowed in the HTML.
    for (path, text) in files(&public) {
        for secret in &secrets[..8] {
            assert!(!text.contains(secret), "{secret} in {path}");
        }
    }
    let page = read(dir.path(), "pages/hidden/index.html");
    assert!(page.contains("<code>%%codespan%%</code>"), "{page}");
    // A script or style in a note is shown as text, never run or applied
    // (contract, third edition), with a warning; what the page shows is
    // what search holds.
    let doc = scraper::Html::parse_document(&page);
    assert!(
        select(&doc, ".prose script, .prose style").is_empty(),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;var s = \"scriptsecret\";&lt;/script&gt;")
            || page.contains("&lt;script&gt;var s = &quot;scriptsecret&quot;;&lt;/script&gt;"),
        "{page}"
    );
    for tag in ["<script>", "<style>"] {
        assert!(
            stderr.contains(&format!("`{tag}` is not an element notes may use")),
            "{stderr}"
        );
    }
    assert!(page.contains("fenced %%codeblock%% too"), "{page}");
    let index = search_text(&dir.path().join("public"));
    assert!(
        index.contains("\"Weekly pipeline hygiene keeps forecasts honest."),
        "{index}"
    );
}

#[test]
fn static_dotfiles_temp_files_and_symlinks_are_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(site.join("coachbook.toml"), "title = \"Leaks\"\n").unwrap();
    std::fs::write(outside.join("id_rsa"), "outsidesecret key").unwrap();
    std::fs::write(outside.join("folder/creds.txt"), "outsidesecret creds").unwrap();
    let st = site.join("static");
    for (rel, text) in [
        ("robots.txt", "User-agent: *"),
        ("css/site.css", "body {}"),
        (
            ".well-known/security.txt",
            "Contact: mailto:security@example.org",
        ),
        (".env", "API_KEY=dotsecret"),
        (".git/config", "[remote] dotsecret"),
        (".well-known/.htpasswd", "dotsecret"),
        ("css/.site.css.swp", "dotsecret"),
        ("css/site.css~", "dotsecret"),
        ("css/#site.css#", "dotsecret"),
        ("~$notes.docx", "dotsecret"),
    ] {
        std::fs::create_dir_all(st.join(rel).parent().unwrap()).unwrap();
        std::fs::write(st.join(rel), text).unwrap();
    }
    std::os::unix::fs::symlink(outside.join("id_rsa"), st.join("key.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("folder"), st.join("linked")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", st.join("css/passwd.css")).unwrap();

    let public = dir.path().join("public");
    let (s, o) = (site.to_str().unwrap(), public.to_str().unwrap());
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    let mut published: Vec<String> = files(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.ends_with(".html") && !p.ends_with(".json") && !p.ends_with(".xml"))
        .collect();
    published.sort();
    assert_eq!(
        published,
        [
            ".well-known/security.txt",
            "board.js",
            "changes.js",
            "css/site.css",
            "robots.txt",
            "search.js",
            "style.css"
        ]
    );
    for (path, text) in files(&public) {
        for secret in ["dotsecret", "outsidesecret", "root:"] {
            assert!(!text.contains(secret), "{secret} in {path}");
        }
    }
    // Each symlink is named in a warning (and fails --strict).
    for link in ["static/key.txt", "static/linked", "static/css/passwd.css"] {
        assert!(
            stderr.contains(link) && stderr.contains("static-symlink"),
            "{link}: {stderr}"
        );
    }
    let (code, _, _) = run(&["build", s, "-o", o, "--strict"]);
    assert_eq!(code, 1);

    // A `static` folder that is itself a symlink is not followed either.
    std::fs::remove_dir_all(&st).unwrap();
    std::os::unix::fs::symlink(&outside, &st).unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("static-symlink"), "{stderr}");
    for (path, text) in files(&public) {
        assert!(!text.contains("outsidesecret"), "outside file in {path}");
    }
}

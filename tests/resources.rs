//! Small inputs that used to cost minutes or gigabytes (a CI runner or a
//! laptop stalls): each is built beside a few good notes by the real
//! binary, under a memory limit and a generous time limit that only guards
//! against hangs. Each must be reported with its code, file and line, and
//! the rest of the site must be built. docs/content.md lists the limits.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The address space a build may use. Every input here stays under about
/// 400 MB resident with the release binary; before the limits, 20 MB of
/// `- a` lines took 3.2 GB.
const MEMORY_KB: u64 = 1024 * 1024;
/// A hang guard, not a benchmark: each build here takes well under a
/// second in release and a few seconds in debug; before the limits some
/// took minutes.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A site of three good notes (linking to each other) plus `bad`.
fn site(bad: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(dir.path().join("coachbook.toml"), "title = \"Limits\"\n").unwrap();
    for i in 0..3 {
        std::fs::write(
            c.join(format!("good-{i}.md")),
            format!("---\ntitle: Good {i}\n---\nSee [[good-{}]].\n", (i + 1) % 3),
        )
        .unwrap();
    }
    for (name, bytes) in bad {
        std::fs::write(c.join(name), bytes).unwrap();
    }
    dir
}

/// Builds `site` under the limits: exit code 0 (content problems are not
/// setup problems), every good note's page written, and the diagnostics
/// (JSON lines) returned.
fn build_limited(site: &Path) -> Vec<Value> {
    let out = site.join("public");
    let (code, stderr) = run_limited(
        &[
            "build",
            site.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "json",
        ],
        MEMORY_KB,
        HANG_GUARD,
    );
    let tail = &stderr[stderr.len().saturating_sub(3000)..];
    assert_eq!(code, 0, "{tail}");
    for i in 0..3 {
        let page = out.join(format!("pages/good-{i}/index.html"));
        assert!(page.is_file(), "good-{i} was not built: {tail}");
    }
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The diagnostic of `code` for `file` (under `content/`) at `line`
/// (and `column`, unless 0), or a failure listing what was reported.
fn expect(diags: &[Value], code: &str, file: &str, line: u64, column: u64) -> Value {
    let file = format!("content/{file}");
    diags
        .iter()
        .find(|d| {
            d["code"] == code
                && d["file"] == file.as_str()
                && d["line"] == line
                && (column == 0 || d["column"] == column)
        })
        .cloned()
        .unwrap_or_else(|| {
            let got: Vec<String> = diags
                .iter()
                .take(40)
                .map(|d| format!("{} {}:{}:{}", d["code"], d["file"], d["line"], d["column"]))
                .collect();
            panic!("no {code} at {file}:{line}:{column}; got {got:#?}")
        })
}

fn text(s: String) -> Vec<u8> {
    s.into_bytes()
}

#[test]
fn unclosed_brackets_in_frontmatter() {
    let dir = site(&[
        // 100 KB: over the frontmatter limit.
        (
            "unclosed.md",
            text(format!("---\ntitle: {}\n---\n", "[".repeat(100_000))),
        ),
        // Under it: refused by depth before the YAML parser sees it.
        (
            "unclosed-60k.md",
            text(format!("---\ntitle: {}\n---\n", "[".repeat(60_000))),
        ),
    ]);
    let d = build_limited(dir.path());
    expect(&d, "frontmatter-too-large", "unclosed.md", 1, 0);
    // `title:` is one level, so the 64th `[` (column 7 + 64) is too deep.
    expect(&d, "frontmatter-too-deep", "unclosed-60k.md", 2, 71);
}

#[test]
fn nested_lists_and_maps_in_frontmatter() {
    let block: String = (0..240)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    let dir = site(&[
        (
            "lists.md",
            text(format!(
                "---\ntitle: {}{}\n---\n",
                "[".repeat(200_000),
                "]".repeat(200_000)
            )),
        ),
        (
            "maps.md",
            text(format!(
                "---\ntitle: {}1{}\n---\n",
                "{a: ".repeat(100_000),
                "}".repeat(100_000)
            )),
        ),
        (
            "lists-60k.md",
            text(format!(
                "---\ntitle: {}{}\n---\n",
                "[".repeat(30_000),
                "]".repeat(30_000)
            )),
        ),
        (
            "maps-35k.md",
            text(format!(
                "---\ntitle: {}1{}\n---\n",
                "{a: ".repeat(7_000),
                "}".repeat(7_000)
            )),
        ),
        ("indented.md", text(format!("---\n{block}---\n"))),
    ]);
    let d = build_limited(dir.path());
    expect(&d, "frontmatter-too-large", "lists.md", 1, 0);
    expect(&d, "frontmatter-too-large", "maps.md", 1, 0);
    expect(&d, "frontmatter-too-deep", "lists-60k.md", 2, 71);
    // Each `{a: ` is four columns: the 64th starts at column 7 + 63 * 4 + 1.
    expect(&d, "frontmatter-too-deep", "maps-35k.md", 2, 260);
    // The 65th level of indentation: its key on file line 66.
    expect(&d, "frontmatter-too-deep", "indented.md", 66, 129);
}

#[test]
fn many_bad_list_items() {
    let dir = site(&[
        (
            "items.md",
            text(format!(
                "---\ntitle: Items\ntags:\n{}---\n",
                "  - {a: 1}\n".repeat(40_000)
            )),
        ),
        // Under the frontmatter limit: every item reported, located in
        // linear time (the first at its own line, the rest counted).
        (
            "items-60k.md",
            text(format!(
                "---\ntitle: Items\ntags:\n{}---\n",
                "  - {a: 1}\n".repeat(5_400)
            )),
        ),
    ]);
    let d = build_limited(dir.path());
    expect(&d, "frontmatter-too-large", "items.md", 1, 0);
    // At the item's value, `{a: 1}`, after its dash.
    expect(&d, "invalid-type", "items-60k.md", 4, 5);
    assert!(
        d.iter()
            .any(|x| x["message"] == "and 5380 more invalid-type problems in this file"),
        "{d:?}"
    );
}

#[test]
fn long_title_and_broken_links() {
    let mut notes = vec![
        (
            "long-title.md".to_string(),
            text(format!("---\ntitle: {}\n---\n", "x".repeat(200_000))),
        ),
        // Under the frontmatter limit: built, and compared with every
        // broken link's target for a "did you mean".
        (
            "long-title-60k.md".to_string(),
            text(format!("---\ntitle: {}\n---\n", "x".repeat(60_000))),
        ),
    ];
    for f in 0..50 {
        let links: String = (0..20)
            .map(|i| format!("[[missing-{f:02}-{i:02}-{}]]\n", "y".repeat(40)))
            .collect();
        notes.push((
            format!("links-{f:02}.md"),
            text(format!("---\ntitle: L{f}\n---\n{links}")),
        ));
    }
    let notes: Vec<(&str, Vec<u8>)> = notes.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let dir = site(&notes);
    let d = build_limited(dir.path());
    expect(&d, "frontmatter-too-large", "long-title.md", 1, 0);
    expect(&d, "broken-link", "links-00.md", 4, 1);
    expect(&d, "broken-link", "links-49.md", 23, 1);
    assert!(dir
        .path()
        .join("public/pages/long-title-60k/index.html")
        .is_file());
}

#[test]
fn deeply_nested_html() {
    let dir = site(&[
        (
            "divs.md",
            text(format!(
                "---\ntitle: Divs\n---\n{}\n",
                "<div>".repeat(200_000)
            )),
        ),
        (
            "balanced.md",
            text(format!(
                "---\ntitle: Balanced\n---\nIntro\n\n{}{}\n",
                "<div>".repeat(90_000),
                "</div>".repeat(90_000)
            )),
        ),
        // Markdown's own nesting counts once the body has raw HTML.
        (
            "quotes.md",
            text(format!(
                "---\ntitle: Quotes\n---\n{} <b>x</b>\n",
                ">".repeat(100_000)
            )),
        ),
    ]);
    let d = build_limited(dir.path());
    expect(&d, "html-too-deep", "divs.md", 4, 0);
    expect(&d, "html-too-deep", "balanced.md", 6, 0);
    expect(&d, "html-too-deep", "quotes.md", 4, 0);
    // Built, with the raw HTML shown as text.
    let page = std::fs::read_to_string(dir.path().join("public/pages/divs/index.html")).unwrap();
    assert!(page.contains("&lt;div&gt;&lt;div&gt;"));
}

#[test]
fn long_lines_of_wikilinks() {
    let dir = site(&[
        // 2 MB: over the note limit.
        (
            "links-2mb.md",
            text(format!(
                "---\ntitle: W\n---\n{}\n",
                "[[w]] ".repeat(350_000)
            )),
        ),
        // Under it: every link found with its column, in linear time.
        (
            "links-1mb.md",
            text(format!(
                "---\ntitle: Links\n---\n{}\n",
                "[[w]] ".repeat(170_000)
            )),
        ),
    ]);
    let d = build_limited(dir.path());
    expect(&d, "note-too-large", "links-2mb.md", 1, 0);
    expect(&d, "broken-link", "links-1mb.md", 4, 1);
    expect(&d, "broken-link", "links-1mb.md", 4, 7);
    assert!(
        d.iter()
            .any(|x| x["message"] == "and 169980 more broken-link problems in this file"),
        "{d:?}"
    );
    assert!(dir
        .path()
        .join("public/pages/links-1mb/index.html")
        .is_file());
}

#[test]
fn huge_notes_are_left_out_unread() {
    let list = "- a\n".repeat(5_000_000);
    let dir = site(&[
        ("list-20mb.md", text(format!("---\ntitle: L\n---\n{list}"))),
        // Just under the limit: built, in bounded memory.
        (
            "list-1mb.md",
            text(format!("---\ntitle: L\n---\n{}", "- a\n".repeat(260_000))),
        ),
    ]);
    drop(list);
    // 50 MB that would not even fit the memory limit if it were read.
    let huge = std::fs::File::create(dir.path().join("content/huge.md")).unwrap();
    huge.set_len(50 * 1024 * 1024).unwrap();
    let d = build_limited(dir.path());
    let big = expect(&d, "note-too-large", "list-20mb.md", 1, 0);
    assert!(
        big["message"]
            .as_str()
            .unwrap()
            .starts_with("this note is 19.1 MB, over the limit of 1 MB"),
        "{big}"
    );
    expect(&d, "note-too-large", "huge.md", 1, 0);
    assert!(dir
        .path()
        .join("public/pages/list-1mb/index.html")
        .is_file());
}

/// `serve` reloads notes through the same loader as `build`.
#[test]
fn serve_applies_the_same_limits() {
    let dir = site(&[
        (
            "deep.md",
            text(format!("---\ntitle: {}\n---\n", "[".repeat(60_000))),
        ),
        (
            "big.md",
            text(format!("---\ntitle: B\n---\n{}", "- a\n".repeat(300_000))),
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (mut session, report) =
        coachbook::incremental::Session::new(dir.path(), out.path(), None, false).unwrap();
    let codes = |d: &coachbook::diagnostics::Diagnostics| -> Vec<(String, &'static str, usize)> {
        d.items
            .iter()
            .map(|d| (d.file.clone(), d.code.as_str(), d.line))
            .collect()
    };
    let got = codes(&report.diags);
    assert!(
        got.contains(&("content/deep.md".into(), "frontmatter-too-deep", 2)),
        "{got:?}"
    );
    assert!(
        got.contains(&("content/big.md".into(), "note-too-large", 1)),
        "{got:?}"
    );
    // An edit that makes a note too large is caught on the rebuild.
    let new = dir.path().join("content/new.md");
    std::fs::write(&new, format!("---\ntitle: N\n---\n{}", "x".repeat(2 << 20))).unwrap();
    let report = session.apply(&[new]).unwrap();
    let got = codes(&report.diags);
    assert!(
        got.contains(&("content/new.md".into(), "note-too-large", 1)),
        "{got:?}"
    );
    assert!(out.path().join("pages/good-0/index.html").is_file());
}

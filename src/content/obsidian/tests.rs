//! Unit tests of `obsidian`.

use super::*;

fn t(dest: &str) -> (String, Option<String>, Option<String>) {
    let t = parse_target(dest);
    (t.note, t.heading, t.block)
}

#[test]
fn targets() {
    let s = |x: &str| Some(x.to_string());
    assert_eq!(t("Acme"), ("Acme".into(), None, None));
    assert_eq!(t("Acme\\"), ("Acme".into(), None, None));
    assert_eq!(
        t("Acme#Next steps\\"),
        ("Acme".into(), s("Next steps"), None)
    );
    assert_eq!(t("#Heading"), ("".into(), s("Heading"), None));
    assert_eq!(t("Acme#A#B"), ("Acme".into(), s("B"), None));
    assert_eq!(t("Acme^blk-1"), ("Acme".into(), None, s("blk-1")));
    assert_eq!(t("Acme#^blk-1"), ("Acme".into(), None, s("blk-1")));
    assert_eq!(t("#^blk"), ("".into(), None, s("blk")));
    assert_eq!(t("emea/Acme.md"), ("emea/Acme.md".into(), None, None));
}

#[test]
fn folding() {
    assert_eq!(fold(" Jane DOE "), "jane doe");
    // Decomposed (macOS file names) and composed are one.
    assert_eq!(fold("U\u{308}nïcödé 名前"), fold("Ünïcödé 名前"));
    assert_eq!(fold("ÜNÏCÖDÉ"), "ünïcödé");
    assert_eq!(fold_path("/EMEA//Acme.MD"), "emea/acme");
    // Each part folded as `fold` folds it, ASCII or not; `.` and empty
    // parts left out.
    for path in [
        " ./Deals / ACME Renewal.md ",
        "Ünïcödé/U\u{308}ber/x.MD",
        "a/./b//C",
        "名前/Ärger.md",
        "/",
        "",
    ] {
        let want: Vec<String> = strip_md(path.trim())
            .split('/')
            .map(str::trim)
            .filter(|p| !p.is_empty() && *p != ".")
            .map(fold)
            .collect();
        assert_eq!(fold_path(path), want.join("/"), "{path:?}");
    }
    assert_eq!(strip_md("a.md"), "a");
    assert_eq!(strip_md(".md"), ".md");
    assert_eq!(strip_md("名.md"), "名");
}

#[test]
fn links_in_text() {
    let got: Vec<_> = text_links("[[Steph Ango]], ![[img.png]], [[a|b]] [[ ]] [[x")
        .into_iter()
        .collect();
    assert_eq!(
        got,
        [
            (0..14, "Steph Ango".to_string(), None),
            (30..37, "a".to_string(), Some("b".to_string()))
        ]
    );
}

fn tags(text: &str) -> Vec<&str> {
    tags_in(text, None).into_iter().map(|r| &text[r]).collect()
}

#[test]
fn inline_tags() {
    assert_eq!(
        tags("#start a #q3, #region/emea/ and #in_progress #日本 #_x"),
        [
            "#start",
            "#q3",
            "#region/emea",
            "#in_progress",
            "#日本",
            "#_x"
        ]
    );
    assert!(tags("#123 x#y https://a.example/p#frag &#123; # heading #-x").is_empty());
    assert_eq!(tags_in("#x", Some('a')), Vec::<Range<usize>>::new());
    assert_eq!(tags_in("#x", Some(' ')), vec![0..2]);
}

#[test]
fn hierarchical_tags() {
    assert_eq!(tag_slug("Region/EMEA"), "region/emea");
    assert_eq!(tag_slug("#a//b/"), "a/b");
    assert_eq!(tag_slug("!!"), "");
    assert_eq!(
        tag_and_parents("Region/EMEA/North"),
        [
            (
                "region/emea/north".to_string(),
                "Region/EMEA/North".to_string()
            ),
            ("region/emea".to_string(), "Region/EMEA".to_string()),
            ("region".to_string(), "Region".to_string())
        ]
    );
    assert_eq!(tag_and_parents("plain"), [("plain".into(), "plain".into())]);
}

#[test]
fn block_markers() {
    assert_eq!(block_marker("Para text ^blk-1\n"), Some((9..16, "blk-1")));
    assert_eq!(block_marker("Para\n^abc"), Some((4..9, "abc")));
    assert_eq!(block_marker("^abc"), Some((0..4, "abc")));
    assert_eq!(block_marker("x^abc"), None);
    assert_eq!(
        block_marker("![[chart.png]]^fig-1"),
        Some((14..20, "fig-1"))
    );
    assert_eq!(block_marker("2^10 is big"), None);
    assert_eq!(block_marker("a ^b_c"), None);
}

#[test]
fn relative_paths_and_link_text() {
    let rel = |f: &str, t: &str| relative_path(f, t);
    assert_eq!(
        rel("Notes", "../People/Steph Ango").as_deref(),
        Some("People/Steph Ango")
    );
    assert_eq!(rel("a/b", "./x").as_deref(), Some("a/b/x"));
    assert_eq!(rel("", "./x").as_deref(), Some("x"));
    assert_eq!(rel("", "../x"), None);
    assert_eq!(rel("a", "x/y"), None);
    assert_eq!(link_text("Note#Heading"), "Note > Heading");
    assert_eq!(link_text("Note#A#B"), "Note > A > B");
    assert_eq!(link_text("Note#^blk"), "Note > ^blk");
    assert_eq!(link_text("Note^blk"), "Note > ^blk");
    assert_eq!(link_text("#Heading"), "#Heading");
    assert_eq!(link_text("folder/Note"), "folder/Note");
    assert_eq!(link_text("Note#Heading\\"), "Note > Heading");
}

#[test]
fn embed_labels_files_and_markdown_targets() {
    assert_eq!(embed_size("300"), (None, Some(300), None));
    assert_eq!(
        embed_size("Team|300x200"),
        (Some("Team"), Some(300), Some(200))
    );
    assert_eq!(embed_size("The team"), (Some("The team"), None, None));
    assert_eq!(embed_size("0"), (Some("0"), None, None));
    assert_eq!(embed_size("a|x9"), (Some("a|x9"), None, None));
    assert!(names_a_file("photo.JPG") && names_a_file("a/Daily.base"));
    assert!(!names_a_file("Note.md") && !names_a_file("E. M. Forster"));
    assert!(!names_a_file("v1.2") && !names_a_file(".hidden") && !names_a_file("Note"));
    let mt = |d: &str| markdown_target(d);
    assert_eq!(mt("Other%20note.md"), Some(("Other note.md".into(), None)));
    assert_eq!(
        mt("../img/a.png?x=1#^blk"),
        Some(("../img/a.png".into(), Some("^blk".into())))
    );
    for no in [
        "https://x.org/a.md",
        "mailto:a@b.c",
        "//host/a",
        "#",
        "",
        "/",
    ] {
        assert_eq!(mt(no), None, "{no}");
    }
    assert_eq!(
        mt("#Next%20steps"),
        Some((String::new(), Some("Next steps".into())))
    );
    // A folder: the link stage looks for its page, else leaves it.
    assert_eq!(mt("/pages/x/"), Some(("/pages/x/".into(), None)));
}

#[test]
fn block_ids_after_blocks_and_in_list_items() {
    let body = "> quote\n\n^q-1\n\nmore";
    assert_eq!(trailing_block_id(body, 8), Some((9..13, "q-1")));
    // Not alone: the paragraph goes on.
    assert_eq!(trailing_block_id("x\n\n^q\ntext", 2), None);
    assert_eq!(trailing_block_id("x\n\nword ^q", 2), None);
    assert_eq!(
        item_text("- one\n  two ^b\n  - child\n"),
        "- one\n  two ^b\n"
    );
    assert_eq!(item_text("- one\n\n  para\n"), "- one\n");
}

#[test]
fn anchors() {
    assert_eq!(heading_anchor("What happened?"), "what-happened");
    assert_eq!(heading_anchor("???"), "section");
    assert_eq!(
        heading_anchor("Ünïcödé 名前"),
        heading_anchor("ünïcödé 名前")
    );
}

//! A small vault written in Obsidian's habits (tests/sites/vault): one
//! file name in two folders, aliases, heading and block links, a piped
//! link in a table, Unicode names, links in properties, inline and
//! hierarchical tags, `type` left to the author (`type_key =
//! "category"`), attachments (an image with a space in its name, a PDF),
//! embeds of files, notes, sections and blocks, relative and Markdown
//! links, and block ids on a heading, a table, a list item and a quote.
//! Every page is built, every link goes to the right page, anchor or
//! file, and the only warning is the shared file name.

mod common;
use common::*;
use scraper::{Html, Selector};
use std::path::Path;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(dir: &Path, url: &str) -> Html {
    let rel = url.trim_start_matches("/coach/");
    html(dir, &format!("{}index.html", rel))
}

/// The wikilinks of a page's body, as (href, text).
fn body_links(doc: &Html) -> Vec<(String, String)> {
    doc.select(&sel("article.prose a.wikilink"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.text().collect(),
            )
        })
        .collect()
}

/// Whether the page at `href` (with its fragment) exists and has an
/// element with the fragment's id.
fn lands(dir: &Path, href: &str) -> bool {
    let (path, frag) = href.split_once('#').unwrap_or((href, ""));
    let doc = page(dir, path);
    if frag.is_empty() {
        return true;
    }
    let id = frag.replace("%5E", "^");
    doc.select(&sel("[id]"))
        .any(|e| e.value().attr("id") == Some(id.as_str()))
}

#[test]
fn every_note_is_built_and_only_the_shared_name_warns() {
    let site = fixture("vault");
    let (code, stderr, out) = run(&["check", site.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let codes: Vec<(String, String)> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [(
            "content/apac/Acme.md".to_string(),
            "duplicate-name".to_string()
        )],
        "{stderr}"
    );
    let files = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{files} notes")) || stderr.contains(&format!("{files} notes")),
        "{stdout}{stderr}"
    );
}

#[test]
fn links_resolve_to_the_right_page_and_anchor() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let dir = dir.path();
    let home = page(dir, "/coach/pages/home/");
    let links = body_links(&home);
    let want = [
        // An alias; an alias with a label.
        ("/coach/reps/dana-whitfield/", "Dana"),
        ("/coach/deals/globex-renewal/", "Globex"),
        // By path (the file name is shared), with `.md`, in any case.
        ("/coach/deals/emea/acme/", "emea/Acme"),
        ("/coach/pages/apac/acme/", "apac/Acme.md"),
        ("/coach/deals/emea/acme/", "EMEA/acme"),
        // `\|` in a table cell: the link and its label.
        ("/coach/deals/emea/acme/", "Acme EMEA"),
        ("/coach/deals/globex-renewal/#next-steps", "what comes next"),
        // Heading, block (both spellings), same-note heading and block;
        // without a label, shown as Obsidian shows them.
        (
            "/coach/deals/globex-renewal/#next-steps",
            "Globex Renewal > Next steps",
        ),
        (
            "/coach/deals/globex-renewal/#%5Erisk-1",
            "Globex Renewal > ^risk-1",
        ),
        ("/coach/deals/globex-renewal/#%5Erisk-1", "this way"),
        ("/coach/pages/home/#agenda", "#Agenda"),
        ("/coach/pages/home/#%5Ehome-note", "#^home-note"),
        // A Unicode name in another case, and its Unicode heading.
        ("/coach/pages/unicode-ming-qian/", "ünïcödé 名前"),
        (
            "/coach/pages/unicode-ming-qian/#uberblick",
            "Ünïcödé 名前 > Überblick",
        ),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(h, t)| (h.to_string(), t.to_string()))
        .collect();
    assert_eq!(links, want);
    for (href, _) in &links {
        assert!(lands(dir, href), "{href} does not land");
    }
    // Nothing drawn broken, and the table is still a table of two rows.
    assert_eq!(home.select(&sel("a.broken-link")).count(), 0);
    assert_eq!(home.select(&sel("article table tbody tr")).count(), 2);
    // The block's id is on its paragraph and its marker is hidden.
    let deal = read(dir, "deals/globex-renewal/index.html");
    assert!(
        deal.contains("<p id=\"^risk-1\">The champion may leave in July.</p>"),
        "{deal}"
    );
    assert!(!deal.contains("^risk-1<") && !deal.contains(" ^risk-1"));
    // The typed reference by alias (`owner: DW`) counts: Dana owns both deals.
    let m: serde_json::Value = serde_json::from_str(&read(dir, "metrics.json")).unwrap();
    assert_eq!(m["deals"]["globex-renewal"]["owner"], "dana-whitfield");
    assert_eq!(m["deals"]["emea/acme"]["owner"], "dana-whitfield");
}

#[test]
fn property_links_are_links_with_backlinks() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let dir = dir.path();
    let meeting = page(dir, "/coach/pages/2026-06-01-kickoff/");
    let props: Vec<(String, String)> = meeting
        .select(&sel(".properties a.wikilink"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        props,
        [
            ("/coach/reps/dana-whitfield/", "Dana Whitfield"),
            ("/coach/deals/emea/acme/", "Acme EMEA"),
            (
                "/coach/deals/globex-renewal/#next-steps",
                "Globex Renewal > Next steps"
            ),
            ("/coach/pages/unicode-ming-qian/", "Ünïcödé 名前"),
        ]
        .map(|(h, t)| (h.to_string(), t.to_string()))
    );
    // The property text around the links is kept.
    let cell: String = meeting
        .select(&sel(".properties td"))
        .nth(1)
        .map(|td| td.text().collect())
        .unwrap_or_default();
    assert_eq!(cell, "Globex Renewal > Next steps and Ünïcödé 名前");
    let backlinks = |url: &str| -> Vec<String> {
        page(dir, url)
            .select(&sel(".backlinks a"))
            .map(|a| a.value().attr("href").unwrap_or_default().to_string())
            .collect()
    };
    // From a property of the meeting note, and from the notes whose
    // `type` (a property, since the kind is `category`) is Customers.
    assert!(backlinks("/coach/reps/dana-whitfield/")
        .contains(&"/coach/pages/2026-06-01-kickoff/".to_string()));
    assert_eq!(
        backlinks("/coach/pages/customers/"),
        ["/coach/pages/apac/acme/", "/coach/deals/emea/acme/"]
    );
    // `type` is shown as the author's property on a deal.
    let acme = page(dir, "/coach/deals/emea/acme/");
    let row: Vec<String> = acme
        .select(&sel(".properties th"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(row, ["type"]);
}

#[test]
fn inline_and_hierarchical_tags_have_pages() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let dir = dir.path();
    let home = page(dir, "/coach/pages/home/");
    let tags: Vec<(String, String)> = home
        .select(&sel("article.prose a.tag"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("/coach/tags/region/emea/", "#region/emea"),
            ("/coach/tags/q3/", "#Q3"),
        ]
        .map(|(h, t)| (h.to_string(), t.to_string()))
    );
    // Not tags: code, a URL's fragment, an entity, an escape.
    let listed = |url: &str| -> Vec<String> {
        page(dir, url)
            .select(&sel("table.data tbody a"))
            .map(|a| a.text().collect())
            .collect()
    };
    assert!(!dir.join("public/tags/in-code").exists());
    assert!(!dir.join("public/tags/not-a-tag").exists());
    assert!(!dir.join("public/tags/frag").exists());
    assert!(!dir.join("public/tags/entity").exists());
    assert!(!dir.join("public/tags/escaped").exists());
    // Listed in the order of their paths.
    assert_eq!(listed("/coach/tags/region/emea/"), ["Home", "Acme EMEA"]);
    assert_eq!(
        listed("/coach/tags/region/apac/"),
        ["Acme APAC", "2026-06-01 Kickoff"]
    );
    // The parent lists the notes of every tag below it, and links to them.
    assert_eq!(
        listed("/coach/tags/region/"),
        ["Home", "Acme APAC", "Acme EMEA", "2026-06-01 Kickoff"]
    );
    let region = page(dir, "/coach/tags/region/");
    let below: Vec<String> = region
        .select(&sel("p.tags a.tag"))
        .map(|a| a.value().attr("href").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        below,
        ["/coach/tags/region/apac/", "/coach/tags/region/emea/"]
    );
    // Frontmatter and inline tags are one list on the note.
    let names = page(dir, "/coach/pages/unicode-ming-qian/");
    assert_eq!(names.select(&sel("p.tags a.tag")).count(), 1);
}

#[test]
fn path_ids_reach_search_and_the_sitemap() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let index = search_text(&dir.path().join("public"));
    assert!(index.contains("\"deals/emea/acme/\""), "{index}");
    assert!(index.contains("\"pages/apac/acme/\""), "{index}");
    let map = read(dir.path(), "sitemap.xml");
    assert!(map.contains("<loc>/coach/deals/emea/acme/</loc>"), "{map}");
    assert!(map.contains("<loc>/coach/tags/region/emea/</loc>"), "{map}");
    // The hidden block marker is not searchable either.
    assert!(!index.contains("\"home-note\""), "{index}");
}

#[test]
fn a_bare_shared_name_is_ambiguous_and_a_slug_clash_an_error() {
    let site = copy_site("vault");
    let content = site.path().join("content");
    std::fs::write(content.join("Links.md"), "See [[Acme]].\n").unwrap();
    std::fs::write(content.join("One.md"), "---\nslug: same\n---\n").unwrap();
    std::fs::write(content.join("Two.md"), "---\nslug: same\n---\n").unwrap();
    let (_, stderr, _) = run(&["check", site.path().to_str().unwrap()]);
    assert!(
        stderr
            .contains("link \"Acme\" matches 2 notes: content/apac/Acme.md, content/emea/Acme.md"),
        "{stderr}"
    );
    assert!(stderr.contains("like [[apac/Acme]]"), "{stderr}");
    assert!(
        stderr.contains("the id \"same\" is already used by content/One.md"),
        "{stderr}"
    );
}

#[test]
fn type_key_must_be_a_key() {
    let site = copy_site("vault");
    let toml = site.path().join("coachbook.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("type_key = \"category\"", "type_key = \"\""),
    )
    .unwrap();
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("type_key \"\" is empty"), "{stderr}");
    // With the default key, `type: "[[Customers]]"` is an unknown type:
    // the notes are pages, and the `category` field a property.
    std::fs::write(&toml, text.replace("type_key = \"category\"", "")).unwrap();
    let (dir, code, stderr) = {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (code, stderr, _) = run(&[
            "build",
            site.path().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        (dir, code, stderr)
    };
    assert_eq!(code, 0, "{stderr}");
    assert!(dir
        .path()
        .join("public/pages/emea/acme/index.html")
        .is_file());
}

/// The attributes of the elements matching `css` in the body of `doc`.
fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.value().attr(attr).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn attachments_are_published_and_linked_by_path_and_name() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let dir = dir.path();
    let out = dir.join("public");
    // Copied at their path inside content/, byte for byte.
    assert_eq!(
        std::fs::read(out.join("img/team photo.png")).unwrap(),
        std::fs::read(fixture("vault").join("content/img/team photo.png")).unwrap()
    );
    assert!(out.join("docs/plan.pdf").is_file());
    let doc = page(dir, "/coach/pages/embeds/");
    // `![[team photo.png|The team|300]]`: by file name, with alt text and width.
    let img = doc.select(&sel("article img.embed")).next().unwrap();
    assert_eq!(img.value().attr("src"), Some("/coach/img/team%20photo.png"));
    assert_eq!(img.value().attr("alt"), Some("The team"));
    assert_eq!(img.value().attr("width"), Some("300"));
    // `![[plan.pdf]]`: a link to the file, with its name.
    let files: Vec<(String, String)> = doc
        .select(&sel("article a.embed-file"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [("/coach/docs/plan.pdf".to_string(), "plan.pdf".to_string())]
    );
    // Wikilinks and Markdown links to files and notes, relative or not.
    let hrefs = attrs(&doc, "article > p a", "href");
    for want in [
        "/coach/docs/plan.pdf",
        "/coach/img/team%20photo.png",
        "/coach/pages/home/",
        "/coach/reps/dana-whitfield/",
        "/coach/pages/sibling/",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want} not in {hrefs:?}");
    }
    // A Markdown image by path from the top; a site file left as written.
    assert!(
        attrs(&doc, "article > p img", "src").contains(&"/coach/img/team%20photo.png".to_string())
    );
    assert!(hrefs.contains(&"/coach/style.css".to_string()), "{hrefs:?}");
    assert_eq!(doc.select(&sel("a.broken-link")).count(), 0);
    // Never in the sitemap or the search index as pages of their own.
    let map = read(dir, "sitemap.xml");
    assert!(!map.contains("plan.pdf") && !map.contains("photo"), "{map}");
    let index = search_text(&dir.join("public"));
    assert!(!index.contains("\"docs/plan.pdf\""), "{index}");
}

#[test]
fn notes_sections_and_blocks_are_embedded_one_level_deep() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let dir = dir.path();
    let doc = page(dir, "/coach/pages/embeds/");
    let embeds: Vec<String> = doc
        .select(&sel("article div.embed"))
        .map(|d| d.text().collect::<String>())
        .collect();
    assert_eq!(embeds.len(), 4, "{embeds:?}");
    // The whole note, without its comment; its own embed is a link.
    assert!(
        embeds[0].contains("Sibling text  that is embedded."),
        "{}",
        embeds[0]
    );
    assert!(!embeds[0].contains("private remark"));
    let inner = doc.select(&sel("article div.embed")).next().unwrap();
    assert_eq!(inner.select(&sel("div.embed")).count(), 0);
    assert!(inner
        .select(&sel("a.wikilink"))
        .any(|a| a.value().attr("href") == Some("/coach/deals/globex-renewal/")));
    // A section: its heading and text, not the next section.
    assert!(embeds[1].contains("Next steps") && embeds[1].contains("Send the mutual plan"));
    assert!(
        !embeds[1].contains("Not part of the next steps"),
        "{}",
        embeds[1]
    );
    assert!(!embeds[1].contains("Mutual plan"), "{}", embeds[1]);
    // A paragraph by its block id, and a table by the `^id` line after it.
    assert!(
        embeds[2].ends_with("The champion may leave in July.\n"),
        "{:?}",
        embeds[2]
    );
    assert!(embeds[3].contains("Mutual plan") && !embeds[3].contains("champion"));
    // The embedded ids are not this page's: every id is unique.
    let ids = attrs(&doc, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    // An embed is a link for backlinks.
    let sibling = page(dir, "/coach/pages/sibling/");
    assert_eq!(
        attrs(&sibling, ".backlinks a", "href"),
        ["/coach/pages/embeds/"]
    );
}

#[test]
fn block_ids_mark_any_block() {
    let (dir, code, stderr) = build("vault", &[]);
    assert_eq!(code, 0, "{stderr}");
    let deal = page(dir.path(), "/coach/deals/globex-renewal/");
    let ids = attrs(&deal, "[id]", "id");
    for want in ["plan", "^plan-heading", "^plan-table", "^step-2"] {
        assert!(ids.contains(&want.to_string()), "{want} not in {ids:?}");
    }
    // The table's mark is right before it, and its `^id` line is not shown.
    let html = read(dir.path(), "deals/globex-renewal/index.html");
    assert!(html.contains("<div class=\"block-id\" id=\"^plan-table\"></div>\n<table>"));
    assert!(!html.contains("^plan-table</p>") && !html.contains(">^step-2"));
    assert!(
        html.contains("<li id=\"^step-2\">first step\nwith a second line</li>"),
        "{html}"
    );
    // The quote in the sibling note, and a link to it lands.
    let sibling = read(dir.path(), "pages/sibling/index.html");
    assert!(sibling.contains("<div class=\"block-id\" id=\"^quote-1\"></div>\n<blockquote>"));
}

#[test]
fn missing_files_cycles_and_unpublished_files_are_reported() {
    let site = copy_site("vault");
    let content = site.path().join("content");
    std::fs::write(
        content.join("Cycle A.md"),
        "![[Cycle B]]\n\nA photo: ![[gone.png]], a file [[missing.pdf]] and [a](Nowhere.md).\n",
    )
    .unwrap();
    std::fs::write(content.join("Cycle B.md"), "![[Cycle A]]\n").unwrap();
    std::fs::write(content.join("page.html"), "<script>alert(1)</script>").unwrap();
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<(String, String, u64)> = json_diags(&stderr)
        .iter()
        .filter(|d| d["code"] != "duplicate-name")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("content/Cycle A.md", "embed-cycle", 1),
        ("content/Cycle A.md", "broken-link", 3),
        ("content/Cycle A.md", "broken-link", 3),
        ("content/Cycle A.md", "broken-link", 3),
        ("content/Cycle B.md", "embed-cycle", 1),
        ("content/page.html", "attachment-not-published", 0),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(f, c, l)| (f.to_string(), c.to_string(), *l))
        .collect();
    assert_eq!(got, want, "{stderr}");
    let (dir, code, stderr) = build_at(site.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!dir.path().join("public/page.html").exists());
    // A cycle is never followed: each page embeds the other once, and the
    // embed back to itself is a link.
    let a = page(dir.path(), "/coach/pages/cycle-a/");
    assert_eq!(a.select(&sel("div.embed")).count(), 0);
    assert_eq!(a.select(&sel("a.broken-link")).count(), 3);
}

/// `serve`: a saved attachment is copied again, a deleted one removed
/// (the links to it then broken), and a page embedding a note changes
/// with that note, as a cold build would have them.
#[test]
fn serve_follows_attachments_and_embedded_notes() {
    use coachbook::incremental::Session;
    let site = copy_site("vault");
    let content = site.path().join("content");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, false).unwrap();
    let pdf = content.join("docs/plan.pdf");
    std::fs::write(&pdf, "%PDF-1.4 version two").unwrap();
    session.apply(std::slice::from_ref(&pdf)).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.path().join("docs/plan.pdf")).unwrap(),
        "%PDF-1.4 version two"
    );
    // The embedded note changes: the page that embeds it follows.
    let sibling = content.join("guides/Sibling.md");
    std::fs::write(&sibling, "Fresh words.\n").unwrap();
    session.apply(std::slice::from_ref(&sibling)).unwrap();
    let embeds = || std::fs::read_to_string(out.path().join("pages/embeds/index.html")).unwrap();
    assert!(embeds().contains("Fresh words."));
    // Deleted: gone from the output, and the links to it broken.
    std::fs::remove_file(&pdf).unwrap();
    let r = session.apply(std::slice::from_ref(&pdf)).unwrap();
    assert!(!out.path().join("docs/plan.pdf").exists());
    assert!(r.diags.items.iter().any(|d| d.code == "broken-link"));
    assert!(embeds().contains("class=\"broken-link\""));
    // Added again: published and linked.
    std::fs::write(&pdf, "%PDF-1.4 back").unwrap();
    session.apply(std::slice::from_ref(&pdf)).unwrap();
    assert!(out.path().join("docs/plan.pdf").is_file());
    assert!(!embeds().contains("class=\"broken-link\""));
}

//! Unit tests of `attachments`.

use super::*;

fn a(paths: &[&str]) -> Attachments {
    Attachments::new(paths.iter().map(|p| p.to_string()).collect())
}

#[test]
fn found_by_path_end_and_unique_name() {
    let x = a(&["img/Photo.jpg", "docs/plan.pdf", "a/logo.png", "b/logo.png"]);
    let one = |p: &str| Found::One(p.to_string());
    assert_eq!(x.find("img/photo.JPG"), one("img/Photo.jpg"));
    assert_eq!(x.find("/img/Photo.jpg"), one("img/Photo.jpg"));
    assert_eq!(x.find("Photo.jpg"), one("img/Photo.jpg"));
    assert_eq!(x.find("plan.pdf"), one("docs/plan.pdf"));
    assert_eq!(x.find("b/logo.png"), one("b/logo.png"));
    assert!(matches!(x.find("logo.png"), Found::Many(v) if v.len() == 2));
    assert_eq!(x.find("nope.png"), Found::Missing);
    assert_eq!(x.find("other/Photo.jpg"), Found::Missing);
    assert_eq!(x.find(""), Found::Missing);
}

#[test]
fn active_reserved_and_unservable_files_are_not_published() {
    assert!(not_published("img/a.png", false).is_none());
    assert!(not_published("x/page.html", false).is_some());
    assert!(not_published("x/page.html", true).is_none());
    assert!(not_published("pic.SVG", false).is_none());
    assert!(not_published("pic.svgz", false).is_some());
    assert!(not_published("style.css", true).is_some());
    assert!(not_published("sub/style.css", false).is_none());
    assert!(not_published("a:b.png", true).is_some());
    assert!(not_published("__coachbook/x.png", true).is_some());
}

#[test]
fn plain_svg_drawings_pass_and_anything_that_could_run_does_not() {
    let plain = r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <style>.a { fill: #0af; } /* a comment */</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
  <a xlink:href="https://example.org/"><rect class="a" width="10" height="10"/></a>
  <text x="1" y="5">Stage one &amp; two &lt;ok&gt;: done, gone, onboarding &#8212; &#x2014;</text>
  <g id="&#34;Cloud SQL&#34;"/>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
</svg>"#;
    assert_eq!(svg_danger(plain.as_bytes()), None);
    for bad in [
        r#"<svg><script>alert(1)</script></svg>"#,
        r#"<svg><SCRIPT href="x.js"/></svg>"#,
        r#"<svg onload="alert(1)"/>"#,
        r#"<svg><g/onclick = "x()"/></svg>"#,
        "<svg><rect\tONMOUSEOVER=x()/></svg>",
        r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
        "<svg><a href=\"java\tscript:alert(1)\">x</a></svg>",
        r#"<svg><a href=" JaVaScRiPt :alert(1)">x</a></svg>"#,
        r#"<svg><a href="&#106;avascript:alert(1)">x</a></svg>"#,
        r#"<svg><a href="&#x6A;&#x61;vascript&#58;alert(1)">x</a></svg>"#,
        r#"<svg><a href="java&#9;script:alert(1)">x</a></svg>"#,
        r#"<svg><rect &#111;nload="x()"/></svg>"#,
        r#"<svg><text>&#xD800;</text></svg>"#,
        r#"<svg><text>&#12</text></svg>"#,
        r#"<svg><foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe/></body></foreignObject></svg>"#,
        r#"<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;">]><svg>&x;</svg>"#,
        r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
        r#"<svg><a href="data:text/html,<script>x</script>">x</a></svg>"#,
        r#"<svg><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>"#,
        r#"<svg><style>@import url(https://evil.example/x.css);</style></svg>"#,
        r#"<?xml-stylesheet href="x.xsl" type="text/xsl"?><svg/>"#,
        r#"<svg><embed src="x"/></svg>"#,
    ] {
        assert!(svg_danger(bad.as_bytes()).is_some(), "{bad}");
    }
    assert!(svg_danger(&[0xff, 0xfe, b'<']).is_some());
}

#[cfg(target_os = "linux")]
#[test]
fn scan_publishes_plain_svg_and_refuses_active_svg() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(
        c.join("diagram.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>"#,
    )
    .unwrap();
    std::fs::write(c.join("evil.svg"), r#"<svg onload="alert(1)"/>"#).unwrap();
    let (a, diags) = scan(dir.path(), false);
    assert_eq!(a.paths(), ["diagram.svg"]);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].file, "content/evil.svg");
    assert!(
        diags[0].message.contains("event handler"),
        "{}",
        diags[0].message
    );
    let (a, diags) = scan(dir.path(), true);
    assert_eq!(a.paths(), ["diagram.svg", "evil.svg"]);
    assert!(diags.is_empty());
    // Copying checks again: a file swapped for an active one after it
    // was found is not written.
    let (a, _) = scan(dir.path(), false);
    std::fs::write(c.join("diagram.svg"), r#"<svg><script>x()</script></svg>"#).unwrap();
    let out_dir = dir.path().join("public");
    let out = crate::output::Output::new(&out_dir).unwrap();
    let (written, diags) = publish(dir.path(), &a, &out);
    assert!(written.is_empty());
    assert_eq!(diags.len(), 1);
    assert!(!out_dir.join("diagram.svg").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn scan_skips_notes_hidden_files_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    std::fs::create_dir_all(c.join("img")).unwrap();
    std::fs::create_dir_all(c.join(".obsidian")).unwrap();
    std::fs::write(c.join("note.md"), "x").unwrap();
    std::fs::write(c.join("img/a.png"), "png").unwrap();
    std::fs::write(c.join(".hidden.png"), "x").unwrap();
    std::fs::write(c.join(".obsidian/app.json"), "{}").unwrap();
    std::fs::write(c.join("page.html"), "<script>").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), c.join("l.txt")).unwrap();
    let (found, diags) = scan(dir.path(), false);
    assert_eq!(found.paths(), ["img/a.png"]);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].file, "content/page.html");
    assert_eq!(read(dir.path(), "img/a.png").unwrap(), b"png");
    assert!(read(dir.path(), "l.txt").is_err());
    assert!(is_attachment_file(dir.path(), &c.join("img/a.png")));
    assert!(!is_attachment_file(dir.path(), &c.join("l.txt")));
    assert!(!is_attachment_file(dir.path(), &c.join("note.md")));
    assert!(!is_attachment_file(
        dir.path(),
        &c.join(".obsidian/app.json")
    ));
}

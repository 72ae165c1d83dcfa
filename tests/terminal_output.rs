//! Issue #10: what a note holds cannot steer the terminal (escape
//! sequences, bidi controls) in any diagnostic format, and a huge line of
//! problems prints a short, correct report.

mod common;
use common::*;

/// Printed text may keep its line breaks, nothing else of that kind.
fn assert_no_controls(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| is_terminal_unsafe(*c) && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} in {text}");
}

fn hostile_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let c = site.path().join("content");
    std::fs::create_dir_all(&c).unwrap();
    // OSC (window title), CSI clear screen, an 8-bit CSI (U+009B), DEL,
    // a bidi override and isolate, a carriage return: in a link, in the
    // text around it, and in the file name.
    std::fs::write(
        c.join("e\u{1b}[2J\u{9b}\u{202e}.md"),
        "---\ntitle: Escapes\n---\nSee [[nowhere\u{1b}]0;pwned\u{7}]] and \u{1b}[2J \u{9b}31m red \u{7f}\r [[x\u{202e}y\u{2066}]] here\n",
    )
    .unwrap();
    std::fs::write(
        c.join("quota.md"),
        "---\ntype: rep\nname: \"Q\\e]0;title\\a\"\nteam: T\nstart_date: 2026-01-01\nquota: \"\\e[31mlots\\u009b\"\n---\n",
    )
    .unwrap();
    site
}

#[test]
fn no_format_echoes_terminal_controls() {
    let site = hostile_site();
    let s = site.path().to_str().unwrap();
    for format in ["human", "json", "github"] {
        let (code, stderr, _) = run(&["check", s, "--format", format]);
        assert_eq!(code, 1, "check fails on the bad quota: {stderr}");
        assert_no_controls(format, &stderr);
        assert!(stderr.contains("pwned"), "{format}: {stderr}");
    }
    // Human: the snippet shows the escaped line, with the real line and
    // column in its header.
    let (_, human, _) = run(&["check", s]);
    assert!(
        human.contains("See [[nowhere\\u{1b}]0;pwned\\u{7}]] and \\u{1b}[2J \\u{9b}31m red"),
        "{human}"
    );
    assert!(
        human.contains("content/e\\u{1b}[2J\\u{9b}\\u{202e}.md:4:5"),
        "{human}"
    );
    // JSON decodes to the text as written.
    let (_, json, _) = run(&["check", s, "--format", "json"]);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["file"], "content/e\u{1b}[2J\u{9b}\u{202e}.md");
    assert!(json.contains("e\\u001b[2J\\u009b\\u202e.md"), "{json}");
    // GitHub: workflow-command escapes on top.
    let (_, gh, _) = run(&["check", s, "--format", "github"]);
    assert!(
        gh.contains("::warning file=content/e\\u{1b}[2J\\u{9b}\\u{202e}.md,line=4,endLine=4,col=5,endColumn=26,title=broken-link::"),
        "{gh}"
    );
}

#[test]
fn a_line_of_thousands_of_broken_links_prints_a_short_correct_report() {
    let site = tempfile::tempdir().unwrap();
    let c = site.path().join("content");
    std::fs::create_dir_all(&c).unwrap();
    // About 480 KB on one line.
    let links: String = (0..27_500).map(|i| format!("[[missing-{i}]] ")).collect();
    std::fs::write(c.join("big.md"), format!("---\ntitle: Big\n---\n{links}\n")).unwrap();
    let (code, stderr, _) = run(&["check", site.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.len() < 20_000, "{} bytes", stderr.len());
    assert!(
        stderr.lines().all(|l| l.chars().count() < 200),
        "snippet lines are cut to a window"
    );
    // The first 20 links in full, with their real columns; the rest counted.
    assert!(
        stderr.contains("link \"missing-0\" does not match") && stderr.contains("big.md:4:1"),
        "{stderr}"
    );
    let col = links.find("[[missing-19]]").unwrap() + 1;
    assert!(
        stderr.contains("link \"missing-19\" does not match")
            && stderr.contains(&format!("big.md:4:{col}")),
        "{stderr}"
    );
    assert!(!stderr.contains("\"missing-20\""), "{stderr}");
    assert!(
        stderr.contains("and 27480 more broken-link problems in this file"),
        "{stderr}"
    );
    // No empty message.
    assert!(!stderr.contains("warning[broken-link]: \n"), "{stderr}");
    // The window around a column far along the line.
    assert!(
        stderr.contains("4 │ …") && stderr.contains("[[missing-19]]"),
        "{stderr}"
    );
}

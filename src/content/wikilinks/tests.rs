//! Unit tests of `wikilinks`.

use super::*;

#[test]
fn finds_body_links_with_lines() {
    let links = body_links(
        "Intro\n\nSee [[Jane Doe]] and [[deal-1|the deal]].\n\n`[[not a link]]`\n\n[[x#Heading]]\n",
        5,
    );
    let got: Vec<_> = links
        .iter()
        .map(|l| (l.target.as_str(), l.anchor(), l.span.line))
        .collect();
    assert_eq!(
        got,
        [
            ("Jane Doe", None, 7),
            ("deal-1", None, 7),
            ("x", Some("Heading"), 11)
        ]
    );
    assert_eq!(links[0].span.col, 5);
}

fn uncommented(body: &str) -> String {
    without_comments(body).text.into_owned()
}

#[test]
fn obsidian_comments_are_taken_out() {
    assert_eq!(uncommented("Plain text, 50% off."), "Plain text, 50% off.");
    assert_eq!(
        uncommented("Rep is fine %%on a PIP%% today."),
        "Rep is fine  today."
    );
    assert_eq!(
        uncommented("Before\n\n%%\nsalary 123456\nsecond line\n%%\n\nAfter\n"),
        "Before\n\n\n\nAfter\n"
    );
    // Left open: to the end of the note, as Obsidian hides it.
    assert_eq!(uncommented("Shown %% hidden\nstill hidden"), "Shown ");
    // In code, `%%` is literal.
    assert_eq!(
        uncommented("Use `%%` or\n\n```\nx %% y %% z\n```\n\nand %%gone%%."),
        "Use `%%` or\n\n```\nx %% y %% z\n```\n\nand ."
    );
    assert_eq!(
        uncommented("    %% indented code %%\n"),
        "    %% indented code %%\n"
    );
}

#[test]
fn a_backtick_in_a_comment_opens_no_code() {
    // Read at once, the backtick after the first `%%` pairs with the
    // last one and would hide the second comment inside "code".
    assert_eq!(
        uncommented("%% don't ` %% shown %% secret %% `"),
        " shown  `"
    );
    // Past the reparse budget every `%%` counts: hidden, never shown.
    let many = "%%`%% x ".repeat(40) + "`%% secret %%`";
    let got = uncommented(&many);
    assert!(!got.contains("secret"), "{got}");
}

#[test]
fn links_in_comments_are_not_links_and_positions_stay_right() {
    let body =
        "%% [[hidden]] %%\nA %%x%% [[shown]] and `%%` [[also]]\n%%\n[[gone]]\n%%\n[[last]]\n";
    let links = body_links(body, 3);
    let got: Vec<_> = links
        .iter()
        .map(|l| (l.target.as_str(), l.span.line, l.span.col))
        .collect();
    assert_eq!(got, [("shown", 4, 9), ("also", 4, 28), ("last", 8, 1)]);
}

#[test]
fn html_warnings_have_file_lines_and_character_columns() {
    let body = "Intro %%<hidden>%%\n\né <first name> ü <Company>\n\n> <title>\n";
    let got: Vec<_> = html_diagnostics("content/x.md", body, 4, false)
        .into_iter()
        .map(|d| (d.code.as_str(), d.file, d.line, d.column))
        .collect();
    let f = || "content/x.md".to_string();
    assert_eq!(
        got,
        [
            ("unknown-html-tag", f(), 6, 3),
            ("unknown-html-tag", f(), 6, 18),
            ("unknown-html-tag", f(), 8, 3),
        ]
    );
    // Many on one long line: every column right, each byte read once.
    let body = "<x> ".repeat(3000);
    let cols: Vec<usize> = html_diagnostics("x.md", &body, 1, false)
        .iter()
        .map(|d| d.column)
        .collect();
    assert_eq!(cols.len(), 3000);
    assert!(cols.iter().enumerate().all(|(i, c)| *c == 4 * i + 1));
}

#[test]
fn deep_html_is_found_with_its_line() {
    let deep = format!("Intro\n\n{}\n", "<div>".repeat(150));
    assert_eq!(scan_body(&deep, 5).html_too_deep, Some(7));
    // Deep Markdown alone is never sanitised: nothing to report.
    let quotes = format!("{} x\n", ">".repeat(150));
    assert_eq!(scan_body(&quotes, 1).html_too_deep, None);
    // With raw HTML somewhere, it counts.
    assert_eq!(
        scan_body(&format!("{quotes}\n<b>hi</b>\n"), 1).html_too_deep,
        Some(1)
    );
    let fine = format!("{}{}", "<div>".repeat(90), "</div>".repeat(90));
    assert_eq!(scan_body(&fine, 1).html_too_deep, None);
    // What a block leaves open is text after it (see `raw_html`), so
    // an unclosed `<b>` in each of many paragraphs nests nothing.
    let bold = "Start <b>bold.\n\n".repeat(150);
    assert_eq!(scan_body(&bold, 1).html_too_deep, None);
    // Nor do placeholders, which are no elements, however many.
    let letters = "Dear <first name>, at <Company>. ".repeat(150);
    assert_eq!(scan_body(&letters, 1).html_too_deep, None);
    // Deep in one block still counts, inline or in an HTML block, and
    // a deep list item's HTML adds to its depth.
    let inline = format!("Start {}x\n", "<span>".repeat(120));
    assert_eq!(scan_body(&inline, 3).html_too_deep, Some(3));
    let items = format!("{}<b>x</b>\n", "- ".repeat(60));
    assert_eq!(scan_body(&items, 1).html_too_deep, Some(1));
    // HTML blocks of one container share their open elements: 61 in
    // the first (lines 3 to 64), the 101st on line 104.
    let block = format!("{}\n<div>\n", "<div>\n".repeat(60));
    assert_eq!(
        scan_body(&format!("Intro\n\n{block}{block}"), 1).html_too_deep,
        Some(104)
    );
}

#[test]
fn link_spans_count_characters_and_cover_the_link() {
    let spans = |body: &str| -> Vec<(usize, usize, usize)> {
        body_links(body, 4)
            .iter()
            .map(|l| (l.span.line, l.span.col, l.span.end_col))
            .collect()
    };
    // What a person sees: 7 characters before the first link (21 bytes).
    assert_eq!(
        spans("日本語の説明 [[存在しない]] と [[x|ラベル]]\n"),
        [(4, 8, 17), (4, 20, 29)]
    );
    // A comment right after a link is not part of it.
    assert_eq!(spans("é [[a]]%%c%% [[b]]\n"), [(4, 3, 8), (4, 14, 19)]);
    // Many on one line, in one pass.
    let long = "[[日本]] ".repeat(20_000);
    let got = spans(&long);
    assert_eq!(got[0], (4, 1, 7));
    assert_eq!(got[19_999], (4, 1 + 7 * 19_999, 7 + 7 * 19_999));
}

#[test]
fn positions_on_one_long_line() {
    let body = "[[w]] ".repeat(3);
    let cols: Vec<_> = body_links(&body, 4)
        .iter()
        .map(|l| (l.span.line, l.span.col))
        .collect();
    assert_eq!(cols, [(4, 1), (4, 7), (4, 13)]);
}

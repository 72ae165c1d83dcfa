//! Unit tests of the diagnostics list and its printers.

use super::*;
use crate::diagnostics::*;

#[test]
fn folding_twice_keeps_one_summary_with_the_right_count() {
    let mut d = Diagnostics::default();
    for line in 1..=100 {
        d.push(Diagnostic::warning(
            Code::BrokenLink,
            "content/a.md",
            line,
            "x",
        ));
    }
    // Placeholders from the link stage: counted, never shown.
    for _ in 0..50 {
        d.push(Diagnostic::warning(
            Code::BrokenLink,
            "content/a.md",
            101,
            String::new(),
        ));
    }
    d.sort();
    d.sort();
    d.sort();
    let shown: Vec<&Diagnostic> = d.items.iter().filter(|x| x.folded == 0).collect();
    let summaries: Vec<&Diagnostic> = d.items.iter().filter(|x| x.folded > 0).collect();
    assert_eq!(shown.len(), PER_FILE);
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0].folded, 150 - PER_FILE);
    assert_eq!(
        d.warnings(),
        150,
        "the summary line counts for what it folds"
    );
    assert_eq!(
        summaries[0].message,
        format!(
            "and {} more broken-link problems in this file",
            150 - PER_FILE
        )
    );
}

#[test]
fn display_has_file_line_and_code() {
    let d = Diagnostic::error(
        Code::InvalidValue,
        "content/a.md",
        4,
        "quota must be a number",
    )
    .at_column(8);
    assert_eq!(
        d.to_string(),
        "content/a.md:4:8: error[invalid-value]: quota must be a number"
    );
}

#[test]
fn github_format_escapes() {
    let d = Diagnostic::warning(Code::BrokenLink, "content/a,b.md", 3, "50% broken\nnext");
    assert_eq!(
        to_github(&d),
        "::warning file=content/a%2Cb.md,line=3,title=broken-link::50%25 broken%0Anext"
    );
}

#[test]
fn snippet_range_points_at_the_line() {
    let src = Source::new("---\nquota: lots\n---\n".into());
    assert_eq!(src.line(2), Some("quota: lots"));
    assert_eq!(src.line(4), Some(""));
    assert_eq!(src.line(5), None);
    assert_eq!(src.line(0), None);
    let (s, r) = Snippet::new("a.md", 2, "quota: lots", 0, 0);
    assert_eq!((s.text.as_str(), r), ("quota: lots", 0..11));
    let (s, r) = Snippet::new("a.md", 2, "quota: lots", 8, 0);
    assert_eq!(&s.text[r], "lots");
    assert_eq!(s.column_number((), 0, 7).ok(), Some(8));
    // An empty line, a column past the end.
    assert_eq!(Snippet::new("a.md", 1, "", 0, 0).1, 0..0);
    assert_eq!(Snippet::new("a.md", 1, "ab", 9, 0).1, 0..2);
}

#[test]
fn snippets_escape_controls_and_keep_real_columns() {
    let line = "x \u{1b}]0;pwned\u{7} [[y]] \u{202e}z";
    let col = line.chars().position(|c| c == '[').unwrap() + 1;
    let (s, r) = Snippet::new("a\u{1b}[2J.md", 3, line, col, col + 5);
    assert!(!s.text.chars().any(is_unsafe_char), "{:?}", s.text);
    assert!(!s.name.chars().any(is_unsafe_char));
    assert_eq!(s.text, "x \\u{1b}]0;pwned\\u{7} [[y]] \\u{202e}z");
    assert!(s.text[r.clone()].starts_with("[[y]]"));
    assert_eq!(s.column_number((), 0, r.start).ok(), Some(col));
}

#[test]
fn long_lines_show_a_window_around_the_column() {
    let line = format!("{}[[here]]{}", "a".repeat(100_000), "b".repeat(100_000));
    let (s, r) = Snippet::new("a.md", 7, &line, 100_001, 0);
    assert!(s.text.chars().count() <= WINDOW + 2, "{}", s.text.len());
    assert!(s.text.starts_with('…') && s.text.ends_with('…'));
    assert!(s.text[r.clone()].starts_with("[[here]]"));
    assert_eq!(s.column_number((), 0, r.start).ok(), Some(100_001));
    assert_eq!(s.line_number((), 0).ok(), Some(7));
}

#[test]
fn every_format_escapes_terminal_controls() {
    let evil = "a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}31m\u{7f}\u{202e}\u{2066}c\td";
    let d = Diagnostic::warning(Code::BrokenLink, "content/\u{1b}[2J.md", 1, evil).with_help(evil);
    for text in [to_json(&d), to_github(&d)] {
        assert!(!text.chars().any(is_unsafe_char), "{text:?}");
    }
    // JSON still decodes to the same text.
    let back: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
    assert_eq!(back["message"], evil);
    assert_eq!(back["file"], "content/\u{1b}[2J.md");
    assert_eq!(escape_controls("tab\tstays"), "tab\tstays");
    assert_eq!(escape_controls("a\nb"), "a\\u{a}b");
    assert_eq!(escape_controls_keep_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
    // The human printer, snippet included.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        format!("---\ntitle: {evil}\n---\n"),
    )
    .unwrap();
    let d = Diagnostic::error(Code::InvalidValue, "a.md", 2, evil).with_help(evil);
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    print_human(&mut buf, &d, dir.path());
    let text = String::from_utf8(buf.into_inner()).unwrap();
    assert!(
        !text.chars().any(|c| is_unsafe_char(c) && c != '\n'),
        "{text}"
    );
    assert!(text.contains("title: a\\u{1b}]0;pwned"), "{text}");
}

#[test]
fn many_problems_are_capped_and_placeholders_counted() {
    let mut ds = Diagnostics::default();
    for i in 0..30 {
        ds.push(
            Diagnostic::warning(Code::BrokenLink, "a.md", 5, format!("link {i:02}"))
                .at_column(i + 1),
        );
    }
    // What the link stage pushes beyond the first few: all alike.
    for _ in 0..1000 {
        ds.push(Diagnostic::warning(
            Code::BrokenLink,
            "a.md",
            5,
            String::new(),
        ));
    }
    ds.push(Diagnostic::error(Code::InvalidValue, "a.md", 2, "quota"));
    ds.sort();
    let msgs: Vec<&str> = ds.items.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(msgs.len(), 22, "{msgs:?}");
    assert_eq!(msgs[0], "quota");
    assert_eq!(msgs[1], "link 00");
    assert_eq!(msgs[20], "link 19");
    assert_eq!(msgs[21], "and 1010 more broken-link problems in this file");
    assert!(msgs.iter().all(|m| !m.is_empty()));
}

#[test]
fn github_properties_escape_colons_and_commas() {
    let d = Diagnostic::error(Code::InvalidValue, "content/a:b,c%d.md", 2, "m:1,2%\r\n");
    assert_eq!(
        to_github(&d),
        "::error file=content/a%3Ab%2Cc%25d.md,line=2,title=invalid-value::m:1,2%25%0D%0A"
    );
}

#[test]
fn spans_are_underlined_and_printed_in_every_format() {
    let span = crate::model::Span {
        line: 7,
        col: 8,
        end_col: 17,
    };
    let d = Diagnostic::warning(Code::BrokenLink, "content/a.md", 0, "link").at_span(span);
    assert_eq!((d.line, d.column, d.end_column), (7, 8, 17));
    assert_eq!(
        d.to_string(),
        "content/a.md:7:8: warning[broken-link]: link"
    );
    let json: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
    assert_eq!(
        (json["column"].as_u64(), json["end_column"].as_u64()),
        (Some(8), Some(17))
    );
    assert_eq!(
        to_github(&d),
        "::warning file=content/a.md,line=7,endLine=7,col=8,endColumn=17,title=broken-link::link"
    );
    // No extent known: no end, in any format.
    let d = d.at_column(8);
    assert_eq!(d.end_column, 0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&to_json(&d)).unwrap()["end_column"],
        0
    );
    assert!(!to_github(&d).contains("endColumn"));
    // An end before the start is no extent.
    let d = d.at_span(crate::model::Span {
        line: 7,
        col: 8,
        end_col: 3,
    });
    assert_eq!(d.end_column, 0);
}

#[test]
fn the_caret_underlines_the_span_in_characters() {
    let line = "日本語の説明 [[存在しない]] と [[x]]";
    let (s, r) = Snippet::new("a.md", 7, line, 8, 17);
    assert_eq!(&s.text[r.clone()], "[[存在しない]]");
    assert_eq!(s.column_number((), 0, r.start).ok(), Some(8));
    let (s, r) = Snippet::new("a.md", 7, line, 20, 25);
    assert_eq!(&s.text[r], "[[x]]");
    // An end past the line: to its end.
    let (s, r) = Snippet::new("a.md", 7, "quota: lots", 8, 99);
    assert_eq!(&s.text[r], "lots");
    // In a long line's window, the span is cut where the window is.
    let long = format!("{}[[here]]{}", "é".repeat(1000), "b".repeat(1000));
    let (s, r) = Snippet::new("a.md", 7, &long, 1001, 1009);
    assert_eq!(&s.text[r.clone()], "[[here]]");
    assert_eq!(s.column_number((), 0, r.start).ok(), Some(1001));
    // Through codespan: the carets sit under the link only.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), format!("---\n---\n{line}\n")).unwrap();
    let d = Diagnostic::warning(Code::BrokenLink, "a.md", 0, "link").at_span(crate::model::Span {
        line: 3,
        col: 20,
        end_col: 25,
    });
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    print_human(&mut buf, &d, dir.path());
    let text = String::from_utf8(buf.into_inner()).unwrap();
    assert!(text.contains("a.md:3:20"), "{text}");
    let carets: Vec<&str> = text.lines().filter(|l| l.contains('^')).collect();
    assert_eq!(carets.len(), 1, "{text}");
    assert_eq!(
        carets[0].trim_start_matches([' ', '│']).trim_end(),
        "^^^^^",
        "{text}"
    );
}

#[test]
fn human_output_shows_snippet() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "---\nquota: lots\n---\n").unwrap();
    let d = Diagnostic::error(Code::InvalidValue, "a.md", 2, "quota must be a number");
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    print_human(&mut buf, &d, dir.path());
    let text = String::from_utf8(buf.into_inner()).unwrap();
    assert!(text.contains("quota: lots"), "{text}");
    assert!(text.contains("a.md:2"), "{text}");
}

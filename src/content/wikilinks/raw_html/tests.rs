//! Unit tests of `raw_html`.

use super::*;

fn kinds(s: &str) -> Vec<(String, &str)> {
    tokenize(s)
        .into_iter()
        .map(|t| {
            let k = match t.kind {
                TokenKind::Text => "text".to_string(),
                TokenKind::Start { name, self_closing } => {
                    format!("<{name}{}>", if self_closing { "/" } else { "" })
                }
                TokenKind::End { name } => format!("</{name}>"),
                TokenKind::Comment => "comment".into(),
                TokenKind::Markup => "markup".into(),
                TokenKind::RawText { name } => format!("raw {name}"),
            };
            (k, &s[t.range])
        })
        .collect()
}

#[test]
fn tokenizes_tags_text_and_comments() {
    let got = kinds(
        "Hi <first name>, <b class=\"x > y\" data-a='1' hidden>b</B> <!-- c --> <br/> a < b <3",
    );
    let names: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "text", "<first>", "text", "<b>", "text", "</b>", "text", "comment", "text", "<br/>",
            "text"
        ]
    );
    assert_eq!(got[3].1, "<b class=\"x > y\" data-a='1' hidden>");
    assert_eq!(got[10].1, " a < b <3");
}

#[test]
fn raw_text_elements_run_to_their_end_tag() {
    let got = kinds("<script>if (a<b && c>d) {}</script >x<title>t");
    assert_eq!(
        got[0],
        ("raw script".into(), "<script>if (a<b && c>d) {}</script >")
    );
    assert_eq!(got[1], ("text".into(), "x"));
    assert_eq!(got[2], ("<title>".into(), "<title>"));
    assert_eq!(kinds("<plaintext>x</plaintext>")[0].0, "<plaintext>");
    assert_eq!(kinds("<style>a</styles>")[0].0, "<style>");
}

#[test]
fn what_is_not_a_tag_is_text() {
    for s in [
        "<",
        "<>",
        "< b>",
        "<1a>",
        "<a",
        "<a href=>",
        "<a href=\"x>",
        "<a b='c'd>",
        "<!-- x",
        "<![CDATA[ x",
        "<? x",
        "<!1>",
        "</a b>",
        "<a/ >",
        "<é>",
    ] {
        let got = kinds(s);
        assert!(got.iter().all(|(k, _)| k == "text"), "{s}: {got:?}");
    }
    assert_eq!(kinds("<!-->")[0].0, "comment");
    assert_eq!(kinds("<!DOCTYPE html>")[0].0, "markup");
    assert_eq!(kinds("<?php x ?>")[0].0, "markup");
}

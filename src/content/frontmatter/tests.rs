//! Unit tests of `frontmatter`.

use super::explain::*;
use super::scan::*;
use super::*;
use crate::model::Span;

#[test]
fn splits_frontmatter_and_body() {
    let s = split("---\na: 1\n---\nbody\n").unwrap();
    assert_eq!(s.yaml, "a: 1\n");
    assert_eq!(s.body, "body\n");
    assert_eq!(s.body_line, 4);
    assert!(s.has_frontmatter);
}

#[test]
fn no_frontmatter_is_all_body() {
    let s = split("# Title\n").unwrap();
    assert!(!s.has_frontmatter);
    assert_eq!(s.body, "# Title\n");
}

#[test]
fn unterminated_is_an_error() {
    assert_eq!(split("---\na: 1\n"), Err(Unterminated));
}

#[test]
fn empty_frontmatter_and_end_of_file() {
    let s = split("---\n---").unwrap();
    assert_eq!(s.yaml, "");
    assert_eq!(s.body, "");
}

#[test]
fn block_ends_match_a_plain_scan() {
    let yaml =
        "a:\n  b: 1\n  # c: 2\n\n  d:\n    - e: 1\n      f: 2\n    - g\nh: 3\n  - i\n# j:\nk:\n";
    let lines: Vec<&str> = yaml.split('\n').collect();
    let loc = Locator::new(yaml, 2);
    for l in 0..lines.len() {
        let base = indent(lines[l]) + usize::from(lines[l].trim_start().starts_with("- "));
        let plain = (l + 1..lines.len())
            .find(|j| !is_blank(lines[*j]) && indent(lines[*j]) <= base)
            .unwrap_or(lines.len());
        assert_eq!(loc.end_of(l), plain, "line {l}");
    }
}

#[test]
fn the_key_index_finds_what_a_scan_finds() {
    let yaml = "a: 1\nb:\n  a: {a: 2, b-c: 3}\n  - x,a: 4\n# a: no\nlong key here: 5\nurl: http://a:b\n\ta:\nb c: d: e\na-a-a: 6\n é: 7\n";
    let loc = Locator::new(yaml, 2);
    let n = loc.lines().len();
    for key in [
        "a",
        "b",
        "b-c",
        "c",
        "key here",
        "long key here",
        "http",
        "//a",
        "url",
        "d",
        "b c",
        "a-a",
        "é",
        "",
        "zz",
    ] {
        for l in 0..n {
            for c in [0, 1, 3] {
                for to in [l + 1, n] {
                    assert_eq!(
                        loc.indexed_key(key, (l, c), (to, 0)),
                        loc.scan_key(key, (l, c), (to.min(n), 0)),
                        "{key:?} from {l}:{c} to {to}"
                    );
                }
            }
        }
    }
}

#[test]
fn many_list_items_are_located() {
    let yaml = format!("tags:\n{}", "  - {a: 1}\n".repeat(20_000));
    let loc = Locator::new(&yaml, 2);
    for i in [0, 1, 19_999] {
        let s = loc.find(&[Seg::Key("tags"), Seg::Index(i)]);
        assert_eq!((s.line, s.col), (3 + i, 3));
    }
    assert_eq!(loc.find(&[Seg::Key("tags"), Seg::Index(20_000)]).line, 2);
}

/// The text a span underlines on its line, and the span's columns.
fn shown(yaml: &str, span: Span) -> (String, usize, usize) {
    let line = yaml.split('\n').nth(span.line - 2).unwrap_or("");
    let text: String = line
        .chars()
        .skip(span.col - 1)
        .take(span.end_col.saturating_sub(span.col))
        .collect();
    (text, span.col, span.end_col)
}

#[test]
fn values_are_located_from_first_to_last_character() {
    let yaml = concat!(
        "quota: lots  # a comment\n",
        "name: \"Dana \\\" W\" # c\n",
        "team: 'O''Brien'\n",
        "skills: {discovery: {current: 3, target: 9}, closing: [1, 2]}\n",
        "focus:\n",
        "  - skill: a\n",
        "  - plain item\n",
        "  - {skill: b}\n",
        "objections: [{objection: a, response: b}, {objection: c, response: \"d, e\"}]\n",
        "block: |\n",
        "  text\n",
        "multi: {a: 1,\n",
        "  b: x}\n",
        "empty:\n",
    );
    let loc = Locator::new(yaml, 2);
    let v = |path: &[Seg]| shown(yaml, loc.find_value(path));
    let k = |path: &[Seg]| shown(yaml, loc.find(path));
    use Seg::{Index as I, Key as K};
    assert_eq!(v(&[K("quota")]), ("lots".into(), 8, 12));
    assert_eq!(k(&[K("quota")]), ("quota".into(), 1, 6));
    assert_eq!(v(&[K("name")]).0, "\"Dana \\\" W\"");
    assert_eq!(v(&[K("team")]).0, "'O''Brien'");
    assert_eq!(
        v(&[K("skills")]).0,
        "{discovery: {current: 3, target: 9}, closing: [1, 2]}"
    );
    assert_eq!(v(&[K("skills"), K("discovery"), K("target")]).0, "9");
    assert_eq!(
        v(&[K("skills"), K("discovery")]).0,
        "{current: 3, target: 9}"
    );
    assert_eq!(v(&[K("skills"), K("closing"), I(1)]).0, "2");
    // A block value: its key.
    assert_eq!(v(&[K("focus")]), ("focus".into(), 1, 6));
    // A map item: its dash; its keys' values.
    assert_eq!(v(&[K("focus"), I(0)]), ("-".into(), 3, 4));
    assert_eq!(v(&[K("focus"), I(0), K("skill")]).0, "a");
    assert_eq!(v(&[K("focus"), I(1)]).0, "plain item");
    assert_eq!(v(&[K("focus"), I(2)]).0, "{skill: b}");
    assert_eq!(v(&[K("focus"), I(2), K("skill")]).0, "b");
    assert_eq!(
        v(&[K("objections"), I(1)]).0,
        "{objection: c, response: \"d, e\"}"
    );
    assert_eq!(v(&[K("objections"), I(1), K("response")]).0, "\"d, e\"");
    assert_eq!(v(&[K("objections"), I(0), K("response")]).0, "b");
    // Not found in the first item: never taken from the second.
    assert_eq!(
        v(&[K("objections"), I(0), K("why")]).0,
        "{objection: a, response: b}"
    );
    assert_eq!(v(&[K("block")]).0, "block");
    let s = loc.find_value(&[K("multi"), K("b")]);
    assert_eq!((s.line, shown(yaml, s).0.as_str()), (14, "x"));
    // A multi-line value: from its start to its line's end.
    assert_eq!(v(&[K("multi")]).0, "{a: 1,");
    assert_eq!(v(&[K("empty")]).0, "empty");
    // Not there: the fence, or the value around it.
    assert_eq!(loc.find_value(&[K("nope")]), loc.start());
    assert_eq!(
        loc.start(),
        Span {
            line: 1,
            col: 1,
            end_col: 4
        }
    );
    assert_eq!(v(&[K("quota"), K("x")]).0, "lots");
}

#[test]
fn columns_count_characters_not_bytes() {
    let yaml = "名前: 田中 太郎\nnote: café crème: no\nskills: {交渉: {current: 9}}\ntags: [日本, 東京, x]\n";
    let loc = Locator::new(yaml, 2);
    use Seg::{Index as I, Key as K};
    assert_eq!(
        shown(yaml, loc.find_value(&[K("名前")])),
        ("田中 太郎".into(), 5, 10)
    );
    assert_eq!(
        shown(yaml, loc.find(&[K("skills"), K("交渉"), K("current")])),
        ("current".into(), 15, 22)
    );
    assert_eq!(
        shown(
            yaml,
            loc.find_value(&[K("skills"), K("交渉"), K("current")])
        ),
        ("9".into(), 24, 25)
    );
    assert_eq!(
        shown(yaml, loc.find_value(&[K("tags"), I(1)])),
        ("東京".into(), 12, 14)
    );
    assert_eq!(
        shown(yaml, loc.find_value(&[K("tags"), I(2)])),
        ("x".into(), 16, 17)
    );
}

#[test]
fn many_flow_items_on_one_long_line_are_located_in_linear_time() {
    let yaml = format!("tags: [{}]\n", "{a: 日本}, ".repeat(5_000));
    let loc = Locator::new(&yaml, 2);
    let start = std::time::Instant::now();
    for i in 0..5_000 {
        let s = loc.find_value(&[Seg::Key("tags"), Seg::Index(i), Seg::Key("a")]);
        assert_eq!((s.line, s.col, s.end_col), (2, 12 + 9 * i, 14 + 9 * i));
    }
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

/// The explanation of a YAML block's error: (line of the file, with
/// the block from line 2), the text underlined, message, help.
fn yaml_problem(yaml: &str) -> (usize, String, String, String) {
    let e =
        serde_norway::from_str::<serde_norway::Value>(yaml).expect_err("this YAML must not parse");
    let p = explain_yaml_error(yaml, &e);
    let line = yaml.split('\n').nth(p.line).unwrap_or("");
    let shown: String = line
        .chars()
        .skip(p.col.saturating_sub(1))
        .take(p.end_col.saturating_sub(p.col))
        .collect();
    (p.line + 2, shown, p.message, p.help)
}

#[test]
fn common_yaml_mistakes_are_explained_at_their_line() {
    // An unquoted `: ` in a value.
    let (line, shown, msg, help) =
        yaml_problem("type: coaching\ntakeaway: Ask: why\ndate: 2026-01-05\n");
    assert_eq!((line, shown.as_str()), (3, "Ask: why"));
    assert!(
        msg.starts_with("the value of `takeaway` has a `: ` in it"),
        "{msg}"
    );
    assert_eq!(
        help,
        "a value with `: ` in it needs quotes: `takeaway: \"Ask: why\"`"
    );
    // One with a `"` in it is quoted with single quotes.
    let (_, _, _, help) = yaml_problem("title: say \"no\": then\n");
    assert_eq!(
        help,
        "a value with `: ` in it needs quotes: `title: 'say \"no\": then'`"
    );
    // A tab used to indent.
    let (line, shown, msg, help) =
        yaml_problem("type: rep\nskills:\n\tdiscovery: {current: 1, target: 2}\n");
    assert_eq!((line, shown.as_str()), (4, "\t"));
    assert_eq!(
        msg,
        "this line is indented with a tab; YAML indents with spaces only"
    );
    assert_eq!(help, "replace the tab with spaces");
    let (line, _, msg, _) = yaml_problem("type: rep\n\tname: x\n");
    assert_eq!(line, 3);
    assert!(msg.contains("tab"), "{msg}");
    // An unclosed quote: at the quote, not at the end of the block.
    let (line, shown, msg, help) =
        yaml_problem("type: deal\nname: \"Acme\naccount: Acme\nstage: lead\n");
    assert_eq!((line, shown.as_str()), (3, "\"Acme"));
    assert!(
        msg.starts_with("the `\"` that opens this value is never closed"),
        "{msg}"
    );
    assert!(
        help.starts_with("end the value with a matching `\"`"),
        "{help}"
    );
    let (line, shown, _, help) = yaml_problem("name: 'Acme\ntype: deal\n");
    assert_eq!((line, shown.as_str()), (2, "'Acme"));
    assert!(help.ends_with("write `''`"), "{help}");
    // A list item out of line.
    let (line, shown, msg, _) = yaml_problem("title: T\ntags:\n  - a\n - b\n");
    assert_eq!((line, shown.as_str()), (5, "- b"));
    assert!(msg.starts_with("this list item does not line up"), "{msg}");
    // `key value` with no colon: the line itself, not the next one.
    let (line, shown, msg, help) = yaml_problem("type: deal\nname Acme\nstage: lead\n");
    assert_eq!((line, shown.as_str()), (3, "name Acme"));
    assert_eq!(
        msg,
        "this line is not a field: it has no `:` after the field's name"
    );
    assert_eq!(help, "write it as `name: Acme`");
    // A key indented under a value.
    let (line, shown, msg, _) = yaml_problem("name: x\n  stage: lead\n");
    assert_eq!((line, shown.as_str()), (3, "stage"));
    assert!(
        msg.starts_with("`stage` is indented more than the line above it"),
        "{msg}"
    );
    // A line indented less than its siblings.
    let (line, shown, _, _) = yaml_problem("skills:\n  discovery: 3\n closing: 2\n");
    assert_eq!((line, shown.as_str()), (4, "closing: 2"));
    // A `[` never closed: at the `[`.
    let (line, shown, msg, _) = yaml_problem("title: [draft\ntags: x\n");
    assert_eq!((line, shown.as_str()), (2, "[draft"));
    assert_eq!(msg, "the `[` that opens this list is never closed");
    let (_, _, msg, _) = yaml_problem("title: {draft\n");
    assert_eq!(msg, "the `{` that opens this map is never closed");
    // A Windows path in double quotes.
    let (line, shown, msg, help) = yaml_problem("title: \"C:\\dir\\x\"\n");
    assert_eq!((line, shown.as_str()), (2, "\\d"));
    assert_eq!(msg, "`\\d` is not a valid escape inside double quotes");
    assert!(help.contains("single quotes"), "{help}");
    // Text after a closing quote or bracket.
    let (_, shown, msg, help) = yaml_problem("title: 'it's'\n");
    assert_eq!(shown, "s'");
    assert!(
        msg.starts_with("there is more text after the closing `'`"),
        "{msg}"
    );
    assert!(help.contains("`''`"), "{help}");
    let (_, shown, _, _) = yaml_problem("tags: [a, b]]\n");
    assert_eq!(shown, "]");
    // Values YAML keeps for itself.
    let (_, shown, msg, help) = yaml_problem("title: @home\n");
    assert_eq!(
        (shown.as_str(), msg.as_str()),
        ("@home", "YAML does not let a value start with `@`")
    );
    assert_eq!(help, "put the value in quotes: `title: \"@home\"`");
    let (_, shown, msg, _) = yaml_problem("title: *star\n");
    assert_eq!(shown, "*star");
    assert!(msg.contains("anchor"), "{msg}");
    let (_, shown, msg, _) = yaml_problem("tags: - a\n");
    assert_eq!(
        (shown.as_str(), msg.as_str()),
        (
            "- a",
            "a list item cannot start on the same line as its field"
        )
    );
    // A key given twice: the second one.
    let (line, shown, msg, _) = yaml_problem("title: a\nskills:\n  a: 1\n  b: 2\n  a: 3\n");
    assert_eq!(
        (line, shown.as_str(), msg.as_str()),
        (6, "a", "`a` is given twice in `skills`")
    );
    let (line, shown, msg, _) = yaml_problem("title: a\ntags: [x]\ntitle: b\n");
    assert_eq!(
        (line, shown.as_str(), msg.as_str()),
        (4, "title", "`title` is given twice")
    );
    let (line, _, _, _) = yaml_problem("focus:\n  - skill: a\n  - skill: b\n    skill: c\n");
    assert_eq!(line, 5);
    // A control character, at its place.
    let (line, shown, msg, _) = yaml_problem("title: ok\nname: a\u{1}b\n");
    assert_eq!((line, shown.as_str()), (3, "\u{1}"));
    assert!(msg.contains("\\u{1}"), "{msg}");
    // An indented first line.
    let (line, _, msg, _) = yaml_problem("  title: a\ntags: b\n");
    assert_eq!(line, 2);
    assert!(msg.starts_with("the first line is indented"), "{msg}");
}

#[test]
fn yaml_error_columns_count_characters() {
    let (line, shown, _, help) = yaml_problem("名前: 田中\nメモ: 価格: 後で\n");
    assert_eq!((line, shown.as_str()), (3, "価格: 後で"));
    assert_eq!(
        help,
        "a value with `: ` in it needs quotes: `メモ: \"価格: 後で\"`"
    );
    let e = serde_norway::from_str::<serde_norway::Value>("名前: 田中\nメモ: 価格: 後で\n")
        .unwrap_err();
    let p = explain_yaml_error("名前: 田中\nメモ: 価格: 後で\n", &e);
    assert_eq!((p.line, p.col, p.end_col), (1, 5, 11));
    // A lone CR is a line break to the parser, not to the file.
    let yaml = "a: 1\rb: [x\n";
    let e = serde_norway::from_str::<serde_norway::Value>(yaml).unwrap_err();
    let p = explain_yaml_error(yaml, &e);
    assert_eq!((p.line, p.col), (0, 9));
}

#[test]
fn any_yaml_error_is_explained_without_panicking() {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let pieces = [
        "a", ": ", "- ", "\t", "\"", "'", "[", "]", "{", "}", ",", "\n", "  ", "#", "&x ", "*x",
        "\\", "é", "日本", "\r", "\u{2028}", "? ", "|", ">", "%", "@", "!", "\u{1}", "---",
    ];
    for _ in 0..20_000 {
        let mut yaml = String::new();
        for _ in 0..(rng % 12) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            yaml.push_str(pieces[(rng % pieces.len() as u64) as usize]);
        }
        if let Err(e) = serde_norway::from_str::<serde_norway::Value>(&yaml) {
            let p = explain_yaml_error(&yaml, &e);
            assert!(p.line < yaml.split('\n').count(), "{yaml:?}: {p:?}");
            assert!(!p.message.is_empty() && !p.help.is_empty(), "{yaml:?}");
            assert!(p.end_col == 0 || p.end_col > p.col, "{yaml:?}: {p:?}");
        }
    }
}

#[test]
fn locates_nested_keys() {
    let yaml = "name: X\nskills:\n  discovery: {current: 3, target: 9}\n  closing:\n    current: 7\nfocus:\n  - skill: a\n  - skill: b\n    target_date: 2026-02-30\n";
    let loc = Locator::new(yaml, 2);
    assert_eq!(loc.find(&[Seg::Key("name")]).line, 2);
    let s = loc.find(&[
        Seg::Key("skills"),
        Seg::Key("discovery"),
        Seg::Key("target"),
    ]);
    assert_eq!((s.line, s.col), (4, 27));
    assert_eq!(
        loc.find(&[Seg::Key("skills"), Seg::Key("closing"), Seg::Key("current")])
            .line,
        6
    );
    let s = loc.find(&[Seg::Key("focus"), Seg::Index(1), Seg::Key("target_date")]);
    assert_eq!(s.line, 10);
    // Missing key: its parent.
    assert_eq!(loc.find(&[Seg::Key("focus"), Seg::Key("nope")]).line, 7);
    assert_eq!(loc.find(&[Seg::Key("nope")]).line, 1);
}

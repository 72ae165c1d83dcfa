//! Unit tests of `limits`.

use super::html_depth::{SELF_CLOSING_SIBLINGS, VOID};
use super::*;

fn deep(yaml: &str) -> Option<(usize, usize)> {
    yaml_too_deep(yaml, 3)
}

#[test]
fn ordinary_frontmatter_is_shallow() {
    let yaml = "type: rep\nname: Dana's plan [draft] {x}\nskills:\n  discovery: {current: 3, target: 4}\nfocus:\n  - skill: a\n    actions: [\"[[Jane]]\", 'it''s [']\nnotes: |\n  [[[[ {{{{\n      - - - -\n  ]]]]\n# [[[[[[\nramp: >-\n  [[[[\n";
    assert_eq!(yaml_too_deep(yaml, 4), None);
    // focus > item > actions > [ is four deep.
    assert_eq!(yaml_too_deep(yaml, 3), Some((6, 14)));
    assert_eq!(yaml_too_deep(yaml, 2), Some((3, 14)));
}

#[test]
fn counts_flow_and_block_nesting() {
    assert_eq!(deep("a: [[[x]]]\n"), Some((0, 6)));
    assert_eq!(deep("a: [[x]]\n"), None);
    assert_eq!(deep("a: {b: {c: {d: 1}}}\n"), Some((0, 12)));
    assert_eq!(deep("a:\n  b:\n    c:\n      d: 1\n"), Some((3, 7)));
    assert_eq!(deep("a:\n  b:\n    c: 1\n"), None);
    assert_eq!(deep("- - - - a\n"), Some((0, 7)));
    assert_eq!(deep("title: [\n[\n[\n[\n"), Some((2, 1)));
}

#[test]
fn quoted_and_plain_text_hide_nothing() {
    // Brackets inside strings, comments, plain text and block scalars
    // are text; brackets after them still count.
    assert_eq!(deep("a: \"[[[[\" 'x]]]]' # [[[[\n"), None);
    assert_eq!(deep("a: x ]]]] [[[[\n"), None);
    assert_eq!(deep("a: \"]]]]\"\nb: [[[[\n"), Some((1, 6)));
    assert_eq!(
        deep("a: [\"]\", [\"]\", [\"]\", [\"]\"]]]]\n"),
        Some((0, 16))
    );
    assert_eq!(deep("a: 'x''y]]]'\nb: [[[[\n"), Some((1, 6)));
    assert_eq!(deep("a: |\n  ]]]]\nb: [[[[\n"), Some((2, 6)));
    // A tag eats a quote; the flow after it counts.
    assert_eq!(deep("a: !x' [[[[\n"), Some((0, 10)));
    // An apostrophe inside plain text is not a quote.
    assert_eq!(deep("a: Dana's\nb: [[[[\n"), Some((1, 6)));
    // Less-indented line after a block scalar ends it.
    assert_eq!(deep("a:\n  b: |\n  c: [[[[\n"), Some((2, 7)));
}

fn value_depth(v: &serde_norway::Value) -> usize {
    use serde_norway::Value;
    match v {
        Value::Sequence(s) => 1 + s.iter().map(value_depth).max().unwrap_or(0),
        Value::Mapping(m) => {
            1 + m
                .iter()
                .map(|(k, v)| value_depth(k).max(value_depth(v)))
                .max()
                .unwrap_or(0)
        }
        Value::Tagged(t) => value_depth(&t.value),
        _ => 0,
    }
}

/// Random YAML-ish text: whatever the parser accepts nests no deeper
/// than the scan says (block sequences written without indentation
/// under a key count once for two levels, hence the factor).
#[test]
fn the_scan_never_underestimates_what_parses() {
    const PIECES: &[&str] = &[
        "[", "]", "{", "}", ", ", ": ", "- ", "\"", "'", "#", "|", ">", "\n", "  ", "a", "b: ",
        "!t ", "&x ", "*x", "? ", "\"]\"", "'['", "\n  ", "\n    ", ":", "\\", "\t", "--- ",
        "\n--- ", "... ", "\r", "\u{2028}", "\n- ", "\n  - ", "|2\n", "x: |\n", "\n\n", "\n  ? ",
        "[a: ", "{? ",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut parsed = 0;
    for _ in 0..40_000 {
        let n = 1 + next() % 24;
        let text: String = (0..n)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let Ok(v) = serde_norway::from_str::<serde_norway::Value>(&text) else {
            continue;
        };
        parsed += 1;
        let real = value_depth(&v);
        let est = (0..100)
            .find(|k| yaml_too_deep(&text, *k).is_none())
            .unwrap_or(100);
        assert!(real <= est, "{text:?}: parsed {real} deep, scanned {est}");
    }
    assert!(parsed > 1000, "{parsed}");
}

#[test]
fn html_depth_ignores_void_and_sibling_closed_tags() {
    let mut h = HtmlDepth::default();
    let max = h.feed("<div class=\"a>b\"><p>x<p>y<br><img src=x><!-- <div><div> --><span>");
    assert_eq!((h.depth, max), (2, 2));
    assert_eq!(h.feed("</span></div>"), 2);
    assert_eq!(h.depth, 0);
    assert_eq!(h.feed("<div\n  id=x>"), 1);
    assert_eq!(h.feed(&"<b>x</b>".repeat(300)), 2);
    assert_eq!(
        h.feed(&format!("{}{}", "<i>".repeat(300), "</i>".repeat(300))),
        301
    );
    // Placeholders are text, never elements: they nest nothing.
    let mut h = HtmlDepth::default();
    assert_eq!(
        h.feed(&"Hi <first name>, <Company> <x-y> </x>".repeat(50)),
        0
    );
    // Every element the sanitiser keeps is counted.
    for tag in super::super::wikilinks::raw_html::ALLOWED_TAGS {
        if !VOID.contains(tag) && !SELF_CLOSING_SIBLINGS.contains(tag) {
            assert_eq!(HtmlDepth::default().feed(&format!("<{tag}>")), 1, "{tag}");
        }
    }
}

#[test]
fn sizes_read_well() {
    assert_eq!(size(20 * 1024 * 1024), "20 MB");
    assert_eq!(size(20 * 1024 * 1024 + 200_000), "20.2 MB");
    assert_eq!(size(456 * 1024 - 3), "456 KB");
}

/// A reader that hands out at most `piece` bytes per read and counts its
/// reads, as a file system that reads in pieces does.
struct Pieces<'a> {
    rest: &'a [u8],
    piece: usize,
    reads: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reads += 1;
        let n = buf.len().min(self.piece).min(self.rest.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

fn read_pieces(data: &[u8], piece: usize, len: u64, want: usize) -> (Vec<u8>, usize) {
    let mut r = Pieces {
        rest: data,
        piece,
        reads: 0,
    };
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    read_sized(&mut r, &mut bytes, len, want).unwrap();
    (bytes, r.reads)
}

#[test]
fn a_file_of_its_stated_size_is_read_in_one_read() {
    let data = b"---\ntype: deal\n---\nbody\n";
    let (bytes, reads) = read_pieces(data, usize::MAX, data.len() as u64, 1000);
    assert_eq!((bytes.as_slice(), reads), (&data[..], 1));
    let (bytes, reads) = read_pieces(b"", usize::MAX, 0, 1000);
    assert_eq!((bytes.len(), reads), (0, 1));
}

#[test]
fn pieces_growth_and_the_cap_still_read_right() {
    let data: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    // Read in pieces: short reads before the stated size go on.
    for piece in [1, 7, 4096, 8192, 49_999] {
        let (bytes, _) = read_pieces(&data, piece, data.len() as u64, 100_000);
        assert_eq!(bytes, data, "piece {piece}");
    }
    // The file grew after its size was read: all of it is read.
    let (bytes, _) = read_pieces(&data, 4096, 10_000, 100_000);
    assert_eq!(bytes, data);
    // Never more than `want`, however much there is.
    let (bytes, _) = read_pieces(&data, 3000, 10, 20_001);
    assert_eq!(bytes, &data[..20_001]);
}

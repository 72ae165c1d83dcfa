//! Unit tests of `content`.

use super::*;

#[test]
fn a_string_of_tags_is_split_on_commas() {
    let (n, d) = parse("---\ntitle: T\ntags: pricing, discovery ,, q4\n---\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(n.unwrap().tags, ["pricing", "discovery", "q4"]);
    let (n, _) = parse("---\ntags: [a, b]\n---\n");
    assert_eq!(n.unwrap().tags, ["a", "b"]);
}

#[test]
fn private_and_audience_are_read_never_shown_and_doubt_hides() {
    let (n, d) = parse("---\ntitle: T\nprivate: yes\naudience: managers, east\n---\n");
    assert!(d.is_empty(), "{d:?}");
    let n = n.unwrap();
    assert!(n.private);
    assert_eq!(
        n.audiences.as_deref(),
        Some(&["managers".to_string(), "east".to_string()][..])
    );
    assert!(n.properties.is_empty(), "{:?}", n.properties);
    let (n, _) = parse("---\nprivate: false\naudience: [handbook]\n---\n");
    let n = n.unwrap();
    assert!(!n.private);
    assert_eq!(n.audiences.as_deref(), Some(&["handbook".to_string()][..]));
    // A value that says neither: an error, and the note stays hidden.
    let (n, d) = parse("---\nprivate: maybe\n---\n");
    assert!(n.unwrap().private);
    assert!(d.iter().any(|d| d.contains("private")), "{d:?}");
}

#[test]
fn a_parsed_note_keeps_its_lists_at_their_length() {
    // Every note is held for the whole build: no slack capacity (#16).
    let (n, d) = parse(
        "---\ntitle: T\ntags: [a, b, c]\naliases: [x, y]\nseen: \"[[P]]\"\n---\n# One\n# Two\n# Three\n[[A]] [[B]] [[C]] #d #e\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let n = n.unwrap();
    assert_eq!((n.links.len(), n.links.capacity()), (3, 3));
    assert_eq!((n.anchors.len(), n.anchors.capacity()), (3, 3));
    assert_eq!((n.tags.len(), n.tags.capacity()), (5, 5));
    assert_eq!(n.aliases.len(), n.aliases.capacity());
    assert_eq!(n.properties.len(), n.properties.capacity());
    assert_eq!(n.property_links.len(), n.property_links.capacity());
    assert_eq!(n.field_line("seen"), 5);
}

fn parse(text: &str) -> (Option<Note>, Vec<String>) {
    let (n, d) = parse_note(
        "content/x.md",
        Path::new("/s/content/Jane Doe.md"),
        text,
        &LoadOptions::default(),
    );
    (n, d.iter().map(|d| d.to_string()).collect())
}

#[test]
fn rep_from_the_spec_example() {
    let (n, d) = parse(
            "---\ntype: rep\nname: Dana Whitfield\nteam: East\nmanager: \"[[Sam Okafor]]\"\nstart_date: 2026-08-03\nquota: 900000\nskills:\n  discovery: {current: 3, target: 4}\nfocus:\n  - skill: qualification\n    target_date: 2026-12-18\ncadence: {one_on_one: weekly}\nramp:\n  day_30:\n    items: [{task: \"Shadow\", done: true}]\n    gate: \"Runs a call\"\n---\nBody\n",
        );
    assert!(d.is_empty(), "{d:?}");
    let n = n.unwrap();
    assert_eq!(n.id, "jane-doe");
    assert_eq!(n.title, "Dana Whitfield");
    assert!(n.valid);
    let rep = n.rep().unwrap();
    assert_eq!(rep.quota, 900000.0);
    assert_eq!(rep.manager.as_ref().unwrap().target, "Sam Okafor");
    assert_eq!(rep.skills[0].key, Skill::Discovery);
    assert_eq!(rep.ramp[0].items.len(), 1);
    assert_eq!(n.body.loaded().map(|b| &**b), Some("Body\n"));
    assert_eq!(n.body_line, 19);
}

#[test]
fn bad_quota_names_line_and_value() {
    let (n, d) =
        parse("---\ntype: rep\nname: A\nteam: T\nstart_date: 2026-01-01\nquota: lots\n---\n");
    assert!(!n.unwrap().valid);
    assert_eq!(
            d,
            ["content/x.md:6:8: error[invalid-value]: quota must be a number greater than 0, found \"lots\""]
        );
}

#[test]
fn yaml_error_has_a_line() {
    let (n, d) = parse("---\ntype: deal\nname: [unclosed\n---\n");
    assert!(n.is_none());
    assert!(d[0].starts_with("content/x.md:"), "{d:?}");
    assert!(d[0].contains("frontmatter-syntax"));
}

#[test]
fn unterminated_and_not_a_map() {
    assert!(parse("---\ntype: deal\n").1[0].contains("never closed"));
    assert!(parse("---\n- a\n- b\n---\n").1[0].contains("frontmatter-not-a-map"));
}

#[test]
fn unknown_type_near_miss_warns() {
    let (n, d) = parse("---\ntype: dael\n---\n");
    let n = n.unwrap();
    assert_eq!(n.kind, Kind::Page);
    assert!(n.valid);
    assert!(d[0].contains("did you mean \"deal\""), "{d:?}");
    let (_, d) = parse("---\ntype: meeting-notes\n---\n");
    assert!(d.is_empty());
}

#[test]
fn bom_crlf_and_slug() {
    let (n, d) = parse("\u{feff}---\r\ntitle: Hello\r\nslug: My Page\r\n---\r\nText\r\n");
    let n = n.unwrap();
    assert!(d.is_empty());
    assert_eq!(n.id, "my-page");
    assert_eq!(n.title, "Hello");
    assert_eq!(n.body.loaded().map(|b| &**b), Some("Text\n"));
}

#[test]
fn interaction_requires_takeaway_and_dates_exist() {
    let (n, d) = parse("---\ntype: coaching\nrep: jane\ndate: 2026-02-30\ntakeaway: \"\"\n---\n");
    assert!(!n.unwrap().valid);
    assert!(
        d.iter().any(|m| m.contains(":4:7: error[invalid-date]")),
        "{d:?}"
    );
    assert!(
        d.iter().any(|m| m.contains("takeaway must not be empty")),
        "{d:?}"
    );
}

#[test]
fn deal_meddpicc_scores_checked() {
    let (n, d) = parse("---\ntype: deal\nname: D\naccount: A\nowner: jane\nvalue: 10\nstage: proposal\ncreated: 2026-01-01\nclose_date: 2026-02-01\nmeddpicc:\n  champion: {score: 5}\n  metrics: 2\n---\n");
    assert!(!n.unwrap().valid);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains(":11:21: error[invalid-value]: meddpicc.champion.score must be a whole number from 0 to 3, found 5"), "{d:?}");
}

#[test]
fn forecast_period() {
    assert_eq!(parse_period("2026-Q3"), Some((2026, 3)));
    assert_eq!(parse_period("2026-Q5"), None);
    assert_eq!(parse_period("26-Q1"), None);
    let (n, d) = parse("---\ntype: forecast\nteam: East\nperiod: 2026-Q7\ncommit: 5\n---\n");
    assert!(!n.unwrap().valid);
    assert!(d[0].contains("period must be a fiscal quarter"), "{d:?}");
}

#[test]
fn typo_fields_warn_but_custom_fields_are_quiet() {
    let (n, d) = parse("---\ntype: coaching\nrep: jane\ndate: 2026-02-03\ntakeway: x\ntakeaway: y\nmood: good\n---\n");
    assert!(n.unwrap().valid);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains(":5:1: warning[unknown-field]: takeway is not a field"),
        "{d:?}"
    );
    assert!(d[0].contains("did you mean \"takeaway\"?"), "{d:?}");
}

#[test]
fn big_or_deep_frontmatter_is_refused_before_parsing() {
    let (n, d) = parse(&format!("---\ntitle: {}\n---\nBody\n", "x".repeat(70_000)));
    assert!(n.is_none());
    assert!(
            d[0].starts_with("content/x.md:1: error[frontmatter-too-large]: the frontmatter is 69 KB, over the limit of 64 KB"),
            "{d:?}"
        );
    let (n, d) = parse(&format!(
        "---\ntype: page\ntitle: {}\n---\n",
        "[".repeat(60_000)
    ));
    assert!(n.is_none());
    assert!(
        d[0].starts_with("content/x.md:3:71: error[frontmatter-too-deep]"),
        "{d:?}"
    );
    let (n, d) = load_bytes(
        "content/x.md",
        Path::new("x.md"),
        &vec![b'a'; limits::MAX_NOTE_BYTES as usize + 1],
        &LoadOptions::default(),
    );
    assert!(n.is_none());
    assert_eq!(d[0].code, "note-too-large");
}

#[test]
fn non_utf8_is_reported() {
    let (n, d) = load_bytes(
        "content/x.md",
        Path::new("x.md"),
        b"---\ntitle: \xff\n---\n",
        &LoadOptions::default(),
    );
    assert!(n.is_none());
    assert_eq!(d[0].line, 2);
}

/// The diagnostics (`line`, `column`, `end_column`) and field spans of a
/// note, parsed as a note is and with the fast frontmatter path.
fn positions(text: &str) -> (Vec<(Code, usize, usize, usize)>, Note) {
    let (n, d) = parse_note(
        "content/x.md",
        Path::new("/s/content/x.md"),
        text,
        &LoadOptions::default(),
    );
    let d = d
        .iter()
        .map(|d| (d.code, d.line, d.column, d.end_column))
        .collect();
    (d, n.unwrap())
}

#[test]
fn diagnostics_point_at_the_value_when_the_fast_path_read_the_frontmatter() {
    let yaml = "type: deal\nname: \"Zoë's Deal\"\nowner: \"[[Zoë Ng]]\"\nvalue: lots # typo\naccount: \"Zoë Ltd\"\nprobability: [1, 2]\ncreated: 2026-13-45\nmeddpicc:\n  metrics: {evidence: \"Zoë’s\", score: nine}\nseen: \"[[Ana]]\"\n";
    assert!(frontmatter::fast::parse(yaml, 2).is_some());
    let (d, n) = positions(&format!("---\n{yaml}---\nBody\n"));
    assert!(!n.valid);
    // `lots` (its comment left out), the list, the date, and `nine` after
    // non-ASCII text in a flow map: columns in characters.
    assert_eq!(
        d,
        [
            // A required field missing: the opening fence.
            (Code::MissingField, 1, 1, 4),
            (Code::InvalidValue, 5, 8, 12),
            (Code::InvalidDate, 8, 10, 20),
            (Code::InvalidValue, 7, 14, 20),
            (Code::InvalidValue, 10, 39, 43),
        ]
    );
    // Field spans, for later stages: `"[[Zoë Ng]]"` is 12 characters.
    let owner = n.field_span("owner");
    assert_eq!((owner.line, owner.col, owner.end_col), (4, 8, 20));
    assert_eq!(n.field_line("meddpicc"), 9);
    assert_eq!(n.property_links.len(), 1);
    // The same note read by the full parser (a tag sends it there) gives
    // the same positions.
    let slow = yaml.replace("type: deal", "type: !!str deal");
    assert!(frontmatter::fast::parse(&slow, 2).is_none());
    let (d2, n2) = positions(&format!("---\n{slow}---\nBody\n"));
    assert_eq!(d, d2);
    for key in ["name", "owner", "value", "probability", "meddpicc", "seen"] {
        assert_eq!(n.field_span(key), n2.field_span(key), "{key}");
    }
    assert_eq!(
        format!("{:?}", n.property_links),
        format!("{:?}", n2.property_links)
    );
}

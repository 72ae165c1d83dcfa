use super::notes::{first_last, update_deal};
use super::*;
use crate::content::frontmatter;
use serde_norway::{Mapping, Value};

#[test]
fn every_text_is_double_quoted_and_reads_back_the_same() {
    let nasty = [
        "yes",
        "no",
        "on",
        "~",
        "null",
        "2026-01-01",
        "a: b",
        "# not a comment",
        "- not a list",
        "line\nowner: mallory\n---\nbody",
        "cr\r\nlf",
        "quote \" and \\ backslash",
        "\u{1b}]0;pwned\u{7}",
        "del \u{7f} c1 \u{85}\u{9b}",
        "sep \u{2028}\u{2029} bidi \u{202e}\u{2066} bom \u{feff}",
        "tab\tin",
        "   spaces   ",
        "",
        "émoji 🚀 and ümlaut",
    ];
    let fields: Vec<(&str, Scalar)> = nasty
        .iter()
        .enumerate()
        .map(|(i, s)| (KEYS[i], Scalar::Text(s.to_string())))
        .collect();
    let text = edit::new_note(&fields, "");
    // One line per field between the two fences, each `key: "..."`.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), nasty.len() + 2, "{text}");
    for (line, (k, _)) in lines[1..=nasty.len()].iter().zip(&fields) {
        assert!(
            line.starts_with(&format!("{k}: \"")) && line.ends_with('"'),
            "{line}"
        );
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
    let split = frontmatter::split(&text).unwrap();
    let map: Mapping = serde_norway::from_str(split.yaml).unwrap();
    for (k, v) in &fields {
        let Scalar::Text(s) = v else { unreachable!() };
        assert_eq!(map.get(*k), Some(&Value::from(s.clone())), "{k}");
    }
    assert!(split.body.is_empty());
    // And editing a value into an existing note quotes it the same way.
    let (edited, _) = edit::edit(
        "---\ntype: deal\nname: x\n---\n",
        &[("name", Scalar::Text(nasty[9].into()))],
    )
    .unwrap();
    let split = frontmatter::split(&edited).unwrap();
    let map: Mapping = serde_norway::from_str(split.yaml).unwrap();
    assert_eq!(map.get("name"), Some(&Value::from(nasty[9])));
    assert_eq!(map.len(), 2);
}

const KEYS: [&str; 19] = [
    "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13", "k14",
    "k15", "k16", "k17", "k18",
];

#[cfg(unix)]
#[test]
fn a_deal_note_that_is_a_link_is_never_read_or_updated() {
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.md");
    std::fs::write(&target, "---\ncrm_id: X\n---\nsecret\n").unwrap();
    std::fs::create_dir_all(site.path().join("content/deals")).unwrap();
    std::os::unix::fs::symlink(&target, site.path().join("content/deals/a.md")).unwrap();
    let err = match update_deal(
        site.path(),
        Path::new("content/deals/a.md"),
        &[("value", Scalar::Num(1.0))],
    ) {
        Err(e) => e,
        Ok(_) => panic!("a linked note was updated"),
    };
    assert!(err.contains("a.md: it is a symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "---\ncrm_id: X\n---\nsecret\n"
    );
}

#[test]
fn last_first_names() {
    assert_eq!(
        first_last("Natarajan, Priya").as_deref(),
        Some("Priya Natarajan")
    );
    assert_eq!(first_last("Priya Natarajan"), None);
    assert_eq!(first_last("Acme, Inc., Sales"), None);
    assert_eq!(first_last(", Priya"), None);
}

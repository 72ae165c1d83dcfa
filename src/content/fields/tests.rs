//! Unit tests of `fields`.

use super::*;

#[test]
fn dates_and_obsidian_date_times() {
    let d = |s| parse_note_date(s).map(|d| d.to_string());
    assert_eq!(d("2026-01-05").as_deref(), Some("2026-01-05"));
    for dt in [
        "2026-01-05T10:00",
        "2026-01-05 10:00",
        "2026-01-05T23:59:59",
        "2026-01-05T10:00:00.123Z",
        "2026-01-05T10:00+02:00",
    ] {
        assert_eq!(d(dt).as_deref(), Some("2026-01-05"), "{dt}");
    }
    for bad in [
        "2026-01-05T",
        "2026-01-05T25:00",
        "2026-01-05x10:00",
        "2026-02-30T10:00",
        "2026-01-05T10:00 tomorrow",
        "2026-01-05Té:00",
    ] {
        assert_eq!(d(bad), None, "{bad}");
    }
}

#[test]
fn enum_values_ignore_case_and_separators() {
    use crate::model::{canonical, enum_key};
    assert_eq!(enum_key("  Closed  Won "), "closed_won");
    assert_eq!(enum_key("closed-won"), "closed_won");
    assert_eq!(enum_key("Qualified to Buy"), "qualified_to_buy");
    let outcomes = ["won", "lost", "no_decision"];
    assert_eq!(canonical("No Decision", outcomes), Some("no_decision"));
    assert_eq!(canonical("LOST", outcomes), Some("lost"));
    assert_eq!(canonical("nodecision", outcomes), None);
}

#[test]
fn strips_wikilinks() {
    assert_eq!(strip_wikilink("\"x\""), "\"x\"");
    assert_eq!(strip_wikilink("[[Jane Doe]]"), "Jane Doe");
    assert_eq!(strip_wikilink("[[jane-doe|Jane]]"), "jane-doe");
    assert_eq!(strip_wikilink(" Jane Doe "), "Jane Doe");
}

#[test]
fn suggestions() {
    assert_eq!(
        did_you_mean("dael", ["deal", "rep"].into_iter()),
        Some("deal")
    );
    assert_eq!(
        did_you_mean("propsal", ["proposal"].into_iter()),
        Some("proposal")
    );
    assert_eq!(did_you_mean("zzzzzz", ["deal"].into_iter()), None);
    // The first of the closest wins, as before.
    assert_eq!(
        did_you_mean("dael", ["deals", "deal", "dial"].into_iter()),
        Some("deal")
    );
    assert_eq!(
        did_you_mean("deaxx", ["dexyz", "deaxy"].into_iter()),
        Some("deaxy")
    );
    let long = "x".repeat(200_000);
    assert_eq!(
        did_you_mean("xx", [long.as_str(), "xy"].into_iter()),
        Some("xy")
    );
    assert_eq!(did_you_mean(&long, ["x"].into_iter()), None);
    assert_eq!(did_you_mean("kitten", ["sitting"].into_iter()), None);
    assert_eq!(did_you_mean("aaa", ["bbb"].into_iter()), None);
}

#[test]
fn reads_typed_values_with_messages() {
    let yaml = "quota: lots\nstart: 2026-02-30\noutcome: wonn\nscore: 4\n";
    let map: Mapping = serde_norway::from_str(yaml).unwrap();
    let loc = Locator::new(yaml, 2);
    let mut r = Reader::new(&map, &loc, "content/x.md");
    assert_eq!(
        r.req_num(&[Seg::Key("quota")], "a number greater than 0", |f| f > 0.0),
        None
    );
    assert_eq!(r.opt_date(&[Seg::Key("start")]), None);
    assert_eq!(
        r.opt_enum::<crate::model::Outcome>(&[Seg::Key("outcome")]),
        None
    );
    assert_eq!(r.opt_score(&[Seg::Key("score")], 0, 3), None);
    assert_eq!(r.req_str(&[Seg::Key("name")], "the rep's name"), None);
    let msgs: Vec<String> = r.diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        msgs[0],
        "content/x.md:2:8: error[invalid-value]: quota must be a number greater than 0, found \"lots\""
    );
    assert!(msgs[1].contains(":3:8: error[invalid-date]: start is not a date that exists"));
    assert!(msgs[2].contains("did you mean \"won\"?"));
    assert!(msgs[3].contains("score must be a whole number from 0 to 3, found 4"));
    assert!(msgs[4].contains("name is required"));
    assert!(r.failed);
}

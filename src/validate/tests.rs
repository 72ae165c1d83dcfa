//! Unit tests of `validate`.

use super::*;
use crate::content::{parse_note, LoadOptions};
use std::path::Path;

fn ids(files: &[(&str, &str)]) -> (Vec<Option<String>>, Vec<String>) {
    let notes: Vec<Note> = files
        .iter()
        .map(|(f, t)| {
            let rel = format!("content/{f}");
            parse_note(&rel, Path::new(f), t, &LoadOptions::default())
                .0
                .unwrap()
        })
        .collect();
    let refs: Vec<&Note> = notes.iter().collect();
    let a = assign_ids(&refs);
    (a.ids, a.diags.iter().map(|d| d.to_string()).collect())
}

#[test]
fn shared_file_names_take_their_paths() {
    let some = |s: &str| Some(s.to_string());
    let (got, diags) = ids(&[
        ("Acme.md", ""),
        ("EMEA/Acme.md", ""),
        ("emea/acme.md", ""),
        ("x.md", ""),
    ]);
    // The top-level note keeps its id (its path); folder notes take
    // theirs, and a path that still clashes gets a suffix.
    assert_eq!(
        got,
        [
            some("acme"),
            some("emea/acme"),
            some("emea/acme-2"),
            some("x")
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].contains("warning[duplicate-name]: 3 notes have the file name \"Acme\""),
        "{diags:?}"
    );
}

#[test]
fn a_slug_keeps_its_id_and_a_second_slug_is_dropped() {
    let some = |s: &str| Some(s.to_string());
    let (got, diags) = ids(&[
        ("a.md", "---\nslug: same\n---\n"),
        ("b/same.md", ""),
        ("c.md", "---\nslug: same\n---\n"),
    ]);
    assert_eq!(got, [some("same"), some("b/same"), None]);
    assert!(
        diags
            .iter()
            .any(|d| d
                .contains("error[duplicate-id]: the id \"same\" is already used by content/a.md")),
        "{diags:?}"
    );
}

#[test]
fn a_path_id_never_takes_a_reps_pipeline_page() {
    let rep = "---\ntype: rep\nname: X\nteam: T\nstart_date: 2026-01-01\nquota: 1\n---\n";
    let (got, _) = ids(&[("x.md", rep), ("x/pipeline.md", ""), ("y/pipeline.md", "")]);
    assert_eq!(got[1].as_deref(), Some("x/pipeline-2"));
    assert_eq!(got[2].as_deref(), Some("y/pipeline"));
}

fn checked(text: &str) -> (Note, Vec<String>) {
    let (note, loaded) = parse_note(
        "content/d.md",
        Path::new("/s/content/d.md"),
        text,
        &LoadOptions::default(),
    );
    let note = note.expect("a note");
    let mut all: Vec<Diagnostic> = loaded;
    all.extend(check_note(&note, &Config::default()));
    let mut diags = Diagnostics::default();
    diags.extend(all);
    diags.sort();
    (
        note,
        diags
            .items
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.code))
            .collect(),
    )
}

#[test]
fn the_rules_run_on_a_note_the_loader_found_errors_in() {
    let (note, got) = checked(concat!(
        "---\ntype: deal\nname: D\naccount: A\nowner: jane\n",
        "value: ten\n",
        "stage: negociation\n",
        "created: 2026-03-10\n",
        "close_date: 2026-02-01\n",
        "probability: 150\n",
        "lost_reason: budget\n",
        "---\n",
    ));
    assert!(!note.valid);
    assert_eq!(note.data, NoteData::Page);
    assert_eq!(
        got,
        [
            "6:8 invalid-value",
            "7:8 invalid-value",
            "9:13 date-order",
            "10:14 invalid-value",
            "11:14 unexpected-field",
        ]
    );
}

#[test]
fn a_rule_about_a_field_that_could_not_be_read_is_skipped() {
    // A wrong value is not a missing one, and a wrong date orders nothing.
    let (_, got) = checked(concat!(
        "---\ntype: deal\nname: D\naccount: A\nowner: jane\n",
        "value: ten\nstage: proposal\ncreated: 2026-02-30\nclose_date: 2026-01-01\n---\n",
    ));
    assert_eq!(got, ["6:8 invalid-value", "8:10 invalid-date"]);
    // Without a stage that can be read, no rule that needs one.
    let (_, got) = checked(concat!(
        "---\ntype: deal\nname: D\naccount: A\nowner: jane\n",
        "stage: [1]\ncreated: 2026-01-01\nlost_reason: x\nprobability: 5\n---\n",
    ));
    assert_eq!(got, ["6:8 invalid-type"]);
    // A missing stage: the same, and said once.
    let (_, got) =
        checked("---\ntype: deal\nname: D\naccount: A\nowner: jane\ncreated: 2026-01-01\n---\n");
    assert_eq!(got, ["1:1 missing-field"]);
    // An optional field written wrong is still written.
    let (_, got) = checked(concat!(
        "---\ntype: deal\nname: D\naccount: A\nowner: jane\nvalue: 5\n",
        "stage: closed_won\ncreated: 2026-01-01\nclose_date: 2026-01-02\nprobability: high\n---\n",
    ));
    assert_eq!(got, ["10:14 unexpected-field", "10:14 invalid-value"]);
    // Objections that are not a list: their error, not "found 0".
    let (_, got) = checked(concat!(
        "---\ntype: prep\ndeal: d\ndate: 2026-01-01\nobjective: \"\"\n",
        "buyer_needs: b\nour_ask: a\nobjections: many\n---\n",
    ));
    assert_eq!(got, ["5:12 empty-field", "8:13 invalid-type"]);
    let (_, got) = checked(concat!(
        "---\ntype: call\nrep: r\ndate: 2026-01-01\ntakeaway: t\n",
        "cause: luck\n---\n",
    ));
    assert_eq!(got, ["6:8 unexpected-field", "6:8 invalid-value"]);
}

#[test]
fn a_note_invalid_by_a_rule_keeps_its_references_checked() {
    let (note, _) = parse_note(
        "content/d.md",
        Path::new("/s/content/d.md"),
        "---\ntype: deal\nname: D\naccount: A\nowner: nobody\nvalue: 1\nstage: proposal\ncreated: 2026-03-01\nclose_date: 2026-01-01\n---\n",
        &LoadOptions::default(),
    );
    let mut diags = Diagnostics::default();
    let notes = validate(note.into_iter().collect(), &Config::default(), &mut diags);
    assert!(!notes[0].valid);
    assert_eq!(notes[0].data, NoteData::Page);
    let mut site = crate::model::Site {
        notes,
        ..Default::default()
    };
    crate::links::resolve(&mut site, &mut diags);
    let codes: Vec<&str> = diags.items.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["date-order", "broken-link"]);
    // Its references count for nothing else.
    assert!(site.notes[0].refs().is_empty());
}

//! Diagnostics for people (#11, point 6), through the real binary and in
//! every format: columns count characters, not bytes; the caret underlines
//! the value or link, and JSON and GitHub carry where it ends; a YAML
//! mistake is reported on its own line in plain words; and all of a
//! note's problems come out in one run, not one round at a time.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn site(notes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("coachbook.toml"),
        "title = \"People\"\nas_of = 2026-06-30\n",
    )
    .unwrap();
    for (rel, text) in notes {
        let path = dir.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The JSON diagnostics of `coachbook check`.
fn json(site: &Path) -> Vec<Value> {
    let (_, stderr, _) = run(&["check", site.to_str().unwrap(), "--format", "json"]);
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("code").is_some())
        .collect()
}

/// (file, line, column, end column, code) of each diagnostic.
fn places(diags: &[Value]) -> Vec<(String, u64, u64, u64, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["end_column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn check(site: &Path, format: &str) -> String {
    run(&["check", site.to_str().unwrap(), "--format", format]).1
}

/// The human report of the diagnostic whose header names `at`: its lines
/// up to the next blank one.
fn report<'a>(human: &'a str, at: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = human.lines().collect();
    let Some(i) = lines.iter().position(|l| l.contains(&format!("┌─ {at}"))) else {
        panic!("no report at {at} in\n{human}");
    };
    let start = i.saturating_sub(1);
    lines[start..]
        .iter()
        .take_while(|l| !l.is_empty())
        .copied()
        .collect()
}

/// The carets of a report, as the text after the gutter.
fn carets(report: &[&str]) -> String {
    let line = report
        .iter()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no carets in {report:?}"));
    line.split_once('│')
        .map_or("", |(_, r)| r)
        .strip_prefix(' ')
        .unwrap_or("")
        .trim_end()
        .to_string()
}

const CJK: &str = "---\ntype: coaching\nrep: 田中太郎\ndate: 2026-02-03\ntakeaway: 価格の話は最後に\n---\n日本語の説明 [[存在しない]] と [[x]]\n";
const ACCENTS: &str = "---\ntype: deal\nname: Café Crème\naccount: Zoë\nowner: Good Rep\nvalue: 10\nstage: négociation\ncreated: 2026-01-01\nclose_date: 2026-09-01\n---\n";
const REP: &str =
    "---\ntype: rep\nname: Good Rep\nteam: East\nstart_date: 2026-01-05\nquota: 100000\n---\n";

#[test]
fn columns_count_characters_in_every_format() {
    let dir = site(&[("cjk.md", CJK), ("deal.md", ACCENTS), ("good-rep.md", REP)]);
    let got = places(&json(dir.path()));
    let want = [
        // `rep: ` is 5 characters; 田中太郎 is 4 (12 bytes).
        ("content/cjk.md", 3, 6, 10, "broken-link"),
        // 7 characters before the link (19 bytes), 9 in it (21 bytes).
        ("content/cjk.md", 7, 8, 17, "broken-link"),
        ("content/cjk.md", 7, 20, 25, "broken-link"),
        // négociation: 11 characters, 12 bytes.
        ("content/deal.md", 7, 8, 19, "invalid-value"),
    ];
    let want: Vec<(String, u64, u64, u64, String)> = want
        .iter()
        .map(|(f, l, c, e, code)| (f.to_string(), *l, *c, *e, code.to_string()))
        .collect();
    assert_eq!(got, want);

    let gh = check(dir.path(), "github");
    for (line, col, end) in [(3, 6, 10), (7, 8, 17), (7, 20, 25)] {
        let props = format!(
            "::warning file=content/cjk.md,line={line},endLine={line},col={col},endColumn={end},title=broken-link::"
        );
        assert!(gh.contains(&props), "{props} in\n{gh}");
    }
    assert!(
        gh.contains("::error file=content/deal.md,line=7,endLine=7,col=8,endColumn=19,title=invalid-value::"),
        "{gh}"
    );

    let human = check(dir.path(), "human");
    for at in [
        "content/cjk.md:3:6",
        "content/cjk.md:7:8",
        "content/cjk.md:7:20",
        "content/deal.md:7:8",
    ] {
        report(&human, at);
    }
}

#[test]
fn the_caret_underlines_the_link_or_the_value() {
    let dir = site(&[
        ("cjk.md", CJK),
        ("deal.md", ACCENTS),
        ("good-rep.md", REP),
        (
            "quota.md",
            "---\ntype: rep\nname: Q\nteam: East\nstart_date: 2026-01-05\nquota: lots  # to do\n---\nSee [[Good Rep]] and [[Nobody]], then the rest of the line.\n",
        ),
    ]);
    let human = check(dir.path(), "human");
    // Wide characters take two columns on a terminal: the carets sit
    // under the link, and stop at its end.
    let link = report(&human, "content/cjk.md:7:8");
    assert_eq!(
        carets(&link),
        format!("{}{}", " ".repeat(13), "^".repeat(14)),
        "{link:?}"
    );
    assert_eq!(
        carets(&report(&human, "content/cjk.md:7:20")),
        format!("{}{}", " ".repeat(31), "^".repeat(5))
    );
    assert_eq!(
        carets(&report(&human, "content/cjk.md:3:6")),
        format!("{}{}", " ".repeat(5), "^".repeat(8))
    );
    // A value: without the comment after it.
    let quota = report(&human, "content/quota.md:6:8");
    assert_eq!(
        carets(&quota),
        format!("{}^^^^", " ".repeat(7)),
        "{quota:?}"
    );
    // A link in the middle of a line: not the rest of the line.
    let nobody = report(&human, "content/quota.md:8:22");
    assert_eq!(
        carets(&nobody),
        format!("{}{}", " ".repeat(21), "^".repeat(10))
    );
    // The same extent in JSON.
    let got = places(&json(dir.path()));
    assert!(
        got.contains(&("content/quota.md".into(), 6, 8, 12, "invalid-value".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("content/quota.md".into(), 8, 22, 32, "broken-link".into())),
        "{got:?}"
    );
}

/// The five mistakes of #11: (file, text, line, column, end column, words
/// of the message, words of the help).
const YAML_MISTAKES: &[(&str, &str, u64, u64, u64, &str, &str)] = &[
    (
        "colon.md",
        "---\ntype: coaching\nrep: jane\ndate: 2026-02-03\ntakeaway: Ask: why\n---\nBody\n",
        5,
        11,
        19,
        "the value of `takeaway` has a `: ` in it",
        "a value with `: ` in it needs quotes: `takeaway: \"Ask: why\"`",
    ),
    (
        "tab.md",
        "---\ntype: rep\nname: Tab\nskills:\n\tdiscovery: {current: 1, target: 2}\n---\n",
        5,
        1,
        2,
        "this line is indented with a tab; YAML indents with spaces only",
        "replace the tab with spaces",
    ),
    (
        "quote.md",
        "---\ntype: deal\nname: \"Acme\naccount: Acme\nstage: lead\n---\n",
        3,
        7,
        12,
        "the `\"` that opens this value is never closed",
        "end the value with a matching `\"`",
    ),
    (
        "list.md",
        "---\ntitle: List\ntags:\n  - coaching\n - pipeline\n---\n",
        5,
        2,
        12,
        "this list item does not line up with a list",
        "indent it like the other `- ` items of its list",
    ),
    (
        "nocolon.md",
        "---\ntype: deal\nname Acme\nstage: lead\n---\n",
        3,
        1,
        10,
        "this line is not a field: it has no `:` after the field's name",
        "write it as `name: Acme`",
    ),
    (
        "cjk.md",
        "---\ntitle: 日本語: タイトル\n---\n",
        2,
        8,
        17,
        "the value of `title` has a `: ` in it",
        "`title: \"日本語: タイトル\"`",
    ),
];

#[test]
fn a_yaml_mistake_is_reported_on_its_line_in_plain_words() {
    let notes: Vec<(&str, &str)> = YAML_MISTAKES.iter().map(|m| (m.0, m.1)).collect();
    let dir = site(&notes);
    let diags = json(dir.path());
    let human = check(dir.path(), "human");
    let gh = check(dir.path(), "github");
    for (file, _, line, col, end, message, help) in YAML_MISTAKES {
        let rel = format!("content/{file}");
        let d = diags
            .iter()
            .find(|d| d["file"] == rel.as_str())
            .unwrap_or_else(|| panic!("no diagnostic for {rel}: {diags:?}"));
        assert_eq!(d["code"], "frontmatter-syntax");
        assert_eq!(
            (
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["end_column"].as_u64()
            ),
            (Some(*line), Some(*col), Some(*end)),
            "{rel}: {d}"
        );
        let msg = d["message"].as_str().unwrap_or("");
        assert!(msg.contains(message), "{rel}: {msg}");
        assert!(
            msg.starts_with("the frontmatter is not valid YAML: "),
            "{msg}"
        );
        let h = d["help"].as_str().unwrap_or("");
        assert!(h.contains(help), "{rel}: {h}");
        // No raw parser text.
        for cryptic in [
            "mapping values",
            "simple key",
            "while scanning",
            "while parsing",
        ] {
            assert!(!msg.contains(cryptic), "{rel}: {msg}");
        }
        let r = report(&human, &format!("{rel}:{line}:{col}"));
        assert!(r.iter().any(|l| l.contains(message)), "{r:?}");
        assert!(
            r.iter().any(|l| l.contains("help: ") && l.contains(help)),
            "{r:?}"
        );
        let props = format!("::error file={rel},line={line},endLine={line},col={col},endColumn={end},title=frontmatter-syntax::");
        assert!(gh.contains(&props), "{props} in\n{gh}");
    }
    // The caret of the colon case: under the value.
    let colon = report(&human, "content/colon.md:5:11");
    assert_eq!(
        carets(&colon),
        format!("{}{}", " ".repeat(10), "^".repeat(8))
    );
}

/// A deal with problems of every stage: the loader's (a mistyped field, so
/// a required one is missing; a wrong amount, a score out of range, a
/// probability over 100), validate's (a stage not configured, dates out of
/// order, a lost reason on an open deal) and the link stage's (an owner
/// and a body link that match no note).
const TROUBLED: &str = "---
type: deal
name: Globex renewal
acount: Globex
owner: Nobody Here
value: ten
stage: negociation
created: 2026-03-10
close_date: 2026-02-01
probability: 150
lost_reason: budget
meddpicc:
  champion: {score: 5}
---
See [[Nobody]] too.
";

/// Each problem of [`TROUBLED`], the line that fixes it.
const FIXES: &[(&str, &str)] = &[
    ("acount: Globex", "account: Globex"),
    ("owner: Nobody Here", "owner: Good Rep"),
    ("value: ten", "value: 1000"),
    ("stage: negociation", "stage: proposal"),
    ("close_date: 2026-02-01", "close_date: 2026-12-01"),
    ("probability: 150", "probability: 50"),
    ("lost_reason: budget", "next_step: call"),
    ("champion: {score: 5}", "champion: {score: 2}"),
    ("[[Nobody]]", "[[Good Rep]]"),
];

#[test]
fn all_of_a_notes_problems_come_out_in_one_run() {
    let dir = site(&[("globex.md", TROUBLED), ("good-rep.md", REP)]);
    let first: Vec<(u64, String)> = places(&json(dir.path()))
        .into_iter()
        .filter(|p| p.0 == "content/globex.md")
        .map(|p| (p.1, p.4))
        .collect();
    let want: Vec<(u64, String)> = [
        (1, "missing-field"),
        (4, "unknown-field"),
        (5, "broken-link"),
        (6, "invalid-value"),
        (7, "invalid-value"),
        (9, "date-order"),
        (10, "invalid-value"),
        (11, "unexpected-field"),
        (13, "invalid-value"),
        (15, "broken-link"),
    ]
    .iter()
    .map(|(l, c)| (*l, c.to_string()))
    .collect();
    assert_eq!(first, want);
    let codes: std::collections::BTreeSet<&str> = first.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes.len(), 6, "{codes:?}");

    // The other formats say the same.
    let human = check(dir.path(), "human");
    let gh = check(dir.path(), "github");
    for (line, code) in &first {
        let header = format!("[{code}]");
        let at = format!("content/globex.md:{line}:");
        assert!(
            human
                .lines()
                .zip(human.lines().skip(1))
                .any(|(a, b)| a.contains(&header) && b.contains(&at)),
            "{code} at {at} in\n{human}"
        );
        assert!(
            gh.lines().any(
                |l| l.contains(&format!("file=content/globex.md,line={line},"))
                    && l.contains(&format!("title={code}::"))
            ),
            "{code} at line {line} in\n{gh}"
        );
    }

    // Fixing them one at a time never brings out a problem not shown at
    // first: no rounds.
    let path = dir.path().join("content/globex.md");
    let mut text = TROUBLED.to_string();
    let mut left = first.len();
    for (bad, good) in FIXES {
        text = text.replace(bad, good);
        std::fs::write(&path, &text).unwrap();
        let now: Vec<(u64, String)> = places(&json(dir.path()))
            .into_iter()
            .filter(|p| p.0 == "content/globex.md")
            .map(|p| (p.1, p.4))
            .collect();
        let new: Vec<_> = now.iter().filter(|p| !first.contains(p)).collect();
        assert!(
            new.is_empty(),
            "after fixing {bad:?}, new problems: {new:?}"
        );
        assert!(now.len() < left, "after fixing {bad:?}: {now:?}");
        left = now.len();
    }
    let (code, stderr, _) = run(&["check", dir.path().to_str().unwrap(), "--strict"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_forecast_and_a_prep_with_errors_are_checked_in_full() {
    let dir = site(&[
        ("good-rep.md", REP),
        (
            "fc.md",
            "---\ntype: forecast\nteam: Nowhere\nperiod: 2026-Q3\ncommit: lots\n---\n",
        ),
        (
            "prep.md",
            "---\ntype: prep\ndeal: Nothing\ndate: 2026-02-30\nobjective: \"\"\nbuyer_needs: b\nour_ask: a\nobjections: [{objection: a, response: b}]\n---\n",
        ),
    ]);
    let got: Vec<(String, u64, String)> = places(&json(dir.path()))
        .into_iter()
        .map(|p| (p.0, p.1, p.4))
        .collect();
    for want in [
        ("content/fc.md", 3, "unknown-team"),
        ("content/fc.md", 5, "invalid-value"),
        ("content/prep.md", 3, "broken-link"),
        ("content/prep.md", 4, "invalid-date"),
        ("content/prep.md", 5, "empty-field"),
        ("content/prep.md", 8, "few-objections"),
    ] {
        let want = (want.0.to_string(), want.1, want.2.to_string());
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
}

//! Every field of every kind, given a value of the wrong type or out of
//! range: each bad note gets a diagnostic on the field's own line, whose
//! columns lie within the bad value, nothing crashes, the good notes stay
//! clean, and `--strict` fails.

mod common;
use common::*;

/// A note as (field, value) pairs, in file order.
type Fields = &'static [(&'static str, &'static str)];

/// A valid note of each kind, one field per line (flow style), so a bad
/// value put in place of one field sits on a known line.
const REP: Fields = &[
    ("type", "rep"),
    ("name", "Case Rep"),
    ("team", "East"),
    ("manager", "Good Rep"),
    ("start_date", "2025-01-06"),
    ("quota", "1000000"),
    ("skills", "{discovery: {current: 2, target: 4}}"),
    ("focus", "[{skill: discovery, current_behavior: talks, target_behavior: asks, actions: [listen], milestone: m, target_date: 2026-12-01}]"),
    ("cadence", "{one_on_one: weekly}"),
    ("ramp", "{day_30: {items: [{task: shadow, done: true}], gate: g}}"),
    ("tags", "[rep]"),
];
const DEAL: Fields = &[
    ("type", "deal"),
    ("name", "Case Deal"),
    ("account", "Acme"),
    ("owner", "Good Rep"),
    ("value", "1000"),
    ("stage", "discovery"),
    ("created", "2026-01-05"),
    ("close_date", "2026-12-20"),
    ("probability", "20"),
    ("next_step", "Call"),
    ("key_question", "Who signs?"),
    ("lost_reason", "none"),
    ("meddpicc", "{champion: {score: 2, evidence: Jo}}"),
];
const DEBRIEF: Fields = &[
    ("type", "debrief"),
    ("title", "Case debrief"),
    ("rep", "Good Rep"),
    ("deal", "Good Deal"),
    ("date", "2026-06-01"),
    ("takeaway", "Ask for the number"),
    ("gap", "skill"),
    ("skill", "discovery"),
    ("outcome", "lost"),
    ("cause", "execution"),
];
const PREP: Fields = &[
    ("type", "prep"),
    ("title", "Case prep"),
    ("deal", "Good Deal"),
    ("rep", "Good Rep"),
    ("date", "2026-06-01"),
    ("objective", "Agree a pilot"),
    ("buyer_needs", "Proof"),
    ("our_ask", "A date"),
    (
        "objections",
        "[{objection: a, response: b}, {objection: c, response: d}, {objection: e, response: f}]",
    ),
];
const FORECAST: Fields = &[
    ("type", "forecast"),
    ("owner", "Good Rep"),
    ("period", "2026-Q3"),
    ("commit", "1000"),
    ("best_case", "2000"),
];

/// (note, field, bad value).
const CASES: &[(Fields, &str, &str)] = &[
    (REP, "name", "{a: 1}"),
    (REP, "name", "[x, y]"),
    (REP, "team", "{a: 1}"),
    (REP, "manager", "[1, 2]"),
    (REP, "manager", "Nobody At All"),
    (REP, "start_date", "2026-02-30"),
    (REP, "start_date", "yesterday"),
    (REP, "quota", "-5"),
    (REP, "quota", "lots"),
    (REP, "quota", "{a: 1}"),
    (REP, "skills", "[1]"),
    (REP, "skills", "{discovery: {current: 9, target: 4}}"),
    (REP, "skills", "{discovery: {current: 2, target: x}}"),
    (REP, "skills", "{juggling: {current: 1, target: 2}}"),
    (REP, "focus", "{a: 1}"),
    (REP, "focus", "[{skill: discovery}, {skill: closing}, {skill: qualification}, {skill: closing}]"),
    (REP, "focus", "[{skill: juggling, current_behavior: a, target_behavior: b, actions: [c], milestone: m, target_date: 2026-12-01}]"),
    (REP, "cadence", "[1]"),
    (REP, "ramp", "[1]"),
    (REP, "ramp", "{day_30: {items: [{task: t, done: maybe}], gate: g}}"),
    (REP, "ramp", "{day_45: {items: [], gate: g}}"),
    (REP, "tags", "{a: 1}"),
    (DEAL, "name", "{a: 1}"),
    (DEAL, "account", "[1]"),
    (DEAL, "owner", "{a: 1}"),
    (DEAL, "owner", "Nobody At All"),
    (DEAL, "value", "-1"),
    (DEAL, "value", "ten"),
    (DEAL, "stage", "negotiashun"),
    (DEAL, "stage", "[1]"),
    (DEAL, "created", "2026-13-01"),
    (DEAL, "close_date", "2020-01-01"),
    (DEAL, "close_date", "soon"),
    (DEAL, "probability", "150"),
    (DEAL, "probability", "-3"),
    (DEAL, "probability", "high"),
    (DEAL, "next_step", "{a: 1}"),
    (DEAL, "key_question", "[1]"),
    (DEAL, "lost_reason", "{a: 1}"),
    (DEAL, "meddpicc", "[1]"),
    (DEAL, "meddpicc", "{champion: {score: 7}}"),
    (DEAL, "meddpicc", "{champion: {score: x}}"),
    (DEAL, "meddpicc", "{charisma: {score: 1}}"),
    (DEBRIEF, "title", "{a: 1}"),
    (DEBRIEF, "rep", "{a: 1}"),
    (DEBRIEF, "rep", "Nobody At All"),
    (DEBRIEF, "deal", "Nobody At All"),
    (DEBRIEF, "deal", "[1]"),
    (DEBRIEF, "date", "2026-02-30"),
    (DEBRIEF, "date", "[1]"),
    (DEBRIEF, "takeaway", "\"\""),
    (DEBRIEF, "takeaway", "[1]"),
    (DEBRIEF, "gap", "laziness"),
    (DEBRIEF, "skill", "juggling"),
    (DEBRIEF, "outcome", "maybe"),
    (DEBRIEF, "cause", "luck"),
    (PREP, "deal", "Nobody At All"),
    (PREP, "rep", "[1]"),
    (PREP, "date", "x"),
    (PREP, "objective", "{a: 1}"),
    (PREP, "buyer_needs", "[1]"),
    (PREP, "our_ask", "{a: 1}"),
    (PREP, "objections", "{a: 1}"),
    (PREP, "objections", "[1, 2]"),
    (FORECAST, "owner", "{a: 1}"),
    (FORECAST, "period", "2026-Q5"),
    (FORECAST, "period", "Q1"),
    (FORECAST, "commit", "-1"),
    (FORECAST, "commit", "lots"),
    (FORECAST, "best_case", "x"),
];

fn note(fields: &[(&str, &str)], bad: Option<(&str, &str)>) -> (String, usize) {
    let mut text = String::from("---\n");
    let mut line = 0;
    for (i, (k, v)) in fields.iter().enumerate() {
        let v = match bad {
            Some((field, value)) if field == *k => {
                line = i + 2;
                value
            }
            _ => v,
        };
        text.push_str(&format!("{k}: {v}\n"));
    }
    text.push_str("---\nBody.\n");
    (text, line)
}

#[test]
fn a_bad_value_in_any_field_is_reported_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir_all(site.join("content/cases")).unwrap();
    std::fs::write(
        site.join("coachbook.toml"),
        "title = \"Fields\"\nas_of = 2026-06-30\n",
    )
    .unwrap();
    let good_rep: Vec<(&str, &str)> = REP
        .iter()
        .filter(|(k, _)| *k != "manager")
        .map(|(k, v)| (*k, if *k == "name" { "Good Rep" } else { v }))
        .collect();
    let good_deal: Vec<(&str, &str)> = DEAL
        .iter()
        .map(|(k, v)| (*k, if *k == "name" { "Good Deal" } else { v }))
        .collect();
    std::fs::write(site.join("content/good-rep.md"), note(&good_rep, None).0).unwrap();
    std::fs::write(site.join("content/good-deal.md"), note(&good_deal, None).0).unwrap();
    let mut expected = Vec::new();
    for (i, (fields, field, value)) in CASES.iter().enumerate() {
        let (text, line) = note(fields, Some((field, value)));
        assert!(line > 0, "{field} is not a field of its note");
        let rel = format!("content/cases/case-{i:02}.md");
        // Each case its own name, so no two notes clash.
        let text = text
            .replace("Case Rep", &format!("Case Rep {i}"))
            .replace("Case Deal", &format!("Case Deal {i}"));
        std::fs::write(site.join(&rel), text).unwrap();
        expected.push((rel, line, *field, *value));
    }
    let s = site.to_str().unwrap();
    let (code, stderr, out) = run(&["check", s, "--format", "json"]);
    assert_eq!(code, 1, "check fails on errors: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let diags: Vec<serde_json::Value> = stdout
        .lines()
        .chain(stderr.lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v.get("code").is_some())
        .collect();
    let mut missing = Vec::new();
    let mut outside = Vec::new();
    for (rel, line, field, value) in &expected {
        let on_line: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| {
                d["file"].as_str() == Some(rel.as_str()) && d["line"].as_u64() == Some(*line as u64)
            })
            .collect();
        if on_line.is_empty() {
            missing.push(format!("{rel}:{line} {field}: {value}"));
        }
        // The line is `field: value`: the value's columns, in characters.
        let start = field.chars().count() as u64 + 3;
        let end = start + value.chars().count() as u64;
        let within = on_line.iter().any(|d| {
            let (col, end_col) = (d["column"].as_u64(), d["end_column"].as_u64());
            col.is_some_and(|c| (start..end).contains(&c))
                && end_col.is_some_and(|e| e == 0 || (start < e && e <= end))
        });
        if !on_line.is_empty() && !within {
            outside.push(format!(
                "{rel}:{line} {field}: {value} (value at {start}..{end}): {on_line:?}"
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "no diagnostic on the field's line for:\n{}",
        missing.join("\n")
    );
    assert!(
        outside.is_empty(),
        "no diagnostic within the bad value for:\n{}",
        outside.join("\n")
    );
    for good in ["content/good-rep.md", "content/good-deal.md"] {
        let bad: Vec<_> = diags
            .iter()
            .filter(|d| d["file"].as_str() == Some(good) && d["severity"] == "error")
            .collect();
        assert!(bad.is_empty(), "{good}: {bad:?}");
    }
    let (code, _, _) = run(&["check", s, "--strict"]);
    assert_eq!(code, 1);
    // And the site builds.
    let out_dir = dir.path().join("public");
    let (code, stderr, _) = run(&["build", s, "-o", out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out_dir.join("deals/good-deal/index.html").is_file());
}

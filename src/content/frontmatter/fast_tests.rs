//! Unit tests of `fast`: whenever it answers, serde_norway, the depth
//! check and the locator's scan must give the same answer.

use super::fast;
use super::*;
use crate::content::limits;
use serde_norway::Value;

/// Checks one frontmatter block: when the fast path answers, its mapping
/// is serde_norway's (to the number types), the depth check passes, and
/// every top-level field is where the locator's scan finds it. Returns
/// whether the fast path answered.
fn same_as_slow(yaml: &str) -> bool {
    let Some(simple) = fast::parse(yaml, 2) else {
        return false;
    };
    let slow = match serde_norway::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => m,
        other => panic!("fast parsed what serde_norway reads as {other:?}:\n{yaml}"),
    };
    assert_eq!(simple.map, slow, "mapping of:\n{yaml}");
    assert_eq!(
        format!("{:?}", simple.map),
        format!("{slow:?}"),
        "mapping of:\n{yaml}"
    );
    assert_eq!(
        limits::yaml_too_deep(yaml, limits::MAX_YAML_DEPTH),
        None,
        "{yaml}"
    );
    let keys: Vec<&str> = slow.keys().filter_map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), slow.len(), "{yaml}");
    let fast_keys: Vec<&str> = simple.top.iter().map(|f| f.key).collect();
    assert_eq!(fast_keys, keys, "{yaml}");
    let scan = Locator::new(yaml, 2);
    let located = Locator::with_top_level(yaml, 2, simple.top.clone());
    for f in &simple.top {
        let path = [Seg::Key(f.key)];
        assert_eq!(
            f.value,
            scan.find_value(&path),
            "value of {:?} in:\n{yaml}",
            f.key
        );
        assert_eq!(located.find_value(&path), scan.find_value(&path), "{yaml}");
        assert_eq!(
            located.find(&path),
            scan.find(&path),
            "key {:?} in:\n{yaml}",
            f.key
        );
    }
    true
}

/// The frontmatter blocks of every note under `dir`.
fn blocks_under(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let text = text.replace("\r\n", "\n");
        if let Ok(s) = split(&text) {
            if s.has_frontmatter {
                out.push((p.display().to_string(), s.yaml.to_string()));
            }
        }
    }
}

#[test]
fn every_frontmatter_in_the_repository_reads_as_serde_norway_reads_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut blocks = Vec::new();
    for dir in ["content", "tests/sites", "tests/corpus", "examples"] {
        blocks_under(&root.join(dir), &mut blocks);
    }
    assert!(blocks.len() > 100, "{} blocks", blocks.len());
    let fast = blocks.iter().filter(|(_, y)| same_as_slow(y)).count();
    eprintln!("fast path: {fast} of {} frontmatter blocks", blocks.len());
    // Most real frontmatter is in the subset (the rest are tests of
    // mistakes and of YAML's corners).
    assert!(fast * 2 > blocks.len(), "{fast} of {}", blocks.len());
}

/// A deal, a rep, a coaching note, a debrief, a call, a prep and a
/// forecast as the benchmark corpus writes them.
const GENERATED: &[&str] = &[
    "type: deal\nname: \"Aldergrove Airports Regional Expansion\"\naccount: \"Aldergrove Airports\"\nowner: \"[[Ingrid Desai]]\"\nvalue: 389000\nstage: solution\ncreated: 2026-06-03\nclose_date: 2027-01-23\nprobability: 75\nnext_step: \"Board presentation with the chief nurse\"\ntags: [financial-services]\nmeddpicc:\n  metrics: {score: 0}\n  economic_buyer: {score: 2}\n  decision_criteria: {score: 1, evidence: \"Criteria from the incumbent's RFP template\"}\n  decision_process: {score: 2, evidence: \"Pilot at one site, then group rollout\"}\n  paper_process: {score: 1, evidence: \"Unknown: ask at the next meeting\"}\n  identify_pain: {score: 3, evidence: \"Insurer wants documented inspections\"}\n  champion: {score: 2}\n  competition: {score: 0}\n",
    "type: rep\nname: \"Abigail Drummond\"\nteam: \"Commercial North\"\nmanager: \"[[Paloma Sandoval]]\"\nstart_date: 2018-01-19\nquota: 350000\ntags: [commercial, pipeline]\nskills:\n  discovery: {current: 4, target: 4}\n  executive_presence: {current: 2, target: 3, notes: \"Validated the budget owner before anyone asked\"}\n  closing: {current: 3, target: 5}\nfocus:\n  - skill: executive_presence\n    current_behavior: \"Challenged the pilot scope in the last five minutes\"\n    actions: \"Write the next step into the calendar invite; summarise the pain before showing anything\"\n    milestone: \"Every commit deal has decision_process of 2 or more\"\n    target_date: 2027-03-10\n  - skill: closing\n    target_date: 2027-01-18\ncadence: {one_on_one: fortnightly, call_reviews: \"2 a month\", deal_prep: \"before every executive meeting\", debriefs: \"every win and loss\"}\n",
    "type: coaching\ntitle: \"Abigail Drummond one-to-one, 5 Jan 2026\"\nrep: \"[[Abigail Drummond]]\"\ndeal: millbrook-packaging-estates-refresh\ndate: 2026-01-05\ngap: skill\nskill: closing\ntakeaway: \"Map the paper process with procurement before the security review\"\noutcome: stalled\ntags: [coaching]\n",
    "type: debrief\ntitle: \"Aldergrove Bakeries Energy Monitoring stalled proposal debrief, 7 Nov 2026\"\nrep: \"Xavier Quinlan\"\ndeal: aldergrove-bakeries-energy-monitoring\ndate: 2026-11-07\ngap: skill\nskill: discovery\ntakeaway: \"Agree the decision date with the economic buyer before the executive meeting\"\noutcome: advanced\ntags: [debrief, executive-presence, qualification]\n",
    "type: call\ntitle: \"Aldergrove Bakeries demo call review, 23 Nov 2026\"\nrep: ayla-rourke\ndeal: aldergrove-bakeries-procurement-framework\ndate: 2026-11-23\ngap: will\ncall_type: demo\nattendees: [\"Ayla Rourke\", \"Greta Brennan (Head of security, Aldergrove Bakeries)\", \"Omar Vasquez (listening)\"]\nduration_min: 23\noutcome: advanced\nmoments:\n  - at: \"12:10\"\n    what_happened: \"Ayla parked the cost of the problem\"\n    why: \"A demo before the pain is sized becomes a feature comparison\"\ntags: [call-review]\n",
    "type: prep\ntitle: \"Aldergrove Civic Centres site visit prep, 17 Nov 2026\"\ndeal: \"[[Aldergrove Civic Centres Cold Chain]]\"\ndate: 2026-11-17\nobjections:\n  - objection: \"Price is above budget\"\n    response: \"Phase the rollout and tie the first phase to this year's budget line\"\n  - objection: \"Procurement wants another quote\"\n    response: \"Ask what the second quote must show, and offer the framework route\"\ntags: [prep]\n",
    "type: forecast\ntitle: \"Abigail Drummond 2025-Q1 forecast\"\nowner: \"[[Abigail Drummond]]\"\nperiod: \"2025-Q1\"\ncommit: 25000\nbest_case: 35000\ntags: [forecasting]\n",
];

#[test]
fn generated_notes_take_the_fast_path() {
    for yaml in GENERATED {
        assert!(same_as_slow(yaml), "not on the fast path:\n{yaml}");
    }
}

/// Every note of a generated corpus (`COACHBOOK_FAST_CORPUS=dir`), when
/// one is given: all on the fast path, all as serde_norway reads them.
#[test]
#[ignore = "needs a generated corpus"]
fn a_generated_corpus_takes_the_fast_path() {
    let Ok(dir) = std::env::var("COACHBOOK_FAST_CORPUS") else {
        return;
    };
    let mut blocks = Vec::new();
    blocks_under(std::path::Path::new(&dir), &mut blocks);
    let slow: Vec<&(String, String)> = blocks.iter().filter(|(_, y)| !same_as_slow(y)).collect();
    for (path, yaml) in slow.iter().take(5) {
        eprintln!("{path}:\n{yaml}");
    }
    assert!(
        slow.is_empty(),
        "{} of {} not fast",
        slow.len(),
        blocks.len()
    );
}

/// A seeded linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "title",
    "name",
    "tags",
    "deal",
    "rep",
    "owner",
    "Zoë",
    "名前",
    "next step",
    "a-b",
    "a_b",
    "yes",
    "No",
    "true",
    "null",
    "~",
    "1",
    "007",
    "0x1F",
    "1e3",
    "2026-03-04",
    "-",
    "?",
    "@x",
    "`x",
    "'q'",
    "\"k\"",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t",
    "x:y",
    "x#y",
    "x,y",
    "[k]",
    "{k}",
    "&a",
    "*a",
    "!t",
    "%p",
    "$v",
    "(p)",
    "a.b",
    "a/b",
    "score",
    "evidence",
    "current",
    "k ",
    " k",
    "é",
    "a\\b",
];

/// Keys the subset reads (most of the time the generator writes one).
const GOOD_KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "title",
    "name",
    "tags",
    "deal",
    "rep",
    "owner",
    "Zoë",
    "名前",
    "next step",
    "a-b",
    "a_b",
    "yes",
    "No",
    "score",
    "evidence",
    "current",
    "é",
    "a.b",
    "a/b",
    "x:y",
    "$v",
];

/// Values the subset reads, tricky ones included.
const GOOD_SCALARS: &[&str] = &[
    "",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "0",
    "7",
    "-5",
    "1.5",
    "-1.5",
    "0.1",
    "-0.0",
    "2026-03-04",
    "12:30",
    "a:b",
    "a #b",
    "a#b",
    "'q''s'",
    "''",
    "\"\"",
    "\"[[Name]]\"",
    "[[Name]]",
    "Zoë",
    "名前 です",
    "a, b",
    "a]",
    "[a, b]",
    "[a, b,]",
    "[]",
    "{}",
    "{a: 1}",
    "{a: 1,}",
    "[\"a\", 'b', 3]",
    "[[a], [b, [c]]]",
    "{a: [1, 2], b: {c: d}}",
    "[a, \"b # c\"]",
    "\"a # b\"",
    "'it''s'",
    "\"it's\"",
    "x y z",
    "3pm",
    "1 2",
    "1,000",
    "https://example.com/a?b=c#d",
    "\"12:10\"",
    "(x)",
    "$5",
    "a\\b",
    "{score: 2, evidence: \"COO named, not met\"}",
    "[\"Ayla Rourke\", \"Greta (Head, X)\"]",
    "18446744073709551615",
    "-9223372036854775808",
    "x\u{a0}",
    "a'b",
    "a\"b",
];

const SCALARS: &[&str] = &[
    "",
    "yes",
    "No",
    "no",
    "on",
    "Off",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "FALSE",
    "0x1F",
    "0o17",
    "0b101",
    "1e3",
    "1E3",
    "+5",
    "-5",
    "-0",
    "0",
    "00",
    "007",
    "7",
    ".5",
    "5.",
    "1.5",
    "-1.5",
    "01.5",
    "1_000",
    "1,000",
    ".inf",
    "-.inf",
    ".NaN",
    "nan",
    "inf",
    "Infinity",
    "2026-03-04",
    "2026-3-4",
    "2026-03-04T10:00",
    "12:30",
    "1:2:3",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#c",
    "'q''s'",
    "'q'",
    "''",
    "\"\"",
    "\"x\\\"y\"",
    "\"x\\ny\"",
    "\"[[Name]]\"",
    "[[Name]]",
    "'[[Name]]'",
    "-",
    "- x",
    "?",
    "? x",
    "@x",
    "`x",
    "!tag x",
    "&a x",
    "*a",
    "|",
    ">",
    "%x",
    "Zoë",
    "名前 です",
    "a, b",
    "a]",
    "a}",
    "[a, b]",
    "[a, b,]",
    "[a,, b]",
    "[]",
    "{}",
    "{a: 1}",
    "{a: 1,}",
    "{a: 1, a: 2}",
    "{a:1}",
    "[a: b]",
    "[\"a\", 'b', 3]",
    "[[a], [b, [c]]]",
    "{a: [1, 2], b: {c: d}}",
    "[a #b]",
    "[a, \"b # c\"]",
    "\"a # b\"",
    "'a # b'",
    "'it''s'",
    "\"it's\"",
    "'say \"hi\"'",
    "x y z",
    "x  y",
    "trailing  ",
    "1 2",
    "3pm",
    "v1.2.3",
    "1.2.3",
    "99999999999999999999",
    "-99999999999999999999",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "12345678901234567890.5",
    "0.1",
    "-0.0",
    "+1.5",
    "\\",
    "a\\b",
    "\"a\\b\"",
    "'a\\b'",
    "<<",
    "=",
    "(x)",
    "$5",
    "\u{a0}x",
    "x\u{a0}",
    "é",
    "\"unclosed",
    "'unclosed",
    "[unclosed",
    "{unclosed: 1",
    "a\"b",
    "a'b",
    "https://example.com/a?b=c#d",
    "mailto:x@y",
    "\"12:10\"",
    "{score: 2, evidence: \"COO named, not met\"}",
    "{score: 3}",
    "[\"Ayla Rourke\", \"Greta (Head, X)\"]",
    "a: b: c",
    "x:",
    "'a' b",
    "\"a\" b",
];

/// A random frontmatter block from fragments of everything above.
fn random_yaml(r: &mut Lcg) -> String {
    let mut out = String::new();
    let entries = 1 + r.below(6);
    for _ in 0..entries {
        entry(r, &mut out, 0, 0);
    }
    if r.chance(3) {
        out.push_str(r.pick(&["---\n", "...\n", "# end\n", "\n", "  \n", "\t\n", "x\n"]));
    }
    out
}

fn indent_of(r: &mut Lcg, base: usize) -> String {
    let odd = r.chance(4);
    let n = if odd { base + r.below(4) } else { base };
    " ".repeat(n.saturating_sub(usize::from(odd && r.chance(50))))
}

/// Appends one `key: value` at indent `ind` (nesting `depth`).
fn entry(r: &mut Lcg, out: &mut String, ind: usize, depth: usize) {
    if r.chance(8) {
        out.push_str(&indent_of(r, ind));
        out.push_str(r.pick(&["# note: x\n", "#c\n", "\n", "# deal: 1\n"]));
    }
    out.push_str(&indent_of(r, ind));
    out.push_str(key(r));
    out.push_str(if r.chance(95) {
        ":"
    } else {
        r.pick(&[" :", ":  "])
    });
    let nested = depth < 3 && r.chance(30);
    if nested {
        if r.chance(20) {
            out.push_str(r.pick(&[" # c", "  #c", "#c"]));
        }
        out.push('\n');
        let child = ind + if r.chance(85) { 2 } else { r.below(5) };
        let n = 1 + r.below(3);
        if r.chance(50) {
            for _ in 0..n {
                entry(r, out, child, depth + 1);
            }
        } else {
            let dash_at = if r.chance(30) { ind } else { child };
            for _ in 0..n {
                out.push_str(&indent_of(r, dash_at));
                out.push_str(if r.chance(90) {
                    "- "
                } else {
                    r.pick(&["-  ", "-", "- - "])
                });
                if r.chance(30) {
                    // A map in the item: its other keys line up with the first.
                    out.push_str(key(r));
                    out.push_str(": ");
                    out.push_str(&value(r));
                    out.push('\n');
                    if r.chance(50) {
                        entry(r, out, dash_at + 2, depth + 1);
                    }
                } else {
                    out.push_str(&value(r));
                    out.push('\n');
                }
            }
        }
    } else {
        out.push(' ');
        out.push_str(&value(r));
        if r.chance(10) {
            out.push_str(r.pick(&[" # c", " #", "#c", "  ", " # a: b", " # deal: x"]));
        }
        out.push('\n');
        if r.chance(3) {
            // A continuation line.
            out.push_str(&indent_of(r, ind + 2));
            out.push_str(r.pick(SCALARS));
            out.push('\n');
        }
    }
}

/// A value: a fragment, or a flow collection of fragments.
fn value(r: &mut Lcg) -> String {
    if r.chance(20) {
        let (open, close) = if r.chance(50) { ("[", "]") } else { ("{", "}") };
        let n = r.below(4);
        let mut s = String::from(open);
        for i in 0..n {
            if i > 0 {
                s.push_str(r.pick(&[", ", ",", " , ", ",  "]));
            }
            if open == "{" {
                s.push_str(key(r));
                s.push_str(if r.chance(90) {
                    ": "
                } else {
                    r.pick(&[":", " : "])
                });
            }
            s.push_str(scalar(r));
        }
        if r.chance(10) {
            s.push(',');
        }
        s.push_str(close);
        s
    } else {
        scalar(r).to_string()
    }
}

/// A key: mostly one the subset reads.
fn key(r: &mut Lcg) -> &'static str {
    if r.chance(85) {
        r.pick(GOOD_KEYS)
    } else {
        r.pick(KEYS)
    }
}

/// A scalar: mostly one the subset reads.
fn scalar(r: &mut Lcg) -> &'static str {
    if r.chance(75) {
        r.pick(GOOD_SCALARS)
    } else {
        r.pick(SCALARS)
    }
}

#[test]
fn random_documents_read_as_serde_norway_reads_them() {
    // `COACHBOOK_FAST_RANDOM=seed,count` for a longer run.
    let (seed, total) = std::env::var("COACHBOOK_FAST_RANDOM")
        .ok()
        .and_then(|v| {
            let (s, n) = v.split_once(',')?;
            Some((s.parse().ok()?, n.parse().ok()?))
        })
        .unwrap_or((0x5eed_c0ac_4b00, 50_000));
    let mut r = Lcg(seed);
    let mut fast = 0;
    for _ in 0..total {
        let yaml = random_yaml(&mut r);
        if same_as_slow(&yaml) {
            fast += 1;
        }
    }
    eprintln!("fast path: {fast} of {total} random documents");
    // Enough of them in the subset for the comparison to mean something.
    assert!(fast > total / 10, "{fast} of {total}");
}

#[test]
fn tricky_documents_fall_back_or_agree() {
    for yaml in [
        "a: 1\na: 2\n",
        "a: {b: 1, b: 2}\n",
        "a: yes\nb: No\nc: ~\nd: 0x1F\ne: 1e3\nf: 007\ng: .5\nh: +5\ni: -0\n",
        "a: 'q''s'\nb: \"x\\\"y\"\nc: [a, b,]\nd: {x: 1,}\n",
        "a: [[Name]]\nb: \"[[Name]]\"\n",
        "x: \"a: b\"\nb: 1\n",
        "x: \"see b: here\"\nb: 1\n",
        "x:\n  b: 1\nb: 2\n",
        "# b: 1\nb: 2\n",
        "a-b: 1\nb: 2\n",
        "a:\n- 1\n- 2\nb:\n  - x: 1\n    y: 2\n  - z\n",
        "Zoë: \"é\"\nnext: [\"Zoë\", 'b']\n",
        "a: 1 # c\nb: \"x\" # d\nc: [1] # e\nd: # f\n  e: 1\n",
        "a: b\n  c\n",
        "a: &x 1\nb: *x\n",
        "a: |\n  text\n",
        "a: !t x\n",
        "a:\tb\n",
    ] {
        same_as_slow(yaml);
    }
    // More top-level fields than the locator looks through one by one.
    let many: String = (0..60)
        .map(|i| format!("k{i}: \"[[N{i}]]\"\nk{i}-list:\n  - x\n"))
        .collect();
    assert!(same_as_slow(&many));
    // What the subset is for.
    assert!(fast::parse("a: 1\nb: [x, \"y\"]\nc:\n  d: {e: 2}\n", 2).is_some());
    // Found first in an earlier value: the locator's answer cannot be
    // given without its scan.
    assert!(fast::parse("x: \"see b: here\"\nb: 1\n", 2).is_none());
    assert!(fast::parse("a: 1\na: 2\n", 2).is_none());
}

//! Audiences (#14): each audience's site holds nothing of the notes it
//! leaves out. The leak scan reads every byte of every file written
//! (HTML, JSON, JS, XML, CSS, text: nothing decoded) and looks for each
//! secret of each left-out note as written, HTML-escaped and
//! JSON-escaped: a rep's name, a deal's name, account and value (as the
//! pages format it, `$123,457`, and raw, `123457`), a title, a takeaway,
//! and the sentences of the body. It runs over the fixture
//! `tests/sites/audiences` and over the example site's audiences.

mod common;

/// A file of a built folder as text.
fn text(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

use coachbook::audience::{select, Audience};
use common::*;
use std::path::Path;

/// Every file below `dir`, as (path, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// A secret as written, HTML-escaped and JSON-escaped.
fn forms(s: &str) -> Vec<String> {
    let html = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let html2 = html.replace("&#39;", "&#x27;");
    let json = serde_json::to_string(s).unwrap();
    let json = json.trim_matches('"').to_string();
    let mut v = vec![s.to_string(), html, html2, json];
    v.sort();
    v.dedup();
    v
}

/// `123457` as the pages show it: `$123,457`.
fn money(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

/// The secrets of one note: what only it holds.
fn secrets_of(n: &coachbook::model::Note) -> Vec<String> {
    let mut s = Vec::new();
    if n.title_given {
        s.push(n.title.clone());
    }
    if let Some(r) = n.rep() {
        s.push(r.name.clone());
    }
    if let Some(d) = n.deal() {
        s.push(d.name.clone());
        s.push(d.account.clone());
        if let Some(v) = d.value {
            s.push(money(v));
            s.push(format!("{}", v.round() as i64));
        }
    }
    if let coachbook::model::NoteData::Interaction(i) = &n.data {
        s.push(i.takeaway.clone());
    }
    // The body's plain sentences (Markdown syntax would be changed by
    // rendering, so those are left to the names above).
    let body = coachbook::content::body_text(n).unwrap();
    for sentence in body.split(['.', '\n', '!', '?']) {
        let t = sentence.trim();
        if t.len() >= 24
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == ',' || c == '-')
        {
            s.push(t.to_string());
        }
    }
    s
}

/// The names a left-out note stands for, in the short forms prose uses
/// too: a rep's full, first and last name; a deal's name, its account,
/// and the first word of each ("Kilnworth", "Tamsin"). Short words (under
/// five letters) are left to the full names.
fn names_of(n: &coachbook::model::Note) -> Vec<String> {
    let mut s = Vec::new();
    let mut with_words = |full: &str, all_words: bool| {
        s.push(full.to_string());
        let words: Vec<&str> = full.split_whitespace().collect();
        let take = if all_words { words.len() } else { 1 };
        s.extend(words.iter().take(take).map(|w| w.to_string()));
    };
    if let Some(r) = n.rep() {
        with_words(&r.name, true);
    }
    if let Some(d) = n.deal() {
        with_words(&d.name, false);
        with_words(&d.account, false);
    }
    s
}

/// How strictly [`assert_no_leak`] reads a secret.
#[derive(Clone, Copy, PartialEq)]
enum Names {
    /// A secret that a note of the audience holds itself is its to show
    /// (a public page naming a product).
    ShownMayRepeat,
    /// No name of a left-out note ([`names_of`]) may appear, even when a
    /// note of the audience writes it out: the example's public handbook
    /// names no rep, deal or account.
    NeverShown,
}

/// Builds `audience` of `site` into a fresh folder and checks that no
/// secret of a note it leaves out is in any byte of any file written;
/// returns the number of secrets checked.
fn assert_no_leak(site: &Path, audience: &str, names: Names) -> usize {
    let full = coachbook::build::analyse(site, None).unwrap();
    let aud = Audience::find(audience, &full.config).unwrap();
    let included = select(&full.site, &aud);
    // The sources of the notes in the audience: a secret they hold
    // themselves is theirs to show (a public page naming a product).
    let shown: Vec<Vec<u8>> = full
        .site
        .notes
        .iter()
        .zip(&included)
        .filter(|(_, inc)| **inc)
        .map(|(n, _)| std::fs::read(&n.abs_path).unwrap())
        .collect();
    let mut secrets: Vec<(String, String)> = Vec::new();
    for (n, inc) in full.site.notes.iter().zip(&included) {
        if *inc {
            continue;
        }
        let strict = if names == Names::NeverShown {
            names_of(n)
        } else {
            Vec::new()
        };
        for s in secrets_of(n) {
            if s.trim().len() < 5
                || (!strict.contains(&s) && shown.iter().any(|src| contains(src, s.as_bytes())))
            {
                continue;
            }
            secrets.push((n.path.clone(), s));
        }
        for s in strict {
            if s.trim().len() >= 5 && !secrets.iter().any(|(_, k)| *k == s) {
                secrets.push((n.path.clone(), s));
            }
        }
    }
    // The search index keeps words, lower-cased, one by one: each longer
    // word of a left-out rep's or deal's name that no note of the audience
    // writes (in any case) must not be among them either.
    let shown_lower: Vec<String> = shown
        .iter()
        .map(|src| String::from_utf8_lossy(src).to_lowercase())
        .collect();
    for (n, inc) in full.site.notes.iter().zip(&included) {
        if *inc {
            continue;
        }
        for name in names_of(n) {
            for w in name.split_whitespace().map(str::to_lowercase) {
                if w.len() >= 6
                    && w.chars().all(char::is_alphabetic)
                    && !shown_lower.iter().any(|src| src.contains(&w))
                    && !secrets.iter().any(|(_, k)| *k == w)
                {
                    secrets.push((n.path.clone(), w));
                }
            }
        }
    }
    let (dir, code, stderr) = build_at(site, &["--audience", audience]);
    assert_eq!(code, 0, "{stderr}");
    // Every page renders without the figures an audience leaves out.
    assert!(!stderr.contains("render-error"), "{audience}: {stderr}");
    let out = dir.path().join("public");
    let all = files(&out);
    assert!(all.len() > 5, "{audience}: {} files", all.len());
    for (file, bytes) in &all {
        for (note, secret) in &secrets {
            for f in forms(secret) {
                assert!(
                    !contains(bytes, f.as_bytes()),
                    "audience {audience}: {file} holds {f:?} of {note}, which the audience leaves out"
                );
            }
        }
        // A link-to-excluded warning is printed, never published.
        assert!(!contains(bytes, b"link-to-excluded"), "{file}");
        assert!(!contains(bytes, b"leaves out"), "{file}");
    }
    secrets.len()
}

const FIXTURE_AUDIENCES: [&str; 6] = [
    "handbook",
    "coaching-desk",
    "managers",
    "zephyr",
    "borealis",
    "rep:quorra-vantablack",
];

#[test]
fn no_audience_of_the_fixture_leaks_a_note_it_leaves_out() {
    let site = fixture("audiences");
    let mut checked = 0;
    for a in FIXTURE_AUDIENCES {
        checked += assert_no_leak(&site, a, Names::ShownMayRepeat);
    }
    assert!(checked > 60, "only {checked} secrets checked");
}

#[test]
fn no_audience_of_the_example_site_leaks() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR"));
    let full = coachbook::build::analyse(site, None).unwrap();
    assert!(full.config.audiences.contains_key("handbook"));
    let mut checked = 0;
    for name in full.config.audiences.keys() {
        let names = if name == "handbook" {
            Names::NeverShown
        } else {
            Names::ShownMayRepeat
        };
        checked += assert_no_leak(site, name, names);
    }
    // The handbook leaves out every rep, deal and coaching note.
    assert!(checked > 50, "only {checked} secrets checked");
}

/// The fixture's distinctive strings, checked by hand as well: the scan
/// above derives its secrets from the notes, this pins what each audience
/// must and must not hold.
#[test]
fn each_fixture_audience_holds_what_its_config_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let site = fixture("audiences");
    let (code, stderr, _) = run(&[
        "build",
        site.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--all-audiences",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let holds = |aud: &str, s: &str| {
        files(&out.join(aud))
            .iter()
            .any(|(_, b)| contains(b, s.as_bytes()))
    };
    for aud in ["handbook", "managers", "zephyr", "borealis"] {
        assert!(out.join(aud).join("index.html").is_file(), "{aud}");
    }
    // managers: everything, the private page too.
    for s in [
        "Quorra Vantablack",
        "$123,457",
        "thimbleberry seven",
        "Wombatcastle",
        "lighthouse moment",
    ] {
        assert!(holds("managers", s), "managers lacks {s}");
    }
    // handbook: the public page only, its link to a rep as plain text.
    assert!(holds("handbook", "Ask open questions before any slide"));
    for s in [
        "Quorra",
        "Vantablack",
        "123457",
        "$123,457",
        "marmalade",
        "gryphon",
        "thimbleberry",
        "Wombatcastle",
        "Ottoline",
        "quokka",
    ] {
        assert!(!holds("handbook", s), "handbook holds {s}");
    }
    let page = text(&out.join("handbook"), "pages/discovery-basics/index.html");
    assert!(
        page.contains("Listen to\na strong example and read quorra-coaching."),
        "{page}"
    );
    // Attachments go with the notes that link to them.
    assert!(!out.join("handbook/notes/gryphon-sketch.png").exists());
    assert!(!holds("handbook", "gryphon sketch"));
    assert!(out.join("zephyr/notes/gryphon-sketch.png").is_file());
    // zephyr: its two reps and their notes, not Borealis, not pages.
    assert!(holds("zephyr", "Verify the quokka budget before pricing"));
    assert!(holds("zephyr", "$123,457"));
    for s in [
        "Ottoline",
        "43219",
        "$43,219",
        "lighthouse",
        "thimbleberry",
        "Ask open questions",
    ] {
        assert!(!holds("zephyr", s), "zephyr holds {s}");
    }
    // borealis: a one-rep team and the pages; the draft-tagged coaching
    // note is excluded, and the private and managers-only pages too.
    assert!(holds("borealis", "teal fountain ink"));
    for s in [
        "lighthouse",
        "periwinkle",
        "thimbleberry",
        "Wombatcastle",
        "Quorra",
        "87653",
    ] {
        assert!(!holds("borealis", s), "borealis holds {s}");
    }
    // Public: no noindex, a sitemap. Not public: noindex on every page,
    // no sitemap.
    assert!(out.join("handbook/sitemap.xml").is_file());
    assert!(!holds("handbook", "noindex"));
    for aud in ["managers", "zephyr", "borealis"] {
        assert!(!out.join(aud).join("sitemap.xml").exists(), "{aud}");
        for (file, bytes) in files(&out.join(aud)) {
            if file.ends_with(".html") {
                assert!(
                    contains(&bytes, b"<meta name=\"robots\" content=\"noindex\">"),
                    "{file}"
                );
            }
        }
    }
    // metrics.json: the whole org only where every rep is in; a team
    // only whole.
    let m: serde_json::Value =
        serde_json::from_str(&text(&out.join("handbook"), "metrics.json")).unwrap();
    assert!(m["org"].is_null(), "{m}");
    assert_eq!(m["reps"], serde_json::json!({}));
    assert_eq!(m["deals"], serde_json::json!({}));
    assert_eq!(m["teams"], serde_json::json!({}));
    let m: serde_json::Value =
        serde_json::from_str(&text(&out.join("zephyr"), "metrics.json")).unwrap();
    assert!(m["org"].is_null());
    assert!(m["teams"]["Zephyr Team"].is_object(), "{m}");
    let m: serde_json::Value =
        serde_json::from_str(&text(&out.join("managers"), "metrics.json")).unwrap();
    assert!(m["org"].is_object());
}

#[test]
fn references_to_left_out_notes_are_plain_text_and_untitled_notes_are_renamed() {
    let (dir, code, stderr) = build("audiences", &["--audience", "coaching-desk"]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    let page = text(&out, "coaching/ignatius-one-to-one/index.html");
    // Named from the reference as written, not from the rep note.
    assert!(
        page.contains("<h1>One-to-one with ignatius-pellucid, 20 Jun 2026</h1>"),
        "{page}"
    );
    assert!(page.contains("<dd>ignatius-pellucid</dd>"), "{page}");
    for (file, bytes) in files(&out) {
        assert!(!contains(&bytes, b"broken-link\" title"), "{file}");
        assert!(!contains(&bytes, b"Ignatius Pellucid"), "{file}");
    }
    // The prep's rep, filled in from its deal's owner, went with the owner.
    let prep = text(&out, "preps/plumbaceous-prep/index.html");
    assert!(!prep.contains("ignatius"), "{prep}");
}

#[test]
fn a_reps_own_view_has_their_notes_and_pooled_figures_only() {
    let (dir, code, stderr) = build("audiences", &["--audience", "rep:quorra-vantablack"]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    let m: serde_json::Value = serde_json::from_str(&text(&out, "metrics.json")).unwrap();
    let reps: Vec<&String> = m["reps"].as_object().unwrap().keys().collect();
    assert_eq!(reps, ["quorra-vantablack"]);
    // Zephyr has two reps: its figures minus hers would be Ignatius's.
    assert_eq!(m["teams"], serde_json::json!({}));
    // Three reps in the company: pooled figures stay.
    assert!(m["org"].is_object());
    assert!(out.join("pages/discovery-basics/index.html").is_file());
    assert!(!out.join("pages/compensation/index.html").exists());
}

#[test]
fn strict_fails_on_a_link_to_an_excluded_note() {
    let site = fixture("audiences");
    let site = site.to_str().unwrap();
    let (code, stderr, _) = run(&["check", site, "--audience", "handbook", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("link-to-excluded"), "{stderr}");
    let (code, stderr, _) = run(&["check", site, "--audience", "managers", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let (dir, code, stderr) = build("audiences", &["--audience", "handbook", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    drop(dir);
    // Without an audience, nothing is excluded.
    let (code, stderr, _) = run(&["check", site, "--strict"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn bad_audience_config_and_names_are_usage_errors() {
    for (toml, want) in [
        ("[audiences.h]\nkind = [\"page\"]\n", "unknown field `kind`"),
        (
            "[audiences.h]\nkinds = [\"handbook\"]\n",
            "not a kind of note",
        ),
        (
            "[audiences.\"a/b\"]\nkinds = [\"page\"]\n",
            "letters, digits",
        ),
    ] {
        let dir = copy_site("audiences");
        std::fs::write(dir.path().join("coachbook.toml"), toml).unwrap();
        let (code, stderr, _) = run(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(code, 2, "{toml}: {stderr}");
        assert!(stderr.contains(want), "{toml}: {stderr}");
    }
    let site = fixture("audiences");
    let (code, stderr, _) = run(&["check", site.to_str().unwrap(), "--audience", "nobody"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("declares borealis, coaching-desk, handbook, managers, zephyr"),
        "{stderr}"
    );
    let (code, stderr, _) = run(&[
        "build",
        fixture("one-team").to_str().unwrap(),
        "--all-audiences",
        "-o",
        "/nonexistent-never",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

/// `serve --audience`: the served folder is the audience's site, rebuilt
/// after an edit, and the whole site is never in it.
#[test]
fn serve_serves_the_audience_only() {
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};
    let site = copy_site("audiences");
    let out = site.path().join("served");
    let mut child = bin()
        .args([
            "serve",
            site.path().to_str().unwrap(),
            "--port",
            "0",
            "-o",
            out.to_str().unwrap(),
            "--audience",
            "handbook",
        ])
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait = |what: &str, ok: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}");
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server did not start");
        if line.starts_with("Serving ") {
            break;
        }
    }
    let scan = || {
        files(&out)
            .iter()
            .any(|(_, b)| contains(b, b"Quorra") || contains(b, b"thimbleberry"))
    };
    assert!(out.join("pages/discovery-basics/index.html").is_file());
    assert!(!out.join("reps").join("quorra-vantablack").exists());
    assert!(!scan(), "the served folder holds a left-out note");
    std::fs::write(
        site.path().join("content/handbook/discovery-basics.md"),
        "---\ntitle: Discovery Basics\n---\nAsk about the second pelican question.\n",
    )
    .unwrap();
    let page = out.join("pages/discovery-basics/index.html");
    wait("the edit to be served", &|| {
        std::fs::read_to_string(&page).is_ok_and(|p| p.contains("second pelican question"))
    });
    assert!(!scan(), "the served folder holds a left-out note");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_dashboard_without_every_rep_says_whose_figures_it_shows() {
    let site = fixture("audiences");
    let (dir, code, stderr) = build_at(&site, &["--audience", "zephyr"]);
    assert_eq!(code, 0, "{stderr}");
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(
        home.contains("id=\"scope\""),
        "no scope notice on zephyr's dashboard"
    );
    assert!(home.contains("not the company's figures"));
    let (dir, code, stderr) = build_at(&site, &["--audience", "managers"]);
    assert_eq!(code, 0, "{stderr}");
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(!home.contains("id=\"scope\""), "managers hold every rep");
}

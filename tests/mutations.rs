//! A bounded mutation test: notes from the fixtures and the example site,
//! mangled at random (bytes, lines, YAML punctuation), go through every
//! stage (load, validate, links, metrics, render). No input may panic.
//! `COACHBOOK_MUTATIONS=N` runs longer.

mod common;
use coachbook::build;
use coachbook::config::Config;
use coachbook::diagnostics::Diagnostics;
use coachbook::render::theme::Theme;
use coachbook::render::Renderer;
use common::Rng;
use std::path::{Path, PathBuf};

const PIECES: &[&str] = &[
    "---",
    ":",
    "- ",
    "[[",
    "]]",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!binary",
    "\"",
    "'",
    "#",
    "\n",
    "  ",
    "\t",
    "2026-02-30",
    "-1",
    "1e400",
    ".nan",
    "null",
    "~",
    "?",
    "|",
    ">",
    "\u{feff}",
    "\r\n",
    "é",
    "💼",
    "\0",
    "type: deal",
    "type: rep",
    "stage: closed_won",
    "owner: ",
    "[[#]]",
    "[[|]]",
    "<script>",
    "](javascript:x)",
    "slug: ../x",
    "meddpicc:",
    "score: 9",
];

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 => {
                let p = PIECES[rng.below(PIECES.len())].as_bytes();
                b.splice(at..at, p.iter().copied());
            }
            1 if !b.is_empty() => {
                let end = (at + rng.below(20)).min(b.len());
                b.drain(at.min(end)..end);
            }
            2 if at < b.len() => b[at] = rng.next() as u8,
            3 => {
                let lines: Vec<&[u8]> = b.split(|c| *c == b'\n').collect();
                let i = rng.below(lines.len());
                let mut out = Vec::new();
                for (j, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                    if j == i {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                }
                b = out;
            }
            _ => b.truncate(at),
        }
    }
    b
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["tests/sites/valid/content", "content"] {
        files.extend(coachbook::content::note_files(&root.join(dir)));
    }
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

#[test]
fn mangled_notes_never_panic_in_any_stage() {
    let n: usize = std::env::var("COACHBOOK_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let seeds = corpus();
    let site_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid");
    let config = Config::load(&site_dir).unwrap();
    let theme = Theme::load(&site_dir, &config).unwrap();
    let (base_notes, _) =
        coachbook::content::load(&site_dir, &coachbook::content::LoadOptions::default());
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for i in 0..n {
        let seed = &seeds[rng.below(seeds.len())];
        let bytes = mutate(&mut rng, seed);
        let abs = site_dir.join("content/mutant.md");
        let (note, _) = coachbook::content::load_bytes(
            "content/mutant.md",
            &abs,
            &bytes,
            &coachbook::content::LoadOptions::default(),
        );
        let mut notes = base_notes.clone();
        notes.extend(note);
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let mut a = build::analyse_notes(config.clone(), as_of, notes, Diagnostics::default());
        let r = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, &theme, &a.diags);
        for job in r.jobs() {
            if let Err(e) = r.render(&job) {
                panic!(
                    "mutation {i}: render failed: {e}\n{}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
        let _ = coachbook::metrics::to_json(&a.metrics);
        a.diags.sort();
    }
}

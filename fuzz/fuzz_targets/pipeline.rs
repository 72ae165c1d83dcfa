//! Validator, link resolver and metrics: the input is split into several
//! notes (at NUL bytes) that reference each other.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut notes = Vec::new();
    for (i, chunk) in data.split(|b| *b == 0).take(16).enumerate() {
        let path = format!("content/n{i}.md");
        let abs = std::path::PathBuf::from(format!("n{i}.md"));
        let (note, _) = coachbook::content::load_bytes(&path, &abs, chunk, &coachbook::content::LoadOptions::default());
        notes.extend(note);
    }
    let config = coachbook::config::Config::default();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
    let a = coachbook::build::analyse_notes(config, as_of, notes, Default::default());
    let _ = coachbook::metrics::to_json(&a.metrics);
});

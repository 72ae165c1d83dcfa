//! The frontmatter parser and the typed-field reader, any bytes; and the
//! note's entry in the search index, which must stay valid JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (note, _) =
        coachbook::content::load_bytes("content/x.md", std::path::Path::new("x.md"), data, &coachbook::content::LoadOptions::default());
    if let Some(n) = note {
        let entry = coachbook::render::search::doc_entry(&n);
        let json = coachbook::render::search::index_json(&[entry]);
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");
    }
});

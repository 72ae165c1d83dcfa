//! The frontmatter parser and the typed-field reader, any bytes; and the
//! note's entry in the search index, whose JSON files must stay valid JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (note, _) =
        coachbook::content::load_bytes("content/x.md", std::path::Path::new("x.md"), data, &coachbook::content::LoadOptions::default());
    if let Some(n) = note {
        let entry = coachbook::render::search::doc_entry(&n);
        let index = coachbook::render::search::index_files(&[entry]);
        for (name, bytes) in &index.files {
            if name.ends_with(".json") {
                assert!(serde_json::from_slice::<serde_json::Value>(bytes).is_ok(), "{name}");
            }
        }
    }
});

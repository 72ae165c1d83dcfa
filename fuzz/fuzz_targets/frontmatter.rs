//! The frontmatter parser and the typed-field reader: any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = coachbook::content::load_bytes("content/x.md", std::path::Path::new("x.md"), data);
});

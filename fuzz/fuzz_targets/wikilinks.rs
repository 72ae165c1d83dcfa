//! Body wikilinks: finding them, and rendering the body with them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = std::str::from_utf8(data) {
        let links = coachbook::content::wikilinks::body_links(body, 1);
        let _ = coachbook::render::markdown::render(
            body,
            &links,
            |l| coachbook::render::markdown::LinkTarget {
                href: (l.target.len() % 2 == 0).then(|| format!("/x/{}/", l.target)),
                title: l.target.clone(),
            },
            false,
        );
    }
});

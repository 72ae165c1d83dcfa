//! Body wikilinks: finding them, rendering the body with them, and the
//! body's words and summary for the search index.
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
        coachbook::render::search::words(body, |w| assert!(!w.is_empty()));
        let summary = coachbook::render::search::plain_start(body, 200);
        assert!(summary.chars().count() <= 201);
    }
});

//! Body wikilinks: finding them (Obsidian comments taken out), rendering
//! the body with them (raw HTML decided tag by tag, or all shown as text), the
//! warnings for tags shown as text, and the body's visible words and
//! summary for the search index.
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
            match data.len() % 3 {
                0 => coachbook::render::markdown::RawHtml::Sanitise,
                1 => coachbook::render::markdown::RawHtml::Keep,
                _ => coachbook::render::markdown::RawHtml::AsText,
            },
        );
        for unsafe_html in [false, true] {
            for d in coachbook::content::wikilinks::html_diagnostics("n.md", body, 1, unsafe_html) {
                assert!(d.line >= 1 && d.column >= 1);
            }
        }
        let uncommented = coachbook::content::wikilinks::without_comments(body);
        assert!(uncommented.text.len() <= body.len());
        assert!(uncommented.body_offset(uncommented.text.len()) <= body.len());
        let (text, _) = coachbook::render::search::body_text(body);
        coachbook::render::search::words(&text, |w| assert!(!w.is_empty()));
        let summary = coachbook::render::search::plain_start(body, 200);
        assert!(summary.chars().count() <= 201);
    }
});

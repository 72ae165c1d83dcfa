//! The charts of built pages: the drawing is an image with nothing
//! interactive inside (axe-core's `nested-interactive`), and a chart's
//! links are in its data table.

mod common;
use common::*;

#[test]
fn chart_images_hold_no_links_and_their_tables_do() {
    let (dir, code, stderr) = build("valid", &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path();
    let mut table_links = 0;
    for page in [
        "index.html",
        "teams/north/index.html",
        "reps/ana-silva/index.html",
        "reps/ana-silva/pipeline/index.html",
        "forecast/index.html",
    ] {
        let doc = html(out, page);
        let images = select(&doc, "figure.chart [role=img]");
        assert!(
            !images.is_empty() || page != "index.html",
            "{page}: no charts"
        );
        for sel in ["[role=img] a", "[role=img] [href]", "[role=img] [tabindex]"] {
            assert!(select(&doc, sel).is_empty(), "{page}: {sel}");
        }
        table_links += select(&doc, "figure.chart details.chart-data th a[href]").len();
    }
    // The dashboard's per-rep charts link each rep, from the table.
    let doc = html(out, "index.html");
    let reps = select(
        &doc,
        "figure.chart details.chart-data th a[href*=\"/reps/\"]",
    );
    assert!(!reps.is_empty() && table_links >= reps.len());
    assert!(read(out, "index.html").contains(">Target 90%</text>"));
}

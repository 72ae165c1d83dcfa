//! Benchmarks of the build's stages on a generated corpus.
//!
//! cargo bench --bench stages
//!
//! The corpus is `COACHBOOK_BENCH_SITE` if set, else 10,000 notes generated
//! once into the system's temporary folder by `examples/gen_corpus.rs`
//! (`COACHBOOK_BENCH_NOTES` changes the count).

use coachbook::build;
use coachbook::config::Config;
use coachbook::diagnostics::Diagnostics;
use coachbook::model::Site;
use coachbook::render::theme::Theme;
use coachbook::render::Renderer;
use coachbook::{content, links, metrics, validate};
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

static SITE: LazyLock<PathBuf> = LazyLock::new(|| {
    if let Some(s) = std::env::var_os("COACHBOOK_BENCH_SITE") {
        return PathBuf::from(s);
    }
    let n = std::env::var("COACHBOOK_BENCH_NOTES").unwrap_or_else(|_| "10000".into());
    let dir = std::env::temp_dir().join(format!("coachbook-bench-stages-{n}"));
    if !dir.join("content").is_dir() {
        let ok = Command::new(env!("CARGO"))
            .args([
                "run",
                "--release",
                "--quiet",
                "--example",
                "gen_corpus",
                "--",
            ])
            .arg(&dir)
            .args(["--notes", &n])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "could not generate the corpus");
    }
    dir
});

static ANALYSIS: LazyLock<build::Analysis> =
    LazyLock::new(|| build::analyse(&SITE, None).expect("the corpus builds"));

#[divan::bench(sample_count = 10)]
fn load_and_parse() -> usize {
    content::load(&SITE, &content::LoadOptions::default())
        .0
        .len()
}

#[divan::bench(sample_count = 10)]
fn validate_and_link(b: divan::Bencher) {
    let config = Config::load(&SITE).unwrap();
    let (notes, _) = content::load(&SITE, &content::LoadOptions::default());
    b.with_inputs(|| notes.clone()).bench_values(|notes| {
        let mut diags = Diagnostics::default();
        let notes = validate::validate(notes, &config, &mut diags);
        let mut site = Site {
            notes,
            ..Default::default()
        };
        links::resolve(&mut site, &mut diags).backlinks.len()
    });
}

#[divan::bench(sample_count = 20)]
fn metrics() -> usize {
    let a = &*ANALYSIS;
    metrics::compute(&a.site, &a.config, a.as_of).deals.len()
}

#[divan::bench(sample_count = 10)]
fn render_all_pages() -> usize {
    let a = &*ANALYSIS;
    let theme = Theme::load(&SITE, &a.config).unwrap();
    let r = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, &theme, &a.diags);
    r.jobs()
        .par_iter()
        .map(|j| r.render(j).map(|(_, html)| html.len()).unwrap_or(0))
        .sum()
}

#[divan::bench(sample_count = 5)]
fn write_all_pages(b: divan::Bencher) {
    let a = &*ANALYSIS;
    let theme = Theme::load(&SITE, &a.config).unwrap();
    let r = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, &theme, &a.diags);
    let pages: Vec<(String, String)> = r
        .jobs()
        .par_iter()
        .filter_map(|j| r.render(j).ok())
        .collect();
    b.with_inputs(|| tempfile::tempdir().unwrap())
        .bench_values(|dir| {
            let out = coachbook::output::Output::new(dir.path()).unwrap();
            pages
                .par_iter()
                .for_each(|(p, html)| out.write(p, html.as_bytes()).unwrap());
            dir
        });
}

//! Compares coachbook's search index with elasticlunr-rs (mdBook's) on the
//! same notes: build time and size of what the browser downloads.
//!
//!   cargo run --release --features compare-search --example search_compare -- SITE
//!
//! Both index the title, the names, account, tags and takeaway, and the
//! whole body of every note; elasticlunr keeps no copy of the documents
//! (`save_docs(false)`, as mdBook does), coachbook's index also carries
//! each note's title, URL, kind, date and summary for the result list.

use std::time::Instant;

fn main() {
    let site = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let a = match coachbook::build::analyse(std::path::Path::new(&site), None) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let notes = &a.site.notes;
    let markdown: usize = notes.iter().map(|n| n.body.len()).sum();
    println!(
        "{} notes, {:.1} MB of Markdown bodies",
        notes.len(),
        mb(markdown)
    );

    let mut ours = (f64::MAX, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let index = coachbook::render::search::site_index(&a.site);
        ours = (ours.0.min(t.elapsed().as_secs_f64()), index.bytes());
    }
    println!(
        "coachbook index:    {:7.1} ms (best of 5, both cores), {:6.2} MB",
        ours.0 * 1e3,
        mb(ours.1)
    );

    let t = Instant::now();
    let mut index = elasticlunr::IndexBuilder::new()
        .save_docs(false)
        .add_fields(&["title", "meta", "body"])
        .build();
    for n in notes {
        let mut meta = n.tags.join(" ");
        meta.push(' ');
        meta.push_str(n.kind.label());
        if let Some(d) = n.deal() {
            meta.push(' ');
            meta.push_str(&d.account);
            meta.push(' ');
            meta.push_str(&d.owner.target);
        }
        if let Some(x) = n.interaction() {
            meta.push(' ');
            meta.push_str(&x.takeaway);
            meta.push(' ');
            meta.push_str(&x.rep.target);
        }
        index.add_doc(&n.url_path(), [n.title.as_str(), meta.as_str(), &n.body]);
    }
    let json = index.to_json();
    println!(
        "elasticlunr-rs:     {:7.1} ms (one core),           {:6.2} MB (and the documents' titles and URLs on top)",
        t.elapsed().as_secs_f64() * 1e3,
        mb(json.len())
    );
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

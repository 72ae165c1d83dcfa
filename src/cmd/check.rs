//! `coachbook check [SITE]`: everything but writing the site, for CI.

use super::*;
use crate::build;
use std::time::Instant;

pub fn run(site: Option<PathBuf>, common: &Common) -> u8 {
    let start = Instant::now();
    let site = site_dir(site);
    let analysis = match build::analyse(&site, common.as_of) {
        Ok(a) => a,
        Err(e) => return usage_error(&e.0),
    };
    print_diagnostics(&analysis.diags, &site, common);
    let d = &analysis.diags;
    eprintln!(
        "Checked {} ({}, {}) in {} ms",
        plural(analysis.site.notes.len(), "note"),
        plural(d.warnings(), "warning"),
        plural(d.errors(), "error"),
        start.elapsed().as_millis()
    );
    if common.verbose {
        print_timings(&analysis.timings);
    }
    let code = check_exit_code(d, common.strict);
    // As in `build`: the OS takes the memory back at exit, all at once.
    std::mem::forget(analysis);
    code
}

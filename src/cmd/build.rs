//! `coachbook build [SITE] [-o OUT]`: the whole pipeline, written to disk.

use super::*;
use crate::build;
use std::time::Instant;

pub fn run(site: Option<PathBuf>, out: Option<PathBuf>, common: &Common) -> u8 {
    let start = Instant::now();
    let site = site_dir(site);
    let out = out.unwrap_or_else(|| site.join("public"));
    if let Err(e) = crate::output::check_out_dir(&site, &out) {
        return usage_error(&e);
    }
    let (mut analysis, theme) = match build::analyse_with_theme(&site, common.as_of) {
        Ok(a) => a,
        Err(e) => return usage_error(&e.0),
    };
    // Written beside the output folder and swapped in only when complete.
    let written = match crate::output::atomically(&out, |staging| {
        build::write_pages(&mut analysis, &theme, &site, staging, false, None).map_err(|e| e.0)
    }) {
        Ok(w) => w,
        Err(e) => {
            print_diagnostics(&analysis.diags, &site, common);
            return usage_error(&e);
        }
    };
    print_diagnostics(&analysis.diags, &site, common);
    let d = &analysis.diags;
    eprintln!(
        "Built {} into {} pages in {} ({}, {}) in {} ms",
        plural(analysis.site.notes.len(), "note"),
        written.pages,
        out.display(),
        plural(d.warnings(), "warning"),
        plural(d.errors(), "error"),
        start.elapsed().as_millis()
    );
    if common.verbose {
        print_timings(&analysis.timings);
    }
    let code = exit_code(d, common.strict);
    // The process ends here: let the OS take back the notes, pages and
    // indexes at once instead of freeing them one by one (a tenth of a
    // second at 100,000 notes).
    std::mem::forget(analysis);
    std::mem::forget(theme);
    code
}

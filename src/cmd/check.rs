//! `coachbook check [SITE]`: everything but writing the site, for CI.

use super::*;
use crate::build;
use std::time::Instant;

/// The arguments of `coachbook check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder, with coachbook.toml and content/ [default: .]
    pub site: Option<PathBuf>,
    #[command(flatten)]
    pub audiences: AudienceArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: Args) -> u8 {
    let start = Instant::now();
    let common = &args.common;
    let site = site_dir(args.site);
    let mut analysis = match build::analyse(&site, common.as_of) {
        Ok(a) => a,
        Err(e) => return setup_error(&e),
    };
    let history = crate::history::compare_now(&site, &mut analysis, common.since);
    let audiences = match audiences(&args.audiences, &analysis.config) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    for audience in &audiences {
        let (_, found) = crate::audience::restrict(&analysis, audience);
        analysis.diags.extend(found.items);
    }
    analysis.diags.sort();
    let what = format!("Checked {}", plural(analysis.site.notes.len(), "note"));
    report(&analysis, &history, &site, common, &what, start);
    let code = check_exit_code(&analysis.diags, common.strict);
    // As in `build`: the OS takes the memory back at exit, all at once.
    std::mem::forget(analysis);
    code
}

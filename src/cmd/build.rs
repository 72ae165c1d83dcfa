//! `coachbook build [SITE] [-o OUT]`: the whole pipeline, written to disk.

use super::*;
use crate::build;
use std::time::Instant;

/// The arguments of `coachbook build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder, with coachbook.toml and content/ [default: .]
    pub site: Option<PathBuf>,
    /// Where to write the site [default: SITE/public]
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub audiences: AudienceArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: Args) -> u8 {
    let start = Instant::now();
    let common = &args.common;
    let site = site_dir(args.site);
    let out = args.out.unwrap_or_else(|| site.join("public"));
    if let Err(e) = crate::output::check_out_dir(&site, &out) {
        return usage_error(&e);
    }
    let (mut analysis, theme) = match build::analyse_with_theme(&site, common.as_of) {
        Ok(a) => a,
        Err(e) => return setup_error(&e),
    };
    let history = crate::history::compare_now(&site, &mut analysis, common.since);
    let audiences = match audiences(&args.audiences, &analysis.config) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if !audiences.is_empty() {
        return build_audiences(
            analysis,
            &theme,
            &site,
            &out,
            &audiences,
            args.audiences.all_audiences,
            &history,
            common,
            start,
        );
    }
    // Written beside the output folder and swapped in only when complete.
    let written = match crate::output::atomically(&out, |staging| {
        build::write_pages(&mut analysis, &theme, &site, staging, false, None)
    }) {
        Ok(w) => w,
        Err(e) => {
            print_diagnostics(&analysis.diags, &site, common);
            return setup_error(&e);
        }
    };
    let what = format!(
        "Built {} into {} pages in {}",
        plural(analysis.site.notes.len(), "note"),
        written.pages,
        out.display()
    );
    report(&analysis, &history, &site, common, &what, start);
    let code = exit_code(&analysis.diags, common.strict);
    // The process ends here: let the OS take back the notes, pages and
    // indexes at once instead of freeing them one by one (a tenth of a
    // second at 100,000 notes).
    std::mem::forget(analysis);
    std::mem::forget(theme);
    code
}

/// `build --audience` / `--all-audiences`: each audience's site made from
/// the one analysis of the whole site, into OUT (or OUT/NAME/ for all).
#[allow(clippy::too_many_arguments)]
fn build_audiences(
    mut analysis: build::Analysis,
    theme: &crate::render::theme::Theme,
    site: &Path,
    out: &Path,
    audiences: &[crate::audience::Audience],
    folders: bool,
    history: &crate::diagnostics::Diagnostics,
    common: &Common,
    start: Instant,
) -> u8 {
    if folders {
        if let Err(e) = std::fs::create_dir_all(out) {
            return usage_error(&format!("cannot create {}: {e}", out.display()));
        }
    }
    let mut pages = 0;
    let mut warnings = Vec::new();
    for audience in audiences {
        let (mut a, found) = crate::audience::restrict(&analysis, audience);
        warnings.extend(found.items);
        let dir = if folders {
            out.join(audience.name())
        } else {
            out.to_path_buf()
        };
        match crate::output::atomically(&dir, |staging| {
            build::write_pages(&mut a, theme, site, staging, false, None)
        }) {
            Ok(w) => pages += w.pages,
            Err(e) => {
                print_diagnostics(&analysis.diags, site, common);
                return setup_error(&e);
            }
        }
        // What writing found (a page that failed, a static symlink).
        for d in a.diags.items {
            if !analysis.diags.items.contains(&d) {
                analysis.diags.push(d);
            }
        }
    }
    analysis.diags.extend(warnings);
    analysis.diags.sort();
    analysis.diags.items.dedup();
    let names: Vec<String> = audiences.iter().map(|a| a.name()).collect();
    let what = format!(
        "Built {} for {} {} into {} pages in {}",
        plural(analysis.site.notes.len(), "note"),
        if names.len() == 1 {
            "audience"
        } else {
            "audiences"
        },
        names.join(", "),
        pages,
        out.display()
    );
    report(&analysis, history, site, common, &what, start);
    exit_code(&analysis.diags, common.strict)
}

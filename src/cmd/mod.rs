//! The verbs of the command line. Each wires the pipeline's stages together
//! and turns the outcome into a summary line and an exit code:
//! 0 done, 1 content problems (`check`: any error; with `--strict`, any
//! diagnostic), 2 usage or configuration errors.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub(crate) mod site_write;

use crate::config::parse_date;
use crate::diagnostics::{Diagnostics, Format};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Options every site command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Compute every figure as of this date (YYYY-MM-DD) instead of the
    /// config's `as_of` or today.
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// Compare with the content's git history at this date (YYYY-MM-DD)
    /// instead of `compare_days` before as_of (metrics.json's `changes`).
    #[arg(long, value_parser = parse_as_of)]
    pub since: Option<NaiveDate>,
    /// Fail (exit 1) on any diagnostic, warnings included.
    #[arg(long)]
    pub strict: bool,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print each stage's time.
    #[arg(short, long)]
    pub verbose: bool,
}

/// The audience options of `build` and `check` (see docs/audiences.md).
#[derive(Debug, Clone, clap::Args)]
pub struct AudienceArgs {
    /// Only what this audience of coachbook.toml sees (or `rep:ID`, a rep's
    /// own view); links to notes it leaves out are `link-to-excluded`
    /// warnings.
    #[arg(long, value_name = "NAME", conflicts_with = "all_audiences")]
    pub audience: Option<String>,
    /// Every audience of coachbook.toml, from one reading of the notes
    /// (`build` writes each into OUT/NAME/).
    #[arg(long)]
    pub all_audiences: bool,
}

/// The audiences a command builds: `--audience NAME` (or `rep:ID`), every
/// configured one with `--all-audiences`, or none (the whole site). An
/// unknown name is a usage error.
pub fn audiences(
    args: &AudienceArgs,
    config: &crate::config::Config,
) -> Result<Vec<crate::audience::Audience>, String> {
    use crate::audience::Audience;
    let (name, all) = (args.audience.as_deref(), args.all_audiences);
    if all {
        let v = Audience::all(config);
        if v.is_empty() {
            return Err("--all-audiences: coachbook.toml declares no [audiences.NAME] table (see docs/audiences.md)".into());
        }
        return Ok(v);
    }
    match name {
        Some(n) => Ok(vec![Audience::find(n, config)?]),
        None => Ok(Vec::new()),
    }
}

pub fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("{s:?} is not a date written YYYY-MM-DD"))
}

pub const EXIT_OK: u8 = 0;
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// The site folder: the argument, or the current folder.
pub fn site_dir(site: Option<PathBuf>) -> PathBuf {
    site.unwrap_or_else(|| PathBuf::from("."))
}

/// The exit code of `build`: problems in notes are reported and the rest
/// is built, so they fail the run only under `--strict` (what CI uses),
/// where any diagnostic does.
pub fn exit_code(diags: &Diagnostics, strict: bool) -> u8 {
    if strict && !diags.items.is_empty() {
        EXIT_CONTENT
    } else {
        EXIT_OK
    }
}

/// The exit code of `check`, which builds nothing and exists to find
/// problems: any error fails it (a note left out of the figures is never
/// a pass); warnings fail it under `--strict`.
pub fn check_exit_code(diags: &Diagnostics, strict: bool) -> u8 {
    if diags.errors() > 0 {
        EXIT_CONTENT
    } else {
        exit_code(diags, strict)
    }
}

pub fn print_diagnostics(diags: &Diagnostics, site: &Path, common: &Common) {
    crate::diagnostics::print_all(diags, site, common.format);
}

/// Prints a setup error (`error: MSG`) and returns the usage exit code.
pub fn setup_error(e: &crate::config::SetupError) -> u8 {
    usage_error(&e.to_string())
}

/// Prints `error: MSG` and returns the usage exit code.
pub fn usage_error(msg: &str) -> u8 {
    print_error(msg);
    EXIT_USAGE
}

/// Prints `error: MSG`, its control characters escaped, as everywhere text
/// from a site or an export is printed.
pub fn print_error(msg: &str) {
    eprintln!(
        "error: {}",
        crate::diagnostics::escape_controls_keep_lines(msg)
    );
}

/// Prints one line to standard error with its control characters escaped
/// ([`crate::diagnostics::escape_controls`]): for lines that hold names
/// from notes or a CRM export.
pub fn say(line: &str) {
    eprintln!("{}", crate::diagnostics::escape_controls(line));
}

/// `1 warning`, `3 errors`.
/// What `build` and `check` print at the end: the diagnostics, the
/// warnings about old commits apart (they never fail a run), the summary
/// line (`what`, then the counts and the time) and, with `--verbose`, the
/// time of each stage.
pub fn report(
    analysis: &crate::build::Analysis,
    history: &Diagnostics,
    site: &Path,
    common: &Common,
    what: &str,
    start: std::time::Instant,
) {
    print_diagnostics(&analysis.diags, site, common);
    print_diagnostics(history, site, common);
    let d = &analysis.diags;
    eprintln!(
        "{what} ({}, {}) in {} ms",
        plural(d.warnings(), "warning"),
        plural(d.errors(), "error"),
        start.elapsed().as_millis()
    );
    if common.verbose {
        print_timings(&analysis.timings);
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    for (name, d) in timings {
        eprintln!("  {name:<14} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
}

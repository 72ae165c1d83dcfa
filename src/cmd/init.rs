//! `coachbook init DIR`: a new site that builds clean with `--strict`: a
//! commented configuration, one rep, one deal, one debrief and a handbook
//! page, dated around today.

use super::site_write::{self, How};
use super::*;
use chrono::{Days, NaiveDate};

/// The scaffold: (path inside the new site, text with date placeholders).
const FILES: &[(&str, &str)] = &[
    (
        "coachbook.toml",
        include_str!("../../themes/default/init/coachbook.toml"),
    ),
    (
        ".gitignore",
        include_str!("../../themes/default/init/gitignore"),
    ),
    (
        "content/reps/alex-morgan.md",
        include_str!("../../themes/default/init/content/reps/alex-morgan.md"),
    ),
    (
        "content/deals/example-corp-pilot.md",
        include_str!("../../themes/default/init/content/deals/example-corp-pilot.md"),
    ),
    (
        "content/debriefs/first-debrief.md",
        include_str!("../../themes/default/init/content/debriefs/first-debrief.md"),
    ),
    (
        "content/handbook/coaching-handbook.md",
        include_str!("../../themes/default/init/content/handbook/coaching-handbook.md"),
    ),
];

/// The arguments of `coachbook init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder for the new site (created if needed)
    pub dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    let dir = args.dir;
    match create(&dir, crate::build::today(&crate::config::Config::default())) {
        Ok(()) => {
            eprintln!(
                "Created a coachbook site in {0}. Next:\n  coachbook serve {0}\n  coachbook new debrief --site {0} --deal \"Example Corp Pilot\"",
                dir.display()
            );
            EXIT_OK
        }
        Err(e) => usage_error(&e),
    }
}

/// Writes the scaffold into `dir` (which must not hold a site already).
/// `dir` may be an existing folder (a fresh clone): every file goes
/// through [`site_write`], so a link in it is never written through, and
/// no file there is overwritten.
pub fn create(dir: &Path, today: NaiveDate) -> Result<(), String> {
    // A link counts as there, even one that points nowhere.
    let there = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    if there("coachbook.toml") || there("content") {
        return Err(format!(
            "{} already holds a site; nothing was written",
            dir.display()
        ));
    }
    let shift = |d: u64, forward: bool| {
        let date = if forward {
            today.checked_add_days(Days::new(d))
        } else {
            today.checked_sub_days(Days::new(d))
        };
        date.unwrap_or(today).to_string()
    };
    let (start, created, later) = (shift(120, false), shift(45, false), shift(30, true));
    // The site folder itself is the user's choice (a link to it is fine).
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Look at every place first, so a refusal writes nothing at all.
    for (path, _) in FILES {
        site_write::inspect(dir, Path::new(path))?;
    }
    for (path, text) in FILES {
        let text = text
            .replace("{{ today }}", &today.to_string())
            .replace("{{ start }}", &start)
            .replace("{{ created }}", &created)
            .replace("{{ later }}", &later);
        site_write::write(dir, Path::new(path), text.as_bytes(), How::CreateNew)?;
    }
    Ok(())
}

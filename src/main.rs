//! The `coachbook` command line: one function per verb, nothing else.

use clap::{Parser, Subcommand};
use coachbook::cmd;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "coachbook",
    version,
    about = "Build a linked coaching wiki and metrics.json from Markdown notes",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into OUT (default: SITE/public).
    Build {
        /// The site folder, with coachbook.toml and content/ [default: .]
        site: Option<PathBuf>,
        /// Where to write the site [default: SITE/public]
        #[arg(short, long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: cmd::Common,
    },
    /// Check every note and compute the metrics without writing the site (for CI).
    Check {
        /// The site folder, with coachbook.toml and content/ [default: .]
        site: Option<PathBuf>,
        #[command(flatten)]
        common: cmd::Common,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { site, out, common } => cmd::build::run(site, out, &common),
        Command::Check { site, common } => cmd::check::run(site, &common),
    };
    ExitCode::from(code)
}

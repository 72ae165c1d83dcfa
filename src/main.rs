//! The `coachbook` command line: one function per verb, nothing else.

use clap::{Parser, Subcommand};
use coachbook::cmd;
use std::path::PathBuf;
use std::process::ExitCode;

// The build allocates many small strings and JSON values on two threads;
// mimalloc is markedly faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Build, serve on loopback and rebuild on every save, with live reload.
    Serve {
        /// The site folder, with coachbook.toml and content/ [default: .]
        site: Option<PathBuf>,
        /// Where to build [default: a temporary folder, removed on exit]
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of waiting for file events (network
        /// mounts, WSL2, some containers)
        #[arg(long)]
        poll: bool,
        #[command(flatten)]
        common: cmd::Common,
    },
    /// Import deals from a CRM export.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Create a new site in DIR that builds clean.
    Init {
        /// The folder for the new site (created if needed)
        dir: PathBuf,
    },
    /// Write a new note from the theme's template for its kind, and print its path.
    New {
        /// rep, deal, debrief, coaching, call, prep, forecast or page
        kind: String,
        /// The note's title (or name, for reps and deals)
        title: Option<String>,
        /// The rep it is about (id or name)
        #[arg(long)]
        rep: Option<String>,
        /// The deal it is about (id or name); its owner is the default rep
        #[arg(long)]
        deal: Option<String>,
        /// Its date [default: as_of, else today]
        #[arg(long, value_parser = cmd::parse_as_of)]
        date: Option<chrono::NaiveDate>,
        /// The site folder [default: .]
        #[arg(long)]
        site: Option<PathBuf>,
    },
    /// Check every note and compute the metrics without writing the site (for CI).
    Check {
        /// The site folder, with coachbook.toml and content/ [default: .]
        site: Option<PathBuf>,
        #[command(flatten)]
        common: cmd::Common,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// An opportunity export in CSV: deal notes (and rep notes for new owners).
    Csv {
        /// The CSV file
        file: PathBuf,
        /// salesforce, hubspot, or a mapping file (TOML: [columns], [stages], date_format, decimal, delimiter)
        #[arg(long)]
        map: String,
        /// The site to import into [default: .]
        #[arg(long)]
        into: Option<PathBuf>,
        /// Show what would change without writing anything
        #[arg(long)]
        dry_run: bool,
        /// How the export writes dates (DD/MM/YYYY, MM-DD-YY, or a chrono format); overrides the mapping
        #[arg(long)]
        date_format: Option<String>,
        /// The decimal separator of amounts, "." or ","; overrides the mapping
        #[arg(long)]
        decimal: Option<String>,
        /// The owner of deals whose export row names none (an export without an owner column)
        #[arg(long)]
        owner: Option<String>,
        /// List every refused row and every file written, not the first few
        #[arg(short, long)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { site, out, common } => cmd::build::run(site, out, &common),
        Command::Check { site, common } => cmd::check::run(site, &common),
        Command::Init { dir } => cmd::init::run(dir),
        Command::Import {
            what:
                ImportWhat::Csv {
                    file,
                    map,
                    into,
                    dry_run,
                    date_format,
                    decimal,
                    owner,
                    verbose,
                },
        } => cmd::import::run(cmd::import::ImportOptions {
            file,
            map,
            site: cmd::site_dir(into),
            dry_run,
            date_format,
            decimal,
            owner,
            verbose,
        }),
        Command::New {
            kind,
            title,
            rep,
            deal,
            date,
            site,
        } => cmd::new::run(cmd::new::NewOptions {
            site: cmd::site_dir(site),
            kind,
            title,
            rep,
            deal,
            date,
        }),
        Command::Serve {
            site,
            out,
            port,
            bind,
            open,
            poll,
            common,
        } => coachbook::serve::run(coachbook::serve::ServeOptions {
            site: cmd::site_dir(site),
            out,
            bind,
            port,
            open,
            poll,
            common,
        }),
    };
    ExitCode::from(code)
}

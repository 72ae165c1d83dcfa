//! The `coachbook` command line: the clap definition and one call per
//! verb; each verb's arguments are its own (`cmd::<verb>::Args`).

use clap::{Parser, Subcommand};
use coachbook::cmd;
use std::process::ExitCode;

// The build allocates many small strings and JSON values on two threads;
// mimalloc is markedly faster at that than the system allocator.
// `--features system-alloc` builds with the system allocator instead (for
// heaptrack, which cannot see mimalloc's memory; see docs/benchmarks.md).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay` (libmimalloc-sys does not name
/// it; the test below checks it is the option whose default is 1,000 ms).
#[cfg(not(feature = "system-alloc"))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// On a large site (`build::on_large_site`), memory freed by one stage is
/// handed back to the system after 1 ms instead of 1 s: the stages of a
/// 100,000-note build free and allocate hundreds of MB in turn, and the
/// peak falls by about 65 MB (520 to 456 MB) for about 8% more time.
/// And memory touched from then on is not backed by transparent huge
/// pages (Linux, `PR_SET_THP_DISABLE`): a 2 MiB page is resident as soon
/// as any of it is used, so a heap fragmented by freeing stages held
/// more of them, about 10 MB at 100k notes for no measurable time.
/// Small sites keep the defaults (their builds are faster with them).
#[cfg(not(feature = "system-alloc"))]
fn large_site_settings() {
    // SAFETY: sets one of mimalloc's own integer options, which it reads
    // atomically; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    // Only a hint: a kernel without the flag keeps huge pages.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// While a large site's pages render, freed memory is handed back after
/// 30 ms rather than 1 ms (`build::LargeSiteHooks::pages`): every page
/// allocates and frees its own strings, and handed back at once the same
/// memory was faulted in and zeroed again page after page. At 100k notes
/// about 4% less CPU for about 4 MB more at the peak (docs/benchmarks.md,
/// session 21); the stages before keep 1 ms, where the peak is.
#[cfg(not(feature = "system-alloc"))]
fn pages_settings(start: bool) {
    let delay = if start { PAGES_PURGE_DELAY_MS } else { 1 };
    // SAFETY: sets one of mimalloc's own integer options; called between
    // stages, when no other thread of the build is allocating.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) };
}

/// The purge delay while a large site's pages render (see `pages_settings`).
#[cfg(not(feature = "system-alloc"))]
const PAGES_PURGE_DELAY_MS: std::ffi::c_long = 30;

/// Between the stages of a large site's build (`build::LargeSiteHooks`):
/// every thread of the pool, then this one, returns the memory freed to
/// its heap, including what other threads freed of its allocations, so
/// the next stage starts from what is still in use (the peak at 100k
/// notes no longer depends on which thread ran what).
#[cfg(not(feature = "system-alloc"))]
fn release_freed() {
    // SAFETY: mi_collect only frees memory no longer in use; each call
    // works on the calling thread's own heap.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) }
}

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
    Build(cmd::build::Args),
    /// Build, serve on loopback and rebuild on every save, with live reload.
    Serve(cmd::serve::Args),
    /// Import deals from a CRM export.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Create a new site in DIR that builds clean.
    Init(cmd::init::Args),
    /// Write a new note from the theme's template for its kind, and print its path.
    New(cmd::new::Args),
    /// Check every note and compute the metrics without writing the site (for CI).
    Check(cmd::check::Args),
}

#[derive(Subcommand)]
enum ImportWhat {
    /// An opportunity export in CSV: deal notes (and rep notes for new owners).
    Csv(cmd::import::Args),
}

fn main() -> ExitCode {
    #[cfg(not(feature = "system-alloc"))]
    coachbook::build::on_large_site(coachbook::build::LargeSiteHooks {
        found: large_site_settings,
        release: release_freed,
        pages: pages_settings,
    });
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A kind `new` does not know is a usage error in its own words.
            let source = std::error::Error::source(&e);
            if let Some(u) = source.and_then(|s| s.downcast_ref::<cmd::new::UnknownKind>()) {
                return ExitCode::from(cmd::usage_error(&u.to_string()));
            }
            e.exit()
        }
    };
    let code = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Import {
            what: ImportWhat::Csv(args),
        } => cmd::import::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    };
    ExitCode::from(code)
}

#[cfg(all(test, not(feature = "system-alloc")))]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads one of mimalloc's integer options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000, "mimalloc v3's default purge delay (ms)");
    }
}

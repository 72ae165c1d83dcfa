//! `coachbook serve`: build, serve the site on loopback, watch the sources
//! and rebuild incrementally on every save, with live reload.
//!
//! - `watch.rs`: file events (notify with its debouncer, or polling).
//! - `http.rs`: the HTTP server (axum + tower-http): the built site, the
//!   live-reload script's event stream, and the current state as JSON.
//!
//! One thread owns the [`Session`] and rebuilds; the server only reads the
//! output folder and the shared [`State`], which is updated (and announced
//! to browsers) after a rebuild has finished writing every file.

pub(crate) mod http;
pub(crate) mod watch;

use super::{plural, print_diagnostics, setup_error, site_dir, usage_error, Common, EXIT_OK};
use crate::diagnostics::{Diagnostics, Severity};
use crate::incremental::{Report, Session};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// The arguments of `coachbook serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder, with coachbook.toml and content/ [default: .]
    pub site: Option<PathBuf>,
    /// Where to build [default: a temporary folder, removed on exit]
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in a browser
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of waiting for file events (network
    /// mounts, WSL2, some containers)
    #[arg(long)]
    pub poll: bool,
    /// Serve only what this audience of coachbook.toml sees (or `rep:ID`);
    /// every change rebuilds the audience's whole site.
    #[arg(long, value_name = "NAME")]
    pub audience: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// What browsers are told: the build version and the current errors.
pub struct State {
    inner: Mutex<StateInner>,
    pub tx: broadcast::Sender<String>,
}

struct StateInner {
    version: u64,
    json: String,
}

impl State {
    pub fn new(diags: &Diagnostics) -> Arc<State> {
        let (tx, _) = broadcast::channel(16);
        let s = State {
            inner: Mutex::new(StateInner {
                version: 1,
                json: String::new(),
            }),
            tx,
        };
        s.set(diags, false);
        Arc::new(s)
    }

    /// The state as JSON: `{"version": n, "errors": [{file, line, message}]}`.
    pub fn json(&self) -> String {
        self.inner
            .lock()
            .map(|i| i.json.clone())
            .unwrap_or_default()
    }

    /// Records a finished rebuild and tells every connected browser.
    pub fn set(&self, diags: &Diagnostics, bump: bool) {
        let errors: Vec<serde_json::Value> = diags
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| serde_json::json!({"file": d.file, "line": d.line, "message": d.message}))
            .collect();
        let json = {
            let Ok(mut i) = self.inner.lock() else { return };
            if bump {
                i.version += 1;
            }
            i.json = serde_json::json!({"version": i.version, "errors": errors}).to_string();
            i.json.clone()
        };
        let _ = self.tx.send(json);
    }
}

/// The folder `serve` builds into when `-o` is not given: a fresh one under
/// the system's temporary folder, so `public/` is never overwritten with
/// pages that carry the live-reload script.
fn default_out() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("coachbook-serve-")
        .tempdir()
}

pub fn run(opts: Args) -> u8 {
    let temp = if opts.out.is_none() {
        match default_out() {
            Ok(t) => Some(t),
            Err(e) => return usage_error(&format!("cannot create a temporary folder: {e}")),
        }
    } else {
        None
    };
    let out = match (&opts.out, &temp) {
        (Some(o), _) => o.clone(),
        (None, Some(t)) => t.path().to_path_buf(),
        (None, None) => return usage_error("no output folder"),
    };
    let given = site_dir(opts.site.clone());
    let site = match std::fs::canonicalize(&given) {
        Ok(s) => s,
        Err(e) => return usage_error(&format!("cannot open {}: {e}", given.display())),
    };
    if let Err(e) = crate::output::check_out_dir(&site, &out) {
        return usage_error(&e);
    }
    if std::fs::create_dir_all(&out).is_err() {
        return usage_error(&format!("cannot create {}", out.display()));
    }
    let out = std::fs::canonicalize(&out).unwrap_or(out);
    // Watch before the first build, so no save is missed.
    let watcher = match watch::Watcher::start(&site, opts.poll) {
        Ok(w) => w,
        Err(e) => return usage_error(&format!("cannot watch {}: {e}", site.display())),
    };
    // With an audience, the whole site is built where nobody serves it,
    // and the audience's site, made from it, is what is served.
    let whole = match &opts.audience {
        Some(_) => match tempfile::tempdir() {
            Ok(t) => Some(t),
            Err(e) => return usage_error(&format!("cannot create a temporary folder: {e}")),
        },
        None => None,
    };
    let session_out = whole
        .as_ref()
        .map_or(out.clone(), |t| t.path().to_path_buf());
    let (session, mut report) = match Session::new_since(
        &site,
        &session_out,
        opts.common.as_of,
        opts.common.since,
        opts.audience.is_none(),
    ) {
        Ok(x) => x,
        Err(e) => return setup_error(&e),
    };
    if let Some(name) = &opts.audience {
        if let Err(e) = crate::audience::Audience::find(name, session.config()) {
            return usage_error(&e);
        }
        match write_audience(&session, name, &out, &mut report) {
            Ok(()) => {}
            Err(e) => return usage_error(&e),
        }
    }
    print_diagnostics(&report.diags, &site, &opts.common);
    eprintln!(
        "Built {} into {} pages in {} ms ({}, {})",
        plural(report.notes, "note"),
        report.pages,
        report.elapsed.as_millis(),
        plural(report.diags.warnings(), "warning"),
        plural(report.diags.errors(), "error"),
    );
    let state = State::new(&report.diags);
    let base_path = session.config().base_path.clone();
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach: they will see every page of this site, \
             coaching plans included. Use the default (127.0.0.1) unless you mean to share it.",
            opts.bind
        );
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("cannot start the server: {e}")),
    };
    // Listen for the signals before saying "Serving", so a stop sent as
    // soon as the server is up still removes the temporary site.
    let stop = {
        let _guard = runtime.enter();
        stop_signals()
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind((opts.bind, opts.port))) {
        Ok(l) => l,
        Err(e) => {
            return usage_error(&format!(
                "cannot listen on {}:{}: {e} (is another server using it? try --port)",
                opts.bind, opts.port
            ))
        }
    };
    let addr = listener.local_addr().ok();
    let url = match addr {
        Some(a) => format!("http://{a}{base_path}"),
        None => format!("http://{}:{}{base_path}", opts.bind, opts.port),
    };
    eprintln!(
        "Serving {url} (watching {}; Ctrl-C to stop)",
        site.display()
    );
    let port = addr.map_or(opts.port, |a| a.port());
    let app = http::router(&out, &base_path, port, state.clone());
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    if opts.open {
        open_browser(&url);
    }

    let common = opts.common.clone();
    let rebuild_state = state.clone();
    let audience = opts.audience.clone().map(|a| (a, out.clone()));
    std::thread::spawn(move || rebuild_loop(session, watcher, rebuild_state, common, audience));

    runtime.block_on(stop);
    eprintln!("Stopped.");
    // Removes the temporary site (Ctrl-C, SIGTERM and SIGHUP alike).
    drop(temp);
    drop(whole);
    EXIT_OK
}

/// `serve --audience`: the audience's whole site, made from the session's
/// analysis of the whole site, written to `out` (the served folder); its
/// diagnostics of its notes and its `link-to-excluded` warnings become the
/// report's.
fn write_audience(
    session: &Session,
    name: &str,
    out: &std::path::Path,
    report: &mut Report,
) -> Result<(), String> {
    let audience = crate::audience::Audience::find(name, session.config())?;
    let (mut a, warnings) = crate::audience::restrict(session.analysis(), &audience);
    let w = crate::build::write_pages(&mut a, session.theme(), session.site_dir(), out, true, None)
        .map_err(|e| e.to_string())?;
    report.pages = w.pages;
    report.total_pages = w.total_pages;
    report.full = true;
    // What the browser is told (the error overlay) is the audience's own
    // diagnostics: the whole site's would name the notes it leaves out.
    report.diags = a.diags;
    report.diags.extend(warnings.items);
    report.diags.sort();
    Ok(())
}

/// Starts listening for Ctrl-C, SIGTERM (`kill`, a service manager) and
/// SIGHUP (the terminal closed); the future ends at the first, so each
/// stops `serve` with the temporary site removed. The handlers are
/// installed here, not when the future is first polled, so a signal sent
/// right after "Serving" is caught. Must be called inside the runtime.
#[cfg(unix)]
fn stop_signals() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let signals = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    );
    async move {
        match signals {
            (Ok(mut int), Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn stop_signals() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn rebuild_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    state: Arc<State>,
    common: Common,
    audience: Option<(String, PathBuf)>,
) {
    while let Some(mut paths) = watcher.next_batch() {
        // A watched folder that appeared (`templates/` made after start):
        // watch it, and look at what is already in it.
        paths.extend(watcher.watch_new_folders(session.site_dir()));
        match session.apply(&paths) {
            Ok(report) if report.changed.is_empty() => {}
            Ok(mut report) => {
                if let Some((name, out)) = &audience {
                    if let Err(e) = write_audience(&session, name, out, &mut report) {
                        super::print_error(&e);
                    }
                }
                print_report(&report, session.site_dir(), &common);
                state.set(&report.diags, true);
                if common.verbose {
                    super::print_timings(&report.timings);
                }
            }
            Err(e) => super::print_error(&e.to_string()),
        }
        // After the reload: the open page does not need it.
        let start = std::time::Instant::now();
        match session.write_search_index() {
            Ok(true) if common.verbose => {
                super::print_timings(&[("search index", start.elapsed())]);
            }
            Ok(_) => {}
            Err(e) => super::print_error(&e.to_string()),
        }
    }
}

fn print_report(r: &Report, site: &std::path::Path, common: &Common) {
    print_diagnostics(&r.diags, site, common);
    let what = if r.changed.len() <= 3 {
        r.changed.join(", ")
    } else {
        format!(
            "{} and {} more",
            r.changed[..2].join(", "),
            r.changed.len() - 2
        )
    };
    // File names are a contributor's: no raw terminal controls.
    let what = crate::diagnostics::escape_controls(&what);
    eprintln!(
        "Changed {what}: rebuilt {} of {} pages{} in {} ms ({}, {})",
        r.pages,
        r.total_pages,
        if r.full { " (full)" } else { "" },
        r.elapsed.as_millis(),
        plural(r.diags.warnings(), "warning"),
        plural(r.diags.errors(), "error"),
    );
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("Open {url} in your browser.");
    }
}

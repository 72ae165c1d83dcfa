//! File events for `serve`, debounced, from the OS (notify's recommended
//! watcher) or by polling (`--poll`, for network mounts, WSL2 and
//! containers where no events arrive).
//!
//! Watched: `content/`, `templates/`, `static/`, `data/` (recursively) and
//! the site folder itself (not recursively: `coachbook.toml`, and those
//! folders appearing). Editors' atomic saves (write a temp file, rename it
//! over the note; vim's delete-then-create) arrive as a batch of events
//! that the incremental engine resolves by looking at the files as they
//! are once the batch has settled.

use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, FileIdMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long the debouncer waits for a burst of events to settle.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

enum Inner {
    Os(
        notify_debouncer_full::Debouncer<
            notify::RecommendedWatcher,
            notify_debouncer_full::RecommendedCache,
        >,
    ),
    Poll(notify_debouncer_full::Debouncer<notify::PollWatcher, FileIdMap>),
}

impl Inner {
    fn watch(&mut self, p: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Os(d) => d.watch(p, mode),
            Inner::Poll(d) => d.watch(p, mode),
        }
    }
}

/// A running watcher; [`next_batch`](Self::next_batch) blocks for changes.
pub struct Watcher {
    inner: Inner,
    rx: mpsc::Receiver<DebounceEventResult>,
    watched: Vec<PathBuf>,
}

/// The folders of a site that are watched recursively.
const FOLDERS: [&str; 4] = ["content", "templates", "static", "data"];

impl Watcher {
    pub fn start(site: &Path, poll: bool) -> notify::Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        // Never into a linked folder: what lies behind a link is outside
        // the site, and coachbook does not read it.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut inner = if poll {
            let config = config.with_poll_interval(POLL_INTERVAL);
            Inner::Poll(new_debouncer_opt::<_, notify::PollWatcher, FileIdMap>(
                DEBOUNCE,
                None,
                tx,
                FileIdMap::new(),
                config,
            )?)
        } else {
            Inner::Os(new_debouncer_opt::<
                _,
                notify::RecommendedWatcher,
                notify_debouncer_full::RecommendedCache,
            >(
                DEBOUNCE,
                None,
                tx,
                notify_debouncer_full::RecommendedCache::new(),
                config,
            )?)
        };
        inner.watch(site, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            inner,
            rx,
            watched: Vec::new(),
        };
        w.watch_new_folders(site);
        Ok(w)
    }

    /// Starts watching the site's folders that exist now but were not
    /// watched yet; returns them (so their files can be looked at).
    pub fn watch_new_folders(&mut self, site: &Path) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for dir in FOLDERS {
            let p = site.join(dir);
            if crate::site_files::is_real_dir(site, &p)
                && !self.watched.contains(&p)
                && self.inner.watch(&p, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(p.clone());
                added.push(p);
            }
        }
        added
    }

    /// The paths changed in the next settled burst of events; `None` when
    /// the watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        loop {
            let first = self.rx.recv().ok()?;
            let mut paths = paths_of(first);
            // Take whatever else has already settled.
            while let Ok(more) = self.rx.try_recv() {
                paths.extend(paths_of(more));
            }
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }
}

fn paths_of(r: DebounceEventResult) -> Vec<PathBuf> {
    match r {
        Ok(events) => events
            .into_iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.event.paths)
            .collect(),
        Err(errors) => {
            for e in errors {
                eprintln!("watch error: {e}");
            }
            Vec::new()
        }
    }
}

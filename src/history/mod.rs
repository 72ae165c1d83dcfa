//! History: the site's `content/` as it was at an earlier date, read from
//! the git repository around the site (the contract's fourth edition), and
//! compared with now into `metrics.json`'s `changes`.
//!
//! - [`git`] finds the repository, walks HEAD's first-parent chain, and
//!   lists and diffs trees (gitoxide, objects only: no `git` program);
//! - [`read_snapshot`] reads the notes of one commit: a file whose blob is
//!   the working file's bytes reuses the note the build already parsed,
//!   and only the others are read out of git and parsed, with the loader's
//!   own `content::load_bytes` and caps; [`step`] moves a snapshot to
//!   another commit by diffing the two trees, so a series of snapshots
//!   costs what changed between them;
//! - [`analyse_then`] validates, links and measures a snapshot as of
//!   `since`, and [`compare_now`] / [`Tracker`] put the comparison into a
//!   build's metrics (`serve` re-reads the snapshot only when HEAD, `since`
//!   or the configuration moved).
//!
//! Notes of the snapshot that cannot be read are reported once, as
//! `history-invalid-note` warnings kept apart from the build's own
//! diagnostics: an old commit can never be fixed, so it never fails a
//! build, `--strict` included.

pub mod git;
pub(crate) mod log;
mod steps;

use steps::*;
pub use steps::{last_one_to_one_dates, trend_dates, trend_point, MAX_PREP_DATES, TREND_WEEKS};

pub use crate::metrics::changes::{History, NoHistory};

use crate::build::Analysis;
use crate::config::Config;
use crate::content::{self, limits};
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::metrics::changes::{DealLog, DealThen, TrendFigures, TrendPoint};
use crate::metrics::{self, changes, Metrics, RepMetrics};
use crate::model::{Kind, Note, Site};
use chrono::NaiveDate;
use git::{Blob, CommitInfo, Repo};
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The date compared with: `--since`, else `as_of - compare_days`.
pub fn since(cli: Option<NaiveDate>, config: &Config, as_of: NaiveDate) -> NaiveDate {
    cli.unwrap_or_else(|| {
        as_of
            .checked_sub_signed(chrono::Duration::days(config.compare_days))
            .unwrap_or(NaiveDate::MIN)
    })
}

/// The notes of one commit, by path, with the blob each came from.
pub struct Snapshot {
    pub commit: CommitInfo,
    /// The tree of `content/` (`None`: the commit has no content folder).
    pub content_tree: Option<ObjectId>,
    /// Every note file: its blob and the note parsed from it (`None` when
    /// the file could not be read as a note).
    pub files: BTreeMap<String, (ObjectId, Option<Note>)>,
    /// Files read out of git and parsed (not reused), for reports.
    pub parsed: usize,
    /// The diagnostics of the files parsed here, by path.
    pub diags: BTreeMap<String, Vec<Diagnostic>>,
}

impl Snapshot {
    /// The notes, sorted by path.
    pub fn notes(&self) -> Vec<Note> {
        self.files.values().filter_map(|(_, n)| n.clone()).collect()
    }
}

/// Parses one blob with the loader's caps and parser.
fn parse_blob(
    blob: Result<Blob, String>,
    site_dir: &Path,
    path: &str,
    opts: &content::LoadOptions,
) -> (Option<Note>, Vec<Diagnostic>) {
    match blob {
        Ok(Blob::Whole(bytes)) => content::load_bytes(path, &site_dir.join(path), &bytes, opts),
        Ok(Blob::TooLarge(len)) => (
            None,
            vec![Diagnostic::error(
                Code::NoteTooLarge,
                path,
                1,
                format!(
                    "this note is {}, over the limit of {} for one note; it is left out",
                    limits::size(len),
                    limits::size(limits::MAX_NOTE_BYTES)
                ),
            )],
        ),
        Err(e) => (
            None,
            vec![Diagnostic::error(
                Code::ReadError,
                path,
                0,
                format!("cannot read this file from git: {e}"),
            )],
        ),
    }
}

/// The blob id of the working file behind a note of the current site, if
/// it can be read by the loader's rules.
fn working_blob(kind: gix::hash::Kind, site_dir: &Path, path: &str) -> Option<ObjectId> {
    let abs = site_dir.join(path);
    match limits::read_capped(&abs, limits::MAX_NOTE_BYTES) {
        Ok(limits::Capped::Whole(bytes)) => git::blob_id(kind, &bytes),
        _ => None,
    }
}

/// Reads the blobs of `wanted` out of git (one thread: the object store
/// is not shared) and parses them (in parallel).
fn read_and_parse(
    repo: &Repo,
    site_dir: &Path,
    wanted: Vec<(String, ObjectId)>,
    opts: &content::LoadOptions,
) -> Vec<(String, ObjectId, Option<Note>, Vec<Diagnostic>)> {
    let blobs: Vec<(String, ObjectId, Result<Blob, String>)> = wanted
        .into_iter()
        .map(|(path, id)| {
            let blob = repo.blob(id, limits::MAX_NOTE_BYTES);
            (path, id, blob)
        })
        .collect();
    blobs
        .into_par_iter()
        .map(|(path, id, blob)| {
            let (note, diags) = parse_blob(blob, site_dir, &path, opts);
            (path, id, note, diags)
        })
        .collect()
}

/// Reads the notes of `commit`. A file whose blob is the working file's
/// (the same bytes) reuses the note of `now` at that path; the others are
/// read out of git and parsed.
pub fn read_snapshot(
    repo: &Repo,
    site_dir: &Path,
    commit: CommitInfo,
    now: &Site,
    opts: &content::LoadOptions,
) -> Result<Snapshot, NoHistory> {
    let content_tree = repo.content_tree(commit.tree)?;
    let listed: Vec<(String, ObjectId)> = match content_tree {
        Some(t) => repo.list(t)?.into_iter().collect(),
        None => Vec::new(),
    };
    let now_by_path: HashMap<&str, &Note> =
        now.notes.iter().map(|n| (n.path.as_str(), n)).collect();
    let kind = repo.hash_kind();
    let reused: Vec<Option<Note>> = listed
        .par_iter()
        .map(|(path, id)| {
            let n = now_by_path.get(path.as_str())?;
            (working_blob(kind, site_dir, path) == Some(*id)).then(|| (*n).clone())
        })
        .collect();
    let mut snap = Snapshot {
        commit,
        content_tree,
        files: BTreeMap::new(),
        parsed: 0,
        diags: BTreeMap::new(),
    };
    let mut wanted = Vec::new();
    for ((path, id), note) in listed.into_iter().zip(reused) {
        match note {
            Some(n) => {
                snap.files.insert(path, (id, Some(n)));
            }
            None => wanted.push((path, id)),
        }
    }
    for (path, id, note, diags) in read_and_parse(repo, site_dir, wanted, opts) {
        snap.parsed += 1;
        snap.diags.insert(path.clone(), diags);
        snap.files.insert(path, (id, note));
    }
    Ok(snap)
}

/// Moves `snap` to `commit`: the two content trees are diffed, and only
/// the files that differ are read and parsed.
pub fn step(
    repo: &Repo,
    site_dir: &Path,
    mut snap: Snapshot,
    commit: CommitInfo,
    opts: &content::LoadOptions,
) -> Result<Snapshot, NoHistory> {
    let tree = repo.content_tree(commit.tree)?;
    let mut wanted = Vec::new();
    for (path, _, new) in repo.diff(snap.content_tree, tree)? {
        match new {
            Some(id) => wanted.push((path, id)),
            None => {
                snap.files.remove(&path);
            }
        }
    }
    snap.parsed = 0;
    snap.diags.clear();
    for (path, id, note, diags) in read_and_parse(repo, site_dir, wanted, opts) {
        snap.parsed += 1;
        snap.diags.insert(path.clone(), diags);
        snap.files.insert(path, (id, note));
    }
    snap.commit = commit;
    snap.content_tree = tree;
    Ok(snap)
}

/// The snapshot at `since`, validated, linked and measured as of `since`.
pub struct Then {
    pub since: NaiveDate,
    pub commit: CommitInfo,
    pub site: Site,
    pub org: RepMetrics,
    /// Each team's and rep's figures over the snapshot (for the pages'
    /// deltas; not in `metrics.json`).
    pub teams: std::collections::BTreeMap<String, RepMetrics>,
    pub reps: std::collections::BTreeMap<String, RepMetrics>,
    /// One warning per note of the snapshot that could not be read (or
    /// was invalid) and is not the same file as now.
    pub problems: Vec<Diagnostic>,
    /// Files read out of git and parsed.
    pub parsed: usize,
    /// Every deal's history (see [`log`]).
    pub log: DealLog,
    /// The weekly trend points before `as_of`, oldest first (now's point
    /// is added from the build's own metrics).
    pub trends: Vec<TrendPoint>,
    /// Each deal's risk and close date at the dates of reps' last
    /// one-to-ones.
    pub at_dates: BTreeMap<NaiveDate, BTreeMap<String, DealThen>>,
    /// Files parsed for the trends and the prep sheets' dates.
    pub stepped: usize,
    /// How long the parts took (`-v`): the snapshot at `since`, the deal
    /// histories, the trends and prep dates.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Reads and analyses the snapshot at `since` of the site at `site_dir`
/// (`now` is the current site, whose notes are reused where unchanged).
pub fn analyse_then(
    site_dir: &Path,
    config: &Config,
    since: NaiveDate,
    as_of: NaiveDate,
    now: &Site,
) -> Result<Then, NoHistory> {
    let start = std::time::Instant::now();
    let repo = Repo::open(site_dir)?;
    let commit = repo.commit_at(since)?;
    let opts = content::LoadOptions::of(config);
    let snap = read_snapshot(&repo, site_dir, commit, now, &opts)?;
    let mut then = analyse_snapshot(&snap, config, since);
    then.timings.push(("history: since", start.elapsed()));
    let start = std::time::Instant::now();
    let window = as_of
        .checked_sub_signed(chrono::Duration::days(log::WINDOW_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let (chain, capped) = repo.chain(window, log::MAX_COMMITS)?;
    drop(repo);
    let walked = start.elapsed();
    let prep = last_one_to_one_dates(now, as_of);
    // The deal histories and the stepped snapshots read the same chain
    // but share nothing: they run side by side, each with its own handle
    // on the repository (gitoxide's is not shared between threads).
    let (deal_log, stepped) = rayon::join(
        || {
            let start = std::time::Instant::now();
            (log::read(site_dir, &chain, capped, &opts), start.elapsed())
        },
        || {
            let start = std::time::Instant::now();
            let stepped = Repo::open(site_dir).map(|repo| {
                step_through(&repo, site_dir, snap, &chain, config, as_of, &prep, &opts)
            });
            (stepped, start.elapsed())
        },
    );
    then.log = deal_log.0?;
    then.timings
        .push(("history: deal log", walked + deal_log.1));
    let (stepped, elapsed) = (stepped.0?, stepped.1);
    then.trends = stepped.trends;
    then.at_dates = stepped.at_dates;
    then.stepped = stepped.parsed;
    then.timings.push(("history: snapshots", elapsed));
    then.timings.push(("history: trends", stepped.trend_time));
    then.timings
        .push(("history: prep dates", stepped.prep_time));
    Ok(then)
}

/// Validates, links and measures a snapshot as of `since`.
pub fn analyse_snapshot(snap: &Snapshot, config: &Config, since: NaiveDate) -> Then {
    let mut d = Diagnostics::default();
    let notes = crate::validate::validate(snap.notes(), config, &mut d);
    let mut site = Site {
        notes,
        ..Default::default()
    };
    crate::links::resolve(&mut site, &mut d);
    let m = metrics::compute(&site, config, since);
    let (org, teams, reps) = (m.org, m.teams, m.reps.into_by_id());
    // The files parsed here whose note is not in the snapshot as valid.
    let valid: std::collections::HashSet<&str> = site
        .notes
        .iter()
        .filter(|n| n.valid)
        .map(|n| n.path.as_str())
        .collect();
    let short = snap.commit.id.to_hex_with_len(7).to_string();
    let mut problems = Vec::new();
    for (path, diags) in &snap.diags {
        if valid.contains(path.as_str()) {
            continue;
        }
        let first = diags
            .iter()
            .chain(d.items.iter().filter(|x| &x.file == path))
            .find(|x| x.severity == Severity::Error);
        let Some(first) = first else { continue };
        problems.push(
            Diagnostic::warning(
                Code::HistoryInvalidNote,
                path,
                0,
                format!(
                    "in commit {short} of {}, the snapshot compared with, this note has an error ({}); it is left out of the comparison",
                    snap.commit.date, first.message
                ),
            )
            .with_help("nothing to fix now: history is never rewritten, and this warning never fails a build"),
        );
    }
    Then {
        since,
        commit: snap.commit.clone(),
        site,
        org,
        teams,
        reps,
        problems,
        parsed: snap.parsed,
        log: DealLog::default(),
        trends: Vec::new(),
        at_dates: BTreeMap::new(),
        stepped: 0,
        timings: Vec::new(),
    }
}

/// Puts the comparison of `then` with the current site into `metrics`.
pub fn attach(
    metrics: &mut Metrics,
    then: &Result<Then, NoHistory>,
    since: NaiveDate,
    now: &Site,
    config: &Config,
) {
    metrics.changes = match then {
        Ok(t) => {
            let mut c = changes::compare(
                &t.site,
                now,
                config,
                metrics.as_of,
                t.since,
                &t.commit.id.to_string(),
                t.org.clone(),
            );
            c.teams_then = t.teams.clone();
            c.reps_then = t.reps.clone();
            c.log = t.log.clone();
            c.trends.points = t.trends.clone();
            c.trends.points.push(trend_point(metrics.as_of, metrics));
            c.at_dates = t.at_dates.clone();
            History::Compared(Box::new(c))
        }
        Err(reason) => History::Unavailable {
            since,
            reason: reason.clone(),
        },
    };
}

/// For `build` and `check`: reads the snapshot at `since` (`--since`, else
/// `as_of - compare_days`) and puts the comparison into the analysis's
/// metrics. Returns the history's warnings, which are not the build's.
pub fn compare_now(site_dir: &Path, a: &mut Analysis, since_cli: Option<NaiveDate>) -> Diagnostics {
    let start = std::time::Instant::now();
    let since = since(since_cli, &a.config, a.as_of);
    let then = analyse_then(site_dir, &a.config, since, a.as_of, &a.site);
    attach(&mut a.metrics, &then, since, &a.site, &a.config);
    a.timings.push(("history", start.elapsed()));
    let mut out = Diagnostics::default();
    if let Ok(t) = then {
        a.timings.extend(t.timings.iter().copied());
        out.extend(t.problems);
    }
    out
}

/// `serve`'s history: the snapshot read once, and again only when HEAD,
/// `since` or the configuration moved (checked at each rebuild, which
/// costs a look at HEAD, never a re-read); uncommitted edits are "now".
pub struct Tracker {
    since_cli: Option<NaiveDate>,
    cached: Option<Cached>,
}

struct Cached {
    head: Option<ObjectId>,
    since: NaiveDate,
    as_of: NaiveDate,
    config: Config,
    then: Result<Then, NoHistory>,
}

impl Tracker {
    pub fn new(since_cli: Option<NaiveDate>) -> Tracker {
        Tracker {
            since_cli,
            cached: None,
        }
    }

    /// Sets `metrics.changes` for the current site; returns the history's
    /// warnings when the snapshot was (re-)read.
    pub fn attach(
        &mut self,
        site_dir: &Path,
        config: &Config,
        now: &Site,
        metrics: &mut Metrics,
    ) -> Option<Diagnostics> {
        let since = since(self.since_cli, config, metrics.as_of);
        let head = Repo::open(site_dir)
            .ok()
            .and_then(|r| r.head().ok().flatten());
        let fresh = self.cached.as_ref().is_some_and(|c| {
            c.head == head && c.since == since && c.as_of == metrics.as_of && &c.config == config
        });
        let mut reread = None;
        if !fresh {
            let then = analyse_then(site_dir, config, since, metrics.as_of, now);
            let mut d = Diagnostics::default();
            if let Ok(t) = &then {
                d.extend(t.problems.iter().cloned());
            }
            reread = Some(d);
            self.cached = Some(Cached {
                head,
                since,
                as_of: metrics.as_of,
                config: config.clone(),
                then,
            });
        }
        if let Some(c) = &self.cached {
            attach(metrics, &c.then, since, now, config);
        }
        reread
    }

    /// How many times the snapshot was read is visible to tests through
    /// this: the commit of the snapshot in use.
    pub fn commit(&self) -> Option<String> {
        let c = self.cached.as_ref()?;
        c.then.as_ref().ok().map(|t| t.commit.id.to_string())
    }
}

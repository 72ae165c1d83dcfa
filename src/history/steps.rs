//! The extra snapshots of the history: the weekly trend dates and the
//! reps' last one-to-one dates, reached by stepping one snapshot through
//! them (tree diffs), each measured over the notes its figures need.

use super::*;

/// How many weekly points the trends have (now and 12 weeks before).
pub const TREND_WEEKS: i64 = 13;
/// At most this many distinct last one-to-one dates are compared (the
/// latest ones): each costs an analysis of the snapshot.
pub const MAX_PREP_DATES: usize = 8;

/// The dates of the trend points before `as_of`: `as_of - 84` to
/// `as_of - 7` days, oldest first.
pub fn trend_dates(as_of: NaiveDate) -> Vec<NaiveDate> {
    (1..TREND_WEEKS)
        .rev()
        .filter_map(|k| as_of.checked_sub_signed(chrono::Duration::days(7 * k)))
        .collect()
}

/// The date of each rep's latest valid coaching one-to-one on or before
/// `as_of` (the prep sheet's rule), the latest [`MAX_PREP_DATES`]
/// distinct ones.
pub fn last_one_to_one_dates(now: &Site, as_of: NaiveDate) -> BTreeSet<NaiveDate> {
    let mut last: HashMap<usize, NaiveDate> = HashMap::new();
    for n in now
        .notes
        .iter()
        .filter(|n| n.valid && n.kind == Kind::Coaching)
    {
        let (Some(rep), Some(d)) = (n.rep_ref().and_then(|r| r.resolved), n.date) else {
            continue;
        };
        if d <= as_of {
            let e = last.entry(rep).or_insert(d);
            *e = (*e).max(d);
        }
    }
    let all: BTreeSet<NaiveDate> = last.into_values().collect();
    all.into_iter().rev().take(MAX_PREP_DATES).collect()
}

/// The notes of `snap` of the given kinds, as [`measure`] wants them:
/// bodies, body links and anchors dropped ([`Note::clone_for_figures`]),
/// as no figure depends on them (the only check of a body, its raw HTML,
/// gives warnings, which `measure` discards, and never makes a note
/// invalid).
pub(super) fn pick(snap: &Snapshot, kinds: &[Kind]) -> Vec<Note> {
    snap.files
        .values()
        .filter_map(|(_, n)| n.as_ref())
        .filter(|n| {
            kinds.contains(&n.kind) || n.kind.is_interaction() && kinds.contains(&Kind::Coaching)
        })
        .map(Note::clone_for_figures)
        .collect()
}

/// Validates, links and measures `notes` (from [`pick`]) as of `date`.
pub(super) fn measure(notes: Vec<Note>, config: &Config, date: NaiveDate) -> Metrics {
    let mut d = Diagnostics::default();
    let notes = crate::validate::validate(notes, config, &mut d);
    let mut site = Site {
        notes,
        ..Default::default()
    };
    crate::links::resolve(&mut site, &mut d);
    metrics::compute(&site, config, date)
}

/// The trend point of `m` at `date`.
pub fn trend_point(date: NaiveDate, m: &Metrics) -> TrendPoint {
    TrendPoint {
        date,
        org: TrendFigures::of(&m.org),
        teams: m
            .teams
            .iter()
            .map(|(k, v)| (k.clone(), TrendFigures::of(v)))
            .collect(),
        reps: m
            .reps
            .iter()
            .map(|(_, k, v)| (k.to_string(), TrendFigures::of(v)))
            .collect(),
    }
}

/// What the extra snapshots give: the trend points and the deals at the
/// prep dates.
pub(super) struct Stepped {
    pub(super) trends: Vec<TrendPoint>,
    pub(super) at_dates: BTreeMap<NaiveDate, BTreeMap<String, DealThen>>,
    pub(super) parsed: usize,
    /// Time spent measuring the trend points and the prep dates (summed
    /// over threads).
    pub(super) trend_time: std::time::Duration,
    pub(super) prep_time: std::time::Duration,
}

/// Steps `snap` through the snapshots at the trend dates and `prep`
/// dates (oldest first), measuring each: only the files that changed
/// between two of them are parsed.
#[allow(clippy::too_many_arguments)]
pub(super) fn step_through(
    repo: &Repo,
    site_dir: &Path,
    mut snap: Snapshot,
    chain: &[CommitInfo],
    config: &Config,
    as_of: NaiveDate,
    prep: &BTreeSet<NaiveDate>,
    opts: &content::LoadOptions,
) -> Stepped {
    let mut out = Stepped {
        trends: Vec::new(),
        at_dates: BTreeMap::new(),
        parsed: 0,
        trend_time: std::time::Duration::ZERO,
        prep_time: std::time::Duration::ZERO,
    };
    let trend: BTreeSet<NaiveDate> = trend_dates(as_of).into_iter().collect();
    let dates: BTreeSet<NaiveDate> = trend.iter().chain(prep.iter()).copied().collect();
    let mut measured: Vec<(NaiveDate, bool, Metrics, std::time::Duration)> = Vec::new();
    // Each snapshot is measured as soon as it is reached, and its notes
    // dropped before the next: keeping the copies of 20 snapshots to
    // measure them in parallel doubled the build's peak memory at 10k
    // notes (547 against 270 MB) and saved no time, as the deal
    // histories keep the other core busy meanwhile.
    let mut run = |date, is_prep, notes| {
        let start = std::time::Instant::now();
        let m = measure(notes, config, date);
        measured.push((date, is_prep, m, start.elapsed()));
    };
    for date in dates {
        // The chain is newest first; past its end, walk from HEAD.
        let commit = match chain.iter().find(|c| c.date <= date) {
            Some(c) => c.clone(),
            None => match repo.commit_at(date) {
                Ok(c) => c,
                Err(_) => continue,
            },
        };
        if commit.id != snap.commit.id {
            snap = match step(repo, site_dir, snap, commit, opts) {
                Ok(s) => s,
                Err(_) => break,
            };
            out.parsed += snap.parsed;
        }
        if trend.contains(&date) {
            run(date, false, pick(&snap, &[Kind::Deal, Kind::Rep]));
        }
        if prep.contains(&date) {
            let kinds = [Kind::Deal, Kind::Rep, Kind::Prep, Kind::Coaching];
            run(date, true, pick(&snap, &kinds));
        }
    }
    for (date, is_prep, m, took) in measured {
        if !is_prep {
            out.trends.push(trend_point(date, &m));
            out.trend_time += took;
            continue;
        }
        let deals = m
            .deals
            .into_by_id()
            .into_iter()
            .map(|(id, d)| {
                let then = DealThen {
                    risk: d.risk,
                    close_date: d.close_date,
                    is_open: d.is_open,
                };
                (id, then)
            })
            .collect();
        out.at_dates.insert(date, deals);
        out.prep_time += took;
    }
    out
}

//! Every deal's history: the commits of HEAD's first-parent chain that
//! changed a deal's stage, value, close date, probability, MEDDPICC scores
//! or next step, newest first.
//!
//! The cost grows with the files that changed, not commits x notes: each
//! pair of neighbouring commits is diffed by tree (identical subtrees are
//! skipped unread), and only the blobs on either side of a changed file
//! are read and parsed, each blob once (the new side of one commit is the
//! old side of the next). Deals are matched by id, so a deal whose file
//! moves keeps its history.

use super::git::{CommitInfo, Repo};
use super::NoHistory;
use crate::content;
use crate::metrics::changes::{DealEvent, DealLog, FieldChange};
use crate::model::MEDDPICC;
use chrono::NaiveDate;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// How far back a deal's history is read: two years before `as_of`.
pub const WINDOW_DAYS: i64 = 730;
/// At most this many commits are read for it.
pub const MAX_COMMITS: usize = 20_000;

/// The fields of a deal its history follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    pub id: String,
    pub stage: String,
    pub value: Option<f64>,
    pub close_date: Option<NaiveDate>,
    pub probability: Option<f64>,
    pub meddpicc: [u8; 8],
    pub next_step: Option<String>,
}

fn tracked(
    path: &str,
    site_dir: &Path,
    bytes: &[u8],
    opts: &content::LoadOptions,
) -> Option<Tracked> {
    // Every tracked field is in the frontmatter: the body is not parsed.
    let bytes = frontmatter_only(bytes);
    let (note, _) = content::load_bytes(path, &site_dir.join(path), bytes, opts);
    let note = note?;
    let d = note.deal()?;
    Some(Tracked {
        id: note.id.clone(),
        stage: d.stage.clone(),
        value: d.value,
        close_date: d.close_date,
        probability: d.probability,
        meddpicc: d.meddpicc.each_ref().map(|e| e.score),
        next_step: d.next_step.clone(),
    })
}

/// `bytes` up to the end of its frontmatter's closing fence (all of it
/// when it has no frontmatter or the block is not closed, which the
/// parser then reports as it would). Fences are told as
/// `content::frontmatter::split` tells them, or more strictly: a cut
/// never falls inside the frontmatter.
fn frontmatter_only(bytes: &[u8]) -> &[u8] {
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let skip = bytes.len() - text.len();
    let mut lines = text.split_inclusive(|b| *b == b'\n');
    match lines.next() {
        Some(first) if first.trim_ascii_end() == b"---" => {
            let mut end = skip + first.len();
            for line in lines {
                end += line.len();
                let l = line.trim_ascii_end();
                if l == b"---" || l == b"..." {
                    return &bytes[..end];
                }
            }
            bytes
        }
        _ => bytes,
    }
}

fn num(v: Option<f64>) -> Option<String> {
    v.map(crate::metrics::deal::fmt_num)
}

/// A probability, in percent as written.
fn pct(v: Option<f64>) -> Option<String> {
    v.map(|v| format!("{}%", crate::metrics::deal::fmt_num(v)))
}

/// What changed between two states of one deal, in a fixed field order.
/// Values are plain (numbers unformatted, dates ISO); MEDDPICC lists the
/// elements whose score changed (`champion 1`).
pub fn fields(a: &Tracked, b: &Tracked) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field, from: Option<String>, to: Option<String>| {
        if from != to {
            out.push(FieldChange { field, from, to });
        }
    };
    push("stage", Some(a.stage.clone()), Some(b.stage.clone()));
    push("value", num(a.value), num(b.value));
    push(
        "close_date",
        a.close_date.map(|d| d.to_string()),
        b.close_date.map(|d| d.to_string()),
    );
    push("probability", pct(a.probability), pct(b.probability));
    if a.meddpicc != b.meddpicc {
        let part = |s: &[u8; 8]| -> Option<String> {
            let v: Vec<String> = MEDDPICC
                .iter()
                .zip(s.iter().zip(a.meddpicc.iter().zip(b.meddpicc.iter())))
                .filter(|(_, (_, (x, y)))| x != y)
                .map(|(k, (v, _))| format!("{} {v}", k.replace('_', " ")))
                .collect();
            Some(v.join(", "))
        };
        push("meddpicc", part(&a.meddpicc), part(&b.meddpicc));
    }
    push("next_step", a.next_step.clone(), b.next_step.clone());
    out
}

/// The changed note files of each neighbouring pair of `chain` (oldest
/// first; the first commit is only the base), and the blobs on either
/// side read out of git, each with the first path it was seen at.
type Steps<'a> = Vec<(&'a CommitInfo, Vec<super::git::Changed>)>;
type Blobs = HashMap<ObjectId, (String, Vec<u8>)>;

fn collect<'a>(repo: &Repo, chain: &'a [CommitInfo]) -> Result<(Steps<'a>, Blobs), NoHistory> {
    let trees = chain
        .iter()
        .map(|c| repo.content_tree(c.tree))
        .collect::<Result<Vec<_>, _>>()?;
    // Diffed newest first: a pack stores an older tree as a delta on a
    // newer one, so walking back in time finds each base just read.
    let mut steps = Vec::new();
    for (i, commit) in chain.iter().enumerate().skip(1).rev() {
        if trees[i] != trees[i - 1] {
            steps.push((commit, repo.diff(trees[i - 1], trees[i])?));
        }
    }
    steps.reverse();
    let mut wanted: Vec<(ObjectId, String)> = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    for (_, changed) in &steps {
        for (path, a, b) in changed {
            for id in [a, b].into_iter().flatten() {
                if seen.insert(*id) {
                    wanted.push((*id, path.clone()));
                }
            }
        }
    }
    let blobs = wanted
        .into_iter()
        .filter_map(
            |(id, path)| match repo.blob(id, content::limits::MAX_NOTE_BYTES) {
                Ok(super::git::Blob::Whole(bytes)) => Some((id, (path, bytes))),
                _ => None,
            },
        )
        .collect();
    Ok((steps, blobs))
}

/// Reads every deal's history over `chain` (newest first, as
/// [`Repo::chain`] gives it; its last commit is only the base compared
/// with) of the repository around `site_dir`. `capped`: older commits
/// exist that were not read.
///
/// The chain is cut in two halves diffed and read on two threads (each
/// with its own handle on the repository: gitoxide's is not shared), then
/// stitched in order; a blob seen in both keeps the path the older half
/// saw it at, as one pass would.
pub fn read(
    site_dir: &Path,
    chain: &[CommitInfo],
    capped: bool,
    opts: &content::LoadOptions,
) -> Result<DealLog, NoHistory> {
    let mut log = DealLog {
        from: chain.last().map(|c| c.date),
        commits: chain.len(),
        capped,
        deals: BTreeMap::new(),
    };
    if chain.len() < 2 {
        return Ok(log);
    }
    let oldest_first: Vec<CommitInfo> = chain.iter().rev().cloned().collect();
    // The halves share the commit at the cut: the newer half's base.
    let cut = oldest_first.len() / 2;
    let (older, newer) = (&oldest_first[..=cut], &oldest_first[cut..]);
    let half = |part| Repo::open(site_dir).and_then(|repo| collect(&repo, part));
    let (a, b) = rayon::join(|| half(older), || half(newer));
    let ((mut steps, mut blobs), (steps_b, blobs_b)) = (a?, b?);
    steps.extend(steps_b);
    for (id, v) in blobs_b {
        blobs.entry(id).or_insert(v);
    }
    // Parse the blobs in parallel, each once.
    let parsed: HashMap<ObjectId, Tracked> = blobs
        .into_par_iter()
        .filter_map(|(id, (path, bytes))| Some((id, tracked(&path, site_dir, &bytes, opts)?)))
        .collect();
    for (commit, changed) in steps {
        let mut old: HashMap<&str, &Tracked> = HashMap::new();
        let mut new: Vec<&Tracked> = Vec::new();
        for (_, a, b) in &changed {
            if let Some(t) = a.and_then(|a| parsed.get(&a)) {
                old.insert(t.id.as_str(), t);
            }
            if let Some(t) = b.and_then(|b| parsed.get(&b)) {
                new.push(t);
            }
        }
        for b in new {
            let Some(a) = old.get(b.id.as_str()) else {
                continue;
            };
            let f = fields(a, b);
            if !f.is_empty() {
                log.deals.entry(b.id.clone()).or_default().push(DealEvent {
                    date: commit.date,
                    commit: commit.id.to_string(),
                    fields: f,
                });
            }
        }
    }
    for events in log.deals.values_mut() {
        events.reverse();
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Tracked {
        Tracked {
            id: "a".into(),
            stage: "proposal".into(),
            value: Some(100000.0),
            close_date: NaiveDate::from_ymd_opt(2026, 12, 1),
            probability: None,
            meddpicc: [0; 8],
            next_step: None,
        }
    }

    #[test]
    fn frontmatter_only_cuts_after_the_closing_fence() {
        let note = b"---\r\ntype: deal\r\n---\r\n# Body\n---\n";
        assert_eq!(frontmatter_only(note), b"---\r\ntype: deal\r\n---\r\n");
        let bom = "\u{feff}---\nid: a\n...\nbody".as_bytes();
        assert_eq!(
            frontmatter_only(bom),
            "\u{feff}---\nid: a\n...\n".as_bytes()
        );
        for whole in [&b"no frontmatter\n---\n"[..], b"---\nid: a\n", b"", b"---"] {
            assert_eq!(frontmatter_only(whole), whole);
        }
    }

    #[test]
    fn fields_list_what_changed_in_order() {
        let a = t();
        assert!(fields(&a, &a).is_empty());
        let mut b = t();
        b.next_step = Some("Call".into());
        b.close_date = NaiveDate::from_ymd_opt(2027, 1, 15);
        b.meddpicc[2] = 2;
        b.probability = Some(40.0);
        let f = fields(&a, &b);
        let keys: Vec<&str> = f.iter().map(|x| x.field).collect();
        assert_eq!(keys, ["close_date", "probability", "meddpicc", "next_step"]);
        assert_eq!(f[0].from.as_deref(), Some("2026-12-01"));
        assert_eq!(f[0].to.as_deref(), Some("2027-01-15"));
        assert_eq!(f[2].from.as_deref(), Some("decision criteria 0"));
        assert_eq!(f[2].to.as_deref(), Some("decision criteria 2"));
        assert_eq!(f[1].to.as_deref(), Some("40%"));
        assert_eq!(f[3].from, None);
    }
}

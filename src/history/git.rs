//! The git side of history, through gitoxide: find the repository around
//! the site, walk HEAD's first-parent chain, list and diff the trees of
//! `content/`, and read blobs. Objects only: no `git` program, no index,
//! no work-tree files (the caller reads those), no configuration beyond
//! the repository's own (`open::Options::isolated`).

use crate::metrics::changes::NoHistory;
use chrono::NaiveDate;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

/// A repository holding a site, and where the site's `content/` is in it.
pub struct Repo {
    repo: gix::Repository,
    /// The path of `content/` inside the repository, by component
    /// (`["site", "content"]`, or `["content"]` at the root).
    content: Vec<String>,
    /// The path of the site folder inside the repository, `/`-separated
    /// with a trailing `/` (empty at the root).
    pub site_prefix: String,
    /// The trees the last two diffs read (see [`Repo::diff`]).
    trees: RefCell<TreeCache>,
}

#[derive(Default)]
struct TreeCache {
    prev: HashMap<ObjectId, Rc<Vec<u8>>>,
    cur: HashMap<ObjectId, Rc<Vec<u8>>>,
}

/// One commit of the first-parent chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: ObjectId,
    /// The committer date in UTC.
    pub date: NaiveDate,
    pub tree: ObjectId,
}

/// A note file in a tree: its path relative to the site (`content/...`)
/// and its blob.
pub type Files = BTreeMap<String, ObjectId>;

/// A note file that differs between two trees: its path and its blob on
/// each side (`None` where absent).
pub type Changed = (String, Option<ObjectId>, Option<ObjectId>);

fn unreadable(e: impl std::fmt::Display) -> NoHistory {
    NoHistory::Unreadable(e.to_string())
}

impl Repo {
    /// The repository whose work tree holds `site_dir` (searched upwards).
    pub fn open(site_dir: &Path) -> Result<Repo, NoHistory> {
        let site = std::fs::canonicalize(site_dir).map_err(|_| NoHistory::NoRepository)?;
        let opts = gix::open::Options::isolated();
        let repo = gix::ThreadSafeRepository::discover_opts(
            &site,
            gix::discover::upwards::Options::default(),
            gix::sec::trust::Mapping {
                full: opts.clone(),
                reduced: opts,
            },
        )
        .map_err(|_| NoHistory::NoRepository)?;
        let mut repo = repo.to_thread_local();
        // No object cache: a walk reads each tree once, and the diff keeps
        // the trees of the last two commits itself (measured: a 32 MB
        // object cache made the deal histories slower and the build
        // 130 MB larger).
        repo.object_cache_size(None);
        // In a pack, an older tree is mostly a delta on a newer version
        // of it. The deal histories walk back in time, so the base of each
        // tree is the one just read: a small cache of decoded bases
        // resolves each delta once instead of re-inflating its chain
        // (4 MB measured fastest: 3x faster than none, and larger caches
        // cost more in copying than they save; docs/benchmarks.md).
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                4 << 20,
            ))
        });
        let work = repo.workdir().ok_or(NoHistory::NoRepository)?;
        let work = std::fs::canonicalize(work).map_err(|_| NoHistory::NoRepository)?;
        let rel = site
            .strip_prefix(&work)
            .map_err(|_| NoHistory::NoRepository)?;
        let mut content = Vec::new();
        for c in rel.components() {
            let s = c.as_os_str().to_str().ok_or(NoHistory::NoRepository)?;
            content.push(s.to_string());
        }
        let site_prefix: String = content.iter().map(|c| format!("{c}/")).collect();
        content.push("content".to_string());
        Ok(Repo {
            repo,
            content,
            site_prefix,
            trees: RefCell::default(),
        })
    }

    fn local(&self) -> &gix::Repository {
        &self.repo
    }

    /// The kind of object ids (SHA-1) of this repository.
    pub fn hash_kind(&self) -> gix::hash::Kind {
        self.repo.object_hash()
    }

    /// The commit HEAD points at, `None` before the first commit.
    pub fn head(&self) -> Result<Option<ObjectId>, NoHistory> {
        let repo = self.local();
        let head = repo.head().map_err(unreadable)?;
        Ok(head.id().map(|id| id.detach()))
    }

    /// The commits a shallow clone stops at (none in a full clone).
    fn shallow(&self) -> Result<HashSet<ObjectId>, NoHistory> {
        Ok(self
            .local()
            .shallow_commits()
            .map_err(unreadable)?
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default())
    }

    /// Commit `id` (its committer date in UTC and its tree) and its first
    /// parent.
    fn commit(&self, id: ObjectId) -> Result<(CommitInfo, Option<ObjectId>), NoHistory> {
        let commit = self.local().find_commit(id).map_err(unreadable)?;
        let seconds = commit.time().map_err(unreadable)?.seconds;
        let date = chrono::DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| unreadable(format!("commit {id} has an impossible date")))?
            .date_naive();
        let tree = commit.tree_id().map_err(unreadable)?.detach();
        let parent = commit.parent_ids().next().map(|p| p.detach());
        Ok((CommitInfo { id, date, tree }, parent))
    }

    /// The snapshot commit at `date`: the last commit on HEAD's
    /// first-parent chain whose committer date (UTC) is on or before it.
    pub fn commit_at(&self, date: NaiveDate) -> Result<CommitInfo, NoHistory> {
        let mut id = self.head()?.ok_or(NoHistory::NoCommits)?;
        let shallow = self.shallow()?;
        loop {
            let (info, parent) = self.commit(id)?;
            if info.date <= date {
                return Ok(info);
            }
            if shallow.contains(&id) {
                return Err(NoHistory::Shallow { oldest: info.date });
            }
            match parent {
                Some(parent) => id = parent,
                None => return Err(NoHistory::StartsAfter { first: info.date }),
            }
        }
    }

    /// HEAD's first-parent chain, newest first: every commit dated on or
    /// after `until`, then the first one before it (the base the oldest
    /// is compared with), at most `max` commits; the flag says whether
    /// older commits were left unread. A shallow clone's chain ends at its
    /// oldest commit.
    pub fn chain(
        &self,
        until: NaiveDate,
        max: usize,
    ) -> Result<(Vec<CommitInfo>, bool), NoHistory> {
        let mut out = Vec::new();
        let Some(mut id) = self.head()? else {
            return Ok((out, false));
        };
        let shallow = self.shallow()?;
        loop {
            if out.len() >= max {
                return Ok((out, true));
            }
            let (info, parent) = self.commit(id)?;
            let date = info.date;
            out.push(info);
            if date < until || shallow.contains(&id) {
                return Ok((out, date < until));
            }
            match parent {
                Some(parent) => id = parent,
                None => return Ok((out, false)),
            }
        }
    }

    /// The tree of `content/` in the commit's `tree`, if it has one.
    pub fn content_tree(&self, tree: ObjectId) -> Result<Option<ObjectId>, NoHistory> {
        let repo = self.local();
        let mut at = tree;
        for name in &self.content {
            let t = repo.find_tree(at).map_err(unreadable)?;
            let decoded = t.decode().map_err(unreadable)?;
            let Some(e) = decoded
                .entries
                .iter()
                .find(|e| e.filename == name.as_bytes())
            else {
                return Ok(None);
            };
            if !e.mode.is_tree() {
                return Ok(None);
            }
            at = e.oid.to_owned();
        }
        Ok(Some(at))
    }

    /// Every note file below the content tree: regular `*.md` blobs in no
    /// hidden folder, by the loader's rule; symbolic links and submodules
    /// are skipped (never followed).
    pub fn list(&self, content_tree: ObjectId) -> Result<Files, NoHistory> {
        let mut files = Files::new();
        self.walk(content_tree, "content/".to_string(), &mut |path, id| {
            files.insert(path, id);
        })?;
        Ok(files)
    }

    fn walk(
        &self,
        root: ObjectId,
        prefix: String,
        found: &mut dyn FnMut(String, ObjectId),
    ) -> Result<(), NoHistory> {
        let repo = self.local();
        let mut stack = vec![(root, prefix)];
        while let Some((tree, prefix)) = stack.pop() {
            let t = repo.find_tree(tree).map_err(unreadable)?;
            let decoded = t.decode().map_err(unreadable)?;
            for e in &decoded.entries {
                let Ok(name) = e.filename.to_str() else {
                    continue;
                };
                if crate::content::is_ignored_name(name) || name.contains('/') {
                    continue;
                }
                if e.mode.is_tree() {
                    stack.push((e.oid.to_owned(), format!("{prefix}{name}/")));
                } else if is_note_entry(e.mode, name) {
                    found(format!("{prefix}{name}"), e.oid.to_owned());
                }
            }
        }
        Ok(())
    }

    /// The note files that differ between two content trees (either may
    /// be absent): `(path, old blob, new blob)`, a side `None` where the
    /// file is absent. Subtrees with one id on both sides are skipped
    /// unread, so the cost grows with what changed.
    pub fn diff(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<Changed>, NoHistory> {
        let kind = self.repo.object_hash();
        let mut out = Vec::new();
        // The trees read by the previous diff are kept: walking a chain,
        // its new side is this one's old side.
        {
            let mut c = self.trees.borrow_mut();
            c.prev = std::mem::take(&mut c.cur);
        }
        let mut stack = vec![(old, new, "content/".to_string())];
        while let Some((old, new, prefix)) = stack.pop() {
            if old == new {
                continue;
            }
            let read = |t: Option<ObjectId>| -> Result<Option<Rc<Vec<u8>>>, NoHistory> {
                t.map(|t| self.tree_bytes(t)).transpose()
            };
            let (ta, tb) = (read(old)?, read(new)?);
            let empty: &[u8] = &[];
            let mut a =
                gix::objs::TreeRefIter::from_bytes(ta.as_deref().map_or(empty, |v| v), kind);
            let mut b =
                gix::objs::TreeRefIter::from_bytes(tb.as_deref().map_or(empty, |v| v), kind);
            // Both lists are in git's order: walk them side by side, so
            // an unchanged entry costs one comparison and no allocation.
            let (mut x, mut y) = (next(&mut a)?, next(&mut b)?);
            while x.is_some() || y.is_some() {
                let order = match (&x, &y) {
                    (Some(x), Some(y)) => git_order(x, y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    _ => std::cmp::Ordering::Greater,
                };
                let (ex, ey) = match order {
                    std::cmp::Ordering::Less => (x.take(), None),
                    std::cmp::Ordering::Greater => (None, y.take()),
                    std::cmp::Ordering::Equal => (x.take(), y.take()),
                };
                if x.is_none() {
                    x = next(&mut a)?;
                }
                if y.is_none() {
                    y = next(&mut b)?;
                }
                if let (Some(ex), Some(ey)) = (&ex, &ey) {
                    if ex.oid == ey.oid && ex.mode == ey.mode {
                        continue;
                    }
                }
                let Some(name) = ex
                    .as_ref()
                    .or(ey.as_ref())
                    .and_then(|e| e.filename.to_str().ok())
                else {
                    continue;
                };
                if crate::content::is_ignored_name(name) || name.contains('/') {
                    continue;
                }
                let tree = |e: &Option<gix::objs::tree::EntryRef<'_>>| {
                    e.as_ref()
                        .filter(|e| e.mode.is_tree())
                        .map(|e| e.oid.to_owned())
                };
                let note = |e: &Option<gix::objs::tree::EntryRef<'_>>| {
                    e.as_ref()
                        .filter(|e| is_note_entry(e.mode, name))
                        .map(|e| e.oid.to_owned())
                };
                let (sa, sb) = (tree(&ex), tree(&ey));
                if (sa.is_some() || sb.is_some()) && sa != sb {
                    stack.push((sa, sb, format!("{prefix}{name}/")));
                }
                let (na, nb) = (note(&ex), note(&ey));
                if na != nb {
                    out.push((format!("{prefix}{name}"), na, nb));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// A tree's bytes: from the trees of this diff or the previous one,
    /// else read out of git (and kept for the next diff).
    fn tree_bytes(&self, id: ObjectId) -> Result<Rc<Vec<u8>>, NoHistory> {
        let mut c = self.trees.borrow_mut();
        if let Some(d) = c.cur.get(&id) {
            return Ok(d.clone());
        }
        let d = match c.prev.get(&id) {
            Some(d) => d.clone(),
            None => {
                let mut t = self.repo.find_tree(id).map_err(unreadable)?;
                Rc::new(std::mem::take(&mut t.data))
            }
        };
        c.cur.insert(id, d.clone());
        Ok(d)
    }

    /// A blob's bytes, or its size when it is over `cap` (checked from the
    /// object's header before the blob is read).
    pub fn blob(&self, id: ObjectId, cap: u64) -> Result<Blob, String> {
        let repo = self.local();
        let size = repo.find_header(id).map_err(|e| e.to_string())?.size();
        if size > cap {
            return Ok(Blob::TooLarge(size));
        }
        let mut blob = repo.find_blob(id).map_err(|e| e.to_string())?;
        Ok(Blob::Whole(blob.take_data()))
    }
}

/// The blob id `bytes` would have in a repository of ids of `kind`.
pub fn blob_id(kind: gix::hash::Kind, bytes: &[u8]) -> Option<ObjectId> {
    gix::objs::compute_hash(kind, gix::objs::Kind::Blob, bytes).ok()
}

/// Git's order of tree entries: by name, a tree's name as if it ended
/// with `/`.
fn git_order(
    a: &gix::objs::tree::EntryRef<'_>,
    b: &gix::objs::tree::EntryRef<'_>,
) -> std::cmp::Ordering {
    let (x, y): (&[u8], &[u8]) = (a.filename.as_ref(), b.filename.as_ref());
    let n = x.len().min(y.len());
    match x[..n].cmp(&y[..n]) {
        std::cmp::Ordering::Equal => {
            let next = |name: &[u8], tree: bool| match name.get(n) {
                Some(c) => Some(*c),
                None if tree => Some(b'/'),
                None => None,
            };
            next(x, a.mode.is_tree()).cmp(&next(y, b.mode.is_tree()))
        }
        o => o,
    }
}

/// The next entry of a tree.
fn next<'a>(
    it: &mut gix::objs::TreeRefIter<'a>,
) -> Result<Option<gix::objs::tree::EntryRef<'a>>, NoHistory> {
    it.next().transpose().map_err(unreadable)
}

/// A blob or a too-large size.
pub enum Blob {
    Whole(Vec<u8>),
    TooLarge(u64),
}

/// A regular file (not a link, not a submodule) named like a note.
fn is_note_entry(mode: gix::objs::tree::EntryMode, name: &str) -> bool {
    mode.is_blob() && Path::new(name).extension().is_some_and(|x| x == "md")
}

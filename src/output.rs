//! Writing the site: files go into the output folder, created as needed.
//! A file whose bytes are unchanged is not rewritten, so a rebuild touches
//! only what changed and file watchers downstream stay quiet. A manifest
//! lists what the last build wrote, so files of notes that were deleted or
//! renamed are removed, and files coachbook did not write are never
//! touched.
//!
//! Where the manifest lives: [`Output`] keeps it in the folder it writes
//! (`.coachbook-manifest`), which is right for `serve`'s folder and for a
//! site being built. A published site must not carry it (it lists every
//! file, and deploys publish whatever is in the folder), so [`atomically`]
//! takes it out of the new site before swapping it in and keeps it beside
//! the output folder, in `.<out>.coachbook-state/manifest`, with the
//! identity of the folder it describes (inode number and creation time,
//! which a rename or an exchange keeps and a copy does not). An output
//! folder of an older coachbook, with the manifest inside, is still
//! recognised, and loses it at its next build.

mod budget;
pub use budget::{ByteBudget, CloseOnDrop};

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The manifest's name inside the folder being written.
pub const MANIFEST: &str = ".coachbook-manifest";

/// Refuses output folders a build must never write into (and so never
/// delete from): the site folder, its content folder, a parent of either,
/// the home folder, or the root.
pub fn check_out_dir(site: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| -> PathBuf {
        // The output folder may not exist yet: resolve its nearest parent.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let base = if existing.as_os_str().is_empty() {
            std::env::current_dir().unwrap_or_default()
        } else {
            std::fs::canonicalize(&existing).unwrap_or(existing)
        };
        rest.into_iter().rev().fold(base, |acc, n| acc.join(n))
    };
    let out = abs(out);
    let site = abs(site);
    let content = site.join("content");
    let refuse = |why: &str| {
        Err(format!(
            "refusing to write the site into {}: {why}",
            out.display()
        ))
    };
    if out.parent().is_none() {
        return refuse("it is the root folder");
    }
    if std::env::var_os("HOME").is_some_and(|h| Path::new(&h) == out) {
        return refuse("it is your home folder");
    }
    if site.starts_with(&out) {
        return refuse("it is the site folder or contains it");
    }
    if out.starts_with(&content) {
        return refuse("it is inside the content folder");
    }
    Ok(())
}

/// Builds a whole site into a folder beside `out` and swaps it into place
/// only when `build` succeeded, so a build that fails or is killed at any
/// moment leaves the previous site complete. Refuses an `out` that holds
/// files but no manifest (a folder coachbook did not build).
///
/// The site it replaces is kept beside it as `.<out>.coachbook-spare`, and
/// the next build starts from that copy instead of an empty folder: only
/// the files that changed are written, and no build deletes a whole site.
/// (Freeing tens of thousands of inodes makes every file created in the
/// next minutes slow on ext4 without a journal, and writing every page
/// again would touch every file's time stamp for nothing.) Files in `out`
/// that coachbook did not write (a `CNAME` added by hand) are moved into
/// the new site, never dropped.
///
/// The manifest of `out` is kept in `.<out>.coachbook-state/` (see the
/// module's notes): the new site's is written there as `manifest.new`
/// before the swap and renamed to `manifest` after it; a build killed in
/// between leaves `manifest.new` matching `out`, and the next build takes
/// it.
pub fn atomically<T, E: From<String>>(
    out: &Path,
    build: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| E::from(format!("{} is not a folder name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{name}.coachbook-");
    let spare = parent.join(format!("{prefix}spare"));
    let state = State::new(parent.join(format!("{prefix}state")));
    let exists = out.exists();
    let mut ours = None;
    if exists {
        let empty = std::fs::read_dir(out)
            .map_err(|e| E::from(format!("cannot read {}: {e}", out.display())))?
            .next()
            .is_none();
        ours = state.manifest_of(out);
        if !empty && ours.is_none() {
            let why = if state.current.is_file() {
                format!(
                    " ({} is the manifest of another folder: was {} copied or restored?)",
                    state.current.display(),
                    out.display()
                )
            } else {
                String::new()
            };
            return Err(E::from(format!(
                "{} holds files coachbook did not write; choose an empty folder (or remove it){why}",
                out.display()
            )));
        }
    }
    let ours = ours.unwrap_or_default();
    // Leftovers of builds that were killed.
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for e in entries.flatten() {
            let path = e.path();
            if e.file_name().to_string_lossy().starts_with(&prefix)
                && path != spare
                && path != state.dir
            {
                let _ = std::fs::remove_dir_all(path);
            }
        }
    }
    let staging = parent.join(format!("{prefix}new-{}", std::process::id()));
    // Built over the site before last, unchanged files stay as they are; a
    // spare without a manifest is not trusted.
    let reused = spare.join(MANIFEST).is_file() && std::fs::rename(&spare, &staging).is_ok();
    if !reused && spare.exists() {
        let _ = std::fs::remove_dir_all(&spare);
    }
    let result = build(&staging);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
        return result;
    }
    // The manifest first: once files of `out` are carried over, removing
    // `staging` would lose them.
    let ready = state.take_manifest_out_of(&staging).and_then(|()| {
        if exists {
            carry_over(out, &ours, &staging)
        } else {
            Ok(())
        }
    });
    if let Err(e) = ready {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(E::from(e));
    }
    swap_into_place(&staging, out, exists, &spare, &ours, &state).map_err(E::from)?;
    result
}

/// `.<out>.coachbook-state/`, beside an output folder: the manifest of the
/// published site, and that of the next one while it is swapped in.
struct State {
    dir: PathBuf,
    current: PathBuf,
    next: PathBuf,
}

/// The first line of a manifest kept beside its folder; the folder's
/// identity follows.
const HEADER: &str = "coachbook manifest v1 of folder ";

impl State {
    fn new(dir: PathBuf) -> Self {
        State {
            current: dir.join("manifest"),
            next: dir.join("manifest.new"),
            dir,
        }
    }

    /// What coachbook wrote into `out` (`None`: no manifest is known for
    /// it): from the manifest kept for this very folder, and from one
    /// inside it (left by an older coachbook, or by `serve -o`).
    fn manifest_of(&self, out: &Path) -> Option<Vec<String>> {
        let id = folder_id(out);
        let read = |path: &Path| -> Option<Vec<String>> {
            let text = std::fs::read_to_string(path).ok()?;
            let (first, rest) = text.split_once('\n')?;
            (Some(first.strip_prefix(HEADER)?) == id.as_deref()).then(|| lines(rest))
        };
        // A build killed just after its swap: the new manifest is the one.
        let mut found = match read(&self.next) {
            Some(list) => {
                let _ = std::fs::rename(&self.next, &self.current);
                Some(list)
            }
            None => {
                let _ = std::fs::remove_file(&self.next);
                read(&self.current)
            }
        };
        if let Ok(text) = std::fs::read_to_string(out.join(MANIFEST)) {
            found.get_or_insert_with(Vec::new).extend(lines(&text));
        }
        found
    }

    /// Moves the manifest out of a site about to be published, to
    /// `manifest.new` with the folder's identity.
    fn take_manifest_out_of(&self, site: &Path) -> Result<(), String> {
        let inside = site.join(MANIFEST);
        let list = std::fs::read_to_string(&inside).unwrap_or_default();
        let id =
            folder_id(site).ok_or_else(|| format!("cannot read the folder {}", site.display()))?;
        std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&self.next, format!("{HEADER}{id}\n{list}")))
            .map_err(|e| format!("cannot write {}: {e}", self.next.display()))?;
        match std::fs::remove_file(&inside) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(format!("cannot remove {}: {e}", inside.display()))
            }
            _ => Ok(()),
        }
    }
}

/// The lines of a manifest, empty ones left out.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// What tells one folder from another across renames: its inode number and
/// creation time (when the file system keeps one). A folder made again at
/// the same path, or a copy, gets another.
fn folder_id(dir: &Path) -> Option<String> {
    let m = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0u64;
    let born = m
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Some(format!("{ino}-{born}"))
}

/// Puts `staging` at `out`, and the site that was at `out` (if `exists`)
/// at `spare`, with `old` (what coachbook wrote in it) as its manifest. On
/// Linux the two folders are exchanged in one step, so there is no moment
/// without a site at `out`.
fn swap_into_place(
    staging: &Path,
    out: &Path,
    exists: bool,
    spare: &Path,
    old: &[String],
    state: &State,
) -> Result<(), String> {
    if exists {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{renameat_with, RenameFlags, CWD};
            if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
                let _ = std::fs::rename(&state.next, &state.current);
                // `staging` now holds the previous site.
                keep_as_spare(staging, spare, old);
                return Ok(());
            }
        }
        std::fs::rename(out, spare).map_err(|e| format!("cannot move the old site aside: {e}"))?;
        // Without its manifest the spare is not trusted, and not reused.
        let _ = write_manifest(spare, old);
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if exists {
            // Back with its manifest inside, which the next build reads.
            let _ = std::fs::rename(spare, out);
        }
        let _ = std::fs::remove_file(&state.next);
        return Err(format!("cannot put the new site in place: {e}"));
    }
    let _ = std::fs::rename(&state.next, &state.current);
    Ok(())
}

/// Makes the site just replaced the spare copy, with its manifest (or
/// removes it if that fails: a spare is only ever trusted with one).
fn keep_as_spare(old_site: &Path, spare: &Path, manifest: &[String]) {
    if write_manifest(old_site, manifest).is_err() || std::fs::rename(old_site, spare).is_err() {
        let _ = std::fs::remove_dir_all(old_site);
    }
}

fn write_manifest(dir: &Path, list: &[String]) -> io::Result<()> {
    let mut text = String::new();
    for rel in list.iter().filter(|r| *r != MANIFEST) {
        text.push_str(rel);
        text.push('\n');
    }
    std::fs::write(dir.join(MANIFEST), text)
}

/// Moves the files of `out` that `ours` (what coachbook wrote in it) does
/// not list, the files coachbook did not write, to the same place in
/// `staging`. Fails, moving nothing, if the new site has a file at one of
/// those places.
fn carry_over(out: &Path, ours: &[String], staging: &Path) -> Result<(), String> {
    let ours: std::collections::HashSet<&str> = ours.iter().map(String::as_str).collect();
    let mut theirs: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1).follow_links(false) {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        // The manifest holds `/`-separated UTF-8 paths; a name that is not
        // UTF-8 is never ours.
        let ours_too = rel.to_str().is_some_and(|r| {
            let r = r.replace(std::path::MAIN_SEPARATOR, "/");
            r == MANIFEST || ours.contains(r.as_str())
        });
        if !ours_too {
            theirs.push(rel.to_path_buf());
        }
    }
    for rel in &theirs {
        if std::fs::symlink_metadata(staging.join(rel)).is_ok() {
            return Err(format!(
                "{} was not written by coachbook, and the new site has a file at that place; \
                 move it out of {} and build again",
                out.join(rel).display(),
                out.display()
            ));
        }
    }
    for rel in &theirs {
        let to = staging.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot keep {}: {e}", out.join(rel).display()))?;
        }
        std::fs::rename(out.join(rel), &to)
            .map_err(|e| format!("cannot keep {}: {e}", out.join(rel).display()))?;
    }
    Ok(())
}

/// Whether `old` is the bytes of `pieces` one after another.
fn same_bytes(old: &[u8], pieces: &[&[u8]]) -> bool {
    let mut rest = old;
    for p in pieces {
        match rest.split_at_checked(p.len()) {
            Some((head, tail)) if head == *p => rest = tail,
            _ => return false,
        }
    }
    rest.is_empty()
}

/// [`write_all`] of `path` (inside `root`) by its path from `dir`, the
/// folder `root` opened: its folder is made first (and the folders above
/// it when missing), as `Output::write_pieces` does.
#[cfg(unix)]
fn write_within(
    dir: &rustix::fd::OwnedFd,
    path: &Path,
    root: &Path,
    pieces: &[&[u8]],
) -> io::Result<()> {
    use rustix::fs::{mkdirat, openat, Mode, OFlags};
    use std::io::Write;
    let rel = path
        .strip_prefix(root)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path outside the output"))?;
    if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        match mkdirat(dir, parent, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(rustix::io::Errno::NOENT) => {
                // The folders above it, one at a time from the top.
                let mut made = PathBuf::new();
                for part in parent.components() {
                    made.push(part);
                    match mkdirat(dir, &made, Mode::from_raw_mode(0o777)) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let fd = openat(
        dir,
        rel,
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )?;
    let mut f = std::fs::File::from(fd);
    for p in pieces {
        f.write_all(p)?;
    }
    Ok(())
}

/// Creates (or truncates) `path` and writes `pieces` into it in order.
fn write_all(path: &Path, pieces: &[&[u8]]) -> io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    for p in pieces {
        f.write_all(p)?;
    }
    Ok(())
}

/// The output folder of one build.
pub struct Output {
    root: PathBuf,
    /// The folder was empty: nothing to compare with before writing.
    fresh: bool,
    /// The folder, open, when it was empty: its pages are made by paths
    /// from it (`mkdirat`, `openat`), so the kernel does not walk the
    /// folder's own path again for every page (about 5% of a cold
    /// build's CPU went to those lookups).
    #[cfg(unix)]
    dir: Option<rustix::fd::OwnedFd>,
}

impl Output {
    pub fn new(root: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(root)?;
        let fresh = std::fs::read_dir(root)?.next().is_none();
        #[cfg(unix)]
        let dir = if fresh {
            use rustix::fs::{open, Mode, OFlags};
            Some(open(
                root,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?)
        } else {
            None
        };
        Ok(Output {
            root: root.to_path_buf(),
            fresh,
            #[cfg(unix)]
            dir,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` to `rel` (a `/`-separated path inside the output
    /// folder). Paths that would leave the folder are refused.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_pieces(rel, &[bytes])
    }

    /// [`Output::write`] of the bytes of `pieces` one after another, never
    /// joined in memory.
    pub fn write_pieces(&self, rel: &str, pieces: &[&[u8]]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if !self.fresh {
            let len: usize = pieces.iter().map(|p| p.len()).sum();
            let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == len as u64);
            if same_size && std::fs::read(&path).is_ok_and(|old| same_bytes(&old, pieces)) {
                return Ok(());
            }
        }
        #[cfg(unix)]
        if let Some(dir) = &self.dir {
            return write_within(dir, &path, self.root.as_path(), pieces);
        }
        if self.fresh {
            // A fresh folder has no page folders yet: make this one first
            // rather than fail a write.
            if let Some(parent) = path.parent() {
                match std::fs::create_dir(parent) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        std::fs::create_dir_all(parent)?
                    }
                    _ => {}
                }
            }
        }
        match write_all(&path, pieces) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                write_all(&path, pieces)
            }
            other => other,
        }
    }

    /// Whether the folder was empty when this build began (nothing to
    /// compare with before writing).
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        let mut path = self.root.clone();
        for part in rel.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("refusing to write outside the output folder: {rel}"),
                    ))
                }
                p if p.contains('\\') || p.contains(':') => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("refusing an unsafe output path: {rel}"),
                    ))
                }
                p => path.push(p),
            }
        }
        Ok(path)
    }

    /// Removes the files the previous build wrote that are not in
    /// `expected`, then records `expected` as what this build wrote.
    pub fn finish(&self, expected: &BTreeSet<String>) -> io::Result<()> {
        let manifest = self.root.join(MANIFEST);
        if let Ok(old) = std::fs::read_to_string(&manifest) {
            for rel in old.lines().filter(|l| !l.is_empty()) {
                if expected.contains(rel) {
                    continue;
                }
                let Ok(path) = self.path_of(rel) else {
                    continue;
                };
                if std::fs::remove_file(&path).is_ok() {
                    // Remove the folders it leaves empty, up to the root.
                    let mut dir = path.parent();
                    while let Some(d) = dir {
                        if d == self.root || std::fs::remove_dir(d).is_err() {
                            break;
                        }
                        dir = d.parent();
                    }
                }
            }
        }
        let mut text = String::with_capacity(expected.iter().map(|r| r.len() + 1).sum());
        for rel in expected {
            text.push_str(rel);
            text.push('\n');
        }
        self.write(MANIFEST, text.as_bytes())
    }

    /// Copies the files of `from` (recursively) into the output folder:
    /// not hidden files and folders (`.env`, `.git/`) nor editor temp and
    /// swap files, which are never meant to be published (`.well-known/`,
    /// a standard public folder, is kept), and not symlinks, which could
    /// copy a file from anywhere on the machine (`from` itself included).
    pub fn copy_dir(&self, from: &Path) -> io::Result<Copied> {
        let mut copied = Copied::default();
        match std::fs::symlink_metadata(from) {
            Ok(m) if m.file_type().is_symlink() => {
                copied.symlinks.push(String::new());
                return Ok(copied);
            }
            Ok(m) if m.is_dir() => {}
            _ => return Ok(copied),
        }
        let walk = walkdir::WalkDir::new(from)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by(crate::content::by_file_name)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || is_published_name(e));
        for entry in walk {
            let entry = entry.map_err(io::Error::other)?;
            let rel = crate::content::rel_path(from, entry.path());
            if entry.file_type().is_symlink() {
                copied.symlinks.push(rel);
                continue;
            }
            // Not a FIFO or device either: reading one could block forever.
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path())?;
            self.write(&rel, &bytes)?;
            copied.files.push(rel);
        }
        Ok(copied)
    }
}

/// What [`Output::copy_dir`] did.
#[derive(Debug, Default)]
pub struct Copied {
    /// The files it copied, as paths inside the output folder.
    pub files: Vec<String>,
    /// The symlinks it left out, as paths inside the folder copied from
    /// (`""`: that folder itself is a symlink).
    pub symlinks: Vec<String>,
}

/// Whether a file or folder found in `static/` is published: not hidden,
/// not an editor's temp, swap or backup file (`.x.swp`, `x~`, `#x#`),
/// except a top-level `.well-known/` folder (RFC 8615: meant to be public).
fn is_published_name(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    if e.depth() == 1 && name == ".well-known" && e.file_type().is_dir() {
        return true;
    }
    let emacs_autosave = name.len() > 1 && name.starts_with('#') && name.ends_with('#');
    !crate::content::is_ignored_name(&name) && !emacs_autosave
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_written_joined_and_an_unchanged_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path()).unwrap();
        out.write_pieces("a/index.html", &[b"ab", b"", b"cd"])
            .unwrap();
        let file = dir.path().join("a/index.html");
        assert_eq!(std::fs::read(&file).unwrap(), b"abcd");
        // A folder that is not fresh compares before writing: same bytes
        // in other pieces leave the file as it is, other bytes replace it.
        let out = Output::new(dir.path()).unwrap();
        let before = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        out.write_pieces("a/index.html", &[b"a", b"bcd"]).unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            before
        );
        out.write_pieces("a/index.html", &[b"ab", b"ce"]).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"abce");
        assert!(!same_bytes(b"abc", &[b"ab"]));
        assert!(!same_bytes(b"ab", &[b"ab", b"c"]));
    }

    #[test]
    fn a_fresh_folder_gets_every_folder_a_page_needs() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path()).unwrap();
        // A top-level file, a page whose folders are all missing, and one
        // beside it (its folder made already).
        out.write("index.html", b"home").unwrap();
        out.write("deals/q3/acme/index.html", b"acme").unwrap();
        out.write("deals/q3/beta/index.html", b"beta").unwrap();
        out.write("deals/q3/acme/index.html", b"acme 2").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("index.html")).unwrap(),
            b"home"
        );
        assert_eq!(
            std::fs::read(dir.path().join("deals/q3/acme/index.html")).unwrap(),
            b"acme 2"
        );
        assert_eq!(
            std::fs::read(dir.path().join("deals/q3/beta/index.html")).unwrap(),
            b"beta"
        );
        assert!(out.write("../outside.html", b"x").is_err());
        assert!(!dir.path().join("../outside.html").exists());
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert!(check_out_dir(&site, &site).is_err());
        assert!(check_out_dir(&site, dir.path()).is_err());
        assert!(check_out_dir(&site, &site.join("content")).is_err());
        assert!(check_out_dir(&site, &site.join("content/public")).is_err());
        assert!(check_out_dir(&site, Path::new("/")).is_err());
        assert!(check_out_dir(&site, &site.join("..").join("site")).is_err());
        assert!(check_out_dir(&site, &site.join("public")).is_ok());
        assert!(check_out_dir(&site, &dir.path().join("elsewhere/out")).is_ok());
    }

    #[test]
    fn refuses_to_escape() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path()).unwrap();
        assert!(out.write("../x.html", b"x").is_err());
        assert!(out.write("a/../../x.html", b"x").is_err());
        out.write("a/b/index.html", b"hi").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("a/b/index.html")).unwrap(),
            b"hi"
        );
    }

    #[test]
    fn finish_removes_only_what_it_wrote_before() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path()).unwrap();
        std::fs::write(dir.path().join("CNAME"), "mine").unwrap();
        out.write("a/b/index.html", b"1").unwrap();
        out.write("c/index.html", b"2").unwrap();
        let all: BTreeSet<String> = ["a/b/index.html", "c/index.html"].map(String::from).into();
        out.finish(&all).unwrap();
        let fewer: BTreeSet<String> = ["c/index.html"].map(String::from).into();
        out.finish(&fewer).unwrap();
        assert!(!dir.path().join("a").exists(), "empty folders are removed");
        assert!(dir.path().join("c/index.html").is_file());
        assert!(
            dir.path().join("CNAME").is_file(),
            "files it did not write are kept"
        );
    }
}

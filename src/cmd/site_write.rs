//! The one way a command writes a file inside a site.
//!
//! `import`, `new` and `init` write into a folder whose contents a
//! contributor controls. A committed symbolic link
//! (`content/deals/globex-renewal.md -> ~/.ssh/authorized_keys`, dangling
//! until something writes through it) or a linked folder
//! (`content/deals -> /elsewhere`) would otherwise turn "write a note" into
//! "write any file the user can write". So every file those commands write
//! goes through [`write`], which:
//!
//! - takes a path relative to the site folder made only of plain names (no
//!   `..`, no root, no `.`): either one name directly in the site folder
//!   (`coachbook.toml`, `.gitignore`: what `init` writes) or a path under
//!   `content/`;
//! - refuses a symbolic link at any place below the site folder, folder or
//!   file (the site folder itself may be a link: the user chose it on the
//!   command line, a contributor did not), and anything that is not a
//!   folder where a folder belongs; missing folders are made one at a time,
//!   so none is made through a link;
//! - checks that the folder the file goes into, with every link resolved,
//!   is inside the site's `content/` (or is the site folder);
//! - creates a file with `O_CREAT | O_EXCL | O_NOFOLLOW` ([`How::CreateNew`]),
//!   which never opens an existing file or link; and replaces a file
//!   ([`How::Replace`]) only after checking that it is a regular file, by
//!   writing the new text to a new file beside it and renaming that over
//!   it, so the old file is never opened for writing.
//!
//! [`inspect`] runs the same checks without writing anything, for plans
//! and dry runs.
//!
//! What is left: a process that can change the site folder while the
//! command runs could swap a checked folder for a link between the check
//! and the write. That process can already write into the site; the threat
//! here is content that is committed, which does not change under us.

use std::ffi::OsStr;
use std::fmt;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// How [`write`] treats the file at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Make a new file; fail with [`WriteError::Exists`] if anything is there.
    CreateNew,
    /// Replace an existing regular file (a note being updated).
    Replace,
}

/// What is at a path, when it may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing (or folders on the way that are still to be made).
    Nothing,
    /// A regular file.
    File,
}

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The path is not one coachbook may write: a symbolic link on the way,
    /// something that is not a folder where a folder belongs, a path that
    /// leaves the site's `content/` folder.
    Refused { path: PathBuf, why: String },
    /// [`How::CreateNew`], and something is already there.
    Exists(PathBuf),
    /// The file system said no.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused { path, why } => {
                write!(f, "refused to write {}: {why}", path.display())
            }
            WriteError::Exists(path) => {
                write!(f, "{} already exists; it is left as it is", path.display())
            }
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl From<WriteError> for String {
    fn from(e: WriteError) -> String {
        e.to_string()
    }
}

/// Writes `bytes` to `site/rel`, making the folders on the way, after the
/// checks in the module documentation; returns `site/rel`.
pub fn write(site: &Path, rel: &Path, bytes: &[u8], how: How) -> Result<PathBuf, WriteError> {
    let full = site.join(rel);
    let found = check(site, rel, true)?;
    match (how, found) {
        (How::CreateNew, Found::File) => Err(WriteError::Exists(full)),
        (How::CreateNew, Found::Nothing) => create_new(&full, bytes).map(|_| full),
        (How::Replace, Found::File) => replace(&full, bytes).map(|_| full),
        (How::Replace, Found::Nothing) => Err(WriteError::Io {
            path: full,
            error: std::io::Error::new(ErrorKind::NotFound, "the file to update is gone"),
        }),
    }
}

/// What [`write`] would find at `site/rel`, or why it would refuse; writes
/// nothing.
pub fn inspect(site: &Path, rel: &Path) -> Result<Found, WriteError> {
    check(site, rel, false)
}

/// The checks of [`write`]; with `make`, also makes the missing folders.
fn check(site: &Path, rel: &Path, make: bool) -> Result<Found, WriteError> {
    let full = site.join(rel);
    let refuse = |why: String| WriteError::Refused {
        path: full.clone(),
        why,
    };
    let io = |path: &Path, error: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let names: Vec<&OsStr> = rel
        .components()
        .map(|c| match c {
            Component::Normal(n) => Ok(n),
            _ => Err(refuse(
                "only plain names inside the site may be written (no `..`, `.` or root)".into(),
            )),
        })
        .collect::<Result<_, _>>()?;
    let Some((_, folders)) = names.split_last() else {
        return Err(refuse("the path is empty".into()));
    };
    if folders.first().is_some_and(|f| *f != OsStr::new("content")) {
        return Err(refuse("notes are only written under content/".into()));
    }
    let root = std::fs::canonicalize(site).map_err(|e| io(site, e))?;

    // Every folder on the way: a real folder, never a link; made if missing.
    let mut dir = site.to_path_buf();
    let mut all_there = true;
    for name in folders {
        dir.push(name);
        if !all_there {
            continue; // below a folder still to be made: nothing to look at
        }
        match std::fs::symlink_metadata(&dir) {
            Ok(m) => not_a_link_or_file(&dir, &m, true).map_err(&refuse)?,
            Err(e) if e.kind() == ErrorKind::NotFound && make => match std::fs::create_dir(&dir) {
                Ok(()) => {}
                // Made meanwhile: look again, and take it only if it is a folder.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let m = std::fs::symlink_metadata(&dir).map_err(|e| io(&dir, e))?;
                    not_a_link_or_file(&dir, &m, true).map_err(&refuse)?;
                }
                Err(e) => return Err(io(&dir, e)),
            },
            Err(e) if e.kind() == ErrorKind::NotFound => all_there = false,
            Err(e) => return Err(io(&dir, e)),
        }
    }

    // The folder the file goes into, with every link resolved, is inside
    // content/ (or is the site folder, for init's top-level files).
    if all_there {
        let parent = std::fs::canonicalize(&dir).map_err(|e| io(&dir, e))?;
        let inside = if folders.is_empty() {
            parent == root
        } else {
            parent.starts_with(root.join("content"))
        };
        if !inside {
            return Err(refuse(format!(
                "{} resolves to {}, outside the site's {}",
                dir.display(),
                parent.display(),
                if folders.is_empty() {
                    "folder"
                } else {
                    "content/ folder"
                }
            )));
        }
    } else {
        return Ok(Found::Nothing);
    }

    match std::fs::symlink_metadata(&full) {
        Ok(m) => {
            not_a_link_or_file(&full, &m, false).map_err(&refuse)?;
            Ok(Found::File)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Found::Nothing),
        Err(e) => Err(io(&full, e)),
    }
}

/// Ok if `m` (of `path`) is a folder (`folder`) or a regular file (not
/// `folder`); else why not.
fn not_a_link_or_file(path: &Path, m: &std::fs::Metadata, folder: bool) -> Result<(), String> {
    let t = m.file_type();
    // The file itself is named by the error already.
    let what = if folder {
        format!("the folder {}", path.display())
    } else {
        "it".to_string()
    };
    if t.is_symlink() {
        Err(format!(
            "{what} is a symbolic link, and coachbook never writes through one"
        ))
    } else if folder && !t.is_dir() {
        Err(format!("{} is not a folder", path.display()))
    } else if !folder && !t.is_file() {
        Err(format!("{what} is not a regular file"))
    } else {
        Ok(())
    }
}

/// Options that open a new file only: never an existing file, never a link.
fn new_file_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    // O_EXCL already refuses a link in the last place; O_NOFOLLOW says so
    // twice.
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    o
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut f = new_file_options().open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
        _ => WriteError::Io {
            path: path.to_path_buf(),
            error: e,
        },
    })?;
    if let Err(e) = f.write_all(bytes) {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(WriteError::Io {
            path: path.to_path_buf(),
            error: e,
        });
    }
    Ok(())
}

/// Writes a new file beside `path` and renames it over `path`. A rename
/// replaces whatever is at `path` (even a link that appeared since the
/// check) and never writes into it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let Some(dir) = path.parent() else {
        return Err(io(std::io::Error::new(
            ErrorKind::InvalidInput,
            "no parent folder",
        )));
    };
    let permissions = std::fs::symlink_metadata(path).map_err(io)?.permissions();
    // Hidden and ending in .tmp: the loader and the watcher skip it.
    let mut attempt = 0;
    let (tmp, mut f) = loop {
        // Not named after the note: a long note name would make it too long.
        let tmp = dir.join(format!(".coachbook-{}-{attempt}.tmp", std::process::id()));
        match new_file_options().open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(io(e)),
        }
    };
    let written = f
        .write_all(bytes)
        .and_then(|()| f.set_permissions(permissions))
        .and_then(|()| f.sync_all());
    drop(f);
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("content/deals")).unwrap();
        d
    }

    fn refused(r: Result<impl fmt::Debug, WriteError>) -> String {
        match r {
            Err(e @ WriteError::Refused { .. }) => e.to_string(),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn creates_folders_and_files_and_never_overwrites() {
        let s = site();
        let rel = Path::new("content/reps/ana.md");
        assert_eq!(inspect(s.path(), rel).unwrap(), Found::Nothing);
        write(s.path(), rel, b"one", How::CreateNew).unwrap();
        assert_eq!(inspect(s.path(), rel).unwrap(), Found::File);
        assert!(matches!(
            write(s.path(), rel, b"two", How::CreateNew),
            Err(WriteError::Exists(_))
        ));
        write(s.path(), rel, b"three", How::Replace).unwrap();
        assert_eq!(
            std::fs::read_to_string(s.path().join(rel)).unwrap(),
            "three"
        );
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(s.path().join("content/reps"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ana.md"]);
        write(s.path(), Path::new("coachbook.toml"), b"", How::CreateNew).unwrap();
    }

    #[test]
    fn refuses_links_anywhere_and_paths_that_leave_content() {
        let s = site();
        let out = tempfile::tempdir().unwrap();
        let victim = out.path().join("victim");
        // A dangling link in the last place.
        symlink(&victim, s.path().join("content/deals/x.md")).unwrap();
        let why = refused(write(
            s.path(),
            Path::new("content/deals/x.md"),
            b"k",
            How::CreateNew,
        ));
        assert!(
            why.ends_with("x.md: it is a symbolic link, and coachbook never writes through one"),
            "{why}"
        );
        refused(write(
            s.path(),
            Path::new("content/deals/x.md"),
            b"k",
            How::Replace,
        ));
        refused(inspect(s.path(), Path::new("content/deals/x.md")));
        // A linked folder, existing or not.
        symlink(out.path(), s.path().join("content/reps")).unwrap();
        refused(write(
            s.path(),
            Path::new("content/reps/a.md"),
            b"k",
            How::CreateNew,
        ));
        symlink(out.path().join("nope"), s.path().join("content/calls")).unwrap();
        refused(write(
            s.path(),
            Path::new("content/calls/sub/a.md"),
            b"k",
            How::CreateNew,
        ));
        // Not plain names, or not under content/.
        for bad in [
            "content/../x.md",
            "/etc/x",
            "public/x.md",
            "./content/x.md",
            "",
        ] {
            refused(write(s.path(), Path::new(bad), b"k", How::CreateNew));
        }
        assert!(!victim.exists());
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_linked_content_folder_is_refused_but_a_linked_site_folder_is_not() {
        let s = site();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir(s.path().join("real")).unwrap();
        std::fs::rename(s.path().join("content"), elsewhere.path().join("content")).unwrap();
        symlink(elsewhere.path().join("content"), s.path().join("content")).unwrap();
        refused(write(
            s.path(),
            Path::new("content/deals/a.md"),
            b"k",
            How::CreateNew,
        ));
        // The user may point at the site through a link of their own.
        let link = elsewhere.path().join("site-link");
        symlink(elsewhere.path(), &link).unwrap();
        write(&link, Path::new("content/deals/a.md"), b"k", How::CreateNew).unwrap();
        assert!(elsewhere.path().join("content/deals/a.md").is_file());
    }

    #[test]
    fn replacing_keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let s = site();
        let p = s.path().join("content/deals/a.md");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(
            s.path(),
            Path::new("content/deals/a.md"),
            b"new",
            How::Replace,
        )
        .unwrap();
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o640);
    }
}

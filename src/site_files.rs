//! Reading the site's own files without leaving the site.
//!
//! A site is a shared repository: a contributor can commit a symbolic
//! link (`data/questions.toml -> /proc/self/environ`, `content -> ~`), and
//! a `git pull` can bring one while `serve` runs. coachbook reads only
//! what is inside the site folder, so every file it reads below the site
//! (configuration, templates, data, notes) is checked here: no component
//! between the site folder and the file may be a symbolic link, and the
//! file is opened with `O_NOFOLLOW` so a link swapped in after the check
//! is not followed either. The site folder itself is the user's choice on
//! the command line and may be reached through links.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a path under the site was not read.
#[derive(Debug)]
pub enum Refused {
    /// This component (a path under the site) is a symbolic link.
    Symlink(PathBuf),
    /// The file could not be opened or read.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Symlink(p) => write!(
                f,
                "{} is a symbolic link; coachbook reads only files inside the site and does not follow links",
                p.display()
            ),
            Refused::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
        }
    }
}

/// The first component of `path` below `site` that is a symbolic link
/// (checked with `lstat`, never following one). `path` must lie under
/// `site`; a path outside it is reported as itself.
pub fn symlink_below(site: &Path, path: &Path) -> Option<PathBuf> {
    let Ok(rel) = path.strip_prefix(site) else {
        return Some(path.to_path_buf());
    };
    let mut at = site.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Some(at),
            Ok(_) => {}
            // A component that does not exist is not a link; what follows
            // it does not exist either.
            Err(_) => return None,
        }
    }
    None
}

/// Whether `path` (under `site`) is a real folder: it exists, is a folder,
/// and neither it nor any folder between it and `site` is a link.
pub fn is_real_dir(site: &Path, path: &Path) -> bool {
    symlink_below(site, path).is_none() && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Opens a file for reading without following a link in its last
/// component (the caller has checked the folders above it).
pub fn open_nofollow(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    o.open(path)
}

/// Opens a regular file for reading: never through a link in its last
/// component, and never blocking on a FIFO or a device (opened
/// non-blocking, then checked to be a regular file). Its size comes with
/// it, from the same `fstat`.
pub fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        o.custom_flags(flags.bits() as i32);
    }
    let file = o.open(path).map_err(|e| match refusal(path, e) {
        Refused::Symlink(_) => {
            io::Error::other("it is a symbolic link, which coachbook does not follow")
        }
        Refused::Io(_, e) => e,
    })?;
    let (is_file, len) = kind_and_len(&file)?;
    if !is_file {
        return Err(io::Error::other("not a regular file"));
    }
    Ok((file, len))
}

/// Whether `file` is a regular file, and its length: `fstat` on Unix
/// (`File::metadata` asks `statx` with an empty path, a path lookup of
/// its own; a large build opens each note up to three times).
#[cfg(unix)]
fn kind_and_len(file: &File) -> io::Result<(bool, u64)> {
    let st = rustix::fs::fstat(file)?;
    let is_file =
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile;
    Ok((is_file, u64::try_from(st.st_size).unwrap_or(0)))
}

#[cfg(not(unix))]
fn kind_and_len(file: &File) -> io::Result<(bool, u64)> {
    let meta = file.metadata()?;
    Ok((meta.is_file(), meta.len()))
}

/// Reads the file at `path` (under `site`) as bytes, refusing links.
/// `Ok(None)` when it does not exist.
pub fn read(site: &Path, path: &Path) -> Result<Option<Vec<u8>>, Refused> {
    if let Some(link) = symlink_below(site, path) {
        return Err(Refused::Symlink(link));
    }
    let mut f = match open_nofollow(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(refusal(path, e)),
    };
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .map_err(|e| Refused::Io(path.to_path_buf(), e))?;
    Ok(Some(bytes))
}

/// Reads the file at `path` (under `site`) as UTF-8 text, refusing links.
/// `Ok(None)` when it does not exist.
pub fn read_to_string(site: &Path, path: &Path) -> Result<Option<String>, Refused> {
    match read(site, path)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Refused::Io(
                path.to_path_buf(),
                io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"),
            )
        }),
    }
}

/// `O_NOFOLLOW` on a link fails with `ELOOP`: say it is a link.
fn refusal(path: &Path, e: io::Error) -> Refused {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        return Refused::Symlink(path.to_path_buf());
    }
    Refused::Io(path.to_path_buf(), e)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_anywhere_below_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let outside = dir.path().join("secret.txt");
        std::fs::create_dir_all(site.join("data")).unwrap();
        std::fs::write(&outside, "TOKEN=1").unwrap();
        std::fs::write(site.join("data/ok.toml"), "a = 1").unwrap();
        symlink(&outside, site.join("data/questions.toml")).unwrap();
        symlink(dir.path(), site.join("templates")).unwrap();

        let ok = read_to_string(&site, &site.join("data/ok.toml")).unwrap();
        assert_eq!(ok.as_deref(), Some("a = 1"));
        assert!(matches!(
            read(&site, &site.join("data/questions.toml")),
            Err(Refused::Symlink(_))
        ));
        assert!(matches!(
            read(&site, &site.join("templates/secret.txt")),
            Err(Refused::Symlink(p)) if p == site.join("templates")
        ));
        assert!(read(&site, &site.join("data/missing.toml"))
            .unwrap()
            .is_none());
        assert!(!is_real_dir(&site, &site.join("templates")));
        assert!(is_real_dir(&site, &site.join("data")));
    }

    #[test]
    fn notes_open_only_as_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("n.md");
        std::fs::write(&note, "x").unwrap();
        assert!(open_regular(&note).is_ok());
        // A link swapped in for a note after it was listed.
        symlink(&note, dir.path().join("l.md")).unwrap();
        let e = open_regular(&dir.path().join("l.md")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        // A FIFO is refused at once instead of blocking the build.
        let fifo = dir.path().join("f.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = open_regular(&fifo).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[test]
    fn the_last_component_is_not_followed_even_unchecked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t"), "x").unwrap();
        symlink(dir.path().join("t"), dir.path().join("l")).unwrap();
        assert!(open_nofollow(&dir.path().join("l")).is_err());
        assert!(matches!(
            refusal(
                &dir.path().join("l"),
                open_nofollow(&dir.path().join("l")).unwrap_err()
            ),
            Refused::Symlink(_)
        ));
    }
}

//! Which files are notes: the site's `content/` folder, the one rule for
//! a note file, and the sorted list of them (no symbolic link followed).

use super::*;

/// Skips editor temp and swap files, hidden files and folders.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The site's `content/` folder: it must exist and be a real folder (a
/// symbolic link would make coachbook read outside the site).
pub fn content_dir(site_dir: &Path) -> Result<PathBuf, crate::config::SetupError> {
    use crate::config::SetupError;
    let dir = site_dir.join("content");
    if let Some(link) = crate::site_files::symlink_below(site_dir, &dir) {
        return Err(SetupError::Refused(crate::site_files::Refused::Symlink(
            link,
        )));
    }
    if !dir.is_dir() {
        return Err(SetupError::NoContent(site_dir.to_path_buf()));
    }
    Ok(dir)
}

/// The one rule for which file is a note, given its name and its own
/// type (never the type of what a link points to): a regular file named
/// `*.md` that is not hidden or an editor's temp file. Both the cold
/// build ([`note_files`]) and `serve`'s changed paths ([`is_note_file`])
/// use it, so a symbolic link is never a note on either path.
fn is_note(name: &std::ffi::OsStr, file_type: std::fs::FileType) -> bool {
    file_type.is_file()
        && !is_ignored_name(&name.to_string_lossy())
        && Path::new(name).extension().is_some_and(|x| x == "md")
}

/// The order of `WalkDir::sort_by_file_name` (siblings by name, byte by
/// byte), without parsing each path again on every comparison: an
/// entry's path is its folder's joined with its name, so on Unix its name
/// is what follows the last `/` (`file_name()` finds the same, component
/// by component, and that was 1.4% of a build's instructions).
pub fn by_file_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        fn name(e: &walkdir::DirEntry) -> &[u8] {
            let p = e.path().as_os_str().as_bytes();
            match p.iter().rposition(|c| *c == b'/') {
                Some(i) => &p[i + 1..],
                None => p,
            }
        }
        name(a).cmp(name(b))
    }
    #[cfg(not(unix))]
    {
        a.file_name().cmp(b.file_name())
    }
}

/// Every note file under `content_dir`, sorted by path. Symlinks are not
/// followed, so nothing outside the content folder is read.
pub fn note_files(content_dir: &Path) -> Vec<PathBuf> {
    // Each folder's entries sorted by name, depth first, is the order of
    // the paths sorted whole, component by component; sorting 100,000
    // paths afterwards (`Path`'s comparison parses both paths each time)
    // was two thirds of the walk.
    walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by(by_file_name)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| is_note(e.file_name(), e.file_type()))
        .map(|e| e.into_path())
        .collect()
}

/// Whether `path` is a note file of the site at `site_dir`, by the same
/// rule as [`note_files`]: under `content/`, in no hidden folder, reached
/// through no symbolic link, and a note by [`is_note`].
pub fn is_note_file(site_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site_dir.join("content")) else {
        return false;
    };
    let in_hidden_folder = rel
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    !in_hidden_folder
        && crate::site_files::symlink_below(site_dir, path).is_none()
        && path.file_name().is_some_and(|name| {
            std::fs::symlink_metadata(path).is_ok_and(|m| is_note(name, m.file_type()))
        })
}

#[cfg(test)]
mod tests {
    use super::by_file_name;

    /// `by_file_name` walks in the order `sort_by_file_name` does.
    #[test]
    fn walks_in_the_order_of_sort_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "a/x.md", "a-b/y.md", "a.b/z.md", "B/w.md", "ä/v.md", "a/b/c.md", "a b.md", "_.md",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let walk = |w: walkdir::WalkDir| -> Vec<std::path::PathBuf> {
            w.into_iter().map(|e| e.unwrap().into_path()).collect()
        };
        let want = walk(walkdir::WalkDir::new(dir.path()).sort_by_file_name());
        let got = walk(walkdir::WalkDir::new(dir.path()).sort_by(by_file_name));
        assert_eq!(got, want);
        assert_eq!(got.len(), 15);
    }

    /// The walk lists notes in the order of their paths sorted whole.
    #[test]
    fn note_files_come_sorted_by_path() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "a/x.md",
            "a-b/y.md",
            "a.b/z.md",
            "B/w.md",
            "ä/v.md",
            "a/b/c.md",
            "a b.md",
            "_.md",
            "a/b.md",
            "a/b c/d.md",
            "a/b-c/e.md",
            "a/b/c/d.md",
            "Z.md",
            "z/a.md",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let got = super::note_files(dir.path());
        let mut want = got.clone();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(got.len(), 14);
    }
}

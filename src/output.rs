//! Writing the site: files go into the output folder, created as needed.
//! A file whose bytes are unchanged is not rewritten, so a rebuild touches
//! only what changed and file watchers downstream stay quiet.

use std::io;
use std::path::{Path, PathBuf};

/// The output folder of one build.
pub struct Output {
    root: PathBuf,
}

impl Output {
    pub fn new(root: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(root)?;
        Ok(Output {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` to `rel` (a `/`-separated path inside the output
    /// folder). Paths that would leave the folder are refused.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Ok(old) = std::fs::read(&path) {
            if old == bytes {
                return Ok(());
            }
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)
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

    /// Copies every file of `from` (recursively) into the output folder.
    pub fn copy_dir(&self, from: &Path) -> io::Result<usize> {
        let mut n = 0;
        if !from.is_dir() {
            return Ok(0);
        }
        for entry in walkdir::WalkDir::new(from).follow_links(false) {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::content::rel_path(from, entry.path());
            let bytes = std::fs::read(entry.path())?;
            self.write(&rel, &bytes)?;
            n += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

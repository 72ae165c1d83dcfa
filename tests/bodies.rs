//! A cold build keeps note bodies in memory only up to a budget
//! (`build::BODY_BUDGET`); past it, bodies are read again from their files
//! when the search index and the pages need them. With no budget at all
//! (`COACHBOOK_BODY_BUDGET=0`, every body read again) a build must write
//! exactly what a build with every body in memory writes, and report the
//! same problems: embeds, sections and blocks of other notes, raw HTML
//! warnings, the search index.

mod common;
use common::*;
use std::path::Path;

fn build_with_budget(site: &Path, budget: Option<&str>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut cmd = bin();
    cmd.args(["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .args(["--format", "json"])
        .env("NO_COLOR", "1");
    if let Some(b) = budget {
        cmd.env("COACHBOOK_BODY_BUDGET", b);
    }
    let o = cmd.output().unwrap();
    (dir, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn bodies_read_again_from_disk_build_the_same_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for site in [
        ".",
        "tests/sites/vault",
        "tests/sites/invalid",
        "tests/sites/valid",
    ] {
        let site = root.join(site);
        let (kept, kept_err) = build_with_budget(&site, None);
        let (reread, reread_err) = build_with_budget(&site, Some("0"));
        let (a, b) = (
            tree(&kept.path().join("public")),
            tree(&reread.path().join("public")),
        );
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{}",
            site.display()
        );
        for (path, bytes) in &a {
            assert!(b[path] == *bytes, "{}: {path} differs", site.display());
        }
        // The same problems, except the line with the build's time.
        let diags = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| l.starts_with('{'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(diags(&kept_err), diags(&reread_err), "{}", site.display());
    }
}

/// A body changed between loading and rendering (another process editing
/// the file during the build) is never silently shown from the new text:
/// its links and anchors came from the old one.
#[test]
fn a_body_read_again_must_be_the_one_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("content/n.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // A byte-order mark and CRLF line ends: read again the way the loader
    // reads them.
    std::fs::write(
        &file,
        "\u{feff}---\r\ntitle: N\r\n---\r\nSee [[Other]].\r\n",
    )
    .unwrap();
    let opts = coachbook::content::LoadOptions::default();
    let (note, _) = coachbook::content::read_note(dir.path(), &file, &opts);
    let mut note = note.unwrap();
    let loaded = note.body.loaded().unwrap().clone();
    assert_eq!(&*loaded, "See [[Other]].\n");
    note.body.release();
    assert!(note.body.loaded().is_none());
    assert_eq!(coachbook::content::body_text(&note).unwrap(), loaded);
    // The frontmatter may change (the body is what is checked)...
    std::fs::write(&file, "---\ntitle: Renamed\n---\nSee [[Other]].\n").unwrap();
    assert_eq!(coachbook::content::body_text(&note).unwrap(), loaded);
    // ...the body may not.
    std::fs::write(&file, "---\ntitle: N\n---\nSee [[Another]].\n").unwrap();
    let e = coachbook::content::body_text(&note).unwrap_err();
    assert!(
        e.contains("content/n.md changed while the site was being built"),
        "{e}"
    );
    std::fs::remove_file(&file).unwrap();
    assert!(coachbook::content::body_text(&note).is_err());
}

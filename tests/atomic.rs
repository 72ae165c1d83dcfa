//! Atomic output: a build killed at any moment leaves the previous site
//! complete; a folder coachbook did not build is never replaced; the
//! manifest of what it wrote is kept beside the site, not published in it.

mod common;
use common::*;
use std::time::Duration;

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn siblings(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_killed_build_leaves_the_previous_site_complete() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let s = site.path().to_str().unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", public.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let before = snapshot(&public);
    // Make the next build long enough to kill halfway.
    for i in 0..4000 {
        std::fs::write(
            site.path().join(format!("content/handbook/page-{i}.md")),
            format!(
                "---\ntitle: Page {i}\ntags: [t{}]\n---\n{}\n",
                i % 50,
                "Some text. ".repeat(80)
            ),
        )
        .unwrap();
    }
    for delay in [150u64, 400, 900] {
        let mut child = bin()
            .args(["build", s, "-o", public.to_str().unwrap()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            break; // finished before the kill: nothing more to learn here
        }
        assert_eq!(snapshot(&public), before, "killed after {delay} ms");
    }
    // The next build succeeds and leaves no staging folders behind.
    let (code, stderr, _) = run(&["build", s, "-o", public.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(public.join("pages/page-3999/index.html").is_file());
    // Beside it: the site it replaced, kept as the spare copy, and nothing
    // of the killed builds.
    assert_eq!(
        siblings(out.path()),
        [
            ".public.coachbook-spare",
            ".public.coachbook-state",
            "public"
        ]
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_build() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("precious.txt"), "mine").unwrap();
    let (code, stderr, _) = run(&[
        "build",
        site.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("holds files coachbook did not write"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("precious.txt")).unwrap(),
        "mine"
    );
}

/// The valid fixture copied, and built once into `<out>/public`.
fn built_valid_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let s = site.path().to_str().unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", public.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (site, out)
}

#[test]
fn files_added_to_the_output_by_hand_survive_rebuilds() {
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    std::fs::write(public.join("CNAME"), "coaching.example.com").unwrap();
    std::fs::create_dir_all(public.join(".well-known")).unwrap();
    std::fs::write(public.join(".well-known/security.txt"), "Contact: x").unwrap();
    std::fs::write(public.join("reps/notes-by-hand.txt"), "mine").unwrap();
    // A name that is not UTF-8 (allowed on Linux) is kept too.
    use std::os::unix::ffi::OsStrExt;
    let odd = public.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&odd, "mine").unwrap();
    for _ in 0..3 {
        let (code, stderr, _) = run(&["build", s, "-o", o]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            std::fs::read_to_string(public.join("CNAME")).unwrap(),
            "coaching.example.com"
        );
        assert!(public.join(".well-known/security.txt").is_file());
        assert!(public.join("reps/notes-by-hand.txt").is_file());
        assert!(odd.is_file());
        assert!(public.join("index.html").is_file());
    }
}

#[test]
fn a_hand_made_file_where_the_site_now_has_a_page_stops_the_build() {
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    std::fs::create_dir_all(public.join("pages/brand-new")).unwrap();
    std::fs::write(public.join("pages/brand-new/index.html"), "mine").unwrap();
    let before = snapshot(&public);
    std::fs::write(
        site.path().join("content/brand-new.md"),
        "---\ntitle: Brand new\n---\nText.\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("was not written by coachbook"), "{stderr}");
    assert!(stderr.contains("brand-new"), "{stderr}");
    assert_eq!(snapshot(&public), before, "the site is left as it was");
}

#[test]
fn a_rebuild_writes_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    let stamp = |rel: &str| {
        let m = std::fs::metadata(public.join(rel)).unwrap();
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let first = stamp("metrics/index.html");
    let pages = snapshot(&public);
    // The second build fills a new folder; the third is built over the
    // spare copy, which is the first build's folder.
    for _ in 0..2 {
        let (code, stderr, _) = run(&["build", s, "-o", o]);
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(snapshot(&public), pages);
    assert_eq!(
        stamp("metrics/index.html"),
        first,
        "an unchanged page is not rewritten"
    );
    // A changed note still shows.
    let tag_page = "tags/brand-new-tag/index.html";
    assert!(!public.join(tag_page).exists());
    std::fs::write(
        site.path().join("content/tagged.md"),
        "---\ntitle: Tagged\ntags: [brand-new-tag]\n---\nText.\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    assert!(public.join(tag_page).is_file());
    assert!(public.join("pages/tagged/index.html").is_file());
}

/// The manifest kept beside `public`, without its first line (the folder's
/// identity).
fn kept_manifest(out: &std::path::Path) -> Vec<String> {
    let text =
        std::fs::read_to_string(out.join(".public.coachbook-state/manifest")).unwrap_or_default();
    text.lines().skip(1).map(String::from).collect()
}

#[test]
fn the_manifest_is_not_published() {
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    std::fs::write(public.join("CNAME"), "coaching.example.com").unwrap();
    for _ in 0..3 {
        let (code, stderr, _) = run(&["build", s, "-o", o]);
        assert_eq!(code, 0, "{stderr}");
        let hidden: Vec<String> = snapshot(&public)
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.split('/').any(|seg| seg.starts_with('.')))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
        let kept = kept_manifest(out.path());
        assert!(kept.contains(&"index.html".to_string()), "{kept:?}");
        assert!(!kept.contains(&"CNAME".to_string()), "{kept:?}");
        assert!(public.join("CNAME").is_file());
    }
    // The spare copy, never published, keeps its own inside.
    assert!(out
        .path()
        .join(".public.coachbook-spare/.coachbook-manifest")
        .is_file());
}

#[test]
fn an_output_folder_with_the_manifest_inside_is_taken_over() {
    // As an older coachbook (or `serve -o`) left it: the manifest inside.
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    let mut listed = kept_manifest(out.path());
    listed.push("pages/deleted-note/index.html".into());
    std::fs::create_dir_all(public.join("pages/deleted-note")).unwrap();
    std::fs::write(public.join("pages/deleted-note/index.html"), "old").unwrap();
    std::fs::write(public.join(".coachbook-manifest"), listed.join("\n") + "\n").unwrap();
    std::fs::remove_dir_all(out.path().join(".public.coachbook-state")).unwrap();
    let _ = std::fs::remove_dir_all(out.path().join(".public.coachbook-spare"));
    std::fs::write(public.join("CNAME"), "coaching.example.com").unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!public.join(".coachbook-manifest").exists());
    assert!(
        !public.join("pages/deleted-note").exists(),
        "a page it wrote is gone"
    );
    assert!(
        public.join("CNAME").is_file(),
        "a file it did not write stays"
    );
    assert!(kept_manifest(out.path()).contains(&"index.html".to_string()));
}

#[test]
fn a_build_killed_during_its_swap_leaves_the_right_manifest() {
    // Killed after the exchange, before renaming manifest.new: the kept
    // `manifest` is the old site's (another folder), `manifest.new` this one's.
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    let state = out.path().join(".public.coachbook-state");
    std::fs::rename(state.join("manifest"), state.join("manifest.new")).unwrap();
    std::fs::write(
        state.join("manifest"),
        "coachbook manifest v1 of folder 1-1\nCNAME\nindex.html\n",
    )
    .unwrap();
    std::fs::write(public.join("CNAME"), "coaching.example.com").unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(public.join("CNAME")).unwrap(),
        "coaching.example.com",
        "a stale manifest must not claim a file coachbook did not write"
    );
    assert!(!state.join("manifest.new").exists());
}

#[test]
fn a_folder_made_again_by_hand_is_not_taken_for_the_built_one() {
    let (site, out) = built_valid_site();
    let public = out.path().join("public");
    let (s, o) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    // The manifest kept beside names the old folder; ext4 even gives the
    // new one the same inode number, but not the same creation time.
    std::fs::remove_dir_all(&public).unwrap();
    std::fs::create_dir(&public).unwrap();
    std::fs::write(public.join("index.html"), "mine").unwrap();
    let (code, stderr, _) = run(&["build", s, "-o", o]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("holds files coachbook did not write"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("index.html")).unwrap(),
        "mine"
    );
}

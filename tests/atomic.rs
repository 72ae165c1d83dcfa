//! Atomic output: a build killed at any moment leaves the previous site
//! complete; a folder coachbook did not build is never replaced.

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
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["public"]);
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

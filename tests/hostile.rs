//! Hostile notes: the build finishes, reports, and writes only inside the
//! output folder. Never a panic (exit code 101).

mod common;
use common::*;

#[test]
fn hostile_notes_never_crash_and_never_escape() {
    let site = tempfile::tempdir().unwrap();
    let c = site.path().join("content");
    std::fs::create_dir_all(&c).unwrap();
    let w = |name: &str, text: &[u8]| std::fs::write(c.join(name), text).unwrap();
    // A YAML alias bomb ("billion laughs").
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names: Vec<char> = ('a'..='l').collect();
    for w in names.windows(2) {
        let (p, n) = (w[0], w[1]);
        bomb.push_str(&format!(
            "{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    bomb.push_str("---\n");
    w("bomb.md", bomb.as_bytes());
    w(
        "deep.md",
        format!(
            "---\ntitle: {}{}\n---\n",
            "[".repeat(5000),
            "]".repeat(5000)
        )
        .as_bytes(),
    );
    w(
        "many-links.md",
        format!(
            "---\ntitle: Links\n---\n{}",
            "see [[nowhere]] ".repeat(5_000)
        )
        .as_bytes(),
    );
    w(
        "long-line.md",
        format!("---\ntitle: Long\n---\n{}\n", "x".repeat(500_000)).as_bytes(),
    );
    w(
        "binary.md",
        &(0..=255u8).cycle().take(10_000).collect::<Vec<u8>>(),
    );
    w("empty.md", b"");
    w(
        "escape.md",
        b"---\nslug: ../../../outside\ntitle: Escape\n---\n",
    );
    w(
        "absolute.md",
        b"---\nslug: /etc/passwd\ntitle: Absolute\n---\n",
    );
    w("huge-numbers.md", b"---\ntype: deal\nname: D\naccount: A\nowner: r\nvalue: 1e400\nstage: commit\ncreated: 9999-12-31\nclose_date: 9999-12-31\nprobability: .nan\n---\n");
    w(
        "rep.md",
        b"---\ntype: rep\nname: R\nteam: T\nstart_date: 0001-01-01\nquota: 1e308\n---\n",
    );
    w(
        "forecast.md",
        b"---\ntype: forecast\nowner: rep\nperiod: 9999-Q4\ncommit: 1e308\n---\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", c.join("loop")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", c.join("passwd.md")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let (code, stderr, _) = run(&[
        "build",
        site.path().to_str().unwrap(),
        "-o",
        public.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{}", &stderr[stderr.len().saturating_sub(2000)..]);
    let (code, _, _) = run(&["check", site.path().to_str().unwrap(), "--strict"]);
    assert_eq!(code, 1, "--strict fails on the problems");
    assert!(
        stderr.contains("repetition limit exceeded") || stderr.contains("recursion limit"),
        "alias bomb refused"
    );
    assert!(
        stderr.contains("more broken-link problems in this file"),
        "capped"
    );
    assert!(stderr.lines().count() < 2000, "output stays readable");
    assert!(!stderr.contains("root:"), "nothing read from /etc/passwd");
    // Everything written is inside the output folder (and its manifest,
    // kept beside it).
    let mut entries: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, [".public.coachbook-state", "public"]);
    assert!(public.join("pages/outside/index.html").is_file());
    assert!(public.join("pages/etc-passwd/index.html").is_file());
    assert!(!site.path().join("outside").exists());
}

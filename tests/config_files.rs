//! The site's own files (configuration, templates, data, the content
//! folder) are read only when they are inside the site: a committed
//! symbolic link to a secret is refused, and no error quotes a line of a
//! file that is not a note. A `base_url` that could load script from
//! another host is a configuration error.

mod common;
use common::*;
use std::path::Path;

/// Runs `coachbook build SITE` with a secret in the environment;
/// returns (exit code, stderr).
fn build_site(site: &Path) -> (i32, String) {
    let out = tempfile::tempdir().unwrap();
    let o = bin()
        .args([
            "build",
            site.to_str().unwrap(),
            "-o",
            out.path().join("public").to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .env("COACHBOOK_TEST_SECRET", "hunter2xyzzy")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn linked_configuration_templates_data_and_content_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    std::fs::write(&secret, "SECRET_TOKEN = \"hunter2xyzzy\"\n").unwrap();
    std::fs::create_dir_all(outside.path().join("tpl")).unwrap();
    std::fs::write(outside.path().join("tpl/base.html"), "{{ hunter2xyzzy }").unwrap();

    type Setup<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: Vec<(&str, Setup)> = vec![
        (
            "coachbook.toml",
            Box::new(|s: &Path| {
                std::fs::remove_file(s.join("coachbook.toml")).unwrap();
                symlink(&secret, s.join("coachbook.toml")).unwrap();
            }),
        ),
        (
            "data/questions.toml",
            Box::new(|s: &Path| {
                std::fs::create_dir_all(s.join("data")).unwrap();
                symlink("/proc/self/environ", s.join("data/questions.toml")).unwrap();
            }),
        ),
        (
            "data",
            Box::new(|s: &Path| {
                std::fs::create_dir_all(outside.path().join("data")).unwrap();
                std::fs::copy(&secret, outside.path().join("data/questions.toml")).unwrap();
                symlink(outside.path().join("data"), s.join("data")).unwrap();
            }),
        ),
        (
            "templates",
            Box::new(|s: &Path| symlink(outside.path().join("tpl"), s.join("templates")).unwrap()),
        ),
        (
            "templates/base.html",
            Box::new(|s: &Path| {
                std::fs::create_dir_all(s.join("templates")).unwrap();
                symlink(&secret, s.join("templates/base.html")).unwrap();
            }),
        ),
        (
            "content",
            Box::new(|s: &Path| {
                std::fs::rename(s.join("content"), outside.path().join("content")).unwrap();
                symlink(outside.path().join("content"), s.join("content")).unwrap();
            }),
        ),
    ];
    for (what, make) in cases {
        let site = copy_site("valid");
        make(site.path());
        let (code, err) = build_site(site.path());
        assert_eq!(code, 2, "{what}: {err}");
        assert!(err.contains("symbolic link"), "{what}: {err}");
        assert!(err.contains(what), "{what}: {err}");
        assert!(
            !err.contains("hunter2xyzzy"),
            "{what} echoed the secret: {err}"
        );
    }
}

#[test]
fn configuration_errors_do_not_quote_the_file() {
    let site = copy_site("valid");
    let toml = site.path().join("coachbook.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\nAPI_KEY hunter2xyzzy\n")).unwrap();
    let (code, err) = build_site(site.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("coachbook.toml: line "), "{err}");
    assert!(!err.contains("hunter2xyzzy"), "{err}");

    let site = copy_site("valid");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(
        site.path().join("data/questions.toml"),
        "[meddpicc]\nmetrics = \"x\"\nhunter2xyzzy\n",
    )
    .unwrap();
    let (code, err) = build_site(site.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("questions.toml: line 3"), "{err}");
    assert!(!err.contains("hunter2xyzzy"), "{err}");
}

/// `base_url = "https://coach.example.com/\\evil.example"` made every page
/// load `/\evil.example/search.js`, which browsers fetch from
/// `evil.example`.
#[test]
fn a_base_url_that_leaves_the_host_is_a_configuration_error() {
    for base in [
        "https://coach.example.com/\\\\evil.example",
        "https://coach.example.com/\\tevil.example",
        "https://coach.example.com//evil.example",
        "/\\\\evil.example",
    ] {
        let site = copy_site("valid");
        let toml = site.path().join("coachbook.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let text = text.replace(
            "base_url = \"https://example.org/coach\"",
            &format!("base_url = \"{base}\""),
        );
        assert!(text.contains(base));
        std::fs::write(&toml, text).unwrap();
        let (code, err) = build_site(site.path());
        assert_eq!(code, 2, "{base}: {err}");
        assert!(err.contains("base_url"), "{base}: {err}");
    }
}

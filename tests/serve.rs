//! The dev server over real HTTP on 127.0.0.1, with real file writes.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[allow(clippy::zombie_processes)] // killed and waited for in Drop
fn start(site: &Path, extra: &[&str]) -> Server {
    let out = site.join("served");
    let mut child = bin()
        .args([
            "serve",
            site.to_str().unwrap(),
            "--port",
            "0",
            "-o",
            out.to_str().unwrap(),
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server did not start");
        if let Some(rest) = line.strip_prefix("Serving ") {
            let url = rest.split_whitespace().next().unwrap().to_string();
            return Server {
                child,
                base: url,
                log: rx,
            };
        }
    }
}

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.get(url).call().unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

/// A raw request, so the path reaches the server exactly as written.
fn raw_get(base: &str, path: &str) -> u16 {
    get_with_host(base, path, host_of(base)).0
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT/prefix/`.
fn host_of(base: &str) -> &str {
    base.trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serves_edits_overlays_errors_and_recovers() {
    let site = copy_site("valid");
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    assert!(base.ends_with("/coach/"), "{base}");
    let (code, page) = get(&format!("{base}deals/d3/"));
    assert_eq!(code, 200);
    assert!(page.contains("__coachbook/livereload.js"));
    assert!(page.contains("€200,000"));

    // An edit shows up.
    let note = site.path().join("content/deals/d3.md");
    let good = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, good.replace("value: 200000", "value: 210000")).unwrap();
    wait_for("the edited value", || {
        get(&format!("{base}deals/d3/")).1.contains("€210,000")
    });
    // A word added to the body reaches the search index (written after
    // the reload).
    std::fs::write(
        &note,
        good.replace("value: 200000", "value: 210000") + "\nZanzibarish procurement detour.\n",
    )
    .unwrap();
    wait_for("the new word in the search index", || {
        search_text(&site.path().join("served")).contains("\"zanzibarish\"")
    });
    // The rep's pipeline, which lists the deal, too.
    assert!(get(&format!("{base}reps/ana-silva/pipeline/"))
        .1
        .contains("€210,000"));
    let (_, status) = get(&format!("{base}__coachbook/status"));
    assert!(status.contains("\"errors\":[]"), "{status}");
    assert!(
        !status.contains("\"version\":1"),
        "the version moves on: {status}"
    );

    // A half-typed save: the last good page stays, the state names the error.
    std::fs::write(&note, good.replace("value: 200000", "value: [21")).unwrap();
    wait_for("the error state", || {
        get(&format!("{base}__coachbook/status"))
            .1
            .contains("content/deals/d3.md")
    });
    let (_, status) = get(&format!("{base}__coachbook/status"));
    assert!(status.contains("\"line\":"), "{status}");
    assert!(get(&format!("{base}deals/d3/")).1.contains("€210,000"));

    // Fixing it clears the error.
    std::fs::write(&note, good.replace("value: 200000", "value: 220000")).unwrap();
    wait_for("recovery", || {
        get(&format!("{base}__coachbook/status"))
            .1
            .contains("\"errors\":[]")
    });
    assert!(get(&format!("{base}deals/d3/")).1.contains("€220,000"));

    // A new note appears; a deleted one disappears and links to it break.
    let new = site.path().join("content/notes/new-one.md");
    std::fs::write(&new, "---\ntype: coaching\ntitle: Fresh one-to-one\nrep: ben-okoro\ndate: 2026-06-29\ntakeaway: \"Name the next step before hanging up\"\n---\n").unwrap();
    wait_for("the new note", || {
        get(&format!("{base}coaching/new-one/")).0 == 200
    });
    // The pages of one rebuild are written in parallel: the new page can
    // be served a moment before the rep's page of the same rebuild (the
    // live reload fires only after both).
    wait_for("the rep page listing the new note", || {
        get(&format!("{base}reps/ben-okoro/"))
            .1
            .contains("Name the next step before hanging up")
    });
    std::fs::remove_file(site.path().join("content/notes/c1.md")).unwrap();
    wait_for("the deleted note to go", || {
        get(&format!("{base}coaching/c1/")).0 == 404
    });
    let (_, guide) = get(&format!("{base}pages/discovery/"));
    assert!(
        guide.contains("broken-link"),
        "the link to it is now broken"
    );
    drop(server);
}

#[test]
fn atomic_saves_and_editor_temp_files() {
    let site = copy_site("valid");
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    let note = site.path().join("content/deals/d6.md");
    let text = std::fs::read_to_string(&note).unwrap();
    // Write a temp file, then rename it over the note (most editors).
    let tmp = site.path().join("content/deals/.d6.md.swp");
    std::fs::write(&tmp, text.replace("value: 120000", "value: 130000")).unwrap();
    std::fs::rename(&tmp, &note).unwrap();
    wait_for("the renamed save", || {
        get(&format!("{base}deals/d6/")).1.contains("€130,000")
    });
    // vim: remove, then create.
    std::fs::remove_file(&note).unwrap();
    std::fs::write(&note, text.replace("value: 120000", "value: 140000")).unwrap();
    wait_for("the recreated note", || {
        get(&format!("{base}deals/d6/")).1.contains("€140,000")
    });
    // Temp files are never notes.
    std::fs::write(site.path().join("content/deals/4913"), "junk").unwrap();
    std::fs::write(site.path().join("content/deals/d6.md~"), "junk").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(get(&format!("{base}__coachbook/status"))
        .1
        .contains("\"errors\":[]"));
    drop(server);
}

#[test]
fn serves_nothing_outside_the_site() {
    let site = copy_site("valid");
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    for path in [
        "/coach/../secret.txt",
        "/coach/%2e%2e/secret.txt",
        "/coach/%2e%2e%2fsecret.txt",
        "/coach/..%2f..%2fsecret.txt",
        "/coach//etc/passwd",
        "/coach/%2fetc%2fpasswd",
        "/coach/C:%5cWindows",
        "/../../etc/passwd",
    ] {
        let code = raw_get(&base, path);
        assert!(code == 404 || code == 400, "{path}: {code}");
    }
    let (code, body) = get(&format!("{base}no/such/page/"));
    assert_eq!(code, 404);
    assert!(
        body.contains("This page does not exist"),
        "the theme's 404 page"
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let css = agent.get(&format!("{base}style.css")).call().unwrap();
    assert_eq!(css.headers().get("content-type").unwrap(), "text/css");
    let json = agent.get(&format!("{base}metrics.json")).call().unwrap();
    assert_eq!(
        json.headers().get("content-type").unwrap(),
        "application/json"
    );
    drop(server);
}

#[test]
fn polling_watcher_sees_changes() {
    let site = copy_site("valid");
    let server = start(site.path(), &["--poll"]);
    let base = server.base.clone();
    // The poller takes its first look at the files in the background.
    std::thread::sleep(Duration::from_millis(1000));
    let note = site.path().join("content/deals/d6.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replace("value: 120000", "value: 125000")).unwrap();
    wait_for("the polled change", || {
        get(&format!("{base}deals/d6/")).1.contains("€125,000")
    });
    // One line per rebuild: what changed, what was rebuilt, how long.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut saw = false;
    while Instant::now() < deadline {
        if let Ok(l) = server.log.recv_timeout(Duration::from_millis(200)) {
            if l.starts_with("Changed content/deals/d6.md: rebuilt ") && l.contains(" ms ") {
                saw = true;
                break;
            }
        }
    }
    assert!(saw, "a rebuild line");
    drop(server);
}

#[test]
fn template_changes_rebuild_everything() {
    let site = copy_site("valid");
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Custom missing page</h1>{% endblock content %}",
    )
    .unwrap();
    wait_for("the new template", || {
        get(&format!("{base}nope/"))
            .1
            .contains("Custom missing page")
    });
    drop(server);
}

/// A request with the given `Host` header; returns (status, body).
fn get_with_host(base: &str, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(host_of(base)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    let code = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, buf)
}

/// A web page the manager visits can DNS-rebind its own name to
/// 127.0.0.1 and read the site: only this server's own names are answered.
#[test]
fn answers_only_its_own_host_names() {
    let site = copy_site("valid");
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    let port = base.rsplit_once(':').unwrap().1.split('/').next().unwrap();
    for path in [
        "/coach/metrics.json",
        "/coach/__coachbook/status",
        "/coach/reps/ana-silva/",
        "/coach/__coachbook/events",
    ] {
        for host in [
            format!("evil.example:{port}"),
            format!("127.0.0.1.nip.io:{port}"),
            "127.0.0.1:1".to_string(),
            String::new(),
        ] {
            let (code, body) = get_with_host(&base, path, &host);
            assert_eq!(code, 421, "{host} {path}");
            assert!(!body.contains("ana-silva"), "{host} {path}");
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (code, body) = get_with_host(&base, "/coach/metrics.json", &host);
        assert_eq!(code, 200, "{host}");
        assert!(body.contains("ana-silva"), "{host}");
    }
    drop(server);
}

/// A path segment longer than a file name may be is a 404, not a 500;
/// dotfiles are never served.
#[test]
fn long_and_hidden_paths_are_not_found() {
    let site = copy_site("valid");
    let server = start(site.path(), &[]);
    let base = server.base.clone();
    for path in [
        format!("/coach/{}", "a".repeat(256)),
        format!("/coach/deals/{}/", "%41".repeat(300)),
        "/coach/.coachbook-manifest".to_string(),
        "/coach/%2egit/config".to_string(),
    ] {
        let (code, body) = get_with_host(&base, &path, host_of(&base));
        assert_eq!(code, 404, "{path}");
        assert!(body.contains("This page does not exist"), "{path}");
    }
    drop(server);
}

/// A symbolic link that appears while `serve` runs (`ln -s
/// ~/.aws/credentials content/leak.md`, or a `git pull` that brings one)
/// is neither built, served nor indexed: the same file filter as a cold
/// build.
#[cfg(unix)]
#[test]
fn links_that_appear_while_serving_are_not_published() {
    use std::os::unix::fs::symlink;
    let site = copy_site("valid");
    let outside = tempfile::tempdir().unwrap();
    let secret_note = "---\ntype: page\ntitle: Leaked credentials\n---\nawsqwertysecret token\n";
    std::fs::write(outside.path().join("credentials"), secret_note).unwrap();
    std::fs::create_dir_all(outside.path().join("vault")).unwrap();
    std::fs::write(outside.path().join("vault/inner.md"), secret_note).unwrap();
    let server = start(site.path(), &[]);
    let base = server.base.clone();

    let note = site.path().join("content/deals/d3.md");
    let text = std::fs::read_to_string(&note).unwrap();
    let mut value = 200_000;
    // After each step, an ordinary edit: once it shows, every event before
    // it has been handled.
    let mut settle = |what: &str| {
        value += 1000;
        std::fs::write(
            &note,
            text.replace("value: 200000", &format!("value: {value}")),
        )
        .unwrap();
        let shown = format!("€{},{:03}", value / 1000, value % 1000);
        wait_for(what, || get(&format!("{base}deals/d3/")).1.contains(&shown));
        // The search index is written after the pages.
        std::thread::sleep(Duration::from_millis(300));
    };
    let leaked = |site: &Path| {
        let index = search_text(&site.join("served"));
        if index.contains("awsqwertysecret") || index.contains("Leaked credentials") {
            return Some("the search index".to_string());
        }
        for e in walkdir::WalkDir::new(site.join("served")) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let body = std::fs::read(e.path()).unwrap();
                if String::from_utf8_lossy(&body).contains("awsqwertysecret") {
                    return Some(e.path().display().to_string());
                }
            }
        }
        ["leak/", "pages/leak/", "pages/inner/", "pages/d6/"]
            .into_iter()
            .find(|p| get(&format!("{base}{p}")).0 != 404)
            .map(str::to_string)
    };

    // A new link to a file outside.
    symlink(
        outside.path().join("credentials"),
        site.path().join("content/leak.md"),
    )
    .unwrap();
    settle("the edit after the new link");
    assert_eq!(leaked(site.path()), None);

    // A note replaced by a link to outside the site leaves the site.
    let d6 = site.path().join("content/deals/d6.md");
    std::fs::remove_file(&d6).unwrap();
    symlink(outside.path().join("credentials"), &d6).unwrap();
    settle("the edit after the replaced note");
    assert_eq!(get(&format!("{base}deals/d6/")).0, 404);
    assert_eq!(leaked(site.path()), None);

    // A linked folder.
    symlink(
        outside.path().join("vault"),
        site.path().join("content/vault"),
    )
    .unwrap();
    settle("the edit after the linked folder");
    assert_eq!(leaked(site.path()), None);
    drop(server);
}

/// `serve` stopped with SIGTERM (a service manager, `kill`) removes its
/// temporary site like Ctrl-C does.
#[cfg(unix)]
#[test]
fn sigterm_removes_the_temporary_site() {
    let site = copy_site("valid");
    let tmp = tempfile::tempdir().unwrap();
    let mut child = bin()
        .args(["serve", site.path().to_str().unwrap(), "--port", "0"])
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("serve did not start").unwrap();
        if line.starts_with("Serving ") {
            break;
        }
    }
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().count() > 0,
        "the site is built under TMPDIR"
    );
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A `base_url` that axum's router would take as a route parameter makes
/// `serve` refuse the configuration (exit 2), never panic (exit 101).
#[test]
fn route_syntax_in_base_url_is_a_config_error() {
    for base in [
        "https://h/:x",
        "https://h/*x",
        "https://h/{x}",
        "/a/{*rest}",
    ] {
        let site = copy_site("valid");
        let toml = site.path().join("coachbook.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("base_url"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&toml, format!("base_url = {base:?}\n{text}")).unwrap();
        let out = bin()
            .args(["serve", site.path().to_str().unwrap(), "--port", "0"])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{base}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("base_url"), "{base}: {err}");
    }
}

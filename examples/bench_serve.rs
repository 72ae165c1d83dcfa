//! Measures `coachbook serve` from the save of one note to the moment its
//! rebuilt pages are servable (the live-reload event, which the server
//! sends only after every file of the rebuild is written), and then the
//! time to fetch the changed page, as a browser reload would.
//!
//! cargo run --release --example bench_serve -- SITE [ROUNDS]
//!
//! SITE is a generated corpus (see `examples/gen_corpus.rs`); the first
//! debrief under `content/debriefs/` is edited ROUNDS times (default 21).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(args.get(1).expect("usage: bench_serve SITE [ROUNDS]"));
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(21);
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("coachbook");
    let out = std::env::temp_dir().join("coachbook-bench-serve-out");
    let mut child = Command::new(&bin)
        .args([
            "serve",
            site.to_str().unwrap(),
            "--port",
            "0",
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("run coachbook serve (build it with cargo build --release first)");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("server exited").unwrap();
        eprintln!("{line}");
        if let Some(rest) = line.strip_prefix("Serving ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let hostport = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();

    // The event stream, read line by line.
    let mut events = TcpStream::connect(&hostport).unwrap();
    write!(
        events,
        "GET /__coachbook/events HTTP/1.1\r\nHost: {hostport}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    wait_event(&mut events); // the current state

    let note = first_debrief(&site);
    let original = std::fs::read_to_string(&note).unwrap();
    let id = note.file_stem().unwrap().to_string_lossy().into_owned();
    let mut to_servable = Vec::new();
    let mut to_fetched = Vec::new();
    for i in 0..rounds {
        std::thread::sleep(Duration::from_millis(300));
        let text = format!("{original}\nEdit {i}: the buyer asked for a second reference call.\n");
        let start = Instant::now();
        std::fs::write(&note, text).unwrap();
        wait_event(&mut events);
        let servable = start.elapsed();
        let body = fetch(&hostport, &format!("/debriefs/{id}/"));
        let fetched = start.elapsed();
        assert!(
            body.contains(&format!("Edit {i}:")),
            "the page shows the edit"
        );
        to_servable.push(servable);
        to_fetched.push(fetched);
    }
    std::fs::write(&note, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    report(
        "save -> pages servable (reload event sent)",
        &mut to_servable,
    );
    report(
        "save -> changed page fetched (browser reload)",
        &mut to_fetched,
    );
}

fn wait_event(r: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            panic!("event stream closed");
        }
        if line.starts_with("data:") {
            return;
        }
    }
}

fn fetch(hostport: &str, path: &str) -> String {
    let mut s = TcpStream::connect(hostport).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    buf
}

fn first_debrief(site: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/debriefs"))
        .expect("content/debriefs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files.into_iter().next().expect("a debrief")
}

fn report(what: &str, xs: &mut [Duration]) {
    xs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {} saves",
        ms(xs[xs.len() / 2]),
        ms(xs[0]),
        ms(xs[xs.len() - 1]),
        xs.len()
    );
}

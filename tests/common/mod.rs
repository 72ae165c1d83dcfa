//! Helpers for the integration tests: run the real binary on a fixture site
//! and read what it wrote.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_coachbook"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// Runs `coachbook ARGS` and returns (exit code, stderr).
pub fn run(args: &[&str]) -> (i32, String, Output) {
    let out = bin().args(args).env("NO_COLOR", "1").output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stderr).into_owned(), out)
}

/// Builds a fixture into a fresh temporary folder.
pub fn build(name: &str, extra: &[&str]) -> (tempfile::TempDir, i32, String) {
    build_at(&fixture(name), extra)
}

/// Builds the site at `site` into `public/` of a fresh temporary folder:
/// (that folder, exit code, stderr).
pub fn build_at(site: &Path, extra: &[&str]) -> (tempfile::TempDir, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut args = vec!["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, stderr, _) = run(&args);
    (dir, code, stderr)
}

/// Runs `coachbook ARGS` under a memory limit (address space, in KB, set
/// with `ulimit -v`) and a time limit after which it is killed, and
/// returns (exit code, stderr). The time limit is a guard against hangs,
/// not a benchmark: it fails the test by name instead of stalling it.
pub fn run_limited(args: &[&str], memory_kb: u64, timeout: std::time::Duration) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let err_path = dir.path().join("stderr");
    let err = std::fs::File::create(&err_path).unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {memory_kb} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_coachbook"))
        .args(args)
        .env("NO_COLOR", "1")
        // The memory a run needs grows with its threads: keep it fixed.
        .env("RAYON_NUM_THREADS", "2")
        .stdout(std::process::Stdio::null())
        .stderr(err)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("coachbook {args:?} still running after {timeout:?}: killed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    (status.code().unwrap_or(-1), stderr)
}

/// The diagnostics of a `--format json` run, one object per line.
pub fn json_diags(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d.get("code").is_some())
        .collect()
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("public").join(rel))
        .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

pub fn html(dir: &Path, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(dir, rel))
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel).collect()
}

pub fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Copies a fixture site into a temporary folder, to edit it in a test.
pub fn copy_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A small deterministic generator (xorshift), so failures replay.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// A character printed text must not carry raw: C0 controls but the tab,
/// DEL, C1 controls, line separators and bidi controls (the tests' own
/// copy of `coachbook::diagnostics::is_unsafe_char`).
pub fn is_terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// What the search index in the output folder `out` holds, as text: every
/// word quoted (`"word"`, one a line) and every result row as written
/// (`["title","url",...]`), for `contains` checks. See
/// `src/render/search/` for the files.
pub fn search_text(out: &Path) -> String {
    let data = out.join("search/data");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("manifest.json")).unwrap()).unwrap();
    // A small index is one file: its shards, then its chunks.
    let (shards, chunks) = match manifest["all"].as_str() {
        Some(all) => combined_parts(&std::fs::read(data.join(all)).unwrap()),
        None => {
            let docs = manifest["docs"].as_u64().unwrap() as usize;
            let chunk = manifest["chunk"].as_u64().unwrap() as usize;
            let shards = manifest["shards"].as_array().unwrap().iter();
            let read = |name: String| std::fs::read(data.join(name)).unwrap();
            (
                shards
                    .map(|s| read(s[3].as_str().unwrap().into()))
                    .collect(),
                (0..docs.div_ceil(chunk))
                    .map(|c| read(format!("d-{c}.json")))
                    .collect(),
            )
        }
    };
    let mut text = String::new();
    for bytes in shards {
        for term in shard_terms(&bytes) {
            text.push_str(&format!("\"{term}\"\n"));
        }
    }
    for bytes in chunks {
        text.push_str(&String::from_utf8(bytes).unwrap());
    }
    text
}

/// LEB128 varint at `pos` of `b`.
fn varint_at(b: &[u8], pos: &mut usize) -> usize {
    let (mut v, mut shift) = (0usize, 0);
    loop {
        let x = b[*pos];
        *pos += 1;
        v |= usize::from(x & 0x7f) << shift;
        if x < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// The shards and the chunks of a small index's one file (a count, then
/// each one's length and bytes; shards, then chunks).
fn combined_parts(bytes: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut pos = 0;
    let mut part = || {
        let n = varint_at(bytes, &mut pos);
        (0..n)
            .map(|_| {
                let len = varint_at(bytes, &mut pos);
                pos += len;
                bytes[pos - len..pos].to_vec()
            })
            .collect::<Vec<_>>()
    };
    let shards = part();
    (shards, part())
}

/// The words of a search shard (a count, then per word its length, its
/// bytes, its encoding byte, its postings' length and bytes; varints).
pub fn shard_terms(bytes: &[u8]) -> Vec<String> {
    let varint = varint_at;
    let mut pos = 0;
    let n = varint(bytes, &mut pos);
    let mut out = Vec::new();
    for _ in 0..n {
        let len = varint(bytes, &mut pos);
        out.push(String::from_utf8(bytes[pos..pos + len].to_vec()).unwrap());
        pos += len + 1;
        let len = varint(bytes, &mut pos);
        pos += len;
    }
    out
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

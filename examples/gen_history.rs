//! Turns a generated site (`examples/gen_corpus.rs`) into a git repository
//! with a realistic history, for the "what changed" benchmark.
//!
//! ```text
//! cargo run --release --example gen_history -- SITE_DIR [--commits 2000] [--files 3] [--seed 1]
//! ```
//!
//! The site as generated is the first commit; each of the next commits
//! edits a few open deals (a stage advanced, a close date slipped or
//! pulled in, a value changed), dated evenly over the 400 days before the
//! site's `as_of` (from its `coachbook.toml`), and the working tree is left
//! at the last commit. Objects are written with gitoxide: no `git` program
//! needed. Only the trees on the path of a changed file are rewritten, so
//! 2,000 commits over 10,000 notes take seconds. The same input and seed
//! give the same commits.

use gix::objs::tree::{Entry, EntryKind};
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const OPEN: &[&str] = &[
    "prospecting",
    "discovery",
    "solution",
    "proposal",
    "negotiation",
    "commit",
];

/// Every file below `dir` (no `.git`, no `public`), by `/` path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git" && e.file_name() != "public")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.insert(key, std::fs::read(e.path()).unwrap_or_default());
    }
    out
}

/// The value after `key: ` on its line.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
}

fn set(text: &str, key: &str, value: &str) -> String {
    text.lines()
        .map(
            |l| match l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")) {
                Some(_) => format!("{key}: {value}"),
                None => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// One realistic edit of an open deal; `None` for a closed one.
fn edit(text: &str, rng: &mut Rng) -> Option<String> {
    let stage = field(text, "stage")?;
    let i = OPEN.iter().position(|s| *s == stage)?;
    Some(match rng.below(4) {
        0 if i + 1 < OPEN.len() => set(text, "stage", OPEN[i + 1]),
        1 | 0 => {
            let close =
                chrono::NaiveDate::parse_from_str(field(text, "close_date")?, "%Y-%m-%d").ok()?;
            let created =
                chrono::NaiveDate::parse_from_str(field(text, "created")?, "%Y-%m-%d").ok()?;
            let shift = rng.below(60) as i64 - 20;
            let moved = (close + chrono::Duration::days(shift)).max(created);
            set(text, "close_date", &moved.to_string())
        }
        _ => {
            let value: f64 = field(text, "value")?.parse().ok()?;
            let factor = 0.8 + rng.below(41) as f64 / 100.0;
            set(text, "value", &format!("{}", (value * factor).round()))
        }
    })
}

/// Trees by folder (`""` the root), each a sorted map of its entries.
struct Trees {
    dirs: BTreeMap<String, BTreeMap<String, (bool, ObjectId)>>,
}

impl Trees {
    fn parent(dir: &str) -> Option<(&str, &str)> {
        if dir.is_empty() {
            return None;
        }
        Some(dir.rsplit_once('/').unwrap_or(("", dir)))
    }

    fn put(&mut self, repo: &gix::Repository, path: &str, bytes: &[u8]) -> String {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let id = repo.write_blob(bytes).expect("write blob").detach();
        self.dirs
            .entry(dir.to_string())
            .or_default()
            .insert(name.to_string(), (false, id));
        let mut d = dir;
        while let Some((up, name)) = Self::parent(d) {
            self.dirs
                .entry(up.to_string())
                .or_default()
                .entry(name.to_string())
                .or_insert((true, ObjectId::null(gix::hash::Kind::Sha1)));
            d = up;
        }
        dir.to_string()
    }

    /// Rewrites the trees of `dirty` folders and their parents, deepest
    /// first; returns the root tree.
    fn write(&mut self, repo: &gix::Repository, dirty: BTreeSet<String>) -> ObjectId {
        let mut all = BTreeSet::new();
        for d in dirty {
            let mut d = d.as_str();
            all.insert(d.to_string());
            while let Some((up, _)) = Self::parent(d) {
                all.insert(up.to_string());
                d = up;
            }
        }
        let mut order: Vec<String> = all.into_iter().collect();
        order.sort_by_key(|d| {
            std::cmp::Reverse(d.matches('/').count() + usize::from(!d.is_empty()))
        });
        let mut root = ObjectId::null(gix::hash::Kind::Sha1);
        for d in order {
            let mut entries: Vec<Entry> = self.dirs[&d]
                .iter()
                .map(|(name, (is_tree, oid))| Entry {
                    mode: if *is_tree {
                        EntryKind::Tree.into()
                    } else {
                        EntryKind::Blob.into()
                    },
                    filename: name.as_str().into(),
                    oid: *oid,
                })
                .collect();
            entries.sort();
            let id = repo
                .write_object(gix::objs::Tree { entries })
                .expect("write tree")
                .detach();
            match Self::parent(&d) {
                Some((up, name)) => {
                    if let Some(e) = self.dirs.get_mut(up).and_then(|m| m.get_mut(name)) {
                        e.1 = id;
                    }
                }
                None => root = id,
            }
        }
        root
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site: Option<PathBuf> = None;
    let (mut commits, mut per, mut seed) = (2000usize, 3usize, 1u64);
    while let Some(a) = args.next() {
        let mut num = || args.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        match a.as_str() {
            "--commits" => commits = num(),
            "--files" => per = num().max(1),
            "--seed" => seed = num() as u64,
            _ => site = Some(PathBuf::from(a)),
        }
    }
    let Some(site) = site else {
        eprintln!("usage: gen_history SITE_DIR [--commits N] [--files K] [--seed S]");
        std::process::exit(2);
    };
    let config = std::fs::read_to_string(site.join("coachbook.toml")).unwrap_or_default();
    let as_of = config
        .lines()
        .find_map(|l| l.strip_prefix("as_of = "))
        .and_then(|d| {
            chrono::NaiveDate::parse_from_str(d.trim().trim_matches('"'), "%Y-%m-%d").ok()
        })
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let end = as_of
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
        - 86_400;
    let start = end - 400 * 86_400;
    let step = (end - start) / (commits.max(1) as i64);
    let _ = std::fs::remove_dir_all(site.join(".git"));
    let repo = gix::init(&site).expect("git init");
    std::fs::write(site.join(".git/HEAD"), "ref: refs/heads/main\n").expect("HEAD");
    let mut current = files(&site);
    let deals: Vec<String> = current
        .keys()
        .filter(|k| k.starts_with("content/deals/"))
        .cloned()
        .collect();
    let mut trees = Trees {
        dirs: BTreeMap::new(),
    };
    let mut dirty = BTreeSet::new();
    for (path, bytes) in &current {
        dirty.insert(trees.put(&repo, path, bytes));
    }
    let mut rng = Rng(seed);
    let mut parent: Option<ObjectId> = None;
    let mut changed_files = BTreeSet::new();
    for i in 0..=commits {
        if i > 0 {
            let mut edited = 0;
            let mut tries = 0;
            while edited < per && tries < 100 && !deals.is_empty() {
                tries += 1;
                let path = &deals[rng.below(deals.len())];
                let text = String::from_utf8_lossy(&current[path]).into_owned();
                if let Some(new) = edit(&text, &mut rng) {
                    dirty.insert(trees.put(&repo, path, new.as_bytes()));
                    current.insert(path.clone(), new.into_bytes());
                    changed_files.insert(path.clone());
                    edited += 1;
                }
            }
        }
        let tree = trees.write(&repo, std::mem::take(&mut dirty));
        let time = gix::date::Time {
            seconds: start + step * i as i64,
            offset: 0,
        };
        let sig = gix::actor::Signature {
            name: "Coach".into(),
            email: "coach@example.com".into(),
            time,
        };
        let commit = gix::objs::Commit {
            tree,
            parents: parent.into_iter().collect(),
            author: sig.clone(),
            committer: sig,
            encoding: None,
            message: format!("Pipeline update {i}\n").into(),
            extra_headers: Vec::new(),
        };
        parent = Some(repo.write_object(&commit).expect("write commit").detach());
    }
    let head = parent.expect("a commit");
    let refs = site.join(".git/refs/heads");
    std::fs::create_dir_all(&refs).expect("refs");
    std::fs::write(refs.join("main"), format!("{head}\n")).expect("ref");
    for path in &changed_files {
        std::fs::write(site.join(path), &current[path]).expect("checkout");
    }
    eprintln!(
        "{}: {} commits over {} files ({} deal files edited), HEAD {head}",
        site.display(),
        commits + 1,
        current.len(),
        changed_files.len()
    );
}

//! "What changed" (contract, fourth edition): a git repository made in a
//! temporary folder with gitoxide (no `git` program), with dated commits
//! that create, advance, slip, pull in, revalue, win, lose, move and delete
//! deals across a fiscal-quarter boundary of a February fiscal year, a
//! merge, a commit whose UTC date is a day after its local date, and an
//! invalid note in an old commit; then the real binary's metrics.json.

mod common;

use common::*;
use gix::ObjectId;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A repository built commit by commit from a map of files.
struct Repo {
    dir: tempfile::TempDir,
    repo: gix::Repository,
    files: BTreeMap<String, String>,
}

fn tree_of(repo: &gix::Repository, files: &BTreeMap<&str, &str>) -> ObjectId {
    use gix::objs::tree::{Entry, EntryKind};
    let mut here: Vec<Entry> = Vec::new();
    let mut dirs: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (path, text) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                dirs.entry(dir).or_default().insert(rest, text);
            }
            None => here.push(Entry {
                mode: EntryKind::Blob.into(),
                filename: (*path).into(),
                oid: repo.write_blob(text.as_bytes()).unwrap().detach(),
            }),
        }
    }
    for (dir, inner) in dirs {
        here.push(Entry {
            mode: EntryKind::Tree.into(),
            filename: dir.into(),
            oid: tree_of(repo, &inner),
        });
    }
    here.sort();
    repo.write_object(gix::objs::Tree { entries: here })
        .unwrap()
        .detach()
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = gix::init(dir.path()).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        Repo {
            dir,
            repo,
            files: BTreeMap::new(),
        }
    }

    fn put(&mut self, path: &str, text: &str) -> &mut Self {
        self.files.insert(path.to_string(), text.to_string());
        self
    }

    fn remove(&mut self, path: &str) -> &mut Self {
        self.files.remove(path);
        self
    }

    /// Commits the files with these parents, dated `seconds` since the
    /// epoch at `offset` seconds east of UTC; does not move HEAD.
    fn commit_with(&self, parents: &[ObjectId], seconds: i64, offset: i32) -> ObjectId {
        let files: BTreeMap<&str, &str> = self
            .files
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let sig = gix::actor::Signature {
            name: "Dana".into(),
            email: "dana@example.com".into(),
            time: gix::date::Time { seconds, offset },
        };
        let commit = gix::objs::Commit {
            tree: tree_of(&self.repo, &files),
            parents: parents.iter().copied().collect(),
            author: sig.clone(),
            committer: sig,
            encoding: None,
            message: "edit\n".into(),
            extra_headers: Vec::new(),
        };
        self.repo.write_object(&commit).unwrap().detach()
    }

    fn set_head(&self, id: ObjectId) {
        let refs = self.dir.path().join(".git/refs/heads");
        std::fs::create_dir_all(&refs).unwrap();
        std::fs::write(refs.join("main"), format!("{id}\n")).unwrap();
    }

    /// Commits on top of HEAD (`parent`) and moves HEAD there.
    fn commit(&self, parent: Option<ObjectId>, when: &str, offset: i32) -> ObjectId {
        let id = self.commit_with(&parent.into_iter().collect::<Vec<_>>(), secs(when), offset);
        self.set_head(id);
        id
    }

    /// Writes the files as the working tree.
    fn checkout(&self) {
        for (path, text) in &self.files {
            let p = self.dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` -> seconds since the epoch.
fn secs(when: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(when)
        .unwrap()
        .timestamp()
}

fn deal(name: &str, stage: &str, value: u32, close: &str) -> String {
    format!(
        "---\ntype: deal\nname: {name}\naccount: Acme\nowner: dana\nvalue: {value}\nstage: {stage}\ncreated: 2026-09-01\nclose_date: {close}\n---\nNotes.\n"
    )
}

const REP: &str =
    "---\ntype: rep\nname: Dana\nteam: East\nstart_date: 2025-01-06\nquota: 1000000\n---\n";
/// A February fiscal year: 2026-Q4 is November 2026 to January 2027.
const CONFIG: &str = "title = \"T\"\nas_of = 2026-11-30\nfiscal_year_start_month = 2\n";

struct History {
    repo: Repo,
    c1: ObjectId,
    c3: ObjectId,
    c3b: ObjectId,
}

/// The repository of the scenario, its working tree checked out with one
/// uncommitted edit.
fn scenario() -> History {
    let mut r = Repo::new();
    let d = |p: &str| format!("site/content/deals/{p}.md");
    r.put("README.md", "not the site\n")
        .put("site/coachbook.toml", CONFIG)
        .put("site/content/reps/dana.md", REP)
        .put(&d("adv"), &deal("Adv", "discovery", 100000, "2026-12-15"))
        .put(&d("slip"), &deal("Slip", "proposal", 200000, "2026-12-01"))
        .put(&d("pull"), &deal("Pull", "proposal", 50000, "2027-03-01"))
        .put(&d("reval"), &deal("Reval", "commit", 80000, "2026-12-20"))
        .put(&d("win"), &deal("Win", "commit", 120000, "2026-12-10"))
        .put(
            &d("lose"),
            &deal("Lose", "negotiation", 70000, "2026-11-25"),
        )
        .put(&d("gone"), &deal("Gone", "solution", 30000, "2026-12-05"))
        .put(&d("moved"), &deal("Moved", "proposal", 40000, "2026-12-12"))
        .put(
            &d("slip-in-q"),
            &deal("SlipInQ", "commit", 60000, "2026-12-18"),
        )
        .put(&d("bad"), "---\ntype: deal\nname: [\n---\n");
    // Q3 of the fiscal year (August to October).
    let c1 = r.commit(None, "2026-10-05T09:00:00Z", 0);
    r.put(
        &d("early"),
        &deal("Early", "discovery", 10000, "2026-11-30"),
    );
    let c2 = r.commit(Some(c1), "2026-10-31T18:00:00Z", 0);
    // Q4 from here on.
    r.put("site/content/pages/handbook.md", "# Handbook\n");
    let c3 = r.commit(Some(c2), "2026-11-20T12:00:00Z", 0);
    // 21:00 on 23 November in New York is 24 November in UTC: later than
    // `since`.
    r.put(&d("reval"), &deal("Reval", "commit", 85000, "2026-12-20"));
    let c3b = r.commit(Some(c3), "2026-11-24T02:00:00Z", -5 * 3600);
    // A side branch from C2, dated after C3 but before `since`, merged:
    // only the first-parent chain counts.
    let mut side = Repo {
        dir: tempfile::tempdir().unwrap(),
        repo: r.repo.clone(),
        files: BTreeMap::new(),
    };
    side.files = r.files.clone();
    side.files.remove("site/content/pages/handbook.md");
    side.put(&d("reval"), &deal("Reval", "commit", 80000, "2026-12-20"))
        .put(&d("adv"), &deal("Adv", "negotiation", 100000, "2026-12-15"));
    let s = side.commit_with(&[c2], secs("2026-11-22T10:00:00Z"), 0);
    r.put(&d("adv"), &deal("Adv", "negotiation", 100000, "2026-12-15"));
    let m = r.commit_with(&[c3b, s], secs("2026-11-25T10:00:00Z"), 0);
    r.set_head(m);
    r.put(&d("slip"), &deal("Slip", "proposal", 200000, "2027-02-15"))
        .put(&d("pull"), &deal("Pull", "proposal", 50000, "2027-01-10"))
        .put(&d("win"), &deal("Win", "closed_won", 120000, "2026-11-27"))
        .put(
            &d("lose"),
            &deal("Lose", "closed_lost", 70000, "2026-11-26"),
        )
        .put(
            &d("slip-in-q"),
            &deal("SlipInQ", "commit", 60000, "2026-12-28"),
        )
        .put(
            &d("fresh"),
            &deal("Fresh", "discovery", 25000, "2027-01-20"),
        )
        .remove(&d("gone"))
        .remove(&d("bad"))
        .remove(&d("moved"))
        .put(
            "site/content/deals/2026/moved.md",
            &deal("Moved", "commit", 40000, "2026-12-12"),
        );
    r.commit(Some(m), "2026-11-28T10:00:00Z", 0);
    // Uncommitted: "now" is the working tree.
    r.put(&d("reval"), &deal("Reval", "commit", 90000, "2026-12-20"));
    r.checkout();
    History {
        repo: r,
        c1,
        c3,
        c3b,
    }
}

fn metrics(site: &Path, extra: &[&str]) -> (Value, String, i32) {
    let (dir, code, stderr) = build_at(site, extra);
    let text = read(dir.path(), "metrics.json");
    (serde_json::from_str(&text).unwrap(), stderr, code)
}

#[test]
fn changes_waterfall_and_org_then() {
    let h = scenario();
    let (m, stderr, code) = metrics(&h.repo.site(), &["--strict"]);
    // The invalid note of the old commit warns once, and --strict passes.
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.matches("history-invalid-note").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("content/deals/bad.md"), "{stderr}");
    let c = &m["changes"];
    assert_eq!(c["since"], "2026-11-23");
    assert_eq!(c["commit"], h.c3.to_string());
    assert_ne!(c["commit"], h.c3b.to_string());
    let n = Value::Null;
    let e = |deal: &str, change: &str, from: Value, to: Value| json!({"deal": deal, "change": change, "from": from, "to": to});
    assert_eq!(
        c["deals"],
        json!([
            e("adv", "stage", json!("discovery"), json!("negotiation")),
            e("fresh", "new", n.clone(), n.clone()),
            e("gone", "removed", n.clone(), n.clone()),
            e("lose", "lost", n.clone(), n.clone()),
            e("moved", "stage", json!("proposal"), json!("commit")),
            e(
                "pull",
                "pulled_in",
                json!("2027-03-01"),
                json!("2027-01-10")
            ),
            e("reval", "value", json!(80000), json!(90000)),
            e("slip", "slipped", json!("2026-12-01"), json!("2027-02-15")),
            e(
                "slip-in-q",
                "slipped",
                json!("2026-12-18"),
                json!("2026-12-28")
            ),
            e("win", "won", n.clone(), n.clone()),
        ])
    );
    let w = &c["waterfall"];
    assert_eq!(
        *w,
        json!({"period": "2026-Q4", "start": 710000, "created": 25000,
               "pulled_in": 50000, "value_change": 10000, "won": 120000,
               "lost": 70000, "removed": 30000, "pushed_out": 200000,
               "end": 375000})
    );
    let f = |k: &str| w[k].as_f64().unwrap();
    assert_eq!(
        f("start") + f("created") + f("pulled_in") + f("value_change")
            - f("won")
            - f("lost")
            - f("removed")
            - f("pushed_out"),
        f("end")
    );
    // The org then: every deal open, as of since.
    let o = &c["org_then"];
    assert_eq!(o["open_deals"], 10);
    assert_eq!(o["open_pipeline"], 760000);
    assert_eq!(o["won_ytd"], 0);
    assert_eq!(m["org"]["won_ytd"], 120000);
    // `check` compares too, and `--since` picks another snapshot: the
    // first commit, in the previous quarter; the waterfall stays the
    // quarter of as_of.
    let (code, stderr, _) = run(&["check", h.repo.site().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("history-invalid-note").count(), 1);
    let (m, _, _) = metrics(&h.repo.site(), &["--since", "2026-10-20"]);
    assert_eq!(m["changes"]["commit"], h.c1.to_string());
    assert_eq!(m["changes"]["waterfall"]["period"], "2026-Q4");
    let kinds: Vec<(String, String)> = m["changes"]["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["deal"].as_str().unwrap().into(),
                d["change"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(kinds.contains(&("early".into(), "new".into())), "{kinds:?}");
}

#[test]
fn compare_days_moves_since() {
    let h = scenario();
    let toml = h.repo.site().join("coachbook.toml");
    std::fs::write(&toml, format!("{CONFIG}compare_days = 50\n")).unwrap();
    let (m, stderr, _) = metrics(&h.repo.site(), &[]);
    assert_eq!(m["changes"]["since"], "2026-10-11", "{stderr}");
    assert_eq!(m["changes"]["commit"], h.c1.to_string());
}

#[test]
fn no_history_is_null() {
    let h = scenario();
    // History that starts after since.
    let (m, _, code) = metrics(&h.repo.site(), &["--since", "2026-10-01"]);
    assert_eq!(code, 0);
    assert_eq!(m["changes"], Value::Null);
    // A shallow clone whose oldest commit is after since.
    let shallow = h.repo.dir.path().join(".git/shallow");
    std::fs::write(&shallow, format!("{}\n", h.c3b)).unwrap();
    let (m, _, _) = metrics(&h.repo.site(), &[]);
    assert_eq!(m["changes"], Value::Null);
    // ... and one deep enough.
    std::fs::write(&shallow, format!("{}\n", h.c3)).unwrap();
    let (m, _, _) = metrics(&h.repo.site(), &[]);
    assert_eq!(m["changes"]["commit"], h.c3.to_string());
    // No repository at all.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&h.repo.site(), copy.path());
    let (m, stderr, code) = metrics(copy.path(), &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(m["changes"], Value::Null);
    assert!(m.as_object().unwrap().contains_key("changes"));
}

#[test]
fn stepping_between_commits_reads_only_what_changed() {
    use coachbook::history::{self, git};
    let h = scenario();
    let site = h.repo.site();
    let repo = git::Repo::open(&site).unwrap();
    assert_eq!(repo.site_prefix, "site/");
    let opts = coachbook::content::LoadOptions::default();
    let empty = coachbook::model::Site::default();
    let first = repo.commit_at(chrono::NaiveDate::from_ymd_opt(2026, 10, 5).unwrap());
    let first = first.unwrap();
    assert_eq!(first.id, h.c1);
    let snap = history::read_snapshot(&repo, &site, first, &empty, &opts).unwrap();
    assert_eq!(snap.parsed, 11);
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let c3 = repo.commit_at(at).unwrap();
    let stepped = history::step(&repo, &site, snap, c3.clone(), &opts).unwrap();
    // C2 added one deal and C3 one page: two files read.
    assert_eq!(stepped.parsed, 2);
    let direct = history::read_snapshot(&repo, &site, c3, &empty, &opts).unwrap();
    assert_eq!(direct.parsed, 13);
    let paths = |s: &history::Snapshot| s.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&stepped), paths(&direct));
    assert_eq!(stepped.notes(), direct.notes());
    // Against the current site, only files whose bytes differ are parsed.
    let now = coachbook::build::analyse(&site, None).unwrap();
    let c3 = repo.commit_at(at).unwrap();
    let reused = history::read_snapshot(&repo, &site, c3, &now.site, &opts).unwrap();
    // Changed since C3: adv, slip, pull, reval, win, lose, slip-in-q;
    // gone, bad, moved are not in the working tree.
    assert_eq!(reused.parsed, 10);
}

#[test]
fn serve_compares_edits_as_now_and_follows_head() {
    use coachbook::incremental::Session;
    let h = scenario();
    let site = h.repo.site();
    let out = tempfile::tempdir().unwrap();
    let (mut s, _) = Session::new_since(&site, out.path(), None, None, false).unwrap();
    let changes = || -> Value {
        let text = std::fs::read_to_string(out.path().join("metrics.json")).unwrap();
        serde_json::from_str::<Value>(&text).unwrap()["changes"].clone()
    };
    assert_eq!(changes()["commit"], h.c3.to_string());
    // An uncommitted save is "now".
    let reval = site.join("content/deals/reval.md");
    std::fs::write(&reval, deal("Reval", "commit", 95000, "2026-12-20")).unwrap();
    s.apply(std::slice::from_ref(&reval)).unwrap();
    assert_eq!(changes()["waterfall"]["value_change"], 15000);
    assert_eq!(changes()["commit"], h.c3.to_string());
    // HEAD moved (reset to the first commit): the next rebuild reads the
    // snapshot again.
    h.repo.set_head(h.c1);
    std::fs::write(&reval, deal("Reval", "commit", 96000, "2026-12-20")).unwrap();
    s.apply(std::slice::from_ref(&reval)).unwrap();
    assert_eq!(changes()["commit"], h.c1.to_string());
    assert_eq!(changes()["waterfall"]["value_change"], 16000);
    // The pages that show the comparison were rendered again.
    let page = std::fs::read_to_string(out.path().join("changes/index.html")).unwrap();
    assert!(page.contains("$96,000"), "{page}");
    let forecast = std::fs::read_to_string(out.path().join("forecast/index.html")).unwrap();
    assert!(forecast.contains("+$16,000"), "{forecast}");
    // The edited deal's page shows its own change again.
    let reval = std::fs::read_to_string(out.path().join("deals/reval/index.html")).unwrap();
    assert!(reval.contains("$80,000 → $96,000"), "{reval}");
}

/// `$1,234` / `+$1,234` / `−$1,234` -> the signed number.
fn money(s: &str) -> f64 {
    let neg = s.starts_with('\u{2212}');
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let v: f64 = digits.parse().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

/// The rows of the waterfall's data table: (step, signed value, running
/// total).
fn waterfall_rows(page: &str) -> Vec<(String, f64, f64)> {
    let start = page
        .find("<figure class=\"chart\"><figcaption>Pipeline waterfall")
        .unwrap();
    let fig = &page[start..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    let body = &fig[fig.find("<tbody>").unwrap()..];
    body.split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|r| {
            let label = r[..r.find("</th>").unwrap()].to_string();
            let cells: Vec<f64> = r
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| money(&c[..c.find("</td>").unwrap()]))
                .collect();
            (label, cells[0], cells[1])
        })
        .collect()
}

#[test]
fn changes_page_lists_every_change_by_team_and_rep() {
    let h = scenario();
    let (dir, code, stderr) = build_at(&h.repo.site(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "changes/index.html");
    assert!(page.contains("Since 2026-11-23"), "{page}");
    assert!(page.contains(&h.c3.to_string()[..12]));
    // One row per change, of each kind.
    let kinds: Vec<&str> = page
        .split("<tr data-change=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert_eq!(
        kinds,
        // Dana's deals (East), by deal id: the removed deal is hers too,
        // as the snapshot said.
        [
            "stage",
            "new",
            "removed",
            "lost",
            "stage",
            "pulled_in",
            "value",
            "slipped",
            "slipped",
            "won"
        ]
    );
    // Grouped by team and rep: Dana in East; no deal without an owner.
    let east = page.find(">East</a>").unwrap();
    let dana = page.find(">Dana</a></h4>").unwrap();
    assert!(east < dana);
    assert!(!page.contains("No team") && !page.contains("No owner"));
    // The removed deal's owner and team are the snapshot's.
    let gone = {
        let at = page
            .find("gone <span class=\"muted\">(removed)</span>")
            .unwrap();
        let r = &page[at..];
        r[..r.find("</tr>").unwrap()].to_string()
    };
    assert!(
        gone.contains(">Dana</a> <span class=\"muted\">(on 2026-11-23)</span>"),
        "{gone}"
    );
    assert!(gone.contains("<td data-label=\"Team\">East</td>"), "{gone}");
    // The filter: rows carry their keys, the script is loaded, and the
    // form stays hidden until the script shows it (the tables work without).
    assert!(page.contains("data-change=\"slipped\" data-team=\"East\" data-rep=\"Dana\""));
    assert!(page.contains(
        "id=\"changes-filter\" role=\"search\" aria-label=\"Filter the changes\" hidden"
    ));
    assert!(page.contains("changes.js\" defer"));
    assert!(
        std::fs::read_to_string(dir.path().join("public/changes.js"))
            .unwrap()
            .contains("URLSearchParams")
    );
    let row = |deal: &str| {
        let at = page.find(&format!(">{deal}</a>")).unwrap();
        let r = &page[at..];
        r[..r.find("</tr>").unwrap()].to_string()
    };
    let adv = row("Adv");
    assert!(adv.contains("Moved forward a stage"), "{adv}");
    assert!(adv.contains("Discovery") && adv.contains("Negotiation"));
    assert!(adv.contains(">Dana</a>") && adv.contains("East"));
    let slip = row("Slip");
    assert!(slip.contains("Slipped") && slip.contains("2026-12-01") && slip.contains("2027-02-15"));
    let pull = row("Pull");
    assert!(pull.contains("Pulled in") && pull.contains("2027-01-10"));
    let reval = row("Reval");
    assert!(reval.contains("Value up") && reval.contains("$80,000") && reval.contains("$90,000"));
    assert!(row("Win").contains("Won"));
    assert!(row("Lose").contains("Lost"));
    assert!(row("Fresh").contains("New"));
    assert!(page.contains("gone <span class=\"muted\">(removed)</span>"));
    // The waterfall's table: the buckets of metrics.json, signed, and
    // each running total the one before plus the step; the last step
    // ends at the end.
    let rows = waterfall_rows(&page);
    let expect = [
        ("Start", 710000.0),
        ("Created", 25000.0),
        ("Pulled in", 50000.0),
        ("Value change", 10000.0),
        ("Won", -120000.0),
        ("Lost", -70000.0),
        ("Removed", -30000.0),
        ("Pushed out", -200000.0),
        ("End", 375000.0),
    ];
    let got: Vec<(&str, f64)> = rows.iter().map(|(l, v, _)| (l.as_str(), *v)).collect();
    assert_eq!(got, expect);
    let mut run = 0.0;
    for (label, v, total) in &rows[..rows.len() - 1] {
        run = if label == "Start" { *v } else { run + v };
        assert_eq!(run, *total, "{label}");
    }
    assert_eq!(run, rows[rows.len() - 1].1);
    assert!(!page.contains("does not reconcile"));
    // Links stay out of the image.
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    assert!(!svg.contains("<a "));
    // The forecast page shows the same waterfall; the navigation links here.
    let forecast = read(dir.path(), "forecast/index.html");
    assert_eq!(waterfall_rows(&forecast), rows);
    let home = read(dir.path(), "index.html");
    assert!(home.contains("changes/\">What changed</a>"));
    // The dashboard's figures then and now, with the difference.
    assert!(
        home.contains("<h2 id=\"since\">Since 2026-11-23</h2>"),
        "{home}"
    );
    let figure = |label: &str| {
        let at = home.find(&format!(">{label}</th>")).unwrap();
        let r = &home[at..];
        r[..r.find("</tr>").unwrap()].to_string()
    };
    let won = figure("Won FYTD");
    assert!(won.contains(">$0<") && won.contains(">$120,000<"), "{won}");
    assert!(won.contains("delta up") && won.contains("▲") && won.contains("+$120,000"));
    let open = figure("Open deals");
    assert!(open.contains(">10<"), "{open}");
    assert!(open.contains("▼") && open.contains("delta down"), "{open}");
    // A deal's page lists its own changes; an unchanged deal has none.
    let slip = read(dir.path(), "deals/slip/index.html");
    assert!(
        slip.contains("<h2 id=\"since\">Since 2026-11-23</h2>"),
        "{slip}"
    );
    assert!(
        slip.contains("▼ </span>Slipped</span>: 2026-12-01 → 2027-02-15"),
        "{slip}"
    );
    let early = read(dir.path(), "deals/early/index.html");
    assert!(!early.contains("id=\"since\""));
    // The team's and the rep's pages too (Dana is all of East).
    for page in ["teams/east/index.html", "reps/dana/index.html"] {
        let html = read(dir.path(), page);
        assert!(html.contains("Since 2026-11-23</h2>"), "{page}");
        assert!(html.contains("+$120,000"), "{page}");
    }
    assert!(read(dir.path(), "sitemap.xml").contains("/changes/</loc>"));
}

#[test]
fn changes_page_without_history_says_why_and_how_to_fix_it() {
    let h = scenario();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&h.repo.site(), copy.path());
    let (dir, code, stderr) = build_at(copy.path(), &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "changes/index.html");
    assert!(
        page.contains("the site is not in a git repository"),
        "{page}"
    );
    assert!(page.contains("fetch-depth: 0"));
    assert!(!page.contains("<tr data-change"));
    assert!(!read(dir.path(), "forecast/index.html").contains("Pipeline waterfall"));
    // A shallow clone says so.
    std::fs::write(
        h.repo.dir.path().join(".git/shallow"),
        format!("{}\n", h.c3b),
    )
    .unwrap();
    let (dir, _, _) = build_at(&h.repo.site(), &[]);
    let page = read(dir.path(), "changes/index.html");
    assert!(page.contains("the clone is shallow"), "{page}");
}

/// A small repository over three weeks: a deal that slips twice, a deal
/// created then won, a deal that turns red, and a one-to-one in between.
fn three_weeks() -> Repo {
    let mut r = Repo::new();
    let d = |p: &str| format!("site/content/deals/{p}.md");
    let deal = |name: &str, stage: &str, value: u32, close: &str, created: &str| {
        format!(
            "---\ntype: deal\nname: {name}\naccount: Acme\nowner: dana\nvalue: {value}\nstage: {stage}\nprobability: 50\ncreated: {created}\nclose_date: {close}\n---\nNotes.\n"
        )
    };
    r.put("site/coachbook.toml", "title = \"T\"\nas_of = 2026-11-30\n")
        .put("site/content/reps/dana.md", REP)
        .put(
            &d("a"),
            &deal("Alpha", "proposal", 100000, "2026-12-20", "2026-10-01"),
        );
    let c1 = r.commit(None, "2026-11-09T10:00:00Z", 0);
    r.put(&d("a"), &deal("Alpha", "proposal", 100000, "2027-01-15", "2026-10-01"))
        .put(&d("b"), &deal("Beta", "discovery", 50000, "2026-12-31", "2026-11-12"))
        .put(&d("c"), &deal("Gamma", "discovery", 20000, "2026-11-20", "2026-11-10"))
        .put(
            "site/content/coaching/one.md",
            "---\ntype: coaching\nrep: dana\ndate: 2026-11-16\ngap: skill\nskill: qualification\ntakeaway: Ask for the budget\n---\nNotes.\n",
        );
    let c2 = r.commit(Some(c1), "2026-11-16T10:00:00Z", 0);
    r.put(
        &d("a"),
        &deal("Alpha", "negotiation", 100000, "2027-02-20", "2026-10-01"),
    )
    .put(
        &d("b"),
        &deal("Beta", "closed_won", 50000, "2026-11-22", "2026-11-12"),
    );
    r.commit(Some(c2), "2026-11-23T10:00:00Z", 0);
    r.checkout();
    r
}

#[test]
fn a_deal_page_lists_every_commit_that_changed_it() {
    let r = three_weeks();
    let (dir, code, stderr) = build_at(&r.site(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "deals/a/index.html");
    let at = page
        .find("<h2 id=\"history\">History</h2>")
        .expect("a history section");
    let section = &page[at..page[at..].find("</section>").unwrap() + at];
    assert!(section.contains("Slipped 2 times"), "{section}");
    // Newest first: the second slip (with the stage) on 23 November, the
    // first on 16 November.
    let second = section.find("2026-11-23").unwrap();
    let first = section.find("2026-11-16").unwrap();
    assert!(second < first, "{section}");
    assert!(
        section.contains(
            "<td data-label=\"From\">2027-01-15</td><td data-label=\"To\">2027-02-20</td>"
        ),
        "{section}"
    );
    assert!(
        section.contains(
            "<td data-label=\"From\">2026-12-20</td><td data-label=\"To\">2027-01-15</td>"
        ),
        "{section}"
    );
    assert!(
        section.contains(
            "<td data-label=\"From\">Proposal</td><td data-label=\"To\">Negotiation</td>"
        ),
        "{section}"
    );
    assert_eq!(section.matches("data-field=\"close_date\"").count(), 2);
    // A deal that never changed in a commit has no history section.
    let gamma = read(dir.path(), "deals/c/index.html");
    assert!(!gamma.contains("id=\"history\""));
}

/// The rows of the trend table after `at` in `page`: (date, cells).
fn trend_rows(page: &str, at: &str) -> Vec<(String, Vec<String>)> {
    let start = page.find(at).unwrap();
    let rest = &page[start..];
    let table = &rest[rest.find("<tbody>").unwrap()..rest.find("</tbody>").unwrap()];
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|r| {
            let date = r[..r.find('<').unwrap()].to_string();
            let cells = r
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| c[..c.find("</td>").unwrap()].to_string())
                .collect();
            (date, cells)
        })
        .collect()
}

#[test]
fn trends_hold_each_weeks_figures() {
    let r = three_weeks();
    let (dir, code, stderr) = build_at(&r.site(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let cells = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
    // Weeks before the first commit are left out; the last week is now.
    let expect = vec![
        ("2026-11-09".to_string(), cells("$100,000", "$50,000", "$0")),
        ("2026-11-16".to_string(), cells("$170,000", "$85,000", "$0")),
        (
            "2026-11-23".to_string(),
            cells("$120,000", "$60,000", "$50,000"),
        ),
        (
            "2026-11-30".to_string(),
            cells("$120,000", "$60,000", "$50,000"),
        ),
    ];
    let strip = |rows: Vec<(String, Vec<String>)>| -> Vec<(String, Vec<String>)> {
        rows.into_iter()
            .map(|(d, c)| (d, c.into_iter().take(3).collect()))
            .collect()
    };
    for rel in [
        "index.html",
        "reps/dana/index.html",
        "teams/east/index.html",
    ] {
        let page = read(dir.path(), rel);
        assert!(page.contains("<h2 id=\"trends\">Trends</h2>"), "{rel}");
        assert_eq!(strip(trend_rows(&page, "id=\"trends\"")), expect, "{rel}");
        // Each sparkline is an image with a title and no link; the table is
        // right there.
        let at = page.find("id=\"trends\"").unwrap();
        let section = &page[at..at + page[at..].find("</section>").unwrap()];
        assert_eq!(section.matches("role=\"img\"").count(), 4, "{rel}");
        assert!(!section.contains("<a "), "{rel}");
    }
    // Without history, no trend section.
    let plain = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(plain.path().join("content/reps")).unwrap();
    std::fs::write(
        plain.path().join("coachbook.toml"),
        "title = \"T\"\nas_of = 2026-11-30\n",
    )
    .unwrap();
    std::fs::write(plain.path().join("content/reps/dana.md"), REP).unwrap();
    let (dir, code, stderr) = build_at(plain.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!read(dir.path(), "index.html").contains("id=\"trends\""));
}

#[test]
fn prep_sheet_lists_deals_that_moved_since_the_last_one_to_one() {
    let r = three_weeks();
    let (dir, code, stderr) = build_at(&r.site(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "reps/dana/index.html");
    let at = page
        .find("Since the last one-to-one (2026-11-16)")
        .expect(&page);
    let list = &page[at..at + page[at..].find("</ul>").unwrap()];
    // Gamma's close date passed: yellow then, red now. Alpha slipped
    // (2027-01-15 at the one-to-one, 2027-02-20 now). Beta was won.
    assert!(list.contains(">Gamma</a>"), "{list}");
    assert!(list.contains("risk yellow → red"), "{list}");
    assert!(list.contains(">Alpha</a>"), "{list}");
    assert!(list.contains("slipped 2027-01-15 → 2027-02-20"), "{list}");
    assert!(!list.contains("Beta"), "{list}");
}

/// A deal's history read over a chain long enough to be cut in two halves
/// (diffed on two threads and stitched): every slip on both sides of the
/// cut is listed once, in order, and a move of the file at the cut (the
/// same blob at two paths) or a change to the body alone is no event.
#[test]
fn a_long_history_is_stitched_across_its_halves() {
    let mut r = Repo::new();
    r.put("site/coachbook.toml", "title = \"T\"\nas_of = 2026-11-30\n")
        .put("site/content/reps/dana.md", REP)
        .put(
            "site/content/deals/a.md",
            &deal("Alpha", "proposal", 100000, "2026-12-01"),
        );
    let mut parent = r.commit(None, "2026-11-01T10:00:00Z", 0);
    let mut path = "site/content/deals/a.md".to_string();
    let mut close = 1;
    for day in 2..=9 {
        match day {
            // The cut is after the fifth commit: the file moves there.
            5 => {
                let text = deal("Alpha", "proposal", 100000, &format!("2026-12-{close:02}"));
                r.remove(&path);
                path = "site/content/deals/2026/a.md".to_string();
                r.put(&path, &text);
            }
            6 => {
                let text = deal("Alpha", "proposal", 100000, &format!("2026-12-{close:02}"));
                r.put(&path, &text.replace("Notes.", "Other notes."));
            }
            _ => {
                close += 1;
                r.put(
                    &path,
                    &deal("Alpha", "proposal", 100000, &format!("2026-12-{close:02}")),
                );
            }
        }
        parent = r.commit(Some(parent), &format!("2026-11-{day:02}T10:00:00Z"), 0);
    }
    r.checkout();
    let (dir, code, stderr) = build_at(&r.site(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir.path(), "deals/a/index.html");
    let at = page
        .find("<h2 id=\"history\">History</h2>")
        .expect("a history section");
    let section = &page[at..page[at..].find("</section>").unwrap() + at];
    assert!(section.contains("Slipped 6 times"), "{section}");
    assert_eq!(section.matches("data-field=\"close_date\"").count(), 6);
    // Newest first, one row per slip: 2 to 4 and 7 to 9 November.
    let days: Vec<usize> = [9, 8, 7, 4, 3, 2]
        .iter()
        .map(|d| {
            section
                .find(&format!("2026-11-{d:02}"))
                .unwrap_or_else(|| panic!("no row for {d}: {section}"))
        })
        .collect();
    assert!(days.windows(2).all(|w| w[0] < w[1]), "{section}");
    for d in [5, 6] {
        assert!(!section.contains(&format!("2026-11-{d:02}")), "{section}");
    }
    for k in 1..=6 {
        let row = format!(
            "<td data-label=\"From\">2026-12-{k:02}</td><td data-label=\"To\">2026-12-{:02}</td>",
            k + 1
        );
        assert!(section.contains(&row), "{row}: {section}");
    }
}

//! Incremental rebuilds equal cold builds: random sequences of note edits,
//! additions, deletions and renames, applied through the `serve` engine,
//! must leave exactly the files a fresh `build` of the same notes writes.

mod common;
use coachbook::incremental::Session;
use common::*;
use std::path::{Path, PathBuf};

fn cold_build(site: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut a = coachbook::build::analyse(site, None).unwrap();
    // As `coachbook build` does: the comparison with the site's git
    // history (or why there is none) is on the pages.
    coachbook::history::compare_now(site, &mut a, None);
    coachbook::build::write_site(&mut a, site, out.path(), true).unwrap();
    out
}

fn assert_same(served: &Path, site: &Path, step: &str) {
    let cold = cold_build(site);
    let a = tree(served);
    let b = tree(cold.path());
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{step}: files differ: served only {only_a:?}, cold only {only_b:?}"
    );
    for (k, v) in &a {
        if b[k] != *v {
            panic!(
                "{step}: {k} differs\n--- served ---\n{}\n--- cold ---\n{}",
                String::from_utf8_lossy(v),
                String::from_utf8_lossy(&b[k])
            );
        }
    }
}

const REPS: [&str; 3] = ["ana-silva", "Ben Okoro", "\"[[Cat Ruiz]]\""];
const STAGES: [&str; 6] = [
    "lead",
    "qualified",
    "proposal",
    "commit",
    "closed_won",
    "closed_lost",
];
const TEAMS: [&str; 3] = ["North", "South", "West"];
const TAGS: [&str; 4] = ["enterprise", "discovery", "q3", "renewal"];

fn date(rng: &mut Rng) -> String {
    format!("2026-0{}-{:02}", 1 + rng.below(8), 1 + rng.below(28))
}

fn deal(rng: &mut Rng, name: &str) -> String {
    let created = format!("2026-01-{:02}", 1 + rng.below(28));
    let close = format!("2026-0{}-{:02}", 2 + rng.below(7), 1 + rng.below(28));
    format!(
        "---\ntype: deal\nname: {name}\naccount: Acct {}\nowner: {}\nvalue: {}\nstage: {}\ncreated: {created}\nclose_date: {}\ntags: [{}]\nmeddpicc:\n  economic_buyer: {{score: {}}}\n  champion: {{score: {}}}\n  metrics: {{score: {}}}\n---\nSee [[{}]].\n",
        rng.below(5),
        rng.pick(&REPS),
        1000 * (1 + rng.below(300)),
        rng.pick(&STAGES),
        close,
        rng.pick(&TAGS),
        rng.below(4),
        rng.below(4),
        rng.below(4),
        rng.pick(&["Big Proposal", "Ana Silva", "Discovery Guide", "No Such Note"]),
    )
}

fn interaction(rng: &mut Rng, deals: &[String]) -> String {
    let kind = rng.pick(&["debrief", "coaching", "call"]);
    let deal = if deals.is_empty() {
        "d3".to_string()
    } else {
        rng.pick(deals).clone()
    };
    // Half untitled: they are named from their rep and deal, and follow
    // them when those are renamed.
    let title = match rng.below(2) {
        0 => String::new(),
        _ => format!("title: Note {}\n", rng.next() % 1000),
    };
    format!(
        "---\ntype: {kind}\n{title}rep: {}\ndeal: {deal}\ndate: {}\ngap: {}\ntakeaway: \"Takeaway {}\"\n---\nBody [[{}]]\n",
        rng.pick(&REPS),
        date(rng),
        rng.pick(&["skill", "will"]),
        rng.next() % 100,
        rng.pick(&LINKS),
    )
}

/// Body and property links, by id, name, alias, path, heading and block:
/// which note each names changes as aliases and shared file names come
/// and go.
const LINKS: [&str; 10] = [
    "Ana Silva",
    "d1",
    "Gamma exec meeting prep",
    "The Closer",
    "Ana",
    "reps/ana-silva",
    "deals/d3.md",
    "Big Proposal#Next steps",
    "handbook/discovery^gone",
    "discovery",
];

/// What the generated pages embed: notes other steps edit (the handbook
/// page, a deal), a heading and a block, an attachment, and each other
/// (cycles).
const EMBEDS: [&str; 8] = [
    "Discovery Guide",
    "discovery^kept",
    "Big Proposal#Next steps",
    "d1",
    "photo.png",
    "host-0",
    "host-1",
    "No Such Note",
];

fn rep(rng: &mut Rng, name: &str) -> String {
    format!(
        "---\ntype: rep\nname: {name}\nteam: {}\nstart_date: {}\nquota: {}\naliases: [{}]\n---\n",
        rng.pick(&TEAMS),
        date(rng),
        100000 * (1 + rng.below(9)),
        rng.pick(&["Ana", "The Closer", "Big Proposal", "\"Ana, AS\""]),
    )
}

/// A page whose file name another note may have (the two then take their
/// folder paths as ids), with links in its properties and inline tags.
fn namesake(rng: &mut Rng) -> String {
    format!(
        "---\npeople: [\"[[{}]]\", \"[[{}]]\"]\naliases: {}\n---\n## Notes\n\nOn #region/{} and [[{}]]. ^blk\n",
        rng.pick(&LINKS),
        rng.pick(&LINKS),
        rng.pick(&["Ana", "Namesake", "d2"]),
        rng.pick(&["north", "south", "north/east"]),
        rng.pick(&LINKS),
    )
}

fn forecast(rng: &mut Rng) -> String {
    format!(
        "---\ntype: forecast\nowner: {}\nperiod: 2026-Q{}\ncommit: {}\n---\n",
        rng.pick(&REPS),
        1 + rng.below(4),
        10000 * rng.below(30),
    )
}

fn md_files(site: &Path) -> Vec<PathBuf> {
    coachbook::content::note_files(&site.join("content"))
}

#[test]
fn random_edits_deletes_and_renames_equal_a_cold_build() {
    // Twenty seeds: five chosen, fifteen spread over the 64-bit range.
    let seeds = [0x9E37_79B9_7F4A_7C15u64, 42, 7_777_777, 2026, 31_337]
        .into_iter()
        .chain((1..=15u64).map(|k| k.wrapping_mul(0xD1B5_4A32_D192_ED03)));
    for seed in seeds {
        let site = copy_site("valid");
        let out = tempfile::tempdir().unwrap();
        let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
        assert_same(out.path(), site.path(), "initial");
        let mut rng = Rng(seed);
        let mut new_deals: Vec<String> = Vec::new();
        for step in 0..40 {
            let files = md_files(site.path());
            let content = site.path().join("content");
            let mut changed: Vec<PathBuf> = Vec::new();
            let what = rng.below(10);
            match what {
                0 | 1 => {
                    let name = format!("gen-deal-{}", rng.next() % 50);
                    let p = content.join("deals").join(format!("{name}.md"));
                    std::fs::write(&p, deal(&mut rng, &name)).unwrap();
                    new_deals.push(name);
                    changed.push(p);
                }
                2 | 3 => {
                    let p = content
                        .join("notes")
                        .join(format!("gen-{}.md", rng.next() % 40));
                    std::fs::write(&p, interaction(&mut rng, &new_deals)).unwrap();
                    changed.push(p);
                }
                4 => {
                    // Edit an existing rep: team, quota, start.
                    let name = *rng.pick(&["Ana Silva", "Ben Okoro", "Cat Ruiz"]);
                    let p = content
                        .join("reps")
                        .join(format!("{}.md", name.to_lowercase().replace(' ', "-")));
                    if p.exists() {
                        std::fs::write(&p, rep(&mut rng, name)).unwrap();
                        changed.push(p);
                    }
                }
                5 => {
                    let p = content
                        .join("forecasts")
                        .join(format!("gen-f{}.md", rng.next() % 10));
                    std::fs::write(&p, forecast(&mut rng)).unwrap();
                    changed.push(p);
                }
                6 => {
                    // Delete a generated or fixture note (never the reps, which
                    // the generated notes reference).
                    let candidates: Vec<&PathBuf> = files
                        .iter()
                        .filter(|p| !p.starts_with(content.join("reps")))
                        .collect();
                    if !candidates.is_empty() {
                        let p = (*rng.pick(&candidates)).clone();
                        std::fs::remove_file(&p).unwrap();
                        changed.push(p);
                    }
                }
                7 => {
                    // Rename a note (its id changes; links by title still work).
                    let candidates: Vec<&PathBuf> = files
                        .iter()
                        .filter(|p| !p.starts_with(content.join("reps")))
                        .collect();
                    if !candidates.is_empty() {
                        let p = (*rng.pick(&candidates)).clone();
                        let to = p.with_file_name(format!("renamed-{}.md", rng.next() % 1000));
                        if !to.exists() {
                            std::fs::rename(&p, &to).unwrap();
                            changed.push(p);
                            changed.push(to);
                        }
                    }
                }
                8 => {
                    // Embeds of notes other steps edit, rename and delete,
                    // and an attachment that comes, changes and goes.
                    let img = content.join("media").join("photo.png");
                    std::fs::create_dir_all(content.join("media")).unwrap();
                    match rng.below(3) {
                        0 => {
                            std::fs::write(&img, format!("png {}", rng.next() % 5)).unwrap();
                            changed.push(img);
                        }
                        1 if img.exists() => {
                            std::fs::remove_file(&img).unwrap();
                            changed.push(img);
                        }
                        _ => {}
                    }
                    let p = content
                        .join("handbook")
                        .join(format!("host-{}.md", rng.next() % 3));
                    std::fs::write(
                        &p,
                        format!(
                            "Embeds:

![[{}]]

![[{}]]

and [[photo.png]].
",
                            rng.pick(&EMBEDS),
                            rng.pick(&EMBEDS)
                        ),
                    )
                    .unwrap();
                    changed.push(p);
                }
                9 => {
                    // A file name some note already has, in another folder.
                    let stem = *rng.pick(&["discovery", "d1", "c2", "ana-silva", "fresh"]);
                    let dir = content.join(rng.pick(&["clash", "clash/deeper"]));
                    std::fs::create_dir_all(&dir).unwrap();
                    let p = dir.join(format!("{stem}.md"));
                    std::fs::write(&p, namesake(&mut rng)).unwrap();
                    changed.push(p);
                }
                _ => {
                    // Edit a page body and tags.
                    let p = content.join("handbook").join("discovery.md");
                    std::fs::write(
                        &p,
                        format!(
                            "---\ntitle: Discovery Guide\ntags: [{}]\nowner: \"[[{}]]\"\n---\nSee [[{}]] and [[{}]], #{}.\n\nA block. ^{}\n",
                            rng.pick(&TAGS),
                            rng.pick(&LINKS),
                            rng.pick(&["Ana one-to-one", "Big Proposal", "Ben Okoro", "The Closer"]),
                            rng.pick(&["d1", "d2", "missing", "clash/discovery", "Namesake"]),
                            rng.pick(&["region/north", "q3", "region"]),
                            rng.pick(&["gone", "kept"]),
                        ),
                    )
                    .unwrap();
                    changed.push(p);
                }
            }
            let report = session.apply(&changed).unwrap();
            assert!(
                report.diags.errors() == 0,
                "seed {seed} step {step}: {:?}",
                report.diags.items
            );
            if step % 4 == 3 || step == 39 {
                // As `serve` does once the reload is sent.
                session.write_search_index().unwrap();
                assert_same(
                    out.path(),
                    site.path(),
                    &format!("seed {seed:x} step {step} (op {what})"),
                );
            }
        }
    }
}

#[test]
fn a_broken_save_keeps_the_last_good_page_until_fixed() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    let p = site.path().join("content/deals/d3.md");
    let good = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, good.replace("value: 200000", "value: [oops")).unwrap();
    let r = session.apply(std::slice::from_ref(&p)).unwrap();
    assert_eq!(r.diags.errors(), 1, "{:?}", r.diags.items);
    assert_eq!(r.diags.items[0].file, "content/deals/d3.md");
    let page = std::fs::read_to_string(out.path().join("deals/d3/index.html")).unwrap();
    assert!(page.contains("Big Proposal"), "the last good page stays");
    std::fs::write(&p, good.replace("value: 200000", "value: 250000")).unwrap();
    let r = session.apply(std::slice::from_ref(&p)).unwrap();
    assert_eq!(r.diags.items.len(), 0);
    assert!(
        std::fs::read_to_string(out.path().join("deals/d3/index.html"))
            .unwrap()
            .contains("250,000")
    );
    session.write_search_index().unwrap();
    assert_same(out.path(), site.path(), "after the fix");
}

/// An untitled one-to-one is named after its rep ("One-to-one with Ana
/// Silva, 12 Jun 2026"); renaming the rep renames it on every page that
/// shows it, exactly as a cold build would.
#[test]
fn renaming_a_rep_renames_the_notes_named_after_them() {
    let site = copy_site("valid");
    std::fs::write(
        site.path().join("content/notes/untitled.md"),
        "---\ntype: coaching\nrep: ana-silva\ndate: 2026-06-12\ntakeaway: \"Ask before telling\"\n---\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    let page = std::fs::read_to_string(out.path().join("coaching/untitled/index.html")).unwrap();
    assert!(
        page.contains("One-to-one with Ana Silva, 12 Jun 2026"),
        "{page}"
    );
    let p = site.path().join("content/reps/ana-silva.md");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("name: Ana Silva"));
    std::fs::write(&p, text.replace("name: Ana Silva", "name: Ana Silva-Reyes")).unwrap();
    session.apply(&[p]).unwrap();
    session.write_search_index().unwrap();
    let page = std::fs::read_to_string(out.path().join("coaching/untitled/index.html")).unwrap();
    assert!(page.contains("One-to-one with Ana Silva-Reyes, 12 Jun 2026"));
    assert_same(out.path(), site.path(), "rep renamed");
}

#[test]
fn a_body_edit_renders_few_pages() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let (mut session, first) = Session::new(site.path(), out.path(), None, true).unwrap();
    let p = site.path().join("content/notes/c2.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\nOne more line.\n")).unwrap();
    let r = session.apply(&[p]).unwrap();
    assert!(!r.full);
    assert!(
        r.pages < first.total_pages / 2,
        "{} of {}",
        r.pages,
        first.total_pages
    );
    // `serve --verbose` prints how long each step of it took.
    let steps: Vec<&str> = r.timings.iter().map(|(s, _)| *s).collect();
    for step in ["checks", "links", "metrics", "memo stale", "render, write"] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
    session.write_search_index().unwrap();
    assert_same(out.path(), site.path(), "body edit");
}

#[test]
fn problems_in_unchanged_notes_stay_reported_after_an_edit() {
    let site = copy_site("valid");
    std::fs::write(
        site.path().join("content/deals/bad.md"),
        "---\ntype: deal\nname: Bad\naccount: A\nowner: ana-silva\nvalue: 1\nstage: propsal\ncreated: 2026-01-01\nclose_date: 2026-02-01\n---\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (mut session, first) = Session::new(site.path(), out.path(), None, true).unwrap();
    assert_eq!(first.diags.errors(), 1);
    let p = site.path().join("content/handbook/discovery.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\nMore.\n")).unwrap();
    let r = session.apply(&[p]).unwrap();
    assert!(!r.full);
    assert_eq!(r.diags.errors(), 1, "{:?}", r.diags.items);
    assert_eq!(r.diags.items[0].file, "content/deals/bad.md");
    session.write_search_index().unwrap();
    assert_same(out.path(), site.path(), "after an unrelated edit");
}

/// The vault fixture through serve: a shared file name appearing and
/// going (ids move between `acme` and `emea/acme`), an alias edited away
/// and back, a heading renamed under a link to it, and `type_key`
/// changed (every note is read again): each step equals a cold build.
#[test]
fn vault_edits_follow_names_paths_aliases_and_type_key() {
    let site = copy_site("vault");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    assert_same(out.path(), site.path(), "initial");
    let content = site.path().join("content");
    let apac = content.join("apac/Acme.md");
    let apac_text = std::fs::read_to_string(&apac).unwrap();
    let dana = content.join("people/Dana Whitfield.md");
    let dana_text = std::fs::read_to_string(&dana).unwrap();
    let globex = content.join("deals/Globex Renewal.md");
    let globex_text = std::fs::read_to_string(&globex).unwrap();
    let toml = site.path().join("coachbook.toml");
    let toml_text = std::fs::read_to_string(&toml).unwrap();
    type Step<'a> = (&'a str, Box<dyn Fn() -> PathBuf + 'a>);
    let steps: Vec<Step> = vec![
        (
            "the second Acme goes",
            Box::new(|| {
                std::fs::remove_file(&apac).unwrap();
                apac.clone()
            }),
        ),
        (
            "and comes back",
            Box::new(|| {
                std::fs::write(&apac, &apac_text).unwrap();
                apac.clone()
            }),
        ),
        (
            "an alias goes",
            Box::new(|| {
                std::fs::write(&dana, dana_text.replace("aliases: Dana, DW", "aliases: DW"))
                    .unwrap();
                dana.clone()
            }),
        ),
        (
            "a linked heading is renamed",
            Box::new(|| {
                std::fs::write(&globex, globex_text.replace("## Next steps", "## Then")).unwrap();
                globex.clone()
            }),
        ),
        (
            "the alias is back",
            Box::new(|| {
                std::fs::write(&dana, &dana_text).unwrap();
                dana.clone()
            }),
        ),
        (
            "type_key is the default again",
            Box::new(|| {
                std::fs::write(&toml, toml_text.replace("type_key = \"category\"", "")).unwrap();
                toml.clone()
            }),
        ),
        (
            "and back to category",
            Box::new(|| {
                std::fs::write(&toml, &toml_text).unwrap();
                toml.clone()
            }),
        ),
    ];
    for (what, step) in steps {
        let changed = step();
        session.apply(&[changed]).unwrap();
        session.write_search_index().unwrap();
        assert_same(out.path(), site.path(), what);
    }
}

/// One edit of a frontmatter line: its value changed (a number, a date,
/// a word), or the line left out.
fn edits_of(line: &str) -> Vec<Option<String>> {
    let Some((key, value)) = line.split_once(": ") else {
        return Vec::new();
    };
    let v = value.trim();
    let changed = if let Ok(n) = v.parse::<f64>() {
        let m = if n > 0.0 && n < 1.0 { n / 2.0 } else { n + 1.0 };
        format!("{key}: {m}")
    } else if v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-' {
        let day = if &v[8..] == "03" { "04" } else { "03" };
        format!("{key}: {}{day}", &v[..8])
    } else if v.contains("[[") || key.trim_start() == "type" {
        String::new()
    } else if let Some(inner) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        format!("{key}: \"{inner} edited\"")
    } else {
        format!("{key}: {v}-edited")
    };
    let mut out = Vec::new();
    if !changed.is_empty() {
        out.push(Some(changed));
    }
    if !line.starts_with(' ') && !line.starts_with('-') {
        out.push(None);
    }
    out
}

#[test]
fn each_field_of_each_note_kind_edited_alone_equals_a_cold_build() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    // One note of each kind (its `type`), and the page with no frontmatter.
    let mut seen = std::collections::BTreeSet::new();
    let mut compared = 0;
    for p in md_files(site.path()) {
        let text = std::fs::read_to_string(&p).unwrap();
        let kind = text
            .lines()
            .find_map(|l| l.strip_prefix("type: "))
            .unwrap_or("page")
            .to_string();
        if !seen.insert(kind.clone()) {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        let end = lines
            .iter()
            .skip(1)
            .position(|l| *l == "---")
            .map_or(0, |e| e + 1);
        for at in 1..end {
            for edit in edits_of(lines[at]) {
                let mut edited: Vec<&str> = lines.clone();
                match &edit {
                    Some(line) => edited[at] = line,
                    None => {
                        // The key and the lines indented under it.
                        let below = lines[at + 1..end]
                            .iter()
                            .take_while(|l| l.starts_with(' ') || l.starts_with('-'))
                            .count();
                        edited.drain(at..at + 1 + below);
                    }
                }
                let step = format!("{kind} {}: {:?} -> {edit:?}", p.display(), lines[at]);
                std::fs::write(&p, edited.join("\n") + "\n").unwrap();
                let report = session.apply(std::slice::from_ref(&p)).unwrap();
                // A broken save keeps the last good page (another test
                // checks that); a valid one must equal a cold build.
                if report.diags.errors() == 0 {
                    session.write_search_index().unwrap();
                    assert_same(out.path(), site.path(), &step);
                    compared += 1;
                }
                std::fs::write(&p, &text).unwrap();
                session.apply(std::slice::from_ref(&p)).unwrap();
            }
        }
        session.write_search_index().unwrap();
        assert_same(out.path(), site.path(), &format!("{kind} restored"));
    }
    assert!(seen.len() >= 8, "kinds: {seen:?}");
    assert!(compared >= 40, "only {compared} edits stayed valid");
}

/// In-place saves after the first resolve again only the saved notes and
/// those linking to them; each of these saves changes what some other
/// note's page shows through links, and must equal a cold build: a link
/// added (the target's backlinks), a heading renamed under a link to it,
/// a deal's owner changed (its prep's default rep), an untitled note's
/// date (its made-up title), and names other notes' links find notes by
/// (an alias, a title), changed and changed back; a slug given and taken
/// away (the note's id moves, which the in-place rebuild must notice).
#[test]
fn in_place_saves_that_change_links_elsewhere_equal_a_cold_build() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    let content = site.path().join("content");
    let read = |p: &str| std::fs::read_to_string(content.join(p)).unwrap();
    let (c2, d3, p1, c3) = (
        read("notes/c2.md"),
        read("deals/d3.md"),
        read("notes/p1.md"),
        read("notes/c3.md"),
    );
    let (ana, guide) = (read("reps/ana-silva.md"), read("handbook/discovery.md"));
    // The prep takes its deal's owner as its rep.
    assert!(!p1.contains("\nrep:"), "{p1}");
    let steps: Vec<(&str, &str, String)> = vec![
        ("a body edit", "notes/c2.md", format!("{c2}\nMore.\n")),
        (
            "a link added",
            "notes/c2.md",
            format!("{c2}\nSee [[Big Proposal]] and [[Cat Ruiz]].\n"),
        ),
        ("the link removed", "notes/c2.md", c2.clone()),
        (
            "a linked heading renamed",
            "deals/d3.md",
            d3.replace("## Next steps", "## Then"),
        ),
        ("the heading back", "deals/d3.md", d3.clone()),
        (
            "a deal's owner changed",
            "deals/d3.md",
            d3.replace("owner: \"[[ana-silva]]\"", "owner: ben-okoro"),
        ),
        ("the owner back", "deals/d3.md", d3.clone()),
        (
            "a note's title left out",
            "notes/c3.md",
            c3.replace("title: Zeta discovery call\n", ""),
        ),
        (
            "the untitled note's date",
            "notes/c3.md",
            c3.replace("title: Zeta discovery call\n", "")
                .replace("date: 2026-06-20", "date: 2026-06-21"),
        ),
        (
            "a link by a name nobody has yet",
            "handbook/discovery.md",
            format!("{guide}\nAsk [[The Rainmaker]].\n"),
        ),
        (
            "an alias that name now answers",
            "reps/ana-silva.md",
            ana.replacen("type: rep\n", "type: rep\naliases: [The Rainmaker]\n", 1),
        ),
        ("the alias gone", "reps/ana-silva.md", ana.clone()),
        (
            "a title links use, changed",
            "handbook/discovery.md",
            guide.replace("title: Discovery Guide", "title: Discovery Basics"),
        ),
        ("and back", "handbook/discovery.md", guide.clone()),
        (
            "a slug given (the deal's id moves)",
            "deals/d3.md",
            d3.replacen("type: deal\n", "type: deal\nslug: gamma-deal\n", 1),
        ),
        (
            "a body edit with the slug",
            "deals/d3.md",
            d3.replacen("type: deal\n", "type: deal\nslug: gamma-deal\n", 1) + "\nMore.\n",
        ),
        ("the slug gone", "deals/d3.md", d3.clone()),
        ("a body edit again", "notes/c2.md", format!("{c2}\nLast.\n")),
    ];
    for (what, rel, text) in steps {
        let p = content.join(rel);
        std::fs::write(&p, text).unwrap();
        let report = session.apply(&[p]).unwrap();
        assert!(!report.full, "{what}: a full rebuild");
        assert_eq!(report.diags.errors(), 0, "{what}: {:?}", report.diags.items);
        session.write_search_index().unwrap();
        assert_same(out.path(), site.path(), what);
    }
}

/// The search files `serve` writes after each save (it keeps each note's
/// entry between saves and makes again only those of the notes that
/// changed) are those of a cold build, byte for byte: a body, a title, a
/// takeaway and a tag edited, a note added, deleted and renamed, and a
/// deal's owner written as an alias of the same rep (its prep, which
/// takes its rep from the deal, indexes the rep's id either way).
#[test]
fn search_files_after_each_save_equal_a_cold_build() {
    let site = copy_site("valid");
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    let content = site.path().join("content");
    let read = |p: &str| std::fs::read_to_string(content.join(p)).unwrap();
    let (c2, d3, ana, guide) = (
        read("notes/c2.md"),
        read("deals/d3.md"),
        read("reps/ana-silva.md"),
        read("handbook/discovery.md"),
    );
    let new_note = "---\ntype: call\ntitle: Zebra quokka call\nrep: ana-silva\ndeal: d3\ndate: 2026-07-01\ntakeaway: \"Quokkas buy\"\n---\nThe xylophone budget.\n";
    // Each step: what it does, and each file's new text (`None`: deleted).
    type Files<'a> = Vec<(&'a str, Option<String>)>;
    let mut steps: Vec<(&str, Files)> = vec![
        (
            "a body edit",
            vec![(
                "notes/c2.md",
                Some(format!("{c2}\nThe marmalade clause.\n")),
            )],
        ),
        (
            "a title edit",
            vec![(
                "notes/c2.md",
                Some(c2.replace("title: Lost One debrief", "title: Lost Walrus debrief")),
            )],
        ),
        (
            "a takeaway edit",
            vec![(
                "notes/c2.md",
                Some(c2.replace("Confirm the economic buyer", "Confirm the narwhal")),
            )],
        ),
        (
            "a tag edit",
            vec![(
                "handbook/discovery.md",
                Some(guide.replace("tags: [discovery, handbook]", "tags: [discovery, pelican]")),
            )],
        ),
        (
            "a note added",
            vec![("notes/new.md", Some(new_note.into()))],
        ),
        (
            "the new note's body",
            vec![(
                "notes/new.md",
                Some(new_note.replace("xylophone", "glockenspiel")),
            )],
        ),
        ("a note deleted", vec![("notes/c2.md", None)]),
        (
            "a note renamed",
            vec![
                ("notes/new.md", None),
                (
                    "notes/renamed.md",
                    Some(new_note.replace("xylophone", "glockenspiel")),
                ),
            ],
        ),
        (
            "an alias for the deal's owner",
            vec![(
                "reps/ana-silva.md",
                Some(ana.replacen("type: rep\n", "type: rep\naliases: [The Rainmaker]\n", 1)),
            )],
        ),
        (
            "the deal's owner written as the alias (its prep's rep)",
            vec![(
                "deals/d3.md",
                Some(d3.replace("owner: \"[[ana-silva]]\"", "owner: \"[[The Rainmaker]]\"")),
            )],
        ),
        ("the owner back", vec![("deals/d3.md", Some(d3.clone()))]),
        (
            "the deleted note back",
            vec![("notes/c2.md", Some(c2.clone()))],
        ),
    ];
    assert!(d3.contains("owner: \"[[ana-silva]]\""), "{d3}");
    for (what, files) in steps.drain(..) {
        let mut changed = Vec::new();
        for (rel, text) in files {
            let p = content.join(rel);
            match text {
                Some(t) => std::fs::write(&p, t).unwrap(),
                None => std::fs::remove_file(&p).unwrap(),
            }
            changed.push(p);
        }
        let report = session.apply(&changed).unwrap();
        assert_eq!(report.diags.errors(), 0, "{what}: {:?}", report.diags.items);
        assert!(!report.full, "{what}: a full rebuild");
        assert!(session.write_search_index().unwrap(), "{what}: no index");
        let cold = cold_build(site.path());
        let search = |dir: &Path| -> std::collections::BTreeMap<String, Vec<u8>> {
            tree(&dir.join("search/data"))
        };
        let (served, built) = (search(out.path()), search(cold.path()));
        assert!(!built.is_empty(), "{what}: no index built");
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            built.keys().collect::<Vec<_>>(),
            "{what}: other search files"
        );
        for (name, bytes) in &served {
            assert!(
                built[name] == *bytes,
                "{what}: search/data/{name} differs\n--- served ---\n{}\n--- cold ---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&built[name])
            );
        }
        assert_same(out.path(), site.path(), what);
    }
}

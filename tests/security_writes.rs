//! Issue #10: nothing a contributor commits (notes, links, a CRM export)
//! makes `import`, `new` or `init` write outside the site. Each test sets
//! up the attack with real symbolic links and files, runs the real binary,
//! and checks that nothing outside the site changed.

#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::symlink;
use std::path::Path;

/// A new site, as `coachbook init` makes it.
fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    coachbook::cmd::init::create(dir.path(), day).unwrap();
    dir
}

const HEADER: &str = "Opportunity Owner,Account Name,Opportunity Name,Stage,Amount,Close Date,Created Date,Next Step,Opportunity ID\n";

/// Runs `coachbook import csv` on `rows` (after the Salesforce header).
fn import(site: &Path, rows: &str) -> (i32, String) {
    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(csv.path(), format!("{HEADER}{rows}")).unwrap();
    let (code, stderr, _) = run(&[
        "import",
        "csv",
        csv.path().to_str().unwrap(),
        "--map",
        "salesforce",
        "--into",
        site.to_str().unwrap(),
    ]);
    (code, stderr)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

const KEY_ROW: &str = "Alex Morgan,Globex,Globex Renewal,Prospecting,100,9/30/2026,5/16/2026,\"x\nssh-ed25519 AAAAC3Nza attacker@evil\",006X1\n";

#[test]
fn import_never_writes_through_a_dangling_link_in_place_of_a_deal_note() {
    let site = new_site();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".ssh")).unwrap();
    let keys = home.path().join(".ssh/authorized_keys");
    let link = site.path().join("content/deals/globex-renewal.md");
    symlink(&keys, &link).unwrap();

    let (code, stderr) = import(site.path(), KEY_ROW);
    assert!(!keys.exists(), "wrote through the link: {stderr}");
    assert_eq!(code, 1, "reported like a bad row: {stderr}");
    assert!(
        stderr.contains("row 2 (Globex Renewal): refused to write")
            && stderr.contains(
                "globex-renewal.md: it is a symbolic link, and coachbook never writes through one; skipped"
            ),
        "{stderr}"
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    // A dry run says the same and writes nothing either.
    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(csv.path(), format!("{HEADER}{KEY_ROW}")).unwrap();
    let (_, stderr, _) = run(&[
        "import",
        "csv",
        csv.path().to_str().unwrap(),
        "--map",
        "salesforce",
        "--into",
        site.path().to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(stderr.contains("refused to write"), "{stderr}");
    assert!(!keys.exists());
}

#[test]
fn import_never_writes_a_new_rep_note_through_a_link() {
    let site = new_site();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    symlink(&victim, site.path().join("content/reps/mallory-owner.md")).unwrap();
    let (code, stderr) = import(
        site.path(),
        "Mallory Owner,Globex,Globex Deal,Prospecting,100,9/30/2026,5/16/2026,,006X2\n\
         Alex Morgan,Initech,Initech Deal,Prospecting,100,9/30/2026,5/16/2026,,006X3\n",
    );
    assert!(!victim.exists(), "{stderr}");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("row 2 (Globex Deal): refused to write")
            && stderr.contains("mallory-owner.md: it is a symbolic link"),
        "{stderr}"
    );
    // The row is skipped whole (no deal for an owner with no note); the
    // other rows are imported.
    assert!(!site.path().join("content/deals/globex-deal.md").exists());
    assert!(site.path().join("content/deals/initech-deal.md").is_file());
    assert!(
        stderr.contains("Imported: 1 deals, 0 updated, 0 unchanged, 0 new reps; 1 bad row skipped"),
        "{stderr}"
    );
}

#[test]
fn import_never_writes_into_a_linked_folder() {
    // A linked deals folder (an existing owner), then a linked reps folder
    // (a new owner).
    for (section, owner) in [("deals", "Alex Morgan"), ("reps", "New Person")] {
        let site = new_site();
        let outside = tempfile::tempdir().unwrap();
        let folder = site.path().join("content").join(section);
        std::fs::rename(&folder, outside.path().join(section)).unwrap();
        symlink(outside.path().join(section), &folder).unwrap();
        let before = files(outside.path());
        let (code, stderr) = import(
            site.path(),
            &format!("{owner},Globex,Globex Deal,Prospecting,100,9/30/2026,5/16/2026,,006X2\n"),
        );
        assert_eq!(files(outside.path()), before, "{stderr}");
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains(&format!(
                "content/{section} is a symbolic link, and coachbook never writes through one"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn import_never_updates_a_deal_note_through_a_link() {
    // The site's content/ is a link to a folder elsewhere: nothing in it
    // is read (a configuration error, exit 2) or written.
    let site = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("content");
    std::fs::create_dir_all(real.join("deals")).unwrap();
    std::fs::create_dir_all(real.join("reps")).unwrap();
    std::fs::write(
        real.join("reps/alex-morgan.md"),
        "---\ntype: rep\nname: Alex Morgan\nteam: T\nstart_date: 2026-01-01\nquota: 100\n---\n",
    )
    .unwrap();
    let note = "---\ntype: deal\ncrm_id: 006X1\nname: Globex Renewal\naccount: Globex\nowner: alex-morgan\nvalue: 50\nstage: prospecting\ncreated: 2026-05-16\nclose_date: 2026-09-30\n---\nNotes.\n";
    std::fs::write(real.join("deals/globex.md"), note).unwrap();
    symlink(&real, site.path().join("content")).unwrap();

    let (code, stderr) = import(site.path(), KEY_ROW);
    assert_eq!(
        std::fs::read_to_string(real.join("deals/globex.md")).unwrap(),
        note,
        "{stderr}"
    );
    assert_eq!(files(elsewhere.path()).len(), 2, "{stderr}");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("content is a symbolic link"), "{stderr}");
}

#[test]
fn new_never_writes_into_a_linked_folder() {
    let site = copy_site("valid");
    let outside = tempfile::tempdir().unwrap();
    // A folder that does not exist yet in the site, and one that does.
    for section in ["debriefs", "reps"] {
        let real = outside.path().join(section);
        std::fs::create_dir(&real).unwrap();
        let folder = site.path().join("content").join(section);
        if folder.exists() {
            std::fs::rename(&folder, outside.path().join(format!("{section}-orig"))).unwrap();
        }
        symlink(&real, &folder).unwrap();
    }
    let before = files(outside.path());
    for args in [
        &["debrief", "--deal", "Big Proposal"][..],
        &["rep", "Jo Bloggs"][..],
    ] {
        let mut all = vec!["new"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--site", site.path().to_str().unwrap()]);
        let (code, stderr, out) = run(&all);
        assert_eq!(files(outside.path()), before, "{args:?}: {stderr}");
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn new_never_writes_through_a_dangling_link() {
    let site = copy_site("valid");
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::create_dir_all(site.path().join("content/pages")).unwrap();
    symlink(&victim, site.path().join("content/pages/objections.md")).unwrap();
    let (code, stderr, _) = run(&[
        "new",
        "page",
        "Objections",
        "--site",
        site.path().to_str().unwrap(),
    ]);
    assert!(!victim.exists());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
}

#[test]
fn init_into_a_folder_with_links_writes_nothing_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    symlink(&victim, dir.path().join(".gitignore")).unwrap();
    let (code, stderr, _) = run(&["init", dir.path().to_str().unwrap()]);
    assert!(!victim.exists(), "{stderr}");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    // A dangling link where content/ would go counts as a site already.
    let dir = tempfile::tempdir().unwrap();
    symlink(outside.path().join("nowhere"), dir.path().join("content")).unwrap();
    let (code, stderr, _) = run(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already holds a site"), "{stderr}");
    assert!(!outside.path().join("nowhere").exists());
    assert!(!dir.path().join("coachbook.toml").exists());
}

#[test]
fn import_writes_every_text_double_quoted_so_no_field_can_inject_a_line() {
    let site = new_site();
    let (code, stderr) = import(
        site.path(),
        "Norway,on,yes,Prospecting,100,9/30/2026,5/16/2026,\"step\nowner: mallory\n---\n# Injected body\n\",006X1\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let deal = std::fs::read_to_string(site.path().join("content/deals/yes.md")).unwrap();
    // YAML 1.1 readers (Obsidian) read `yes` and `on` as booleans unquoted.
    for line in [
        "name: \"yes\"",
        "account: \"on\"",
        "owner: \"norway\"",
        "next_step: \"step\\nowner: mallory\\n---\\n# Injected body\"",
    ] {
        assert!(deal.lines().any(|l| l == line), "{line} in {deal}");
    }
    assert!(!deal
        .lines()
        .any(|l| l.starts_with("owner: mallory") || l.starts_with("# Injected")));
    assert!(
        deal.ends_with("---\n") && deal.matches("---").count() == 3,
        "{deal}"
    );
    let (note, diags) = coachbook::content::parse_note(
        "content/deals/yes.md",
        &site.path().join("content/deals/yes.md"),
        &deal,
        &coachbook::content::LoadOptions::default(),
    );
    assert!(diags.is_empty(), "{diags:?}");
    let note = note.unwrap();
    assert_eq!(note.title, "yes");
    let body = coachbook::content::body_text(&note).unwrap();
    assert!(body.trim().is_empty(), "{body:?}");
    let rep = std::fs::read_to_string(site.path().join("content/reps/norway.md")).unwrap();
    assert!(rep.contains("name: \"Norway\""), "{rep}");
    // And the site checks clean but for what the new owner's rep note
    // lacks (the import invents no team, start date or quota).
    let (code, stderr, _) = run(&[
        "check",
        site.path().to_str().unwrap(),
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let diags: Vec<&str> = stderr.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(diags.len(), 3, "{stderr}");
    assert!(
        diags
            .iter()
            .all(|d| d.contains("content/reps/norway.md") && d.contains("missing-field")),
        "{stderr}"
    );
}

#[test]
fn import_refuses_an_owner_or_deal_with_no_letters_for_a_file_name() {
    let site = new_site();
    let (code, stderr) = import(
        site.path(),
        "!!!,Globex,Globex Deal,Prospecting,100,9/30/2026,5/16/2026,,006X1\n\
         Alex Morgan,Globex,???,Prospecting,100,9/30/2026,5/16/2026,,###\n",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "row 2 (Globex Deal): the owner \"!!!\" has no letters or digits to name a rep note after; skipped"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 3 (???): neither the name nor the id has letters or digits"),
        "{stderr}"
    );
    assert!(!site.path().join("content/reps/.md").exists());
    assert!(!site.path().join("content/deals/.md").exists());
    assert!(!site.path().join("content/deals/deal-.md").exists());
}

#[test]
fn import_messages_escape_terminal_controls() {
    let site = new_site();
    let (code, stderr) = import(
        site.path(),
        "\u{1b}]0;pwned\u{7}Owner,Acme,\u{1b}[2JEvil \u{9b}31m\u{202e}Deal,Prospecting,lots,9/30/2026,5/16/2026,,006X1\n",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !stderr.chars().any(|c| is_terminal_unsafe(c) && c != '\n'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("row 2 (\\u{1b}[2JEvil \\u{9b}31m\\u{202e}Deal)"),
        "{stderr}"
    );
}

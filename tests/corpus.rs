//! Real Obsidian vaults, built as they are (see tests/corpus/README.md):
//! no note may be left out for its name, and no link may be reported
//! broken when a file of that name is in the vault, which is what a link
//! in syntax coachbook does not read looks like. Links to notes the vault
//! does not have are fine (Obsidian shows them as unresolved too), and so
//! is a bare name that several files share (the contract calls it
//! ambiguous). The vault's other files are attachments: a link or embed
//! to one (`[[photo.jpg]]`, `![[Daily.base]]`) that is in the vault must
//! resolve to it.

use coachbook::content::obsidian::{fold, fold_path, parse_target};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a vault gave (printed with `--nocapture`).
#[derive(Debug, Default)]
#[allow(dead_code)] // read through Debug
struct Counts {
    files: usize,
    notes: usize,
    warnings: usize,
    errors: usize,
    /// Broken links to notes the vault does not have.
    missing: usize,
    /// Links to a name several files share.
    ambiguous: usize,
    /// Links and embeds that resolved to attachments.
    attachments: usize,
    /// Broken links to files (a name with an extension) the vault lacks.
    missing_files: usize,
}

/// The vault's files (not hidden), and whether each is a note.
fn vault_files(dir: &Path) -> Vec<(PathBuf, bool)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let md = e.path().extension().is_some_and(|x| x == "md");
            (e.into_path(), md)
        })
        .collect()
}

/// Builds the notes of `vault` as a site (with `config` as its
/// coachbook.toml) and checks them.
fn check_vault(vault: &Path, config: &str) -> (Counts, coachbook::build::Analysis) {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    let all = vault_files(vault);
    let files: Vec<&PathBuf> = all.iter().filter(|(_, md)| *md).map(|(f, _)| f).collect();
    for (f, _) in &all {
        let to = content.join(f.strip_prefix(vault).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f, &to).unwrap();
    }
    // Folded file stems and paths (without `.md`) of the vault: how many
    // files answer to each.
    let mut stems: BTreeMap<String, usize> = BTreeMap::new();
    let mut paths: Vec<String> = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(vault).unwrap();
        let stem = f.file_stem().unwrap().to_string_lossy();
        *stems.entry(fold(&stem)).or_default() += 1;
        paths.push(fold_path(&rel.to_string_lossy()));
    }
    std::fs::write(site.path().join("coachbook.toml"), config).unwrap();
    let a = coachbook::build::analyse(site.path(), None).unwrap();
    let mut c = Counts {
        files: files.len(),
        notes: a.site.notes.len(),
        warnings: a.diags.warnings(),
        errors: a.diags.errors(),
        ..Counts::default()
    };
    let mut wrong = Vec::new();
    for n in &a.site.notes {
        c.attachments += n.all_links().filter(|l| l.attachment().is_some()).count();
        for l in n.all_links().filter(|l| !l.is_resolved()) {
            let t = parse_target(&l.target).note;
            let name = t.rsplit('/').next().unwrap_or(&t);
            if coachbook::content::obsidian::names_a_file(name) {
                c.missing_files += 1;
                continue;
            }
            let at = format!("{}:{}: [[{}]]", n.path, l.span.line, l.target);
            let matches = if t.contains('/') {
                let path = fold_path(&t);
                let tail = format!("/{path}");
                paths
                    .iter()
                    .filter(|p| **p == path || p.ends_with(&tail))
                    .count()
            } else {
                let key = fold(coachbook::content::obsidian::strip_md(name));
                stems.get(&key).copied().unwrap_or(0)
            };
            match matches {
                0 => c.missing += 1,
                1 => wrong.push(at),
                _ => c.ambiguous += 1,
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "links to notes the vault has were not resolved:\n{}",
        wrong.join("\n")
    );
    (c, a)
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// Steph Ango's vault (MIT): properties full of links (`categories`,
/// `people`, `author`), `type` used for the author's own categories.
#[test]
fn kepano_vault_builds_every_note_and_resolves_every_link_it_can() {
    let (c, a) = check_vault(
        &corpus("kepano-obsidian"),
        "title = \"kepano\"\nas_of = 2026-01-01\ntype_key = \"coachbook_type\"\n",
    );
    eprintln!("kepano-obsidian: {c:?}");
    assert_eq!(c.notes, c.files, "a note was left out");
    assert_eq!(c.files, 103);
    // No shared names, no `type` read as a kind: the only errors are the
    // templates' `{{date}}` placeholders, which YAML reads as a map.
    let errors: Vec<&str> = a
        .diags
        .items
        .iter()
        .filter(|d| d.severity == coachbook::diagnostics::Severity::Error)
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(errors, ["invalid-date"; 3]);
    assert_eq!(c.ambiguous, 0);
    // Its attachments: the cover image, and the `.base` views its notes
    // and templates embed (61 embeds, 30 files); every one is in the vault.
    assert_eq!(c.attachments, 62, "{c:?}");
    assert_eq!(c.missing_files, 0, "{c:?}");
    assert!(a
        .site
        .attachments
        .paths()
        .contains(&"Attachments/out-of-control.jpg".to_string()));
    // Links in properties are links: the meeting names Steph in `people`.
    let idx = |stem: &str| {
        a.site
            .notes
            .iter()
            .position(|n| n.stem() == stem)
            .unwrap_or_else(|| panic!("no note {stem}"))
    };
    let steph = idx("Steph Ango");
    let meeting = idx("2023-09-12 Meeting with Steph");
    assert!(a.links.backlinks[steph].contains(&meeting));
    let people = idx("People");
    assert!(
        a.links.backlinks[people].contains(&steph),
        "categories link"
    );
}

/// Any vault on this machine: `COACHBOOK_VAULT=/path/to/vault cargo test
/// --test corpus -- --ignored` (with `COACHBOOK_TYPE_KEY` when its notes
/// use `type` for something else). Prints what it found.
#[test]
#[ignore]
fn an_outside_vault_builds_every_note() {
    let Some(vault) = std::env::var_os("COACHBOOK_VAULT") else {
        eprintln!("COACHBOOK_VAULT is not set: nothing to check");
        return;
    };
    let key = std::env::var("COACHBOOK_TYPE_KEY").unwrap_or_else(|_| "type".into());
    let (c, a) = check_vault(
        Path::new(&vault),
        &format!("title = \"vault\"\nas_of = 2026-01-01\ntype_key = {key:?}\n"),
    );
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &a.diags.items {
        *by_code.entry(d.code.as_str()).or_default() += 1;
    }
    eprintln!("{}: {c:?}\n{by_code:?}", Path::new(&vault).display());
    assert_eq!(c.notes, c.files, "a note was left out");
    assert!(!by_code.contains_key("duplicate-id"));
}

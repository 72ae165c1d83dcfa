//! A site that is only a handbook opens on it, not on an empty sales
//! dashboard; every site has a handbook index; notes show their folder.

mod common;
use coachbook::incremental::Session;
use common::*;

fn handbook_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let c = site.path().join("content");
    std::fs::create_dir_all(c.join("playbook/objections")).unwrap();
    std::fs::write(
        c.join("playbook/discovery.md"),
        "---\ntitle: Discovery\n---\nAsk before telling.\n",
    )
    .unwrap();
    std::fs::write(
        c.join("playbook/objections/price.md"),
        "---\ntitle: Price objections\n---\nWhat would make it worth it?\n",
    )
    .unwrap();
    std::fs::write(c.join("welcome.md"), "# Welcome\n").unwrap();
    site
}

#[test]
fn a_handbook_only_site_opens_on_its_handbook() {
    let site = handbook_site();
    let (out, code, stderr) = build_at(site.path(), &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let home = html(out.path(), "index.html");
    assert_eq!(
        texts(&home, ".handbook-index h2"),
        ["playbook", "playbook › objections"]
    );
    assert_eq!(
        texts(&home, ".handbook-index a"),
        ["welcome", "Discovery", "Price objections"]
    );
    let nav = texts(&home, ".site-nav a");
    assert!(
        !nav.iter().any(|a| a == "Dashboard" || a == "Forecast"),
        "{nav:?}"
    );
    assert_eq!(nav[0], "Handbook");
    // The handbook index exists at its own URL too, and notes show their folder.
    assert!(out.path().join("public/handbook/index.html").is_file());
    let page = html(out.path(), "pages/price/index.html");
    assert_eq!(
        texts(&page, "nav.breadcrumb li"),
        ["playbook", "objections"]
    );
}

#[test]
fn a_sales_site_keeps_its_dashboard_and_links_the_handbook() {
    let (dir, code, _) = build("valid", &[]);
    assert_eq!(code, 0);
    let home = html(dir.path(), "index.html");
    assert!(!select(&home, "section[aria-labelledby=scorecard]").is_empty());
    let nav = texts(&home, ".site-nav a");
    assert!(nav.iter().any(|a| a == "Handbook"), "{nav:?}");
    let hb = html(dir.path(), "handbook/index.html");
    assert!(texts(&hb, ".handbook-index a")
        .iter()
        .any(|a| a == "Discovery Guide"));
}

#[test]
fn serve_updates_the_handbook_home_when_a_page_is_added() {
    let site = handbook_site();
    let out = tempfile::tempdir().unwrap();
    let (mut session, _) = Session::new(site.path(), out.path(), None, true).unwrap();
    let p = site.path().join("content/playbook/closing.md");
    std::fs::write(&p, "---\ntitle: Closing\n---\nAsk for the next step.\n").unwrap();
    let r = session.apply(&[p]).unwrap();
    assert!(!r.full);
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(home.contains(">Closing</a>"), "{home}");
    let index = std::fs::read_to_string(out.path().join("handbook/index.html")).unwrap();
    assert!(index.contains(">Closing</a>"));
}

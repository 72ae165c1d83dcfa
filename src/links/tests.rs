//! Unit tests of `links`.

use super::*;
use crate::content::parse_note;
use std::path::Path;

fn note(file: &str, text: &str) -> Note {
    let (n, d) = parse_note(
        &format!("content/{file}"),
        Path::new(file),
        text,
        &crate::content::LoadOptions::default(),
    );
    assert!(d.is_empty(), "{d:?}");
    n.unwrap()
}

#[test]
fn resolves_by_id_then_title_and_reports_broken() {
    let mut site = Site {
            notes: vec![
                note("jane-doe.md", "---\ntype: rep\nname: Jane Doe\nteam: T\nstart_date: 2026-01-01\nquota: 10\n---\n"),
                note("d1.md", "---\ntype: deal\nname: Big Deal\naccount: A\nowner: \"[[jane doe]]\"\nvalue: 1\nstage: proposal\ncreated: 2026-01-01\nclose_date: 2026-02-01\n---\nSee [[Jane Doe]], [[nobody]] and [[Dup]].\n"),
                note("p1.md", "---\ntitle: Dup\n---\n"),
                note("p2.md", "---\ntitle: dup\n---\n[[d1]]\n"),
                note("prep.md", "---\ntype: prep\ndeal: Big Deal\ndate: 2026-01-05\nobjective: o\nbuyer_needs: b\nour_ask: a\n---\n"),
                note("c.md", "---\ntype: coaching\nrep: d1\ndate: 2026-01-05\ntakeaway: t\n---\n"),
            ],
            ..Default::default()
        };
    let mut diags = Diagnostics::default();
    let links = resolve(&mut site, &mut diags);
    assert_eq!(site.notes[1].deal().unwrap().owner.resolved, Some(0));
    assert_eq!(site.notes[1].links[0].resolved, Some(0));
    assert_eq!(site.notes[1].links[1].resolved, None);
    let msgs: Vec<String> = diags.items.iter().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with("content/d1.md:11:")
            && m.contains("broken-link")
            && m.contains("\"nobody\"")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("ambiguous-link") && m.contains("content/p1.md, content/p2.md")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("content/c.md:3:") && m.contains("wrong-kind")),
        "{msgs:?}"
    );
    // The prep's rep defaults to its deal's owner.
    let prep = site.notes[4].prep().unwrap();
    assert_eq!(prep.rep().and_then(|r| r.resolved), Some(0));
    assert_eq!(prep.rep().unwrap().target, "jane-doe");
    assert!(prep.rep.is_none(), "what the note wrote is kept as written");
    // Untitled notes are named from their kind, references and date;
    // an unresolved reference is shown as written.
    assert_eq!(site.notes[4].title, "Prep: Big Deal, 5 Jan 2026");
    assert_eq!(site.notes[5].title, "One-to-one with d1, 5 Jan 2026");
    // A made-up title is not a name links can use; the stem is.
    let index = Index::new(&site.notes);
    assert!(matches!(
        index.resolve("Prep: Big Deal, 5 Jan 2026"),
        Resolution::Missing
    ));
    assert!(matches!(index.resolve("PREP"), Resolution::Found(4)));
    // Backlinks: Jane is referenced by the deal (owner and body) and the prep.
    assert_eq!(links.backlinks[0], vec![1, 4]);
    assert_eq!(links.backlinks[1], vec![3, 4]);
}

fn site(files: &[(&str, &str)]) -> Site {
    let mut notes: Vec<Note> = files.iter().map(|(f, t)| note(f, t)).collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = Diagnostics::default();
    let notes = crate::validate::validate(notes, &crate::config::Config::default(), &mut diags);
    Site {
        notes,
        ..Default::default()
    }
}

fn found(index: &Index, site: &Site, target: &str) -> Option<String> {
    match index.resolve(target) {
        Resolution::Found(i) => Some(site.notes[i].path.clone()),
        _ => None,
    }
}

#[test]
fn resolves_by_id_then_path_then_stem_title_alias() {
    let site = site(&[
        ("acme.md", "---\ntitle: Acme Root\n---\n"),
        ("emea/Acme.md", "---\ntitle: Acme EMEA\n---\n"),
        ("regions/apac/Acme.md", "---\ntitle: Acme APAC\n---\n"),
        ("Ünïcödé 名前.md", "---\naliases: Umlaut, Other Name\n---\n"),
        (
            "people/dana.md",
            "---\ntitle: Dana Whitfield\naliases: [DW, Acme EMEA]\n---\n",
        ),
        ("Dana Whitfield.md", "Her page.\n"),
    ]);
    let index = Index::new(&site.notes);
    let f = |t: &str| found(&index, &site, t);
    // By id: the root note keeps `acme`, the others take their paths.
    assert_eq!(f("acme").as_deref(), Some("content/acme.md"));
    assert_eq!(f("ACME").as_deref(), Some("content/acme.md"));
    assert_eq!(f("emea/acme").as_deref(), Some("content/emea/Acme.md"));
    // By path, with `.md`, in any case, or by its end.
    assert_eq!(f("EMEA/Acme.md").as_deref(), Some("content/emea/Acme.md"));
    assert_eq!(
        f("apac/acme").as_deref(),
        Some("content/regions/apac/Acme.md")
    );
    assert_eq!(
        f("/regions/apac/Acme").as_deref(),
        Some("content/regions/apac/Acme.md")
    );
    assert_eq!(f("other/acme"), None);
    // By file stem (Unicode, either normalisation), before titles...
    assert_eq!(
        f("ünïcödé 名前").as_deref(),
        Some("content/Ünïcödé 名前.md")
    );
    assert_eq!(
        f("U\u{308}nïcödé 名前.md").as_deref(),
        Some("content/Ünïcödé 名前.md")
    );
    assert_eq!(
        f("dana whitfield").as_deref(),
        Some("content/Dana Whitfield.md")
    );
    // ...titles before aliases...
    assert_eq!(f("acme emea").as_deref(), Some("content/emea/Acme.md"));
    // ...and aliases, from a list or a comma-separated string.
    assert_eq!(f("dw").as_deref(), Some("content/people/dana.md"));
    assert_eq!(f("other name").as_deref(), Some("content/Ünïcödé 名前.md"));
    // A name two notes answer to at one step is ambiguous.
    let two = Site {
        notes: vec![
            note("a/x.md", "---\naliases: [Same]\n---\n"),
            note("b/y.md", "---\naliases: [same]\n---\n"),
        ],
        ..Default::default()
    };
    assert!(
        matches!(Index::new(&two.notes).resolve("SAME"), Resolution::Ambiguous(v) if v.len() == 2)
    );
}

#[test]
fn relative_markdown_and_attachment_links() {
    let mut site = site(&[
            ("People/Steph Ango.md", "Hi.\n"),
            ("Notes/Other note.md", "x\n"),
            (
                "Notes/Meeting.md",
                "[[../People/Steph Ango]] [[./Other note]] [[../../x]] [o](Other%20note.md) [s](../People/Steph%20Ango.md) [n](Nope.md) [c](/style.css) [[photo.jpg]] ![[img/photo.jpg]] [p](../img/photo.jpg) [[logo.png]] ![[Other note]]\n",
            ),
        ]);
    site.attachments = Attachments::new(vec![
        "img/photo.jpg".into(),
        "a/logo.png".into(),
        "b/logo.png".into(),
    ]);
    let mut diags = Diagnostics::default();
    let links = resolve(&mut site, &mut diags);
    let idx = |p: &str| site.notes.iter().position(|n| n.path == p).unwrap();
    let m = &site.notes[idx("content/Notes/Meeting.md")];
    let got: Vec<(Option<&str>, Option<&str>)> = m
        .links
        .iter()
        .map(|l| {
            (
                l.resolved.map(|i| site.notes[i].path.as_str()),
                l.attachment(),
            )
        })
        .collect();
    let steph = Some("content/People/Steph Ango.md");
    let other = Some("content/Notes/Other note.md");
    let photo = (None, Some("img/photo.jpg"));
    assert_eq!(
        got,
        [
            (steph, None),
            (other, None),
            (None, None),
            (other, None),
            (steph, None),
            (None, None),
            (None, None),
            photo,
            photo,
            photo,
            (None, None),
            (other, None),
        ]
    );
    let codes: Vec<(&str, String)> = diags
        .items
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone()))
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    assert!(codes[0].1.contains("\"../../x\""), "{codes:?}");
    assert!(codes[1].1.contains("\"Nope.md\""), "{codes:?}");
    assert_eq!(codes[2].0, "ambiguous-link");
    // Embeds are links for backlinks.
    assert_eq!(
        links.backlinks[idx("content/Notes/Other note.md")],
        vec![idx("content/Notes/Meeting.md")]
    );
}

#[test]
fn a_link_to_a_folder_leads_to_its_index_page() {
    let mut site = site(&[
            ("strategy/index.md", "# Strategy

## Purpose
"),
            ("guides/README.md", "Guides.
"),
            ("values/culture/notes.md", "x\n"),
            (
                "company/values.md",
                "[s](../strategy#purpose) [g](../guides/) [[../strategy]] [n](../values/culture) [x](../nothing)\n",
            ),
        ]);
    let mut diags = Diagnostics::default();
    resolve(&mut site, &mut diags);
    let m = site
        .notes
        .iter()
        .find(|n| n.path == "content/company/values.md")
        .unwrap();
    let got: Vec<Option<&str>> = m
        .links
        .iter()
        .map(|l| l.resolved.map(|i| site.notes[i].path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            Some("content/strategy/index.md"),
            Some("content/guides/README.md"),
            Some("content/strategy/index.md"),
            None,
            None,
        ]
    );
    // A folder with no page of its own, and a missing path, are broken.
    let broken = diags
        .items
        .iter()
        .filter(|d| d.code == "broken-link")
        .count();
    assert_eq!(broken, 2, "{:?}", diags.items);
}

#[test]
fn embed_cycles_are_reported_once_per_embed() {
    let mut site = site(&[
        ("a.md", "![[b]]\n"),
        ("b.md", "![[c]]\n"),
        ("c.md", "![[a]] ![[d]]\n"),
        ("d.md", "![[d]]\n"),
        ("e.md", "![[a]]\n"),
        // A part of itself, or of a note that embeds it back: no cycle.
        ("f.md", "# One\n\n![[f#Two]] ![[g^x]]\n\n# Two\n"),
        ("g.md", "![[f]]\n\nText ^x\n"),
    ]);
    let mut diags = Diagnostics::default();
    resolve(&mut site, &mut diags);
    let cycles: Vec<&str> = diags
        .items
        .iter()
        .filter(|d| d.code == "embed-cycle")
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(
        cycles,
        [
            "content/a.md",
            "content/b.md",
            "content/c.md",
            "content/d.md"
        ]
    );
}

#[test]
fn typed_references_pick_the_note_of_their_kind() {
    let mut site = site(&[
            ("reps/jane.md", "---\ntype: rep\nname: Jane Doe\nteam: T\nstart_date: 2026-01-01\nquota: 10\n---\n"),
            ("pages/Jane Doe.md", "About Jane.\n"),
            ("d.md", "---\ntype: deal\nname: D\naccount: A\nowner: Jane Doe\nstage: proposal\ncreated: 2026-01-01\n---\n[[Jane Doe]] [[#Missing]] [[jane^nope]]\n"),
        ]);
    let mut diags = Diagnostics::default();
    resolve(&mut site, &mut diags);
    let deal = site
        .notes
        .iter()
        .find(|n| n.path == "content/d.md")
        .unwrap();
    let owner = deal.deal().unwrap().owner.resolved.unwrap();
    assert_eq!(site.notes[owner].path, "content/reps/jane.md");
    // A body link takes the file name, as Obsidian does.
    let to = deal.links[0].resolved.unwrap();
    assert_eq!(site.notes[to].path, "content/pages/Jane Doe.md");
    // `[[#heading]]` is the note itself; missing anchors warn.
    assert_eq!(
        deal.links[1].resolved.map(|i| &site.notes[i].path),
        Some(&deal.path)
    );
    let anchors: Vec<String> = diags
        .items
        .iter()
        .filter(|d| d.code == "broken-anchor")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(anchors.len(), 2, "{anchors:?}");
    assert!(anchors[0].contains("no heading \"Missing\""), "{anchors:?}");
    assert!(anchors[1].contains("no block \"^nope\""), "{anchors:?}");
}

/// `resolve_again` looks only at the notes it resolves again (and
/// updates the backlinks, embed cycles and prep owners of the last run
/// from them): after each edit, everything must be what a full resolve
/// of the edited site gives.
#[test]
fn resolving_again_equals_resolving_everything() {
    let rep = |name: &str| {
        format!("---\ntype: rep\nname: {name}\nteam: T\nstart_date: 2026-01-01\nquota: 10\n---\n")
    };
    let deal = |owner: &str, body: &str| {
        format!("---\ntype: deal\nname: Big Deal\naccount: A\nowner: {owner}\nvalue: 1\nstage: proposal\ncreated: 2026-01-01\nclose_date: 2026-02-01\n---\n{body}")
    };
    let prep = |rep: &str| {
        format!("---\ntype: prep\ndeal: d\n{rep}date: 2026-01-05\nobjective: o\nbuyer_needs: b\nour_ask: a\n---\n")
    };
    let mut files: Vec<(String, String)> = vec![
        ("a.md".into(), "# A\n\nText ^x\n".into()),
        ("b.md".into(), "![[a]] [[c#Top]]\n".into()),
        ("c.md".into(), "# Top\n\n[[a]] [[a#Missing]] [[b]]\n".into()),
        ("d.md".into(), deal("r1", "[[a]]\n")),
        ("p.md".into(), prep("")),
        ("r1.md".into(), rep("One")),
        ("r2.md".into(), rep("Two")),
    ];
    let edits: [(&str, String); 9] = [
        // The deal's owner changes: the prep's default rep follows.
        ("d.md", deal("r2", "[[a]]\n")),
        // A cycle of embeds appears, then goes.
        ("a.md", "# A\n\n![[b]] Text ^x\n".into()),
        ("b.md", "[[c#Top]]\n".into()),
        ("b.md", "![[a]] ![[a]] [[c#Top]]\n".into()),
        // Links taken out, and a heading others link to.
        ("c.md", "# Other\n\n[[nobody]]\n".into()),
        ("a.md", "# A\n\nText\n".into()),
        // The prep names its own rep, then not again; the deal's owner goes.
        ("p.md", prep("rep: r1\n")),
        ("p.md", prep("")),
        ("d.md", deal("nobody", "[[c]] [[p]]\n")),
    ];
    let load = |files: &[(String, String)]| {
        let f: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        site(&f)
    };
    let seen = |site: &Site, diags: &Diagnostics| {
        let mut d: Vec<String> = diags.items.iter().map(|d| d.to_string()).collect();
        d.sort();
        let owners: Vec<Option<(String, Option<NoteIdx>)>> = (site.notes.iter())
            .map(|n| {
                let r = n.prep()?.deal_owner.as_ref()?;
                Some((r.target.clone(), r.resolved))
            })
            .collect();
        let titles: Vec<String> = site.notes.iter().map(|n| n.title.clone()).collect();
        (d, owners, titles)
    };
    let mut live = load(&files);
    let (mut links, mut kept) = resolve_keeping(&mut live, &mut Diagnostics::default());
    let (mut cycles_seen, mut owners_moved) = (false, false);
    for (file, text) in edits {
        let at = files.iter().position(|(f, _)| f == file).unwrap();
        files[at].1 = text;
        let fresh = load(&files);
        live.notes[at] = fresh.notes[at].clone();
        let mut only = vec![at];
        only.extend(&links.backlinks[at]);
        only.sort_unstable();
        only.dedup();
        let mut diags = Diagnostics::default();
        links = resolve_again(&mut live, &only, &mut kept, links, &mut diags);

        let mut full = fresh;
        let mut full_diags = Diagnostics::default();
        let (full_links, _) = resolve_keeping(&mut full, &mut full_diags);
        assert_eq!(
            links.backlinks, full_links.backlinks,
            "after editing {file}"
        );
        cycles_seen |= diags.items.iter().any(|d| d.code == "embed-cycle");
        owners_moved |= live.notes.iter().any(|n| {
            n.prep()
                .and_then(|p| p.deal_owner.as_ref())
                .is_some_and(|r| r.target == "r2")
        });
        assert_eq!(
            seen(&live, &diags),
            seen(&full, &full_diags),
            "after editing {file}"
        );
    }
    // The edits did what they say.
    let d = live.notes.iter().position(|n| n.id == "d").unwrap();
    let a = live.notes.iter().position(|n| n.id == "a").unwrap();
    let b = live.notes.iter().position(|n| n.id == "b").unwrap();
    assert_eq!(links.backlinks[a], [b]);
    assert_eq!(live.notes[d].links.len(), 2);
    assert!(cycles_seen && owners_moved);
}

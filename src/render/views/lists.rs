//! The lists of notes: a section, every note, the tags and a tag's
//! notes, and the handbook.

use super::{Cx, View};
use crate::model::{Kind, NoteIdx};
use crate::render::Renderer;
use serde::Serialize;

/// A note's row in the note tables (what the `note_table` macro's rows
/// are): link (flagged when the note has errors), kind, date and tags.
pub fn note_row(r: &Renderer, i: NoteIdx) -> String {
    use crate::render::escape::html as esc;
    let n = &r.site.notes[i];
    let date = n.list_date().map(|d| d.to_string());
    let mut row = String::with_capacity(160 + n.title.len());
    row.push_str("<tr><td><a href=\"");
    row.push_str(&esc(&r.href(&n.url_path())));
    row.push_str("\">");
    row.push_str(&esc(&n.title));
    row.push_str("</a>");
    if !n.valid {
        row.push_str(r#" <span class="badge risk-red">Has errors</span>"#);
    }
    row.push_str("</td><td>");
    row.push_str(&esc(n.kind.label()));
    row.push_str("</td><td>");
    match date {
        Some(d) => row.push_str(&esc(&d)),
        None => row.push_str(r#"<span class="dash">—</span>"#),
    }
    row.push_str("</td><td>");
    row.push_str(&esc(&n.tags.join(", ")));
    row.push_str("</td></tr>\n");
    row
}

/// The notes of one kind, in site order.
fn of_kind(cx: &Cx, k: Kind) -> Vec<NoteIdx> {
    cx.members(&[k])
}

#[derive(Serialize)]
struct Section {
    count: usize,
    rows: String,
    section_kind: &'static str,
}

pub fn section(cx: &Cx, k: Kind) -> View {
    let notes = of_kind(cx, k);
    let data = Section {
        count: notes.len(),
        rows: cx.rows(notes.into_iter()),
        section_kind: k.type_name(),
    };
    View::new(
        "section.html",
        k.plural(),
        "Section",
        format!("{}/", k.section()),
        &data,
    )
}

#[derive(Serialize)]
struct Group {
    kind: &'static str,
    url: String,
    count: usize,
    rows: String,
}

#[derive(Serialize)]
struct Notes {
    groups: Vec<Group>,
    count: usize,
}

pub fn notes(cx: &Cx) -> View {
    let mut groups = Vec::new();
    let mut total = 0;
    for k in Kind::ALL {
        let notes = of_kind(cx, k);
        total += notes.len();
        if !notes.is_empty() {
            groups.push(Group {
                kind: k.plural(),
                url: cx.href(&format!("{}/", k.section())),
                count: notes.len(),
                rows: cx.rows(notes.into_iter()),
            });
        }
    }
    let data = Notes {
        groups,
        count: total,
    };
    View::new("notes.html", "Every note", "Index", "notes/", &data)
}

/// A tag in a list: name, page and how many notes it has.
#[derive(Serialize)]
struct TagLine<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Tags<'a> {
    tags: Vec<TagLine<'a>>,
}

pub fn tags(cx: &Cx) -> View {
    let tags = cx
        .tags()
        .iter()
        .map(|(slug, (name, notes))| TagLine {
            name,
            url: cx.href(&format!("tags/{slug}/")),
            count: notes.len(),
        })
        .collect();
    View::new("tags.html", "Tags", "Tags", "tags/", &Tags { tags })
}

#[derive(Serialize)]
struct Tag<'a> {
    children: Vec<TagLine<'a>>,
    tag: String,
    count: usize,
    rows: String,
}

pub fn tag(cx: &Cx, slug: &str) -> View {
    let (name, notes) = cx.tag(slug);
    // The tags one level below (`region/emea` under `region`).
    let below = format!("{slug}/");
    let children = cx
        .tags()
        .range(below.clone()..)
        .take_while(|(s, _)| s.starts_with(&below))
        .filter(|(s, _)| !s[below.len()..].contains('/'))
        .map(|(s, (n, notes))| TagLine {
            name: n,
            url: cx.href(&format!("tags/{s}/")),
            count: notes.len(),
        })
        .collect();
    let data = Tag {
        children,
        tag: name.clone(),
        count: notes.len(),
        rows: cx.rows(notes.iter().copied()),
    };
    View::new(
        "tag.html",
        format!("Tag: {name}"),
        "Tag",
        format!("tags/{slug}/"),
        &data,
    )
}

#[derive(Serialize)]
struct HandbookPage<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Folder<'a> {
    path: &'a str,
    anchor: String,
    depth: usize,
    name: &'a str,
    pages: Vec<HandbookPage<'a>>,
}

#[derive(Serialize)]
struct Handbook<'a> {
    folders: Vec<Folder<'a>>,
    count: usize,
}

/// The handbook: every plain page grouped by the folder it lives in,
/// folders in path order, pages by title. One flat list of sections (a
/// folder's full path as its heading), so it stays one page however large
/// the handbook grows. `home`: it is the home page of a site with no reps.
pub fn handbook(cx: &Cx, home: bool) -> View {
    let mut pages: Vec<(&str, &crate::model::Note)> = cx
        .of_kinds(&[Kind::Page])
        .into_iter()
        .map(|(_, n)| {
            let inner = n.path.strip_prefix("content/").unwrap_or(&n.path);
            let folder = inner.rsplit_once('/').map_or("", |(f, _)| f);
            (folder, n)
        })
        .collect();
    pages.sort_by(|a, b| (a.0, a.1.title.to_lowercase()).cmp(&(b.0, b.1.title.to_lowercase())));
    let mut folders = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let folder = pages[i].0;
        let mut items = Vec::new();
        while i < pages.len() && pages[i].0 == folder {
            let n = pages[i].1;
            items.push(HandbookPage {
                title: &n.title,
                url: cx.href(&n.url_path()),
            });
            i += 1;
        }
        folders.push(Folder {
            path: folder,
            anchor: slug::slugify(folder),
            depth: if folder.is_empty() {
                0
            } else {
                folder.matches('/').count() + 1
            },
            name: folder.rsplit('/').next().unwrap_or(folder),
            pages: items,
        });
    }
    let data = Handbook {
        folders,
        count: pages.len(),
    };
    if home {
        View::new(
            "handbook.html",
            cx.config().title.clone(),
            "Handbook",
            "",
            &data,
        )
    } else {
        View::new("handbook.html", "Handbook", "Handbook", "handbook/", &data)
    }
}

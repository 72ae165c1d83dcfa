//! The lists of notes: a section, every note, the tags and a tag's
//! notes, and the handbook.

use super::{Cx, View};
use crate::model::{Kind, NoteIdx};
use crate::render::{page_count, List, Renderer};
use serde::Serialize;
use std::ops::Range;

/// A note's row in the note tables (what the `note_table` macro's rows
/// are): link (flagged when the note has errors), kind, date and tags.
pub fn note_row(r: &Renderer, i: NoteIdx) -> String {
    use crate::render::escape::html as esc;
    let n = &r.site.notes[i];
    let date = n.list_date().map(|d| d.to_string());
    let mut row = String::with_capacity(160 + n.title.len());
    row.push_str("<tr><td><a href=\"");
    row.push_str(&esc(&r.note_url(n)));
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

/// Where a page of a paginated list stands: which rows it shows and the
/// links to the pages before and after it. A list that fits on one page
/// has `pages` 1 (the templates then show no pager).
#[derive(Serialize)]
struct Pager {
    /// This page (1-based) and how many the list has.
    page: usize,
    pages: usize,
    /// The first and last row shown and the list's length, formatted
    /// ("1", "200", "10,000").
    first: String,
    last: String,
    total: String,
    /// The URLs of the previous and next pages (none on the first and last).
    prev: Option<String>,
    next: Option<String>,
}

/// Page `page` of `list`, `len` rows long: the pager and the range of
/// rows it shows (a page past the end shows none).
fn paginate(cx: &Cx, list: &List, len: usize, page: usize) -> (Pager, Range<usize>) {
    let size = cx.config().page_size.max(1);
    let pages = page_count(len, size);
    let page = page.clamp(1, pages);
    let rows = ((page - 1) * size).min(len)..(page * size).min(len);
    let number = |n: usize| crate::render::format::thousands(n as f64);
    let pager = Pager {
        page,
        pages,
        first: number(rows.start + 1),
        last: number(rows.end),
        total: number(len),
        prev: (page > 1).then(|| cx.href(&list.page_path(page - 1))),
        next: (page < pages).then(|| cx.href(&list.page_path(page + 1))),
    };
    (pager, rows)
}

/// A page's title: the list's, with "page 2 of 5" after it from the
/// second page on.
fn paged_title(title: &str, pager: &Pager) -> String {
    if pager.page > 1 {
        format!("{title}, page {} of {}", pager.page, pager.pages)
    } else {
        title.to_string()
    }
}

#[derive(Serialize)]
struct Section {
    count: usize,
    rows: String,
    section_kind: &'static str,
    pager: Pager,
}

pub fn section(cx: &Cx, k: Kind, page: usize) -> View {
    let list = List::Section(k);
    let notes = of_kind(cx, k);
    let (pager, range) = paginate(cx, &list, notes.len(), page);
    let path = list.page_path(pager.page);
    let title = paged_title(k.plural(), &pager);
    let data = Section {
        count: notes.len(),
        rows: cx.rows(notes[range].iter().copied()),
        section_kind: k.type_name(),
        pager,
    };
    View::new("section.html", title, "Section", path, &data)
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
    pager: Pager,
}

/// Page `page` of every note: the notes grouped by kind, in kind order,
/// and a page holds `page_size` rows of that order (a group cut by a page
/// break goes on at the top of the next page, under its heading again).
/// Each page reads only its own rows, so an edit re-renders the page that
/// lists the note.
pub fn notes(cx: &Cx, page: usize) -> View {
    let kinds: Vec<(Kind, Vec<NoteIdx>)> =
        Kind::ALL.iter().map(|k| (*k, of_kind(cx, *k))).collect();
    let total: usize = kinds.iter().map(|(_, n)| n.len()).sum();
    let (pager, range) = paginate(cx, &List::Notes, total, page);
    let mut groups = Vec::new();
    let mut at = 0;
    for (k, notes) in kinds {
        // This kind's rows are `from..to` of the whole list.
        let (from, to) = (at, at + notes.len());
        at = to;
        let start = range.start.clamp(from, to) - from;
        let end = range.end.clamp(from, to) - from;
        if start < end {
            groups.push(Group {
                kind: k.plural(),
                url: cx.href(&format!("{}/", k.section())),
                count: notes.len(),
                rows: cx.rows(notes[start..end].iter().copied()),
            });
        }
    }
    let path = List::Notes.page_path(pager.page);
    let title = paged_title("Every note", &pager);
    let data = Notes {
        groups,
        count: total,
        pager,
    };
    View::new("notes.html", title, "Index", path, &data)
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
    pager: Pager,
}

pub fn tag(cx: &Cx, slug: &str, page: usize) -> View {
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
    let list = List::Tag(slug.to_string());
    let (pager, range) = paginate(cx, &list, notes.len(), page);
    let path = list.page_path(pager.page);
    let title = paged_title(&format!("Tag: {name}"), &pager);
    let data = Tag {
        children,
        tag: name.clone(),
        count: notes.len(),
        rows: cx.rows(notes[range].iter().copied()),
        pager,
    };
    View::new("tag.html", title, "Tag", path, &data)
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
                url: cx.note_url(n),
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

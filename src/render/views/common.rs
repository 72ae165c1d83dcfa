//! What many views share: links to notes, references, tags, a note's own
//! page (body, properties, backlinks), labels.

use super::Cx;
use crate::model::{Note, NoteIdx, RefField, WikiLink};
use crate::render::charts::Unit;
use crate::render::format::currency_symbol;
use crate::render::markdown::LinkTarget;
use crate::render::Renderer;
use serde::Serialize;

/// Title, URL and kind of a note, for links and lists.
#[derive(Serialize, Clone)]
pub struct NoteLink {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub type_name: &'static str,
    pub id: String,
}

/// [`NoteLink`] without recording the read (the caller did).
pub(super) fn note_link_raw(r: &Renderer, i: NoteIdx) -> NoteLink {
    let n = &r.site.notes[i];
    NoteLink {
        title: n.title.clone(),
        url: r.note_url(n),
        kind: n.kind.label(),
        type_name: n.kind.type_name(),
        id: n.id.clone(),
    }
}

/// A reference: the note it resolves to, or its text marked broken.
#[derive(Serialize)]
#[serde(untagged)]
pub enum RefLink {
    Note(NoteLink),
    Broken {
        title: String,
        url: Option<String>,
        broken: bool,
    },
}

pub fn ref_link(cx: &Cx, f: Option<&RefField>) -> Option<RefLink> {
    let f = f?;
    Some(match f.resolved {
        Some(i) => RefLink::Note(cx.link(i)),
        // A note the audience leaves out: its text as written, no link.
        None if f.excluded => RefLink::Broken {
            title: f.target.clone(),
            url: None,
            broken: false,
        },
        None => RefLink::Broken {
            title: f.target.clone(),
            url: None,
            broken: true,
        },
    })
}

/// A name and the URL of its page (a tag, a team).
#[derive(Serialize)]
pub struct Named {
    pub name: String,
    pub url: String,
}

pub fn tags_view(cx: &Cx, tags: &[String]) -> Vec<Named> {
    tags.iter()
        .filter_map(|t| {
            let s = crate::content::obsidian::tag_slug(t);
            (!s.is_empty()).then(|| Named {
                name: t.clone(),
                url: cx.href(&format!("tags/{s}/")),
            })
        })
        .collect()
}

/// Where a wikilink goes: its note's page, at the heading or block it
/// names; `None` when it is broken.
fn link_target(cx: &Cx, l: &WikiLink) -> LinkTarget {
    if let Some(i) = l.resolved {
        cx.link(i);
    }
    crate::render::obsidian::embeds::link_target(cx.raw(), l)
}

/// A property's value as HTML: its text, with each `[[wikilink]]` in it
/// (the note's `property_links` of this property, in order) a link.
fn property_html(cx: &Cx, n: &Note, index: usize, text: &str) -> String {
    use crate::render::escape::html as esc;
    let mut links = n
        .property_links
        .iter()
        .filter(|(p, _)| *p == index)
        .map(|(_, l)| l);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, dest, label) in crate::content::obsidian::text_links(text) {
        let Some(l) = links.next() else { break };
        out.push_str(&esc(&text[at..range.start]));
        let shown = label.unwrap_or_else(|| crate::content::obsidian::link_text(&dest));
        if l.excluded {
            out.push_str(&esc(&shown));
            at = range.end;
            continue;
        }
        let t = link_target(cx, l);
        match t.href {
            Some(href) => out.push_str(&format!(
                "<a class=\"wikilink\" href=\"{}\" title=\"{}\">{}</a>",
                esc(&href),
                esc(&t.title),
                esc(&shown)
            )),
            None => out.push_str(&format!(
                "<a class=\"broken-link\" title=\"{}\">{}</a>",
                esc(&t.title),
                esc(&shown)
            )),
        }
        at = range.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// A note's body on its page, its embeds shown (see `obsidian::embeds`).
/// What it reads: the title and URL of each note it links to, and every
/// field of each note it embeds (its body, and the notes its links lead
/// to, which the embedded text links to in turn).
fn body_html(cx: &Cx, n: &Note) -> String {
    use crate::model::LinkKind;
    for l in &n.links {
        let Some(i) = l.resolved else { continue };
        cx.link(i);
        if l.kind == LinkKind::Embed {
            let embedded = cx.note(i);
            for inner in &embedded.links {
                if let Some(j) = inner.resolved {
                    cx.link(j);
                }
            }
        }
    }
    crate::render::obsidian::embeds::body_html(cx.raw(), n)
}

/// The label of the attainment target on charts: `Target 90%`.
pub fn attainment_target_label() -> String {
    format!(
        "Target {}",
        crate::render::format::pct(Some(crate::metrics::scorecard::ATTAINMENT_TARGET))
    )
}

/// A bar chart of quota attainment (percent) with the scorecard's target
/// line: the dashboard's, the team's and the rep's.
pub fn attainment_chart(
    id: &str,
    title: &str,
    description: &str,
    bars: &[crate::render::charts::Bar],
) -> String {
    crate::render::charts::bar_chart(
        &crate::render::charts::ChartSpec {
            id,
            title,
            description,
            unit: Unit::Percent,
            target: Some((
                crate::metrics::scorecard::ATTAINMENT_TARGET,
                &attainment_target_label(),
            )),
            value_label: "Attainment",
            secondary_label: None,
        },
        bars,
    )
}

/// A key as a label: `next_step` -> `Next step`.
pub fn label(key: &str) -> String {
    let s = key.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

pub fn money_unit(cx: &Cx) -> Unit {
    Unit::Money {
        symbol: currency_symbol(&cx.config().currency),
    }
}

/// One property of a note: its key, text, and text as HTML with links.
#[derive(Serialize)]
pub struct Property {
    pub key: String,
    pub value: String,
    pub html: String,
}

/// What every note's page shows (`page.html` and each kind's template).
#[derive(Serialize)]
pub struct NotePage {
    pub body: String,
    pub tags: Vec<Named>,
    pub backlinks: Vec<NoteLink>,
    pub source: String,
    pub breadcrumb: Vec<String>,
    pub properties: Vec<Property>,
    pub note_valid: bool,
    /// The kind a note with errors declares (only on such a note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_kind: Option<&'static str>,
    /// A plain page's date (only on plain pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Option<String>>,
}

impl NotePage {
    pub fn of(cx: &Cx, i: NoteIdx) -> NotePage {
        let n = cx.note(i);
        NotePage {
            body: body_html(cx, n),
            tags: tags_view(cx, &n.tags),
            backlinks: cx.backlinks(i).iter().map(|j| cx.link(*j)).collect(),
            source: n.path.clone(),
            breadcrumb: breadcrumb(&n.path),
            properties: n
                .properties
                .iter()
                .enumerate()
                .map(|(p, (k, v))| Property {
                    key: k.clone(),
                    value: v.clone(),
                    html: property_html(cx, n, p, v),
                })
                .collect(),
            note_valid: n.valid,
            declared_kind: (!n.valid).then(|| n.kind.label()),
            date: (n.valid && n.kind == crate::model::Kind::Page)
                .then(|| n.date.map(|d| d.to_string())),
        }
    }
}

/// The folders a note lives in under `content/`, outermost first
/// (`content/handbook/objections/price.md` -> handbook, objections).
fn breadcrumb(path: &str) -> Vec<String> {
    let inner = path.strip_prefix("content/").unwrap_or(path);
    let mut parts: Vec<String> = inner.split('/').map(str::to_string).collect();
    parts.pop();
    parts
}

//! Audiences (`[audiences.NAME]` in `coachbook.toml`, `--audience`,
//! `--all-audiences`): which notes one reader's site holds, and that site
//! made from the whole site's analysis (see docs/audiences.md).
//!
//! The whole site is read, validated and linked once. An audience then
//! picks its notes ([`select`]) and [`restrict`] makes a new
//! [`Analysis`] of those alone: the notes are copied with every link and
//! reference to a note left out cut (a link to one is marked
//! [`WikiLink::excluded`] and shown as its label text), backlinks are
//! counted again among them, and the figures are computed from them only.
//! Nothing the renderer reads holds a left-out note, so no page, list,
//! search entry, chart or embed can show one. A team's figures are kept
//! only when the audience holds every rep of the team, the company's
//! (`org` in `metrics.json`) only when it holds every rep; a rep's own
//! view (`rep:ID`) shows its team's and the company's figures from the
//! whole site, pooled, when the pool has at least [`MIN_POOL`] reps.

use crate::build::Analysis;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::links::backlinks;
use crate::model::{ForecastOwner, Kind, Note, NoteData, NoteIdx, Site};
use std::collections::{BTreeMap, BTreeSet};

/// The fewest reps a pooled figure of a rep's own view may hold: with two,
/// the reader subtracts their own figure and learns the other rep's.
pub const MIN_POOL: usize = 3;

mod config;
use config::{folder_key, tag_key};
pub use config::{parse_audiences, AudienceConfig};

/// The audience a command builds: a configured one, or a rep's own view.
#[derive(Debug, Clone, PartialEq)]
pub enum Audience {
    Named(String, Box<AudienceConfig>),
    /// `rep:ID`: the rep (by note id) sees their own notes and the handbook.
    Rep(String),
}

impl Audience {
    /// `NAME` of `coachbook.toml`, or `rep:ID`; an unknown name is a
    /// usage error naming the configured ones.
    pub fn find(name: &str, config: &crate::config::Config) -> Result<Audience, String> {
        if let Some(id) = name.strip_prefix("rep:") {
            let id = id.trim();
            if id.is_empty() {
                return Err("--audience rep:ID needs a rep's id, like rep:dana-whitfield".into());
            }
            return Ok(Audience::Rep(id.to_string()));
        }
        match config.audiences.get(name) {
            Some(a) => Ok(Audience::Named(name.to_string(), Box::new(a.clone()))),
            None => {
                let known: Vec<&str> = config.audiences.keys().map(String::as_str).collect();
                Err(if known.is_empty() {
                    format!("no audience {name:?}: coachbook.toml declares none (add an [audiences.{name}] table, see docs/audiences.md), and rep:ID is a rep's own view")
                } else {
                    format!(
                        "no audience {name:?} in coachbook.toml; it declares {} (and rep:ID is a rep's own view)",
                        known.join(", ")
                    )
                })
            }
        }
    }

    /// Every configured audience, by name.
    pub fn all(config: &crate::config::Config) -> Vec<Audience> {
        config
            .audiences
            .iter()
            .map(|(n, a)| Audience::Named(n.clone(), Box::new(a.clone())))
            .collect()
    }

    pub fn name(&self) -> String {
        match self {
            Audience::Named(n, _) => n.clone(),
            Audience::Rep(id) => format!("rep:{id}"),
        }
    }

    /// Public: no `noindex`, a sitemap. A rep's own view never is.
    pub fn public(&self) -> bool {
        matches!(self, Audience::Named(_, a) if a.public)
    }

    pub fn sitemap(&self) -> bool {
        matches!(self, Audience::Named(_, a) if a.public || a.sitemap)
    }
}

/// What the writer needs to know of the audience being built.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub name: String,
    pub public: bool,
    pub sitemap: bool,
    /// The audience holds every rep: `org` is in `metrics.json`.
    pub org: bool,
    /// The audience holds every rep note: the dashboard's figures are the
    /// company's, not only the audience's own notes.
    pub every_rep: bool,
}

/// The rep and team a note belongs to, through its owner.
struct Owner<'a> {
    rep: Option<&'a str>,
    teams: Vec<&'a str>,
}

fn owner_of<'a>(site: &'a Site, n: &'a Note) -> Owner<'a> {
    if !n.valid {
        return Owner {
            rep: None,
            teams: Vec::new(),
        };
    }
    let rep_idx: Option<NoteIdx> = match &n.data {
        NoteData::Rep(_) => None,
        NoteData::Deal(d) => d.owner.resolved,
        NoteData::Interaction(_) | NoteData::Prep(_) => {
            n.rep_ref().and_then(|r| r.resolved).or_else(|| {
                let deal = n.deal_ref()?.resolved?;
                site.notes.get(deal)?.deal()?.owner.resolved
            })
        }
        NoteData::Forecast(f) => match &f.owner {
            ForecastOwner::Rep(r) => r.resolved,
            ForecastOwner::Team(t) => {
                return Owner {
                    rep: None,
                    teams: vec![t.as_str()],
                }
            }
        },
        NoteData::Manager(m) => {
            return Owner {
                rep: None,
                teams: m.teams.iter().map(String::as_str).collect(),
            }
        }
        NoteData::Page => None,
    };
    let rep_note = match &n.data {
        NoteData::Rep(_) => Some(n),
        _ => rep_idx.and_then(|i| site.notes.get(i)).filter(|r| r.valid),
    };
    match rep_note.and_then(|r| r.rep().map(|data| (r, data))) {
        Some((r, data)) => Owner {
            rep: Some(r.id.as_str()),
            teams: vec![data.team.as_str()],
        },
        None => Owner {
            rep: None,
            teams: Vec::new(),
        },
    }
}

fn same(a: &str, b: &str) -> bool {
    crate::content::obsidian::fold(a.trim()) == crate::content::obsidian::fold(b.trim())
}

/// `private: true` in the note's frontmatter.
pub fn is_private(n: &Note) -> bool {
    n.private
}

/// The audiences the note's frontmatter `audience:` limits it to (a name
/// or a list of names), if it says.
pub fn limited_to(n: &Note) -> Option<&[String]> {
    n.audiences.as_deref()
}

/// Which notes of `site` (linked: owners are found through resolved
/// references) are in `audience`, by index.
pub fn select(site: &Site, audience: &Audience) -> Vec<bool> {
    let name = audience.name();
    site.notes
        .iter()
        .map(|n| {
            let base = match audience {
                Audience::Named(_, a) => picked(site, n, a),
                Audience::Rep(id) => {
                    n.kind == Kind::Page || owner_of(site, n).rep.is_some_and(|r| same(r, id))
                }
            };
            let private_ok = match audience {
                Audience::Named(_, a) => a.private || !is_private(n),
                Audience::Rep(_) => !is_private(n),
            };
            let listed = limited_to(n).is_none_or(|l| l.iter().any(|x| x == &name));
            base && private_ok && listed
        })
        .collect()
}

/// The selectors and exclusions of one configured audience.
fn picked(site: &Site, n: &Note, a: &AudienceConfig) -> bool {
    let owner = owner_of(site, n);
    let path = n.content_path().to_lowercase();
    let in_folder = |fs: &[String]| {
        fs.iter().any(|f| {
            let k = folder_key(f);
            k.is_empty() || path.starts_with(&k)
        })
    };
    let tagged = |ts: &[String]| {
        ts.iter().any(|t| {
            let want = tag_key(t);
            n.tags.iter().any(|nt| {
                let have = tag_key(nt);
                have == want || have.starts_with(&format!("{want}/"))
            })
        })
    };
    let of_team = |ts: &[String]| ts.iter().any(|t| owner.teams.iter().any(|o| same(o, t)));
    let of_rep = |rs: &[String]| owner.rep.is_some_and(|r| rs.iter().any(|x| same(x, r)));
    let selected = a.kinds.contains(&n.kind)
        || of_team(&a.teams)
        || of_rep(&a.reps)
        || in_folder(&a.folders)
        || tagged(&a.tags);
    let excluded = a.exclude_kinds.contains(&n.kind)
        || of_team(&a.exclude_teams)
        || of_rep(&a.exclude_reps)
        || in_folder(&a.exclude_folders)
        || tagged(&a.exclude_tags);
    selected && !excluded
}

/// The analysis of `audience`'s site, made from the whole site's `full`
/// (linked and measured), and the `link-to-excluded` warnings of its
/// notes (printed, never shown on a page).
pub fn restrict(full: &Analysis, audience: &Audience) -> (Analysis, Diagnostics) {
    let included = select(&full.site, audience);
    let mut map: Vec<Option<NoteIdx>> = vec![None; full.site.notes.len()];
    let mut next = 0;
    for (i, inc) in included.iter().enumerate() {
        if *inc {
            map[i] = Some(next);
            next += 1;
        }
    }
    let name = audience.name();
    let mut warnings = Diagnostics::default();
    let mut notes = Vec::with_capacity(next);
    for (i, n) in full.site.notes.iter().enumerate() {
        if map[i].is_none() {
            continue;
        }
        let mut note = n.clone();
        // A prep's rep filled in from its deal's owner goes with the owner.
        if let NoteData::Prep(p) = &mut note.data {
            let owner = p.deal_owner.as_ref().and_then(|r| r.resolved);
            if owner.is_some_and(|j| map[j].is_none()) {
                p.deal_owner = None;
            }
            // Renumbered here: `refs_mut` below holds only what the note wrote.
            if let Some(r) = p.deal_owner.as_mut() {
                r.resolved = r.resolved.and_then(|j| map[j]);
            }
        }
        for (r, _) in note.refs_mut() {
            if let Some(j) = r.resolved {
                r.resolved = map[j];
                r.excluded = map[j].is_none();
            }
        }
        let path = note.path.clone();
        let links = note
            .links
            .iter_mut()
            .chain(note.property_links.iter_mut().map(|(_, l)| l));
        for l in links {
            let Some(j) = l.resolved else { continue };
            match map[j] {
                Some(k) => l.resolved = Some(k),
                None => {
                    l.resolved = None;
                    l.excluded = true;
                    l.broken = false;
                    l.set_heading_id(None);
                    warnings.push(
                        Diagnostic::warning(
                            Code::LinkToExcluded,
                            &path,
                            l.span.line,
                            format!(
                                "links to {:?}, which the audience {name} leaves out: the page shows the link's text, with no link",
                                full.site.notes[j].path
                            ),
                        )
                        .with_help("link only to notes of the audience, or include the note in it (see docs/audiences.md)")
                        .at_span(l.span),
                    );
                }
            }
        }
        notes.push(note);
    }
    // Untitled notes are named again from the notes left: "One-to-one
    // with ..." never names a rep the audience leaves out.
    crate::links::name_untitled(&mut notes);
    // Only the files a note of the audience links to or embeds are
    // published: a left-out coaching note's photo stays out.
    let linked: BTreeSet<&str> = notes
        .iter()
        .flat_map(|n| n.all_links().filter_map(|l| l.attachment()))
        .collect();
    let attachments = full.site.attachments.only(|p| linked.contains(p));
    drop(linked);
    let mut site = Site { notes, attachments };
    let links = backlinks(&site);
    let mut metrics = crate::metrics::compute(&site, &full.config, full.as_of);
    // What changed is a comparison of the whole site's history.
    metrics.changes = Default::default();
    let reps_all: BTreeSet<&str> = full.site.reps().map(|(_, n, _)| n.id.as_str()).collect();
    let reps_in: BTreeSet<&str> = site.reps().map(|(_, n, _)| n.id.as_str()).collect();
    let whole_org = reps_all.iter().all(|r| reps_in.contains(r));
    let mut team_reps: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (_, n, r) in full.site.reps() {
        team_reps
            .entry(r.team.as_str())
            .or_default()
            .push(n.id.as_str());
    }
    let mut org_shown = whole_org;
    match audience {
        Audience::Rep(_) => {
            // Pooled figures from the whole site, only when a reader cannot
            // subtract themselves out to learn one other rep's.
            metrics.teams.clear();
            for (team, reps) in &team_reps {
                if reps.iter().any(|r| reps_in.contains(r)) && reps.len() >= MIN_POOL {
                    if let Some(m) = full.metrics.teams.get(*team) {
                        metrics.teams.insert((*team).to_string(), m.clone());
                    }
                }
            }
            org_shown = reps_all.len() >= MIN_POOL && !reps_in.is_empty();
            if org_shown {
                metrics.org = full.metrics.org.clone();
            }
        }
        Audience::Named(..) => {
            metrics.teams.retain(|team, _| {
                team_reps
                    .get(team.as_str())
                    .is_some_and(|reps| reps.iter().all(|r| reps_in.contains(r)))
            });
        }
    }
    // Without every rep, the company's figures on pages sum the
    // audience's own notes; `metrics.json` says `org: null`.
    // Keep what lets any page name a note left out: a diagnostic of
    // another file, or one whose words name a left-out note.
    let names: Vec<String> = full
        .site
        .notes
        .iter()
        .enumerate()
        .filter(|(i, _)| map[*i].is_none())
        .flat_map(|(_, n)| {
            let mut v = vec![n.id.clone(), n.title.clone(), n.stem().to_string()];
            v.extend(n.aliases.iter().cloned());
            v
        })
        .map(|s| s.to_lowercase())
        .filter(|s| s.len() > 2)
        .collect();
    let kept: BTreeSet<&str> = site.notes.iter().map(|n| n.path.as_str()).collect();
    let excluded_paths: BTreeSet<&str> = full
        .site
        .notes
        .iter()
        .map(|n| n.path.as_str())
        .filter(|p| !kept.contains(p))
        .collect();
    let mut diags = Diagnostics::default();
    diags.extend(
        full.diags
            .items
            .iter()
            .filter(|d| {
                let of_kept = kept.contains(d.file.as_str())
                    || !(d.file.starts_with("content/")
                        || excluded_paths.contains(d.file.as_str()));
                let text =
                    format!("{} {}", d.message, d.help.as_deref().unwrap_or("")).to_lowercase();
                of_kept && !names.iter().any(|n| text.contains(n.as_str()))
            })
            .cloned(),
    );
    site.notes.shrink_to_fit();
    let a = Analysis {
        config: full.config.clone(),
        as_of: full.as_of,
        site,
        links,
        metrics,
        diags,
        timings: Vec::new(),
        audience: Some(Shown {
            name,
            public: audience.public(),
            sitemap: audience.sitemap(),
            org: org_shown,
            every_rep: whole_org,
        }),
    };
    warnings.sort();
    (a, warnings)
}

/// `metrics.json` of an audience: the same keys as the whole site's, with
/// `org` null when the audience does not hold every rep.
pub fn metrics_json(m: &crate::metrics::Metrics, shown: &Shown) -> String {
    let text = crate::metrics::to_json(m);
    if shown.org {
        return text;
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut v) => {
            if let Some(o) = v.as_object_mut() {
                o.insert("org".to_string(), serde_json::Value::Null);
            }
            serde_json::to_string_pretty(&v).map_or(text, |s| format!("{s}\n"))
        }
        Err(_) => text,
    }
}

/// The page with `<meta name="robots" content="noindex">` after its
/// `<head>` (every page of an audience that is not public).
pub fn noindex(html: &str) -> String {
    const META: &str = "\n<meta name=\"robots\" content=\"noindex\">";
    match html.find("<head>") {
        Some(i) => {
            let at = i + "<head>".len();
            format!("{}{META}{}", &html[..at], &html[at..])
        }
        None => format!("{}{html}", META.trim_start()),
    }
}

#[cfg(test)]
mod tests;

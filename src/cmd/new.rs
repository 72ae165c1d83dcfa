//! `coachbook new <kind> [TITLE]`: a new note from the theme's template for
//! its kind (`themes/default/new/`), with the frontmatter filled from what
//! the site already knows and the kind's Socratic prompts as headings.

use super::site_write;
use super::*;
use crate::build;
use crate::model::{Kind, NoteData};
use chrono::NaiveDate;
use serde_json::json;

/// The note templates: (kind, source).
const TEMPLATES: &[(&str, &str)] = &[
    ("rep", include_str!("../../themes/default/new/rep.md")),
    (
        "manager",
        include_str!("../../themes/default/new/manager.md"),
    ),
    ("deal", include_str!("../../themes/default/new/deal.md")),
    (
        "debrief",
        include_str!("../../themes/default/new/debrief.md"),
    ),
    (
        "coaching",
        include_str!("../../themes/default/new/coaching.md"),
    ),
    ("call", include_str!("../../themes/default/new/call.md")),
    ("prep", include_str!("../../themes/default/new/prep.md")),
    (
        "forecast",
        include_str!("../../themes/default/new/forecast.md"),
    ),
    ("page", include_str!("../../themes/default/new/page.md")),
];

/// The arguments of `coachbook new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// rep, deal, debrief, coaching, call, prep, forecast or page
    #[arg(value_parser = parse_kind)]
    pub kind: Kind,
    /// The note's title (or name, for reps and deals)
    pub title: Option<String>,
    /// The rep it is about (id or name)
    #[arg(long)]
    pub rep: Option<String>,
    /// The deal it is about (id or name); its owner is the default rep
    #[arg(long)]
    pub deal: Option<String>,
    /// Its date [default: as_of, else today]
    #[arg(long, value_parser = parse_as_of)]
    pub date: Option<NaiveDate>,
    /// The site folder [default: .]
    #[arg(long)]
    pub site: Option<PathBuf>,
}

/// A kind `new` has no template for (`main` prints it as `error: ...`,
/// as every usage error, rather than in clap's words).
#[derive(Debug, thiserror::Error)]
#[error("unknown kind {given:?}: one of {}", Kind::ALL.map(Kind::type_name).join(", "))]
pub struct UnknownKind {
    given: String,
}

/// The kind a `type` value names (ignoring case and separators).
pub fn parse_kind(s: &str) -> Result<Kind, UnknownKind> {
    Kind::from_type(s).ok_or_else(|| UnknownKind {
        given: s.to_string(),
    })
}

pub fn run(args: Args) -> u8 {
    match create(&args) {
        Ok(path) => {
            println!(
                "{}",
                crate::diagnostics::escape_controls(&path.display().to_string())
            );
            EXIT_OK
        }
        Err(e) => usage_error(&e),
    }
}

/// Writes the new note; returns its path.
pub fn create(o: &Args) -> Result<PathBuf, String> {
    let kind = o.kind;
    let site = site_dir(o.site.clone());
    let a = build::analyse(&site, None).map_err(|e| e.to_string())?;
    let today = o.date.unwrap_or(a.as_of);
    let find = |target: &str, want: Kind| -> Result<usize, String> {
        let index = crate::links::Index::new(&a.site.notes);
        match index.resolve(target) {
            crate::links::Resolution::Found(i) if a.site.notes[i].kind == want => Ok(i),
            crate::links::Resolution::Found(i) => Err(format!(
                "{target:?} is a {}, not a {}",
                a.site.notes[i].kind.type_name(),
                want.type_name()
            )),
            crate::links::Resolution::Ambiguous(_) => {
                Err(format!("{target:?} matches several notes: use its id"))
            }
            crate::links::Resolution::Missing => {
                Err(format!("no {} matches {target:?}", want.type_name()))
            }
        }
    };
    let deal = o.deal.as_deref().map(|d| find(d, Kind::Deal)).transpose()?;
    let mut rep = o.rep.as_deref().map(|r| find(r, Kind::Rep)).transpose()?;
    // A note about a deal is, unless told otherwise, its owner's.
    if rep.is_none() {
        rep = deal
            .and_then(|d| a.site.notes[d].deal())
            .and_then(|d| d.owner.resolved);
    }
    let id_of = |i: Option<usize>| i.map(|i| a.site.notes[i].id.clone());
    let title_of = |i: Option<usize>| i.map(|i| a.site.notes[i].title.clone());
    let title = o.title.clone().unwrap_or_else(|| match kind {
        Kind::Debrief => format!(
            "Debrief: {}",
            title_of(deal).unwrap_or_else(|| "deal".into())
        ),
        Kind::Coaching => format!(
            "{} one-to-one, {today}",
            title_of(rep).unwrap_or_else(|| "Coaching".into())
        ),
        Kind::Call => format!(
            "Call review: {}",
            title_of(deal)
                .or(title_of(rep))
                .unwrap_or_else(|| "call".into())
        ),
        Kind::Prep => format!(
            "Prep: {}, {today}",
            title_of(deal).unwrap_or_else(|| "meeting".into())
        ),
        Kind::Forecast => format!(
            "{} forecast {}",
            title_of(rep).unwrap_or_else(|| "Team".into()),
            period_of(&a, today)
        ),
        Kind::Rep => "New Rep".into(),
        Kind::Manager => "New Manager".into(),
        Kind::Deal => "New Deal".into(),
        Kind::Page => "New page".into(),
    });
    let focus: Vec<serde_json::Value> = rep
        .and_then(|r| match &a.site.notes[r].data {
            NoteData::Rep(x) => Some(x),
            _ => None,
        })
        .map(|x| {
            x.focus
                .iter()
                .map(|f| {
                    json!({"skill": f.skill, "current_behavior": f.current_behavior,
                                "target_behavior": f.target_behavior, "milestone": f.milestone})
                })
                .collect()
        })
        .unwrap_or_default();
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title);
    ctx.insert("date", &today.to_string());
    ctx.insert("rep", &id_of(rep));
    ctx.insert("deal", &id_of(deal));
    ctx.insert("focus", &focus);
    ctx.insert("period", &period_of(&a, today));
    ctx.insert(
        "stage",
        &a.config
            .stages
            .first()
            .map(|(s, _)| s.clone())
            .unwrap_or_default(),
    );
    let source = TEMPLATES
        .iter()
        .find(|(k, _)| *k == kind.type_name())
        .map(|(_, s)| *s)
        .unwrap_or_default();
    let mut tera = tera::Tera::default();
    tera.register_filter(
        "yaml",
        |v: &serde_json::Value, _: &std::collections::HashMap<String, serde_json::Value>| {
            let s = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            Ok(serde_json::Value::String(super::import::yaml_quote(&s)))
        },
    );
    tera.register_filter(
        "oneline",
        |v: &serde_json::Value, _: &std::collections::HashMap<String, serde_json::Value>| {
            // For YAML comments: one line, no control characters (YAML
            // allows none, and they are no use in a note).
            let s = v.as_str().unwrap_or_default();
            Ok(serde_json::Value::String(
                s.split(|c: char| c.is_whitespace() || crate::diagnostics::is_unsafe_char(c))
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ))
        },
    );
    let text = tera
        .render_str(source, &ctx)
        .map_err(|e| crate::render::theme::tera_error_chain(&e))?;

    let stem = match kind {
        Kind::Debrief | Kind::Coaching | Kind::Call | Kind::Prep
            if !slug::slugify(&title).contains(&today.to_string()) =>
        {
            format!("{today}-{}", slug::slugify(&title))
        }
        _ => slug::slugify(&title),
    };
    let stem = if stem.is_empty() {
        "note".to_string()
    } else {
        stem
    };
    if a.site.notes.iter().any(|n| n.id == stem) {
        return Err(format!(
            "a note with the id {stem:?} already exists; give another title"
        ));
    }
    // Never overwrites, never writes through a link (see site_write).
    let rel = Path::new("content")
        .join(kind.section())
        .join(format!("{stem}.md"));
    Ok(site_write::write(
        &site,
        &rel,
        text.as_bytes(),
        site_write::How::CreateNew,
    )?)
}

fn period_of(a: &build::Analysis, d: NaiveDate) -> String {
    let q = crate::metrics::fiscal::quarter_of(d, a.config.fiscal_year_start_month);
    q.label()
}

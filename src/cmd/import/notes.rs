//! The notes an import writes: the deal notes (found by `crm_id`, or new
//! ones named after the deal) and the rep notes made for new owners.

use super::edit::{self, Scalar};
use super::site_write::{self, Found, How};
use crate::content::frontmatter;
use serde_norway::{Mapping, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// `Natarajan, Priya` -> `Priya Natarajan`: the comma of a "Last, First"
/// name, as CRMs list people.
pub fn first_last(owner: &str) -> Option<String> {
    let (last, first) = owner.split_once(',')?;
    let (last, first) = (last.trim(), first.trim());
    (!last.is_empty() && !first.is_empty() && !first.contains(','))
        .then(|| format!("{first} {last}"))
}

/// The rep note made for an owner with none: the name only. Team, start
/// date and quota are the manager's to give (the build reports them
/// missing until then); an invented quota would skew every attainment
/// and coverage figure without anyone noticing.
pub fn placeholder_rep(name: &str) -> String {
    edit::new_note(
        &[
            ("type", Scalar::Text("rep".into())),
            ("name", Scalar::Text(name.into())),
        ],
        "Made by `coachbook import` for a deal owner with no rep note. Add the\nrep's `team`, `start_date` (YYYY-MM-DD) and annual `quota` to the\nfrontmatter above: until then the build reports them as missing.\n",
    )
}

/// A file to write once every row is planned.
pub struct Pending {
    /// Relative to the site folder.
    pub rel: PathBuf,
    pub text: String,
    pub how: How,
    pub row: usize,
    pub name: String,
    /// Its entry in the plan.
    pub plan: usize,
}

/// What one row does to its deal's note (paths relative to the site).
pub enum DealPlan {
    Create(PathBuf, String),
    Update(PathBuf, String, Vec<String>),
    Unchanged(PathBuf),
}

/// The new text of the deal note at `rel` (relative to `site`) with `fields`
/// set, or why it may not be updated (a link, not a regular file, a
/// frontmatter that does not parse or cannot be edited line by line).
pub fn update_deal(site: &Path, rel: &Path, fields: &[(&str, Scalar)]) -> Result<DealPlan, String> {
    let path = site.join(rel);
    match site_write::inspect(site, rel).map_err(|e| e.to_string())? {
        Found::File => {}
        Found::Nothing => return Err(format!("{} is gone", path.display())),
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (new_text, changed) =
        edit::edit(&text, fields).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if changed.is_empty() {
        DealPlan::Unchanged(rel.to_path_buf())
    } else {
        DealPlan::Update(rel.to_path_buf(), new_text, changed)
    })
}

/// Where a new deal note goes: `content/deals/<name>.md`, or
/// `<name>-<crm id>.md` when that is taken; an error when that is taken
/// too or a path may not be written.
pub fn new_deal_path(
    site: &Path,
    name: &str,
    crm: &str,
    planned: &HashSet<PathBuf>,
) -> Result<PathBuf, String> {
    let (name_slug, crm_slug) = (slug::slugify(name), slug::slugify(crm));
    let stems = match (name_slug.is_empty(), crm_slug.is_empty()) {
        (false, false) => vec![name_slug.clone(), format!("{name_slug}-{crm_slug}")],
        (false, true) => vec![name_slug],
        (true, false) => vec![format!("deal-{crm_slug}")],
        (true, true) => {
            return Err(
                "neither the name nor the id has letters or digits to name a note after".into(),
            )
        }
    };
    let mut last = String::new();
    for stem in stems {
        let rel = Path::new("content/deals").join(format!("{stem}.md"));
        if planned.contains(&rel) {
            last = site.join(&rel).display().to_string();
            continue;
        }
        match site_write::inspect(site, &rel) {
            Err(e) => return Err(e.to_string()),
            Ok(Found::Nothing) => return Ok(rel),
            Ok(_) => last = site.join(&rel).display().to_string(),
        }
    }
    Err(format!("{last} already exists"))
}

/// The `crm_id` of a note file, if it has one.
pub fn crm_id_of(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let split = frontmatter::split(&text).ok()?;
    let map: Mapping = serde_norway::from_str(split.yaml).ok()?;
    match map.get("crm_id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

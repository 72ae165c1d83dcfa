//! `coachbook import csv FILE --map salesforce|hubspot|MAPPING.toml`: turn a
//! CRM opportunity export into deal notes (and rep notes for owners that
//! have none). Re-running updates the frontmatter of the deal notes it
//! made before (matched by `crm_id`) and never touches their body text;
//! `--dry-run` shows what would change. Bad rows are reported with their
//! row number and skipped.

use super::*;
use crate::build;
use crate::content::frontmatter;
use crate::links::{Index, Resolution};
use crate::model::Kind;
use chrono::NaiveDate;
use serde_norway::{Mapping, Value};
use std::collections::BTreeMap;

/// Which CSV columns hold what, and how CRM stages map to the site's.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CrmMapping {
    pub columns: Columns,
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
    /// A chrono format for dates the built-in formats do not read.
    pub date_format: Option<String>,
    /// The quota given to rep notes made for new owners (edit it after).
    #[serde(default = "default_quota")]
    pub default_quota: f64,
}

fn default_quota() -> f64 {
    1_000_000.0
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Columns {
    pub id: String,
    pub name: String,
    pub account: String,
    pub owner: String,
    pub amount: String,
    pub stage: String,
    pub created: String,
    pub close_date: String,
    pub probability: Option<String>,
    pub next_step: Option<String>,
}

/// Salesforce's default opportunity report columns and stages.
pub const SALESFORCE: &str = r#"
[columns]
id = "Opportunity ID"
name = "Opportunity Name"
account = "Account Name"
owner = "Opportunity Owner"
amount = "Amount"
stage = "Stage"
created = "Created Date"
close_date = "Close Date"
probability = "Probability (%)"
next_step = "Next Step"
[stages]
"Prospecting" = "prospecting"
"Qualification" = "discovery"
"Needs Analysis" = "discovery"
"Value Proposition" = "solution"
"Id. Decision Makers" = "solution"
"Perception Analysis" = "solution"
"Proposal/Price Quote" = "proposal"
"Negotiation/Review" = "negotiation"
"Closed Won" = "closed_won"
"Closed Lost" = "closed_lost"
"#;

/// HubSpot's default deal export columns and pipeline stages.
pub const HUBSPOT: &str = r#"
[columns]
id = "Record ID"
name = "Deal Name"
account = "Associated Company"
owner = "Deal owner"
amount = "Amount"
stage = "Deal Stage"
created = "Create Date"
close_date = "Close Date"
[stages]
"Appointment Scheduled" = "discovery"
"Qualified To Buy" = "discovery"
"Presentation Scheduled" = "solution"
"Decision Maker Bought-In" = "proposal"
"Contract Sent" = "negotiation"
"Closed Won" = "closed_won"
"Closed Lost" = "closed_lost"
"#;

pub struct ImportOptions {
    pub file: PathBuf,
    pub map: String,
    pub site: PathBuf,
    pub dry_run: bool,
}

/// One planned change.
#[derive(Debug, PartialEq)]
pub enum Planned {
    CreateDeal(PathBuf),
    UpdateDeal(PathBuf, Vec<String>),
    Unchanged(PathBuf),
    CreateRep(PathBuf),
}

pub fn run(o: ImportOptions) -> u8 {
    match import(&o) {
        Ok((plans, bad)) => {
            let verb = if o.dry_run { "would " } else { "" };
            for p in &plans {
                match p {
                    Planned::CreateDeal(f) => eprintln!("{verb}create {}", f.display()),
                    Planned::CreateRep(f) => eprintln!(
                        "{verb}create {} (a new owner: set the quota and team)",
                        f.display()
                    ),
                    Planned::UpdateDeal(f, what) => {
                        eprintln!("{verb}update {}: {}", f.display(), what.join("; "))
                    }
                    Planned::Unchanged(_) => {}
                }
            }
            for b in &bad {
                eprintln!("{}: {b}", o.file.display());
            }
            let count = |f: fn(&Planned) -> bool| plans.iter().filter(|p| f(p)).count();
            eprintln!(
                "{} {} deals, {} updated, {} unchanged, {} new reps; {} skipped",
                if o.dry_run { "Dry run:" } else { "Imported:" },
                count(|p| matches!(p, Planned::CreateDeal(_))),
                count(|p| matches!(p, Planned::UpdateDeal(..))),
                count(|p| matches!(p, Planned::Unchanged(_))),
                count(|p| matches!(p, Planned::CreateRep(_))),
                plural(bad.len(), "bad row"),
            );
            if bad.is_empty() {
                EXIT_OK
            } else {
                EXIT_CONTENT
            }
        }
        Err(e) => usage_error(&e),
    }
}

fn load_mapping(map: &str) -> Result<CrmMapping, String> {
    let text = match map {
        "salesforce" => SALESFORCE.to_string(),
        "hubspot" => HUBSPOT.to_string(),
        path => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the mapping {path}: {e}"))?,
    };
    toml::from_str(&text).map_err(|e| format!("the mapping {map} is not valid: {e}"))
}

/// Plans (and unless dry-running, writes) the import; returns the plan
/// and the bad rows.
pub fn import(o: &ImportOptions) -> Result<(Vec<Planned>, Vec<String>), String> {
    let mapping = load_mapping(&o.map)?;
    let a = build::analyse(&o.site, None).map_err(|e| e.0)?;
    let stages = a.config.all_stages();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&o.file)
        .map_err(|e| format!("cannot read {}: {e}", o.file.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
    };
    let c = &mapping.columns;
    let need =
        |name: &String| col(name).ok_or_else(|| format!("the export has no column {name:?}"));
    let ci = (
        need(&c.id)?,
        need(&c.name)?,
        need(&c.account)?,
        need(&c.owner)?,
        need(&c.amount)?,
        need(&c.stage)?,
        need(&c.created)?,
        need(&c.close_date)?,
    );
    let c_prob = c.probability.as_deref().and_then(col);
    let c_next = c.next_step.as_deref().and_then(col);

    // Existing deals by crm_id, and reps by id or name.
    let mut by_crm: BTreeMap<String, PathBuf> = BTreeMap::new();
    for n in a.site.notes.iter().filter(|n| n.kind == Kind::Deal) {
        if let Some(id) = crm_id_of(&n.abs_path) {
            by_crm.insert(id, n.abs_path.clone());
        }
    }
    let index = Index::new(&a.site.notes);
    let mut new_reps: BTreeMap<String, String> = BTreeMap::new(); // name -> id
    let mut plans = Vec::new();
    let mut bad = Vec::new();
    let mut writes: Vec<(PathBuf, String)> = Vec::new();

    for (i, record) in reader.records().enumerate() {
        let row = i + 2; // the header is row 1
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                bad.push(format!("row {row}: cannot read it: {e}"));
                continue;
            }
        };
        let get = |k: usize| record.get(k).unwrap_or("").trim().to_string();
        let (crm, name, account, owner) = (get(ci.0), get(ci.1), get(ci.2), get(ci.3));
        let mut problems = Vec::new();
        if crm.is_empty() {
            problems.push(format!("no {}", c.id));
        }
        if name.is_empty() {
            problems.push(format!("no {}", c.name));
        }
        if owner.is_empty() {
            problems.push(format!("no {}", c.owner));
        }
        let amount = parse_amount(&get(ci.4));
        if amount.is_none() {
            problems.push(format!("{} {:?} is not an amount", c.amount, get(ci.4)));
        }
        let crm_stage = get(ci.5);
        let stage = mapping.stages.get(&crm_stage).cloned().or_else(|| {
            let s = crm_stage.to_lowercase().replace([' ', '-'], "_");
            stages.contains(&s.as_str()).then_some(s)
        });
        match &stage {
            Some(s) if stages.contains(&s.as_str()) => {}
            _ => problems.push(format!(
                "stage {crm_stage:?} maps to none of the site's stages ({})",
                stages.join(", ")
            )),
        }
        let created = parse_date(&get(ci.6), mapping.date_format.as_deref());
        let close = parse_date(&get(ci.7), mapping.date_format.as_deref());
        if created.is_none() {
            problems.push(format!("{} {:?} is not a date", c.created, get(ci.6)));
        }
        if close.is_none() {
            problems.push(format!("{} {:?} is not a date", c.close_date, get(ci.7)));
        }
        if let (Some(a), Some(b)) = (created, close) {
            if b < a {
                problems.push(format!("{} is before {}", c.close_date, c.created));
            }
        }
        let probability = c_prob
            .map(get)
            .filter(|s| !s.is_empty())
            .map(|s| parse_amount(&s));
        if let Some(None) = probability {
            problems.push("the probability is not a number".into());
        }
        if !problems.is_empty() {
            bad.push(format!(
                "row {row} ({name}): {}; skipped",
                problems.join(", ")
            ));
            continue;
        }
        let (Some(amount), Some(stage), Some(created), Some(close)) =
            (amount, stage, created, close)
        else {
            continue;
        };

        // The owner: an existing rep, or a new rep note.
        let owner_id = match index.resolve(&owner) {
            Resolution::Found(i) if a.site.notes[i].kind == Kind::Rep => a.site.notes[i].id.clone(),
            _ => {
                let id = slug::slugify(&owner);
                if !new_reps.contains_key(&owner) {
                    let path = o.site.join("content/reps").join(format!("{id}.md"));
                    if !path.exists() {
                        writes.push((path.clone(), format!(
                            "---\ntype: rep\nname: {}\nteam: Imported   # set the rep's team\nstart_date: {created}   # set the real start date\nquota: {}   # set the rep's annual quota\n---\nMade by coachbook import for a deal owner with no rep note.\n",
                            yaml_str(&owner), mapping.default_quota
                        )));
                        plans.push(Planned::CreateRep(path));
                    }
                    new_reps.insert(owner.clone(), id.clone());
                }
                id
            }
        };
        let mut fields: Vec<(&str, Value)> = vec![
            ("type", Value::from("deal")),
            ("crm_id", Value::from(crm.clone())),
            ("name", Value::from(name.clone())),
            ("account", Value::from(account)),
            ("owner", Value::from(owner_id)),
            ("value", num(amount)),
            ("stage", Value::from(stage.clone())),
            ("created", Value::from(created.to_string())),
            ("close_date", Value::from(close.to_string())),
        ];
        let closed = stage == crate::model::CLOSED_WON || stage == crate::model::CLOSED_LOST;
        if let (Some(Some(p)), false) = (probability, closed) {
            fields.push(("probability", num(p)));
        }
        if let Some(n) = c_next.map(get).filter(|s| !s.is_empty()) {
            fields.push(("next_step", Value::from(n)));
        }

        match by_crm.get(&crm) {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let (new_text, changed) = update_frontmatter(&text, &fields)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if changed.is_empty() {
                    plans.push(Planned::Unchanged(path.clone()));
                } else {
                    writes.push((path.clone(), new_text));
                    plans.push(Planned::UpdateDeal(path.clone(), changed));
                }
            }
            None => {
                let mut stem = slug::slugify(&name);
                if stem.is_empty() {
                    stem = format!("deal-{}", slug::slugify(&crm));
                }
                let mut path = o.site.join("content/deals").join(format!("{stem}.md"));
                if path.exists() || writes.iter().any(|(p, _)| *p == path) {
                    path = o
                        .site
                        .join("content/deals")
                        .join(format!("{stem}-{}.md", slug::slugify(&crm)));
                }
                let (text, _) = update_frontmatter("", &fields).map_err(|e| e.to_string())?;
                by_crm.insert(crm, path.clone());
                writes.push((path.clone(), text));
                plans.push(Planned::CreateDeal(path));
            }
        }
    }
    if !o.dry_run {
        for (path, text) in writes {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    Ok((plans, bad))
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

fn yaml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The `crm_id` of a note file, if it has one.
fn crm_id_of(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let split = frontmatter::split(&text).ok()?;
    let map: Mapping = serde_norway::from_str(split.yaml).ok()?;
    match map.get("crm_id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Sets `fields` in the frontmatter of `text`, keeping every other field and
/// the body as they are; returns the new text and what changed.
fn update_frontmatter(
    text: &str,
    fields: &[(&str, Value)],
) -> Result<(String, Vec<String>), String> {
    let split =
        frontmatter::split(text).map_err(|_| "its frontmatter is never closed".to_string())?;
    let mut map: Mapping = if split.yaml.trim().is_empty() {
        Mapping::new()
    } else {
        serde_norway::from_str(split.yaml)
            .map_err(|e| format!("its frontmatter is not valid YAML: {e}"))?
    };
    let mut changed = Vec::new();
    for (k, v) in fields {
        let old = map.get(*k).cloned();
        let same = match (&old, v) {
            (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (Some(a), b) => a == b,
            (None, _) => false,
        };
        if !same {
            if !text.is_empty() {
                changed.push(match &old {
                    Some(o) => format!("{k} {} -> {}", show(o), show(v)),
                    None => format!("{k} set to {}", show(v)),
                });
            }
            map.insert(Value::from(*k), v.clone());
        }
    }
    let yaml = serde_norway::to_string(&map).map_err(|e| e.to_string())?;
    let body = if split.has_frontmatter {
        split.body
    } else {
        text
    };
    Ok((format!("---\n{yaml}---\n{body}"), changed))
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// `$120,000.00`, `120000`, `EUR 1.5e5` -> a number.
fn parse_amount(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E'))
        .collect();
    let v: f64 = cleaned.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// Dates as CRMs export them.
fn parse_date(s: &str, custom: Option<&str>) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(f) = custom {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(d.date());
        }
    }
    for f in ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M",
        "%Y-%m-%dT%H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%SZ",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(d.date());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_dates_as_crms_write_them() {
        assert_eq!(parse_amount("$120,000.00"), Some(120000.0));
        assert_eq!(parse_amount("lots"), None);
        assert_eq!(
            parse_date("3/4/2026", None),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(
            parse_date("2026-03-04 10:22", None),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(
            parse_date("04/03/2026", Some("%d/%m/%Y")),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(parse_date("2026-02-30", None), None);
    }

    #[test]
    fn updating_keeps_other_fields_and_the_body() {
        let text = "---\ntype: deal\nname: X\nvalue: 100\nmeddpicc:\n  champion: {score: 2}\n---\nManager's notes.\n";
        let (new, changed) = update_frontmatter(
            text,
            &[("value", Value::from(120)), ("name", Value::from("X"))],
        )
        .unwrap();
        assert_eq!(changed, ["value 100 -> 120"]);
        assert!(new.ends_with("---\nManager's notes.\n"), "{new}");
        assert!(new.contains("champion"), "{new}");
        let (_, none) = update_frontmatter(&new, &[("value", Value::from(120))]).unwrap();
        assert!(none.is_empty());
    }
}

//! `coachbook import csv FILE --map salesforce|hubspot|MAPPING.toml`: turn a
//! CRM opportunity export into deal notes (and rep notes for owners that
//! have none). Re-running updates the frontmatter of the deal notes it
//! made before (matched by `crm_id`) and never touches their body text;
//! `--dry-run` shows what would change. Bad rows are reported with their
//! row number and skipped.

use super::site_write::{self, Found, How};
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
                    Planned::CreateDeal(f) => say(&format!("{verb}create {}", f.display())),
                    Planned::CreateRep(f) => say(&format!(
                        "{verb}create {} (a new owner: set the quota and team)",
                        f.display()
                    )),
                    Planned::UpdateDeal(f, what) => say(&format!(
                        "{verb}update {}: {}",
                        f.display(),
                        what.join("; ")
                    )),
                    Planned::Unchanged(_) => {}
                }
            }
            for b in &bad {
                say(&format!("{}: {b}", o.file.display()));
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

    // Existing deals by crm_id (their paths relative to the site), and reps
    // by id or name.
    let mut by_crm: BTreeMap<String, Known> = BTreeMap::new();
    for n in a.site.notes.iter().filter(|n| n.kind == Kind::Deal) {
        if let Some(id) = crm_id_of(&n.abs_path) {
            by_crm.insert(id, Known::Note(PathBuf::from(&n.path)));
        }
    }
    let index = Index::new(&a.site.notes);
    let mut new_reps: BTreeMap<String, String> = BTreeMap::new(); // name -> id
    let mut plans = Vec::new();
    let mut bad = Vec::new();
    let mut writes: Vec<Pending> = Vec::new();

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
        let skip =
            |problems: &[String]| format!("row {row} ({name}): {}; skipped", problems.join(", "));
        if !problems.is_empty() {
            bad.push(skip(&problems));
            continue;
        }
        let (Some(amount), Some(stage), Some(created), Some(close)) =
            (amount, stage, created, close)
        else {
            continue;
        };

        // The owner: an existing rep, or a new rep note (made below, once
        // the deal's own note is known to be writable too).
        let mut new_rep: Option<(PathBuf, String)> = None;
        let owner_id = match index.resolve(&owner) {
            Resolution::Found(i) if a.site.notes[i].kind == Kind::Rep => a.site.notes[i].id.clone(),
            _ => match new_reps.get(&owner) {
                Some(id) => id.clone(),
                None => {
                    let id = slug::slugify(&owner);
                    if id.is_empty() {
                        bad.push(skip(&[format!(
                            "the owner {owner:?} has no letters or digits to name a rep note after"
                        )]));
                        continue;
                    }
                    let rel = Path::new("content/reps").join(format!("{id}.md"));
                    match site_write::inspect(&o.site, &rel) {
                        Err(e) => {
                            bad.push(skip(&[e.to_string()]));
                            continue;
                        }
                        // A file of that name that is no rep: the link
                        // stage will say so.
                        Ok(Found::File) => {}
                        Ok(Found::Nothing) => {
                            let text = format!(
                                "---\ntype: rep\nname: {}\nteam: Imported   # set the rep's team\nstart_date: {created}   # set the real start date\nquota: {}   # set the rep's annual quota\n---\nMade by coachbook import for a deal owner with no rep note.\n",
                                yaml_quote(&owner), mapping.default_quota
                            );
                            new_rep = Some((rel, text));
                        }
                    }
                    id
                }
            },
        };
        let mut fields: Vec<(&str, Value)> = vec![
            ("type", Value::from("deal")),
            ("crm_id", Value::from(crm.clone())),
            ("name", Value::from(name.clone())),
            ("account", Value::from(account)),
            ("owner", Value::from(owner_id.clone())),
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

        // The deal's note: the one with this crm_id, or a new one.
        let deal = match by_crm.get(&crm) {
            Some(Known::Row(first)) => Err(format!("the {} {crm:?} is also on row {first}", c.id)),
            Some(Known::Note(rel)) => update_deal(&o.site, rel, &fields),
            None => new_deal_path(&o.site, &name, &crm, &writes).and_then(|rel| {
                let (text, _) = update_frontmatter("", &fields)?;
                Ok(DealPlan::Create(rel, text))
            }),
        };
        let deal = match deal {
            Ok(d) => d,
            Err(e) => {
                bad.push(skip(&[e]));
                continue;
            }
        };
        if let Some((rel, text)) = new_rep {
            new_reps.insert(owner.clone(), owner_id.clone());
            writes.push(Pending {
                rel: rel.clone(),
                text,
                how: How::CreateNew,
                row,
                name: name.clone(),
                plan: plans.len(),
            });
            plans.push(Planned::CreateRep(o.site.join(rel)));
        }
        match deal {
            DealPlan::Unchanged(rel) => plans.push(Planned::Unchanged(o.site.join(rel))),
            DealPlan::Update(rel, text, changed) => {
                writes.push(Pending {
                    rel: rel.clone(),
                    text,
                    how: How::Replace,
                    row,
                    name: name.clone(),
                    plan: plans.len(),
                });
                plans.push(Planned::UpdateDeal(o.site.join(rel), changed));
            }
            DealPlan::Create(rel, text) => {
                by_crm.insert(crm, Known::Row(row));
                writes.push(Pending {
                    rel: rel.clone(),
                    text,
                    how: How::CreateNew,
                    row,
                    name: name.clone(),
                    plan: plans.len(),
                });
                plans.push(Planned::CreateDeal(o.site.join(rel)));
            }
        }
    }
    if !o.dry_run {
        // A write refused now (the folder changed since the plan) is
        // reported like a bad row; the others go ahead.
        let mut failed = std::collections::BTreeSet::new();
        for w in writes {
            if let Err(e) = site_write::write(&o.site, &w.rel, w.text.as_bytes(), w.how) {
                bad.push(format!("row {} ({}): {e}; not written", w.row, w.name));
                failed.insert(w.plan);
            }
        }
        let mut i = 0;
        plans.retain(|_| {
            i += 1;
            !failed.contains(&(i - 1))
        });
    }
    Ok((plans, bad))
}

/// A deal seen before in this import: its note, or the row that makes it.
enum Known {
    Note(PathBuf),
    Row(usize),
}

/// A file to write once every row is planned.
struct Pending {
    /// Relative to the site folder.
    rel: PathBuf,
    text: String,
    how: How,
    row: usize,
    name: String,
    /// Its entry in the plan.
    plan: usize,
}

/// What one row does to its deal's note (paths relative to the site).
enum DealPlan {
    Create(PathBuf, String),
    Update(PathBuf, String, Vec<String>),
    Unchanged(PathBuf),
}

/// The new text of the deal note at `rel` (relative to `site`) with `fields`
/// set, or why it may not be updated (a link, not a regular file, a
/// frontmatter that does not parse).
fn update_deal(site: &Path, rel: &Path, fields: &[(&str, Value)]) -> Result<DealPlan, String> {
    let path = site.join(rel);
    match site_write::inspect(site, rel).map_err(|e| e.to_string())? {
        Found::File => {}
        Found::Nothing => return Err(format!("{} is gone", path.display())),
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (new_text, changed) =
        update_frontmatter(&text, fields).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if changed.is_empty() {
        DealPlan::Unchanged(rel.to_path_buf())
    } else {
        DealPlan::Update(rel.to_path_buf(), new_text, changed)
    })
}

/// Where a new deal note goes: `content/deals/<name>.md`, or
/// `<name>-<crm id>.md` when that is taken; an error when that is taken
/// too or a path may not be written.
fn new_deal_path(
    site: &Path,
    name: &str,
    crm: &str,
    planned: &[Pending],
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
        match site_write::inspect(site, &rel) {
            Err(e) => return Err(e.to_string()),
            Ok(Found::Nothing) if !planned.iter().any(|w| w.rel == rel) => return Ok(rel),
            Ok(_) => last = site.join(&rel).display().to_string(),
        }
    }
    Err(format!("{last} already exists"))
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// `s` as a YAML double-quoted scalar that every YAML reader (1.1 or 1.2)
/// reads back as exactly `s`, on one line: `"`, `\\`, line breaks (`\n`,
/// `\r`, U+0085, U+2028, U+2029), tabs, control characters, bidi controls
/// and byte-order marks are written as escapes. So `yes` stays text in
/// Obsidian, and a newline in a CSV field can never start a new key or
/// close the frontmatter.
pub(crate) fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{61c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{2028}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{feff}'
                        | '\u{fffe}'
                        | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A frontmatter mapping as YAML: every top-level text value double-quoted
/// ([`yaml_quote`]); anything else (numbers, lists, maps a manager wrote)
/// as serde_norway writes it.
fn emit_yaml(map: &Mapping) -> Result<String, String> {
    let mut out = String::new();
    for (k, v) in map {
        match (k, v) {
            (Value::String(key), Value::String(text))
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !key.starts_with('-') =>
            {
                out.push_str(&format!("{key}: {}\n", yaml_quote(text)));
            }
            _ => {
                let mut one = Mapping::new();
                one.insert(k.clone(), v.clone());
                out.push_str(&serde_norway::to_string(&one).map_err(|e| e.to_string())?);
            }
        }
    }
    Ok(out)
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
    let yaml = emit_yaml(&map)?;
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
    fn every_text_is_double_quoted_and_reads_back_the_same() {
        let nasty = [
            "yes",
            "no",
            "on",
            "~",
            "null",
            "2026-01-01",
            "a: b",
            "# not a comment",
            "- not a list",
            "line\nowner: mallory\n---\nbody",
            "cr\r\nlf",
            "quote \" and \\ backslash",
            "\u{1b}]0;pwned\u{7}",
            "del \u{7f} c1 \u{85}\u{9b}",
            "sep \u{2028}\u{2029} bidi \u{202e}\u{2066} bom \u{feff}",
            "tab\tin",
            "   spaces   ",
            "",
            "émoji 🚀 and ümlaut",
        ];
        let fields: Vec<(&str, Value)> = nasty
            .iter()
            .enumerate()
            .map(|(i, s)| (KEYS[i], Value::from(*s)))
            .collect();
        let (text, _) = update_frontmatter("", &fields).unwrap();
        // One line per field between the two fences, each `key: "..."`.
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), nasty.len() + 2, "{text}");
        for (line, (k, _)) in lines[1..=nasty.len()].iter().zip(&fields) {
            assert!(
                line.starts_with(&format!("{k}: \"")) && line.ends_with('"'),
                "{line}"
            );
            assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        }
        let split = frontmatter::split(&text).unwrap();
        let map: Mapping = serde_norway::from_str(split.yaml).unwrap();
        for (k, v) in &fields {
            assert_eq!(map.get(*k), Some(v), "{k}");
        }
        assert!(split.body.is_empty());
    }

    const KEYS: [&str; 19] = [
        "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13",
        "k14", "k15", "k16", "k17", "k18",
    ];

    #[cfg(unix)]
    #[test]
    fn a_deal_note_that_is_a_link_is_never_read_or_updated() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("secret.md");
        std::fs::write(&target, "---\ncrm_id: X\n---\nsecret\n").unwrap();
        std::fs::create_dir_all(site.path().join("content/deals")).unwrap();
        std::os::unix::fs::symlink(&target, site.path().join("content/deals/a.md")).unwrap();
        let err = match update_deal(
            site.path(),
            Path::new("content/deals/a.md"),
            &[("value", Value::from(1))],
        ) {
            Err(e) => e,
            Ok(_) => panic!("a linked note was updated"),
        };
        assert!(err.contains("a.md: it is a symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "---\ncrm_id: X\n---\nsecret\n"
        );
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

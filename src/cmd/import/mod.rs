//! `coachbook import csv FILE --map salesforce|hubspot|MAPPING.toml`: turn a
//! CRM opportunity export into deal notes (and rep notes for owners that
//! have none). Re-running updates the keys it owns in the deal notes it
//! made before (matched by `crm_id`), line by line, and never touches
//! anything else; `--dry-run` shows what would change.
//!
//! It never guesses: a column's date order and decimal separator are
//! decided from all of its values ([`detect`]), and a column that does not
//! settle them stops the import until the user says (`date_format`,
//! `decimal`). Rows it cannot read exactly are refused, counted by reason.
//!
//! - [`mapping`]: built-in and file mappings, stages compared loosely;
//! - [`table`]: the field separator, the header, report footers;
//! - [`columns`]: the mapping's columns in the export, read cell by cell;
//! - [`detect`]: dates and amounts;
//! - [`notes`]: the deal and rep notes written;
//! - [`edit`]: the frontmatter, edited as text;
//! - [`report`]: what was done, and refused rows summed up by reason.

mod columns;
mod detect;
mod edit;
mod mapping;
mod notes;
mod report;
mod table;
#[cfg(test)]
mod tests;

pub(crate) use edit::yaml_quote;
pub use mapping::{CrmMapping, HUBSPOT, SALESFORCE};

use super::site_write::{self, Found, How};
use super::*;
use crate::build;
use crate::links::{Index, Resolution};
use crate::model::Kind;
use columns::{
    date_cell, find_columns, number_cell, parse_decimal, read_dates, read_numbers, rows_list,
    Problem,
};
use edit::Scalar;
use notes::{
    crm_id_of, first_last, new_deal_path, placeholder_rep, update_deal, DealPlan, Pending,
};
use report::Rejected;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The arguments of `coachbook import csv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file
    pub file: PathBuf,
    /// salesforce, hubspot, or a mapping file (TOML: [columns], [stages], date_format, decimal, delimiter)
    #[arg(long)]
    pub map: String,
    /// The site to import into [default: .]
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// Show what would change without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// How the export writes dates (DD/MM/YYYY, MM-DD-YY, or a chrono format); overrides the mapping
    #[arg(long)]
    pub date_format: Option<String>,
    /// The decimal separator of amounts, "." or ","; overrides the mapping
    #[arg(long)]
    pub decimal: Option<String>,
    /// The owner of deals whose export row names none (an export without an owner column)
    #[arg(long)]
    pub owner: Option<String>,
    /// List every refused row and every file written, not the first few
    #[arg(short, long)]
    pub verbose: bool,
}

/// One planned change.
#[derive(Debug, PartialEq)]
pub enum Planned {
    CreateDeal(PathBuf),
    UpdateDeal(PathBuf, Vec<String>),
    Unchanged(PathBuf),
    CreateRep(PathBuf),
}

/// What an import did, or would do.
pub struct Outcome {
    pub plans: Vec<Planned>,
    pub rejected: Vec<Rejected>,
    /// Lines to print before the summary (footers and blank rows skipped).
    pub notes: Vec<String>,
}

pub fn run(o: Args) -> u8 {
    match import(&o) {
        Ok(out) => report::print_outcome(&o, &out),
        Err(e) => usage_error(&e),
    }
}

/// Adds one planned write: its entry in the plan and the write that
/// carries it out, `(path relative to the site, text, how)`.
fn plan_write(
    writes: &mut Vec<Pending>,
    plans: &mut Vec<Planned>,
    planned: Planned,
    (rel, text, how): (PathBuf, String, How),
    row: usize,
    name: &str,
) {
    writes.push(Pending {
        rel,
        text,
        how,
        row,
        name: name.to_string(),
        plan: plans.len(),
    });
    plans.push(planned);
}

/// Plans (and unless dry-running, writes) the import.
pub fn import(o: &Args) -> Result<Outcome, String> {
    let site = site_dir(o.into.clone());
    let mut mapping = mapping::load(&o.map)?;
    if let Some(f) = &o.date_format {
        mapping.date_format = Some(f.clone());
    }
    if let Some(d) = &o.decimal {
        mapping.decimal = Some(d.clone());
    }
    let date_format = mapping
        .date_format
        .as_deref()
        .map(detect::chrono_format)
        .transpose()?;
    let decimal = mapping.decimal.as_deref().map(parse_decimal).transpose()?;
    let delimiter = mapping
        .delimiter
        .as_deref()
        .map(table::parse_delimiter)
        .transpose()?;
    let default_owner = o
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if o.owner.is_some() && default_owner.is_none() {
        return Err("--owner needs a name".into());
    }

    let bytes =
        std::fs::read(&o.file).map_err(|e| format!("cannot read {}: {e}", o.file.display()))?;
    let t = table::read(&bytes, delimiter)?;
    let c = &mapping.columns;
    let cols = find_columns(&t, c, default_owner.is_some(), &o.map)?;
    let created_col = read_dates(&t, cols.created, &c.created, date_format.as_deref())?;
    let close_col = read_dates(&t, cols.close, &c.close_date, date_format.as_deref())?;
    let amount_col = read_numbers(&t, Some(cols.amount), &c.amount, decimal)?;
    let prob_col = read_numbers(
        &t,
        cols.probability,
        c.probability.as_deref().unwrap_or(""),
        decimal,
    )?;

    let a = build::analyse(&site, None).map_err(|e| e.to_string())?;
    let site_stages = a.config.all_stages();
    let stages = mapping::Stages::new(&mapping.stages, &site_stages)?;

    let mut notes = Vec::new();
    if t.delimiter != b',' {
        notes.push(format!(
            "fields separated by {}",
            match t.delimiter {
                b'\t' => "tabs".to_string(),
                d => format!("{:?}", d as char),
            }
        ));
    }
    for (col, header) in [(&created_col, &c.created), (&close_col, &c.close_date)] {
        if let Some(o) = col.order {
            notes.push(format!("dates in {header:?} read {}", o.describe()));
        }
    }
    if let (Some(d), false) = (amount_col.decimal, amount_col.given) {
        notes.push(format!(
            "{:?} read with {d:?} as the decimal separator",
            c.amount
        ));
    }
    if !t.footer.is_empty() {
        notes.push(format!(
            "skipped {} below the data, as a report's footer ({}: {})",
            plural(t.footer.len(), "row"),
            if t.footer.len() == 1 { "row" } else { "rows" },
            t.footer
                .iter()
                .map(|(r, f)| format!("{r} {f:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !t.blank.is_empty() {
        notes.push(format!(
            "skipped {} ({})",
            plural(t.blank.len(), "blank row"),
            rows_list(&t.blank)
        ));
    }

    // Existing deals by crm_id (their paths relative to the site).
    let mut by_crm: BTreeMap<String, PathBuf> = BTreeMap::new();
    for n in a.site.notes.iter().filter(|n| n.kind == Kind::Deal) {
        if let Some(id) = crm_id_of(&n.abs_path) {
            by_crm.insert(id, PathBuf::from(&n.path));
        }
    }
    let index = Index::new(&a.site.notes);
    let mut new_reps: BTreeMap<String, String> = BTreeMap::new(); // loose name -> id
    let mut seen: BTreeMap<String, usize> = BTreeMap::new(); // crm id -> first row
    let mut plans = Vec::new();
    let mut rejected: Vec<Rejected> = t
        .unreadable
        .iter()
        .map(|(row, e)| Rejected::new(*row, "", "unreadable row", e.clone()))
        .collect();
    let mut writes: Vec<Pending> = Vec::new();
    let mut planned_paths: HashSet<PathBuf> = HashSet::new();

    for (i, (row, fields)) in t.rows.iter().enumerate() {
        let row = *row;
        let get = |k: usize| fields.get(k).map_or("", |s| s.as_str());
        let crm = get(cols.id).to_string();
        let name = cols
            .name
            .iter()
            .map(|&k| get(k))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" - ");
        let account = get(cols.account).to_string();
        let owner = match (
            cols.owner.map(get).filter(|s| !s.is_empty()),
            &default_owner,
        ) {
            (Some(o), _) => o.to_string(),
            (None, Some(d)) => d.clone(),
            (None, None) => String::new(),
        };
        // (reason, detail): the first problem names the row's reason.
        let mut problems: Vec<Problem> = Vec::new();
        let need = |v: &str, col: &str, problems: &mut Vec<Problem>| {
            if v.is_empty() {
                problems.push(Problem::new(format!("no {col}"), format!("no {col}")));
            }
        };
        need(&crm, &c.id, &mut problems);
        need(&name, &c.name.list().join(" / "), &mut problems);
        need(&account, &c.account, &mut problems);
        need(&owner, c.owner.as_deref().unwrap_or("owner"), &mut problems);

        let crm_stage = get(cols.stage);
        let stage = match stages.get(crm_stage) {
            Ok(s) => Some(s.to_string()),
            Err(e) => {
                problems.push(Problem::new(format!("unknown stage {crm_stage:?}"), e));
                None
            }
        };
        let closed = stage
            .as_deref()
            .is_some_and(|s| s == crate::model::CLOSED_WON || s == crate::model::CLOSED_LOST);

        let amount = number_cell(
            &amount_col,
            i,
            get(cols.amount),
            &c.amount,
            &mut problems,
            true,
        );
        let created = date_cell(
            &created_col,
            i,
            get(cols.created),
            &c.created,
            &mut problems,
        );
        let close = date_cell(&close_col, i, get(cols.close), &c.close_date, &mut problems);
        if created.is_none() && get(cols.created).is_empty() {
            problems.push(Problem::new(
                format!("no {}", c.created),
                format!("no {}", c.created),
            ));
        }
        if closed {
            if amount.is_none() && get(cols.amount).is_empty() {
                problems.push(Problem::new(
                    format!("closed deal without {}", c.amount),
                    format!("a closed deal needs its {}", c.amount),
                ));
            }
            if close.is_none() && get(cols.close).is_empty() {
                problems.push(Problem::new(
                    format!("closed deal without {}", c.close_date),
                    format!("a closed deal needs its {}", c.close_date),
                ));
            }
        }
        if let (Some(a), Some(b)) = (created, close) {
            if b < a {
                problems.push(Problem::new(
                    format!("{} before {}", c.close_date, c.created),
                    format!("{} {b} is before {} {a}", c.close_date, c.created),
                ));
            }
        }
        let prob_header = c.probability.as_deref().unwrap_or("probability");
        let probability = match cols.probability {
            Some(k) => {
                let p = number_cell(&prob_col, i, get(k), prob_header, &mut problems, false);
                if let Some(p) = p.filter(|p| *p > 100.0) {
                    problems.push(Problem::new(
                        format!("{prob_header} over 100"),
                        format!("{prob_header} {} is over 100", edit::num_text(p)),
                    ));
                }
                p
            }
            None => None,
        };
        let reject = |problems: &[Problem]| {
            Rejected::new(
                row,
                &name,
                &problems[0].reason,
                problems
                    .iter()
                    .map(|p| p.detail.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        };
        if let Some(first) = seen.get(&crm) {
            if !crm.is_empty() {
                problems.push(Problem::new(
                    format!("{} seen twice", c.id),
                    format!("the {} {crm:?} is also on row {first}", c.id),
                ));
            }
        }
        if !problems.is_empty() {
            rejected.push(reject(&problems));
            continue;
        }
        let (Some(stage), Some(created)) = (stage, created) else {
            continue;
        };
        seen.insert(crm.clone(), row);

        // The owner: an existing rep, or a new rep note (made below, once
        // the deal's own note is known to be writable too).
        let mut new_rep: Option<(PathBuf, String, String)> = None;
        let swapped = first_last(&owner);
        let display = swapped.clone().unwrap_or_else(|| owner.clone());
        let found = std::iter::once(owner.as_str())
            .chain(swapped.as_deref())
            .find_map(|o| match index.resolve(o) {
                Resolution::Found(i) if a.site.notes[i].kind == Kind::Rep => {
                    Some(Ok(a.site.notes[i].id.clone()))
                }
                Resolution::Ambiguous(_) => Some(Err(format!(
                    "the owner {o:?} matches more than one note: link it by id in the export or rename one"
                ))),
                _ => None,
            });
        let owner_id = match found {
            Some(Ok(id)) => id,
            Some(Err(e)) => {
                rejected.push(reject(&[Problem::new("ambiguous owner".into(), e)]));
                continue;
            }
            None => match new_reps.get(&mapping::loose(&display)) {
                Some(id) => id.clone(),
                None => {
                    let id = slug::slugify(&display);
                    if id.is_empty() {
                        rejected.push(reject(&[Problem::new(
                            "owner without letters or digits".into(),
                            format!(
                                "the owner {owner:?} has no letters or digits to name a rep note after"
                            ),
                        )]));
                        continue;
                    }
                    let rel = Path::new("content/reps").join(format!("{id}.md"));
                    match site_write::inspect(&site, &rel) {
                        Err(e) => {
                            rejected.push(reject(&[Problem::new(
                                "refused to write".into(),
                                e.to_string(),
                            )]));
                            continue;
                        }
                        // A file of that name that is no rep: the link
                        // stage will say so.
                        Ok(Found::File) => {}
                        Ok(Found::Nothing) => {
                            new_rep = Some((rel, placeholder_rep(&display), display.clone()));
                        }
                    }
                    id
                }
            },
        };
        let mut fields: Vec<(&str, Scalar)> = vec![
            ("type", Scalar::Text("deal".into())),
            ("crm_id", Scalar::Text(crm.clone())),
            ("name", Scalar::Text(name.clone())),
            ("account", Scalar::Text(account)),
            ("owner", Scalar::Text(owner_id.clone())),
        ];
        if let Some(v) = amount {
            fields.push(("value", Scalar::Num(v)));
        }
        fields.push(("stage", Scalar::Text(stage.clone())));
        fields.push(("created", Scalar::Text(created.to_string())));
        if let Some(d) = close {
            fields.push(("close_date", Scalar::Text(d.to_string())));
        }
        if let (Some(p), false) = (probability, closed) {
            fields.push(("probability", Scalar::Num(p)));
        }
        if let Some(n) = cols.next_step.map(get).filter(|s| !s.is_empty()) {
            fields.push(("next_step", Scalar::Text(n.to_string())));
        }

        // The deal's note: the one with this crm_id, or a new one.
        let deal = match by_crm.get(&crm) {
            Some(rel) => update_deal(&site, rel, &fields),
            None => new_deal_path(&site, &name, &crm, &planned_paths)
                .map(|rel| DealPlan::Create(rel, edit::new_note(&fields, ""))),
        };
        let deal = match deal {
            Ok(d) => d,
            Err(e) => {
                let reason = if e.contains("refused to write") {
                    "refused to write"
                } else if e.contains("already exists") {
                    "note name taken"
                } else {
                    "deal note not updatable"
                };
                rejected.push(reject(&[Problem::new(reason.into(), e)]));
                continue;
            }
        };
        // The row's plan, in order: a new rep first (the deal names it), then
        // its deal, each with the write that carries it out (if any).
        let mut row_writes = Vec::new();
        if let Some((rel, text, display)) = new_rep {
            new_reps.insert(mapping::loose(&display), owner_id.clone());
            planned_paths.insert(rel.clone());
            let planned = Planned::CreateRep(site.join(&rel));
            row_writes.push((planned, Some((rel, text, How::CreateNew))));
        }
        match deal {
            DealPlan::Unchanged(rel) => row_writes.push((Planned::Unchanged(site.join(rel)), None)),
            DealPlan::Update(rel, text, changed) => {
                let planned = Planned::UpdateDeal(site.join(&rel), changed);
                row_writes.push((planned, Some((rel, text, How::Replace))));
            }
            DealPlan::Create(rel, text) => {
                planned_paths.insert(rel.clone());
                let planned = Planned::CreateDeal(site.join(&rel));
                row_writes.push((planned, Some((rel, text, How::CreateNew))));
            }
        }
        for (planned, write) in row_writes {
            match write {
                Some(w) => plan_write(&mut writes, &mut plans, planned, w, row, &name),
                None => plans.push(planned),
            }
        }
    }
    if !o.dry_run {
        // A write refused now (the folder changed since the plan) is
        // reported like a bad row; the others go ahead.
        let mut failed = BTreeSet::new();
        for w in writes {
            if let Err(e) = site_write::write(&site, &w.rel, w.text.as_bytes(), w.how) {
                rejected.push(Rejected::new(
                    w.row,
                    &w.name,
                    "not written",
                    format!("{e}; not written"),
                ));
                failed.insert(w.plan);
            }
        }
        let mut i = 0;
        plans.retain(|_| {
            i += 1;
            !failed.contains(&(i - 1))
        });
    }
    rejected.sort_by_key(|r| r.row);
    Ok(Outcome {
        plans,
        rejected,
        notes,
    })
}

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
//! - [`detect`]: dates and amounts;
//! - [`edit`]: the frontmatter, edited as text;
//! - [`report`]: refused rows, summed up by reason.

mod detect;
mod edit;
mod mapping;
mod report;
mod table;

pub(crate) use edit::yaml_quote;
pub use mapping::{CrmMapping, HUBSPOT, SALESFORCE};

use super::site_write::{self, Found, How};
use super::*;
use crate::build;
use crate::content::frontmatter;
use crate::links::{Index, Resolution};
use crate::model::Kind;
use chrono::NaiveDate;
use detect::{DateOrder, RawDate, RawNumber};
use edit::Scalar;
use report::Rejected;
use serde_norway::{Mapping, Value};
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

/// Files listed by kind before "... and N more" (all with `--verbose`).
const LIST_FILES: usize = 50;

pub fn run(o: Args) -> u8 {
    match import(&o) {
        Ok(out) => {
            let verb = if o.dry_run { "would " } else { "" };
            let mut shown = [0usize; 3];
            let mut hidden = [0usize; 3];
            for p in &out.plans {
                let (kind, line) = match p {
                    Planned::CreateDeal(f) => (0, format!("{verb}create {}", f.display())),
                    Planned::CreateRep(f) => (
                        1,
                        format!(
                            "{verb}create {} (a new owner: set the team, start date and quota)",
                            f.display()
                        ),
                    ),
                    Planned::UpdateDeal(f, what) => (
                        2,
                        format!("{verb}update {}: {}", f.display(), what.join("; ")),
                    ),
                    Planned::Unchanged(_) => continue,
                };
                if o.verbose || shown[kind] < LIST_FILES {
                    shown[kind] += 1;
                    say(&line);
                } else {
                    hidden[kind] += 1;
                }
            }
            for (n, what) in hidden
                .iter()
                .zip(["new deal notes", "new rep notes", "updates"])
            {
                if *n > 0 {
                    say(&format!(
                        "... and {} more {what} (--verbose lists them all)",
                        report::thousands(*n)
                    ));
                }
            }
            for n in &out.notes {
                say(&format!("note: {n}"));
            }
            report::print(&o.file, &out.rejected, o.verbose);
            let count = |f: fn(&Planned) -> bool| out.plans.iter().filter(|p| f(p)).count();
            eprintln!(
                "{} {} deals, {} updated, {} unchanged, {} new reps; {} skipped",
                if o.dry_run { "Dry run:" } else { "Imported:" },
                count(|p| matches!(p, Planned::CreateDeal(_))),
                count(|p| matches!(p, Planned::UpdateDeal(..))),
                count(|p| matches!(p, Planned::Unchanged(_))),
                count(|p| matches!(p, Planned::CreateRep(_))),
                plural(out.rejected.len(), "bad row"),
            );
            if out.rejected.is_empty() {
                EXIT_OK
            } else {
                EXIT_CONTENT
            }
        }
        Err(e) => usage_error(&e),
    }
}

/// The columns of the mapping, found in the export.
struct Cols {
    id: usize,
    name: Vec<usize>,
    account: usize,
    owner: Option<usize>,
    amount: usize,
    stage: usize,
    created: usize,
    close: usize,
    probability: Option<usize>,
    next_step: Option<usize>,
}

fn find_columns(
    t: &table::Table,
    c: &mapping::Columns,
    default_owner: bool,
    map: &str,
) -> Result<Cols, String> {
    let missing = std::cell::RefCell::new(Vec::new());
    let mut errors = Vec::new();
    let mut find = |name: &str, required: bool| -> Option<usize> {
        match t.column(name) {
            Ok(Some(i)) => Some(i),
            Ok(None) => {
                if required {
                    missing.borrow_mut().push(format!("{name:?}"));
                }
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let id = find(&c.id, true);
    let name: Vec<Option<usize>> = c.name.list().iter().map(|n| find(n, true)).collect();
    let account = find(&c.account, true);
    let owner = match &c.owner {
        Some(o) => {
            let found = find(o, !default_owner);
            if found.is_none() && !default_owner {
                if let Some(last) = missing.borrow_mut().last_mut() {
                    last.push_str(" (or pass --owner NAME)");
                }
            }
            found
        }
        None => None,
    };
    let amount = find(&c.amount, true);
    let stage = find(&c.stage, true);
    let created = find(&c.created, true);
    let close = find(&c.close_date, true);
    let probability = c.probability.as_deref().and_then(|p| find(p, false));
    let next_step = c.next_step.as_deref().and_then(|p| find(p, false));
    let mut missing = missing.into_inner();
    if c.owner.is_none() && !default_owner {
        missing.push("an owner: the mapping names no owner column, so pass --owner NAME".into());
    }
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    match (id, account, amount, stage, created, close) {
        (Some(id), Some(account), Some(amount), Some(stage), Some(created), Some(close))
            if missing.is_empty() =>
        {
            Ok(Cols {
                id,
                name: name.into_iter().flatten().collect(),
                account,
                owner,
                amount,
                stage,
                created,
                close,
                probability,
                next_step,
            })
        }
        _ => Err(format!(
            "the export has no column {} (mapping {map}); its columns are: {}",
            missing.join(", "),
            t.headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A few rows, for messages: `rows 4, 9, 17, ...`.
fn rows_list(rows: &[usize]) -> String {
    report::rows_list(rows, 5)
}

/// One date column, read: each row's date, or why it has none.
struct DateColumn {
    cells: Vec<RawDate>,
    order: Option<DateOrder>,
}

fn read_dates(
    t: &table::Table,
    col: usize,
    header: &str,
    format: Option<&str>,
) -> Result<DateColumn, String> {
    let cell = |f: &Vec<String>| f.get(col).map_or("", String::as_str).to_string();
    let cells: Vec<RawDate> = t
        .rows
        .iter()
        .map(|(_, f)| match format {
            Some(fmt) => detect::parse_with_format(&cell(f), fmt),
            None => detect::classify_date(&cell(f)),
        })
        .collect();
    if format.is_some() {
        return Ok(DateColumn { cells, order: None });
    }
    let numbered = with_rows(t, &cells);
    let example = |row: usize| cell_at_row(t, row, &cell);
    match detect::date_order(&numbered) {
        Ok(order) => Ok(DateColumn { cells, order }),
        Err(detect::OrderError::Conflict {
            day_first,
            month_first,
        }) => Err(format!(
            "the dates in {header:?} are written both ways: day first on {} (such as {:?}) and month first on {} (such as {:?}); correct the export, or set date_format to say how every date is written",
            rows_list(&day_first),
            example(day_first[0]),
            rows_list(&month_first),
            example(month_first[0]),
        )),
        Err(detect::OrderError::Ambiguous(rows)) => Err(format!(
            "every date in {header:?} can be read day first or month first (such as {:?} on row {}), so the import cannot tell which: set date_format = \"DD/MM/YYYY\" or \"MM/DD/YYYY\" in the mapping, or pass --date-format (use the export's own separator)",
            example(rows[0]),
            rows[0]
        )),
    }
}

/// Each cell of a column with the row (line) it came from.
fn with_rows<T: Clone>(t: &table::Table, cells: &[T]) -> Vec<(usize, T)> {
    t.rows
        .iter()
        .zip(cells)
        .map(|((row, _), c)| (*row, c.clone()))
        .collect()
}

/// A column's cell on `row`, as written, for a message.
fn cell_at_row(t: &table::Table, row: usize, cell: &dyn Fn(&Vec<String>) -> String) -> String {
    t.rows
        .iter()
        .find(|(r, _)| *r == row)
        .map_or(String::new(), |(_, f)| cell(f))
}

/// One number column, read.
struct NumberColumn {
    cells: Vec<RawNumber>,
    decimal: Option<char>,
    /// The decimal separator was given, not found.
    given: bool,
}

fn read_numbers(
    t: &table::Table,
    col: Option<usize>,
    header: &str,
    given: Option<char>,
) -> Result<NumberColumn, String> {
    let Some(col) = col else {
        return Ok(NumberColumn {
            cells: vec![RawNumber::Empty; t.rows.len()],
            decimal: given,
            given: given.is_some(),
        });
    };
    let cell = |f: &Vec<String>| f.get(col).map_or("", String::as_str).to_string();
    let cells: Vec<RawNumber> = t
        .rows
        .iter()
        .map(|(_, f)| detect::classify_number(&cell(f)))
        .collect();
    if given.is_some() {
        return Ok(NumberColumn {
            cells,
            decimal: given,
            given: true,
        });
    }
    let numbered = with_rows(t, &cells);
    let example = |row: usize| cell_at_row(t, row, &cell);
    match detect::decimal_separator(&numbered) {
        Ok(decimal) => Ok(NumberColumn {
            cells,
            decimal,
            given: false,
        }),
        Err(detect::DecimalError::Conflict { dot, comma }) => Err(format!(
            "the numbers in {header:?} use both decimal separators: \".\" on {} (such as {:?}) and \",\" on {} (such as {:?}); correct the export, or set decimal in the mapping",
            rows_list(&dot),
            example(dot[0]),
            rows_list(&comma),
            example(comma[0]),
        )),
        Err(detect::DecimalError::Ambiguous(rows)) => Err(format!(
            "every number in {header:?} with a separator can be read two ways (such as {:?} on row {}: a thousands separator or a decimal one), so the import cannot tell which: set decimal = \".\" or decimal = \",\" in the mapping, or pass --decimal",
            example(rows[0]),
            rows[0]
        )),
    }
}

fn parse_decimal(s: &str) -> Result<char, String> {
    match s.trim() {
        "." => Ok('.'),
        "," => Ok(','),
        other => Err(format!(
            "the decimal separator {other:?} is neither \".\" nor \",\""
        )),
    }
}

/// `Natarajan, Priya` -> `Priya Natarajan`: the comma of a "Last, First"
/// name, as CRMs list people.
fn first_last(owner: &str) -> Option<String> {
    let (last, first) = owner.split_once(',')?;
    let (last, first) = (last.trim(), first.trim());
    (!last.is_empty() && !first.is_empty() && !first.contains(','))
        .then(|| format!("{first} {last}"))
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
        let mut problems: Vec<(String, String)> = Vec::new();
        let need = |v: &str, col: &str, problems: &mut Vec<(String, String)>| {
            if v.is_empty() {
                problems.push((format!("no {col}"), format!("no {col}")));
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
                problems.push((format!("unknown stage {crm_stage:?}"), e));
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
            problems.push((format!("no {}", c.created), format!("no {}", c.created)));
        }
        if closed {
            if amount.is_none() && get(cols.amount).is_empty() {
                problems.push((
                    format!("closed deal without {}", c.amount),
                    format!("a closed deal needs its {}", c.amount),
                ));
            }
            if close.is_none() && get(cols.close).is_empty() {
                problems.push((
                    format!("closed deal without {}", c.close_date),
                    format!("a closed deal needs its {}", c.close_date),
                ));
            }
        }
        if let (Some(a), Some(b)) = (created, close) {
            if b < a {
                problems.push((
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
                    problems.push((
                        format!("{prob_header} over 100"),
                        format!("{prob_header} {} is over 100", edit::num_text(p)),
                    ));
                }
                p
            }
            None => None,
        };
        let reject = |problems: &[(String, String)]| {
            Rejected::new(
                row,
                &name,
                &problems[0].0,
                problems
                    .iter()
                    .map(|p| p.1.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        };
        if let Some(first) = seen.get(&crm) {
            if !crm.is_empty() {
                problems.push((
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
                rejected.push(reject(&[("ambiguous owner".into(), e)]));
                continue;
            }
            None => match new_reps.get(&mapping::loose(&display)) {
                Some(id) => id.clone(),
                None => {
                    let id = slug::slugify(&display);
                    if id.is_empty() {
                        rejected.push(reject(&[(
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
                            rejected.push(reject(&[("refused to write".into(), e.to_string())]));
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
                rejected.push(reject(&[(reason.into(), e)]));
                continue;
            }
        };
        if let Some((rel, text, display)) = new_rep {
            new_reps.insert(mapping::loose(&display), owner_id.clone());
            planned_paths.insert(rel.clone());
            writes.push(Pending {
                rel: rel.clone(),
                text,
                how: How::CreateNew,
                row,
                name: name.clone(),
                plan: plans.len(),
            });
            plans.push(Planned::CreateRep(site.join(rel)));
        }
        match deal {
            DealPlan::Unchanged(rel) => plans.push(Planned::Unchanged(site.join(rel))),
            DealPlan::Update(rel, text, changed) => {
                writes.push(Pending {
                    rel: rel.clone(),
                    text,
                    how: How::Replace,
                    row,
                    name: name.clone(),
                    plan: plans.len(),
                });
                plans.push(Planned::UpdateDeal(site.join(rel), changed));
            }
            DealPlan::Create(rel, text) => {
                planned_paths.insert(rel.clone());
                writes.push(Pending {
                    rel: rel.clone(),
                    text,
                    how: How::CreateNew,
                    row,
                    name: name.clone(),
                    plan: plans.len(),
                });
                plans.push(Planned::CreateDeal(site.join(rel)));
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

/// The rep note made for an owner with none: the name only. Team, start
/// date and quota are the manager's to give (the build reports them
/// missing until then); an invented quota would skew every attainment
/// and coverage figure without anyone noticing.
fn placeholder_rep(name: &str) -> String {
    edit::new_note(
        &[
            ("type", Scalar::Text("rep".into())),
            ("name", Scalar::Text(name.into())),
        ],
        "Made by `coachbook import` for a deal owner with no rep note. Add the\nrep's `team`, `start_date` (YYYY-MM-DD) and annual `quota` to the\nfrontmatter above: until then the build reports them as missing.\n",
    )
}

/// Row `i`'s date in a column; a problem is pushed for a cell that is not
/// empty and not a date.
fn date_cell(
    col: &DateColumn,
    i: usize,
    text: &str,
    header: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<NaiveDate> {
    let d = match col.cells.get(i)? {
        RawDate::Empty => return None,
        RawDate::Known(d) => *d,
        RawDate::Numeric { a, b, year } => {
            match col
                .order
                .and_then(|o| detect::numeric_date(*a, *b, *year, o))
            {
                Some(d) => d,
                None => {
                    problems.push((
                        format!("bad date in {header}"),
                        format!(
                            "{header} {text:?} is not a date{}",
                            col.order
                                .map(|o| format!(" (the column is {})", o.describe()))
                                .unwrap_or_default()
                        ),
                    ));
                    return None;
                }
            }
        }
        RawDate::TwoDigitYear => {
            problems.push((
                format!("two-digit year in {header}"),
                format!(
                    "{header} {text:?} has a two-digit year, which the import does not guess: set date_format (such as DD-MM-YY) to read it"
                ),
            ));
            return None;
        }
        RawDate::Bad(why) => {
            problems.push((format!("bad date in {header}"), format!("{header} {why}")));
            return None;
        }
    };
    match detect::check_year(d, text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push((
                format!(
                    "year outside {}-{} in {header}",
                    detect::YEARS.start(),
                    detect::YEARS.end()
                ),
                format!("{header} {e}"),
            ));
            None
        }
    }
}

/// Row `i`'s number in a column; a problem is pushed for a cell that is
/// not empty and not exactly a number >= 0.
fn number_cell(
    col: &NumberColumn,
    i: usize,
    text: &str,
    header: &str,
    problems: &mut Vec<(String, String)>,
    amount: bool,
) -> Option<f64> {
    let what = if amount { "an amount" } else { "a number" };
    match col.cells.get(i)? {
        RawNumber::Empty => None,
        RawNumber::Negative => {
            problems.push((
                if amount {
                    "negative amount".to_string()
                } else {
                    format!("negative {header}")
                },
                format!("{header} {text:?} is negative, and values are never below 0"),
            ));
            None
        }
        RawNumber::Bad(_) => {
            problems.push((
                format!("not {what} in {header}"),
                format!("{header} {text:?} is not {what}"),
            ));
            None
        }
        RawNumber::Num(n) => match detect::number_value(n, col.decimal) {
            Ok(v) => Some(v),
            Err(why) => {
                let sep = col.decimal.unwrap_or('.');
                problems.push((
                    format!("not {what} in {header}"),
                    format!(
                        "{header} {text:?} is not {what} with {sep:?} as the decimal separator{}: it {why}",
                        if col.given { " (as given)" } else { " (as the column's other values say)" }
                    ),
                ));
                None
            }
        },
    }
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
/// frontmatter that does not parse or cannot be edited line by line).
fn update_deal(site: &Path, rel: &Path, fields: &[(&str, Scalar)]) -> Result<DealPlan, String> {
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
fn new_deal_path(
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
fn crm_id_of(path: &Path) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let fields: Vec<(&str, Scalar)> = nasty
            .iter()
            .enumerate()
            .map(|(i, s)| (KEYS[i], Scalar::Text(s.to_string())))
            .collect();
        let text = edit::new_note(&fields, "");
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
            let Scalar::Text(s) = v else { unreachable!() };
            assert_eq!(map.get(*k), Some(&Value::from(s.clone())), "{k}");
        }
        assert!(split.body.is_empty());
        // And editing a value into an existing note quotes it the same way.
        let (edited, _) = edit::edit(
            "---\ntype: deal\nname: x\n---\n",
            &[("name", Scalar::Text(nasty[9].into()))],
        )
        .unwrap();
        let split = frontmatter::split(&edited).unwrap();
        let map: Mapping = serde_norway::from_str(split.yaml).unwrap();
        assert_eq!(map.get("name"), Some(&Value::from(nasty[9])));
        assert_eq!(map.len(), 2);
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
            &[("value", Scalar::Num(1.0))],
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
    fn last_first_names() {
        assert_eq!(
            first_last("Natarajan, Priya").as_deref(),
            Some("Priya Natarajan")
        );
        assert_eq!(first_last("Priya Natarajan"), None);
        assert_eq!(first_last("Acme, Inc., Sales"), None);
        assert_eq!(first_last(", Priya"), None);
    }
}

//! Rules the field types cannot express: stages from the configuration,
//! dates in order, at most three focus areas, three objections on a prep,
//! ids unique across the site, and raw HTML that a page shows as text.
//!
//! A note with an error here is marked invalid (rendered, but left out of
//! the metrics). Ids (see [`assign_ids`]): two files whose names give one
//! id (`emea/Acme.md`, `apac/Acme.md`) both stay, each under its folder
//! path (`emea/acme`, `apac/acme`), with a warning; a note whose
//! frontmatter `slug` is taken by another's `slug` is dropped, and both
//! files are named. A note the loader already
//! found errors in is checked too, on what could be read of it (its
//! draft), so one run shows all of its problems; a rule about a field
//! that could not be read is skipped.

use crate::config::Config;
use crate::content::fields::did_you_mean;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{Kind, Note, NoteData};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The id of each note of a site: `Some(id)`, or `None` for a note left
/// out because its frontmatter `slug` is another `slug`'s.
pub struct Ids {
    pub ids: Vec<Option<String>>,
    pub diags: Vec<Diagnostic>,
}

/// Gives every note (sorted by path) a unique id, as the contract says:
/// the id the loader made (the file name or `slug`, slugified) when no
/// other note has it. When several do:
/// - notes whose id comes from their file name take their folder path
///   (`emea/acme`; a note at the top of `content/` keeps its id, which is
///   its path), and one `duplicate-name` warning names the files: a link
///   by the bare name is then ambiguous, a link by path resolves. No note
///   is left out for its file name.
/// - of notes whose `slug` gives the id, the first by path keeps it and
///   the others are left out (`duplicate-id`, naming both files): a slug
///   is chosen, so a clash is a mistake to fix.
///
/// A path that still clashes (`EMEA/acme.md` and `emea/Acme.md`), or that
/// would take a rep's pipeline URL (`<rep>/pipeline`), gets `-2`, `-3`...
pub fn assign_ids(notes: &[&Note]) -> Ids {
    let mut by_id: FxHashMap<&str, Vec<usize>> =
        FxHashMap::with_capacity_and_hasher(notes.len(), Default::default());
    for (i, n) in notes.iter().enumerate() {
        by_id.entry(n.id.as_str()).or_default().push(i);
    }
    let mut ids: Vec<Option<String>> = notes.iter().map(|n| Some(n.id.clone())).collect();
    let mut diags = Vec::new();
    let mut moved: Vec<usize> = Vec::new();
    let mut groups: Vec<&Vec<usize>> = by_id.values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for group in groups {
        let slugged: Vec<usize> = group
            .iter()
            .copied()
            .filter(|i| notes[*i].slug_given)
            .collect();
        // The first note with the slug keeps the id; other slugs are dropped.
        for i in slugged.iter().skip(1) {
            let note = notes[*i];
            ids[*i] = None;
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    &note.path,
                    note.field_line("slug"),
                    format!(
                        "the id {:?} is already used by {}; this note is left out of the site",
                        note.id, notes[slugged[0]].path
                    ),
                )
                .with_help("give one of the two a different `slug`"),
            );
        }
        let by_name: Vec<usize> = group
            .iter()
            .copied()
            .filter(|i| !notes[*i].slug_given)
            .collect();
        if by_name.is_empty() {
            continue;
        }
        for i in &by_name {
            let p = notes[*i].path_id();
            if !p.is_empty() {
                ids[*i] = Some(p);
                moved.push(*i);
            }
        }
    }
    // Paths that still clash, with each other, with another note's id or
    // with a rep's pipeline page.
    if !moved.is_empty() {
        moved.sort_unstable();
        let mut taken: rustc_hash::FxHashSet<String> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| moved.binary_search(i).is_err())
            .filter_map(|(_, id)| id.clone())
            .collect();
        for (i, n) in notes.iter().enumerate() {
            if n.kind == Kind::Rep {
                if let Some(id) = &ids[i] {
                    taken.insert(format!("{id}/pipeline"));
                }
            }
        }
        for i in &moved {
            let Some(base) = ids[*i].clone() else {
                continue;
            };
            let mut id = base.clone();
            let mut k = 2;
            while taken.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            taken.insert(id.clone());
            ids[*i] = Some(id);
        }
        // One warning per shared name, on its first file.
        let mut shared: Vec<Vec<usize>> = Vec::new();
        for i in &moved {
            match shared.iter_mut().find(|g| notes[g[0]].id == notes[*i].id) {
                Some(g) => g.push(*i),
                None => shared.push(vec![*i]),
            }
        }
        for g in shared {
            let first = notes[g[0]];
            let files: Vec<String> = g
                .iter()
                .map(|i| {
                    format!(
                        "{} (id {:?})",
                        notes[*i].path,
                        ids[*i].as_deref().unwrap_or_default()
                    )
                })
                .collect();
            let example = notes[*g.last().unwrap_or(&g[0])].content_path().to_string();
            diags.push(
                Diagnostic::warning(
                    Code::DuplicateName,
                    &first.path,
                    1,
                    format!(
                        "{} notes have the file name {:?}: {}; each keeps its folder path as its id",
                        g.len(),
                        first.stem(),
                        files.join(", ")
                    ),
                )
                .with_help(format!(
                    "a link by the bare name [[{}]] is ambiguous; link by path, like [[{example}]], or rename one",
                    first.stem()
                )),
            );
        }
    }
    Ids { ids, diags }
}

/// Checks every note and gives each its id (see [`assign_ids`]); drops a
/// note whose `slug` another note's `slug` took. Returns the notes that
/// remain.
pub fn validate(mut notes: Vec<Note>, config: &Config, diags: &mut Diagnostics) -> Vec<Note> {
    if !notes.is_sorted_by(|a, b| a.path <= b.path) {
        notes.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let assigned = {
        let refs: Vec<&Note> = notes.iter().collect();
        assign_ids(&refs)
    };
    diags.extend(assigned.diags);
    // Each note checked in place, on every core (one after another, the
    // checks were about 40 ms of a 100k build on one core); then the
    // notes without an id are dropped, in place too (a second vector of
    // every note beside the first was the peak of validating a large
    // site). The diagnostics come in the notes' order either way.
    let mut ids = assigned.ids;
    let found: Vec<Vec<Diagnostic>> = notes
        .par_iter_mut()
        .zip(ids.par_iter_mut())
        .map(|(note, id)| {
            let Some(id) = id.as_mut() else {
                return Vec::new();
            };
            if note.id != *id {
                note.id = std::mem::take(id);
            }
            normalise(note, config);
            let errors = check_note(note, config);
            if errors
                .iter()
                .any(|d| d.severity == crate::diagnostics::Severity::Error)
            {
                note.set_invalid();
            }
            errors
        })
        .collect();
    for errors in found {
        diags.extend(errors);
    }
    let mut keep = ids.iter().map(Option::is_some);
    notes.retain(|_| keep.next().unwrap_or(true));
    check_site_notes(&notes, diags);
    notes
}

/// Rules across notes: team names give distinct URLs, and team forecasts
/// name a team that exists.
pub fn check_site_notes(notes: &[Note], diags: &mut Diagnostics) {
    use crate::model::ForecastOwner;
    let teams: std::collections::BTreeSet<&str> = notes
        .iter()
        .filter(|n| n.valid)
        .filter_map(|n| n.rep().map(|r| r.team.as_str()))
        .collect();
    let mut by_slug: FxHashMap<String, &str> = FxHashMap::default();
    // Each team's slug made once (thousands of reps share a few teams,
    // and this runs on every save in `serve`).
    let mut slugs: FxHashMap<&str, String> = FxHashMap::default();
    for n in notes.iter().filter(|n| n.valid) {
        let Some(r) = n.rep() else { continue };
        let slug = slugs
            .entry(r.team.as_str())
            .or_insert_with(|| crate::model::team_slug(&r.team));
        match by_slug.get(slug.as_str()) {
            Some(other) if *other != r.team.as_str() => diags.push(
                Diagnostic::warning(
                    Code::TeamSlugClash,
                    &n.path,
                    n.field_line("team"),
                    format!(
                        "team {:?} and team {other:?} are two teams with one URL; the second gets a suffix",
                        r.team
                    ),
                )
                .at_span(n.field_span("team"))
                .with_help(format!("if they are one team, write {other:?} in both")),
            ),
            Some(_) => {}
            None => {
                by_slug.insert(slug.clone(), r.team.as_str());
            }
        }
    }
    // A forecast with errors too, so its team is checked in the same run.
    for n in notes {
        let (NoteData::Forecast(f), unread) = n.checked_data() else {
            continue;
        };
        if let ForecastOwner::Team(t) = &f.owner {
            // An empty team is a draft's stand-in for one not read.
            let read = !t.is_empty() && !unread.iter().any(|u| u == "team");
            if read && !teams.contains(t.as_str()) {
                let mut d = Diagnostic::warning(
                    Code::UnknownTeam,
                    &n.path,
                    n.field_line("team"),
                    format!(
                        "no rep is in team {t:?}, so this forecast has nothing to compare with"
                    ),
                )
                .at_span(n.field_span("team"));
                if let Some(g) = did_you_mean(t, teams.iter().copied()) {
                    d = d.with_help(format!("did you mean {g:?}?"));
                }
                diags.push(d);
            }
        }
    }
}

/// Writes the values that depend on the configuration in their canonical
/// spelling: a deal's stage as configured (`Proposal` -> `proposal`), so
/// the metrics and `metrics.json` see one name. [`check_note`] compares the
/// same way, so it may run before or after.
pub fn normalise(note: &mut Note, config: &Config) {
    if let NoteData::Deal(d) = &mut note.data {
        if let Some(c) = config.canonical_stage(&d.stage) {
            if c != d.stage {
                d.stage = c.to_string();
            }
        }
    }
}

/// The rules for one note, on its fields or, for a note with errors, on
/// its draft (a rule about a field that could not be read is skipped).
pub fn check_note(note: &Note, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = note.path.as_str();
    let (data, unread) = note.checked_data();
    // Whether a field was read (present and right, or absent).
    let read = |field: &str| !unread.iter().any(|u| u == field);
    // Whether an optional field is written, even with a wrong value.
    let given = |field: &str, value: bool| value || !read(field);
    let at = |field: &str| note.field_span(field);
    match data {
        NoteData::Deal(d) => {
            let stages = config.all_stages();
            // Compared as normalise() would write it, so this holds
            // whether or not the note was normalised first.
            let stage = config.canonical_stage(&d.stage);
            let is_lost = stage == Some(crate::model::CLOSED_LOST);
            let is_closed = is_lost || stage == Some(crate::model::CLOSED_WON);
            let dates_read = read("created") && read("close_date");
            if let Some(close) = d.close_date.filter(|c| dates_read && *c < d.created) {
                out.push(Diagnostic::error(
                    Code::DateOrder,
                    file,
                    note.field_line("close_date"),
                    format!(
                        "close_date {close} is before created {}: a deal cannot close before it was created",
                        d.created
                    ),
                ).at_span(at("close_date")));
            }
            if !read("stage") {
                // Every rule below depends on the stage.
                return out;
            }
            if stage.is_none() {
                let mut diag = Diagnostic::error(
                    Code::InvalidValue,
                    file,
                    note.field_line("stage"),
                    format!(
                        "stage must be one of {}, found {:?}",
                        stages.join(", "),
                        d.stage
                    ),
                );
                if let Some(g) = did_you_mean(&d.stage, stages.iter().copied()) {
                    diag = diag.with_help(format!("did you mean {g:?}?"));
                }
                out.push(diag.at_span(at("stage")));
            }
            if !is_closed {
                // A value or date written wrong is not missing: it has an
                // error of its own.
                let missing: Vec<(&str, &str)> = [
                    (d.value.is_none() && read("value"))
                        .then_some(("value", "it counts as 0 in every pipeline figure")),
                    (d.close_date.is_none() && read("close_date")).then_some((
                        "close_date",
                        "it never slips and is not in this year's coverage",
                    )),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !missing.is_empty() {
                    let names: Vec<&str> = missing.iter().map(|m| m.0).collect();
                    let effects: Vec<&str> = missing.iter().map(|m| m.1).collect();
                    out.push(
                        Diagnostic::warning(
                            Code::MissingData,
                            file,
                            note.field_line("stage"),
                            format!(
                                "this open deal has no {} yet: {}; its owner's pipeline review lists it under \"missing data\"",
                                names.join(" and no "),
                                effects.join(", and ")
                            ),
                        )
                        .with_help("add the expected amount (`value`) and close date (`close_date`) when you know them")
                        .at_span(at("stage")),
                    );
                }
            }
            if given("probability", d.probability.is_some()) && is_closed {
                out.push(Diagnostic::warning(
                    Code::UnexpectedField,
                    file,
                    note.field_line("probability"),
                    format!(
                        "probability is set on a deal in stage {}; a closed deal's weighted value is its value if won, else 0",
                        d.stage
                    ),
                ).with_help("remove `probability` once a deal is closed").at_span(at("probability")));
            }
            if given("lost_reason", d.lost_reason.is_some()) && !is_lost {
                out.push(
                    Diagnostic::warning(
                        Code::UnexpectedField,
                        file,
                        note.field_line("lost_reason"),
                        format!(
                            "lost_reason is set but the deal is in stage {:?}, not closed_lost",
                            d.stage
                        ),
                    )
                    .at_span(at("lost_reason")),
                );
            }
        }
        NoteData::Rep(r) => {
            if r.focus.len() > 3 {
                out.push(
                    Diagnostic::error(
                        Code::TooManyFocusAreas,
                        file,
                        note.field_line("focus"),
                        format!(
                            "focus lists {} areas; a coaching plan has at most three so it stays focused",
                            r.focus.len()
                        ),
                    )
                    .with_help("keep the three that matter most this quarter; move the rest to the body")
                    .at_span(at("focus")),
                );
            }
        }
        NoteData::Prep(p) => {
            if p.objections.len() < 3 && read("objections") {
                out.push(
                    Diagnostic::warning(
                        Code::FewObjections,
                        file,
                        note.field_line("objections"),
                        format!(
                            "a deal prep expects three objections with a response each, found {}",
                            p.objections.len()
                        ),
                    )
                    .with_help("which three objections is the buyer most likely to raise?")
                    .at_span(at("objections")),
                );
            }
        }
        NoteData::Interaction(i) => {
            if given("cause", i.cause.is_some()) && note.kind != Kind::Debrief {
                out.push(
                    Diagnostic::warning(
                        Code::UnexpectedField,
                        file,
                        note.field_line("cause"),
                        "cause is meant for lost-deal debriefs; it is shown but not counted"
                            .to_string(),
                    )
                    .at_span(at("cause")),
                );
            }
        }
        NoteData::Forecast(_) | NoteData::Manager(_) | NoteData::Page => {}
    }
    // Raw HTML the page shows as text (`<first name>`, `<title>`): read
    // here rather than when loading because `unsafe_html` decides it. A
    // note whose HTML nests too deeply shows all of it as text, and the
    // loader's one `html-too-deep` warning says so.
    // (A body kept on disk is read again only when it has a `<`.)
    if !note.raw_html_as_text && note.body.may_have_html() {
        match crate::content::body_text(note) {
            Ok(body) => out.extend(crate::content::wikilinks::html_diagnostics(
                file,
                &body,
                note.body_line,
                config.unsafe_html,
            )),
            Err(e) => out.push(Diagnostic::error(Code::ReadError, file, 0, e)),
        }
    }
    out
}

/// Rules that need references resolved (run after the link stage): one
/// owner has one forecast per period.
pub fn check_resolved(site: &crate::model::Site, diags: &mut Diagnostics) {
    use crate::model::ForecastOwner;
    /// Whose forecast: a team's or a rep's (keys built without allocating:
    /// this runs on every save in `serve`).
    #[derive(PartialEq, Eq, Hash)]
    enum Owner<'a> {
        Team(&'a str),
        Rep(usize),
    }
    let mut periods: FxHashMap<(Owner, i32, u32), &str> = FxHashMap::default();
    for (_, n, f) in site.forecasts() {
        let key = match &f.owner {
            ForecastOwner::Team(t) => Owner::Team(t),
            ForecastOwner::Rep(r) => match r.resolved {
                Some(i) => Owner::Rep(i),
                None => continue,
            },
        };
        if let Some(first) = periods.insert((key, f.year, f.quarter), &n.path) {
            let who = match &f.owner {
                ForecastOwner::Team(t) => format!("team {t:?}"),
                ForecastOwner::Rep(r) => {
                    format!(
                        "{:?}",
                        r.resolved.map_or("", |i| site.notes[i].title.as_str())
                    )
                }
            };
            diags.push(Diagnostic::warning(
                Code::DuplicateForecast,
                &n.path,
                n.field_line("period"),
                format!(
                    "{who} already has a forecast for {} in {first}; both count in forecast accuracy",
                    f.period()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests;

//! Rules the field types cannot express: stages from the configuration,
//! dates in order, at most three focus areas, three objections on a prep,
//! ids unique across the site, and raw HTML that a page shows as text.
//!
//! A note with an error here is marked invalid (rendered, but left out of
//! the metrics); a note whose id is taken is dropped, and both files are
//! named.

use crate::config::Config;
use crate::content::fields::did_you_mean;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Kind, Note, NoteData};
use rustc_hash::FxHashMap;

/// Checks every note; drops notes with a duplicate id (the first by path
/// keeps it). Returns the notes that remain.
pub fn validate(mut notes: Vec<Note>, config: &Config, diags: &mut Diagnostics) -> Vec<Note> {
    if !notes.is_sorted_by(|a, b| a.path <= b.path) {
        notes.sort_by(|a, b| a.path.cmp(&b.path));
    }
    // Which notes lose their id to an earlier one (by path), and to whom.
    let mut first_of: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(notes.len(), Default::default());
    let mut taken_by: Vec<Option<usize>> = vec![None; notes.len()];
    for (i, n) in notes.iter().enumerate() {
        match first_of.get(n.id.as_str()) {
            Some(&first) => taken_by[i] = Some(first),
            None => {
                first_of.insert(n.id.as_str(), i);
            }
        }
    }
    drop(first_of);
    for (i, first) in taken_by.iter().enumerate() {
        if let Some(first) = first {
            let note = &notes[i];
            diags.push(
                Diagnostic::error(
                    "duplicate-id",
                    &note.path,
                    note.field_line("slug"),
                    format!(
                        "the id {:?} is already used by {}; this note is left out of the site",
                        note.id, notes[*first].path
                    ),
                )
                .with_help("rename one of the two files, or give one a different `slug`"),
            );
        }
    }
    let mut kept = Vec::with_capacity(notes.len());
    for (mut note, taken) in notes.into_iter().zip(taken_by) {
        if taken.is_some() {
            continue;
        }
        normalise(&mut note, config);
        let errors = check_note(&note, config);
        let failed = errors
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error);
        diags.extend(errors);
        if failed {
            note.valid = false;
            note.data = NoteData::Page;
        }
        kept.push(note);
    }
    check_site_notes(&kept, diags);
    kept
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
    for n in notes.iter().filter(|n| n.valid) {
        let Some(r) = n.rep() else { continue };
        let slug = crate::model::team_slug(&r.team);
        match by_slug.get(slug.as_str()) {
            Some(other) if *other != r.team.as_str() => diags.push(
                Diagnostic::warning(
                    "team-slug-clash",
                    &n.path,
                    n.field_line("team"),
                    format!(
                        "team {:?} and team {other:?} are two teams with one URL; the second gets a suffix",
                        r.team
                    ),
                )
                .with_help(format!("if they are one team, write {other:?} in both")),
            ),
            Some(_) => {}
            None => {
                by_slug.insert(slug, r.team.as_str());
            }
        }
    }
    for n in notes.iter().filter(|n| n.valid) {
        let Some(f) = n.forecast() else { continue };
        if let ForecastOwner::Team(t) = &f.owner {
            if !teams.contains(t.as_str()) {
                let mut d = Diagnostic::warning(
                    "unknown-team",
                    &n.path,
                    n.field_line("team"),
                    format!(
                        "no rep is in team {t:?}, so this forecast has nothing to compare with"
                    ),
                );
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

/// The rules for one note.
pub fn check_note(note: &Note, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = note.path.as_str();
    match &note.data {
        NoteData::Deal(d) => {
            let stages = config.all_stages();
            // Compared as normalise() would write it, so this holds
            // whether or not the note was normalised first.
            let stage = config.canonical_stage(&d.stage);
            let is_lost = stage == Some(crate::model::CLOSED_LOST);
            let is_closed = is_lost || stage == Some(crate::model::CLOSED_WON);
            if stage.is_none() {
                let mut diag = Diagnostic::error(
                    "invalid-value",
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
                out.push(diag);
            }
            if let Some(close) = d.close_date.filter(|c| *c < d.created) {
                out.push(Diagnostic::error(
                    "date-order",
                    file,
                    note.field_line("close_date"),
                    format!(
                        "close_date {close} is before created {}: a deal cannot close before it was created",
                        d.created
                    ),
                ));
            }
            if !is_closed {
                let missing: Vec<(&str, &str)> = [
                    d.value
                        .is_none()
                        .then_some(("value", "it counts as 0 in every pipeline figure")),
                    d.close_date.is_none().then_some((
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
                            "missing-data",
                            file,
                            note.field_line("stage"),
                            format!(
                                "this open deal has no {} yet: {}; its owner's pipeline review lists it under \"missing data\"",
                                names.join(" and no "),
                                effects.join(", and ")
                            ),
                        )
                        .with_help("add the expected amount (`value`) and close date (`close_date`) when you know them"),
                    );
                }
            }
            if d.probability.is_some() && is_closed {
                out.push(Diagnostic::warning(
                    "unexpected-field",
                    file,
                    note.field_line("probability"),
                    format!(
                        "probability is set on a deal in stage {}; a closed deal's weighted value is its value if won, else 0",
                        d.stage
                    ),
                ).with_help("remove `probability` once a deal is closed"));
            }
            if d.lost_reason.is_some() && !is_lost {
                out.push(Diagnostic::warning(
                    "unexpected-field",
                    file,
                    note.field_line("lost_reason"),
                    format!(
                        "lost_reason is set but the deal is in stage {:?}, not closed_lost",
                        d.stage
                    ),
                ));
            }
        }
        NoteData::Rep(r) => {
            if r.focus.len() > 3 {
                out.push(
                    Diagnostic::error(
                        "too-many-focus-areas",
                        file,
                        note.field_line("focus"),
                        format!(
                            "focus lists {} areas; a coaching plan has at most three so it stays focused",
                            r.focus.len()
                        ),
                    )
                    .with_help("keep the three that matter most this quarter; move the rest to the body"),
                );
            }
        }
        NoteData::Prep(p) => {
            if p.objections.len() < 3 {
                out.push(
                    Diagnostic::warning(
                        "few-objections",
                        file,
                        note.field_line("objections"),
                        format!(
                            "a deal prep expects three objections with a response each, found {}",
                            p.objections.len()
                        ),
                    )
                    .with_help("which three objections is the buyer most likely to raise?"),
                );
            }
        }
        NoteData::Interaction(i) => {
            if i.cause.is_some() && note.kind != Kind::Debrief {
                out.push(Diagnostic::warning(
                    "unexpected-field",
                    file,
                    note.field_line("cause"),
                    "cause is meant for lost-deal debriefs; it is shown but not counted"
                        .to_string(),
                ));
            }
        }
        NoteData::Forecast(_) | NoteData::Manager(_) | NoteData::Page => {}
    }
    // Raw HTML the page shows as text (`<first name>`, `<title>`): read
    // here rather than when loading because `unsafe_html` decides it. A
    // note whose HTML nests too deeply shows all of it as text, and the
    // loader's one `html-too-deep` warning says so.
    if !note.raw_html_as_text {
        out.extend(crate::content::wikilinks::html_diagnostics(
            file,
            &note.body,
            note.body_line,
            config.unsafe_html,
        ));
    }
    out
}

/// Rules that need references resolved (run after the link stage): one
/// owner has one forecast per period.
pub fn check_resolved(site: &crate::model::Site, diags: &mut Diagnostics) {
    use crate::model::ForecastOwner;
    let mut periods: FxHashMap<(String, String), &str> = FxHashMap::default();
    for (_, n, f) in site.forecasts() {
        let (key, who) = match &f.owner {
            ForecastOwner::Team(t) => (format!("team:{t}"), format!("team {t:?}")),
            ForecastOwner::Rep(r) => match r.resolved {
                Some(i) => (format!("rep:{i}"), format!("{:?}", site.notes[i].title)),
                None => continue,
            },
        };
        if let Some(first) = periods.insert((key, f.period()), &n.path) {
            diags.push(Diagnostic::warning(
                "duplicate-forecast",
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

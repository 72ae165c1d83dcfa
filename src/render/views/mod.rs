//! The data each template sees: one typed, serialisable view per page
//! family (one module each), built from the site, its links and its
//! metrics through a [`Cx`], which records every input a view reads
//! ([`Input`]). `serve` re-renders a page only when one of the inputs it
//! read last time changed (`crate::incremental`), so what a page depends
//! on is never written down twice.
//!
//! Every page gets `site` (title, base, currency, as_of, fiscal year),
//! `base` (the same as `site.base`), `live_reload`, `page` (title, kind,
//! path, url), `left_out` on the pages of figures, and its own keys
//! (documented per template in `docs/templates.md`).

mod changes;
mod common;
mod dashboard;
mod deal;
#[cfg(test)]
mod doc_check;
mod forecast;
mod interactions;
mod lists;
mod pipeline;
mod rep;
mod site;

pub use common::NoteLink;
pub use lists::note_row;
pub use site::{site_view, Nav};

use super::inputs::Input;
use super::{Job, Renderer};
use crate::model::{Kind, Note, NoteIdx};
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;

/// What a view reads, recorded as it reads it (when the renderer keeps
/// the inputs: `serve`).
pub struct Cx<'r, 'a> {
    r: &'r Renderer<'a>,
    /// The inputs read, each once, in the order first read; `None` when
    /// the renderer does not keep them (a build). The forecast page of a
    /// 100k-note site reads millions, about 100 MB as a list.
    reads: Option<RefCell<Reads>>,
}

/// The inputs a view has read, each once.
#[derive(Default)]
struct Reads {
    order: Vec<Input>,
    seen: rustc_hash::FxHashSet<Input>,
}

impl<'r, 'a> Cx<'r, 'a> {
    pub fn new(r: &'r Renderer<'a>) -> Self {
        Cx {
            r,
            reads: r.record_inputs.then(RefCell::default),
        }
    }

    /// The inputs read, in the order first read (none when not kept).
    pub fn into_reads(self) -> Vec<Input> {
        self.reads.map(|r| r.into_inner().order).unwrap_or_default()
    }

    fn read(&self, i: Input) {
        if let Some(reads) = &self.reads {
            let mut reads = reads.borrow_mut();
            if !reads.seen.contains(&i) {
                reads.seen.insert(i.clone());
                reads.order.push(i);
            }
        }
    }

    /// The renderer itself, for helpers that take the site whole: the
    /// caller records what they read.
    fn raw(&self) -> &'r Renderer<'a> {
        self.r
    }

    /// The configuration (a change to it rebuilds every page).
    pub fn config(&self) -> &'a crate::config::Config {
        self.r.config
    }

    /// An URL inside the site.
    pub fn href(&self, path: &str) -> String {
        self.r.href(path)
    }

    /// The URL of note `n`'s page ([`Renderer::note_url`]).
    pub fn note_url(&self, n: &crate::model::Note) -> String {
        self.r.note_url(n)
    }

    /// The URL of a team's page (its slug depends on the other teams').
    pub fn team_url(&self, team: &str) -> String {
        self.read(Input::Teams);
        self.r.href(&format!("teams/{}/", self.r.team_slug(team)))
    }

    /// The figures' date (part of the site view every page reads).
    pub fn as_of(&self) -> chrono::NaiveDate {
        self.r.metrics.as_of
    }

    /// Every field of a note.
    pub fn note(&self, i: NoteIdx) -> &'a Note {
        self.read(Input::Note(i));
        &self.r.site.notes[i]
    }

    /// The notes of these kinds (every field of each, and which they are).
    pub fn of_kinds(&self, kinds: &[Kind]) -> Vec<(NoteIdx, &'a Note)> {
        for k in kinds {
            self.read(Input::Kind(*k));
        }
        let notes = &self.r.site.notes;
        (self.r.notes_of_kinds(kinds).into_iter())
            .map(|i| (i, &notes[i]))
            .collect()
    }

    /// The notes of these kinds, by index (which they are, nothing more).
    pub fn members(&self, kinds: &[Kind]) -> Vec<NoteIdx> {
        for k in kinds {
            self.read(Input::Members(*k));
        }
        self.r.notes_of_kinds(kinds)
    }

    /// Of each note of these kinds: validity, date and the rep it is
    /// about (what a list of the latest notes selects by).
    pub fn dated(&self, kinds: &[Kind]) -> Vec<Dated> {
        for k in kinds {
            self.read(Input::Dated(*k));
        }
        self.dated_of(self.r.notes_of_kinds(kinds))
    }

    /// The [`Dated`] of each of these notes (their inputs read already).
    fn dated_of(&self, found: Vec<NoteIdx>) -> Vec<Dated> {
        let notes = &self.r.site.notes;
        (found.into_iter())
            .map(|i| (i, &notes[i]))
            .map(|(i, n)| Dated {
                note: i,
                valid: n.valid,
                date: n.date,
                rep: n.rep_ref().and_then(|x| x.resolved),
            })
            .collect()
    }

    /// [`Cx::dated`] of the notes of these kinds about these reps only,
    /// found through each rep's list rather than every note of the kinds
    /// (a large site's team pages each scanned every interaction). It
    /// reads the same inputs as `dated`.
    pub fn dated_about(&self, kinds: &[Kind], reps: &[NoteIdx]) -> Vec<Dated> {
        for k in kinds {
            self.read(Input::Dated(*k));
        }
        let notes = &self.r.site.notes;
        let rep_of = |i: NoteIdx| notes[i].rep_ref().and_then(|x| x.resolved);
        let mut found: Vec<NoteIdx> = reps
            .iter()
            .filter_map(|r| Some((*r, self.r.lists.about.get(*r)?)))
            .flat_map(|(r, about)| about.iter().copied().filter(move |i| rep_of(*i) == Some(r)))
            .filter(|i| kinds.contains(&notes[*i].kind))
            .collect();
        found.sort_unstable();
        found.dedup();
        self.dated_of(found)
    }

    /// A note's title, URL, kind and id.
    pub fn link(&self, i: NoteIdx) -> NoteLink {
        self.read(Input::Link(i));
        common::note_link_raw(self.r, i)
    }

    /// Renders a template apart from the page's own (rows rendered a
    /// chunk at a time), with the template error chain on failure.
    pub fn render_part(&self, template: &str, ctx: &tera::Context) -> Result<String, String> {
        #[cfg(test)]
        doc_check::PARTS.with(|p| p.borrow_mut().push((template.to_string(), ctx.clone())));
        self.r.render_template(template, ctx)
    }

    /// The note table rows of these notes.
    pub fn rows(&self, notes: impl Iterator<Item = NoteIdx>) -> String {
        let notes: Vec<NoteIdx> = notes.collect();
        for i in &notes {
            self.read(Input::Row(*i));
        }
        self.r.note_rows(notes.into_iter())
    }

    pub fn backlinks(&self, i: NoteIdx) -> &'a [NoteIdx] {
        self.read(Input::Backlinks(i));
        &self.r.links.backlinks[i]
    }

    /// The interactions and preps about a rep or deal.
    pub fn about(&self, i: NoteIdx) -> &'r [NoteIdx] {
        self.read(Input::About(i));
        &self.r.lists.about[i]
    }

    /// A rep's deals.
    pub fn deals_of(&self, i: NoteIdx) -> &'r [NoteIdx] {
        self.read(Input::DealsOf(i));
        &self.r.lists.deals_of[i]
    }

    pub fn rep_metrics(&self, i: NoteIdx) -> crate::metrics::RepMetrics {
        self.read(Input::RepFigures(i));
        self.r.metrics.reps.get(i).cloned().unwrap_or_default()
    }

    pub fn deal_metrics(&self, i: NoteIdx) -> Option<&'a crate::metrics::DealMetrics> {
        self.read(Input::DealFigures(i));
        self.r.metrics.deals.get(i)
    }

    pub fn team_metrics(&self, team: &str) -> Option<&'a crate::metrics::RepMetrics> {
        self.read(Input::TeamFigures(team.to_string()));
        self.r.metrics.teams.get(team)
    }

    /// Team name -> its reps, sorted by name.
    pub fn teams(&self) -> &'r std::collections::BTreeMap<String, Vec<NoteIdx>> {
        self.read(Input::Teams);
        &self.r.lists.teams
    }

    /// The comparison with the snapshot at `since` (or why there is none).
    pub fn history(&self) -> &'a crate::metrics::changes::History {
        self.read(Input::History);
        &self.r.metrics.changes
    }

    /// A deal's changes since `since`, and `since`, when there is a
    /// comparison.
    pub fn deal_changes(
        &self,
        i: NoteIdx,
    ) -> Option<(
        chrono::NaiveDate,
        Vec<&'a crate::metrics::changes::DealChange>,
    )> {
        self.read(Input::DealChanges(i));
        let id = &self.r.site.notes[i].id;
        let c = self.r.metrics.changes.changes()?;
        Some((c.since, c.deals.iter().filter(|d| &d.deal == id).collect()))
    }

    /// A deal's history (newest first) and the log it comes from, when
    /// there is a comparison.
    pub fn deal_log(
        &self,
        i: NoteIdx,
    ) -> Option<(
        &'a crate::metrics::changes::DealLog,
        &'a [crate::metrics::changes::DealEvent],
    )> {
        self.read(Input::DealChanges(i));
        let id = &self.r.site.notes[i].id;
        let c = self.r.metrics.changes.changes()?;
        Some((&c.log, c.log.deals.get(id).map_or(&[][..], Vec::as_slice)))
    }

    pub fn forecasts(&self) -> &'a [crate::metrics::ForecastMetrics] {
        self.read(Input::Forecasts);
        &self.r.metrics.forecasts
    }

    /// The company's figures and scorecard.
    pub fn org(&self) -> &'a crate::metrics::Metrics {
        self.read(Input::Org);
        self.r.metrics
    }

    /// Every tag: slug -> (name, notes).
    pub fn tags(&self) -> &'r std::collections::BTreeMap<String, (String, Vec<NoteIdx>)> {
        self.read(Input::TagList);
        &self.r.lists.tags
    }

    pub fn tag(&self, slug: &str) -> (String, Vec<NoteIdx>) {
        self.read(Input::Tag(slug.to_string()));
        self.r.lists.tags.get(slug).cloned().unwrap_or_default()
    }

    pub fn diags(&self) -> &'a crate::diagnostics::Diagnostics {
        self.read(Input::Diagnostics);
        self.r.diags
    }

    /// The notes left out of the figures.
    pub fn left_out(&self) -> &'r [&'a str] {
        self.read(Input::LeftOut);
        &self.r.left_out
    }

    /// The title and URL of the note at a path, if one is there.
    pub fn note_at(&self, path: &str) -> Option<NoteLink> {
        self.read(Input::NoteAt(path.to_string()));
        self.r
            .note_at(path)
            .map(|i| common::note_link_raw(self.r, i))
    }

    /// The key question a deal's weakest MEDDPICC element suggests.
    pub fn question(&self, key: &str) -> String {
        self.r.theme.questions.get(key).cloned().unwrap_or_default()
    }
}

/// What [`Cx::dated`] gives of a note.
pub struct Dated {
    pub note: NoteIdx,
    pub valid: bool,
    pub date: Option<chrono::NaiveDate>,
    pub rep: Option<NoteIdx>,
}

/// The page's own line in every context: title, kind, path and URL.
#[derive(Serialize)]
pub struct PageInfo {
    pub title: String,
    pub kind: &'static str,
    pub path: String,
    pub url: String,
}

/// A page's template, its `page` line, and its own data.
pub struct View {
    pub template: &'static str,
    pub title: String,
    pub kind: &'static str,
    pub path: String,
    pub data: Value,
    /// A part of the page could not be rendered (a template it renders
    /// apart, such as `deal_rows.html`, failed): the page shows the error.
    pub failed: Option<String>,
    /// Markers the data puts in the page and the HTML that replaces each
    /// once the template has rendered (see [`splice`]): large parts made
    /// apart, kept out of the context.
    pub splices: Vec<Splice>,
}

/// A marker of a page and the HTML that replaces it, in pieces (written
/// one after another, never joined: the deal board's rows are 23 MB at
/// 100k notes, and one string grown to hold them copied them as it
/// doubled, about 35 MB at once).
pub type Splice = (&'static str, Vec<String>);

/// A page's template context and its splices (see [`View::splices`]).
pub type PageContext = (tera::Context, Vec<Splice>);

/// `html` with the first occurrence of each marker replaced by its HTML,
/// in one pass (each byte copied once). A marker the template did not
/// write leaves its HTML out.
pub fn splice(html: String, splices: Vec<Splice>) -> String {
    if splices.is_empty() {
        return html;
    }
    spliced_pieces(&html, &splices).concat()
}

/// The pieces of `html` spliced (see [`splice`]), in order: the page's
/// text between markers and the HTML of each, to be written one after
/// another without making the page one string (the deal board's rows
/// are 23 MB at 100k notes).
pub fn spliced_pieces<'h>(html: &'h str, splices: &'h [Splice]) -> Vec<&'h str> {
    let mut at: Vec<(usize, &'static str, &[String])> = splices
        .iter()
        .filter_map(|(mark, text)| html.find(mark).map(|i| (i, *mark, text.as_slice())))
        .collect();
    at.sort_by_key(|(i, _, _)| *i);
    let count: usize = at.iter().map(|(_, _, t)| t.len()).sum();
    let mut pieces = Vec::with_capacity(count + at.len() + 1);
    let mut from = 0;
    for (i, mark, text) in at {
        if i < from {
            continue;
        }
        pieces.push(&html[from..i]);
        pieces.extend(text.iter().map(String::as_str));
        from = i + mark.len();
    }
    pieces.push(&html[from..]);
    pieces
}

impl View {
    fn new(
        template: &'static str,
        title: impl Into<String>,
        kind: &'static str,
        path: impl Into<String>,
        data: &impl Serialize,
    ) -> View {
        View {
            template,
            title: title.into(),
            kind,
            path: path.into(),
            data: serde_json::to_value(data).unwrap_or(Value::Null),
            failed: None,
            splices: Vec::new(),
        }
    }

    /// A page that cannot be rendered, for this reason.
    fn failed(error: String) -> View {
        View {
            template: "",
            title: String::new(),
            kind: "",
            path: String::new(),
            data: Value::Null,
            failed: Some(error),
            splices: Vec::new(),
        }
    }
}

/// The view of a job.
pub fn view(cx: &Cx, job: &Job) -> View {
    let r = cx.raw();
    match job {
        Job::Dashboard if r.handbook_only() => lists::handbook(cx, true),
        Job::Dashboard => dashboard::dashboard(cx),
        Job::Handbook => lists::handbook(cx, false),
        Job::Team(t) => dashboard::team(cx, t),
        Job::Teams => dashboard::teams(cx),
        Job::Note(i) => note_page(cx, *i),
        Job::Pipeline(i) => pipeline::pipeline(cx, *i),
        Job::Section(Kind::Deal) => deal::board(cx),
        Job::Section(k) => lists::section(cx, *k, 1),
        Job::Forecast => forecast::forecast_page(cx),
        Job::Changes => changes::changes_page(cx),
        Job::Tags => lists::tags(cx),
        Job::Tag(slug) => lists::tag(cx, slug, 1),
        Job::Notes => lists::notes(cx, 1),
        Job::ListPage(super::List::Notes, p) => lists::notes(cx, *p),
        Job::ListPage(super::List::Section(k), p) => lists::section(cx, *k, *p),
        Job::ListPage(super::List::Tag(slug), p) => lists::tag(cx, slug, *p),
        Job::Metrics => site::definitions(cx),
        Job::Search => site::search(),
        Job::Problems => site::problems(cx),
        Job::NotFound => site::not_found(),
    }
}

/// A note's own page: the keys every note page has, then its kind's.
fn note_page(cx: &Cx, i: NoteIdx) -> View {
    let n = cx.note(i);
    let own = common::NotePage::of(cx, i);
    let (template, data) = if !n.valid {
        ("page.html", serde_json::to_value(&own))
    } else {
        use crate::model::NoteData;
        match &n.data {
            NoteData::Rep(rep) => ("rep.html", rep::rep_page(cx, i, rep, own)),
            NoteData::Manager(m) => ("manager.html", rep::manager_page(cx, i, m, own)),
            NoteData::Deal(d) => ("deal.html", deal::deal_page(cx, i, d, own)),
            NoteData::Interaction(x) => (
                "interaction.html",
                interactions::interaction_page(cx, n, x, own),
            ),
            NoteData::Prep(p) => ("prep.html", interactions::prep_page(cx, p, own)),
            NoteData::Forecast(f) => ("forecast_note.html", forecast::note_page(cx, n, f, own)),
            NoteData::Page => ("page.html", serde_json::to_value(&own)),
        }
    };
    View {
        template,
        title: n.title.clone(),
        kind: n.kind.label(),
        path: n.url_path(),
        data: data.unwrap_or(Value::Null),
        failed: None,
        splices: Vec::new(),
    }
}

/// The template and context of a job, and the inputs it read.
pub fn context(r: &Renderer, job: &Job) -> (&'static str, Result<PageContext, String>, Vec<Input>) {
    let cx = Cx::new(r);
    cx.read(Input::Site);
    let v = view(&cx, job);
    if let Some(e) = v.failed {
        return (v.template, Err(e), cx.into_reads());
    }
    let mut map = match v.data {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    map.insert("site".into(), r.site_view.clone());
    // `site.base` again at the top level: every link starts with it, and a
    // top-level name is much cheaper for Tera to look up than a dotted path.
    map.insert("base".into(), r.config.base_path.clone().into());
    map.insert("live_reload".into(), r.live_reload.into());
    // The pages of figures (the dashboard, a team, a rep's plan and
    // pipeline) say how many notes the figures leave out (`base.html`
    // shows it under the header, linking to the problems page).
    let shows_figures = match job {
        Job::Dashboard | Job::Team(_) | Job::Pipeline(_) => true,
        Job::Note(i) => r.site.notes[*i].kind == Kind::Rep,
        _ => false,
    };
    if shows_figures {
        map.insert("left_out".into(), cx.left_out().len().into());
    }
    let url = r.href(&v.path);
    map.insert("nav".into(), r.nav.html(&url).into());
    let page = PageInfo {
        title: v.title,
        kind: v.kind,
        path: v.path,
        url,
    };
    map.insert(
        "page".into(),
        serde_json::to_value(&page).unwrap_or(Value::Null),
    );
    let ctx = tera::Context::from_value(Value::Object(map)).unwrap_or_default();
    (v.template, Ok((ctx, v.splices)), cx.into_reads())
}

#[cfg(test)]
mod splice_tests {
    use super::splice;

    #[test]
    fn markers_are_replaced_once_each_in_one_pass() {
        let html = "<p>a</p><!--b--><i>|</i><!--a--><!--b-->".to_string();
        let out = splice(
            html,
            vec![
                ("<!--a-->", vec!["A".repeat(2), "A".into()]),
                ("<!--b-->", vec!["B".into()]),
            ],
        );
        assert_eq!(out, "<p>a</p>B<i>|</i>AAA<!--b-->");
        // A marker the template left out leaves its HTML out.
        assert_eq!(
            splice("x".into(), vec![("<!--a-->", vec!["A".into()])]),
            "x"
        );
        assert_eq!(splice(String::new(), Vec::new()), "");
    }

    #[test]
    fn pieces_are_the_spliced_page_in_order() {
        let splices = vec![
            ("<!--a-->", vec!["A".to_string(), "a".to_string()]),
            ("<!--b-->", vec!["B".to_string()]),
        ];
        let pieces = super::spliced_pieces("1<!--b-->2<!--a-->3", &splices);
        assert_eq!(pieces, ["1", "B", "2", "A", "a", "3"]);
        assert_eq!(super::spliced_pieces("x", &[]), ["x"]);
    }
}

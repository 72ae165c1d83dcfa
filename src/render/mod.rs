//! Rendering: the typed site, its links and metrics -> HTML pages.
//!
//! Every page is a [`Job`]; [`Renderer::render`] turns one job into its
//! output path and HTML, so pages can be rendered in parallel and written
//! as they come (nothing holds the whole site in memory). Each page's data
//! is a typed view (`views`, one module per page family) for the Tera
//! templates of `themes/default` (or the site's own `templates/`, which
//! override them by name); building it records the [`inputs::Input`]s it
//! reads, which is how `serve` knows what an edit touches.

pub(crate) mod charts;
pub(crate) mod escape;
pub(crate) mod forecast_call;
pub(crate) mod format;
pub(crate) mod inputs;
pub mod markdown;
mod obsidian;
pub(crate) mod prep_sheet;
pub mod search;
pub(crate) mod status;
pub mod theme;
pub(crate) mod views;

use crate::config::Config;
use crate::links::Links;
use crate::metrics::Metrics;
use crate::model::{team_slug, Kind, NoteIdx, Site};
use std::collections::BTreeMap;

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Dashboard,
    Team(String),
    /// The list of teams.
    Teams,
    /// A note's own page (a rep's page is its coaching plan).
    Note(NoteIdx),
    /// A rep's pipeline review.
    Pipeline(NoteIdx),
    /// The list of every note of one kind (`/deals/`).
    Section(Kind),
    Forecast,
    /// What changed since `since`, and the quarter's waterfall.
    Changes,
    Tags,
    Tag(String),
    Notes,
    Metrics,
    Search,
    /// Every diagnostic, with the notes left out of the figures.
    Problems,
    /// The handbook: every plain page, as the folder tree they live in
    /// (also the home page of a site with no reps).
    Handbook,
    NotFound,
    /// A further page (2, 3, ...) of a list longer than `page_size`: its
    /// first page is the list's own job (`Notes`, `Section`, `Tag`).
    ListPage(List, usize),
}

/// A page rendered, its parts not yet spliced in: output path, HTML with
/// markers, and each marker's HTML (see [`views::View::splices`]).
pub type Rendered = (String, String, Vec<views::Splice>);

/// A list of notes that is paginated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum List {
    /// Every note (`/notes/`).
    Notes,
    /// The notes of one kind (not deals: `/deals/` is the deal board).
    Section(Kind),
    /// A tag's notes.
    Tag(String),
}

impl List {
    /// The list's URL path (its first page).
    pub fn path(&self) -> String {
        match self {
            List::Notes => "notes/".into(),
            List::Section(k) => format!("{}/", k.section()),
            List::Tag(t) => format!("tags/{t}/"),
        }
    }

    /// The URL path of page `page` (1-based) of the list.
    pub fn page_path(&self, page: usize) -> String {
        if page <= 1 {
            self.path()
        } else {
            format!("{}page/{page}/", self.path())
        }
    }
}

/// How many pages a list of `len` rows takes at `size` rows a page (at
/// least one: an empty list still has its page).
pub fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// Everything rendering needs, built once per build.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub links: &'a Links,
    pub metrics: &'a Metrics,
    pub config: &'a Config,
    pub theme: &'a theme::Theme,
    /// The build's diagnostics (the problems page lists them).
    pub diags: &'a crate::diagnostics::Diagnostics,
    /// The notes left out of the figures ([`crate::build::left_out`]).
    pub left_out: Vec<&'a str>,
    /// The site's lists (teams, tags, what is about each note), made once
    /// per state of the site: `serve` shares them between the renderers
    /// of one rebuild.
    pub lists: std::sync::Arc<Lists>,
    /// The `site` every page's template sees.
    pub site_view: serde_json::Value,
    /// The site's navigation (`nav` on every page).
    pub nav: views::Nav,
    /// Adds the live-reload script (only `serve` sets it).
    pub live_reload: bool,
    /// Keeps the inputs each page read ([`Renderer::take_inputs`]): only
    /// `serve` needs them, and a cold build of 100,000 notes would hold
    /// millions of them until the end.
    pub record_inputs: bool,
    /// Per note: its row in the note tables, made once however many lists
    /// (the index, its section, each of its tags) show it.
    note_rows: Vec<std::sync::OnceLock<String>>,
    /// Note path -> index (made when a view first asks).
    by_path: std::sync::OnceLock<rustc_hash::FxHashMap<&'a str, NoteIdx>>,
    /// The notes of each kind of `Kind::ALL`, in site order (made when a
    /// view first asks: each paginated list page scanned every note for
    /// its kind, 16% of a 100k build's CPU).
    by_kind: std::sync::OnceLock<Vec<Vec<NoteIdx>>>,
    /// Output path -> the inputs its page read, for every page rendered.
    recorded: std::sync::Mutex<Vec<(String, Vec<inputs::Input>)>>,
}

/// What the pages list, made from the notes in one pass: the teams and
/// their reps, the tags and their notes, and per note the notes about it
/// and its deals.
#[derive(Debug, Clone, PartialEq)]
pub struct Lists {
    /// Team name -> rep notes, sorted by name.
    pub teams: BTreeMap<String, Vec<NoteIdx>>,
    /// Tag slug (`region/emea`) -> (tag as first written, notes), for
    /// every tag and every parent level of one (`region`), whose notes are
    /// those tagged with it or any tag below it.
    pub tags: BTreeMap<String, (String, Vec<NoteIdx>)>,
    /// Per note: notes about it (interactions and preps whose deal or rep it is).
    pub about: Vec<Vec<NoteIdx>>,
    /// Per rep: its deals.
    pub deals_of: Vec<Vec<NoteIdx>>,
    /// Team name -> its URL segment.
    pub team_slugs: BTreeMap<String, String>,
}

impl Lists {
    /// A fingerprint of all that [`Lists::of`] reads of a note: while
    /// every note at every position keeps it, the lists are the same.
    pub fn key_of(n: &crate::model::Note) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (n.valid, n.kind, &n.tags).hash(&mut h);
        n.rep().map(|r| (&r.team, &n.title)).hash(&mut h);
        n.deal().map(|d| d.owner.resolved).hash(&mut h);
        n.deal_ref().map(|r| r.resolved).hash(&mut h);
        n.rep_ref().map(|r| r.resolved).hash(&mut h);
        h.finish()
    }

    /// The lists of `site`.
    pub fn of(site: &Site) -> Self {
        // The teams and tags beside what is about each note, on the two
        // cores (one pass after the other, about 30 ms of a 100k build on
        // one core).
        let (((teams, team_slugs), tags), (about, deals_of)) =
            rayon::join(|| (teams_of(site), tags_of(site)), || about_each_note(site));
        Lists {
            teams,
            tags,
            about,
            deals_of,
            team_slugs,
        }
    }
}

/// The teams, each with its reps by title, and their slugs (see
/// [`Lists`]).
fn teams_of(site: &Site) -> (BTreeMap<String, Vec<NoteIdx>>, BTreeMap<String, String>) {
    let mut teams: BTreeMap<String, Vec<NoteIdx>> = BTreeMap::new();
    for (i, _, r) in site.reps() {
        teams.entry(r.team.clone()).or_default().push(i);
    }
    for reps in teams.values_mut() {
        reps.sort_by(|a, b| site.notes[*a].title.cmp(&site.notes[*b].title));
    }
    let team_slugs = unique_team_slugs(teams.keys().map(String::as_str));
    (teams, team_slugs)
}

/// Every tag and every parent level of one, with their notes (see
/// [`Lists`]).
fn tags_of(site: &Site) -> BTreeMap<String, (String, Vec<NoteIdx>)> {
    // A note tagged `region/emea` is listed on `tags/region/emea/` and
    // on its parent `tags/region/`.
    // Each distinct tag is slugged once, and its pages found by
    // position (a site has few tags, used often: `serve` makes a
    // renderer on every save).
    let mut found: Vec<(String, String, Vec<NoteIdx>)> = Vec::new();
    let mut slot_of: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut slots_of: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (i, n) in site.notes.iter().enumerate() {
        for t in &n.tags {
            let slots = slots_of.entry(t.as_str()).or_insert_with(|| {
                (crate::content::obsidian::tag_and_parents(t).into_iter())
                    .map(|(s, name)| {
                        *slot_of.entry(s.clone()).or_insert_with(|| {
                            found.push((s, name, Vec::new()));
                            found.len() - 1
                        })
                    })
                    .collect()
            });
            for slot in slots.iter() {
                let notes = &mut found[*slot].2;
                if notes.last() != Some(&i) {
                    notes.push(i);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(s, name, notes)| (s, (name, notes)))
        .collect()
}

/// What is about each note (its interactions and preps) and each rep's
/// deals, by position (see [`Lists`]).
fn about_each_note(site: &Site) -> (Vec<Vec<NoteIdx>>, Vec<Vec<NoteIdx>>) {
    let mut about = vec![Vec::new(); site.notes.len()];
    let mut deals_of = vec![Vec::new(); site.notes.len()];
    for (i, n) in site.notes.iter().enumerate() {
        if !n.valid {
            continue;
        }
        if let Some(d) = n.deal() {
            if let Some(o) = d.owner.resolved {
                deals_of[o].push(i);
            }
            continue;
        }
        if n.kind.is_interaction() || n.kind == Kind::Prep {
            if let Some(d) = n.deal_ref().and_then(|r| r.resolved) {
                about[d].push(i);
            }
            if let Some(r) = n.rep_ref().and_then(|r| r.resolved) {
                about[r].push(i);
            }
        }
    }
    (about, deals_of)
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        links: &'a Links,
        metrics: &'a Metrics,
        config: &'a Config,
        theme: &'a theme::Theme,
        diags: &'a crate::diagnostics::Diagnostics,
    ) -> Self {
        let lists = std::sync::Arc::new(Lists::of(site));
        Self::with_lists(site, links, metrics, config, theme, diags, lists)
    }

    /// [`Renderer::new`] with the lists of `site` made already
    /// ([`Lists::of`] the same site).
    pub fn with_lists(
        site: &'a Site,
        links: &'a Links,
        metrics: &'a Metrics,
        config: &'a Config,
        theme: &'a theme::Theme,
        diags: &'a crate::diagnostics::Diagnostics,
        lists: std::sync::Arc<Lists>,
    ) -> Self {
        let mut r = Renderer {
            site,
            links,
            metrics,
            config,
            theme,
            diags,
            left_out: crate::build::left_out(site, diags),
            lists,
            site_view: serde_json::Value::Null,
            nav: Default::default(),
            live_reload: false,
            record_inputs: true,
            note_rows: (0..site.notes.len()).map(|_| Default::default()).collect(),
            by_path: Default::default(),
            by_kind: Default::default(),
            recorded: Default::default(),
        };
        r.site_view = views::site_view(&r);
        r.nav = views::Nav::of(&r);
        r
    }

    /// The rows (`<tr>` elements, one per line) of a note table listing
    /// `notes`: link, kind, date and tags.
    pub fn note_rows(&self, notes: impl Iterator<Item = NoteIdx>) -> String {
        let mut out = String::new();
        for i in notes {
            out.push_str(self.note_rows[i].get_or_init(|| views::note_row(self, i)));
        }
        out
    }

    /// Every page of the site, in a stable order.
    pub fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![
            Job::Dashboard,
            Job::Forecast,
            Job::Changes,
            Job::Tags,
            Job::Teams,
            Job::Notes,
            Job::Metrics,
            Job::Search,
            Job::Problems,
            Job::Handbook,
            Job::NotFound,
        ];
        jobs.extend(self.lists.teams.keys().map(|t| Job::Team(t.clone())));
        jobs.extend(Kind::ALL.iter().map(|k| Job::Section(*k)));
        jobs.extend(self.lists.tags.keys().map(|t| Job::Tag(t.clone())));
        // The further pages of the long lists.
        let size = self.config.page_size;
        let mut lists = vec![(List::Notes, self.site.notes.len())];
        for k in Kind::ALL.iter().filter(|k| **k != Kind::Deal) {
            let len = self.site.notes.iter().filter(|n| n.kind == *k).count();
            lists.push((List::Section(*k), len));
        }
        for (t, (_, notes)) in &self.lists.tags {
            lists.push((List::Tag(t.clone()), notes.len()));
        }
        for (list, len) in lists {
            for page in 2..=page_count(len, size) {
                jobs.push(Job::ListPage(list.clone(), page));
            }
        }
        for (i, n) in self.site.notes.iter().enumerate() {
            jobs.push(Job::Note(i));
            if n.rep().is_some() {
                jobs.push(Job::Pipeline(i));
            }
        }
        jobs
    }

    /// The output file of a job, relative to the output folder.
    pub fn output_path(&self, job: &Job) -> String {
        match job {
            Job::Dashboard => "index.html".into(),
            Job::Team(t) => format!("teams/{}/index.html", self.team_slug(t)),
            Job::Note(i) => format!("{}index.html", self.site.notes[*i].url_path()),
            Job::Pipeline(i) => format!("{}pipeline/index.html", self.site.notes[*i].url_path()),
            Job::Section(k) => format!("{}/index.html", k.section()),
            Job::Forecast => "forecast/index.html".into(),
            Job::Changes => "changes/index.html".into(),
            Job::Tags => "tags/index.html".into(),
            Job::Teams => "teams/index.html".into(),
            Job::Tag(t) => format!("tags/{t}/index.html"),
            Job::Notes => "notes/index.html".into(),
            Job::Metrics => "metrics/index.html".into(),
            Job::Search => "search/index.html".into(),
            Job::Problems => "problems/index.html".into(),
            Job::Handbook => "handbook/index.html".into(),
            Job::NotFound => "404.html".into(),
            Job::ListPage(l, page) => format!("{}index.html", l.page_path(*page)),
        }
    }

    /// Renders one page: `(output path, html)`. The inputs its view read
    /// are kept for [`Renderer::take_inputs`].
    pub fn render(&self, job: &Job) -> Result<(String, String), String> {
        let (path, html, splices) = self.render_unspliced(job)?;
        Ok((path, views::splice(html, splices)))
    }

    /// [`Renderer::render`], with the parts a view made apart not yet
    /// spliced into the page: `(output path, html, splices)`, for
    /// [`views::spliced_pieces`].
    pub fn render_unspliced(&self, job: &Job) -> Result<Rendered, String> {
        let (template, ctx, read) = views::context(self, job);
        let path = self.output_path(job);
        if self.record_inputs {
            if let Ok(mut r) = self.recorded.lock() {
                r.push((path.clone(), read));
            }
        }
        let (ctx, splices) = ctx?;
        let html = self.render_template(template, &ctx)?;
        drop(ctx);
        Ok((path, html, splices))
    }

    /// Renders one template of the theme, with its error chain on failure:
    /// a page's, or a part a view renders apart (`Cx::render_part`).
    pub fn render_template(&self, template: &str, ctx: &tera::Context) -> Result<String, String> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| theme::tera_error_chain(&e))
    }

    /// The inputs of every page rendered so far, by output path.
    pub fn take_inputs(&self) -> Vec<(String, Vec<inputs::Input>)> {
        self.recorded
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// The notes of one kind, in site order.
    pub fn notes_of_kind(&self, k: Kind) -> &[NoteIdx] {
        let place = |k: Kind| Kind::ALL.iter().position(|x| *x == k);
        let all = self.by_kind.get_or_init(|| {
            let mut all = vec![Vec::new(); Kind::ALL.len()];
            for (i, n) in self.site.notes.iter().enumerate() {
                if let Some(p) = place(n.kind) {
                    all[p].push(i);
                }
            }
            all
        });
        place(k).and_then(|p| all.get(p)).map_or(&[], Vec::as_slice)
    }

    /// The notes of any of these kinds, in site order.
    pub fn notes_of_kinds(&self, kinds: &[Kind]) -> Vec<NoteIdx> {
        let mut found: Vec<NoteIdx> = Vec::new();
        let mut seen: Vec<Kind> = Vec::new();
        for k in kinds {
            if !seen.contains(k) {
                seen.push(*k);
                found.extend_from_slice(self.notes_of_kind(*k));
            }
        }
        if seen.len() > 1 {
            found.sort_unstable();
        }
        found
    }

    /// The note at a site-relative path.
    pub fn note_at(&self, path: &str) -> Option<NoteIdx> {
        self.by_path
            .get_or_init(|| {
                self.site
                    .notes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.path.as_str(), i))
                    .collect()
            })
            .get(path)
            .copied()
    }

    /// The URL segment of a team (unique even when two names slugify alike).
    pub fn team_slug(&self, team: &str) -> String {
        self.lists
            .team_slugs
            .get(team)
            .cloned()
            .unwrap_or_else(|| team_slug(team))
    }

    /// The note a page shows, for diagnostics about it (`""` for pages
    /// that belong to the whole site).
    pub fn source_of(&self, job: &Job) -> String {
        match job {
            Job::Note(i) | Job::Pipeline(i) => self.site.notes[*i].path.clone(),
            _ => String::new(),
        }
    }

    /// The page written in place of one whose template failed: plain,
    /// valid HTML naming the page and the error, with a way back.
    pub fn fallback_page(&self, job: &Job, error: &str) -> String {
        use escape::html as esc;
        let what = match job {
            Job::Note(i) | Job::Pipeline(i) => self.site.notes[*i].title.clone(),
            other => format!("{other:?}"),
        };
        let source = self.source_of(job);
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} · {site}</title>\n<link rel=\"stylesheet\" href=\"{base}style.css\">\n<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<main class=\"page\">\n<h1>{title}</h1>\n<p class=\"notice error\">This page could not be built: its template failed. The rest of the site is built; fix the template (or the site's override in <code>templates/</code>) and build again.</p>\n<pre>{error}</pre>\n{source}<p><a href=\"{base}\">Back to {site}</a> · <a href=\"{base}problems/\">every problem</a></p>\n</main>\n</body>\n</html>\n",
            title = esc(&what),
            site = esc(&self.config.title),
            base = esc(&self.config.base_path),
            error = esc(error),
            source = if source.is_empty() {
                String::new()
            } else {
                format!("<p>Source: <code>{}</code></p>\n", esc(&source))
            },
        )
    }

    /// A site with no (valid) reps is a handbook: its home page is the
    /// handbook, and the navigation leaves out the sales pages.
    pub fn handbook_only(&self) -> bool {
        self.lists.teams.is_empty()
    }

    /// An URL inside the site for a path relative to its root.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// The URL of note `n`'s page: [`Renderer::href`] of its
    /// `Note::url_path`, made in one string (every link to a note is
    /// one; at 100k notes, formatting them was about 1% of a build).
    pub fn note_url(&self, n: &crate::model::Note) -> String {
        let mut url = self.config.base_path.clone();
        n.push_url_path(&mut url);
        url
    }
}

/// URL segments for team names (in sorted order): the name slugified, with
/// `-2`, `-3`... for names that slugify alike (`East`, `east`).
pub fn unique_team_slugs<'t>(names: impl Iterator<Item = &'t str>) -> BTreeMap<String, String> {
    let mut used: std::collections::HashSet<String> = Default::default();
    let mut out = BTreeMap::new();
    for name in names {
        let base = team_slug(name);
        let mut slug = base.clone();
        let mut n = 2;
        while !used.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        out.insert(name.to_string(), slug);
    }
    out
}

//! The typed notes: what the loader produces and every later stage reads.
//!
//! A [`Note`] carries what all notes share (id, title, tags, body, source
//! position) and a [`NoteData`] with the fields of its kind. References to
//! other notes are [`RefField`]s: the loader fills in what was written, the
//! link stage (`links.rs`) fills in `resolved`. Nothing here does I/O.

use chrono::NaiveDate;
use std::path::PathBuf;

/// Index of a note in [`Site::notes`].
pub type NoteIdx = usize;

/// A place inside a note's file: a 1-based line, and the 1-based columns
/// where it starts and (exclusive) ends on that line. Columns count
/// characters (Unicode scalar values), not bytes: see docs/diagnostics.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    /// The column just past the last character (so `col..end_col` is
    /// what a diagnostic underlines); 0 when the extent is not known.
    pub end_col: usize,
}

/// The kinds of note of the content model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Rep,
    /// A first-line manager with no quota of their own.
    Manager,
    Deal,
    Debrief,
    Coaching,
    Call,
    Prep,
    Forecast,
    Page,
}

impl Kind {
    /// Every kind, in the order the site lists them.
    pub const ALL: [Kind; 9] = [
        Kind::Rep,
        Kind::Manager,
        Kind::Deal,
        Kind::Debrief,
        Kind::Coaching,
        Kind::Call,
        Kind::Prep,
        Kind::Forecast,
        Kind::Page,
    ];

    /// The `type` value that selects this kind.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Rep => "rep",
            Kind::Manager => "manager",
            Kind::Deal => "deal",
            Kind::Debrief => "debrief",
            Kind::Coaching => "coaching",
            Kind::Call => "call",
            Kind::Prep => "prep",
            Kind::Forecast => "forecast",
            Kind::Page => "page",
        }
    }

    /// The URL section of notes of this kind (`/<section>/<id>/`).
    pub fn section(self) -> &'static str {
        match self {
            Kind::Rep => "reps",
            Kind::Manager => "managers",
            Kind::Deal => "deals",
            Kind::Debrief => "debriefs",
            Kind::Coaching => "coaching",
            Kind::Call => "calls",
            Kind::Prep => "preps",
            Kind::Forecast => "forecasts",
            Kind::Page => "pages",
        }
    }

    /// A human label, singular.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Rep => "Rep",
            Kind::Manager => "Manager",
            Kind::Deal => "Deal",
            Kind::Debrief => "Debrief",
            Kind::Coaching => "Coaching one-to-one",
            Kind::Call => "Call review",
            Kind::Prep => "Deal prep",
            Kind::Forecast => "Forecast",
            Kind::Page => "Page",
        }
    }

    /// A human label, plural.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Rep => "Reps",
            Kind::Manager => "Managers",
            Kind::Deal => "Deals",
            Kind::Debrief => "Debriefs",
            Kind::Coaching => "Coaching one-to-ones",
            Kind::Call => "Call reviews",
            Kind::Prep => "Deal preps",
            Kind::Forecast => "Forecasts",
            Kind::Page => "Pages",
        }
    }

    /// The kind a `type` value selects, if it is a known one (ignoring
    /// case and separators, like every enum value: `Deal`, `Coaching`).
    pub fn from_type(s: &str) -> Option<Kind> {
        let name = canonical(s, Kind::ALL.iter().map(|k| k.type_name()))?;
        Kind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    /// Whether a reference that must point to a `self` may point to a
    /// note of kind `other`: a rep's `manager` is a manager, or a rep (a
    /// player-coach with a quota stays a rep).
    pub fn accepts(self, other: Kind) -> bool {
        self == other || (self == Kind::Manager && other == Kind::Rep)
    }

    /// Debriefs, coaching one-to-ones and call reviews: the coaching interactions.
    pub fn is_interaction(self) -> bool {
        matches!(self, Kind::Debrief | Kind::Coaching | Kind::Call)
    }
}

/// The six skills of a rep's assessment, in display order.
pub const SKILLS: [&str; 6] = [
    "discovery",
    "qualification",
    "objection_handling",
    "executive_presence",
    "closing",
    "forecast_accuracy",
];

/// The eight MEDDPICC elements, in order.
pub const MEDDPICC: [&str; 8] = [
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identify_pain",
    "champion",
    "competition",
];

/// Index of `economic_buyer` in [`MEDDPICC`].
pub const ECONOMIC_BUYER: usize = 1;
/// Index of `champion` in [`MEDDPICC`].
pub const CHAMPION: usize = 6;

/// How an enum value is compared (contract, third edition): case ignored,
/// and spaces, `-` and `_` all the same (`Closed Won`, `closed-won` and
/// `closed_won` are one stage; `Qualified to Buy` is `qualified_to_buy`).
pub fn enum_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .trim()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The canonical spelling in `allowed` of an enum value written any way
/// [`enum_key`] accepts.
pub fn canonical<'a>(s: &str, allowed: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = enum_key(s);
    allowed.into_iter().find(|a| enum_key(a) == key)
}

/// Closed-won stage name.
pub const CLOSED_WON: &str = "closed_won";
/// Closed-lost stage name.
pub const CLOSED_LOST: &str = "closed_lost";

/// A reference to another note written in frontmatter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefField {
    /// The frontmatter key it was written under (`owner`, `rep`, ...).
    pub field: String,
    /// The target as written, with any `[[...]]` removed (`Jane Doe`).
    pub target: String,
    /// Where the value sits in the file.
    pub span: Span,
    /// The note it points to, set by the link stage when the reference
    /// resolves to exactly one note of an acceptable kind.
    pub resolved: Option<NoteIdx>,
}

impl RefField {
    pub fn new(field: &str, target: String, span: Span) -> Self {
        RefField {
            field: field.to_string(),
            target,
            span,
            resolved: None,
        }
    }
}

/// A `[[target]]`, `[[target|label]]`, `[[target#heading]]`,
/// `[[target^block]]` or `[[#heading]]` in a body or a frontmatter property;
/// also an embed (`![[target]]`) and a Markdown link to a file of the vault
/// (`[text](Other%20note.md)`), which resolve the same way ([`LinkKind`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WikiLink {
    /// The note as written; empty for a link within the same note.
    pub target: String,
    /// The heading linked to, as written (`#Next steps`).
    pub anchor: Option<String>,
    /// The block id linked to, without its `^`.
    pub block: Option<String>,
    pub span: Span,
    pub resolved: Option<NoteIdx>,
    pub kind: LinkKind,
    /// The attachment it resolved to instead of a note: its path inside
    /// `content/` (`img/photo.jpg`).
    pub attachment: Option<String>,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinkKind {
    /// `[[target]]`.
    #[default]
    Wiki,
    /// `![[target]]`: the target's content shown in place.
    Embed,
    /// `[text](path)` or `![alt](path)` with a relative path: resolved
    /// like a path from the note's folder; one that names no file of the
    /// vault is left as written (it may be a file of `static/`), unless it
    /// names a note (`.md`).
    Markdown,
}

impl WikiLink {
    /// A link to `dest` (`target#heading`, `target^block`, ...) at `span`.
    pub fn new(dest: &str, span: Span) -> Self {
        let t = crate::content::obsidian::parse_target(dest);
        WikiLink {
            target: t.note,
            anchor: t.heading,
            block: t.block,
            span,
            resolved: None,
            kind: LinkKind::Wiki,
            attachment: None,
        }
    }

    /// This link as `kind`.
    pub fn of_kind(mut self, kind: LinkKind) -> Self {
        self.kind = kind;
        self
    }

    /// Whether it leads somewhere: a note or an attachment.
    pub fn is_resolved(&self) -> bool {
        self.resolved.is_some() || self.attachment.is_some()
    }

    /// The URL fragment it points at on its target's page (`#next-steps`,
    /// `#%5Eblock`), or empty.
    pub fn fragment(&self) -> String {
        use crate::content::obsidian::{block_fragment, heading_anchor};
        match (&self.block, &self.anchor) {
            (Some(b), _) => format!("#{}", block_fragment(b)),
            (None, Some(h)) => format!("#{}", heading_anchor(h)),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SkillScore {
    /// One of [`SKILLS`].
    pub key: &'static str,
    pub current: u8,
    pub target: u8,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FocusArea {
    pub skill: String,
    pub current_behavior: String,
    pub target_behavior: String,
    pub actions: String,
    pub milestone: String,
    pub target_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RampItem {
    pub task: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RampGate {
    /// `day_30`, `day_60` or `day_90`.
    pub key: String,
    pub items: Vec<RampItem>,
    pub gate: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rep {
    pub name: String,
    pub team: String,
    pub manager: Option<RefField>,
    pub start_date: NaiveDate,
    pub quota: f64,
    pub skills: Vec<SkillScore>,
    pub focus: Vec<FocusArea>,
    /// `(key, text)` in the order written.
    pub cadence: Vec<(String, String)>,
    pub ramp: Vec<RampGate>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    pub score: u8,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub name: String,
    pub account: String,
    pub owner: RefField,
    /// Required for closed deals; an open deal may not have one yet
    /// (counted as 0 in every sum, listed under "missing data").
    pub value: Option<f64>,
    pub stage: String,
    pub created: NaiveDate,
    /// The actual close for closed deals (required), the expected close for
    /// open ones (optional: without it a deal never slips and is never in
    /// the fiscal year's coverage).
    pub close_date: Option<NaiveDate>,
    pub probability: Option<f64>,
    pub next_step: Option<String>,
    pub key_question: Option<String>,
    pub lost_reason: Option<String>,
    /// Scores in [`MEDDPICC`] order; a missing element scores 0.
    pub meddpicc: [Element; 8],
}

impl Deal {
    pub fn is_won(&self) -> bool {
        self.stage == CLOSED_WON
    }
    pub fn is_lost(&self) -> bool {
        self.stage == CLOSED_LOST
    }
    pub fn is_closed(&self) -> bool {
        self.is_won() || self.is_lost()
    }
    /// The value in sums: 0 when an open deal has none yet.
    pub fn value_or_zero(&self) -> f64 {
        self.value.unwrap_or(0.0)
    }
    pub fn meddpicc_total(&self) -> u32 {
        self.meddpicc.iter().map(|e| u32::from(e.score)).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    Skill,
    Will,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub at: String,
    pub what_happened: String,
    pub try_instead: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallInfo {
    pub call_type: Option<String>,
    pub attendees: Vec<String>,
    pub duration_min: Option<f64>,
    pub recording: Option<String>,
    pub moments: Vec<Moment>,
}

/// A debrief, coaching one-to-one or call review.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub rep: RefField,
    pub deal: Option<RefField>,
    pub date: NaiveDate,
    pub takeaway: String,
    pub gap: Option<Gap>,
    pub skill: Option<String>,
    pub outcome: Option<String>,
    pub cause: Option<String>,
    /// Present for `call` notes.
    pub call: Option<CallInfo>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub objection: String,
    pub response: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prep {
    pub deal: RefField,
    pub rep: Option<RefField>,
    pub date: NaiveDate,
    pub objective: String,
    pub buyer_needs: String,
    pub our_ask: String,
    pub objections: Vec<Objection>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ForecastOwner {
    Rep(RefField),
    Team(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub owner: ForecastOwner,
    /// Fiscal year named by the calendar year in which it starts.
    pub year: i32,
    /// Quarter 1-4.
    pub quarter: u32,
    pub commit: f64,
    pub best_case: Option<f64>,
}

impl Forecast {
    /// The period as written: `YYYY-Qn`.
    pub fn period(&self) -> String {
        format!("{}-Q{}", self.year, self.quarter)
    }
}

/// The fields of each kind.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteData {
    Rep(Rep),
    Manager(Manager),
    Deal(Deal),
    /// Debrief, coaching or call (see [`Note::kind`]).
    Interaction(Interaction),
    Prep(Prep),
    Forecast(Forecast),
    /// A plain page, or a typed note whose fields had errors: it is still
    /// rendered, but left out of the metrics.
    Page,
}

/// A first-line manager: never in the quota, attainment or coverage pools.
#[derive(Debug, Clone, PartialEq)]
pub struct Manager {
    pub name: String,
    /// The teams they lead (`team: East` or `team: [East, West]`).
    pub teams: Vec<String>,
    pub email: Option<String>,
}

/// One Markdown file of the content folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Unique across the site; the slugified file stem or the `slug` field.
    pub id: String,
    pub kind: Kind,
    /// The `type` field as written, when present.
    pub type_name: Option<String>,
    /// Display name: `title`, or `name` for reps and deals; without one,
    /// the link stage names the note from its kind, rep and date ("One-to-one
    /// with Priya Natarajan, 24 Nov 2026"), and a page keeps its file stem.
    pub title: String,
    /// The title (or name) was written in the frontmatter. Only a given
    /// title is a name links can use; a made-up one never is.
    pub title_given: bool,
    /// Top-level frontmatter fields coachbook does not read, as
    /// (key, value as text), in the order written: shown on the page.
    pub properties: Vec<(String, String)>,
    /// The `[[wikilinks]]` in those properties (`people: "[[Steph Ango]]"`),
    /// each with the index of its property in `properties`, in order:
    /// resolved by the link stage, they make backlinks like body links.
    pub property_links: Vec<(usize, WikiLink)>,
    /// Other names the note answers to in links (`aliases`).
    pub aliases: Vec<String>,
    /// The id comes from the frontmatter `slug` (not the file name): two
    /// notes with one such id are an error, while two files whose names
    /// give one id both stay, under their folder paths (see `validate`).
    pub slug_given: bool,
    /// The ids a link's fragment can point at on this note's page: every
    /// heading's (`next-steps`) and every block's (`^block-id`).
    pub anchors: Vec<String>,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// Absolute path of the file (for the watcher and error reports).
    pub abs_path: PathBuf,
    pub tags: Vec<String>,
    pub date: Option<NaiveDate>,
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    pub data: NoteData,
    /// False when the note had errors: it is rendered as a page and left
    /// out of the metrics.
    pub valid: bool,
    /// `[[...]]` links in the body, in document order: found by the loader,
    /// resolved by the link stage.
    pub links: Vec<WikiLink>,
    /// Where the value of each top-level frontmatter key is written (its
    /// key when the value is on later lines), for diagnostics of later
    /// stages.
    pub field_spans: std::sync::Arc<[(String, Span)]>,
    /// For a typed note with errors (`valid` false, `data` a `Page`): its
    /// fields as far as they could be read, so the rules of `validate` and
    /// the link stage's reference checks still run on it and `check` shows
    /// all of a note's problems at once. Nothing else reads it.
    pub draft: Option<Box<Draft>>,
    /// The body's HTML nests too deeply to sanitise (`html-too-deep`): its
    /// raw HTML is rendered as text.
    pub raw_html_as_text: bool,
}

impl Note {
    /// The file name without `.md`, as written (`Jane Doe`).
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The path inside the content folder without `.md`, as written
    /// (`emea/Acme`): what a link by path (`[[emea/Acme]]`) names.
    pub fn content_path(&self) -> &str {
        let p = self.path.strip_prefix("content/").unwrap_or(&self.path);
        p.strip_suffix(".md").unwrap_or(p)
    }

    /// The id the note takes when its file name is shared with another
    /// note: its [`content_path`](Self::content_path) slugified folder by
    /// folder (`EMEA/Acme Corp` -> `emea/acme-corp`).
    pub fn path_id(&self) -> String {
        let parts: Vec<String> = self
            .content_path()
            .split('/')
            .map(slug::slugify)
            .filter(|s| !s.is_empty())
            .collect();
        parts.join("/")
    }

    /// Every link the note makes: body links, then property links.
    pub fn all_links(&self) -> impl Iterator<Item = &WikiLink> {
        self.links
            .iter()
            .chain(self.property_links.iter().map(|(_, l)| l))
    }

    /// The file line of a top-level frontmatter key (the opening fence when absent).
    pub fn field_line(&self, key: &str) -> usize {
        self.field_span(key).line
    }

    /// Where the value of a top-level frontmatter key is written (line 1,
    /// the opening fence, when absent).
    pub fn field_span(&self, key: &str) -> Span {
        self.field_spans.iter().find(|(k, _)| k == key).map_or(
            Span {
                line: 1,
                ..Span::default()
            },
            |(_, s)| *s,
        )
    }

    /// Marks the note invalid: its page is a plain one, left out of the
    /// metrics, and its fields are kept as a [`Draft`] for the checks.
    pub fn set_invalid(&mut self) {
        self.valid = false;
        let data = std::mem::replace(&mut self.data, NoteData::Page);
        if data != NoteData::Page {
            self.draft = Some(Box::new(Draft {
                data,
                unread: Vec::new(),
            }));
        }
    }

    /// The fields the checks read: the note's own, or for a note with
    /// errors, its draft's; and the top-level fields that could not be
    /// read (a rule about them is skipped).
    pub fn checked_data(&self) -> (&NoteData, &[String]) {
        match (&self.data, &self.draft) {
            (NoteData::Page, Some(d)) => (&d.data, &d.unread),
            (data, _) => (data, &[]),
        }
    }
}

/// What could be read of a typed note with errors (see [`Note::draft`]):
/// its fields, a stand-in (empty text, a zero, 1970-01-01, a reference to
/// nothing) for each one that could not be read, and the names of those.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub data: NoteData,
    /// The top-level fields that were wrong or missing.
    pub unread: Vec<String>,
}

impl Note {
    /// The date lists show for a note: a deal's close date, else its
    /// `date`.
    pub fn list_date(&self) -> Option<NaiveDate> {
        match self.deal() {
            Some(d) => d.close_date,
            None => self.date,
        }
    }

    pub fn rep(&self) -> Option<&Rep> {
        match &self.data {
            NoteData::Rep(r) => Some(r),
            _ => None,
        }
    }
    pub fn manager(&self) -> Option<&Manager> {
        match &self.data {
            NoteData::Manager(m) => Some(m),
            _ => None,
        }
    }
    pub fn deal(&self) -> Option<&Deal> {
        match &self.data {
            NoteData::Deal(d) => Some(d),
            _ => None,
        }
    }
    pub fn interaction(&self) -> Option<&Interaction> {
        match &self.data {
            NoteData::Interaction(i) => Some(i),
            _ => None,
        }
    }
    pub fn prep(&self) -> Option<&Prep> {
        match &self.data {
            NoteData::Prep(p) => Some(p),
            _ => None,
        }
    }
    pub fn forecast(&self) -> Option<&Forecast> {
        match &self.data {
            NoteData::Forecast(f) => Some(f),
            _ => None,
        }
    }

    /// The `deal` reference of an interaction or a prep, resolved or not
    /// (its `resolved` says which note it names); `None` for other kinds.
    pub fn deal_ref(&self) -> Option<&RefField> {
        match &self.data {
            NoteData::Interaction(i) => i.deal.as_ref(),
            NoteData::Prep(p) => Some(&p.deal),
            _ => None,
        }
    }

    /// The rep this note is about: the rep itself, a deal's owner, an
    /// interaction's rep, a prep's rep (or its deal's owner, filled by the
    /// link stage), a forecast's owner.
    pub fn rep_ref(&self) -> Option<&RefField> {
        match &self.data {
            NoteData::Deal(d) => Some(&d.owner),
            NoteData::Interaction(i) => Some(&i.rep),
            NoteData::Prep(p) => p.rep.as_ref(),
            NoteData::Forecast(f) => match &f.owner {
                ForecastOwner::Rep(r) => Some(r),
                ForecastOwner::Team(_) => None,
            },
            _ => None,
        }
    }

    /// Every frontmatter reference of the note.
    pub fn refs(&self) -> Vec<&RefField> {
        let mut out = Vec::new();
        match &self.data {
            NoteData::Rep(r) => out.extend(r.manager.as_ref()),
            NoteData::Deal(d) => out.push(&d.owner),
            NoteData::Interaction(i) => {
                out.push(&i.rep);
                out.extend(i.deal.as_ref());
            }
            NoteData::Prep(p) => {
                out.push(&p.deal);
                out.extend(p.rep.as_ref());
            }
            NoteData::Forecast(f) => {
                if let ForecastOwner::Rep(r) = &f.owner {
                    out.push(r);
                }
            }
            NoteData::Manager(_) | NoteData::Page => {}
        }
        out
    }

    /// Every frontmatter reference with the kind it must point to (in the
    /// order of [`refs_mut`](Self::refs_mut)).
    ///
    /// A note with errors gives its draft's references, so they are
    /// checked too (they count for nothing else: [`refs`](Self::refs)
    /// has only a valid note's); a stand-in for one that could not be
    /// read (an empty target) is left out.
    pub fn refs_with_kind(&self) -> Vec<(&RefField, Kind)> {
        let mut out = Vec::new();
        match self.checked_data().0 {
            NoteData::Rep(r) => {
                if let Some(m) = r.manager.as_ref() {
                    out.push((m, Kind::Manager));
                }
            }
            NoteData::Deal(d) => out.push((&d.owner, Kind::Rep)),
            NoteData::Interaction(i) => {
                out.push((&i.rep, Kind::Rep));
                if let Some(d) = i.deal.as_ref() {
                    out.push((d, Kind::Deal));
                }
            }
            NoteData::Prep(p) => {
                out.push((&p.deal, Kind::Deal));
                if let Some(r) = p.rep.as_ref() {
                    out.push((r, Kind::Rep));
                }
            }
            NoteData::Forecast(f) => {
                if let ForecastOwner::Rep(r) = &f.owner {
                    out.push((r, Kind::Rep));
                }
            }
            NoteData::Manager(_) | NoteData::Page => {}
        }
        out.retain(|(r, _)| !r.target.is_empty());
        out
    }

    /// Every frontmatter reference, mutably, with the kind it must point
    /// to (those of [`refs_with_kind`](Self::refs_with_kind)).
    pub fn refs_mut(&mut self) -> Vec<(&mut RefField, Kind)> {
        let mut out = Vec::new();
        let data = match (&mut self.data, &mut self.draft) {
            (NoteData::Page, Some(d)) => &mut d.data,
            (data, _) => data,
        };
        match data {
            NoteData::Rep(r) => {
                if let Some(m) = r.manager.as_mut() {
                    out.push((m, Kind::Manager));
                }
            }
            NoteData::Deal(d) => out.push((&mut d.owner, Kind::Rep)),
            NoteData::Interaction(i) => {
                out.push((&mut i.rep, Kind::Rep));
                if let Some(d) = i.deal.as_mut() {
                    out.push((d, Kind::Deal));
                }
            }
            NoteData::Prep(p) => {
                out.push((&mut p.deal, Kind::Deal));
                if let Some(r) = p.rep.as_mut() {
                    out.push((r, Kind::Rep));
                }
            }
            NoteData::Forecast(f) => {
                if let ForecastOwner::Rep(r) = &mut f.owner {
                    out.push((r, Kind::Rep));
                }
            }
            NoteData::Manager(_) | NoteData::Page => {}
        }
        out.retain(|(r, _)| !r.target.is_empty());
        out
    }

    /// The URL path of the note's page, relative to the site root, without
    /// a leading slash: `deals/globex/`.
    pub fn url_path(&self) -> String {
        format!("{}/{}/", self.kind.section(), self.id)
    }
}

/// Every loaded note, in a stable order (sorted by path).
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub notes: Vec<Note>,
    /// The files under `content/` that are not notes (images, PDFs):
    /// published at their path, and linkable.
    pub attachments: crate::content::attachments::Attachments,
}

impl Site {
    pub fn reps(&self) -> impl Iterator<Item = (NoteIdx, &Note, &Rep)> {
        self.notes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.rep().filter(|_| n.valid).map(|r| (i, n, r)))
    }

    pub fn deals(&self) -> impl Iterator<Item = (NoteIdx, &Note, &Deal)> {
        self.notes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.deal().filter(|_| n.valid).map(|d| (i, n, d)))
    }

    pub fn forecasts(&self) -> impl Iterator<Item = (NoteIdx, &Note, &Forecast)> {
        self.notes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.forecast().filter(|_| n.valid).map(|f| (i, n, f)))
    }
}

/// The URL segment of a team: its name slugified (`/teams/<slug>/`).
pub fn team_slug(team: &str) -> String {
    let s = slug::slugify(team);
    if s.is_empty() {
        "team".into()
    } else {
        s
    }
}

//! One note, what could be read of a note with errors, and the site.

use super::{
    Deal, Forecast, ForecastOwner, Interaction, Kind, Manager, NoteData, NoteIdx, Prep, RefField,
    Rep, Span, WikiLink,
};
use chrono::NaiveDate;
use std::path::PathBuf;

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
    /// `private: true`: left out of every audience that does not take
    /// private notes (see `crate::audience`).
    pub private: bool,
    /// `audience:` the audiences the note is limited to, when it names any.
    pub audiences: Option<Vec<String>>,
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
    /// The Markdown below the frontmatter: in memory, or (a large site's
    /// cold build) only its length and hash, read again from the file when
    /// needed (`content::body_text`).
    pub body: Body,
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
    pub field_spans: FieldSpans,
    /// For a typed note with errors (`valid` false, `data` a `Page`): its
    /// fields as far as they could be read, so the rules of `validate` and
    /// the link stage's reference checks still run on it and `check` shows
    /// all of a note's problems at once. Nothing else reads it.
    pub draft: Option<Box<Draft>>,
    /// The body's HTML nests too deeply to sanitise (`html-too-deep`): its
    /// raw HTML is rendered as text.
    pub raw_html_as_text: bool,
}

// A 100,000-note site holds 100,000 of these for the whole build (the
// peak memory target of #16 is 400 MB): a field that makes every note
// larger should be a deliberate choice. 928 bytes when each kind's fields
// were held in place (see `NoteData`).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Note>() <= 416);

impl Note {
    /// A copy without its body and what comes of it (body links, heading
    /// anchors) or of links in its properties: what history's stepped
    /// snapshots measure, where no figure depends on them. Cloning the
    /// links only to drop them was a tenth of a snapshot's cost.
    pub fn clone_for_figures(&self) -> Note {
        Note {
            id: self.id.clone(),
            kind: self.kind,
            type_name: self.type_name.clone(),
            title: self.title.clone(),
            title_given: self.title_given,
            properties: self.properties.clone(),
            property_links: Vec::new(),
            aliases: self.aliases.clone(),
            private: self.private,
            audiences: self.audiences.clone(),
            slug_given: self.slug_given,
            anchors: Vec::new(),
            path: self.path.clone(),
            abs_path: self.abs_path.clone(),
            tags: self.tags.clone(),
            date: self.date,
            body: "".into(),
            body_line: self.body_line,
            data: self.data.clone(),
            valid: self.valid,
            links: Vec::new(),
            field_spans: self.field_spans.clone(),
            draft: self.draft.clone(),
            raw_html_as_text: self.raw_html_as_text,
        }
    }

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
        self.field_spans.get(key).unwrap_or(Span {
            line: 1,
            ..Span::default()
        })
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

/// Where the value of each top-level frontmatter key is written, held
/// compactly (a 100,000-note site has about a million): the keys in one
/// string, and per key where it ends there and its line and columns as
/// `u32`s, in two shared allocations (a clone of the note shares them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldSpans {
    keys: std::sync::Arc<str>,
    /// (end of the key in `keys`, line, column, end column).
    spans: std::sync::Arc<[[u32; 4]]>,
}

impl FieldSpans {
    pub fn new<'k>(fields: impl IntoIterator<Item = (&'k str, Span)>) -> FieldSpans {
        let small = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let mut keys = String::new();
        let mut spans = Vec::new();
        for (k, s) in fields {
            keys.push_str(k);
            spans.push([
                small(keys.len()),
                small(s.line),
                small(s.col),
                small(s.end_col),
            ]);
        }
        FieldSpans {
            keys: keys.into(),
            spans: spans.into(),
        }
    }

    /// The span of top-level key `key`, if the note has it.
    pub fn get(&self, key: &str) -> Option<Span> {
        let mut start = 0usize;
        for [end, line, col, end_col] in self.spans.iter().copied() {
            let end = end as usize;
            if self.keys.get(start..end) == Some(key) {
                return Some(Span {
                    line: line as usize,
                    col: col as usize,
                    end_col: end_col as usize,
                });
            }
            start = end;
        }
        None
    }
}

/// A note's body: its text while it is kept in memory, and always its
/// length and a hash of it, so that a body read again from the file is
/// known to be the one the loader parsed (its links, anchors and ids came
/// from it). Two bodies are equal when their lengths and hashes are.
#[derive(Debug, Clone)]
pub struct Body {
    text: Option<std::sync::Arc<str>>,
    len: usize,
    hash: u64,
    /// It has a `<`: it may hold raw HTML (checked without reading it).
    has_html: bool,
}

impl Body {
    /// A body kept in memory.
    pub fn new(text: &str) -> Body {
        Body {
            len: text.len(),
            hash: Body::hash_of(text),
            has_html: text.contains('<'),
            text: Some(std::sync::Arc::from(text)),
        }
    }

    /// The hash a body's text is checked by.
    pub fn hash_of(text: &str) -> u64 {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(text.as_bytes());
        h.write_usize(text.len());
        h.finish()
    }

    /// The text, when it is kept in memory.
    pub fn loaded(&self) -> Option<&std::sync::Arc<str>> {
        self.text.as_ref()
    }

    /// Drops the text from memory: it is read again from the file when
    /// needed.
    pub fn release(&mut self) {
        self.text = None;
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether it has a `<`, so may hold raw HTML.
    pub fn may_have_html(&self) -> bool {
        self.has_html
    }

    /// Whether `text` is this body (same length and hash).
    pub fn is(&self, text: &str) -> bool {
        text.len() == self.len && Body::hash_of(text) == self.hash
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.len == other.len && self.hash == other.hash
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(text)
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

    /// The `deal` reference of this note (interactions and preps), whether
    /// or not the link stage resolved it (see [`RefField::resolved`]).
    pub fn deal_ref(&self) -> Option<&RefField> {
        match &self.data {
            NoteData::Interaction(i) => i.deal.as_ref(),
            NoteData::Prep(p) => Some(&p.deal),
            _ => None,
        }
    }

    /// The rep this note is about: the rep itself, a deal's owner, an
    /// interaction's rep, a prep's [`Prep::rep`], a forecast's owner.
    pub fn rep_ref(&self) -> Option<&RefField> {
        match &self.data {
            NoteData::Deal(d) => Some(&d.owner),
            NoteData::Interaction(i) => Some(&i.rep),
            NoteData::Prep(p) => p.rep(),
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
                out.extend(p.rep());
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
        let mut path = String::new();
        self.push_url_path(&mut path);
        path
    }

    /// Appends [`Note::url_path`] to `out` (`deals/acme-renewal/`).
    pub fn push_url_path(&self, out: &mut String) {
        let section = self.kind.section();
        out.reserve(section.len() + self.id.len() + 2);
        out.push_str(section);
        out.push('/');
        out.push_str(&self.id);
        out.push('/');
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

#[cfg(test)]
mod field_span_tests {
    use super::*;

    #[test]
    fn a_key_is_found_whole_never_by_a_prefix_or_a_neighbour() {
        let at = |line| Span {
            line,
            col: 3,
            end_col: 9,
        };
        let spans = FieldSpans::new([("date", at(2)), ("dates", at(3)), ("", at(4)), ("é", at(5))]);
        assert_eq!(spans.get("date"), Some(at(2)));
        assert_eq!(spans.get("dates"), Some(at(3)));
        assert_eq!(spans.get(""), Some(at(4)));
        assert_eq!(spans.get("é"), Some(at(5)));
        assert_eq!(spans.get("dat"), None);
        assert_eq!(spans.get("datesé"), None);
        assert_eq!(FieldSpans::default().get("date"), None);
        // Positions past u32 are capped, never wrapped.
        let far = FieldSpans::new([(
            "k",
            Span {
                line: usize::MAX,
                col: 1,
                end_col: 2,
            },
        )]);
        assert_eq!(far.get("k").map(|s| s.line), Some(u32::MAX as usize));
    }
}

//! Loading notes: walk the content folder, read each `.md` file, split off
//! the frontmatter, and turn its YAML into a typed [`Note`].
//!
//! This stage checks what the types and ranges of single fields say
//! (`quota` is a number > 0, a date exists, a score is 0-3). Rules that
//! need the configuration or several fields or notes live in `validate.rs`.

pub mod attachments;
pub mod fields;
pub mod frontmatter;
pub mod limits;
pub mod obsidian;
pub mod wikilinks;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::*;
use fields::{did_you_mean, Reader};
use frontmatter::{Locator, Seg};
use rayon::prelude::*;
use serde_norway::{Mapping, Value};
use std::path::{Path, PathBuf};

/// Skips editor temp and swap files, hidden files and folders.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The site's `content/` folder: it must exist and be a real folder (a
/// symbolic link would make coachbook read outside the site).
pub fn content_dir(site_dir: &Path) -> Result<PathBuf, crate::config::SetupError> {
    use crate::config::SetupError;
    let dir = site_dir.join("content");
    if let Some(link) = crate::site_files::symlink_below(site_dir, &dir) {
        return Err(SetupError::Refused(crate::site_files::Refused::Symlink(
            link,
        )));
    }
    if !dir.is_dir() {
        return Err(SetupError::NoContent(site_dir.to_path_buf()));
    }
    Ok(dir)
}

/// The one rule for which file is a note, given its name and its own
/// type (never the type of what a link points to): a regular file named
/// `*.md` that is not hidden or an editor's temp file. Both the cold
/// build ([`note_files`]) and `serve`'s changed paths ([`is_note_file`])
/// use it, so a symbolic link is never a note on either path.
fn is_note(name: &std::ffi::OsStr, file_type: std::fs::FileType) -> bool {
    file_type.is_file()
        && !is_ignored_name(&name.to_string_lossy())
        && Path::new(name).extension().is_some_and(|x| x == "md")
}

/// Every note file under `content_dir`, sorted by path. Symlinks are not
/// followed, so nothing outside the content folder is read.
pub fn note_files(content_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| is_note(e.file_name(), e.file_type()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Whether `path` is a note file of the site at `site_dir`, by the same
/// rule as [`note_files`]: under `content/`, in no hidden folder, reached
/// through no symbolic link, and a note by [`is_note`].
pub fn is_note_file(site_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site_dir.join("content")) else {
        return false;
    };
    let in_hidden_folder = rel
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    !in_hidden_folder
        && crate::site_files::symlink_below(site_dir, path).is_none()
        && path.file_name().is_some_and(|name| {
            std::fs::symlink_metadata(path).is_ok_and(|m| is_note(name, m.file_type()))
        })
}

/// How notes are read, from the site's configuration: the same for the
/// cold build and for `serve`'s re-reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// The frontmatter key that picks the kind of note (`type_key`,
    /// default `type`).
    pub type_key: String,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            type_key: "type".to_string(),
        }
    }
}

impl LoadOptions {
    pub fn of(config: &crate::config::Config) -> Self {
        LoadOptions {
            type_key: config.type_key.clone(),
        }
    }
}

/// Loads every note of the site at `site_dir` (its `content/` folder).
pub fn load(site_dir: &Path, opts: &LoadOptions) -> (Vec<Note>, Diagnostics) {
    let content = site_dir.join("content");
    let files = note_files(&content);
    let results: Vec<(Option<Note>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|abs| read_note(site_dir, abs, opts))
        .collect();
    let mut notes = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for (n, d) in results {
        notes.extend(n);
        diags.extend(d);
    }
    (notes, diags)
}

/// The path of `abs` relative to the site, with `/` separators.
pub fn rel_path(site_dir: &Path, abs: &Path) -> String {
    let rel = abs.strip_prefix(site_dir).unwrap_or(abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses one note file: the one way in for `build` and for
/// `serve`'s rebuilds, so both apply the same caps. A file over
/// [`limits::MAX_NOTE_BYTES`] is reported and left out without being read.
pub fn read_note(
    site_dir: &Path,
    abs: &Path,
    opts: &LoadOptions,
) -> (Option<Note>, Vec<Diagnostic>) {
    let rel = rel_path(site_dir, abs);
    match limits::read_capped(abs, limits::MAX_NOTE_BYTES) {
        Ok(limits::Capped::Whole(bytes)) => load_bytes(&rel, abs, &bytes, opts),
        Ok(limits::Capped::TooLarge(len)) => (None, vec![too_large(&rel, len)]),
        Err(e) => (
            None,
            vec![Diagnostic::error(
                Code::ReadError,
                &rel,
                0,
                format!("cannot read this file: {e}"),
            )],
        ),
    }
}

fn too_large(rel: &str, len: u64) -> Diagnostic {
    Diagnostic::error(
        Code::NoteTooLarge,
        rel,
        1,
        format!(
            "this note is {}, over the limit of {} for one note; it is left out",
            limits::size(len),
            limits::size(limits::MAX_NOTE_BYTES)
        ),
    )
    .with_help("split it into several notes, or keep large files outside content/")
}

/// Decodes a file's bytes and parses it as a note.
pub fn load_bytes(
    rel: &str,
    abs: &Path,
    bytes: &[u8],
    opts: &LoadOptions,
) -> (Option<Note>, Vec<Diagnostic>) {
    if bytes.len() as u64 > limits::MAX_NOTE_BYTES {
        return (None, vec![too_large(rel, bytes.len() as u64)]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_note(rel, abs, text, opts),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            (
                None,
                vec![Diagnostic::error(
                    Code::NotUtf8,
                    rel,
                    line,
                    "this file is not UTF-8 text; it is left out of the site",
                )
                .with_help("save it as UTF-8 in your editor")],
            )
        }
    }
}

/// Parses one note's text. Returns `None` only when the frontmatter cannot
/// be read at all; a note with bad fields comes back with `valid == false`.
pub fn parse_note(
    rel: &str,
    abs: &Path,
    text: &str,
    opts: &LoadOptions,
) -> (Option<Note>, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let owned;
    let text = if text.contains('\r') {
        owned = text.replace("\r\n", "\n");
        owned.as_str()
    } else {
        text
    };
    let mut diags = Vec::new();
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(frontmatter::Unterminated) => {
            diags.push(
                Diagnostic::error(
                    Code::FrontmatterUnterminated,
                    rel,
                    1,
                    "the frontmatter that starts on line 1 with `---` is never closed; the note is left out",
                )
                .with_help("add a line with just `---` after the last field"),
            );
            return (None, diags);
        }
    };
    if split.yaml.len() > limits::MAX_FRONTMATTER_BYTES {
        diags.push(
            Diagnostic::error(
                Code::FrontmatterTooLarge,
                rel,
                1,
                format!(
                    "the frontmatter is {}, over the limit of {}; the note is left out",
                    limits::size(split.yaml.len() as u64),
                    limits::size(limits::MAX_FRONTMATTER_BYTES as u64)
                ),
            )
            .with_help(
                "keep fields short and move long text into the body, below the closing `---`",
            ),
        );
        return (None, diags);
    }
    // Checked before parsing: the parser's own limit bites only after it
    // has read everything, which deep nesting makes very slow.
    if let Some((line, col)) = limits::yaml_too_deep(split.yaml, limits::MAX_YAML_DEPTH) {
        diags.push(
            Diagnostic::error(
                Code::FrontmatterTooDeep,
                rel,
                split.yaml_line + line,
                format!(
                    "the frontmatter nests lists and maps more than {} levels deep; the note is left out",
                    limits::MAX_YAML_DEPTH
                ),
            )
            .at_column(col)
            .with_help("a `[` or `{` that is never closed nests everything after it; values starting with `[` or `{` need quotes"),
        );
        return (None, diags);
    }
    let map: Mapping = if split.yaml.trim().is_empty() {
        Mapping::new()
    } else {
        match serde_norway::from_str::<Value>(split.yaml) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            Ok(other) => {
                diags.push(
                    Diagnostic::error(
                        Code::FrontmatterNotAMap,
                        rel,
                        split.yaml_line,
                        format!(
                            "the frontmatter must be fields written `key: value`, found {}; the note is left out",
                            fields::describe(&other)
                        ),
                    ),
                );
                return (None, diags);
            }
            Err(e) => {
                let p = frontmatter::explain_yaml_error(split.yaml, &e);
                let span = Span {
                    line: split.yaml_line + p.line,
                    col: p.col,
                    end_col: p.end_col,
                };
                diags.push(
                    Diagnostic::error(
                        Code::FrontmatterSyntax,
                        rel,
                        span.line,
                        format!(
                            "the frontmatter is not valid YAML: {}; the note is left out",
                            p.message
                        ),
                    )
                    .at_span(span)
                    .with_help(p.help),
                );
                return (None, diags);
            }
        }
    };
    let loc = Locator::new(split.yaml, split.yaml_line);
    let type_key = opts.type_key.as_str();
    let mut r = Reader::new(&map, &loc, rel);
    r.type_key = type_key;

    let stem = abs
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();

    // The kind.
    let type_name = r.opt_str(&[Seg::Key(type_key)]);
    let kind = match type_name.as_deref().map(str::trim) {
        None => Kind::Page,
        Some(t) => match Kind::from_type(t) {
            Some(k) => k,
            None => {
                let known = Kind::ALL.map(Kind::type_name);
                if let Some(guess) = did_you_mean(t, known.iter().copied()) {
                    r.warn(
                        Code::UnknownType,
                        &[Seg::Key(type_key)],
                        format!("unknown {type_key} {t:?}; the note is built as a plain page"),
                    )
                    .help = Some(format!("did you mean {guess:?}?"));
                }
                Kind::Page
            }
        },
    };

    // The id.
    let slug_field = r.opt_str(&[Seg::Key("slug")]);
    let slug_given = slug_field.is_some();
    let id_source = slug_field.unwrap_or_else(|| stem.clone());
    let id = slug::slugify(&id_source);
    if id.is_empty() {
        r.error(
            Code::InvalidId,
            &[Seg::Key("slug")],
            format!("cannot make an id (lower-case letters, digits and `-`) from {id_source:?}"),
        )
        .help = Some("rename the file or add a `slug: some-name` field".into());
    }

    // A list, or one string of tags separated by commas (the contract).
    let tags: Vec<String> = match r.value(&[Seg::Key("tags")]) {
        Some(Value::String(s)) => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        _ => r.str_list(&[Seg::Key("tags")]),
    };
    // Incomplete when a required field could not be read: a draft for the checks.
    let read: Read<NoteData> = match kind {
        Kind::Rep => parse_rep(&mut r).map(NoteData::Rep),
        Kind::Manager => parse_manager(&mut r).map(NoteData::Manager),
        Kind::Deal => parse_deal(&mut r).map(NoteData::Deal),
        Kind::Debrief | Kind::Coaching | Kind::Call => {
            parse_interaction(&mut r, kind).map(NoteData::Interaction)
        }
        Kind::Prep => parse_prep(&mut r).map(NoteData::Prep),
        Kind::Forecast => parse_forecast(&mut r).map(NoteData::Forecast),
        Kind::Page => Read {
            data: NoteData::Page,
            complete: true,
        },
    };
    let title_key = if matches!(kind, Kind::Rep | Kind::Deal) {
        "name"
    } else {
        "title"
    };
    let given = r
        .opt_str(&[Seg::Key(title_key)])
        .or_else(|| r.opt_str(&[Seg::Key("title")]))
        .or_else(|| r.opt_str(&[Seg::Key("name")]))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let title_given = given.is_some();
    let title = given.unwrap_or_else(|| stem.clone());
    // Other names links may use: `aliases` (a list, or one string of
    // names separated by commas), and the one of `title` and `name` that
    // is not the display name.
    let mut aliases: Vec<String> = match r.value(&[Seg::Key("aliases")]) {
        Some(Value::String(s)) => s
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        _ => r
            .str_list(&[Seg::Key("aliases")])
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect(),
    };
    for key in ["title", "name"] {
        if let Some(other) = r.opt_str(&[Seg::Key(key)]) {
            let other = other.trim();
            if !other.is_empty() && other != title && !aliases.iter().any(|a| a == other) {
                aliases.push(other.to_string());
            }
        }
    }
    let date = match &read.data {
        NoteData::Interaction(i) if read.complete => Some(i.date),
        NoteData::Prep(p) if read.complete => Some(p.date),
        _ if kind == Kind::Page => r.opt_date(&[Seg::Key("date")]),
        _ => None,
    };
    let (properties, property_links) = properties(&map, &loc, kind, type_key);
    let valid = !r.failed && read.complete && !id.is_empty();
    let unread = std::mem::take(&mut r.unread);
    let (data, draft) = if valid {
        (read.data, None)
    } else {
        let data = read.data;
        (
            NoteData::Page,
            (data != NoteData::Page).then(|| Box::new(Draft { data, unread })),
        )
    };
    let diags_out = std::mem::take(&mut r.diags);
    diags.extend(diags_out);
    let scan = wikilinks::scan_body(split.body, split.body_line);
    if let Some(line) = scan.html_too_deep {
        diags.push(
            Diagnostic::warning(
                Code::HtmlTooDeep,
                rel,
                line,
                format!(
                    "the HTML of this note nests more than {} levels deep, too deep to clean safely; its raw HTML is shown as text",
                    limits::MAX_HTML_DEPTH
                ),
            )
            .with_help("close the tags you open (every `<div>` needs a `</div>`), and nest lists and quotes less deeply"),
        );
    }
    // Inline `#tags` are tags too, after the frontmatter's, each once
    // (compared as their pages are: `#Q3` and `q3` are one).
    let mut tags = tags;
    for t in &scan.obsidian.tags {
        let key = obsidian::tag_slug(t);
        if !tags.iter().any(|x| obsidian::tag_slug(x) == key) {
            tags.push(t.clone());
        }
    }
    let note = Note {
        id: if id.is_empty() { "untitled".into() } else { id },
        kind,
        type_name,
        title,
        title_given,
        properties,
        property_links,
        aliases,
        slug_given,
        anchors: scan.obsidian.anchors,
        path: rel.to_string(),
        abs_path: abs.to_path_buf(),
        tags,
        date,
        body: split.body.into(),
        body_line: split.body_line,
        data,
        valid,
        links: scan.links,
        field_spans: top_level_spans(&loc, &map).into(),
        draft,
        raw_html_as_text: scan.html_too_deep.is_some(),
    };
    (Some(note), diags)
}

/// Where the value of every top-level key is, for later stages' diagnostics.
fn top_level_spans(loc: &Locator, map: &Mapping) -> Vec<(String, Span)> {
    map.keys()
        .filter_map(|k| k.as_str())
        .map(|k| (k.to_string(), loc.find_value(&[Seg::Key(k)])))
        .collect()
}

/// Fills each required field that could not be read with a stand-in
/// (its type's default), remembering which, so a note with errors still
/// gives a draft for the checks that read several fields.
#[derive(Default)]
struct StandIns(Vec<&'static str>);

impl StandIns {
    fn got<T: Default>(&mut self, v: Option<T>, field: &'static str) -> T {
        v.unwrap_or_else(|| {
            self.0.push(field);
            T::default()
        })
    }

    /// The fields read, complete when no stand-in was needed; the fields
    /// filled in are marked unread.
    fn finish<T>(self, r: &mut Reader, data: T) -> Read<T> {
        for f in &self.0 {
            r.mark_unread(f);
        }
        Read {
            data,
            complete: self.0.is_empty(),
        }
    }
}

/// A kind's fields as read, and whether every required one could be
/// (else `data` holds stand-ins: a draft for the checks).
struct Read<T> {
    data: T,
    complete: bool,
}

impl<T> Read<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        Read {
            data: f(self.data),
            complete: self.complete,
        }
    }
}

const MANAGER_FIELDS: &[&str] = &["type", "name", "title", "slug", "tags", "team", "email"];

/// A manager: `name`, and optionally `team` (one name or a list) and
/// `email`. No quota: managers are never in the figures' pools.
fn parse_manager(r: &mut Reader) -> Read<Manager> {
    let name = r.req_str(&[Seg::Key("name")], "the manager's full name");
    let teams = r
        .str_list(&[Seg::Key("team")])
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let email = r
        .opt_str(&[Seg::Key("email")])
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    r.unknown_keys(&[], MANAGER_FIELDS);
    let mut s = StandIns::default();
    let manager = Manager {
        name: s.got(name, "name"),
        teams,
        email,
    };
    s.finish(r, manager)
}

const REP_FIELDS: &[&str] = &[
    "type",
    "name",
    "title",
    "slug",
    "tags",
    "team",
    "manager",
    "start_date",
    "quota",
    "skills",
    "focus",
    "cadence",
    "ramp",
];

fn parse_rep(r: &mut Reader) -> Read<Rep> {
    let name = r.req_str(&[Seg::Key("name")], "the rep's full name");
    let team = r.req_str(&[Seg::Key("team")], "the name of the rep's team");
    let manager = r.opt_ref(&[Seg::Key("manager")]);
    let start_date = r.req_date(&[Seg::Key("start_date")]);
    let quota = r.req_num(&[Seg::Key("quota")], "a number greater than 0", |f| f > 0.0);
    let mut skills = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("skills")], "a map of skill: {current, target}") {
        for key in m.keys().filter_map(|k| k.as_str()) {
            if !SKILLS.contains(&key) {
                let help = did_you_mean(key, SKILLS.iter().copied());
                let d = r.error_at_key(
                    Code::InvalidValue,
                    &[Seg::Key("skills"), Seg::Key(key)],
                    format!(
                        "skills.{key} is not one of the skills: {}",
                        SKILLS.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
        }
        for &skill in Skill::ALL {
            let key = skill.as_str();
            let base = [Seg::Key("skills"), Seg::Key(key)];
            if r.value(&base).is_none() {
                continue;
            }
            if r.opt_map(&base, "a map {current: 1-5, target: 1-5}")
                .is_none()
            {
                continue;
            }
            let cur = [Seg::Key("skills"), Seg::Key(key), Seg::Key("current")];
            let tgt = [Seg::Key("skills"), Seg::Key(key), Seg::Key("target")];
            let current = if r.value(&cur).is_none() {
                r.error_at_key(
                    Code::MissingField,
                    &base,
                    format!("skills.{key}.current is required: a level from 1 to 5"),
                );
                None
            } else {
                r.opt_score(&cur, 1, 5)
            };
            let target = if r.value(&tgt).is_none() {
                r.error_at_key(
                    Code::MissingField,
                    &base,
                    format!("skills.{key}.target is required: a level from 1 to 5"),
                );
                None
            } else {
                r.opt_score(&tgt, 1, 5)
            };
            let notes = r.opt_str(&[Seg::Key("skills"), Seg::Key(key), Seg::Key("notes")]);
            if let (Some(current), Some(target)) = (current, target) {
                skills.push(SkillScore {
                    key: skill,
                    current,
                    target,
                    notes,
                });
            }
        }
    }
    let mut focus = Vec::new();
    if let Some(n) = r.opt_list(&[Seg::Key("focus")], "a list of focus areas") {
        for i in 0..n {
            let p = |k| [Seg::Key("focus"), Seg::Index(i), Seg::Key(k)];
            let item = [Seg::Key("focus"), Seg::Index(i)];
            if r.opt_map(&item, "a focus area {skill, current_behavior, ...}")
                .is_none()
            {
                continue;
            }
            let skill = OrWritten::<Skill>::parse(r.opt_str(&p("skill")).unwrap_or_default());
            if let Some(written) = skill.unknown() {
                let help = did_you_mean(written, SKILLS.iter().copied());
                let d = r.warn(
                    Code::InvalidValue,
                    &p("skill"),
                    format!(
                        "focus[{}].skill {written:?} is not one of the skills: {}",
                        i + 1,
                        SKILLS.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
            focus.push(FocusArea {
                skill,
                current_behavior: r.opt_str(&p("current_behavior")).unwrap_or_default(),
                target_behavior: r.opt_str(&p("target_behavior")).unwrap_or_default(),
                // Text, or a list of actions (shown joined by semicolons).
                actions: r.str_list(&p("actions")).join("; "),
                milestone: r.opt_str(&p("milestone")).unwrap_or_default(),
                target_date: r.opt_date(&p("target_date")),
            });
        }
    }
    let mut cadence = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("cadence")], "a map such as {one_on_one: weekly}") {
        let keys: Vec<String> = m
            .keys()
            .filter_map(|k| k.as_str())
            .map(String::from)
            .collect();
        for k in keys {
            if let Some(v) = r.opt_str(&[Seg::Key("cadence"), Seg::Key(&k)]) {
                cadence.push((k, v));
            }
        }
    }
    let mut ramp = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("ramp")], "a map with day_30, day_60, day_90") {
        let keys: Vec<String> = m
            .keys()
            .filter_map(|k| k.as_str())
            .map(String::from)
            .collect();
        for k in &keys {
            if !RampDay::NAMES.contains(&k.as_str()) {
                r.warn_at_key(
                    Code::UnknownField,
                    &[Seg::Key("ramp"), Seg::Key(k)],
                    format!("ramp.{k} is not a ramp gate (day_30, day_60, day_90); it is ignored"),
                );
            }
        }
        for &day in RampDay::ALL {
            let key = day.as_str();
            let base = [Seg::Key("ramp"), Seg::Key(key)];
            if r.value(&base).is_none() || r.opt_map(&base, "a map {items, gate}").is_none() {
                continue;
            }
            let mut items = Vec::new();
            let items_path = [Seg::Key("ramp"), Seg::Key(key), Seg::Key("items")];
            if let Some(n) = r.opt_list(&items_path, "a list of {task, done}") {
                for i in 0..n {
                    let ip = |f| {
                        [
                            Seg::Key("ramp"),
                            Seg::Key(key),
                            Seg::Key("items"),
                            Seg::Index(i),
                            Seg::Key(f),
                        ]
                    };
                    let task = r.opt_str(&ip("task")).unwrap_or_default();
                    let done = r.opt_bool(&ip("done")).unwrap_or(false);
                    items.push(RampItem { task, done });
                }
            }
            let gate = r
                .opt_str(&[Seg::Key("ramp"), Seg::Key(key), Seg::Key("gate")])
                .unwrap_or_default();
            ramp.push(RampGate {
                key: day,
                items,
                gate,
            });
        }
    }
    r.unknown_keys(&[], REP_FIELDS);
    let mut s = StandIns::default();
    let rep = Rep {
        name: s.got(name, "name"),
        team: s.got(team, "team"),
        manager,
        start_date: s.got(start_date, "start_date"),
        quota: s.got(quota, "quota"),
        skills,
        focus,
        cadence,
        ramp,
    };
    s.finish(r, rep)
}

const DEAL_FIELDS: &[&str] = &[
    "type",
    "name",
    "title",
    "slug",
    "tags",
    "account",
    "owner",
    "value",
    "stage",
    "created",
    "close_date",
    "probability",
    "next_step",
    "key_question",
    "lost_reason",
    "meddpicc",
];

fn parse_deal(r: &mut Reader) -> Read<Deal> {
    let name = r.req_str(&[Seg::Key("name")], "the deal's name");
    let account = r.req_str(&[Seg::Key("account")], "the customer account");
    let owner = r.req_ref(&[Seg::Key("owner")], "the rep who owns the deal");
    let stage = match r.value(&[Seg::Key("stage")]) {
        None => {
            r.error(
                Code::MissingField,
                &[],
                "stage is required: one of the configured stages, closed_won or closed_lost"
                    .to_string(),
            );
            None
        }
        Some(_) => r
            .opt_str(&[Seg::Key("stage")])
            .map(|s| s.trim().to_string()),
    };
    // A closed deal needs its value and actual close date; an open one may
    // not know them yet (validate warns, the pipeline review lists it).
    let closed = stage
        .as_deref()
        .and_then(|s| canonical(s, [CLOSED_WON, CLOSED_LOST]))
        .is_some();
    let amount = "an amount of 0 or more";
    let value = if closed {
        r.req_num(&[Seg::Key("value")], amount, |f| f >= 0.0)
            .map(Some)
    } else {
        Some(r.opt_num(&[Seg::Key("value")], amount, |f| f >= 0.0))
    };
    let created = r.req_date(&[Seg::Key("created")]);
    let close_date = if closed {
        r.req_date(&[Seg::Key("close_date")]).map(Some)
    } else {
        Some(r.opt_date(&[Seg::Key("close_date")]))
    };
    let probability = r.opt_num(
        &[Seg::Key("probability")],
        "a percentage from 0 to 100",
        |f| (0.0..=100.0).contains(&f),
    );
    // 0.4 is almost surely a fraction; it is read as 0.4 %, not converted.
    if let Some(p) = probability.filter(|p| *p > 0.0 && *p < 1.0) {
        let d = r.warn(
            Code::ProbabilityFraction,
            &[Seg::Key("probability")],
            format!("probability is a percentage from 0 to 100, and {p} reads as {p}%"),
        );
        // 0.4 * 100 is 40.00000000000001: round off the float noise.
        let percent = (p * 100.0 * 1e6).round() / 1e6;
        d.help = Some(format!(
            "did you mean {percent}? write `probability: {percent}`"
        ));
    }
    let next_step = r.opt_str(&[Seg::Key("next_step")]);
    let key_question = r
        .opt_str(&[Seg::Key("key_question")])
        .filter(|s| !s.trim().is_empty());
    let lost_reason = r.opt_str(&[Seg::Key("lost_reason")]);
    let mut meddpicc: [Element; 8] = Default::default();
    if let Some(m) = r.opt_map(
        &[Seg::Key("meddpicc")],
        "a map of the eight MEDDPICC elements",
    ) {
        for key in m.keys().filter_map(|k| k.as_str()) {
            if !MEDDPICC.contains(&key) {
                let help = did_you_mean(key, MEDDPICC.iter().copied());
                let d = r.error_at_key(
                    Code::InvalidValue,
                    &[Seg::Key("meddpicc"), Seg::Key(key)],
                    format!(
                        "meddpicc.{key} is not a MEDDPICC element: {}",
                        MEDDPICC.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
        }
        for (i, key) in MEDDPICC.iter().enumerate() {
            let base = [Seg::Key("meddpicc"), Seg::Key(key)];
            match r.value(&base) {
                None => {}
                // `champion: 2` as a shorthand for `{score: 2}`.
                Some(Value::Number(_)) => {
                    if let Some(s) = r.opt_score(&base, 0, 3) {
                        meddpicc[i].score = s;
                    }
                }
                Some(_) => {
                    if r.opt_map(&base, "a map {score: 0-3, evidence}").is_none() {
                        continue;
                    }
                    let sp = [Seg::Key("meddpicc"), Seg::Key(key), Seg::Key("score")];
                    meddpicc[i].score = r.opt_score(&sp, 0, 3).unwrap_or(0);
                    meddpicc[i].evidence = r
                        .opt_str(&[Seg::Key("meddpicc"), Seg::Key(key), Seg::Key("evidence")])
                        .filter(|s| !s.trim().is_empty());
                }
            }
        }
    }
    r.unknown_keys(&[], DEAL_FIELDS);
    let mut s = StandIns::default();
    let deal = Deal {
        name: s.got(name, "name"),
        account: s.got(account, "account"),
        owner: s.got(owner, "owner"),
        value: s.got(value, "value"),
        stage: s.got(stage, "stage"),
        created: s.got(created, "created"),
        close_date: s.got(close_date, "close_date"),
        probability,
        next_step,
        key_question,
        lost_reason,
        meddpicc,
    };
    s.finish(r, deal)
}

/// The fields every note may have, whatever its kind (`type` stands for
/// the configured `type_key`).
const COMMON_FIELDS: &[&str] = &["type", "title", "slug", "tags", "date", "aliases"];

/// The top-level fields coachbook reads for a kind of note.
fn known_fields(kind: Kind) -> Vec<&'static str> {
    let own: &[&str] = match kind {
        Kind::Rep => REP_FIELDS,
        Kind::Manager => MANAGER_FIELDS,
        Kind::Deal => DEAL_FIELDS,
        Kind::Debrief | Kind::Coaching => INTERACTION_FIELDS,
        Kind::Call => return [INTERACTION_FIELDS, CALL_FIELDS].concat(),
        Kind::Prep => PREP_FIELDS,
        Kind::Forecast => FORECAST_FIELDS,
        Kind::Page => &[],
    };
    [COMMON_FIELDS, own].concat()
}

/// A note's properties (key, value as text) and the links in them (index
/// of the property, link).
type Properties = (Vec<(String, String)>, Vec<(usize, WikiLink)>);

/// The top-level fields coachbook does not read (`people`, `status`,
/// `source`...): kept as they were written, in order, and shown in a
/// "Properties" table on the note's page instead of vanishing. A key
/// that starts with `_` is the author's own and is never shown.
///
/// A `[[wikilink]]` in one (`people: "[[Steph Ango]]"`, or a list of them)
/// is a link: returned with the index of its property, at the line of
/// its list item (or of the key).
fn properties(map: &Mapping, loc: &Locator, kind: Kind, type_key: &str) -> Properties {
    let known: Vec<&str> = known_fields(kind)
        .into_iter()
        .map(|k| if k == "type" { type_key } else { k })
        .collect();
    let mut props = Vec::new();
    let mut links = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if known.contains(&key) || key.starts_with('_') {
            continue;
        }
        let text = property_text(v);
        if text.contains("[[") {
            // Where each item of a list of scalars starts in the text.
            let starts: Vec<usize> = match v {
                Value::Sequence(items)
                    if items
                        .iter()
                        .all(|i| !matches!(i, Value::Sequence(_) | Value::Mapping(_))) =>
                {
                    let mut at = 0;
                    items
                        .iter()
                        .map(|i| {
                            let start = at;
                            at += property_text(i).len() + 2;
                            start
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            for (range, dest, _) in obsidian::text_links(&text) {
                let item = starts.partition_point(|s| *s <= range.start);
                let span = match item.checked_sub(1) {
                    Some(i) if !starts.is_empty() => loc.find(&[Seg::Key(key), Seg::Index(i)]),
                    _ => loc.find(&[Seg::Key(key)]),
                };
                links.push((props.len(), WikiLink::new(&dest, span)));
            }
        }
        props.push((key.to_string(), text));
    }
    (props, links)
}

/// A property's value as text: scalars as written, a list of scalars
/// joined with commas, anything deeper as compact JSON.
fn property_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items)
            if items
                .iter()
                .all(|i| !matches!(i, Value::Sequence(_) | Value::Mapping(_))) =>
        {
            items
                .iter()
                .map(property_text)
                .collect::<Vec<_>>()
                .join(", ")
        }
        Value::Tagged(t) => property_text(&t.value),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

const INTERACTION_FIELDS: &[&str] = &[
    "type", "title", "slug", "tags", "rep", "deal", "date", "takeaway", "gap", "skill", "outcome",
    "cause",
];
const CALL_FIELDS: &[&str] = &[
    "call_type",
    "attendees",
    "duration_min",
    "recording",
    "moments",
];

fn parse_interaction(r: &mut Reader, kind: Kind) -> Read<Interaction> {
    let rep = r.req_ref(&[Seg::Key("rep")], "the rep who was coached");
    let deal = if kind == Kind::Debrief {
        r.req_ref(&[Seg::Key("deal")], "the deal this debrief is about")
            .map(Some)
    } else {
        Some(r.opt_ref(&[Seg::Key("deal")]))
    };
    let date = r.req_date(&[Seg::Key("date")]);
    let takeaway = r.req_str(
        &[Seg::Key("takeaway")],
        "every coaching interaction leaves one specific, behavioural takeaway",
    );
    let gap = r.opt_enum::<Gap>(&[Seg::Key("gap")]);
    let skill = r.opt_enum::<Skill>(&[Seg::Key("skill")]);
    let outcome = r.opt_enum::<Outcome>(&[Seg::Key("outcome")]);
    let cause = r.opt_enum::<Cause>(&[Seg::Key("cause")]);
    let call = if kind == Kind::Call {
        let call_type = r.opt_enum::<CallType>(&[Seg::Key("call_type")]);
        let attendees = r.str_list(&[Seg::Key("attendees")]);
        let duration_min = r.opt_num(
            &[Seg::Key("duration_min")],
            "a number of minutes of 0 or more",
            |f| f >= 0.0,
        );
        let recording = r.opt_str(&[Seg::Key("recording")]);
        let mut moments = Vec::new();
        if let Some(n) = r.opt_list(
            &[Seg::Key("moments")],
            "a list of {at, what_happened, try_instead, why}",
        ) {
            for i in 0..n {
                let p = |k| [Seg::Key("moments"), Seg::Index(i), Seg::Key(k)];
                if r.opt_map(
                    &[Seg::Key("moments"), Seg::Index(i)],
                    "a map {at, what_happened, try_instead, why}",
                )
                .is_none()
                {
                    continue;
                }
                moments.push(Moment {
                    at: r.opt_str(&p("at")).unwrap_or_default(),
                    what_happened: r.opt_str(&p("what_happened")).unwrap_or_default(),
                    try_instead: r.opt_str(&p("try_instead")).unwrap_or_default(),
                    why: r.opt_str(&p("why")).unwrap_or_default(),
                });
            }
        }
        Some(CallInfo {
            call_type,
            attendees,
            duration_min,
            recording,
            moments,
        })
    } else {
        None
    };
    let known: Vec<&str> = if kind == Kind::Call {
        INTERACTION_FIELDS
            .iter()
            .chain(CALL_FIELDS)
            .copied()
            .collect()
    } else {
        INTERACTION_FIELDS.to_vec()
    };
    r.unknown_keys(&[], &known);
    let mut s = StandIns::default();
    let interaction = Interaction {
        rep: s.got(rep, "rep"),
        deal: s.got(deal, "deal"),
        date: s.got(date, "date"),
        takeaway: s.got(takeaway, "takeaway"),
        gap,
        skill,
        outcome,
        cause,
        call,
    };
    s.finish(r, interaction)
}

const PREP_FIELDS: &[&str] = &[
    "type",
    "title",
    "slug",
    "tags",
    "deal",
    "rep",
    "date",
    "objective",
    "buyer_needs",
    "our_ask",
    "objections",
];

fn parse_prep(r: &mut Reader) -> Read<Prep> {
    let deal = r.req_ref(&[Seg::Key("deal")], "the deal this meeting is for");
    let rep = r.opt_ref(&[Seg::Key("rep")]);
    let date = r.req_date(&[Seg::Key("date")]);
    let objective = r.req_str(&[Seg::Key("objective")], "what the meeting must achieve");
    let buyer_needs = r.req_str(&[Seg::Key("buyer_needs")], "what the buyer needs from it");
    let our_ask = r.req_str(&[Seg::Key("our_ask")], "what we will ask for");
    let mut objections = Vec::new();
    if let Some(n) = r.opt_list(&[Seg::Key("objections")], "a list of {objection, response}") {
        for i in 0..n {
            let item = [Seg::Key("objections"), Seg::Index(i)];
            if r.opt_map(&item, "a map {objection, response}").is_none() {
                continue;
            }
            let p = |k| [Seg::Key("objections"), Seg::Index(i), Seg::Key(k)];
            objections.push(Objection {
                objection: r.opt_str(&p("objection")).unwrap_or_default(),
                response: r.opt_str(&p("response")).unwrap_or_default(),
            });
        }
    }
    r.unknown_keys(&[], PREP_FIELDS);
    let mut s = StandIns::default();
    let prep = Prep {
        deal: s.got(deal, "deal"),
        rep,
        date: s.got(date, "date"),
        objective: s.got(objective, "objective"),
        buyer_needs: s.got(buyer_needs, "buyer_needs"),
        our_ask: s.got(our_ask, "our_ask"),
        objections,
    };
    s.finish(r, prep)
}

const FORECAST_FIELDS: &[&str] = &[
    "type",
    "title",
    "slug",
    "tags",
    "owner",
    "team",
    "period",
    "commit",
    "best_case",
];

/// `YYYY-Qn` with n in 1..=4.
pub fn parse_period(s: &str) -> Option<(i32, u32)> {
    let (y, q) = s.trim().split_once("-Q")?;
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let quarter: u32 = q.parse().ok()?;
    (1..=4).contains(&quarter).then_some((year, quarter))
}

fn parse_forecast(r: &mut Reader) -> Read<Forecast> {
    let has_owner = r.value(&[Seg::Key("owner")]).is_some();
    let has_team = r.value(&[Seg::Key("team")]).is_some();
    let owner = match (has_owner, has_team) {
        (true, true) => {
            r.error(
                Code::InvalidValue,
                &[Seg::Key("team")],
                "a forecast has either an owner (a rep) or a team, not both".into(),
            );
            None
        }
        (false, false) => {
            r.error(
                Code::MissingField,
                &[],
                "owner is required: the rep whose forecast this is (or `team: NAME` for a team's forecast)"
                    .into(),
            );
            None
        }
        (true, false) => r.opt_ref(&[Seg::Key("owner")]).map(ForecastOwner::Rep),
        (false, true) => r
            .req_str(&[Seg::Key("team")], "the team's name")
            .map(ForecastOwner::Team),
    };
    let period = match r.value(&[Seg::Key("period")]) {
        None => {
            r.error(
                Code::MissingField,
                &[],
                "period is required: a fiscal quarter written YYYY-Qn, like 2026-Q3".into(),
            );
            None
        }
        Some(v) => {
            let text = match v {
                Value::String(s) => Some(s.as_str()),
                _ => None,
            };
            match text.and_then(parse_period) {
                Some(p) => Some(p),
                None => {
                    let msg = format!(
                        "period must be a fiscal quarter written YYYY-Qn with n from 1 to 4, found {}",
                        fields::describe(v)
                    );
                    r.error(Code::InvalidValue, &[Seg::Key("period")], msg);
                    None
                }
            }
        }
    };
    let commit = r.req_num(&[Seg::Key("commit")], "an amount of 0 or more", |f| {
        f >= 0.0
    });
    let best_case = r.opt_num(&[Seg::Key("best_case")], "an amount of 0 or more", |f| {
        f >= 0.0
    });
    r.unknown_keys(&[], FORECAST_FIELDS);
    let mut s = StandIns::default();
    let (year, quarter) = s.got(period, "period");
    let owner = match owner {
        Some(o) => o,
        None => {
            s.0.push(if has_team { "team" } else { "owner" });
            ForecastOwner::Team(String::new())
        }
    };
    let forecast = Forecast {
        owner,
        year,
        quarter,
        commit: s.got(commit, "commit"),
        best_case,
    };
    s.finish(r, forecast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_of_tags_is_split_on_commas() {
        let (n, d) = parse("---\ntitle: T\ntags: pricing, discovery ,, q4\n---\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(n.unwrap().tags, ["pricing", "discovery", "q4"]);
        let (n, _) = parse("---\ntags: [a, b]\n---\n");
        assert_eq!(n.unwrap().tags, ["a", "b"]);
    }

    fn parse(text: &str) -> (Option<Note>, Vec<String>) {
        let (n, d) = parse_note(
            "content/x.md",
            Path::new("/s/content/Jane Doe.md"),
            text,
            &LoadOptions::default(),
        );
        (n, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn rep_from_the_spec_example() {
        let (n, d) = parse(
            "---\ntype: rep\nname: Dana Whitfield\nteam: East\nmanager: \"[[Sam Okafor]]\"\nstart_date: 2026-08-03\nquota: 900000\nskills:\n  discovery: {current: 3, target: 4}\nfocus:\n  - skill: qualification\n    target_date: 2026-12-18\ncadence: {one_on_one: weekly}\nramp:\n  day_30:\n    items: [{task: \"Shadow\", done: true}]\n    gate: \"Runs a call\"\n---\nBody\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let n = n.unwrap();
        assert_eq!(n.id, "jane-doe");
        assert_eq!(n.title, "Dana Whitfield");
        assert!(n.valid);
        let rep = n.rep().unwrap();
        assert_eq!(rep.quota, 900000.0);
        assert_eq!(rep.manager.as_ref().unwrap().target, "Sam Okafor");
        assert_eq!(rep.skills[0].key, Skill::Discovery);
        assert_eq!(rep.ramp[0].items.len(), 1);
        assert_eq!(&*n.body, "Body\n");
        assert_eq!(n.body_line, 19);
    }

    #[test]
    fn bad_quota_names_line_and_value() {
        let (n, d) =
            parse("---\ntype: rep\nname: A\nteam: T\nstart_date: 2026-01-01\nquota: lots\n---\n");
        assert!(!n.unwrap().valid);
        assert_eq!(
            d,
            ["content/x.md:6:8: error[invalid-value]: quota must be a number greater than 0, found \"lots\""]
        );
    }

    #[test]
    fn yaml_error_has_a_line() {
        let (n, d) = parse("---\ntype: deal\nname: [unclosed\n---\n");
        assert!(n.is_none());
        assert!(d[0].starts_with("content/x.md:"), "{d:?}");
        assert!(d[0].contains("frontmatter-syntax"));
    }

    #[test]
    fn unterminated_and_not_a_map() {
        assert!(parse("---\ntype: deal\n").1[0].contains("never closed"));
        assert!(parse("---\n- a\n- b\n---\n").1[0].contains("frontmatter-not-a-map"));
    }

    #[test]
    fn unknown_type_near_miss_warns() {
        let (n, d) = parse("---\ntype: dael\n---\n");
        let n = n.unwrap();
        assert_eq!(n.kind, Kind::Page);
        assert!(n.valid);
        assert!(d[0].contains("did you mean \"deal\""), "{d:?}");
        let (_, d) = parse("---\ntype: meeting-notes\n---\n");
        assert!(d.is_empty());
    }

    #[test]
    fn bom_crlf_and_slug() {
        let (n, d) = parse("\u{feff}---\r\ntitle: Hello\r\nslug: My Page\r\n---\r\nText\r\n");
        let n = n.unwrap();
        assert!(d.is_empty());
        assert_eq!(n.id, "my-page");
        assert_eq!(n.title, "Hello");
        assert_eq!(&*n.body, "Text\n");
    }

    #[test]
    fn interaction_requires_takeaway_and_dates_exist() {
        let (n, d) =
            parse("---\ntype: coaching\nrep: jane\ndate: 2026-02-30\ntakeaway: \"\"\n---\n");
        assert!(!n.unwrap().valid);
        assert!(
            d.iter().any(|m| m.contains(":4:7: error[invalid-date]")),
            "{d:?}"
        );
        assert!(
            d.iter().any(|m| m.contains("takeaway must not be empty")),
            "{d:?}"
        );
    }

    #[test]
    fn deal_meddpicc_scores_checked() {
        let (n, d) = parse("---\ntype: deal\nname: D\naccount: A\nowner: jane\nvalue: 10\nstage: proposal\ncreated: 2026-01-01\nclose_date: 2026-02-01\nmeddpicc:\n  champion: {score: 5}\n  metrics: 2\n---\n");
        assert!(!n.unwrap().valid);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains(":11:21: error[invalid-value]: meddpicc.champion.score must be a whole number from 0 to 3, found 5"), "{d:?}");
    }

    #[test]
    fn forecast_period() {
        assert_eq!(parse_period("2026-Q3"), Some((2026, 3)));
        assert_eq!(parse_period("2026-Q5"), None);
        assert_eq!(parse_period("26-Q1"), None);
        let (n, d) = parse("---\ntype: forecast\nteam: East\nperiod: 2026-Q7\ncommit: 5\n---\n");
        assert!(!n.unwrap().valid);
        assert!(d[0].contains("period must be a fiscal quarter"), "{d:?}");
    }

    #[test]
    fn typo_fields_warn_but_custom_fields_are_quiet() {
        let (n, d) = parse("---\ntype: coaching\nrep: jane\ndate: 2026-02-03\ntakeway: x\ntakeaway: y\nmood: good\n---\n");
        assert!(n.unwrap().valid);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains(":5:1: warning[unknown-field]: takeway is not a field"),
            "{d:?}"
        );
        assert!(d[0].contains("did you mean \"takeaway\"?"), "{d:?}");
    }

    #[test]
    fn big_or_deep_frontmatter_is_refused_before_parsing() {
        let (n, d) = parse(&format!("---\ntitle: {}\n---\nBody\n", "x".repeat(70_000)));
        assert!(n.is_none());
        assert!(
            d[0].starts_with("content/x.md:1: error[frontmatter-too-large]: the frontmatter is 69 KB, over the limit of 64 KB"),
            "{d:?}"
        );
        let (n, d) = parse(&format!(
            "---\ntype: page\ntitle: {}\n---\n",
            "[".repeat(60_000)
        ));
        assert!(n.is_none());
        assert!(
            d[0].starts_with("content/x.md:3:71: error[frontmatter-too-deep]"),
            "{d:?}"
        );
        let (n, d) = load_bytes(
            "content/x.md",
            Path::new("x.md"),
            &vec![b'a'; limits::MAX_NOTE_BYTES as usize + 1],
            &LoadOptions::default(),
        );
        assert!(n.is_none());
        assert_eq!(d[0].code, "note-too-large");
    }

    #[test]
    fn non_utf8_is_reported() {
        let (n, d) = load_bytes(
            "content/x.md",
            Path::new("x.md"),
            b"---\ntitle: \xff\n---\n",
            &LoadOptions::default(),
        );
        assert!(n.is_none());
        assert_eq!(d[0].line, 2);
    }
}

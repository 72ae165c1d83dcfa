//! Reading one note: its bytes (capped), its text, the frontmatter split
//! off and parsed, and the fields every kind of note shares. The fields
//! of each kind are read in `kinds`, unread fields in `properties`.

use super::kinds::{
    parse_deal, parse_forecast, parse_interaction, parse_manager, parse_prep, parse_rep, Read,
};
use super::properties::properties;
use super::*;

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

/// The text a note is parsed from: without a byte-order mark, line ends
/// as `\n`.
fn source_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The body of note `n`: the text kept in memory, or read again from its
/// file (as the loader reads it, refusing links) and checked against the
/// length and hash taken when the note was loaded. An error when the file
/// changed or went since: its links and anchors came from the old text.
pub fn body_text(n: &Note) -> Result<std::sync::Arc<str>, String> {
    if let Some(text) = n.body.loaded() {
        return Ok(text.clone());
    }
    let changed = || {
        format!(
            "{} changed while the site was being built; build again",
            n.path
        )
    };
    let bytes = match limits::read_capped(&n.abs_path, limits::MAX_NOTE_BYTES) {
        Ok(limits::Capped::Whole(bytes)) => bytes,
        Ok(limits::Capped::TooLarge(_)) => return Err(changed()),
        Err(e) => return Err(format!("cannot read {} again: {e}", n.path)),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| changed())?;
    let text = source_text(text);
    match frontmatter::split(&text) {
        Ok(split) if n.body.is(split.body) => Ok(std::sync::Arc::from(split.body)),
        _ => Err(changed()),
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
    let text = source_text(text);
    let text: &str = &text;
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
    // The simple YAML nearly all frontmatter is written in, parsed and
    // located in one pass; anything else by serde_norway.
    let (map, loc) = match frontmatter::fast::parse(split.yaml, split.yaml_line) {
        Some(simple) => (
            simple.map,
            Locator::with_top_level(split.yaml, split.yaml_line, simple.top),
        ),
        None => match parse_yaml(rel, &split) {
            Ok(map) => (map, Locator::new(split.yaml, split.yaml_line)),
            Err(d) => {
                diags.push(d);
                return (None, diags);
            }
        },
    };
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
        Kind::Rep => parse_rep(&mut r).map(|x| NoteData::Rep(Box::new(x))),
        Kind::Manager => parse_manager(&mut r).map(|x| NoteData::Manager(Box::new(x))),
        Kind::Deal => parse_deal(&mut r).map(|x| NoteData::Deal(Box::new(x))),
        Kind::Debrief | Kind::Coaching | Kind::Call => {
            parse_interaction(&mut r, kind).map(|x| NoteData::Interaction(Box::new(x)))
        }
        Kind::Prep => parse_prep(&mut r).map(|x| NoteData::Prep(Box::new(x))),
        Kind::Forecast => parse_forecast(&mut r).map(|x| NoteData::Forecast(Box::new(x))),
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
    let private = read_private(&mut r);
    let audiences = match r.value(&[Seg::Key("audience")]) {
        None => None,
        Some(Value::String(s)) => Some(
            s.split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
        ),
        Some(_) => Some(r.str_list(&[Seg::Key("audience")])),
    };
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
    // Every note is kept for the whole build (100,000 of them at scale):
    // the lists are cut to their length, not left at the capacity they
    // grew to (a link is 80 bytes; four slots for two links was the
    // usual case).
    let mut links = scan.links;
    links.shrink_to_fit();
    let mut anchors = scan.obsidian.anchors;
    anchors.shrink_to_fit();
    tags.shrink_to_fit();
    aliases.shrink_to_fit();
    let (mut properties, mut property_links) = (properties, property_links);
    properties.shrink_to_fit();
    property_links.shrink_to_fit();
    let note = Note {
        id: if id.is_empty() { "untitled".into() } else { id },
        kind,
        type_name,
        title,
        title_given,
        properties,
        property_links,
        aliases,
        private,
        audiences,
        slug_given,
        anchors,
        path: rel.to_string(),
        abs_path: abs.to_path_buf(),
        tags,
        date,
        body: Body::new(split.body),
        body_line: split.body_line,
        data,
        valid,
        links,
        field_spans: top_level_spans(&loc, &map),
        draft,
        raw_html_as_text: scan.html_too_deep.is_some(),
    };
    (Some(note), diags)
}

/// Parses frontmatter `split.yaml` with serde_norway, after checking how
/// deeply it nests: its mapping, or the error that leaves the note out.
fn parse_yaml(rel: &str, split: &frontmatter::Split) -> Result<Mapping, Diagnostic> {
    // Checked before parsing: the parser's own limit bites only after it
    // has read everything, which deep nesting makes very slow.
    if let Some((line, col)) = limits::yaml_too_deep(split.yaml, limits::MAX_YAML_DEPTH) {
        return Err(
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
    }
    if split.yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_norway::from_str::<Value>(split.yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(other) => Err(Diagnostic::error(
            Code::FrontmatterNotAMap,
            rel,
            split.yaml_line,
            format!(
                "the frontmatter must be fields written `key: value`, found {}; the note is left out",
                fields::describe(&other)
            ),
        )),
        Err(e) => {
            let p = frontmatter::explain_yaml_error(split.yaml, &e);
            let span = Span {
                line: split.yaml_line + p.line,
                col: p.col,
                end_col: p.end_col,
            };
            Err(Diagnostic::error(
                Code::FrontmatterSyntax,
                rel,
                span.line,
                format!(
                    "the frontmatter is not valid YAML: {}; the note is left out",
                    p.message
                ),
            )
            .at_span(span)
            .with_help(p.help))
        }
    }
}

/// Where the value of every top-level key is, for later stages' diagnostics.
fn top_level_spans(loc: &Locator, map: &Mapping) -> FieldSpans {
    FieldSpans::new(
        map.keys()
            .filter_map(|k| k.as_str())
            .map(|k| (k, loc.find_value(&[Seg::Key(k)]))),
    )
}

/// `private:` true or false, or as YAML 1.1 and people write it (`yes`,
/// `no`, `on`, `off`). Anything else is an error, and the note counts as
/// private: a note its author meant to hide is never published by mistake.
fn read_private(r: &mut Reader) -> bool {
    let path = [Seg::Key("private")];
    match r.value(&path) {
        None => false,
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => true,
            "false" | "no" | "off" => false,
            _ => r.opt_bool(&path).unwrap_or(true),
        },
        Some(_) => r.opt_bool(&path).unwrap_or(true),
    }
}

//! Where one link or reference leads: a note, an attachment, a file left
//! as written, or nothing (with the warning that says why).

use super::*;

/// Where a body or property link leads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    Note(NoteIdx),
    /// An attachment, by its path inside `content/`.
    File(String),
    /// A Markdown link to something that is not in the vault (a file of
    /// `static/`, a page): left as written, never reported.
    AsWritten,
    Broken(Resolution),
    /// No note, and several attachments of that file name (their paths).
    Files(Vec<String>),
}

/// The notes that stand for their folder when a link names the folder.
const FOLDER_PAGES: [&str; 3] = ["index", "README", "_index"];

/// A Markdown link's path read from the note's folder (`folder`, inside
/// `content/`), or from the top when it starts with `/`.
fn from_note_folder(folder: &str, t: &str) -> String {
    if folder.is_empty() || t.starts_with('/') {
        t.trim_start_matches('/').to_string()
    } else {
        format!("{folder}/{t}")
    }
}

/// Resolves one link of a note in `folder` (its folder inside
/// `content/`): a path written relative to the note (`../People/Steph
/// Ango`, `./x`) names exactly one path; a Markdown link's path is read
/// from the note's folder first; otherwise notes are looked up as the
/// module says, and attachments (by path, end of path, or file name) when
/// no note answers.
pub(super) fn target_of(
    index: &Index,
    attachments: &Attachments,
    folder: &str,
    l: &WikiLink,
) -> Target {
    let t = l.target.as_str();
    let one = |path: &str| -> Option<Target> {
        if let Some(i) = index.names.by_path.get(&fold_path(path)) {
            if !crate::content::obsidian::names_a_file(path) || strip_md(path) != path {
                return Some(Target::Note(*i));
            }
        }
        attachments
            .at_path(path)
            .map(|p| Target::File(p.to_string()))
    };
    // A path that names a folder leads to the folder's own page, as on
    // GitHub and in most handbooks (`../strategy` -> `strategy/index.md`).
    let exact = |path: &str| -> Option<Target> {
        one(path).or_else(|| {
            let folder = path.trim_end_matches('/');
            (!folder.is_empty() && !crate::content::obsidian::names_a_file(folder))
                .then(|| {
                    FOLDER_PAGES
                        .iter()
                        .find_map(|name| one(&format!("{folder}/{name}")))
                })
                .flatten()
        })
    };
    if l.kind == LinkKind::Markdown && t.ends_with('/') {
        // A folder (`../guides/`, `/handbook/`): its page if it has one;
        // else, written from the top (`/deals/`), a page of the site or of
        // `static/`, left as written; written from this note's folder,
        // a folder of the content that has no page: broken.
        if let Some(path) = relative_path(folder, t) {
            return exact(&path).unwrap_or(Target::Broken(Resolution::Missing));
        }
        return exact(&from_note_folder(folder, t)).unwrap_or(Target::AsWritten);
    }
    if let Some(path) = relative_path(folder, t) {
        return exact(&path).unwrap_or(Target::Broken(Resolution::Missing));
    }
    if l.kind == LinkKind::Markdown {
        let from_folder = from_note_folder(folder, t);
        if let Some(found) = exact(&from_folder).or_else(|| exact(t.trim_start_matches('/'))) {
            return found;
        }
        // A note named by its file (`Other%20note.md`, Obsidian's
        // shortest form) is looked up like a wikilink; any other path
        // that is not in the vault is left as written.
        if strip_md(t) == t {
            return match attachments.find(t) {
                Found::One(p) => Target::File(p),
                _ => Target::AsWritten,
            };
        }
    }
    match index.resolve(t) {
        Resolution::Found(i) => Target::Note(i),
        Resolution::Missing => match attachments.find(t) {
            Found::One(p) => Target::File(p),
            Found::Missing => Target::Broken(Resolution::Missing),
            Found::Many(paths) => Target::Files(paths),
        },
        other => Target::Broken(other),
    }
}

/// The note a frontmatter reference points to, if it is one note of the
/// kind wanted; else a diagnostic in `found`.
pub(super) fn resolve_ref(
    r: &RefField,
    want: Kind,
    index: &Index,
    notes: &[Note],
    path: &str,
    found: &mut Vec<Diagnostic>,
) -> Option<NoteIdx> {
    let res = match index.resolve(&r.target) {
        // A name several notes answer to, or one of another kind: the one
        // note of the kind wanted, if there is exactly one.
        Resolution::Found(i) if want.accepts(notes[i].kind) => Resolution::Found(i),
        other => match index.resolve_where(&r.target, |n| want.accepts(n.kind)) {
            Resolution::Missing => other,
            of_kind => of_kind,
        },
    };
    match res {
        // A target with errors of its own is still linked to, but cannot
        // count in anyone's metrics (the metrics skip invalid notes).
        Resolution::Found(i) if want.accepts(notes[i].kind) => Some(i),
        Resolution::Found(i) => {
            found.push(
                Diagnostic::warning(
                    Code::WrongKind,
                    path,
                    r.span.line,
                    format!(
                        "{} must point to a {}, but {:?} ({}) is a {}",
                        r.field,
                        want.type_name(),
                        r.target,
                        notes[i].path,
                        notes[i].kind.type_name()
                    ),
                )
                .at_span(r.span),
            );
            None
        }
        other => {
            found.push(broken(
                path, r.span, &r.field, &r.target, &other, index, notes,
            ));
            None
        }
    }
}

/// A link by a file name several attachments share.
pub(super) fn ambiguous_files(path: &str, l: &WikiLink, paths: &[String]) -> Diagnostic {
    Diagnostic::warning(
        Code::AmbiguousLink,
        path,
        l.span.line,
        format!(
            "link {:?} matches {} attachments: {}",
            l.target,
            paths.len(),
            paths
                .iter()
                .map(|p| format!("content/{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .at_span(l.span)
    .with_help(format!(
        "link by path to pick one, like [[{}]]",
        paths.first().map_or("", String::as_str)
    ))
}

pub(super) fn broken(
    path: &str,
    span: Span,
    what: &str,
    target: &str,
    res: &Resolution,
    index: &Index,
    notes: &[Note],
) -> Diagnostic {
    match res {
        Resolution::Ambiguous(many) => {
            let files: Vec<&str> = many.iter().map(|i| notes[*i].path.as_str()).collect();
            Diagnostic::warning(
                Code::AmbiguousLink,
                path,
                span.line,
                format!(
                    "{what} {target:?} matches {} notes: {}",
                    many.len(),
                    files.join(", ")
                ),
            )
            .at_span(span)
            .with_help(match many.first().and_then(|i| notes.get(*i)) {
                Some(n) => format!(
                    "link by path to pick one, like [[{}]], or give the notes different names",
                    n.content_path()
                ),
                None => "link by path to pick one".to_string(),
            })
        }
        _ => {
            let message = if crate::content::obsidian::names_a_file(target) {
                format!("{what} {target:?} does not match any note, nor any file in content/ by path or name")
            } else {
                format!("{what} {target:?} does not match any note's id, path, file name, title, name or alias")
            };
            let d = Diagnostic::warning(Code::BrokenLink, path, span.line, message).at_span(span);
            match index.suggest(target) {
                Some(s) => d.with_help(format!("did you mean {s:?}?")),
                None => d,
            }
        }
    }
}

//! Attachments: the files under `content/` that are not notes (images,
//! PDFs, a `.base` view, ...). Each is published at its path inside
//! `content/` (`content/img/photo.jpg` -> `{base}img/photo.jpg`) and
//! answers to links and embeds by path, by the end of its path, and by
//! its file name when no other attachment has that name, as in Obsidian.
//!
//! Found by [`scan`] with the notes' rules for which files are read (no
//! symbolic link is followed, hidden files and folders and editors' temp
//! files are skipped) and read only through `site_files` (files open with
//! `O_NOFOLLOW`, never blocking on a FIFO). Some files are not published,
//! each with an `attachment-not-published` warning, so links to them are
//! broken: one over [`MAX_ATTACHMENT_BYTES`]; one a browser would run as
//! part of the site (HTML, JavaScript, XML, and an SVG that holds script,
//! event handlers, embedded documents or character references that could
//! hide them: raw HTML in notes is sanitised, and a file beside them must
//! not undo that) unless the site trusts its authors with
//! `unsafe_html = true`; a plain SVG drawing (the diagrams handbooks are
//! full of) is published, checked when found and again when copied; one whose name a web
//! server or the output folder cannot hold (`\`, `:`); and one at a path
//! coachbook writes itself (`style.css`, `metrics.json`).

use crate::content::obsidian::{fold, fold_path};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// The largest attachment published (50 MB): a site is served as static
/// files, and a larger file is better linked from where it is kept.
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// Extensions of files a browser runs or renders as a document of the
/// site: published only with `unsafe_html = true`.
const ACTIVE: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "svgz", "js", "mjs", "xml", "xsl", "xslt",
];

/// The largest SVG whose text is inspected (5 MB); a larger one is
/// published only with `unsafe_html = true`.
const MAX_SVG_BYTES: u64 = 5 * 1024 * 1024;

/// Why the SVG `bytes` could run something when opened as a page of the
/// site, or `None` for a plain drawing. Deliberately strict (it rejects
/// some harmless files, never the reverse): no script element, no event
/// handler attribute, no `javascript:` or HTML `data:` URL (ASCII
/// whitespace and case ignored, as browsers do in URLs), no embedded HTML
/// (`foreignObject`, `iframe`, `embed`, `object`), no DTD entity (which
/// could spell any of these), no style sheet import or processing
/// instruction that loads one; numeric character references (`&#106;`)
/// are decoded first, so they cannot spell any of these either.
pub fn svg_danger(bytes: &[u8]) -> Option<&'static str> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("it is not UTF-8 text, so it cannot be checked");
    };
    // Numeric character references (`&#34;`, `&#x6a;`) are read as the
    // characters they stand for before any check, so they cannot spell a
    // `javascript:` URL past it; one that names no character is refused.
    let Some(decoded) = decode_char_refs(text) else {
        return Some("it holds a character reference that names no character");
    };
    let lower = decoded.to_ascii_lowercase();
    let squeezed: String = lower
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    const IN_TEXT: &[(&str, &str)] = &[
        ("<script", "it holds a script"),
        ("<foreignobject", "it embeds HTML (`foreignObject`)"),
        ("<iframe", "it embeds a page (`iframe`)"),
        ("<embed", "it embeds a document (`embed`)"),
        ("<object", "it embeds a document (`object`)"),
        ("<handler", "it holds a script (`handler`)"),
        ("<listener", "it holds an event listener"),
        (
            "<!entity",
            "it declares entities, which could spell a script",
        ),
        ("<?xml-stylesheet", "it loads a style sheet"),
        ("@import", "it loads a style sheet"),
        (
            "&#",
            "it holds character references (`&#...;`), which could spell a script",
        ),
    ];
    const IN_URLS: &[(&str, &str)] = &[
        ("javascript:", "it holds a `javascript:` URL"),
        ("vbscript:", "it holds a `vbscript:` URL"),
        ("data:text/html", "it holds an HTML `data:` URL"),
        ("data:application/xhtml", "it holds an HTML `data:` URL"),
        ("data:image/svg", "it holds an SVG `data:` URL"),
    ];
    if let Some((_, why)) = IN_TEXT.iter().find(|(p, _)| lower.contains(p)) {
        return Some(why);
    }
    if let Some((_, why)) = IN_URLS.iter().find(|(p, _)| squeezed.contains(p)) {
        return Some(why);
    }
    // An event handler attribute: `on` + letters + `=` after a space, a
    // quote or a `/` (`<svg onload=...>`, `<g/onclick=...>`).
    let b = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = if i == 0 { b' ' } else { b[i - 1] };
        if !(before.is_ascii_whitespace() || matches!(before, b'"' | b'\'' | b'/')) {
            continue;
        }
        let rest = &b[i + 2..];
        let letters = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        if letters == 0 {
            continue;
        }
        let after = rest[letters..].iter().find(|c| !c.is_ascii_whitespace());
        if after == Some(&b'=') {
            return Some("it holds an event handler (`on...=`)");
        }
    }
    None
}

/// `text` with its numeric character references (`&#34;`, `&#x6A;`)
/// replaced by their characters; `None` when one names no character.
fn decode_char_refs(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let len = digits.find(';')?;
        let code = u32::from_str_radix(&digits[..len], radix).ok()?;
        out.push(char::from_u32(code)?);
        rest = &digits[len + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Whether `rel` is an SVG whose text must be inspected before it is
/// published (see [`svg_danger`]).
fn is_svg(rel: &str) -> bool {
    Path::new(rel)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

/// The bytes of the attachment at `rel`, as [`read`] gives them, refused
/// when it is an SVG that could run something and the site does not trust
/// its authors.
fn read_checked(site_dir: &Path, rel: &str, unsafe_html: bool) -> Result<Vec<u8>, String> {
    let bytes = read(site_dir, rel)?;
    if !unsafe_html && is_svg(rel) {
        if bytes.len() as u64 > MAX_SVG_BYTES {
            return Err(svg_refused("it is too large to check"));
        }
        if let Some(why) = svg_danger(&bytes) {
            return Err(svg_refused(why));
        }
    }
    Ok(bytes)
}

fn svg_refused(why: &str) -> String {
    format!(
        "this SVG would run as part of the site when opened: {why}; only plain drawings are published, unless `unsafe_html = true`"
    )
}

/// Paths at the top of the output folder that coachbook writes itself.
const RESERVED: &[&str] = &[
    "index.html",
    "404.html",
    "metrics.json",
    "sitemap.xml",
    "style.css",
    "search.js",
    "board.js",
    "changes.js",
];

/// The attachments of a site, with the indexes links are resolved by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachments {
    /// Paths inside `content/` with `/` separators, sorted.
    paths: Vec<String>,
    /// Folded path -> index in `paths`.
    by_path: FxHashMap<String, usize>,
    /// Folded file name -> indexes in `paths`.
    by_name: FxHashMap<String, Vec<usize>>,
    /// `unsafe_html`: SVGs are copied without inspection.
    trusted: bool,
}

/// What a link to an attachment finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One(String),
    Missing,
    /// Several attachments answer to the name: their paths.
    Many(Vec<String>),
}

impl Attachments {
    /// The attachments at these paths inside `content/`.
    pub fn new(mut paths: Vec<String>) -> Self {
        paths.sort();
        paths.dedup();
        let mut by_path = FxHashMap::default();
        let mut by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, p) in paths.iter().enumerate() {
            by_path.insert(fold_path_keep_ext(p), i);
            let name = p.rsplit('/').next().unwrap_or(p);
            by_name.entry(fold(name)).or_default().push(i);
        }
        Attachments {
            paths,
            by_path,
            by_name,
            trusted: false,
        }
    }

    /// The attachments whose path `keep` accepts, trusted as these are
    /// (an audience's: see `crate::audience`).
    pub fn only(&self, keep: impl Fn(&str) -> bool) -> Attachments {
        let mut a = Attachments::new(self.paths.iter().filter(|p| keep(p)).cloned().collect());
        a.trusted = self.trusted;
        a
    }

    /// Every attachment's path inside `content/`, sorted.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The attachment at exactly this path inside `content/` (folded).
    pub fn at_path(&self, path: &str) -> Option<&str> {
        let i = *self.by_path.get(&fold_path_keep_ext(path))?;
        Some(self.paths[i].as_str())
    }

    /// The attachment a link names: by its path from the top of
    /// `content/`, then by the end of a path (`img/photo.jpg` for
    /// `notes/img/photo.jpg`), then by file name.
    pub fn find(&self, target: &str) -> Found {
        let t = target.trim();
        if t.is_empty() {
            return Found::Missing;
        }
        if let Some(p) = self.at_path(t) {
            return Found::One(p.to_string());
        }
        let path = fold_path_keep_ext(t);
        let name = path.rsplit('/').next().unwrap_or(&path);
        let tail = format!("/{path}");
        let found: Vec<String> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|i| &self.paths[*i])
            .filter(|p| !path.contains('/') || fold_path_keep_ext(p).ends_with(&tail))
            .cloned()
            .collect();
        match found.len() {
            0 => Found::Missing,
            1 => Found::One(found.into_iter().next().unwrap_or_default()),
            _ => Found::Many(found),
        }
    }
}

/// A path folded like a note's (`fold_path`) but keeping its extension:
/// `Img/Photo.JPG` -> `img/photo.jpg`.
fn fold_path_keep_ext(p: &str) -> String {
    let parts: Vec<String> = p
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != ".")
        .map(fold)
        .collect();
    let joined = parts.join("/");
    // `fold_path` strips `.md`; a path without `.md` is kept as it is.
    if joined.ends_with(".md") {
        fold_path(&joined)
    } else {
        joined
    }
}

/// Why the attachment at `rel` (a path inside `content/`) is not
/// published, or `None` when it is.
pub fn not_published(rel: &str, unsafe_html: bool) -> Option<String> {
    if rel.contains('\\') || rel.contains(':') {
        return Some(
            "its name holds `\\` or `:`, which a web server cannot serve; rename it".to_string(),
        );
    }
    if RESERVED.contains(&rel)
        || rel.starts_with("__coachbook/")
        || rel.starts_with(crate::render::search::DIR)
    {
        return Some(format!("coachbook writes its own `{rel}` there; rename it"));
    }
    let ext = Path::new(rel)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if !unsafe_html && ext.as_deref().is_some_and(|e| ACTIVE.contains(&e)) {
        return Some(format!(
            "a `.{}` file runs in the browser as part of the site, like the raw HTML notes may not hold; it is published only with `unsafe_html = true`",
            ext.unwrap_or_default()
        ));
    }
    None
}

/// Whether `name` (a file's name) is an attachment's and not a note's.
fn is_attachment_name(name: &str) -> bool {
    !crate::content::is_ignored_name(name) && !name.ends_with(".md")
}

/// The attachments under the content folder of the site at `site_dir`,
/// and a warning for each file left unpublished.
pub fn scan(site_dir: &Path, unsafe_html: bool) -> (Attachments, Vec<Diagnostic>) {
    let content = site_dir.join("content");
    let mut paths = Vec::new();
    let mut diags = Vec::new();
    let walk = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by(crate::content::by_file_name)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())
        });
    for e in walk.filter_map(Result::ok) {
        // Regular files only: never a link, a FIFO or a device.
        if !e.file_type().is_file() || !is_attachment_name(&e.file_name().to_string_lossy()) {
            continue;
        }
        let rel = crate::content::rel_path(&content, e.path());
        let shown = format!("content/{rel}");
        let problem = match e.metadata() {
            Ok(m) if m.len() > MAX_ATTACHMENT_BYTES => Some(too_large(m.len())),
            Ok(_) => not_published(&rel, unsafe_html).or_else(|| {
                (!unsafe_html && is_svg(&rel))
                    .then(|| read_checked(site_dir, &rel, unsafe_html).err())
                    .flatten()
            }),
            Err(err) => Some(format!("it cannot be read: {err}")),
        };
        match problem {
            None => paths.push(rel),
            Some(why) => diags.push(unpublished(&shown, &why)),
        }
    }
    let mut found = Attachments::new(paths);
    found.trusted = unsafe_html;
    (found, diags)
}

fn too_large(len: u64) -> String {
    format!(
        "it is {}, over the limit of {} for one attachment",
        crate::content::limits::size(len),
        crate::content::limits::size(MAX_ATTACHMENT_BYTES)
    )
}

fn unpublished(file: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::AttachmentNotPublished,
        file,
        0,
        format!("this file is not published: {why}; links to it are broken"),
    )
    .with_help("keep large or active files outside content/ and link to where they are kept")
}

/// Whether `path` is an attachment file of the site at `site_dir` by the
/// rules of [`scan`] (for `serve`'s changed paths): under `content/`, in
/// no hidden folder, reached through no link, a regular file, not a note.
pub fn is_attachment_file(site_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site_dir.join("content")) else {
        return false;
    };
    let hidden = rel
        .components()
        .any(|c| crate::content::is_ignored_name(&c.as_os_str().to_string_lossy()));
    !hidden
        && crate::site_files::symlink_below(site_dir, path).is_none()
        && path
            .file_name()
            .is_some_and(|n| is_attachment_name(&n.to_string_lossy()))
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// The bytes of the attachment at `rel` (a path inside `content/`), read
/// through `site_files`: no link anywhere below the site, `O_NOFOLLOW`,
/// a regular file, at most [`MAX_ATTACHMENT_BYTES`]. `Err` says why not.
pub fn read(site_dir: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let abs: PathBuf = rel
        .split('/')
        .fold(site_dir.join("content"), |p, part| p.join(part));
    if let Some(link) = crate::site_files::symlink_below(site_dir, &abs) {
        return Err(crate::site_files::Refused::Symlink(link).to_string());
    }
    match crate::content::limits::read_capped(&abs, MAX_ATTACHMENT_BYTES) {
        Ok(crate::content::limits::Capped::Whole(bytes)) => Ok(bytes),
        Ok(crate::content::limits::Capped::TooLarge(len)) => Err(too_large(len)),
        Err(e) => Err(format!("it cannot be read: {e}")),
    }
}

/// Copies every attachment of `a` into `out`; returns the paths written
/// (inside the output folder) and a warning for each one that could not be.
pub fn publish(
    site_dir: &Path,
    a: &Attachments,
    out: &crate::output::Output,
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut written = Vec::with_capacity(a.paths.len());
    let mut diags = Vec::new();
    for rel in &a.paths {
        let copied = read_checked(site_dir, rel, a.trusted)
            .and_then(|b| out.write(rel, &b).map_err(|e| e.to_string()));
        match copied {
            Ok(()) => written.push(rel.clone()),
            Err(why) => diags.push(unpublished(&format!("content/{rel}"), &why)),
        }
    }
    (written, diags)
}

/// What `serve` does when paths under `content/` change: when one of
/// them may be an attachment (not a note), the attachments are found
/// again; if they are the same files with the same warnings, the ones
/// saved are copied into `out_dir` again and `None` is returned, else the
/// new attachments and warnings (every page is rendered again: links may
/// find other files now, and the full write publishes them).
pub fn changed(
    site_dir: &Path,
    out_dir: &Path,
    unsafe_html: bool,
    current: (&Attachments, &[Diagnostic]),
    paths: &[PathBuf],
) -> Option<(Attachments, Vec<Diagnostic>)> {
    let content = site_dir.join("content");
    let maybe = |p: &&PathBuf| p.starts_with(&content) && p.extension().is_none_or(|e| e != "md");
    if !paths.iter().any(|p| maybe(&p)) {
        return None;
    }
    let (now, diags) = scan(site_dir, unsafe_html);
    if now != *current.0 || diags != current.1 {
        return Some((now, diags));
    }
    let out = crate::output::Output::new(out_dir).ok()?;
    for p in paths.iter().filter(maybe) {
        let rel = crate::content::rel_path(&content, p);
        if now.paths.binary_search(&rel).is_ok() {
            // A file being saved may be unreadable for a moment; the next
            // save copies it.
            if let Ok(bytes) = read_checked(site_dir, &rel, unsafe_html) {
                let _ = out.write(&rel, &bytes);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;

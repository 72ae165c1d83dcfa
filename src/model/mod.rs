//! The typed notes: what the loader produces and every later stage reads.
//!
//! A [`Note`] carries what all notes share (id, title, tags, body, source
//! position) and a [`NoteData`] with the fields of its kind. References to
//! other notes are [`RefField`]s: the loader fills in what was written, the
//! link stage (`links.rs`) fills in `resolved`. Nothing here does I/O.
//!
//! Split by seam: `kind.rs` the kinds of note, `vocab.rs` the fixed value
//! lists of the contract as enums and how a written value matches one,
//! `data.rs` the fields of each kind, `note.rs` the note itself and the site.

mod data;
mod kind;
mod note;
mod vocab;

pub use data::*;
pub use kind::*;
pub use note::*;
pub use vocab::*;

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
    /// Set by `crate::audience`: the note it points to is left out of the
    /// audience being built, so it is shown as its text alone.
    pub excluded: bool,
}

impl RefField {
    pub fn new(field: &str, target: String, span: Span) -> Self {
        RefField {
            field: field.to_string(),
            target,
            span,
            resolved: None,
            excluded: false,
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
    /// Set by the link stage on every resolve when the link's heading or
    /// block is not found as written: the id of the heading `anchor` was
    /// matched to loosely (a fragment written for GitHub or another
    /// generator: `#loa-tldr` for "LOA TL;DR", whose id here is
    /// `loa-tl-dr`), or empty when the target has no such heading or
    /// block (the link then goes to the top of the page).
    pub heading_id: Option<String>,
    /// Set by the link stage: the link names a note or file of the vault
    /// that is not there (reported as `broken-link`), as opposed to a
    /// Markdown link to something outside the vault, left as written.
    pub broken: bool,
    /// Set by `crate::audience`: the link leads to a note the audience
    /// being built leaves out, so it is shown as its label text alone.
    pub excluded: bool,
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
            heading_id: None,
            broken: false,
            excluded: false,
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
            _ if self.heading_id.as_deref() == Some("") => String::new(),
            (Some(b), _) => format!("#{}", block_fragment(b)),
            (None, Some(_)) if self.heading_id.is_some() => {
                format!("#{}", self.heading_id.as_deref().unwrap_or_default())
            }
            (None, Some(h)) => format!("#{}", heading_anchor(h)),
            (None, None) => String::new(),
        }
    }
}

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
    pub span: Span,
    pub resolved: Option<NoteIdx>,
    pub kind: LinkKind,
    /// What few links have (a heading, a block, an attachment), boxed: a
    /// 100,000-note site holds a quarter of a million links for the whole
    /// build, and the four fields in place made each 168 bytes instead of
    /// 80 (see [`LinkExtra`]).
    extra: Option<Box<LinkExtra>>,
    /// Set by the link stage: the link names a note or file of the vault
    /// that is not there (reported as `broken-link`), as opposed to a
    /// Markdown link to something outside the vault, left as written.
    pub broken: bool,
    /// Set by `crate::audience`: the link leads to a note the audience
    /// being built leaves out, so it is shown as its label text alone.
    pub excluded: bool,
}

/// The parts of a [`WikiLink`] that most links do not have.
#[derive(Debug, Clone, PartialEq, Default)]
struct LinkExtra {
    /// The heading linked to, as written (`#Next steps`).
    anchor: Option<String>,
    /// The block id linked to, without its `^`.
    block: Option<String>,
    /// The attachment it resolved to instead of a note: its path inside
    /// `content/` (`img/photo.jpg`).
    attachment: Option<String>,
    /// Set by the link stage on every resolve when the link's heading or
    /// block is not found as written: the id of the heading `anchor` was
    /// matched to loosely (a fragment written for GitHub or another
    /// generator: `#loa-tldr` for "LOA TL;DR", whose id here is
    /// `loa-tl-dr`), or empty when the target has no such heading or
    /// block (the link then goes to the top of the page).
    heading_id: Option<String>,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<WikiLink>() <= 80);

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
        let mut l = WikiLink {
            target: t.note,
            span,
            resolved: None,
            kind: LinkKind::Wiki,
            extra: None,
            broken: false,
            excluded: false,
        };
        l.set_anchor(t.heading);
        l.set_block(t.block);
        l
    }

    /// The heading linked to, as written (`#Next steps`).
    pub fn anchor(&self) -> Option<&str> {
        self.extra.as_ref()?.anchor.as_deref()
    }

    /// The block id linked to, without its `^`.
    pub fn block(&self) -> Option<&str> {
        self.extra.as_ref()?.block.as_deref()
    }

    /// The attachment it resolved to instead of a note: its path inside
    /// `content/` (`img/photo.jpg`).
    pub fn attachment(&self) -> Option<&str> {
        self.extra.as_ref()?.attachment.as_deref()
    }

    /// The id of the heading the link's `anchor` was matched to loosely,
    /// or empty when its heading or block is not there (see the link
    /// stage); `None` when it was found as written.
    pub fn heading_id(&self) -> Option<&str> {
        self.extra.as_ref()?.heading_id.as_deref()
    }

    /// Sets one of the extra parts (`field` picks it): the box is made
    /// when a part is first set to something, and dropped when every part
    /// is unset again, so the link then equals one that never had them.
    fn set_extra(&mut self, v: Option<String>, field: fn(&mut LinkExtra) -> &mut Option<String>) {
        if v.is_some() {
            *field(self.extra.get_or_insert_with(Default::default)) = v;
        } else if let Some(e) = self.extra.as_deref_mut() {
            *field(e) = None;
            if *e == LinkExtra::default() {
                self.extra = None;
            }
        }
    }

    pub fn set_anchor(&mut self, v: Option<String>) {
        self.set_extra(v, |e| &mut e.anchor);
    }

    pub fn set_block(&mut self, v: Option<String>) {
        self.set_extra(v, |e| &mut e.block);
    }

    pub fn set_attachment(&mut self, v: Option<String>) {
        self.set_extra(v, |e| &mut e.attachment);
    }

    pub fn set_heading_id(&mut self, v: Option<String>) {
        self.set_extra(v, |e| &mut e.heading_id);
    }

    /// This link as `kind`.
    pub fn of_kind(mut self, kind: LinkKind) -> Self {
        self.kind = kind;
        self
    }

    /// Whether it leads somewhere: a note or an attachment.
    pub fn is_resolved(&self) -> bool {
        self.resolved.is_some() || self.attachment().is_some()
    }

    /// The URL fragment it points at on its target's page (`#next-steps`,
    /// `#%5Eblock`), or empty.
    pub fn fragment(&self) -> String {
        use crate::content::obsidian::{block_fragment, heading_anchor};
        match (self.block(), self.anchor()) {
            _ if self.heading_id() == Some("") => String::new(),
            (Some(b), _) => format!("#{}", block_fragment(b)),
            (None, Some(_)) if self.heading_id().is_some() => {
                format!("#{}", self.heading_id().unwrap_or_default())
            }
            (None, Some(h)) => format!("#{}", heading_anchor(h)),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn a_links_extra_parts_read_back_and_unset_leave_it_plain() {
        let mut l = WikiLink::new("Deal#Next steps", Span::default());
        assert_eq!(
            (l.target.as_str(), l.anchor(), l.block()),
            ("Deal", Some("Next steps"), None)
        );
        l.set_heading_id(Some("next-steps".into()));
        l.set_attachment(Some("img/a.png".into()));
        assert_eq!(
            (l.heading_id(), l.attachment()),
            (Some("next-steps"), Some("img/a.png"))
        );
        l.set_anchor(None);
        l.set_heading_id(None);
        l.set_attachment(None);
        assert_eq!(l, WikiLink::new("Deal", Span::default()));
        let b = WikiLink::new("Deal^b1", Span::default());
        assert_eq!((b.block(), b.fragment().as_str()), (Some("b1"), "#%5Eb1"));
    }
}

//! Loading notes: walk the content folder, read each `.md` file, split off
//! the frontmatter, and turn its YAML into a typed [`Note`].
//!
//! This stage checks what the types and ranges of single fields say
//! (`quota` is a number > 0, a date exists, a score is 0-3). Rules that
//! need the configuration or several fields or notes live in `validate.rs`.

pub mod attachments;
pub(crate) mod fields;
pub(crate) mod frontmatter;
pub(crate) mod limits;
pub mod obsidian;
pub mod wikilinks;

mod files;
mod kinds;
mod parse;
mod properties;
mod readahead;

pub use files::{by_file_name, content_dir, is_ignored_name, is_note_file, note_files};
pub use kinds::parse_period;
pub use parse::{body_text, load_bytes, parse_note, read_note, rel_path};
pub use readahead::map_in_order;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::*;
use fields::{did_you_mean, Reader};
use frontmatter::{Locator, Seg};
use serde_norway::{Mapping, Value};
use std::path::{Path, PathBuf};

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

/// How many notes a loader thread takes at a time ([`map_in_order`]):
/// small enough that no core parses a long last run alone while the
/// other waits (rayon's own split left one core the last 1,000-2,000
/// notes, about 120 ms of a 10,000-note build).
pub const NOTES_PER_TASK: usize = 16;

/// Loads every note of the site at `site_dir` (its `content/` folder).
pub fn load(site_dir: &Path, opts: &LoadOptions) -> (Vec<Note>, Diagnostics) {
    let content = site_dir.join("content");
    let files = note_files(&content);
    let results = map_in_order(&files, NOTES_PER_TASK, |abs| read_note(site_dir, abs, opts));
    let mut notes = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for (n, d) in results {
        notes.extend(n);
        diags.extend(d);
    }
    (notes, diags)
}

#[cfg(test)]
mod tests;

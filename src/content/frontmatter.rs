//! Splitting a note into frontmatter and body, parsing the YAML, and
//! finding where a key sits in the file so diagnostics can point at it.
//!
//! Split by seam: this file splits a note at its fences, `fast.rs`
//! parses the simple YAML most frontmatter is written in (and locates
//! its top-level fields), `locate.rs` finds keys and values (with the
//! line scanners of `scan.rs`), and `explain.rs` turns a YAML error into
//! a message for a person.

mod explain;
pub mod fast;
#[cfg(test)]
mod fast_tests;
mod locate;
mod scan;
#[cfg(test)]
mod tests;

pub use explain::explain_yaml_error;
pub use locate::{Locator, Seg};

/// A note's text split at its frontmatter fences.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when the note has none).
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
    /// Whether the note had a frontmatter block at all.
    pub has_frontmatter: bool,
}

/// Why a frontmatter block could not be split off.
#[derive(Debug, PartialEq)]
pub struct Unterminated;

/// Splits `text` (LF line endings, no BOM) into frontmatter and body. A note
/// whose first line is not `---` has no frontmatter: all of it is body.
pub fn split(text: &str) -> Result<Split<'_>, Unterminated> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
            has_frontmatter: false,
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
                has_frontmatter: true,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Unterminated)
}

//! The printer for people: each diagnostic with its source line, the
//! columns underlined, through codespan-reporting.

use super::machine::push_escaped;
use super::{escape_controls, Diagnostic, Diagnostics, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::WriteColor;
use std::path::Path;

/// Writes every diagnostic for people. Each file is read, and its lines
/// found, once for all its diagnostics (they are sorted by file).
pub fn print_human_all(out: &mut dyn WriteColor, diags: &Diagnostics, site: &Path) {
    let mut cache: Option<(&str, Option<Source>)> = None;
    for d in &diags.items {
        if cache.as_ref().is_none_or(|(f, _)| *f != d.file) {
            cache = Some((&d.file, read_source(site, d).map(Source::new)));
        }
        let source = cache.as_ref().and_then(|(_, s)| s.as_ref());
        print_with_source(out, d, source);
    }
}

/// A file's text and where each of its lines starts.
pub(super) struct Source {
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub(super) fn new(text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { text, line_starts }
    }

    /// Line `n` (1-based), without its line break.
    fn line(&self, n: usize) -> Option<&str> {
        let start = *self.line_starts.get(n.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(n)
            .map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }
}

/// The text of a diagnostic's file (for its snippet); big files, and
/// anything that is not a regular file, are not shown.
fn read_source(site: &Path, d: &Diagnostic) -> Option<String> {
    if d.file.is_empty() {
        return None;
    }
    let path = site.join(&d.file);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1_000_000 {
        return None;
    }
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"))
}

/// Writes one diagnostic for people, with a snippet when the file can be read.
pub fn print_human(out: &mut dyn WriteColor, d: &Diagnostic, site: &Path) {
    print_with_source(out, d, read_source(site, d).map(Source::new).as_ref());
}

fn print_with_source(out: &mut dyn WriteColor, d: &Diagnostic, source: Option<&Source>) {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(escape_controls(&d.message));
    if let Some(h) = &d.help {
        cs = cs.with_notes(vec![format!("help: {}", escape_controls(h))]);
    }
    let config = term::Config::default();
    let line = source.filter(|_| d.line > 0).and_then(|s| s.line(d.line));
    match line {
        Some(line) => {
            let (file, range) = Snippet::new(&d.file, d.line, line, d.column, d.end_column);
            cs = cs.with_labels(vec![Label::primary((), range)]);
            let _ = term::emit(out, &config, &file, &cs);
        }
        None => {
            if !d.file.is_empty() {
                let mut notes = vec![format!("in {}", escape_controls(&location(d)))];
                notes.append(&mut cs.notes);
                cs.notes = notes;
            }
            let file = SimpleFile::new("", "");
            let _ = term::emit(out, &config, &file, &cs);
        }
    }
}

fn location(d: &Diagnostic) -> String {
    match (d.line, d.column) {
        (0, _) => d.file.clone(),
        (l, 0) => format!("{}:{l}", d.file),
        (l, c) => format!("{}:{l}:{c}", d.file),
    }
}

/// A snippet line longer than this many characters is cut to a window of
/// [`WINDOW`] characters around the column.
const LONG_LINE: usize = 160;
pub(super) const WINDOW: usize = 120;
/// Of the window, how many characters come before the column.
const BEFORE: usize = 40;

/// The one line a snippet shows, as codespan-reporting sees a file: the
/// line (cut to a window around the column when long, with `…` where it
/// was cut) with its control characters escaped, numbered as in the real
/// file, and with columns counted in the real line.
pub(super) struct Snippet {
    name: String,
    line_number: usize,
    pub(super) text: String,
    /// For each character of the real line shown: where it starts in
    /// `text`, and its 1-based column in the real line.
    columns: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet of `line` (line `line_number` of `file`) and the range
    /// of `text` to underline: from the column (or the first non-blank
    /// character) to the end column, or to the end of the line when the
    /// end is not known.
    pub(super) fn new(
        file: &str,
        line_number: usize,
        line: &str,
        column: usize,
        end_column: usize,
    ) -> (Snippet, std::ops::Range<usize>) {
        let text_start = line.len() - line.trim_start().len();
        let from = match column {
            0 => text_start,
            c => line
                .char_indices()
                .nth(c - 1)
                .map_or(text_start, |(b, _)| b),
        };
        let to = match end_column {
            e if column > 0 && e > column => line
                .char_indices()
                .nth(e - 1)
                .map_or(line.len(), |(b, _)| b),
            _ => line.trim_end().len(),
        }
        .max(from);
        let to = if to == from {
            line[from..]
                .chars()
                .next()
                .map_or(from, |c| from + c.len_utf8())
        } else {
            to
        };
        // The window: all of a short line, else BEFORE characters before
        // the column and WINDOW in all.
        let (start, end) = if line.len() <= LONG_LINE {
            (0, line.len())
        } else {
            let start = line[..from]
                .char_indices()
                .rev()
                .nth(BEFORE - 1)
                .map_or(0, |(b, _)| b);
            let end = line[start..]
                .char_indices()
                .nth(WINDOW)
                .map_or(line.len(), |(b, _)| start + b);
            (start, end)
        };
        let first_column = line[..start].chars().count() + 1;
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        let mut columns = Vec::new();
        let (mut range_start, mut range_end) = (None, None);
        for (i, (b, c)) in line[start..end].char_indices().enumerate() {
            let b = start + b;
            if b == from {
                range_start = Some(text.len());
            }
            if b == to {
                range_end = Some(text.len());
            }
            columns.push((text.len(), first_column + i));
            push_escaped(&mut text, c);
        }
        let shown_end = text.len();
        if end < line.len() {
            text.push('…');
        }
        let range_start = range_start.unwrap_or(shown_end);
        let range = range_start..range_end.unwrap_or(shown_end).max(range_start);
        let snippet = Snippet {
            name: escape_controls(file).into_owned(),
            line_number,
            text,
            columns,
        };
        (snippet, range)
    }
}

impl<'a> Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line_number)
    }
    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        // The column of the last real character at or before `byte_index`;
        // past the end, one more than the last.
        Ok(
            match self.columns.partition_point(|(b, _)| *b <= byte_index) {
                0 => self.columns.first().map_or(1, |(_, c)| *c),
                n if n == self.columns.len() && byte_index >= self.text.len() => {
                    self.columns[n - 1].1 + 1
                }
                n => self.columns[n - 1].1,
            },
        )
    }
    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(FilesError::LineTooLarge { given, max: 0 }),
        }
    }
}

// The unit tests of the whole module sit beside it; they live under this
// printer so they can build its snippets directly.
#[cfg(test)]
#[path = "tests.rs"]
mod tests;

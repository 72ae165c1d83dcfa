//! One [`Diagnostic`] type for every problem a build finds, and its printers.
//!
//! Stages push diagnostics into a [`Diagnostics`] list and carry on: a bad
//! note never stops the build. [`Diagnostics::sort`] orders the list and
//! folds all but the first few of one code in one file into an "and N more"
//! line. The command decides the exit code from the counts
//! ([`Diagnostics::errors`], any diagnostic under `--strict`: see
//! `cmd::exit_code`). The printers write [`Format::Human`] (a source snippet
//! read from the file again, so no stage has to keep source text around),
//! JSON lines or GitHub workflow commands.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem in a note or in the site, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code (`missing-field`, `broken-link`, ...): see docs/diagnostics.md.
    pub code: &'static str,
    /// Path relative to the site root, `/`-separated; empty for site-wide problems.
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    /// 1-based, in characters (Unicode scalar values, not bytes or UTF-16
    /// units); 0 when unknown.
    pub column: usize,
    /// The column just past the last character of what the diagnostic is
    /// about (a value, a `[[link]]`), on `line`: the human format
    /// underlines `column..end_column`. 0 when unknown (the human format
    /// then underlines to the end of the line).
    pub end_column: usize,
    pub message: String,
    pub help: Option<String>,
    /// For an "and N more" line, the N problems it stands for; 0 for a
    /// problem of its own. Folding again keeps the count, so sorting
    /// twice never prints two summaries.
    pub folded: usize,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line,
            column: 0,
            end_column: 0,
            message: message.into(),
            help: None,
            folded: 0,
        }
    }

    pub fn warning(
        code: &'static str,
        file: &str,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, message)
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self.end_column = 0;
        self
    }

    /// At `span`: its line, its column and its end (when known).
    pub fn at_span(mut self, span: crate::model::Span) -> Self {
        self.line = span.line;
        self.column = span.col;
        self.end_column = if span.col > 0 && span.end_col > span.col {
            span.end_col
        } else {
            0
        };
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `content/deals/x.md:12:3: error[invalid-value]: message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            if self.line > 0 {
                write!(f, ":{}", self.line)?;
                if self.column > 0 {
                    write!(f, ":{}", self.column)?;
                }
            }
            f.write_str(": ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// How many diagnostics of one code one file reports before the rest are
/// counted in a single line.
pub const PER_FILE: usize = 20;

/// The diagnostics of one build, in a stable order once [`sort`](Self::sort)ed.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    /// Problems of each severity, counting what an "and N more" line
    /// stands for.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
    fn count(&self, severity: Severity) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| d.folded.max(1))
            .sum()
    }
    /// Sorts by file, line, column, then message, so output is reproducible
    /// whatever order the parallel stages found things in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message, a.code)
                .cmp(&(&b.file, b.line, b.column, &b.message, b.code))
        });
        // Placeholders (an empty message: a stage that explains only the
        // first few of many problems) are all alike, and each one counts.
        self.items.dedup_by(|a, b| a == b && !a.message.is_empty());
        self.cap();
    }

    /// Keeps the first [`PER_FILE`] diagnostics of each code in each file
    /// and folds the rest, with the placeholders, into one "and N more"
    /// line after the last of them, so a file with thousands of broken
    /// links cannot flood the output.
    fn cap(&mut self) {
        use std::collections::HashMap;
        // Per (file, code): problems of their own, placeholders (no
        // message: counted, never shown) and earlier summaries.
        let mut count: HashMap<(&str, &'static str), usize> = HashMap::new();
        let mut needs = false;
        for d in &self.items {
            let n = count.entry((d.file.as_str(), d.code)).or_default();
            *n += 1;
            needs |= *n > PER_FILE || d.message.is_empty() || d.folded > 0;
        }
        if !needs {
            return;
        }
        let totals: HashMap<(String, &'static str), usize> = count
            .into_iter()
            .map(|((f, c), n)| ((f.to_string(), c), n))
            .collect();
        // Per (file, code): items seen, problems kept, problems folded.
        let mut seen: HashMap<(String, &'static str), (usize, usize, usize)> = HashMap::new();
        let mut out = Vec::with_capacity(self.items.len().min(10_000));
        for d in self.items.drain(..) {
            let key = (d.file.clone(), d.code);
            let total = totals.get(&key).copied().unwrap_or(0);
            let (n, kept, folded) = seen.entry(key).or_default();
            *n += 1;
            let last = *n == total;
            let own = d.folded == 0 && !d.message.is_empty();
            let keep = own && *kept < PER_FILE;
            if keep {
                *kept += 1;
            } else if d.folded > 0 {
                *folded += d.folded;
            } else {
                *folded += 1;
            }
            let more = *folded;
            let summary = (last && more > 0).then(|| Diagnostic {
                line: 0,
                column: 0,
                end_column: 0,
                message: format!("and {more} more {} problems in this file", d.code),
                help: None,
                folded: more,
                ..d.clone()
            });
            if keep {
                out.push(d);
            }
            out.extend(summary);
        }
        self.items = out;
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: coloured on a terminal, with a source snippet.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// Prints every diagnostic to standard error in `format`. `site` is the
/// folder the diagnostics' paths are relative to (snippets are read from it).
pub fn print_all(diags: &Diagnostics, site: &Path, format: Format) {
    match format {
        Format::Human => {
            let choice = if std::env::var_os("NO_COLOR").is_some()
                || !std::io::IsTerminal::is_terminal(&std::io::stderr())
            {
                ColorChoice::Never
            } else {
                ColorChoice::Auto
            };
            let mut out = StandardStream::stderr(choice);
            print_human_all(&mut out, diags, site);
        }
        Format::Json => {
            for d in &diags.items {
                eprintln!("{}", to_json(d));
            }
        }
        Format::Github => {
            for d in &diags.items {
                eprintln!("{}", to_github(d));
            }
        }
    }
}

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
struct Source {
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    fn new(text: String) -> Source {
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
        .with_code(d.code)
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
const WINDOW: usize = 120;
/// Of the window, how many characters come before the column.
const BEFORE: usize = 40;

/// The one line a snippet shows, as codespan-reporting sees a file: the
/// line (cut to a window around the column when long, with `…` where it
/// was cut) with its control characters escaped, numbered as in the real
/// file, and with columns counted in the real line.
struct Snippet {
    name: String,
    line_number: usize,
    text: String,
    /// For each character of the real line shown: where it starts in
    /// `text`, and its 1-based column in the real line.
    columns: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet of `line` (line `line_number` of `file`) and the range
    /// of `text` to underline: from the column (or the first non-blank
    /// character) to the end column, or to the end of the line when the
    /// end is not known.
    fn new(
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

/// Whether `c` is left out of printed text: a control character (C0 but
/// the tab, DEL, C1: they move the cursor, clear the screen, set the
/// window title), a line or paragraph separator, or a bidi control (it
/// reorders what is shown after it).
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe_char(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `s` for printing: each character of [`is_unsafe_char`] (line breaks
/// included) written as a visible `\u{1b}` escape, so text from notes,
/// file names and CSV exports cannot steer the terminal or fake a line.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// [`escape_controls`], but keeping line breaks (`\n`): for messages that
/// are several lines by design.
pub fn escape_controls_keep_lines(s: &str) -> String {
    s.split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// One diagnostic as a JSON object (one line). serde_json writes C0
/// control characters as `\u001b`-style escapes; DEL, C1 controls, line
/// separators and bidi controls ([`is_unsafe_char`]) are escaped the same
/// way here, so the line is safe on a terminal and decodes to the same
/// text.
pub fn to_json(d: &Diagnostic) -> String {
    let json = serde_json::json!({
        "severity": d.severity.to_string(),
        "code": d.code,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "end_column": d.end_column,
        "message": d.message,
        "help": d.help,
    })
    .to_string();
    // Outside strings, serde_json writes only ASCII punctuation, digits
    // and keywords, so every such character here is inside a string.
    if !json.chars().any(is_unsafe_char) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One diagnostic as a GitHub Actions workflow command. Control characters
/// are first shown as `\u{1b}` ([`escape_controls`]; the message's `\r`
/// and `\n` are kept), then GitHub's own escapes apply: `%`, `\r` and `\n`
/// everywhere, and `:` and `,` in properties.
pub fn to_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!(
            "file={}",
            gh_escape_prop(&escape_controls(&d.file))
        ));
    }
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        // GitHub takes a column range on one line only.
        if d.column > 0 && d.end_column > d.column {
            props.push(format!("endLine={}", d.line));
        }
    }
    if d.column > 0 {
        props.push(format!("col={}", d.column));
        if d.line > 0 && d.end_column > d.column {
            props.push(format!("endColumn={}", d.end_column));
        }
    }
    props.push(format!("title={}", gh_escape_prop(d.code)));
    let mut msg = d.message.clone();
    if let Some(h) = &d.help {
        msg.push_str(&format!(" (help: {h})"));
    }
    format!(
        "::{kind} {}::{}",
        props.join(","),
        gh_escape_data(
            &msg.split('\r')
                .map(escape_controls_keep_lines)
                .collect::<Vec<_>>()
                .join("\r")
        )
    )
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_twice_keeps_one_summary_with_the_right_count() {
        let mut d = Diagnostics::default();
        for line in 1..=100 {
            d.push(Diagnostic::warning(
                "broken-link",
                "content/a.md",
                line,
                "x",
            ));
        }
        // Placeholders from the link stage: counted, never shown.
        for _ in 0..50 {
            d.push(Diagnostic::warning(
                "broken-link",
                "content/a.md",
                101,
                String::new(),
            ));
        }
        d.sort();
        d.sort();
        d.sort();
        let shown: Vec<&Diagnostic> = d.items.iter().filter(|x| x.folded == 0).collect();
        let summaries: Vec<&Diagnostic> = d.items.iter().filter(|x| x.folded > 0).collect();
        assert_eq!(shown.len(), PER_FILE);
        assert_eq!(summaries.len(), 1, "{summaries:?}");
        assert_eq!(summaries[0].folded, 150 - PER_FILE);
        assert_eq!(
            d.warnings(),
            150,
            "the summary line counts for what it folds"
        );
        assert_eq!(
            summaries[0].message,
            format!(
                "and {} more broken-link problems in this file",
                150 - PER_FILE
            )
        );
    }

    #[test]
    fn display_has_file_line_and_code() {
        let d = Diagnostic::error("invalid-value", "content/a.md", 4, "quota must be a number")
            .at_column(8);
        assert_eq!(
            d.to_string(),
            "content/a.md:4:8: error[invalid-value]: quota must be a number"
        );
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::warning("broken-link", "content/a,b.md", 3, "50% broken\nnext");
        assert_eq!(
            to_github(&d),
            "::warning file=content/a%2Cb.md,line=3,title=broken-link::50%25 broken%0Anext"
        );
    }

    #[test]
    fn snippet_range_points_at_the_line() {
        let src = Source::new("---\nquota: lots\n---\n".into());
        assert_eq!(src.line(2), Some("quota: lots"));
        assert_eq!(src.line(4), Some(""));
        assert_eq!(src.line(5), None);
        assert_eq!(src.line(0), None);
        let (s, r) = Snippet::new("a.md", 2, "quota: lots", 0, 0);
        assert_eq!((s.text.as_str(), r), ("quota: lots", 0..11));
        let (s, r) = Snippet::new("a.md", 2, "quota: lots", 8, 0);
        assert_eq!(&s.text[r], "lots");
        assert_eq!(s.column_number((), 0, 7).ok(), Some(8));
        // An empty line, a column past the end.
        assert_eq!(Snippet::new("a.md", 1, "", 0, 0).1, 0..0);
        assert_eq!(Snippet::new("a.md", 1, "ab", 9, 0).1, 0..2);
    }

    #[test]
    fn snippets_escape_controls_and_keep_real_columns() {
        let line = "x \u{1b}]0;pwned\u{7} [[y]] \u{202e}z";
        let col = line.chars().position(|c| c == '[').unwrap() + 1;
        let (s, r) = Snippet::new("a\u{1b}[2J.md", 3, line, col, col + 5);
        assert!(!s.text.chars().any(is_unsafe_char), "{:?}", s.text);
        assert!(!s.name.chars().any(is_unsafe_char));
        assert_eq!(s.text, "x \\u{1b}]0;pwned\\u{7} [[y]] \\u{202e}z");
        assert!(s.text[r.clone()].starts_with("[[y]]"));
        assert_eq!(s.column_number((), 0, r.start).ok(), Some(col));
    }

    #[test]
    fn long_lines_show_a_window_around_the_column() {
        let line = format!("{}[[here]]{}", "a".repeat(100_000), "b".repeat(100_000));
        let (s, r) = Snippet::new("a.md", 7, &line, 100_001, 0);
        assert!(s.text.chars().count() <= WINDOW + 2, "{}", s.text.len());
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(s.text[r.clone()].starts_with("[[here]]"));
        assert_eq!(s.column_number((), 0, r.start).ok(), Some(100_001));
        assert_eq!(s.line_number((), 0).ok(), Some(7));
    }

    #[test]
    fn every_format_escapes_terminal_controls() {
        let evil = "a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}31m\u{7f}\u{202e}\u{2066}c\td";
        let d = Diagnostic::warning("broken-link", "content/\u{1b}[2J.md", 1, evil).with_help(evil);
        for text in [to_json(&d), to_github(&d)] {
            assert!(!text.chars().any(is_unsafe_char), "{text:?}");
        }
        // JSON still decodes to the same text.
        let back: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
        assert_eq!(back["message"], evil);
        assert_eq!(back["file"], "content/\u{1b}[2J.md");
        assert_eq!(escape_controls("tab\tstays"), "tab\tstays");
        assert_eq!(escape_controls("a\nb"), "a\\u{a}b");
        assert_eq!(escape_controls_keep_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
        // The human printer, snippet included.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            format!("---\ntitle: {evil}\n---\n"),
        )
        .unwrap();
        let d = Diagnostic::error("invalid-value", "a.md", 2, evil).with_help(evil);
        let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        print_human(&mut buf, &d, dir.path());
        let text = String::from_utf8(buf.into_inner()).unwrap();
        assert!(
            !text.chars().any(|c| is_unsafe_char(c) && c != '\n'),
            "{text}"
        );
        assert!(text.contains("title: a\\u{1b}]0;pwned"), "{text}");
    }

    #[test]
    fn many_problems_are_capped_and_placeholders_counted() {
        let mut ds = Diagnostics::default();
        for i in 0..30 {
            ds.push(
                Diagnostic::warning("broken-link", "a.md", 5, format!("link {i:02}"))
                    .at_column(i + 1),
            );
        }
        // What the link stage pushes beyond the first few: all alike.
        for _ in 0..1000 {
            ds.push(Diagnostic::warning("broken-link", "a.md", 5, String::new()));
        }
        ds.push(Diagnostic::error("invalid-value", "a.md", 2, "quota"));
        ds.sort();
        let msgs: Vec<&str> = ds.items.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 22, "{msgs:?}");
        assert_eq!(msgs[0], "quota");
        assert_eq!(msgs[1], "link 00");
        assert_eq!(msgs[20], "link 19");
        assert_eq!(msgs[21], "and 1010 more broken-link problems in this file");
        assert!(msgs.iter().all(|m| !m.is_empty()));
    }

    #[test]
    fn github_properties_escape_colons_and_commas() {
        let d = Diagnostic::error("invalid-value", "content/a:b,c%d.md", 2, "m:1,2%\r\n");
        assert_eq!(
            to_github(&d),
            "::error file=content/a%3Ab%2Cc%25d.md,line=2,title=invalid-value::m:1,2%25%0D%0A"
        );
    }

    #[test]
    fn spans_are_underlined_and_printed_in_every_format() {
        let span = crate::model::Span {
            line: 7,
            col: 8,
            end_col: 17,
        };
        let d = Diagnostic::warning("broken-link", "content/a.md", 0, "link").at_span(span);
        assert_eq!((d.line, d.column, d.end_column), (7, 8, 17));
        assert_eq!(
            d.to_string(),
            "content/a.md:7:8: warning[broken-link]: link"
        );
        let json: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
        assert_eq!(
            (json["column"].as_u64(), json["end_column"].as_u64()),
            (Some(8), Some(17))
        );
        assert_eq!(
            to_github(&d),
            "::warning file=content/a.md,line=7,endLine=7,col=8,endColumn=17,title=broken-link::link"
        );
        // No extent known: no end, in any format.
        let d = d.at_column(8);
        assert_eq!(d.end_column, 0);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&to_json(&d)).unwrap()["end_column"],
            0
        );
        assert!(!to_github(&d).contains("endColumn"));
        // An end before the start is no extent.
        let d = d.at_span(crate::model::Span {
            line: 7,
            col: 8,
            end_col: 3,
        });
        assert_eq!(d.end_column, 0);
    }

    #[test]
    fn the_caret_underlines_the_span_in_characters() {
        let line = "日本語の説明 [[存在しない]] と [[x]]";
        let (s, r) = Snippet::new("a.md", 7, line, 8, 17);
        assert_eq!(&s.text[r.clone()], "[[存在しない]]");
        assert_eq!(s.column_number((), 0, r.start).ok(), Some(8));
        let (s, r) = Snippet::new("a.md", 7, line, 20, 25);
        assert_eq!(&s.text[r], "[[x]]");
        // An end past the line: to its end.
        let (s, r) = Snippet::new("a.md", 7, "quota: lots", 8, 99);
        assert_eq!(&s.text[r], "lots");
        // In a long line's window, the span is cut where the window is.
        let long = format!("{}[[here]]{}", "é".repeat(1000), "b".repeat(1000));
        let (s, r) = Snippet::new("a.md", 7, &long, 1001, 1009);
        assert_eq!(&s.text[r.clone()], "[[here]]");
        assert_eq!(s.column_number((), 0, r.start).ok(), Some(1001));
        // Through codespan: the carets sit under the link only.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), format!("---\n---\n{line}\n")).unwrap();
        let d = Diagnostic::warning("broken-link", "a.md", 0, "link").at_span(crate::model::Span {
            line: 3,
            col: 20,
            end_col: 25,
        });
        let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        print_human(&mut buf, &d, dir.path());
        let text = String::from_utf8(buf.into_inner()).unwrap();
        assert!(text.contains("a.md:3:20"), "{text}");
        let carets: Vec<&str> = text.lines().filter(|l| l.contains('^')).collect();
        assert_eq!(carets.len(), 1, "{text}");
        assert_eq!(
            carets[0].trim_start_matches([' ', '│']).trim_end(),
            "^^^^^",
            "{text}"
        );
    }

    #[test]
    fn human_output_shows_snippet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nquota: lots\n---\n").unwrap();
        let d = Diagnostic::error("invalid-value", "a.md", 2, "quota must be a number");
        let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        print_human(&mut buf, &d, dir.path());
        let text = String::from_utf8(buf.into_inner()).unwrap();
        assert!(text.contains("quota: lots"), "{text}");
        assert!(text.contains("a.md:2"), "{text}");
    }
}

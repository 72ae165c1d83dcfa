//! One [`Diagnostic`] type for every problem a build finds, and its printers.
//!
//! Stages push diagnostics into a [`Diagnostics`] list and carry on: a bad
//! note never stops the build. The command decides the exit code from the
//! list (`has_errors`, `--strict`). Printing reads the file again to show a
//! snippet, so no stage has to keep source text around.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
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
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line,
            column: 0,
            message: message.into(),
            help: None,
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
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
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
        let mut count: HashMap<(&str, &'static str), usize> = HashMap::new();
        for d in &self.items {
            *count.entry((d.file.as_str(), d.code)).or_default() += 1;
        }
        if count.values().all(|n| *n <= PER_FILE)
            && self.items.iter().all(|d| !d.message.is_empty())
        {
            return;
        }
        let totals: HashMap<(String, &'static str), usize> = count
            .into_iter()
            .map(|((f, c), n)| ((f.to_string(), c), n))
            .collect();
        // Per (file, code): how many were seen, and how many kept.
        let mut seen: HashMap<(String, &'static str), (usize, usize)> = HashMap::new();
        let mut out = Vec::with_capacity(self.items.len().min(10_000));
        for d in self.items.drain(..) {
            let key = (d.file.clone(), d.code);
            let total = totals.get(&key).copied().unwrap_or(0);
            let (n, kept) = seen.entry(key).or_default();
            *n += 1;
            let last = *n == total;
            let keep = !d.message.is_empty() && *kept < PER_FILE;
            if keep {
                *kept += 1;
            }
            let more = total - *kept;
            if last && more > 0 {
                let summary = Diagnostic {
                    line: 0,
                    column: 0,
                    message: format!("and {more} more {} problems in this file", d.code),
                    help: None,
                    ..d.clone()
                };
                if keep {
                    out.push(d);
                }
                out.push(summary);
            } else if keep {
                out.push(d);
            }
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
            let mut cache: Option<(String, Option<String>)> = None;
            for d in &diags.items {
                if cache.as_ref().is_none_or(|(f, _)| *f != d.file) {
                    cache = Some((d.file.clone(), read_source(site, d)));
                }
                let source = cache.as_ref().and_then(|(_, s)| s.as_deref());
                print_with_source(&mut out, d, source);
            }
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

/// The text of a diagnostic's file (for its snippet); big files are not
/// shown.
fn read_source(site: &Path, d: &Diagnostic) -> Option<String> {
    if d.file.is_empty() {
        return None;
    }
    let path = site.join(&d.file);
    if std::fs::metadata(&path).ok()?.len() > 1_000_000 {
        return None;
    }
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"))
}

/// Writes one diagnostic for people, with a snippet when the file can be read.
pub fn print_human(out: &mut dyn WriteColor, d: &Diagnostic, site: &Path) {
    print_with_source(out, d, read_source(site, d).as_deref());
}

fn print_with_source(out: &mut dyn WriteColor, d: &Diagnostic, source: Option<&str>) {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity)
        .with_code(d.code)
        .with_message(&d.message);
    if let Some(h) = &d.help {
        cs = cs.with_notes(vec![format!("help: {h}")]);
    }
    let config = term::Config::default();
    let source = source.filter(|_| d.line > 0);
    match source.and_then(|s| byte_range(s, d.line, d.column).map(|r| (s, r))) {
        Some((src, range)) => {
            let file = SimpleFile::new(d.file.as_str(), src);
            cs = cs.with_labels(vec![Label::primary((), range)]);
            let _ = term::emit(out, &config, &file, &cs);
        }
        None => {
            if !d.file.is_empty() {
                let mut notes = vec![format!("in {}", location(d))];
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

/// The byte range to underline: from the column (or the first non-blank
/// character) to the end of the line.
fn byte_range(src: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in src.split('\n').enumerate() {
        if i + 1 == line {
            let text_start = l.len() - l.trim_start().len();
            let col = if column > 0 {
                l.char_indices()
                    .nth(column - 1)
                    .map(|(b, _)| b)
                    .unwrap_or(text_start)
            } else {
                text_start
            };
            let end = l.trim_end().len().max(col);
            let end = if end == col {
                (col + 1).min(l.len())
            } else {
                end
            };
            return Some(start + col..start + end.max(col));
        }
        start += l.len() + 1;
    }
    None
}

/// One diagnostic as a JSON object (one line).
pub fn to_json(d: &Diagnostic) -> String {
    serde_json::json!({
        "severity": d.severity.to_string(),
        "code": d.code,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "message": d.message,
        "help": d.help,
    })
    .to_string()
}

/// One diagnostic as a GitHub Actions workflow command.
pub fn to_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!("file={}", gh_escape_prop(&d.file)));
    }
    if d.line > 0 {
        props.push(format!("line={}", d.line));
    }
    if d.column > 0 {
        props.push(format!("col={}", d.column));
    }
    props.push(format!("title={}", gh_escape_prop(d.code)));
    let mut msg = d.message.clone();
    if let Some(h) = &d.help {
        msg.push_str(&format!(" (help: {h})"));
    }
    format!("::{kind} {}::{}", props.join(","), gh_escape_data(&msg))
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
    fn byte_range_points_at_the_line() {
        let src = "---\nquota: lots\n---\n";
        assert_eq!(byte_range(src, 2, 0), Some(4..15));
        assert_eq!(byte_range(src, 2, 8), Some(11..15));
        assert_eq!(byte_range(src, 9, 0), None);
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

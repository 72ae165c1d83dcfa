//! One [`Diagnostic`] type for every problem a build finds, and its printers.
//!
//! Stages push diagnostics into a [`Diagnostics`] list and carry on: a bad
//! note never stops the build. The command decides the exit code from the
//! list (its errors, and its warnings under `--strict`). Printing reads the
//! file again to show a snippet, so no stage has to keep source text around.
//!
//! Split by seam: this file holds the type and the list, `code.rs` the
//! stable codes, `human.rs` the
//! printer for people (source snippets through codespan-reporting),
//! `machine.rs` JSON lines, GitHub workflow commands and the escaping of
//! control characters every printer shares.

mod code;
mod human;
mod machine;

pub use code::Code;

pub use human::{print_human, print_human_all};
pub use machine::{
    escape_controls, escape_controls_keep_lines, is_unsafe_char, to_github, to_json,
};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
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
    pub code: Code,
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
    pub fn error(code: Code, file: &str, line: usize, message: impl Into<String>) -> Self {
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

    pub fn warning(code: Code, file: &str, line: usize, message: impl Into<String>) -> Self {
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
            (&a.file, a.line, a.column, &a.message, a.code.as_str()).cmp(&(
                &b.file,
                b.line,
                b.column,
                &b.message,
                b.code.as_str(),
            ))
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
        let mut count: HashMap<(&str, Code), usize> = HashMap::new();
        let mut needs = false;
        for d in &self.items {
            let n = count.entry((d.file.as_str(), d.code)).or_default();
            *n += 1;
            needs |= *n > PER_FILE || d.message.is_empty() || d.folded > 0;
        }
        if !needs {
            return;
        }
        let totals: HashMap<(String, Code), usize> = count
            .into_iter()
            .map(|((f, c), n)| ((f.to_string(), c), n))
            .collect();
        // Per (file, code): items seen, problems kept, problems folded.
        let mut seen: HashMap<(String, Code), (usize, usize, usize)> = HashMap::new();
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

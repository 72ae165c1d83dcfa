//! The printers for machines (JSON lines, GitHub workflow commands) and
//! the escaping of control characters that every printer shares.

use super::{Diagnostic, Severity};

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

pub(super) fn push_escaped(out: &mut String, c: char) {
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
    props.push(format!("title={}", gh_escape_prop(d.code.as_str())));
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

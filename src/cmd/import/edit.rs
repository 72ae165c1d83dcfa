//! Writing the keys an import owns into a note's frontmatter, as text.
//!
//! A manager edits the deal notes an import made: comments beside a value,
//! keys in their own order, keys of their own, the body. Re-serialising
//! the YAML would lose the comments and the layout, so a re-import edits
//! the frontmatter line by line instead: a changed key's line is replaced
//! (a comment after its value is kept), a new key is added at the end of
//! the frontmatter, and every other byte stays as it was. The result is
//! parsed again and checked: the owned keys read back as written and
//! every other key reads back unchanged, or the note is not touched.

use serde_norway::{Mapping, Value};

/// A value the import writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    Num(f64),
}

impl Scalar {
    /// The YAML for it: text always double-quoted ([`yaml_quote`]).
    pub fn yaml(&self) -> String {
        match self {
            Scalar::Text(s) => yaml_quote(s),
            Scalar::Num(x) => num_text(*x),
        }
    }

    fn show(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Num(x) => num_text(*x),
        }
    }

    /// Whether a value read from a note is this one.
    fn same_as(&self, v: &Value) -> bool {
        match (self, v) {
            (Scalar::Num(a), Value::Number(b)) => b.as_f64() == Some(*a),
            (Scalar::Text(a), Value::String(b)) => a == b,
            _ => false,
        }
    }
}

/// A number as YAML: whole numbers without a fraction.
pub fn num_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "nothing".into(),
        _ => "a list or map".into(),
    }
}

/// `s` as a YAML double-quoted scalar that every YAML reader (1.1 or 1.2)
/// reads back as exactly `s`, on one line: `"`, `\\`, line breaks (`\n`,
/// `\r`, U+0085, U+2028, U+2029), tabs, control characters, bidi controls
/// and byte-order marks are written as escapes. So `yes` stays text in
/// Obsidian, and a newline in a CSV field can never start a new key or
/// close the frontmatter.
pub(crate) fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{61c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{2028}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{feff}'
                        | '\u{fffe}'
                        | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of a new note with `fields` as its frontmatter and `body`.
pub fn new_note(fields: &[(&str, Scalar)], body: &str) -> String {
    let mut out = String::from("---\n");
    for (k, v) in fields {
        out.push_str(&format!("{k}: {}\n", v.yaml()));
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

/// Where the frontmatter of `text` is: (start of its first YAML line, end
/// of its last YAML line, the line ending of its opening fence).
fn fences(text: &str) -> Result<(usize, usize, &'static str), String> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .ok_or("it has no frontmatter")?;
    if text[start..first_end].trim_end() != "---" {
        return Err("it has no frontmatter".into());
    }
    let eol = if text[..first_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            return Ok((yaml_start, pos, eol));
        }
        pos = end + 1;
    }
    Err("its frontmatter is never closed".into())
}

/// Whether `line` is the top-level line of `key` (`key:` at column 0).
fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// Whether `line` continues the value of the key above it: indented, or a
/// block sequence item at column 0.
fn continues(line: &str) -> bool {
    line.starts_with([' ', '\t']) || line.starts_with("- ") || line.trim_end() == "-"
}

/// The comment after a one-line value (with the spaces before it), or "".
fn trailing_comment(after_colon: &str) -> &str {
    let v = after_colon.trim_start_matches([' ', '\t']);
    let offset = after_colon.len() - v.len();
    let end = if let Some(rest) = v.strip_prefix('"') {
        let mut escaped = false;
        let mut close = None;
        for (i, c) in rest.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    close = Some(i + 2);
                    break;
                }
                _ => {}
            }
        }
        match close {
            Some(c) => c,
            None => return "",
        }
    } else if let Some(rest) = v.strip_prefix('\'') {
        let b = rest.as_bytes();
        let mut i = 0;
        let mut close = None;
        while i < b.len() {
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                close = Some(i + 2);
                break;
            }
            i += 1;
        }
        match close {
            Some(c) => c,
            None => return "",
        }
    } else {
        0
    };
    let tail = &v[end..];
    // A comment starts at a `#` after whitespace (or at the value's start).
    let hash = tail
        .char_indices()
        .find(|&(i, c)| {
            c == '#' && (i == 0 && end == 0 && offset > 0 || tail[..i].ends_with([' ', '\t']))
        })
        .map(|(i, _)| i);
    match hash {
        Some(i) => {
            let before = tail[..i].trim_end_matches([' ', '\t']);
            &after_colon[offset + end + before.len()..]
        }
        None => "",
    }
}

/// Sets `fields` in the frontmatter of `text` by editing its lines;
/// returns the new text and what changed (nothing: the note is as the
/// export says).
pub fn edit(text: &str, fields: &[(&str, Scalar)]) -> Result<(String, Vec<String>), String> {
    let (ys, ye, eol) = fences(text)?;
    let yaml = &text[ys..ye];
    let old: Mapping = if yaml.trim().is_empty() {
        Mapping::new()
    } else {
        serde_norway::from_str(yaml)
            .map_err(|e| format!("its frontmatter is not valid YAML: {e}"))?
    };
    let mut lines: Vec<String> = yaml.split_inclusive('\n').map(str::to_string).collect();
    let mut changed = Vec::new();
    for (k, v) in fields {
        let before = old.get(*k);
        if before.is_some_and(|b| v.same_as(b)) {
            continue;
        }
        changed.push(match before {
            Some(b) => format!("{k} {} -> {}", show(b), v.show()),
            None => format!("{k} set to {}", v.show()),
        });
        match lines.iter().position(|l| is_key_line(l, k)) {
            Some(i) => {
                let line = &lines[i];
                let line_eol = if line.ends_with("\r\n") {
                    "\r\n"
                } else if line.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let body = line.trim_end_matches(['\n', '\r']);
                let after_colon = body.split_once(':').map_or("", |x| x.1);
                let mut j = i + 1;
                while j < lines.len() {
                    // A blank line inside a block value continues it.
                    let next = lines[j..].iter().find(|l| !l.trim().is_empty());
                    if next.is_some_and(|l| continues(l)) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let mut comment = if j == i + 1 {
                    trailing_comment(after_colon).to_string()
                } else {
                    String::new()
                };
                if !comment.is_empty() && !comment.starts_with([' ', '\t']) {
                    comment.insert(0, ' ');
                }
                let new_line = format!("{k}: {}{comment}{line_eol}", v.yaml());
                lines.splice(i..j, [new_line]);
            }
            None => {
                if lines.last().is_some_and(|l| !l.ends_with('\n')) {
                    if let Some(l) = lines.last_mut() {
                        l.push_str(eol);
                    }
                }
                lines.push(format!("{k}: {}{eol}", v.yaml()));
            }
        }
    }
    if changed.is_empty() {
        return Ok((text.to_string(), changed));
    }
    let new_yaml = lines.concat();
    // The edit must say exactly what was meant, and nothing else.
    let new: Mapping = serde_norway::from_str(&new_yaml)
        .map_err(|e| format!("its frontmatter cannot be updated line by line ({e})"))?;
    for (k, v) in fields {
        if !new.get(*k).is_some_and(|n| v.same_as(n)) {
            return Err(format!(
                "its frontmatter cannot be updated line by line (the key {k} is written in a way the import does not edit)"
            ));
        }
    }
    for (k, v) in &old {
        let owned = k
            .as_str()
            .is_some_and(|k| fields.iter().any(|(f, _)| *f == k));
        if !owned && new.get(k) != Some(v) {
            return Err(
                "its frontmatter cannot be updated line by line without changing other keys".into(),
            );
        }
    }
    Ok((format!("{}{new_yaml}{}", &text[..ys], &text[ye..]), changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Scalar {
        Scalar::Text(s.into())
    }

    #[test]
    fn a_reimport_changes_only_the_owned_lines() {
        let text = "---\n# Imported from Salesforce; keep the MEDDPICC below current.\ntype: deal\nname: \"Gamma\"\nkey_question: Who signs?   # ask on Friday\nvalue: 180000   # verbal from the CFO\nstage: \"proposal\" # moved in May\nmeddpicc:\n  champion: {score: 2}   # Dana\n  metrics:\n    score: 1\nowner: ana-silva\n---\nManager's notes.\n\n- keep this\n";
        let fields = [
            ("name", t("Gamma")),
            ("value", Scalar::Num(200000.0)),
            ("stage", t("negotiation")),
            ("owner", t("ana-silva")),
            ("next_step", t("Legal review")),
        ];
        let (new, changed) = edit(text, &fields).unwrap();
        assert_eq!(
            changed,
            [
                "value 180000 -> 200000",
                "stage proposal -> negotiation",
                "next_step set to Legal review"
            ]
        );
        let expected = text
            .replace(
                "value: 180000   # verbal from the CFO",
                "value: 200000   # verbal from the CFO",
            )
            .replace(
                "stage: \"proposal\" # moved in May",
                "stage: \"negotiation\" # moved in May",
            )
            .replace(
                "owner: ana-silva\n---",
                "owner: ana-silva\nnext_step: \"Legal review\"\n---",
            );
        assert_eq!(new, expected);
        // Again: nothing to do, and the text is the same.
        let (again, none) = edit(&new, &fields).unwrap();
        assert!(none.is_empty());
        assert_eq!(again, new);
    }

    #[test]
    fn crlf_bom_and_multi_line_values() {
        let text = "\u{feff}---\r\ntype: deal\r\nname: >\r\n  Old\r\n  name\r\nvalue: 5\r\n---\r\nBody\r\n";
        let (new, _) = edit(
            text,
            &[("name", t("New")), ("probability", Scalar::Num(40.0))],
        )
        .unwrap();
        assert_eq!(
            new,
            "\u{feff}---\r\ntype: deal\r\nname: \"New\"\r\nvalue: 5\r\nprobability: 40\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn comments_are_found_after_quoted_and_plain_values() {
        assert_eq!(trailing_comment(" 5   # x"), "   # x");
        assert_eq!(trailing_comment(" \"a # b\"  # c"), "  # c");
        assert_eq!(trailing_comment(" 'it''s # x' # y"), " # y");
        assert_eq!(trailing_comment(" a#b"), "");
        assert_eq!(trailing_comment(" \"a\\\" # b\""), "");
        assert_eq!(trailing_comment(""), "");
        assert_eq!(trailing_comment("   # only a comment"), "# only a comment");
    }

    #[test]
    fn a_frontmatter_the_import_cannot_edit_is_left_alone() {
        // A flow mapping on the key's line is not something to splice into.
        assert!(edit(
            "---\n{type: deal, value: 5}\n---\n",
            &[("value", Scalar::Num(6.0))]
        )
        .is_err());
        assert!(edit("---\nvalue: [\n---\n", &[("value", Scalar::Num(6.0))]).is_err());
        assert!(edit("no frontmatter\n", &[("value", Scalar::Num(6.0))]).is_err());
    }
}

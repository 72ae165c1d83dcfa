//! The top-level fields coachbook does not read, kept as a note's
//! "Properties", with the `[[links]]` written in them.

use super::kinds::known_fields;
use super::*;

/// A note's properties (key, value as text) and the links in them (index
/// of the property, link).
type Properties = (Vec<(String, String)>, Vec<(usize, WikiLink)>);

/// The top-level fields coachbook does not read (`people`, `status`,
/// `source`...): kept as they were written, in order, and shown in a
/// "Properties" table on the note's page instead of vanishing. A key
/// that starts with `_` is the author's own and is never shown.
///
/// A `[[wikilink]]` in one (`people: "[[Steph Ango]]"`, or a list of them)
/// is a link: returned with the index of its property, at the line of
/// its list item (or of the key).
pub(crate) fn properties(map: &Mapping, loc: &Locator, kind: Kind, type_key: &str) -> Properties {
    let known: Vec<&str> = known_fields(kind)
        .into_iter()
        .map(|k| if k == "type" { type_key } else { k })
        .collect();
    let mut props = Vec::new();
    let mut links = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if known.contains(&key) || key.starts_with('_') {
            continue;
        }
        let text = property_text(v);
        if text.contains("[[") {
            // Where each item of a list of scalars starts in the text.
            let starts: Vec<usize> = match v {
                Value::Sequence(items)
                    if items
                        .iter()
                        .all(|i| !matches!(i, Value::Sequence(_) | Value::Mapping(_))) =>
                {
                    let mut at = 0;
                    items
                        .iter()
                        .map(|i| {
                            let start = at;
                            at += property_text(i).len() + 2;
                            start
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            for (range, dest, _) in obsidian::text_links(&text) {
                let item = starts.partition_point(|s| *s <= range.start);
                let span = match item.checked_sub(1) {
                    Some(i) if !starts.is_empty() => loc.find(&[Seg::Key(key), Seg::Index(i)]),
                    _ => loc.find(&[Seg::Key(key)]),
                };
                links.push((props.len(), WikiLink::new(&dest, span)));
            }
        }
        props.push((key.to_string(), text));
    }
    (props, links)
}

/// A property's value as text: scalars as written, a list of scalars
/// joined with commas, anything deeper as compact JSON.
fn property_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items)
            if items
                .iter()
                .all(|i| !matches!(i, Value::Sequence(_) | Value::Mapping(_))) =>
        {
            items
                .iter()
                .map(property_text)
                .collect::<Vec<_>>()
                .join(", ")
        }
        Value::Tagged(t) => property_text(&t.value),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

//! Callouts: a quote whose first line is `[!type]`, as Obsidian writes
//! them (`> [!note] Title`, folded `> [!warning]-`, foldable and open
//! `> [!tip]+`) and as GitHub writes its alerts (`> [!NOTE]`).
//!
//! ```html
//! <aside class="callout callout-note">
//! <p class="callout-title">Title</p>
//! ...
//! </aside>
//! <details class="callout callout-warning" open>
//! <summary class="callout-title">Title</summary>
//! ...
//! </details>
//! ```
//!
//! The type picks the style: Obsidian's names and aliases are mapped to
//! one class each (`tldr` -> `callout-abstract`), any other type is styled
//! as a note. Without a title the type is the title (`Warning`).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The class of a callout type, by Obsidian's names and aliases.
fn class_of(kind: &str) -> &'static str {
    match kind.to_lowercase().as_str() {
        "abstract" | "summary" | "tldr" => "abstract",
        "info" => "info",
        "todo" => "todo",
        "tip" | "hint" => "tip",
        "important" => "important",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "attention" => "warning",
        "caution" => "caution",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" => "danger",
        "bug" => "bug",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}

/// A callout's first line: `[!type]`, then `-` or `+`, then the title.
struct Marker<'t> {
    kind: &'t str,
    fold: Option<bool>,
    title: &'t str,
}

fn marker(text: &str) -> Option<Marker<'_>> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = &rest[..close];
    if kind.is_empty() || kind.len() > 40 || kind.contains(char::is_whitespace) {
        return None;
    }
    let rest = &rest[close + 1..];
    let (fold, rest) = match rest.as_bytes().first() {
        Some(b'-') => (Some(false), &rest[1..]),
        Some(b'+') => (Some(true), &rest[1..]),
        _ => (None, rest),
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(Marker {
        kind,
        fold,
        title: rest.trim_start_matches([' ', '\t']),
    })
}

/// `NOTE` -> `Note`.
fn default_title(kind: &str) -> String {
    let mut c = kind.chars();
    match c.next() {
        Some(first) => first
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// The events with every callout quote made a callout. Adjacent text
/// events must be merged (the first line is read from one text event).
pub fn transform(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.starts_with("[!")))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    // For each open quote: the HTML that closes it, if it is a callout.
    let mut quotes: Vec<Option<&'static str>> = Vec::new();
    let mut it = events.into_iter().peekable();
    while let Some(ev) = it.next() {
        match ev {
            Event::Start(Tag::BlockQuote(kind)) => {
                let mut ahead = Vec::new();
                // `> [!x]` opens a paragraph whose first text is the marker.
                if let Some(Event::Start(Tag::Paragraph)) = it.peek() {
                    ahead.extend(it.next());
                }
                let found = match (ahead.first(), it.peek()) {
                    (Some(_), Some(Event::Text(t))) => {
                        marker(t).map(|m| (m.kind.to_string(), m.fold, m.title.to_string()))
                    }
                    _ => None,
                };
                let Some((kind_name, fold, title)) = found else {
                    quotes.push(None);
                    out.push(Event::Start(Tag::BlockQuote(kind)));
                    out.extend(ahead);
                    continue;
                };
                it.next();
                let class = class_of(&kind_name);
                let (open, title_open, title_close, close) = match fold {
                    None => (
                        format!("<aside class=\"callout callout-{class}\">\n"),
                        "<p class=\"callout-title\">",
                        "</p>\n",
                        "</aside>\n",
                    ),
                    Some(open) => (
                        format!(
                            "<details class=\"callout callout-{class}\"{}>\n",
                            if open { " open" } else { "" }
                        ),
                        "<summary class=\"callout-title\">",
                        "</summary>\n",
                        "</details>\n",
                    ),
                };
                quotes.push(Some(close));
                out.push(Event::Html(CowStr::from(open)));
                out.push(Event::Html(CowStr::Borrowed(title_open)));
                // The title: the rest of the first line.
                let mut title_events = Vec::new();
                if !title.is_empty() {
                    title_events.push(Event::Text(CowStr::from(title)));
                }
                let mut ended = false;
                for ev in it.by_ref() {
                    match ev {
                        Event::SoftBreak | Event::HardBreak => break,
                        Event::End(TagEnd::Paragraph) => {
                            ended = true;
                            break;
                        }
                        ev => title_events.push(ev),
                    }
                }
                let blank = title_events
                    .iter()
                    .all(|e| matches!(e, Event::Text(t) if t.trim().is_empty()));
                if blank {
                    out.push(Event::Text(CowStr::from(default_title(&kind_name))));
                } else {
                    out.extend(title_events);
                }
                out.push(Event::Html(CowStr::Borrowed(title_close)));
                if !ended {
                    // The rest of the first paragraph is the callout's first.
                    out.push(Event::Start(Tag::Paragraph));
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => match quotes.pop().flatten() {
                Some(close) => out.push(Event::Html(CowStr::Borrowed(close))),
                None => out.push(Event::End(TagEnd::BlockQuote(kind))),
            },
            ev => out.push(ev),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let m = marker("[!warning]- Check the paper process").map(|m| (m.kind, m.fold, m.title));
        assert_eq!(m, Some(("warning", Some(false), "Check the paper process")));
        let m = marker("[!TIP]+").map(|m| (m.kind, m.fold, m.title));
        assert_eq!(m, Some(("TIP", Some(true), "")));
        for not in ["[!]", "[!a b]", "[!note]x", "[note]", "[!note", "![note]"] {
            assert!(marker(not).is_none(), "{not}");
        }
        assert_eq!(class_of("TLDR"), "abstract");
        assert_eq!(class_of("whatever"), "note");
        assert_eq!(default_title("NOTE"), "Note");
    }
}

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
use std::collections::VecDeque;
use std::iter::Peekable;

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

/// The events with every callout quote made a callout, as they are read.
/// Adjacent text events must be merged (the first line is read from one
/// text event).
pub struct Callouts<'a, I: Iterator<Item = Event<'a>>> {
    it: Peekable<I>,
    /// For each open quote: the HTML that closes it, if it is a callout.
    quotes: Vec<Option<&'static str>>,
    /// Events made and not yet read (a callout's opening and title).
    out: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Callouts<'a, I> {
    pub fn new(events: I) -> Self {
        Callouts {
            it: events.peekable(),
            quotes: Vec::new(),
            out: VecDeque::new(),
        }
    }

    /// The events `ev` becomes, into `out`.
    fn step(&mut self, ev: Event<'a>) {
        match ev {
            Event::Start(Tag::BlockQuote(kind)) => {
                let mut ahead = Vec::new();
                // `> [!x]` opens a paragraph whose first text is the marker.
                if let Some(Event::Start(Tag::Paragraph)) = self.it.peek() {
                    ahead.extend(self.it.next());
                }
                let found = match (ahead.first(), self.it.peek()) {
                    (Some(_), Some(Event::Text(t))) => {
                        marker(t).map(|m| (m.kind.to_string(), m.fold, m.title.to_string()))
                    }
                    _ => None,
                };
                let Some((kind_name, fold, title)) = found else {
                    self.quotes.push(None);
                    self.out.push_back(Event::Start(Tag::BlockQuote(kind)));
                    self.out.extend(ahead);
                    return;
                };
                self.it.next();
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
                self.quotes.push(Some(close));
                self.out.push_back(Event::Html(CowStr::from(open)));
                self.out
                    .push_back(Event::Html(CowStr::Borrowed(title_open)));
                // The title: the rest of the first line.
                let mut title_events = Vec::new();
                if !title.is_empty() {
                    title_events.push(Event::Text(CowStr::from(title)));
                }
                let mut ended = false;
                for ev in self.it.by_ref() {
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
                    self.out
                        .push_back(Event::Text(CowStr::from(default_title(&kind_name))));
                } else {
                    self.out.extend(title_events);
                }
                self.out
                    .push_back(Event::Html(CowStr::Borrowed(title_close)));
                if !ended {
                    // The rest of the first paragraph is the callout's first.
                    self.out.push_back(Event::Start(Tag::Paragraph));
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => match self.quotes.pop().flatten() {
                Some(close) => self.out.push_back(Event::Html(CowStr::Borrowed(close))),
                None => self.out.push_back(Event::End(TagEnd::BlockQuote(kind))),
            },
            ev => self.out.push_back(ev),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Callouts<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(ev) = self.out.pop_front() {
                return Some(ev);
            }
            let ev = self.it.next()?;
            self.step(ev);
        }
    }
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

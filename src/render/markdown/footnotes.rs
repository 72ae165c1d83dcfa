//! Footnotes as GitHub shows them: numbered in the order they are first
//! referred to, listed at the end of the note with a back-link (↩) to each
//! reference; a definition nothing refers to is left out.
//!
//! ```html
//! <p>Text<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>
//! <section class="footnotes">
//! <ol>
//! <li id="fn-1">
//! <p>The note. <a href="#fnref-1" class="footnote-backref" title="Back to reference 1">↩</a></p>
//! </li>
//! </ol>
//! </section>
//! ```
//!
//! Ids are `fn-N` and `fnref-N` (`fnref-N-2` for a second reference), by
//! number, so any label is safe; heading ids are made around them (see
//! [`Footnotes::ids`]).

use pulldown_cmark::{CowStr, Event, TagEnd};
use std::collections::{HashMap, HashSet};

pub struct Footnotes<'a> {
    /// A label's number, by first reference.
    numbers: HashMap<String, usize>,
    /// Per number (from 1): its label, how many references it has, and how
    /// many have been written.
    notes: Vec<(String, usize, usize)>,
    definitions: HashMap<String, Vec<Event<'a>>>,
    /// The definition being read.
    current: Option<(String, Vec<Event<'a>>)>,
}

/// Labels match ignoring case, as pulldown-cmark matches them.
fn key(label: &str) -> String {
    label.to_lowercase()
}

impl<'a> Footnotes<'a> {
    /// Numbers the footnotes by their first reference, from the labels
    /// of a body's references in order.
    pub fn new<'l>(references: impl IntoIterator<Item = &'l str>) -> Self {
        let mut numbers: HashMap<String, usize> = HashMap::new();
        let mut notes: Vec<(String, usize, usize)> = Vec::new();
        for label in references {
            let k = key(label);
            let n = *numbers.entry(k.clone()).or_insert_with(|| {
                notes.push((k, 0, 0));
                notes.len()
            });
            if let Some(note) = notes.get_mut(n - 1) {
                note.1 += 1;
            }
        }
        Footnotes {
            numbers,
            notes,
            definitions: HashMap::new(),
            current: None,
        }
    }

    /// Every id the footnotes use.
    pub fn ids(&self) -> HashSet<String> {
        let mut ids = HashSet::new();
        for (i, (_, refs, _)) in self.notes.iter().enumerate() {
            let n = i + 1;
            ids.insert(format!("fn-{n}"));
            ids.insert(format!("fnref-{n}"));
            for k in 2..=*refs {
                ids.insert(format!("fnref-{n}-{k}"));
            }
        }
        ids
    }

    /// A reference, as a superscript link to its note.
    pub fn reference(&mut self, label: &str) -> Event<'a> {
        let Some(&n) = self.numbers.get(&key(label)) else {
            return Event::Text(CowStr::from(format!("[^{label}]")));
        };
        let Some(note) = self.notes.get_mut(n - 1) else {
            return Event::Text(CowStr::from(format!("[^{label}]")));
        };
        note.2 += 1;
        let id = ref_id(n, note.2);
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>"
        )))
    }

    pub fn start_definition(&mut self, label: &str) {
        self.current = Some((key(label), Vec::new()));
    }

    pub fn end_definition(&mut self) {
        if let Some((k, events)) = self.current.take() {
            // The first definition of a label counts.
            self.definitions.entry(k).or_insert(events);
        }
    }

    /// `ev` back, unless it belongs to a definition (kept for the end).
    pub fn keep(&mut self, ev: Event<'a>) -> Option<Event<'a>> {
        match &mut self.current {
            Some((_, events)) => {
                events.push(ev);
                None
            }
            None => Some(ev),
        }
    }

    /// The list of notes, for the end of the page (once: the notes are
    /// taken).
    pub fn section(&mut self) -> Vec<Event<'a>> {
        if self.notes.is_empty() {
            return Vec::new();
        }
        let mut out = vec![Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\">\n<ol>\n",
        ))];
        for (i, (label, refs, _)) in std::mem::take(&mut self.notes).into_iter().enumerate() {
            let n = i + 1;
            out.push(Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">\n"))));
            let mut body = self.definitions.remove(&label).unwrap_or_default();
            let back: Vec<String> = (1..=refs.max(1))
                .map(|k| {
                    let id = ref_id(n, k);
                    let sup = if k > 1 {
                        format!("<sup>{k}</sup>")
                    } else {
                        String::new()
                    };
                    format!(
                        "<a href=\"#{id}\" class=\"footnote-backref\" title=\"Back to reference {}\">↩{sup}</a>",
                        if k > 1 { format!("{n}-{k}") } else { n.to_string() }
                    )
                })
                .collect();
            let back = format!(" {}", back.join(" "));
            match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => {
                    let at = body.len() - 1;
                    body.insert(at, Event::InlineHtml(CowStr::from(back)));
                }
                _ => body.push(Event::Html(CowStr::from(format!(
                    "{}\n",
                    back.trim_start()
                )))),
            }
            out.extend(body);
            out.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        out.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
        out
    }
}

/// The id of the `k`th reference to note `n`.
fn ref_id(n: usize, k: usize) -> String {
    if k > 1 {
        format!("fnref-{n}-{k}")
    } else {
        format!("fnref-{n}")
    }
}

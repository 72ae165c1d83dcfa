//! Heading ids: the fragment of a heading's text, made unique in its page.

use super::*;

/// Heading ids, unique in the page: `what-happened`, `what-happened-1`
/// (and a third `What happened` is not `what-happened-1` again when a
/// heading `What happened 1` took that id), and never one of the
/// footnotes' ids.
pub(super) struct HeadingIds {
    used: HashSet<String>,
    count: HashMap<String, usize>,
}

impl HeadingIds {
    pub(super) fn new(reserved: HashSet<String>) -> Self {
        HeadingIds {
            used: reserved,
            count: HashMap::new(),
        }
    }

    pub(super) fn next(&mut self, text: &str) -> String {
        let base = anchor(text);
        let n = self.count.entry(base.clone()).or_insert(0);
        let mut id = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.used.contains(&id) {
            *n += 1;
            id = format!("{base}-{n}");
        }
        *n += 1;
        self.used.insert(id.clone());
        id
    }
}

/// The fragment id of a heading: `What happened?` -> `what-happened`.
pub fn anchor(text: &str) -> String {
    crate::content::obsidian::heading_anchor(text)
}

//! Whether the heading or block a link names is on its target, also when
//! the fragment was written for another generator's heading ids.

use super::*;

/// Letters and digits only, lower case: how a heading fragment written
/// for another generator is compared with this site's heading ids
/// (GitHub drops `;` and keeps `---` where this site's slugs differ).
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a link's heading or block names on its target `to`.
pub(super) enum Anchor {
    /// Found as written (or there is none).
    Found,
    /// A heading found only by [`loose`] comparison: its id.
    Heading(String),
    /// Not found: a `broken-anchor` warning. The link still goes to the
    /// target's page.
    Broken(Diagnostic),
}

/// Whether the heading or block `l` names is on its target `to`.
pub(super) fn anchor_on(path: &str, l: &WikiLink, to: &Note) -> Anchor {
    let (what, written, id) = match (l.block(), l.anchor()) {
        (Some(b), _) => ("block", format!("^{b}"), block_anchor(b)),
        (None, Some(h)) => ("heading", h.to_string(), heading_anchor(h)),
        (None, None) => return Anchor::Found,
    };
    if to.anchors.contains(&id) {
        return Anchor::Found;
    }
    if what == "heading" {
        let key = loose(&written);
        let mut close = to
            .anchors
            .iter()
            .filter(|a| !a.starts_with('^') && !key.is_empty() && loose(a) == key);
        if let (Some(one), None) = (close.next(), close.next()) {
            return Anchor::Heading(one.clone());
        }
    }
    let d = Diagnostic::warning(
        Code::BrokenAnchor,
        path,
        l.span.line,
        format!(
            "{} has no {what} {written:?}; the link goes to the top of its page",
            to.path
        ),
    )
    .at_column(l.span.col);
    Anchor::Broken(match what {
        "block" => d.with_help(format!(
            "end the paragraph you mean in {} with ` ^{}`",
            to.path,
            l.block().unwrap_or_default()
        )),
        _ => d.with_help("a heading link names the heading's text: [[note#Heading text]]"),
    })
}

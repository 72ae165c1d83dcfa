//! The sanitiser raw HTML goes through: the one list of elements, the
//! attributes kept, and the one inline style allowed (a cell's alignment).

use super::*;

/// `html` sanitised: what a note body's raw HTML becomes on its page (and
/// what the search index reads of it).
pub(crate) fn clean_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// `html` sanitised, and without `id` attributes: what an embedded note
/// shows inside another page, whose own headings and blocks keep the ids
/// links point at (an id is unique in a page).
pub(crate) fn clean_html_without_ids(html: &str) -> String {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = builder();
        b.rm_generic_attributes(["id"]);
        b
    })
    .clean(html)
    .to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(builder)
}

fn builder() -> ammonia::Builder<'static> {
    {
        let mut b = ammonia::Builder::default();
        // The one list of elements: raw HTML's other tags never reach here
        // as tags (see `raw_html`).
        b.tags(ALLOWED_TAGS.iter().copied().collect());
        b.add_generic_attributes(["class", "id", "title"]);
        b.add_tag_attributes("details", ["open"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tag_attributes("ol", ["start"]);
        b.add_tag_attributes("td", ["align", "style"]);
        b.add_tag_attributes("th", ["align", "style"]);
        b.url_schemes(escape::LINK_SCHEMES.into_iter().collect());
        // A style can paint a fake page over the real one or fetch a remote
        // URL: only a table column's alignment is kept.
        b.attribute_filter(|_, attribute, value| match attribute {
            "style" => cell_alignment(value).map(Cow::Borrowed),
            _ => Some(Cow::Borrowed(value)),
        });
        b
    }
}

/// The one inline style the sanitiser keeps, on table cells: the column
/// alignment pulldown-cmark writes (`text-align: left`, `center` or
/// `right`), written back as it writes it. Anything else (another
/// property, a second declaration, CSS escapes or comments) drops the
/// whole attribute: the value is matched, never parsed.
fn cell_alignment(style: &str) -> Option<&'static str> {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match compact.strip_suffix(';').unwrap_or(&compact) {
        "text-align:left" => Some("text-align: left"),
        "text-align:center" => Some("text-align: center"),
        "text-align:right" => Some("text-align: right"),
        _ => None,
    }
}

//! How deeply a body's raw HTML nests, tag by tag.

use super::super::wikilinks::raw_html::KNOWN_ELEMENTS;

/// How deeply HTML nests, fed piece by piece (raw HTML arrives in several
/// Markdown events). Counts open tags minus close tags of HTML elements;
/// void elements (`<br>`) and elements the HTML parser closes by
/// themselves when a sibling starts (`<p>`, `<li>`, `<td>`, ...) are not
/// counted, so loosely written HTML does not look deep, and neither are
/// tags that name no element (`<first name>`, `<Company>`), which are
/// shown as text (see `wikilinks::raw_html`). An upper bound, in practice,
/// of the depth the sanitiser's parser builds, whose cost grows with it.
#[derive(Default)]
pub struct HtmlDepth {
    pub depth: usize,
    state: HtmlState,
    name: String,
    closing: bool,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum HtmlState {
    #[default]
    Text,
    /// After `<`.
    Open,
    /// Reading a tag name.
    Name,
    /// Inside a tag, after its name.
    Attrs,
    /// Inside a quoted attribute value.
    Quoted(u8),
    /// `<!--` ... `-->`; the count of `-` just seen.
    Comment(u8),
    /// `<!...>` or `<?...>`.
    Bang,
}

/// Elements without content: never open.
pub(super) const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements a following sibling closes implicitly: they do not nest by
/// themselves, so counting them would only overstate loose HTML.
pub(super) const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

impl HtmlDepth {
    /// The Markdown block that started when the depth was `depth` has
    /// ended. Raw HTML is decided within its block (see
    /// `content::wikilinks::raw_html`): what the block left open is shown
    /// as text, its end tags closed nothing outside it, and a tag it left
    /// unfinished ends with it. So the depth is what it was.
    pub fn end_block(&mut self, depth: usize) {
        self.depth = depth;
        self.state = HtmlState::Text;
    }

    /// Reads more HTML; returns the greatest depth reached while reading it.
    pub fn feed(&mut self, text: &str) -> usize {
        let mut max = self.depth;
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match self.state {
                HtmlState::Text => {
                    if c == b'<' {
                        self.state = HtmlState::Open;
                    }
                }
                HtmlState::Open => {
                    self.name.clear();
                    self.closing = false;
                    if c == b'/' {
                        self.closing = true;
                        self.state = HtmlState::Name;
                    } else if c == b'!' {
                        self.state = if b.get(i + 1..i + 3) == Some(&b"--"[..]) {
                            i += 2;
                            HtmlState::Comment(0)
                        } else {
                            HtmlState::Bang
                        };
                    } else if c == b'?' {
                        self.state = HtmlState::Bang;
                    } else if c.is_ascii_alphabetic() {
                        self.name.push(c.to_ascii_lowercase() as char);
                        self.state = HtmlState::Name;
                    } else {
                        self.state = HtmlState::Text;
                        continue;
                    }
                }
                HtmlState::Name => {
                    if (c.is_ascii_alphanumeric() || c == b'-') && self.name.len() < 32 {
                        self.name.push(c.to_ascii_lowercase() as char);
                    } else if c.is_ascii_alphanumeric() || c == b'-' {
                        // Longer than any element name: still one tag.
                    } else if self.name.is_empty() {
                        self.state = HtmlState::Text;
                        continue;
                    } else {
                        self.state = HtmlState::Attrs;
                        continue;
                    }
                }
                HtmlState::Attrs => match c {
                    b'"' | b'\'' => self.state = HtmlState::Quoted(c),
                    b'>' => {
                        self.state = HtmlState::Text;
                        let name = self.name.as_str();
                        if !VOID.contains(&name)
                            && !SELF_CLOSING_SIBLINGS.contains(&name)
                            && KNOWN_ELEMENTS.contains(&name)
                        {
                            if self.closing {
                                self.depth = self.depth.saturating_sub(1);
                            } else {
                                self.depth += 1;
                                max = max.max(self.depth);
                            }
                        }
                    }
                    _ => {}
                },
                HtmlState::Quoted(q) => {
                    if c == q {
                        self.state = HtmlState::Attrs;
                    }
                }
                HtmlState::Comment(dashes) => {
                    self.state = match c {
                        b'-' => HtmlState::Comment(dashes.saturating_add(1)),
                        b'>' if dashes >= 2 => HtmlState::Text,
                        _ => HtmlState::Comment(0),
                    };
                }
                HtmlState::Bang => {
                    if c == b'>' {
                        self.state = HtmlState::Text;
                    }
                }
            }
            i += 1;
        }
        max
    }
}

//! The text a body is parsed from: comments removed, and each HTML block
//! that CommonMark would let run to the end of its container cut short.

use super::*;

/// The text a body is parsed from: the body (comments removed) with a `\`
/// before each HTML block opener that CommonMark would let run to the end
/// of its container (see [`source`]).
#[derive(Debug)]
pub struct Source<'a> {
    pub text: Cow<'a, str>,
    /// Offsets in the original text before which a `\` was added, sorted.
    escapes: Vec<usize>,
}

impl Source<'_> {
    /// The offset in the original text of offset `at` of `self.text`.
    pub fn original_offset(&self, at: usize) -> usize {
        // The k-th `\` sits at escapes[k] + k in the new text, an
        // increasing position: count those before `at`.
        let (mut lo, mut hi) = (0, self.escapes.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.escapes[mid] + mid < at {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        at - lo
    }
}

/// How many times a body is parsed again because an opener that never
/// ends was escaped (each round escapes every one found; what a later
/// round would find past this stays raw text, escaped, never HTML).
const MAX_ROUNDS: usize = 16;

/// `text` to parse. An HTML block that starts with `<pre`, `<script`,
/// `<style` or `<textarea` (CommonMark's type 1), `<!--`, `<?`, `<!X` or
/// `<![CDATA[` (types 2 to 5) ends only where its end marker is, or with
/// its container: never closed, it would make the rest of the quote, list
/// item or note raw HTML, shown as source. Such an opener gets a `\`
/// before it, so it is text and what follows is Markdown again. The loader
/// (for wikilinks and warnings) and the renderer both parse this text. The
/// findings are the openers escaped.
pub fn source(text: &str) -> (Source<'_>, Vec<Finding>) {
    let mut src = Source {
        text: Cow::Borrowed(text),
        escapes: Vec::new(),
    };
    let mut found = Vec::new();
    if !might_run_on(text) {
        return (src, found);
    }
    for _ in 0..MAX_ROUNDS {
        let events: Vec<_> = Parser::new_ext(&src.text, super::super::markdown_options())
            .into_offset_iter()
            .collect();
        let new: Vec<(usize, Finding)> = chunks_of(&events)
            .iter()
            .filter(|c| !c.inline)
            .filter_map(run_on)
            .collect();
        if new.is_empty() {
            break;
        }
        let before = src.escapes.len();
        for (at, mut f) in new {
            let orig = src.original_offset(at);
            if text.is_char_boundary(orig) {
                f.at = orig;
                found.push(f);
                src.escapes.push(orig);
            }
        }
        src.escapes.sort_unstable();
        src.escapes.dedup();
        found.sort_by_key(|f| f.at);
        found.dedup_by_key(|f| f.at);
        if src.escapes.len() == before {
            break;
        }
        let mut t = String::with_capacity(text.len() + src.escapes.len());
        let mut from = 0;
        for &e in &src.escapes {
            t.push_str(text.get(from..e).unwrap_or_default());
            t.push('\\');
            from = e;
        }
        t.push_str(text.get(from..).unwrap_or_default());
        src.text = Cow::Owned(t);
    }
    (src, found)
}

/// A quick test that `text` may hold an opener of [`source`].
fn might_run_on(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2).any(|w| match w {
        [b'<', c] => matches!(c, b'!' | b'?' | b'p' | b'P' | b's' | b'S' | b't' | b'T'),
        _ => false,
    })
}

/// Where an HTML block starts with an opener whose end marker is not in
/// the block, and the finding for it.
fn run_on(c: &Chunk) -> Option<(usize, Finding)> {
    let lead = c.text.len() - c.text.trim_start().len();
    let t = &c.text[lead..];
    let lower = |n: usize| t.get(..n.min(t.len())).unwrap_or("").to_ascii_lowercase();
    let first_line = t.lines().next().unwrap_or("");
    let (name, ends) = if t.starts_with("<!--") {
        // `<!-->` ends itself: the `-->` may overlap the opener.
        ("!--", t.get(2..).is_some_and(|r| r.contains("-->")))
    } else if t.starts_with("<![CDATA[") {
        ("![CDATA[", t.contains("]]>"))
    } else if let Some(rest) = t.strip_prefix("<?") {
        ("?", rest.contains("?>"))
    } else if t.starts_with("<!") && t.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) {
        ("!", t.contains('>'))
    } else {
        let name = ["pre", "script", "style", "textarea"]
            .into_iter()
            .find(|n| {
                lower(n.len() + 1) == format!("<{n}")
                    && t.as_bytes()
                        .get(n.len() + 1)
                        .is_none_or(|c| matches!(c, b' ' | b'\t' | b'>' | b'\n' | b'\r'))
            })?;
        let rest = c.text.to_ascii_lowercase();
        let ends = ["</pre>", "</script>", "</style>", "</textarea>"]
            .iter()
            .any(|e| rest.contains(e));
        (name, ends)
    };
    if ends {
        return None;
    }
    let at = c.source_offset(lead);
    let mut tag: String = first_line.chars().take(40).collect();
    if first_line.chars().count() > 40 {
        tag.push('…');
    }
    Some((
        at,
        Finding {
            at,
            tag,
            name: name.to_string(),
            problem: Problem::NeverEnds,
        },
    ))
}

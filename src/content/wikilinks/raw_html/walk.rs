//! Deciding each tag: the walk over a body's chunks that keeps the open
//! elements of each Markdown block, and what each tag becomes.

use super::*;

/// What one tag becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Html,
    Text,
    /// `<span/>`: an HTML parser ignores the `/` and leaves the element
    /// open, so it is written `<span></span>`.
    SelfClose,
}

/// The state of [`decide`]'s walk.
struct Walk<'f> {
    unsafe_html: bool,
    open: Vec<Open>,
    /// How many elements of each name are open in each scope (so an end
    /// tag that closes nothing is found at once, however deep the stack).
    counts: HashMap<(usize, String), usize>,
    /// The current scope: each Markdown block opened adds one, and so does
    /// a run of inline content (inline HTML closes in its own run).
    scope: usize,
    findings: Option<&'f mut Vec<Finding>>,
    /// Names of elements not allowed whose start tag was reported: their
    /// end tags are then not reported again.
    reported: HashSet<String>,
}

impl Walk<'_> {
    fn allowed(&self, name: &str) -> bool {
        if self.unsafe_html {
            KNOWN_ELEMENTS.contains(&name)
        } else {
            ALLOWED_TAGS.contains(&name)
        }
    }

    fn report(&mut self, chunks: &[Chunk], (c, t): (usize, usize), name: &str, problem: Problem) {
        let Some(found) = self.findings.as_deref_mut() else {
            return;
        };
        let chunk = &chunks[c];
        let tok = &chunk.tokens[t];
        let mut tag: String = chunk.text[tok.range.clone()]
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        if tag.len() > 60 {
            let mut cut = 57;
            while !tag.is_char_boundary(cut) {
                cut -= 1;
            }
            tag.truncate(cut);
            tag.push('…');
        }
        found.push(Finding {
            at: chunk.source_offset(tok.range.start),
            tag,
            name: name.to_string(),
            problem,
        });
    }

    fn set(chunks: &mut [Chunk], (c, t): (usize, usize), d: Decision) {
        chunks[c].decisions[t] = d;
    }

    pub(super) fn push(&mut self, name: String, (chunk, token): (usize, usize), foreign: bool) {
        *self.counts.entry((self.scope, name.clone())).or_insert(0) += 1;
        let index = self.open.len();
        let inner_foreign = if foreign {
            Some(index)
        } else {
            self.open.last().and_then(|o| o.inner_foreign)
        };
        self.open.push(Open {
            name,
            chunk,
            token,
            scope: self.scope,
            foreign: foreign.then(Vec::new),
            inner_foreign,
        });
    }

    fn pop(&mut self) -> Option<Open> {
        let o = self.open.pop()?;
        if let Some(n) = self.counts.get_mut(&(o.scope, o.name.clone())) {
            *n = n.saturating_sub(1);
        }
        Some(o)
    }

    /// Ends the current scope: what is still open in it is either closed
    /// by the parser (optional end tags) or shown as text.
    fn close_scope(&mut self, chunks: &mut [Chunk]) {
        while self.open.last().is_some_and(|o| o.scope >= self.scope) {
            if let Some(o) = self.pop() {
                self.unclosed(chunks, o);
            }
        }
        self.scope = self.scope.saturating_sub(1);
    }

    fn unclosed(&mut self, chunks: &mut [Chunk], o: Open) {
        if o.foreign.is_none() && OPTIONAL_END.contains(&o.name.as_str()) {
            return;
        }
        Self::set(chunks, (o.chunk, o.token), Decision::Text);
        for inner in o.foreign.into_iter().flatten() {
            Self::set(chunks, inner, Decision::Text);
        }
        self.report(chunks, (o.chunk, o.token), &o.name, Problem::Unclosed);
    }

    /// The index in `open` of the innermost `svg` or `math` open in this
    /// scope.
    fn foreign_root(&self) -> Option<usize> {
        let top = self.open.last().filter(|o| o.scope == self.scope)?;
        let i = top.inner_foreign?;
        self.open
            .get(i)
            .filter(|o| o.scope == self.scope)
            .map(|_| i)
    }

    fn add_member(&mut self, root: usize, at: (usize, usize)) {
        if let Some(members) = self.open.get_mut(root).and_then(|o| o.foreign.as_mut()) {
            members.push(at);
        }
    }

    fn token(&mut self, chunks: &mut [Chunk], at: (usize, usize)) {
        let kind = chunks[at.0].tokens[at.1].kind.clone();
        if let Some(root) = self.foreign_root() {
            // Inside SVG or MathML (unsafe_html only) every name is an
            // element and `/>` closes it.
            match &kind {
                TokenKind::Start {
                    self_closing: true, ..
                }
                | TokenKind::Comment
                | TokenKind::Markup
                | TokenKind::Text => {
                    self.add_member(root, at);
                    return;
                }
                TokenKind::Start { name, .. } if !matches!(name.as_str(), "svg" | "math") => {
                    self.add_member(root, at);
                    self.push(name.clone(), at, false);
                    return;
                }
                _ => {}
            }
        }
        match kind {
            TokenKind::Text | TokenKind::Comment | TokenKind::Markup => {}
            TokenKind::RawText { name } => {
                if !self.unsafe_html || !self.allowed(&name) {
                    Self::set(chunks, at, Decision::Text);
                    self.report(chunks, at, &name, Problem::NotAllowed);
                    self.reported.insert(name);
                }
            }
            TokenKind::Start { name, self_closing } => {
                self.start(chunks, at, name, self_closing);
            }
            TokenKind::End { name } => self.end(chunks, at, name),
        }
    }

    pub(super) fn start(
        &mut self,
        chunks: &mut [Chunk],
        at: (usize, usize),
        name: String,
        self_closing: bool,
    ) {
        let raw_text = RAW_TEXT.contains(&name.as_str());
        if !self.allowed(&name) || (raw_text && (!self.unsafe_html || !chunks[at.0].inline)) {
            Self::set(chunks, at, Decision::Text);
            let problem = if raw_text && self.unsafe_html && name != "plaintext" {
                Problem::RawTextUnclosed
            } else if KNOWN_ELEMENTS.contains(&name.as_str())
                || raw_text
                || matches!(
                    name.as_str(),
                    "html" | "head" | "body" | "base" | "frameset" | "frame"
                )
            {
                Problem::NotAllowed
            } else {
                Problem::NotAnElement
            };
            self.report(chunks, at, &name, problem);
            self.reported.insert(name);
            return;
        }
        if VOID.contains(&name.as_str()) {
            return;
        }
        if self_closing && !raw_text {
            Self::set(chunks, at, Decision::SelfClose);
            return;
        }
        while self
            .open
            .last()
            .is_some_and(|o| o.scope == self.scope && closes_implicitly(&name, &o.name))
        {
            self.pop();
        }
        let foreign = self.unsafe_html && matches!(name.as_str(), "svg" | "math");
        self.push(name, at, foreign);
    }

    pub(super) fn end(&mut self, chunks: &mut [Chunk], at: (usize, usize), name: String) {
        let scope = self.scope;
        let open_here = self
            .counts
            .get(&(scope, name.clone()))
            .is_some_and(|n| *n > 0);
        // The stack holds this scope's elements on top (scopes only nest).
        let found = open_here
            .then(|| {
                self.open
                    .iter()
                    .rposition(|o| o.scope != scope || o.name == name)
            })
            .flatten()
            .filter(|&i| self.open[i].scope == scope);
        let Some(i) = found else {
            Self::set(chunks, at, Decision::Text);
            if self.allowed(&name) {
                self.report(chunks, at, &name, Problem::Unopened);
            } else if !self.reported.contains(&name) {
                let problem = if KNOWN_ELEMENTS.contains(&name.as_str()) {
                    Problem::NotAllowed
                } else {
                    Problem::NotAnElement
                };
                self.report(chunks, at, &name, problem);
            }
            return;
        };
        // In SVG or MathML an end tag closes what is open inside it.
        let in_foreign = self.foreign_root().is_some_and(|r| r <= i);
        while self.open.len() > i + 1 {
            if let Some(o) = self.pop() {
                if !in_foreign {
                    self.unclosed(chunks, o);
                }
            }
        }
        let Some(mut m) = self.pop() else {
            return;
        };
        if let Some(members) = m.foreign.as_mut() {
            members.push(at);
            // Nested in another foreign root: part of it too.
            let all = std::mem::take(members);
            if let Some(outer) = self.foreign_root() {
                self.add_member(outer, (m.chunk, m.token));
                for a in all {
                    self.add_member(outer, a);
                }
            }
        } else if let Some(root) = self.foreign_root() {
            self.add_member(root, at);
        }
    }
}

/// Decides every token of every chunk, walking the events for the Markdown
/// blocks that scope raw HTML.
pub(super) fn decide(
    events: &[(Event, Range<usize>)],
    chunks: &mut [Chunk],
    unsafe_html: bool,
    findings: Option<&mut Vec<Finding>>,
) {
    let mut w = Walk {
        unsafe_html,
        open: Vec::new(),
        scope: 0,
        findings,
        counts: HashMap::new(),
        reported: HashSet::new(),
    };
    let mut next_chunk = 0;
    let mut in_run = false;
    for (i, (ev, _)) in events.iter().enumerate() {
        let block_boundary = match ev {
            Event::Start(t) => is_block(t) || matches!(t, Tag::HtmlBlock),
            Event::End(t) => is_block_end(t) || matches!(t, TagEnd::HtmlBlock),
            Event::Rule => true,
            _ => false,
        };
        if block_boundary && in_run {
            w.close_scope(chunks);
            in_run = false;
        }
        match ev {
            Event::Start(t) if is_block(t) => w.scope += 1,
            Event::End(t) if is_block_end(t) => w.close_scope(chunks),
            _ => {}
        }
        while chunks.get(next_chunk).is_some_and(|c| c.events.start == i) {
            let (inline, n) = (chunks[next_chunk].inline, chunks[next_chunk].tokens.len());
            if inline && !in_run {
                in_run = true;
                w.scope += 1;
            }
            for t in 0..n {
                w.token(chunks, (next_chunk, t));
            }
            next_chunk += 1;
        }
    }
    if in_run {
        w.close_scope(chunks);
    }
    w.close_scope(chunks);
}

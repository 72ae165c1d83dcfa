//! How deeply a frontmatter's YAML nests, by a linear scan of its text.

/// Where a frontmatter block first nests deeper than `max`: its 0-based
/// line within `yaml` and 1-based column (in characters).
///
/// A cheap pass that follows the tokens of libyaml's scanner (the parser
/// behind `serde_norway`) closely enough to count the same nesting: flow
/// `[` and `{` (outside quoted strings, comments, plain text and block
/// scalars), plus one level per block collection (a deeper key or `- `
/// entry). The parser itself only enforces its recursion limit after
/// reading the whole block, and its scanner slows down quadratically with
/// flow depth: 400 KB of `[` took over a minute.
pub fn yaml_too_deep(yaml: &str, max: usize) -> Option<(usize, usize)> {
    YamlScan {
        b: yaml.as_bytes(),
        pos: 0,
        line: 0,
        col: 0,
    }
    .run(max)
}

struct YamlScan<'a> {
    b: &'a [u8],
    pos: usize,
    /// 0-based line (counting `\n` only, like the file's own lines).
    line: usize,
    /// 0-based column in characters since the last line break.
    col: usize,
}

/// A possible simple key (`key: value`) in block context.
#[derive(Clone, Copy)]
struct Key {
    line: usize,
    col: usize,
    pos: usize,
}

impl YamlScan<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.pos + k).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// Bytes of the line break at `pos + k` (libyaml also breaks lines at
    /// CR, NEL, LS and PS), or 0.
    fn brk(&self, k: usize) -> usize {
        match self.peek(k) {
            b'\n' | b'\r' => 1,
            0xC2 if self.peek(k + 1) == 0x85 => 2,
            0xE2 if self.peek(k + 1) == 0x80 && matches!(self.peek(k + 2), 0xA8 | 0xA9) => 3,
            _ => 0,
        }
    }

    fn blank(&self, k: usize) -> bool {
        matches!(self.peek(k), b' ' | b'\t')
    }

    fn blankz(&self, k: usize) -> bool {
        self.blank(k) || self.brk(k) > 0 || self.pos + k >= self.b.len()
    }

    /// Moves past one character (or line break).
    fn bump(&mut self) {
        let n = self.brk(0);
        if n > 0 {
            if self.peek(0) == b'\n' {
                self.line += 1;
            }
            self.col = 0;
            self.pos += n;
            return;
        }
        self.pos += 1;
        self.col += 1;
        while self.pos < self.b.len() && self.b[self.pos] & 0xC0 == 0x80 {
            self.pos += 1;
        }
    }

    fn skip_to_break(&mut self) {
        while !self.at_end() && self.brk(0) == 0 {
            self.bump();
        }
    }

    fn doc_marker(&self) -> bool {
        self.col == 0
            && ((self.peek(0) == b'-' && self.peek(1) == b'-' && self.peek(2) == b'-')
                || (self.peek(0) == b'.' && self.peek(1) == b'.' && self.peek(2) == b'.'))
            && self.blankz(3)
    }

    fn run(&mut self, max: usize) -> Option<(usize, usize)> {
        // The open flow collections: whether each is a sequence, and
        // whether its current entry is a `key: value` pair (`[a: b]` is a
        // list holding a one-pair map, one level more).
        let mut flows: Vec<(bool, bool)> = Vec::new();
        let mut pairs = 0usize;
        // The open block collections: column, and whether a sequence.
        let mut indents: Vec<(usize, bool)> = Vec::new();
        let mut key_allowed = true;
        let mut key: Option<Key> = None;
        // A `- ` entry: a new sequence when further right, or one written
        // without indentation under a key (`key:` then `- a` below it).
        let roll_seq = |indents: &mut Vec<(usize, bool)>, col: usize| match indents.last() {
            Some(&(c, seq)) if c > col || (c == col && seq) => {}
            _ => indents.push((col, true)),
        };
        // A key: a key at the column of such a sequence ends it.
        let roll_map = |indents: &mut Vec<(usize, bool)>, col: usize| {
            let n = indents.len();
            if n >= 2 && indents[n - 1] == (col, true) && indents[n - 2].0 == col {
                indents.pop();
            }
            if indents.last().is_none_or(|t| col > t.0) {
                indents.push((col, false));
            }
        };
        loop {
            let flow = flows.len();
            // Whitespace, comments and line breaks up to the next token.
            loop {
                match self.peek(0) {
                    b' ' | b'\t' if !self.at_end() => self.bump(),
                    b'#' => self.skip_to_break(),
                    _ if self.brk(0) > 0 => {
                        self.bump();
                        if flow == 0 {
                            key_allowed = true;
                        }
                    }
                    _ => break,
                }
            }
            if self.at_end() {
                return None;
            }
            if key.is_some_and(|k| k.line != self.line || k.pos + 1024 < self.pos) {
                key = None;
            }
            if flow == 0 {
                while indents.last().is_some_and(|t| t.0 > self.col) {
                    indents.pop();
                }
            }
            let here = Key {
                line: self.line,
                col: self.col,
                pos: self.pos,
            };
            let start = self.pos;
            let c = self.peek(0);
            if self.col == 0 && c == b'%' {
                self.skip_to_break();
                continue;
            }
            if self.doc_marker() {
                indents.clear();
                key = None;
                for _ in 0..3 {
                    self.bump();
                }
                continue;
            }
            // Where a deeper level is reported: the token, or its key.
            let mut at = here;
            match c {
                b'[' | b'{' => {
                    save_key(&mut key, flow, key_allowed, here);
                    flows.push((c == b'[', false));
                    self.bump();
                    key_allowed = true;
                }
                b']' | b'}' => {
                    if let Some((_, true)) = flows.pop() {
                        pairs -= 1;
                    }
                    self.bump();
                    key_allowed = false;
                }
                b',' => {
                    if let Some((_, pair @ true)) = flows.last_mut() {
                        *pair = false;
                        pairs -= 1;
                    }
                    self.bump();
                    key_allowed = true;
                }
                b'-' if self.blankz(1) => {
                    if flow == 0 {
                        roll_seq(&mut indents, here.col);
                        key = None;
                    }
                    self.bump();
                    key_allowed = true;
                }
                b'?' if flow > 0 || self.blankz(1) => {
                    open_pair(&mut flows, &mut pairs);
                    if flow == 0 {
                        roll_map(&mut indents, here.col);
                        key = None;
                    }
                    self.bump();
                    key_allowed = flow == 0;
                }
                b':' if flow > 0 || self.blankz(1) => {
                    open_pair(&mut flows, &mut pairs);
                    // After a simple key's `:` no key may follow on the
                    // line (`a: b: c` is an error); after `? k` one may.
                    key_allowed = flow == 0;
                    if flow == 0 {
                        if let Some(k) = key.take() {
                            at = k;
                            key_allowed = false;
                        }
                        roll_map(&mut indents, at.col);
                    }
                    self.bump();
                }
                b'*' | b'&' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while self.peek(0).is_ascii_alphanumeric()
                        || matches!(self.peek(0), b'_' | b'-')
                    {
                        self.bump();
                    }
                    key_allowed = false;
                }
                b'!' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    if self.peek(0) == b'<' {
                        while !self.at_end() && self.brk(0) == 0 && self.peek(0) != b'>' {
                            self.bump();
                        }
                        if self.peek(0) == b'>' {
                            self.bump();
                        }
                    } else {
                        while is_tag_char(self.peek(0)) {
                            self.bump();
                        }
                    }
                    key_allowed = false;
                }
                b'|' | b'>' if flow == 0 => {
                    key = None;
                    self.block_scalar(indents.last().map(|t| t.0));
                    key_allowed = true;
                }
                b'\'' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while !self.at_end() {
                        if self.peek(0) == b'\'' {
                            self.bump();
                            if self.peek(0) != b'\'' {
                                break;
                            }
                        }
                        self.bump();
                    }
                    key_allowed = false;
                }
                b'"' => {
                    save_key(&mut key, flow, key_allowed, here);
                    self.bump();
                    while !self.at_end() && self.peek(0) != b'"' {
                        if self.peek(0) == b'\\' {
                            self.bump();
                            if self.at_end() {
                                break;
                            }
                        }
                        self.bump();
                    }
                    if !self.at_end() {
                        self.bump();
                    }
                    key_allowed = false;
                }
                _ => {
                    save_key(&mut key, flow, key_allowed, here);
                    let min_col = if flow == 0 {
                        indents.last().map_or(0, |t| t.0 + 1)
                    } else {
                        0
                    };
                    key_allowed = self.plain_scalar(flow > 0, min_col);
                }
            }
            if self.pos == start {
                // Never stall on something unforeseen.
                self.bump();
            }
            // A flow collection that turns out to be a key (`[a]: b`) sits
            // inside a mapping opened before it: count that one already.
            let pending_map = !flows.is_empty()
                && key.is_some_and(|k| indents.last().is_none_or(|t| k.col > t.0));
            if flows.len() + pairs + indents.len() + usize::from(pending_map) > max {
                return Some((at.line, at.col + 1));
            }
        }
    }

    /// A plain (unquoted) scalar, which may continue on more-indented
    /// lines. Returns whether it ended on a line break (a key may follow).
    fn plain_scalar(&mut self, in_flow: bool, min_col: usize) -> bool {
        let mut leading_break = false;
        loop {
            if self.doc_marker() || self.peek(0) == b'#' {
                break;
            }
            while !self.blankz(0) {
                let c = self.peek(0);
                // The common case: a plain ASCII character of the text.
                if c.is_ascii_alphanumeric() {
                    self.pos += 1;
                    self.col += 1;
                    continue;
                }
                if in_flow
                    && c == b':'
                    && matches!(self.peek(1), b',' | b'?' | b'[' | b']' | b'{' | b'}')
                {
                    // libyaml stops with an error here.
                    return leading_break;
                }
                if (c == b':' && self.blankz(1))
                    || (in_flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                self.bump();
            }
            if !(self.blank(0) || self.brk(0) > 0) {
                break;
            }
            while self.blank(0) || self.brk(0) > 0 {
                if self.brk(0) > 0 {
                    leading_break = true;
                }
                self.bump();
            }
            if !in_flow && self.col < min_col {
                break;
            }
        }
        leading_break
    }

    /// A `|` or `>` block scalar: its header and then every line indented
    /// at least as far as its first line (libyaml's rule).
    fn block_scalar(&mut self, parent: Option<usize>) {
        self.bump();
        let mut increment = 0;
        for _ in 0..2 {
            match self.peek(0) {
                b'+' | b'-' => self.bump(),
                d @ b'1'..=b'9' => {
                    increment = usize::from(d - b'0');
                    self.bump();
                }
                _ => {}
            }
        }
        self.skip_to_break();
        if self.at_end() {
            return;
        }
        self.bump();
        let mut indent = match (increment, parent) {
            (0, _) => 0,
            (i, Some(p)) => p + i,
            (i, None) => i,
        };
        let mut first = true;
        loop {
            let mut max_indent = 0;
            loop {
                while (indent == 0 || self.col < indent) && self.peek(0) == b' ' {
                    self.bump();
                }
                max_indent = max_indent.max(self.col);
                if self.brk(0) == 0 {
                    break;
                }
                self.bump();
            }
            if first && indent == 0 {
                indent = max_indent.max(parent.map_or(0, |p| p + 1)).max(1);
            }
            first = false;
            if self.at_end() || self.col != indent {
                return;
            }
            self.skip_to_break();
            if self.at_end() {
                return;
            }
            self.bump();
        }
    }
}

/// A `:` or `?` in a flow sequence's entry makes the entry a one-pair map.
fn open_pair(flows: &mut [(bool, bool)], pairs: &mut usize) {
    if let Some((true, pair @ false)) = flows.last_mut() {
        *pair = true;
        *pairs += 1;
    }
}

/// Remembers a token that may be the key of a block mapping.
fn save_key(key: &mut Option<Key>, flow: usize, allowed: bool, here: Key) {
    if flow == 0 && allowed {
        *key = Some(here);
    }
}

/// A character of a tag such as `!!str` or `!local` (libyaml's URI
/// characters, without the flow indicators).
fn is_tag_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_;/?:@&=+$.%!~*'()".contains(&c)
}

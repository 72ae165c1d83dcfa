//! The stable codes a [`Diagnostic`](super::Diagnostic) carries. Each
//! variant has the string printed in every format (`broken-link`): tools
//! and CI filters match on it, so a spelling never changes. The table of
//! docs/diagnostics.md lists exactly these (`tests/diagnostic_codes.rs`
//! checks both ways).

use std::fmt;

macro_rules! codes {
    ($($(#[$m:meta])* $v:ident = $s:literal,)+) => {
        /// A diagnostic's stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$m])* $v,)+
        }

        impl Code {
            /// Every code, in the order of docs/diagnostics.md.
            pub const ALL: &'static [Code] = &[$(Code::$v,)+];

            /// The stable string (`broken-link`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$v => $s,)+
                }
            }
        }
    };
}

codes! {
    ReadError = "read-error",
    NotUtf8 = "not-utf8",
    FrontmatterUnterminated = "frontmatter-unterminated",
    FrontmatterSyntax = "frontmatter-syntax",
    FrontmatterNotAMap = "frontmatter-not-a-map",
    NoteTooLarge = "note-too-large",
    FrontmatterTooLarge = "frontmatter-too-large",
    FrontmatterTooDeep = "frontmatter-too-deep",
    MissingField = "missing-field",
    EmptyField = "empty-field",
    InvalidType = "invalid-type",
    InvalidValue = "invalid-value",
    InvalidDate = "invalid-date",
    InvalidId = "invalid-id",
    DateOrder = "date-order",
    TooManyFocusAreas = "too-many-focus-areas",
    DuplicateId = "duplicate-id",
    RenderError = "render-error",
    /// `serve`: the configuration or a template broke while serving.
    Config = "config",
    HtmlTooDeep = "html-too-deep",
    HistoryInvalidNote = "history-invalid-note",
    BrokenLink = "broken-link",
    /// `--audience`: a link to a note the audience leaves out.
    LinkToExcluded = "link-to-excluded",
    EmbedCycle = "embed-cycle",
    AttachmentNotPublished = "attachment-not-published",
    AmbiguousLink = "ambiguous-link",
    BrokenAnchor = "broken-anchor",
    DuplicateName = "duplicate-name",
    WrongKind = "wrong-kind",
    UnknownType = "unknown-type",
    UnknownField = "unknown-field",
    UnexpectedField = "unexpected-field",
    MissingData = "missing-data",
    ProbabilityFraction = "probability-fraction",
    FewObjections = "few-objections",
    UnknownTeam = "unknown-team",
    DuplicateForecast = "duplicate-forecast",
    TeamSlugClash = "team-slug-clash",
    StaticSymlink = "static-symlink",
    UnknownHtmlTag = "unknown-html-tag",
    UnclosedHtmlTag = "unclosed-html-tag",
}

impl Code {
    /// The code a stable string names, if any.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_and_is_kebab_case() {
        for &c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert!(c
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
        assert_eq!(Code::parse("nope"), None);
        assert_eq!(Code::BrokenLink, "broken-link");
        assert_eq!(
            serde_json::to_string(&Code::NotUtf8).unwrap(),
            "\"not-utf8\""
        );
    }
}

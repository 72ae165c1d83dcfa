//! `coachbook.toml` -> [`Config`]: defaults, and the checks that make a bad
//! configuration a usage error (exit code 2) rather than a content error.

use chrono::NaiveDate;
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod compare;

/// The default stages and their probabilities (percent), in pipeline order.
pub const DEFAULT_STAGES: [(&str, f64); 6] = [
    ("prospecting", 10.0),
    ("discovery", 20.0),
    ("solution", 40.0),
    ("proposal", 60.0),
    ("negotiation", 80.0),
    ("commit", 90.0),
];

/// The site configuration, with every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    /// As written, without a trailing slash (`https://acme.github.io/coaching`),
    /// or empty for a site served at the root of its host.
    pub base_url: String,
    /// The path prefix every internal link starts with: `/` or `/coaching/`.
    /// Only letters, digits and `-._~` between single slashes (see
    /// [`parse_base_url`]), so it is safe in any attribute and any route.
    pub base_path: String,
    /// `scheme://host[:port]` of an absolute `base_url`, else empty.
    pub origin: String,
    pub currency: String,
    pub as_of: Option<NaiveDate>,
    /// Minutes east of UTC of the calendar "today" is read on when there
    /// is no `as_of` (`utc_offset = "-08:00"`); never the machine's zone.
    pub utc_offset_minutes: i32,
    pub fiscal_year_start_month: u32,
    /// Open stages in pipeline order with their probability (percent).
    pub stages: Vec<(String, f64)>,
    pub coverage_target: f64,
    pub forecast_error_target: f64,
    pub stale_days: i64,
    /// Let raw HTML in Markdown bodies through unsanitised.
    pub unsafe_html: bool,
    /// The frontmatter key that picks the kind of note (default `type`),
    /// for vaults that already use `type` for something else.
    pub type_key: String,
    /// Days before `as_of` that "what changed" compares with (`since`).
    pub compare_days: i64,
    /// The `[audiences.NAME]` tables, by name (see `crate::audience`).
    pub audiences: std::collections::BTreeMap<String, crate::audience::AudienceConfig>,
    /// Rows a page of a list of notes shows (`/notes/`, a section, a tag)
    /// before the list goes on at `page/2/`.
    pub page_size: usize,
}

/// Rows a page of a list of notes shows when `page_size` is not set.
pub const DEFAULT_PAGE_SIZE: usize = 200;

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Coaching playbook".to_string(),
            base_url: String::new(),
            base_path: "/".to_string(),
            origin: String::new(),
            currency: "USD".to_string(),
            as_of: None,
            utc_offset_minutes: 0,
            fiscal_year_start_month: 1,
            stages: DEFAULT_STAGES
                .iter()
                .map(|(s, p)| (s.to_string(), *p))
                .collect(),
            coverage_target: 3.0,
            forecast_error_target: 0.10,
            stale_days: 30,
            unsafe_html: false,
            type_key: "type".to_string(),
            compare_days: compare::DEFAULT_COMPARE_DAYS,
            audiences: Default::default(),
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

impl Config {
    /// The probability (percent) of a stage: configured open stages,
    /// `closed_won` 100, `closed_lost` 0.
    pub fn stage_probability(&self, stage: &str) -> Option<f64> {
        match stage {
            crate::model::CLOSED_WON => Some(100.0),
            crate::model::CLOSED_LOST => Some(0.0),
            _ => self
                .stages
                .iter()
                .find(|(s, _)| s == stage)
                .map(|(_, p)| *p),
        }
    }

    /// The configured spelling of a stage written any way
    /// [`crate::model::enum_key`] accepts (`Closed Won`, `Proposal`).
    pub fn canonical_stage(&self, stage: &str) -> Option<&str> {
        let key = crate::model::enum_key(stage);
        self.stages
            .iter()
            .map(|(s, _)| s.as_str())
            .chain([crate::model::CLOSED_WON, crate::model::CLOSED_LOST])
            .find(|s| crate::model::enum_key(s) == key)
    }

    /// Every stage a deal may be in, open ones first.
    pub fn all_stages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.stages.iter().map(|(s, _)| s.as_str()).collect();
        v.push(crate::model::CLOSED_WON);
        v.push(crate::model::CLOSED_LOST);
        v
    }

    /// Parses the text of a `coachbook.toml`.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let mut c = Config::default();
        if let Some(t) = raw.title {
            c.title = t;
        }
        if let Some(b) = raw.base_url {
            let base = parse_base_url(&b)?;
            c.base_url = base.url;
            c.base_path = base.path;
            c.origin = base.origin;
        }
        if let Some(cur) = raw.currency {
            let cur = cur.trim().to_string();
            if cur.is_empty() {
                return Err("currency must not be empty (for example \"USD\")".into());
            }
            c.currency = cur;
        }
        if let Some(a) = raw.as_of {
            let text = match &a {
                DateOrText::Text(s) => s.clone(),
                DateOrText::Date(d) => d.to_string(),
            };
            c.as_of =
                Some(parse_date(&text).ok_or_else(|| {
                    format!("as_of must be a date written YYYY-MM-DD, found {text}")
                })?);
        }
        if let Some(o) = raw.utc_offset {
            c.utc_offset_minutes = parse_utc_offset(&o).ok_or_else(|| {
                format!("utc_offset must be written like \"+02:00\" or \"-08:00\" (from -12:00 to +14:00), found {o:?}")
            })?;
        }
        if let Some(m) = raw.fiscal_year_start_month {
            if !(1..=12).contains(&m) {
                return Err(format!(
                    "fiscal_year_start_month must be a month number from 1 to 12, found {m}"
                ));
            }
            c.fiscal_year_start_month = m as u32;
        }
        if let Some(stages) = raw.stages {
            if stages.is_empty() {
                return Err("stages must list at least one open stage".into());
            }
            let mut v = Vec::new();
            for (name, value) in stages {
                let p = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|i| i as f64))
                    .ok_or_else(|| {
                        format!("the probability of stage {name} must be a number from 0 to 100, found {value}")
                    })?;
                if name == crate::model::CLOSED_WON || name == crate::model::CLOSED_LOST {
                    return Err(format!(
                        "stages lists the open stages only; {name} is always there"
                    ));
                }
                if !(0.0..=100.0).contains(&p) || !p.is_finite() {
                    return Err(format!(
                        "the probability of stage {name} must be a number from 0 to 100, found {p}"
                    ));
                }
                v.push((name, p));
            }
            c.stages = v;
        }
        if let Some(t) = raw.coverage_target {
            if !(t > 0.0 && t.is_finite()) {
                return Err(format!(
                    "coverage_target must be a number greater than 0, found {t}"
                ));
            }
            c.coverage_target = t;
        }
        if let Some(t) = raw.forecast_error_target {
            if !(t >= 0.0 && t.is_finite()) {
                return Err(format!(
                    "forecast_error_target must be a number of at least 0 (0.10 is 10%), found {t}"
                ));
            }
            c.forecast_error_target = t;
        }
        if let Some(d) = raw.stale_days {
            if d < 0 {
                return Err(format!("stale_days must be 0 or more, found {d}"));
            }
            c.stale_days = d;
        }
        if let Some(u) = raw.unsafe_html {
            c.unsafe_html = u;
        }
        if let Some(k) = raw.type_key {
            c.type_key = parse_type_key(&k)?;
        }
        if let Some(d) = raw.compare_days {
            c.compare_days = compare::parse_compare_days(d)?;
        }
        if let Some(a) = raw.audiences {
            c.audiences = crate::audience::parse_audiences(a)?;
        }
        if let Some(n) = raw.page_size {
            c.page_size = match usize::try_from(n) {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "page_size must be a number of rows from 1 to 100000, found {n}"
                    ))
                }
            };
        }
        Ok(c)
    }

    /// Reads `coachbook.toml` in `site`; a missing file gives the defaults.
    /// A symbolic link is refused (see [`crate::site_files`]).
    pub fn load(site: &Path) -> Result<Config, SetupError> {
        let path = site.join("coachbook.toml");
        match crate::site_files::read_to_string(site, &path) {
            Ok(Some(text)) => {
                Self::from_toml(&text).map_err(|reason| SetupError::Config { path, reason })
            }
            Ok(None) => Ok(Config::default()),
            Err(e) => Err(SetupError::Refused(e)),
        }
    }
}

/// A problem with the setup rather than the notes: the command stops
/// with exit code 2. Each variant displays as the message printed after
/// `error: `.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// `coachbook.toml` does not parse or holds a bad value (a bad
    /// `base_url`, `type_key`, stage, date...): `reason` says which.
    #[error("{}: {reason}", path.display())]
    Config { path: PathBuf, reason: String },
    /// A file or folder of the site refused (a symbolic link: a linked
    /// `coachbook.toml` or `content/`) or unreadable.
    #[error("{0}")]
    Refused(crate::site_files::Refused),
    /// The site folder has no `content/` folder.
    #[error("{} has no content/ folder: is this a coachbook site? (`coachbook init DIR` makes one)", .0.display())]
    NoContent(PathBuf),
    /// The theme's templates or data (the site's overrides) do not load.
    #[error("{0}")]
    Theme(String),
    /// The output folder is refused (inside `content/`, the site itself,
    /// a folder of files coachbook did not write...) or cannot be swapped.
    #[error("{0}")]
    Output(String),
    /// The output folder cannot be created.
    #[error("cannot create {}: {source}", path.display())]
    CreateOutput {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file cannot be written into the output folder `path`.
    #[error("cannot write to {}: {source}", path.display())]
    WriteOutput {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file `path` cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What [`crate::output`] reports about the output folder (it speaks in
/// messages, and [`crate::output::atomically`] takes any error made from
/// one).
impl From<String> for SetupError {
    fn from(message: String) -> Self {
        SetupError::Output(message)
    }
}

/// A `YYYY-MM-DD` date that exists.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A TOML error as `line L, column C: message`, without quoting the
/// file's text (a configuration file is not echoed into terminals or
/// the dev server's status).
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let before = &text.as_bytes()[..start];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            // In characters, as every column coachbook prints.
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let col = text
                .get(line_start..start)
                .map_or(start - line_start, |s| s.chars().count())
                + 1;
            format!("line {line}, column {col}: {}", e.message())
        }
        None => e.message().to_string(),
    }
}

/// A checked `base_url`.
#[derive(Debug, PartialEq)]
pub struct BaseUrl {
    /// As normalised, without a trailing slash, or empty.
    pub url: String,
    /// `/` or `/a/b/`.
    pub path: String,
    /// `scheme://host[:port]`, or empty for a path-only base.
    pub origin: String,
}

/// Checks `base_url`: empty, a path (`/coaching`) or an `http(s)` URL
/// (`https://acme.github.io/coaching`). Every path segment may hold only
/// letters, digits and `-._~` (not `.` or `..` alone); no backslash,
/// whitespace, control character, `//`, credentials, query or fragment.
/// Anything else could make a page load script from another host
/// (`/\evil.example/search.js` is fetched from `evil.example`) or break
/// the dev server's routes (`/:x`, `/{x}`, `/*x`), so it is refused.
pub fn parse_base_url(raw: &str) -> Result<BaseUrl, String> {
    let t = raw.trim();
    let bad = |why: &str| {
        Err(format!(
            "base_url {raw:?} {why}; write it like \"https://acme.github.io/coaching\" or \"/coaching\""
        ))
    };
    if let Some(c) = t
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == '\\')
    {
        return bad(&format!("holds {:?}, which a URL may not", c));
    }
    let (origin, path) = if t.contains("://") {
        let Ok(u) = url::Url::parse(t) else {
            return bad("is not a URL");
        };
        if !matches!(u.scheme(), "http" | "https") {
            return bad("must start with http:// or https://");
        }
        if u.host_str().is_none_or(str::is_empty) {
            return bad("has no host");
        }
        if !u.username().is_empty() || u.password().is_some() {
            return bad("must not hold a user name or password");
        }
        if u.query().is_some() || u.fragment().is_some() {
            return bad("must not hold a query (?) or fragment (#)");
        }
        // The path as written: the parser would turn `%2e%2e` into `..`
        // and drop what it does not like.
        let after = &t[t.find("://").map_or(0, |i| i + 3)..];
        let path = after.find('/').map_or("", |j| &after[j..]);
        (u.origin().ascii_serialization(), path.to_string())
    } else if t.is_empty() {
        (String::new(), String::new())
    } else if t.starts_with('/') {
        (String::new(), t.to_string())
    } else {
        return bad("must be an http(s) URL or a path starting with /");
    };
    let trimmed = path.strip_suffix('/').unwrap_or(&path);
    let mut base_path = String::from("/");
    if !trimmed.is_empty() {
        for seg in trimmed.strip_prefix('/').unwrap_or(trimmed).split('/') {
            if seg.is_empty() {
                return bad("has an empty path segment (//)");
            }
            if seg == "." || seg == ".." {
                return bad("has a . or .. path segment");
            }
            if let Some(c) = seg
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
            {
                return bad(&format!(
                    "holds {c:?} in its path; a path segment may hold only letters, digits and - . _ ~"
                ));
            }
            base_path.push_str(seg);
            base_path.push('/');
        }
    }
    let url = format!("{origin}{}", base_path.trim_end_matches('/'));
    Ok(BaseUrl {
        url,
        path: base_path,
        origin,
    })
}

/// Checks `type_key`: a frontmatter key, so not empty, no surrounding
/// spaces, no `:` or `#` (YAML would read neither as part of a key), no
/// control characters, and not a field coachbook reads for itself.
pub fn parse_type_key(raw: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "type_key {raw:?} {why}; write the frontmatter key that names the kind of note, like \"type\" or \"category\""
        ))
    };
    if raw.trim().is_empty() {
        return bad("is empty");
    }
    if raw.trim() != raw {
        return bad("has spaces around it");
    }
    if raw.chars().any(|c| c.is_control() || c == ':' || c == '#') {
        return bad("holds a character a frontmatter key cannot");
    }
    if ["title", "name", "slug", "tags", "aliases", "date"].contains(&raw) {
        return bad("is a field coachbook reads for itself");
    }
    Ok(raw.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    as_of: Option<DateOrText>,
    utc_offset: Option<String>,
    currency: Option<String>,
    fiscal_year_start_month: Option<i64>,
    stages: Option<toml::map::Map<String, toml::Value>>,
    coverage_target: Option<f64>,
    forecast_error_target: Option<f64>,
    stale_days: Option<i64>,
    unsafe_html: Option<bool>,
    type_key: Option<String>,
    compare_days: Option<i64>,
    audiences: Option<toml::map::Map<String, toml::Value>>,
    page_size: Option<i64>,
}

/// `+02:00`, `-08:00`, `+0530`, `Z` or `UTC` as minutes east of UTC.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None if rest.len() <= 2 => (rest, "0"),
        None => return None,
    };
    if h.is_empty()
        || !h.bytes().all(|b| b.is_ascii_digit())
        || !m.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = sign * (h * 60 + m);
    (m < 60 && (-12 * 60..=14 * 60).contains(&minutes)).then_some(minutes)
}

/// `as_of` may be a TOML date (`as_of = 2026-11-25`) or a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateOrText {
    Date(toml::value::Datetime),
    Text(String),
}

#[cfg(test)]
mod tests;

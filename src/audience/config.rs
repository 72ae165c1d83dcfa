//! `[audiences.NAME]` tables of `coachbook.toml`: read and checked (an
//! unknown key or kind is a configuration error).

use super::*;

/// One `[audiences.NAME]` table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AudienceConfig {
    pub kinds: Vec<Kind>,
    pub teams: Vec<String>,
    pub reps: Vec<String>,
    pub folders: Vec<String>,
    pub tags: Vec<String>,
    pub exclude_kinds: Vec<Kind>,
    pub exclude_teams: Vec<String>,
    pub exclude_reps: Vec<String>,
    pub exclude_folders: Vec<String>,
    pub exclude_tags: Vec<String>,
    /// Published for anyone: no `noindex`, and a `sitemap.xml`.
    pub public: bool,
    /// Write `sitemap.xml` even though the audience is not public.
    pub sitemap: bool,
    /// Notes marked `private: true` are in this audience too.
    pub private: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudience {
    kinds: Option<Vec<String>>,
    teams: Option<Vec<String>>,
    reps: Option<Vec<String>>,
    folders: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    exclude_kinds: Option<Vec<String>>,
    exclude_teams: Option<Vec<String>>,
    exclude_reps: Option<Vec<String>>,
    exclude_folders: Option<Vec<String>>,
    exclude_tags: Option<Vec<String>>,
    public: Option<bool>,
    sitemap: Option<bool>,
    private: Option<bool>,
}

/// Whether `name` may name an audience: it is a folder of the output
/// (`--all-audiences`), so letters, digits, `-` and `_` only.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn kinds_of(audience: &str, key: &str, names: Vec<String>) -> Result<Vec<Kind>, String> {
    let mut out = Vec::new();
    for n in names {
        if n.trim() == "*" {
            out.extend(Kind::ALL);
            continue;
        }
        match Kind::from_type(n.trim()) {
            Some(k) => out.push(k),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.type_name()).collect();
                return Err(format!(
                    "audience {audience}: {key} lists {n:?}, which is not a kind of note; the kinds are {} (or \"*\" for all)",
                    known.join(", ")
                ));
            }
        }
    }
    out.sort_by_key(|k| k.type_name());
    out.dedup();
    Ok(out)
}

/// A folder as written (`reps`, `/reps/`, `./reps`) as `reps/`.
pub(super) fn folder_key(f: &str) -> String {
    let t = f.trim().trim_start_matches("./").trim_matches('/');
    if t.is_empty() {
        String::new()
    } else {
        format!("{}/", t.to_lowercase())
    }
}

pub(super) fn tag_key(t: &str) -> String {
    t.trim().trim_start_matches('#').to_lowercase()
}

/// The `[audiences]` table of `coachbook.toml`: every key and kind checked
/// (a mistake is a configuration error, exit 2, never a wider site).
pub fn parse_audiences(
    table: toml::map::Map<String, toml::Value>,
) -> Result<BTreeMap<String, AudienceConfig>, String> {
    let mut out = BTreeMap::new();
    for (name, value) in table {
        if !valid_name(&name) {
            return Err(format!(
                "audience {name:?}: a name may hold only letters, digits, - and _ (it names the audience's output folder)"
            ));
        }
        if !value.is_table() {
            return Err(format!(
                "audiences.{name} must be a table: write [audiences.{name}] with its keys below"
            ));
        }
        let raw: RawAudience = value
            .try_into()
            .map_err(|e: toml::de::Error| format!("audience {name}: {}", e.message().trim()))?;
        let list = |v: Option<Vec<String>>| -> Vec<String> {
            v.unwrap_or_default()
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let a = AudienceConfig {
            kinds: kinds_of(&name, "kinds", raw.kinds.unwrap_or_default())?,
            exclude_kinds: kinds_of(
                &name,
                "exclude_kinds",
                raw.exclude_kinds.unwrap_or_default(),
            )?,
            teams: list(raw.teams),
            reps: list(raw.reps),
            folders: list(raw.folders),
            tags: list(raw.tags),
            exclude_teams: list(raw.exclude_teams),
            exclude_reps: list(raw.exclude_reps),
            exclude_folders: list(raw.exclude_folders),
            exclude_tags: list(raw.exclude_tags),
            public: raw.public.unwrap_or(false),
            sitemap: raw.sitemap.unwrap_or(false),
            private: raw.private.unwrap_or(false),
        };
        out.insert(name, a);
    }
    Ok(out)
}

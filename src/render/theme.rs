//! The theme: Tera templates, static files and data, embedded in the binary
//! from `themes/default/` so a new site needs no theme folder. A site's own
//! `templates/NAME.html` replaces the theme's template of that name, and its
//! `data/questions.toml` replaces key questions by MEDDPICC element.

use crate::config::Config;
use crate::model::MEDDPICC;
use std::collections::HashMap;
use std::path::Path;
use tera::Tera;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The theme's templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/macros.html",
    "templates/dashboard.html",
    "templates/team.html",
    "templates/teams.html",
    "templates/rep.html",
    "templates/manager.html",
    "templates/pipeline.html",
    "templates/deal.html",
    "templates/interaction.html",
    "templates/prep.html",
    "templates/forecast_note.html",
    "templates/page.html",
    "templates/section.html",
    "templates/forecast.html",
    "templates/changes.html",
    "templates/since.html",
    "templates/trend.html",
    "templates/tags.html",
    "templates/tag.html",
    "templates/notes.html",
    "templates/metrics.html",
    "templates/search.html",
    "templates/problems.html",
    "templates/deals.html",
    "templates/deal_rows.html",
    "templates/handbook.html",
    "templates/404.html",
);

/// The theme's static files: (path under the output folder, contents).
/// `filter.js` (the table filter both pages share) is put at the start of
/// `board.js` and `changes.js`: one request a page, one copy of the code.
pub const STATIC: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_str!("../../themes/default/static/search.js"),
    ),
    (
        "board.js",
        concat!(
            include_str!("../../themes/default/static/filter.js"),
            include_str!("../../themes/default/static/board.js")
        ),
    ),
    (
        "changes.js",
        concat!(
            include_str!("../../themes/default/static/filter.js"),
            include_str!("../../themes/default/static/changes.js")
        ),
    ),
];

/// The default key questions, one per MEDDPICC element.
pub const QUESTIONS: &str = include_str!("../../themes/default/data/questions.toml");

pub struct Theme {
    pub tera: Tera,
    /// MEDDPICC element -> the Socratic question asked when it is the weakest.
    pub questions: HashMap<String, String>,
}

impl Theme {
    /// The embedded theme with the site's overrides from `site_dir`.
    pub fn load(site_dir: &Path, config: &Config) -> Result<Theme, String> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| {
                (
                    n.trim_start_matches("templates/").to_string(),
                    s.to_string(),
                )
            })
            .collect();
        let overrides = site_dir.join("templates");
        if let Some(link) = crate::site_files::symlink_below(site_dir, &overrides) {
            return Err(crate::site_files::Refused::Symlink(link).to_string());
        }
        if overrides.is_dir() {
            let entries = std::fs::read_dir(&overrides)
                .map_err(|e| format!("cannot read {}: {e}", overrides.display()))?;
            let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            files.sort();
            for path in files {
                if path.extension().is_none_or(|x| x != "html") || path.is_dir() {
                    continue;
                }
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = crate::site_files::read_to_string(site_dir, &path)
                    .map_err(|e| e.to_string())?
                    .unwrap_or_default();
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also escapes `/`, which only lengthens URLs.
        tera.set_escape_fn(super::escape::html);
        tera.add_raw_templates(sources)
            .map_err(|e| format!("a template does not compile: {}", tera_error_chain(&e)))?;
        super::format::register(&mut tera, &config.currency);

        let mut questions = parse_questions(QUESTIONS)?;
        let custom = site_dir.join("data").join("questions.toml");
        if let Some(text) =
            crate::site_files::read_to_string(site_dir, &custom).map_err(|e| e.to_string())?
        {
            let over = parse_questions(&text).map_err(|e| format!("{}: {e}", custom.display()))?;
            questions.extend(over);
        }
        Ok(Theme { tera, questions })
    }
}

fn parse_questions(text: &str) -> Result<HashMap<String, String>, String> {
    #[derive(serde::Deserialize)]
    struct Raw {
        meddpicc: HashMap<String, String>,
    }
    let raw: Raw = toml::from_str(text).map_err(|e| crate::config::toml_error(text, &e))?;
    for k in raw.meddpicc.keys() {
        if !MEDDPICC.contains(&k.as_str()) {
            return Err(format!(
                "[meddpicc] {k} is not a MEDDPICC element ({})",
                MEDDPICC.join(", ")
            ));
        }
    }
    Ok(raw.meddpicc)
}

/// A Tera error with its causes, which hold the useful part.
pub fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_questions_cover_every_element() {
        let q = parse_questions(QUESTIONS).unwrap();
        for k in MEDDPICC {
            assert!(q.get(k).is_some_and(|s| s.ends_with('?')), "{k}");
        }
    }

    /// Tera is vendored with a patch to its variable lookups
    /// (`vendor/README.md`): every form of path still reads what it names,
    /// as Tera 1.20.1 from crates.io renders this template (checked
    /// against it when the patch was made): dotted paths, bracketed keys
    /// with `/` and `~` (JSON pointer escapes inside Tera), indexes, loop
    /// variables, `set` values, defaults, tests and concatenation.
    #[test]
    fn variable_lookups_read_every_form_of_path() {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        let template = concat!(
            r#"{{ a.b.c }}|{{ a["x/y"] }}|{{ a["p~q"] }}|{{ a['x/y'] }}|"#,
            r#"{{ list.1.name }}|{{ list[1]["k/v"] }}|"#,
            r#"{% for e in list %}{{ e.name }}{{ e["k/v"] }}{{ loop.index }},{% endfor %}|"#,
            r#"{% set s = a.b %}{{ s.c }}|{{ text }}|{{ a.missing | default(value="none") }}|"#,
            r#"{% if a.b.c == "deep" %}yes{% endif %}|{{ a.b.c ~ "!" }}"#,
        );
        tera.add_raw_template("t.html", template).unwrap();
        let ctx = tera::Context::from_value(serde_json::json!({
            "a": {"b": {"c": "deep"}, "x/y": "slash", "p~q": "tilde"},
            "list": [{"name": "one", "k/v": 1}, {"name": "<two>", "k/v": 2}],
            "text": "a & b"
        }))
        .unwrap();
        assert_eq!(
            tera.render("t.html", &ctx).unwrap(),
            "deep|slash|tilde|slash|&lt;two&gt;|2|one11,&lt;two&gt;22,|deep|a &amp; b|none|yes|deep!"
        );
    }
}

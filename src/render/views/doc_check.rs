//! `docs/templates.md` documents each template's data; this test builds
//! every page of the example site and the test fixtures and checks that
//! each template's variables, and the fields of each, are exactly those
//! the document lists (so the document cannot drift from the views).

use crate::render::{theme::Theme, Renderer};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Template -> variable -> its fields (an object's keys, or the keys of
/// the objects in a list).
type Shape = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

thread_local! {
    /// The contexts of the templates rendered apart from a page
    /// (`Cx::render_part`), as they are rendered on this thread.
    pub static PARTS: std::cell::RefCell<Vec<(String, tera::Context)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The variables every page has (documented once, under "Every page").
const COMMON: [&str; 6] = ["site", "base", "live_reload", "nav", "page", "left_out"];

fn fields(v: &Value) -> BTreeSet<String> {
    match v {
        Value::Object(m) => m.keys().cloned().collect(),
        Value::Array(a) => a.iter().flat_map(fields).collect(),
        _ => BTreeSet::new(),
    }
}

fn shape_of(site: &Path, out: &mut Shape) {
    let Ok(a) = crate::build::analyse(site, None) else {
        return;
    };
    let theme = Theme::load(site, &a.config).expect("theme");
    let r = Renderer::new(&a.site, &a.links, &a.metrics, &a.config, &theme, &a.diags);
    for job in r.jobs() {
        let (template, ctx, _) = super::context(&r, &job);
        let (ctx, _) = ctx.expect("every page of the fixtures renders");
        let parts = PARTS.with(|p| std::mem::take(&mut *p.borrow_mut()));
        let page = std::iter::once((template.to_string(), ctx, true));
        let parts = parts.into_iter().map(|(t, c)| (t, c, false));
        for (template, ctx, is_page) in page.chain(parts) {
            let Value::Object(map) = ctx.into_json() else {
                continue;
            };
            shape_into(&template, map, is_page, out);
        }
    }
}

/// Adds one template's context to `out`.
fn shape_into(template: &str, map: serde_json::Map<String, Value>, is_page: bool, out: &mut Shape) {
    for (k, v) in map {
        let t = if is_page && COMMON.contains(&k.as_str()) {
            "Every page"
        } else {
            template
        };
        out.entry(t.to_string())
            .or_default()
            .entry(k)
            .or_default()
            .extend(fields(&v));
    }
}

/// The backticked names in a piece of Markdown.
fn ticked(s: &str) -> BTreeSet<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn documented(doc: &str) -> Shape {
    let mut out = Shape::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = Some(
                ticked(h)
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| h.trim().to_string()),
            );
            continue;
        }
        let Some(t) = &current else { continue };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| `var` | `field`, `field` | what it is |`
        if cells.len() >= 4 && cells[1].starts_with('`') {
            let var = ticked(cells[1]).into_iter().next().unwrap_or_default();
            out.entry(t.clone())
                .or_default()
                .insert(var, ticked(cells[2]));
        }
    }
    out
}

#[test]
fn docs_templates_md_lists_exactly_the_data_of_each_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut built = Shape::new();
    for site in [
        ".",
        "tests/sites/valid",
        "tests/sites/invalid",
        "tests/sites/vault",
    ] {
        shape_of(&root.join(site), &mut built);
    }
    if std::env::var_os("COACHBOOK_PRINT_TEMPLATE_DATA").is_some() {
        // The tables of the document, to start it again.
        for (t, vars) in &built {
            let head = if t.ends_with(".html") {
                format!("`{t}`")
            } else {
                t.clone()
            };
            println!("## {head}\n\n| variable | fields | what it is |\n| --- | --- | --- |");
            for (v, fs) in vars {
                let fs: Vec<String> = fs.iter().map(|f| format!("`{f}`")).collect();
                println!("| `{v}` | {} | |", fs.join(", "));
            }
            println!();
        }
    }
    let doc = std::fs::read_to_string(root.join("docs/templates.md")).expect("docs/templates.md");
    let doc = documented(&doc);
    let mut problems = Vec::new();
    for (t, vars) in &built {
        for (var, fs) in vars {
            match doc.get(t).and_then(|d| d.get(var)) {
                None => problems.push(format!("{t}: `{var}` ({fs:?}) is not documented")),
                Some(d) if d != fs => problems.push(format!(
                    "{t}: `{var}` has fields {fs:?}, the document says {d:?}"
                )),
                Some(_) => {}
            }
        }
    }
    for (t, vars) in &doc {
        for var in vars.keys() {
            if built.get(t).is_none_or(|b| !b.contains_key(var)) {
                problems.push(format!("{t}: `{var}` is documented but no page has it"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/templates.md:\n{}",
        problems.join("\n")
    );
}

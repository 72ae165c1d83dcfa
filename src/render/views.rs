//! The data each template sees: small JSON views built from the site, its
//! links and its metrics. Every page gets `site` (title, base, currency,
//! as_of, fiscal year), `base` (the same as `site.base`), `page` (title,
//! kind, path) and its own keys.

use super::charts::{self, Bar, ChartSpec, Unit};
use super::format::currency_symbol;
use super::markdown::LinkTarget;
use super::{Job, Renderer};
use crate::metrics::scorecard::ATTAINMENT_TARGET;
use crate::metrics::{DealMetrics, RepMetrics};
use crate::model::*;
use serde_json::{json, Value};

/// The template and context of a job.
pub fn context(r: &Renderer, job: &Job) -> (&'static str, tera::Context) {
    let mut ctx = Ctx::default();
    ctx.insert("site", r.site_view.clone());
    // `site.base` again at the top level: every link starts with it, and a
    // top-level name is much cheaper for Tera to look up than a dotted path.
    ctx.insert("base", r.config.base_path.clone());
    ctx.insert("live_reload", r.live_reload);
    // The pages of figures (the dashboard, a team, a rep's plan and
    // pipeline) say how many notes the figures leave out (`base.html`
    // shows it under the header, linking to the problems page).
    let shows_figures = match job {
        Job::Dashboard | Job::Team(_) | Job::Pipeline(_) => true,
        Job::Note(i) => r.site.notes[*i].kind == Kind::Rep,
        _ => false,
    };
    if shows_figures {
        ctx.insert("left_out", r.left_out.len());
    }
    let (template, title, kind, path) = match job {
        Job::Dashboard if r.handbook_only() => {
            handbook(r, &mut ctx);
            (
                "handbook.html",
                r.config.title.clone(),
                "Handbook",
                String::new(),
            )
        }
        Job::Dashboard => {
            dashboard(r, &mut ctx);
            (
                "dashboard.html",
                r.config.title.clone(),
                "Dashboard",
                String::new(),
            )
        }
        Job::Handbook => {
            handbook(r, &mut ctx);
            (
                "handbook.html",
                "Handbook".into(),
                "Handbook",
                "handbook/".into(),
            )
        }
        Job::Team(t) => {
            team(r, t, &mut ctx);
            (
                "team.html",
                t.clone(),
                "Team",
                format!("teams/{}/", r.team_slug(t)),
            )
        }
        Job::Note(i) => {
            let n = &r.site.notes[*i];
            let t = note_page(r, *i, &mut ctx);
            (t, n.title.clone(), n.kind.label(), n.url_path())
        }
        Job::Pipeline(i) => {
            let n = &r.site.notes[*i];
            pipeline(r, *i, &mut ctx);
            (
                "pipeline.html",
                format!("{}: pipeline review", n.title),
                "Pipeline review",
                format!("{}pipeline/", n.url_path()),
            )
        }
        Job::Section(Kind::Deal) => {
            deal_board(r, &mut ctx);
            ("deals.html", "Deals".into(), "Section", "deals/".into())
        }
        Job::Section(k) => {
            let notes = r
                .site
                .notes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == *k);
            ctx.insert("count", notes.clone().count());
            ctx.insert("rows", r.note_rows(notes.map(|(i, _)| i)));
            ctx.insert("section_kind", k.type_name());
            (
                "section.html",
                k.plural().to_string(),
                "Section",
                format!("{}/", k.section()),
            )
        }
        Job::Forecast => {
            forecast_page(r, &mut ctx);
            (
                "forecast.html",
                "Forecast accuracy".into(),
                "Forecast",
                "forecast/".into(),
            )
        }
        Job::Teams => {
            let teams: Vec<Value> = r
                .teams
                .iter()
                .map(|(t, reps)| {
                    json!({"name": t, "url": r.href(&format!("teams/{}/", r.team_slug(t))),
                           "reps": reps.len(), "m": r.metrics.teams.get(t)})
                })
                .collect();
            ctx.insert("teams", teams);
            ("teams.html", "Teams".into(), "Teams", "teams/".into())
        }
        Job::Tags => {
            let tags: Vec<Value> = r
                .tags
                .iter()
                .map(|(slug, (name, notes))| {
                    json!({"name": name, "url": r.href(&format!("tags/{slug}/")), "count": notes.len()})
                })
                .collect();
            ctx.insert("tags", tags);
            ("tags.html", "Tags".into(), "Tags", "tags/".into())
        }
        Job::Tag(slug) => {
            let (name, notes) = r.tags.get(slug).cloned().unwrap_or_default();
            // The tags one level below (`region/emea` under `region`).
            let below = format!("{slug}/");
            let children: Vec<Value> = r
                .tags
                .range(below.clone()..)
                .take_while(|(s, _)| s.starts_with(&below))
                .filter(|(s, _)| !s[below.len()..].contains('/'))
                .map(|(s, (n, notes))| {
                    json!({"name": n, "url": r.href(&format!("tags/{s}/")), "count": notes.len()})
                })
                .collect();
            ctx.insert("children", children);
            ctx.insert("tag", name.clone());
            ctx.insert("count", notes.len());
            ctx.insert("rows", r.note_rows(notes.iter().copied()));
            (
                "tag.html",
                format!("Tag: {name}"),
                "Tag",
                format!("tags/{slug}/"),
            )
        }
        Job::Notes => {
            let mut groups = Vec::new();
            for k in Kind::ALL {
                let notes = r.site.notes.iter().enumerate().filter(|(_, n)| n.kind == k);
                let count = notes.clone().count();
                if count > 0 {
                    groups.push(json!({"kind": k.plural(), "url": r.href(&format!("{}/", k.section())), "count": count, "rows": r.note_rows(notes.map(|(i, _)| i))}));
                }
            }
            ctx.insert("groups", groups);
            ctx.insert("count", r.site.notes.len());
            ("notes.html", "Every note".into(), "Index", "notes/".into())
        }
        Job::Metrics => {
            ctx.insert(
                "stages",
                r.config
                    .stages
                    .iter()
                    .map(|(s, p)| json!({"name": s, "probability": p}))
                    .collect::<Vec<_>>(),
            );
            ctx.insert("coverage_target", r.config.coverage_target);
            ctx.insert("forecast_error_target", r.config.forecast_error_target);
            ctx.insert("stale_days", r.config.stale_days);
            (
                "metrics.html",
                "How the numbers are calculated".into(),
                "Definitions",
                "metrics/".into(),
            )
        }
        Job::Search => ("search.html", "Search".into(), "Search", "search/".into()),
        Job::Problems => {
            problems(r, &mut ctx);
            (
                "problems.html",
                "Problems".into(),
                "Problems",
                "problems/".into(),
            )
        }
        Job::NotFound => (
            "404.html",
            "Page not found".into(),
            "Not found",
            "404.html".into(),
        ),
    };
    ctx.insert(
        "page",
        json!({"title": title, "kind": kind, "path": path, "url": r.href(&path)}),
    );
    (template, ctx.into_context())
}

/// A template context built from owned JSON values (Tera's own `insert`
/// serializes every value again).
#[derive(Default)]
pub struct Ctx(serde_json::Map<String, Value>);

impl Ctx {
    pub fn insert(&mut self, key: &str, v: impl Into<Value>) {
        self.0.insert(key.to_string(), v.into());
    }

    /// A value of any serializable type (figures structs).
    pub fn insert_ser(&mut self, key: &str, v: &impl serde::Serialize) {
        self.0.insert(
            key.to_string(),
            serde_json::to_value(v).unwrap_or(Value::Null),
        );
    }

    fn into_context(self) -> tera::Context {
        tera::Context::from_value(Value::Object(self.0)).unwrap_or_default()
    }
}

/// The most teams the navigation names one by one.
const NAV_TEAMS: usize = 4;

/// What every page knows of the site (built once per build).
pub fn site_view(r: &Renderer) -> Value {
    let fy = &r.metrics.fiscal_year;
    json!({
        "title": r.config.title,
        "base": r.config.base_path,
        "currency": r.config.currency,
        "as_of": r.metrics.as_of.to_string(),
        "fiscal_year": {"name": fy.name, "start": fy.start.to_string(), "end": fy.end.to_string()},
        "handbook_only": r.handbook_only(),
        // The navigation names the teams when there are few; else it links
        // to the list of teams (every page carries the navigation).
        "nav_teams": if r.teams.len() <= NAV_TEAMS {
            r.teams.keys().map(|t| json!({"name": t, "url": r.href(&format!("teams/{}/", r.team_slug(t)))})).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

/// Title, URL and kind of a note, for links and lists.
pub fn note_link(r: &Renderer, i: NoteIdx) -> Value {
    let n = &r.site.notes[i];
    json!({
        "title": n.title,
        "url": r.href(&n.url_path()),
        "kind": n.kind.label(),
        "type": n.kind.type_name(),
        "id": n.id,
    })
}

/// A note's row in the note tables (what the `note_table` macro's rows
/// are): link (flagged when the note has errors), kind, date and tags.
pub fn note_row(r: &Renderer, i: NoteIdx) -> String {
    use super::escape::html as esc;
    let n = &r.site.notes[i];
    let date = n.list_date().map(|d| d.to_string());
    let mut row = String::with_capacity(160 + n.title.len());
    row.push_str("<tr><td><a href=\"");
    row.push_str(&esc(&r.href(&n.url_path())));
    row.push_str("\">");
    row.push_str(&esc(&n.title));
    row.push_str("</a>");
    if !n.valid {
        row.push_str(r#" <span class="badge risk-red">Has errors</span>"#);
    }
    row.push_str("</td><td>");
    row.push_str(&esc(n.kind.label()));
    row.push_str("</td><td>");
    match date {
        Some(d) => row.push_str(&esc(&d)),
        None => row.push_str(r#"<span class="dash">—</span>"#),
    }
    row.push_str("</td><td>");
    row.push_str(&esc(&n.tags.join(", ")));
    row.push_str("</td></tr>\n");
    row
}

fn ref_link(r: &Renderer, f: Option<&RefField>) -> Value {
    match f {
        Some(f) => match f.resolved {
            Some(i) => note_link(r, i),
            None => json!({"title": f.target, "url": null, "broken": true}),
        },
        None => Value::Null,
    }
}

fn tags_view(r: &Renderer, tags: &[String]) -> Vec<Value> {
    tags.iter()
        .filter_map(|t| {
            let s = crate::content::obsidian::tag_slug(t);
            (!s.is_empty()).then(|| json!({"name": t, "url": r.href(&format!("tags/{s}/"))}))
        })
        .collect()
}

/// Where a wikilink goes (see `obsidian::embeds`).
fn link_target(r: &Renderer, l: &WikiLink) -> LinkTarget {
    super::obsidian::embeds::link_target(r, l)
}

/// A property's value as HTML: its text, with each `[[wikilink]]` in it
/// (the note's `property_links` of this property, in order) a link.
fn property_html(r: &Renderer, n: &Note, index: usize, text: &str) -> String {
    use super::escape::html as esc;
    let mut links = n
        .property_links
        .iter()
        .filter(|(p, _)| *p == index)
        .map(|(_, l)| l);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, dest, label) in crate::content::obsidian::text_links(text) {
        let Some(l) = links.next() else { break };
        out.push_str(&esc(&text[at..range.start]));
        let shown = label.unwrap_or_else(|| crate::content::obsidian::link_text(&dest));
        let t = link_target(r, l);
        match t.href {
            Some(href) => out.push_str(&format!(
                "<a class=\"wikilink\" href=\"{}\" title=\"{}\">{}</a>",
                esc(&href),
                esc(&t.title),
                esc(&shown)
            )),
            None => out.push_str(&format!(
                "<a class=\"broken-link\" title=\"{}\">{}</a>",
                esc(&t.title),
                esc(&shown)
            )),
        }
        at = range.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

fn body_html(r: &Renderer, n: &Note) -> String {
    super::obsidian::embeds::body_html(r, n)
}

fn label(key: &str) -> String {
    let s = key.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

fn money_unit(r: &Renderer) -> Unit {
    Unit::Money {
        symbol: currency_symbol(&r.config.currency),
    }
}

/// Interactions (and preps) about note `i`, newest first.
fn timeline(r: &Renderer, i: NoteIdx) -> Vec<Value> {
    let mut items: Vec<(chrono::NaiveDate, NoteIdx)> = r.about[i]
        .iter()
        .filter_map(|j| r.site.notes[*j].date.map(|d| (d, *j)))
        .collect();
    items.sort_by(|a, b| b.cmp(a));
    items
        .iter()
        .map(|(_, j)| interaction_summary(r, *j))
        .collect()
}

fn interaction_summary(r: &Renderer, j: NoteIdx) -> Value {
    let n = &r.site.notes[j];
    let mut v = note_link(r, j);
    v["date"] = json!(n.date.map(|d| d.to_string()));
    if let Some(x) = n.interaction() {
        v["takeaway"] = json!(x.takeaway);
        v["gap"] = json!(x.gap.map(Gap::as_str));
        v["skill"] = json!(x.skill.map(|s| label(s.as_str())));
        v["outcome"] = json!(x.outcome.map(|o| label(o.as_str())));
        v["rep"] = ref_link(r, Some(&x.rep));
        v["deal"] = ref_link(r, x.deal.as_ref());
    }
    if let Some(p) = n.prep() {
        v["takeaway"] = json!(p.objective);
        v["rep"] = ref_link(r, p.rep.as_ref());
        v["deal"] = ref_link(r, Some(&p.deal));
    }
    v
}

fn deal_row(r: &Renderer, i: NoteIdx) -> Option<Value> {
    let n = &r.site.notes[i];
    let d = n.deal()?;
    let m = r.metrics.deals.get(&n.id)?;
    Some(json!({
        "title": n.title,
        "url": r.href(&n.url_path()),
        "account": d.account,
        "owner": ref_link(r, Some(&d.owner)),
        "value": d.value,
        "stage": d.stage,
        "stage_label": label(&d.stage),
        "probability": m.probability,
        "weighted_value": m.weighted_value,
        "age_days": m.age_days,
        "close_date": d.close_date.map(|c| c.to_string()),
        "last_activity": m.last_activity.to_string(),
        "meddpicc_total": m.meddpicc_total,
        "risk": m.risk.map(|k| k.as_str()),
        "risk_reasons": m.risk_reasons,
        "next_step": d.next_step,
        "key_question": key_question(r, d, m),
    }))
}

fn key_question(r: &Renderer, d: &Deal, m: &DealMetrics) -> Value {
    match &d.key_question {
        Some(q) => json!({"text": q, "generated": false}),
        None => {
            let key = MEDDPICC
                .get(m.weakest_element)
                .copied()
                .unwrap_or("metrics");
            json!({
                "text": r.theme.questions.get(key).cloned().unwrap_or_default(),
                "generated": true,
                "element": label(key),
                "score": d.meddpicc.get(m.weakest_element).map(|e| e.score),
            })
        }
    }
}

fn rep_metrics(r: &Renderer, i: NoteIdx) -> RepMetrics {
    r.metrics
        .reps
        .get(&r.site.notes[i].id)
        .cloned()
        .unwrap_or_default()
}

fn dashboard(r: &Renderer, ctx: &mut Ctx) {
    let m = r.metrics;
    ctx.insert_ser("org", &m.org);
    ctx.insert("scorecard", scorecard_view(r));
    let teams: Vec<Value> = r
        .teams
        .keys()
        .map(|t| {
            json!({
                "name": t,
                "url": r.href(&format!("teams/{}/", r.team_slug(t))),
                "m": m.teams.get(t),
            })
        })
        .collect();
    ctx.insert("teams", teams);
    let all_reps: Vec<NoteIdx> = r.teams.values().flatten().copied().collect();
    ctx.insert("reps", rep_rows(r, &all_reps));
    ctx.insert("charts", dashboard_charts(r, &all_reps, "dash"));
    // Open red deals across the org, biggest first.
    let mut red: Vec<NoteIdx> = r
        .site
        .deals()
        .filter(|(_, n, _)| {
            r.metrics
                .deals
                .get(&n.id)
                .is_some_and(|d| d.risk == Some(crate::metrics::Risk::Red))
        })
        .map(|(i, _, _)| i)
        .collect();
    red.sort_by(|a, b| deal_value(r, *b).total_cmp(&deal_value(r, *a)));
    ctx.insert(
        "red_deals",
        red.iter()
            .take(10)
            .filter_map(|i| deal_row(r, *i))
            .collect::<Vec<_>>(),
    );
    ctx.insert("recent", recent_interactions(r, None, 8));
}

fn deal_value(r: &Renderer, i: NoteIdx) -> f64 {
    r.site.notes[i].deal().map_or(0.0, Deal::value_or_zero)
}

fn recent_interactions(r: &Renderer, reps: Option<&[NoteIdx]>, limit: usize) -> Vec<Value> {
    let mut items: Vec<(chrono::NaiveDate, NoteIdx)> = r
        .site
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.valid && n.kind.is_interaction())
        .filter(|(_, n)| match reps {
            None => true,
            Some(reps) => n
                .rep_ref()
                .and_then(|x| x.resolved)
                .is_some_and(|x| reps.contains(&x)),
        })
        .filter_map(|(i, n)| n.date.map(|d| (d, i)))
        .filter(|(d, _)| *d <= r.metrics.as_of)
        .collect();
    items.sort_by(|a, b| b.cmp(a));
    items
        .iter()
        .take(limit)
        .map(|(_, i)| interaction_summary(r, *i))
        .collect()
}

fn rep_rows(r: &Renderer, reps: &[NoteIdx]) -> Vec<Value> {
    reps.iter()
        .map(|i| {
            let n = &r.site.notes[*i];
            json!({
                "title": n.title,
                "url": r.href(&n.url_path()),
                "pipeline_url": r.href(&format!("{}pipeline/", n.url_path())),
                "team": n.rep().map(|x| x.team.clone()),
                "m": rep_metrics(r, *i),
            })
        })
        .collect()
}

fn dashboard_charts(r: &Renderer, reps: &[NoteIdx], prefix: &str) -> Value {
    let money = money_unit(r);
    // Pipeline by stage (value, weighted), over the deals of these reps.
    let mut by_stage: Vec<(String, f64, f64)> = r
        .config
        .stages
        .iter()
        .map(|(s, _)| (s.clone(), 0.0, 0.0))
        .collect();
    for rep in reps {
        for d in &r.deals_of[*rep] {
            let n = &r.site.notes[*d];
            if let (Some(deal), Some(m)) = (n.deal(), r.metrics.deals.get(&n.id)) {
                if let Some(row) = by_stage.iter_mut().find(|(s, _, _)| *s == deal.stage) {
                    row.1 += deal.value_or_zero();
                    row.2 += m.weighted_value;
                }
            }
        }
    }
    let stage_bars: Vec<Bar> = by_stage
        .iter()
        .map(|(s, v, w)| Bar {
            label: label(s),
            value: *v,
            secondary: Some(*w),
            href: None,
        })
        .collect();
    let pipeline = charts::bar_chart(
        &ChartSpec {
            id: &format!("{prefix}-pipeline"),
            title: "Open pipeline by stage",
            description: "Total value of open deals in each stage, with the weighted value (value x probability).",
            unit: money.clone(),
            target: None,
            value_label: "Pipeline",
            secondary_label: Some("Weighted"),
        },
        &stage_bars,
    );
    let rep_bars = |f: &dyn Fn(&RepMetrics) -> Option<f64>| -> Vec<Bar> {
        reps.iter()
            .map(|i| {
                let n = &r.site.notes[*i];
                Bar {
                    label: n.title.clone(),
                    value: f(&rep_metrics(r, *i)).unwrap_or(0.0),
                    secondary: None,
                    href: Some(r.href(&n.url_path())),
                }
            })
            .collect()
    };
    let attainment = charts::bar_chart(
        &ChartSpec {
            id: &format!("{prefix}-attainment"),
            title: "Quota attainment, fiscal year to date",
            description: "Closed-won value this fiscal year as a share of each rep's annual quota, against the 90% target.",
            unit: Unit::Percent,
            target: Some((ATTAINMENT_TARGET, &format!("Target {}", super::format::pct(Some(ATTAINMENT_TARGET))))),
            value_label: "Attainment",
            secondary_label: None,
        },
        &rep_bars(&|m| m.quota_attainment),
    );
    let win_rate = charts::bar_chart(
        &ChartSpec {
            id: &format!("{prefix}-winrate"),
            title: "Win rate, fiscal year to date",
            description:
                "Deals won as a share of deals closed (won or lost) this fiscal year, per rep.",
            unit: Unit::Percent,
            target: None,
            value_label: "Win rate",
            secondary_label: None,
        },
        &rep_bars(&|m| m.win_rate),
    );
    // Forecast commit vs actual per quarter, over these reps' forecasts.
    let mut quarters: std::collections::BTreeMap<String, (f64, f64, bool)> = Default::default();
    for f in &r.metrics.forecasts {
        let counts = f.owner_rep.is_some_and(|o| reps.contains(&o));
        if counts {
            let e = quarters.entry(f.period.clone()).or_insert((0.0, 0.0, true));
            e.0 += f.commit;
            e.1 += f.actual;
            e.2 &= f.is_final;
        }
    }
    let fbars: Vec<Bar> = quarters
        .iter()
        .map(|(p, (c, a, fin))| Bar {
            label: if *fin {
                p.clone()
            } else {
                format!("{p} (open)")
            },
            value: *c,
            secondary: fin.then_some(*a),
            href: None,
        })
        .collect();
    let forecast = charts::band_chart(
        &ChartSpec {
            id: &format!("{prefix}-forecast"),
            title: "Forecast commit against actual, per quarter",
            description: "The reps' summed commit for each fiscal quarter, the band of the forecast error target around it, and what actually closed won.",
            unit: money,
            target: None,
            value_label: "Commit",
            secondary_label: Some("Actual"),
        },
        &fbars,
        r.config.forecast_error_target,
    );
    json!({"pipeline": pipeline, "attainment": attainment, "win_rate": win_rate, "forecast": forecast})
}

fn scorecard_view(r: &Renderer) -> Value {
    let s = &r.metrics.scorecard;
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string());
    json!({
        "attainment": {"value": s.attainment.value, "target": s.attainment.target, "met": s.attainment.met},
        "win_rate": {
            "recent": s.win_rate.recent_rate,
            "prior": s.win_rate.prior_rate,
            "recent_label": s.win_rate.recent.as_ref().map(|w| w.label.clone()),
            "prior_label": s.win_rate.prior.as_ref().map(|w| w.label.clone()),
            "delta_points": s.win_rate.delta_points,
            "target_points": s.win_rate.target_points,
            "met": s.win_rate.met,
        },
        "forecast": {
            "hit_rate": s.forecast.hit_rate,
            "error": s.forecast.error,
            "error_target": s.forecast.error_target,
            "forecasts": s.forecast.forecasts,
            "met": s.forecast.met,
        },
        "ramp": {
            "recent": s.ramp.recent, "recent_reps": s.ramp.recent_reps,
            "prior": s.ramp.prior, "prior_reps": s.ramp.prior_reps,
            "recent_from": d(s.ramp.recent_from), "prior_from": d(s.ramp.prior_from),
            "target_ratio": s.ramp.target_ratio, "met": s.ramp.met,
        },
    })
}

fn team(r: &Renderer, t: &str, ctx: &mut Ctx) {
    let reps = r.teams.get(t).cloned().unwrap_or_default();
    ctx.insert("team", t);
    ctx.insert_ser("m", &r.metrics.teams.get(t));
    ctx.insert("reps", rep_rows(r, &reps));
    ctx.insert("charts", dashboard_charts(r, &reps, "team"));
    ctx.insert("recent", recent_interactions(r, Some(&reps), 10));
    let mut open: Vec<NoteIdx> = reps
        .iter()
        .flat_map(|rep| r.deals_of[*rep].iter().copied())
        .filter(|d| {
            r.metrics
                .deals
                .get(&r.site.notes[*d].id)
                .is_some_and(|m| m.is_open)
        })
        .collect();
    open.sort_by(|a, b| deal_value(r, *b).total_cmp(&deal_value(r, *a)));
    ctx.insert(
        "deals",
        open.iter()
            .filter_map(|i| deal_row(r, *i))
            .collect::<Vec<_>>(),
    );
}

/// A note's own page; returns its template.
fn note_page(r: &Renderer, i: NoteIdx, ctx: &mut Ctx) -> &'static str {
    let n = &r.site.notes[i];
    ctx.insert("body", body_html(r, n));
    ctx.insert("tags", tags_view(r, &n.tags));
    ctx.insert(
        "backlinks",
        r.links.backlinks[i]
            .iter()
            .map(|j| note_link(r, *j))
            .collect::<Vec<_>>(),
    );
    ctx.insert("source", n.path.clone());
    ctx.insert("breadcrumb", breadcrumb(&n.path));
    ctx.insert(
        "properties",
        n.properties
            .iter()
            .enumerate()
            .map(|(p, (k, v))| json!({"key": k, "value": v, "html": property_html(r, n, p, v)}))
            .collect::<Vec<_>>(),
    );
    ctx.insert("note_valid", n.valid);
    if !n.valid {
        ctx.insert("declared_kind", n.kind.label());
        return "page.html";
    }
    match &n.data {
        NoteData::Rep(rep) => {
            rep_page(r, i, rep, ctx);
            "rep.html"
        }
        NoteData::Manager(m) => {
            manager_page(r, i, m, ctx);
            "manager.html"
        }
        NoteData::Deal(d) => {
            deal_page(r, i, d, ctx);
            "deal.html"
        }
        NoteData::Interaction(x) => {
            ctx.insert("x", interaction_view(r, n, x));
            "interaction.html"
        }
        NoteData::Prep(p) => {
            ctx.insert("prep", json!({
                    "deal": ref_link(r, Some(&p.deal)),
                    "rep": ref_link(r, p.rep.as_ref()),
                    "date": p.date.to_string(),
                    "objective": p.objective,
                    "buyer_needs": p.buyer_needs,
                    "our_ask": p.our_ask,
                    "objections": p.objections.iter().map(|o| json!({"objection": o.objection, "response": o.response})).collect::<Vec<_>>(),
                }),
            );
            let deal = p.deal.resolved.and_then(|d| deal_row(r, d));
            ctx.insert("deal", deal);
            "prep.html"
        }
        NoteData::Forecast(f) => {
            let fm = r.metrics.forecasts.iter().find(|x| x.note == n.id);
            let owner = match &f.owner {
                ForecastOwner::Rep(x) => ref_link(r, Some(x)),
                ForecastOwner::Team(t) => {
                    json!({"title": t, "url": r.teams.contains_key(t).then(|| r.href(&format!("teams/{}/", r.team_slug(t)))), "kind": "Team"})
                }
            };
            ctx.insert(
                "f",
                json!({
                    "owner": owner,
                    "period": f.period(),
                    "commit": f.commit,
                    "best_case": f.best_case,
                    "actual": fm.map(|m| m.actual),
                    "final": fm.map(|m| m.is_final),
                    "error": fm.and_then(|m| m.error),
                    "within_target": fm.and_then(|m| m.within_target),
                    "start": fm.and_then(|m| m.start).map(|d| d.to_string()),
                    "end": fm.and_then(|m| m.end).map(|d| d.to_string()),
                }),
            );
            ctx.insert("error_target", r.config.forecast_error_target);
            "forecast_note.html"
        }
        NoteData::Page => {
            ctx.insert("date", n.date.map(|d| d.to_string()));
            "page.html"
        }
    }
}

fn interaction_view(r: &Renderer, n: &Note, x: &Interaction) -> Value {
    json!({
        "kind": n.kind.type_name(),
        "rep": ref_link(r, Some(&x.rep)),
        "deal": ref_link(r, x.deal.as_ref()),
        "date": x.date.to_string(),
        "takeaway": x.takeaway,
        "gap": x.gap.map(Gap::as_str),
        "skill": x.skill.map(|s| label(s.as_str())),
        "outcome": x.outcome.map(|o| label(o.as_str())),
        "cause": x.cause.map(|c| label(c.as_str())),
        "call": x.call.as_ref().map(|c| json!({
            "call_type": c.call_type.map(|t| label(t.as_str())),
            "attendees": c.attendees,
            "duration_min": c.duration_min,
            "recording": c.recording.as_deref().filter(|u| super::escape::is_web_url(u)),
            "moments": c.moments.iter().map(|m| json!({"at": m.at, "what_happened": m.what_happened, "try_instead": m.try_instead, "why": m.why})).collect::<Vec<_>>(),
        })),
    })
}

/// A manager's page: their reps with each one's key figures and the
/// latest one-to-one with each (a manager carries no quota of their own).
fn manager_page(r: &Renderer, i: NoteIdx, m: &Manager, ctx: &mut Ctx) {
    let mut reps: Vec<NoteIdx> = r
        .site
        .reps()
        .filter(|(_, _, rep)| rep.manager.as_ref().and_then(|x| x.resolved) == Some(i))
        .map(|(j, _, _)| j)
        .collect();
    reps.sort_by(|a, b| r.site.notes[*a].title.cmp(&r.site.notes[*b].title));
    let rows: Vec<Value> = reps
        .iter()
        .map(|j| {
            let n = &r.site.notes[*j];
            let latest = r.about[*j]
                .iter()
                .map(|x| &r.site.notes[*x])
                .filter(|x| x.kind == Kind::Coaching && x.valid)
                .filter_map(|x| Some((x.date?, x)))
                .filter(|(d, _)| *d <= r.metrics.as_of)
                .max_by_key(|(d, x)| (*d, x.id.as_str()))
                .map(|(d, x)| {
                    json!({"date": d.to_string(), "url": r.href(&x.url_path()), "title": x.title,
                           "days_ago": (r.metrics.as_of - d).num_days(),
                           "takeaway": x.interaction().map(|y| y.takeaway.as_str())})
                });
            json!({
                "title": n.title,
                "url": r.href(&n.url_path()),
                "pipeline_url": r.href(&format!("{}pipeline/", n.url_path())),
                "team": n.rep().map(|x| x.team.clone()),
                "m": rep_metrics(r, *j),
                "latest": latest,
            })
        })
        .collect();
    ctx.insert(
        "manager",
        json!({"name": m.name, "teams": m.teams, "email": m.email,
               "team_links": m.teams.iter().filter(|t| r.teams.contains_key(*t))
                   .map(|t| json!({"name": t, "url": r.href(&format!("teams/{}/", r.team_slug(t)))}))
                   .collect::<Vec<_>>()}),
    );
    ctx.insert("reps", rows);
}

fn rep_page(r: &Renderer, i: NoteIdx, rep: &Rep, ctx: &mut Ctx) {
    let n = &r.site.notes[i];
    let m = rep_metrics(r, i);
    let skills: Vec<Value> = rep
        .skills
        .iter()
        .map(|s| {
            json!({"key": s.key, "label": label(s.key.as_str()), "current": s.current, "target": s.target,
                   "gap": i32::from(s.target) - i32::from(s.current), "notes": s.notes})
        })
        .collect();
    let ramp: Vec<Value> = rep
        .ramp
        .iter()
        .map(|g| {
            let done = g.items.iter().filter(|x| x.done).count();
            json!({
                "label": label(&g.key.as_str().replace("day_", "day ")),
                "gate": g.gate,
                "items": g.items.iter().map(|x| json!({"task": x.task, "done": x.done})).collect::<Vec<_>>(),
                "done": done,
                "total": g.items.len(),
            })
        })
        .collect();
    let focus: Vec<Value> = rep
        .focus
        .iter()
        .map(|f| {
            json!({"skill": label(f.skill.as_str()), "current_behavior": f.current_behavior, "target_behavior": f.target_behavior,
                   "actions": f.actions, "milestone": f.milestone, "target_date": f.target_date.map(|d| d.to_string())})
        })
        .collect();
    let interactions: Vec<&Note> = r.about[i]
        .iter()
        .map(|j| &r.site.notes[*j])
        .filter(|x| x.kind.is_interaction())
        .collect();
    let skill_gaps = interactions
        .iter()
        .filter(|x| x.interaction().is_some_and(|y| y.gap == Some(Gap::Skill)))
        .count();
    let will_gaps = interactions
        .iter()
        .filter(|x| x.interaction().is_some_and(|y| y.gap == Some(Gap::Will)))
        .count();
    let coaching: Vec<Value> = timeline(r, i)
        .into_iter()
        .filter(|v| v["type"] != "prep")
        .take(10)
        .collect();
    let forecasts: Vec<Value> = r
        .metrics
        .forecasts
        .iter()
        .filter(|f| f.owner_rep == Some(i))
        .map(|f| forecast_row(r, f))
        .collect();
    let coverage_label = format!("Target {:.1}x", r.config.coverage_target);
    let rep_charts = json!({
        "attainment": charts::bar_chart(
            &ChartSpec {
                id: "rep-attainment",
                title: "Quota attainment against target",
                description: "Closed-won value this fiscal year as a share of the annual quota, against the 90% target.",
                unit: Unit::Percent,
                target: Some((ATTAINMENT_TARGET, &format!("Target {}", super::format::pct(Some(ATTAINMENT_TARGET))))),
                value_label: "Attainment",
                secondary_label: None,
            },
            &[Bar { label: "Attainment FYTD".into(), value: m.quota_attainment.unwrap_or(0.0), secondary: None, href: None }],
        ),
        "coverage": charts::bar_chart(
            &ChartSpec {
                id: "rep-coverage",
                title: "Pipeline coverage against target",
                description: "Open pipeline closing this fiscal year over the quota still to close, against the coverage target.",
                unit: Unit::Ratio,
                target: Some((r.config.coverage_target, &coverage_label)),
                value_label: "Coverage",
                secondary_label: None,
            },
            &[Bar { label: if m.pipeline_coverage.is_some() { "Coverage".into() } else { "Coverage (quota already met)".into() }, value: m.pipeline_coverage.unwrap_or(0.0), secondary: None, href: None }],
        ),
        "skills": charts::skill_bars(
            &ChartSpec {
                id: "rep-skills",
                title: "Skills: current level and target",
                description: "Each skill's current level (bar) and target level (marker) on a 1 to 5 scale.",
                unit: Unit::Score { max: 5.0 },
                target: None,
                value_label: "Current",
                secondary_label: Some("Target"),
            },
            &rep.skills.iter().map(|s| (label(s.key.as_str()), f64::from(s.current), f64::from(s.target))).collect::<Vec<_>>(),
        ),
    });
    ctx.insert("prep", prep_sheet_view(r, i, rep));
    // Ramp is a figure of the scorecard's two cohorts: reps who started in
    // the last 730 days. For a rep hired years ago it says nothing.
    let ramp_window = (0..=729).contains(&(r.metrics.as_of - rep.start_date).num_days());
    ctx.insert("rep", json!({
            "id": n.id,
            "ramp_window": ramp_window,
            "name": rep.name,
            "team": rep.team,
            "team_url": r.href(&format!("teams/{}/", r.team_slug(&rep.team))),
            "manager": ref_link(r, rep.manager.as_ref()),
            "start_date": rep.start_date.to_string(),
            "quota": rep.quota,
            "skills": skills,
            "focus": focus,
            "cadence": rep.cadence.iter().map(|(k, v)| json!({"label": label(k), "text": v})).collect::<Vec<_>>(),
            "ramp": ramp,
            "pipeline_url": r.href(&format!("{}pipeline/", n.url_path())),
        }),
    );
    ctx.insert_ser("m", &m);
    ctx.insert("coaching", coaching);
    ctx.insert("gaps", json!({"skill": skill_gaps, "will": will_gaps}));
    ctx.insert("forecasts", forecasts);
    ctx.insert("charts", rep_charts);
    ctx.insert("coverage_target", r.config.coverage_target);
}

fn forecast_row(r: &Renderer, f: &crate::metrics::ForecastMetrics) -> Value {
    let n = &r.site.notes[f.note_idx];
    json!({
        "title": n.title, "url": r.href(&n.url_path()), "period": f.period,
        "owner": match (f.owner_rep, &f.owner_team) {
            (Some(o), _) => note_link(r, o),
            (None, Some(t)) => json!({"title": t, "url": r.teams.contains_key(t).then(|| r.href(&format!("teams/{}/", r.team_slug(t))))}),
            _ => json!({"title": f.owner, "url": null}),
        },
        "commit": f.commit, "best_case": f.best_case, "actual": f.actual, "final": f.is_final,
        "error": f.error, "within_target": f.within_target,
    })
}

fn pipeline(r: &Renderer, i: NoteIdx, ctx: &mut Ctx) {
    let n = &r.site.notes[i];
    let m = rep_metrics(r, i);
    let mut open: Vec<NoteIdx> = r.deals_of[i]
        .iter()
        .copied()
        .filter(|d| {
            r.metrics
                .deals
                .get(&r.site.notes[*d].id)
                .is_some_and(|x| x.is_open)
        })
        .collect();
    open.sort_by(|a, b| {
        deal_value(r, *b)
            .total_cmp(&deal_value(r, *a))
            .then_with(|| r.site.notes[*a].id.cmp(&r.site.notes[*b].id))
    });
    let rows: Vec<Value> = open.iter().filter_map(|d| deal_row(r, *d)).collect();
    // Open deals that lack a value or an expected close date.
    let missing: Vec<Value> = open
        .iter()
        .filter_map(|d| {
            let n = &r.site.notes[*d];
            let deal = n.deal()?;
            let what: Vec<&str> = [
                deal.value.is_none().then_some("value"),
                deal.close_date.is_none().then_some("expected close date"),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!what.is_empty()).then(|| {
                json!({"title": n.title, "url": r.href(&n.url_path()),
                       "account": deal.account, "missing": what})
            })
        })
        .collect();
    ctx.insert("missing", missing);
    // Stage distribution and average age, over open deals.
    let mut stages: Vec<Value> = Vec::new();
    let mut bars = Vec::new();
    let open_stage_names: Vec<String> = r.config.stages.iter().map(|(s, _)| s.clone()).collect();
    for s in &open_stage_names {
        let in_stage: Vec<&Value> = rows.iter().filter(|v| v["stage"] == s.as_str()).collect();
        let count = in_stage.len();
        let value: f64 = in_stage.iter().filter_map(|v| v["value"].as_f64()).sum();
        let age: f64 = in_stage.iter().filter_map(|v| v["age_days"].as_f64()).sum();
        stages.push(json!({
            "stage": label(s), "count": count, "value": value,
            "avg_age": (count > 0).then(|| age / count as f64),
        }));
        bars.push(Bar {
            label: label(s),
            value,
            secondary: None,
            href: None,
        });
    }
    let chart = charts::bar_chart(
        &ChartSpec {
            id: "pipeline-stages",
            title: "Open pipeline by stage",
            description: "Value of the rep's open deals in each stage.",
            unit: money_unit(r),
            target: None,
            value_label: "Value",
            secondary_label: None,
        },
        &bars,
    );
    ctx.insert("rep", json!({"name": n.title, "id": n.id, "url": r.href(&n.url_path()), "team": n.rep().map(|x| x.team.clone())}),
    );
    ctx.insert_ser("m", &m);
    ctx.insert("coverage_target", r.config.coverage_target);
    ctx.insert("stages", stages);
    ctx.insert("top", rows.iter().take(5).cloned().collect::<Vec<_>>());
    ctx.insert("deals", rows);
    ctx.insert("chart", chart);
    let closed: Vec<Value> = r.deals_of[i]
        .iter()
        .filter_map(|d| {
            let x = r.metrics.deals.get(&r.site.notes[*d].id)?;
            x.closed_within(r.metrics.fiscal_year.start, r.metrics.fiscal_year.end)
                .then(|| deal_row(r, *d))
                .flatten()
        })
        .collect();
    ctx.insert("closed", closed);
}

fn deal_page(r: &Renderer, i: NoteIdx, d: &Deal, ctx: &mut Ctx) {
    let n = &r.site.notes[i];
    let row = deal_row(r, i).unwrap_or(Value::Null);
    let elements: Vec<Value> = MEDDPICC
        .iter()
        .zip(d.meddpicc.iter())
        .map(
            |(k, e)| json!({"key": k, "label": label(k), "score": e.score, "evidence": e.evidence}),
        )
        .collect();
    let chart = charts::bar_chart(
        &ChartSpec {
            id: "deal-meddpicc",
            title: "MEDDPICC scores",
            description: "Each element scored 0 (unknown) to 3 (validated with evidence).",
            unit: Unit::Score { max: 3.0 },
            target: Some((2.0, "Partly validated")),
            value_label: "Score",
            secondary_label: None,
        },
        &MEDDPICC
            .iter()
            .zip(d.meddpicc.iter())
            .map(|(k, e)| Bar {
                label: label(k),
                value: f64::from(e.score),
                secondary: None,
                href: None,
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("deal", row);
    ctx.insert("d", json!({
            "name": d.name, "account": d.account, "owner": ref_link(r, Some(&d.owner)),
            "created": d.created.to_string(), "close_date": d.close_date.map(|c| c.to_string()),
            "lost_reason": d.lost_reason, "explicit_probability": d.probability,
            "closed": d.is_closed(), "won": d.is_won(), "pipeline_url": d.owner.resolved.map(|o| r.href(&format!("{}pipeline/", r.site.notes[o].url_path()))),
        }),
    );
    ctx.insert("meddpicc", elements);
    ctx.insert("timeline", timeline(r, i));
    ctx.insert("chart", chart);
    ctx.insert("stale_days", r.config.stale_days);
    let _ = n;
}

fn forecast_page(r: &Renderer, ctx: &mut Ctx) {
    let rows: Vec<Value> = r
        .metrics
        .forecasts
        .iter()
        .map(|f| forecast_row(r, f))
        .collect();
    let all_reps: Vec<NoteIdx> = r.teams.values().flatten().copied().collect();
    ctx.insert("forecasts", rows);
    ctx.insert_ser("org", &r.metrics.org);
    ctx.insert("error_target", r.config.forecast_error_target);
    ctx.insert(
        "chart",
        dashboard_charts(r, &all_reps, "fc")["forecast"].take(),
    );
    let teams: Vec<Value> = r
        .teams
        .keys()
        .map(|t| json!({"name": t, "m": r.metrics.teams.get(t)}))
        .collect();
    ctx.insert("teams", teams);
    ctx.insert("reps", rep_rows(r, &all_reps));
    ctx.insert("call", forecast_call_view(r));
}

/// The open quarter for the forecast call: each team, then its reps.
fn forecast_call_view(r: &Renderer) -> Value {
    use super::forecast_call::{current_quarter, deals_of, figures, CallFigures};
    let q = current_quarter(r.config, r.metrics.as_of);
    let period = q.label();
    // The quarter's forecast of a rep or team (the first by note id when
    // there are two: duplicate-forecast warns about it).
    let forecast_of = |rep: Option<NoteIdx>, team: Option<&str>| {
        r.metrics
            .forecasts
            .iter()
            .filter(|f| f.period == period)
            .find(|f| match (rep, team) {
                (Some(i), _) => f.owner_rep == Some(i),
                (None, Some(t)) => f.owner_team.as_deref() == Some(t),
                _ => false,
            })
            .map(|f| (f.commit, f.best_case))
    };
    let row = |name: &str, url: String, board: String, f: CallFigures| {
        json!({"name": name, "url": url, "board": board, "commit": f.commit, "best_case": f.best_case,
               "won": f.won, "gap": f.gap, "open_deals": f.open_deals, "open": f.open,
               "weighted": f.weighted, "in_commit_stage": f.in_commit_stage, "red_deals": f.red_deals})
    };
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let teams: Vec<Value> = r
        .teams
        .iter()
        .map(|(t, reps)| {
            let team_deals = deals_of(
                r.metrics,
                r.site,
                reps.iter().flat_map(|i| r.deals_of[*i].iter().copied()),
            );
            let team = figures(r.config, q, &team_deals, forecast_of(None, Some(t)));
            let rep_rows: Vec<Value> = reps
                .iter()
                .map(|i| {
                    let n = &r.site.notes[*i];
                    let own = deals_of(r.metrics, r.site, r.deals_of[*i].iter().copied());
                    let f = figures(r.config, q, &own, forecast_of(Some(*i), None));
                    row(
                        &n.title,
                        r.href(&n.url_path()),
                        r.href(&format!(
                            "deals/?owner={}&quarter={}",
                            enc(&n.id),
                            enc(&period)
                        )),
                        f,
                    )
                })
                .collect();
            let mut v = row(
                t,
                r.href(&format!("teams/{}/", r.team_slug(t))),
                r.href(&format!("deals/?team={}&quarter={}", enc(t), enc(&period))),
                team,
            );
            v["reps"] = Value::Array(rep_rows);
            v
        })
        .collect();
    json!({"period": period, "teams": teams,
           "commit_stage": super::forecast_call::commit_stage(r.config).map(label)})
}

/// The problems page: every diagnostic grouped by file, each file marked
/// when its note is left out of the figures, with a link to its page.
fn problems(r: &Renderer, ctx: &mut Ctx) {
    let page_of: std::collections::HashMap<&str, &Note> =
        r.site.notes.iter().map(|n| (n.path.as_str(), n)).collect();
    let mut files: Vec<Value> = Vec::new();
    let mut current: Option<&str> = None;
    let mut items: Vec<Value> = Vec::new();
    let mut flush = |file: Option<&str>, items: &mut Vec<Value>| {
        if let Some(f) = file {
            let note = page_of.get(f);
            files.push(json!({
                "file": if f.is_empty() { "the site" } else { f },
                "url": note.map(|n| r.href(&n.url_path())),
                "title": note.map(|n| n.title.as_str()),
                "left_out": r.left_out.binary_search(&f).is_ok(),
                "items": std::mem::take(items),
            }));
        }
    };
    for d in &r.diags.items {
        if current != Some(d.file.as_str()) {
            flush(current, &mut items);
            current = Some(d.file.as_str());
        }
        items.push(json!({
            "severity": d.severity.to_string(),
            "code": d.code,
            "line": d.line,
            "column": d.column,
            "message": d.message,
            "help": d.help,
        }));
    }
    flush(current, &mut items);
    ctx.insert("errors", r.diags.errors());
    ctx.insert("warnings", r.diags.warnings());
    ctx.insert("files", files);
}

/// The folders a note lives in under `content/`, outermost first
/// (`content/handbook/objections/price.md` -> handbook, objections).
fn breadcrumb(path: &str) -> Vec<&str> {
    let inner = path.strip_prefix("content/").unwrap_or(path);
    let mut parts: Vec<&str> = inner.split('/').collect();
    parts.pop();
    parts
}

/// The handbook: every plain page grouped by the folder it lives in,
/// folders in path order, pages by title. One flat list of sections (a
/// folder's full path as its heading), so it stays one page however large
/// the handbook grows.
fn handbook(r: &Renderer, ctx: &mut Ctx) {
    let mut pages: Vec<(&str, &str, NoteIdx)> = r
        .site
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == Kind::Page)
        .map(|(i, n)| {
            let inner = n.path.strip_prefix("content/").unwrap_or(&n.path);
            let folder = inner.rsplit_once('/').map_or("", |(f, _)| f);
            (folder, n.title.as_str(), i)
        })
        .collect();
    pages.sort_by(|a, b| (a.0, a.1.to_lowercase()).cmp(&(b.0, b.1.to_lowercase())));
    let mut folders: Vec<Value> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let folder = pages[i].0;
        let mut items = Vec::new();
        while i < pages.len() && pages[i].0 == folder {
            let n = &r.site.notes[pages[i].2];
            items.push(json!({"title": n.title, "url": r.href(&n.url_path())}));
            i += 1;
        }
        folders.push(json!({
            "path": folder,
            "anchor": slug::slugify(folder),
            "depth": if folder.is_empty() { 0 } else { folder.matches('/').count() + 1 },
            "name": folder.rsplit('/').next().unwrap_or(folder),
            "pages": items,
        }));
    }
    ctx.insert("folders", folders);
    ctx.insert("count", pages.len());
}

/// The deal board: every open deal of the company (owner, team, account,
/// value, stage, close date and quarter, age, last activity, MEDDPICC,
/// risk with its first reason, next step), then the closed ones, then
/// deal notes left out for errors. Rows carry their filter keys as data
/// attributes for `board.js`; the table works without it.
fn deal_board(r: &Renderer, ctx: &mut Ctx) {
    let start_month = r.config.fiscal_year_start_month;
    let row = |i: NoteIdx| -> Option<Value> {
        let n = &r.site.notes[i];
        let d = n.deal()?;
        let m = r.metrics.deals.get(&n.id)?;
        let owner = d.owner.resolved.map(|o| &r.site.notes[o]);
        let team = owner.and_then(|o| o.rep()).map(|x| x.team.as_str());
        let quarter = d
            .close_date
            .map(|c| crate::metrics::fiscal::quarter_of(c, start_month).label());
        Some(json!({
            "title": n.title,
            "url": r.href(&n.url_path()),
            "id": n.id,
            "account": d.account,
            "owner": ref_link(r, Some(&d.owner)),
            "owner_id": owner.map(|o| o.id.as_str()),
            "team": team,
            "team_url": team.map(|t| r.href(&format!("teams/{}/", r.team_slug(t)))),
            "value": m.value,
            "stage": m.stage,
            "stage_label": label(&m.stage),
            "close_date": d.close_date.map(|c| c.to_string()),
            "quarter": quarter,
            "age_days": m.age_days,
            "last_activity": m.last_activity.to_string(),
            "meddpicc_total": m.meddpicc_total,
            "risk": m.risk.map(|k| k.as_str()),
            "reason": m.risk_reasons.first(),
            "next_step": d.next_step,
        }))
    };
    let mut open: Vec<NoteIdx> = Vec::new();
    let mut closed: Vec<NoteIdx> = Vec::new();
    for (i, n, _) in r.site.deals() {
        match r.metrics.deals.get(&n.id) {
            Some(m) if m.is_open => open.push(i),
            Some(_) => closed.push(i),
            None => {}
        }
    }
    let close = |i: &NoteIdx| r.site.notes[*i].deal().and_then(|d| d.close_date);
    // Open: soonest close first (no date last), then largest value.
    open.sort_by(|a, b| {
        (close(a).is_none(), close(a))
            .cmp(&(close(b).is_none(), close(b)))
            .then_with(|| deal_value(r, *b).total_cmp(&deal_value(r, *a)))
    });
    // Closed: latest first.
    closed.sort_by_key(|i| std::cmp::Reverse(close(i)));
    let open_rows: Vec<Value> = open.iter().filter_map(|i| row(*i)).collect();
    let closed_rows: Vec<Value> = closed.iter().filter_map(|i| row(*i)).collect();
    let total: f64 = open
        .iter()
        .filter_map(|i| r.metrics.deals.get(&r.site.notes[*i].id))
        .map(|m| m.amount())
        .sum();
    let left_out: Vec<Value> = r
        .site
        .notes
        .iter()
        .filter(|n| n.kind == Kind::Deal && !n.valid)
        .map(|n| json!({"title": n.title, "url": r.href(&n.url_path()), "path": n.path}))
        .collect();
    ctx.insert("open_total", total);
    ctx.insert("open", open_rows);
    ctx.insert("closed", closed_rows);
    ctx.insert("invalid", left_out);
}

/// The one-to-one prep sheet of a coaching plan (see `prep_sheet`).
fn prep_sheet_view(r: &Renderer, i: NoteIdx, rep: &Rep) -> Value {
    use super::prep_sheet;
    let as_of = r.metrics.as_of;
    let last = prep_sheet::last_one_to_one(r.site, &r.about[i], i, rep, as_of);
    let last_note = last.note.map(|j| &r.site.notes[j]);
    let due: Vec<Value> = prep_sheet::due_items(rep, as_of)
        .into_iter()
        .map(|d| {
            json!({"what": d.what, "due": d.due.to_string(), "days_left": d.days_left,
                        "overdue": d.days_left < 0, "overdue_days": -d.days_left})
        })
        .collect();
    let red: Vec<Value> = prep_sheet::red_deals(r.site, r.metrics, &r.deals_of[i])
        .into_iter()
        .filter_map(|d| {
            let n = &r.site.notes[d];
            let m = r.metrics.deals.get(&n.id)?;
            Some(
                json!({"title": n.title, "url": r.href(&n.url_path()), "value": m.value,
                        "reason": m.risk_reasons.first()}),
            )
        })
        .collect();
    json!({
        "last": last_note.map(|n| json!({
            "title": n.title, "url": r.href(&n.url_path()),
            "takeaway": n.interaction().map(|x| x.takeaway.as_str()),
        })),
        "date": last.date.map(|d| d.to_string()),
        "days_ago": last.days_ago,
        "cadence_days": last.cadence_days,
        "overdue_by": last.overdue_by.filter(|d| *d > 0),
        "due": due,
        "red": red,
    })
}

//! Number, money and date formatting for pages (metrics.json stays
//! unrounded). A missing value (null) is shown as an em dash.

use serde_json::Value;
use std::collections::HashMap;

pub const DASH: &str = "\u{2014}";

/// The symbol shown before amounts for a currency code.
pub fn currency_symbol(code: &str) -> String {
    match code.to_ascii_uppercase().as_str() {
        "USD" | "AUD" | "CAD" | "NZD" | "SGD" | "HKD" | "MXN" => "$".to_string(),
        "EUR" => "\u{20ac}".to_string(),
        "GBP" => "\u{a3}".to_string(),
        "JPY" | "CNY" => "\u{a5}".to_string(),
        "INR" => "\u{20b9}".to_string(),
        "CHF" => "CHF\u{a0}".to_string(),
        _ => format!("{code}\u{a0}"),
    }
}

/// The site's one number formatter: `1234567.4` -> `1,234,567`,
/// `-1500` -> `-1,500`. Rounds half away from zero first, so a value that
/// rounds to 0 is `0` (never `-0`); non-finite values are a dash.
pub fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return DASH.to_string();
    }
    let r = v.round();
    let digits = format!("{:.0}", r.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if r < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in whole units: `$240,000`, `-€1,500` (the sign before the
/// symbol). Charts and templates both print money with it.
pub fn money(v: Option<f64>, symbol: &str) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let r = v.round();
            let sign = if r < 0.0 { "-" } else { "" };
            format!("{sign}{symbol}{}", thousands(r.abs()))
        }
        _ => DASH.to_string(),
    }
}

/// A ratio as a percentage: `0.873` -> `87%`; below 10% one decimal.
pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let p = v * 100.0;
            if p.abs() < 10.0 && p.fract().abs() > 0.05 {
                format!("{p:.1}%")
            } else {
                format!("{p:.0}%")
            }
        }
        _ => DASH.to_string(),
    }
}

/// A plain number with at most one decimal.
pub fn num(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            if (v - v.round()).abs() < 0.05 {
                thousands(v)
            } else {
                format!("{v:.1}")
            }
        }
        _ => DASH.to_string(),
    }
}

/// A coverage ratio: `3.25` -> `3.3x`.
pub fn ratio(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.1}x"),
        _ => DASH.to_string(),
    }
}

fn arg_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// A filter whose output is HTML (not escaped again by the template).
struct HtmlFilter(fn(&Value) -> String);

impl tera::Filter for HtmlFilter {
    fn filter(&self, v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String((self.0)(v)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// The badge of a deal's risk (`red`, `yellow`, `green`; anything else is
/// a closed deal).
pub fn risk_badge(v: &Value) -> String {
    match v.as_str() {
        Some("red") => r#"<span class="badge risk-red">Red</span>"#,
        Some("yellow") => r#"<span class="badge risk-yellow">Yellow</span>"#,
        Some("green") => r#"<span class="badge risk-green">Green</span>"#,
        _ => r#"<span class="badge risk-none">Closed</span>"#,
    }
    .to_string()
}

/// The badge of a skill or will gap (nothing for anything else).
pub fn gap_badge(v: &Value) -> String {
    match v.as_str() {
        Some("will") => r#"<span class="badge gap-will">Will gap</span>"#,
        Some("skill") => r#"<span class="badge gap-skill">Skill gap</span>"#,
        _ => "",
    }
    .to_string()
}

/// A link to a note from its `{title, url}` view: a broken-link marker
/// when it has no URL, a dash when there is no link at all.
pub fn note_link_html(v: &Value) -> String {
    use super::escape::html as esc;
    let title = match v.get("title") {
        Some(Value::String(t)) => esc(t),
        Some(Value::Null) | None => String::new(),
        Some(other) => esc(&other.to_string()),
    };
    match v.get("url").and_then(Value::as_str) {
        Some(url) if !url.is_empty() => format!(r#"<a href="{}">{title}</a>"#, esc(url)),
        // A note the audience leaves out (`"broken": false`): text alone.
        _ if v.get("broken") == Some(&Value::Bool(false)) => title,
        _ if v.is_object() => format!(
            r#"<a class="broken-link" title="Broken link: no single note matches this name">{title}</a>"#
        ),
        _ => format!(r#"<span class="dash">{DASH}</span>"#),
    }
}

/// A value as `{{ v }}` writes it, escaped: Tera's own rendering (a
/// string as it is, a number as Tera prints it, null as nothing, a list in
/// brackets), so a filter prints what the template would have.
fn text(v: &Value) -> String {
    fn raw(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => out.push_str(s),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => out.push_str(&i.to_string()),
                (_, Some(u), _) => out.push_str(&u.to_string()),
                (_, _, Some(f)) => out.push_str(&f.to_string()),
                _ => {}
            },
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Null => {}
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    raw(x, out);
                }
                out.push(']');
            }
            Value::Object(_) => out.push_str("[object]"),
        }
    }
    match v {
        Value::String(s) => super::escape::html(s),
        _ => {
            let mut out = String::new();
            raw(v, &mut out);
            super::escape::html(&out)
        }
    }
}

/// Whether `{% if v %}` takes the branch (Tera's truthiness).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The field `k` of an object (null when absent).
fn field<'v>(v: &'v Value, k: &str) -> &'v Value {
    v.get(k).unwrap_or(&Value::Null)
}

/// A note's tags as links to their pages (`tags`: each `name`, `url`);
/// nothing without tags. The HTML of `macros.html`'s `tags`, made in Rust:
/// every note page shows it.
pub fn tag_links(v: &Value) -> String {
    let Some(tags) = v.as_array().filter(|_| truthy(v)) else {
        return String::new();
    };
    let mut out = String::from(r#"<p class="tags">"#);
    for t in tags {
        out.push_str(r#"<a class="tag" href=""#);
        out.push_str(&text(field(t, "url")));
        out.push_str("\">");
        out.push_str(&text(field(t, "name")));
        out.push_str("</a> ");
    }
    out.push_str("</p>");
    out
}

/// A note's other frontmatter fields as a table (`properties`: each
/// `key`, and `html` or else `value`); nothing without any. The HTML of
/// `macros.html`'s `properties`.
pub fn properties_table(v: &Value) -> String {
    let Some(props) = v.as_array().filter(|_| truthy(v)) else {
        return String::new();
    };
    let mut out = String::from(
        r#"<section class="properties"><h2>Properties</h2><table class="props"><tbody>"#,
    );
    for p in props {
        out.push_str(r#"<tr><th scope="row">"#);
        out.push_str(&text(field(p, "key")));
        out.push_str("</th><td>");
        let html = field(p, "html");
        if truthy(html) {
            // Made by coachbook (sanitised links), as `| safe` printed it.
            match html {
                Value::String(h) => out.push_str(h),
                other => out.push_str(&other.to_string()),
            }
        } else {
            out.push_str(&text(field(p, "value")));
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></section>");
    out
}

/// The notes linking here (`backlinks`: each `url`, `title`, `kind`), or
/// a line saying there are none yet. The HTML of `macros.html`'s
/// `backlinks`.
pub fn backlinks_list(v: &Value) -> String {
    let mut out = String::from(r#"<section class="backlinks"><h2>Linked from</h2>"#);
    match v.as_array().filter(|_| truthy(v)) {
        Some(links) => {
            out.push_str("<ul>");
            for b in links {
                out.push_str(r#"<li><a href=""#);
                out.push_str(&text(field(b, "url")));
                out.push_str("\">");
                out.push_str(&text(field(b, "title")));
                out.push_str(r#"</a> <span class="muted">"#);
                out.push_str(&text(field(b, "kind")));
                out.push_str("</span></li>");
            }
            out.push_str("</ul>");
        }
        None => out.push_str(r#"<p class="muted">No other note links here yet.</p>"#),
    }
    out.push_str("</section>");
    out
}

/// Notes in date order (`items`: each `date`, `kind`, `url`, `title`, and
/// `gap` and `takeaway` when there are), or a line saying there are none.
/// The HTML of `macros.html`'s `timeline`.
pub fn timeline_list(v: &Value) -> String {
    let Some(items) = v.as_array().filter(|_| truthy(v)) else {
        return r#"<p class="muted">No notes yet.</p>"#.to_string();
    };
    let mut out = String::from(r#"<ol class="timeline">"#);
    for t in items {
        out.push_str("<li><time>");
        out.push_str(&text(field(t, "date")));
        out.push_str(r#"</time> <span class="muted">"#);
        out.push_str(&text(field(t, "kind")));
        out.push_str(r#"</span> <a href=""#);
        out.push_str(&text(field(t, "url")));
        out.push_str("\">");
        out.push_str(&text(field(t, "title")));
        out.push_str("</a>");
        let gap = field(t, "gap");
        if truthy(gap) {
            out.push(' ');
            out.push_str(&gap_badge(gap));
        }
        let takeaway = field(t, "takeaway");
        if truthy(takeaway) {
            out.push_str(r#"<div class="takeaway">"#);
            out.push_str(&text(takeaway));
            out.push_str("</div>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// A table cell's state after its figure (`class`, `reason`, `word`):
/// the word in the state's colour with the reason for screen readers and
/// on hover; nothing when the state has no word. The HTML of
/// `macros.html`'s `st`.
pub fn state_word(v: &Value) -> String {
    let word = field(v, "word");
    if !truthy(word) {
        return String::new();
    }
    let reason = text(field(v, "reason"));
    format!(
        r#" <span class="st st-{}" title="{reason}"><span aria-hidden="true">{}</span><span class="visually-hidden">({reason})</span></span>"#,
        text(field(v, "class")),
        text(word),
    )
}

/// Registers `money`, `pct`, `num`, `ratio` and `days` filters on `tera`,
/// and the HTML filters `risk_badge`, `gap_badge`, `note_link`,
/// `tag_links`, `properties_table`, `backlinks_list`, `timeline_list` and
/// `state_word`.
pub fn register(tera: &mut tera::Tera, currency: &str) {
    tera.register_filter("timeline_list", HtmlFilter(timeline_list));
    tera.register_filter("state_word", HtmlFilter(state_word));
    tera.register_filter("risk_badge", HtmlFilter(risk_badge));
    tera.register_filter("gap_badge", HtmlFilter(gap_badge));
    tera.register_filter("note_link", HtmlFilter(note_link_html));
    tera.register_filter("tag_links", HtmlFilter(tag_links));
    tera.register_filter("properties_table", HtmlFilter(properties_table));
    tera.register_filter("backlinks_list", HtmlFilter(backlinks_list));
    let symbol = currency_symbol(currency);
    tera.register_filter("money", move |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(money(arg_f64(v), &symbol)))
    });
    tera.register_filter("pct", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(pct(arg_f64(v))))
    });
    tera.register_filter("num", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(num(arg_f64(v))))
    });
    tera.register_filter("ratio", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(ratio(arg_f64(v))))
    });
    tera.register_filter("days", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(match arg_f64(v) {
            Some(d) if d.is_finite() => {
                let n = num(Some(d));
                if n == "1" {
                    "1 day".into()
                } else {
                    format!("{n} days")
                }
            }
            _ => DASH.to_string(),
        }))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_filters_escape_what_they_print() {
        use serde_json::json;
        let hostile = json!({"title": "<script>x</script>", "url": "/a\"onclick=\"x"});
        assert_eq!(
            note_link_html(&hostile),
            r#"<a href="/a&quot;onclick=&quot;x">&lt;script&gt;x&lt;/script&gt;</a>"#
        );
        let broken = json!({"title": "Ghost & co", "url": null, "broken": true});
        assert!(note_link_html(&broken).starts_with(r#"<a class="broken-link""#));
        assert!(note_link_html(&broken).ends_with(">Ghost &amp; co</a>"));
        assert_eq!(
            note_link_html(&Value::Null),
            format!(r#"<span class="dash">{DASH}</span>"#)
        );
        assert_eq!(
            risk_badge(&json!("red")),
            r#"<span class="badge risk-red">Red</span>"#
        );
        assert_eq!(
            risk_badge(&json!("<b>")),
            r#"<span class="badge risk-none">Closed</span>"#
        );
        assert_eq!(
            gap_badge(&json!("will")),
            r#"<span class="badge gap-will">Will gap</span>"#
        );
        assert_eq!(gap_badge(&json!("<b>")), "");
    }

    /// The note parts made in Rust print what the Tera macros they
    /// replaced printed, for hostile text, numbers, nulls and lists alike.
    #[test]
    fn note_part_filters_print_what_the_macros_printed() {
        use serde_json::json;
        const MACROS: &str = concat!(
            r#"{% macro tags(tags) %}{% if tags %}<p class="tags">{% for t in tags %}<a class="tag" href="{{ t.url }}">{{ t.name }}</a> {% endfor %}</p>{% endif %}{% endmacro tags %}"#,
            r#"{% macro properties(properties) %}{% if properties %}<section class="properties"><h2>Properties</h2><table class="props"><tbody>{% for p in properties %}<tr><th scope="row">{{ p.key }}</th><td>{% if p.html %}{{ p.html | safe }}{% else %}{{ p.value }}{% endif %}</td></tr>{% endfor %}</tbody></table></section>{% endif %}{% endmacro properties %}"#,
            r#"{% macro backlinks(backlinks) %}<section class="backlinks"><h2>Linked from</h2>{% if backlinks %}<ul>{% for b in backlinks %}<li><a href="{{ b.url }}">{{ b.title }}</a> <span class="muted">{{ b.kind }}</span></li>{% endfor %}</ul>{% else %}<p class="muted">No other note links here yet.</p>{% endif %}</section>{% endmacro backlinks %}"#,
            r#"{% macro timeline(items) %}{% if items %}<ol class="timeline">{% for t in items %}<li><time>{{ t.date }}</time> <span class="muted">{{ t.kind }}</span> <a href="{{ t.url }}">{{ t.title }}</a>{% if t.gap %} {{ t.gap | gap_badge }}{% endif %}{% if t.takeaway %}<div class="takeaway">{{ t.takeaway }}</div>{% endif %}</li>{% endfor %}</ol>{% else %}<p class="muted">No notes yet.</p>{% endif %}{% endmacro timeline %}"#,
            r#"{% macro st(s) %}{% if s.word %} <span class="st st-{{ s.class }}" title="{{ s.reason }}"><span aria-hidden="true">{{ s.word }}</span><span class="visually-hidden">({{ s.reason }})</span></span>{% endif %}{% endmacro st %}"#
        );
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            ("m.html", MACROS),
            (
                "t.html",
                r#"{% import "m.html" as mc %}{{ mc::tags(tags=tags) }}|{{ mc::properties(properties=properties) }}|{{ mc::backlinks(backlinks=backlinks) }}|{{ mc::timeline(items=timeline) }}|{% for s in states %}{{ mc::st(s=s) }}{% endfor %}"#,
            ),
        ])
        .unwrap();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(super::super::escape::html);
        tera.register_filter("gap_badge", HtmlFilter(gap_badge));
        let hostile = "<b>\"Ann\" & 'co'</b>";
        let cases = [
            json!({"tags": [], "properties": [], "backlinks": [], "timeline": [], "states": []}),
            json!({"tags": null, "properties": null, "backlinks": null, "timeline": null,
                "states": [{"word": "", "class": "good", "reason": "x"}, {"word": null}]}),
            json!({
                "tags": [{"name": hostile, "url": "/tags/a\"b/"}, {"name": 7, "url": "/t/"}],
                "properties": [
                    {"key": hostile, "value": hostile, "html": null},
                    {"key": "n", "value": 2.5, "html": ""},
                    {"key": "l", "value": ["a", 1, null, true], "html": null},
                    {"key": "h", "value": "x", "html": "<a href=\"/x/\">x</a>"},
                ],
                "backlinks": [{"url": "/n/\"x", "title": hostile, "kind": "Deal"}],
                "timeline": [
                    {"date": "2026-01-02", "kind": hostile, "url": "/a/", "title": hostile, "gap": "will", "takeaway": hostile},
                    {"date": null, "kind": "Call", "url": "/b\"/", "title": 3, "gap": "", "takeaway": null},
                    {"date": "d", "kind": "k", "url": "/c/", "title": "t", "gap": "<b>", "takeaway": ""},
                ],
                "states": [
                    {"word": "behind", "class": "bad", "reason": hostile},
                    {"word": hostile, "class": "a\"b", "reason": ""},
                ],
            }),
        ];
        for case in cases {
            let ctx = tera::Context::from_value(case.clone()).unwrap();
            let want = tera.render("t.html", &ctx).unwrap();
            let states: String = (case["states"].as_array().into_iter().flatten())
                .map(state_word)
                .collect();
            let got = format!(
                "{}|{}|{}|{}|{states}",
                tag_links(&case["tags"]),
                properties_table(&case["properties"]),
                backlinks_list(&case["backlinks"]),
                timeline_list(&case["timeline"]),
            );
            assert_eq!(got, want, "{case}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(money(Some(240000.0), "$"), "$240,000");
        assert_eq!(money(Some(999.6), "$"), "$1,000");
        assert_eq!(money(Some(-1500.0), "\u{20ac}"), "-\u{20ac}1,500");
        assert_eq!(money(None, "$"), DASH);
        assert_eq!(money(Some(f64::NAN), "$"), DASH);
        assert_eq!(pct(Some(0.873)), "87%");
        assert_eq!(pct(Some(0.055)), "5.5%");
        assert_eq!(pct(Some(0.0)), "0%");
        assert_eq!(pct(None), DASH);
        assert_eq!(num(Some(12.0)), "12");
        assert_eq!(num(Some(12.34)), "12.3");
        assert_eq!(ratio(Some(3.25)), "3.2x");
        assert_eq!(currency_symbol("SEK"), "SEK\u{a0}");
    }

    #[test]
    fn thousands_groups_digits_and_keeps_the_sign() {
        assert_eq!(thousands(1234567.0), "1,234,567");
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.5), "1,000");
        assert_eq!(thousands(100.0), "100");
        assert_eq!(thousands(1000.0), "1,000");
        // Negatives: the sign before the digits, never before a comma.
        assert_eq!(thousands(-1500.0), "-1,500");
        assert_eq!(thousands(-123.0), "-123");
        assert_eq!(thousands(-123456.0), "-123,456");
        assert_eq!(thousands(-999.5), "-1,000");
        // Zero, and values that round to it, have no sign.
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(-0.0), "0");
        assert_eq!(thousands(-0.4), "0");
        assert_eq!(thousands(0.4), "0");
        // Halves round away from zero, as the charts always did.
        assert_eq!(thousands(2.5), "3");
        assert_eq!(thousands(-2.5), "-3");
        // Large numbers: every digit, grouped.
        assert_eq!(thousands(1e21), "1,000,000,000,000,000,000,000");
        assert_eq!(thousands(-1e15), "-1,000,000,000,000,000");
        assert!(thousands(f64::MAX).starts_with("179,769,313,486,231,570,"));
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(thousands(v), DASH);
        }
    }

    #[test]
    fn money_puts_the_sign_before_the_symbol() {
        assert_eq!(money(Some(-1500.0), "$"), "-$1,500");
        assert_eq!(money(Some(-0.2), "$"), "$0");
        assert_eq!(money(Some(0.0), "$"), "$0");
        assert_eq!(money(Some(2.5), "$"), "$3");
        assert_eq!(money(Some(1e12), "CHF\u{a0}"), "CHF\u{a0}1,000,000,000,000");
    }
}

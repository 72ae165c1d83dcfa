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

/// Registers `money`, `pct`, `num`, `ratio` and `days` filters on `tera`,
/// and the HTML filters `risk_badge`, `gap_badge` and `note_link`.
pub fn register(tera: &mut tera::Tera, currency: &str) {
    tera.register_filter("risk_badge", HtmlFilter(risk_badge));
    tera.register_filter("gap_badge", HtmlFilter(gap_badge));
    tera.register_filter("note_link", HtmlFilter(note_link_html));
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

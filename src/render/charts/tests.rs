//! Unit tests of the charts: escaping, non-finite input, geometry, the
//! structure of the figure, and no links inside the image.

use super::scale::num;
use super::*;
use crate::render::escape;

fn spec(unit: Unit) -> ChartSpec<'static> {
    ChartSpec {
        id: "att",
        title: "Quota attainment",
        description: "Won this fiscal year against quota, per rep",
        unit,
        target: Some((0.9, "Target 90%")),
        value_label: "Attainment",
        secondary_label: None,
    }
}

fn bar(label: &str, value: f64) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        secondary: None,
        href: None,
    }
}

/// Checks that `html` is well-formed XML (every tag closed, entities
/// known, attributes quoted) and returns the concatenated text.
fn well_formed(html: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => text.push_str(&t.unescape().expect("bad entity")),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{html}",
                reader.buffer_position()
            ),
        }
        assert!(depth >= 0, "unbalanced: {html}");
    }
    assert_eq!(depth, 0, "unclosed elements: {html}");
    text
}

fn all_charts(label: &str, v: f64) -> Vec<String> {
    let s = spec(Unit::Percent);
    let b = Bar {
        label: label.to_string(),
        value: v,
        secondary: Some(v),
        href: Some(format!("/deals/{label}/")),
    };
    vec![
        bar_chart(&s, std::slice::from_ref(&b)),
        bar_chart_with_band(&s, std::slice::from_ref(&b), Some(0.1)),
        band_chart(&s, std::slice::from_ref(&b), 0.1),
        skill_bars(&s, &[(label.to_string(), v, v)]),
    ]
}

#[test]
fn format_value_cases() {
    let usd = Unit::Money { symbol: "$".into() };
    assert_eq!(format_value(&usd, 240_000.0), "$240,000");
    assert_eq!(format_value(&usd, 1_234_567.49), "$1,234,567");
    assert_eq!(format_value(&usd, 999.5), "$1,000");
    assert_eq!(format_value(&usd, 0.0), "$0");
    assert_eq!(format_value(&usd, -0.2), "$0");
    assert_eq!(format_value(&usd, -5000.0), "-$5,000");
    let eur = Unit::Money {
        symbol: "EUR ".into(),
    };
    assert_eq!(format_value(&eur, 12_000.0), "EUR 12,000");
    assert_eq!(format_value(&Unit::Percent, 0.87), "87%");
    assert_eq!(format_value(&Unit::Percent, 0.875), "88%");
    assert_eq!(format_value(&Unit::Percent, 0.285), "29%");
    assert_eq!(format_value(&Unit::Percent, 1.2), "120%");
    assert_eq!(format_value(&Unit::Percent, -0.001), "0%");
    assert_eq!(format_value(&Unit::Ratio, 3.2), "3.2x");
    assert_eq!(format_value(&Unit::Ratio, 3.0), "3.0x");
    assert_eq!(format_value(&Unit::Count, 12.0), "12");
    assert_eq!(format_value(&Unit::Count, 12_345.0), "12,345");
    assert_eq!(format_value(&Unit::Score { max: 5.0 }, 2.5), "2.5");
    assert_eq!(format_value(&Unit::Score { max: 5.0 }, 3.0), "3");
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(format_value(&usd, v), "\u{2014}");
        assert_eq!(format_value(&Unit::Percent, v), "\u{2014}");
    }
    assert_eq!(format_value(&usd, 1e21), "$1,000,000,000,000,000,000,000");
    assert!(format_value(&usd, f64::MAX).starts_with("$179,769,313"));
    assert_eq!(
        format_value(&Unit::Percent, 1e306),
        format!("{:.0}%", 1e308)
    );
    assert_eq!(format_value(&Unit::Percent, f64::MAX), "\u{2014}");
}

#[test]
fn hostile_labels_are_escaped_everywhere() {
    let hostile = r#"<script>alert("x")</script>' onload='x&y"#;
    let mut s = spec(Unit::Count);
    s.title = "<b>title</b>";
    s.description = "\"desc\" & 'more'";
    s.value_label = "<i>v</i>";
    s.secondary_label = Some("<u>s</u>");
    s.target = Some((3.0, "<img src=x>"));
    s.id = "id\" onclick=\"x";
    let b = Bar {
        label: hostile.into(),
        value: 5.0,
        secondary: Some(2.0),
        href: Some("/x?a=1&b=\"2\"".into()),
    };
    let outs = [
        bar_chart(&s, std::slice::from_ref(&b)),
        band_chart(&s, std::slice::from_ref(&b), 0.1),
        skill_bars(&s, &[(hostile.into(), 2.0, 4.0)]),
    ];
    for html in &outs {
        for bad in ["<script", "<b>", "<i>", "<u>", "<img", "onclick=\""] {
            assert!(!html.contains(bad), "{bad} leaked: {html}");
        }
        let text = well_formed(html);
        assert!(text.contains("alert(\"x\")"), "label lost: {text}");
        assert!(html.contains("&lt;script&gt;"));
    }
    assert!(outs[0].contains(r#"href="/x?a=1&amp;b=&quot;2&quot;""#));
}

#[test]
fn script_urls_are_not_linked() {
    let s = spec(Unit::Count);
    let b = Bar {
        label: "x".into(),
        value: 1.0,
        secondary: None,
        href: Some(" JaVa\tScript:alert(1)".into()),
    };
    let html = bar_chart(&s, &[b]);
    assert!(!html.contains("<a "));
    assert!(!html.to_lowercase().contains("script:"));
}

#[test]
fn empty_input_renders_a_valid_placeholder() {
    let s = spec(Unit::Percent);
    for html in [
        bar_chart(&s, &[]),
        band_chart(&s, &[], 0.1),
        skill_bars(&s, &[]),
    ] {
        assert!(html.starts_with(r#"<figure class="chart">"#));
        assert!(html.contains("No data yet"));
        assert!(html.contains(r#"aria-labelledby="att-title att-desc""#));
        assert!(html.contains(r#"<title id="att-title">Quota attainment</title>"#));
        well_formed(&html);
    }
}

#[test]
fn non_finite_and_negative_values_never_reach_the_svg() {
    let s = spec(Unit::Money { symbol: "$".into() });
    let bars: Vec<Bar> = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -50.0,
        0.0,
        f64::MAX,
    ]
    .iter()
    .map(|v| Bar {
        label: "r".into(),
        value: *v,
        secondary: Some(*v),
        href: None,
    })
    .collect();
    let mut outs = vec![
        bar_chart(&s, &bars),
        bar_chart_with_band(&s, &bars, Some(f64::NAN)),
        band_chart(&s, &bars, f64::INFINITY),
        band_chart(&s, &bars, -1.0),
    ];
    let skills: Vec<(String, f64, f64)> = [f64::NAN, f64::INFINITY, -3.0, 9.0]
        .iter()
        .map(|v| ("s".to_string(), *v, *v))
        .collect();
    outs.push(skill_bars(&s, &skills));
    let mut nan_target = spec(Unit::Percent);
    nan_target.target = Some((f64::NAN, "bad"));
    outs.push(bar_chart(&nan_target, &bars));
    outs.push(bar_chart(&spec(Unit::Count), &[bar("zero", 0.0)]));
    outs.push(bar_chart(&spec(Unit::Ratio), &[bar("all zero", 0.0)]));
    for html in &outs {
        let lower = html.to_lowercase();
        assert!(!lower.contains("nan"), "NaN in {html}");
        assert!(!lower.contains("inf"), "inf in {html}");
        assert!(!html.contains("=\"-"), "negative attribute in {html}");
        well_formed(html);
    }
}

#[test]
fn svg_numbers_have_at_most_one_decimal() {
    let s = spec(Unit::Money { symbol: "$".into() });
    let bars: Vec<Bar> = (0..7)
        .map(|i| Bar {
            label: format!("rep {i}"),
            value: 1000.0 / 3.0 * i as f64,
            secondary: Some(77.777 * i as f64),
            href: None,
        })
        .collect();
    let html = bar_chart_with_band(&s, &bars, Some(0.1));
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    for attr in svg.split('"').skip(1).step_by(2) {
        if let Ok(n) = attr.parse::<f64>() {
            let decimals = attr.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 1, "{attr} has {decimals} decimals ({n})");
        }
    }
}

#[test]
fn target_line_sits_at_the_target_value() {
    // Percent scale: domain [0, 100%] for values below 1.
    let html = bar_chart(&spec(Unit::Percent), &[bar("a", 0.5), bar("b", 0.7)]);
    let expected = X0 + 0.9 * (X1 - X0);
    assert!(
        html.contains(&format!(
            r#"<path class="chart-target" d="M{} "#,
            num(expected)
        )),
        "{html}"
    );
    assert!(html.contains(">Target 90%</text>"));
    // Bars are proportional on the same scale.
    assert!(html.contains(&format!(
        r#"class="chart-bar" x="{}" y="40" width="{}""#,
        num(X0),
        num(0.5 * (X1 - X0))
    )));

    // Money: values up to 240k, target 200k -> nice domain 250k.
    let mut s = spec(Unit::Money { symbol: "$".into() });
    s.target = Some((200_000.0, "Quota"));
    let html = bar_chart(&s, &[bar("a", 240_000.0), bar("b", 10_000.0)]);
    let x = X0 + 200_000.0 / 250_000.0 * (X1 - X0);
    assert!(html.contains(&format!(r#"<path class="chart-target" d="M{} "#, num(x))));
    assert!(
        html.contains(">$250,000</text>"),
        "axis ends at the nice max"
    );

    // A target beyond every value widens the scale: the line stays inside.
    s.target = Some((1_000_000.0, "Stretch"));
    let html = bar_chart(&s, &[bar("a", 10.0)]);
    assert!(html.contains(&format!(r#"<path class="chart-target" d="M{} "#, num(X1))));
}

#[test]
fn band_is_drawn_around_the_target_and_the_commit() {
    let mut s = spec(Unit::Money { symbol: "$".into() });
    s.target = Some((100.0, "Target"));
    let html = bar_chart_with_band(&s, &[bar("a", 50.0)], Some(0.1));
    // Domain: 110 -> step 25 -> domain 125.
    let xa = X0 + 90.0 / 125.0 * (X1 - X0);
    let xb = X0 + 110.0 / 125.0 * (X1 - X0);
    assert!(html.contains(&format!(
        r#"<rect class="chart-band" x="{}" y="22" width="{}""#,
        num(xa),
        num(xb - xa)
    )));
    assert!(html.contains("Target</th><td class=\"num\">$100 \u{b1}10%</td>"));

    s.target = None;
    let rows = [
        Bar {
            label: "2026-Q1".into(),
            value: 100.0,
            secondary: Some(95.0),
            href: None,
        },
        Bar {
            label: "2026-Q2".into(),
            value: 100.0,
            secondary: None,
            href: None,
        },
    ];
    let html = band_chart(&s, &rows, 0.1);
    assert_eq!(html.matches(r#"class="chart-band""#).count(), 3); // 2 rows + legend
    assert_eq!(html.matches(r#"class="chart-bar-secondary""#).count(), 2); // 1 row + legend
    assert!(html.contains("\u{2212}5%"));
    assert!(html.contains("\u{b1}10% band"));
    assert!(html.contains("$100 / \u{2014}"));
    well_formed(&html);
}

#[test]
fn long_labels_are_cut_in_the_svg_only() {
    let long = "Globex Corporation — worldwide platform renewal and expansion 2026";
    let mut b = bar(long, 10.0);
    b.href = Some("/deals/globex/".into());
    let html = bar_chart(&spec(Unit::Count), &[b]);
    let (short, cut) = truncate(long, MAX_LABEL_CHARS);
    assert!(cut && short.ends_with('\u{2026}'));
    assert!(short.chars().count() <= MAX_LABEL_CHARS);
    assert!(html.contains(&format!(">{}</text>", escape::html(&short))));
    assert!(html.contains(&format!("<title>{}: 10</title>", escape::html(long))));
    assert!(html.contains(&format!(
        r#"<th scope="row"><a href="/deals/globex/">{}</a></th>"#,
        escape::html(long)
    )));
    well_formed(&html);
}

#[test]
fn output_is_deterministic() {
    for (a, b) in all_charts("Acme", 0.42)
        .iter()
        .zip(all_charts("Acme", 0.42).iter())
    {
        assert_eq!(a, b);
    }
}

#[test]
fn structure_matches_the_contract() {
    let mut s = spec(Unit::Money { symbol: "$".into() });
    s.secondary_label = Some("Weighted");
    s.value_label = "Total";
    let bars = [
        Bar {
            label: "Ada".into(),
            value: 300_000.0,
            secondary: Some(120_000.0),
            href: Some("/reps/ada/pipeline/".into()),
        },
        Bar {
            label: "Bo".into(),
            value: 80_000.0,
            secondary: None,
            href: None,
        },
    ];
    let html = bar_chart(&s, &bars);
    well_formed(&html);
    let doc = scraper::Html::parse_fragment(&html);
    let sel = |q: &str| scraper::Selector::parse(q).unwrap();
    let figure = doc.select(&sel("figure.chart")).next().unwrap();
    let children: Vec<_> = figure
        .children()
        .filter_map(|c| c.value().as_element().map(|e| e.name().to_string()))
        .collect();
    assert_eq!(children, ["figcaption", "svg", "details"]);
    let svg = doc.select(&sel("svg")).next().unwrap();
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert_eq!(svg.value().attr("width"), Some("100%"));
    assert!(svg.value().attr("viewBox").is_some());
    let headers: Vec<String> = doc
        .select(&sel("details.chart-data table.data thead th"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(headers, ["Name", "Total", "Weighted"]);
    let cells: Vec<String> = doc
        .select(&sel("tbody td.num"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(cells, ["$300,000", "$120,000", "$80,000", "\u{2014}"]);
    assert_eq!(doc.select(&sel("tbody .dash")).count(), 1);
    assert!(html.contains(">$300,000 / $120,000</text>"));
    assert!(html.contains(">$80,000 / \u{2014}</text>"));
    assert_eq!(doc.select(&sel(".chart-legend text")).count(), 2);

    let skills = skill_bars(
        &ChartSpec {
            id: "skills-ada",
            title: "Skills",
            description: "",
            unit: Unit::Score { max: 5.0 },
            target: None,
            value_label: "Current",
            secondary_label: Some("Target"),
        },
        &[("Discovery".into(), 2.0, 4.0), ("Closing".into(), 3.5, 4.0)],
    );
    well_formed(&skills);
    assert!(skills.contains(r#"<desc id="skills-ada-desc">Skills</desc>"#));
    assert_eq!(skills.matches(r#"class="chart-marker""#).count(), 3);
    assert!(skills.contains(">2 \u{2192} 4</text>"));
    assert!(skills.contains(r#"<td class="num">0.5</td>"#));
    // Ticks 0..5 on a 1-5 scale.
    assert_eq!(skills.matches("chart-tick").count(), 6);
}

#[test]
fn links_live_in_the_table_never_inside_the_image() {
    // axe-core's nested-interactive: an element with role="img" may not
    // contain anything focusable, so a row's link is in the data table.
    let bars: Vec<Bar> = ["ada", "bo", "cy"]
        .iter()
        .map(|n| Bar {
            label: n.to_string(),
            value: 0.5,
            secondary: Some(0.4),
            href: Some(format!("/reps/{n}/")),
        })
        .collect();
    let s = spec(Unit::Percent);
    for html in [
        bar_chart(&s, &bars),
        bar_chart_with_band(&s, &bars, Some(0.1)),
        band_chart(&s, &bars, 0.1),
    ] {
        well_formed(&html);
        let doc = scraper::Html::parse_fragment(&html);
        let sel = |q: &str| scraper::Selector::parse(q).unwrap();
        assert_eq!(doc.select(&sel("[role=img] a")).count(), 0, "{html}");
        assert_eq!(doc.select(&sel("[role=img] [href]")).count(), 0, "{html}");
        let hrefs: Vec<&str> = doc
            .select(&sel("details.chart-data tbody th a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(hrefs, ["/reps/ada/", "/reps/bo/", "/reps/cy/"]);
        // Every row is still drawn.
        assert_eq!(doc.select(&sel("svg g.chart-row")).count(), 3);
    }
}

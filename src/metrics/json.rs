//! Serialization of [`Metrics`] to `metrics.json`: pretty-printed, keys
//! sorted at every level, whole numbers printed as integers, `null` for
//! missing or non-finite numbers, and a trailing newline.

use super::Metrics;
use serde::Serializer;

/// Largest magnitude below which every whole f64 is an exact integer (2^53).
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// `serialize_with` for an `f64`: an integer when whole, a float otherwise,
/// `null` when not finite.
pub(crate) fn num<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    let x = *x;
    if !x.is_finite() {
        s.serialize_none()
    } else if x.fract() == 0.0 && x.abs() < EXACT_INT {
        s.serialize_i64(x as i64)
    } else {
        s.serialize_f64(x)
    }
}

/// `serialize_with` for an `Option<f64>`: like [`num`], `null` when `None`.
pub(crate) fn opt_num<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => num(v, s),
        None => s.serialize_none(),
    }
}

/// `metrics.json`: pretty-printed, keys sorted, trailing newline; the same
/// bytes for equal inputs.
pub fn to_json(m: &Metrics) -> String {
    // Through a `serde_json::Value`, whose objects keep their keys sorted
    // (a `BTreeMap`: serde_json's `preserve_order` feature is off, which
    // the test `maps_sort_their_keys` checks). Neither step can fail for
    // these types (string keys, no non-finite floats reach serde_json);
    // fall back to an empty object regardless.
    let text = serde_json::to_value(m)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| "{}".to_string());
    format!("{text}\n")
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use super::*;
    use serde::Serialize;
    use serde_json::Value;

    #[derive(Serialize)]
    struct N {
        #[serde(serialize_with = "num")]
        a: f64,
        #[serde(serialize_with = "opt_num")]
        b: Option<f64>,
    }

    fn ser(a: f64, b: Option<f64>) -> String {
        serde_json::to_string(&N { a, b }).unwrap()
    }

    /// `to_json` sorts keys by going through `serde_json::Value`: its
    /// maps must sort their keys (no `preserve_order` feature anywhere in
    /// the dependency graph).
    #[test]
    fn maps_sort_their_keys() {
        let mut m = serde_json::Map::new();
        for k in ["b", "a", "c"] {
            m.insert(k.to_string(), serde_json::Value::Null);
        }
        assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        #[derive(Serialize)]
        struct Unsorted {
            zeta: u8,
            alpha: u8,
        }
        let text = to_json_value(&Unsorted { zeta: 1, alpha: 2 });
        assert_eq!(text, "{\"alpha\":2,\"zeta\":1}");
    }

    fn to_json_value<T: Serialize>(v: &T) -> String {
        serde_json::to_string(&serde_json::to_value(v).unwrap()).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(ser(240000.0, None), r#"{"a":240000,"b":null}"#);
        assert_eq!(ser(0.5, Some(3.0)), r#"{"a":0.5,"b":3}"#);
        assert_eq!(ser(-0.0, Some(-2.0)), r#"{"a":0,"b":-2}"#);
        assert_eq!(ser(f64::NAN, Some(f64::INFINITY)), r#"{"a":null,"b":null}"#);
        assert_eq!(ser(1e300, Some(0.1)), r#"{"a":1e+300,"b":0.1}"#);
        assert_eq!(ser(1.0 / 3.0, None), r#"{"a":0.3333333333333333,"b":null}"#);
    }

    #[test]
    fn whole_site_json() {
        let mut b = SiteBuilder::new();
        let dana = b.rep("dana", "East", "2026-01-05", 100000.0);
        b.deal(
            "zeta",
            Some(dana),
            240000.0,
            "proposal",
            "2026-07-14",
            "2026-12-12",
        );
        b.deal(
            "alpha",
            Some(dana),
            50000.0,
            CLOSED_WON,
            "2026-02-01",
            "2026-03-01",
        );
        b.deal(
            "orphan",
            None,
            1000.0,
            "discovery",
            "2026-07-14",
            "2026-12-12",
        );
        b.forecast_rep("f1", Some(dana), 2026, 1, 50000.0);
        b.forecast_team("f0", "East", 2026, 4, 10000.0);
        let site = b.build();
        let m = compute(&site, &Config::default(), d("2026-11-25"));
        let a = to_json(&m);
        let again = to_json(&compute(&site, &Config::default(), d("2026-11-25")));
        assert_eq!(a, again);
        assert!(a.ends_with("}\n"));
        assert!(!a.contains("NaN"));
        assert!(!a.contains("\"scorecard\""));
        assert!(a.contains("\"value\": 240000,"));
        assert!(a.contains("\"quota\": 100000,"));
        assert!(a.contains("\"won_ytd\": 50000\n"));
        assert!(a.contains("\"quota_attainment\": 0.5,"));
        assert!(a.contains("\"error\": 0,"));
        assert!(a.contains("\"win_rate\": 1,"));
        assert!(a.contains("\"risk\": null,"));
        assert!(a.contains("\"pipeline_coverage\": 4.8,"));
        // Orphan deal: owner null; closed deal: risk null.
        let v: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["deals"]["orphan"]["owner"], Value::Null);
        assert_eq!(v["deals"]["alpha"]["risk"], Value::Null);
        assert_eq!(v["deals"]["zeta"]["owner"], "dana");
        assert_eq!(v["reps"]["dana"]["name"], "dana");
        assert_eq!(v["reps"]["dana"]["team"], "East");
        assert!(v["org"].get("name").is_none());
        assert!(v["teams"]["East"].get("team").is_none());
        assert_eq!(v["org"]["win_rate"], 1);
        assert_eq!(v["org"]["sales_cycle_days"], 28);
        assert_eq!(v["fiscal_year"]["name"], 2026);
        assert_eq!(v["fiscal_year"]["start"], "2026-01-01");
        assert_eq!(v["as_of"], "2026-11-25");
        // Forecasts sorted by note id.
        assert_eq!(v["forecasts"][0]["note"], "f0");
        assert_eq!(v["forecasts"][1]["note"], "f1");
        assert_eq!(v["forecasts"][0]["owner"], "East");
        assert_eq!(v["forecasts"][0]["error"], Value::Null);
        assert_eq!(v["forecasts"][0]["within_target"], Value::Null);
        assert_eq!(v["forecasts"][0]["final"], false);
        // Keys sorted at every level.
        assert_sorted(&v);
        let top: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            top,
            [
                "as_of",
                "changes",
                "deals",
                "fiscal_year",
                "forecasts",
                "org",
                "reps",
                "teams"
            ]
        );
        let org_keys: Vec<&String> = v["org"].as_object().unwrap().keys().collect();
        assert_eq!(
            org_keys,
            [
                "avg_deal_size",
                "coaching_30d",
                "forecast_error",
                "forecast_hit_rate",
                "lost_deals",
                "open_deals",
                "open_pipeline",
                "pipeline_coverage",
                "quota",
                "quota_attainment",
                "ramp_days",
                "risk",
                "sales_cycle_days",
                "weighted_pipeline",
                "win_rate",
                "won_deals",
                "won_ytd"
            ]
        );
        // The text itself has sorted keys (not only the parsed value).
        let i_deals = a.find("\"deals\"").unwrap();
        let i_org = a.find("\"org\"").unwrap();
        assert!(i_deals < i_org);
        let i_alpha = a.find("\"alpha\"").unwrap();
        let i_zeta = a.find("\"zeta\"").unwrap();
        assert!(i_alpha < i_zeta);
    }

    fn assert_sorted(v: &Value) {
        match v {
            Value::Object(m) => {
                let keys: Vec<&String> = m.keys().collect();
                let mut sorted = keys.clone();
                sorted.sort();
                assert_eq!(keys, sorted);
                m.values().for_each(assert_sorted);
            }
            Value::Array(a) => a.iter().for_each(assert_sorted),
            _ => {}
        }
    }
}

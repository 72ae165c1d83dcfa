//! Unit tests of `config`.

use super::*;

#[test]
fn defaults_when_empty() {
    let c = Config::from_toml("").unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.stage_probability("proposal"), Some(60.0));
    assert_eq!(c.stage_probability("closed_won"), Some(100.0));
    assert_eq!(c.stage_probability("nope"), None);
}

#[test]
fn custom_stages_keep_their_order() {
    let c = Config::from_toml("[stages]\nlead = 5\nqualified = 30\nverbal = 85\n").unwrap();
    let names: Vec<_> = c.stages.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["lead", "qualified", "verbal"]);
    assert_eq!(c.stage_probability("verbal"), Some(85.0));
    assert_eq!(c.stage_probability("proposal"), None);
}

#[test]
fn base_path_from_url() {
    let path = |u: &str| parse_base_url(u).unwrap().path;
    assert_eq!(path("https://acme.github.io/coaching"), "/coaching/");
    assert_eq!(path("https://acme.github.io/coaching/"), "/coaching/");
    assert_eq!(path("https://acme.example"), "/");
    assert_eq!(path("http://localhost:8080/a/b"), "/a/b/");
    assert_eq!(path(""), "/");
    assert_eq!(path("/a/b/"), "/a/b/");
    assert_eq!(path("/v1.2_x~y-z"), "/v1.2_x~y-z/");
    let b = parse_base_url(" https://Acme.Example:8443/team/ ").unwrap();
    assert_eq!(b.origin, "https://acme.example:8443");
    assert_eq!(b.url, "https://acme.example:8443/team");
}

#[test]
fn base_urls_that_could_leave_the_host_or_break_routes_are_refused() {
    for bad in [
        "https://coach.example.com/\\evil.example",
        "https://coach.example.com/\tevil.example",
        "https://coach.example.com//evil.example",
        "//evil.example",
        "/\\evil.example",
        "/a\n/b",
        "/a b",
        "https://h/:x",
        "https://h/*x",
        "https://h/{x}",
        "https://h/a/../b",
        "https://h/%2e%2e/x",
        "https://user:pw@h/x",
        "https://h/x?y=1",
        "https://h/x#y",
        "javascript:alert(1)",
        "ftp://h/x",
        "coaching",
        "/a\u{202e}b",
    ] {
        let e = parse_base_url(bad).unwrap_err();
        assert!(e.starts_with("base_url "), "{bad}: {e}");
        assert!(
            Config::from_toml(&format!("base_url = {:?}", bad)).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn toml_errors_give_a_position_but_not_the_text() {
    let e = Config::from_toml("title = \"x\"\nSECRET=hunter2 oops\n").unwrap_err();
    assert!(e.starts_with("line 2, column "), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    // The column counts characters: `x` is the 15th, the 21st byte.
    let e = Config::from_toml("title = \"日本語\" x\n").unwrap_err();
    assert!(e.starts_with("line 1, column 15:"), "{e}");
}

#[test]
fn rejects_bad_values() {
    assert!(Config::from_toml("fiscal_year_start_month = 13").is_err());
    assert!(Config::from_toml("coverage_target = 0").is_err());
    assert!(Config::from_toml("as_of = \"2026-02-30\"").is_err());
    assert_eq!(
        Config::from_toml("utc_offset = \"-08:00\"")
            .unwrap()
            .utc_offset_minutes,
        -480
    );
    for bad in ["8", "+25:00", "-13:00", "+01:75", "+a:00", ""] {
        assert!(
            Config::from_toml(&format!("utc_offset = {bad:?}")).is_err(),
            "{bad}"
        );
    }
    assert_eq!(parse_utc_offset("+0530"), Some(330));
    assert_eq!(parse_utc_offset("Z"), Some(0));
    assert!(Config::from_toml("[stages]\nx = 120").is_err());
    assert!(Config::from_toml("tilte = \"x\"").is_err());
    assert_eq!(
        Config::from_toml("as_of = 2026-11-25").unwrap().as_of,
        parse_date("2026-11-25")
    );
}

#[test]
fn type_key_is_a_usable_key() {
    assert_eq!(Config::default().type_key, "type");
    let c = Config::from_toml("type_key = \"category\"").unwrap();
    assert_eq!(c.type_key, "category");
    assert!(parse_type_key("a\u{7}").is_err());
    for bad in ["", "  ", " kind", "a:b", "#x", "title"] {
        let e = Config::from_toml(&format!("type_key = {bad:?}")).unwrap_err();
        assert!(e.starts_with("type_key "), "{bad:?}: {e}");
    }
    assert!(Config::from_toml("type_key = 3").is_err());
}

#[test]
fn dates_must_exist() {
    assert!(parse_date("2026-02-28").is_some());
    assert!(parse_date("2026-02-29").is_none());
    assert!(parse_date("2026-2-3").is_none());
}

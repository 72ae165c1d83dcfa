//! Unit tests of `audience`.

use super::*;

fn parse(text: &str) -> Result<BTreeMap<String, AudienceConfig>, String> {
    let v: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    let t = v.as_table().cloned().unwrap_or_default();
    parse_audiences(t)
}

#[test]
fn kinds_star_and_errors() {
    let a = parse("[h]\nkinds = [\"page\"]\npublic = true\n[m]\nkinds = [\"*\"]\n").unwrap();
    assert_eq!(a["h"].kinds, vec![Kind::Page]);
    assert!(a["h"].public);
    assert_eq!(a["m"].kinds.len(), Kind::ALL.len());
    let e = parse("[h]\nkinds = [\"pages\"]\n").unwrap_err();
    assert!(e.contains("\"pages\", which is not a kind"), "{e}");
    let e = parse("[h]\nkind = [\"page\"]\n").unwrap_err();
    assert!(e.contains("audience h: unknown field `kind`"), "{e}");
    let e = parse("[\"a b\"]\nkinds = [\"page\"]\n").unwrap_err();
    assert!(e.contains("letters, digits"), "{e}");
}

#[test]
fn noindex_goes_after_head() {
    assert_eq!(
        noindex("<html><head><title>x</title>"),
        "<html><head>\n<meta name=\"robots\" content=\"noindex\"><title>x</title>"
    );
}

#[test]
fn folders_and_tags_compare_loosely() {
    assert_eq!(folder_key("./Reps/"), "reps/");
    assert_eq!(folder_key("/"), "");
    assert_eq!(tag_key("#Coaching/East"), "coaching/east");
}

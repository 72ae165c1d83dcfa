//! Unit tests of the search index: words, stop words, that only the text
//! a page shows is indexed; the shard writer's tests are in
//! `shard_tests.rs`.

use super::text::shown_text;
use super::*;

#[test]
fn stop_words_are_the_listed_ones() {
    for w in STOP_WORDS {
        assert!(is_stop_word(w), "{w}");
    }
    for w in ["a", "ann", "there's", "deal", "whom", "your2"] {
        assert!(!is_stop_word(w), "{w}");
    }
    let listed = STOP_WORDS.len();
    let matched = ('a'..='z')
        .flat_map(|a| ('a'..='z').map(move |b| format!("{a}{b}")))
        .filter(|w| is_stop_word(w))
        .count();
    assert_eq!(matched, STOP_WORDS.iter().filter(|w| w.len() == 2).count());
    assert!(listed > 40);
}

#[test]
fn words_are_lower_cased_and_filtered() {
    let mut got = Vec::new();
    words(
        "The MEDDPICC score of Acme's renewal: 12/24, Zoë in Malmö, a x 東京",
        |w| got.push(w.into_owned()),
    );
    assert_eq!(
        got,
        ["meddpicc", "score", "acme", "renewal", "12", "24", "zoë", "malmö", "東京"]
    );
}

fn indexed(body: &str) -> Vec<String> {
    let mut got = Vec::new();
    words(&body_text(body).0, |w| got.push(w.into_owned()));
    got
}

#[test]
fn summaries_are_plain_text() {
    let body =
        "# Heading\n\nWe met [[Jane Doe|Jane]] and **agreed** on `next` steps.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert_eq!(
        plain_start(body, 200),
        "We met Jane and agreed on next steps."
    );
    let long = "word ".repeat(100);
    let s = plain_start(&long, 20);
    assert!(s.chars().count() <= 21 && s.ends_with('…'), "{s}");
    assert_eq!(
        plain_start(
            "- one\n- two\n\n> quoted [link](https://x.example/secret)\n",
            200
        ),
        "one two quoted link"
    );
}

#[test]
fn hidden_text_is_not_indexed() {
    for body in [
        "Visible words. <!-- Rep is on a PIP; salary 123456 -->\n",
        "<!--\nRep is on a PIP; salary 123456\n-->\n\nVisible words.\n",
        "Visible words %%Rep is on a PIP; salary 123456%%.\n",
        "Visible words.\n\n%%\nRep is on a PIP\n\nsalary 123456\n%%\n",
        "Visible <span title=\"pip salary 123456\">words</span>.\n",
        "Visible words. ![pip salary 123456](chart.png)\n",
        "Visible [words](https://pip.example/salary/123456).\n",
    ] {
        let got = indexed(body);
        assert!(got.contains(&"visible".to_string()), "{body}: {got:?}");
        assert!(got.contains(&"words".to_string()), "{body}: {got:?}");
        for secret in ["pip", "salary", "123456"] {
            assert!(!got.contains(&secret.to_string()), "{body}: {got:?}");
        }
        let s = plain_start(body, 200);
        assert!(s.starts_with("Visible"), "{body}: {s}");
        assert!(!s.contains("salary") && !s.contains("PIP"), "{body}: {s}");
    }
}

#[test]
fn tags_shown_as_text_are_indexed_as_shown() {
    // The page shows these as text (see `raw_html`), so search has them.
    let body = "Hi <first name>, put the <title> here.\n\n<script>var tracker = 1</script>\n\n> [!tip] Callout heading\n> inside\n";
    let got = indexed(body);
    for w in [
        "first", "name", "title", "here", "script", "tracker", "callout", "heading", "inside",
    ] {
        assert!(got.contains(&w.to_string()), "{w}: {got:?}");
    }
    // A callout's marker is not shown, so not indexed.
    assert!(!got.contains(&"tip".to_string()), "{got:?}");
    assert_eq!(
        plain_start(body, 200),
        "Hi <first name>, put the <title> here. <script>var tracker = 1</script> Callout heading inside"
    );
}

#[test]
fn raw_html_text_is_indexed_as_shown() {
    let body = "<details><summary>More</summary>Hidden&amp;found</details>\n\n<table><tr><td>cell</td><td>two</td></tr></table>\n\nAT&amp;T <b>bo</b>ld 5 &lt; 6\n";
    let (text, summary_text) = body_text(body);
    let got = indexed(body);
    for w in ["more", "hidden", "found", "cell", "two", "bold"] {
        assert!(got.contains(&w.to_string()), "{w}: {got:?} from {text}");
    }
    assert!(!summary_text.contains("cell"), "{summary_text}");
    assert!(summary_text.contains("AT&T bold 5 < 6"), "{summary_text}");
    // `%%` in code stays.
    assert!(indexed("Say `%%keep%%` out loud.").contains(&"keep".to_string()));
}

#[test]
fn html_too_deep_is_indexed_as_the_text_shown() {
    // Flagged by the loader: every tag is text, on the page and here.
    let body = "Intro *a*.\n\n<div><b>x</b> words &amp; more</div>\n\n> [!tip] Title\n> inside\n";
    let (text, summary) = shown_text(body, true);
    for w in [
        "Intro a.",
        "<div><b>x</b> words & more</div>",
        "Title",
        "inside",
    ] {
        assert!(text.contains(w), "{w}: {text}");
        assert!(summary.contains(w), "{w}: {summary}");
    }
    // Unflagged but too deep for the sanitiser: the same, found late.
    let deep = format!(
        "Intro\n\n{}x{}\n",
        "<div>".repeat(300),
        "</div>".repeat(300)
    );
    let (text, _) = body_text(&deep);
    assert!(
        text.contains("<div><div>") && text.contains("x</div>"),
        "{text}"
    );
    assert_eq!(body_text(&deep), shown_text(&deep, true));
}

#[test]
fn the_batched_site_index_is_the_index_of_all_entries() {
    use crate::metrics::testutil::SiteBuilder;
    use crate::model::Kind;
    let mut b = SiteBuilder::new();
    let r = b.rep("jane", "East", "2024-01-01", 100.0);
    for i in 0..23 {
        let date = format!("2026-0{}-1{}", 1 + i % 9, i % 10);
        b.interaction(&format!("note-{i}"), Kind::Debrief, Some(r), None, &date);
    }
    let site = b.build();
    let entries: Vec<DocEntry> = site.notes.iter().map(doc_entry).collect();
    let all = index_files(&entries);
    for batch in [1, 3, 7, 4096] {
        assert_eq!(
            site_index_batched(&site, batch).files,
            all.files,
            "batch {batch}"
        );
    }
}

#[test]
fn a_body_s_words_are_indexed_once_each_lower_cased_beside_the_fields() {
    use crate::metrics::testutil::SiteBuilder;
    use std::collections::BTreeMap;
    let mut b = SiteBuilder::new();
    let r = b.rep("jane", "East", "2024-01-01", 100.0);
    let mut site = b.build();
    // ASCII (kept as ranges of the lower-cased text) and not (each word
    // owned); both name the rep, whose name is in the title (weight 2).
    for (body, ranges) in [
        (
            "Jane's Renewal RENEWAL renewal, the Acme plan: ACME's PLAN-B.",
            true,
        ),
        ("Jane: Renewal renewal Zoë ZOË Malmö acme ACME.", false),
    ] {
        site.notes[r].body = crate::model::Body::new("");
        let fields: BTreeMap<String, u8> = (doc_entry(&site.notes[r]).all_words())
            .map(|(w, x)| (w.to_string(), x))
            .collect();
        assert_eq!(fields.get("jane"), Some(&2), "{fields:?}");
        site.notes[r].body = crate::model::Body::new(body);
        let mut want = fields.clone();
        words(&shown_text(body, false).0, |w| {
            want.entry(w.into_owned()).or_insert(0);
        });
        let e = doc_entry(&site.notes[r]);
        let got: Vec<(String, u8)> = e.all_words().map(|(w, x)| (w.to_string(), x)).collect();
        let unique: BTreeMap<String, u8> = got.iter().cloned().collect();
        assert_eq!(got.len(), unique.len(), "a word twice: {got:?}");
        assert_eq!(unique, want, "{body}");
        assert!(unique.contains_key("renewal") && unique.contains_key("acme"));
        assert_eq!(!e.text_words.is_empty(), ranges, "{body}");
        // Owned for `serve`: the same words.
        let owned = e.clone().into_owned();
        assert!(owned.all_words().eq(e.all_words()));
    }
}

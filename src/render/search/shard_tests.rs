//! Unit tests of the shard writer: every term in exactly one shard, the
//! manifest naming every file, sizes bounded, the same bytes every build,
//! a small index in one file that holds the same shards and chunks.

use super::kept::{Kept, Update};
use super::shards::{encode, index_files_sized, read, varint, Sizes, CHUNK_DOCS, COMBINE_MAX};

/// Shard sizes small enough for a test corpus to need every rule.
const SPLIT: usize = 4096;
const MERGE: usize = 1024;

/// The index in shards and chunks, as a large site has it.
fn sharded(e: &[DocEntry]) -> IndexFiles {
    combined_up_to(e, 0)
}

/// The index in one file when its shards and chunks hold at most `max`
/// bytes.
fn combined_up_to(e: &[DocEntry], max: usize) -> IndexFiles {
    index_files_sized(
        e,
        Sizes {
            split_above: SPLIT,
            merge_up_to: MERGE,
            combine_up_to: max,
        },
    )
}
use super::*;
use std::collections::BTreeMap;

/// Entries of `n` notes: note `i` has a made-up date and words drawn from
/// a vocabulary where some words are in most notes and most in few.
fn entries(n: usize) -> Vec<DocEntry<'static>> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|i| {
            let mut words: Vec<(Cow<'static, str>, u8)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for _ in 0..40 {
                let r = next();
                // Zipf-like: small numbers are common.
                let rank = (r % 5000) * (r % 5000) / 5000;
                let word = match rank % 7 {
                    0 => format!("pro{rank}"),
                    1 => format!("co{rank}x"),
                    2 => format!("zoë{rank}"),
                    _ => format!("w{rank:04}"),
                };
                if seen.insert(word.clone()) {
                    words.push((Cow::Owned(word), (r % 3) as u8));
                }
            }
            // One word in every note, one in every other.
            words.push((Cow::Borrowed("deal"), 1));
            if i % 2 == 0 {
                words.push((Cow::Borrowed("debrief"), 0));
            }
            let date = if i % 5 == 0 {
                String::new()
            } else {
                format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28)
            };
            DocEntry {
                row: format!("[\"Note {i}\",\"n/{i}/\",\"Page\",\"{date}\",\"\"]"),
                date,
                words,
                ..DocEntry::default()
            }
        })
        .collect()
}

fn manifest(files: &IndexFiles) -> serde_json::Value {
    let (name, bytes) = files.files.last().unwrap();
    assert_eq!(name, MANIFEST);
    serde_json::from_slice(bytes).unwrap()
}

fn file<'a>(files: &'a IndexFiles, name: &str) -> &'a [u8] {
    &files
        .files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// The documents in the index's order: date descending, then note order.
fn doc_order(e: &[DocEntry]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..e.len()).collect();
    order.sort_by(|&a, &b| e[b].date.cmp(&e[a].date).then(a.cmp(&b)));
    order
}

#[test]
fn every_term_is_in_exactly_one_shard_listed_by_the_manifest() {
    let e = entries(3000);
    let files = sharded(&e);
    let m = manifest(&files);
    assert_eq!(m["v"], 5);
    assert!(m.get("all").is_none(), "{m}");
    assert_eq!(m["docs"], 3000);
    assert_eq!(m["chunk"], CHUNK_DOCS);
    let shards = m["shards"].as_array().unwrap();
    assert!(shards.len() > 10, "{}", shards.len());
    // Every file is the manifest, a shard or prefix list it lists, or a
    // chunk.
    let listed: Vec<String> = (shards.iter().map(|s| &s[3]))
        .chain(m["prefixes"].as_array().unwrap().iter().map(|p| &p[1]))
        .map(|name| format!("{DIR}{}", name.as_str().unwrap()))
        .collect();
    let chunks = 3000usize.div_ceil(CHUNK_DOCS);
    assert_eq!(files.files.len(), listed.len() + chunks + 1);
    for (name, _) in &files.files {
        let rest = name.strip_prefix(DIR).unwrap();
        assert!(
            listed.contains(name)
                || name == MANIFEST
                || rest
                    .strip_prefix("d-")
                    .and_then(|r| r.strip_suffix(".json"))
                    .and_then(|c| c.parse::<usize>().ok())
                    .is_some_and(|c| c < chunks),
            "{name}"
        );
    }

    // The shards in order hold every term once, sorted, with the
    // postings each note's words make.
    let order = doc_order(&e);
    let mut want: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (doc, &i) in order.iter().enumerate() {
        for (w, weight) in e[i].all_words() {
            want.entry(w.to_string())
                .or_default()
                .push(((doc as u32) << 2) | u32::from(weight));
        }
    }
    let mut got: Vec<(String, Vec<u32>)> = Vec::new();
    for s in shards {
        let terms = read::shard(
            file(&files, &format!("{DIR}{}", s[3].as_str().unwrap())),
            3000,
        )
        .expect("a shard that reads back whole");
        assert_eq!(s[0].as_str().unwrap(), terms[0].0);
        assert_eq!(s[1].as_str().unwrap(), terms[terms.len() - 1].0);
        assert_eq!(s[2].as_u64().unwrap() as usize, terms.len());
        got.extend(terms);
    }
    let want: Vec<(String, Vec<u32>)> = want.into_iter().collect();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "postings differ");
}

#[test]
fn a_word_in_most_notes_costs_two_bits_a_note() {
    let all: Vec<u32> = (0..1000u32).map(|d| (d << 2) | (d % 3)).collect();
    let (kind, bytes) = encode(&all, 1000);
    assert_eq!((kind, bytes.len()), (1, 250));
    let rare = [5u32 << 2, (900 << 2) | 2];
    let (kind, bytes) = encode(&rare, 1000);
    assert_eq!(kind, 0);
    assert_eq!(bytes, [20, 0xfe, 0x1b]);
    for list in [&all[..], &rare[..]] {
        let (kind, post) = encode(list, 1000);
        let mut shard = vec![1, 1, b'x', kind];
        let mut len = Vec::new();
        varint(&mut len, post.len() as u32);
        shard.extend(len);
        shard.extend(post);
        assert_eq!(read::shard(&shard, 1000).unwrap()[0].1, list);
    }
}

#[test]
fn shards_are_bounded_and_chunks_hold_rows_newest_first() {
    let e = entries(3000);
    let files = sharded(&e);
    let m = manifest(&files);
    for s in m["shards"].as_array().unwrap() {
        let bytes = file(&files, &format!("{DIR}{}", s[3].as_str().unwrap()));
        // Larger only when it is one term (its postings cannot be split).
        assert!(
            bytes.len() <= SPLIT || s[2] == 1,
            "{s} is {} bytes",
            bytes.len()
        );
    }
    // Prefixes were split past two characters ("pro", "co" and "w" are
    // large runs) yet the shards are fewer than the terms.
    let names: Vec<&str> = m["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[3].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.len() > "t-7072.bin".len()),
        "{names:?}"
    );

    let order = doc_order(&e);
    let chunk0: Vec<serde_json::Value> =
        serde_json::from_slice(file(&files, &format!("{DIR}d-0.json"))).unwrap();
    assert_eq!(chunk0.len(), CHUNK_DOCS);
    for (j, row) in chunk0.iter().enumerate() {
        assert_eq!(row[0], format!("Note {}", order[j]));
    }
    let last: Vec<serde_json::Value> = serde_json::from_slice(file(
        &files,
        &format!("{DIR}d-{}.json", 3000 / CHUNK_DOCS - 1),
    ))
    .unwrap();
    // Undated notes come last.
    assert_eq!(last[CHUNK_DOCS - 1][3], "");
    assert!(chunk0[0][3].as_str().unwrap() >= chunk0[1][3].as_str().unwrap());
}

#[test]
fn the_same_notes_make_the_same_bytes() {
    let e = entries(700);
    let a = sharded(&e);
    // Words in another order (they come from a hash map).
    let mut shuffled = e.clone();
    for x in &mut shuffled {
        x.words.reverse();
    }
    let b = sharded(&shuffled);
    assert!(a == b, "two builds of the same notes differ");
    // A change to one note changes the hash every file is fetched with.
    let mut changed = e.clone();
    changed[3].words.push((Cow::Borrowed("zanzibarish"), 0));
    let c = sharded(&changed);
    assert_ne!(manifest(&a)["h"], manifest(&c)["h"]);
}

#[test]
fn the_manifest_says_how_many_bytes_the_shards_and_chunks_hold() {
    let files = sharded(&entries(700));
    let m = manifest(&files);
    let sum: usize = files
        .files
        .iter()
        .filter(|(n, _)| n.as_str() != MANIFEST)
        .filter(|(n, _)| {
            let name = n
                .strip_prefix(DIR)
                .unwrap_or_else(|| panic!("{n} not in {DIR}"));
            assert!(
                ["t-", "d-", "p-"].iter().any(|k| name.starts_with(k)),
                "{n}"
            );
            // The prefix lists are not counted.
            !name.starts_with("p-")
        })
        .map(|(_, b)| b.len())
        .sum();
    assert!(sum > 0);
    assert_eq!(m["bytes"], sum);
    // Before the shard list, which is the long part.
    let text = std::str::from_utf8(file(&files, MANIFEST)).unwrap();
    let (at_bytes, at_shards) = (text.find("\"bytes\":"), text.find("\"shards\":"));
    assert!(at_bytes.is_some() && at_bytes < at_shards, "{text}");
    assert_eq!(manifest(&index_files(&[]))["bytes"], 0);
}

#[test]
fn an_empty_site_has_a_manifest_only() {
    let files = index_files(&[]);
    assert_eq!(files.files.len(), 1);
    let m = manifest(&files);
    assert_eq!(m["docs"], 0);
    assert_eq!(m["shards"].as_array().unwrap().len(), 0);
}

#[test]
fn a_small_index_is_one_file_holding_every_shard_and_chunk() {
    let e = entries(700);
    let apart = sharded(&e);
    let m_apart = manifest(&apart);
    let bytes = m_apart["bytes"].as_u64().unwrap() as usize;
    // At the limit: one file and the manifest, nothing else.
    let one = combined_up_to(&e, bytes);
    let m = manifest(&one);
    let name = format!("all-{}.bin", m["h"].as_str().unwrap());
    assert_eq!(m["all"], name.as_str());
    let names: Vec<&str> = one.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, [format!("{DIR}{name}").as_str(), MANIFEST]);
    // The same index otherwise: size, shard list; no prefix lists (the
    // client has every shard in memory), so another hash.
    assert!(m.get("prefixes").is_none(), "{m}");
    assert!(!m_apart["prefixes"].as_array().unwrap().is_empty());
    let mut without = m.clone();
    let mut m_apart = m_apart;
    for key in ["all", "h"] {
        without.as_object_mut().unwrap().remove(key);
    }
    for key in ["prefixes", "h"] {
        m_apart.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(without, m_apart);
    // The file holds the shards in the manifest's order and the chunks
    // from 0, each the bytes it would be apart.
    let (shards, chunks) = read::combined(file(&one, &format!("{DIR}{name}")))
        .expect("a combined file that reads back whole");
    let listed = m["shards"].as_array().unwrap();
    assert_eq!(shards.len(), listed.len());
    for (s, bytes) in listed.iter().zip(&shards) {
        assert_eq!(
            *bytes,
            file(&apart, &format!("{DIR}{}", s[3].as_str().unwrap()))
        );
    }
    assert_eq!(chunks.len(), 700usize.div_ceil(CHUNK_DOCS));
    for (c, bytes) in chunks.iter().enumerate() {
        assert_eq!(*bytes, file(&apart, &format!("{DIR}d-{c}.json")));
    }
    // One byte over: shards and chunks apart, as a large site has them.
    let over = combined_up_to(&e, bytes - 1);
    assert!(
        over == apart,
        "an index over the limit is not written apart"
    );
}

#[test]
fn a_real_build_writes_one_file_up_to_4_mb() {
    assert_eq!(COMBINE_MAX, 4 * 1024 * 1024);
    let files = index_files(&entries(300));
    let m = manifest(&files);
    assert!(m["bytes"].as_u64().unwrap() < COMBINE_MAX as u64);
    assert_eq!(files.files.len(), 2);
    assert!(m["all"].as_str().unwrap().starts_with("all-"), "{m}");
    // A change to one note is a new file name.
    let mut changed = entries(300);
    changed[3].words.push((Cow::Borrowed("zanzibarish"), 0));
    assert_ne!(manifest(&index_files(&changed))["all"], m["all"]);
}

/// The sizes of [`sharded`] (`combine_up_to` 0) or of [`combined_up_to`].
fn sizes(combine_up_to: usize) -> Sizes {
    Sizes {
        split_above: SPLIT,
        merge_up_to: MERGE,
        combine_up_to,
    }
}

/// What a folder holds after the index's first files and then each
/// update: its files written, those not named removed.
struct Folder(BTreeMap<String, Vec<u8>>);

impl Folder {
    fn apply(&mut self, update: Update) {
        for (name, bytes) in update.files.files {
            self.0.insert(name, bytes);
        }
        self.0.retain(|name, _| update.names.contains(name));
    }

    fn is(&self, files: IndexFiles) -> bool {
        self.0 == files.files.into_iter().collect::<BTreeMap<_, _>>()
    }
}

/// `old` edited the `kind`-th way (of 7) at step `step`, with `r` a
/// random number and `other` another note's entry.
fn edited(
    old: &DocEntry<'static>,
    other: &DocEntry<'static>,
    kind: u64,
    r: u64,
    step: usize,
) -> DocEntry<'static> {
    let mut new = old.clone();
    let pick = |len: usize| (r / 7) as usize % len.max(1);
    match kind {
        // A word taken out.
        0 if !new.words.is_empty() => {
            new.words.swap_remove(pick(new.words.len()));
        }
        // A word new to the index.
        1 => new
            .words
            .push((Cow::Owned(format!("fresh{step}")), (r % 3) as u8)),
        // A word of another note.
        2 => {
            if let Some((w, _)) = other.words.get(pick(other.words.len())) {
                if !new.words.iter().any(|(x, _)| x == w) {
                    new.words.push((w.clone(), (r % 3) as u8));
                }
            }
        }
        // A word weighed anew.
        3 if !new.words.is_empty() => {
            let at = pick(new.words.len());
            new.words[at].1 = (new.words[at].1 + 1) % 3;
        }
        // A new title (its row).
        4 => {
            new.row = format!(
                "[\"Retitled {step}\",\"n/x/\",\"Page\",\"{}\",\"\"]",
                new.date
            )
        }
        // A word that spreads to many notes: its list grows past the
        // shard sizes, and from gaps to two bits a note; its group splits.
        5 => {
            if !new.words.iter().any(|(x, _)| x == "w0spread") {
                new.words.push((Cow::Borrowed("w0spread"), 1));
            }
        }
        // Every word taken out.
        _ => new.words.clear(),
    }
    new
}

#[test]
fn the_kept_index_follows_edits_byte_for_byte() {
    for combine in [0, usize::MAX] {
        let sizes = sizes(combine);
        let mut e = entries(400);
        let (mut kept, first) = Kept::new_sized(&e, sizes);
        assert!(first.every);
        let mut folder = Folder(BTreeMap::new());
        folder.apply(first);
        assert!(folder.is(index_files_sized(&e, sizes)));

        // The last note with a word loses it: the word is gone.
        let i = 17;
        let mut new = e[i].clone();
        new.words.push((Cow::Borrowed("zzsolitary"), 2));
        assert!(kept.change(i, &e[i], &new));
        e[i] = new;
        folder.apply(kept.files(&e, false));
        assert!(folder.is(index_files_sized(&e, sizes)));
        assert!(folder.0.values().any(|b| contains(b, b"zzsolitary")));
        let mut new = e[i].clone();
        new.words.retain(|(w, _)| w != "zzsolitary");
        assert!(kept.change(i, &e[i], &new));
        e[i] = new;
        folder.apply(kept.files(&e, false));
        assert!(folder.is(index_files_sized(&e, sizes)));
        assert!(!folder.0.values().any(|b| contains(b, b"zzsolitary")));

        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut shard_sets = std::collections::BTreeSet::new();
        let mut prefix_sets = std::collections::BTreeSet::new();
        for step in 0..300 {
            // One to three notes a save.
            for _ in 0..1 + next() % 3 {
                let (i, j, kind, r) = (
                    next() as usize % e.len(),
                    next() as usize % e.len(),
                    next() % 7,
                    next(),
                );
                let kind = if step > 150 && kind == 6 { 5 } else { kind };
                let new = edited(&e[i], &e[j], kind, r, step);
                assert!(kept.change(i, &e[i], &new));
                e[i] = new;
            }
            let update = kept.files(&e, false);
            folder.apply(update);
            let cold = index_files_sized(&e, sizes);
            shard_sets.insert(manifest(&cold)["shards"].as_array().unwrap().len());
            let lists: Vec<&Vec<u8>> = (cold.files.iter())
                .filter(|(n, _)| n.contains("/p-"))
                .map(|(_, b)| b)
                .collect();
            if !lists.is_empty() {
                prefix_sets.insert(format!("{lists:?}"));
            }
            assert!(folder.is(cold), "combine {combine}, step {step}");
        }
        // The edits moved words between shards (their number changed).
        assert!(shard_sets.len() > 3, "{shard_sets:?}");
        // Sharded, they changed the prefix lists, too (a combined index
        // has none).
        if combine == 0 {
            assert!(prefix_sets.len() > 30, "{}", prefix_sets.len());
        } else {
            assert!(prefix_sets.is_empty());
        }
        // A date moves the note among the documents: not followed.
        let mut new = e[3].clone();
        new.date = "1999-01-01".into();
        assert!(!kept.change(3, &e[3], &new));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_edit_writes_only_the_files_it_changed() {
    let sizes = sizes(0);
    let mut e = entries(700);
    let (mut kept, _) = Kept::new_sized(&e, sizes);
    let before: BTreeMap<String, Vec<u8>> =
        index_files_sized(&e, sizes).files.into_iter().collect();

    // A new word in one note's text: the shard that holds it and the
    // manifest; its row is the same, so no chunk.
    let mut new = e[250].clone();
    new.words.push((Cow::Borrowed("walrus"), 0));
    assert!(kept.change(250, &e[250], &new));
    e[250] = new;
    let update = kept.files(&e, false);
    assert!(!update.every);
    let after: BTreeMap<String, Vec<u8>> = index_files_sized(&e, sizes).files.into_iter().collect();
    let differ: Vec<&String> = (after.iter())
        .filter(|(n, b)| before.get(*n) != Some(*b))
        .map(|(n, _)| n)
        .collect();
    let mut written: Vec<&String> = update.files.files.iter().map(|(n, _)| n).collect();
    assert_eq!(written.last().map(|n| n.as_str()), Some(MANIFEST));
    written.sort();
    assert_eq!(written, differ);
    let mut names = update.names.clone();
    names.sort();
    assert_eq!(names, after.keys().cloned().collect::<Vec<_>>());
    let shards = written.iter().filter(|n| n.contains("/t-")).count();
    assert!((1..=2).contains(&shards), "{written:?}");
    assert!(!written.iter().any(|n| n.contains("/d-")), "{written:?}");
    assert!(before.len() > 20);

    // A new title: that note's chunk, and no shard.
    let mut new = e[250].clone();
    new.row = "[\"Walrus tactics\",\"n/250/\",\"Page\",\"\",\"\"]".into();
    assert!(kept.change(250, &e[250], &new));
    e[250] = new;
    let update = kept.files(&e, false);
    let written: Vec<&str> = update.files.files.iter().map(|(n, _)| n.as_str()).collect();
    let doc = doc_order(&e).iter().position(|&i| i == 250).unwrap();
    let chunk = format!("{}d-{}.json", super::DIR, doc / CHUNK_DOCS);
    assert_eq!(written, [chunk.as_str(), MANIFEST]);
}

/// Every shard's terms and postings, in the manifest's order.
fn all_terms(files: &IndexFiles, docs: usize) -> Vec<(String, Vec<u32>, usize)> {
    let m = manifest(files);
    let mut out = Vec::new();
    for (k, s) in m["shards"].as_array().unwrap().iter().enumerate() {
        let name = format!("{DIR}{}", s[3].as_str().unwrap());
        for (t, list) in read::shard(file(files, &name), docs).unwrap() {
            out.push((t, list, k));
        }
    }
    out
}

#[test]
fn a_prefix_list_scores_each_document_as_the_client_scores_the_words() {
    let e = entries(3000);
    let files = sharded(&e);
    let m = manifest(&files);
    let terms = all_terms(&files, 3000);
    let prefixes = m["prefixes"].as_array().unwrap();
    assert!(prefixes.len() > 3, "{m}");
    let listed: BTreeMap<&str, &str> = (prefixes.iter())
        .map(|p| (p[0].as_str().unwrap(), p[1].as_str().unwrap()))
        .collect();
    // The words the client's query word `p` expands to: the first 400
    // starting with it, in the shards' order.
    let expand = |p: &str| -> Vec<&(String, Vec<u32>, usize)> {
        (terms.iter())
            .filter(|t| t.0.starts_with(p))
            .take(super::shards::EXPAND)
            .collect()
    };
    // Every prefix of every word, up to 8 characters: a list exactly
    // when its words lie in more than three shards.
    let mut every = std::collections::BTreeSet::new();
    for (t, _, _) in &terms {
        for (k, _) in t.char_indices().skip(1) {
            every.insert(t[..k].to_string());
        }
        every.insert(t.clone());
    }
    let mut checked = 0;
    for p in every.iter().filter(|p| p.chars().count() <= 8) {
        let words = expand(p);
        let spans = words.last().unwrap().2 - words[0].2 + 1;
        assert_eq!(
            listed.contains_key(p.as_str()),
            spans > super::shards::PREFIX_SHARDS,
            "{p}: {spans} shards"
        );
        let Some(name) = listed.get(p.as_str()) else {
            continue;
        };
        // The scores the client would give each document from the words:
        // the best weight (1, 4, 10, 10) of any of them, plus one for the
        // word itself.
        let mut want = vec![0u8; 3000];
        for (t, list, _) in &words {
            for v in list {
                let s = [1, 4, 10, 10][(v & 3) as usize] + u8::from(t == p);
                let d = &mut want[(v >> 2) as usize];
                *d = (*d).max(s);
            }
        }
        let got = read::prefix(file(&files, &format!("{DIR}{name}")), 3000)
            .expect("a prefix list that reads back whole");
        assert!(got == want, "{p}");
        checked += 1;
    }
    assert_eq!(checked, prefixes.len());
    // Both encodings are in use: a common prefix is dense.
    let kinds: std::collections::BTreeSet<u8> = (listed.values())
        .map(|n| file(&files, &format!("{DIR}{n}"))[0])
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
}

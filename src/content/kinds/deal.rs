//! The fields of a deal: stage, amounts, dates and MEDDPICC scores.

use super::*;

pub(super) const DEAL_FIELDS: &[&str] = &[
    "type",
    "name",
    "title",
    "slug",
    "tags",
    "account",
    "owner",
    "value",
    "stage",
    "created",
    "close_date",
    "probability",
    "next_step",
    "key_question",
    "lost_reason",
    "meddpicc",
];

pub(crate) fn parse_deal(r: &mut Reader) -> Read<Deal> {
    let name = r.req_str(&[Seg::Key("name")], "the deal's name");
    let account = r.req_str(&[Seg::Key("account")], "the customer account");
    let owner = r.req_ref(&[Seg::Key("owner")], "the rep who owns the deal");
    let stage = match r.value(&[Seg::Key("stage")]) {
        None => {
            r.error(
                Code::MissingField,
                &[],
                "stage is required: one of the configured stages, closed_won or closed_lost"
                    .to_string(),
            );
            None
        }
        Some(_) => r
            .opt_str(&[Seg::Key("stage")])
            .map(|s| s.trim().to_string()),
    };
    // A closed deal needs its value and actual close date; an open one may
    // not know them yet (validate warns, the pipeline review lists it).
    let closed = stage
        .as_deref()
        .and_then(|s| canonical(s, [CLOSED_WON, CLOSED_LOST]))
        .is_some();
    let amount = "an amount of 0 or more";
    let value = if closed {
        r.req_num(&[Seg::Key("value")], amount, |f| f >= 0.0)
            .map(Some)
    } else {
        Some(r.opt_num(&[Seg::Key("value")], amount, |f| f >= 0.0))
    };
    let created = r.req_date(&[Seg::Key("created")]);
    let close_date = if closed {
        r.req_date(&[Seg::Key("close_date")]).map(Some)
    } else {
        Some(r.opt_date(&[Seg::Key("close_date")]))
    };
    let probability = r.opt_num(
        &[Seg::Key("probability")],
        "a percentage from 0 to 100",
        |f| (0.0..=100.0).contains(&f),
    );
    // 0.4 is almost surely a fraction; it is read as 0.4 %, not converted.
    if let Some(p) = probability.filter(|p| *p > 0.0 && *p < 1.0) {
        let d = r.warn(
            Code::ProbabilityFraction,
            &[Seg::Key("probability")],
            format!("probability is a percentage from 0 to 100, and {p} reads as {p}%"),
        );
        // 0.4 * 100 is 40.00000000000001: round off the float noise.
        let percent = (p * 100.0 * 1e6).round() / 1e6;
        d.help = Some(format!(
            "did you mean {percent}? write `probability: {percent}`"
        ));
    }
    let next_step = r.opt_str(&[Seg::Key("next_step")]);
    let key_question = r
        .opt_str(&[Seg::Key("key_question")])
        .filter(|s| !s.trim().is_empty());
    let lost_reason = r.opt_str(&[Seg::Key("lost_reason")]);
    let mut meddpicc: [Element; 8] = Default::default();
    if let Some(m) = r.opt_map(
        &[Seg::Key("meddpicc")],
        "a map of the eight MEDDPICC elements",
    ) {
        for key in m.keys().filter_map(|k| k.as_str()) {
            if !MEDDPICC.contains(&key) {
                let help = did_you_mean(key, MEDDPICC.iter().copied());
                let d = r.error_at_key(
                    Code::InvalidValue,
                    &[Seg::Key("meddpicc"), Seg::Key(key)],
                    format!(
                        "meddpicc.{key} is not a MEDDPICC element: {}",
                        MEDDPICC.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
        }
        for (i, key) in MEDDPICC.iter().enumerate() {
            let base = [Seg::Key("meddpicc"), Seg::Key(key)];
            match r.value(&base) {
                None => {}
                // `champion: 2` as a shorthand for `{score: 2}`.
                Some(Value::Number(_)) => {
                    if let Some(s) = r.opt_score(&base, 0, 3) {
                        meddpicc[i].score = s;
                    }
                }
                Some(_) => {
                    if r.opt_map(&base, "a map {score: 0-3, evidence}").is_none() {
                        continue;
                    }
                    let sp = [Seg::Key("meddpicc"), Seg::Key(key), Seg::Key("score")];
                    meddpicc[i].score = r.opt_score(&sp, 0, 3).unwrap_or(0);
                    meddpicc[i].evidence = r
                        .opt_str(&[Seg::Key("meddpicc"), Seg::Key(key), Seg::Key("evidence")])
                        .filter(|s| !s.trim().is_empty());
                }
            }
        }
    }
    r.unknown_keys(&[], DEAL_FIELDS);
    let mut s = StandIns::default();
    let deal = Deal {
        name: s.got(name, "name"),
        account: s.got(account, "account"),
        owner: s.got(owner, "owner"),
        value: s.got(value, "value"),
        stage: s.got(stage, "stage"),
        created: s.got(created, "created"),
        close_date: s.got(close_date, "close_date"),
        probability,
        next_step,
        key_question,
        lost_reason,
        meddpicc,
    };
    s.finish(r, deal)
}

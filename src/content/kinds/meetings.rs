//! The fields of the dated notes: debriefs, coaching sessions and calls,
//! call prep sheets, and forecasts.

use super::*;

pub(super) const INTERACTION_FIELDS: &[&str] = &[
    "type", "title", "slug", "tags", "rep", "deal", "date", "takeaway", "gap", "skill", "outcome",
    "cause",
];
pub(super) const CALL_FIELDS: &[&str] = &[
    "call_type",
    "attendees",
    "duration_min",
    "recording",
    "moments",
];

pub(crate) fn parse_interaction(r: &mut Reader, kind: Kind) -> Read<Interaction> {
    let rep = r.req_ref(&[Seg::Key("rep")], "the rep who was coached");
    let deal = if kind == Kind::Debrief {
        r.req_ref(&[Seg::Key("deal")], "the deal this debrief is about")
            .map(Some)
    } else {
        Some(r.opt_ref(&[Seg::Key("deal")]))
    };
    let date = r.req_date(&[Seg::Key("date")]);
    let takeaway = r.req_str(
        &[Seg::Key("takeaway")],
        "every coaching interaction leaves one specific, behavioural takeaway",
    );
    let gap = r.opt_enum::<Gap>(&[Seg::Key("gap")]);
    let skill = r.opt_enum::<Skill>(&[Seg::Key("skill")]);
    let outcome = r.opt_enum::<Outcome>(&[Seg::Key("outcome")]);
    let cause = r.opt_enum::<Cause>(&[Seg::Key("cause")]);
    let call = if kind == Kind::Call {
        let call_type = r.opt_enum::<CallType>(&[Seg::Key("call_type")]);
        let attendees = r.str_list(&[Seg::Key("attendees")]);
        let duration_min = r.opt_num(
            &[Seg::Key("duration_min")],
            "a number of minutes of 0 or more",
            |f| f >= 0.0,
        );
        let recording = r.opt_str(&[Seg::Key("recording")]);
        let mut moments = Vec::new();
        if let Some(n) = r.opt_list(
            &[Seg::Key("moments")],
            "a list of {at, what_happened, try_instead, why}",
        ) {
            for i in 0..n {
                let p = |k| [Seg::Key("moments"), Seg::Index(i), Seg::Key(k)];
                if r.opt_map(
                    &[Seg::Key("moments"), Seg::Index(i)],
                    "a map {at, what_happened, try_instead, why}",
                )
                .is_none()
                {
                    continue;
                }
                moments.push(Moment {
                    at: r.opt_str(&p("at")).unwrap_or_default(),
                    what_happened: r.opt_str(&p("what_happened")).unwrap_or_default(),
                    try_instead: r.opt_str(&p("try_instead")).unwrap_or_default(),
                    why: r.opt_str(&p("why")).unwrap_or_default(),
                });
            }
        }
        Some(CallInfo {
            call_type,
            attendees,
            duration_min,
            recording,
            moments,
        })
    } else {
        None
    };
    let known: Vec<&str> = if kind == Kind::Call {
        INTERACTION_FIELDS
            .iter()
            .chain(CALL_FIELDS)
            .copied()
            .collect()
    } else {
        INTERACTION_FIELDS.to_vec()
    };
    r.unknown_keys(&[], &known);
    let mut s = StandIns::default();
    let interaction = Interaction {
        rep: s.got(rep, "rep"),
        deal: s.got(deal, "deal"),
        date: s.got(date, "date"),
        takeaway: s.got(takeaway, "takeaway"),
        gap,
        skill,
        outcome,
        cause,
        call,
    };
    s.finish(r, interaction)
}

pub(super) const PREP_FIELDS: &[&str] = &[
    "type",
    "title",
    "slug",
    "tags",
    "deal",
    "rep",
    "date",
    "objective",
    "buyer_needs",
    "our_ask",
    "objections",
];

pub(crate) fn parse_prep(r: &mut Reader) -> Read<Prep> {
    let deal = r.req_ref(&[Seg::Key("deal")], "the deal this meeting is for");
    let rep = r.opt_ref(&[Seg::Key("rep")]);
    let date = r.req_date(&[Seg::Key("date")]);
    let objective = r.req_str(&[Seg::Key("objective")], "what the meeting must achieve");
    let buyer_needs = r.req_str(&[Seg::Key("buyer_needs")], "what the buyer needs from it");
    let our_ask = r.req_str(&[Seg::Key("our_ask")], "what we will ask for");
    let mut objections = Vec::new();
    if let Some(n) = r.opt_list(&[Seg::Key("objections")], "a list of {objection, response}") {
        for i in 0..n {
            let item = [Seg::Key("objections"), Seg::Index(i)];
            if r.opt_map(&item, "a map {objection, response}").is_none() {
                continue;
            }
            let p = |k| [Seg::Key("objections"), Seg::Index(i), Seg::Key(k)];
            objections.push(Objection {
                objection: r.opt_str(&p("objection")).unwrap_or_default(),
                response: r.opt_str(&p("response")).unwrap_or_default(),
            });
        }
    }
    r.unknown_keys(&[], PREP_FIELDS);
    let mut s = StandIns::default();
    let prep = Prep {
        deal: s.got(deal, "deal"),
        rep,
        deal_owner: None,
        date: s.got(date, "date"),
        objective: s.got(objective, "objective"),
        buyer_needs: s.got(buyer_needs, "buyer_needs"),
        our_ask: s.got(our_ask, "our_ask"),
        objections,
    };
    s.finish(r, prep)
}

pub(super) const FORECAST_FIELDS: &[&str] = &[
    "type",
    "title",
    "slug",
    "tags",
    "owner",
    "team",
    "period",
    "commit",
    "best_case",
];

/// `YYYY-Qn` with n in 1..=4.
pub fn parse_period(s: &str) -> Option<(i32, u32)> {
    let (y, q) = s.trim().split_once("-Q")?;
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let quarter: u32 = q.parse().ok()?;
    (1..=4).contains(&quarter).then_some((year, quarter))
}

pub(crate) fn parse_forecast(r: &mut Reader) -> Read<Forecast> {
    let has_owner = r.value(&[Seg::Key("owner")]).is_some();
    let has_team = r.value(&[Seg::Key("team")]).is_some();
    let owner = match (has_owner, has_team) {
        (true, true) => {
            r.error(
                Code::InvalidValue,
                &[Seg::Key("team")],
                "a forecast has either an owner (a rep) or a team, not both".into(),
            );
            None
        }
        (false, false) => {
            r.error(
                Code::MissingField,
                &[],
                "owner is required: the rep whose forecast this is (or `team: NAME` for a team's forecast)"
                    .into(),
            );
            None
        }
        (true, false) => r.opt_ref(&[Seg::Key("owner")]).map(ForecastOwner::Rep),
        (false, true) => r
            .req_str(&[Seg::Key("team")], "the team's name")
            .map(ForecastOwner::Team),
    };
    let period = match r.value(&[Seg::Key("period")]) {
        None => {
            r.error(
                Code::MissingField,
                &[],
                "period is required: a fiscal quarter written YYYY-Qn, like 2026-Q3".into(),
            );
            None
        }
        Some(v) => {
            let text = match v {
                Value::String(s) => Some(s.as_str()),
                _ => None,
            };
            match text.and_then(parse_period) {
                Some(p) => Some(p),
                None => {
                    let msg = format!(
                        "period must be a fiscal quarter written YYYY-Qn with n from 1 to 4, found {}",
                        fields::describe(v)
                    );
                    r.error(Code::InvalidValue, &[Seg::Key("period")], msg);
                    None
                }
            }
        }
    };
    let commit = r.req_num(&[Seg::Key("commit")], "an amount of 0 or more", |f| {
        f >= 0.0
    });
    let best_case = r.opt_num(&[Seg::Key("best_case")], "an amount of 0 or more", |f| {
        f >= 0.0
    });
    r.unknown_keys(&[], FORECAST_FIELDS);
    let mut s = StandIns::default();
    let (year, quarter) = s.got(period, "period");
    let owner = match owner {
        Some(o) => o,
        None => {
            s.0.push(if has_team { "team" } else { "owner" });
            ForecastOwner::Team(String::new())
        }
    };
    let forecast = Forecast {
        owner,
        year,
        quarter,
        commit: s.got(commit, "commit"),
        best_case,
    };
    s.finish(r, forecast)
}

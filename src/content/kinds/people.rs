//! The fields of the people: managers and reps (skills, focus areas,
//! cadence, ramp gates).

use super::*;

pub(super) const MANAGER_FIELDS: &[&str] =
    &["type", "name", "title", "slug", "tags", "team", "email"];

/// A manager: `name`, and optionally `team` (one name or a list) and
/// `email`. No quota: managers are never in the figures' pools.
pub(crate) fn parse_manager(r: &mut Reader) -> Read<Manager> {
    let name = r.req_str(&[Seg::Key("name")], "the manager's full name");
    let teams = r
        .str_list(&[Seg::Key("team")])
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let email = r
        .opt_str(&[Seg::Key("email")])
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    r.unknown_keys(&[], MANAGER_FIELDS);
    let mut s = StandIns::default();
    let manager = Manager {
        name: s.got(name, "name"),
        teams,
        email,
    };
    s.finish(r, manager)
}

pub(super) const REP_FIELDS: &[&str] = &[
    "type",
    "name",
    "title",
    "slug",
    "tags",
    "team",
    "manager",
    "start_date",
    "quota",
    "skills",
    "focus",
    "cadence",
    "ramp",
];

pub(crate) fn parse_rep(r: &mut Reader) -> Read<Rep> {
    let name = r.req_str(&[Seg::Key("name")], "the rep's full name");
    let team = r.req_str(&[Seg::Key("team")], "the name of the rep's team");
    let manager = r.opt_ref(&[Seg::Key("manager")]);
    let start_date = r.req_date(&[Seg::Key("start_date")]);
    let quota = r.req_num(&[Seg::Key("quota")], "a number greater than 0", |f| f > 0.0);
    let mut skills = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("skills")], "a map of skill: {current, target}") {
        for key in m.keys().filter_map(|k| k.as_str()) {
            if !SKILLS.contains(&key) {
                let help = did_you_mean(key, SKILLS.iter().copied());
                let d = r.error_at_key(
                    Code::InvalidValue,
                    &[Seg::Key("skills"), Seg::Key(key)],
                    format!(
                        "skills.{key} is not one of the skills: {}",
                        SKILLS.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
        }
        for &skill in Skill::ALL {
            let key = skill.as_str();
            let base = [Seg::Key("skills"), Seg::Key(key)];
            if r.value(&base).is_none() {
                continue;
            }
            if r.opt_map(&base, "a map {current: 1-5, target: 1-5}")
                .is_none()
            {
                continue;
            }
            let cur = [Seg::Key("skills"), Seg::Key(key), Seg::Key("current")];
            let tgt = [Seg::Key("skills"), Seg::Key(key), Seg::Key("target")];
            let current = if r.value(&cur).is_none() {
                r.error_at_key(
                    Code::MissingField,
                    &base,
                    format!("skills.{key}.current is required: a level from 1 to 5"),
                );
                None
            } else {
                r.opt_score(&cur, 1, 5)
            };
            let target = if r.value(&tgt).is_none() {
                r.error_at_key(
                    Code::MissingField,
                    &base,
                    format!("skills.{key}.target is required: a level from 1 to 5"),
                );
                None
            } else {
                r.opt_score(&tgt, 1, 5)
            };
            let notes = r.opt_str(&[Seg::Key("skills"), Seg::Key(key), Seg::Key("notes")]);
            if let (Some(current), Some(target)) = (current, target) {
                skills.push(SkillScore {
                    key: skill,
                    current,
                    target,
                    notes,
                });
            }
        }
    }
    let mut focus = Vec::new();
    if let Some(n) = r.opt_list(&[Seg::Key("focus")], "a list of focus areas") {
        for i in 0..n {
            let p = |k| [Seg::Key("focus"), Seg::Index(i), Seg::Key(k)];
            let item = [Seg::Key("focus"), Seg::Index(i)];
            if r.opt_map(&item, "a focus area {skill, current_behavior, ...}")
                .is_none()
            {
                continue;
            }
            let skill = OrWritten::<Skill>::parse(r.opt_str(&p("skill")).unwrap_or_default());
            if let Some(written) = skill.unknown() {
                let help = did_you_mean(written, SKILLS.iter().copied());
                let d = r.warn(
                    Code::InvalidValue,
                    &p("skill"),
                    format!(
                        "focus[{}].skill {written:?} is not one of the skills: {}",
                        i + 1,
                        SKILLS.join(", ")
                    ),
                );
                d.help = help.map(|h| format!("did you mean {h:?}?"));
            }
            focus.push(FocusArea {
                skill,
                current_behavior: r.opt_str(&p("current_behavior")).unwrap_or_default(),
                target_behavior: r.opt_str(&p("target_behavior")).unwrap_or_default(),
                // Text, or a list of actions (shown joined by semicolons).
                actions: r.str_list(&p("actions")).join("; "),
                milestone: r.opt_str(&p("milestone")).unwrap_or_default(),
                target_date: r.opt_date(&p("target_date")),
            });
        }
    }
    let mut cadence = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("cadence")], "a map such as {one_on_one: weekly}") {
        let keys: Vec<String> = m
            .keys()
            .filter_map(|k| k.as_str())
            .map(String::from)
            .collect();
        for k in keys {
            if let Some(v) = r.opt_str(&[Seg::Key("cadence"), Seg::Key(&k)]) {
                cadence.push((k, v));
            }
        }
    }
    let mut ramp = Vec::new();
    if let Some(m) = r.opt_map(&[Seg::Key("ramp")], "a map with day_30, day_60, day_90") {
        let keys: Vec<String> = m
            .keys()
            .filter_map(|k| k.as_str())
            .map(String::from)
            .collect();
        for k in &keys {
            if !RampDay::NAMES.contains(&k.as_str()) {
                r.warn_at_key(
                    Code::UnknownField,
                    &[Seg::Key("ramp"), Seg::Key(k)],
                    format!("ramp.{k} is not a ramp gate (day_30, day_60, day_90); it is ignored"),
                );
            }
        }
        for &day in RampDay::ALL {
            let key = day.as_str();
            let base = [Seg::Key("ramp"), Seg::Key(key)];
            if r.value(&base).is_none() || r.opt_map(&base, "a map {items, gate}").is_none() {
                continue;
            }
            let mut items = Vec::new();
            let items_path = [Seg::Key("ramp"), Seg::Key(key), Seg::Key("items")];
            if let Some(n) = r.opt_list(&items_path, "a list of {task, done}") {
                for i in 0..n {
                    let ip = |f| {
                        [
                            Seg::Key("ramp"),
                            Seg::Key(key),
                            Seg::Key("items"),
                            Seg::Index(i),
                            Seg::Key(f),
                        ]
                    };
                    let task = r.opt_str(&ip("task")).unwrap_or_default();
                    let done = r.opt_bool(&ip("done")).unwrap_or(false);
                    items.push(RampItem { task, done });
                }
            }
            let gate = r
                .opt_str(&[Seg::Key("ramp"), Seg::Key(key), Seg::Key("gate")])
                .unwrap_or_default();
            ramp.push(RampGate {
                key: day,
                items,
                gate,
            });
        }
    }
    r.unknown_keys(&[], REP_FIELDS);
    let mut s = StandIns::default();
    let rep = Rep {
        name: s.got(name, "name"),
        team: s.got(team, "team"),
        manager,
        start_date: s.got(start_date, "start_date"),
        quota: s.got(quota, "quota"),
        skills,
        focus,
        cadence,
        ramp,
    };
    s.finish(r, rep)
}

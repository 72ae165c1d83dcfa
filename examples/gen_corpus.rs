//! A deterministic corpus generator for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR --notes N [--seed S] [--extra-body BYTES] [--hugo]
//! ```
//!
//! `--extra-body 1000` adds about 1 KB of prose under a "Further notes"
//! heading to every body (watch mode's benchmark of longer notes, #16).
//!
//! Writes `OUT_DIR/coachbook.toml` and `OUT_DIR/content/<section>/*.md`: N
//! notes in realistic proportions (2% reps in teams of about 8, 25% deals,
//! 15% debriefs, 20% coaching, 12% call reviews, 8% preps, 5% forecasts, 13%
//! handbook pages), every one valid under the content model so that
//! `coachbook check OUT_DIR --strict` is clean: unique ids and titles, every
//! reference resolving to exactly one note of the right kind, dates in order.
//! With `--hugo` it also writes the same notes as a Hugo site in
//! `OUT_DIR/hugo/`, for comparison.
//!
//! The same N and seed give byte-identical output. Time and memory are
//! linear in N. No dependencies beyond std: its own PRNG (splitmix64) and
//! calendar arithmetic.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- PRNG

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// splitmix64
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------- dates

/// Days since 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date(i64);

impl Date {
    fn ymd(y: i64, m: i64, d: i64) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }
    fn civil(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (
            if m <= 2 {
                yoe + era * 400 + 1
            } else {
                yoe + era * 400
            },
            m,
            d,
        )
    }
    fn iso(self) -> String {
        let (y, m, d) = self.civil();
        format!("{y:04}-{m:02}-{d:02}")
    }
    /// "14 Oct 2026"
    fn human(self) -> String {
        const M: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m, d) = self.civil();
        format!("{d} {} {y}", M[(m - 1) as usize])
    }
    fn plus(self, days: i64) -> Date {
        Date(self.0 + days)
    }
}

fn between(rng: &mut Rng, lo: Date, hi: Date) -> Date {
    Date(rng.range(lo.0, hi.0.max(lo.0)))
}

const AS_OF: (i64, i64, i64) = (2026, 11, 25);

// ---------------------------------------------------------------- word lists

const FIRST: &[&str] = &[
    "Aaron", "Abigail", "Adele", "Aisha", "Alba", "Alec", "Amara", "Anders", "Anika", "Ansel",
    "Arjun", "Astrid", "Ayla", "Basil", "Beatrix", "Bram", "Bruno", "Caleb", "Camille", "Carys",
    "Cedric", "Chiara", "Cillian", "Clara", "Colm", "Dana", "Darius", "Delia", "Devika", "Dmitri",
    "Edwin", "Eliza", "Elena", "Emeka", "Esme", "Ewan", "Farah", "Felix", "Freya", "Gideon",
    "Greta", "Hana", "Hamish", "Ines", "Ingrid", "Isaac", "Ivo", "Jasper", "Joanna", "Jonah",
    "Juno", "Kai", "Kamala", "Keira", "Kenji", "Lars", "Leona", "Linus", "Lucia", "Maeve", "Malik",
    "Marcus", "Marta", "Mateo", "Mila", "Nadia", "Nikhil", "Nora", "Oisin", "Olga", "Omar", "Orla",
    "Oscar", "Paloma", "Petra", "Priya", "Quentin", "Rafael", "Renee", "Rhys", "Rosa", "Rowan",
    "Saanvi", "Selma", "Silas", "Sofia", "Soren", "Tamsin", "Theo", "Tobias", "Ula", "Vera",
    "Viktor", "Wren", "Xavier", "Yara", "Yusuf", "Zara", "Zeno", "Zofia",
];

const LAST: &[&str] = &[
    "Abbott",
    "Adeyemi",
    "Alvarez",
    "Ambrose",
    "Archer",
    "Ashworth",
    "Bakker",
    "Banerjee",
    "Barros",
    "Beaumont",
    "Bergstrom",
    "Blackwood",
    "Brennan",
    "Calloway",
    "Carvalho",
    "Castell",
    "Chandra",
    "Costa",
    "Crane",
    "Dalton",
    "Delaney",
    "Desai",
    "Doherty",
    "Drummond",
    "Eastman",
    "Eriksen",
    "Everett",
    "Fairbairn",
    "Ferreira",
    "Fitzgerald",
    "Fontaine",
    "Forsyth",
    "Galloway",
    "Garrido",
    "Gill",
    "Grant",
    "Greaves",
    "Halloran",
    "Hartley",
    "Haugen",
    "Holmberg",
    "Hughes",
    "Ibarra",
    "Iqbal",
    "Jansen",
    "Jovanovic",
    "Kaplan",
    "Kavanagh",
    "Keller",
    "Kowalski",
    "Lachance",
    "Lindqvist",
    "Lowry",
    "Lundgren",
    "Madsen",
    "Marquez",
    "Mbeki",
    "Mendel",
    "Moreau",
    "Nakamura",
    "Navarro",
    "Nilsen",
    "Novak",
    "Nwosu",
    "Okafor",
    "Olsen",
    "Ortega",
    "Pace",
    "Pellegrini",
    "Quinlan",
    "Rahman",
    "Reyes",
    "Rinaldi",
    "Rourke",
    "Sandoval",
    "Santos",
    "Sato",
    "Schafer",
    "Sorensen",
    "Stavros",
    "Sutherland",
    "Takahashi",
    "Tanaka",
    "Thorne",
    "Tiernan",
    "Underwood",
    "Valdez",
    "Vance",
    "Varga",
    "Vasquez",
    "Wainwright",
    "Whitaker",
    "Whitfield",
    "Wilde",
    "Winslow",
    "Yilmaz",
    "Young",
    "Zamora",
    "Zielinski",
    "Zubiri",
];

const SEGMENTS: &[&str] = &[
    "Enterprise",
    "Mid-Market",
    "Commercial",
    "Strategic",
    "Public Sector",
    "Healthcare",
    "Financial Services",
    "Growth",
];

const REGIONS: &[&str] = &[
    "East",
    "West",
    "North",
    "South",
    "Central",
    "Nordics",
    "DACH",
    "Benelux",
    "Iberia",
    "Pacific",
    "Mountain",
    "Great Lakes",
    "Gulf",
    "Northeast",
    "Southeast",
    "Northwest",
    "Southwest",
    "Midlands",
    "Scotland",
    "Ireland",
    "France",
    "Italy",
    "Canada",
    "Mexico",
    "Brazil",
    "ANZ",
    "Japan",
    "Korea",
    "India",
    "Singapore",
];

const ACCOUNT_A: &[&str] = &[
    "Aldergrove",
    "Amberly",
    "Ashby",
    "Bexley",
    "Brackenridge",
    "Brightwater",
    "Calder",
    "Carrow",
    "Cobalt Bay",
    "Corvane",
    "Dovecote",
    "Eastbrook",
    "Fairmont",
    "Fenwick",
    "Greyfield",
    "Halvorsen",
    "Harbourline",
    "Kestrel",
    "Kilnworth",
    "Lumen Ridge",
    "Marlow",
    "Meridian",
    "Orlin",
    "Ostrander",
    "Pell",
    "Pinecrest",
    "Ridgeway",
    "Silverbeck",
    "Stonegate",
    "Tallis",
    "Tamsin",
    "Thornbury",
    "Vantor",
    "Westmarch",
    "Wexford",
    "Ashcombe",
    "Belmont",
    "Birchfield",
    "Blackmoor",
    "Bramley",
    "Caledon",
    "Castlegate",
    "Cedarbrook",
    "Clearwater",
    "Coldharbour",
    "Copperfield",
    "Crestline",
    "Dunmore",
    "Elmstead",
    "Emberton",
    "Fallowfield",
    "Foxley",
    "Glenrock",
    "Goldcrest",
    "Granite Peak",
    "Hallam",
    "Hawthorne",
    "Highgate",
    "Hollins",
    "Ironbridge",
    "Juniper",
    "Kingsmere",
    "Lakeshore",
    "Larkspur",
    "Linwood",
    "Longmead",
    "Maplestone",
    "Marston",
    "Millbrook",
    "Moorland",
    "Northgate",
    "Oakhurst",
    "Oldcastle",
    "Pembury",
    "Quarry Hill",
    "Ravensworth",
    "Redcliffe",
    "Rosedale",
    "Saltmarsh",
    "Sandridge",
    "Seabrook",
    "Sherwood",
    "Southwold",
    "Stirling",
    "Summerhill",
    "Sunderland",
    "Tidewater",
    "Trentham",
    "Upton",
    "Valemont",
    "Wakefield",
    "Waverley",
    "Whitmore",
    "Willowbank",
    "Windermere",
    "Wolverton",
    "Yarrow",
    "Yewdale",
    "Zephyr",
    "Arden",
    "Beacon",
    "Cresswell",
    "Drayton",
    "Eversley",
    "Frampton",
    "Glenmoor",
    "Hartwell",
    "Ivybridge",
    "Kelso",
];

const ACCOUNT_B: &[&str] = &[
    "Water Utilities",
    "Hospital Trust",
    "Logistics",
    "Pharma",
    "Foods",
    "Hotels Group",
    "Dental",
    "Fitness Clubs",
    "Cold Storage",
    "Civic Centres",
    "Care Homes",
    "Marinas",
    "Cinemas",
    "Credit Union",
    "Manufacturing",
    "Mining",
    "Schools Trust",
    "Veterinary",
    "University",
    "Property",
    "Health Network",
    "Aerospace",
    "Transit",
    "Breweries",
    "Biotech",
    "Senior Living",
    "Retail",
    "Insurance",
    "Hospitality",
    "Childcare",
    "Freight",
    "Energy",
    "Chemicals",
    "Grocers",
    "Offices",
    "Telecom",
    "Airports",
    "Ports",
    "Bakeries",
    "Laboratories",
    "Housing Association",
    "Rail",
    "Data Centres",
    "Leisure",
    "Textiles",
    "Packaging",
    "Shipyards",
    "Farms",
    "Clinics",
    "Galleries",
];

const PROJECTS: &[&str] = &[
    "Fleet Platform",
    "Rollout",
    "Expansion",
    "Pilot",
    "Renewal",
    "Site Audits",
    "Multi-site Rollout",
    "Maintenance Programme",
    "Compliance Upgrade",
    "Asset Register",
    "Inspection Programme",
    "Estates Refresh",
    "Safety Programme",
    "Kitchen Refit",
    "Depot Upgrade",
    "Network Rollout",
    "Regional Expansion",
    "Platform Migration",
    "Quality Labs",
    "Field Service",
    "Energy Monitoring",
    "Claims Centres",
    "Branch Refit",
    "Facilities Contract",
    "Cold Chain",
    "Lab Certification",
    "Works Orders",
    "Phase Two",
    "Group Framework",
    "Winter Readiness",
    "Risk Programme",
    "Substations",
    "Hangars",
    "Warehouse Programme",
    "Audit Readiness",
    "Procurement Framework",
    "Service Desk",
    "Capital Plan",
    "Campus Programme",
    "Sustainability Programme",
];

const STAGES: &[&str] = &[
    "prospecting",
    "discovery",
    "solution",
    "proposal",
    "negotiation",
    "commit",
];

// The skill and MEDDPICC keys are the spec's, as coachbook knows them.
use coachbook::model::{MEDDPICC, SKILLS};

const ROLES: &[&str] = &[
    "operations director",
    "CFO",
    "head of procurement",
    "IT manager",
    "facilities lead",
    "COO",
    "finance manager",
    "project sponsor",
    "head of compliance",
    "regional director",
    "estates director",
    "chief nurse",
    "plant manager",
    "general counsel",
    "head of security",
];

const REP_VERBS: &[&str] = &[
    "asked for",
    "skipped",
    "confirmed",
    "assumed",
    "wrote down",
    "offered",
    "rushed",
    "tested",
    "anchored on",
    "mapped",
    "qualified",
    "missed",
    "summarised",
    "challenged",
    "validated",
    "parked",
    "circled back to",
    "quantified",
];

const OBJECTS: &[&str] = &[
    "the cost of the problem",
    "the economic buyer's timeline",
    "the paper process",
    "the decision criteria",
    "a second meeting with the CFO",
    "the champion's influence",
    "the competitor's pricing",
    "the security questionnaire",
    "the mutual close plan",
    "a discount",
    "the pilot scope",
    "the renewal date",
    "the budget owner",
    "the legal review",
    "the success metrics",
    "the implementation plan",
    "the reference call",
    "the business case",
    "the procurement steps",
    "the board approval date",
];

const WHEN: &[&str] = &[
    "in the first ten minutes",
    "before the demo",
    "at the end of the call",
    "after the pricing slide",
    "in the follow-up email",
    "during the workshop",
    "on the second call",
    "before the proposal went out",
    "while the champion was still in the room",
    "in the last five minutes",
    "before anyone asked",
    "once the numbers were on the table",
];

const CONCERNS: &[&str] = &[
    "the insurer wants documented inspections before the renewal",
    "two audits failed this year and a third would be public",
    "the board will not approve anything over budget until April",
    "the last rollout took nine months and nobody wants a repeat",
    "procurement needs three quotes for anything this size",
    "the team is short-staffed through the winter",
    "security will not sign off without a penetration test",
    "the incumbent has offered a steep renewal discount",
    "they could build this in house with two contractors",
    "the regional sites each run their own spreadsheets",
    "the new finance director is reviewing every contract",
    "the regulator is due back in the spring",
    "downtime on the main site costs them a week of margin",
    "half the asset records are out of date",
];

const ACTIONS: &[&str] = &[
    "ask for the number in the buyer's own words",
    "confirm who signs and when",
    "write the next step into the calendar invite",
    "name the competitor out loud",
    "summarise the pain before showing anything",
    "ask what happens if they do nothing",
    "agree the decision date with the economic buyer",
    "send the recap within the hour",
    "test the champion with a small ask",
    "price the phased option first",
    "map the paper process with procurement",
    "stop talking after the ask",
    "ask who else feels the problem",
    "check the close plan against the buyer's calendar",
];

const MOMENTS: &[&str] = &[
    "the demo",
    "the proposal",
    "any pricing conversation",
    "the forecast call",
    "the executive meeting",
    "the close plan review",
    "the security review",
    "the next one-to-one",
];

const REASONS: &[&str] = &[
    "a pain without a number never survives the CFO's review",
    "the champion cannot sell what they cannot repeat",
    "every week of slip moves the deal into next quarter's number",
    "a discount offered early sets the price for the whole negotiation",
    "the buyer decides on the criteria they wrote, not on ours",
    "procurement adds three weeks that nobody had planned for",
    "a demo before the pain is sized becomes a feature comparison",
    "the forecast is only as good as the evidence behind each deal",
    "an economic buyer who has not been met is a guess, not a fact",
    "the rep's confidence is not the buyer's commitment",
];

const QUESTIONS: &[&str] = &[
    "What would you do differently if you could replay that moment?",
    "What did the buyer say that surprised you?",
    "Who else feels this when it goes wrong?",
    "What would you need to see to be sure?",
    "What were you thinking just before you offered the discount?",
    "What is the one decision you need from them?",
    "What happens to them if they do nothing?",
    "How do you know the champion can get you to the CFO?",
];

const PATTERNS: &[&str] = &[
    "the same one we saw last quarter",
    "new since the territory change",
    "strongest on smaller deals",
    "most visible in executive meetings",
    "consistent across the last three calls",
    "improving week on week",
    "worse late in the quarter",
    "only there when a competitor is involved",
];

const HB_TOPICS: &[&str] = &[
    "Discovery questions",
    "Qualification checklists",
    "Objection handling",
    "Executive meetings",
    "Mutual close plans",
    "Forecast calls",
    "Pipeline reviews",
    "Call reviews",
    "Deal debriefs",
    "Negotiation",
    "Champion building",
    "Business cases",
    "Procurement",
    "Security reviews",
    "Territory planning",
    "Account planning",
    "Onboarding",
    "Role-plays",
    "Prospecting sequences",
    "Renewals",
    "Pricing conversations",
    "Reference calls",
    "Demo design",
    "Follow-up emails",
    "Stakeholder maps",
    "Paper process",
    "Competitive deals",
    "Multi-threading",
    "Value hypotheses",
    "Deal reviews",
    "Coaching one-to-ones",
    "Skill assessments",
    "Ramp plans",
    "Win plans",
    "Loss reviews",
    "Commit criteria",
    "Discount approvals",
    "Pilot design",
    "Handover to delivery",
    "Expansion plays",
];

const HB_AUDIENCES: &[&str] = &[
    "new reps",
    "enterprise deals",
    "mid-market deals",
    "CFOs",
    "operations leaders",
    "IT buyers",
    "the public sector",
    "healthcare",
    "first-line managers",
    "renewals",
    "multi-site accounts",
    "ramping reps",
    "senior reps",
    "small deals",
    "long cycles",
    "framework agreements",
    "late-quarter deals",
    "competitive displacements",
    "pilots",
    "procurement-led buyers",
    "regulated industries",
    "family-owned businesses",
    "international accounts",
    "channel partners",
    "first meetings",
    "board-level sponsors",
    "technical evaluators",
    "budget holders",
    "incumbent renewals",
    "expansion deals",
];

const HB_FORMS: &[&str] = &[
    "a field guide",
    "common mistakes",
    "worked examples",
    "the checklist",
    "what good looks like",
    "a one-page summary",
    "questions to ask",
    "templates",
    "the manager's guide",
    "practice drills",
    "red flags",
    "a short primer",
    "the playbook",
    "notes from the field",
    "frequently asked questions",
];

const TAGS: &[&str] = &[
    "discovery",
    "qualification",
    "objection-handling",
    "executive-presence",
    "closing",
    "forecasting",
    "ramp",
    "negotiation",
    "pipeline",
    "call-review",
    "debrief",
    "prep",
];

const OBJECTIONS: &[(&str, &str)] = &[
    (
        "We can build this in house",
        "Show the build estimate next to the cost of the last two failed audits",
    ),
    (
        "Price is above budget",
        "Phase the rollout and tie the first phase to this year's budget line",
    ),
    (
        "Security will take months",
        "Offer the pre-filled questionnaire and the SOC 2 report today",
    ),
    (
        "Winter is the worst time to start",
        "Start with the non-critical sites in December and the rest in February",
    ),
    (
        "Procurement wants another quote",
        "Ask what the second quote must show, and offer the framework route",
    ),
    (
        "Can you hold the price into next year?",
        "Yes for the same scope if signed this month; ask what the later date changes",
    ),
    (
        "The incumbent is cheaper",
        "Compare the cost per site including the manual work the incumbent leaves",
    ),
    (
        "We need to see it at another site first",
        "Arrange the reference call with a customer of the same size this week",
    ),
    (
        "The board meets only in March",
        "Ask whether the COO can approve a first phase under her own limit",
    ),
    (
        "Our IT team is fully booked",
        "Show the two days of IT time the rollout needs and offer to plan them",
    ),
    (
        "We tried something like this before",
        "Ask what went wrong last time and show how the plan avoids it",
    ),
    (
        "Legal will not accept your terms",
        "Offer their own paper with our three red lines marked",
    ),
];

const MEETINGS: &[&str] = &[
    "contract meeting",
    "executive meeting",
    "security review",
    "business case workshop",
    "pricing call",
    "steering committee",
    "procurement meeting",
    "technical evaluation",
    "board presentation",
    "site visit",
];

const CALL_TYPES: &[&str] = &["discovery", "demo", "negotiation", "executive"];

// ---------------------------------------------------------------- model

struct Team {
    name: String,
    reps: Vec<usize>,
}

struct Rep {
    id: String,
    name: String,
    team: usize,
    start: Date,
    quota: u64,
    deals: Vec<usize>,
}

struct Deal {
    id: String,
    name: String,
    account: String,
    owner: usize,
    value: u64,
    stage: &'static str,
    created: Date,
    close: Date,
}

impl Deal {
    fn closed(&self) -> bool {
        self.stage.starts_with("closed")
    }
}

struct Page {
    id: String,
    title: String,
}

/// Ids and lower-cased titles already taken, site-wide.
#[derive(Default)]
struct Names {
    ids: HashSet<String>,
    titles: HashSet<String>,
}

impl Names {
    /// Claims `title` and `id`, or with a numeric suffix when either is
    /// taken. Returns the (id, title) pair.
    fn claim(&mut self, title: &str, id: &str) -> (String, String) {
        assert!(
            title.contains(' '),
            "titles must not look like ids: {title}"
        );
        let mut k = 1;
        loop {
            let (t, i) = if k == 1 {
                (title.to_string(), id.to_string())
            } else {
                (format!("{title} {k}"), format!("{id}-{k}"))
            };
            let lt = t.to_lowercase();
            if !self.ids.contains(&i) && !self.titles.contains(&lt) {
                self.ids.insert(i.clone());
                self.titles.insert(lt);
                return (i, t);
            }
            k += 1;
        }
    }
    fn taken(&self, title: &str) -> bool {
        self.titles.contains(&title.to_lowercase()) || self.ids.contains(&slugify(title))
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A frontmatter reference in one of the three accepted styles.
fn fm_ref(rng: &mut Rng, id: &str, title: &str) -> String {
    match rng.below(3) {
        0 => id.to_string(),
        1 => q(title),
        _ => q(&format!("[[{title}]]")),
    }
}

/// A body wikilink in one of several styles.
fn wikilink(rng: &mut Rng, id: &str, title: &str) -> String {
    match rng.below(4) {
        0 | 1 => format!("[[{title}]]"),
        2 => format!("[[{id}]]"),
        _ => format!("[[{id}|{}]]", title.to_lowercase()),
    }
}

fn first_name(full: &str) -> &str {
    full.split(' ').next().unwrap_or(full)
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------- prose

struct Prose<'a> {
    rep: &'a str,
    manager: &'a str,
}

impl Prose<'_> {
    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        let who = first_name(self.rep);
        match rng.below(9) {
            0 => write!(
                out,
                "{who} {} {} {}.",
                rng.pick(REP_VERBS),
                rng.pick(OBJECTS),
                rng.pick(WHEN)
            ),
            1 => write!(
                out,
                "The {} said that {}.",
                rng.pick(ROLES),
                rng.pick(CONCERNS)
            ),
            2 => write!(
                out,
                "Next time, {} before {}.",
                rng.pick(ACTIONS),
                rng.pick(MOMENTS)
            ),
            3 => write!(
                out,
                "{} asked: \"{}\"",
                first_name(self.manager),
                rng.pick(QUESTIONS)
            ),
            4 => write!(out, "This matters because {}.", rng.pick(REASONS)),
            5 => write!(
                out,
                "The pattern is {}, and {who} {} {} {}.",
                rng.pick(PATTERNS),
                rng.pick(REP_VERBS),
                rng.pick(OBJECTS),
                rng.pick(WHEN)
            ),
            6 => write!(
                out,
                "When the {} raised it, {who} chose to {} instead of defending the plan.",
                rng.pick(ROLES),
                rng.pick(ACTIONS)
            ),
            7 => write!(
                out,
                "{} is the gap: {}.",
                cap(rng.pick(OBJECTS)),
                rng.pick(REASONS)
            ),
            _ => write!(
                out,
                "We agreed to {} and to check it in {}.",
                rng.pick(ACTIONS),
                rng.pick(MOMENTS)
            ),
        }
        .unwrap();
    }

    fn paragraph(&self, rng: &mut Rng, out: &mut String, sentences: usize) {
        for i in 0..sentences {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(rng, out);
        }
        out.push_str("\n\n");
    }

    /// A paragraph with a wikilink woven in.
    fn linked_paragraph(&self, rng: &mut Rng, out: &mut String, link: &str, sentences: usize) {
        match rng.below(3) {
            0 => write!(out, "See {link}. "),
            1 => write!(out, "This follows on from {link}. "),
            _ => write!(out, "Compare with {link}. "),
        }
        .unwrap();
        self.paragraph(rng, out, sentences);
    }

    fn list(&self, rng: &mut Rng, out: &mut String, items: usize) {
        // Distinct items: a start and a stride coprime with the list length.
        let start = rng.below(ACTIONS.len());
        let stride = [1, 3, 5][rng.below(3)];
        for k in 0..items.min(ACTIONS.len()) {
            writeln!(
                out,
                "- {}.",
                cap(ACTIONS[(start + k * stride) % ACTIONS.len()])
            )
            .unwrap();
        }
        out.push('\n');
    }

    fn table(&self, rng: &mut Rng, out: &mut String, base: Date) {
        out.push_str("| step | date | owner |\n| --- | --- | --- |\n");
        let mut d = base;
        for _ in 0..rng.range(2, 4) {
            d = d.plus(rng.range(3, 12));
            writeln!(
                out,
                "| {} | {} | {} |",
                cap(rng.pick(ACTIONS)),
                d.iso(),
                cap(rng.pick(ROLES))
            )
            .unwrap();
        }
        out.push('\n');
    }
}

// ---------------------------------------------------------------- generator

struct Counts {
    reps: usize,
    deals: usize,
    debriefs: usize,
    coaching: usize,
    calls: usize,
    preps: usize,
    forecasts: usize,
    handbook: usize,
}

fn counts(n: usize) -> Counts {
    let f = |p: f64| (n as f64 * p).round() as usize;
    let reps = f(0.02).max(1);
    let deals = f(0.25).max(1);
    let mut c = Counts {
        reps,
        deals,
        debriefs: f(0.15),
        coaching: f(0.20),
        calls: f(0.12),
        preps: f(0.08),
        forecasts: f(0.05),
        handbook: 0,
    };
    // Forecasts: at most one per owner (rep or team) and period (8 periods).
    let teams = reps.div_ceil(8);
    c.forecasts = c.forecasts.min((reps + teams) * 8);
    let used = c.reps + c.deals + c.debriefs + c.coaching + c.calls + c.preps + c.forecasts;
    if used <= n {
        c.handbook = n - used;
    } else {
        // Tiny corpora: trim the optional kinds.
        let mut over = used - n;
        for k in [
            &mut c.coaching,
            &mut c.debriefs,
            &mut c.calls,
            &mut c.preps,
            &mut c.forecasts,
        ] {
            let t = over.min(*k);
            *k -= t;
            over -= t;
        }
        assert!(over == 0, "--notes must be at least 2");
    }
    c
}

struct Gen {
    rng: Rng,
    names: Names,
    as_of: Date,
    teams: Vec<Team>,
    reps: Vec<Rep>,
    deals: Vec<Deal>,
    handbook: Vec<Page>,
    /// Notes written so far that a body may link to: (id, title).
    linkable: Vec<(String, String)>,
    out: Out,
}

struct Out {
    content: PathBuf,
    hugo: Option<PathBuf>,
    bytes: u64,
    files: usize,
    /// `--extra-body`: about this many bytes of prose added to every body.
    extra: usize,
}

/// The sentences `--extra-body` adds, picked by the note's id (never from
/// the generator's random stream, so the notes are otherwise the same).
const EXTRA: [&str; 8] = [
    "We walked through the mutual action plan line by line and agreed who owns each step before the next meeting.",
    "The economic buyer asked for a clearer picture of the payback period, so the next call starts with the numbers.",
    "Procurement wants three references from customers of a similar size, ideally in the same region and industry.",
    "The champion is keen but has not yet shown she can move the decision; test that with a concrete ask this week.",
    "Legal review usually takes two to three weeks here, which puts pressure on the close date in the forecast.",
    "The team compared us with the incumbent on support hours and implementation effort rather than on price alone.",
    "Agreed to send a short written recap within a day, naming the risks we heard and what we will do about each.",
    "Next time, open with the customer's own words about the problem before showing anything of the product.",
];

/// About `bytes` of prose for the note `id`: a heading and paragraphs.
fn extra_prose(id: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 200);
    out.push_str("\n## Further notes\n\n");
    let mut i = id.bytes().map(usize::from).sum::<usize>();
    let mut in_paragraph = 0;
    while out.len() < bytes {
        out.push_str(EXTRA[i % EXTRA.len()]);
        i += 3;
        in_paragraph += 1;
        if in_paragraph == 4 {
            out.push_str("\n\n");
            in_paragraph = 0;
        } else {
            out.push(' ');
        }
    }
    out.push('\n');
    out
}

impl Out {
    /// Writes `content/<section>/<id>.md`; for Hugo, reps and deals get a
    /// `title` (Hugo knows no `name`).
    fn write(&mut self, section: &str, id: &str, fm: &str, body: &str, hugo_title: Option<&str>) {
        let mut text = String::with_capacity(fm.len() + body.len() + 16);
        text.push_str("---\n");
        text.push_str(fm);
        text.push_str("---\n");
        text.push_str(body);
        if self.extra > 0 {
            text.push_str(&extra_prose(id, self.extra));
        }
        let file = format!("{section}/{id}.md");
        std::fs::write(self.content.join(&file), &text).expect("write note");
        self.bytes += text.len() as u64;
        self.files += 1;
        if let Some(h) = &self.hugo {
            let path = h.join("content").join(&file);
            match hugo_title {
                Some(t) => {
                    let mut ht = String::with_capacity(text.len() + t.len() + 10);
                    ht.push_str("---\ntitle: ");
                    ht.push_str(&q(t));
                    ht.push('\n');
                    ht.push_str(&text[4..]);
                    std::fs::write(path, ht).expect("write hugo note");
                }
                None => std::fs::write(path, &text).expect("write hugo note"),
            }
        }
    }
}

impl Gen {
    fn teams_and_reps(&mut self, n_reps: usize) {
        let n_teams = n_reps.div_ceil(8);
        for i in 0..n_teams {
            let seg = SEGMENTS[i % SEGMENTS.len()];
            let reg = REGIONS[(i / SEGMENTS.len()) % REGIONS.len()];
            let round = i / (SEGMENTS.len() * REGIONS.len());
            let name = if round == 0 {
                format!("{seg} {reg}")
            } else {
                format!("{seg} {reg} {}", round + 1)
            };
            self.teams.push(Team {
                name,
                reps: Vec::new(),
            });
        }
        let newest = self.as_of.plus(-20);
        for i in 0..n_reps {
            let team = i % n_teams;
            let mut name = String::new();
            for attempt in 0..40 {
                name = format!("{} {}", self.rng.pick(FIRST), self.rng.pick(LAST));
                if attempt >= 30 {
                    let initial = (b'A' + self.rng.below(26) as u8) as char;
                    name = name.replacen(' ', &format!(" {initial}. "), 1);
                }
                if !self.names.taken(&name) {
                    break;
                }
            }
            let id_base = slugify(&name);
            let (id, name) = self.names.claim(&name, &id_base);
            // About one rep in six started in the last year.
            let start = if self.rng.chance(0.17) {
                between(&mut self.rng, self.as_of.plus(-364), newest)
            } else {
                between(&mut self.rng, Date::ymd(2017, 1, 9), self.as_of.plus(-365))
            };
            let seg = SEGMENTS[team % SEGMENTS.len()];
            let quota = match seg {
                "Enterprise" | "Strategic" | "Financial Services" => {
                    self.rng.range(18, 32) as u64 * 50_000
                }
                "Growth" | "Commercial" => self.rng.range(6, 12) as u64 * 50_000,
                _ => self.rng.range(10, 20) as u64 * 50_000,
            };
            self.teams[team].reps.push(i);
            self.reps.push(Rep {
                id,
                name,
                team,
                start,
                quota,
                deals: Vec::new(),
            });
        }
    }

    fn deals(&mut self, n: usize) {
        let earliest = Date::ymd(2024, 9, 2);
        let fy25 = Date::ymd(2025, 1, 1);
        for _ in 0..n {
            let owner = self.rng.below(self.reps.len());
            let mut base = String::new();
            let mut account = String::new();
            for _ in 0..20 {
                account = format!("{} {}", self.rng.pick(ACCOUNT_A), self.rng.pick(ACCOUNT_B));
                base = format!("{account} {}", self.rng.pick(PROJECTS));
                if !self.names.taken(&base) {
                    break;
                }
            }
            let id_base = slugify(&base);
            let (id, name) = self.names.claim(&base, &id_base);
            let r = self.rng.unit();
            let stage: &'static str = if r < 0.22 {
                "closed_won"
            } else if r < 0.38 {
                "closed_lost"
            } else {
                STAGES[self.rng.below(STAGES.len())]
            };
            let lo = self.reps[owner].start.max(earliest);
            let (created, close) = if stage.starts_with("closed") {
                let created = between(&mut self.rng, lo, self.as_of.plus(-3));
                let close = created.plus(self.rng.range(5, 260)).min(self.as_of);
                // Most closed deals close in FY2025-2026.
                let close = if close < fy25 {
                    fy25.min(self.as_of).max(created)
                } else {
                    close
                };
                (created, close)
            } else {
                let created = between(&mut self.rng, lo.max(self.as_of.plus(-420)), self.as_of);
                let close = if self.rng.chance(0.12) {
                    // Slipped: expected close already passed.
                    between(&mut self.rng, created, self.as_of.plus(-1).max(created))
                } else {
                    self.as_of.plus(self.rng.range(1, 240))
                };
                (created, close.max(created))
            };
            let seg = SEGMENTS[self.reps[owner].team % SEGMENTS.len()];
            let scale = match seg {
                "Enterprise" | "Strategic" | "Financial Services" => 700_000.0,
                "Growth" | "Commercial" => 90_000.0,
                _ => 250_000.0,
            };
            let u = self.rng.unit();
            let value = ((scale * (0.15 + 1.6 * u * u)) / 1000.0).round() as u64 * 1000;
            let idx = self.deals.len();
            self.reps[owner].deals.push(idx);
            self.deals.push(Deal {
                id,
                name,
                account,
                owner,
                value,
                stage,
                created,
                close,
            });
        }
    }

    fn handbook_titles(&mut self, n: usize) {
        for _ in 0..n {
            let mut t = String::new();
            for _ in 0..20 {
                let topic = self.rng.pick(HB_TOPICS);
                t = match self.rng.below(3) {
                    0 => format!("{topic} for {}", self.rng.pick(HB_AUDIENCES)),
                    1 => format!("{topic}: {}", self.rng.pick(HB_FORMS)),
                    _ => format!(
                        "{topic} for {}: {}",
                        self.rng.pick(HB_AUDIENCES),
                        self.rng.pick(HB_FORMS)
                    ),
                };
                if !self.names.taken(&t) {
                    break;
                }
            }
            let id_base = slugify(&t);
            let (id, title) = self.names.claim(&t, &id_base);
            self.handbook.push(Page { id, title });
        }
    }

    fn manager_of(&self, rep: usize) -> Option<usize> {
        let team = &self.teams[self.reps[rep].team];
        let lead = team.reps[0];
        if lead != rep {
            Some(lead)
        } else if rep != 0 {
            // Team leads report to the first team's lead.
            Some(0)
        } else {
            None
        }
    }

    fn manager_name(&self, rep: usize) -> &str {
        match self.manager_of(rep) {
            Some(m) => &self.reps[m].name,
            None => &self.reps[rep].name,
        }
    }

    fn rep_ref(&mut self, rep: usize) -> String {
        let r = &self.reps[rep];
        fm_ref(&mut self.rng, &r.id, &r.name)
    }

    fn deal_ref(&mut self, deal: usize) -> String {
        let d = &self.deals[deal];
        fm_ref(&mut self.rng, &d.id, &d.name)
    }

    fn link_rep(&mut self, rep: usize) -> String {
        let r = &self.reps[rep];
        wikilink(&mut self.rng, &r.id, &r.name)
    }

    fn link_deal(&mut self, deal: usize) -> String {
        let d = &self.deals[deal];
        wikilink(&mut self.rng, &d.id, &d.name)
    }

    fn link_handbook(&mut self) -> Option<String> {
        if self.handbook.is_empty() {
            return None;
        }
        let p = &self.handbook[self.rng.below(self.handbook.len())];
        Some(wikilink(&mut self.rng, &p.id, &p.title))
    }

    fn link_any(&mut self) -> Option<String> {
        if self.linkable.is_empty() {
            return None;
        }
        let (id, t) = &self.linkable[self.rng.below(self.linkable.len())];
        Some(wikilink(&mut self.rng, id, t))
    }

    fn tags(&mut self, extra: &str) -> String {
        let mut t = vec![extra.to_string()];
        for _ in 0..self.rng.range(0, 2) {
            let tag = self.rng.pick(TAGS).to_string();
            if !t.contains(&tag) {
                t.push(tag);
            }
        }
        format!("tags: [{}]\n", t.join(", "))
    }

    /// A body with the given links (1-3), headings, a list and sometimes a
    /// table.
    fn body(
        &mut self,
        rep: usize,
        headings: &[&str],
        links: Vec<String>,
        table_base: Date,
    ) -> String {
        let rep_name = self.reps[rep].name.clone();
        let mgr = self.manager_name(rep).to_string();
        let p = Prose {
            rep: &rep_name,
            manager: &mgr,
        };
        let rng = &mut self.rng;
        let mut out = String::with_capacity(900);
        let mut links = links.into_iter();
        let first = links.next();
        match first {
            Some(l) => {
                let k = rng.range(1, 2) as usize;
                p.linked_paragraph(rng, &mut out, &l, k)
            }
            None => p.paragraph(rng, &mut out, 2),
        }
        let nh = rng.range(1, headings.len().min(3) as i64) as usize;
        let list_at = rng.below(nh);
        for (i, h) in headings.iter().take(nh).enumerate() {
            writeln!(out, "## {h}\n").unwrap();
            match links.next() {
                Some(l) => {
                    let k = rng.range(1, 2) as usize;
                    p.linked_paragraph(rng, &mut out, &l, k)
                }
                None => {
                    let k = rng.range(1, 3) as usize;
                    p.paragraph(rng, &mut out, k)
                }
            }
            if i == list_at {
                let k = rng.range(2, 4) as usize;
                p.list(rng, &mut out, k);
            }
        }
        for l in links {
            p.linked_paragraph(rng, &mut out, &l, 1);
        }
        if rng.chance(0.12) {
            out.push_str("## Plan\n\n");
            p.table(rng, &mut out, table_base);
        }
        out
    }

    fn write_reps(&mut self) {
        for i in 0..self.reps.len() {
            let mut fm = String::with_capacity(2400);
            let start = self.reps[i].start;
            let team = self.teams[self.reps[i].team].name.clone();
            writeln!(
                fm,
                "type: rep\nname: {}\nteam: {}",
                q(&self.reps[i].name),
                q(&team)
            )
            .unwrap();
            if let Some(m) = self.manager_of(i) {
                let r = self.rep_ref(m);
                writeln!(fm, "manager: {r}").unwrap();
            }
            writeln!(
                fm,
                "start_date: {}\nquota: {}",
                start.iso(),
                self.reps[i].quota
            )
            .unwrap();
            let seg = slugify(SEGMENTS[self.reps[i].team % SEGMENTS.len()]);
            fm.push_str(&self.tags(&seg));
            fm.push_str("skills:\n");
            let mut gaps = Vec::new();
            for s in &SKILLS {
                let cur = self.rng.range(1, 5);
                let tgt = (cur + self.rng.range(0, 2)).min(5);
                if tgt > cur {
                    gaps.push(*s);
                }
                write!(fm, "  {s}: {{current: {cur}, target: {tgt}").unwrap();
                if self.rng.chance(0.4) {
                    let note = format!(
                        "{} {} {}",
                        cap(self.rng.pick(REP_VERBS)),
                        self.rng.pick(OBJECTS),
                        self.rng.pick(WHEN)
                    );
                    write!(fm, ", notes: {}", q(&note)).unwrap();
                }
                fm.push_str("}\n");
            }
            if gaps.is_empty() {
                gaps.push(SKILLS[self.rng.below(SKILLS.len())]);
            }
            let nf = self.rng.range(1, 3).min(gaps.len() as i64) as usize;
            fm.push_str("focus:\n");
            let off = self.rng.below(gaps.len());
            for k in 0..nf {
                let s = gaps[(off + k) % gaps.len()];
                let cb = format!(
                    "{} {} {}",
                    cap(self.rng.pick(REP_VERBS)),
                    self.rng.pick(OBJECTS),
                    self.rng.pick(WHEN)
                );
                let tb = format!(
                    "Will {} before {}",
                    self.rng.pick(ACTIONS),
                    self.rng.pick(MOMENTS)
                );
                let a0 = self.rng.below(ACTIONS.len());
                let a1 = (a0 + 1 + self.rng.below(ACTIONS.len() - 1)) % ACTIONS.len();
                let ac = format!("{}; {}", cap(ACTIONS[a0]), ACTIONS[a1]);
                let ms = format!(
                    "Every {} deal has {} of 2 or more",
                    self.rng.pick(STAGES),
                    self.rng.pick(&MEDDPICC)
                );
                let td = self.as_of.plus(self.rng.range(14, 150));
                writeln!(
                    fm,
                    "  - skill: {s}\n    current_behavior: {}\n    target_behavior: {}\n    actions: {}\n    milestone: {}\n    target_date: {}",
                    q(&cb), q(&tb), q(&ac), q(&ms), td.iso()
                )
                .unwrap();
            }
            let oo = self.rng.pick(&["weekly", "fortnightly", "monthly"]);
            let cr = self
                .rng
                .pick(&["\"1 a week\"", "\"2 a month\"", "\"1 a month\""]);
            writeln!(fm, "cadence: {{one_on_one: {oo}, call_reviews: {cr}, deal_prep: \"before every executive meeting\", debriefs: \"every win and loss\"}}").unwrap();
            let days_in = self.as_of.0 - start.0;
            if days_in <= 120 {
                fm.push_str("ramp:\n");
                for (key, day) in [("day_30", 30), ("day_60", 60), ("day_90", 90)] {
                    writeln!(fm, "  {key}:\n    items:").unwrap();
                    for _ in 0..self.rng.range(2, 3) {
                        let done = days_in >= day || (days_in + 30 >= day && self.rng.chance(0.5));
                        writeln!(
                            fm,
                            "      - {{task: {}, done: {done}}}",
                            q(&cap(self.rng.pick(ACTIONS)))
                        )
                        .unwrap();
                    }
                    writeln!(
                        fm,
                        "    gate: {}",
                        q(&format!("Runs {} alone", self.rng.pick(MOMENTS)))
                    )
                    .unwrap();
                }
            }
            let mut links = Vec::new();
            let nd = self.reps[i].deals.len();
            for k in 0..nd.min(self.rng.range(1, 2) as usize) {
                let d = self.reps[i].deals[(k * 7) % nd];
                links.push(self.link_deal(d));
            }
            links.extend(self.link_handbook());
            let body = self.body(
                i,
                &["Recent evidence", "Development", "What to watch"],
                links,
                start,
            );
            let (id, name) = (self.reps[i].id.clone(), self.reps[i].name.clone());
            self.out.write("reps", &id, &fm, &body, Some(&name));
            self.linkable.push((id, name));
        }
    }

    fn write_deals(&mut self) {
        for i in 0..self.deals.len() {
            let mut fm = String::with_capacity(1200);
            let (owner, stage, created, close) = {
                let d = &self.deals[i];
                (d.owner, d.stage, d.created, d.close)
            };
            let oref = self.rep_ref(owner);
            let d = &self.deals[i];
            writeln!(
                fm,
                "type: deal\nname: {}\naccount: {}\nowner: {oref}\nvalue: {}\nstage: {stage}\ncreated: {}\nclose_date: {}",
                q(&d.name), q(&d.account), d.value, created.iso(), close.iso()
            )
            .unwrap();
            let closed = d.closed();
            if !closed {
                if self.rng.chance(0.15) {
                    writeln!(fm, "probability: {}", self.rng.range(1, 19) * 5).unwrap();
                }
                let ns = format!(
                    "{} with the {}",
                    cap(self.rng.pick(MEETINGS)),
                    self.rng.pick(ROLES)
                );
                writeln!(fm, "next_step: {}", q(&ns)).unwrap();
                if self.rng.chance(0.3) {
                    writeln!(fm, "key_question: {}", q(self.rng.pick(QUESTIONS))).unwrap();
                }
            } else if stage == "closed_lost" && self.rng.chance(0.7) {
                let lr = cap(self.rng.pick(CONCERNS));
                writeln!(fm, "lost_reason: {}", q(&lr)).unwrap();
            }
            let seg = slugify(SEGMENTS[self.reps[owner].team % SEGMENTS.len()]);
            fm.push_str(&self.tags(&seg));
            fm.push_str("meddpicc:\n");
            let maturity = match stage {
                "closed_won" | "commit" | "negotiation" => 2,
                "proposal" | "solution" => 1,
                _ => 0,
            };
            for m in &MEDDPICC {
                if self.rng.chance(0.05) {
                    continue; // a missing element scores 0
                }
                let s = (maturity + self.rng.range(0, 2) - self.rng.range(0, 1)).clamp(0, 3);
                if s > 0 && self.rng.chance(0.55) {
                    let ev = evidence(&mut self.rng, m);
                    writeln!(fm, "  {m}: {{score: {s}, evidence: {}}}", q(&ev)).unwrap();
                } else {
                    writeln!(fm, "  {m}: {{score: {s}}}").unwrap();
                }
            }
            let mut links = vec![self.link_rep(owner)];
            if self.rng.chance(0.6) {
                links.extend(self.link_handbook());
            }
            if self.rng.chance(0.3) && i > 0 {
                let other = self.rng.below(i);
                links.push(self.link_deal(other));
            }
            let body = self.body(
                owner,
                &["Situation", "Mutual plan", "Risks"],
                links,
                created,
            );
            let (id, name) = (self.deals[i].id.clone(), self.deals[i].name.clone());
            self.out.write("deals", &id, &fm, &body, Some(&name));
            self.linkable.push((id, name));
        }
    }

    fn write_handbook(&mut self) {
        for i in 0..self.handbook.len() {
            let mut fm = String::with_capacity(200);
            writeln!(fm, "title: {}", q(&self.handbook[i].title)).unwrap();
            fm.push_str(&self.tags("handbook"));
            let rep = self.rng.below(self.reps.len());
            let mut links = Vec::new();
            for _ in 0..self.rng.range(1, 3) {
                let l = match self.rng.below(3) {
                    0 if i > 0 => {
                        let p = &self.handbook[self.rng.below(i)];
                        wikilink(&mut self.rng, &p.id, &p.title)
                    }
                    1 if !self.deals.is_empty() => {
                        let d = self.rng.below(self.deals.len());
                        self.link_deal(d)
                    }
                    _ => self.link_rep(rep),
                };
                links.push(l);
            }
            let mut body = self.body(
                rep,
                &[
                    "Why it matters",
                    "How to do it",
                    "Examples",
                    "Common mistakes",
                ],
                links,
                self.as_of,
            );
            if self.rng.chance(0.15) {
                body.push_str("| | skill gap | will gap |\n| --- | --- | --- |\n| The rep | does not know how yet | knows how and is not doing it |\n| The manager | coaches | manages |\n");
            }
            let (id, title) = (self.handbook[i].id.clone(), self.handbook[i].title.clone());
            self.out.write("handbook", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }

    /// A date for a note on `deal`: between its creation and its close (or
    /// `as_of` while open).
    fn date_on_deal(&mut self, deal: usize) -> Date {
        let d = &self.deals[deal];
        let end = if d.closed() { d.close } else { self.as_of };
        let lo = d.created.max(end.plus(-120));
        between(&mut self.rng, lo, end)
    }

    /// A recent-leaning date in FY2025-2026 up to as_of.
    fn recent_date(&mut self, rep: usize) -> Date {
        let lo = self.reps[rep].start.max(Date::ymd(2025, 1, 6));
        let span = (self.as_of.0 - lo.0).max(0);
        let u = self.rng.unit();
        self.as_of.plus(-((span as f64) * u * u) as i64)
    }

    fn interaction_fields(&mut self, fm: &mut String, rep: usize, deal: Option<usize>, date: Date) {
        let rr = self.rep_ref(rep);
        writeln!(fm, "rep: {rr}").unwrap();
        if let Some(d) = deal {
            let dr = self.deal_ref(d);
            writeln!(fm, "deal: {dr}").unwrap();
        }
        writeln!(fm, "date: {}", date.iso()).unwrap();
        if self.rng.chance(0.85) {
            let g = if self.rng.chance(0.8) {
                "skill"
            } else {
                "will"
            };
            writeln!(fm, "gap: {g}").unwrap();
        }
        if self.rng.chance(0.85) {
            writeln!(fm, "skill: {}", self.rng.pick(&SKILLS)).unwrap();
        }
        let tk = format!(
            "{} before {}",
            cap(self.rng.pick(ACTIONS)),
            self.rng.pick(MOMENTS)
        );
        writeln!(fm, "takeaway: {}", q(&tk)).unwrap();
    }

    fn write_debriefs(&mut self, n: usize) {
        for _ in 0..n {
            // Debriefs follow closed deals more often than open ones.
            let mut deal = self.rng.below(self.deals.len());
            for _ in 0..2 {
                if self.deals[deal].closed() {
                    break;
                }
                deal = self.rng.below(self.deals.len());
            }
            let (rep, stage, close) = (
                self.deals[deal].owner,
                self.deals[deal].stage,
                self.deals[deal].close,
            );
            let (kind, date) = match stage {
                "closed_won" => ("win", close.plus(self.rng.range(0, 14)).min(self.as_of)),
                "closed_lost" => ("loss", close.plus(self.rng.range(0, 14)).min(self.as_of)),
                _ => (
                    self.rng.pick(&["meeting", "discovery", "stalled proposal"]),
                    self.date_on_deal(deal),
                ),
            };
            let title = format!("{} {kind} debrief, {}", self.deals[deal].name, date.human());
            let idb = slugify(&title);
            let (id, title) = self.names.claim(&title, &idb);
            let mut fm = String::with_capacity(600);
            writeln!(fm, "type: debrief\ntitle: {}", q(&title)).unwrap();
            self.interaction_fields(&mut fm, rep, Some(deal), date);
            match stage {
                "closed_won" => fm.push_str("outcome: won\n"),
                "closed_lost" => {
                    fm.push_str("outcome: lost\n");
                    if self.rng.chance(0.8) {
                        writeln!(
                            fm,
                            "cause: {}",
                            self.rng
                                .pick(&["qualification", "execution", "competition"])
                        )
                        .unwrap();
                    }
                }
                _ => writeln!(
                    fm,
                    "outcome: {}",
                    self.rng.pick(&["advanced", "stalled", "advanced"])
                )
                .unwrap(),
            }
            fm.push_str(&self.tags("debrief"));
            let mut links = vec![self.link_deal(deal)];
            if self.rng.chance(0.5) {
                links.push(self.link_rep(rep));
            }
            links.extend(self.link_handbook());
            let body = self.body(
                rep,
                &[
                    "What happened",
                    "What did the buyer say that surprised you?",
                    "What would you do differently if you could replay that moment?",
                    "Next",
                ],
                links,
                date,
            );
            self.out.write("debriefs", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }

    fn write_coaching(&mut self, n: usize) {
        for _ in 0..n {
            let rep = self.rng.below(self.reps.len());
            let date = self.recent_date(rep);
            let deal = if !self.reps[rep].deals.is_empty() && self.rng.chance(0.5) {
                let ds = &self.reps[rep].deals;
                Some(ds[self.rng.below(ds.len())])
            } else {
                None
            };
            let title = format!("{} one-to-one, {}", self.reps[rep].name, date.human());
            let idb = format!("{}-{}", self.reps[rep].id, date.iso());
            let (id, title) = self.names.claim(&title, &idb);
            let mut fm = String::with_capacity(500);
            writeln!(fm, "type: coaching\ntitle: {}", q(&title)).unwrap();
            self.interaction_fields(&mut fm, rep, deal, date);
            if self.rng.chance(0.25) {
                writeln!(fm, "outcome: {}", self.rng.pick(&["advanced", "stalled"])).unwrap();
            }
            fm.push_str(&self.tags("coaching"));
            let mut links = Vec::new();
            if let Some(d) = deal {
                links.push(self.link_deal(d));
            }
            if self.rng.chance(0.5) || links.is_empty() {
                links.extend(self.link_handbook().or_else(|| Some(self.link_rep(rep))));
            }
            if self.rng.chance(0.3) {
                links.extend(self.link_any());
            }
            let body = self.body(
                rep,
                &["What we looked at", "Coaching", "Agreed"],
                links,
                date,
            );
            self.out.write("coaching", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }

    fn write_calls(&mut self, n: usize) {
        for _ in 0..n {
            let deal = self.rng.below(self.deals.len());
            let rep = self.deals[deal].owner;
            let date = self.date_on_deal(deal);
            let ct = self.rng.pick(CALL_TYPES);
            let title = format!(
                "{} {ct} call review, {}",
                self.deals[deal].account,
                date.human()
            );
            let idb = slugify(&title);
            let (id, title) = self.names.claim(&title, &idb);
            let mut fm = String::with_capacity(1400);
            writeln!(fm, "type: call\ntitle: {}", q(&title)).unwrap();
            self.interaction_fields(&mut fm, rep, Some(deal), date);
            writeln!(fm, "call_type: {ct}").unwrap();
            let buyer = format!(
                "{} {} ({}, {})",
                self.rng.pick(FIRST),
                self.rng.pick(LAST),
                cap(self.rng.pick(ROLES)),
                self.deals[deal].account
            );
            let mgr = self.manager_name(rep).to_string();
            writeln!(
                fm,
                "attendees: [{}, {}, {}]",
                q(&self.reps[rep].name),
                q(&buyer),
                q(&format!("{mgr} (listening)"))
            )
            .unwrap();
            let dur = self.rng.range(20, 60);
            writeln!(fm, "duration_min: {dur}").unwrap();
            if self.rng.chance(0.5) {
                writeln!(fm, "recording: \"https://calls.example.com/{id}\"").unwrap();
            }
            if self.rng.chance(0.5) {
                writeln!(fm, "outcome: {}", self.rng.pick(&["advanced", "stalled"])).unwrap();
            }
            fm.push_str("moments:\n");
            let mut at = 0;
            for _ in 0..self.rng.range(1, 3) {
                at += self.rng.range(3, 15);
                let wh = format!(
                    "{} {} {}",
                    first_name(&self.reps[rep].name),
                    self.rng.pick(REP_VERBS),
                    self.rng.pick(OBJECTS)
                );
                let ti = cap(self.rng.pick(ACTIONS));
                let why = cap(self.rng.pick(REASONS));
                writeln!(
                    fm,
                    "  - at: \"{:02}:{:02}\"\n    what_happened: {}\n    try_instead: {}\n    why: {}",
                    at, self.rng.range(0, 59), q(&wh), q(&ti), q(&why)
                )
                .unwrap();
            }
            fm.push_str(&self.tags("call-review"));
            let mut links = vec![self.link_deal(deal)];
            if self.rng.chance(0.5) {
                links.extend(self.link_handbook());
            }
            let body = self.body(
                rep,
                &["What went well", "What to work on", "Next call"],
                links,
                date,
            );
            self.out.write("calls", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }

    fn write_preps(&mut self, n: usize) {
        for _ in 0..n {
            let mut deal = self.rng.below(self.deals.len());
            for _ in 0..3 {
                if !self.deals[deal].closed() {
                    break;
                }
                deal = self.rng.below(self.deals.len());
            }
            let rep = self.deals[deal].owner;
            let date = if self.deals[deal].closed() {
                self.date_on_deal(deal)
            } else {
                let d = self.deals[deal].created.max(self.as_of.plus(-20));
                between(&mut self.rng, d, self.as_of.plus(21))
            };
            let meeting = self.rng.pick(MEETINGS);
            let title = format!(
                "{} {meeting} prep, {}",
                self.deals[deal].account,
                date.human()
            );
            let idb = slugify(&title);
            let (id, title) = self.names.claim(&title, &idb);
            let mut fm = String::with_capacity(1100);
            let dr = self.deal_ref(deal);
            writeln!(fm, "type: prep\ntitle: {}\ndeal: {dr}", q(&title)).unwrap();
            if self.rng.chance(0.5) {
                let rr = self.rep_ref(rep);
                writeln!(fm, "rep: {rr}").unwrap();
            }
            let obj = format!(
                "Agree {} with the {} by {}",
                self.rng.pick(OBJECTS),
                self.rng.pick(ROLES),
                date.plus(self.rng.range(3, 20)).human()
            );
            let needs = format!(
                "A plan that answers the worry that {}",
                self.rng.pick(CONCERNS)
            );
            let ask = format!(
                "A meeting with the {} before {}",
                self.rng.pick(ROLES),
                date.plus(self.rng.range(7, 30)).human()
            );
            writeln!(
                fm,
                "date: {}\nobjective: {}\nbuyer_needs: {}\nour_ask: {}\nobjections:",
                date.iso(),
                q(&obj),
                q(&needs),
                q(&ask)
            )
            .unwrap();
            let o0 = self.rng.below(OBJECTIONS.len());
            let step = 1 + self.rng.below(3);
            for k in 0..3 {
                let (o, r) = OBJECTIONS[(o0 + k * step) % OBJECTIONS.len()];
                writeln!(fm, "  - objection: {}\n    response: {}", q(o), q(r)).unwrap();
            }
            fm.push_str(&self.tags("prep"));
            let mut links = vec![self.link_deal(deal)];
            if self.rng.chance(0.4) {
                links.extend(self.link_handbook());
            }
            let body = self.body(rep, &["Context", "Plan", "If it goes wrong"], links, date);
            self.out.write("preps", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }

    fn write_forecasts(&mut self, n: usize) {
        let n_reps = self.reps.len();
        let n_teams = self.teams.len();
        let team_slots = n_teams * 8;
        let rep_slots = n_reps * 8;
        // Won value per rep and period (0 = 2025-Q1 .. 7 = 2026-Q4).
        let mut won = vec![[0u64; 8]; n_reps];
        for d in self.deals.iter().filter(|d| d.stage == "closed_won") {
            let (y, m, _) = d.close.civil();
            if (2025..=2026).contains(&y) {
                won[d.owner][((y - 2025) * 4 + (m - 1) / 3) as usize] += d.value;
            }
        }
        let mut team_n = (n / 10).min(team_slots);
        let mut rep_n = n - team_n;
        if rep_n > rep_slots {
            rep_n = rep_slots;
            team_n = (n - rep_n).min(team_slots);
        }
        // Distinct slots: a random start and a stride coprime with the
        // number of slots visit each slot at most once.
        let mut slots: Vec<(bool, usize)> = Vec::with_capacity(rep_n + team_n);
        for (is_team, total, count) in [(false, rep_slots, rep_n), (true, team_slots, team_n)] {
            if count == 0 {
                continue;
            }
            let start = self.rng.below(total);
            let mut stride = 1 + self.rng.below(total);
            while gcd(stride, total) != 1 {
                stride += 1;
            }
            // Rep forecasts for quarters before the rep started are left
            // for last.
            let mut early = Vec::new();
            let mut taken = 0;
            for k in 0..total {
                if taken == count {
                    break;
                }
                let slot = (start + k * stride) % total;
                if !is_team && period_end(slot % 8) < self.reps[slot / 8].start {
                    early.push(slot);
                    continue;
                }
                slots.push((is_team, slot));
                taken += 1;
            }
            for slot in early.into_iter().take(count - taken) {
                slots.push((is_team, slot));
            }
        }
        for (is_team, slot) in slots {
            let (owner, p) = (slot / 8, slot % 8);
            let period = format!("{}-Q{}", 2025 + p / 4, p % 4 + 1);
            let (label, quota, rep) = if is_team {
                let t = &self.teams[owner];
                let quota: u64 = t.reps.iter().map(|r| self.reps[*r].quota).sum();
                (t.name.clone(), quota, t.reps[0])
            } else {
                (self.reps[owner].name.clone(), self.reps[owner].quota, owner)
            };
            let title = format!("{label} {period} forecast");
            let idb = slugify(&title);
            let (id, title) = self.names.claim(&title, &idb);
            // Commit near what was (or is being) won, as a rep who
            // forecasts with some error would.
            let actual: u64 = if is_team {
                self.teams[owner].reps.iter().map(|r| won[*r][p]).sum()
            } else {
                won[owner][p]
            };
            let guess = if actual > 0 {
                actual as f64 * (0.75 + 0.5 * self.rng.unit())
            } else {
                quota as f64 / 4.0 * (0.1 + 0.3 * self.rng.unit())
            };
            let commit = (guess / 5000.0).round() as u64 * 5000;
            let best = commit + self.rng.range(0, 8) as u64 * 5000 * (1 + commit / 200_000);
            let mut fm = String::with_capacity(300);
            writeln!(fm, "type: forecast\ntitle: {}", q(&title)).unwrap();
            if is_team {
                writeln!(fm, "team: {}", q(&label)).unwrap();
            } else {
                let r = self.rep_ref(owner);
                writeln!(fm, "owner: {r}").unwrap();
            }
            writeln!(
                fm,
                "period: \"{period}\"\ncommit: {commit}\nbest_case: {best}"
            )
            .unwrap();
            fm.push_str("tags: [forecasting]\n");
            let mut links = Vec::new();
            let nd = self.reps[rep].deals.len();
            if nd > 0 {
                let d = self.reps[rep].deals[self.rng.below(nd)];
                links.push(self.link_deal(d));
            } else {
                links.push(self.link_rep(rep));
            }
            let (rep_name, mgr) = (
                self.reps[rep].name.clone(),
                self.manager_name(rep).to_owned(),
            );
            let p = Prose {
                rep: &rep_name,
                manager: &mgr,
            };
            let mut body = String::with_capacity(500);
            write!(body, "Commit: {}. ", links[0]).unwrap();
            let k = self.rng.range(2, 4) as usize;
            p.paragraph(&mut self.rng, &mut body, k);
            self.out.write("forecasts", &id, &fm, &body, None);
            self.linkable.push((id, title));
        }
    }
}

/// The last day of period `p` (0 = 2025-Q1 .. 7 = 2026-Q4).
fn period_end(p: usize) -> Date {
    let (y, q) = (2025 + (p / 4) as i64, (p % 4) as i64 + 1);
    if q == 4 {
        Date::ymd(y, 12, 31)
    } else {
        Date::ymd(y, q * 3 + 1, 1).plus(-1)
    }
}

/// Evidence for a MEDDPICC element.
fn evidence(rng: &mut Rng, element: &str) -> String {
    let options: &[&str] = match element {
        "metrics" => &[
            "Inspection backlog down from 6 weeks to 2 (their estimate)",
            "Downtime costs them about 40k a month",
            "Target: every site audit-ready by spring",
            "Finance agreed the saving per site",
        ],
        "economic_buyer" => &[
            "COO named, not met",
            "CFO met once; agreed the business case",
            "Managing director signs anything over 100k",
            "Met twice; confirmed budget and date",
        ],
        "decision_criteria" => &[
            "Audit trail, single sign-on, mobile inspections",
            "Written with us in the second workshop",
            "Criteria from the incumbent's RFP template",
            "Total cost over three years, not licence price",
        ],
        "decision_process" => &[
            "Steering committee, then board in March",
            "Operations recommends, finance approves",
            "Pilot at one site, then group rollout",
            "Not mapped beyond the champion",
        ],
        "paper_process" => &[
            "Procurement framework; 3 weeks for legal",
            "Their paper; security questionnaire first",
            "Order form accepted by procurement",
            "Unknown: ask at the next meeting",
        ],
        "identify_pain" => &[
            "Two failed audits this year",
            "Insurer wants documented inspections",
            "Regional sites run separate spreadsheets",
            "Last rollout took nine months",
        ],
        "champion" => &[
            "Head of operations; sold us internally once",
            "Facilities lead, keen but junior",
            "Director of IT; introduced us to the CFO",
            "Office manager with the COO's ear",
        ],
        _ => &[
            "Incumbent and build-in-house",
            "Two vendors shortlisted; we are second on price",
            "No competitor; the alternative is doing nothing",
            "Incumbent offered a renewal discount",
        ],
    };
    options[rng.below(options.len())].to_string()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

// ---------------------------------------------------------------- main

const SECTIONS: &[&str] = &[
    "reps",
    "deals",
    "debriefs",
    "coaching",
    "calls",
    "preps",
    "forecasts",
    "handbook",
];

fn usage() -> ! {
    eprintln!("usage: gen_corpus OUT_DIR --notes N [--seed S] [--extra-body BYTES] [--hugo]");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out_dir: Option<PathBuf> = None;
    let mut notes: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut hugo = false;
    let mut extra = 0usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--notes" => {
                notes = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or_else(|| usage()),
                )
            }
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--extra-body" => {
                extra = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--hugo" => hugo = true,
            "-h" | "--help" => usage(),
            s if s.starts_with('-') => usage(),
            s => {
                if out_dir.replace(PathBuf::from(s)).is_some() {
                    usage()
                }
            }
        }
    }
    let (Some(out_dir), Some(n)) = (out_dir, notes) else {
        usage()
    };
    if n < 2 {
        usage();
    }
    let started = std::time::Instant::now();
    let c = counts(n);

    let content = out_dir.join("content");
    let hugo_dir = out_dir.join("hugo");
    for d in [&content, &hugo_dir] {
        if d.exists() {
            std::fs::remove_dir_all(d).expect("remove old output");
        }
    }
    for s in SECTIONS {
        std::fs::create_dir_all(content.join(s)).expect("create content dir");
        if hugo {
            std::fs::create_dir_all(hugo_dir.join("content").join(s)).expect("create hugo dir");
        }
    }
    std::fs::write(out_dir.join("coachbook.toml"), config_toml(n, seed)).expect("write config");
    if hugo {
        write_hugo_skeleton(&hugo_dir, n, seed);
    }

    let (y, m, d) = AS_OF;
    let mut g = Gen {
        rng: Rng::new(seed),
        names: Names::default(),
        as_of: Date::ymd(y, m, d),
        teams: Vec::new(),
        reps: Vec::new(),
        deals: Vec::new(),
        handbook: Vec::new(),
        linkable: Vec::with_capacity(n),
        out: Out {
            content,
            hugo: hugo.then(|| hugo_dir.clone()),
            bytes: 0,
            files: 0,
            extra,
        },
    };
    g.teams_and_reps(c.reps);
    g.deals(c.deals);
    g.handbook_titles(c.handbook);
    g.write_reps();
    g.write_deals();
    g.write_handbook();
    g.write_debriefs(c.debriefs);
    g.write_coaching(c.coaching);
    g.write_calls(c.calls);
    g.write_preps(c.preps);
    g.write_forecasts(c.forecasts);

    eprintln!(
        "wrote {} notes ({} reps in {} teams, {} deals, {} debriefs, {} coaching, {} calls, {} preps, {} forecasts, {} handbook), {:.1} MB, avg {} B/note{}, in {} ms",
        g.out.files,
        c.reps,
        g.teams.len(),
        c.deals,
        c.debriefs,
        c.coaching,
        c.calls,
        c.preps,
        c.forecasts,
        c.handbook,
        g.out.bytes as f64 / 1e6,
        g.out.bytes / g.out.files.max(1) as u64,
        if hugo { " (+ Hugo copy)" } else { "" },
        started.elapsed().as_millis()
    );
    assert_eq!(g.out.files, n, "note count");
}

fn config_toml(n: usize, seed: u64) -> String {
    format!(
        r#"# Generated by `cargo run --release --example gen_corpus` ({n} notes, seed {seed}).
title = "Generated coaching corpus ({n} notes)"
base_url = ""
currency = "USD"
as_of = 2026-11-25
fiscal_year_start_month = 1

[stages]
prospecting = 10
discovery = 20
solution = 40
proposal = 60
negotiation = 80
commit = 90
"#
    )
}

fn write_hugo_skeleton(dir: &Path, n: usize, seed: u64) {
    let w = |p: &str, s: &str| {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).expect("create hugo dir");
        std::fs::write(path, s).expect("write hugo file");
    };
    w(
        "hugo.toml",
        &format!(
            r#"# Generated by gen_corpus ({n} notes, seed {seed}): the same notes as the
# coachbook site, for build-time comparison.
baseURL = "/"
title = "Generated coaching corpus ({n} notes)"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
buildFuture = true
buildExpired = true
enableRobotsTXT = false

[markup.goldmark.renderer]
unsafe = false
"#
        ),
    );
    let shell = |inner: &str| {
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{{{ .Title }}}} | {{{{ .Site.Title }}}}</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<main>\n<h1>{{{{ .Title }}}}</h1>\n{{{{ .Content }}}}\n{inner}</main>\n</body>\n</html>\n"
        )
    };
    w("layouts/_default/single.html", &shell(""));
    w(
        "layouts/_default/list.html",
        &shell("<ul>\n{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}</ul>\n"),
    );
    w(
        "static/style.css",
        "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}\n",
    );
}

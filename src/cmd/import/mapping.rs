//! The mapping of an export's columns and stages to a site's deal fields:
//! the built-in Salesforce and HubSpot ones, or a TOML file. Unknown keys
//! are errors, so a misspelt `date_fromat` never goes silently unused.

use std::collections::BTreeMap;

/// Which CSV columns hold what, and how CRM stages map to the site's.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrmMapping {
    pub columns: Columns,
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
    /// How the export writes dates: a chrono format (`%d-%m-%y`) or
    /// `DD-MM-YY`-style letters. Needed when every date of a column reads
    /// both ways, and for two-digit years.
    pub date_format: Option<String>,
    /// The decimal separator of amounts, `.` or `,`, when the values do
    /// not settle it.
    pub decimal: Option<String>,
    /// The field separator: `,`, `;`, `tab` or `|` (default: detected
    /// from the header row).
    pub delimiter: Option<String>,
}

/// A deal's name: one column, or several joined with " - " (the Maven
/// sample has no name column: `name = ["account", "product"]`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum NameColumns {
    One(String),
    Many(Vec<String>),
}

impl NameColumns {
    pub fn list(&self) -> Vec<&str> {
        match self {
            NameColumns::One(s) => vec![s.as_str()],
            NameColumns::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub id: String,
    pub name: NameColumns,
    pub account: String,
    /// Optional: an export without owners takes `--owner`.
    pub owner: Option<String>,
    pub amount: String,
    pub stage: String,
    pub created: String,
    pub close_date: String,
    pub probability: Option<String>,
    pub next_step: Option<String>,
}

/// Salesforce's default opportunity report columns and stages.
pub const SALESFORCE: &str = r#"
[columns]
id = "Opportunity ID"
name = "Opportunity Name"
account = "Account Name"
owner = "Opportunity Owner"
amount = "Amount"
stage = "Stage"
created = "Created Date"
close_date = "Close Date"
probability = "Probability (%)"
next_step = "Next Step"
[stages]
"Prospecting" = "prospecting"
"Qualification" = "discovery"
"Needs Analysis" = "discovery"
"Value Proposition" = "solution"
"Id. Decision Makers" = "solution"
"Perception Analysis" = "solution"
"Proposal/Price Quote" = "proposal"
"Negotiation/Review" = "negotiation"
"Closed Won" = "closed_won"
"Closed Lost" = "closed_lost"
"#;

/// HubSpot's default deal export columns and pipeline stages.
pub const HUBSPOT: &str = r#"
[columns]
id = "Record ID"
name = "Deal Name"
account = "Associated Company"
owner = "Deal owner"
amount = "Amount"
stage = "Deal Stage"
created = "Create Date"
close_date = "Close Date"
[stages]
"Appointment Scheduled" = "discovery"
"Qualified To Buy" = "discovery"
"Presentation Scheduled" = "solution"
"Decision Maker Bought-In" = "proposal"
"Contract Sent" = "negotiation"
"Closed Won" = "closed_won"
"Closed Lost" = "closed_lost"
"#;

/// The built-in mapping of that name, or the mapping file at that path.
pub fn load(map: &str) -> Result<CrmMapping, String> {
    let text = match map {
        "salesforce" => SALESFORCE.to_string(),
        "hubspot" => HUBSPOT.to_string(),
        path => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the mapping {path}: {e}"))?,
    };
    toml::from_str(&text).map_err(|e| format!("the mapping {map} is not valid: {e}"))
}

/// A name compared ignoring case and everything but letters and digits:
/// `Qualified to Buy`, `qualified-to-buy` and `QUALIFIED_TO_BUY` are one
/// stage; `Close date` and `Close Date` one column.
pub fn loose(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// CRM stage names to the site's stages, both compared loosely.
pub struct Stages {
    /// Loose CRM name -> the site's stage, or the mapping's target that is
    /// none of the site's stages.
    map: BTreeMap<String, Result<String, String>>,
    site: Vec<String>,
}

impl Stages {
    /// Refuses a mapping in which two CRM names are one name loosely. A
    /// target that is none of the site's stages is reported on the rows
    /// that use it (a built-in mapping names stages a site may not have).
    pub fn new(mapping: &BTreeMap<String, String>, site: &[&str]) -> Result<Stages, String> {
        let canonical = |s: &str| site.iter().find(|t| loose(t) == loose(s)).copied();
        let mut map = BTreeMap::new();
        let mut problems = Vec::new();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (crm, ours) in mapping {
            let key = loose(crm);
            if let Some(first) = seen.insert(key.clone(), crm) {
                problems.push(format!(
                    "the stages {first:?} and {crm:?} are one name (case and separators are ignored)"
                ));
            }
            map.insert(
                key,
                canonical(ours)
                    .map(str::to_string)
                    .ok_or_else(|| ours.clone()),
            );
        }
        if problems.is_empty() {
            Ok(Stages {
                map,
                site: site.iter().map(|s| s.to_string()).collect(),
            })
        } else {
            Err(format!("the mapping's [stages]: {}", problems.join("; ")))
        }
    }

    /// The site's stage for a CRM stage: the mapping's, else the site's
    /// stage of that name; or why there is none.
    pub fn get(&self, crm: &str) -> Result<&str, String> {
        let key = loose(crm);
        let none = || {
            format!(
                "stage {crm:?} maps to none of the site's stages ({})",
                self.site.join(", ")
            )
        };
        if key.is_empty() {
            return Err(none());
        }
        match self.map.get(&key) {
            Some(Ok(s)) => Ok(s),
            Some(Err(target)) => Err(format!(
                "stage {crm:?} maps to {target:?}, which is none of the site's stages ({})",
                self.site.join(", ")
            )),
            None => self
                .site
                .iter()
                .find(|s| loose(s) == key)
                .map(String::as_str)
                .ok_or_else(none),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors() {
        for text in [
            "date_fromat = \"x\"\n[columns]\nid=\"a\"\nname=\"b\"\naccount=\"c\"\namount=\"d\"\nstage=\"e\"\ncreated=\"f\"\nclose_date=\"g\"\n",
            "[columns]\nid=\"a\"\nname=\"b\"\naccount=\"c\"\namount=\"d\"\nstage=\"e\"\ncreated=\"f\"\nclose_date=\"g\"\nowner_column=\"h\"\n",
            "default_quota = 5\n[columns]\nid=\"a\"\nname=\"b\"\naccount=\"c\"\namount=\"d\"\nstage=\"e\"\ncreated=\"f\"\nclose_date=\"g\"\n",
        ] {
            let e = toml::from_str::<CrmMapping>(text).unwrap_err().to_string();
            assert!(e.contains("unknown field"), "{e}");
        }
        assert!(load("salesforce").is_ok() && load("hubspot").is_ok());
    }

    #[test]
    fn stages_match_ignoring_case_and_separators() {
        let m = load("hubspot").unwrap();
        let site = [
            "prospecting",
            "discovery",
            "negotiation",
            "closed_won",
            "closed_lost",
        ];
        let s = Stages::new(&m.stages, &site).unwrap();
        assert_eq!(s.get("Qualified to Buy"), Ok("discovery"));
        assert_eq!(s.get("qualified-to-buy"), Ok("discovery"));
        assert_eq!(s.get("closed-won"), Ok("closed_won"));
        assert_eq!(s.get("CLOSED WON"), Ok("closed_won"));
        assert_eq!(s.get("Prospecting"), Ok("prospecting"));
        assert!(s
            .get("Verbal Yes")
            .unwrap_err()
            .contains("none of the site's stages"));
        assert!(s.get(" - ").is_err());
        // A built-in stage the site does not have.
        assert!(s
            .get("Presentation Scheduled")
            .unwrap_err()
            .contains("maps to \"solution\""));
        let mut dup = BTreeMap::new();
        dup.insert("Won".to_string(), "closed_won".to_string());
        dup.insert("WON".to_string(), "closed_won".to_string());
        let e = Stages::new(&dup, &site).err().unwrap();
        assert!(e.contains("one name"), "{e}");
    }
}

//! Test-only builders: small hand-made [`Site`]s with resolved references.

use crate::model::*;
use chrono::NaiveDate;
use std::path::PathBuf;

pub use crate::config::Config;
pub use crate::model::{Kind, Site, CLOSED_LOST, CLOSED_WON};

/// `YYYY-MM-DD` -> date (panics on bad input: tests only).
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn reference(field: &str, target: Option<NoteIdx>) -> RefField {
    let mut r = RefField::new(field, "target".to_string(), Span::default());
    r.resolved = target;
    r
}

/// Builds a [`Site`] note by note; every method returns the note's index.
#[derive(Default)]
pub struct SiteBuilder {
    notes: Vec<Note>,
}

impl SiteBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, id: &str, kind: Kind, date: Option<NaiveDate>, data: NoteData) -> NoteIdx {
        self.notes.push(Note {
            id: id.to_string(),
            kind,
            type_name: Some(kind.type_name().to_string()),
            title: id.to_string(),
            path: format!("{}/{id}.md", kind.section()),
            abs_path: PathBuf::from(format!("/site/{id}.md")),
            tags: Vec::new(),
            date,
            body: "".into(),
            body_line: 1,
            data,
            valid: true,
            title_given: true,
            properties: Vec::new(),
            property_links: Vec::new(),
            aliases: Vec::new(),
            private: false,
            audiences: None,
            slug_given: false,
            anchors: Vec::new(),
            links: Vec::new(),
            field_spans: Default::default(),
            draft: None,
            raw_html_as_text: false,
        });
        self.notes.len() - 1
    }

    /// A rep named like its id.
    pub fn rep(&mut self, id: &str, team: &str, start: &str, quota: f64) -> NoteIdx {
        let rep = Rep {
            name: id.to_string(),
            team: team.to_string(),
            manager: None,
            start_date: d(start),
            quota,
            skills: Vec::new(),
            focus: Vec::new(),
            cadence: Vec::new(),
            ramp: Vec::new(),
        };
        self.push(id, Kind::Rep, None, NoteData::Rep(Box::new(rep)))
    }

    /// A deal with every MEDDPICC element at 0.
    pub fn deal(
        &mut self,
        id: &str,
        owner: Option<NoteIdx>,
        value: f64,
        stage: &str,
        created: &str,
        close_date: &str,
    ) -> NoteIdx {
        let deal = Deal {
            name: id.to_string(),
            account: "Acme".to_string(),
            owner: reference("owner", owner),
            value: Some(value),
            stage: stage.to_string(),
            created: d(created),
            close_date: Some(d(close_date)),
            probability: None,
            next_step: None,
            key_question: None,
            lost_reason: None,
            meddpicc: Default::default(),
        };
        self.push(id, Kind::Deal, None, NoteData::Deal(Box::new(deal)))
    }

    pub fn deal_mut(&mut self, idx: NoteIdx) -> &mut Deal {
        match &mut self.notes[idx].data {
            NoteData::Deal(d) => d,
            _ => panic!("not a deal"),
        }
    }

    /// Sets the eight MEDDPICC scores in order.
    pub fn scores(&mut self, idx: NoteIdx, scores: [u8; 8]) {
        for (e, s) in self.deal_mut(idx).meddpicc.iter_mut().zip(scores) {
            e.score = s;
        }
    }

    pub fn interaction(
        &mut self,
        id: &str,
        kind: Kind,
        rep: Option<NoteIdx>,
        deal: Option<NoteIdx>,
        date: &str,
    ) -> NoteIdx {
        let i = Interaction {
            rep: reference("rep", rep),
            deal: deal.map(|x| reference("deal", Some(x))),
            date: d(date),
            takeaway: "Ask for the meeting".to_string(),
            gap: None,
            skill: None,
            outcome: None,
            cause: None,
            call: None,
        };
        self.push(id, kind, Some(d(date)), NoteData::Interaction(Box::new(i)))
    }

    pub fn prep(&mut self, id: &str, deal: Option<NoteIdx>, date: &str) -> NoteIdx {
        let p = Prep {
            deal: reference("deal", deal),
            rep: None,
            deal_owner: None,
            date: d(date),
            objective: "o".to_string(),
            buyer_needs: "n".to_string(),
            our_ask: "a".to_string(),
            objections: Vec::new(),
        };
        self.push(id, Kind::Prep, Some(d(date)), NoteData::Prep(Box::new(p)))
    }

    fn forecast(
        &mut self,
        id: &str,
        owner: ForecastOwner,
        year: i32,
        q: u32,
        commit: f64,
    ) -> NoteIdx {
        let f = Forecast {
            owner,
            year,
            quarter: q,
            commit,
            best_case: None,
        };
        self.push(id, Kind::Forecast, None, NoteData::Forecast(Box::new(f)))
    }

    pub fn forecast_rep(
        &mut self,
        id: &str,
        rep: Option<NoteIdx>,
        year: i32,
        q: u32,
        commit: f64,
    ) -> NoteIdx {
        self.forecast(
            id,
            ForecastOwner::Rep(reference("owner", rep)),
            year,
            q,
            commit,
        )
    }

    pub fn forecast_team(
        &mut self,
        id: &str,
        team: &str,
        year: i32,
        q: u32,
        commit: f64,
    ) -> NoteIdx {
        self.forecast(id, ForecastOwner::Team(team.to_string()), year, q, commit)
    }

    pub fn forecast_mut(&mut self, idx: NoteIdx) -> &mut Forecast {
        match &mut self.notes[idx].data {
            NoteData::Forecast(f) => f,
            _ => panic!("not a forecast"),
        }
    }

    /// Marks a note invalid (left out of the metrics).
    pub fn invalidate(&mut self, idx: NoteIdx) {
        self.notes[idx].valid = false;
    }

    pub fn build(&self) -> Site {
        Site {
            notes: self.notes.clone(),
            ..Default::default()
        }
    }
}

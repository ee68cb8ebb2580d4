//! The rep's settings, stored in the store's meta tree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::automation::{default_rules, Action, Rule};
use crate::deal::{default_deal_stages, DealStageSetting, StageOutcome};
use crate::email::{default_email_templates, EmailTemplate};
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::quote::CompanyProfile;
use crate::score::{ScoringSettings, TargetProfile};

/// User settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// Chosen UI language; `None` follows the operating system.
    pub language: Option<Language>,
    /// Weights, half-life and thresholds of scoring.
    pub scoring: ScoringSettings,
    /// Who fits the rep's target group.
    pub target_profile: TargetProfile,
    /// Show native notifications for reminders (on by default).
    pub notifications: bool,
    /// Start Kontor at login (off by default).
    pub autostart: bool,
    /// Ask the update server for a newer Kontor at each start (off by
    /// default: reps work offline; "Check for updates" asks once).
    pub check_updates: bool,
    /// Country whose numbering plan reads phone numbers written without a
    /// country code (ISO 3166 alpha-2, "DE" by default).
    pub phone_region: String,
    /// The deal pipeline's stages, in board order.
    pub deal_stages: Vec<DealStageSetting>,
    /// Automation rules ("when X then Y").
    pub automation: Vec<Rule>,
    /// Email templates with placeholders.
    pub email_templates: Vec<EmailTemplate>,
    /// The rep's company, for the quote header.
    pub company: CompanyProfile,
    /// The days the rep works, ISO weekday numbers (1 Monday … 7 Sunday);
    /// Monday to Friday by default. Tasks the rules make land on them.
    pub working_days: Vec<u8>,
    /// Saved contact views (filters with a name), in the sidebar's order.
    pub saved_views: Vec<crate::filter::SavedView>,
    /// The field day: where it starts, how long visits take, who is due a
    /// visit, geocoding, the map app and the calendar file.
    pub field: FieldSettings,
}

/// Settings of the rep's days in the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct FieldSettings {
    /// Where a day plan starts and ends (home or office).
    pub home_address: String,
    /// First departure, "HH:MM".
    pub day_start: String,
    /// Latest return, "HH:MM".
    pub day_end: String,
    /// How long a visit takes, in minutes.
    pub visit_minutes: u32,
    /// Days after which a prospect is due a visit again (0: never suggested).
    pub revisit_prospect_days: u32,
    /// The same for an opportunity.
    pub revisit_opportunity_days: u32,
    /// The same for a customer.
    pub revisit_customer_days: u32,
    /// Look addresses up online (each once; results are kept).
    pub geocoding: bool,
    /// The Nominatim-compatible endpoint asked.
    pub geocoding_endpoint: String,
    /// Which map app opens a route.
    pub map_app: crate::geo::MapApp,
    /// A file the app keeps current with the calendar (for calendar
    /// programs that subscribe to a file); empty: none.
    pub calendar_file: String,
    /// Who drives, as the mileage log names them (Fahrer/in).
    pub driver: String,
    /// The car's registration (Kennzeichen), for the mileage log.
    pub vehicle: String,
}

impl Default for FieldSettings {
    fn default() -> Self {
        FieldSettings {
            home_address: String::new(),
            day_start: "08:00".into(),
            day_end: "18:00".into(),
            visit_minutes: 60,
            revisit_prospect_days: 60,
            revisit_opportunity_days: 30,
            revisit_customer_days: 90,
            geocoding: true,
            geocoding_endpoint: crate::geo::DEFAULT_ENDPOINT.into(),
            map_app: crate::geo::MapApp::default(),
            calendar_file: String::new(),
            driver: String::new(),
            vehicle: String::new(),
        }
    }
}

impl FieldSettings {
    /// The working day a plan fits visits into.
    pub fn frame(&self) -> crate::plan::DayFrame {
        let time = |s: &str, default: u32| {
            chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .unwrap_or_else(|_| chrono::NaiveTime::from_hms_opt(default, 0, 0).unwrap_or_default())
        };
        crate::plan::DayFrame {
            from: time(&self.day_start, 8),
            to: time(&self.day_end, 18),
            visit_minutes: self.visit_minutes,
        }
    }

    /// Days after which a contact at `stage` is due a visit again (none: never).
    pub fn revisit_days(&self, stage: crate::stage::Stage) -> Option<u32> {
        use crate::stage::Stage;
        let days = match stage {
            Stage::Prospect => self.revisit_prospect_days,
            Stage::Opportunity => self.revisit_opportunity_days,
            Stage::Customer => self.revisit_customer_days,
            Stage::Lead | Stage::Disqualified => 0,
        };
        (days > 0).then_some(days)
    }

    fn validate(&self) -> Result<()> {
        let time = |field: &'static str, s: &str| {
            chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map_err(|_| invalid(field, format!("{s:?} is not a time like 08:00")))
        };
        let (from, to) = (time("field.day_start", &self.day_start)?, time("field.day_end", &self.day_end)?);
        if from >= to {
            return Err(invalid("field.day_end", format!("the day ends ({to}) before it starts ({from})")));
        }
        if !(5..=600).contains(&self.visit_minutes) {
            return Err(invalid("field.visit_minutes", "a visit takes 5 to 600 minutes".into()));
        }
        for (field, days) in [
            ("field.revisit_prospect_days", self.revisit_prospect_days),
            ("field.revisit_opportunity_days", self.revisit_opportunity_days),
            ("field.revisit_customer_days", self.revisit_customer_days),
        ] {
            if days > 3650 {
                return Err(invalid(field, "at most 3650 days".into()));
            }
        }
        let endpoint = self.geocoding_endpoint.trim();
        if self.geocoding && !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            return Err(invalid("field.geocoding_endpoint", format!("{endpoint:?} is no http(s) address")));
        }
        Ok(())
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            scoring: ScoringSettings::default(),
            target_profile: TargetProfile::default(),
            notifications: true,
            autostart: false,
            check_updates: false,
            phone_region: "DE".into(),
            deal_stages: default_deal_stages(),
            automation: default_rules(Language::De),
            email_templates: default_email_templates(),
            company: CompanyProfile::default(),
            working_days: vec![1, 2, 3, 4, 5],
            saved_views: Vec::new(),
            field: FieldSettings::default(),
        }
    }
}

impl Settings {
    /// Whether going from these settings to `new` changes anyone's score or
    /// readiness: the scoring weights and thresholds or the target profile.
    pub fn changes_scores(&self, new: &Settings) -> bool {
        self.scoring != new.scoring || self.target_profile != new.target_profile
    }

    /// `day` when the rep works on it, else the next working day.
    pub fn working_day_from(&self, day: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::Datelike;
        let works = |d: chrono::NaiveDate| {
            let n = u8::try_from(d.weekday().number_from_monday()).unwrap_or(1);
            self.working_days.is_empty() || self.working_days.contains(&n)
        };
        day.iter_days().take(7).find(|d| works(*d)).unwrap_or(day)
    }

    /// The phone region as the phone-number library's id (DE when unknown).
    pub fn region(&self) -> phonenumber::country::Id {
        self.phone_region.trim().to_ascii_uppercase().parse().unwrap_or(phonenumber::country::Id::DE)
    }

    /// Checks every range.
    pub fn validate(&self) -> Result<()> {
        if self.phone_region.trim().to_ascii_uppercase().parse::<phonenumber::country::Id>().is_err() {
            return Err(Error::InvalidSettings {
                field: "phone_region",
                reason: format!("'{}' is not a country code like DE or AT", self.phone_region),
            });
        }
        self.scoring.validate().map_err(|(field, reason)| Error::InvalidSettings { field, reason })?;
        let p = &self.target_profile;
        if let (Some(min), Some(max)) = (p.size_min, p.size_max) {
            if min > max {
                return Err(Error::InvalidSettings {
                    field: "target_profile.size_min",
                    reason: format!("the smallest size {min} is above the largest {max}"),
                });
            }
        }
        if self.working_days.is_empty() || self.working_days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(invalid("working_days", "name at least one day, as 1 (Monday) to 7 (Sunday)".into()));
        }
        self.validate_deal_stages()?;
        self.validate_rules()?;
        self.company.validate().map_err(|(field, reason)| Error::InvalidSettings { field, reason })?;
        crate::filter::validate_views(&self.saved_views)?;
        self.field.validate()?;
        let mut ids = std::collections::HashSet::new();
        for t in &self.email_templates {
            if t.id.trim().is_empty() || !ids.insert(t.id.as_str()) {
                return Err(invalid(
                    "email_templates",
                    format!("template id {:?} is empty or used twice", t.id),
                ));
            }
        }
        Ok(())
    }

    fn validate_deal_stages(&self) -> Result<()> {
        let stages = &self.deal_stages;
        let count = |o: StageOutcome| stages.iter().filter(|s| s.outcome == o).count();
        if count(StageOutcome::Won) != 1 || count(StageOutcome::Lost) != 1 {
            return Err(invalid("deal_stages", "there must be exactly one won and one lost stage".into()));
        }
        if count(StageOutcome::Open) == 0 {
            return Err(invalid("deal_stages", "there must be at least one open stage".into()));
        }
        let mut keys = std::collections::HashSet::new();
        for s in stages {
            let key_ok = !s.key.is_empty()
                && s.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !key_ok {
                return Err(invalid("deal_stages", format!("stage key {:?} must be a-z, 0-9 or _", s.key)));
            }
            if !keys.insert(s.key.as_str()) {
                return Err(invalid("deal_stages", format!("stage key {:?} is used twice", s.key)));
            }
            if s.probability > 100 {
                return Err(invalid("deal_stages", format!("probability of {:?} is above 100", s.key)));
            }
            if s.name_de.trim().is_empty() || s.name_en.trim().is_empty() {
                return Err(invalid(
                    "deal_stages",
                    format!("stage {:?} needs a German and an English name", s.key),
                ));
            }
        }
        Ok(())
    }

    fn validate_rules(&self) -> Result<()> {
        let mut ids = std::collections::HashSet::new();
        for rule in &self.automation {
            if rule.id.trim().is_empty() || !ids.insert(rule.id.as_str()) {
                return Err(invalid("automation", format!("rule id {:?} is empty or used twice", rule.id)));
            }
            if let crate::automation::Trigger::ScoreCrossed { threshold } = rule.trigger {
                if threshold == 0 || threshold > 100 {
                    return Err(invalid(
                        "automation",
                        format!("rule {:?}: threshold must be 1–100", rule.id),
                    ));
                }
            }
            match &rule.action {
                Action::CreateTask { title, due_in_days }
                    if title.trim().is_empty() || *due_in_days > 3650 =>
                {
                    return Err(invalid(
                        "automation",
                        format!("rule {:?}: a task needs a title and at most 3650 days", rule.id),
                    ));
                }
                Action::Notify { message } if message.trim().is_empty() => {
                    return Err(invalid(
                        "automation",
                        format!("rule {:?}: the notice needs a text", rule.id),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The effective language: the chosen one, else German.
    pub fn language_or_default(&self) -> Language {
        self.language.unwrap_or(Language::De)
    }

    /// When the rules are still the shipped defaults of the other language,
    /// switches them to the chosen language's defaults (`fallback` while
    /// none is chosen: the OS's).
    pub fn localize_default_rules(&mut self, fallback: Language) {
        let lang = self.language.unwrap_or(fallback);
        let other = match lang {
            Language::De => Language::En,
            Language::En => Language::De,
        };
        if self.automation == default_rules(other) {
            self.automation = default_rules(lang);
        }
    }
}

fn invalid(field: &'static str, reason: String) -> Error {
    Error::InvalidSettings { field, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_old_settings_still_load() {
        Settings::default().validate().unwrap();
        let old: Settings = serde_json::from_str(r#"{"language":"en","notifications":false}"#).unwrap();
        assert_eq!(old.deal_stages, default_deal_stages());
        assert_eq!(old.automation.len(), 2);
        assert_eq!(old.email_templates.len(), 2);
        assert!(!old.notifications);
        assert_eq!(old.working_days, [1, 2, 3, 4, 5], "settings from before working days: Monday to Friday");
    }

    #[test]
    fn a_day_off_moves_to_the_next_working_day() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let mut s = Settings::default();
        assert_eq!(s.working_day_from(day(15)), day(17), "Saturday → Monday");
        assert_eq!(s.working_day_from(day(16)), day(17), "Sunday → Monday");
        assert_eq!(s.working_day_from(day(14)), day(14), "Friday stays");
        s.working_days = vec![2, 3, 4, 5, 6];
        assert_eq!(s.working_day_from(day(17)), day(18), "a rep who works Tuesday to Saturday");
        s.working_days = vec![];
        assert!(s.validate().is_err());
        s.working_days = vec![8];
        assert!(s.validate().is_err());
    }

    #[test]
    fn stage_sets_need_one_won_one_lost_and_unique_keys() {
        let mut s = Settings::default();
        s.deal_stages.retain(|st| st.key != "lost");
        assert_eq!(s.validate().unwrap_err().field(), Some("deal_stages"));
        let mut s = Settings::default();
        s.deal_stages[1].key = "qualification".into();
        assert!(s.validate().is_err());
        let mut s = Settings::default();
        s.deal_stages[0].probability = 101;
        assert!(s.validate().is_err());
    }

    #[test]
    fn default_rules_follow_the_language() {
        let mut s = Settings { language: Some(Language::En), ..Settings::default() };
        s.localize_default_rules(Language::De);
        assert_eq!(s.automation, default_rules(Language::En));
    }
}

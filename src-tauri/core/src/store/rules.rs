//! The store's side of automation: running the rules that mutations fire
//! (their outcomes go back to the caller in [`crate::automation::Changed`])
//! and pausing them for bulk loads.

use chrono::{DateTime, Days, Utc};

use super::{read, Store};
use crate::automation::{fill_placeholders, fired, Action, AutomationOutcome, Event, Trigger};
use crate::email::placeholder_values;
use crate::settings::Settings;
use crate::task::{Priority, TaskInput};

impl Store {
    /// Runs the enabled rules that `events` fire. Actions run with
    /// automation off (creating a task fires nothing), so rules never chain.
    pub(super) fn run_rules(&self, events: &[Event], now: DateTime<Utc>) -> Vec<AutomationOutcome> {
        let settings: Settings = self.settings();
        let paused = self.automation_paused.load(std::sync::atomic::Ordering::SeqCst) > 0;
        if paused || events.is_empty() || settings.automation.is_empty() {
            return vec![];
        }
        let language = self.language_in(&settings);
        let tz = self.time_zone();
        let mut out = Vec::new();
        for (rule, event) in fired(&settings.automation, events) {
            let contact = event.contact_id().and_then(|id| self.raw_contact(id).ok());
            let deal = event.deal().cloned().or_else(|| event.deal_id().and_then(|id| self.deal(id).ok()));
            let values = placeholder_values(contact.as_ref(), deal.as_ref(), language);
            match &rule.action {
                Action::CreateTask { title, due_in_days } => {
                    let today = now.with_timezone(&tz).date_naive();
                    let due = today.checked_add_days(Days::new(u64::from(*due_in_days))).unwrap_or(today);
                    // Not on a weekend: the next day the rep works.
                    let due = settings.working_day_from(due);
                    let input = TaskInput {
                        title: fill_placeholders(title, &values),
                        contact_id: contact.as_ref().map(|c| c.id),
                        deal_id: deal.as_ref().map(|d| d.id),
                        due: due.format("%Y-%m-%d").to_string(),
                        priority: Priority::Normal,
                        notes: None,
                        reminders: vec![0],
                        repeat: None,
                    };
                    match self.create_task(input, tz, now) {
                        Ok(task) => out.push(AutomationOutcome::TaskCreated { task }),
                        Err(e) => {
                            out.push(AutomationOutcome::Notice { message: format!("rule {}: {e}", rule.id) })
                        }
                    }
                }
                Action::Notify { message } => {
                    out.push(AutomationOutcome::Notice { message: fill_placeholders(message, &values) })
                }
                Action::ProposeStage { to } => {
                    if let Some(c) = contact.as_ref().filter(|c| c.stage != *to) {
                        out.push(AutomationOutcome::Proposed { contact_id: c.id, stage: *to });
                    }
                }
            }
        }
        out
    }

    /// Stops rules from running until the guard is dropped (bulk loads).
    pub fn pause_automation(&self) -> AutomationPause<'_> {
        self.automation_paused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        AutomationPause { store: self }
    }

    /// Whether any enabled rule watches score crossings (so mutations only
    /// compute the score before when needed).
    pub(super) fn watches_score(&self) -> bool {
        read(&self.settings)
            .automation
            .iter()
            .any(|r| r.enabled && matches!(r.trigger, Trigger::ScoreCrossed { .. }))
    }
}

/// While alive, automation rules do not run ([`Store::pause_automation`]).
pub struct AutomationPause<'a> {
    store: &'a Store,
}

impl Drop for AutomationPause<'_> {
    fn drop(&mut self) {
        self.store.automation_paused.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

//! Automation rules as data (SPEC §9): "when X then Y", stored in settings,
//! and the placeholder templates they (and email templates) use.
//!
//! Invariant: rules never trigger rules. The store collects the events of
//! one mutation (including lifecycle changes made by rule), matches them
//! here, and runs the actions with automation off; no action produces events.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::deal::Deal;
use crate::lang::Language;
use crate::stage::Stage;
use crate::task::Task;
use crate::texts::Text;

/// What fires a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Trigger {
    /// A contact's lifecycle stage changed to `to` (by hand or by rule).
    ContactStageChanged {
        /// The new stage.
        to: Stage,
    },
    /// A contact's score rose from below `threshold` to `threshold` or more.
    ScoreCrossed {
        /// The threshold (0–100).
        threshold: u8,
    },
    /// A deal moved to the stage with key `to`.
    DealStageChanged {
        /// Deal stage key.
        to: String,
    },
    /// A deal was won (moved to the won stage).
    DealWon,
    /// A task was marked done.
    TaskCompleted,
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    /// Creates an all-day task on the contact (and deal), due in N days.
    CreateTask {
        /// Title template with placeholders ([`fill_placeholders`]).
        title: String,
        /// Days from today (0 = today).
        due_in_days: u32,
    },
    /// Shows a notice (template with placeholders).
    Notify {
        /// Message template.
        message: String,
    },
    /// Proposes a lifecycle stage for the contact (the user accepts it).
    ProposeStage {
        /// The proposed stage.
        to: Stage,
    },
}

/// One automation rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rule {
    /// Stable id (defaults: "default_first_call", "default_referral").
    pub id: String,
    /// Off rules are kept but never run.
    pub enabled: bool,
    /// When.
    pub trigger: Trigger,
    /// Then.
    pub action: Action,
}

/// What running the rules did, for the shell to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum AutomationOutcome {
    /// A task was created.
    TaskCreated {
        /// The new task.
        task: Task,
    },
    /// A notice to show (also used when a rule's action failed).
    Notice {
        /// The text.
        message: String,
    },
    /// A stage is proposed for a contact.
    Proposed {
        /// The contact.
        contact_id: Uuid,
        /// The proposed stage.
        stage: Stage,
    },
}

/// Something that happened in one mutation and may fire rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A contact's stage changed.
    ContactStageChanged {
        /// The contact.
        contact_id: Uuid,
        /// The new stage.
        to: Stage,
    },
    /// A contact's score changed.
    ScoreChanged {
        /// The contact.
        contact_id: Uuid,
        /// Before the mutation.
        before: u8,
        /// After it.
        after: u8,
    },
    /// A deal entered a stage.
    DealStageChanged {
        /// The deal after the move.
        deal: Box<Deal>,
    },
    /// A deal was won.
    DealWon {
        /// The deal after the move.
        deal: Box<Deal>,
    },
    /// A task was completed.
    TaskCompleted {
        /// The task as done.
        task: Box<Task>,
    },
}

impl Event {
    /// The contact the event is about, if any.
    pub fn contact_id(&self) -> Option<Uuid> {
        match self {
            Event::ContactStageChanged { contact_id, .. } | Event::ScoreChanged { contact_id, .. } => {
                Some(*contact_id)
            }
            Event::DealStageChanged { deal } | Event::DealWon { deal } => Some(deal.contact_id),
            Event::TaskCompleted { task } => task.contact_id,
        }
    }

    /// The deal the event is about, if any.
    pub fn deal(&self) -> Option<&Deal> {
        match self {
            Event::DealStageChanged { deal } | Event::DealWon { deal } => Some(deal),
            _ => None,
        }
    }

    /// The deal id the event is about (deal events and tasks on a deal).
    pub fn deal_id(&self) -> Option<Uuid> {
        match self {
            Event::TaskCompleted { task } => task.deal_id,
            other => other.deal().map(|d| d.id),
        }
    }
}

impl Trigger {
    /// Whether this trigger fires on `event`.
    pub fn matches(&self, event: &Event) -> bool {
        match (self, event) {
            (Trigger::ContactStageChanged { to }, Event::ContactStageChanged { to: stage, .. }) => {
                to == stage
            }
            (Trigger::ScoreCrossed { threshold }, Event::ScoreChanged { before, after, .. }) => {
                before < threshold && after >= threshold
            }
            (Trigger::DealStageChanged { to }, Event::DealStageChanged { deal }) => *to == deal.stage,
            (Trigger::DealWon, Event::DealWon { .. }) => true,
            (Trigger::TaskCompleted, Event::TaskCompleted { .. }) => true,
            _ => false,
        }
    }
}

/// The enabled rules' actions that `events` fire, in event then rule order.
pub fn fired<'a>(rules: &'a [Rule], events: &'a [Event]) -> Vec<(&'a Rule, &'a Event)> {
    events
        .iter()
        .flat_map(|e| rules.iter().filter(move |r| r.enabled && r.trigger.matches(e)).map(move |r| (r, e)))
        .collect()
}

/// Replaces `{name}` with the value of `name` in `values`; unknown names
/// (and unmatched braces) stay as they are.
pub fn fill_placeholders(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find(['}', '{']) {
            Some(end) if after.as_bytes()[end] == b'}' => {
                let name = &after[..end];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The rules shipped with Kontor, with task titles in `language`:
/// stage → prospect ⇒ "first call" in 2 days; deal won ⇒ "ask for a referral" in 14 days.
pub fn default_rules(language: Language) -> Vec<Rule> {
    let (first_call, referral) = (Text::RuleFirstCall.get(language), Text::RuleReferral.get(language));
    vec![
        Rule {
            id: "default_first_call".into(),
            enabled: true,
            trigger: Trigger::ContactStageChanged { to: Stage::Prospect },
            action: Action::CreateTask { title: first_call.into(), due_in_days: 2 },
        },
        Rule {
            id: "default_referral".into(),
            enabled: true,
            trigger: Trigger::DealWon,
            action: Action::CreateTask { title: referral.into(), due_in_days: 14 },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals() -> Vec<(&'static str, String)> {
        vec![("first_name", "Anna".into()), ("organization", "Acme {AG}".into())]
    }

    #[test]
    fn known_placeholders_are_filled_unknown_stay() {
        assert_eq!(
            fill_placeholders("Hallo {first_name} von {organization}, {unknown} {", &vals()),
            "Hallo Anna von Acme {AG}, {unknown} {"
        );
        assert_eq!(fill_placeholders("{{first_name}}", &vals()), "{Anna}");
        assert_eq!(fill_placeholders("no braces", &vals()), "no braces");
        assert_eq!(fill_placeholders("ü{first_name}ß", &vals()), "üAnnaß");
    }

    #[test]
    fn score_crossing_fires_only_upwards_across() {
        let t = Trigger::ScoreCrossed { threshold: 50 };
        let e = |before, after| Event::ScoreChanged { contact_id: Uuid::nil(), before, after };
        assert!(t.matches(&e(49, 50)));
        assert!(t.matches(&e(10, 90)));
        assert!(!t.matches(&e(50, 60)));
        assert!(!t.matches(&e(60, 40)));
        assert!(!t.matches(&e(10, 49)));
    }

    #[test]
    fn rules_serialise_with_a_type_tag() {
        let json = serde_json::to_value(&default_rules(Language::En)[0]).unwrap();
        assert_eq!(json["trigger"], serde_json::json!({"type": "contact_stage_changed", "to": "prospect"}));
        assert_eq!(json["action"]["type"], "create_task");
        let won = serde_json::to_value(Trigger::DealWon).unwrap();
        assert_eq!(won, serde_json::json!({"type": "deal_won"}));
    }
}

/// What a mutation hands back: its result and what the rules it fired did
/// (tasks created, notices, proposals). Nothing is kept for later: the
/// caller shows the outcomes or drops them.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed<T> {
    /// The mutation's result.
    pub value: T,
    /// Outcomes of the rules it fired, in order.
    pub automation: Vec<AutomationOutcome>,
}

impl<T> Changed<T> {
    /// A result with the outcomes collected while making it.
    pub fn new(value: T, automation: Vec<AutomationOutcome>) -> Self {
        Changed { value, automation }
    }

    /// The same outcomes with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Changed<U> {
        Changed { value: f(self.value), automation: self.automation }
    }
}

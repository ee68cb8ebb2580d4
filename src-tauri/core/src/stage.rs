//! The contact lifecycle (SPEC §3) as a state machine.
//!
//! Invariant: the only way to change a contact's stage is
//! [`crate::lifecycle::check_transition`]; forward steps are free, disqualifying needs a reason,
//! recycling goes back to lead, and anything else (skipping, going back) is an
//! explicit forced correction with a reason.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a contact stands in the sales process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Stage {
    /// Showed interest; fit and ability to buy unknown.
    Lead,
    /// Qualified further (MQL): fits, has the means, may decide.
    Prospect,
    /// A purchase is likely (SQL, Verkaufschance).
    Opportunity,
    /// Bought at least once.
    Customer,
    /// Does not fit or cannot buy; kept with a reason.
    Disqualified,
}

impl Stage {
    /// All stages in display order.
    pub const ALL: [Stage; 5] =
        [Stage::Lead, Stage::Prospect, Stage::Opportunity, Stage::Customer, Stage::Disqualified];

    /// The snake_case key used in JSON, the CLI and the UI.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Prospect => "prospect",
            Stage::Opportunity => "opportunity",
            Stage::Customer => "customer",
            Stage::Disqualified => "disqualified",
        }
    }

    /// Position on the main path lead → customer; `None` for disqualified.
    fn rank(self) -> Option<u8> {
        match self {
            Stage::Lead => Some(0),
            Stage::Prospect => Some(1),
            Stage::Opportunity => Some(2),
            Stage::Customer => Some(3),
            Stage::Disqualified => None,
        }
    }

    /// What a move from `self` to `to` requires; `None` when `to == self`.
    pub fn requirement_to(self, to: Stage) -> Option<Requirement> {
        if self == to {
            return None;
        }
        Some(match (self, to) {
            (Stage::Customer, Stage::Disqualified) => Requirement::Forced,
            (_, Stage::Disqualified) => Requirement::Reason,
            (Stage::Disqualified, Stage::Lead) => Requirement::None,
            _ => match (self.rank(), to.rank()) {
                (Some(a), Some(b)) if b == a + 1 => Requirement::None,
                _ => Requirement::Forced,
            },
        })
    }

    /// Every stage reachable from `self`, with what each move requires.
    pub fn transitions(self) -> Vec<Transition> {
        Stage::ALL
            .into_iter()
            .filter_map(|to| self.requirement_to(to).map(|requirement| Transition { to, requirement }))
            .collect()
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Self, UnknownStage> {
        let s = s.trim().to_lowercase();
        Stage::ALL.into_iter().find(|stage| stage.key() == s).ok_or(UnknownStage(s))
    }
}

/// A text that names no stage (it becomes `Error::InvalidInput` on field `stage`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStage(pub String);

impl fmt::Display for UnknownStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown stage {:?} (expected lead, prospect, opportunity, customer or disqualified)",
            self.0
        )
    }
}

impl std::error::Error for UnknownStage {}

/// What a stage change needs from the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Requirement {
    /// A normal step; a reason is optional.
    None,
    /// Allowed, but only with a reason (disqualifying).
    Reason,
    /// Skipping or going back: only as an explicit forced correction with a reason.
    Forced,
}

/// One stage a contact can move to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Transition {
    /// Target stage.
    pub to: Stage,
    /// What the move requires.
    pub requirement: Requirement,
}

/// Who made a stage change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangedBy {
    /// The user, by hand.
    Hand,
    /// An automation or qualification rule.
    Rule,
    /// An import.
    Import,
}

/// One entry of a contact's stage history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageChange {
    /// Previous stage; `None` for the entry that created the contact.
    pub from: Option<Stage>,
    /// New stage.
    pub to: Stage,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Why, as the user or rule gave it.
    pub reason: Option<String>,
    /// Who made it.
    pub by: ChangedBy,
}

/// A request to move a contact to another stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageChangeRequest {
    /// Target stage.
    pub to: Stage,
    /// Reason (required for disqualifying and forced corrections).
    pub reason: Option<String>,
    /// Confirms a forced correction (skip or go back).
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use Requirement as R;
    use Stage::*;

    #[rstest]
    #[case(Lead, Prospect, R::None)]
    #[case(Prospect, Opportunity, R::None)]
    #[case(Opportunity, Customer, R::None)]
    #[case(Lead, Disqualified, R::Reason)]
    #[case(Prospect, Disqualified, R::Reason)]
    #[case(Opportunity, Disqualified, R::Reason)]
    #[case(Disqualified, Lead, R::None)]
    #[case(Lead, Opportunity, R::Forced)]
    #[case(Lead, Customer, R::Forced)]
    #[case(Prospect, Lead, R::Forced)]
    #[case(Customer, Opportunity, R::Forced)]
    #[case(Customer, Disqualified, R::Forced)]
    #[case(Disqualified, Prospect, R::Forced)]
    fn requirements(#[case] from: Stage, #[case] to: Stage, #[case] want: Requirement) {
        assert_eq!(from.requirement_to(to), Some(want));
    }

    #[test]
    fn transitions_list_every_other_stage() {
        for from in Stage::ALL {
            let ts = from.transitions();
            assert_eq!(ts.len(), 4);
            assert!(ts.iter().all(|t| t.to != from));
        }
    }

    #[test]
    fn stage_parses_from_its_key() {
        for s in Stage::ALL {
            assert_eq!(s.key().parse::<Stage>().unwrap(), s);
        }
        assert!("kunde".parse::<Stage>().is_err());
    }
}

//! The five qualification criteria a contact is asked about (budget,
//! authority, need, timeline, target group) and the answers they take.
//! Scoring reads them; the contact record carries them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Yes, no or not known yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Answer {
    /// Confirmed.
    Yes,
    /// Ruled out.
    No,
    /// Not known yet.
    #[default]
    Unknown,
}

impl Answer {
    /// Every answer, in the order the UI offers them.
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

    /// The snake_case key.
    pub fn key(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }
}

impl Criteria {
    /// The criteria's keys, in the order the UI shows them.
    pub const NAMES: [&'static str; 5] = ["target_group", "budget", "authority", "need", "timeline"];
}

impl std::str::FromStr for Answer {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "yes" | "ja" | "y" | "true" => Ok(Answer::Yes),
            "no" | "nein" | "n" | "false" => Ok(Answer::No),
            "unknown" | "unbekannt" | "?" => Ok(Answer::Unknown),
            other => Err(crate::Error::InvalidInput {
                field: "criteria",
                reason: format!("{other:?} is not yes, no or unknown"),
            }),
        }
    }
}

/// The five qualification criteria of a contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Criteria {
    /// Fits the rep's target group (industry, size, region).
    pub target_group: Answer,
    /// Has the budget / means to buy.
    pub budget: Answer,
    /// May decide the purchase.
    pub authority: Answer,
    /// Has a stated need.
    pub need: Answer,
    /// Has a timeline for the purchase.
    pub timeline: Answer,
}

/// How the target-group criterion is set: an answer by hand, or `auto`
/// (proposed from the organisation's data and the target profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TargetGroupSetting {
    /// Fits, by hand.
    Yes,
    /// Does not fit, by hand.
    No,
    /// Unknown, by hand.
    Unknown,
    /// Proposed from the organisation's data.
    Auto,
}

impl std::str::FromStr for TargetGroupSetting {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        if matches!(s.trim().to_lowercase().as_str(), "auto" | "automatic") {
            return Ok(TargetGroupSetting::Auto);
        }
        Ok(match s.parse::<Answer>()? {
            Answer::Yes => TargetGroupSetting::Yes,
            Answer::No => TargetGroupSetting::No,
            Answer::Unknown => TargetGroupSetting::Unknown,
        })
    }
}

/// A partial change of the criteria; `None` leaves a criterion as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CriteriaUpdate {
    /// Target group (or back to automatic).
    pub target_group: Option<TargetGroupSetting>,
    /// Budget.
    pub budget: Option<Answer>,
    /// Authority.
    pub authority: Option<Answer>,
    /// Need.
    pub need: Option<Answer>,
    /// Timeline.
    pub timeline: Option<Answer>,
}

//! Two contacts that look like the same person: why (the reasons a pair is
//! listed for) and how they merge (the fields taken from the other).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contact::Contact;

/// Why two contacts look like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateKind {
    /// The same email address.
    Email,
    /// The same phone number (normalised).
    Phone,
    /// A similar name at the same organisation.
    Name,
}

/// One reason with the value that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateReason {
    /// Kind of match.
    pub kind: DuplicateKind,
    /// What matched ("anna@example.de", "+491701234567", "Anna Schmidt ~ Anna Schmitt").
    pub value: String,
}

/// Two contacts that may be one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    /// The older contact (the proposed survivor).
    pub a: Contact,
    /// The newer one.
    pub b: Contact,
    /// Why they match.
    pub reasons: Vec<DuplicateReason>,
}

/// A single-valued field a merge picks from one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeField {
    /// Salutation.
    Salutation,
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// Display name.
    DisplayName,
    /// Organisation.
    Organization,
    /// Job title.
    Title,
    /// Postal address (as a whole).
    Address,
    /// Website.
    Website,
    /// Source.
    Source,
    /// Notes.
    Notes,
    /// Lifecycle stage (with its history).
    Stage,
}

/// Which single-valued fields come from the contact merged away; the rest
/// stay the survivor's (empty ones are filled from the other). Emails,
/// phones and tags are always united; activities, tasks and deals move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MergePicks {
    /// Fields taken from the other contact.
    pub from_other: Vec<MergeField>,
}

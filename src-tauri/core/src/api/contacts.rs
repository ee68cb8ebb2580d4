//! Contacts and organisations: the contact page, its changes, activities,
//! qualification and duplicates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{backup_before, Changed};
use crate::activity::ActivityInput;
use crate::backups::Reason;
use crate::contact::{Contact, ContactInput, Organization, OrganizationInput};
use crate::criteria::CriteriaUpdate;
use crate::duplicate::MergePicks;
use crate::error::{ErrorCode, Result};
use crate::score::Score;
use crate::stage::{ChangedBy, StageChangeRequest, Transition};
use crate::store::Store;

/// A contact with the stage changes it allows, its explained score and its organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactDetail {
    /// The contact.
    pub contact: Contact,
    /// Every other stage and what moving there requires.
    pub transitions: Vec<Transition>,
    /// The score with its line items and proposal.
    pub score: Score,
    /// The linked organisation with its data.
    pub organization: Option<Organization>,
}

impl ContactDetail {
    /// The detail of the contact `id` (read once, explained as of `now`).
    pub fn of_id(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<Self> {
        let (contact, score) = store.contact_explained(id, now)?;
        let organization = contact.organization_id.map(|id| store.organization(id)).transpose()?;
        Ok(ContactDetail { transitions: contact.stage.transitions(), contact, score, organization })
    }

    /// The detail of a contact a mutation just returned (as of `now`).
    pub fn of(store: &Store, contact: Contact, now: DateTime<Utc>) -> Result<Self> {
        Self::of_id(store, contact.id, now)
    }
}

fn detailed(store: &Store, changed: Changed<Contact>, now: DateTime<Utc>) -> Result<Changed<ContactDetail>> {
    let detail = ContactDetail::of(store, changed.value, now)?;
    Ok(Changed::new(detail, changed.automation))
}

/// One contact with the stages it can move to and its explained score.
pub fn detail(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<ContactDetail> {
    ContactDetail::of_id(store, id, now)
}

/// A problem with a contact's input, for the form to mark its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct InputProblem {
    /// What is wrong.
    pub code: ErrorCode,
    /// The input field ("first_name", "emails", "address.city" ...).
    pub field: Option<String>,
    /// The entry at fault in a list field (an email or phone number as written).
    pub value: Option<String>,
    /// English text, for logs.
    pub message: String,
}

/// Every problem of a contact's input, in the form's field order; empty
/// when [`create`] and [`update`] would take it.
pub fn problems(store: &Store, input: &ContactInput) -> Vec<InputProblem> {
    let problems = input.problems(store.settings().region());
    problems
        .iter()
        .map(|e| InputProblem {
            code: e.code(),
            field: e.field().map(Into::into),
            value: e.entry().map(Into::into),
            message: e.to_string(),
        })
        .collect()
}

/// Creates a contact as a lead.
pub fn create(store: &Store, input: &ContactInput, now: DateTime<Utc>) -> Result<ContactDetail> {
    ContactDetail::of(store, store.create_contact(input, ChangedBy::Hand, now)?, now)
}

/// Saves an edited contact.
pub fn update(
    store: &Store,
    id: Uuid,
    input: &ContactInput,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    detailed(store, store.update_contact(id, input, now)?, now)
}

/// Moves a contact to another lifecycle stage, by hand.
pub fn change_stage(
    store: &Store,
    id: Uuid,
    change: &StageChangeRequest,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    detailed(store, store.change_stage(id, change, ChangedBy::Hand, now)?, now)
}

/// Logs an activity on a contact's timeline; returns the contact.
pub fn log_activity(
    store: &Store,
    id: Uuid,
    input: ActivityInput,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    detailed(store, store.log_activity(id, input, now)?.map(|(_, contact)| contact), now)
}

/// Deletes an activity; returns the contact it belonged to.
pub fn delete_activity(store: &Store, activity_id: Uuid, now: DateTime<Utc>) -> Result<ContactDetail> {
    ContactDetail::of(store, store.delete_activity(activity_id, now)?, now)
}

/// Changes qualification criteria.
pub fn set_criteria(
    store: &Store,
    id: Uuid,
    criteria: &CriteriaUpdate,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    detailed(store, store.set_criteria(id, criteria, now)?, now)
}

/// Accepts the contact's qualification proposal (a stage change by rule).
pub fn accept_proposal(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<Changed<ContactDetail>> {
    detailed(store, store.accept_proposal(id, now)?, now)
}

/// Merges `other` into `survivor` (fields as picked; activities, tasks and
/// deals move), after an automatic backup.
pub fn merge(
    store: &Store,
    survivor: Uuid,
    other: Uuid,
    picks: &MergePicks,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    backup_before(store, Reason::Merge, now)?;
    detailed(store, store.merge_contacts(survivor, other, picks, now)?, now)
}

/// Edits an organisation's name and data (its contacts may become ready
/// to qualify, and with auto-advance move on).
pub fn update_organization(
    store: &Store,
    id: Uuid,
    input: &OrganizationInput,
    now: DateTime<Utc>,
) -> Result<Changed<Organization>> {
    store.update_organization(id, input, now)
}

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
use crate::store::{BulkChange, BulkOutcome, Store, UndoOutcome};

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
    /// The phone numbers as the rep reads them (national at home,
    /// international abroad), in the order of `contact.phones`.
    pub phones_shown: Vec<String>,
    /// The rep the contact belongs to (who made it), with team sync.
    #[ts(optional = nullable)]
    pub owner: Option<String>,
}

impl ContactDetail {
    /// The detail of the contact `id` (read once, explained as of `now`).
    pub fn of_id(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<Self> {
        let (contact, score) = store.contact_explained(id, now)?;
        let organization = contact.organization_id.map(|id| store.organization(id)).transpose()?;
        let region = store.region();
        let phones_shown = contact.phones.iter().map(|p| crate::text::display_phone(p, region)).collect();
        let owner = store.sync_owner(crate::sync::EntityKind::Contact, id)?;
        Ok(ContactDetail {
            owner,
            transitions: contact.stage.transitions(),
            contact,
            score,
            organization,
            phones_shown,
        })
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
    let problems = input.problems(store.region());
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

/// Changes to some of a contact's fields (`kontor contacts edit`); what is
/// not named stays. An empty text clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct ContactEdit {
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// New job title.
    pub title: Option<String>,
    /// New organisation (found by name or created).
    pub organization: Option<String>,
    /// New source.
    pub source: Option<String>,
    /// New notes.
    pub notes: Option<String>,
    /// Email addresses to add.
    pub add_emails: Vec<String>,
    /// Email addresses to remove (each must be one of the contact's).
    pub remove_emails: Vec<String>,
    /// Phone numbers to add.
    pub add_phones: Vec<String>,
    /// Phone numbers to remove, in any formatting (each must be one of the contact's).
    pub remove_phones: Vec<String>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove (each must be one of the contact's).
    pub remove_tags: Vec<String>,
}

/// Applies `edit` to the contact `id` and saves it as the form would: the
/// whole contact is checked, and a refusal writes nothing.
pub fn edit(
    store: &Store,
    id: Uuid,
    edit: &ContactEdit,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    let contact = store.contact(id, now)?;
    let mut input = ContactInput::from(&contact);
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    if let Some(first) = &edit.first_name {
        input.first_name = first.trim().to_owned();
    }
    if let Some(last) = &edit.last_name {
        input.last_name = last.trim().to_owned();
    }
    for (field, value) in [
        (&mut input.title, &edit.title),
        (&mut input.organization, &edit.organization),
        (&mut input.source, &edit.source),
        (&mut input.notes, &edit.notes),
    ] {
        if value.is_some() {
            *field = text(value);
        }
    }
    let region = store.region();
    let email_key = |e: &str| crate::text::normalize_email(e).unwrap_or_else(|| e.trim().to_lowercase());
    let phone_key = |p: &str| crate::text::normalize_phone(p, region).unwrap_or_else(|| p.trim().to_owned());
    let tag_key = |t: &str| t.trim().to_lowercase();
    remove(&mut input.emails, &edit.remove_emails, "emails", "email addresses", email_key)?;
    remove(&mut input.phones, &edit.remove_phones, "phones", "phone numbers", phone_key)?;
    remove(&mut input.tags, &edit.remove_tags, "tags", "tags", tag_key)?;
    input.emails.extend(edit.add_emails.iter().cloned());
    input.phones.extend(edit.add_phones.iter().cloned());
    input.tags.extend(edit.add_tags.iter().cloned());
    update(store, id, &input, now)
}

/// Takes each of `gone` out of `list` (compared by `key`); one that is not
/// there is refused, naming it.
fn remove(
    list: &mut Vec<String>,
    gone: &[String],
    field: &'static str,
    what: &str,
    key: impl Fn(&str) -> String,
) -> Result<()> {
    for g in gone {
        let k = key(g);
        let before = list.len();
        list.retain(|v| key(v) != k);
        if list.len() == before {
            return Err(crate::Error::InvalidInput {
                field,
                reason: format!("{} is not one of this contact's {what}", g.trim()),
            });
        }
    }
    Ok(())
}

/// An organisation in a list: how many contacts and open deals it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrganizationSummary {
    /// The organisation.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its contacts.
    pub contacts: u32,
    /// Its contacts' open deals.
    pub open_deals: u32,
}

/// An organisation with its contacts (by name) and their deals (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OrganizationDetail {
    /// The organisation's own data.
    #[serde(flatten)]
    pub organization: Organization,
    /// Its contacts, by name.
    pub contacts: Vec<Contact>,
    /// Its contacts' deals, newest first.
    pub deals: Vec<crate::deal::Deal>,
    /// How many of them are open.
    pub open_deals: u32,
    /// Its contacts' newest activities (at most [`ORG_ACTIVITIES`]), newest first.
    pub activities: Vec<crate::activity::Activity>,
    /// Its contacts' open tasks, soonest due first.
    pub tasks: Vec<crate::task::Task>,
}

/// How many of its contacts' newest activities an organisation's page shows.
pub const ORG_ACTIVITIES: u32 = 30;

/// Organisations matching `search` (typo tolerant, best first), else all by
/// name, each with its counts.
pub fn organizations(store: &Store, search: Option<&str>) -> Result<Vec<OrganizationSummary>> {
    let orgs = store.organizations(search.filter(|s| !s.trim().is_empty()), usize::MAX)?;
    let stages = store.settings().deal_stages;
    orgs.into_iter()
        .map(|org| {
            let (contacts, open_deals) = store.organization_counts(org.id, &stages)?;
            Ok(OrganizationSummary { id: org.id, name: org.name, contacts, open_deals })
        })
        .collect()
}

/// One organisation with its contacts and their deals.
pub fn organization(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<OrganizationDetail> {
    let organization = store.organization(id)?;
    let (contacts, deals, open_deals) = organization_parts(store, &organization, now)?;
    let mut activities = Vec::new();
    let mut tasks = Vec::new();
    let newest = crate::activity::ActivityQuery { limit: ORG_ACTIVITIES, ..Default::default() };
    for c in &contacts {
        activities.extend(store.list_activities(c.id, &newest)?.items);
        tasks.extend(store.contact_tasks(c.id)?.into_iter().filter(|t| !t.done));
    }
    activities.sort_by_key(|a| std::cmp::Reverse((a.at, a.id)));
    activities.truncate(ORG_ACTIVITIES as usize);
    tasks.sort_by_key(|t| (t.due, t.id));
    Ok(OrganizationDetail { organization, contacts, deals, open_deals, activities, tasks })
}

/// Creates an organisation of its own.
pub fn create_organization(
    store: &Store,
    input: &OrganizationInput,
    now: DateTime<Utc>,
) -> Result<Organization> {
    store.create_organization(input, now)
}

/// Merges organisation `other` into `survivor` (contacts and deals move over).
pub fn merge_organizations(
    store: &Store,
    survivor: Uuid,
    other: Uuid,
    now: DateTime<Utc>,
) -> Result<Changed<OrganizationDetail>> {
    let merged = store.merge_organizations(survivor, other, now)?;
    let detail = organization(store, survivor, now)?;
    Ok(merged.map(|_| detail))
}

/// An organisation's contacts by name, their deals newest first, and how many are open.
fn organization_parts(
    store: &Store,
    org: &Organization,
    now: DateTime<Utc>,
) -> Result<(Vec<Contact>, Vec<crate::deal::Deal>, u32)> {
    let query =
        crate::ListQuery { organization_id: Some(org.id), limit: u32::MAX, ..crate::ListQuery::default() };
    let contacts = store.list_contacts(&query, now)?.items;
    let stages = store.settings().deal_stages;
    let mut deals = Vec::new();
    for c in &contacts {
        deals.extend(store.contact_deals(c.id)?);
    }
    deals.sort_by_key(|d| std::cmp::Reverse((d.created_at, d.id)));
    let open = deals
        .iter()
        .filter(|d| crate::deal::outcome_of(&stages, &d.stage) == crate::deal::StageOutcome::Open)
        .count();
    Ok((contacts, deals, u32::try_from(open).unwrap_or(u32::MAX)))
}

/// How many contacts each saved view (of the settings) lists now.
pub fn view_counts(store: &Store, now: DateTime<Utc>) -> Result<Vec<crate::filter::ViewCount>> {
    store.view_counts(&store.saved_views(), now)
}

/// Applies one change to many contacts in one transaction (undoable with [`undo_bulk`]).
pub fn bulk(store: &Store, ids: &[Uuid], change: &BulkChange, now: DateTime<Utc>) -> Result<BulkOutcome> {
    store.bulk_change(ids, change, store.time_zone(), now)
}

/// Takes a bulk change back.
pub fn undo_bulk(store: &Store, token: Uuid, now: DateTime<Utc>) -> Result<UndoOutcome> {
    store.undo_bulk(token, now)
}

/// Remembers that two contacts are two people (no longer offered as a duplicate).
pub fn dismiss_duplicate(store: &Store, a: Uuid, b: Uuid, now: DateTime<Utc>) -> Result<()> {
    store.dismiss_duplicate(a, b, now)
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

/// Edits an activity (the version it replaces is kept in its history); returns its contact.
pub fn update_activity(
    store: &Store,
    activity_id: Uuid,
    input: ActivityInput,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    detailed(store, store.update_activity(activity_id, input, now)?.map(|(_, contact)| contact), now)
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

/// Sets or clears a contact's pin (their position, by hand).
pub fn pin_contact(
    store: &Store,
    id: Uuid,
    pin: Option<crate::geo::Pin>,
    now: DateTime<Utc>,
) -> Result<Changed<ContactDetail>> {
    let mut input = ContactInput::from(&store.raw_contact(id)?);
    input.address.pin = pin;
    update(store, id, &input, now)
}

/// Sets or clears an organisation's pin (its position, by hand).
pub fn pin_organization(
    store: &Store,
    id: Uuid,
    pin: Option<crate::geo::Pin>,
    now: DateTime<Utc>,
) -> Result<Changed<Organization>> {
    let mut input = OrganizationInput::from(&store.organization(id)?);
    input.pin = pin;
    store.update_organization(id, &input, now)
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

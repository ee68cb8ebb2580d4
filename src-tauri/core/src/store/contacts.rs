//! The store's side of contacts: creating, editing and moving them through
//! the lifecycle, one contact per transaction with its index entries, and
//! listing them a page at a time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::TransactionalTree;
use sled::Transactional;
use ts_rs::TS;
use uuid::Uuid;

use super::organizations::find_or_create_org;
use super::{abort, change_key, decode, encode, name_key, new_id, read, stage_tag, write, Store, ALL_STAGES};
use super::{id_from_index_key, TxResult};
use crate::contact::{Contact, ContactInput, Organization};
use crate::error::{Error, Result};
use crate::search::{Doc, StageCounts};
use crate::stage::{check_transition, ChangedBy, Stage, StageChange, StageChangeRequest};

/// How a contact list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortOrder {
    /// By display name, A–Z.
    #[default]
    Name,
    /// Most recently changed first.
    LastChange,
}

/// A page request for the contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ListQuery {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Search text (names, organisation, email, phone digits, tags).
    pub search: Option<String>,
    /// Order.
    pub sort: SortOrder,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return at most.
    pub limit: u32,
    /// Only contacts with a qualification proposal.
    pub ready_to_qualify: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            stage: None,
            search: None,
            sort: SortOrder::Name,
            offset: 0,
            limit: 100,
            ready_to_qualify: false,
        }
    }
}

/// One page of contacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactPage {
    /// The contacts of this page.
    pub items: Vec<Contact>,
    /// How many match in all.
    pub total: u32,
}

impl Store {
    /// Creates a contact as a lead (its first stage-history entry).
    pub fn create_contact(&self, input: &ContactInput, by: ChangedBy, now: DateTime<Utc>) -> Result<Contact> {
        let valid = input.validate(self.settings().region())?;
        let id = new_id(now);
        let organization = valid.organization.clone();
        self.save_decorated(id, organization.as_deref(), now, |old| {
            if old.is_some() {
                return Err(Error::Storage(format!("id collision for {id}")));
            }
            Ok(Contact::new_lead(id, valid.clone(), by, None, now))
        })
    }

    /// Replaces a contact's editable fields.
    pub fn update_contact(&self, id: Uuid, input: &ContactInput, now: DateTime<Utc>) -> Result<Contact> {
        let valid = input.validate(self.settings().region())?;
        let organization = valid.organization.clone();
        let contact = self.save_decorated(id, organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            c.apply(valid.clone(), None, now);
            Ok(c)
        })?;
        self.auto_advance(contact, now)
    }

    /// Moves a contact to another stage, checked against the lifecycle and
    /// recorded in its stage history. Rules it fires leave their outcomes
    /// for [`Store::take_automation_outcomes`].
    pub fn change_stage(
        &self,
        id: Uuid,
        request: &StageChangeRequest,
        by: ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Contact> {
        let current = self.raw_contact(id)?;
        let contact = self.save_decorated(id, current.organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            let reason = check_transition(c.stage, request.to, request.reason.as_deref(), request.force)?;
            c.stage_history.push(StageChange { from: Some(c.stage), to: request.to, at: now, reason, by });
            c.stage = request.to;
            c.updated_at = now;
            Ok(c)
        })?;
        let event = crate::automation::Event::ContactStageChanged { contact_id: id, to: contact.stage };
        let outcomes = self.run_rules(&[event], now);
        self.queue_outcomes(outcomes);
        Ok(contact)
    }

    /// Writes one contact in a transaction: builds it from the stored one
    /// with `build`, links (or creates) its organisation by name, replaces its
    /// index entries, flushes, then updates the search index.
    pub(super) fn save(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        let trees = (&self.contacts, &self.organizations, &self.org_by_name, &self.by_name, &self.by_change);
        let contact = trees.transaction(|(contacts, orgs, org_by_name, by_name, by_change)| {
            let old: Option<Contact> = match contacts.get(id.as_bytes())? {
                Some(bytes) => Some(decode(&bytes).or_else(abort)?),
                None => None,
            };
            let mut new = build(old.clone()).or_else(abort)?;
            match organization {
                Some(name) => {
                    let org = find_or_create_org(orgs, org_by_name, name, now)?;
                    new.organization = Some(org.name);
                    new.organization_id = Some(org.id);
                }
                None => {
                    new.organization = None;
                    new.organization_id = None;
                }
            }
            put_contact(contacts, by_name, by_change, old.as_ref(), Some(&new))?;
            Ok(new)
        })?;
        self.db.flush()?;
        self.search_mut().upsert(&contact);
        if let Some(org_id) = contact.organization_id {
            if !read(&self.orgs).contains_key(&org_id) {
                if let Some(bytes) = self.organizations.get(org_id.as_bytes())? {
                    let org: Organization = decode(&bytes)?;
                    write(&self.orgs).insert(org.id, org);
                }
            }
        }
        Ok(contact)
    }

    /// [`Store::save`], returning the contact with its score as of `now`.
    pub(super) fn save_decorated(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        let mut contact = self.save(id, organization, now, build)?;
        self.decorate_fields(&mut contact, now)?;
        Ok(contact)
    }

    /// One contact as stored (score and proposal not computed).
    pub(super) fn raw_contact(&self, id: Uuid) -> Result<Contact> {
        let bytes = self.contacts.get(id.as_bytes())?.ok_or_else(|| not_found(id))?;
        decode(&bytes)
    }

    /// A contact's display name, if it exists (for lists that link to contacts).
    pub fn display_name(&self, id: Uuid) -> Option<String> {
        self.raw_contact(id).ok().map(|c| c.display_name)
    }

    /// One contact with its effective criteria, score and proposal at `now`.
    pub fn contact(&self, id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let mut contact = self.raw_contact(id)?;
        self.decorate_fields(&mut contact, now)?;
        Ok(contact)
    }

    /// A page of contacts: by stage and order from the index trees, or the
    /// search index's matches when there is search text.
    pub fn list_contacts(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ContactPage> {
        let offset = query.offset as usize;
        let limit = query.limit as usize;
        let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (ids, total) = if search.is_some() || query.ready_to_qualify {
            let index = self.search();
            let candidates: Vec<&Doc> = match search {
                Some(text) => index.matches(text),
                None => index.docs().collect(),
            };
            let ready = query.ready_to_qualify.then(|| self.ready_filter(now));
            let mut docs: Vec<&Doc> = candidates
                .into_iter()
                .filter(|d| query.stage.is_none_or(|s| d.stage == s))
                .filter(|d| ready.as_ref().is_none_or(|r| r.is_ready(d)))
                .collect();
            let order = |a: &&Doc, b: &&Doc| {
                match query.sort {
                    SortOrder::Name => a.name_key.cmp(&b.name_key),
                    SortOrder::LastChange => b.updated_ms.cmp(&a.updated_ms),
                }
                .then(a.id.cmp(&b.id))
            };
            // Only the docs up to the end of the page need their order: "m"
            // matches tens of thousands, the page shows a hundred.
            let total = docs.len();
            let end = offset.saturating_add(limit).min(total);
            if end > 0 && end < total {
                docs.select_nth_unstable_by(end - 1, order);
                docs.truncate(end);
            }
            docs.sort_unstable_by(order);
            let ids: Vec<Uuid> = docs.iter().skip(offset).take(limit).map(|d| d.id).collect();
            (ids, total)
        } else {
            let tag = query.stage.map_or(ALL_STAGES, stage_tag);
            let tree = match query.sort {
                SortOrder::Name => &self.by_name,
                SortOrder::LastChange => &self.by_change,
            };
            let ids = tree
                .scan_prefix([tag])
                .keys()
                .skip(offset)
                .take(limit)
                .map(|k| id_from_index_key(&k?))
                .collect::<Result<Vec<_>>>()?;
            let counts = self.search().counts();
            let total = query.stage.map_or(counts.all, |s| counts.get(s));
            (ids, total as usize)
        };
        let items = ids.into_iter().map(|id| self.contact(id, now)).collect::<Result<Vec<_>>>()?;
        Ok(ContactPage { items, total: u32::try_from(total).unwrap_or(u32::MAX) })
    }

    /// Contacts per stage, and ready to qualify, of all or of those matching `search`.
    pub fn stage_counts(&self, search: Option<&str>, now: DateTime<Utc>) -> StageCounts {
        let index = self.search();
        let is_ready = self.ready_filter(now);
        match search.filter(|q| !q.trim().is_empty()) {
            // One pass over the matches for both the stages and the ready.
            Some(q) => {
                let mut counts = StageCounts::default();
                for doc in index.matches(q) {
                    counts.add(doc.stage);
                    counts.ready_to_qualify += u32::from(is_ready.is_ready(doc));
                }
                counts
            }
            None => StageCounts {
                ready_to_qualify: index.docs().filter(|d| is_ready.is_ready(d)).count() as u32,
                ..index.counts()
            },
        }
    }

    /// Number of contacts.
    pub fn contact_count(&self) -> usize {
        self.search().len()
    }
}

/// Writes (or with `new` = `None` removes) a contact record and replaces its
/// list-index entries, inside a transaction.
pub(super) fn put_contact(
    contacts: &TransactionalTree,
    by_name: &TransactionalTree,
    by_change: &TransactionalTree,
    old: Option<&Contact>,
    new: Option<&Contact>,
) -> TxResult<()> {
    if let Some(old) = old {
        for tag in [ALL_STAGES, stage_tag(old.stage)] {
            by_name.remove(name_key(tag, old))?;
            by_change.remove(change_key(tag, old))?;
        }
        if new.is_none() {
            contacts.remove(old.id.as_bytes())?;
        }
    }
    if let Some(new) = new {
        for tag in [ALL_STAGES, stage_tag(new.stage)] {
            by_name.insert(name_key(tag, new), &[])?;
            by_change.insert(change_key(tag, new), &[])?;
        }
        contacts.insert(new.id.as_bytes(), encode(new).or_else(abort)?)?;
    }
    Ok(())
}

pub(super) fn not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "contact", id: id.to_string() }
}

//! The store's side of contacts: creating, editing and moving them through
//! the lifecycle, one contact per transaction with everything derived from
//! it, and listing them a page at a time.
//!
//! Invariant: [`put_contact`] is the only way a contact record is written
//! (an import's new contacts aside, which it brackets with a marker); it
//! keeps the stage counters, the organisation index, the ready window and
//! the search delta (which also orders the lists) in step with the record.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::organizations::{find_or_create_org, member_key};
use super::search::put_contact_doc;
use super::{abort, counters, decode, decode_tx, encode_tx, new_id, ready, stage_tag, Store, Tx, TxResult};
use crate::automation::{AutomationOutcome, Changed};
use crate::contact::{Contact, ContactInput};
use crate::error::{Error, Result};
use crate::lifecycle::check_transition;
use crate::score::EngagementSums;
use crate::search::index::ListOrder;
use crate::search::{ContactMatch, DocKey, DocKind, StageCounts};
use crate::stage::{ChangedBy, Stage, StageChange, StageChangeRequest};

/// How a contact list is ordered.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortOrder {
    /// By display name, A–Z.
    #[default]
    Name,
    /// By last name, then first name, A–Z (people lists in the window).
    LastName,
    /// By company A–Z (those without one last), then last name.
    Company,
    /// Highest score first.
    Score,
    /// By lifecycle stage (lead first), then last name.
    Stage,
    /// Soonest open task first (those without one last).
    NextTask,
    /// Most recent activity first (those without one last).
    LastActivity,
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
    /// Search text: the contacts it finds, best match first (the sort order
    /// is not used then).
    pub search: Option<String>,
    /// Order.
    pub sort: SortOrder,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return at most.
    pub limit: u32,
    /// Only contacts with a qualification proposal.
    pub ready_to_qualify: bool,
    /// Only the contacts of this organisation.
    #[ts(optional = nullable)]
    pub organization_id: Option<Uuid>,
    /// Only the contacts this filter matches (a saved view's, or the filter panel's).
    #[ts(optional = nullable)]
    pub filter: Option<crate::filter::ContactFilter>,
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
            organization_id: None,
            filter: None,
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
    /// With search text: why each contact of the page matched (same order).
    #[serde(default)]
    pub matches: Vec<ContactMatch>,
    /// Whether there may be more matches than `total` counts: a search of
    /// one or two letters stops counting after the first page.
    #[serde(default)]
    pub more: bool,
    /// Each contact's phone numbers as the rep reads them (same order as `items`).
    #[serde(default)]
    pub phones_shown: Vec<Vec<String>>,
}

/// A contact's engagement sums inside a transaction.
pub(super) fn sums_tx(tx: &Tx, id: Uuid) -> TxResult<Option<EngagementSums>> {
    tx.engagement.get(id.as_bytes())?.map(|b| decode_tx(&b)).transpose()
}

/// Writes (or with `new` = `None` removes) a contact record inside a
/// transaction, with its list keys, stage counters, organisation index
/// entry, ready window and search entry — and, once team sync is set up,
/// the operations that tell the other replicas.
pub(super) fn put_contact(tx: &Tx, old: Option<&Contact>, new: Option<&Contact>) -> TxResult<()> {
    if let Some(id) = new.or(old).map(|c| c.id) {
        super::sync::record(tx, crate::sync::EntityKind::Contact, id, old, new)?;
    }
    put_contact_keys(tx, old, new)?;
    match (new, old) {
        (Some(new), _) => {
            let sums = sums_tx(tx, new.id)?;
            ready::put(tx, new.id, Some(new), sums.as_ref())?;
            put_contact_doc(tx, new, sums.as_ref())
        }
        (None, Some(old)) => {
            ready::put(tx, old.id, None, None)?;
            super::search::put_doc(tx, DocKey::new(DocKind::Contact, old.id), None)
        }
        (None, None) => Ok(()),
    }
}

/// [`put_contact`] without the ready window and search entry (a restore
/// rebuilds those from the records): the record, the stage counters and
/// the organisation index.
pub(super) fn put_contact_keys(tx: &Tx, old: Option<&Contact>, new: Option<&Contact>) -> TxResult<()> {
    if let Some(old) = old {
        counters::add(tx.counters, &counters::contacts_key(old.stage), -1)?;
        if let Some(org) = old.organization_id {
            tx.by_org.remove(&member_key(org, old.id))?;
        }
    }
    if let Some(new) = new {
        counters::add(tx.counters, &counters::contacts_key(new.stage), 1)?;
        if let Some(org) = new.organization_id {
            tx.by_org.insert(&member_key(org, new.id), &[])?;
        }
        tx.contacts.insert(new.id.as_bytes(), encode_tx(new)?)?;
    } else if let Some(old) = old {
        tx.contacts.remove(old.id.as_bytes())?;
    }
    Ok(())
}

pub(super) fn not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "contact", id: id.to_string() }
}

impl Store {
    /// Creates a contact as a lead (its first stage-history entry).
    pub fn create_contact(&self, input: &ContactInput, by: ChangedBy, now: DateTime<Utc>) -> Result<Contact> {
        let valid = input.validate(self.region())?;
        let id = new_id(now);
        let organization = valid.organization.clone();
        self.save_scored(id, organization.as_deref(), now, |old| {
            if old.is_some() {
                return Err(Error::Storage(format!("id collision for {id}")));
            }
            Ok(Contact::new_lead(id, valid.clone(), by, None, now))
        })
    }

    /// Replaces a contact's editable fields.
    pub fn update_contact(
        &self,
        id: Uuid,
        input: &ContactInput,
        now: DateTime<Utc>,
    ) -> Result<Changed<Contact>> {
        let valid = input.validate(self.region())?;
        let organization = valid.organization.clone();
        let contact = self.save_scored(id, organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            c.apply(valid.clone(), None, now);
            Ok(c)
        })?;
        let mut fired = Vec::new();
        let contact = self.auto_advance(contact, now, &mut fired)?;
        Ok(Changed::new(contact, fired))
    }

    /// Moves a contact to another stage, checked against the lifecycle and
    /// recorded in its stage history, with the outcomes of the rules it fired.
    pub fn change_stage(
        &self,
        id: Uuid,
        request: &StageChangeRequest,
        by: ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Changed<Contact>> {
        let mut fired = Vec::new();
        let contact = self.change_stage_firing(id, request, by, now, &mut fired)?;
        Ok(Changed::new(contact, fired))
    }

    /// [`Store::change_stage`], adding the outcomes of the rules it fires to `fired`.
    pub(super) fn change_stage_firing(
        &self,
        id: Uuid,
        request: &StageChangeRequest,
        by: ChangedBy,
        now: DateTime<Utc>,
        fired: &mut Vec<AutomationOutcome>,
    ) -> Result<Contact> {
        let current = self.raw_contact(id)?;
        let contact = self.save_scored(id, current.organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            let reason = check_transition(c.stage, request.to, request.reason.as_deref(), request.force)?;
            c.stage_history.push(StageChange { from: Some(c.stage), to: request.to, at: now, reason, by });
            c.stage = request.to;
            c.updated_at = now;
            Ok(c)
        })?;
        let event = crate::automation::Event::ContactStageChanged { contact_id: id, to: contact.stage };
        fired.extend(self.run_rules(&[event], now));
        Ok(contact)
    }

    /// Writes one contact in a transaction: builds it from the stored one
    /// with `build`, links (or creates) its organisation by name, and puts
    /// it with everything derived from it.
    pub(super) fn save(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        self.transact(now, |tx| {
            let old: Option<Contact> = match tx.contacts.get(id.as_bytes())? {
                Some(bytes) => Some(decode_tx(&bytes)?),
                None => None,
            };
            let mut new = build(old.clone()).or_else(abort)?;
            match organization {
                Some(name) => {
                    let org = find_or_create_org(tx, name)?;
                    new.organization = Some(org.name);
                    new.organization_id = Some(org.id);
                }
                None => {
                    new.organization = None;
                    new.organization_id = None;
                }
            }
            put_contact(tx, old.as_ref(), Some(&new))?;
            Ok(new)
        })
    }

    /// [`Store::save`], returning the contact with its score as of `now`.
    pub(super) fn save_scored(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        let mut contact = self.save(id, organization, now, build)?;
        self.fill_score(&mut contact, now)?;
        Ok(contact)
    }

    /// One contact as stored (score and proposal not computed).
    pub(crate) fn raw_contact(&self, id: Uuid) -> Result<Contact> {
        let bytes = self.t.contacts.get(id.as_bytes())?.ok_or_else(|| not_found(id))?;
        decode(&bytes)
    }

    /// A contact's display name, if it exists (for lists that link to contacts).
    pub fn display_name(&self, id: Uuid) -> Option<String> {
        self.raw_contact(id).ok().map(|c| c.display_name)
    }

    /// One contact with its effective criteria, score and proposal at `now`.
    pub fn contact(&self, id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let mut contact = self.raw_contact(id)?;
        self.fill_score(&mut contact, now)?;
        Ok(contact)
    }

    /// A page of contacts: by stage and order from the search index's
    /// document orders, the ready ones from their windows, or the search
    /// index's best matches when there is search text. Only the page's
    /// contacts are read.
    pub fn list_contacts(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ContactPage> {
        let offset = query.offset as usize;
        let limit = query.limit as usize;
        let need = offset.saturating_add(limit);
        // Parsed once: the typo automata cost more to build than to run.
        let search = query.search.as_deref().and_then(crate::search::query::Query::parse);
        let filtered = match &query.filter {
            Some(filter) => self.filtered_ids(filter, now)?,
            None => None,
        };
        let mut matches = Vec::new();
        let mut more = false;
        let (ids, total) = match (&search, &filtered) {
            (None, Some(wanted)) => self.filtered_page(wanted, query, now)?,
            (Some(parsed), _) => {
                let ready = if query.ready_to_qualify { Some(self.ready_ids(now)?) } else { None };
                let members: Option<std::collections::HashSet<Uuid>> = match query.organization_id {
                    Some(org) => Some(self.members(org)?.into_iter().collect()),
                    None => None,
                };
                let wanted = filtered.as_ref();
                let keep = move |k: &DocKey| {
                    ready.as_ref().is_none_or(|set| set.contains(&k.id))
                        && members.as_ref().is_none_or(|set| set.contains(&k.id))
                        && wanted.is_none_or(|set| set.contains(&k.id))
                };
                let narrowed = query.ready_to_qualify || query.organization_id.is_some() || wanted.is_some();
                let keep = narrowed.then_some(&keep as &dyn Fn(&DocKey) -> bool);
                let hits = self.search_contacts(parsed, query.stage, keep, need)?;
                more = !hits.complete;
                let found: Vec<_> = hits.top.into_iter().skip(offset).collect();
                let ids = found.iter().map(|(id, _)| *id).collect();
                matches = found;
                (ids, hits.total)
            }
            (None, None) if query.organization_id.is_some() => {
                let org = query.organization_id.unwrap_or_default();
                self.member_page(org, query, now)?
            }
            (None, None) if query.ready_to_qualify => {
                let ready = self.ready_page(query.stage, query.sort, offset, limit, now)?;
                (ready, self.ready_count(query.stage, now)?)
            }
            (None, None) => {
                let order = match query.sort {
                    SortOrder::Name => Some(ListOrder::Name),
                    SortOrder::LastChange => Some(ListOrder::Change),
                    _ => None,
                };
                let stage = query.stage.map(stage_tag);
                let ids = match order {
                    Some(order) => self.with_search_index(|index| index.list(stage, order, offset, limit))?,
                    None => {
                        let all = self.contact_order(query.sort, now)?;
                        let of_stage = all.iter().filter(|(_, s)| query.stage.is_none_or(|want| want == *s));
                        of_stage.skip(offset).take(limit).map(|(id, _)| *id).collect()
                    }
                };
                let total = match query.stage {
                    Some(stage) => counters::get(&self.t.counters, &counters::contacts_key(stage))?,
                    None => self.contact_count()? as u64,
                };
                (ids, u32::try_from(total).unwrap_or(u32::MAX))
            }
        };
        let items = ids.into_iter().map(|id| self.contact(id, now)).collect::<Result<Vec<_>>>()?;
        let matches = match &search {
            Some(q) => items
                .iter()
                .zip(matches)
                .map(|(c, (_, fields))| super::search::contact_match(c, fields, q))
                .collect(),
            None => Vec::new(),
        };
        let region = self.region();
        let phones_shown = items
            .iter()
            .map(|c| c.phones.iter().map(|p| crate::text::display_phone(p, region)).collect())
            .collect();
        Ok(ContactPage { items, total, matches, more, phones_shown })
    }

    /// A page of the contacts in `wanted` (of the query's stage, organisation
    /// and readiness), in the list's order.
    fn filtered_page(
        &self,
        wanted: &HashSet<Uuid>,
        query: &ListQuery,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Uuid>, u32)> {
        let ready = if query.ready_to_qualify { Some(self.ready_ids(now)?) } else { None };
        let members: Option<HashSet<Uuid>> = match query.organization_id {
            Some(org) => Some(self.members(org)?.into_iter().collect()),
            None => None,
        };
        let order = self.contact_order(query.sort, now)?;
        let listed: Vec<Uuid> = order
            .iter()
            .filter(|(id, stage)| {
                wanted.contains(id)
                    && query.stage.is_none_or(|s| s == *stage)
                    && ready.as_ref().is_none_or(|set| set.contains(id))
                    && members.as_ref().is_none_or(|set| set.contains(id))
            })
            .map(|(id, _)| *id)
            .collect();
        let total = u32::try_from(listed.len()).unwrap_or(u32::MAX);
        Ok((listed.into_iter().skip(query.offset as usize).take(query.limit as usize).collect(), total))
    }

    /// A page of an organisation's contacts (of a stage), in the list's order.
    fn member_page(&self, org: Uuid, query: &ListQuery, now: DateTime<Utc>) -> Result<(Vec<Uuid>, u32)> {
        let mut members = Vec::new();
        for id in self.members(org)? {
            let c = self.raw_contact(id)?;
            if query.stage.is_none_or(|s| s == c.stage)
                && (!query.ready_to_qualify || self.is_ready(id, now)?)
            {
                members.push(c);
            }
        }
        let sorted: Vec<Uuid> = match query.sort {
            SortOrder::Name => {
                members.sort_by(|a, b| {
                    (crate::search::sort_key(&a.display_name), a.id)
                        .cmp(&(crate::search::sort_key(&b.display_name), b.id))
                });
                members.iter().map(|c| c.id).collect()
            }
            SortOrder::LastChange => {
                members.sort_by_key(|c| (std::cmp::Reverse(c.updated_at), c.id));
                members.iter().map(|c| c.id).collect()
            }
            sort => self.in_order(&members.iter().map(|c| c.id).collect::<Vec<_>>(), sort, now)?,
        };
        let total = u32::try_from(sorted.len()).unwrap_or(u32::MAX);
        let ids = sorted.into_iter().skip(query.offset as usize).take(query.limit as usize).collect();
        Ok((ids, total))
    }

    /// Contacts per stage, and ready to qualify, of all (from the counters)
    /// or of those matching `search`.
    pub fn stage_counts(&self, search: Option<&str>, now: DateTime<Utc>) -> Result<StageCounts> {
        match search.map(str::trim).filter(|q| !q.is_empty()) {
            Some(text) => {
                let ready = self.ready_ids(now)?;
                self.search_stage_counts(text, &|k: &DocKey| ready.contains(&k.id))
            }
            None => {
                let mut counts = StageCounts::default();
                for stage in Stage::ALL {
                    let n = counters::get(&self.t.counters, &counters::contacts_key(stage))?;
                    counts.set(stage, u32::try_from(n).unwrap_or(u32::MAX));
                    counts.all = counts.all.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
                }
                counts.ready_to_qualify = self.ready_count(None, now)?;
                Ok(counts)
            }
        }
    }

    /// Number of contacts (from the counters).
    pub fn contact_count(&self) -> Result<usize> {
        let mut n = 0u64;
        for stage in Stage::ALL {
            n += counters::get(&self.t.counters, &counters::contacts_key(stage))?;
        }
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}

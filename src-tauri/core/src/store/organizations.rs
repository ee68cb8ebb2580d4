//! The store's side of organisations: found or created by name when a
//! contact names one, listed and searched, edited (contacts follow a new
//! name; their target-group fit follows new data), and the index of each
//! organisation's contacts.
//!
//! Invariant: an organisation, its name key, its search entry and what its
//! contacts derive from it change in one transaction.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::put_contact;
use super::search::put_organization_doc;
use super::{abort, decode, decode_tx, encode_tx, id_from_index_key, lock, new_id, Store, Tx, TxResult};
use crate::automation::Changed;
use crate::contact::{Contact, Organization, OrganizationInput};
use crate::error::{Error, Result};
use crate::search::{DocKey, DocKind, SearchQuery};
use crate::text::fold;

/// Organisations kept in memory at most; the cache starts over beyond.
const CACHED: usize = 4096;

/// A bounded cache of organisations (listing contacts proposes each one's
/// target-group fit from its organisation's data).
#[derive(Default)]
pub(super) struct OrgCache(Mutex<HashMap<Uuid, Organization>>);

impl OrgCache {
    fn get(&self, id: Uuid) -> Option<Organization> {
        lock(&self.0).get(&id).cloned()
    }

    fn put(&self, org: Organization) {
        let mut cache = lock(&self.0);
        if cache.len() >= CACHED {
            cache.clear();
        }
        cache.insert(org.id, org);
    }

    pub(super) fn forget(&self, id: Uuid) {
        lock(&self.0).remove(&id);
    }

    pub(super) fn clear(&self) {
        lock(&self.0).clear();
    }
}

/// Key of a contact in the index of its organisation's contacts.
pub(super) fn member_key(org: Uuid, contact: Uuid) -> [u8; 32] {
    let mut k = [0; 32];
    k[..16].copy_from_slice(org.as_bytes());
    k[16..].copy_from_slice(contact.as_bytes());
    k
}

impl Store {
    /// One organisation from the cache or the store.
    pub(super) fn org_cached(&self, id: Uuid) -> Option<Organization> {
        if let Some(org) = self.orgs.get(id) {
            return Some(org);
        }
        let org: Organization = decode(&self.t.organizations.get(id.as_bytes()).ok()??).ok()?;
        self.orgs.put(org.clone());
        Some(org)
    }

    /// Organisations matching `search` (the search index: typo tolerant,
    /// best first), or the first `limit` by name when `None`.
    pub fn organizations(&self, search: Option<&str>, limit: usize) -> Result<Vec<Organization>> {
        if let Some(text) = search.filter(|s| !s.trim().is_empty()) {
            let request = SearchQuery {
                text: text.to_owned(),
                kind: Some(DocKind::Organization),
                limit: u32::try_from(limit).unwrap_or(u32::MAX),
                per_kind: false,
            };
            return Ok(self.search(&request)?.hits.iter().filter_map(|h| self.org_cached(h.id)).collect());
        }
        let mut out = Vec::new();
        for entry in self.t.org_by_name.iter().take(limit) {
            let (_, id) = entry?;
            let bytes = self
                .t
                .organizations
                .get(&id)?
                .ok_or_else(|| Error::Storage("dangling organisation".into()))?;
            out.push(decode(&bytes)?);
        }
        Ok(out)
    }

    /// One organisation.
    pub fn organization(&self, id: Uuid) -> Result<Organization> {
        self.org_cached(id).ok_or_else(|| Error::NotFound { kind: "organization", id: id.to_string() })
    }

    /// The ids of an organisation's contacts.
    pub(super) fn members(&self, org: Uuid) -> Result<Vec<Uuid>> {
        self.t.by_org.scan_prefix(org.as_bytes()).keys().map(|k| id_from_index_key(&k?)).collect()
    }

    /// How many contacts an organisation has, and how many open deals they
    /// have (open by `stages`, the settings' deal stages).
    pub fn organization_counts(
        &self,
        org: Uuid,
        stages: &[crate::deal::DealStageSetting],
    ) -> Result<(u32, u32)> {
        let members = self.members(org)?;
        let mut open = 0u32;
        for id in &members {
            for deal in self.contact_deals(*id)? {
                if crate::deal::outcome_of(stages, &deal.stage) == crate::deal::StageOutcome::Open {
                    open += 1;
                }
            }
        }
        Ok((u32::try_from(members.len()).unwrap_or(u32::MAX), open))
    }

    /// Edits an organisation's name and data; contacts follow a new name.
    /// Its data may make its contacts fit the target group: their ready
    /// windows are recomputed, and with auto-advance on the proposals that
    /// brings are applied.
    pub fn update_organization(
        &self,
        id: Uuid,
        input: &OrganizationInput,
        now: DateTime<Utc>,
    ) -> Result<Changed<Organization>> {
        let old = self.organization(id)?;
        let mut org = old.clone();
        input.apply(&mut org, now)?;
        let (old_key, new_key) = (fold(&old.name), fold(&org.name));
        let members = self.members(id)?;
        self.transact(now, |tx| {
            if new_key != old_key {
                if tx.org_by_name.get(new_key.as_bytes())?.is_some() {
                    return abort(exists(&org.name));
                }
                tx.org_by_name.remove(old_key.as_bytes())?;
                tx.org_by_name.insert(new_key.as_bytes(), id.as_bytes())?;
            }
            tx.organizations.insert(id.as_bytes(), encode_tx(&org)?)?;
            put_organization_doc(tx, &org)?;
            super::sync::record_org(tx, Some(&old), Some(&org))?;
            for member in &members {
                let Some(bytes) = tx.contacts.get(member.as_bytes())? else { continue };
                let before: Contact = decode_tx(&bytes)?;
                let mut after = before.clone();
                after.organization = Some(org.name.clone());
                put_contact(tx, Some(&before), Some(&after))?;
            }
            Ok(())
        })?;
        self.orgs.forget(id);
        let mut fired = Vec::new();
        self.auto_advance_ready(Some(&members), now, &mut fired)?;
        Ok(Changed::new(org, fired))
    }

    /// Creates an organisation of its own (before any contact names it).
    /// Refused when one of that name (case and accents aside) exists.
    pub fn create_organization(&self, input: &OrganizationInput, now: DateTime<Utc>) -> Result<Organization> {
        let mut org = Organization {
            id: new_id(now),
            name: String::new(),
            industry: None,
            size: None,
            postcode: None,
            region: None,
            street: None,
            city: None,
            country: None,
            pin: None,
            created_at: now,
            updated_at: now,
        };
        input.apply(&mut org, now)?;
        let key = fold(&org.name);
        self.transact(now, |tx| {
            if tx.org_by_name.get(key.as_bytes())?.is_some() {
                return abort(exists(&org.name));
            }
            tx.organizations.insert(org.id.as_bytes(), encode_tx(&org)?)?;
            tx.org_by_name.insert(key.as_bytes(), org.id.as_bytes())?;
            put_organization_doc(tx, &org)?;
            super::sync::record_org(tx, None, Some(&org))
        })?;
        Ok(org)
    }

    /// Merges organisation `other` into `survivor`: its contacts and their
    /// deals move over, the survivor's empty fields take the other's data,
    /// and `other` is gone (its name no longer finds anything). One
    /// transaction.
    pub fn merge_organizations(
        &self,
        survivor: Uuid,
        other: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Changed<Organization>> {
        if survivor == other {
            return Err(Error::InvalidInput {
                field: "other",
                reason: "an organisation cannot merge into itself".into(),
            });
        }
        let gone = self.organization(other)?;
        let before = self.organization(survivor)?;
        let mut kept = before.clone();
        kept.industry = kept.industry.take().or(gone.industry.clone());
        kept.size = kept.size.or(gone.size);
        kept.postcode = kept.postcode.take().or(gone.postcode.clone());
        kept.region = kept.region.take().or(gone.region.clone());
        kept.street = kept.street.take().or(gone.street.clone());
        kept.city = kept.city.take().or(gone.city.clone());
        kept.country = kept.country.take().or(gone.country.clone());
        kept.pin = kept.pin.take().or(gone.pin);
        kept.updated_at = now;
        let members = self.members(other)?;
        let mut deals = Vec::new();
        for m in &members {
            deals.extend(self.contact_deals(*m)?.into_iter().filter(|d| d.organization_id == Some(other)));
        }
        self.transact(now, |tx| {
            tx.organizations.insert(survivor.as_bytes(), encode_tx(&kept)?)?;
            put_organization_doc(tx, &kept)?;
            super::sync::record_org(tx, Some(&before), Some(&kept))?;
            super::sync::record_org(tx, Some(&gone), None)?;
            for member in &members {
                let Some(bytes) = tx.contacts.get(member.as_bytes())? else { continue };
                let before: Contact = decode_tx(&bytes)?;
                let mut after = before.clone();
                after.organization = Some(kept.name.clone());
                after.organization_id = Some(survivor);
                after.updated_at = now;
                put_contact(tx, Some(&before), Some(&after))?;
            }
            for deal in &deals {
                let mut moved = deal.clone();
                moved.organization_id = Some(survivor);
                super::deals::put_deal(tx, deal.id, Some(deal), Some(&moved))?;
            }
            tx.organizations.remove(other.as_bytes())?;
            tx.org_by_name.remove(fold(&gone.name).as_bytes())?;
            super::search::put_doc(tx, DocKey::new(DocKind::Organization, other), None)
        })?;
        self.orgs.forget(survivor);
        self.orgs.forget(other);
        let mut fired = Vec::new();
        self.auto_advance_ready(Some(&members), now, &mut fired)?;
        Ok(Changed::new(kept, fired))
    }

    /// The organisation named `name` (folded), if there is one.
    pub(super) fn organization_named(&self, name: &str) -> Result<Option<Organization>> {
        match self.t.org_by_name.get(fold(name).as_bytes())? {
            Some(id) => Ok(Uuid::from_slice(&id).ok().and_then(|id| self.org_cached(id))),
            None => Ok(None),
        }
    }
}

fn exists(name: &str) -> Error {
    Error::InvalidInput { field: "name", reason: format!("an organisation named {name:?} exists already") }
}

/// The organisation named `name` inside a transaction, created (with its
/// search entry) when there is none.
pub(super) fn find_or_create_org(tx: &Tx, name: &str) -> TxResult<Organization> {
    let key = fold(name);
    if let Some(id) = tx.org_by_name.get(key.as_bytes())? {
        if let Some(bytes) = tx.organizations.get(&id)? {
            return decode_tx(&bytes);
        }
    }
    let org = Organization {
        id: new_id(tx.now),
        name: name.to_owned(),
        industry: None,
        size: None,
        postcode: None,
        region: None,
        street: None,
        city: None,
        country: None,
        pin: None,
        created_at: tx.now,
        updated_at: tx.now,
    };
    tx.organizations.insert(org.id.as_bytes(), encode_tx(&org)?)?;
    tx.org_by_name.insert(key.as_bytes(), org.id.as_bytes())?;
    put_organization_doc(tx, &org)?;
    super::sync::record_org(tx, None, Some(&org))?;
    Ok(org)
}

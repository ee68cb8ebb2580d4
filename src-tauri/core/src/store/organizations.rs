//! The store's side of organisations: found or created by name when a
//! contact names one, listed by name, edited (contacts follow a new name).

use chrono::{DateTime, Utc};
use sled::transaction::TransactionalTree;
use sled::Transactional;
use uuid::Uuid;

use super::contacts::not_found;
use super::TxResult;
use super::{abort, decode, encode, new_id, read, write, Store};
use crate::contact::{Organization, OrganizationInput};
use crate::error::{Error, Result};
use crate::text::fold;

impl Store {
    /// Organisations whose name contains `search` (all when `None`), A–Z.
    pub fn organizations(&self, search: Option<&str>, limit: usize) -> Result<Vec<Organization>> {
        let needle = search.map(fold).unwrap_or_default();
        let needle = needle.trim();
        let mut out = Vec::new();
        for entry in self.org_by_name.iter() {
            let (key, id) = entry?;
            if !needle.is_empty() && !String::from_utf8_lossy(&key).contains(needle) {
                continue;
            }
            let bytes =
                self.organizations.get(&id)?.ok_or_else(|| Error::Storage("dangling organisation".into()))?;
            out.push(decode(&bytes)?);
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// One organisation.
    pub fn organization(&self, id: Uuid) -> Result<Organization> {
        read(&self.orgs)
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::NotFound { kind: "organization", id: id.to_string() })
    }

    /// Edits an organisation's name and data; contacts follow a new name.
    /// Its data may make its contacts fit the target group: with
    /// auto-advance on, proposals that brings are applied.
    pub fn update_organization(
        &self,
        id: Uuid,
        input: &OrganizationInput,
        now: DateTime<Utc>,
    ) -> Result<Organization> {
        let old = self.organization(id)?;
        let mut org = old.clone();
        input.apply(&mut org, now)?;
        let (old_key, new_key) = (fold(&old.name), fold(&org.name));
        let record = encode(&org)?;
        (&self.organizations, &self.org_by_name).transaction(|(orgs, by_name)| {
            if new_key != old_key {
                if by_name.get(new_key.as_bytes())?.is_some() {
                    return abort(Error::InvalidInput {
                        field: "name",
                        reason: format!("an organisation named {:?} exists already", org.name),
                    });
                }
                by_name.remove(old_key.as_bytes())?;
                by_name.insert(new_key.as_bytes(), id.as_bytes())?;
            }
            orgs.insert(id.as_bytes(), record.as_slice())?;
            Ok(())
        })?;
        self.db.flush()?;
        write(&self.orgs).insert(id, org.clone());
        let members: Vec<Uuid> =
            self.search().docs().filter(|d| d.organization_id == Some(id)).map(|d| d.id).collect();
        if org.name != old.name {
            for &member in &members {
                self.save(member, Some(&org.name), now, |c| c.ok_or_else(|| not_found(member)))?;
            }
        }
        self.auto_advance_ready(Some(&members), now)?;
        Ok(org)
    }
}

pub(super) fn find_or_create_org(
    orgs: &TransactionalTree,
    org_by_name: &TransactionalTree,
    name: &str,
    now: DateTime<Utc>,
) -> TxResult<Organization> {
    let key = fold(name);
    if let Some(id) = org_by_name.get(key.as_bytes())? {
        if let Some(bytes) = orgs.get(&id)? {
            return decode(&bytes).or_else(abort);
        }
    }
    let org = Organization {
        id: new_id(now),
        name: name.to_owned(),
        industry: None,
        size: None,
        postcode: None,
        region: None,
        created_at: now,
        updated_at: now,
    };
    orgs.insert(org.id.as_bytes(), encode(&org).or_else(abort)?)?;
    org_by_name.insert(key.as_bytes(), org.id.as_bytes())?;
    Ok(org)
}

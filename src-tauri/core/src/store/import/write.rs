//! Writing an import batch: readied (organisations, links, records,
//! counts, search documents) on the planning thread, written on the
//! writer's, and completed at the next open when the process died midway.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Op, PENDING_IMPORT};
use crate::contact::{Contact, Organization};
use crate::error::Result;
use crate::search::segment::Builder;
use crate::stage::Stage;
use crate::store::contacts::put_contact;
use crate::store::organizations::{find_or_create_org, member_key};
use crate::store::ready::{effective, window_of};
use crate::store::search::{indexed_contact, put_organization_doc, IMPORT_UNINDEXED};
use crate::store::{counters, decode, decode_tx, encode, encode_tx, ready, Rebuild, Store};

/// An import batch ready to write (see [`Store::prepare_import_batch`]).
#[derive(Default)]
pub(super) struct Prepared {
    /// Merges into contacts stored before, whole.
    pub(super) merged: Vec<Contact>,
    /// The new contacts' ids, records and organisation keys.
    pub(super) ids: Vec<Uuid>,
    pub(super) records: sled::Batch,
    pub(super) by_org: sled::Batch,
    /// New contacts ready to qualify already.
    pub(super) ready_now: Vec<Contact>,
    pub(super) per_stage: HashMap<Stage, i64>,
    pub(super) docs: Vec<crate::search::IndexedDoc>,
}

impl Store {
    /// Readies one import batch for the writer: organisations this import
    /// has not met yet are found or created (cards fill in postcode and
    /// region), contacts linked to theirs, and the new contacts encoded with
    /// their organisation keys, whether they are ready to qualify, and their
    /// search documents. Runs beside the writer, so that it only writes.
    pub(super) fn prepare_import_batch(
        &self,
        ops: Vec<Op>,
        merged: Vec<Contact>,
        known: &mut HashMap<String, Organization>,
        now: DateTime<Utc>,
    ) -> Result<Prepared> {
        let mut names: Vec<&str> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Contact(c) => c.organization.as_deref(),
                Op::Organization { name, .. } => Some(name.as_str()),
            })
            .chain(merged.iter().filter_map(|c| c.organization.as_deref()))
            .filter(|name| !known.contains_key(*name))
            .collect();
        names.sort_unstable();
        names.dedup();
        let cards: Vec<(&str, &Option<String>, &Option<String>)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Organization { name, postcode, region } if postcode.is_some() || region.is_some() => {
                    Some((name.as_str(), postcode, region))
                }
                _ => None,
            })
            .collect();
        if !names.is_empty() || !cards.is_empty() {
            let found: HashMap<String, Organization> = self.transact(now, |tx| {
                let mut found = HashMap::new();
                for name in &names {
                    found.insert((*name).to_owned(), find_or_create_org(tx, name)?);
                }
                for (name, postcode, region) in &cards {
                    let Some(id) = found.get(*name).or_else(|| known.get(*name)).map(|o| o.id) else {
                        continue;
                    };
                    let Some(bytes) = tx.organizations.get(id.as_bytes())? else { continue };
                    let mut org: Organization = decode_tx(&bytes)?;
                    if org.postcode.is_none() && postcode.is_some()
                        || org.region.is_none() && region.is_some()
                    {
                        let before = org.clone();
                        org.postcode = org.postcode.clone().or_else(|| (*postcode).clone());
                        org.region = org.region.clone().or_else(|| (*region).clone());
                        tx.organizations.insert(org.id.as_bytes(), encode_tx(&org)?)?;
                        put_organization_doc(tx, &org)?;
                        crate::store::sync::record_org(tx, Some(&before), Some(&org))?;
                        found.insert((*name).to_owned(), org);
                    }
                }
                Ok(found)
            })?;
            for org in found.values() {
                self.orgs.forget(org.id);
            }
            known.extend(found);
        }
        let link = |c: &mut Contact| {
            if let Some(org) = c.organization.as_deref().and_then(|name| known.get(name)) {
                c.organization = Some(org.name.clone());
                c.organization_id = Some(org.id);
            }
        };
        let mut prepared = Prepared::default();
        for mut c in merged {
            link(&mut c);
            prepared.merged.push(c);
        }
        let settings = self.settings();
        let by_id: HashMap<Uuid, &Organization> = known.values().map(|o| (o.id, o)).collect();
        for op in ops {
            let Op::Contact(mut c) = op else { continue };
            link(&mut c);
            prepared.records.insert(c.id.as_bytes().as_slice(), encode(&*c)?);
            if let Some(org) = c.organization_id {
                prepared.by_org.insert(member_key(org, c.id).as_slice(), &[]);
            }
            let org = c.organization_id.and_then(|id| by_id.get(&id).copied());
            let criteria = effective(&c, org, &settings);
            *prepared.per_stage.entry(c.stage).or_default() += 1;
            prepared.ids.push(c.id);
            prepared.docs.push(indexed_contact(&c, None));
            if window_of(c.stage, &criteria, None, &settings.scoring, now).is_some() {
                prepared.ready_now.push(*c);
            }
        }
        Ok(prepared)
    }

    /// Writes one prepared import batch, and adds its new contacts to
    /// `docs` for the search index.
    ///
    /// Merges into existing contacts are written in a transaction. New
    /// contacts and their organisation keys go in as one sled batch per
    /// tree (a transaction over thousands of records costs several times
    /// more), bracketed by a marker that names them; their ready windows and
    /// the counters follow in a transaction. Should the process die in
    /// between, [`Store::finish_interrupted_import`] completes them from the
    /// records at the next open, so no record ends half-written.
    pub(super) fn write_import_batch(
        &self,
        batch: Prepared,
        docs: &mut Builder,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !batch.merged.is_empty() {
            self.transact(now, |tx| {
                for c in &batch.merged {
                    let Some(bytes) = tx.contacts.get(c.id.as_bytes())? else { continue };
                    let old: Contact = decode_tx(&bytes)?;
                    put_contact(tx, Some(&old), Some(c))?;
                }
                Ok(())
            })?;
        }
        if batch.ids.is_empty() {
            return Ok(());
        }
        self.t.meta.insert(PENDING_IMPORT, encode(&batch.ids)?)?;
        self.t.contacts.apply_batch(batch.records)?;
        self.t.by_org.apply_batch(batch.by_org)?;
        self.transact(now, |tx| {
            crate::store::sync::record_new_contacts(tx, &batch.ids)?;
            for c in &batch.ready_now {
                ready::put(tx, c.id, Some(c), None)?;
            }
            for (stage, n) in &batch.per_stage {
                counters::add(tx.counters, &counters::contacts_key(*stage), *n)?;
            }
            tx.meta.remove(PENDING_IMPORT)?;
            Ok(())
        })?;
        for doc in batch.docs {
            docs.add(doc);
        }
        Ok(())
    }

    /// Completes an import batch the process did not finish (see
    /// [`Store::write_import_batch`]): every new contact it names that was
    /// written gets its organisation key, ready window and count, in one
    /// transaction with the marker's removal; the search index is rebuilt.
    /// Runs at open.
    pub(in crate::store) fn finish_interrupted_import(&self) -> Result<()> {
        if self.t.meta.get(IMPORT_UNINDEXED)?.is_some() {
            self.mark_rebuild(Rebuild::SEARCH)?;
        }
        let Some(bytes) = self.t.meta.get(PENDING_IMPORT)? else { return Ok(()) };
        let ids: Vec<Uuid> = decode(&bytes)?;
        let mut contacts = Vec::new();
        for id in &ids {
            if let Some(bytes) = self.t.contacts.get(id.as_bytes())? {
                contacts.push(decode::<Contact>(&bytes)?);
            }
        }
        // Times only matter for windows of activities ahead; new contacts have none.
        self.transact(DateTime::UNIX_EPOCH, |tx| {
            // Team sync's operations went with the marker too.
            crate::store::sync::record_new_contacts(tx, &ids)?;
            // The marker leaves with the batch's counts: still here, they are missing.
            for c in &contacts {
                if let Some(org) = c.organization_id {
                    tx.by_org.insert(&member_key(org, c.id), &[])?;
                }
                counters::add(tx.counters, &counters::contacts_key(c.stage), 1)?;
                ready::put(tx, c.id, Some(c), None)?;
            }
            tx.meta.remove(PENDING_IMPORT)?;
            Ok(())
        })?;
        self.mark_rebuild(Rebuild::SEARCH)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::import::{self, ImportOptions};
    use crate::store::ListQuery;

    #[test]
    fn an_import_batch_cut_off_before_its_counts_is_completed_at_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let options = ImportOptions::default();
        let csv = "Vorname,Nachname,E-Mail\nAnna,Schmidt,anna@x.de\nBen,Meier,ben@x.de\n";
        let parsed = import::parse(csv.as_bytes(), "a.csv", &options).unwrap();
        store.import(parsed, "a.csv", &options, false, |_, _| true, now).unwrap();
        let anna = store.all_contacts().unwrap().into_iter().find(|c| c.first_name == "Anna").unwrap();
        // The process died after the records were written, before their
        // counts and windows: the marker is there and Anna is not counted.
        store.t.meta.insert(PENDING_IMPORT, encode(&vec![anna.id]).unwrap()).unwrap();
        store.t.counters.insert(counters::contacts_key(Stage::Lead), &1u64.to_be_bytes()).unwrap();
        store.db.flush().unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let page = store.list_contacts(&ListQuery::default(), now).unwrap();
        let names: Vec<&str> = page.items.iter().map(|c| c.display_name.as_str()).collect();
        assert_eq!(names, ["Anna Schmidt", "Ben Meier"]);
        assert!(store.t.meta.get(PENDING_IMPORT).unwrap().is_none());
        let leads =
            store.list_contacts(&ListQuery { stage: Some(Stage::Lead), ..Default::default() }, now).unwrap();
        assert_eq!((leads.items.len(), leads.total), (2, 2));
        assert_eq!(store.stage_counts(None, now).unwrap().lead, 2);
    }
}

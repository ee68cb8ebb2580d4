//! The integrity check (`kontor doctor`): every record decodes, every index,
//! counter and search entry matches the records, every reference
//! resolves. Repair rebuilds all derived data from the records and never
//! deletes a record.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::deals::{contact_index_key, stage_index_key};
use super::organizations::member_key;
use super::{counters, decode, Rebuild, Store, REBUILD};
use crate::activity::Activity;
use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::error::Result;
use crate::search::{DocKey, DocKind};
use crate::stage::Stage;
use crate::task::Task;

/// One thing the check found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Problem {
    /// What it concerns: contact, organization, activity, task, deal,
    /// counter, index or search.
    pub kind: String,
    /// The record's id (or the counter's / index's name).
    pub id: String,
    /// What is wrong, in English.
    pub problem: String,
}

/// What the check read and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Checkup {
    /// Records read, per kind.
    #[ts(type = "Record<string, number>")]
    pub records: BTreeMap<String, u64>,
    /// Everything found wrong (empty when healthy).
    pub problems: Vec<Problem>,
}

/// What a repair changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Repair {
    /// The problems found before.
    pub before: Vec<Problem>,
    /// The problems left after rebuilding (records that do not decode or
    /// whose references point nowhere: a repair deletes no record).
    pub after: Vec<Problem>,
}

fn problem(kind: &str, id: impl ToString, what: impl Into<String>) -> Problem {
    Problem { kind: kind.into(), id: id.to_string(), problem: what.into() }
}

/// Calls `each` with every record of one tree that decodes, and notes a
/// problem for each that does not (records are not kept: a large store's
/// activities would not fit beside the app).
fn each_record<T: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    kind: &str,
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(T),
) -> Result<()> {
    for kv in tree.iter() {
        let (key, value) = kv?;
        match decode::<T>(&value) {
            Ok(record) => each(record),
            Err(e) => {
                let id = key.len().checked_sub(16).and_then(|s| Uuid::from_slice(&key[s..]).ok());
                let id = id.map_or_else(|| format!("{key:?}"), |id| id.to_string());
                problems.push(problem(kind, id, format!("does not decode: {e}")));
            }
        }
    }
    Ok(())
}

/// What the check keeps of each record: ids, references, stages.
#[derive(Default)]
struct Slim {
    /// (id, organisation, stage)
    contacts: Vec<(Uuid, Option<Uuid>, Stage)>,
    orgs: Vec<Uuid>,
    /// (id, contact, key in the activities tree)
    activities: Vec<(Uuid, Uuid, Vec<u8>)>,
    /// (id, contact, deal)
    tasks: Vec<(Uuid, Option<Uuid>, Option<Uuid>)>,
    /// (id, contact, stage)
    deals: Vec<(Uuid, Uuid, String)>,
}

impl Store {
    fn slim_records(&self, p: &mut Vec<Problem>) -> Result<Slim> {
        let mut s = Slim::default();
        each_record(&self.t.contacts, "contact", p, |c: Contact| {
            s.contacts.push((c.id, c.organization_id, c.stage));
        })?;
        each_record(&self.t.organizations, "organization", p, |o: Organization| s.orgs.push(o.id))?;
        each_record(&self.t.activities, "activity", p, |a: Activity| {
            s.activities.push((a.id, a.contact_id, super::activities::activity_key(&a)));
        })?;
        each_record(&self.t.tasks, "task", p, |t: Task| s.tasks.push((t.id, t.contact_id, t.deal_id)))?;
        each_record(&self.t.deals, "deal", p, |d: Deal| s.deals.push((d.id, d.contact_id, d.stage)))?;
        Ok(s)
    }
}

/// Compares an index tree's keys with the keys the records say it holds.
fn same_keys(
    tree: &sled::Tree,
    name: &str,
    want: HashSet<Vec<u8>>,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let mut missing = want;
    let mut extra = 0usize;
    for key in tree.iter().keys() {
        if !missing.remove(key?.as_ref()) {
            extra += 1;
        }
    }
    if !missing.is_empty() || extra > 0 {
        problems.push(problem(
            "index",
            name,
            format!("{} entries missing, {extra} without their record", missing.len()),
        ));
    }
    Ok(())
}

impl Store {
    /// Reads every record and checks it against the derived data and its
    /// references. Takes a while on a large store (it reads everything).
    pub fn doctor(&self) -> Result<Checkup> {
        let mut p = Vec::new();
        let s = self.slim_records(&mut p)?;
        let mut out = Checkup::default();
        for (kind, n) in [
            ("contacts", s.contacts.len()),
            ("organizations", s.orgs.len()),
            ("activities", s.activities.len()),
            ("tasks", s.tasks.len()),
            ("deals", s.deals.len()),
        ] {
            out.records.insert(kind.into(), n as u64);
        }

        // References.
        let contact_ids: HashSet<Uuid> = s.contacts.iter().map(|c| c.0).collect();
        let org_ids: HashSet<Uuid> = s.orgs.iter().copied().collect();
        let deal_ids: HashSet<Uuid> = s.deals.iter().map(|d| d.0).collect();
        for (id, org, _) in &s.contacts {
            if let Some(org) = org.filter(|o| !org_ids.contains(o)) {
                p.push(problem("contact", id, format!("its organisation {org} does not exist")));
            }
        }
        for (id, contact, _) in &s.activities {
            if !contact_ids.contains(contact) {
                p.push(problem("activity", id, format!("its contact {contact} does not exist")));
            }
        }
        for (id, contact, deal) in &s.tasks {
            if let Some(c) = contact.filter(|c| !contact_ids.contains(c)) {
                p.push(problem("task", id, format!("its contact {c} does not exist")));
            }
            if let Some(d) = deal.filter(|d| !deal_ids.contains(d)) {
                p.push(problem("task", id, format!("its deal {d} does not exist")));
            }
        }
        for (id, contact, _) in &s.deals {
            if !contact_ids.contains(contact) {
                p.push(problem("deal", id, format!("its contact {contact} does not exist")));
            }
        }

        // Counters.
        for stage in Stage::ALL {
            let counted = counters::get(&self.t.counters, &counters::contacts_key(stage))?;
            let found = s.contacts.iter().filter(|c| c.2 == stage).count() as u64;
            if counted != found {
                p.push(problem(
                    "counter",
                    format!("contacts.{stage}"),
                    format!("says {counted}, the records hold {found}"),
                ));
            }
        }

        // Indexes.
        let members =
            s.contacts.iter().filter_map(|(id, org, _)| org.map(|o| member_key(o, *id).to_vec())).collect();
        same_keys(&self.t.by_org, "contacts by organisation", members, &mut p)?;
        let by_stage = s.deals.iter().map(|(id, _, stage)| stage_index_key(stage, *id)).collect();
        same_keys(&self.t.deals_by_stage, "deals by stage", by_stage, &mut p)?;
        let by_contact = s.deals.iter().map(|(id, contact, _)| contact_index_key(*contact, *id)).collect();
        same_keys(&self.t.deals_by_contact, "deals by contact", by_contact, &mut p)?;
        let activity_keys = s.activities.iter().map(|a| a.0.as_bytes().to_vec()).collect();
        same_keys(&self.t.activity_keys, "activity keys", activity_keys, &mut p)?;

        // Search: one document per contact, organisation and deal, none more.
        let mut want: HashSet<DocKey> = HashSet::new();
        want.extend(s.contacts.iter().map(|c| DocKey::new(DocKind::Contact, c.0)));
        want.extend(s.orgs.iter().map(|o| DocKey::new(DocKind::Organization, *o)));
        want.extend(s.deals.iter().map(|d| DocKey::new(DocKind::Deal, d.0)));
        if !self.needs_rebuild() {
            let indexed = self.with_search_index(|index| Ok(index.live_keys()))?;
            let missing = want.iter().filter(|k| !indexed.contains(k)).count();
            let extra = indexed.iter().filter(|k| !want.contains(k)).count();
            if missing > 0 || extra > 0 {
                p.push(problem(
                    "search",
                    "index",
                    format!("{missing} records missing from it, {extra} entries without their record"),
                ));
            }
        }
        out.problems = p;
        Ok(out)
    }

    /// Rebuilds all derived data from the records (counters, indexes,
    /// engagement sums, ready windows, the search index) and checks again.
    /// Deletes no record.
    pub fn repair(&self, now: DateTime<Utc>) -> Result<Repair> {
        let before = self.doctor()?.problems;
        let s = self.slim_records(&mut Vec::new())?;
        let old: Vec<Vec<sled::IVec>> =
            [&self.t.deals_by_stage, &self.t.deals_by_contact, &self.t.activity_keys]
                .iter()
                .map(|t| t.iter().keys().collect::<sled::Result<_>>())
                .collect::<sled::Result<_>>()?;
        self.transact(now, |tx| {
            for (tree, keys) in [tx.deals_by_stage, tx.deals_by_contact, tx.activity_keys].iter().zip(&old) {
                for k in keys {
                    tree.remove(k)?;
                }
            }
            for (id, contact, stage) in &s.deals {
                tx.deals_by_stage.insert(stage_index_key(stage, *id), &[])?;
                tx.deals_by_contact.insert(contact_index_key(*contact, *id), &[])?;
            }
            for (id, _, key) in &s.activities {
                tx.activity_keys.insert(id.as_bytes(), key.as_slice())?;
            }
            for stage in Stage::ALL {
                let n = s.contacts.iter().filter(|c| c.2 == stage).count() as u64;
                tx.counters.insert(&counters::contacts_key(stage), &n.to_be_bytes())?;
            }
            tx.meta.insert(REBUILD, &[Rebuild::SEARCH.0 | Rebuild::CONTACTS.0])?;
            Ok(())
        })?;
        drop((s, old));
        self.count_task_buckets()?;
        self.rebuild_engagement_sums(now)?;
        self.rebuilding.store(true, std::sync::atomic::Ordering::SeqCst);
        self.rebuild_derived(now)?;
        Ok(Repair { before, after: self.doctor()?.problems })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::contact::ContactInput;
    use crate::deal::DealInput;
    use crate::ChangedBy;

    #[test]
    fn the_check_finds_what_is_out_of_step_and_repair_mends_it_without_deleting() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let input = |first: &str| ContactInput {
            first_name: first.into(),
            last_name: "Muster".into(),
            organization: Some("Acme AG".into()),
            ..Default::default()
        };
        let anna = store.create_contact(&input("Anna"), ChangedBy::Hand, now).unwrap();
        store.create_contact(&input("Ben"), ChangedBy::Hand, now).unwrap();
        let deal =
            DealInput { contact_id: anna.id, title: "Wartung".into(), value: 100.0, ..Default::default() };
        store.create_deal(&deal, now).unwrap();
        store.merge_search_delta(now).unwrap();
        assert_eq!(store.doctor().unwrap().problems, vec![], "a store written through the API is healthy");

        // Out of step: a counter, an index entry, a search entry.
        let lead = counters::contacts_key(Stage::Lead);
        store.t.counters.insert(lead, &7u64.to_be_bytes()).unwrap();
        let member = store.t.by_org.iter().keys().next().unwrap().unwrap();
        store.t.by_org.remove(member).unwrap();
        store.t.deals_by_stage.insert(b"ghost\0xxxxxxxxxxxxxxxx", &[]).unwrap();
        // Cem's search entry (still in the delta) is lost.
        store.create_contact(&input("Cem"), ChangedBy::Hand, now).unwrap();
        store.t.search_delta.clear().unwrap();
        store.search.reset();
        let problems = store.doctor().unwrap().problems;
        let kinds: Vec<&str> = problems.iter().map(|p| p.kind.as_str()).collect();
        assert!(kinds.contains(&"counter"), "{problems:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "index").count(), 2, "{problems:?}");
        assert!(kinds.contains(&"search"), "{problems:?}");

        let repair = store.repair(now).unwrap();
        assert_eq!(repair.before, problems);
        assert_eq!(repair.after, vec![]);
        assert_eq!(store.record_counts().unwrap().contacts, 3, "no record deleted");
        assert_eq!(store.stage_counts(None, now).unwrap().all, 3);
        let found =
            store.search(&crate::SearchQuery { text: "Cem".into(), kind: None, limit: 5, per_kind: false });
        assert_eq!(found.unwrap().contacts, 1, "search finds Cem again");
    }
}

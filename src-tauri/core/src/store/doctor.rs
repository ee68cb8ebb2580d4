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

/// The records of one tree that decode, with a problem for each that does not.
fn records<T: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    kind: &str,
    problems: &mut Vec<Problem>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for kv in tree.iter() {
        let (key, value) = kv?;
        match decode::<T>(&value) {
            Ok(record) => out.push(record),
            Err(e) => {
                let id = key.len().checked_sub(16).and_then(|s| Uuid::from_slice(&key[s..]).ok());
                let id = id.map_or_else(|| format!("{key:?}"), |id| id.to_string());
                problems.push(problem(kind, id, format!("does not decode: {e}")));
            }
        }
    }
    Ok(out)
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
        let contacts: Vec<Contact> = records(&self.t.contacts, "contact", &mut p)?;
        let orgs: Vec<Organization> = records(&self.t.organizations, "organization", &mut p)?;
        let activities: Vec<Activity> = records(&self.t.activities, "activity", &mut p)?;
        let tasks: Vec<Task> = records(&self.t.tasks, "task", &mut p)?;
        let deals: Vec<Deal> = records(&self.t.deals, "deal", &mut p)?;
        let mut out = Checkup::default();
        for (kind, n) in [
            ("contacts", contacts.len()),
            ("organizations", orgs.len()),
            ("activities", activities.len()),
            ("tasks", tasks.len()),
            ("deals", deals.len()),
        ] {
            out.records.insert(kind.into(), n as u64);
        }

        // References.
        let contact_ids: HashSet<Uuid> = contacts.iter().map(|c| c.id).collect();
        let org_ids: HashSet<Uuid> = orgs.iter().map(|o| o.id).collect();
        let deal_ids: HashSet<Uuid> = deals.iter().map(|d| d.id).collect();
        for c in &contacts {
            if let Some(org) = c.organization_id.filter(|o| !org_ids.contains(o)) {
                p.push(problem("contact", c.id, format!("its organisation {org} does not exist")));
            }
        }
        for a in &activities {
            if !contact_ids.contains(&a.contact_id) {
                p.push(problem("activity", a.id, format!("its contact {} does not exist", a.contact_id)));
            }
        }
        for t in &tasks {
            if let Some(c) = t.contact_id.filter(|c| !contact_ids.contains(c)) {
                p.push(problem("task", t.id, format!("its contact {c} does not exist")));
            }
            if let Some(d) = t.deal_id.filter(|d| !deal_ids.contains(d)) {
                p.push(problem("task", t.id, format!("its deal {d} does not exist")));
            }
        }
        for d in &deals {
            if !contact_ids.contains(&d.contact_id) {
                p.push(problem("deal", d.id, format!("its contact {} does not exist", d.contact_id)));
            }
        }

        // Counters.
        for stage in Stage::ALL {
            let counted = counters::get(&self.t.counters, &counters::contacts_key(stage))?;
            let found = contacts.iter().filter(|c| c.stage == stage).count() as u64;
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
            contacts.iter().filter_map(|c| c.organization_id.map(|o| member_key(o, c.id).to_vec())).collect();
        same_keys(&self.t.by_org, "contacts by organisation", members, &mut p)?;
        let by_stage = deals.iter().map(|d| stage_index_key(&d.stage, d.id)).collect();
        same_keys(&self.t.deals_by_stage, "deals by stage", by_stage, &mut p)?;
        let by_contact = deals.iter().map(|d| contact_index_key(d.contact_id, d.id)).collect();
        same_keys(&self.t.deals_by_contact, "deals by contact", by_contact, &mut p)?;
        let activity_keys = activities.iter().map(|a| a.id.as_bytes().to_vec()).collect();
        same_keys(&self.t.activity_keys, "activity keys", activity_keys, &mut p)?;

        // Search: one document per contact, organisation and deal, none more.
        let mut want: HashSet<DocKey> = HashSet::new();
        want.extend(contacts.iter().map(|c| DocKey::new(DocKind::Contact, c.id)));
        want.extend(orgs.iter().map(|o| DocKey::new(DocKind::Organization, o.id)));
        want.extend(deals.iter().map(|d| DocKey::new(DocKind::Deal, d.id)));
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
        let mut p = Vec::new();
        let contacts: Vec<Contact> = records(&self.t.contacts, "contact", &mut p)?;
        let activities: Vec<Activity> = records(&self.t.activities, "activity", &mut p)?;
        let deals: Vec<Deal> = records(&self.t.deals, "deal", &mut p)?;
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
            for d in &deals {
                tx.deals_by_stage.insert(stage_index_key(&d.stage, d.id), &[])?;
                tx.deals_by_contact.insert(contact_index_key(d.contact_id, d.id), &[])?;
            }
            for a in &activities {
                tx.activity_keys.insert(a.id.as_bytes(), super::activities::activity_key(a))?;
            }
            for stage in Stage::ALL {
                let n = contacts.iter().filter(|c| c.stage == stage).count() as u64;
                tx.counters.insert(&counters::contacts_key(stage), &n.to_be_bytes())?;
            }
            tx.meta.insert(REBUILD, &[Rebuild::SEARCH.0 | Rebuild::CONTACTS.0])?;
            Ok(())
        })?;
        drop((contacts, activities, deals, old));
        self.count_task_buckets()?;
        self.rebuild_engagement_sums(now)?;
        self.rebuilding.store(true, std::sync::atomic::Ordering::SeqCst);
        self.rebuild_derived(now)?;
        Ok(Repair { before, after: self.doctor()?.problems })
    }
}

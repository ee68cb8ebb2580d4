//! The store's side of backups: the whole store as one document with a
//! manifest, and restoring it.
//!
//! Invariant: restore checks the manifest and checksum before it touches
//! the store, and replaces everything in one transaction; what is derived
//! from the records is rebuilt from them right after.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::activities::activity_key;
use super::contacts::put_contact_keys;
use super::deals::{contact_index_key, stage_index_key};
use super::tasks::replace as replace_task;
use super::{decode, encode, encode_tx, Rebuild, Store};
use crate::activity::Activity;
use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::task::Task;
use crate::text::fold;
use crate::transfer::{BackupData, BackupManifest, RecordCounts, BACKUP_FORMAT, BACKUP_FORMAT_VERSION};

/// Meta keys that describe this store's files, not the rep's data: a
/// backup leaves them out.
const LOCAL_META: [&str; 7] = [
    "schema_version",
    super::expected::WRITE_SEQ,
    "settings",
    super::import::PENDING_IMPORT,
    super::search::IMPORT_UNINDEXED,
    "search_segment",
    "rebuild",
];

impl Store {
    /// Record counts of the store (reads every key; stops at the first
    /// that cannot be read).
    pub fn record_counts(&self) -> Result<RecordCounts> {
        let n = |tree: &sled::Tree| super::count_keys(tree.iter().keys()).map(|n| n as u32);
        Ok(RecordCounts {
            contacts: n(&self.t.contacts)?,
            organizations: n(&self.t.organizations)?,
            activities: n(&self.t.activities)?,
            tasks: n(&self.t.tasks)?,
            deals: n(&self.t.deals)?,
        })
    }

    /// The whole store as a backup: manifest (format, counts, checksum) and data.
    pub fn backup(&self, app_version: &str, now: DateTime<Utc>) -> Result<(BackupManifest, BackupData)> {
        let values = |tree: &sled::Tree| -> Result<Vec<serde_json::Value>> {
            tree.iter().values().map(|v| decode::<serde_json::Value>(&v?)).collect()
        };
        let mut meta = BTreeMap::new();
        for kv in self.t.meta.iter() {
            let (k, v) = kv?;
            let key = String::from_utf8_lossy(&k).into_owned();
            if LOCAL_META.contains(&key.as_str()) {
                continue;
            }
            meta.insert(key, v.iter().map(|b| format!("{b:02x}")).collect());
        }
        let data = BackupData {
            settings: serde_json::to_value(self.settings()).map_err(|e| Error::Storage(e.to_string()))?,
            meta,
            organizations: values(&self.t.organizations)?,
            contacts: values(&self.t.contacts)?,
            activities: values(&self.t.activities)?,
            tasks: values(&self.t.tasks)?,
            deals: values(&self.t.deals)?,
        };
        let manifest = BackupManifest {
            format: BACKUP_FORMAT.to_owned(),
            format_version: BACKUP_FORMAT_VERSION,
            schema_version: super::SCHEMA_VERSION,
            app_version: app_version.to_owned(),
            created_at: now,
            counts: RecordCounts {
                contacts: data.contacts.len() as u32,
                organizations: data.organizations.len() as u32,
                activities: data.activities.len() as u32,
                tasks: data.tasks.len() as u32,
                deals: data.deals.len() as u32,
            },
            checksum: data.checksum()?,
        };
        Ok((manifest, data))
    }

    /// Replaces the store's content with a backup's. Refuses a store that
    /// holds contacts unless `force`. Checks the backup completely before
    /// anything is written.
    pub fn restore(
        &self,
        manifest: &BackupManifest,
        data: &BackupData,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<RecordCounts> {
        check_backup(manifest, data)?;
        // Contacts, or anything else the rep made (organisations, deals, tasks).
        let present = super::count_keys(self.t.contacts.iter().keys())? as usize;
        let holds_data = present > 0
            || !self.t.organizations.is_empty()
            || !self.t.deals.is_empty()
            || !self.t.tasks.is_empty();
        if holds_data && !force {
            return Err(Error::StoreNotEmpty { contacts: present });
        }
        let settings: crate::settings::Settings = record(&data.settings, "settings")?;
        let orgs: Vec<Organization> = records(&data.organizations, "organisation")?;
        let contacts: Vec<Contact> = records(&data.contacts, "contact")?;
        let activities: Vec<Activity> = records(&data.activities, "activity")?;
        let mut tasks: Vec<Task> = records(&data.tasks, "task")?;
        let tz = self.time_zone();
        for task in &mut tasks {
            task.normalize_all_day(tz);
        }
        let mut deals: Vec<Deal> = records(&data.deals, "deal")?;
        // People on the erasure list stay erased: the backup may be older
        // than their erasure. Left out here, in the restore's one
        // transaction, so no crash can bring them back.
        let erased: std::collections::HashSet<uuid::Uuid> = self.erased_ids()?.into_iter().collect();
        let mut contacts = contacts;
        let mut activities = activities;
        let mut orgs = orgs;
        orgs.retain(|o| !erased.contains(&o.id));
        contacts.retain(|c| !erased.contains(&c.id));
        activities.retain(|a| !erased.contains(&a.contact_id));
        tasks.retain(|t| t.contact_id.is_none_or(|c| !erased.contains(&c)));
        deals.retain(|d| !erased.contains(&d.contact_id));
        // Only the rep's values: what describes this store's files (its
        // schema version above all) is this build's to write, so nothing in
        // a backup — an edited one included — can lock the store.
        let meta: Vec<(String, Vec<u8>)> = data
            .meta
            .iter()
            .filter(|(k, _)| !LOCAL_META.contains(&k.as_str()))
            .map(|(k, hex)| {
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(|| Error::Backup(format!("the meta value {k} is damaged")))?;
                Ok((k.clone(), bytes))
            })
            .collect::<Result<_>>()?;

        // Clearing and refilling in one transaction: a crash leaves the old
        // store or the restored one, never a mix. Derived data is marked for a
        // rebuild in the same transaction and rebuilt right after.
        let all = self.t.all();
        let old_keys: Vec<Vec<Vec<u8>>> = all
            .iter()
            .map(|t| {
                t.iter()
                    .keys()
                    .filter(|k| {
                        // The write sequence counts on across the restore.
                        k.as_ref().map_or(true, |k| {
                            k.as_ref() != b"schema_version"
                                && k.as_ref() != super::expected::WRITE_SEQ.as_bytes()
                        })
                    })
                    .map(|k| k.map(|k| k.to_vec()))
                    .collect::<sled::Result<_>>()
            })
            .collect::<sled::Result<_>>()?;
        let records: Vec<(Vec<u8>, Vec<u8>)> =
            activities.iter().map(|a| Ok((activity_key(a), encode(a)?))).collect::<Result<_>>()?;
        self.transact(now, |tx| {
            let view = tx.trees();
            for (tree, keys) in view.iter().zip(&old_keys) {
                for k in keys {
                    tree.remove(k.as_slice())?;
                }
            }
            for org in &orgs {
                tx.organizations.insert(org.id.as_bytes(), encode_tx(org)?)?;
                tx.org_by_name.insert(fold(&org.name).as_bytes(), org.id.as_bytes())?;
            }
            for c in &contacts {
                put_contact_keys(tx, None, Some(c))?;
            }
            for ((key, record), a) in records.iter().zip(&activities) {
                tx.activities.insert(key.as_slice(), record.as_slice())?;
                tx.activity_keys.insert(a.id.as_bytes(), key.as_slice())?;
            }
            for task in &tasks {
                replace_task(tx, None, Some(task))?;
            }
            for deal in &deals {
                tx.deals.insert(deal.id.as_bytes(), encode_tx(deal)?)?;
                tx.deals_by_stage.insert(stage_index_key(&deal.stage, deal.id), &[])?;
                tx.deals_by_contact.insert(contact_index_key(deal.contact_id, deal.id), &[])?;
            }
            tx.meta.insert("settings", encode_tx(&settings)?)?;
            for (k, v) in &meta {
                tx.meta.insert(k.as_bytes(), v.as_slice())?;
            }
            tx.meta.insert(super::REBUILD, &[Rebuild::SEARCH.0 | Rebuild::CONTACTS.0])?;
            tx.meta.insert("schema_version", &super::SCHEMA_VERSION.to_be_bytes())?;
            Ok(())
        })?;
        self.load_settings()?;
        self.orgs.clear();
        self.search.reset();
        self.rebuilding.store(true, std::sync::atomic::Ordering::SeqCst);
        self.rebuild_engagement_sums(now)?;
        self.rebuild_derived(now)?;
        self.record_counts()
    }
}

/// One record of a backup, or which kind is damaged.
fn record<T: serde::de::DeserializeOwned>(value: &serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(value.clone())
        .map_err(|e| Error::Backup(format!("a {what} record is damaged: {e}")))
}

/// All records of one kind of a backup.
fn records<T: serde::de::DeserializeOwned>(values: &[serde_json::Value], what: &str) -> Result<Vec<T>> {
    values.iter().map(|v| record(v, what)).collect()
}

/// Checks a backup whole before anything is written: its format, schema
/// and format versions, checksum and counts.
pub(crate) fn check_backup(manifest: &BackupManifest, data: &BackupData) -> Result<()> {
    if manifest.format != BACKUP_FORMAT {
        return Err(Error::Backup(format!(
            "the file says it is \"{}\", not a Kontor backup",
            manifest.format
        )));
    }
    if manifest.schema_version > super::SCHEMA_VERSION {
        return Err(Error::Backup(format!(
            "it comes from a store with schema version {}, this Kontor reads up to {}; update Kontor",
            manifest.schema_version,
            super::SCHEMA_VERSION
        )));
    }
    if manifest.format_version > BACKUP_FORMAT_VERSION {
        return Err(Error::Backup(format!(
            "it has format version {}, this Kontor reads up to {BACKUP_FORMAT_VERSION}; update Kontor",
            manifest.format_version
        )));
    }
    if data.checksum()? != manifest.checksum {
        return Err(Error::Backup(
            "its checksum does not match: the file was changed or is incomplete".into(),
        ));
    }
    let counts = [
        ("contacts", manifest.counts.contacts, data.contacts.len()),
        ("organisations", manifest.counts.organizations, data.organizations.len()),
        ("activities", manifest.counts.activities, data.activities.len()),
        ("tasks", manifest.counts.tasks, data.tasks.len()),
        ("deals", manifest.counts.deals, data.deals.len()),
    ];
    for (what, said, found) in counts {
        if said as usize != found {
            return Err(Error::Backup(format!(
                "the manifest lists {said} {what} but the file holds {found}"
            )));
        }
    }
    Ok(())
}

//! The store's side of backups: the whole store as one document with a
//! manifest, and restoring it.
//!
//! Invariant: restore checks the manifest and checksum before it touches
//! the store, and replaces everything in one transaction; what is derived
//! from the records is rebuilt from them right after.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::activities::activity_key;
use super::appointments::replace as replace_appointment;
use super::contacts::put_contact_keys;
use super::deals::{contact_index_key, stage_index_key};
use super::tasks::replace as replace_task;
use super::{decode, encode, encode_tx, Rebuild, Store};
use crate::activity::Activity;
use crate::appointment::Appointment;
use crate::backup_file::{
    canonical, write_data, writing, BackupData, BackupManifest, RecordCounts, Summed, BACKUP_FORMAT,
    BACKUP_FORMAT_VERSION,
};
use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::mileage::Trip;
use crate::task::Task;
use crate::text::fold;

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

/// Reads a backup file's JSON as a stream, holding one record at a time,
/// and checks it as [`check_backup`] does: for files whose data members
/// come in canonical order, as [`Store::write_backup`] writes them (the
/// checksum is taken over the data in the order read). Returns the
/// manifest.
pub(crate) fn verify_backup_stream(reader: impl std::io::Read) -> Result<BackupManifest> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    type Sum = Summed<std::io::Sink>;
    let unreadable = |e: serde_json::Error| Error::Backup(format!("it cannot be read: {e}"));

    struct Records<'a>(&'a mut Sum);
    impl<'de> DeserializeSeed<'de> for Records<'_> {
        type Value = u32;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<u32, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Records<'_> {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of records")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<u32, A::Error> {
            let fail = |e: Error| serde::de::Error::custom(e.to_string());
            self.0.raw(b"[").map_err(fail)?;
            let mut n = 0u32;
            while let Some(record) = seq.next_element::<serde_json::Value>()? {
                if n > 0 {
                    self.0.raw(b",").map_err(fail)?;
                }
                self.0.json(&canonical(record)).map_err(fail)?;
                n += 1;
            }
            self.0.raw(b"]").map_err(fail)?;
            Ok(n)
        }
    }

    struct Data;
    impl<'de> DeserializeSeed<'de> for Data {
        type Value = (String, RecordCounts);
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Data {
        type Value = (String, RecordCounts);
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a backup's data")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
            let fail = |e: Error| serde::de::Error::custom(e.to_string());
            let mut sum = Summed::new(std::io::sink());
            let mut counts = RecordCounts::default();
            sum.raw(b"{").map_err(fail)?;
            let mut first = true;
            while let Some(key) = map.next_key::<String>()? {
                if !first {
                    sum.raw(b",").map_err(fail)?;
                }
                first = false;
                sum.json(&key).map_err(fail)?;
                sum.raw(b":").map_err(fail)?;
                match counts.of_member(&key) {
                    Some(count) => *count = map.next_value_seed(Records(&mut sum))?,
                    None => {
                        let value: serde_json::Value = map.next_value()?;
                        sum.json(&canonical(value)).map_err(fail)?;
                    }
                }
            }
            sum.raw(b"}").map_err(fail)?;
            Ok((sum.finish(), counts))
        }
    }

    struct File;
    impl<'de> Visitor<'de> for File {
        type Value = (Option<BackupManifest>, Option<(String, RecordCounts)>);
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a Kontor backup")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
            let (mut manifest, mut data) = (None, None);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "manifest" => manifest = Some(map.next_value::<BackupManifest>()?),
                    "data" => data = Some(map.next_value_seed(Data)?),
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok((manifest, data))
        }
    }

    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let (manifest, data) = de.deserialize_map(File).map_err(unreadable)?;
    de.end().map_err(unreadable)?;
    let manifest = manifest.ok_or_else(|| Error::Backup("it has no manifest".into()))?;
    let (checksum, counts) = data.ok_or_else(|| Error::Backup("it holds no data".into()))?;
    check_contents(&manifest, &checksum, &counts)?;
    Ok(manifest)
}

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
            appointments: n(&self.t.appointments)?,
            trips: n(&self.t.trips)?,
        })
    }

    /// The whole store as a backup: manifest (format, counts, checksum) and data.
    pub fn backup(&self, app_version: &str, now: DateTime<Utc>) -> Result<(BackupManifest, BackupData)> {
        let mut bytes = Vec::new();
        let manifest = self.write_backup(&mut bytes, app_version, now)?;
        let file = crate::backup_file::BackupFile::from_slice(&bytes)?;
        Ok((manifest, file.data))
    }

    /// Writes the whole store as a backup file's JSON to `out`, record by
    /// record: the data first, in the canonical form its checksum is taken
    /// over (so the sum is computed as it is written), then the manifest.
    /// Memory stays at about one record, whatever the store's size.
    pub fn write_backup(
        &self,
        out: &mut dyn std::io::Write,
        app_version: &str,
        now: DateTime<Utc>,
    ) -> Result<BackupManifest> {
        out.write_all(b"{\"data\":").map_err(writing)?;
        let mut data = Summed::new(&mut *out);
        let settings = serde_json::to_value(self.settings()).map_err(|e| Error::Storage(e.to_string()))?;
        let counts = write_data(&mut data, &settings, &self.backup_meta()?, |key, put| {
            let tree = match key {
                "activities" => &self.t.activities,
                "appointments" => &self.t.appointments,
                "trips" => &self.t.trips,
                "contacts" => &self.t.contacts,
                "deals" => &self.t.deals,
                "organizations" => &self.t.organizations,
                _ => &self.t.tasks,
            };
            for value in tree.iter().values() {
                put(decode::<serde_json::Value>(&value?)?)?;
            }
            Ok(())
        })?;
        let checksum = data.finish();
        let manifest = BackupManifest {
            format: BACKUP_FORMAT.to_owned(),
            format_version: BACKUP_FORMAT_VERSION,
            schema_version: super::SCHEMA_VERSION,
            app_version: app_version.to_owned(),
            created_at: now,
            counts,
            checksum,
        };
        out.write_all(b",\"manifest\":").map_err(writing)?;
        serde_json::to_writer(&mut *out, &manifest).map_err(|e| Error::Storage(e.to_string()))?;
        out.write_all(b"}").map_err(writing)?;
        Ok(manifest)
    }

    /// The meta tree's values a backup keeps (counters), as hex bytes.
    fn backup_meta(&self) -> Result<BTreeMap<String, String>> {
        let mut meta = BTreeMap::new();
        for kv in self.t.meta.iter() {
            let (k, v) = kv?;
            // Undo records are this store's short-lived history (a deletion's
            // keeps the deleted people for a day): never in a backup.
            if k.starts_with(super::bulk::UNDO_PREFIX) {
                continue;
            }
            // Team sync's state is this replica's: a backup restored on
            // another laptop must not make it this replica.
            if k.starts_with(super::sync::META_PREFIX.as_bytes()) {
                continue;
            }
            let key = String::from_utf8_lossy(&k).into_owned();
            if LOCAL_META.contains(&key.as_str()) {
                continue;
            }
            meta.insert(key, v.iter().map(|b| format!("{b:02x}")).collect());
        }
        Ok(meta)
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
            || !self.t.tasks.is_empty()
            || !self.t.appointments.is_empty()
            || !self.t.trips.is_empty();
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
        let mut appointments: Vec<Appointment> = records(&data.appointments, "appointment")?;
        let trips: Vec<Trip> = records(&data.trips, "mileage log entry")?;
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
        appointments.retain(|a| a.contact_id.is_none_or(|c| !erased.contains(&c)));
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
                // The geocoding cache is no one's data, and team sync's
                // state is this replica's (what the restore changes is sent
                // as operations): they stay.
                if &*t.name() == b"places" || t.name().starts_with(b"sync_") {
                    return Ok(Vec::new());
                }
                t.iter()
                    .keys()
                    .filter(|k| {
                        // The write sequence counts on across the restore.
                        k.as_ref().map_or(true, |k| {
                            k.as_ref() != b"schema_version"
                                && k.as_ref() != super::expected::WRITE_SEQ.as_bytes()
                                && !k.starts_with(super::sync::META_PREFIX.as_bytes())
                        })
                    })
                    .map(|k| k.map(|k| k.to_vec()))
                    .collect::<sled::Result<_>>()
            })
            .collect::<sled::Result<_>>()?;
        let records: Vec<(Vec<u8>, Vec<u8>)> =
            activities.iter().map(|a| Ok((activity_key(a), encode(a)?))).collect::<Result<_>>()?;
        // With team sync, the restore is a change like any other: the
        // contacts it changes, adds and removes are sent as operations.
        // (Records as JSON before and after, by kind and id.)
        let changes = match self.sync_replica()? {
            Some(_) => {
                use super::sync::records_json;
                let mut after = std::collections::HashMap::new();
                records_json(&contacts, &mut after)?;
                records_json(&deals, &mut after)?;
                records_json(&tasks, &mut after)?;
                records_json(&appointments, &mut after)?;
                records_json(&activities, &mut after)?;
                records_json(&orgs, &mut after)?;
                Some((self.sync_records()?, after))
            }
            None => None,
        };
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
            // Their operations are written below, from what changed.
            let fill = tx.quiet();
            for task in &tasks {
                replace_task(&fill, None, Some(task))?;
            }
            for deal in &deals {
                tx.deals.insert(deal.id.as_bytes(), encode_tx(deal)?)?;
                tx.deals_by_stage.insert(stage_index_key(&deal.stage, deal.id), &[])?;
                tx.deals_by_contact.insert(contact_index_key(deal.contact_id, deal.id), &[])?;
            }
            for a in &appointments {
                replace_appointment(&fill, None, Some(a))?;
            }
            for t in &trips {
                tx.trips.insert(&t.number.to_be_bytes(), encode_tx(t)?)?;
            }
            tx.meta.insert("settings", encode_tx(&settings)?)?;
            for (k, v) in &meta {
                tx.meta.insert(k.as_bytes(), v.as_slice())?;
            }
            if let Some((before, after)) = &changes {
                super::sync::record_restore(tx, before, after)?;
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
pub fn check_backup(manifest: &BackupManifest, data: &BackupData) -> Result<()> {
    let found = RecordCounts {
        contacts: data.contacts.len() as u32,
        organizations: data.organizations.len() as u32,
        activities: data.activities.len() as u32,
        tasks: data.tasks.len() as u32,
        deals: data.deals.len() as u32,
        appointments: data.appointments.len() as u32,
        trips: data.trips.len() as u32,
    };
    check_contents(manifest, &data.checksum()?, &found)
}

/// Checks a backup's manifest against the data's checksum and counts.
fn check_contents(manifest: &BackupManifest, checksum: &str, found: &RecordCounts) -> Result<()> {
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
    if checksum != manifest.checksum {
        return Err(Error::Backup(
            "its checksum does not match: the file was changed or is incomplete".into(),
        ));
    }
    let said = &manifest.counts;
    let counts = [
        ("contacts", said.contacts, found.contacts),
        ("organisations", said.organizations, found.organizations),
        ("activities", said.activities, found.activities),
        ("tasks", said.tasks, found.tasks),
        ("deals", said.deals, found.deals),
        ("appointments", said.appointments, found.appointments),
        ("mileage log entries", said.trips, found.trips),
    ];
    for (what, said, found) in counts {
        if said != found {
            return Err(Error::Backup(format!(
                "the manifest lists {said} {what} but the file holds {found}"
            )));
        }
    }
    Ok(())
}

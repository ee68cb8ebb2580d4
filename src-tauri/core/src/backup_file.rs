//! The backup file: its manifest (format, versions, counts, checksum) and
//! data, written record by record in the canonical form its checksum is
//! taken over, and read back plain or gzip-compressed. Writing a store's
//! backup and checking one before a restore live in `store/backup.rs`; the
//! automatic backups folder in `backups.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many records of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RecordCounts {
    /// Contacts.
    pub contacts: u32,
    /// Organisations.
    pub organizations: u32,
    /// Activities.
    pub activities: u32,
    /// Tasks.
    pub tasks: u32,
    /// Deals.
    pub deals: u32,
    /// Appointments.
    pub appointments: u32,
    /// Mileage log entries.
    pub trips: u32,
}

/// The head of a backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupManifest {
    /// Always "kontor-backup".
    pub format: String,
    /// Version of the backup layout (1).
    pub format_version: u32,
    /// The store's schema version when written.
    pub schema_version: u32,
    /// Kontor version that wrote it.
    pub app_version: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Records per kind.
    pub counts: RecordCounts,
    /// "sha256:<hex>" over the `data` member as written.
    pub checksum: String,
}

/// The name of a backup's format.
pub const BACKUP_FORMAT: &str = "kontor-backup";
/// The backup layout this build writes and reads. 2: appointments and
/// the mileage log (members left out when empty, so a version 1 file
/// checks as it did).
pub const BACKUP_FORMAT_VERSION: u32 = 2;

/// Everything in a store, record by record (indexes are rebuilt on restore).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupData {
    /// The settings.
    pub settings: serde_json::Value,
    /// Other values of the meta tree (counters), by key, as hex bytes.
    pub meta: BTreeMap<String, String>,
    /// Organisations.
    pub organizations: Vec<serde_json::Value>,
    /// Contacts.
    pub contacts: Vec<serde_json::Value>,
    /// Activities.
    pub activities: Vec<serde_json::Value>,
    /// Tasks.
    pub tasks: Vec<serde_json::Value>,
    /// Deals.
    pub deals: Vec<serde_json::Value>,
    /// Appointments (format 2).
    pub appointments: Vec<serde_json::Value>,
    /// Mileage log entries (format 2).
    pub trips: Vec<serde_json::Value>,
}

/// A backup file: the manifest and the data (written data first since the
/// backups are streamed; older files have the manifest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupFile {
    /// Format, version, counts and checksum.
    pub manifest: BackupManifest,
    /// The records.
    pub data: BackupData,
}

impl BackupData {
    /// SHA-256 over the data in a canonical form (object keys sorted at every
    /// level), so the same data gives the same sum whichever way a JSON
    /// library orders keys. It tells damage, not forgery: anyone can
    /// recompute it, so restore trusts nothing in the data that could lock
    /// the store.
    pub fn checksum(&self) -> crate::error::Result<String> {
        // Summed as the data is written in canonical form, record by record
        // (a copy of the whole data would double a large backup's memory).
        let mut sum = Summed::new(std::io::sink());
        write_data(&mut sum, &self.settings, &self.meta, |key, put| {
            let list = match key {
                "activities" => &self.activities,
                "appointments" => &self.appointments,
                "trips" => &self.trips,
                "contacts" => &self.contacts,
                "deals" => &self.deals,
                "organizations" => &self.organizations,
                _ => &self.tasks,
            };
            list.iter().try_for_each(|record| put(record.clone()))
        })?;
        Ok(sum.finish())
    }
}

impl RecordCounts {
    /// The count of a backup data member that lists records (`None` for
    /// `meta` and `settings`, and for a member Kontor does not know).
    pub(crate) fn of_member(&mut self, member: &str) -> Option<&mut u32> {
        match member {
            "activities" => Some(&mut self.activities),
            "appointments" => Some(&mut self.appointments),
            "trips" => Some(&mut self.trips),
            "contacts" => Some(&mut self.contacts),
            "deals" => Some(&mut self.deals),
            "organizations" => Some(&mut self.organizations),
            "tasks" => Some(&mut self.tasks),
            _ => None,
        }
    }
}

/// The members of a backup's data, in the canonical (sorted) order its
/// checksum is taken in.
const DATA_KEYS: [&str; 9] = [
    "activities",
    "appointments",
    "contacts",
    "deals",
    "meta",
    "organizations",
    "settings",
    "tasks",
    "trips",
];

/// Members written only when they hold records (added in format 2: a
/// version 1 file has none, and its checksum stays what it was).
const OPTIONAL_KEYS: [&str; 2] = ["appointments", "trips"];

/// Writes a backup's data in the canonical form its checksum is taken
/// over: the members in sorted order, object keys sorted at every level,
/// each list's records as `each` hands them to `put` (record by record,
/// so a store of any size is written with one record in memory). Returns
/// how many records each list held.
pub(crate) fn write_data<W: std::io::Write>(
    out: &mut Summed<W>,
    settings: &serde_json::Value,
    meta: &BTreeMap<String, String>,
    mut each: impl FnMut(
        &str,
        &mut dyn FnMut(serde_json::Value) -> crate::error::Result<()>,
    ) -> crate::error::Result<()>,
) -> crate::error::Result<RecordCounts> {
    let mut counts = RecordCounts::default();
    out.raw(b"{")?;
    for (i, key) in DATA_KEYS.iter().enumerate() {
        if OPTIONAL_KEYS.contains(key) {
            // Opened at its first record; never the first member.
            let mut n = 0u32;
            each(key, &mut |record| {
                if n == 0 {
                    out.raw(b",")?;
                    out.json(key)?;
                    out.raw(b":[")?;
                } else {
                    out.raw(b",")?;
                }
                n += 1;
                out.json(&canonical(record))
            })?;
            if n > 0 {
                out.raw(b"]")?;
            }
            if let Some(count) = counts.of_member(key) {
                *count = n;
            }
            continue;
        }
        if i > 0 {
            out.raw(b",")?;
        }
        out.json(key)?;
        out.raw(b":")?;
        let Some(count) = counts.of_member(key) else {
            match *key {
                "meta" => out.json(meta)?,
                _ => out.json(&canonical(settings.clone()))?,
            }
            continue;
        };
        out.raw(b"[")?;
        let mut n = 0u32;
        each(key, &mut |record| {
            if n > 0 {
                out.raw(b",")?;
            }
            n += 1;
            out.json(&canonical(record))
        })?;
        *count = n;
        out.raw(b"]")?;
    }
    out.raw(b"}")?;
    Ok(counts)
}

pub(crate) fn writing(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::Storage(format!("writing the backup: {e}"))
}

/// A writer that sums what goes through it (SHA-256), for a backup's data.
pub(crate) struct Summed<W> {
    out: W,
    sum: sha2::Sha256,
}

impl<W: std::io::Write> Summed<W> {
    pub(crate) fn new(out: W) -> Self {
        Summed { out, sum: <sha2::Sha256 as sha2::Digest>::new() }
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) -> crate::error::Result<()> {
        sha2::Digest::update(&mut self.sum, bytes);
        self.out.write_all(bytes).map_err(writing)
    }

    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> crate::error::Result<()> {
        let bytes = serde_json::to_vec(value).map_err(|e| crate::error::Error::Storage(e.to_string()))?;
        self.raw(&bytes)
    }

    /// The sum as a manifest names it.
    pub(crate) fn finish(self) -> String {
        format!("sha256:{:x}", sha2::Digest::finalize(self.sum))
    }
}

/// A JSON value in canonical form: object keys sorted at every level
/// (whatever order the map type keeps), as [`BackupData::checksum`] reads
/// the data.
pub(crate) fn canonical(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, canonical(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(canonical).collect())
        }
        other => other,
    }
}

impl BackupFile {
    /// Reads a backup file's bytes, gzip-compressed (as the automatic
    /// backups are) or not (the manifest is checked on restore).
    pub fn from_slice(bytes: &[u8]) -> crate::error::Result<BackupFile> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut plain)
                .map_err(|e| crate::error::Error::Backup(format!("it cannot be decompressed: {e}")))?;
            return BackupFile::from_slice(&plain);
        }
        serde_json::from_slice(bytes).map_err(|e| {
            crate::error::Error::Backup(format!(
                "it cannot be read (line {}, column {}): {e}",
                e.line(),
                e.column()
            ))
        })
    }

    /// The file's bytes: pretty JSON.
    pub fn to_vec(&self) -> crate::error::Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| crate::error::Error::Storage(e.to_string()))
    }
}

/// A backup file the user picked, with what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// Its name (without the directory).
    pub name: String,
    /// Its manifest.
    pub manifest: BackupManifest,
    /// Contacts in the current store (restore replaces them).
    pub current_contacts: u32,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_checksum_is_the_one_older_backups_carry() {
        // How backups were summed before: the whole data as one value,
        // keys sorted at every level.
        let data = BackupData {
            settings: json!({"zeta": 1, "alpha": {"b": [3, {"y": 1, "x": 2}], "a": null}}),
            meta: [("b".to_owned(), "02".to_owned()), ("a".to_owned(), "01".to_owned())].into(),
            organizations: vec![json!({"name": "Elb", "id": "o1"})],
            contacts: vec![
                json!({"last_name": "Berg", "first_name": "Anna", "score": 12.5, "tags": ["b", "a"]}),
            ],
            activities: vec![],
            tasks: vec![json!({"title": "Anrufen", "due": "2026-12-08"})],
            deals: vec![json!({"value": 1200.75, "items": [{"qty": 2, "name": "X"}]})],
            ..Default::default()
        };
        // Older backups have no appointments or mileage log members.
        let mut older = serde_json::to_value(&data).unwrap();
        for key in OPTIONAL_KEYS {
            older.as_object_mut().unwrap().remove(key);
        }
        let whole = canonical(older);
        let before = format!(
            "sha256:{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(serde_json::to_vec(&whole).unwrap())
        );
        assert_eq!(data.checksum().unwrap(), before);
        // With appointments and trips, the sum is over every member.
        let newer = BackupData {
            appointments: vec![json!({"title": "Besuch", "uid": "a@kontor"})],
            trips: vec![json!({"number": 1})],
            ..data
        };
        let whole = canonical(serde_json::to_value(&newer).unwrap());
        let sum = format!(
            "sha256:{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(serde_json::to_vec(&whole).unwrap())
        );
        assert_eq!(newer.checksum().unwrap(), sum);
    }
}

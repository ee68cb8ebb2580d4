//! Data ownership: the types of duplicate detection and merging, the full
//! JSON backup with its manifest, the GDPR export of one person, and the
//! writers for CSV and vCard 4.0 exports.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::Activity;
use crate::contact::{Contact, Organization};
use crate::score::Score;
use crate::task::Task;

/// Export file kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    /// CSV (UTF-8 with BOM, comma-separated), one row per contact.
    Csv,
    /// vCard 4.0, all contacts in one file.
    Vcard,
    /// Kontor's contact JSON (an array).
    Json,
}

/// Why two contacts look like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateKind {
    /// The same email address.
    Email,
    /// The same phone number (normalised).
    Phone,
    /// A similar name at the same organisation.
    Name,
}

/// One reason with the value that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateReason {
    /// Kind of match.
    pub kind: DuplicateKind,
    /// What matched ("anna@example.de", "+491701234567", "Anna Schmidt ~ Anna Schmitt").
    pub value: String,
}

/// Two contacts that may be one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    /// The older contact (the proposed survivor).
    pub a: Contact,
    /// The newer one.
    pub b: Contact,
    /// Why they match.
    pub reasons: Vec<DuplicateReason>,
}

/// A single-valued field a merge picks from one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeField {
    /// Salutation.
    Salutation,
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// Display name.
    DisplayName,
    /// Organisation.
    Organization,
    /// Job title.
    Title,
    /// Postal address (as a whole).
    Address,
    /// Website.
    Website,
    /// Source.
    Source,
    /// Notes.
    Notes,
    /// Lifecycle stage (with its history).
    Stage,
}

/// Which single-valued fields come from the contact merged away; the rest
/// stay the survivor's (empty ones are filled from the other). Emails,
/// phones and tags are always united; activities, tasks and deals move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MergePicks {
    /// Fields taken from the other contact.
    pub from_other: Vec<MergeField>,
}

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
/// The backup layout this build writes and reads.
pub const BACKUP_FORMAT_VERSION: u32 = 1;

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
const DATA_KEYS: [&str; 7] =
    ["activities", "contacts", "deals", "meta", "organizations", "settings", "tasks"];

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

    /// Checks the backup whole before anything is written: format, schema
    /// and format versions, checksum, counts.
    pub fn verify(&self) -> crate::error::Result<()> {
        crate::store::check_backup(&self.manifest, &self.data)
    }

    /// The file's bytes: pretty JSON.
    pub fn to_vec(&self) -> crate::error::Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| crate::error::Error::Storage(e.to_string()))
    }
}

/// A file the user saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedFile {
    /// Its name (without the directory).
    pub name: String,
    /// Records written.
    pub count: u32,
}

/// A file the user picked to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChosenFile {
    /// Its name (without the directory).
    pub name: String,
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

/// Everything Kontor holds about one person (GDPR Art. 15/20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonExport {
    /// When this was exported.
    pub exported_at: DateTime<Utc>,
    /// The contact with its stage history and criteria.
    pub contact: Contact,
    /// The organisation it belongs to.
    pub organization: Option<Organization>,
    /// The score and how it comes about.
    pub score: Score,
    /// Every activity, newest first.
    pub activities: Vec<Activity>,
    /// Every task.
    pub tasks: Vec<Task>,
    /// Every deal.
    #[ts(type = "Array<unknown>")]
    pub deals: Vec<serde_json::Value>,
}

/// The columns of a CSV export (also understood by the importer).
pub const CSV_HEADER: [&str; 19] = [
    "id",
    "Anrede",
    "Vorname",
    "Nachname",
    "Anzeigename",
    "Firma",
    "Position",
    "E-Mail",
    "Telefon",
    "Straße",
    "PLZ",
    "Ort",
    "Region",
    "Land",
    "Website",
    "Tags",
    "Quelle",
    "Phase",
    "Notizen",
];

/// Contacts as CSV: UTF-8 with BOM (so Excel reads umlauts), comma-separated,
/// CRLF line ends, several emails/phones joined with " ::: ".
pub fn contacts_csv(contacts: &[Contact]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_HEADER.join(","));
    out.push_str("\r\n");
    for c in contacts {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let a = &c.address;
        let cells = [
            c.id.to_string(),
            opt(&c.salutation),
            c.first_name.clone(),
            c.last_name.clone(),
            c.display_name.clone(),
            opt(&c.organization),
            opt(&c.title),
            c.emails.join(" ::: "),
            c.phones.join(" ::: "),
            opt(&a.street),
            opt(&a.postcode),
            opt(&a.city),
            opt(&a.region),
            opt(&a.country),
            opt(&c.website),
            c.tags.join(", "),
            opt(&c.source),
            c.stage.key().to_owned(),
            opt(&c.notes),
        ];
        out.push_str(&cells.iter().map(|v| crate::csv_cell::cell(v, ',')).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Escapes a vCard text value (RFC 6350 §3.4).
fn vtext(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a character.
fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Contacts as one vCard 4.0 file.
pub fn contacts_vcard(contacts: &[Contact]) -> String {
    let mut out = String::new();
    for c in contacts {
        let mut lines = vec!["BEGIN:VCARD".to_owned(), "VERSION:4.0".to_owned()];
        lines.push(format!("UID:urn:uuid:{}", c.id));
        lines.push(format!("FN:{}", vtext(&c.display_name)));
        lines.push(format!(
            "N:{};{};;{};",
            vtext(&c.last_name),
            vtext(&c.first_name),
            vtext(c.salutation.as_deref().unwrap_or(""))
        ));
        if let Some(org) = &c.organization {
            lines.push(format!("ORG:{}", vtext(org)));
        }
        if let Some(title) = &c.title {
            lines.push(format!("TITLE:{}", vtext(title)));
        }
        for email in &c.emails {
            lines.push(format!("EMAIL:{}", vtext(email)));
        }
        for phone in &c.phones {
            if phone.starts_with('+') && phone[1..].chars().all(|ch| ch.is_ascii_digit()) {
                lines.push(format!("TEL;VALUE=uri:tel:{phone}"));
            } else {
                lines.push(format!("TEL;VALUE=text:{}", vtext(phone)));
            }
        }
        let a = &c.address;
        if !a.is_empty() {
            let p = |o: &Option<String>| vtext(o.as_deref().unwrap_or(""));
            lines.push(format!(
                "ADR;TYPE=work:;;{};{};{};{};{}",
                p(&a.street),
                p(&a.city),
                p(&a.region),
                p(&a.postcode),
                p(&a.country)
            ));
        }
        if let Some(url) = &c.website {
            lines.push(format!("URL:{}", vtext(url)));
        }
        if !c.tags.is_empty() {
            lines.push(format!(
                "CATEGORIES:{}",
                c.tags.iter().map(|t| vtext(t)).collect::<Vec<_>>().join(",")
            ));
        }
        if let Some(notes) = &c.notes {
            lines.push(format!("NOTE:{}", vtext(notes)));
        }
        if let Some(source) = &c.source {
            lines.push(format!("X-KONTOR-SOURCE:{}", vtext(source)));
        }
        lines.push(format!("X-KONTOR-STAGE:{}", c.stage.key()));
        lines.push(format!("REV:{}", c.updated_at.format("%Y%m%dT%H%M%SZ")));
        lines.push("END:VCARD".to_owned());
        for line in lines {
            fold_line(&line, &mut out);
        }
    }
    out
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
        };
        let whole = canonical(serde_json::to_value(&data).unwrap());
        let before = format!(
            "sha256:{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(serde_json::to_vec(&whole).unwrap())
        );
        assert_eq!(data.checksum().unwrap(), before);
    }

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let mut out = String::new();
        fold_line(&format!("NOTE:{}", "ü".repeat(60)), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("NOTE:{}", "ü".repeat(60)));
    }
}

//! The rep's data as files: import, export, backup and restore, the GDPR
//! export and erase of one person, report CSVs. Paths come from the caller
//! (a native dialog, a CLI argument); the names proposed for new files are
//! here, in the rep's language.

use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::backup_before;
use crate::backup_file::{BackupFile, BackupInfo, RecordCounts};
use crate::backups::{self, BackupEntry, Reason};
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, SavedFile};
use crate::import::{self, ImportOptions, ImportPreview, ImportReport};
use crate::lang::Language;
use crate::report::{Period, ReportKind};
use crate::store::{ListQuery, Store};
use crate::texts::Text;

/// A file's name without its directory.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, &e))
}

/// Writes an owner-only file through a temporary one, so a failed write
/// leaves no half file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::paths::write_private(path, bytes).map_err(|e| Error::io(path, &e))
}

/// Writes `bytes` to `path` (as [`write_file`]) and says what was saved.
pub fn save_file(path: &Path, bytes: &[u8], count: u32) -> Result<SavedFile> {
    write_file(path, bytes)?;
    Ok(SavedFile { name: file_name(path), count })
}

fn json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| Error::Storage(e.to_string()))
}

// ---- import -------------------------------------------------------------------

/// Reads an import file completely (nothing is written yet).
fn parse(path: &Path, options: &ImportOptions) -> Result<(import::Parsed, String)> {
    let bytes = read(path)?;
    let name = file_name(path);
    Ok((import::parse(&bytes, &name, options)?, name))
}

/// What importing the file at `path` would do; nothing is written.
pub fn import_preview(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ImportPreview> {
    let (parsed, name) = parse(path, options)?;
    store.import_preview(&parsed, &name, options, now)
}

/// Imports the file at `path` in batches after an automatic backup (none
/// for a dry run); `progress(done, total)` after each batch, `false` stops
/// after the current one.
pub fn import(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    dry_run: bool,
    progress: impl FnMut(u32, u32) -> bool,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let (parsed, name) = parse(path, options)?;
    if !dry_run {
        backup_before(store, Reason::Import, now)?;
    }
    store.import(parsed, &name, options, dry_run, progress, now)
}

// ---- export -------------------------------------------------------------------

/// Every contact, by name.
pub fn all_contacts(store: &Store, now: DateTime<Utc>) -> Result<Vec<Contact>> {
    Ok(store.list_contacts(&ListQuery { limit: u32::MAX, ..Default::default() }, now)?.items)
}

/// The contacts exported: the file's text and how many contacts it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file's text (CSV with BOM and CRLF, vCard 4.0 or JSON).
    pub text: String,
    /// Contacts written.
    pub count: u32,
}

/// Every contact (or those of `ids`, in that order) as CSV, vCard 4.0 or Kontor's JSON.
pub fn export_contacts(
    store: &Store,
    format: ExportFormat,
    ids: Option<&[Uuid]>,
    now: DateTime<Utc>,
) -> Result<Exported> {
    let contacts = match ids {
        Some(ids) => ids.iter().map(|id| store.contact(*id, now)).collect::<Result<Vec<_>>>()?,
        None => all_contacts(store, now)?,
    };
    let text = match format {
        ExportFormat::Csv => export::contacts_csv(&contacts),
        ExportFormat::Vcard => export::contacts_vcard(&contacts),
        ExportFormat::Json => json_text(&contacts)?,
    };
    Ok(Exported { text, count: u32::try_from(contacts.len()).unwrap_or(u32::MAX) })
}

/// The name proposed for a contacts export (`kontakte.csv`, `contacts.vcf`).
pub fn export_name(format: ExportFormat, language: Language) -> String {
    format!("{}.{}", Text::FileContacts.get(language), format.extension())
}

/// Writes the contacts export to `path`.
pub fn export_contacts_to(
    store: &Store,
    format: ExportFormat,
    ids: Option<&[Uuid]>,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<SavedFile> {
    let exported = export_contacts(store, format, ids, now)?;
    save_file(path, exported.text.as_bytes(), exported.count)
}

// ---- backup and restore ---------------------------------------------------------

/// The name proposed for a backup (`kontor-sicherung-2026-12-06.json`), dated in the rep's time zone.
pub fn backup_name(store: &Store, now: DateTime<Utc>) -> String {
    let day = now.with_timezone(&store.time_zone()).format("%Y-%m-%d");
    format!("kontor-{}-{day}.json", Text::FileBackup.get(store.language()))
}

/// Writes a full backup to `path` (streamed, checked after writing).
pub fn save_backup(
    store: &Store,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<crate::backup_file::BackupManifest> {
    backups::save(store, path, super::VERSION, now)
}

/// What the backup at `path` holds, beside how many contacts the store has now.
pub fn backup_info(store: &Store, path: &Path) -> Result<BackupInfo> {
    let file = BackupFile::from_slice(&read(path)?)?;
    Ok(BackupInfo {
        name: file_name(path),
        manifest: file.manifest,
        current_contacts: u32::try_from(store.contact_count()?).unwrap_or(u32::MAX),
    })
}

/// Restores the backup at `path`; replacing the records present only with
/// `force`, and then after an automatic backup of them.
pub fn restore(store: &Store, path: &Path, force: bool, now: DateTime<Utc>) -> Result<RecordCounts> {
    let file = BackupFile::from_slice(&read(path)?)?;
    if force {
        backup_before(store, Reason::Restore, now)?;
    }
    store.restore(&file.manifest, &file.data, force, now)
}

/// The automatic backups, newest first.
pub fn automatic_backups(store: &Store) -> Result<Vec<BackupEntry>> {
    backups::list(store.dir())
}

/// Restores the automatic backup named `file` (as [`automatic_backups`]
/// lists it; never a path), after an automatic backup of the present store.
pub fn restore_automatic(store: &Store, file: &str, now: DateTime<Utc>) -> Result<RecordCounts> {
    let entry = backups::list(store.dir())?
        .into_iter()
        .find(|e| e.file == file)
        .ok_or_else(|| Error::InvalidInput { field: "file", reason: format!("no backup named {file:?}") })?;
    let backup = backups::read_verified(&backups::dir(store.dir()).join(&entry.file))?;
    backup_before(store, Reason::Restore, now)?;
    store.restore(&backup.manifest, &backup.data, true, now)
}

// ---- GDPR -------------------------------------------------------------------------

/// Everything about one person as a JSON file: the name proposed
/// (`daten-Anna-Muster.json`) and the text.
pub fn person_export(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<(String, String)> {
    let export = store.person_export(id, now)?;
    let slug: String =
        export.contact.display_name.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    let name = format!("{}-{slug}.json", Text::FilePersonData.get(store.language()));
    Ok((name, json_text(&export)?))
}

/// Erases one person for good, after an automatic backup. Whether the
/// store's files must still be compacted (with the store closed) so that
/// nothing of them stays.
pub fn erase_person(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    store.contact(id, now)?;
    backup_before(store, Reason::Erase, now)?;
    store.erase_person(id, now)?;
    Ok(store.compaction_pending())
}

// ---- reports ----------------------------------------------------------------------

/// A report as CSV in the rep's language: the name proposed
/// (`bericht-funnel.csv`), the text and its data rows.
pub fn report_csv(
    store: &Store,
    kind: ReportKind,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<(String, String, u32)> {
    let report = super::deals::report(store, kind, period, now)?;
    let language = store.language();
    let csv = report.to_csv(language);
    let rows = u32::try_from(csv.lines().count().saturating_sub(1)).unwrap_or(u32::MAX);
    Ok((format!("{}-{}.csv", Text::FileReport.get(language), kind.key()), csv, rows))
}

//! The rep's data as files: import (preview, run with progress, cancel),
//! exports, backup and restore, recovery, the integrity check, and the GDPR
//! export and erase of one person.

use std::path::Path;
use std::sync::atomic::Ordering;

use kontor_core::backup_file::{BackupFile, BackupInfo, RecordCounts};
use kontor_core::backups::{self, BackupEntry, Reason};
use kontor_core::export::{self, ChosenFile, ExportFormat, SavedFile};
use kontor_core::import::{self, ImportOptions, ImportPreview, ImportProgress, ImportReport};
use kontor_core::{Checkup, Contact, ListQuery, Repair, Store};
use tauri::{AppHandle, Emitter, Runtime, State};
use uuid::Uuid;

use super::dialog::{file_name, german, io, no_file, pick, save_as, write_file};
use crate::error::Result;
use crate::state::{lock, now, AppState};

/// Asks for a file to import (CSV, vCard or Kontor JSON).
#[tauri::command(async)]
pub fn choose_import_file<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Option<ChosenFile> {
    let title = if german(&state, &app) { "Kontakte importieren" } else { "Import contacts" };
    let filters: &[(&str, &[&str])] =
        &[("CSV, vCard, JSON", &["csv", "CSV", "txt", "tsv", "vcf", "VCF", "vcard", "json"]), ("*", &["*"])];
    let path = pick(&app, title, filters)?;
    let name = file_name(&path);
    state.picked.set_import(path);
    Some(ChosenFile { name })
}

fn read_import(state: &AppState, options: &ImportOptions) -> Result<(import::Parsed, String)> {
    let path = lock(&state.picked.import).clone().ok_or_else(|| no_file("import"))?;
    let bytes = std::fs::read(&path).map_err(|e| io(&path, &e))?;
    let name = file_name(&path);
    Ok((import::parse(&bytes, &name, options)?, name))
}

/// What importing the chosen file would do; nothing is written.
#[tauri::command(async)]
pub fn import_preview(state: State<'_, AppState>, options: ImportOptions) -> Result<ImportPreview> {
    let (parsed, name) = read_import(&state, &options)?;
    Ok(state.store()?.import_preview(&parsed, &name, &options, now())?)
}

/// Imports the chosen file in batches, emitting `import-progress` after each.
#[tauri::command(async)]
pub fn import_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    options: ImportOptions,
) -> Result<ImportReport> {
    let Ok(_running) = state.picked.importing.try_lock() else {
        return Err(kontor_core::Error::InvalidInput {
            field: "file",
            reason: "an import is already running".into(),
        }
        .into());
    };
    let (parsed, name) = read_import(&state, &options)?;
    state.picked.cancel_import.store(false, Ordering::SeqCst);
    let store = state.store()?;
    crate::state::backup_before(&store, Reason::Import)?;
    let report = store.import(
        parsed,
        &name,
        &options,
        false,
        |done, total| {
            let _ = app.emit("import-progress", ImportProgress { done, total });
            !state.picked.cancel_import.load(Ordering::SeqCst)
        },
        now(),
    )?;
    state.wake_reminders();
    Ok(report)
}

/// Stops a running import after its current batch.
#[tauri::command(async)]
pub fn cancel_import(state: State<'_, AppState>) {
    state.picked.cancel_import.store(true, Ordering::SeqCst);
}

fn all_contacts(store: &Store) -> Result<Vec<Contact>> {
    Ok(store.list_contacts(&ListQuery { limit: u32::MAX, ..Default::default() }, now())?.items)
}

/// Exports every contact as CSV, vCard 4.0 or JSON to a file the user picks.
#[tauri::command(async)]
pub fn export_contacts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
) -> Result<Option<SavedFile>> {
    let de = german(&state, &app);
    let (name, filter): (&str, (&str, &[&str])) = match format {
        ExportFormat::Csv => (if de { "kontakte.csv" } else { "contacts.csv" }, ("CSV", &["csv"])),
        ExportFormat::Vcard => (if de { "kontakte.vcf" } else { "contacts.vcf" }, ("vCard", &["vcf"])),
        ExportFormat::Json => (if de { "kontakte.json" } else { "contacts.json" }, ("JSON", &["json"])),
    };
    let Some(path) = save_as(&app, if de { "Kontakte exportieren" } else { "Export contacts" }, name, filter)
    else {
        return Ok(None);
    };
    let contacts = all_contacts(&*state.store()?)?;
    let text = match format {
        ExportFormat::Csv => export::contacts_csv(&contacts),
        ExportFormat::Vcard => export::contacts_vcard(&contacts),
        ExportFormat::Json => serde_json::to_string_pretty(&contacts).unwrap_or_default(),
    };
    write_file(&path, text.as_bytes())?;
    Ok(Some(SavedFile { name: file_name(&path), count: contacts.len() as u32 }))
}

/// Writes a full backup to a file the user picks.
#[tauri::command(async)]
pub fn backup_store<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<SavedFile>> {
    let de = german(&state, &app);
    let stamp = now().with_timezone(&state.tz).format("%Y-%m-%d");
    let name = format!("kontor-{}-{stamp}.json", if de { "sicherung" } else { "backup" });
    let Some(path) =
        save_as(&app, if de { "Sicherung speichern" } else { "Save backup" }, &name, ("JSON", &["json"]))
    else {
        return Ok(None);
    };
    let manifest = backups::save(&*state.store()?, &path, env!("CARGO_PKG_VERSION"), now())?;
    Ok(Some(SavedFile { name: file_name(&path), count: manifest.counts.contacts }))
}

/// Asks for a backup file and shows what it holds.
#[tauri::command(async)]
pub fn choose_backup_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupInfo>> {
    let title = if german(&state, &app) { "Sicherung wiederherstellen" } else { "Restore backup" };
    let Some(path) = pick(&app, title, &[("JSON", &["json"])]) else {
        return Ok(None);
    };
    let info = backup_info(&state, &path)?;
    state.picked.set_backup(path);
    Ok(Some(info))
}

fn backup_info(state: &AppState, path: &Path) -> Result<BackupInfo> {
    let bytes = std::fs::read(path).map_err(|e| io(path, &e))?;
    let file = BackupFile::from_slice(&bytes)?;
    Ok(BackupInfo {
        name: file_name(path),
        manifest: file.manifest,
        current_contacts: u32::try_from(state.store()?.contact_count()?).unwrap_or(u32::MAX),
    })
}

/// Restores the chosen backup (replacing the contacts present only with `force`).
#[tauri::command(async)]
pub fn restore_store(state: State<'_, AppState>, force: bool) -> Result<RecordCounts> {
    let path = lock(&state.picked.backup).clone().ok_or_else(|| no_file("backup"))?;
    let bytes = std::fs::read(&path).map_err(|e| io(&path, &e))?;
    let file = BackupFile::from_slice(&bytes)?;
    let store = state.store()?;
    if force {
        crate::state::backup_before(&store, Reason::Restore)?;
    }
    let counts = store.restore(&file.manifest, &file.data, force, now())?;
    state.wake_reminders();
    Ok(counts)
}

/// The automatic backups, newest first.
#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupEntry>> {
    Ok(backups::list(&state.data_dir)?)
}

/// Restores one automatic backup, named as [`list_backups`] lists it; the
/// store present is backed up first.
#[tauri::command(async)]
pub fn restore_backup(state: State<'_, AppState>, file: String) -> Result<RecordCounts> {
    // Only a name the folder lists: the UI never sends a path.
    let entry = backups::list(&state.data_dir)?.into_iter().find(|e| e.file == file).ok_or_else(|| {
        kontor_core::Error::InvalidInput { field: "file", reason: format!("no backup named {file:?}") }
    })?;
    let backup = backups::read_verified(&backups::dir(&state.data_dir).join(&entry.file))?;
    let store = state.store()?;
    crate::state::backup_before(&store, Reason::Restore)?;
    let counts = store.restore(&backup.manifest, &backup.data, true, now())?;
    state.wake_reminders();
    Ok(counts)
}

/// The integrity check (`kontor doctor`): what is out of step.
#[tauri::command(async)]
pub fn check_store(state: State<'_, AppState>) -> Result<Checkup> {
    Ok(state.store()?.doctor()?)
}

/// Rebuilds everything derived from the records (deletes no record).
#[tauri::command(async)]
pub fn repair_store(state: State<'_, AppState>) -> Result<Repair> {
    let repair = state.store()?.repair(now())?;
    state.wake_reminders();
    Ok(repair)
}

/// Recovery: the store could not be opened; the newest verified backup is
/// restored into a fresh one (the damaged store is moved aside, never
/// deleted), which the app then uses.
#[tauri::command(async)]
pub fn recover_latest<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<RecordCounts> {
    if state.store_now().is_some() {
        return Err(kontor_core::Error::InvalidInput {
            field: "store",
            reason: "the store is open; restore a backup from Settings → Data instead".into(),
        }
        .into());
    }
    let (restored, _) = kontor_core::recovery::restore_latest(&state.data_dir, crate::state::VERSION, now())?;
    let counts = restored.counts;
    let store = state.set_recovered(restored.store)?;
    if store.needs_rebuild() {
        store.rebuild_derived(now())?;
    }
    crate::background::start(&app);
    Ok(counts)
}

/// GDPR: everything about one person, as JSON, to a file the user picks.
#[tauri::command(async)]
pub fn export_person<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let export = store.person_export(id, now())?;
    let de = german(&state, &app);
    let slug: String =
        export.contact.display_name.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    let name = format!("{}-{slug}.json", if de { "daten" } else { "data" });
    let title = if de { "Personendaten exportieren" } else { "Export personal data" };
    let Some(path) = save_as(&app, title, &name, ("JSON", &["json"])) else {
        return Ok(None);
    };
    let text = serde_json::to_string_pretty(&export).unwrap_or_default();
    write_file(&path, text.as_bytes())?;
    Ok(Some(SavedFile { name: file_name(&path), count: 1 }))
}

/// GDPR: erases one person for good, then compacts the store so that
/// nothing of them stays in its files. Whether the compaction was done now
/// (`false`: the store was busy or in use by another process; the next
/// start does it).
#[tauri::command(async)]
pub fn erase_person(state: State<'_, AppState>, id: Uuid) -> Result<bool> {
    let store = state.store()?;
    store.contact(id, now())?;
    crate::state::backup_before(&store, Reason::Erase)?;
    store.erase_person(id, now())?;
    let pending = store.compaction_pending();
    drop(store);
    let compacted = !pending
        || match state.reopen_after(kontor_core::store::compact) {
            Ok(done) => done,
            Err(e) => {
                eprintln!("kontor: compacting the store after the erase failed ({e}); it is tried again at the next start");
                false
            }
        };
    state.wake_reminders();
    Ok(compacted)
}

/// Test support: a backup's info without a dialog.
pub fn backup_info_for(state: &AppState, path: &Path) -> Result<BackupInfo> {
    backup_info(state, path)
}

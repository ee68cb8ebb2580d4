//! The rep's data as files: import (preview, run with progress, cancel),
//! exports, backup and restore, recovery, the integrity check, and the GDPR
//! export and erase of one person.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use kontor_core::api::data;
use kontor_core::backup_file::{BackupInfo, RecordCounts};
use kontor_core::backups::BackupEntry;
use kontor_core::export::{ChosenFile, ExportFormat, SavedFile};
use kontor_core::import::{ImportOptions, ImportPreview, ImportProgress, ImportReport};
use kontor_core::texts::Text;
use kontor_core::{Checkup, Repair};
use tauri::{AppHandle, Emitter, Runtime, State};
use uuid::Uuid;

use super::dialog::{pick, save_as};
use crate::error::Result;
use crate::state::{lock, now, AppState};

fn no_file(what: &'static str) -> crate::error::Error {
    kontor_core::Error::InvalidInput { field: "file", reason: format!("no {what} file chosen") }.into()
}

fn picked(slot: &std::sync::Mutex<Option<PathBuf>>, what: &'static str) -> Result<PathBuf> {
    lock(slot).clone().ok_or_else(|| no_file(what))
}

/// Asks for a file to import (CSV, vCard or Kontor JSON); `null` when cancelled.
#[tauri::command(async)]
pub fn choose_import_file<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Option<ChosenFile> {
    let filters: &[(&str, &[&str])] =
        &[("CSV, vCard, JSON", &["csv", "CSV", "txt", "tsv", "vcf", "VCF", "vcard", "json"]), ("*", &["*"])];
    let path = pick(&app, Text::DialogImport.get(state.language()), filters)?;
    let name = data::file_name(&path);
    state.picked.set_import(path);
    Some(ChosenFile { name })
}

/// What importing the chosen file would do; nothing is written.
#[tauri::command(async)]
pub fn import_preview(state: State<'_, AppState>, options: ImportOptions) -> Result<ImportPreview> {
    let path = picked(&state.picked.import, "import")?;
    Ok(data::import_preview(&*state.store()?, &path, &options, now())?)
}

/// Imports the chosen file in batches (after an automatic backup),
/// emitting `import-progress` after each.
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
    let path = picked(&state.picked.import, "import")?;
    state.picked.cancel_import.store(false, Ordering::SeqCst);
    let progress = |done, total| {
        let _ = app.emit("import-progress", ImportProgress { done, total });
        !state.picked.cancel_import.load(Ordering::SeqCst)
    };
    let report = data::import(&*state.store()?, &path, &options, false, progress, now())?;
    state.wake_reminders();
    Ok(report)
}

/// Stops a running import after its current batch (its report says `cancelled`).
#[tauri::command(async)]
pub fn cancel_import(state: State<'_, AppState>) {
    state.picked.cancel_import.store(true, Ordering::SeqCst);
}

/// Exports every contact as CSV, vCard 4.0 or JSON where the native save
/// dialog says; `null` when cancelled.
#[tauri::command(async)]
pub fn export_contacts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    ids: Option<Vec<Uuid>>,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let language = store.language();
    let filter = (format.kind_name(), &[format.extension()][..]);
    let name = data::export_name(format, language);
    let Some(path) = save_as(&app, Text::DialogExport.get(language), &name, filter) else {
        return Ok(None);
    };
    Ok(Some(data::export_contacts_to(&store, format, ids.as_deref(), &path, now())?))
}

/// Writes a full backup where the native save dialog says; `null` when cancelled.
#[tauri::command(async)]
pub fn backup_store<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let name = data::backup_name(&store, now());
    let Some(path) = save_as(&app, Text::DialogBackup.get(store.language()), &name, ("JSON", &["json"]))
    else {
        return Ok(None);
    };
    let manifest = data::save_backup(&store, &path, now())?;
    Ok(Some(SavedFile { name: data::file_name(&path), count: manifest.counts.contacts }))
}

/// Asks for a backup file and says what it holds; `null` when cancelled.
#[tauri::command(async)]
pub fn choose_backup_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupInfo>> {
    let Some(path) = pick(&app, Text::DialogRestore.get(state.language()), &[("JSON", &["json"])]) else {
        return Ok(None);
    };
    let info = data::backup_info(&*state.store()?, &path)?;
    state.picked.set_backup(path);
    Ok(Some(info))
}

/// Replaces the store with the chosen backup; refused with
/// `store_not_empty` unless `force` when contacts exist.
#[tauri::command(async)]
pub fn restore_store(state: State<'_, AppState>, force: bool) -> Result<RecordCounts> {
    let path = picked(&state.picked.backup, "backup")?;
    let counts = data::restore(&*state.store()?, &path, force, now())?;
    state.wake_reminders();
    Ok(counts)
}

/// The automatic backups in the data folder, newest first.
#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupEntry>> {
    Ok(kontor_core::backups::list(&state.data_dir)?)
}

/// Restores one automatic backup by its file name, as `list_backups` names
/// it (the present state is backed up first).
#[tauri::command(async)]
pub fn restore_backup(state: State<'_, AppState>, file: String) -> Result<RecordCounts> {
    let counts = data::restore_automatic(&*state.store()?, &file, now())?;
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

/// Recovery when the store could not be opened: the newest verified backup
/// is restored into a fresh store (the damaged one is moved aside, never
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
    let (restored, _) =
        kontor_core::recovery::restore_latest(&state.data_dir, kontor_core::api::VERSION, now())?;
    let counts = restored.counts;
    let store = state.set_recovered(restored.store)?;
    if store.needs_rebuild() {
        store.rebuild_derived(now())?;
    }
    crate::background::start(&app);
    Ok(counts)
}

/// GDPR: everything about one person as a JSON file where the native save
/// dialog says; `null` when cancelled.
#[tauri::command(async)]
pub fn export_person<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let (name, text) = data::person_export(&store, id, now())?;
    let title = Text::DialogPersonData.get(store.language());
    let Some(path) = save_as(&app, title, &name, ("JSON", &["json"])) else {
        return Ok(None);
    };
    Ok(Some(data::save_file(&path, text.as_bytes(), 1)?))
}

/// GDPR: erases one person for good, then compacts the store so that
/// nothing of them stays in its files. Whether the compaction was done now
/// (`false`: the store was busy or in use by another process; the next
/// start does it).
#[tauri::command(async)]
pub fn erase_person(state: State<'_, AppState>, id: Uuid) -> Result<bool> {
    let pending = data::erase_person(&*state.store()?, id, now())?;
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
    Ok(data::backup_info(&*state.store()?, path)?)
}

//! `kontor import`, `export`, `backup`, `restore`, `backups`, `doctor`, `person`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use kontor_core::api::{data, VERSION};
use kontor_core::backup_file::BackupFile;
use kontor_core::export::ExportFormat;
use kontor_core::import::{DuplicateChoice, ImportFormat, ImportOptions, Preset};
use kontor_core::{backups, recovery, Store};

use crate::output::{out, print_json, write_out, Error, Result};
use crate::{now, parse};

#[derive(Args)]
pub struct ImportArgs {
    /// The file.
    file: PathBuf,
    /// File kind.
    #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
    format: ImportFormat,
    /// CSV layout.
    #[arg(long, value_enum, default_value_t = Preset::Auto)]
    preset: Preset,
    /// Report what would happen without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Source recorded on the contacts (default: the file name).
    #[arg(long)]
    source: Option<String>,
    /// Do not merge records into contacts with the same email or phone.
    #[arg(long)]
    no_merge: bool,
    /// What records that only may be an existing contact (its email or phone
    /// under another name, a similar name at the same company) do.
    #[arg(long, value_enum, default_value = "new")]
    possible_duplicates: DuplicateChoice,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// csv, vcard or json.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file (JSON, or the backups folder's .json.gz).
    #[arg(required_unless_present = "latest")]
    file: Option<PathBuf>,
    /// Restore the newest verified backup of the backups folder.
    #[arg(long, conflicts_with = "file")]
    latest: bool,
    /// Replace the records present.
    #[arg(long)]
    force: bool,
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum BackupsCommand {
    /// The backups, newest first.
    List {
        /// Print JSON: [{"file", "created_at", "counts", "verified", "reason"}].
        #[arg(long)]
        json: bool,
    },
    /// Write a backup into the folder now (verified and rotated like the
    /// automatic ones).
    Create {
        /// Print it as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Everything about one person as JSON.
    Export {
        /// Contact id.
        id: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Erase one person for good: record, activities, tasks, index entries.
    Erase {
        /// Contact id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `kontor import FILE`, after an automatic backup (none for a dry run).
pub fn import(store: &Store, a: ImportArgs) -> Result {
    crate::tune_allocator();
    let options = ImportOptions {
        format: a.format,
        preset: a.preset,
        mapping: None,
        source: a.source,
        merge_duplicates: !a.no_merge,
        possible_duplicates: a.possible_duplicates,
        choices: Vec::new(),
    };
    let report = data::import(store, &a.file, &options, a.dry_run, |_, _| true, now())?;
    if a.json {
        return print_json(&report);
    }
    let verb = if a.dry_run { "would import" } else { "imported" };
    out!(
        "{verb} {}, merged {}, skipped {}, rejected {}",
        report.imported,
        report.merged,
        report.skipped,
        report.errors.len()
    );
    for e in &report.errors {
        out!("  line {}: {}", e.line, e.reason);
    }
    for w in &report.warnings {
        out!("  line {}: note: {}", w.line, w.reason);
    }
    Ok(())
}

/// `kontor export --format F [--out FILE]`.
pub fn export(store: &Store, a: ExportArgs) -> Result {
    let exported = data::export_contacts(store, a.format, None, now())?;
    write_out(a.out.as_deref(), exported.text.as_bytes())?;
    if let Some(out) = a.out {
        eprintln!("{} contacts written to {}", exported.count, out.display());
    }
    Ok(())
}

/// `kontor backup --out FILE`.
pub fn backup(store: &Store, out: &Path, json: bool) -> Result {
    let manifest = data::save_backup(store, out, now())?;
    if json {
        return print_json(&manifest);
    }
    let c = &manifest.counts;
    out!(
        "backup written to {}: {} contacts, {} organisations, {} activities, {} tasks, {} deals ({})",
        out.display(),
        c.contacts,
        c.organizations,
        c.activities,
        c.tasks,
        c.deals,
        manifest.checksum
    );
    Ok(())
}

/// `kontor backups …`: the automatic backups folder.
pub fn backups(store: &Store, command: BackupsCommand) -> Result {
    match command {
        BackupsCommand::List { json } => {
            let list = data::automatic_backups(store)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("no backups in {}", backups::dir(store.dir()).display());
            }
            for b in &list {
                let c = &b.counts;
                out!(
                    "{}  {}  {} contacts, {} activities, {} tasks, {} deals  {}",
                    b.created_at.format("%Y-%m-%d %H:%M UTC"),
                    b.file,
                    c.contacts,
                    c.activities,
                    c.tasks,
                    c.deals,
                    if b.verified { "verified" } else { "not verified" }
                );
            }
            Ok(())
        }
        BackupsCommand::Create { json } => {
            let entry = backups::write(store, backups::Reason::Manual, VERSION, now())?;
            if json {
                return print_json(&entry);
            }
            out!("backup written and verified: {}", backups::dir(store.dir()).join(&entry.file).display());
            Ok(())
        }
    }
}

/// `kontor person …`: GDPR export and erase.
pub fn person(store: &Store, command: PersonCommand) -> Result {
    match command {
        PersonCommand::Export { id, out } => {
            let (_, text) = data::person_export(store, parse::id(&id)?, now())?;
            write_out(out.as_deref(), text.as_bytes())
        }
        PersonCommand::Erase { id, json } => {
            let id = parse::id(&id)?;
            let name = store.display_name(id).unwrap_or_default();
            // The store is compacted after the command, with the store closed (`main`).
            data::erase_person(store, id, now())?;
            if json {
                return print_json(&serde_json::json!({ "erased": id, "display_name": name }));
            }
            out!("erased {name} ({id}) with all activities and tasks");
            Ok(())
        }
    }
}

/// `kontor restore`: the backup is checked whole before anything is
/// touched; a store that cannot be opened is moved aside, one with records
/// backed up first (see `kontor_core::recovery`).
pub fn restore(dir: &Path, a: RestoreArgs) -> Result {
    let (restored, from) = match a.file {
        Some(file) if !a.latest => {
            let bytes = std::fs::read(&file).map_err(|e| kontor_core::Error::io(&file, &e))?;
            let backup = BackupFile::from_slice(&bytes)?;
            (recovery::restore(dir, &backup, a.force, VERSION, now())?, file)
        }
        _ => recovery::restore_latest(dir, VERSION, now())?,
    };
    if restored.store.needs_rebuild() {
        restored.store.rebuild_derived(now())?;
    }
    let counts = &restored.counts;
    if a.json {
        return print_json(counts);
    }
    if let Some(aside) = &restored.moved_aside {
        out!("the store could not be opened; it was moved to {}", aside.display());
    }
    if let Some(safety) = &restored.safety_backup {
        out!("the replaced store was backed up to {}", backups::dir(dir).join(&safety.file).display());
    }
    out!(
        "restored {} contacts, {} organisations, {} activities, {} tasks from {}",
        counts.contacts,
        counts.organizations,
        counts.activities,
        counts.tasks,
        from.display()
    );
    Ok(())
}

/// `kontor doctor [--repair]`.
pub fn doctor(store: &Store, repair: bool, json: bool) -> Result {
    let (problems, fixed) = if repair {
        let r = store.repair(now())?;
        let fixed = r.before.len().saturating_sub(r.after.len());
        (r.after, Some((r.before, fixed)))
    } else {
        (store.doctor()?.problems, None)
    };
    if json {
        print_json(&problems)?;
    } else {
        if let Some((before, fixed)) = &fixed {
            for p in before {
                out!("found: {} {}: {}", p.kind, p.id, p.problem);
            }
            out!("rebuilt every index, counter and the search index from the records: {fixed} problem(s) fixed");
        }
        for p in &problems {
            out!("{} {}: {}", p.kind, p.id, p.problem);
        }
        if problems.is_empty() {
            let c = store.record_counts()?;
            out!(
                "healthy: {} contacts, {} organisations, {} activities, {} tasks, {} deals checked",
                c.contacts,
                c.organizations,
                c.activities,
                c.tasks,
                c.deals
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Unhealthy(problems.len()))
    }
}

//! Recovery, never a dead end: a restore works whatever state the store is
//! in. A store that cannot be opened (damaged, written by a newer Kontor)
//! is moved aside to `store.damaged-<time>` — never deleted — and the
//! backup restored into a fresh one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::backup_file::{BackupFile, RecordCounts};
use crate::backups::{self, Reason};
use crate::error::{Error, Result};
use crate::store::{Store, STORE_ENTRIES};

/// What a restore did.
pub struct Restored {
    /// The store, open, holding the backup's records.
    pub store: Store,
    /// What it holds now.
    pub counts: RecordCounts,
    /// Where the store that could not be opened was moved.
    pub moved_aside: Option<PathBuf>,
    /// The automatic backup of the store it replaced.
    pub safety_backup: Option<backups::BackupEntry>,
}

/// Moves the store's files in `data_dir` into `store.damaged-<time>` there
/// and returns that folder. Nothing is deleted.
pub fn move_aside(data_dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut aside = data_dir.join(format!("store.damaged-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = data_dir.join(format!("store.damaged-{stamp}-{n}"));
    }
    std::fs::create_dir(&aside).map_err(|e| Error::io(&aside, &e))?;
    for name in STORE_ENTRIES {
        let from = data_dir.join(name);
        if from.exists() {
            std::fs::rename(&from, aside.join(name)).map_err(|e| Error::io(&from, &e))?;
        }
    }
    let _ = crate::paths::secure_data_dir(data_dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&aside, std::fs::Permissions::from_mode(0o700));
    }
    Ok(aside)
}

/// Restores `backup` into `data_dir`, whatever state its store is in.
///
/// The backup is checked whole first; nothing is touched when it is bad.
/// A store that opens and holds records is replaced only with `force`,
/// after an automatic backup of it. A store that cannot be opened because
/// it is damaged or newer is moved aside first. A store in use by another
/// Kontor is left alone (the error says so).
pub fn restore(
    data_dir: &Path,
    backup: &BackupFile,
    force: bool,
    app_version: &str,
    now: DateTime<Utc>,
) -> Result<Restored> {
    crate::store::check_backup(&backup.manifest, &backup.data)?;
    let (store, moved_aside) = match Store::open(data_dir) {
        Ok(store) => (store, None),
        Err(Error::StoreCorrupt { .. } | Error::StoreNewer { .. }) => {
            let aside = move_aside(data_dir, now)?;
            (Store::open(data_dir)?, Some(aside))
        }
        Err(e) => return Err(e),
    };
    // Counting reads every key: damage an open did not notice shows here.
    let replace = |store: &Store| -> Result<_> {
        let counts = store.record_counts()?;
        let holds = counts != RecordCounts::default();
        if holds && !force {
            return Err(Error::StoreNotEmpty { contacts: counts.contacts as usize });
        }
        let safety =
            if holds { Some(backups::write(store, Reason::Restore, app_version, now)?) } else { None };
        Ok((store.restore(&backup.manifest, &backup.data, true, now)?, safety))
    };
    match replace(&store) {
        Ok((counts, safety_backup)) => Ok(Restored { store, counts, moved_aside, safety_backup }),
        // It opened, but its records cannot all be read: aside with it too.
        Err(Error::StoreCorrupt { .. }) if moved_aside.is_none() => {
            drop(store);
            let aside = move_aside(data_dir, now)?;
            let store = Store::open(data_dir)?;
            let counts = store.restore(&backup.manifest, &backup.data, true, now)?;
            Ok(Restored { store, counts, moved_aside: Some(aside), safety_backup: None })
        }
        Err(e) => Err(e),
    }
}

/// Restores the newest verified backup of `data_dir`'s backups folder (see
/// [`restore`]; a store holding records is replaced, after its own backup).
pub fn restore_latest(data_dir: &Path, app_version: &str, now: DateTime<Utc>) -> Result<(Restored, PathBuf)> {
    let Some(latest) = backups::latest(data_dir)? else {
        return Err(Error::Backup(format!(
            "there is no verified backup in {}",
            backups::dir(data_dir).display()
        )));
    };
    let path = backups::dir(data_dir).join(&latest.file);
    let file = backups::read_verified(&path)?;
    Ok((restore(data_dir, &file, true, app_version, now)?, path))
}

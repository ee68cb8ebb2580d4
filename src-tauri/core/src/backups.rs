//! Automatic backups in `<data dir>/backups/`: the whole store as a
//! compressed backup file, read back and verified after writing, rotated
//! (7 daily, 4 weekly, 12 monthly), owner-only.
//!
//! A backup's file name says when it was made and why
//! (`kontor-20261206T134500Z-erase.json.gz`); `index.json` beside them lists
//! each one Kontor verified with its manifest, so listing reads no backup.
//! A file there that the index does not name (copied in by hand) is listed
//! as not verified and is checked when it is restored.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::backup_file::{BackupFile, BackupManifest, RecordCounts};
use crate::error::{Error, Result};
use crate::store::Store;

/// The folder in the data directory.
pub const DIR: &str = crate::paths::BACKUPS_DIR;
const INDEX: &str = "index.json";
const PREFIX: &str = "kontor-";
const SUFFIX: &str = ".json.gz";

/// Why an automatic backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Reason {
    /// The daily one (at start, when the newest is older than a day).
    Daily,
    /// Hourly while the app runs with changes.
    Hourly,
    /// Before a restore replaced the store.
    Restore,
    /// Before an import.
    Import,
    /// Before duplicates were merged.
    Merge,
    /// Before a person was erased.
    Erase,
    /// Asked for by the user.
    Manual,
}

impl Reason {
    fn key(self) -> &'static str {
        match self {
            Reason::Daily => "daily",
            Reason::Hourly => "hourly",
            Reason::Restore => "restore",
            Reason::Import => "import",
            Reason::Merge => "merge",
            Reason::Erase => "erase",
            Reason::Manual => "manual",
        }
    }
}

/// One backup in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupEntry {
    /// Its file name in the backups folder.
    pub file: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Records per kind.
    pub counts: RecordCounts,
    /// Whether Kontor read it back and found it whole after writing it.
    pub verified: bool,
    /// Why it was made (absent for a file Kontor did not list).
    pub reason: Option<Reason>,
}

/// The backups folder of a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join(DIR)
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::io(path, e)
}

/// Reads a backup file, compressed or not, and checks it whole (format,
/// schema version, counts, checksum).
pub fn read_verified(path: &Path) -> Result<BackupFile> {
    let bytes = std::fs::read(path).map_err(|e| io(path, &e))?;
    let file = BackupFile::from_slice(&bytes)?;
    crate::store::check_backup(&file.manifest, &file.data)?;
    Ok(file)
}

fn read_index(folder: &Path) -> Vec<BackupEntry> {
    std::fs::read(folder.join(INDEX))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<BackupEntry>>(&b).ok())
        .unwrap_or_default()
}

fn write_index(folder: &Path, entries: &[BackupEntry]) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(entries).map_err(|e| Error::Storage(e.to_string()))?;
    let path = folder.join(INDEX);
    crate::paths::write_private(&path, &bytes).map_err(|e| io(&path, &e))
}

/// Every backup in the folder, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<BackupEntry>> {
    let folder = dir(data_dir);
    let index = read_index(&folder);
    let Ok(read) = std::fs::read_dir(&folder) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(SUFFIX) || name.ends_with(".json")) || name == INDEX {
            continue;
        }
        match index.iter().find(|e| e.file == name) {
            Some(known) => out.push(known.clone()),
            None => {
                // Not written here: its manifest says what it holds, unchecked.
                let Ok(file) = BackupFile::from_slice(&std::fs::read(entry.path()).unwrap_or_default())
                else {
                    continue;
                };
                out.push(BackupEntry {
                    file: name,
                    created_at: file.manifest.created_at,
                    counts: file.manifest.counts,
                    verified: false,
                    reason: None,
                });
            }
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file.cmp(&a.file)));
    Ok(out)
}

/// The newest verified backup. Only the index names verified ones, so it
/// is read alone (no backup is opened: this runs at app start and in the
/// upkeep loop).
pub fn latest(data_dir: &Path) -> Result<Option<BackupEntry>> {
    let folder = dir(data_dir);
    Ok(read_index(&folder)
        .into_iter()
        .filter(|e| e.verified && folder.join(&e.file).exists())
        .max_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.file.cmp(&b.file))))
}

/// Writes a backup of `store` into its backups folder, reads it back and
/// verifies it, records it in the index and rotates the folder. A backup
/// that does not read back whole is removed and the error returned.
pub fn write(store: &Store, reason: Reason, app_version: &str, now: DateTime<Utc>) -> Result<BackupEntry> {
    // One at a time (the hourly one and an import's may meet): the index
    // is read, changed and written whole.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let folder = dir(store.dir());
    std::fs::create_dir_all(&folder).map_err(|e| io(&folder, &e))?;
    let _ = crate::paths::secure_data_dir(store.dir());
    let mut name = format!("{PREFIX}{}-{}{SUFFIX}", now.format("%Y%m%dT%H%M%SZ"), reason.key());
    let mut n = 1;
    while folder.join(&name).exists() {
        n += 1;
        name = format!("{PREFIX}{}-{}-{n}{SUFFIX}", now.format("%Y%m%dT%H%M%SZ"), reason.key());
    }
    let path = folder.join(&name);
    // Written and read back as streams: a store of any size costs about
    // one record of memory (and the compressor's window).
    let manifest = stream(store, &path, true, app_version, now)?;
    // Read back from the disk, as a restore would.
    let verified = std::fs::File::open(&path)
        .map_err(|e| io(&path, &e))
        .and_then(|file| crate::store::verify_backup_stream(flate2::read::GzDecoder::new(file)))
        .and_then(|back| {
            if back == manifest {
                Ok(())
            } else {
                Err(Error::Backup("it reads back other than it was written".into()))
            }
        });
    if let Err(e) = verified {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    let entry = BackupEntry {
        file: name,
        created_at: manifest.created_at,
        counts: manifest.counts,
        verified: true,
        reason: Some(reason),
    };
    let mut index = read_index(&folder);
    index.retain(|e| folder.join(&e.file).exists());
    index.push(entry.clone());
    write_index(&folder, &index)?;
    rotate(&folder, &mut index)?;
    Ok(entry)
}

/// Writes a backup of `store` to `path`, a file the rep chose: plain JSON,
/// owner-only, written record by record through a temporary file.
pub fn save(store: &Store, path: &Path, app_version: &str, now: DateTime<Utc>) -> Result<BackupManifest> {
    stream(store, path, false, app_version, now)
}

/// Streams `store`'s backup into `path` (gzip-compressed or not) through
/// a temporary file that is synced and renamed.
fn stream(
    store: &Store,
    path: &Path,
    gzip: bool,
    app_version: &str,
    now: DateTime<Utc>,
) -> Result<BackupManifest> {
    crate::paths::write_private_with(
        path,
        |file| {
            let mut out = std::io::BufWriter::new(file);
            let manifest = if gzip {
                let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::fast());
                let manifest = store.write_backup(&mut gz, app_version, now)?;
                gz.finish().map_err(|e| io(path, &e))?;
                manifest
            } else {
                store.write_backup(&mut out, app_version, now)?
            };
            std::io::Write::flush(&mut out).map_err(|e| io(path, &e))?;
            Ok(manifest)
        },
        |e| io(path, &e),
    )
}

/// Writes a daily backup when the newest verified one is older than a
/// day (or there is none and the store holds anything).
pub fn daily_if_due(store: &Store, app_version: &str, now: DateTime<Utc>) -> Result<Option<BackupEntry>> {
    if let Some(newest) = latest(store.dir())? {
        if now - newest.created_at < chrono::Duration::hours(24) {
            return Ok(None);
        }
    } else if store.record_counts()? == RecordCounts::default() {
        return Ok(None);
    }
    write(store, Reason::Daily, app_version, now).map(Some)
}

/// Which of the verified backups (newest first) rotation keeps: the newest
/// of each of the last 7 days, 4 weeks and 12 months that have one; and,
/// so that the backup made before a restore, import, merge or erase is
/// not rotated away by the next hourly one, the 10 newest and every such
/// backup of the last 7 days.
fn kept(entries: &[BackupEntry]) -> Vec<bool> {
    let mut keep: Vec<bool> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let before_a_change = !matches!(e.reason, Some(Reason::Daily | Reason::Hourly) | None);
            i < 10 || (before_a_change && entries[0].created_at - e.created_at < chrono::Duration::days(7))
        })
        .collect();
    type Period = fn(&DateTime<Utc>) -> (i32, u32);
    let periods: [(usize, Period); 3] = [
        (7, |t| (t.year(), t.ordinal())),
        (4, |t| (t.iso_week().year(), t.iso_week().week())),
        (12, |t| (t.year(), t.month())),
    ];
    for (count, period) in periods {
        let mut seen: Vec<(i32, u32)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let p = period(&e.created_at);
            if seen.contains(&p) {
                continue;
            }
            if seen.len() == count {
                break;
            }
            seen.push(p);
            keep[i] = true;
        }
    }
    keep
}

fn rotate(folder: &Path, index: &mut Vec<BackupEntry>) -> Result<()> {
    index.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file.cmp(&a.file)));
    let keep = kept(index);
    let mut gone = false;
    for (e, keep) in index.iter().zip(&keep) {
        if !keep {
            let _ = std::fs::remove_file(folder.join(&e.file));
            gone = true;
        }
    }
    if gone {
        let mut i = 0;
        index.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        write_index(folder, index)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(at: DateTime<Utc>) -> BackupEntry {
        BackupEntry {
            file: at.to_rfc3339(),
            created_at: at,
            counts: RecordCounts::default(),
            verified: true,
            reason: Some(Reason::Hourly),
        }
    }

    #[test]
    fn rotation_keeps_7_daily_4_weekly_and_12_monthly() {
        // Hourly backups for 400 days, newest first.
        let end = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
        let entries: Vec<BackupEntry> =
            (0..400 * 24).map(|h| entry(end - chrono::Duration::hours(h))).collect();
        let keep = kept(&entries);
        let kept: Vec<&BackupEntry> =
            entries.iter().zip(&keep).filter(|(_, k)| **k).map(|(e, _)| e).collect();
        // The newest of today and the 6 days before; of this week and 3 before
        // (some the same as a daily one); of this month and 11 before.
        assert!(kept.len() <= 10 + 7 + 4 + 12 && kept.len() >= 12, "{}", kept.len());
        assert_eq!(kept[0].created_at, end, "the newest stays");
        let days: std::collections::BTreeSet<_> = kept.iter().map(|e| e.created_at.date_naive()).collect();
        for d in 0..7 {
            assert!(days.contains(&(end - chrono::Duration::days(d)).date_naive()), "day {d}");
        }
        let months: std::collections::BTreeSet<_> =
            kept.iter().map(|e| (e.created_at.year(), e.created_at.month())).collect();
        assert_eq!(months.len(), 12);
        let oldest = kept.iter().map(|e| e.created_at).min().unwrap();
        assert!(end - oldest < chrono::Duration::days(366), "nothing older than the 12 months");
    }

    #[test]
    fn the_backup_before_a_change_outlives_the_hourly_ones_after_it() {
        let end = Utc.with_ymd_and_hms(2026, 12, 6, 20, 0, 0).unwrap();
        let mut entries: Vec<BackupEntry> =
            (0..30).map(|h| entry(end - chrono::Duration::hours(h))).collect();
        entries[20].reason = Some(Reason::Restore);
        let keep = kept(&entries);
        assert!(keep[20], "the backup before the restore stays");
        assert!(keep[..10].iter().all(|k| *k), "the 10 newest stay");
    }
}

#[cfg(test)]
mod written {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_streamed_backup_reads_back_whole_and_a_changed_byte_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::demo::load_demo_data(&store, now).unwrap();
        let task = crate::TaskInput {
            title: "Angebot nachfassen".into(),
            due: "2026-12-08".into(),
            ..Default::default()
        };
        store.create_task(task, chrono_tz::Europe::Berlin, now).unwrap();
        let entry = write(&store, Reason::Daily, "test", now).unwrap();
        assert!(entry.verified);
        let counts = store.record_counts().unwrap();
        assert_eq!(entry.counts, counts);
        assert!(
            counts.activities > 0 && counts.tasks > 0 && counts.deals > 0 && counts.organizations > 0,
            "{counts:?}"
        );
        // What a restore reads: the same data, the same checksum, the same
        // records as the store's own backup.
        let path = dir.path().join(DIR).join(&entry.file);
        let file = read_verified(&path).unwrap();
        assert_eq!(file.data.checksum().unwrap(), file.manifest.checksum);
        let (manifest, data) = store.backup("test", now).unwrap();
        assert_eq!(manifest, file.manifest);
        assert_eq!(data, file.data);
        // One byte changed inside a record: the stream check refuses it.
        let mut plain = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&std::fs::read(&path).unwrap()[..]),
            &mut plain,
        )
        .unwrap();
        let at = plain.windows(7).position(|w| w == b"Angebot").unwrap();
        plain[at] = b'X';
        let error = crate::store::verify_backup_stream(&plain[..]).unwrap_err();
        assert!(error.to_string().contains("checksum"), "{error}");
        // Cut short: refused too.
        let error = crate::store::verify_backup_stream(&plain[..plain.len() / 2]).unwrap_err();
        assert!(error.to_string().contains("cannot be read"), "{error}");
    }
}

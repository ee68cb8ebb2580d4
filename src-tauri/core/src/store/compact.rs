//! Compaction: the live records rewritten into a fresh sled directory that
//! replaces the old one, so that what was erased leaves the files (sled
//! keeps old versions in its log until it reuses the space).
//!
//! Invariant: a crash at any point leaves the old store or the new one
//! complete. The copy is written to `store.compact/` and checked (sled's
//! checksum over every key and value) before `store.compact.ready` says
//! so; only then is the old store renamed to `store.old` and the copy
//! into its place. [`finish`] (run at every open) completes a swap that
//! was begun and drops a copy that was not finished.

use std::path::Path;

use crate::error::{Error, Result};

const STORE: &str = "store";
const COPY: &str = "store.compact";
const READY: &str = "store.compact.ready";
const OLD: &str = "store.old";
/// Set by an erase in a process that cannot compact right away (the app):
/// the next open compacts first.
pub(crate) const PENDING: &str = "compact.pending";
/// Held shared by every open store and exclusively by a compaction, so a
/// store is never swapped under a process that has it open, and two
/// processes never compact or finish a swap at once.
const LOCK: &str = "compact.lock";

/// The data directory's compaction lock file, opened (not locked).
pub(crate) fn lock_file(data_dir: &Path) -> Result<std::fs::File> {
    let path = data_dir.join(LOCK);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path).map_err(io(&path))
}

/// Takes `lock` (exclusive or shared), waiting up to two seconds for
/// another process (sled and the lock are let go of a moment after a
/// process closes its store).
pub(crate) fn take(lock: &std::fs::File, exclusive: bool, data_dir: &Path) -> Result<()> {
    for _ in 0..20 {
        let taken = if exclusive {
            fs2::FileExt::try_lock_exclusive(lock)
        } else {
            fs2::FileExt::try_lock_shared(lock)
        };
        if taken.is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(Error::StoreLocked(data_dir.to_owned()))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, &e)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Completes or undoes a compaction a crash cut off (see the module text).
pub(crate) fn finish(data_dir: &Path) -> Result<()> {
    let (store, copy, ready, old) =
        (data_dir.join(STORE), data_dir.join(COPY), data_dir.join(READY), data_dir.join(OLD));
    if ready.exists() {
        if copy.exists() {
            if store.exists() && !old.exists() {
                std::fs::rename(&store, &old).map_err(io(&store))?;
            }
            std::fs::rename(&copy, &store).map_err(io(&copy))?;
            sync_dir(data_dir);
        }
        std::fs::remove_file(&ready).map_err(io(&ready))?;
        sync_dir(data_dir);
    } else if copy.exists() {
        std::fs::remove_dir_all(&copy).map_err(io(&copy))?;
    }
    if old.exists() && !store.exists() {
        // Never reached by the swap's own order; a store moved aside and
        // not replaced is put back rather than lost.
        std::fs::rename(&old, &store).map_err(io(&old))?;
    }
    if old.exists() && store.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}

/// Whether a swap was begun and not finished: the store must not be
/// opened before [`finish`] has run.
pub(crate) fn unfinished(data_dir: &Path) -> bool {
    data_dir.join(READY).exists() || (!data_dir.join(STORE).exists() && data_dir.join(OLD).exists())
}

/// Whether an erase left a compaction for the next open.
pub(crate) fn pending(data_dir: &Path) -> bool {
    data_dir.join(PENDING).exists()
}

/// Asks the next open to compact.
pub(crate) fn mark_pending(data_dir: &Path) -> Result<()> {
    let path = data_dir.join(PENDING);
    crate::paths::write_private(&path, b"").map_err(io(&path))
}

/// Rewrites the closed store in `data_dir` into a fresh directory and swaps
/// it in. Refused (store in use) while any process has the store open.
pub fn compact(data_dir: &Path) -> Result<()> {
    let lock = lock_file(data_dir)?;
    take(&lock, true, data_dir)?;
    finish(data_dir)?;
    compact_locked(data_dir)
}

/// [`compact`] with the lock held exclusively by the caller.
pub(crate) fn compact_locked(data_dir: &Path) -> Result<()> {
    if !data_dir.join(STORE).join("db").exists() {
        // Nothing to compact (moved aside, or never made).
        let _ = std::fs::remove_file(data_dir.join(PENDING));
        return Ok(());
    }
    // A kill while sled wrote a snapshot here must not lock the rep out.
    super::clear_unfinished_snapshots(&data_dir.join(STORE))?;
    let copy_dir = data_dir.join(COPY);
    {
        // The process that closed the store lets go of sled's lock from a
        // background thread a moment later.
        let config = sled::Config::new().path(data_dir.join(STORE));
        let mut attempts = 0;
        let old = loop {
            match config.open() {
                Err(sled::Error::Io(e))
                    if attempts < 20
                        && (e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock")) =>
                {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other?,
            }
        };
        let new = sled::Config::new().path(&copy_dir).open()?;
        for name in old.tree_names() {
            let (from, to) = (old.open_tree(&name)?, new.open_tree(&name)?);
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for kv in from.iter() {
                let (k, v) = kv?;
                batch.insert(k, v);
                n += 1;
                if n % 10_000 == 0 {
                    to.apply_batch(std::mem::take(&mut batch))?;
                }
            }
            to.apply_batch(batch)?;
        }
        new.flush()?;
        if old.checksum()? != new.checksum()? {
            drop(new);
            let _ = std::fs::remove_dir_all(&copy_dir);
            return Err(Error::Storage(
                "the compacted copy differs from the store; the store is left as it was".into(),
            ));
        }
    }
    let _ = crate::paths::secure_data_dir(data_dir);
    let ready = data_dir.join(READY);
    crate::paths::write_private(&ready, b"").map_err(io(&ready))?;
    finish(data_dir)?;
    let _ = std::fs::remove_file(data_dir.join(PENDING));
    // sled made the copy's files with the default umask.
    let _ = crate::paths::secure_data_dir(data_dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::{ChangedBy, ContactInput};

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn a_swap_cut_off_is_finished_by_an_open_that_found_the_lock_still_held() {
        // A compaction killed between moving the old store aside and putting
        // the copy in its place, whose process lets go of the lock only a
        // moment after the next one starts: that one finds the exclusive
        // lock taken, waits for the shared one, and must still finish the
        // swap before it opens `store` (not there).
        let root = tempfile::tempdir().unwrap();
        let base = store_with_anna(root.path());
        let dir = root.path().join("data");
        copy(&base.join(STORE), &dir.join(OLD));
        copy(&base.join(STORE), &dir.join(COPY));
        std::fs::write(dir.join(READY), b"").unwrap();
        copy_side_file(&base, &dir);
        let dying = lock_file(&dir).unwrap();
        fs2::FileExt::lock_exclusive(&dying).unwrap();
        let lets_go = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(dying);
        });
        let store = Store::open(&dir).unwrap();
        lets_go.join().unwrap();
        assert_eq!(store.contact_count().unwrap(), 1);
        drop(store);
        for gone in [COPY, READY, OLD] {
            assert!(!dir.join(gone).exists(), "{gone} is left");
        }
    }

    #[test]
    fn a_compaction_cut_off_anywhere_leaves_a_whole_store() {
        let root = tempfile::tempdir().unwrap();
        let base = store_with_anna(root.path());
        compact(&base).unwrap();
        // The states a kill can leave, in the order the swap goes through.
        let states: [(&str, &[&str]); 4] = [
            ("copy unfinished", &[STORE, COPY]),
            ("copy ready", &[STORE, COPY, READY]),
            ("old moved aside", &[OLD, COPY, READY]),
            ("swapped, old left", &[STORE, OLD]),
        ];
        for (what, present) in states {
            let dir = root.path().join(what);
            for name in present {
                if *name == READY {
                    std::fs::write(dir.join(READY), b"").unwrap();
                } else {
                    copy(&base.join(STORE), &dir.join(name));
                }
            }
            copy_side_file(&base, &dir);
            let store = Store::open(&dir).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(store.contact_count().unwrap(), 1, "{what}");
            drop(store);
            for gone in [COPY, READY, OLD] {
                assert!(!dir.join(gone).exists(), "{what}: {gone} is left");
            }
        }
    }

    /// A closed store in `root/base` holding one contact, Anna.
    fn store_with_anna(root: &Path) -> std::path::PathBuf {
        let base = root.join("base");
        let store = Store::open(&base).unwrap();
        let anna = ContactInput { first_name: "Anna".into(), ..Default::default() };
        store.create_contact(&anna, ChangedBy::Hand, chrono::DateTime::UNIX_EPOCH).unwrap();
        base
    }

    fn copy_side_file(from: &Path, to: &Path) {
        let _ = std::fs::copy(from.join(crate::store::EXPECTED_FILE), to.join(crate::store::EXPECTED_FILE));
    }
}

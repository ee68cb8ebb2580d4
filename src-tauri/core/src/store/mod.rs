//! The store: every record in sled, one tree per record kind, index trees
//! for listing, and the derived data that keeps reads from walking records:
//! counters, ready-to-qualify windows, the organisation index and the
//! search index (a segment file plus a delta tree).
//!
//! This module is the one seam to sled: the trees by name ([`Trees`]), one
//! transaction over all of them ([`Store::transact`] with [`Tx`]), record
//! encoding, opening and the schema steps. The files beside it hold one
//! feature each and reach sled only through these.
//!
//! Invariants:
//! - a record and everything derived from it (index keys, counters, ready
//!   window, search delta) change in one transaction, and the database is
//!   flushed before a mutation returns `Ok`;
//! - opening reads no record: derived data is persisted; a store lacking it
//!   (an older layout, an interrupted rebuild) is marked for a rebuild from
//!   the records ([`Store::rebuild_derived`]), which the app runs in the
//!   background and the CLI before its command;
//! - records are encoded as one version byte followed by JSON;
//! - `meta/schema_version` names the layout; a newer one is refused, an
//!   older one is upgraded once;
//! - listing by stage (sorted by name or by last change) walks the search
//!   index's document orders and decodes only the page it returns; counts
//!   come from counters.

mod activities;
mod appointments;
mod backup;
mod bulk;
mod compact;
mod contacts;
mod counters;
mod deals;
mod doctor;
mod duplicates;
mod expected;
mod filters;
mod import;
mod mileage;
mod organizations;
mod places;
mod privacy;
mod qualify;
mod quotes;
mod ready;
mod rebuild;
mod reports;
mod rules;
mod search;
mod sorting;
mod sync;
mod tasks;

pub use appointments::{CalendarImport, DueAppointment};
pub use backup::check_backup;
pub(crate) use backup::verify_backup_stream;
pub use bulk::{BulkChange, BulkOutcome, BulkSkip, UndoOutcome, MAX_BULK};
pub use compact::compact;
pub use contacts::{ContactPage, ListQuery, SortOrder};
pub use deals::{DealCard, DealMove, Pipeline, PipelineColumn};
pub use doctor::{Checkup, Problem, Repair};
pub(crate) use expected::FILE as EXPECTED_FILE;

/// The data directory's entries that together are the store: sled's files,
/// the persisted search index, the write sequence's side file and a
/// pending compaction's mark. A copy of the store is a copy of all of them
/// (an older Kontor opening `store` beside a newer `expected` would take it
/// for a store cut short).
pub(crate) const STORE_ENTRIES: [&str; 4] = ["store", "search", EXPECTED_FILE, compact::PENDING];
pub use places::{GeocodeReport, Nearby, Position, Postcodes};
pub use rebuild::Upkeep;
pub use rules::AutomationPause;
pub use search::MERGE_AT;
pub use sync::{Applied, SyncConfig, SyncProgress, SyncStatus};
pub use tasks::{DueReminder, TaskCounts, TaskTriage, TaskView, TriageOutcome};

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use uuid::Uuid;

use crate::automation::Changed;
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::settings::Settings;
use crate::stage::Stage;

/// Layout version this build writes and reads. 1: records and list
/// indexes; 2: counters, ready windows, the organisation index and the
/// persisted search index.
pub const SCHEMA_VERSION: u32 = 2;
/// First byte of every encoded record.
const RECORD_V1: u8 = 1;
/// sled's page cache; its default (1 GB) is far too much for a desktop app.
/// sled holds about twice this in memory; 16 MB keeps an import of 100,000
/// contacts within its memory budget, and the trees' inner pages (what
/// every read walks) take a fraction of it.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// Meta key: which derived data must be rebuilt from the records (bits of [`Rebuild`]).
const REBUILD: &str = "rebuild";

/// Derived data a rebuild makes anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rebuild(u8);

impl Rebuild {
    /// The search index.
    pub(super) const SEARCH: Rebuild = Rebuild(1);
    /// Ready windows and the organisation index.
    pub(super) const CONTACTS: Rebuild = Rebuild(2);
    pub(super) const NONE: Rebuild = Rebuild(0);

    pub(super) fn has(self, other: Rebuild) -> bool {
        self.0 & other.0 != 0
    }
}

/// Declares the store's trees once: the struct of trees, the transaction
/// view with the same names, and their order in a transaction.
macro_rules! trees {
    ($($field:ident: $name:literal,)*) => {
        /// The store's trees by name.
        pub(super) struct Trees {
            $(pub(super) $field: sled::Tree,)*
        }

        impl Trees {
            fn open(db: &sled::Db, dir: &Path) -> Result<Trees> {
                Ok(Trees { $($field: db.open_tree($name).map_err(|e| map_open_error(dir, e))?,)* })
            }

            fn all(&self) -> Vec<&sled::Tree> {
                vec![$(&self.$field,)*]
            }
        }

        /// One transaction over every tree, with what the writes inside
        /// need: the settings, the time, and the effects to apply once it
        /// committed.
        pub(super) struct Tx<'a> {
            $(pub(super) $field: &'a TransactionalTree,)*
            pub(super) settings: &'a Settings,
            pub(super) now: DateTime<Utc>,
            pub(super) effects: &'a RefCell<Effects>,
            /// Whether this transaction applies what another replica
            /// wrote (team sync): it then writes no operations of its own.
            pub(super) remote: bool,
        }

        impl<'a> Tx<'a> {
            fn new(
                view: &'a [TransactionalTree],
                settings: &'a Settings,
                now: DateTime<Utc>,
                effects: &'a RefCell<Effects>,
                remote: bool,
            ) -> Tx<'a> {
                let mut trees = view.iter();
                $(let $field = trees.next().unwrap_or_else(|| unreachable!("one view per tree"));)*
                Tx { $($field,)* settings, now, effects, remote }
            }

            /// The same transaction writing no team-sync operations, for a
            /// change whose operations are written apart (a restore).
            pub(super) fn quiet(&self) -> Tx<'a> {
                Tx {
                    $($field: self.$field,)*
                    settings: self.settings,
                    now: self.now,
                    effects: self.effects,
                    remote: true,
                }
            }

            /// Every tree of the transaction, in the order of [`Trees::all`].
            pub(super) fn trees(&self) -> Vec<&'a TransactionalTree> {
                vec![$(self.$field,)*]
            }
        }
    };
}

trees! {
    meta: "meta",
    contacts: "contacts",
    organizations: "organizations",
    org_by_name: "org_by_name",
    by_org: "idx_contacts_by_org",
    activities: "activities",
    activity_keys: "idx_activity_keys",
    engagement: "engagement",
    tasks: "tasks",
    tasks_by_due: "idx_tasks_by_due",
    tasks_by_contact: "idx_tasks_by_contact",
    reminder_queue: "reminder_queue",
    task_buckets: "task_buckets",
    deals: "deals",
    deals_by_stage: "idx_deals_by_stage",
    deals_by_contact: "idx_deals_by_contact",
    counters: "counters",
    ready: "ready",
    ready_until: "idx_ready_until",
    ready_base: "idx_ready_base",
    search_delta: "search_delta",
    appointments: "appointments",
    appts_by_start: "idx_appointments_by_start",
    appts_by_uid: "idx_appointments_by_uid",
    appt_queue: "appointment_reminder_queue",
    places: "places",
    trips: "trips",
    sync_outbox: "sync_outbox",
    sync_clocks: "sync_clocks",
    sync_conflicts: "sync_conflicts",
    sync_owners: "sync_owners",
}

/// What a committed transaction still has to do in memory.
#[derive(Default)]
pub(super) struct Effects {
    /// Search delta entries written.
    pub(super) search: Vec<(crate::search::DocKey, crate::search::index::DeltaEntry)>,
}

/// The Kontor store in one data directory. Cheap to share: all methods take `&self`.
pub struct Store {
    dir: PathBuf,
    /// Whether sled had written here before this open.
    existed: bool,
    db: sled::Db,
    t: Trees,
    /// The rep's time zone for automation due dates and quote dates.
    tz: RwLock<chrono_tz::Tz>,
    /// The language texts written by rules are in when none is chosen.
    fallback_language: RwLock<crate::lang::Language>,
    /// Automation outcomes of mutations whose API returns none.
    /// Rules run only while this is 0 ([`Store::pause_automation`]).
    automation_paused: AtomicU32,
    /// The search index, opened when first used.
    search: search::SearchState,
    /// A small cache of organisations (target-group fit of listed contacts).
    orgs: organizations::OrgCache,
    settings: RwLock<Settings>,
    /// Set while derived data is being rebuilt or waits for it.
    rebuilding: AtomicBool,
    /// Held while the side file of what the store must hold is written:
    /// the sequence number written last.
    expected_lock: Mutex<u64>,
    /// The compaction lock, held shared while the store is open.
    _compact_lock: std::fs::File,
    /// Counts the writes (a computed list order is good until the next one).
    generation: std::sync::atomic::AtomicU64,
    /// Contact orders computed since the last write.
    orders: sorting::OrderCache,
    facts: filters::FactsCache,
    /// Held while another replica's operations are applied or conflicts
    /// resolved: one merge at a time.
    sync_lock: Mutex<()>,
}

pub(super) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = vec![RECORD_V1];
    serde_json::to_writer(&mut out, value).map_err(|e| Error::Storage(e.to_string()))?;
    Ok(out)
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    match bytes.split_first() {
        Some((&RECORD_V1, json)) => {
            serde_json::from_slice(json).map_err(|e| Error::Storage(format!("undecodable record: {e}")))
        }
        Some((v, _)) => Err(Error::Storage(format!("unknown record encoding {v}"))),
        None => Err(Error::Storage("empty record".into())),
    }
}

/// [`encode`] inside a transaction.
pub(super) fn encode_tx<T: Serialize>(value: &T) -> TxResult<Vec<u8>> {
    encode(value).or_else(abort)
}

/// [`decode`] inside a transaction.
pub(super) fn decode_tx<T: DeserializeOwned>(bytes: &[u8]) -> TxResult<T> {
    decode(bytes).or_else(abort)
}

pub(super) fn stage_tag(stage: Stage) -> u8 {
    match stage {
        Stage::Lead => 1,
        Stage::Prospect => 2,
        Stage::Opportunity => 3,
        Stage::Customer => 4,
        Stage::Disqualified => 5,
    }
}

pub(super) fn stage_of_tag(tag: u8) -> Option<Stage> {
    Stage::ALL.into_iter().find(|s| stage_tag(*s) == tag)
}

/// Counts the keys an iteration yields, stopping at the first error: sled
/// yields the same error again and again over a damaged page, so
/// `Iterator::count` never ends there.
pub(super) fn count_keys(keys: impl Iterator<Item = sled::Result<sled::IVec>>) -> Result<u64> {
    let mut n = 0;
    for key in keys {
        key?;
        n += 1;
    }
    Ok(n)
}

pub(super) fn id_from_index_key(key: &[u8]) -> Result<Uuid> {
    key.len()
        .checked_sub(16)
        .and_then(|start| Uuid::from_slice(&key[start..]).ok())
        .ok_or_else(|| Error::Storage("malformed index key".into()))
}

/// A new uuid v7 for the time `now`, after every id made before for the
/// same millisecond (RFC 9562's counter method). Ids made in one go (an
/// import, all at one `now`) then go into the trees in key order, at their
/// right edges, instead of all over them: an import's writes touch the
/// newest pages, not every page of the store.
pub(super) fn new_id(now: DateTime<Utc>) -> Uuid {
    // The last counter of the latest few milliseconds: ids made at one time
    // follow each other even when ids of other times come in between (a
    // back-dated import or demo data beside the clock, tests in parallel).
    static LAST: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    // 74 random bits (rand_a, rand_b) of a uuid made without a counter.
    let r = Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, 0, 0)).as_u128();
    let seed = r as u64 & ((1 << 41) - 1);
    let random = ((r >> 41) as u64 & 0x1f_ffff) << 11 | (r >> 64) as u64 & 0x7ff;
    let counter = {
        let mut last = LAST.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // 42 bits of counter: a random start below 2^41 each millisecond
        // leaves room for 2^41 more ids in it.
        let counter = match last.iter_mut().find(|(m, _)| *m == ms) {
            Some(entry) => {
                entry.1 += 1;
                entry.1
            }
            None => {
                if last.len() >= 64 {
                    last.remove(0);
                }
                last.push((ms, seed));
                seed
            }
        };
        counter
    };
    // rand_a (12 bits) and the top 30 bits of rand_b hold the counter; the
    // other 32 bits stay random. The builder sets the version and variant bits.
    let mut tail = [0u8; 10];
    tail[..2].copy_from_slice(&((counter >> 30) as u16 & 0x0fff).to_be_bytes());
    let rand_b = ((counter & ((1 << 30) - 1)) << 32) | random;
    tail[2..].copy_from_slice(&rand_b.to_be_bytes());
    uuid::Builder::from_unix_timestamp_millis(ms, &tail).into_uuid()
}

pub(super) type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

pub(super) fn abort<T>(e: Error) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

fn map_open_error(dir: &Path, e: sled::Error) -> Error {
    match e {
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") =>
        {
            Error::StoreLocked(dir.to_owned())
        }
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) => {
            Error::StoreCorrupt { path: dir.to_owned(), reason: e.to_string() }
        }
        other => Error::Storage(other.to_string()),
    }
}

/// Removes the snapshots sled began and never finished (`snap.N.generating`,
/// left by a process killed while writing one; sled writes a snapshot at
/// every open). sled 0.34 reads them as finished ones and then cannot read
/// the store at all (sled issue #1527), though a finished snapshot is only
/// ever renamed from one and the log holds all it would. Only with sled's
/// own lock on `db` held, so a snapshot another process is writing is left
/// alone; then the lock goes again before sled takes it.
pub(super) fn clear_unfinished_snapshots(files: &Path) -> Result<()> {
    use fs2::FileExt;
    let Ok(db) = std::fs::OpenOptions::new().read(true).write(true).open(files.join("db")) else {
        return Ok(()); // a new store, or one sled's open will report
    };
    if db.try_lock_exclusive().is_err() {
        return Ok(()); // in use: sled's open says so
    }
    let Ok(entries) = std::fs::read_dir(files) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())
                .map_err(|e| Error::Storage(format!("cannot remove {}: {e}", entry.path().display())))?;
        }
    }
    Ok(())
}

thread_local! {
    /// Set while sled reads a store that may be damaged: its panics are then
    /// answers ("damaged"), not crashes to print.
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic inside it into [`Error::StoreCorrupt`]: sled
/// 0.34 panics on some damaged files (an empty or truncated `db`, a
/// snapshot that names segments the log lacks) instead of returning an
/// error. Its panic message is kept off the terminal; the error carries it.
fn damage_as_error<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET_PANICS.with(|q| q.set(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(false));
    out.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::StoreCorrupt { path: dir.to_owned(), reason: format!("its files are damaged ({what})") })
    })
}

impl Store {
    /// Opens (or creates) the store in `dir`, with owner-only permissions.
    /// Reads no record: an older layout is upgraded by a schema step that
    /// marks its derived data for a rebuild ([`Store::needs_rebuild`]).
    /// Every way a store fails to open because its files are damaged — sled
    /// errors and sled panics alike — is [`Error::StoreCorrupt`].
    pub fn open(dir: &Path) -> Result<Store> {
        damage_as_error(dir, || Store::open_unchecked(dir))
    }

    fn open_unchecked(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
        // A compaction a crash cut off is completed or undone, and one an
        // erase asked for is done now, before the store is opened — when no
        // other process has it open. The open store then holds the lock
        // shared for its life, so no compaction swaps it away underneath.
        let compact_lock = compact::lock_file(dir)?;
        if fs2::FileExt::try_lock_exclusive(&compact_lock).is_ok() {
            compact::finish(dir)?;
            if compact::pending(dir) {
                let done = std::panic::catch_unwind(|| compact::compact_locked(dir));
                if !matches!(done, Ok(Ok(()))) {
                    eprintln!("kontor: compacting the store after an erase failed; it is tried again at the next start");
                }
            }
            let _ = fs2::FileExt::unlock(&compact_lock);
        }
        compact::take(&compact_lock, false, dir)?;
        // The exclusive lock was refused above, but by a compaction that was
        // killed and whose process had not let go of the lock yet: its swap
        // is finished now, before `store` (which may not be there at this
        // moment) is opened — sled would make an empty one.
        if compact::unfinished(dir) {
            let _ = fs2::FileExt::unlock(&compact_lock);
            compact::take(&compact_lock, true, dir)?;
            compact::finish(dir)?;
            let _ = fs2::FileExt::unlock(&compact_lock);
            compact::take(&compact_lock, false, dir)?;
        }
        // sled lets go of its file lock from a background thread shortly after
        // the last handle is dropped; a reopen right after (a restart, a
        // test) gets a moment before "in use" is the answer.
        // A store was here if sled's files say so or the side file does
        // (sled's own `conf` can be lost with the rest of the damage).
        let existed = dir.join("store").join("conf").exists() || Store::expected_exists(dir);
        clear_unfinished_snapshots(&dir.join("store"))?;
        let config = sled::Config::new().path(dir.join("store")).cache_capacity(CACHE_BYTES);
        let mut attempts = 0;
        let db = loop {
            match config.open().map_err(|e| map_open_error(dir, e)) {
                Err(Error::StoreLocked(_)) if attempts < 10 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other?,
            }
        };
        // Owner-only, however the directory came to be: sled makes its files
        // with the default umask (0644), and so did Kontor before. Where the
        // file system keeps no permissions (a FAT stick), the app warns with
        // `paths::readable_by_others` instead.
        let _ = crate::paths::secure_data_dir(dir);
        let store = Store {
            dir: dir.to_owned(),
            existed,
            t: Trees::open(&db, dir)?,
            tz: RwLock::new(crate::task::system_timezone()),
            fallback_language: RwLock::new(crate::lang::Language::De),
            automation_paused: AtomicU32::new(0),
            search: search::SearchState::new(dir),
            orgs: organizations::OrgCache::default(),
            settings: RwLock::new(Settings::default()),
            rebuilding: AtomicBool::new(false),
            expected_lock: Mutex::new(0),
            _compact_lock: compact_lock,
            generation: Default::default(),
            orders: Default::default(),
            facts: Default::default(),
            sync_lock: Mutex::new(()),
            db,
        };
        store.check_schema()?;
        store.check_expected()?;
        store.load_settings()?;
        store.finish_interrupted_import()?;
        store.normalize_all_day_tasks()?;
        store.rebuilding.store(store.rebuild_pending()? != Rebuild::NONE, Ordering::SeqCst);
        Ok(store)
    }

    /// Whether an erase asked for a compaction (done by [`compact`] once the
    /// store is closed, or at the next open).
    pub fn compaction_pending(&self) -> bool {
        compact::pending(&self.dir)
    }

    /// Whether this open made the store (no earlier one was in its directory).
    pub fn is_new(&self) -> bool {
        !self.existed
    }

    fn check_schema(&self) -> Result<()> {
        match self.t.meta.get("schema_version")? {
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    Error::StoreCorrupt { path: self.dir.clone(), reason: "bad schema version".into() }
                })?;
                if found > SCHEMA_VERSION {
                    return Err(Error::StoreNewer { found, supported: SCHEMA_VERSION });
                }
                if found < SCHEMA_VERSION {
                    self.keep_before_upgrade(found)?;
                }
                if found < 2 {
                    self.upgrade_to_2()?;
                }
                Ok(())
            }
            // An earlier store was here but its version record is gone: the
            // log was damaged and sled cut it short (or found nothing).
            // Carrying on would write a new, empty store over what is left.
            None if self.existed => Err(Error::StoreCorrupt {
                path: self.dir.clone(),
                reason: "its version record is missing (the files were damaged); restore a backup".into(),
            }),
            None => {
                self.t.meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.db.flush()?;
                Ok(())
            }
        }
    }

    /// Before an older layout is upgraded (a newer Kontor installed over
    /// an older one): a copy of the store's files ([`STORE_ENTRIES`]) as
    /// that layout wrote them, in `backups/before-layout-N-from-M/`, which
    /// the older Kontor opens (copied back into the data dir). Nothing has
    /// been written since the open, so the flushed files are the whole
    /// store. A copy that cannot be made stops the open: nothing is
    /// upgraded then.
    fn keep_before_upgrade(&self, found: u32) -> Result<()> {
        self.db.flush()?;
        let backups = self.dir.join(crate::paths::BACKUPS_DIR);
        let name = format!("before-layout-{SCHEMA_VERSION}-from-{found}");
        let mut target = backups.join(&name);
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = backups.join(format!("{name}.{n}"));
        }
        let copied = (|| {
            std::fs::create_dir_all(&target)?;
            for name in STORE_ENTRIES {
                let from = self.dir.join(name);
                match std::fs::symlink_metadata(&from) {
                    Ok(meta) if meta.is_dir() => copy_dir(&from, &target.join(name))?,
                    Ok(_) => {
                        std::fs::copy(&from, target.join(name))?;
                    }
                    Err(_) => {}
                }
            }
            let _ = crate::paths::secure_data_dir(&target);
            std::fs::File::open(&target)?.sync_all()
        })();
        copied.map_err(|e| {
            Error::Storage(format!(
                "the copy of the store before its upgrade could not be made in {} ({e}); nothing was upgraded",
                target.display()
            ))
        })
    }

    /// Schema step 1 → 2: the counters are counted from index keys (no
    /// record is read); ready windows, the organisation index and the search
    /// index are marked for a rebuild from the records. Done once: the new
    /// version is written with the counters.
    fn upgrade_to_2(&self) -> Result<()> {
        // Layout 1 kept lists in index trees, keyed by stage tag; layout 2
        // reads them from the search index and counts in counters.
        const BY_NAME: &str = "idx_contacts_by_name";
        let by_name = self.db.open_tree(BY_NAME)?;
        let mut batch = sled::Batch::default();
        for stage in Stage::ALL {
            let n = count_keys(by_name.scan_prefix([stage_tag(stage)]).keys())?;
            batch.insert(counters::contacts_key(stage).to_vec(), &n.to_be_bytes());
        }
        self.t.counters.apply_batch(batch)?;
        self.count_task_buckets()?;
        self.t.meta.insert(REBUILD, &[Rebuild::SEARCH.0 | Rebuild::CONTACTS.0])?;
        self.t.meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())?;
        self.db.flush()?;
        drop(by_name);
        for old in [BY_NAME, "idx_contacts_by_change"] {
            self.db.drop_tree(old)?;
        }
        self.db.flush()?;
        Ok(())
    }

    fn load_settings(&self) -> Result<()> {
        let settings = match self.t.meta.get("settings")? {
            Some(bytes) => decode(&bytes)
                .map_err(|e| Error::StoreCorrupt { path: self.dir.clone(), reason: e.to_string() })?,
            None => Settings::default(),
        };
        *write(&self.settings) = settings;
        Ok(())
    }

    /// Runs `f` in one transaction over every tree, flushes, then applies
    /// its effects in memory (the search index sees the new delta entries).
    /// `f` may run more than once (sled retries on conflict).
    pub(super) fn transact<T>(&self, now: DateTime<Utc>, f: impl Fn(&Tx) -> TxResult<T>) -> Result<T> {
        let settings = self.settings();
        let trees = self.t.all();
        let effects = RefCell::new(Effects::default());
        let (out, written) = trees[..].transaction(|view| {
            *effects.borrow_mut() = Effects::default();
            let tx = Tx::new(view, &settings, now, &effects, sync::applying_remote());
            let out = f(&tx)?;
            Ok((out, expected::bump(&tx)?))
        })?;
        self.db.flush()?;
        self.record_expected(written);
        self.apply_effects(effects.into_inner());
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(out)
    }

    /// How many writes this store has seen since it was opened.
    pub(super) fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn apply_effects(&self, effects: Effects) {
        self.search.apply(effects.search);
    }

    /// Which derived data waits for a rebuild.
    pub(super) fn rebuild_pending(&self) -> Result<Rebuild> {
        Ok(Rebuild(self.t.meta.get(REBUILD)?.and_then(|v| v.first().copied()).unwrap_or(0)))
    }

    /// Marks derived data for a rebuild (flushed before returning).
    pub(super) fn mark_rebuild(&self, what: Rebuild) -> Result<()> {
        let pending = self.rebuild_pending()?;
        self.t.meta.insert(REBUILD, &[pending.0 | what.0])?;
        self.db.flush()?;
        self.rebuilding.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Whether derived data (search index, ready windows) must be rebuilt
    /// from the records before lists and search are complete again: after
    /// an upgrade from an older layout, or an interrupted rebuild.
    pub fn needs_rebuild(&self) -> bool {
        self.rebuilding.load(Ordering::SeqCst)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Sets the time zone automation uses for due dates and quote dates
    /// (default: the system's).
    pub fn set_time_zone(&self, tz: chrono_tz::Tz) {
        *write(&self.tz) = tz;
    }

    /// The time zone in use.
    pub fn time_zone(&self) -> chrono_tz::Tz {
        *read(&self.tz)
    }

    /// Sets the language that texts written by rules (task titles, stage
    /// change reasons) use while the rep has chosen none: the OS's.
    pub fn set_fallback_language(&self, language: Language) {
        *write(&self.fallback_language) = language;
        // The shipped rules' titles follow (saved with the next settings).
        write(&self.settings).localize_default_rules(language);
    }

    /// The language of texts the store writes: the chosen one, else the OS's.
    pub fn language(&self) -> Language {
        self.language_in(&self.settings())
    }

    /// [`Store::language`] with the settings at hand.
    pub(super) fn language_in(&self, settings: &Settings) -> Language {
        settings.language.unwrap_or(*read(&self.fallback_language))
    }

    /// The user's settings.
    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
    }

    /// The region phone numbers are read and shown in (no copy of the settings).
    pub fn region(&self) -> phonenumber::country::Id {
        read(&self.settings).region()
    }

    /// The company profile quotes print (read in place).
    pub fn company(&self) -> crate::quote::CompanyProfile {
        read(&self.settings).company.clone()
    }

    /// The saved views (read in place: no copy of the other settings).
    pub fn saved_views(&self) -> Vec<crate::filter::SavedView> {
        read(&self.settings).saved_views.clone()
    }

    /// Validates and saves the user's settings. A new half-life recomputes
    /// the engagement sums from the activities; new scoring or a new target
    /// profile recomputes everyone's ready window. Dropping a deal stage
    /// that deals are in is refused; shipped default rules follow the
    /// language. With auto-advance on, the proposals of everyone ready to
    /// qualify at `now` (after a new threshold or weight, say) are applied.
    pub fn set_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<Changed<Settings>> {
        settings.validate()?;
        self.check_stages_in_use(settings)?;
        let mut settings = settings.clone();
        settings.localize_default_rules(*read(&self.fallback_language));
        let old = self.settings();
        let rescore = old.changes_scores(&settings);
        if rescore {
            // Marked first: should the process die while the windows are
            // recomputed, the next open finishes the job.
            self.mark_rebuild(Rebuild::CONTACTS)?;
        }
        self.t.meta.insert("settings", encode(&settings)?)?;
        self.db.flush()?;
        *write(&self.settings) = settings.clone();
        if (old.scoring.half_life_days - settings.scoring.half_life_days).abs() > f64::EPSILON {
            self.rebuild_engagement_sums(now)?;
        }
        if rescore {
            self.rebuild_contacts_derived(now)?;
        }
        let mut fired = Vec::new();
        self.auto_advance_ready(None, now, &mut fired)?;
        Ok(Changed::new(settings, fired))
    }
}

/// Copies a folder and everything in it.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    std::fs::File::open(to)?.sync_all()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn ids_made_at_one_time_follow_each_other_and_carry_that_time() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let ids: Vec<Uuid> = (0..5000).map(|_| new_id(now)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "in the order they were made");
        for id in [ids[0], ids[4999]] {
            assert_eq!(id.get_version_num(), 7);
            let (secs, _) = id.get_timestamp().unwrap().to_unix();
            assert_eq!(secs as i64, now.timestamp());
        }
        let later = new_id(now + chrono::Duration::milliseconds(1));
        assert!(later > ids[4999]);
        // A new millisecond starts from a random counter: ids of two
        // processes at the same moment do not collide.
        let other: std::collections::HashSet<Uuid> =
            (0..100).map(|i| new_id(now + chrono::Duration::milliseconds(2 + i))).collect();
        assert_eq!(other.len(), 100);
    }
}

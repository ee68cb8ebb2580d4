//! The store: contacts and organisations in sled, one tree per record kind,
//! secondary index trees for listing, and the in-memory search index.
//!
//! Invariants:
//! - a record and all its index entries change in one sled transaction, and
//!   the database is flushed before a mutation returns `Ok`;
//! - records are encoded as one version byte followed by JSON;
//! - `meta/schema_version` names the layout; a newer one is refused;
//! - listing by stage (sorted by name or by last change) walks an index
//!   prefix and decodes only the page it returns.

mod activities;
mod backup;
mod contacts;
mod deals;
mod duplicates;
mod import;
mod organizations;
mod privacy;
mod qualify;
mod reports;
mod rules;
mod tasks;

pub use contacts::{ContactPage, ListQuery, SortOrder};
pub use deals::{DealCard, DealMove, Pipeline, PipelineColumn};
pub use rules::AutomationPause;
pub use tasks::{DueReminder, TaskCounts, TaskView};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::ConflictableTransactionError;
use uuid::Uuid;

use crate::contact::{Contact, Organization};
use crate::error::{Error, Result};
use crate::score::EngagementSums;
use crate::search::{sort_key, SearchIndex};
use crate::settings::{Language, Settings};
use crate::stage::Stage;

/// Layout version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// First byte of every encoded record.
const RECORD_V1: u8 = 1;
/// sled's page cache; its default (1 GB) is far too much for a desktop app.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Index prefix byte for "all stages".
pub(super) const ALL_STAGES: u8 = 0;

/// The Kontor store in one data directory. Cheap to share: all methods take `&self`.
pub struct Store {
    dir: PathBuf,
    /// Whether sled had written here before this open.
    existed: bool,
    db: sled::Db,
    meta: sled::Tree,
    contacts: sled::Tree,
    organizations: sled::Tree,
    org_by_name: sled::Tree,
    by_name: sled::Tree,
    by_change: sled::Tree,
    activities: sled::Tree,
    activity_keys: sled::Tree,
    engagement: sled::Tree,
    tasks: sled::Tree,
    tasks_by_due: sled::Tree,
    tasks_by_contact: sled::Tree,
    reminder_queue: sled::Tree,
    deals: sled::Tree,
    deals_by_stage: sled::Tree,
    deals_by_contact: sled::Tree,
    /// The rep's time zone for automation due dates and quote dates.
    tz: RwLock<chrono_tz::Tz>,
    /// The language texts written by rules are in when none is chosen.
    fallback_language: RwLock<crate::settings::Language>,
    /// Automation outcomes of mutations whose API returns none.
    pending_outcomes: Mutex<Vec<crate::automation::AutomationOutcome>>,
    /// Rules run only while this is 0 ([`Store::pause_automation`]).
    automation_paused: std::sync::atomic::AtomicU32,
    search: RwLock<SearchIndex>,
    /// All organisations (few; needed to propose target-group fit).
    orgs: RwLock<HashMap<Uuid, Organization>>,
    /// Per-contact engagement sums, for scoring everyone without reading activities.
    sums: RwLock<HashMap<Uuid, EngagementSums>>,
    settings: RwLock<Settings>,
    /// Serialises read-modify-write of engagement sums.
    activity_writes: Mutex<()>,
}

pub(super) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
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

pub(super) fn stage_tag(stage: Stage) -> u8 {
    match stage {
        Stage::Lead => 1,
        Stage::Prospect => 2,
        Stage::Opportunity => 3,
        Stage::Customer => 4,
        Stage::Disqualified => 5,
    }
}

pub(super) fn name_key(tag: u8, c: &Contact) -> Vec<u8> {
    let name = sort_key(&c.display_name);
    let mut key = Vec::with_capacity(name.len() + 18);
    key.push(tag);
    key.extend_from_slice(name.as_bytes());
    key.push(0);
    key.extend_from_slice(c.id.as_bytes());
    key
}

pub(super) fn change_key(tag: u8, c: &Contact) -> Vec<u8> {
    // Newest first: invert the timestamp.
    let inverted = u64::MAX - u64::try_from(c.updated_at.timestamp_millis()).unwrap_or(0);
    let mut key = Vec::with_capacity(25);
    key.push(tag);
    key.extend_from_slice(&inverted.to_be_bytes());
    key.extend_from_slice(c.id.as_bytes());
    key
}

pub(super) fn id_from_index_key(key: &[u8]) -> Result<Uuid> {
    key.len()
        .checked_sub(16)
        .and_then(|start| Uuid::from_slice(&key[start..]).ok())
        .ok_or_else(|| Error::Storage("malformed index key".into()))
}

/// A new uuid v7 for the time `now`.
pub(super) fn new_id(now: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
    Uuid::new_v7(ts)
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

impl Store {
    /// Opens (or creates) the store in `dir`, with owner-only permissions,
    /// and builds the search index.
    pub fn open(dir: &Path) -> Result<Store> {
        // Owner-only for a directory made here; one the user named and made
        // themselves (their home, say) keeps its permissions.
        let made_here = !dir.exists();
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
        #[cfg(unix)]
        if made_here {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        // sled lets go of its file lock from a background thread shortly after
        // the last handle is dropped; a reopen right after (a restart, a
        // test) gets a moment before "in use" is the answer.
        let existed = dir.join("store").join("conf").exists();
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
        let open = |name: &str| db.open_tree(name).map_err(|e| map_open_error(dir, e));
        let store = Store {
            dir: dir.to_owned(),
            existed,
            meta: open("meta")?,
            contacts: open("contacts")?,
            organizations: open("organizations")?,
            org_by_name: open("org_by_name")?,
            by_name: open("idx_contacts_by_name")?,
            by_change: open("idx_contacts_by_change")?,
            activities: open("activities")?,
            activity_keys: open("idx_activity_keys")?,
            engagement: open("engagement")?,
            tasks: open("tasks")?,
            tasks_by_due: open("idx_tasks_by_due")?,
            tasks_by_contact: open("idx_tasks_by_contact")?,
            reminder_queue: open("reminder_queue")?,
            deals: open("deals")?,
            deals_by_stage: open("idx_deals_by_stage")?,
            deals_by_contact: open("idx_deals_by_contact")?,
            tz: RwLock::new(crate::task::system_timezone()),
            fallback_language: RwLock::new(crate::settings::Language::De),
            pending_outcomes: Mutex::new(Vec::new()),
            automation_paused: std::sync::atomic::AtomicU32::new(0),
            search: RwLock::new(SearchIndex::default()),
            orgs: RwLock::new(HashMap::new()),
            sums: RwLock::new(HashMap::new()),
            settings: RwLock::new(Settings::default()),
            activity_writes: Mutex::new(()),
            db,
        };
        store.check_schema()?;
        store.finish_interrupted_import()?;
        store.load_caches()?;
        store.normalize_all_day_tasks()?;
        Ok(store)
    }

    /// Whether this open made the store (no earlier one was in its directory).
    pub fn is_new(&self) -> bool {
        !self.existed
    }

    fn check_schema(&self) -> Result<()> {
        match self.meta.get("schema_version")? {
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    Error::StoreCorrupt { path: self.dir.clone(), reason: "bad schema version".into() }
                })?;
                if found > SCHEMA_VERSION {
                    return Err(Error::StoreNewer { found, supported: SCHEMA_VERSION });
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
                self.meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.db.flush()?;
                Ok(())
            }
        }
    }

    /// Builds the in-memory search index and loads settings, organisations
    /// and engagement sums.
    fn load_caches(&self) -> Result<()> {
        let corrupt = |e: Error| Error::StoreCorrupt { path: self.dir.clone(), reason: e.to_string() };
        let mut index = SearchIndex::default();
        for entry in self.contacts.iter() {
            let (_, bytes) = entry?;
            index.upsert(&decode::<Contact>(&bytes).map_err(corrupt)?);
        }
        *self.search_mut() = index;
        let mut orgs = HashMap::new();
        for entry in self.organizations.iter() {
            let (_, bytes) = entry?;
            let org: Organization = decode(&bytes).map_err(corrupt)?;
            orgs.insert(org.id, org);
        }
        *write(&self.orgs) = orgs;
        let mut sums = HashMap::new();
        for entry in self.engagement.iter() {
            let (key, bytes) = entry?;
            let id = Uuid::from_slice(&key).map_err(|e| corrupt(Error::Storage(e.to_string())))?;
            sums.insert(id, decode::<EngagementSums>(&bytes).map_err(corrupt)?);
        }
        *write(&self.sums) = sums;
        let settings = match self.meta.get("settings")? {
            Some(bytes) => decode(&bytes).map_err(corrupt)?,
            None => Settings::default(),
        };
        *write(&self.settings) = settings;
        Ok(())
    }

    pub(super) fn search(&self) -> RwLockReadGuard<'_, SearchIndex> {
        read(&self.search)
    }

    pub(super) fn search_mut(&self) -> RwLockWriteGuard<'_, SearchIndex> {
        write(&self.search)
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

    /// Validates and saves the user's settings. A new half-life recomputes
    /// the engagement sums from the activities. Dropping a deal stage that
    /// deals are in is refused; shipped default rules follow the language.
    /// With auto-advance on, the proposals of everyone ready to qualify at
    /// `now` (after a new threshold or weight, say) are applied.
    pub fn set_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<Settings> {
        settings.validate()?;
        self.check_stages_in_use(settings)?;
        let mut settings = settings.clone();
        settings.localize_default_rules(*read(&self.fallback_language));
        let settings = &settings;
        let old_half_life = read(&self.settings).scoring.half_life_days;
        self.meta.insert("settings", encode(settings)?)?;
        self.db.flush()?;
        *write(&self.settings) = settings.clone();
        if (old_half_life - settings.scoring.half_life_days).abs() > f64::EPSILON {
            self.rebuild_engagement_sums()?;
        }
        self.auto_advance_ready(None, now)?;
        Ok(settings.clone())
    }
}

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

mod deals;
mod qualify;
mod reports;
mod tasks;
mod transfer;

pub use deals::{AutomationPause, DealCard, DealMove, Pipeline, PipelineColumn};
pub use tasks::{DueReminder, TaskCounts, TaskView};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use ts_rs::TS;
use uuid::Uuid;

use crate::contact::{Contact, ContactInput, Organization};
use crate::error::{Error, Result};
use crate::score::EngagementSums;
use crate::search::{sort_key, Doc, SearchIndex, StageCounts};
use crate::settings::Settings;
use crate::stage::{check_transition, ChangedBy, Stage, StageChange, StageChangeRequest};
use crate::text::fold;

/// Layout version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// First byte of every encoded record.
const RECORD_V1: u8 = 1;
/// sled's page cache; its default (1 GB) is far too much for a desktop app.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Index prefix byte for "all stages".
pub(super) const ALL_STAGES: u8 = 0;

/// How a contact list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortOrder {
    /// By display name, A–Z.
    #[default]
    Name,
    /// Most recently changed first.
    LastChange,
}

/// A page request for the contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ListQuery {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Search text (names, organisation, email, phone digits, tags).
    pub search: Option<String>,
    /// Order.
    pub sort: SortOrder,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return at most.
    pub limit: u32,
    /// Only contacts with a qualification proposal.
    pub ready_to_qualify: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            stage: None,
            search: None,
            sort: SortOrder::Name,
            offset: 0,
            limit: 100,
            ready_to_qualify: false,
        }
    }
}

/// One page of contacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactPage {
    /// The contacts of this page.
    pub items: Vec<Contact>,
    /// How many match in all.
    pub total: u32,
}

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

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = vec![RECORD_V1];
    serde_json::to_writer(&mut out, value).map_err(|e| Error::Storage(e.to_string()))?;
    Ok(out)
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
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
fn new_id(now: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
    Uuid::new_v7(ts)
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

fn abort<T>(e: Error) -> TxResult<T> {
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

    fn search(&self) -> RwLockReadGuard<'_, SearchIndex> {
        read(&self.search)
    }

    fn search_mut(&self) -> RwLockWriteGuard<'_, SearchIndex> {
        write(&self.search)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates a contact as a lead (its first stage-history entry).
    pub fn create_contact(&self, input: &ContactInput, by: ChangedBy, now: DateTime<Utc>) -> Result<Contact> {
        let valid = input.validate(self.settings().region())?;
        let id = new_id(now);
        let organization = valid.organization.clone();
        self.save_decorated(id, organization.as_deref(), now, |old| {
            if old.is_some() {
                return Err(Error::Storage(format!("id collision for {id}")));
            }
            Ok(Contact::new_lead(id, valid.clone(), by, None, now))
        })
    }

    /// Replaces a contact's editable fields.
    pub fn update_contact(&self, id: Uuid, input: &ContactInput, now: DateTime<Utc>) -> Result<Contact> {
        let valid = input.validate(self.settings().region())?;
        let organization = valid.organization.clone();
        let contact = self.save_decorated(id, organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            c.apply(valid.clone(), None, now);
            Ok(c)
        })?;
        self.auto_advance(contact, now)
    }

    /// Moves a contact to another stage, checked against the lifecycle and
    /// recorded in its stage history. Rules it fires leave their outcomes
    /// for [`Store::take_automation_outcomes`].
    pub fn change_stage(
        &self,
        id: Uuid,
        request: &StageChangeRequest,
        by: ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Contact> {
        let current = self.raw_contact(id)?;
        let contact = self.save_decorated(id, current.organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            let reason = check_transition(c.stage, request.to, request.reason.as_deref(), request.force)?;
            c.stage_history.push(StageChange { from: Some(c.stage), to: request.to, at: now, reason, by });
            c.stage = request.to;
            c.updated_at = now;
            Ok(c)
        })?;
        let event = crate::automation::Event::ContactStageChanged { contact_id: id, to: contact.stage };
        let outcomes = self.run_rules(&[event], now);
        self.queue_outcomes(outcomes);
        Ok(contact)
    }

    /// Writes one contact in a transaction: builds it from the stored one
    /// with `build`, links (or creates) its organisation by name, replaces its
    /// index entries, flushes, then updates the search index.
    fn save(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        let trees = (&self.contacts, &self.organizations, &self.org_by_name, &self.by_name, &self.by_change);
        let contact = trees.transaction(|(contacts, orgs, org_by_name, by_name, by_change)| {
            let old: Option<Contact> = match contacts.get(id.as_bytes())? {
                Some(bytes) => Some(decode(&bytes).or_else(abort)?),
                None => None,
            };
            let mut new = build(old.clone()).or_else(abort)?;
            match organization {
                Some(name) => {
                    let org = find_or_create_org(orgs, org_by_name, name, now)?;
                    new.organization = Some(org.name);
                    new.organization_id = Some(org.id);
                }
                None => {
                    new.organization = None;
                    new.organization_id = None;
                }
            }
            put_contact(contacts, by_name, by_change, old.as_ref(), Some(&new))?;
            Ok(new)
        })?;
        self.db.flush()?;
        self.search_mut().upsert(&contact);
        if let Some(org_id) = contact.organization_id {
            if !read(&self.orgs).contains_key(&org_id) {
                if let Some(bytes) = self.organizations.get(org_id.as_bytes())? {
                    let org: Organization = decode(&bytes)?;
                    write(&self.orgs).insert(org.id, org);
                }
            }
        }
        Ok(contact)
    }

    /// [`Store::save`], returning the contact with its score as of `now`.
    fn save_decorated(
        &self,
        id: Uuid,
        organization: Option<&str>,
        now: DateTime<Utc>,
        build: impl Fn(Option<Contact>) -> Result<Contact>,
    ) -> Result<Contact> {
        let mut contact = self.save(id, organization, now, build)?;
        self.decorate_fields(&mut contact, now)?;
        Ok(contact)
    }

    /// One contact as stored (score and proposal not computed).
    fn raw_contact(&self, id: Uuid) -> Result<Contact> {
        let bytes = self.contacts.get(id.as_bytes())?.ok_or_else(|| not_found(id))?;
        decode(&bytes)
    }

    /// A contact's display name, if it exists (for lists that link to contacts).
    pub fn display_name(&self, id: Uuid) -> Option<String> {
        self.raw_contact(id).ok().map(|c| c.display_name)
    }

    /// One contact with its effective criteria, score and proposal at `now`.
    pub fn contact(&self, id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let mut contact = self.raw_contact(id)?;
        self.decorate_fields(&mut contact, now)?;
        Ok(contact)
    }

    /// A page of contacts: by stage and order from the index trees, or the
    /// search index's matches when there is search text.
    pub fn list_contacts(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ContactPage> {
        let offset = query.offset as usize;
        let limit = query.limit as usize;
        let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (ids, total) = if search.is_some() || query.ready_to_qualify {
            let index = self.search();
            let candidates: Vec<&Doc> = match search {
                Some(text) => index.matches(text),
                None => index.docs().collect(),
            };
            let ready = query.ready_to_qualify.then(|| self.ready_filter(now));
            let mut docs: Vec<&Doc> = candidates
                .into_iter()
                .filter(|d| query.stage.is_none_or(|s| d.stage == s))
                .filter(|d| ready.as_ref().is_none_or(|r| r.is_ready(d)))
                .collect();
            let order = |a: &&Doc, b: &&Doc| {
                match query.sort {
                    SortOrder::Name => a.name_key.cmp(&b.name_key),
                    SortOrder::LastChange => b.updated_ms.cmp(&a.updated_ms),
                }
                .then(a.id.cmp(&b.id))
            };
            // Only the docs up to the end of the page need their order: "m"
            // matches tens of thousands, the page shows a hundred.
            let total = docs.len();
            let end = offset.saturating_add(limit).min(total);
            if end > 0 && end < total {
                docs.select_nth_unstable_by(end - 1, order);
                docs.truncate(end);
            }
            docs.sort_unstable_by(order);
            let ids: Vec<Uuid> = docs.iter().skip(offset).take(limit).map(|d| d.id).collect();
            (ids, total)
        } else {
            let tag = query.stage.map_or(ALL_STAGES, stage_tag);
            let tree = match query.sort {
                SortOrder::Name => &self.by_name,
                SortOrder::LastChange => &self.by_change,
            };
            let ids = tree
                .scan_prefix([tag])
                .keys()
                .skip(offset)
                .take(limit)
                .map(|k| id_from_index_key(&k?))
                .collect::<Result<Vec<_>>>()?;
            let counts = self.search().counts();
            let total = query.stage.map_or(counts.all, |s| counts.get(s));
            (ids, total as usize)
        };
        let items = ids.into_iter().map(|id| self.contact(id, now)).collect::<Result<Vec<_>>>()?;
        Ok(ContactPage { items, total: u32::try_from(total).unwrap_or(u32::MAX) })
    }

    /// Contacts per stage, and ready to qualify, of all or of those matching `search`.
    pub fn stage_counts(&self, search: Option<&str>, now: DateTime<Utc>) -> StageCounts {
        let index = self.search();
        let is_ready = self.ready_filter(now);
        match search.filter(|q| !q.trim().is_empty()) {
            // One pass over the matches for both the stages and the ready.
            Some(q) => {
                let mut counts = StageCounts::default();
                for doc in index.matches(q) {
                    counts.add(doc.stage);
                    counts.ready_to_qualify += u32::from(is_ready.is_ready(doc));
                }
                counts
            }
            None => StageCounts {
                ready_to_qualify: index.docs().filter(|d| is_ready.is_ready(d)).count() as u32,
                ..index.counts()
            },
        }
    }

    /// Organisations whose name contains `search` (all when `None`), A–Z.
    pub fn organizations(&self, search: Option<&str>, limit: usize) -> Result<Vec<Organization>> {
        let needle = search.map(fold).unwrap_or_default();
        let needle = needle.trim();
        let mut out = Vec::new();
        for entry in self.org_by_name.iter() {
            let (key, id) = entry?;
            if !needle.is_empty() && !String::from_utf8_lossy(&key).contains(needle) {
                continue;
            }
            let bytes =
                self.organizations.get(&id)?.ok_or_else(|| Error::Storage("dangling organisation".into()))?;
            out.push(decode(&bytes)?);
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
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

    /// Number of contacts.
    pub fn contact_count(&self) -> usize {
        self.search().len()
    }
}

/// Writes (or with `new` = `None` removes) a contact record and replaces its
/// list-index entries, inside a transaction.
fn put_contact(
    contacts: &TransactionalTree,
    by_name: &TransactionalTree,
    by_change: &TransactionalTree,
    old: Option<&Contact>,
    new: Option<&Contact>,
) -> TxResult<()> {
    if let Some(old) = old {
        for tag in [ALL_STAGES, stage_tag(old.stage)] {
            by_name.remove(name_key(tag, old))?;
            by_change.remove(change_key(tag, old))?;
        }
        if new.is_none() {
            contacts.remove(old.id.as_bytes())?;
        }
    }
    if let Some(new) = new {
        for tag in [ALL_STAGES, stage_tag(new.stage)] {
            by_name.insert(name_key(tag, new), &[])?;
            by_change.insert(change_key(tag, new), &[])?;
        }
        contacts.insert(new.id.as_bytes(), encode(new).or_else(abort)?)?;
    }
    Ok(())
}

fn not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "contact", id: id.to_string() }
}

fn find_or_create_org(
    orgs: &TransactionalTree,
    org_by_name: &TransactionalTree,
    name: &str,
    now: DateTime<Utc>,
) -> TxResult<Organization> {
    let key = fold(name);
    if let Some(id) = org_by_name.get(key.as_bytes())? {
        if let Some(bytes) = orgs.get(&id)? {
            return decode(&bytes).or_else(abort);
        }
    }
    let org = Organization {
        id: new_id(now),
        name: name.to_owned(),
        industry: None,
        size: None,
        postcode: None,
        region: None,
        created_at: now,
        updated_at: now,
    };
    orgs.insert(org.id.as_bytes(), encode(&org).or_else(abort)?)?;
    org_by_name.insert(key.as_bytes(), org.id.as_bytes())?;
    Ok(org)
}

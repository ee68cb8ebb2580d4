//! The store's side of team sync: the outbox of this replica's operations,
//! each register's clock, the conflicts list, and applying what other
//! replicas wrote.
//!
//! Invariants:
//! - once sync is set up (a replica id in `meta`), every change to a synced
//!   record writes its operations into `sync_outbox` in the same
//!   transaction as the change ([`record`]), and each register's clock in
//!   `sync_clocks`;
//! - an operation leaves the outbox only when the server has committed it
//!   ([`Store::sync_acknowledge`]);
//! - another replica's operation is applied at most once: per replica the
//!   highest sequence number applied is kept, in the transaction that
//!   applies it;
//! - a value that loses a race is kept in `sync_conflicts` with the one
//!   that won, until the rep picks one or a later edit that saw both
//!   arrives.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use super::contacts::{not_found, put_contact};
use super::organizations::find_or_create_org;
use super::privacy::remove_contact;
use super::{abort, decode, decode_tx, encode, encode_tx, lock, new_id, Store, Tx, TxResult};
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::sync::{
    self as model, Class, Clock, Conflict, Decision, EntityKind, Hlc, Op, Pick, Remote, Side, SyncReport,
};

thread_local! {
    /// Set while this thread applies other replicas' operations.
    static REMOTE: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread applies other replicas' operations now.
pub(super) fn applying_remote() -> bool {
    REMOTE.with(Cell::get)
}

/// Runs `f` as the application of other replicas' writes: its transactions
/// write no operations of their own.
fn as_remote<T>(f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            REMOTE.with(|r| r.set(false));
        }
    }
    REMOTE.with(|r| r.set(true));
    let _reset = Reset;
    f()
}

/// The start of every `meta` key of team sync's.
pub(super) const META_PREFIX: &str = "sync/";
const REPLICA: &str = "sync/replica";
const CLOCK: &str = "sync/clock";
const NEXT_SEQ: &str = "sync/next_seq";
const NEXT_CONFLICT: &str = "sync/next_conflict";
const CONFIG: &str = "sync/config";
const LAST_SYNC: &str = "sync/last_sync";
const CURSOR: &str = "sync/cursor";
/// The next contact key the first sync's snapshot sends from (absent: done).
const SNAPSHOT: &str = "sync/snapshot";
/// Per replica: the highest sequence number applied here.
const SEEN: &str = "sync/seen/";
/// Per conflict number: its key in `sync_conflicts`.
const CONFLICT_KEY: &str = "sync/conflict/";
/// Records a snapshot step sends per transaction.
const SNAPSHOT_BATCH: usize = 1000;
/// Operations sent to the server per transaction there.
const PUSH_BATCH: usize = 1000;
/// Operations read from the server's log per page.
const PULL_BATCH: usize = 2000;

/// How far a sync has come, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProgress {
    /// Records queued for the first sync.
    Queued(u64),
    /// Operations sent so far, of how many waited.
    Pushed(u64, u64),
    /// Operations read so far.
    Pulled(u64),
}

/// Where this replica syncs: the server and the rep's user there (the
/// password is kept by the OS keychain, never here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncConfig {
    /// `postgres://USER@HOST:PORT/DB`, without a password.
    pub url: String,
}

/// Team sync's state on this replica.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// This replica's id (none before sync is set up).
    #[ts(optional = nullable)]
    pub replica: Option<Uuid>,
    /// The server, once set up.
    #[ts(optional = nullable)]
    pub server: Option<SyncConfig>,
    /// Operations waiting to be sent.
    #[ts(type = "number")]
    pub pending: u64,
    /// When the last sync finished.
    #[ts(optional = nullable)]
    pub last_sync: Option<DateTime<Utc>>,
    /// Open conflicts.
    #[ts(type = "number")]
    pub conflicts: u64,
}

/// What applying a batch of other replicas' operations did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Operations that changed a register here.
    pub applied: u64,
    /// Operations applied before, older than what is here, or about records gone.
    pub skipped: u64,
    /// New conflicts.
    pub conflicts: u64,
}

fn u64_of(bytes: Option<sled::IVec>) -> u64 {
    bytes.and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok()).map(u64::from_be_bytes).unwrap_or(0)
}

fn clock_prefix(kind: EntityKind, id: Uuid) -> Vec<u8> {
    let mut key = Vec::with_capacity(17);
    key.push(kind.tag());
    key.extend_from_slice(id.as_bytes());
    key
}

fn clock_key(kind: EntityKind, id: Uuid, field: &str) -> Vec<u8> {
    let mut key = clock_prefix(kind, id);
    key.extend_from_slice(field.as_bytes());
    key
}

/// A conflict's key: its register's key, a 0xff (never in UTF-8), its number.
fn conflict_key(kind: EntityKind, id: Uuid, field: &str, number: u64) -> Vec<u8> {
    let mut key = clock_key(kind, id, field);
    key.push(0xff);
    key.extend_from_slice(&number.to_be_bytes());
    key
}

fn seen_key(replica: Uuid) -> String {
    format!("{SEEN}{replica}")
}

fn to_json<T: Serialize>(value: &T) -> TxResult<Value> {
    serde_json::to_value(value).map_err(|e| Error::Storage(e.to_string())).or_else(abort)
}

fn replica_tx(tx: &Tx) -> TxResult<Option<Uuid>> {
    Ok(tx.meta.get(REPLICA)?.and_then(|b| Uuid::from_slice(&b).ok()))
}

fn clock_tx(tx: &Tx) -> TxResult<Hlc> {
    match tx.meta.get(CLOCK)? {
        Some(bytes) => decode_tx(&bytes),
        None => Ok(Hlc::ZERO),
    }
}

fn register_tx(tx: &Tx, key: &[u8]) -> TxResult<Option<Clock>> {
    tx.sync_clocks.get(key)?.map(|b| decode_tx(&b)).transpose()
}

/// A register's clock: its own, or the record's whole-record clock when
/// that is later (a whole record's operation sets one clock for all its
/// registers, not one each: a first sync of 100,000 contacts writes
/// 100,000 clocks, not two million).
fn effective_tx(tx: &Tx, key: &[u8], whole: Option<Clock>) -> TxResult<Option<Clock>> {
    let own = register_tx(tx, key)?;
    Ok(match (own, whole) {
        (Some(own), Some(whole)) if whole.hlc > own.hlc => Some(whole),
        (None, whole) => whole,
        (own, _) => own,
    })
}

/// Whether a record's `_deleted` or `_erased` register says it is gone.
fn gone_tx(tx: &Tx, kind: EntityKind, id: Uuid) -> TxResult<bool> {
    for (field, _) in [(model::ERASED, ()), (model::DELETED, ())] {
        if let Some(bytes) = tx.sync_clocks.get(clock_key(kind, id, field))? {
            let clock: Clock = decode_tx(&bytes)?;
            // The register's value lives in the clock's tree as its key's
            // presence with a flag: a tombstone kept after an undelete is
            // written with `prev` pointing at itself (see `emit`).
            if clock.prev != Some(clock.hlc) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Writes this replica's operations for a change of one record, inside the
/// change's transaction: nothing before sync is set up, nothing while
/// another replica's writes are applied.
pub(super) fn record<T: Serialize>(
    tx: &Tx,
    kind: EntityKind,
    id: Uuid,
    old: Option<&T>,
    new: Option<&T>,
) -> TxResult<()> {
    if tx.remote {
        return Ok(());
    }
    let Some(replica) = replica_tx(tx)? else { return Ok(()) };
    let old = old.map(to_json).transpose()?;
    let new = new.map(to_json).transpose()?;
    let changes = model::diff(kind, old.as_ref(), new.as_ref());
    emit(tx, replica, kind, id, changes)
}

/// Writes the operations of contacts an import stored as new (without
/// [`put_contact`]), read back inside the import's transaction.
pub(in crate::store) fn record_new_contacts(tx: &Tx, ids: &[Uuid]) -> TxResult<()> {
    if tx.remote {
        return Ok(());
    }
    let Some(replica) = replica_tx(tx)? else { return Ok(()) };
    for id in ids {
        let Some(bytes) = tx.contacts.get(id.as_bytes())? else { continue };
        let c: Contact = decode_tx(&bytes)?;
        emit(
            tx,
            replica,
            EntityKind::Contact,
            *id,
            model::diff(EntityKind::Contact, None, Some(&to_json(&c)?)),
        )?;
    }
    Ok(())
}

/// Writes the operations of a restore: what it changed, added and removed.
pub(super) fn record_restore(tx: &Tx, before: &HashMap<Uuid, Contact>, after: &[Contact]) -> TxResult<()> {
    let mut kept = std::collections::HashSet::new();
    for c in after {
        kept.insert(c.id);
        record(tx, EntityKind::Contact, c.id, before.get(&c.id), Some(c))?;
    }
    for (id, c) in before.iter().filter(|(id, _)| !kept.contains(*id)) {
        record(tx, EntityKind::Contact, *id, Some(c), None)?;
    }
    Ok(())
}

/// Writes that a record was erased for good (GDPR): every replica and the
/// server drop all of it but its id.
pub(super) fn record_erase(tx: &Tx, kind: EntityKind, id: Uuid) -> TxResult<()> {
    if tx.remote {
        return Ok(());
    }
    let Some(replica) = replica_tx(tx)? else { return Ok(()) };
    emit(tx, replica, kind, id, vec![(model::ERASED.to_owned(), Value::Bool(true))])
}

/// Appends operations to the outbox with the next stamps and sequence
/// numbers, and sets their registers' clocks.
fn emit(tx: &Tx, replica: Uuid, kind: EntityKind, id: Uuid, changes: Vec<(String, Value)>) -> TxResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut clock = clock_tx(tx)?;
    let mut seq = u64_of(tx.meta.get(NEXT_SEQ)?).max(1);
    let now_ms = u64::try_from(tx.now.timestamp_millis()).unwrap_or(0);
    for (field, value) in changes {
        clock = Hlc::tick(clock, now_ms, replica);
        let op = Op { replica, seq, kind, entity: id, field, value, hlc: clock, prev: None, by: None };
        let whole_key = clock_key(kind, id, model::WHOLE);
        let whole = register_tx(tx, &whole_key)?;
        let mut prev_of_op = None;
        if op.field == model::WHOLE {
            tx.sync_clocks
                .insert(whole_key, encode_tx(&Clock { hlc: clock, prev: whole.map(|c| c.hlc) })?)?;
        } else {
            let key = clock_key(kind, id, &op.field);
            prev_of_op = effective_tx(tx, &key, whole)?.map(|c| c.hlc);
            tx.sync_clocks.insert(key, encode_tx(&Clock { hlc: clock, prev: prev_of_op })?)?;
        }
        // A record made again (an undone delete) is live again everywhere:
        // its tombstone is overwritten by a later "not deleted".
        if op.field == model::WHOLE {
            let key = clock_key(kind, id, model::DELETED);
            if register_tx(tx, &key)?.is_some() {
                clock = Hlc::tick(clock, now_ms, replica);
                let undelete = Op {
                    replica,
                    seq,
                    kind,
                    entity: id,
                    field: model::DELETED.to_owned(),
                    value: Value::Bool(false),
                    hlc: clock,
                    prev: None,
                    by: None,
                };
                tx.sync_clocks.insert(key, encode_tx(&Clock { hlc: clock, prev: Some(clock) })?)?;
                tx.sync_outbox.insert(&seq.to_be_bytes(), encode_tx(&Op { seq, ..op.clone() })?)?;
                seq += 1;
                tx.sync_outbox.insert(&seq.to_be_bytes(), encode_tx(&Op { seq, ..undelete })?)?;
                seq += 1;
                continue;
            }
        }
        let op = Op { prev: prev_of_op, ..op };
        tx.sync_outbox.insert(&seq.to_be_bytes(), encode_tx(&op)?)?;
        seq += 1;
    }
    tx.meta.insert(CLOCK, encode_tx(&clock)?)?;
    tx.meta.insert(NEXT_SEQ, &seq.to_be_bytes())?;
    Ok(())
}

/// A record's fields as JSON, for merging into.
fn contact_json(c: &Contact) -> TxResult<Map<String, Value>> {
    match to_json(c)? {
        Value::Object(fields) => Ok(fields),
        _ => abort(Error::Storage("a contact is not a JSON object".into())),
    }
}

impl Store {
    /// This replica's id, once sync is set up.
    pub fn sync_replica(&self) -> Result<Option<Uuid>> {
        Ok(self.t.meta.get(REPLICA)?.and_then(|b| Uuid::from_slice(&b).ok()))
    }

    /// Sets up sync with a server: this replica gets its id (the first
    /// time), and every record already here is queued as an operation, in
    /// transactions of a thousand (`progress` hears how many are queued).
    /// Setting up again changes the server only.
    pub fn sync_setup(
        &self,
        config: &SyncConfig,
        now: DateTime<Utc>,
        progress: &dyn Fn(u64),
    ) -> Result<Uuid> {
        let replica = match self.sync_replica()? {
            Some(replica) => replica,
            None => {
                let replica = new_id(now);
                self.transact(now, |tx| {
                    tx.meta.insert(REPLICA, replica.as_bytes())?;
                    tx.meta.insert(SNAPSHOT, &[])?;
                    Ok(())
                })?;
                replica
            }
        };
        // Another server (not just another user or TLS setting) has none
        // of this replica's history: its log is read from the start and
        // every record here is sent to it again.
        let moved = self.sync_config()?.is_some_and(|old| server_of(&old.url) != server_of(&config.url));
        if moved {
            let seen: Vec<sled::IVec> = self.t.meta.scan_prefix(SEEN).keys().collect::<sled::Result<_>>()?;
            self.transact(now, |tx| {
                for key in &seen {
                    tx.meta.remove(key)?;
                }
                tx.meta.remove(CURSOR)?;
                tx.meta.remove(LAST_SYNC)?;
                tx.meta.insert(SNAPSHOT, &[])?;
                Ok(())
            })?;
        }
        self.t.meta.insert(CONFIG, encode(config)?)?;
        self.db.flush()?;
        self.sync_snapshot(now, progress)?;
        Ok(replica)
    }

    /// Queues the records that were here before sync was set up, from where
    /// an interrupted setup stopped (each step's place is kept with its
    /// operations).
    pub fn sync_snapshot(&self, now: DateTime<Utc>, progress: &dyn Fn(u64)) -> Result<()> {
        let mut queued = 0u64;
        while let Some(from) = self.t.meta.get(SNAPSHOT)? {
            let batch: Vec<Contact> = self
                .t
                .contacts
                .range(from.to_vec()..)
                .values()
                .take(SNAPSHOT_BATCH)
                .map(|v| decode(&v?))
                .collect::<Result<_>>()?;
            let next = match batch.last() {
                Some(last) if batch.len() == SNAPSHOT_BATCH => {
                    let mut key = last.id.as_bytes().to_vec();
                    key.push(0);
                    Some(key)
                }
                _ => None,
            };
            self.transact(now, |tx| {
                let Some(replica) = replica_tx(tx)? else { return Ok(()) };
                for c in &batch {
                    emit(
                        tx,
                        replica,
                        EntityKind::Contact,
                        c.id,
                        model::diff(EntityKind::Contact, None, Some(&to_json(c)?)),
                    )?;
                }
                match &next {
                    Some(key) => tx.meta.insert(SNAPSHOT, key.as_slice())?,
                    None => tx.meta.remove(SNAPSHOT)?,
                };
                Ok(())
            })?;
            queued += batch.len() as u64;
            progress(queued);
        }
        Ok(())
    }

    /// One sync with the server: queues what the first sync still has to
    /// send, sends the outbox in batches (each leaves it once committed),
    /// then reads the server's log from where it stopped and applies it.
    /// A failure on the way keeps what was done: the next sync goes on.
    pub fn sync_with(
        &self,
        remote: &mut dyn Remote,
        now: DateTime<Utc>,
        progress: &dyn Fn(SyncProgress),
    ) -> Result<SyncReport> {
        if self.sync_replica()?.is_none() {
            return Err(Error::SyncNotSetUp);
        }
        self.sync_snapshot(now, &|n| progress(SyncProgress::Queued(n)))?;
        let mut report = SyncReport::default();
        let own = self.sync_replica()?;
        let waiting = self.sync_pending();
        loop {
            let ops = self.sync_outbox(PUSH_BATCH)?;
            let Some(last) = ops.last() else { break };
            remote.push(&ops)?;
            self.sync_acknowledge(last.seq)?;
            report.pushed += ops.len() as u64;
            progress(SyncProgress::Pushed(report.pushed, waiting.max(report.pushed)));
        }
        loop {
            let cursor = self.sync_cursor()?;
            let page = remote.pull(cursor.as_deref(), PULL_BATCH)?;
            // Done when the cursor stays (a page of kinds a newer Kontor
            // syncs moves it on without operations for this one).
            if page.cursor == cursor {
                break;
            }
            let applied = self.sync_apply(&page.ops, page.cursor.as_deref(), now)?;
            // This replica's own operations come back too; they are not news.
            report.pulled += page.ops.iter().filter(|o| Some(o.replica) != own).count() as u64;
            report.conflicts += applied.conflicts;
            progress(SyncProgress::Pulled(report.pulled));
        }
        self.sync_finished(now)?;
        Ok(report)
    }

    /// Where this replica syncs, once set up.
    pub fn sync_config(&self) -> Result<Option<SyncConfig>> {
        self.t.meta.get(CONFIG)?.map(|b| decode(&b)).transpose()
    }

    /// The oldest `limit` operations waiting to be sent, in order.
    pub fn sync_outbox(&self, limit: usize) -> Result<Vec<Op>> {
        self.t.sync_outbox.iter().values().take(limit).map(|v| decode(&v?)).collect()
    }

    /// How many operations wait to be sent.
    pub fn sync_pending(&self) -> u64 {
        self.t.sync_outbox.len() as u64
    }

    /// The server committed the operations up to `seq`: they leave the outbox.
    pub fn sync_acknowledge(&self, seq: u64) -> Result<()> {
        let mut batch = sled::Batch::default();
        for key in self.t.sync_outbox.range(..=seq.to_be_bytes()).keys() {
            batch.remove(key?);
        }
        self.t.sync_outbox.apply_batch(batch)?;
        self.db.flush()?;
        Ok(())
    }

    /// The server log's place this replica has read up to.
    pub fn sync_cursor(&self) -> Result<Option<String>> {
        Ok(self.t.meta.get(CURSOR)?.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// A sync finished at `now`.
    pub fn sync_finished(&self, now: DateTime<Utc>) -> Result<()> {
        self.t.meta.insert(LAST_SYNC, encode(&now)?)?;
        self.db.flush()?;
        Ok(())
    }

    /// Team sync's state here.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(SyncStatus {
            replica: self.sync_replica()?,
            server: self.sync_config()?,
            pending: self.sync_pending(),
            last_sync: self.t.meta.get(LAST_SYNC)?.map(|b| decode(&b)).transpose()?,
            conflicts: self.t.sync_conflicts.len() as u64,
        })
    }

    /// The open conflicts, by record and field.
    pub fn sync_conflicts(&self) -> Result<Vec<Conflict>> {
        self.t.sync_conflicts.iter().values().map(|v| decode(&v?)).collect()
    }

    /// Applies other replicas' operations (in the server log's order) and
    /// then keeps `cursor` as the place read up to, all in one transaction.
    pub fn sync_apply(&self, ops: &[Op], cursor: Option<&str>, now: DateTime<Utc>) -> Result<Applied> {
        let _merging = lock(&self.sync_lock);
        let own = self.sync_replica()?;
        let mut report = Applied::default();
        // At most once per operation: per replica, sequence numbers only grow.
        let mut seen: HashMap<Uuid, u64> = HashMap::new();
        let mut fresh = Vec::new();
        for op in ops {
            let high = match seen.get(&op.replica) {
                Some(high) => *high,
                None => u64_of(self.t.meta.get(seen_key(op.replica))?),
            };
            if Some(op.replica) == own || op.seq <= high {
                report.skipped += 1;
                continue;
            }
            seen.insert(op.replica, op.seq);
            fresh.push(op);
        }
        // Deletes and erasures take a record's tasks, deals and activities
        // with it: those are read first (a transaction cannot scan), and
        // an erasure runs as the local one does, with its own transaction.
        let mut erased = Vec::new();
        let mut theirs = HashMap::new();
        for op in &fresh {
            let gone = op.value == Value::Bool(true);
            if op.field == model::ERASED && gone {
                erased.push(op.entity);
            } else if op.field == model::DELETED && gone && self.raw_contact(op.entity).is_ok() {
                theirs.insert(
                    op.entity,
                    (
                        self.all_activities(op.entity)?,
                        self.contact_tasks(op.entity)?,
                        self.contact_deals(op.entity)?,
                    ),
                );
            }
        }
        for id in &erased {
            if self.raw_contact(*id).is_ok() {
                as_remote(|| self.erase_person(*id, now))?;
            }
        }
        // Open conflicts of the records concerned: a later edit that saw
        // both sides settles them.
        let mut open: OpenConflicts = HashMap::new();
        // Records this replica has no clock of yet: their whole-record
        // operation is applied without a look at each register.
        let mut unknown: std::collections::HashSet<(EntityKind, Uuid)> = Default::default();
        for op in &fresh {
            let entry = open.entry((op.kind, op.entity));
            if let std::collections::hash_map::Entry::Vacant(slot) = entry {
                if self.t.sync_clocks.scan_prefix(clock_prefix(op.kind, op.entity)).next().is_none() {
                    unknown.insert((op.kind, op.entity));
                }
                let found = self
                    .t
                    .sync_conflicts
                    .scan_prefix(clock_prefix(op.kind, op.entity))
                    .map(|kv| {
                        let (k, v) = kv?;
                        Ok((k.to_vec(), decode(&v)?))
                    })
                    .collect::<Result<Vec<_>>>()?;
                slot.insert(found);
            }
        }
        let outcome = as_remote(|| {
            self.transact(now, |tx| {
                let mut report = report;
                let mut clock = clock_tx(tx)?;
                let mut next_conflict = u64_of(tx.meta.get(NEXT_CONFLICT)?).max(1);
                // Grouped by record, in order of first appearance.
                let mut order = Vec::new();
                let mut groups: HashMap<(EntityKind, Uuid), Vec<&Op>> = HashMap::new();
                for op in &fresh {
                    let group = groups.entry((op.kind, op.entity)).or_default();
                    if group.is_empty() {
                        order.push((op.kind, op.entity));
                    }
                    group.push(op);
                }
                for key in &order {
                    let (kind, id) = *key;
                    let ops = &groups[key];
                    for op in ops {
                        clock = Hlc::observe(clock, op.hlc);
                    }
                    let old: Option<Contact> = match tx.contacts.get(id.as_bytes())? {
                        Some(bytes) => Some(decode_tx(&bytes)?),
                        None => None,
                    };
                    let mut fields = match &old {
                        Some(c) => contact_json(c)?,
                        None => Map::new(),
                    };
                    let mut changed = false;
                    let mut deleted = false;
                    let conflicts = open.get(key).map(Vec::as_slice).unwrap_or_default();
                    let whole_key = clock_key(kind, id, model::WHOLE);
                    let mut whole = register_tx(tx, &whole_key)?;
                    let mut unknown = unknown.contains(key);
                    for op in ops {
                        let is_whole = op.field == model::WHOLE;
                        if unknown && is_whole {
                            // Nothing here yet: all of it, under one clock.
                            for (field, value) in op.registers() {
                                model::apply(kind, &mut fields, &field, &value);
                            }
                            whole = Some(Clock { hlc: op.hlc, prev: None });
                            tx.sync_clocks.insert(whole_key.as_slice(), encode_tx(&whole)?)?;
                            (unknown, changed) = (false, true);
                            report.applied += 1;
                            continue;
                        }
                        unknown = false;
                        if gone_tx(tx, kind, id)? && op.field != model::DELETED {
                            report.skipped += 1;
                            continue;
                        }
                        let mut did = false;
                        for (field, value) in op.registers() {
                            let prev = if is_whole { None } else { op.prev };
                            let rkey = clock_key(kind, id, &field);
                            let current = effective_tx(tx, &rkey, whole)?;
                            let class = model::class(kind, &field);
                            let shown = fields.get(&field).cloned().unwrap_or(Value::Null);
                            let decision = model::decide(current, op.hlc, prev);
                            // A value that lost a race is kept beside the one shown.
                            let race = match decision {
                                Decision::Apply { concurrent: true } => Some(Pick::Remote),
                                Decision::Lose { concurrent: true } => Some(Pick::Local),
                                _ => None,
                            };
                            if let (Some(shown_side), Class::Scalar, Some(current)) = (race, class, current) {
                                if shown != value {
                                    let local = side(shown.clone(), current.hlc, None);
                                    let remote = side(value.clone(), op.hlc, op.by.clone());
                                    let name = display_name(&fields);
                                    let at = Place { kind, entity: id, field: &field };
                                    put_conflict(tx, &mut next_conflict, at, name, local, remote, shown_side)?;
                                    report.conflicts += 1;
                                }
                            }
                            if let Decision::Apply { concurrent } = decision {
                                if !concurrent {
                                    if let Some(prev) = prev {
                                        settle(tx, conflicts, &field, prev)?;
                                    }
                                }
                                match class {
                                    Class::Tombstone => {
                                        let dead = value == Value::Bool(true);
                                        // Kept as the register: dead, or alive again (prev = itself).
                                        let state = Clock { hlc: op.hlc, prev: if dead { prev } else { Some(op.hlc) } };
                                        tx.sync_clocks.insert(rkey, encode_tx(&state)?)?;
                                        deleted = dead;
                                    }
                                    _ => {
                                        model::apply(kind, &mut fields, &field, &value);
                                        // A whole record's registers share its one clock (below).
                                        if !is_whole {
                                            tx.sync_clocks.insert(rkey, encode_tx(&Clock { hlc: op.hlc, prev })?)?;
                                        }
                                    }
                                }
                                changed = true;
                                did = true;
                            }
                        }
                        if is_whole && whole.is_none_or(|w| w.hlc < op.hlc) {
                            whole = Some(Clock { hlc: op.hlc, prev: None });
                            tx.sync_clocks.insert(whole_key.as_slice(), encode_tx(&whole)?)?;
                        }
                        if did {
                            report.applied += 1;
                        } else {
                            report.skipped += 1;
                        }
                    }
                    if deleted {
                        if let Some(c) = &old {
                            let (activities, tasks, deals) = theirs.get(&id).cloned().unwrap_or_default();
                            let keys: Vec<(Vec<u8>, Uuid)> = activities
                                .iter()
                                .map(|a| (super::activities::activity_key(a), a.id))
                                .collect();
                            remove_contact(tx, c, &keys, &tasks, &deals)?;
                        }
                        continue;
                    }
                    if !changed || fields.is_empty() {
                        continue;
                    }
                    let mut new = match merged_contact(id, fields, old.as_ref(), tx.now) {
                        Ok(new) => new,
                        Err(e) => {
                            return abort(Error::Storage(format!(
                                "the contact {id} another replica sent cannot be read by this version of Kontor: {e}"
                            )))
                        }
                    };
                    new.organization_id =
                        match new.organization.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                            Some(name)
                                if old.as_ref().and_then(|o| o.organization.as_deref()) == Some(name) =>
                            {
                                old.as_ref().and_then(|o| o.organization_id)
                            }
                            Some(name) => Some(find_or_create_org(tx, name)?.id),
                            None => None,
                        };
                    put_contact(tx, old.as_ref(), Some(&new))?;
                }
                for (replica, high) in &seen {
                    tx.meta.insert(seen_key(*replica).as_bytes(), &high.to_be_bytes())?;
                }
                tx.meta.insert(CLOCK, encode_tx(&clock)?)?;
                tx.meta.insert(NEXT_CONFLICT, &next_conflict.to_be_bytes())?;
                if let Some(cursor) = cursor {
                    tx.meta.insert(CURSOR, cursor.as_bytes())?;
                }
                Ok(report)
            })
        })?;
        Ok(outcome)
    }

    /// Applies one side of a conflict: the chosen value becomes an edit of
    /// this replica's (sent like any other), and the field's conflicts here
    /// are settled.
    pub fn sync_resolve(&self, number: u64, take: Pick, now: DateTime<Utc>) -> Result<Conflict> {
        let _merging = lock(&self.sync_lock);
        let missing = || Error::NotFound { kind: "conflict", id: number.to_string() };
        let key = self.t.meta.get(format!("{CONFLICT_KEY}{number}"))?.ok_or_else(missing)?;
        let conflict: Conflict = decode(&self.t.sync_conflicts.get(&key)?.ok_or_else(missing)?)?;
        let mut field_prefix = clock_key(conflict.kind, conflict.entity, &conflict.field);
        field_prefix.push(0xff);
        let settled: Vec<(Vec<u8>, u64)> = self
            .t
            .sync_conflicts
            .scan_prefix(&field_prefix)
            .map(|kv| {
                let (k, v) = kv?;
                Ok((k.to_vec(), decode::<Conflict>(&v)?.id))
            })
            .collect::<Result<_>>()?;
        let value = match take {
            Pick::Local => conflict.local.value.clone(),
            Pick::Remote => conflict.remote.value.clone(),
        };
        let id = conflict.entity;
        self.transact(now, |tx| {
            let Some(bytes) = tx.contacts.get(id.as_bytes())? else { return abort(not_found(id)) };
            let old: Contact = decode_tx(&bytes)?;
            let mut fields = contact_json(&old)?;
            model::apply(conflict.kind, &mut fields, &conflict.field, &value);
            let mut new = merged_contact(id, fields, Some(&old), tx.now)
                .map_err(|e| Error::Storage(format!("the chosen value does not fit the record: {e}")))
                .or_else(abort)?;
            if new.organization != old.organization {
                new.organization_id =
                    match new.organization.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                        Some(name) => Some(find_or_create_org(tx, name)?.id),
                        None => None,
                    };
            }
            if new != old {
                put_contact(tx, Some(&old), Some(&new))?;
            }
            for (key, number) in &settled {
                tx.sync_conflicts.remove(key.as_slice())?;
                tx.meta.remove(format!("{CONFLICT_KEY}{number}").as_bytes())?;
            }
            Ok(())
        })?;
        Ok(conflict)
    }

    /// A hash of every live contact's synced fields: equal on replicas
    /// that hold the same state (and to [`model::Registers`] folded from
    /// the server's log).
    pub fn sync_state_hash(&self) -> Result<String> {
        Ok(model::state_hash(&self.sync_state()?))
    }

    /// Every register's clock here: (kind, record, register, stamp of its value).
    pub fn sync_registers(&self) -> Result<Vec<(EntityKind, Uuid, String, Hlc)>> {
        let mut out = Vec::new();
        for kv in self.t.sync_clocks.iter() {
            let (key, value) = kv?;
            let kind = EntityKind::ALL.into_iter().find(|k| Some(&k.tag()) == key.first());
            let (Some(kind), Some(id)) = (kind, key.get(1..17).and_then(|b| Uuid::from_slice(b).ok())) else {
                continue;
            };
            let field = String::from_utf8_lossy(&key[17..]).into_owned();
            out.push((kind, id, field, decode::<Clock>(&value)?.hlc));
        }
        Ok(out)
    }

    /// Every live contact's synced fields, as they compare across replicas.
    pub fn sync_state(&self) -> Result<BTreeMap<(EntityKind, Uuid), Map<String, Value>>> {
        let mut out = BTreeMap::new();
        for value in self.t.contacts.iter().values() {
            let c: Contact = decode(&value?)?;
            let json = serde_json::to_value(&c).map_err(|e| Error::Storage(e.to_string()))?;
            out.insert(
                (EntityKind::Contact, c.id),
                model::canonical(EntityKind::Contact, model::synced(EntityKind::Contact, &json)),
            );
        }
        Ok(out)
    }

    /// The keys of a record's sync state that name them (its registers,
    /// its conflicts, its operations not yet sent), for an erasure: only
    /// the tombstone stays.
    pub(super) fn sync_keys_naming(&self, id: Uuid) -> Result<SyncKeys> {
        let prefix = clock_prefix(EntityKind::Contact, id);
        let mut keys = SyncKeys::default();
        for key in self.t.sync_clocks.scan_prefix(&prefix).keys() {
            let key = key?;
            if key.as_ref() != clock_key(EntityKind::Contact, id, model::ERASED).as_slice() {
                keys.clocks.push(key.to_vec());
            }
        }
        for kv in self.t.sync_conflicts.scan_prefix(&prefix) {
            let (key, value) = kv?;
            keys.conflicts.push((key.to_vec(), decode::<Conflict>(&value)?.id));
        }
        for kv in self.t.sync_outbox.iter() {
            let (key, value) = kv?;
            if decode::<Op>(&value)?.entity == id {
                keys.outbox.push(key.to_vec());
            }
        }
        Ok(keys)
    }
}

/// A record's open conflicts with their keys, by record.
type OpenConflicts = HashMap<(EntityKind, Uuid), Vec<(Vec<u8>, Conflict)>>;

/// The server and database a sync URL names, without the user and the
/// connection options: `postgres://anna@db:5432/kontor?sslmode=require`
/// and `postgresql://ben@db:5432/kontor` name the same log.
fn server_of(url: &str) -> String {
    let url = url.split('?').next().unwrap_or_default();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.rsplit_once('@').map_or(rest, |(_, server)| server).to_owned()
}

/// What an erasure removes of a person's sync state.
#[derive(Debug, Default)]
pub(super) struct SyncKeys {
    clocks: Vec<Vec<u8>>,
    conflicts: Vec<(Vec<u8>, u64)>,
    outbox: Vec<Vec<u8>>,
}

/// Removes what [`Store::sync_keys_naming`] found, inside the erasure's transaction.
pub(super) fn forget_tx(tx: &Tx, keys: &SyncKeys) -> TxResult<()> {
    for key in &keys.clocks {
        tx.sync_clocks.remove(key.as_slice())?;
    }
    for (key, number) in &keys.conflicts {
        tx.sync_conflicts.remove(key.as_slice())?;
        tx.meta.remove(format!("{CONFLICT_KEY}{number}").as_bytes())?;
    }
    for key in &keys.outbox {
        tx.sync_outbox.remove(key.as_slice())?;
    }
    Ok(())
}

fn side(value: Value, hlc: Hlc, by: Option<String>) -> Side {
    Side { value, hlc, replica: hlc.replica, by, at: model::hlc_time(hlc) }
}

fn display_name(fields: &Map<String, Value>) -> String {
    fields.get("display_name").and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Where a conflict is: a record's field.
struct Place<'a> {
    kind: EntityKind,
    entity: Uuid,
    field: &'a str,
}

fn put_conflict(
    tx: &Tx,
    next: &mut u64,
    at: Place<'_>,
    name: String,
    local: Side,
    remote: Side,
    shown: Pick,
) -> TxResult<()> {
    let Place { kind, entity, field } = at;
    let id = *next;
    *next += 1;
    let key = conflict_key(kind, entity, field, id);
    let conflict = Conflict { id, kind, entity, name, field: field.to_owned(), local, remote, shown };
    tx.sync_conflicts.insert(key.as_slice(), encode_tx(&conflict)?)?;
    tx.meta.insert(format!("{CONFLICT_KEY}{id}").as_bytes(), key)?;
    Ok(())
}

/// Drops the field's open conflicts that an edit based on `prev` saw both
/// sides of.
fn settle(tx: &Tx, open: &[(Vec<u8>, Conflict)], field: &str, prev: Hlc) -> TxResult<()> {
    for (key, c) in open.iter().filter(|(_, c)| c.field == field) {
        if c.local.hlc <= prev && c.remote.hlc <= prev {
            tx.sync_conflicts.remove(key.as_slice())?;
            tx.meta.remove(format!("{CONFLICT_KEY}{}", c.id).as_bytes())?;
        }
    }
    Ok(())
}

/// The contact that merged fields describe, with this replica's own
/// fields (id, change time) set; `None` while required fields are missing.
fn merged_contact(
    id: Uuid,
    mut fields: Map<String, Value>,
    old: Option<&Contact>,
    now: DateTime<Utc>,
) -> std::result::Result<Contact, String> {
    model::with_lists(EntityKind::Contact, &mut fields);
    fields.insert("id".into(), Value::String(id.to_string()));
    fields.insert("updated_at".into(), serde_json::to_value(now).map_err(|e| e.to_string())?);
    if let Some(old) = old {
        fields.insert(
            "organization_id".into(),
            serde_json::to_value(old.organization_id).map_err(|e| e.to_string())?,
        );
    }
    serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())
}

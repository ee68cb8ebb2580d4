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

use serde::de::DeserializeOwned;

use super::activities::{activity_tx, put_activity};
use super::contacts::put_contact;
use super::deals::put_deal;
use super::organizations::find_or_create_org;
use super::privacy::remove_contact;
use super::{abort, decode, decode_tx, encode, encode_tx, lock, new_id, Store, Tx, TxResult};
use crate::activity::Activity;
use crate::appointment::Appointment;
use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::sync::{
    self as model, Class, Clock, Conflict, Decision, EntityKind, Hlc, Op, Pick, Pulled, Remote, Side,
    SyncReport,
};
use crate::task::Task;

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
/// Where the first sync's snapshot goes on: a kind's tag and the key in
/// its tree to send from (absent: done).
const SNAPSHOT: &str = "sync/snapshot";
/// How many kinds ([`EntityKind::ALL`]) the snapshot covers.
const SNAPSHOT_KINDS: &str = "sync/kinds";
/// Per replica: the highest sequence number applied here.
const SEEN: &str = "sync/seen/";
/// Operations set aside, in order: `sync/parked/<n>` → the operation.
const PARKED: &str = "sync/parked/";
const NEXT_PARKED: &str = "sync/next_parked";
/// The Kontor version that set them aside (another one tries them again).
const PARKED_BY: &str = "sync/parked_by";
/// Per organisation's sync id ([`model::organization_id`]): its id here.
const ORG_LINK: &str = "sync/org/";
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
    /// Other reps' changes set aside because this version cannot read them
    /// (a newer Kontor's); the next version applies them.
    #[ts(type = "number")]
    pub set_aside: u64,
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
    /// Operations set aside: about records this version cannot read.
    pub set_aside: u64,
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
    Ok(tombstone_tx(tx, kind, id)?.is_some())
}

/// How a record is gone: `Some(true)` erased, `Some(false)` deleted.
fn tombstone_tx(tx: &Tx, kind: EntityKind, id: Uuid) -> TxResult<Option<bool>> {
    for (field, erased) in [(model::ERASED, true), (model::DELETED, false)] {
        if let Some(bytes) = tx.sync_clocks.get(clock_key(kind, id, field))? {
            let clock: Clock = decode_tx(&bytes)?;
            // The register's value lives in the clock's tree as its key's
            // presence with a flag: a tombstone kept after an undelete is
            // written with `prev` pointing at itself (see `emit`).
            if clock.prev != Some(clock.hlc) {
                return Ok(Some(erased));
            }
        }
    }
    Ok(None)
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
    // A delete says what it deleted: the latest write to the record it had
    // seen. An edit made elsewhere that it had not seen is not lost with it.
    let seen = match (&old, &new) {
        (Some(old), None) => latest_tx(tx, kind, id, &model::synced(kind, old))?,
        _ => None,
    };
    emit_seen(tx, replica, kind, id, changes, seen)
}

/// The latest stamp of any of a record's registers here (its synced
/// fields given), its whole-record clock and its delete register included.
fn latest_tx(tx: &Tx, kind: EntityKind, id: Uuid, fields: &Map<String, Value>) -> TxResult<Option<Hlc>> {
    let mut latest = None;
    for field in [model::WHOLE, model::DELETED] {
        latest = latest.max(register_tx(tx, &clock_key(kind, id, field))?.map(|c| c.hlc));
    }
    for (field, _) in model::registers_of(kind, fields) {
        latest = latest.max(register_tx(tx, &clock_key(kind, id, &field))?.map(|c| c.hlc));
    }
    Ok(latest)
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

/// Every synced record as JSON, by kind and id.
pub(super) type RecordsJson = HashMap<(EntityKind, Uuid), Value>;

/// Writes the operations of a restore: what it changed, added and removed.
pub(super) fn record_restore(tx: &Tx, before: &RecordsJson, after: &RecordsJson) -> TxResult<()> {
    for ((kind, id), _) in before.iter().filter(|(key, _)| key.0 == EntityKind::Organization) {
        if !after.contains_key(&(*kind, *id)) {
            tx.meta.remove(org_link(*id).as_bytes())?;
        }
    }
    for ((_, id), record) in after.iter().filter(|(key, _)| key.0 == EntityKind::Organization) {
        link_json(tx, *id, record)?;
    }
    for ((kind, id), record) in after {
        self::record(tx, *kind, *id, before.get(&(*kind, *id)), Some(record))?;
    }
    for ((kind, id), record) in before.iter().filter(|(key, _)| !after.contains_key(*key)) {
        self::record(tx, *kind, *id, Some(record), None)?;
    }
    Ok(())
}

/// Records as [`RecordsJson`].
pub(super) fn records_json<T: Synced>(records: &[T], out: &mut RecordsJson) -> Result<()> {
    for r in records {
        let json = serde_json::to_value(r).map_err(|e| Error::Storage(e.to_string()))?;
        out.insert((T::KIND, r.id()), json);
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
    emit_seen(tx, replica, kind, id, changes, None)
}

/// [`emit`], with a delete's `prev` the latest write to the record it saw.
fn emit_seen(
    tx: &Tx,
    replica: Uuid,
    kind: EntityKind,
    id: Uuid,
    changes: Vec<(String, Value)>,
    seen: Option<Hlc>,
) -> TxResult<()> {
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
            if op.field == model::DELETED && op.value == Value::Bool(true) && seen.is_some() {
                prev_of_op = seen;
            }
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
                // Alive again first: a replica that holds the tombstone
                // takes the record's fields only from a live record.
                tx.sync_outbox.insert(&seq.to_be_bytes(), encode_tx(&Op { seq, ..undelete })?)?;
                seq += 1;
                tx.sync_outbox.insert(&seq.to_be_bytes(), encode_tx(&Op { seq, ..op.clone() })?)?;
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
fn fields_of<T: Serialize>(record: &T) -> TxResult<Map<String, Value>> {
    match to_json(record)? {
        Value::Object(fields) => Ok(fields),
        _ => abort(Error::Storage("a record is not a JSON object".into())),
    }
}

/// A kind of record as the store keeps it, for the merge: how it is read
/// and written inside a transaction, and what of it is this replica's own.
pub(super) trait Synced: Serialize + DeserializeOwned + Clone + PartialEq {
    /// Its kind.
    const KIND: EntityKind;
    /// Its id.
    fn id(&self) -> Uuid;
    /// The contact it belongs to.
    fn contact(&self) -> Option<Uuid>;
    /// The record with this id.
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>>;
    /// Writes `new` in place of `old` (either may be none) with its indexes.
    fn write(tx: &Tx, id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()>;
    /// Sets what is this replica's own on a record merged from operations
    /// (`old`: the version it replaces here).
    fn localize(&mut self, _old: Option<&Self>, _tx: &Tx) -> TxResult<()> {
        Ok(())
    }
}

fn read_tree<T: DeserializeOwned>(
    tree: &sled::transaction::TransactionalTree,
    id: Uuid,
) -> TxResult<Option<T>> {
    tree.get(id.as_bytes())?.map(|b| decode_tx(&b)).transpose()
}

/// The organisation of a contact here (organisations are linked by name
/// on each replica, so a deal's or an appointment's follows its contact's).
fn contact_org(tx: &Tx, contact: Option<Uuid>) -> TxResult<Option<Uuid>> {
    let Some(contact) = contact else { return Ok(None) };
    Ok(read_tree::<Contact>(tx.contacts, contact)?.and_then(|c| c.organization_id))
}

/// Whether each reminder has fired is this replica's own: as it was here
/// for a reminder it had, and for a new one whether it is past already
/// (a first sync rings no bell for last week's reminders).
fn localize_reminders(
    reminders: &mut [crate::task::Reminder],
    old: &[crate::task::Reminder],
    now: DateTime<Utc>,
) {
    for r in reminders {
        let before = old.iter().find(|o| o.before_minutes == r.before_minutes && o.fire_at == r.fire_at);
        r.fired = before.map_or(r.fire_at <= now, |o| o.fired);
    }
}

impl Synced for Contact {
    const KIND: EntityKind = EntityKind::Contact;
    fn id(&self) -> Uuid {
        self.id
    }
    fn contact(&self) -> Option<Uuid> {
        None
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        read_tree(tx.contacts, id)
    }
    fn write(tx: &Tx, _id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        put_contact(tx, old, new)
    }
    fn localize(&mut self, old: Option<&Self>, tx: &Tx) -> TxResult<()> {
        let name = self.organization.as_deref().map(str::trim).filter(|n| !n.is_empty());
        self.organization_id = match (name, old) {
            (Some(name), Some(old)) if old.organization.as_deref() == Some(name) => old.organization_id,
            (Some(name), _) => Some(find_or_create_org(tx, name)?.id),
            (None, _) => None,
        };
        Ok(())
    }
}

impl Synced for Deal {
    const KIND: EntityKind = EntityKind::Deal;
    fn id(&self) -> Uuid {
        self.id
    }
    fn contact(&self) -> Option<Uuid> {
        Some(self.contact_id)
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        read_tree(tx.deals, id)
    }
    fn write(tx: &Tx, id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        put_deal(tx, id, old, new)
    }
    fn localize(&mut self, _old: Option<&Self>, tx: &Tx) -> TxResult<()> {
        self.organization_id = contact_org(tx, Some(self.contact_id))?;
        Ok(())
    }
}

impl Synced for Task {
    const KIND: EntityKind = EntityKind::Task;
    fn id(&self) -> Uuid {
        self.id
    }
    fn contact(&self) -> Option<Uuid> {
        self.contact_id
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        read_tree(tx.tasks, id)
    }
    fn write(tx: &Tx, _id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        super::tasks::replace(tx, old, new)
    }
    fn localize(&mut self, old: Option<&Self>, tx: &Tx) -> TxResult<()> {
        localize_reminders(
            &mut self.reminders,
            old.map(|o| o.reminders.as_slice()).unwrap_or_default(),
            tx.now,
        );
        self.snooze_fired = match (old, self.snoozed_until) {
            (Some(old), until) if old.snoozed_until == until => old.snooze_fired,
            (_, Some(until)) => until <= tx.now,
            (_, None) => false,
        };
        Ok(())
    }
}

impl Synced for Appointment {
    const KIND: EntityKind = EntityKind::Appointment;
    fn id(&self) -> Uuid {
        self.id
    }
    fn contact(&self) -> Option<Uuid> {
        self.contact_id
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        read_tree(tx.appointments, id)
    }
    fn write(tx: &Tx, _id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        super::appointments::replace(tx, old, new)
    }
    fn localize(&mut self, old: Option<&Self>, tx: &Tx) -> TxResult<()> {
        localize_reminders(
            &mut self.reminders,
            old.map(|o| o.reminders.as_slice()).unwrap_or_default(),
            tx.now,
        );
        // An appointment with a contact is at the contact's organisation;
        // one without keeps the organisation it had here.
        self.organization_id = match self.contact_id {
            Some(contact) => contact_org(tx, Some(contact))?,
            None => old.and_then(|o| o.organization_id),
        };
        Ok(())
    }
}

fn org_link(sync_id: Uuid) -> String {
    format!("{ORG_LINK}{sync_id}")
}

/// Whether an organisation's name was erased for good (GDPR, with the
/// only person who worked there): one of that name made since stays this
/// laptop's own, the server takes nothing about it any more.
fn org_erased(tx: &Tx, sync_id: Uuid) -> TxResult<bool> {
    Ok(tombstone_tx(tx, EntityKind::Organization, sync_id)? == Some(true))
}

/// Links an organisation's sync id to its id here, from its JSON.
fn link_json(tx: &Tx, sync_id: Uuid, json: &Value) -> TxResult<()> {
    if org_erased(tx, sync_id)? {
        return Ok(());
    }
    if let Some(local) = json.get("id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()) {
        tx.meta.insert(org_link(sync_id).as_bytes(), local.as_bytes())?;
    }
    Ok(())
}

/// Writes the operations of an organisation's change, inside its
/// transaction. Its sync id is its name's: a new name is another
/// organisation to the team (the old one's goes, the new one's comes).
pub(in crate::store) fn record_org(
    tx: &Tx,
    old: Option<&Organization>,
    new: Option<&Organization>,
) -> TxResult<()> {
    if tx.remote || replica_tx(tx)?.is_none() {
        return Ok(());
    }
    let id_of = |o: &Organization| model::organization_id(&o.name);
    let (old_id, new_id) = (old.map(id_of), new.map(id_of));
    if let (Some(o), Some(id)) = (old, old_id.filter(|id| Some(*id) != new_id)) {
        tx.meta.remove(org_link(id).as_bytes())?;
        record(tx, EntityKind::Organization, id, Some(o), None)?;
    }
    let (Some(n), Some(id)) = (new, new_id) else { return Ok(()) };
    if org_erased(tx, id)? {
        return Ok(());
    }
    tx.meta.insert(org_link(id).as_bytes(), n.id.as_bytes())?;
    let before = if old_id == new_id { old } else { None };
    record(tx, EntityKind::Organization, id, before, Some(n))
}

impl Synced for Organization {
    const KIND: EntityKind = EntityKind::Organization;
    fn id(&self) -> Uuid {
        model::organization_id(&self.name)
    }
    fn contact(&self) -> Option<Uuid> {
        None
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        let Some(local) = tx.meta.get(org_link(id).as_bytes())? else { return Ok(None) };
        let Ok(local) = Uuid::from_slice(&local) else { return Ok(None) };
        read_tree(tx.organizations, local)
    }
    /// The one of that name here takes the team's fields (made when there
    /// is none); contacts keep linking to it by name.
    fn write(tx: &Tx, id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        let Some(new) = new else {
            tx.meta.remove(org_link(id).as_bytes())?;
            return Ok(());
        };
        let here = match old {
            Some(old) => old.clone(),
            None => find_or_create_org(tx, &new.name)?,
        };
        let org =
            Organization { id: here.id, created_at: here.created_at, updated_at: tx.now, ..new.clone() };
        if crate::text::fold(&org.name) != crate::text::fold(&here.name) {
            return abort(Error::Storage("an organisation's name changed its identity".into()));
        }
        tx.organizations.insert(org.id.as_bytes(), encode_tx(&org)?)?;
        super::search::put_organization_doc(tx, &org)?;
        tx.meta.insert(org_link(id).as_bytes(), org.id.as_bytes())?;
        Ok(())
    }
}

impl Synced for Activity {
    const KIND: EntityKind = EntityKind::Activity;
    fn id(&self) -> Uuid {
        self.id
    }
    fn contact(&self) -> Option<Uuid> {
        Some(self.contact_id)
    }
    fn read(tx: &Tx, id: Uuid) -> TxResult<Option<Self>> {
        activity_tx(tx, id)
    }
    fn write(tx: &Tx, _id: Uuid, old: Option<&Self>, new: Option<&Self>) -> TxResult<()> {
        put_activity(tx, old, new)
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
                    tx.meta.insert(SNAPSHOT_KINDS, &(EntityKind::ALL.len() as u64).to_be_bytes())?;
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
    /// operations), kind by kind. A replica set up by a Kontor that synced
    /// fewer kinds queues the records of the kinds added since.
    pub fn sync_snapshot(&self, now: DateTime<Utc>, progress: &dyn Fn(u64)) -> Result<()> {
        if self.sync_replica()?.is_none() {
            return Ok(());
        }
        let kinds = EntityKind::ALL.len() as u64;
        let covered = self.t.meta.get(SNAPSHOT_KINDS)?;
        if covered.as_ref().map(|b| u64_of(Some(b.clone()))) != Some(kinds) {
            let from = self.t.meta.get(SNAPSHOT)?;
            let place = match (covered, from) {
                // Contacts only, as the first Kontor that synced kept it.
                (None, Some(key)) if !key.is_empty() => {
                    Some([&[EntityKind::Contact.tag()], key.as_ref()].concat())
                }
                (_, Some(place)) => Some(place.to_vec()),
                (covered, None) => {
                    let done = covered.map_or(1, |b| u64_of(Some(b))) as usize;
                    EntityKind::ALL.get(done).map(|k| vec![k.tag()])
                }
            };
            self.transact(now, |tx| {
                match &place {
                    Some(place) => tx.meta.insert(SNAPSHOT, place.as_slice())?,
                    None => tx.meta.remove(SNAPSHOT)?,
                };
                tx.meta.insert(SNAPSHOT_KINDS, &kinds.to_be_bytes())?;
                Ok(())
            })?;
        }
        let mut queued = 0u64;
        while let Some(place) = self.t.meta.get(SNAPSHOT)? {
            let (kind, from) = match place.split_first() {
                Some((tag, from)) => (EntityKind::of_tag(*tag).unwrap_or(EntityKind::Contact), from.to_vec()),
                None => (EntityKind::ALL[0], Vec::new()),
            };
            let (records, next) = match kind {
                EntityKind::Contact => self.snapshot_step::<Contact>(&self.t.contacts, &from)?,
                EntityKind::Deal => self.snapshot_step::<Deal>(&self.t.deals, &from)?,
                EntityKind::Task => self.snapshot_step::<Task>(&self.t.tasks, &from)?,
                EntityKind::Appointment => self.snapshot_step::<Appointment>(&self.t.appointments, &from)?,
                EntityKind::Activity => self.snapshot_step::<Activity>(&self.t.activities, &from)?,
                EntityKind::Organization => {
                    self.snapshot_step::<Organization>(&self.t.organizations, &from)?
                }
            };
            let next = match next {
                Some(key) => Some([&[kind.tag()], key.as_slice()].concat()),
                None => {
                    let at = EntityKind::ALL.iter().position(|k| *k == kind).unwrap_or(usize::MAX);
                    EntityKind::ALL.get(at.saturating_add(1)).map(|k| vec![k.tag()])
                }
            };
            self.transact(now, |tx| {
                let Some(replica) = replica_tx(tx)? else { return Ok(()) };
                for (id, json) in &records {
                    if kind == EntityKind::Organization {
                        if org_erased(tx, *id)? {
                            continue;
                        }
                        link_json(tx, *id, json)?;
                    }
                    emit(tx, replica, kind, *id, model::diff(kind, None, Some(json)))?;
                }
                match &next {
                    Some(key) => tx.meta.insert(SNAPSHOT, key.as_slice())?,
                    None => tx.meta.remove(SNAPSHOT)?,
                };
                Ok(())
            })?;
            queued += records.len() as u64;
            progress(queued);
        }
        Ok(())
    }

    /// Up to [`SNAPSHOT_BATCH`] records of a tree from a key on, as JSON,
    /// and the key after them (none: the tree is done).
    #[allow(clippy::type_complexity)]
    fn snapshot_step<T: Synced>(
        &self,
        tree: &sled::Tree,
        from: &[u8],
    ) -> Result<(Vec<(Uuid, Value)>, Option<Vec<u8>>)> {
        let mut records = Vec::new();
        let mut last = None;
        for kv in tree.range(from.to_vec()..).take(SNAPSHOT_BATCH) {
            let (key, value) = kv?;
            let record: T = decode(&value)?;
            records.push((
                record.id(),
                serde_json::to_value(&record).map_err(|e| Error::Storage(e.to_string()))?,
            ));
            last = Some(key);
        }
        let next = match last {
            Some(key) if records.len() == SNAPSHOT_BATCH => Some([key.as_ref(), &[0]].concat()),
            _ => None,
        };
        Ok((records, next))
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
            let applied = self.sync_apply_page(&page, page.cursor.as_deref(), now)?;
            // This replica's own operations come back too; they are not news.
            report.pulled += page.ops.iter().filter(|o| Some(o.replica) != own).count() as u64;
            report.conflicts += applied.conflicts;
            progress(SyncProgress::Pulled(report.pulled));
        }
        self.sync_finished(now)?;
        Ok(report)
    }

    /// The rep a record belongs to (who made it, by their server user),
    /// once sync is set up.
    pub fn sync_owner(&self, kind: EntityKind, id: Uuid) -> Result<Option<String>> {
        if let Some(maker) = self.t.sync_owners.get(clock_prefix(kind, id))? {
            return Ok(Some(String::from_utf8_lossy(&maker).into_owned()));
        }
        // Made here (its whole record was first sent from this replica).
        let Some(own) = self.sync_replica()? else { return Ok(None) };
        let whole: Option<Clock> =
            self.t.sync_clocks.get(clock_key(kind, id, model::WHOLE))?.map(|b| decode(&b)).transpose()?;
        if whole.is_none_or(|w| w.hlc.replica != own) {
            return Ok(None);
        }
        Ok(self.sync_config()?.and_then(|c| account_of(&c.url)))
    }

    /// Has the next sync try the operations set aside again, as a new
    /// version of Kontor does by itself (for support, after a fix).
    pub fn sync_retry_set_aside(&self) -> Result<()> {
        self.t.meta.remove(PARKED_BY)?;
        self.db.flush()?;
        Ok(())
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
            set_aside: self.t.meta.scan_prefix(PARKED).count() as u64,
        })
    }

    /// The open conflicts, by record and field.
    pub fn sync_conflicts(&self) -> Result<Vec<Conflict>> {
        self.t.sync_conflicts.iter().values().map(|v| decode(&v?)).collect()
    }

    /// Applies other replicas' operations (in the server log's order) and
    /// then keeps `cursor` as the place read up to, all in one transaction.
    pub fn sync_apply(&self, ops: &[Op], cursor: Option<&str>, now: DateTime<Utc>) -> Result<Applied> {
        self.sync_apply_page(&Pulled { ops: ops.to_vec(), foreign: Vec::new(), cursor: None }, cursor, now)
    }

    /// [`Store::sync_apply`] for a page of the server's log: its operations
    /// about kinds this version does not know are set aside with it.
    pub fn sync_apply_page(
        &self,
        page: &Pulled,
        cursor: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Applied> {
        let ops = page.ops.as_slice();
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
        // Records this version could not read were set aside with their
        // operations; a new version tries them again first, else what comes
        // for them now is set aside too (applied later, in order).
        // (One about a kind this version does not know either stays as it is.)
        let mut parked: Vec<(sled::IVec, Op)> = Vec::new();
        for kv in self.t.meta.scan_prefix(PARKED) {
            let (k, v) = kv?;
            if let Ok(op) = decode::<Op>(&v) {
                parked.push((k, op));
            }
        }
        let retry = !parked.is_empty()
            && self.t.meta.get(PARKED_BY)?.as_deref() != Some(env!("CARGO_PKG_VERSION").as_bytes());
        let mut set_aside: std::collections::HashSet<(EntityKind, Uuid)> = Default::default();
        if !retry {
            set_aside.extend(parked.iter().map(|(_, op)| (op.kind, op.entity)));
        }
        let fresh: Vec<&Op> =
            if retry { parked.iter().map(|(_, op)| op).chain(fresh).collect() } else { fresh };
        // Deletes and erasures take a record's tasks, deals and activities
        // with it: those are read first (a transaction cannot scan), and
        // an erasure runs as the local one does, with its own transaction.
        let mut erased = Vec::new();
        let mut theirs = HashMap::new();
        // An organisation the team deletes goes here unless a contact here
        // names it: its members now are read first.
        let mut org_members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for op in &fresh {
            let gone = op.value == Value::Bool(true);
            if op.kind == EntityKind::Organization
                && gone
                && (op.field == model::DELETED || op.field == model::ERASED)
            {
                if let Some(local) = self.t.meta.get(org_link(op.entity))? {
                    if let Ok(local) = Uuid::from_slice(&local) {
                        org_members.insert(local, self.members(local)?);
                    }
                }
            }
            if op.kind != EntityKind::Contact {
                continue;
            }
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
        // A record this version cannot read fails the transaction; it is run
        // again with that record set aside (usually once).
        let unreadable = std::cell::RefCell::new(Vec::new());
        let attempt = |set_aside: &std::collections::HashSet<(EntityKind, Uuid)>| {
            as_remote(|| {
                self.transact(now, |tx| {
                    let mut m = Merge {
                        report,
                        clock: clock_tx(tx)?,
                        next_conflict: u64_of(tx.meta.get(NEXT_CONFLICT)?).max(1),
                        open: &open,
                        unknown: &unknown,
                        written: Vec::new(),
                        deleted: Vec::new(),
                        unreadable: Vec::new(),
                        orgs_gone: Vec::new(),
                        contacts_written: Vec::new(),
                    };
                    // Set aside: kept in order, after what was set aside before.
                    if retry {
                        for (key, _) in &parked {
                            tx.meta.remove(key)?;
                        }
                    }
                    let mut next_parked = u64_of(tx.meta.get(NEXT_PARKED)?);
                    let (aside, applying): (Vec<&Op>, Vec<&Op>) =
                        fresh.iter().partition(|op| set_aside.contains(&(op.kind, op.entity)));
                    let parking =
                        aside.iter().map(|op| encode_tx(*op)).chain(page.foreign.iter().map(encode_tx));
                    for bytes in parking {
                        next_parked += 1;
                        tx.meta.insert(format!("{PARKED}{next_parked:020}").as_bytes(), bytes?)?;
                        m.report.set_aside += 1;
                    }
                    if next_parked > 0 {
                        tx.meta.insert(NEXT_PARKED, &next_parked.to_be_bytes())?;
                        tx.meta.insert(PARKED_BY, env!("CARGO_PKG_VERSION").as_bytes())?;
                    }
                    // Grouped by record, in order of first appearance.
                    let mut order = Vec::new();
                    let mut groups: HashMap<(EntityKind, Uuid), Vec<&Op>> = HashMap::new();
                    for op in &applying {
                        let group = groups.entry((op.kind, op.entity)).or_default();
                        if group.is_empty() {
                            order.push((op.kind, op.entity));
                        }
                        group.push(op);
                    }
                    for key in &order {
                        let (kind, id) = *key;
                        let ops = &groups[key];
                        match kind {
                            EntityKind::Contact => merge_record::<Contact>(tx, &mut m, id, ops)?,
                            EntityKind::Deal => merge_record::<Deal>(tx, &mut m, id, ops)?,
                            EntityKind::Task => merge_record::<Task>(tx, &mut m, id, ops)?,
                            EntityKind::Appointment => merge_record::<Appointment>(tx, &mut m, id, ops)?,
                            EntityKind::Activity => merge_record::<Activity>(tx, &mut m, id, ops)?,
                            EntityKind::Organization => merge_record::<Organization>(tx, &mut m, id, ops)?,
                        }
                    }
                    // A record whose contact is gone goes too, on every replica
                    // alike, whichever came first here.
                    for (kind, id, contact) in std::mem::take(&mut m.written) {
                        let Some(erased) = tombstone_tx(tx, EntityKind::Contact, contact)? else { continue };
                        if kind.goes_with_contact(erased) {
                            match kind {
                                EntityKind::Contact | EntityKind::Organization => {}
                                EntityKind::Deal => drop_record::<Deal>(tx, id)?,
                                EntityKind::Task => drop_record::<Task>(tx, id)?,
                                EntityKind::Appointment => drop_record::<Appointment>(tx, id)?,
                                EntityKind::Activity => drop_record::<Activity>(tx, id)?,
                            }
                        }
                    }
                    // Deleted contacts with their records, as they are now (one
                    // moved to another contact in this batch stays).
                    for c in std::mem::take(&mut m.deleted) {
                        let (activities, tasks, deals) = theirs.get(&c.id).cloned().unwrap_or_default();
                        let still = |contact: Option<Uuid>| contact == Some(c.id);
                        let mut keys = Vec::new();
                        for a in &activities {
                            if let Some(a) = activity_tx(tx, a.id)?.filter(|a| still(Some(a.contact_id))) {
                                keys.push((super::activities::activity_key(&a), a.id));
                            }
                        }
                        let mut now_tasks = Vec::new();
                        for t in &tasks {
                            now_tasks.extend(Task::read(tx, t.id)?.filter(|t| still(t.contact_id)));
                        }
                        let mut now_deals = Vec::new();
                        for d in &deals {
                            now_deals.extend(Deal::read(tx, d.id)?.filter(|d| still(Some(d.contact_id))));
                        }
                        remove_contact(tx, &c, &keys, &now_tasks, &now_deals)?;
                    }
                    for org in std::mem::take(&mut m.orgs_gone) {
                        let mut named = false;
                        let members = org_members.get(&org.id).map(Vec::as_slice).unwrap_or_default();
                        for contact in members.iter().chain(&m.contacts_written) {
                            named |= Contact::read(tx, *contact)?
                                .is_some_and(|c| c.organization_id == Some(org.id));
                        }
                        if !named {
                            tx.organizations.remove(org.id.as_bytes())?;
                            let key = crate::text::fold(&org.name);
                            if tx.org_by_name.get(key.as_bytes())?.as_deref()
                                == Some(org.id.as_bytes().as_slice())
                            {
                                tx.org_by_name.remove(key.as_bytes())?;
                            }
                            super::search::put_doc(
                                tx,
                                crate::search::DocKey::new(crate::search::DocKind::Organization, org.id),
                                None,
                            )?;
                        }
                    }
                    for (replica, high) in &seen {
                        tx.meta.insert(seen_key(*replica).as_bytes(), &high.to_be_bytes())?;
                    }
                    tx.meta.insert(CLOCK, encode_tx(&m.clock)?)?;
                    tx.meta.insert(NEXT_CONFLICT, &m.next_conflict.to_be_bytes())?;
                    if let Some(cursor) = cursor {
                        tx.meta.insert(CURSOR, cursor.as_bytes())?;
                    }
                    if !m.unreadable.is_empty() {
                        *unreadable.borrow_mut() = m.unreadable;
                        return abort(Error::Storage("a record this version cannot read".into()));
                    }
                    Ok(m.report)
                })
            })
        };
        let outcome = loop {
            unreadable.borrow_mut().clear();
            match attempt(&set_aside) {
                Err(_) if !unreadable.borrow().is_empty() => {
                    set_aside.extend(unreadable.borrow().iter().copied())
                }
                other => break other?,
            }
        };
        // Organisations the team changed: none is read from before.
        if fresh.iter().any(|op| op.kind == EntityKind::Organization) {
            self.orgs.clear();
        }
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
        self.transact(now, |tx| {
            match conflict.kind {
                EntityKind::Contact => take_value::<Contact>(tx, &conflict, &value)?,
                EntityKind::Deal => take_value::<Deal>(tx, &conflict, &value)?,
                EntityKind::Task => take_value::<Task>(tx, &conflict, &value)?,
                EntityKind::Appointment => take_value::<Appointment>(tx, &conflict, &value)?,
                EntityKind::Activity => take_value::<Activity>(tx, &conflict, &value)?,
                EntityKind::Organization => take_value::<Organization>(tx, &conflict, &value)?,
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
            let kind = key.first().copied().and_then(EntityKind::of_tag);
            let (Some(kind), Some(id)) = (kind, key.get(1..17).and_then(|b| Uuid::from_slice(b).ok())) else {
                continue;
            };
            let field = String::from_utf8_lossy(&key[17..]).into_owned();
            out.push((kind, id, field, decode::<Clock>(&value)?.hlc));
        }
        Ok(out)
    }

    /// Every live record's synced fields, as they compare across replicas.
    pub fn sync_state(&self) -> Result<BTreeMap<(EntityKind, Uuid), Map<String, Value>>> {
        Ok(self
            .sync_records()?
            .into_iter()
            .map(|((kind, id), json)| ((kind, id), model::canonical(kind, model::synced(kind, &json))))
            .collect())
    }

    /// Every record of the kinds that sync, as JSON.
    pub(super) fn sync_records(&self) -> Result<RecordsJson> {
        fn all<T: Synced>(tree: &sled::Tree, out: &mut RecordsJson) -> Result<()> {
            let records = tree.iter().values().map(|v| decode::<T>(&v?)).collect::<Result<Vec<T>>>()?;
            records_json(&records, out)
        }
        let mut out = HashMap::new();
        all::<Contact>(&self.t.contacts, &mut out)?;
        all::<Deal>(&self.t.deals, &mut out)?;
        all::<Task>(&self.t.tasks, &mut out)?;
        all::<Appointment>(&self.t.appointments, &mut out)?;
        all::<Activity>(&self.t.activities, &mut out)?;
        // The organisations the team knows: those with a sync id here.
        let mut orgs = Vec::new();
        for local in self.t.meta.scan_prefix(ORG_LINK).values() {
            let local = local?;
            if let Some(bytes) = self.t.organizations.get(&local)? {
                orgs.push(decode::<Organization>(&bytes)?);
            }
        }
        records_json(&orgs, &mut out)?;
        Ok(out)
    }

    /// The keys of records' sync state that name a person (their
    /// registers, conflicts and operations not yet sent), for an erasure:
    /// only the tombstones stay.
    pub(super) fn sync_keys_naming(&self, records: &[(EntityKind, Uuid)]) -> Result<SyncKeys> {
        let mut keys = SyncKeys::default();
        for (kind, id) in records {
            let prefix = clock_prefix(*kind, *id);
            keys.owners.push(prefix.clone());
            if *kind == EntityKind::Organization {
                keys.links.push(org_link(*id));
            }
            let tombstone = clock_key(*kind, *id, model::ERASED);
            for key in self.t.sync_clocks.scan_prefix(&prefix).keys() {
                let key = key?;
                if key.as_ref() != tombstone.as_slice() {
                    keys.clocks.push(key.to_vec());
                }
            }
            for kv in self.t.sync_conflicts.scan_prefix(&prefix) {
                let (key, value) = kv?;
                keys.conflicts.push((key.to_vec(), decode::<Conflict>(&value)?.id));
            }
        }
        let named: std::collections::HashSet<(EntityKind, Uuid)> = records.iter().copied().collect();
        for kv in self.t.sync_outbox.iter() {
            let (key, value) = kv?;
            let op: Op = decode(&value)?;
            if named.contains(&(op.kind, op.entity)) {
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

/// The user a sync URL names: `postgres://anna@db/kontor` → `anna`.
fn account_of(url: &str) -> Option<String> {
    let url = url.split('?').next().unwrap_or_default();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (user, _) = rest.rsplit_once('@')?;
    let user = user.split(':').next().unwrap_or_default();
    (!user.is_empty()).then(|| user.to_owned())
}

/// What an erasure removes of a person's sync state.
#[derive(Debug, Default)]
pub(super) struct SyncKeys {
    owners: Vec<Vec<u8>>,
    links: Vec<String>,
    clocks: Vec<Vec<u8>>,
    conflicts: Vec<(Vec<u8>, u64)>,
    outbox: Vec<Vec<u8>>,
}

/// Removes what [`Store::sync_keys_naming`] found, inside the erasure's transaction.
pub(super) fn forget_tx(tx: &Tx, keys: &SyncKeys) -> TxResult<()> {
    for key in &keys.owners {
        tx.sync_owners.remove(key.as_slice())?;
    }
    for key in &keys.links {
        tx.meta.remove(key.as_bytes())?;
    }
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

/// Where a conflict is: a record's field.
struct Place<'a> {
    kind: EntityKind,
    entity: Uuid,
    contact: Option<Uuid>,
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
    let Place { kind, entity, contact, field } = at;
    let id = *next;
    *next += 1;
    let key = conflict_key(kind, entity, field, id);
    let conflict =
        Conflict { id, kind, entity, name, contact, field: field.to_owned(), local, remote, shown };
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

/// Writes the value a rep chose for a conflict's field as an edit of
/// this replica's own.
fn take_value<T: Synced>(tx: &Tx, conflict: &Conflict, value: &Value) -> TxResult<()> {
    let id = conflict.entity;
    if conflict.field == model::DELETED {
        // Deleted while changed here: keeping the change makes the record
        // again as it was here (sent as new to everyone); keeping the
        // delete deletes it again should someone have made it again since.
        let old = T::read(tx, id)?;
        return match (value, old) {
            (Value::Object(fields), old) => {
                let new = materialize(id, fields.clone(), old.as_ref(), tx)?
                    .map_err(|e| Error::Storage(format!("the deleted record cannot be made again: {e}")))
                    .or_else(abort)?;
                T::write(tx, id, old.as_ref(), Some(&new))
            }
            (_, Some(old)) => T::write(tx, id, Some(&old), None),
            (_, None) => Ok(()),
        };
    }
    let Some(old) = T::read(tx, id)? else {
        return abort(Error::NotFound { kind: conflict.kind.as_str(), id: id.to_string() });
    };
    let mut fields = fields_of(&old)?;
    model::apply(conflict.kind, &mut fields, &conflict.field, value);
    let new = materialize(id, fields, Some(&old), tx)?
        .map_err(|e| Error::Storage(format!("the chosen value does not fit the record: {e}")))
        .or_else(abort)?;
    if new != old {
        T::write(tx, id, Some(&old), Some(&new))?;
    }
    Ok(())
}

/// What one application of other replicas' operations carries from
/// record to record.
struct Merge<'a> {
    report: Applied,
    clock: Hlc,
    next_conflict: u64,
    open: &'a OpenConflicts,
    unknown: &'a std::collections::HashSet<(EntityKind, Uuid)>,
    /// Records written that belong to a contact: (kind, id, contact).
    written: Vec<(EntityKind, Uuid, Uuid)>,
    /// Contacts deleted, removed with their records at the end.
    deleted: Vec<Contact>,
    /// Records this version cannot read (a newer Kontor's values).
    unreadable: Vec<(EntityKind, Uuid)>,
    /// Organisations the team deleted (renamed, merged): they go here too
    /// unless a contact here still names them.
    orgs_gone: Vec<Organization>,
    /// Contacts written.
    contacts_written: Vec<Uuid>,
}

/// Applies one record's operations (in log order): each register's write
/// that is newer than what is here, a lost race kept as a conflict.
fn merge_record<T: Synced>(tx: &Tx, m: &mut Merge<'_>, id: Uuid, ops: &[&Op]) -> TxResult<()> {
    let kind = T::KIND;
    for op in ops {
        m.clock = Hlc::observe(m.clock, op.hlc);
    }
    let old = T::read(tx, id)?;
    let mut fields = match &old {
        Some(r) => fields_of(r)?,
        None => Map::new(),
    };
    let mut changed = false;
    let mut deleted = false;
    let conflicts = m.open.get(&(kind, id)).map(Vec::as_slice).unwrap_or_default();
    let whole_key = clock_key(kind, id, model::WHOLE);
    let mut whole = register_tx(tx, &whole_key)?;
    let mut unknown = m.unknown.contains(&(kind, id));
    // A record made elsewhere is its maker's (one made here is this
    // laptop's rep's, with nothing written: see `Store::sync_owner`).
    if let (None, Some(maker)) =
        (&old, ops.iter().find(|op| op.field == model::WHOLE).and_then(|op| op.by.as_deref()))
    {
        let owner_key = clock_prefix(kind, id);
        if tx.sync_owners.get(&owner_key)?.is_none() {
            tx.sync_owners.insert(owner_key, maker.as_bytes())?;
        }
    }
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
            m.report.applied += 1;
            continue;
        }
        unknown = false;
        if gone_tx(tx, kind, id)? && op.field != model::DELETED {
            m.report.skipped += 1;
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
            // (A record not here shows nothing that could have lost.)
            if let (Some(shown_side), Class::Scalar, Some(current), true) =
                (race, class, current, old.is_some())
            {
                if shown != value {
                    let local = side(shown.clone(), current.hlc, None);
                    let remote = side(value.clone(), op.hlc, op.by.clone());
                    let name = kind.label(&fields);
                    let contact = kind.contact_of(id, &fields);
                    let at = Place { kind, entity: id, contact, field: &field };
                    put_conflict(tx, &mut m.next_conflict, at, name, local, remote, shown_side)?;
                    m.report.conflicts += 1;
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
                        if dead && field == model::DELETED && old.is_some() {
                            unseen_edit(tx, m, kind, id, &fields, op)?;
                        }
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
            m.report.applied += 1;
        } else {
            m.report.skipped += 1;
        }
    }
    if deleted {
        if let Some(old) = old {
            remove_record(tx, m, id, old)?;
        }
        return Ok(());
    }
    if !changed || fields.is_empty() {
        return Ok(());
    }
    let new = match materialize(id, fields, old.as_ref(), tx)? {
        Ok(new) => new,
        // Some registers of a record not here (it went with its contact,
        // or its first operation is still to come): nothing to show yet.
        Err(_) if old.is_none() => return Ok(()),
        // A value a newer Kontor wrote: the record is set aside (the
        // transaction is run again without it).
        Err(_) => {
            m.unreadable.push((kind, id));
            return Ok(());
        }
    };
    if let Some(contact) = new.contact() {
        m.written.push((kind, id, contact));
    }
    if kind == EntityKind::Contact {
        m.contacts_written.push(id);
    }
    T::write(tx, id, old.as_ref(), Some(&new))
}

/// A delete that had not seen the latest edit here: the record goes (on
/// every replica alike), and what it was here waits in the conflicts list
/// under `_deleted`, to be made again with "Keep this".
fn unseen_edit(
    tx: &Tx,
    m: &mut Merge<'_>,
    kind: EntityKind,
    id: Uuid,
    fields: &Map<String, Value>,
    op: &Op,
) -> TxResult<()> {
    let synced = model::synced(kind, &Value::Object(fields.clone()));
    let (Some(seen), Some(latest)) = (op.prev, latest_tx(tx, kind, id, &synced)?) else { return Ok(()) };
    if latest <= seen {
        return Ok(());
    }
    let local = side(Value::Object(model::canonical(kind, synced)), latest, None);
    let remote = side(Value::Bool(true), op.hlc, op.by.clone());
    let at = Place { kind, entity: id, contact: kind.contact_of(id, fields), field: model::DELETED };
    put_conflict(tx, &mut m.next_conflict, at, kind.label(fields), local, remote, Pick::Remote)?;
    m.report.conflicts += 1;
    Ok(())
}

/// Removes a record another replica deleted; a contact waits for the end
/// of the batch, to go with what is then still theirs.
fn remove_record<T: Synced>(tx: &Tx, m: &mut Merge<'_>, id: Uuid, old: T) -> TxResult<()> {
    if T::KIND == EntityKind::Contact {
        if let Some(c) = Contact::read(tx, id)? {
            m.deleted.push(c);
        }
        return Ok(());
    }
    if T::KIND == EntityKind::Organization {
        if let Some(org) = Organization::read(tx, id)? {
            m.orgs_gone.push(org);
        }
    }
    T::write(tx, id, Some(&old), None)
}

/// Removes a record here without writing operations (every replica does).
fn drop_record<T: Synced>(tx: &Tx, id: Uuid) -> TxResult<()> {
    match T::read(tx, id)? {
        Some(old) => T::write(tx, id, Some(&old), None),
        None => Ok(()),
    }
}

/// The record that merged fields describe, with this replica's own fields
/// set (as they were here, or their defaults); `Err` while required fields
/// are missing or a value is one this version cannot read.
fn materialize<T: Synced>(
    id: Uuid,
    mut fields: Map<String, Value>,
    old: Option<&T>,
    tx: &Tx,
) -> TxResult<std::result::Result<T, String>> {
    let kind = T::KIND;
    model::with_lists(kind, &mut fields);
    let old_fields = old.map(fields_of).transpose()?;
    for name in kind.local_fields() {
        match old_fields.as_ref().and_then(|o| o.get(*name)) {
            Some(value) => {
                fields.insert((*name).to_owned(), value.clone());
            }
            None => {
                let blank = match *name {
                    "snooze_fired" => Value::Bool(false),
                    "organization_id" => Value::Null,
                    "created_at" => to_json(&tx.now)?,
                    _ => continue,
                };
                fields.entry(*name).or_insert(blank);
            }
        }
    }
    fields.insert("id".into(), Value::String(id.to_string()));
    if kind.local_fields().contains(&"updated_at") {
        fields.insert("updated_at".into(), to_json(&tx.now)?);
    }
    // Each replica's own flags in list elements start unset (`localize`
    // sets them).
    for (list, key) in kind.local_element_keys() {
        if let Some(Value::Array(items)) = fields.get_mut(*list) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                item.entry(*key).or_insert(Value::Bool(false));
            }
        }
    }
    let mut new: T = match serde_json::from_value(Value::Object(fields)) {
        Ok(new) => new,
        Err(e) => return Ok(Err(e.to_string())),
    };
    new.localize(old, tx)?;
    Ok(Ok(new))
}

//! Team sync's model, apart from any store or server: the operations a
//! replica writes, how a record becomes operations and operations a record
//! again, and the merge rule.
//!
//! - A record is a JSON object of fields. A change to it becomes one
//!   operation per changed field ([`diff`]); a new record one operation
//!   holding all its fields ([`WHOLE`]), so a first sync of 100,000
//!   contacts moves 100,000 operations, not a million and a half.
//! - A list of values (emails, phones, tags) is a set of registers, one per
//!   element (`emails/anna@example.de` → present or not), so two reps who
//!   each add an address both keep theirs. The stage history is added to
//!   only (`stage_history/<when>|<stage>` → the entry).
//! - Every register (a field, an element) keeps the stamp of its last
//!   write; a later stamp wins ([`decide`]). An operation also names the
//!   stamp it replaced (`prev`): an older operation that its writer had not
//!   seen is a concurrent edit, and the value that lost goes into the
//!   conflicts list instead of being dropped.
//! - A delete is the `_deleted` register; a GDPR erase the `_erased` one,
//!   after which nothing of the record is kept but its id.

pub mod hlc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

pub use hlc::Hlc;

/// The field of an operation that carries a whole new record.
pub const WHOLE: &str = "*";
/// The register that marks a record deleted.
pub const DELETED: &str = "_deleted";
/// The register that marks a person erased for good (GDPR).
pub const ERASED: &str = "_erased";

/// The kinds of records that sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EntityKind {
    /// A contact (lead, prospect, opportunity, customer).
    Contact,
    /// A deal (Verkaufschance) of a contact.
    Deal,
    /// A follow-up task.
    Task,
    /// An appointment in the calendar.
    Appointment,
    /// A logged conversation (call, visit, email, note).
    Activity,
    /// An organisation (a company): known on every replica by its name
    /// ([`organization_id`]), since each laptop links contacts to it by name.
    Organization,
}

impl EntityKind {
    /// Every kind, in the order a first sync sends records: a record before
    /// the ones that name it (a contact before its deals, a deal before its
    /// tasks). A kind added later goes at the end (a replica set up before
    /// queues the kinds after those it sent).
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Contact,
        EntityKind::Deal,
        EntityKind::Task,
        EntityKind::Appointment,
        EntityKind::Activity,
        EntityKind::Organization,
    ];

    /// The name on the server.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Contact => "contact",
            EntityKind::Deal => "deal",
            EntityKind::Task => "task",
            EntityKind::Appointment => "appointment",
            EntityKind::Activity => "activity",
            EntityKind::Organization => "organization",
        }
    }

    /// The kind a server name names.
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// One byte for store keys.
    pub fn tag(self) -> u8 {
        match self {
            EntityKind::Contact => 1,
            EntityKind::Deal => 2,
            EntityKind::Task => 3,
            EntityKind::Appointment => 4,
            EntityKind::Activity => 5,
            EntityKind::Organization => 6,
        }
    }

    /// The kind a store key's first byte names.
    pub fn of_tag(tag: u8) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// Whether a record of this kind goes with its contact when the
    /// contact is deleted (`erased`: erased for good). A record that names
    /// a contact gone that way is gone too, on every replica.
    pub fn goes_with_contact(self, erased: bool) -> bool {
        match self {
            EntityKind::Contact | EntityKind::Organization => false,
            EntityKind::Deal | EntityKind::Task | EntityKind::Activity => true,
            EntityKind::Appointment => erased,
        }
    }

    fn spec(self) -> &'static Spec {
        match self {
            EntityKind::Contact => &CONTACT,
            EntityKind::Deal => &DEAL,
            EntityKind::Task => &TASK,
            EntityKind::Appointment => &APPOINTMENT,
            EntityKind::Activity => &ACTIVITY,
            EntityKind::Organization => &ORGANIZATION,
        }
    }

    /// The fields that are each replica's own (see [`synced`]).
    pub fn local_fields(self) -> &'static [&'static str] {
        self.spec().local
    }

    /// The keys of list elements that are each replica's own: (list, key).
    pub fn local_element_keys(self) -> &'static [(&'static str, &'static str)] {
        self.spec().element_local
    }

    /// The contact a record's fields say it is about (a contact: itself).
    pub fn contact_of(self, id: Uuid, fields: &Map<String, Value>) -> Option<Uuid> {
        match self {
            EntityKind::Contact => Some(id),
            _ => fields.get("contact_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()),
        }
    }

    /// The name of a record's fields, for the conflicts list.
    pub fn label(self, fields: &Map<String, Value>) -> String {
        self.spec()
            .label
            .iter()
            .find_map(|f| fields.get(*f).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .unwrap_or_default()
            .to_owned()
    }
}

/// Which of a record's fields sync and how.
struct Spec {
    /// Fields that are the replica's own (computed when read, or local links).
    local: &'static [&'static str],
    /// Keys of list elements that are the replica's own: (list, key).
    element_local: &'static [(&'static str, &'static str)],
    /// Lists merged element by element.
    sets: &'static [&'static str],
    /// Lists that are only added to.
    histories: &'static [&'static str],
    /// The fields that name the record, the first one set.
    label: &'static [&'static str],
}

const CONTACT: Spec = Spec {
    // The score, proposal and last activity are computed when read; the
    // organisation is linked by name on each replica; `updated_at` is when
    // this replica last changed the record.
    local: &["id", "score", "proposal", "last_activity_at", "updated_at", "organization_id"],
    element_local: &[],
    sets: &["emails", "phones", "tags"],
    histories: &["stage_history"],
    label: &["display_name"],
};

// A deal's and an appointment's organisation is their contact's on each
// replica (organisations are linked by name there).
const DEAL: Spec = Spec {
    local: &["id", "updated_at", "organization_id"],
    element_local: &[],
    sets: &[],
    histories: &["stage_history"],
    label: &["title"],
};

// Whether a reminder has fired is each laptop's own: every rep who holds
// the task is reminded.
const TASK: Spec = Spec {
    local: &["id", "updated_at", "snooze_fired"],
    element_local: &[("reminders", "fired")],
    sets: &[],
    histories: &[],
    label: &["title"],
};

const APPOINTMENT: Spec = Spec {
    local: &["id", "updated_at", "organization_id"],
    element_local: &[("reminders", "fired")],
    sets: &[],
    histories: &[],
    label: &["title"],
};

// When it was made is each laptop's own: two may make it from one name.
const ORGANIZATION: Spec = Spec {
    local: &["id", "created_at", "updated_at"],
    element_local: &[],
    sets: &[],
    histories: &[],
    label: &["name"],
};

/// An organisation's id on every replica: made from its name (case and
/// accents aside), as each laptop links contacts to organisations by name.
pub fn organization_id(name: &str) -> Uuid {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("kontor-organization:{}", crate::text::fold(name)).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

const ACTIVITY: Spec =
    Spec { local: &["id"], element_local: &[], sets: &[], histories: &[], label: &["summary", "text"] };

/// How a register merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// One value, last writer wins; a lost concurrent value is a conflict.
    Scalar,
    /// One element of a set: present or not, last writer wins.
    Element,
    /// One entry of an add-only history.
    History,
    /// `_deleted` or `_erased`.
    Tombstone,
}

/// The class of a register (`field` as an operation names it).
pub fn class(kind: EntityKind, field: &str) -> Class {
    let spec = kind.spec();
    match field.split_once('/') {
        _ if field == DELETED || field == ERASED => Class::Tombstone,
        Some((list, _)) if spec.sets.contains(&list) => Class::Element,
        Some((list, _)) if spec.histories.contains(&list) => Class::History,
        _ => Class::Scalar,
    }
}

/// One field write by one replica, as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// The replica that wrote it.
    pub replica: Uuid,
    /// Its place in that replica's outbox (1, 2, …, no gaps).
    pub seq: u64,
    /// The record's kind.
    pub kind: EntityKind,
    /// The record.
    pub entity: Uuid,
    /// The register: a field, `list/element`, [`WHOLE`], [`DELETED`] or [`ERASED`].
    pub field: String,
    /// The new value (for an element: whether it is present).
    pub value: Value,
    /// When, by the writer's hybrid logical clock.
    pub hlc: Hlc,
    /// The stamp of the value it replaced, as the writer saw it (`None`: none).
    pub prev: Option<Hlc>,
    /// Who wrote it (the rep's server role), as the server tells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Op {
    /// The single-register writes this operation stands for: a [`WHOLE`]
    /// record's fields one by one, any other operation itself.
    pub fn registers(&self) -> Vec<(String, Value)> {
        if self.field != WHOLE {
            return vec![(self.field.clone(), self.value.clone())];
        }
        let Value::Object(fields) = &self.value else { return Vec::new() };
        registers_of(self.kind, fields)
    }
}

/// The registers a record's synced fields are: each field, each set
/// element, each history entry.
pub fn registers_of(kind: EntityKind, fields: &Map<String, Value>) -> Vec<(String, Value)> {
    let spec = kind.spec();
    let mut out = Vec::new();
    for (name, value) in fields {
        if spec.sets.contains(&name.as_str()) {
            for e in value.as_array().into_iter().flatten() {
                out.push((format!("{name}/{}", element_key(e)), Value::Bool(true)));
            }
        } else if spec.histories.contains(&name.as_str()) {
            for e in value.as_array().into_iter().flatten() {
                out.push((format!("{name}/{}", history_key(e)), e.clone()));
            }
        } else {
            out.push((name.clone(), value.clone()));
        }
    }
    out
}

/// An element's key: a string as it is, anything else as its JSON text.
fn element_key(e: &Value) -> String {
    match e {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A history entry's key: when it happened and what it changed to.
fn history_key(e: &Value) -> String {
    let at = e.get("at").and_then(Value::as_str).unwrap_or_default();
    let to = e.get("to").map(element_key).unwrap_or_default();
    format!("{at}|{to}")
}

/// The fields of a record that sync (the local ones left out, and the
/// local keys of list elements).
pub fn synced(kind: EntityKind, record: &Value) -> Map<String, Value> {
    let spec = kind.spec();
    let Value::Object(fields) = record else { return Map::new() };
    let mut out: Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| !spec.local.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (list, key) in spec.element_local {
        if let Some(Value::Array(items)) = out.get_mut(*list) {
            for item in items.iter_mut() {
                if let Value::Object(item) = item {
                    item.remove(*key);
                }
            }
        }
    }
    out
}

/// The register writes that turn `old` into `new` (`None`: no record).
pub fn diff(kind: EntityKind, old: Option<&Value>, new: Option<&Value>) -> Vec<(String, Value)> {
    let spec = kind.spec();
    let (old, new) = match (old, new) {
        (_, None) => return vec![(DELETED.to_owned(), Value::Bool(true))],
        (None, Some(new)) => return vec![(WHOLE.to_owned(), Value::Object(synced(kind, new)))],
        (Some(old), Some(new)) => (synced(kind, old), synced(kind, new)),
    };
    let mut out = Vec::new();
    let empty = Vec::new();
    for (name, value) in &new {
        let before = old.get(name);
        if before == Some(value) {
            continue;
        }
        if spec.sets.contains(&name.as_str()) {
            let was = before.and_then(Value::as_array).unwrap_or(&empty);
            let now = value.as_array().unwrap_or(&empty);
            for e in now.iter().filter(|e| !was.contains(e)) {
                out.push((format!("{name}/{}", element_key(e)), Value::Bool(true)));
            }
            for e in was.iter().filter(|e| !now.contains(e)) {
                out.push((format!("{name}/{}", element_key(e)), Value::Bool(false)));
            }
        } else if spec.histories.contains(&name.as_str()) {
            let was = before.and_then(Value::as_array).unwrap_or(&empty);
            for e in value.as_array().unwrap_or(&empty).iter().filter(|e| !was.contains(e)) {
                out.push((format!("{name}/{}", history_key(e)), e.clone()));
            }
        } else {
            out.push((name.clone(), value.clone()));
        }
    }
    for name in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push((name.clone(), Value::Null));
    }
    out
}

/// Writes one register into a record's fields.
pub fn apply(kind: EntityKind, record: &mut Map<String, Value>, field: &str, value: &Value) {
    match (class(kind, field), field.split_once('/')) {
        (Class::Element, Some((list, key))) => {
            let items = record.entry(list).or_insert_with(|| Value::Array(Vec::new()));
            if !items.is_array() {
                *items = Value::Array(Vec::new());
            }
            let Value::Array(items) = items else { return };
            let at = items.iter().position(|e| element_key(e) == key);
            match (value.as_bool().unwrap_or(false), at) {
                (true, None) => items.push(Value::String(key.to_owned())),
                (false, Some(i)) => {
                    items.remove(i);
                }
                _ => {}
            }
        }
        (Class::History, Some((list, key))) => {
            let items = record.entry(list).or_insert_with(|| Value::Array(Vec::new()));
            if !items.is_array() {
                *items = Value::Array(Vec::new());
            }
            let Value::Array(items) = items else { return };
            if items.iter().any(|e| history_key(e) == key) {
                return;
            }
            let at = |e: &Value| {
                e.get("at")
                    .and_then(Value::as_str)
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.timestamp_nanos_opt().unwrap_or(0))
                    .unwrap_or(0)
            };
            let when = at(value);
            let place = items.iter().position(|e| at(e) > when).unwrap_or(items.len());
            items.insert(place, value.clone());
        }
        (Class::Tombstone, _) => {}
        _ => {
            record.insert(field.to_owned(), value.clone());
        }
    }
}

/// What a register's state is: the stamp of its last write and the stamp
/// that write replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The last write's stamp.
    pub hlc: Hlc,
    /// The stamp it replaced, as its writer saw it.
    pub prev: Option<Hlc>,
}

/// What an incoming register write does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// It is newer: apply it. `concurrent`: its writer had not seen the
    /// value it replaces here, which then lost a race.
    Apply {
        /// Whether the value replaced here was a concurrent edit.
        concurrent: bool,
    },
    /// It is older than the register's value. `concurrent`: the newer
    /// value's writer had not seen it, so it lost a race.
    Lose {
        /// Whether it was a concurrent edit.
        concurrent: bool,
    },
    /// This very write was applied before.
    Same,
}

/// The merge rule for one register: last writer wins on (stamp, replica),
/// and which side lost a race rather than being overwritten knowingly.
pub fn decide(current: Option<Clock>, hlc: Hlc, prev: Option<Hlc>) -> Decision {
    let Some(current) = current else { return Decision::Apply { concurrent: false } };
    match hlc.cmp(&current.hlc) {
        std::cmp::Ordering::Equal => Decision::Same,
        std::cmp::Ordering::Greater => Decision::Apply { concurrent: prev.is_none_or(|p| p < current.hlc) },
        std::cmp::Ordering::Less => Decision::Lose { concurrent: current.prev.is_none_or(|p| p < hlc) },
    }
}

/// One side of a conflict: a value, who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Side {
    /// The value.
    #[ts(type = "unknown")]
    pub value: Value,
    /// Its stamp (the text form).
    #[ts(type = "string")]
    pub hlc: Hlc,
    /// The replica that wrote it.
    pub replica: Uuid,
    /// Who that is (the rep's server role), when known.
    #[ts(optional = nullable)]
    pub by: Option<String>,
    /// When it was written (the stamp's wall time).
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A field two replicas changed at once: the value this replica had
/// (`local`) and the one that came in (`remote`); one of them is shown,
/// the other waits here to be chosen instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Conflict {
    /// Its number on this replica.
    #[ts(type = "number")]
    pub id: u64,
    /// The record's kind.
    pub kind: EntityKind,
    /// The record.
    pub entity: Uuid,
    /// The record's name, when it has one (a contact's display name, a
    /// deal's or task's title, a conversation's summary).
    pub name: String,
    /// The contact the record is about (a contact: itself), to open it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub contact: Option<Uuid>,
    /// The field.
    pub field: String,
    /// The value this replica had.
    pub local: Side,
    /// The value that came in.
    pub remote: Side,
    /// Which of the two the record shows.
    pub shown: Pick,
}

/// One side of a conflict.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Pick {
    /// The value this replica had.
    Local,
    /// The value that came in.
    Remote,
}

/// A team server as the sync cycle sees it: it commits operations and
/// hands out its log in order.
pub trait Remote {
    /// Commits the operations; ones it holds already (the same replica and
    /// sequence number) are ignored, so a retry after a lost answer is
    /// harmless. `Ok` means committed.
    fn push(&mut self, ops: &[Op]) -> crate::error::Result<()>;
    /// The log's operations after `cursor` (from the start with `None`), in
    /// order, at most `limit`, with the cursor after the last one. Only
    /// operations of transactions that no running transaction precedes are
    /// handed out, so none is ever passed over.
    fn pull(&mut self, cursor: Option<&str>, limit: usize) -> crate::error::Result<Pulled>;
}

/// A page of the server's log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulled {
    /// The operations, in log order.
    pub ops: Vec<Op>,
    /// Operations about a kind of record this version does not know (a
    /// newer Kontor syncs it), in [`Op`]'s JSON form: set aside for the
    /// version that does.
    pub foreign: Vec<Value>,
    /// The place after the last one (unchanged when there was none).
    pub cursor: Option<String>,
}

/// What one sync did, as `kontor sync --json` prints it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// Operations sent to the server.
    #[ts(type = "number")]
    pub pushed: u64,
    /// Operations read from the server.
    #[ts(type = "number")]
    pub pulled: u64,
    /// Conflicts that came up.
    #[ts(type = "number")]
    pub conflicts: u64,
}

/// The stamp's wall time as a date.
pub fn hlc_time(hlc: Hlc) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(i64::try_from(hlc.wall_ms).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// The registers of a set of records folded from operations, the way every
/// replica and the server's log must agree: (kind, entity) → register →
/// (clock, value). The deterministic simulation's server model and the
/// state hash both use it.
#[derive(Debug, Default, Clone)]
pub struct Registers {
    /// Each record's registers.
    pub records:
        std::collections::BTreeMap<(EntityKind, Uuid), std::collections::BTreeMap<String, (Hlc, Value)>>,
}

impl Registers {
    /// Folds one operation in (last writer wins per register).
    pub fn fold(&mut self, op: &Op) {
        let record = self.records.entry((op.kind, op.entity)).or_default();
        for (field, value) in op.registers() {
            match record.get(&field) {
                Some((hlc, _)) if *hlc >= op.hlc => {}
                _ => {
                    record.insert(field, (op.hlc, value));
                }
            }
        }
    }

    /// The live records as their synced fields: deleted and erased ones
    /// left out, and those that went with their contact
    /// ([`EntityKind::goes_with_contact`]).
    pub fn state(&self) -> std::collections::BTreeMap<(EntityKind, Uuid), Map<String, Value>> {
        let flag = |registers: &std::collections::BTreeMap<String, (Hlc, Value)>, name: &str| {
            registers.get(name).is_some_and(|(_, v)| v == &Value::Bool(true))
        };
        let mut out = std::collections::BTreeMap::new();
        for ((kind, id), registers) in &self.records {
            if flag(registers, DELETED) || flag(registers, ERASED) {
                continue;
            }
            let mut fields = Map::new();
            for (field, (_, value)) in registers {
                apply(*kind, &mut fields, field, value);
            }
            let contact =
                fields.get("contact_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
            if let Some(contact) = contact.and_then(|c| self.records.get(&(EntityKind::Contact, c))) {
                let erased = flag(contact, ERASED);
                if (erased || flag(contact, DELETED)) && kind.goes_with_contact(erased) {
                    continue;
                }
            }
            out.insert((*kind, *id), canonical(*kind, fields));
        }
        out
    }
}

/// A record's synced fields in a form that compares across replicas: sets
/// sorted (their order is each replica's own).
pub fn canonical(kind: EntityKind, mut fields: Map<String, Value>) -> Map<String, Value> {
    with_lists(kind, &mut fields);
    for list in kind.spec().sets {
        if let Some(Value::Array(items)) = fields.get_mut(*list) {
            items.sort_by_key(element_key);
        }
    }
    // A history in the order of its keys: when, then what (a replica adds
    // its own entries at the end, also one whose clock runs behind).
    for list in kind.spec().histories {
        if let Some(Value::Array(items)) = fields.get_mut(*list) {
            items.sort_by_key(history_key);
        }
    }
    fields.retain(|_, v| !v.is_null());
    fields
}

/// Gives a record every list field, empty where no element was ever
/// written (an empty list travels as no element registers at all).
pub fn with_lists(kind: EntityKind, fields: &mut Map<String, Value>) {
    let spec = kind.spec();
    for list in spec.sets.iter().chain(spec.histories) {
        fields.entry(*list).or_insert_with(|| Value::Array(Vec::new()));
    }
}

/// A hash of live records' synced fields (sha-256 of their canonical JSON).
pub fn state_hash(records: &std::collections::BTreeMap<(EntityKind, Uuid), Map<String, Value>>) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for ((kind, id), fields) in records {
        hasher.update(kind.as_str());
        hasher.update(id.as_bytes());
        // serde_json's Map is ordered by key (no preserve_order feature).
        hasher.update(serde_json::to_vec(fields).unwrap_or_default());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const A: Uuid = Uuid::from_u128(0xa);
    const B: Uuid = Uuid::from_u128(0xb);

    fn stamp(ms: u64, replica: Uuid) -> Hlc {
        Hlc { wall_ms: ms, counter: 0, replica }
    }

    #[test]
    fn a_change_is_one_operation_per_field_and_list_element() {
        let old = json!({"id": "x", "first_name": "Anna", "emails": ["a@x.de"], "tags": ["fair"], "score": 10,
            "stage_history": [{"at": "2026-01-01T00:00:00Z", "to": "lead"}]});
        let new = json!({"id": "x", "first_name": "Anne", "emails": ["a@x.de", "b@x.de"], "tags": [], "score": 40,
            "stage_history": [{"at": "2026-01-01T00:00:00Z", "to": "lead"}, {"at": "2026-02-01T00:00:00Z", "to": "prospect"}]});
        let ops = diff(EntityKind::Contact, Some(&old), Some(&new));
        assert_eq!(
            ops,
            vec![
                ("emails/b@x.de".to_owned(), json!(true)),
                ("first_name".to_owned(), json!("Anne")),
                (
                    "stage_history/2026-02-01T00:00:00Z|prospect".to_owned(),
                    json!({"at": "2026-02-01T00:00:00Z", "to": "prospect"})
                ),
                ("tags/fair".to_owned(), json!(false)),
            ]
        );
        // Applied to the old record, they give the new one's synced fields.
        let mut record = synced(EntityKind::Contact, &old);
        for (field, value) in &ops {
            apply(EntityKind::Contact, &mut record, field, value);
        }
        assert_eq!(record, synced(EntityKind::Contact, &new));
        // A new record is one operation; a removed one a tombstone.
        assert_eq!(diff(EntityKind::Contact, None, Some(&new)).len(), 1);
        assert_eq!(diff(EntityKind::Contact, Some(&old), None), vec![(DELETED.to_owned(), json!(true))]);
    }

    #[test]
    fn the_later_stamp_wins_and_a_value_its_writer_never_saw_lost_a_race() {
        let first = Clock { hlc: stamp(10, A), prev: None };
        // B wrote after seeing A's value: a plain overwrite.
        assert_eq!(
            decide(Some(first), stamp(20, B), Some(stamp(10, A))),
            Decision::Apply { concurrent: false }
        );
        // B wrote without having seen it: A's value lost a race.
        assert_eq!(decide(Some(first), stamp(20, B), None), Decision::Apply { concurrent: true });
        // An older write arriving late loses; a race if the newer never saw it.
        let newer = Clock { hlc: stamp(30, A), prev: Some(stamp(10, A)) };
        assert_eq!(decide(Some(newer), stamp(20, B), None), Decision::Lose { concurrent: true });
        let knowing = Clock { hlc: stamp(30, A), prev: Some(stamp(20, B)) };
        assert_eq!(decide(Some(knowing), stamp(20, B), None), Decision::Lose { concurrent: false });
        assert_eq!(decide(Some(newer), stamp(30, A), None), Decision::Same);
        assert_eq!(decide(None, stamp(1, B), None), Decision::Apply { concurrent: false });
    }

    #[test]
    fn registers_fold_to_one_state_in_any_order() {
        let op = |replica, seq, field: &str, value: Value, ms| Op {
            replica,
            seq,
            kind: EntityKind::Contact,
            entity: Uuid::from_u128(1),
            field: field.to_owned(),
            value,
            hlc: stamp(ms, replica),
            prev: None,
            by: None,
        };
        let ops = [
            op(A, 1, WHOLE, json!({"first_name": "Anna", "emails": ["a@x.de"], "stage": "lead"}), 1),
            op(B, 1, "first_name", json!("Anne"), 5),
            op(A, 2, "emails/b@x.de", json!(true), 6),
            op(B, 2, "emails/a@x.de", json!(false), 7),
            op(A, 3, "first_name", json!("Anja"), 4),
        ];
        let mut forward = Registers::default();
        ops.iter().for_each(|o| forward.fold(o));
        let mut backward = Registers::default();
        ops.iter().rev().for_each(|o| backward.fold(o));
        let state = forward.state();
        assert_eq!(state_hash(&state), state_hash(&backward.state()));
        let anna = &state[&(EntityKind::Contact, Uuid::from_u128(1))];
        assert_eq!(anna["first_name"], "Anne");
        assert_eq!(anna["emails"], json!(["b@x.de"]));
    }
}

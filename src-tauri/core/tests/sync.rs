//! Team sync, simulated deterministically: three replicas (real stores on
//! disk) and a model of the PostgreSQL server's log, with seeded faults —
//! requests lost before the server, answers lost after it committed,
//! commits that finish long after the client gave up, a replica killed
//! between the server's commit and its own bookkeeping, the server
//! restarted (running transactions rolled back), and one replica's clock
//! two minutes ahead. Every write carries a unique value. After healing,
//! every replica and the server hold the same state, every acknowledged
//! write is the final value of its field, in a conflicts list, or was
//! overwritten by a writer that had seen it, no operation is applied twice,
//! and no replica ever read a field older than one it had read before.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use kontor_core::store::BulkChange;
use kontor_core::sync::{EntityKind, Hlc, Op, Pick, Pulled, Registers, Remote};
use kontor_core::{
    ActivityInput, ActivityKind, ActivityQuery, ChangedBy, ContactInput, DealInput, Error, OrganizationInput,
    Priority, Result, Stage, StageChangeRequest, Store, TaskInput,
};
use serde_json::json;
use uuid::Uuid;

/// A small seeded generator (splitmix64): the same seed, the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One row of the server's log: its transaction, its place, the operation.
#[derive(Clone)]
struct Row {
    txid: u64,
    id: u64,
    op: Op,
}

/// A transaction that has not committed yet.
struct Open {
    txid: u64,
    rows: Vec<Row>,
    commit_at: u64,
}

/// The server as Kontor's schema makes it behave: a log of operations with
/// a unique (replica, seq), inserts that ignore a key held already, rows
/// visible once committed, and a cursor over (transaction id, row id) that
/// only passes rows whose transaction is older than every running one.
#[derive(Default)]
struct Server {
    rows: Vec<Row>,
    open: Vec<Open>,
    keys: HashSet<(Uuid, u64)>,
    erased: HashSet<Uuid>,
    next_txid: u64,
    next_id: u64,
    /// Set to pass over the oldest running transaction: a broken pull, to
    /// check that the simulation notices.
    ignore_running: bool,
    /// Each replica's rep (the role it connects as): the server stamps
    /// every operation with it.
    roles: HashMap<Uuid, String>,
}

impl Server {
    /// A push's transaction. One that writes a row a running transaction
    /// wrote waits for it (PostgreSQL's unique index): here it gives up, as
    /// the client's timeout would.
    fn begin(&mut self, ops: &[Op], commit_at: u64) -> Result<usize> {
        let running = |op: &Op| {
            self.open.iter().any(|t| t.rows.iter().any(|r| (r.op.replica, r.op.seq) == (op.replica, op.seq)))
        };
        if ops.iter().any(running) {
            return Err(offline("waits for a running transaction"));
        }
        self.next_txid += 1;
        let txid = self.next_txid;
        let mut rows = Vec::new();
        for op in ops {
            // ON CONFLICT (replica_id, seq) DO NOTHING.
            if !self.keys.insert((op.replica, op.seq)) {
                continue;
            }
            self.next_id += 1;
            let by = self.roles.get(&op.replica).cloned();
            rows.push(Row { txid, id: self.next_id, op: Op { by, ..op.clone() } });
        }
        self.open.push(Open { txid, rows, commit_at });
        Ok(self.open.len() - 1)
    }

    fn commit(&mut self, at: usize) {
        let tx = self.open.remove(at);
        for row in tx.rows {
            if row.op.field == "_erased" && row.op.value == serde_json::Value::Bool(true) {
                // kontor.erase(): nothing of the record stays but the erasure.
                self.erased.insert(row.op.entity);
                self.rows.retain(|r| r.op.entity != row.op.entity);
            } else if self.erased.contains(&row.op.entity) {
                continue; // the trigger refuses operations on an erased record
            }
            self.rows.push(row);
        }
        self.rows.sort_by_key(|r| (r.txid, r.id));
    }

    fn commit_due(&mut self, step: u64) {
        while let Some(at) = self.open.iter().position(|t| t.commit_at <= step) {
            self.commit(at);
        }
    }

    /// `pg_ctl restart -m immediate`: running transactions are rolled back.
    fn restart(&mut self) {
        for tx in self.open.drain(..) {
            for row in tx.rows {
                self.keys.remove(&(row.op.replica, row.op.seq));
            }
        }
    }

    fn xmin(&self) -> u64 {
        if self.ignore_running {
            return u64::MAX;
        }
        self.open.iter().map(|t| t.txid).min().unwrap_or(self.next_txid + 1)
    }

    fn page(&self, cursor: Option<&str>, limit: usize) -> Pulled {
        let after = cursor
            .and_then(|c| c.split_once(':'))
            .map(|(t, i)| (t.parse::<u64>().unwrap(), i.parse::<u64>().unwrap()))
            .unwrap_or((0, 0));
        let xmin = self.xmin();
        let rows: Vec<&Row> =
            self.rows.iter().filter(|r| (r.txid, r.id) > after && r.txid < xmin).take(limit).collect();
        Pulled {
            cursor: rows.last().map(|r| format!("{}:{}", r.txid, r.id)).or(cursor.map(str::to_owned)),
            ops: rows.into_iter().map(|r| r.op.clone()).collect(),
            foreign: Vec::new(),
        }
    }
}

/// What a push or pull meets on the way.
struct Link<'a> {
    server: &'a mut Server,
    rng: &'a mut Rng,
    step: u64,
    faults: bool,
    /// The replica was killed after the server committed its push.
    killed: bool,
}

fn offline(why: &str) -> Error {
    Error::SyncOffline(why.to_owned())
}

impl Remote for Link<'_> {
    fn push(&mut self, ops: &[Op]) -> Result<()> {
        if !self.faults {
            let at = self.server.begin(ops, 0)?;
            self.server.commit(at);
            return Ok(());
        }
        match self.rng.below(100) {
            0..=7 => Err(offline("connection refused")),
            8..=15 => {
                let at = self.server.begin(ops, 0)?;
                self.server.commit(at);
                Err(offline("connection reset after the commit"))
            }
            16..=21 => {
                // The commit finishes steps later; the client gave up waiting.
                let later = self.step + 1 + self.rng.below(6);
                self.server.begin(ops, later)?;
                Err(offline("timed out"))
            }
            22..=24 => {
                let at = self.server.begin(ops, 0)?;
                self.server.commit(at);
                self.killed = true;
                Err(offline("killed"))
            }
            _ => {
                let at = self.server.begin(ops, 0)?;
                self.server.commit(at);
                Ok(())
            }
        }
    }

    fn pull(&mut self, cursor: Option<&str>, limit: usize) -> Result<Pulled> {
        if self.faults && self.rng.chance(8) {
            return Err(offline("connection reset"));
        }
        // A small page now and then: a pull that stops midway goes on later.
        let limit = if self.faults && self.rng.chance(30) { 1 + self.rng.below(5) as usize } else { limit };
        Ok(self.server.page(cursor, limit))
    }
}

struct Replica {
    dir: tempfile::TempDir,
    store: Option<Store>,
    /// This laptop's clock against the true time.
    skew: Duration,
    /// The stamp of every register as last read here.
    read: HashMap<(Uuid, String), Hlc>,
}

impl Replica {
    fn store(&mut self) -> &Store {
        if self.store.is_none() {
            self.store = Some(Store::open(self.dir.path()).expect("the replica's store opens again"));
        }
        self.store.as_ref().unwrap()
    }
}

/// A write the store acknowledged: (record, field, unique value).
struct Write {
    kind: EntityKind,
    entity: Uuid,
    /// The contact the record belongs to (a contact: itself).
    contact: Uuid,
    field: &'static str,
    value: String,
}

struct Sim {
    server: Server,
    replicas: Vec<Replica>,
    rng: Rng,
    step: u64,
    /// Records in the order they were made (known to some replica).
    records: Vec<Uuid>,
    /// Deals, tasks and activities: (kind, id, contact).
    children: Vec<(EntityKind, Uuid, Uuid)>,
    acked: Vec<Write>,
    gone: HashSet<Uuid>,
    /// Contacts erased for good (a subset of `gone`).
    erased: HashSet<Uuid>,
    /// Edits a delete had not seen, found in the conflicts lists (by `check`).
    deleted_unseen: usize,
    t0: DateTime<Utc>,
}

impl Sim {
    fn new(seed: u64) -> Sim {
        let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
        let mut server = Server::default();
        let replicas = (0..3)
            .map(|i| {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open(dir.path()).unwrap();
                // Replica 2's clock runs two minutes ahead.
                let skew = if i == 2 { Duration::minutes(2) } else { Duration::zero() };
                let config = kontor_core::store::SyncConfig { url: format!("postgres://rep{i}@sim/kontor") };
                let replica = store.sync_setup(&config, t0 + skew, &|_| {}).unwrap();
                server.roles.insert(replica, format!("rep{i}"));
                Replica { dir, store: Some(store), skew, read: HashMap::new() }
            })
            .collect();
        Sim {
            server,
            replicas,
            rng: Rng(seed),
            step: 0,
            records: Vec::new(),
            children: Vec::new(),
            acked: Vec::new(),
            gone: HashSet::new(),
            erased: HashSet::new(),
            deleted_unseen: 0,
            t0,
        }
    }

    /// Deletes a contact on replica `r` now, as the list's bulk delete does.
    fn delete_on(&mut self, r: usize, id: Uuid) -> DateTime<Utc> {
        let now = self.now(r);
        let store = self.replicas[r].store();
        store.bulk_change(&[id], &BulkChange::Delete, chrono_tz::Europe::Berlin, now).unwrap();
        now
    }

    fn now(&self, r: usize) -> DateTime<Utc> {
        self.t0 + Duration::seconds(self.step as i64) + self.replicas[r].skew
    }

    fn sync(&mut self, r: usize, faults: bool) -> Result<()> {
        let now = self.now(r);
        let step = self.step;
        let Sim { server, replicas, rng, .. } = self;
        let replica = &mut replicas[r];
        let mut link = Link { server, rng, step, faults, killed: false };
        let outcome = replica.store().sync_with(&mut link, now, &|_| {}).map(|_| ());
        if link.killed {
            // kill -9: the process goes; its store is opened anew from disk.
            replica.store = None;
        }
        outcome
    }

    /// One random step of one replica.
    fn act(&mut self) {
        self.step += 1;
        self.server.commit_due(self.step);
        if self.rng.chance(2) {
            self.server.restart();
        }
        let r = self.rng.below(3) as usize;
        let now = self.now(r);
        let unique = format!("r{r}-s{}", self.step);
        // 0–81: writes of each kind; 82–123: a sync.
        let roll = self.rng.below(124);
        let pick = if self.records.is_empty() {
            None
        } else {
            Some(self.records[self.rng.below(self.records.len() as u64) as usize])
        };
        let store = self.replicas[r].store();
        let known = pick.filter(|id| store.contact(*id, now).is_ok());
        match (roll, known) {
            (0..=11, _) | (_, None) if roll < 60 => {
                // A few company names, so that replicas make the same
                // organisation each on their own.
                let firm =
                    ["Müller AG", "Schmidt & Co", "Bäckerei Brot", "Hafen GmbH"][self.rng.below(4) as usize];
                let input = ContactInput {
                    first_name: format!("Person {unique}"),
                    last_name: "Sim".into(),
                    organization: self.rng.chance(70).then(|| firm.to_owned()),
                    title: Some(unique.clone()),
                    tags: vec!["start".into()],
                    ..Default::default()
                };
                let c = store.create_contact(&input, ChangedBy::Hand, now).unwrap();
                self.records.push(c.id);
            }
            (12..=44, Some(id)) => {
                let mut input = ContactInput::from(&store.contact(id, now).unwrap());
                let field = ["title", "notes", "source"][self.rng.below(3) as usize];
                match field {
                    "title" => input.title = Some(unique.clone()),
                    "notes" => input.notes = Some(unique.clone()),
                    _ => input.source = Some(unique.clone()),
                }
                store.update_contact(id, &input, now).unwrap();
                self.acked.push(Write {
                    kind: EntityKind::Contact,
                    entity: id,
                    contact: id,
                    field,
                    value: unique,
                });
            }
            (45..=52, Some(id)) => {
                let mut input = ContactInput::from(&store.contact(id, now).unwrap());
                if input.tags.is_empty() || self.rng.chance(60) {
                    input.tags.push(unique.clone());
                } else {
                    let at = self.rng.below(input.tags.len() as u64) as usize;
                    input.tags.remove(at);
                }
                store.update_contact(id, &input, now).unwrap();
            }
            (53..=56, Some(id)) => {
                let to = [Stage::Prospect, Stage::Opportunity, Stage::Customer, Stage::Lead]
                    [self.rng.below(4) as usize];
                let request = StageChangeRequest { to, reason: Some(unique.clone()), force: true };
                let _ = store.change_stage(id, &request, ChangedBy::Hand, now);
            }
            (57, Some(id)) => {
                store.bulk_change(&[id], &BulkChange::Delete, chrono_tz::Europe::Berlin, now).unwrap();
                self.gone.insert(id);
            }
            (58, Some(id)) => {
                store.erase_person(id, now).unwrap();
                self.gone.insert(id);
                self.erased.insert(id);
            }
            (59..=62, Some(id)) => {
                let input = TaskInput {
                    title: format!("Call {unique}"),
                    contact_id: Some(id),
                    due: (now + Duration::days(2)).to_rfc3339(),
                    reminders: vec![15],
                    ..Default::default()
                };
                let task = store.create_task(input, chrono_tz::Europe::Berlin, now).unwrap();
                self.children.push((EntityKind::Task, task.id, id));
            }
            (63..=66, Some(id)) => {
                let input = DealInput {
                    contact_id: id,
                    title: format!("Deal {unique}"),
                    value: 1000.0,
                    currency: "EUR".into(),
                    ..Default::default()
                };
                let deal = store.create_deal(&input, now).unwrap().value;
                self.children.push((EntityKind::Deal, deal.id, id));
            }
            (67..=70, Some(id)) => {
                let input = call(format!("Talked {unique}"));
                let (activity, _) = store.log_activity(id, input, now).unwrap().value;
                self.children.push((EntityKind::Activity, activity.id, id));
            }
            (78..=81, _) => {
                // An organisation's data changed.
                let orgs = store.organizations(None, 10).unwrap();
                if let Some(org) = orgs.get(self.rng.below(orgs.len().max(1) as u64) as usize) {
                    let field = if self.rng.chance(50) { "industry" } else { "city" };
                    let mut input = OrganizationInput {
                        name: org.name.clone(),
                        industry: org.industry.clone(),
                        city: org.city.clone(),
                        ..Default::default()
                    };
                    match field {
                        "industry" => input.industry = Some(unique.clone()),
                        _ => input.city = Some(unique.clone()),
                    }
                    store.update_organization(org.id, &input, now).unwrap();
                    let entity = kontor_core::sync::organization_id(&org.name);
                    self.acked.push(Write {
                        kind: EntityKind::Organization,
                        entity,
                        contact: entity,
                        field,
                        value: unique,
                    });
                }
            }
            (71..=77, _) if !self.children.is_empty() => {
                let (kind, child, contact) =
                    self.children[self.rng.below(self.children.len() as u64) as usize];
                let delete = roll == 77;
                let write = |field| Write { kind, entity: child, contact, field, value: unique.clone() };
                match kind {
                    EntityKind::Task => {
                        let Ok(task) = store.task(child) else { return self.check_reads() };
                        let input = TaskInput {
                            title: task.title.clone(),
                            contact_id: task.contact_id,
                            deal_id: task.deal_id,
                            due: task.due.to_rfc3339(),
                            priority: Priority::Normal,
                            notes: Some(unique.clone()),
                            reminders: vec![15],
                            repeat: None,
                        };
                        if delete {
                            store.delete_task(child, now).unwrap();
                            self.gone.insert(child);
                        } else if self.rng.chance(30) {
                            store.complete_task(child, chrono_tz::Europe::Berlin, now).unwrap();
                        } else {
                            store.update_task(child, input, chrono_tz::Europe::Berlin, now).unwrap();
                            self.acked.push(write("notes"));
                        }
                    }
                    EntityKind::Deal => {
                        let Ok(deal) = store.deal(child) else { return self.check_reads() };
                        if delete {
                            store.delete_deal(child, now).unwrap();
                            self.gone.insert(child);
                        } else if self.rng.chance(30) {
                            let stage =
                                ["qualification", "proposal", "negotiation"][self.rng.below(3) as usize];
                            let _ = store.move_deal(child, stage, None, now);
                        } else {
                            let input = DealInput {
                                contact_id: deal.contact_id,
                                title: deal.title.clone(),
                                value: deal.value,
                                currency: deal.currency.clone(),
                                next_step: Some(unique.clone()),
                                ..Default::default()
                            };
                            store.update_deal(child, &input, now).unwrap();
                            self.acked.push(write("next_step"));
                        }
                    }
                    _ => {
                        if store.activity(child).is_err() {
                            return self.check_reads();
                        }
                        if delete {
                            store.delete_activity(child, now).unwrap();
                            self.gone.insert(child);
                        } else {
                            let input = call(unique.clone());
                            store.update_activity(child, input, now).unwrap();
                            self.acked.push(write("summary"));
                        }
                    }
                }
            }
            _ => {
                let _ = self.sync(r, true);
            }
        }
        self.check_reads();
    }

    /// No replica reads a register older than one it read before.
    fn check_reads(&mut self) {
        for (r, replica) in self.replicas.iter_mut().enumerate() {
            let Some(store) = replica.store.as_ref() else { continue };
            for (_, id, field, hlc) in store.sync_registers().unwrap() {
                let before = replica.read.insert((id, field.clone()), hlc);
                if let Some(before) = before {
                    assert!(hlc >= before, "replica {r} read {id} {field} at {hlc} after {before}");
                }
            }
        }
    }

    /// Faults stop; running commits finish; everyone syncs until quiet.
    fn heal(&mut self) {
        self.step += 10;
        self.server.commit_due(u64::MAX);
        for _ in 0..3 {
            for r in 0..3 {
                self.sync(r, false).expect("a sync without faults");
            }
        }
        for r in 0..3 {
            assert_eq!(
                self.replicas[r].store().sync_pending(),
                0,
                "replica {r} still has operations to send"
            );
        }
        self.check_reads();
    }

    fn check(&mut self) {
        let mut registers = Registers::default();
        for row in &self.server.rows {
            registers.fold(&row.op);
        }
        let expected = registers.state();
        for r in 0..3 {
            let state = self.replicas[r].store().sync_state().unwrap();
            if kontor_core::sync::state_hash(&state) == kontor_core::sync::state_hash(&expected) {
                continue;
            }
            // Say where: the first record that differs, field by field.
            for key in expected.keys().chain(state.keys()) {
                let (want, got) = (expected.get(key), state.get(key));
                if want == got {
                    continue;
                }
                let fields: Vec<String> = match (want, got) {
                    (Some(w), Some(g)) => w
                        .keys()
                        .chain(g.keys())
                        .filter(|f| w.get(*f) != g.get(*f))
                        .map(|f| format!("{f}: server {:?}, replica {:?}", w.get(f), g.get(f)))
                        .collect(),
                    _ => {
                        vec![format!("server has it: {}, replica has it: {}", want.is_some(), got.is_some())]
                    }
                };
                panic!("replica {r} and the server differ after healing on {key:?}:\n{}", fields.join("\n"));
            }
        }
        // Every acknowledged write: the final value, a conflict's side (a
        // record deleted by someone who had not seen it: the record as it
        // was, in the conflicts list), or overwritten or deleted by a writer
        // that had seen it.
        fn strings(v: &serde_json::Value, out: &mut HashSet<String>) {
            match v {
                serde_json::Value::String(s) => {
                    out.insert(s.clone());
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
                serde_json::Value::Object(fields) => fields.values().for_each(|i| strings(i, out)),
                _ => {}
            }
        }
        let mut in_conflicts: HashSet<String> = HashSet::new();
        for r in 0..3 {
            for c in self.replicas[r].store().sync_conflicts().unwrap() {
                for v in [&c.local.value, &c.remote.value] {
                    strings(v, &mut in_conflicts);
                }
            }
        }
        let state = registers.state();
        let by_value: HashMap<(&str, &str), &Op> = self
            .server
            .rows
            .iter()
            .filter_map(|r| r.op.value.as_str().map(|v| ((r.op.field.as_str(), v), &r.op)))
            .collect();
        let mut deleted_unseen = 0;
        for w in self.acked.iter() {
            // Erased: nothing of it may stay (also an organisation's name
            // erased with its only person: one of that name made since is
            // the laptop's own). A record that went with its deleted
            // contact went knowingly.
            if self.erased.contains(&w.contact)
                || self.server.erased.contains(&w.entity)
                || (w.kind != EntityKind::Contact && self.gone.contains(&w.contact))
            {
                continue;
            }
            let op = by_value.get(&(w.field, w.value.as_str())).unwrap_or_else(|| {
                panic!("the acknowledged write {} = {} never reached the server", w.field, w.value)
            });
            let overwritten_knowingly = self.server.rows.iter().any(|r| {
                r.op.entity == w.entity && r.op.field == w.field && r.op.prev.is_some_and(|p| p >= op.hlc)
            });
            if self.gone.contains(&w.entity) {
                let knowingly = overwritten_knowingly
                    || self.server.rows.iter().any(|r| {
                        r.op.entity == w.entity
                            && r.op.field == "_deleted"
                            && r.op.prev.is_some_and(|p| p >= op.hlc)
                    });
                assert!(
                    knowingly || in_conflicts.contains(&w.value),
                    "{} = {} was lost with a delete that had not seen it, and no conflict holds it",
                    w.field,
                    w.value
                );
                deleted_unseen += usize::from(!knowingly);
                continue;
            }
            let fields = &state[&(w.kind, w.entity)];
            let last = fields.get(w.field).and_then(|v| v.as_str());
            assert!(
                last == Some(w.value.as_str()) || in_conflicts.contains(&w.value) || overwritten_knowingly,
                "{} = {} was lost: the field ends as {last:?} and no conflict holds it",
                w.field,
                w.value
            );
        }
        self.deleted_unseen = deleted_unseen;
        // No operation applied twice: the log holds each once, applying it
        // all again changes nothing, and stage histories hold no entry twice.
        let keys: HashSet<(Uuid, u64)> = self.server.rows.iter().map(|r| (r.op.replica, r.op.seq)).collect();
        assert_eq!(keys.len(), self.server.rows.len(), "an operation is in the log twice");
        let log: Vec<Op> = self.server.rows.iter().map(|r| r.op.clone()).collect();
        let now = self.t0 + Duration::days(1);
        for r in 0..3 {
            let store = self.replicas[r].store();
            let before = store.sync_state_hash().unwrap();
            let again = store.sync_apply(&log, None, now).unwrap();
            assert_eq!(again.applied, 0, "replica {r} applied operations a second time");
            assert_eq!(store.sync_state_hash().unwrap(), before);
            for ((_, id), fields) in store.sync_state().unwrap() {
                let Some(history) = fields.get("stage_history").and_then(|h| h.as_array()) else { continue };
                let unique: HashSet<String> = history.iter().map(|e| e.to_string()).collect();
                assert_eq!(unique.len(), history.len(), "{id}'s stage history holds an entry twice");
            }
        }
    }
}

/// A call logged now with this summary.
fn call(summary: String) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::Call,
        at: None,
        summary: Some(summary),
        text: None,
        outcome: None,
        concerns: None,
    }
}

fn run(seed: u64, steps: u64) -> Sim {
    let mut sim = Sim::new(seed);
    for _ in 0..steps {
        sim.act();
    }
    sim.heal();
    sim.check();
    sim
}

#[test]
fn three_replicas_with_seeded_faults_end_in_one_state_and_lose_no_acknowledged_write() {
    let seeds: u64 = std::env::var("KONTOR_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let steps: u64 = std::env::var("KONTOR_SIM_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut edited = HashSet::new();
    let mut unseen = 0;
    let first: u64 = std::env::var("KONTOR_SIM_FIRST").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    for seed in first..first + seeds {
        eprintln!("seed {seed}");
        let mut sim = run(seed, steps);
        assert!(sim.records.len() > 10, "seed {seed} made too few records to mean much");
        assert!(sim.acked.len() > 30, "seed {seed} made too few edits to mean much");
        // Every kind synced: the replicas hold deals, tasks and activities
        // that other replicas wrote (their state equals the log's, above).
        let state = sim.replicas[0].store().sync_state().unwrap();
        for kind in [
            EntityKind::Contact,
            EntityKind::Deal,
            EntityKind::Task,
            EntityKind::Activity,
            EntityKind::Organization,
        ] {
            let mine = sim.children.iter().filter(|(k, ..)| *k == kind).count();
            let held = state.keys().filter(|(k, _)| *k == kind).count();
            assert!(
                held > 0 || (kind != EntityKind::Contact && mine == 0),
                "seed {seed}: no {kind:?} synced"
            );
        }
        edited.extend(sim.acked.iter().map(|w| w.kind));
        unseen += sim.deleted_unseen;
    }
    assert!(unseen > 0, "no run deleted a record another replica had just edited");
    for kind in [EntityKind::Deal, EntityKind::Task, EntityKind::Activity, EntityKind::Organization] {
        assert!(edited.contains(&kind), "no run edited a {kind:?}: the test means little for that kind");
    }
}

#[test]
fn concurrent_edits_of_one_field_keep_the_loser_as_a_conflict_that_can_be_taken_instead() {
    let mut sim = Sim::new(99);
    let now = sim.now(0);
    let id = sim.replicas[0]
        .store()
        .create_contact(
            &ContactInput { first_name: "Anna".into(), last_name: "Acker".into(), ..Default::default() },
            ChangedBy::Hand,
            now,
        )
        .unwrap()
        .id;
    sim.heal();
    // Both edit the title offline; replica 1 a second later.
    for (r, title) in [(0, "Einkauf"), (1, "Leitung Einkauf")] {
        sim.step += 1;
        let now = sim.now(r);
        let store = sim.replicas[r].store();
        let input = ContactInput {
            title: Some(title.into()),
            ..ContactInput::from(&store.contact(id, now).unwrap())
        };
        store.update_contact(id, &input, now).unwrap();
    }
    sim.heal();
    for r in 0..2 {
        let store = sim.replicas[r].store();
        assert_eq!(store.contact(id, now).unwrap().title.as_deref(), Some("Leitung Einkauf"), "replica {r}");
        let conflicts = store.sync_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "replica {r}: {conflicts:?}");
        let c = &conflicts[0];
        assert_eq!(c.field, "title");
        assert_eq!(c.name, "Anna Acker");
        let values = [c.local.value.as_str().unwrap(), c.remote.value.as_str().unwrap()];
        assert!(values.contains(&"Einkauf") && values.contains(&"Leitung Einkauf"), "{c:?}");
    }
    // Replica 0 takes its own value back: it is an edit every replica gets,
    // and the conflict goes everywhere.
    let c = sim.replicas[0].store().sync_conflicts().unwrap().remove(0);
    let take = if c.local.value == "Einkauf" { Pick::Local } else { Pick::Remote };
    sim.step += 1;
    let now = sim.now(0);
    sim.replicas[0].store().sync_resolve(c.id, take, now).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        let store = sim.replicas[r].store();
        assert_eq!(store.contact(id, now).unwrap().title.as_deref(), Some("Einkauf"), "replica {r}");
        assert!(store.sync_conflicts().unwrap().is_empty(), "replica {r} still lists the conflict");
    }
}

#[test]
fn lists_merge_element_by_element_and_an_erasure_leaves_only_the_id_everywhere() {
    let mut sim = Sim::new(7);
    let now = sim.now(0);
    let input = ContactInput {
        first_name: "Bärbel".into(),
        last_name: "Bauer".into(),
        emails: vec!["b@bauer.de".into()],
        tags: vec!["messe".into()],
        ..Default::default()
    };
    let id = sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id;
    sim.heal();
    // Offline, one adds an address and a tag, the other removes the tag and adds another address.
    type Edit = fn(&mut ContactInput);
    let edits: [(usize, Edit); 2] = [
        (0, |i| {
            i.emails.push("baerbel@bauer.de".into());
            i.tags.push("vip".into());
        }),
        (1, |i| {
            i.emails.push("info@bauer.de".into());
            i.tags.retain(|t| t != "messe");
        }),
    ];
    for (r, edit) in edits {
        sim.step += 1;
        let now = sim.now(r);
        let store = sim.replicas[r].store();
        let mut input = ContactInput::from(&store.contact(id, now).unwrap());
        edit(&mut input);
        store.update_contact(id, &input, now).unwrap();
    }
    // A stage change on each: both entries stay in every history.
    for (r, to) in [(0, Stage::Prospect), (2, Stage::Opportunity)] {
        sim.step += 1;
        let now = sim.now(r);
        let request = StageChangeRequest { to, reason: Some("Telefonat".into()), force: true };
        sim.replicas[r].store().change_stage(id, &request, ChangedBy::Hand, now).unwrap();
    }
    sim.heal();
    sim.check();
    for r in 0..3 {
        let c = sim.replicas[r].store().contact(id, now).unwrap();
        let mut emails = c.emails.clone();
        emails.sort();
        assert_eq!(emails, ["b@bauer.de", "baerbel@bauer.de", "info@bauer.de"], "replica {r}");
        assert_eq!(c.tags, ["vip"], "replica {r}");
        let stages: Vec<Stage> = c.stage_history.iter().map(|h| h.to).collect();
        assert_eq!(stages, [Stage::Lead, Stage::Prospect, Stage::Opportunity], "replica {r}");
    }
    // Erased on replica 1: gone everywhere, and the server keeps only the erasure.
    sim.step += 1;
    let now = sim.now(1);
    sim.replicas[1].store().erase_person(id, now).unwrap();
    sim.heal();
    for r in 0..3 {
        assert!(sim.replicas[r].store().contact(id, now).is_err(), "replica {r} still holds her");
        let names: Vec<String> = sim.replicas[r]
            .store()
            .sync_registers()
            .unwrap()
            .into_iter()
            .filter(|(_, e, _, _)| *e == id)
            .map(|(_, _, f, _)| f)
            .collect();
        assert!(names.iter().all(|f| f == "_erased" || f == "_deleted"), "replica {r} keeps {names:?}");
    }
    let left: Vec<&str> =
        sim.server.rows.iter().filter(|r| r.op.entity == id).map(|r| r.op.field.as_str()).collect();
    assert_eq!(left, ["_erased"], "the server keeps more than the erasure");
}

#[test]
fn moving_to_another_server_sends_everything_there_and_reads_its_log_from_the_start() {
    let mut sim = Sim::new(5);
    for i in 0..3 {
        let now = sim.now(0);
        let input =
            ContactInput { first_name: format!("Umzug{i}"), last_name: "Test".into(), ..Default::default() };
        sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap();
    }
    sim.heal();
    let before = sim.replicas[1].store().sync_state_hash().unwrap();
    // The team moves to a new, empty server; replica 0 is set up with it.
    sim.server = Server::default();
    let now = sim.now(0);
    let moved =
        kontor_core::store::SyncConfig { url: "postgresql://rep@new-host/kontor?sslmode=require".into() };
    sim.replicas[0].store().sync_setup(&moved, now, &|_| {}).unwrap();
    assert_eq!(sim.replicas[0].store().sync_pending(), 3, "every record is sent to the new server");
    // The same server under another user or option is no move.
    let same = kontor_core::store::SyncConfig { url: "postgres://other@new-host/kontor".into() };
    sim.replicas[0].store().sync_setup(&same, now, &|_| {}).unwrap();
    assert_eq!(sim.replicas[0].store().sync_pending(), 3, "nothing queued twice");
    for r in 1..3 {
        sim.replicas[r].store().sync_setup(&moved, now, &|_| {}).unwrap();
    }
    sim.heal();
    sim.check();
    assert_eq!(sim.replicas[2].store().sync_state_hash().unwrap(), before);
}

#[test]
fn a_pull_that_passes_a_running_transaction_is_caught() {
    // The simulation would notice a cursor that reads past a slow commit:
    // with the server's running transactions ignored, replicas end apart.
    let mut failed = 0;
    for seed in 1..=12 {
        let outcome = std::panic::catch_unwind(|| {
            let mut sim = Sim::new(seed);
            sim.server.ignore_running = true;
            for _ in 0..200 {
                sim.act();
            }
            sim.heal();
            sim.check();
        });
        failed += usize::from(outcome.is_err());
        if failed > 0 {
            break;
        }
    }
    assert!(failed > 0, "no seed noticed a pull that skips slow commits");
}

/// Karl Kunde of Kunde GmbH, made on replica 0.
fn karl_at_kunde(sim: &mut Sim, now: DateTime<Utc>) -> Uuid {
    let input = ContactInput {
        first_name: "Karl".into(),
        last_name: "Kunde".into(),
        organization: Some("Kunde GmbH".into()),
        ..Default::default()
    };
    sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id
}

#[test]
fn deals_tasks_and_conversations_sync_and_go_with_their_contact() {
    let mut sim = Sim::new(11);
    let berlin = chrono_tz::Europe::Berlin;
    let now = sim.now(0);
    let karl = karl_at_kunde(&mut sim, now);
    let deal = DealInput {
        contact_id: karl,
        title: "Hallenausbau".into(),
        value: 48_000.0,
        currency: "EUR".into(),
        ..Default::default()
    };
    let deal = sim.replicas[0].store().create_deal(&deal, now).unwrap().value.id;
    let due = now + Duration::hours(3);
    let task = TaskInput {
        title: "Angebot nachfassen".into(),
        contact_id: Some(karl),
        deal_id: Some(deal),
        due: due.to_rfc3339(),
        reminders: vec![30],
        ..Default::default()
    };
    let task = sim.replicas[0].store().create_task(task, berlin, now).unwrap().id;
    let (talk, _) =
        sim.replicas[0].store().log_activity(karl, call("Bedarf besprochen".into()), now).unwrap().value;
    sim.heal();
    sim.check();
    for r in 0..3 {
        // Karl, his deal and his call are the rep's of replica 0, who made them.
        let store = sim.replicas[r].store();
        for (kind, id) in
            [(EntityKind::Contact, karl), (EntityKind::Deal, deal), (EntityKind::Activity, talk.id)]
        {
            assert_eq!(store.sync_owner(kind, id).unwrap().as_deref(), Some("rep0"), "replica {r}: {kind:?}");
        }
    }
    for r in 1..3 {
        let store = sim.replicas[r].store();
        let d = store.deal(deal).unwrap();
        assert_eq!((d.title.as_str(), d.value), ("Hallenausbau", 48_000.0), "replica {r}");
        // The organisation is linked by name on each replica: the deal's is the contact's here.
        let org = store.contact(karl, now).unwrap().organization_id;
        assert!(org.is_some());
        assert_eq!(d.organization_id, org, "replica {r}");
        let t = store.task(task).unwrap();
        assert_eq!((t.title.as_str(), t.deal_id), ("Angebot nachfassen", Some(deal)), "replica {r}");
        let timeline =
            store.list_activities(karl, &ActivityQuery { kinds: None, offset: 0, limit: 10 }).unwrap();
        assert_eq!(timeline.items.len(), 1, "replica {r}");
        assert_eq!(timeline.items[0].summary.as_deref(), Some("Bedarf besprochen"));
        assert!(store.contact(karl, now).unwrap().last_activity_at.is_some(), "replica {r}");
    }
    // Every laptop reminds its own rep: the reminder fires on replica 0
    // and on replica 1, and firing it sends nothing.
    sim.step += 3 * 3600;
    for r in 0..2 {
        let at = sim.now(r);
        let store = sim.replicas[r].store();
        let pending = store.sync_pending();
        let fired = store.take_due_reminders(at).unwrap();
        assert_eq!(fired.len(), 1, "replica {r} reminds of the task");
        assert_eq!(store.sync_pending(), pending, "replica {r} sent a reminder's firing");
    }
    // A deal moved on replica 1 and a task done on replica 2 arrive everywhere.
    let now1 = sim.now(1);
    sim.replicas[1].store().move_deal(deal, "proposal", None, now1).unwrap();
    let now2 = sim.now(2);
    sim.replicas[2].store().complete_task(task, berlin, now2).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        let store = sim.replicas[r].store();
        let d = store.deal(deal).unwrap();
        assert_eq!(d.stage, "proposal", "replica {r}");
        let stages: Vec<&str> = d.stage_history.iter().map(|h| h.to.as_str()).collect();
        assert_eq!(stages.last(), Some(&"proposal"), "replica {r}");
        assert!(store.task(task).unwrap().done, "replica {r}");
    }
    // Karl is deleted on replica 0 while replica 1, offline, logs a visit
    // and adds a task: after the sync no replica keeps either.
    let now1 = sim.now(1);
    let visit = sim.replicas[1].store().log_activity(karl, call("Besuch".into()), now1).unwrap().value.0.id;
    let late = TaskInput {
        title: "Muster schicken".into(),
        contact_id: Some(karl),
        due: (now1 + Duration::days(1)).to_rfc3339(),
        ..Default::default()
    };
    let late = sim.replicas[1].store().create_task(late, berlin, now1).unwrap().id;
    let now0 = sim.delete_on(0, karl);
    sim.heal();
    sim.check();
    for r in 0..3 {
        let store = sim.replicas[r].store();
        assert!(store.contact(karl, now0).is_err(), "replica {r}");
        assert!(store.deal(deal).is_err(), "replica {r} keeps the deal");
        assert!(store.task(task).is_err() && store.task(late).is_err(), "replica {r} keeps a task");
        assert!(
            store.activity(talk.id).is_err() && store.activity(visit).is_err(),
            "replica {r} keeps a call"
        );
    }
}

#[test]
fn erasing_a_person_takes_their_deals_tasks_and_conversations_off_the_server() {
    let mut sim = Sim::new(12);
    let now = sim.now(0);
    let input = ContactInput { first_name: "Petra".into(), last_name: "Privat".into(), ..Default::default() };
    let petra = sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id;
    let store = sim.replicas[0].store();
    let deal = DealInput {
        contact_id: petra,
        title: "Petras Auftrag".into(),
        value: 10.0,
        currency: "EUR".into(),
        ..Default::default()
    };
    let deal = store.create_deal(&deal, now).unwrap().value.id;
    let call =
        store.log_activity(petra, call("Petra erzählte von ihrer Scheidung".into()), now).unwrap().value.0.id;
    sim.heal();
    // Replica 2 notes something about her call, then she is erased on replica 1.
    let now2 = sim.now(2);
    sim.replicas[2]
        .store()
        .update_activity(call, self::call("Petra, Scheidung, Kinder".into()), now2)
        .unwrap();
    sim.heal();
    let now1 = sim.now(1);
    sim.replicas[1].store().erase_person(petra, now1).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        let store = sim.replicas[r].store();
        assert!(store.deal(deal).is_err() && store.activity(call).is_err(), "replica {r} keeps her records");
        let kept: Vec<String> = store
            .sync_registers()
            .unwrap()
            .into_iter()
            .filter(|(_, e, _, _)| [petra, deal, call].contains(e))
            .map(|(_, _, f, _)| f)
            .filter(|f| f != "_erased" && f != "_deleted")
            .collect();
        assert!(kept.is_empty(), "replica {r} keeps registers {kept:?}");
    }
    for row in &sim.server.rows {
        let text = row.op.value.to_string();
        assert!(
            !text.contains("Petra"),
            "the server keeps {} {}: {text}",
            row.op.kind.as_str(),
            row.op.field
        );
    }
}

#[test]
fn a_record_deleted_while_changed_elsewhere_waits_as_a_conflict_and_can_be_made_again() {
    let mut sim = Sim::new(13);
    let now = sim.now(0);
    let input = ContactInput { first_name: "Zora".into(), last_name: "Zander".into(), ..Default::default() };
    let zora = sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id;
    sim.heal();
    // Replica 1 adds notes while replica 2, not having seen them, deletes her.
    sim.step += 1;
    let now1 = sim.now(1);
    let store = sim.replicas[1].store();
    let mut edit = ContactInput::from(&store.contact(zora, now1).unwrap());
    edit.notes = Some("Will order in spring".into());
    store.update_contact(zora, &edit, now1).unwrap();
    let now2 = sim.delete_on(2, zora);
    sim.heal();
    sim.check();
    // Gone everywhere; replica 1 has what it had in its conflicts list.
    for r in 0..3 {
        assert!(sim.replicas[r].store().contact(zora, now2).is_err(), "replica {r} keeps her");
    }
    let conflicts = sim.replicas[1].store().sync_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!((c.field.as_str(), c.shown, c.contact), ("_deleted", Pick::Remote, Some(zora)));
    assert_eq!(c.local.value["notes"], "Will order in spring");
    // The deleting replica had deleted what it had seen: nothing to ask there.
    assert!(sim.replicas[2].store().sync_conflicts().unwrap().is_empty());
    // Keeping it makes her again, with the notes, on every replica.
    sim.step += 1;
    let now1 = sim.now(1);
    sim.replicas[1].store().sync_resolve(c.id, Pick::Local, now1).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        let back = sim.replicas[r].store().contact(zora, now1).unwrap();
        assert_eq!(back.notes.as_deref(), Some("Will order in spring"), "replica {r}");
    }
    assert!(sim.replicas[1].store().sync_conflicts().unwrap().is_empty());
    // A delete that had seen every change is no conflict anywhere, and it
    // settles the one replica 0 kept of the first delete (it saw both).
    assert_eq!(sim.replicas[0].store().sync_conflicts().unwrap().len(), 1);
    sim.step += 1;
    let now2 = sim.delete_on(2, zora);
    sim.heal();
    sim.check();
    for r in 0..3 {
        assert!(sim.replicas[r].store().contact(zora, now2).is_err(), "replica {r} keeps her");
        assert_eq!(sim.replicas[r].store().sync_conflicts().unwrap(), [], "replica {r}");
    }
}

#[test]
fn a_record_a_newer_kontor_wrote_is_set_aside_and_read_by_the_next_version() {
    let mut sim = Sim::new(14);
    let now = sim.now(0);
    let input = ContactInput { first_name: "Nora".into(), last_name: "Neu".into(), ..Default::default() };
    let nora = sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id;
    let input = ContactInput { first_name: "Otto".into(), last_name: "Alt".into(), ..Default::default() };
    let otto = sim.replicas[0].store().create_contact(&input, ChangedBy::Hand, now).unwrap().id;
    sim.heal();
    // A replica on a newer Kontor moves Nora to a stage this one does not
    // know, then on to one it knows, and renames Otto.
    let newer = Uuid::from_u128(0x004e_4557_4552);
    let stamp =
        |s: u64| Hlc { wall_ms: (now.timestamp_millis() as u64) + 60_000 + s, counter: 0, replica: newer };
    let op = |seq, entity, field: &str, value: serde_json::Value| Op {
        replica: newer,
        seq,
        kind: EntityKind::Contact,
        entity,
        field: field.into(),
        value,
        hlc: stamp(seq),
        prev: None,
        by: Some("nina".into()),
    };
    let store = sim.replicas[1].store();
    let later = now + Duration::minutes(2);
    let applied = store
        .sync_apply(
            &[op(1, nora, "stage", json!("partner")), op(2, otto, "last_name", json!("Neumann"))],
            None,
            later,
        )
        .unwrap();
    assert_eq!(applied.set_aside, 1, "{applied:?}");
    // The sync went on: Otto is renamed, Nora is as she was, and the status says what waits.
    assert_eq!(store.contact(otto, later).unwrap().last_name, "Neumann");
    assert_eq!(store.contact(nora, later).unwrap().stage, Stage::Lead);
    assert_eq!(store.sync_status().unwrap().set_aside, 1);
    // What comes for Nora meanwhile waits behind it, in order.
    let applied = store.sync_apply(&[op(3, nora, "stage", json!("customer"))], None, later).unwrap();
    assert_eq!((applied.set_aside, applied.applied), (1, 0));
    assert_eq!(store.sync_status().unwrap().set_aside, 2);
    assert_eq!(store.contact(nora, later).unwrap().stage, Stage::Lead);
    // A kind of record this version does not sync at all is set aside too.
    let quote = json!({"replica": newer, "seq": 4, "kind": "quote", "entity": Uuid::from_u128(7), "field": "*",
        "value": {"title": "Angebot 17"}, "hlc": stamp(4).to_string(), "prev": null, "by": "nina"});
    let page = Pulled { ops: Vec::new(), foreign: vec![quote], cursor: None };
    assert_eq!(store.sync_apply_page(&page, None, later).unwrap().set_aside, 1);
    assert_eq!(store.sync_status().unwrap().set_aside, 3);
    // The same version does not try again; the next one does, with both
    // operations in order: Nora ends a customer, as on the newer laptop.
    store.sync_apply(&[], None, later).unwrap();
    assert_eq!(store.sync_status().unwrap().set_aside, 3);
    store.sync_retry_set_aside().unwrap();
    let applied = store.sync_apply(&[], None, later).unwrap();
    assert_eq!((applied.set_aside, applied.applied), (0, 2), "{applied:?}");
    assert_eq!(store.contact(nora, later).unwrap().stage, Stage::Customer);
    // The quote waits on, for a version that knows quotes.
    assert_eq!(store.sync_status().unwrap().set_aside, 1);
}

#[test]
fn organisations_sync_by_name_follow_a_rename_and_go_when_merged_away() {
    let mut sim = Sim::new(15);
    let now = sim.now(0);
    let karl = karl_at_kunde(&mut sim, now);
    let store = sim.replicas[0].store();
    let org = store.organizations(Some("Kunde"), 5).unwrap().remove(0);
    let data = OrganizationInput {
        name: "Kunde GmbH".into(),
        industry: Some("Maschinenbau".into()),
        city: Some("Hamburg".into()),
        ..Default::default()
    };
    store.update_organization(org.id, &data, now).unwrap();
    sim.heal();
    sim.check();
    let named = |sim: &mut Sim, r: usize, name: &str| {
        let orgs = sim.replicas[r].store().organizations(None, 50).unwrap();
        orgs.into_iter().filter(|o| o.name == name).collect::<Vec<_>>()
    };
    for r in 0..3 {
        let orgs = named(&mut sim, r, "Kunde GmbH");
        assert_eq!(orgs.len(), 1, "replica {r}");
        assert_eq!(
            (orgs[0].industry.as_deref(), orgs[0].city.as_deref()),
            (Some("Maschinenbau"), Some("Hamburg"))
        );
        let k = sim.replicas[r].store().contact(karl, now).unwrap();
        assert_eq!(k.organization_id, Some(orgs[0].id), "replica {r}: Karl works there");
    }
    // Replica 1 renames it: Karl follows everywhere, and the old name is gone.
    sim.step += 1;
    let now1 = sim.now(1);
    let store = sim.replicas[1].store();
    let local = store.organizations(Some("Kunde"), 5).unwrap().remove(0);
    store
        .update_organization(
            local.id,
            &OrganizationInput { name: "Kunde Holding GmbH".into(), ..data.clone() },
            now1,
        )
        .unwrap();
    // Replica 2 makes an organisation of its own, no one works at yet.
    let now2 = sim.now(2);
    let neu =
        OrganizationInput { name: "Neu AG".into(), industry: Some("Handel".into()), ..Default::default() };
    sim.replicas[2].store().create_organization(&neu, now2).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        assert!(named(&mut sim, r, "Kunde GmbH").is_empty(), "replica {r} keeps the old name");
        let holding = named(&mut sim, r, "Kunde Holding GmbH");
        assert_eq!(holding.len(), 1, "replica {r}");
        assert_eq!(holding[0].industry.as_deref(), Some("Maschinenbau"));
        let k = sim.replicas[r].store().contact(karl, now1).unwrap();
        assert_eq!(k.organization.as_deref(), Some("Kunde Holding GmbH"));
        assert_eq!(k.organization_id, Some(holding[0].id), "replica {r}");
        assert_eq!(named(&mut sim, r, "Neu AG").len(), 1, "replica {r}");
    }
    // Replica 0 merges Neu AG into the holding: gone everywhere.
    sim.step += 1;
    let now0 = sim.now(0);
    let store = sim.replicas[0].store();
    let (holding, neu) = (
        store.organizations(Some("Holding"), 5).unwrap().remove(0),
        store.organizations(Some("Neu"), 5).unwrap().remove(0),
    );
    store.merge_organizations(holding.id, neu.id, now0).unwrap();
    sim.heal();
    sim.check();
    for r in 0..3 {
        assert!(named(&mut sim, r, "Neu AG").is_empty(), "replica {r} keeps the merged one");
        assert_eq!(named(&mut sim, r, "Kunde Holding GmbH").len(), 1);
    }
}

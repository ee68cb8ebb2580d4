//! The store's side of tasks and reminders: a task tree, an index by due
//! time (open/done), one by contact, and the reminder queue ordered by fire
//! time, so "what is due now" and "when is the next one" never scan.
//!
//! Invariants: a task, its index entries and its queue entries change in one
//! transaction; a reminder is marked fired (and leaves the queue) before it
//! is handed out, so it fires once, across restarts.

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{abort, counters, decode, decode_tx, encode_tx, new_id, Store, Tx, TxResult};

use crate::automation::{AutomationOutcome, Changed};
use crate::error::{Error, Result};
use crate::task::{day_start, local_day_start, Task, TaskInput, SNOOZE_SLOT};

/// Which tasks a view shows.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TaskView {
    /// Open, due before now (all-day: before today).
    Overdue,
    /// Open, due today (and not overdue).
    Today,
    /// Open, due after today within the next 7 days.
    Upcoming,
    /// Done, newest first.
    Done,
    /// All open tasks by due time.
    Open,
}

/// How many open tasks are overdue, due today, upcoming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskCounts {
    /// Overdue.
    pub overdue: u32,
    /// Due today.
    pub today: u32,
    /// Due in the next 7 days after today.
    pub upcoming: u32,
    /// All open tasks, whenever they are due.
    pub open: u32,
}

/// A reminder handed out for notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DueReminder {
    /// The task (as it is after marking the reminder fired).
    pub task: Task,
    /// When the reminder was meant to fire.
    pub fire_at: DateTime<Utc>,
    /// Whom the task is about: "Anna Schmidt · Müller AG" (none without a contact).
    #[serde(default)]
    pub about: Option<String>,
}

fn ms(t: DateTime<Utc>) -> [u8; 8] {
    u64::try_from(t.timestamp_millis()).unwrap_or(0).to_be_bytes()
}

fn due_key(t: &Task) -> Vec<u8> {
    let mut k = vec![u8::from(t.done)];
    k.extend_from_slice(&ms(t.due));
    k.extend_from_slice(t.id.as_bytes());
    k
}

fn contact_key(contact: Uuid, t: &Task) -> Vec<u8> {
    let mut k = contact.as_bytes().to_vec();
    k.extend_from_slice(&ms(t.due));
    k.extend_from_slice(t.id.as_bytes());
    k
}

fn queue_key(at: DateTime<Utc>, id: Uuid, slot: u8) -> Vec<u8> {
    let mut k = ms(at).to_vec();
    k.extend_from_slice(id.as_bytes());
    k.push(slot);
    k
}

fn queue_parts(key: &[u8]) -> Result<(DateTime<Utc>, Uuid, u8)> {
    let bad = || Error::Storage("malformed reminder key".into());
    if key.len() != 25 {
        return Err(bad());
    }
    let millis =
        i64::try_from(u64::from_be_bytes(key[..8].try_into().map_err(|_| bad())?)).map_err(|_| bad())?;
    let at = Utc.timestamp_millis_opt(millis).single().ok_or_else(bad)?;
    Ok((at, Uuid::from_slice(&key[8..24]).map_err(|_| bad())?, key[24]))
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Bucket keys of an open task's due time: its UTC day and its hour.
fn bucket_keys(due: DateTime<Utc>) -> [[u8; 9]; 2] {
    let ms = due.timestamp_millis().max(0);
    let key = |kind: u8, n: i64| {
        let mut k = [0; 9];
        k[0] = kind;
        k[1..].copy_from_slice(&(n as u64).to_be_bytes());
        k
    };
    [key(b'd', ms / DAY_MS), key(b'h', ms / HOUR_MS)]
}

/// Counts an open task in (`delta` 1) or out (-1) of its buckets and the total.
fn count_open_task(tx: &Tx, task: &Task, delta: i64) -> TxResult<()> {
    if task.done {
        return Ok(());
    }
    for key in bucket_keys(task.due) {
        counters::add(tx.task_buckets, &key, delta)?;
    }
    counters::add(tx.counters, counters::OPEN_TASKS, delta)?;
    Ok(())
}

/// Removes a task's index, queue and bucket entries and writes the new
/// version (if any) with its own.
pub(super) fn replace(tx: &Tx, old: Option<&Task>, new: Option<&Task>) -> TxResult<()> {
    if let Some(id) = new.or(old).map(|t| t.id) {
        super::sync::record(tx, crate::sync::EntityKind::Task, id, old, new)?;
    }
    if let Some(old) = old {
        tx.tasks_by_due.remove(due_key(old))?;
        if let Some(c) = old.contact_id {
            tx.tasks_by_contact.remove(contact_key(c, old))?;
        }
        for (slot, at) in old.pending() {
            tx.reminder_queue.remove(queue_key(at, old.id, slot))?;
        }
        count_open_task(tx, old, -1)?;
        if new.is_none() {
            tx.tasks.remove(old.id.as_bytes())?;
        }
    }
    if let Some(new) = new {
        tx.tasks_by_due.insert(due_key(new), &[])?;
        if let Some(c) = new.contact_id {
            tx.tasks_by_contact.insert(contact_key(c, new), &[])?;
        }
        for (slot, at) in new.pending() {
            tx.reminder_queue.insert(queue_key(at, new.id, slot), &[])?;
        }
        count_open_task(tx, new, 1)?;
        tx.tasks.insert(new.id.as_bytes(), encode_tx(new)?)?;
    }
    Ok(())
}

/// A task done at `now` (as it was when already done), and a repeating
/// task's next occurrence (`next_id`).
fn completed(old: Task, next_id: Uuid, tz: Tz, now: DateTime<Utc>) -> Vec<Task> {
    if old.done {
        return vec![old];
    }
    let mut done = Task { done: true, done_at: Some(now), updated_at: now, ..old.clone() };
    done.snoozed_until = None;
    let mut out = vec![done];
    if let Some(mut next) = old.next_occurrence(next_id, tz, now) {
        settle_past_reminders(&mut next, now);
        out.push(next);
    }
    out
}

fn check_snooze(until: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if until <= now {
        return Err(Error::InvalidInput {
            field: "until",
            reason: "snooze until a time in the future".into(),
        });
    }
    Ok(())
}

/// A task snoozed until `until` (an overdue one postponed to it).
fn snoozed(old: Task, until: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> Result<Vec<Task>> {
    if old.done {
        return Err(Error::InvalidInput { field: "until", reason: "the task is done".into() });
    }
    let mut task = Task { snoozed_until: Some(until), snooze_fired: false, updated_at: now, ..old };
    task.postpone_to(until, tz);
    task.supersede_by_snooze();
    Ok(vec![task])
}

/// What to do to many tasks at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum TaskTriage {
    /// Mark them done (repeating ones get their next occurrence).
    Complete,
    /// Remind again at `until` (overdue ones move to it).
    Snooze {
        /// When.
        until: DateTime<Utc>,
    },
    /// Move them to another day (timed ones keep their time of day).
    Reschedule {
        /// The day.
        day: NaiveDate,
    },
}

/// What a triage did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TriageOutcome {
    /// Tasks changed.
    pub changed: u32,
    /// Tasks left as they were (done already, or gone).
    pub skipped: u32,
    /// What the rules fired by completed tasks did.
    pub automation: Vec<AutomationOutcome>,
}

/// Reminders already past when a task is saved are not "missed": the user
/// set them knowingly.
pub(super) fn settle_past_reminders(task: &mut Task, now: DateTime<Utc>) {
    for r in &mut task.reminders {
        if r.fire_at <= now {
            r.fired = true;
        }
    }
}

impl Store {
    /// Applies `change` to the stored task `id` (or creates it when absent
    /// and `change` accepts `None`), in one transaction, then flushes.
    fn write_task(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        change: impl Fn(Option<Task>) -> Result<Vec<Task>>,
    ) -> Result<Vec<Task>> {
        self.transact(now, |tx| {
            let old: Option<Task> = match tx.tasks.get(id.as_bytes())? {
                Some(bytes) => Some(decode_tx(&bytes)?),
                None => None,
            };
            let new = change(old.clone()).or_else(abort)?;
            match new.first() {
                Some(first) if first.id == id => replace(tx, old.as_ref(), Some(first))?,
                _ => replace(tx, old.as_ref(), None)?,
            }
            for extra in new.iter().filter(|t| t.id != id) {
                replace(tx, None, Some(extra))?;
            }
            Ok(new)
        })
    }

    /// Counts the open tasks into their buckets anew from the due index's
    /// keys (schema step 2, and after a restore).
    pub(super) fn count_task_buckets(&self) -> Result<()> {
        let mut buckets: std::collections::BTreeMap<[u8; 9], u64> = std::collections::BTreeMap::new();
        let mut open = 0u64;
        for key in self.t.tasks_by_due.scan_prefix([0]).keys() {
            let key = key?;
            let millis = key.get(1..9).and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0);
            let due =
                Utc.timestamp_millis_opt(i64::try_from(millis).unwrap_or(0)).single().unwrap_or_default();
            for k in bucket_keys(due) {
                *buckets.entry(k).or_default() += 1;
            }
            open += 1;
        }
        let mut batch = sled::Batch::default();
        for key in self.t.task_buckets.iter().keys() {
            batch.remove(key?);
        }
        for (k, n) in buckets {
            batch.insert(k.to_vec(), &n.to_be_bytes());
        }
        self.t.task_buckets.apply_batch(batch)?;
        self.t.counters.insert(counters::OPEN_TASKS, &open.to_be_bytes())?;
        Ok(())
    }

    /// How many open tasks are due at or after `from`: the keys of its
    /// hour, then whole hours to the end of its day, then whole days.
    fn open_from(&self, from: DateTime<Utc>) -> Result<u64> {
        let ms_from = from.timestamp_millis().max(0);
        let (hour, day) = (ms_from / HOUR_MS, ms_from / DAY_MS);
        let at = |ms: i64| Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        let mut n = self.due_keys(false, Some(at(ms_from)), Some(at((hour + 1) * HOUR_MS))).count() as u64;
        let bucket = |kind: u8, k: i64| [[kind].as_slice(), &(k as u64).to_be_bytes()].concat();
        for v in self.t.task_buckets.range(bucket(b'h', hour + 1)..bucket(b'h', (day + 1) * 24)).values() {
            n += v?.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
        }
        for v in self.t.task_buckets.range(bucket(b'd', day + 1)..[b'd' + 1].to_vec()).values() {
            n += v?.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
        }
        Ok(n)
    }

    /// The contact must exist; a deal must exist and be the contact's (a
    /// task linked to a deal alone is about the deal's contact).
    fn check_links(&self, input: &mut TaskInput) -> Result<()> {
        if let Some(deal_id) = input.deal_id {
            let deal = self.deal(deal_id)?;
            match input.contact_id {
                None => input.contact_id = Some(deal.contact_id),
                Some(contact) if contact != deal.contact_id => {
                    return Err(Error::InvalidInput {
                        field: "deal_id",
                        reason: "the deal belongs to another contact".into(),
                    })
                }
                Some(_) => {}
            }
        }
        match input.contact_id {
            Some(id) => self.raw_contact(id).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Creates a task.
    pub fn create_task(&self, mut input: TaskInput, tz: Tz, now: DateTime<Utc>) -> Result<Task> {
        self.check_links(&mut input)?;
        let mut task = input.into_task(new_id(now), tz, now)?;
        settle_past_reminders(&mut task, now);
        let id = task.id;
        let written = self.write_task(id, now, |old| match old {
            Some(_) => Err(Error::Storage(format!("id collision for {id}"))),
            None => Ok(vec![task.clone()]),
        })?;
        written.into_iter().next().ok_or_else(|| Error::Storage("task not written".into()))
    }

    /// Replaces a task's fields (its reminders are set anew). A snooze stays
    /// while the due time stays; a new due time ends it.
    pub fn update_task(&self, id: Uuid, mut input: TaskInput, tz: Tz, now: DateTime<Utc>) -> Result<Task> {
        self.check_links(&mut input)?;
        let mut fresh = input.into_task(id, tz, now)?;
        settle_past_reminders(&mut fresh, now);
        let written = self.write_task(id, now, |old| {
            let old = old.ok_or_else(|| task_not_found(id))?;
            let mut task =
                Task { done: old.done, done_at: old.done_at, created_at: old.created_at, ..fresh.clone() };
            if old.due == task.due {
                task.snoozed_until = old.snoozed_until;
                task.snooze_fired = old.snooze_fired;
                task.scheduled_due = old.scheduled_due;
                task.supersede_by_snooze();
            }
            Ok(vec![task])
        })?;
        written.into_iter().next().ok_or_else(|| task_not_found(id))
    }

    /// One task.
    pub fn task(&self, id: Uuid) -> Result<Task> {
        let bytes = self.t.tasks.get(id.as_bytes())?.ok_or_else(|| task_not_found(id))?;
        decode(&bytes)
    }

    /// Marks a task done; a repeating task gets its next occurrence, counted
    /// from this due date (even when done late). Returns (done, next) with
    /// the outcomes of the rules it fired.
    pub fn complete_task(
        &self,
        id: Uuid,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Changed<(Task, Option<Task>)>> {
        let was_done = self.task(id)?.done;
        let next_id = new_id(now);
        let written = self.write_task(id, now, |old| {
            Ok(completed(old.ok_or_else(|| task_not_found(id))?, next_id, tz, now))
        })?;
        let mut it = written.into_iter();
        let done = it.next().ok_or_else(|| task_not_found(id))?;
        let mut fired = Vec::new();
        if !was_done {
            let event = crate::automation::Event::TaskCompleted { task: Box::new(done.clone()) };
            fired = self.run_rules(&[event], now);
        }
        Ok(Changed::new((done, it.next()), fired))
    }

    /// Reminds again at `until`.
    pub fn snooze_task(&self, id: Uuid, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<Task> {
        check_snooze(until, now)?;
        let tz = self.time_zone();
        let written =
            self.write_task(id, now, |old| snoozed(old.ok_or_else(|| task_not_found(id))?, until, tz, now))?;
        written.into_iter().next().ok_or_else(|| task_not_found(id))
    }

    /// Completes, snoozes or moves many tasks in one transaction; done and
    /// missing ones are skipped.
    pub fn triage_tasks(
        &self,
        ids: &[Uuid],
        triage: &TaskTriage,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<TriageOutcome> {
        if let TaskTriage::Snooze { until } = triage {
            check_snooze(*until, now)?;
        }
        let next_ids: Vec<Uuid> = ids.iter().map(|_| new_id(now)).collect();
        let (done, skipped) = self.transact(now, |tx| {
            let (mut done, mut skipped) = (Vec::new(), 0u32);
            for (id, next_id) in ids.iter().zip(&next_ids) {
                let Some(bytes) = tx.tasks.get(id.as_bytes())? else {
                    skipped += 1;
                    continue;
                };
                let old: Task = decode_tx(&bytes)?;
                if old.done {
                    skipped += 1;
                    continue;
                }
                let new = match triage {
                    TaskTriage::Complete => completed(old.clone(), *next_id, tz, now),
                    TaskTriage::Snooze { until } => snoozed(old.clone(), *until, tz, now).or_else(abort)?,
                    TaskTriage::Reschedule { day } => {
                        let mut task = Task { updated_at: now, ..old.clone() };
                        task.move_to_day(*day, tz);
                        settle_past_reminders(&mut task, now);
                        vec![task]
                    }
                };
                replace(tx, Some(&old), new.first())?;
                for extra in new.iter().skip(1) {
                    replace(tx, None, Some(extra))?;
                }
                done.push(new[0].clone());
            }
            Ok((done, skipped))
        })?;
        let automation = match triage {
            TaskTriage::Complete => {
                let events: Vec<_> = done
                    .iter()
                    .map(|t| crate::automation::Event::TaskCompleted { task: Box::new(t.clone()) })
                    .collect();
                self.run_rules(&events, now)
            }
            _ => Vec::new(),
        };
        Ok(TriageOutcome { changed: u32::try_from(done.len()).unwrap_or(u32::MAX), skipped, automation })
    }

    /// Snoozes every open task that is due by `now` (the tray's "snooze all").
    pub fn snooze_all(&self, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<usize> {
        let due = self.open_tasks_due_until(now)?;
        for task in &due {
            self.snooze_task(task.id, until, now)?;
        }
        Ok(due.len())
    }

    /// Moves tasks written before all-day dues sat at UTC midnight to that
    /// form, once per store (a meta flag remembers it).
    pub(super) fn normalize_all_day_tasks(&self) -> Result<()> {
        const DONE: &str = "all_day_due_at_utc_midnight";
        if self.t.meta.get(DONE)?.is_some() {
            return Ok(());
        }
        let tz = self.time_zone();
        let mut legacy = Vec::new();
        for entry in self.t.tasks.iter() {
            let (_, bytes) = entry?;
            let mut task: Task = decode(&bytes)?;
            if task.normalize_all_day(tz) {
                legacy.push(task.id);
            }
        }
        // Task trees only: nothing written here depends on the time.
        for id in legacy {
            self.write_task(id, DateTime::UNIX_EPOCH, |old| {
                Ok(old
                    .map(|mut t| {
                        t.normalize_all_day(tz);
                        vec![t]
                    })
                    .unwrap_or_default())
            })?;
        }
        self.t.meta.insert(DONE, &[1])?;
        self.db.flush()?;
        Ok(())
    }

    /// Unlinks a deleted deal from its contact's tasks (they stay, about the
    /// contact alone).
    pub(super) fn unlink_deal_tasks(&self, contact: Uuid, deal: Uuid, now: DateTime<Utc>) -> Result<()> {
        for task in self.contact_tasks(contact)?.into_iter().filter(|t| t.deal_id == Some(deal)) {
            self.write_task(task.id, now, |old| {
                Ok(old.map(|t| vec![Task { deal_id: None, updated_at: now, ..t }]).unwrap_or_default())
            })?;
        }
        Ok(())
    }

    /// Deletes a task for good.
    pub fn delete_task(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.write_task(id, now, |old| old.map(|_| vec![]).ok_or_else(|| task_not_found(id)))?;
        Ok(())
    }

    /// Keys of the due index for open (`done` false) or done tasks due in [from, to).
    fn due_keys(
        &self,
        done: bool,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> impl DoubleEndedIterator<Item = sled::Result<sled::IVec>> {
        let flag = u8::from(done);
        let from = from.unwrap_or(DateTime::UNIX_EPOCH);
        let mut start = vec![flag];
        start.extend_from_slice(&ms(from));
        let end = match to {
            Some(to) => [&[flag][..], &ms(to.max(from))].concat(),
            None => vec![flag + 1],
        };
        self.t.tasks_by_due.range(start..end).keys()
    }

    /// How many open tasks are due in [from, to), from the counters and
    /// buckets (only the keys of the hours at either end are walked).
    fn count_in(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Result<u32> {
        let total = counters::get(&self.t.counters, counters::OPEN_TASKS)?;
        let n = match (from, to) {
            (None, None) => total,
            (None, Some(to)) => total.saturating_sub(self.open_from(to)?),
            (Some(from), None) => self.open_from(from)?,
            (Some(from), Some(to)) => self.open_from(from)?.saturating_sub(self.open_from(to.max(from))?),
        };
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The tasks due in [from, to), by due time; at most `limit`.
    fn tasks_in_limit(
        &self,
        done: bool,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<Task>> {
        self.due_keys(done, from, to)
            .take(limit)
            .map(|k| {
                let k = k?;
                let id = Uuid::from_slice(&k[9..25]).map_err(|e| Error::Storage(e.to_string()))?;
                self.task(id)
            })
            .collect()
    }

    fn tasks_in(
        &self,
        done: bool,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Task>> {
        self.tasks_in_limit(done, from, to, usize::MAX)
    }

    /// The next `n` open tasks by due time (overdue ones first), for the tray.
    pub fn next_open_tasks(&self, n: usize) -> Result<Vec<Task>> {
        self.tasks_in_limit(false, None, None, n)
    }

    /// Open tasks due on the days `first` to `last` (in the store's time
    /// zone; all-day ones by their day), by due time: one range of the due
    /// index, however many tasks are overdue before it.
    pub fn open_tasks_due_within(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Task>> {
        let tz = self.time_zone();
        let after = next_day(last);
        let lo = local_day_start(first, tz).min(day_start(first));
        let hi = local_day_start(after, tz).max(day_start(after));
        let keep = |t: &Task| {
            let day = t.day().unwrap_or_else(|| t.due.with_timezone(&tz).date_naive());
            first <= day && day <= last
        };
        Ok(self.tasks_in(false, Some(lo), Some(hi))?.into_iter().filter(keep).collect())
    }

    /// Open tasks due up to `until` (overdue included), by due time: timed
    /// ones due by then, all-day ones whose day has begun by then (in the
    /// store's time zone).
    pub fn open_tasks_due_until(&self, until: DateTime<Utc>) -> Result<Vec<Task>> {
        let last_day = until.with_timezone(&self.time_zone()).date_naive();
        let keep = |t: &Task| match t.day() {
            Some(day) => day <= last_day,
            None => t.due <= until,
        };
        let hi = (until + Duration::milliseconds(1)).max(day_start(next_day(last_day)));
        Ok(self.tasks_in(false, None, Some(hi))?.into_iter().filter(keep).collect())
    }

    /// The open tasks of a view, with their key range. Timed tasks fall in by
    /// their instant against the local day bounds, all-day ones by their day;
    /// as all-day keys sit at UTC midnight, up to 14 hours from the local
    /// bounds, a range covers both and `keep` decides. Keys in `sure` all
    /// qualify, so counting decodes only the keys outside it.
    fn open_view(view: TaskView, tz: Tz, now: DateTime<Utc>) -> Option<OpenView> {
        let today = now.with_timezone(&tz).date_naive();
        let local = |d: NaiveDate| local_day_start(d, tz);
        let days = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today);
        let (start, end) = (local(today), local(days(1)));
        Some(match view {
            TaskView::Overdue => OpenView {
                range: (None, Some(now.max(day_start(today)))),
                sure: Some((None, Some(now.min(day_start(today))))),
                keep: Box::new(move |t| t.day().map_or(t.due < now, |d| d < today)),
            },
            TaskView::Today => OpenView {
                range: (Some(start.min(day_start(today))), Some(end.max(day_start(days(1))))),
                sure: None,
                keep: Box::new(move |t| t.day().map_or(now <= t.due && t.due < end, |d| d == today)),
            },
            TaskView::Upcoming => {
                let (first, last) = (days(1), days(8));
                let until = local(last);
                OpenView {
                    range: (Some(end.min(day_start(first))), Some(until.max(day_start(last)))),
                    sure: Some((Some(end.max(day_start(first))), Some(until.min(day_start(last))))),
                    keep: Box::new(move |t| {
                        t.day().map_or(end <= t.due && t.due < until, |d| first <= d && d < last)
                    }),
                }
            }
            TaskView::Open | TaskView::Done => return None,
        })
    }

    /// The tasks of a view, by due time (done: newest first).
    pub fn tasks(&self, view: TaskView, tz: Tz, now: DateTime<Utc>) -> Result<Vec<Task>> {
        Ok(match view {
            TaskView::Open => self.tasks_in(false, None, None)?,
            TaskView::Done => {
                let mut done = self.tasks_in(true, None, None)?;
                done.sort_by_key(|t| std::cmp::Reverse(t.done_at));
                done
            }
            _ => {
                let Some(v) = Self::open_view(view, tz, now) else { return Ok(vec![]) };
                self.tasks_in(false, v.range.0, v.range.1)?.into_iter().filter(|t| (v.keep)(t)).collect()
            }
        })
    }

    /// How many open tasks a view holds: keys in its sure range are counted
    /// as they are, only the few near its ends are decoded.
    fn count_view(&self, view: TaskView, tz: Tz, now: DateTime<Utc>) -> Result<u32> {
        let Some(v) = Self::open_view(view, tz, now) else { return Ok(0) };
        let count = |tasks: Vec<Task>| {
            u32::try_from(tasks.iter().filter(|t| (v.keep)(t)).count()).unwrap_or(u32::MAX)
        };
        let Some(sure) = v.sure else {
            return Ok(count(self.tasks_in(false, v.range.0, v.range.1)?));
        };
        let below = match sure.0 {
            Some(a) => count(self.tasks_in(false, v.range.0, Some(a))?),
            None => 0,
        };
        let above = match sure.1 {
            Some(b) => count(self.tasks_in(false, Some(b), v.range.1)?),
            None => 0,
        };
        Ok(self.count_in(sure.0, sure.1)? + below + above)
    }

    /// Counts for the tray and the views, from index keys where they decide.
    pub fn task_counts(&self, tz: Tz, now: DateTime<Utc>) -> Result<TaskCounts> {
        Ok(TaskCounts {
            overdue: self.count_view(TaskView::Overdue, tz, now)?,
            today: self.count_view(TaskView::Today, tz, now)?,
            upcoming: self.count_view(TaskView::Upcoming, tz, now)?,
            open: self.count_in(None, None)?,
        })
    }

    /// A contact's tasks (open and done), by due time.
    pub fn contact_tasks(&self, contact: Uuid) -> Result<Vec<Task>> {
        self.t
            .tasks_by_contact
            .scan_prefix(contact.as_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                let id = Uuid::from_slice(&k[24..40]).map_err(|e| Error::Storage(e.to_string()))?;
                self.task(id)
            })
            .collect()
    }

    /// When the next open task with a time falls due after `now`: from then
    /// on it counts as overdue, so the tray and the window recount.
    pub fn next_due_after(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let from = now + Duration::milliseconds(1);
        for key in self.due_keys(false, Some(from), None) {
            let key = key?;
            let at = key.get(1..9).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_be_bytes);
            let at = at.and_then(|ms| DateTime::from_timestamp_millis(i64::try_from(ms).ok()?));
            if let Some(at) = at.filter(|at| *at > now) {
                return Ok(Some(at));
            }
        }
        Ok(None)
    }

    /// When the next unfired reminder is due, from the queue's first entry.
    pub fn next_reminder_at(&self) -> Result<Option<DateTime<Utc>>> {
        match self.t.reminder_queue.first()? {
            Some((key, _)) => Ok(Some(queue_parts(&key)?.0)),
            None => Ok(None),
        }
    }

    /// Every reminder due at `now`, marked fired before it is returned (so
    /// it is handed out once, across restarts), oldest first.
    pub fn take_due_reminders(&self, now: DateTime<Utc>) -> Result<Vec<DueReminder>> {
        let mut end = ms(now).to_vec();
        end.push(0xFF);
        let due = self
            .t
            .reminder_queue
            .range(..end)
            .keys()
            .map(|k| queue_parts(&k?))
            .collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(due.len());
        for (fire_at, id, slot) in due {
            let written = self.write_task(id, now, |old| {
                let mut task = old.ok_or_else(|| task_not_found(id))?;
                if slot == SNOOZE_SLOT {
                    task.snooze_fired = true;
                } else if let Some(r) = task.reminders.get_mut(slot as usize) {
                    r.fired = true;
                }
                Ok(vec![task])
            });
            match written {
                Ok(tasks) => {
                    out.extend(tasks.into_iter().map(|task| DueReminder { task, fire_at, about: None }))
                }
                // A queue entry whose task is gone: drop the entry.
                Err(Error::NotFound { .. }) => {
                    self.t.reminder_queue.remove(queue_key(fire_at, id, slot))?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

/// Due-index bounds [from, to); `None` is open-ended.
type KeyRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The open tasks of a view: the key range to read, the part of it whose
/// keys all qualify, and the test for the rest.
struct OpenView {
    range: KeyRange,
    /// Where every key qualifies (none: decode them all).
    sure: Option<KeyRange>,
    keep: Box<dyn Fn(&Task) -> bool>,
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

fn task_not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "task", id: id.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_tasks_of_an_older_store_are_moved_to_their_day_once() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let id;
        {
            let store = Store::open(dir.path()).unwrap();
            let input = TaskInput { title: "Messe".into(), due: "2026-11-24".into(), ..Default::default() };
            let mut task = store.create_task(input, store.time_zone(), now).unwrap();
            id = task.id;
            // As an older Kontor wrote it: local midnight, no day.
            let old = task.clone();
            let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
            task.due = local_day_start(day, crate::task::system_timezone());
            task.due_date = None;
            store.transact(now, |tx| replace(tx, Some(&old), Some(&task))).unwrap();
            store.t.meta.remove("all_day_due_at_utc_midnight").unwrap();
            store.db.flush().unwrap();
        }
        // Reopened on the same machine, in the zone the task was written in.
        let store = Store::open(dir.path()).unwrap();
        let task = store.task(id).unwrap();
        assert_eq!(task.due_date, NaiveDate::from_ymd_opt(2026, 11, 24));
        assert_eq!(task.due, Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap());
        assert!(store.t.meta.get("all_day_due_at_utc_midnight").unwrap().is_some());
    }

    #[test]
    fn the_next_due_moment_is_the_next_open_task_falling_due_after_now() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let add = |title: &str, due: &str| {
            let input = TaskInput { title: title.into(), due: due.into(), ..Default::default() };
            store.create_task(input, store.time_zone(), now).unwrap()
        };
        assert_eq!(store.next_due_after(now).unwrap(), None);
        add("overdue", "2026-11-20T11:00:00Z");
        let soon = add("soon", "2026-11-20T12:30:00Z");
        add("later", "2026-11-20T15:00:00Z");
        assert_eq!(store.next_due_after(now).unwrap(), Some(soon.due));
        store.complete_task(soon.id, store.time_zone(), now).unwrap();
        assert_eq!(store.next_due_after(now).unwrap(), Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).single());
        // exactly at a due time, the next one is after it
        assert_eq!(
            store.next_due_after(Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn a_snooze_past_the_due_time_postpones_the_task_so_it_is_no_longer_overdue() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let tz = chrono_tz::Europe::Berlin;
        store.set_time_zone(tz);
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let add = |title: &str, due: &str| {
            let input =
                TaskInput { title: title.into(), due: due.into(), reminders: vec![0], ..Default::default() };
            store.create_task(input, tz, now).unwrap()
        };
        let timed = add("call", "2026-11-19T10:00:00Z");
        let day = add("visit", "2026-11-19");
        let later = add("offer", "2026-11-20T15:00:00Z");
        assert_eq!(store.task_counts(tz, now).unwrap().overdue, 2);
        let tomorrow_nine = Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap();
        let t = store.snooze_task(timed.id, tomorrow_nine, now).unwrap();
        assert_eq!(t.due, tomorrow_nine);
        assert_eq!(t.reminders[0].fire_at, tomorrow_nine);
        let d = store.snooze_task(day.id, tomorrow_nine, now).unwrap();
        assert_eq!(d.due_date, NaiveDate::from_ymd_opt(2026, 11, 21));
        assert_eq!(d.reminders[0].fire_at, tomorrow_nine, "09:00 local on its new day");
        let counts = store.task_counts(tz, now).unwrap();
        assert_eq!((counts.overdue, counts.today), (0, 1));
        // A reminder an hour ahead of a later due time leaves the due time alone.
        let l = store.snooze_task(later.id, now + Duration::hours(1), now).unwrap();
        assert_eq!(l.due, later.due);
    }
}

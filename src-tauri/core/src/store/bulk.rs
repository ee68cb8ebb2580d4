//! Bulk changes to many contacts at once (stage, tag, a task for each):
//! each in one transaction, which also keeps what it replaced so that the
//! toast's Undo can put it back (in one transaction too).
//!
//! Invariants: a contact the change does not apply to (a stage move the
//! lifecycle forbids, a tag it already has) is left as it is and reported,
//! and the others are still changed; an undo puts back only contacts not
//! changed since, and removes only tasks still open and unchanged; the
//! newest [`UNDO_KEPT`] undo records are kept.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::activities::activity_key;
use super::contacts::{put_contact, sums_tx};
use super::deals::put_deal;
use super::privacy::remove_contact;
use super::tasks::{replace as put_task, settle_past_reminders};
use super::{abort, decode_tx, encode_tx, new_id, Store};
use crate::activity::Activity;
use crate::automation::{AutomationOutcome, Event};
use crate::contact::{same_entry, Contact};
use crate::deal::Deal;
use crate::error::{Error, ErrorCode, Result};
use crate::lifecycle::check_transition;
use crate::score::EngagementSums;
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::task::{Task, TaskInput};

/// Most contacts one bulk change takes.
pub const MAX_BULK: usize = 10_000;
/// How many bulk changes stay undoable.
pub const UNDO_KEPT: usize = 20;
/// Meta keys of undo records.
pub(super) const UNDO_PREFIX: &[u8] = b"undo:";

/// What to do to every selected contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum BulkChange {
    /// Move to a lifecycle stage (by hand; the lifecycle's rules apply).
    Stage {
        /// The stage.
        to: Stage,
        /// Why (needed for disqualified).
        reason: Option<String>,
    },
    /// Add a tag.
    AddTag {
        /// The tag.
        tag: String,
    },
    /// Remove a tag (case does not matter).
    RemoveTag {
        /// The tag.
        tag: String,
    },
    /// Create this task for each contact (its `contact_id` is ignored).
    Task {
        /// The task.
        input: TaskInput,
    },
    /// Delete the contacts with their activities, tasks and deals (Undo
    /// brings them back for a day; erasing a person for good is
    /// `erase_person`).
    Delete,
}

/// A contact a bulk change left as it was, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkSkip {
    /// The contact.
    pub id: Uuid,
    /// Its name (empty when it no longer exists).
    pub name: String,
    /// Why, as an error code (`invalid_transition`, `same_stage`, `not_found` ...).
    pub code: ErrorCode,
    /// Why, in English.
    pub message: String,
}

/// What a bulk change did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkOutcome {
    /// Contacts changed (or given a task).
    pub changed: u32,
    /// Contacts left as they were: the change did not apply.
    pub skipped: Vec<BulkSkip>,
    /// Contacts that already were as asked (had the tag, lacked it).
    pub unchanged: u32,
    /// Hand this to `undo_bulk` to take the change back; `None` when nothing changed.
    pub undo: Option<Uuid>,
    /// What the rules the change fired did.
    pub automation: Vec<AutomationOutcome>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UndoOutcome {
    /// Contacts put back.
    pub restored: u32,
    /// Tasks removed.
    pub tasks_removed: u32,
    /// Contacts changed since the bulk change, left as they are now.
    pub kept: u32,
}

/// What a bulk change replaced.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct UndoRecord {
    /// When the change was made (contacts it wrote carry this `updated_at`).
    at: DateTime<Utc>,
    /// The contacts before the change.
    before: Vec<Contact>,
    /// Tasks the change created (and the rules it fired).
    tasks: Vec<Uuid>,
    /// Contacts it deleted, with everything that was theirs.
    #[serde(default)]
    removed: Vec<Removed>,
}

/// A deleted contact and what was theirs, to put back.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Removed {
    contact: Contact,
    activities: Vec<Activity>,
    sums: Option<EngagementSums>,
    tasks: Vec<Task>,
    deals: Vec<Deal>,
}

/// A contact's activities, tasks and deals.
type Theirs = (Vec<Activity>, Vec<Task>, Vec<Deal>);

/// How long a bulk change stays undoable.
const UNDO_HOURS: i64 = 24;

fn undo_key(token: Uuid) -> Vec<u8> {
    [UNDO_PREFIX, token.as_bytes()].concat()
}

fn skip(c: &Contact, e: &Error) -> BulkSkip {
    BulkSkip { id: c.id, name: c.display_name.clone(), code: e.code(), message: e.to_string() }
}

/// A tag as the contact form keeps it: trimmed, one line, not empty.
fn clean_tag(tag: &str) -> Result<String> {
    let tag = tag.trim();
    if tag.is_empty() || tag.chars().count() > 100 || tag.chars().any(char::is_control) {
        return Err(Error::InvalidInput {
            field: "tag",
            reason: "a tag is one line of 1 to 100 characters".into(),
        });
    }
    Ok(tag.to_owned())
}

/// The contact after `change`, `Ok(None)` when it already is as asked.
fn apply(c: &Contact, change: &BulkChange, now: DateTime<Utc>) -> Result<Option<Contact>> {
    let mut new = c.clone();
    match change {
        BulkChange::Stage { to, reason } => {
            let reason = check_transition(c.stage, *to, reason.as_deref(), false)?;
            new.stage_history.push(StageChange {
                from: Some(c.stage),
                to: *to,
                at: now,
                reason,
                by: ChangedBy::Hand,
            });
            new.stage = *to;
        }
        BulkChange::AddTag { tag } => {
            if c.tags.iter().any(|t| same_entry(t, tag)) {
                return Ok(None);
            }
            new.tags.push(tag.clone());
        }
        BulkChange::RemoveTag { tag } => {
            new.tags.retain(|t| !same_entry(t, tag));
            if new.tags.len() == c.tags.len() {
                return Ok(None);
            }
        }
        BulkChange::Task { .. } | BulkChange::Delete => return Ok(None),
    }
    new.updated_at = now;
    Ok(Some(new))
}

impl Store {
    /// Applies `change` to the contacts `ids` in one transaction.
    pub fn bulk_change(
        &self,
        ids: &[Uuid],
        change: &BulkChange,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<BulkOutcome> {
        if ids.len() > MAX_BULK {
            return Err(Error::InvalidInput {
                field: "ids",
                reason: format!("at most {MAX_BULK} contacts at once"),
            });
        }
        let mut seen = HashSet::new();
        let ids: Vec<Uuid> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        let change = match change {
            BulkChange::AddTag { tag } => BulkChange::AddTag { tag: clean_tag(tag)? },
            BulkChange::RemoveTag { tag } => BulkChange::RemoveTag { tag: clean_tag(tag)? },
            BulkChange::Task { input } => {
                // Checked once before the transaction: a bad task fails as a whole.
                input.clone().into_task(Uuid::nil(), tz, now)?;
                change.clone()
            }
            other => other.clone(),
        };
        // Task ids are made outside the transaction, which may run again.
        let task_ids: Vec<Uuid> = match &change {
            BulkChange::Task { .. } => ids.iter().map(|_| new_id(now)).collect(),
            _ => Vec::new(),
        };
        // What deleted contacts take with them, gathered before (the
        // transaction cannot scan).
        let mut theirs: HashMap<Uuid, Theirs> = HashMap::new();
        if change == BulkChange::Delete {
            for id in &ids {
                if self.raw_contact(*id).is_ok() {
                    theirs.insert(
                        *id,
                        (self.all_activities(*id)?, self.contact_tasks(*id)?, self.contact_deals(*id)?),
                    );
                }
            }
        }
        let token = new_id(now);
        let (record, skipped, unchanged) = self.transact(now, |tx| {
            let mut record = UndoRecord { at: now, ..Default::default() };
            let (mut skipped, mut unchanged) = (Vec::new(), 0u32);
            for (i, id) in ids.iter().enumerate() {
                let Some(bytes) = tx.contacts.get(id.as_bytes())? else {
                    let e = super::contacts::not_found(*id);
                    skipped.push(BulkSkip {
                        id: *id,
                        name: String::new(),
                        code: e.code(),
                        message: e.to_string(),
                    });
                    continue;
                };
                let old: Contact = decode_tx(&bytes)?;
                if change == BulkChange::Delete {
                    let (activities, tasks, deals) = theirs.get(id).cloned().unwrap_or_default();
                    let sums = sums_tx(tx, *id)?;
                    let keys: Vec<(Vec<u8>, Uuid)> =
                        activities.iter().map(|a| (activity_key(a), a.id)).collect();
                    remove_contact(tx, &old, &keys, &tasks, &deals)?;
                    record.removed.push(Removed { contact: old, activities, sums, tasks, deals });
                    continue;
                }
                if let BulkChange::Task { input } = &change {
                    let input = TaskInput { contact_id: Some(*id), deal_id: None, ..input.clone() };
                    let mut task: Task = input.into_task(task_ids[i], tz, now).or_else(abort)?;
                    settle_past_reminders(&mut task, now);
                    put_task(tx, None, Some(&task))?;
                    record.tasks.push(task.id);
                    continue;
                }
                match apply(&old, &change, now) {
                    Ok(Some(new)) => {
                        put_contact(tx, Some(&old), Some(&new))?;
                        record.before.push(old);
                    }
                    Ok(None) => unchanged += 1,
                    Err(e) => skipped.push(skip(&old, &e)),
                }
            }
            if !record.before.is_empty() || !record.tasks.is_empty() || !record.removed.is_empty() {
                tx.meta.insert(undo_key(token), encode_tx(&record)?)?;
            }
            Ok((record, skipped, unchanged))
        })?;
        let changed = record.before.len().max(record.tasks.len()).max(record.removed.len());
        let mut automation = Vec::new();
        if let BulkChange::Stage { to, .. } = change {
            let events: Vec<Event> =
                record.before.iter().map(|c| Event::ContactStageChanged { contact_id: c.id, to }).collect();
            automation = self.run_rules(&events, now);
            self.remember_rule_tasks(token, &automation, now)?;
        }
        self.prune_undo(now)?;
        Ok(BulkOutcome {
            changed: u32::try_from(changed).unwrap_or(u32::MAX),
            skipped,
            unchanged,
            undo: (changed > 0).then_some(token),
            automation,
        })
    }

    /// Adds the tasks the rules made to the undo record `token`.
    fn remember_rule_tasks(
        &self,
        token: Uuid,
        outcomes: &[AutomationOutcome],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let made: Vec<Uuid> = outcomes
            .iter()
            .filter_map(|o| match o {
                AutomationOutcome::TaskCreated { task } => Some(task.id),
                _ => None,
            })
            .collect();
        if made.is_empty() {
            return Ok(());
        }
        self.transact(now, |tx| {
            let Some(bytes) = tx.meta.get(undo_key(token))? else { return Ok(()) };
            let mut record: UndoRecord = decode_tx(&bytes)?;
            record.tasks.extend(&made);
            tx.meta.insert(undo_key(token), encode_tx(&record)?)?;
            Ok(())
        })
    }

    /// Keeps the newest [`UNDO_KEPT`] undo records of the last day: what a
    /// deletion keeps for its Undo is gone after that.
    pub(super) fn prune_undo(&self, now: DateTime<Utc>) -> Result<()> {
        let mut old = Vec::new();
        let mut kept = Vec::new();
        for entry in self.t.meta.scan_prefix(UNDO_PREFIX) {
            let (key, value) = entry?;
            let at = super::decode::<UndoRecord>(&value).map(|r| r.at).unwrap_or(now);
            if now - at > Duration::hours(UNDO_HOURS) {
                old.push(key);
            } else {
                kept.push(key);
            }
        }
        if kept.len() > UNDO_KEPT {
            old.extend(kept.drain(..kept.len() - UNDO_KEPT));
        }
        if old.is_empty() {
            return Ok(());
        }
        self.transact(now, |tx| {
            for k in &old {
                tx.meta.remove(k)?;
            }
            Ok(())
        })
    }

    /// The undo records that hold contact `id` (as it was before a change,
    /// or deleted): erasing a person drops them with the rest.
    pub(super) fn undo_keys_naming(&self, id: Uuid) -> Result<Vec<sled::IVec>> {
        let mut keys = Vec::new();
        for entry in self.t.meta.scan_prefix(UNDO_PREFIX) {
            let (key, value) = entry?;
            let Ok(record) = super::decode::<UndoRecord>(&value) else { continue };
            if record.before.iter().any(|c| c.id == id) || record.removed.iter().any(|r| r.contact.id == id) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// Takes a bulk change back: contacts not changed since get their
    /// earlier state, its open and unchanged tasks are removed.
    pub fn undo_bulk(&self, token: Uuid, now: DateTime<Utc>) -> Result<UndoOutcome> {
        self.transact(now, |tx| {
            let Some(bytes) = tx.meta.get(undo_key(token))? else {
                return abort(Error::NotFound { kind: "undo", id: token.to_string() });
            };
            let record: UndoRecord = decode_tx(&bytes)?;
            let mut out = UndoOutcome { restored: 0, tasks_removed: 0, kept: 0 };
            for r in &record.removed {
                if tx.contacts.get(r.contact.id.as_bytes())?.is_some() {
                    out.kept += 1;
                    continue;
                }
                for a in &r.activities {
                    tx.activities.insert(activity_key(a), encode_tx(a)?)?;
                    tx.activity_keys.insert(a.id.as_bytes(), activity_key(a))?;
                    super::sync::record(tx, crate::sync::EntityKind::Activity, a.id, None, Some(a))?;
                }
                if let Some(sums) = &r.sums {
                    tx.engagement.insert(r.contact.id.as_bytes(), encode_tx(sums)?)?;
                }
                put_contact(tx, None, Some(&r.contact))?;
                for task in &r.tasks {
                    put_task(tx, None, Some(task))?;
                }
                for deal in &r.deals {
                    put_deal(tx, deal.id, None, Some(deal))?;
                }
                out.restored += 1;
            }
            for before in &record.before {
                let current: Option<Contact> = match tx.contacts.get(before.id.as_bytes())? {
                    Some(b) => Some(decode_tx(&b)?),
                    None => None,
                };
                match current {
                    Some(c) if c.updated_at == record.at => {
                        put_contact(tx, Some(&c), Some(before))?;
                        out.restored += 1;
                    }
                    _ => out.kept += 1,
                }
            }
            for id in &record.tasks {
                if let Some(b) = tx.tasks.get(id.as_bytes())? {
                    let task: Task = decode_tx(&b)?;
                    if !task.done && task.updated_at == task.created_at {
                        put_task(tx, Some(&task), None)?;
                        out.tasks_removed += 1;
                    }
                }
            }
            tx.meta.remove(undo_key(token))?;
            Ok(out)
        })
    }
}

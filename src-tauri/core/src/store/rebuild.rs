//! Keeping derived data whole: rebuilding it from the records when it is
//! missing (an older layout, an interrupted rebuild, a restore, new scoring
//! settings), and the upkeep the app runs in the background (merging the
//! search delta, sweeping expired ready windows).
//!
//! Invariant: a rebuild is marked in `meta/rebuild` before it starts and
//! the mark is cleared in the transaction that completes it, so a crash
//! midway repeats it at the next open.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::sums_tx;
use super::organizations::member_key;
use super::{counters, decode_tx, id_from_index_key, ready, Rebuild, Store, REBUILD};
use crate::contact::Contact;
use crate::error::Result;
use crate::stage::Stage;

/// Contacts per transaction when ready windows are computed anew.
const CHUNK: usize = 1000;

/// What [`Store::maintain`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkeep {
    /// Derived data was rebuilt from the records.
    pub rebuilt: bool,
    /// The search delta was merged into a new segment.
    pub merged: bool,
    /// Expired ready windows removed.
    pub swept: usize,
}

impl Store {
    /// Rebuilds whatever derived data is marked for it: ready windows and
    /// the organisation index from the contacts, the search index from the
    /// contacts, organisations and deals. Lists and search work meanwhile
    /// (with what is there); [`Store::needs_rebuild`] is true until it ends.
    pub fn rebuild_derived(&self, now: DateTime<Utc>) -> Result<()> {
        let pending = self.rebuild_pending()?;
        if pending.has(Rebuild::CONTACTS) {
            self.rebuild_contacts_derived(now)?;
        }
        if pending.has(Rebuild::SEARCH) {
            self.rebuild_search(now)?;
        }
        self.rebuilding.store(self.rebuild_pending()? != Rebuild::NONE, Ordering::SeqCst);
        Ok(())
    }

    /// Computes every contact's ready window and organisation key anew (in
    /// transactions of [`CHUNK`] contacts, each reading its contacts inside,
    /// so a concurrent edit is never overwritten), then clears the mark.
    pub(super) fn rebuild_contacts_derived(&self, now: DateTime<Utc>) -> Result<()> {
        // Start clean, in one transaction: windows, their keys and
        // counters, the organisation index.
        let all = |tree: &sled::Tree| -> Result<Vec<sled::IVec>> {
            Ok(tree.iter().keys().collect::<sled::Result<_>>()?)
        };
        let old =
            [all(&self.t.ready)?, all(&self.t.ready_until)?, all(&self.t.ready_base)?, all(&self.t.by_org)?];
        self.transact(now, |tx| {
            let trees = [tx.ready, tx.ready_until, tx.ready_base, tx.by_org];
            for (tree, keys) in trees.iter().zip(&old) {
                for key in keys {
                    tree.remove(key)?;
                }
            }
            for stage in [Stage::Lead, Stage::Prospect] {
                tx.counters.insert(&counters::ready_key(stage), &0u64.to_be_bytes())?;
            }
            Ok(())
        })?;
        drop(old);
        let ids: Vec<Uuid> =
            self.t.contacts.iter().keys().map(|k| id_from_index_key(&k?)).collect::<Result<_>>()?;
        for chunk in ids.chunks(CHUNK) {
            self.transact(now, |tx| {
                for id in chunk {
                    let Some(bytes) = tx.contacts.get(id.as_bytes())? else { continue };
                    let c: Contact = decode_tx(&bytes)?;
                    if let Some(org) = c.organization_id {
                        tx.by_org.insert(&member_key(org, c.id), &[])?;
                    }
                    let sums = sums_tx(tx, c.id)?;
                    ready::put(tx, c.id, Some(&c), sums.as_ref())?;
                }
                Ok(())
            })?;
        }
        self.transact(now, |tx| {
            let pending = tx.meta.get(REBUILD)?.and_then(|v| v.first().copied()).unwrap_or(0);
            tx.meta.insert(REBUILD, &[pending & !Rebuild::CONTACTS.0])?;
            Ok(())
        })?;
        self.rebuilding.store(self.rebuild_pending()? != Rebuild::NONE, Ordering::SeqCst);
        Ok(())
    }

    /// The upkeep the app runs from time to time off the main thread (and
    /// the CLI after a command that wrote): a pending rebuild, a delta merge
    /// when the delta has grown, sweeping expired ready windows, and
    /// dropping undo records past their day.
    pub fn maintain(&self, now: DateTime<Utc>) -> Result<Upkeep> {
        let mut upkeep = Upkeep::default();
        if self.needs_rebuild() {
            self.rebuild_derived(now)?;
            upkeep.rebuilt = true;
        }
        upkeep.merged = self.merge_search_delta(now)?;
        upkeep.swept = self.sweep_ready(now)?;
        self.prune_undo(now)?;
        Ok(upkeep)
    }
}

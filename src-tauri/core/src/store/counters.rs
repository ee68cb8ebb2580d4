//! Counters kept in the same transactions as the writes they count, so
//! counts are read, never walked: contacts per stage, ready-to-qualify
//! windows per stage, open tasks, and the search delta's sequence.

use sled::transaction::TransactionalTree;

use super::{stage_tag, TxResult};
use crate::error::Result;
use crate::stage::Stage;

/// Sequence number of the last search delta entry.
pub(super) const SEARCH_SEQ: &[u8] = b"seq";
/// Open tasks.
pub(super) const OPEN_TASKS: &[u8] = b"t";

/// Key of the number of contacts in `stage`.
pub(super) fn contacts_key(stage: Stage) -> [u8; 2] {
    [b'c', stage_tag(stage)]
}

/// Key of the number of ready windows of contacts in `stage`.
pub(super) fn ready_key(stage: Stage) -> [u8; 2] {
    [b'r', stage_tag(stage)]
}

fn value(bytes: Option<&[u8]>) -> u64 {
    bytes.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}

/// Adds `delta` to a counter inside a transaction; returns the new value.
pub(super) fn add(tree: &TransactionalTree, key: &[u8], delta: i64) -> TxResult<u64> {
    let old = value(tree.get(key)?.as_deref());
    let new = old.saturating_add_signed(delta);
    tree.insert(key, &new.to_be_bytes())?;
    Ok(new)
}

/// A counter's value.
pub(super) fn get(tree: &sled::Tree, key: &[u8]) -> Result<u64> {
    Ok(value(tree.get(key)?.as_deref()))
}

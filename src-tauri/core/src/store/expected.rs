//! What the store must hold, kept beside it: sled can lose the end of its
//! log to damage and then open a smaller store (or, without its `conf`
//! file, an empty one) as if nothing happened. Every transaction counts up
//! a write sequence number in the store; after each flush the number and
//! the count of contacts go into a small owner-only side file,
//! `<data dir>/expected`. At open, a store whose sequence is older than
//! the file's, or that holds fewer contacts at the same sequence, is
//! damaged — never shown as a smaller or a new store.
//!
//! The side file is written after the store's flush and never synced on
//! its own: lost or stale, it says less than the store holds, which is no
//! alarm; only the store itself can be behind it.

use serde::{Deserialize, Serialize};

use super::{counters, Store, Tx, TxResult};
use crate::error::{Error, Result};
use crate::stage::Stage;

/// Meta key of the write sequence number (u64, big-endian).
pub(super) const WRITE_SEQ: &str = "write_seq";
/// The side file's name in the data directory.
pub(crate) const FILE: &str = "expected";

/// The side file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Expected {
    seq: u64,
    contacts: u64,
}

fn value(bytes: Option<&[u8]>) -> u64 {
    bytes.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}

/// What the store holds after a transaction, read inside it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Written(Expected);

/// Counts the transaction in the write sequence and reads what the store
/// holds with it, inside the transaction: read after the flush instead,
/// another thread's transaction that is committed but not yet flushed
/// would count, and a crash before its flush would then leave a store
/// behind the side file.
pub(super) fn bump(tx: &Tx) -> TxResult<Written> {
    let seq = value(tx.meta.get(WRITE_SEQ)?.as_deref()) + 1;
    tx.meta.insert(WRITE_SEQ, &seq.to_be_bytes())?;
    let mut contacts = 0;
    for stage in Stage::ALL {
        contacts += value(tx.counters.get(counters::contacts_key(stage))?.as_deref());
    }
    Ok(Written(Expected { seq, contacts }))
}

impl Store {
    /// The number of transactions written so far (what changed since a
    /// moment shows in it: the app's hourly backup looks).
    pub fn write_seq(&self) -> u64 {
        self.t.meta.get(WRITE_SEQ).ok().flatten().map_or(0, |v| value(Some(&v)))
    }

    fn contacts_total(&self) -> Result<u64> {
        Stage::ALL.iter().map(|s| counters::get(&self.t.counters, &counters::contacts_key(*s))).sum()
    }

    fn expected_now(&self) -> Result<Expected> {
        Ok(Expected { seq: value(self.t.meta.get(WRITE_SEQ)?.as_deref()), contacts: self.contacts_total()? })
    }

    /// Writes the side file after the flush of the transaction that
    /// `written` comes from (best effort: a side file that cannot be written
    /// stays behind, which only weakens the check). A transaction that
    /// flushed after a later one does not step the file back.
    pub(super) fn record_expected(&self, written: Written) {
        let Written(now) = written;
        let Ok(bytes) = serde_json::to_vec(&now) else { return };
        let mut last = super::lock(&self.expected_lock);
        if now.seq <= *last {
            return;
        }
        *last = now.seq;
        let path = self.dir.join(FILE);
        let tmp = self.dir.join(format!("{FILE}.kontor-tmp"));
        let written = crate::paths::private_file(&tmp)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Whether the side file exists (then a store was here).
    pub(super) fn expected_exists(dir: &std::path::Path) -> bool {
        dir.join(FILE).exists()
    }

    /// Compares the store with its side file (see the module's text).
    pub(super) fn check_expected(&self) -> Result<()> {
        let Ok(bytes) = std::fs::read(self.dir.join(FILE)) else { return Ok(()) };
        let Ok(expected) = serde_json::from_slice::<Expected>(&bytes) else { return Ok(()) };
        let found = self.expected_now()?;
        let damaged = |what: String| Err(Error::StoreCorrupt { path: self.dir.clone(), reason: what });
        if found.seq < expected.seq {
            return damaged(format!(
                "it is older than its last write (write {} of {}): the files lost data",
                found.seq, expected.seq
            ));
        }
        // An import cut off between its records and their counts is
        // completed right after this check; its counters lag until then.
        let counting = self.t.meta.get(super::import::PENDING_IMPORT)?.is_none();
        if counting && found.seq == expected.seq && found.contacts < expected.contacts {
            return damaged(format!(
                "it holds {} contacts where it held {}: the files lost data",
                found.contacts, expected.contacts
            ));
        }
        Ok(())
    }
}

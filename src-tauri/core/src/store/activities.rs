//! The store's side of the communication log: the activity timeline (one
//! tree keyed by contact and time) and per-contact engagement sums.
//!
//! Invariant: an activity, its key index entry, its contact's engagement
//! sums and what depends on them (ready window, search recency) change in
//! one transaction.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use super::contacts::{not_found, sums_tx};
use super::{abort, decode, decode_tx, encode, encode_tx, new_id, ready, search, Store, Tx, TxResult};
use crate::activity::{Activity, ActivityInput, ActivityKind, ActivityPage, ActivityQuery};
use crate::automation::Changed;
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::score::EngagementSums;

/// Activity key: contact id, inverted time (newest first), activity id, kind.
pub(super) fn activity_key(a: &Activity) -> Vec<u8> {
    let inverted = u64::MAX - u64::try_from(a.at.timestamp_millis()).unwrap_or(0);
    let mut key = Vec::with_capacity(41);
    key.extend_from_slice(a.contact_id.as_bytes());
    key.extend_from_slice(&inverted.to_be_bytes());
    key.extend_from_slice(a.id.as_bytes());
    key.push(a.kind.index() as u8);
    key
}

/// (contact, kind, at) from an activity key.
pub(super) fn parse_activity_key(key: &[u8]) -> Result<(Uuid, ActivityKind, DateTime<Utc>)> {
    let bad = || Error::Storage("malformed activity key".into());
    if key.len() != 41 {
        return Err(bad());
    }
    let contact = Uuid::from_slice(&key[..16]).map_err(|_| bad())?;
    let inverted = u64::from_be_bytes(key[16..24].try_into().map_err(|_| bad())?);
    let ms = i64::try_from(u64::MAX - inverted).map_err(|_| bad())?;
    let at = Utc.timestamp_millis_opt(ms).single().ok_or_else(bad)?;
    let kind = ActivityKind::from_index(key[40]).ok_or_else(bad)?;
    Ok((contact, kind, at))
}

/// (kind, at) of a contact's newest activities (all when `limit` is
/// `None`), newest first, from keys alone.
pub(super) fn activity_times(
    activities: &sled::Tree,
    contact: Uuid,
    limit: Option<usize>,
) -> Result<Vec<(ActivityKind, DateTime<Utc>)>> {
    activities
        .scan_prefix(contact.as_bytes())
        .keys()
        .take(limit.unwrap_or(usize::MAX))
        .map(|k| parse_activity_key(&k?).map(|(_, kind, at)| (kind, at)))
        .collect()
}

/// Writes a contact's engagement sums inside a transaction (none left:
/// removed) and refreshes what depends on them: its ready window and its
/// search entry's recency.
fn put_sums(tx: &Tx, contact_id: Uuid, sums: &EngagementSums) -> TxResult<()> {
    if sums.count() == 0 {
        tx.engagement.remove(contact_id.as_bytes())?;
    } else {
        tx.engagement.insert(contact_id.as_bytes(), encode_tx(sums)?)?;
    }
    let kept = (sums.count() > 0).then_some(sums);
    if let Some(bytes) = tx.contacts.get(contact_id.as_bytes())? {
        let contact: Contact = decode_tx(&bytes)?;
        ready::put(tx, contact_id, Some(&contact), kept)?;
        search::put_contact_doc(tx, &contact, kept)?;
    }
    Ok(())
}

/// Writes `new` in place of `old` (either may be none) inside a
/// transaction: its timeline key, its id's key, and the engagement sums
/// (with what depends on them) of the contacts concerned.
pub(super) fn put_activity(tx: &Tx, old: Option<&Activity>, new: Option<&Activity>) -> TxResult<()> {
    if let Some(id) = new.or(old).map(|a| a.id) {
        super::sync::record(tx, crate::sync::EntityKind::Activity, id, old, new)?;
    }
    let scoring = &tx.settings.scoring;
    if let Some(old) = old {
        tx.activities.remove(activity_key(old))?;
        tx.activity_keys.remove(old.id.as_bytes())?;
        let mut sums = sums_tx(tx, old.contact_id)?.unwrap_or_default();
        sums.remove(old.kind, old.at.timestamp_millis(), scoring);
        put_sums(tx, old.contact_id, &sums)?;
    }
    if let Some(new) = new {
        let key = activity_key(new);
        tx.activities.insert(key.as_slice(), encode_tx(new)?)?;
        tx.activity_keys.insert(new.id.as_bytes(), key.as_slice())?;
        let mut sums = sums_tx(tx, new.contact_id)?.unwrap_or_default();
        sums.add(new.kind, new.at.timestamp_millis(), scoring);
        put_sums(tx, new.contact_id, &sums)?;
    }
    Ok(())
}

/// The activity with this id, read inside a transaction.
pub(super) fn activity_tx(tx: &Tx, id: Uuid) -> TxResult<Option<Activity>> {
    let Some(key) = tx.activity_keys.get(id.as_bytes())? else { return Ok(None) };
    tx.activities.get(&key)?.map(|b| decode_tx(&b)).transpose()
}

impl Store {
    /// (kind, at) of a contact's newest activities (all when `limit` is
    /// `None`), newest first, from keys alone.
    pub(super) fn activity_times(
        &self,
        contact: Uuid,
        limit: Option<usize>,
    ) -> Result<Vec<(ActivityKind, DateTime<Utc>)>> {
        activity_times(&self.t.activities, contact, limit)
    }

    /// A contact's engagement sums.
    pub(super) fn sums(&self, contact: Uuid) -> Result<Option<EngagementSums>> {
        self.t.engagement.get(contact.as_bytes())?.map(|b| decode(&b)).transpose()
    }

    /// Logs an activity on a contact's timeline; returns it and the contact.
    pub fn log_activity(
        &self,
        contact_id: Uuid,
        input: ActivityInput,
        now: DateTime<Utc>,
    ) -> Result<Changed<(Activity, Contact)>> {
        let Changed { value: (mut logged, contact), automation } =
            self.log_activities(contact_id, vec![input], now)?;
        let activity = logged.pop().ok_or_else(|| Error::Storage("nothing logged".into()))?;
        Ok(Changed::new((activity, contact), automation))
    }

    /// Logs several activities on one contact's timeline at once (all or
    /// none), with the contact's engagement sums, ready window and search
    /// recency in the same transaction.
    pub fn log_activities(
        &self,
        contact_id: Uuid,
        inputs: Vec<ActivityInput>,
        now: DateTime<Utc>,
    ) -> Result<Changed<(Vec<Activity>, Contact)>> {
        self.raw_contact(contact_id)?;
        let before = if self.watches_score() { Some(self.contact(contact_id, now)?.score) } else { None };
        let activities = inputs
            .into_iter()
            .map(|input| input.into_activity(new_id(now), contact_id, now))
            .collect::<Result<Vec<_>>>()?;
        let records: Vec<(Vec<u8>, Vec<u8>)> =
            activities.iter().map(|a| Ok((activity_key(a), encode(a)?))).collect::<Result<_>>()?;
        // One contact's sums for the lot, written once (not per activity
        // as `put_activity` does: a log of many stays one sums write).
        self.transact(now, |tx| {
            if tx.contacts.get(contact_id.as_bytes())?.is_none() {
                return abort(not_found(contact_id));
            }
            let scoring = &tx.settings.scoring;
            let mut sums = sums_tx(tx, contact_id)?.unwrap_or_default();
            for ((key, record), activity) in records.iter().zip(&activities) {
                tx.activities.insert(key.as_slice(), record.as_slice())?;
                tx.activity_keys.insert(activity.id.as_bytes(), key.as_slice())?;
                sums.add(activity.kind, activity.at.timestamp_millis(), scoring);
                super::sync::record(
                    tx,
                    crate::sync::EntityKind::Activity,
                    activity.id,
                    None,
                    Some(activity),
                )?;
            }
            put_sums(tx, contact_id, &sums)
        })?;
        let contact = self.contact(contact_id, now)?;
        let mut fired = Vec::new();
        let contact = self.auto_advance(contact, now, &mut fired)?;
        self.score_rules(contact_id, before, contact.score, now, &mut fired);
        Ok(Changed::new((activities, contact), fired))
    }

    /// One activity.
    pub fn activity(&self, id: Uuid) -> Result<Activity> {
        let missing = || Error::NotFound { kind: "activity", id: id.to_string() };
        let key = self.t.activity_keys.get(id.as_bytes())?.ok_or_else(missing)?;
        decode(&self.t.activities.get(&key)?.ok_or_else(missing)?)
    }

    /// Every activity of a contact, newest first.
    pub(super) fn all_activities(&self, contact_id: Uuid) -> Result<Vec<Activity>> {
        self.t.activities.scan_prefix(contact_id.as_bytes()).values().map(|v| decode(&v?)).collect()
    }

    /// A page of a contact's timeline, newest first. The keys are walked
    /// up to the page's end only; the total comes from the per-kind counts
    /// kept with the engagement sums.
    pub fn list_activities(&self, contact_id: Uuid, query: &ActivityQuery) -> Result<ActivityPage> {
        self.raw_contact(contact_id)?;
        let wanted = |kind: ActivityKind| query.kinds.as_ref().is_none_or(|ks| ks.contains(&kind));
        let counts = self.sums(contact_id)?.map(|sums| sums.counts);
        let end = query.offset.saturating_add(query.limit);
        // Matching keys seen so far; without counts (no activity was ever
        // logged) the walk goes on to the end to count them.
        let mut seen = 0u32;
        let mut keys = Vec::new();
        for key in self.t.activities.scan_prefix(contact_id.as_bytes()).keys() {
            if counts.is_some() && seen >= end {
                break;
            }
            let key = key?;
            let (_, kind, _) = parse_activity_key(&key)?;
            if !wanted(kind) {
                continue;
            }
            if seen >= query.offset && keys.len() < query.limit as usize {
                keys.push(key);
            }
            seen += 1;
        }
        let total = match counts {
            Some(counts) => {
                ActivityKind::ALL.into_iter().filter(|k| wanted(*k)).map(|k| counts[k.index()]).sum()
            }
            None => seen,
        };
        let items = keys
            .iter()
            .map(|k| {
                let bytes =
                    self.t.activities.get(k)?.ok_or_else(|| Error::Storage("activity vanished".into()))?;
                decode(&bytes)
            })
            .collect::<Result<Vec<Activity>>>()?;
        let kind_counts = counts
            .map(|counts| {
                ActivityKind::ALL
                    .into_iter()
                    .filter(|k| counts[k.index()] > 0)
                    .map(|k| (k, counts[k.index()]))
                    .collect()
            })
            .unwrap_or_default();
        Ok(ActivityPage { items, total, kind_counts })
    }

    /// Deletes an activity; returns its contact.
    pub fn delete_activity(&self, activity_id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let contact_id = self.transact(now, |tx| {
            let old = activity_tx(tx, activity_id)?
                .ok_or_else(|| Error::NotFound { kind: "activity", id: activity_id.to_string() })
                .or_else(abort)?;
            put_activity(tx, Some(&old), None)?;
            Ok(old.contact_id)
        })?;
        self.contact(contact_id, now)
    }

    /// Edits an activity; the version it replaces stays in its `edits`.
    /// Its timeline place, the contact's engagement sums, ready window and
    /// search recency follow in the same transaction.
    pub fn update_activity(
        &self,
        activity_id: Uuid,
        input: ActivityInput,
        now: DateTime<Utc>,
    ) -> Result<Changed<(Activity, Contact)>> {
        let not_found = || Error::NotFound { kind: "activity", id: activity_id.to_string() };
        let key = self.t.activity_keys.get(activity_id.as_bytes())?.ok_or_else(not_found)?;
        let old: Activity = decode(&self.t.activities.get(&key)?.ok_or_else(not_found)?)?;
        let next = old.edited(input, now)?;
        let before = if self.watches_score() { Some(self.contact(old.contact_id, now)?.score) } else { None };
        self.transact(now, |tx| {
            if activity_tx(tx, activity_id)?.as_ref() != Some(&old) {
                return abort(Error::Storage("the activity changed meanwhile; try again".into()));
            }
            put_activity(tx, Some(&old), Some(&next))
        })?;
        let contact = self.contact(old.contact_id, now)?;
        let mut fired = Vec::new();
        let contact = self.auto_advance(contact, now, &mut fired)?;
        self.score_rules(old.contact_id, before, contact.score, now, &mut fired);
        Ok(Changed::new((next, contact), fired))
    }

    /// Recomputes every contact's engagement sums from the activities
    /// (after the half-life changed), in transactions of a few thousand.
    pub(super) fn rebuild_engagement_sums(&self, now: DateTime<Utc>) -> Result<()> {
        let scoring = self.settings().scoring;
        let save = |batch: &[(Uuid, EngagementSums)]| {
            self.transact(now, |tx| {
                for (id, sums) in batch {
                    tx.engagement.insert(id.as_bytes(), encode_tx(sums)?)?;
                }
                Ok(())
            })
        };
        let mut batch: Vec<(Uuid, EngagementSums)> = Vec::new();
        for key in self.t.activities.iter().keys() {
            let (contact, kind, at) = parse_activity_key(&key?)?;
            match batch.last_mut() {
                Some((id, sums)) if *id == contact => sums.add(kind, at.timestamp_millis(), &scoring),
                _ => {
                    if batch.len() >= 2000 {
                        save(&batch)?;
                        batch.clear();
                    }
                    let mut sums = EngagementSums::default();
                    sums.add(kind, at.timestamp_millis(), &scoring);
                    batch.push((contact, sums));
                }
            }
        }
        save(&batch)
    }

    /// Recomputes the engagement sums of some contacts from their activity
    /// keys, with what depends on them.
    pub(super) fn recompute_sums(&self, ids: &[Uuid], now: DateTime<Utc>) -> Result<()> {
        let scoring = self.settings().scoring;
        let mut all = Vec::with_capacity(ids.len());
        for id in ids {
            let mut sums = EngagementSums::default();
            for key in self.t.activities.scan_prefix(id.as_bytes()).keys() {
                let (_, kind, at) = parse_activity_key(&key?)?;
                sums.add(kind, at.timestamp_millis(), &scoring);
            }
            all.push((*id, sums));
        }
        self.transact(now, |tx| all.iter().try_for_each(|(id, sums)| put_sums(tx, *id, sums)))
    }
}

//! The store's side of the communication log: the activity timeline (one
//! tree keyed by contact and time) and per-contact engagement sums.
//!
//! Invariant: an activity, its key index entry and its contact's engagement
//! sums change in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use sled::Transactional;
use uuid::Uuid;

use super::{decode, encode, new_id, read, write, Store};
use crate::activity::{Activity, ActivityInput, ActivityKind, ActivityPage, ActivityQuery};
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

impl Store {
    /// (kind, at) of a contact's newest activities (all when `limit` is
    /// `None`), newest first, from keys alone.
    pub(super) fn activity_times(
        &self,
        contact: Uuid,
        limit: Option<usize>,
    ) -> Result<Vec<(ActivityKind, DateTime<Utc>)>> {
        activity_times(&self.activities, contact, limit)
    }

    /// Logs an activity on a contact's timeline; returns it and the contact.
    pub fn log_activity(
        &self,
        contact_id: Uuid,
        input: ActivityInput,
        now: DateTime<Utc>,
    ) -> Result<(Activity, Contact)> {
        let (mut logged, contact) = self.log_activities(contact_id, vec![input], now)?;
        let activity = logged.pop().ok_or_else(|| Error::Storage("nothing logged".into()))?;
        Ok((activity, contact))
    }

    /// Logs several activities on one contact's timeline at once (all or none).
    pub fn log_activities(
        &self,
        contact_id: Uuid,
        inputs: Vec<ActivityInput>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Activity>, Contact)> {
        self.raw_contact(contact_id)?;
        let before = if self.watches_score() { Some(self.contact(contact_id, now)?.score) } else { None };
        let activities = inputs
            .into_iter()
            .map(|input| input.into_activity(new_id(now), contact_id, now))
            .collect::<Result<Vec<_>>>()?;
        {
            let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
            let scoring = self.settings().scoring;
            let mut sums = read(&self.sums).get(&contact_id).cloned().unwrap_or_default();
            let mut records = Vec::with_capacity(activities.len());
            for activity in &activities {
                sums.add(activity.kind, activity.at.timestamp_millis(), &scoring);
                records.push((activity_key(activity), activity.id, encode(activity)?));
            }
            let sums_record = encode(&sums)?;
            (&self.activities, &self.activity_keys, &self.engagement).transaction(|(a, k, e)| {
                for (key, id, record) in &records {
                    a.insert(key.as_slice(), record.as_slice())?;
                    k.insert(id.as_bytes(), key.as_slice())?;
                }
                e.insert(contact_id.as_bytes(), sums_record.as_slice())?;
                Ok::<_, sled::transaction::ConflictableTransactionError<Error>>(())
            })?;
            self.db.flush()?;
            write(&self.sums).insert(contact_id, sums);
        }
        let contact = self.contact(contact_id, now)?;
        let contact = self.auto_advance(contact, now)?;
        self.score_rules(contact_id, before, contact.score, now);
        Ok((activities, contact))
    }

    /// A page of a contact's timeline, newest first. The keys are walked
    /// up to the page's end only; the total comes from the per-kind counts
    /// kept with the engagement sums.
    pub fn list_activities(&self, contact_id: Uuid, query: &ActivityQuery) -> Result<ActivityPage> {
        self.raw_contact(contact_id)?;
        let wanted = |kind: ActivityKind| query.kinds.as_ref().is_none_or(|ks| ks.contains(&kind));
        let counts = read(&self.sums).get(&contact_id).map(|sums| sums.counts);
        let end = query.offset.saturating_add(query.limit);
        // Matching keys seen so far; without counts (no activity was ever
        // logged) the walk goes on to the end to count them.
        let mut seen = 0u32;
        let mut keys = Vec::new();
        for key in self.activities.scan_prefix(contact_id.as_bytes()).keys() {
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
                    self.activities.get(k)?.ok_or_else(|| Error::Storage("activity vanished".into()))?;
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
        let contact_id = {
            let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
            let key = self
                .activity_keys
                .get(activity_id.as_bytes())?
                .ok_or_else(|| Error::NotFound { kind: "activity", id: activity_id.to_string() })?;
            let (contact_id, kind, at) = parse_activity_key(&key)?;
            let mut sums = read(&self.sums).get(&contact_id).cloned().unwrap_or_default();
            sums.remove(kind, at.timestamp_millis(), &self.settings().scoring);
            let sums_record = encode(&sums)?;
            (&self.activities, &self.activity_keys, &self.engagement).transaction(|(a, k, e)| {
                a.remove(&key)?;
                k.remove(activity_id.as_bytes())?;
                e.insert(contact_id.as_bytes(), sums_record.as_slice())?;
                Ok::<_, sled::transaction::ConflictableTransactionError<Error>>(())
            })?;
            self.db.flush()?;
            write(&self.sums).insert(contact_id, sums);
            contact_id
        };
        self.contact(contact_id, now)
    }

    /// Recomputes every contact's engagement sums from the activities
    /// (after the half-life changed).
    pub(super) fn rebuild_engagement_sums(&self) -> Result<()> {
        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let scoring = self.settings().scoring;
        let mut all: HashMap<Uuid, EngagementSums> = HashMap::new();
        for key in self.activities.iter().keys() {
            let (contact, kind, at) = parse_activity_key(&key?)?;
            all.entry(contact).or_default().add(kind, at.timestamp_millis(), &scoring);
        }
        // One atomic batch: stale entries go, new ones come.
        let mut batch = sled::Batch::default();
        for key in self.engagement.iter().keys() {
            let key = key?;
            if Uuid::from_slice(&key).map_or(true, |id| !all.contains_key(&id)) {
                batch.remove(key);
            }
        }
        for (id, sums) in &all {
            batch.insert(id.as_bytes().as_slice(), encode(sums)?);
        }
        self.engagement.apply_batch(batch)?;
        self.db.flush()?;
        *write(&self.sums) = all;
        Ok(())
    }

    /// Recomputes the engagement sums of some contacts from their activity keys.
    pub(super) fn recompute_sums(&self, ids: &[Uuid]) -> Result<()> {
        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let scoring = self.settings().scoring;
        for id in ids {
            let mut sums = EngagementSums::default();
            let mut any = false;
            for key in self.activities.scan_prefix(id.as_bytes()).keys() {
                let (_, kind, at) = parse_activity_key(&key?)?;
                sums.add(kind, at.timestamp_millis(), &scoring);
                any = true;
            }
            if any {
                self.engagement.insert(id.as_bytes(), encode(&sums)?)?;
                write(&self.sums).insert(*id, sums);
            } else {
                self.engagement.remove(id.as_bytes())?;
                write(&self.sums).remove(id);
            }
        }
        self.db.flush()?;
        Ok(())
    }
}

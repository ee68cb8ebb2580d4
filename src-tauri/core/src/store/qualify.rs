//! The store's side of qualification: the activity timeline (one tree keyed
//! by contact and time), per-contact engagement sums, criteria, scores and
//! proposals, and organisation data for target-group fit.
//!
//! Invariants: an activity, its key index entry and its contact's engagement
//! sums change in one transaction; scores are computed when read (never
//! stored), so decay needs no rewrite.

use std::collections::HashMap;
use std::sync::RwLockReadGuard;

use chrono::{DateTime, TimeZone, Utc};
use sled::Transactional;
use uuid::Uuid;

use super::{abort, decode, encode, new_id, not_found, read, write, Store};
use crate::activity::{Activity, ActivityInput, ActivityKind, ActivityPage, ActivityQuery};
use crate::contact::{Contact, Organization, OrganizationInput};
use crate::error::{Error, Result};
use crate::score::{
    self, fit_points, proposal_reason, propose, Criteria, CriteriaUpdate, EngagementSums, Score,
    TargetGroupSetting,
};
use crate::search::Doc;
use crate::settings::Settings;
use crate::stage::{ChangedBy, StageChangeRequest};
use crate::text::fold;

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
fn activity_times(
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

/// Decides "ready to qualify" for many contacts from the in-memory sums.
///
/// It agrees with [`Store::decorate`]: the sums count every activity, so a
/// contact with one dated after `now` (activities may lie up to an hour
/// ahead) is scored from its activities, which leaves that one out.
pub(super) struct ReadyCheck<'a> {
    settings: Settings,
    orgs: RwLockReadGuard<'a, HashMap<Uuid, Organization>>,
    sums: RwLockReadGuard<'a, HashMap<Uuid, EngagementSums>>,
    activities: &'a sled::Tree,
    now: DateTime<Utc>,
}

impl ReadyCheck<'_> {
    pub(super) fn is_ready(&self, d: &Doc) -> bool {
        let criteria =
            effective(d.criteria, d.target_group_manual, d.organization_id, &self.settings, &self.orgs);
        let scoring = &self.settings.scoring;
        let engagement = match self.sums.get(&d.id).map(|s| s.value_at(scoring, self.now)) {
            None => 0.0,
            Some(Some(value)) => value,
            // A storage error here leaves the contact out of the list, as a
            // contact that cannot be read is not shown either.
            Some(None) => match activity_times(self.activities, d.id, None) {
                Ok(times) => score::engagement_sum(times, scoring, self.now),
                Err(_) => return false,
            },
        };
        let score = fit_points(&criteria, scoring) + score::engagement_part(engagement);
        propose(d.stage, &criteria, score, scoring).is_some()
    }
}

/// The criteria with the target group proposed from organisation data
/// unless it was set by hand.
fn effective(
    mut criteria: Criteria,
    manual: bool,
    org: Option<Uuid>,
    settings: &Settings,
    orgs: &HashMap<Uuid, Organization>,
) -> Criteria {
    if !manual {
        let org = org.and_then(|id| orgs.get(&id));
        criteria.target_group = score::propose_target_group(org, &settings.target_profile);
    }
    criteria
}

impl Store {
    /// Fills in a contact's effective criteria, score, proposal and last
    /// activity as of `now`; returns the score with its explanation.
    pub(super) fn decorate(&self, c: &mut Contact, now: DateTime<Utc>) -> Result<Score> {
        let settings = self.settings();
        c.criteria =
            effective(c.criteria, c.target_group_manual, c.organization_id, &settings, &read(&self.orgs));
        // The sums give the total when no activity lies after `now`; then only
        // the newest activities are read for the explanation.
        let sums = read(&self.sums).get(&c.id).cloned();
        let total = sums.and_then(|s| Some((s.value_at(&settings.scoring, now)?, s.count())));
        let activities = self.activity_times(c.id, total.is_some().then_some(score::LINES_SHOWN))?;
        c.last_activity_at = activities.first().map(|(_, at)| *at);
        let score = score::score_with_total(c.stage, &c.criteria, activities, total, &settings.scoring, now);
        c.score = score.score;
        c.proposal = score.proposal;
        Ok(score)
    }

    /// [`Store::decorate`] without the explanation, for lists and writes:
    /// the same criteria, score, proposal and last activity. When the
    /// engagement sums can tell (no activity after `now`), one activity key
    /// is read instead of the newest twenty and no score lines are built.
    pub(super) fn decorate_fields(&self, c: &mut Contact, now: DateTime<Utc>) -> Result<()> {
        let settings = self.settings();
        let scoring = &settings.scoring;
        let Some(total) = read(&self.sums).get(&c.id).and_then(|s| s.value_at(scoring, now)) else {
            return self.decorate(c, now).map(|_| ());
        };
        c.criteria =
            effective(c.criteria, c.target_group_manual, c.organization_id, &settings, &read(&self.orgs));
        c.last_activity_at = self.activity_times(c.id, Some(1))?.first().map(|(_, at)| *at);
        let score = fit_points(&c.criteria, scoring) + score::engagement_part(total);
        c.score = score as u8;
        c.proposal = propose(c.stage, &c.criteria, score, scoring);
        Ok(())
    }

    pub(super) fn ready_filter(&self, now: DateTime<Utc>) -> ReadyCheck<'_> {
        ReadyCheck {
            settings: self.settings(),
            orgs: read(&self.orgs),
            sums: read(&self.sums),
            activities: &self.activities,
            now,
        }
    }

    /// (kind, at) of a contact's newest activities (all when `limit` is
    /// `None`), newest first, from keys alone.
    pub(super) fn activity_times(
        &self,
        contact: Uuid,
        limit: Option<usize>,
    ) -> Result<Vec<(ActivityKind, DateTime<Utc>)>> {
        activity_times(&self.activities, contact, limit)
    }

    /// A contact's score with its line items and proposal, at `now`.
    pub fn contact_score(&self, id: Uuid, now: DateTime<Utc>) -> Result<Score> {
        let mut contact = self.raw_contact(id)?;
        self.decorate(&mut contact, now)
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

    /// Changes qualification criteria (the rest stay as they are).
    pub fn set_criteria(&self, id: Uuid, update: &CriteriaUpdate, now: DateTime<Utc>) -> Result<Contact> {
        let current = self.raw_contact(id)?;
        let before = if self.watches_score() { Some(self.contact(id, now)?.score) } else { None };
        let contact = self.save_decorated(id, current.organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            match update.target_group {
                Some(TargetGroupSetting::Auto) => c.target_group_manual = false,
                Some(setting) => {
                    c.target_group_manual = true;
                    c.criteria.target_group = match setting {
                        TargetGroupSetting::Yes => score::Answer::Yes,
                        TargetGroupSetting::No => score::Answer::No,
                        _ => score::Answer::Unknown,
                    };
                }
                None => {}
            }
            let cr = &mut c.criteria;
            for (slot, value) in [
                (&mut cr.budget, update.budget),
                (&mut cr.authority, update.authority),
                (&mut cr.need, update.need),
                (&mut cr.timeline, update.timeline),
            ] {
                if let Some(v) = value {
                    *slot = v;
                }
            }
            c.updated_at = now;
            Ok(c)
        })?;
        let contact = self.auto_advance(contact, now)?;
        self.score_rules(id, before, contact.score, now);
        Ok(contact)
    }

    /// Runs the score-crossing rules for a score that went from `before` to `after`.
    fn score_rules(&self, contact_id: Uuid, before: Option<u8>, after: u8, now: DateTime<Utc>) {
        if let Some(before) = before.filter(|b| *b != after) {
            let event = crate::automation::Event::ScoreChanged { contact_id, before, after };
            let outcomes = self.run_rules(&[event], now);
            self.queue_outcomes(outcomes);
        }
    }

    /// Applies the contact's qualification proposal: a stage change "by rule".
    pub fn accept_proposal(&self, id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let contact = self.contact(id, now)?;
        self.apply_proposal(&contact, false, now)?.ok_or(Error::NoProposal)
    }

    fn apply_proposal(&self, contact: &Contact, auto: bool, now: DateTime<Utc>) -> Result<Option<Contact>> {
        let Some(to) = contact.proposal else { return Ok(None) };
        let scoring = self.settings().scoring;
        let score = u32::from(contact.score);
        let reason =
            proposal_reason(contact.stage, &contact.criteria, score, &scoring, auto, self.language());
        let request = StageChangeRequest { to, reason: Some(reason), force: false };
        self.change_stage(contact.id, &request, ChangedBy::Rule, now).map(Some)
    }

    /// With auto-advance on, applies proposals (lead → prospect → opportunity
    /// may follow one another); otherwise returns the contact as it is.
    pub(super) fn auto_advance(&self, mut contact: Contact, now: DateTime<Utc>) -> Result<Contact> {
        if !self.settings().scoring.auto_advance {
            return Ok(contact);
        }
        for _ in 0..2 {
            match self.apply_proposal(&contact, true, now)? {
                Some(next) => contact = next,
                None => break,
            }
        }
        Ok(contact)
    }

    /// [`Store::auto_advance`] for those of `ids` (all contacts when `None`)
    /// that the ready check finds ready; the others are not read.
    pub(super) fn auto_advance_ready(&self, ids: Option<&[Uuid]>, now: DateTime<Utc>) -> Result<()> {
        if !self.settings().scoring.auto_advance {
            return Ok(());
        }
        let ready: Vec<Uuid> = {
            let check = self.ready_filter(now);
            let search = self.search();
            search
                .docs()
                .filter(|d| ids.is_none_or(|ids| ids.contains(&d.id)) && check.is_ready(d))
                .map(|d| d.id)
                .collect()
        };
        for id in ready {
            self.auto_advance(self.contact(id, now)?, now)?;
        }
        Ok(())
    }

    /// One organisation.
    pub fn organization(&self, id: Uuid) -> Result<Organization> {
        read(&self.orgs)
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::NotFound { kind: "organization", id: id.to_string() })
    }

    /// Edits an organisation's name and data; contacts follow a new name.
    /// Its data may make its contacts fit the target group: with
    /// auto-advance on, proposals that brings are applied.
    pub fn update_organization(
        &self,
        id: Uuid,
        input: &OrganizationInput,
        now: DateTime<Utc>,
    ) -> Result<Organization> {
        let old = self.organization(id)?;
        let mut org = old.clone();
        input.apply(&mut org, now)?;
        let (old_key, new_key) = (fold(&old.name), fold(&org.name));
        let record = encode(&org)?;
        (&self.organizations, &self.org_by_name).transaction(|(orgs, by_name)| {
            if new_key != old_key {
                if by_name.get(new_key.as_bytes())?.is_some() {
                    return abort(Error::InvalidInput {
                        field: "name",
                        reason: format!("an organisation named {:?} exists already", org.name),
                    });
                }
                by_name.remove(old_key.as_bytes())?;
                by_name.insert(new_key.as_bytes(), id.as_bytes())?;
            }
            orgs.insert(id.as_bytes(), record.as_slice())?;
            Ok(())
        })?;
        self.db.flush()?;
        write(&self.orgs).insert(id, org.clone());
        let members: Vec<Uuid> =
            self.search().docs().filter(|d| d.organization_id == Some(id)).map(|d| d.id).collect();
        if org.name != old.name {
            for &member in &members {
                self.save(member, Some(&org.name), now, |c| c.ok_or_else(|| not_found(member)))?;
            }
        }
        self.auto_advance_ready(Some(&members), now)?;
        Ok(org)
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
}

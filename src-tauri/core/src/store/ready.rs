//! Who is ready to qualify, without scoring everyone: each contact's
//! readiness is kept as a window, written with every change to what it
//! depends on (stage, criteria, organisation, activities, settings).
//!
//! From its newest activity (`base`) on, a contact's engagement only
//! decays, so its readiness is an interval: ready from `base` until
//! `until` (forever when its fit alone makes it ready). A window is kept
//! for every contact that is ready at `base`, and for every contact whose
//! newest activity still lies ahead (dated up to an hour on): before `base`
//! that contact is decided from its activities, as its score is.
//!
//! A window is filed under its `until` (to count the expired ones) and its
//! `base` (to find those still ahead), and keeps the contact's name and
//! last change to list the ready contacts in order. Counting the ready
//! contacts at a time t: windows − expired (until ≤ t) + a correction for
//! the few whose base lies after t. Expired windows are swept from time to
//! time.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::activities::activity_times;
use super::{
    counters, decode, decode_tx, id_from_index_key, stage_of_tag, stage_tag, SortOrder, Store, Tx, TxResult,
};
use crate::contact::{Contact, Organization};
use crate::criteria::Criteria;
use crate::error::{Error, Result};
use crate::score::{self, fit_points, propose, EngagementSums, ScoringSettings};
use crate::settings::Settings;
use crate::stage::Stage;

/// A stored window: from `base` on ready until `until` (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub(super) base: i64,
    pub(super) until: i64,
}

impl Window {
    /// Ready at `t`, when `t` is at or after `base` (else `None`: decide
    /// from the activities).
    pub(super) fn at(&self, t: i64) -> Option<bool> {
        (t >= self.base).then_some(t < self.until)
    }

    fn bytes(&self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.base.to_be_bytes());
        out[8..].copy_from_slice(&self.until.to_be_bytes());
        out
    }

    pub(super) fn from_bytes(b: &[u8]) -> Option<Window> {
        Some(Window {
            base: i64::from_be_bytes(b.get(..8)?.try_into().ok()?),
            until: i64::from_be_bytes(b.get(8..16)?.try_into().ok()?),
        })
    }
}

/// A window as stored in the `ready` tree: the window, and the contact's
/// stage, last change and sort key (to list the ready contacts in order).
struct Entry {
    window: Window,
    stage: u8,
    changed: i64,
    name: String,
}

impl Entry {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(25 + self.name.len());
        out.extend_from_slice(&self.window.bytes());
        out.push(self.stage);
        out.extend_from_slice(&self.changed.to_be_bytes());
        out.extend_from_slice(self.name.as_bytes());
        out
    }

    fn decode(b: &[u8]) -> Option<Entry> {
        Some(Entry {
            window: Window::from_bytes(b)?,
            stage: *b.get(16)?,
            changed: i64::from_be_bytes(b.get(17..25)?.try_into().ok()?),
            name: String::from_utf8_lossy(b.get(25..)?).into_owned(),
        })
    }
}

/// A signed time as a key that sorts like the number.
fn time_key(t: i64, id: Uuid) -> Vec<u8> {
    let mut k = ((t as u64) ^ (1 << 63)).to_be_bytes().to_vec();
    k.extend_from_slice(id.as_bytes());
    k
}

/// Whether a contact in `stage` with `criteria` and `engagement` points is ready.
fn ready_with(stage: Stage, criteria: &Criteria, engagement: f64, scoring: &ScoringSettings) -> bool {
    let score = fit_points(criteria, scoring) + score::engagement_part(engagement);
    propose(stage, criteria, score, scoring).is_some()
}

/// The criteria with the target group proposed from the organisation's
/// data unless it was set by hand.
pub(super) fn effective(c: &Contact, org: Option<&Organization>, settings: &Settings) -> Criteria {
    let mut criteria = c.criteria;
    if !c.target_group_manual {
        criteria.target_group = score::propose_target_group(org, &settings.target_profile);
    }
    criteria
}

/// The window of a contact written at `now`, or `None` when it is never
/// ready from its newest activity on and that activity is not ahead of now.
pub(super) fn window_of(
    stage: Stage,
    criteria: &Criteria,
    sums: Option<&EngagementSums>,
    scoring: &ScoringSettings,
    now: DateTime<Utc>,
) -> Option<Window> {
    if !matches!(stage, Stage::Lead | Stage::Prospect) {
        return None;
    }
    let Some(sums) = sums.filter(|s| s.count() > 0) else {
        return ready_with(stage, criteria, 0.0, scoring)
            .then_some(Window { base: i64::MIN, until: i64::MAX });
    };
    let base = sums.base_ms;
    let at = |t: i64| {
        let when = DateTime::from_timestamp_millis(t).unwrap_or(DateTime::<Utc>::MAX_UTC);
        ready_with(stage, criteria, sums.value(scoring, when), scoring)
    };
    let ahead = base > now.timestamp_millis();
    if !at(base) {
        return ahead.then_some(Window { base, until: base });
    }
    // Engagement halves every half-life; after 64 of them only the fit is left.
    let half_life_ms = (scoring.half_life_days * 86_400_000.0) as i64;
    let far =
        base.saturating_add(half_life_ms.saturating_mul(64)).min(DateTime::<Utc>::MAX_UTC.timestamp_millis());
    if at(far) {
        return Some(Window { base, until: i64::MAX });
    }
    // Ready at `lo`, not at `hi`: the first millisecond it is not.
    let (mut lo, mut hi) = (base, far);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if at(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(Window { base, until: hi })
}

/// Files (or, with `contact` `None`, removes) the window of contact `id`
/// inside a transaction, replacing the one it had. `sums` are the contact's
/// engagement sums as they are after this transaction.
pub(super) fn put(
    tx: &Tx,
    id: Uuid,
    contact: Option<&Contact>,
    sums: Option<&EngagementSums>,
) -> TxResult<()> {
    if let Some(old) = tx.ready.get(id.as_bytes())?.as_deref().and_then(Entry::decode) {
        tx.ready_until.remove(time_key(old.window.until, id))?;
        tx.ready_base.remove(time_key(old.window.base, id))?;
        tx.ready.remove(id.as_bytes())?;
        if let Some(stage) = stage_of_tag(old.stage) {
            counters::add(tx.counters, &counters::ready_key(stage), -1)?;
        }
    }
    let Some(c) = contact else { return Ok(()) };
    let org = match c.organization_id {
        Some(org_id) => {
            tx.organizations.get(org_id.as_bytes())?.map(|b| decode_tx::<Organization>(&b)).transpose()?
        }
        None => None,
    };
    let criteria = effective(c, org.as_ref(), tx.settings);
    let Some(window) = window_of(c.stage, &criteria, sums, &tx.settings.scoring, tx.now) else {
        return Ok(());
    };
    let tag = stage_tag(c.stage);
    tx.ready_until.insert(time_key(window.until, id), &[tag])?;
    tx.ready_base.insert(time_key(window.base, id), &[tag])?;
    let entry = Entry {
        window,
        stage: tag,
        changed: c.updated_at.timestamp_millis(),
        name: crate::search::sort_key(&c.display_name),
    };
    tx.ready.insert(id.as_bytes(), entry.encode())?;
    counters::add(tx.counters, &counters::ready_key(c.stage), 1)?;
    Ok(())
}

impl Store {
    /// Whether contact `id` is ready to qualify at `now`, decided from its
    /// activities (for a time before its newest one).
    fn ready_from_activities(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let Some(bytes) = self.t.contacts.get(id.as_bytes())? else { return Ok(false) };
        let c: Contact = decode(&bytes)?;
        let settings = self.settings();
        let org = c.organization_id.and_then(|o| self.org_cached(o));
        let criteria = effective(&c, org.as_ref(), &settings);
        let times = activity_times(&self.t.activities, id, None)?;
        let engagement = score::engagement_sum(times, &settings.scoring, now);
        Ok(ready_with(c.stage, &criteria, engagement, &settings.scoring))
    }

    /// Whether a window (as filed in a list) is ready at `now`.
    pub(super) fn window_ready(&self, id: Uuid, window: Window, now: DateTime<Utc>) -> Result<bool> {
        match window.at(now.timestamp_millis()) {
            Some(ready) => Ok(ready),
            None => self.ready_from_activities(id, now),
        }
    }

    /// Whether contact `id` is ready to qualify at `now`.
    pub(super) fn is_ready(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        match self.t.ready.get(id.as_bytes())?.as_deref().and_then(Entry::decode) {
            Some(entry) => self.window_ready(id, entry.window, now),
            None => Ok(false),
        }
    }

    /// How many contacts (of `stage`, or all) are ready to qualify at `now`:
    /// the windows, less the expired ones, corrected for those whose newest
    /// activity lies after `now`.
    pub(super) fn ready_count(&self, stage: Option<Stage>, now: DateTime<Utc>) -> Result<u32> {
        let of_stage = |tag: u8| stage.is_none_or(|s| stage_tag(s) == tag);
        let mut n: i64 = 0;
        for s in [Stage::Lead, Stage::Prospect] {
            if stage.is_none_or(|x| x == s) {
                n += counters::get(&self.t.counters, &counters::ready_key(s))? as i64;
            }
        }
        let t = now.timestamp_millis();
        let bound = time_key(t, Uuid::max());
        for kv in self.t.ready_until.range(..=bound) {
            let (_, tag) = kv?;
            if of_stage(tag.first().copied().unwrap_or(0)) {
                n -= 1;
            }
        }
        for kv in self.t.ready_base.range(time_key(t, Uuid::max())..) {
            let (key, tag) = kv?;
            if !of_stage(tag.first().copied().unwrap_or(0)) {
                continue;
            }
            let id = id_from_index_key(&key)?;
            // Counted above as ready (its until lies after its base, after `now`).
            n += i64::from(self.ready_from_activities(id, now)?) - 1;
        }
        Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
    }

    /// The ready windows with their entries, of `stage` (all when `None`),
    /// that are ready at `now`.
    fn ready_entries(&self, stage: Option<Stage>, now: DateTime<Utc>) -> Result<Vec<(Uuid, Entry)>> {
        let mut out = Vec::new();
        for kv in self.t.ready.iter() {
            let (key, value) = kv?;
            let id = Uuid::from_slice(&key).map_err(|_| Error::Storage("malformed ready key".into()))?;
            let entry =
                Entry::decode(&value).ok_or_else(|| Error::Storage("malformed ready window".into()))?;
            if stage.is_some_and(|s| stage_tag(s) != entry.stage) {
                continue;
            }
            if self.window_ready(id, entry.window, now)? {
                out.push((id, entry));
            }
        }
        Ok(out)
    }

    /// The ids of every contact ready at `now` (for filtering search hits).
    pub(crate) fn ready_ids(&self, now: DateTime<Utc>) -> Result<HashSet<Uuid>> {
        Ok(self.ready_entries(None, now)?.into_iter().map(|(id, _)| id).collect())
    }

    /// A page of the contacts ready at `now` (of `stage`), by name or by
    /// last change.
    pub(super) fn ready_page(
        &self,
        stage: Option<Stage>,
        sort: SortOrder,
        offset: usize,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Uuid>> {
        let mut entries = self.ready_entries(stage, now)?;
        match sort {
            SortOrder::Name => entries.sort_by(|a, b| (&a.1.name, a.0).cmp(&(&b.1.name, b.0))),
            SortOrder::LastChange => entries.sort_by_key(|(id, e)| (std::cmp::Reverse(e.changed), *id)),
            _ => {
                let ids: Vec<Uuid> = entries.iter().map(|(id, _)| *id).collect();
                return Ok(self.in_order(&ids, sort, now)?.into_iter().skip(offset).take(limit).collect());
            }
        }
        Ok(entries.into_iter().skip(offset).take(limit).map(|(id, _)| id).collect())
    }

    /// Removes the windows that have run out for good (until and base
    /// before `now`): they no longer count, and counting skips them faster.
    /// Returns how many went.
    pub(crate) fn sweep_ready(&self, now: DateTime<Utc>) -> Result<usize> {
        let t = now.timestamp_millis();
        let expired: Vec<Uuid> = self
            .t
            .ready_until
            .range(..=time_key(t, Uuid::max()))
            .keys()
            .take(10_000)
            .map(|k| id_from_index_key(&k?))
            .collect::<Result<_>>()?;
        if expired.is_empty() {
            return Ok(0);
        }
        let swept = self.transact(now, |tx| {
            let mut n = 0;
            for id in &expired {
                let Some(entry) = tx.ready.get(id.as_bytes())?.as_deref().and_then(Entry::decode) else {
                    continue;
                };
                // Written again meanwhile, or still ahead: leave it.
                if entry.window.until > t || entry.window.base > t {
                    continue;
                }
                put(tx, *id, None, None)?;
                n += 1;
            }
            Ok(n)
        })?;
        Ok(swept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::ActivityKind;
    use crate::criteria::Answer;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_window_ends_the_first_millisecond_the_decayed_score_falls_short() {
        let scoring = ScoringSettings::default();
        let mut sums = EngagementSums::default();
        let at = now().timestamp_millis();
        for _ in 0..3 {
            sums.add(ActivityKind::WebinarAttended, at, &scoring);
        }
        let w = window_of(Stage::Lead, &Criteria::default(), Some(&sums), &scoring, now()).unwrap();
        assert_eq!(w.base, at);
        let ready = |t: i64| {
            let when = DateTime::from_timestamp_millis(t).unwrap();
            ready_with(Stage::Lead, &Criteria::default(), sums.value(&scoring, when), &scoring)
        };
        assert!(ready(w.until - 1) && !ready(w.until));
        // 45 points fall below 39.5 after about 5.6 days at a 30-day half-life.
        let days = (w.until - at) as f64 / 86_400_000.0;
        assert!((5.0..6.5).contains(&days), "{days}");
    }

    #[test]
    fn fit_alone_keeps_a_contact_ready_for_ever_and_customers_are_never_ready() {
        let scoring = ScoringSettings::default();
        let yes = Criteria {
            target_group: Answer::Yes,
            budget: Answer::Yes,
            authority: Answer::Yes,
            ..Default::default()
        };
        assert_eq!(
            window_of(Stage::Lead, &yes, None, &scoring, now()),
            Some(Window { base: i64::MIN, until: i64::MAX })
        );
        assert_eq!(window_of(Stage::Customer, &yes, None, &scoring, now()), None);
        assert_eq!(window_of(Stage::Lead, &Criteria::default(), None, &scoring, now()), None);
    }

    #[test]
    fn an_activity_ahead_of_now_keeps_a_window_to_decide_before_it() {
        let scoring = ScoringSettings::default();
        let mut sums = EngagementSums::default();
        let ahead = now().timestamp_millis() + 30 * 60_000;
        sums.add(ActivityKind::Note, ahead, &scoring);
        let w = window_of(Stage::Lead, &Criteria::default(), Some(&sums), &scoring, now()).unwrap();
        assert_eq!(w, Window { base: ahead, until: ahead });
        assert_eq!(w.at(now().timestamp_millis()), None);
        assert_eq!(w.at(ahead), Some(false));
    }
}

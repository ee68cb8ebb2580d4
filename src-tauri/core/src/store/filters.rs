//! Filtered lists and saved views' counts over one snapshot of what filters
//! look at ([`Facts`]) of every contact, taken once per write (and at most a
//! minute old, for the score, which decays).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{lock, Store};
use crate::contact::Contact;
use crate::error::Result;
use crate::filter::{postcode_key, ContactFilter, Facts, Needs, SavedView, ViewCount};
use crate::text::fold;

struct Snapshot {
    generation: u64,
    at: DateTime<Utc>,
    /// What the facts hold beyond the records (scores, last activities,
    /// next tasks); what they lack is left empty and no filter reading it
    /// may use them.
    needs: Needs,
    facts: Arc<Vec<Facts>>,
}

/// The last snapshot.
#[derive(Default)]
pub(super) struct FactsCache(Mutex<Option<Snapshot>>);

impl Store {
    /// Every contact's [`Facts`] (a snapshot per write, at most a minute
    /// old), with the costly parts only as `needs` asks (a tag or place
    /// filter reads the records alone).
    fn facts(&self, now: DateTime<Utc>, needs: Needs) -> Result<Arc<Vec<Facts>>> {
        let generation = self.generation();
        if let Some(s) = lock(&self.facts.0).as_ref() {
            if s.generation == generation && now - s.at < Duration::minutes(1) && s.needs.covers(needs) {
                return Ok(s.facts.clone());
            }
        }
        let next_task = if needs.next_task { self.next_task_per_contact()? } else { Default::default() };
        let mut facts = Vec::new();
        for value in self.t.contacts.iter().values() {
            let mut c: Contact = super::decode(&value?)?;
            if needs.score {
                self.fill_score(&mut c, now)?;
            } else if needs.last_activity {
                // The last activity alone: one key read.
                c.last_activity_at = self.activity_times(c.id, Some(1))?.first().map(|(_, at)| *at);
            }
            facts.push(Facts {
                id: c.id,
                stage: c.stage,
                tags: c.tags.iter().map(|t| fold(t)).collect(),
                score: c.score,
                source: c.source.as_deref().map(fold).unwrap_or_default(),
                city: c.address.city.as_deref().map(fold).unwrap_or_default(),
                postcode: c.address.postcode.as_deref().map(postcode_key).unwrap_or_default(),
                next_task: next_task.get(&c.id).copied(),
                last_activity: c.last_activity_at,
            });
        }
        let facts = Arc::new(facts);
        *lock(&self.facts.0) = Some(Snapshot { generation, at: now, needs, facts: facts.clone() });
        Ok(facts)
    }

    /// The contacts `filter` matches at `now` (`None` when it filters nothing).
    pub(super) fn filtered_ids(
        &self,
        filter: &ContactFilter,
        now: DateTime<Utc>,
    ) -> Result<Option<HashSet<Uuid>>> {
        let Some(compiled) = filter.compiled() else { return Ok(None) };
        let facts = self.facts(now, compiled.needs())?;
        Ok(Some(facts.iter().filter(|f| compiled.matches(f, now)).map(|f| f.id).collect()))
    }

    /// How many contacts each saved view lists now.
    pub fn view_counts(&self, views: &[SavedView], now: DateTime<Utc>) -> Result<Vec<ViewCount>> {
        let compiled: Vec<_> = views.iter().map(|v| v.filter.compiled()).collect();
        let needs = compiled.iter().flatten().fold(Needs::default(), |n, c| n.and(c.needs()));
        let facts = self.facts(now, needs)?;
        Ok(views
            .iter()
            .zip(compiled)
            .map(|(v, compiled)| {
                let n = facts
                    .iter()
                    .filter(|f| v.stage.is_none_or(|s| s == f.stage))
                    .filter(|f| compiled.as_ref().is_none_or(|c| c.matches(f, now)))
                    .count();
                ViewCount { id: v.id.clone(), count: u32::try_from(n).unwrap_or(u32::MAX) }
            })
            .collect())
    }
}

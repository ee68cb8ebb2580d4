//! The in-memory search index over contacts, built once at open and kept up
//! to date on every write, so a keystroke never parses stored records.
//!
//! Words (names, organisation, email parts, tags; folded so "muller",
//! "müller" and "mueller" all match) are prefix-matched through a sorted map;
//! phone numbers are matched as digit substrings in any formatting. Each doc
//! also keeps what sorting and stage counts need.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::contact::Contact;
use crate::score::Criteria;
use crate::stage::Stage;
use crate::text::{digits, fold, fold_german, words};

/// Number of contacts per stage (and in all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageCounts {
    /// All contacts.
    pub all: u32,
    /// Leads.
    pub lead: u32,
    /// Prospects.
    pub prospect: u32,
    /// Opportunities.
    pub opportunity: u32,
    /// Customers.
    pub customer: u32,
    /// Disqualified.
    pub disqualified: u32,
    /// Contacts with a qualification proposal (ready to qualify).
    pub ready_to_qualify: u32,
}

impl StageCounts {
    pub(crate) fn add(&mut self, stage: Stage) {
        self.all += 1;
        *self.get_mut(stage) += 1;
    }

    fn get_mut(&mut self, stage: Stage) -> &mut u32 {
        match stage {
            Stage::Lead => &mut self.lead,
            Stage::Prospect => &mut self.prospect,
            Stage::Opportunity => &mut self.opportunity,
            Stage::Customer => &mut self.customer,
            Stage::Disqualified => &mut self.disqualified,
        }
    }

    /// Count of one stage.
    pub fn get(&self, stage: Stage) -> u32 {
        let mut copy = *self;
        *copy.get_mut(stage)
    }
}

/// What the index keeps per contact.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) id: Uuid,
    pub(crate) stage: Stage,
    /// Folded display name, for sorting by name.
    pub(crate) name_key: String,
    /// Last change in ms, for sorting by last change.
    pub(crate) updated_ms: i64,
    /// Stored criteria (target group only meaningful when set by hand).
    pub(crate) criteria: Criteria,
    /// Whether the target group was set by hand.
    pub(crate) target_group_manual: bool,
    /// The linked organisation.
    pub(crate) organization_id: Option<Uuid>,
    words: Vec<Box<str>>,
    phone_digits: Vec<String>,
}

impl Doc {
    pub(crate) fn of(c: &Contact) -> Doc {
        let mut text = vec![c.first_name.as_str(), c.last_name.as_str(), c.display_name.as_str()];
        text.extend(c.organization.as_deref());
        text.extend(c.emails.iter().map(String::as_str));
        text.extend(c.tags.iter().map(String::as_str));
        let mut ws: Vec<Box<str>> = Vec::new();
        for t in text {
            let folded = fold(t);
            ws.extend(words(&folded).map(Box::from));
            if let Some(german) = fold_german(t) {
                ws.extend(words(&german).map(Box::from));
            }
        }
        for email in &c.emails {
            ws.push(email.as_str().into());
        }
        ws.sort_unstable();
        ws.dedup();
        Doc {
            id: c.id,
            stage: c.stage,
            name_key: sort_key(&c.display_name),
            updated_ms: c.updated_at.timestamp_millis(),
            criteria: c.criteria,
            target_group_manual: c.target_group_manual,
            organization_id: c.organization_id,
            words: ws,
            phone_digits: c.phones.iter().map(|p| digits(p)).filter(|d| !d.is_empty()).collect(),
        }
    }
}

/// The key contacts sort by name with: folded display name.
pub(crate) fn sort_key(display_name: &str) -> String {
    fold(display_name).trim().to_owned()
}

/// Contacts' search index. Not thread-safe by itself; the store wraps it in a lock.
#[derive(Debug, Default)]
pub struct SearchIndex {
    slots: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_id: HashMap<Uuid, u32>,
    words: BTreeMap<Box<str>, Vec<u32>>,
    counts: StageCounts,
}

impl SearchIndex {
    /// Adds or replaces a contact.
    pub fn upsert(&mut self, c: &Contact) {
        self.remove(c.id);
        let doc = Doc::of(c);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        for w in &doc.words {
            let list = self.words.entry(w.clone()).or_default();
            if let Err(pos) = list.binary_search(&slot) {
                list.insert(pos, slot);
            }
        }
        self.counts.add(doc.stage);
        self.by_id.insert(doc.id, slot);
        self.slots[slot as usize] = Some(doc);
    }

    /// Removes a contact (no-op when absent).
    pub fn remove(&mut self, id: Uuid) {
        let Some(slot) = self.by_id.remove(&id) else { return };
        let Some(doc) = self.slots[slot as usize].take() else { return };
        for w in &doc.words {
            if let Some(list) = self.words.get_mut(w) {
                if let Ok(pos) = list.binary_search(&slot) {
                    list.remove(pos);
                }
                if list.is_empty() {
                    self.words.remove(w);
                }
            }
        }
        *self.counts.get_mut(doc.stage) -= 1;
        self.counts.all -= 1;
        self.free.push(slot);
    }

    /// Number of indexed contacts.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Counts per stage, of all contacts or of those matching `query`.
    pub fn counts(&self, query: Option<&str>) -> StageCounts {
        match query.filter(|q| !q.trim().is_empty()) {
            None => self.counts,
            Some(q) => {
                let mut counts = StageCounts::default();
                for doc in self.matches(q) {
                    counts.add(doc.stage);
                }
                counts
            }
        }
    }

    /// The docs matching `query`: every query word is a prefix of some word
    /// of the contact, or the query's digits occur in one of its phone numbers.
    pub(crate) fn matches(&self, query: &str) -> Vec<&Doc> {
        let folded = fold(query);
        let terms: Vec<&str> = words(&folded).collect();
        let mut slots: Option<Vec<u32>> = None;
        for term in &terms {
            let mut hits = self.prefix_slots(term);
            if term.len() >= 3 && term.bytes().all(|b| b.is_ascii_digit()) {
                hits.extend(self.phone_slots(term));
                hits.sort_unstable();
                hits.dedup();
            }
            slots = Some(match slots {
                None => hits,
                Some(prev) => prev.into_iter().filter(|s| hits.binary_search(s).is_ok()).collect(),
            });
        }
        let mut slots = slots.unwrap_or_default();
        // "0170 123-45" as a whole: digits across the words.
        let phone_like = query.chars().all(|c| c.is_ascii_digit() || " +()-/.".contains(c));
        let all_digits = digits(query);
        if phone_like && terms.len() > 1 && all_digits.len() >= 3 {
            slots.extend(self.phone_slots(&all_digits));
            slots.sort_unstable();
            slots.dedup();
        }
        slots.iter().filter_map(|&s| self.slots[s as usize].as_ref()).collect()
    }

    /// Every indexed contact.
    pub(crate) fn docs(&self) -> impl Iterator<Item = &Doc> {
        self.slots.iter().flatten()
    }

    fn prefix_slots(&self, prefix: &str) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .words
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(w, _)| w.starts_with(prefix))
            .flat_map(|(_, slots)| slots.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Docs whose phone digits contain `query_digits`; a national trunk
    /// prefix ("0170 …") also matches the E.164 form ("49170…").
    fn phone_slots(&self, query_digits: &str) -> Vec<u32> {
        let national = query_digits.trim_start_matches('0');
        let needle = if national.len() >= 3 { national } else { query_digits }.as_bytes();
        // Comparing the few windows of a phone number is cheaper than the
        // substring searcher `str::contains` sets up for every number.
        let contains = |p: &str| p.as_bytes().windows(needle.len()).any(|w| w == needle);
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_ref().map(|d| (i, d)))
            .filter(|(_, d)| d.phone_digits.iter().any(|p| contains(p)))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn contact(
        first: &str,
        last: &str,
        org: Option<&str>,
        email: &str,
        phone: &str,
        stage: Stage,
    ) -> Contact {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Contact {
            id: Uuid::now_v7(),
            first_name: first.into(),
            last_name: last.into(),
            display_name: format!("{first} {last}"),
            organization: org.map(Into::into),
            organization_id: None,
            title: None,
            emails: vec![email.into()],
            phones: vec![phone.into()],
            tags: vec!["Messe Hannover".into()],
            source: None,
            notes: None,
            salutation: None,
            address: Default::default(),
            website: None,
            stage,
            score: 0,
            criteria: Criteria::default(),
            target_group_manual: false,
            proposal: None,
            last_activity_at: None,
            created_at: at,
            updated_at: at,
            stage_history: vec![],
        }
    }

    fn names(ix: &SearchIndex, q: &str) -> Vec<String> {
        let mut v: Vec<String> = ix.matches(q).iter().map(|d| d.name_key.clone()).collect();
        v.sort();
        v
    }

    fn sample() -> SearchIndex {
        let mut ix = SearchIndex::default();
        ix.upsert(&contact(
            "Jürgen",
            "Müller",
            Some("Bäckerei Rauch GmbH"),
            "j.mueller@rauch.de",
            "+491701234567",
            Stage::Lead,
        ));
        ix.upsert(&contact(
            "Anna",
            "Schmidt",
            Some("Acme AG"),
            "anna@acme.com",
            "+4930123456",
            Stage::Prospect,
        ));
        ix.upsert(&contact("Andreas", "Klein", None, "ak@example.org", "+14155552671", Stage::Lead));
        ix
    }

    #[test]
    fn finds_by_name_prefix_org_email_tag() {
        let ix = sample();
        assert_eq!(names(&ix, "an"), ["andreas klein", "anna schmidt"]);
        assert_eq!(names(&ix, "acme"), ["anna schmidt"]);
        assert_eq!(names(&ix, "anna@acme.com"), ["anna schmidt"]);
        assert_eq!(names(&ix, "rauch.de"), ["jurgen muller"]);
        assert_eq!(names(&ix, "hannover").len(), 3);
        assert_eq!(names(&ix, "an sch"), ["anna schmidt"]);
        assert!(names(&ix, "zzz").is_empty());
    }

    #[test]
    fn accents_and_german_transliteration_match() {
        let ix = sample();
        for q in ["müller", "muller", "MUELLER", "jurg", "backerei", "baeckerei"] {
            assert_eq!(names(&ix, q), ["jurgen muller"], "query {q}");
        }
    }

    #[test]
    fn phone_digits_in_any_formatting() {
        let ix = sample();
        assert_eq!(names(&ix, "0170 1234567"), ["jurgen muller"]);
        assert_eq!(names(&ix, "(0170) 123-4567"), ["jurgen muller"]);
        assert_eq!(names(&ix, "+49 30 123"), ["anna schmidt"]);
        assert_eq!(names(&ix, "4567"), ["jurgen muller"]);
        assert_eq!(names(&ix, "555 2671"), ["andreas klein"]);
    }

    #[test]
    fn updates_and_removals_keep_counts_and_words_right() {
        let mut ix = sample();
        assert_eq!(ix.counts(None).lead, 2);
        assert_eq!(ix.counts(Some("an")).all, 2);
        let mut c =
            contact("Anna", "Schmidt", Some("Acme AG"), "anna@acme.com", "+4930123456", Stage::Prospect);
        ix.upsert(&c);
        assert_eq!(ix.len(), 4);
        c.stage = Stage::Customer;
        c.display_name = "Anna Weber".into();
        c.last_name = "Weber".into();
        ix.upsert(&c);
        assert_eq!(ix.len(), 4);
        assert_eq!(ix.counts(None).customer, 1);
        assert_eq!(names(&ix, "weber"), ["anna weber"]);
        ix.remove(c.id);
        assert_eq!(ix.len(), 3);
        assert!(names(&ix, "weber").is_empty());
        assert_eq!(ix.counts(None).customer, 0);
    }
}

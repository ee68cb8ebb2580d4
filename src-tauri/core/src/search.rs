//! The in-memory search index over contacts, built once at open and kept up
//! to date on every write, so a keystroke never parses stored records.
//!
//! Words (names, organisation, email parts, tags; folded so "muller",
//! "müller" and "mueller" all match) are prefix-matched through a sorted map;
//! phone numbers are matched as digit substrings in any formatting, through
//! an index of their three-digit runs. Each doc also keeps what sorting and
//! stage counts need.

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
    /// Per three-digit run ("170" = 170), the slots whose phone digits hold it.
    phone_grams: Vec<Vec<u32>>,
    counts: StageCounts,
}

/// The three-digit runs of a phone number, each as a number 0..1000.
fn grams(digits: &str) -> impl Iterator<Item = usize> + '_ {
    digits.as_bytes().windows(3).map(|w| w.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
}

/// Adds `slot` to a sorted posting list (slots mostly come in rising order).
fn post(list: &mut Vec<u32>, slot: u32) {
    if let Err(pos) = list.binary_search(&slot) {
        list.insert(pos, slot);
    }
}

/// Takes `slot` out of a sorted posting list.
fn unpost(list: &mut Vec<u32>, slot: u32) {
    if let Ok(pos) = list.binary_search(&slot) {
        list.remove(pos);
    }
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
            post(self.words.entry(w.clone()).or_default(), slot);
        }
        if self.phone_grams.is_empty() {
            self.phone_grams.resize_with(1000, Vec::new);
        }
        for gram in doc.phone_digits.iter().flat_map(|p| grams(p)) {
            post(&mut self.phone_grams[gram], slot);
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
                unpost(list, slot);
                if list.is_empty() {
                    self.words.remove(w);
                }
            }
        }
        for gram in doc.phone_digits.iter().flat_map(|p| grams(p)) {
            unpost(&mut self.phone_grams[gram], slot);
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

    /// Counts per stage of all contacts (`ready_to_qualify` is the store's).
    pub fn counts(&self) -> StageCounts {
        self.counts
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

    /// Docs whose phone digits contain `query_digits` (at least three); a
    /// national trunk prefix ("0170 …") also matches the E.164 form
    /// ("49170…"). Only the docs holding the query's rarest three-digit run
    /// are checked.
    fn phone_slots(&self, query_digits: &str) -> Vec<u32> {
        let national = query_digits.trim_start_matches('0');
        let needle = if national.len() >= 3 { national } else { query_digits };
        let Some(rarest) = grams(needle).filter_map(|g| self.phone_grams.get(g)).min_by_key(|l| l.len())
        else {
            return Vec::new();
        };
        let needle = needle.as_bytes();
        // Comparing the few windows of a phone number is cheaper than the
        // substring searcher `str::contains` sets up for every number.
        let contains = |p: &str| p.as_bytes().windows(needle.len()).any(|w| w == needle);
        rarest
            .iter()
            .copied()
            .filter(|&s| {
                self.slots[s as usize].as_ref().is_some_and(|d| d.phone_digits.iter().any(|p| contains(p)))
            })
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

    proptest::proptest! {
        /// The three-digit-run index finds exactly what checking every
        /// number would, through upserts and removals.
        #[test]
        fn phone_index_finds_what_a_scan_finds(
            phones in proptest::collection::vec("[0-9]{3,12}", 1..40),
            gone in proptest::collection::vec(proptest::bool::ANY, 40),
            query in "[1-9][0-9]{2,5}",
        ) {
            let mut ix = SearchIndex::default();
            let mut kept = Vec::new();
            for (i, phone) in phones.iter().enumerate() {
                let c = contact("A", &format!("N{i}"), None, "a@b.de", phone, Stage::Lead);
                ix.upsert(&c);
                if gone[i] { ix.remove(c.id) } else { kept.push((c.id, phone)) }
            }
            let mut found: Vec<Uuid> = ix.phone_slots(&query).iter().filter_map(|&s| ix.slots[s as usize].as_ref()).map(|d| d.id).collect();
            let mut want: Vec<Uuid> = kept.iter().filter(|(_, p)| p.contains(query.as_str())).map(|(id, _)| *id).collect();
            found.sort();
            want.sort();
            proptest::prop_assert_eq!(found, want);
        }
    }

    #[test]
    fn updates_and_removals_keep_counts_and_words_right() {
        let mut ix = sample();
        assert_eq!(ix.counts().lead, 2);
        assert_eq!(ix.matches("an").len(), 2);
        let mut c =
            contact("Anna", "Schmidt", Some("Acme AG"), "anna@acme.com", "+4930123456", Stage::Prospect);
        ix.upsert(&c);
        assert_eq!(ix.len(), 4);
        c.stage = Stage::Customer;
        c.display_name = "Anna Weber".into();
        c.last_name = "Weber".into();
        c.phones = vec!["+49 89 765432".into()];
        ix.upsert(&c);
        assert_eq!(ix.len(), 4);
        assert_eq!(names(&ix, "089 765 432"), ["anna weber"]);
        assert_eq!(names(&ix, "030 123456"), ["anna schmidt"], "the old number is Anna Schmidt's only");
        assert_eq!(ix.counts().customer, 1);
        assert_eq!(names(&ix, "weber"), ["anna weber"]);
        ix.remove(c.id);
        assert_eq!(ix.len(), 3);
        assert!(names(&ix, "weber").is_empty());
        assert!(names(&ix, "765432").is_empty());
        assert_eq!(ix.counts().customer, 0);
    }
}

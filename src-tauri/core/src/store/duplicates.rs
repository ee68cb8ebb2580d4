//! The store's side of duplicates: pairs of contacts that may be one person
//! (same email, same phone, a similar name at the same organisation) and
//! merging two into one.
//!
//! Invariant: a merge moves the activities, tasks and the contact records in
//! one transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::activities::activity_key;
use super::contacts::{not_found, put_contact};
use super::tasks::replace as replace_task;
use super::{abort, decode, decode_tx, encode_tx, Store, TxResult};
use crate::activity::Activity;
use crate::automation::Changed;
use crate::contact::Contact;
use crate::criteria::Answer;
use crate::duplicate::{DuplicateKind, DuplicatePair, DuplicateReason, MergeField, MergePicks};
use crate::error::{Error, Result};
use crate::stage::{ChangedBy, StageChange};
use crate::task::Task;
use crate::text::{digits, fold};

/// Largest group compared pairwise for similar names.
pub(super) const NAME_GROUP_CAP: usize = 400;
/// Jaro-Winkler similarity from which two names at one organisation look alike.
pub(super) const NAME_SIMILARITY: f64 = 0.92;

/// A phone number's matching key: its digits (E.164 numbers and the same
/// number written in other ways normalise to the same digits).
pub(super) fn phone_key(phone: &str) -> String {
    digits(phone)
}

pub(super) fn unite(list: &mut Vec<String>, more: &[String]) -> bool {
    let mut changed = false;
    for v in more {
        if !list.iter().any(|x| x.to_lowercase() == v.to_lowercase()) {
            list.push(v.clone());
            changed = true;
        }
    }
    changed
}

pub(super) fn fill(slot: &mut Option<String>, value: &Option<String>) -> bool {
    if slot.is_none() && value.is_some() {
        slot.clone_from(value);
        return true;
    }
    false
}

/// Whether two contacts with alike (not equal) names are told apart by what
/// else they hold: they have at least two kinds of contact data (emails,
/// phones, address) in common use and every one of them differs. Bärbel Bauer and Bärbel Sauer at one company, with their
/// own email, phone and address, are two people; Sabine Kohler and Sabine
/// Köhler (one name, spelt two ways) stay a possible pair.
fn told_apart(a: &Contact, b: &Contact) -> bool {
    let phones =
        |c: &Contact| c.phones.iter().map(|p| phone_key(p)).collect::<std::collections::HashSet<_>>();
    let place = |c: &Contact| {
        let street = c.address.street.as_deref().map(fold).unwrap_or_default();
        let postcode = c.address.postcode.as_deref().map(|p| p.trim().to_owned()).unwrap_or_default();
        (street, postcode)
    };
    let mut both = 0;
    let mut differ = 0;
    if !a.emails.is_empty() && !b.emails.is_empty() {
        both += 1;
        differ += usize::from(!a.emails.iter().any(|e| b.emails.contains(e)));
    }
    let (pa, pb) = (phones(a), phones(b));
    if !pa.is_empty() && !pb.is_empty() {
        both += 1;
        differ += usize::from(pa.is_disjoint(&pb));
    }
    let (la, lb) = (place(a), place(b));
    if la != (String::new(), String::new()) && lb != (String::new(), String::new()) {
        both += 1;
        differ += usize::from(la != lb);
    }
    // One differing address alone (a private and a work email) says little.
    both >= 2 && differ == both
}

/// The person's name as duplicates compare it (a contact with only a display
/// name: that).
fn person_name(c: &Contact) -> String {
    let person = fold(&format!("{} {}", c.first_name, c.last_name)).trim().to_owned();
    if person.is_empty() {
        fold(&c.display_name).trim().to_owned()
    } else {
        person
    }
}

/// Two contacts whose names are alike but not the same, and whose own
/// contact data tells them apart ([`told_apart`]): no possible duplicate.
pub(in crate::store) fn alike_but_apart(a: &Contact, b: &Contact) -> bool {
    person_name(a) != person_name(b) && told_apart(a, b)
}

/// The meta key that remembers "these two are not the same person".
fn not_duplicate_key(a: Uuid, b: Uuid) -> String {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    format!("{NOT_DUPLICATE}{a}:{b}")
}

/// The prefix of [`not_duplicate_key`].
pub(super) const NOT_DUPLICATE: &str = "not_duplicate:";

impl Store {
    /// Remembers that `a` and `b` are two people: the pair is not offered
    /// as a possible duplicate again (kept in backups too).
    pub fn dismiss_duplicate(&self, a: Uuid, b: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.raw_contact(a)?;
        self.raw_contact(b)?;
        let key = not_duplicate_key(a, b);
        self.transact(now, |tx| {
            tx.meta.insert(key.as_bytes(), &[])?;
            Ok(())
        })
    }

    /// Pairs of contacts that may be the same person: same email, same
    /// phone, or a similar name at the same organisation.
    pub fn duplicates(&self, now: DateTime<Utc>) -> Result<Vec<DuplicatePair>> {
        let all = self.all_contacts()?;
        let mut pairs: BTreeMap<(Uuid, Uuid), Vec<DuplicateReason>> = BTreeMap::new();
        let mut add = |a: Uuid, b: Uuid, kind: DuplicateKind, value: String| {
            let key = if a < b { (a, b) } else { (b, a) };
            let reasons = pairs.entry(key).or_default();
            if !reasons.iter().any(|r| r.kind == kind) {
                reasons.push(DuplicateReason { kind, value });
            }
        };
        let mut by_email: HashMap<&str, Vec<Uuid>> = HashMap::new();
        let mut by_phone: HashMap<String, (Vec<Uuid>, &str)> = HashMap::new();
        let mut by_org: HashMap<Uuid, Vec<&Contact>> = HashMap::new();
        for c in &all {
            for e in &c.emails {
                by_email.entry(e).or_default().push(c.id);
            }
            for p in &c.phones {
                let k = phone_key(p);
                if k.len() >= 6 {
                    by_phone.entry(k).or_insert_with(|| (vec![], p)).0.push(c.id);
                }
            }
            if let Some(org) = c.organization_id {
                by_org.entry(org).or_default().push(c);
            }
        }
        for (email, ids) in &by_email {
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    if a != b {
                        add(*a, *b, DuplicateKind::Email, (*email).to_owned());
                    }
                }
            }
        }
        for (ids, phone) in by_phone.values() {
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    if a != b {
                        add(*a, *b, DuplicateKind::Phone, (*phone).to_owned());
                    }
                }
            }
        }
        for group in by_org.values().filter(|g| g.len() > 1 && g.len() <= NAME_GROUP_CAP) {
            // The person's name; a contact with only a display name compares by that.
            let names: Vec<String> = group.iter().map(|c| person_name(c)).collect();
            for i in 0..group.len() {
                for j in i + 1..group.len() {
                    if names[i].is_empty() || names[j].is_empty() {
                        continue;
                    }
                    // Alike, not the same name: their own email, phone and address tell them apart.
                    let alike = names[i] != names[j] && told_apart(group[i], group[j]);
                    if !alike && strsim::jaro_winkler(&names[i], &names[j]) >= NAME_SIMILARITY {
                        let value = format!("{} ~ {}", group[i].display_name, group[j].display_name);
                        add(group[i].id, group[j].id, DuplicateKind::Name, value);
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(pairs.len());
        for ((a, b), mut reasons) in pairs {
            if self.t.meta.contains_key(not_duplicate_key(a, b).as_bytes())? {
                continue;
            }
            reasons.sort_by_key(|r| r.kind);
            let (mut a, mut b) = (self.contact(a, now)?, self.contact(b, now)?);
            if b.created_at < a.created_at {
                std::mem::swap(&mut a, &mut b);
            }
            out.push(DuplicatePair { a, b, reasons });
        }
        out.sort_by(|x, y| {
            y.reasons.len().cmp(&x.reasons.len()).then_with(|| x.a.display_name.cmp(&y.a.display_name))
        });
        Ok(out)
    }

    /// Merges `other` into `survivor`: single-valued fields as `picks` say
    /// (empty ones filled from the other), emails, phones and tags united,
    /// activities and tasks moved, the merge noted in the stage history,
    /// `other` removed — all in one transaction.
    pub fn merge_contacts(
        &self,
        survivor: Uuid,
        other: Uuid,
        picks: &MergePicks,
        now: DateTime<Utc>,
    ) -> Result<Changed<Contact>> {
        if survivor == other {
            return Err(Error::InvalidInput {
                field: "other",
                reason: "a contact cannot be merged with itself".into(),
            });
        }
        self.raw_contact(survivor)?;
        self.raw_contact(other)?;
        // Deals first: should anything stop after this, no deal points to a
        // removed contact.
        let Changed { automation, .. } = self.reassign_deals(other, survivor, now)?;
        let moved: Vec<(Vec<u8>, Activity)> = self
            .t
            .activities
            .scan_prefix(other.as_bytes())
            .map(|kv| {
                let (k, v) = kv?;
                let mut a: Activity = decode(&v)?;
                a.contact_id = survivor;
                Ok((k.to_vec(), a))
            })
            .collect::<Result<_>>()?;
        let tasks: Vec<Task> = self.contact_tasks(other)?;
        // Both contacts are read inside the transaction, so an edit made
        // meanwhile is merged, not overwritten or left behind in an index.
        self.transact(now, |tx| {
            let read_tx = |id: Uuid| -> TxResult<Contact> {
                match tx.contacts.get(id.as_bytes())? {
                    Some(bytes) => decode_tx(&bytes),
                    None => abort(not_found(id)),
                }
            };
            let (s, o) = (read_tx(survivor)?, read_tx(other)?);
            let m = merged_contact(&s, &o, picks, now);
            put_contact(tx, Some(&o), None)?;
            put_contact(tx, Some(&s), Some(&m))?;
            for (old_key, a) in &moved {
                tx.activities.remove(old_key.as_slice())?;
                let key = activity_key(a);
                tx.activities.insert(key.as_slice(), encode_tx(a)?)?;
                tx.activity_keys.insert(a.id.as_bytes(), key.as_slice())?;
                let before = Activity { contact_id: other, ..a.clone() };
                super::sync::record(tx, crate::sync::EntityKind::Activity, a.id, Some(&before), Some(a))?;
            }
            for task in &tasks {
                let mut new = task.clone();
                new.contact_id = Some(survivor);
                replace_task(tx, Some(task), Some(&new))?;
            }
            Ok(())
        })?;
        self.recompute_sums(&[survivor, other], now)?;
        Ok(Changed::new(self.contact(survivor, now)?, automation))
    }
}

/// The survivor after merging `o` into `s` as `picks` say.
fn merged_contact(s: &Contact, o: &Contact, picks: &MergePicks, now: DateTime<Utc>) -> Contact {
    let mut m = s.clone();
    let take = |f: MergeField| picks.from_other.contains(&f);
    macro_rules! pick {
        ($field:ident, $which:expr) => {
            if take($which) {
                m.$field = o.$field.clone();
            }
        };
    }
    pick!(salutation, MergeField::Salutation);
    pick!(first_name, MergeField::FirstName);
    pick!(last_name, MergeField::LastName);
    pick!(display_name, MergeField::DisplayName);
    pick!(title, MergeField::Title);
    pick!(address, MergeField::Address);
    pick!(website, MergeField::Website);
    pick!(source, MergeField::Source);
    pick!(notes, MergeField::Notes);
    if take(MergeField::Organization) {
        m.organization = o.organization.clone();
        m.organization_id = o.organization_id;
    }
    for (mine, theirs) in [
        (&mut m.salutation, &o.salutation),
        (&mut m.title, &o.title),
        (&mut m.website, &o.website),
        (&mut m.source, &o.source),
        (&mut m.notes, &o.notes),
    ] {
        fill(mine, theirs);
    }
    if m.organization.is_none() {
        m.organization = o.organization.clone();
        m.organization_id = o.organization_id;
    }
    if m.address.is_empty() {
        m.address = o.address.clone();
    }
    unite(&mut m.emails, &o.emails);
    unite(&mut m.phones, &o.phones);
    unite(&mut m.tags, &o.tags);
    let c = &mut m.criteria;
    for (mine, theirs) in [
        (&mut c.budget, o.criteria.budget),
        (&mut c.authority, o.criteria.authority),
        (&mut c.need, o.criteria.need),
        (&mut c.timeline, o.criteria.timeline),
    ] {
        if *mine == Answer::Unknown {
            *mine = theirs;
        }
    }
    if take(MergeField::Stage) && o.stage != m.stage {
        m.stage_history.push(StageChange {
            from: Some(m.stage),
            to: o.stage,
            at: now,
            reason: Some(format!("stage of {} taken over in the merge", o.display_name)),
            by: ChangedBy::Hand,
        });
        m.stage = o.stage;
    }
    m.stage_history.push(StageChange {
        from: Some(m.stage),
        to: m.stage,
        at: now,
        reason: Some(format!("merged with {} ({})", o.display_name, o.id)),
        by: ChangedBy::Hand,
    });
    m.updated_at = now;
    m
}

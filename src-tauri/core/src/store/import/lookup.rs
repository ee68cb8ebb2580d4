//! Finding the contact an import record is: by email, by phone, or by the
//! same name at the same organisation, and what a record adds to it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use uuid::Uuid;

use crate::contact::{Contact, ValidContact};
use crate::import::ExistingMatch;
use crate::store::duplicates::{fill, phone_key, unite, NAME_GROUP_CAP, NAME_SIMILARITY};
use crate::text::fold;

/// A key by its 128-bit hash: two SipHashes apart. Keeping hashes instead of
/// the strings keeps the lookup of 100,000 contacts at about a quarter of
/// the memory; two different keys share a hash with a chance of about
/// 10^-28 at that size.
type Key = [u64; 2];

fn key(parts: &[&str]) -> Key {
    let mut out = [0u64; 2];
    for (salt, slot) in out.iter_mut().enumerate() {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        parts.hash(&mut h);
        *slot = h.finish();
    }
    out
}

/// Keys to contacts (by their number in the lookup): most keys have one,
/// kept inline; a key with more has its list in `more`.
#[derive(Default)]
struct MultiMap {
    slots: HashMap<Key, u32>,
    more: Vec<Vec<u32>>,
}

/// Marks a slot that names a list in `more`.
const LIST: u32 = 1 << 31;

impl MultiMap {
    fn insert(&mut self, key: Key, n: u32) {
        match self.slots.get_mut(&key) {
            None => {
                self.slots.insert(key, n);
            }
            Some(slot) if *slot & LIST != 0 => {
                let list = &mut self.more[(*slot & !LIST) as usize];
                if !list.contains(&n) {
                    list.push(n);
                }
            }
            Some(slot) if *slot != n => {
                self.more.push(vec![*slot, n]);
                *slot = (self.more.len() - 1) as u32 | LIST;
            }
            Some(_) => {}
        }
    }

    fn get(&self, key: &Key) -> &[u32] {
        match self.slots.get(key) {
            None => &[],
            Some(slot) if *slot & LIST != 0 => &self.more[(*slot & !LIST) as usize],
            Some(slot) => std::slice::from_ref(slot),
        }
    }
}

/// Contacts by email and by phone, for finding the one a record matches,
/// and the phone region records are read in. Contacts are numbered in the
/// order they were added; their names live in one string.
pub(super) struct Lookup {
    ids: Vec<Uuid>,
    numbers: HashMap<Uuid, u32>,
    /// Folded and shown name per contact (`text[start..mid]`,
    /// `text[mid..end]`), to tell a shared phone or address (a
    /// switchboard, info@) from the same person.
    names: Vec<(u32, u32, u32)>,
    text: String,
    email: MultiMap,
    phone: MultiMap,
    /// Folded name and organisation, for records without email and phone.
    name: HashMap<Key, u32>,
    /// Per folded organisation, for similar names.
    by_org: MultiMap,
    pub(super) region: phonenumber::country::Id,
}

/// Whether two folded names can be one person: equal, one's words all in
/// the other's ("schmidt" / "anna maria schmidt"), nearly equal, or one is
/// no name at all (a record named after its email address).
fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b || a.is_empty() || b.is_empty() || a.contains('@') || b.contains('@') {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
    };
    let (wa, wb) = (words(a), words(b));
    let subset = |x: &[String], y: &[String]| !x.is_empty() && x.iter().all(|w| y.contains(w));
    subset(&wa, &wb) || subset(&wb, &wa) || strsim::jaro_winkler(a, b) >= NAME_SIMILARITY
}

pub(super) fn name_org_key(display_name: &str, organization: Option<&str>) -> (String, String) {
    (fold(display_name).trim().to_owned(), organization.map(fold).unwrap_or_default().trim().to_owned())
}

impl Lookup {
    pub(super) fn new(region: phonenumber::country::Id) -> Self {
        Lookup {
            ids: Vec::new(),
            numbers: HashMap::new(),
            names: Vec::new(),
            text: String::new(),
            email: MultiMap::default(),
            phone: MultiMap::default(),
            name: HashMap::new(),
            by_org: MultiMap::default(),
            region,
        }
    }

    pub(super) fn add(&mut self, c: &Contact) {
        let (name, org) = name_org_key(&c.display_name, c.organization.as_deref());
        let n = match self.numbers.get(&c.id) {
            Some(n) => *n,
            None => {
                self.ids.push(c.id);
                self.names.push((0, 0, 0));
                let n = (self.ids.len() - 1) as u32;
                self.numbers.insert(c.id, n);
                n
            }
        };
        // A contact added again (merged into) keeps its number; its names
        // are written anew only when they changed.
        if self.folded(n) != name || self.display(n) != c.display_name {
            let start = self.text.len() as u32;
            self.text.push_str(&name);
            let mid = self.text.len() as u32;
            self.text.push_str(&c.display_name);
            self.names[n as usize] = (start, mid, self.text.len() as u32);
        }
        for e in &c.emails {
            self.email.insert(key(&[e]), n);
        }
        for p in &c.phones {
            let k = phone_key(p);
            if k.len() >= 6 {
                self.phone.insert(key(&[&k]), n);
            }
        }
        if !org.is_empty() {
            self.by_org.insert(key(&[&org]), n);
        }
        self.name.entry(key(&[&name, &org])).or_insert(n);
    }

    fn folded(&self, n: u32) -> &str {
        let (start, mid, _) = self.names[n as usize];
        &self.text[start as usize..mid as usize]
    }

    fn display(&self, n: u32) -> &str {
        let (_, mid, end) = self.names[n as usize];
        &self.text[mid as usize..end as usize]
    }

    /// The shown name of a contact in the lookup.
    pub(super) fn display_name(&self, id: Uuid) -> String {
        self.numbers.get(&id).map(|n| self.display(*n).to_owned()).unwrap_or_default()
    }

    /// A contact with a similar (not the same) name at the same organisation.
    pub(super) fn similar(&self, c: &Contact) -> Option<ExistingMatch> {
        let (name, org) = name_org_key(&c.display_name, c.organization.as_deref());
        if org.is_empty() {
            return None;
        }
        let group = self.by_org.get(&key(&[&org]));
        if group.len() > NAME_GROUP_CAP {
            return None;
        }
        group
            .iter()
            .find(|n| {
                self.ids[**n as usize] != c.id
                    && strsim::jaro_winkler(&name, self.folded(**n)) >= NAME_SIMILARITY
            })
            .map(|n| ExistingMatch {
                id: self.ids[*n as usize],
                display_name: self.display(*n).to_owned(),
                reason: format!("similar name at {}", c.organization.as_deref().unwrap_or_default()),
            })
    }

    /// The contact a record is: same email or phone *and* a name that fits
    /// (`Ok`), or same email or phone under another name (`Err`: a
    /// possible duplicate, never merged — three people behind one
    /// switchboard number stay three people).
    pub(super) fn find(
        &self,
        v: &ValidContact,
    ) -> Option<std::result::Result<(Uuid, String), ExistingMatch>> {
        let name = fold(&v.display_name);
        let by_email = v
            .emails
            .iter()
            .flat_map(|e| self.email.get(&key(&[e])).iter().map(move |n| (*n, format!("same email {e}"))));
        let by_phone = v.phones.iter().flat_map(|p| {
            let k = phone_key(p);
            let found = if k.len() >= 6 { self.phone.get(&key(&[&k])) } else { &[] };
            found.iter().map(move |n| (*n, format!("same phone {p}")))
        });
        let mut first_other = None;
        for (n, reason) in by_email.chain(by_phone) {
            let id = self.ids[n as usize];
            if same_person(&name, self.folded(n)) {
                return Some(Ok((id, reason)));
            }
            first_other.get_or_insert(ExistingMatch {
                id,
                display_name: self.display(n).to_owned(),
                reason: format!("{reason}, another name"),
            });
        }
        if let Some(other) = first_other {
            return Some(Err(other));
        }
        // Without email and phone only the very same name at the same
        // organisation (or both without one) tells it is the same person.
        if !v.emails.is_empty() || !v.phones.is_empty() {
            return None;
        }
        let (name, org) = name_org_key(&v.display_name, v.organization.as_deref());
        self.name
            .get(&key(&[&name, &org]))
            .map(|n| Ok((self.ids[*n as usize], format!("same name {}", v.display_name))))
    }
}

/// Adds what a record knows and the contact does not; true when anything changed.
pub(super) fn fill_contact(c: &mut Contact, v: &ValidContact) -> bool {
    let mut changed = false;
    if c.first_name.is_empty() && !v.first_name.is_empty() {
        c.first_name.clone_from(&v.first_name);
        changed = true;
    }
    if c.last_name.is_empty() && !v.last_name.is_empty() {
        c.last_name.clone_from(&v.last_name);
        changed = true;
    }
    changed |= fill(&mut c.title, &v.title);
    changed |= fill(&mut c.salutation, &v.salutation);
    changed |= fill(&mut c.website, &v.website);
    changed |= fill(&mut c.source, &v.source);
    if c.organization.is_none() && v.organization.is_some() {
        c.organization.clone_from(&v.organization);
        changed = true;
    }
    if c.address.is_empty() && !v.address.is_empty() {
        c.address = v.address.clone();
        changed = true;
    }
    match (&mut c.notes, &v.notes) {
        (Some(mine), Some(theirs)) if !mine.contains(theirs.as_str()) => {
            mine.push_str("\n\n");
            mine.push_str(theirs);
            changed = true;
        }
        (None, Some(theirs)) => {
            c.notes = Some(theirs.clone());
            changed = true;
        }
        _ => {}
    }
    changed |= unite(&mut c.emails, &v.emails);
    changed |= unite(&mut c.phones, &v.phones);
    changed |= unite(&mut c.tags, &v.tags);
    changed
}

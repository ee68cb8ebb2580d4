//! Finding the contact an import record is: by email, by phone, or by the
//! same name at the same organisation, and what a record adds to it.

use std::collections::HashMap;

use uuid::Uuid;

use crate::contact::{Contact, ValidContact};
use crate::import::ExistingMatch;
use crate::store::duplicates::{fill, phone_key, unite, NAME_GROUP_CAP, NAME_SIMILARITY};
use crate::text::fold;

/// Contacts by email and by phone, for finding the one a record matches,
/// and the phone region records are read in.
pub(super) struct Lookup {
    pub(super) email: HashMap<String, Vec<Uuid>>,
    pub(super) phone: HashMap<String, Vec<Uuid>>,
    /// Folded name and organisation, for records without email and phone.
    pub(super) name: HashMap<(String, String), Uuid>,
    /// Per folded organisation: (id, folded name, display name), for similar names.
    pub(super) by_org: HashMap<String, Vec<(Uuid, String, String)>>,
    /// Folded and shown name per contact, to tell a shared phone or address
    /// (a switchboard, info@) from the same person.
    pub(super) names: HashMap<Uuid, (String, String)>,
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
    pub(super) fn add(&mut self, c: &Contact) {
        for e in &c.emails {
            let ids = self.email.entry(e.clone()).or_default();
            if !ids.contains(&c.id) {
                ids.push(c.id);
            }
        }
        for p in &c.phones {
            let k = phone_key(p);
            if k.len() >= 6 {
                let ids = self.phone.entry(k).or_default();
                if !ids.contains(&c.id) {
                    ids.push(c.id);
                }
            }
        }
        let (name, org) = name_org_key(&c.display_name, c.organization.as_deref());
        self.names.insert(c.id, (name.clone(), c.display_name.clone()));
        if !org.is_empty() {
            self.by_org.entry(org.clone()).or_default().push((c.id, name.clone(), c.display_name.clone()));
        }
        self.name.entry((name, org)).or_insert(c.id);
    }

    /// A contact with a similar (not the same) name at the same organisation.
    pub(super) fn similar(&self, c: &Contact) -> Option<ExistingMatch> {
        let (name, org) = name_org_key(&c.display_name, c.organization.as_deref());
        let group = self.by_org.get(&org)?;
        if group.len() > NAME_GROUP_CAP {
            return None;
        }
        group
            .iter()
            .find(|(id, other, _)| *id != c.id && strsim::jaro_winkler(&name, other) >= NAME_SIMILARITY)
            .map(|(id, _, display)| ExistingMatch {
                id: *id,
                display_name: display.clone(),
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
        let by_email = v.emails.iter().flat_map(|e| {
            self.email.get(e).into_iter().flatten().map(move |id| (*id, format!("same email {e}")))
        });
        let by_phone = v.phones.iter().flat_map(|p| {
            let k = phone_key(p);
            let ids = if k.len() >= 6 { self.phone.get(&k) } else { None };
            ids.into_iter().flatten().map(move |id| (*id, format!("same phone {p}")))
        });
        let mut first_other = None;
        for (id, reason) in by_email.chain(by_phone) {
            let (theirs, display) = self.names.get(&id).cloned().unwrap_or_default();
            if same_person(&name, &theirs) {
                return Some(Ok((id, reason)));
            }
            first_other.get_or_insert(ExistingMatch {
                id,
                display_name: display,
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
        let key = name_org_key(&v.display_name, v.organization.as_deref());
        self.name.get(&key).map(|id| Ok((*id, format!("same name {}", v.display_name))))
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

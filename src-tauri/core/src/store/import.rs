//! The store's side of importing: deciding per record whether it is a new
//! contact, a merge into one it matches or an organisation, the preview,
//! and writing the records in batches.
//!
//! Invariant: an import writes whole records in batches bracketed by a
//! marker, so an interrupted batch is completed at the next open.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use uuid::Uuid;

use super::duplicates::{fill, phone_key, unite, NAME_GROUP_CAP, NAME_SIMILARITY};
use super::organizations::find_or_create_org;
use super::{abort, change_key, decode, encode, name_key, new_id, read, stage_tag, write, Store, ALL_STAGES};
use crate::contact::{Contact, Organization, PhonePolicy, ValidContact};
use crate::error::Result;
use crate::import::{
    Draft, ExistingMatch, ImportOptions, ImportPreview, ImportReport, Parsed, PreviewRow, RowError,
};
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::text::fold;

/// Records written per import transaction.
const BATCH: usize = 2000;
/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 20;

/// Meta key of an import batch being written.
pub(super) const PENDING_IMPORT: &str = "import_pending";

/// Which list index a key belongs to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum ListTree {
    Name,
    Change,
}

/// A record of an import batch and the list-index keys of its version before.
#[derive(Debug, Serialize, Deserialize)]
struct PendingRecord {
    id: Uuid,
    old_keys: Vec<(ListTree, Vec<u8>)>,
}

/// The list-index keys of a contact (all stages and its own, by name and by change).
fn list_keys(c: &Contact) -> Vec<(ListTree, Vec<u8>)> {
    [ALL_STAGES, stage_tag(c.stage)]
        .into_iter()
        .flat_map(|tag| [(ListTree::Name, name_key(tag, c)), (ListTree::Change, change_key(tag, c))])
        .collect()
}

/// Contacts by email and by phone, for finding the one a record matches,
/// and the phone region records are read in.
struct Lookup {
    email: HashMap<String, Vec<Uuid>>,
    phone: HashMap<String, Vec<Uuid>>,
    /// Folded name and organisation, for records without email and phone.
    name: HashMap<(String, String), Uuid>,
    /// Per folded organisation: (id, folded name, display name), for similar names.
    by_org: HashMap<String, Vec<(Uuid, String, String)>>,
    /// Folded and shown name per contact, to tell a shared phone or address
    /// (a switchboard, info@) from the same person.
    names: HashMap<Uuid, (String, String)>,
    region: phonenumber::country::Id,
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

fn name_org_key(display_name: &str, organization: Option<&str>) -> (String, String) {
    (fold(display_name).trim().to_owned(), organization.map(fold).unwrap_or_default().trim().to_owned())
}

impl Lookup {
    fn add(&mut self, c: &Contact) {
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
    fn similar(&self, c: &Contact) -> Option<ExistingMatch> {
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
    fn find(&self, v: &ValidContact) -> Option<std::result::Result<(Uuid, String), ExistingMatch>> {
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
fn fill_contact(c: &mut Contact, v: &ValidContact) -> bool {
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

/// What one record does to the store.
enum Op {
    /// A new contact (organisation by name).
    Contact(Box<Contact>),
    /// An organisation card; postcode and region from its address.
    Organization { name: String, postcode: Option<String>, region: Option<String> },
}

/// Outcome of planning one record.
enum Planned {
    /// A new contact, maybe with a possible duplicate.
    Create(Box<Contact>, Option<ExistingMatch>),
    Merge(Box<Contact>, ExistingMatch),
    Unchanged(ExistingMatch),
    Organization {
        name: String,
        postcode: Option<String>,
        region: Option<String>,
        exists: bool,
    },
}

impl Store {
    /// Every stored contact (score not computed).
    pub(super) fn all_contacts(&self) -> Result<Vec<Contact>> {
        self.contacts.iter().values().map(|v| decode(&v?)).collect()
    }

    fn lookup(&self) -> Result<Lookup> {
        let mut lookup = Lookup {
            email: HashMap::new(),
            phone: HashMap::new(),
            name: HashMap::new(),
            by_org: HashMap::new(),
            names: HashMap::new(),
            region: self.settings().region(),
        };
        for c in self.all_contacts()? {
            lookup.add(&c);
        }
        Ok(lookup)
    }

    /// Decides what a record does: a new contact, a merge into one it
    /// matches (stored or earlier in this import), or an organisation.
    fn plan(
        &self,
        draft: &Draft,
        options: &ImportOptions,
        source: &str,
        lookup: &Lookup,
        touched: &HashMap<Uuid, Contact>,
        now: DateTime<Utc>,
    ) -> std::result::Result<Planned, RowError> {
        let mut input = draft.input.clone();
        if draft.organization_only {
            let name = input.organization.clone().unwrap_or_default();
            let exists = read(&self.orgs).values().any(|o| fold(&o.name) == fold(&name));
            return Ok(Planned::Organization {
                name,
                postcode: input.address.postcode.clone(),
                region: input.address.region.clone(),
                exists,
            });
        }
        if input.source.is_none() {
            input.source = Some(source.to_owned());
        }
        let valid = input
            .validate_with(lookup.region, PhonePolicy::KeepAsWritten)
            .map_err(|e| RowError::from_error(draft.line, &e))?;
        let mut similar = None;
        match lookup.find(&valid) {
            Some(Ok((id, reason))) if options.merge_duplicates => {
                let mut existing = match touched.get(&id) {
                    Some(c) => c.clone(),
                    None => self.raw_contact(id).map_err(|e| RowError::from_error(draft.line, &e))?,
                };
                let found = ExistingMatch { id, display_name: existing.display_name.clone(), reason };
                return Ok(if fill_contact(&mut existing, &valid) {
                    existing.updated_at = now;
                    Planned::Merge(Box::new(existing), found)
                } else {
                    Planned::Unchanged(found)
                });
            }
            Some(Ok((id, reason))) => {
                let display_name = lookup.names.get(&id).map(|n| n.1.clone()).unwrap_or_default();
                similar = Some(ExistingMatch { id, display_name, reason });
            }
            Some(Err(other)) => similar = Some(other),
            None => {}
        }
        let reason = Some(format!("Import: {source}"));
        let mut c = Contact::new_lead(new_id(now), valid, ChangedBy::Import, reason, now);
        if let Some(stage) = draft.stage.filter(|s| *s != Stage::Lead) {
            c.stage_history.push(StageChange {
                from: Some(Stage::Lead),
                to: stage,
                at: now,
                reason: Some(format!("Import: {source}")),
                by: ChangedBy::Import,
            });
            c.stage = stage;
        }
        let similar = similar.or_else(|| lookup.similar(&c));
        Ok(Planned::Create(Box::new(c), similar))
    }

    /// What importing `parsed` would do, without writing anything.
    pub fn import_preview(
        &self,
        parsed: &Parsed,
        file_name: &str,
        options: &ImportOptions,
        now: DateTime<Utc>,
    ) -> Result<ImportPreview> {
        let source =
            options.source.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| file_name.to_owned());
        let mut lookup = self.lookup()?;
        let mut touched: HashMap<Uuid, Contact> = HashMap::new();
        let (mut rows, mut rejected, mut duplicates, mut similar) = (Vec::new(), 0, 0, 0);
        for record in &parsed.records {
            let row = match record {
                Err(e) => PreviewRow {
                    line: e.line,
                    contact: None,
                    stage: Stage::Lead,
                    organization_only: false,
                    error: Some(e.clone()),
                    warnings: vec![],
                    duplicate_of: None,
                    similar_to: None,
                },
                Ok(draft) => {
                    let mut row = PreviewRow {
                        line: draft.line,
                        contact: Some(draft.input.clone()),
                        stage: draft.stage.unwrap_or(Stage::Lead),
                        organization_only: draft.organization_only,
                        error: None,
                        warnings: draft.warnings.clone(),
                        duplicate_of: None,
                        similar_to: None,
                    };
                    match self.plan(draft, options, &source, &lookup, &touched, now) {
                        Err(e) => row.error = Some(e),
                        Ok(Planned::Create(c, similar_to)) => {
                            row.similar_to = similar_to;
                            lookup.add(&c);
                            touched.insert(c.id, *c);
                        }
                        Ok(Planned::Merge(c, found)) => {
                            lookup.add(&c);
                            touched.insert(c.id, *c);
                            row.duplicate_of = Some(found);
                        }
                        Ok(Planned::Unchanged(found)) => row.duplicate_of = Some(found),
                        Ok(Planned::Organization { .. }) => {}
                    }
                    row
                }
            };
            rejected += u32::from(row.error.is_some());
            duplicates += u32::from(row.duplicate_of.is_some());
            similar += u32::from(row.similar_to.is_some());
            if rows.len() < PREVIEW_ROWS {
                rows.push(row);
            }
        }
        Ok(ImportPreview {
            file_name: file_name.to_owned(),
            format: parsed.format,
            preset: parsed.preset,
            encoding: parsed.encoding.clone(),
            delimiter: parsed.delimiter.map(|d| if d == '\t' { "\\t".to_owned() } else { d.to_string() }),
            columns: parsed.columns.clone(),
            rows,
            total: parsed.records.len() as u32,
            rejected,
            duplicates,
            similar,
            source,
        })
    }

    /// Stores the records of `parsed` in batches. `progress` is told after
    /// each batch and returns `false` to cancel; batches already written stay.
    /// With `dry_run` nothing is written and the report says what would happen.
    pub fn import(
        &self,
        parsed: Parsed,
        file_name: &str,
        options: &ImportOptions,
        dry_run: bool,
        mut progress: impl FnMut(u32, u32) -> bool,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let source =
            options.source.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| file_name.to_owned());
        let mut lookup = self.lookup()?;
        let mut touched: HashMap<Uuid, Contact> = HashMap::new();
        let mut orgs_seen = std::collections::HashSet::new();
        let mut report = ImportReport { skipped: parsed.empty, ..Default::default() };
        let total = parsed.records.len() as u32;
        let mut done = 0u32;
        let mut records = parsed.records.into_iter().peekable();
        while records.peek().is_some() {
            let mut ops: Vec<Op> = Vec::new();
            let mut changed: Vec<Uuid> = Vec::new();
            for record in records.by_ref().take(BATCH) {
                done += 1;
                let draft = match record {
                    Ok(draft) => draft,
                    Err(e) => {
                        report.errors.push(e);
                        continue;
                    }
                };
                report.warnings.extend(draft.warnings.iter().cloned());
                match self.plan(&draft, options, &source, &lookup, &touched, now) {
                    Err(e) => report.errors.push(e),
                    Ok(Planned::Create(c, similar)) => {
                        report.possible_duplicates += u32::from(similar.is_some());
                        lookup.add(&c);
                        report.imported += 1;
                        changed.push(c.id);
                        touched.insert(c.id, (*c).clone());
                        ops.push(Op::Contact(c));
                    }
                    Ok(Planned::Merge(c, _)) => {
                        lookup.add(&c);
                        report.merged += 1;
                        changed.push(c.id);
                        touched.insert(c.id, (*c).clone());
                    }
                    Ok(Planned::Unchanged(_)) => report.skipped += 1,
                    Ok(Planned::Organization { name, postcode, region, exists }) => {
                        if exists || !orgs_seen.insert(fold(&name)) {
                            report.skipped += 1;
                        } else {
                            report.imported += 1;
                        }
                        ops.push(Op::Organization { name, postcode, region });
                    }
                }
            }
            // Contacts are written from `touched`, their latest state: a record
            // merged into one created earlier in this batch adds to it.
            for op in &mut ops {
                if let Op::Contact(c) = op {
                    if let Some(latest) = touched.get(&c.id) {
                        **c = latest.clone();
                    }
                }
            }
            let merged: Vec<Contact> = changed
                .iter()
                .filter(|id| !ops.iter().any(|op| matches!(op, Op::Contact(c) if c.id == **id)))
                .filter_map(|id| touched.get(id).cloned())
                .collect();
            if !dry_run {
                for c in self.write_import_batch(&ops, &merged, now)? {
                    touched.insert(c.id, c);
                }
            }
            if !progress(done, total) {
                report.cancelled = done < total;
                break;
            }
        }
        Ok(report)
    }

    /// Writes one import batch; returns the contacts as written.
    ///
    /// Organisations are found or created in one small transaction. The
    /// contacts and their list-index entries then go in as one sled batch
    /// per tree (a transaction over thousands of records costs several
    /// times more), bracketed by a marker in the meta tree that names every
    /// record of the batch with its old index keys. Should the process die
    /// between the batches, [`Store::finish_interrupted_import`] completes
    /// the index entries from the records at the next open, so no record
    /// ends half-written.
    fn write_import_batch(&self, ops: &[Op], merged: &[Contact], now: DateTime<Utc>) -> Result<Vec<Contact>> {
        let mut names: Vec<&str> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Contact(c) => c.organization.as_deref(),
                Op::Organization { name, .. } => Some(name.as_str()),
            })
            .chain(merged.iter().filter_map(|c| c.organization.as_deref()))
            .collect();
        names.sort_unstable();
        names.dedup();
        let orgs: HashMap<String, Organization> =
            (&self.organizations, &self.org_by_name).transaction(|(orgs, org_by_name)| {
                let mut found = HashMap::new();
                for name in &names {
                    found.insert((*name).to_owned(), find_or_create_org(orgs, org_by_name, name, now)?);
                }
                for op in ops {
                    if let Op::Organization { name, postcode, region } = op {
                        let Some(org) = found.get_mut(name.as_str()) else { continue };
                        if org.postcode.is_none() && postcode.is_some()
                            || org.region.is_none() && region.is_some()
                        {
                            org.postcode = org.postcode.clone().or(postcode.clone());
                            org.region = org.region.clone().or(region.clone());
                            orgs.insert(org.id.as_bytes(), encode(&*org).or_else(abort)?)?;
                        }
                    }
                }
                Ok(found)
            })?;
        let link = |c: &mut Contact| {
            if let Some(org) = c.organization.as_deref().and_then(|name| orgs.get(name)) {
                c.organization = Some(org.name.clone());
                c.organization_id = Some(org.id);
            }
        };
        let mut written = Vec::new();
        let mut pending: Vec<PendingRecord> = Vec::new();
        for op in ops {
            if let Op::Contact(c) = op {
                let mut c = (**c).clone();
                link(&mut c);
                pending.push(PendingRecord { id: c.id, old_keys: vec![] });
                written.push(c);
            }
        }
        for c in merged {
            let Ok(old) = self.raw_contact(c.id) else { continue };
            let mut c = c.clone();
            link(&mut c);
            pending.push(PendingRecord { id: c.id, old_keys: list_keys(&old) });
            written.push(c);
        }
        if written.is_empty() {
            self.db.flush()?;
        } else {
            let mut records = sled::Batch::default();
            let mut by_name = sled::Batch::default();
            let mut by_change = sled::Batch::default();
            for (c, p) in written.iter().zip(&pending) {
                records.insert(c.id.as_bytes().as_slice(), encode(c)?);
                for (tree, key) in &p.old_keys {
                    match tree {
                        ListTree::Name => by_name.remove(key.as_slice()),
                        ListTree::Change => by_change.remove(key.as_slice()),
                    }
                }
                for (tree, key) in list_keys(c) {
                    match tree {
                        ListTree::Name => by_name.insert(key, &[]),
                        ListTree::Change => by_change.insert(key, &[]),
                    }
                }
            }
            self.meta.insert(PENDING_IMPORT, encode(&pending)?)?;
            self.contacts.apply_batch(records)?;
            self.by_name.apply_batch(by_name)?;
            self.by_change.apply_batch(by_change)?;
            self.meta.remove(PENDING_IMPORT)?;
            self.db.flush()?;
        }
        {
            let mut index = self.search_mut();
            for c in &written {
                index.upsert(c);
            }
        }
        let mut cache = write(&self.orgs);
        for org in orgs.into_values() {
            cache.insert(org.id, org);
        }
        Ok(written)
    }

    /// Completes an import batch the process did not finish (see
    /// [`Store::write_import_batch`]): every record it names gets exactly the
    /// list-index entries of its stored version. Runs at open.
    pub(super) fn finish_interrupted_import(&self) -> Result<()> {
        let Some(bytes) = self.meta.get(PENDING_IMPORT)? else { return Ok(()) };
        let pending: Vec<PendingRecord> = decode(&bytes)?;
        for p in &pending {
            for (tree, key) in &p.old_keys {
                match tree {
                    ListTree::Name => self.by_name.remove(key.as_slice())?,
                    ListTree::Change => self.by_change.remove(key.as_slice())?,
                };
            }
            if let Some(bytes) = self.contacts.get(p.id.as_bytes())? {
                let c: Contact = decode(&bytes)?;
                for (tree, key) in list_keys(&c) {
                    match tree {
                        ListTree::Name => self.by_name.insert(key, &[])?,
                        ListTree::Change => self.by_change.insert(key, &[])?,
                    };
                }
            }
        }
        self.meta.remove(PENDING_IMPORT)?;
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::import;
    use crate::store::ListQuery;

    #[test]
    fn an_import_batch_cut_off_between_its_trees_is_completed_at_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let options = ImportOptions::default();
        let csv = "Vorname,Nachname,E-Mail\nAnna,Schmidt,anna@x.de\nBen,Meier,ben@x.de\n";
        let parsed = import::parse(csv.as_bytes(), "a.csv", &options).unwrap();
        store.import(parsed, "a.csv", &options, false, |_, _| true, now).unwrap();
        let anna = store.all_contacts().unwrap().into_iter().find(|c| c.first_name == "Anna").unwrap();
        // The process died after the records were written, before their index
        // entries: the marker is there and Anna is missing from the lists.
        let pending = vec![PendingRecord { id: anna.id, old_keys: vec![] }];
        store.meta.insert(PENDING_IMPORT, encode(&pending).unwrap()).unwrap();
        for (tree, key) in list_keys(&anna) {
            match tree {
                ListTree::Name => store.by_name.remove(key).unwrap(),
                ListTree::Change => store.by_change.remove(key).unwrap(),
            };
        }
        store.db.flush().unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let page = store.list_contacts(&ListQuery::default(), now).unwrap();
        let names: Vec<&str> = page.items.iter().map(|c| c.display_name.as_str()).collect();
        assert_eq!(names, ["Anna Schmidt", "Ben Meier"]);
        assert!(store.meta.get(PENDING_IMPORT).unwrap().is_none());
        let leads =
            store.list_contacts(&ListQuery { stage: Some(Stage::Lead), ..Default::default() }, now).unwrap();
        assert_eq!(leads.items.len(), 2);
    }
}

//! The store's side of data ownership: applying an import in batches,
//! finding duplicates and merging them, erasing and exporting one person,
//! and the full JSON backup with restore.
//!
//! Invariants: an import writes whole records in batch transactions (a
//! batch is all or nothing, flushed before the next); a merge moves the
//! activities, tasks and the contact records in one transaction; restore
//! checks the manifest and checksum before it touches the store.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sled::Transactional;
use uuid::Uuid;

use super::deals::{contact_index_key, stage_index_key};
use super::qualify::{activity_key, parse_activity_key};
use super::tasks::replace as replace_task;
use super::{
    abort, change_key, decode, encode, find_or_create_org, name_key, new_id, put_contact, read, stage_tag,
    write, Store, ALL_STAGES,
};
use crate::activity::{Activity, ActivityQuery};
use crate::contact::{Contact, Organization, PhonePolicy, ValidContact};
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::import::{
    Draft, ExistingMatch, ImportOptions, ImportPreview, ImportReport, Parsed, PreviewRow, RowError,
};
use crate::score::{Answer, EngagementSums};
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::task::Task;
use crate::text::{digits, fold};
use crate::transfer::{
    BackupData, BackupManifest, DuplicateKind, DuplicatePair, DuplicateReason, MergeField, MergePicks,
    PersonExport, RecordCounts, BACKUP_FORMAT, BACKUP_FORMAT_VERSION,
};
use serde::{Deserialize, Serialize};

/// Records written per import transaction.
const BATCH: usize = 2000;
/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 20;
/// Largest group compared pairwise for similar names.
const NAME_GROUP_CAP: usize = 400;
/// Jaro-Winkler similarity from which two names at one organisation look alike.
const NAME_SIMILARITY: f64 = 0.92;

/// Meta key of an import batch being written.
const PENDING_IMPORT: &str = "import_pending";

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

/// A phone number's matching key: its digits (E.164 numbers and the same
/// number written in other ways normalise to the same digits).
fn phone_key(phone: &str) -> String {
    digits(phone)
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

fn unite(list: &mut Vec<String>, more: &[String]) -> bool {
    let mut changed = false;
    for v in more {
        if !list.iter().any(|x| x.to_lowercase() == v.to_lowercase()) {
            list.push(v.clone());
            changed = true;
        }
    }
    changed
}

fn fill(slot: &mut Option<String>, value: &Option<String>) -> bool {
    if slot.is_none() && value.is_some() {
        slot.clone_from(value);
        return true;
    }
    false
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
            let names: Vec<String> = group
                .iter()
                .map(|c| {
                    let person = fold(&format!("{} {}", c.first_name, c.last_name)).trim().to_owned();
                    if person.is_empty() {
                        fold(&c.display_name).trim().to_owned()
                    } else {
                        person
                    }
                })
                .collect();
            for i in 0..group.len() {
                for j in i + 1..group.len() {
                    if names[i].is_empty() || names[j].is_empty() {
                        continue;
                    }
                    if strsim::jaro_winkler(&names[i], &names[j]) >= NAME_SIMILARITY {
                        let value = format!("{} ~ {}", group[i].display_name, group[j].display_name);
                        add(group[i].id, group[j].id, DuplicateKind::Name, value);
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(pairs.len());
        for ((a, b), mut reasons) in pairs {
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
    ) -> Result<Contact> {
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
        self.reassign_deals(other, survivor, now)?;
        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let moved: Vec<(Vec<u8>, Activity)> = self
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
        let trees = [
            &self.contacts,
            &self.by_name,
            &self.by_change,
            &self.activities,
            &self.activity_keys,
            &self.tasks,
            &self.tasks_by_due,
            &self.tasks_by_contact,
            &self.reminder_queue,
        ];
        // Both contacts are read inside the transaction, so an edit made
        // meanwhile is merged, not overwritten or left behind in an index.
        let m = trees[..].transaction(|t| {
            let read_tx = |id: Uuid| -> super::TxResult<Contact> {
                match t[0].get(id.as_bytes())? {
                    Some(bytes) => decode(&bytes).or_else(abort),
                    None => abort(super::not_found(id)),
                }
            };
            let (s, o) = (read_tx(survivor)?, read_tx(other)?);
            let m = merged_contact(&s, &o, picks, now);
            put_contact(&t[0], &t[1], &t[2], Some(&o), None)?;
            put_contact(&t[0], &t[1], &t[2], Some(&s), Some(&m))?;
            for (old_key, a) in &moved {
                t[3].remove(old_key.as_slice())?;
                let key = activity_key(a);
                t[3].insert(key.as_slice(), encode(a).or_else(abort)?)?;
                t[4].insert(a.id.as_bytes(), key.as_slice())?;
            }
            for task in &tasks {
                let mut new = task.clone();
                new.contact_id = Some(survivor);
                replace_task((&t[5], &t[6], &t[7], &t[8]), Some(task), Some(&new))?;
            }
            Ok(m)
        })?;
        self.db.flush()?;
        self.search_mut().remove(other);
        self.search_mut().upsert(&m);
        drop(_guard);
        self.recompute_sums(&[survivor, other])?;
        self.contact(survivor, now)
    }

    /// Recomputes the engagement sums of some contacts from their activity keys.
    fn recompute_sums(&self, ids: &[Uuid]) -> Result<()> {
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

    /// Everything Kontor holds about one person.
    pub fn person_export(&self, id: Uuid, now: DateTime<Utc>) -> Result<PersonExport> {
        let contact = self.contact(id, now)?;
        let organization = contact.organization_id.and_then(|o| read(&self.orgs).get(&o).cloned());
        let score = self.contact_score(id, now)?;
        let activities =
            self.list_activities(id, &ActivityQuery { kinds: None, offset: 0, limit: u32::MAX })?.items;
        let tasks = self.contact_tasks(id)?;
        let deals = self
            .contact_deals(id)?
            .iter()
            .map(|d| serde_json::to_value(d).map_err(|e| Error::Storage(e.to_string())))
            .collect::<Result<_>>()?;
        Ok(PersonExport { exported_at: now, contact, organization, score, activities, tasks, deals })
    }

    /// Erases a person for good: the record, its index entries, activities,
    /// engagement sums, tasks and their reminders, deals.
    pub fn erase_person(&self, id: Uuid) -> Result<()> {
        let c = self.raw_contact(id)?;
        self.erase_contact_deals(id)?;
        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let activities: Vec<(Vec<u8>, Uuid)> = self
            .activities
            .scan_prefix(id.as_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                let activity_id = Uuid::from_slice(&k[24..40]).map_err(|e| Error::Storage(e.to_string()))?;
                Ok((k.to_vec(), activity_id))
            })
            .collect::<Result<_>>()?;
        let tasks = self.contact_tasks(id)?;
        let trees = [
            &self.contacts,
            &self.by_name,
            &self.by_change,
            &self.activities,
            &self.activity_keys,
            &self.engagement,
            &self.tasks,
            &self.tasks_by_due,
            &self.tasks_by_contact,
            &self.reminder_queue,
        ];
        trees[..].transaction(|t| {
            put_contact(&t[0], &t[1], &t[2], Some(&c), None)?;
            for (key, activity_id) in &activities {
                t[3].remove(key.as_slice())?;
                t[4].remove(activity_id.as_bytes())?;
            }
            t[5].remove(id.as_bytes())?;
            for task in &tasks {
                replace_task((&t[6], &t[7], &t[8], &t[9]), Some(task), None)?;
            }
            Ok(())
        })?;
        self.db.flush()?;
        write(&self.sums).remove(&id);
        self.search_mut().remove(id);
        Ok(())
    }

    /// Record counts of the store.
    pub fn record_counts(&self) -> RecordCounts {
        RecordCounts {
            contacts: self.contacts.len() as u32,
            organizations: self.organizations.len() as u32,
            activities: self.activities.len() as u32,
            tasks: self.tasks.len() as u32,
            deals: self.deals.len() as u32,
        }
    }

    /// The whole store as a backup: manifest (format, counts, checksum) and data.
    pub fn backup(&self, app_version: &str, now: DateTime<Utc>) -> Result<(BackupManifest, BackupData)> {
        let values = |tree: &sled::Tree| -> Result<Vec<serde_json::Value>> {
            tree.iter().values().map(|v| decode::<serde_json::Value>(&v?)).collect()
        };
        let mut meta = BTreeMap::new();
        for kv in self.meta.iter() {
            let (k, v) = kv?;
            let key = String::from_utf8_lossy(&k).into_owned();
            if key == "schema_version" || key == "settings" || key == PENDING_IMPORT {
                continue;
            }
            meta.insert(key, v.iter().map(|b| format!("{b:02x}")).collect());
        }
        let data = BackupData {
            settings: serde_json::to_value(self.settings()).map_err(|e| Error::Storage(e.to_string()))?,
            meta,
            organizations: values(&self.organizations)?,
            contacts: values(&self.contacts)?,
            activities: values(&self.activities)?,
            tasks: values(&self.tasks)?,
            deals: values(&self.deals)?,
        };
        let manifest = BackupManifest {
            format: BACKUP_FORMAT.to_owned(),
            format_version: BACKUP_FORMAT_VERSION,
            schema_version: super::SCHEMA_VERSION,
            app_version: app_version.to_owned(),
            created_at: now,
            counts: RecordCounts {
                contacts: data.contacts.len() as u32,
                organizations: data.organizations.len() as u32,
                activities: data.activities.len() as u32,
                tasks: data.tasks.len() as u32,
                deals: data.deals.len() as u32,
            },
            checksum: checksum(&data)?,
        };
        Ok((manifest, data))
    }

    /// Replaces the store's content with a backup's. Refuses a store that
    /// holds contacts unless `force`. Checks the backup completely before
    /// anything is written.
    pub fn restore(&self, manifest: &BackupManifest, data: &BackupData, force: bool) -> Result<RecordCounts> {
        check_backup(manifest, data)?;
        // Contacts, or anything else the rep made (organisations, deals, tasks).
        let present = self.contacts.len();
        let holds_data =
            present > 0 || !self.organizations.is_empty() || !self.deals.is_empty() || !self.tasks.is_empty();
        if holds_data && !force {
            return Err(Error::StoreNotEmpty { contacts: present });
        }
        let settings: crate::settings::Settings = record(&data.settings, "settings")?;
        let orgs: Vec<Organization> = records(&data.organizations, "organisation")?;
        let contacts: Vec<Contact> = records(&data.contacts, "contact")?;
        let activities: Vec<Activity> = records(&data.activities, "activity")?;
        let mut tasks: Vec<Task> = records(&data.tasks, "task")?;
        let tz = self.time_zone();
        for task in &mut tasks {
            task.normalize_all_day(tz);
        }
        let deals: Vec<Deal> = records(&data.deals, "deal")?;
        let meta: Vec<(String, Vec<u8>)> = data
            .meta
            .iter()
            .map(|(k, hex)| {
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(|| Error::Backup(format!("the meta value {k} is damaged")))?;
                Ok((k.clone(), bytes))
            })
            .collect::<Result<_>>()?;

        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let trees = [
            &self.contacts,
            &self.organizations,
            &self.org_by_name,
            &self.by_name,
            &self.by_change,
            &self.activities,
            &self.activity_keys,
            &self.engagement,
            &self.tasks,
            &self.tasks_by_due,
            &self.tasks_by_contact,
            &self.reminder_queue,
            &self.deals,
            &self.deals_by_stage,
            &self.deals_by_contact,
            &self.meta,
        ];
        // Clearing and refilling in one transaction: a crash leaves the old
        // store or the restored one, never a mix.
        let old_keys: Vec<Vec<Vec<u8>>> = trees
            .iter()
            .map(|t| {
                t.iter()
                    .keys()
                    .filter(|k| k.as_ref().map_or(true, |k| k.as_ref() != b"schema_version"))
                    .map(|k| k.map(|k| k.to_vec()))
                    .collect::<sled::Result<_>>()
            })
            .collect::<sled::Result<_>>()?;
        let records: Vec<(Vec<u8>, Vec<u8>)> =
            activities.iter().map(|a| Ok((activity_key(a), encode(a)?))).collect::<Result<_>>()?;
        trees[..].transaction(|t| {
            for (tree, keys) in t.iter().zip(&old_keys) {
                for k in keys {
                    tree.remove(k.as_slice())?;
                }
            }
            for org in &orgs {
                t[1].insert(org.id.as_bytes(), encode(org).or_else(abort)?)?;
                t[2].insert(fold(&org.name).as_bytes(), org.id.as_bytes())?;
            }
            for c in &contacts {
                put_contact(&t[0], &t[3], &t[4], None, Some(c))?;
            }
            for ((key, record), a) in records.iter().zip(&activities) {
                t[5].insert(key.as_slice(), record.as_slice())?;
                t[6].insert(a.id.as_bytes(), key.as_slice())?;
            }
            for task in &tasks {
                replace_task((&t[8], &t[9], &t[10], &t[11]), None, Some(task))?;
            }
            for deal in &deals {
                t[12].insert(deal.id.as_bytes(), encode(deal).or_else(abort)?)?;
                t[13].insert(stage_index_key(&deal.stage, deal.id), &[])?;
                t[14].insert(contact_index_key(deal.contact_id, deal.id), &[])?;
            }
            t[15].insert("settings", encode(&settings).or_else(abort)?)?;
            for (k, v) in &meta {
                t[15].insert(k.as_bytes(), v.as_slice())?;
            }
            Ok(())
        })?;
        self.db.flush()?;
        drop(_guard);
        self.load_caches()?;
        self.rebuild_engagement_sums()?;
        Ok(self.record_counts())
    }
}

/// One record of a backup, or which kind is damaged.
fn record<T: serde::de::DeserializeOwned>(value: &serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(value.clone())
        .map_err(|e| Error::Backup(format!("a {what} record is damaged: {e}")))
}

/// All records of one kind of a backup.
fn records<T: serde::de::DeserializeOwned>(values: &[serde_json::Value], what: &str) -> Result<Vec<T>> {
    values.iter().map(|v| record(v, what)).collect()
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

/// SHA-256 over the data in a canonical form (object keys sorted at every
/// level), so the same data gives the same sum whichever way a JSON library
/// orders keys.
fn checksum(data: &BackupData) -> Result<String> {
    fn canonical(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, canonical(v))).collect())
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(canonical).collect())
            }
            other => other,
        }
    }
    let value = serde_json::to_value(data).map_err(|e| Error::Storage(e.to_string()))?;
    let bytes = serde_json::to_vec(&canonical(value)).map_err(|e| Error::Storage(e.to_string()))?;
    Ok(format!("sha256:{:x}", Sha256::digest(&bytes)))
}

fn check_backup(manifest: &BackupManifest, data: &BackupData) -> Result<()> {
    if manifest.format != BACKUP_FORMAT {
        return Err(Error::Backup(format!(
            "the file says it is \"{}\", not a Kontor backup",
            manifest.format
        )));
    }
    if manifest.schema_version > super::SCHEMA_VERSION {
        return Err(Error::Backup(format!(
            "it comes from a store with schema version {}, this Kontor reads up to {}; update Kontor",
            manifest.schema_version,
            super::SCHEMA_VERSION
        )));
    }
    if manifest.format_version > BACKUP_FORMAT_VERSION {
        return Err(Error::Backup(format!(
            "it has format version {}, this Kontor reads up to {BACKUP_FORMAT_VERSION}; update Kontor",
            manifest.format_version
        )));
    }
    if checksum(data)? != manifest.checksum {
        return Err(Error::Backup(
            "its checksum does not match: the file was changed or is incomplete".into(),
        ));
    }
    let counts = [
        ("contacts", manifest.counts.contacts, data.contacts.len()),
        ("organisations", manifest.counts.organizations, data.organizations.len()),
        ("activities", manifest.counts.activities, data.activities.len()),
        ("tasks", manifest.counts.tasks, data.tasks.len()),
        ("deals", manifest.counts.deals, data.deals.len()),
    ];
    for (what, said, found) in counts {
        if said as usize != found {
            return Err(Error::Backup(format!(
                "the manifest lists {said} {what} but the file holds {found}"
            )));
        }
    }
    Ok(())
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

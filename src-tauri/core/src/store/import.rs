//! The store's side of importing: deciding per record whether it is a new
//! contact, a merge into one it matches or an organisation, the preview,
//! and writing the records in batches.
//!
//! Invariants: an import writes whole records. New contacts go in as sled
//! batches per tree, bracketed by a marker naming them, so an interrupted
//! batch is completed at the next open; merges into existing contacts are
//! transactions. The search index learns the new contacts from one new
//! segment written at the end (a marker makes an interrupted import
//! rebuild the index instead).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::put_contact;
use super::duplicates::{fill, phone_key, unite, NAME_GROUP_CAP, NAME_SIMILARITY};
use super::organizations::{find_or_create_org, member_key};
use super::ready::{effective, window_of};
use super::search::{indexed_contact, put_organization_doc, IMPORT_UNINDEXED};
use super::{counters, decode, decode_tx, encode, encode_tx, new_id, ready, Rebuild, Store};
use crate::contact::{Contact, Organization, PhonePolicy, ValidContact};
use crate::error::{Error, Result};
use crate::import::{
    Draft, ExistingMatch, ImportOptions, ImportPreview, ImportReport, Parsed, PreviewRow, RowError,
};
use crate::search::segment::Builder;
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::text::fold;

/// Records written per batch.
const BATCH: usize = 2000;
/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 20;

/// Meta key of the new contacts of an import batch being written.
pub(super) const PENDING_IMPORT: &str = "import_pending";

/// Validates drafts as contacts (organisation cards: `None`). One thread:
/// the phone number parser serialises on its regex cache, so more threads
/// only wait for each other.
fn validate_drafts(
    drafts: &[&Draft],
    source: &str,
    region: phonenumber::country::Id,
) -> Vec<std::result::Result<Option<ValidContact>, RowError>> {
    drafts
        .iter()
        .map(|draft| {
            if draft.organization_only {
                return Ok(None);
            }
            let mut input = (*draft.input).clone();
            if input.source.is_none() {
                input.source = Some(source.to_owned());
            }
            input
                .validate_with(region, PhonePolicy::KeepAsWritten)
                .map(Some)
                .map_err(|e| RowError::from_error(draft.line, &e))
        })
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

/// An import batch ready to write (see [`Store::prepare_import_batch`]).
#[derive(Default)]
struct Prepared {
    /// Merges into contacts stored before, whole.
    merged: Vec<Contact>,
    /// The new contacts' ids, records and organisation keys.
    ids: Vec<Uuid>,
    records: sled::Batch,
    by_org: sled::Batch,
    /// New contacts ready to qualify already.
    ready_now: Vec<Contact>,
    per_stage: HashMap<Stage, i64>,
    docs: Vec<crate::search::IndexedDoc>,
}

/// What planning an import carries from batch to batch.
struct Planner {
    lookup: Lookup,
    /// Contacts this import created or changed that may not be written
    /// yet: a later record that merges into one finds it here.
    touched: HashMap<Uuid, Contact>,
    orgs_seen: std::collections::HashSet<String>,
}

impl Planner {
    /// Plans the records batch by batch and hands each batch to `send`;
    /// `written` says how many batches are on disk (their contacts are read
    /// back from the store when needed, not kept here).
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        store: &Store,
        parsed: Parsed,
        source: &str,
        options: &ImportOptions,
        report: &mut ImportReport,
        progress: &mut impl FnMut(u32, u32) -> bool,
        now: DateTime<Utc>,
        mut send: impl FnMut(Vec<Op>, Vec<Contact>) -> Result<()>,
        written: impl Fn() -> usize,
    ) -> Result<()> {
        let total = parsed.records.len() as u32;
        let mut done = 0u32;
        // Per batch handed out and not known to be on disk: the ids it touched.
        let mut in_flight: std::collections::VecDeque<Vec<Uuid>> = Default::default();
        // How many batches in flight have each contact.
        let mut refs: HashMap<Uuid, u32> = HashMap::new();
        let mut sent = 0usize;
        let mut records = parsed.records.into_iter().peekable();
        while records.peek().is_some() {
            let mut ops: Vec<Op> = Vec::new();
            let mut changed: Vec<Uuid> = Vec::new();
            let batch: Vec<std::result::Result<Draft, RowError>> = records.by_ref().take(BATCH).collect();
            let drafts: Vec<&Draft> = batch.iter().filter_map(|r| r.as_ref().ok()).collect();
            let mut valid = validate_drafts(&drafts, source, self.lookup.region).into_iter();
            for record in batch {
                done += 1;
                let draft = match record {
                    Ok(draft) => draft,
                    Err(e) => {
                        report.errors.push(e);
                        continue;
                    }
                };
                report.warnings.extend(draft.warnings.iter().cloned());
                let v = valid.next().unwrap_or(Ok(None));
                match store.plan(&draft, v, options, source, &self.lookup, &self.touched, now) {
                    Err(e) => report.errors.push(e),
                    Ok(Planned::Create(c, similar)) => {
                        report.possible_duplicates += u32::from(similar.is_some());
                        self.lookup.add(&c);
                        report.imported += 1;
                        changed.push(c.id);
                        self.touched.insert(c.id, (*c).clone());
                        ops.push(Op::Contact(c));
                    }
                    Ok(Planned::Merge(c, _)) => {
                        self.lookup.add(&c);
                        report.merged += 1;
                        changed.push(c.id);
                        self.touched.insert(c.id, *c);
                    }
                    Ok(Planned::Unchanged(_)) => report.skipped += 1,
                    Ok(Planned::Organization { name, postcode, region, exists }) => {
                        if exists || !self.orgs_seen.insert(fold(&name)) {
                            report.skipped += 1;
                        } else {
                            report.imported += 1;
                        }
                        ops.push(Op::Organization { name, postcode, region });
                    }
                }
            }
            // Contacts are written in their latest state: a record merged
            // into one created earlier in this batch adds to it.
            let mut created = std::collections::HashSet::new();
            for op in &mut ops {
                if let Op::Contact(c) = op {
                    if let Some(latest) = self.touched.get(&c.id) {
                        **c = latest.clone();
                    }
                    created.insert(c.id);
                }
            }
            let merged: Vec<Contact> = changed
                .iter()
                .filter(|id| !created.contains(*id))
                .filter_map(|id| self.touched.get(id).cloned())
                .collect();
            send(ops, merged)?;
            sent += 1;
            for id in &changed {
                *refs.entry(*id).or_default() += 1;
            }
            in_flight.push_back(changed);
            // Memory holds the batches in flight, not the whole import: a
            // contact leaves once no batch in flight has it.
            while in_flight.len() > sent.saturating_sub(written()) {
                for id in in_flight.pop_front().unwrap_or_default() {
                    let n = refs.entry(id).or_default();
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        refs.remove(&id);
                        self.touched.remove(&id);
                    }
                }
            }
            if !progress(done, total) {
                report.cancelled = done < total;
                break;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Every stored contact (score not computed).
    pub(super) fn all_contacts(&self) -> Result<Vec<Contact>> {
        self.t.contacts.iter().values().map(|v| decode(&v?)).collect()
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
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        draft: &Draft,
        valid: std::result::Result<Option<ValidContact>, RowError>,
        options: &ImportOptions,
        source: &str,
        lookup: &Lookup,
        touched: &HashMap<Uuid, Contact>,
        now: DateTime<Utc>,
    ) -> std::result::Result<Planned, RowError> {
        let input = &draft.input;
        if draft.organization_only {
            let name = input.organization.clone().unwrap_or_default();
            let exists =
                self.organization_named(&name).map_err(|e| RowError::from_error(draft.line, &e))?.is_some();
            return Ok(Planned::Organization {
                name,
                postcode: input.address.postcode.clone(),
                region: input.address.region.clone(),
                exists,
            });
        }
        let valid = valid?
            .ok_or_else(|| RowError::from_error(draft.line, &Error::Storage("not validated".into())))?;
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
        let drafts: Vec<&Draft> = parsed.records.iter().filter_map(|r| r.as_ref().ok()).collect();
        let mut valid = validate_drafts(&drafts, &source, lookup.region).into_iter();
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
                        contact: Some((*draft.input).clone()),
                        stage: draft.stage.unwrap_or(Stage::Lead),
                        organization_only: draft.organization_only,
                        error: None,
                        warnings: draft.warnings.clone(),
                        duplicate_of: None,
                        similar_to: None,
                    };
                    let v = valid.next().unwrap_or(Ok(None));
                    match self.plan(draft, v, options, &source, &lookup, &touched, now) {
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
    ///
    /// Planning (validation, duplicates) and writing run side by side: a
    /// writer thread takes batch after batch from a short queue while the
    /// next one is planned.
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
        let mut report = ImportReport { skipped: parsed.empty, ..Default::default() };
        let mut plan =
            Planner { lookup: self.lookup()?, touched: HashMap::new(), orgs_seen: Default::default() };
        if dry_run {
            plan.run(self, parsed, &source, options, &mut report, &mut progress, now, |_, _| Ok(()), || 0)?;
            return Ok(report);
        }
        self.t.meta.insert(IMPORT_UNINDEXED, &[1])?;
        self.db.flush()?;
        let written = std::sync::atomic::AtomicUsize::new(0);
        let (planned, (docs, wrote)) = std::thread::scope(|scope| {
            let (to_writer, batches) = std::sync::mpsc::sync_channel::<Prepared>(1);
            let writer = std::thread::Builder::new()
                .name("kontor-import".into())
                .spawn_scoped(scope, || {
                    let mut docs = Builder::default();
                    for batch in batches {
                        if let Err(e) = self.write_import_batch(batch, &mut docs, now) {
                            return (docs, Err(e));
                        }
                        written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    (docs, Ok(()))
                })
                .map_err(|e| Error::Storage(format!("cannot start the import: {e}")))?;
            let mut known: HashMap<String, Organization> = HashMap::new();
            let send = |ops: Vec<Op>, merged: Vec<Contact>| {
                let batch = self.prepare_import_batch(ops, merged, &mut known, now)?;
                // The writer only hangs up on an error, which it returns.
                to_writer.send(batch).map_err(|_| Error::Storage("the import writer stopped".into()))
            };
            let written = || written.load(std::sync::atomic::Ordering::SeqCst);
            let planned =
                plan.run(self, parsed, &source, options, &mut report, &mut progress, now, send, written);
            drop(to_writer);
            let wrote = writer.join().unwrap_or_else(|_| {
                (Builder::default(), Err(Error::Storage("the import writer failed".into())))
            });
            Ok::<_, Error>((planned, wrote))
        })?;
        // The new contacts reach the search index in one new segment; if
        // that fails, the index is rebuilt from the records instead.
        if let Err(e) = self.merge_into_segment(docs, now) {
            self.mark_rebuild(Rebuild::SEARCH)?;
            wrote?;
            planned?;
            return Err(e);
        }
        wrote?;
        planned?;
        Ok(report)
    }

    /// Readies one import batch for the writer: organisations this import
    /// has not met yet are found or created (cards fill in postcode and
    /// region), contacts linked to theirs, and the new contacts encoded with
    /// their organisation keys, whether they are ready to qualify, and their
    /// search documents. Runs beside the writer, so that it only writes.
    fn prepare_import_batch(
        &self,
        ops: Vec<Op>,
        merged: Vec<Contact>,
        known: &mut HashMap<String, Organization>,
        now: DateTime<Utc>,
    ) -> Result<Prepared> {
        let mut names: Vec<&str> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Contact(c) => c.organization.as_deref(),
                Op::Organization { name, .. } => Some(name.as_str()),
            })
            .chain(merged.iter().filter_map(|c| c.organization.as_deref()))
            .filter(|name| !known.contains_key(*name))
            .collect();
        names.sort_unstable();
        names.dedup();
        let cards: Vec<(&str, &Option<String>, &Option<String>)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Organization { name, postcode, region } if postcode.is_some() || region.is_some() => {
                    Some((name.as_str(), postcode, region))
                }
                _ => None,
            })
            .collect();
        if !names.is_empty() || !cards.is_empty() {
            let found: HashMap<String, Organization> = self.transact(now, |tx| {
                let mut found = HashMap::new();
                for name in &names {
                    found.insert((*name).to_owned(), find_or_create_org(tx, name)?);
                }
                for (name, postcode, region) in &cards {
                    let Some(id) = found.get(*name).or_else(|| known.get(*name)).map(|o| o.id) else {
                        continue;
                    };
                    let Some(bytes) = tx.organizations.get(id.as_bytes())? else { continue };
                    let mut org: Organization = decode_tx(&bytes)?;
                    if org.postcode.is_none() && postcode.is_some()
                        || org.region.is_none() && region.is_some()
                    {
                        org.postcode = org.postcode.clone().or_else(|| (*postcode).clone());
                        org.region = org.region.clone().or_else(|| (*region).clone());
                        tx.organizations.insert(org.id.as_bytes(), encode_tx(&org)?)?;
                        put_organization_doc(tx, &org)?;
                        found.insert((*name).to_owned(), org);
                    }
                }
                Ok(found)
            })?;
            for org in found.values() {
                self.orgs.forget(org.id);
            }
            known.extend(found);
        }
        let link = |c: &mut Contact| {
            if let Some(org) = c.organization.as_deref().and_then(|name| known.get(name)) {
                c.organization = Some(org.name.clone());
                c.organization_id = Some(org.id);
            }
        };
        let mut prepared = Prepared::default();
        for mut c in merged {
            link(&mut c);
            prepared.merged.push(c);
        }
        let settings = self.settings();
        let by_id: HashMap<Uuid, &Organization> = known.values().map(|o| (o.id, o)).collect();
        for op in ops {
            let Op::Contact(mut c) = op else { continue };
            link(&mut c);
            prepared.records.insert(c.id.as_bytes().as_slice(), encode(&*c)?);
            if let Some(org) = c.organization_id {
                prepared.by_org.insert(member_key(org, c.id).as_slice(), &[]);
            }
            let org = c.organization_id.and_then(|id| by_id.get(&id).copied());
            let criteria = effective(&c, org, &settings);
            *prepared.per_stage.entry(c.stage).or_default() += 1;
            prepared.ids.push(c.id);
            prepared.docs.push(indexed_contact(&c, None));
            if window_of(c.stage, &criteria, None, &settings.scoring, now).is_some() {
                prepared.ready_now.push(*c);
            }
        }
        Ok(prepared)
    }

    /// Writes one prepared import batch, and adds its new contacts to
    /// `docs` for the search index.
    ///
    /// Merges into existing contacts are written in a transaction. New
    /// contacts and their organisation keys go in as one sled batch per
    /// tree (a transaction over thousands of records costs several times
    /// more), bracketed by a marker that names them; their ready windows and
    /// the counters follow in a transaction. Should the process die in
    /// between, [`Store::finish_interrupted_import`] completes them from the
    /// records at the next open, so no record ends half-written.
    fn write_import_batch(&self, batch: Prepared, docs: &mut Builder, now: DateTime<Utc>) -> Result<()> {
        if !batch.merged.is_empty() {
            self.transact(now, |tx| {
                for c in &batch.merged {
                    let Some(bytes) = tx.contacts.get(c.id.as_bytes())? else { continue };
                    let old: Contact = decode_tx(&bytes)?;
                    put_contact(tx, Some(&old), Some(c))?;
                }
                Ok(())
            })?;
        }
        if batch.ids.is_empty() {
            return Ok(());
        }
        self.t.meta.insert(PENDING_IMPORT, encode(&batch.ids)?)?;
        self.t.contacts.apply_batch(batch.records)?;
        self.t.by_org.apply_batch(batch.by_org)?;
        self.transact(now, |tx| {
            for c in &batch.ready_now {
                ready::put(tx, c.id, Some(c), None)?;
            }
            for (stage, n) in &batch.per_stage {
                counters::add(tx.counters, &counters::contacts_key(*stage), *n)?;
            }
            tx.meta.remove(PENDING_IMPORT)?;
            Ok(())
        })?;
        for doc in batch.docs {
            docs.add(doc);
        }
        Ok(())
    }

    /// Completes an import batch the process did not finish (see
    /// [`Store::write_import_batch`]): every new contact it names that was
    /// written gets its organisation key, ready window and count, in one
    /// transaction with the marker's removal; the search index is rebuilt.
    /// Runs at open.
    pub(super) fn finish_interrupted_import(&self) -> Result<()> {
        if self.t.meta.get(IMPORT_UNINDEXED)?.is_some() {
            self.mark_rebuild(Rebuild::SEARCH)?;
        }
        let Some(bytes) = self.t.meta.get(PENDING_IMPORT)? else { return Ok(()) };
        let ids: Vec<Uuid> = decode(&bytes)?;
        let mut contacts = Vec::new();
        for id in &ids {
            if let Some(bytes) = self.t.contacts.get(id.as_bytes())? {
                contacts.push(decode::<Contact>(&bytes)?);
            }
        }
        // Times only matter for windows of activities ahead; new contacts have none.
        self.transact(DateTime::UNIX_EPOCH, |tx| {
            // The marker leaves with the batch's counts: still here, they are missing.
            for c in &contacts {
                if let Some(org) = c.organization_id {
                    tx.by_org.insert(&member_key(org, c.id), &[])?;
                }
                counters::add(tx.counters, &counters::contacts_key(c.stage), 1)?;
                ready::put(tx, c.id, Some(c), None)?;
            }
            tx.meta.remove(PENDING_IMPORT)?;
            Ok(())
        })?;
        self.mark_rebuild(Rebuild::SEARCH)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::import;
    use crate::store::ListQuery;

    #[test]
    fn an_import_batch_cut_off_before_its_counts_is_completed_at_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let options = ImportOptions::default();
        let csv = "Vorname,Nachname,E-Mail\nAnna,Schmidt,anna@x.de\nBen,Meier,ben@x.de\n";
        let parsed = import::parse(csv.as_bytes(), "a.csv", &options).unwrap();
        store.import(parsed, "a.csv", &options, false, |_, _| true, now).unwrap();
        let anna = store.all_contacts().unwrap().into_iter().find(|c| c.first_name == "Anna").unwrap();
        // The process died after the records were written, before their
        // counts and windows: the marker is there and Anna is not counted.
        store.t.meta.insert(PENDING_IMPORT, encode(&vec![anna.id]).unwrap()).unwrap();
        store.t.counters.insert(counters::contacts_key(Stage::Lead), &1u64.to_be_bytes()).unwrap();
        store.db.flush().unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let page = store.list_contacts(&ListQuery::default(), now).unwrap();
        let names: Vec<&str> = page.items.iter().map(|c| c.display_name.as_str()).collect();
        assert_eq!(names, ["Anna Schmidt", "Ben Meier"]);
        assert!(store.t.meta.get(PENDING_IMPORT).unwrap().is_none());
        let leads =
            store.list_contacts(&ListQuery { stage: Some(Stage::Lead), ..Default::default() }, now).unwrap();
        assert_eq!((leads.items.len(), leads.total), (2, 2));
        assert_eq!(store.stage_counts(None, now).unwrap().lead, 2);
    }
}

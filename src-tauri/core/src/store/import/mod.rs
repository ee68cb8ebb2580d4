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

mod lookup;
mod write;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::search::IMPORT_UNINDEXED;
use super::{decode, new_id, Rebuild, Store};
use crate::contact::{Contact, Organization, Unparsed, ValidContact};
use crate::error::{Error, Result};
use crate::import::DuplicateChoice;
use crate::import::{
    Draft, ExistingMatch, ImportOptions, ImportPreview, ImportReport, Parsed, PreviewRow, RowError,
};
use crate::search::segment::Builder;
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::text::fold;

use lookup::{fill_contact, Lookup};
use write::Prepared;

/// Records written per batch.
const BATCH: usize = 500;
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
            let mut input = draft.input();
            if input.source.is_none() {
                input.source = Some(source.to_owned());
            }
            input
                .validate_with(region, Unparsed::KeepAsWritten)
                .map(Some)
                .map_err(|e| RowError::from_error(draft.line, &e))
        })
        .collect()
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
    /// Left out by the rep's choice (it is or may be this contact).
    Skipped(ExistingMatch, bool),
    Organization {
        name: String,
        postcode: Option<String>,
        region: Option<String>,
        exists: bool,
    },
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
                    Ok(Planned::Unchanged(_)) | Ok(Planned::Skipped(..)) => report.skipped += 1,
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
    /// Every stored contact (score not computed). Reads them all: for
    /// reports, duplicates and the field day's suggestions, never for a list page.
    pub fn all_contacts(&self) -> Result<Vec<Contact>> {
        self.t.contacts.iter().values().map(|v| decode(&v?)).collect()
    }

    fn lookup(&self) -> Result<Lookup> {
        let mut lookup = Lookup::new(self.region());
        for bytes in self.t.contacts.iter().values() {
            lookup.add(&decode::<Contact>(&bytes?)?);
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
        if draft.organization_only {
            // A person's record was unpacked for its validation; a card's
            // only here.
            let input = draft.input();
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
        // A record that is (certain) or may be a contact already does what
        // the rep chose for it: merge into it, come in as new, or stay out.
        let merge_into = |id: Uuid, found: ExistingMatch| -> std::result::Result<Planned, RowError> {
            let mut existing = match touched.get(&id) {
                Some(c) => c.clone(),
                None => self.raw_contact(id).map_err(|e| RowError::from_error(draft.line, &e))?,
            };
            let found = ExistingMatch { display_name: existing.display_name.clone(), ..found };
            Ok(if fill_contact(&mut existing, &valid) {
                existing.updated_at = now;
                Planned::Merge(Box::new(existing), found)
            } else {
                Planned::Unchanged(found)
            })
        };
        let mut similar = None;
        let mut certain = false;
        match lookup.find(&valid) {
            Some(Ok((id, reason))) => {
                let display_name = lookup.display_name(id);
                similar = Some(ExistingMatch { id, display_name, reason });
                certain = true;
            }
            Some(Err(other)) => similar = Some(other),
            None => {}
        }
        if let Some(found) = similar.take() {
            match options.choice(draft.line, certain) {
                DuplicateChoice::Merge => return merge_into(found.id, found),
                DuplicateChoice::Skip => return Ok(Planned::Skipped(found, certain)),
                DuplicateChoice::New => similar = Some(found),
            }
        }
        let reason = Some(format!("Import: {source}"));
        let mut c = Contact::new_lead(new_id(now), valid.clone(), ChangedBy::Import, reason, now);
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
        // A merely alike name whose owner's own email, phone and address differ is someone else.
        let alike = |m: &ExistingMatch| {
            let existing = touched.get(&m.id).cloned().or_else(|| self.raw_contact(m.id).ok());
            existing.is_some_and(|e| crate::store::duplicates::alike_but_apart(&c, &e))
        };
        let similar = match similar {
            Some(found) => Some(found),
            None => match lookup.similar(&c).filter(|m| !alike(m)) {
                Some(found) => match options.choice(draft.line, false) {
                    DuplicateChoice::Merge => return merge_into(found.id, found),
                    DuplicateChoice::Skip => return Ok(Planned::Skipped(found, false)),
                    DuplicateChoice::New => Some(found),
                },
                None => None,
            },
        };
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
                    choice: None,
                    certain: false,
                },
                Ok(draft) => {
                    let mut row = PreviewRow {
                        line: draft.line,
                        contact: Some(draft.input()),
                        stage: draft.stage.unwrap_or(Stage::Lead),
                        organization_only: draft.organization_only,
                        error: None,
                        warnings: draft.warnings.clone(),
                        duplicate_of: None,
                        similar_to: None,
                        choice: None,
                        certain: false,
                    };
                    let v = valid.next().unwrap_or(Ok(None));
                    match self.plan(draft, v, options, &source, &lookup, &touched, now) {
                        Err(e) => row.error = Some(e),
                        Ok(Planned::Create(c, similar_to)) => {
                            row.choice = similar_to.as_ref().map(|_| DuplicateChoice::New);
                            row.similar_to = similar_to;
                            lookup.add(&c);
                            touched.insert(c.id, *c);
                        }
                        Ok(Planned::Merge(c, found)) => {
                            lookup.add(&c);
                            touched.insert(c.id, *c);
                            row.duplicate_of = Some(found);
                            row.choice = Some(DuplicateChoice::Merge);
                        }
                        Ok(Planned::Unchanged(found)) => {
                            row.duplicate_of = Some(found);
                            row.choice = Some(DuplicateChoice::Merge);
                        }
                        Ok(Planned::Skipped(found, certain)) => {
                            row.certain = certain;
                            row.similar_to = Some(found);
                            row.choice = Some(DuplicateChoice::Skip);
                        }
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
        let mut docs = self.segment_builder();
        // One search document per record at most: room for them at once.
        docs.reserve(parsed.records.len());
        let (planned, (docs, wrote)) = std::thread::scope(|scope| {
            let (to_writer, batches) = std::sync::mpsc::sync_channel::<Prepared>(1);
            let writer = std::thread::Builder::new()
                .name("kontor-import".into())
                .spawn_scoped(scope, || {
                    let mut docs = docs;
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
        // Cut short: say what was kept (batches are whole, and importing the
        // file again merges what is there and adds the rest).
        let kept = written.load(std::sync::atomic::Ordering::SeqCst) * BATCH;
        let cut = |e: Error| -> Error {
            if kept == 0 {
                return e;
            }
            Error::Storage(format!(
                "the file's first {kept} records were imported before this failed ({e}); importing the file again adds the rest"
            ))
        };
        let (planned, wrote) = (planned.map_err(cut), wrote.map_err(cut));
        // The duplicate lookup is done with; the segment below needs room.
        drop(plan);
        // The new contacts reach the search index in one new segment; if
        // that fails, the index is rebuilt from the records instead.
        if let Err(e) = self.merge_into_segment(docs, now) {
            self.mark_rebuild(Rebuild::SEARCH)?;
            wrote?;
            planned?;
            return Err(Error::Storage(format!(
                "every record was imported ({} new, {} merged), but the search index could not be written \
                 ({e}); it is rebuilt from the records at the next start",
                report.imported, report.merged
            )));
        }
        wrote?;
        planned?;
        Ok(report)
    }
}

//! The store's side of search: every write of a contact, organisation or
//! deal puts its indexed form into the `search_delta` tree in the same
//! transaction; the delta is merged into a new segment file when it grows
//! (or after an import), and the whole index is rebuilt from the records
//! when it is missing or damaged.
//!
//! Invariants:
//! - the delta tree and the records never disagree: a crash between a
//!   write and a merge leaves the entry in the delta, which is the truth
//!   for its record; a merge writes the new segment whole, then switches
//!   `meta/search_segment` and drops exactly the entries it merged in one
//!   transaction, so a crash leaves the old segment with the whole delta or
//!   the new one with the rest;
//! - opening reads no record: the segment's terms and document table, and
//!   the delta's entries, are read when search is first used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{counters, decode, encode_tx, lock, Rebuild, Store, Tx, TxResult};
use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::score::EngagementSums;
use crate::search::highlight::{marks, snippet};
use crate::search::index::{DeltaEntry, Filter, Found, Index, Outcome};
use crate::search::query::Query;
use crate::search::segment::{self, Builder, Segment};
use crate::search::terms::{contact_doc, deal_doc, organization_doc};
use crate::search::{
    ContactMatch, DocKey, DocKind, Fields, IndexedDoc, MatchContext, SearchHit, SearchQuery, SearchResults,
    StageCounts,
};

/// Meta key of the current segment's generation.
const SEGMENT: &str = "search_segment";
/// Meta key set while an import writes records its segment does not hold yet.
pub(super) const IMPORT_UNINDEXED: &str = "search_import_pending";
/// Delta entries from which a merge into a new segment is due.
pub const MERGE_AT: usize = 1000;
/// Characters of notes shown around a match.
const SNIPPET: usize = 90;

/// The search index in memory: opened when first used.
pub(super) struct SearchState {
    dir: PathBuf,
    index: Mutex<Option<Index>>,
    /// One merge or rebuild at a time.
    merging: Mutex<()>,
}

impl SearchState {
    pub(super) fn new(dir: &Path) -> SearchState {
        SearchState { dir: dir.join("search"), index: Mutex::new(None), merging: Mutex::new(()) }
    }

    /// Records committed delta entries in the open index (an index not yet
    /// open reads them from the tree when it opens).
    pub(super) fn apply(&self, entries: Vec<(DocKey, DeltaEntry)>) {
        if entries.is_empty() {
            return;
        }
        if let Some(index) = lock(&self.index).as_mut() {
            for (key, entry) in entries {
                index.apply(key, entry);
            }
        }
    }

    fn path(&self, generation: u64) -> PathBuf {
        self.dir.join(format!("segment-{generation}.kix"))
    }

    /// Forgets the open index (after a restore replaced everything).
    pub(super) fn reset(&self) {
        *lock(&self.index) = None;
    }
}

/// Puts a record's indexed form (`None`: removed) into the delta inside a
/// transaction.
pub(super) fn put_doc(tx: &Tx, key: DocKey, doc: Option<IndexedDoc>) -> TxResult<()> {
    let seq = counters::add(tx.counters, counters::SEARCH_SEQ, 1)?;
    let entry = DeltaEntry { seq, doc };
    tx.search_delta.insert(&key.bytes(), encode_tx(&entry)?)?;
    tx.effects.borrow_mut().search.push((key, entry));
    Ok(())
}

/// A contact's indexed form; its newest activity (from its engagement
/// sums) ranks it among equal matches.
pub(super) fn indexed_contact(c: &Contact, sums: Option<&EngagementSums>) -> IndexedDoc {
    let last = sums.filter(|s| s.count() > 0).map(|s| s.base_ms);
    contact_doc(c, super::stage_tag(c.stage), last)
}

/// Puts a contact's indexed form into the delta.
pub(super) fn put_contact_doc(tx: &Tx, c: &Contact, sums: Option<&EngagementSums>) -> TxResult<()> {
    put_doc(tx, DocKey::new(DocKind::Contact, c.id), Some(indexed_contact(c, sums)))
}

/// Puts an organisation's indexed form into the delta.
pub(super) fn put_organization_doc(tx: &Tx, o: &Organization) -> TxResult<()> {
    put_doc(tx, DocKey::new(DocKind::Organization, o.id), Some(organization_doc(o)))
}

/// Puts a deal's indexed form (`None`: deleted) into the delta.
pub(super) fn put_deal_doc(tx: &Tx, id: Uuid, d: Option<&Deal>) -> TxResult<()> {
    put_doc(tx, DocKey::new(DocKind::Deal, id), d.map(deal_doc))
}

fn fields_of(f: &Found) -> Fields {
    Fields::from_bits(f.fields)
}

const CONTACTS: &[DocKind] = &[DocKind::Contact];
const ORGANIZATIONS: &[DocKind] = &[DocKind::Organization];
const DEALS: &[DocKind] = &[DocKind::Deal];

fn only(kind: Option<DocKind>) -> &'static [DocKind] {
    match kind {
        Some(DocKind::Contact) => CONTACTS,
        Some(DocKind::Organization) => ORGANIZATIONS,
        Some(DocKind::Deal) => DEALS,
        None => &[],
    }
}

impl Store {
    /// Runs `f` on the search index, opening it first when needed: the
    /// segment named in the meta tree and the delta entries. A segment that
    /// cannot be read is marked for a rebuild; search then sees the delta
    /// alone until the rebuild is done.
    pub(super) fn with_search_index<T>(&self, f: impl FnOnce(&mut Index) -> Result<T>) -> Result<T> {
        let mut guard = lock(&self.search.index);
        if guard.is_none() {
            *guard = Some(self.open_index()?);
        }
        f(guard.as_mut().unwrap_or_else(|| unreachable!()))
    }

    /// Reads the search index in (term dictionary, document table, the
    /// delta) so that the first list or search does not wait for it. The
    /// app does this while its window starts.
    pub fn warm_up(&self) -> Result<()> {
        self.with_search_index(|index| index.prepare())
    }

    fn open_index(&self) -> Result<Index> {
        let disk = match self.segment_generation()? {
            Some(generation) => match Segment::open(&self.search.path(generation)) {
                Ok(seg) => Some(Arc::new(seg)),
                Err(e) => {
                    eprintln!("kontor: {e}; the search index will be rebuilt");
                    self.mark_rebuild(Rebuild::SEARCH)?;
                    None
                }
            },
            None => None,
        };
        let mut delta = HashMap::new();
        for kv in self.t.search_delta.iter() {
            let (key, value) = kv?;
            let key =
                DocKey::from_bytes(&key).ok_or_else(|| Error::Storage("malformed search key".into()))?;
            delta.insert(key, decode::<DeltaEntry>(&value)?);
        }
        Ok(Index::new(disk, delta))
    }

    fn segment_generation(&self) -> Result<Option<u64>> {
        Ok(self.t.meta.get(SEGMENT)?.and_then(|v| v.as_ref().try_into().ok()).map(u64::from_be_bytes))
    }

    /// Runs a query over the index.
    pub(super) fn run_query(
        &self,
        query: &Query,
        filter: &Filter,
        need: usize,
        keep: Option<&dyn Fn(&DocKey) -> bool>,
        count_if: Option<&dyn Fn(&DocKey) -> bool>,
    ) -> Result<Outcome> {
        self.with_search_index(|index| index.run(query, filter, need, false, keep, count_if))
    }

    /// Searches contacts, organisations and deals (SPEC §11): typo
    /// tolerant, ranked exact before prefix before typo, name before
    /// organisation before the other fields, then most recent first. With
    /// `per_kind` the best `limit` of each kind, grouped; else the best
    /// `limit` of all.
    pub fn search(&self, request: &SearchQuery) -> Result<SearchResults> {
        let rebuilding = self.needs_rebuild();
        let Some(query) = Query::parse(&request.text) else {
            return Ok(SearchResults { rebuilding, ..Default::default() });
        };
        let limit = request.limit as usize;
        let per_kind = request.per_kind && request.kind.is_none();
        let filter = Filter { kinds: only(request.kind), stage: None };
        let out = self.with_search_index(|index| index.run(&query, &filter, limit, per_kind, None, None))?;
        let mut results = SearchResults {
            rebuilding,
            contacts: out.by_kind[DocKind::Contact as usize],
            organizations: out.by_kind[DocKind::Organization as usize],
            deals: out.by_kind[DocKind::Deal as usize],
            more: !out.complete,
            hits: Vec::with_capacity(out.top.len()),
        };
        for found in &out.top {
            if let Some(hit) = self.hit(found, &query)? {
                results.hits.push(hit);
            }
        }
        Ok(results)
    }

    /// The hit of a match: its record's title and subtitle with marks, and
    /// the matched field they do not show. `None` when the record is gone.
    fn hit(&self, found: &Found, query: &Query) -> Result<Option<SearchHit>> {
        let fields = fields_of(found);
        let mut shown = Fields::NAME | Fields::TITLE;
        let (title, subtitle, stage, context) = match found.key.kind {
            DocKind::Contact => {
                let Ok(c) = self.raw_contact(found.key.id) else { return Ok(None) };
                let mut parts: Vec<&str> = Vec::new();
                parts.extend(c.title.as_deref());
                parts.extend(c.organization.as_deref());
                shown |= Fields::ORGANIZATION | Fields::JOB_TITLE;
                if parts.is_empty() {
                    parts.extend(c.emails.first().map(String::as_str));
                }
                let context = contact_context(&c, fields, shown, query);
                (c.display_name.clone(), parts.join(" · "), Some(c.stage), context)
            }
            DocKind::Organization => {
                let Some(o) = self.org_cached(found.key.id) else { return Ok(None) };
                let mut parts: Vec<String> = Vec::new();
                parts.extend(o.industry.clone());
                let place =
                    [o.postcode.as_deref(), o.region.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                if !place.is_empty() {
                    parts.push(place.join(" "));
                }
                shown |= Fields::INDUSTRY | Fields::POSTCODE | Fields::REGION;
                (o.name.clone(), parts.join(" · "), None, None)
            }
            DocKind::Deal => {
                let Ok(d) = self.deal(found.key.id) else { return Ok(None) };
                let who = self.display_name(d.contact_id).unwrap_or_default();
                let value = crate::money::format_money(d.value, &d.currency, self.language());
                let context = deal_context(&d, fields, query);
                (d.title.clone(), format!("{who} · {value}"), None, context)
            }
        };
        Ok(Some(SearchHit {
            kind: found.key.kind,
            id: found.key.id,
            title_marks: marks(&title, query),
            subtitle_marks: marks(&subtitle, query),
            title,
            subtitle,
            matched: fields.names(),
            context,
            stage,
        }))
    }

    /// Contacts matching `query` for the contact list: best first, of
    /// `stage` (all when `None`), only those `keep` accepts; the ids of the
    /// first `need` and how many match in all.
    pub(super) fn search_contacts(
        &self,
        query: &Query,
        stage: Option<crate::stage::Stage>,
        keep: Option<&dyn Fn(&DocKey) -> bool>,
        need: usize,
    ) -> Result<ContactHits> {
        let filter = Filter { kinds: CONTACTS, stage: stage.map(super::stage_tag) };
        let out = self.run_query(query, &filter, need, keep, None)?;
        let top = out.top.iter().map(|f| (f.key.id, fields_of(f))).collect();
        Ok(ContactHits { top, total: out.total, complete: out.complete })
    }

    /// Contacts per stage among those matching `text`, and how many of them
    /// `is_ready` accepts.
    pub(super) fn search_stage_counts(
        &self,
        text: &str,
        is_ready: &dyn Fn(&DocKey) -> bool,
    ) -> Result<StageCounts> {
        let Some(query) = Query::parse(text) else { return Ok(StageCounts::default()) };
        let filter = Filter { kinds: CONTACTS, stage: None };
        let out = self.run_query(&query, &filter, 0, None, Some(is_ready))?;
        let mut counts = StageCounts { all: out.by_kind[DocKind::Contact as usize], ..Default::default() };
        for stage in crate::stage::Stage::ALL {
            counts.set(stage, out.by_stage[super::stage_tag(stage) as usize]);
        }
        counts.ready_to_qualify = out.counted;
        Ok(counts)
    }

    /// Merges the delta into a new segment when it has grown to
    /// [`MERGE_AT`] entries. Returns whether it merged.
    pub fn merge_search_delta(&self, now: DateTime<Utc>) -> Result<bool> {
        // Counted on the tree (up to the mark), so a process that never
        // searched does not open the index for it.
        if self.t.search_delta.iter().keys().nth(MERGE_AT - 1).is_none() {
            return Ok(false);
        }
        self.merge_into_segment(Builder::default(), now)?;
        Ok(true)
    }

    /// Writes a new segment: the current one with the delta and `extra`
    /// documents (an import's new records) merged in; then switches to it
    /// and drops the merged delta entries (see [`Store::install_segment`]).
    pub(super) fn merge_into_segment(&self, extra: Builder, now: DateTime<Utc>) -> Result<()> {
        let _merging = lock(&self.search.merging);
        // The delta is newer than `extra` (an import's records, changed
        // again while it ran): its entries replace or remove theirs. Read
        // under the index's lock, not copied (an import's delta of new
        // organisations can hold 30,000 documents).
        let mut added = extra;
        let (disk, merged) = self.with_search_index(|i| {
            let mut merged: HashMap<DocKey, u64> = HashMap::with_capacity(i.delta().len());
            for (key, entry) in i.delta() {
                match &entry.doc {
                    Some(doc) => added.add(doc.clone()),
                    None => added.remove(*key),
                }
                merged.insert(*key, entry.seq);
            }
            Ok((i.disk(), merged))
        })?;
        let generation = self.segment_generation()?.unwrap_or(0) + 1;
        std::fs::create_dir_all(&self.search.dir).map_err(|e| Error::Storage(e.to_string()))?;
        let path = self.search.path(generation);
        match &disk {
            Some(old) => segment::merge(old, |k| !merged.contains_key(k), added, &path)?,
            None => segment::write(&path, added)?,
        }
        self.install_segment(generation, &merged, false, now)
    }

    /// A builder for a segment of many documents: their postings wait in a
    /// temporary file beside the index (in memory if none can be made).
    pub(super) fn segment_builder(&self) -> Builder {
        Builder::on_disk(&self.search.dir).unwrap_or_default()
    }

    /// Builds the search index anew from every contact, organisation and
    /// deal, and switches to it.
    pub(super) fn rebuild_search(&self, now: DateTime<Utc>) -> Result<()> {
        let _merging = lock(&self.search.merging);
        // Entries written before this point are covered by the records read
        // below; later ones stay in the delta.
        let mut before: HashMap<DocKey, u64> = HashMap::new();
        for kv in self.t.search_delta.iter() {
            let (key, value) = kv?;
            if let Some(key) = DocKey::from_bytes(&key) {
                before.insert(key, decode::<DeltaEntry>(&value)?.seq);
            }
        }
        let mut docs = self.segment_builder();
        for kv in self.t.contacts.iter() {
            let (key, value) = kv?;
            let c: Contact = decode(&value)?;
            let sums = self.t.engagement.get(&key)?.map(|b| decode::<EngagementSums>(&b)).transpose()?;
            docs.add(indexed_contact(&c, sums.as_ref()));
        }
        for value in self.t.organizations.iter().values() {
            docs.add(organization_doc(&decode(&value?)?));
        }
        for value in self.t.deals.iter().values() {
            docs.add(deal_doc(&decode(&value?)?));
        }
        let generation = self.segment_generation()?.unwrap_or(0) + 1;
        std::fs::create_dir_all(&self.search.dir).map_err(|e| Error::Storage(e.to_string()))?;
        segment::write(&self.search.path(generation), docs)?;
        self.install_segment(generation, &before, true, now)
    }

    /// Switches to segment `generation` (written and synced) and drops the
    /// delta entries it holds (those not written again since); a rebuild
    /// also clears its mark. The old segment file is removed after.
    fn install_segment(
        &self,
        generation: u64,
        merged: &HashMap<DocKey, u64>,
        rebuilt: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let seg = Arc::new(Segment::open(&self.search.path(generation))?);
        let old = self.segment_generation()?;
        self.with_search_index(|index| {
            // Holding the index: no write's effect lands between the switch
            // on disk and the switch in memory.
            self.transact(now, |tx| {
                tx.meta.insert(SEGMENT, &generation.to_be_bytes())?;
                tx.meta.remove(IMPORT_UNINDEXED)?;
                if rebuilt {
                    let pending = tx.meta.get(super::REBUILD)?.and_then(|v| v.first().copied()).unwrap_or(0);
                    tx.meta.insert(super::REBUILD, &[pending & !Rebuild::SEARCH.0])?;
                }
                Ok(())
            })?;
            // The delta entries the segment now holds go in transactions
            // of their own, a thousand at a time (one over an import's
            // 30,000 made sled copy every page it touched). Until they have
            // gone, the delta and the segment hold the same documents, and
            // the delta's stand for the segment's: the same results.
            let merged_keys: Vec<(&DocKey, &u64)> = merged.iter().collect();
            for part in merged_keys.chunks(1000) {
                self.transact(now, |tx| {
                    for (key, seq) in part {
                        let current = tx.search_delta.get(key.bytes())?;
                        let same = current
                            .map(|v| super::decode_tx::<DeltaEntry>(&v))
                            .transpose()?
                            .is_some_and(|e| e.seq == **seq);
                        if same {
                            tx.search_delta.remove(&key.bytes())?;
                        }
                    }
                    Ok(())
                })?;
            }
            index.replace_disk(Some(seg), merged);
            Ok(())
        })?;
        if let Some(old) = old.filter(|o| *o != generation) {
            let _ = std::fs::remove_file(self.search.path(old));
        }
        self.remove_stale_segments(generation);
        if rebuilt {
            let pending = self.rebuild_pending()? != Rebuild::NONE;
            self.rebuilding.store(pending, std::sync::atomic::Ordering::SeqCst);
        }
        Ok(())
    }

    /// Removes segment files other than the current one (left by a merge
    /// that died before switching).
    fn remove_stale_segments(&self, current: u64) {
        let Ok(entries) = std::fs::read_dir(&self.search.dir) else { return };
        let keep = format!("segment-{current}.kix");
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != keep
                && name.starts_with("segment-")
                && [".kix", ".tmp", ".kontor-tmp"].iter().any(|end| name.ends_with(end))
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Checks the current search segment file's checksum (reads it whole).
    pub fn verify_search_index(&self) -> Result<()> {
        match self.with_search_index(|i| Ok(i.disk()))? {
            Some(seg) => seg.verify(),
            None => Ok(()),
        }
    }
}

/// Why a listed contact matched `query` (see [`ContactMatch`]).
pub(super) fn contact_match(c: &Contact, fields: Fields, query: &Query) -> ContactMatch {
    let shown = Fields::NAME | Fields::ORGANIZATION | Fields::JOB_TITLE;
    ContactMatch {
        id: c.id,
        matched: fields.names(),
        name_marks: marks(&c.display_name, query),
        organization_marks: c.organization.as_deref().map(|o| marks(o, query)).unwrap_or_default(),
        context: contact_context(c, fields, shown, query),
    }
}

/// The first matched contact field the title and subtitle do not show.
fn contact_context(c: &Contact, fields: Fields, shown: Fields, query: &Query) -> Option<MatchContext> {
    let address = [
        c.address.street.clone(),
        [c.address.postcode.as_deref(), c.address.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
        c.address.region.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let candidates: Vec<(Fields, Vec<String>)> = vec![
        (Fields::EMAIL, c.emails.clone()),
        (Fields::PHONE, c.phones.clone()),
        (Fields::TAGS, vec![c.tags.join(", ")]),
        (Fields::CITY | Fields::POSTCODE | Fields::STREET | Fields::REGION, vec![address]),
        (Fields::SOURCE, c.source.clone().into_iter().collect()),
        (Fields::NOTES, c.notes.clone().into_iter().collect()),
    ];
    context_of(candidates, fields, shown, query)
}

/// The first matched deal field besides its title.
fn deal_context(d: &Deal, fields: Fields, query: &Query) -> Option<MatchContext> {
    let candidates: Vec<(Fields, Vec<String>)> = vec![
        (Fields::NEXT_STEP, d.next_step.clone().into_iter().collect()),
        (Fields::PRODUCTS, d.line_items.iter().map(|i| i.product.clone()).collect()),
    ];
    context_of(candidates, fields, Fields::TITLE, query)
}

fn context_of(
    candidates: Vec<(Fields, Vec<String>)>,
    fields: Fields,
    shown: Fields,
    query: &Query,
) -> Option<MatchContext> {
    for (field, texts) in candidates {
        if !fields.intersects(field) || shown.intersects(field) {
            continue;
        }
        for text in texts {
            let found = marks(&text, query);
            if found.is_empty() {
                continue;
            }
            let (text, marks) = snippet(&text, &found, SNIPPET);
            let name = Fields::NAMED
                .iter()
                .find(|(f, _)| f.intersects(field) && fields.intersects(*f))
                .map_or("notes", |(_, n)| n);
            return Some(MatchContext { field: name.to_owned(), text, marks });
        }
    }
    None
}

/// The contacts a list search found: the first ones with the fields that
/// matched, and how many match in all (a lower bound unless `complete`).
pub(super) struct ContactHits {
    pub top: Vec<(Uuid, Fields)>,
    pub total: u32,
    pub complete: bool,
}

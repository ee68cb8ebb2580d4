//! The search index at work: the persisted segment plus a small delta of
//! the records changed since it was written, and a query run over both.
//!
//! The delta is the truth for every record it names: a segment document
//! whose record is in the delta (changed or removed) is masked. Queries see
//! the delta through an in-memory segment built from it when it changed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use fst::{Automaton, IntoStreamer, Streamer};

use super::query::{Class, Query, QueryWord};
use super::segment::{Segment, PREFIX_TERM};
use super::terms::phone_grams;
use super::{DocKey, DocKind, Fields, IndexedDoc};
use crate::error::Result;

/// No match in a dense hit array.
const NONE: u32 = u32::MAX;

/// A delta entry: the record's indexed form (`None`: removed) and the
/// sequence number of the write that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DeltaEntry {
    pub(crate) seq: u64,
    pub(crate) doc: Option<IndexedDoc>,
}

/// What a query keeps.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Filter {
    /// Only these kinds (all when empty).
    pub(crate) kinds: &'static [DocKind],
    /// Only contacts in this stage (tag).
    pub(crate) stage: Option<u8>,
}

impl Filter {
    fn kind_ok(&self, kind: u8) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| *k as u8 == kind)
    }
}

/// One match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) key: DocKey,
    /// Stage tag (contacts).
    pub(crate) stage: u8,
    /// Sum of the words' field ranks (name 0, organisation 1, other 2).
    pub(crate) field_rank: u8,
    /// Fields any word matched in.
    pub(crate) fields: u16,
}

/// What a query found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// The best matches passing the filter, best first (as many as asked).
    pub(crate) top: Vec<Found>,
    /// Matches passing the filter.
    pub(crate) total: u32,
    /// Matches per kind (before the stage filter and `keep`).
    pub(crate) by_kind: [u32; 4],
    /// Matching contacts per stage tag (before the stage filter and `keep`).
    pub(crate) by_stage: [u32; 8],
    /// Matching contacts that `count_if` accepts (before the stage filter).
    pub(crate) counted: u32,
    /// Whether every match was counted (a query of one or two letters stops
    /// after the first page: its counts are then at least these).
    pub(crate) complete: bool,
}

/// Per document of one segment, the best (class, fields) of one word.
struct Hits {
    dense: Vec<u32>,
    touched: Vec<u32>,
}

thread_local! {
    /// Dense arrays of finished queries, all `NONE` again: a query needs
    /// one per word and segment, and the disk segment's is large.
    static SPARE: std::cell::RefCell<Vec<Vec<u32>>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Hits {
    fn new(len: u32) -> Hits {
        let len = len as usize;
        let spare = SPARE.with(|spare| {
            let mut spare = spare.borrow_mut();
            let at = spare.iter().position(|d| d.len() == len)?;
            Some(spare.swap_remove(at))
        });
        Hits { dense: spare.unwrap_or_else(|| vec![NONE; len]), touched: Vec::new() }
    }

    fn add(&mut self, doc: u32, class: Class, fields: u16) {
        let Some(slot) = self.dense.get_mut(doc as usize) else { return };
        let code = (class as u32) << 16 | u32::from(fields);
        if *slot == NONE {
            self.touched.push(doc);
            *slot = code;
        } else if code >> 16 < *slot >> 16 {
            *slot = code;
        } else if code >> 16 == *slot >> 16 {
            *slot |= u32::from(fields);
        }
    }

    fn get(&self, doc: u32) -> Option<(Class, u16)> {
        let code = *self.dense.get(doc as usize)?;
        (code != NONE).then(|| (Class::from_code((code >> 16) as u8), code as u16))
    }
}

impl Drop for Hits {
    /// Clears what this query set (far less than the whole array, mostly)
    /// and keeps the array for the next query on this thread.
    fn drop(&mut self) {
        if self.dense.len() < 4096 {
            return;
        }
        for &doc in &self.touched {
            self.dense[doc as usize] = NONE;
        }
        let dense = std::mem::take(&mut self.dense);
        SPARE.with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.len() < 6 {
                spare.push(dense);
            }
        });
    }
}

/// The rank of a field set: name 0, organisation 1, anything else 2.
fn field_rank(fields: u16) -> u8 {
    let f = Fields::from_bits(fields);
    if f.intersects(Fields::NAME | Fields::TITLE) {
        0
    } else if f.intersects(Fields::ORGANIZATION) {
        1
    } else {
        2
    }
}

/// Reads the postings of `terms` (values and classes) into `hits`.
fn collect(seg: &Segment, terms: &[(u64, Class)], hits: &mut Hits) -> Result<()> {
    let values: Vec<u64> = terms.iter().map(|t| t.0).collect();
    seg.postings(&values, |i, doc, fields| hits.add(doc, terms[i].1, fields))
}

/// The documents of `seg` whose phone numbers contain `needle` (three or
/// more digits): those holding all its three-digit runs, checked.
fn phone_hits(seg: &Segment, needle: &str, hits: &mut Hits) -> Result<()> {
    let mut lists: Vec<Vec<u32>> = Vec::new();
    for gram in phone_grams(needle) {
        let Some(value) = seg.terms().get(gram.as_bytes()) else { return Ok(()) };
        let mut list = Vec::new();
        seg.postings(&[value], |_, doc, _| list.push(doc))?;
        lists.push(list);
    }
    lists.sort_by_key(Vec::len);
    let Some((first, rest)) = lists.split_first() else { return Ok(()) };
    // Three digits are one run: its list is the answer. Longer needles hold
    // all their runs, but maybe not side by side: check the number.
    let exact = needle.len() == 3;
    for &doc in first {
        if rest.iter().all(|l| l.binary_search(&doc).is_ok()) && (exact || seg.phone_contains(doc, needle)?) {
            hits.add(doc, Class::Exact, Fields::PHONE.bits());
        }
    }
    Ok(())
}

/// The matches of one query word in one segment.
fn word_hits(seg: &Segment, word: &QueryWord) -> Result<Hits> {
    let mut hits = Hits::new(seg.len());
    let mut terms: Vec<(u64, Class)> = Vec::new();
    for (spelling, typo) in word.spellings.iter().zip(&word.typos) {
        if let Some(v) = seg.terms().get(spelling.as_bytes()) {
            terms.push((v, Class::Exact));
        }
        let lists: Vec<u64> = DocKind::ALL
            .iter()
            .filter_map(|kind| {
                let mut list = vec![PREFIX_TERM, *kind as u8];
                list.extend_from_slice(spelling.as_bytes());
                seg.terms().get(&list)
            })
            .collect();
        match lists.is_empty() {
            // One or two letters: the prefix lists hold every word's postings.
            false => terms.extend(lists.into_iter().map(|v| (v, Class::Prefix))),
            true => {
                let prefix = fst::automaton::Str::new(spelling).starts_with();
                let mut stream = seg.terms().search(prefix).into_stream();
                while let Some((term, v)) = stream.next() {
                    if term != spelling.as_bytes() {
                        terms.push((v, Class::Prefix));
                    }
                }
            }
        }
        if let Some(typo) = typo {
            let mut stream = seg.terms().search_with_state(&typo.kept_first).into_stream();
            while let Some((_, v, state)) = stream.next() {
                match typo.kept_first.typos(&state) {
                    Some(1) => terms.push((v, Class::OneTypo)),
                    Some(2) => terms.push((v, Class::TwoTypos)),
                    _ => {}
                }
            }
            if let Some(dfa) = &typo.anywhere {
                let mut stream = seg.terms().search_with_state(dfa).into_stream();
                while let Some((term, v, state)) = stream.next() {
                    let first_differs = term.first() != spelling.as_bytes().first();
                    if first_differs
                        && matches!(dfa.distance(state), levenshtein_automata::Distance::Exact(1))
                    {
                        terms.push((v, Class::TwoTypos));
                    }
                }
            }
        }
    }
    // The spellings of a word ("geschäft", "geschaeft", "geschaft") mostly
    // share one posting list (the writer stores equal lists once): read
    // each list once, in its best class.
    terms.sort_unstable_by_key(|t| (t.0, t.1 as u8));
    terms.dedup_by_key(|t| t.0);
    collect(seg, &terms, &mut hits)?;
    if let Some(needle) = &word.phone {
        phone_hits(seg, needle, &mut hits)?;
    }
    Ok(hits)
}

/// A match before its id and recency are read: enough to count it, filter
/// it by kind and stage, and see whether it can make the page at all.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// The delta's segment is 0, the disk's 1.
    which: u8,
    doc: u32,
    kind: DocKind,
    stage: u8,
    classes: u8,
    field_rank: u8,
    fields: u16,
}

/// Runs `query` over one segment, feeding every match to `each`.
fn run_segment(
    seg: &Segment,
    which: u8,
    query: &Query,
    masked: &dyn Fn(u32) -> bool,
    mut each: impl FnMut(Candidate),
) -> Result<()> {
    let words: Vec<Hits> = query.words.iter().map(|w| word_hits(seg, w)).collect::<Result<_>>()?;
    let mut phone = Hits::new(if query.phone.is_some() { seg.len() } else { 0 });
    if let Some(needle) = &query.phone {
        phone_hits(seg, needle, &mut phone)?;
    }
    let Some(rarest) = words.iter().min_by_key(|h| h.touched.len()) else { return Ok(()) };
    let mut candidates: Vec<u32> = rarest.touched.clone();
    candidates.extend(phone.touched.iter().filter(|d| rarest.get(**d).is_none()));
    for doc in candidates {
        if masked(doc) {
            continue;
        }
        let (mut classes, mut ranks, mut fields, mut all) = (0u8, 0u8, 0u16, true);
        for w in &words {
            match w.get(doc) {
                Some((class, f)) => {
                    classes = classes.saturating_add(class as u8);
                    ranks = ranks.saturating_add(field_rank(f));
                    fields |= f;
                }
                None => {
                    all = false;
                    break;
                }
            }
        }
        if !all {
            match phone.get(doc) {
                Some((_, f)) => (classes, ranks, fields) = (0, field_rank(f), f),
                None => continue,
            }
        }
        let (kind, stage) = seg.kind_stage(doc);
        let Some(kind) = DocKind::from_tag(kind) else { continue };
        each(Candidate { which, doc, kind, stage, classes, field_rank: ranks, fields });
    }
    Ok(())
}

/// The order of matches, best first: match classes, field rank, most
/// recent, then (segment, document). A short query ranks by field and
/// document (alphabetical) order alone.
type RankKey = (u8, u8, std::cmp::Reverse<i64>, (u8, u32));

/// The best `need` matches seen so far, the worst on top: a match that
/// cannot make the page is turned away before its recency is read.
struct Best {
    need: usize,
    heap: std::collections::BinaryHeap<(RankKey, u16, u8, DocKind)>,
}

impl Best {
    fn new(need: usize) -> Best {
        Best { need, heap: std::collections::BinaryHeap::with_capacity(need.min(4096) + 1) }
    }

    fn offer(&mut self, c: &Candidate, short: bool, rank_ms: impl FnOnce() -> i64) {
        if self.need == 0 {
            return;
        }
        let classes = if short { 0 } else { c.classes };
        if self.heap.len() >= self.need {
            let Some(((worst_classes, worst_rank, ..), ..)) = self.heap.peek() else { return };
            if (classes, c.field_rank) > (*worst_classes, *worst_rank) {
                return;
            }
        }
        let recency = if short { 0 } else { rank_ms() };
        let key = (classes, c.field_rank, std::cmp::Reverse(recency), (c.which, c.doc));
        if self.heap.len() < self.need {
            self.heap.push((key, c.fields, c.stage, c.kind));
        } else if self.heap.peek().is_some_and(|(worst, ..)| key < *worst) {
            self.heap.pop();
            self.heap.push((key, c.fields, c.stage, c.kind));
        }
    }
}

/// The delta's in-memory segment, its contacts in both list orders, and
/// the disk documents it masks.
struct Snapshot {
    segment: Option<Segment>,
    /// (sort key, id, stage), A–Z.
    by_name: Vec<(String, uuid::Uuid, u8)>,
    /// (changed, id, stage), most recent first.
    by_change: Vec<(i64, uuid::Uuid, u8)>,
    masked: Vec<bool>,
}

/// How a contact list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListOrder {
    /// By name, A–Z.
    Name,
    /// Most recently changed first.
    Change,
}

/// The whole index: the disk segment (absent while none was written) and
/// the delta over it.
#[derive(Default)]
pub(crate) struct Index {
    disk: Option<Arc<Segment>>,
    delta: HashMap<DocKey, DeltaEntry>,
    snapshot: Option<Snapshot>,
}

impl Index {
    /// An index over `disk` with the delta entries found in the store.
    pub(crate) fn new(disk: Option<Arc<Segment>>, delta: HashMap<DocKey, DeltaEntry>) -> Index {
        Index { disk, delta, snapshot: None }
    }

    /// Records a committed delta entry (a newer one replaces an older).
    pub(crate) fn apply(&mut self, key: DocKey, entry: DeltaEntry) {
        if self.delta.get(&key).is_some_and(|old| old.seq > entry.seq) {
            return;
        }
        self.delta.insert(key, entry);
        self.snapshot = None;
    }

    /// The delta entries (for a merge).
    pub(crate) fn delta(&self) -> &HashMap<DocKey, DeltaEntry> {
        &self.delta
    }

    /// Every document the index holds now (the disk segment's, less those
    /// the delta replaced or removed, and the delta's).
    pub(crate) fn live_keys(&self) -> std::collections::HashSet<DocKey> {
        let mut keys = std::collections::HashSet::new();
        if let Some(disk) = &self.disk {
            for n in 0..disk.len() {
                let key = disk.doc(n).key;
                if !self.delta.contains_key(&key) {
                    keys.insert(key);
                }
            }
        }
        keys.extend(self.delta.iter().filter(|(_, e)| e.doc.is_some()).map(|(k, _)| *k));
        keys
    }

    /// The disk segment.
    pub(crate) fn disk(&self) -> Option<Arc<Segment>> {
        self.disk.clone()
    }

    /// Puts a merged segment in place and drops the delta entries it holds
    /// (those not written again since, by sequence number).
    pub(crate) fn replace_disk(&mut self, disk: Option<Arc<Segment>>, merged: &HashMap<DocKey, u64>) {
        self.disk = disk;
        self.delta.retain(|key, e| merged.get(key).is_none_or(|seq| e.seq > *seq));
        self.snapshot = None;
    }

    /// Builds what queries read (the delta's view) now.
    pub(crate) fn prepare(&mut self) -> Result<()> {
        self.snapshot().map(|_| ())
    }

    fn snapshot(&mut self) -> Result<&Snapshot> {
        if self.snapshot.is_none() {
            let docs: Vec<IndexedDoc> = self.delta.values().filter_map(|e| e.doc.clone()).collect();
            let contacts = docs.iter().filter(|d| d.key.kind == DocKind::Contact);
            let mut by_name: Vec<(String, uuid::Uuid, u8)> =
                contacts.clone().map(|d| (d.sort_key.clone(), d.key.id, d.stage)).collect();
            by_name.sort();
            let mut by_change: Vec<(i64, uuid::Uuid, u8)> =
                contacts.map(|d| (d.changed_ms, d.key.id, d.stage)).collect();
            by_change.sort_by_key(|(changed, id, _)| (std::cmp::Reverse(*changed), *id));
            let segment = if docs.is_empty() { None } else { Some(Segment::in_memory(docs)?) };
            let mut masked = vec![false; self.disk.as_ref().map_or(0, |d| d.len() as usize)];
            if let Some(disk) = &self.disk {
                for key in self.delta.keys() {
                    if let Some(n) = disk.find(key.id) {
                        masked[n as usize] = true;
                    }
                }
            }
            self.snapshot = Some(Snapshot { segment, by_name, by_change, masked });
        }
        Ok(self.snapshot.as_ref().unwrap_or_else(|| unreachable!()))
    }

    /// Runs a query: counts every match, keeps the best `need` that pass
    /// `filter` and `keep` (with `per_kind`, the best `need` of each kind,
    /// grouped by kind). `count_if` counts matching contacts apart (the
    /// ready-to-qualify ones, say).
    pub(crate) fn run(
        &mut self,
        query: &Query,
        filter: &Filter,
        need: usize,
        per_kind: bool,
        keep: Option<&dyn Fn(&DocKey) -> bool>,
        count_if: Option<&dyn Fn(&DocKey) -> bool>,
    ) -> Result<Outcome> {
        self.snapshot()?;
        if count_if.is_none() && need > 0 {
            if let Some(out) = self.run_short(query, filter, need, per_kind, keep)? {
                return Ok(out);
            }
        }
        let snapshot = self.snapshot.as_ref().unwrap_or_else(|| unreachable!());
        let segments = [snapshot.segment.as_ref(), self.disk.as_deref()];
        let seg = |which: u8| segments[which as usize].unwrap_or_else(|| unreachable!());
        let id_of = |c: &Candidate| DocKey::new(c.kind, seg(c.which).doc(c.doc).key.id);
        let mut out = Outcome { complete: true, ..Default::default() };
        let short = query.is_short();
        // Per kind (index: kind tag) when asked per kind, else all in slot 0.
        let mut best: Vec<Best> = (0..4).map(|_| Best::new(need)).collect();
        let mut consider = |c: Candidate| {
            out.by_kind[c.kind as usize & 3] += 1;
            if c.kind == DocKind::Contact {
                out.by_stage[c.stage as usize & 7] += 1;
                if count_if.is_some_and(|f| f(&id_of(&c))) {
                    out.counted += 1;
                }
            }
            if !filter.kind_ok(c.kind as u8)
                || filter.stage.is_some_and(|s| c.kind != DocKind::Contact || c.stage != s)
                || keep.is_some_and(|k| !k(&id_of(&c)))
            {
                return;
            }
            out.total += 1;
            let slot = if per_kind { c.kind as usize & 3 } else { 0 };
            best[slot].offer(&c, short, || seg(c.which).rank_ms(c.doc));
        };
        if let Some(delta) = segments[0] {
            run_segment(delta, 0, query, &|_| false, &mut consider)?;
        }
        if let Some(disk) = segments[1] {
            let masked = &snapshot.masked;
            run_segment(
                disk,
                1,
                query,
                &|n| masked.get(n as usize).copied().unwrap_or(false),
                &mut consider,
            )?;
        }
        for slot in best {
            for (key, fields, stage, kind) in slot.heap.into_sorted_vec() {
                let (_, field_rank, _, order) = key;
                out.top.push(Found {
                    key: DocKey::new(kind, seg(order.0).doc(order.1).key.id),
                    stage,
                    field_rank,
                    fields,
                });
            }
        }
        Ok(out)
    }

    /// A query of one or two letters in one spelling: the first page is the
    /// name matches in alphabetical (document) order, then organisation
    /// matches, then the rest, read from the prefix list as it runs and
    /// stopped once the page is full (per kind when asked per kind): the
    /// counts are then lower bounds. `None` when the query is no such one
    /// (or the disk segment has no prefix list for it).
    fn run_short(
        &self,
        query: &Query,
        filter: &Filter,
        need: usize,
        per_kind: bool,
        keep: Option<&dyn Fn(&DocKey) -> bool>,
    ) -> Result<Option<Outcome>> {
        let [word] = query.words.as_slice() else { return Ok(None) };
        let [spelling] = word.spellings.as_slice() else { return Ok(None) };
        if !query.is_short() || word.phone.is_some() {
            return Ok(None);
        }
        // The kinds asked for, each read from its own prefix list.
        let kinds: Vec<DocKind> = DocKind::ALL
            .into_iter()
            .filter(|k| filter.kinds.is_empty() || filter.kinds.contains(k))
            .collect();
        let list = |kind: DocKind| {
            let mut list = vec![PREFIX_TERM, kind as u8];
            list.extend_from_slice(spelling.as_bytes());
            list
        };
        if self.disk.as_ref().is_some_and(|disk| kinds.iter().all(|k| disk.terms().get(list(*k)).is_none())) {
            return Ok(None);
        }
        let snapshot = self.snapshot.as_ref().unwrap_or_else(|| unreachable!());
        let mut out = Outcome { complete: true, ..Default::default() };
        // Per slot (kind tag when per kind, else 0) and field rank.
        let mut pages: Vec<[Vec<Found>; 3]> = vec![Default::default(); 4];
        let mut full = [false; 4];
        let slot_of = |kind: u8| if per_kind { kind as usize & 3 } else { 0 };
        // Takes one match; false once every page is full.
        let mut take = |f: Found, out: &mut Outcome, full: &mut [bool; 4]| {
            let kind = f.key.kind as u8;
            let slot = slot_of(kind);
            if full[slot] {
                out.complete = false;
                return;
            }
            out.by_kind[kind as usize & 3] += 1;
            if f.key.kind == DocKind::Contact {
                out.by_stage[f.stage as usize & 7] += 1;
            }
            if !filter.kind_ok(kind)
                || filter.stage.is_some_and(|s| f.key.kind != DocKind::Contact || f.stage != s)
                || keep.is_some_and(|k| !k(&f.key))
            {
                return;
            }
            out.total += 1;
            let page = &mut pages[slot][f.field_rank.min(2) as usize];
            if page.len() < need {
                page.push(f);
            }
            full[slot] = pages[slot][0].len() >= need;
        };
        // The delta first (recent edits lead each field's part of the page).
        if let Some(delta) = &snapshot.segment {
            let mut found = Vec::new();
            run_segment(delta, 0, query, &|_| false, |c| found.push(c))?;
            found.sort_unstable_by_key(|c| c.doc);
            for c in found {
                let f = Found {
                    key: DocKey::new(c.kind, delta.doc(c.doc).key.id),
                    stage: c.stage,
                    field_rank: c.field_rank,
                    fields: c.fields,
                };
                take(f, &mut out, &mut full);
            }
        }
        if let Some(disk) = &self.disk {
            let masked = &snapshot.masked;
            for kind in &kinds {
                let Some(v) = disk.terms().get(list(*kind)) else { continue };
                disk.postings_while(&[v], |_, doc, fields| {
                    if full[slot_of(*kind as u8)] {
                        out.complete = false;
                        return false;
                    }
                    if masked.get(doc as usize).copied().unwrap_or(false) {
                        return true;
                    }
                    let (_, stage) = disk.kind_stage(doc);
                    let f = Found {
                        key: DocKey::new(*kind, disk.doc(doc).key.id),
                        stage,
                        field_rank: field_rank(fields),
                        fields,
                    };
                    take(f, &mut out, &mut full);
                    true
                })?;
            }
        }
        for slot in pages {
            let mut page: Vec<Found> = slot.into_iter().flatten().take(need).collect();
            out.top.append(&mut page);
        }
        Ok(Some(out))
    }

    /// A page of the contact list (of one stage, or all) in `order`: the
    /// disk segment's contacts (its document order is by name; its by-change
    /// section by last change) merged with the delta's. Returns the ids of
    /// the page.
    pub(crate) fn list(
        &mut self,
        stage: Option<u8>,
        order: ListOrder,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<uuid::Uuid>> {
        self.snapshot()?;
        let snapshot = self.snapshot.as_ref().unwrap_or_else(|| unreachable!());
        let stage_ok = |s: u8| stage.is_none_or(|want| want == s);
        let disk = self.disk.as_deref();
        let masked = |n: u32| snapshot.masked.get(n as usize).copied().unwrap_or(false);
        let disk_ok = |n: &u32| {
            let (kind, s) = disk.map_or((0, 0), |d| d.kind_stage(*n));
            kind == DocKind::Contact as u8 && stage_ok(s) && !masked(*n)
        };
        let len = disk.map_or(0, Segment::len);
        let mut out = Vec::with_capacity(limit.min(1000));
        let mut seen = 0usize;
        let mut emit = |id: uuid::Uuid| {
            if seen >= offset && out.len() < limit {
                out.push(id);
            }
            seen += 1;
            out.len() < limit
        };
        let doc_id = |n: u32| disk.map(|d| d.doc(n).key.id).unwrap_or_default();
        let seg = || disk.unwrap_or_else(|| unreachable!());
        match order {
            ListOrder::Name => merge_runs(
                (0..len).filter(disk_ok),
                snapshot.by_name.iter().filter(|(_, _, s)| stage_ok(*s)),
                |n, (key, id, _)| Ok((seg().sort_key(n)?, seg().doc(n).key.id) <= (key.clone(), *id)),
                doc_id,
                &mut emit,
            )?,
            ListOrder::Change => merge_runs(
                disk.into_iter().flat_map(Segment::by_change).filter(disk_ok),
                snapshot.by_change.iter().filter(|(_, _, s)| stage_ok(*s)),
                |n, (changed, id, _)| {
                    let e = seg().doc(n);
                    Ok((std::cmp::Reverse(e.changed_ms), e.key.id) <= (std::cmp::Reverse(*changed), *id))
                },
                doc_id,
                &mut emit,
            )?,
        }
        Ok(out)
    }
}

/// Walks the disk segment's documents and the delta's entries, each in
/// list order, as one run: `disk_first` says whether a document comes
/// before an entry. Hands each id to `emit` until it says stop.
fn merge_runs<'a, K: 'a>(
    docs: impl Iterator<Item = u32>,
    delta: impl Iterator<Item = &'a (K, uuid::Uuid, u8)>,
    disk_first: impl Fn(u32, &(K, uuid::Uuid, u8)) -> Result<bool>,
    doc_id: impl Fn(u32) -> uuid::Uuid,
    emit: &mut impl FnMut(uuid::Uuid) -> bool,
) -> Result<()> {
    let (mut docs, mut delta) = (docs.peekable(), delta.peekable());
    loop {
        let take_disk = match (docs.peek(), delta.peek()) {
            (Some(n), Some(entry)) => disk_first(*n, entry)?,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return Ok(()),
        };
        let id = if take_disk {
            docs.next().map(&doc_id).unwrap_or_default()
        } else {
            delta.next().map(|(_, id, _)| *id).unwrap_or_default()
        };
        if !emit(id) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::search::segment::{self, Builder};

    /// Words close to one another: prefixes, one and two typos apart.
    const WORDS: &[&str] = &[
        "schmidt",
        "schmitt",
        "schmid",
        "schmidtke",
        "schneider",
        "muller",
        "mueller",
        "mullers",
        "weber",
        "webers",
        "wurzburg",
        "wurzbrug",
        "geschaftsfuhrerin",
        "geschaftsfuhrer",
        "ab",
        "abc",
        "a",
        "zeta",
    ];

    fn doc(n: u8, words: &[usize], stage: u8) -> IndexedDoc {
        let id = Uuid::from_u128(u128::from(n) + 1);
        let mut terms: BTreeMap<String, u16> = BTreeMap::new();
        for (i, w) in words.iter().enumerate() {
            *terms.entry(WORDS[*w].to_owned()).or_default() |= 1 << (i % 3);
        }
        IndexedDoc {
            key: DocKey::new(DocKind::Contact, id),
            stage,
            rank_ms: i64::from(n),
            changed_ms: i64::from(n) * 7 % 11,
            sort_key: format!("{:03}", 255 - n),
            terms: terms.into_iter().collect(),
            phones: vec![],
        }
    }

    /// What a query must find: every word matches some term of the doc.
    fn naive(docs: &BTreeMap<DocKey, IndexedDoc>, query: &Query) -> HashSet<DocKey> {
        docs.values()
            .filter(|d| query.words.iter().all(|w| d.terms.iter().any(|(t, _)| w.classify(t).is_some())))
            .map(|d| d.key)
            .collect()
    }

    #[derive(Debug, Clone)]
    enum Op {
        Put(u8, Vec<usize>, u8),
        Remove(u8),
        Merge,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..24, proptest::collection::vec(0..WORDS.len(), 1..4), 1u8..6).prop_map(|(n, w, s)| Op::Put(n, w, s)),
            1 => (0u8..24).prop_map(Op::Remove),
            1 => Just(Op::Merge),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The segment, its merges and the delta over it find exactly what
        /// matching every live document's terms finds, and list them in order.
        #[test]
        fn the_index_finds_what_matching_every_document_finds(
            ops in proptest::collection::vec(op(), 1..40),
            queries in proptest::collection::vec((0..WORDS.len(), 1usize..8, proptest::option::of(0..WORDS.len())), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut live: BTreeMap<DocKey, IndexedDoc> = BTreeMap::new();
            let mut index = Index::default();
            let mut seq = 0;
            let mut generation = 0;
            for op in ops {
                match op {
                    Op::Put(n, words, stage) => {
                        seq += 1;
                        let d = doc(n, &words, stage);
                        live.insert(d.key, d.clone());
                        index.apply(d.key, DeltaEntry { seq, doc: Some(d) });
                    }
                    Op::Remove(n) => {
                        seq += 1;
                        let key = DocKey::new(DocKind::Contact, Uuid::from_u128(u128::from(n) + 1));
                        live.remove(&key);
                        index.apply(key, DeltaEntry { seq, doc: None });
                    }
                    Op::Merge => {
                        generation += 1;
                        let path = dir.path().join(format!("s{generation}"));
                        let delta = index.delta().clone();
                        let mut added = Builder::default();
                        for d in delta.values().filter_map(|e| e.doc.clone()) {
                            added.add(d);
                        }
                        match index.disk() {
                            Some(old) => segment::merge(&old, |k| !delta.contains_key(k), added, &path).unwrap(),
                            None => segment::write(&path, added).unwrap(),
                        }
                        let merged = delta.iter().map(|(k, e)| (*k, e.seq)).collect();
                        index.replace_disk(Some(Arc::new(Segment::open(&path).unwrap())), &merged);
                    }
                }
            }
            for (w, len, second) in queries {
                let word: String = WORDS[w].chars().take(len).collect();
                let text = match second { Some(s) => format!("{word} {}", WORDS[s]), None => word };
                let query = Query::parse(&text).unwrap();
                let out = index.run(&query, &Filter::default(), 1000, false, None, None).unwrap();
                let found: HashSet<DocKey> = out.top.iter().map(|f| f.key).collect();
                prop_assert_eq!(found.len(), out.top.len(), "a document twice for {}", text);
                prop_assert_eq!(&found, &naive(&live, &query), "query {}", text);
                prop_assert_eq!(out.total as usize, found.len());
                // The best three alone are the first three of the whole order.
                let best = index.run(&query, &Filter::default(), 3, false, None, None).unwrap();
                let keys = |top: &[Found]| top.iter().map(|f| f.key).collect::<Vec<_>>();
                prop_assert_eq!(keys(&best.top), keys(&out.top[..out.top.len().min(3)]), "query {}", text);
            }
            // The list in name order is every live document, A–Z.
            let listed = index.list(None, ListOrder::Name, 0, 1000).unwrap();
            let mut want: Vec<&IndexedDoc> = live.values().collect();
            want.sort_by(|a, b| (&a.sort_key, a.key.id).cmp(&(&b.sort_key, b.key.id)));
            prop_assert_eq!(listed, want.iter().map(|d| d.key.id).collect::<Vec<_>>());
            let listed = index.list(Some(2), ListOrder::Change, 0, 1000).unwrap();
            let mut want: Vec<&IndexedDoc> = live.values().filter(|d| d.stage == 2).collect();
            want.sort_by_key(|d| (std::cmp::Reverse(d.changed_ms), d.key.id));
            prop_assert_eq!(listed, want.iter().map(|d| d.key.id).collect::<Vec<_>>());
        }
    }
}

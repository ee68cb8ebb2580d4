//! Writing a segment: the builder that gathers documents and their terms,
//! the writer that lays out the file, and the merge of an old segment with
//! new documents; written whole and renamed into place.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use uuid::Uuid;

use super::{
    encode_postings, io_error, merge_postings, push_posting, short_prefixes, Posting, Segment, DOC, HEADER,
    ID, LEN_BITS, MAGIC, NONE, PREFIX_TERM, SECTIONS, VERSION,
};
use crate::error::{Error, Result};
use crate::search::{DocKey, DocKind, IndexedDoc};

/// What a segment keeps of one document besides its terms.
pub(crate) struct DocMeta {
    pub(crate) key: DocKey,
    pub(crate) stage: u8,
    pub(crate) rank_ms: i64,
    pub(crate) changed_ms: i64,
    pub(crate) sort_key: String,
    pub(crate) phones: Vec<String>,
}

impl DocMeta {
    fn order(&self) -> (DocKind, &str, Uuid) {
        (self.key.kind, &self.sort_key, self.key.id)
    }
}

/// Builds a segment in memory: the documents in their final order, then
/// the terms in byte order with their postings (document numbers of that
/// order).
struct Writer {
    bytes: Vec<u8>,
    sections: Vec<(u64, u64)>,
    count: u32,
    postings: Vec<u8>,
    terms: fst::MapBuilder<Vec<u8>>,
    /// The one- and two-character prefix being gathered, with the postings
    /// of its words so far: terms come in byte order, so a prefix's words
    /// come together and its list is written when the next prefix begins.
    open: [Option<(String, Vec<Posting>)>; 2],
    /// The prefix lists written, by their term; they go into the terms
    /// after every word (their terms begin with [`PREFIX_TERM`]).
    prefix_values: BTreeMap<Vec<u8>, u64>,
    /// The kind tag of each document.
    kinds: Vec<u8>,
    /// The posting lists written so far, by a hash of their bytes.
    written: std::collections::HashMap<u64, (u64, u64)>,
}

impl Writer {
    fn new(docs: &[DocMeta]) -> Result<Writer> {
        let mut w = Writer {
            bytes: vec![0; HEADER],
            sections: Vec::with_capacity(SECTIONS),
            count: u32::try_from(docs.len()).map_err(|_| Error::Storage("too many documents".into()))?,
            postings: Vec::new(),
            terms: fst::MapBuilder::memory(),
            open: [None, None],
            prefix_values: BTreeMap::new(),
            kinds: docs.iter().map(|d| d.key.kind as u8).collect(),
            written: std::collections::HashMap::new(),
        };
        let mut table = Vec::with_capacity(docs.len() * DOC);
        let mut phones = Vec::new();
        let mut keys = Vec::new();
        for d in docs {
            let phones_off = if d.phones.is_empty() {
                NONE
            } else {
                let off = u32::try_from(phones.len()).unwrap_or(NONE);
                let kept: Vec<&String> = d.phones.iter().filter(|p| p.len() < 256).take(255).collect();
                phones.push(kept.len() as u8);
                for p in kept {
                    phones.push(p.len() as u8);
                    phones.extend_from_slice(p.as_bytes());
                }
                off
            };
            let key_off = u32::try_from(keys.len()).unwrap_or(NONE);
            let mut end = d.sort_key.len().min(255);
            while !d.sort_key.is_char_boundary(end) {
                end -= 1;
            }
            keys.push(end as u8);
            keys.extend_from_slice(&d.sort_key.as_bytes()[..end]);
            table.push(d.key.kind as u8);
            table.push(d.stage);
            table.extend_from_slice(&[0, 0]);
            table.extend_from_slice(&phones_off.to_le_bytes());
            table.extend_from_slice(&key_off.to_le_bytes());
            table.extend_from_slice(&[0; 4]);
            table.extend_from_slice(&d.rank_ms.to_le_bytes());
            table.extend_from_slice(&d.changed_ms.to_le_bytes());
            table.extend_from_slice(d.key.id.as_bytes());
        }
        let mut ids: Vec<(Uuid, u32)> = docs.iter().zip(0u32..).map(|(d, n)| (d.key.id, n)).collect();
        ids.sort_unstable();
        let mut id_table = Vec::with_capacity(ids.len() * ID);
        for (id, n) in ids {
            id_table.extend_from_slice(id.as_bytes());
            id_table.extend_from_slice(&n.to_le_bytes());
        }
        let mut by_change: Vec<u32> =
            (0..docs.len() as u32).filter(|n| docs[*n as usize].key.kind == DocKind::Contact).collect();
        by_change.sort_by_key(|n| {
            let d = &docs[*n as usize];
            (std::cmp::Reverse(d.changed_ms), d.key.id)
        });
        let by_change: Vec<u8> = by_change.iter().flat_map(|n| n.to_le_bytes()).collect();
        w.section(&table);
        w.section(&id_table);
        w.section(&phones);
        w.section(&keys);
        w.section(&by_change);
        Ok(w)
    }

    fn section(&mut self, bytes: &[u8]) {
        self.sections.push((self.bytes.len() as u64, bytes.len() as u64));
        self.bytes.extend_from_slice(bytes);
    }

    /// Writes a posting list into the postings section (a list equal to
    /// one written before points at that one); its place and length for
    /// the terms, none for an empty list.
    fn encode(&mut self, list: &[Posting]) -> Result<Option<u64>> {
        if list.is_empty() {
            return Ok(None);
        }
        let mut start = self.postings.len() as u64;
        encode_postings(list, &mut self.postings);
        let len = self.postings.len() as u64 - start;
        if len >= 1 << LEN_BITS || start >= 1 << (64 - LEN_BITS) {
            return Err(Error::Storage("search index: a posting list is too long".into()));
        }
        // A list equal to one written before (the other spellings of a word
        // with umlauts, mostly) points at that one.
        let encoded = &self.postings[start as usize..];
        let hash = u64::from(crc32fast::hash(encoded));
        match self.written.get(&hash) {
            Some(&(at, n)) if n == len && self.postings[at as usize..(at + n) as usize] == *encoded => {
                self.postings.truncate(start as usize);
                start = at;
            }
            _ => {
                self.written.insert(hash, (start, len));
            }
        }
        Ok(Some(start << LEN_BITS | len))
    }

    fn insert(&mut self, term: &[u8], value: u64) -> Result<()> {
        self.terms.insert(term, value).map_err(|e| Error::Storage(format!("search index terms: {e}")))
    }

    /// Adds a term (in byte order) with its postings.
    fn term(&mut self, term: &[u8], list: &[Posting]) -> Result<()> {
        if let Ok(word) = std::str::from_utf8(term) {
            if !word.starts_with(crate::search::terms::PHONE_TERM) {
                for (n, prefix) in short_prefixes(word).enumerate() {
                    let done = match &mut self.open[n] {
                        Some((open, acc)) if open == prefix => {
                            acc.extend_from_slice(list);
                            None
                        }
                        slot => slot.replace((prefix.to_owned(), list.to_vec())),
                    };
                    if let Some((prefix, all)) = done {
                        self.prefix(&prefix, all)?;
                    }
                }
            }
        }
        match self.encode(list)? {
            Some(value) => self.insert(term, value),
            None => Ok(()),
        }
    }

    /// Writes the lists of a prefix whose words are all in: the union of
    /// their postings, one list per kind of document.
    fn prefix(&mut self, prefix: &str, mut all: Vec<Posting>) -> Result<()> {
        all.sort_unstable_by_key(|p| p.0);
        let mut per_kind: BTreeMap<u8, Vec<Posting>> = BTreeMap::new();
        for (doc, fields) in all {
            let kind = self.kinds.get(doc as usize).copied().unwrap_or(0);
            push_posting(per_kind.entry(kind).or_default(), doc, fields);
        }
        for (kind, list) in per_kind {
            if let Some(value) = self.encode(&list)? {
                let mut term = vec![PREFIX_TERM, kind];
                term.extend_from_slice(prefix.as_bytes());
                self.prefix_values.insert(term, value);
            }
        }
        Ok(())
    }

    /// Adds the prefix lists, the postings and the terms, then the header;
    /// returns the segment's bytes.
    fn finish(mut self) -> Result<Vec<u8>> {
        for n in 0..self.open.len() {
            if let Some((prefix, all)) = self.open[n].take() {
                self.prefix(&prefix, all)?;
            }
        }
        for (term, value) in std::mem::take(&mut self.prefix_values) {
            self.insert(&term, value)?;
        }
        let postings = std::mem::take(&mut self.postings);
        let terms = std::mem::replace(&mut self.terms, fst::MapBuilder::memory());
        let terms = terms.into_inner().map_err(|e| Error::Storage(format!("search index terms: {e}")))?;
        // The segment grows once, to its size (doubling would hold twice).
        self.bytes.reserve_exact(postings.len() + terms.len());
        self.section(&postings);
        drop(postings);
        self.section(&terms);
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&self.count.to_le_bytes());
        for (off, len) in &self.sections {
            header.extend_from_slice(&off.to_le_bytes());
            header.extend_from_slice(&len.to_le_bytes());
        }
        header.extend_from_slice(&crc32fast::hash(&self.bytes[HEADER..]).to_le_bytes());
        self.bytes[..HEADER].copy_from_slice(&header);
        Ok(self.bytes)
    }
}

/// Writes segment bytes to `path` through a temporary file that is synced
/// and renamed, so a crash leaves the old file or the new, never half of one.
fn save(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::paths::write_private(path, bytes).map_err(|e| io_error(path, e))
}

/// Postings per chunk of [`Builder`]'s lists: growing by whole chunks
/// never copies what is there (a doubling vector holds the old and the new
/// buffer at once, 1.5 times the lists at 100,000 contacts).
pub(super) const CHUNK: usize = 1 << 16;

/// A list of values in chunks of [`CHUNK`].
struct Chunked<T>(Vec<Vec<T>>);

impl<T: Copy> Chunked<T> {
    fn push(&mut self, v: T) {
        match self.0.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(v),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(v);
                self.0.push(chunk);
            }
        }
    }

    fn get(&self, i: usize) -> T {
        self.0[i / CHUNK][i % CHUNK]
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked(Vec::new())
    }
}

/// Collects documents for a segment as they come, in a compact form: the
/// terms once in a vocabulary, each document's postings as (term, fields)
/// in two chunked lists (6 bytes a posting); sorted into segment order when
/// written.
#[derive(Default)]
pub(crate) struct Builder {
    metas: Vec<DocMeta>,
    vocab: HashMap<Box<str>, u32>,
    /// Where each document's postings end in `terms` and `fields`.
    ends: Vec<u32>,
    terms: Chunked<u32>,
    fields: Chunked<u16>,
    /// Documents removed: those added before the removal (by count) go.
    removed: HashMap<DocKey, u32>,
}

/// The terms of a built segment in byte order, each with its postings
/// (document numbers of the segment's order) in one list.
pub(super) struct Terms {
    words: Vec<Box<str>>,
    /// Where each word's postings begin in `postings` (one more at the end).
    starts: Vec<u32>,
    postings: Vec<Posting>,
}

impl Terms {
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &[Posting])> + '_ {
        self.words
            .iter()
            .enumerate()
            .map(|(r, w)| (&**w, &self.postings[self.starts[r] as usize..self.starts[r + 1] as usize]))
    }
}

impl Builder {
    /// Adds a document; one added again replaces the one added before.
    pub(crate) fn add(&mut self, doc: IndexedDoc) {
        let mut terms = doc.terms;
        // One posting per term: its fields together.
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        terms.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 |= b.1;
            }
            same
        });
        let end = self.ends.last().copied().unwrap_or(0) + terms.len() as u32;
        for (term, fields) in terms {
            let id = match self.vocab.get(term.as_str()) {
                Some(id) => *id,
                None => {
                    let id = self.vocab.len() as u32;
                    self.vocab.insert(term.into_boxed_str(), id);
                    id
                }
            };
            self.terms.push(id);
            self.fields.push(fields);
        }
        self.ends.push(end);
        self.metas.push(DocMeta {
            key: doc.key,
            stage: doc.stage,
            rank_ms: doc.rank_ms,
            changed_ms: doc.changed_ms,
            sort_key: doc.sort_key,
            phones: doc.phones,
        });
    }

    /// Removes a document added before (one added after stays).
    pub(crate) fn remove(&mut self, key: DocKey) {
        self.removed.insert(key, self.metas.len() as u32);
    }

    /// The keys of the documents added or removed.
    pub(crate) fn keys(&self) -> impl Iterator<Item = DocKey> + '_ {
        self.metas.iter().map(|m| m.key).chain(self.removed.keys().copied())
    }

    /// The documents in segment order (numbered from 0), and their terms in
    /// byte order with postings in those numbers.
    fn finish(self) -> (Vec<DocMeta>, Terms) {
        let Builder { metas, vocab, ends, terms, fields, removed } = self;
        // A document added again: the last one added counts, unless removed after.
        let mut last: HashMap<DocKey, u32> = HashMap::with_capacity(metas.len());
        for (local, meta) in metas.iter().enumerate() {
            last.insert(meta.key, local as u32);
        }
        let alive = |l: &u32| {
            let key = &metas[*l as usize].key;
            last[key] == *l && removed.get(key).is_none_or(|at| *at <= *l)
        };
        let mut order: Vec<u32> = (0..metas.len() as u32).filter(alive).collect();
        drop(last);
        order.sort_by(|a, b| metas[*a as usize].order().cmp(&metas[*b as usize].order()));
        let mut words: Vec<(Box<str>, u32)> = vocab.into_iter().collect();
        words.sort_unstable();
        let mut rank = vec![0u32; words.len()];
        for (r, (_, id)) in words.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let span = |local: u32| {
            let end = ends[local as usize] as usize;
            let start = if local == 0 { 0 } else { ends[local as usize - 1] as usize };
            start..end
        };
        // Counting sort: postings per term, then each term's list filled
        // in document order, so it comes out sorted.
        let mut starts = vec![0u32; words.len() + 1];
        for local in &order {
            for i in span(*local) {
                starts[rank[terms.get(i) as usize] as usize + 1] += 1;
            }
        }
        for r in 0..words.len() {
            starts[r + 1] += starts[r];
        }
        let mut next = starts.clone();
        let mut postings = vec![(0u32, 0u16); starts[words.len()] as usize];
        for (n, local) in order.iter().enumerate() {
            for i in span(*local) {
                let r = rank[terms.get(i) as usize] as usize;
                postings[next[r] as usize] = (n as u32, fields.get(i));
                next[r] += 1;
            }
        }
        drop((terms, fields, ends, next, rank));
        // The documents into segment order in place (a second list of them
        // would hold every sort key and phone twice): each goes to its
        // number, the replaced and removed ones past the end, cut off.
        let mut metas = metas;
        let mut place = vec![NONE; metas.len()];
        for (n, local) in order.iter().enumerate() {
            place[*local as usize] = n as u32;
        }
        for (past, p) in (order.len() as u32..).zip(place.iter_mut().filter(|p| **p == NONE)) {
            *p = past;
        }
        for i in 0..metas.len() {
            while place[i] as usize != i {
                let j = place[i] as usize;
                metas.swap(i, j);
                place.swap(i, j);
            }
        }
        metas.truncate(order.len());
        let words = words.into_iter().map(|(w, _)| w).collect();
        (metas, Terms { words, starts, postings })
    }
}

/// Writes a segment holding the documents of `builder` to `path` (through a
/// temporary file that is synced and renamed, so a crash leaves the old
/// file or the new).
pub(crate) fn write(path: &Path, builder: Builder) -> Result<()> {
    save(path, &build(builder)?)
}

/// A segment's bytes holding the documents of `builder`.
pub(super) fn build(builder: Builder) -> Result<Vec<u8>> {
    let (metas, terms) = builder.finish();
    let mut w = Writer::new(&metas)?;
    drop(metas);
    for (term, list) in terms.iter() {
        w.term(term.as_bytes(), list)?;
    }
    drop(terms);
    w.finish()
}

/// Writes a new segment to `path`: the documents of `old` that `keep`
/// accepts, and those of `added` (which replace any old version of theirs).
pub(crate) fn merge(
    old: &Segment,
    keep: impl Fn(&DocKey) -> bool,
    added: Builder,
    path: &Path,
) -> Result<()> {
    // The new order: the kept old documents (already in order) and the
    // added ones, merged by (kind, sort key, id).
    let added_keys: std::collections::HashSet<DocKey> = added.keys().collect();
    let mut kept: Vec<(u32, DocMeta)> = Vec::with_capacity(old.len() as usize);
    for n in 0..old.len() {
        let e = old.doc(n);
        if keep(&e.key) && !added_keys.contains(&e.key) {
            let meta = DocMeta {
                key: e.key,
                stage: e.stage,
                rank_ms: e.rank_ms,
                changed_ms: e.changed_ms,
                sort_key: old.sort_key(n)?,
                phones: old.phones_of(n)?,
            };
            kept.push((n, meta));
        }
    }
    drop(added_keys);
    let (new_metas, new_terms) = added.finish();
    let mut remap = vec![NONE; old.len() as usize];
    let mut added_at = vec![0u32; new_metas.len()];
    let mut metas = Vec::with_capacity(kept.len() + new_metas.len());
    let mut j = 0;
    let mut new_iter = new_metas.into_iter().peekable();
    let mut kept_iter = kept.into_iter().peekable();
    while kept_iter.peek().is_some() || new_iter.peek().is_some() {
        let n = metas.len() as u32;
        let take_old = match (kept_iter.peek(), new_iter.peek()) {
            (Some((_, a)), Some(b)) => a.order() <= b.order(),
            (Some(_), None) => true,
            _ => false,
        };
        if take_old {
            let (old_n, meta) = kept_iter.next().unwrap_or_else(|| unreachable!());
            remap[old_n as usize] = n;
            metas.push(meta);
        } else {
            added_at[j] = n;
            metas.push(new_iter.next().unwrap_or_else(|| unreachable!()));
            j += 1;
        }
    }
    let mut w = Writer::new(&metas)?;
    drop(metas);
    // The added documents' postings in the new numbers (their order is kept).
    let mut new_iter = new_terms
        .iter()
        .map(|(t, list)| (t, list.iter().map(|(d, f)| (added_at[*d as usize], *f)).collect::<Vec<_>>()))
        .peekable();
    old.for_each_term(|term, list| {
        while let Some((t, _)) = new_iter.peek() {
            if t.as_bytes() >= term {
                break;
            }
            let (t, l) = new_iter.next().unwrap_or_else(|| unreachable!());
            w.term(t.as_bytes(), &l)?;
        }
        let old_list: Vec<Posting> = list
            .iter()
            .filter_map(|(d, f)| Some((*remap.get(*d as usize)?, *f)))
            .filter(|p| p.0 != NONE)
            .collect();
        match new_iter.peek() {
            Some((t, _)) if t.as_bytes() == term => {
                let (_, l) = new_iter.next().unwrap_or_else(|| unreachable!());
                w.term(term, &merge_postings(&old_list, &l))
            }
            _ => w.term(term, &old_list),
        }
    })?;
    for (t, l) in new_iter {
        w.term(t.as_bytes(), &l)?;
    }
    save(path, &w.finish()?)
}

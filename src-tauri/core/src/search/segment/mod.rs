//! The persisted part of the search index: one immutable file, written
//! whole and renamed into place, read with positioned reads.
//!
//! Layout (little-endian):
//! - header: magic, version, document count, then offset and length of
//!   each section, and a CRC-32 of everything after the header;
//! - documents: one entry per document number (kind, stage, where its phone
//!   numbers and sort key are, rank time, id), in the order of (kind, sort
//!   key, id), so document numbers run alphabetically within a kind;
//! - ids: (id, document number) sorted by id, to find a document by id;
//! - phones: per document, its phone numbers' digits;
//! - sort keys: per document, its folded name;
//! - by change: the contacts' document numbers, most recently changed first;
//! - postings: per term, the documents holding it as (delta-coded number,
//!   fields) pairs, in term order, so the terms of a prefix have their
//!   postings side by side and are read at once;
//! - terms: an `fst` map from term to (offset << 24 | length) of its postings.
//!
//! Prefix lists: for every one- and two-character prefix of the words and
//! every kind, a term [`PREFIX_TERM`] + kind tag + prefix holds the union of
//! its words' postings among that kind's documents, so a query of one or
//! two letters reads one short list (per kind) instead of thousands.
//!
//! The document order doubles as the contact list by name, the by-change
//! section as the list by last change: the store keeps no list index of
//! its own.
//!
//! Opening reads the header, the terms, the documents, the ids and the
//! by-change order; posting lists, phones and sort keys are read when needed.

mod write;

use std::fs::File;
use std::path::Path;

use uuid::Uuid;

use super::{DocKey, DocKind, IndexedDoc};
use crate::error::{Error, Result};

use write::build;
pub(crate) use write::{merge, write, Builder};

const MAGIC: &[u8; 8] = b"KONTRIX1";
/// 2: prefix lists per kind (`PREFIX_TERM` + kind tag + prefix). A segment
/// of another version is rebuilt from the records.
const VERSION: u32 = 2;
/// Sections after the header.
const SECTIONS: usize = 7;
const HEADER: usize = 8 + 4 + 4 + SECTIONS * 16 + 4;
/// Bytes of one document entry.
const DOC: usize = 48;
/// Bytes of one id entry.
const ID: usize = 20;
/// First byte of a prefix-list term; it sorts after every word and phone
/// term (no UTF-8 text holds the byte 0xFF).
pub(crate) const PREFIX_TERM: u8 = 0xFF;
/// Longest prefix (in characters) that gets a prefix list.
pub(crate) const PREFIX_LIST_CHARS: usize = 2;
/// Bits of a term's value that hold its posting list's length.
const LEN_BITS: u32 = 24;
/// No phone numbers / no sort key.
const NONE: u32 = u32::MAX;

/// One document of a segment as the index needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocEntry {
    pub(crate) key: DocKey,
    /// Stage tag of a contact (0 for others).
    pub(crate) stage: u8,
    /// Rank time in ms (most recent first among equal matches).
    pub(crate) rank_ms: i64,
    /// Last change in ms (the list by last change).
    pub(crate) changed_ms: i64,
}

/// A posting: document number and the fields the term occurs in.
pub(crate) type Posting = (u32, u16);

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    // Most document gaps and field sets take one byte.
    let first = *bytes.get(*pos)?;
    if first < 0x80 {
        *pos += 1;
        return Some(u64::from(first));
    }
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Encodes a posting list (document numbers ascending).
fn encode_postings(list: &[Posting], out: &mut Vec<u8>) {
    put_varint(out, list.len() as u64);
    let mut last = 0u32;
    for (i, (doc, fields)) in list.iter().enumerate() {
        let delta = if i == 0 { *doc } else { doc - last };
        put_varint(out, u64::from(delta));
        put_varint(out, u64::from(*fields));
        last = *doc;
    }
}

/// Calls `each` for every posting of the list at the start of `bytes`, in
/// document order, as long as it returns `true`.
pub(crate) fn decode_postings(bytes: &[u8], mut each: impl FnMut(u32, u16) -> bool) -> Result<()> {
    let bad = || Error::Storage("damaged search index: posting list".into());
    let mut pos = 0;
    let n = get_varint(bytes, &mut pos).ok_or_else(bad)?;
    let mut doc = 0u32;
    for i in 0..n {
        let delta = u32::try_from(get_varint(bytes, &mut pos).ok_or_else(bad)?).map_err(|_| bad())?;
        let fields = u16::try_from(get_varint(bytes, &mut pos).ok_or_else(bad)?).map_err(|_| bad())?;
        doc = if i == 0 { delta } else { doc.checked_add(delta).ok_or_else(bad)? };
        if !each(doc, fields) {
            break;
        }
    }
    Ok(())
}

/// Bytes between two posting lists read at once rather than apart.
const READ_GAP: u64 = 64 * 1024;

/// Adds `fields` of `doc` to a posting list built in document order.
fn push_posting(list: &mut Vec<Posting>, doc: u32, fields: u16) {
    match list.last_mut() {
        Some(last) if last.0 == doc => last.1 |= fields,
        _ => list.push((doc, fields)),
    }
}

/// Merges two posting lists sorted by document number.
fn merge_postings(a: &[Posting], b: &[Posting]) -> Vec<Posting> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].0 <= b[j].0);
        let (doc, fields) = if take_a { a[i] } else { b[j] };
        if take_a {
            i += 1;
        } else {
            j += 1;
        }
        push_posting(&mut out, doc, fields);
    }
    out
}

/// The prefixes of up to [`PREFIX_LIST_CHARS`] characters of a word term.
fn short_prefixes(term: &str) -> impl Iterator<Item = &str> {
    term.char_indices().skip(1).map(|(i, _)| &term[..i]).chain(std::iter::once(term)).take(PREFIX_LIST_CHARS)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Storage(format!("search index {}: {e}", path.display()))
}

/// Where a segment's bytes are.
enum Backing {
    File(File),
    Memory(Vec<u8>),
}

impl Backing {
    fn read_at(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Backing::File(file) => read_at(file, offset, len),
            Backing::Memory(bytes) => usize::try_from(offset)
                .ok()
                .and_then(|start| bytes.get(start..start.checked_add(len)?))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into()),
        }
    }

    fn len(&self) -> std::io::Result<u64> {
        match self {
            Backing::File(file) => Ok(file.metadata()?.len()),
            Backing::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }
}

/// An open segment.
pub(crate) struct Segment {
    backing: Backing,
    terms: fst::Map<Vec<u8>>,
    docs: Vec<u8>,
    /// Each document's kind tag and stage, two bytes apiece: what every
    /// match is counted by, kept apart from the wide document table so that
    /// counting tens of thousands of matches stays in the cache.
    kind_stage: Vec<[u8; 2]>,
    /// Each document's rank time, apart for the same reason: the best
    /// hits are picked by it among every match of a common word.
    rank_ms: Vec<i64>,
    ids: Vec<u8>,
    phones: (u64, u64),
    /// The phones section, read on the first phone search.
    phone_bytes: std::sync::OnceLock<Vec<u8>>,
    sort_keys: (u64, u64),
    by_change: Vec<u8>,
    postings: (u64, u64),
    crc: u32,
    body: (u64, u64),
}

fn read_at(file: &File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0; len];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(&mut buf, offset)?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < len {
            let n = file.seek_read(&mut buf[done..], offset + done as u64)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
    }
    Ok(buf)
}

impl Segment {
    /// Opens a segment file: checks its header and size, reads its terms,
    /// documents and ids. The checksum over the body is checked by
    /// [`Segment::verify`], not here (it reads the whole file).
    pub(crate) fn open(path: &Path) -> Result<Segment> {
        let file = File::open(path).map_err(|e| io_error(path, e))?;
        Segment::from_backing(Backing::File(file), path)
    }

    /// A segment in memory holding `docs` (the delta's view).
    pub(crate) fn in_memory(docs: Vec<IndexedDoc>) -> Result<Segment> {
        let mut builder = Builder::default();
        for doc in docs {
            builder.add(doc);
        }
        Segment::from_backing(Backing::Memory(build(builder)?), Path::new("(memory)"))
    }

    fn from_backing(backing: Backing, path: &Path) -> Result<Segment> {
        let damaged = |why: &str| Error::Storage(format!("damaged search index {}: {why}", path.display()));
        let size = backing.len().map_err(|e| io_error(path, e))?;
        let header = backing.read_at(0, HEADER).map_err(|_| damaged("too short"))?;
        if &header[..8] != MAGIC {
            return Err(damaged("not a Kontor search index"));
        }
        let u32_at = |i: usize| u32::from_le_bytes(header[i..i + 4].try_into().unwrap_or_default());
        let u64_at = |i: usize| u64::from_le_bytes(header[i..i + 8].try_into().unwrap_or_default());
        if u32_at(8) != VERSION {
            return Err(damaged("unknown version"));
        }
        let count = u32_at(12) as usize;
        let section = |k: usize| (u64_at(16 + 16 * k), u64_at(24 + 16 * k));
        let s: Vec<(u64, u64)> = (0..SECTIONS).map(section).collect();
        let fits = s.windows(2).all(|w| w[0].0 + w[0].1 == w[1].0);
        if !fits
            || s[0].0 != HEADER as u64
            || s[SECTIONS - 1].0 + s[SECTIONS - 1].1 != size
            || s[0].1 != (count * DOC) as u64
            || s[1].1 != (count * ID) as u64
        {
            return Err(damaged("its sections do not fit the file"));
        }
        let read = |(off, len): (u64, u64)| {
            backing.read_at(off, usize::try_from(len).unwrap_or(usize::MAX)).map_err(|e| io_error(path, e))
        };
        let terms = fst::Map::new(read(s[6])?).map_err(|_| damaged("terms"))?;
        let docs = read(s[0])?;
        Ok(Segment {
            kind_stage: docs.chunks_exact(DOC).map(|e| [e[0], e[1]]).collect(),
            rank_ms: docs
                .chunks_exact(DOC)
                .map(|e| i64::from_le_bytes(e[16..24].try_into().unwrap_or_default()))
                .collect(),
            docs,
            ids: read(s[1])?,
            phones: s[2],
            phone_bytes: std::sync::OnceLock::new(),
            sort_keys: s[3],
            by_change: read(s[4])?,
            postings: s[5],
            terms,
            crc: u32_at(HEADER - 4),
            body: (HEADER as u64, size - HEADER as u64),
            backing,
        })
    }

    /// Reads the whole file and checks its checksum.
    pub(crate) fn verify(&self) -> Result<()> {
        let body = self
            .backing
            .read_at(self.body.0, usize::try_from(self.body.1).unwrap_or(usize::MAX))
            .map_err(|e| Error::Storage(format!("search index: {e}")))?;
        if crc32fast::hash(&body) != self.crc {
            return Err(Error::Storage("damaged search index: its checksum does not match".into()));
        }
        Ok(())
    }

    /// Number of documents.
    pub(crate) fn len(&self) -> u32 {
        (self.docs.len() / DOC) as u32
    }

    fn entry(&self, n: u32) -> &[u8] {
        &self.docs[n as usize * DOC..(n as usize + 1) * DOC]
    }

    fn u32_of(e: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(e[at..at + 4].try_into().unwrap_or_default())
    }

    /// Document `n`.
    pub(crate) fn doc(&self, n: u32) -> DocEntry {
        let e = self.entry(n);
        let kind = DocKind::from_tag(e[0]).unwrap_or(DocKind::Contact);
        DocEntry {
            key: DocKey::new(kind, Uuid::from_slice(&e[32..48]).unwrap_or_default()),
            stage: e[1],
            rank_ms: self.rank_ms(n),
            changed_ms: i64::from_le_bytes(e[24..32].try_into().unwrap_or_default()),
        }
    }

    /// The kind tag and stage of document `n`, without decoding its id.
    pub(crate) fn kind_stage(&self, n: u32) -> (u8, u8) {
        let [kind, stage] = self.kind_stage.get(n as usize).copied().unwrap_or([0, 0]);
        (kind, stage)
    }

    /// The rank time of document `n`.
    pub(crate) fn rank_ms(&self, n: u32) -> i64 {
        self.rank_ms.get(n as usize).copied().unwrap_or_default()
    }

    /// The contacts' document numbers, most recently changed first.
    pub(crate) fn by_change(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_change.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default()))
    }

    /// The document number of an id.
    pub(crate) fn find(&self, id: Uuid) -> Option<u32> {
        let (mut lo, mut hi) = (0usize, self.ids.len() / ID);
        let want = id.as_bytes();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let e = &self.ids[mid * ID..(mid + 1) * ID];
            match e[..16].cmp(want) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(Self::u32_of(e, 16)),
            }
        }
        None
    }

    /// The terms map, for automata and ranges.
    pub(crate) fn terms(&self) -> &fst::Map<Vec<u8>> {
        &self.terms
    }

    /// Reads the postings of the terms whose values are given (in term
    /// order, so they lie side by side) with one read for the whole span;
    /// calls `each(i, doc, fields)` with the index of the term in `values`.
    pub(crate) fn postings(&self, values: &[u64], mut each: impl FnMut(usize, u32, u16)) -> Result<()> {
        self.postings_while(values, |i, doc, fields| {
            each(i, doc, fields);
            true
        })
    }

    /// [`Segment::postings`], each list only as long as `each` returns `true`.
    /// Lists lying close together are read at once; far apart ones (the
    /// terms a typo automaton finds all over the dictionary) apart.
    pub(crate) fn postings_while(
        &self,
        values: &[u64],
        mut each: impl FnMut(usize, u32, u16) -> bool,
    ) -> Result<()> {
        let span = |v: u64| (v >> LEN_BITS, v & ((1 << LEN_BITS) - 1));
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_unstable_by_key(|i| span(values[*i]).0);
        let mut from = 0;
        while from < order.len() {
            let start = span(values[order[from]]).0;
            let mut end = start + span(values[order[from]]).1;
            let mut to = from + 1;
            while to < order.len() && span(values[order[to]]).0 <= end + READ_GAP {
                end = end.max(span(values[order[to]]).0 + span(values[order[to]]).1);
                to += 1;
            }
            if end > self.postings.1 {
                return Err(Error::Storage("damaged search index: a posting offset lies outside".into()));
            }
            let bytes = self
                .backing
                .read_at(self.postings.0 + start, (end - start) as usize)
                .map_err(|e| Error::Storage(format!("search index: {e}")))?;
            for &i in &order[from..to] {
                let (off, len) = span(values[i]);
                let at = (off - start) as usize;
                decode_postings(&bytes[at..at + len as usize], |doc, fields| each(i, doc, fields))?;
            }
            from = to;
        }
        Ok(())
    }

    /// A length-prefixed record (phones, sort key) at `off` of a section.
    fn read_record(&self, section: (u64, u64), off: u32, first: usize) -> Result<Vec<u8>> {
        let avail = section.1.saturating_sub(u64::from(off)) as usize;
        self.backing
            .read_at(section.0 + u64::from(off), first.min(avail))
            .map_err(|e| Error::Storage(format!("search index: {e}")))
    }

    /// The phone numbers (digits) of document `n`.
    pub(crate) fn phones_of(&self, n: u32) -> Result<Vec<String>> {
        let off = Self::u32_of(self.entry(n), 4);
        if off == NONE {
            return Ok(vec![]);
        }
        let mut bytes = self.read_record(self.phones, off, 256)?;
        let count = *bytes.first().unwrap_or(&0) as usize;
        // Most documents have a few numbers; read on when there are more.
        if count > 8 {
            bytes = self.read_record(self.phones, off, 1 + count * 256)?;
        }
        let mut out = Vec::with_capacity(count);
        let mut pos = 1;
        for _ in 0..count {
            let Some(&l) = bytes.get(pos) else { break };
            let Some(digits) = bytes.get(pos + 1..pos + 1 + l as usize) else { break };
            out.push(String::from_utf8_lossy(digits).into_owned());
            pos += 1 + l as usize;
        }
        Ok(out)
    }

    /// Whether document `n` has a phone number holding `needle`, from the
    /// phones section (read whole on the first call: a phone search checks
    /// thousands of candidates).
    pub(crate) fn phone_contains(&self, n: u32, needle: &str) -> Result<bool> {
        let off = Self::u32_of(self.entry(n), 4);
        if off == NONE {
            return Ok(false);
        }
        let bytes = match self.phone_bytes.get() {
            Some(b) => b,
            None => {
                let all = self
                    .backing
                    .read_at(self.phones.0, self.phones.1 as usize)
                    .map_err(|e| Error::Storage(format!("search index: {e}")))?;
                self.phone_bytes.get_or_init(|| all)
            }
        };
        let needle = needle.as_bytes();
        let mut pos = off as usize;
        let count = *bytes.get(pos).unwrap_or(&0) as usize;
        pos += 1;
        for _ in 0..count {
            let Some(&l) = bytes.get(pos) else { break };
            let Some(digits) = bytes.get(pos + 1..pos + 1 + l as usize) else { break };
            if digits.windows(needle.len()).any(|w| w == needle) {
                return Ok(true);
            }
            pos += 1 + l as usize;
        }
        Ok(false)
    }

    /// The sort key of document `n`.
    pub(crate) fn sort_key(&self, n: u32) -> Result<String> {
        let bytes = self.read_record(self.sort_keys, Self::u32_of(self.entry(n), 8), 256)?;
        let len = *bytes.first().unwrap_or(&0) as usize;
        Ok(String::from_utf8_lossy(bytes.get(1..1 + len).unwrap_or_default()).into_owned())
    }

    /// Calls `each(term, postings)` for every term in byte order (prefix
    /// lists left out), reading the postings in large spans.
    pub(crate) fn for_each_term(&self, mut each: impl FnMut(&[u8], &[Posting]) -> Result<()>) -> Result<()> {
        use fst::Streamer;
        let mut stream = self.terms.stream();
        let mut batch: Vec<(Vec<u8>, u64)> = Vec::new();
        let mut flush = |batch: &mut Vec<(Vec<u8>, u64)>| -> Result<()> {
            let values: Vec<u64> = batch.iter().map(|b| b.1).collect();
            let mut lists: Vec<Vec<Posting>> = vec![Vec::new(); batch.len()];
            self.postings(&values, |i, doc, fields| lists[i].push((doc, fields)))?;
            for ((term, _), list) in batch.iter().zip(&lists) {
                each(term, list)?;
            }
            batch.clear();
            Ok(())
        };
        while let Some((term, value)) = stream.next() {
            if term.first() == Some(&PREFIX_TERM) {
                break;
            }
            batch.push((term.to_vec(), value));
            if batch.len() >= 4096 {
                flush(&mut batch)?;
            }
        }
        flush(&mut batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_posting_lists_round_trip() {
        let list = vec![(0, 1), (5, 3), (300, 0x8000), (70_000, 2)];
        let mut bytes = Vec::new();
        encode_postings(&list, &mut bytes);
        let mut back = Vec::new();
        decode_postings(&bytes, |d, f| {
            back.push((d, f));
            true
        })
        .unwrap();
        assert_eq!(back, list);
    }

    #[test]
    fn short_prefixes_are_the_first_one_and_two_characters() {
        assert_eq!(short_prefixes("mueller").collect::<Vec<_>>(), ["m", "mu"]);
        assert_eq!(short_prefixes("a").collect::<Vec<_>>(), ["a"]);
        assert_eq!(short_prefixes("äb").collect::<Vec<_>>(), ["ä", "äb"]);
    }

    #[test]
    fn equal_posting_lists_are_stored_once() {
        let doc = |n: u128, terms: &[&str]| IndexedDoc {
            key: DocKey::new(DocKind::Contact, Uuid::from_u128(n)),
            stage: 0,
            rank_ms: 0,
            changed_ms: 0,
            sort_key: format!("{n}"),
            terms: terms.iter().map(|t| ((*t).to_owned(), 1)).collect(),
            phones: vec![],
        };
        let seg = Segment::in_memory(vec![
            doc(1, &["muller", "mueller", "koln"]),
            doc(2, &["muller", "mueller"]),
            doc(3, &["koln", "koeln"]),
        ])
        .unwrap();
        let value = |t: &str| seg.terms().get(t).unwrap();
        assert_eq!(value("muller"), value("mueller"), "the same documents: one list");
        assert_ne!(value("koln"), value("koeln"), "other documents: their own list");
        let mut docs = Vec::new();
        seg.postings(&[value("mueller"), value("koeln")], |i, doc, _| docs.push((i, doc))).unwrap();
        assert_eq!(docs.len(), 3);
    }

    #[test]
    fn a_built_segment_has_each_documents_terms_once_in_order_past_a_chunk() {
        // More postings than one chunk of the builder holds, a term given
        // twice in one document (two fields), a document added again and
        // one removed.
        let n = super::write::CHUNK as u128 / 2 + 10;
        let doc = |i: u128, terms: Vec<(String, u16)>| IndexedDoc {
            key: DocKey::new(DocKind::Contact, Uuid::from_u128(i)),
            stage: 0,
            rank_ms: 0,
            changed_ms: 0,
            sort_key: format!("{i:08}"),
            terms,
            phones: vec![],
        };
        let mut builder = Builder::default();
        for i in 0..n {
            builder.add(doc(i, vec![("all".into(), 1), (format!("n{i}"), 1), ("all".into(), 4)]));
        }
        builder.add(doc(3, vec![("again".into(), 2)]));
        builder.remove(DocKey::new(DocKind::Contact, Uuid::from_u128(5)));
        let seg =
            Segment::from_backing(Backing::Memory(build(builder).unwrap()), Path::new("(memory)")).unwrap();
        assert_eq!(seg.len() as u128, n - 1, "document 5 removed");
        let value = |t: &str| seg.terms().get(t);
        let mut all = Vec::new();
        seg.postings(&[value("all").unwrap()], |_, doc, fields| all.push((doc, fields))).unwrap();
        assert_eq!(all.len() as u128, n - 2, "once per document, not for 3 (added again) nor 5");
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "in document order");
        assert!(all.iter().all(|(_, f)| *f == 5), "both fields of the term");
        assert!(value("n3").is_none() && value("n5").is_none());
        let mut again = Vec::new();
        seg.postings(&[value("again").unwrap()], |_, doc, _| again.push(doc)).unwrap();
        assert_eq!(again, [3], "document 3 in its place among the others");
        assert_eq!(seg.doc(3).key.id, Uuid::from_u128(3));
    }

    #[test]
    fn merging_posting_lists_unites_fields_of_one_document() {
        assert_eq!(merge_postings(&[(1, 1), (4, 1)], &[(1, 2), (3, 2)]), [(1, 3), (3, 2), (4, 1)]);
    }
}

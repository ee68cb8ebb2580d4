//! Writing a segment: the builder that gathers documents and their terms,
//! the writer that lays out the file, and the merge of an old segment with
//! new documents; written whole and renamed into place.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use uuid::Uuid;

use super::{
    encode_postings, io_error, merge_postings, push_posting, short_prefixes, Posting, Segment, DOC, HEADER,
    ID, LEN_BITS, MAGIC, NONE, PREFIX_TERM, SECTIONS, VERSION,
};
use crate::error::{Error, Result};
use crate::search::{DocKey, DocKind, IndexedDoc};

/// What a segment keeps of one document besides its terms. The sort key
/// and the phone numbers share one allocation (an import of 300,000
/// contacts holds one of these per record until the segment is written).
pub(crate) struct DocMeta {
    pub(crate) key: DocKey,
    pub(crate) stage: u8,
    pub(crate) rank_ms: i64,
    pub(crate) changed_ms: i64,
    /// The sort key, then each phone number after a space (phone numbers
    /// are digits).
    text: Box<str>,
    /// Where the sort key ends in `text`.
    split: u32,
}

impl DocMeta {
    pub(crate) fn new(
        key: DocKey,
        stage: u8,
        rank_ms: i64,
        changed_ms: i64,
        sort_key: &str,
        phones: &[String],
    ) -> DocMeta {
        let mut text =
            String::with_capacity(sort_key.len() + phones.iter().map(|p| p.len() + 1).sum::<usize>());
        text.push_str(sort_key);
        for p in phones {
            text.push(' ');
            text.push_str(p);
        }
        let split = sort_key.len() as u32;
        DocMeta { key, stage, rank_ms, changed_ms, text: text.into_boxed_str(), split }
    }

    fn sort_key(&self) -> &str {
        &self.text[..self.split as usize]
    }

    fn phones(&self) -> impl Iterator<Item = &str> {
        self.text[self.split as usize..].split(' ').skip(1)
    }

    fn order(&self) -> (DocKind, &str, Uuid) {
        (self.key.kind, self.sort_key(), self.key.id)
    }
}

/// An I/O error of writing or reading back a segment being built.
fn io(e: std::io::Error) -> Error {
    Error::Storage(format!("search index: {e}"))
}

/// Where a segment's bytes go: memory (the delta's segment) or a file,
/// through a buffer (a segment at 300,000 contacts is 80 MB, and was held
/// whole before it was written).
enum Out<'a> {
    Memory(Vec<u8>),
    File(std::io::BufWriter<&'a mut File>),
}

/// Lays out a segment as it goes: the documents in their final order, then
/// the terms in byte order with their postings (document numbers of that
/// order) streamed to the output; the header last.
struct Writer<'a> {
    out: Out<'a>,
    /// Bytes written after the header, and their CRC-32.
    len: u64,
    crc: crc32fast::Hasher,
    sections: Vec<(u64, u64)>,
    count: u32,
    /// Where the postings section begins, and its bytes so far.
    postings_at: u64,
    postings_len: u64,
    /// One posting list being encoded.
    scratch: Vec<u8>,
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
    written: HashMap<u64, (u64, u64)>,
}

impl<'a> Writer<'a> {
    fn new(docs: &[DocMeta], mut out: Out<'a>) -> Result<Writer<'a>> {
        match &mut out {
            Out::Memory(bytes) => bytes.extend_from_slice(&[0; HEADER]),
            Out::File(file) => file.write_all(&[0; HEADER]).map_err(io)?,
        }
        let mut w = Writer {
            out,
            len: 0,
            crc: crc32fast::Hasher::new(),
            sections: Vec::with_capacity(SECTIONS),
            count: u32::try_from(docs.len()).map_err(|_| Error::Storage("too many documents".into()))?,
            postings_at: 0,
            postings_len: 0,
            scratch: Vec::new(),
            terms: fst::MapBuilder::memory(),
            open: [None, None],
            prefix_values: BTreeMap::new(),
            kinds: docs.iter().map(|d| d.key.kind as u8).collect(),
            written: HashMap::new(),
        };
        let mut table = Vec::with_capacity(docs.len() * DOC);
        let mut phones = Vec::new();
        let mut keys = Vec::new();
        for d in docs {
            let phones_off = if d.phones().next().is_none() {
                NONE
            } else {
                let off = u32::try_from(phones.len()).unwrap_or(NONE);
                let kept: Vec<&str> = d.phones().filter(|p| p.len() < 256).take(255).collect();
                phones.push(kept.len() as u8);
                for p in kept {
                    phones.push(p.len() as u8);
                    phones.extend_from_slice(p.as_bytes());
                }
                off
            };
            let key_off = u32::try_from(keys.len()).unwrap_or(NONE);
            let sort_key = d.sort_key();
            let mut end = sort_key.len().min(255);
            while !sort_key.is_char_boundary(end) {
                end -= 1;
            }
            keys.push(end as u8);
            keys.extend_from_slice(&sort_key.as_bytes()[..end]);
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
        w.section(&table)?;
        drop(table);
        let mut ids: Vec<(Uuid, u32)> = docs.iter().zip(0u32..).map(|(d, n)| (d.key.id, n)).collect();
        ids.sort_unstable();
        let mut id_table = Vec::with_capacity(ids.len() * ID);
        for (id, n) in ids {
            id_table.extend_from_slice(id.as_bytes());
            id_table.extend_from_slice(&n.to_le_bytes());
        }
        w.section(&id_table)?;
        drop(id_table);
        let mut by_change: Vec<u32> =
            (0..docs.len() as u32).filter(|n| docs[*n as usize].key.kind == DocKind::Contact).collect();
        by_change.sort_by_key(|n| {
            let d = &docs[*n as usize];
            (std::cmp::Reverse(d.changed_ms), d.key.id)
        });
        let by_change: Vec<u8> = by_change.iter().flat_map(|n| n.to_le_bytes()).collect();
        w.section(&phones)?;
        w.section(&keys)?;
        w.section(&by_change)?;
        w.postings_at = HEADER as u64 + w.len;
        Ok(w)
    }

    /// Appends bytes after the header.
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        match &mut self.out {
            Out::Memory(out) => out.extend_from_slice(bytes),
            Out::File(file) => file.write_all(bytes).map_err(io)?,
        }
        self.crc.update(bytes);
        self.len += bytes.len() as u64;
        Ok(())
    }

    fn section(&mut self, bytes: &[u8]) -> Result<()> {
        self.sections.push((HEADER as u64 + self.len, bytes.len() as u64));
        self.put(bytes)
    }

    /// Whether the postings section holds `bytes` at `at`.
    fn holds(&mut self, at: u64, bytes: &[u8]) -> Result<bool> {
        let offset = self.postings_at + at;
        let end = HEADER as u64 + self.len;
        match &mut self.out {
            Out::Memory(out) => Ok(out.get(offset as usize..offset as usize + bytes.len()) == Some(bytes)),
            Out::File(file) => {
                let flushed = end - file.buffer().len() as u64;
                if offset >= flushed {
                    let from = (offset - flushed) as usize;
                    return Ok(file.buffer().get(from..from + bytes.len()) == Some(bytes));
                }
                file.flush().map_err(io)?;
                Ok(super::read_at(file.get_ref(), offset, bytes.len()).map_err(io)? == bytes)
            }
        }
    }

    /// Writes a posting list into the postings section (a list equal to
    /// one written before points at that one); its place and length for
    /// the terms, none for an empty list.
    fn encode(&mut self, list: &[Posting]) -> Result<Option<u64>> {
        if list.is_empty() {
            return Ok(None);
        }
        let mut encoded = std::mem::take(&mut self.scratch);
        encoded.clear();
        encode_postings(list, &mut encoded);
        let (start, len) = (self.postings_len, encoded.len() as u64);
        if len >= 1 << LEN_BITS || start >= 1 << (64 - LEN_BITS) {
            return Err(Error::Storage("search index: a posting list is too long".into()));
        }
        // A list equal to one written before (the other spellings of a word
        // with umlauts, mostly) points at that one.
        let hash = u64::from(crc32fast::hash(&encoded));
        let value = match self.written.get(&hash).copied() {
            Some((at, n)) if n == len && self.holds(at, &encoded)? => at << LEN_BITS | len,
            _ => {
                self.written.insert(hash, (start, len));
                self.put(&encoded)?;
                self.postings_len += len;
                start << LEN_BITS | len
            }
        };
        self.scratch = encoded;
        Ok(Some(value))
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

    /// Adds the prefix lists and the terms, then the header; the bytes of a
    /// segment in memory.
    fn finish(mut self) -> Result<Option<Vec<u8>>> {
        for n in 0..self.open.len() {
            if let Some((prefix, all)) = self.open[n].take() {
                self.prefix(&prefix, all)?;
            }
        }
        self.sections.push((self.postings_at, self.postings_len));
        for (term, value) in std::mem::take(&mut self.prefix_values) {
            self.insert(&term, value)?;
        }
        let terms = std::mem::replace(&mut self.terms, fst::MapBuilder::memory());
        let terms = terms.into_inner().map_err(|e| Error::Storage(format!("search index terms: {e}")))?;
        self.section(&terms)?;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&self.count.to_le_bytes());
        for (off, len) in &self.sections {
            header.extend_from_slice(&off.to_le_bytes());
            header.extend_from_slice(&len.to_le_bytes());
        }
        header.extend_from_slice(&self.crc.clone().finalize().to_le_bytes());
        match self.out {
            Out::Memory(mut bytes) => {
                bytes[..HEADER].copy_from_slice(&header);
                Ok(Some(bytes))
            }
            Out::File(file) => {
                let file = file.into_inner().map_err(|e| io(e.into_error()))?;
                file.seek(SeekFrom::Start(0)).map_err(io)?;
                file.write_all(&header).map_err(io)?;
                Ok(None)
            }
        }
    }
}

/// Writes a segment to `path` with `lay_out`, which is given the writer's
/// output, through a temporary file that is synced and renamed, so a crash
/// leaves the old file or the new, never half of one.
fn save(path: &Path, lay_out: impl FnOnce(Out<'_>) -> Result<Option<Vec<u8>>>) -> Result<()> {
    save_through(path, 1 << 18, lay_out)
}

/// [`save`] through a buffer of `capacity` bytes.
fn save_through(
    path: &Path,
    capacity: usize,
    lay_out: impl FnOnce(Out<'_>) -> Result<Option<Vec<u8>>>,
) -> Result<()> {
    crate::paths::write_private_with(
        path,
        |file| lay_out(Out::File(std::io::BufWriter::with_capacity(capacity, file))).map(drop),
        |e| io_error(path, e),
    )
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

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.0.iter().flatten().copied()
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked(Vec::new())
    }
}

/// Bytes of one (term, fields) pair in a [`PostingLog`] file.
const LOGGED: usize = 6;

/// The documents' (term number, fields) pairs in the order they came: in
/// memory, or in an unnamed temporary file beside the index that is gone
/// when closed, whatever ends the process (an import of 300,000 contacts
/// has 11 million of them: 66 MB that need not stand in memory while the
/// import's duplicate lookup does).
enum PostingLog {
    Memory { terms: Chunked<u32>, fields: Chunked<u16> },
    File { out: std::io::BufWriter<File>, failed: Option<std::io::Error> },
}

impl PostingLog {
    fn push(&mut self, term: u32, fields: u16) {
        match self {
            PostingLog::Memory { terms, fields: f } => {
                terms.push(term);
                f.push(fields);
            }
            PostingLog::File { out, failed } => {
                if failed.is_none() {
                    let mut pair = [0u8; LOGGED];
                    pair[..4].copy_from_slice(&term.to_le_bytes());
                    pair[4..].copy_from_slice(&fields.to_le_bytes());
                    if let Err(e) = out.write_all(&pair) {
                        *failed = Some(e);
                    }
                }
            }
        }
    }

    /// Ready to be read: everything written reached the file.
    fn close(self) -> Result<ClosedLog> {
        match self {
            PostingLog::Memory { terms, fields } => Ok(ClosedLog::Memory { terms, fields }),
            PostingLog::File { out, failed } => {
                if let Some(e) = failed {
                    return Err(io(e));
                }
                Ok(ClosedLog::File(out.into_inner().map_err(|e| io(e.into_error()))?))
            }
        }
    }
}

/// A [`PostingLog`] written to the end.
enum ClosedLog {
    Memory { terms: Chunked<u32>, fields: Chunked<u16> },
    File(File),
}

impl ClosedLog {
    /// Calls `each(term, fields)` for every pair in the order they came.
    fn scan(&self, mut each: impl FnMut(u32, u16)) -> Result<()> {
        match self {
            ClosedLog::Memory { terms, fields } => {
                terms.iter().zip(fields.iter()).for_each(|(t, f)| each(t, f));
                Ok(())
            }
            ClosedLog::File(file) => {
                let size = file.metadata().map_err(io)?.len();
                let mut at = 0u64;
                while at < size {
                    let len = (size - at).min((LOGGED << 14) as u64) as usize;
                    let block = super::read_at(file, at, len).map_err(io)?;
                    for pair in block.chunks_exact(LOGGED) {
                        let term = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]);
                        each(term, u16::from_le_bytes([pair[4], pair[5]]));
                    }
                    at += len as u64;
                }
                Ok(())
            }
        }
    }
}

/// Collects documents for a segment as they come, in a compact form: the
/// terms once in a vocabulary, each document's postings as (term, fields)
/// pairs in a [`PostingLog`] (6 bytes a posting); sorted into segment
/// order when written.
pub(crate) struct Builder {
    metas: Vec<DocMeta>,
    vocab: HashMap<Box<str>, u32>,
    /// Where each document's postings end in `log`.
    ends: Vec<u32>,
    log: PostingLog,
    /// Documents removed: those added before the removal (by count) go.
    removed: HashMap<DocKey, u32>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            metas: Vec::new(),
            vocab: HashMap::new(),
            ends: Vec::new(),
            log: PostingLog::Memory { terms: Chunked::default(), fields: Chunked::default() },
            removed: HashMap::new(),
        }
    }
}

/// Postings sorted per pass of [`Terms`] (16 MB of them): at 300,000
/// contacts a segment has 11 million, which sorted all at once stood in
/// memory beside the documents' own lists (another 66 MB).
const PASS: u32 = 1 << 21;

/// The terms of a built segment in byte order, each with its postings
/// (document numbers of the segment's order). They are sorted out of the
/// documents' lists in passes, each over the next terms that together hold
/// at most [`PASS`] postings.
pub(super) struct Terms {
    /// The words in byte order (each taken when its turn comes).
    words: Vec<Box<str>>,
    /// Where each word's postings begin among all (one more at the end).
    starts: Vec<u32>,
    /// A word's place in `words`, by its vocabulary number.
    rank: Vec<u32>,
    /// Each document's number in the segment ([`NONE`]: replaced or
    /// removed), in the order they were added.
    number: Vec<u32>,
    ends: Vec<u32>,
    log: ClosedLog,
    /// Most postings a pass sorts (but one word's at least).
    limit: u32,
    /// The next word's place, and the lists of the pass it is in.
    next: usize,
    pass: std::vec::IntoIter<Vec<Posting>>,
}

/// Calls `each(document, term, fields)` for every posting of `log`, with
/// the document's place in `ends` (where each one's postings end).
fn each_posting(log: &ClosedLog, ends: &[u32], mut each: impl FnMut(usize, u32, u16)) -> Result<()> {
    let (mut doc, mut i) = (0usize, 0u32);
    log.scan(|term, fields| {
        while ends.get(doc).is_some_and(|end| i >= *end) {
            doc += 1;
        }
        each(doc, term, fields);
        i += 1;
    })
}

impl Terms {
    /// Sorts the postings of the next pass's words.
    fn sort_pass(&mut self) -> Result<()> {
        let first = self.next;
        let mut last = first + 1;
        while last < self.words.len() && self.starts[last + 1] - self.starts[first] <= self.limit {
            last += 1;
        }
        let mut lists: Vec<Vec<Posting>> = (first..last)
            .map(|r| Vec::with_capacity((self.starts[r + 1] - self.starts[r]) as usize))
            .collect();
        let (rank, number) = (&self.rank, &self.number);
        each_posting(&self.log, &self.ends, |doc, term, fields| {
            let r = rank[term as usize] as usize;
            let n = number[doc];
            if n != NONE && (first..last).contains(&r) {
                lists[r - first].push((n, fields));
            }
        })?;
        // The documents came in the order they were added.
        for list in &mut lists {
            list.sort_unstable_by_key(|p| p.0);
        }
        self.pass = lists.into_iter();
        Ok(())
    }

    /// The next term in byte order with its postings; `None` after the last.
    fn next_term(&mut self) -> Result<Option<(Box<str>, Vec<Posting>)>> {
        if self.next >= self.words.len() {
            return Ok(None);
        }
        let list = match self.pass.next() {
            Some(list) => list,
            None => {
                self.sort_pass()?;
                self.pass.next().unwrap_or_default()
            }
        };
        let word = std::mem::take(&mut self.words[self.next]);
        self.next += 1;
        Ok(Some((word, list)))
    }
}

impl Builder {
    /// A builder that keeps the documents' postings in an unnamed
    /// temporary file in `dir` (see [`PostingLog`]).
    pub(crate) fn on_disk(dir: &Path) -> Result<Builder> {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let file = tempfile::tempfile_in(dir).map_err(|e| io_error(dir, e))?;
        let out = std::io::BufWriter::with_capacity(1 << 16, file);
        Ok(Builder { log: PostingLog::File { out, failed: None }, ..Builder::default() })
    }

    /// Makes room for `more` documents (a list that doubles as it grows
    /// holds up to twice what it needs).
    pub(crate) fn reserve(&mut self, more: usize) {
        self.metas.reserve_exact(more);
        self.ends.reserve_exact(more);
    }

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
            self.log.push(id, fields);
        }
        self.ends.push(end);
        self.metas.push(DocMeta::new(
            doc.key,
            doc.stage,
            doc.rank_ms,
            doc.changed_ms,
            &doc.sort_key,
            &doc.phones,
        ));
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
    fn finish(self) -> Result<(Vec<DocMeta>, Terms)> {
        self.finish_in_passes(PASS)
    }

    /// [`Builder::finish`] with at most `limit` postings sorted per pass.
    fn finish_in_passes(self, limit: u32) -> Result<(Vec<DocMeta>, Terms)> {
        let Builder { metas, vocab, ends, log, removed } = self;
        let log = log.close()?;
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
        let mut number = vec![NONE; metas.len()];
        for (n, local) in order.iter().enumerate() {
            number[*local as usize] = n as u32;
        }
        drop(order);
        let mut words: Vec<(Box<str>, u32)> = vocab.into_iter().collect();
        words.sort_unstable();
        let mut rank = vec![0u32; words.len()];
        for (r, (_, id)) in words.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        // Postings per word, to cut the passes.
        let mut starts = vec![0u32; words.len() + 1];
        each_posting(&log, &ends, |doc, term, _| {
            if number[doc] != NONE {
                starts[rank[term as usize] as usize + 1] += 1;
            }
        })?;
        for r in 0..words.len() {
            starts[r + 1] += starts[r];
        }
        // The documents into segment order in place (a second list of them
        // would hold every sort key and phone twice): each goes to its
        // number, the replaced and removed ones past the end, cut off.
        let mut metas = metas;
        let alive = number.iter().filter(|n| **n != NONE).count();
        let mut place = number.clone();
        for (past, p) in (alive as u32..).zip(place.iter_mut().filter(|p| **p == NONE)) {
            *p = past;
        }
        for i in 0..metas.len() {
            while place[i] as usize != i {
                let j = place[i] as usize;
                metas.swap(i, j);
                place.swap(i, j);
            }
        }
        drop(place);
        metas.truncate(alive);
        let words = words.into_iter().map(|(w, _)| w).collect();
        let terms =
            Terms { words, starts, rank, number, ends, log, limit, next: 0, pass: Vec::new().into_iter() };
        Ok((metas, terms))
    }
}

/// Writes a segment holding the documents of `builder` to `path` (through a
/// temporary file that is synced and renamed, so a crash leaves the old
/// file or the new).
pub(crate) fn write(path: &Path, builder: Builder) -> Result<()> {
    save(path, |out| lay_out(builder, out))
}

/// A segment's bytes holding the documents of `builder`.
pub(super) fn build(builder: Builder) -> Result<Vec<u8>> {
    Ok(lay_out(builder, Out::Memory(Vec::new()))?.unwrap_or_default())
}

fn lay_out(builder: Builder, out: Out<'_>) -> Result<Option<Vec<u8>>> {
    let (metas, mut terms) = builder.finish()?;
    let mut w = Writer::new(&metas, out)?;
    drop(metas);
    while let Some((term, list)) = terms.next_term()? {
        w.term(term.as_bytes(), &list)?;
    }
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
            let meta =
                DocMeta::new(e.key, e.stage, e.rank_ms, e.changed_ms, &old.sort_key(n)?, &old.phones_of(n)?);
            kept.push((n, meta));
        }
    }
    drop(added_keys);
    let (new_metas, mut new_terms) = added.finish()?;
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
    save(path, move |out| {
        let mut w = Writer::new(&metas, out)?;
        drop(metas);
        // The added documents' postings in the new numbers (their order is kept).
        let mut next_new = || -> Result<Option<(Box<str>, Vec<Posting>)>> {
            Ok(new_terms.next_term()?.map(|(t, mut list)| {
                for p in &mut list {
                    p.0 = added_at[p.0 as usize];
                }
                (t, list)
            }))
        };
        let mut new = next_new()?;
        old.for_each_term(|term, list| {
            while let Some((t, l)) = new.take_if(|(t, _)| t.as_bytes() < term) {
                w.term(t.as_bytes(), &l)?;
                new = next_new()?;
            }
            let old_list: Vec<Posting> = list
                .iter()
                .filter_map(|(d, f)| Some((*remap.get(*d as usize)?, *f)))
                .filter(|p| p.0 != NONE)
                .collect();
            match new.take_if(|(t, _)| t.as_bytes() == term) {
                Some((_, l)) => {
                    new = next_new()?;
                    w.term(term, &merge_postings(&old_list, &l))
                }
                None => w.term(term, &old_list),
            }
        })?;
        while let Some((t, l)) = new.take() {
            w.term(t.as_bytes(), &l)?;
            new = next_new()?;
        }
        w.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3,000 documents whose terms come from a small generator: shared
    /// words, words of one document, lists equal to others (a word and its
    /// other spelling), phones.
    fn builder(mut b: Builder) -> Builder {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for i in 0..3000u128 {
            let mut terms: Vec<(String, u16)> =
                (0..1 + next(12)).map(|_| (format!("w{}", next(400)), 1 << next(6))).collect();
            terms.push((format!("own{i}"), 1));
            if next(3) == 0 {
                terms.push(("müller".into(), 2));
                terms.push(("mueller".into(), 2));
            }
            b.add(IndexedDoc {
                key: DocKey::new(
                    if i % 7 == 0 { DocKind::Organization } else { DocKind::Contact },
                    Uuid::from_u128(i),
                ),
                stage: (i % 5) as u8,
                rank_ms: next(1 << 40) as i64,
                changed_ms: next(1 << 40) as i64,
                sort_key: format!("k{}", next(900)),
                terms,
                phones: if i % 4 == 0 { vec![format!("49{}", next(1 << 30))] } else { vec![] },
            });
        }
        b
    }

    #[test]
    fn a_segment_built_from_a_log_on_disk_in_short_passes_and_streamed_is_the_one_built_in_memory() {
        let whole = build(builder(Builder::default())).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("segment.kix");
        // Passes of 50 postings and a 64-byte buffer: equal lists are found
        // again in the buffer and in the file behind it.
        save_through(&path, 64, |out| {
            let (metas, mut terms) = builder(Builder::on_disk(dir.path())?).finish_in_passes(50)?;
            let mut w = Writer::new(&metas, out)?;
            let mut words = 0;
            while let Some((term, list)) = terms.next_term()? {
                w.term(term.as_bytes(), &list)?;
                words += 1;
            }
            assert!(words > 3000, "every document's own word and the shared ones: {words}");
            w.finish()
        })
        .unwrap();
        let streamed = std::fs::read(&path).unwrap();
        assert_eq!(streamed.len(), whole.len());
        assert!(streamed == whole, "the same bytes");
        let seg = Segment::open(&path).unwrap();
        seg.verify().unwrap();
        let terms = seg.terms();
        assert_eq!(terms.get("müller"), terms.get("mueller"), "one list for both spellings");
    }
}

//! What a record is found by: its search terms, each with the fields it
//! comes from, and the folded spellings a word is found under.
//!
//! A word is indexed folded ("Müller" → "muller"), in its German
//! transliteration ("mueller") and, when it is written with ae/oe/ue, also
//! without them ("Mueller" → "muller"), so ä = ae = a whichever way the
//! record and the query spell it. Phone numbers are indexed by their
//! three-digit runs (phone terms start with [`PHONE_TERM`]) and matched as
//! digit substrings in any formatting.

use std::collections::HashMap;

use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::text::{digits, fold, fold_german, words};

use super::{DocKey, DocKind, Fields, IndexedDoc};

/// First byte of a phone term: three digits follow. [`fold`] drops control
/// characters, so no word term starts with it.
pub(crate) const PHONE_TERM: char = '\u{1}';
/// Longest term kept, in bytes (a pasted URL in the notes stays findable by
/// its start).
const MAX_TERM: usize = 48;
/// Most distinct terms one record contributes (long notes).
const MAX_TERMS: usize = 4000;

/// The folded spellings of a word's text: plain, German transliteration,
/// and with ae/oe/ue collapsed. Each is split into words by the caller.
pub(crate) fn spellings(text: &str) -> Vec<String> {
    let plain = fold(text);
    let mut out = Vec::with_capacity(3);
    if let Some(german) = fold_german(text) {
        out.push(german);
    }
    if let Some(collapsed) = collapse_digraphs(&plain) {
        out.push(collapsed);
    }
    out.insert(0, plain);
    out
}

/// "mueller" → "muller", `None` when there is no ae/oe/ue to collapse.
pub(crate) fn collapse_digraphs(folded: &str) -> Option<String> {
    if !(folded.contains("ae") || folded.contains("oe") || folded.contains("ue")) {
        return None;
    }
    Some(folded.replace("ae", "a").replace("oe", "o").replace("ue", "u"))
}

/// Cuts a term to [`MAX_TERM`] bytes at a character boundary.
fn cut(word: &str) -> &str {
    if word.len() <= MAX_TERM {
        return word;
    }
    let mut end = MAX_TERM;
    while !word.is_char_boundary(end) {
        end -= 1;
    }
    &word[..end]
}

/// The three-digit runs of a digit string, as phone terms.
pub(crate) fn phone_grams(digits: &str) -> impl Iterator<Item = String> + '_ {
    digits.as_bytes().windows(3).map(|w| {
        let mut t = String::with_capacity(4);
        t.push(PHONE_TERM);
        t.extend(w.iter().map(|b| char::from(*b)));
        t
    })
}

/// Collects terms with their fields, one entry per term.
struct Collector {
    terms: HashMap<String, Fields>,
    phones: Vec<String>,
}

impl Default for Collector {
    fn default() -> Self {
        Collector { terms: HashMap::with_capacity(96), phones: Vec::new() }
    }
}

impl Collector {
    fn text(&mut self, field: Fields, text: Option<&str>) {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { return };
        for spelling in spellings(text) {
            for word in words(&spelling) {
                let word = cut(word);
                let full = self.terms.len() >= MAX_TERMS;
                match self.terms.get_mut(word) {
                    Some(fields) => *fields |= field,
                    None if !full => {
                        self.terms.insert(word.to_owned(), field);
                    }
                    None => return,
                }
            }
        }
    }

    fn phone(&mut self, number: &str) {
        let d = digits(number);
        if d.len() < 3 {
            return;
        }
        for gram in phone_grams(&d) {
            match self.terms.get_mut(&gram) {
                Some(fields) => *fields |= Fields::PHONE,
                None => {
                    self.terms.insert(gram, Fields::PHONE);
                }
            }
        }
        if !self.phones.contains(&d) {
            self.phones.push(d);
        }
    }

    fn into_doc(self, key: DocKey, stage: u8, rank_ms: i64, changed_ms: i64, sort_key: String) -> IndexedDoc {
        IndexedDoc {
            key,
            stage,
            rank_ms,
            changed_ms,
            sort_key,
            terms: self.terms.into_iter().map(|(t, f)| (t, f.bits())).collect(),
            phones: self.phones,
        }
    }
}

/// A contact's search terms. `last_activity_ms` ranks it among equal
/// matches (most recently active first).
pub(crate) fn contact_doc(c: &Contact, stage_tag: u8, last_activity_ms: Option<i64>) -> IndexedDoc {
    let mut t = Collector::default();
    t.text(Fields::NAME, Some(&c.first_name));
    t.text(Fields::NAME, Some(&c.last_name));
    t.text(Fields::NAME, Some(&c.display_name));
    t.text(Fields::ORGANIZATION, c.organization.as_deref());
    for email in &c.emails {
        t.text(Fields::EMAIL, Some(email));
    }
    for phone in &c.phones {
        t.phone(phone);
    }
    for tag in &c.tags {
        t.text(Fields::TAGS, Some(tag));
    }
    t.text(Fields::JOB_TITLE, c.title.as_deref());
    t.text(Fields::CITY, c.address.city.as_deref());
    t.text(Fields::POSTCODE, c.address.postcode.as_deref());
    t.text(Fields::STREET, c.address.street.as_deref());
    t.text(Fields::REGION, c.address.region.as_deref());
    t.text(Fields::SOURCE, c.source.as_deref());
    t.text(Fields::NOTES, c.notes.as_deref());
    let changed = c.updated_at.timestamp_millis();
    let rank = last_activity_ms.unwrap_or(i64::MIN).max(changed);
    t.into_doc(
        DocKey::new(DocKind::Contact, c.id),
        stage_tag,
        rank,
        changed,
        super::sort_key(&c.display_name),
    )
}

/// An organisation's search terms.
pub(crate) fn organization_doc(o: &Organization) -> IndexedDoc {
    let mut t = Collector::default();
    t.text(Fields::NAME, Some(&o.name));
    t.text(Fields::INDUSTRY, o.industry.as_deref());
    t.text(Fields::POSTCODE, o.postcode.as_deref());
    t.text(Fields::REGION, o.region.as_deref());
    let key = DocKey::new(DocKind::Organization, o.id);
    let changed = o.updated_at.timestamp_millis();
    t.into_doc(key, 0, changed, changed, super::sort_key(&o.name))
}

/// A deal's search terms.
pub(crate) fn deal_doc(d: &Deal) -> IndexedDoc {
    let mut t = Collector::default();
    t.text(Fields::TITLE, Some(&d.title));
    t.text(Fields::NEXT_STEP, d.next_step.as_deref());
    for item in &d.line_items {
        t.text(Fields::PRODUCTS, Some(&item.product));
    }
    let rank = d.updated_at.max(d.stage_changed_at).timestamp_millis();
    let key = DocKey::new(DocKind::Deal, d.id);
    t.into_doc(key, 0, rank, d.updated_at.timestamp_millis(), super::sort_key(&d.title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_indexed_under_every_spelling_of_its_umlauts() {
        assert_eq!(spellings("Müller"), ["muller", "mueller"]);
        assert_eq!(spellings("Mueller"), ["mueller", "muller"]);
        assert_eq!(spellings("Straße"), ["strasse"]);
        assert_eq!(spellings("Schmidt"), ["schmidt"]);
    }

    #[test]
    fn phone_grams_are_the_three_digit_runs() {
        let grams: Vec<String> = phone_grams("49170").collect();
        assert_eq!(grams, ["\u{1}491", "\u{1}917", "\u{1}170"]);
    }

    #[test]
    fn long_words_are_cut_at_a_character_boundary() {
        let word = "ä".repeat(40);
        assert!(cut(&word).len() <= MAX_TERM);
        assert!(word.starts_with(cut(&word)));
    }
}

//! Search over contacts, organisations and deals (SPEC §11): what records
//! are found by, the typo-tolerant query, the persisted index (a segment
//! file plus a delta of recent changes) and the marks that show a hit's
//! matched text.
//!
//! - [`terms`]: a record's terms, each with the fields it comes from;
//! - [`query`]: query words, their spellings and typo automata;
//! - [`segment`]: the immutable index file (an `fst` of terms, posting
//!   lists, a document table), and the in-memory one the delta is read through;
//! - [`index`]: running a query over the segment and the delta, ranked
//!   exact before prefix before typo, name before organisation before the
//!   other fields, then most recent first;
//! - [`highlight`]: where a hit's title or context matched.
//!
//! This module is pure: the store decides when documents are written, kept
//! in the delta and merged (`store/search.rs`).

pub(crate) mod highlight;
pub(crate) mod index;
pub(crate) mod query;
pub(crate) mod segment;
pub(crate) mod terms;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::stage::Stage;
use crate::text::fold;

/// Number of contacts per stage (and in all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageCounts {
    /// All contacts.
    pub all: u32,
    /// Leads.
    pub lead: u32,
    /// Prospects.
    pub prospect: u32,
    /// Opportunities.
    pub opportunity: u32,
    /// Customers.
    pub customer: u32,
    /// Disqualified.
    pub disqualified: u32,
    /// Contacts with a qualification proposal (ready to qualify).
    pub ready_to_qualify: u32,
}

impl StageCounts {
    fn get_mut(&mut self, stage: Stage) -> &mut u32 {
        match stage {
            Stage::Lead => &mut self.lead,
            Stage::Prospect => &mut self.prospect,
            Stage::Opportunity => &mut self.opportunity,
            Stage::Customer => &mut self.customer,
            Stage::Disqualified => &mut self.disqualified,
        }
    }

    /// Sets the count of one stage.
    pub(crate) fn set(&mut self, stage: Stage, n: u32) {
        *self.get_mut(stage) = n;
    }

    /// Count of one stage.
    pub fn get(&self, stage: Stage) -> u32 {
        let mut copy = *self;
        *copy.get_mut(stage)
    }
}

/// The key contacts sort by name with: folded display name.
pub(crate) fn sort_key(display_name: &str) -> String {
    fold(display_name).trim().to_owned()
}

/// What kind of record a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocKind {
    /// A contact (person).
    Contact = 1,
    /// An organisation.
    Organization = 2,
    /// A deal (Verkaufschance).
    Deal = 3,
}

impl DocKind {
    /// All kinds, in the order results are grouped.
    pub const ALL: [DocKind; 3] = [DocKind::Contact, DocKind::Organization, DocKind::Deal];

    pub(crate) fn from_tag(tag: u8) -> Option<DocKind> {
        match tag {
            1 => Some(DocKind::Contact),
            2 => Some(DocKind::Organization),
            3 => Some(DocKind::Deal),
            _ => None,
        }
    }

    /// The stable key ("contact", "organization", "deal").
    pub fn key(self) -> &'static str {
        match self {
            DocKind::Contact => "contact",
            DocKind::Organization => "organization",
            DocKind::Deal => "deal",
        }
    }
}

impl std::str::FromStr for DocKind {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        DocKind::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| crate::Error::InvalidInput {
            field: "kind",
            reason: format!("unknown kind {s:?} (contact, organization, deal)"),
        })
    }
}

/// A record in the index: its kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct DocKey {
    pub(crate) kind: DocKind,
    pub(crate) id: Uuid,
}

impl DocKey {
    pub(crate) fn new(kind: DocKind, id: Uuid) -> DocKey {
        DocKey { kind, id }
    }

    /// The key bytes: kind tag, then the id.
    pub(crate) fn bytes(&self) -> [u8; 17] {
        let mut out = [0; 17];
        out[0] = self.kind as u8;
        out[1..].copy_from_slice(self.id.as_bytes());
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<DocKey> {
        let (tag, id) = bytes.split_first()?;
        Some(DocKey::new(DocKind::from_tag(*tag)?, Uuid::from_slice(id).ok()?))
    }
}

/// The fields a term occurs in (a bit set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Fields(u16);

impl Fields {
    pub(crate) const NAME: Fields = Fields(1);
    pub(crate) const ORGANIZATION: Fields = Fields(1 << 1);
    pub(crate) const EMAIL: Fields = Fields(1 << 2);
    pub(crate) const PHONE: Fields = Fields(1 << 3);
    pub(crate) const TAGS: Fields = Fields(1 << 4);
    pub(crate) const NOTES: Fields = Fields(1 << 5);
    pub(crate) const JOB_TITLE: Fields = Fields(1 << 6);
    pub(crate) const CITY: Fields = Fields(1 << 7);
    pub(crate) const POSTCODE: Fields = Fields(1 << 8);
    pub(crate) const STREET: Fields = Fields(1 << 9);
    pub(crate) const SOURCE: Fields = Fields(1 << 10);
    pub(crate) const INDUSTRY: Fields = Fields(1 << 11);
    pub(crate) const REGION: Fields = Fields(1 << 12);
    pub(crate) const TITLE: Fields = Fields(1 << 13);
    pub(crate) const NEXT_STEP: Fields = Fields(1 << 14);
    pub(crate) const PRODUCTS: Fields = Fields(1 << 15);

    /// Every field with its stable name, in the order names are listed.
    pub(crate) const NAMED: [(Fields, &'static str); 16] = [
        (Fields::NAME, "name"),
        (Fields::TITLE, "title"),
        (Fields::ORGANIZATION, "organization"),
        (Fields::EMAIL, "email"),
        (Fields::PHONE, "phone"),
        (Fields::TAGS, "tags"),
        (Fields::JOB_TITLE, "job_title"),
        (Fields::CITY, "city"),
        (Fields::POSTCODE, "postcode"),
        (Fields::STREET, "street"),
        (Fields::REGION, "region"),
        (Fields::SOURCE, "source"),
        (Fields::INDUSTRY, "industry"),
        (Fields::NEXT_STEP, "next_step"),
        (Fields::PRODUCTS, "products"),
        (Fields::NOTES, "notes"),
    ];

    pub(crate) fn bits(self) -> u16 {
        self.0
    }

    pub(crate) fn from_bits(bits: u16) -> Fields {
        Fields(bits)
    }

    pub(crate) fn intersects(self, other: Fields) -> bool {
        self.0 & other.0 != 0
    }

    /// The names of the fields in the set.
    pub(crate) fn names(self) -> Vec<String> {
        Fields::NAMED.iter().filter(|(f, _)| self.intersects(*f)).map(|(_, n)| (*n).to_owned()).collect()
    }
}

impl std::ops::BitOr for Fields {
    type Output = Fields;
    fn bitor(self, rhs: Fields) -> Fields {
        Fields(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Fields {
    fn bitor_assign(&mut self, rhs: Fields) {
        self.0 |= rhs.0;
    }
}

/// What the index holds of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct IndexedDoc {
    pub(crate) key: DocKey,
    /// Stage tag of a contact, 0 for others.
    pub(crate) stage: u8,
    /// Recency for ranking equal matches (ms).
    pub(crate) rank_ms: i64,
    /// Last change (ms), for the list by last change.
    pub(crate) changed_ms: i64,
    /// The folded name it sorts by.
    pub(crate) sort_key: String,
    /// Terms with the fields (bits) they occur in.
    pub(crate) terms: Vec<(String, u16)>,
    /// Phone numbers' digits.
    pub(crate) phones: Vec<String>,
}

impl Serialize for DocKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.kind as u8, self.id).serialize(s)
    }
}

impl<'de> Deserialize<'de> for DocKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (tag, id) = <(u8, Uuid)>::deserialize(d)?;
        let kind = DocKind::from_tag(tag).ok_or_else(|| serde::de::Error::custom("unknown kind"))?;
        Ok(DocKey::new(kind, id))
    }
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchQuery {
    /// What the user typed.
    pub text: String,
    /// Only this kind (all when `None`).
    pub kind: Option<DocKind>,
    /// Hits to return at most (per kind when `per_kind`).
    pub limit: u32,
    /// Whether `limit` applies to each kind apart (grouped results).
    #[serde(default)]
    pub per_kind: bool,
}

/// A stretch of matched text, in characters (Unicode scalar values) of the
/// string it marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mark {
    /// First character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

/// A matched field that the hit's title and subtitle do not show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchContext {
    /// The field's stable name ("email", "notes", …).
    pub field: String,
    /// Its text (a stretch of it for long notes).
    pub text: String,
    /// Where it matched.
    pub marks: Vec<Mark>,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    /// Contact, organisation or deal.
    pub kind: DocKind,
    /// The record's id.
    pub id: Uuid,
    /// Its name (a deal: its title).
    pub title: String,
    /// What tells it apart (organisation, industry, contact and value).
    pub subtitle: String,
    /// The fields that matched, by stable name.
    pub matched: Vec<String>,
    /// Where the title matched.
    pub title_marks: Vec<Mark>,
    /// Where the subtitle matched.
    pub subtitle_marks: Vec<Mark>,
    /// A matched field the title and subtitle do not show.
    pub context: Option<MatchContext>,
    /// A contact's stage.
    pub stage: Option<Stage>,
}

/// Why a contact in a searched list matched: the fields, where its name
/// and organisation matched, and a matched field the row does not show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactMatch {
    /// The contact.
    pub id: Uuid,
    /// The fields that matched, by stable name.
    pub matched: Vec<String>,
    /// Where the display name matched.
    pub name_marks: Vec<Mark>,
    /// Where the organisation's name matched.
    pub organization_marks: Vec<Mark>,
    /// A matched field the row does not show (email, notes, city …).
    pub context: Option<MatchContext>,
}

/// Search hits, best first, with the number of matches per kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchResults {
    /// The hits (best first; grouped by kind when asked per kind).
    pub hits: Vec<SearchHit>,
    /// Matching contacts.
    pub contacts: u32,
    /// Matching organisations.
    pub organizations: u32,
    /// Matching deals.
    pub deals: u32,
    /// Whether there may be more matches than the counts say: a search of
    /// one or two letters stops counting after the first page.
    pub more: bool,
    /// Whether the index is being rebuilt (results may be incomplete meanwhile).
    pub rebuilding: bool,
}

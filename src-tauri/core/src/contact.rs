//! Contacts and organisations: the records, the input a user or importer
//! gives, and its validation into a normalised form.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::criteria::Criteria;
use crate::error::{Error, Result};
use crate::stage::{ChangedBy, Stage, StageChange};
use crate::text::{normalize_email, normalize_phone};

/// Longest accepted single-line field, in characters.
pub(crate) const MAX_LINE: usize = 300;
/// Longest accepted notes, in characters.
const MAX_NOTES: usize = 100_000;

/// A person the rep sells to. Its JSON form is the stable contract of SPEC §12.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    /// uuid v7.
    pub id: Uuid,
    /// Given name (may be empty when a last name is set).
    pub first_name: String,
    /// Family name (may be empty when a first name is set).
    pub last_name: String,
    /// Name to show; defaults to "first last".
    pub display_name: String,
    /// Name of the linked organisation.
    pub organization: Option<String>,
    /// The linked organisation.
    pub organization_id: Option<Uuid>,
    /// Job title.
    pub title: Option<String>,
    /// Lower-cased, validated email addresses.
    pub emails: Vec<String>,
    /// Phone numbers, E.164 where parseable.
    pub phones: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Where the contact came from (fair, list, referral ...).
    pub source: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// Salutation ("Frau", "Herr", "Dr."), never a job title.
    #[serde(default)]
    pub salutation: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Address,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// Current lifecycle stage.
    pub stage: Stage,
    /// Qualification score 0–100 (fit + engagement), computed when read.
    #[serde(default)]
    pub score: u8,
    /// The qualification criteria (target group: the effective answer).
    #[serde(default)]
    pub criteria: Criteria,
    /// Whether the target-group answer was set by hand (else proposed from
    /// the organisation's data).
    #[serde(default)]
    pub target_group_manual: bool,
    /// The stage the qualification rules propose, computed when read.
    #[serde(default)]
    pub proposal: Option<Stage>,
    /// The newest activity's time, computed when read.
    #[serde(default)]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// Last change of any field or the stage.
    pub updated_at: DateTime<Utc>,
    /// Every stage change, oldest first.
    pub stage_history: Vec<StageChange>,
}

/// What a user (or importer) enters for a contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ContactInput {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Optional display name.
    pub display_name: Option<String>,
    /// Organisation name; found by name or created.
    pub organization: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Phone numbers in any formatting.
    pub phones: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Source.
    pub source: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Salutation ("Frau", "Herr", "Dr.").
    pub salutation: Option<String>,
    /// Postal address.
    pub address: Address,
    /// Website.
    pub website: Option<String>,
}

impl From<&Contact> for ContactInput {
    /// The contact as the form (or an edit) starts from: a display name that
    /// is just "first last" is left to follow the names.
    fn from(c: &Contact) -> Self {
        let joined = format!("{} {}", c.first_name, c.last_name).trim().to_owned();
        ContactInput {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            display_name: (c.display_name != joined).then(|| c.display_name.clone()),
            organization: c.organization.clone(),
            title: c.title.clone(),
            emails: c.emails.clone(),
            phones: c.phones.clone(),
            tags: c.tags.clone(),
            source: c.source.clone(),
            notes: c.notes.clone(),
            salutation: c.salutation.clone(),
            address: c.address.clone(),
            website: c.website.clone(),
        }
    }
}

/// A postal address; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Address {
    /// Street and number.
    pub street: Option<String>,
    /// Postcode (PLZ).
    pub postcode: Option<String>,
    /// City (Ort).
    pub city: Option<String>,
    /// State or region.
    pub region: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Where it is, set by hand (it wins over geocoding). Always written
    /// (imports pack addresses with postcard, which cannot skip a field).
    pub pin: Option<crate::geo::Pin>,
}

impl Address {
    /// "Street, Postcode City, Country" (the parts present); none without any.
    pub fn line(&self) -> Option<String> {
        crate::geo::join_address(
            self.street.as_deref(),
            self.postcode.as_deref(),
            self.city.as_deref(),
            self.country.as_deref(),
        )
    }

    /// True when no part is set.
    pub fn is_empty(&self) -> bool {
        [&self.street, &self.postcode, &self.city, &self.region, &self.country].iter().all(|p| p.is_none())
    }

    fn validated(&self, region: phonenumber::country::Id, policy: Unparsed) -> Result<Address> {
        let postcode = optional_line("address.postcode", self.postcode.as_deref())?;
        if let (Some(code), Unparsed::Reject) = (&postcode, policy) {
            check_postcode(code, self.country.as_deref(), region)?;
        }
        Ok(Address {
            street: optional_line("address.street", self.street.as_deref())?,
            postcode,
            city: optional_line("address.city", self.city.as_deref())?,
            region: optional_line("address.region", self.region.as_deref())?,
            country: optional_line("address.country", self.country.as_deref())?,
            pin: self.pin.map(|p| crate::geo::Pin::new(p.lat, p.lon)).transpose()?,
        })
    }
}

/// The postcode digits of the countries reps here sell in (Germany 5,
/// Austria and Switzerland 4): by the address's country, or the phone
/// region when none is given. Other countries' postcodes are taken as written.
fn check_postcode(code: &str, country: Option<&str>, region: phonenumber::country::Id) -> Result<()> {
    use phonenumber::country::Id;
    let country = match country.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()) {
        None => match region {
            Id::DE => "DE",
            Id::AT => "AT",
            Id::CH => "CH",
            _ => return Ok(()),
        },
        Some(c) => match c.as_str() {
            "de" | "d" | "deu" | "deutschland" | "germany" => "DE",
            "at" | "a" | "aut" | "österreich" | "oesterreich" | "austria" => "AT",
            "ch" | "che" | "schweiz" | "switzerland" | "suisse" | "svizzera" => "CH",
            _ => return Ok(()),
        },
    };
    let digits = if country == "DE" { 5 } else { 4 };
    if code.len() == digits && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::InvalidPostcode { value: code.to_owned(), country, digits })
    }
}

/// A web address as a rep types it: `example.com`, `www.example.com/shop`,
/// `https://example.com`; no spaces, a dot in the host.
fn looks_like_website(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")).unwrap_or(text);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !text.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || "-.:".contains(c))
}

/// What validation does with a value it cannot read as what it should be:
/// a phone number, a web address, a postcode of its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unparsed {
    /// Refuse the input (forms: the user can correct it).
    Reject,
    /// Keep the text as written (imports: nothing is lost).
    KeepAsWritten,
}

/// A company; contacts may belong to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Organization {
    /// uuid v7.
    pub id: Uuid,
    /// Company name.
    pub name: String,
    /// Industry (Branche).
    #[serde(default)]
    pub industry: Option<String>,
    /// Company size in employees.
    #[serde(default)]
    pub size: Option<u32>,
    /// Postcode.
    #[serde(default)]
    pub postcode: Option<String>,
    /// Region (state, county ...).
    #[serde(default)]
    pub region: Option<String>,
    /// Street and number.
    #[serde(default)]
    pub street: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// Where it is, set by hand (it wins over geocoding).
    #[serde(default)]
    pub pin: Option<crate::geo::Pin>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// What a user enters for an organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct OrganizationInput {
    /// Company name.
    pub name: String,
    /// Industry.
    pub industry: Option<String>,
    /// Employees.
    pub size: Option<u32>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// A pin set by hand.
    pub pin: Option<crate::geo::Pin>,
}

impl Organization {
    /// Its address as one line; none without any part.
    pub fn address_line(&self) -> Option<String> {
        crate::geo::join_address(
            self.street.as_deref(),
            self.postcode.as_deref(),
            self.city.as_deref(),
            self.country.as_deref(),
        )
    }
}

impl From<&Organization> for OrganizationInput {
    /// The organisation as its edit form starts from.
    fn from(o: &Organization) -> Self {
        OrganizationInput {
            name: o.name.clone(),
            industry: o.industry.clone(),
            size: o.size,
            postcode: o.postcode.clone(),
            region: o.region.clone(),
            street: o.street.clone(),
            city: o.city.clone(),
            country: o.country.clone(),
            pin: o.pin,
        }
    }
}

impl OrganizationInput {
    /// Applies the validated input to `org`.
    pub(crate) fn apply(&self, org: &mut Organization, now: DateTime<Utc>) -> Result<()> {
        let name = line("name", &self.name)?;
        if name.is_empty() {
            return Err(Error::InvalidInput { field: "name", reason: "an organisation needs a name".into() });
        }
        org.name = name;
        org.industry = optional_line("industry", self.industry.as_deref())?;
        org.size = self.size;
        org.postcode = optional_line("postcode", self.postcode.as_deref())?;
        org.region = optional_line("region", self.region.as_deref())?;
        org.street = optional_line("street", self.street.as_deref())?;
        org.city = optional_line("city", self.city.as_deref())?;
        org.country = optional_line("country", self.country.as_deref())?;
        org.pin = self.pin.map(|p| crate::geo::Pin::new(p.lat, p.lon)).transpose()?;
        org.updated_at = now;
        Ok(())
    }
}

/// A [`ContactInput`] after validation: trimmed, normalised, deduplicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) display_name: String,
    pub(crate) organization: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) emails: Vec<String>,
    pub(crate) phones: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    pub(crate) salutation: Option<String>,
    pub(crate) address: Address,
    pub(crate) website: Option<String>,
}

fn line(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.chars().count() > MAX_LINE {
        return Err(Error::InvalidInput { field, reason: format!("longer than {MAX_LINE} characters") });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::InvalidInput { field, reason: "contains control characters".into() });
    }
    Ok(value.to_owned())
}

fn optional_line(field: &'static str, value: Option<&str>) -> Result<Option<String>> {
    Ok(Some(line(field, value.unwrap_or(""))?).filter(|v| !v.is_empty()))
}

/// The website as written, refused under [`Unparsed::Reject`] when it is no web address.
fn website(raw: Option<&str>, policy: Unparsed) -> Result<Option<String>> {
    let site = optional_line("website", raw)?;
    match site {
        Some(s) if policy == Unparsed::Reject && !looks_like_website(&s) => Err(Error::InvalidWebsite(s)),
        site => Ok(site),
    }
}

/// The value of a check that passed; a failed one's error joins `problems`.
fn keep<T: Default>(problems: &mut Vec<Error>, checked: Result<T>) -> T {
    checked.unwrap_or_else(|e| {
        problems.push(e);
        T::default()
    })
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.iter().any(|v| same_entry(v, &value)) {
        list.push(value);
    }
}

/// Whether two tags (or other list entries) are the same, case aside.
pub(crate) fn same_entry(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

impl ContactInput {
    /// Validates and normalises the input. Phone numbers without a country
    /// code are read in `region` (settings; DE by default).
    pub fn validate(&self, region: phonenumber::country::Id) -> Result<ValidContact> {
        self.validate_with(region, Unparsed::Reject)
    }

    /// [`ContactInput::validate`] with a choice of what happens to phone
    /// numbers that do not parse. A contact needs a first, last or display
    /// name. The error is the first of [`ContactInput::problems`].
    pub fn validate_with(&self, region: phonenumber::country::Id, phones: Unparsed) -> Result<ValidContact> {
        self.checked(region, phones).map_err(|mut problems| problems.swap_remove(0))
    }

    /// Every problem of the input, in the form's field order (a form marks
    /// each field at once); empty when it saves.
    pub fn problems(&self, region: phonenumber::country::Id) -> Vec<Error> {
        self.checked(region, Unparsed::Reject).err().unwrap_or_default()
    }

    fn checked(
        &self,
        region: phonenumber::country::Id,
        policy: Unparsed,
    ) -> std::result::Result<ValidContact, Vec<Error>> {
        let mut problems = Vec::new();
        let first_name: String = keep(&mut problems, line("first_name", &self.first_name));
        let last_name: String = keep(&mut problems, line("last_name", &self.last_name));
        let display_name: Option<String> =
            keep(&mut problems, optional_line("display_name", self.display_name.as_deref()));
        if first_name.is_empty() && last_name.is_empty() && display_name.is_none() {
            problems.push(Error::NameRequired);
        }
        let display_name =
            display_name.unwrap_or_else(|| format!("{first_name} {last_name}").trim().to_owned());
        let mut emails = Vec::new();
        for raw in self.emails.iter().filter(|e| !e.trim().is_empty()) {
            match normalize_email(raw) {
                Some(email) => push_unique(&mut emails, email),
                None => problems.push(Error::InvalidEmail(raw.trim().to_owned())),
            }
        }
        let mut phones = Vec::new();
        for raw in self.phones.iter().filter(|p| !p.trim().is_empty()) {
            let phone = match (normalize_phone(raw, region), policy) {
                (Some(phone), _) => Ok(phone),
                (None, Unparsed::KeepAsWritten) => line("phones", raw),
                (None, Unparsed::Reject) => Err(Error::InvalidPhone(raw.trim().to_owned())),
            };
            match phone {
                Ok(phone) => push_unique(&mut phones, phone),
                Err(e) => problems.push(e),
            }
        }
        let mut tags = Vec::new();
        for raw in &self.tags {
            match line("tags", raw) {
                Ok(tag) if !tag.is_empty() => push_unique(&mut tags, tag),
                Ok(_) => {}
                Err(e) => problems.push(e),
            }
        }
        let notes = self.notes.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if notes.is_some_and(|n| n.chars().count() > MAX_NOTES) {
            problems.push(Error::InvalidInput {
                field: "notes",
                reason: format!("longer than {MAX_NOTES} characters"),
            });
        }
        let valid = ValidContact {
            first_name,
            last_name,
            display_name,
            organization: keep(&mut problems, optional_line("organization", self.organization.as_deref())),
            title: keep(&mut problems, optional_line("title", self.title.as_deref())),
            emails,
            phones,
            tags,
            source: keep(&mut problems, optional_line("source", self.source.as_deref())),
            notes: notes.map(str::to_owned),
            salutation: keep(&mut problems, optional_line("salutation", self.salutation.as_deref())),
            address: keep(&mut problems, self.address.validated(region, policy)),
            website: keep(&mut problems, website(self.website.as_deref(), policy)),
        };
        if problems.is_empty() {
            Ok(valid)
        } else {
            Err(problems)
        }
    }
}

impl Contact {
    /// A new lead from validated input, its stage history starting with the
    /// entry "lead" (`by`, with an optional reason).
    pub(crate) fn new_lead(
        id: Uuid,
        valid: ValidContact,
        by: ChangedBy,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Contact {
        let mut c = Contact {
            id,
            first_name: String::new(),
            last_name: String::new(),
            display_name: String::new(),
            organization: None,
            organization_id: None,
            title: None,
            emails: vec![],
            phones: vec![],
            tags: vec![],
            source: None,
            notes: None,
            salutation: None,
            address: Default::default(),
            website: None,
            stage: Stage::Lead,
            score: 0,
            criteria: Default::default(),
            target_group_manual: false,
            proposal: None,
            last_activity_at: None,
            created_at: now,
            updated_at: now,
            stage_history: vec![StageChange { from: None, to: Stage::Lead, at: now, reason, by }],
        };
        c.apply(valid, None, now);
        c
    }

    /// Overwrites the editable fields with validated input.
    pub(crate) fn apply(&mut self, v: ValidContact, organization_id: Option<Uuid>, now: DateTime<Utc>) {
        self.first_name = v.first_name;
        self.last_name = v.last_name;
        self.display_name = v.display_name;
        self.organization = v.organization;
        self.organization_id = organization_id;
        self.title = v.title;
        self.emails = v.emails;
        self.phones = v.phones;
        self.tags = v.tags;
        self.source = v.source;
        self.notes = v.notes;
        self.salutation = v.salutation;
        self.address = v.address;
        self.website = v.website;
        self.updated_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id::DE;

    fn input(first: &str, last: &str) -> ContactInput {
        ContactInput { first_name: first.into(), last_name: last.into(), ..Default::default() }
    }

    #[test]
    fn lists_every_problem_in_field_order_and_saves_the_first_as_its_error() {
        let mut bad = input("", "");
        bad.emails = vec!["ok@example.com".into(), "kaputt".into(), "an na@example.com".into()];
        bad.phones = vec!["12".into(), "+49 (30) 123-45/6.7".into(), "030 12x45".into()];
        bad.address.city = Some("Ber\u{7}lin".into());
        let problems = bad.problems(DE);
        let found: Vec<(Option<&str>, Option<&str>)> =
            problems.iter().map(|e| (e.field(), e.entry())).collect();
        assert_eq!(
            found,
            [
                (Some("first_name"), None),
                (Some("emails"), Some("kaputt")),
                (Some("emails"), Some("an na@example.com")),
                (Some("phones"), Some("12")),
                (Some("phones"), Some("030 12x45")),
                (Some("address.city"), None),
            ]
        );
        assert!(matches!(bad.validate(DE), Err(Error::NameRequired)));
        let mut good = input("Anna", "");
        good.emails = vec!["anna@example.com".into()];
        good.phones = vec!["+49 (30) 123-45/6.7".into()];
        assert!(good.problems(DE).is_empty());
        good.emails = vec!["anna@example".into()];
        assert!(matches!(good.problems(DE).as_slice(), [Error::InvalidEmail(e)] if e == "anna@example"));
    }

    #[test]
    fn needs_a_name() {
        assert!(matches!(input(" ", "").validate(DE), Err(Error::NameRequired)));
        assert_eq!(input("", "Schmidt").validate(DE).unwrap().display_name, "Schmidt");
    }

    #[test]
    fn normalises_and_dedupes() {
        let v = ContactInput {
            emails: vec!["Anna@Example.de".into(), "anna@example.de".into(), " ".into()],
            phones: vec!["0170 1234567".into(), "+49 170 1234567".into()],
            tags: vec!["Messe".into(), "messe".into(), "".into()],
            organization: Some("  ".into()),
            ..input(" Anna ", "Schmidt")
        }
        .validate(DE)
        .unwrap();
        assert_eq!(v.display_name, "Anna Schmidt");
        assert_eq!(v.emails, ["anna@example.de"]);
        assert_eq!(v.phones, ["+491701234567"]);
        assert_eq!(v.tags, ["Messe"]);
        assert_eq!(v.organization, None);
    }

    #[test]
    fn rejects_bad_email_and_phone_with_the_value() {
        let bad = ContactInput { emails: vec!["anna(at)example.de".into()], ..input("A", "B") };
        let err = bad.validate(DE).unwrap_err();
        assert!(matches!(&err, Error::InvalidEmail(v) if v == "anna(at)example.de"));
        assert_eq!(err.field(), Some("emails"));
        let bad = ContactInput { phones: vec!["ruf an".into()], ..input("A", "B") };
        assert!(matches!(bad.validate(DE), Err(Error::InvalidPhone(_))));
    }

    #[test]
    fn rejects_overlong_and_control_characters() {
        assert!(matches!(
            input(&"x".repeat(301), "").validate(DE),
            Err(Error::InvalidInput { field: "first_name", .. })
        ));
        assert!(matches!(input("A\u{7}", "").validate(DE), Err(Error::InvalidInput { .. })));
    }
}

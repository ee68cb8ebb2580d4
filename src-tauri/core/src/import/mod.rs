//! Import: reads what other programs write — CSV from Google Contacts,
//! Outlook, HubSpot and Excel, vCard 2.1/3.0/4.0 from phones and address
//! books, Kontor's own JSON — into contact drafts, each with the line it
//! came from. Parsing never writes; the store applies the drafts
//! ([`crate::Store::import`]).
//!
//! A bad record becomes a [`RowError`] with its line and reason and never
//! stops the others. Only a file that cannot be read at all is an `Err`.

mod csv;
mod decode;
mod json;
mod mapping;
mod vcard;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use mapping::{parse_stage, Field};

use crate::contact::{Address, ContactInput};
use crate::error::{Error, ErrorCode, Result};
use crate::stage::Stage;
use crate::text::normalize_email;

/// The kind of file.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportFormat {
    /// Decide from the name and the content.
    #[default]
    Auto,
    /// Comma-, semicolon- or tab-separated values.
    Csv,
    /// vCard 2.1, 3.0 or 4.0.
    Vcard,
    /// Kontor's contact JSON (an export or a backup).
    Json,
}

/// Which program's CSV layout the columns follow.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Preset {
    /// Recognise it from the header.
    #[default]
    Auto,
    /// Google Contacts (old "Name,Given Name,…" and current "First Name,Middle Name,…").
    Google,
    /// Outlook (English or German headers).
    Outlook,
    /// HubSpot (with its lifecycle stage).
    Hubspot,
    /// Common English and German column names.
    Generic,
}

/// What the user chose for an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// File kind (auto-detected by default).
    pub format: ImportFormat,
    /// CSV layout (recognised by default).
    pub preset: Preset,
    /// The field of each CSV column by position, as edited in the preview;
    /// `None` takes the preset's mapping.
    pub mapping: Option<Vec<Field>>,
    /// Source recorded on every imported contact; `None` uses the file name.
    pub source: Option<String>,
    /// Merge records into existing contacts with the same email or phone.
    pub merge_duplicates: bool,
    /// What records that only may be an existing contact (the same email
    /// or phone under another name, a similar name at the same company)
    /// do: imported as new contacts by default.
    #[serde(default)]
    pub possible_duplicates: DuplicateChoice,
    /// The rep's choice for single records (by line), over the defaults.
    #[serde(default)]
    pub choices: Vec<RowChoice>,
}

/// What a record that is (or may be) an existing contact does.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateChoice {
    /// Added to the existing contact.
    Merge,
    /// Imported as a contact of its own.
    #[default]
    New,
    /// Left out.
    Skip,
}

/// The rep's choice for one record of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowChoice {
    /// The record's line.
    pub line: u32,
    /// What it does.
    pub choice: DuplicateChoice,
}

impl ImportOptions {
    /// What the record on `line` does when it is a contact already
    /// (`certain`) or may be one.
    pub fn choice(&self, line: u32, certain: bool) -> DuplicateChoice {
        let chosen = self.choices.iter().find(|c| c.line == line).map(|c| c.choice);
        chosen.unwrap_or(match (certain, self.merge_duplicates) {
            (true, true) => DuplicateChoice::Merge,
            (true, false) => DuplicateChoice::New,
            (false, _) => self.possible_duplicates,
        })
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: ImportFormat::Auto,
            preset: Preset::Auto,
            mapping: None,
            source: None,
            merge_duplicates: true,
            possible_duplicates: DuplicateChoice::New,
            choices: Vec::new(),
        }
    }
}

/// One CSV column and the field it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    /// Position, from 0.
    pub index: u32,
    /// The header as written.
    pub header: String,
    /// Where its values go.
    pub field: Field,
    /// Which address or slot this column belongs to (0 = business/first);
    /// of several address groups the first filled one is kept.
    pub group: u8,
    /// The first non-empty value in the column, as an example.
    pub sample: Option<String>,
}

/// A record that was not imported: where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowError {
    /// Line in the file where the record starts (1-based).
    pub line: u32,
    /// Stable code the UI translates.
    pub code: ErrorCode,
    /// Readable reason (English).
    pub reason: String,
}

impl RowError {
    pub(crate) fn new(line: u32, code: ErrorCode, reason: impl Into<String>) -> RowError {
        RowError { line, code, reason: reason.into() }
    }

    pub(crate) fn from_error(line: u32, e: &Error) -> RowError {
        RowError::new(line, e.code(), e.to_string())
    }
}

/// What was changed on a record that is imported anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WarningCode {
    /// An invalid email address was kept in the notes instead.
    InvalidEmailKept,
    /// An unknown lifecycle stage was read as lead.
    UnknownStage,
    /// A value too long for its field was kept in the notes (value: the column).
    TooLongKept,
}

/// A note about a record that was imported with a change (an invalid email
/// kept in the notes, an unknown stage read as lead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowWarning {
    /// Line in the file where the record starts.
    pub line: u32,
    /// Stable code the UI translates.
    pub code: WarningCode,
    /// The value concerned, as written in the file.
    pub value: String,
    /// Readable text (English).
    pub reason: String,
}

impl RowWarning {
    fn new(line: u32, code: WarningCode, value: &str) -> RowWarning {
        // The reason is printed as it is: the file's text escaped and cut.
        let shown = crate::text::echo(value, 80);
        let value_raw = value;
        let value = shown.as_str();
        let reason = match code {
            WarningCode::InvalidEmailKept => format!("invalid email '{value}' kept in the notes"),
            WarningCode::UnknownStage => format!("unknown stage '{value}' read as lead"),
            WarningCode::TooLongKept => {
                format!("the value of '{value}' is too long for it and was kept in the notes")
            }
        };
        RowWarning { line, code, value: value_raw.to_owned(), reason }
    }
}

/// A record read from a file, ready to be validated and stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Draft {
    /// Line where the record starts.
    pub line: u32,
    /// The contact as it will be stored (before validation), packed (see
    /// [`Draft::input`]): every record of a file is read before the first
    /// is stored, and packed they take a third of the memory (300,000
    /// rows: ~80 MB instead of ~250 MB). Boxed, so they are freed one by
    /// one as an import stores them.
    input: Box<[u8]>,
    /// Stage the file gives (HubSpot's lifecycle stage, Kontor JSON).
    pub stage: Option<Stage>,
    /// A vCard with `KIND:org`: an organisation, not a person.
    pub organization_only: bool,
    /// Changes made while reading.
    pub warnings: Vec<RowWarning>,
}

impl Draft {
    /// The contact as it will be stored (before validation).
    pub fn input(&self) -> ContactInput {
        postcard::from_bytes(&self.input).expect("a draft reads back as it was packed")
    }

    fn pack(input: &ContactInput) -> Box<[u8]> {
        postcard::to_allocvec(input).expect("a contact input packs").into_boxed_slice()
    }
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("line", &self.line)
            .field("input", &self.input())
            .field("stage", &self.stage)
            .field("organization_only", &self.organization_only)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// A whole file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// What the file turned out to be.
    pub format: ImportFormat,
    /// The CSV layout used.
    pub preset: Option<Preset>,
    /// The encoding found.
    pub encoding: String,
    /// The CSV delimiter found.
    pub delimiter: Option<char>,
    /// CSV columns and their fields.
    pub columns: Vec<ColumnMapping>,
    /// Every record in file order: a draft or why it was rejected.
    pub records: Vec<std::result::Result<Draft, RowError>>,
    /// Empty records passed over.
    pub empty: u32,
}

impl Parsed {
    /// A file without columns (vCard, JSON): its records and empty ones.
    fn without_columns(
        format: ImportFormat,
        records: Vec<std::result::Result<Draft, RowError>>,
        empty: u32,
    ) -> Parsed {
        Parsed {
            format,
            preset: None,
            encoding: String::new(),
            delimiter: None,
            columns: vec![],
            records,
            empty,
        }
    }
}

/// How an import went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// New contacts (and organisations from `KIND:org` cards).
    pub imported: u32,
    /// Records merged into an existing contact.
    pub merged: u32,
    /// Records passed over: empty, or already present with nothing new.
    pub skipped: u32,
    /// Every rejected record with its line and reason.
    pub errors: Vec<RowError>,
    /// Records imported with a change worth knowing.
    pub warnings: Vec<RowWarning>,
    /// True when the user cancelled; records before that point are stored.
    pub cancelled: bool,
    /// New contacts with a similar name at the same organisation as another
    /// one: candidates for the duplicates view.
    pub possible_duplicates: u32,
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Records handled.
    pub done: u32,
    /// Records in the file.
    pub total: u32,
}

/// An existing contact a record matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExistingMatch {
    /// The existing contact.
    pub id: Uuid,
    /// Its name.
    pub display_name: String,
    /// Why it matches ("same email anna@example.de").
    pub reason: String,
}

/// One record of the preview, as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    /// Line in the file.
    pub line: u32,
    /// The contact as it will be stored; `None` when rejected.
    pub contact: Option<ContactInput>,
    /// The stage it will get.
    pub stage: Stage,
    /// An organisation card (`KIND:org`).
    pub organization_only: bool,
    /// Why it will be rejected.
    pub error: Option<RowError>,
    /// What will be changed on the way in.
    pub warnings: Vec<RowWarning>,
    /// The existing contact it will be merged into.
    pub duplicate_of: Option<ExistingMatch>,
    /// An existing contact with a similar name at the same organisation: a
    /// possible duplicate (not merged; see the duplicates view).
    pub similar_to: Option<ExistingMatch>,
    /// For a record that is or may be an existing contact: what it does
    /// (merge, new, skip).
    #[serde(default)]
    pub choice: Option<DuplicateChoice>,
    /// Whether it certainly is the existing contact (same email or phone and
    /// a fitting name), not only may be.
    #[serde(default)]
    pub certain: bool,
}

/// What an import would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The file's name.
    pub file_name: String,
    /// File kind found.
    pub format: ImportFormat,
    /// CSV layout found or chosen.
    pub preset: Option<Preset>,
    /// Encoding found.
    pub encoding: String,
    /// CSV delimiter found (`,` `;` or a tab).
    pub delimiter: Option<String>,
    /// CSV columns, editable.
    pub columns: Vec<ColumnMapping>,
    /// The first records.
    pub rows: Vec<PreviewRow>,
    /// Records in the file (empty ones not counted).
    pub total: u32,
    /// Records that will be rejected.
    pub rejected: u32,
    /// Records that match an existing contact (or an earlier record).
    pub duplicates: u32,
    /// New records with a similar name at the same organisation as a contact.
    pub similar: u32,
    /// The source every contact will get.
    pub source: String,
}

/// Reads a file's bytes. `file_name` helps to tell the format.
pub fn parse(bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<Parsed> {
    let (mut text, encoding) = decode::decode(bytes);
    // Old Mac Excel ends lines with a bare CR.
    if text.contains('\r') && !text.contains('\n') {
        text = text.replace('\r', "\n");
    }
    let format = match options.format {
        ImportFormat::Auto => detect_format(&text, file_name)?,
        chosen => chosen,
    };
    let mut parsed = match format {
        ImportFormat::Csv => csv::parse(&text, options)?,
        ImportFormat::Vcard => vcard::parse(&text)?,
        ImportFormat::Json | ImportFormat::Auto => json::parse(&text)?,
    };
    parsed.format = format;
    parsed.encoding = encoding.to_owned();
    // The text goes now; the records are kept through the import, in a
    // list that doubled as it grew (up to half of it unused).
    drop(text);
    parsed.records.shrink_to_fit();
    Ok(parsed)
}

fn detect_format(text: &str, file_name: &str) -> Result<ImportFormat> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.get(..11).is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCARD")) {
        return Ok(ImportFormat::Vcard);
    }
    if head.starts_with('[') || head.starts_with('{') {
        return Ok(ImportFormat::Json);
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "vcf" | "vcard" => Ok(ImportFormat::Vcard),
        "json" => Ok(ImportFormat::Json),
        _ if head.is_empty() => Err(Error::Import("the file is empty".into())),
        "csv" | "txt" | "tsv" | "tab" => Ok(ImportFormat::Csv),
        _ if head.lines().next().is_some_and(|l| l.contains([',', ';', '\t'])) => Ok(ImportFormat::Csv),
        _ => Err(Error::Import(format!("'{file_name}' is neither CSV, vCard nor Kontor JSON"))),
    }
}

/// Collects one record's values field by field and turns them into a draft.
#[derive(Debug, Default)]
pub(crate) struct DraftBuilder {
    input: ContactInput,
    middle: Vec<String>,
    note_lines: Vec<String>,
    addresses: BTreeMap<u8, Address>,
    stage: Option<String>,
    organization_only: bool,
    warnings: Vec<(WarningCode, String)>,
    any: bool,
}

/// Single-line text: line breaks and tabs become ", " / " ".
fn one_line(value: &str) -> String {
    let parts: Vec<&str> = value.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    parts.join(", ").replace('\t', " ").chars().filter(|c| !c.is_control()).collect()
}

/// Fills an empty field; a second, different value goes to the notes as
/// "column: value" instead of being dropped.
fn set_once(slot: &mut Option<String>, value: String, notes: &mut Vec<String>, label: &str) {
    match slot {
        None => *slot = Some(value),
        Some(kept) if kept.eq_ignore_ascii_case(&value) => {}
        Some(_) => notes.push(format!("{label}: {value}")),
    }
}

impl DraftBuilder {
    /// Adds one value. `label` names the column (for note lines).
    pub(crate) fn push(&mut self, field: Field, label: &str, group: u8, value: &str) {
        let value = value.trim();
        // Outlook writes "0/0/00" (German: "0.0.00") for an empty date.
        let empty_date = matches!(value, "0/0/00" | "0.0.00" | "00.00.0000" | "0/0/0000");
        if value.is_empty() || field == Field::Ignore || empty_date {
            return;
        }
        self.any = true;
        let line = || one_line(value);
        // A single-line field longer than a contact allows (a tracking URL, a
        // pasted text) is kept in the notes rather than losing the record.
        let single_line =
            !matches!(field, Field::Notes | Field::NoteLine | Field::Tags | Field::Email | Field::Phone);
        if single_line && line().chars().count() > crate::contact::MAX_LINE {
            self.warnings.push((WarningCode::TooLongKept, label.to_owned()));
            self.note_lines.push(format!("{label}: {value}"));
            return;
        }
        let i = &mut self.input;
        match field {
            Field::Ignore => {}
            // "Herr" and "Dr." from Anrede and Titel columns make "Herr Dr.".
            Field::Salutation => match &mut i.salutation {
                Some(kept) if !kept.split(' ').any(|w| w == line()) => *kept = format!("{kept} {}", line()),
                Some(_) => {}
                None => i.salutation = Some(line()),
            },
            Field::FirstName if i.first_name.is_empty() => i.first_name = line(),
            Field::FirstName | Field::MiddleName => self.middle.push(line()),
            Field::LastName if i.last_name.is_empty() => i.last_name = line(),
            Field::LastName => self.note_lines.push(format!("{label}: {}", line())),
            Field::DisplayName => set_once(&mut i.display_name, line(), &mut self.note_lines, label),
            Field::Organization => set_once(&mut i.organization, line(), &mut self.note_lines, label),
            Field::Title => set_once(&mut i.title, line(), &mut self.note_lines, label),
            Field::Email => {
                for raw in split_multi(value) {
                    match normalize_email(raw) {
                        Some(email) => i.emails.push(email),
                        None => {
                            self.warnings.push((WarningCode::InvalidEmailKept, raw.to_owned()));
                            self.note_lines.push(format!("{label}: {raw}"));
                        }
                    }
                }
            }
            Field::Phone => i.phones.extend(split_multi(value).map(one_line)),
            Field::Street | Field::Postcode | Field::City | Field::Region | Field::Country => {
                let a = self.addresses.entry(group).or_default();
                let part = match field {
                    Field::Street => &mut a.street,
                    Field::Postcode => &mut a.postcode,
                    Field::City => &mut a.city,
                    Field::Region => &mut a.region,
                    _ => &mut a.country,
                };
                match part {
                    Some(existing) => *existing = format!("{existing}, {}", line()),
                    None => *part = Some(line()),
                }
            }
            Field::Website => set_once(&mut i.website, line(), &mut self.note_lines, label),
            Field::Tags => {
                for tag in split_multi(value).flat_map(|v| v.split([',', ';'])) {
                    let tag = tag.trim();
                    // Google's system groups ("* myContacts", "* Starred") are no tags of the rep's.
                    if !tag.is_empty() && !tag.starts_with("* ") && !matches!(tag, "myContacts" | "starred") {
                        i.tags.push(one_line(tag));
                    }
                }
            }
            Field::Notes => self.note_lines.insert(0, value.to_owned()),
            Field::NoteLine => self.note_lines.push(format!("{label}: {}", line())),
            Field::Source => set_once(&mut i.source, line(), &mut self.note_lines, label),
            Field::Stage => set_once(&mut self.stage, line(), &mut self.note_lines, label),
        }
    }

    /// Marks the record as an organisation (vCard `KIND:org`).
    pub(crate) fn organization_only(&mut self) {
        self.organization_only = true;
    }

    /// The draft, `None` for an empty record, or why it cannot be stored.
    pub(crate) fn finish(mut self, line: u32) -> Option<std::result::Result<Draft, RowError>> {
        if !self.any {
            return None;
        }
        let i = &mut self.input;
        if !self.middle.is_empty() {
            let mut first = vec![std::mem::take(&mut i.first_name)];
            first.append(&mut self.middle);
            i.first_name = first.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
        }
        // The first filled address is the contact's; further ones are kept in the notes.
        let mut addresses = self.addresses.into_values().filter(|a| !a.is_empty());
        i.address = addresses.next().unwrap_or_default();
        for a in addresses {
            let city = [a.postcode.as_deref(), a.city.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let parts: Vec<&str> =
                [a.street.as_deref(), Some(city.as_str()), a.region.as_deref(), a.country.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|p| !p.is_empty())
                    .collect();
            self.note_lines.push(format!("Adresse: {}", parts.join(", ")));
        }
        if !self.note_lines.is_empty() {
            i.notes = Some(self.note_lines.join("\n"));
        }
        if self.organization_only {
            if i.organization.is_none() {
                i.organization = i.display_name.clone();
            }
            if i.organization.is_none() {
                return Some(Err(RowError::new(
                    line,
                    ErrorCode::NameRequired,
                    "an organisation card without a name",
                )));
            }
        } else if i.first_name.is_empty() && i.last_name.is_empty() && i.display_name.is_none() {
            // A company entry or a bare address: named after what it has.
            i.display_name = i.organization.clone().or_else(|| i.emails.first().cloned());
            if i.display_name.is_none() {
                return Some(Err(RowError::new(
                    line,
                    ErrorCode::NameRequired,
                    "no name, organisation or email address",
                )));
            }
        }
        let stage = match self.stage.as_deref() {
            None => None,
            Some(raw) => match parse_stage(raw) {
                Some(stage) => Some(stage),
                None => {
                    self.warnings.push((WarningCode::UnknownStage, raw.to_owned()));
                    None
                }
            },
        };
        Some(Ok(Draft {
            line,
            input: Draft::pack(&self.input),
            stage,
            organization_only: self.organization_only,
            warnings: self.warnings.iter().map(|(code, value)| RowWarning::new(line, *code, value)).collect(),
        }))
    }
}

/// Google's ` ::: ` multi-values (and line-separated lists).
fn split_multi(value: &str) -> impl Iterator<Item = &str> {
    value.split(" ::: ").flat_map(str::lines).map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_joins_middle_names_and_keeps_bad_emails_in_the_notes() {
        let mut b = DraftBuilder::default();
        b.push(Field::FirstName, "First Name", 0, "Anna");
        b.push(Field::MiddleName, "Middle Name", 0, "Maria");
        b.push(Field::LastName, "Last Name", 0, "Schmidt");
        b.push(Field::Email, "E-mail", 0, "Anna@Example.de ::: kaputt@");
        b.push(Field::Street, "Home Street", 1, "Privatweg 1");
        b.push(Field::Street, "Business Street", 0, "Hauptstr. 5\nHinterhaus");
        b.push(Field::Tags, "Labels", 0, "* myContacts ::: Messe");
        let d = b.finish(7).unwrap().unwrap();
        assert_eq!(d.input().first_name, "Anna Maria");
        assert_eq!(d.input().emails, ["anna@example.de"]);
        assert_eq!(
            d.input().notes.as_deref(),
            Some("E-mail: kaputt@\nAdresse: Privatweg 1"),
            "the second address is kept"
        );
        assert_eq!(d.input().address.street.as_deref(), Some("Hauptstr. 5, Hinterhaus"));
        assert_eq!(d.input().tags, ["Messe"]);
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn a_nameless_company_row_is_named_after_the_company_and_an_empty_one_is_skipped() {
        let mut b = DraftBuilder::default();
        b.push(Field::Organization, "Company", 0, "ACME GmbH");
        assert_eq!(b.finish(2).unwrap().unwrap().input().display_name.as_deref(), Some("ACME GmbH"));
        let mut b = DraftBuilder::default();
        b.push(Field::FirstName, "First", 0, "  ");
        assert!(b.finish(3).is_none());
        let mut b = DraftBuilder::default();
        b.push(Field::Phone, "Phone", 0, "0170 1");
        assert_eq!(b.finish(4).unwrap().unwrap_err().code, ErrorCode::NameRequired);
    }
}

//! Kontor's contact JSON: an array of contacts (`kontor export --format
//! json`), `{ "contacts": [...] }`, or a backup's `data.contacts`. Each
//! record is read on its own, so one bad object is one error with its line.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{DraftBuilder, Field, ImportFormat, Parsed, RowError};
use crate::contact::Address;
use crate::error::{Error, ErrorCode, Result};

/// The keys read from each object (SPEC §12, plus address and salutation).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JsonContact {
    first_name: String,
    last_name: String,
    display_name: Option<String>,
    organization: Option<String>,
    title: Option<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    tags: Vec<String>,
    source: Option<String>,
    notes: Option<String>,
    stage: Option<String>,
    salutation: Option<String>,
    address: Option<Address>,
    website: Option<String>,
}

#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    contacts: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    data: Option<Data<'a>>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(borrow)]
    contacts: Vec<&'a RawValue>,
}

/// Line numbers from the records' positions in the text, counted on from
/// the previous record (records come in text order), so a large file is
/// read once, not once per record.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl Lines<'_> {
    fn of(&mut self, raw: &RawValue) -> u32 {
        let at =
            (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize).min(self.text.len());
        if at >= self.offset {
            self.line += self.text.as_bytes()[self.offset..at].iter().filter(|&&b| b == b'\n').count() as u32;
            self.offset = at;
        }
        self.line
    }
}

pub(super) fn parse(text: &str) -> Result<Parsed> {
    let bad = |e: serde_json::Error| {
        Error::Import(format!("not valid JSON (line {}, column {})", e.line(), e.column()))
    };
    let items: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(bad)?
    } else {
        let wrapped: Wrapped = serde_json::from_str(text).map_err(bad)?;
        wrapped
            .contacts
            .or(wrapped.data.map(|d| d.contacts))
            .ok_or_else(|| Error::Import("the JSON holds no \"contacts\" list".into()))?
    };
    let mut records = Vec::new();
    let mut empty = 0;
    let mut lines = Lines { text, offset: 0, line: 1 };
    for raw in items {
        let line = lines.of(raw);
        let c: JsonContact = match serde_json::from_str(raw.get()) {
            Ok(c) => c,
            Err(e) => {
                records.push(Err(RowError::new(
                    line,
                    ErrorCode::InvalidInput,
                    format!("not a contact: {e}"),
                )));
                continue;
            }
        };
        let mut b = DraftBuilder::default();
        b.push(Field::FirstName, "first_name", 0, &c.first_name);
        b.push(Field::LastName, "last_name", 0, &c.last_name);
        let text_fields = [
            (Field::DisplayName, &c.display_name),
            (Field::Organization, &c.organization),
            (Field::Title, &c.title),
            (Field::Source, &c.source),
            (Field::Notes, &c.notes),
            (Field::Stage, &c.stage),
            (Field::Salutation, &c.salutation),
            (Field::Website, &c.website),
        ];
        for (field, value) in text_fields {
            b.push(field, "", 0, value.as_deref().unwrap_or(""));
        }
        for email in &c.emails {
            b.push(Field::Email, "emails", 0, email);
        }
        for phone in &c.phones {
            b.push(Field::Phone, "phones", 0, phone);
        }
        b.push(Field::Tags, "tags", 0, &c.tags.join(","));
        if let Some(a) = &c.address {
            for (field, part) in [
                (Field::Street, &a.street),
                (Field::Postcode, &a.postcode),
                (Field::City, &a.city),
                (Field::Region, &a.region),
                (Field::Country, &a.country),
            ] {
                b.push(field, "address", 0, part.as_deref().unwrap_or(""));
            }
        }
        match b.finish(line) {
            Some(record) => records.push(record),
            None => empty += 1,
        }
    }
    Ok(Parsed::without_columns(ImportFormat::Json, records, empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_object_keeps_its_line() {
        let text =
            "[\n  {\"first_name\": \"Anna\", \"stage\": \"customer\"},\n  {\"first_name\": 5},\n  {}\n]";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.records[0].as_ref().unwrap().line, 2);
        assert_eq!(parsed.records[1].as_ref().unwrap_err().line, 3);
        assert_eq!(parsed.empty, 1);
    }
}

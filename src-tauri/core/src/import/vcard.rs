//! vCard 2.1, 3.0 and 4.0 through the `calcard` parser (folded lines,
//! quoted-printable with charsets, escapes, grouped properties, `tel:`
//! URIs). The file is cut into cards first so that every card keeps the
//! line it starts on and a broken card cannot take its neighbours along.

use calcard::vcard::{
    VCard, VCardKind, VCardParameterName, VCardParameterValue, VCardProperty, VCardType, VCardValue,
};

use super::{DraftBuilder, Field, ImportFormat, Parsed, RowError};
use crate::error::{Error, ErrorCode, Result};

/// (first line, text) of each `BEGIN:VCARD … END:VCARD` block.
fn cards(text: &str) -> Vec<(u32, std::result::Result<String, String>)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let n = n as u32 + 1;
        let trimmed = line.trim();
        if trimmed.eq_ignore_ascii_case("BEGIN:VCARD") {
            if let Some((start, _)) = current.take() {
                out.push((start, Err("the card has no END:VCARD".to_owned())));
            }
            current = Some((n, String::new()));
        }
        if let Some((_, card)) = &mut current {
            card.push_str(line);
            card.push_str("\r\n");
        }
        if trimmed.eq_ignore_ascii_case("END:VCARD") {
            if let Some((start, card)) = current.take() {
                out.push((start, Ok(card)));
            }
        }
    }
    if let Some((start, _)) = current {
        out.push((start, Err("the card has no END:VCARD".to_owned())));
    }
    out
}

fn text_values(values: &[VCardValue]) -> Vec<String> {
    values
        .iter()
        .map(|v| match v {
            VCardValue::Text(t) => t.clone(),
            VCardValue::Integer(i) => i.to_string(),
            VCardValue::Float(f) => f.to_string(),
            VCardValue::PartialDateTime(d) => {
                let mut s = String::new();
                if let (Some(y), Some(m), Some(day)) = (d.year, d.month, d.day) {
                    s = format!("{y:04}-{m:02}-{day:02}");
                } else if let (Some(m), Some(day)) = (d.month, d.day) {
                    s = format!("--{m:02}-{day:02}");
                }
                s
            }
            VCardValue::Component(parts) => parts.join(","),
            _ => String::new(),
        })
        .collect()
}

fn is_work(params: &[calcard::vcard::VCardParameter]) -> bool {
    params.iter().any(|p| {
        p.name == VCardParameterName::Type && matches!(&p.value, VCardParameterValue::Type(VCardType::Work))
    })
}

/// One card to a draft.
fn card_to_draft(card: &VCard, line: u32) -> Option<std::result::Result<super::Draft, RowError>> {
    let mut b = DraftBuilder::default();
    let mut work_address_seen = false;
    let mut next_group = 1u8;
    for entry in &card.entries {
        let values = text_values(&entry.values);
        let first = values.first().map(String::as_str).unwrap_or("");
        match &entry.name {
            VCardProperty::Fn => b.push(Field::DisplayName, "FN", 0, first),
            VCardProperty::N => {
                let part = |i: usize| values.get(i).map(String::as_str).unwrap_or("");
                b.push(Field::LastName, "N", 0, part(0));
                b.push(Field::FirstName, "N", 0, part(1));
                b.push(Field::MiddleName, "N", 0, part(2));
                b.push(Field::Salutation, "N", 0, part(3));
                b.push(Field::NoteLine, "Suffix", 0, part(4));
            }
            VCardProperty::Org => {
                b.push(Field::Organization, "ORG", 0, first);
                for unit in values.iter().skip(1) {
                    b.push(Field::NoteLine, "Abteilung", 0, unit);
                }
            }
            VCardProperty::Title => b.push(Field::Title, "TITLE", 0, first),
            VCardProperty::Role => b.push(Field::NoteLine, "Rolle", 0, first),
            VCardProperty::Email => b.push(Field::Email, "EMAIL", 0, first),
            VCardProperty::Tel => {
                // "tel:+49-30-123;ext=5" → "+49-30-123"
                let number = first.strip_prefix("tel:").unwrap_or(first);
                b.push(Field::Phone, "TEL", 0, number.split(';').next().unwrap_or(number));
            }
            VCardProperty::Adr => {
                // Work addresses first; of the rest the first one.
                // The first work address comes first; every other one is its own.
                let group = if is_work(&entry.params) && !work_address_seen {
                    work_address_seen = true;
                    0
                } else {
                    next_group = next_group.saturating_add(1);
                    next_group
                };
                let part = |i: usize| values.get(i).map(String::as_str).unwrap_or("");
                let street = [part(1), part(2)]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                b.push(Field::Street, "ADR", group, &street);
                b.push(Field::City, "ADR", group, part(3));
                b.push(Field::Region, "ADR", group, part(4));
                b.push(Field::Postcode, "ADR", group, part(5));
                b.push(Field::Country, "ADR", group, part(6));
            }
            VCardProperty::Url => b.push(Field::Website, "URL", 0, first),
            VCardProperty::Note => b.push(Field::Notes, "NOTE", 0, first),
            VCardProperty::Categories => b.push(Field::Tags, "CATEGORIES", 0, &values.join(",")),
            VCardProperty::Bday => b.push(Field::NoteLine, "Geburtstag", 0, first),
            VCardProperty::Anniversary => b.push(Field::NoteLine, "Jahrestag", 0, first),
            VCardProperty::Nickname => b.push(Field::NoteLine, "Spitzname", 0, &values.join(", ")),
            VCardProperty::Impp => b.push(Field::NoteLine, "Chat", 0, first),
            VCardProperty::Related => b.push(Field::NoteLine, "Beziehung", 0, first),
            VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-SOCIALPROFILE") => {
                b.push(Field::NoteLine, "Profil", 0, first);
            }
            VCardProperty::Kind => {
                let org = entry.values.iter().any(|v| match v {
                    VCardValue::Kind(k) => matches!(k, VCardKind::Org),
                    VCardValue::Text(t) => t.eq_ignore_ascii_case("org"),
                    _ => false,
                });
                if org {
                    b.organization_only();
                }
            }
            VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-KONTOR-STAGE") => {
                b.push(Field::Stage, "", 0, first);
            }
            VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-KONTOR-SOURCE") => {
                b.push(Field::Source, "", 0, first);
            }
            VCardProperty::Other(name)
                if name.eq_ignore_ascii_case("X-ABShowAs") && first.eq_ignore_ascii_case("COMPANY") =>
            {
                b.organization_only();
            }
            _ => {}
        }
    }
    b.finish(line)
}

pub(super) fn parse(text: &str) -> Result<Parsed> {
    let blocks = cards(text);
    if blocks.is_empty() {
        return Err(Error::Import("the file holds no vCard (no BEGIN:VCARD line)".into()));
    }
    let mut records = Vec::new();
    let mut empty = 0;
    for (line, block) in blocks {
        let card = match block {
            Ok(card) => card,
            Err(reason) => {
                records.push(Err(RowError::new(line, ErrorCode::InvalidInput, reason)));
                continue;
            }
        };
        match VCard::parse(&card) {
            Ok(card) => match card_to_draft(&card, line) {
                Some(record) => records.push(record),
                None => empty += 1,
            },
            Err(_) => {
                records.push(Err(RowError::new(line, ErrorCode::InvalidInput, "the card cannot be read")))
            }
        }
    }
    Ok(Parsed::without_columns(ImportFormat::Vcard, records, empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_keep_their_first_line_and_an_unterminated_one_is_reported() {
        let text =
            "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n\nBEGIN:VCARD\nFN:B\nBEGIN:VCARD\nFN:C\nEND:VCARD\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.records.len(), 3);
        assert_eq!(parsed.records[0].as_ref().unwrap().line, 1);
        assert_eq!(parsed.records[1].as_ref().unwrap_err().line, 6);
        assert_eq!(parsed.records[2].as_ref().unwrap().input().display_name.as_deref(), Some("C"));
    }
}

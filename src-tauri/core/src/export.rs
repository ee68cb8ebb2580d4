//! Exports: contacts as CSV (Excel-ready) and vCard 4.0, everything held
//! about one person (GDPR Art. 15/20), and what a saved or picked file is
//! reported as.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::Activity;
use crate::contact::{Contact, Organization};
use crate::score::Score;
use crate::task::Task;

/// Export file kinds.
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    /// CSV (UTF-8 with BOM, comma-separated), one row per contact.
    Csv,
    /// vCard 4.0, all contacts in one file.
    Vcard,
    /// Kontor's contact JSON (an array).
    Json,
}

impl ExportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Vcard => "vcf",
            ExportFormat::Json => "json",
        }
    }

    /// The file type as a save dialog's filter names it.
    pub fn kind_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Vcard => "vCard",
            ExportFormat::Json => "JSON",
        }
    }
}

/// A file the user saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedFile {
    /// Its name (without the directory).
    pub name: String,
    /// Records written.
    pub count: u32,
}

/// A file the user picked to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChosenFile {
    /// Its name (without the directory).
    pub name: String,
}

/// Everything Kontor holds about one person (GDPR Art. 15/20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonExport {
    /// When this was exported.
    pub exported_at: DateTime<Utc>,
    /// The contact with its stage history and criteria.
    pub contact: Contact,
    /// The organisation it belongs to.
    pub organization: Option<Organization>,
    /// The score and how it comes about.
    pub score: Score,
    /// Every activity, newest first.
    pub activities: Vec<Activity>,
    /// Every task.
    pub tasks: Vec<Task>,
    /// Every deal.
    #[ts(type = "Array<unknown>")]
    pub deals: Vec<serde_json::Value>,
    /// Every appointment with them.
    #[serde(default)]
    pub appointments: Vec<crate::appointment::Appointment>,
}

/// The columns of a CSV export (also understood by the importer).
pub const CSV_HEADER: [&str; 19] = [
    "id",
    "Anrede",
    "Vorname",
    "Nachname",
    "Anzeigename",
    "Firma",
    "Position",
    "E-Mail",
    "Telefon",
    "Straße",
    "PLZ",
    "Ort",
    "Region",
    "Land",
    "Website",
    "Tags",
    "Quelle",
    "Phase",
    "Notizen",
];

/// Contacts as CSV: UTF-8 with BOM (so Excel reads umlauts), comma-separated,
/// CRLF line ends, several emails/phones joined with " ::: ".
pub fn contacts_csv(contacts: &[Contact]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_HEADER.join(","));
    out.push_str("\r\n");
    for c in contacts {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let a = &c.address;
        let cells = [
            c.id.to_string(),
            opt(&c.salutation),
            c.first_name.clone(),
            c.last_name.clone(),
            c.display_name.clone(),
            opt(&c.organization),
            opt(&c.title),
            c.emails.join(" ::: "),
            c.phones.join(" ::: "),
            opt(&a.street),
            opt(&a.postcode),
            opt(&a.city),
            opt(&a.region),
            opt(&a.country),
            opt(&c.website),
            c.tags.join(", "),
            opt(&c.source),
            c.stage.key().to_owned(),
            opt(&c.notes),
        ];
        out.push_str(&cells.iter().map(|v| crate::csv_cell::cell(v, ',')).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Escapes a vCard text value (RFC 6350 §3.4).
fn vtext(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a character.
fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Contacts as one vCard 4.0 file.
pub fn contacts_vcard(contacts: &[Contact]) -> String {
    let mut out = String::new();
    for c in contacts {
        let mut lines = vec!["BEGIN:VCARD".to_owned(), "VERSION:4.0".to_owned()];
        lines.push(format!("UID:urn:uuid:{}", c.id));
        lines.push(format!("FN:{}", vtext(&c.display_name)));
        lines.push(format!(
            "N:{};{};;{};",
            vtext(&c.last_name),
            vtext(&c.first_name),
            vtext(c.salutation.as_deref().unwrap_or(""))
        ));
        if let Some(org) = &c.organization {
            lines.push(format!("ORG:{}", vtext(org)));
        }
        if let Some(title) = &c.title {
            lines.push(format!("TITLE:{}", vtext(title)));
        }
        for email in &c.emails {
            lines.push(format!("EMAIL:{}", vtext(email)));
        }
        for phone in &c.phones {
            if phone.starts_with('+') && phone[1..].chars().all(|ch| ch.is_ascii_digit()) {
                lines.push(format!("TEL;VALUE=uri:tel:{phone}"));
            } else {
                lines.push(format!("TEL;VALUE=text:{}", vtext(phone)));
            }
        }
        let a = &c.address;
        if !a.is_empty() {
            let p = |o: &Option<String>| vtext(o.as_deref().unwrap_or(""));
            lines.push(format!(
                "ADR;TYPE=work:;;{};{};{};{};{}",
                p(&a.street),
                p(&a.city),
                p(&a.region),
                p(&a.postcode),
                p(&a.country)
            ));
        }
        if let Some(url) = &c.website {
            lines.push(format!("URL:{}", vtext(url)));
        }
        if !c.tags.is_empty() {
            lines.push(format!(
                "CATEGORIES:{}",
                c.tags.iter().map(|t| vtext(t)).collect::<Vec<_>>().join(",")
            ));
        }
        if let Some(notes) = &c.notes {
            lines.push(format!("NOTE:{}", vtext(notes)));
        }
        if let Some(source) = &c.source {
            lines.push(format!("X-KONTOR-SOURCE:{}", vtext(source)));
        }
        lines.push(format!("X-KONTOR-STAGE:{}", c.stage.key()));
        lines.push(format!("REV:{}", c.updated_at.format("%Y%m%dT%H%M%SZ")));
        lines.push("END:VCARD".to_owned());
        for line in lines {
            fold_line(&line, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let mut out = String::new();
        fold_line(&format!("NOTE:{}", "ü".repeat(60)), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("NOTE:{}", "ü".repeat(60)));
    }
}

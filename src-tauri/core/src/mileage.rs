//! The mileage log (Fahrtenbuch): trips with date, start and destination,
//! odometer readings, purpose and the business partners visited, business
//! or private. A German tax office accepts an electronic log only when
//! later changes are visible, so entries are never changed or removed: a
//! correction is a new entry that names the one it corrects, and the
//! export shows both.
//!
//! Pure: the store keeps the entries (`store/mileage.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};

/// The longest trip one entry may hold (a plausibility bound).
const MAX_TRIP_KM: u32 = 5_000;

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Trip {
    /// uuid v7.
    pub id: Uuid,
    /// Its number in the log: 1, 2, 3 … in the order written.
    pub number: u32,
    /// The day driven.
    pub date: NaiveDate,
    /// Where the trip started.
    pub start_address: String,
    /// Where it went (Reiseziel); several stops joined by " – ".
    pub destination: String,
    /// Why (Reisezweck).
    pub purpose: String,
    /// The business partners visited (aufgesuchte Geschäftspartner).
    pub partners: Vec<String>,
    /// Odometer at the start (km).
    pub odometer_start: u32,
    /// Odometer at the end (km).
    pub odometer_end: u32,
    /// A private trip.
    pub private: bool,
    /// The entry this one corrects (its number).
    pub corrects: Option<u32>,
    /// When it was written: the log's own clock, shown in the export.
    pub recorded_at: DateTime<Utc>,
}

impl Trip {
    /// Kilometres driven.
    pub fn km(&self) -> u32 {
        self.odometer_end.saturating_sub(self.odometer_start)
    }
}

/// What a rep enters for a trip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TripInput {
    /// YYYY-MM-DD.
    pub date: String,
    /// Start address.
    pub start_address: String,
    /// Destination(s).
    pub destination: String,
    /// Purpose.
    pub purpose: String,
    /// Business partners visited.
    pub partners: Vec<String>,
    /// Odometer at the start; none: where the last trip ended.
    pub odometer_start: Option<u32>,
    /// Odometer at the end; none: start plus `km`.
    pub odometer_end: Option<u32>,
    /// Kilometres driven, when the end reading is not given.
    pub km: Option<u32>,
    /// A private trip.
    pub private: bool,
    /// The entry this one corrects (its number).
    pub corrects: Option<u32>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidInput { field, reason: reason.into() }
}

impl TripInput {
    /// Validates the input into entry `number`, carrying the odometer on
    /// from `last_end` (the last entry's end reading) when no start is given.
    pub(crate) fn into_trip(
        self,
        id: Uuid,
        number: u32,
        last_end: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Trip> {
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| invalid("date", format!("{:?} is not YYYY-MM-DD", self.date)))?;
        let text = |field: &'static str, v: &str, required: bool| -> Result<String> {
            let v = v.trim();
            if required && v.is_empty() {
                return Err(invalid(field, "is required in a mileage log"));
            }
            if v.chars().count() > 500 || v.chars().any(char::is_control) {
                return Err(invalid(field, "longer than 500 characters or with control characters"));
            }
            Ok(v.to_owned())
        };
        let start_address = text("start_address", &self.start_address, true)?;
        let destination = text("destination", &self.destination, true)?;
        // A private trip needs no purpose; a business trip does.
        let purpose = text("purpose", &self.purpose, !self.private)?;
        let partners: Vec<String> =
            self.partners.iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
        let odometer_start = match (self.odometer_start, last_end) {
            (Some(s), _) => s,
            (None, Some(last)) => last,
            (None, None) => {
                return Err(invalid(
                    "odometer_start",
                    "the first trip needs the odometer reading at its start",
                ))
            }
        };
        let odometer_end = match (self.odometer_end, self.km) {
            (Some(end), _) => end,
            (None, Some(km)) => odometer_start.saturating_add(km),
            (None, None) => {
                return Err(invalid("odometer_end", "give the odometer at the end or the kilometres driven"))
            }
        };
        if odometer_end < odometer_start {
            return Err(invalid(
                "odometer_end",
                format!("{odometer_end} is below the start reading {odometer_start}"),
            ));
        }
        if odometer_end - odometer_start > MAX_TRIP_KM {
            return Err(invalid("odometer_end", format!("more than {MAX_TRIP_KM} km in one entry")));
        }
        if self.corrects.is_none() {
            if let Some(last) = last_end.filter(|last| odometer_start < *last) {
                return Err(invalid(
                    "odometer_start",
                    format!("{odometer_start} is below where the last trip ended ({last}); correct that entry instead"),
                ));
            }
        }
        Ok(Trip {
            id,
            number,
            date,
            start_address,
            destination,
            purpose,
            partners,
            odometer_start,
            odometer_end,
            private: self.private,
            corrects: self.corrects,
            recorded_at: now,
        })
    }
}

/// The columns a tax office expects, in order.
const COLUMNS: [&str; 13] = [
    "Nr.",
    "Datum",
    "Reiseziel",
    "Reisezweck",
    "Aufgesuchte Geschäftspartner",
    "km-Stand Beginn",
    "km-Stand Ende",
    "Gefahrene km",
    "Privatfahrt",
    "Startadresse",
    "Erfasst am",
    "Korrektur zu Nr.",
    "Korrigiert durch Nr.",
];

/// Which entries correct `trip` (their numbers).
fn corrected_by(trip: &Trip, all: &[Trip]) -> Vec<u32> {
    all.iter().filter(|t| t.corrects == Some(trip.number)).map(|t| t.number).collect()
}

fn row(t: &Trip, all: &[Trip], tz: chrono_tz::Tz) -> [String; 13] {
    let by = corrected_by(t, all).iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    [
        t.number.to_string(),
        t.date.format("%d.%m.%Y").to_string(),
        t.destination.clone(),
        if t.private { "Privatfahrt".to_owned() } else { t.purpose.clone() },
        t.partners.join(", "),
        t.odometer_start.to_string(),
        t.odometer_end.to_string(),
        t.km().to_string(),
        if t.private { "ja" } else { "nein" }.to_owned(),
        t.start_address.clone(),
        t.recorded_at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string(),
        t.corrects.map(|n| n.to_string()).unwrap_or_default(),
        by,
    ]
}

/// The entries as CSV the way German Excel reads it: UTF-8 with BOM,
/// semicolons, CRLF; every entry, corrected ones too, in log order.
pub fn to_csv(trips: &[Trip], tz: chrono_tz::Tz) -> Vec<u8> {
    let line = |cells: &[String]| {
        cells.iter().map(|c| crate::csv_cell::cell(c, ';')).collect::<Vec<_>>().join(";") + "\r\n"
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&COLUMNS.map(str::to_owned)));
    for t in trips {
        out.push_str(&line(&row(t, trips, tz)));
    }
    out.into_bytes()
}

/// Kilometres of business and private trips, counting each trip once: a
/// corrected entry is replaced by its latest correction.
pub fn totals(trips: &[Trip]) -> (u32, u32) {
    let superseded: std::collections::HashSet<u32> = trips.iter().filter_map(|t| t.corrects).collect();
    trips.iter().filter(|t| !superseded.contains(&t.number)).fold((0, 0), |(b, p), t| {
        if t.private {
            (b, p + t.km())
        } else {
            (b + t.km(), p)
        }
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A printable document (A4 landscape) of the entries, `title` naming the
/// period, `driver` the rep and `vehicle` the car; corrected entries are
/// struck through and say which entry corrects them.
pub fn to_html(trips: &[Trip], title: &str, driver: &str, vehicle: &str, tz: chrono_tz::Tz) -> String {
    let (business, private) = totals(trips);
    let mut html = String::from("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!("<title>Fahrtenbuch {}</title>", esc(title)));
    html.push_str(
        "<style>@page{size:A4 landscape;margin:12mm}body{font:10pt/1.35 system-ui,sans-serif;color:#111}\
         h1{font-size:15pt;margin:0 0 2mm}p{margin:0 0 4mm}table{border-collapse:collapse;width:100%}\
         th,td{border:1px solid #999;padding:1.5mm 2mm;vertical-align:top;text-align:left}\
         th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}\
         tr.corrected td{text-decoration:line-through;color:#666}tr.corrected td.note{text-decoration:none}\
         tfoot td{font-weight:600}</style></head><body>",
    );
    html.push_str(&format!("<h1>Fahrtenbuch · {}</h1>", esc(title)));
    let who: Vec<String> = [("Fahrer/in", driver), ("Fahrzeug", vehicle)]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}: {}", esc(v.trim())))
        .collect();
    html.push_str(&format!(
        "<p>{}Einträge werden nie geändert: eine Korrektur ist ein neuer Eintrag, der den korrigierten nennt; \
         beide stehen hier.</p>",
        who.iter().map(|w| format!("{w} · ")).collect::<String>()
    ));
    html.push_str("<table><thead><tr>");
    for c in &COLUMNS[..11] {
        html.push_str(&format!("<th>{}</th>", esc(c)));
    }
    html.push_str("<th>Korrektur</th></tr></thead><tbody>");
    for t in trips {
        let cells = row(t, trips, tz);
        let corrected = !cells[12].is_empty();
        html.push_str(if corrected { "<tr class=\"corrected\">" } else { "<tr>" });
        for (i, c) in cells[..11].iter().enumerate() {
            let class = if (5..=7).contains(&i) || i == 0 { " class=\"n\"" } else { "" };
            html.push_str(&format!("<td{class}>{}</td>", esc(c)));
        }
        let mut note = Vec::new();
        if !cells[11].is_empty() {
            note.push(format!("korrigiert Nr. {}", cells[11]));
        }
        if corrected {
            note.push(format!("korrigiert durch Nr. {}", cells[12]));
        }
        html.push_str(&format!("<td class=\"note\">{}</td></tr>", esc(&note.join("; "))));
    }
    html.push_str(&format!(
        "</tbody><tfoot><tr><td colspan=\"7\">Summe (je Fahrt die letzte Fassung)</td><td class=\"n\">{}</td>\
         <td colspan=\"4\">dienstlich {business} km · privat {private} km</td></tr></tfoot></table></body></html>\n",
        business + private
    ));
    html
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, 17, 0, 0).unwrap()
    }

    fn input(start: Option<u32>, end: Option<u32>, km: Option<u32>) -> TripInput {
        TripInput {
            date: "2026-05-04".into(),
            start_address: "Büro, Hamburg".into(),
            destination: "Elb Brauerei, Hamburg".into(),
            purpose: "Kundenbesuch".into(),
            partners: vec!["Elb Brauerei (Zora Zander)".into()],
            odometer_start: start,
            odometer_end: end,
            km,
            ..Default::default()
        }
    }

    #[test]
    fn the_odometer_carries_on_and_never_goes_back() {
        let t = input(None, None, Some(42)).into_trip(Uuid::nil(), 2, Some(10_000), now()).unwrap();
        assert_eq!((t.odometer_start, t.odometer_end, t.km()), (10_000, 10_042, 42));
        let first = input(None, Some(5), None).into_trip(Uuid::nil(), 1, None, now());
        assert!(matches!(first, Err(Error::InvalidInput { field: "odometer_start", .. })));
        let back = input(Some(9_990), Some(10_030), None).into_trip(Uuid::nil(), 2, Some(10_000), now());
        assert!(matches!(back, Err(Error::InvalidInput { field: "odometer_start", .. })));
        let below = input(Some(10_000), Some(9_000), None).into_trip(Uuid::nil(), 2, None, now());
        assert!(matches!(below, Err(Error::InvalidInput { field: "odometer_end", .. })));
        let mut private = input(None, None, Some(10));
        private.purpose.clear();
        private.private = true;
        assert!(private.into_trip(Uuid::nil(), 3, Some(10_042), now()).is_ok());
    }

    #[test]
    fn the_export_shows_a_corrected_entry_and_its_correction_and_counts_the_latest() {
        let first = input(Some(10_000), Some(10_050), None).into_trip(Uuid::nil(), 1, None, now()).unwrap();
        let fix = TripInput { corrects: Some(1), ..input(Some(10_000), Some(10_042), None) }
            .into_trip(Uuid::nil(), 2, Some(10_050), now())
            .unwrap();
        let all = [first, fix];
        assert_eq!(totals(&all), (42, 0));
        let csv = String::from_utf8(to_csv(&all, chrono_tz::Europe::Berlin)).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[0]
            .starts_with("Nr.;Datum;Reiseziel;Reisezweck;Aufgesuchte Geschäftspartner;km-Stand Beginn"));
        assert!(lines[1].starts_with("1;04.05.2026;Elb Brauerei, Hamburg;Kundenbesuch;"), "{}", lines[1]);
        assert!(lines[1].ends_with(";;2"), "the first names its correction: {}", lines[1]);
        assert!(lines[2].contains(";10000;10042;42;nein;") && lines[2].ends_with(";1;"), "{}", lines[2]);
        let html = to_html(&all, "Mai 2026", "Zora", "HH-KT 123", chrono_tz::Europe::Berlin);
        assert!(html.contains("<tr class=\"corrected\">") && html.contains("korrigiert durch Nr. 2"));
        assert!(html.contains("dienstlich 42 km"));
    }
}

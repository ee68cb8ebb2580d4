//! Reading the CLI's arguments: times, dates and ids.

use chrono::{DateTime, NaiveDate, Utc};
use kontor_core::task::system_timezone;
use uuid::Uuid;

use crate::output::Error;

/// RFC 3339, or a date (midnight UTC).
pub fn time(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("{s:?} is neither RFC 3339 (2026-05-04T10:00:00Z) nor YYYY-MM-DD"))
}

/// RFC 3339, or a date: the end of that day in the local time zone.
pub fn until_end_of_day(s: &str) -> Result<DateTime<Utc>, String> {
    local_day_or_time(s, chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default())
}

/// RFC 3339, or a date: 09:00 local time on that day (as the snooze presets).
pub fn snooze_until(s: &str) -> Result<DateTime<Utc>, String> {
    local_day_or_time(s, chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
}

fn local_day_or_time(s: &str, at: chrono::NaiveTime) -> Result<DateTime<Utc>, String> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(day) => Ok(kontor_core::task::local_to_utc(day.and_time(at), system_timezone())),
        Err(_) => time(s),
    }
}

/// A date YYYY-MM-DD.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

/// A record's id.
pub fn id(id: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(id.trim()).map_err(|_| Error::InvalidId(id.to_owned()))
}

//! Appointments (Termine): a title, a time span (or whole days), a place,
//! whom it is with, and reminders on the same path as tasks'. Distinct from
//! tasks: they last, and they happen somewhere.
//!
//! Pure: the time zone and `now` are parameters.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ics::{IcsEvent, When};
use crate::task::{day_start, parse_due, Reminder};

/// How long an appointment lasts when only its start is given.
pub const DEFAULT_MINUTES: i64 = 60;
/// The reminders an appointment gets when none is chosen: the tasks'
/// (at its start; an all-day one at 09:00 of its first day).
pub const DEFAULT_REMINDERS: [u32; 1] = crate::task::DEFAULT_REMINDERS;
/// The longest appointment: two weeks (a trade fair, a holiday).
const LONGEST_DAYS: i64 = 14;

/// A visit made at an appointment: when the rep checked in (and where the
/// OS said they were), and when they checked out with the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Visit {
    /// Check-in.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Check-out (the report was written).
    pub checked_out_at: Option<DateTime<Utc>>,
    /// Where the rep checked in, when the OS told (latitude, longitude).
    pub location: Option<(f64, f64)>,
    /// The visit activity the report became.
    pub activity_id: Option<Uuid>,
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Appointment {
    /// uuid v7.
    pub id: Uuid,
    /// What it is.
    pub title: String,
    /// Start (an all-day appointment: its first day's midnight UTC).
    pub start: DateTime<Utc>,
    /// End, after the start (all day: midnight UTC after its last day).
    pub end: DateTime<Utc>,
    /// Whole days.
    pub all_day: bool,
    /// With whom.
    pub contact_id: Option<Uuid>,
    /// At which organisation.
    pub organization_id: Option<Uuid>,
    /// About which deal.
    pub deal_id: Option<Uuid>,
    /// Where: an address.
    pub place: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Reminders before the start (all day: before 09:00 of the first day).
    pub reminders: Vec<Reminder>,
    /// The iCalendar UID: stable across exports; an imported event keeps its own.
    pub uid: String,
    /// Attendees' email addresses (from an imported invitation).
    #[serde(default)]
    pub attendees: Vec<String>,
    /// iCalendar SEQUENCE: counts the changes since it was made.
    #[serde(default)]
    pub sequence: u32,
    /// The visit made at it (check-in, check-out).
    #[serde(default)]
    pub visit: Visit,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a rep enters for an appointment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AppointmentInput {
    /// What it is.
    pub title: String,
    /// RFC 3339 instant, or YYYY-MM-DD for an all-day appointment.
    pub start: String,
    /// RFC 3339 instant, or YYYY-MM-DD (the last day, inclusive) for an
    /// all-day one; none: an hour (one day).
    pub end: Option<String>,
    /// With whom.
    pub contact_id: Option<Uuid>,
    /// At which organisation (none: the contact's).
    pub organization_id: Option<Uuid>,
    /// About which deal.
    pub deal_id: Option<Uuid>,
    /// Where (none: the organisation's or contact's address).
    pub place: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Reminders in minutes before; none: [`DEFAULT_REMINDERS`].
    pub reminders: Option<Vec<u32>>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidInput { field, reason: reason.into() }
}

/// Trimmed text, none when empty.
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The reminders of an appointment starting at `start`: a task's at that due time.
pub(crate) use crate::task::reminders;

impl AppointmentInput {
    /// Validates the input into an appointment with id `id`.
    pub(crate) fn into_appointment(self, id: Uuid, tz: Tz, now: DateTime<Utc>) -> Result<Appointment> {
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            return Err(invalid("title", "an appointment needs a title"));
        }
        if title.chars().count() > 500 {
            return Err(invalid("title", "longer than 500 characters"));
        }
        let (start, all_day) =
            parse_due(&self.start).map_err(|e| rename(e, "start", "2026-05-04T10:00:00+02:00"))?;
        let end = match self.end.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None if all_day => start + Duration::days(1),
            None => start + Duration::minutes(DEFAULT_MINUTES),
            Some(end) => {
                let (end, end_all_day) =
                    parse_due(end).map_err(|e| rename(e, "end", "2026-05-04T11:00:00+02:00"))?;
                match (all_day, end_all_day) {
                    (true, true) => end + Duration::days(1),
                    (false, false) => end,
                    _ => return Err(invalid("end", "the start and end must both be days or both be times")),
                }
            }
        };
        if end <= start {
            return Err(invalid("end", "the end must be after the start"));
        }
        if end - start > Duration::days(LONGEST_DAYS) {
            return Err(invalid("end", format!("an appointment lasts at most {LONGEST_DAYS} days")));
        }
        let offsets = self.reminders.unwrap_or_else(|| DEFAULT_REMINDERS.to_vec());
        if offsets.iter().any(|m| *m > 60 * 24 * 365) {
            return Err(invalid("reminders", "a reminder is at most a year before"));
        }
        Ok(Appointment {
            id,
            title,
            start,
            end,
            all_day,
            contact_id: self.contact_id,
            organization_id: self.organization_id,
            deal_id: self.deal_id,
            place: text(self.place),
            notes: text(self.notes),
            reminders: reminders(&offsets, start, all_day, tz),
            uid: format!("{id}@kontor"),
            attendees: Vec::new(),
            sequence: 0,
            visit: Visit::default(),
            created_at: now,
            updated_at: now,
        })
    }
}

/// A `parse_due` error named for an appointment's field.
fn rename(e: Error, field: &'static str, example: &str) -> Error {
    match e {
        Error::InvalidInput { reason, .. } => {
            let reason = reason.replace("2026-05-04T10:00:00Z", example);
            Error::InvalidInput { field, reason }
        }
        other => other,
    }
}

impl Appointment {
    /// Its first and last day (all day), in `tz` for a timed one.
    pub fn days(&self, tz: Tz) -> (NaiveDate, NaiveDate) {
        if self.all_day {
            let last = (self.end - Duration::days(1)).date_naive();
            return (self.start.date_naive(), last.max(self.start.date_naive()));
        }
        let first = self.start.with_timezone(&tz).date_naive();
        // An appointment ending at midnight ends on the day before.
        let last = (self.end - Duration::seconds(1)).with_timezone(&tz).date_naive();
        (first, last.max(first))
    }

    /// Whether it takes place (at least partly) between `from` and `to`, days inclusive, in `tz`.
    pub fn within(&self, from: Option<NaiveDate>, to: Option<NaiveDate>, tz: Tz) -> bool {
        let (first, last) = self.days(tz);
        from.is_none_or(|from| last >= from) && to.is_none_or(|to| first <= to)
    }

    /// Unfired reminders (slot, time).
    pub fn pending(&self) -> Vec<(u8, DateTime<Utc>)> {
        self.reminders
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.fired)
            .map(|(i, r)| (u8::try_from(i).unwrap_or(254), r.fire_at))
            .collect()
    }

    /// The appointment as a calendar event.
    pub fn to_event(&self) -> IcsEvent {
        let when = if self.all_day {
            let (first, last) = self.days(Tz::UTC);
            When::AllDay { first, last }
        } else {
            When::Timed { start: self.start, end: self.end }
        };
        IcsEvent {
            uid: self.uid.clone(),
            summary: self.title.clone(),
            when,
            location: self.place.clone(),
            description: self.notes.clone(),
            alarms: self.reminders.iter().map(|r| r.before_minutes).collect(),
            attendees: self.attendees.clone(),
        }
    }

    /// An appointment from a calendar event (reminders as the event's alarms).
    pub fn from_event(event: &IcsEvent, id: Uuid, tz: Tz, now: DateTime<Utc>) -> Appointment {
        let (start, end, all_day) = match event.when {
            When::Timed { start, end } => (start, end.max(start + Duration::minutes(1)), false),
            When::AllDay { first, last } => {
                (day_start(first), day_start(last.max(first)) + Duration::days(1), true)
            }
        };
        let title = match event.summary.trim() {
            "" => "(ohne Titel / untitled)".to_owned(),
            t => t.chars().take(500).collect(),
        };
        Appointment {
            id,
            title,
            start,
            end,
            all_day,
            contact_id: None,
            organization_id: None,
            deal_id: None,
            place: text(event.location.clone()),
            notes: text(event.description.clone()),
            reminders: reminders(&event.alarms, start, all_day, tz),
            uid: event.uid.clone(),
            attendees: event.attendees.clone(),
            sequence: 0,
            visit: Visit::default(),
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    use super::*;

    fn input(start: &str, end: Option<&str>) -> AppointmentInput {
        AppointmentInput {
            title: "Besuch".into(),
            start: start.into(),
            end: end.map(Into::into),
            ..Default::default()
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap()
    }

    #[test]
    fn a_start_alone_lasts_an_hour_and_reminds_at_its_start_as_a_task_would() {
        let a =
            input("2026-05-04T10:00:00+02:00", None).into_appointment(Uuid::nil(), Berlin, now()).unwrap();
        assert_eq!(a.start, Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap());
        assert_eq!(a.end - a.start, Duration::hours(1));
        assert_eq!(a.reminders.len(), 1);
        assert_eq!(a.reminders[0].fire_at, a.start);
        assert_eq!(a.uid, format!("{}@kontor", Uuid::nil()));
    }

    #[test]
    fn days_are_inclusive_and_mixed_kinds_or_a_backwards_span_are_refused() {
        let fair =
            input("2026-05-04", Some("2026-05-06")).into_appointment(Uuid::nil(), Berlin, now()).unwrap();
        assert!(fair.all_day);
        assert_eq!(fair.days(Berlin), (ymd(2026, 5, 4), ymd(2026, 5, 6)));
        assert!(fair.within(Some(ymd(2026, 5, 6)), None, Berlin));
        assert!(!fair.within(Some(ymd(2026, 5, 7)), None, Berlin));
        // Reminded at 09:00 on the first day.
        assert_eq!(fair.reminders[0].fire_at, Utc.with_ymd_and_hms(2026, 5, 4, 7, 0, 0).unwrap());
        let mixed =
            input("2026-05-04", Some("2026-05-04T12:00:00Z")).into_appointment(Uuid::nil(), Berlin, now());
        assert!(matches!(mixed, Err(Error::InvalidInput { field: "end", .. })));
        let back = input("2026-05-04T12:00:00Z", Some("2026-05-04T11:00:00Z")).into_appointment(
            Uuid::nil(),
            Berlin,
            now(),
        );
        assert!(matches!(back, Err(Error::InvalidInput { field: "end", .. })));
        let bad = input("Montag", None).into_appointment(Uuid::nil(), Berlin, now());
        assert!(matches!(bad, Err(Error::InvalidInput { field: "start", .. })), "{bad:?}");
    }

    #[test]
    fn a_timed_appointment_ending_at_midnight_ends_on_its_day_in_the_reps_zone() {
        let late = input("2026-05-04T22:00:00+02:00", Some("2026-05-05T00:00:00+02:00"))
            .into_appointment(Uuid::nil(), Berlin, now())
            .unwrap();
        assert_eq!(late.days(Berlin), (ymd(2026, 5, 4), ymd(2026, 5, 4)));
    }

    #[test]
    fn an_event_and_back_keeps_what_a_calendar_holds() {
        let a = AppointmentInput {
            place: Some("Elbchaussee 1, 22763 Hamburg".into()),
            notes: Some("Schankanlage; Fragen zur Wartung".into()),
            reminders: Some(vec![30, 0]),
            ..input("2026-05-04T10:00:00+02:00", Some("2026-05-04T11:30:00+02:00"))
        }
        .into_appointment(Uuid::nil(), Berlin, now())
        .unwrap();
        let back = Appointment::from_event(&a.to_event(), Uuid::nil(), Berlin, now());
        assert_eq!(back, a);
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
}

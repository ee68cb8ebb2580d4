//! Appointments in the store: the records, an index by start for the
//! calendar's days, one by UID for imports, and their reminders in a queue
//! of their own that the reminder pass reads beside the tasks'.
//!
//! Invariant: an appointment and its index and queue entries change in one
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{abort, decode, decode_tx, encode_tx, new_id, Store, Tx, TxResult};
use crate::appointment::{Appointment, AppointmentInput, Visit};
use crate::error::{Error, Result};
use crate::ics::IcsEvent;

fn ms(t: DateTime<Utc>) -> [u8; 8] {
    u64::try_from(t.timestamp_millis()).unwrap_or(0).to_be_bytes()
}

fn start_key(a: &Appointment) -> Vec<u8> {
    [ms(a.start).as_slice(), a.id.as_bytes()].concat()
}

fn queue_key(at: DateTime<Utc>, id: Uuid, slot: u8) -> Vec<u8> {
    [ms(at).as_slice(), id.as_bytes(), &[slot]].concat()
}

fn queue_parts(key: &[u8]) -> Result<(DateTime<Utc>, Uuid, u8)> {
    let bad = || Error::Storage("malformed appointment reminder key".into());
    let at =
        key.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_be_bytes).ok_or_else(bad)?;
    let at = DateTime::from_timestamp_millis(i64::try_from(at).map_err(|_| bad())?).ok_or_else(bad)?;
    let id = key.get(8..24).and_then(|b| Uuid::from_slice(b).ok()).ok_or_else(bad)?;
    let slot = *key.get(24).ok_or_else(bad)?;
    Ok((at, id, slot))
}

/// Removes an appointment's index and queue entries and writes the new
/// version (if any) with its own.
pub(super) fn replace(tx: &Tx, old: Option<&Appointment>, new: Option<&Appointment>) -> TxResult<()> {
    if let Some(id) = new.or(old).map(|a| a.id) {
        super::sync::record(tx, crate::sync::EntityKind::Appointment, id, old, new)?;
    }
    if let Some(old) = old {
        tx.appts_by_start.remove(start_key(old))?;
        tx.appts_by_uid.remove(old.uid.as_bytes())?;
        for (slot, at) in old.pending() {
            tx.appt_queue.remove(queue_key(at, old.id, slot))?;
        }
        if new.is_none() {
            tx.appointments.remove(old.id.as_bytes())?;
        }
    }
    if let Some(new) = new {
        tx.appts_by_start.insert(start_key(new), &[])?;
        tx.appts_by_uid.insert(new.uid.as_bytes(), new.id.as_bytes())?;
        for (slot, at) in new.pending() {
            tx.appt_queue.insert(queue_key(at, new.id, slot), &[])?;
        }
        tx.appointments.insert(new.id.as_bytes(), encode_tx(new)?)?;
    }
    Ok(())
}

/// An appointment's reminder that came due.
#[derive(Debug, Clone, PartialEq)]
pub struct DueAppointment {
    /// The appointment (as it is after marking the reminder fired).
    pub appointment: Appointment,
    /// When the reminder was meant to fire.
    pub fire_at: DateTime<Utc>,
    /// Whom it is with: "Anna Schmidt · Müller AG".
    pub about: Option<String>,
}

/// What an import of a calendar file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CalendarImport {
    /// New appointments.
    pub added: u32,
    /// Appointments imported before and changed in the file since.
    pub updated: u32,
    /// Appointments imported before and unchanged.
    pub unchanged: u32,
    /// Appointments imported before whose event the file cancels: removed.
    pub removed: u32,
    /// Events that could not be read: line and reason.
    pub rejected: Vec<(u32, String)>,
}

fn not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "appointment", id: id.to_string() }
}

impl Store {
    /// Applies `change` to the stored appointment `id` (or creates it when
    /// absent and `change` accepts `None`) in one transaction.
    fn write_appointment(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        change: impl Fn(Option<Appointment>) -> Result<Option<Appointment>>,
    ) -> Result<Option<Appointment>> {
        self.transact(now, |tx| {
            let old: Option<Appointment> = match tx.appointments.get(id.as_bytes())? {
                Some(bytes) => Some(decode_tx(&bytes)?),
                None => None,
            };
            let new = change(old.clone()).or_else(abort)?;
            replace(tx, old.as_ref(), new.as_ref())?;
            Ok(new)
        })
    }

    /// Checks the links of an input: the deal's contact is taken when none
    /// is given; the organisation is the contact's when none is given.
    fn link_appointment(&self, input: &mut AppointmentInput) -> Result<()> {
        if let Some(deal) = input.deal_id {
            let deal = self.deal(deal)?;
            match input.contact_id {
                None => input.contact_id = Some(deal.contact_id),
                Some(c) if c != deal.contact_id => {
                    return Err(Error::InvalidInput {
                        field: "deal_id",
                        reason: "the deal belongs to another contact".into(),
                    })
                }
                Some(_) => {}
            }
        }
        if let Some(org) = input.organization_id {
            self.organization(org)?;
        }
        if let Some(contact) = input.contact_id {
            let c = self.raw_contact(contact)?;
            if input.organization_id.is_none() {
                input.organization_id = c
                    .organization
                    .as_deref()
                    .and_then(|name| self.organization_named(name).ok().flatten())
                    .map(|o| o.id);
            }
            if input.place.as_deref().is_none_or(|p| p.trim().is_empty()) {
                input.place = c.address.line();
            }
        }
        if input.place.as_deref().is_none_or(|p| p.trim().is_empty()) {
            if let Some(org) = input.organization_id {
                input.place = self.organization(org)?.address_line();
            }
        }
        Ok(())
    }

    /// Creates an appointment. Without a place it is at the contact's
    /// address, else at the organisation's.
    pub fn create_appointment(
        &self,
        mut input: AppointmentInput,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        self.link_appointment(&mut input)?;
        let mut appointment = input.into_appointment(new_id(now), tz, now)?;
        settle(&mut appointment, now);
        let id = appointment.id;
        self.write_appointment(id, now, |old| match old {
            Some(_) => Err(Error::Storage(format!("id collision for {id}"))),
            None => Ok(Some(appointment.clone())),
        })?
        .ok_or_else(|| not_found(id))
    }

    /// Replaces an appointment's fields (reminders set anew; its UID, visit
    /// and attendees stay).
    pub fn update_appointment(
        &self,
        id: Uuid,
        mut input: AppointmentInput,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        self.link_appointment(&mut input)?;
        let mut fresh = input.into_appointment(id, tz, now)?;
        settle(&mut fresh, now);
        self.write_appointment(id, now, |old| {
            let old = old.ok_or_else(|| not_found(id))?;
            Ok(Some(Appointment {
                uid: old.uid.clone(),
                attendees: old.attendees.clone(),
                visit: old.visit.clone(),
                sequence: old.sequence + 1,
                created_at: old.created_at,
                ..fresh.clone()
            }))
        })?
        .ok_or_else(|| not_found(id))
    }

    /// Moves an appointment to start at `start`, keeping its length.
    pub fn move_appointment(
        &self,
        id: Uuid,
        start: DateTime<Utc>,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        self.write_appointment(id, now, |old| {
            let old = old.ok_or_else(|| not_found(id))?;
            let length = old.end - old.start;
            let offsets: Vec<u32> = old.reminders.iter().map(|r| r.before_minutes).collect();
            let mut moved = Appointment {
                start,
                end: start + length,
                reminders: crate::appointment::reminders(&offsets, start, old.all_day, tz),
                sequence: old.sequence + 1,
                updated_at: now,
                ..old
            };
            settle(&mut moved, now);
            Ok(Some(moved))
        })?
        .ok_or_else(|| not_found(id))
    }

    /// Deletes an appointment.
    pub fn delete_appointment(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.write_appointment(id, now, |old| old.map(|_| None).ok_or_else(|| not_found(id)))?;
        Ok(())
    }

    /// Records a visit's check-in or check-out on its appointment.
    pub fn record_visit(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        change: impl Fn(&mut Visit),
    ) -> Result<Appointment> {
        self.write_appointment(id, now, |old| {
            let mut a = old.ok_or_else(|| not_found(id))?;
            change(&mut a.visit);
            a.updated_at = now;
            Ok(Some(a))
        })?
        .ok_or_else(|| not_found(id))
    }

    /// One appointment.
    pub fn appointment(&self, id: Uuid) -> Result<Appointment> {
        match self.t.appointments.get(id.as_bytes())? {
            Some(bytes) => decode(&bytes),
            None => Err(not_found(id)),
        }
    }

    /// Appointments taking place between the days `from` and `to`
    /// (inclusive, in `tz`), by start. Reads the start index from two weeks
    /// before `from` (the longest an appointment lasts).
    pub fn appointments(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        tz: Tz,
    ) -> Result<Vec<Appointment>> {
        let lower = from.map(|d| {
            let start = crate::task::local_day_start(d, tz) - chrono::Duration::days(15);
            ms(start).to_vec()
        });
        let upper = to.and_then(|d| d.succ_opt()).map(|d| {
            // All-day appointments start at midnight UTC, which is before
            // local midnight east of Greenwich and after it west of it.
            let end = crate::task::local_day_start(d, tz).max(crate::task::day_start(d))
                + chrono::Duration::days(1);
            ms(end).to_vec()
        });
        let keys = match (lower, upper) {
            (Some(l), Some(u)) => self.t.appts_by_start.range(l..u),
            (Some(l), None) => self.t.appts_by_start.range(l..),
            (None, Some(u)) => self.t.appts_by_start.range(..u),
            (None, None) => self.t.appts_by_start.iter(),
        };
        let mut out = Vec::new();
        for key in keys.keys() {
            let id = super::id_from_index_key(&key?)?;
            let a = self.appointment(id)?;
            if a.within(from, to, tz) {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Every appointment with `contact`, by start.
    pub fn contact_appointments(&self, contact: Uuid) -> Result<Vec<Appointment>> {
        let mut out = Vec::new();
        for value in self.t.appointments.iter().values() {
            let a: Appointment = decode(&value?)?;
            if a.contact_id == Some(contact) {
                out.push(a);
            }
        }
        out.sort_by_key(|a| (a.start, a.id));
        Ok(out)
    }

    /// When the next unfired appointment reminder is due.
    pub fn next_appointment_reminder_at(&self) -> Result<Option<DateTime<Utc>>> {
        match self.t.appt_queue.first()? {
            Some((key, _)) => Ok(Some(queue_parts(&key)?.0)),
            None => Ok(None),
        }
    }

    /// Every appointment reminder due at `now`, marked fired before it is
    /// returned (handed out once, across restarts), oldest first.
    pub fn take_due_appointment_reminders(&self, now: DateTime<Utc>) -> Result<Vec<DueAppointment>> {
        let mut end = ms(now).to_vec();
        end.push(0xFF);
        let due =
            self.t.appt_queue.range(..end).keys().map(|k| queue_parts(&k?)).collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(due.len());
        for (fire_at, id, slot) in due {
            let written = self.write_appointment(id, now, |old| {
                let mut a = old.ok_or_else(|| not_found(id))?;
                if let Some(r) = a.reminders.get_mut(slot as usize) {
                    r.fired = true;
                }
                Ok(Some(a))
            });
            match written {
                Ok(Some(appointment)) => out.push(DueAppointment { appointment, fire_at, about: None }),
                Ok(None) => {}
                Err(Error::NotFound { .. }) => {
                    self.t.appt_queue.remove(queue_key(fire_at, id, slot))?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Imports a calendar file's events as appointments: a UID seen before
    /// updates its appointment (a second import doubles nothing); attendees
    /// are matched to contacts by email. All in one transaction.
    pub fn import_calendar(&self, text: &str, tz: Tz, now: DateTime<Utc>) -> Result<CalendarImport> {
        let parsed = crate::ics::parse_calendar(text, tz);
        let mut report = CalendarImport {
            rejected: parsed.rejected.iter().map(|(line, why)| (*line as u32, why.clone())).collect(),
            ..Default::default()
        };
        let mut fresh = Vec::new();
        let emails = if parsed.events.iter().any(|(_, e)| !e.attendees.is_empty()) {
            self.contacts_by_email()?
        } else {
            Default::default()
        };
        for (_, event) in &parsed.events {
            let existing = match self.t.appts_by_uid.get(event.uid.as_bytes())? {
                Some(id) => {
                    Some(self.appointment(Uuid::from_slice(&id).map_err(|e| Error::Storage(e.to_string()))?)?)
                }
                None => None,
            };
            let contact = event.attendees.iter().find_map(|e| emails.get(&e.trim().to_lowercase()).copied());
            match existing {
                Some(old) => {
                    let mut new = Appointment::from_event(event, old.id, tz, now);
                    new.contact_id = old.contact_id.or(contact);
                    new.organization_id = old.organization_id;
                    new.deal_id = old.deal_id;
                    new.visit = old.visit.clone();
                    new.created_at = old.created_at;
                    new.sequence = old.sequence;
                    // Reminders already fired stay fired.
                    for r in &mut new.reminders {
                        r.fired = old.reminders.iter().any(|o| o.fire_at == r.fire_at && o.fired);
                    }
                    settle(&mut new, now);
                    let same = Appointment { updated_at: old.updated_at, ..new.clone() } == old;
                    if same {
                        report.unchanged += 1;
                    } else {
                        new.sequence += 1;
                        report.updated += 1;
                        fresh.push((Some(old), new));
                    }
                }
                None => {
                    let mut new = Appointment::from_event(event, new_id(now), tz, now);
                    new.contact_id = contact;
                    settle(&mut new, now);
                    report.added += 1;
                    fresh.push((None, new));
                }
            }
        }
        // A cancellation removes what an earlier import took (its line then
        // leaves the rejected ones: it was applied).
        let mut gone = Vec::new();
        for (line, uid) in &parsed.cancelled {
            if let Some(id) = self.t.appts_by_uid.get(uid.as_bytes())? {
                gone.push(
                    self.appointment(Uuid::from_slice(&id).map_err(|e| Error::Storage(e.to_string()))?)?,
                );
                report.rejected.retain(|(l, _)| *l != *line as u32);
            }
        }
        report.removed = gone.len() as u32;
        self.transact(now, |tx| {
            for (old, new) in &fresh {
                replace(tx, old.as_ref(), Some(new))?;
            }
            for a in &gone {
                replace(tx, Some(a), None)?;
            }
            Ok(())
        })?;
        Ok(report)
    }

    /// Every contact's email addresses (lower case) to its id: read once
    /// for an import whose events name attendees.
    fn contacts_by_email(&self) -> Result<std::collections::HashMap<String, Uuid>> {
        let mut map = std::collections::HashMap::new();
        for value in self.t.contacts.iter().values() {
            let c: crate::contact::Contact = decode(&value?)?;
            for e in &c.emails {
                map.entry(e.trim().to_lowercase()).or_insert(c.id);
            }
        }
        Ok(map)
    }

    /// The rep's calendar as an iCalendar file: appointments between the days given.
    pub fn export_calendar(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let events: Vec<IcsEvent> =
            self.appointments(from, to, tz)?.iter().map(Appointment::to_event).collect();
        Ok(crate::ics::write_calendar(&events, tz, "Kontor", now))
    }
}

/// Reminders whose time has passed are settled as fired: a new appointment
/// in the past never rings.
fn settle(a: &mut Appointment, now: DateTime<Utc>) {
    for r in &mut a.reminders {
        if r.fire_at <= now {
            r.fired = true;
        }
    }
}

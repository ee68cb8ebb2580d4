//! The field day: appointments, the calendar file, visit suggestions and
//! the day plan, check-in and the visit report, nearby customers, the
//! mileage log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::activity::{ActivityInput, ActivityKind, ActivityQuery};
use crate::appointment::{Appointment, AppointmentInput};
use crate::contact::Contact;
use crate::deal::{outcome_of, StageOutcome};
use crate::error::{Error, Result};
use crate::geo::{Geocoder, Located};
use crate::lang::Language;
use crate::plan::{plan_day, Busy, Candidate, DayPlan, VisitReason};
use crate::route::Point;
use crate::store::Store;
use crate::task::TaskInput;

/// How far from the start a customer is still suggested (great circle).
pub const SUGGEST_RADIUS_KM: f64 = 150.0;
/// Stops a plan takes when the rep does not say.
pub const DEFAULT_STOPS: usize = 6;
/// The most stops a plan takes.
pub const MAX_STOPS: usize = 30;

/// What a day plan is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PlanRequest {
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Where the day starts (none: the home address in the settings).
    pub start: Option<String>,
    /// How many stops at most (none: [`DEFAULT_STOPS`]).
    pub max: Option<u32>,
    /// The customers to visit; none: the best suggestions.
    pub contact_ids: Option<Vec<Uuid>>,
}

/// A day's suggestions and its plan.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DayPlanning {
    /// The plan.
    pub plan: DayPlan,
    /// Customers who could be visited too, best first.
    pub suggestions: Vec<Candidate>,
    /// The day's appointments the visits are fitted around.
    pub appointments: Vec<Appointment>,
}

/// A geocoder for the rep's settings, or none when geocoding is off.
pub fn geocoder(store: &Store) -> Option<Geocoder> {
    let field = store.settings().field;
    let endpoint = std::env::var("KONTOR_GEOCODER_URL").ok().filter(|u| !u.trim().is_empty());
    match endpoint {
        Some(url) => Some(Geocoder::new(&url, super::VERSION)),
        None if field.geocoding => Some(Geocoder::new(&field.geocoding_endpoint, super::VERSION)),
        None => None,
    }
}

fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput { field: "date", reason: format!("{s:?} is not YYYY-MM-DD") })
}

/// The words a next step names a visit with.
const VISIT_WORDS: [&str; 8] =
    ["besuch", "visit", "vor ort", "termin", "treffen", "meeting", "vorführung", "demo"];

fn names_a_visit(text: &str) -> bool {
    let folded = text.to_lowercase();
    VISIT_WORDS.iter().any(|w| folded.contains(w))
}

/// Customers worth a visit on `date`, best first: those with a task due
/// (or overdue), with an open deal whose next step is a visit, and those
/// not visited for longer than their stage's interval; within
/// [`SUGGEST_RADIUS_KM`] of `origin`, each once.
pub fn suggestions(
    store: &Store,
    date: NaiveDate,
    origin: Point,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>> {
    let tz = store.time_zone();
    let settings = store.settings();
    let postcodes = store.postcodes()?;
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |c: &Contact, reason: VisitReason, out: &mut Vec<Candidate>| -> Result<()> {
        if !seen.insert(c.id) {
            return Ok(());
        }
        let Some((p, located)) = store.locate_contact(c, &postcodes)? else { return Ok(()) };
        let from_start_km = (origin.km_to(p) * 10.0).round() / 10.0;
        if from_start_km > SUGGEST_RADIUS_KM {
            return Ok(());
        }
        out.push(Candidate { who: store.placed(c, p, located), reason, from_start_km });
        Ok(())
    };
    // Tasks due by the end of the day.
    let day_end = crate::task::local_day_start(date.succ_opt().unwrap_or(date), tz);
    for task in store.open_tasks_due_until(day_end - Duration::milliseconds(1))? {
        let Some(id) = task.contact_id else { continue };
        let Ok(c) = store.raw_contact(id) else { continue };
        add(&c, VisitReason::TaskDue { title: task.title.clone() }, &mut out)?;
    }
    // Open deals whose next step is a visit.
    for deal in store.deals(None)? {
        if outcome_of(&settings.deal_stages, &deal.stage) != StageOutcome::Open {
            continue;
        }
        if deal.next_step.as_deref().is_some_and(names_a_visit) {
            let Ok(c) = store.raw_contact(deal.contact_id) else { continue };
            add(&c, VisitReason::DealVisit { deal: deal.title.clone() }, &mut out)?;
        }
    }
    // Not visited for longer than their stage's interval: the longest overdue first.
    let mut due: Vec<(i64, Candidate)> = Vec::new();
    let visits = ActivityQuery { kinds: Some(vec![ActivityKind::Visit]), offset: 0, limit: 1 };
    for c in store.all_contacts()? {
        let Some(days) = settings.field.revisit_days(c.stage) else { continue };
        if out.iter().any(|o| o.who.contact_id == c.id) {
            continue;
        }
        let last = store.list_activities(c.id, &visits)?.items.first().map(|a| a.at);
        let since = last.map(|at| (now - at).num_days());
        if since.is_some_and(|d| d < i64::from(days)) {
            continue;
        }
        let mut found = Vec::new();
        add(&c, VisitReason::NotVisited { days: since.map(|d| d.max(0) as u32) }, &mut found)?;
        if let Some(candidate) = found.pop() {
            // Never visited counts as the most overdue.
            due.push((since.map_or(i64::MAX, |d| d - i64::from(days)), candidate));
        }
    }
    due.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.from_start_km.total_cmp(&b.1.from_start_km)));
    out.extend(due.into_iter().map(|(_, c)| c));
    Ok(out)
}

/// Where a plan starts: the address given, else the home address.
fn plan_start(
    store: &Store,
    start: Option<&str>,
    geocoder: Option<&Geocoder>,
    now: DateTime<Utc>,
) -> Result<(String, Point, Located)> {
    let home = store.settings().field.home_address;
    let address = start.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(home.trim()).to_owned();
    if address.is_empty() {
        return Err(Error::InvalidInput {
            field: "start",
            reason: "give a start address, or set your home or office address in Settings → Field".into(),
        });
    }
    let postcodes = store.postcodes()?;
    match store.locate_address(&address, geocoder, &postcodes, now)? {
        Some((p, located)) => Ok((address, p, located)),
        None => Err(Error::InvalidInput {
            field: "start",
            reason: format!(
                "{address:?} could not be located: it is not in the address cache, it could not be looked up, \
                 and no known place shares its postcode area"
            ),
        }),
    }
}

/// Plans a day: the stops asked for (or the best suggestions), ordered by
/// the shortest route found, fitted around the day's appointments.
pub fn plan_visits(
    store: &Store,
    request: &PlanRequest,
    geocoder: Option<&Geocoder>,
    now: DateTime<Utc>,
) -> Result<DayPlanning> {
    let date = parse_day(&request.date)?;
    let tz = store.time_zone();
    let field = store.settings().field;
    let (start_address, origin, located) = plan_start(store, request.start.as_deref(), geocoder, now)?;
    let max = request.max.map_or(DEFAULT_STOPS, |m| m as usize).clamp(1, MAX_STOPS);
    let mut suggestions = suggestions(store, date, origin, now)?;
    let chosen: Vec<Candidate> = match &request.contact_ids {
        Some(ids) => {
            let postcodes = store.postcodes()?;
            let mut chosen = Vec::new();
            for id in ids.iter().take(MAX_STOPS) {
                let c = store.raw_contact(*id)?;
                match suggestions.iter().position(|s| s.who.contact_id == *id) {
                    Some(i) => chosen.push(suggestions.remove(i)),
                    None => {
                        let (p, located) =
                            store.locate_contact(&c, &postcodes)?.ok_or_else(|| Error::InvalidInput {
                                field: "contact_ids",
                                reason: format!(
                                    "{} has no address Kontor can place (set a pin by hand)",
                                    c.display_name
                                ),
                            })?;
                        chosen.push(Candidate {
                            who: store.placed(&c, p, located),
                            reason: VisitReason::Chosen,
                            from_start_km: (origin.km_to(p) * 10.0).round() / 10.0,
                        });
                    }
                }
            }
            chosen
        }
        None => suggestions.drain(..suggestions.len().min(max)).collect(),
    };
    // Customers near the chosen ones come next among the suggestions.
    for s in &mut suggestions {
        let near = chosen.iter().map(|c| c.who.point().km_to(s.who.point())).fold(f64::INFINITY, f64::min);
        if near <= 10.0 && matches!(s.reason, VisitReason::NotVisited { .. }) {
            s.reason = VisitReason::Nearby { km: (near * 10.0).round() / 10.0 };
        }
    }
    suggestions.sort_by_key(|s| {
        !matches!(
            s.reason,
            VisitReason::TaskDue { .. } | VisitReason::DealVisit { .. } | VisitReason::Nearby { .. }
        )
    });
    suggestions.truncate(50);
    let appointments = store.appointments(Some(date), Some(date), tz)?;
    let busy: Vec<Busy> =
        appointments.iter().filter(|a| !a.all_day).map(|a| Busy { start: a.start, end: a.end }).collect();
    let plan =
        plan_day(date, &start_address, (origin, located), chosen, &busy, field.frame(), tz, field.map_app);
    Ok(DayPlanning { plan, suggestions, appointments })
}

/// Makes a plan's stops appointments (visits) in the calendar.
pub fn save_plan(
    store: &Store,
    plan: &DayPlan,
    language: Language,
    now: DateTime<Utc>,
) -> Result<Vec<Appointment>> {
    let tz = store.time_zone();
    let word = match language {
        Language::De => "Besuch",
        Language::En => "Visit",
    };
    plan.stops
        .iter()
        .map(|s| {
            let input = AppointmentInput {
                title: format!("{word}: {}", s.who.label()),
                start: s.arrive.to_rfc3339(),
                end: Some(s.leave.to_rfc3339()),
                contact_id: Some(s.who.contact_id),
                place: s.who.address.clone(),
                ..Default::default()
            };
            store.create_appointment(input, tz, now)
        })
        .collect()
}

/// What the rep notes at the end of a visit (Besuchsbericht).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct VisitReport {
    /// Who took part.
    pub attendees: Vec<String>,
    /// What was talked about.
    pub topics: String,
    /// Questions and concerns the customer raised.
    pub concerns: String,
    /// Products discussed.
    pub products: String,
    /// The next steps agreed.
    pub next_steps: String,
    /// A follow-up made from the next steps.
    pub follow_up: Option<FollowUp>,
}

/// The follow-up a visit report creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum FollowUp {
    /// A task due then (RFC 3339 or YYYY-MM-DD).
    Task {
        /// Title.
        title: String,
        /// Due.
        due: String,
    },
    /// An appointment starting then.
    Appointment {
        /// Title.
        title: String,
        /// Start (RFC 3339 or YYYY-MM-DD).
        start: String,
    },
}

/// What checking out made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CheckedOut {
    /// The appointment, with its visit.
    pub appointment: Appointment,
    /// The visit activity on the contact's timeline.
    pub activity_id: Uuid,
    /// The follow-up task made, if any.
    pub task_id: Option<Uuid>,
    /// The follow-up appointment made, if any.
    pub appointment_id: Option<Uuid>,
}

/// Checks in at an appointment: the visit starts now (where the OS says
/// the rep is, when it says).
pub fn check_in(
    store: &Store,
    id: Uuid,
    location: Option<(f64, f64)>,
    now: DateTime<Utc>,
) -> Result<Appointment> {
    let a = store.appointment(id)?;
    if a.visit.checked_out_at.is_some() {
        return Err(Error::InvalidInput { field: "visit", reason: "this visit is reported already".into() });
    }
    let location = location.filter(|(lat, lon)| Point::new(*lat, *lon).is_some());
    store.record_visit(id, now, |v| {
        if v.checked_in_at.is_none() {
            v.checked_in_at = Some(now);
            v.location = location;
        }
    })
}

/// Checks out with the visit report: it becomes a visit activity on the
/// contact's timeline (from check-in to now), and its next steps a task or
/// an appointment.
pub fn check_out(
    store: &Store,
    id: Uuid,
    report: &VisitReport,
    language: Language,
    now: DateTime<Utc>,
) -> Result<CheckedOut> {
    let a = store.appointment(id)?;
    let contact = a.contact_id.ok_or_else(|| Error::InvalidInput {
        field: "contact_id",
        reason: "a visit report needs the appointment to be with a contact".into(),
    })?;
    if a.visit.checked_out_at.is_some() {
        return Err(Error::InvalidInput { field: "visit", reason: "this visit is reported already".into() });
    }
    let tz = store.time_zone();
    let began = a.visit.checked_in_at.unwrap_or(a.start.min(now));
    let (l_attendees, l_topics, l_products, l_next, l_time) = match language {
        Language::De => ("Teilnehmer", "Themen", "Produkte", "Nächste Schritte", "Dauer"),
        Language::En => ("Attendees", "Topics", "Products", "Next steps", "Duration"),
    };
    let mut text = Vec::new();
    let attendees: Vec<&str> = report.attendees.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if !attendees.is_empty() {
        text.push(format!("{l_attendees}: {}", attendees.join(", ")));
    }
    for (label, value) in
        [(l_topics, &report.topics), (l_products, &report.products), (l_next, &report.next_steps)]
    {
        if !value.trim().is_empty() {
            text.push(format!("{label}: {}", value.trim()));
        }
    }
    let (from, to) = (began.with_timezone(&tz), now.with_timezone(&tz));
    text.push(format!(
        "{l_time}: {}–{} ({} min)",
        from.format("%H:%M"),
        to.format("%H:%M"),
        (now - began).num_minutes().max(0)
    ));
    let input = ActivityInput {
        kind: ActivityKind::Visit,
        at: Some(began),
        summary: Some(a.title.clone()),
        text: Some(text.join("\n")),
        outcome: Some(report.next_steps.trim().to_owned()).filter(|s| !s.is_empty()),
        concerns: Some(report.concerns.trim().to_owned()).filter(|s| !s.is_empty()),
    };
    let (activity, _) = store.log_activity(contact, input, now)?.value;
    let (mut task_id, mut appointment_id) = (None, None);
    match &report.follow_up {
        Some(FollowUp::Task { title, due }) => {
            let input = TaskInput {
                title: title.clone(),
                due: due.clone(),
                contact_id: Some(contact),
                deal_id: a.deal_id,
                reminders: crate::task::DEFAULT_REMINDERS.to_vec(),
                ..Default::default()
            };
            task_id = Some(store.create_task(input, tz, now)?.id);
        }
        Some(FollowUp::Appointment { title, start }) => {
            let input = AppointmentInput {
                title: title.clone(),
                start: start.clone(),
                contact_id: Some(contact),
                organization_id: a.organization_id,
                deal_id: a.deal_id,
                place: a.place.clone(),
                ..Default::default()
            };
            appointment_id = Some(store.create_appointment(input, tz, now)?.id);
        }
        None => {}
    }
    let activity_id = activity.id;
    let appointment = store.record_visit(id, now, |v| {
        v.checked_in_at.get_or_insert(began);
        v.checked_out_at = Some(now);
        v.activity_id = Some(activity_id);
    })?;
    Ok(CheckedOut { appointment, activity_id, task_id, appointment_id })
}

/// Where a nearby list is measured from.
#[derive(Debug, Clone, Copy)]
pub enum NearbyOf<'a> {
    /// A contact (left out of the list).
    Contact(Uuid),
    /// An address: known, looked up with `geocoder`, or placed by its postcode.
    Address(&'a str),
}

/// Customers within `km` of a contact or an address, nearest first (at
/// most `limit`). The postcode areas are read once for the origin and the list.
pub fn nearby(
    store: &Store,
    of: NearbyOf,
    km: f64,
    limit: usize,
    geocoder: Option<&Geocoder>,
    now: DateTime<Utc>,
) -> Result<Vec<crate::store::Nearby>> {
    let postcodes = store.postcodes()?;
    let (origin, except) = match of {
        NearbyOf::Contact(id) => {
            let c = store.raw_contact(id)?;
            let (p, _) = store.locate_contact(&c, &postcodes)?.ok_or_else(|| Error::InvalidInput {
                field: "contact",
                reason: format!(
                    "{} has no position yet (no pin, geocoded address or known postcode area)",
                    c.display_name
                ),
            })?;
            (p, Some(id))
        }
        NearbyOf::Address(line) => {
            let (p, _) = store.locate_address(line, geocoder, &postcodes, now)?.ok_or_else(|| Error::InvalidInput {
                field: "address",
                reason: format!("{line:?} could not be located (not known, not looked up, no known place in its postcode area)"),
            })?;
            (p, None)
        }
    };
    store.nearby(origin, km, limit, except, &postcodes)
}

/// An appointment with whom it is, as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AppointmentItem {
    /// The appointment.
    pub appointment: Appointment,
    /// Its contact's name.
    pub contact_name: Option<String>,
    /// Its organisation's name.
    pub organization_name: Option<String>,
}

impl AppointmentItem {
    /// Looks up the names.
    pub fn of(store: &Store, appointment: Appointment) -> AppointmentItem {
        let contact_name = appointment.contact_id.and_then(|id| store.display_name(id));
        let organization_name =
            appointment.organization_id.and_then(|id| store.organization(id).ok()).map(|o| o.name);
        AppointmentItem { appointment, contact_name, organization_name }
    }
}

/// Days of the calendar: the appointments and the open tasks due on them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalendarDays {
    /// Appointments taking place on the days, by start.
    pub appointments: Vec<AppointmentItem>,
    /// Open tasks due on the days, by due time: at most [`TASKS_PER_DAY`]
    /// of each day.
    pub tasks: Vec<super::tasks::TaskItem>,
    /// How many open tasks are due on each day that has any (more than
    /// `tasks` holds on a busy day).
    pub task_days: Vec<DayCount>,
    /// When today is among the days: how many open tasks are overdue (the
    /// Tasks view lists them).
    pub overdue: u32,
}

/// Tasks of one day the calendar sends at most (a day of 20,000 "first
/// call" tasks after a bulk change is counted, not sent).
pub const TASKS_PER_DAY: usize = 20;

/// How many tasks fall on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DayCount {
    /// The day.
    pub day: NaiveDate,
    /// How many.
    pub total: u32,
}

/// The calendar from `from` to `to` (days inclusive, in the rep's zone).
pub fn calendar(store: &Store, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<CalendarDays> {
    let tz = store.time_zone();
    let appointments = store
        .appointments(Some(from), Some(to), tz)?
        .into_iter()
        .map(|a| AppointmentItem::of(store, a))
        .collect();
    let today = now.with_timezone(&tz).date_naive();
    let overdue = if (from..=to).contains(&today) { store.task_counts(tz, now)?.overdue } else { 0 };
    let mut task_days: Vec<DayCount> = Vec::new();
    let mut tasks = Vec::new();
    for t in store.open_tasks_due_within(from, to)? {
        let day = t.day().unwrap_or_else(|| t.due.with_timezone(&tz).date_naive());
        let n = match task_days.iter_mut().find(|d| d.day == day) {
            Some(d) => {
                d.total += 1;
                d.total
            }
            None => {
                task_days.push(DayCount { day, total: 1 });
                1
            }
        };
        if n as usize <= TASKS_PER_DAY {
            tasks.push(super::tasks::TaskItem::of(store, t));
        }
    }
    Ok(CalendarDays { appointments, tasks, task_days, overdue })
}

/// Writes the calendar to the file named in the settings (if any), through
/// a temporary file, for calendar programs that subscribe to a file.
/// Returns where it wrote.
pub fn refresh_calendar_file(store: &Store, now: DateTime<Utc>) -> Result<Option<std::path::PathBuf>> {
    let file = store.settings().field.calendar_file;
    let file = file.trim();
    if file.is_empty() {
        return Ok(None);
    }
    let path = std::path::PathBuf::from(file);
    let text = store.export_calendar(None, None, store.time_zone(), now)?;
    super::data::write_file(&path, text.as_bytes())?;
    Ok(Some(path))
}

/// A trip for the mileage log from a day's visits: from the home address
/// through the visited customers and back, the odometer carried on, the
/// kilometres as the day plan estimates them.
pub fn propose_trip(store: &Store, date: &str, now: DateTime<Utc>) -> Result<crate::mileage::TripInput> {
    let day = parse_day(date)?;
    let tz = store.time_zone();
    let field = store.settings().field;
    let visits: Vec<Appointment> = store
        .appointments(Some(day), Some(day), tz)?
        .into_iter()
        .filter(|a| a.contact_id.is_some() && !a.all_day)
        .collect();
    let mut partners = Vec::new();
    let mut places = Vec::new();
    let mut points = Vec::new();
    let postcodes = store.postcodes()?;
    for a in &visits {
        let Some(contact) = a.contact_id.and_then(|id| store.raw_contact(id).ok()) else { continue };
        let name = match &contact.organization {
            Some(org) => format!("{org} ({})", contact.display_name),
            None => contact.display_name.clone(),
        };
        if !partners.contains(&name) {
            partners.push(name);
        }
        places.push(
            a.place
                .clone()
                .unwrap_or_else(|| contact.organization.clone().unwrap_or(contact.display_name.clone())),
        );
        if let Some((p, _)) = store.locate_contact(&contact, &postcodes)? {
            points.push(p);
        }
    }
    let home = field.home_address.trim().to_owned();
    let km = match store.locate_address(&home, None, &postcodes, now)? {
        Some((start, _)) if !points.is_empty() => {
            let order: Vec<usize> = (0..points.len()).collect();
            Some((crate::route::tour_km(start, &points, &order, true) * crate::route::DETOUR).round() as u32)
        }
        _ => None,
    };
    let purpose = match store.language() {
        Language::De => "Kundenbesuche",
        Language::En => "Customer visits",
    };
    Ok(crate::mileage::TripInput {
        date: day.format("%Y-%m-%d").to_string(),
        start_address: home,
        destination: places.join(" – "),
        purpose: if visits.is_empty() { String::new() } else { purpose.to_owned() },
        partners,
        odometer_start: store.last_odometer()?,
        odometer_end: None,
        km,
        private: false,
        corrects: None,
    })
}

/// The mileage log of a month ("YYYY-MM") or a year ("YYYY") as a file's
/// bytes (CSV or a printable HTML document) and its proposed name.
pub fn mileage_document(store: &Store, period: &str, html: bool) -> Result<(String, Vec<u8>)> {
    let period = period.trim();
    let bad =
        || Error::InvalidInput { field: "period", reason: format!("{period:?} is not YYYY-MM or YYYY") };
    let (from, to, title) = if period.len() == 4 {
        let y: i32 = period.parse().map_err(|_| bad())?;
        let from = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
        (from, NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(bad)?, period.to_owned())
    } else {
        let from = NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").map_err(|_| bad())?;
        let next = from.checked_add_months(chrono::Months::new(1)).ok_or_else(bad)?;
        (from, next.pred_opt().ok_or_else(bad)?, from.format("%m/%Y").to_string())
    };
    let trips = store.trips(Some(from), Some(to))?;
    let tz = store.time_zone();
    let field = store.settings().field;
    let name = format!("Fahrtenbuch {period}.{}", if html { "html" } else { "csv" });
    let bytes = if html {
        crate::mileage::to_html(&trips, &title, &field.driver, &field.vehicle, tz).into_bytes()
    } else {
        crate::mileage::to_csv(&trips, tz)
    };
    Ok((name, bytes))
}

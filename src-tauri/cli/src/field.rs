//! The field day on the command line: `kontor appointments`, `calendar`,
//! `visits`, `places` and `mileage`.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use clap::{Subcommand, ValueEnum};
use kontor_core::api::field::{self, FollowUp, PlanRequest, VisitReport};
use kontor_core::appointment::{Appointment, AppointmentInput};
use kontor_core::geo::Pin;
use kontor_core::mileage::TripInput;
use kontor_core::task::parse_offset;
use kontor_core::Store;

use crate::now;
use crate::output::{out, print_json, write_out, Error, Result};
use crate::parse;

#[derive(Subcommand)]
pub enum AppointmentsCommand {
    /// Add an appointment (reminds at its start, as a task at due, unless --remind or --no-remind says otherwise).
    Add {
        /// What it is.
        #[arg(long)]
        title: String,
        /// Start: RFC 3339, or YYYY-MM-DD for an all-day appointment.
        #[arg(long)]
        start: String,
        /// End: RFC 3339, or YYYY-MM-DD (the last day) for an all-day one; default an hour (a day).
        #[arg(long)]
        end: Option<String>,
        /// With whom (contact id).
        #[arg(long)]
        contact: Option<String>,
        /// At which organisation (id; default the contact's).
        #[arg(long)]
        organization: Option<String>,
        /// About which deal (id).
        #[arg(long)]
        deal: Option<String>,
        /// Where (default the contact's or organisation's address).
        #[arg(long)]
        place: Option<String>,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
        /// A reminder before the start: 0, 15m, 2h, 1d (repeatable).
        #[arg(long = "remind")]
        reminders: Vec<String>,
        /// No reminder.
        #[arg(long, conflicts_with = "reminders")]
        no_remind: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List appointments taking place between two days (inclusive).
    List {
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = parse::date)]
        from: Option<NaiveDate>,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = parse::date)]
        to: Option<NaiveDate>,
        /// Only those with this contact.
        #[arg(long)]
        contact: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move an appointment to another start (its length stays).
    Move {
        /// Appointment id.
        id: String,
        /// New start, RFC 3339.
        #[arg(long, value_parser = parse::time)]
        start: chrono::DateTime<chrono::Utc>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an appointment.
    Delete {
        /// Appointment id.
        id: String,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Write the appointments as an iCalendar file (RFC 5545) for Outlook, Google Calendar or Thunderbird.
    Export {
        /// The .ics file.
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = parse::date)]
        from: Option<NaiveDate>,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = parse::date)]
        to: Option<NaiveDate>,
    },
    /// Import an .ics file's events as appointments (a second import of the same events changes, never doubles).
    Import {
        /// The .ics file.
        file: PathBuf,
        /// Print JSON: {"added","updated","unchanged","rejected":[[line, reason]]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum VisitsCommand {
    /// Plan a day of visits: the stops in the shortest order found, with estimated road km and driving time.
    Plan {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Where the day starts and ends (default: the home address in the settings).
        #[arg(long)]
        start: Option<String>,
        /// How many stops at most (default 6).
        #[arg(long)]
        max: Option<u32>,
        /// Visit these contacts (repeatable; default: the best suggestions).
        #[arg(long = "contact")]
        contacts: Vec<String>,
        /// Put the visits in the calendar as appointments.
        #[arg(long)]
        save: bool,
        /// Print JSON: {"stops":[{"contact_id","organization","address","lat","lon","distance_km",…}],"total_km",…}.
        #[arg(long)]
        json: bool,
    },
    /// Check in at an appointment: the visit starts now.
    CheckIn {
        /// Appointment id.
        id: String,
        /// Where you are (latitude).
        #[arg(long, requires = "lon", allow_hyphen_values = true)]
        lat: Option<f64>,
        /// Where you are (longitude).
        #[arg(long, requires = "lat", allow_hyphen_values = true)]
        lon: Option<f64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check out with the visit report: it becomes a visit on the contact's timeline.
    Report {
        /// Appointment id.
        id: String,
        /// Who took part (repeatable).
        #[arg(long = "attendee")]
        attendees: Vec<String>,
        /// What was talked about.
        #[arg(long, default_value = "")]
        topics: String,
        /// Questions and concerns raised.
        #[arg(long, default_value = "")]
        concerns: String,
        /// Products discussed.
        #[arg(long, default_value = "")]
        products: String,
        /// The next steps agreed.
        #[arg(long, default_value = "")]
        next_steps: String,
        /// A follow-up task with this title (with --next-due).
        #[arg(long, requires = "next_due", conflicts_with = "next_appointment")]
        next_task: Option<String>,
        /// When the follow-up task is due (RFC 3339 or YYYY-MM-DD).
        #[arg(long)]
        next_due: Option<String>,
        /// A follow-up appointment with this title (with --next-start).
        #[arg(long, requires = "next_start")]
        next_appointment: Option<String>,
        /// When the follow-up appointment starts.
        #[arg(long)]
        next_start: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PlacesCommand {
    /// Look up the addresses never asked (one per second; each answer is kept).
    Geocode {
        /// How many addresses at most.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a contact's or organisation's position by hand.
    Pin {
        /// The contact.
        #[arg(long, conflicts_with = "organization", required_unless_present = "organization")]
        contact: Option<String>,
        /// The organisation.
        #[arg(long)]
        organization: Option<String>,
        /// Latitude.
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        /// Longitude.
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
    },
    /// Customers within N km of a contact or an address, nearest first.
    Nearby {
        /// Of this contact.
        #[arg(long, conflicts_with = "address", required_unless_present = "address")]
        contact: Option<String>,
        /// Of this address.
        #[arg(long)]
        address: Option<String>,
        /// Radius in km.
        #[arg(long, default_value_t = 25.0)]
        km: f64,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The export's formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum MileageFormat {
    /// Semicolon-separated, UTF-8 with BOM (German Excel).
    Csv,
    /// A printable document.
    Html,
}

#[derive(Subcommand)]
pub enum MileageCommand {
    /// Add a trip to the log (entries are never changed; correct one with --corrects).
    Add {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Where it started.
        #[arg(long = "from")]
        start: String,
        /// Where it went.
        #[arg(long = "to")]
        destination: String,
        /// Why (required for a business trip).
        #[arg(long, default_value = "")]
        purpose: String,
        /// A business partner visited (repeatable).
        #[arg(long = "partner")]
        partners: Vec<String>,
        /// Odometer at the start (default: where the last trip ended).
        #[arg(long)]
        odometer_start: Option<u32>,
        /// Odometer at the end.
        #[arg(long, conflicts_with = "km")]
        odometer_end: Option<u32>,
        /// Kilometres driven (instead of the end reading).
        #[arg(long)]
        km: Option<u32>,
        /// A private trip.
        #[arg(long)]
        private: bool,
        /// The entry this one corrects (its number).
        #[arg(long)]
        corrects: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the log's entries.
    List {
        /// A month, YYYY-MM.
        #[arg(long, conflicts_with = "year")]
        month: Option<String>,
        /// A year, YYYY.
        #[arg(long)]
        year: Option<i32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a month or a year for the tax office (every entry, corrections and what they correct).
    Export {
        /// A month, YYYY-MM.
        #[arg(long, conflicts_with = "year", required_unless_present = "year")]
        month: Option<String>,
        /// A year, YYYY.
        #[arg(long)]
        year: Option<i32>,
        /// csv or html.
        #[arg(long, value_enum, default_value = "csv")]
        format: MileageFormat,
        /// The file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn ids(s: Option<&str>) -> Result<Option<uuid::Uuid>> {
    s.map(parse::id).transpose()
}

/// Rewrites the calendar file a calendar program may subscribe to (Settings
/// → Field), as the app does after a change; a failure is said, not fatal.
fn refresh_calendar_file(store: &Store) {
    if let Err(e) = field::refresh_calendar_file(store, now()) {
        eprintln!("kontor: cannot write the calendar file: {e}");
    }
}

/// `kontor appointments …`.
pub fn appointments(store: &Store, command: AppointmentsCommand) -> Result {
    let changes = matches!(
        command,
        AppointmentsCommand::Add { .. }
            | AppointmentsCommand::Move { .. }
            | AppointmentsCommand::Delete { .. }
    );
    let result = appointments_command(store, command);
    if changes && result.is_ok() {
        refresh_calendar_file(store);
    }
    result
}

fn appointments_command(store: &Store, command: AppointmentsCommand) -> Result {
    let tz = store.time_zone();
    match command {
        AppointmentsCommand::Add {
            title,
            start,
            end,
            contact,
            organization,
            deal,
            place,
            notes,
            reminders,
            no_remind,
            json,
        } => {
            let reminders = match (reminders.is_empty(), no_remind) {
                (_, true) => Some(Vec::new()),
                (true, false) => None,
                (false, false) => {
                    Some(reminders.iter().map(|r| parse_offset(r)).collect::<kontor_core::Result<Vec<_>>>()?)
                }
            };
            let input = AppointmentInput {
                title,
                start,
                end,
                contact_id: ids(contact.as_deref())?,
                organization_id: ids(organization.as_deref())?,
                deal_id: ids(deal.as_deref())?,
                place,
                notes,
                reminders,
            };
            let a = store.create_appointment(input, tz, now())?;
            if json {
                return print_json(&a);
            }
            print_appointments(store, &[a], false)
        }
        AppointmentsCommand::List { from, to, contact, json } => {
            let list = match contact {
                Some(c) => {
                    let id = parse::id(&c)?;
                    store.contact_appointments(id)?.into_iter().filter(|a| a.within(from, to, tz)).collect()
                }
                None => store.appointments(from, to, tz)?,
            };
            print_appointments(store, &list, json)
        }
        AppointmentsCommand::Move { id, start, json } => {
            let a = store.move_appointment(parse::id(&id)?, start, tz, now())?;
            if json {
                return print_json(&a);
            }
            print_appointments(store, &[a], false)
        }
        AppointmentsCommand::Delete { id } => {
            store.delete_appointment(parse::id(&id)?, now())?;
            Ok(())
        }
    }
}

fn print_appointments(store: &Store, list: &[Appointment], json: bool) -> Result {
    if json {
        return print_json(&list);
    }
    let tz = store.time_zone();
    for a in list {
        let when = if a.all_day {
            let (first, last) = a.days(tz);
            if first == last {
                format!("{first}  all day   ")
            } else {
                format!("{first}–{last}")
            }
        } else {
            let (s, e) = (a.start.with_timezone(&tz), a.end.with_timezone(&tz));
            format!("{} {}–{}", s.format("%Y-%m-%d"), s.format("%H:%M"), e.format("%H:%M"))
        };
        let with =
            a.contact_id.and_then(|c| store.display_name(c)).map(|n| format!("  · {n}")).unwrap_or_default();
        let place = a.place.as_deref().map(|p| format!("  @ {p}")).unwrap_or_default();
        out!("{}  {when}  {}{with}{place}", a.id, a.title);
    }
    if list.is_empty() {
        eprintln!("no appointments");
    }
    Ok(())
}

/// `kontor calendar …`.
pub fn calendar(store: &Store, command: CalendarCommand) -> Result {
    let tz = store.time_zone();
    match command {
        CalendarCommand::Export { out, from, to } => {
            let text = store.export_calendar(from, to, tz, now())?;
            write_out(Some(&out), text.as_bytes())
        }
        CalendarCommand::Import { file, json } => {
            let bytes = std::fs::read(&file).map_err(|e| kontor_core::Error::io(&file, &e))?;
            let text = String::from_utf8(bytes.clone())
                .unwrap_or_else(|_| bytes.iter().map(|&b| char::from(b)).collect());
            let report = store.import_calendar(&text, tz, now())?;
            refresh_calendar_file(store);
            if json {
                return print_json(&report);
            }
            out!("{} added, {} updated, {} unchanged", report.added, report.updated, report.unchanged);
            for (line, why) in &report.rejected {
                eprintln!("line {line}: {why}");
            }
            Ok(())
        }
    }
}

/// `kontor visits …`.
pub fn visits(store: &Store, command: VisitsCommand) -> Result {
    let language = store.language();
    match command {
        VisitsCommand::Plan { date, start, max, contacts, save, json } => {
            let contact_ids = if contacts.is_empty() {
                None
            } else {
                Some(contacts.iter().map(|c| parse::id(c)).collect::<Result<Vec<_>>>()?)
            };
            let request = PlanRequest { date, start, max, contact_ids };
            let geocoder = field::geocoder(store);
            let planning = field::plan_visits(store, &request, geocoder.as_ref(), now())?;
            let plan = planning.plan;
            if save {
                field::save_plan(store, &plan, language, now())?;
                refresh_calendar_file(store);
            }
            if json {
                return print_json(&plan);
            }
            let tz = store.time_zone();
            out!(
                "{} from {} (road km estimated: straight line × {})",
                plan.date,
                plan.start_address,
                plan.road_factor
            );
            for (i, s) in plan.stops.iter().enumerate() {
                let fits = if s.fits { "" } else { "  (after the working day)" };
                out!(
                    "{:>2}. {}–{}  {:<28} {:>6.1} km  {}{fits}",
                    i + 1,
                    s.arrive.with_timezone(&tz).format("%H:%M"),
                    s.leave.with_timezone(&tz).format("%H:%M"),
                    s.who.label(),
                    s.distance_km,
                    s.who.address.as_deref().unwrap_or("")
                );
            }
            out!(
                "total {:.1} km (back {:.1} km), about {} h {:02} min driving",
                plan.total_km,
                plan.return_km,
                plan.driving_minutes / 60,
                plan.driving_minutes % 60
            );
            out!("{}", plan.directions_url);
            Ok(())
        }
        VisitsCommand::CheckIn { id, lat, lon, json } => {
            let a = field::check_in(store, parse::id(&id)?, lat.zip(lon), now())?;
            if json {
                return print_json(&a);
            }
            out!("checked in at {}", a.title);
            Ok(())
        }
        VisitsCommand::Report {
            id,
            attendees,
            topics,
            concerns,
            products,
            next_steps,
            next_task,
            next_due,
            next_appointment,
            next_start,
            json,
        } => {
            let follow_up = match (next_task, next_due, next_appointment, next_start) {
                (Some(title), Some(due), _, _) => Some(FollowUp::Task { title, due }),
                (_, _, Some(title), Some(start)) => Some(FollowUp::Appointment { title, start }),
                _ => None,
            };
            let report = VisitReport { attendees, topics, concerns, products, next_steps, follow_up };
            let done = field::check_out(store, parse::id(&id)?, &report, language, now())?;
            refresh_calendar_file(store);
            if json {
                return print_json(&done);
            }
            out!("visit reported: activity {}", done.activity_id);
            Ok(())
        }
    }
}

/// `kontor places …`.
pub fn places(store: &Store, command: PlacesCommand) -> Result {
    match command {
        PlacesCommand::Geocode { limit, json } => {
            let geocoder = field::geocoder(store).ok_or_else(|| {
                Error::Output(
                    "geocoding is off (Settings → Field); set KONTOR_GEOCODER_URL to use an endpoint".into(),
                )
            })?;
            let report = store.geocode_missing(&geocoder, limit, now, |r| {
                if !json {
                    eprint!("\r{} asked, {} found", r.asked, r.found);
                }
            })?;
            if json {
                return print_json(&report);
            }
            eprintln!();
            out!(
                "{} asked, {} found, {} unknown, {} waiting",
                report.asked,
                report.found,
                report.not_found,
                report.waiting
            );
            if let Some(why) = report.stopped {
                eprintln!("stopped: {why}");
            }
            Ok(())
        }
        PlacesCommand::Pin { contact, organization, lat, lon } => {
            let pin = Pin::new(lat, lon)?;
            if let Some(c) = contact {
                let id = parse::id(&c)?;
                kontor_core::api::contacts::pin_contact(store, id, Some(pin), now())?;
            } else if let Some(o) = organization {
                let id = parse::id(&o)?;
                kontor_core::api::contacts::pin_organization(store, id, Some(pin), now())?;
            }
            Ok(())
        }
        PlacesCommand::Nearby { contact, address, km, limit, json } => {
            let id = contact.as_deref().map(parse::id).transpose()?;
            let of = match (id, address.as_deref()) {
                (Some(id), _) => field::NearbyOf::Contact(id),
                (None, Some(a)) => field::NearbyOf::Address(a),
                (None, None) => unreachable!("clap requires one"),
            };
            let geocoder = field::geocoder(store);
            let list = field::nearby(store, of, km, limit, geocoder.as_ref(), now())?;
            if json {
                return print_json(&list);
            }
            for n in &list {
                out!(
                    "{:>6.1} km  {}  {}{}",
                    n.distance_km,
                    n.who.contact_id,
                    n.who.name,
                    n.who.organization.as_deref().map(|o| format!(" · {o}")).unwrap_or_default()
                );
            }
            if list.is_empty() {
                eprintln!("nobody within {km} km");
            }
            Ok(())
        }
    }
}

/// A month "YYYY-MM" or a year as its first and last day.
fn period(month: Option<&str>, year: Option<i32>) -> Result<(Option<NaiveDate>, Option<NaiveDate>, String)> {
    if let Some(m) = month {
        let first = NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d")
            .map_err(|_| Error::Output(format!("{m:?} is not a month YYYY-MM")))?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        };
        let last = next.and_then(|n| n.pred_opt()).unwrap_or(first);
        return Ok((Some(first), Some(last), first.format("%m/%Y").to_string()));
    }
    if let Some(y) = year {
        let first =
            NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| Error::Output(format!("{y} is no year")))?;
        return Ok((Some(first), NaiveDate::from_ymd_opt(y, 12, 31), y.to_string()));
    }
    Ok((None, None, String::new()))
}

/// `kontor mileage …`.
pub fn mileage(store: &Store, command: MileageCommand) -> Result {
    let tz = store.time_zone();
    match command {
        MileageCommand::Add {
            date,
            start,
            destination,
            purpose,
            partners,
            odometer_start,
            odometer_end,
            km,
            private,
            corrects,
            json,
        } => {
            let input = TripInput {
                date,
                start_address: start,
                destination,
                purpose,
                partners,
                odometer_start,
                odometer_end,
                km,
                private,
                corrects,
            };
            let trip = store.add_trip(input, now())?;
            if json {
                return print_json(&trip);
            }
            out!("entry {}: {} km ({} → {})", trip.number, trip.km(), trip.odometer_start, trip.odometer_end);
            Ok(())
        }
        MileageCommand::List { month, year, json } => {
            let (from, to, _) = period(month.as_deref(), year)?;
            let trips = store.trips(from, to)?;
            if json {
                return print_json(&trips);
            }
            for t in &trips {
                let fix = t.corrects.map(|n| format!("  (corrects {n})")).unwrap_or_default();
                let kind = if t.private { "private " } else { "business" };
                out!(
                    "{:>4}  {}  {kind}  {:>7} → {:>7}  {:>5} km  {}{fix}",
                    t.number,
                    t.date,
                    t.odometer_start,
                    t.odometer_end,
                    t.km(),
                    t.destination
                );
            }
            Ok(())
        }
        MileageCommand::Export { month, year, format, out } => {
            let (from, to, title) = period(month.as_deref(), year)?;
            let trips = store.trips(from, to)?;
            let bytes = match format {
                MileageFormat::Csv => kontor_core::mileage::to_csv(&trips, tz),
                MileageFormat::Html => {
                    let field = store.settings().field;
                    kontor_core::mileage::to_html(&trips, &title, &field.driver, &field.vehicle, tz)
                        .into_bytes()
                }
            };
            write_out(out.as_deref(), &bytes)
        }
    }
}

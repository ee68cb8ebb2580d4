//! The field day on a real store: appointments and their reminders, the
//! calendar file both ways, geocoding against a Nominatim look-alike on the
//! loopback interface, nearby customers and the day plan, check-in and the
//! visit report, the mileage log, and all of it through a backup and an
//! erasure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::api::field::{self, FollowUp, PlanRequest, VisitReport};
use kontor_core::appointment::AppointmentInput;
use kontor_core::geo::{Geocoder, Located, Pin};
use kontor_core::mileage::TripInput;
use kontor_core::reminders::{run_pass, Notice, Notifier};
use kontor_core::{ActivityKind, ActivityQuery, Address, ChangedBy, ContactInput, Error, Store};
use uuid::Uuid;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Berlin.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    at(2026, 12, 7, 8, 0)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_time_zone(Berlin);
    (dir, store)
}

fn person(store: &Store, first: &str, last: &str, org: &str, email: &str, address: Address) -> Uuid {
    let input = ContactInput {
        first_name: first.into(),
        last_name: last.into(),
        organization: Some(org.into()),
        emails: vec![email.into()],
        address,
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, now()).unwrap().id
}

fn pinned(store: &Store, name: &str, lat: f64, lon: f64) -> Uuid {
    let address = Address { pin: Some(Pin::new(lat, lon).unwrap()), ..Default::default() };
    person(
        store,
        name,
        "Kunde",
        &format!("{name} GmbH"),
        &format!("{}@example.com", name.to_lowercase()),
        address,
    )
}

/// An appointment reminding 15 minutes before (all day: before 09:00).
fn appointment(title: &str, start: &str, end: &str, contact: Option<Uuid>) -> AppointmentInput {
    AppointmentInput {
        title: title.into(),
        start: start.into(),
        end: Some(end.into()),
        contact_id: contact,
        reminders: Some(vec![15]),
        ..Default::default()
    }
}

#[derive(Default)]
struct Recorder(std::cell::RefCell<Vec<Notice>>);

impl Notifier for Recorder {
    fn notify(&self, notice: &Notice) {
        self.0.borrow_mut().push(notice.clone());
    }
}

#[test]
fn an_appointment_lists_on_its_days_reminds_once_with_whom_and_where_and_moves_with_its_reminder() {
    let (_dir, store) = store();
    let zora = person(
        &store,
        "Zora",
        "Zander",
        "Elb Brauerei",
        "zora@elb.de",
        Address {
            street: Some("Elbchaussee 1".into()),
            postcode: Some("22763".into()),
            city: Some("Hamburg".into()),
            ..Default::default()
        },
    );
    let visit = store
        .create_appointment(
            appointment("Besuch", "2026-12-09T10:00:00+01:00", "2026-12-09T11:30:00+01:00", Some(zora)),
            Berlin,
            now(),
        )
        .unwrap();
    // Place and organisation come from the contact.
    assert_eq!(visit.place.as_deref(), Some("Elbchaussee 1, 22763 Hamburg"));
    assert!(visit.organization_id.is_some());
    let fair =
        AppointmentInput { end: Some("2026-12-11".into()), ..appointment("Messe", "2026-12-10", "", None) };
    store.create_appointment(fair, Berlin, now()).unwrap();
    let titles = |from, to| -> Vec<String> {
        store.appointments(Some(from), Some(to), Berlin).unwrap().into_iter().map(|a| a.title).collect()
    };
    assert_eq!(titles(day(2026, 12, 9), day(2026, 12, 9)), ["Besuch"]);
    assert_eq!(titles(day(2026, 12, 11), day(2026, 12, 12)), ["Messe"], "the fair's second day");
    assert_eq!(titles(day(2026, 12, 8), day(2026, 12, 11)), ["Besuch", "Messe"]);
    assert!(titles(day(2026, 12, 12), day(2026, 12, 31)).is_empty());

    // 15 minutes before: one notice that names the contact, the time and the place.
    let recorder = Recorder::default();
    assert_eq!(run_pass(&store, &recorder, true, at(2026, 12, 9, 9, 44), None).unwrap().0, 0);
    let (fired, next) = run_pass(&store, &recorder, true, at(2026, 12, 9, 9, 45), None).unwrap();
    assert_eq!(fired, 1);
    let shown = recorder.0.borrow().clone();
    let [Notice::Appointment(due)] = &shown[..] else { panic!("one appointment notice: {shown:?}") };
    let (title, body) = shown[0].texts(kontor_core::Language::De, Berlin);
    assert_eq!(title, "Besuch");
    assert!(
        body.contains("Zora Zander · Elb Brauerei") && body.contains("Beginn: 09.12.2026 10:00"),
        "{body}"
    );
    assert!(body.contains("Elbchaussee 1"), "{body}");
    assert_eq!(due.appointment.id, visit.id);
    // The fair's reminder is next (09:00 on its first day, minus 15 minutes).
    assert_eq!(next, Some(at(2026, 12, 10, 8, 45)));
    assert_eq!(run_pass(&store, &recorder, true, at(2026, 12, 9, 9, 50), None).unwrap().0, 0, "never twice");

    // Moved a day on: its reminder moves with it, and fires again there.
    let moved = store.move_appointment(visit.id, at(2026, 12, 10, 14, 0), Berlin, now()).unwrap();
    assert_eq!(moved.end - moved.start, chrono::Duration::minutes(90));
    assert_eq!(moved.sequence, 1);
    assert!(!moved.reminders[0].fired);
    assert_eq!(
        run_pass(&store, &recorder, true, at(2026, 12, 10, 13, 45), None).unwrap().0,
        2,
        "the fair's and the visit's"
    );
}

#[test]
fn the_calendar_file_parses_with_python_icalendar_and_comes_back_unchanged_through_kontors_import() {
    let (_dir, store) = store();
    let zora = person(&store, "Zora", "Zander", "Elb Brauerei", "zora@elb-brauerei.de", Address::default());
    let input = AppointmentInput {
        place: Some("Brauereiweg 5, 21073 Hamburg".into()),
        notes: Some("Schankanlage; Wartung, \"Angebot\" mitnehmen\nzweite Zeile".into()),
        reminders: Some(vec![15, 60]),
        ..appointment(
            "Vorführung: Elb, Schankanlage",
            "2026-12-09T10:00:00+01:00",
            "2026-12-09T11:30:00+01:00",
            Some(zora),
        )
    };
    let a = store.create_appointment(input, Berlin, now()).unwrap();
    let fair = AppointmentInput {
        end: Some("2027-04-23".into()),
        ..appointment("Messe Hannover", "2027-04-20", "", None)
    };
    store.create_appointment(fair, Berlin, now()).unwrap();
    let text = store.export_calendar(None, None, Berlin, now()).unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &text).unwrap();
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(json.dumps([{'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'start': e.decoded('DTSTART').isoformat(),
  'end': e.decoded('DTEND').isoformat(), 'description': str(e.get('DESCRIPTION', '')), 'stamp': 'DTSTAMP' in e,
  'alarms': sorted(int(-a.decoded('TRIGGER').total_seconds() // 60) for a in e.walk('VALARM'))} for e in cal.walk('VEVENT')]))
"#;
    let out = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(file.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "python icalendar: {}", String::from_utf8_lossy(&out.stderr));
    let events: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let visit =
        events.as_array().unwrap().iter().find(|e| e["uid"] == a.uid.as_str()).expect("the visit by its UID");
    assert_eq!(visit["summary"], "Vorführung: Elb, Schankanlage");
    assert_eq!(visit["start"], "2026-12-09T10:00:00+01:00");
    assert_eq!(visit["end"], "2026-12-09T11:30:00+01:00");
    assert_eq!(visit["description"], "Schankanlage; Wartung, \"Angebot\" mitnehmen\nzweite Zeile");
    assert_eq!(visit["alarms"], serde_json::json!([15, 60]));
    assert_eq!(visit["stamp"], true);
    let fair = events.as_array().unwrap().iter().find(|e| e["summary"] == "Messe Hannover").unwrap();
    assert_eq!((fair["start"].as_str(), fair["end"].as_str()), (Some("2027-04-20"), Some("2027-04-24")));

    // The same UIDs on a second export; into another store and out again: the same events.
    assert_eq!(text, store.export_calendar(None, None, Berlin, now()).unwrap());
    let (_dir2, other) = store_with_contact("zora@elb-brauerei.de");
    let report = other.import_calendar(&text, Berlin, now()).unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (2, 0, 0));
    assert_eq!(other.export_calendar(None, None, Berlin, now()).unwrap(), text);
    let again = other.import_calendar(&text, Berlin, now()).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 2), "no doubles by UID");
    assert_eq!(other.appointments(None, None, Berlin).unwrap().len(), 2);
}

fn store_with_contact(email: &str) -> (tempfile::TempDir, Store) {
    let (dir, store) = store();
    person(&store, "Zora", "Zander", "Elb Brauerei", email, Address::default());
    (dir, store)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/ics/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn outlook_and_google_calendars_import_with_attendees_matched_to_contacts_and_a_changed_event_updates() {
    let (_dir, store) = store();
    let anna =
        person(&store, "Anna", "Schmidt", "Müller AG", "Anna.Schmidt@mueller-ag.de", Address::default());
    let zora = person(&store, "Zora", "Zander", "Elb Brauerei", "zora@elb-brauerei.de", Address::default());
    let outlook = store.import_calendar(&fixture("outlook.ics"), Berlin, now()).unwrap();
    assert_eq!(outlook.added, 3, "{outlook:?}");
    let google = store.import_calendar(&fixture("google.ics"), Berlin, now()).unwrap();
    assert_eq!(google.added, 2, "{google:?}");
    assert_eq!(google.rejected.len(), 1, "the cancelled event, with its line: {google:?}");
    let all = store.appointments(None, None, Berlin).unwrap();
    let by_title =
        |t: &str| all.iter().find(|a| a.title.starts_with(t)).unwrap_or_else(|| panic!("{t} in {all:?}"));
    assert_eq!(by_title("Besprechung Müller").contact_id, Some(anna), "matched by email, case aside");
    assert_eq!(by_title("Vorführung").contact_id, Some(zora));
    assert_eq!(
        by_title("Besprechung Müller").start,
        at(2026, 12, 8, 10, 0),
        "W. Europe Standard Time is Berlin"
    );
    // The organiser moves the Outlook meeting: the next import updates it, doubling nothing.
    let moved = fixture("outlook.ics")
        .replace(
            "DTSTART;TZID=W. Europe Standard Time:20261208T100000",
            "DTSTART;TZID=W. Europe Standard Time:20261208T140000",
        )
        .replace(
            "DTEND;TZID=W. Europe Standard Time:20261208T113000",
            "DTEND;TZID=W. Europe Standard Time:20261208T153000",
        );
    assert_ne!(moved, fixture("outlook.ics"), "the fixture holds the times replaced");
    let again = store.import_calendar(&moved, Berlin, now()).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 1, 2));
    let after = store.appointments(None, None, Berlin).unwrap();
    assert_eq!(after.len(), 5);
    let meeting = after.iter().find(|a| a.title.starts_with("Besprechung Müller")).unwrap();
    assert_eq!(meeting.start, at(2026, 12, 8, 14, 0));
    assert_eq!(meeting.contact_id, Some(anna));
}

/// A Nominatim look-alike on the loopback interface: answers `/search`
/// from `places` (query substring → coordinates), records each request's
/// time, query and User-Agent; `status` other than 200 answers that.
struct FakeNominatim {
    url: String,
    seen: Arc<Mutex<Vec<(Instant, String, String)>>>,
}

fn fake_nominatim(places: &'static [(&'static str, f64, f64)], status: u16, stall: bool) -> FakeNominatim {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut agent = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("user-agent:") {
                    agent = v.trim().to_owned();
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default().to_owned();
            let query = path.split("q=").nth(1).unwrap_or_default().split('&').next().unwrap_or_default();
            let query = percent_decode(query).to_lowercase();
            log.lock().unwrap().push((Instant::now(), query.clone(), agent));
            if stall {
                std::thread::sleep(Duration::from_secs(3));
                continue;
            }
            let body = match places.iter().find(|(k, _, _)| query.contains(k)) {
                Some((k, lat, lon)) => {
                    format!(r#"[{{"place_id":1,"lat":"{lat}","lon":"{lon}","display_name":"{k}"}}]"#)
                }
                None => "[]".to_owned(),
            };
            let reason = if status == 200 { "OK" } else { "Error" };
            let _ = write!(stream, "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            let _ = stream.flush();
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        }
    });
    FakeNominatim { url, seen }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn addressed(store: &Store, name: &str, street: &str, postcode: &str) -> Uuid {
    let address = Address {
        street: Some(street.into()),
        postcode: Some(postcode.into()),
        city: Some("Hamburg".into()),
        ..Default::default()
    };
    person(
        store,
        name,
        "Kunde",
        &format!("{name} GmbH"),
        &format!("{}@example.com", name.to_lowercase()),
        address,
    )
}

const HAMBURG: [(&str, f64, f64); 3] =
    [("elbchaussee", 53.5456, 9.9314), ("hafenstr", 53.5436, 9.9701), ("bergedorfer", 53.4889, 10.2119)];

#[test]
fn geocoding_asks_each_address_once_a_second_names_kontor_and_keeps_unknown_ones_too() {
    let server = fake_nominatim(&HAMBURG, 200, false);
    let (_dir, store) = store();
    addressed(&store, "Elb", "Elbchaussee 1", "22763");
    addressed(&store, "Hafen", "Hafenstraße 1", "20457");
    addressed(&store, "Berg", "Bergedorfer Str. 9", "21029");
    addressed(&store, "Nirgends", "Nirgendweg 7", "22767");
    // The same address written differently is asked once.
    person(
        &store,
        "Zweite",
        "Elb",
        "Elb GmbH",
        "zweite@elb.de",
        Address {
            street: Some("elbchaussee 1".into()),
            postcode: Some("22763".into()),
            city: Some("HAMBURG".into()),
            ..Default::default()
        },
    );
    let geocoder = Geocoder::new(&server.url, "9.9.9");
    let report = store.geocode_missing(&geocoder, 100, now, |_| {}).unwrap();
    assert_eq!((report.asked, report.found, report.not_found, report.waiting), (4, 3, 1, 0), "{report:?}");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    for pair in seen.windows(2) {
        assert!(pair[1].0 - pair[0].0 >= Duration::from_millis(990), "at most one request per second");
    }
    assert!(seen.iter().all(|(_, _, agent)| agent.starts_with("kontor/9.9.9")), "{seen:?}");
    // Asked once: a second run asks nothing, "not found" included.
    let again = store.geocode_missing(&geocoder, 100, now, |_| {}).unwrap();
    assert_eq!(again.asked, 0);
    assert_eq!(server.seen.lock().unwrap().len(), 4);
    assert_eq!(store.cached_position("Nirgendweg 7, 22767 Hamburg").unwrap(), Some(None));

    // Offline: the nearby list still works from the cache, and a contact
    // without a known position is placed by its postcode area.
    let hafen = store.cached_position("Hafenstraße 1, 20457 Hamburg").unwrap().unwrap().unwrap();
    let near = store.nearby(hafen.point(), 10.0, 10, None, &store.postcodes().unwrap()).unwrap();
    let names: Vec<(&str, Located)> = near.iter().map(|n| (n.who.name.as_str(), n.who.located)).collect();
    assert_eq!(names[0], ("Hafen Kunde", Located::Address));
    assert!(names.contains(&("Nirgends Kunde", Located::Postcode)), "22767 sits beside 22763: {names:?}");
    assert!(!names.iter().any(|(n, _)| *n == "Berg Kunde"), "Bergedorf is ~17 km away: {names:?}");
    assert!(near.windows(2).all(|w| w[0].distance_km <= w[1].distance_km));
}

#[test]
fn a_refusing_or_silent_geocoder_stops_the_run_keeps_what_was_found_and_caches_no_failure() {
    let refusing = fake_nominatim(&HAMBURG, 429, false);
    let (_dir, store) = store();
    addressed(&store, "Elb", "Elbchaussee 1", "22763");
    addressed(&store, "Hafen", "Hafenstraße 1", "20457");
    let report = store.geocode_missing(&Geocoder::new(&refusing.url, "1"), 100, now, |_| {}).unwrap();
    assert_eq!((report.asked, report.waiting), (0, 2));
    assert!(report.stopped.as_deref().is_some_and(|w| w.contains("429")), "{report:?}");
    assert_eq!(
        store.cached_position("Elbchaussee 1, 22763 Hamburg").unwrap(),
        None,
        "a failure is not an answer"
    );
    let silent = fake_nominatim(&HAMBURG, 200, true);
    let started = Instant::now();
    let geocoder = Geocoder::new(&silent.url, "1").with_timeout(Duration::from_millis(500));
    let err = geocoder.lookup("Elbchaussee 1, 22763 Hamburg").unwrap_err();
    assert!(matches!(err, Error::Geocoding(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "the time limit holds");
    // Nobody listening (offline).
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let err = Geocoder::new(&format!("http://{closed}"), "1").lookup("Elbchaussee 1").unwrap_err();
    assert_eq!(err.code(), kontor_core::ErrorCode::Geocoding);
}

#[test]
fn a_day_plan_orders_known_stops_shortest_fits_around_an_appointment_and_becomes_appointments() {
    let (_dir, store) = store();
    // On one parallel east of the start, entered out of order: the shortest
    // round trip visits them west to east and back (or the reverse).
    let c = pinned(&store, "Cee", 53.55, 10.60);
    let a = pinned(&store, "Aah", 53.55, 10.20);
    let b = pinned(&store, "Bee", 53.55, 10.40);
    store
        .cache_position("Büro, Jungfernstieg 1, 20354 Hamburg", Some(Pin::new(53.55, 10.0).unwrap()), now())
        .unwrap();
    store
        .create_appointment(
            appointment("Jour fixe", "2026-12-09T08:00:00+01:00", "2026-12-09T10:00:00+01:00", None),
            Berlin,
            now(),
        )
        .unwrap();
    let request = PlanRequest {
        date: "2026-12-09".into(),
        start: Some("Büro, Jungfernstieg 1, 20354 Hamburg".into()),
        max: None,
        contact_ids: Some(vec![c, a, b]),
    };
    let planning = field::plan_visits(&store, &request, None, now()).unwrap();
    let plan = &planning.plan;
    let order: Vec<Uuid> = plan.stops.iter().map(|s| s.who.contact_id).collect();
    assert!(order == [a, b, c] || order == [c, b, a], "{order:?}");
    let legs: f64 = plan.stops.iter().map(|s| s.distance_km).sum::<f64>() + plan.return_km;
    assert!((legs - plan.total_km).abs() < 0.15);
    assert!((plan.total_km - 2.0 * 39.6 * 1.3).abs() < 2.0, "{}", plan.total_km);
    assert!(
        plan.stops[0].arrive >= at(2026, 12, 9, 10, 0),
        "after the Jour fixe: {:?}",
        plan.stops[0].arrive
    );
    assert!(plan.directions_url.starts_with("https://map.project-osrm.org/"), "{}", plan.directions_url);
    assert!(plan.stops.iter().all(|s| s.geo.starts_with("geo:53.55")));
    let saved = field::save_plan(&store, plan, kontor_core::Language::De, now()).unwrap();
    assert_eq!(saved.len(), 3);
    let day = store.appointments(Some(day(2026, 12, 9)), Some(day(2026, 12, 9)), Berlin).unwrap();
    let titles: Vec<&str> = day.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles.contains(&"Besuch: Aah GmbH"), "{titles:?}");

    // Without a list: the suggestions, tasks due first (becoming a
    // prospect gave Aah a first-call task), never a lead.
    let to_prospect =
        kontor_core::StageChangeRequest { to: kontor_core::Stage::Prospect, reason: None, force: false };
    store.change_stage(a, &to_prospect, ChangedBy::Hand, now()).unwrap();
    let task = kontor_core::TaskInput {
        title: "Besuch vereinbaren".into(),
        due: "2026-12-08".into(),
        contact_id: Some(c),
        ..Default::default()
    };
    store.create_task(task, Berlin, now()).unwrap();
    let auto =
        field::plan_visits(&store, &PlanRequest { contact_ids: None, max: Some(2), ..request }, None, now())
            .unwrap();
    assert_eq!(auto.plan.stops.len(), 2);
    let reasons: Vec<(Uuid, &kontor_core::plan::VisitReason)> =
        auto.plan.stops.iter().map(|s| (s.who.contact_id, &s.reason)).collect();
    assert!(
        reasons.iter().any(|(id, r)| *id == c && matches!(r, kontor_core::plan::VisitReason::TaskDue { .. })),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|(id, _)| *id == a), "{reasons:?}");
    assert!(!auto.suggestions.iter().any(|s| s.who.contact_id == b), "a lead is not suggested");
}

#[test]
fn check_in_and_the_visit_report_become_a_visit_on_the_timeline_and_its_follow_up_task() {
    let (_dir, store) = store();
    let zora = pinned(&store, "Zora", 53.55, 9.93);
    let a = store
        .create_appointment(
            appointment("Besuch Elb", "2026-12-09T10:00:00+01:00", "2026-12-09T11:00:00+01:00", Some(zora)),
            Berlin,
            now(),
        )
        .unwrap();
    let checked_in = field::check_in(&store, a.id, Some((53.5501, 9.9302)), at(2026, 12, 9, 10, 4)).unwrap();
    assert_eq!(checked_in.visit.checked_in_at, Some(at(2026, 12, 9, 10, 4)));
    let report = VisitReport {
        attendees: vec!["Zora Zander".into(), "Ben Adler (Technik)".into()],
        topics: "Schankanlage, Wartungsvertrag".into(),
        concerns: "Lieferzeit der Kühlung?".into(),
        products: "Schankanlage S2".into(),
        next_steps: "Angebot bis Freitag".into(),
        follow_up: Some(FollowUp::Task { title: "Angebot schicken".into(), due: "2026-12-11".into() }),
    };
    let done =
        field::check_out(&store, a.id, &report, kontor_core::Language::De, at(2026, 12, 9, 11, 10)).unwrap();
    let timeline = store
        .list_activities(
            zora,
            &ActivityQuery { kinds: Some(vec![ActivityKind::Visit]), offset: 0, limit: 10 },
        )
        .unwrap();
    let visit = timeline.items.iter().find(|x| x.id == done.activity_id).expect("the visit on the timeline");
    assert_eq!(visit.at, at(2026, 12, 9, 10, 4), "from check-in");
    let text = visit.text.clone().unwrap_or_default();
    assert!(
        text.contains("Teilnehmer: Zora Zander, Ben Adler (Technik)")
            && text.contains("Produkte: Schankanlage S2"),
        "{text}"
    );
    assert!(text.contains("Dauer: 10:04–11:10 (66 min)"), "{text}");
    assert_eq!(visit.concerns.as_deref(), Some("Lieferzeit der Kühlung?"));
    let tasks = store.contact_tasks(zora).unwrap();
    assert!(tasks.iter().any(|t| Some(t.id) == done.task_id && t.title == "Angebot schicken"));
    assert!(
        matches!(
            field::check_out(&store, a.id, &report, kontor_core::Language::De, now()),
            Err(Error::InvalidInput { .. })
        ),
        "reported once"
    );
}

#[test]
fn the_mileage_log_only_grows_and_a_correction_shows_beside_what_it_corrects() {
    let (_dir, store) = store();
    let trip = |date: &str, start: Option<u32>, km: u32| TripInput {
        date: date.into(),
        start_address: "Büro, Hamburg".into(),
        destination: "Elb Brauerei, Hamburg".into(),
        purpose: "Kundenbesuch".into(),
        partners: vec!["Elb Brauerei".into()],
        odometer_start: start,
        km: Some(km),
        ..Default::default()
    };
    let first = store.add_trip(trip("2026-12-01", Some(10_000), 50), now()).unwrap();
    let second = store.add_trip(trip("2026-12-02", None, 30), now()).unwrap();
    assert_eq!((second.number, second.odometer_start, second.odometer_end), (2, 10_050, 10_080));
    assert!(
        store.add_trip(trip("2026-12-03", Some(10_060), 5), now()).is_err(),
        "the odometer never goes back"
    );
    let fix = TripInput { corrects: Some(1), ..trip("2026-12-01", Some(10_000), 42) };
    store.add_trip(fix, now()).unwrap();
    let december = store.trips(Some(day(2026, 12, 1)), Some(day(2026, 12, 31))).unwrap();
    assert_eq!(december.len(), 3);
    assert_eq!(december[0], first, "the corrected entry is unchanged");
    let csv = String::from_utf8(kontor_core::mileage::to_csv(&december, Berlin)).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    for column in [
        "Datum",
        "Reiseziel",
        "Reisezweck",
        "Aufgesuchte Geschäftspartner",
        "km-Stand Beginn",
        "km-Stand Ende",
        "Gefahrene km",
        "Privatfahrt",
    ] {
        assert!(headers.iter().any(|h| h == column), "{column} in {headers:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][12], "3", "entry 1 says entry 3 corrects it");
    assert_eq!(&rows[2][11], "1");
    assert_eq!(kontor_core::mileage::totals(&december), (72, 0));
    // The next trip carries on from the latest versions: 10,080.
    assert_eq!(store.last_odometer().unwrap(), Some(10_080));
}

#[test]
fn appointments_and_the_mileage_log_go_through_a_backup_and_an_erasure_takes_the_persons_appointments() {
    let (_dir, store) = store();
    let zora = pinned(&store, "Zora", 53.55, 9.93);
    let other = pinned(&store, "Otto", 53.56, 9.94);
    store
        .create_appointment(
            appointment("Besuch Zora", "2026-12-09T10:00:00+01:00", "2026-12-09T11:00:00+01:00", Some(zora)),
            Berlin,
            now(),
        )
        .unwrap();
    store
        .create_appointment(
            appointment("Besuch Otto", "2026-12-09T12:00:00+01:00", "2026-12-09T13:00:00+01:00", Some(other)),
            Berlin,
            now(),
        )
        .unwrap();
    let trip = TripInput {
        date: "2026-12-09".into(),
        start_address: "Büro".into(),
        destination: "Kunden".into(),
        purpose: "Besuche".into(),
        odometer_start: Some(1_000),
        km: Some(25),
        ..Default::default()
    };
    store.add_trip(trip, now()).unwrap();
    let (manifest, data) = store.backup("test", now()).unwrap();
    assert_eq!((manifest.counts.appointments, manifest.counts.trips), (2, 1));
    assert_eq!(manifest.format_version, 2);
    let export = store.person_export(zora, now()).unwrap();
    assert_eq!(export.appointments.len(), 1);
    store.erase_person(zora, now()).unwrap();
    let left: Vec<String> =
        store.appointments(None, None, Berlin).unwrap().into_iter().map(|a| a.title).collect();
    assert_eq!(left, ["Besuch Otto"]);
    assert_eq!(store.trips(None, None).unwrap().len(), 1, "the log stays (retention)");

    let (_dir2, fresh) = self::store();
    let counts = fresh.restore(&manifest, &data, false, now()).unwrap();
    assert_eq!((counts.appointments, counts.trips), (2, 1));
    assert_eq!(fresh.appointments(Some(day(2026, 12, 9)), Some(day(2026, 12, 9)), Berlin).unwrap().len(), 2);
    // The restored reminders are queued again.
    let recorder = Recorder::default();
    assert_eq!(run_pass(&fresh, &recorder, true, at(2026, 12, 9, 9, 45), None).unwrap().0, 1);
    // And the erased person stays out of a restore into the store that erased them.
    store.restore(&manifest, &data, true, now()).unwrap();
    let titles: Vec<String> =
        store.appointments(None, None, Berlin).unwrap().into_iter().map(|a| a.title).collect();
    assert_eq!(titles, ["Besuch Otto"]);
}

#[test]
fn customers_are_suggested_when_their_last_visit_is_longer_ago_than_their_stages_interval() {
    let (_dir, store) = store();
    let long_ago = pinned(&store, "Lang", 53.56, 10.0);
    let recently = pinned(&store, "Neu", 53.57, 10.0);
    for id in [long_ago, recently] {
        let to = kontor_core::StageChangeRequest {
            to: kontor_core::Stage::Customer,
            reason: Some("Bestandskunde".into()),
            force: true,
        };
        store.change_stage(id, &to, ChangedBy::Hand, now()).unwrap();
    }
    for (id, days) in [(long_ago, 100), (recently, 10)] {
        let visit = kontor_core::ActivityInput {
            kind: ActivityKind::Visit,
            at: Some(now() - chrono::Duration::days(days)),
            summary: Some("Besuch".into()),
            text: None,
            outcome: None,
            concerns: None,
        };
        store.log_activity(id, visit, now()).unwrap();
    }
    let found = field::suggestions(
        &store,
        day(2026, 12, 9),
        kontor_core::route::Point { lat: 53.55, lon: 10.0 },
        now(),
    )
    .unwrap();
    let reason = |id| found.iter().find(|c| c.who.contact_id == id).map(|c| c.reason.clone());
    assert_eq!(
        reason(long_ago),
        Some(kontor_core::plan::VisitReason::NotVisited { days: Some(100) }),
        "{found:?}"
    );
    assert!(
        !matches!(reason(recently), Some(kontor_core::plan::VisitReason::NotVisited { .. })),
        "{found:?}"
    );
}

#[test]
fn the_calendar_file_named_in_the_settings_is_rewritten_with_every_appointment() {
    let (dir, store) = store();
    let file = dir.path().join("abo").join("Kontor.ics");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    assert_eq!(field::refresh_calendar_file(&store, now()).unwrap(), None, "no file named: none written");
    let mut settings = store.settings();
    settings.field.calendar_file = file.display().to_string();
    store.set_settings(&settings, now()).unwrap();
    let a = store
        .create_appointment(
            appointment("Besuch", "2026-12-09T10:00:00+01:00", "2026-12-09T11:00:00+01:00", None),
            Berlin,
            now(),
        )
        .unwrap();
    assert_eq!(field::refresh_calendar_file(&store, now()).unwrap(), Some(file.clone()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(&format!("UID:{}", a.uid)) && text.contains("SUMMARY:Besuch"), "{text}");
    store.delete_appointment(a.id, now()).unwrap();
    field::refresh_calendar_file(&store, now()).unwrap();
    assert!(!std::fs::read_to_string(&file).unwrap().contains("SUMMARY:Besuch"), "the deleted one is gone");
}

#[test]
fn a_pin_off_the_globe_is_refused_on_a_contact_and_an_organisation() {
    let (_dir, store) = store();
    let off = Pin { lat: 95.0, lon: 10.0 };
    let input = ContactInput {
        first_name: "Zora".into(),
        address: Address { pin: Some(off), ..Default::default() },
        ..Default::default()
    };
    let err = store.create_contact(&input, ChangedBy::Hand, now()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "pin", .. }), "{err:?}");
    let org = store
        .create_organization(
            &kontor_core::OrganizationInput { name: "Elb".into(), ..Default::default() },
            now(),
        )
        .unwrap();
    let moved = kontor_core::OrganizationInput { name: "Elb".into(), pin: Some(off), ..Default::default() };
    let err = store.update_organization(org.id, &moved, now()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "pin", .. }), "{err:?}");
    assert_eq!(store.organization(org.id).unwrap().pin, None, "nothing written");
}

#[test]
fn a_cancellation_in_a_later_file_removes_the_appointment_an_earlier_import_made() {
    let (_dir, store) = store();
    store.import_calendar(&fixture("outlook.ics"), Berlin, now()).unwrap();
    let meeting = store
        .appointments(None, None, Berlin)
        .unwrap()
        .into_iter()
        .find(|a| a.title.starts_with("Besprechung Müller"))
        .expect("the meeting");
    let cancel = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:{}\r\nSTATUS:CANCELLED\r\n\
         DTSTART:20261208T090000Z\r\nSUMMARY:Abgesagt: Besprechung\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:nie-gesehen\r\n\
         STATUS:CANCELLED\r\nDTSTART:20261209T090000Z\r\nSUMMARY:Fremd\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        meeting.uid
    );
    let report = store.import_calendar(&cancel, Berlin, now()).unwrap();
    assert_eq!(report.removed, 1, "{report:?}");
    assert_eq!(
        report.rejected,
        vec![(10, "cancelled".to_owned())],
        "an unknown event's cancellation is only reported"
    );
    let left = store.appointments(None, None, Berlin).unwrap();
    assert_eq!(left.len(), 2);
    assert!(left.iter().all(|a| a.id != meeting.id));
}

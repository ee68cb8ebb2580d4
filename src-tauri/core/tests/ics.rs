//! iCalendar as other programs read and write it: Kontor's export read by
//! Python's `icalendar` (Debian's python3-icalendar, installed by
//! setup.sh), and calendars as Outlook and Google Calendar export them
//! read by Kontor.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::ics::{parse_calendar, write_calendar, IcsEvent, When};

fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Berlin.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/ics/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const READ_WITH_PYTHON: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    start = ev.decoded('DTSTART')
    end = ev.decoded('DTEND')
    alarms = [int(-a.decoded('TRIGGER').total_seconds() // 60) for a in ev.walk('VALARM')]
    out.append({
        'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']),
        'start': start.isoformat(), 'end': end.isoformat(),
        'location': str(ev.get('LOCATION', '')), 'description': str(ev.get('DESCRIPTION', '')),
        'alarms': alarms, 'stamp': ev.decoded('DTSTAMP').isoformat(),
    })
tz = [str(c['TZID']) for c in cal.walk('VTIMEZONE')]
print(json.dumps({'events': out, 'zones': tz, 'name': str(cal.get('X-WR-CALNAME'))}))
"#;

#[test]
fn python_icalendar_reads_kontors_export_as_written() {
    let events = vec![
        IcsEvent {
            uid: "0190-visit@kontor".into(),
            summary: "Besuch: Müller, Kassen; Wartung".into(),
            when: When::Timed { start: berlin(2026, 12, 8, 10, 0), end: berlin(2026, 12, 8, 11, 30) },
            location: Some("Hafenstraße 1, 20457 Hamburg".into()),
            description: Some(
                "Zeile eins\nZeile zwei mit Backslash \\ und Umlauten äöü, lang genug, um gefaltet zu werden"
                    .into(),
            ),
            alarms: vec![15],
            attendees: vec!["anna@mueller.de".into()],
        },
        IcsEvent {
            uid: "0191-fair@kontor".into(),
            summary: "Messe".into(),
            when: When::AllDay {
                first: NaiveDate::from_ymd_opt(2027, 4, 20).unwrap(),
                last: NaiveDate::from_ymd_opt(2027, 4, 23).unwrap(),
            },
            location: None,
            description: None,
            alarms: vec![],
            attendees: vec![],
        },
        IcsEvent {
            uid: "0192-summer@kontor".into(),
            summary: "Sommer".into(),
            when: When::Timed { start: berlin(2027, 7, 1, 14, 0), end: berlin(2027, 7, 1, 15, 0) },
            location: None,
            description: None,
            alarms: vec![0, 60],
            attendees: vec![],
        },
    ];
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kontor.ics");
    std::fs::write(&path, write_calendar(&events, Berlin, "Kontor – Außendienst", now)).unwrap();
    // Debian's interpreter, which python3-icalendar is installed for.
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(READ_WITH_PYTHON)
        .arg(&path)
        .output()
        .expect("/usr/bin/python3 (setup.sh installs python3-icalendar)");
    assert!(out.status.success(), "python icalendar: {}", String::from_utf8_lossy(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["name"], "Kontor – Außendienst");
    assert_eq!(read["zones"], serde_json::json!(["Europe/Berlin"]));
    let ev = &read["events"];
    assert_eq!(ev[0]["uid"], "0190-visit@kontor");
    assert_eq!(ev[0]["summary"], "Besuch: Müller, Kassen; Wartung");
    assert_eq!(ev[0]["start"], "2026-12-08T10:00:00+01:00");
    assert_eq!(ev[0]["end"], "2026-12-08T11:30:00+01:00");
    assert_eq!(ev[0]["location"], "Hafenstraße 1, 20457 Hamburg");
    assert_eq!(ev[0]["description"], events[0].description.as_deref().unwrap());
    assert_eq!(ev[0]["alarms"], serde_json::json!([15]));
    assert_eq!(ev[0]["stamp"], "2026-12-07T06:00:00+00:00");
    assert_eq!((ev[1]["start"].as_str(), ev[1]["end"].as_str()), (Some("2027-04-20"), Some("2027-04-24")));
    assert_eq!(ev[2]["start"], "2027-07-01T14:00:00+02:00", "summer time from the VTIMEZONE");
    assert_eq!(ev[2]["alarms"], serde_json::json!([0, 60]));
    // And back through Kontor's own reading, unchanged.
    let back = parse_calendar(&std::fs::read_to_string(&path).unwrap(), chrono_tz::UTC);
    assert_eq!(back.events.into_iter().map(|(_, e)| e).collect::<Vec<_>>(), events);
}

#[test]
fn an_outlook_calendar_is_read_with_its_windows_zone_folded_attendees_and_reminder() {
    let parsed = parse_calendar(&fixture("outlook.ics"), chrono_tz::UTC);
    assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
    let events: Vec<&IcsEvent> = parsed.events.iter().map(|(_, e)| e).collect();
    assert_eq!(events.len(), 3);
    let meeting = events[0];
    assert_eq!(meeting.summary, "Besprechung Müller AG");
    assert_eq!(
        meeting.when,
        When::Timed { start: berlin(2026, 12, 8, 10, 0), end: berlin(2026, 12, 8, 11, 30) }
    );
    assert_eq!(meeting.location.as_deref(), Some("Müller AG, Hafenstraße 1, 20457 Hamburg"));
    assert_eq!(
        meeting.description.as_deref(),
        Some("Agenda:\nKassensystem K5, Schulung; Termine für 2027\n")
    );
    assert!(
        meeting.uid.starts_with("040000008200E00074C5B7101A82E008") && meeting.uid.ends_with("4E5F6A7B"),
        "unfolded UID"
    );
    assert_eq!(meeting.attendees, ["anna.schmidt@mueller-ag.de", "Bernd.Becker@mueller-ag.de"]);
    assert_eq!(meeting.alarms, [15]);
    assert_eq!(
        events[1].when,
        When::AllDay {
            first: NaiveDate::from_ymd_opt(2027, 4, 20).unwrap(),
            last: NaiveDate::from_ymd_opt(2027, 4, 23).unwrap()
        }
    );
    // A weekly series: its first date, and a note that says so.
    assert_eq!(
        events[2].when,
        When::Timed { start: berlin(2027, 1, 4, 9, 0), end: berlin(2027, 1, 4, 9, 30) }
    );
    assert_eq!(parsed.notes.len(), 1);
    assert!(parsed.notes[0].1.contains("repeating"));
}

#[test]
fn a_google_calendar_is_read_with_utc_times_dates_alarms_and_cancellations_left_out() {
    let parsed = parse_calendar(&fixture("google.ics"), chrono_tz::UTC);
    let events: Vec<&IcsEvent> = parsed.events.iter().map(|(_, e)| e).collect();
    assert_eq!(events.len(), 2);
    let demo = events[0];
    assert_eq!(demo.summary, "Vorführung Elb Brauerei");
    assert_eq!(demo.when, When::Timed { start: berlin(2027, 6, 15, 9, 0), end: berlin(2027, 6, 15, 10, 30) });
    assert_eq!(demo.location.as_deref(), Some("Elb Brauerei, Brauereiweg 5, 21073 Hamburg, Deutschland"));
    assert_eq!(demo.attendees, ["zora@elb-brauerei.de"]);
    assert_eq!(demo.alarms, [30, 1440]);
    assert_eq!(demo.uid, "5q8s7r6t5u4v3w2x1y0z@google.com");
    let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert_eq!(events[1].when, When::AllDay { first: day, last: day });
    assert_eq!(parsed.rejected.len(), 1);
    assert_eq!(parsed.rejected[0].1, "cancelled");
    // Reading the same file twice gives the same ids: a second import doubles nothing.
    let again = parse_calendar(&fixture("google.ics"), chrono_tz::UTC);
    assert_eq!(
        again.events.iter().map(|(_, e)| &e.uid).collect::<Vec<_>>(),
        events.iter().map(|e| &e.uid).collect::<Vec<_>>()
    );
}

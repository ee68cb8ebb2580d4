//! The field day's CLI contract: `appointments add/list` with their JSON
//! keys, `calendar export/import`, `visits plan` with its JSON shape, and
//! `mileage export` as the tax office reads it.

mod common;

use std::process::Command;

use common::{fails, kontor, ok_json};
use serde_json::Value;

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

fn zora(dir: &std::path::Path) -> String {
    id(&ok_json(
        dir,
        &[
            "contacts",
            "add",
            "--first-name",
            "Zora",
            "--last-name",
            "Zander",
            "--organization",
            "Elb Brauerei",
            "--email",
            "zora@elb.de",
            "--json",
        ],
    ))
}

#[test]
fn appointments_add_and_list_print_the_contracts_keys_by_day() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let zora = zora(dir);
    let a = ok_json(
        dir,
        &[
            "appointments",
            "add",
            "--title",
            "Besuch Elb",
            "--start",
            "2026-12-09T10:00:00+01:00",
            "--end",
            "2026-12-09T11:30:00+01:00",
            "--contact",
            &zora,
            "--place",
            "Elbchaussee 1, 22763 Hamburg",
            "--remind",
            "15m",
            "--remind",
            "1h",
            "--json",
        ],
    );
    for key in [
        "id",
        "title",
        "start",
        "end",
        "all_day",
        "contact_id",
        "organization_id",
        "deal_id",
        "place",
        "notes",
        "reminders",
    ] {
        assert!(a.get(key).is_some(), "{key} in {a}");
    }
    assert_eq!(a["start"], "2026-12-09T09:00:00Z");
    assert_eq!(a["end"], "2026-12-09T10:30:00Z");
    assert_eq!(a["all_day"], false);
    assert_eq!(a["contact_id"], zora.as_str());
    assert_eq!(a["reminders"].as_array().map(Vec::len), Some(2));
    ok_json(
        dir,
        &[
            "appointments",
            "add",
            "--title",
            "Messe",
            "--start",
            "2026-12-10",
            "--end",
            "2026-12-11",
            "--json",
        ],
    );
    let list = |from: &str, to: &str| -> Vec<String> {
        ok_json(dir, &["appointments", "list", "--from", from, "--to", to, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(list("2026-12-09", "2026-12-09"), ["Besuch Elb"]);
    assert_eq!(list("2026-12-11", "2026-12-31"), ["Messe"]);
    assert_eq!(list("2026-12-01", "2026-12-31"), ["Besuch Elb", "Messe"]);
    let err = fails(
        dir,
        &[
            "appointments",
            "add",
            "--title",
            "X",
            "--start",
            "2026-12-09T10:00:00Z",
            "--end",
            "2026-12-09T09:00:00Z",
        ],
    );
    assert!(err.contains("end"), "{err}");
    assert_eq!(list("2026-12-01", "2026-12-31").len(), 2, "nothing written");
}

#[test]
fn the_calendar_exports_for_python_icalendar_and_imports_an_outlook_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let zora = zora(dir);
    ok_json(
        dir,
        &[
            "appointments",
            "add",
            "--title",
            "Besuch, Elb; \"Schank\"",
            "--start",
            "2026-12-09T10:00:00+01:00",
            "--contact",
            &zora,
            "--json",
        ],
    );
    let ics = dir.join("kalender.ics");
    let out = kontor(
        dir,
        &["calendar", "export", "--out", ics.to_str().unwrap(), "--from", "2026-12-01", "--to", "2026-12-31"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let script = "import sys, datetime\nfrom icalendar import Calendar\nc = Calendar.from_ical(open(sys.argv[1],'rb').read())\nfor e in c.walk('VEVENT'): print(e['SUMMARY'], e.decoded('DTSTART').astimezone(datetime.timezone.utc).isoformat(), len(e.walk('VALARM')))";
    let py = Command::new("/usr/bin/python3").args(["-c", script]).arg(&ics).output().unwrap();
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    assert_eq!(
        String::from_utf8_lossy(&py.stdout).trim(),
        "Besuch, Elb; \"Schank\" 2026-12-09T09:00:00+00:00 1"
    );

    let outlook = format!("{}/../core/tests/fixtures/ics/outlook.ics", env!("CARGO_MANIFEST_DIR"));
    let first = ok_json(dir, &["calendar", "import", &outlook, "--json"]);
    assert_eq!(first["added"], 3, "{first}");
    let second = ok_json(dir, &["calendar", "import", &outlook, "--json"]);
    assert_eq!((second["added"].as_u64(), second["unchanged"].as_u64()), (Some(0), Some(3)));
    let broken = dir.join("kaputt.ics");
    std::fs::write(
        &broken,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:ohne Zeit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let report = ok_json(dir, &["calendar", "import", broken.to_str().unwrap(), "--json"]);
    assert_eq!(report["rejected"][0][0], 2, "the line the event starts on: {report}");
}

#[test]
fn visits_plan_prints_stops_in_route_order_with_their_distances_and_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut ids = Vec::new();
    // East of the start along one parallel, added out of order.
    for (name, lon) in [("Cee", "10.6"), ("Aah", "10.2"), ("Bee", "10.4")] {
        let c = id(&ok_json(
            dir,
            &[
                "contacts",
                "add",
                "--first-name",
                name,
                "--last-name",
                "Kunde",
                "--organization",
                &format!("{name} GmbH"),
                "--json",
            ],
        ));
        let out = kontor(dir, &["places", "pin", "--contact", &c, "--lat", "53.55", "--lon", lon]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        ids.push(c);
    }
    // Offline (the geocoder's port is closed) and no place known in its
    // postcode area: the start cannot be placed, and it says so.
    let offline = Command::new(env!("CARGO_BIN_EXE_kontor"))
        .args([
            "--data-dir",
            dir.to_str().unwrap(),
            "visits",
            "plan",
            "--date",
            "2026-12-09",
            "--start",
            "Jungfernstieg 1, 20354 Hamburg",
        ])
        .env("KONTOR_GEOCODER_URL", "http://127.0.0.1:1")
        .output()
        .unwrap();
    assert!(!offline.status.success());
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("could not be located"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let mut args = vec!["visits", "plan", "--date", "2026-12-09", "--start", "53.55,10.0", "--json"];
    for c in &ids {
        args.extend(["--contact", c.as_str()]);
    }
    // A start written as coordinates needs no lookup.
    let plan = ok_json(dir, &args);
    let stops = plan["stops"].as_array().expect("stops");
    assert_eq!(stops.len(), 3);
    for key in ["contact_id", "organization", "address", "lat", "lon", "distance_km"] {
        assert!(stops[0].get(key).is_some(), "{key} in {}", stops[0]);
    }
    let orgs: Vec<&str> = stops.iter().map(|s| s["organization"].as_str().unwrap()).collect();
    assert!(
        orgs == ["Aah GmbH", "Bee GmbH", "Cee GmbH"] || orgs == ["Cee GmbH", "Bee GmbH", "Aah GmbH"],
        "{orgs:?}"
    );
    let legs: f64 = stops.iter().map(|s| s["distance_km"].as_f64().unwrap()).sum::<f64>()
        + plan["return_km"].as_f64().unwrap();
    let total = plan["total_km"].as_f64().unwrap();
    assert!((legs - total).abs() < 0.15 && (total - 103.0).abs() < 2.0, "{legs} / {total}");
    let max = ok_json(
        dir,
        &["visits", "plan", "--date", "2026-12-09", "--start", "53.55,10.0", "--max", "2", "--json"],
    );
    assert!(max["stops"].as_array().unwrap().len() <= 2);
}

#[test]
fn mileage_export_writes_the_tax_offices_columns_with_a_correction_beside_what_it_corrects() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "mileage",
            "add",
            "--from",
            "Büro, Hamburg",
            "--to",
            "Elb Brauerei, Hamburg",
            "--purpose",
            "Kundenbesuch",
            "--partner",
            "Elb Brauerei",
            "--json",
        ];
        args.extend_from_slice(extra);
        ok_json(dir, &args)
    };
    add(&["--date", "2026-12-01", "--odometer-start", "10000", "--odometer-end", "10050"]);
    add(&["--date", "2026-12-02", "--km", "30"]);
    add(&["--date", "2026-12-01", "--odometer-start", "10000", "--km", "42", "--corrects", "1"]);
    add(&["--date", "2027-01-04", "--km", "12"]);
    let err = fails(
        dir,
        &[
            "mileage",
            "add",
            "--date",
            "2026-12-05",
            "--from",
            "A",
            "--to",
            "B",
            "--purpose",
            "x",
            "--odometer-start",
            "9000",
            "--km",
            "5",
        ],
    );
    assert!(err.contains("odometer_start"), "{err}");
    let file = dir.join("fahrtenbuch.csv");
    let out = kontor(
        dir,
        &["mileage", "export", "--month", "2026-12", "--format", "csv", "--out", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "header and December's three entries: {lines:?}");
    assert!(lines[0].starts_with("Nr.;Datum;Reiseziel;Reisezweck;Aufgesuchte Geschäftspartner;km-Stand Beginn;km-Stand Ende;Gefahrene km;Privatfahrt"));
    assert!(
        lines[1]
            .starts_with("1;01.12.2026;Elb Brauerei, Hamburg;Kundenbesuch;Elb Brauerei;10000;10050;50;nein;"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(";3"), "{}", lines[1]);
    let html = kontor(dir, &["mileage", "export", "--month", "2026-12", "--format", "html"]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(html.contains("Fahrtenbuch · 12/2026") && html.contains("korrigiert durch Nr. 3"), "{html}");
}

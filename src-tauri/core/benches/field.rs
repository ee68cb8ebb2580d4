//! The field day at scale: a store of N contacts (100,000 by default; the
//! first argument sets it) imported from a fixed-seed CSV with addresses
//! around 20 German cities, 40 % of them prospects, opportunities and
//! customers, every tenth with a visit logged, positions cached for one
//! address per postcode area (the rest are placed by their postcode), 2,000
//! appointments. Measures what the rep waits for: a contact page's position,
//! the nearby list, a day plan with its suggestions, a week of the calendar,
//! the calendar export, and the geocoding queue. A baseline in the same run:
//! one pass decoding every contact (what any full scan costs at least).
//!
//! `cargo bench -p kontor-core --bench field [-- N]`

#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::api::field::{self, PlanRequest};
use kontor_core::appointment::AppointmentInput;
use kontor_core::geo::Pin;
use kontor_core::route::Point;
use kontor_core::{ActivityInput, ActivityKind, ChangedBy, Stage, StageChangeRequest, Store};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CITIES: [(&str, &str, f64, f64); 20] = [
    ("Hamburg", "20", 53.55, 10.0),
    ("Berlin", "10", 52.52, 13.40),
    ("München", "80", 48.14, 11.58),
    ("Köln", "50", 50.94, 6.96),
    ("Frankfurt am Main", "60", 50.11, 8.68),
    ("Stuttgart", "70", 48.78, 9.18),
    ("Düsseldorf", "40", 51.23, 6.78),
    ("Leipzig", "04", 51.34, 12.37),
    ("Dortmund", "44", 51.51, 7.47),
    ("Bremen", "28", 53.08, 8.80),
    ("Hannover", "30", 52.37, 9.73),
    ("Nürnberg", "90", 49.45, 11.08),
    ("Dresden", "01", 51.05, 13.74),
    ("Kiel", "24", 54.32, 10.13),
    ("Lübeck", "23", 53.87, 10.69),
    ("Rostock", "18", 54.09, 12.10),
    ("Münster", "48", 51.96, 7.63),
    ("Freiburg", "79", 47.99, 7.84),
    ("Mainz", "55", 49.99, 8.25),
    ("Kassel", "34", 51.31, 9.48),
];

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let mut seed = 7u64;
    let mut rnd = move |k: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % k
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 7, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_time_zone(Berlin);

    // ---- the store -------------------------------------------------------------------
    let mut csv = String::from("First Name,Last Name,Company,Street,Postcode,City,E-mail\n");
    let mut areas = std::collections::BTreeMap::new();
    for i in 0..n {
        let (city, prefix, lat, lon) = CITIES[rnd(CITIES.len() as u64) as usize];
        let postcode = format!("{prefix}{:03}", rnd(1000));
        areas.entry(postcode.clone()).or_insert_with(|| {
            let jitter = |r: u64| (r as f64 / 1000.0 - 0.5) * 0.2;
            (format!("Markt 1, {postcode} {city}"), lat + jitter(rnd(1000)), lon + jitter(rnd(1000)))
        });
        csv.push_str(&format!(
            "Vorname{i},Nachname{},Firma {} GmbH,Hauptstraße {},{postcode},{city},k{i}@example.com\n",
            rnd(5000),
            rnd(20_000),
            1 + rnd(200)
        ));
    }
    let t = Instant::now();
    let options = kontor_core::import::ImportOptions::default();
    let parsed = kontor_core::import::parse(csv.as_bytes(), "field.csv", &options).unwrap();
    store.import(parsed, "field.csv", &options, false, |_, _| true, now).unwrap();
    if store.needs_rebuild() {
        store.rebuild_derived(now).unwrap();
    }
    println!("store of {n} contacts imported in {:.1} s", t.elapsed().as_secs_f64());
    // One cached position per postcode area: every contact is placed by its postcode.
    for (line, lat, lon) in areas.values() {
        store.cache_position(line, Some(Pin::new(*lat, *lon).unwrap()), now).unwrap();
    }
    let contacts = store.all_contacts().unwrap();
    let t = Instant::now();
    let (mut staged, mut visited) = (0, 0);
    for (i, c) in contacts.iter().enumerate() {
        let to = match i % 10 {
            0..=1 => Stage::Prospect,
            2 => Stage::Opportunity,
            3 => Stage::Customer,
            _ => continue,
        };
        // Only a sample is written one by one (each a transaction): enough
        // to make the suggestions read visits, not so many the setup takes an hour.
        if i % 20 >= 8 {
            continue;
        }
        let change = StageChangeRequest { to, reason: Some("bench".into()), force: true };
        store.change_stage(c.id, &change, ChangedBy::Hand, now).unwrap();
        staged += 1;
        if i % 40 == 0 {
            let visit = ActivityInput {
                kind: ActivityKind::Visit,
                at: Some(now - chrono::Duration::days(rnd(200) as i64)),
                summary: Some("Besuch".into()),
                text: None,
                outcome: None,
                concerns: None,
            };
            store.log_activity(c.id, visit, now).unwrap();
            visited += 1;
        }
    }
    for i in 0..2_000 {
        let c = &contacts[(i * 37) % contacts.len()];
        let day = 1 + (i % 28) as u32;
        let input = AppointmentInput {
            title: format!("Termin {i}"),
            start: format!("2026-12-{day:02}T{:02}:00:00+01:00", 8 + i % 9),
            contact_id: Some(c.id),
            ..Default::default()
        };
        store.create_appointment(input, Berlin, now).unwrap();
    }
    println!(
        "{staged} contacts moved on (prospect/opportunity/customer), {visited} visits, 2,000 appointments, {} postcode areas cached, in {:.1} s\n",
        areas.len(),
        t.elapsed().as_secs_f64()
    );

    // ---- the measurements --------------------------------------------------------------
    let median = |mut f: Box<dyn FnMut()>, runs: usize| -> Duration {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        times.sort_unstable();
        times[runs / 2]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let baseline = median(
        Box::new(|| {
            std::hint::black_box(store.all_contacts().unwrap());
        }),
        5,
    );
    println!("{:<58} {:>10.1} ms", "baseline: decode every contact once", ms(baseline));
    let someone = contacts[4].clone();
    let rows: Vec<(&str, Duration)> = vec![
        (
            "a contact page's position (pin, address, else postcode)",
            median(
                Box::new(|| {
                    std::hint::black_box(store.position_of(&someone).unwrap());
                }),
                21,
            ),
        ),
        (
            "a contact's appointments",
            median(
                Box::new(|| {
                    std::hint::black_box(store.contact_appointments(someone.id).unwrap());
                }),
                21,
            ),
        ),
        (
            "nearby within 25 km (on request)",
            median(
                Box::new(|| {
                    std::hint::black_box(
                        store
                            .nearby(
                                Point { lat: 53.55, lon: 10.0 },
                                25.0,
                                50,
                                None,
                                &store.postcodes().unwrap(),
                            )
                            .unwrap(),
                    );
                }),
                5,
            ),
        ),
        (
            "a day plan with its suggestions (6 stops)",
            median(
                Box::new(|| {
                    let request = PlanRequest {
                        date: "2026-12-08".into(),
                        start: Some("53.55, 10.0".into()),
                        max: Some(6),
                        contact_ids: None,
                    };
                    std::hint::black_box(field::plan_visits(&store, &request, None, now).unwrap());
                }),
                5,
            ),
        ),
        (
            "a week of the calendar (appointments and tasks due)",
            median(
                Box::new(|| {
                    let (from, to) = (
                        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                        NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
                    );
                    std::hint::black_box(field::calendar(&store, from, to, now).unwrap());
                }),
                21,
            ),
        ),
        (
            "the calendar export (.ics, every appointment)",
            median(
                Box::new(|| {
                    std::hint::black_box(store.export_calendar(None, None, Berlin, now).unwrap());
                }),
                5,
            ),
        ),
        (
            "the geocoding queue (addresses never asked)",
            median(
                Box::new(|| {
                    std::hint::black_box(store.addresses_to_geocode().unwrap());
                }),
                3,
            ),
        ),
    ];
    for (name, d) in rows {
        println!(
            "{name:<58} {:>10.1} ms   {:>5.2}× the baseline",
            ms(d),
            d.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

//! Import, export and backup at scale (SPEC §13: "importing a 100k-row CSV
//! under 2 s"). A fixed-seed generator writes the CSV a German Excel user
//! would; each step is timed and reported as a number and as a ratio
//! against baselines measured in the same run: parsing alone, and writing
//! the same records into a bare sled tree without indexes.
//!
//! `cargo bench -p kontor-core --bench transfer [-- ROWS]` (default 100000).

#![allow(clippy::disallowed_methods, missing_docs)]

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kontor_core::backup_file::BackupFile;
use kontor_core::export;
use kontor_core::import::{self, ImportOptions};
use kontor_core::{ListQuery, Store};

/// A small deterministic generator (64-bit LCG), so every run sees the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

fn csv(rows: usize) -> String {
    let first =
        ["Anna", "Ben", "Carla", "Dieter", "Eva", "Frank", "Gisela", "Hans", "Ina", "Jörg", "Kai", "Lena"];
    let last = [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
    ];
    let cities = ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig"];
    let mut rng = Lcg(42);
    let mut out = String::from("Anrede;Vorname;Nachname;Firma;Position;E-Mail;Telefon;Straße;PLZ;Ort\r\n");
    for i in 0..rows {
        let (f, l) = (rng.pick(&first), rng.pick(&last));
        out.push_str(&format!(
            "{};{f};{l};Firma {} GmbH;Einkauf;{}.{}{i}@example.de;0{} {};Hauptstr. {};{:05};{}\r\n",
            if rng.next() % 2 == 0 { "Frau" } else { "Herr" },
            rng.next() % 5000,
            f.to_lowercase(),
            l.to_lowercase(),
            150 + rng.next() % 30,
            1_000_000 + rng.next() % 9_000_000,
            1 + rng.next() % 200,
            10_000 + rng.next() % 89_999,
            rng.pick(&cities),
        ));
    }
    out
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn main() {
    let rows: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let text = csv(rows);
    let options = ImportOptions::default();

    let (parsed, parse) = time(|| import::parse(text.as_bytes(), "bench.csv", &options).unwrap());

    // Baseline: the same number of encoded records into one bare sled tree.
    let bare_dir = tempfile::tempdir().unwrap();
    let db = sled::Config::new().path(bare_dir.path()).cache_capacity(32 << 20).open().unwrap();
    let tree = db.open_tree("bare").unwrap();
    let records: Vec<Vec<u8>> =
        parsed.records.iter().map(|r| serde_json::to_vec(&r.as_ref().unwrap().input()).unwrap()).collect();
    let ((), bare) = time(|| {
        for chunk in records.chunks(2000) {
            let mut batch = sled::Batch::default();
            for (i, r) in chunk.iter().enumerate() {
                batch.insert(&(i as u64).to_be_bytes()[..], r.as_slice());
            }
            tree.apply_batch(batch).unwrap();
        }
        db.flush().unwrap();
    });

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (report, import) =
        time(|| store.import(parsed, "bench.csv", &options, false, |_, _| true, now).unwrap());
    assert_eq!((report.imported + report.merged) as usize, rows);

    let (contacts, list_all) = time(|| {
        store.list_contacts(&ListQuery { limit: u32::MAX, ..Default::default() }, now).unwrap().items
    });
    let (csv_out, export_csv) = time(|| export::contacts_csv(&contacts));
    let (_, export_vcard) = time(|| export::contacts_vcard(&contacts));
    let (bytes, backup) = time(|| {
        let (manifest, data) = store.backup("bench", now).unwrap();
        BackupFile { manifest, data }.to_vec().unwrap()
    });
    let target = tempfile::tempdir().unwrap();
    let empty = Store::open(target.path()).unwrap();
    let (_, restore) = time(|| {
        let file = BackupFile::from_slice(&bytes).unwrap();
        empty.restore(&file.manifest, &file.data, false, now).unwrap()
    });
    let (_, reimport) = time(|| {
        let again = import::parse(csv_out.as_bytes(), "again.csv", &options).unwrap();
        store.import(again, "again.csv", &options, true, |_, _| true, now).unwrap()
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "rows: {rows}, CSV {:.1} MB, backup {:.1} MB",
        text.len() as f64 / 1e6,
        bytes.len() as f64 / 1e6
    );
    println!("{:<34} {:>10}  {:>14}  {:>14}", "step", "ms", "× parse only", "× bare sled");
    for (name, d) in [
        ("parse + map (baseline)", parse),
        ("bare sled batches (baseline)", bare),
        ("import into the store", import),
        ("list all contacts", list_all),
        ("export CSV", export_csv),
        ("export vCard 4.0", export_vcard),
        ("backup (JSON with manifest)", backup),
        ("restore into an empty store", restore),
        ("re-import own CSV, dry run", reimport),
    ] {
        println!("{name:<34} {:>10.0}  {:>14.2}  {:>14.2}", ms(d), ms(d) / ms(parse), ms(d) / ms(bare));
    }
    println!(
        "import: {:.0} rows/s (quality bar: 100000 rows under 2000 ms)",
        rows as f64 / import.as_secs_f64()
    );
}

//! Team sync's bench against a throwaway PostgreSQL (run by hand):
//!
//! ```text
//! cargo run --release -p kontor-sync --features testing --example bench_sync -- [CONTACTS]
//! ```
//!
//! 1. The first sync of CONTACTS (100,000 by default) contacts: replica A
//!    (an import of a fixed-seed CSV) sends them, then an empty replica B
//!    receives and stores them.
//! 2. The round trip of one edit from A to B on loopback: A's sync sends it,
//!    B's sync receives and applies it (median of 20).
//!
//! Each is reported against the same work done with plain SQL in the same
//! run, on the same server: the same number of JSON rows inserted in
//! transactions of the same size and read back in pages of the same size;
//! one row inserted and read back.

#![allow(clippy::disallowed_methods)] // a bench reads the clock

use std::time::{Duration, Instant};

use chrono::Utc;
use kontor_core::api::data as api;
use kontor_core::import::ImportOptions;
use kontor_core::store::SyncConfig;
use kontor_core::{ContactInput, Store};
use kontor_sync::testing::Postgres;
use kontor_sync::Server;

/// A fixed-seed generator (xorshift), so every run imports the same list.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const FIRST: [&str; 12] =
    ["Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ilse", "Jonas", "Katrin", "Lukas"];
const LAST: [&str; 12] = [
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
    "Koch",
    "Richter",
];
const CITY: [&str; 8] =
    ["Hamburg", "Bremen", "Kiel", "Lübeck", "Hannover", "Rostock", "Schwerin", "Oldenburg"];
const TAG: [&str; 6] = ["messe", "newsletter", "vip", "partner", "webinar", "empfehlung"];

fn csv(n: usize) -> String {
    let mut rng = Rng(0x6b6f_6e74_6f72);
    let mut out = String::from("First name,Last name,Company,E-mail,Phone,City,Postal code,Tags\n");
    for i in 0..n {
        let (first, last, city) = (rng.pick(&FIRST), rng.pick(&LAST), rng.pick(&CITY));
        let org = format!("{} {} GmbH", rng.pick(&LAST), city);
        let phone = format!("+49 40 {:07}", rng.next() % 10_000_000);
        let tags = format!("{};{}", rng.pick(&TAG), rng.pick(&TAG));
        out.push_str(&format!(
            "{first},{last},{org},{}.{}.{i}@example.de,{phone},{city},{:05},{tags}\n",
            first.to_lowercase(),
            last.to_lowercase(),
            20_000 + rng.next() % 9000
        ));
    }
    out
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let pg = Postgres::start();
    let url = |role: &str| format!("postgres://{role}@127.0.0.1:{}/kontor?sslmode=disable", pg.port);
    let work = tempfile::tempdir().unwrap();

    // Replica A: the list imported, then sync set up (every contact queued).
    let a = Store::open(&work.path().join("a")).unwrap();
    let file = work.path().join("list.csv");
    std::fs::write(&file, csv(n)).unwrap();
    let started = Instant::now();
    api::import(&a, &file, &ImportOptions::default(), false, |_, _| true, Utc::now()).unwrap();
    println!("import of {n} contacts into replica A: {:.1} s", secs(started.elapsed()));
    let mut server_a = Server::connect(&url("anna"), Some("anna-pw")).unwrap();
    server_a.migrate().unwrap();
    let started = Instant::now();
    a.sync_setup(&SyncConfig { url: url("anna") }, Utc::now(), &|_| {}).unwrap();
    let queued = started.elapsed();
    let pending = a.sync_pending();

    // 1. The first sync: A sends, an empty B receives.
    let started = Instant::now();
    let sent = a.sync_with(&mut server_a, Utc::now(), &|_| {}).unwrap();
    let push = started.elapsed();
    let b = Store::open(&work.path().join("b")).unwrap();
    b.sync_setup(&SyncConfig { url: url("ben") }, Utc::now(), &|_| {}).unwrap();
    let mut server_b = Server::connect(&url("ben"), Some("ben-pw")).unwrap();
    let started = Instant::now();
    let received = b.sync_with(&mut server_b, Utc::now(), &|_| {}).unwrap();
    let pull = started.elapsed();
    assert_eq!(received.pulled as usize, pending as usize, "B received what A sent");
    // Of which reading the log (through row-level security) alone.
    let started = Instant::now();
    let read = server_b.log().unwrap().len();
    let read_only = started.elapsed();
    assert_eq!(a.sync_state_hash().unwrap(), b.sync_state_hash().unwrap(), "A and B hold the same contacts");

    // The same work in plain SQL: as many JSON rows (A's own operations, as
    // sent), inserted in transactions of 1,000 and read in pages of 2,000.
    let ops: Vec<serde_json::Value> = server_a
        .log()
        .unwrap()
        .iter()
        .map(|op| serde_json::json!({"entity": op.entity, "field": op.field, "value": op.value, "hlc": op.hlc.to_string()}))
        .collect();
    let plain = |sql: &str| pg.psql("kontor", sql);
    plain("CREATE TABLE plain_ops (id bigserial PRIMARY KEY, body jsonb NOT NULL)");
    plain("GRANT INSERT, SELECT ON plain_ops TO anna, ben; GRANT USAGE ON SEQUENCE plain_ops_id_seq TO anna");
    let plain_push;
    let plain_pull;
    {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (mut client, conn) = rt
            .block_on(tokio_postgres::connect(
                &format!("host=127.0.0.1 port={} user=anna password=anna-pw dbname=kontor", pg.port),
                tokio_postgres::NoTls,
            ))
            .unwrap();
        rt.spawn(conn);
        let started = Instant::now();
        for chunk in ops.chunks(1000) {
            rt.block_on(async {
                let tx = client.transaction().await.unwrap();
                tx.execute(
                    "INSERT INTO plain_ops (body) SELECT * FROM unnest($1::jsonb[])",
                    &[&chunk.to_vec()],
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            });
        }
        plain_push = started.elapsed();
        let started = Instant::now();
        let mut after = 0i64;
        let mut rows = 0usize;
        loop {
            let page = rt
                .block_on(
                    client.query(
                        "SELECT id, body FROM plain_ops WHERE id > $1 ORDER BY id LIMIT 2000",
                        &[&after],
                    ),
                )
                .unwrap();
            let Some(last) = page.last() else { break };
            after = last.get(0);
            rows += page.len();
            for row in &page {
                let _: serde_json::Value = row.get(1);
            }
        }
        plain_pull = started.elapsed();
        assert_eq!(rows, ops.len());

        // 2. One edit's round trip, A to B, against one row in plain SQL.
        let id = a.list_contacts(&Default::default(), Utc::now()).unwrap().items[0].id;
        let mut trips = Vec::new();
        let mut plain_trips = Vec::new();
        for i in 0..20 {
            let mut input = ContactInput::from(&a.contact(id, Utc::now()).unwrap());
            input.title = Some(format!("Einkauf {i}"));
            a.update_contact(id, &input, Utc::now()).unwrap();
            let started = Instant::now();
            a.sync_with(&mut server_a, Utc::now(), &|_| {}).unwrap();
            b.sync_with(&mut server_b, Utc::now(), &|_| {}).unwrap();
            trips.push(started.elapsed());
            assert_eq!(
                b.contact(id, Utc::now()).unwrap().title.as_deref(),
                Some(format!("Einkauf {i}").as_str())
            );

            let started = Instant::now();
            rt.block_on(async {
                let tx = client.transaction().await.unwrap();
                let body =
                    serde_json::json!({"entity": id, "field": "title", "value": format!("Einkauf {i}")});
                tx.execute("INSERT INTO plain_ops (body) VALUES ($1)", &[&body]).await.unwrap();
                tx.commit().await.unwrap();
                let got = client
                    .query("SELECT id, body FROM plain_ops WHERE id > $1 ORDER BY id", &[&after])
                    .await
                    .unwrap();
                after = got.last().map(|r| r.get(0)).unwrap_or(after);
            });
            plain_trips.push(started.elapsed());
        }
        let (trip, plain_trip) = (median(trips), median(plain_trips));
        println!();
        println!("| measure | Kontor | plain SQL | × plain |");
        println!("|---|---|---|---|");
        println!("| queue {n} contacts for the first sync (setup, on A) | {:.2} s | — | — |", secs(queued));
        println!(
            "| send them ({} operations, A → server) | {:.2} s | {:.2} s | {:.1} |",
            sent.pushed,
            secs(push),
            secs(plain_push),
            secs(push) / secs(plain_push)
        );
        println!(
            "| first sync of an empty replica B (receive and store {} operations) | {:.2} s | {:.2} s | {:.1} |",
            received.pulled,
            secs(pull),
            secs(plain_pull),
            secs(pull) / secs(plain_pull)
        );
        println!(
            "| … of which reading the {read} operations from the server | {:.2} s | {:.2} s | {:.1} |",
            secs(read_only),
            secs(plain_pull),
            secs(read_only) / secs(plain_pull)
        );
        println!(
            "| one edit's round trip A → server → B (median of 20) | {:.1} ms | {:.1} ms | {:.1} |",
            trip.as_secs_f64() * 1000.0,
            plain_trip.as_secs_f64() * 1000.0,
            trip.as_secs_f64() / plain_trip.as_secs_f64()
        );
    }
}

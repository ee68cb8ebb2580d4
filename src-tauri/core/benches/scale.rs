//! The core's quality bars at scale (SPEC §13, issue "The store at any
//! size"): search as the user types (prefixes, typos, every field),
//! searching all kinds at once, list by stage, rescoring everyone, a contact
//! with 10,000 activities, reminders and task views, opening the store,
//! importing a CSV of CONTACTS rows and the size on disk. A fixed-seed
//! generator makes CONTACTS contacts (German and English names,
//! organisations, emails, phones, tags, job titles, addresses, notes, all
//! lifecycle stages), about 10 activities each, one contact with 10,000
//! activities, CONTACTS tasks and CONTACTS/10 deals, written through the
//! store's public API. The same records then go into an SQLite database
//! (FTS5 for search), and every operation is timed on both in the same run
//! and reported as numbers and as core/SQLite ratios. (The whole-process
//! rows, the app's start and memory are measured by
//! `src-tauri/scripts/measure-scale.sh`.)
//!
//! `cargo bench -p kontor-core --bench scale [-- CONTACTS]` (default 100000);
//! with `KONTOR_BENCH_KEEP=DIR` the stores stay in DIR afterwards.
//! Informational only: nothing here fails on a missed bar.

#![allow(clippy::disallowed_methods, missing_docs)]

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, NaiveDate, TimeZone, Utc};
use chrono_tz::{Europe::Berlin, Tz};
use kontor_core::contact::Address;
use kontor_core::reminders::{self, Notice, Notifier};
use kontor_core::score::{fit_points, propose, EngagementSums, ScoringSettings, PART_CAP};
use kontor_core::task::{day_start, local_day_start, local_to_utc};
use kontor_core::text::{digits, fold, fold_german, normalize_phone, words};
use kontor_core::{
    Activity, ActivityInput, ActivityKind, ActivityQuery, Answer, ChangedBy, Contact, ContactInput, Criteria,
    CriteriaUpdate, DealInput, ListQuery, Priority, Repeat, SearchQuery, SortOrder, Stage,
    StageChangeRequest, Store, Task, TaskInput, TaskView,
};
use rusqlite::{params, params_from_iter, Connection};
use uuid::Uuid;

/// The allocator the binaries ship with (see the workspace manifest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Rows of the contact list the UI asks for (`PAGE_SIZE` in ui/src/app.ts).
const PAGE: u32 = 100;
/// Rows of the ready-to-qualify list the UI asks for (`READY_SCAN`).
const READY_SCAN: u32 = 1000;
/// Activities of the one very busy contact.
const BUSY: usize = 10_000;

/// A small deterministic generator (64-bit LCG), so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with `percent` % probability.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

#[rustfmt::skip]
const FIRST_DE: &[&str] = &[
    "Anna", "Jürgen", "Jörg", "Günther", "Björn", "Sören", "Käthe", "Lena", "Hans", "Peter", "Thomas",
    "Michael", "Stefan", "Andreas", "Klaus", "Sabine", "Petra", "Monika", "Ursula", "Katrin", "Julia",
    "Sandra", "Markus", "Matthias", "Frank", "Wolfgang", "Uwe", "Dieter", "Heike", "Birgit", "Susanne",
    "Claudia", "Martina", "Tobias", "Florian", "Maximilian", "Lukas", "Leonie", "Marie", "Sophie", "Hannah",
    "Gisela", "Ingrid", "Renate", "Bärbel", "Jens", "Sven", "Kai", "Dirk", "Ralf", "Özlem", "Mehmet",
];
#[rustfmt::skip]
const FIRST_EN: &[&str] = &[
    "James", "John", "Robert", "William", "David", "Richard", "Joseph", "Charles", "Mary", "Patricia",
    "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Emily", "Oliver",
    "Harry", "George", "Charlotte", "Amelia", "Olivia",
];
#[rustfmt::skip]
const LAST_DE: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
    "Friedrich", "Keller", "Günther", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke",
    "Albrecht", "Böhm", "Jäger", "Groß",
];
#[rustfmt::skip]
const LAST_EN: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Anderson",
    "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Robinson", "Clark", "Lewis", "Walker",
    "Hall", "Young", "King", "Wright", "Green", "Baker", "Turner", "Cooper",
];
#[rustfmt::skip]
const ORG_NAME: &[&str] = &[
    "Nordlicht", "Alpen", "Rhein", "Elbe", "Hanse", "Spree", "Main", "Isar", "Bäckerei", "Becker", "Müller",
    "Weber", "Schneider", "Fischer", "Sonnen", "Stern", "Blau", "Grün", "Atlas", "Phoenix", "Apex",
    "Brightside", "Northwind", "Contoso", "Fabrikam", "Kessel", "Hammer", "Löwen", "Adler", "Falken",
];
#[rustfmt::skip]
const ORG_TRADE: &[&str] = &[
    "Maschinenbau", "Logistik", "Software", "Metallbau", "Elektrotechnik", "Bau", "Druck", "Medien",
    "Consulting", "Handel", "Immobilien", "Versicherung", "Steuerberatung", "Autohaus", "Gastronomie",
    "Reisen", "Solar", "Holzbau", "Werkzeuge", "Kunststoff", "Pharma", "Textil", "Systems", "Solutions",
    "Engineering", "Trading", "Foods", "Energy", "Labs", "Feinkost",
];
#[rustfmt::skip]
const ORG_FORM: &[&str] = &[
    "GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "OHG", "Ltd", "Inc.", "UG", "SE",
];
#[rustfmt::skip]
const CITIES: &[&str] = &[
    "Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig",
];
#[rustfmt::skip]
const TAGS: &[&str] = &[
    "Messe Hannover", "Newsletter", "VIP", "Bestandskunde", "Webinar", "Empfehlung", "Kaltakquise",
    "Partner", "Hamburg", "München", "Berlin", "Trade Show London", "Key Account",
];
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Geschäftsführer", "Einkaufsleiterin", "Head of Sales", "CTO", "Prokurist", "Teamleiter IT", "Inhaber",
];
#[rustfmt::skip]
const SOURCES: &[&str] = &[
    "Messe Hannover", "Website", "Empfehlung", "Kaltakquise", "Webinar", "LinkedIn", "Adresskauf",
];
#[rustfmt::skip]
const MAIL_HOSTS: &[&str] = &[
    "gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com", "yahoo.co.uk",
];
#[rustfmt::skip]
const MOBILE: &[&str] = &[
    "0151", "0152", "0160", "0162", "0170", "0171", "0172", "0175", "0176", "0179",
];
#[rustfmt::skip]
const AREA: &[&str] = &[
    "030", "040", "089", "0221", "069", "0711", "0211", "0341", "0511",
];
#[rustfmt::skip]
const SUMMARIES: &[&str] = &[
    "Angebot besprochen", "Rückruf vereinbart", "Preisfrage geklärt", "Demo gezeigt",
    "Follow-up on the proposal", "Asked about delivery times", "Nicht erreicht",
];
#[rustfmt::skip]
const NOTES: &[&str] = &[
    "Auf der Messe in Hannover kennengelernt, Interesse an einem Wartungsvertrag",
    "Rückruf erbeten, bevorzugt vormittags", "Budget für das nächste Quartal freigegeben",
    "Sucht Ersatz für den bisherigen Lieferanten", "Met at the trade show in London, wants a demo",
];
#[rustfmt::skip]
const STREETS: &[&str] = &["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "High Street"];
#[rustfmt::skip]
const PLACES: &[(&str, &str)] = &[
    ("Berlin", "10"), ("Hamburg", "20"), ("München", "80"), ("Köln", "50"), ("Würzburg", "97"),
    ("Stuttgart", "70"), ("Leipzig", "04"), ("Nürnberg", "90"),
];
#[rustfmt::skip]
const DEAL_TITLES: &[&str] = &[
    "Wartungsvertrag", "Rahmenvertrag", "Erstausstattung", "Schulungspaket", "Software licences", "Support renewal",
];
#[rustfmt::skip]
const TASK_TITLES: &[&str] = &[
    "Anrufen", "Angebot nachfassen", "Call back", "Send proposal", "Termin vorbereiten", "Vertrag prüfen",
    "Follow up on demo",
];

/// Organisation `i`: a name and a mail domain.
fn organisation(i: usize) -> (String, String) {
    let (a, b, c) = (ORG_NAME.len(), ORG_TRADE.len(), ORG_FORM.len());
    let (name, trade, form) = (ORG_NAME[i % a], ORG_TRADE[(i / a) % b], ORG_FORM[(i / a / b) % c]);
    let city = (i >= a * b * c).then(|| CITIES[(i / (a * b * c)) % CITIES.len()]);
    let full = match city {
        Some(city) => format!("{name} {trade} {city} {form}"),
        None => format!("{name} {trade} {form}"),
    };
    let slug = |s: &str| fold_german(s).unwrap_or_else(|| fold(s));
    let tld = if ["Ltd", "Inc."].contains(&form) { "com" } else { "de" };
    let domain = match city {
        Some(city) => format!("{}-{}-{}.{tld}", slug(name), slug(trade), slug(city)),
        None => format!("{}-{}.{tld}", slug(name), slug(trade)),
    };
    (full, domain)
}

/// A contact as the generator plans it.
struct Plan {
    input: ContactInput,
    created: DateTime<Utc>,
    stage: Stage,
    criteria: Option<CriteriaUpdate>,
    /// (kind, how long before `now`) of its activities.
    activities: Vec<(ActivityKind, Span, u8)>,
}

fn plan(rng: &mut Lcg, i: usize, orgs: usize, now: DateTime<Utc>) -> Plan {
    let english = rng.chance(25);
    let first = if english { rng.pick(FIRST_EN) } else { rng.pick(FIRST_DE) };
    let last = if english { rng.pick(LAST_EN) } else { rng.pick(LAST_DE) };
    let org = rng.chance(85).then(|| organisation(rng.below(orgs as u64) as usize));
    let mail = |s: &str| fold_german(s).unwrap_or_else(|| fold(s)).replace(' ', "");
    let (f, l) = (mail(first), mail(last));
    let host = match &org {
        Some((_, domain)) => domain.clone(),
        None => rng.pick(MAIL_HOSTS).to_owned(),
    };
    let local = match rng.below(4) {
        0 => format!("{f}.{l}"),
        1 => format!("{}.{l}", &f[..1]),
        2 => l.clone(),
        _ => format!("{f}{l}{}", rng.below(100)),
    };
    let mut phones = Vec::new();
    if rng.chance(80) {
        // 015x numbers have eight digits after the prefix, 016x and 017x seven.
        let prefix = rng.pick(MOBILE);
        let number = if prefix.starts_with("015") {
            10_000_000 + rng.below(90_000_000)
        } else {
            1_000_000 + rng.below(9_000_000)
        };
        phones.push(format!("{prefix} {number}"));
    }
    if rng.chance(30) {
        phones.push(format!("{} {}", rng.pick(AREA), 100_000 + rng.below(900_000)));
    }
    let tags = (0..rng.below(4)).map(|_| rng.pick(TAGS).to_owned()).collect();
    let stage = match rng.below(100) {
        0..45 => Stage::Lead,
        45..65 => Stage::Prospect,
        65..77 => Stage::Opportunity,
        77..92 => Stage::Customer,
        _ => Stage::Disqualified,
    };
    let answer = |rng: &mut Lcg| match rng.below(3) {
        0 => Some(Answer::Yes),
        1 => Some(Answer::No),
        _ => None,
    };
    let criteria = rng.chance(30).then(|| CriteriaUpdate {
        target_group: None,
        budget: answer(rng),
        authority: answer(rng),
        need: answer(rng),
        timeline: answer(rng),
    });
    // 0..=20 activities (10 on average), more of them recent.
    let activities = (0..rng.below(21))
        .map(|_| {
            let u = rng.below(1000) as i64;
            let ago = Span::minutes(u * u * 730 * 24 * 60 / 1_000_000 + 5);
            (ActivityKind::ALL[rng.below(12) as usize], ago, rng.below(SUMMARIES.len() as u64) as u8)
        })
        .collect();
    let (city, zip) = PLACES[rng.below(PLACES.len() as u64) as usize];
    let address = Address {
        street: rng.chance(70).then(|| format!("{} {}", rng.pick(STREETS), 1 + rng.below(120))),
        postcode: Some(format!("{zip}{:03}", rng.below(1000))),
        city: Some(city.to_owned()),
        region: None,
        country: None,
        pin: None,
    };
    let input = ContactInput {
        first_name: first.into(),
        last_name: last.into(),
        organization: org.map(|(name, _)| name),
        title: rng.chance(60).then(|| rng.pick(TITLES).to_owned()),
        emails: vec![format!("{local}@{host}")],
        phones,
        tags,
        source: Some(rng.pick(SOURCES).to_owned()),
        notes: rng.chance(50).then(|| rng.pick(NOTES).to_owned()),
        address,
        ..Default::default()
    };
    let created = now - Span::days(400) + Span::seconds((i as i64 * 7919) % (365 * 86_400));
    Plan { input, created, stage, criteria, activities }
}

/// The stage changes (by hand) from lead to `stage`.
fn path(stage: Stage) -> &'static [(Stage, Option<&'static str>)] {
    match stage {
        Stage::Lead => &[],
        Stage::Prospect => &[(Stage::Prospect, None)],
        Stage::Opportunity => &[(Stage::Prospect, None), (Stage::Opportunity, None)],
        Stage::Customer => &[(Stage::Prospect, None), (Stage::Opportunity, None), (Stage::Customer, None)],
        Stage::Disqualified => &[(Stage::Disqualified, Some("kein Budget"))],
    }
}

fn task_input(rng: &mut Lcg, contacts: &[Contact], now: DateTime<Utc>) -> TaskInput {
    let contact = rng.chance(80).then(|| &contacts[rng.below(contacts.len() as u64) as usize]);
    let day = (now + Span::days(rng.below(134) as i64 - 14)).with_timezone(&Berlin).date_naive();
    let due = if rng.chance(30) {
        day.format("%Y-%m-%d").to_string()
    } else {
        let local = day.and_hms_opt(8 + rng.below(10) as u32, 15 * rng.below(4) as u32, 0).unwrap();
        local_to_utc(local, Berlin).to_rfc3339()
    };
    let reminders = match rng.below(4) {
        0 => vec![],
        1 => vec![0],
        2 => vec![15],
        _ => vec![60, 24 * 60],
    };
    let title = rng.pick(TASK_TITLES);
    TaskInput {
        title: match contact {
            Some(c) => format!("{title}: {}", c.display_name),
            None => title.to_owned(),
        },
        contact_id: contact.map(|c| c.id),
        deal_id: None,
        due,
        priority: [Priority::Low, Priority::Normal, Priority::High][rng.below(3) as usize],
        notes: None,
        reminders,
        repeat: rng.chance(3).then_some(Repeat::Weekly),
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p99 and max (nearest rank).
fn stats(mut samples: Vec<Duration>) -> [f64; 3] {
    samples.sort_unstable();
    let rank = |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    [ms(rank(0.5)), ms(rank(0.99)), ms(samples[samples.len() - 1])]
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn stage_code(stage: Stage) -> i64 {
    Stage::ALL.iter().position(|s| *s == stage).unwrap() as i64
}

fn answer_code(a: Answer) -> i64 {
    match a {
        Answer::Unknown => 0,
        Answer::Yes => 1,
        Answer::No => 2,
    }
}

fn answer_of(code: i64) -> Answer {
    match code {
        1 => Answer::Yes,
        2 => Answer::No,
        _ => Answer::Unknown,
    }
}

// ---- the SQLite baseline ----------------------------------------------------

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE contacts (
    rowid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, stage INTEGER NOT NULL, name_key TEXT NOT NULL,
    updated_at INTEGER NOT NULL, target_group INTEGER, budget INTEGER NOT NULL, authority INTEGER NOT NULL,
    need INTEGER NOT NULL, timeline INTEGER NOT NULL, json TEXT NOT NULL);
CREATE INDEX contacts_name ON contacts (name_key);
CREATE INDEX contacts_change ON contacts (updated_at);
CREATE INDEX contacts_stage_name ON contacts (stage, name_key);
CREATE INDEX contacts_stage_change ON contacts (stage, updated_at);
CREATE VIRTUAL TABLE contact_words USING fts5 (words, content = '', prefix = '1 2 3');
CREATE VIRTUAL TABLE contact_phones USING fts5 (digits, content = '', tokenize = 'trigram');
CREATE TABLE engagement (contact INTEGER PRIMARY KEY, base_ms INTEGER NOT NULL, sums BLOB NOT NULL);
CREATE TABLE activities (
    rowid INTEGER PRIMARY KEY, id BLOB NOT NULL, contact INTEGER NOT NULL, at INTEGER NOT NULL,
    kind INTEGER NOT NULL, json TEXT NOT NULL);
CREATE INDEX activities_contact_at ON activities (contact, at DESC);
CREATE TABLE tasks (
    rowid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, contact INTEGER, due INTEGER NOT NULL,
    all_day INTEGER NOT NULL, done INTEGER NOT NULL, json TEXT NOT NULL);
CREATE INDEX tasks_due ON tasks (done, all_day, due);
CREATE TABLE reminders (
    fire_at INTEGER NOT NULL, task INTEGER NOT NULL, slot INTEGER NOT NULL,
    PRIMARY KEY (fire_at, task, slot)) WITHOUT ROWID;
";

/// The words the core's search index keeps for a contact, folded in the
/// same spellings (plain, German, ae/oe/ue collapsed).
fn search_words(c: &Contact) -> String {
    let mut text = vec![c.first_name.as_str(), c.last_name.as_str(), c.display_name.as_str()];
    text.extend(c.organization.as_deref());
    text.extend(c.emails.iter().map(String::as_str));
    text.extend(c.tags.iter().map(String::as_str));
    let a = &c.address;
    text.extend(
        [&c.title, &c.source, &c.notes, &a.city, &a.postcode, &a.street, &a.region]
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    let mut out: Vec<String> = Vec::new();
    for t in text {
        let plain = fold(t);
        out.extend(words(&plain).map(str::to_owned));
        if let Some(german) = fold_german(t) {
            out.extend(words(&german).map(str::to_owned));
        }
        if plain.contains("ae") || plain.contains("oe") || plain.contains("ue") {
            let collapsed = plain.replace("ae", "a").replace("oe", "o").replace("ue", "u");
            out.extend(words(&collapsed).map(str::to_owned));
        }
    }
    out.sort_unstable();
    out.dedup();
    out.join(" ")
}

/// Writes everything into a new SQLite database in one transaction.
fn load_sqlite(
    path: &Path,
    contacts: &[Contact],
    activities: &[Activity],
    sums: &HashMap<Uuid, EngagementSums>,
    tasks: &[Task],
) -> Connection {
    let mut db = Connection::open(path).unwrap();
    db.execute_batch(SCHEMA).unwrap();
    db.set_prepared_statement_cache_capacity(64);
    let tx = db.transaction().unwrap();
    let mut rowid_of: HashMap<Uuid, i64> = HashMap::with_capacity(contacts.len());
    {
        let mut contact = tx
            .prepare("INSERT INTO contacts VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .unwrap();
        let mut word = tx.prepare("INSERT INTO contact_words (rowid, words) VALUES (?1, ?2)").unwrap();
        let mut phone = tx.prepare("INSERT INTO contact_phones (rowid, digits) VALUES (?1, ?2)").unwrap();
        let mut engagement = tx.prepare("INSERT INTO engagement VALUES (?1, ?2, ?3)").unwrap();
        for c in contacts {
            let cr = &c.criteria;
            contact
                .execute(params![
                    &c.id.as_bytes()[..],
                    stage_code(c.stage),
                    fold(&c.display_name).trim(),
                    c.updated_at.timestamp_millis(),
                    c.target_group_manual.then(|| answer_code(cr.target_group)),
                    answer_code(cr.budget),
                    answer_code(cr.authority),
                    answer_code(cr.need),
                    answer_code(cr.timeline),
                    serde_json::to_string(c).unwrap(),
                ])
                .unwrap();
            let rowid = tx.last_insert_rowid();
            rowid_of.insert(c.id, rowid);
            word.execute(params![rowid, search_words(c)]).unwrap();
            let phone_digits: Vec<String> = c.phones.iter().map(|p| digits(p)).collect();
            if !phone_digits.is_empty() {
                phone.execute(params![rowid, phone_digits.join(" ")]).unwrap();
            }
            if let Some(s) = sums.get(&c.id) {
                let bytes: Vec<u8> = s.sums.iter().flat_map(|x| x.to_le_bytes()).collect();
                engagement.execute(params![rowid, s.base_ms, bytes]).unwrap();
            }
        }
        let mut activity = tx.prepare("INSERT INTO activities VALUES (NULL, ?1, ?2, ?3, ?4, ?5)").unwrap();
        for a in activities {
            activity
                .execute(params![
                    &a.id.as_bytes()[..],
                    rowid_of[&a.contact_id],
                    a.at.timestamp_millis(),
                    a.kind.index() as i64,
                    serde_json::to_string(a).unwrap(),
                ])
                .unwrap();
        }
        let mut task = tx.prepare("INSERT INTO tasks VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6)").unwrap();
        let mut reminder = tx.prepare("INSERT INTO reminders VALUES (?1, ?2, ?3)").unwrap();
        for t in tasks {
            task.execute(params![
                &t.id.as_bytes()[..],
                t.contact_id.map(|id| rowid_of[&id]),
                t.due.timestamp_millis(),
                t.all_day,
                t.done,
                serde_json::to_string(t).unwrap(),
            ])
            .unwrap();
            let rowid = tx.last_insert_rowid();
            for (slot, at) in t.pending() {
                reminder.execute(params![at.timestamp_millis(), rowid, slot]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
    db.execute_batch("ANALYZE").unwrap();
    db
}

/// The core's phone needle: the query's digits without a national trunk prefix.
fn needle(query_digits: &str) -> &str {
    let national = query_digits.trim_start_matches('0');
    if national.len() >= 3 {
        national
    } else {
        query_digits
    }
}

/// The WHERE clause (and its arguments) that matches what the core's search
/// index matches: every word a prefix of a contact's word, digit words of
/// three or more also as a substring of a phone number, and a phone-like
/// query of several words also by all its digits.
fn search_where(query: &str) -> (String, Vec<String>) {
    let folded = fold(query);
    let terms: Vec<&str> = words(&folded).collect();
    let in_words = "rowid IN (SELECT rowid FROM contact_words WHERE contact_words MATCH ?)";
    let in_phones = "rowid IN (SELECT rowid FROM contact_phones WHERE contact_phones MATCH ?)";
    let mut conds = Vec::new();
    let mut args = Vec::new();
    for term in &terms {
        args.push(format!("\"{term}\"*"));
        if term.len() >= 3 && term.bytes().all(|b| b.is_ascii_digit()) {
            conds.push(format!("({in_words} OR {in_phones})"));
            args.push(format!("\"{}\"", needle(term)));
        } else {
            conds.push(in_words.to_owned());
        }
    }
    let mut cond = conds.join(" AND ");
    let phone_like = query.chars().all(|c| c.is_ascii_digit() || " +()-/.".contains(c));
    let all_digits = digits(query);
    if phone_like && terms.len() > 1 && all_digits.len() >= 3 {
        cond = format!("({cond}) OR {in_phones}");
        args.push(format!("\"{}\"", needle(&all_digits)));
    }
    (cond, args)
}

fn decode_rows<T: serde::de::DeserializeOwned>(
    db: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> Vec<T> {
    let mut stmt = db.prepare_cached(sql).unwrap();
    let rows = stmt.query_map(args, |r| r.get::<_, String>(0)).unwrap();
    rows.map(|json| serde_json::from_str(&json.unwrap()).unwrap()).collect()
}

/// First page of the search (by name) with the number of matches.
fn sqlite_search(db: &Connection, query: &str) -> (Vec<Contact>, u32) {
    let (cond, args) = search_where(query);
    let sql =
        format!("SELECT json, count(*) OVER () FROM contacts WHERE {cond} ORDER BY name_key LIMIT {PAGE}");
    let mut stmt = db.prepare_cached(&sql).unwrap();
    let mut total = 0u32;
    let rows: Vec<String> = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            total = r.get(1)?;
            r.get(0)
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (rows.iter().map(|json| serde_json::from_str(json).unwrap()).collect(), total)
}

/// Matches per stage.
fn sqlite_search_counts(db: &Connection, query: &str) -> [u32; 5] {
    let (cond, args) = search_where(query);
    let sql = format!("SELECT stage, count(*) FROM contacts WHERE {cond} GROUP BY stage");
    let mut stmt = db.prepare_cached(&sql).unwrap();
    let mut counts = [0u32; 5];
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))
        .unwrap();
    for row in rows {
        let (stage, n) = row.unwrap();
        counts[stage] = n;
    }
    counts
}

/// Contacts per stage.
fn sqlite_stage_counts(db: &Connection) -> [u32; 5] {
    let mut stmt = db.prepare_cached("SELECT stage, count(*) FROM contacts GROUP BY stage").unwrap();
    let mut counts = [0u32; 5];
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?))).unwrap();
    for row in rows {
        let (stage, n) = row.unwrap();
        counts[stage] = n;
    }
    counts
}

/// First page of a stage (or all), by name or newest change first, with the total.
fn sqlite_list(db: &Connection, stage: Option<Stage>, sort: SortOrder) -> (Vec<Contact>, u32) {
    let order = match sort {
        SortOrder::LastChange => "updated_at DESC",
        // The bench lists by name and by last change (the index's own orders).
        _ => "name_key",
    };
    let (items, total) = match stage {
        Some(stage) => (
            decode_rows(
                db,
                &format!("SELECT json FROM contacts WHERE stage = ?1 ORDER BY {order} LIMIT {PAGE}"),
                [stage_code(stage)],
            ),
            db.prepare_cached("SELECT count(*) FROM contacts WHERE stage = ?1")
                .unwrap()
                .query_row([stage_code(stage)], |r| r.get(0))
                .unwrap(),
        ),
        None => (
            decode_rows(db, &format!("SELECT json FROM contacts ORDER BY {order} LIMIT {PAGE}"), []),
            db.prepare_cached("SELECT count(*) FROM contacts").unwrap().query_row([], |r| r.get(0)).unwrap(),
        ),
    };
    (items, total)
}

/// How many contacts are ready to qualify at `now`: the core's rules over
/// every contact's criteria and engagement sums, read from SQLite. (The
/// bench sets no target profile, so the target group is the one set by hand
/// or unknown, as the core proposes it then.)
fn sqlite_ready(db: &Connection, scoring: &ScoringSettings, now: DateTime<Utc>) -> u32 {
    let mut stmt = db
        .prepare_cached(
            "SELECT c.stage, c.target_group, c.budget, c.authority, c.need, c.timeline, e.base_ms, e.sums \
             FROM contacts c LEFT JOIN engagement e ON e.contact = c.rowid",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut ready = 0;
    while let Some(r) = rows.next().unwrap() {
        let criteria = Criteria {
            target_group: answer_of(r.get::<_, Option<i64>>(1).unwrap().unwrap_or(0)),
            budget: answer_of(r.get(2).unwrap()),
            authority: answer_of(r.get(3).unwrap()),
            need: answer_of(r.get(4).unwrap()),
            timeline: answer_of(r.get(5).unwrap()),
        };
        let engagement = match r.get::<_, Option<i64>>(6).unwrap() {
            None => 0.0,
            Some(base_ms) => {
                let blob = r.get_ref(7).unwrap().as_blob().unwrap();
                let mut sums = EngagementSums { base_ms, ..Default::default() };
                for (slot, chunk) in sums.sums.iter_mut().zip(blob.chunks_exact(8)) {
                    *slot = f64::from_le_bytes(chunk.try_into().unwrap());
                }
                sums.value_at(scoring, now).unwrap_or(0.0)
            }
        };
        let stage = Stage::ALL[r.get::<_, i64>(0).unwrap() as usize];
        let score = fit_points(&criteria, scoring) + engagement.min(PART_CAP).round() as u32;
        ready += u32::from(propose(stage, &criteria, score, scoring).is_some());
    }
    ready
}

/// A timeline page, newest first, with the counts per kind.
fn sqlite_timeline(db: &Connection, contact: i64) -> (Vec<Activity>, u32) {
    let items = decode_rows(
        db,
        "SELECT json FROM activities WHERE contact = ?1 ORDER BY at DESC LIMIT 50",
        [contact],
    );
    let mut stmt =
        db.prepare_cached("SELECT kind, count(*) FROM activities WHERE contact = ?1 GROUP BY kind").unwrap();
    let total: u32 = stmt.query_map([contact], |r| r.get::<_, u32>(1)).unwrap().map(Result::unwrap).sum();
    (items, total)
}

/// The open tasks of a view (`count_only`: how many), as the core defines
/// the views: timed tasks by their instant against the local day, all-day
/// ones (kept at UTC midnight of their day) by their day.
fn sqlite_view(
    db: &Connection,
    view: TaskView,
    tz: Tz,
    now: DateTime<Utc>,
    count_only: bool,
) -> (Vec<Task>, u32) {
    let today = now.with_timezone(&tz).date_naive();
    let day = |n: u64| today.checked_add_days(chrono::Days::new(n)).unwrap();
    let ms = |t: DateTime<Utc>| t.timestamp_millis();
    let local = |d: NaiveDate| ms(local_day_start(d, tz));
    let utc = |d: NaiveDate| ms(day_start(d));
    // [timed from, timed to), [all-day from, all-day to)
    let bounds = match view {
        TaskView::Overdue => [i64::MIN, ms(now), i64::MIN, utc(today)],
        TaskView::Today => [ms(now), local(day(1)), utc(today), utc(day(1))],
        TaskView::Upcoming => [local(day(1)), local(day(8)), utc(day(1)), utc(day(8))],
        _ => unreachable!(),
    };
    let part = "FROM tasks WHERE done = 0 AND all_day = ?1 AND due >= ?2 AND due < ?3";
    let all_day_part = part.replace("?1", "?4").replace("?2", "?5").replace("?3", "?6");
    if count_only {
        let sql = format!("SELECT (SELECT count(*) {part}) + (SELECT count(*) {all_day_part})");
        let n = db
            .prepare_cached(&sql)
            .unwrap()
            .query_row(params![0, bounds[0], bounds[1], 1, bounds[2], bounds[3]], |r| r.get(0))
            .unwrap();
        return (vec![], n);
    }
    let sql = format!(
        "SELECT json FROM (SELECT json, due {part} UNION ALL SELECT json, due {all_day_part}) ORDER BY due"
    );
    let items: Vec<Task> = decode_rows(db, &sql, params![0, bounds[0], bounds[1], 1, bounds[2], bounds[3]]);
    let n = items.len() as u32;
    (items, n)
}

/// Hands out the reminders due at `now` (marked fired in the task, in one
/// transaction) and returns how many, and the next one's time.
fn sqlite_take_due(db: &mut Connection, now: DateTime<Utc>) -> (usize, Option<i64>) {
    let tx = db.transaction().unwrap();
    let due: Vec<(i64, i64, i64)> = tx
        .prepare_cached("SELECT fire_at, task, slot FROM reminders WHERE fire_at <= ?1")
        .unwrap()
        .query_map([now.timestamp_millis()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (_, task, slot) in &due {
        let json: String = tx
            .prepare_cached("SELECT json FROM tasks WHERE rowid = ?1")
            .unwrap()
            .query_row([task], |r| r.get(0))
            .unwrap();
        let mut t: Task = serde_json::from_str(&json).unwrap();
        match t.reminders.get_mut(*slot as usize) {
            Some(r) => r.fired = true,
            None => t.snooze_fired = true,
        }
        tx.prepare_cached("UPDATE tasks SET json = ?2 WHERE rowid = ?1")
            .unwrap()
            .execute(params![task, serde_json::to_string(&t).unwrap()])
            .unwrap();
    }
    tx.prepare_cached("DELETE FROM reminders WHERE fire_at <= ?1")
        .unwrap()
        .execute([now.timestamp_millis()])
        .unwrap();
    tx.commit().unwrap();
    (due.len(), sqlite_next_reminder(db))
}

fn sqlite_next_reminder(db: &Connection) -> Option<i64> {
    db.prepare_cached("SELECT min(fire_at) FROM reminders").unwrap().query_row([], |r| r.get(0)).unwrap()
}

struct Silent;

impl Notifier for Silent {
    fn notify(&self, _: &Notice) {}
}

// ---- the report ---------------------------------------------------------------

/// One line of the summary.
struct Row {
    name: String,
    /// The bar in ms, with how it reads.
    bar: Option<(f64, &'static str)>,
    core: f64,
    sqlite: Option<f64>,
}

fn fmt_ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.3}")
    } else if v < 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let tz = Berlin;
    let mut rows: Vec<Row> = Vec::new();
    let mut rng = Lcg(42);

    // ---- build the store through the public API -------------------------------
    // KONTOR_BENCH_KEEP=DIR builds in DIR (empty or absent) and leaves the
    // stores there, to look at them afterwards.
    let temp = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("KONTOR_BENCH_KEEP").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).unwrap();
    let store_dir = dir.join("kontor");
    let store = Store::open(&store_dir).unwrap();
    store.set_time_zone(tz);
    let region = store.settings().region();
    let orgs = (n / 12).max(1);
    let plans: Vec<Plan> = (0..n).map(|i| plan(&mut rng, i, orgs, now)).collect();
    let mut dropped_phones = 0;
    let (mut contacts, build_contacts) = time(|| {
        // Rules would add a follow-up task per new prospect; the task count is ours.
        let _pause = store.pause_automation();
        plans
            .iter()
            .map(|p| {
                let mut input = p.input.clone();
                let before = input.phones.len();
                input.phones.retain(|ph| normalize_phone(ph, region).is_some());
                dropped_phones += before - input.phones.len();
                let mut c = store.create_contact(&input, ChangedBy::Hand, p.created).unwrap();
                for (k, (to, reason)) in path(p.stage).iter().enumerate() {
                    let request =
                        StageChangeRequest { to: *to, reason: reason.map(Into::into), force: false };
                    let at = p.created + Span::days(3 + 9 * k as i64);
                    c = store.change_stage(c.id, &request, ChangedBy::Hand, at).unwrap().value;
                }
                if let Some(update) = &p.criteria {
                    let at = p.created + Span::days(30);
                    c = store.set_criteria(c.id, update, at).unwrap().value;
                }
                c
            })
            .collect::<Vec<Contact>>()
    });
    let stage_changes: usize = plans.iter().map(|p| path(p.stage).len()).sum();
    let criteria_set = plans.iter().filter(|p| p.criteria.is_some()).count();
    println!(
        "build: {n} contacts ({orgs} organisations, {stage_changes} stage changes, {criteria_set} criteria \
         updates, {dropped_phones} generated phones invalid and left out) in {:.1} s",
        build_contacts.as_secs_f64()
    );

    let busy = contacts[0].id;
    let mut activities: Vec<Activity> = Vec::new();
    let (_, build_activities) = time(|| {
        for (c, p) in contacts.iter().zip(&plans) {
            let inputs: Vec<ActivityInput> = if c.id == busy {
                (0..BUSY)
                    .map(|i| ActivityInput {
                        kind: ActivityKind::ALL[i % 12],
                        at: Some(now - Span::minutes(7 * i as i64 + 5)),
                        summary: Some(SUMMARIES[i % SUMMARIES.len()].into()),
                        text: None,
                        outcome: None,
                        concerns: None,
                    })
                    .collect()
            } else {
                p.activities
                    .iter()
                    .map(|(kind, ago, summary)| ActivityInput {
                        kind: *kind,
                        at: Some(now - *ago),
                        summary: Some(SUMMARIES[*summary as usize].into()),
                        text: None,
                        outcome: None,
                        concerns: None,
                    })
                    .collect()
            };
            if !inputs.is_empty() {
                activities.extend(store.log_activities(c.id, inputs, now).unwrap().value.0);
            }
        }
    });
    println!(
        "build: {} activities (one contact with {BUSY}) in {:.1} s, one log_activities call per contact",
        activities.len(),
        build_activities.as_secs_f64()
    );

    let mut tasks: Vec<Task> = Vec::with_capacity(n);
    let mut completed = 0;
    let (_, build_tasks) = time(|| {
        let _pause = store.pause_automation();
        for _ in 0..n {
            let task = store.create_task(task_input(&mut rng, &contacts, now), tz, now).unwrap();
            // Most of what was due before today is done.
            if task.due < now - Span::days(1) && rng.chance(85) {
                let (done, next) = store.complete_task(task.id, tz, now).unwrap().value;
                completed += 1;
                tasks.push(done);
                tasks.extend(next);
            } else {
                tasks.push(task);
            }
        }
    });
    println!("build: {n} tasks ({completed} of them completed) in {:.1} s", build_tasks.as_secs_f64());
    let (_, build_deals) = time(|| {
        let _pause = store.pause_automation();
        for i in 0..n / 10 {
            let c = &contacts[rng.below(contacts.len() as u64) as usize];
            let deal = DealInput {
                contact_id: c.id,
                title: format!(
                    "{} {}",
                    rng.pick(DEAL_TITLES),
                    c.organization.as_deref().unwrap_or(&c.last_name)
                ),
                value: 1000.0 + (i % 50) as f64 * 250.0,
                currency: "EUR".into(),
                ..Default::default()
            };
            store.create_deal(&deal, now).unwrap();
        }
    });
    println!("build: {} deals in {:.1} s", n / 10, build_deals.as_secs_f64());
    // What the app's upkeep does in the background: the delta of all these
    // writes goes into a segment file.
    let (_, merge) = time(|| store.maintain(now).unwrap());
    println!("build: the search delta merged into a segment in {:.1} s", merge.as_secs_f64());
    let build_total = build_contacts + build_activities + build_tasks + build_deals;
    println!("build: the store in {:.1} s in all", build_total.as_secs_f64());

    // The SQLite baseline gets the very records the store holds.
    contacts = contacts.iter().map(|c| store.contact(c.id, now).unwrap()).collect();
    let scoring = store.settings().scoring;
    let mut sums: HashMap<Uuid, EngagementSums> = HashMap::new();
    for a in &activities {
        sums.entry(a.contact_id).or_default().add(a.kind, a.at.timestamp_millis(), &scoring);
    }
    let sqlite_path = dir.join("baseline.sqlite");
    let (mut db, load) = time(|| load_sqlite(&sqlite_path, &contacts, &activities, &sums, &tasks));
    println!(
        "build: SQLite baseline loaded in one transaction in {:.1} s (FTS5 with prefix indexes, trigram phones)",
        load.as_secs_f64()
    );
    let busy_row: i64 = db
        .query_row("SELECT rowid FROM contacts WHERE id = ?1", [&busy.as_bytes()[..]], |r| r.get(0))
        .unwrap();
    drop(activities);

    // ---- 1. search as the user types ----------------------------------------------
    // (query, whether it has a typo: SQLite's FTS5 cannot match those, so
    // the match counts are compared on the others only).
    let queries = [
        ("müller", false),
        ("mueller", false),
        ("schmidt anna", false),
        ("0170 12", false),
        ("j.weber@", false),
        ("nordlicht-logistik", false),
        ("maschinenbau", false),
        ("messe hann", false),
        ("smith", false),
        ("köhler jürgen", false),
        ("würzburg", false),
        ("wartungsvertrag", false),
        ("geschäftsführer", false),
        ("97070", false),
        ("empfehlung", false),
        ("schmitd", true),
        ("wurzbrug", true),
        ("maschinenbao", true),
        ("geschäftsfürer", true),
        ("hoffmnan", true),
    ];
    let keystrokes: Vec<(String, bool)> = queries
        .iter()
        .flat_map(|(q, typo)| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len()).map(move |k| (chars[..k].iter().collect::<String>(), *typo))
        })
        .filter(|(q, _)| !q.trim().is_empty())
        .collect();
    // Core and FTS5 count the same matches where the core searches as FTS5
    // does: by prefix only (words of at most four letters; digits never
    // take typos) and to the end (one- or two-letter queries stop after
    // the first page and give a lower bound).
    let comparable = |q: &str, typo: bool| {
        !typo
            && q.trim().chars().count() >= 3
            && q.split_whitespace().all(|w| w.chars().count() <= 4 || w.chars().any(|c| c.is_ascii_digit()))
    };
    let exact = keystrokes.iter().filter(|(q, typo)| comparable(q, *typo)).count();
    let search = |q: &str| ListQuery { search: Some(q.into()), limit: PAGE, ..Default::default() };
    let mut core_list = Vec::new();
    let mut lite_list = Vec::new();
    let mut core_counts = Vec::new();
    let mut lite_counts = Vec::new();
    let mut agree = 0;
    let mut disagree = Vec::new();
    for round in 0..3 {
        for (q, typo) in &keystrokes {
            let (page, d) = time(|| store.list_contacts(&search(q), now).unwrap());
            let ((_, total), e) = time(|| sqlite_search(&db, q));
            let (counts, f) = time(|| store.stage_counts(Some(q), now).unwrap());
            let (lite, g) = time(|| sqlite_search_counts(&db, q));
            if round == 0 {
                if comparable(q, *typo) {
                    let same = page.total == total && counts.all == lite.iter().sum::<u32>();
                    agree += usize::from(same);
                    if !same && disagree.len() < 5 {
                        disagree.push(format!("{q:?}: core {} SQLite {total}", page.total));
                    }
                }
                continue; // warm-up
            }
            core_list.push(d);
            lite_list.push(e);
            core_counts.push(f);
            lite_counts.push(g);
        }
    }
    println!(
        "\n1. search: {} keystrokes over {} queries (prefixes, typos, names, companies, emails, phones, \
         tags, notes, job titles, cities, postcodes, sources), each timed twice after a warm-up; core and \
         SQLite agree on the match count of {agree} of the {exact} keystrokes that both search by prefix \
         only (three or more letters, no word over four)",
        keystrokes.len(),
        queries.len(),
    );
    if !disagree.is_empty() {
        println!("   they disagree on: {}", disagree.join("; "));
    }
    let worst = keystrokes
        .iter()
        .map(|(q, _)| (time(|| store.list_contacts(&search(q), now).unwrap()), q))
        .max_by_key(|((_, d), _)| *d)
        .map(|((page, d), q)| format!("{q:?} ({} matches, {:.2} ms)", page.total, ms(d)))
        .unwrap();
    println!("   slowest keystroke in a last pass: {worst}");
    let [c50, c99, cmax] = stats(core_list);
    let [s50, s99, smax] = stats(lite_list);
    let [k50, k99, kmax] = stats(core_counts);
    let [l50, l99, lmax] = stats(lite_counts);
    for (name, core, lite) in
        [("search page p50", c50, s50), ("search page p99", c99, s99), ("search page max", cmax, smax)]
    {
        let bar = name.ends_with("p99").then_some((1.0, "p99 < 1 ms"));
        rows.push(Row { name: name.into(), bar, core, sqlite: Some(lite) });
    }
    for (name, core, lite) in [
        ("search stage counts p50", k50, l50),
        ("search stage counts p99", k99, l99),
        ("search stage counts max", kmax, lmax),
    ] {
        rows.push(Row { name: name.into(), bar: None, core, sqlite: Some(lite) });
    }
    // The search box's grouped results: contacts, organisations and deals.
    let mut grouped = Vec::new();
    for round in 0..3 {
        for (q, _) in &keystrokes {
            let request = SearchQuery { text: q.clone(), kind: None, limit: 5, per_kind: true };
            let (_, d) = time(|| store.search(&request).unwrap());
            if round > 0 {
                grouped.push(d);
            }
        }
    }
    let [g50, g99, _] = stats(grouped);
    rows.push(Row { name: "search all kinds p50 (5 per kind)".into(), bar: None, core: g50, sqlite: None });
    rows.push(Row {
        name: "search all kinds p99 (5 per kind)".into(),
        bar: Some((1.0, "p99 < 1 ms")),
        core: g99,
        sqlite: None,
    });

    // ---- 2. list by stage, first page ------------------------------------------------
    let mut stage_rows = Vec::new();
    for sort in [SortOrder::Name, SortOrder::LastChange] {
        for stage in std::iter::once(None).chain(Stage::ALL.map(Some)) {
            let query = ListQuery { stage, sort, limit: PAGE, ..Default::default() };
            let mut core = Vec::new();
            let mut lite = Vec::new();
            for round in 0..21 {
                let (_, d) = time(|| store.list_contacts(&query, now).unwrap());
                let (_, e) = time(|| sqlite_list(&db, stage, sort));
                if round > 0 {
                    core.push(d);
                    lite.push(e);
                }
            }
            let label = format!(
                "{}, {}",
                stage.map_or("all", Stage::key),
                match sort {
                    SortOrder::LastChange => "by last change",
                    _ => "by name",
                }
            );
            stage_rows.push((label, stats(core), stats(lite)));
        }
    }
    println!("\n2. list by stage, first page of {PAGE} (median of 20 / max, ms):");
    for (label, core, lite) in &stage_rows {
        println!(
            "   {label:<32} core {:>8} / {:>8}   SQLite {:>8} / {:>8}",
            fmt_ms(core[0]),
            fmt_ms(core[2]),
            fmt_ms(lite[0]),
            fmt_ms(lite[2])
        );
    }
    let worst_median = |pick: fn(&([f64; 3], [f64; 3])) -> f64| {
        stage_rows.iter().map(|(_, c, l)| pick(&(*c, *l))).fold(0.0, f64::max)
    };
    rows.push(Row {
        name: "stage list page (worst median)".into(),
        bar: Some((1.0, "< 1 ms")),
        core: worst_median(|(c, _)| c[0]),
        sqlite: Some(worst_median(|(_, l)| l[0])),
    });

    // ---- 2b. computed orders and saved views -------------------------------------------
    // Computed once per write from all contacts, then kept: the first call
    // after a write pays, the next ones read the kept result. Against the
    // plain stage list page of section 2 in this run.
    {
        use kontor_core::filter::{ContactFilter, SavedView};
        let base = worst_median(|(c, _)| c[0]).max(0.001);
        let view = |id: &str, filter: ContactFilter| SavedView {
            id: id.into(),
            name: id.into(),
            stage: None,
            filter,
        };
        let views = [
            view("tag", ContactFilter { tag: Some("messe".into()), ..Default::default() }),
            view("no-task", ContactFilter { no_next_task: true, ..Default::default() }),
            view("quiet", ContactFilter { inactive_days: Some(30), ..Default::default() }),
        ];
        let filtered = ListQuery {
            filter: Some(views[0].filter.clone()),
            sort: SortOrder::LastName,
            limit: PAGE,
            ..Default::default()
        };
        let by_last = ListQuery { sort: SortOrder::LastName, limit: PAGE, ..Default::default() };
        let mut lines = Vec::new();
        // A write first, so that the first call computes anew.
        let any =
            store.list_contacts(&ListQuery { limit: 1, ..Default::default() }, now).unwrap().items[0].id;
        let touch = |at: DateTime<Utc>| {
            let c = store.contact(any, at).unwrap();
            store.update_contact(any, &ContactInput::from(&c), at).unwrap();
        };
        touch(now);
        let (_, cold) = time(|| store.list_contacts(&by_last, now).unwrap());
        let (_, warm) = time(|| store.list_contacts(&by_last, now).unwrap());
        lines.push(("list by last name, first page", cold, warm));
        let (counts, cold) = time(|| store.view_counts(&views, now).unwrap());
        let (_, warm) = time(|| store.view_counts(&views, now).unwrap());
        lines.push(("3 saved views' counts", cold, warm));
        let (_, warm_page) = time(|| store.list_contacts(&filtered, now).unwrap());
        touch(now + Span::seconds(1));
        let (_, cold_page) = time(|| store.list_contacts(&filtered, now + Span::seconds(1)).unwrap());
        lines.push(("filtered list (tag), first page", cold_page, warm_page));
        println!("\n2b. computed orders and saved views (first call after a write / next call, ms; ratio to the stage list page):");
        for (label, cold, warm) in &lines {
            println!(
                "   {label:<32} {:>9} / {:>8}   ×{:.0} / ×{:.1}",
                fmt_ms(ms(*cold)),
                fmt_ms(ms(*warm)),
                ms(*cold) / base,
                ms(*warm) / base
            );
        }
        println!(
            "   counts: {}",
            counts.iter().map(|c| format!("{} {}", c.id, c.count)).collect::<Vec<_>>().join(", ")
        );
    }

    // ---- 3. rescoring everyone ---------------------------------------------------------
    let mut core = Vec::new();
    let mut lite = Vec::new();
    let mut ready = (0, 0);
    for round in 0..6 {
        let (counts, d) = time(|| store.stage_counts(None, now).unwrap());
        let (r, e) = time(|| sqlite_ready(&db, &scoring, now));
        ready = (counts.ready_to_qualify, r);
        if round > 0 {
            core.push(d);
            lite.push(e);
        }
    }
    let (ready_list, ready_page) = time(|| {
        store
            .list_contacts(
                &ListQuery { ready_to_qualify: true, limit: READY_SCAN, ..Default::default() },
                now,
            )
            .unwrap()
    });
    println!(
        "\n3. rescoring everyone: {} contacts ready to qualify (SQLite: {}); the ready list's first {READY_SCAN} \
         rows ({} of {}) in {:.1} ms",
        ready.0,
        ready.1,
        ready_list.items.len(),
        ready_list.total,
        ms(ready_page)
    );
    rows.push(Row {
        name: "rescore everyone (stage counts, median)".into(),
        bar: Some((100.0, "< 100 ms")),
        core: stats(core)[0],
        sqlite: Some(stats(lite)[0]),
    });
    rows.push(Row { name: "ready list first page".into(), bar: None, core: ms(ready_page), sqlite: None });

    // ---- 4. the contact with 10,000 activities ----------------------------------------------
    let mut core = Vec::new();
    let mut lite = Vec::new();
    let mut open_contact = Vec::new();
    let mut totals = (0, 0);
    for round in 0..21 {
        let (page, d) = time(|| store.list_activities(busy, &ActivityQuery::default()).unwrap());
        let ((_, total), e) = time(|| sqlite_timeline(&db, busy_row));
        // All the core calls the contact page makes when it opens.
        let (_, f) = time(|| {
            let c = store.contact(busy, now).unwrap();
            store.contact_score(busy, now).unwrap();
            if let Some(id) = c.organization_id {
                store.organization(id).unwrap();
            }
            store.list_activities(busy, &ActivityQuery::default()).unwrap();
            store.contact_tasks(busy).unwrap();
            store.contact_deals(busy).unwrap();
        });
        totals = (page.total, total);
        if round > 0 {
            core.push(d);
            lite.push(e);
            open_contact.push(f);
        }
    }
    println!(
        "\n4. contact with {} activities (SQLite counts {}): first timeline page of 50",
        totals.0, totals.1
    );
    rows.push(Row {
        name: "10k-activity timeline page (median)".into(),
        bar: None,
        core: stats(core)[0],
        sqlite: Some(stats(lite)[0]),
    });
    rows.push(Row {
        name: "open that contact, all calls (median)".into(),
        bar: None,
        core: stats(open_contact)[0],
        sqlite: None,
    });

    // ---- 5. tasks: views, counts, reminders ----------------------------------------------
    println!("\n5. tasks (median of 20, ms; core / SQLite):");
    for view in [TaskView::Overdue, TaskView::Today, TaskView::Upcoming] {
        let mut core = Vec::new();
        let mut lite = Vec::new();
        let mut sizes = (0, 0);
        for round in 0..21 {
            let (items, d) = time(|| store.tasks(view, tz, now).unwrap());
            let ((_, m), e) = time(|| sqlite_view(&db, view, tz, now, false));
            sizes = (items.len(), m);
            if round > 0 {
                core.push(d);
                lite.push(e);
            }
        }
        let name = format!("task view {view:?} ({} tasks)", sizes.0);
        println!(
            "   {name:<40} {:>8} / {:>8}   (SQLite finds {})",
            fmt_ms(stats(core.clone())[0]),
            fmt_ms(stats(lite.clone())[0]),
            sizes.1
        );
        rows.push(Row { name, bar: None, core: stats(core)[0], sqlite: Some(stats(lite)[0]) });
    }
    let mut core = Vec::new();
    let mut lite = Vec::new();
    let mut counted = String::new();
    for round in 0..21 {
        let (counts, d) = time(|| store.task_counts(tz, now).unwrap());
        let (lc, e) = time(|| {
            [TaskView::Overdue, TaskView::Today, TaskView::Upcoming]
                .map(|v| sqlite_view(&db, v, tz, now, true).1)
        });
        counted = format!(
            "overdue {} / today {} / upcoming {} / open {} (SQLite {} / {} / {})",
            counts.overdue, counts.today, counts.upcoming, counts.open, lc[0], lc[1], lc[2]
        );
        if round > 0 {
            core.push(d);
            lite.push(e);
        }
    }
    println!("   task counts: {counted}");
    rows.push(Row {
        name: "task counts (median)".into(),
        bar: None,
        core: stats(core)[0],
        sqlite: Some(stats(lite)[0]),
    });

    let mut core = Vec::new();
    let mut lite = Vec::new();
    for _ in 0..1000 {
        core.push(time(|| store.next_reminder_at().unwrap()).1);
        lite.push(time(|| sqlite_next_reminder(&db)).1);
    }
    rows.push(Row {
        name: "next reminder lookup (median)".into(),
        bar: None,
        core: stats(core)[0],
        sqlite: Some(stats(lite)[0]),
    });

    // The scheduler's passes: wake at the next reminder, hand out what is due.
    let mut core = Vec::new();
    let mut lite = Vec::new();
    let mut handed = (0, 0);
    let mut at = now;
    for _ in 0..100 {
        let Some(next) = store.next_reminder_at().unwrap() else { break };
        at = next;
        let ((fired, _), d) = time(|| reminders::run_pass(&store, &Silent, false, at, None).unwrap());
        let ((m, _), e) = time(|| sqlite_take_due(&mut db, at));
        handed = (handed.0 + fired, handed.1 + m);
        core.push(d);
        lite.push(e);
    }
    println!(
        "   reminder passes: {} passes to {}, {} tasks reminded (SQLite: {} reminders)",
        core.len(),
        at.format("%Y-%m-%d %H:%M"),
        handed.0,
        handed.1
    );
    let [p50, _, pmax] = stats(core);
    let [q50, _, qmax] = stats(lite);
    rows.push(Row { name: "reminder pass p50".into(), bar: None, core: p50, sqlite: Some(q50) });
    rows.push(Row { name: "reminder pass max".into(), bar: None, core: pmax, sqlite: Some(qmax) });
    // The first pass after two days closed: every reminder missed meanwhile.
    let later = at + Span::days(2);
    let (missed, d) = time(|| reminders::due_notices(&store, later, Some(later)).unwrap());
    let ((m, _), e) = time(|| sqlite_take_due(&mut db, later));
    let reminded: usize = missed
        .iter()
        .map(|n| match n {
            Notice::One(_) | Notice::Appointment(_) => 1,
            Notice::Missed(all) => all.len(),
        })
        .sum();
    println!("   first pass after 2 days closed: {reminded} tasks reminded (SQLite: {m} reminders)");
    rows.push(Row {
        name: "missed-reminders pass (2 days)".into(),
        bar: None,
        core: ms(d),
        sqlite: Some(ms(e)),
    });

    // ---- 6. opening the store ------------------------------------------------------------
    drop(store);
    drop(db);
    let sled_bytes = dir_size(&store_dir);
    let sqlite_bytes = dir_size(dir) - sled_bytes;
    let mut core_open = Vec::new();
    let mut core_ready = Vec::new();
    let mut lite_ready = Vec::new();
    for _ in 0..3 {
        // sled lets go of its lock a moment after the last handle is dropped.
        std::thread::sleep(Duration::from_millis(1500));
        let start = Instant::now();
        let store = Store::open(&store_dir).unwrap();
        core_open.push(start.elapsed());
        store.list_contacts(&ListQuery { limit: PAGE, ..Default::default() }, now).unwrap();
        store.stage_counts(None, now).unwrap();
        core_ready.push(start.elapsed());
        drop(store);
        let (_, e) = time(|| {
            let db = Connection::open(&sqlite_path).unwrap();
            sqlite_list(&db, None, SortOrder::Name);
            sqlite_stage_counts(&db);
            sqlite_ready(&db, &scoring, now);
        });
        lite_ready.push(e);
    }
    println!(
        "\n6. open: the store holds {:.0} MB on disk, the SQLite database {:.0} MB (files in the OS cache: a warm start)",
        sled_bytes as f64 / 1e6,
        sqlite_bytes as f64 / 1e6
    );
    rows.push(Row {
        name: "Store::open (median of 3)".into(),
        bar: None,
        core: stats(core_open)[0],
        sqlite: None,
    });
    rows.push(Row {
        name: "open + first page + stage counts".into(),
        bar: Some((500.0, "app < 0.5 s")),
        core: stats(core_ready)[0],
        sqlite: Some(stats(lite_ready)[0]),
    });
    // ---- 7. importing a CSV of the same contacts ------------------------------------------
    let csv_path = dir.join("contacts.csv");
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_path(&csv_path).unwrap();
        w.write_record([
            "Vorname",
            "Nachname",
            "Firma",
            "Position",
            "E-Mail",
            "Telefon",
            "Straße",
            "PLZ",
            "Ort",
            "Quelle",
            "Schlagworte",
            "Bemerkung",
        ])
        .unwrap();
        for p in &plans {
            let i = &p.input;
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            w.write_record([
                i.first_name.clone(),
                i.last_name.clone(),
                o(&i.organization),
                o(&i.title),
                i.emails.join(","),
                i.phones.join(","),
                o(&i.address.street),
                o(&i.address.postcode),
                o(&i.address.city),
                o(&i.source),
                i.tags.join(","),
                o(&i.notes),
            ])
            .unwrap();
        }
        w.flush().unwrap();
    }
    let csv_bytes = std::fs::read(&csv_path).unwrap();
    let import_dir = dir.join("imported");
    let (report, core_import) = time(|| {
        let store = Store::open(&import_dir).unwrap();
        let options = kontor_core::import::ImportOptions::default();
        let parsed = kontor_core::import::parse(&csv_bytes, "contacts.csv", &options).unwrap();
        store.import(parsed, "contacts.csv", &options, false, |_, _| true, now).unwrap()
    });
    let import_db = dir.join("imported.sqlite");
    let (_, lite_import) = time(|| {
        let mut db = Connection::open(&import_db).unwrap();
        db.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE contacts (vorname, nachname, firma, position, email, telefon, strasse, plz, ort, quelle, tags, notiz);
             CREATE VIRTUAL TABLE fts USING fts5 (vorname, nachname, firma, position, email, telefon, strasse, plz, ort, quelle, tags, notiz);",
        )
        .unwrap();
        let tx = db.transaction().unwrap();
        {
            let mut row = tx
                .prepare("INSERT INTO contacts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
                .unwrap();
            let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(csv_bytes.as_slice());
            for record in reader.records() {
                let r = record.unwrap();
                row.execute(params_from_iter(r.iter())).unwrap();
            }
        }
        tx.execute_batch("INSERT INTO fts SELECT * FROM contacts").unwrap();
        tx.commit().unwrap();
    });
    let imported_bytes = dir_size(&import_dir);
    let imported_lite = std::fs::metadata(&import_db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(import_db.with_extension("sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    println!(
        "\n7. import of a {:.0} MB CSV of the {n} contacts: {} imported, {} merged; the store then holds {:.0} MB, \
         SQLite (a table and FTS5 over every column) {:.0} MB",
        csv_bytes.len() as f64 / 1e6,
        report.imported,
        report.merged,
        imported_bytes as f64 / 1e6,
        imported_lite as f64 / 1e6,
    );
    rows.push(Row {
        name: "import the CSV (parse, store, index)".into(),
        bar: Some((2.0 * ms(lite_import), "≤ 2× SQLite")),
        core: ms(core_import),
        sqlite: Some(ms(lite_import)),
    });

    rows.push(Row {
        name: "build the store (all API calls)".into(),
        bar: None,
        core: ms(build_total),
        sqlite: Some(ms(load)),
    });

    // ---- summary ---------------------------------------------------------------------------
    println!("\nsummary: {n} contacts, ms (ratio: core time / SQLite time; below 1 the core is faster)");
    println!("{:<42} {:>12} {:>10} {:>10} {:>8}  meets bar", "measure", "bar", "core", "SQLite", "ratio");
    for row in &rows {
        let (bar, meets) = match row.bar {
            Some((limit, text)) => (text, if row.core < limit { "yes" } else { "NO" }),
            None => ("", ""),
        };
        let (lite, ratio) = match row.sqlite {
            Some(s) => (fmt_ms(s), format!("{:.2}", row.core / s)),
            None => ("—".into(), "—".into()),
        };
        println!("{:<42} {:>12} {:>10} {:>10} {:>8}  {meets}", row.name, bar, fmt_ms(row.core), lite, ratio);
    }
}

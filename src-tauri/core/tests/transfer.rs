//! Import, export, duplicates, merge, GDPR and backup through the store's
//! public API, on a real sled directory, with files written the way Google
//! Contacts, Outlook, HubSpot, German Excel, iPhones and Android phones
//! write them (see `tests/fixtures/import/`).

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use kontor_core::backup_file::BackupFile;
use kontor_core::duplicate::{DuplicateKind, MergeField, MergePicks};
use kontor_core::export;
use kontor_core::import::{self, ImportOptions, ImportReport};
use kontor_core::{
    ActivityInput, ActivityKind, ChangedBy, Contact, ContactInput, DealInput, Error, ListQuery, Stage, Store,
    TaskInput,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)).unwrap()
}

fn import_bytes(store: &Store, bytes: &[u8], name: &str) -> ImportReport {
    let options = ImportOptions::default();
    let parsed = import::parse(bytes, name, &options).unwrap();
    store.import(parsed, name, &options, false, |_, _| true, t0()).unwrap()
}

fn import_fixture(store: &Store, name: &str) -> ImportReport {
    import_bytes(store, &fixture(name), name)
}

fn all(store: &Store) -> Vec<Contact> {
    store.list_contacts(&ListQuery { limit: 10_000, ..Default::default() }, t0()).unwrap().items
}

fn by_name<'a>(contacts: &'a [Contact], name: &str) -> &'a Contact {
    contacts.iter().find(|c| c.display_name == name).unwrap_or_else(|| {
        panic!("no {name} in {:?}", contacts.iter().map(|c| &c.display_name).collect::<Vec<_>>())
    })
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn google_contacts_with_multi_values_labels_and_a_company_entry() {
    let (_d, store) = open();
    let report = import_fixture(&store, "google_contacts.csv");
    assert_eq!((report.imported, report.merged, report.skipped, report.errors.len()), (3, 0, 0, 0));
    let all = all(&store);
    let anna = by_name(&all, "Anna Maria Schmidt");
    assert_eq!(anna.salutation.as_deref(), Some("Dr."));
    assert_eq!(anna.title.as_deref(), Some("Einkaufsleiterin"));
    assert_eq!(anna.organization.as_deref(), Some("Müller & Söhne GmbH"));
    assert_eq!(anna.emails, ["anna.schmidt@mueller-soehne.de", "anna.s@example.com"]);
    assert_eq!(anna.phones, ["+491701234567", "+491717654321", "+49301234567"]);
    assert_eq!(anna.tags, ["Messe 2026"]);
    assert_eq!(anna.address.postcode.as_deref(), Some("10115"));
    assert_eq!(anna.address.city.as_deref(), Some("Berlin"));
    assert!(anna.notes.as_deref().unwrap().starts_with("Kennengelernt auf der Messe,\nwill Angebot"));
    assert_eq!(anna.source.as_deref(), Some("google_contacts.csv"));
    assert_eq!(anna.stage, Stage::Lead);
    assert_eq!(anna.stage_history[0].by, ChangedBy::Import);
    // A row with only a company is named after it.
    assert_eq!(by_name(&all, "ACME AG").emails, ["info@acme.example"]);
    assert!(by_name(&all, "Ben Becker").tags.is_empty(), "Google's system groups are no tags");
}

#[test]
fn google_old_layout() {
    let (_d, store) = open();
    assert_eq!(import_fixture(&store, "google_old.csv").imported, 1);
    let all = all(&store);
    let carla = by_name(&all, "Carla Weiß");
    assert_eq!((carla.first_name.as_str(), carla.last_name.as_str()), ("Carla", "Weiß"));
    assert_eq!(carla.organization.as_deref(), Some("Weiß Logistik"));
    assert_eq!(carla.title.as_deref(), Some("Geschäftsführerin"));
    assert_eq!(carla.phones, ["+4915123456789"]);
    assert_eq!(carla.tags, ["Kunden"]);
}

#[test]
fn outlook_in_windows_1252_title_is_the_salutation() {
    let (_d, store) = open();
    let report = import_fixture(&store, "outlook.csv");
    assert_eq!((report.imported, report.errors.len()), (2, 0));
    let all = all(&store);
    let j = by_name(&all, "Jürgen Groß");
    assert_eq!(j.salutation.as_deref(), Some("Herr"));
    assert_eq!(j.title.as_deref(), Some("Inhaber"));
    assert_eq!(j.organization.as_deref(), Some("Bäckerei Groß"));
    assert_eq!(j.phones, ["+4989123456", "+491723456789"]);
    assert_eq!(j.emails, ["j.gross@baeckerei-gross.de"]);
    assert_eq!(j.address.city.as_deref(), Some("München"));
    assert_eq!(j.tags, ["Kunden", "Bayern"]);
    assert!(j.notes.as_deref().unwrap().contains("Mag Brezen – „ohne Salz“"));
    // Only a home address: it is kept.
    let eva = by_name(&all, "Eva Klein");
    assert_eq!(eva.address.street.as_deref(), Some("Gartenweg 3"));
    assert_eq!(eva.website.as_deref(), Some("www.eva-klein.de"));
}

#[test]
fn german_outlook_with_semicolons() {
    let (_d, store) = open();
    assert_eq!(import_fixture(&store, "outlook_de.csv").imported, 1);
    let all = all(&store);
    let s = by_name(&all, "Sabine Köhler");
    assert_eq!(s.salutation.as_deref(), Some("Frau"));
    assert_eq!(s.title.as_deref(), Some("Leiterin Einkauf"));
    assert_eq!(s.address.street.as_deref(), Some("Industriestraße 12"));
    assert_eq!(s.address.region.as_deref(), Some("Baden-Württemberg"));
    assert_eq!(s.phones, ["+49711123450", "+491609988776"]);
    assert_eq!(s.tags, ["Messe", "A-Kunde"]);
}

#[test]
fn hubspot_lifecycle_stages_become_ours() {
    let (_d, store) = open();
    let report = import_fixture(&store, "hubspot.csv");
    assert_eq!((report.imported, report.errors.len(), report.warnings.len()), (5, 0, 1));
    assert_eq!(report.warnings[0].line, 6);
    let all = all(&store);
    let stage = |n: &str| by_name(&all, n).stage;
    assert_eq!(stage("Lena Fischer"), Stage::Prospect);
    assert_eq!(stage("Tom Wagner"), Stage::Customer);
    assert_eq!(stage("Ute Braun"), Stage::Opportunity);
    assert_eq!(stage("Kai Neu"), Stage::Lead);
    assert_eq!(stage("Ida Rätsel"), Stage::Lead);
    let lena = by_name(&all, "Lena Fischer");
    assert_eq!(lena.stage_history.last().unwrap().by, ChangedBy::Import);
    assert!(lena.notes.as_deref().unwrap().contains("Record ID: 1501"));
    assert_eq!(lena.address.city.as_deref(), Some("Hamburg"));
}

#[test]
fn german_excel_reports_each_bad_row_with_its_line_and_keeps_the_rest() {
    let (_d, store) = open();
    let report = import_fixture(&store, "excel_de.csv");
    assert_eq!((report.imported, report.skipped), (2, 1), "{report:?}");
    let lines: Vec<u32> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [6, 7], "{report:?}");
    assert_eq!(report.warnings[0].line, 5);
    let all = all(&store);
    let s = by_name(&all, "Stefan Müller");
    assert_eq!(s.salutation.as_deref(), Some("Herr"));
    assert_eq!(s.title.as_deref(), Some("Bauleiter"));
    assert_eq!(s.address.street.as_deref(), Some("Kaiser-Joseph-Straße 1"));
    assert_eq!(s.notes.as_deref(), Some("Messe Stand B12\r\nRückruf im März"));
    let jana = by_name(&all, "Jana Schäfer");
    assert!(jana.emails.is_empty());
    assert!(jana.notes.as_deref().unwrap().contains("jana.schaefer(at)example.de"), "nothing lost");
}

#[test]
fn iphone_vcard_with_groups_photo_and_a_company_card() {
    let (_d, store) = open();
    let report = import_fixture(&store, "iphone.vcf");
    assert_eq!((report.imported, report.errors.len()), (2, 0));
    let all = all(&store);
    assert_eq!(all.len(), 1, "the company card is an organisation, not a person");
    let k = &all[0];
    assert_eq!(k.display_name, "Klaus Hoffmann");
    assert_eq!(k.organization.as_deref(), Some("Hoffmann Elektro"));
    assert_eq!(k.phones, ["+491605556667", "+49351445566"]);
    assert_eq!(k.address.street.as_deref(), Some("Elbstraße 7"));
    assert_eq!(k.website.as_deref(), Some("https://hoffmann-elektro.de"));
    assert_eq!(k.notes.as_deref(), Some("Kennt Anna Schmidt, will Wartungsvertrag\nRückruf Montag"));
    assert_eq!(k.tags, ["Handwerk", "Dresden"]);
    let orgs = store.organizations(Some("Stadtwerke"), 10).unwrap();
    assert_eq!(orgs.len(), 1);
}

#[test]
fn android_vcard_2_1_quoted_printable_in_two_charsets() {
    let (_d, store) = open();
    let report = import_fixture(&store, "android.vcf");
    assert_eq!(report.imported, 2);
    assert_eq!(report.errors.iter().map(|e| e.line).collect::<Vec<_>>(), [17]);
    let all = all(&store);
    let j = by_name(&all, "Jörg Böhm");
    assert_eq!(j.phones, ["+4917612345678", "+4312345678"]);
    assert_eq!(j.address.country.as_deref(), Some("Österreich"));
    assert_eq!(
        j.notes.as_deref(),
        Some("Sehr lange Notiz mit Umlauten äöü, die auf mehrere Zeilen umbrochen wurde.")
    );
    assert_eq!(by_name(&all, "Gräte Müller").last_name, "Müller");
}

#[test]
fn vcard_4_tel_uris_folding_kind_org_and_an_unterminated_card() {
    let (_d, store) = open();
    let report = import_fixture(&store, "v4.vcf");
    assert_eq!(report.imported, 2);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 22);
    let all = all(&store);
    let n = by_name(&all, "Nora Lang");
    assert_eq!(n.phones, ["+49691234567", "+491719876543"]);
    assert_eq!(
        n.notes.as_deref(),
        Some("Sehr lange Notiz, die gefaltet wurde und über die Zeilenlänge hinausgeht.")
    );
    let org = &store.organizations(Some("Lang Consulting"), 10).unwrap()[0];
    assert_eq!(org.postcode.as_deref(), Some("60313"));
    assert_eq!(n.organization_id, Some(org.id));
}

#[test]
fn importing_twice_merges_or_skips_instead_of_doubling() {
    let (_d, store) = open();
    import_fixture(&store, "google_contacts.csv");
    let again = import_fixture(&store, "google_contacts.csv");
    assert_eq!((again.imported, again.merged, again.skipped), (0, 0, 3));
    // A new record with a known email adds what it knows.
    let csv = "E-Mail,Position,Telefon\nanna.s@example.com,Prokuristin,040 555\n";
    let r = import_bytes(&store, csv.as_bytes(), "more.csv");
    assert_eq!((r.imported, r.merged), (0, 1));
    let all = all(&store);
    let anna = by_name(&all, "Anna Maria Schmidt");
    assert_eq!(anna.title.as_deref(), Some("Einkaufsleiterin"), "a merge fills, never overwrites");
    assert!(anna.phones.contains(&"+4940555".to_owned()));
    assert_eq!(all.len(), 3);
}

#[test]
fn preview_writes_nothing_and_shows_rows_as_stored() {
    let (_d, store) = open();
    import_fixture(&store, "google_contacts.csv");
    let options = ImportOptions::default();
    let bytes = fixture("excel_de.csv");
    let parsed = import::parse(&bytes, "excel_de.csv", &options).unwrap();
    let preview = store.import_preview(&parsed, "excel_de.csv", &options, t0()).unwrap();
    assert_eq!(preview.encoding, "Windows-1252");
    assert_eq!(preview.delimiter.as_deref(), Some(";"));
    assert_eq!((preview.total, preview.rejected), (4, 2));
    assert_eq!(preview.rows[0].contact.as_ref().unwrap().first_name, "Stefan");
    assert_eq!(preview.source, "excel_de.csv");
    assert_eq!(all(&store).len(), 3);
    // Dry run: the same report as a real run, nothing written.
    let dry = store.import(parsed, "excel_de.csv", &options, true, |_, _| true, t0()).unwrap();
    assert_eq!(dry.imported, 2);
    assert_eq!(all(&store).len(), 3);
}

#[test]
fn a_cancelled_import_keeps_whole_batches_only() {
    let (_d, store) = open();
    let mut csv = String::from("Vorname,Nachname,E-Mail\n");
    for i in 0..5000 {
        csv.push_str(&format!("P{i},Muster,p{i}@example.de\n"));
    }
    let options = ImportOptions::default();
    let parsed = import::parse(csv.as_bytes(), "big.csv", &options).unwrap();
    let mut calls = vec![];
    let report = store
        .import(
            parsed,
            "big.csv",
            &options,
            false,
            |done, total| {
                calls.push((done, total));
                false
            },
            t0(),
        )
        .unwrap();
    assert!(report.cancelled);
    // Batches of 500 records.
    assert_eq!(calls, [(500, 5000)]);
    assert_eq!(report.imported, 500);
    assert_eq!(store.contact_count().unwrap(), 500);
    // The written batch is in the search index, the rest is not.
    let found = |q: &str| {
        store.list_contacts(&ListQuery { search: Some(q.into()), ..Default::default() }, t0()).unwrap().total
    };
    assert_eq!((found("p499@example.de"), found("p500@example.de")), (1, 0));
}

fn act(kind: ActivityKind) -> ActivityInput {
    ActivityInput { kind, at: Some(t0()), summary: None, text: None, outcome: None, concerns: None }
}

fn with_history(store: &Store) -> Contact {
    let c = store
        .create_contact(
            &ContactInput {
                first_name: "Anna".into(),
                last_name: "Schmidt".into(),
                organization: Some("ACME".into()),
                emails: vec!["anna@acme.de".into()],
                phones: vec!["0170 1234567".into()],
                ..Default::default()
            },
            ChangedBy::Hand,
            t0(),
        )
        .unwrap();
    store.log_activity(c.id, act(ActivityKind::WebinarAttended), t0()).unwrap();
    store
        .create_deal(
            &DealInput { contact_id: c.id, title: "Wartung".into(), value: 1200.0, ..Default::default() },
            t0(),
        )
        .unwrap();
    let tz = chrono_tz::Europe::Berlin;
    store
        .create_task(
            TaskInput {
                title: "Anrufen".into(),
                contact_id: Some(c.id),
                due: "2026-03-05".into(),
                ..Default::default()
            },
            tz,
            t0(),
        )
        .unwrap();
    c
}

#[test]
fn duplicates_by_email_phone_and_similar_name_and_merge_moves_everything() {
    let (_d, store) = open();
    let anna = with_history(&store);
    let twin = store
        .create_contact(
            &ContactInput {
                first_name: "Ana".into(),
                last_name: "Schmidt".into(),
                organization: Some("acme".into()),
                emails: vec!["a.schmidt@privat.de".into()],
                phones: vec!["+49 170 1234567".into()],
                title: Some("Einkauf".into()),
                ..Default::default()
            },
            ChangedBy::Hand,
            t0() + chrono::Duration::minutes(1),
        )
        .unwrap();
    store.log_activity(twin.id, act(ActivityKind::Call), t0()).unwrap();
    let deal =
        DealInput { contact_id: twin.id, title: "Schulung".into(), value: 300.0, ..Default::default() };
    store.create_deal(&deal, t0()).unwrap();
    let engagement_before = store.contact_score(anna.id, t0()).unwrap().engagement
        + store.contact_score(twin.id, t0()).unwrap().engagement;
    let pairs = store.duplicates(t0()).unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].a.id, anna.id, "the older contact is proposed as survivor");
    let kinds: Vec<DuplicateKind> = pairs[0].reasons.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [DuplicateKind::Phone, DuplicateKind::Name]);

    let picks = MergePicks { from_other: vec![MergeField::Title] };
    let merged = store.merge_contacts(anna.id, twin.id, &picks, t0()).unwrap().value;
    assert_eq!(merged.first_name, "Anna");
    assert_eq!(merged.title.as_deref(), Some("Einkauf"));
    assert_eq!(merged.emails, ["anna@acme.de", "a.schmidt@privat.de"]);
    assert_eq!(merged.phones, ["+491701234567"]);
    assert!(merged
        .stage_history
        .last()
        .unwrap()
        .reason
        .as_deref()
        .unwrap()
        .contains("merged with Ana Schmidt"));
    let timeline = store.list_activities(anna.id, &Default::default()).unwrap();
    assert_eq!(timeline.total, 2, "the other's activities moved");
    assert_eq!(store.contact_tasks(anna.id).unwrap().len(), 1);
    let deals: Vec<String> = store.contact_deals(anna.id).unwrap().into_iter().map(|d| d.title).collect();
    assert_eq!(deals.len(), 2, "the other's deal moved: {deals:?}");
    assert!(matches!(store.contact(twin.id, t0()), Err(Error::NotFound { .. })));
    assert_eq!(store.contact_count().unwrap(), 1);
    assert!(store.duplicates(t0()).unwrap().is_empty());
    // Survives a reopen with the same timeline.
    let dir = store.dir().to_owned();
    drop(store);
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.list_activities(anna.id, &Default::default()).unwrap().total, 2);
    let after = store.contact_score(anna.id, t0()).unwrap();
    assert_eq!(after.engagement, engagement_before, "engagement of both counts for the survivor");
}

#[test]
fn gdpr_export_has_everything_and_erase_leaves_nothing() {
    let (_d, store) = open();
    let anna = with_history(&store);
    let other = store
        .create_contact(
            &ContactInput { first_name: "Ben".into(), ..Default::default() },
            ChangedBy::Hand,
            t0(),
        )
        .unwrap();
    let export = store.person_export(anna.id, t0()).unwrap();
    assert_eq!(export.contact.emails, ["anna@acme.de"]);
    assert_eq!(export.activities.len(), 1);
    assert_eq!(export.tasks.len(), 1);
    assert_eq!(export.deals.len(), 1);
    assert_eq!(export.organization.as_ref().unwrap().name, "ACME");
    let json = serde_json::to_string(&export).unwrap();
    assert!(json.contains("webinar_attended") && json.contains("Anrufen"));

    store.erase_person(anna.id, t0()).unwrap();
    assert!(store.contact(anna.id, t0()).is_err());
    assert!(store.contact_tasks(anna.id).unwrap().is_empty());
    assert!(store.open_tasks_due_until(t0() + chrono::Duration::days(30)).unwrap().is_empty());
    assert_eq!(store.next_reminder_at().unwrap(), None);
    let found =
        store.list_contacts(&ListQuery { search: Some("anna".into()), ..Default::default() }, t0()).unwrap();
    assert_eq!(found.total, 0);
    let counts = store.record_counts().unwrap();
    assert_eq!((counts.contacts, counts.activities, counts.tasks, counts.deals), (1, 0, 0, 0));
    assert_eq!(store.contact(other.id, t0()).unwrap().first_name, "Ben");
    // Nothing of her is left on disk either.
    let dir = store.dir().to_owned();
    drop(store);
    let store = Store::open(&dir).unwrap();
    let (_, data) = store.backup("test", t0()).unwrap();
    assert!(!serde_json::to_string(&data).unwrap().contains("anna@acme.de"));
}

#[test]
fn backup_restores_to_an_equal_store_and_refuses_damage() {
    let (_d, store) = open();
    import_fixture(&store, "google_contacts.csv");
    import_fixture(&store, "hubspot.csv");
    with_history(&store);
    let (manifest, data) = store.backup("test", t0()).unwrap();
    assert_eq!(manifest.counts.contacts, 9);
    assert_eq!(manifest.counts.activities, 1);
    assert_eq!(manifest.counts.deals, 1);
    assert!(manifest.checksum.starts_with("sha256:"));
    let bytes = BackupFile { manifest, data }.to_vec().unwrap();

    let (_d2, empty) = open();
    let file = BackupFile::from_slice(&bytes).unwrap();
    let counts = empty.restore(&file.manifest, &file.data, false, t0()).unwrap();
    assert_eq!(counts.contacts, 9);
    let (_, restored) = empty.backup("test", t0()).unwrap();
    assert_eq!(restored, file.data, "an equal store");
    assert_eq!(all(&empty), all(&store));
    assert_eq!(empty.stage_counts(None, t0()).unwrap(), store.stage_counts(None, t0()).unwrap());
    assert_eq!(empty.next_reminder_at().unwrap(), store.next_reminder_at().unwrap());

    // Not into a store with data, unless forced.
    assert!(matches!(
        empty.restore(&file.manifest, &file.data, false, t0()),
        Err(Error::StoreNotEmpty { contacts: 9 })
    ));
    // A changed byte fails the checksum before anything is touched.
    let tampered = String::from_utf8(bytes.clone()).unwrap().replace("Fischer", "Fisher");
    let file2 = BackupFile::from_slice(tampered.as_bytes()).unwrap();
    let (_d3, fresh) = open();
    assert!(matches!(fresh.restore(&file2.manifest, &file2.data, true, t0()), Err(Error::Backup(_))));
    assert_eq!(fresh.contact_count().unwrap(), 0);
    assert!(BackupFile::from_slice(b"{\"manifest\": 1}").is_err());
    // Keys in another order (another JSON tool rewrote the file) still verify.
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let rewritten = serde_json::to_vec(&value).unwrap();
    let file3 = BackupFile::from_slice(&rewritten).unwrap();
    let (_d4, fourth) = open();
    assert_eq!(fourth.restore(&file3.manifest, &file3.data, false, t0()).unwrap().contacts, 9);
    // A backup from a newer Kontor is refused with a clear reason.
    let mut newer = BackupFile::from_slice(&bytes).unwrap();
    newer.manifest.schema_version = 99;
    let (_d5, fifth) = open();
    let err = fifth.restore(&newer.manifest, &newer.data, false, t0()).unwrap_err();
    assert!(err.to_string().contains("update Kontor"), "{err}");
}

#[test]
fn a_forged_backup_cannot_lock_the_store() {
    let (_d, store) = open();
    import_fixture(&store, "google_contacts.csv");
    let (manifest, data) = store.backup("test", t0()).unwrap();
    // Someone edits the data's schema version (99, and a malformed one) and
    // recomputes the checksum, which anyone can.
    for forged in ["00000063", "ff"] {
        let mut file = BackupFile { manifest: manifest.clone(), data: data.clone() };
        file.data.meta.insert("schema_version".into(), forged.into());
        file.data.meta.insert("rebuild".into(), "00".into());
        file.manifest.checksum = file.data.checksum().unwrap();
        let (d2, other) = open();
        other.restore(&file.manifest, &file.data, false, t0()).unwrap();
        drop(other);
        let reopened = Store::open(d2.path()).expect("the restored store opens");
        assert_eq!(reopened.contact_count().unwrap(), data.contacts.len());
        // And a good backup still restores over it.
        let good = BackupFile { manifest: manifest.clone(), data: data.clone() };
        reopened.restore(&good.manifest, &good.data, true, t0()).unwrap();
    }
}

#[test]
fn vcard_csv_and_json_exports_import_back_to_the_same_contacts() {
    let (_d, store) = open();
    for f in ["google_contacts.csv", "outlook.csv", "hubspot.csv", "android.vcf"] {
        import_fixture(&store, f);
    }
    // Text that spreadsheets would take for a formula, and a number kept as written.
    let tricky = ContactInput {
        first_name: "Zoe".into(),
        last_name: "Zahl".into(),
        notes: Some("- Rückruf Montag\n= wichtig; \"VIP\"".into()),
        title: Some("@Einkauf".into()),
        source: Some("Messe".into()),
        ..Default::default()
    };
    store.create_contact(&tricky, ChangedBy::Hand, t0()).unwrap();
    let original = all(&store);
    let fields = |c: &Contact| {
        serde_json::json!([
            c.display_name,
            c.first_name,
            c.last_name,
            c.salutation,
            c.organization,
            c.title,
            c.emails,
            c.phones,
            c.address,
            c.website,
            c.tags,
            c.notes,
            c.source,
            c.stage
        ])
    };
    let json = serde_json::to_string_pretty(&original).unwrap();
    for (text, name) in [
        (export::contacts_vcard(&original), "all.vcf"),
        (export::contacts_csv(&original), "all.csv"),
        (json, "all.json"),
    ] {
        let (_d2, other) = open();
        let report = import_bytes(&other, text.as_bytes(), name);
        assert_eq!(report.errors, vec![], "{name}");
        let back = all(&other);
        assert_eq!(
            back.iter().map(fields).collect::<Vec<_>>(),
            original.iter().map(fields).collect::<Vec<_>>(),
            "{name}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn csv_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), semi in any::<bool>()) {
        let mut text = if semi { b"Vorname;Nachname;E-Mail\r\n".to_vec() } else { b"First Name,Last Name,Email\n".to_vec() };
        text.extend(bytes);
        let options = ImportOptions { format: import::ImportFormat::Csv, ..Default::default() };
        let _ = import::parse(&text, "f.csv", &options);
    }

    #[test]
    fn vcard_parser_never_panics(body in "(BEGIN:VCARD\r\n|END:VCARD\r\n|VERSION:[234]\\.[01]\r\n|N;CHARSET=[A-Z0-9-]{0,9};ENCODING=QUOTED-PRINTABLE:[=A-F0-9;]{0,30}\r\n|TEL;VALUE=uri:tel:[+0-9-;=a-z]{0,20}\r\n|item[0-9]\\.ADR:[;a-z\\\\,]{0,20}\r\n| [a-z]{0,10}\r\n|[A-Z-]{1,8}:[^\r\n]{0,20}\r\n){0,30}") {
        let _ = import::parse(body.as_bytes(), "f.vcf", &ImportOptions { format: import::ImportFormat::Vcard, ..Default::default() });
    }

    #[test]
    fn json_parser_never_panics(text in "\\[?(\\{\"first_name\":\"[a-zä]{0,5}\",?\"emails\":\\[\"[a-z@.]{0,8}\"\\]?\\},?){0,5}\\]?") {
        let _ = import::parse(text.as_bytes(), "f.json", &ImportOptions { format: import::ImportFormat::Json, ..Default::default() });
    }

    #[test]
    fn any_bytes_as_any_format_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = import::parse(&bytes, "f", &ImportOptions::default());
    }
}

#[test]
fn a_similar_name_at_the_same_company_is_flagged_not_merged() {
    let (_d, store) = open();
    import_fixture(&store, "outlook_de.csv");
    let csv = "Vorname;Nachname;Firma;E-Mail\nSabine;Kohler;Köhler Maschinenbau GmbH;sabine.k@privat.de\n";
    let options = ImportOptions::default();
    let parsed = import::parse(csv.as_bytes(), "neu.csv", &options).unwrap();
    let preview = store.import_preview(&parsed, "neu.csv", &options, t0()).unwrap();
    assert_eq!(preview.similar, 1);
    let similar = preview.rows[0].similar_to.as_ref().unwrap();
    assert_eq!(similar.display_name, "Sabine Köhler");
    assert!(preview.rows[0].duplicate_of.is_none());
    let report = store.import(parsed, "neu.csv", &options, false, |_, _| true, t0()).unwrap();
    assert_eq!((report.imported, report.possible_duplicates), (1, 1));
    let pairs = store.duplicates(t0()).unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].reasons[0].kind, DuplicateKind::Name);
}

#[test]
fn a_record_repeated_in_the_same_file_adds_to_the_first_and_the_preview_says_so() {
    let (_d, store) = open();
    let csv = "Vorname,Nachname,E-Mail,Telefon\nAnna,Schmidt,anna@x.de,0170 1111111\nAnna,Schmidt,anna@x.de,0171 2222222\n";
    let options = ImportOptions::default();
    let parsed = import::parse(csv.as_bytes(), "a.csv", &options).unwrap();
    let preview = store.import_preview(&parsed, "a.csv", &options, t0()).unwrap();
    assert_eq!((preview.rejected, preview.duplicates), (0, 1), "{:?}", preview.rows[1]);
    let dry = store.import(parsed.clone(), "a.csv", &options, true, |_, _| true, t0()).unwrap();
    let report = store.import(parsed, "a.csv", &options, false, |_, _| true, t0()).unwrap();
    assert_eq!((report.imported, report.merged), (1, 1));
    assert_eq!((dry.imported, dry.merged), (report.imported, report.merged));
    let all = all(&store);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].phones, ["+491701111111", "+491712222222"], "the second row's phone is kept");
}

#[test]
fn people_behind_one_switchboard_number_stay_separate_people() {
    let (_d, store) = open();
    let csv = "First Name,Last Name,Company,Email,Phone\n\
               Anna,Schmidt,ACME,anna@acme.de,030 123450\n\
               Ben,Meier,ACME,ben@acme.de,030 123450\n\
               Carla,Weiß,ACME,,030 123450\n";
    let report = import_bytes(&store, csv.as_bytes(), "acme.csv");
    assert_eq!((report.imported, report.merged, report.possible_duplicates), (3, 0, 2));
    assert_eq!(all(&store).len(), 3);
    // The same person again, with the number only, is recognised.
    let again = import_bytes(&store, b"Vorname,Nachname,Telefon\nAnna,Schmidt,+49 30 123450\n", "b.csv");
    assert_eq!((again.imported, again.merged + again.skipped), (0, 1));
    // They show up for review as duplicates by phone.
    assert!(store
        .duplicates(t0())
        .unwrap()
        .iter()
        .all(|p| p.reasons.iter().any(|r| r.kind == DuplicateKind::Phone)));
}

#[test]
fn contacts_known_by_display_name_only_are_not_all_paired() {
    let (_d, store) = open();
    for name in ["Einkauf", "Buchhaltung", "Zentrale"] {
        let input = ContactInput {
            display_name: Some(name.into()),
            organization: Some("ACME".into()),
            ..Default::default()
        };
        store.create_contact(&input, ChangedBy::Hand, t0()).unwrap();
    }
    assert_eq!(store.duplicates(t0()).unwrap(), vec![]);
}

#[test]
fn second_addresses_websites_and_titles_land_in_the_notes_instead_of_vanishing() {
    let (_d, store) = open();
    let vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ida Berg\r\nN:Berg;Ida;;;\r\nNICKNAME:Idi\r\n\
               ADR;TYPE=HOME:;;Privatweg 1;Berlin;;10115;DE\r\nADR;TYPE=HOME:;;Dünenweg 2;Sylt;;25980;DE\r\n\
               ADR;TYPE=WORK:;;Hafenstr. 3;Kiel;;24103;DE\r\nURL:https://berg.example\r\nURL:https://blog.berg.example\r\n\
               CATEGORIES:myContacts,Kunden\r\nEND:VCARD\r\n";
    assert_eq!(import_bytes(&store, vcf.as_bytes(), "ida.vcf").imported, 1);
    let csv = "Anrede;Titel;Vorname;Nachname\nHerr;Dr.;Karl;Graf\n";
    assert_eq!(import_bytes(&store, csv.as_bytes(), "karl.csv").imported, 1);
    let all = all(&store);
    let ida = by_name(&all, "Ida Berg");
    assert_eq!(ida.address.street.as_deref(), Some("Hafenstr. 3"), "the work address first");
    assert_eq!(ida.address.city.as_deref(), Some("Kiel"));
    let notes = ida.notes.as_deref().unwrap();
    assert!(notes.contains("Adresse: Privatweg 1, 10115 Berlin, DE"), "{notes}");
    assert!(notes.contains("Adresse: Dünenweg 2, 25980 Sylt, DE"), "{notes}");
    assert!(notes.contains("URL: https://blog.berg.example"), "{notes}");
    assert!(notes.contains("Spitzname: Idi"), "{notes}");
    assert_eq!(ida.tags, ["Kunden"]);
    assert_eq!(by_name(&all, "Karl Graf").salutation.as_deref(), Some("Herr Dr."));
}

#[test]
fn an_overlong_value_goes_to_the_notes_and_the_record_stays() {
    let (_d, store) = open();
    let url = format!("https://example.com/?{}", "utm=x&".repeat(80));
    let csv = format!("Name,Website,E-Mail\nLena Lang,{url},lena@x.de\n");
    let report = import_bytes(&store, csv.as_bytes(), "long.csv");
    assert_eq!((report.imported, report.errors.len()), (1, 0));
    assert_eq!(report.warnings[0].code, import::WarningCode::TooLongKept);
    let all = all(&store);
    assert!(all[0].website.is_none());
    assert!(all[0].notes.as_deref().unwrap().contains(&url));
}

#[test]
fn a_record_merging_into_one_from_batches_before_adds_to_its_latest_state() {
    // Batches are written while the next is planned: a person met in the
    // first batch, again in the second (phone) and third (title) and
    // fourth (tag), ends up one contact with everything.
    let (_d, store) = open();
    let mut csv = String::from("Vorname,Nachname,E-Mail,Telefon,Position,Schlagworte\n");
    for i in 0..7000 {
        match i {
            10 => csv.push_str("Greta,Kowalski,greta@druck.example,,,\n"),
            2010 => csv.push_str("Greta,Kowalski,greta@druck.example,0931 471123,,\n"),
            2011 => csv.push_str("Greta,Kowalski,greta@druck.example,,Geschäftsführerin,\n"),
            4500 => csv.push_str("Greta,Kowalski,greta@druck.example,,,Messe\n"),
            6999 => csv.push_str("Greta,Kowalski,greta@druck.example,+49 931 4711-0,,\n"),
            _ => csv.push_str(&format!("P{i},Muster,p{i}@example.de,,,\n")),
        }
    }
    let report = import_bytes(&store, csv.as_bytes(), "viele.csv");
    assert_eq!((report.imported, report.merged), (6996, 4), "{:?}", report.errors);
    let greta = store
        .list_contacts(&ListQuery { search: Some("greta@druck.example".into()), ..Default::default() }, t0())
        .unwrap();
    assert_eq!(greta.total, 1, "{:?}", greta.items);
    let greta = &greta.items[0];
    assert_eq!(greta.phones, ["+49931471123", "+4993147110"]);
    assert_eq!(greta.title.as_deref(), Some("Geschäftsführerin"));
    assert_eq!(greta.tags, ["Messe"]);
    assert_eq!(store.contact_count().unwrap(), 6996);
}

#[test]
fn a_similar_name_alone_with_other_email_phone_and_address_is_not_a_duplicate() {
    let (_d, store) = open();
    let add = |first: &str, last: &str, email: &str, phone: &str, street: &str| {
        let input = kontor_core::ContactInput {
            first_name: first.into(),
            last_name: last.into(),
            organization: Some("Bauer & Söhne KG".into()),
            emails: vec![email.into()],
            phones: vec![phone.into()],
            address: kontor_core::Address {
                street: Some(street.into()),
                postcode: Some("20095".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        store.create_contact(&input, kontor_core::ChangedBy::Hand, t0()).unwrap()
    };
    add("Bärbel", "Bauer", "b.bauer@bauer-soehne.de", "040 1111111", "Hafenstr. 1");
    add("Bärbel", "Sauer", "b.sauer@bauer-soehne.de", "040 2222222", "Elbchaussee 9");
    assert!(store.duplicates(t0()).unwrap().is_empty(), "two people with alike names");
    // The same address makes the alike name a possible pair again.
    add("Bärbel", "Baur", "baerbel@privat.de", "040 3333333", "Hafenstr. 1");
    let pairs = store.duplicates(t0()).unwrap();
    let names: Vec<(String, String)> =
        pairs.iter().map(|p| (p.a.display_name.clone(), p.b.display_name.clone())).collect();
    assert_eq!(names, [("Bärbel Bauer".to_owned(), "Bärbel Baur".to_owned())]);
    // An import's preview says the same of a third Bärbel with her own data.
    let csv = "Vorname;Nachname;Firma;E-Mail;Telefon;Straße;PLZ\n\
               Bärbel;Bayer;Bauer & Söhne KG;b.bayer@bauer-soehne.de;040 4444444;Mönckebergstr. 7;20095\n";
    let options = ImportOptions::default();
    let parsed = import::parse(csv.as_bytes(), "neu.csv", &options).unwrap();
    let preview = store.import_preview(&parsed, "neu.csv", &options, t0()).unwrap();
    assert_eq!(preview.similar, 0, "{:?}", preview.rows[0].similar_to);
}

#[test]
fn not_a_duplicate_is_remembered_and_an_erase_forgets_the_note() {
    let (_d, store) = open();
    let add = |first: &str, email: &str| {
        let input = kontor_core::ContactInput {
            first_name: first.into(),
            emails: vec![email.into()],
            ..Default::default()
        };
        store.create_contact(&input, kontor_core::ChangedBy::Hand, t0()).unwrap()
    };
    let a = add("Anna", "info@firma.de");
    let b = add("Bernd", "info@firma.de");
    assert_eq!(store.duplicates(t0()).unwrap().len(), 1, "one shared switchboard address");
    store.dismiss_duplicate(b.id, a.id, t0()).unwrap();
    assert!(store.duplicates(t0()).unwrap().is_empty(), "remembered as two people");
    let c = add("Carla", "info@firma.de");
    let pairs = store.duplicates(t0()).unwrap();
    assert_eq!(pairs.len(), 2, "a new contact with that address is asked about again");
    assert!(pairs.iter().all(|p| p.a.id == c.id || p.b.id == c.id));
    store.erase_person(a.id, t0()).unwrap();
    let notes = store.duplicates(t0()).unwrap();
    assert_eq!(notes.len(), 1);
}

#[test]
fn each_possible_duplicate_is_merged_created_or_skipped_as_the_rep_chooses() {
    use kontor_core::import::{DuplicateChoice, RowChoice};
    let (_d, store) = open();
    let add = |first: &str, last: &str, email: &str| {
        let input = kontor_core::ContactInput {
            first_name: first.into(),
            last_name: last.into(),
            emails: vec![email.into()],
            ..Default::default()
        };
        store.create_contact(&input, kontor_core::ChangedBy::Hand, t0()).unwrap()
    };
    add("Anna", "Becker", "anna@mueller.de");
    let zentrale = add("Zentrale", "Otto", "info@otto.de");
    // line 2: certainly Anna; line 3: Otto's switchboard under another name (possible); line 4: new
    let csv = "Vorname;Nachname;E-Mail;Telefon\nAnna;Becker;anna@mueller.de;030 111111\n\
               Karl;Otto;info@otto.de;030 222222\nNeu;Mensch;neu@x.de;\n";
    let run = |options: &ImportOptions| {
        let parsed = import::parse(csv.as_bytes(), "messe.csv", options).unwrap();
        let preview = store.import_preview(&parsed, "messe.csv", options, t0()).unwrap();
        let choices: Vec<Option<DuplicateChoice>> = preview.rows.iter().map(|r| r.choice).collect();
        (preview, choices)
    };
    // The defaults: merge the certain one, bring the possible one in as new.
    let (_, choices) = run(&ImportOptions::default());
    assert_eq!(choices, [Some(DuplicateChoice::Merge), Some(DuplicateChoice::New), None]);
    // "Skip" for all possible duplicates, and line 2 brought in as new.
    let options = ImportOptions {
        possible_duplicates: DuplicateChoice::Skip,
        choices: vec![RowChoice { line: 2, choice: DuplicateChoice::New }],
        ..Default::default()
    };
    let (_, choices) = run(&options);
    assert_eq!(choices, [Some(DuplicateChoice::New), Some(DuplicateChoice::Skip), None]);
    let parsed = import::parse(csv.as_bytes(), "messe.csv", &options).unwrap();
    let report = store.import(parsed, "messe.csv", &options, false, |_, _| true, t0()).unwrap();
    assert_eq!((report.imported, report.merged, report.skipped), (2, 0, 1));
    // Merging a possible duplicate adds the record's data to that contact.
    let otto = ImportOptions {
        choices: vec![RowChoice { line: 3, choice: DuplicateChoice::Merge }],
        possible_duplicates: DuplicateChoice::Skip,
        ..Default::default()
    };
    let parsed = import::parse(csv.as_bytes(), "messe.csv", &otto).unwrap();
    store.import(parsed, "messe.csv", &otto, false, |_, _| true, t0()).unwrap();
    let merged = store.contact(zentrale.id, t0()).unwrap();
    assert_eq!(merged.phones, ["+4930222222"], "Karl Otto's phone went into the switchboard's record");
}

//! Search through the store's API (SPEC §11), on a real store on disk:
//! every field, umlauts, typo budgets, ranking, the delta and merges,
//! erasure, and the contact list's orders read from the index.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kontor_core::contact::Address;
use kontor_core::{
    ActivityInput, ActivityKind, ChangedBy, ContactInput, DealInput, DocKind, ListQuery, OrganizationInput,
    SearchHit, SearchQuery, SortOrder, Stage, StageChangeRequest, Store,
};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn add(store: &Store, input: ContactInput) -> Uuid {
    store.create_contact(&input, ChangedBy::Hand, t0()).unwrap().id
}

fn person(first: &str, last: &str) -> ContactInput {
    ContactInput { first_name: first.into(), last_name: last.into(), ..Default::default() }
}

fn search(store: &Store, text: &str) -> Vec<SearchHit> {
    store.search(&SearchQuery { text: text.into(), kind: None, limit: 50, per_kind: false }).unwrap().hits
}

fn titles(store: &Store, text: &str) -> Vec<String> {
    search(store, text).into_iter().map(|h| h.title).collect()
}

/// Greta Würzburger, with every field set, and a deal and an organisation.
fn full_contact(store: &Store) -> Uuid {
    let id = add(
        store,
        ContactInput {
            first_name: "Greta".into(),
            last_name: "Kowalski".into(),
            organization: Some("Mainfranken Druck GmbH".into()),
            title: Some("Geschäftsführerin".into()),
            emails: vec!["g.kowalski@mainfranken-druck.de".into()],
            phones: vec!["0931 4711-23".into()],
            tags: vec!["Messe Nürnberg".into()],
            source: Some("Empfehlung Berger".into()),
            notes: Some("Sucht einen Wartungsvertrag für die Heidelberger Druckmaschinen".into()),
            address: Address {
                street: Some("Semmelstraße 12".into()),
                postcode: Some("97070".into()),
                city: Some("Würzburg".into()),
                region: Some("Bayern".into()),
                country: None,
                pin: None,
            },
            ..Default::default()
        },
    );
    let deal = DealInput {
        contact_id: id,
        title: "Wartungsvertrag Druckstraße".into(),
        value: 12_500.0,
        currency: "EUR".into(),
        next_step: Some("Angebot nachfassen".into()),
        ..Default::default()
    };
    store.create_deal(&deal, t0()).unwrap();
    id
}

#[test]
fn every_field_is_searchable_and_says_where_it_matched() {
    let (_d, store) = open();
    let greta = full_contact(&store);
    add(&store, person("Otto", "Normal"));
    for (query, field) in [
        ("Kowalski", "name"),
        ("mainfranken", "organization"),
        ("g.kowalski@mainfranken", "email"),
        ("0931 471123", "phone"),
        ("+49 931 4711", "phone"),
        ("471123", "phone"),
        ("Nürnberg", "tags"),
        ("Heidelberger", "notes"),
        ("Geschäftsführerin", "job_title"),
        ("Würzburg", "city"),
        ("97070", "postcode"),
        ("Semmelstraße", "street"),
        ("Bayern", "region"),
        ("Empfehlung", "source"),
    ] {
        let hits: Vec<SearchHit> =
            search(&store, query).into_iter().filter(|h| h.kind == DocKind::Contact).collect();
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(hits[0].id, greta, "{query}");
        assert!(hits[0].matched.iter().any(|m| m == field), "{query}: {:?}", hits[0].matched);
    }
    // Deals by title and next step; the organisation by its name.
    let deals = store
        .search(&SearchQuery {
            text: "wartungsvertrag".into(),
            kind: Some(DocKind::Deal),
            limit: 5,
            per_kind: false,
        })
        .unwrap();
    assert_eq!(deals.hits.len(), 1);
    assert_eq!(deals.hits[0].title, "Wartungsvertrag Druckstraße");
    assert!(deals.hits[0].subtitle.starts_with("Greta Kowalski"), "{}", deals.hits[0].subtitle);
    let orgs = store
        .search(&SearchQuery {
            text: "mainfranken".into(),
            kind: Some(DocKind::Organization),
            limit: 5,
            per_kind: false,
        })
        .unwrap();
    assert_eq!(orgs.hits.len(), 1);
    assert_eq!(orgs.hits[0].title, "Mainfranken Druck GmbH");
    assert_eq!((orgs.contacts, orgs.organizations, orgs.deals), (1, 1, 0));
    // A match the title does not show comes with its field and marks.
    let hit = &search(&store, "heidelberger")[0];
    let context = hit.context.as_ref().expect("notes shown");
    assert_eq!(context.field, "notes");
    let chars: Vec<char> = context.text.chars().collect();
    let m = context.marks[0];
    assert_eq!(chars[m.start as usize..m.end as usize].iter().collect::<String>(), "Heidelberger");
}

#[test]
fn umlauts_and_sharp_s_fold_every_way() {
    let (_d, store) = open();
    add(&store, person("Jürgen", "Müller"));
    add(&store, person("Hans", "Mueller"));
    add(&store, person("Karl", "Muller"));
    add(
        &store,
        ContactInput {
            address: Address { street: Some("Hauptstrasse 1".into()), ..Default::default() },
            ..person("Ute", "Groß")
        },
    );
    for q in ["müller", "mueller", "muller", "MÜLLER"] {
        let mut found = titles(&store, q);
        found.sort();
        assert_eq!(found, ["Hans Mueller", "Jürgen Müller", "Karl Muller"], "{q}");
    }
    assert_eq!(titles(&store, "gross"), ["Ute Groß"]);
    assert_eq!(titles(&store, "groß"), ["Ute Groß"]);
    assert_eq!(titles(&store, "hauptstraße"), ["Ute Groß"]);
    assert_eq!(titles(&store, "jurgen"), ["Jürgen Müller"]);
}

#[test]
fn typos_are_tolerated_as_far_as_the_word_is_long_and_no_further() {
    let (_d, store) = open();
    add(&store, ContactInput { title: Some("Geschäftsführerin".into()), ..person("Anna", "Schmidt") });
    add(
        &store,
        ContactInput {
            address: Address { city: Some("Würzburg".into()), ..Default::default() },
            ..person("Ben", "Weber")
        },
    );
    let found = |q: &str| !titles(&store, q).is_empty();
    // 1–4 letters: prefix only.
    assert!(found("schm"));
    assert!(!found("scmh"));
    assert!(!found("wbe"));
    // 5–8: one typo, not in the first letter; not two.
    assert!(found("schmitd"));
    assert!(found("shmidt"));
    assert!(found("wurzbrug"));
    assert!(!found("xchmidt"), "a first-letter typo counts double");
    assert!(!found("schnudt"), "two typos in seven letters");
    // 9 and more: two typos, or one in the first letter.
    assert!(found("geschaftsfurerinn"));
    assert!(found("geshcäftsführerin"));
    assert!(found("keschäftsführerin"));
    assert!(!found("keschäftsfürerin"), "a first-letter typo and one more");
    assert!(!found("gscheftsfurerinn"), "three typos");
}

#[test]
fn ranking_is_exact_then_prefix_then_typo_name_before_company_then_recent() {
    let (_d, store) = open();
    let older = t0() - Duration::days(30);
    let schmid = add(&store, person("Eva", "Schmid"));
    let schmidt = add(&store, person("Anna", "Schmidt"));
    let schmidtke = add(&store, person("Olaf", "Schmidtke"));
    let company = add(
        &store,
        ContactInput { organization: Some("Schmidt Logistik".into()), ..person("Zoe", "Zander") },
    );
    let ids = |q: &str| {
        search(&store, q).into_iter().filter(|h| h.kind == DocKind::Contact).map(|h| h.id).collect::<Vec<_>>()
    };
    // "schmidt": exact name, then exact company, then the prefix, then the typo.
    assert_eq!(ids("schmidt"), [schmidt, company, schmidtke, schmid]);
    // Among equal matches, the most recently active comes first.
    let a = add(&store, person("Paul", "Hansen"));
    let b = add(&store, person("Petra", "Hansen"));
    let visit = |at| ActivityInput {
        kind: ActivityKind::Visit,
        at: Some(at),
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activity(a, visit(t0()), t0()).unwrap();
    store.log_activity(b, visit(older), t0()).unwrap();
    assert_eq!(ids("hansen"), [a, b]);
    store.log_activity(b, visit(t0() + Duration::minutes(1)), t0() + Duration::minutes(1)).unwrap();
    assert_eq!(ids("hansen"), [b, a]);
}

#[test]
fn a_record_saved_a_moment_ago_is_found_and_an_erased_one_never_is() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let keep =
        add(&store, ContactInput { emails: vec!["keep@example.de".into()], ..person("Karla", "Kolumna") });
    let gone = add(
        &store,
        ContactInput {
            emails: vec!["gone@example.de".into()],
            phones: vec!["0171 5550123".into()],
            ..person("Gerd", "Geheim")
        },
    );
    assert_eq!(titles(&store, "geheim"), ["Gerd Geheim"]);
    // Merged into a segment, then edited: the edit is found, the old name not.
    store.merge_search_delta(t0()).unwrap();
    let moved = ContactInput { emails: vec!["keep@example.de".into()], ..person("Karla", "Schreiber") };
    store.update_contact(keep, &moved, t0()).unwrap();
    assert_eq!(titles(&store, "schreiber"), ["Karla Schreiber"]);
    assert!(titles(&store, "kolumna").is_empty());
    store.erase_person(gone, t0()).unwrap();
    for q in ["geheim", "gerd", "gone@example.de", "0171 5550123", "5550123"] {
        assert!(titles(&store, q).is_empty(), "{q}");
    }
    // After reopening, and with no trace of the name in the index files.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(titles(&store, "geheim").is_empty());
    assert_eq!(titles(&store, "schreiber"), ["Karla Schreiber"]);
    for entry in std::fs::read_dir(dir.path().join("search")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"geheim"), "the erased name is still in the index file");
    }
}

#[test]
fn merging_the_delta_keeps_every_answer() {
    let (_d, store) = open();
    let mut ids = Vec::new();
    for i in 0..60 {
        let mut p = person(&format!("Vorname{i}"), if i % 3 == 0 { "Becker" } else { "Bäcker" });
        p.emails = vec![format!("p{i}@firma{}.de", i % 7)];
        ids.push(add(&store, p));
    }
    let before: Vec<(String, usize)> = ["becker", "backer", "firma3", "vorname1", "b"]
        .iter()
        .map(|q| (q.to_string(), search(&store, q).len()))
        .collect();
    store.merge_search_delta(t0()).unwrap();
    // Below the mark nothing merges: force one through an import of nothing new.
    let report = store
        .import(
            kontor_core::import::parse(b"Vorname,Nachname\n", "leer.csv", &Default::default()).unwrap(),
            "leer.csv",
            &Default::default(),
            false,
            |_, _| true,
            t0(),
        )
        .unwrap();
    assert_eq!(report.imported, 0);
    for (q, n) in &before {
        assert_eq!(search(&store, q).len(), *n, "{q}");
    }
    store
        .change_stage(
            ids[0],
            &StageChangeRequest { to: Stage::Prospect, reason: None, force: false },
            ChangedBy::Hand,
            t0(),
        )
        .unwrap();
    let leads = store
        .list_contacts(&ListQuery { stage: Some(Stage::Lead), limit: 100, ..Default::default() }, t0())
        .unwrap();
    assert_eq!((leads.items.len(), leads.total), (59, 59));
}

#[test]
fn lists_by_name_and_by_last_change_page_through_segment_and_delta() {
    let (_d, store) = open();
    let names = ["Dora", "Anton", "Emil", "Berta", "Cäsar", "Friedrich", "Gustav"];
    let mut at = t0();
    for (i, n) in names.iter().enumerate() {
        at += Duration::minutes(1);
        store.create_contact(&person(n, "X"), ChangedBy::Hand, at).unwrap();
        if i == 3 {
            // Half of them in a segment, half in the delta.
            let report = store.import(
                kontor_core::import::parse(b"Vorname\n", "x.csv", &Default::default()).unwrap(),
                "x.csv",
                &Default::default(),
                false,
                |_, _| true,
                at,
            );
            report.unwrap();
        }
    }
    let page = |sort, offset, limit| {
        let q = ListQuery { sort, offset, limit, ..Default::default() };
        store.list_contacts(&q, at).unwrap().items.into_iter().map(|c| c.first_name).collect::<Vec<_>>()
    };
    assert_eq!(
        page(SortOrder::Name, 0, 100),
        ["Anton", "Berta", "Cäsar", "Dora", "Emil", "Friedrich", "Gustav"]
    );
    assert_eq!(page(SortOrder::Name, 2, 3), ["Cäsar", "Dora", "Emil"]);
    assert_eq!(page(SortOrder::LastChange, 0, 3), ["Gustav", "Friedrich", "Cäsar"]);
    assert_eq!(page(SortOrder::LastChange, 5, 10), ["Anton", "Dora"]);
    // An edit moves a contact to the front of the list by last change.
    let dora = store
        .list_contacts(&ListQuery::default(), at)
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.first_name == "Dora")
        .unwrap();
    store.update_contact(dora.id, &person("Dora", "Y"), at + Duration::minutes(5)).unwrap();
    assert_eq!(page(SortOrder::LastChange, 0, 2), ["Dora", "Gustav"]);
}

#[test]
fn organisations_found_by_search_and_renamed_with_their_contacts() {
    let (_d, store) = open();
    let id = add(&store, ContactInput { organization: Some("Rauch Bäckerei".into()), ..person("Anna", "A") });
    let org = store.contact(id, t0()).unwrap().organization_id.unwrap();
    assert_eq!(store.organizations(Some("backerei"), 5).unwrap()[0].id, org);
    assert_eq!(store.organizations(Some("bäckrei"), 5).unwrap()[0].id, org, "one typo");
    let input = OrganizationInput {
        name: "Rauch Backwaren".into(),
        industry: Some("Lebensmittel".into()),
        ..Default::default()
    };
    store.update_organization(org, &input, t0()).unwrap();
    assert_eq!(titles(&store, "backwaren").len(), 2, "the organisation and its contact");
    assert!(titles(&store, "backerei").is_empty());
    let hit = search(&store, "lebensmittel");
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0].kind, DocKind::Organization);
}

#[test]
fn a_searched_list_says_why_each_contact_matched_and_lists_filter_by_organisation() {
    let (_d, store) = open();
    let greta = full_contact(&store);
    let org = store.contact(greta, t0()).unwrap().organization_id.unwrap();
    let other = add(
        &store,
        ContactInput { organization: Some("Mainfranken Druck GmbH".into()), ..person("Hugo", "Heidel") },
    );
    add(&store, ContactInput { organization: Some("Elsewhere".into()), ..person("Hanna", "Heidel") });
    let q = ListQuery { search: Some("heidel".into()), ..Default::default() };
    let page = store.list_contacts(&q, t0()).unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.matches.len(), 3);
    for (c, m) in page.items.iter().zip(&page.matches) {
        assert_eq!(c.id, m.id);
    }
    let greta_match = page.matches.iter().find(|m| m.id == greta).unwrap();
    assert_eq!(greta_match.matched, ["notes"]);
    assert!(greta_match.name_marks.is_empty());
    assert_eq!(greta_match.context.as_ref().unwrap().field, "notes");
    let hugo = page.matches.iter().find(|m| m.id == other).unwrap();
    assert_eq!(hugo.name_marks, [kontor_core::Mark { start: 5, end: 11 }], "Hugo [Heidel]");
    // The organisation's contacts only, with and without search text.
    let members = ListQuery { organization_id: Some(org), ..Default::default() };
    let page = store.list_contacts(&members, t0()).unwrap();
    assert_eq!(
        page.items.iter().map(|c| c.display_name.as_str()).collect::<Vec<_>>(),
        ["Greta Kowalski", "Hugo Heidel"]
    );
    assert_eq!(page.total, 2);
    let page = store.list_contacts(&ListQuery { search: Some("heidel".into()), ..members }, t0()).unwrap();
    assert_eq!(page.total, 2, "Hanna works elsewhere");
}

#[test]
fn a_query_of_one_or_two_letters_stops_after_the_first_page_and_says_so() {
    let (_d, store) = open();
    // 300 "Maier" and 300 who only work at a "Mühle" (imported: straight into the segment).
    let mut csv = String::from("Vorname,Nachname,Firma\n");
    for i in 0..300 {
        csv.push_str(&format!("Anna{i},Maier{i},Bäckerei Schulz\n"));
        csv.push_str(&format!("Bert{i},Schulz{i},Mühle Nord\n"));
    }
    let rows = kontor_core::import::parse(csv.as_bytes(), "m.csv", &Default::default()).unwrap();
    let report = store.import(rows, "m.csv", &Default::default(), false, |_, _| true, t0()).unwrap();
    assert_eq!(report.imported, 600);

    let page = store
        .list_contacts(&ListQuery { search: Some("m".into()), limit: 50, ..Default::default() }, t0())
        .unwrap();
    assert_eq!(page.items.len(), 50);
    assert!(page.more, "one letter stops counting early");
    assert!(page.total >= 50 && page.total <= 600, "{}", page.total);
    // Name matches fill the first page, before any company match.
    assert!(page.items.iter().all(|c| c.last_name.starts_with("Maier")), "names first");

    let per_kind = |text: &str| {
        store.search(&SearchQuery { text: text.into(), kind: None, limit: 10, per_kind: true }).unwrap()
    };
    let results = per_kind("ma");
    assert!(results.more, "{results:?}");
    assert_eq!(results.hits.len(), 10);
    // Fewer name matches than a page: every other match is read and counted.
    let results = per_kind("mu");
    assert!(!results.more);
    assert_eq!(results.contacts, 300);
    assert!(results.hits.iter().any(|h| h.kind == DocKind::Organization && h.title == "Mühle Nord"));

    // Three letters count every match.
    let page = store
        .list_contacts(&ListQuery { search: Some("mai".into()), limit: 50, ..Default::default() }, t0())
        .unwrap();
    assert_eq!((page.items.len(), page.total, page.more), (50, 300, false));
}

//! Organisations as records of their own: created, shown with their
//! contacts, deals, activities and tasks, and merged, through the store on disk.

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::api::contacts::{self, organizations};
use kontor_core::{
    ActivityInput, ActivityKind, ChangedBy, ContactInput, DealInput, Error, OrganizationInput, SearchQuery,
    Store, TaskInput,
};
use uuid::Uuid;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn person(store: &Store, first: &str, org: &str) -> Uuid {
    let input = ContactInput {
        first_name: first.into(),
        last_name: "Muster".into(),
        organization: Some(org.into()),
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, t0()).unwrap().id
}

#[test]
fn an_organisation_is_created_on_its_own_and_its_name_stays_unique() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let input = OrganizationInput {
        name: "Elb Brauerei GmbH".into(),
        industry: Some("Getränke".into()),
        ..Default::default()
    };
    let org = contacts::create_organization(&store, &input, t0()).unwrap();
    assert_eq!(org.industry.as_deref(), Some("Getränke"));
    let again = OrganizationInput { name: "elb brauerei gmbh".into(), ..Default::default() };
    assert!(matches!(
        store.create_organization(&again, t0()),
        Err(Error::InvalidInput { field: "name", .. })
    ));
    // A contact naming it joins it rather than making a second one.
    let anna = person(&store, "Anna", "Elb Brauerei GmbH");
    assert_eq!(store.contact(anna, t0()).unwrap().organization_id, Some(org.id));
    let listed = organizations(&store, None).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].contacts, listed[0].open_deals), (1, 0));
}

#[test]
fn an_organisation_page_has_its_contacts_deals_activities_and_open_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let anna = person(&store, "Anna", "Acme AG");
    let ben = person(&store, "Ben", "Acme AG");
    person(&store, "Cleo", "Other GmbH");
    let deal =
        DealInput { contact_id: ben, title: "Rahmenvertrag".into(), value: 5000.0, ..Default::default() };
    store.create_deal(&deal, t0()).unwrap();
    for (who, minutes) in [(anna, 10), (ben, 20)] {
        let input = ActivityInput {
            kind: ActivityKind::Call,
            at: Some(t0() + Duration::minutes(minutes)),
            summary: Some(format!("Anruf {minutes}")),
            text: None,
            outcome: None,
            concerns: None,
        };
        store.log_activity(who, input, t0() + Duration::hours(1)).unwrap();
    }
    let task = TaskInput {
        title: "Nachfassen".into(),
        contact_id: Some(anna),
        due: "2026-03-05".into(),
        ..Default::default()
    };
    store.create_task(task, Berlin, t0()).unwrap();
    let org = store.contact(anna, t0()).unwrap().organization_id.unwrap();
    let page = contacts::organization(&store, org, t0() + Duration::hours(2)).unwrap();
    let names: Vec<_> = page.contacts.iter().map(|c| c.display_name.as_str()).collect();
    assert_eq!(names, ["Anna Muster", "Ben Muster"]);
    assert_eq!((page.deals.len(), page.open_deals), (1, 1));
    let calls: Vec<_> = page.activities.iter().filter_map(|a| a.summary.as_deref()).collect();
    assert_eq!(calls, ["Anruf 20", "Anruf 10"], "newest first, across its contacts");
    assert_eq!(page.tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["Nachfassen"]);
}

#[test]
fn merging_moves_contacts_and_deals_fills_gaps_and_removes_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let anna = person(&store, "Anna", "Acme AG");
    let ben = person(&store, "Ben", "ACME Aktiengesellschaft");
    let deal = DealInput { contact_id: ben, title: "Pumpen".into(), value: 900.0, ..Default::default() };
    let deal = store.create_deal(&deal, t0()).unwrap().value;
    let keep = store.contact(anna, t0()).unwrap().organization_id.unwrap();
    let gone = store.contact(ben, t0()).unwrap().organization_id.unwrap();
    let data = OrganizationInput {
        name: "ACME Aktiengesellschaft".into(),
        industry: Some("Maschinenbau".into()),
        postcode: Some("20457".into()),
        ..Default::default()
    };
    store.update_organization(gone, &data, t0()).unwrap();
    let later = t0() + Duration::hours(1);
    let merged = contacts::merge_organizations(&store, keep, gone, later).unwrap().value;
    assert_eq!(merged.organization.name, "Acme AG");
    assert_eq!(
        merged.organization.industry.as_deref(),
        Some("Maschinenbau"),
        "an empty field takes the other's"
    );
    assert_eq!(merged.contacts.len(), 2);
    assert_eq!(merged.open_deals, 1);
    let ben_now = store.contact(ben, later).unwrap();
    assert_eq!((ben_now.organization.as_deref(), ben_now.organization_id), (Some("Acme AG"), Some(keep)));
    assert_eq!(store.deal(deal.id).unwrap().organization_id, Some(keep));
    assert!(matches!(store.organization(gone), Err(Error::NotFound { .. })));
    let found = store
        .search(&SearchQuery { text: "Aktiengesellschaft".into(), kind: None, limit: 10, per_kind: false })
        .unwrap();
    assert!(found.hits.iter().all(|h| h.id != gone), "the other's name finds nothing of it");
    let listed = organizations(&store, None).unwrap();
    assert_eq!(listed.iter().map(|o| (o.name.as_str(), o.contacts)).collect::<Vec<_>>(), [("Acme AG", 2)]);
    // A contact naming the old organisation now makes a new one.
    let cleo = person(&store, "Cleo", "ACME Aktiengesellschaft");
    assert_ne!(store.contact(cleo, later).unwrap().organization_id, Some(gone));
    assert!(store.merge_organizations(keep, keep, later).is_err());
}

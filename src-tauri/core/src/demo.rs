//! Demo data: a small, believable territory for trying Kontor out. Created
//! through the same store calls a user makes, so history and indexes are real.

use crate::quote::CompanyProfile;
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::activity::{ActivityInput, ActivityKind};
use crate::contact::ContactInput;
use crate::criteria::{Answer, CriteriaUpdate};
use crate::deal::{DealInput, LineItem};
use crate::error::Result;
use crate::search::StageCounts;
use crate::stage::{ChangedBy, Stage, StageChangeRequest};
use crate::store::Store;

struct Person {
    first: &'static str,
    last: &'static str,
    org: &'static str,
    title: &'static str,
    email: &'static str,
    phone: &'static str,
    tags: &'static [&'static str],
    source: &'static str,
    /// Stage changes after creation: (days after creation, stage, reason).
    path: &'static [(i64, Stage, Option<&'static str>)],
}

const PEOPLE: &[Person] = &[
    Person {
        first: "Jürgen",
        last: "Müller",
        org: "Bäckerei Müller GmbH",
        title: "Geschäftsführer",
        email: "j.mueller@baeckerei-mueller.de",
        phone: "0511 4711 230",
        tags: &["Hannover", "Messe"],
        source: "Messe Hannover",
        path: &[
            (5, Stage::Prospect, Some("Budget für Kassensystem freigegeben")),
            (19, Stage::Opportunity, None),
        ],
    },
    Person {
        first: "Anna",
        last: "Schmidt",
        org: "Schmidt & Partner Steuerberatung",
        title: "Partnerin",
        email: "anna.schmidt@schmidt-partner.de",
        phone: "+49 40 3344 5566",
        tags: &["Hamburg"],
        source: "Empfehlung",
        path: &[
            (3, Stage::Prospect, None),
            (10, Stage::Opportunity, None),
            (30, Stage::Customer, Some("Vertrag unterschrieben")),
        ],
    },
    Person {
        first: "Mehmet",
        last: "Yılmaz",
        org: "Yılmaz Logistik",
        title: "Einkaufsleiter",
        email: "m.yilmaz@yilmaz-logistik.de",
        phone: "0170 2233445",
        tags: &["Logistik"],
        source: "Kaltakquise",
        path: &[],
    },
    Person {
        first: "Claire",
        last: "Dubois",
        org: "Atelier Dubois",
        title: "Owner",
        email: "claire@atelier-dubois.fr",
        phone: "+33 1 42 68 53 00",
        tags: &["Export"],
        source: "Website",
        path: &[(2, Stage::Prospect, None)],
    },
    Person {
        first: "Thomas",
        last: "Becker",
        org: "Autohaus Becker",
        title: "Serviceleiter",
        email: "t.becker@autohaus-becker.de",
        phone: "0231 987650",
        tags: &["Dortmund"],
        source: "Messe Hannover",
        path: &[(7, Stage::Disqualified, Some("Kein Budget vor 2028"))],
    },
    Person {
        first: "Sabine",
        last: "Wagner",
        org: "Stadtwerke Kassel",
        title: "Projektleiterin IT",
        email: "sabine.wagner@stadtwerke-kassel.de",
        phone: "0561 78 20",
        tags: &["Öffentlich"],
        source: "Webinar",
        path: &[(4, Stage::Prospect, None), (12, Stage::Opportunity, Some("Ausschreibung angekündigt"))],
    },
    Person {
        first: "Lukas",
        last: "Hoffmann",
        org: "Hoffmann Elektrotechnik",
        title: "Inhaber",
        email: "info@hoffmann-elektro.de",
        phone: "0621 445566",
        tags: &["Handwerk"],
        source: "Newsletter",
        path: &[],
    },
    Person {
        first: "Emily",
        last: "Carter",
        org: "Northwind Traders Ltd",
        title: "Head of Procurement",
        email: "emily.carter@northwind.co.uk",
        phone: "+44 20 7946 0958",
        tags: &["Export", "UK"],
        source: "LinkedIn",
        path: &[(6, Stage::Prospect, None), (15, Stage::Opportunity, None), (40, Stage::Customer, None)],
    },
    Person {
        first: "Katharina",
        last: "Fischer",
        org: "Fischer Feinkost",
        title: "Einkauf",
        email: "k.fischer@fischer-feinkost.de",
        phone: "089 1234 5678",
        tags: &["München"],
        source: "Messe Hannover",
        path: &[(3, Stage::Prospect, None)],
    },
    Person {
        first: "Stefan",
        last: "Weber",
        org: "Weber Maschinenbau AG",
        title: "Technischer Leiter",
        email: "stefan.weber@weber-maschinenbau.de",
        phone: "0711 220 330",
        tags: &["Stuttgart", "Industrie"],
        source: "Empfehlung",
        path: &[],
    },
    Person {
        first: "Julia",
        last: "Schäfer",
        org: "Praxis Dr. Schäfer",
        title: "Ärztin",
        email: "praxis@dr-schaefer.de",
        phone: "0221 556677",
        tags: &["Köln"],
        source: "Website",
        path: &[
            (9, Stage::Disqualified, Some("Kein Entscheider")),
            (30, Stage::Lead, Some("Neue Praxisleitung")),
        ],
    },
    Person {
        first: "Piotr",
        last: "Nowak",
        org: "Nowak Bau Sp. z o.o.",
        title: "Prezes",
        email: "p.nowak@nowak-bau.pl",
        phone: "+48 22 123 45 67",
        tags: &["Export"],
        source: "Messe Hannover",
        path: &[(8, Stage::Prospect, None)],
    },
];

/// Adds the demo contacts, created over the last ~60 days before `now`.
/// Automation rules do not run while it loads: the history lies in the past
/// and would only leave a pile of overdue "first call" tasks.
pub fn load_demo_data(store: &Store, now: DateTime<Utc>) -> Result<StageCounts> {
    let _quiet = store.pause_automation();
    let mut ids = HashMap::new();
    for (i, p) in PEOPLE.iter().enumerate() {
        let created = now - Duration::days(60) + Duration::hours(i as i64 * 5);
        let input = ContactInput {
            first_name: p.first.into(),
            last_name: p.last.into(),
            organization: Some(p.org.into()),
            title: Some(p.title.into()),
            emails: vec![p.email.into()],
            phones: vec![p.phone.into()],
            tags: p.tags.iter().map(|t| t.to_string()).collect(),
            source: Some(p.source.into()),
            ..Default::default()
        };
        let contact = store.create_contact(&input, ChangedBy::Hand, created)?;
        ids.insert(contact.display_name.clone(), contact.id);
        for (days, to, reason) in p.path {
            let request = StageChangeRequest { to: *to, reason: reason.map(Into::into), force: false };
            store.change_stage(contact.id, &request, ChangedBy::Hand, created + Duration::days(*days))?;
        }
    }
    add_signals(store, &ids, now)?;
    add_deals(store, &ids, now)?;
    add_company(store, now)?;
    store.stage_counts(None, now)
}

/// A sample company for the quotes, unless the rep has entered their own.
fn add_company(store: &Store, now: DateTime<Utc>) -> Result<()> {
    let mut settings = store.settings();
    if settings.company != CompanyProfile::default() {
        return Ok(());
    }
    settings.company = CompanyProfile {
        name: "Muster Vertrieb GmbH".into(),
        address: "Hafenstraße 1\n20457 Hamburg".into(),
        email: "vertrieb@muster-vertrieb.example".into(),
        phone: "+49 40 1234567".into(),
        vat_id: "DE123456789".into(),
        bank_name: "Musterbank Hamburg".into(),
        // The example IBAN of the German banking association.
        iban: "DE89 3704 0044 0532 0130 00".into(),
        bic: "COBADEFFXXX".into(),
        footer: "Geschäftsführung: Erika Muster · Amtsgericht Hamburg HRB 12345".into(),
        ..Default::default()
    };
    store.set_settings(&settings, now).map(drop)
}

/// Interactions and criteria for some demo contacts: (last name, days ago, kind, summary, concerns).
const SIGNALS: &[(&str, i64, ActivityKind, &str, Option<&str>)] = &[
    ("Mehmet Yılmaz", 2, ActivityKind::WebinarAttended, "Webinar Tourenplanung", None),
    ("Mehmet Yılmaz", 9, ActivityKind::WhitepaperDownload, "Whitepaper Flottenkosten", None),
    ("Mehmet Yılmaz", 12, ActivityKind::NewsletterSignup, "Newsletter", None),
    ("Lukas Hoffmann", 1, ActivityKind::Call, "Erstgespräch", Some("Fragt nach Wartungskosten")),
    ("Lukas Hoffmann", 20, ActivityKind::WebsiteVisit, "Preisseite", None),
    (
        "Katharina Fischer",
        3,
        ActivityKind::Visit,
        "Besuch im Laden",
        Some("Sorge: Umstellung im Weihnachtsgeschäft"),
    ),
    ("Katharina Fischer", 15, ActivityKind::Meeting, "Bedarfsanalyse", None),
    ("Jürgen Müller", 4, ActivityKind::Meeting, "Angebot besprochen", Some("Finanzierung über Leasing?")),
];

fn add_signals(store: &Store, ids: &HashMap<String, Uuid>, now: DateTime<Utc>) -> Result<()> {
    let id_of = |name: &str| ids.get(name).copied();
    for (name, days, kind, summary, concerns) in SIGNALS {
        if let Some(id) = id_of(name) {
            let input = ActivityInput {
                kind: *kind,
                at: Some(now - Duration::days(*days)),
                summary: Some((*summary).into()),
                text: None,
                outcome: None,
                concerns: concerns.map(Into::into),
            };
            store.log_activity(id, input, now)?;
        }
    }
    let yes = Some(Answer::Yes);
    if let Some(id) = id_of("Katharina Fischer") {
        let update = CriteriaUpdate { budget: yes, authority: yes, need: yes, ..Default::default() };
        store.set_criteria(id, &update, now)?;
    }
    // A lead whose webinar, whitepaper and confirmed budget make it ready to qualify.
    if let Some(id) = id_of("Mehmet Yılmaz") {
        let update = CriteriaUpdate { budget: yes, authority: yes, ..Default::default() };
        store.set_criteria(id, &update, now)?;
    }
    Ok(())
}

/// One demo deal: (contact, days ago created, title, stage, value or line
/// items, next step, days to close).
struct DemoDeal {
    contact: &'static str,
    days_ago: i64,
    title: &'static str,
    stage: &'static str,
    value: f64,
    items: &'static [(&'static str, f64, f64, f64)],
    next_step: Option<&'static str>,
    close_in_days: Option<i64>,
    lost_reason: Option<&'static str>,
}

/// Deals only for contacts that already are opportunities or customers, so
/// the lifecycle coupling leaves the demo's stages as they are.
const DEALS: &[DemoDeal] = &[
    DemoDeal {
        contact: "Jürgen Müller",
        days_ago: 12,
        title: "Kassensystem für 3 Filialen",
        stage: "proposal",
        value: 0.0,
        items: &[("Kassensystem K5", 3.0, 4200.0, 10.0), ("Installation und Schulung", 3.0, 350.0, 0.0)],
        next_step: Some("Angebot nachfassen"),
        close_in_days: Some(21),
        lost_reason: None,
    },
    DemoDeal {
        contact: "Sabine Wagner",
        days_ago: 9,
        title: "Ausschreibung Fuhrpark 2027",
        stage: "negotiation",
        value: 48000.0,
        items: &[],
        next_step: Some("Rahmenvertrag verhandeln"),
        close_in_days: Some(14),
        lost_reason: None,
    },
    DemoDeal {
        contact: "Sabine Wagner",
        days_ago: 35,
        title: "Wartungsvertrag Flotte",
        stage: "needs_analysis",
        value: 4800.0,
        items: &[],
        next_step: None,
        close_in_days: Some(45),
        lost_reason: None,
    },
    DemoDeal {
        contact: "Anna Schmidt",
        days_ago: 40,
        title: "Kanzleisoftware Lizenz",
        stage: "won",
        value: 6900.0,
        items: &[],
        next_step: None,
        close_in_days: None,
        lost_reason: None,
    },
    DemoDeal {
        contact: "Anna Schmidt",
        days_ago: 25,
        title: "Schulungspaket",
        stage: "lost",
        value: 1500.0,
        items: &[],
        next_step: None,
        close_in_days: None,
        lost_reason: Some("Budget erst 2027"),
    },
    DemoDeal {
        contact: "Emily Carter",
        days_ago: 50,
        title: "Jahreslizenz Shop",
        stage: "won",
        value: 2400.0,
        items: &[],
        next_step: None,
        close_in_days: None,
        lost_reason: None,
    },
    DemoDeal {
        contact: "Emily Carter",
        days_ago: 18,
        title: "Erweiterung Lager-Modul",
        stage: "won",
        value: 1200.0,
        items: &[],
        next_step: None,
        close_in_days: None,
        lost_reason: None,
    },
    DemoDeal {
        contact: "Emily Carter",
        days_ago: 3,
        title: "Zweite Filiale",
        stage: "qualification",
        value: 8900.0,
        items: &[],
        next_step: Some("Bedarf klären"),
        close_in_days: Some(60),
        lost_reason: None,
    },
];

fn add_deals(store: &Store, ids: &HashMap<String, Uuid>, now: DateTime<Utc>) -> Result<()> {
    for d in DEALS {
        let Some(contact_id) = ids.get(d.contact).copied() else { continue };
        let at = now - Duration::days(d.days_ago);
        let input = DealInput {
            contact_id,
            title: d.title.into(),
            value: d.value,
            stage: Some(d.stage.into()),
            next_step: d.next_step.map(Into::into),
            close_date: d.close_in_days.map(|days| (now + Duration::days(days)).date_naive()),
            line_items: d
                .items
                .iter()
                .map(|(product, quantity, unit_price, discount_percent)| LineItem {
                    product: (*product).into(),
                    quantity: *quantity,
                    unit_price: *unit_price,
                    discount_percent: *discount_percent,
                    vat: Default::default(),
                })
                .collect(),
            value_from_items: !d.items.is_empty(),
            lost_reason: d.lost_reason.map(Into::into),
            ..Default::default()
        };
        store.create_deal(&input, at)?;
    }
    Ok(())
}

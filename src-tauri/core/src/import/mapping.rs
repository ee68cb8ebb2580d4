//! Column names to fields: the layouts of Google Contacts, Outlook and
//! HubSpot exports, and the common English and German names a hand-made
//! Excel list uses.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Preset;
use crate::stage::Stage;
use crate::text::fold;

/// Where a column's values go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Field {
    /// Not imported.
    Ignore,
    /// Anrede / Outlook's "Title" / Google's "Name Prefix".
    Salutation,
    /// Vorname.
    FirstName,
    /// Further given names (joined to the first name).
    MiddleName,
    /// Nachname.
    LastName,
    /// The whole name as shown.
    DisplayName,
    /// Firma.
    Organization,
    /// Job title (Position).
    Title,
    /// An email address (several columns may map here).
    Email,
    /// A phone number (several columns may map here).
    Phone,
    /// Straße.
    Street,
    /// PLZ.
    Postcode,
    /// Ort.
    City,
    /// Bundesland / state.
    Region,
    /// Land.
    Country,
    /// Website.
    Website,
    /// Tags (Google labels, Outlook categories).
    Tags,
    /// Notes.
    Notes,
    /// Kept in the notes as "column: value".
    NoteLine,
    /// Where the contact came from.
    Source,
    /// Lifecycle stage (HubSpot's "Lifecycle Stage").
    Stage,
}

/// A header reduced to letters and digits, folded: "E-Mail-Adresse" → "emailadresse".
fn key(header: &str) -> String {
    fold(header).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The address group a header belongs to: 0 business/first, 1 home/second, 2 other.
fn group_of(k: &str) -> u8 {
    if k.contains("home") || k.contains("privat") || k.contains("address2") || k.contains("adresse2") {
        1
    } else if k.contains("other") || k.contains("weitere") || k.contains("address3") {
        2
    } else {
        0
    }
}

/// Recognises the program that wrote a header row.
pub(crate) fn detect_preset(headers: &[String]) -> Preset {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    let has = |k: &str| keys.iter().any(|h| h == k);
    if has("recordid") || has("datensatzid") || (has("lifecyclestage") && has("contactowner")) {
        Preset::Hubspot
    } else if (has("givenname") && has("familyname"))
        || has("email1value")
        || (has("organizationname") && has("labels"))
    {
        Preset::Google
    } else if (has("emailaddress") && (has("businessphone") || has("mobilephone") || has("jobtitle")))
        || (has("emailadresse") && (has("mobiltelefon") || has("telefongeschaftlich") || has("position")))
    {
        Preset::Outlook
    } else {
        Preset::Generic
    }
}

/// The field and address group of a column under `preset`.
pub(crate) fn map_header(preset: Preset, header: &str) -> (Field, u8) {
    let k = key(header);
    let group = group_of(&k);
    let special = match preset {
        Preset::Google => google(&k),
        Preset::Outlook => outlook(&k),
        Preset::Hubspot => hubspot(&k),
        Preset::Generic | Preset::Auto => None,
    };
    let field = special.unwrap_or_else(|| match generic(&k) {
        // "Work City", "Home ZipCode", "Ort privat", "Web Page 2": the base name decides.
        Field::Ignore => generic(&base_key(&k)),
        field => field,
    });
    (field, group)
}

/// A header key without its business/home/other qualifier and number.
fn base_key(k: &str) -> String {
    let mut base = k.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
    for prefix in ["business", "work", "home", "other", "private", "personal", "primary", "secondary"] {
        if let Some(rest) = base.strip_prefix(prefix) {
            base = rest.to_owned();
        }
    }
    for suffix in ["geschaftlich", "privat", "weitere", "weiterer", "weiteres"] {
        if let Some(rest) = base.strip_suffix(suffix) {
            base = rest.to_owned();
        }
    }
    base.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()
}

fn google(k: &str) -> Option<Field> {
    Some(match k {
        "name" | "fileas" => Field::DisplayName,
        "nameprefix" => Field::Salutation,
        "additionalname" => Field::MiddleName,
        "namesuffix" | "nickname" | "birthday" | "organization1department" | "organizationdepartment" => {
            Field::NoteLine
        }
        "groupmembership" | "labels" => Field::Tags,
        _ if k.starts_with("organization") && k.ends_with("title") => Field::Title,
        _ if k.starts_with("organization") && k.ends_with("name") && !k.contains("yomi") => {
            Field::Organization
        }
        _ if k.contains("yomi") || k.contains("phonetic") => Field::Ignore,
        _ if k.ends_with("type") || k.ends_with("label") || k.ends_with("formatted") => Field::Ignore,
        _ if k.starts_with("email") && k.ends_with("value") => Field::Email,
        _ if k.starts_with("phone") && k.ends_with("value") => Field::Phone,
        _ if k.starts_with("website") && k.ends_with("value") => Field::Website,
        _ if k.starts_with("address") => return address_part(k.trim_start_matches(char::is_alphabetic)),
        _ => return None,
    })
}

/// Google's "Address 1 - Street" etc., after "address" and the digit.
fn address_part(rest: &str) -> Option<Field> {
    let part = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    Some(match part {
        "street" => Field::Street,
        "city" => Field::City,
        "region" => Field::Region,
        "postalcode" => Field::Postcode,
        "country" => Field::Country,
        "pobox" | "extendedaddress" => Field::NoteLine,
        _ => Field::Ignore,
    })
}

fn outlook(k: &str) -> Option<Field> {
    Some(match k {
        // Outlook's "Title" is the salutation; the job is "Job Title".
        "title" | "anrede" | "titel" => Field::Salutation,
        "suffix" | "department" | "abteilung" | "birthday" | "geburtstag" | "nickname" | "spitzname" => {
            Field::NoteLine
        }
        "emailtype" | "email2type" | "email3type" | "emailtyp" | "email2typ" | "email3typ" => Field::Ignore,
        _ if k.contains("displayname") || k.contains("angezeigtername") => Field::Ignore,
        _ if k.contains("yomi") => Field::Ignore,
        "categories" | "kategorien" => Field::Tags,
        "sensitivity"
        | "vertraulichkeit"
        | "priority"
        | "prioritat"
        | "initials"
        | "initialen"
        | "gender"
        | "geschlecht"
        | "private"
        | "privat"
        | "mileage"
        | "reisekilometer"
        | "billinginformation"
        | "abrechnungsinformation"
        | "directoryserver"
        | "verzeichnisserver"
        | "language"
        | "sprache"
        | "location"
        | "ort2"
        | "hobby"
        | "account"
        | "konto"
        | "user1"
        | "user2"
        | "user3"
        | "user4" => Field::Ignore,
        // Numbers of the company or an assistant are no number of the person.
        "companymainphone" | "telefonfirma" | "assistantsphone" | "telefonassistent" => Field::NoteLine,
        _ if k.contains("fax") => Field::Phone,
        _ if k.contains("pobox") || k.contains("postfach") => Field::Ignore,
        _ if k.contains("street") || k.contains("strasse") => Field::Street,
        _ => return None,
    })
}

fn hubspot(k: &str) -> Option<Field> {
    Some(match k {
        "lifecyclestage" | "lebenszyklusphase" => Field::Stage,
        "recordid" | "datensatzid" | "leadstatus" | "contactowner" | "kontaktinhaber" => Field::NoteLine,
        "associatedcompany" | "associatedcompanyprimary" | "companyname" => Field::Organization,
        "originalsource" | "originalquelle" => Field::Source,
        "createdate" | "erstelldatum" | "lastactivitydate" | "datumderletztenaktivitat" => Field::Ignore,
        _ => return None,
    })
}

/// Common English and German column names.
fn generic(k: &str) -> Field {
    match k {
        "anrede" | "salutation" | "prefix" | "nameprefix" | "titel" | "akademischertitel" => {
            Field::Salutation
        }
        "vorname" | "firstname" | "givenname" | "first" | "forename" | "vname" => Field::FirstName,
        "middlename" | "weiterevornamen" | "zweitervorname" | "additionalname" => Field::MiddleName,
        "nachname" | "lastname" | "familyname" | "surname" | "last" | "familienname" | "zuname" => {
            Field::LastName
        }
        "name" | "fullname" | "displayname" | "anzeigename" | "vollstandigername" | "kontakt" | "contact"
        | "contactname" | "ansprechpartner" | "kontaktname" => Field::DisplayName,
        "firma" | "company" | "organization" | "organisation" | "organizationname" | "unternehmen"
        | "companyname" | "firmenname" | "arbeitgeber" | "institution" | "account" | "accountname"
        | "kunde" | "betrieb" => Field::Organization,
        "position" | "jobtitle" | "funktion" | "berufsbezeichnung" | "rolle" | "role" | "beruf" | "job"
        | "stellung" | "title" | "jobposition" => Field::Title,
        "strasse"
        | "street"
        | "address"
        | "adresse"
        | "anschrift"
        | "streetaddress"
        | "strassehausnummer"
        | "strasseundhausnummer"
        | "addressline1"
        | "businessstreet"
        | "homestreet"
        | "otherstreet"
        | "strassegeschaftlich"
        | "strasseprivat"
        | "weiterestrasse" => Field::Street,
        "plz"
        | "postleitzahl"
        | "zip"
        | "zipcode"
        | "postalcode"
        | "postcode"
        | "postleitzahlgeschaftlich"
        | "postleitzahlprivat"
        | "businesspostalcode"
        | "homepostalcode"
        | "otherpostalcode" => Field::Postcode,
        "ort" | "stadt" | "city" | "town" | "wohnort" | "businesscity" | "homecity" | "othercity"
        | "ortgeschaftlich" | "ortprivat" | "weitererort" => Field::City,
        "bundesland" | "state" | "region" | "province" | "stateregion" | "businessstate" | "homestate"
        | "regiongeschaftlich" | "regionprivat" | "kanton" => Field::Region,
        "land"
        | "country"
        | "countryregion"
        | "staat"
        | "businesscountryregion"
        | "homecountryregion"
        | "landregiongeschaftlich"
        | "landregionprivat" => Field::Country,
        "website" | "webseite" | "homepage" | "url" | "internet" | "web" | "websiteurl" | "webpage"
        | "internetadresse" => Field::Website,
        "tags" | "tag" | "kategorien" | "categories" | "kategorie" | "category" | "labels" | "gruppen"
        | "gruppe" | "schlagworte" | "stichworte" => Field::Tags,
        "notizen" | "notes" | "note" | "notiz" | "bemerkung" | "bemerkungen" | "kommentar" | "kommentare"
        | "comment" | "comments" | "anmerkungen" | "anmerkung" | "beschreibung" | "description" | "info" => {
            Field::Notes
        }
        "quelle" | "source" | "leadsource" | "herkunft" | "leadquelle" => Field::Source,
        "lifecyclestage" | "lebenszyklusphase" | "stage" | "phase" | "lifecycle" => Field::Stage,
        "abteilung" | "department" | "geburtstag" | "birthday" | "branche" | "industry" | "suffix" => {
            Field::NoteLine
        }
        _ if is_email_column(k) => Field::Email,
        _ if k.contains("mail") => Field::Ignore,
        _ if k.contains("phone")
            || k.contains("telefon")
            || k.contains("mobil")
            || k.contains("handy")
            || k.starts_with("tel")
            || k.starts_with("fon")
            || k.contains("fax") =>
        {
            if k.contains("type") || k.contains("label") {
                Field::Ignore
            } else {
                Field::Phone
            }
        }
        _ => Field::Ignore,
    }
}

/// An email address column: "E-Mail", "Email Address", "E-Mail 2",
/// "E-mail 1 - Value", "Mail", "E-Mail-Adresse privat" — not "Marketing
/// emails opened", "Email Domain" or "E-Mail-Typ".
fn is_email_column(k: &str) -> bool {
    let base = k
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches("value")
        .trim_end_matches(|c: char| c.is_ascii_digit());
    let base = ["geschaftlich", "privat", "work", "home", "business", "personal", "other", "weitere"]
        .iter()
        .fold(base.to_owned(), |b, suffix| b.trim_end_matches(suffix).to_owned());
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit());
    let base =
        ["business", "work", "home", "personal", "primary", "secondary", "other", "contact", "kontakt"]
            .iter()
            .fold(base.to_owned(), |b, prefix| b.trim_start_matches(prefix).to_owned());
    let base = base.trim_start_matches(|c: char| c.is_ascii_digit());
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(
        base,
        "email" | "mail" | "emailaddress" | "emailadresse" | "mailadresse" | "emailadr" | "mailaddress"
    )
}

/// A lifecycle stage as other programs write it (HubSpot in English and
/// German, and Kontor's own names).
pub fn parse_stage(raw: &str) -> Option<Stage> {
    Some(match key(raw).as_str() {
        "lead" | "subscriber" | "abonnent" | "other" | "sonstiges" | "andere" | "neu" | "new" => Stage::Lead,
        "prospect"
        | "interessent"
        | "marketingqualifiedlead"
        | "mql"
        | "salesqualifiedlead"
        | "sql"
        | "marketingqualifizierterlead"
        | "vertriebsqualifizierterlead"
        | "qualifizierterlead" => Stage::Prospect,
        "opportunity" | "verkaufschance" | "chance" | "opportunitat" => Stage::Opportunity,
        "customer" | "kunde" | "evangelist" | "befurworter" | "stammkunde" => Stage::Customer,
        "disqualified" | "disqualifiziert" => Stage::Disqualified,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn recognises_each_program() {
        assert_eq!(
            detect_preset(&headers("Name,Given Name,Additional Name,Family Name,E-mail 1 - Value")),
            Preset::Google
        );
        assert_eq!(
            detect_preset(&headers(
                "First Name,Middle Name,Last Name,Organization Name,Labels,E-mail 1 - Value"
            )),
            Preset::Google
        );
        assert_eq!(
            detect_preset(&headers(
                "Title,First Name,Last Name,Company,Job Title,Business Phone,E-mail Address"
            )),
            Preset::Outlook
        );
        assert_eq!(
            detect_preset(&headers("Anrede,Vorname,Nachname,Firma,Position,Mobiltelefon,E-Mail-Adresse")),
            Preset::Outlook
        );
        assert_eq!(
            detect_preset(&headers("Record ID,First Name,Last Name,Email,Lifecycle Stage")),
            Preset::Hubspot
        );
        assert_eq!(detect_preset(&headers("Vorname,Nachname,Firma,E-Mail,Telefon")), Preset::Generic);
    }

    #[test]
    fn a_salutation_is_no_job_title() {
        assert_eq!(map_header(Preset::Outlook, "Title").0, Field::Salutation);
        assert_eq!(map_header(Preset::Outlook, "Job Title").0, Field::Title);
        assert_eq!(map_header(Preset::Generic, "Anrede").0, Field::Salutation);
        assert_eq!(map_header(Preset::Generic, "Position").0, Field::Title);
        assert_eq!(map_header(Preset::Google, "Organization 1 - Title").0, Field::Title);
    }

    #[test]
    fn german_and_english_columns() {
        for (h, f) in [
            ("Vorname", Field::FirstName),
            ("Nachname", Field::LastName),
            ("Firma", Field::Organization),
            ("E-Mail", Field::Email),
            ("Telefon", Field::Phone),
            ("Mobil", Field::Phone),
            ("Straße", Field::Street),
            ("PLZ", Field::Postcode),
            ("Ort", Field::City),
            ("Email Address", Field::Email),
            ("Phone Number", Field::Phone),
            ("Zip Code", Field::Postcode),
            ("E-Mail-Typ", Field::Ignore),
            ("E-Mail 2", Field::Email),
            ("Mail", Field::Email),
            ("E-Mail-Adresse privat", Field::Email),
            ("Marketing emails opened", Field::Ignore),
            ("Email Domain", Field::Ignore),
            ("Unsubscribed from all email", Field::Ignore),
        ] {
            assert_eq!(map_header(Preset::Generic, h).0, f, "{h}");
        }
        assert_eq!(map_header(Preset::Google, "Address 1 - Postal Code"), (Field::Postcode, 0));
        assert_eq!(map_header(Preset::Google, "Address 2 - Street"), (Field::Street, 1));
        assert_eq!(map_header(Preset::Outlook, "Home Street"), (Field::Street, 1));
        assert_eq!(map_header(Preset::Outlook, "Business Fax"), (Field::Phone, 0));
        assert_eq!(map_header(Preset::Hubspot, "Lifecycle Stage").0, Field::Stage);
        // Thunderbird and other address books.
        assert_eq!(map_header(Preset::Generic, "Work City"), (Field::City, 0));
        assert_eq!(map_header(Preset::Generic, "Home ZipCode"), (Field::Postcode, 1));
        assert_eq!(map_header(Preset::Generic, "Secondary Email").0, Field::Email);
        assert_eq!(map_header(Preset::Generic, "Web Page 1").0, Field::Website);
    }

    #[test]
    fn hubspot_stages_map_to_the_lifecycle() {
        assert_eq!(parse_stage("salesqualifiedlead"), Some(Stage::Prospect));
        assert_eq!(parse_stage("Marketing Qualified Lead"), Some(Stage::Prospect));
        assert_eq!(parse_stage("Opportunity"), Some(Stage::Opportunity));
        assert_eq!(parse_stage("Verkaufschance"), Some(Stage::Opportunity));
        assert_eq!(parse_stage("customer"), Some(Stage::Customer));
        assert_eq!(parse_stage("Abonnent"), Some(Stage::Lead));
        assert_eq!(parse_stage("wat"), None);
    }
}

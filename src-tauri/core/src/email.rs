//! Email follow-ups: a template filled for a contact (and deal), handed to
//! the user's mail client as a `mailto:` URL (RFC 6068).
//!
//! Pure: the store logs the sent email as an activity
//! ([`crate::Store::log_email_sent`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::automation::fill_placeholders;
use crate::contact::Contact;
use crate::deal::Deal;
use crate::lang::Language;
use crate::money::format_money;
use crate::stage::Stage;
use crate::texts::Text;

/// An email template; subject and body may use the placeholders
/// `{first_name} {last_name} {display_name} {organization} {deal_title}
/// {deal_value} {stage}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailTemplate {
    /// Stable id ("follow_up_de").
    pub id: String,
    /// Name shown in the picker.
    pub name: String,
    /// Language of the text (numbers and stage names follow it).
    pub language: Language,
    /// Subject template.
    pub subject: String,
    /// Body template (plain text).
    pub body: String,
}

/// The follow-up templates shipped, German and English.
pub fn default_email_templates() -> Vec<EmailTemplate> {
    vec![
        EmailTemplate {
            id: "follow_up_de".into(),
            name: "Nachfassen".into(),
            language: Language::De,
            subject: "Unser Gespräch: {deal_title}".into(),
            body: "Hallo {first_name} {last_name},\n\nvielen Dank für das angenehme Gespräch. \
                   Wie besprochen melde ich mich wegen {deal_title} ({deal_value}) für {organization}.\n\n\
                   Wann passt Ihnen ein kurzer Termin für die nächsten Schritte?\n\nViele Grüße"
                .into(),
        },
        EmailTemplate {
            id: "follow_up_en".into(),
            name: "Follow-up".into(),
            language: Language::En,
            subject: "Following up: {deal_title}".into(),
            body: "Hello {first_name},\n\nthank you for your time. As promised I am following up on \
                   {deal_title} ({deal_value}) for {organization}.\n\n\
                   When would suit you for a short call about the next steps?\n\nBest regards"
                .into(),
        },
    ]
}

/// A filled template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenderedEmail {
    /// The contact's first email address (empty when it has none).
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Body, lines separated by `\n`.
    pub body: String,
    /// `mailto:` URL with subject and body (line breaks as `%0D%0A`).
    pub mailto: String,
    /// The deal it was filled for: the one asked for, else the contact's
    /// only open deal (none when it has several: the rep picks one).
    #[serde(default)]
    pub deal_id: Option<Uuid>,
    /// The deals to choose from: the contact's open deals, newest first,
    /// and the one it was filled for when that is not open.
    #[serde(default)]
    pub deals: Vec<DealRef>,
    /// Placeholders the template uses that had no value (`deal_title`,
    /// `organization` ...): the text has gaps there.
    #[serde(default)]
    pub unfilled: Vec<String>,
}

/// A deal as a choice: its id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealRef {
    /// The deal.
    pub id: Uuid,
    /// Its title.
    pub title: String,
}

/// A lifecycle stage's name in `language`.
pub fn stage_label(stage: Stage, language: Language) -> &'static str {
    let text = match stage {
        Stage::Lead => Text::StageLead,
        Stage::Prospect => Text::StageProspect,
        Stage::Opportunity => Text::StageOpportunity,
        Stage::Customer => Text::StageCustomer,
        Stage::Disqualified => Text::StageDisqualified,
    };
    text.get(language)
}

/// The placeholder values for a contact and deal: `first_name`,
/// `last_name`, `display_name`, `organization`, `deal_title`, `deal_value`,
/// `stage` (the contact's lifecycle stage). Values that are missing are empty.
pub fn placeholder_values(
    contact: Option<&Contact>,
    deal: Option<&Deal>,
    language: Language,
) -> Vec<(&'static str, String)> {
    let c = |f: fn(&Contact) -> String| contact.map(f).unwrap_or_default();

    vec![
        ("first_name", c(|c| c.first_name.clone())),
        ("last_name", c(|c| c.last_name.clone())),
        ("display_name", c(|c| c.display_name.clone())),
        ("organization", c(|c| c.organization.clone().unwrap_or_default())),
        ("deal_title", deal.map(|d| d.title.clone()).unwrap_or_default()),
        ("deal_value", deal.map(|d| format_money(d.value, &d.currency, language)).unwrap_or_default()),
        ("stage", contact.map(|c| stage_label(c.stage, language).to_owned()).unwrap_or_default()),
    ]
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and
/// `@` when `keep_at`).
fn encode(text: &str, keep_at: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_at && b == b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `mailto:` URL (RFC 6068): line breaks become CRLF (`%0D%0A`), every
/// other reserved or non-ASCII byte is percent-encoded as UTF-8.
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n");
    format!("mailto:{}?subject={}&body={}", encode(to, true), encode(subject, false), encode(&body, false))
}

/// Fills `template` for `contact` (and `deal`); numbers and stage names in `language`.
pub fn render_template(
    template: &EmailTemplate,
    contact: &Contact,
    deal: Option<&Deal>,
    language: Language,
) -> RenderedEmail {
    let values = placeholder_values(Some(contact), deal, language);
    // A subject is one line.
    let subject = fill_placeholders(&template.subject, &values).replace(['\r', '\n'], " ");
    let body = fill_placeholders(&template.body, &values);
    let to = contact.emails.first().cloned().unwrap_or_default();
    let used = |name: &str| {
        let placeholder = format!("{{{name}}}");
        template.subject.contains(&placeholder) || template.body.contains(&placeholder)
    };
    let unfilled = values
        .iter()
        .filter(|(name, value)| value.is_empty() && used(name))
        .map(|(name, _)| name.to_string())
        .collect();
    RenderedEmail {
        mailto: mailto(&to, &subject, &body),
        to,
        subject,
        body,
        deal_id: deal.map(|d| d.id),
        deals: Vec::new(),
        unfilled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_which_placeholders_stayed_empty() {
        let template = &default_email_templates()[1];
        let input = crate::contact::ContactInput { first_name: "Anna".into(), ..Default::default() };
        let valid = input.validate(phonenumber::country::Id::DE).unwrap();
        let contact = Contact::new_lead(
            Uuid::nil(),
            valid,
            crate::stage::ChangedBy::Hand,
            None,
            chrono::DateTime::UNIX_EPOCH,
        );
        let rendered = render_template(template, &contact, None, Language::En);
        assert_eq!(rendered.subject, "Following up: ");
        assert_eq!(rendered.unfilled, ["organization", "deal_title", "deal_value"]);
        assert_eq!(rendered.deal_id, None);
    }

    #[test]
    fn mailto_encodes_reserved_characters_and_crlf() {
        assert_eq!(
            mailto("a.b+c@x.de", "Grüße & mehr?", "Zeile 1\nZeile 2 = 100%"),
            "mailto:a.b%2Bc@x.de?subject=Gr%C3%BC%C3%9Fe%20%26%20mehr%3F\
             &body=Zeile%201%0D%0AZeile%202%20%3D%20100%25"
        );
    }
}

//! The one table of what the core and the shell say to the rep, in German
//! and English: notifications, the tray, proposed file names and dialog
//! titles, report CSV headers, proposal reasons, rule task titles, the
//! quote document. Nothing outside this file chooses a text by language.
//!
//! Texts with `{name}` placeholders are filled by [`Text::fill`]. The UI
//! gets the table generated (`ui/src/generated/texts.ts`, written by this
//! module's test), so a text is written once for all three.

use crate::lang::Language;

macro_rules! texts {
    ($($(#[doc = $doc:literal])* $name:ident = $id:literal { de: $de:literal, en: $en:literal },)*) => {
        /// A text Kontor's core or shell shows; each variant's texts stand
        /// beside it in the table below.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text {
            $($(#[doc = $doc])* $name,)*
        }

        impl Text {
            /// Every text, in table order.
            pub const ALL: &'static [Text] = &[$(Text::$name,)*];

            /// Its stable key (`tray.open`), as the UI's table names it.
            pub fn key(self) -> &'static str {
                match self {
                    $(Text::$name => $id,)*
                }
            }

            /// The text in `language`.
            pub fn get(self, language: Language) -> &'static str {
                match (self, language) {
                    $((Text::$name, Language::De) => $de, (Text::$name, Language::En) => $en,)*
                }
            }
        }
    };
}

texts! {
    // ---- lifecycle stages, as documents and CSVs name them
    StageLead = "backend.stage.lead" { de: "Lead", en: "Lead" },
    StageProspect = "backend.stage.prospect" { de: "Interessent", en: "Prospect" },
    StageOpportunity = "backend.stage.opportunity" { de: "Verkaufschance", en: "Opportunity" },
    StageCustomer = "backend.stage.customer" { de: "Kunde", en: "Customer" },
    StageDisqualified = "backend.stage.disqualified" { de: "Disqualifiziert", en: "Disqualified" },

    // ---- proposal reasons (recorded in the stage history)
    ProposalAccepted = "backend.proposal.accepted" { de: "Vorschlag angenommen", en: "proposal accepted" },
    ProposalAutomatic = "backend.proposal.automatic" { de: "automatisch qualifiziert", en: "qualified automatically" },
    /// {score}
    ReasonFitConfirmed = "backend.proposal.fit" {
        de: "Zielgruppe, Budget und Entscheidungsbefugnis bestätigt (Score {score})",
        en: "target group, budget and authority confirmed (score {score})"
    },
    /// {score}, {threshold}
    ReasonProspectThreshold = "backend.proposal.prospect" {
        de: "Score {score} hat die Interessenten-Schwelle {threshold} erreicht",
        en: "score {score} reached the prospect threshold {threshold}"
    },
    /// {score}, {threshold}
    ReasonOpportunityThreshold = "backend.proposal.opportunity" {
        de: "Score {score} hat die Schwelle {threshold} für Verkaufschancen erreicht, Bedarf und Zeitrahmen bestätigt",
        en: "score {score} reached the opportunity threshold {threshold}, need and timeline confirmed"
    },

    // ---- the rules shipped, and what deals log
    RuleFirstCall = "backend.rule.first_call" { de: "Erstgespräch führen: {display_name}", en: "First call: {display_name}" },
    RuleReferral = "backend.rule.referral" { de: "Nach Empfehlung fragen: {display_name}", en: "Ask for a referral: {display_name}" },
    /// {number}
    QuoteCreated = "backend.quote.created" { de: "Angebot {number} erstellt", en: "Quote {number} created" },

    // ---- reminders and the integrity check, as notifications
    Due = "backend.notify.due" { de: "Fällig", en: "Due" },
    Starts = "backend.notify.starts" { de: "Beginn", en: "Starts" },
    /// {count}
    MissedReminders = "backend.notify.missed" { de: "{count} Folgeaufgaben überfällig", en: "{count} follow-ups overdue" },
    CheckFoundTitle = "backend.notify.check_title" {
        de: "Kontor hat Unstimmigkeiten im Datenspeicher gefunden",
        en: "Kontor found problems in its data store"
    },
    CheckFoundBody = "backend.notify.check_body" {
        de: "Einstellungen → Daten zeigt, was gefunden wurde, und kann es reparieren.",
        en: "Settings → Data shows what was found and can repair it."
    },

    // ---- the tray
    /// {overdue}, {today}
    TraySummary = "backend.tray.summary" { de: "Kontor: {overdue} überfällig, {today} heute fällig", en: "Kontor: {overdue} overdue, {today} due today" },
    TrayOpen = "backend.tray.open" { de: "Kontor öffnen", en: "Open Kontor" },
    TraySnoozeAll = "backend.tray.snooze_all" { de: "Alle 1 Std. später erinnern", en: "Snooze all 1 h" },
    TrayQuit = "backend.tray.quit" { de: "Beenden", en: "Quit" },
    TrayDone = "backend.tray.done" { de: "Erledigt", en: "Done" },
    NotifyDone = "backend.notify.done" { de: "Erledigt", en: "Done" },
    NotifySnooze = "backend.notify.snooze" { de: "1 Std. später", en: "Snooze 1 h" },
    UpdateAvailable = "backend.update.available" { de: "Kontor {version} ist da", en: "Kontor {version} is available" },
    UpdateAvailableBody = "backend.update.available_body" { de: "Installieren unter Einstellungen → Allgemein → Nach Updates suchen.", en: "Install it in Settings → General → Check for updates." },
    NotifyOpen = "backend.notify.open" { de: "Öffnen", en: "Open" },
    TrayLater = "backend.tray.later" { de: "1 Std. später", en: "1 h later" },
    TrayNone = "backend.tray.none" { de: "Keine offenen Aufgaben", en: "No open tasks" },

    // ---- native file dialogs and the names they propose
    DialogImport = "backend.dialog.import" { de: "Kontakte importieren", en: "Import contacts" },
    DialogExport = "backend.dialog.export" { de: "Kontakte exportieren", en: "Export contacts" },
    DialogBackup = "backend.dialog.backup" { de: "Sicherung speichern", en: "Save backup" },
    DialogRestore = "backend.dialog.restore" { de: "Sicherung wiederherstellen", en: "Restore backup" },
    DialogPersonData = "backend.dialog.person" { de: "Personendaten exportieren", en: "Export personal data" },
    DialogReport = "backend.dialog.report" { de: "Bericht exportieren", en: "Export report" },
    DialogQuote = "backend.dialog.quote" { de: "Angebot speichern", en: "Save quote" },
    DialogCalendarExport = "backend.dialog.calendar_export" { de: "Kalender exportieren", en: "Export calendar" },
    DialogCalendarImport = "backend.dialog.calendar_import" { de: "Kalender importieren", en: "Import calendar" },
    DialogCalendarFile = "backend.dialog.calendar_file" { de: "Kalenderdatei wählen", en: "Choose the calendar file" },
    DialogMileage = "backend.dialog.mileage" { de: "Fahrtenbuch exportieren", en: "Export the mileage log" },
    FileContacts = "backend.file.contacts" { de: "kontakte", en: "contacts" },
    FileBackup = "backend.file.backup" { de: "sicherung", en: "backup" },
    FilePersonData = "backend.file.person" { de: "daten", en: "data" },
    FileReport = "backend.file.report" { de: "bericht", en: "report" },

    // ---- report CSV headers
    KindCall = "backend.kind.call" { de: "Anruf", en: "Call" },
    KindMeeting = "backend.kind.meeting" { de: "Termin", en: "Meeting" },
    KindVisit = "backend.kind.visit" { de: "Besuch", en: "Visit" },
    KindEmail = "backend.kind.email" { de: "E-Mail", en: "Email" },
    KindNote = "backend.kind.note" { de: "Notiz", en: "Note" },
    KindNewsletterSignup = "backend.kind.newsletter_signup" { de: "Newsletter-Anmeldung", en: "Newsletter signup" },
    KindWhitepaperDownload = "backend.kind.whitepaper_download" { de: "Whitepaper-Download", en: "Whitepaper download" },
    KindWebinarAttended = "backend.kind.webinar_attended" { de: "Webinar besucht", en: "Webinar attended" },
    KindWebsiteVisit = "backend.kind.website_visit" { de: "Website-Besuch", en: "Website visit" },
    KindEmailOpened = "backend.kind.email_opened" { de: "E-Mail geöffnet", en: "Email opened" },
    KindEmailReplied = "backend.kind.email_replied" { de: "E-Mail beantwortet", en: "Email replied" },
    KindFormSubmitted = "backend.kind.form_submitted" { de: "Formular gesendet", en: "Form submitted" },
    CsvStage = "backend.csv.stage" { de: "Phase", en: "Stage" },
    CsvCount = "backend.csv.count" { de: "Anzahl", en: "Count" },
    CsvEntered = "backend.csv.entered" { de: "Neu im Zeitraum", en: "Entered" },
    CsvFrom = "backend.csv.from" { de: "Von", en: "From" },
    CsvTo = "backend.csv.to" { de: "Nach", en: "To" },
    CsvEnteredStep = "backend.csv.entered_step" { de: "Eingetreten", en: "Entered" },
    CsvConverted = "backend.csv.converted" { de: "Konvertiert", en: "Converted" },
    CsvRate = "backend.csv.rate" { de: "Quote (%)", en: "Rate (%)" },
    CsvAvgDays = "backend.csv.avg_days" { de: "Ø Tage", en: "Avg days" },
    CsvSamples = "backend.csv.samples" { de: "Anzahl", en: "Samples" },
    CsvCurrency = "backend.csv.currency" { de: "Währung", en: "Currency" },
    CsvTotal = "backend.csv.total" { de: "Summe", en: "Total" },
    CsvWeighted = "backend.csv.weighted" { de: "Gewichtet", en: "Weighted" },
    CsvWon = "backend.csv.won" { de: "Gewonnen", en: "Won" },
    CsvLost = "backend.csv.lost" { de: "Verloren", en: "Lost" },
    CsvWinRate = "backend.csv.win_rate" { de: "Gewinnquote (%)", en: "Win rate (%)" },
    CsvAvgWon = "backend.csv.avg_won" { de: "Ø Auftragswert", en: "Avg won size" },
    CsvWeekOf = "backend.csv.week_of" { de: "Woche ab", en: "Week of" },
    CsvSource = "backend.csv.source" { de: "Quelle", en: "Source" },
    CsvLeads = "backend.csv.leads" { de: "Leads", en: "Leads" },
    CsvCustomers = "backend.csv.customers" { de: "Kunden", en: "Customers" },
    CsvNone = "backend.csv.none" { de: "(ohne)", en: "(none)" },
    CsvDue = "backend.csv.due" { de: "Fällig", en: "Due" },
    CsvTask = "backend.csv.task" { de: "Aufgabe", en: "Task" },
    CsvPriority = "backend.csv.priority" { de: "Priorität", en: "Priority" },

    // ---- the quote document
    QuoteTitle = "backend.quote.title" { de: "Angebot", en: "Quote" },
    QuoteNumber = "backend.quote.number" { de: "Angebotsnummer", en: "Quote number" },
    QuoteDate = "backend.quote.date" { de: "Datum", en: "Date" },
    QuoteValidUntil = "backend.quote.valid_until" { de: "Gültig bis", en: "Valid until" },
    /// {date}
    QuoteValidity = "backend.quote.validity" { de: "Dieses Angebot ist gültig bis zum {date}.", en: "This quote is valid until {date}." },
    QuoteVatColumn = "backend.quote.vat_column" { de: "USt.", en: "VAT" },
    /// {rate}
    QuoteVatRate = "backend.quote.vat_rate" { de: "USt. {rate} %", en: "VAT {rate} %" },
    /// {rate}
    QuoteVatReverse = "backend.quote.vat_reverse" { de: "USt. {rate} % (Reverse Charge)", en: "VAT {rate} % (reverse charge)" },
    QuoteVatOn = "backend.quote.vat_on" { de: "auf", en: "on" },
    QuoteGross = "backend.quote.gross" { de: "Gesamtbetrag (brutto)", en: "Total (gross)" },
    QuoteReverseChargeNote = "backend.quote.reverse_charge_note" {
        de: "Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge-Verfahren nach § 13b UStG bzw. Art. 196 MwStSystRL). Die Umsatzsteuer schuldet der Leistungsempfänger.",
        en: "Reverse charge: the recipient of the supply is liable for the VAT (Art. 196 Council Directive 2006/112/EC)."
    },
    QuoteBank = "backend.quote.bank" { de: "Bankverbindung", en: "Bank details" },
    /// {page}, {pages}
    QuotePage = "backend.quote.page" { de: "Seite {page} von {pages}", en: "Page {page} of {pages}" },
    QuotePos = "backend.quote.pos" { de: "Pos.", en: "Pos." },
    QuoteProduct = "backend.quote.product" { de: "Bezeichnung", en: "Description" },
    QuoteQuantity = "backend.quote.quantity" { de: "Menge", en: "Quantity" },
    QuoteUnitPrice = "backend.quote.unit_price" { de: "Einzelpreis", en: "Unit price" },
    QuoteDiscount = "backend.quote.discount" { de: "Rabatt", en: "Discount" },
    QuoteTotal = "backend.quote.total" { de: "Gesamt", en: "Total" },
    QuoteNet = "backend.quote.net" { de: "Nettobetrag", en: "Net amount" },
    QuoteTo = "backend.quote.to" { de: "Für", en: "For" },
    QuoteVatId = "backend.quote.vat_id" { de: "USt-IdNr.", en: "VAT ID" },
    QuoteNoItems = "backend.quote.no_items" { de: "Pauschal", en: "Lump sum" },
}

impl Text {
    /// The text in `language` with each `{name}` replaced by its value.
    pub fn fill(self, language: Language, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = self.get(language).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn every_key_is_unique_and_every_text_has_both_languages() {
        let mut keys = HashSet::new();
        for text in Text::ALL {
            assert!(keys.insert(text.key()), "{} twice", text.key());
            assert!(!text.get(Language::De).is_empty() && !text.get(Language::En).is_empty());
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(holes(text.get(Language::De)), holes(text.get(Language::En)), "{}", text.key());
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let text = Text::TraySummary.fill(Language::De, &[("overdue", &3), ("today", &1)]);
        assert_eq!(text, "Kontor: 3 überfällig, 1 heute fällig");
    }

    /// Writes the table for the UI; the test command fails when the written
    /// file differs from the one in git.
    #[test]
    fn the_ui_gets_the_table() {
        let mut out = String::from(
            "// Generated from src-tauri/core/src/texts.rs by its test; do not edit.\n\
             // The texts the core and the shell show, for the UI's table.\n",
        );
        for (name, language) in [("BACKEND_EN", Language::En), ("BACKEND_DE", Language::De)] {
            let _ = writeln!(out, "export const {name} = {{");
            for text in Text::ALL {
                let _ = writeln!(out, "  {:?}: {:?},", text.key(), text.get(language));
            }
            out.push_str("} as const;\n");
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/generated/texts.ts");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(out.as_str()) {
            std::fs::write(&path, out).unwrap();
        }
    }
}

//! The two languages Kontor speaks, and which one a locale asks for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Language {
    /// Deutsch.
    De,
    /// English.
    En,
}

impl Language {
    /// The language for an OS locale (`de_DE.UTF-8`, `de-AT`, `en-US`, `C`):
    /// German for any German locale, English for every other. The app and
    /// the CLI both ask this, so they always agree.
    pub fn from_locale(locale: &str) -> Language {
        if locale.trim().to_lowercase().starts_with("de") {
            Language::De
        } else {
            Language::En
        }
    }

    /// How notifications write a day and a time of day (strftime): the
    /// day alone, and the day with the time.
    pub fn date_formats(self) -> (&'static str, &'static str) {
        match self {
            Language::De => ("%d.%m.%Y", "%d.%m.%Y %H:%M"),
            Language::En => ("%Y-%m-%d", "%Y-%m-%d %H:%M"),
        }
    }

    /// The short forms the tray menu uses.
    pub fn short_date_formats(self) -> (&'static str, &'static str) {
        match self {
            Language::De => ("%d.%m.", "%d.%m. %H:%M"),
            Language::En => ("%b %-d", "%b %-d, %H:%M"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_locales_give_german_and_every_other_english() {
        for de in ["de", "de_DE.UTF-8", "de-AT", "DE_ch", "de_DE@euro"] {
            assert_eq!(Language::from_locale(de), Language::De, "{de}");
        }
        for en in ["en_US.UTF-8", "en-GB", "C", "POSIX", "fr_FR.UTF-8", "", "nl-BE"] {
            assert_eq!(Language::from_locale(en), Language::En, "{en}");
        }
    }
}

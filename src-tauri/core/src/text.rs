//! Text normalisation shared by validation, sorting and search: folding for
//! accent- and case-insensitive matching, email and phone normalisation.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips diacritics: "Müller" → "muller", "Straße" → "strasse".
pub fn fold(s: &str) -> String {
    // Most text is ASCII: no decomposition needed.
    if s.is_ascii() {
        return s
            .bytes()
            .filter(|b| !b.is_ascii_control())
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) || c.is_control() {
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The German transliteration ("Müller" → "mueller"), or `None` when it equals [`fold`].
pub fn fold_german(s: &str) -> Option<String> {
    if !s.chars().any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü')) {
        return None;
    }
    let replaced: String = s
        .chars()
        .flat_map(|c| match c {
            'ä' | 'Ä' => "ae".chars().collect::<Vec<_>>(),
            'ö' | 'Ö' => "oe".chars().collect(),
            'ü' | 'Ü' => "ue".chars().collect(),
            c => vec![c],
        })
        .collect();
    Some(fold(&replaced))
}

/// Splits folded text into search words (letters and digits).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Only the digits of a phone number: "+49 (170) 123-45" → "4917012345".
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Validates and lower-cases an email address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().trim_start_matches("mailto:").to_lowercase();
    let (local, domain) = email.rsplit_once('@')?;
    let valid = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.')
        && domain.len() <= 253
        && domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain.split('.').all(|l| !l.is_empty())
        && email.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c));
    valid.then_some(email)
}

/// Validates a phone number and returns it in E.164 where it parses
/// (national numbers read in `default_region`). A number written with `+`
/// and a country code is stored in E.164 even where the numbering plan does
/// not know it; one written with the national prefix (`0…`) must be a valid
/// number of the region; a short local number without prefix stays as
/// written. `None`: not a phone number.
pub fn normalize_phone(raw: &str, default_region: phonenumber::country::Id) -> Option<String> {
    let text = raw.trim();
    let allowed = |c: char| c.is_ascii_digit() || " +()-/.".contains(c);
    let digits = digits(text);
    if digits.len() < 3 || !text.chars().all(allowed) || text[1..].contains('+') {
        return None;
    }
    match phonenumber::parse(Some(default_region), text) {
        Ok(number) if phonenumber::is_valid(&number) => {
            Some(number.format().mode(phonenumber::Mode::E164).to_string())
        }
        // E.164: at most 15 digits; the shortest numbers in use have 7.
        _ if text.starts_with('+') => (7..=15).contains(&digits.len()).then(|| format!("+{digits}")),
        _ if text.starts_with('0') => None,
        _ => Some(text.to_owned()),
    }
}

/// A stored phone number as a rep reads it: a number of `region` in its
/// national format ("030 1234567"), any other in the international one
/// ("+44 7700 900123"); what does not parse as written.
pub fn display_phone(stored: &str, region: phonenumber::country::Id) -> String {
    let Ok(number) = phonenumber::parse(Some(region), stored) else { return stored.to_owned() };
    if !phonenumber::is_valid(&number) {
        // A range the numbering plan does not know (the UK's 07700 900xxx
        // of TV dramas, a new mobile range): at least the country code
        // stands apart, "+44 7700900123".
        let code = number.code().value().to_string();
        return match stored.strip_prefix('+').and_then(|rest| rest.strip_prefix(code.as_str())) {
            Some(rest) if !rest.is_empty() => format!("+{code} {rest}"),
            _ => stored.to_owned(),
        };
    }
    let same = number.country().id() == Some(region);
    let mode = if same { phonenumber::Mode::National } else { phonenumber::Mode::International };
    number.format().mode(mode).to_string()
}

/// Text read from a file, fit to be echoed in a message or on a terminal:
/// control characters (escape sequences, bells) are shown escaped, and
/// what is longer than `max` characters is cut with "…".
pub fn echo(raw: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in raw.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_escape_control_characters_and_cut_long_text() {
        assert_eq!(echo("Foo\u{1b}[31mRED", 80), "Foo\\u{1b}[31mRED");
        assert_eq!(echo("Bar\u{7}", 80), "Bar\\u{7}");
        assert_eq!(echo("Straße", 3), "Str…");
        assert_eq!(echo("Straße", 6), "Straße");
    }
    use phonenumber::country::Id::DE;
    use rstest::rstest;

    #[rstest]
    #[case("Müller", "muller")]
    #[case("STRAẞE", "strasse")]
    #[case("José Ñandú", "jose nandu")]
    #[case("Łukasz", "lukasz")]
    fn folds(#[case] input: &str, #[case] want: &str) {
        assert_eq!(fold(input), want);
    }

    #[test]
    fn german_transliteration() {
        assert_eq!(fold_german("Jürgen Bäcker").as_deref(), Some("juergen baecker"));
        assert_eq!(fold_german("Schmidt"), None);
    }

    #[rstest]
    #[case("Anna.Schmidt@Example.DE", Some("anna.schmidt@example.de"))]
    #[case(" mailto:x@y.io ", Some("x@y.io"))]
    #[case("anna@localhost", None)]
    #[case("anna example.de", None)]
    #[case("@example.de", None)]
    #[case("a@b@c.de", None)]
    #[case("anna@exa mple.de", None)]
    #[case("anna@.de", None)]
    fn emails(#[case] input: &str, #[case] want: Option<&str>) {
        assert_eq!(normalize_email(input).as_deref(), want);
    }

    #[rstest]
    #[case("0170 1234567", Some("+491701234567"))]
    #[case("+49 (30) 123456-78", Some("+493012345678"))]
    #[case("+1 415 555 2671", Some("+14155552671"))]
    #[case("030/12345678", Some("+493012345678"))]
    #[case("12", None)]
    #[case("call me", None)]
    #[case("0170+123", None)]
    #[case("999", Some("999"))]
    #[case("+44 7700 900123", Some("+447700900123"))]
    #[case("+49 12", None)]
    #[case("0170 12", None)]
    fn phones(#[case] input: &str, #[case] want: Option<&str>) {
        assert_eq!(normalize_phone(input, DE).as_deref(), want);
    }

    #[rstest]
    #[case("+493012345678", "030 12345678")]
    #[case("+491701234567", "0170 1234567")]
    #[case("+14155552671", "+1 415-555-2671")]
    #[case("+447700900123", "+44 7700900123")]
    #[case("999", "999")]
    fn phones_read_national_at_home_international_abroad(#[case] stored: &str, #[case] shown: &str) {
        assert_eq!(display_phone(stored, DE), shown);
    }
}

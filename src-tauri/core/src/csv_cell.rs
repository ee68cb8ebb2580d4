//! The one writer of CSV cells: every CSV Kontor writes (contact export,
//! reports) quotes and defuses its cells here, and the importer takes the
//! defusing quote off again with [`undefuse`].
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and a leading tab or CR hides such a start), so such a cell is
//! written with a leading `'` (OWASP's advice for CSV injection) — unless
//! the whole cell is a number or a phone number, which no spreadsheet runs.

/// Characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value` as one CSV cell for a file separated by `sep`: defused when it
/// would start a formula, quoted when it holds the separator, a semicolon
/// (Excel in German locales splits even a comma-separated file there), a
/// quote or a line break.
pub fn cell(value: &str, sep: char) -> String {
    let defused = if needs_defusing(value) { format!("'{value}") } else { value.to_owned() };
    if defused.contains([sep, ';', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// A cell as Kontor's export wrote it, without the defusing `'`.
pub fn undefuse(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => value,
    }
}

fn needs_defusing(value: &str) -> bool {
    value.starts_with(TRIGGERS) && !is_number(value) && !is_phone(value)
}

/// "-12", "-1.5", "-1,5", "+3e2"? Only plain decimals: no exponent, no
/// operator after the sign.
fn is_number(value: &str) -> bool {
    let rest = value.strip_prefix(['-', '+']).unwrap_or(value);
    let mut digits = 0;
    let mut separators = 0;
    for c in rest.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' | ',' => separators += 1,
            _ => return false,
        }
    }
    digits > 0 && separators <= 3
}

/// "+49 170 1234567", "+1 (415) 555-0100": a leading `+`, then digits,
/// spaces and `()-./` only (no second operator), six digits or more.
fn is_phone(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('+') else { return false };
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && rest.chars().all(|c| c.is_ascii_digit() || " ()-./".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_read_back() {
        for formula in
            ["=SUM(A1)", "@SUM(1)", "-1+1", "-2+3+cmd|' /C calc'!A0", "+A1", "-x", "\t=1", "\r=1", "=1"]
        {
            let written = cell(formula, ';');
            assert!(written.starts_with('\'') || written.starts_with("\"'"), "{formula:?} → {written:?}");
            let unquoted = written.trim_matches('"').replace("\"\"", "\"");
            assert_eq!(undefuse(&unquoted), formula);
        }
    }

    #[test]
    fn numbers_and_phone_numbers_stay_as_they_are() {
        for plain in [
            "-12",
            "-1.5",
            "-1,5",
            "-12,5",
            "+491701234567",
            "+1 (415) 555-0100",
            "+49 170/123 45-6",
            "0170 123",
        ] {
            assert_eq!(cell(plain, ';'), plain);
        }
        assert_eq!(undefuse("'Müller"), "'Müller", "a quote before anything else is the value's own");
    }

    #[test]
    fn cells_are_quoted_when_they_hold_the_separator_a_quote_or_a_line_break() {
        assert_eq!(cell("a,b", ','), "\"a,b\"");
        assert_eq!(cell("12,5", ';'), "12,5");
        assert_eq!(cell("a;b", ','), "\"a;b\"");
        assert_eq!(cell("a;b", ';'), "\"a;b\"");
        assert_eq!(cell("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines", ','), "\"two\nlines\"");
    }
}

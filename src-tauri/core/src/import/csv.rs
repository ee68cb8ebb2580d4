//! CSV: delimiter sniffing (`,` `;` tab, Excel's `sep=` line), quoted
//! multi-line fields, a header row mapped to fields by preset.

use super::mapping::{detect_preset, map_header};
use super::{ColumnMapping, DraftBuilder, Field, ImportFormat, ImportOptions, Parsed, Preset, RowError};
use crate::error::{Error, ErrorCode, Result};

/// The delimiter used most outside quotes in the header line.
fn sniff(header_line: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in header_line.chars() {
        match c {
            '"' => quoted = !quoted,
            _ if !quoted => {
                if let Some(slot) = counts.iter_mut().find(|(d, _)| *d == c) {
                    slot.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts.iter().max_by_key(|(d, n)| (*n, *d == ',')).map_or(',', |(d, _)| *d)
}

/// A value that opens a quote and never closes it runs to the end of the
/// file; past this many lines it is taken for a stray quote.
const MAX_QUOTED_LINES: usize = 20;
/// Stray quotes read on past; after this many, the rest of the file is
/// read with quotes as plain characters (each stray quote reads the rest
/// of the file again).
const MAX_STRAY_QUOTES: usize = 100;

/// The records of a file, read on past a stray quote.
struct Rows {
    delimiter: char,
    headers: usize,
    records: Vec<std::result::Result<super::Draft, RowError>>,
    empty: u32,
}

impl Rows {
    /// Reads the rows of `text` (whose first line is `first_line`) with
    /// `reader`. After a stray quote it reads on from the next line (in a
    /// loop: a file of stray quotes must not run the stack out); past
    /// [`MAX_STRAY_QUOTES`] of them, quotes are read as plain characters.
    fn read(
        &mut self,
        reader: ::csv::Reader<&[u8]>,
        text: &str,
        first_line: u32,
        columns: &mut [ColumnMapping],
    ) {
        let (mut reader, mut text, mut first_line) = (reader, text, first_line);
        let mut strays = 0;
        while let Some((rest, line)) = self.read_until_stray_quote(reader, text, first_line, columns) {
            strays += 1;
            reader = ::csv::ReaderBuilder::new()
                .delimiter(u8::try_from(self.delimiter).unwrap_or(b','))
                .flexible(true)
                .has_headers(false)
                .quoting(strays < MAX_STRAY_QUOTES)
                .from_reader(rest.as_bytes());
            (text, first_line) = (rest, line);
        }
    }

    /// Reads rows until a quote opened in a row is never closed; then the
    /// text after that row and its first line number.
    fn read_until_stray_quote<'t>(
        &mut self,
        mut reader: ::csv::Reader<&[u8]>,
        text: &'t str,
        first_line: u32,
        columns: &mut [ColumnMapping],
    ) -> Option<(&'t str, u32)> {
        let mut row = ::csv::StringRecord::new();
        let mut lines = LineCounter { text, offset: 0, line: first_line };
        loop {
            let line = lines.at(reader.position().byte());
            match reader.read_record(&mut row) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    self.records.push(Err(RowError::new(
                        line,
                        ErrorCode::InvalidInput,
                        format!("unreadable row: {e}"),
                    )));
                    continue;
                }
            }
            let start = row.position().map_or(0, |p| p.byte() as usize);
            let line = row.position().map_or(line, |p| lines.at(p.byte()));
            // A quote opened in this row and never closed swallowed the rest of
            // the file: report the row and read on from its next line. (An odd
            // number of quotes tells it from a long value closed at the end.)
            let at_end = reader.is_done() || reader.position().byte() as usize >= text.len();
            let unclosed = || text.get(start..).is_some_and(|rest| rest.matches('"').count() % 2 == 1);
            if at_end && row.iter().any(|v| v.matches('\n').count() > MAX_QUOTED_LINES) && unclosed() {
                self.records.push(Err(RowError::new(
                    line,
                    ErrorCode::InvalidInput,
                    "a quote (\") opened in this row is never closed; the row is skipped and the rows after it are read",
                )));
                let rest_at = text[start.min(text.len())..].find('\n').map_or(text.len(), |i| start + i + 1);
                return Some((&text[rest_at..], line + 1));
            }
            if row.iter().skip(self.headers).any(|v| !v.trim().is_empty()) {
                let delimiter =
                    if self.delimiter == '\t' { "tab".to_owned() } else { self.delimiter.to_string() };
                self.records.push(Err(RowError::new(
                    line,
                    ErrorCode::InvalidInput,
                    format!(
                        "the row has {} values but the header has {} columns (a '{delimiter}' inside an unquoted value?)",
                        row.len(),
                        self.headers,
                    ),
                )));
                continue;
            }
            let mut builder = DraftBuilder::default();
            for (column, value) in columns.iter_mut().zip(row.iter()) {
                if column.sample.is_none() && !value.trim().is_empty() {
                    column.sample = Some(value.trim().chars().take(80).collect());
                }
                // Kontor's own export defuses formulas with a leading '.
                let value = crate::csv_cell::undefuse(value);
                builder.push(column.field, &column.header, column.group, value);
            }
            match builder.finish(line) {
                Some(record) => self.records.push(record),
                None => self.empty += 1,
            }
        }
    }
}

/// Line numbers from byte offsets, counted incrementally (the csv crate's
/// own line count is off by one after CRLF line ends).
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl LineCounter<'_> {
    fn at(&mut self, byte: u64) -> u32 {
        let bytes = self.text.as_bytes();
        let mut target = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record starts after the line end, not on it.
        while target < bytes.len() && matches!(bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target >= self.offset {
            self.line += bytes[self.offset..target].iter().filter(|&&b| b == b'\n').count() as u32;
            self.offset = target;
        }
        self.line
    }
}

/// Where the header row starts when lines above it name no field: (byte
/// offset, lines skipped). `None` keeps the first line.
fn header_offset(text: &str, forced: Option<char>) -> Option<(usize, u32)> {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').take(10).enumerate() {
        let delimiter = forced.unwrap_or_else(|| sniff(line));
        let known = line
            .trim_end()
            .split(delimiter)
            .map(|h| map_header(Preset::Generic, h.trim().trim_matches('"')).0)
            .filter(|f| *f != Field::Ignore)
            .count();
        if known >= 2 {
            return (n > 0).then_some((offset, n as u32));
        }
        offset += line.len();
    }
    None
}

pub(super) fn parse(text: &str, options: &ImportOptions) -> Result<Parsed> {
    // Excel may start with "sep=;" to name the delimiter.
    let (text, forced, skipped_lines) = match text.lines().next() {
        Some(first) if first.trim().to_ascii_lowercase().starts_with("sep=") && first.trim().len() == 5 => {
            let d = first.trim().chars().nth(4).unwrap_or(',');
            (text.split_once('\n').map_or("", |(_, rest)| rest), Some(d), 1)
        }
        _ => (text, None, 0),
    };
    // The header is the first line that names contact fields; a title row
    // above it ("Messe 2026 – Kontakte") and blank lines are passed over.
    let (text, skipped_lines) = match header_offset(text, forced) {
        Some((offset, lines)) => (&text[offset..], skipped_lines + lines),
        None => (text, skipped_lines),
    };
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if header_line.trim().is_empty() {
        return Err(Error::Import("the CSV file has no header row".into()));
    }
    let delimiter = forced.unwrap_or_else(|| sniff(header_line));
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(u8::try_from(delimiter).unwrap_or(b','))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Import(format!("the header row cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::Import("the CSV file has no header row".into()));
    }
    let preset = match options.preset {
        Preset::Auto => detect_preset(&headers),
        chosen => chosen,
    };
    let mut columns: Vec<ColumnMapping> = headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let (field, group) = map_header(preset, header);
            ColumnMapping { index: index as u32, header: header.clone(), field, group, sample: None }
        })
        .collect();
    if let Some(fields) = &options.mapping {
        for (column, field) in columns.iter_mut().zip(fields) {
            column.field = *field;
        }
    }
    if !columns.iter().any(|c| c.field != Field::Ignore) {
        // The header comes from the file: escaped, and a few columns at most.
        let mut shown: Vec<String> = headers.iter().take(8).map(|h| crate::text::echo(h, 40)).collect();
        if headers.len() > shown.len() {
            shown.push(format!("and {} more", headers.len() - shown.len()));
        }
        return Err(Error::Import(format!(
            "none of the columns ({}) is a known contact field; map them in the preview",
            shown.join(", ")
        )));
    }

    let mut rows = Rows { delimiter, headers: headers.len(), records: Vec::new(), empty: 0 };
    rows.read(reader, text, 1 + skipped_lines, &mut columns);
    let Rows { records, empty, .. } = rows;
    Ok(Parsed {
        format: ImportFormat::Csv,
        preset: Some(preset),
        encoding: String::new(),
        delimiter: Some(delimiter),
        columns,
        records,
        empty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_note_closed_in_the_last_row_is_one_value_not_a_stray_quote() {
        let mut text = String::from("Vorname,Nachname,Notizen\nAnna,Berg,kurz\nBen,Kurz,\"Zeile 1\n");
        for i in 2..=25 {
            text.push_str(&format!("Zeile {i}\n"));
        }
        text.push_str("Ende\"\n");
        let parsed = parse(&text, &ImportOptions::default()).unwrap();
        assert_eq!(parsed.records.len(), 2, "{:?}", parsed.records);
        let ben = parsed.records[1].as_ref().unwrap().input();
        assert_eq!(ben.first_name, "Ben");
        assert!(ben
            .notes
            .as_deref()
            .is_some_and(|n| n.starts_with("Zeile 1\nZeile 2") && n.ends_with("Ende")));
    }

    #[test]
    fn sniffs_the_delimiter_outside_quotes() {
        assert_eq!(sniff("Vorname;Nachname;Firma"), ';');
        assert_eq!(sniff("a\tb\tc"), '\t');
        assert_eq!(sniff("\"a;b;c\",d,e"), ',');
        assert_eq!(sniff("single"), ',');
    }

    #[test]
    fn multi_line_fields_keep_the_line_of_their_record() {
        let text = "Vorname;Nachname;Notizen\r\nAnna;Schmidt;\"erste\r\nzweite\"\r\nBen;Meier;\r\n";
        let parsed = parse(text, &ImportOptions::default()).unwrap();
        assert_eq!(parsed.delimiter, Some(';'));
        let lines: Vec<u32> = parsed.records.iter().map(|r| r.as_ref().unwrap().line).collect();
        assert_eq!(lines, [2, 4]);
        assert_eq!(parsed.records[0].as_ref().unwrap().input().notes.as_deref(), Some("erste\r\nzweite"));
    }

    #[test]
    fn bare_cr_line_ends_count_as_lines() {
        let text = "Vorname;E-Mail\nAnna;a@x.de\n\nBen;kaputt\n";
        let parsed = parse(text, &ImportOptions::default()).unwrap();
        assert_eq!(parsed.records[1].as_ref().unwrap().line, 4);
        let parsed = super::super::parse(
            b"Vorname;E-Mail\rAnna;a@x.de\r\rBen;kaputt\r",
            "mac.csv",
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(parsed.records[1].as_ref().unwrap().line, 4);
    }

    #[test]
    fn a_quote_never_closed_costs_its_row_only() {
        let mut text =
            String::from("Name;E-Mail;Notiz\nAnna Alt;anna@x.de;ok\nBen Bruch;ben@x.de;\"24 Zoll Monitor\n");
        for i in 0..30 {
            text.push_str(&format!("Person {i};p{i}@x.de;\n"));
        }
        let parsed = parse(&text, &ImportOptions::default()).unwrap();
        let errors: Vec<u32> =
            parsed.records.iter().filter_map(|r| r.as_ref().err()).map(|e| e.line).collect();
        assert_eq!(errors, [3]);
        let lines: Vec<u32> = parsed.records.iter().filter_map(|r| r.as_ref().ok()).map(|d| d.line).collect();
        assert_eq!(lines.len(), 31);
        assert_eq!(lines[1], 4, "the row after the stray quote keeps its line");
        assert_eq!(lines[30], 33);
    }

    #[test]
    fn a_title_row_above_the_header_is_passed_over() {
        let text = "Messe Hannover 2026 - Besucherliste;;\n;;\nVorname;Nachname;E-Mail\nAnna;Alt;anna@x.de\n";
        let parsed = parse(text, &ImportOptions::default()).unwrap();
        assert_eq!(parsed.columns.len(), 3);
        let anna = parsed.records[0].as_ref().unwrap();
        assert_eq!((anna.line, anna.input().first_name.as_str()), (4, "Anna"));
    }

    #[test]
    fn excel_sep_line_and_rows_with_too_many_values() {
        let text = "sep=,\nName,E-Mail\nAnna Schmidt,anna@example.de\nBen, Meier,ben@example.de\n\n";
        let parsed = parse(text, &ImportOptions::default()).unwrap();
        assert!(parsed.records[0].is_ok());
        let err = parsed.records[1].as_ref().unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("3 values"), "{}", err.reason);
    }

    #[test]
    fn a_user_mapping_overrides_the_preset() {
        let options =
            ImportOptions { mapping: Some(vec![Field::Organization, Field::Ignore]), ..Default::default() };
        let parsed = parse("Kunde,Foo\nACME,x\n", &options).unwrap();
        assert_eq!(parsed.records[0].as_ref().unwrap().input().organization.as_deref(), Some("ACME"));
    }
}

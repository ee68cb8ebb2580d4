//! A small PDF writer for Kontor's documents: A4 pages with text and lines
//! in the standard Helvetica fonts, which every PDF viewer has (nothing is
//! embedded, so a quote is a few kilobytes).
//!
//! Text is written in WinAnsiEncoding (Windows-1252: Latin letters with
//! umlauts and accents, €, „quotes“, dashes). A character outside it is
//! written as `?`, so nothing breaks the file. Widths come from Adobe's
//! Helvetica metrics, so right-aligned amounts line up.
//!
//! Invariants: the output is deterministic (same pages, same bytes); the
//! cross-reference table points at every object's first byte.

use std::fmt::Write as _;

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;

/// One of the two fonts a page can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        }
    }
}

/// The Windows-1252 byte of `c`; `None` outside the encoding.
fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7e | 0xa0..=0xff => Some(code as u8),
        // Spaces a formatter may use (narrow and thin no-break spaces).
        0x2007 | 0x2009 | 0x202f => Some(b' '),
        _ => {
            let special = match c {
                '€' => 0x80,
                '‚' => 0x82,
                'ƒ' => 0x83,
                '„' => 0x84,
                '…' => 0x85,
                '†' => 0x86,
                '‡' => 0x87,
                'ˆ' => 0x88,
                '‰' => 0x89,
                'Š' => 0x8a,
                '‹' => 0x8b,
                'Œ' => 0x8c,
                'Ž' => 0x8e,
                '‘' => 0x91,
                '’' => 0x92,
                '“' => 0x93,
                '”' => 0x94,
                '•' => 0x95,
                '–' => 0x96,
                '—' => 0x97,
                '˜' => 0x98,
                '™' => 0x99,
                'š' => 0x9a,
                '›' => 0x9b,
                'œ' => 0x9c,
                'ž' => 0x9e,
                'Ÿ' => 0x9f,
                '\u{2010}' | '\u{2011}' => b'-',
                _ => return None,
            };
            Some(special)
        }
    }
}

/// `text` as WinAnsi bytes (`?` for what the encoding lacks, a space for
/// control characters).
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(|c| if c.is_control() { b' ' } else { win_ansi(c).unwrap_or(b'?') }).collect()
}

/// The width of `text` in points at `size`.
pub fn width(text: &str, font: Font, size: f32) -> f32 {
    let widths = font.widths();
    let units: u32 = encode(text).iter().map(|&b| u32::from(widths[usize::from(b.max(32)) - 32])).sum();
    units as f32 * size / 1000.0
}

/// `text` broken into lines no wider than `max` (at word boundaries; a word
/// longer than a line is split). Line breaks in `text` are kept.
pub fn wrap(text: &str, font: Font, size: f32, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if width(&candidate, font, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            // The word alone: split it where it overflows.
            for c in word.chars() {
                line.push(c);
                if width(&line, font, size) > max && line.chars().count() > 1 {
                    line.pop();
                    out.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// A PDF literal string: `(` … `)` with `\`, parentheses and bytes above
/// 126 escaped (so the content stream stays ASCII).
fn literal(text: &str) -> String {
    let mut s = String::from("(");
    for b in encode(text) {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(char::from(b));
            }
            32..=126 => s.push(char::from(b)),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s.push(')');
    s
}

/// One page's drawing operations; coordinates in points from the bottom left.
#[derive(Debug, Default, Clone)]
pub struct Page {
    content: String,
}

impl Page {
    /// Text starting at (`x`, `y`) (its baseline), in grey level `gray` (0 black).
    pub fn text(&mut self, x: f32, y: f32, font: Font, size: f32, gray: f32, text: &str) {
        let _ = writeln!(
            self.content,
            "BT {gray:.2} g /{} {size:.2} Tf {x:.2} {y:.2} Td {} Tj ET",
            font.resource(),
            literal(text)
        );
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, gray: f32, text: &str) {
        self.text(right - width(text, font, size), y, font, size, gray, text);
    }

    /// A straight line `thickness` points wide.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, gray: f32) {
        let _ = writeln!(
            self.content,
            "{thickness:.2} w {gray:.2} G {:.2} {:.2} m {:.2} {:.2} l S",
            from.0, from.1, to.0, to.1
        );
    }
}

/// A document: its title (shown by viewers) and pages.
#[derive(Debug, Default, Clone)]
pub struct Document {
    /// Title in the document's information.
    pub title: String,
    /// Pages, in order.
    pub pages: Vec<Page>,
}

impl Document {
    /// The PDF file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets: Vec<usize> = Vec::new();
        let mut object = |out: &mut Vec<u8>, body: &[u8]| {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        // Objects: 1 catalog, 2 page tree, 3–4 fonts, 5 info, then a page and
        // its content per page.
        let kids: Vec<String> = (0..self.pages.len()).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
        object(
            &mut out,
            format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), self.pages.len()).as_bytes(),
        );
        for name in ["Helvetica", "Helvetica-Bold"] {
            object(
                &mut out,
                format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
                    .as_bytes(),
            );
        }
        // The title as UTF-16 (any script), the producer as plain text.
        let title: String = std::iter::once(0xfeff_u16)
            .chain(self.title.encode_utf16())
            .map(|u| format!("{u:04X}"))
            .collect();
        object(&mut out, format!("<< /Title <{title}> /Producer (Kontor) >>").as_bytes());
        for (i, page) in self.pages.iter().enumerate() {
            object(
                &mut out,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                     /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                    7 + 2 * i
                )
                .as_bytes(),
            );
            let mut stream = format!("<< /Length {} >>\nstream\n", page.content.len()).into_bytes();
            stream.extend_from_slice(page.content.as_bytes());
            stream.extend_from_slice(b"\nendstream");
            object(&mut out, &stream);
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
        for offset in &offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

/// Helvetica's advance widths (1/1000 em) for WinAnsi bytes 32–255.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 278,
    556, 278, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 278, 611, 278,
    278, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 278, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold's advance widths (1/1000 em) for WinAnsi bytes 32–255.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 278,
    556, 278, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 278, 611, 278,
    278, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 278, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_text_is_encoded_and_measured() {
        assert_eq!(encode("Grüße € „x“ – ł\n"), b"Gr\xfc\xdfe \x80 \x84x\x93 \x96 ? ".to_vec());
        // "Ä" is as wide as "A"; ten digits are 5.56 em at 1 pt.
        assert_eq!(width("Ä", Font::Regular, 10.0), width("A", Font::Regular, 10.0));
        assert!((width("0123456789", Font::Regular, 1.0) - 5.56).abs() < 1e-4);
        assert!(width("W", Font::Bold, 10.0) > width("i", Font::Bold, 10.0));
    }

    #[test]
    fn lines_wrap_at_words_and_split_long_ones() {
        let lines = wrap("Wartung der Anlage inklusive Anfahrt", Font::Regular, 10.0, 80.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| width(l, Font::Regular, 10.0) <= 80.0), "{lines:?}");
        assert_eq!(lines.join(" "), "Wartung der Anlage inklusive Anfahrt");
        let long = wrap(&"x".repeat(200), Font::Regular, 10.0, 50.0);
        assert!(long.len() > 3 && long.concat() == "x".repeat(200));
        assert_eq!(wrap("a\nb", Font::Regular, 10.0, 100.0), ["a", "b"]);
    }

    #[test]
    fn strings_escape_parentheses_and_high_bytes() {
        assert_eq!(literal("a(b)\\ü"), "(a\\(b\\)\\\\\\374)");
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut page = Page::default();
        page.text(50.0, 800.0, Font::Bold, 12.0, 0.0, "Angebot (Entwurf)");
        page.line((50.0, 790.0), (500.0, 790.0), 1.0, 0.0);
        let doc = Document { title: "Angebot A-1".into(), pages: vec![page.clone(), page] };
        let bytes = doc.to_bytes();
        // Past the binary marker of the second line, the file is ASCII.
        let body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".len();
        let text = std::str::from_utf8(&bytes[body..]).unwrap();
        let start: usize =
            text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        let xref = std::str::from_utf8(&bytes[start..]).unwrap();
        assert!(xref.starts_with("xref\n0 10\n"));
        let entries: Vec<usize> = xref.lines().skip(3).take(9).map(|l| l[..10].parse().unwrap()).collect();
        for (i, offset) in entries.iter().enumerate() {
            assert!(
                bytes[*offset..].starts_with(format!("{} 0 obj\n", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        assert!(text.contains("/Count 2") && text.ends_with("%%EOF\n"));
        assert_eq!(doc.to_bytes(), bytes, "deterministic");
    }
}

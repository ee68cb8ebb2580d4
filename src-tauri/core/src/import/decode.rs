//! Bytes to text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
//! "Unicode text"), and Windows-1252 as German Excel writes CSV.

/// Windows-1252 code points for the bytes 0x80–0x9F (the rest is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}',
    '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Decodes a file's bytes; returns the text and the name of the encoding found.
pub(crate) fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (utf16(rest, u16::from_le_bytes), "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (utf16(rest, u16::from_be_bytes), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        // Mostly UTF-8 with a stray byte or two (a file edited in two
        // programs): read as UTF-8, the stray bytes become U+FFFD, instead of
        // turning every umlaut of the file into "Ã¼".
        Err(_) if mostly_utf8(bytes) => {
            (String::from_utf8_lossy(bytes).into_owned(), "UTF-8 (with invalid bytes)")
        }
        Err(_) => (windows_1252(bytes), "Windows-1252"),
    }
}

/// More valid multi-byte UTF-8 characters than invalid bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let invalid = text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
    let multibyte = text.chars().filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER).count();
    multibyte > invalid
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_encoding_excel_and_others_write() {
        assert_eq!(decode(b"\xEF\xBB\xBFStra\xC3\x9Fe"), ("Straße".into(), "UTF-8 (BOM)"));
        assert_eq!(decode("Müller".as_bytes()), ("Müller".into(), "UTF-8"));
        assert_eq!(decode(b"M\xFCller \x80 \x84x\x93"), ("Müller € „x“".into(), "Windows-1252"));
        assert_eq!(decode(b"\xFF\xFEM\x00\xFC\x00"), ("Mü".into(), "UTF-16LE"));
        assert_eq!(decode(b"\xFE\xFF\x00M\x00\xFC"), ("Mü".into(), "UTF-16BE"));
        let mixed = "Müller;Straße;Köln;Größe ".bytes().chain([0xE4]).collect::<Vec<u8>>();
        assert_eq!(
            decode(&mixed),
            ("Müller;Straße;Köln;Größe \u{FFFD}".into(), "UTF-8 (with invalid bytes)")
        );
    }
}

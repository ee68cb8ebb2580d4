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
        Err(_) => (windows_1252(bytes), "Windows-1252"),
    }
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
    }
}

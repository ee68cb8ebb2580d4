//! Where a hit matched: the stretches of a title or field text that a
//! query word found, typos included (the whole word is marked then), so the
//! UI can show why a record was found.

use super::query::{Class, Query};
use super::Mark;
use crate::text::{digits, fold};

/// The folded form of one character, plain or German ("ü" → "ue").
fn fold_char(c: char, german: bool) -> String {
    match c {
        'ä' | 'Ä' if german => "ae".into(),
        'ö' | 'Ö' if german => "oe".into(),
        'ü' | 'Ü' if german => "ue".into(),
        _ => fold(c.encode_utf8(&mut [0; 4])),
    }
}

/// The words of `text` with their character ranges.
fn words_of(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, chars[s..i].iter().collect()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len(), chars[s..].iter().collect()));
    }
    out
}

/// How many characters of `word` spell the first `len` bytes of its folding.
fn chars_for(word: &str, len: usize, german: bool) -> usize {
    let mut folded = 0;
    for (i, c) in word.chars().enumerate() {
        if folded >= len {
            return i;
        }
        folded += fold_char(c, german).len();
    }
    word.chars().count()
}

/// The stretches of `text` that `query` matches: a word matched exactly or
/// with typos is marked whole, a prefix match its prefix; phone digits
/// where the number holds them.
pub(crate) fn marks(text: &str, query: &Query) -> Vec<Mark> {
    let mut out: Vec<Mark> = Vec::new();
    for (start, end, word) in words_of(text) {
        let plain = fold(&word);
        let german: String = word.chars().map(|c| fold_char(c, true)).collect();
        let mut best: Option<usize> = None;
        for w in &query.words {
            for (spelling, is_german) in [(&plain, false), (&german, true)] {
                let Some(class) = w.classify(spelling) else { continue };
                let len = match class {
                    Class::Prefix => {
                        let typed =
                            w.spellings.iter().filter(|s| spelling.starts_with(s.as_str())).map(String::len);
                        chars_for(&word, typed.max().unwrap_or(spelling.len()), is_german)
                    }
                    _ => end - start,
                };
                best = Some(best.map_or(len, |b| b.max(len)));
            }
        }
        if let Some(len) = best {
            out.push(Mark { start: start as u32, end: (start + len.max(1)) as u32 });
        }
    }
    let needles: Vec<String> =
        query.words.iter().filter_map(|w| w.phone.clone()).chain(query.phone.clone()).collect();
    for needle in needles {
        out.extend(phone_marks(text, &needle));
    }
    // Overlapping stretches (a digit word and the whole number) become one.
    out.sort_by_key(|m| (m.start, m.end));
    let mut merged: Vec<Mark> = Vec::with_capacity(out.len());
    for m in out {
        match merged.last_mut() {
            Some(last) if m.start <= last.end => last.end = last.end.max(m.end),
            _ => merged.push(m),
        }
    }
    merged
}

/// The characters of a phone number `text` whose digits hold `needle`.
fn phone_marks(text: &str, needle: &str) -> Option<Mark> {
    let positions: Vec<usize> =
        text.chars().enumerate().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
    let found = digits(text).find(needle)?;
    let first = *positions.get(found)?;
    let last = *positions.get(found + needle.len() - 1)?;
    Some(Mark { start: first as u32, end: last as u32 + 1 })
}

/// A stretch of long text around its first mark, about `width` characters,
/// with the marks moved to it.
pub(crate) fn snippet(text: &str, marks: &[Mark], width: usize) -> (String, Vec<Mark>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return (text.to_owned(), marks.to_vec());
    }
    let first = marks.first().map_or(0, |m| m.start as usize);
    let mut from = first.saturating_sub(width / 3);
    // Start at a word when one begins nearby.
    while from > 0 && from < first && !chars[from - 1].is_whitespace() {
        from += 1;
    }
    let to = (from + width).min(chars.len());
    let mut out = String::new();
    let shift = if from > 0 {
        out.push('…');
        1
    } else {
        0
    };
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    let moved = marks
        .iter()
        .filter(|m| m.start as usize >= from && (m.end as usize) <= to)
        .map(|m| Mark { start: m.start - from as u32 + shift, end: m.end - from as u32 + shift })
        .collect();
    (out, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        marks(text, &Query::parse(query).unwrap())
            .iter()
            .map(|m| chars[m.start as usize..m.end as usize].iter().collect())
            .collect()
    }

    #[test]
    fn prefixes_mark_what_was_typed_and_typos_the_whole_word() {
        assert_eq!(marked("Anna Schmidt", "schm"), ["Schm"]);
        assert_eq!(marked("Anna Schmidt", "schmitd"), ["Schmidt"]);
        assert_eq!(marked("Jürgen Müller", "mue"), ["Mü"]);
        assert_eq!(marked("Jürgen Müller", "mu jür"), ["Jür", "Mü"]);
        assert_eq!(marked("Bäckerei Rauch GmbH", "baeckerei"), ["Bäckerei"]);
        assert!(marked("Anna Schmidt", "weber").is_empty());
    }

    #[test]
    fn phone_numbers_mark_the_digits_found() {
        assert_eq!(marked("+49 170 1234567", "0170 123"), ["170 123"]);
        assert_eq!(marked("+491701234567", "4567"), ["4567"]);
    }

    #[test]
    fn a_snippet_keeps_the_marks_in_view() {
        let text = format!("{} Würzburg {}", "x ".repeat(100), "y ".repeat(100));
        let m = marks(&text, &Query::parse("würzburg").unwrap());
        let (s, moved) = snippet(&text, &m, 60);
        let chars: Vec<char> = s.chars().collect();
        let shown: String = chars[moved[0].start as usize..moved[0].end as usize].iter().collect();
        assert_eq!(shown, "Würzburg");
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}

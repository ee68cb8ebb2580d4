//! A search query: its words in every folded spelling, how many typos each
//! may have, and the automata that find the terms a word matches.
//!
//! Typo tolerance as Meilisearch has it: a word of 1–4 characters matches
//! as a prefix only, 5–8 characters allow one typo, 9 and more two; a typo
//! in the first letter counts double. Words with digits (postcodes,
//! customer numbers, "schroeder12") allow none: one digit off is another
//! number (Meilisearch's `disableOnNumbers`). Every word also matches as the
//! prefix of a longer one (the query is typed as it is searched).

use std::sync::{Arc, OnceLock};

use fst::Automaton;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use super::terms::{collapse_digraphs, PHONE_TERM};
use crate::text::{digits, fold, fold_german, words};

/// How a term matched a query word, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Class {
    /// The term is the word.
    Exact = 0,
    /// The term starts with the word.
    Prefix = 1,
    /// One typo (as a prefix).
    OneTypo = 2,
    /// Two typos, or one in the first letter.
    TwoTypos = 3,
}

impl Class {
    pub(crate) fn from_code(code: u8) -> Class {
        match code {
            0 => Class::Exact,
            1 => Class::Prefix,
            2 => Class::OneTypo,
            _ => Class::TwoTypos,
        }
    }
}

/// One word of a query.
#[derive(Clone)]
pub(crate) struct QueryWord {
    /// Folded spellings (plain first; German transliteration; ae/oe/ue collapsed).
    pub(crate) spellings: Vec<String>,
    /// Typos allowed.
    pub(crate) budget: u8,
    /// The digits to find in phone numbers, when the word is three or more digits.
    pub(crate) phone: Option<String>,
    /// Per spelling, its typo automata (built once per query: building one
    /// costs far more than running it).
    pub(crate) typos: Vec<Option<Arc<TypoAutomata>>>,
}

impl std::fmt::Debug for QueryWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryWord").field("spellings", &self.spellings).field("budget", &self.budget).finish()
    }
}

/// A parsed query.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    /// Every word must match (in some field).
    pub(crate) words: Vec<QueryWord>,
    /// The digits of a phone-like query of several parts ("0170 123 45"),
    /// found in phone numbers as a whole.
    pub(crate) phone: Option<String>,
}

/// Typos a word of `chars` characters may have.
pub(crate) fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The digits a phone search looks for: a national trunk prefix is dropped
/// ("0170 …" also finds "+49 170 …"), as long as three digits remain.
pub(crate) fn phone_needle(query_digits: &str) -> String {
    let national = query_digits.trim_start_matches('0');
    if national.len() >= 3 { national } else { query_digits }.to_owned()
}

impl Query {
    /// Parses search text; `None` when it holds no word.
    pub(crate) fn parse(text: &str) -> Option<Query> {
        let plain = fold(text);
        let german = fold_german(text);
        let plain_words: Vec<&str> = words(&plain).collect();
        if plain_words.is_empty() {
            return None;
        }
        let german_words: Vec<&str> = german.as_deref().map(|g| words(g).collect()).unwrap_or_default();
        let words = plain_words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut spellings = vec![(*w).to_owned()];
                // The German spelling of the same word, when it has one.
                if german_words.len() == plain_words.len() && german_words[i] != *w {
                    spellings.push(german_words[i].to_owned());
                }
                if let Some(collapsed) = collapse_digraphs(w) {
                    spellings.push(collapsed);
                }
                let chars = w.chars().count();
                let phone = (chars >= 3 && w.bytes().all(|b| b.is_ascii_digit())).then(|| phone_needle(w));
                let budget = if w.chars().any(|c| c.is_ascii_digit()) { 0 } else { typo_budget(chars) };
                let typos = spellings.iter().map(|s| TypoAutomata::new(s, budget).map(Arc::new)).collect();
                QueryWord { spellings, budget, phone, typos }
            })
            .collect();
        let phone_like = text.chars().all(|c| c.is_ascii_digit() || " +()-/.".contains(c));
        let all_digits = digits(text);
        let phone =
            (phone_like && plain_words.len() > 1 && all_digits.len() >= 3).then(|| phone_needle(&all_digits));
        Some(Query { words, phone })
    }

    /// A query of one word of one or two characters: it reads a prefix list
    /// and stops after the first page instead of ranking every match.
    pub(crate) fn is_short(&self) -> bool {
        self.phone.is_none()
            && self.words.len() == 1
            && self.words[0].phone.is_none()
            && self.words[0].spellings[0].chars().count() <= 2
    }
}

fn builders() -> &'static [LevenshteinAutomatonBuilder; 2] {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    BUILDERS.get_or_init(|| {
        [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)]
    })
}

/// A Levenshtein prefix automaton for `rest` behind a fixed first character:
/// a typo may not touch the first letter.
pub(crate) struct FirstThen {
    first: Vec<u8>,
    dfa: DFA,
}

/// State of [`FirstThen`].
#[derive(Clone, Copy)]
pub(crate) enum FirstState {
    /// `n` bytes of the first character read.
    Head(u8),
    /// Inside the typo automaton.
    Tail(u32),
    /// No match possible.
    Dead,
}

impl Automaton for FirstThen {
    type State = FirstState;

    fn start(&self) -> FirstState {
        FirstState::Head(0)
    }

    fn is_match(&self, state: &FirstState) -> bool {
        matches!(state, FirstState::Tail(s) if matches!(self.dfa.distance(*s), Distance::Exact(_)))
    }

    fn can_match(&self, state: &FirstState) -> bool {
        match state {
            FirstState::Head(_) => true,
            FirstState::Tail(s) => *s != SINK_STATE,
            FirstState::Dead => false,
        }
    }

    fn accept(&self, state: &FirstState, byte: u8) -> FirstState {
        match *state {
            FirstState::Head(n) if self.first.get(n as usize) == Some(&byte) => {
                if n as usize + 1 == self.first.len() {
                    FirstState::Tail(self.dfa.initial_state())
                } else {
                    FirstState::Head(n + 1)
                }
            }
            FirstState::Tail(s) => FirstState::Tail(self.dfa.transition(s, byte)),
            _ => FirstState::Dead,
        }
    }
}

impl FirstThen {
    /// The typos of a matching state.
    pub(crate) fn typos(&self, state: &FirstState) -> Option<u8> {
        match state {
            FirstState::Tail(s) => match self.dfa.distance(*s) {
                Distance::Exact(d) => Some(d),
                Distance::AtLeast(_) => None,
            },
            _ => None,
        }
    }
}

/// The typo automata of one spelling with a budget of one or two: the
/// first letter kept with up to `budget` typos behind it, and for a budget
/// of two also one typo anywhere (one in the first letter counts double).
pub(crate) struct TypoAutomata {
    pub(crate) kept_first: FirstThen,
    pub(crate) anywhere: Option<DFA>,
}

impl TypoAutomata {
    pub(crate) fn new(spelling: &str, budget: u8) -> Option<TypoAutomata> {
        if budget == 0 {
            return None;
        }
        let mut chars = spelling.chars();
        let first = chars.next()?;
        let rest = chars.as_str();
        let [one, two] = builders();
        let tail = if budget >= 2 { two } else { one };
        let mut buf = [0u8; 4];
        Some(TypoAutomata {
            kept_first: FirstThen {
                first: first.encode_utf8(&mut buf).as_bytes().to_vec(),
                dfa: tail.build_prefix_dfa(rest),
            },
            anywhere: (budget >= 2).then(|| one.build_prefix_dfa(spelling)),
        })
    }

    /// The class of `term` under these automata, if it matches with a typo.
    pub(crate) fn classify(&self, term: &[u8]) -> Option<Class> {
        let mut best: Option<Class> = None;
        let mut state = self.kept_first.start();
        for &b in term {
            state = self.kept_first.accept(&state, b);
            if !self.kept_first.can_match(&state) {
                break;
            }
        }
        if let Some(d) = self.kept_first.typos(&state).filter(|d| *d > 0) {
            best = Some(if d == 1 { Class::OneTypo } else { Class::TwoTypos });
        }
        if let (None, Some(dfa)) = (best, &self.anywhere) {
            if let Distance::Exact(d) = dfa.eval(term) {
                if d > 0 {
                    best = Some(Class::TwoTypos);
                }
            }
        }
        best
    }
}

impl QueryWord {
    /// How `term` (a folded word of a record) matches this word, if at all.
    /// Phone terms never match a word.
    pub(crate) fn classify(&self, term: &str) -> Option<Class> {
        if term.starts_with(PHONE_TERM) {
            return None;
        }
        let mut best: Option<Class> = None;
        for (s, typo) in self.spellings.iter().zip(&self.typos) {
            let class = if term == s {
                Some(Class::Exact)
            } else if term.starts_with(s.as_str()) {
                Some(Class::Prefix)
            } else {
                typo.as_ref().and_then(|a| a.classify(term.as_bytes()))
            };
            best = match (best, class) {
                (Some(b), Some(c)) => Some(b.min(c)),
                (b, c) => b.or(c),
            };
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(query: &str, term: &str) -> Option<Class> {
        Query::parse(query).unwrap().words[0].classify(term)
    }

    #[test]
    fn short_words_match_as_prefixes_only() {
        assert_eq!(class("schm", "schmidt"), Some(Class::Prefix));
        assert_eq!(class("schm", "schm"), Some(Class::Exact));
        assert_eq!(class("scmh", "schmidt"), None);
        assert_eq!(class("mül", "mueller"), Some(Class::Prefix));
    }

    #[test]
    fn five_to_eight_letters_allow_one_typo_not_in_the_first_letter() {
        assert_eq!(class("schmitd", "schmidt"), Some(Class::OneTypo), "a swap is one typo");
        assert_eq!(class("shmidt", "schmidt"), Some(Class::OneTypo));
        assert_eq!(class("schmudt", "schmidt"), Some(Class::OneTypo));
        assert_eq!(class("schnudt", "schmidt"), None, "two typos are too many at 7 letters");
        assert_eq!(class("xchmidt", "schmidt"), None, "a first-letter typo counts double");
        assert_eq!(class("würzbrg", "wurzburg"), Some(Class::OneTypo));
    }

    #[test]
    fn nine_letters_and_more_allow_two_typos_or_one_in_the_first_letter() {
        assert_eq!(class("geschaftsfuehrerin", "geschaftsfuhrerin"), Some(Class::Exact), "ue is u");
        assert_eq!(class("geschaftsfhrerin", "geschaftsfuhrerin"), Some(Class::OneTypo));
        assert_eq!(class("geschäftsfürerin", "geschaftsfuhrerin"), Some(Class::OneTypo));
        assert_eq!(class("geschxftsfürerin", "geschaftsfuhrerin"), Some(Class::TwoTypos));
        assert_eq!(class("keschaftsfuhrerin", "geschaftsfuhrerin"), Some(Class::TwoTypos));
        assert_eq!(class("keschäftsfürerin", "geschaftsfuhrerin"), None);
        assert_eq!(class("maschinenbao", "maschinenbau"), Some(Class::OneTypo));
    }

    #[test]
    fn words_with_digits_allow_no_typo() {
        assert_eq!(class("schroeder12", "schroeder12"), Some(Class::Exact));
        assert_eq!(class("schroeder12", "schroeder13"), None);
        assert_eq!(class("97070", "97071"), None);
    }

    #[test]
    fn umlauts_fold_every_way() {
        for q in ["müller", "mueller", "muller", "Müller"] {
            for written in ["Müller", "Mueller", "Muller"] {
                let best = super::super::terms::spellings(written).iter().filter_map(|t| class(q, t)).min();
                assert_eq!(best, Some(Class::Exact), "{q} → {written}");
            }
        }
        assert_eq!(class("strasse", "strasse"), Some(Class::Exact));
        assert_eq!(class("straße", "strasse"), Some(Class::Exact));
    }

    #[test]
    fn digit_words_search_phones_and_phone_like_queries_search_all_digits() {
        let q = Query::parse("0170 123-45").unwrap();
        assert_eq!(q.words[0].phone.as_deref(), Some("170"));
        assert_eq!(q.phone.as_deref(), Some("17012345"));
        assert!(Query::parse("schmidt 12").unwrap().phone.is_none());
        assert!(Query::parse("  ").is_none());
        assert!(Query::parse("k").unwrap().is_short());
        assert!(Query::parse("kö").unwrap().is_short(), "its German spelling koe is read as a prefix");
        assert!(!Query::parse("köh").unwrap().is_short());
    }
}

//! The parts of a personal name as this population writes them: words, initials, and
//! patronymics in their Russian (`Бахтиёрович`, `Ивановна`) and Turkic (`Бахтиёр ўғли`,
//! `Асан уулу`, `Нурлан қызы`) forms.
//!
//! Matching needs more than a skeleton of the whole text: agencies put a patronymic into the
//! given-name field, write given names as initials, and spell the same father's name once as
//! `Бахтиёрович` and once as `Baxtiyor oʻgʻli`. [`analyse_name`] turns the three fields an
//! agency sends into words with their skeletons, moves a patronymic found in the given-name
//! field to where it belongs, and reduces every patronymic to the father's name it is made
//! of, so that those spellings meet.

use crate::characters::{is_apostrophe_like, is_hyphen_like};
use crate::latin_skeleton;

/// One word of a name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameWord {
    /// The word as written, in lowercase (Unicode NFC is left to the caller's input).
    pub text: String,
    /// Its [`latin_skeleton`]; empty for words in scripts the skeleton does not read.
    pub skeleton: String,
    /// Whether the word is an initial (`А.`, `B`): one Latin or Cyrillic letter, perhaps with a dot.
    pub initial: bool,
}

impl NameWord {
    fn new(word: &str) -> Self {
        let text = word.trim_end_matches('.').to_lowercase();
        let letters = text.chars().filter(|character| character.is_alphabetic()).count();
        let skeleton = latin_skeleton(&text);
        // A one-letter word of a script the skeleton cannot read (Chinese `李`) is a name.
        Self { initial: letters == 1 && !skeleton.is_empty(), text, skeleton }
    }

    /// The first letter of the skeleton: what an initial of this word would read as.
    pub fn skeleton_initial(&self) -> Option<char> {
        self.skeleton.chars().next()
    }
}

/// A name analysed into its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalysedName {
    pub surname: Vec<NameWord>,
    pub given: Vec<NameWord>,
    /// The father's name a patronymic is made of, as a skeleton (`Бахтиёрович`, `Бахтиёр
    /// ўғли` and `Baxtiyor oʻgʻli` all give `baxter`), or the initial of a patronymic
    /// written as one.
    pub patronymic: Option<Patronymic>,
}

/// A patronymic, reduced to the father's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patronymic {
    /// The skeleton of the father's name.
    Stem(String),
    /// Only the initial was written.
    Initial(char),
}

impl Patronymic {
    /// The first letter of the stem, or the initial.
    pub fn initial(&self) -> Option<char> {
        match self {
            Patronymic::Stem(stem) => stem.chars().next(),
            Patronymic::Initial(initial) => Some(*initial),
        }
    }
}

/// Splits a name part into words: on whitespace, hyphens, commas and dots (`Иванова-Петрова`,
/// `А.Б.`). Apostrophes stay inside words (`Oʻtkir`, `O'Brien`).
pub fn name_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|character: char| {
        character.is_whitespace() || is_hyphen_like(character) || character == ',' || character == '.'
    })
    .filter(|word| word.chars().any(|character| character.is_alphanumeric() && !is_apostrophe_like(character)))
}

/// The words of a name part, with their skeletons.
pub fn analyse_words(text: &str) -> Vec<NameWord> {
    name_words(text).map(NameWord::new).collect()
}

/// Words that follow a father's name to make a Turkic patronymic: Uzbek `oʻgʻli`/`qizi`,
/// Kyrgyz `уулу`/`кызы`, Kazakh `ұлы`/`қызы`, Azerbaijani `oğlu`/`qızı`, and their
/// Russian spellings (`угли`, `оглы`, `кизи`), as skeletons.
const PATRONYMIC_MARKERS: [&str; 7] = ["ugli", "ogli", "oglu", "ugly", "ulu", "uli", "kizi"];

/// Endings of Russian-style patronymics, as skeletons: Russian, Ukrainian and Belarusian, for
/// sons and daughters (`-ович`, `-евич`, `-овна`, `-евна`, `-ична`, `-івна`, `-авіч`, `-аўна`).
/// Longer endings first, so that the longest one is stripped.
const PATRONYMIC_ENDINGS: [&str; 10] =
    ["inichna", "ovich", "evich", "avich", "ichna", "ovna", "evna", "ivna", "auna", "ich"];

/// Whether a skeleton word is a Turkic patronymic marker (`ugli`, `kizi`, `ulu`, …).
pub fn is_patronymic_marker(skeleton: &str) -> bool {
    PATRONYMIC_MARKERS.contains(&skeleton)
}

/// The father's name in a Russian-style patronymic skeleton (`baxterovich` → `baxter`), or
/// `None` if the word does not end like one. The stem must keep at least three letters, so
/// that short words that merely end in `-ich` are left alone.
pub fn patronymic_stem(skeleton: &str) -> Option<&str> {
    PATRONYMIC_ENDINGS.iter().find_map(|ending| {
        let stem = skeleton.strip_suffix(ending)?;
        (stem.len() >= 3).then_some(stem)
    })
}

/// Reduces the words of a patronymic to the father's name.
fn patronymic_of(words: &[NameWord]) -> Option<Patronymic> {
    let meaningful: Vec<&NameWord> = words.iter().filter(|word| !is_patronymic_marker(&word.skeleton)).collect();
    let first = meaningful.first()?;
    if first.initial {
        return first.skeleton_initial().map(Patronymic::Initial);
    }
    if first.skeleton.is_empty() {
        return None;
    }
    let stem = patronymic_stem(&first.skeleton).unwrap_or(&first.skeleton);
    Some(Patronymic::Stem(stem.to_owned()))
}

/// Whether a word of a given-name field is really a patronymic: it ends like one, or it is a
/// marker (then it and the word before it are the patronymic).
fn looks_like_patronymic(word: &NameWord) -> bool {
    !word.initial && patronymic_stem(&word.skeleton).is_some()
}

/// Analyses the three name fields an agency sends.
///
/// A given-name field that carries a patronymic (`Алишер Бахтиёрович`, `Alisher Baxtiyor
/// oʻgʻli`) is split, unless the record has a patronymic of its own. A surname field that
/// carries a whole Russian-order name while the other fields are empty (`Юсупов Алишер
/// Бахтиёрович`) is split too. Initials stay words, marked as such.
pub fn analyse_name(surname: &str, given: Option<&str>, patronymic: Option<&str>) -> AnalysedName {
    assemble_name(
        analyse_words(surname),
        given.map(analyse_words).unwrap_or_default(),
        patronymic.map(analyse_words).unwrap_or_default(),
    )
}

/// As [`analyse_name`], from the words of each field (analysed once and cached by a caller that
/// sees the same field text many times).
pub fn assemble_name(
    mut surname_words: Vec<NameWord>,
    mut given_words: Vec<NameWord>,
    mut patronymic_words: Vec<NameWord>,
) -> AnalysedName {
    if given_words.is_empty() && patronymic_words.is_empty() && surname_words.len() >= 3 {
        let last = &surname_words[surname_words.len() - 1];
        let marker = is_patronymic_marker(&last.skeleton);
        if marker || looks_like_patronymic(last) {
            let split = if marker { surname_words.len() - 2 } else { surname_words.len() - 1 };
            patronymic_words = surname_words.split_off(split);
            given_words = surname_words.split_off(1);
        }
    }

    if patronymic_words.is_empty() && given_words.len() >= 2 {
        let last = given_words.len() - 1;
        if is_patronymic_marker(&given_words[last].skeleton) && given_words.len() >= 3 {
            patronymic_words = given_words.split_off(last - 1);
        } else if looks_like_patronymic(&given_words[last]) {
            patronymic_words = given_words.split_off(last);
        }
    }

    AnalysedName { surname: surname_words, given: given_words, patronymic: patronymic_of(&patronymic_words) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(text: &str) -> Option<Patronymic> {
        analyse_name("X", None, Some(text)).patronymic
    }

    fn skeletons(words: &[NameWord]) -> Vec<&str> {
        words.iter().map(|word| word.skeleton.as_str()).collect()
    }

    #[test]
    fn patronymics_of_one_father_meet() {
        let expected = stem("Бахтиёрович");
        assert!(matches!(expected, Some(Patronymic::Stem(_))), "{expected:?}");
        for spelling in
            ["Бахтиёр ўғли", "Baxtiyor oʻgʻli", "Bakhtiyor ugli", "BAKHTIEROVICH", "Бахтиёровна", "Baxtiyor qizi"]
        {
            let actual = stem(spelling);
            let similar = match (&expected, &actual) {
                (Some(Patronymic::Stem(left)), Some(Patronymic::Stem(right))) => {
                    left == right || left.starts_with(right.as_str()) || right.starts_with(left.as_str())
                }
                _ => false,
            };
            assert!(similar, "{spelling}: {actual:?} against {expected:?}");
        }
        assert_eq!(stem("Асан уулу"), stem("Asan uulu"));
        assert_eq!(stem("Нурлан кызы"), stem("Nurlan qizi"));
        assert_eq!(stem("Ивановна"), stem("Иванович"));
        assert_eq!(stem("Б."), Some(Patronymic::Initial('b')));
        assert_eq!(stem(""), None);
    }

    #[test]
    fn patronymic_in_the_given_name_field_is_moved() {
        let name = analyse_name("Юсупов", Some("Алишер Бахтиёрович"), None);
        assert_eq!(skeletons(&name.given), ["alicher"]);
        assert_eq!(name.patronymic, stem("Бахтиёрович"));
        let name = analyse_name("Yusupov", Some("Alisher Baxtiyor oʻgʻli"), None);
        assert_eq!(skeletons(&name.given), ["alicher"]);
        assert_eq!(name.patronymic, stem("Бахтиёрович"));
        let name = analyse_name("Юсупов Алишер Бахтиёрович", None, None);
        assert_eq!(skeletons(&name.surname), ["iusupov"]);
        assert_eq!(skeletons(&name.given), ["alicher"]);
        // A Belarusian surname in -ovich is a surname, not a patronymic.
        let name = analyse_name("Лукашевич", Some("Анна"), None);
        assert_eq!(skeletons(&name.surname), ["lukachevich"]);
        assert_eq!(name.patronymic, None);
        // A double given name stays one.
        let name = analyse_name("Nguyen", Some("Van An"), None);
        assert_eq!(skeletons(&name.given), ["van", "an"]);
    }

    #[test]
    fn initials_and_double_surnames() {
        let name = analyse_name("Иванова-Петрова", Some("А."), Some("Б."));
        assert_eq!(skeletons(&name.surname), ["ivanova", "petrova"]);
        assert!(name.given[0].initial);
        assert_eq!(name.given[0].skeleton_initial(), Some('a'));
        assert_eq!(name.patronymic, Some(Patronymic::Initial('b')));
        let name = analyse_name("YUSUPOV", Some("A.B."), None);
        assert_eq!(name.given.len(), 2);
        assert!(name.given.iter().all(|word| word.initial));
    }

    #[test]
    fn unreadable_names_do_not_panic() {
        for text in ["", " - ", "李小龍", "ნინო", "..", "'"] {
            let name = analyse_name(text, Some(text), Some(text));
            assert_eq!(name.patronymic, None, "{text}: {name:?}");
        }
    }
}

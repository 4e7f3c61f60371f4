//! From an MRZ name back to the Cyrillic spellings it may stand for.
//!
//! Transliteration loses information: `E` is `Е`, `Ё` or `Э`; `I` is `И`, `Й` or `І`; a soft sign
//! leaves no trace; `IE` may be `Ъ`, `Є` or `И` + `Е`. The reverse is therefore a search: every way
//! of cutting an MRZ word into the outputs of Cyrillic letters of one language, scored by how usual
//! the letters chosen are in names, best first. Each candidate writes back to exactly the MRZ name
//! under the table of the language that produced it — nothing is guessed beyond the tables.
//!
//! Scoring, in brief: every letter costs a little, so that `SHCH` is read as `Щ` rather than `Ш` +
//! `Ч` and `IA` as `Я`; rare letters cost more (`Ё`, `Э` inside a word, `Ъ`, `Ґ`, `Ї`, `Є`); `Й` is
//! cheap after a vowel at the end of a word (`ANDREI` → `Андрей`) and dear elsewhere; `И` after a
//! vowel is cheap before a consonant (`MIKHAIL` → `Михаил`); a soft sign or an apostrophe is
//! inserted only after a consonant and at a price. Languages are tried separately (a name mixes no
//! tables) with a small preference for Russian, then the Ukrainian national table, Doc 9303's
//! Ukrainian, and Belarusian.

use std::collections::HashSet;

use crate::check_digit::FILLER;
use crate::transliteration::{APOSTROPHE, CyrillicLanguage, cyrillic_letter};

/// How many candidates [`candidate_native_spellings`] returns at most.
pub const DEFAULT_CANDIDATE_LIMIT: usize = 12;

/// The languages [`candidate_native_spellings`] searches.
pub const DEFAULT_CANDIDATE_LANGUAGES: [CyrillicLanguage; 4] = [
    CyrillicLanguage::Russian,
    CyrillicLanguage::UkrainianNational,
    CyrillicLanguage::Ukrainian,
    CyrillicLanguage::Belarusian,
];

/// Names longer than this (in letters) get no candidates: an MRZ name field holds at most 39
/// characters, and the bound keeps the search cheap on any input.
pub const MAXIMUM_NAME_LETTERS: usize = 100;

/// Partial spellings kept at each position of a word during the search.
const BEAM_WIDTH: usize = 64;

/// The Cyrillic spellings `mrz_name` may stand for, most plausible first, at most
/// [`DEFAULT_CANDIDATE_LIMIT`], across Russian, Ukrainian (national and Doc 9303) and Belarusian.
///
/// `mrz_name` is an MRZ name or part of one: letters `A`–`Z` (lower case is accepted), words
/// separated by `<` or spaces (`SHCHEGLOVA<<IULIIA` works; the `<<` becomes a space). Anything else
/// gives no candidates. Words come back capitalised (`Юлия Щеглова`).
///
/// ```
/// let candidates = hospes_mrz::candidate_native_spellings("IULIIA");
/// assert_eq!(candidates.first().map(String::as_str), Some("Юлия"));
/// assert!(hospes_mrz::candidate_native_spellings("SHCHEGLOVA").contains(&"Щеглова".to_string()));
/// ```
pub fn candidate_native_spellings(mrz_name: &str) -> Vec<String> {
    candidate_native_spellings_in(mrz_name, &DEFAULT_CANDIDATE_LANGUAGES, DEFAULT_CANDIDATE_LIMIT)
}

/// [`candidate_native_spellings`] over the given languages, returning at most `limit` candidates.
pub fn candidate_native_spellings_in(mrz_name: &str, languages: &[CyrillicLanguage], limit: usize) -> Vec<String> {
    let Some(words) = mrz_words(mrz_name) else {
        return Vec::new();
    };
    if words.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(u32, String)> = Vec::new();
    for language in languages {
        let mut combined: Vec<(u32, String)> = vec![(language_cost(*language), String::new())];
        for word in &words {
            let spellings = word_candidates(word, *language, limit);
            let mut next: Vec<(u32, String)> = Vec::with_capacity(combined.len() * spellings.len());
            for (cost_so_far, text_so_far) in &combined {
                for (cost, spelling) in &spellings {
                    let text =
                        if text_so_far.is_empty() { spelling.clone() } else { format!("{text_so_far} {spelling}") };
                    next.push((cost_so_far + cost, text));
                }
            }
            next.sort();
            next.truncate(limit);
            combined = next;
        }
        scored.extend(combined);
    }
    scored.sort();
    let mut seen = HashSet::new();
    scored.into_iter().filter(|(_, text)| seen.insert(text.clone())).map(|(_, text)| text).take(limit).collect()
}

/// Splits an MRZ name into words of upper-case letters; `None` if it holds anything else.
fn mrz_words(mrz_name: &str) -> Option<Vec<Vec<char>>> {
    let mut words = Vec::new();
    let mut letters = 0usize;
    for word in mrz_name.split([FILLER, ' ']) {
        if word.is_empty() {
            continue;
        }
        let upper: Vec<char> = word.chars().map(|character| character.to_ascii_uppercase()).collect();
        if !upper.iter().all(char::is_ascii_uppercase) {
            return None;
        }
        letters += upper.len();
        if letters > MAXIMUM_NAME_LETTERS {
            return None;
        }
        words.push(upper);
    }
    Some(words)
}

/// A small preference among languages, in hundredths like every cost here.
fn language_cost(language: CyrillicLanguage) -> u32 {
    match language {
        CyrillicLanguage::Russian => 0,
        CyrillicLanguage::UkrainianNational => 30,
        CyrillicLanguage::Ukrainian => 60,
        CyrillicLanguage::Belarusian => 90,
        _ => 100,
    }
}

/// The letters of each language, upper case; the apostrophe where the language spells one.
fn alphabet(language: CyrillicLanguage) -> &'static [char] {
    use CyrillicLanguage as Language;
    match language {
        Language::Russian => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ё', 'Ж', 'З', 'И', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У',
            'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ы', 'Ь', 'Э', 'Ю', 'Я',
        ],
        Language::Ukrainian | Language::UkrainianNational => &[
            'А', 'Б', 'В', 'Г', 'Ґ', 'Д', 'Е', 'Є', 'Ж', 'З', 'И', 'І', 'Ї', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р',
            'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ь', 'Ю', 'Я', APOSTROPHE,
        ],
        Language::Belarusian => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ё', 'Ж', 'З', 'І', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У',
            'Ў', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Ы', 'Ь', 'Э', 'Ю', 'Я', APOSTROPHE,
        ],
        Language::Bulgarian => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У', 'Ф',
            'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ь', 'Ю', 'Я',
        ],
        Language::Serbian => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Ђ', 'Е', 'Ж', 'З', 'И', 'Ј', 'К', 'Л', 'Љ', 'М', 'Н', 'Њ', 'О', 'П', 'Р', 'С',
            'Т', 'Ћ', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Џ', 'Ш',
        ],
        Language::Macedonian => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Ѓ', 'Е', 'Ж', 'З', 'Ѕ', 'И', 'Ј', 'К', 'Л', 'Љ', 'М', 'Н', 'Њ', 'О', 'П', 'Р',
            'С', 'Т', 'Ќ', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Џ', 'Ш',
        ],
        Language::Kazakh => &[
            'А', 'Ә', 'Б', 'В', 'Г', 'Ғ', 'Д', 'Е', 'Ё', 'Ж', 'З', 'И', 'Й', 'К', 'Қ', 'Л', 'М', 'Н', 'Ң', 'О', 'Ө',
            'П', 'Р', 'С', 'Т', 'У', 'Ұ', 'Ү', 'Ф', 'Х', 'Һ', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ы', 'І', 'Ь', 'Э', 'Ю', 'Я',
        ],
        Language::Kyrgyz => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ё', 'Ж', 'З', 'И', 'Й', 'К', 'Л', 'М', 'Н', 'Ң', 'О', 'Ө', 'П', 'Р', 'С',
            'Т', 'У', 'Ү', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ы', 'Ь', 'Э', 'Ю', 'Я',
        ],
        Language::Tajik => &[
            'А', 'Б', 'В', 'Г', 'Ғ', 'Д', 'Е', 'Ё', 'Ж', 'З', 'И', 'Ӣ', 'Й', 'К', 'Қ', 'Л', 'М', 'Н', 'О', 'П', 'Р',
            'С', 'Т', 'У', 'Ӯ', 'Ф', 'Х', 'Ҳ', 'Ч', 'Ҷ', 'Ш', 'Ъ', 'Э', 'Ю', 'Я',
        ],
        Language::Uzbek => &[
            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ё', 'Ж', 'З', 'И', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У',
            'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Ъ', 'Ь', 'Э', 'Ю', 'Я', 'Ў', 'Қ', 'Ғ', 'Ҳ',
        ],
    }
}

fn is_vowel(letter: char) -> bool {
    matches!(
        letter,
        'А' | 'Е'
            | 'Ё'
            | 'И'
            | 'І'
            | 'Ї'
            | 'О'
            | 'У'
            | 'Ы'
            | 'Э'
            | 'Ю'
            | 'Я'
            | 'Є'
            | 'Ә'
            | 'Ө'
            | 'Ү'
            | 'Ұ'
            | 'Ӣ'
            | 'Ӯ'
    )
}

/// Letters that leave nothing in the MRZ.
fn is_silent(letter: char) -> bool {
    letter == 'Ь' || letter == APOSTROPHE
}

/// Consonants, after which a soft sign, hard sign or apostrophe may stand.
fn is_consonant(letter: char) -> bool {
    !is_vowel(letter) && !is_silent(letter) && !matches!(letter, 'Ъ' | 'Й' | 'Ў')
}

fn is_latin_vowel(letter: char) -> bool {
    matches!(letter, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y')
}

/// A partial spelling of one word.
#[derive(Clone)]
struct Partial {
    cost: u32,
    letters: Vec<char>,
    /// The MRZ output of the last letter that had one, to see digraphs split across two letters.
    last_output: &'static str,
}

/// What the search knows where it considers the next letter.
struct Context {
    previous: Option<char>,
    /// The next Latin letter after the letter's output, if any.
    next_latin: Option<char>,
    at_word_end: bool,
}

/// Whether `letter` may follow the partial spelling at all.
fn may_follow(previous: Option<char>, letter: char) -> bool {
    match previous {
        None => !is_silent(letter) && letter != 'Ъ',
        Some(APOSTROPHE) => matches!(letter, 'Я' | 'Ю' | 'Є' | 'Ї' | 'Е' | 'Ё' | 'І'),
        Some('Ъ') => matches!(letter, 'Е' | 'Ё' | 'Ю' | 'Я'),
        Some('Ь') => !is_silent(letter) && letter != 'Ъ',
        Some(previous) => {
            if is_silent(letter) || letter == 'Ъ' {
                is_consonant(previous)
            } else {
                !(previous == 'Й' && letter == 'Й')
            }
        }
    }
}

/// The cost of a letter in its context, in hundredths; every letter also costs a step.
fn letter_cost(letter: char, language: CyrillicLanguage, output: &str, context: &Context) -> u32 {
    const STEP: u32 = 25;
    let belarusian = language == CyrillicLanguage::Belarusian;
    let after_vowel = context.previous.is_some_and(is_vowel);
    let word_initial = context.previous.is_none();
    let next_is_vowel = context.next_latin.is_some_and(is_latin_vowel);
    let letter_cost = match letter {
        'Ё' if belarusian => 100,
        'Ё' => 150,
        'Э' if belarusian || word_initial => 100,
        'Э' => 250,
        'Ъ' => 150,
        // `ИЕ` before another vowel (`PODIEIACHEV`, `RAZIEEZDNOI`) is all but unknown in names;
        // there the `IE` is a hard sign.
        'Е' if matches!(context.previous, Some('И' | 'І')) && next_is_vowel => 200,
        // Where a soft sign usually stands: at the end (Игорь), before an iotated vowel (Татьяна,
        // Ильин), before `Е` (Васильева), before a consonant (Ольга); rarely before other vowels.
        'Ь' => match context.next_latin {
            None | Some('E') => 150,
            Some('I') => 100,
            Some('O') => 300,
            Some('A' | 'U' | 'Y') => 400,
            Some(_) => 200,
        },
        APOSTROPHE => 250,
        // `Й` closes a syllable after a vowel (Андрей, Гайа); elsewhere it is rare.
        'Й' if after_vowel && context.at_word_end => 20,
        'Й' if after_vowel && next_is_vowel => 50,
        'Й' if after_vowel => 100,
        'Й' if word_initial => 200,
        'Й' => 400,
        // `I` after a vowel is `И` mostly before a consonant (Михаил, Раиса).
        'И' | 'І' if output == "I" && after_vowel && context.at_word_end => 150,
        'И' | 'І' if output == "I" && after_vowel && next_is_vowel => 80,
        'И' | 'І' if output == "I" && after_vowel => 40,
        'Ї' if after_vowel => 60,
        'Ї' => 200,
        'Є' => 100,
        'Ґ' => 300,
        'Ў' if after_vowel => 50,
        'Ў' => 300,
        'Ы' if word_initial => 400,
        _ => 0,
    };
    STEP + letter_cost
}

/// The cost of reading as two letters what one letter writes: `KH` as `К` + `Г` rather than `Х`,
/// `SHCH` as `Ш` + `Ч`, `TS` as `Т` + `С`, `IA` as `И` + `А`.
fn split_digraph_cost(previous_output: &str, output: &str) -> u32 {
    let last = previous_output.chars().last();
    let first = output.chars().next();
    match (last, first) {
        (Some('K' | 'Z' | 'S' | 'C'), Some('H')) => 200,
        (Some('H'), Some('C')) if previous_output == "SH" && output.starts_with("CH") => 150,
        (Some('T'), Some('S')) => 100,
        (Some('I'), Some('A' | 'U' | 'E' | 'O')) => 50,
        _ => 0,
    }
}

/// The best spellings of one word in one language, at most `keep`, with their costs.
fn word_candidates(word: &[char], language: CyrillicLanguage, keep: usize) -> Vec<(u32, String)> {
    let letters = alphabet(language);
    let silent_letters: Vec<char> = letters.iter().copied().filter(|letter| is_silent(*letter)).collect();
    let mut frontier: Vec<Vec<Partial>> = vec![Vec::new(); word.len() + 1];
    if let Some(start) = frontier.first_mut() {
        start.push(Partial { cost: 0, letters: Vec::new(), last_output: "" });
    }
    let mut finished: Vec<Partial> = Vec::new();
    for position in 0..=word.len() {
        let Some(states) = frontier.get_mut(position).map(std::mem::take) else {
            continue;
        };
        let mut states = states;
        let at_word_end = position == word.len();
        // Silent letters (soft sign, apostrophe) leave the position where it is.
        let mut silent_extensions = Vec::new();
        for state in &states {
            for silent in &silent_letters {
                let previous = state.letters.last().copied();
                if !may_follow(previous, *silent) || (at_word_end && *silent == APOSTROPHE) {
                    continue;
                }
                let context = Context { previous, next_latin: word.get(position).copied(), at_word_end };
                let mut letters = state.letters.clone();
                letters.push(*silent);
                silent_extensions.push(Partial {
                    cost: state.cost + letter_cost(*silent, language, "", &context),
                    letters,
                    last_output: state.last_output,
                });
            }
        }
        states.extend(silent_extensions);
        states.sort_by(|left, right| left.cost.cmp(&right.cost).then_with(|| left.letters.cmp(&right.letters)));
        states.truncate(BEAM_WIDTH);
        if at_word_end {
            finished = states
                .into_iter()
                .filter(|state| !matches!(state.letters.last(), Some(&APOSTROPHE) | Some(&'Ъ')))
                .collect();
            break;
        }
        let remaining = word.get(position..).unwrap_or(&[]);
        for state in &states {
            let previous = state.letters.last().copied();
            for letter in letters {
                if is_silent(*letter) || !may_follow(previous, *letter) {
                    continue;
                }
                let Some(output) = cyrillic_letter(*letter, language, previous) else {
                    continue;
                };
                let output_length = output.len();
                if output_length == 0
                    || output_length > remaining.len()
                    || !output.chars().zip(remaining.iter()).all(|(expected, found)| expected == *found)
                {
                    continue;
                }
                let next_position = position + output_length;
                let context = Context {
                    previous,
                    next_latin: word.get(next_position).copied(),
                    at_word_end: next_position == word.len(),
                };
                let mut letters = state.letters.clone();
                letters.push(*letter);
                if let Some(slot) = frontier.get_mut(next_position) {
                    slot.push(Partial {
                        cost: state.cost
                            + letter_cost(*letter, language, output, &context)
                            + split_digraph_cost(state.last_output, output),
                        letters,
                        last_output: output,
                    });
                }
            }
        }
    }
    let mut spellings: Vec<(u32, String)> =
        finished.into_iter().map(|state| (state.cost, capitalised(&state.letters))).collect();
    spellings.sort();
    spellings.dedup_by(|later, earlier| later.1 == earlier.1);
    spellings.truncate(keep);
    spellings
}

/// `ЮЛИЯ` as `Юлия`.
fn capitalised(letters: &[char]) -> String {
    letters
        .iter()
        .enumerate()
        .flat_map(|(index, letter)| {
            let lower: Vec<char> = if index == 0 { vec![*letter] } else { letter.to_lowercase().collect() };
            lower
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_first(mrz_name: &str, expected_first: &str) {
        let candidates = candidate_native_spellings(mrz_name);
        assert_eq!(candidates.first().map(String::as_str), Some(expected_first), "{mrz_name}: {candidates:?}");
    }

    fn check_contains(mrz_name: &str, expected: &str) {
        let candidates = candidate_native_spellings(mrz_name);
        assert!(candidates.iter().any(|candidate| candidate == expected), "{mrz_name}: {candidates:?}");
    }

    #[test]
    fn usual_spellings_come_first() {
        check_first("IULIIA", "Юлия");
        check_first("SHCHEGLOVA", "Щеглова");
        check_first("ANDREI", "Андрей");
        check_first("MIKHAIL", "Михаил");
        check_first("NIKOLAI", "Николай");
        check_first("TSOI", "Цой");
        check_first("KHRUSHCHEV", "Хрущев");
        check_first("IULIIA<SHCHEGLOVA", "Юлия Щеглова");
    }

    #[test]
    fn less_usual_spellings_are_offered() {
        check_contains("KHRUSHCHEV", "Хрущёв");
        check_contains("IGOR", "Игорь");
        check_contains("ILIN", "Ильин");
        check_contains("TATIANA", "Татьяна");
        check_contains("PODIEIACHEV", "Подъячев");
        check_contains("HRYHORII", "Григорій");
        check_contains("MARIANA", "Мар'яна");
        check_contains("SVIATLANA", "Святлана");
        check_contains("IEVGENIIA", "Євгенія");
    }

    #[test]
    fn non_mrz_input_gives_nothing() {
        assert!(candidate_native_spellings("").is_empty());
        assert!(candidate_native_spellings("<<").is_empty());
        assert!(candidate_native_spellings("IVAN1").is_empty());
        assert!(candidate_native_spellings("Иван").is_empty());
        assert!(candidate_native_spellings(&"A".repeat(MAXIMUM_NAME_LETTERS + 1)).is_empty());
        assert!(candidate_native_spellings_in("IVAN", &[CyrillicLanguage::Russian], 0).is_empty());
    }

    #[test]
    fn candidates_are_bounded() {
        let candidates = candidate_native_spellings("IEIEIEIEIE<IAIAIAIA<IUIUIUIU");
        assert!(!candidates.is_empty());
        assert!(candidates.len() <= DEFAULT_CANDIDATE_LIMIT);
        assert_eq!(candidate_native_spellings_in("IVAN", &[CyrillicLanguage::Russian], 3).len(), 3);
    }
}

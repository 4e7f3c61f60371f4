//! The Latin skeleton: one lowercase ASCII key for every spelling of a name.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::characters::{is_apostrophe_like, is_cyrillic};

/// Reduces a name in any supported spelling to a lowercase ASCII matching key.
///
/// The key is meant for blocking in entity resolution: spellings of one name in Cyrillic
/// (Russian, Uzbek, Tajik, Kazakh, Kyrgyz) and in Latin under any [`crate::Scheme`], in
/// Uzbek Latin, or in everyday English, French or Turkic-Latin habits get the same key, so
/// `Юсупов`, `YUSUPOV`, `Iusupov`, `Jusupov`, `Yusupov` and `Ûsupov` all become `iusupov`.
/// It deliberately forgets distinctions (listed below), so different names can share a
/// key; compare candidates more closely afterwards. Words are separated by one space;
/// digits, punctuation and letters of other scripts are dropped. Applying the function to
/// its own output changes nothing.
///
/// What it does, in order:
///
/// 1. **Script.** Unicode NFC, lowercase. Cyrillic letters are written with a key-specific
///    table: ё and э as e, й and ы as y, х as kh, ц as ts, щ as shch, ъ and ь as y before
///    a vowel and as nothing elsewhere; the Central Asian letters as their Russian
///    counterparts (ғ g, қ k, ҳ and һ h, ң n, ә a, ө o, ү ұ ў ӯ u, ӣ і i, ҷ dzh).
///    Latin letters whose diacritic changes the sound are spelled out (š ş → sh,
///    č ç ć → ch, ž → zh, ŝ → shch, û → yu, â → ya, ë → yo, đ → dj, ı → i, ə → a, ŋ → n),
///    every other diacritic is stripped (NFKD), apostrophe-like characters
///    (' ’ ” ʹ ʺ ʻ ʼ ` and so on) become one marker, and the BGN/PCGN middle dot vanishes.
/// 2. **Apostrophes.** `o` + marker is Uzbek oʻ and becomes `u`; `g` + marker (Uzbek gʻ)
///    is `g`; a marker before a vowel is a soft or hard sign and becomes the glide y, and
///    a `j` after a marker is that glide too (ISO 9 `Natalʹja`); a marker between a
///    consonant and h keeps them from being read as one sound (Uzbek `Isʼhoq`); other
///    markers are dropped.
/// 3. **Sounds.** Letters are read as sounds, joining neighbours:
///    sh, ch, shch, shh, sch, sc, tch, chtch (and š, č, ŝ) are one hushing sound, so ш,
///    ч and щ are not told apart (French `ch` is ш, English `ch` is ч);
///    kh, h, x and ks are one sound (Uzbek x is х, English and French x is кс);
///    zh, dzh, dj are ж, and so is a `j` after a consonant (Uzbek `Azizjon`) or before
///    a consonant at the start of a word (French `Jdanov`);
///    ts, tc, tz, cz, c are ц; t before ц, and t or s before the hushing sound, vanish;
///    gh is g; ph is f; q is k; w is v; ou is u; u between g and e or i vanishes
///    (French gue, gui); i, y and every other `j` are one sound, so и, ы, й and the
///    y-glide are not told apart; repeated sounds are written once (ll, iy, ii).
/// 4. **Clean-up.** ж before a vowel becomes the glide (Uzbek and Kazakh j and zh against
///    Russian й and дж: `Jamshid` = `Джамшид` = `Жамшид`, `Jusupov` = `Юсупов`); the glide
///    before e vanishes (ye, ie, je = e) and the glide before o makes e (yo, io, jo = ё,
///    written e); an h after a word-initial e vanishes (GOST 16876 writes э as eh); a final
///    -ine is -in (MVD 310 French writes -ин as -ine).
/// 5. **Output.** The hushing sound is written `ch`, ж `zh`, the h-sound `x`, ц `ts`, the
///    glide `i`, every other sound as its letter.
///
/// Known blind spots: Bulgarian ъ written as ICAO `ie` (`Dimitier` against `Dimitʺr`)
/// or as Bulgarian `a` (`Dimitar`); ь before а, о, у written as nothing (`Batalon` against
/// `Batalyon`); ISO 9 `dj` for дя, дю, дё (read as дж); a French, Telegram or Uzbek `j`
/// for ж after a vowel (`Loujkov`, read as й); Uzbek `s` for ц; spellings that change
/// vowels (`Alexander`, Belarusian `Kazloŭ`, Uzbek `Yuldashev` against `Yoʻldoshev`); and
/// every distinction the steps above give up on purpose, for example ж before a vowel
/// and й (`Бажов` and `Баев` share a key).
pub fn latin_skeleton(text: &str) -> String {
    let lowercase: Vec<char> = text.nfc().collect::<String>().to_lowercase().chars().collect();
    let mut latin = String::with_capacity(lowercase.len() * 2);
    for (index, &character) in lowercase.iter().enumerate() {
        if is_cyrillic(character) {
            latin.push_str(cyrillic_letter(character, next_letter(&lowercase, index)));
        } else if let Some(spelled_out) = spelled_out_latin_letter(character) {
            latin.push_str(spelled_out);
        } else if is_apostrophe_like(character) {
            latin.push(APOSTROPHE_MARKER);
        } else if character != MIDDLE_DOT {
            latin.push(character);
        }
    }

    let mut key = String::with_capacity(latin.len());
    let mut word = String::new();
    for character in latin.nfkd().chain(std::iter::once(' ')) {
        if is_combining_mark(character) {
            continue;
        }
        if character.is_ascii_alphabetic() || character == APOSTROPHE_MARKER {
            word.push(character.to_ascii_lowercase());
            continue;
        }
        let folded = fold_word(&word);
        word.clear();
        if !folded.is_empty() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&folded);
        }
    }
    key
}

/// Stands for every apostrophe-like character in step 2.
const APOSTROPHE_MARKER: char = '\'';
/// Keeps a consonant and a following h from joining into one sound in step 3.
const SOUND_BOUNDARY: u8 = b'|';
/// BGN/PCGN separates some letter pairs with a middle dot; it carries no sound.
const MIDDLE_DOT: char = '\u{00B7}';

/// Cyrillic vowels, before which ъ and ь are heard as the glide y.
const CYRILLIC_VOWELS: &str = "аеёиоуыэюяәөүұӯӣіїєў";

/// The next character after `index` that is not a combining mark.
fn next_letter(characters: &[char], index: usize) -> Option<char> {
    characters[index + 1..].iter().copied().find(|character| !is_combining_mark(*character))
}

/// The key-specific transliteration of one lowercase Cyrillic letter.
fn cyrillic_letter(letter: char, next: Option<char>) -> &'static str {
    match letter {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ґ' | 'ѓ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ӣ' | 'і' => "i",
        'й' | 'ы' => "y",
        'к' | 'қ' | 'ќ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' | 'ӯ' | 'ү' | 'ұ' => "u",
        'ф' => "f",
        'х' => "kh",
        // A plain h would join a preceding s, c or z (Исҳоқ is not Ишоқ); x never joins.
        'ҳ' | 'һ' => "x",
        'ц' => "ts",
        'ч' | 'ћ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => {
            if next.is_some_and(|next| CYRILLIC_VOWELS.contains(next)) {
                "y"
            } else {
                ""
            }
        }
        'ю' => "yu",
        'я' => "ya",
        'ҷ' | 'џ' => "dzh",
        'ї' => "yi",
        'є' => "ye",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ѕ' => "dz",
        other => {
            // A letter with a diacritic we do not list (ѐ, ӧ, ...): use its base letter.
            let base = other.nfd().next().unwrap_or(other);
            if base == other { "" } else { cyrillic_letter(base, next) }
        }
    }
}

/// Latin letters whose diacritic changes the sound, spelled as the plain-ASCII schemes
/// spell it; `None` for letters whose diacritic can simply be stripped.
fn spelled_out_latin_letter(letter: char) -> Option<&'static str> {
    Some(match letter {
        'š' | 'ş' | 'ș' => "sh",
        'č' | 'ç' | 'ć' => "ch",
        'ž' => "zh",
        'ŝ' => "shch",
        'û' => "yu",
        'â' => "ya",
        'ë' => "yo",
        'đ' => "dj",
        'ð' => "d",
        'ł' => "l",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ı' => "i",
        'ŋ' => "n",
        'ə' | 'ǝ' => "a",
        'ɵ' => "o",
        'ƣ' => "g",
        _ => return None,
    })
}

/// One sound of a word (step 3 onwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sound {
    A,
    E,
    O,
    U,
    /// и, ы, й and the y-glide of е, ё, ю, я.
    Glide,
    B,
    V,
    G,
    D,
    Z,
    /// ж, дж.
    Zh,
    K,
    L,
    M,
    N,
    P,
    R,
    S,
    T,
    F,
    /// х, and кс.
    H,
    /// ц.
    C,
    /// ш, ч, щ.
    Hushing,
    /// A letter h that may still join the letter before it (sh, kh, zh, ...).
    LetterH,
    /// A letter j, which is ж after a consonant and the glide elsewhere.
    LetterJ,
}

impl Sound {
    fn is_vowel(self) -> bool {
        matches!(self, Sound::A | Sound::E | Sound::O | Sound::U | Sound::Glide)
    }

    fn as_ascii(self) -> &'static str {
        match self {
            Sound::A => "a",
            Sound::E => "e",
            Sound::O => "o",
            Sound::U => "u",
            Sound::Glide | Sound::LetterJ => "i",
            Sound::B => "b",
            Sound::V => "v",
            Sound::G => "g",
            Sound::D => "d",
            Sound::Z => "z",
            Sound::Zh => "zh",
            Sound::K => "k",
            Sound::L => "l",
            Sound::M => "m",
            Sound::N => "n",
            Sound::P => "p",
            Sound::R => "r",
            Sound::S => "s",
            Sound::T => "t",
            Sound::F => "f",
            Sound::H | Sound::LetterH => "x",
            Sound::C => "ts",
            Sound::Hushing => "ch",
        }
    }

    /// The sound of a single ASCII letter, before neighbours are joined.
    fn of_letter(letter: u8) -> Option<Sound> {
        Some(match letter {
            b'a' => Sound::A,
            b'b' => Sound::B,
            b'c' => Sound::C,
            b'd' => Sound::D,
            b'e' => Sound::E,
            b'f' => Sound::F,
            b'g' => Sound::G,
            b'h' => Sound::LetterH,
            b'i' | b'y' => Sound::Glide,
            b'j' => Sound::LetterJ,
            b'k' | b'q' => Sound::K,
            b'l' => Sound::L,
            b'm' => Sound::M,
            b'n' => Sound::N,
            b'o' => Sound::O,
            b'p' => Sound::P,
            b'r' => Sound::R,
            b's' => Sound::S,
            b't' => Sound::T,
            b'u' => Sound::U,
            b'v' | b'w' => Sound::V,
            b'x' => Sound::H,
            b'z' => Sound::Z,
            _ => return None,
        })
    }

    /// The single sound that `self` followed by `next` is read as, if they join.
    fn join(self, next: Sound) -> Option<Sound> {
        Some(match (self, next) {
            (Sound::K, Sound::S) => Sound::H,
            (Sound::Hushing, Sound::LetterH) => Sound::Hushing,
            (Sound::S | Sound::T, Sound::Hushing) | (Sound::S, Sound::C) => Sound::Hushing,
            (Sound::D, Sound::Zh | Sound::LetterJ) => Sound::Zh,
            (Sound::T, Sound::S | Sound::C | Sound::Z) | (Sound::C, Sound::Z) => Sound::C,
            (Sound::O, Sound::U) => Sound::U,
            _ => return None,
        })
    }
}

/// Applies steps 2 to 5 to one word of ASCII lowercase letters and apostrophe markers.
fn fold_word(word: &str) -> String {
    let letters = resolve_apostrophes(word.as_bytes());
    let sounds = read_sounds(&letters);
    let sounds = clean_up_sounds(sounds);
    sounds.iter().map(|sound| sound.as_ascii()).collect()
}

fn is_ascii_vowel(letter: u8) -> bool {
    matches!(letter, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Step 2: interprets apostrophe markers.
fn resolve_apostrophes(word: &[u8]) -> Vec<u8> {
    let marker = APOSTROPHE_MARKER as u8;
    let mut letters: Vec<u8> = Vec::with_capacity(word.len() + 2);
    for (index, &letter) in word.iter().enumerate() {
        if letter != marker {
            let after_marker = index > 0 && word[index - 1] == marker;
            if letter == b'j' && after_marker && !letters.is_empty() {
                letters.push(b'y');
            } else {
                letters.push(letter);
            }
            continue;
        }
        let next = word.get(index + 1).copied();
        match letters.last_mut() {
            None | Some(b'g') | Some(&mut SOUND_BOUNDARY) => {}
            Some(last) if *last == b'o' => *last = b'u',
            Some(last) => {
                let after_consonant = !is_ascii_vowel(*last);
                match next {
                    Some(next) if is_ascii_vowel(next) => letters.push(b'y'),
                    Some(b'h') if after_consonant => letters.push(SOUND_BOUNDARY),
                    _ => {}
                }
            }
        }
    }
    letters
}

/// Step 3: reads letters as sounds, joining each with the sound before it while a pair
/// reads as one sound.
fn read_sounds(letters: &[u8]) -> Vec<Sound> {
    let mut sounds: Vec<Sound> = Vec::with_capacity(letters.len());
    let mut after_boundary = false;
    let mut index = 0;
    while index < letters.len() {
        let letter = letters[index];
        index += 1;
        if letter == SOUND_BOUNDARY {
            after_boundary = true;
            continue;
        }
        // A digraph with h is read before its first letter can join the sound before it
        // (t + zh is not ts + h).
        let digraph = if letters.get(index) == Some(&b'h') {
            match letter {
                b's' | b'c' => Some(Sound::Hushing),
                b'z' => Some(Sound::Zh),
                b'k' => Some(Sound::H),
                b'g' => Some(Sound::G),
                b'p' => Some(Sound::F),
                _ => None,
            }
        } else {
            None
        };
        let single = if digraph.is_some() {
            index += 1;
            digraph
        } else {
            Sound::of_letter(letter)
        };
        let Some(mut sound) = single else {
            continue;
        };
        if !after_boundary {
            while let Some(joined) = sounds.last().and_then(|previous| previous.join(sound)) {
                sounds.pop();
                sound = joined;
            }
        }
        after_boundary = false;
        sounds.push(sound);
    }
    for index in 0..sounds.len() {
        let after_consonant = index > 0 && !sounds[index - 1].is_vowel();
        let starts_consonant_cluster =
            index == 0 && sounds.get(1).is_some_and(|next| !next.is_vowel() && *next != Sound::LetterJ);
        sounds[index] = match sounds[index] {
            Sound::LetterH => Sound::H,
            Sound::LetterJ if after_consonant || starts_consonant_cluster => Sound::Zh,
            Sound::LetterJ => Sound::Glide,
            other => other,
        };
    }
    sounds.dedup();
    sounds
}

/// Step 4: the clean-up rules, in the documented order.
fn clean_up_sounds(mut sounds: Vec<Sound>) -> Vec<Sound> {
    for index in 0..sounds.len() {
        let next_is_vowel = sounds.get(index + 1).is_some_and(|next| next.is_vowel());
        if sounds[index] == Sound::Zh && next_is_vowel {
            sounds[index] = Sound::Glide;
        }
    }
    let mut index = 1;
    while index + 1 < sounds.len() {
        let french_gu = sounds[index] == Sound::U
            && sounds[index - 1] == Sound::G
            && matches!(sounds[index + 1], Sound::E | Sound::Glide);
        if french_gu {
            sounds.remove(index);
        } else {
            index += 1;
        }
    }
    let mut cleaned: Vec<Sound> = Vec::with_capacity(sounds.len());
    for mut sound in sounds {
        loop {
            match (cleaned.last().copied(), sound) {
                (Some(Sound::Glide), Sound::E) => {
                    cleaned.pop();
                }
                (Some(Sound::Glide), Sound::O) => {
                    cleaned.pop();
                    sound = Sound::E;
                }
                (Some(last), current) if last == current => break,
                _ => {
                    cleaned.push(sound);
                    break;
                }
            }
        }
    }
    while cleaned.starts_with(&[Sound::E, Sound::H]) {
        cleaned.remove(1);
        cleaned.dedup();
    }
    if cleaned.len() > 3 && cleaned.ends_with(&[Sound::Glide, Sound::N, Sound::E]) {
        cleaned.pop();
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that every spelling in a group has the same skeleton as the first one.
    fn check_same_skeleton(spellings: &[&str]) {
        let expected = latin_skeleton(spellings[0]);
        for spelling in spellings {
            assert_eq!(latin_skeleton(spelling), expected, "{spelling:?} against {:?}", spellings[0]);
        }
    }

    #[test]
    fn examples_from_the_specification() {
        check_same_skeleton(&["Юсупов", "YUSUPOV", "Iusupov", "Jusupov", "Yusupov", "Ûsupov"]);
        check_same_skeleton(&["Алишер", "ALISHER", "Ališer"]);
        check_same_skeleton(&["Бахтиёрович", "Bakhtiyorovich", "Baxtiyorovich", "Bakhtiiorovich"]);
        check_same_skeleton(&["Щеглова", "Shcheglova", "Ŝeglova", "Shheglova"]);
        check_same_skeleton(&["Хусейн", "Khuseyn", "Xuseyn", "Huseyn"]);
    }

    #[test]
    fn keys_are_lowercase_ascii_words() {
        assert_eq!(latin_skeleton("Юсупов"), "iusupov");
        assert_eq!(latin_skeleton("ЮСУПОВ  Алишер-Бахтиёрович"), "iusupov alicher baxterovich");
        assert_eq!(latin_skeleton("Щеглова"), "cheglova");
        assert_eq!(latin_skeleton("Хусейн"), "xusein");
        assert_eq!(latin_skeleton(""), "");
        assert_eq!(latin_skeleton(" - 12 ' "), "");
        assert_eq!(latin_skeleton("محمد"), "");
    }

    #[test]
    fn uzbek_tajik_kazakh_and_kyrgyz_spellings_meet() {
        check_same_skeleton(&["Ўткир", "Oʻtkir", "O'tkir", "Utkir", "Уткир"]);
        check_same_skeleton(&["Ғуломов", "Gʻulomov", "G'ulomov", "Gulomov", "Ghulomov"]);
        check_same_skeleton(&["Қодиров", "Qodirov", "Кодиров", "Kodirov"]);
        check_same_skeleton(&["Жамшид", "Jamshid", "Джамшид", "Dzhamshid", "Djamshid"]);
        check_same_skeleton(&["Ҷӯраев", "Juraev", "Джураев", "Dzhuraev", "Joʻrayev"]);
        check_same_skeleton(&["Азизжон", "Azizjon", "Азизджон", "Azizdzhon"]);
        check_same_skeleton(&["Жеңіс", "Zhenis", "Женис", "Jeñis"]);
        check_same_skeleton(&["Садыков", "Sadikov", "Sadykov", "Sadıkov"]);
        check_same_skeleton(&["Ҳасан", "Hasan", "Хасан", "Khasan", "Xasan"]);
        check_same_skeleton(&["Қуръон", "Qurʼon", "Kuryon"]);
        check_same_skeleton(&["Исҳоқ", "Isʼhoq", "Исхок", "Iskhok"]);
        check_same_skeleton(&["Жданов", "Zhdanov", "Jdanov", "Ždanov"]);
        check_same_skeleton(&["Ходжиев", "Xojiyev", "Khodzhiev", "Hodjiev", "Хожиев"]);
        check_same_skeleton(&["Ковалёв", "Ковальов", "Kovalyov", "Kovalev"]);
    }

    #[test]
    fn scheme_spellings_meet() {
        check_same_skeleton(&["Наталья", "Natalya", "Natalia", "Natal'ya", "Natalʹja", "Natal'ja", "NATALIA"]);
        check_same_skeleton(&["Дмитрий", "Dmitriy", "Dmitrii", "Dmitrij", "Dmitry", "Dmitriĭ"]);
        check_same_skeleton(&["Артём", "Artyom", "Artem", "Artiom", "Artjom", "Artëm", "Artyem"]);
        check_same_skeleton(&["Елена", "Yelena", "Elena", "Jelena"]);
        check_same_skeleton(&["Сергей", "Sergei", "Sergey", "Sergej", "Serguei"]);
        check_same_skeleton(&["Кузнецов", "Kuznetsov", "Kuznecov", "Kuznetcov", "Kouznetsov"]);
        check_same_skeleton(&["Максим", "Maksim", "Maxim"]);
        check_same_skeleton(&["Шевченко", "Shevchenko", "Ševčenko", "Chevtchenko"]);
        check_same_skeleton(&["Эмир", "Emir", "Èmir", "Ėmir", "Ehmir", "E`mir"]);
        check_same_skeleton(&["Ульяна", "Ul'yana", "Ulyana", "Uliana", "Ouliana"]);
        check_same_skeleton(&["Битцевский", "Bitsevsky", "Bitcevskij"]);
    }

    #[test]
    fn decomposed_and_stressed_input_is_read_like_composed_input() {
        check_same_skeleton(&["Андрей", "Андреи\u{306}", "Андре\u{301}й"]);
        check_same_skeleton(&["Ališer", "Alis\u{30C}er"]);
    }

    #[test]
    fn different_names_stay_apart() {
        let names = [
            "Иванов",
            "Петров",
            "Сидоров",
            "Камиль",
            "Шамиль",
            "Цой",
            "Ким",
            "Ли",
            "Юсупов",
            "Усупов",
            "Алишер",
            "Алиев",
            "Жуков",
            "Лужков",
            "Ахмедов",
            "Махмудов",
        ];
        let mut keys: Vec<String> = names.iter().map(|name| latin_skeleton(name)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), names.len(), "{keys:?}");
    }
}

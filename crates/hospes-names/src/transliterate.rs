//! The table-driven transliteration engine.

use crate::Scheme;
use crate::characters::{compose_cyrillic_letter, is_combining_mark, lowercase_letter};
use crate::tables::{SchemeTable, russian_letter_index};

/// Transliterates Cyrillic text to Latin with `scheme`.
///
/// The text is read word by word (a word is a run of letters and digits, with any combining
/// marks on them), so that context rules can see the neighbouring letters and word endings.
/// Letters the scheme has no value for, and everything that is not a letter, are copied
/// unchanged; Latin text therefore passes through untouched.
///
/// Case follows the source: a word written all in capitals (or a one-letter word in a text
/// written all in capitals) is written all in capitals (`ЮСУПОВ` → `YUSUPOV`); otherwise a
/// capital letter capitalises only the first letter of its output (`Щеглова` → `Shcheglova`).
pub fn transliterate(text: &str, scheme: Scheme) -> String {
    let table = scheme.table();
    let characters: Vec<char> = text.chars().collect();
    let text_is_all_caps = is_all_caps(&characters);
    let mut output = String::with_capacity(text.len() + text.len() / 2);
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        if !character.is_alphanumeric() {
            output.push(character);
            index += 1;
            continue;
        }
        let word_start = index;
        while index < characters.len() && (characters[index].is_alphanumeric() || is_combining_mark(characters[index]))
        {
            index += 1;
        }
        transliterate_word(&characters[word_start..index], table, text_is_all_caps, &mut output);
    }
    output
}

/// One letter of a word together with the combining marks written after it.
struct WordLetter {
    original: char,
    lowercase: char,
    /// Positions (in the word) of the combining marks that follow the letter.
    marks: std::ops::Range<usize>,
}

/// Whether a text contains at least two cased letters and no lowercase one.
fn is_all_caps(characters: &[char]) -> bool {
    let mut uppercase_count = 0;
    for character in characters {
        if character.is_lowercase() {
            return false;
        }
        if character.is_uppercase() {
            uppercase_count += 1;
        }
    }
    uppercase_count >= 2
}

/// Splits a word into letters, composing decomposed Cyrillic letters (и + ◌̆ → й) so the
/// tables see them, and keeping every other combining mark with the letter it follows.
fn split_into_letters(word: &[char]) -> Vec<WordLetter> {
    let mut letters: Vec<WordLetter> = Vec::with_capacity(word.len());
    for (position, &character) in word.iter().enumerate() {
        if is_combining_mark(character) && !letters.is_empty() {
            if let Some(last) = letters.last_mut() {
                if last.marks.is_empty()
                    && let Some(composed) = compose_cyrillic_letter(last.original, character)
                {
                    last.original = composed;
                    last.lowercase = lowercase_letter(composed);
                    last.marks = position + 1..position + 1;
                } else {
                    last.marks.end = position + 1;
                }
            }
            continue;
        }
        letters.push(WordLetter {
            original: character,
            lowercase: lowercase_letter(character),
            marks: position + 1..position + 1,
        });
    }
    letters
}

fn transliterate_word(word: &[char], table: &SchemeTable, text_is_all_caps: bool, output: &mut String) {
    let letters = split_into_letters(word);
    let has_lowercase = letters.iter().any(|letter| letter.original.is_lowercase());
    let uppercase_count = letters.iter().filter(|letter| letter.original.is_uppercase()).count();
    let word_is_all_caps = !has_lowercase && (uppercase_count >= 2 || (uppercase_count == 1 && text_is_all_caps));

    let letter_count = letters.len();
    let ending_output = if letter_count > 2 {
        let ending = [letters[letter_count - 2].lowercase, letters[letter_count - 1].lowercase];
        table.ending_rules.iter().find(|rule| rule.ending == ending).map(|rule| rule.output)
    } else {
        None
    };
    let letters_before_ending = if ending_output.is_some() { letter_count - 2 } else { letter_count };

    for index in 0..letters_before_ending {
        let letter = &letters[index];
        let previous = index.checked_sub(1).map(|before| letters[before].lowercase);
        let next = letters.get(index + 1).map(|after| after.lowercase);
        match letter_output(table, letter.lowercase, previous, next) {
            Some(text) => push_with_case(output, text, letter.original.is_uppercase(), word_is_all_caps),
            None => output.push(letter.original),
        }
        output.extend(&word[letter.marks.clone()]);
    }
    if let Some(text) = ending_output {
        let first_ending_letter = &letters[letter_count - 2];
        push_with_case(output, text, first_ending_letter.original.is_uppercase(), word_is_all_caps);
        for letter in &letters[letter_count - 2..] {
            output.extend(&word[letter.marks.clone()]);
        }
    }
}

/// The lowercase output for one letter, applying the scheme's context rules first.
/// `previous` is `None` at the start of a word. Returns `None` for letters the scheme does
/// not know, which the caller copies unchanged.
fn letter_output(
    table: &SchemeTable,
    letter: char,
    previous: Option<char>,
    next: Option<char>,
) -> Option<&'static str> {
    let previous_rule = table.previous_letter_rules.iter().find(|rule| {
        rule.letter == letter
            && match previous {
                None => rule.at_word_start,
                Some(previous) => rule.after_any_of.contains(previous),
            }
    });
    if let Some(rule) = previous_rule {
        return Some(rule.output);
    }
    let next_rule = table
        .next_letter_rules
        .iter()
        .find(|rule| rule.letter == letter && next.is_some_and(|next| rule.before_any_of.contains(next)));
    if let Some(rule) = next_rule {
        return Some(rule.output);
    }
    if let Some(index) = russian_letter_index(letter) {
        return Some(table.russian_letters[index].1);
    }
    table
        .own_extra_letters
        .iter()
        .chain(table.fallback_letters)
        .find(|(extra_letter, _)| *extra_letter == letter)
        .map(|(_, text)| *text)
}

/// Appends `text` (lowercase) in the case of its source letter.
fn push_with_case(output: &mut String, text: &str, source_is_uppercase: bool, word_is_all_caps: bool) {
    if !source_is_uppercase {
        output.push_str(text);
    } else if word_is_all_caps {
        output.extend(text.chars().flat_map(char::to_uppercase));
    } else {
        let mut characters = text.chars();
        if let Some(first) = characters.next() {
            output.extend(first.to_uppercase());
            output.push_str(characters.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts one transliteration, naming the scheme and input on failure.
    fn check(input: &str, scheme: Scheme, expected: &str) {
        assert_eq!(transliterate(input, scheme), expected, "{input:?} with {}", scheme.id());
    }

    #[test]
    fn icao_doc_9303() {
        let scheme = Scheme::IcaoDoc9303;
        check("Юсупов", scheme, "Iusupov");
        check("ЮСУПОВ", scheme, "IUSUPOV");
        check("Щеглова", scheme, "Shcheglova");
        check("ЩЕГЛОВА", scheme, "SHCHEGLOVA");
        check("Ян Разъездной", scheme, "Ian Razieezdnoi");
        check("Артём Краевой", scheme, "Artem Kraevoi");
        check("Бахтиёрович", scheme, "Bakhtierovich");
        check("Хусейн", scheme, "Khusein");
        check("Ғайратжон Қодиров", scheme, "Gairatzhon Kodirov");
        check("Жеңіс Әлиұлы", scheme, "Zhenis Aliuly");
    }

    #[test]
    fn gost_52535() {
        let scheme = Scheme::Gost52535;
        check("Юлия Щеглова", scheme, "Iuliia Shcheglova");
        check("Кузнецов", scheme, "Kuznetcov");
        check("Подъячев", scheme, "Podiachev");
    }

    #[test]
    fn mvd_310() {
        let scheme = Scheme::Mvd310;
        check("Гайа Васильева", scheme, "Gaya Vasilyeva");
        check("Андрей Видный", scheme, "Andrey Vidnyy");
        check("Игорь Ильин", scheme, "Igor' Il'in");
        check("Объедков", scheme, "Obyedkov");
    }

    #[test]
    fn mvd_310_french() {
        let scheme = Scheme::Mvd310French;
        check("Юрий Васин", scheme, "Iourii Vasine");
        check("Оксана Снегирёва", scheme, "Oxana Sneguireva");
        check("Шевченко", scheme, "Chevtchenko");
        check("Жуков", scheme, "Joukov");
        check("Георгий", scheme, "Gueorguii");
        check("Ин", scheme, "In");
    }

    #[test]
    fn mvd_782() {
        let scheme = Scheme::Mvd782;
        check("Артём Краевой", scheme, "Artyem Krayevoy");
        check("Чёткий Щёкин", scheme, "Chetkiy Shchekin");
        check("Игорь Ильин", scheme, "Igor' Ilyin");
        check("Оксана Клеёнкина", scheme, "Oksana Kleyonkina");
    }

    #[test]
    fn bgn_pcgn() {
        let scheme = Scheme::BgnPcgn;
        check("Елизово", scheme, "Yelizovo");
        check("Ёлкин", scheme, "Yëlkin");
        check("Семёнов", scheme, "Semënov");
        check("Юрьев объезд", scheme, "Yur’yev ob”yezd");
        check("Тыайа", scheme, "Ty·ay·a");
        check("Улан-Удэ", scheme, "Ulan-Ud·e");
        check("Вяртсиля", scheme, "Vyart·silya");
        check("ЕЛИЗОВО", scheme, "YELIZOVO");
        check("Ғафуров", scheme, "Ghafurov");
    }

    #[test]
    fn bgn_pcgn_alternative() {
        let scheme = Scheme::BgnPcgnAlternative;
        check("Тыайа", scheme, "Tyaya");
        check("Чапаевск", scheme, "Chapayevsk");
        check("Вяртсиля", scheme, "Vyartsilya");
    }

    #[test]
    fn gost_779() {
        let scheme = Scheme::Gost779;
        check("Юсупов", scheme, "Ûsupov");
        check("Щеглова", scheme, "Ŝeglova");
        check("Алишер", scheme, "Ališer");
        check("Жуков Ёрш", scheme, "Žukov Ërš");
        check("ЯНА", scheme, "ÂNA");
        check("Ғайрат", scheme, "Ġajrat");
        check("Қодиров", scheme, "Ķodirov");
        check("Әлия", scheme, "A\u{30B}liâ");
    }

    #[test]
    fn gost_779_alternative() {
        let scheme = Scheme::Gost779Alternative;
        check("Цыганов", scheme, "Cy`ganov");
        check("Кузнецов", scheme, "Kuzneczov");
        check("Эмир Хасанов", scheme, "E`mir Xasanov");
        check("Щукарь", scheme, "Shhukar`");
    }

    #[test]
    fn ala_lc() {
        let scheme = Scheme::AlaLc;
        check("Юлия", scheme, "I\u{361}ulii\u{361}a");
        check("Цой Йошкар", scheme, "T\u{361}soĭ Ĭoshkar");
        check("Эмир", scheme, "Ėmir");
    }

    #[test]
    fn ala_lc_alternative() {
        let scheme = Scheme::AlaLcAlternative;
        check("Юлия Цой", scheme, "Iuliia Tsoi");
        check("Подъезд", scheme, "Pod\"ezd");
    }

    #[test]
    fn scientific() {
        let scheme = Scheme::Scientific;
        check("Юлия Щеглова", scheme, "Julija Ščeglova");
        check("Хусейн", scheme, "Xusejn");
    }

    #[test]
    fn wikipedia() {
        let scheme = Scheme::Wikipedia;
        check("Ельцин", scheme, "Yeltsin");
        check("Юрьев", scheme, "Yuryev");
        check("Дмитрий Великий", scheme, "Dmitry Veliky");
        check("Ильинский", scheme, "Ilyinsky");
        check("Артём", scheme, "Artyom");
        check("Ли", scheme, "Li");
    }

    #[test]
    fn telegram() {
        let scheme = Scheme::Telegram;
        check("Жуков", scheme, "Jukov");
        check("Щукин Хасан", scheme, "Scukin Hasan");
        check("Юлия", scheme, "Iuliia");
    }

    #[test]
    fn yandex_money() {
        let scheme = Scheme::YandexMoney;
        check("Иван Брызгальский", scheme, "Ivan Bryzgalskii");
        check("Юлия Щеглова", scheme, "Yuliya Scheglova");
    }

    #[test]
    fn yandex_maps() {
        let scheme = Scheme::YandexMaps;
        check("Новый Уренгой", scheme, "Noviy Urengoy");
        check("Подъездной", scheme, "Podyezdnoy");
        check("Елабуга", scheme, "Yelabuga");
    }

    #[test]
    fn mosmetro() {
        let scheme = Scheme::Mosmetro;
        check("Битцевский парк", scheme, "Bitsevsky park");
        check("Воробьёвы горы", scheme, "Vorobyovy gory");
        check("Площадь Ильича", scheme, "Ploschad Ilyicha");
    }

    #[test]
    fn uzbek() {
        let scheme = Scheme::Uzbek;
        check("Ўткир Ғуломов", scheme, "Oʻtkir Gʻulomov");
        check("ЎТКИР", scheme, "OʻTKIR");
        check("Қодиров Ҳасан", scheme, "Qodirov Hasan");
        check("Хусейн", scheme, "Xuseyn");
        check("Бахтиёрович", scheme, "Baxtiyorovich");
        check("Жамшид", scheme, "Jamshid");
        check("Ерлан Цой", scheme, "Yerlan Soy");
        check("Поезд лицей", scheme, "Poyezd litsey");
        check("истеъмол", scheme, "isteʼmol");
        check("Щукин Ильич", scheme, "Shukin Ilich");
    }

    #[test]
    fn gost_52290() {
        let scheme = Scheme::Gost52290;
        check("Ё Крё Мякоё", scheme, "Yo Krye Myakoyo");
        check("Чёрный", scheme, "Chernyy");
    }

    #[test]
    fn gost_7034() {
        check("Хрущёв", Scheme::Gost7034, "Xrushhyov");
    }

    #[test]
    fn gost_16876() {
        check("Щукин", Scheme::Gost16876, "Ŝukin");
        check("Йошкар Эхо", Scheme::Gost16876Alternative, "Jjoshkar Ehkho");
    }

    #[test]
    fn iso_9_1954_and_1968() {
        check("Щёкин", Scheme::Iso9Of1954, "Ščëkin");
        check("Объезд", Scheme::Iso9Of1954, "Ob\"ezd");
        check("Объезд", Scheme::Iso9Of1968, "Obʺezd");
        check("Николай", Scheme::Iso9Of1968Alternative, "Nykolaĭ");
    }

    #[test]
    fn ungegn_1987() {
        check("Эмма Жукова", Scheme::Ungegn1987, "Èmma Žukova");
    }

    #[test]
    fn british_standard_2979() {
        check("Дмитрий Быков", Scheme::BritishStandard2979, "Dmitry Bȳkov");
        check("Дмитрий Быков", Scheme::BritishStandard2979Alternative, "Dmitry Bykov");
    }

    #[test]
    fn central_asian_letters_use_the_scheme_family_values() {
        check("Қайрат Ғани", Scheme::Wikipedia, "Qayrat Ghani");
        check("Ҷӯраев Ҳамид", Scheme::BgnPcgn, "Jurayev Hamid");
        check("Ҷӯраев Ҳамид", Scheme::Mvd310, "Juraev Hamid");
        check("Ғани Әлия", Scheme::AlaLc, "Ghani Ălii\u{361}a");
        check("Ўғил Ұлан Үміт Ңң", Scheme::IcaoDoc9303, "Ugil Ulan Umit Nn");
        check("Ўғил Ұлан Үміт", Scheme::Gost779, "Ǔġil U\u{307}lan Ùmìt");
        check("Һәкім", Scheme::Wikipedia, "Hakim");
    }

    #[test]
    fn case_handling() {
        let scheme = Scheme::Wikipedia;
        check("ЮСУПОВ Алишер", scheme, "YUSUPOV Alisher");
        check("Ю. ЮСУПОВ", scheme, "YU. YUSUPOV");
        check("Ю. Юсупов", scheme, "Yu. Yusupov");
        check("Я", scheme, "Ya");
        // Inverted case is not guessed at: each capital capitalises only its own output.
        check("мАРИЯ", scheme, "mARIYa");
        check("Мак-Шейн", scheme, "Mak-Sheyn");
    }

    #[test]
    fn non_cyrillic_text_passes_through() {
        for scheme in Scheme::ALL {
            check("Ivanov, John 42 (ʻ) – ok", scheme, "Ivanov, John 42 (ʻ) – ok");
            check("", scheme, "");
        }
        check("Ivanov Иван", Scheme::IcaoDoc9303, "Ivanov Ivan");
        check("李 Ли", Scheme::IcaoDoc9303, "李 Li");
    }

    #[test]
    fn stress_marks_stay_with_their_letter() {
        check("Смирно\u{301}в", Scheme::IcaoDoc9303, "Smirno\u{301}v");
        check("Ю\u{301}рий", Scheme::Wikipedia, "Yu\u{301}ry");
    }

    #[test]
    fn decomposed_letters_are_composed() {
        check("Андреи\u{306}", Scheme::Wikipedia, "Andrey");
        check("Семе\u{308}нов", Scheme::Wikipedia, "Semyonov");
        check("У\u{306}ткир", Scheme::Uzbek, "Oʻtkir");
    }

    #[test]
    fn central_asian_letters_in_every_scheme_produce_no_cyrillic() {
        let text = "ЎўҒғҚқҲҳӮӯӢӣҶҷӘәӨөҮүҰұҢңҺһІі";
        for scheme in Scheme::ALL {
            let output = transliterate(text, scheme);
            assert!(!output.chars().any(crate::characters::is_cyrillic), "{}: {output}", scheme.id());
        }
    }

    #[test]
    fn russian_and_extra_letters_never_stay_cyrillic() {
        let lowercase: String = crate::tables::RUSSIAN_ALPHABET.iter().collect();
        let text = format!("{lowercase} {} єїґђјљњћџѓќѕ", lowercase.to_uppercase());
        for scheme in Scheme::ALL {
            let output = transliterate(&text, scheme);
            assert!(!output.chars().any(crate::characters::is_cyrillic), "{}: {output}", scheme.id());
        }
    }
}

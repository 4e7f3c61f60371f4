//! Transliteration tables, one per scheme, written out as Rust data.
//!
//! The facts (which Cyrillic letter becomes which Latin string, and which context rules a
//! scheme has) come from the published standards, as documented by the iuliia project.
//! Every table lists the 33 letters of the Russian alphabet in alphabetical order, so a
//! reviewer can compare it line by line with the standard; letters of other Cyrillic
//! alphabets (Uzbek, Tajik, Kazakh, Kyrgyz, and a few Ukrainian, Belarusian, Serbian and
//! Macedonian ones) come from one of the shared fallback tables at the end of this file.

/// The 33 letters of the Russian alphabet in alphabetical order, lowercase (the order of
/// every [`RussianLetterTable`], checked by the tests).
#[cfg(test)]
pub(crate) const RUSSIAN_ALPHABET: [char; 33] = [
    'а', 'б', 'в', 'г', 'д', 'е', 'ё', 'ж', 'з', 'и', 'й', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т', 'у', 'ф', 'х',
    'ц', 'ч', 'ш', 'щ', 'ъ', 'ы', 'ь', 'э', 'ю', 'я',
];

/// Output for every Russian letter, in the order of [`RUSSIAN_ALPHABET`].
pub(crate) type RussianLetterTable = [(char, &'static str); 33];

/// Output for letters outside the Russian alphabet; looked up by linear search.
pub(crate) type ExtraLetterTable = &'static [(char, &'static str)];

/// Position of a lowercase Russian letter in [`RUSSIAN_ALPHABET`].
pub(crate) fn russian_letter_index(letter: char) -> Option<usize> {
    match letter {
        'а'..='е' => Some(letter as usize - 'а' as usize),
        'ё' => Some(6),
        'ж'..='я' => Some(letter as usize - 'ж' as usize + 7),
        _ => None,
    }
}

/// A letter whose output depends on the letter before it (or on standing first in a word).
pub(crate) struct PreviousLetterRule {
    pub(crate) letter: char,
    /// Lowercase letters after which the rule applies.
    pub(crate) after_any_of: &'static str,
    /// Whether the rule also applies to the first letter of a word.
    pub(crate) at_word_start: bool,
    pub(crate) output: &'static str,
}

/// A letter whose output depends on the letter after it.
pub(crate) struct NextLetterRule {
    pub(crate) letter: char,
    /// Lowercase letters before which the rule applies.
    pub(crate) before_any_of: &'static str,
    pub(crate) output: &'static str,
}

/// The last two letters of a word (of at least three letters) written as one unit.
pub(crate) struct EndingRule {
    pub(crate) ending: [char; 2],
    pub(crate) output: &'static str,
}

/// Everything the engine needs to know about one scheme.
pub(crate) struct SchemeTable {
    pub(crate) russian_letters: &'static RussianLetterTable,
    /// Scheme-specific values for non-Russian letters; consulted before `fallback_letters`.
    pub(crate) own_extra_letters: ExtraLetterTable,
    /// Shared values for non-Russian letters.
    pub(crate) fallback_letters: ExtraLetterTable,
    pub(crate) previous_letter_rules: &'static [PreviousLetterRule],
    pub(crate) next_letter_rules: &'static [NextLetterRule],
    pub(crate) ending_rules: &'static [EndingRule],
}

// Letter sets used by context rules. Extra vowels of the Central Asian alphabets are added
// where a rule says "after a vowel", so that the rule keeps its meaning for those languages.

/// Vowels, й, ъ and ь: BGN/PCGN writes е and ё as ye and yë after these.
const BGN_PCGN_IOTATION_TRIGGERS: &str = "аеёийоуъыьэюяәөүұӯӣіў";
/// Vowels: BGN/PCGN separates a following ы with a middle dot.
const BGN_PCGN_VOWELS: &str = "аеёиоуыэюяәөүұӯӣіў";
/// Consonants: BGN/PCGN separates a following э with a middle dot.
const BGN_PCGN_CONSONANTS: &str = "бвгджзклмнпрстфхцчшщ";
/// Vowels and both signs: GOST R 52290 and MVD 782 write е as ye after these.
const GOST_52290_IOTATION_TRIGGERS: &str = "аеёиоуъыьэюяәөүұӯӣіў";
/// Consonants after which GOST R 52290 and MVD 782 write ё as ye.
const GOST_52290_YE_CONSONANTS: &str = "бвгдзклмнпрстфхц";
/// Hushing consonants after which GOST R 52290 and MVD 782 write ё as plain e.
const HUSHING_CONSONANTS: &str = "жчшщ";
/// Vowels and both signs: the Wikipedia system writes е as ye after these.
const WIKIPEDIA_IOTATION_TRIGGERS: &str = "аиоуэюяьъәөүұӯӣіў";
/// Vowels: Yandex.Maps writes е as ye after these.
const YANDEX_MAPS_IOTATION_TRIGGERS: &str = "аиоуэюяәөүұӯӣіў";
/// Vowels: the Uzbek alphabet writes е as ye after these, and ц as ts.
const UZBEK_VOWELS: &str = "аеёиоуэюяў";

// ---------------------------------------------------------------------------------------
// Russian letter tables.
// ---------------------------------------------------------------------------------------

/// ICAO Doc 9303 (machine-readable travel documents), used in Russian passports since 2014.
#[rustfmt::skip]
pub(crate) static ICAO_DOC_9303_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "ie"),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "iu"), ('я', "ia"),
];

/// GOST R 52535.1-2006, Russian passports 2010-2014: ICAO with tc for ц and no hard sign.
#[rustfmt::skip]
pub(crate) static GOST_52535_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "tc"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "iu"), ('я', "ia"),
];

/// MVD order 310 of 1997, Russian passports 1997-2010 (English variant).
#[rustfmt::skip]
pub(crate) static MVD_310_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "\""),
    ('ы', "y"), ('ь', "'"), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// MVD order 310 of 1997, French variant (used for older passports).
#[rustfmt::skip]
pub(crate) static MVD_310_FRENCH_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "j"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "ou"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "tch"), ('ш', "ch"), ('щ', "chtch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "iou"), ('я', "ia"),
];

/// MVD order 782 of 2000 (driving licences); GOST R 52290-2004 uses the same letters.
#[rustfmt::skip]
pub(crate) static MVD_782_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "'"),
    ('ы', "y"), ('ь', "'"), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// BGN/PCGN 1947 (US and UK geographic names boards). Hard and soft signs are curly quotes.
#[rustfmt::skip]
pub(crate) static BGN_PCGN_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "\u{201D}"),
    ('ы', "y"), ('ь', "\u{2019}"), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// ISO 9:1995, adopted as GOST 7.79-2000 system A: one Latin letter per Cyrillic letter.
/// GOST 16876-71 uses the same letters.
#[rustfmt::skip]
pub(crate) static GOST_779_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "ž"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "h"), ('ц', "c"), ('ч', "č"), ('ш', "š"), ('щ', "ŝ"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "è"), ('ю', "û"), ('я', "â"),
];

/// GOST 7.79-2000 system B: ASCII only, with backticks for signs and for ы and э.
#[rustfmt::skip]
pub(crate) static GOST_779_ALTERNATIVE_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "x"), ('ц', "cz"), ('ч', "ch"), ('ш', "sh"), ('щ', "shh"), ('ъ', "``"),
    ('ы', "y`"), ('ь', "`"), ('э', "e`"), ('ю', "yu"), ('я', "ya"),
];

/// ALA-LC (Library of Congress), with its tie bars and diacritics.
#[rustfmt::skip]
pub(crate) static ALA_LC_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "ĭ"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "t\u{361}s"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "ė"), ('ю', "i\u{361}u"), ('я', "i\u{361}a"),
];

/// ALA-LC without diacritics or tie bars, as commonly typed.
#[rustfmt::skip]
pub(crate) static ALA_LC_ALTERNATIVE_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "\""),
    ('ы', "y"), ('ь', "'"), ('э', "e"), ('ю', "iu"), ('я', "ia"),
];

/// The scholarly (linguistic) transliteration.
#[rustfmt::skip]
pub(crate) static SCIENTIFIC_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "ž"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "x"), ('ц', "c"), ('ч', "č"), ('ш', "š"), ('щ', "šč"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "è"), ('ю', "ju"), ('я', "ja"),
];

/// The system of the English Wikipedia (a simplified BGN/PCGN).
#[rustfmt::skip]
pub(crate) static WIKIPEDIA_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// The informal system of the Telegram messenger (and of much informal typing).
#[rustfmt::skip]
pub(crate) static TELEGRAM_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "j"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "h"), ('ц', "c"), ('ч', "ch"), ('ш', "sh"), ('щ', "sc"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "iu"), ('я', "ia"),
];

/// Yandex.Money (bank card holder names).
#[rustfmt::skip]
pub(crate) static YANDEX_MONEY_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "sch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// Yandex.Maps (street and place names).
#[rustfmt::skip]
pub(crate) static YANDEX_MAPS_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "sch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// The Moscow Metro map (2016 and later).
#[rustfmt::skip]
pub(crate) static MOSMETRO_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "sch"), ('ъ', ""),
    ('ы', "y"), ('ь', ""), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// Uzbek Cyrillic to the Uzbek Latin alphabet of 1995 (as amended), for Russian letters.
/// The soft sign is dropped, as Uzbek Latin spelling does.
#[rustfmt::skip]
pub(crate) static UZBEK_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "j"), ('з', "z"), ('и', "i"), ('й', "y"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "x"), ('ц', "s"), ('ч', "ch"), ('ш', "sh"), ('щ', "sh"), ('ъ', "ʼ"),
    ('ы', "i"), ('ь', ""), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// GOST R 7.0.34-2014 (simplified transliteration for bibliographic data), first options.
#[rustfmt::skip]
pub(crate) static GOST_7034_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "yo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "x"), ('ц', "c"), ('ч', "ch"), ('ш', "sh"), ('щ', "shh"), ('ъ', "''"),
    ('ы', "y"), ('ь', "'"), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

/// GOST 16876-71 table 2 (ASCII), with j-based iotation.
#[rustfmt::skip]
pub(crate) static GOST_16876_ALTERNATIVE_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "jo"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "jj"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "c"), ('ч', "ch"), ('ш', "sh"), ('щ', "shh"), ('ъ', "\""),
    ('ы', "y"), ('ь', "'"), ('э', "eh"), ('ю', "ju"), ('я', "ja"),
];

/// ISO/R 9:1954.
#[rustfmt::skip]
pub(crate) static ISO_9_1954_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "ž"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "h"), ('ц', "c"), ('ч', "č"), ('ш', "š"), ('щ', "šč"), ('ъ', "\""),
    ('ы', "y"), ('ь', "ʹ"), ('э', "ė"), ('ю', "ju"), ('я', "ja"),
];

/// ISO/R 9:1968.
#[rustfmt::skip]
pub(crate) static ISO_9_1968_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "ž"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "h"), ('ц', "c"), ('ч', "č"), ('ш', "š"), ('щ', "šč"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "ė"), ('ю', "ju"), ('я', "ja"),
];

/// ISO/R 9:1968, the English-oriented alternative (и as y, й as ĭ).
#[rustfmt::skip]
pub(crate) static ISO_9_1968_ALTERNATIVE_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "zh"), ('з', "z"), ('и', "y"), ('й', "ĭ"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "ė"), ('ю', "yu"), ('я', "ya"),
];

/// UNGEGN resolution V/18 of 1987.
#[rustfmt::skip]
pub(crate) static UNGEGN_1987_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "ž"), ('з', "z"), ('и', "i"), ('й', "j"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "h"), ('ц', "c"), ('ч', "č"), ('ш', "š"), ('щ', "šč"), ('ъ', "ʺ"),
    ('ы', "y"), ('ь', "ʹ"), ('э', "è"), ('ю', "ju"), ('я', "ja"),
];

/// British Standard 2979:1958 (Oxford University Press form, ы as ȳ).
#[rustfmt::skip]
pub(crate) static BRITISH_STANDARD_2979_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "ë"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "ĭ"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "ʺ"),
    ('ы', "ȳ"), ('ь', "ʹ"), ('э', "é"), ('ю', "yu"), ('я', "ya"),
];

/// British Standard 2979:1958 without diacritics.
#[rustfmt::skip]
pub(crate) static BRITISH_STANDARD_2979_ALTERNATIVE_LETTERS: RussianLetterTable = [
    ('а', "a"), ('б', "b"), ('в', "v"), ('г', "g"), ('д', "d"), ('е', "e"), ('ё', "e"),
    ('ж', "zh"), ('з', "z"), ('и', "i"), ('й', "i"), ('к', "k"), ('л', "l"), ('м', "m"),
    ('н', "n"), ('о', "o"), ('п', "p"), ('р', "r"), ('с', "s"), ('т', "t"), ('у', "u"),
    ('ф', "f"), ('х', "kh"), ('ц', "ts"), ('ч', "ch"), ('ш', "sh"), ('щ', "shch"), ('ъ', "\""),
    ('ы', "y"), ('ь', "'"), ('э', "e"), ('ю', "yu"), ('я', "ya"),
];

// ---------------------------------------------------------------------------------------
// Context rules.
// ---------------------------------------------------------------------------------------

const NO_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[];
const NO_NEXT_LETTER_RULES: &[NextLetterRule] = &[];
const NO_ENDING_RULES: &[EndingRule] = &[];
const NO_EXTRA_LETTERS: ExtraLetterTable = &[];

/// MVD 310: е after a sign is ye, and the sign itself disappears.
const MVD_310_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] =
    &[PreviousLetterRule { letter: 'е', after_any_of: "ъь", at_word_start: false, output: "ye" }];
const MVD_310_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'ъ', before_any_of: "е", output: "" },
    NextLetterRule { letter: 'ь', before_any_of: "е", output: "" },
];

/// MVD 310 French: gu before front vowels keeps г hard, кс is x, ье is ie.
const MVD_310_FRENCH_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: "г", at_word_start: false, output: "ue" },
    PreviousLetterRule { letter: 'и', after_any_of: "г", at_word_start: false, output: "ui" },
    PreviousLetterRule { letter: 'ы', after_any_of: "г", at_word_start: false, output: "uy" },
    PreviousLetterRule { letter: 'е', after_any_of: "ь", at_word_start: false, output: "ie" },
    PreviousLetterRule { letter: 'с', after_any_of: "к", at_word_start: false, output: "x" },
];
const MVD_310_FRENCH_NEXT_LETTER_RULES: &[NextLetterRule] =
    &[NextLetterRule { letter: 'к', before_any_of: "с", output: "" }];
const MVD_310_FRENCH_ENDING_RULES: &[EndingRule] = &[EndingRule { ending: ['и', 'н'], output: "ine" }];

/// GOST R 52290 and MVD 782: ye after vowels and signs; ё is ye after most consonants.
const GOST_52290_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: GOST_52290_IOTATION_TRIGGERS, at_word_start: false, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: GOST_52290_YE_CONSONANTS, at_word_start: false, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: HUSHING_CONSONANTS, at_word_start: false, output: "e" },
];
const GOST_52290_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'ъ', before_any_of: "её", output: "" },
    NextLetterRule { letter: 'ь', before_any_of: "её", output: "" },
];

/// MVD 782 adds ьи → yi to the GOST R 52290 rules.
const MVD_782_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: GOST_52290_IOTATION_TRIGGERS, at_word_start: false, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: GOST_52290_YE_CONSONANTS, at_word_start: false, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: HUSHING_CONSONANTS, at_word_start: false, output: "e" },
    PreviousLetterRule { letter: 'и', after_any_of: "ь", at_word_start: false, output: "yi" },
];
const MVD_782_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'ъ', before_any_of: "её", output: "" },
    NextLetterRule { letter: 'ь', before_any_of: "её", output: "" },
    NextLetterRule { letter: 'ь', before_any_of: "и", output: "" },
];

/// BGN/PCGN: ye and yë at word start and after vowels, й and signs.
const BGN_PCGN_ALTERNATIVE_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: BGN_PCGN_IOTATION_TRIGGERS, at_word_start: true, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: BGN_PCGN_IOTATION_TRIGGERS, at_word_start: true, output: "yë" },
];

/// BGN/PCGN with its optional middle dot, which keeps ambiguous letter pairs apart.
const BGN_PCGN_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: BGN_PCGN_IOTATION_TRIGGERS, at_word_start: true, output: "ye" },
    PreviousLetterRule { letter: 'ё', after_any_of: BGN_PCGN_IOTATION_TRIGGERS, at_word_start: true, output: "yë" },
    PreviousLetterRule { letter: 'ы', after_any_of: BGN_PCGN_VOWELS, at_word_start: false, output: "·y" },
    PreviousLetterRule { letter: 'э', after_any_of: BGN_PCGN_CONSONANTS, at_word_start: false, output: "·e" },
];
const BGN_PCGN_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'й', before_any_of: "ауыэ", output: "y·" },
    NextLetterRule { letter: 'ы', before_any_of: "ауыэ", output: "y·" },
    NextLetterRule { letter: 'т', before_any_of: "с", output: "t·" },
    NextLetterRule { letter: 'ш', before_any_of: "ч", output: "sh·" },
];

/// GOST 7.79 system B: ц before е, и, й, ы is a bare c.
const GOST_779_ALTERNATIVE_NEXT_LETTER_RULES: &[NextLetterRule] =
    &[NextLetterRule { letter: 'ц', before_any_of: "еийы", output: "c" }];

/// Wikipedia: ye at word start and after vowels and signs; signs before vowels are y.
const WIKIPEDIA_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] =
    &[PreviousLetterRule {
        letter: 'е', after_any_of: WIKIPEDIA_IOTATION_TRIGGERS, at_word_start: true, output: "ye"
    }];
const WIKIPEDIA_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'ъ', before_any_of: "аиоуыэ", output: "y" },
    NextLetterRule { letter: 'ь', before_any_of: "аиоуыэ", output: "y" },
];

/// Endings -ий and -ый written as a single y (Wikipedia, Moscow Metro, BS 2979).
const Y_ENDING_RULES: &[EndingRule] =
    &[EndingRule { ending: ['и', 'й'], output: "y" }, EndingRule { ending: ['ы', 'й'], output: "y" }];

/// Yandex.Maps: ye at word start and after vowels; ъе is ye; -ый is iy.
const YANDEX_MAPS_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[PreviousLetterRule {
    letter: 'е',
    after_any_of: YANDEX_MAPS_IOTATION_TRIGGERS,
    at_word_start: true,
    output: "ye",
}];
const YANDEX_MAPS_NEXT_LETTER_RULES: &[NextLetterRule] =
    &[NextLetterRule { letter: 'ъ', before_any_of: "е", output: "y" }];
const YANDEX_MAPS_ENDING_RULES: &[EndingRule] = &[EndingRule { ending: ['ы', 'й'], output: "iy" }];

/// Moscow Metro: тц is ts, signs before vowels are y, ьё and ъё are yo.
const MOSMETRO_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'ц', after_any_of: "т", at_word_start: false, output: "s" },
    PreviousLetterRule { letter: 'ё', after_any_of: "ьъ", at_word_start: false, output: "o" },
];
const MOSMETRO_NEXT_LETTER_RULES: &[NextLetterRule] = &[
    NextLetterRule { letter: 'ь', before_any_of: "аеёиоуэ", output: "y" },
    NextLetterRule { letter: 'ъ', before_any_of: "аеёиоуэ", output: "y" },
];

/// Uzbek Latin: ye at word start and after vowels, ts after vowels.
const UZBEK_PREVIOUS_LETTER_RULES: &[PreviousLetterRule] = &[
    PreviousLetterRule { letter: 'е', after_any_of: UZBEK_VOWELS, at_word_start: true, output: "ye" },
    PreviousLetterRule { letter: 'ц', after_any_of: UZBEK_VOWELS, at_word_start: false, output: "ts" },
];

// ---------------------------------------------------------------------------------------
// Letters outside the Russian alphabet.
// ---------------------------------------------------------------------------------------

/// Uzbek Latin values for the four letters of the Uzbek Cyrillic alphabet.
const UZBEK_OWN_LETTERS: ExtraLetterTable = &[('ў', "oʻ"), ('ғ', "gʻ"), ('қ', "q"), ('ҳ', "h")];

/// Plain ASCII letters, one per Cyrillic letter where possible, as in passports
/// (ICAO Doc 9303 for the Ukrainian, Belarusian, Serbian and Macedonian letters).
pub(crate) const PASSPORT_FALLBACK_LETTERS: ExtraLetterTable = &[
    ('ў', "u"),
    ('ғ', "g"),
    ('қ', "k"),
    ('ҳ', "h"),
    ('ӯ', "u"),
    ('ӣ', "i"),
    ('ҷ', "j"),
    ('ә', "a"),
    ('ө', "o"),
    ('ү', "u"),
    ('ұ', "u"),
    ('ң', "n"),
    ('һ', "h"),
    ('і', "i"),
    ('ї', "i"),
    ('є', "ie"),
    ('ґ', "g"),
    ('ђ', "d"),
    ('ј', "j"),
    ('љ', "lj"),
    ('њ', "nj"),
    ('ћ', "c"),
    ('џ', "dz"),
    ('ѓ', "g"),
    ('ќ', "k"),
    ('ѕ', "dz"),
];

/// ASCII with digraphs where the sound needs them (gh, ng), as in BGN/PCGN-style systems.
pub(crate) const PHONETIC_FALLBACK_LETTERS: ExtraLetterTable = &[
    ('ў', "u"),
    ('ғ', "gh"),
    ('қ', "q"),
    ('ҳ', "h"),
    ('ӯ', "u"),
    ('ӣ', "i"),
    ('ҷ', "j"),
    ('ә', "a"),
    ('ө', "o"),
    ('ү', "u"),
    ('ұ', "u"),
    ('ң', "ng"),
    ('һ', "h"),
    ('і', "i"),
    ('ї', "yi"),
    ('є', "ye"),
    ('ґ', "g"),
    ('ђ', "dj"),
    ('ј', "j"),
    ('љ', "lj"),
    ('њ', "nj"),
    ('ћ', "ch"),
    ('џ', "dzh"),
    ('ѓ', "gj"),
    ('ќ', "kj"),
    ('ѕ', "dz"),
];

/// ISO 9:1995 values (one Latin letter with diacritics per Cyrillic letter), used by the
/// ISO-derived and scholarly schemes.
pub(crate) const ISO_9_FALLBACK_LETTERS: ExtraLetterTable = &[
    ('ў', "ǔ"),
    ('ғ', "ġ"),
    ('қ', "ķ"),
    ('ҳ', "ḩ"),
    ('ӯ', "ū"),
    ('ӣ', "ī"),
    ('ҷ', "c\u{326}"),
    ('ә', "a\u{30B}"),
    ('ө', "ô"),
    ('ү', "ù"),
    ('ұ', "u\u{307}"),
    ('ң', "n\u{326}"),
    ('һ', "ḥ"),
    ('і', "ì"),
    ('ї', "ï"),
    ('є', "ê"),
    ('ґ', "g\u{300}"),
    ('ђ', "đ"),
    ('ј', "ǰ"),
    ('љ', "l\u{302}"),
    ('њ', "n\u{302}"),
    ('ћ', "ć"),
    ('џ', "d\u{302}"),
    ('ѓ', "ǵ"),
    ('ќ', "ḱ"),
    ('ѕ', "ẑ"),
];

/// ALA-LC values from its Kazakh, Kyrgyz, Uzbek, Tajik, Ukrainian, Belarusian, Serbian and
/// Macedonian tables.
pub(crate) const ALA_LC_FALLBACK_LETTERS: ExtraLetterTable = &[
    ('ў', "ŭ"),
    ('ғ', "gh"),
    ('қ', "q"),
    ('ҳ', "ḥ"),
    ('ӯ', "ū"),
    ('ӣ', "ī"),
    ('ҷ', "j"),
    ('ә', "ă"),
    ('ө', "ȯ"),
    ('ү', "u\u{307}"),
    ('ұ', "ū"),
    ('ң', "n\u{361}g"),
    ('һ', "h"),
    ('і', "ī"),
    ('ї', "ï"),
    ('є', "i\u{361}e"),
    ('ґ', "g"),
    ('ђ', "đ"),
    ('ј', "j"),
    ('љ', "lj"),
    ('њ', "nj"),
    ('ћ', "ć"),
    ('џ', "dž"),
    ('ѓ', "ǵ"),
    ('ќ', "ḱ"),
    ('ѕ', "dz"),
];

// ---------------------------------------------------------------------------------------
// Complete scheme tables.
// ---------------------------------------------------------------------------------------

/// Builds a scheme table without context rules.
const fn plain_table(russian_letters: &'static RussianLetterTable, fallback_letters: ExtraLetterTable) -> SchemeTable {
    SchemeTable {
        russian_letters,
        own_extra_letters: NO_EXTRA_LETTERS,
        fallback_letters,
        previous_letter_rules: NO_PREVIOUS_LETTER_RULES,
        next_letter_rules: NO_NEXT_LETTER_RULES,
        ending_rules: NO_ENDING_RULES,
    }
}

pub(crate) static ICAO_DOC_9303: SchemeTable = plain_table(&ICAO_DOC_9303_LETTERS, PASSPORT_FALLBACK_LETTERS);
pub(crate) static GOST_52535: SchemeTable = plain_table(&GOST_52535_LETTERS, PASSPORT_FALLBACK_LETTERS);
pub(crate) static MVD_310: SchemeTable = SchemeTable {
    previous_letter_rules: MVD_310_PREVIOUS_LETTER_RULES,
    next_letter_rules: MVD_310_NEXT_LETTER_RULES,
    ..plain_table(&MVD_310_LETTERS, PASSPORT_FALLBACK_LETTERS)
};
pub(crate) static MVD_310_FRENCH: SchemeTable = SchemeTable {
    previous_letter_rules: MVD_310_FRENCH_PREVIOUS_LETTER_RULES,
    next_letter_rules: MVD_310_FRENCH_NEXT_LETTER_RULES,
    ending_rules: MVD_310_FRENCH_ENDING_RULES,
    ..plain_table(&MVD_310_FRENCH_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static MVD_782: SchemeTable = SchemeTable {
    previous_letter_rules: MVD_782_PREVIOUS_LETTER_RULES,
    next_letter_rules: MVD_782_NEXT_LETTER_RULES,
    ..plain_table(&MVD_782_LETTERS, PASSPORT_FALLBACK_LETTERS)
};
pub(crate) static GOST_52290: SchemeTable = SchemeTable {
    previous_letter_rules: GOST_52290_PREVIOUS_LETTER_RULES,
    next_letter_rules: GOST_52290_NEXT_LETTER_RULES,
    ..plain_table(&MVD_782_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static BGN_PCGN: SchemeTable = SchemeTable {
    previous_letter_rules: BGN_PCGN_PREVIOUS_LETTER_RULES,
    next_letter_rules: BGN_PCGN_NEXT_LETTER_RULES,
    ..plain_table(&BGN_PCGN_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static BGN_PCGN_ALTERNATIVE: SchemeTable = SchemeTable {
    previous_letter_rules: BGN_PCGN_ALTERNATIVE_PREVIOUS_LETTER_RULES,
    ..plain_table(&BGN_PCGN_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static GOST_779: SchemeTable = plain_table(&GOST_779_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static GOST_779_ALTERNATIVE: SchemeTable = SchemeTable {
    next_letter_rules: GOST_779_ALTERNATIVE_NEXT_LETTER_RULES,
    ..plain_table(&GOST_779_ALTERNATIVE_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static GOST_16876: SchemeTable = plain_table(&GOST_779_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static GOST_16876_ALTERNATIVE: SchemeTable =
    plain_table(&GOST_16876_ALTERNATIVE_LETTERS, PHONETIC_FALLBACK_LETTERS);
pub(crate) static GOST_7034: SchemeTable = plain_table(&GOST_7034_LETTERS, PHONETIC_FALLBACK_LETTERS);
pub(crate) static ALA_LC: SchemeTable = plain_table(&ALA_LC_LETTERS, ALA_LC_FALLBACK_LETTERS);
pub(crate) static ALA_LC_ALTERNATIVE: SchemeTable = plain_table(&ALA_LC_ALTERNATIVE_LETTERS, PHONETIC_FALLBACK_LETTERS);
pub(crate) static SCIENTIFIC: SchemeTable = plain_table(&SCIENTIFIC_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static ISO_9_1954: SchemeTable = plain_table(&ISO_9_1954_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static ISO_9_1968: SchemeTable = plain_table(&ISO_9_1968_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static ISO_9_1968_ALTERNATIVE: SchemeTable =
    plain_table(&ISO_9_1968_ALTERNATIVE_LETTERS, PHONETIC_FALLBACK_LETTERS);
pub(crate) static UNGEGN_1987: SchemeTable = plain_table(&UNGEGN_1987_LETTERS, ISO_9_FALLBACK_LETTERS);
pub(crate) static BRITISH_STANDARD_2979: SchemeTable =
    SchemeTable { ending_rules: Y_ENDING_RULES, ..plain_table(&BRITISH_STANDARD_2979_LETTERS, ISO_9_FALLBACK_LETTERS) };
pub(crate) static BRITISH_STANDARD_2979_ALTERNATIVE: SchemeTable = SchemeTable {
    ending_rules: Y_ENDING_RULES,
    ..plain_table(&BRITISH_STANDARD_2979_ALTERNATIVE_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static WIKIPEDIA: SchemeTable = SchemeTable {
    previous_letter_rules: WIKIPEDIA_PREVIOUS_LETTER_RULES,
    next_letter_rules: WIKIPEDIA_NEXT_LETTER_RULES,
    ending_rules: Y_ENDING_RULES,
    ..plain_table(&WIKIPEDIA_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static TELEGRAM: SchemeTable = plain_table(&TELEGRAM_LETTERS, PASSPORT_FALLBACK_LETTERS);
pub(crate) static YANDEX_MONEY: SchemeTable = plain_table(&YANDEX_MONEY_LETTERS, PASSPORT_FALLBACK_LETTERS);
pub(crate) static YANDEX_MAPS: SchemeTable = SchemeTable {
    previous_letter_rules: YANDEX_MAPS_PREVIOUS_LETTER_RULES,
    next_letter_rules: YANDEX_MAPS_NEXT_LETTER_RULES,
    ending_rules: YANDEX_MAPS_ENDING_RULES,
    ..plain_table(&YANDEX_MAPS_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static MOSMETRO: SchemeTable = SchemeTable {
    previous_letter_rules: MOSMETRO_PREVIOUS_LETTER_RULES,
    next_letter_rules: MOSMETRO_NEXT_LETTER_RULES,
    ending_rules: Y_ENDING_RULES,
    ..plain_table(&MOSMETRO_LETTERS, PHONETIC_FALLBACK_LETTERS)
};
pub(crate) static UZBEK: SchemeTable = SchemeTable {
    own_extra_letters: UZBEK_OWN_LETTERS,
    previous_letter_rules: UZBEK_PREVIOUS_LETTER_RULES,
    ..plain_table(&UZBEK_LETTERS, PHONETIC_FALLBACK_LETTERS)
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const ALL_RUSSIAN_LETTER_TABLES: [&RussianLetterTable; 25] = [
        &ICAO_DOC_9303_LETTERS,
        &GOST_52535_LETTERS,
        &MVD_310_LETTERS,
        &MVD_310_FRENCH_LETTERS,
        &MVD_782_LETTERS,
        &BGN_PCGN_LETTERS,
        &GOST_779_LETTERS,
        &GOST_779_ALTERNATIVE_LETTERS,
        &ALA_LC_LETTERS,
        &ALA_LC_ALTERNATIVE_LETTERS,
        &SCIENTIFIC_LETTERS,
        &WIKIPEDIA_LETTERS,
        &TELEGRAM_LETTERS,
        &YANDEX_MONEY_LETTERS,
        &YANDEX_MAPS_LETTERS,
        &MOSMETRO_LETTERS,
        &UZBEK_LETTERS,
        &GOST_7034_LETTERS,
        &GOST_16876_ALTERNATIVE_LETTERS,
        &ISO_9_1954_LETTERS,
        &ISO_9_1968_LETTERS,
        &ISO_9_1968_ALTERNATIVE_LETTERS,
        &UNGEGN_1987_LETTERS,
        &BRITISH_STANDARD_2979_LETTERS,
        &BRITISH_STANDARD_2979_ALTERNATIVE_LETTERS,
    ];

    #[test]
    fn every_russian_letter_table_is_in_alphabetical_order() {
        for table in ALL_RUSSIAN_LETTER_TABLES {
            for (index, (letter, _)) in table.iter().enumerate() {
                assert_eq!(*letter, RUSSIAN_ALPHABET[index], "table entry {index}");
                assert_eq!(russian_letter_index(*letter), Some(index));
            }
        }
    }

    #[test]
    fn fallback_tables_cover_the_same_letters() {
        let letters = |table: ExtraLetterTable| table.iter().map(|(letter, _)| *letter).collect::<Vec<_>>();
        let passport = letters(PASSPORT_FALLBACK_LETTERS);
        assert_eq!(passport, letters(PHONETIC_FALLBACK_LETTERS));
        assert_eq!(passport, letters(ISO_9_FALLBACK_LETTERS));
        assert_eq!(passport, letters(ALA_LC_FALLBACK_LETTERS));
    }

    /// iuliia writes Latin ë as Cyrillic ё and ž with a combining caron; read both as ours.
    fn normalise_iuliia_value(value: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        value.replace('ё', "ë").replace('Ё', "Ë").nfc().collect()
    }

    /// Our context rules written the way iuliia writes them (previous-letter rules keyed by
    /// the two letters, or by the letter alone for the start of a word), Russian letters only.
    fn expand_rules(table: &SchemeTable) -> [BTreeMap<String, String>; 3] {
        let russian = |letter: char| russian_letter_index(letter).is_some();
        let mut previous = BTreeMap::new();
        for rule in table.previous_letter_rules {
            if rule.at_word_start {
                previous.entry(rule.letter.to_string()).or_insert_with(|| rule.output.to_owned());
            }
            for after in rule.after_any_of.chars().filter(|letter| russian(*letter)) {
                previous.entry(format!("{after}{}", rule.letter)).or_insert_with(|| rule.output.to_owned());
            }
        }
        let mut next = BTreeMap::new();
        for rule in table.next_letter_rules {
            for before in rule.before_any_of.chars().filter(|letter| russian(*letter)) {
                next.entry(format!("{}{before}", rule.letter)).or_insert_with(|| rule.output.to_owned());
            }
        }
        let endings =
            table.ending_rules.iter().map(|rule| (rule.ending.iter().collect(), rule.output.to_owned())).collect();
        [previous, next, endings]
    }

    fn iuliia_map(document: &serde_json::Value, field: &str) -> BTreeMap<String, String> {
        document[field]
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .map(|(key, value)| (key.clone(), normalise_iuliia_value(value.as_str().unwrap())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Compares every table with the facts in the iuliia scheme files. Deliberate
    /// differences: the Uzbek scheme also drops ь (iuliia leaves it untransliterated) and has
    /// the Uzbek alphabet's ye and ts rules, which iuliia lacks.
    #[test]
    fn tables_match_the_iuliia_scheme_files() {
        let directory = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/names/iuliia");
        if !directory.is_dir() {
            assert!(
                std::env::var_os("HOSPES_SKIP_SHARED_DATA").is_some(),
                "{} is missing; set HOSPES_SKIP_SHARED_DATA=1 to skip",
                directory.display()
            );
            return;
        }
        for scheme in crate::Scheme::ALL {
            let path = directory.join(format!("{}.json", scheme.id()));
            let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let table = scheme.table();
            let mapping = iuliia_map(&document, "mapping");
            for (index, (letter, output)) in table.russian_letters.iter().enumerate() {
                match mapping.get(&letter.to_string()) {
                    Some(expected) => assert_eq!(output, expected, "{} maps {letter} differently", scheme.id()),
                    None => assert!(
                        scheme == crate::Scheme::Uzbek && *letter == 'ь',
                        "{} has no iuliia value for {}",
                        scheme.id(),
                        RUSSIAN_ALPHABET[index]
                    ),
                }
            }
            for (letter, expected) in &mapping {
                let letter = letter.chars().next().unwrap();
                if russian_letter_index(letter).is_none() {
                    let ours = table.own_extra_letters.iter().find(|(own, _)| *own == letter);
                    assert_eq!(ours.map(|(_, output)| *output), Some(expected.as_str()));
                }
            }
            if scheme == crate::Scheme::Uzbek {
                continue;
            }
            let [previous, next, endings] = expand_rules(table);
            assert_eq!(previous, iuliia_map(&document, "prev_mapping"), "{}", scheme.id());
            assert_eq!(next, iuliia_map(&document, "next_mapping"), "{}", scheme.id());
            assert_eq!(endings, iuliia_map(&document, "ending_mapping"), "{}", scheme.id());
        }
    }

    #[test]
    fn russian_letter_index_rejects_other_characters() {
        for character in ['a', 'ў', 'Ж', 'ѐ', 'ђ', '1'] {
            assert_eq!(russian_letter_index(character), None, "{character}");
        }
    }
}

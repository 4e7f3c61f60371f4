//! Russian practical transcription: how a Russian agency writes a foreign name in Cyrillic.
//!
//! Names from national Cyrillic alphabets lose their national letters (`Раҳмонов` → `Рахмонов`);
//! names in Latin letters are transcribed by per-language rules (`Nguyễn` → `Нгуен`, `Yılmaz` →
//! `Йылмаз`, `Ciobanu` → `Чобану`); pinyin follows the Palladius system (`Zhang` → `Чжан`); Georgian
//! is transcribed letter by letter. These are the conventions Russian offices follow in practice;
//! they are not reversible, which is one of the things entity resolution has to live with.

use hospes_mrz::CyrillicLanguage;

use crate::countries::LatinLanguage;

// ---- national Cyrillic --------------------------------------------------------------------------

/// The Russian-letter spelling of a name written in a national Cyrillic alphabet. With
/// `initial_zhe_as_dzhe`, an Uzbek word-initial `Ж` is written `Дж` (`Жасур` → `Джасур`), as many
/// Russian offices do.
pub(crate) fn russian_from_national_cyrillic(
    text: &str,
    language: CyrillicLanguage,
    initial_zhe_as_dzhe: bool,
) -> String {
    let mut output = String::with_capacity(text.len() + 4);
    let mut at_word_start = true;
    for character in text.chars() {
        let lower = lowercase(character);
        let upper = character != lower;
        let replacement: Option<&str> = match (lower, language) {
            ('ў', CyrillicLanguage::Belarusian) => Some("в"),
            ('ў', _) => Some("у"),
            ('қ', _) => Some("к"),
            ('ғ', _) => Some("г"),
            ('ҳ', _) | ('һ', _) => Some("х"),
            ('ӣ', _) => Some("и"),
            ('ӯ', _) => Some("у"),
            ('ҷ', _) => Some("дж"),
            ('ң', _) => Some("н"),
            ('ө', _) => Some("о"),
            ('ү', _) | ('ұ', _) => Some("у"),
            ('ә', _) => Some("а"),
            ('і', _) | ('ї', _) => Some("и"),
            ('є', _) => Some("е"),
            ('ґ', _) => Some("г"),
            ('\'', CyrillicLanguage::UkrainianNational | CyrillicLanguage::Ukrainian)
            | ('\'', CyrillicLanguage::Belarusian)
            | ('’', _)
            | ('ʼ', _) => Some("ь"),
            ('ж', CyrillicLanguage::Uzbek) if at_word_start && initial_zhe_as_dzhe => Some("дж"),
            _ => None,
        };
        match replacement {
            Some(replacement) => push_with_case(&mut output, replacement, upper),
            None => output.push(character),
        }
        at_word_start = !character.is_alphabetic();
    }
    output
}

fn lowercase(character: char) -> char {
    match character {
        'İ' => 'i',
        'I' => 'i',
        _ => character.to_lowercase().next().unwrap_or(character),
    }
}

/// Pushes `text`, capitalising its first letter when the source letter was a capital.
fn push_with_case(output: &mut String, text: &str, upper: bool) {
    let mut characters = text.chars();
    if let Some(first) = characters.next() {
        if upper {
            output.extend(first.to_uppercase());
        } else {
            output.push(first);
        }
        output.push_str(characters.as_str());
    }
}

// ---- Latin, rule by rule ------------------------------------------------------------------------

/// Where a rule applies within a word.
#[derive(Debug, Clone, Copy)]
enum Context {
    Anywhere,
    WordStart,
    WordEnd,
    AfterConsonant,
    WordStartBeforeVowel,
    WordEndAfterVowel,
    WordEndAfterConsonant,
    /// After a front vowel and before a consonant (Turkic `l` softened: `Elçin` → `Эльчин`).
    SoftenedL,
}

/// One transcription rule: the Latin letters it consumes and the Cyrillic it writes.
struct Rule(&'static str, &'static str, Context);

const TURKIC_VOWELS: &str = "aeıioöuüəâ";
const ROMANIAN_VOWELS: &str = "aeiouăâî";
const ENGLISH_VOWELS: &str = "aeiouy";

const TURKIC_RULES: &[Rule] = &[
    Rule("ye", "ье", Context::AfterConsonant),
    Rule("ye", "е", Context::Anywhere),
    Rule("ya", "я", Context::Anywhere),
    Rule("yu", "ю", Context::Anywhere),
    Rule("yo", "йо", Context::Anywhere),
    Rule("c", "дж", Context::Anywhere),
    Rule("ç", "ч", Context::Anywhere),
    Rule("ş", "ш", Context::Anywhere),
    Rule("ğ", "г", Context::Anywhere),
    Rule("ı", "ы", Context::Anywhere),
    Rule("ə", "а", Context::Anywhere),
    Rule("ö", "о", Context::WordStart),
    Rule("ö", "ё", Context::Anywhere),
    Rule("ü", "ю", Context::Anywhere),
    Rule("e", "э", Context::WordStart),
    Rule("e", "е", Context::Anywhere),
    Rule("l", "ль", Context::SoftenedL),
    Rule("x", "х", Context::Anywhere),
    Rule("q", "г", Context::Anywhere),
    Rule("j", "ж", Context::Anywhere),
    Rule("y", "й", Context::Anywhere),
    Rule("h", "х", Context::Anywhere),
    Rule("â", "а", Context::Anywhere),
    Rule("w", "в", Context::Anywhere),
];

const ROMANIAN_RULES: &[Rule] = &[
    Rule("chi", "ки", Context::Anywhere),
    Rule("che", "ке", Context::Anywhere),
    Rule("ghi", "ги", Context::Anywhere),
    Rule("ghe", "ге", Context::Anywhere),
    Rule("cea", "ча", Context::Anywhere),
    Rule("cia", "ча", Context::Anywhere),
    Rule("cio", "чо", Context::Anywhere),
    Rule("ciu", "чу", Context::Anywhere),
    Rule("ce", "че", Context::Anywhere),
    Rule("ci", "чи", Context::Anywhere),
    Rule("gea", "джа", Context::Anywhere),
    Rule("gio", "джо", Context::Anywhere),
    Rule("ge", "дже", Context::Anywhere),
    Rule("gi", "джи", Context::Anywhere),
    Rule("ari", "арь", Context::WordEnd),
    Rule("ea", "я", Context::Anywhere),
    Rule("ia", "ия", Context::Anywhere),
    Rule("iu", "ю", Context::WordStart),
    Rule("i", "й", Context::WordEndAfterVowel),
    Rule("ă", "э", Context::Anywhere),
    Rule("â", "ы", Context::Anywhere),
    Rule("î", "ы", Context::Anywhere),
    Rule("ș", "ш", Context::Anywhere),
    Rule("ş", "ш", Context::Anywhere),
    Rule("ț", "ц", Context::Anywhere),
    Rule("ţ", "ц", Context::Anywhere),
    Rule("j", "ж", Context::Anywhere),
    Rule("x", "кс", Context::Anywhere),
    Rule("h", "х", Context::Anywhere),
    Rule("c", "к", Context::Anywhere),
    Rule("y", "и", Context::Anywhere),
    Rule("w", "в", Context::Anywhere),
    Rule("q", "к", Context::Anywhere),
];

const ARMENIAN_RULES: &[Rule] = &[
    Rule("h", "", Context::WordStartBeforeVowel),
    Rule("kh", "х", Context::Anywhere),
    Rule("gh", "г", Context::Anywhere),
    Rule("zh", "ж", Context::Anywhere),
    Rule("sh", "ш", Context::Anywhere),
    Rule("ch", "ч", Context::Anywhere),
    Rule("ts", "ц", Context::Anywhere),
    Rule("th", "т", Context::Anywhere),
    Rule("ya", "я", Context::Anywhere),
    Rule("yu", "ю", Context::Anywhere),
    Rule("ye", "е", Context::Anywhere),
    Rule("yo", "ё", Context::Anywhere),
    Rule("y", "й", Context::Anywhere),
    Rule("e", "э", Context::WordStart),
    Rule("j", "дж", Context::Anywhere),
    Rule("c", "ц", Context::Anywhere),
    Rule("q", "к", Context::Anywhere),
    Rule("w", "в", Context::Anywhere),
    Rule("x", "кс", Context::Anywhere),
    Rule("h", "х", Context::Anywhere),
];

const INDIAN_RULES: &[Rule] = &[
    Rule("sh", "ш", Context::Anywhere),
    Rule("ch", "ч", Context::Anywhere),
    Rule("kh", "кх", Context::Anywhere),
    Rule("gh", "гх", Context::Anywhere),
    Rule("dh", "дх", Context::Anywhere),
    Rule("bh", "бх", Context::Anywhere),
    Rule("th", "тх", Context::Anywhere),
    Rule("ph", "пх", Context::Anywhere),
    Rule("jh", "джх", Context::Anywhere),
    Rule("ee", "и", Context::Anywhere),
    Rule("oo", "у", Context::Anywhere),
    Rule("ya", "я", Context::Anywhere),
    Rule("yu", "ю", Context::Anywhere),
    Rule("ye", "е", Context::Anywhere),
    Rule("yo", "йо", Context::Anywhere),
    Rule("y", "и", Context::WordEndAfterConsonant),
    Rule("y", "й", Context::Anywhere),
    Rule("e", "э", Context::WordStart),
    Rule("j", "дж", Context::Anywhere),
    Rule("c", "к", Context::Anywhere),
    Rule("q", "к", Context::Anywhere),
    Rule("w", "в", Context::Anywhere),
    Rule("x", "кс", Context::Anywhere),
    Rule("h", "х", Context::Anywhere),
];

/// The letters every Latin table shares, consulted after the language's own rules.
const PLAIN_LETTERS: &[(char, &str)] = &[
    ('a', "а"),
    ('b', "б"),
    ('d', "д"),
    ('e', "е"),
    ('f', "ф"),
    ('g', "г"),
    ('i', "и"),
    ('k', "к"),
    ('l', "л"),
    ('m', "м"),
    ('n', "н"),
    ('o', "о"),
    ('p', "п"),
    ('r', "р"),
    ('s', "с"),
    ('t', "т"),
    ('u', "у"),
    ('v', "в"),
    ('z', "з"),
    ('c', "к"),
    ('h', "х"),
    ('j', "дж"),
    ('q', "к"),
    ('w', "в"),
    ('x', "кс"),
    ('y', "й"),
];

/// Whole names whose Russian form is traditional rather than rule-made.
const TRADITIONAL_FORMS: &[(LatinLanguage, &str, &str)] = &[
    (LatinLanguage::Armenian, "hovhannisyan", "Оганесян"),
    (LatinLanguage::Armenian, "hakobyan", "Акопян"),
    (LatinLanguage::Armenian, "hovhannes", "Ованес"),
    (LatinLanguage::Armenian, "sahakyan", "Саакян"),
    (LatinLanguage::Armenian, "davit", "Давид"),
    (LatinLanguage::Azerbaijani, "məmmədov", "Мамедов"),
    (LatinLanguage::Azerbaijani, "məmmədova", "Мамедова"),
    (LatinLanguage::Azerbaijani, "hüseynov", "Гусейнов"),
    (LatinLanguage::Azerbaijani, "hüseynova", "Гусейнова"),
    (LatinLanguage::Azerbaijani, "həsənov", "Гасанов"),
    (LatinLanguage::Azerbaijani, "həsənova", "Гасанова"),
];

/// The Russian Cyrillic form of a name written in Latin letters in `language`.
pub(crate) fn russian_from_latin(text: &str, language: LatinLanguage) -> String {
    map_words(text, |word| {
        let lower: String = word.chars().map(lowercase).collect();
        if let Some((_, _, traditional)) =
            TRADITIONAL_FORMS.iter().find(|(rule_language, latin, _)| *rule_language == language && *latin == lower)
        {
            return (*traditional).to_owned();
        }
        match language {
            LatinLanguage::Vietnamese => vietnamese_syllable_to_russian(&lower),
            LatinLanguage::Turkish | LatinLanguage::Azerbaijani => apply_rules(&lower, TURKIC_RULES, TURKIC_VOWELS),
            LatinLanguage::Romanian => apply_rules(&lower, ROMANIAN_RULES, ROMANIAN_VOWELS),
            LatinLanguage::Armenian => apply_rules(&lower, ARMENIAN_RULES, ENGLISH_VOWELS),
            LatinLanguage::Indian => apply_rules(&lower, INDIAN_RULES, ENGLISH_VOWELS),
        }
    })
}

/// Applies `transcribe` to every word (a run of letters) of `text`, keeping spaces, hyphens and
/// apostrophes, and giving each output word the case pattern of its source word.
fn map_words(text: &str, mut transcribe: impl FnMut(&str) -> String) -> String {
    let mut output = String::with_capacity(text.len() * 2);
    let mut word_start: Option<usize> = None;
    for (position, character) in text.char_indices() {
        if character.is_alphabetic() || is_combining_mark(character) {
            if word_start.is_none() {
                word_start = Some(position);
            }
        } else {
            if let Some(start) = word_start.take() {
                push_cased(&mut output, &text[start..position], &transcribe(&text[start..position]));
            }
            if !matches!(character, '\'' | '’' | 'ʻ' | 'ʼ' | '`') {
                output.push(character);
            }
        }
    }
    if let Some(start) = word_start {
        push_cased(&mut output, &text[start..], &transcribe(&text[start..]));
    }
    output
}

fn is_combining_mark(character: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&character)
}

/// Writes `transcribed` in the case pattern of `source`: all capitals, or a leading capital.
fn push_cased(output: &mut String, source: &str, transcribed: &str) {
    let letters: Vec<char> = source.chars().filter(|c| c.is_alphabetic()).collect();
    let all_upper = letters.len() > 1 && letters.iter().all(|c| !c.is_lowercase());
    let leading_upper = letters.first().is_some_and(|c| c.is_uppercase());
    if all_upper {
        output.extend(transcribed.chars().flat_map(char::to_uppercase));
    } else if leading_upper {
        let mut characters = transcribed.chars();
        if let Some(first) = characters.next() {
            output.extend(first.to_uppercase());
            output.push_str(characters.as_str());
        }
    } else {
        output.push_str(transcribed);
    }
}

fn apply_rules(word: &str, rules: &[Rule], vowels: &str) -> String {
    let characters: Vec<char> = word.chars().collect();
    let is_vowel = |character: char| vowels.contains(character);
    let mut output = String::with_capacity(word.len() * 2);
    let mut index = 0;
    'letters: while index < characters.len() {
        for Rule(latin, cyrillic, context) in rules {
            let length = latin.chars().count();
            if index + length > characters.len() || !latin.chars().zip(&characters[index..]).all(|(a, b)| a == *b) {
                continue;
            }
            let previous = index.checked_sub(1).map(|position| characters[position]);
            let next = characters.get(index + length).copied();
            let applies = match context {
                Context::Anywhere => true,
                Context::WordStart => index == 0,
                Context::WordEnd => next.is_none(),
                Context::AfterConsonant => previous.is_some_and(|c| !is_vowel(c)),
                Context::WordStartBeforeVowel => index == 0 && next.is_some_and(is_vowel),
                Context::WordEndAfterVowel => next.is_none() && previous.is_some_and(is_vowel),
                Context::WordEndAfterConsonant => next.is_none() && previous.is_some_and(|c| !is_vowel(c)),
                Context::SoftenedL => {
                    previous.is_some_and(|c| "eiöü".contains(c)) && next.is_some_and(|c| !is_vowel(c))
                }
            };
            if applies {
                output.push_str(cyrillic);
                index += length;
                continue 'letters;
            }
        }
        let character = characters[index];
        match PLAIN_LETTERS.iter().find(|(latin, _)| *latin == character) {
            Some((_, cyrillic)) => output.push_str(cyrillic),
            None => output.push(character),
        }
        index += 1;
    }
    output
}

// ---- Vietnamese ---------------------------------------------------------------------------------

/// Vowels with their five tone marks, grouped by the toneless letter (which keeps its quality mark).
const VIETNAMESE_TONES: &[(char, &str)] = &[
    ('a', "àáảãạ"),
    ('ă', "ằắẳẵặ"),
    ('â', "ầấẩẫậ"),
    ('e', "èéẻẽẹ"),
    ('ê', "ềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọ"),
    ('ô', "ồốổỗộ"),
    ('ơ', "ờớởỡợ"),
    ('u', "ùúủũụ"),
    ('ư', "ừứửữự"),
    ('y', "ỳýỷỹỵ"),
];

/// Vietnamese text without tone marks (vowel quality marks and `đ` stay).
pub(crate) fn vietnamese_without_tones(text: &str) -> String {
    text.chars()
        .map(|character| {
            let lower = lowercase(character);
            let base = VIETNAMESE_TONES
                .iter()
                .find(|(_, toned)| toned.contains(lower))
                .map(|(base, _)| *base)
                .unwrap_or(lower);
            if character.is_uppercase() { base.to_uppercase().next().unwrap_or(base) } else { base }
        })
        .collect()
}

const VIETNAMESE_INITIALS: &[(&str, &str)] = &[
    ("ngh", "нг"),
    ("ng", "нг"),
    ("nh", "нь"),
    ("ph", "ф"),
    ("th", "тх"),
    ("tr", "ч"),
    ("ch", "ч"),
    ("kh", "кх"),
    ("gh", "г"),
    ("gi", "з"),
    ("qu", "ку"),
    ("đ", "д"),
    ("d", "з"),
    ("x", "с"),
    ("s", "ш"),
    ("r", "з"),
    ("c", "к"),
    ("k", "к"),
    ("g", "г"),
    ("h", "х"),
    ("b", "б"),
    ("v", "в"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("t", "т"),
    ("p", "п"),
];

const VIETNAMESE_VOWEL_GROUPS: &[(&str, &str)] =
    &[("uyê", "уе"), ("ươ", "ыо"), ("iê", "ие"), ("yê", "ие"), ("uâ", "уа"), ("uy", "уи")];

const VIETNAMESE_FINALS: &[(&str, &str)] =
    &[("nh", "нь"), ("ng", "нг"), ("ch", "ть"), ("c", "к"), ("t", "т"), ("p", "п"), ("n", "н"), ("m", "м")];

fn vietnamese_vowel(character: char) -> Option<&'static str> {
    Some(match character {
        'a' | 'ă' | 'â' => "а",
        'e' | 'ê' => "е",
        'i' | 'y' => "и",
        'o' | 'ô' | 'ơ' => "о",
        'u' => "у",
        'ư' => "ы",
        _ => return None,
    })
}

/// One Vietnamese syllable (a word) in Russian, after the Kontsevich conventions.
fn vietnamese_syllable_to_russian(lower: &str) -> String {
    let syllable = vietnamese_without_tones(lower);
    let mut rest = syllable.as_str();
    let mut output = String::new();
    for (latin, cyrillic) in VIETNAMESE_INITIALS {
        if let Some(after) = rest.strip_prefix(latin) {
            // `gi` before a consonant (or alone) is `g` + `i`.
            if *latin == "gi" && !after.starts_with(|c: char| vietnamese_vowel(c).is_some()) {
                output.push_str("зи");
            } else {
                output.push_str(cyrillic);
            }
            rest = after;
            break;
        }
    }
    let mut wrote_vowel = false;
    while !rest.is_empty() {
        if let Some((latin, cyrillic)) = VIETNAMESE_VOWEL_GROUPS.iter().find(|(latin, _)| rest.starts_with(latin)) {
            output.push_str(cyrillic);
            rest = &rest[latin.len()..];
            wrote_vowel = true;
            continue;
        }
        let Some(character) = rest.chars().next() else {
            break;
        };
        if let Some(vowel) = vietnamese_vowel(character) {
            let is_glide = wrote_vowel && matches!(character, 'i' | 'y');
            output.push_str(if is_glide { "й" } else { vowel });
            wrote_vowel = true;
            rest = &rest[character.len_utf8()..];
            continue;
        }
        if let Some((latin, cyrillic)) = VIETNAMESE_FINALS.iter().find(|(latin, _)| rest.starts_with(latin)) {
            output.push_str(cyrillic);
            rest = &rest[latin.len()..];
            continue;
        }
        output.push(character);
        rest = &rest[character.len_utf8()..];
    }
    output
}

// ---- pinyin -------------------------------------------------------------------------------------

/// Pinyin without tone marks (`Yǔxuān` → `Yuxuan`; `ü` stays).
pub(crate) fn pinyin_without_tones(text: &str) -> String {
    const TONES: &[(char, &str)] =
        &[('a', "āáǎà"), ('e', "ēéěè"), ('i', "īíǐì"), ('o', "ōóǒò"), ('u', "ūúǔù"), ('ü', "ǖǘǚǜ")];
    text.chars()
        .map(|character| {
            let lower = lowercase(character);
            let base = TONES.iter().find(|(_, toned)| toned.contains(lower)).map(|(base, _)| *base).unwrap_or(lower);
            if character.is_uppercase() { base.to_uppercase().next().unwrap_or(base) } else { base }
        })
        .collect()
}

/// Whether pinyin text carries tone marks (mainland romanisations in the data do; Hong Kong ones do not).
pub(crate) fn has_pinyin_tone_marks(text: &str) -> bool {
    text.chars().any(|character| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(lowercase(character)))
}

const PINYIN_INITIALS: &[(&str, &str)] = &[
    ("zh", "чж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("b", "б"),
    ("p", "п"),
    ("m", "м"),
    ("f", "ф"),
    ("d", "д"),
    ("t", "т"),
    ("n", "н"),
    ("l", "л"),
    ("g", "г"),
    ("k", "к"),
    ("h", "х"),
    ("j", "цз"),
    ("q", "ц"),
    ("x", "с"),
    ("r", "ж"),
    ("z", "цз"),
    ("c", "ц"),
    ("s", "с"),
];

/// Finals after a consonant, longest first, with their Palladius spelling.
const PINYIN_FINALS: &[(&str, &str)] = &[
    ("iang", "ян"),
    ("iong", "юн"),
    ("uang", "уан"),
    ("ang", "ан"),
    ("eng", "эн"),
    ("ing", "ин"),
    ("ong", "ун"),
    ("uai", "уай"),
    ("uan", "уань"),
    ("ian", "янь"),
    ("iao", "яо"),
    ("ai", "ай"),
    ("ei", "эй"),
    ("ao", "ао"),
    ("ou", "оу"),
    ("an", "ань"),
    ("en", "энь"),
    ("in", "инь"),
    ("un", "унь"),
    ("ia", "я"),
    ("ie", "е"),
    ("iu", "ю"),
    ("ua", "уа"),
    ("uo", "о"),
    ("ui", "уй"),
    ("ue", "юэ"),
    ("üe", "юэ"),
    ("ün", "юнь"),
    ("er", "эр"),
    ("a", "а"),
    ("o", "о"),
    ("e", "э"),
    ("i", "и"),
    ("u", "у"),
    ("ü", "юй"),
];

/// Syllables without a consonant initial (including those spelt with `y` and `w`).
const PINYIN_INITIAL_LESS: &[(&str, &str)] = &[
    ("yuan", "юань"),
    ("yang", "ян"),
    ("ying", "ин"),
    ("yong", "юн"),
    ("wang", "ван"),
    ("weng", "вэн"),
    ("yao", "яо"),
    ("you", "ю"),
    ("yan", "янь"),
    ("yin", "инь"),
    ("yue", "юэ"),
    ("yun", "юнь"),
    ("wai", "вай"),
    ("wei", "вэй"),
    ("wan", "вань"),
    ("wen", "вэнь"),
    ("ang", "ан"),
    ("eng", "эн"),
    ("ya", "я"),
    ("yo", "ё"),
    ("ye", "е"),
    ("yi", "и"),
    ("yu", "юй"),
    ("wu", "у"),
    ("wa", "ва"),
    ("wo", "во"),
    ("ai", "ай"),
    ("ei", "эй"),
    ("ao", "ао"),
    ("ou", "оу"),
    ("an", "ань"),
    ("en", "энь"),
    ("er", "эр"),
    ("a", "а"),
    ("o", "о"),
    ("e", "э"),
];

/// The Palladius spelling of one pinyin word (one or more syllables written together), or `None`
/// when the word is not pinyin.
pub(crate) fn russian_from_pinyin(text: &str) -> Option<String> {
    let mut output = String::new();
    for (index, word) in text.split([' ', '-']).enumerate() {
        if word.is_empty() {
            continue;
        }
        if index > 0 {
            output.push(' ');
        }
        let lower = pinyin_without_tones(word).to_lowercase().replace('v', "ü");
        let syllables = pinyin_word(&lower)?;
        let mut spelled = syllables.concat();
        if word.chars().next().is_some_and(char::is_uppercase) {
            let mut characters = spelled.chars();
            if let Some(first) = characters.next() {
                spelled = first.to_uppercase().chain(characters).collect();
            }
        }
        output.push_str(&spelled);
    }
    (!output.is_empty()).then_some(output)
}

/// Splits a pinyin word into syllables (longest syllable first, backtracking) and spells each.
fn pinyin_word(word: &str) -> Option<Vec<String>> {
    if word.is_empty() {
        return Some(Vec::new());
    }
    for (length, spelled) in pinyin_syllable_candidates(word) {
        if let Some(mut rest) = pinyin_word(&word[length..]) {
            rest.insert(0, spelled);
            return Some(rest);
        }
    }
    None
}

/// Every syllable `word` may start with, longest first: (bytes consumed, Palladius spelling).
fn pinyin_syllable_candidates(word: &str) -> Vec<(usize, String)> {
    let mut candidates = Vec::new();
    for (latin, cyrillic) in PINYIN_INITIAL_LESS {
        if word.starts_with(latin) {
            candidates.push((latin.len(), (*cyrillic).to_owned()));
        }
    }
    if let Some((initial, initial_cyrillic)) = PINYIN_INITIALS.iter().find(|(latin, _)| word.starts_with(latin)) {
        let after = &word[initial.len()..];
        let palatal = matches!(*initial, "j" | "q" | "x");
        let retroflex_or_dental = matches!(*initial, "zh" | "ch" | "sh" | "r" | "z" | "c" | "s");
        for (final_latin, final_cyrillic) in PINYIN_FINALS {
            if !after.starts_with(final_latin) {
                continue;
            }
            let final_spelled = match (*final_latin, palatal) {
                ("u", true) => "юй",
                ("uan", true) => "юань",
                ("un", true) => "юнь",
                ("i", false) if matches!(*initial, "z" | "c" | "s") => "ы",
                _ => final_cyrillic,
            };
            // Palatal initials take only i- and ü-finals; the others never take ü.
            let allowed = if palatal {
                final_latin.starts_with(['i', 'u', 'ü'])
            } else {
                !final_latin.starts_with('ü')
                    && (!retroflex_or_dental || !final_latin.starts_with('i') || final_latin.len() == 1)
            };
            if allowed {
                candidates.push((initial.len() + final_latin.len(), format!("{initial_cyrillic}{final_spelled}")));
            }
        }
    }
    candidates.sort_by_key(|candidate| std::cmp::Reverse(candidate.0));
    candidates
}

// ---- Georgian -----------------------------------------------------------------------------------

/// Georgian letters with their Latin (national system, as in passports, without apostrophes) and
/// Russian values.
const GEORGIAN_LETTERS: &[(char, &str, &str)] = &[
    ('ა', "a", "а"),
    ('ბ', "b", "б"),
    ('გ', "g", "г"),
    ('დ', "d", "д"),
    ('ე', "e", "е"),
    ('ვ', "v", "в"),
    ('ზ', "z", "з"),
    ('თ', "t", "т"),
    ('ი', "i", "и"),
    ('კ', "k", "к"),
    ('ლ', "l", "л"),
    ('მ', "m", "м"),
    ('ნ', "n", "н"),
    ('ო', "o", "о"),
    ('პ', "p", "п"),
    ('ჟ', "zh", "ж"),
    ('რ', "r", "р"),
    ('ს', "s", "с"),
    ('ტ', "t", "т"),
    ('უ', "u", "у"),
    ('ფ', "p", "п"),
    ('ქ', "k", "к"),
    ('ღ', "gh", "г"),
    ('ყ', "q", "к"),
    ('შ', "sh", "ш"),
    ('ჩ', "ch", "ч"),
    ('ც', "ts", "ц"),
    ('ძ', "dz", "дз"),
    ('წ', "ts", "ц"),
    ('ჭ', "ch", "ч"),
    ('ხ', "kh", "х"),
    ('ჯ', "j", "дж"),
    ('ჰ', "h", "х"),
];

const GEORGIAN_VOWELS: &str = "აეიოუ";

/// A Georgian name as used outside Georgian grammar: forenames and Russified surnames drop the
/// nominative `-ი` (`დავითი` → Davit, `მამედოვი` → Mamedov); names that end in `-ი` as part of the
/// stem keep it (`გიორგი`, `გელაშვილი`, and female `სესილი`).
fn georgian_without_nominative(text: &str, is_forename: bool, is_female: bool) -> String {
    let characters: Vec<char> = text.chars().collect();
    let length = characters.len();
    if length > 3 && characters[length - 1] == 'ი' {
        let before = characters[length - 2];
        let drop = if is_forename {
            !GEORGIAN_VOWELS.contains(before) && before != 'გ' && !(before == 'ლ' && is_female)
        } else {
            text.ends_with("ოვი") || text.ends_with("ევი")
        };
        if drop {
            return characters[..length - 1].iter().collect();
        }
    }
    text.to_owned()
}

/// The Latin spelling of a Georgian name, capitalised.
pub(crate) fn latin_from_georgian(text: &str, is_forename: bool, is_female: bool) -> String {
    let trimmed = georgian_without_nominative(text, is_forename, is_female);
    capitalise_words(
        &trimmed
            .chars()
            .map(|character| {
                GEORGIAN_LETTERS
                    .iter()
                    .find(|(letter, _, _)| *letter == character)
                    .map(|(_, latin, _)| (*latin).to_owned())
                    .unwrap_or_else(|| character.to_string())
            })
            .collect::<String>(),
    )
}

/// The Russian spelling of a Georgian name, capitalised (`ია` → `ия`, `ე` at a word start → `э`).
pub(crate) fn russian_from_georgian(text: &str, is_forename: bool, is_female: bool) -> String {
    let trimmed = georgian_without_nominative(text, is_forename, is_female);
    let characters: Vec<char> = trimmed.chars().collect();
    let mut output = String::new();
    for (index, character) in characters.iter().enumerate() {
        let previous = index.checked_sub(1).map(|position| characters[position]);
        let value = match (*character, previous) {
            ('ე', None) => "э",
            ('ე', Some(previous)) if GEORGIAN_VOWELS.contains(previous) => "э",
            ('ა', Some('ი')) => "я",
            _ => GEORGIAN_LETTERS
                .iter()
                .find(|(letter, _, _)| letter == character)
                .map(|(_, _, russian)| *russian)
                .unwrap_or(""),
        };
        output.push_str(value);
    }
    // `иа` written as `ия`: the `и` stays and the `а` became `я` above.
    capitalise_words(&output)
}

/// Capitalises the first letter of every word.
pub(crate) fn capitalise_words(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut at_word_start = true;
    for character in text.chars() {
        if at_word_start && character.is_alphabetic() {
            output.extend(character.to_uppercase());
        } else {
            output.extend(character.to_lowercase());
        }
        at_word_start = !character.is_alphabetic() && !matches!(character, '\'' | 'ʻ' | '’');
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_latin(language: LatinLanguage, cases: &[(&str, &str)]) {
        for (latin, expected) in cases {
            assert_eq!(&russian_from_latin(latin, language), expected, "{latin}");
        }
    }

    #[test]
    fn vietnamese_names_follow_the_kontsevich_conventions() {
        check_latin(
            LatinLanguage::Vietnamese,
            &[
                ("Nguyễn", "Нгуен"),
                ("Trần", "Чан"),
                ("Lê", "Ле"),
                ("Phạm", "Фам"),
                ("Hoàng", "Хоанг"),
                ("Huỳnh", "Хуинь"),
                ("Dương", "Зыонг"),
                ("Bùi", "Буй"),
                ("Đặng", "Данг"),
                ("Văn An", "Ван Ан"),
                ("Thị Hương", "Тхи Хыонг"),
                ("Minh Đức", "Минь Дык"),
                ("Quốc Bảo", "Куок Бао"),
                ("Thạch", "Тхать"),
                ("Giang", "Занг"),
                ("Ngọc Anh", "Нгок Ань"),
                ("NGUYỄN", "НГУЕН"),
            ],
        );
    }

    #[test]
    fn turkic_names() {
        check_latin(
            LatinLanguage::Turkish,
            &[
                ("Yılmaz", "Йылмаз"),
                ("Öztürk", "Озтюрк"),
                ("Çelik", "Челик"),
                ("Şahin", "Шахин"),
                ("Ayşe", "Айше"),
                ("Zeynep", "Зейнеп"),
                ("Meryem", "Мерьем"),
                ("Ömer Asaf", "Омер Асаф"),
                ("Kılıç", "Кылыч"),
                ("Elif", "Элиф"),
                ("İsmail", "Исмаил"),
            ],
        );
        check_latin(
            LatinLanguage::Azerbaijani,
            &[
                ("Əliyev", "Алиев"),
                ("Quliyev", "Гулиев"),
                ("Cəfərov", "Джафаров"),
                ("Məmmədov", "Мамедов"),
                ("Elçin", "Эльчин"),
                ("Abdullayev", "Абдуллаев"),
                ("Sevinc", "Севиндж"),
                ("Məmmədova", "Мамедова"),
            ],
        );
    }

    #[test]
    fn romanian_armenian_and_indian_names() {
        check_latin(
            LatinLanguage::Romanian,
            &[
                ("Ciobanu", "Чобану"),
                ("Ceban", "Чебан"),
                ("Țurcan", "Цуркан"),
                ("Sîrbu", "Сырбу"),
                ("Cebotari", "Чеботарь"),
                ("Munteanu", "Мунтяну"),
                ("Gheorghe", "Георге"),
                ("Maria", "Мария"),
                ("Andrei", "Андрей"),
                ("Alexandru", "Александру"),
                ("Roșca", "Рошка"),
                ("Ion", "Ион"),
            ],
        );
        check_latin(
            LatinLanguage::Armenian,
            &[
                ("Grigoryan", "Григорян"),
                ("Harutyunyan", "Арутюнян"),
                ("Khachatryan", "Хачатрян"),
                ("Ghazaryan", "Газарян"),
                ("Hovhannisyan", "Оганесян"),
                ("Hayk", "Айк"),
                ("Gayane", "Гаяне"),
                ("Mkrtchyan", "Мкртчян"),
            ],
        );
        check_latin(
            LatinLanguage::Indian,
            &[
                ("Sharma", "Шарма"),
                ("Singh", "Сингх"),
                ("Reddy", "Редди"),
                ("Vijay", "Виджай"),
                ("Chaudhary", "Чаудхари"),
                ("Dhruv", "Дхрув"),
            ],
        );
    }

    #[test]
    fn pinyin_follows_palladius() {
        for (pinyin, expected) in [
            ("Wáng", "Ван"),
            ("Zhāng", "Чжан"),
            ("Liú", "Лю"),
            ("Chén", "Чэнь"),
            ("Huáng", "Хуан"),
            ("Zhào", "Чжао"),
            ("Xú", "Сюй"),
            ("Sūn", "Сунь"),
            ("Guō", "Го"),
            ("Hé", "Хэ"),
            ("Yǔxuān", "Юйсюань"),
            ("Hàorán", "Хаожань"),
            ("Zǐhán", "Цзыхань"),
            ("Xīnyí", "Синьи"),
            ("Yīnuò", "Ино"),
            ("Míngzé", "Минцзэ"),
            ("Ruòxī", "Жоси"),
            ("Xiuying", "Сюин"),
            ("Jun", "Цзюнь"),
            ("Qiang", "Цян"),
            ("Wei", "Вэй"),
            ("Juan", "Цзюань"),
            ("Luó", "Ло"),
        ] {
            assert_eq!(russian_from_pinyin(pinyin).as_deref(), Some(expected), "{pinyin}");
        }
        for not_pinyin in ["Cheung", "Wong", "Kwok", "Tsui"] {
            assert_eq!(russian_from_pinyin(not_pinyin), None, "{not_pinyin}");
        }
    }

    #[test]
    fn georgian_and_national_cyrillic() {
        assert_eq!(russian_from_georgian("შენგელია", false, false), "Шенгелия");
        assert_eq!(russian_from_georgian("დავითი", true, false), "Давит");
        assert_eq!(russian_from_georgian("ელენე", true, true), "Элене");
        assert_eq!(russian_from_georgian("მამედოვი", false, false), "Мамедов");
        assert_eq!(latin_from_georgian("გიორგი", true, false), "Giorgi");
        assert_eq!(latin_from_georgian("კვარაცხელია", false, false), "Kvaratskhelia");
        assert_eq!(latin_from_georgian("სესილი", true, true), "Sesili");
        let check = |text: &str, language, dzhe, expected: &str| {
            assert_eq!(russian_from_national_cyrillic(text, language, dzhe), expected);
        };
        check("Раҳмонов", CyrillicLanguage::Tajik, false, "Рахмонов");
        check("Ҷамшед", CyrillicLanguage::Tajik, false, "Джамшед");
        check("Жўраев", CyrillicLanguage::Uzbek, true, "Джураев");
        check("Жўраев", CyrillicLanguage::Uzbek, false, "Жураев");
        check("Ўткир Ғайратович", CyrillicLanguage::Uzbek, false, "Уткир Гайратович");
        check("Нұрсұлтан Әли", CyrillicLanguage::Kazakh, false, "Нурсултан Али");
        check("Өмүрбеков", CyrillicLanguage::Kyrgyz, false, "Омурбеков");
        check("Мар'яна Олійник", CyrillicLanguage::UkrainianNational, false, "Марьяна Олийник");
        check("Іваноў", CyrillicLanguage::Belarusian, false, "Иванов");
    }
}

//! Which script a name is written in.

use serde::{Deserialize, Serialize};

use crate::characters::{is_apostrophe_like, is_combining_mark, is_cyrillic, is_hyphen_like, is_latin_letter};

/// The script of a piece of text, as far as names are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Only Cyrillic letters.
    Cyrillic,
    /// Only Latin letters.
    Latin,
    /// Letters of more than one script, for example Cyrillic with a look-alike Latin `a`.
    Mixed,
    /// Only letters or symbols of scripts other than Cyrillic and Latin.
    Other,
    /// Nothing but ignorable characters (or nothing at all).
    Empty,
}

/// How one character counts for script detection.
enum CharacterClass {
    Cyrillic,
    Latin,
    Other,
    Ignorable,
}

/// Whitespace, hyphens, apostrophes, digits, punctuation and combining marks say nothing
/// about the script of a name, so they are ignored.
fn classify(character: char) -> CharacterClass {
    if character.is_whitespace()
        || character.is_numeric()
        || is_hyphen_like(character)
        || is_apostrophe_like(character)
        || is_combining_mark(character)
        || character.is_ascii_punctuation()
        || character.is_control()
        || matches!(character, '\u{00A1}'..='\u{00BF}' | '\u{2000}'..='\u{206F}')
    {
        CharacterClass::Ignorable
    } else if is_cyrillic(character) {
        CharacterClass::Cyrillic
    } else if is_latin_letter(character) {
        CharacterClass::Latin
    } else {
        CharacterClass::Other
    }
}

/// Detects the script of `text`, ignoring spaces, hyphens, apostrophes, digits,
/// punctuation and combining marks.
pub fn detect_script(text: &str) -> Script {
    let mut has_cyrillic = false;
    let mut has_latin = false;
    let mut has_other = false;
    for character in text.chars() {
        match classify(character) {
            CharacterClass::Cyrillic => has_cyrillic = true,
            CharacterClass::Latin => has_latin = true,
            CharacterClass::Other => has_other = true,
            CharacterClass::Ignorable => {}
        }
    }
    match (has_cyrillic, has_latin, has_other) {
        (false, false, false) => Script::Empty,
        (true, false, false) => Script::Cyrillic,
        (false, true, false) => Script::Latin,
        (false, false, true) => Script::Other,
        _ => Script::Mixed,
    }
}

/// Whether `text` contains a character that is neither Cyrillic, Latin nor ignorable
/// (for example Arabic, Chinese or Georgian letters, or emoji): such names cannot be
/// transliterated or given a meaningful [`crate::latin_skeleton`] by this crate.
pub fn contains_unsupported_script(text: &str) -> bool {
    text.chars().any(|character| matches!(classify(character), CharacterClass::Other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts() {
        assert_eq!(detect_script("Юсупов Алишер"), Script::Cyrillic);
        assert_eq!(detect_script("Әлиұлы Жеңіс"), Script::Cyrillic);
        assert_eq!(detect_script("YUSUPOV"), Script::Latin);
        assert_eq!(detect_script("Oʻtkir Gʻulomov"), Script::Latin);
        assert_eq!(detect_script("Ûsupov Ališer"), Script::Latin);
        assert_eq!(detect_script("O'Brien-Smith, J. 2nd"), Script::Latin);
        assert_eq!(detect_script("Ивaнов"), Script::Mixed);
        assert_eq!(detect_script("Semёnov"), Script::Mixed);
        assert_eq!(detect_script("محمد"), Script::Other);
        assert_eq!(detect_script("محمد Ali"), Script::Mixed);
        assert_eq!(detect_script("李小龍"), Script::Other);
        assert_eq!(detect_script(""), Script::Empty);
        assert_eq!(detect_script(" - ' 12 "), Script::Empty);
        assert_eq!(detect_script("Смирно\u{301}в"), Script::Cyrillic);
    }

    #[test]
    fn flags_unsupported_scripts() {
        assert!(!contains_unsupported_script("Юсупов Ališer O'Brien, 2-й"));
        assert!(contains_unsupported_script("ნინო"));
        assert!(contains_unsupported_script("Ali محمد"));
        assert!(contains_unsupported_script("Ivan 🙂"));
        assert!(!contains_unsupported_script(""));
    }
}

//! Small character classifications shared by the transliteration, script detection and
//! skeleton code. Kept here, as plain code-point ranges, so that the crate needs no Unicode
//! property tables beyond what the standard library offers.

/// Whether `character` is a combining mark (it modifies the letter before it).
///
/// Covers the blocks that occur in names: combining diacritical marks (stress accents,
/// breves, tie bars), their supplements and extensions, and the Cyrillic combining marks.
pub(crate) fn is_combining_mark(character: char) -> bool {
    matches!(
        character,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// The precomposed Cyrillic letter for `base` followed by the combining `mark`, for the
/// letters our tables know (й, ё, ў, ӣ, ӯ, ї), so that decomposed input is read correctly
/// without normalising (and so changing) any other part of the text.
pub(crate) fn compose_cyrillic_letter(base: char, mark: char) -> Option<char> {
    const BREVE: char = '\u{0306}';
    const DIAERESIS: char = '\u{0308}';
    const MACRON: char = '\u{0304}';
    match (base, mark) {
        ('и', BREVE) => Some('й'),
        ('И', BREVE) => Some('Й'),
        ('е', DIAERESIS) => Some('ё'),
        ('Е', DIAERESIS) => Some('Ё'),
        ('у', BREVE) => Some('ў'),
        ('У', BREVE) => Some('Ў'),
        ('и', MACRON) => Some('ӣ'),
        ('И', MACRON) => Some('Ӣ'),
        ('у', MACRON) => Some('ӯ'),
        ('У', MACRON) => Some('Ӯ'),
        ('і', DIAERESIS) => Some('ї'),
        ('І', DIAERESIS) => Some('Ї'),
        _ => None,
    }
}

/// The lowercase form of a letter when it is a single character, else the letter itself.
pub(crate) fn lowercase_letter(character: char) -> char {
    let mut lowercase = character.to_lowercase();
    match (lowercase.next(), lowercase.next()) {
        (Some(single), None) => single,
        _ => character,
    }
}

/// Whether `character` belongs to one of the Unicode Cyrillic blocks.
pub(crate) fn is_cyrillic(character: char) -> bool {
    matches!(
        character,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}'
    )
}

/// Whether `character` is a Latin letter (any of the Unicode Latin letter blocks).
///
/// Modifier letters used as apostrophes (ʹ ʺ ʻ ʼ) are not counted: see [`is_apostrophe_like`].
pub(crate) fn is_latin_letter(character: char) -> bool {
    if is_apostrophe_like(character) {
        return false;
    }
    character.is_ascii_alphabetic()
        || matches!(
            character,
            '\u{00AA}'
                | '\u{00BA}'
                | '\u{00C0}'..='\u{00D6}'
                | '\u{00D8}'..='\u{00F6}'
                | '\u{00F8}'..='\u{024F}'
                | '\u{0250}'..='\u{02AF}'
                | '\u{1D00}'..='\u{1D7F}'
                | '\u{1E00}'..='\u{1EFF}'
                | '\u{2C60}'..='\u{2C7F}'
                | '\u{A720}'..='\u{A7FF}'
                | '\u{AB30}'..='\u{AB6F}'
                | '\u{FB00}'..='\u{FB06}'
                | '\u{FF21}'..='\u{FF3A}'
                | '\u{FF41}'..='\u{FF5A}'
        )
}

/// Characters used as apostrophes or as transliterated hard and soft signs: ASCII quotes,
/// typographic quotes, the modifier letters ʹ ʺ ʻ ʼ, the backtick and the acute accent.
pub(crate) fn is_apostrophe_like(character: char) -> bool {
    matches!(
        character,
        '\'' | '"'
            | '`'
            | '\u{00B4}'
            | '\u{02B9}'
            | '\u{02BA}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BD}'
            | '\u{02C8}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2032}'
            | '\u{2033}'
    )
}

/// Hyphens and dashes, which join or separate parts of compound names.
pub(crate) fn is_hyphen_like(character: char) -> bool {
    matches!(character, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_cyrillic_letters() {
        assert_eq!(compose_cyrillic_letter('и', '\u{0306}'), Some('й'));
        assert_eq!(compose_cyrillic_letter('Е', '\u{0308}'), Some('Ё'));
        assert_eq!(compose_cyrillic_letter('а', '\u{0301}'), None);
        assert_eq!(compose_cyrillic_letter('e', '\u{0308}'), None);
    }

    #[test]
    fn classifies_scripts() {
        for letter in ['а', 'Я', 'ё', 'ў', 'Қ', 'ә', 'ј'] {
            assert!(is_cyrillic(letter), "{letter}");
            assert!(!is_latin_letter(letter), "{letter}");
        }
        for letter in ['a', 'Z', 'é', 'ž', 'ŝ', 'ȳ', 'ə', 'ḥ'] {
            assert!(is_latin_letter(letter), "{letter}");
            assert!(!is_cyrillic(letter), "{letter}");
        }
        for mark in ['ʹ', 'ʺ', 'ʻ', 'ʼ', '\'', '’'] {
            assert!(is_apostrophe_like(mark), "{mark}");
            assert!(!is_latin_letter(mark), "{mark}");
        }
    }

    #[test]
    fn lowercases_single_letters_only() {
        assert_eq!(lowercase_letter('Ж'), 'ж');
        assert_eq!(lowercase_letter('ж'), 'ж');
        assert_eq!(lowercase_letter('İ'), 'İ');
    }
}

//! Property tests: no input panics a public function, non-Cyrillic text is never changed by
//! transliteration, and skeletons are always lowercase ASCII words.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_names::{Scheme, contains_unsupported_script, detect_script, latin_skeleton, transliterate};
use proptest::prelude::*;

/// Whether a character lies in one of the Unicode Cyrillic blocks.
fn is_cyrillic(character: char) -> bool {
    matches!(
        character,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}'
    )
}

/// Any string, biased towards the characters names are made of.
fn name_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[а-яёА-ЯЁўғқҳӯӣҷәөүұңһіЎҒҚҲӮӢҶӘӨҮҰҢҺІ \\-'ʹʺʻʼ\u{301}\u{306}\u{308}a-zA-Z]{0,30}",
        "[a-zA-Zšžčŝûâëéèėĭȳʻʼ'` \\-]{0,30}",
    ]
}

/// Any string without Cyrillic characters (combining marks and all other scripts allowed).
fn non_cyrillic_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>().prop_filter("not Cyrillic", |c| !is_cyrillic(*c)), 0..40)
            .prop_map(|characters| characters.into_iter().collect::<String>()),
        "[a-zA-Z0-9 .,'\\-ʻʼ\u{300}-\u{36F}À-ɏḀ-ỿ]{0,40}",
    ]
}

proptest! {
    #[test]
    fn no_public_function_panics(text in name_like_text()) {
        for scheme in Scheme::ALL {
            let _ = transliterate(&text, scheme);
        }
        let _ = detect_script(&text);
        let _ = contains_unsupported_script(&text);
        let _ = latin_skeleton(&text);
        let _ = Scheme::from_id(&text);
    }

    #[test]
    fn non_cyrillic_text_is_unchanged_by_transliteration(text in non_cyrillic_text()) {
        for scheme in Scheme::ALL {
            prop_assert_eq!(transliterate(&text, scheme), text.clone(), "{}", scheme.id());
        }
    }

    #[test]
    fn skeletons_are_lowercase_ascii_words(text in name_like_text()) {
        let skeleton = latin_skeleton(&text);
        prop_assert!(skeleton.chars().all(|character| character.is_ascii_lowercase() || character == ' '));
        prop_assert!(!skeleton.starts_with(' ') && !skeleton.ends_with(' ') && !skeleton.contains("  "));
        prop_assert_eq!(latin_skeleton(&skeleton), skeleton.clone(), "a skeleton is its own skeleton");
    }

    #[test]
    fn transliteration_leaves_no_russian_letters(text in "[а-яёА-ЯЁ -]{0,30}") {
        for scheme in Scheme::ALL {
            let output = transliterate(&text, scheme);
            prop_assert!(!output.chars().any(is_cyrillic), "{}: {}", scheme.id(), output);
        }
    }
}

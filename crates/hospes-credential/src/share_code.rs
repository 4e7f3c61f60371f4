//! Share codes: nine characters a holder reads out or types, instead of showing a QR code.
//!
//! The alphabet leaves out every character that is easy to misread or mistype as another:
//! `0 O`, `1 I L`, and `U` (read as `V`). Thirty characters remain, so a code carries
//! 9 × log2(30) ≈ 44 bits: too many to guess while a code is short-lived and attempts are
//! rate-limited (which the service that stores codes must do). Codes are shown in groups of
//! three (`K7M-2QX-9TF`); typing them back is forgiving about case, spaces and dashes, and
//! strict about everything else.

use std::fmt;
use std::str::FromStr;

use rand::Rng as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The characters of a share code.
const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// The number of characters in a share code.
const LENGTH: usize = 9;

/// A share code, normalised: nine characters of the alphabet above.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShareCode([u8; LENGTH]);

/// Why typed text is not a share code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareCodeError {
    /// Nothing but spaces and dashes.
    #[error("the share code is empty")]
    Empty,
    /// A character that is never part of a share code, with its position among the characters
    /// typed (counting from 1, spaces and dashes included) and, when it looks like one, the
    /// character meant.
    #[error("{}", describe_character(*character, *position, *meant))]
    InvalidCharacter {
        /// The character typed.
        character: char,
        /// Its position, counting from 1.
        position: usize,
        /// The share-code character it is easily confused with, if any.
        meant: Option<char>,
    },
    /// Too few or too many characters.
    #[error("a share code has {LENGTH} characters, this has {found}")]
    WrongLength {
        /// How many code characters were typed.
        found: usize,
    },
}

fn describe_character(character: char, position: usize, meant: Option<char>) -> String {
    let hint = match meant {
        Some(meant) => format!("; did you mean {meant:?}?"),
        None => String::new(),
    };
    format!("character {position}, {character:?}, is not used in share codes{hint}")
}

impl ShareCode {
    /// A new random code.
    pub fn generate<R: rand::CryptoRng + ?Sized>(random: &mut R) -> Self {
        let mut code = [0u8; LENGTH];
        for character in &mut code {
            // `random_range` draws uniformly (rejection sampling), so every character is equally likely.
            *character = ALPHABET[random.random_range(0..ALPHABET.len())];
        }
        ShareCode(code)
    }

    /// Parses what a person typed: case, spaces, dashes and other separators are ignored.
    pub fn parse(typed: &str) -> Result<Self, ShareCodeError> {
        let mut code = Vec::with_capacity(LENGTH);
        for (index, character) in typed.chars().enumerate() {
            if is_separator(character) {
                continue;
            }
            let upper = character.to_ascii_uppercase();
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return Err(ShareCodeError::InvalidCharacter {
                    character,
                    position: index + 1,
                    meant: confusable(upper),
                });
            }
            code.push(upper as u8);
        }
        if code.is_empty() {
            return Err(ShareCodeError::Empty);
        }
        let found = code.len();
        code.try_into().map(ShareCode).map_err(|_| ShareCodeError::WrongLength { found })
    }

    /// The nine characters without separators, for storage and comparison.
    pub fn as_str(&self) -> &str {
        // Every byte comes from ALPHABET, which is ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn is_separator(character: char) -> bool {
    character.is_whitespace() || matches!(character, '-' | '‐' | '‑' | '‒' | '–' | '—' | '_' | '.')
}

/// The share-code character a left-out character is mistaken for: only `U` has a look-alike
/// left in the alphabet (`V`); `0 O 1 I L` have none, by design.
fn confusable(character: char) -> Option<char> {
    (character == 'U').then_some('V')
}

/// Shown in groups of three: `K7M-2QX-9TF`.
impl fmt::Display for ShareCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.as_str();
        write!(formatter, "{}-{}-{}", &text[0..3], &text[3..6], &text[6..9])
    }
}

impl fmt::Debug for ShareCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "ShareCode({self})")
    }
}

impl FromStr for ShareCode {
    type Err = ShareCodeError;

    fn from_str(typed: &str) -> Result<Self, Self::Err> {
        ShareCode::parse(typed)
    }
}

impl Serialize for ShareCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ShareCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ShareCode::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;

    #[test]
    fn the_alphabet_has_no_ambiguous_characters() {
        for ambiguous in b"01OILU" {
            assert!(!ALPHABET.contains(ambiguous), "{}", *ambiguous as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 30);
    }

    #[test]
    fn generated_codes_parse_back_in_any_typing() {
        let mut random = rand::rng();
        for _ in 0..200 {
            let code = ShareCode::generate(&mut random);
            let shown = code.to_string();
            assert_eq!(shown.len(), 11);
            for typed in [shown.clone(), shown.to_lowercase(), shown.replace('-', " "), format!("  {} ", code.as_str())]
            {
                assert_eq!(ShareCode::parse(&typed), Ok(code), "{typed:?}");
            }
        }
    }

    #[test]
    fn generated_codes_use_the_whole_alphabet() {
        let mut random = rand::rng();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            seen.extend(ShareCode::generate(&mut random).as_str().bytes());
        }
        assert_eq!(seen.len(), ALPHABET.len());
    }

    #[test]
    fn typing_errors_are_explained() {
        let check = |typed: &str, expected: Result<&str, ShareCodeError>| {
            let parsed = ShareCode::parse(typed);
            assert_eq!(parsed.as_ref().map(ShareCode::as_str).map_err(Clone::clone), expected, "{typed:?}");
        };
        check("k7m–2qx—9tf", Ok("K7M2QX9TF"));
        check("K7M 2QX 9TF", Ok("K7M2QX9TF"));
        check(" - ", Err(ShareCodeError::Empty));
        check("K7M-2QX-9T", Err(ShareCodeError::WrongLength { found: 8 }));
        check("K7M-2QX-9TFA", Err(ShareCodeError::WrongLength { found: 10 }));
        check("K7M-0QX-9TF", Err(ShareCodeError::InvalidCharacter { character: '0', position: 5, meant: None }));
        check("k7m-2qx-9tu", Err(ShareCodeError::InvalidCharacter { character: 'u', position: 11, meant: Some('V') }));
        check("K7M#2QX9TF", Err(ShareCodeError::InvalidCharacter { character: '#', position: 4, meant: None }));
        check("К7М2QX9TF", Err(ShareCodeError::InvalidCharacter { character: 'К', position: 1, meant: None }));
        let message = ShareCode::parse("k7m-2qx-9tu").unwrap_err().to_string();
        assert_eq!(message, "character 11, 'u', is not used in share codes; did you mean 'V'?");
    }

    #[test]
    fn serialises_in_groups() {
        let code = ShareCode::parse("K7M2QX9TF").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"K7M-2QX-9TF\"");
        assert_eq!(serde_json::from_str::<ShareCode>("\"k7m2qx9tf\"").unwrap(), code);
    }
}

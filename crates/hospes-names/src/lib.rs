//! Name normalisation and transliteration across Cyrillic and Latin scripts (a leaf library).
//!
//! Records about one person reach the registry from many agencies: the same name arrives in
//! Russian, Uzbek, Tajik, Kazakh or Kyrgyz Cyrillic, and in Latin under a dozen
//! romanisation schemes (passport ICAO, older MVD orders, BGN/PCGN, ISO 9, Uzbek Latin,
//! informal typing). This crate offers three tools for that. [`transliterate`] writes
//! Cyrillic text in Latin under a chosen [`Scheme`]; the schemes are tables of Rust data
//! (per-letter values plus the context rules some schemes have, such as BGN/PCGN `ye` at
//! the start of a word) and keep the case of the source. [`detect_script`] and
//! [`contains_unsupported_script`] say which script a name is in. [`latin_skeleton`] reduces
//! any of those spellings to one lowercase ASCII key (`Юсупов`, `YUSUPOV`, `Iusupov` and
//! `Ûsupov` all become `iusupov`), a first, deliberately forgiving key for finding records
//! that may describe the same person. The crate has no I/O and depends on no other Hospes
//! crate.
//!
//! ```
//! use hospes_names::{Scheme, Script, detect_script, latin_skeleton, transliterate};
//!
//! assert_eq!(transliterate("Юлия Щеглова", Scheme::IcaoDoc9303), "Iuliia Shcheglova");
//! assert_eq!(transliterate("ЮСУПОВ", Scheme::Wikipedia), "YUSUPOV");
//! assert_eq!(transliterate("Ўткир", Scheme::Uzbek), "Oʻtkir");
//! assert_eq!(detect_script("Алишер"), Script::Cyrillic);
//! assert_eq!(latin_skeleton("Бахтиёрович"), latin_skeleton("Baxtiyorovich"));
//! ```

mod characters;
mod parts;
mod scheme;
mod script;
mod skeleton;
mod tables;
mod transliterate;

pub use parts::{
    AnalysedName, NameWord, Patronymic, analyse_name, analyse_words, assemble_name, is_patronymic_marker, name_words,
    patronymic_stem,
};
pub use scheme::{Scheme, UnknownSchemeError};
pub use script::{Script, contains_unsupported_script, detect_script};
pub use skeleton::latin_skeleton;
pub use transliterate::transliterate;

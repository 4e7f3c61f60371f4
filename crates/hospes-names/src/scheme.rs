//! The transliteration schemes this crate knows, with stable identifiers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::tables::{self, SchemeTable};

/// A Cyrillic-to-Latin transliteration scheme.
///
/// The identifier of each scheme ([`Scheme::id`]) is stable, snake_case and equal to the
/// file name used by the iuliia project, so records can name the scheme they were written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scheme {
    /// ICAO Doc 9303: machine-readable travel documents; Russian passports since 2014.
    #[serde(rename = "icao_doc_9303")]
    IcaoDoc9303,
    /// GOST R 52535.1-2006: Russian passports 2010-2014.
    #[serde(rename = "gost_52535")]
    Gost52535,
    /// MVD order 310 (1997): Russian passports 1997-2010.
    #[serde(rename = "mvd_310")]
    Mvd310,
    /// MVD order 310 (1997), French variant: older passports.
    #[serde(rename = "mvd_310_fr")]
    Mvd310French,
    /// MVD order 782 (2000): driving licences.
    #[serde(rename = "mvd_782")]
    Mvd782,
    /// BGN/PCGN 1947, with the optional middle dot.
    #[serde(rename = "bgn_pcgn")]
    BgnPcgn,
    /// BGN/PCGN 1947 without the middle dot.
    #[serde(rename = "bgn_pcgn_alt")]
    BgnPcgnAlternative,
    /// ISO 9:1995 = GOST 7.79-2000 system A, one Latin letter (with diacritics) per letter.
    #[serde(rename = "gost_779")]
    Gost779,
    /// GOST 7.79-2000 system B, ASCII only.
    #[serde(rename = "gost_779_alt")]
    Gost779Alternative,
    /// ALA-LC (Library of Congress), with diacritics and tie bars.
    #[serde(rename = "ala_lc")]
    AlaLc,
    /// ALA-LC without diacritics.
    #[serde(rename = "ala_lc_alt")]
    AlaLcAlternative,
    /// Scholarly (linguistic) transliteration.
    #[serde(rename = "scientific")]
    Scientific,
    /// The system of the English Wikipedia.
    #[serde(rename = "wikipedia")]
    Wikipedia,
    /// The informal system of the Telegram messenger.
    #[serde(rename = "telegram")]
    Telegram,
    /// Yandex.Money (bank card names).
    #[serde(rename = "yandex_money")]
    YandexMoney,
    /// Yandex.Maps.
    #[serde(rename = "yandex_maps")]
    YandexMaps,
    /// The Moscow Metro map.
    #[serde(rename = "mosmetro")]
    Mosmetro,
    /// Uzbek Cyrillic to the official Uzbek Latin alphabet (oʻ, gʻ, sh, ch, x).
    #[serde(rename = "uz")]
    Uzbek,
    /// GOST R 52290-2004: road signs.
    #[serde(rename = "gost_52290")]
    Gost52290,
    /// GOST R 7.0.34-2014: simplified bibliographic transliteration.
    #[serde(rename = "gost_7034")]
    Gost7034,
    /// GOST 16876-71 table 1 (diacritics; the same letters as ISO 9:1995).
    #[serde(rename = "gost_16876")]
    Gost16876,
    /// GOST 16876-71 table 2 (ASCII).
    #[serde(rename = "gost_16876_alt")]
    Gost16876Alternative,
    /// ISO/R 9:1954.
    #[serde(rename = "iso_9_1954")]
    Iso9Of1954,
    /// ISO/R 9:1968.
    #[serde(rename = "iso_9_1968")]
    Iso9Of1968,
    /// ISO/R 9:1968, English-oriented alternative.
    #[serde(rename = "iso_9_1968_alt")]
    Iso9Of1968Alternative,
    /// UNGEGN resolution V/18 (1987).
    #[serde(rename = "ungegn_1987")]
    Ungegn1987,
    /// British Standard 2979:1958.
    #[serde(rename = "bs_2979")]
    BritishStandard2979,
    /// British Standard 2979:1958 without diacritics.
    #[serde(rename = "bs_2979_alt")]
    BritishStandard2979Alternative,
}

impl Scheme {
    /// Every scheme, in the order of the enum.
    pub const ALL: [Scheme; 28] = [
        Scheme::IcaoDoc9303,
        Scheme::Gost52535,
        Scheme::Mvd310,
        Scheme::Mvd310French,
        Scheme::Mvd782,
        Scheme::BgnPcgn,
        Scheme::BgnPcgnAlternative,
        Scheme::Gost779,
        Scheme::Gost779Alternative,
        Scheme::AlaLc,
        Scheme::AlaLcAlternative,
        Scheme::Scientific,
        Scheme::Wikipedia,
        Scheme::Telegram,
        Scheme::YandexMoney,
        Scheme::YandexMaps,
        Scheme::Mosmetro,
        Scheme::Uzbek,
        Scheme::Gost52290,
        Scheme::Gost7034,
        Scheme::Gost16876,
        Scheme::Gost16876Alternative,
        Scheme::Iso9Of1954,
        Scheme::Iso9Of1968,
        Scheme::Iso9Of1968Alternative,
        Scheme::Ungegn1987,
        Scheme::BritishStandard2979,
        Scheme::BritishStandard2979Alternative,
    ];

    /// The stable snake_case identifier (the iuliia file name without `.json`).
    pub const fn id(self) -> &'static str {
        match self {
            Scheme::IcaoDoc9303 => "icao_doc_9303",
            Scheme::Gost52535 => "gost_52535",
            Scheme::Mvd310 => "mvd_310",
            Scheme::Mvd310French => "mvd_310_fr",
            Scheme::Mvd782 => "mvd_782",
            Scheme::BgnPcgn => "bgn_pcgn",
            Scheme::BgnPcgnAlternative => "bgn_pcgn_alt",
            Scheme::Gost779 => "gost_779",
            Scheme::Gost779Alternative => "gost_779_alt",
            Scheme::AlaLc => "ala_lc",
            Scheme::AlaLcAlternative => "ala_lc_alt",
            Scheme::Scientific => "scientific",
            Scheme::Wikipedia => "wikipedia",
            Scheme::Telegram => "telegram",
            Scheme::YandexMoney => "yandex_money",
            Scheme::YandexMaps => "yandex_maps",
            Scheme::Mosmetro => "mosmetro",
            Scheme::Uzbek => "uz",
            Scheme::Gost52290 => "gost_52290",
            Scheme::Gost7034 => "gost_7034",
            Scheme::Gost16876 => "gost_16876",
            Scheme::Gost16876Alternative => "gost_16876_alt",
            Scheme::Iso9Of1954 => "iso_9_1954",
            Scheme::Iso9Of1968 => "iso_9_1968",
            Scheme::Iso9Of1968Alternative => "iso_9_1968_alt",
            Scheme::Ungegn1987 => "ungegn_1987",
            Scheme::BritishStandard2979 => "bs_2979",
            Scheme::BritishStandard2979Alternative => "bs_2979_alt",
        }
    }

    /// The scheme with the given identifier, if there is one.
    pub fn from_id(id: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|scheme| scheme.id() == id)
    }

    /// Transliterates `text` with this scheme; see [`crate::transliterate`].
    pub fn transliterate(self, text: &str) -> String {
        crate::transliterate::transliterate(text, self)
    }

    pub(crate) fn table(self) -> &'static SchemeTable {
        match self {
            Scheme::IcaoDoc9303 => &tables::ICAO_DOC_9303,
            Scheme::Gost52535 => &tables::GOST_52535,
            Scheme::Mvd310 => &tables::MVD_310,
            Scheme::Mvd310French => &tables::MVD_310_FRENCH,
            Scheme::Mvd782 => &tables::MVD_782,
            Scheme::BgnPcgn => &tables::BGN_PCGN,
            Scheme::BgnPcgnAlternative => &tables::BGN_PCGN_ALTERNATIVE,
            Scheme::Gost779 => &tables::GOST_779,
            Scheme::Gost779Alternative => &tables::GOST_779_ALTERNATIVE,
            Scheme::AlaLc => &tables::ALA_LC,
            Scheme::AlaLcAlternative => &tables::ALA_LC_ALTERNATIVE,
            Scheme::Scientific => &tables::SCIENTIFIC,
            Scheme::Wikipedia => &tables::WIKIPEDIA,
            Scheme::Telegram => &tables::TELEGRAM,
            Scheme::YandexMoney => &tables::YANDEX_MONEY,
            Scheme::YandexMaps => &tables::YANDEX_MAPS,
            Scheme::Mosmetro => &tables::MOSMETRO,
            Scheme::Uzbek => &tables::UZBEK,
            Scheme::Gost52290 => &tables::GOST_52290,
            Scheme::Gost7034 => &tables::GOST_7034,
            Scheme::Gost16876 => &tables::GOST_16876,
            Scheme::Gost16876Alternative => &tables::GOST_16876_ALTERNATIVE,
            Scheme::Iso9Of1954 => &tables::ISO_9_1954,
            Scheme::Iso9Of1968 => &tables::ISO_9_1968,
            Scheme::Iso9Of1968Alternative => &tables::ISO_9_1968_ALTERNATIVE,
            Scheme::Ungegn1987 => &tables::UNGEGN_1987,
            Scheme::BritishStandard2979 => &tables::BRITISH_STANDARD_2979,
            Scheme::BritishStandard2979Alternative => &tables::BRITISH_STANDARD_2979_ALTERNATIVE,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.id())
    }
}

/// Returned when a string names no scheme this crate knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown transliteration scheme {identifier:?}")]
pub struct UnknownSchemeError {
    /// The identifier that was asked for.
    pub identifier: String,
}

impl FromStr for Scheme {
    type Err = UnknownSchemeError;

    fn from_str(identifier: &str) -> Result<Self, Self::Err> {
        Scheme::from_id(identifier).ok_or_else(|| UnknownSchemeError { identifier: identifier.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_round_trip_and_are_unique() {
        for scheme in Scheme::ALL {
            assert_eq!(Scheme::from_id(scheme.id()), Some(scheme));
            assert_eq!(scheme.id().parse::<Scheme>(), Ok(scheme));
            assert_eq!(scheme.to_string(), scheme.id());
            let json = serde_json::to_string(&scheme).unwrap();
            assert_eq!(json, format!("\"{}\"", scheme.id()));
            assert_eq!(serde_json::from_str::<Scheme>(&json).unwrap(), scheme);
        }
        let mut identifiers: Vec<_> = Scheme::ALL.iter().map(|scheme| scheme.id()).collect();
        identifiers.sort_unstable();
        identifiers.dedup();
        assert_eq!(identifiers.len(), Scheme::ALL.len());
    }

    #[test]
    fn unknown_identifiers_are_errors() {
        assert_eq!(Scheme::from_id("klingon"), None);
        let error = "klingon".parse::<Scheme>().unwrap_err();
        assert_eq!(error.identifier, "klingon");
        assert_eq!(error.to_string(), "unknown transliteration scheme \"klingon\"");
    }
}

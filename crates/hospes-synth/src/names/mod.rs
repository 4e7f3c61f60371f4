//! Names: the lists they are drawn from, and every spelling an agency may give them.
//!
//! A person's name is drawn once, in the script of their passport's national page (national
//! Cyrillic, Latin with diacritics, Chinese characters, Georgian). From it come the spellings the
//! agencies use: the Latin of the passport's machine-readable zone, the Russian Cyrillic of Russian
//! offices, the origin country's own Latin, and older or informal romanisations.

mod builtin;
mod data;
pub(crate) mod forms;
pub(crate) mod transcription;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use hospes_model::Sex;
use hospes_mrz::{CyrillicLanguage, TransliterationOptions, UmlautStyle, transliterate_name};
use hospes_names::{Scheme, transliterate};
use rand::Rng;

use crate::countries::{LatinLanguage, NativeScript, Origin};
use crate::error::SynthError;
use crate::random::{chance, zipf_index};
use builtin::{BuiltinCountryNames, BuiltinName};
use data::{CLUSTERS_FILE, FORENAMES_FILE, SURNAMES_FILE, read_table, without_stress_marks};
use forms::{
    belarusian_patronymic, feminine_surname, national_word_patronymic, russian_style_patronymic, ukrainian_patronymic,
};
use transcription::{
    capitalise_words, has_pinyin_tone_marks, latin_from_georgian, pinyin_without_tones, russian_from_georgian,
    russian_from_latin, russian_from_national_cyrillic, russian_from_pinyin,
};

/// A name as drawn from a list: the native form, and the Russian form (Ukrainian, Belarusian) or
/// pinyin (Chinese) where the list gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameEntry {
    pub(crate) native: String,
    pub(crate) alternate: Option<String>,
    /// Every spelling, computed once when the lists are loaded (absent for names built on the fly).
    pub(crate) forms: Option<Arc<EntryForms>>,
}

impl NameEntry {
    pub(crate) fn new(native: impl Into<String>, alternate: Option<String>) -> Self {
        Self { native: native.into(), alternate, forms: None }
    }
}

/// The spellings of a list entry in the roles it can play.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct EntryForms {
    /// As a given name (for the sex of its list).
    given: Option<PartForms>,
    /// As a surname: masculine and feminine forms.
    surname: Option<[PartForms; 2]>,
    /// As a father's name: the patronymics of a son and a daughter, in the Russian and the
    /// national style.
    patronymics: Option<Box<[[PatronymicSpellings; 2]; 2]>>,
}

/// Names in order of frequency, drawn with a Zipf-like law.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameList {
    entries: Vec<NameEntry>,
}

impl NameList {
    fn push_unique(&mut self, entry: NameEntry) {
        if !self.entries.iter().any(|known| known.native == entry.native) {
            self.entries.push(entry);
        }
    }

    fn extend_builtin(&mut self, names: &[BuiltinName]) {
        for (native, alternate) in names {
            self.push_unique(NameEntry::new(*native, (!alternate.is_empty()).then(|| (*alternate).to_owned())));
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn draw(&self, rng: &mut impl Rng) -> Option<&NameEntry> {
        if self.entries.is_empty() {
            return None;
        }
        self.entries.get(zipf_index(rng, self.entries.len()))
    }
}

/// The name lists of one country.
#[derive(Debug, Clone, Default)]
pub(crate) struct CountryNames {
    /// Given names of people born before about 2008.
    male_classic: NameList,
    female_classic: NameList,
    /// Given names popular with recent births (the data's baby-name lists).
    male_modern: NameList,
    female_modern: NameList,
    pub(crate) surnames: NameList,
}

impl CountryNames {
    fn from_builtin(names: &BuiltinCountryNames) -> Self {
        let mut country = Self::default();
        country.male_classic.extend_builtin(names.male);
        country.female_classic.extend_builtin(names.female);
        country.surnames.extend_builtin(names.surnames);
        country
    }

    /// A given name for someone of `sex` born in `birth_year`: recent lists for the young.
    pub(crate) fn draw_given(&self, rng: &mut impl Rng, sex: Sex, birth_year: i32) -> Option<&NameEntry> {
        let (classic, modern) = match sex {
            Sex::Female => (&self.female_classic, &self.female_modern),
            _ => (&self.male_classic, &self.male_modern),
        };
        let prefer_modern = if birth_year >= 2008 { 0.8 } else { 0.1 };
        let use_modern = modern.len() > 0 && (classic.len() == 0 || chance(rng, prefer_modern));
        if use_modern { modern.draw(rng) } else { classic.draw(rng) }
    }

    pub(crate) fn draw_surname(&self, rng: &mut impl Rng) -> Option<&NameEntry> {
        self.surnames.draw(rng)
    }
}

/// Every name list the generator draws from.
#[derive(Debug, Clone)]
pub(crate) struct NameBank {
    countries: Vec<CountryNames>,
    pub(crate) hosts: CountryNames,
    pub(crate) warnings: Vec<String>,
    /// Names taken from the data files, per file.
    pub(crate) data_names_used: BTreeMap<String, usize>,
}

fn builtin_for(origin: Origin) -> &'static BuiltinCountryNames {
    match origin {
        Origin::Uzbekistan => &builtin::UZBEK,
        Origin::Tajikistan => &builtin::TAJIK,
        Origin::Kyrgyzstan => &builtin::KYRGYZ,
        Origin::Kazakhstan => &builtin::KAZAKH,
        Origin::Ukraine => &builtin::UKRAINIAN,
        Origin::Armenia => &builtin::ARMENIAN,
        Origin::Azerbaijan => &builtin::AZERBAIJANI,
        Origin::Moldova => &builtin::MOLDOVAN,
        Origin::Belarus => &builtin::BELARUSIAN,
        Origin::China => &builtin::CHINESE,
        Origin::Vietnam => &builtin::VIETNAMESE,
        Origin::India => &builtin::INDIAN,
        Origin::Turkey => &builtin::TURKISH,
        Origin::Georgia => &builtin::GEORGIAN,
    }
}

fn is_cyrillic_letter(character: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&character)
}

fn is_latin_letter(character: char) -> bool {
    character.is_ascii_alphabetic()
        || ('\u{00C0}'..='\u{024F}').contains(&character)
        || ('\u{1E00}'..='\u{1EFF}').contains(&character)
}

fn is_georgian_letter(character: char) -> bool {
    ('\u{10D0}'..='\u{10FF}').contains(&character)
}

fn is_han(character: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&character)
}

/// Whether every letter of `text` belongs to the script `origin` writes names in, and the text is
/// a valid name part.
fn fits_script(origin: Origin, text: &str) -> bool {
    if text.is_empty() || hospes_model::NamePart::parse(text).is_err() {
        return false;
    }
    let letters = || text.chars().filter(|character| character.is_alphabetic());
    match origin.native_script() {
        NativeScript::Cyrillic(_) => letters().all(is_cyrillic_letter),
        NativeScript::Latin(_) => letters().all(is_latin_letter),
        NativeScript::Georgian => letters().all(is_georgian_letter),
        NativeScript::Han => letters().all(is_han),
    }
}

/// Azerbaijani names in the data are in English-style ASCII (`Elchin`, `Sevinj`); written back
/// in Azerbaijani letters (`Elçin`, `Sevinc`) they match the passports.
fn azerbaijani_from_english_spelling(text: &str) -> String {
    text.replace("ch", "ç")
        .replace("sh", "ş")
        .replace("Sh", "Ş")
        .replace("Ch", "Ç")
        .replace("gh", "ğ")
        .replace("kh", "x")
        .replace('j', "c")
}

impl NameBank {
    /// The built-in lists only, with `reason` as a warning.
    pub(crate) fn builtin_only(reason: String) -> Self {
        let mut bank = Self::builtin_unspelt(reason);
        bank.spell_every_entry();
        bank
    }

    fn builtin_unspelt(reason: String) -> Self {
        Self {
            countries: Origin::ALL.iter().map(|origin| CountryNames::from_builtin(builtin_for(*origin))).collect(),
            hosts: CountryNames::from_builtin(&builtin::RUSSIAN_HOSTS),
            warnings: vec![reason],
            data_names_used: BTreeMap::new(),
        }
    }

    /// Computes every entry's spellings once; entries that cannot be spelt are dropped.
    fn spell_every_entry(&mut self) {
        for (origin, country) in Origin::ALL.iter().zip(self.countries.iter_mut()) {
            for (list, sex) in [
                (&mut country.male_classic, Sex::Male),
                (&mut country.male_modern, Sex::Male),
                (&mut country.female_classic, Sex::Female),
                (&mut country.female_modern, Sex::Female),
            ] {
                list.entries.retain_mut(|entry| {
                    let Ok(given) = part_forms(*origin, entry, PartRole::Given, sex) else {
                        return false;
                    };
                    let patronymics = (sex == Sex::Male && origin.patronymic_share() > 0.0).then(|| {
                        let style = |child: Sex, national: bool| patronymics(*origin, child, &given, national);
                        Box::new([
                            [style(Sex::Male, false), style(Sex::Male, true)],
                            [style(Sex::Female, false), style(Sex::Female, true)],
                        ])
                    });
                    entry.forms = Some(Arc::new(EntryForms { given: Some(given), surname: None, patronymics }));
                    true
                });
            }
            country.surnames.entries.retain_mut(|entry| {
                let masculine = part_forms(*origin, entry, PartRole::Surname, Sex::Male);
                let feminine = part_forms(*origin, entry, PartRole::Surname, Sex::Female);
                match (masculine, feminine) {
                    (Ok(masculine), Ok(feminine)) => {
                        entry.forms = Some(Arc::new(EntryForms {
                            given: None,
                            surname: Some([masculine, feminine]),
                            patronymics: None,
                        }));
                        true
                    }
                    _ => false,
                }
            });
        }
    }

    /// The built-in lists extended with the data under `directory`; a missing directory or file
    /// is a warning, an unreadable one an error.
    pub(crate) fn load(directory: &Path) -> Result<Self, SynthError> {
        if !directory.is_dir() {
            return Ok(Self::builtin_only(format!(
                "names data directory {} not found: using the built-in name lists only",
                directory.display()
            )));
        }
        let mut bank = Self::builtin_unspelt(String::new());
        bank.warnings.clear();
        // Data names come first (they are ranked); built-in names follow.
        let mut data_countries: Vec<CountryNames> = vec![CountryNames::default(); Origin::ALL.len()];
        let mut data_host_surnames = NameList::default();

        match read_table(directory, FORENAMES_FILE, &["Country", "Gender", "Localized Name", "Romanized Name", "Year"])?
        {
            None => bank.warn_missing(directory, FORENAMES_FILE),
            Some(table) => {
                let mut used = 0;
                for row in table.rows() {
                    let Some(origin) = Origin::ALL.into_iter().find(|origin| origin.alpha2() == row.get("Country"))
                    else {
                        continue;
                    };
                    let Some(entry) = forename_entry(origin, row.get("Localized Name"), row.get("Romanized Name"))
                    else {
                        continue;
                    };
                    let modern = row.get("Year").parse::<i32>().is_ok_and(|year| year >= 2015);
                    let country = &mut data_countries[origin.position()];
                    let list = match (row.get("Gender"), modern) {
                        ("M", false) => &mut country.male_classic,
                        ("M", true) => &mut country.male_modern,
                        ("F", false) => &mut country.female_classic,
                        ("F", true) => &mut country.female_modern,
                        _ => continue,
                    };
                    list.push_unique(entry);
                    used += 1;
                }
                bank.data_names_used.insert(FORENAMES_FILE.to_owned(), used);
            }
        }

        match read_table(directory, SURNAMES_FILE, &["Country", "Rank", "Localized Name", "Romanized Name"])? {
            None => bank.warn_missing(directory, SURNAMES_FILE),
            Some(table) => {
                let mut used = 0;
                let mut belarusian_russian_forms: BTreeMap<String, String> = BTreeMap::new();
                for row in table.rows() {
                    let Some(origin) = Origin::ALL.into_iter().find(|origin| origin.alpha2() == row.get("Country"))
                    else {
                        continue;
                    };
                    let localized = without_stress_marks(row.get("Localized Name"));
                    let romanized = without_stress_marks(row.get("Romanized Name"));
                    if origin == Origin::Belarus {
                        // Rows come in pairs of one rank: the Russian form (with a romanisation),
                        // then the Belarusian form.
                        let rank = row.get("Rank").to_owned();
                        if !romanized.is_empty() {
                            belarusian_russian_forms.insert(rank, localized);
                        } else if let Some(russian) = belarusian_russian_forms.get(&rank)
                            && fits_script(origin, &localized)
                        {
                            data_countries[origin.position()]
                                .surnames
                                .push_unique(NameEntry::new(localized, Some(russian.clone())));
                            used += 1;
                        }
                        continue;
                    }
                    for entry in surname_entries(origin, &localized, &romanized) {
                        data_countries[origin.position()].surnames.push_unique(entry);
                        used += 1;
                    }
                }
                bank.data_names_used.insert(SURNAMES_FILE.to_owned(), used);
            }
        }

        match read_table(directory, CLUSTERS_FILE, &["cluster_id", "country", "kind", "cyrillic_no_stress"])? {
            None => bank.warn_missing(directory, CLUSTERS_FILE),
            Some(table) => {
                let mut used = 0;
                let mut seen_clusters = std::collections::BTreeSet::new();
                for row in table.rows() {
                    if !seen_clusters.insert(row.get("cluster_id").to_owned()) {
                        continue;
                    }
                    let native = without_stress_marks(row.get("cyrillic_no_stress"));
                    match (row.get("country"), row.get("kind")) {
                        ("KZ", "surname") if fits_script(Origin::Kazakhstan, &native) => {
                            data_countries[Origin::Kazakhstan.position()]
                                .surnames
                                .push_unique(NameEntry::new(native, None));
                            used += 1;
                        }
                        ("RU", "surname") if fits_script(Origin::Ukraine, &native) => {
                            data_host_surnames.push_unique(NameEntry::new(native, None));
                            used += 1;
                        }
                        _ => {}
                    }
                }
                bank.data_names_used.insert(CLUSTERS_FILE.to_owned(), used);
            }
        }

        for (position, data_country) in data_countries.into_iter().enumerate() {
            let builtin = std::mem::take(&mut bank.countries[position]);
            bank.countries[position] = merge(data_country, builtin);
        }
        let builtin_hosts = std::mem::take(&mut bank.hosts.surnames);
        for entry in builtin_hosts.entries {
            data_host_surnames.push_unique(entry);
        }
        bank.hosts.surnames = data_host_surnames;
        bank.spell_every_entry();
        Ok(bank)
    }

    fn warn_missing(&mut self, directory: &Path, file: &str) {
        self.warnings.push(format!(
            "names data file {} not found: the built-in lists stand in for it",
            directory.join(file).display()
        ));
    }

    pub(crate) fn country(&self, origin: Origin) -> &CountryNames {
        &self.countries[origin.position()]
    }
}

/// Data names first, then built-in names not already present.
fn merge(mut data: CountryNames, builtin: CountryNames) -> CountryNames {
    for (target, source) in [
        (&mut data.male_classic, builtin.male_classic),
        (&mut data.female_classic, builtin.female_classic),
        (&mut data.male_modern, builtin.male_modern),
        (&mut data.female_modern, builtin.female_modern),
        (&mut data.surnames, builtin.surnames),
    ] {
        for entry in source.entries {
            target.push_unique(entry);
        }
    }
    data
}

/// A forename row of the data as an entry for `origin`, when the data has it in the right script.
fn forename_entry(origin: Origin, localized: &str, romanized: &str) -> Option<NameEntry> {
    let localized = without_stress_marks(localized);
    let romanized = without_stress_marks(romanized);
    match origin {
        // The data has only Latin forms of these Cyrillic-script names, or none at all.
        Origin::Uzbekistan | Origin::Tajikistan | Origin::Ukraine | Origin::Belarus | Origin::Vietnam => None,
        Origin::China => {
            let pinyin = capitalise_words(&pinyin_without_tones(&romanized));
            (fits_script(origin, &localized) && russian_from_pinyin(&pinyin).is_some())
                .then(|| NameEntry::new(localized, Some(pinyin)))
        }
        Origin::Azerbaijan => {
            let native = azerbaijani_from_english_spelling(&localized);
            fits_script(origin, &native).then(|| NameEntry::new(native, None))
        }
        _ => fits_script(origin, &localized).then(|| NameEntry::new(localized, None)),
    }
}

/// The surname entries one data row gives `origin` (Vietnamese rows list variants as `Huỳnh/Hoàng`).
fn surname_entries(origin: Origin, localized: &str, romanized: &str) -> Vec<NameEntry> {
    let single = |native: &str| -> Vec<NameEntry> {
        if fits_script(origin, native) { vec![NameEntry::new(native, None)] } else { Vec::new() }
    };
    match origin {
        Origin::Kazakhstan | Origin::Azerbaijan | Origin::Moldova | Origin::Turkey | Origin::Georgia => {
            single(localized)
        }
        Origin::Armenia | Origin::India => single(romanized),
        Origin::Vietnam => romanized
            .split('/')
            .filter(|variant| fits_script(origin, variant.trim()))
            .map(|variant| NameEntry::new(variant.trim(), None))
            .collect(),
        Origin::China => {
            if !has_pinyin_tone_marks(romanized) || !fits_script(origin, localized) {
                return Vec::new();
            }
            let pinyin = capitalise_words(&pinyin_without_tones(romanized));
            if russian_from_pinyin(&pinyin).is_none() {
                return Vec::new();
            }
            vec![NameEntry::new(localized, Some(pinyin))]
        }
        _ => Vec::new(),
    }
}

// ---- spellings ----------------------------------------------------------------------------------

/// Surname, given names and patronymic in one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct NameParts {
    pub(crate) surname: String,
    pub(crate) given: Option<String>,
    pub(crate) patronymic: Option<String>,
}

/// Every spelling of one person's name, as it stands in one period of their life (a married woman
/// has one set before her marriage and one after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameSet {
    /// As the passport's national page prints it, in the national script.
    pub(crate) native: NameParts,
    /// Whether `native` is in a script other than Russian Cyrillic and the Latin forms (so worth
    /// sending as a spelling of its own).
    pub(crate) native_is_distinct: bool,
    /// Russian Cyrillic as Russian offices write it, with a Russian-style patronymic.
    pub(crate) russian: NameParts,
    /// A second Russian spelling offices also use (`Джасур` for `Жасур`, `Александр` for
    /// `Олександр`, `Бахтиёр угли` for `Бахтиёрович`).
    pub(crate) russian_alternative: NameParts,
    /// The origin country's own Latin, in ordinary case.
    pub(crate) latin: NameParts,
    /// The machine-readable zone's letters (capitals, words separated by spaces), no patronymic.
    pub(crate) passport: NameParts,
    /// How passports issued before the country's change of romanisation spelled it.
    pub(crate) passport_before_switch: NameParts,
}

/// Where a person's surname comes from.
#[derive(Debug, Clone)]
pub(crate) enum SurnameSource {
    /// A family name from the lists (masculine form).
    Family(NameEntry),
    /// A maiden name and a married name joined by a hyphen.
    Double(NameEntry, NameEntry),
    /// The Kyrgyz `уулу` / `кызы` form built from the father's given name.
    FromFather,
    /// No surname: the single name is written in the surname field (as in some Indian passports).
    SingleName,
}

/// Choices about how a person's name is written that stay fixed for the person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpellingChoices {
    pub(crate) has_patronymic: bool,
    /// Whether the national page prints the patronymic in the national word form (`ўғли`)
    /// rather than the Russian style.
    pub(crate) national_patronymic_style: bool,
}

/// The year each country's passports switched romanisation (earlier passports used the Russian
/// MVD scheme of Soviet days).
fn romanisation_switch_year(origin: Origin) -> Option<i32> {
    match origin {
        Origin::Uzbekistan => Some(2011),
        Origin::Tajikistan | Origin::Kyrgyzstan => Some(2010),
        Origin::Kazakhstan => Some(2009),
        Origin::Belarus => Some(2013),
        _ => None,
    }
}

pub(crate) fn passport_uses_old_romanisation(origin: Origin, issue_year: i32) -> bool {
    romanisation_switch_year(origin).is_some_and(|switch| issue_year < switch)
}

/// Every spelling of one name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartForms {
    native: String,
    russian: String,
    russian_alternative: String,
    latin: String,
    /// MRZ letters, words separated by spaces.
    passport: String,
    passport_before_switch: String,
}

/// Which part of a name is spelt (Georgian grammar and some transcriptions care).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartRole {
    Surname,
    Given,
}

/// Every spelling of `entry` in `role` for someone of `sex`.
fn part_forms(origin: Origin, entry: &NameEntry, role: PartRole, sex: Sex) -> Result<PartForms, SynthError> {
    let entry = if role == PartRole::Surname { gendered_surname(origin, entry, sex) } else { entry.clone() };
    let spelled = spell_part(origin, &entry, role, sex);
    Ok(PartForms {
        passport: passport_spelling(origin, &spelled)?,
        passport_before_switch: if romanisation_switch_year(origin).is_some() {
            old_passport_spelling(&spelled)?
        } else {
            String::new()
        },
        native: spelled.native,
        russian: spelled.russian,
        russian_alternative: spelled.russian_alternative,
        latin: spelled.latin,
    })
}

/// The forms of `entry` in `role`: those computed at load time, or computed now.
fn forms_of<'entry>(
    origin: Origin,
    entry: &'entry NameEntry,
    role: PartRole,
    sex: Sex,
) -> Result<Cow<'entry, PartForms>, SynthError> {
    let cached = entry.forms.as_deref().and_then(|forms| match role {
        PartRole::Given => forms.given.as_ref(),
        PartRole::Surname => forms.surname.as_ref().map(|both| &both[usize::from(sex == Sex::Female)]),
    });
    match cached {
        Some(forms) => Ok(Cow::Borrowed(forms)),
        None => part_forms(origin, entry, role, sex).map(Cow::Owned),
    }
}

/// The spellings of one name part before its passport forms.
struct PartSpellings {
    native: String,
    russian: String,
    russian_alternative: String,
    latin: String,
}

fn spell_part(origin: Origin, entry: &NameEntry, role: PartRole, sex: Sex) -> PartSpellings {
    let native = entry.native.clone();
    match origin.native_script() {
        NativeScript::Cyrillic(language) => {
            let converted = russian_from_national_cyrillic(&native, language, false);
            let (russian, russian_alternative) = match (origin, &entry.alternate) {
                (Origin::Belarus, Some(russian)) => (russian.clone(), converted),
                (Origin::Ukraine, Some(russified)) => (converted, russified.clone()),
                (Origin::Uzbekistan, _) => (converted.clone(), russian_from_national_cyrillic(&native, language, true)),
                _ => (converted.clone(), converted),
            };
            let latin = if origin == Origin::Uzbekistan {
                transliterate(&native, Scheme::Uzbek)
            } else {
                name_characters_only(&transliterate(&russian, Scheme::BgnPcgnAlternative))
            };
            PartSpellings { native, russian, russian_alternative, latin }
        }
        NativeScript::Latin(language) => {
            let russian = russian_from_latin(&native, language);
            PartSpellings { russian_alternative: russian.clone(), russian, latin: native.clone(), native }
        }
        NativeScript::Han => {
            let pinyin = entry.alternate.clone().unwrap_or_default();
            let russian = russian_from_pinyin(&pinyin).unwrap_or_else(|| pinyin.clone());
            PartSpellings { native, russian_alternative: russian.clone(), russian, latin: pinyin }
        }
        NativeScript::Georgian => {
            let is_forename = role == PartRole::Given;
            let female = sex == Sex::Female;
            let russian = russian_from_georgian(&native, is_forename, female);
            PartSpellings {
                latin: latin_from_georgian(&native, is_forename, female),
                russian_alternative: russian.clone(),
                russian,
                native,
            }
        }
    }
}

/// The entry of a surname in its feminine form where the language has one.
fn gendered_surname(origin: Origin, entry: &NameEntry, sex: Sex) -> NameEntry {
    let gendered = matches!(
        origin,
        Origin::Uzbekistan
            | Origin::Tajikistan
            | Origin::Kyrgyzstan
            | Origin::Kazakhstan
            | Origin::Ukraine
            | Origin::Belarus
            | Origin::Azerbaijan
    );
    if sex != Sex::Female || !gendered {
        return entry.clone();
    }
    NameEntry::new(feminine_surname(&entry.native), entry.alternate.as_deref().map(feminine_surname))
}

/// MRZ letters of a Latin or national-script name: capitals, words separated by single spaces.
fn machine_readable(text: &str, options: &TransliterationOptions) -> Result<String, SynthError> {
    transliterate_name(text, options)
        .map(|letters| letters.replace('<', " "))
        .map_err(|error| SynthError::invalid("passport name", error))
}

fn passport_options(origin: Origin) -> TransliterationOptions {
    match origin.native_script() {
        NativeScript::Cyrillic(language) => TransliterationOptions::for_language(language),
        NativeScript::Latin(LatinLanguage::Turkish | LatinLanguage::Azerbaijani) => {
            TransliterationOptions { umlauts: UmlautStyle::BaseLetter, ..TransliterationOptions::default() }
        }
        _ => TransliterationOptions::default(),
    }
}

/// The passport spelling of a name part: national Latin where the country has one.
fn passport_spelling(origin: Origin, part: &PartSpellings) -> Result<String, SynthError> {
    let options = passport_options(origin);
    match origin.native_script() {
        NativeScript::Cyrillic(_) if origin == Origin::Uzbekistan => machine_readable(&part.latin, &options),
        NativeScript::Cyrillic(_) => machine_readable(&part.native, &options),
        NativeScript::Latin(_) | NativeScript::Han | NativeScript::Georgian => machine_readable(&part.latin, &options),
    }
}

/// The Soviet-era passport spelling: the Russian form under the MVD 1997 scheme.
fn old_passport_spelling(part: &PartSpellings) -> Result<String, SynthError> {
    let latin = transliterate(&part.russian.to_uppercase(), Scheme::Mvd310);
    machine_readable(&latin, &TransliterationOptions::for_language(CyrillicLanguage::Russian))
}

/// Drops what a name may not hold (the double prime some schemes write for `ъ`).
pub(crate) fn name_characters_only(text: &str) -> String {
    text.chars()
        .filter(|character| character.is_alphabetic() || matches!(character, ' ' | '-' | '\'' | '.' | 'ʼ' | 'ʻ' | '’'))
        .collect()
}

/// Builds every spelling of a name from the drawn parts.
pub(crate) fn compose_name_set(
    origin: Origin,
    sex: Sex,
    surname: &SurnameSource,
    given: &NameEntry,
    father: Option<&NameEntry>,
    choices: SpellingChoices,
) -> Result<NameSet, SynthError> {
    let given_forms = forms_of(origin, given, PartRole::Given, sex)?;
    let father_forms = father.map(|father| forms_of(origin, father, PartRole::Given, Sex::Male)).transpose()?;
    let surname_forms: Option<Cow<'_, PartForms>> = match surname {
        SurnameSource::Family(entry) => Some(forms_of(origin, entry, PartRole::Surname, sex)?),
        SurnameSource::Double(first, second) => {
            let first = forms_of(origin, first, PartRole::Surname, sex)?;
            let second = forms_of(origin, second, PartRole::Surname, sex)?;
            Some(Cow::Owned(PartForms {
                native: format!("{}-{}", first.native, second.native),
                russian: format!("{}-{}", first.russian, second.russian),
                russian_alternative: format!("{}-{}", first.russian_alternative, second.russian_alternative),
                latin: format!("{}-{}", first.latin, second.latin),
                passport: format!("{} {}", first.passport, second.passport),
                passport_before_switch: format!("{} {}", first.passport_before_switch, second.passport_before_switch),
            }))
        }
        SurnameSource::FromFather => father_forms.as_ref().map(|father| {
            let (word, latin_word, passport_word) =
                if sex == Sex::Female { ("кызы", "kyzy", "KYZY") } else { ("уулу", "uulu", "UULU") };
            Cow::Owned(PartForms {
                native: format!("{} {word}", father.native),
                russian: format!("{} {word}", father.russian),
                russian_alternative: format!("{} {word}", father.russian_alternative),
                latin: format!("{} {latin_word}", father.latin),
                passport: format!("{} {passport_word}", father.passport),
                passport_before_switch: format!("{} {passport_word}", father.passport_before_switch),
            })
        }),
        SurnameSource::SingleName => None,
    };

    let patronymic: Option<Cow<'_, PatronymicSpellings>> = match (father, &father_forms, choices.has_patronymic) {
        (Some(father), Some(father_forms), true) => {
            let cached =
                father.forms.as_deref().and_then(|forms| forms.patronymics.as_deref()).map(|table| {
                    &table[usize::from(sex == Sex::Female)][usize::from(choices.national_patronymic_style)]
                });
            Some(match cached {
                Some(spellings) => Cow::Borrowed(spellings),
                None => Cow::Owned(patronymics(origin, sex, father_forms, choices.national_patronymic_style)),
            })
        }
        _ => None,
    };

    let (surname_parts, given_parts): (Cow<'_, PartForms>, Option<Cow<'_, PartForms>>) = match surname_forms {
        Some(surname) => (surname, Some(given_forms)),
        None => (given_forms, None),
    };
    let parts = |select: fn(&PartForms) -> &String, patronymic: Option<&str>| NameParts {
        surname: select(&surname_parts).clone(),
        given: given_parts.as_deref().map(|given| select(given).clone()),
        patronymic: patronymic.map(str::to_owned),
    };
    let native = parts(|part| &part.native, patronymic.as_deref().and_then(|patronymic| patronymic.native.as_deref()));
    let russian = parts(|part| &part.russian, patronymic.as_deref().map(|patronymic| patronymic.russian.as_str()));
    let russian_alternative = parts(
        |part| &part.russian_alternative,
        patronymic.as_deref().map(|patronymic| patronymic.russian_alternative.as_str()),
    );
    let latin = parts(|part| &part.latin, patronymic.as_deref().and_then(|patronymic| patronymic.latin.as_deref()));
    let passport = parts(|part| &part.passport, None);
    let passport_before_switch = if romanisation_switch_year(origin).is_some() {
        parts(|part| &part.passport_before_switch, None)
    } else {
        passport.clone()
    };
    let native_is_distinct = match origin.native_script() {
        NativeScript::Han | NativeScript::Georgian => true,
        NativeScript::Cyrillic(_) => native != russian,
        // Latin with national letters (`Nguyễn`, `Məmmədov`) is a spelling of its own.
        NativeScript::Latin(_) => {
            !native.surname.is_ascii() || native.given.as_deref().is_some_and(|given| !given.is_ascii())
        }
    };
    Ok(NameSet { native, native_is_distinct, russian, russian_alternative, latin, passport, passport_before_switch })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatronymicSpellings {
    native: Option<String>,
    russian: String,
    russian_alternative: String,
    latin: Option<String>,
}

fn patronymics(origin: Origin, sex: Sex, father: &PartForms, national_style: bool) -> PatronymicSpellings {
    // The Russian style from the father's Russian given name (`Александрович`, `Бахтиёрович`).
    let russian_father = match origin {
        Origin::Ukraine => &father.russian_alternative,
        _ => &father.russian,
    };
    let russian = russian_style_patronymic(russian_father, sex);
    let national_word = national_word_patronymic(&father.native, sex, origin);
    let native = match origin {
        Origin::Uzbekistan | Origin::Kyrgyzstan | Origin::Kazakhstan if national_style => national_word.clone(),
        Origin::Uzbekistan | Origin::Kyrgyzstan | Origin::Kazakhstan | Origin::Tajikistan => {
            Some(russian_style_patronymic(&father.native, sex))
        }
        Origin::Ukraine => Some(ukrainian_patronymic(&father.native, sex)),
        Origin::Belarus => Some(belarusian_patronymic(&father.native, sex)),
        Origin::Azerbaijan => national_word.clone(),
        _ => None,
    };
    let russian_alternative = match (origin, &national_word) {
        (Origin::Azerbaijan, _) => {
            format!("{} {}", father.russian, if sex == Sex::Female { "кызы" } else { "оглы" })
        }
        (_, Some(word)) => match origin.native_script() {
            NativeScript::Cyrillic(language) => russian_from_national_cyrillic(word, language, false),
            _ => russian.clone(),
        },
        (Origin::Ukraine | Origin::Belarus | Origin::Tajikistan, None) => match (origin.native_script(), &native) {
            (NativeScript::Cyrillic(language), Some(native)) => russian_from_national_cyrillic(native, language, false),
            _ => russian.clone(),
        },
        _ => russian.clone(),
    };
    let latin = match (origin, &native) {
        (Origin::Uzbekistan, Some(native)) => Some(transliterate(native, Scheme::Uzbek)),
        (Origin::Azerbaijan, Some(native)) => Some(native.clone()),
        (_, Some(_)) => Some(name_characters_only(&transliterate(&russian, Scheme::BgnPcgnAlternative))),
        (_, None) => None,
    };
    PatronymicSpellings { native, russian, russian_alternative, latin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(native: &str, alternate: Option<&str>) -> NameEntry {
        NameEntry::new(native, alternate.map(str::to_owned))
    }

    fn choices(patronymic: bool, national: bool) -> SpellingChoices {
        SpellingChoices { has_patronymic: patronymic, national_patronymic_style: national }
    }

    #[test]
    fn an_uzbek_woman_in_every_spelling() {
        let set = compose_name_set(
            Origin::Uzbekistan,
            Sex::Female,
            &SurnameSource::Family(entry("Хўжаев", None)),
            &entry("Шоҳида", None),
            Some(&entry("Бахтиёр", None)),
            choices(true, true),
        )
        .unwrap();
        assert_eq!(set.native.surname, "Хўжаева");
        assert_eq!(set.native.patronymic.as_deref(), Some("Бахтиёр қизи"));
        assert_eq!(set.russian.surname, "Хужаева");
        assert_eq!(set.russian.given.as_deref(), Some("Шохида"));
        assert_eq!(set.russian.patronymic.as_deref(), Some("Бахтиёровна"));
        assert_eq!(set.russian_alternative.patronymic.as_deref(), Some("Бахтиёр кизи"));
        assert_eq!(set.latin.surname, "Xoʻjayeva");
        assert_eq!(set.passport.surname, "XOJAYEVA");
        assert_eq!(set.passport.given.as_deref(), Some("SHOHIDA"));
        assert_eq!(set.passport_before_switch.surname, "KHUZHAEVA");
        assert!(set.native_is_distinct);
    }

    #[test]
    fn chinese_vietnamese_kyrgyz_and_indian_names() {
        let chinese = compose_name_set(
            Origin::China,
            Sex::Male,
            &SurnameSource::Family(entry("张", Some("Zhang"))),
            &entry("晓东", Some("Xiaodong")),
            None,
            choices(false, false),
        )
        .unwrap();
        assert_eq!(chinese.russian.surname, "Чжан");
        assert_eq!(chinese.russian.given.as_deref(), Some("Сяодун"));
        assert_eq!(chinese.passport.surname, "ZHANG");
        assert_eq!(chinese.native.given.as_deref(), Some("晓东"));

        let vietnamese = compose_name_set(
            Origin::Vietnam,
            Sex::Female,
            &SurnameSource::Family(entry("Nguyễn", None)),
            &entry("Thị Hương", None),
            None,
            choices(false, false),
        )
        .unwrap();
        assert_eq!(vietnamese.passport.given.as_deref(), Some("THI HUONG"));
        assert_eq!(vietnamese.russian.surname, "Нгуен");

        let kyrgyz = compose_name_set(
            Origin::Kyrgyzstan,
            Sex::Male,
            &SurnameSource::FromFather,
            &entry("Азамат", None),
            Some(&entry("Үсөн", None)),
            choices(false, false),
        )
        .unwrap();
        assert_eq!(kyrgyz.native.surname, "Үсөн уулу");
        assert_eq!(kyrgyz.russian.surname, "Усон уулу");
        assert_eq!(kyrgyz.passport.surname, "USON UULU");

        let indian = compose_name_set(
            Origin::India,
            Sex::Male,
            &SurnameSource::SingleName,
            &entry("Krishna", None),
            None,
            choices(false, false),
        )
        .unwrap();
        assert_eq!(indian.passport.surname, "KRISHNA");
        assert_eq!(indian.passport.given, None);
    }

    #[test]
    fn the_builtin_bank_spells_every_name_validly() {
        let bank = NameBank::builtin_only("test".into());
        for origin in Origin::ALL {
            let country = bank.country(origin);
            for list in [&country.male_classic, &country.female_classic, &country.surnames] {
                assert!(list.len() > 5, "{origin:?}");
                for entry in &list.entries {
                    for sex in [Sex::Male, Sex::Female] {
                        let set = compose_name_set(
                            origin,
                            sex,
                            &SurnameSource::Family(entry.clone()),
                            entry,
                            Some(entry),
                            choices(true, true),
                        )
                        .unwrap();
                        for parts in [&set.native, &set.russian, &set.russian_alternative, &set.latin, &set.passport] {
                            for part in [Some(&parts.surname), parts.given.as_ref(), parts.patronymic.as_ref()]
                                .into_iter()
                                .flatten()
                            {
                                assert!(hospes_model::NamePart::parse(part).is_ok(), "{origin:?} {part:?}");
                            }
                        }
                        let russian_letters_only =
                            [&set.russian.surname].into_iter().chain(set.russian.given.iter()).all(|part| {
                                part.chars().filter(|c| c.is_alphabetic()).all(|c| {
                                    ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)) || c == 'ё' || c == 'Ё'
                                })
                            });
                        assert!(russian_letters_only, "{origin:?} {:?}", set.russian);
                    }
                }
            }
        }
    }
}

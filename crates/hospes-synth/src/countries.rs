//! The countries the synthetic foreign nationals come from, and what the simulation needs to know
//! about each: its share of arrivals, visa regime, passports, telephone numbers and towns.

use hospes_mrz::CyrillicLanguage;
use rand::Rng;
use serde::Serialize;

use crate::random::{pick, pick_weighted};

/// A country of citizenship in the synthetic population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Uzbekistan,
    Tajikistan,
    Kyrgyzstan,
    Kazakhstan,
    Ukraine,
    Armenia,
    Azerbaijan,
    Moldova,
    Belarus,
    China,
    Vietnam,
    India,
    Turkey,
    Georgia,
}

/// The script a country writes its citizens' names in, which decides how every agency's spelling
/// is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NativeScript {
    /// A national Cyrillic alphabet (Uzbek, Tajik, Kyrgyz, Kazakh, Ukrainian, Belarusian).
    Cyrillic(CyrillicLanguage),
    /// Latin letters, with the national diacritics.
    Latin(LatinLanguage),
    /// Chinese characters, with pinyin as the Latin form.
    Han,
    /// The Georgian alphabet (Mkhedruli).
    Georgian,
}

/// Which rules turn a Latin-script name into Russian Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LatinLanguage {
    Armenian,
    Azerbaijani,
    Romanian,
    Vietnamese,
    Indian,
    Turkish,
}

/// A town of birth: as its own country writes it in Latin, and as Russian agencies write it.
pub(crate) type Town = (&'static str, &'static str);

/// How a country's passport numbers look.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PassportNumberShape {
    /// Letter prefixes (one is chosen) followed by this many digits.
    LettersThenDigits(&'static [&'static str], u32),
    /// Two digits, two letters, five digits (Georgia).
    DigitsLettersDigits,
}

impl Origin {
    pub const ALL: [Origin; 14] = [
        Origin::Uzbekistan,
        Origin::Tajikistan,
        Origin::Kyrgyzstan,
        Origin::Kazakhstan,
        Origin::Ukraine,
        Origin::Armenia,
        Origin::Azerbaijan,
        Origin::Moldova,
        Origin::Belarus,
        Origin::China,
        Origin::Vietnam,
        Origin::India,
        Origin::Turkey,
        Origin::Georgia,
    ];

    /// The share of each origin among arrivals, in per cent: a Russia-like destination where
    /// Central Asia dominates labour migration.
    pub(crate) const SHARES: [(Origin, u32); 14] = [
        (Origin::Uzbekistan, 30),
        (Origin::Tajikistan, 20),
        (Origin::Kyrgyzstan, 10),
        (Origin::Kazakhstan, 6),
        (Origin::Ukraine, 5),
        (Origin::Armenia, 4),
        (Origin::Azerbaijan, 4),
        (Origin::Moldova, 3),
        (Origin::Belarus, 3),
        (Origin::China, 4),
        (Origin::Vietnam, 3),
        (Origin::India, 3),
        (Origin::Turkey, 3),
        (Origin::Georgia, 2),
    ];

    pub(crate) fn draw(rng: &mut impl Rng) -> Origin {
        *pick_weighted(rng, &Self::SHARES)
    }

    pub fn alpha3(self) -> &'static str {
        match self {
            Origin::Uzbekistan => "UZB",
            Origin::Tajikistan => "TJK",
            Origin::Kyrgyzstan => "KGZ",
            Origin::Kazakhstan => "KAZ",
            Origin::Ukraine => "UKR",
            Origin::Armenia => "ARM",
            Origin::Azerbaijan => "AZE",
            Origin::Moldova => "MDA",
            Origin::Belarus => "BLR",
            Origin::China => "CHN",
            Origin::Vietnam => "VNM",
            Origin::India => "IND",
            Origin::Turkey => "TUR",
            Origin::Georgia => "GEO",
        }
    }

    /// The two-letter code the names data files use.
    pub(crate) fn alpha2(self) -> &'static str {
        match self {
            Origin::Uzbekistan => "UZ",
            Origin::Tajikistan => "TJ",
            Origin::Kyrgyzstan => "KG",
            Origin::Kazakhstan => "KZ",
            Origin::Ukraine => "UA",
            Origin::Armenia => "AM",
            Origin::Azerbaijan => "AZ",
            Origin::Moldova => "MD",
            Origin::Belarus => "BY",
            Origin::China => "CN",
            Origin::Vietnam => "VN",
            Origin::India => "IN",
            Origin::Turkey => "TR",
            Origin::Georgia => "GE",
        }
    }

    pub(crate) fn position(self) -> usize {
        Self::ALL.iter().position(|origin| *origin == self).unwrap_or(0)
    }

    pub(crate) fn native_script(self) -> NativeScript {
        match self {
            Origin::Uzbekistan => NativeScript::Cyrillic(CyrillicLanguage::Uzbek),
            Origin::Tajikistan => NativeScript::Cyrillic(CyrillicLanguage::Tajik),
            Origin::Kyrgyzstan => NativeScript::Cyrillic(CyrillicLanguage::Kyrgyz),
            Origin::Kazakhstan => NativeScript::Cyrillic(CyrillicLanguage::Kazakh),
            Origin::Ukraine => NativeScript::Cyrillic(CyrillicLanguage::UkrainianNational),
            Origin::Belarus => NativeScript::Cyrillic(CyrillicLanguage::Belarusian),
            Origin::Armenia => NativeScript::Latin(LatinLanguage::Armenian),
            Origin::Azerbaijan => NativeScript::Latin(LatinLanguage::Azerbaijani),
            Origin::Moldova => NativeScript::Latin(LatinLanguage::Romanian),
            Origin::Vietnam => NativeScript::Latin(LatinLanguage::Vietnamese),
            Origin::India => NativeScript::Latin(LatinLanguage::Indian),
            Origin::Turkey => NativeScript::Latin(LatinLanguage::Turkish),
            Origin::China => NativeScript::Han,
            Origin::Georgia => NativeScript::Georgian,
        }
    }

    /// Whether a visa (and a pre-arrival application) is needed to enter.
    pub(crate) fn needs_visa(self) -> bool {
        matches!(self, Origin::China | Origin::Vietnam | Origin::India | Origin::Turkey | Origin::Georgia)
    }

    /// Members of the Eurasian Economic Union work without a patent.
    pub(crate) fn is_eurasian_union_member(self) -> bool {
        matches!(self, Origin::Kazakhstan | Origin::Kyrgyzstan | Origin::Armenia | Origin::Belarus)
    }

    /// Visa-free citizens outside the union need a patent to work.
    pub(crate) fn works_under_patent(self) -> bool {
        !self.needs_visa() && !self.is_eurasian_union_member()
    }

    /// States that exchange data with the registry (the CIS partners).
    pub(crate) fn is_partner_state(self) -> bool {
        matches!(
            self,
            Origin::Uzbekistan
                | Origin::Tajikistan
                | Origin::Kyrgyzstan
                | Origin::Kazakhstan
                | Origin::Armenia
                | Origin::Azerbaijan
                | Origin::Moldova
                | Origin::Belarus
        )
    }

    /// Whether Russian-style patronymics are part of the name in this country's documents.
    pub(crate) fn patronymic_share(self) -> f64 {
        match self {
            Origin::Uzbekistan
            | Origin::Tajikistan
            | Origin::Kyrgyzstan
            | Origin::Kazakhstan
            | Origin::Ukraine
            | Origin::Belarus => 0.95,
            Origin::Azerbaijan => 0.8,
            Origin::Armenia | Origin::Moldova | Origin::Georgia => 0.35,
            Origin::China | Origin::Vietnam | Origin::India | Origin::Turkey => 0.0,
        }
    }

    /// Whether the family name is written first in ordinary use (and so often mistaken for a given name).
    pub(crate) fn family_name_first(self) -> bool {
        matches!(self, Origin::China | Origin::Vietnam)
    }

    /// Passport validity for an adult, in years.
    pub(crate) fn passport_validity_years(self) -> u32 {
        match self {
            Origin::Moldova => 7,
            _ => 10,
        }
    }

    pub(crate) fn passport_number_shape(self, issue_year: i32) -> PassportNumberShape {
        use PassportNumberShape::LettersThenDigits;
        match self {
            Origin::Uzbekistan if issue_year >= 2021 => LettersThenDigits(&["FA", "FB"], 7),
            Origin::Uzbekistan => LettersThenDigits(&["AA", "AB", "AC", "AD"], 7),
            Origin::Tajikistan => LettersThenDigits(&["4"], 8),
            Origin::Kyrgyzstan => LettersThenDigits(&["AC", "AN"], 7),
            Origin::Kazakhstan => LettersThenDigits(&["N"], 8),
            Origin::Ukraine if issue_year >= 2015 => {
                LettersThenDigits(&["FA", "FB", "FC", "FE", "FH", "FK", "FM", "FP", "FT", "FX"], 6)
            }
            Origin::Ukraine => LettersThenDigits(&["EK", "EM", "ET", "EX", "EC", "EH"], 6),
            Origin::Armenia => LettersThenDigits(&["AT", "AP", "AS", "AN", "AR", "BA"], 7),
            Origin::Azerbaijan => LettersThenDigits(&["C"], 8),
            Origin::Moldova => LettersThenDigits(&["AB", "AC", "BA"], 7),
            Origin::Belarus => LettersThenDigits(&["MP", "KH", "AB", "MC", "HB", "BM"], 7),
            Origin::China if issue_year >= 2017 => {
                LettersThenDigits(&["EA", "EB", "EC", "ED", "EE", "EF", "EG", "EH"], 7)
            }
            Origin::China => LettersThenDigits(&["E", "G"], 8),
            Origin::Vietnam => LettersThenDigits(&["C", "B", "N", "P"], 7),
            Origin::India => LettersThenDigits(&["J", "K", "L", "M", "N", "P", "R", "S", "T", "U", "V", "W", "Z"], 7),
            Origin::Turkey => LettersThenDigits(&["U"], 8),
            Origin::Georgia => PassportNumberShape::DigitsLettersDigits,
        }
    }

    /// The authority printed in passports issued at home, and (for renewals abroad) by the consulate.
    pub(crate) fn passport_authority(self, abroad: bool) -> &'static str {
        if abroad {
            return match self {
                Origin::Uzbekistan => "Consulate General of Uzbekistan in Moscow",
                Origin::Tajikistan => "Embassy of Tajikistan in Moscow",
                Origin::Kyrgyzstan => "Embassy of Kyrgyzstan in Moscow",
                Origin::Kazakhstan => "Embassy of Kazakhstan in Moscow",
                Origin::Ukraine => "Consulate of Ukraine",
                Origin::Armenia => "Embassy of Armenia in Moscow",
                Origin::Azerbaijan => "Embassy of Azerbaijan in Moscow",
                Origin::Moldova => "Embassy of Moldova in Moscow",
                Origin::Belarus => "Embassy of Belarus in Moscow",
                Origin::China => "Embassy of China in Moscow",
                Origin::Vietnam => "Embassy of Vietnam in Moscow",
                Origin::India => "Embassy of India in Moscow",
                Origin::Turkey => "Consulate General of Turkey in Moscow",
                Origin::Georgia => "Interests Section of Georgia in Moscow",
            };
        }
        match self {
            Origin::Uzbekistan => "MIA of the Republic of Uzbekistan",
            Origin::Tajikistan => "MIA of the Republic of Tajikistan",
            Origin::Kyrgyzstan => "SRS of the Kyrgyz Republic",
            Origin::Kazakhstan => "MIA of the Republic of Kazakhstan",
            Origin::Ukraine => "State Migration Service of Ukraine",
            Origin::Armenia => "Passport and Visa Department, Police of Armenia",
            Origin::Azerbaijan => "Ministry of Internal Affairs of Azerbaijan",
            Origin::Moldova => "Public Services Agency of Moldova",
            Origin::Belarus => "Ministry of Internal Affairs of Belarus",
            Origin::China => "National Immigration Administration of China",
            Origin::Vietnam => "Immigration Department of Vietnam",
            Origin::India => "Ministry of External Affairs of India",
            Origin::Turkey => "General Directorate of Security of Turkey",
            Origin::Georgia => "Public Service Development Agency of Georgia",
        }
    }

    /// The ministry that issues interstate wanted notices (partner states only).
    pub(crate) fn interior_ministry(self) -> &'static str {
        match self {
            Origin::Uzbekistan => "Ministry of Internal Affairs of Uzbekistan",
            Origin::Tajikistan => "Ministry of Internal Affairs of Tajikistan",
            Origin::Kyrgyzstan => "Ministry of Internal Affairs of Kyrgyzstan",
            Origin::Kazakhstan => "Ministry of Internal Affairs of Kazakhstan",
            Origin::Armenia => "Police of Armenia",
            Origin::Azerbaijan => "Ministry of Internal Affairs of Azerbaijan",
            Origin::Moldova => "General Police Inspectorate of Moldova",
            Origin::Belarus => "Ministry of Internal Affairs of Belarus",
            _ => "Interpol National Central Bureau",
        }
    }

    /// An E.164 mobile number of the home country (without checking uniqueness: numbers are
    /// reused, and a household sometimes shares one).
    pub(crate) fn draw_home_phone(self, rng: &mut impl Rng) -> String {
        let (country_code, prefixes, digits): (&str, &[&str], u32) = match self {
            Origin::Uzbekistan => ("998", &["90", "91", "93", "94", "95", "97", "98", "99", "33", "88"], 7),
            Origin::Tajikistan => ("992", &["90", "91", "92", "93", "98", "55", "50", "88"], 7),
            Origin::Kyrgyzstan => ("996", &["555", "700", "701", "707", "770", "990", "500", "220"], 6),
            Origin::Kazakhstan => ("7", &["701", "702", "705", "707", "747", "771", "775", "777", "778"], 7),
            Origin::Ukraine => ("380", &["50", "66", "67", "68", "93", "95", "96", "97", "98", "99", "63", "73"], 7),
            Origin::Armenia => ("374", &["91", "93", "94", "95", "96", "98", "99", "77", "55", "33"], 6),
            Origin::Azerbaijan => ("994", &["50", "51", "55", "70", "77", "99", "10"], 7),
            Origin::Moldova => ("373", &["60", "67", "68", "69", "78", "79"], 6),
            Origin::Belarus => ("375", &["29", "33", "44", "25"], 7),
            Origin::China => (
                "86",
                &[
                    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "187",
                    "188", "189",
                ],
                8,
            ),
            Origin::Vietnam => (
                "84",
                &[
                    "90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "37", "39", "70", "77", "79", "81",
                    "83", "85",
                ],
                7,
            ),
            Origin::India => ("91", &["6", "7", "8", "9"], 9),
            Origin::Turkey => ("90", &["50", "53", "54", "55"], 8),
            Origin::Georgia => ("995", &["55", "57", "59", "51", "58"], 7),
        };
        let mut number = String::with_capacity(16);
        number.push('+');
        number.push_str(country_code);
        number.push_str(pick(rng, prefixes));
        for _ in 0..digits {
            number.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        number
    }

    pub(crate) fn towns(self) -> &'static [Town] {
        match self {
            Origin::Uzbekistan => &[
                ("Tashkent", "Ташкент"),
                ("Samarkand", "Самарканд"),
                ("Bukhara", "Бухара"),
                ("Andijan", "Андижан"),
                ("Namangan", "Наманган"),
                ("Fergana", "Фергана"),
                ("Kokand", "Коканд"),
                ("Karshi", "Карши"),
                ("Nukus", "Нукус"),
                ("Jizzakh", "Джизак"),
                ("Termez", "Термез"),
                ("Urgench", "Ургенч"),
            ],
            Origin::Tajikistan => &[
                ("Dushanbe", "Душанбе"),
                ("Khujand", "Худжанд"),
                ("Kulob", "Куляб"),
                ("Bokhtar", "Бохтар"),
                ("Istaravshan", "Истаравшан"),
                ("Panjakent", "Пенджикент"),
                ("Vahdat", "Вахдат"),
                ("Hisor", "Гиссар"),
            ],
            Origin::Kyrgyzstan => &[
                ("Bishkek", "Бишкек"),
                ("Osh", "Ош"),
                ("Jalal-Abad", "Джалал-Абад"),
                ("Karakol", "Каракол"),
                ("Tokmok", "Токмок"),
                ("Uzgen", "Узген"),
                ("Naryn", "Нарын"),
                ("Batken", "Баткен"),
            ],
            Origin::Kazakhstan => &[
                ("Almaty", "Алматы"),
                ("Astana", "Астана"),
                ("Shymkent", "Шымкент"),
                ("Karaganda", "Караганда"),
                ("Aktobe", "Актобе"),
                ("Taraz", "Тараз"),
                ("Pavlodar", "Павлодар"),
                ("Oskemen", "Усть-Каменогорск"),
            ],
            Origin::Ukraine => &[
                ("Kyiv", "Киев"),
                ("Kharkiv", "Харьков"),
                ("Odesa", "Одесса"),
                ("Dnipro", "Днепр"),
                ("Lviv", "Львов"),
                ("Zaporizhzhia", "Запорожье"),
                ("Donetsk", "Донецк"),
                ("Mykolaiv", "Николаев"),
            ],
            Origin::Armenia => &[
                ("Yerevan", "Ереван"),
                ("Gyumri", "Гюмри"),
                ("Vanadzor", "Ванадзор"),
                ("Abovyan", "Абовян"),
                ("Kapan", "Капан"),
            ],
            Origin::Azerbaijan => &[
                ("Baku", "Баку"),
                ("Ganja", "Гянджа"),
                ("Sumgait", "Сумгаит"),
                ("Mingachevir", "Мингечевир"),
                ("Lankaran", "Ленкорань"),
                ("Shaki", "Шеки"),
            ],
            Origin::Moldova => &[
                ("Chisinau", "Кишинёв"),
                ("Balti", "Бельцы"),
                ("Tiraspol", "Тирасполь"),
                ("Bender", "Бендеры"),
                ("Cahul", "Кагул"),
                ("Orhei", "Оргеев"),
            ],
            Origin::Belarus => &[
                ("Minsk", "Минск"),
                ("Gomel", "Гомель"),
                ("Mogilev", "Могилёв"),
                ("Vitebsk", "Витебск"),
                ("Grodno", "Гродно"),
                ("Brest", "Брест"),
            ],
            Origin::China => &[
                ("Beijing", "Пекин"),
                ("Shanghai", "Шанхай"),
                ("Harbin", "Харбин"),
                ("Shenyang", "Шэньян"),
                ("Guangzhou", "Гуанчжоу"),
                ("Urumqi", "Урумчи"),
                ("Dalian", "Далянь"),
                ("Changchun", "Чанчунь"),
            ],
            Origin::Vietnam => &[
                ("Hanoi", "Ханой"),
                ("Ho Chi Minh City", "Хошимин"),
                ("Hai Phong", "Хайфон"),
                ("Da Nang", "Дананг"),
                ("Nghe An", "Нгеан"),
                ("Thai Binh", "Тхайбинь"),
            ],
            Origin::India => &[
                ("New Delhi", "Нью-Дели"),
                ("Mumbai", "Мумбаи"),
                ("Chennai", "Ченнаи"),
                ("Kolkata", "Калькутта"),
                ("Bengaluru", "Бангалор"),
                ("Hyderabad", "Хайдарабад"),
                ("Lucknow", "Лакхнау"),
                ("Jaipur", "Джайпур"),
            ],
            Origin::Turkey => &[
                ("Istanbul", "Стамбул"),
                ("Ankara", "Анкара"),
                ("Izmir", "Измир"),
                ("Antalya", "Анталья"),
                ("Trabzon", "Трабзон"),
                ("Bursa", "Бурса"),
                ("Konya", "Конья"),
            ],
            Origin::Georgia => &[
                ("Tbilisi", "Тбилиси"),
                ("Kutaisi", "Кутаиси"),
                ("Batumi", "Батуми"),
                ("Rustavi", "Рустави"),
                ("Zugdidi", "Зугдиди"),
                ("Gori", "Гори"),
            ],
        }
    }

    /// Russian embassies and consulates that take visa applications (visa nationals only).
    pub(crate) fn visa_posts(self) -> &'static [&'static str] {
        match self {
            Origin::China => &[
                "Embassy of Russia in Beijing",
                "Consulate General of Russia in Shanghai",
                "Consulate General of Russia in Guangzhou",
                "Consulate General of Russia in Shenyang",
            ],
            Origin::Vietnam => &["Embassy of Russia in Hanoi", "Consulate General of Russia in Ho Chi Minh City"],
            Origin::India => &[
                "Embassy of Russia in New Delhi",
                "Consulate General of Russia in Mumbai",
                "Consulate General of Russia in Chennai",
                "Consulate General of Russia in Kolkata",
            ],
            Origin::Turkey => &[
                "Embassy of Russia in Ankara",
                "Consulate General of Russia in Istanbul",
                "Consulate General of Russia in Antalya",
            ],
            Origin::Georgia => &["Interests Section of Russia in Tbilisi"],
            _ => &["Embassy of Russia"],
        }
    }

    /// Border checkpoints with their transport mode and a weight, by the usual routes from this country.
    pub(crate) fn checkpoints(self) -> &'static [(Checkpoint, u32)] {
        use hospes_model::payload::TransportMode::{Air, Rail, Road};
        const CENTRAL_ASIA: &[(Checkpoint, u32)] = &[
            (("SVO-C", Air), 20),
            (("DME", Air), 18),
            (("VKO", Air), 14),
            (("LED", Air), 8),
            (("SVX", Air), 5),
            (("KZN", Air), 4),
            (("OVB", Air), 4),
            (("KRR", Air), 2),
            (("МАПП Маштаково", Road), 6),
            (("ЖД Озинки", Rail), 8),
            (("ЖД Илецк", Rail), 7),
            (("ЖД Карталы", Rail), 4),
        ];
        match self {
            Origin::Uzbekistan | Origin::Tajikistan | Origin::Kyrgyzstan => CENTRAL_ASIA,
            Origin::Kazakhstan => &[
                (("SVO-C", Air), 10),
                (("DME", Air), 8),
                (("МАПП Маштаково", Road), 15),
                (("МАПП Троицк", Road), 15),
                (("ЖД Петропавловск", Rail), 10),
                (("ЖД Озинки", Rail), 10),
                (("OVB", Air), 5),
                (("SVX", Air), 5),
            ],
            Origin::Armenia | Origin::Georgia => &[
                (("SVO-C", Air), 25),
                (("VKO", Air), 20),
                (("МАПП Верхний Ларс", Road), 30),
                (("KRR", Air), 10),
                (("AER", Air), 10),
            ],
            Origin::Azerbaijan => {
                &[(("SVO-C", Air), 25), (("DME", Air), 20), (("МАПП Яраг-Казмаляр", Road), 35), (("KZN", Air), 5)]
            }
            Origin::China => &[
                (("SVO-C", Air), 30),
                (("МАПП Забайкальск", Road), 20),
                (("ЖД Забайкальск", Rail), 10),
                (("VVO", Air), 15),
                (("IKT", Air), 10),
                (("МАПП Пограничный", Road), 10),
            ],
            Origin::Vietnam | Origin::India | Origin::Turkey => {
                &[(("SVO-C", Air), 40), (("DME", Air), 25), (("VKO", Air), 15), (("LED", Air), 10), (("AER", Air), 5)]
            }
            Origin::Ukraine | Origin::Moldova | Origin::Belarus => {
                &[(("SVO-C", Air), 30), (("VKO", Air), 30), (("LED", Air), 15), (("DME", Air), 15)]
            }
        }
    }
}

/// A border checkpoint: its name and the transport mode that passes it.
pub(crate) type Checkpoint = (&'static str, hospes_model::payload::TransportMode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_one_hundred_and_codes_are_known() {
        assert_eq!(Origin::SHARES.iter().map(|(_, share)| share).sum::<u32>(), 100);
        for origin in Origin::ALL {
            assert!(hospes_model::CountryCode::parse(origin.alpha3()).is_ok());
            assert_eq!(Origin::ALL[origin.position()], origin);
        }
    }

    #[test]
    fn home_phones_are_valid_e164() {
        let mut rng = crate::random::stream(1, 1, crate::random::Stream::Identity);
        for origin in Origin::ALL {
            for _ in 0..20 {
                let phone = origin.draw_home_phone(&mut rng);
                assert!(hospes_model::PhoneNumber::parse(&phone).is_ok(), "{phone}");
            }
        }
    }
}

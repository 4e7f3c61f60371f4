//! Places and organisations in the host country: regions with their offices, addresses,
//! employers, universities, clinics, insurers.

use rand::Rng;

use crate::identifiers::IdentifierSpaces;
use crate::random::{Stream, chance, pick, pick_weighted, stream, zipf_index};

/// A region of the host country, with the offices that act there.
#[derive(Debug)]
pub(crate) struct Region {
    /// ISO 3166-2 code.
    pub(crate) code: &'static str,
    /// The two-digit region number used in taxpayer and permit numbers.
    pub(crate) number: u32,
    pub(crate) localities: &'static [&'static str],
    /// Monthly patent price in roubles in 2024 (indexed for other years).
    pub(crate) patent_price_2024: u32,
    pub(crate) police: &'static str,
    pub(crate) courts: &'static [&'static str],
    pub(crate) migration_office: &'static str,
    pub(crate) medical_centre: &'static str,
    pub(crate) postcode_prefix: &'static str,
}

/// Regions with the share of foreign workers each draws.
pub(crate) const REGIONS: &[(Region, u32)] = &[
    (
        Region {
            code: "RU-MOW",
            number: 77,
            localities: &["Москва"],
            patent_price_2024: 8900,
            police: "ГУ МВД России по г. Москве",
            courts: &[
                "Тверской районный суд г. Москвы",
                "Мещанский районный суд г. Москвы",
                "Бабушкинский районный суд г. Москвы",
                "Люблинский районный суд г. Москвы",
            ],
            migration_office: "УВМ ГУ МВД России по г. Москве",
            medical_centre: "ГБУЗ «Миграционный медицинский центр» г. Москвы",
            postcode_prefix: "1",
        },
        32,
    ),
    (
        Region {
            code: "RU-MOS",
            number: 50,
            localities: &["Балашиха", "Подольск", "Химки", "Мытищи", "Люберцы", "Красногорск", "Одинцово"],
            patent_price_2024: 8600,
            police: "ГУ МВД России по Московской области",
            courts: &["Балашихинский городской суд", "Подольский городской суд", "Химкинский городской суд"],
            migration_office: "УВМ ГУ МВД России по Московской области",
            medical_centre: "ГБУЗ МО «Центр медицинского освидетельствования иностранных граждан»",
            postcode_prefix: "14",
        },
        15,
    ),
    (
        Region {
            code: "RU-SPE",
            number: 78,
            localities: &["Санкт-Петербург"],
            patent_price_2024: 4800,
            police: "ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
            courts: &["Дзержинский районный суд Санкт-Петербурга", "Невский районный суд Санкт-Петербурга"],
            migration_office: "УВМ ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
            medical_centre: "СПб ГБУЗ «Городской миграционный центр»",
            postcode_prefix: "19",
        },
        11,
    ),
    (
        Region {
            code: "RU-LEN",
            number: 47,
            localities: &["Всеволожск", "Мурино", "Гатчина"],
            patent_price_2024: 4800,
            police: "ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
            courts: &["Всеволожский городской суд Ленинградской области"],
            migration_office: "УВМ ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
            medical_centre: "ГБУЗ ЛО «Центр медицинского освидетельствования»",
            postcode_prefix: "18",
        },
        3,
    ),
    (
        Region {
            code: "RU-SVE",
            number: 66,
            localities: &["Екатеринбург", "Нижний Тагил"],
            patent_price_2024: 6600,
            police: "ГУ МВД России по Свердловской области",
            courts: &["Ленинский районный суд г. Екатеринбурга", "Кировский районный суд г. Екатеринбурга"],
            migration_office: "УВМ ГУ МВД России по Свердловской области",
            medical_centre: "ГАУЗ СО «Центр медицинского освидетельствования мигрантов»",
            postcode_prefix: "62",
        },
        5,
    ),
    (
        Region {
            code: "RU-KDA",
            number: 23,
            localities: &["Краснодар", "Сочи"],
            patent_price_2024: 6400,
            police: "ГУ МВД России по Краснодарскому краю",
            courts: &["Ленинский районный суд г. Краснодара", "Центральный районный суд г. Сочи"],
            migration_office: "УВМ ГУ МВД России по Краснодарскому краю",
            medical_centre: "ГБУЗ «Центр медицинского освидетельствования» Краснодарского края",
            postcode_prefix: "35",
        },
        4,
    ),
    (
        Region {
            code: "RU-NVS",
            number: 54,
            localities: &["Новосибирск"],
            patent_price_2024: 5900,
            police: "ГУ МВД России по Новосибирской области",
            courts: &["Центральный районный суд г. Новосибирска"],
            migration_office: "УВМ ГУ МВД России по Новосибирской области",
            medical_centre: "ГБУЗ НСО «Миграционный медицинский центр»",
            postcode_prefix: "63",
        },
        3,
    ),
    (
        Region {
            code: "RU-TA",
            number: 16,
            localities: &["Казань", "Набережные Челны"],
            patent_price_2024: 5600,
            police: "МВД по Республике Татарстан",
            courts: &["Вахитовский районный суд г. Казани", "Советский районный суд г. Казани"],
            migration_office: "УВМ МВД по Республике Татарстан",
            medical_centre: "ГАУЗ «Республиканский центр медицинского освидетельствования»",
            postcode_prefix: "42",
        },
        3,
    ),
    (
        Region {
            code: "RU-SAM",
            number: 63,
            localities: &["Самара", "Тольятти"],
            patent_price_2024: 5800,
            police: "ГУ МВД России по Самарской области",
            courts: &["Октябрьский районный суд г. Самары"],
            migration_office: "УВМ ГУ МВД России по Самарской области",
            medical_centre: "ГБУЗ СО «Центр медицинского освидетельствования»",
            postcode_prefix: "44",
        },
        2,
    ),
    (
        Region {
            code: "RU-NIZ",
            number: 52,
            localities: &["Нижний Новгород", "Дзержинск"],
            patent_price_2024: 6200,
            police: "ГУ МВД России по Нижегородской области",
            courts: &["Нижегородский районный суд г. Нижнего Новгорода"],
            migration_office: "УВМ ГУ МВД России по Нижегородской области",
            medical_centre: "ГБУЗ НО «Центр медицинского освидетельствования»",
            postcode_prefix: "60",
        },
        2,
    ),
    (
        Region {
            code: "RU-ROS",
            number: 61,
            localities: &["Ростов-на-Дону", "Таганрог"],
            patent_price_2024: 5700,
            police: "ГУ МВД России по Ростовской области",
            courts: &["Кировский районный суд г. Ростова-на-Дону"],
            migration_office: "УВМ ГУ МВД России по Ростовской области",
            medical_centre: "ГБУ РО «Центр медицинского освидетельствования»",
            postcode_prefix: "34",
        },
        2,
    ),
    (
        Region {
            code: "RU-KYA",
            number: 24,
            localities: &["Красноярск", "Норильск"],
            patent_price_2024: 7900,
            police: "ГУ МВД России по Красноярскому краю",
            courts: &["Центральный районный суд г. Красноярска"],
            migration_office: "УВМ ГУ МВД России по Красноярскому краю",
            medical_centre: "КГБУЗ «Центр медицинского освидетельствования»",
            postcode_prefix: "66",
        },
        2,
    ),
    (
        Region {
            code: "RU-TYU",
            number: 72,
            localities: &["Тюмень"],
            patent_price_2024: 6900,
            police: "УМВД России по Тюменской области",
            courts: &["Центральный районный суд г. Тюмени"],
            migration_office: "УВМ УМВД России по Тюменской области",
            medical_centre: "ГБУЗ ТО «Центр медицинского освидетельствования»",
            postcode_prefix: "62",
        },
        2,
    ),
    (
        Region {
            code: "RU-KHM",
            number: 86,
            localities: &["Сургут", "Нижневартовск"],
            patent_price_2024: 9700,
            police: "УМВД России по Ханты-Мансийскому автономному округу – Югре",
            courts: &["Сургутский городской суд"],
            migration_office: "УВМ УМВД России по ХМАО – Югре",
            medical_centre: "БУ ХМАО – Югры «Центр медицинского освидетельствования»",
            postcode_prefix: "62",
        },
        2,
    ),
    (
        Region {
            code: "RU-IRK",
            number: 38,
            localities: &["Иркутск"],
            patent_price_2024: 6000,
            police: "ГУ МВД России по Иркутской области",
            courts: &["Кировский районный суд г. Иркутска"],
            migration_office: "УВМ ГУ МВД России по Иркутской области",
            medical_centre: "ОГБУЗ «Центр медицинского освидетельствования»",
            postcode_prefix: "66",
        },
        1,
    ),
    (
        Region {
            code: "RU-PRI",
            number: 25,
            localities: &["Владивосток", "Уссурийск"],
            patent_price_2024: 6500,
            police: "УМВД России по Приморскому краю",
            courts: &["Ленинский районный суд г. Владивостока"],
            migration_office: "УВМ УМВД России по Приморскому краю",
            medical_centre: "ГБУЗ «Краевой центр медицинского освидетельствования»",
            postcode_prefix: "69",
        },
        1,
    ),
    (
        Region {
            code: "RU-BA",
            number: 2,
            localities: &["Уфа"],
            patent_price_2024: 4900,
            police: "МВД по Республике Башкортостан",
            courts: &["Кировский районный суд г. Уфы"],
            migration_office: "УВМ МВД по Республике Башкортостан",
            medical_centre: "ГБУЗ РБ «Центр медицинского освидетельствования»",
            postcode_prefix: "45",
        },
        1,
    ),
    (
        Region {
            code: "RU-PER",
            number: 59,
            localities: &["Пермь"],
            patent_price_2024: 6100,
            police: "ГУ МВД России по Пермскому краю",
            courts: &["Ленинский районный суд г. Перми"],
            migration_office: "УВМ ГУ МВД России по Пермскому краю",
            medical_centre: "ГБУЗ ПК «Центр медицинского освидетельствования»",
            postcode_prefix: "61",
        },
        1,
    ),
    (
        Region {
            code: "RU-CHE",
            number: 74,
            localities: &["Челябинск", "Магнитогорск"],
            patent_price_2024: 5900,
            police: "ГУ МВД России по Челябинской области",
            courts: &["Центральный районный суд г. Челябинска"],
            migration_office: "УВМ ГУ МВД России по Челябинской области",
            medical_centre: "ГБУЗ «Челябинский областной центр медицинского освидетельствования»",
            postcode_prefix: "45",
        },
        2,
    ),
];

pub(crate) fn draw_region(rng: &mut impl Rng) -> &'static Region {
    pick_weighted(rng, REGIONS)
}

const STREETS: &[&str] = &[
    "ул. Лесная",
    "ул. Садовая",
    "ул. Центральная",
    "ул. Молодёжная",
    "ул. Школьная",
    "ул. Советская",
    "пр-т Мира",
    "ул. Ленина",
    "ул. Гагарина",
    "ул. Строителей",
    "ул. Новая",
    "ул. Полевая",
    "ш. Энтузиастов",
    "ул. Профсоюзная",
    "Ленинский пр-т",
    "ул. Заводская",
    "ул. Первомайская",
    "ул. Октябрьская",
    "ул. Пушкина",
    "ул. Набережная",
    "ул. Северная",
    "ул. Южная",
    "ул. Рабочая",
    "ул. Кирова",
    "ул. Победы",
];

/// A postal address in `region`.
#[derive(Debug, Clone)]
pub(crate) struct StreetAddress {
    pub(crate) region: &'static Region,
    pub(crate) locality: &'static str,
    pub(crate) street: &'static str,
    pub(crate) house: String,
    pub(crate) flat: Option<String>,
    pub(crate) postcode: String,
}

pub(crate) fn draw_address(rng: &mut impl Rng, region: &'static Region) -> StreetAddress {
    let house = if chance(rng, 0.15) {
        format!("{}к{}", rng.random_range(1..120), rng.random_range(1..4))
    } else {
        rng.random_range(1..160).to_string()
    };
    let digits_left = 6 - region.postcode_prefix.len();
    let postcode = format!(
        "{}{:0width$}",
        region.postcode_prefix,
        rng.random_range(0..10u32.pow(digits_left as u32)),
        width = digits_left
    );
    StreetAddress {
        region,
        locality: pick(rng, region.localities),
        street: pick(rng, STREETS),
        house,
        flat: chance(rng, 0.75).then(|| rng.random_range(1..320).to_string()),
        postcode,
    }
}

/// How many employers each region's pool holds; a Zipf draw makes a few of them large.
const EMPLOYERS_PER_REGION: usize = 40_000;

const EMPLOYER_STEMS: &[&str] = &[
    "Строй",
    "Техно",
    "Гранд",
    "Альфа",
    "Север",
    "Мега",
    "Агро",
    "Транс",
    "Профи",
    "Вектор",
    "Сити",
    "Урал",
    "Волга",
    "Экспресс",
    "Монолит",
    "Капитал",
    "Регион",
    "Партнёр",
    "Восток",
    "Стандарт",
];
const EMPLOYER_ENDINGS: &[&str] = &[
    "Инвест",
    "Монтаж",
    "Групп",
    "Логистик",
    "Торг",
    "Строй",
    "Сервис",
    "Пром",
    "Маркет",
    "Альянс",
    "Проект",
    "Ресурс",
    "Холдинг",
    "Клининг",
    "Девелопмент",
];

/// An employer (or other host organisation), the same wherever it is drawn.
#[derive(Debug, Clone)]
pub(crate) struct Employer {
    pub(crate) name: String,
    pub(crate) taxpayer_number: String,
    pub(crate) region: &'static Region,
}

/// An employer in `region`, drawn from a fixed pool so that many workers share employers.
pub(crate) fn draw_employer(
    rng: &mut impl Rng,
    region: &'static Region,
    seed: u64,
    identifiers: &IdentifierSpaces,
) -> Employer {
    let region_position = REGIONS.iter().position(|(candidate, _)| std::ptr::eq(candidate, region)).unwrap_or(0);
    let local = zipf_index(rng, EMPLOYERS_PER_REGION);
    let employer_id = (region_position * EMPLOYERS_PER_REGION + local) as u64;
    let mut own = stream(seed, employer_id, Stream::Employer);
    let stem = pick(&mut own, EMPLOYER_STEMS);
    let ending = pick(&mut own, EMPLOYER_ENDINGS);
    let name = match own.random_range(0..10u32) {
        0 => format!("АО «{stem}{ending}»"),
        1 => format!("ООО «{stem}{ending}-{}»", own.random_range(1..30)),
        2 => format!("ООО «{stem}-{ending}»"),
        _ => format!("ООО «{stem}{ending}»"),
    };
    Employer { name, taxpayer_number: identifiers.organisation_taxpayer_number(employer_id, region.number), region }
}

pub(crate) const OCCUPATIONS: &[&str] = &[
    "подсобный рабочий",
    "каменщик",
    "штукатур",
    "маляр",
    "электромонтажник",
    "водитель",
    "курьер",
    "продавец",
    "повар",
    "уборщик",
    "дворник",
    "сварщик",
    "плотник",
    "монтажник",
    "швея",
    "грузчик",
    "официант",
    "кассир",
    "бетонщик",
    "сборщик",
    "кладовщик",
    "разнорабочий",
];

pub(crate) const UNIVERSITIES: &[&str] = &[
    "Московский государственный университет им. М.В. Ломоносова",
    "Российский университет дружбы народов",
    "Санкт-Петербургский государственный университет",
    "Казанский федеральный университет",
    "Уральский федеральный университет",
    "Новосибирский государственный университет",
    "НИТУ «МИСиС»",
    "МГТУ им. Н.Э. Баумана",
    "РЭУ им. Г.В. Плеханова",
    "Томский политехнический университет",
];

pub(crate) const PROGRAMMES: &[&str] = &[
    "Лечебное дело",
    "Экономика",
    "Информатика и вычислительная техника",
    "Менеджмент",
    "Строительство",
    "Юриспруденция",
    "Нефтегазовое дело",
    "Международные отношения",
];

pub(crate) const LANGUAGE_COURSES: &[&str] =
    &["Подготовительный факультет (русский язык)", "Русский язык как иностранный"];

pub(crate) const TESTING_CENTRES: &[&str] = &[
    "Государственный институт русского языка им. А.С. Пушкина",
    "Российский университет дружбы народов",
    "Санкт-Петербургский государственный университет",
    "Центр тестирования иностранных граждан МГУ",
    "Центр тестирования КФУ",
];

pub(crate) const INSURERS: &[&str] =
    &["Ингосстрах", "СОГАЗ", "РЕСО-Гарантия", "АльфаСтрахование", "ВСК", "Ренессанс Страхование", "Согласие"];

pub(crate) const HOTELS: &[&str] = &[
    "Гостиница «Космос»",
    "Отель «Азимут»",
    "Гостиница «Измайлово»",
    "Отель «Novotel»",
    "Гостиница «Ибис»",
    "Хостел «Друзья»",
    "Отель «Маринс Парк»",
];

/// The home-country institution a diploma comes from.
pub(crate) fn home_institution(origin: crate::countries::Origin) -> &'static str {
    use crate::countries::Origin;
    match origin {
        Origin::Uzbekistan => "Tashkent State Technical University",
        Origin::Tajikistan => "Tajik National University",
        Origin::Kyrgyzstan => "Kyrgyz National University",
        Origin::Kazakhstan => "Al-Farabi Kazakh National University",
        Origin::Ukraine => "Taras Shevchenko National University of Kyiv",
        Origin::Armenia => "Yerevan State University",
        Origin::Azerbaijan => "Baku State University",
        Origin::Moldova => "Moldova State University",
        Origin::Belarus => "Belarusian State University",
        Origin::China => "Harbin Institute of Technology",
        Origin::Vietnam => "Vietnam National University, Hanoi",
        Origin::India => "University of Delhi",
        Origin::Turkey => "Istanbul University",
        Origin::Georgia => "Tbilisi State University",
    }
}

pub(crate) const VEHICLES: &[(&str, &str)] = &[
    ("Lada Granta", "XTA"),
    ("Lada Vesta", "XTA"),
    ("Lada Largus", "XTA"),
    ("Hyundai Solaris", "Z94"),
    ("Kia Rio", "Z94"),
    ("Chevrolet Cobalt", "XWB"),
    ("Daewoo Nexia", "XWB"),
    ("Toyota Camry", "JTN"),
    ("Volkswagen Polo", "XW8"),
    ("Renault Logan", "X7L"),
    ("GAZelle Next", "X96"),
];

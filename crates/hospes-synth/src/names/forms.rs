//! Grammatical forms of names: women's surnames, patronymics in the Russian and the national
//! styles.

use hospes_model::Sex;

/// The feminine form of a masculine surname (`Юсупов` → `Юсупова`, `Іваноў` → `Іванова`,
/// `Козловский` → `Козловская`, `Əliyev` → `Əliyeva`); surnames without gender (`Шевченко`,
/// `Раҳмонзода`, `Азизӣ`) are returned unchanged.
pub(crate) fn feminine_surname(masculine: &str) -> String {
    const ENDINGS: &[(&str, &str)] = &[
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("скі", "ская"),
        ("цкі", "цкая"),
        ("оў", "ова"),
        ("еў", "ева"),
        ("ёў", "ёва"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
        ("ын", "ына"),
        ("ski", "ska"),
        ("ov", "ova"),
        ("ev", "eva"),
        ("in", "ina"),
    ];
    for (masculine_ending, feminine_ending) in ENDINGS {
        if let Some(stem) = masculine.strip_suffix(masculine_ending)
            && stem.chars().count() >= 2
        {
            return format!("{stem}{feminine_ending}");
        }
    }
    masculine.to_owned()
}

/// A Russian-style patronymic from the father's given name (`Бахтиёр` → `Бахтиёрович`,
/// `Сергей` → `Сергеевна`, `Абдулла` → `Абдуллаевич`). Works on any Cyrillic spelling, so the
/// national letters of the father's name are kept when given the national form.
pub(crate) fn russian_style_patronymic(father: &str, sex: Sex) -> String {
    let male = sex != Sex::Female;
    let (stem, suffix) = if let Some(stem) = father.strip_suffix("ий") {
        (stem, if male { "иевич" } else { "иевна" })
    } else if let Some(stem) = father.strip_suffix('й') {
        (stem, if male { "евич" } else { "евна" })
    } else if let Some(stem) = father.strip_suffix('ь') {
        (stem, if male { "евич" } else { "евна" })
    } else if father.ends_with(['а', 'я', 'о', 'и', 'у', 'е', 'э', 'ю', 'ӣ', 'ж', 'ш', 'ч', 'щ', 'ц']) {
        (father, if male { "евич" } else { "евна" })
    } else {
        (father, if male { "ович" } else { "овна" })
    };
    format!("{stem}{suffix}")
}

/// A Ukrainian patronymic (`Олександр` → `Олександрович` / `Олександрівна`, `Андрій` →
/// `Андрійович` / `Андріївна`, `Микола` → `Миколайович`).
pub(crate) fn ukrainian_patronymic(father: &str, sex: Sex) -> String {
    let male = sex != Sex::Female;
    if let Some(stem) = father.strip_suffix("ій") {
        format!("{stem}{}", if male { "ійович" } else { "іївна" })
    } else if let Some(stem) = father.strip_suffix('й') {
        format!("{stem}{}", if male { "йович" } else { "ївна" })
    } else if let Some(stem) = father.strip_suffix('о') {
        format!("{stem}{}", if male { "ович" } else { "івна" })
    } else if let Some(stem) = father.strip_suffix('а') {
        format!("{stem}{}", if male { "айович" } else { "аївна" })
    } else if let Some(stem) = father.strip_suffix('ь') {
        format!("{stem}{}", if male { "ьович" } else { "івна" })
    } else {
        format!("{father}{}", if male { "ович" } else { "івна" })
    }
}

/// A Belarusian patronymic (`Аляксандр` → `Аляксандравіч` / `Аляксандраўна`, `Андрэй` →
/// `Андрэевіч`).
pub(crate) fn belarusian_patronymic(father: &str, sex: Sex) -> String {
    let male = sex != Sex::Female;
    if let Some(stem) = father.strip_suffix("ый").or_else(|| father.strip_suffix("ій")) {
        format!("{stem}{}", if male { "'евіч" } else { "'еўна" })
    } else if let Some(stem) = father.strip_suffix('й') {
        format!("{stem}{}", if male { "евіч" } else { "еўна" })
    } else if let Some(stem) = father.strip_suffix('а') {
        format!("{stem}{}", if male { "авіч" } else { "аўна" })
    } else {
        format!("{father}{}", if male { "авіч" } else { "аўна" })
    }
}

/// The Central Asian and Azerbaijani patronymics written as separate words or suffixes:
/// Uzbek `Бахтиёр ўғли` / `қизи`, Kyrgyz `Асан уулу` / `кызы`, Kazakh `Серікұлы` / `Серікқызы`,
/// Azerbaijani `Vüqar oğlu` / `qızı`.
pub(crate) fn national_word_patronymic(father: &str, sex: Sex, origin: crate::countries::Origin) -> Option<String> {
    use crate::countries::Origin;
    let male = sex != Sex::Female;
    Some(match origin {
        Origin::Uzbekistan => format!("{father} {}", if male { "ўғли" } else { "қизи" }),
        Origin::Kyrgyzstan => format!("{father} {}", if male { "уулу" } else { "кызы" }),
        Origin::Kazakhstan => format!("{father}{}", if male { "ұлы" } else { "қызы" }),
        Origin::Azerbaijan => format!("{father} {}", if male { "oğlu" } else { "qızı" }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::countries::Origin;

    #[test]
    fn feminine_surnames() {
        for (masculine, feminine) in [
            ("Юсупов", "Юсупова"),
            ("Алиев", "Алиева"),
            ("Іваноў", "Іванова"),
            ("Козловский", "Козловская"),
            ("Казлоўскі", "Казлоўская"),
            ("Шевченко", "Шевченко"),
            ("Раҳмонзода", "Раҳмонзода"),
            ("Азизӣ", "Азизӣ"),
            ("Əliyev", "Əliyeva"),
            ("Yusupov", "Yusupova"),
            ("Ким", "Ким"),
            ("Ли", "Ли"),
        ] {
            assert_eq!(feminine_surname(masculine), feminine, "{masculine}");
        }
    }

    #[test]
    fn patronymics() {
        let male = Sex::Male;
        let female = Sex::Female;
        for (father, sex, expected) in [
            ("Бахтиёр", male, "Бахтиёрович"),
            ("Бахтиёр", female, "Бахтиёровна"),
            ("Сергей", male, "Сергеевич"),
            ("Дмитрий", female, "Дмитриевна"),
            ("Абдулла", male, "Абдуллаевич"),
            ("Абдулло", female, "Абдуллоевна"),
            ("Игорь", male, "Игоревич"),
            ("Али", male, "Алиевич"),
            ("Ҷамшед", male, "Ҷамшедович"),
        ] {
            assert_eq!(russian_style_patronymic(father, sex), expected, "{father}");
        }
        assert_eq!(ukrainian_patronymic("Андрій", female), "Андріївна");
        assert_eq!(ukrainian_patronymic("Дмитро", male), "Дмитрович");
        assert_eq!(ukrainian_patronymic("Микола", male), "Миколайович");
        assert_eq!(belarusian_patronymic("Аляксандр", female), "Аляксандраўна");
        assert_eq!(belarusian_patronymic("Андрэй", male), "Андрэевіч");
        assert_eq!(national_word_patronymic("Бахтиёр", female, Origin::Uzbekistan).as_deref(), Some("Бахтиёр қизи"));
        assert_eq!(national_word_patronymic("Серік", male, Origin::Kazakhstan).as_deref(), Some("Серікұлы"));
        assert_eq!(national_word_patronymic("Wang", male, Origin::China), None);
    }
}

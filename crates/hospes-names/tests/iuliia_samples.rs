//! Every sample of every iuliia scheme file must transliterate to its expected output.
//!
//! One documented normalisation is applied to the expected strings: iuliia writes the
//! Latin letter ë (BGN/PCGN, ALA-LC, ISO 9, ...) with the Cyrillic letter ё, which no Latin
//! transliteration should emit, so Cyrillic ё/Ё in expected outputs is read as Latin ë/Ë.
//! Both sides are compared in Unicode NFC (iuliia spells ž with a combining caron).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

mod common;

use hospes_names::{Scheme, transliterate};
use unicode_normalization::UnicodeNormalization;

fn normalise_expected(expected: &str) -> String {
    expected.replace('ё', "ë").replace('Ё', "Ë").nfc().collect()
}

#[test]
fn every_iuliia_sample_transliterates_as_expected() {
    let Some(names_directory) = common::shared_names_directory() else {
        return;
    };
    let mut entries: Vec<_> = std::fs::read_dir(names_directory.join("iuliia"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    entries.sort();

    let mut schemes_seen = Vec::new();
    let mut sample_count = 0;
    let mut failures = Vec::new();
    for path in entries {
        let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = document["name"].as_str().unwrap();
        let scheme =
            Scheme::from_id(name).unwrap_or_else(|| panic!("{} names scheme {name:?}, which we lack", path.display()));
        schemes_seen.push(scheme);
        for sample in document["samples"].as_array().unwrap() {
            let input = sample[0].as_str().unwrap();
            let expected = normalise_expected(sample[1].as_str().unwrap());
            let actual: String = transliterate(input, scheme).nfc().collect();
            sample_count += 1;
            if actual != expected {
                failures.push(format!("{name}: {input:?}\n  expected {expected:?}\n  actual   {actual:?}"));
            }
        }
    }

    schemes_seen.sort();
    let mut all_schemes = Scheme::ALL.to_vec();
    all_schemes.sort();
    assert_eq!(schemes_seen, all_schemes, "every scheme has an iuliia file");
    assert!(sample_count >= 160, "only {sample_count} samples found");
    assert!(failures.is_empty(), "{} of {sample_count} samples failed:\n{}", failures.len(), failures.join("\n"));
}

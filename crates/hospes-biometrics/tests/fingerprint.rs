#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Extraction, matching and 1:N on real FVC2002 images (`shared/data/fingerprints/fvc2002`).

use std::path::PathBuf;

use hospes_biometrics::fingerprint::{
    FingerprintError, FingerprintMatcher, FingerprintTemplate, HospesFingerprintMatcher, MATCH_THRESHOLD,
    QualityVerdict, evaluation, extract,
};
use hospes_biometrics::formats::template;

fn fvc(database: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/fingerprints/fvc2002")).join(database)
}

fn template_of(database: &str, name: &str) -> FingerprintTemplate {
    extract(&std::fs::read(fvc(database).join(name)).unwrap(), 500.0).unwrap()
}

#[test]
fn real_prints_give_plausible_minutiae_and_the_same_finger_scores_higher() {
    let matcher = HospesFingerprintMatcher;
    let first = template_of("DB1_B", "101_1.tif");
    let second = template_of("DB1_B", "101_2.tif");
    let other = template_of("DB1_B", "102_1.tif");
    for template in [&first, &second, &other] {
        let count = template.mcc.minutiae.len();
        assert!((12..=80).contains(&count), "{count} minutiae");
        assert_ne!(template.quality.verdict, QualityVerdict::Unusable);
        assert_eq!((template.width, template.height), (388, 374));
    }
    let genuine = matcher.compare(&first, &second);
    let impostor = matcher.compare(&first, &other);
    assert!(genuine >= MATCH_THRESHOLD, "genuine {genuine}");
    assert!(impostor < MATCH_THRESHOLD, "impostor {impostor}");
    // Symmetric enough that the order of the two prints does not change the decision.
    assert!(matcher.compare(&second, &first) >= MATCH_THRESHOLD);
}

#[test]
fn a_template_survives_the_iso_format() {
    let original = template_of("DB1_B", "103_1.tif");
    let bytes = template::encode(&original.to_iso_record()).unwrap();
    let reread = FingerprintTemplate::from_record(&template::parse(&bytes).unwrap()).unwrap();
    assert_eq!(reread.mcc.minutiae.len(), original.mcc.minutiae.len());
    let matcher = HospesFingerprintMatcher;
    // Quantised to whole pixels and 1.4° it still matches itself and its other impressions.
    assert!(matcher.compare(&original, &reread) > 0.8);
    let mate = template_of("DB1_B", "103_3.tif");
    assert!(matcher.compare(&reread, &mate) >= MATCH_THRESHOLD);
}

#[test]
fn bad_images_get_clear_errors() {
    assert!(matches!(extract(b"definitely not an image", 500.0), Err(FingerprintError::NotAnImage(_))));
    let encode = |image: image::GrayImage| {
        let mut bytes = Vec::new();
        image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        bytes
    };
    let tiny = encode(image::GrayImage::from_pixel(40, 40, image::Luma([128])));
    assert!(matches!(extract(&tiny, 500.0), Err(FingerprintError::WrongSize { .. })));
    let blank = encode(image::GrayImage::from_pixel(300, 300, image::Luma([255])));
    match extract(&blank, 500.0) {
        Err(FingerprintError::Unusable(report)) => {
            assert_eq!(report.verdict, QualityVerdict::Unusable);
            assert!(report.to_string().contains("blank"), "{report}");
        }
        other => panic!("a blank image gave {other:?}"),
    }
    // A truncated TIFF is not an image.
    let truncated = &std::fs::read(fvc("DB1_B").join("101_1.tif")).unwrap()[..2000];
    assert!(extract(truncated, 500.0).is_err());
}

/// The FVC protocol on DB1_B: our EER must stay below NIST's MINDTCT + Bozorth3 reference (5.83%).
#[test]
fn db1_b_equal_error_rate_is_below_nists_reference() {
    let matcher = HospesFingerprintMatcher;
    let images = evaluation::list_fvc(&fvc("DB1_B"), "tif").unwrap();
    assert_eq!(images.len(), 80);
    let templates: Vec<FingerprintTemplate> =
        images.iter().map(|image| matcher.extract(&std::fs::read(&image.path).unwrap(), 500.0).unwrap()).collect();
    let (genuine_pairs, impostor_pairs) = evaluation::protocol_pairs(&images);
    assert_eq!((genuine_pairs.len(), impostor_pairs.len()), (280, 45));
    let genuine: Vec<f32> =
        genuine_pairs.iter().map(|(a, b)| matcher.compare(&templates[*a], &templates[*b])).collect();
    let impostor: Vec<f32> =
        impostor_pairs.iter().map(|(a, b)| matcher.compare(&templates[*a], &templates[*b])).collect();
    let (eer, _) = evaluation::equal_error_rate(&genuine, &impostor);
    assert!(eer < 0.0583, "EER {:.2}%", eer * 100.0);
}

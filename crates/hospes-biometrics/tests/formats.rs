#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The interchange-format parsers against the reference files in `shared/data/biometric-formats`:
//! every file parses to what `EXPECTED.json` (and the ANSI/NIST `MANIFEST.json`) say, templates
//! round-trip, and damaged input gives errors, never panics.

use std::path::{Path, PathBuf};

use hospes_biometrics::formats::template::{self, MinutiaKind, TemplateStandard};
use hospes_biometrics::formats::{FormatError, an2k};
use proptest::prelude::*;
use serde_json::Value;

fn data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/biometric-formats"))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The expected strings were written by reading the bytes as Latin-1.
fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect()
}

fn an2k_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["ansi-nist/nist-reference-files", "ansi-nist/libbiomeval"] {
        for entry in std::fs::read_dir(data_dir().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".an2") || name.ends_with(".an2k") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_ansi_nist_file_parses_to_its_expected_records() {
    let expected = json(&data_dir().join("EXPECTED.json"));
    let manifest = json(&data_dir().join("ansi-nist/MANIFEST.json"));
    let files = an2k_files();
    assert!(files.len() >= 20, "the reference files are missing: {files:?}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let transaction = an2k::parse(&bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
        let want = &expected["an2k"][&name];
        assert!(want.is_object(), "{name} has no entry in EXPECTED.json");
        assert_eq!(want["size_bytes"].as_u64().unwrap() as usize, bytes.len(), "{name}");
        let type1 = &transaction.records[0];
        assert_eq!(type1.text(2).unwrap(), want["version_1_002"].as_str().unwrap(), "{name}: version");
        let want_records = want["records"].as_array().unwrap();
        assert_eq!(transaction.records.len(), want_records.len(), "{name}: record count");
        for (record, want_record) in transaction.records.iter().zip(want_records) {
            assert_eq!(u64::from(record.record_type), want_record["type"].as_u64().unwrap(), "{name}");
            assert_eq!(record.offset as u64, want_record["offset"].as_u64().unwrap(), "{name}");
            assert_eq!(record.length as u64, want_record["length"].as_u64().unwrap(), "{name}");
            if let Some(idc) = want_record.get("idc") {
                assert_eq!(record.idc.map(u64::from), idc.as_u64(), "{name}: IDC of a Type-{}", record.record_type);
            }
        }
        for (record_type, count) in want["record_type_counts"].as_object().unwrap() {
            let found = transaction.records.iter().filter(|record| record.record_type.to_string() == *record_type);
            assert_eq!(found.count() as u64, count.as_u64().unwrap(), "{name}: Type-{record_type} records");
        }
        // The manifest has field values for each record.
        let entry = manifest.as_array().unwrap().iter().find(|entry| entry["file"] == name.as_str()).unwrap();
        for (record, want_record) in transaction.records.iter().zip(entry["records"].as_array().unwrap()) {
            for (key, value) in want_record.as_object().unwrap() {
                let field_number = match key.as_str() {
                    "VER" => Some(2),
                    "TOT" => Some(4),
                    "DAT" => Some(5),
                    "DAI" => Some(7),
                    "ORI" => Some(8),
                    "TCN" => Some(9),
                    key if key.starts_with('f') => key[1..].parse().ok(),
                    _ => None,
                };
                if let Some(number) = field_number {
                    let got = record.field(number).unwrap_or_else(|| panic!("{name}: no field {key}"));
                    assert_eq!(got, latin1(value.as_str().unwrap()).as_slice(), "{name}: field {key}");
                }
            }
            if let Some(fields) = want_record.get("n_fields") {
                // Counted by distinct field number: libbiomeval's type9-13 repeats a 2.034.
                let an2k::RecordContent::Tagged { fields: found } = &record.content else { panic!("{name}") };
                let mut numbers: Vec<u32> = found.iter().map(|field| field.number).collect();
                numbers.dedup();
                assert!(record.field_count() >= numbers.len());
                assert_eq!(numbers.len() as u64, fields.as_u64().unwrap(), "{name}: fields");
            }
            if let Some(image_bytes) = want_record.get("image_bytes") {
                assert_eq!(record.field(999).unwrap().len() as u64, image_bytes.as_u64().unwrap(), "{name}");
            }
            if let an2k::RecordContent::BinaryImage { header, .. } = &record.content {
                assert_eq!(u64::from(header.impression_type), want_record["imp"].as_u64().unwrap(), "{name}");
                assert_eq!(u64::from(header.width), want_record["hll"].as_u64().unwrap(), "{name}");
                assert_eq!(u64::from(header.height), want_record["vll"].as_u64().unwrap(), "{name}");
                assert_eq!(u64::from(header.compression), want_record["gca"].as_u64().unwrap(), "{name}");
                let positions: Vec<u64> = header.finger_positions.iter().map(|p| u64::from(*p)).collect();
                let want_positions: Vec<u64> =
                    want_record["fgp"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
                assert_eq!(positions, want_positions, "{name}");
            }
        }
    }
}

#[test]
fn images_and_minutiae_come_out_of_ansi_nist_transactions() {
    let read = |name: &str| an2k::parse(&std::fs::read(data_dir().join(name)).unwrap()).unwrap();
    // Type-14 with an uncompressed 800×768 image.
    let transaction = read("ansi-nist/nist-reference-files/type-9-14-std.an2");
    let images = transaction.images();
    assert_eq!(images.len(), 1);
    assert_eq!((images[0].width, images[0].height), (Some(800), Some(768)));
    assert_eq!(images[0].compression, "NONE");
    assert_eq!(images[0].data.len(), 800 * 768);
    // Its Type-9 holds 48 NIST-standard minutiae (9.010 says so); the first at (21.95 mm, 20.30 mm), 101°.
    let minutiae = transaction.minutiae();
    assert_eq!(minutiae.len(), 1);
    assert_eq!(minutiae[0].block, an2k::MinutiaeBlock::NistStandard);
    assert_eq!(minutiae[0].minutiae.len(), 48);
    let first = minutiae[0].minutiae[0];
    assert_eq!((first.x, first.y, first.angle_degrees), (2195.0, 2030.0, 101.0));
    // An INCITS 378 ("M1") block: 9.136 says 48 minutiae, in pixels.
    let m1 = read("ansi-nist/nist-reference-files/type-9-13-m1.an2").minutiae();
    assert_eq!(m1[0].block, an2k::MinutiaeBlock::IncitsM1);
    assert_eq!(m1[0].minutiae.len(), 48);
    assert_eq!((m1[0].minutiae[0].x, m1[0].minutiae[0].y), (491.0, 260.0));
    // EFS minutiae (9.331), first one an ending at (1908, 41) 0.01 mm, 186°.
    let efs = read("ansi-nist/libbiomeval/type9-efs.an2k").minutiae();
    assert_eq!(efs[0].block, an2k::MinutiaeBlock::ExtendedFeatureSet);
    assert_eq!((efs[0].minutiae[0].x, efs[0].minutiae[0].angle_degrees, efs[0].minutiae[0].kind), (1908.0, 186.0, 'E'));
    // Type-4 binary images: a ten-print card has 14.
    assert_eq!(read("ansi-nist/nist-reference-files/type-4-tpcard.an2").images().len(), 14);
}

fn template_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["iso19794-2/fingerprintio", "iso19794-2/libbiomeval", "iso19794-2/sourceafis"] {
        for entry in std::fs::read_dir(data_dir().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|extension| extension != "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_template_round_trips() {
    let files = template_files();
    assert_eq!(files.len(), 11, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let record = template::parse(&bytes).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let written = template::encode(&record).unwrap();
        // SourceAFIS pads its files with zeros after the record.
        let expected = &bytes[..bytes.len() - record.padding];
        if record.declared_length as usize == expected.len() {
            assert_eq!(written, expected, "{}", path.display());
        } else {
            // Two FingerprintIO samples declare a length that is not their size: the writer states
            // the true length, and every other byte is the same.
            let length_field = if record.standard == TemplateStandard::Ansi378_2004 { 8..10 } else { 8..12 };
            assert_eq!(written.len(), expected.len(), "{}", path.display());
            assert_eq!(written[length_field.end..], expected[length_field.end..], "{}", path.display());
            assert_eq!(written[..length_field.start], expected[..length_field.start]);
            let reread = template::parse(&written).unwrap();
            assert_eq!(reread.views, record.views, "{}", path.display());
            assert_eq!(reread.declared_length as usize, written.len());
        }
    }
}

#[test]
fn templates_parse_to_what_fingerprintio_decoded() {
    for (stem, standard) in [
        ("iso19794p2v2005", TemplateStandard::Iso19794_2_2005),
        ("iso19794p2v2011", TemplateStandard::Iso19794_2_2011),
        ("ansi378v2004", TemplateStandard::Ansi378_2004),
        ("ansi378v2009", TemplateStandard::Ansi378_2009),
        ("ansi378v2009am1", TemplateStandard::Ansi378_2009Amendment1),
    ] {
        let folder = data_dir().join("iso19794-2/fingerprintio");
        let record = template::parse(&std::fs::read(folder.join(format!("{stem}-sample.dat"))).unwrap()).unwrap();
        let want = json(&folder.join(format!("{stem}-sample.json")));
        assert_eq!(record.standard, standard, "{stem}");
        let want_views = want["fingerprints"].as_array().unwrap();
        assert_eq!(record.views.len(), want_views.len(), "{stem}");
        for (view, want_view) in record.views.iter().zip(want_views) {
            let want_quality = want_view.get("quality").or_else(|| want_view["qrecords"][0].get("quality"));
            assert_eq!(u64::from(view.quality), want_quality.unwrap().as_u64().unwrap(), "{stem}");
            let want_minutiae = want_view["minutiae"].as_array().unwrap();
            assert_eq!(view.minutiae.len(), want_minutiae.len(), "{stem}");
            for (minutia, want_minutia) in view.minutiae.iter().zip(want_minutiae) {
                assert_eq!(u64::from(minutia.x), want_minutia["positionX"].as_u64().unwrap());
                assert_eq!(u64::from(minutia.y), want_minutia["positionY"].as_u64().unwrap());
                assert_eq!(u64::from(minutia.angle), want_minutia["angle"].as_u64().unwrap());
                assert_eq!(u64::from(minutia.quality), want_minutia["quality"].as_u64().unwrap());
                let kind = match want_minutia["type"].as_str().unwrap() {
                    "ENDING" => MinutiaKind::RidgeEnding,
                    "BIFURCATION" => MinutiaKind::Bifurcation,
                    _ => MinutiaKind::Other,
                };
                assert_eq!(minutia.kind, kind, "{stem}");
            }
        }
    }
}

#[test]
fn libbiomeval_records_have_the_values_nist_reads() {
    let folder = data_dir().join("iso19794-2/libbiomeval");
    let iso = template::parse(&std::fs::read(folder.join("fmr.iso2005")).unwrap()).unwrap();
    assert_eq!(iso.standard, TemplateStandard::Iso19794_2_2005);
    assert_eq!((iso.views.len(), iso.declared_length), (2, 371));
    let view = &iso.views[1];
    assert_eq!((view.finger_position, view.quality, view.minutiae.len()), (2, 70, 22));
    assert_eq!((iso.capture_equipment & 0x0fff, iso.image_size, iso.resolution), (0xb5, (512, 512), (197, 197)));
    let first = view.minutiae[0];
    assert_eq!((first.kind, first.x, first.y, first.angle, first.quality), (MinutiaKind::RidgeEnding, 40, 93, 0, 90));
    let last = view.minutiae[21];
    assert_eq!((last.kind, last.x, last.y, last.angle, last.quality), (MinutiaKind::Bifurcation, 125, 73, 249, 40));
    let singular = view.cores_and_deltas(iso.standard).unwrap();
    assert_eq!(singular.cores.len(), 2);
    assert_eq!((singular.cores[0].x, singular.cores[0].y, singular.cores[0].angles.clone()), (150, 250, vec![90]));
    assert_eq!(singular.deltas.len(), 4);
    assert_eq!(
        (singular.deltas[0].x, singular.deltas[0].y, singular.deltas[0].angles.clone()),
        (143, 232, vec![100, 110, 120])
    );
    assert_eq!(
        (singular.deltas[3].x, singular.deltas[3].y, singular.deltas[3].angles.clone()),
        (130, 319, vec![57, 67, 77])
    );
    assert!(view.ridge_counts().is_none());

    let ansi = template::parse(&std::fs::read(folder.join("fmr.ansi2004")).unwrap()).unwrap();
    assert_eq!(ansi.standard, TemplateStandard::Ansi378_2004);
    assert_eq!(ansi.views.len(), 3);
    let view = &ansi.views[2];
    assert_eq!((view.quality, view.minutiae.len()), (69, 28));
    assert_eq!((view.minutiae[0].x, view.minutiae[0].y, view.minutiae[0].angle), (26, 216, 34));
    assert_eq!((view.minutiae[27].x, view.minutiae[27].y, view.minutiae[27].angle), (90, 158, 140));
    let counts = view.ridge_counts().unwrap();
    assert_eq!((counts.len(), counts[0], counts[223]), (224, (1, 2, 1), (28, 5, 5)));
    let singular = view.cores_and_deltas(ansi.standard).unwrap();
    assert_eq!((singular.cores.len(), singular.deltas.len()), (2, 4));
    assert_eq!((singular.cores[1].x, singular.cores[1].y, singular.cores[1].angles.clone()), (100, 150, vec![45]));

    let ansi2007 = template::parse(&std::fs::read(folder.join("fmr.ansi2007")).unwrap()).unwrap();
    assert_eq!(ansi2007.standard, TemplateStandard::Ansi378_2009);
    let view = &ansi2007.views[0];
    assert_eq!((view.finger_position, view.quality, view.image_size, view.minutiae.len()), (7, 90, (512, 512), 27));
    let last = view.minutiae[26];
    assert_eq!((last.kind, last.x, last.y, last.angle, last.quality), (MinutiaKind::Bifurcation, 126, 115, 86, 30));
}

#[test]
fn sourceafis_and_fvc_templates_parse() {
    for name in ["iso-probe.dat", "iso-matching.dat", "iso-nonmatching.dat"] {
        let record =
            template::parse(&std::fs::read(data_dir().join("iso19794-2/sourceafis").join(name)).unwrap()).unwrap();
        assert_eq!(record.standard, TemplateStandard::Iso19794_2_2005, "{name}");
        assert!(!record.views[0].minutiae.is_empty());
    }
}

#[test]
fn truncated_and_lying_records_are_errors_that_say_where() {
    let bytes = std::fs::read(data_dir().join("iso19794-2/libbiomeval/fmr.iso2005")).unwrap();
    let error = template::parse(&bytes[..200]).unwrap_err();
    assert!(matches!(error, FormatError::Truncated { .. }), "{error}");
    assert!(error.to_string().contains("byte"), "{error}");
    // A minutiae count larger than the data.
    let mut lying = bytes.clone();
    lying[27] = 200;
    assert!(template::parse(&lying).is_err());
    assert!(matches!(template::parse(b"JPEG...."), Err(FormatError::BadMagic { .. })));

    let an2 = std::fs::read(data_dir().join("ansi-nist/nist-reference-files/type-9-14-std.an2")).unwrap();
    let error = an2k::parse(&an2[..5000]).unwrap_err();
    assert!(error.to_string().contains("byte"), "{error}");
    // A Type-1 record that lies about its length.
    let mut lying = an2.clone();
    lying[6] = b'9';
    assert!(an2k::parse(&lying).is_err());
    // A record count in CNT that does not match its list.
    let text = String::from_utf8_lossy(&an2[..186]).replace("1.003:1\u{1f}3", "1.003:1\u{1f}4");
    let mut miscounted = text.into_bytes();
    miscounted.extend_from_slice(&an2[186..]);
    assert!(an2k::parse(&miscounted).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn template_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = template::parse(&bytes);
    }

    #[test]
    fn template_parser_survives_damaged_real_records(position in 0usize..371, value in any::<u8>(), cut in 0usize..372) {
        let mut bytes = std::fs::read(data_dir().join("iso19794-2/libbiomeval/fmr.iso2005")).unwrap();
        bytes[position] = value;
        bytes.truncate(cut);
        if let Ok(record) = template::parse(&bytes) {
            // Whatever parses can be written and read again.
            let written = template::encode(&record).unwrap();
            prop_assert_eq!(template::parse(&written).unwrap().views, record.views);
        }
    }

    #[test]
    fn an2k_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut input = b"1.001:".to_vec();
        input.extend_from_slice(&bytes);
        let _ = an2k::parse(&input);
    }

    #[test]
    fn an2k_parser_survives_damaged_real_transactions(position in 0usize..3988, value in any::<u8>(), cut in 0usize..3989) {
        let mut bytes = std::fs::read(data_dir().join("ansi-nist/libbiomeval/type9.an2k")).unwrap();
        bytes[position] = value;
        bytes.truncate(cut);
        if let Ok(transaction) = an2k::parse(&bytes) {
            let _ = transaction.minutiae();
            let _ = transaction.images();
        }
    }
}

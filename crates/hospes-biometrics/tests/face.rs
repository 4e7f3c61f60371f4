#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! The face pipeline on real photographs (the deepface test set in `../shared/data/faces/deepface`)
//! with the committed models: known pairs match, known non-pairs do not, and bad input gets its own
//! error. The models load once for the whole file.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hospes_biometrics::abis::{Abis, FaceAbis, SubjectId};
use hospes_biometrics::face::{DEFAULT_THRESHOLD, FaceChoice, FaceEngine, FaceError, FaceTemplate};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
const FACES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/faces/deepface");

fn engine() -> &'static FaceEngine {
    static ENGINE: OnceLock<FaceEngine> = OnceLock::new();
    ENGINE.get_or_init(|| FaceEngine::load(Path::new(MODELS)).expect("the committed models load"))
}

fn photo(name: &str) -> Vec<u8> {
    let path = PathBuf::from(FACES).join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn template(name: &str) -> FaceTemplate {
    engine().capture(&photo(name), FaceChoice::Single).unwrap_or_else(|error| panic!("{name}: {error}")).template
}

#[test]
fn the_same_person_matches_and_different_people_do_not() {
    // img20/img21 and img3/img12 are labelled "Yes" in master.csv; img20/img3 "No".
    let (a, b) = (template("img20.jpg"), template("img21.jpg"));
    let (c, d) = (template("img3.jpg"), template("img12.jpg"));
    let genuine = [a.similarity(&b), c.similarity(&d)];
    let impostor = [a.similarity(&c), b.similarity(&d)];
    for score in genuine {
        assert!(score >= DEFAULT_THRESHOLD, "genuine {score} below {DEFAULT_THRESHOLD}");
    }
    for score in impostor {
        assert!(score < DEFAULT_THRESHOLD, "impostor {score} at or above {DEFAULT_THRESHOLD}");
    }
    // The dequantised weights give a recogniser, not noise: the margin is wide.
    let lowest_genuine = genuine.iter().copied().fold(f32::MAX, f32::min);
    let highest_impostor = impostor.iter().copied().fold(f32::MIN, f32::max);
    assert!(lowest_genuine - highest_impostor > 0.3, "genuine {genuine:?} vs impostor {impostor:?}");
}

#[test]
fn landmarks_lie_where_a_face_has_them() {
    let capture = engine().capture(&photo("img1.jpg"), FaceChoice::Single).unwrap();
    let [left, top, width, height] = capture.face.bounds;
    let [right_eye, left_eye, nose, mouth_right, mouth_left] = capture.face.landmarks;
    for [x, y] in capture.face.landmarks {
        assert!(x > left && x < left + width && y > top && y < top + height, "landmark ({x}, {y}) outside the box");
    }
    assert!(right_eye[0] < left_eye[0] && mouth_right[0] < mouth_left[0], "eyes and mouth corners in image order");
    assert!(nose[1] > right_eye[1].max(left_eye[1]) && nose[1] < mouth_right[1].min(mouth_left[1]));
    assert!(capture.face.score >= 0.9);
}

#[test]
fn a_group_photo_is_refused_for_matching_but_its_largest_face_can_be_taken() {
    match engine().capture(&photo("couple.jpg"), FaceChoice::Single) {
        Err(FaceError::SeveralFaces { count, .. }) => assert!(count >= 2),
        other => panic!("expected several faces, got {other:?}"),
    }
    let largest = engine().capture(&photo("couple.jpg"), FaceChoice::Largest).unwrap();
    assert!(largest.faces_detected >= 2);
}

#[test]
fn a_picture_without_a_face_says_so() {
    // A smooth gradient: a valid photograph of nothing.
    let image = image::RgbImage::from_fn(480, 360, |x, y| image::Rgb([(x / 2) as u8, (y / 2) as u8, 90]));
    let mut png = Vec::new();
    image.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    assert!(matches!(engine().capture(&png, FaceChoice::Single), Err(FaceError::NoFace)));
}

#[test]
fn files_that_are_not_photographs_are_refused_before_detection() {
    // A real fingerprint image (TIFF) and a CSV file: neither is a JPEG or PNG.
    let tiff = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/fingerprints/fvc2002/DB1_B/101_1.tif"
    ))
    .unwrap();
    let error = engine().capture(&tiff, FaceChoice::Single).unwrap_err();
    assert!(matches!(error, FaceError::NotAnImage(_)), "{error}");
    let error = engine().capture(&photo("master.csv"), FaceChoice::Single).unwrap_err();
    assert!(matches!(error, FaceError::NotAnImage(_)), "{error}");
    // The start of a real JPEG: the header promises pixels that never come.
    let truncated = &photo("img2.jpg")[..2_000];
    let error = engine().capture(truncated, FaceChoice::Single).unwrap_err();
    assert!(matches!(error, FaceError::NotAnImage(_)), "{error}");
}

#[test]
fn enrolled_photographs_are_found_again_through_the_abis_interface() {
    let mut abis = FaceAbis::new(Default::default(), DEFAULT_THRESHOLD);
    for (subject, image) in [("p-20", "img20.jpg"), ("p-3", "img3.jpg"), ("p-38", "img38.jpg")] {
        abis.enrol(&SubjectId(subject.to_owned()), &FaceAbis::template(&template(image))).unwrap();
    }
    let probe = FaceAbis::template(&template("img21.jpg"));
    let found = abis.identify(&probe, 3).unwrap();
    assert_eq!(found.candidates[0].subject.0, "p-20");
    assert!(found.candidates[0].is_hit);
    assert_eq!(found.hits().count(), 1, "{found:?}");
    assert!(abis.verify(&probe, &SubjectId("p-20".to_owned())).unwrap().is_match);
    assert!(!abis.verify(&probe, &SubjectId("p-3".to_owned())).unwrap().is_match);
}

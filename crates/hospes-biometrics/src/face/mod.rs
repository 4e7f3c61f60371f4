//! Face: detection with five landmarks (YuNet), alignment to 112×112, a 128-d embedding (SFace),
//! 1:1 verification by cosine similarity against a calibrated threshold, and 1:N search
//! ([`index::FaceIndex`], HNSW beside exact search).
//!
//! Everything runs in Rust on the CPU with `tract-onnx`; the two model files come with the project
//! (`models/`, see its README for their origin, licence and digest).
//!
//! ```text
//! JPEG/PNG bytes ─decode─▶ RGB ─letterbox 640²─▶ YuNet ─NMS─▶ one face? ─5 landmarks─▶
//!     similarity to the template ─warp─▶ 112×112 ─SFace─▶ 128 floats ─L2─▶ FaceTemplate
//! ```

pub mod align;
pub mod detect;
pub mod index;
pub mod model;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, RgbImage};
use tract_onnx::prelude::{Tensor, tvec};

pub use align::{ALIGNED_SIDE, Similarity, TEMPLATE};
pub use detect::{Detection, Detector};
use model::{Plan, load_plan};

/// File name of the detector in the models directory.
pub const DETECTOR_FILE: &str = "face_detection_yunet_2023mar.onnx";
/// File name of the recogniser in the models directory.
pub const RECOGNISER_FILE: &str = "face_recognition_sface_2021dec_int8bq.onnx";
/// Length of an embedding.
pub const EMBEDDING_LEN: usize = 128;

/// Cosine similarity at or above which two faces are taken for the same person.
///
/// Calibrated on the deepface pair list `master.csv` (38 genuine, 262 impostor pairs): its scores
/// separate, impostors at most 0.350 and genuine pairs at least 0.536, and this is the middle of
/// the gap. On `face-recognition-pivot.csv` it makes no error either (its gap is 0.420…0.465),
/// where OpenCV's published SFace threshold, 0.363 (chosen on LFW), accepts one impostor pair.
/// `hospes bench face` recomputes all of this.
pub const DEFAULT_THRESHOLD: f32 = 0.443;

/// Images wider or taller than this are refused before decoding (a 12-megapixel photograph is about
/// 4000 pixels wide); the pixel count is limited by the decoder's allocation limit as well.
pub const MAX_IMAGE_SIDE: u32 = 10_000;
/// Images narrower or shorter than this cannot hold a usable face.
pub const MIN_IMAGE_SIDE: u32 = 32;
/// A second face smaller than this share of the largest one is background (a passer-by, a face on a
/// poster) and does not make the photograph ambiguous.
pub const SECOND_FACE_AREA_RATIO: f32 = 0.25;
/// Eyes closer than this, in pixels, give too little detail for a reliable embedding.
pub const MIN_EYE_DISTANCE: f32 = 16.0;

/// What can go wrong between bytes and a face template.
#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    #[error("cannot read the face model {path}: {source}")]
    ModelFile { path: String, source: std::io::Error },
    #[error("the face model {path} cannot be used: {reason}")]
    Model { path: String, reason: String },
    #[error("not a JPEG or PNG image: {0}")]
    NotAnImage(String),
    #[error("the image is {width}×{height} pixels; it must be at least {MIN_IMAGE_SIDE} on each side")]
    ImageTooSmall { width: u32, height: u32 },
    #[error("the image is {width}×{height} pixels; at most {MAX_IMAGE_SIDE} on each side is accepted")]
    ImageTooLarge { width: u32, height: u32 },
    #[error("no face found in the image")]
    NoFace,
    #[error("{count} faces found in the image; a photograph for matching must show one person")]
    SeveralFaces { count: usize, faces: Vec<Detection> },
    #[error("the face is too small: {eye_distance:.0} pixels between the eyes, at least {MIN_EYE_DISTANCE} needed")]
    FaceTooSmall { eye_distance: f32 },
    #[error("face inference failed: {0}")]
    Inference(String),
}

/// A face template: the L2-normalised SFace embedding of one aligned face.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceTemplate {
    pub embedding: [f32; EMBEDDING_LEN],
}

impl FaceTemplate {
    /// From any non-zero vector of the right length: normalised to unit length.
    pub fn from_vector(vector: &[f32]) -> Option<FaceTemplate> {
        let embedding: [f32; EMBEDDING_LEN] = vector.try_into().ok()?;
        let norm = embedding.iter().map(|value| value * value).sum::<f32>().sqrt();
        if !norm.is_finite() || norm <= f32::EPSILON {
            return None;
        }
        Some(FaceTemplate { embedding: embedding.map(|value| value / norm) })
    }

    /// Cosine similarity, −1 to 1 (both templates are unit vectors).
    pub fn similarity(&self, other: &FaceTemplate) -> f32 {
        dot(&self.embedding, &other.embedding)
    }

    /// The stored form: 128 little-endian f32 (512 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.embedding.iter().flat_map(|value| value.to_le_bytes()).collect()
    }

    /// Reads [`to_bytes`](Self::to_bytes)'s form; `None` for a wrong length or a zero vector.
    pub fn from_bytes(bytes: &[u8]) -> Option<FaceTemplate> {
        if bytes.len() != 4 * EMBEDDING_LEN {
            return None;
        }
        let vector: Vec<f32> =
            bytes.chunks_exact(4).map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]])).collect();
        let norm = vector.iter().map(|value| value * value).sum::<f32>().sqrt();
        // Our own stored templates are unit vectors already: keep them bit for bit.
        if (norm - 1.0).abs() < 1e-4 && vector.iter().all(|value| value.is_finite()) {
            return Some(FaceTemplate { embedding: vector.try_into().ok()? });
        }
        FaceTemplate::from_vector(&vector)
    }
}

/// Dot product with four independent sums, which the compiler turns into SIMD.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let chunks = a.len().min(b.len()) / 8;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)).take(chunks) {
        for lane in 0..8 {
            sums[lane] += x[lane] * y[lane];
        }
    }
    let tail: f32 = a[chunks * 8..].iter().zip(&b[chunks * 8..]).map(|(x, y)| x * y).sum();
    sums.iter().sum::<f32>() + tail
}

/// The outcome of one photograph: the face used and its template.
#[derive(Debug, Clone)]
pub struct FaceCapture {
    pub face: Detection,
    pub template: FaceTemplate,
    /// Every face detected, best score first (the chosen one included).
    pub faces_detected: usize,
}

/// Which face of a photograph to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceChoice {
    /// Exactly one face (background faces much smaller than it are ignored); otherwise
    /// [`FaceError::SeveralFaces`]. For enrolment and the border check.
    Single,
    /// The largest face, whatever else is in the picture (for benchmarks on photographs that were
    /// not taken for matching).
    Largest,
}

/// The loaded detector and recogniser. Loading takes a second or so; share one engine.
pub struct FaceEngine {
    detector: Detector,
    recogniser: Plan,
}

impl FaceEngine {
    /// Loads both models from `models_dir` ([`DETECTOR_FILE`], [`RECOGNISER_FILE`]).
    pub fn load(models_dir: &Path) -> Result<FaceEngine, FaceError> {
        FaceEngine::load_with_detector_side(models_dir, 640)
    }

    /// As [`load`](Self::load), with the detector's square input side (a multiple of 32; smaller is
    /// faster and misses small faces).
    pub fn load_with_detector_side(models_dir: &Path, detector_side: usize) -> Result<FaceEngine, FaceError> {
        let detector_side = detector_side.div_ceil(32).max(1) * 32;
        let detector = load_plan(&models_dir.join(DETECTOR_FILE), &[1, 3, detector_side, detector_side])?;
        let recogniser =
            load_plan(&models_dir.join(RECOGNISER_FILE), &[1, 3, ALIGNED_SIDE as usize, ALIGNED_SIDE as usize])?;
        Ok(FaceEngine { detector: Detector::new(detector, detector_side), recogniser })
    }

    /// The models directory: `$HOSPES_MODELS_DIR`, else `models/` in the current directory or the
    /// nearest parent that has one (so it works from the repository root and from a crate's tests).
    pub fn default_models_dir() -> PathBuf {
        if let Some(directory) = std::env::var_os("HOSPES_MODELS_DIR") {
            return PathBuf::from(directory);
        }
        let mut directory = std::env::current_dir().unwrap_or_default();
        loop {
            let candidate = directory.join("models");
            if candidate.join(DETECTOR_FILE).is_file() {
                return candidate;
            }
            if !directory.pop() {
                return PathBuf::from("models");
            }
        }
    }

    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// Detection, alignment and embedding of the face in an encoded photograph.
    pub fn capture(&self, encoded: &[u8], choice: FaceChoice) -> Result<FaceCapture, FaceError> {
        self.capture_image(&decode_image(encoded)?, choice)
    }

    /// As [`capture`](Self::capture), from decoded pixels.
    pub fn capture_image(&self, image: &RgbImage, choice: FaceChoice) -> Result<FaceCapture, FaceError> {
        let faces = self.detector.detect(image)?;
        let face = choose_face(&faces, choice)?.clone();
        let eye_distance =
            (face.landmarks[0][0] - face.landmarks[1][0]).hypot(face.landmarks[0][1] - face.landmarks[1][1]);
        if eye_distance < MIN_EYE_DISTANCE {
            return Err(FaceError::FaceTooSmall { eye_distance });
        }
        let aligned = self.align(image, &face)?;
        let template = self.embed_aligned(&aligned)?;
        Ok(FaceCapture { face, template, faces_detected: faces.len() })
    }

    /// The 112×112 aligned crop of `face`.
    pub fn align(&self, image: &RgbImage, face: &Detection) -> Result<RgbImage, FaceError> {
        Similarity::estimate(&face.landmarks, &TEMPLATE)
            .and_then(|transform| align::warp_aligned(image, &transform))
            .ok_or_else(|| FaceError::Inference("the landmarks are degenerate".to_owned()))
    }

    /// The template of an aligned 112×112 face.
    pub fn embed_aligned(&self, aligned: &RgbImage) -> Result<FaceTemplate, FaceError> {
        let side = ALIGNED_SIDE as usize;
        if aligned.dimensions() != (ALIGNED_SIDE, ALIGNED_SIDE) {
            return Err(FaceError::Inference(format!("an aligned face is {side}×{side}")));
        }
        // NCHW, RGB, 0–255: SFace normalises inside the graph.
        let mut input = vec![0f32; 3 * side * side];
        for (x, y, pixel) in aligned.enumerate_pixels() {
            let offset = y as usize * side + x as usize;
            for channel in 0..3 {
                input[channel * side * side + offset] = f32::from(pixel.0[channel]);
            }
        }
        let tensor =
            Tensor::from_shape(&[1, 3, side, side], &input).map_err(|e| FaceError::Inference(e.to_string()))?;
        let outputs = self.recogniser.run(tvec![tensor.into()]).map_err(|e| FaceError::Inference(e.to_string()))?;
        let embedding = outputs
            .first()
            .ok_or_else(|| FaceError::Inference("the recogniser gave no output".to_owned()))?
            .try_as_plain_ram()
            .and_then(|view| view.as_slice::<f32>())
            .map_err(|e| FaceError::Inference(e.to_string()))?;
        FaceTemplate::from_vector(embedding).ok_or_else(|| {
            FaceError::Inference(format!("the recogniser gave {} values, not a usable embedding", embedding.len()))
        })
    }
}

/// Picks the face to use from the detections (best score first).
pub fn choose_face(faces: &[Detection], choice: FaceChoice) -> Result<&Detection, FaceError> {
    let largest = faces.iter().max_by(|a, b| a.area().total_cmp(&b.area())).ok_or(FaceError::NoFace)?;
    if choice == FaceChoice::Single {
        let prominent = faces.iter().filter(|face| face.area() >= SECOND_FACE_AREA_RATIO * largest.area()).count();
        if prominent > 1 {
            return Err(FaceError::SeveralFaces { count: prominent, faces: faces.to_vec() });
        }
    }
    Ok(largest)
}

/// Decodes a JPEG or PNG photograph, refusing other formats and sizes outside the limits before
/// the pixels are allocated.
pub fn decode_image(encoded: &[u8]) -> Result<RgbImage, FaceError> {
    let format = image::guess_format(encoded)
        .map_err(|_| FaceError::NotAnImage("the bytes are not a known image format".to_owned()))?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(FaceError::NotAnImage(format!("{format:?} images are not accepted")));
    }
    if format == ImageFormat::Jpeg && !jpeg_scan_is_terminated(encoded) {
        // The decoder would fill the missing rows with grey and call it a picture.
        return Err(FaceError::NotAnImage("the JPEG ends before its last scan does (truncated?)".to_owned()));
    }
    // The header first: a size outside the limits is refused before any pixel is allocated.
    let (width, height) = ImageReader::with_format(Cursor::new(encoded), format)
        .into_dimensions()
        .map_err(|error| FaceError::NotAnImage(error.to_string()))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(FaceError::ImageTooLarge { width, height });
    }
    if width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE {
        return Err(FaceError::ImageTooSmall { width, height });
    }
    let mut reader = ImageReader::with_format(Cursor::new(encoded), format);
    reader.limits(decode_limits());
    let decoded = reader.decode().map_err(|error| FaceError::NotAnImage(error.to_string()))?;
    Ok(decoded.into_rgb8())
}

/// Whether an end-of-image marker follows the last start-of-scan marker. Inside entropy-coded
/// data every 0xFF byte is followed by 0x00, so these two byte pairs are markers wherever they
/// occur; an embedded thumbnail's end marker lies before the main image's scans and does not count.
fn jpeg_scan_is_terminated(encoded: &[u8]) -> bool {
    let last = |marker: [u8; 2]| encoded.windows(2).rposition(|pair| pair == marker);
    match (last([0xFF, 0xDA]), last([0xFF, 0xD9])) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_survive_their_byte_form() {
        let template = FaceTemplate::from_vector(&(0..128).map(|i| i as f32 - 60.0).collect::<Vec<_>>()).unwrap();
        assert_eq!(FaceTemplate::from_bytes(&template.to_bytes()), Some(template.clone()));
        assert!((template.similarity(&template) - 1.0).abs() < 1e-5);
        assert_eq!(FaceTemplate::from_bytes(&[0u8; 100]), None);
        assert_eq!(FaceTemplate::from_vector(&[0.0; 128]), None);
    }

    #[test]
    fn bytes_that_are_no_image_are_refused_as_such() {
        assert!(matches!(decode_image(b"%PDF-1.7 not a photo"), Err(FaceError::NotAnImage(_))));
        assert!(matches!(decode_image(&[]), Err(FaceError::NotAnImage(_))));
        // A GIF header: a real image format, but not one we accept.
        assert!(matches!(decode_image(b"GIF89a\x01\x00\x01\x00"), Err(FaceError::NotAnImage(_))));
    }

    #[test]
    fn a_tiny_png_is_too_small() {
        let mut png = Vec::new();
        RgbImage::new(8, 8).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        assert!(matches!(decode_image(&png), Err(FaceError::ImageTooSmall { width: 8, height: 8 })));
    }

    #[test]
    fn a_truncated_jpeg_is_not_an_image() {
        let mut jpeg = Vec::new();
        RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8, y as u8, 0]))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        assert!(decode_image(&jpeg).is_ok());
        // Cut inside the scan: the header is whole, the pixels are not.
        jpeg.truncate(jpeg.len() - 40);
        let error = decode_image(&jpeg).unwrap_err();
        assert!(error.to_string().contains("truncated"), "{error}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Whatever arrives as a "photograph" gets an answer, never a panic.
        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4_096)) {
            let _ = decode_image(&bytes);
            let _ = FaceTemplate::from_bytes(&bytes);
        }

        /// The same behind a real JPEG or PNG signature, so the decoders themselves are exercised.
        #[test]
        fn decoding_behind_a_real_signature_never_panics(
            png in proptest::prelude::any::<bool>(),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4_096),
        ) {
            let mut input: Vec<u8> =
                if png { b"\x89PNG\r\n\x1a\n".to_vec() } else { vec![0xFF, 0xD8, 0xFF, 0xE0] };
            input.extend_from_slice(&bytes);
            let _ = decode_image(&input);
        }

        /// Corrupting a valid JPEG anywhere still gives an answer.
        #[test]
        fn a_corrupted_jpeg_never_panics(position in 0usize..4_000, value in proptest::prelude::any::<u8>(), cut in 100usize..4_000) {
            let mut jpeg = Vec::new();
            RgbImage::from_fn(48, 40, |x, y| image::Rgb([(x * 5) as u8, (y * 6) as u8, 128]))
                .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
                .unwrap();
            let length = jpeg.len();
            jpeg[position % length] = value;
            jpeg.truncate(cut.min(length));
            let _ = decode_image(&jpeg);
        }
    }

    fn face(area_side: f32, score: f32) -> Detection {
        Detection { bounds: [0.0, 0.0, area_side, area_side], landmarks: [[0.0; 2]; 5], score }
    }

    #[test]
    fn a_small_background_face_does_not_make_the_photo_ambiguous() {
        let faces = [face(200.0, 0.95), face(60.0, 0.99)];
        assert_eq!(choose_face(&faces, FaceChoice::Single).unwrap().bounds[2], 200.0);
        let two = [face(200.0, 0.95), face(150.0, 0.99)];
        assert!(matches!(choose_face(&two, FaceChoice::Single), Err(FaceError::SeveralFaces { count: 2, .. })));
        assert_eq!(choose_face(&two, FaceChoice::Largest).unwrap().bounds[2], 200.0);
        assert!(matches!(choose_face(&[], FaceChoice::Largest), Err(FaceError::NoFace)));
    }
}

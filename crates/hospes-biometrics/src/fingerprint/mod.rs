//! Fingerprints: minutiae extraction, 1:1 matching and 1:N identification.
//!
//! - extraction: an image (TIFF, PNG, BMP, JPEG; grey-scale, ~500 ppi) is checked for quality
//!   ([`assess_quality`]: blank, too small, too little ridge area), then NIST's MINDTCT (the NBIS C
//!   code, built by the `nbis-rs` crate) finds the minutiae; we keep the most reliable ones;
//! - matching: our own Minutia Cylinder-Code matcher ([`mcc`]), a score in [0, 1] with a threshold
//!   calibrated on FVC2002 ([`MATCH_THRESHOLD`]);
//! - 1:N: [`index::FingerprintIndex`], a locality-sensitive hashing index over the cylinders that
//!   picks a few candidates to match instead of everyone;
//! - evaluation: [`evaluation`] runs the FVC protocol and computes EER and FNMR at a given FMR.
//!
//! [`FingerprintMatcher`] is the ABIS-style seam: whatever sits behind it (ours, or a commercial
//! matcher) turns images into templates and templates into scores.

pub mod evaluation;
pub mod index;
pub mod mcc;

use serde::Serialize;

use crate::formats::template::{
    ExtendedData, FingerView, MinutiaKind as TemplateMinutiaKind, MinutiaeRecord, TemplateMinutia, TemplateStandard,
};

/// The score from which two prints are taken to be the same finger: chosen on FVC2002 DB1–DB4_B
/// (`hospes bench fingerprint`), where it sits between the equal-error and the 0.1%-FMR points.
pub const MATCH_THRESHOLD: f32 = 0.32;

/// The resolution the matcher's distances are tuned for; templates are scaled to it.
pub const MATCHER_PPI: f32 = 500.0;

/// Images smaller than this on either side cannot hold a usable print; larger than the other bound
/// are refused before decoding work is spent on them.
const MIN_SIDE: u32 = 96;
const MAX_SIDE: u32 = 4096;

/// Which MINDTCT minutiae a template keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtractionParameters {
    /// Minutiae less reliable than this are dropped (MINDTCT's reliability, 0–1).
    pub min_reliability: f32,
    /// The most kept, most reliable first; more are mostly noise near the print's edge.
    pub max_minutiae: usize,
}

impl Default for ExtractionParameters {
    fn default() -> Self {
        Self { min_reliability: 0.2, max_minutiae: 80 }
    }
}

/// Why an image gave no template.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FingerprintError {
    #[error("not an image this service reads (TIFF, PNG, BMP, JPEG): {0}")]
    NotAnImage(String),
    #[error("image is {width}×{height} pixels; a fingerprint needs {min}–{max} on each side")]
    WrongSize { width: u32, height: u32, min: u32, max: u32 },
    #[error("no fingerprint: {0}")]
    Unusable(QualityReport),
    #[error("minutiae extraction failed: {0}")]
    Extraction(String),
}

/// How usable a fingerprint image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QualityVerdict {
    Good,
    /// Usable, but expect more errors: little ridge area, low contrast, or few minutiae.
    Low,
    /// Nothing to match: blank, or no ridge structure.
    Unusable,
}

/// What the quality check measured, and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    pub verdict: QualityVerdict,
    /// Share of 16×16 blocks with ridge-like contrast.
    pub foreground_share: f32,
    /// Median grey-level standard deviation of those blocks.
    pub contrast: f32,
    /// Minutiae found (0 before extraction).
    pub minutiae: usize,
    pub reason: String,
}

impl std::fmt::Display for QualityReport {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{:?} ({}; ridge area {:.0}%, contrast {:.1}, {} minutiae)",
            self.verdict,
            self.reason,
            self.foreground_share * 100.0,
            self.contrast,
            self.minutiae
        )
    }
}

/// A minutia in pixels at [`MATCHER_PPI`], image orientation (y down).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Minutia {
    pub x: f32,
    pub y: f32,
    /// Radians, from the x axis towards the y axis (clockwise as seen on screen).
    pub angle: f32,
    pub kind: MinutiaKind,
    /// 0–1.
    pub quality: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MinutiaKind {
    RidgeEnding,
    Bifurcation,
    Other,
}

/// A fingerprint template: what is stored and indexed, never the image.
#[derive(Debug, Clone)]
pub struct FingerprintTemplate {
    pub width: u32,
    pub height: u32,
    pub ppi: f32,
    pub quality: QualityReport,
    pub mcc: mcc::MccTemplate,
}

/// The ABIS seam for fingerprints: a matcher turns images into templates and compares templates.
pub trait FingerprintMatcher: Send + Sync {
    fn extract(&self, image: &[u8], ppi: f32) -> Result<FingerprintTemplate, FingerprintError>;
    /// A similarity score in [0, 1]; [`FingerprintMatcher::threshold`] and above is a match.
    fn compare(&self, probe: &FingerprintTemplate, candidate: &FingerprintTemplate) -> f32;
    fn threshold(&self) -> f32;
}

/// Our matcher: MINDTCT minutiae, Minutia Cylinder-Code comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct HospesFingerprintMatcher;

impl FingerprintMatcher for HospesFingerprintMatcher {
    fn extract(&self, image: &[u8], ppi: f32) -> Result<FingerprintTemplate, FingerprintError> {
        extract(image, ppi)
    }

    fn compare(&self, probe: &FingerprintTemplate, candidate: &FingerprintTemplate) -> f32 {
        mcc::match_templates(&probe.mcc, &candidate.mcc)
    }

    fn threshold(&self) -> f32 {
        MATCH_THRESHOLD
    }
}

/// Decodes an image to 8-bit grey, refusing what is not an image or has an impossible size.
pub fn decode_grey(image: &[u8]) -> Result<image::GrayImage, FingerprintError> {
    let reader = image::ImageReader::new(std::io::Cursor::new(image))
        .with_guessed_format()
        .map_err(|error| FingerprintError::NotAnImage(error.to_string()))?;
    if reader.format().is_none() {
        return Err(FingerprintError::NotAnImage("unknown file signature".into()));
    }
    let (width, height) = reader.into_dimensions().map_err(|error| FingerprintError::NotAnImage(error.to_string()))?;
    check_size(width, height)?;
    let decoded = image::load_from_memory(image).map_err(|error| FingerprintError::NotAnImage(error.to_string()))?;
    Ok(decoded.to_luma8())
}

fn check_size(width: u32, height: u32) -> Result<(), FingerprintError> {
    if width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE {
        return Err(FingerprintError::WrongSize { width, height, min: MIN_SIDE, max: MAX_SIDE });
    }
    Ok(())
}

/// Looks for ridge structure: blocks whose grey levels vary like ridges and valleys do.
pub fn assess_quality(grey: &image::GrayImage) -> QualityReport {
    const BLOCK: u32 = 16;
    let (width, height) = grey.dimensions();
    let mut deviations = Vec::new();
    let mut blocks = 0usize;
    for block_y in (0..height.saturating_sub(BLOCK - 1)).step_by(BLOCK as usize) {
        for block_x in (0..width.saturating_sub(BLOCK - 1)).step_by(BLOCK as usize) {
            blocks += 1;
            let (mut sum, mut sum_squares) = (0f64, 0f64);
            for y in block_y..block_y + BLOCK {
                for x in block_x..block_x + BLOCK {
                    let value = f64::from(grey.get_pixel(x, y).0[0]);
                    sum += value;
                    sum_squares += value * value;
                }
            }
            let count = f64::from(BLOCK * BLOCK);
            let mean = sum / count;
            let deviation = (sum_squares / count - mean * mean).max(0.0).sqrt();
            // Ridges give a spread of grey levels; paper, glass and flat fills do not.
            if deviation >= 12.0 {
                deviations.push(deviation as f32);
            }
        }
    }
    let foreground_share = if blocks == 0 { 0.0 } else { deviations.len() as f32 / blocks as f32 };
    deviations.sort_by(f32::total_cmp);
    let contrast = deviations.get(deviations.len() / 2).copied().unwrap_or(0.0);
    let (verdict, reason) = if foreground_share < 0.05 {
        (QualityVerdict::Unusable, "blank: no ridge structure")
    } else if foreground_share < 0.25 || contrast < 20.0 {
        (QualityVerdict::Low, "little ridge area or low contrast")
    } else {
        (QualityVerdict::Good, "ridges over most of the image")
    };
    QualityReport { verdict, foreground_share, contrast, minutiae: 0, reason: reason.into() }
}

/// Extracts a template from an image of the given resolution (pixels per inch).
pub fn extract(image: &[u8], ppi: f32) -> Result<FingerprintTemplate, FingerprintError> {
    extract_with(image, ppi, &ExtractionParameters::default())
}

/// [`extract`] with chosen parameters.
pub fn extract_with(
    image: &[u8],
    ppi: f32,
    parameters: &ExtractionParameters,
) -> Result<FingerprintTemplate, FingerprintError> {
    let grey = decode_grey(image)?;
    let mut quality = assess_quality(&grey);
    if quality.verdict == QualityVerdict::Unusable {
        return Err(FingerprintError::Unusable(quality));
    }
    let found = nbis::extract_minutiae(image, Some(f64::from(ppi)))
        .map_err(|error| FingerprintError::Extraction(format!("{error:?}")))?;
    let scale = MATCHER_PPI / ppi;
    let mut minutiae: Vec<Minutia> = found
        .get()
        .iter()
        .map(|minutia| Minutia {
            x: minutia.x() as f32 * scale,
            y: minutia.y() as f32 * scale,
            // MINDTCT's angle is counter-clockwise with y up; ours turns the other way, with y down.
            angle: mcc::angle_difference(-(minutia.angle() as f32).to_radians(), 0.0),
            kind: match minutia.kind() {
                nbis::MinutiaKind::RidgeEnding => MinutiaKind::RidgeEnding,
                nbis::MinutiaKind::Bifurcation => MinutiaKind::Bifurcation,
            },
            quality: minutia.reliability() as f32,
        })
        .filter(|minutia| minutia.quality >= parameters.min_reliability)
        .collect();
    minutiae.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    minutiae.truncate(parameters.max_minutiae);
    quality.minutiae = minutiae.len();
    if minutiae.len() < 4 {
        quality.verdict = QualityVerdict::Unusable;
        quality.reason = "fewer than 4 reliable minutiae".into();
        return Err(FingerprintError::Unusable(quality));
    }
    if minutiae.len() < 12 && quality.verdict == QualityVerdict::Good {
        quality.verdict = QualityVerdict::Low;
        quality.reason = "few reliable minutiae".into();
    }
    Ok(FingerprintTemplate {
        width: grey.width(),
        height: grey.height(),
        ppi,
        quality,
        mcc: mcc::MccTemplate::new(minutiae),
    })
}

impl FingerprintTemplate {
    /// A template from minutiae already at [`MATCHER_PPI`] (synthetic data, or a decoded record).
    pub fn from_minutiae(width: u32, height: u32, minutiae: Vec<Minutia>) -> Self {
        let quality = QualityReport {
            verdict: if minutiae.len() >= 12 { QualityVerdict::Good } else { QualityVerdict::Low },
            foreground_share: 0.0,
            contrast: 0.0,
            minutiae: minutiae.len(),
            reason: "from minutiae".into(),
        };
        Self { width, height, ppi: MATCHER_PPI, quality, mcc: mcc::MccTemplate::new(minutiae) }
    }

    /// Reads the first view of an ISO/IEC 19794-2 or ANSI 378 record.
    pub fn from_record(record: &MinutiaeRecord) -> Option<Self> {
        let view = record.views.first()?;
        let degrees = record.standard.degrees_per_angle_unit();
        // Resolution in pixels per cm; 197 ≈ 500 ppi.
        let ppi = if view.resolution.0 > 0 { f32::from(view.resolution.0) * 2.54 } else { MATCHER_PPI };
        let scale = MATCHER_PPI / ppi;
        let minutiae = view
            .minutiae
            .iter()
            .map(|minutia| Minutia {
                x: f32::from(minutia.x) * scale,
                y: f32::from(minutia.y) * scale,
                // Stored counter-clockwise with y up; ours turns clockwise with y down.
                angle: mcc::angle_difference(-(f32::from(minutia.angle) * degrees).to_radians(), 0.0),
                kind: match minutia.kind {
                    TemplateMinutiaKind::RidgeEnding => MinutiaKind::RidgeEnding,
                    TemplateMinutiaKind::Bifurcation => MinutiaKind::Bifurcation,
                    _ => MinutiaKind::Other,
                },
                quality: f32::from(minutia.quality.min(100)) / 100.0,
            })
            .collect();
        let mut template = Self::from_minutiae(u32::from(view.image_size.0), u32::from(view.image_size.1), minutiae);
        template.ppi = ppi;
        Some(template)
    }

    /// Writes the template as an ISO/IEC 19794-2:2005 record (one view, 500 ppi coordinates).
    pub fn to_iso_record(&self) -> MinutiaeRecord {
        let degrees = TemplateStandard::Iso19794_2_2005.degrees_per_angle_unit();
        let minutiae = self
            .mcc
            .minutiae
            .iter()
            .map(|minutia| {
                let counter_clockwise = (-minutia.angle).to_degrees().rem_euclid(360.0);
                TemplateMinutia {
                    kind: match minutia.kind {
                        MinutiaKind::RidgeEnding => TemplateMinutiaKind::RidgeEnding,
                        MinutiaKind::Bifurcation => TemplateMinutiaKind::Bifurcation,
                        MinutiaKind::Other => TemplateMinutiaKind::Other,
                    },
                    x: minutia.x.clamp(0.0, 16383.0).round() as u16,
                    y: minutia.y.clamp(0.0, 16383.0).round() as u16,
                    y_reserved: 0,
                    angle: ((counter_clockwise / degrees).round() as u32 % 256) as u8,
                    quality: (minutia.quality.clamp(0.0, 1.0) * 100.0).round() as u8,
                }
            })
            .collect();
        let scale = MATCHER_PPI / self.ppi;
        let size = ((self.width as f32 * scale).round() as u16, (self.height as f32 * scale).round() as u16);
        MinutiaeRecord {
            standard: TemplateStandard::Iso19794_2_2005,
            version: TemplateStandard::Iso19794_2_2005.version(),
            declared_length: 0,
            product_id: (0, 0),
            capture_equipment: 0,
            equipment_certification: None,
            image_size: size,
            resolution: (197, 197),
            certification_flag: 0,
            views: vec![FingerView {
                finger_position: 0,
                view_number: 0,
                impression_type: 0,
                quality: match self.quality.verdict {
                    QualityVerdict::Good => 80,
                    QualityVerdict::Low => 40,
                    QualityVerdict::Unusable => 0,
                },
                quality_blocks: Vec::new(),
                image_size: size,
                resolution: (197, 197),
                capture_datetime: [0; 9],
                device_technology: 0,
                device_vendor: 0,
                device_type: 0,
                certifications: Vec::new(),
                minutia_size: 6,
                ridge_ending_type: 0,
                minutiae,
                extended: ExtendedData::default(),
            }],
            padding: 0,
        }
    }
}

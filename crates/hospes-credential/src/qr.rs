//! QR codes: rendering a credential's text as PNG or SVG, and reading the text back from a PNG.
//!
//! The text is base45, whose 45 characters are exactly the QR alphanumeric set, so the encoder
//! packs it at 5.5 bits per character. Error correction level Q (25 % of the code can be
//! damaged) suits codes shown on cracked phone screens and printed on paper, as the DCC advises.

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per QR module in the PNG: a version-10 code (57 modules) gives about 520 pixels.
const MODULE_PIXELS: usize = 8;
/// The white border the QR standard requires, in modules.
const QUIET_ZONE: usize = 4;
/// The most memory a PNG may make the decoder allocate (a 4,000 × 4,000 RGBA image).
const MAX_IMAGE_BYTES: usize = 64 * 1024 * 1024;

/// Why a QR code could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit in a QR code.
    #[error("the text does not fit in a QR code: {0}")]
    Encode(String),
    /// The PNG could not be written or read.
    #[error("PNG: {0}")]
    Png(String),
    /// The image has no QR code that could be found.
    #[error("no QR code found in the image")]
    NotFound,
    /// A QR code was found but not decoded.
    #[error("a QR code was found but could not be decoded: {0}")]
    Decode(String),
}

fn qr_code(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text, EcLevel::Q).map_err(|error| QrError::Encode(error.to_string()))
}

/// The QR code of `text` as a greyscale PNG, with the quiet zone.
pub fn render_png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = qr_code(text)?;
    let modules = code.width();
    let colours = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * MODULE_PIXELS;
    let mut pixels = vec![u8::MAX; side * side];
    for (index, colour) in colours.iter().enumerate() {
        if *colour != Color::Dark {
            continue;
        }
        let (row, column) = (index / modules + QUIET_ZONE, index % modules + QUIET_ZONE);
        for y in row * MODULE_PIXELS..(row + 1) * MODULE_PIXELS {
            let line = y * side;
            if let Some(span) = pixels.get_mut(line + column * MODULE_PIXELS..line + (column + 1) * MODULE_PIXELS) {
                span.fill(0);
            }
        }
    }
    let side = u32::try_from(side).map_err(|_| QrError::Encode("image too large".to_owned()))?;
    let png_error = |error: png::EncodingError| QrError::Png(error.to_string());
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(png)
}

/// The QR code of `text` as an SVG document, at least 256 pixels wide, with the quiet zone.
pub fn render_svg(text: &str) -> Result<String, QrError> {
    Ok(qr_code(text)?.render::<qrcode::render::svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build())
}

/// Reads the text of the first QR code found in a PNG (any colour type and bit depth).
pub fn decode_qr_png(png: &[u8]) -> Result<String, QrError> {
    let png_error = |error: png::DecodingError| QrError::Png(error.to_string());
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(png), png::Limits { bytes: MAX_IMAGE_BYTES });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(png_error)?;
    let size = reader.output_buffer_size().ok_or_else(|| QrError::Png("image too large".to_owned()))?;
    let mut buffer = vec![0; size];
    let info = reader.next_frame(&mut buffer).map_err(png_error)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(QrError::Png("palette not expanded".to_owned())),
    };
    let width = usize::try_from(info.width).map_err(|_| QrError::Png("image too wide".to_owned()))?;
    let height = usize::try_from(info.height).map_err(|_| QrError::Png("image too high".to_owned()))?;
    let luminance = |x: usize, y: usize| -> u8 {
        let start = y * info.line_size + x * channels;
        buffer.get(start..start + channels).map_or(u8::MAX, luminance_of)
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luminance);
    let grids = image.detect_grids();
    let mut failure = QrError::NotFound;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) => return Ok(text),
            Err(error) => failure = QrError::Decode(error.to_string()),
        }
    }
    Err(failure)
}

/// The luminance of one pixel (grey, grey + alpha, RGB or RGBA), transparent parts read as white.
fn luminance_of(pixel: &[u8]) -> u8 {
    let (grey, alpha) = match *pixel {
        [grey] => (u32::from(grey), 255),
        [grey, alpha] => (u32::from(grey), u32::from(alpha)),
        [red, green, blue] => (rec601(red, green, blue), 255),
        [red, green, blue, alpha] => (rec601(red, green, blue), u32::from(alpha)),
        _ => (255, 255),
    };
    let composed = (grey * alpha + 255 * (255 - alpha)) / 255;
    u8::try_from(composed).unwrap_or(u8::MAX)
}

fn rec601(red: u8, green: u8, blue: u8) -> u32 {
    (299 * u32::from(red) + 587 * u32::from(green) + 114 * u32::from(blue)) / 1000
}

//! Finger minutiae records: ISO/IEC 19794-2:2005 and :2011, ANSI INCITS 378-2004, -2009 and
//! -2009/AM1, read by [`parse`] and written by [`encode`].
//!
//! All of them start with `FMR\0`; the version string that follows is shared by two standards each
//! (` 20\0`: ISO 2005 or ANSI 2004; `030\0`: ISO 2011 or ANSI 2009), so the record's structure decides:
//! the reading that accounts for every byte wins. Values are kept as the record stores them (angles
//! in the standard's own unit, 1.40625° for ISO, 2° for ANSI; the two reserved bits beside `y`;
//! unknown extended-data areas as bytes), so a record read and written again gives the same bytes.
//! The record length in the header is kept as read ([`MinutiaeRecord::declared_length`]): a header
//! that promises more bytes than there are is an error; one that promises fewer than the structure
//! holds (some writers count the header differently) is tolerated and corrected on writing.

use serde::Serialize;

use super::{FormatError, Reader};

const MAGIC: &[u8; 4] = b"FMR\0";

/// Which standard (and edition) a record follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TemplateStandard {
    Iso19794_2_2005,
    Iso19794_2_2011,
    Ansi378_2004,
    Ansi378_2009,
    Ansi378_2009Amendment1,
}

/// How a minutia is classified (the two type bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MinutiaKind {
    Other,
    RidgeEnding,
    Bifurcation,
    /// The value 3, reserved by the standards.
    Reserved,
}

impl MinutiaKind {
    fn from_bits(bits: u8) -> Self {
        match bits & 0b11 {
            1 => Self::RidgeEnding,
            2 => Self::Bifurcation,
            3 => Self::Reserved,
            _ => Self::Other,
        }
    }

    fn bits(self) -> u8 {
        match self {
            Self::Other => 0,
            Self::RidgeEnding => 1,
            Self::Bifurcation => 2,
            Self::Reserved => 3,
        }
    }
}

/// One minutia as the record stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TemplateMinutia {
    pub kind: MinutiaKind,
    /// Pixels from the left (14 bits).
    pub x: u16,
    /// Pixels from the top (14 bits).
    pub y: u16,
    /// The two reserved bits above `y`, kept so the record is written back unchanged.
    pub y_reserved: u8,
    /// The angle in the standard's unit: 360/256° for ISO, 2° for ANSI; counter-clockwise from the x axis.
    pub angle: u8,
    /// Quality 0–100 (ISO 2011 records with 5-byte minutiae carry none: 0 here).
    pub quality: u8,
}

/// A finger quality score and who computed it (ANSI 378-2009, ISO 19794-2:2011).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QualityBlock {
    pub score: u8,
    pub vendor: u16,
    pub algorithm: u16,
}

/// One area of a view's extended data: ridge counts (type 1), cores and deltas (type 2), or a vendor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtendedArea {
    pub type_code: u16,
    pub data: Vec<u8>,
    /// The length field as read when it disagreed with the data (some writers miscount the last
    /// area); written back as read so the record keeps its bytes.
    pub length_as_read: Option<u16>,
}

/// A view's extended data block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExtendedData {
    pub areas: Vec<ExtendedArea>,
    /// Whether each area's length field counts its own 4-byte header (writers differ).
    pub area_length_includes_header: bool,
    /// A block whose areas could not be told apart, kept whole.
    pub opaque: Option<Vec<u8>>,
    /// The block length as read when it disagreed with the bytes up to the record's end.
    pub length_as_read: Option<u16>,
}

/// A core (or delta) from the core-and-delta extended area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SingularPoint {
    pub x: u16,
    pub y: u16,
    /// One angle for a core, three for a delta, none when the record gives none (raw units).
    pub angles: Vec<u8>,
}

/// Cores and deltas decoded from a view's extended data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoresAndDeltas {
    pub cores: Vec<SingularPoint>,
    pub deltas: Vec<SingularPoint>,
}

/// One finger view (ISO 2011: "finger representation").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FingerView {
    pub finger_position: u8,
    pub view_number: u8,
    pub impression_type: u8,
    /// Finger quality 0–100 (the first quality block's score where the record has blocks).
    pub quality: u8,
    /// ANSI 378-2009 (exactly one) and ISO 19794-2:2011 (any number).
    pub quality_blocks: Vec<QualityBlock>,
    /// Image size and resolution (pixels per cm); per view from ANSI 2009 and ISO 2011 on, a copy
    /// of the record's before.
    pub image_size: (u16, u16),
    pub resolution: (u16, u16),
    /// ISO 2011 only: capture date and time as stored (year 2 bytes, month, day, hour, minute,
    /// second, millisecond 2 bytes), capture device technology, vendor and type, certification
    /// blocks (authority 2 bytes, scheme 1), the minutia size (5 or 6 bytes) and ridge-ending type.
    pub capture_datetime: [u8; 9],
    pub device_technology: u8,
    pub device_vendor: u16,
    pub device_type: u16,
    pub certifications: Vec<[u8; 3]>,
    pub minutia_size: u8,
    pub ridge_ending_type: u8,
    pub minutiae: Vec<TemplateMinutia>,
    pub extended: ExtendedData,
}

/// A finger minutiae record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutiaeRecord {
    pub standard: TemplateStandard,
    /// The version string as read (ANSI 2004 records say ` 20\0` or `020\0` depending on the writer).
    pub version: [u8; 4],
    /// The record length the header declares, as read (written back as the true length).
    pub declared_length: u32,
    /// ANSI: the CBEFF product identifier (owner, type).
    pub product_id: (u16, u16),
    /// Capture equipment: 4 compliance bits and a 12-bit device id (ISO 2005, ANSI 2004, ANSI 2009's
    /// 20-byte header), or the device id after a certification byte (ANSI 2009's 21-byte header).
    pub capture_equipment: u16,
    /// ANSI 2009: `Some(byte)` for the 21-byte header with a separate certification byte; `None`
    /// for the 20-byte header (the INCITS 378-2007 layout that NIST's libbiomeval writes).
    pub equipment_certification: Option<u8>,
    /// ISO 2005 / ANSI 2004: the record's image size and resolution (pixels per cm).
    pub image_size: (u16, u16),
    pub resolution: (u16, u16),
    /// ISO 2011: whether views carry certification blocks.
    pub certification_flag: u8,
    pub views: Vec<FingerView>,
    /// Zero bytes after the record's declared end (SourceAFIS pads its files), not part of it.
    pub padding: usize,
}

impl TemplateStandard {
    /// The version string a new record of this standard carries.
    pub fn version(self) -> [u8; 4] {
        match self {
            Self::Iso19794_2_2005 | Self::Ansi378_2004 => *b" 20\0",
            Self::Iso19794_2_2011 | Self::Ansi378_2009 => *b"030\0",
            Self::Ansi378_2009Amendment1 => *b"035\0",
        }
    }

    /// Degrees per unit of a minutia angle: 360/256 for ISO, 2 for ANSI.
    pub fn degrees_per_angle_unit(self) -> f32 {
        match self {
            Self::Iso19794_2_2005 | Self::Iso19794_2_2011 => 360.0 / 256.0,
            Self::Ansi378_2004 | Self::Ansi378_2009 | Self::Ansi378_2009Amendment1 => 2.0,
        }
    }
}

impl FingerView {
    /// Ridge counts `(minutia index, minutia index, count)` from the ridge-count area, if any.
    pub fn ridge_counts(&self) -> Option<Vec<(u8, u8, u8)>> {
        let area = self.extended.areas.iter().find(|area| area.type_code == 1)?;
        // The first byte is the extraction method; then triples.
        Some(area.data.get(1..)?.chunks_exact(3).map(|triple| (triple[0], triple[1], triple[2])).collect())
    }

    /// Cores and deltas from the core-and-delta area, if any and if it decodes.
    pub fn cores_and_deltas(&self, standard: TemplateStandard) -> Option<CoresAndDeltas> {
        let area = self.extended.areas.iter().find(|area| area.type_code == 2)?;
        let ansi = matches!(
            standard,
            TemplateStandard::Ansi378_2004 | TemplateStandard::Ansi378_2009 | TemplateStandard::Ansi378_2009Amendment1
        );
        let mut reader = Reader::new(&area.data);
        let cores = read_points(&mut reader, ansi, 1).ok()?;
        let deltas = read_points(&mut reader, ansi, 3).ok()?;
        Some(CoresAndDeltas { cores, deltas })
    }
}

/// Reads a count byte and that many points; ANSI puts the "angles present" bits in the count byte,
/// ISO in the top bits of each point's x.
fn read_points(reader: &mut Reader<'_>, ansi: bool, angles: usize) -> Result<Vec<SingularPoint>, FormatError> {
    let header = reader.u8("core/delta count")?;
    let count = usize::from(header & 0x0f);
    let mut points = Vec::with_capacity(count);
    for _ in 0..count {
        let x_word = reader.u16("core/delta x")?;
        let y = reader.u16("core/delta y")? & 0x3fff;
        let has_angles = if ansi { header >> 6 == 1 } else { x_word >> 14 == 1 };
        let angles = if has_angles { reader.take(angles, "core/delta angle")?.to_vec() } else { Vec::new() };
        points.push(SingularPoint { x: x_word & 0x3fff, y, angles });
    }
    Ok(points)
}

/// Reads a finger minutiae record of any of the supported standards.
pub fn parse(bytes: &[u8]) -> Result<MinutiaeRecord, FormatError> {
    let Some(head) = bytes.get(..8) else {
        return Err(FormatError::Truncated { what: "record header", offset: 0, needed: 8, available: bytes.len() });
    };
    if &head[..4] != MAGIC {
        return Err(FormatError::BadMagic { expected: "finger minutiae (FMR)", found: head[..4].to_vec() });
    }
    match &head[4..8] {
        b" 20\0" => parse_iso2005(bytes).or_else(|iso_error| parse_ansi2004(bytes).map_err(|_| iso_error)),
        b"020\0" => parse_ansi2004(bytes),
        b"030\0" => parse_iso2011(bytes).or_else(|iso_error| {
            parse_ansi2009(bytes, TemplateStandard::Ansi378_2009, true)
                .or_else(|_| parse_ansi2009(bytes, TemplateStandard::Ansi378_2009, false))
                .map_err(|_| iso_error)
        }),
        b"035\0" => parse_ansi2009(bytes, TemplateStandard::Ansi378_2009Amendment1, true)
            .or_else(|_| parse_ansi2009(bytes, TemplateStandard::Ansi378_2009Amendment1, false)),
        version => Err(FormatError::Invalid {
            what: "version",
            offset: 4,
            problem: format!("unknown version {:?}", String::from_utf8_lossy(version)),
        }),
    }
}

/// Where the record ends: at its declared length when only zero padding follows, else at the end
/// of the input. A declared length beyond the input is a truncated record.
fn record_end(bytes: &[u8], declared_length: u32) -> Result<usize, FormatError> {
    let declared = declared_length as usize;
    if declared > bytes.len() {
        return Err(FormatError::Truncated {
            what: "record (its header's length)",
            offset: 0,
            needed: declared,
            available: bytes.len(),
        });
    }
    let padded = declared >= 8 && bytes[declared..].iter().all(|byte| *byte == 0);
    Ok(if padded { declared } else { bytes.len() })
}

/// Checks that the structure used every byte up to the record's end.
fn finish(reader: &Reader<'_>, end: usize) -> Result<(), FormatError> {
    if reader.offset() != end {
        return Err(reader.invalid(
            "end of record",
            format!("{} byte(s) left over after the last view", end.saturating_sub(reader.offset())),
        ));
    }
    Ok(())
}

fn empty_view() -> FingerView {
    FingerView {
        finger_position: 0,
        view_number: 0,
        impression_type: 0,
        quality: 0,
        quality_blocks: Vec::new(),
        image_size: (0, 0),
        resolution: (0, 0),
        capture_datetime: [0; 9],
        device_technology: 0,
        device_vendor: 0,
        device_type: 0,
        certifications: Vec::new(),
        minutia_size: 6,
        ridge_ending_type: 0,
        minutiae: Vec::new(),
        extended: ExtendedData::default(),
    }
}

fn read_minutiae(reader: &mut Reader<'_>, count: usize, size: u8, view: &mut FingerView) -> Result<(), FormatError> {
    // Check the whole run first, so a lying count fails before allocating for it.
    let needed = count * usize::from(size);
    if reader.remaining() < needed {
        return Err(FormatError::Truncated {
            what: "minutiae",
            offset: reader.offset(),
            needed,
            available: reader.remaining(),
        });
    }
    view.minutiae.reserve(count);
    for _ in 0..count {
        let x_word = reader.u16("minutia x")?;
        let y_word = reader.u16("minutia y")?;
        let angle = reader.u8("minutia angle")?;
        let quality = if size == 6 { reader.u8("minutia quality")? } else { 0 };
        view.minutiae.push(TemplateMinutia {
            kind: MinutiaKind::from_bits((x_word >> 14) as u8),
            x: x_word & 0x3fff,
            y: y_word & 0x3fff,
            y_reserved: (y_word >> 14) as u8,
            angle,
            quality,
        });
    }
    Ok(())
}

/// Reads a view's extended data block. For the record's last view, `record_end` is where the
/// record ends: a block whose length field misses that end by a few bytes (NIST's libbiomeval
/// miscounts its core-and-delta areas) is taken to run to it, and the length kept as read.
fn read_extended(reader: &mut Reader<'_>, record_end: Option<usize>) -> Result<ExtendedData, FormatError> {
    let declared = reader.u16("extended data length")?;
    let mut length = usize::from(declared);
    let mut length_as_read = None;
    if let Some(end) = record_end {
        let to_end = end.saturating_sub(reader.offset());
        if length != to_end && length.abs_diff(to_end) <= 4 && length > 0 {
            length = to_end;
            length_as_read = Some(declared);
        }
    }
    let block = reader.take(length, "extended data")?;
    if block.is_empty() {
        return Ok(ExtendedData { length_as_read, ..ExtendedData::default() });
    }
    for includes_header in [true, false] {
        if let Some(areas) = tile_areas(block, includes_header, length_as_read.is_some()) {
            return Ok(ExtendedData {
                areas,
                area_length_includes_header: includes_header,
                opaque: None,
                length_as_read,
            });
        }
    }
    Ok(ExtendedData {
        areas: Vec::new(),
        area_length_includes_header: true,
        opaque: Some(block.to_vec()),
        length_as_read,
    })
}

/// Splits an extended data block into areas if the length fields tile it exactly (or, when
/// `stretch_last`, if only the last area's length misses the block's end).
fn tile_areas(block: &[u8], includes_header: bool, stretch_last: bool) -> Option<Vec<ExtendedArea>> {
    let mut areas = Vec::new();
    let mut rest = block;
    while !rest.is_empty() {
        let type_code = u16::from_be_bytes([*rest.first()?, *rest.get(1)?]);
        let declared = u16::from_be_bytes([*rest.get(2)?, *rest.get(3)?]);
        let length = usize::from(declared);
        let mut data_length = if includes_header { length.checked_sub(4)? } else { length };
        let mut length_as_read = None;
        let available = rest.len() - 4;
        if stretch_last && data_length != available && data_length.abs_diff(available) <= 4 {
            let after = rest.get(4 + data_length..).map_or(0, <[u8]>::len);
            // Only the last area may be stretched: nothing that could be another area follows.
            if after < 4 {
                data_length = available;
                length_as_read = Some(declared);
            }
        }
        let data = rest.get(4..4 + data_length)?;
        areas.push(ExtendedArea { type_code, data: data.to_vec(), length_as_read });
        rest = &rest[4 + data_length..];
    }
    Some(areas)
}

fn parse_iso2005(bytes: &[u8]) -> Result<MinutiaeRecord, FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(8, "format identifier and version")?;
    let declared_length = reader.u32("record length")?;
    let end = record_end(bytes, declared_length)?;
    let capture_equipment = reader.u16("capture equipment")?;
    let image_size = (reader.u16("image width")?, reader.u16("image height")?);
    let resolution = (reader.u16("x resolution")?, reader.u16("y resolution")?);
    let view_count = reader.u8("number of finger views")?;
    reader.u8("reserved byte")?;
    let mut views = Vec::with_capacity(usize::from(view_count));
    for number in 0..view_count {
        let last = (number + 1 == view_count).then_some(end);
        views.push(read_legacy_view(&mut reader, image_size, resolution, last)?);
    }
    finish(&reader, end)?;
    Ok(MinutiaeRecord {
        version: version_of(bytes),
        standard: TemplateStandard::Iso19794_2_2005,
        declared_length,
        product_id: (0, 0),
        capture_equipment,
        equipment_certification: None,
        image_size,
        resolution,
        certification_flag: 0,
        views,
        padding: bytes.len() - end,
    })
}

fn parse_ansi2004(bytes: &[u8]) -> Result<MinutiaeRecord, FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(8, "format identifier and version")?;
    // A 2-byte length, or 0 followed by a 4-byte one for records over 65535 bytes.
    let short_length = reader.u16("record length")?;
    let declared_length = if short_length == 0 { reader.u32("long record length")? } else { u32::from(short_length) };
    let end = record_end(bytes, declared_length)?;
    let product_id = (reader.u16("CBEFF product owner")?, reader.u16("CBEFF product type")?);
    let capture_equipment = reader.u16("capture equipment")?;
    let image_size = (reader.u16("image width")?, reader.u16("image height")?);
    let resolution = (reader.u16("x resolution")?, reader.u16("y resolution")?);
    let view_count = reader.u8("number of finger views")?;
    reader.u8("reserved byte")?;
    let mut views = Vec::with_capacity(usize::from(view_count));
    for number in 0..view_count {
        let last = (number + 1 == view_count).then_some(end);
        views.push(read_legacy_view(&mut reader, image_size, resolution, last)?);
    }
    finish(&reader, end)?;
    Ok(MinutiaeRecord {
        version: version_of(bytes),
        standard: TemplateStandard::Ansi378_2004,
        declared_length,
        product_id,
        capture_equipment,
        equipment_certification: None,
        image_size,
        resolution,
        certification_flag: 0,
        views,
        padding: bytes.len() - end,
    })
}

/// A view of ISO 2005 / ANSI 2004: position, view number and impression type, quality, minutiae.
fn read_legacy_view(
    reader: &mut Reader<'_>,
    image_size: (u16, u16),
    resolution: (u16, u16),
    record_end: Option<usize>,
) -> Result<FingerView, FormatError> {
    let mut view = empty_view();
    view.finger_position = reader.u8("finger position")?;
    let view_and_impression = reader.u8("view number and impression type")?;
    view.view_number = view_and_impression >> 4;
    view.impression_type = view_and_impression & 0x0f;
    view.quality = reader.u8("finger quality")?;
    view.image_size = image_size;
    view.resolution = resolution;
    let count = usize::from(reader.u8("number of minutiae")?);
    read_minutiae(reader, count, 6, &mut view)?;
    view.extended = read_extended(reader, record_end)?;
    Ok(view)
}

fn parse_ansi2009(
    bytes: &[u8],
    standard: TemplateStandard,
    certification_byte: bool,
) -> Result<MinutiaeRecord, FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(8, "format identifier and version")?;
    let declared_length = reader.u32("record length")?;
    let end = record_end(bytes, declared_length)?;
    let product_id = (reader.u16("CBEFF product owner")?, reader.u16("CBEFF product type")?);
    let equipment_certification =
        if certification_byte { Some(reader.u8("capture equipment certification")?) } else { None };
    let capture_equipment = reader.u16("capture equipment")?;
    let view_count = reader.u8("number of finger views")?;
    reader.u8("reserved byte")?;
    let mut views = Vec::with_capacity(usize::from(view_count));
    for number in 0..view_count {
        let mut view = empty_view();
        view.finger_position = reader.u8("finger position")?;
        view.view_number = reader.u8("view number")?;
        view.impression_type = reader.u8("impression type")?;
        view.quality = reader.u8("finger quality")?;
        view.quality_blocks.push(QualityBlock {
            score: view.quality,
            vendor: reader.u16("quality vendor")?,
            algorithm: reader.u16("quality algorithm")?,
        });
        view.image_size = (reader.u16("image width")?, reader.u16("image height")?);
        view.resolution = (reader.u16("x resolution")?, reader.u16("y resolution")?);
        let count = usize::from(reader.u8("number of minutiae")?);
        read_minutiae(&mut reader, count, 6, &mut view)?;
        view.extended = read_extended(&mut reader, (number + 1 == view_count).then_some(end))?;
        views.push(view);
    }
    finish(&reader, end)?;
    Ok(MinutiaeRecord {
        version: version_of(bytes),
        standard,
        declared_length,
        product_id,
        capture_equipment,
        equipment_certification,
        image_size: (0, 0),
        resolution: (0, 0),
        certification_flag: 0,
        views,
        padding: bytes.len() - end,
    })
}

fn parse_iso2011(bytes: &[u8]) -> Result<MinutiaeRecord, FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(8, "format identifier and version")?;
    let declared_length = reader.u32("record length")?;
    let end = record_end(bytes, declared_length)?;
    let view_count = reader.u16("number of finger representations")?;
    let certification_flag = reader.u8("certification flag")?;
    let mut views = Vec::with_capacity(usize::from(view_count.min(255)));
    for number in 0..view_count {
        let start = reader.offset();
        let representation_length = reader.u32("representation length")? as usize;
        let mut view = empty_view();
        view.capture_datetime.copy_from_slice(reader.take(9, "capture date and time")?);
        view.device_technology = reader.u8("capture device technology")?;
        view.device_vendor = reader.u16("capture device vendor")?;
        view.device_type = reader.u16("capture device type")?;
        let quality_count = reader.u8("number of quality blocks")?;
        for _ in 0..quality_count {
            view.quality_blocks.push(QualityBlock {
                score: reader.u8("quality score")?,
                vendor: reader.u16("quality vendor")?,
                algorithm: reader.u16("quality algorithm")?,
            });
        }
        view.quality = view.quality_blocks.first().map_or(0, |block| block.score);
        if certification_flag != 0 {
            let certification_count = reader.u8("number of certification blocks")?;
            for _ in 0..certification_count {
                let block = reader.take(3, "certification block")?;
                view.certifications.push([block[0], block[1], block[2]]);
            }
        }
        view.finger_position = reader.u8("finger position")?;
        view.view_number = reader.u8("representation number")?;
        view.resolution = (reader.u16("x resolution")?, reader.u16("y resolution")?);
        view.impression_type = reader.u8("impression type")?;
        view.image_size = (reader.u16("image width")?, reader.u16("image height")?);
        let sizes = reader.u8("minutia field length and ridge ending type")?;
        view.minutia_size = sizes >> 4;
        view.ridge_ending_type = sizes & 0x0f;
        if view.minutia_size != 5 && view.minutia_size != 6 {
            return Err(reader.invalid("minutia field length", format!("{} (must be 5 or 6)", view.minutia_size)));
        }
        let count = usize::from(reader.u8("number of minutiae")?);
        read_minutiae(&mut reader, count, view.minutia_size, &mut view)?;
        view.extended = read_extended(&mut reader, (number + 1 == view_count).then_some(end))?;
        if reader.offset() - start != representation_length {
            return Err(FormatError::Invalid {
                what: "finger representation",
                offset: start,
                problem: format!(
                    "its length field says {representation_length} bytes, its content is {}",
                    reader.offset() - start
                ),
            });
        }
        views.push(view);
    }
    finish(&reader, end)?;
    Ok(MinutiaeRecord {
        version: version_of(bytes),
        standard: TemplateStandard::Iso19794_2_2011,
        declared_length,
        product_id: (0, 0),
        capture_equipment: 0,
        equipment_certification: None,
        image_size: (0, 0),
        resolution: (0, 0),
        certification_flag,
        views,
        padding: bytes.len() - end,
    })
}

fn version_of(bytes: &[u8]) -> [u8; 4] {
    let mut version = [0; 4];
    if let Some(read) = bytes.get(4..8) {
        version.copy_from_slice(read);
    }
    version
}

/// A growable big-endian buffer for writing records.
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, value: u8) {
        self.0.push(value);
    }
    fn u16(&mut self, value: u16) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }
}

fn narrow<T: TryFrom<usize>>(value: usize, what: &str) -> Result<T, FormatError> {
    T::try_from(value).map_err(|_| FormatError::Unwritable(format!("{what} ({value}) does not fit its field")))
}

fn write_minutiae(out: &mut Writer, view: &FingerView, size: u8) -> Result<(), FormatError> {
    out.u8(narrow(view.minutiae.len(), "number of minutiae")?);
    for minutia in &view.minutiae {
        if minutia.x > 0x3fff || minutia.y > 0x3fff {
            return Err(FormatError::Unwritable(format!(
                "minutia at ({}, {}) is beyond 14 bits",
                minutia.x, minutia.y
            )));
        }
        out.u16(u16::from(minutia.kind.bits()) << 14 | minutia.x);
        out.u16(u16::from(minutia.y_reserved & 0b11) << 14 | minutia.y);
        out.u8(minutia.angle);
        if size == 6 {
            out.u8(minutia.quality);
        }
    }
    Ok(())
}

fn write_extended(out: &mut Writer, extended: &ExtendedData) -> Result<(), FormatError> {
    let mut block = Vec::new();
    if let Some(opaque) = &extended.opaque {
        block.extend_from_slice(opaque);
    }
    for area in &extended.areas {
        block.extend_from_slice(&area.type_code.to_be_bytes());
        let length = area.data.len() + if extended.area_length_includes_header { 4 } else { 0 };
        let length = match area.length_as_read {
            Some(as_read) => as_read,
            None => narrow::<u16>(length, "extended data area length")?,
        };
        block.extend_from_slice(&length.to_be_bytes());
        block.extend_from_slice(&area.data);
    }
    out.u16(match extended.length_as_read {
        Some(as_read) => as_read,
        None => narrow(block.len(), "extended data length")?,
    });
    out.0.extend_from_slice(&block);
    Ok(())
}

/// Writes a record in its standard, with its true length in the header.
pub fn encode(record: &MinutiaeRecord) -> Result<Vec<u8>, FormatError> {
    let mut body = Writer(Vec::new());
    let view_count = record.views.len();
    match record.standard {
        TemplateStandard::Iso19794_2_2005 | TemplateStandard::Ansi378_2004 => {
            if record.standard == TemplateStandard::Ansi378_2004 {
                body.u16(record.product_id.0);
                body.u16(record.product_id.1);
            }
            body.u16(record.capture_equipment);
            body.u16(record.image_size.0);
            body.u16(record.image_size.1);
            body.u16(record.resolution.0);
            body.u16(record.resolution.1);
            body.u8(narrow(view_count, "number of finger views")?);
            body.u8(0);
            for view in &record.views {
                body.u8(view.finger_position);
                body.u8(view.view_number << 4 | (view.impression_type & 0x0f));
                body.u8(view.quality);
                write_minutiae(&mut body, view, 6)?;
                write_extended(&mut body, &view.extended)?;
            }
        }
        TemplateStandard::Ansi378_2009 | TemplateStandard::Ansi378_2009Amendment1 => {
            body.u16(record.product_id.0);
            body.u16(record.product_id.1);
            if let Some(certification) = record.equipment_certification {
                body.u8(certification);
            }
            body.u16(record.capture_equipment);
            body.u8(narrow(view_count, "number of finger views")?);
            body.u8(0);
            for view in &record.views {
                let quality = view.quality_blocks.first().copied().unwrap_or(QualityBlock {
                    score: view.quality,
                    vendor: 0,
                    algorithm: 0,
                });
                body.u8(view.finger_position);
                body.u8(view.view_number);
                body.u8(view.impression_type);
                body.u8(quality.score);
                body.u16(quality.vendor);
                body.u16(quality.algorithm);
                body.u16(view.image_size.0);
                body.u16(view.image_size.1);
                body.u16(view.resolution.0);
                body.u16(view.resolution.1);
                write_minutiae(&mut body, view, 6)?;
                write_extended(&mut body, &view.extended)?;
            }
        }
        TemplateStandard::Iso19794_2_2011 => {
            body.u16(narrow(view_count, "number of finger representations")?);
            body.u8(record.certification_flag);
            for view in &record.views {
                let mut representation = Writer(Vec::new());
                representation.0.extend_from_slice(&view.capture_datetime);
                representation.u8(view.device_technology);
                representation.u16(view.device_vendor);
                representation.u16(view.device_type);
                representation.u8(narrow(view.quality_blocks.len(), "number of quality blocks")?);
                for block in &view.quality_blocks {
                    representation.u8(block.score);
                    representation.u16(block.vendor);
                    representation.u16(block.algorithm);
                }
                if record.certification_flag != 0 {
                    representation.u8(narrow(view.certifications.len(), "number of certification blocks")?);
                    for block in &view.certifications {
                        representation.0.extend_from_slice(block);
                    }
                }
                representation.u8(view.finger_position);
                representation.u8(view.view_number);
                representation.u16(view.resolution.0);
                representation.u16(view.resolution.1);
                representation.u8(view.impression_type);
                representation.u16(view.image_size.0);
                representation.u16(view.image_size.1);
                let size = if view.minutia_size == 5 { 5 } else { 6 };
                representation.u8(size << 4 | (view.ridge_ending_type & 0x0f));
                write_minutiae(&mut representation, view, size)?;
                write_extended(&mut representation, &view.extended)?;
                body.u32(narrow(representation.0.len() + 4, "representation length")?);
                body.0.extend_from_slice(&representation.0);
            }
        }
    }
    let version = record.version;
    let mut out = Writer(Vec::with_capacity(body.0.len() + 16));
    out.0.extend_from_slice(MAGIC);
    out.0.extend_from_slice(&version);
    if record.standard == TemplateStandard::Ansi378_2004 {
        let total = body.0.len() + 10;
        match u16::try_from(total) {
            Ok(short) => out.u16(short),
            Err(_) => {
                out.u16(0);
                out.u32(narrow(total + 4, "record length")?);
            }
        }
    } else {
        out.u32(narrow(body.0.len() + 12, "record length")?);
    }
    out.0.extend_from_slice(&body.0);
    Ok(out.0)
}

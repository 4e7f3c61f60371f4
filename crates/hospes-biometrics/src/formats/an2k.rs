//! ANSI/NIST-ITL 1-2011 transactions (and the 2000–2007 editions, whose layout they share).
//!
//! A transaction is a Type-1 record whose CNT field (1.003) lists the records that follow, each by
//! type and IDC. Records of types 3–8 are binary (a 4-byte length and fixed fields, then the image);
//! the others are tagged: `T.NNN:value` fields separated by GS (0x1D), subfields by RS (0x1E), items
//! by US (0x1F), the record closed by FS (0x1C), with binary image data in field 999. [`parse`] reads
//! every record the CNT announces, checks each length against what is there, and refuses trailing
//! bytes; [`Transaction::images`] and [`Transaction::minutiae`] extract what a matcher needs.

use serde::Serialize;

use super::{FormatError, Reader};

const FS: u8 = 0x1c;
const GS: u8 = 0x1d;
const RS: u8 = 0x1e;
const US: u8 = 0x1f;

/// One field of a tagged record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The field number (the `NNN` of `T.NNN`).
    pub number: u32,
    /// The value's bytes (text, or binary image data for field 999).
    #[serde(skip)]
    pub value: Vec<u8>,
}

/// The fixed header of a binary fingerprint image record (types 3–6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BinaryImageHeader {
    pub impression_type: u8,
    pub finger_positions: [u8; 6],
    pub scanning_resolution: u8,
    pub width: u16,
    pub height: u16,
    /// The compression algorithm code (0: none, 1: WSQ, …).
    pub compression: u8,
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RecordContent {
    Tagged {
        fields: Vec<Field>,
    },
    /// Types 3–6.
    BinaryImage {
        header: BinaryImageHeader,
        #[serde(skip)]
        image: Vec<u8>,
    },
    /// Type 7 (user-defined image) and type 8 (signature): the bytes after the IDC.
    BinaryOther {
        #[serde(skip)]
        data: Vec<u8>,
    },
}

/// A record of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub record_type: u32,
    /// Byte offset of the record in the transaction, and its length.
    pub offset: usize,
    pub length: usize,
    /// The information designation character (none for the Type-1 record).
    pub idc: Option<u32>,
    pub content: RecordContent,
}

/// A parsed transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transaction {
    pub records: Vec<Record>,
}

/// An image found in a transaction, with what its record says about it (undecoded: WSQ, JPEG, PNG…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct An2kImage {
    pub record_type: u32,
    pub idc: Option<u32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The compression as the record names it (`NONE`, `WSQ20`, `JPEGB`, `PNG`, or the binary code).
    pub compression: String,
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// The unit of a Type-9 minutia's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CoordinateUnit {
    Pixels,
    /// 0.01 mm (the NIST standard and FBI IAFIS blocks, and EFS).
    HundredthsOfMillimetre,
}

/// Where in a Type-9 record minutiae came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MinutiaeBlock {
    /// Fields 9.010–9.012.
    NistStandard,
    /// Field 9.023 (FBI IAFIS).
    FbiIafis,
    /// Fields 9.126–9.150 (INCITS 378 "M1").
    IncitsM1,
    /// Field 9.331 (Extended Feature Set).
    ExtendedFeatureSet,
}

/// A minutia from a Type-9 record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct An2kMinutia {
    pub x: f32,
    pub y: f32,
    pub unit: CoordinateUnit,
    /// Degrees, counter-clockwise.
    pub angle_degrees: f32,
    /// `'E'` ridge ending, `'B'` bifurcation, other letters as the record says.
    pub kind: char,
    pub quality: Option<u8>,
}

/// The minutiae of one Type-9 record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct An2kMinutiae {
    pub idc: Option<u32>,
    pub block: MinutiaeBlock,
    pub minutiae: Vec<An2kMinutia>,
}

impl Record {
    /// A field's value, if the record is tagged and has it.
    pub fn field(&self, number: u32) -> Option<&[u8]> {
        match &self.content {
            RecordContent::Tagged { fields } => {
                fields.iter().find(|field| field.number == number).map(|field| field.value.as_slice())
            }
            _ => None,
        }
    }

    /// A text field as a string (lossy for bytes that are not UTF-8).
    pub fn text(&self, number: u32) -> Option<String> {
        self.field(number).map(|value| String::from_utf8_lossy(value).into_owned())
    }

    /// The number of fields of a tagged record (0 for binary ones).
    pub fn field_count(&self) -> usize {
        match &self.content {
            RecordContent::Tagged { fields } => fields.len(),
            _ => 0,
        }
    }
}

/// Splits a field into subfields (RS) and those into items (US).
pub fn items(value: &[u8]) -> Vec<Vec<&[u8]>> {
    value.split(|byte| *byte == RS).map(|subfield| subfield.split(|byte| *byte == US).collect()).collect()
}

fn number(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Reads a tag `T.NNN:` at the reader's position: (record type, field number).
fn read_tag(reader: &mut Reader<'_>) -> Result<(u32, u32), FormatError> {
    let start = reader.offset();
    let mut tag = Vec::new();
    loop {
        let byte = reader.u8("field tag")?;
        if byte == b':' {
            break;
        }
        if tag.len() > 16 {
            return Err(FormatError::Invalid {
                what: "field tag",
                offset: start,
                problem: "no ':' after the tag".into(),
            });
        }
        tag.push(byte);
    }
    let mut parts = tag.splitn(2, |byte| *byte == b'.');
    let (Some(record_type), Some(field)) = (parts.next().and_then(number), parts.next().and_then(number)) else {
        return Err(FormatError::Invalid {
            what: "field tag",
            offset: start,
            problem: format!("{:?} is not of the form T.NNN", String::from_utf8_lossy(&tag)),
        });
    };
    Ok((record_type, field))
}

/// Reads a tagged record starting at `offset`: its first field must be the length (T.001).
fn read_tagged(
    bytes: &[u8],
    offset: usize,
    expected_type: Option<u32>,
) -> Result<(u32, Vec<Field>, usize), FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(offset, "record")?;
    let (record_type, field) = read_tag(&mut reader)?;
    if field != 1 {
        return Err(FormatError::Invalid {
            what: "record",
            offset,
            problem: format!("starts with field {field}, not its length (.001)"),
        });
    }
    if let Some(expected) = expected_type.filter(|expected| *expected != record_type) {
        return Err(FormatError::Invalid {
            what: "record",
            offset,
            problem: format!("the Type-1 CNT announces a Type-{expected} record here, it is Type-{record_type}"),
        });
    }
    let length_start = reader.offset();
    let mut digits = Vec::new();
    while let Ok(byte) = reader.u8("record length") {
        if byte == GS || byte == FS {
            break;
        }
        digits.push(byte);
    }
    let after_length = reader.offset();
    let length = number(&digits).ok_or_else(|| FormatError::Invalid {
        what: "record length (.001)",
        offset: length_start,
        problem: format!("{:?} is not a number", String::from_utf8_lossy(&digits)),
    })? as usize;
    let end = offset.checked_add(length).filter(|end| *end <= bytes.len()).ok_or(FormatError::Truncated {
        what: "tagged record",
        offset,
        needed: length,
        available: bytes.len() - offset,
    })?;
    if length < 2 || bytes[end - 1] != FS {
        return Err(FormatError::Invalid {
            what: "tagged record",
            offset,
            problem: format!(
                "its length field says {length} bytes but byte {} is not the record separator",
                end.saturating_sub(1)
            ),
        });
    }
    let record = &bytes[..end];
    let mut fields = vec![Field { number: 1, value: digits }];
    let mut reader = Reader::new(record);
    reader.take(after_length, "record")?;
    while reader.offset() < end {
        // The field number is what counts; a tag naming another record type (libbiomeval's test
        // file has a `13.005` inside a Type-9 record) is read as this record's field.
        let (_, number) = read_tag(&mut reader)?;
        let value_start = reader.offset();
        if value_start >= end {
            return Err(reader.invalid("field value", "the field runs past the end of its record"));
        }
        let value_end = if number == 999 {
            // Binary image data runs to the record separator.
            end - 1
        } else {
            record[value_start..end]
                .iter()
                .position(|byte| *byte == GS || *byte == FS)
                .map_or(end - 1, |at| value_start + at)
        };
        fields.push(Field { number, value: record[value_start..value_end].to_vec() });
        reader.take(value_end - value_start + 1, "field value")?;
    }
    Ok((record_type, fields, length))
}

/// Reads a binary record (types 3–8) at `offset`.
fn read_binary(bytes: &[u8], offset: usize, record_type: u32) -> Result<Record, FormatError> {
    let mut reader = Reader::new(bytes);
    reader.take(offset, "record")?;
    let length = reader.u32("binary record length")? as usize;
    let header_length = match record_type {
        3..=6 => 18,
        8 => 12,
        _ => 5,
    };
    if length < header_length {
        return Err(FormatError::Invalid {
            what: "binary record",
            offset,
            problem: format!("length {length} is shorter than its {header_length}-byte header"),
        });
    }
    if length - 4 > reader.remaining() {
        return Err(FormatError::Truncated {
            what: "binary record",
            offset,
            needed: length,
            available: bytes.len() - offset,
        });
    }
    let idc = u32::from(reader.u8("IDC")?);
    let content = if (3..=6).contains(&record_type) {
        let impression_type = reader.u8("impression type")?;
        let mut finger_positions = [0; 6];
        finger_positions.copy_from_slice(reader.take(6, "finger positions")?);
        let scanning_resolution = reader.u8("scanning resolution")?;
        let width = reader.u16("horizontal line length")?;
        let height = reader.u16("vertical line length")?;
        let compression = reader.u8("compression")?;
        let image = reader.take(length - header_length, "image data")?.to_vec();
        RecordContent::BinaryImage {
            header: BinaryImageHeader {
                impression_type,
                finger_positions,
                scanning_resolution,
                width,
                height,
                compression,
            },
            image,
        }
    } else {
        RecordContent::BinaryOther { data: reader.take(length - 5, "record data")?.to_vec() }
    };
    Ok(Record { record_type, offset, length, idc: Some(idc), content })
}

/// Reads a whole transaction.
pub fn parse(bytes: &[u8]) -> Result<Transaction, FormatError> {
    if !bytes.starts_with(b"1.001:") && !bytes.starts_with(b"01.001:") {
        return Err(FormatError::BadMagic {
            expected: "ANSI/NIST-ITL transaction (1.001:)",
            found: bytes.get(..bytes.len().min(6)).unwrap_or_default().to_vec(),
        });
    }
    let (_, fields, length) = read_tagged(bytes, 0, Some(1))?;
    let type1 = Record { record_type: 1, offset: 0, length, idc: None, content: RecordContent::Tagged { fields } };
    let content_field = type1.field(3).map(<[u8]>::to_vec).ok_or(FormatError::Invalid {
        what: "Type-1 record",
        offset: 0,
        problem: "it has no CNT field (1.003)".into(),
    })?;
    let content = items(&content_field);
    let announced =
        content.first().and_then(|first| first.get(1)).and_then(|count| number(count)).ok_or(FormatError::Invalid {
            what: "CNT (1.003)",
            offset: 0,
            problem: "its first subfield has no record count".into(),
        })? as usize;
    if announced != content.len() - 1 {
        return Err(FormatError::Invalid {
            what: "CNT (1.003)",
            offset: 0,
            problem: format!("it announces {announced} records but lists {}", content.len() - 1),
        });
    }
    let mut records = vec![type1];
    let mut offset = length;
    for entry in content.iter().skip(1) {
        let record_type = entry.first().and_then(|value| number(value)).ok_or(FormatError::Invalid {
            what: "CNT (1.003)",
            offset: 0,
            problem: "a subfield without a record type".into(),
        })?;
        if offset >= bytes.len() {
            return Err(FormatError::Truncated {
                what: "transaction (records announced by CNT)",
                offset,
                needed: 1,
                available: 0,
            });
        }
        let record = if (3..=8).contains(&record_type) {
            read_binary(bytes, offset, record_type)?
        } else {
            let (_, fields, length) = read_tagged(bytes, offset, Some(record_type))?;
            let mut record =
                Record { record_type, offset, length, idc: None, content: RecordContent::Tagged { fields } };
            record.idc = record.field(2).and_then(number);
            record
        };
        offset += record.length;
        records.push(record);
    }
    if offset != bytes.len() {
        return Err(FormatError::Invalid {
            what: "transaction",
            offset,
            problem: format!("{} byte(s) after the last record the CNT announces", bytes.len() - offset),
        });
    }
    Ok(Transaction { records })
}

impl Transaction {
    /// Every image in the transaction: binary image records (3–8) and tagged records' field 999.
    pub fn images(&self) -> Vec<An2kImage> {
        let mut images = Vec::new();
        for record in &self.records {
            match &record.content {
                RecordContent::BinaryImage { header, image } => images.push(An2kImage {
                    record_type: record.record_type,
                    idc: record.idc,
                    width: Some(u32::from(header.width)),
                    height: Some(u32::from(header.height)),
                    compression: header.compression.to_string(),
                    data: image.clone(),
                }),
                RecordContent::BinaryOther { data } if record.record_type == 7 || record.record_type == 8 => images
                    .push(An2kImage {
                        record_type: record.record_type,
                        idc: record.idc,
                        width: None,
                        height: None,
                        compression: String::new(),
                        data: data.clone(),
                    }),
                RecordContent::Tagged { .. } => {
                    if let Some(data) = record.field(999) {
                        let text_number = |field| record.field(field).and_then(number);
                        images.push(An2kImage {
                            record_type: record.record_type,
                            idc: record.idc,
                            width: text_number(6),
                            height: text_number(7),
                            compression: record.text(11).unwrap_or_default(),
                            data: data.to_vec(),
                        });
                    }
                }
                RecordContent::BinaryOther { .. } => {}
            }
        }
        images
    }

    /// The minutiae of every Type-9 record, from each block it carries.
    pub fn minutiae(&self) -> Vec<An2kMinutiae> {
        let mut found = Vec::new();
        for record in self.records.iter().filter(|record| record.record_type == 9) {
            let mut push = |block, minutiae: Vec<An2kMinutia>| {
                if !minutiae.is_empty() {
                    found.push(An2kMinutiae { idc: record.idc, block, minutiae });
                }
            };
            if let Some(value) = record.field(12) {
                push(MinutiaeBlock::NistStandard, standard_minutiae(value));
            }
            if let Some(value) = record.field(23) {
                push(MinutiaeBlock::FbiIafis, standard_minutiae(value));
            }
            if let Some(value) = record.field(137) {
                push(MinutiaeBlock::IncitsM1, m1_minutiae(value));
            }
            if let Some(value) = record.field(331) {
                push(MinutiaeBlock::ExtendedFeatureSet, efs_minutiae(value));
            }
        }
        found
    }
}

fn text_number(item: Option<&&[u8]>) -> Option<u32> {
    item.and_then(|value| number(value))
}

/// 9.012 / 9.023: `index US XXXXYYYYTTT US quality US type …`, in 0.01 mm and degrees.
fn standard_minutiae(value: &[u8]) -> Vec<An2kMinutia> {
    items(value)
        .iter()
        .filter_map(|subfield| {
            let packed = subfield.get(1).filter(|packed| packed.len() == 11)?;
            let x = number(&packed[0..4])?;
            let y = number(&packed[4..8])?;
            let theta = number(&packed[8..11])?;
            let kind = subfield.get(3).and_then(|kind| kind.first()).map_or('D', |byte| char::from(*byte));
            Some(An2kMinutia {
                x: x as f32,
                y: y as f32,
                unit: CoordinateUnit::HundredthsOfMillimetre,
                angle_degrees: theta as f32,
                // A: ridge ending, B: bifurcation, C: compound, D: undetermined.
                kind: match kind {
                    'A' => 'E',
                    other => other,
                },
                quality: text_number(subfield.get(2)).and_then(|quality| u8::try_from(quality).ok()),
            })
        })
        .collect()
}

/// 9.137: `index US x US y US theta US type US quality`, in pixels and units of 2°.
fn m1_minutiae(value: &[u8]) -> Vec<An2kMinutia> {
    items(value)
        .iter()
        .filter_map(|subfield| {
            let x = text_number(subfield.get(1))?;
            let y = text_number(subfield.get(2))?;
            let theta = text_number(subfield.get(3))?;
            let kind = match text_number(subfield.get(4)) {
                Some(1) => 'E',
                Some(2) => 'B',
                _ => 'X',
            };
            Some(An2kMinutia {
                x: x as f32,
                y: y as f32,
                unit: CoordinateUnit::Pixels,
                angle_degrees: theta as f32 * 2.0,
                kind,
                quality: text_number(subfield.get(5)).and_then(|quality| u8::try_from(quality).ok()),
            })
        })
        .collect()
}

/// 9.331: `x US y US theta US type …`, in 0.01 mm and degrees.
fn efs_minutiae(value: &[u8]) -> Vec<An2kMinutia> {
    items(value)
        .iter()
        .filter_map(|subfield| {
            let x = text_number(subfield.first())?;
            let y = text_number(subfield.get(1))?;
            let theta = text_number(subfield.get(2))?;
            let kind = subfield.get(3).and_then(|kind| kind.first()).map_or('X', |byte| char::from(*byte));
            Some(An2kMinutia {
                x: x as f32,
                y: y as f32,
                unit: CoordinateUnit::HundredthsOfMillimetre,
                angle_degrees: theta as f32,
                kind,
                quality: None,
            })
        })
        .collect()
}

//! Writing a machine-readable zone from its fields: the inverse of parsing, with every check
//! digit computed and over-long names truncated.

use crate::check_digit::{FILLER, check_digit_of_validated};
use crate::fields::{HolderName, MrzField};
use crate::format::{Layout, MrzFormat, Span};
use crate::zone::DocumentFields;

/// Why fields cannot be written in the asked-for format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A value is longer than its field.
    #[error("{field} has {actual} characters; {format} has room for {maximum}")]
    FieldTooLong {
        /// The field.
        field: MrzField,
        /// The format being written.
        format: MrzFormat,
        /// Characters the field can take.
        maximum: usize,
        /// Characters given.
        actual: usize,
    },
    /// The document code and the format disagree about being a visa: a parser tells TD2 from
    /// MRV-B and TD3 from MRV-A by the `V`, so writing one as the other would not read back.
    #[error(
        "document code {document_code:?} cannot be written as {format}: the visa formats, and only they, take codes starting with V"
    )]
    DocumentCodeDoesNotMatchFormat {
        /// The format being written.
        format: MrzFormat,
        /// The document code given.
        document_code: String,
    },
    /// A field the format does not have was given a value.
    #[error("{format} has no {field} field, but a value was given")]
    FieldNotInFormat {
        /// The field.
        field: MrzField,
        /// The format being written.
        format: MrzFormat,
    },
    /// A long document number holds a filler, which would end its continuation early.
    #[error(
        "document number {number:?} runs past nine characters and so continues in the optional data, where a filler would end it"
    )]
    FillerInLongDocumentNumber {
        /// The document number given.
        number: String,
    },
}

/// The lines of an encoded zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EncodedMrz {
    lines: Vec<String>,
    name_truncated: bool,
}

impl EncodedMrz {
    /// The lines, each exactly as long as the format calls for.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The lines joined by newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Whether the name had to be truncated to fit its field.
    pub fn name_truncated(&self) -> bool {
        self.name_truncated
    }
}

impl DocumentFields {
    /// Writes these fields as a zone of `format`; see [`encode`].
    pub fn encode(&self, format: MrzFormat) -> Result<EncodedMrz, EncodeError> {
        encode(format, self)
    }
}

/// Writes `fields` as a zone of `format`, computing every check digit.
///
/// The name is written in full when it fits. Otherwise the secondary identifier is cut from its
/// end to fill the field; if even the primary identifier does not fit with `<<` and one letter of
/// the secondary identifier, the primary identifier is cut to leave room for exactly that, as Doc
/// 9303 asks (Part 3, on truncating names). A cut never leaves a filler at the end of a name part.
/// In TD1 and TD2 a document number longer than nine characters continues in the optional data
/// (its first nine characters in the number field, a filler in the check-digit position, then the
/// rest, the check digit over the whole number, and a filler before any other optional data). A
/// personal number field that is empty gets a filler as its check digit.
pub fn encode(format: MrzFormat, fields: &DocumentFields) -> Result<EncodedMrz, EncodeError> {
    let layout = format.layout();
    let code = fields.document_code.as_str();
    if code.starts_with('V') != format.is_visa() {
        return Err(EncodeError::DocumentCodeDoesNotMatchFormat { format, document_code: code.to_string() });
    }
    let mut writer = LineWriter::new(format, layout);
    writer.write(layout.document_code, code, MrzField::DocumentCode)?;
    writer.write(layout.issuing_state, fields.issuing_state.as_str(), MrzField::IssuingState)?;
    let (name, name_truncated) = fit_name(&fields.name, layout.name.length);
    writer.write(layout.name, &name, MrzField::Name)?;
    writer.write(layout.nationality, fields.nationality.as_str(), MrzField::Nationality)?;
    writer.write(layout.birth_date, fields.birth_date.raw(), MrzField::BirthDate)?;
    writer.write_check_digit_over(layout.birth_date_check, layout.birth_date);
    writer.write(layout.sex, &fields.sex.mrz_character().to_string(), MrzField::Sex)?;
    writer.write(layout.expiry_date, fields.expiry_date.raw(), MrzField::ExpiryDate)?;
    writer.write_check_digit_over(layout.expiry_date_check, layout.expiry_date);

    let number = fields.document_number.as_str();
    let optional_data = fields.optional_data.as_str();
    let number_length = number.chars().count();
    if number_length <= layout.document_number.length {
        writer.write(layout.document_number, number, MrzField::DocumentNumber)?;
        writer.write_check_digit_over(layout.document_number_check, layout.document_number);
        writer.write(layout.optional_data, optional_data, MrzField::OptionalData)?;
    } else if layout.long_document_number {
        if number.contains(FILLER) {
            return Err(EncodeError::FillerInLongDocumentNumber { number: number.to_string() });
        }
        let principal_length = layout.document_number.length;
        let principal: String = number.chars().take(principal_length).collect();
        let rest: String = number.chars().skip(principal_length).collect();
        let continuation = format!("{rest}{}", check_digit_of_validated(number));
        let optional_text = if optional_data.is_empty() {
            continuation.clone()
        } else {
            format!("{continuation}{FILLER}{optional_data}")
        };
        if optional_text.chars().count() > layout.optional_data.length {
            let room_for_number = principal_length + layout.optional_data.length - 1;
            return Err(if continuation.chars().count() > layout.optional_data.length {
                EncodeError::FieldTooLong {
                    field: MrzField::DocumentNumber,
                    format,
                    maximum: room_for_number,
                    actual: number_length,
                }
            } else {
                EncodeError::FieldTooLong {
                    field: MrzField::OptionalData,
                    format,
                    maximum: layout.optional_data.length.saturating_sub(continuation.chars().count() + 1),
                    actual: optional_data.chars().count(),
                }
            });
        }
        writer.write(layout.document_number, &principal, MrzField::DocumentNumber)?;
        writer.put(layout.document_number_check, FILLER);
        writer.write(layout.optional_data, &optional_text, MrzField::OptionalData)?;
    } else {
        return Err(EncodeError::FieldTooLong {
            field: MrzField::DocumentNumber,
            format,
            maximum: layout.document_number.length,
            actual: number_length,
        });
    }

    match (layout.optional_data_2, &fields.optional_data_2) {
        (Some(span), Some(data)) => writer.write(span, data.as_str(), MrzField::OptionalData2)?,
        (Some(_), None) => {}
        (None, Some(data)) if !data.is_empty() => {
            return Err(EncodeError::FieldNotInFormat { field: MrzField::OptionalData2, format });
        }
        (None, _) => {}
    }

    if let Some(check_span) = layout.personal_number_check {
        let personal_number = writer.text(layout.optional_data);
        if personal_number.chars().all(|character| character == FILLER) {
            writer.put(check_span, FILLER);
        } else {
            writer.write_check_digit_over(check_span, layout.optional_data);
        }
    }
    if let Some(check_span) = layout.composite_check {
        let composite: String = layout.composite_segments.iter().map(|segment| writer.text(*segment)).collect();
        writer.put(check_span, check_digit_of_validated(&composite));
    }
    Ok(EncodedMrz { lines: writer.finish(), name_truncated })
}

/// Lines under construction, all fillers to begin with.
struct LineWriter {
    format: MrzFormat,
    lines: Vec<Vec<char>>,
}

impl LineWriter {
    fn new(format: MrzFormat, layout: &Layout) -> Self {
        Self { format, lines: vec![vec![FILLER; layout.line_length]; layout.line_count] }
    }

    /// Writes `text` at the start of `span`, leaving the rest of the span as fillers.
    fn write(&mut self, span: Span, text: &str, field: MrzField) -> Result<(), EncodeError> {
        let actual = text.chars().count();
        if actual > span.length {
            return Err(EncodeError::FieldTooLong { field, format: self.format, maximum: span.length, actual });
        }
        if let Some(line) = self.lines.get_mut(span.line) {
            for (offset, character) in text.chars().enumerate() {
                if let Some(cell) = line.get_mut(span.start + offset) {
                    *cell = character;
                }
            }
        }
        Ok(())
    }

    fn text(&self, span: Span) -> String {
        self.lines
            .get(span.line)
            .map(|line| line.iter().skip(span.start).take(span.length).collect())
            .unwrap_or_default()
    }

    /// Puts one character at the first position of `span`.
    fn put(&mut self, span: Span, character: char) {
        if let Some(cell) = self.lines.get_mut(span.line).and_then(|line| line.get_mut(span.start)) {
            *cell = character;
        }
    }

    fn write_check_digit_over(&mut self, check_span: Span, data_span: Span) {
        let digit = check_digit_of_validated(&self.text(data_span));
        self.put(check_span, digit);
    }

    fn finish(self) -> Vec<String> {
        self.lines.into_iter().map(|line| line.into_iter().collect()).collect()
    }
}

/// The name as it goes into a field of `capacity` characters, and whether it had to be cut.
fn fit_name(name: &HolderName, capacity: usize) -> (String, bool) {
    let full = name.to_mrz_form();
    if full.chars().count() <= capacity {
        return (full, false);
    }
    let primary = name.primary_identifier().replace(' ', "<");
    let secondary = name.secondary_identifier().replace(' ', "<");
    let cut = |text: &str, length: usize| -> String {
        let taken: String = text.chars().take(length).collect();
        taken.trim_end_matches(FILLER).to_string()
    };
    if secondary.is_empty() {
        return (cut(&primary, capacity), true);
    }
    let primary_length = primary.chars().count();
    // Room for the primary identifier, the `<<` and at least one letter of the secondary one.
    if primary_length + 3 <= capacity {
        let room = capacity - primary_length - 2;
        return (format!("{primary}<<{}", cut(&secondary, room)), true);
    }
    let initial: String = secondary.chars().take(1).collect();
    (format!("{}<<{initial}", cut(&primary, capacity.saturating_sub(3))), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_fit(primary: &str, secondary: &str, capacity: usize, expected: &str, expected_truncated: bool) {
        let name = HolderName::new(primary, secondary).expect("MRZ letters");
        let (fitted, truncated) = fit_name(&name, capacity);
        assert_eq!((fitted.as_str(), truncated), (expected, expected_truncated), "{primary} / {secondary}");
        assert!(fitted.chars().count() <= capacity);
    }

    #[test]
    fn names_that_fit_are_written_in_full() {
        check_fit("ERIKSSON", "ANNA MARIA", 39, "ERIKSSON<<ANNA<MARIA", false);
        check_fit("ERIKSSON", "", 39, "ERIKSSON", false);
        check_fit("", "ANNA", 39, "<<ANNA", false);
        check_fit("CACADOR DE ARAUJO", "ANDRE ESTEVES", 30, "CACADOR<DE<ARAUJO<<ANDRE<ESTEV", true);
    }

    #[test]
    fn long_secondary_identifiers_are_cut_from_the_end() {
        check_fit(
            "NILAVADHANANANDA",
            "CHAYAPA DEJTHAMRONG KRASUANG",
            39,
            "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K",
            true,
        );
        // A cut landing on the space between given names does not leave a trailing filler.
        check_fit("ABCDEFGHIJ", "KLMNO PQRST", 18, "ABCDEFGHIJ<<KLMNO", true);
    }

    #[test]
    fn long_primary_identifiers_leave_room_for_an_initial() {
        check_fit(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ ABCDEFGHIJKLMNOP",
            "JOHN",
            39,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ<ABCDEFGHI<<J",
            true,
        );
        check_fit(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOP",
            "",
            39,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM",
            true,
        );
        check_fit(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ KLMNOP",
            "JOHN",
            39,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ<<J",
            true,
        );
    }
}

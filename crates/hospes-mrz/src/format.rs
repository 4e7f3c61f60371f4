//! The five Doc 9303 layouts and where each field sits in them (Parts 4–7).

use serde::Serialize;

/// The machine-readable zone layouts of Doc 9303.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzFormat {
    /// Identity-card size: three lines of 30 (Part 5).
    Td1,
    /// Two lines of 36 (Part 6).
    Td2,
    /// Passport size: two lines of 44 (Part 4).
    Td3,
    /// Visa, full page: two lines of 44, line 1 starting with `V` (Part 7).
    MrvA,
    /// Visa, smaller: two lines of 36, line 1 starting with `V` (Part 7).
    MrvB,
}

impl MrzFormat {
    /// Every format, for tests and callers that offer a choice.
    pub const ALL: [Self; 5] = [Self::Td1, Self::Td2, Self::Td3, Self::MrvA, Self::MrvB];

    /// Number of lines.
    pub fn line_count(self) -> usize {
        self.layout().line_count
    }

    /// Characters per line.
    pub fn line_length(self) -> usize {
        self.layout().line_length
    }

    /// Whether the format is a visa, whose document code starts with `V`.
    pub fn is_visa(self) -> bool {
        matches!(self, Self::MrvA | Self::MrvB)
    }

    /// The name used in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Td1 => "td1",
            Self::Td2 => "td2",
            Self::Td3 => "td3",
            Self::MrvA => "mrv_a",
            Self::MrvB => "mrv_b",
        }
    }

    pub(crate) fn layout(self) -> &'static Layout {
        match self {
            Self::Td1 => &TD1,
            Self::Td2 => &TD2,
            Self::Td3 => &TD3,
            Self::MrvA => &MRV_A,
            Self::MrvB => &MRV_B,
        }
    }
}

impl std::fmt::Display for MrzFormat {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A run of characters on one line, zero-based internally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) line: usize,
    pub(crate) start: usize,
    pub(crate) length: usize,
}

impl Span {
    /// Built from Doc 9303's one-based line and position numbers, so the tables below read like
    /// the standard's.
    const fn at(line: usize, first_position: usize, length: usize) -> Self {
        Self { line: line - 1, start: first_position - 1, length }
    }

    /// One-based line number, for messages.
    pub(crate) fn line_number(self) -> usize {
        self.line + 1
    }

    /// One-based position of the span's first character, for messages.
    pub(crate) fn first_position(self) -> usize {
        self.start + 1
    }
}

/// Where every field of a format sits.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) line_count: usize,
    pub(crate) line_length: usize,
    pub(crate) document_code: Span,
    pub(crate) issuing_state: Span,
    pub(crate) name: Span,
    pub(crate) document_number: Span,
    pub(crate) document_number_check: Span,
    pub(crate) nationality: Span,
    pub(crate) birth_date: Span,
    pub(crate) birth_date_check: Span,
    pub(crate) sex: Span,
    pub(crate) expiry_date: Span,
    pub(crate) expiry_date_check: Span,
    pub(crate) optional_data: Span,
    pub(crate) optional_data_2: Option<Span>,
    pub(crate) personal_number_check: Option<Span>,
    pub(crate) composite_check: Option<Span>,
    pub(crate) composite_segments: &'static [Span],
    /// TD1 and TD2 let a document number longer than nine characters continue in the optional
    /// data (Part 5 and Part 6, note on the document number).
    pub(crate) long_document_number: bool,
}

const TD1: Layout = Layout {
    line_count: 3,
    line_length: 30,
    document_code: Span::at(1, 1, 2),
    issuing_state: Span::at(1, 3, 3),
    document_number: Span::at(1, 6, 9),
    document_number_check: Span::at(1, 15, 1),
    optional_data: Span::at(1, 16, 15),
    birth_date: Span::at(2, 1, 6),
    birth_date_check: Span::at(2, 7, 1),
    sex: Span::at(2, 8, 1),
    expiry_date: Span::at(2, 9, 6),
    expiry_date_check: Span::at(2, 15, 1),
    nationality: Span::at(2, 16, 3),
    optional_data_2: Some(Span::at(2, 19, 11)),
    composite_check: Some(Span::at(2, 30, 1)),
    name: Span::at(3, 1, 30),
    personal_number_check: None,
    composite_segments: &[Span::at(1, 6, 25), Span::at(2, 1, 7), Span::at(2, 9, 7), Span::at(2, 19, 11)],
    long_document_number: true,
};

/// TD2, TD3 and both visas share the lower line up to the expiry date's check digit.
const TD2: Layout = Layout {
    line_count: 2,
    line_length: 36,
    document_code: Span::at(1, 1, 2),
    issuing_state: Span::at(1, 3, 3),
    name: Span::at(1, 6, 31),
    document_number: Span::at(2, 1, 9),
    document_number_check: Span::at(2, 10, 1),
    nationality: Span::at(2, 11, 3),
    birth_date: Span::at(2, 14, 6),
    birth_date_check: Span::at(2, 20, 1),
    sex: Span::at(2, 21, 1),
    expiry_date: Span::at(2, 22, 6),
    expiry_date_check: Span::at(2, 28, 1),
    optional_data: Span::at(2, 29, 7),
    optional_data_2: None,
    personal_number_check: None,
    composite_check: Some(Span::at(2, 36, 1)),
    composite_segments: &[Span::at(2, 1, 10), Span::at(2, 14, 7), Span::at(2, 22, 14)],
    long_document_number: true,
};

const TD3: Layout = Layout {
    line_length: 44,
    name: Span::at(1, 6, 39),
    optional_data: Span::at(2, 29, 14),
    personal_number_check: Some(Span::at(2, 43, 1)),
    composite_check: Some(Span::at(2, 44, 1)),
    composite_segments: &[Span::at(2, 1, 10), Span::at(2, 14, 7), Span::at(2, 22, 22)],
    long_document_number: false,
    ..TD2
};

const MRV_A: Layout = Layout {
    line_length: 44,
    name: Span::at(1, 6, 39),
    optional_data: Span::at(2, 29, 16),
    composite_check: None,
    composite_segments: &[],
    long_document_number: false,
    ..TD2
};

const MRV_B: Layout = Layout {
    optional_data: Span::at(2, 29, 8),
    composite_check: None,
    composite_segments: &[],
    long_document_number: false,
    ..TD2
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of every layout lies inside its lines, and the spans of a layout cover each
    /// line exactly once.
    #[test]
    fn layouts_tile_their_lines() {
        for format in MrzFormat::ALL {
            let layout = format.layout();
            let mut spans = vec![
                layout.document_code,
                layout.issuing_state,
                layout.name,
                layout.document_number,
                layout.document_number_check,
                layout.nationality,
                layout.birth_date,
                layout.birth_date_check,
                layout.sex,
                layout.expiry_date,
                layout.expiry_date_check,
                layout.optional_data,
            ];
            spans.extend(layout.optional_data_2);
            spans.extend(layout.personal_number_check);
            spans.extend(layout.composite_check);
            let mut covered = vec![vec![0u8; layout.line_length]; layout.line_count];
            for span in spans {
                for position in span.start..span.start + span.length {
                    let cell = covered
                        .get_mut(span.line)
                        .and_then(|line| line.get_mut(position))
                        .expect("span inside its line");
                    *cell += 1;
                }
            }
            assert!(covered.iter().flatten().all(|count| *count == 1), "{format}: {covered:?}");
        }
    }
}

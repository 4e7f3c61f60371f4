//! Parsing, errors, JSON and encoding, case by case.

#![allow(
    clippy::expect_used,
    reason = "helpers of integration tests: a failed expectation is a failed test (clippy.toml covers only #[test] functions)"
)]

use chrono::NaiveDate;
use hospes_mrz::{
    CheckDigitField, CheckDigitRule, DateKind, DateProblem, DocumentCode, DocumentFields, DocumentKind, DocumentNumber,
    EncodeError, HolderName, MachineReadableZone, MrzDate, MrzError, MrzField, MrzFormat, OptionalData, Sex, StateCode,
};
use serde_json::json;

fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date")
}

fn parse(lines: &[&str]) -> Result<MachineReadableZone, MrzError> {
    MachineReadableZone::parse_lines(lines, reference_date())
}

/// The Doc 9303 specimens (Part 4, 5 and 6 appendices).
const TD3_SPECIMEN: [&str; 2] =
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
const TD2_SPECIMEN: [&str; 2] = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"];
const TD1_SPECIMEN: [&str; 3] =
    ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];

fn check_error(lines: &[&str], expected: MrzError) {
    assert_eq!(parse(lines), Err(expected), "{lines:?}");
}

/// `line` with the character at one-based `position` replaced.
fn with_character(line: &str, position: usize, character: char) -> String {
    line.chars().enumerate().map(|(index, original)| if index + 1 == position { character } else { original }).collect()
}

#[test]
fn structural_errors_say_where() {
    check_error(&[], MrzError::WrongLineCount { found: 0 });
    check_error(&[TD3_SPECIMEN[0]], MrzError::WrongLineCount { found: 1 });
    check_error(
        &[TD1_SPECIMEN[0], TD1_SPECIMEN[1], TD1_SPECIMEN[2], TD1_SPECIMEN[2]],
        MrzError::WrongLineCount { found: 4 },
    );
    check_error(&["P<UTO", "L898902C3"], MrzError::UnrecognisedLineLength { actual: 5 });
    check_error(
        &[TD1_SPECIMEN[0], &TD1_SPECIMEN[1][..29], TD1_SPECIMEN[2]],
        MrzError::WrongLineLength { line: 2, expected: 30, actual: 29, format: MrzFormat::Td1 },
    );
    check_error(
        &[TD3_SPECIMEN[0], &TD3_SPECIMEN[1][..43]],
        MrzError::WrongLineLength { line: 2, expected: 44, actual: 43, format: MrzFormat::Td3 },
    );
    check_error(
        &["VBD<<DEDIC<<SIDNAN<<<<<<<<<<<<<<<<<<", TD3_SPECIMEN[1]],
        MrzError::WrongLineLength { line: 2, expected: 36, actual: 44, format: MrzFormat::MrvB },
    );
    check_error(
        &[TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 3, 'a')],
        MrzError::InvalidCharacter { line: 2, position: 3, character: 'a' },
    );
    check_error(
        &[&with_character(TD3_SPECIMEN[0], 10, 'É'), TD3_SPECIMEN[1]],
        MrzError::InvalidCharacter { line: 1, position: 10, character: 'É' },
    );
    check_error(
        &[&with_character(TD3_SPECIMEN[0], 44, ' '), TD3_SPECIMEN[1]],
        MrzError::InvalidCharacter { line: 1, position: 44, character: ' ' },
    );
}

#[test]
fn field_errors_name_the_field() {
    check_error(
        &[TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 16, '3')],
        MrzError::InvalidDate {
            field: MrzField::BirthDate,
            line: 2,
            first_position: 14,
            raw: "743812".to_string(),
            problem: DateProblem::MonthOutOfRange { month: 38 },
        },
    );
    let thirty_first_february = "L898902C36UTO7408122F1202319ZE184226B<<<<<10";
    check_error(
        &[TD3_SPECIMEN[0], thirty_first_february],
        MrzError::InvalidDate {
            field: MrzField::ExpiryDate,
            line: 2,
            first_position: 22,
            raw: "120231".to_string(),
            problem: DateProblem::DayOutOfRange { day: 31, month: 2, year: 2012 },
        },
    );
    check_error(
        &[TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 15, 'O')],
        MrzError::InvalidDate {
            field: MrzField::BirthDate,
            line: 2,
            first_position: 14,
            raw: "7O0812".to_string(),
            problem: DateProblem::NotDigits { part: "year" },
        },
    );
    let error = parse(&[TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 21, 'Q')]).expect_err("sex Q");
    assert!(matches!(error, MrzError::InvalidField { field: MrzField::Sex, line: 2, position: 21, .. }), "{error}");
    let error = parse(&[&with_character(TD3_SPECIMEN[0], 4, '7'), TD3_SPECIMEN[1]]).expect_err("digit in state");
    assert!(
        matches!(error, MrzError::InvalidField { field: MrzField::IssuingState, line: 1, position: 4, .. }),
        "{error}"
    );
    let error = parse(&[&with_character(TD3_SPECIMEN[0], 12, '1'), TD3_SPECIMEN[1]]).expect_err("digit in name");
    assert!(matches!(error, MrzError::InvalidField { field: MrzField::Name, line: 1, position: 12, .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "name (line 1, position 12): a name holds letters A–Z and fillers only; the field reads \"ERIKSS1N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\""
    );
}

#[test]
fn td3_specimen_serialises_every_field() {
    let zone = parse(&TD3_SPECIMEN).expect("the specimen parses");
    let expected = json!({
        "format": "td3",
        "document_kind": "passport",
        "document_code": "P",
        "issuing_state": "UTO",
        "name": { "primary_identifier": "ERIKSSON", "secondary_identifier": "ANNA MARIA" },
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": { "raw": "740812", "year": 1974, "month": 8, "day": 12, "date": "1974-08-12" },
        "sex": "female",
        "expiry_date": { "raw": "120415", "year": 2012, "month": 4, "day": 15, "date": "2012-04-15" },
        "optional_data": "ZE184226B",
        "name_possibly_truncated": false,
        "check_digits": {
            "document_number": { "valid": true, "expected": "6", "found": "6" },
            "birth_date": { "valid": true, "expected": "2", "found": "2" },
            "expiry_date": { "valid": true, "expected": "9", "found": "9" },
            "personal_number": { "valid": true, "expected": "1", "found": "1" },
            "composite": { "valid": true, "expected": "0", "found": "0" }
        },
        "valid": true
    });
    assert_eq!(serde_json::to_value(&zone).expect("serialises"), expected);
}

#[test]
fn td1_and_td2_specimens() {
    let td1 = parse(&TD1_SPECIMEN).expect("TD1 specimen");
    assert_eq!((td1.format(), td1.document_kind(), td1.is_valid()), (MrzFormat::Td1, DocumentKind::IdentityCard, true));
    assert_eq!(td1.fields().document_number.as_str(), "D23145890");
    assert_eq!(td1.fields().optional_data_2.as_ref().map(OptionalData::as_str), Some(""));
    let json = serde_json::to_value(&td1).expect("serialises");
    assert_eq!(json["format"], "td1");
    assert_eq!(json["optional_data_2"], "");
    assert_eq!(json["check_digits"].as_object().map(|digits| digits.len()), Some(4));

    let td2 = parse(&TD2_SPECIMEN).expect("TD2 specimen");
    assert_eq!((td2.format(), td2.is_valid()), (MrzFormat::Td2, true));
    let json = serde_json::to_value(&td2).expect("serialises");
    assert!(json.get("optional_data_2").is_none());
    assert!(json["check_digits"].get("personal_number").is_none());
}

#[test]
fn visas_are_told_apart_by_their_v() {
    let mrv_b =
        parse(&["VCFRASPECIMEN<<SPECIMEN<<<<<<<<<<<<<", "F000000005UTO0311063M1401143<M300703"]).expect("MRV-B");
    assert_eq!((mrv_b.format(), mrv_b.document_kind()), (MrzFormat::MrvB, DocumentKind::Visa));
    assert_eq!(mrv_b.check_digit(CheckDigitField::Composite), None);
    assert_eq!(mrv_b.fields().optional_data.as_str(), "<M300703");
    let mrv_a =
        parse(&["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"])
            .expect("MRV-A");
    assert_eq!(mrv_a.format(), MrzFormat::MrvA);
    assert_eq!(mrv_a.check_digits().len(), 3);
    let json = serde_json::to_value(&mrv_a).expect("serialises");
    assert_eq!(json["format"], "mrv_a");
}

#[test]
fn wrong_check_digits_are_recorded_not_raised() {
    let lines = [TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 20, '3')];
    let zone = parse(&lines).expect("a wrong check digit is not a structural error");
    assert!(!zone.is_valid());
    assert_eq!(zone.fields().name.primary_identifier(), "ERIKSSON");
    let birth = zone.check_digit(CheckDigitField::BirthDate).expect("present");
    assert_eq!((birth.valid, birth.expected, birth.found), (false, '2', '3'));
    assert!(!zone.check_digit(CheckDigitField::Composite).expect("present").valid);
    assert!(zone.check_digit(CheckDigitField::DocumentNumber).expect("present").valid);
    let json = serde_json::to_value(&zone).expect("serialises");
    assert_eq!(json["check_digits"]["birth_date"], json!({ "valid": false, "expected": "2", "found": "3" }));
    assert_eq!(json["valid"], false);
    let error = zone.require_valid().expect_err("invalid");
    assert_eq!(error, MrzError::BadCheckDigit { field: CheckDigitField::BirthDate, expected: '2', found: '3' });
    assert_eq!(error.to_string(), "the birth_date check digit is '3'; the data calls for '2'");
    assert!(parse(&TD3_SPECIMEN).expect("valid").require_valid().is_ok());
}

#[test]
fn empty_personal_numbers_may_have_a_filler_check_digit() {
    let filler =
        parse(&["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0"])
            .expect("German specimen");
    let personal = filler.check_digit(CheckDigitField::PersonalNumber).expect("present");
    assert_eq!((personal.valid, personal.rule), (true, CheckDigitRule::EmptyFieldFiller));
    assert_eq!(
        serde_json::to_value(personal).expect("serialises"),
        json!({ "valid": true, "expected": "<", "found": "<", "rule": "empty_field_filler" })
    );
    assert_eq!(filler.fields().issuing_state.as_str(), "D");
    // A filler check digit for a personal number that is not empty is wrong.
    let wrong = parse(&[TD3_SPECIMEN[0], &with_character(TD3_SPECIMEN[1], 43, '<')]).expect("parses");
    assert!(!wrong.check_digit(CheckDigitField::PersonalNumber).expect("present").valid);
}

#[test]
fn long_document_numbers_continue_in_the_optional_data() {
    // Doc 9303 Part 5's example: D23145890734 with check digit 9.
    let lines = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"];
    let td1 = parse(&lines).expect("parses");
    assert!(td1.is_valid(), "{:?}", td1.check_digits());
    assert_eq!(td1.fields().document_number.as_str(), "D23145890734");
    assert_eq!(td1.fields().name.secondary_identifier(), "PETER JOHN");
    assert_eq!(td1.fields().encode(MrzFormat::Td1).expect("fits").lines(), lines);
    assert_eq!(td1.fields().optional_data.as_str(), "");
    let number = td1.check_digit(CheckDigitField::DocumentNumber).expect("present");
    assert_eq!((number.valid, number.found, number.rule), (true, '9', CheckDigitRule::Standard));

    let belgian =
        parse(&["IDBEL000590240<6013<<<<<<<<<<<", "8512017F1311048BEL851201002007", "REINARTZ<<ULRIKE<KATIA<E<<<<<<"])
            .expect("parses");
    let json = serde_json::to_value(&belgian).expect("serialises");
    assert_eq!(
        json["check_digits"]["document_number"],
        json!({ "valid": true, "expected": "3", "found": "3", "rule": "long_document_number_including_filler" })
    );

    let fields = DocumentFields {
        document_number: DocumentNumber::new("AB1234567890").expect("number"),
        optional_data: OptionalData::new("XY", MrzField::OptionalData).expect("data"),
        optional_data_2: None,
        ..td1.fields().clone()
    };
    let td2 = fields.encode(MrzFormat::Td2).expect("fits");
    assert_eq!(td2.lines().get(1).map(String::as_str), Some("AB1234567<UTO3407127M95071228904<XY9"));
    let reread = parse(&td2.lines().iter().map(String::as_str).collect::<Vec<_>>()).expect("parses");
    assert!(reread.is_valid());
    assert_eq!(reread.fields(), &fields);
}

#[test]
fn unknown_dates_and_unspecified_sex() {
    let without_composite = "L898902C36UTO<<<<<<0X<<<<<<0ZE184226B<<<<<1";
    let composite = hospes_mrz::check_digit("L898902C36<<<<<<0<<<<<<0ZE184226B<<<<<1").expect("MRZ characters");
    let line_2 = format!("{without_composite}{composite}");
    let zone = parse(&[TD3_SPECIMEN[0], &line_2]).expect("parses");
    assert!(zone.is_valid(), "{:?}", zone.check_digits());
    assert!(zone.fields().birth_date.is_unknown() && zone.fields().expiry_date.is_unknown());
    assert_eq!(zone.fields().sex, Sex::Unspecified);
    let json = serde_json::to_value(&zone).expect("serialises");
    assert_eq!(json["birth_date"], json!({ "raw": "<<<<<<", "year": null, "month": null, "day": null, "date": null }));
    assert_eq!(json["sex"], "unspecified");
}

#[test]
fn text_input_tolerates_surrounding_whitespace() {
    let text = format!("\r\n  {}\r\n\n{}  \n\n", TD3_SPECIMEN[0], TD3_SPECIMEN[1]);
    let zone = MachineReadableZone::parse(&text, reference_date()).expect("parses");
    assert!(zone.is_valid());
    assert!(MachineReadableZone::parse_today(&TD3_SPECIMEN.join("\n")).is_ok());
}

#[test]
fn dates_resolve_against_the_reference_date() {
    let in_1999 = NaiveDate::from_ymd_opt(1999, 6, 1).expect("valid date");
    let zone = MachineReadableZone::parse_lines(&TD3_SPECIMEN, in_1999).expect("parses");
    assert_eq!(zone.fields().expiry_date.year(), Some(2012));
    let in_2040 = NaiveDate::from_ymd_opt(2040, 6, 1).expect("valid date");
    let zone = MachineReadableZone::parse_lines(&TD3_SPECIMEN, in_2040).expect("parses");
    assert_eq!((zone.fields().birth_date.year(), zone.fields().expiry_date.year()), (Some(1974), Some(2012)));
}

fn specimen_fields() -> DocumentFields {
    parse(&TD3_SPECIMEN).expect("the specimen parses").into_fields()
}

fn check_encode_error(format: MrzFormat, fields: DocumentFields, expected: EncodeError) {
    assert_eq!(fields.encode(format), Err(expected));
}

#[test]
fn encoding_errors_say_what_does_not_fit() {
    check_encode_error(
        MrzFormat::Td3,
        DocumentFields { document_number: DocumentNumber::new("L898902C3X").expect("number"), ..specimen_fields() },
        EncodeError::FieldTooLong { field: MrzField::DocumentNumber, format: MrzFormat::Td3, maximum: 9, actual: 10 },
    );
    check_encode_error(
        MrzFormat::Td2,
        DocumentFields {
            document_number: DocumentNumber::new("L898902C31234567").expect("number"),
            optional_data: OptionalData::empty(),
            ..specimen_fields()
        },
        EncodeError::FieldTooLong { field: MrzField::DocumentNumber, format: MrzFormat::Td2, maximum: 15, actual: 16 },
    );
    check_encode_error(
        MrzFormat::Td2,
        DocumentFields { document_number: DocumentNumber::new("L898902C312").expect("number"), ..specimen_fields() },
        EncodeError::FieldTooLong { field: MrzField::OptionalData, format: MrzFormat::Td2, maximum: 3, actual: 9 },
    );
    check_encode_error(
        MrzFormat::Td2,
        DocumentFields { document_number: DocumentNumber::new("L898902C3<12").expect("number"), ..specimen_fields() },
        EncodeError::FillerInLongDocumentNumber { number: "L898902C3<12".to_string() },
    );
    check_encode_error(
        MrzFormat::MrvA,
        specimen_fields(),
        EncodeError::DocumentCodeDoesNotMatchFormat { format: MrzFormat::MrvA, document_code: "P".to_string() },
    );
    check_encode_error(
        MrzFormat::Td3,
        DocumentFields { document_code: DocumentCode::new("V").expect("code"), ..specimen_fields() },
        EncodeError::DocumentCodeDoesNotMatchFormat { format: MrzFormat::Td3, document_code: "V".to_string() },
    );
    check_encode_error(
        MrzFormat::Td3,
        DocumentFields {
            optional_data_2: Some(OptionalData::new("X", MrzField::OptionalData2).expect("data")),
            ..specimen_fields()
        },
        EncodeError::FieldNotInFormat { field: MrzField::OptionalData2, format: MrzFormat::Td3 },
    );
    check_encode_error(
        MrzFormat::Td2,
        specimen_fields(),
        EncodeError::FieldTooLong { field: MrzField::OptionalData, format: MrzFormat::Td2, maximum: 7, actual: 9 },
    );
}

#[test]
fn encoding_writes_what_parsing_reads() {
    let fields = DocumentFields {
        document_code: DocumentCode::new("P").expect("code"),
        issuing_state: StateCode::new("D", MrzField::IssuingState).expect("state"),
        name: HolderName::transliterate("Müller-Lüdenscheidt", "Jürgen Ørjan", &Default::default()).expect("Latin"),
        document_number: DocumentNumber::new("C01X0006H").expect("number"),
        nationality: StateCode::new("D", MrzField::Nationality).expect("nationality"),
        birth_date: MrzDate::from_date(NaiveDate::from_ymd_opt(1964, 8, 12).expect("date")),
        sex: Sex::Male,
        expiry_date: MrzDate::parse("171031", DateKind::Expiry, reference_date()).expect("date"),
        optional_data: OptionalData::empty(),
        optional_data_2: None,
    };
    let encoded = fields.encode(MrzFormat::Td3).expect("fits");
    assert_eq!(
        encoded.lines(),
        ["P<D<<MUELLER<LUEDENSCHEIDT<<JUERGEN<OERJAN<<", "C01X0006H1D<<6408125M1710319<<<<<<<<<<<<<<<0"]
    );
    assert!(!encoded.name_truncated());
    assert_eq!(encoded.text(), encoded.lines().join("\n"));
    let reread = MachineReadableZone::parse(&encoded.text(), reference_date()).expect("parses");
    assert!(reread.is_valid());
    assert_eq!(reread.fields(), &fields);

    let long_name = DocumentFields {
        name: HolderName::new("NILAVADHANANANDA", "CHAYAPA DEJTHAMRONG KRASUANG").expect("letters"),
        ..fields
    };
    let encoded = long_name.encode(MrzFormat::Td3).expect("truncates");
    assert!(encoded.name_truncated());
    assert_eq!(encoded.lines().first().map(String::as_str), Some("P<D<<NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K"));
    let reread = MachineReadableZone::parse(&encoded.text(), reference_date()).expect("parses");
    assert!(reread.name_possibly_truncated());
}

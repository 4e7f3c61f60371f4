//! The canonical byte form used for hashing: JSON Canonicalization Scheme (RFC 8785) for the JSON we
//! produce. Keys are sorted by their UTF-16 code units, there is no insignificant white space, strings
//! are escaped minimally. Hospes records hold no floating-point numbers, so the number rules of RFC 8785
//! reduce to plain integers; a float is refused rather than risk two writers disagreeing.
//!
//! The serializer writes canonical JSON directly from the typed value, without building an
//! intermediate JSON tree: every record is canonicalised on ingestion, so this is on the hot path.

use serde::Serialize;
use serde::ser::{self, Impossible};
use sha2::{Digest, Sha256};

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    pub const ZERO: Sha256Digest = Sha256Digest([0; 32]);

    pub fn of(parts: &[&[u8]]) -> Self {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part);
        }
        Self(hasher.finalize().into())
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(Self)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for Sha256Digest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "sha256:{}", self.to_hex())
    }
}

/// Why a value has no canonical form.
#[derive(Debug, thiserror::Error)]
#[error("no canonical JSON form: {0}")]
pub struct CanonicalError(String);

impl ser::Error for CanonicalError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

/// Serialises `value` to canonical JSON bytes.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let mut output = Vec::with_capacity(512);
    value.serialize(CanonicalSerializer { output: &mut output })?;
    Ok(output)
}

/// Writes one JSON string, escaping only what RFC 8785 escapes.
fn write_string(text: &str, output: &mut Vec<u8>) {
    output.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (index, byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => b"",
            _ => continue,
        };
        // Copy the run of bytes that need no escape (multi-byte UTF-8 included) in one go.
        output.extend_from_slice(&bytes[start..index]);
        if escape.is_empty() {
            output.extend_from_slice(format!("\\u{byte:04x}").as_bytes());
        } else {
            output.extend_from_slice(escape);
        }
        start = index + 1;
    }
    output.extend_from_slice(&bytes[start..]);
    output.push(b'"');
}

fn write_integer(number: impl itoa::Integer, output: &mut Vec<u8>) {
    output.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

struct CanonicalSerializer<'output> {
    output: &'output mut Vec<u8>,
}

/// An object being written: its members are serialised into `scratch` as they come, then written out
/// sorted by key when the object ends.
struct ObjectWriter<'output> {
    output: &'output mut Vec<u8>,
    scratch: Vec<u8>,
    /// (key, start, end) of each member's value in `scratch`.
    members: Vec<(String, usize, usize)>,
    pending_key: Option<String>,
    /// For a newtype variant with struct content: the variant name wrapping the object.
    variant: Option<&'static str>,
}

impl<'output> ObjectWriter<'output> {
    fn new(output: &'output mut Vec<u8>, variant: Option<&'static str>, capacity: usize) -> Self {
        Self {
            output,
            scratch: Vec::with_capacity(256),
            members: Vec::with_capacity(capacity),
            pending_key: None,
            variant,
        }
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), CanonicalError> {
        let start = self.scratch.len();
        value.serialize(CanonicalSerializer { output: &mut self.scratch })?;
        self.members.push((key, start, self.scratch.len()));
        Ok(())
    }

    fn finish(mut self) -> Result<(), CanonicalError> {
        self.members.sort_by(|(left, ..), (right, ..)| left.encode_utf16().cmp(right.encode_utf16()));
        if let Some(variant) = self.variant {
            self.output.push(b'{');
            write_string(variant, self.output);
            self.output.push(b':');
        }
        self.output.push(b'{');
        for (index, (key, start, end)) in self.members.iter().enumerate() {
            if index > 0 {
                self.output.push(b',');
            }
            write_string(key, self.output);
            self.output.push(b':');
            self.output.extend_from_slice(&self.scratch[*start..*end]);
        }
        self.output.push(b'}');
        if self.variant.is_some() {
            self.output.push(b'}');
        }
        Ok(())
    }
}

/// An array being written.
struct ArrayWriter<'output> {
    output: &'output mut Vec<u8>,
    first: bool,
    variant: Option<&'static str>,
}

impl<'output> ArrayWriter<'output> {
    fn new(output: &'output mut Vec<u8>, variant: Option<&'static str>) -> Self {
        if let Some(variant) = variant {
            output.push(b'{');
            write_string(variant, output);
            output.push(b':');
        }
        output.push(b'[');
        Self { output, first: true, variant }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        if !self.first {
            self.output.push(b',');
        }
        self.first = false;
        value.serialize(CanonicalSerializer { output: self.output })
    }

    fn finish(self) -> Result<(), CanonicalError> {
        self.output.push(b']');
        if self.variant.is_some() {
            self.output.push(b'}');
        }
        Ok(())
    }
}

fn no_floats() -> CanonicalError {
    CanonicalError("floating-point numbers are not used in Hospes records".into())
}

impl<'output> ser::Serializer for CanonicalSerializer<'output> {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = ArrayWriter<'output>;
    type SerializeTuple = ArrayWriter<'output>;
    type SerializeTupleStruct = ArrayWriter<'output>;
    type SerializeTupleVariant = ArrayWriter<'output>;
    type SerializeMap = ObjectWriter<'output>;
    type SerializeStruct = ObjectWriter<'output>;
    type SerializeStructVariant = ObjectWriter<'output>;

    fn serialize_bool(self, value: bool) -> Result<(), CanonicalError> {
        self.output.extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_i16(self, value: i16) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_i32(self, value: i32) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_i64(self, value: i64) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_u8(self, value: u8) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_u16(self, value: u16) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_u32(self, value: u32) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_u64(self, value: u64) -> Result<(), CanonicalError> {
        write_integer(value, self.output);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), CanonicalError> {
        Err(no_floats())
    }
    fn serialize_f64(self, _: f64) -> Result<(), CanonicalError> {
        Err(no_floats())
    }
    fn serialize_char(self, value: char) -> Result<(), CanonicalError> {
        write_string(value.encode_utf8(&mut [0; 4]), self.output);
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Result<(), CanonicalError> {
        write_string(value, self.output);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), CanonicalError> {
        let mut array = ArrayWriter::new(self.output, None);
        for byte in value {
            array.element(byte)?;
        }
        array.finish()
    }
    fn serialize_none(self) -> Result<(), CanonicalError> {
        self.output.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), CanonicalError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CanonicalError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CanonicalError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CanonicalError> {
        write_string(variant, self.output);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), CanonicalError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), CanonicalError> {
        let mut object = ObjectWriter::new(self.output, None, 1);
        object.member(variant.to_owned(), value)?;
        object.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArrayWriter<'output>, CanonicalError> {
        Ok(ArrayWriter::new(self.output, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<ArrayWriter<'output>, CanonicalError> {
        Ok(ArrayWriter::new(self.output, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ArrayWriter<'output>, CanonicalError> {
        Ok(ArrayWriter::new(self.output, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<ArrayWriter<'output>, CanonicalError> {
        Ok(ArrayWriter::new(self.output, Some(variant)))
    }
    fn serialize_map(self, length: Option<usize>) -> Result<ObjectWriter<'output>, CanonicalError> {
        Ok(ObjectWriter::new(self.output, None, length.unwrap_or(8)))
    }
    fn serialize_struct(self, _: &'static str, length: usize) -> Result<ObjectWriter<'output>, CanonicalError> {
        Ok(ObjectWriter::new(self.output, None, length))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        length: usize,
    ) -> Result<ObjectWriter<'output>, CanonicalError> {
        Ok(ObjectWriter::new(self.output, Some(variant), length))
    }
}

impl ser::SerializeSeq for ArrayWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        self.element(value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeTuple for ArrayWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        self.element(value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for ArrayWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        self.element(value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for ArrayWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        self.element(value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeMap for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CanonicalError> {
        self.pending_key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        let key = self.pending_key.take().ok_or_else(|| CanonicalError("a map value came without its key".into()))?;
        self.member(key, value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeStruct for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), CanonicalError> {
        self.member(key.to_owned(), value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), CanonicalError> {
        self.member(key.to_owned(), value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish()
    }
}

/// Object keys must be strings (as in JSON); integer keys are written as their decimal text, as
/// serde_json does.
struct KeySerializer;

fn key_must_be_string() -> CanonicalError {
    CanonicalError("object keys must be strings".into())
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = CanonicalError;
    type SerializeSeq = Impossible<String, CanonicalError>;
    type SerializeTuple = Impossible<String, CanonicalError>;
    type SerializeTupleStruct = Impossible<String, CanonicalError>;
    type SerializeTupleVariant = Impossible<String, CanonicalError>;
    type SerializeMap = Impossible<String, CanonicalError>;
    type SerializeStruct = Impossible<String, CanonicalError>;
    type SerializeStructVariant = Impossible<String, CanonicalError>;

    fn serialize_str(self, value: &str) -> Result<String, CanonicalError> {
        Ok(value.to_owned())
    }
    fn serialize_char(self, value: char) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, CanonicalError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, CanonicalError> {
        value.serialize(self)
    }
    fn serialize_i8(self, value: i8) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_i16(self, value: i16) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_i32(self, value: i32) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_i64(self, value: i64) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_u8(self, value: u8) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_u16(self, value: u16) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_u32(self, value: u32) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_u64(self, value: u64) -> Result<String, CanonicalError> {
        Ok(value.to_string())
    }
    fn serialize_bool(self, _: bool) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_f64(self, _: f64) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_none(self) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_unit(self) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, CanonicalError> {
        Err(key_must_be_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CanonicalError> {
        Err(key_must_be_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The reference: a JSON tree written by hand with its object keys sorted by UTF-16 code units,
    /// scalars written by serde_json (whose string escaping is RFC 8785's).
    fn reference(value: &Value) -> Vec<u8> {
        fn write(value: &Value) -> String {
            match value {
                Value::Object(map) => {
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_by(|(left, _), (right, _)| left.encode_utf16().cmp(right.encode_utf16()));
                    let members: Vec<String> = entries
                        .into_iter()
                        .map(|(key, item)| format!("{}:{}", serde_json::to_string(key).unwrap(), write(item)))
                        .collect();
                    format!("{{{}}}", members.join(","))
                }
                Value::Array(items) => format!("[{}]", items.iter().map(write).collect::<Vec<_>>().join(",")),
                other => serde_json::to_string(other).unwrap(),
            }
        }
        write(value).into_bytes()
    }

    #[test]
    fn keys_are_sorted_and_white_space_is_gone() {
        let bytes = canonical_json(&json!({"b": [1, {"z": null, "a": true}], "a": "x"})).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), r#"{"a":"x","b":[1,{"a":true,"z":null}]}"#);
    }

    #[test]
    fn strings_are_escaped_as_rfc_8785_says() {
        let bytes = canonical_json(&json!("Юсупов \"q\" \\ \n \u{1f} €")).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "\"Юсупов \\\"q\\\" \\\\ \\n \\u001f €\"");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16, so it sorts before U+E000, though not
        // by code point or in UTF-8.
        let bytes = canonical_json(&json!({"\u{E000}": 2, "\u{1F600}": 1})).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "{\"\u{1F600}\":1,\"\u{E000}\":2}");
    }

    #[test]
    fn floats_are_refused() {
        assert!(canonical_json(&json!({"a": 1.5})).is_err());
    }

    #[test]
    fn structs_enums_and_flattening_are_canonical() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(u8, u8),
            Named { z: u8, a: u8 },
        }
        #[derive(Serialize)]
        struct Inner {
            y: u8,
            b: Option<u8>,
        }
        #[derive(Serialize)]
        struct Outer {
            z: Vec<Shape>,
            #[serde(flatten)]
            inner: Inner,
            a: &'static str,
        }
        let value = Outer {
            z: vec![Shape::Unit, Shape::Newtype(1), Shape::Tuple(2, 3), Shape::Named { z: 4, a: 5 }],
            inner: Inner { y: 6, b: None },
            a: "x",
        };
        let direct = canonical_json(&value).unwrap();
        assert_eq!(
            String::from_utf8(direct.clone()).unwrap(),
            r#"{"a":"x","b":null,"y":6,"z":["unit",{"newtype":1},{"tuple":[2,3]},{"named":{"a":5,"z":4}}]}"#
        );
        assert_eq!(direct, reference(&serde_json::to_value(&value).unwrap()));
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|number| json!(number)),
            any::<u64>().prop_map(|number| json!(number)),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn the_direct_writer_agrees_with_the_sorted_tree(value in arbitrary_json()) {
            prop_assert_eq!(canonical_json(&value).unwrap(), reference(&value));
        }
    }
}

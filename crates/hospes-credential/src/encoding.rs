//! The text form of a credential: `PREFIX` ‖ base45(zlib(COSE_Sign1)).
//!
//! Base45 (RFC 9285) uses exactly the 45 characters of the QR code's alphanumeric mode, which
//! packs 5.5 bits per module instead of 8 for bytes; zlib takes the redundancy of CBOR out first.
//! This is the layering of the EU Digital COVID Certificate, whose test vectors this crate passes
//! through the same functions (with `HC1:` for our `HSP1:`).
//!
//! Each decoding step returns its own [`Refusal`], and each has a size bound: the text is bounded
//! by what a QR code holds, and inflation is bounded so that a small zlib bomb cannot exhaust the
//! verifier's memory.

use std::io::Write as _;

use flate2::{Compression, Decompress, FlushDecompress, Status, write::ZlibEncoder};

use crate::refusal::Refusal;

/// The prefix of a Hospes credential's text, versioned so the format can change.
pub const HOSPES_PREFIX: &str = "HSP1:";

/// The longest base45 text accepted: a version-40 QR code holds at most 4,296 alphanumeric
/// characters, so anything longer did not come from a QR code.
pub const MAX_TEXT_LENGTH: usize = 4_296;

/// The most bytes a credential may inflate to. A DCC is about 300 bytes and ours less; the
/// bound is generous and still stops a zlib bomb.
pub const MAX_INFLATED_LENGTH: usize = 64 * 1024;

/// `prefix` ‖ base45(zlib(`cose`)), compressed at the best level (a credential is tiny, and
/// every byte saved is a smaller QR code).
pub fn encode_text(prefix: &str, cose: &[u8]) -> Result<String, std::io::Error> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(cose)?;
    let compressed = encoder.finish()?;
    Ok(format!("{prefix}{}", base45::encode(compressed)))
}

/// The text after `prefix`. A trailing line break (as scanners and terminals add) is ignored;
/// nothing else is, because a space is a base45 character.
pub fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Result<&'a str, Refusal> {
    let text = text.trim_end_matches(['\r', '\n']);
    text.strip_prefix(prefix).ok_or_else(|| Refusal::BadPrefix { expected: prefix.to_owned() })
}

/// Decodes base45 (RFC 9285), refusing characters outside the alphabet, a dangling single
/// character, and groups whose value does not fit their bytes.
pub fn decode_base45(text: &str) -> Result<Vec<u8>, Refusal> {
    let bad = |detail: String| Refusal::BadBase45 { detail };
    if text.len() > MAX_TEXT_LENGTH {
        return Err(bad(format!("{} characters, more than a QR code holds", text.len())));
    }
    if let Some(position) = text.find(|character: char| !is_base45(character)) {
        let character = text[position..].chars().next().unwrap_or_default();
        return Err(bad(format!("{character:?} at position {position} is not a base45 character")));
    }
    if text.len() % 3 == 1 {
        return Err(bad(format!("{} characters: a base45 text never has 3n + 1", text.len())));
    }
    // RFC 9285 §4.2: a final pair encodes one byte, so its value must be below 256; the base45
    // crate does not check this one.
    if text.len() % 3 == 2 {
        let tail: Vec<u32> = text.bytes().rev().take(2).filter_map(base45_value).collect();
        if let [last, before_last] = tail[..]
            && before_last + 45 * last > 255
        {
            return Err(bad("the final pair encodes a value above 255".to_owned()));
        }
    }
    base45::decode(text).map_err(|_| bad("a group of three encodes a value above 65535".to_owned()))
}

fn is_base45(character: char) -> bool {
    character.is_ascii_digit()
        || character.is_ascii_uppercase()
        || matches!(character, ' ' | '$' | '%' | '*' | '+' | '-' | '.' | '/' | ':')
}

fn base45_value(byte: u8) -> Option<u32> {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    ALPHABET.iter().position(|&candidate| candidate == byte).and_then(|value| u32::try_from(value).ok())
}

/// Inflates a zlib stream (RFC 1950), refusing a corrupt, truncated or oversized stream and
/// bytes after its end.
pub fn inflate(compressed: &[u8]) -> Result<Vec<u8>, Refusal> {
    let bad = |detail: &str| Refusal::BadZlib { detail: detail.to_owned() };
    let mut decompress = Decompress::new(true);
    let mut inflated: Vec<u8> = Vec::new();
    loop {
        if inflated.len() > MAX_INFLATED_LENGTH {
            return Err(bad("inflates to more than the size limit"));
        }
        inflated.reserve(4096);
        let consumed = usize::try_from(decompress.total_in()).unwrap_or(usize::MAX);
        let produced = decompress.total_out();
        let rest = compressed.get(consumed..).unwrap_or_default();
        let status = decompress
            .decompress_vec(rest, &mut inflated, FlushDecompress::None)
            .map_err(|error| Refusal::BadZlib { detail: error.to_string() })?;
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                let stalled = usize::try_from(decompress.total_in()).unwrap_or(usize::MAX) == consumed
                    && decompress.total_out() == produced;
                if stalled {
                    return Err(bad("the stream ends before its end marker"));
                }
            }
        }
    }
    if inflated.len() > MAX_INFLATED_LENGTH {
        return Err(bad("inflates to more than the size limit"));
    }
    if usize::try_from(decompress.total_in()).unwrap_or(usize::MAX) != compressed.len() {
        return Err(bad("bytes after the end of the stream"));
    }
    Ok(inflated)
}

/// The whole decoding chain from text to COSE bytes: prefix, base45, zlib.
pub fn decode_text(text: &str, prefix: &str) -> Result<Vec<u8>, Refusal> {
    inflate(&decode_base45(strip_prefix(text, prefix)?)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;

    #[test]
    fn base45_matches_the_rfc_examples() {
        // RFC 9285 §4.3 and §4.4.
        assert_eq!(base45::encode(b"AB"), "BB8");
        assert_eq!(decode_base45("BB8").unwrap(), b"AB");
        assert_eq!(decode_base45("%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(decode_base45("UJCLQE7W581").unwrap(), b"base-45");
        assert_eq!(decode_base45("QED8WEX0").unwrap(), b"ietf!");
    }

    #[test]
    fn base45_refusals_say_why() {
        let check = |text: &str, expected: &str| match decode_base45(text) {
            Err(Refusal::BadBase45 { detail }) => assert!(detail.contains(expected), "{text}: {detail}"),
            other => panic!("{text}: {other:?}"),
        };
        check("GGW", "above 65535");
        check("ab8", "not a base45 character");
        check("BB8B", "3n + 1");
        check("::", "above 255");
        check(&"0".repeat(MAX_TEXT_LENGTH + 1), "more than a QR code holds");
    }

    #[test]
    fn prefix_is_exact_and_ignores_only_a_trailing_line_break() {
        assert_eq!(strip_prefix("HSP1:ABC\r\n", HOSPES_PREFIX).unwrap(), "ABC");
        assert_eq!(strip_prefix("HSP1:AB ", HOSPES_PREFIX).unwrap(), "AB ");
        for text in ["hsp1:ABC", " HSP1:ABC", "HC1:ABC", "ABC", ""] {
            assert_eq!(
                strip_prefix(text, HOSPES_PREFIX),
                Err(Refusal::BadPrefix { expected: HOSPES_PREFIX.to_owned() })
            );
        }
    }

    #[test]
    fn zlib_round_trips_and_refuses_damage() {
        let text = encode_text("X:", b"some cose bytes, some cose bytes").unwrap();
        let compressed = decode_base45(text.strip_prefix("X:").unwrap()).unwrap();
        assert_eq!(inflate(&compressed).unwrap(), b"some cose bytes, some cose bytes");

        let code = |bytes: &[u8]| inflate(bytes).map_err(|refusal| refusal.code());
        assert_eq!(code(&compressed[..compressed.len() - 3]), Err("bad_zlib"), "truncated");
        assert_eq!(code(&[compressed.as_slice(), b"x"].concat()), Err("bad_zlib"), "trailing");
        assert_eq!(code(b""), Err("bad_zlib"), "empty");
        assert_eq!(code(b"\xd2\x84\x43\xa1"), Err("bad_zlib"), "not compressed");
        let mut corrupt = compressed.clone();
        corrupt[5] ^= 0xff;
        assert_eq!(code(&corrupt), Err("bad_zlib"), "corrupt");
    }

    #[test]
    fn a_zlib_bomb_is_refused() {
        let text = encode_text("", &vec![0u8; MAX_INFLATED_LENGTH * 4]).unwrap();
        let compressed = decode_base45(&text).unwrap();
        assert!(compressed.len() < 1024);
        assert_eq!(
            inflate(&compressed),
            Err(Refusal::BadZlib { detail: "inflates to more than the size limit".to_owned() })
        );
    }
}

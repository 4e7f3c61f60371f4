//! Signing and verifying keys, their algorithms and key ids.
//!
//! The algorithm of a signature is decided by the *key* the verifier trusts, never by the message:
//! a header that names another algorithm than the key's is refused. That closes the classic
//! algorithm-confusion attacks, and it is why [`PublicKey`] carries its algorithm.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

/// A signature algorithm, named as in the COSE and JOSE registries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// Ed25519 (COSE -8): the default for Hospes credentials, short signatures and keys.
    #[serde(rename = "EdDSA")]
    EdDsa,
    /// ECDSA on P-256 with SHA-256 (COSE -7): the option for verifiers that need a NIST curve,
    /// and the algorithm of most EU DCCs.
    #[serde(rename = "ES256")]
    Es256,
    /// RSASSA-PSS with SHA-256 (COSE -37). Verification only: some DCC issuers sign with RSA.
    #[serde(rename = "PS256")]
    Ps256,
}

impl Algorithm {
    /// The COSE algorithm this is.
    pub fn cose(self) -> coset::iana::Algorithm {
        match self {
            Algorithm::EdDsa => coset::iana::Algorithm::EdDSA,
            Algorithm::Es256 => coset::iana::Algorithm::ES256,
            Algorithm::Ps256 => coset::iana::Algorithm::PS256,
        }
    }

    /// The JOSE name (`alg` of a JWK).
    pub fn jose_name(self) -> &'static str {
        match self {
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Es256 => "ES256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.jose_name())
    }
}

/// A key id: the bytes of the COSE `kid` header. Shown and serialised as unpadded base64url.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(Vec<u8>);

impl KeyId {
    /// A key id of the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        KeyId(bytes.into())
    }

    /// The first 8 bytes of the SHA-256 of `bytes`: how the EU DCC derives a key id from a signer
    /// certificate's DER, and how Hospes derives one from a raw public key.
    pub fn from_sha256_prefix(bytes: &[u8]) -> Self {
        KeyId(Sha256::digest(bytes)[..8].to_vec())
    }

    /// The key id's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Parses the base64url form.
    pub fn from_base64url(text: &str) -> Result<Self, base64::DecodeError> {
        URL_SAFE_NO_PAD.decode(text).map(KeyId)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "KeyId({self})")
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        KeyId::from_base64url(&text).map_err(serde::de::Error::custom)
    }
}

/// A public key that can check a credential's signature.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An Ed25519 key (EdDSA).
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A P-256 key (ES256).
    P256(p256::ecdsa::VerifyingKey),
    /// An RSA key (PS256), for DCC signers only.
    Rsa(rsa::RsaPublicKey),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "PublicKey({})", self.algorithm())
    }
}

impl PublicKey {
    /// The only algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PublicKey::Ed25519(_) => Algorithm::EdDsa,
            PublicKey::P256(_) => Algorithm::Es256,
            PublicKey::Rsa(_) => Algorithm::Ps256,
        }
    }

    /// Checks `signature` over `message`; the error says why not, for the refusal's detail.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), String> {
        match self {
            PublicKey::Ed25519(key) => {
                let signature = ed25519_dalek::Signature::from_slice(signature)
                    .map_err(|_| format!("an Ed25519 signature has 64 bytes, not {}", signature.len()))?;
                key.verify_strict(message, &signature).map_err(|_| "Ed25519 signature mismatch".to_owned())
            }
            PublicKey::P256(key) => {
                use p256::ecdsa::signature::Verifier as _;
                // COSE carries ECDSA signatures as r ‖ s, 32 bytes each (RFC 9053 §2.1), not DER.
                let signature = p256::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| format!("an ES256 signature is r ‖ s in 64 bytes, not {} bytes", signature.len()))?;
                key.verify(message, &signature).map_err(|_| "ES256 signature mismatch".to_owned())
            }
            PublicKey::Rsa(key) => {
                use rsa::signature::Verifier as _;
                let signature =
                    rsa::pss::Signature::try_from(signature).map_err(|_| "malformed PS256 signature".to_owned())?;
                rsa::pss::VerifyingKey::<Sha256>::new(key.clone())
                    .verify(message, &signature)
                    .map_err(|_| "PS256 signature mismatch".to_owned())
            }
        }
    }
}

/// A private key that issues credentials: Ed25519 by default, P-256 (ES256) as the option.
#[derive(Clone)]
pub enum SigningKey {
    /// Ed25519 (EdDSA).
    Ed25519(ed25519_dalek::SigningKey),
    /// P-256 (ES256). Signing is deterministic (RFC 6979), so it needs no randomness.
    P256(p256::ecdsa::SigningKey),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        write!(formatter, "SigningKey({})", self.algorithm())
    }
}

impl SigningKey {
    /// A new Ed25519 key from `random`.
    pub fn generate_ed25519<R: rand::CryptoRng + ?Sized>(random: &mut R) -> Self {
        let mut seed = [0u8; 32];
        random.fill_bytes(&mut seed);
        SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// A new P-256 key from `random`.
    pub fn generate_p256<R: rand::CryptoRng + ?Sized>(random: &mut R) -> Self {
        loop {
            // A random 32-byte string is a valid scalar except with probability about 2^-32
            // (zero, or not below the group order); draw again in that case.
            let mut scalar = [0u8; 32];
            random.fill_bytes(&mut scalar);
            if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&scalar) {
                return SigningKey::P256(key);
            }
        }
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            SigningKey::Ed25519(_) => Algorithm::EdDsa,
            SigningKey::P256(_) => Algorithm::Es256,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            SigningKey::Ed25519(key) => PublicKey::Ed25519(key.verifying_key()),
            SigningKey::P256(key) => PublicKey::P256(*key.verifying_key()),
        }
    }

    /// A key id derived from the public key: the first 8 bytes of the SHA-256 of its raw form
    /// (32 bytes for Ed25519, the uncompressed SEC1 point for P-256).
    pub fn derived_key_id(&self) -> KeyId {
        match self {
            SigningKey::Ed25519(key) => KeyId::from_sha256_prefix(key.verifying_key().as_bytes()),
            SigningKey::P256(key) => KeyId::from_sha256_prefix(key.verifying_key().to_sec1_point(false).as_bytes()),
        }
    }

    /// The signature over `message` in its COSE form (64 bytes for both algorithms).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(key) => {
                use ed25519_dalek::Signer as _;
                key.sign(message).to_bytes().to_vec()
            }
            SigningKey::P256(key) => {
                use p256::ecdsa::signature::Signer as _;
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_bytes().to_vec()
            }
        }
    }
}

//! A token issuer for tests and benchmarks: an Ed25519 key that mints bearer tokens Hospes accepts.
//!
//! Compiled only with the `test-issuer` feature, which other crates enable in their dev-dependencies:
//! a server has no business minting tokens. The signing is done with `ed25519-dalek` directly, not
//! through `jsonwebtoken`, so the verifier is tested against an independent signer.
//!
//! ```
//! # use std::collections::BTreeSet;
//! # use hospes_policy::{Principal, Role, test_issuer::TestIssuer};
//! let issuer = TestIssuer::from_seed(7);
//! let officer = Principal {
//!     subject: "officer-1".to_owned(),
//!     organisation: "border guard".to_owned(),
//!     roles: BTreeSet::from([Role::BorderOfficer]),
//!     region: None,
//!     person_id: None,
//! };
//! let token = issuer.token_for(&officer, 1_750_000_000, 1_750_000_300);
//! assert_eq!(issuer.verifier().verify_at(&token, 1_750_000_100), Ok(officer));
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use jsonwebtoken::DecodingKey;
use serde_json::{Map, Value, json};

use crate::authentication::{SigningAlgorithm, TokenVerifier, TokenVerifierConfig, TrustedKey, TrustedKeys};
use crate::authorisation::Principal;

/// An identity provider in a box: one Ed25519 key, an issuer name and a key id.
#[derive(Clone)]
pub struct TestIssuer {
    issuer: String,
    kid: String,
    signing_key: SigningKey,
}

impl TestIssuer {
    /// The default `iss`, shaped like a Keycloak realm's.
    pub const ISSUER: &'static str = "https://idp.hospes.test/realms/hospes";
    /// The `aud` the issuer's tokens carry and its verifier expects.
    pub const AUDIENCE: &'static str = "hospes";
    /// The default key id.
    pub const KID: &'static str = "test-ed25519";

    /// An issuer whose key follows from `seed`: the same seed gives the same key, so tokens and key
    /// sets can be compared across runs.
    pub fn from_seed(seed: u64) -> TestIssuer {
        // SplitMix64 spreads the seed over the 32 bytes of an Ed25519 secret key.
        let mut state = seed;
        let mut secret = [0u8; 32];
        for chunk in secret.chunks_exact_mut(8) {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut mixed = state;
            mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            mixed ^= mixed >> 31;
            chunk.copy_from_slice(&mixed.to_le_bytes());
        }
        TestIssuer::from_secret(secret)
    }

    /// An issuer with a random key.
    pub fn generate() -> TestIssuer {
        TestIssuer::from_secret(rand::random())
    }

    fn from_secret(secret: [u8; 32]) -> TestIssuer {
        TestIssuer {
            issuer: TestIssuer::ISSUER.to_owned(),
            kid: TestIssuer::KID.to_owned(),
            signing_key: SigningKey::from_bytes(&secret),
        }
    }

    /// The same key under another `iss`.
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> TestIssuer {
        self.issuer = issuer.into();
        self
    }

    /// The same key under another key id.
    pub fn with_kid(mut self, kid: impl Into<String>) -> TestIssuer {
        self.kid = kid.into();
        self
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK (RFC 8037), as a provider publishes it.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "use": "sig",
            "alg": "EdDSA",
            "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(self.signing_key.verifying_key().as_bytes()),
        })
    }

    /// A JWKS document holding the public key: what a verifier is loaded from.
    pub fn jwks_json(&self) -> String {
        json!({ "keys": [self.jwk()] }).to_string()
    }

    /// A configuration that accepts this issuer's tokens: its `iss`, [`TestIssuer::AUDIENCE`], no
    /// leeway.
    pub fn config(&self) -> TokenVerifierConfig {
        TokenVerifierConfig {
            issuers: vec![self.issuer.clone()],
            audience: TestIssuer::AUDIENCE.to_owned(),
            leeway_seconds: 0,
        }
    }

    /// A verifier that trusts this issuer alone, with [`TestIssuer::config`].
    pub fn verifier(&self) -> TokenVerifier {
        let key = TrustedKey {
            kid: Some(self.kid.clone()),
            algorithm: SigningAlgorithm::EdDsa,
            key: DecodingKey::from_ed_der(self.signing_key.verifying_key().as_bytes()),
        };
        TokenVerifier::from_trusted_parts(TrustedKeys::single(key), self.config())
    }

    /// The claims of a token for `principal`, issued at `issued_at` and valid until `expires_at`
    /// (Unix seconds): to alter before [`TestIssuer::sign`] when a test needs an odd token.
    pub fn claims_for(&self, principal: &Principal, issued_at: u64, expires_at: u64) -> Value {
        let mut claims = Map::new();
        claims.insert("iss".to_owned(), json!(self.issuer));
        claims.insert("sub".to_owned(), json!(principal.subject));
        claims.insert("aud".to_owned(), json!(TestIssuer::AUDIENCE));
        claims.insert("iat".to_owned(), json!(issued_at));
        claims.insert("exp".to_owned(), json!(expires_at));
        let roles: Vec<&str> = principal.roles.iter().map(|role| role.as_str()).collect();
        claims.insert("roles".to_owned(), json!(roles));
        if !principal.organisation.is_empty() {
            claims.insert("org".to_owned(), json!(principal.organisation));
        }
        if let Some(region) = &principal.region {
            claims.insert("region".to_owned(), json!(region));
        }
        if let Some(person_id) = principal.person_id {
            claims.insert("person_id".to_owned(), json!(person_id.to_string()));
        }
        Value::Object(claims)
    }

    /// A signed token for `principal`.
    pub fn token_for(&self, principal: &Principal, issued_at: u64, expires_at: u64) -> String {
        self.sign(&self.claims_for(principal, issued_at, expires_at))
    }

    /// Signs any claims, with the header `{"alg":"EdDSA","typ":"JWT","kid":…}`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.kid }), claims)
    }

    /// Signs any claims under any header, which may lie about the algorithm or name no key: for tests
    /// of what the verifier refuses.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.signing_key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

impl std::fmt::Debug for TestIssuer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TestIssuer")
            .field("issuer", &self.issuer)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

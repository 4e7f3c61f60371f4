//! Biometrics: the face and fingerprint evidence behind identity trust levels 2 and 3, enrolment
//! de-duplication and the border's 1:1 check.
//!
//! The modules:
//! - [`abis`]: the matcher interface (enrol, verify 1:1, identify 1:N) that a commercial ABIS can
//!   implement instead of ours, and error-rate evaluation;
//! - [`face`]: face detection with landmarks, alignment and embedding, 1:1 and 1:N;
//! - [`fingerprint`]: minutiae extraction and matching, 1:1 and 1:N with a filtering index;
//! - [`formats`]: the interchange formats (ISO/IEC 19794-2, ANSI INCITS 378, ANSI/NIST-ITL 1-2011).

pub mod abis;
pub mod face;
pub mod fingerprint;
pub mod formats;

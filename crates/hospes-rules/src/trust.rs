//! Trust level: how sure Hospes is that the person is who their records say, on a scale of 0 to 3
//! after the identity assurance levels of NIST SP 800-63-4 (IAL). The formula is published in
//! `docs/trust-level.md`; every level comes with the records behind it and, below 3, the evidence
//! that is missing for the next one.
//!
//! # The formula
//!
//! Only records that count on the day are used (received and in effect by then, not overturned, not
//! superseded: the same reading as the status, see [`crate::status`]).
//!
//! * **Level 1, document verified**: the person has at least one of
//!   - a `documents` record of kind `passport`, `travel_document`, `identity_card` or
//!     `residence_card` whose `expires_on` is on or after the day and whose number no
//!     `lost_or_stolen` record reports; every record comes from an agency that saw the document;
//!   - a `border_crossings` record of kind `entry` or `exit` that names the `document_number` it
//!     was made on, unless a documents record shows that document expired before the day or a
//!     `lost_or_stolen` record reports it.
//! * **Level 2, live face matched to the document photo**: level 1, and a `biometrics` record of kind
//!   `face` with `quality` of at least [`MIN_FACE_QUALITY`] whose `image_reference` is the
//!   `face_capture_reference` of a border crossing that names a `document_number`: the face was
//!   captured live at a document check, where the officer or gate compares it with the document's
//!   photo. The biometrics payload has no field for the outcome of a comparison, so the capture at a
//!   document check is the evidence; a face captured anywhere else does not count.
//! * **Level 3, fingerprints enrolled and 1:N deduplication clean**: level 2, a `biometrics` record
//!   of kind `fingerprints` with `quality` of at least [`MIN_FINGERPRINT_QUALITY`], and no
//!   unresolved identity link of kind `suspected_fraud` (the 1:N search found no other identity, or
//!   an officer resolved what it found).
//! * **Level 0, self-asserted**: none of the above.
//!
//! A level needs every level below it: fingerprints without a verified document leave the person at
//! 0, and the missing evidence then names the document.

use hospes_model::{Category, Date, Payload, RecordId};
use serde::Serialize;

use crate::status::{Entry, IdentityLinkKind, PersonView, Selector, StatusInput};

/// The least face-capture quality (0–100) that counts for level 2.
pub const MIN_FACE_QUALITY: u8 = 50;

/// The least fingerprint-capture quality (0–100) that counts as enrolled for level 3.
pub const MIN_FINGERPRINT_QUALITY: u8 = 40;

/// The document kinds that identify a person for level 1.
const IDENTITY_DOCUMENT_KINDS: [&str; 4] = ["passport", "travel_document", "identity_card", "residence_card"];

/// A person's trust level on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustReport {
    /// 0 (self-asserted) to 3 (fingerprints enrolled, deduplication clean).
    pub level: u8,
    pub as_of: Date,
    /// What supports each level reached, lowest first.
    pub evidence: Vec<TrustEvidence>,
    /// What is missing for the next level, in plain words; empty at level 3.
    pub missing_for_next: Vec<String>,
    /// Those of the evidence records that the person contests (they count until an officer decides).
    pub contested_record_ids: Vec<RecordId>,
}

/// The evidence for one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustEvidence {
    pub level: u8,
    pub description: String,
    pub record_ids: Vec<RecordId>,
}

/// The trust level of the person whose records `input` holds, on `as_of`.
pub fn trust_level(input: &StatusInput<'_>, as_of: Date) -> TrustReport {
    let view = PersonView::new(input, as_of.naive());
    let documents = verified_documents(&view);
    let faces = faces_at_document_checks(&view);
    let fingerprints: Vec<RecordId> =
        biometrics(&view, "fingerprints", MIN_FINGERPRINT_QUALITY).map(Entry::id).collect();
    let fraud_links: Vec<String> =
        view.open_links(&[IdentityLinkKind::SuspectedFraud]).map(|link| link.link_id.clone()).collect();

    let mut evidence = Vec::new();
    let mut missing_for_next = Vec::new();
    let level = if documents.is_empty() {
        missing_for_next.push(
            "a valid passport, travel document, identity card or residence card recorded by an agency, or a \
             border crossing on a document not known to be expired or lost"
                .to_string(),
        );
        0
    } else {
        evidence.push(TrustEvidence {
            level: 1,
            description: "identity document verified by an agency".to_string(),
            record_ids: documents,
        });
        if faces.is_empty() {
            missing_for_next.push(format!(
                "a live face capture of quality {MIN_FACE_QUALITY} or more taken at a document check (a border \
                 crossing on a document that names the capture), to compare with the document's photo"
            ));
            1
        } else {
            evidence.push(TrustEvidence {
                level: 2,
                description: "live face captured at a document check".to_string(),
                record_ids: faces,
            });
            if fingerprints.is_empty() {
                missing_for_next
                    .push(format!("fingerprints of quality {MIN_FINGERPRINT_QUALITY} or more, enrolled by an agency"));
            }
            for link in &fraud_links {
                missing_for_next.push(format!(
                    "an officer's decision on the suspected-fraud identity link {link}: until then the 1:N \
                     deduplication is not clean"
                ));
            }
            if missing_for_next.is_empty() {
                evidence.push(TrustEvidence {
                    level: 3,
                    description: "fingerprints enrolled, and no unresolved suspected-fraud identity link".to_string(),
                    record_ids: fingerprints,
                });
                3
            } else {
                2
            }
        }
    };
    let contested_record_ids = evidence
        .iter()
        .flat_map(|item| item.record_ids.iter().copied())
        .filter(|record| view.is_contested(*record))
        .collect();
    TrustReport { level, as_of, evidence, missing_for_next, contested_record_ids }
}

/// Documents numbers reported lost or stolen by a record that counts.
fn is_reported_lost(view: &PersonView<'_>, number: &str) -> bool {
    let lost = Selector::kind_bit(Category::Documents, "lost_or_stolen");
    view.of(Category::Documents).iter().any(|entry| {
        entry.kind_bit == lost
            && matches!(entry.payload(), Payload::Documents(report) if report.number.as_str() == number)
    })
}

/// Whether a documents record shows the document `number` expired before the day.
fn is_known_expired(view: &PersonView<'_>, number: &str) -> bool {
    view.of(Category::Documents).iter().any(|entry| match entry.payload() {
        Payload::Documents(document) => {
            document.number.as_str() == number && document.expires_on.is_some_and(|expiry| expiry.naive() < view.as_of)
        }
        _ => false,
    })
}

/// The records that verify an identity document (level 1).
fn verified_documents(view: &PersonView<'_>) -> Vec<RecordId> {
    let identity_kinds =
        IDENTITY_DOCUMENT_KINDS.iter().fold(0u8, |bits, kind| bits | Selector::kind_bit(Category::Documents, kind));
    let mut records: Vec<RecordId> = view
        .of(Category::Documents)
        .iter()
        .filter(|entry| entry.kind_bit & identity_kinds != 0)
        .filter(|entry| match entry.payload() {
            Payload::Documents(document) => {
                document.expires_on.is_some_and(|expiry| expiry.naive() >= view.as_of)
                    && !is_reported_lost(view, document.number.as_str())
            }
            _ => false,
        })
        .map(Entry::id)
        .collect();
    records.extend(
        crossings_on_documents(view)
            .filter(|(_, number)| !is_known_expired(view, number) && !is_reported_lost(view, number))
            .map(|(entry, _)| entry.id()),
    );
    records
}

/// Entries and exits that name the document they were made on.
fn crossings_on_documents<'v, 'a>(view: &'v PersonView<'a>) -> impl Iterator<Item = (&'v Entry<'a>, &'a str)> + 'v {
    let crossing_kinds =
        Selector::kind_bit(Category::BorderCrossings, "entry") | Selector::kind_bit(Category::BorderCrossings, "exit");
    view.of(Category::BorderCrossings).iter().filter(move |entry| entry.kind_bit & crossing_kinds != 0).filter_map(
        |entry| match entry.payload() {
            Payload::BorderCrossings(crossing) => {
                crossing.document_number.as_ref().map(|number| (entry, number.as_str()))
            }
            _ => None,
        },
    )
}

/// Biometric captures of `kind` with at least `min_quality`.
fn biometrics<'v, 'a>(
    view: &'v PersonView<'a>,
    kind: &str,
    min_quality: u8,
) -> impl Iterator<Item = &'v Entry<'a>> + 'v {
    let bit = Selector::kind_bit(Category::Biometrics, kind);
    view.of(Category::Biometrics).iter().filter(move |entry| {
        entry.kind_bit == bit
            && matches!(entry.payload(), Payload::Biometrics(capture) if capture.quality >= min_quality)
    })
}

/// Face captures taken at a document check (level 2), with the crossings that name them.
fn faces_at_document_checks(view: &PersonView<'_>) -> Vec<RecordId> {
    let mut records = Vec::new();
    for face in biometrics(view, "face", MIN_FACE_QUALITY) {
        let Payload::Biometrics(capture) = face.payload() else { continue };
        let Some(reference) = &capture.image_reference else { continue };
        let checks = crossings_on_documents(view).filter(|(crossing, _)| {
            matches!(crossing.payload(), Payload::BorderCrossings(payload)
                if payload.face_capture_reference.as_ref().is_some_and(|named| named.as_str() == reference.as_str()))
        });
        let crossings: Vec<RecordId> = checks.map(|(crossing, _)| crossing.id()).collect();
        if !crossings.is_empty() {
            records.push(face.id());
            records.extend(crossings);
        }
    }
    records
}

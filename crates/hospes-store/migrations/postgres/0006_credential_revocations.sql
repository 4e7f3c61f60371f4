-- A person's revocation of every credential issued to them up to an instant (a lost phone, a card
-- taken): verifiers online refuse those credentials. Keyed by the credential's pseudonymous subject.
CREATE TABLE credential_revocations (
    subject    TEXT NOT NULL,
    revoked_at TEXT NOT NULL,   -- RFC 3339: credentials issued at or before it are revoked
    PRIMARY KEY (subject, revoked_at)
);

-- Share codes: a foreign national's consent to one kind of check (UK-style "prove your right to
-- work"). Only the SHA-256 of the code is kept: the code itself is shown once, to its holder. `id`
-- names a code in the holder's list (the hash is not shown: nine characters are few enough that
-- their hash could be reversed by trying them all).
CREATE TABLE share_codes (
    code_sha256 BYTEA PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    person_id   UUID NOT NULL,
    purpose     TEXT NOT NULL,          -- right-to-work, bank-account, phone-number or rent
    created_at  TEXT NOT NULL,          -- RFC 3339
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX share_codes_by_person ON share_codes (person_id, created_at);

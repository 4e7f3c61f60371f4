-- System records: what Hospes itself records about a person's records, beside the agencies' ledger —
-- a person's contest of a record, and an officer's decision on it. Append-only and hash-chained like
-- the ledger (its own chain, checked by `hospes ledger verify`).
CREATE TABLE system_records (
    seq           INTEGER PRIMARY KEY,      -- position in the system chain, from 1
    record_id     BLOB    NOT NULL UNIQUE,  -- a random UUID
    kind          TEXT    NOT NULL,         -- contest | contest_decision
    person_id     BLOB    NOT NULL,         -- whose record it concerns
    refers_to     BLOB    NOT NULL,         -- the ledger record contested, or the contest decided
    created_at    TEXT    NOT NULL,
    body          TEXT    NOT NULL,         -- canonical JSON: who, why, and for a decision the outcome
    previous_hash BLOB    NOT NULL,
    hash          BLOB    NOT NULL          -- SHA-256(previous_hash || canonical header)
);
CREATE INDEX system_records_by_person ON system_records (person_id, seq);
CREATE INDEX system_records_by_reference ON system_records (refers_to);

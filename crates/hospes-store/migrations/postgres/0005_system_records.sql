-- System records: what Hospes itself records about a person's records, beside the agencies' ledger —
-- a person's contest of a record, and an officer's decision on it. Append-only and hash-chained like
-- the ledger (its own chain, checked by `hospes ledger verify`).
CREATE TABLE system_records (
    seq           BIGINT PRIMARY KEY,
    record_id     UUID   NOT NULL UNIQUE,
    kind          TEXT   NOT NULL,         -- contest | contest_decision
    person_id     UUID   NOT NULL,
    refers_to     UUID   NOT NULL,         -- the ledger record contested, or the contest decided
    created_at    TEXT   NOT NULL,
    body          TEXT   NOT NULL,         -- canonical JSON: who, why, and for a decision the outcome
    previous_hash BYTEA  NOT NULL,
    hash          BYTEA  NOT NULL
);
CREATE INDEX system_records_by_person ON system_records (person_id, seq);
CREATE INDEX system_records_by_reference ON system_records (refers_to);

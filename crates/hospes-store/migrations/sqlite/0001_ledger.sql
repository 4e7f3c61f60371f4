-- The ledger: every record any agency sent, append-only and hash-chained.
-- Ingestion only ever INSERTs here; nothing in the code path of ingestion updates or deletes a row.
CREATE TABLE ledger (
    seq               INTEGER PRIMARY KEY,      -- position in the chain, from 1
    record_id         BLOB    NOT NULL UNIQUE,  -- UUID v5 of (agency, source_record_id, source_version)
    agency            TEXT    NOT NULL,
    source_record_id  TEXT    NOT NULL,
    source_version    INTEGER NOT NULL,
    category          TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    effective_from    TEXT    NOT NULL,
    effective_to      TEXT,
    legal_basis       TEXT    NOT NULL,
    received_at       TEXT    NOT NULL,
    sensitivity       TEXT    NOT NULL,
    supersedes        TEXT,                     -- JSON array of record ids, NULL when none
    body              BLOB,                     -- canonical JSON of subject and payload; NULL once destroyed
    body_salt         BLOB,                     -- NULL once destroyed
    body_digest       BLOB    NOT NULL,         -- SHA-256(body_salt || body), kept forever
    submission_digest BLOB,                     -- SHA-256 of the normalised submission, for idempotency
    previous_hash     BLOB    NOT NULL,
    hash              BLOB    NOT NULL          -- SHA-256(previous_hash || canonical header)
);

-- Agencies authenticate with API keys; only a SHA-256 of the secret part is kept.
CREATE TABLE agency_api_keys (
    key_id        TEXT PRIMARY KEY,
    agency        TEXT NOT NULL,
    secret_sha256 BLOB NOT NULL,
    label         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);

-- Derived from the ledger by resolution, and rebuildable from it.
-- Person-scoped tables lead their primary key with person_id, the distribution key for sharding.
CREATE TABLE persons (
    person_id   BLOB    PRIMARY KEY,
    created_seq INTEGER NOT NULL                -- the ledger position of the record that first named them
) WITHOUT ROWID;

-- Which person each ledger record belongs to. Keyed by the ledger position, so that appending is an
-- append; a record's id is found through the ledger. A person's records through the second index.
CREATE TABLE person_records (
    seq       INTEGER PRIMARY KEY,
    person_id BLOB    NOT NULL
);
CREATE INDEX person_records_by_person ON person_records (person_id, seq);

-- Identity keys (e.g. document number with birth date, taxpayer number) and the persons they point to.
CREATE TABLE identity_keys (
    identity_key TEXT NOT NULL,
    person_id    BLOB NOT NULL,
    PRIMARY KEY (identity_key, person_id)
) WITHOUT ROWID;

-- How far resolution has read the ledger.
CREATE TABLE resolution_checkpoint (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    resolved_seq INTEGER NOT NULL
);
INSERT INTO resolution_checkpoint (singleton, resolved_seq) VALUES (1, 0);

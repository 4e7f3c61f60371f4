-- The ledger: every record any agency sent, append-only and hash-chained.
-- Ingestion only ever INSERTs here; nothing in the code path of ingestion updates or deletes a row.
CREATE TABLE ledger (
    seq               BIGINT      PRIMARY KEY,  -- position in the chain, from 1
    record_id         UUID        NOT NULL UNIQUE,
    agency            TEXT        NOT NULL,
    source_record_id  TEXT        NOT NULL,
    source_version    BIGINT      NOT NULL,
    category          TEXT        NOT NULL,
    kind              TEXT        NOT NULL,
    effective_from    TEXT        NOT NULL,     -- canonical text, exactly as hashed
    effective_to      TEXT,
    legal_basis       TEXT        NOT NULL,
    received_at       TEXT        NOT NULL,
    sensitivity       TEXT        NOT NULL,
    supersedes        TEXT,                     -- JSON array of record ids, NULL when none
    body              BYTEA,                    -- canonical JSON of subject and payload; NULL once destroyed
    body_salt         BYTEA,
    body_digest       BYTEA       NOT NULL,
    submission_digest BYTEA,
    previous_hash     BYTEA       NOT NULL,
    hash              BYTEA       NOT NULL
);

CREATE TABLE agency_api_keys (
    key_id        TEXT PRIMARY KEY,
    agency        TEXT NOT NULL,
    secret_sha256 BYTEA NOT NULL,
    label         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);

-- Derived from the ledger by resolution, and rebuildable from it.
-- Every person-scoped table leads its primary key with person_id: that is the distribution column
-- under which Citus can shard them together (SELECT create_distributed_table('persons', 'person_id')
-- and colocate the rest with it).
CREATE TABLE persons (
    person_id   UUID   PRIMARY KEY,
    created_seq BIGINT NOT NULL
);

-- Which person each ledger record belongs to; a record's id is found through the ledger.
CREATE TABLE person_records (
    person_id UUID   NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (person_id, seq)
);
CREATE UNIQUE INDEX person_records_by_seq ON person_records (seq);

-- Byte-wise collation, so that a prefix search is an index range scan whatever the server's locale.
CREATE TABLE identity_keys (
    identity_key TEXT COLLATE "C" NOT NULL,
    person_id    UUID NOT NULL,
    PRIMARY KEY (identity_key, person_id)
);

CREATE TABLE resolution_checkpoint (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    resolved_seq BIGINT  NOT NULL
);
INSERT INTO resolution_checkpoint (singleton, resolved_seq) VALUES (1, 0);

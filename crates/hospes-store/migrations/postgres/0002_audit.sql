-- The audit log: one row per request that read or wrote person data. Rows are only ever inserted.
-- The event is the Merkle leaf; its leaf hash (RFC 9162: SHA-256 of 0x00 || event) is kept beside it
-- so that `hospes audit verify` can name an altered row. A global log, like the ledger.
CREATE TABLE audit_events (
    leaf_index  BIGINT      PRIMARY KEY,   -- position in the Merkle tree, from 0
    occurred_at TEXT        NOT NULL,      -- RFC 3339, UTC
    event       BYTEA       NOT NULL,      -- canonical JSON (RFC 8785) of the event
    leaf_hash   BYTEA       NOT NULL
);

-- Which persons each event concerns, for the person's own access log. Person-scoped: keyed by
-- person_id first, the distribution column.
CREATE TABLE audit_event_persons (
    person_id  UUID   NOT NULL,
    leaf_index BIGINT NOT NULL,
    PRIMARY KEY (person_id, leaf_index)
);

-- Signed tree heads: the log's signed statements of its size and root hash.
CREATE TABLE audit_tree_heads (
    tree_size    BIGINT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    root_hash    BYTEA  NOT NULL,
    key_id       BYTEA  NOT NULL,
    signature    BYTEA  NOT NULL,
    PRIMARY KEY (tree_size, timestamp_ms)
);

-- The public keys that have signed tree heads here (auditors should pin their own copy).
CREATE TABLE audit_signing_keys (
    key_id        BYTEA PRIMARY KEY,
    public_key    BYTEA NOT NULL,
    first_used_at TEXT  NOT NULL
);

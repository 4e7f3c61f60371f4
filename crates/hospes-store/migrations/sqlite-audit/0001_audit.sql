-- The audit log: one row per request that read or wrote person data, in its own database file so that
-- its group commits never wait behind a long ingest transaction on the ledger's write lock.
-- Rows are only ever inserted. The event is the Merkle leaf; its leaf hash (RFC 9162: SHA-256 of
-- 0x00 || event) is kept beside it so that `hospes audit verify` can name an altered row.
CREATE TABLE audit_events (
    leaf_index  INTEGER PRIMARY KEY,   -- position in the Merkle tree, from 0
    occurred_at TEXT    NOT NULL,      -- RFC 3339, UTC
    event       BLOB    NOT NULL,      -- canonical JSON (RFC 8785) of the event
    leaf_hash   BLOB    NOT NULL
);

-- Which persons each event concerns, for the person's own access log.
CREATE TABLE audit_event_persons (
    person_id  BLOB    NOT NULL,
    leaf_index INTEGER NOT NULL,
    PRIMARY KEY (person_id, leaf_index)
) WITHOUT ROWID;

-- Signed tree heads: the log's signed statements of its size and root hash.
CREATE TABLE audit_tree_heads (
    tree_size    INTEGER NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    root_hash    BLOB    NOT NULL,
    key_id       BLOB    NOT NULL,
    signature    BLOB    NOT NULL,
    PRIMARY KEY (tree_size, timestamp_ms)
);

-- The public keys that have signed tree heads here (auditors should pin their own copy).
CREATE TABLE audit_signing_keys (
    key_id        BLOB PRIMARY KEY,
    public_key    BLOB NOT NULL,
    first_used_at TEXT NOT NULL
);

-- Records of the special categories (biometrics, medical examinations, criminal records) are stored
-- sealed: the ledger's body column holds their ciphertext, and their data key, wrapped by the master
-- key (which never enters the database), is kept here. Deleting a row destroys the record for good
-- (crypto-shredding): nobody can open the ciphertext without it, master key or not.
CREATE TABLE record_keys (
    seq         INTEGER PRIMARY KEY,    -- the ledger position of the sealed record
    wrapped_key BLOB    NOT NULL
);

-- What retention destroyed, and when: the person's view shows it. The ledger keeps the record's
-- envelope and the digest of its body, so the chain still verifies.
CREATE TABLE record_destructions (
    seq          INTEGER PRIMARY KEY,   -- the ledger position of the destroyed record
    expired_at   TEXT    NOT NULL,      -- when its retention period ended
    destroyed_at TEXT    NOT NULL,
    rule         TEXT    NOT NULL       -- the retention rule, in words
);

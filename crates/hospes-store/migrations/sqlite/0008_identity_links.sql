-- Identity links: pairs of persons that resolution could not settle alone — perhaps the same human
-- (`review`), or the same document or biometrics behind different identities (`suspected_fraud`).
-- Derived by resolution and rebuilt with it; an officer's decision is a system record
-- (`identity_link_decision`), and `outcome` here caches it.
CREATE TABLE identity_links (
    link_id       BLOB    PRIMARY KEY,      -- UUID v5 of the two records, so a rebuild finds the same id
    kind          TEXT    NOT NULL,         -- review | suspected_fraud
    left_record   BLOB    NOT NULL,         -- a record of the person already known
    right_record  BLOB    NOT NULL,         -- the record being resolved when the link was raised
    left_person   BLOB    NOT NULL,
    right_person  BLOB    NOT NULL,
    match_weight  REAL    NOT NULL,         -- log2 odds of the pair being one person
    reason        TEXT    NOT NULL,         -- in words
    created_seq   INTEGER NOT NULL,         -- ledger position of the right record
    created_at    TEXT    NOT NULL,
    outcome       TEXT,                     -- NULL while open; same | different
    decision_id   BLOB                      -- the system record of the decision
) WITHOUT ROWID;
CREATE INDEX identity_links_by_outcome ON identity_links (outcome, created_seq);
CREATE INDEX identity_links_by_left_person ON identity_links (left_person);
CREATE INDEX identity_links_by_right_person ON identity_links (right_person);

-- A person id that disappeared in a merge (or a rebuild) and the person it now belongs to. Kept across
-- rebuilds: an id once given out keeps leading somewhere.
CREATE TABLE person_redirects (
    person_id     BLOB PRIMARY KEY,
    survivor      BLOB NOT NULL,
    redirected_at TEXT NOT NULL,
    reason        TEXT NOT NULL
) WITHOUT ROWID;

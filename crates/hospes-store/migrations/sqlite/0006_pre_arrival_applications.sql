-- Applications to enter submitted before travel, with the outcome of the automatic checks (entry
-- bans, wanted notices, lost and stolen documents) and its reasons. Keyed by the application id, not
-- by person: an applicant may be unknown to the registry (person_id is then null). Looked up at the
-- border by the document the traveller shows and their birth date.
CREATE TABLE pre_arrival_applications (
    application_id   TEXT PRIMARY KEY,      -- UUID
    person_id        BLOB,                  -- the person the document and birth date resolved to
    document_country TEXT NOT NULL,         -- ISO 3166-1 alpha-3 (ICAO)
    document_number  TEXT NOT NULL,
    birth_date       TEXT NOT NULL,         -- YYYY-MM-DD
    submitted_at     TEXT NOT NULL,         -- RFC 3339
    submitted_by     TEXT NOT NULL,         -- the token subject that submitted it
    outcome          TEXT NOT NULL,         -- clear or refer
    application      TEXT NOT NULL,         -- the application as submitted (JSON)
    reasons          TEXT NOT NULL          -- the reasons of the outcome (JSON list)
);
CREATE INDEX pre_arrival_applications_by_document
    ON pre_arrival_applications (document_number, birth_date, submitted_at);

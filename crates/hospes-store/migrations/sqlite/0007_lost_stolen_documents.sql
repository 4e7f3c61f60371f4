-- Travel documents reported lost, stolen or revoked (in the manner of Interpol's SLTD database),
-- checked at every crossing and pre-arrival application. One row per document: a report of the same
-- document again keeps the first.
CREATE TABLE lost_stolen_documents (
    document_number  TEXT NOT NULL,
    issuing_country  TEXT NOT NULL,         -- ISO 3166-1 alpha-3 (ICAO)
    document_type    TEXT NOT NULL,         -- passport, travel_document, identity_card, …
    reported_on      TEXT NOT NULL,         -- YYYY-MM-DD
    source           TEXT NOT NULL,         -- who reported it (an issuing state, Interpol, a police force)
    imported_at      TEXT NOT NULL,         -- RFC 3339
    PRIMARY KEY (document_number, issuing_country)
);

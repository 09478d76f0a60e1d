-- 0011: e-certificates of talent tiers and their talent codes (人才码)
-- (issue 5 item 6; src/domain/certificates.h, src/core/talent_code.h).
--
-- A certificate states that a talent holds tier 1..7 from valid_from to valid_to (civil
-- dates, inclusive; 5 years by default).  Its talent code is signed when it is issued
-- (key_id: the key file's "code" key that signed) and kept in `token`, so the PDF and the
-- API show the same code for the certificate's whole life.  Status moves:
--   valid -> suspended -> valid (reinstate); valid|suspended -> revoked (final);
--   valid|suspended -> superseded (final: renewed or upgraded by a newer certificate,
--   superseded_by names it).
-- status_reason / status_at record the last move.  application_id names the
-- identification application that led to it (NULL for a direct recording); the
-- applications table arrives with the workflow, so it is not a foreign key yet.
-- basis: why it was issued ("application", or the provincial/Quanzhou certification a
-- direct recording rests on).

CREATE TABLE certificates (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	talent_id INTEGER NOT NULL REFERENCES talents(id),
	tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 7),
	valid_from TEXT NOT NULL,
	valid_to TEXT NOT NULL CHECK (valid_to >= valid_from),
	issued_at TEXT NOT NULL,
	issuer TEXT NOT NULL,
	basis TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'valid'
		CHECK (status IN ('valid', 'suspended', 'revoked', 'superseded')),
	status_reason TEXT,
	status_at TEXT,
	superseded_by INTEGER REFERENCES certificates(id),
	application_id INTEGER,
	key_id TEXT NOT NULL DEFAULT '',
	token TEXT NOT NULL DEFAULT '',
	issued_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_talent ON certificates(talent_id, id);
CREATE INDEX certificates_application ON certificates(application_id) WHERE application_id IS NOT NULL;

-- 0021: the apprentice register (企业新型学徒制; issue 7 item 4, policy apprentice-training;
-- src/domain/apprentices.h).
--
-- An enterprise records each apprentice it trains: name, ID number, level (中级工班
-- intermediate / 高级工班 advanced), the enrolment date and, once training is over, the
-- completion date.  These are the facts enterprise.apprentices[] of the policy pack
-- (docs/policies.md): `policy run` and the benefit prefill read them, the item of the
-- entitlement is the apprentice's id in decimal.
--
-- The ID number is personal data, kept like talents' (0005): sealed (aad
-- "apprentices.id_number"), a blind index for uniqueness ("id_number", the same domain as
-- talents': one person), and the masked form lists show.  One enterprise registers a
-- person at most once per level.

CREATE TABLE apprentices (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	name TEXT NOT NULL,
	id_number_enc BLOB NOT NULL,   -- sealed, aad "apprentices.id_number"
	id_number_bidx BLOB NOT NULL,  -- blind index ("id_number")
	id_number_mask TEXT NOT NULL,  -- "350582********123X"
	level TEXT NOT NULL CHECK (level IN ('intermediate', 'advanced')),
	enrolled_on TEXT,              -- YYYY-MM-DD; NULL: not recorded (no subsidy yet)
	completed_on TEXT CHECK (completed_on IS NULL OR (enrolled_on IS NOT NULL AND completed_on >= enrolled_on)),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX apprentices_enterprise ON apprentices(enterprise_id, id);
CREATE UNIQUE INDEX apprentices_person ON apprentices(enterprise_id, id_number_bidx, level);

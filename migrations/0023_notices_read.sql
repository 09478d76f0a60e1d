-- 0023: a beneficiary marks notices read (issue 7: the notices bell).  read_at is NULL until
-- the talent or employer the notice is for marks it read (POST /api/v1/notices/{id}/read or
-- /read-all); it is set once and never cleared.  The partial index serves the unread count
-- the top bar asks for on every page.
ALTER TABLE notices ADD COLUMN read_at TEXT;
CREATE INDEX notices_unread ON notices(beneficiary_kind, beneficiary_id) WHERE read_at IS NULL;

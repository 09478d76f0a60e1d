-- 0016: Idempotency-Key (issue 6 item 5; src/http/idempotency.c).
--
-- The first response to a request that carried an Idempotency-Key on a route that opts in,
-- per calling account: a repeat with the same method, path and body hash gets this
-- response again byte for byte; another body under the same key is refused (422).  Rows
-- are written in the same transaction as the handler's effects.  Only 2xx and 4xx other
-- than 429 are kept.  Keys expire after 24 hours (removed when new ones are inserted).

CREATE TABLE idempotency_keys (
	account_id INTEGER NOT NULL,
	key TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	body_hash TEXT NOT NULL,
	status INTEGER NOT NULL,
	content_type TEXT,
	body BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

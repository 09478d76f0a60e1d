-- Accounts, sessions, API tokens, self-registrations and security settings (issue 3).
-- Times used by the security rules (expiry, lockout) are unix seconds so the rules
-- compare integers; created_at columns stay ISO text like the rest of the schema.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('talent', 'employer', 'liaison', 'town_reviewer',
		'office_reviewer', 'finance', 'auditor', 'admin')),
	password_phc TEXT NOT NULL,
	password_changed_at INTEGER NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	talent_id INTEGER REFERENCES talents(id),
	enterprise_id INTEGER REFERENCES enterprises(id),
	department TEXT NOT NULL DEFAULT '',
	unmask INTEGER NOT NULL DEFAULT 0,
	totp_secret BLOB,                 -- sealed (core/crypto.h), NULL when not enrolled
	totp_enabled INTEGER NOT NULL DEFAULT 0,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	throttled_until INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	last_login_at INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	CHECK (role <> 'talent' OR enterprise_id IS NULL),
	CHECK (role <> 'employer' OR enterprise_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_talent ON users(talent_id) WHERE talent_id IS NOT NULL;
CREATE INDEX users_enterprise ON users(enterprise_id) WHERE enterprise_id IS NOT NULL;

-- Towns/streets a town reviewer (exactly one) or a liaison (one or more) is bound to.
CREATE TABLE user_towns (
	user_id INTEGER NOT NULL REFERENCES users(id),
	town TEXT NOT NULL REFERENCES towns(code),
	PRIMARY KEY (user_id, town)
) WITHOUT ROWID;

-- Talents linked to a liaison (帮办专员): the only talents that liaison may see.
CREATE TABLE liaison_talents (
	user_id INTEGER NOT NULL REFERENCES users(id),
	talent_id INTEGER NOT NULL REFERENCES talents(id),
	linked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	PRIMARY KEY (user_id, talent_id)
) WITHOUT ROWID;
CREATE INDEX liaison_talents_talent ON liaison_talents(talent_id);

-- Sessions: only the hash of the 256-bit token is kept.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,      -- absolute limit
	idle_secs INTEGER NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	revoked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens an account creates for its own API clients.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	prefix TEXT NOT NULL,             -- first 6 characters, to tell tokens apart in a list
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Self-registration of talents and employers, confirmed by staff.
CREATE TABLE registrations (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	kind TEXT NOT NULL CHECK (kind IN ('talent', 'employer')),
	username TEXT NOT NULL COLLATE NOCASE,
	display_name TEXT NOT NULL,
	password_phc TEXT NOT NULL,
	talent_id INTEGER REFERENCES talents(id),         -- matched record, NULL when none matched
	enterprise_id INTEGER REFERENCES enterprises(id),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	reason TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id),
	decided_by INTEGER REFERENCES users(id),
	decided_at TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX registrations_pending_username ON registrations(username)
	WHERE status = 'pending';
CREATE INDEX registrations_status ON registrations(status, id);

-- Security settings the admin may change (password policy, roles that must use TOTP).
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES
	('password_policy', 'dengbao3'),
	('mfa_required_roles', 'admin');  -- ASVS 4.3.1: administrators use a second factor

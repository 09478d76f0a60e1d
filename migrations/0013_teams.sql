-- 0013: team review (团队评审, issue 5 item 5; docs/team-review.md).
-- The office opens a round with its criteria, forms a panel of experts; teams apply with a
-- leader (a registered talent), members and a project; experts declare conflicts of interest
-- and score; the platform ranks; the office decides each team's support tier.

-- The expert role: users.role has a CHECK listing the roles, which ALTER TABLE cannot change,
-- so users is rebuilt (sqlite.org/lang_altertable.html, "making other kinds of table schema
-- changes"; foreign keys are off during migrations and checked before each one commits).
CREATE TABLE users_new (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('talent', 'employer', 'liaison', 'town_reviewer',
		'office_reviewer', 'finance', 'auditor', 'admin', 'expert')),
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
INSERT INTO users_new (id, version, username, display_name, role, password_phc,
	password_changed_at, must_change, disabled, talent_id, enterprise_id, department, unmask,
	totp_secret, totp_enabled, totp_last_step, failed_logins, throttled_until, locked_until,
	last_login_at, created_at)
SELECT id, version, username, display_name, role, password_phc,
	password_changed_at, must_change, disabled, talent_id, enterprise_id, department, unmask,
	totp_secret, totp_enabled, totp_last_step, failed_logins, throttled_until, locked_until,
	last_login_at, created_at
FROM users;
DROP TABLE users;
-- legacy renaming: the references to "users" in other tables name the rebuilt table
PRAGMA legacy_alter_table = ON;
ALTER TABLE users_new RENAME TO users;
PRAGMA legacy_alter_table = OFF;
CREATE UNIQUE INDEX users_talent ON users(talent_id) WHERE talent_id IS NOT NULL;
CREATE INDEX users_enterprise ON users(enterprise_id) WHERE enterprise_id IS NOT NULL;

-- Support tiers a team may be given, with their amounts (integer fen) as data.
-- [design] placeholder amounts: the standard names team support but this repository holds no
-- figure for it; the office edits these rows.
CREATE TABLE team_tiers (
	code TEXT PRIMARY KEY CHECK (code IN ('A', 'B', 'C')),
	title_zh TEXT NOT NULL,
	title_en TEXT NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	source TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
INSERT INTO team_tiers (code, title_zh, title_en, amount_fen, source) VALUES
	('A', 'A 类团队', 'Tier A team', 500000000, '[design] placeholder: 500 万元'),
	('B', 'B 类团队', 'Tier B team', 200000000, '[design] placeholder: 200 万元'),
	('C', 'C 类团队', 'Tier C team', 100000000, '[design] placeholder: 100 万元');

-- A review round: criteria is a JSON array [{id, title_zh, title_en, weight, max}]
-- (checked by the domain, src/domain/teams.c).  open: teams apply, the panel is formed;
-- scoring: experts score; decided: scoring closed, the office decides each team's tier.
CREATE TABLE team_rounds (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	title TEXT NOT NULL,
	criteria TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scoring', 'decided')),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A team's application.  leader_name is the leader's registry name when the team applied
-- (what experts see: they read nothing of the registry).
CREATE TABLE teams (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	round_id INTEGER NOT NULL REFERENCES team_rounds(id),
	name TEXT NOT NULL,
	leader_talent_id INTEGER NOT NULL REFERENCES talents(id),
	leader_name TEXT NOT NULL,
	enterprise_id INTEGER REFERENCES enterprises(id),
	project_title TEXT NOT NULL,
	project_summary TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'submitted'
		CHECK (status IN ('submitted', 'withdrawn', 'scored', 'decided')),
	support_tier TEXT CHECK (support_tier IN ('A', 'B', 'C', 'none')),
	decided_by INTEGER REFERENCES users(id),
	decided_at TEXT,
	reason TEXT NOT NULL DEFAULT '',
	submitted_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	CHECK ((status = 'decided') = (support_tier IS NOT NULL))
);
CREATE INDEX teams_round ON teams(round_id, id);
CREATE INDEX teams_leader ON teams(leader_talent_id);
CREATE INDEX teams_enterprise ON teams(enterprise_id) WHERE enterprise_id IS NOT NULL;

-- Members in the order given: a registered talent (talent_id, name copied) or a name.
CREATE TABLE team_members (
	team_id INTEGER NOT NULL REFERENCES teams(id),
	seq INTEGER NOT NULL,
	talent_id INTEGER REFERENCES talents(id),
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	PRIMARY KEY (team_id, seq)
) WITHOUT ROWID;
CREATE INDEX team_members_talent ON team_members(talent_id) WHERE talent_id IS NOT NULL;

-- The experts of a round's panel.
CREATE TABLE team_panel (
	round_id INTEGER NOT NULL REFERENCES team_rounds(id),
	expert_id INTEGER NOT NULL REFERENCES users(id),
	added_by INTEGER REFERENCES users(id),
	added_at TEXT NOT NULL,
	PRIMARY KEY (round_id, expert_id)
) WITHOUT ROWID;
CREATE INDEX team_panel_expert ON team_panel(expert_id, round_id);

-- Conflicts of interest an expert declared: that expert scores that team no more, and any
-- score already given is left out of the ranking.
CREATE TABLE team_conflicts (
	expert_id INTEGER NOT NULL REFERENCES users(id),
	team_id INTEGER NOT NULL REFERENCES teams(id),
	reason TEXT NOT NULL,
	declared_at TEXT NOT NULL,
	PRIMARY KEY (expert_id, team_id)
) WITHOUT ROWID;

-- One score per expert, team and criterion; a re-submission replaces it (audited).
CREATE TABLE team_scores (
	id INTEGER PRIMARY KEY,
	expert_id INTEGER NOT NULL REFERENCES users(id),
	team_id INTEGER NOT NULL REFERENCES teams(id),
	criterion TEXT NOT NULL,
	score INTEGER NOT NULL CHECK (score >= 0),
	at TEXT NOT NULL,
	UNIQUE (expert_id, team_id, criterion)
);
CREATE INDEX team_scores_team ON team_scores(team_id, expert_id);

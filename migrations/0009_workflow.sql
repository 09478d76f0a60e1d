-- 0009: the workflow engine (issue 5, item 1) and its first user, talent identification.
--
-- An application moves through the states of its kind's workflow (workflows/<kind>.yaml,
-- src/domain/workflow.h).  Every action is one row of application_actions, written in
-- the transaction that moves the application (with its audit record).  `version` is the
-- optimistic lock: an action updates the row only WHERE version = the version it read,
-- so of two reviewers acting at the same moment exactly one moves it.

CREATE TABLE applications (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	kind TEXT NOT NULL,                      -- the workflow: 'identification'
	state TEXT NOT NULL,
	talent_id INTEGER NOT NULL REFERENCES talents(id),
	enterprise_id INTEGER REFERENCES enterprises(id),  -- the employer that confirms, if any
	town TEXT,                               -- the talent's town when submitted (town review)
	claimed_tier INTEGER CHECK (claimed_tier BETWEEN 1 AND 7),
	proposed_tier INTEGER CHECK (proposed_tier BETWEEN 1 AND 7),  -- from the standard pack
	final_tier INTEGER CHECK (final_tier BETWEEN 1 AND 7),        -- set by the office
	tier_reason TEXT,                        -- why the office set another tier than claimed
	form TEXT NOT NULL DEFAULT '{}',         -- the applicant's form (JSON: claims, statement)
	proposal TEXT,                           -- the standard's proposal and explanation (JSON)
	returned_fields TEXT,                    -- JSON array: the fields to fix, when returned
	returned_from TEXT,                      -- the state that returned it
	submitted_by INTEGER REFERENCES users(id),  -- NULL: the operator at the command line
	submitted_role TEXT NOT NULL,            -- 'talent' | 'employer' | staff role
	step INTEGER NOT NULL DEFAULT 1,         -- counts the states entered (reminders key)
	step_started_on TEXT NOT NULL,           -- the date the current state was entered (UTC+8)
	deadline TEXT,                           -- the last working day of the current step
	certificate_id INTEGER,                  -- set when a certificate was issued
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	closed_at TEXT
);
CREATE INDEX applications_state ON applications(kind, state, id);
CREATE INDEX applications_talent ON applications(talent_id, id);
CREATE INDEX applications_enterprise ON applications(enterprise_id, id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX applications_town ON applications(town, state, id);
CREATE INDEX applications_deadline ON applications(deadline) WHERE deadline IS NOT NULL;
-- At most one open identification application per talent.
CREATE UNIQUE INDEX applications_open ON applications(kind, talent_id)
	WHERE state NOT IN ('certified', 'rejected', 'withdrawn');

CREATE TABLE application_actions (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	action TEXT NOT NULL,                    -- submit, approve, return, reject, withdraw, ...
	from_state TEXT,                         -- NULL for submit
	to_state TEXT NOT NULL,
	actor_id INTEGER,                        -- users.id (NULL: the command line)
	actor_name TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	comment TEXT NOT NULL DEFAULT '',
	detail TEXT,                             -- JSON: fields to fix, tier set, objection ...
	at TEXT NOT NULL
);
CREATE INDEX application_actions_app ON application_actions(application_id, id);
CREATE TRIGGER application_actions_no_update BEFORE UPDATE ON application_actions
BEGIN SELECT RAISE(ABORT, 'application history is append-only'); END;
CREATE TRIGGER application_actions_no_delete BEFORE DELETE ON application_actions
BEGIN SELECT RAISE(ABORT, 'application history is append-only'); END;

-- Objections lodged by anyone during a public announcement (公示).
CREATE TABLE objections (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	reason TEXT NOT NULL,
	contact TEXT,                            -- optional, seen by office staff only
	lodged_at TEXT NOT NULL,
	ip_hash TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
	resolution TEXT,
	resolved_by INTEGER REFERENCES users(id),
	resolved_at TEXT
);
CREATE INDEX objections_app ON objections(application_id, id);

-- The working-day calendar: every date not listed is a working day Monday to Friday and
-- a rest day on Saturday and Sunday.  'holiday' marks a weekday off (法定节假日),
-- 'workday' a weekend day worked (调休上班).
CREATE TABLE calendar_days (
	day TEXT PRIMARY KEY,                    -- YYYY-MM-DD
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- One reminder per application and step once the step is overdue.
CREATE TABLE reminders (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	step INTEGER NOT NULL,
	state TEXT NOT NULL,
	role TEXT NOT NULL,                      -- who must act
	town TEXT,
	deadline TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (application_id, step)
);

-- The 2026 national holiday arrangement (国务院办公厅关于2026年部分节假日安排的通知).
-- The office keeps this table current (PUT /api/v1/calendar/{day}).
INSERT INTO calendar_days (day, kind, name) VALUES
	('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'),
	('2026-01-04', 'workday', '元旦调休'),
	('2026-02-14', 'workday', '春节调休'),
	('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
	('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'),
	('2026-02-20', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
	('2026-02-28', 'workday', '春节调休'),
	('2026-04-06', 'holiday', '清明节'),
	('2026-05-01', 'holiday', '劳动节'), ('2026-05-04', 'holiday', '劳动节'),
	('2026-05-05', 'holiday', '劳动节'),
	('2026-05-09', 'workday', '劳动节调休'),
	('2026-06-19', 'holiday', '端午节'),
	('2026-09-20', 'workday', '国庆节调休'),
	('2026-09-25', 'holiday', '中秋节'),
	('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'),
	('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
	('2026-10-07', 'holiday', '国庆节'),
	('2026-10-10', 'workday', '国庆节调休');

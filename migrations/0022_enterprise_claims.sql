-- 0022: benefit applications whose beneficiary is an enterprise (企业待遇申请; the first is
-- apprentice-training, 企业新型学徒制培训补贴; docs/payments.md "Enterprise claims").
--
-- Such an application has no talent: applications.talent_id becomes nullable, and a CHECK
-- says that a row without a talent is a benefit application of an enterprise.  SQLite
-- cannot drop a NOT NULL or add a CHECK with ALTER TABLE, so the table is rebuilt the
-- "otherwise" way of sqlite.org/lang_altertable.html (12 steps): foreign keys are off
-- during migrations and checked before each one commits (src/store/sqlite/sqlite.c), the
-- new table is made, filled, the old one dropped and the new one renamed, and every index
-- is made again (`.schema applications` on a database at 0021: five indexes, two partial
-- unique ones; no trigger or view names the table).  The tables that refer to
-- applications(id) — application_actions, objections, reminders, entitlements — refer to
-- the new table by name, unchanged.

CREATE TABLE applications_new (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	kind TEXT NOT NULL,                      -- the workflow: 'identification' | 'benefit'
	state TEXT NOT NULL,
	talent_id INTEGER REFERENCES talents(id), -- NULL: an enterprise's benefit application
	enterprise_id INTEGER REFERENCES enterprises(id),  -- the employer that confirms, if any;
	                                         -- the beneficiary when talent_id is NULL
	town TEXT,                               -- the talent's (enterprise's) town when submitted
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
	closed_at TEXT,
	policy TEXT,                             -- benefit: the policy applied for (0018)
	period TEXT,                             -- benefit: the year, "2026"
	item TEXT,                               -- benefit: the item ("c1", an apprentice id), '' when none
	-- a row has a talent, or is a benefit application of an enterprise
	CHECK (talent_id IS NOT NULL OR (kind = 'benefit' AND enterprise_id IS NOT NULL))
);

INSERT INTO applications_new (id, version, kind, state, talent_id, enterprise_id, town,
	claimed_tier, proposed_tier, final_tier, tier_reason, form, proposal, returned_fields,
	returned_from, submitted_by, submitted_role, step, step_started_on, deadline,
	certificate_id, created_at, updated_at, closed_at, policy, period, item)
SELECT id, version, kind, state, talent_id, enterprise_id, town,
	claimed_tier, proposed_tier, final_tier, tier_reason, form, proposal, returned_fields,
	returned_from, submitted_by, submitted_role, step, step_started_on, deadline,
	certificate_id, created_at, updated_at, closed_at, policy, period, item
FROM applications;

DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;

CREATE INDEX applications_state ON applications(kind, state, id);
CREATE INDEX applications_talent ON applications(talent_id, id);
CREATE INDEX applications_enterprise ON applications(enterprise_id, id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX applications_town ON applications(town, state, id);
CREATE INDEX applications_deadline ON applications(deadline) WHERE deadline IS NOT NULL;
CREATE UNIQUE INDEX applications_open ON applications(kind, talent_id)
	WHERE kind = 'identification' AND state NOT IN ('certified', 'rejected', 'withdrawn');
CREATE UNIQUE INDEX applications_benefit_open ON applications(talent_id, policy, period, item)
	WHERE kind = 'benefit' AND state NOT IN ('approved', 'rejected', 'withdrawn');
-- one open claim per enterprise, policy, period and item (talent_id NULL is never equal
-- in the index above)
CREATE UNIQUE INDEX applications_enterprise_benefit_open
	ON applications(enterprise_id, policy, period, item)
	WHERE kind = 'benefit' AND talent_id IS NULL AND state NOT IN ('approved', 'rejected', 'withdrawn');

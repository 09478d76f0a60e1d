-- 0008: whole-population policy runs and the entitlements they produce (issue 4, item 4;
-- src/domain/policy_run.h).  The payments issue consumes the 'pending' rows.
--
-- One row of policy_runs per `talentport policy run --period Y`.  A run loads the facts of
-- every talent and enterprise, evaluates the pack and writes its entitlements in ONE
-- transaction with its policy_runs row and its audit record ("policy.run").
--
-- Re-running a period replaces that period's rows whose status is still 'pending' or
-- 'excluded' (deleted and inserted again in the same transaction).  A row whose status
-- has moved on (the payments issue sets the later statuses) is never touched: the new
-- run's row with the same key is not written, and the run counts it as "kept".

CREATE TABLE policy_runs (
	id INTEGER PRIMARY KEY,
	period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 9999),
	pack_id TEXT NOT NULL,
	pack_hash TEXT NOT NULL,        -- hex BLAKE2b-256 of the pack files (policy_run.c: pack_hash)
	started_at TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	talents INTEGER NOT NULL,       -- talents evaluated (skipped ones included)
	enterprises INTEGER NOT NULL,
	skipped INTEGER NOT NULL,       -- talents whose stored facts the pack refused (bad facts)
	entitlements INTEGER NOT NULL,  -- rows written by this run
	kept INTEGER NOT NULL,          -- rows not written: a row with the same key had moved on
	total_fen INTEGER NOT NULL,     -- sum of amount_fen of the pending cash rows written
	status TEXT NOT NULL CHECK (status IN ('done', 'failed'))
);
CREATE INDEX policy_runs_period ON policy_runs(period, id);

-- The key (policy, beneficiary_kind, beneficiary_id, item, period_key, instalment) is the
-- entitlement key of the payments issue: one payment line per key, ever.
CREATE TABLE entitlements (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES policy_runs(id),
	policy TEXT NOT NULL,
	beneficiary_kind TEXT NOT NULL CHECK (beneficiary_kind IN ('talent', 'enterprise')),
	beneficiary_id INTEGER NOT NULL,  -- talents.id or enterprises.id
	item TEXT NOT NULL DEFAULT '',    -- per-item policies: the item's id ("c1": the first
	                                  -- child); '' when the policy is not per item
	period_key TEXT NOT NULL,         -- "2026" (year and once policies) or "2026-03" (month)
	instalment INTEGER NOT NULL CHECK (instalment >= 1),
	-- (written with OR, not IN: a CHECK with an IN list of five builds a temporary b-tree
	-- for every row inserted, which took half the time of writing a run)
	kind TEXT NOT NULL CHECK (kind = 'cash' OR kind = 'loan' OR kind = 'nights' OR
	                          kind = 'service' OR kind = 'points'),
	amount_fen INTEGER,               -- cash and loans; NULL for the others
	quantity INTEGER,                 -- nights, service, points; NULL for cash and loans
	status TEXT NOT NULL,             -- 'pending' (granted), 'excluded'; later ones: payments
	excluded_by TEXT,                 -- the winning policy of the exclusive group
	explanation_hash TEXT NOT NULL,   -- hex BLAKE2b-256 of the explanation JSON (not stored:
	                                  -- recomputed from the facts and the pack on demand)
	created_at TEXT NOT NULL,
	CHECK ((kind IN ('cash', 'loan')) = (amount_fen IS NOT NULL)),
	CHECK ((kind IN ('cash', 'loan')) <> (quantity IS NOT NULL)),
	CHECK ((status = 'excluded') = (excluded_by IS NOT NULL)),
	UNIQUE (policy, beneficiary_kind, beneficiary_id, item, period_key, instalment)
);
-- a run replaces a period's rows: found by period_key (and status) without a scan
CREATE INDEX entitlements_period ON entitlements(period_key, status);
-- GET /api/v1/talents/{id}/entitlements
CREATE INDEX entitlements_beneficiary ON entitlements(beneficiary_kind, beneficiary_id, period_key);

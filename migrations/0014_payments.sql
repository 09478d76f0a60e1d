-- 0014: payments (issue 6): entitlements confirmed and paid, budgets, payment runs and their
-- lines, the double-entry ledger and the notices a beneficiary reads.  docs/payments.md.
--
-- Entitlement statuses after this migration (0008 wrote 'pending' and 'excluded'):
--   pending → confirmed (office, or automatically for the policies of the setting
--   payments.auto_confirm) → paid (the bank paid its line);
--   pending / confirmed → cancelled (office, with the reason in pay_note).
-- "In a run" is not a stored status: it is a confirmed entitlement with a live line (one not
-- failed or cancelled; payment_lines_live below), so building a run writes only its lines
-- (docs/performance.md: updating 10^6 entitlement rows and their indexes halved the speed).
-- A failed line leaves the entitlement confirmed, back in the queue, with the bank's reason
-- in pay_note.
ALTER TABLE entitlements ADD COLUMN confirmed_by TEXT;
ALTER TABLE entitlements ADD COLUMN confirmed_at TEXT;
ALTER TABLE entitlements ADD COLUMN pay_note TEXT;
-- The payment queue: confirmed cash entitlements in the order a run takes them (oldest
-- period first, then id), covering what a run reads (no lookup of the row: a third less
-- time reading 10^6 of them).  Queries must repeat the WHERE clause to use it.
CREATE INDEX entitlements_queue ON entitlements(period_key, id, policy, beneficiary_kind,
	beneficiary_id, item, instalment, amount_fen) WHERE status = 'confirmed' AND kind = 'cash';

-- Yearly budget per policy, set by the office.  A policy without a row is not capped.
CREATE TABLE budgets (
	policy TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (policy, year)
) WITHOUT ROWID;

-- One payment run.  `job` names the durable work in progress over the run's lines (NULL
-- when none); cursor_key/cursor_id is how far it got, written in the same transaction as
-- each batch, so a killed process resumes exactly there (src/domain/payments_job.c).
CREATE TABLE payment_runs (
	id INTEGER PRIMARY KEY,
	period TEXT NOT NULL,                    -- "2026-10": entitlements with period_key <= it
	state TEXT NOT NULL CHECK (state IN ('building', 'draft', 'submitted', 'announced',
	                                     'approved', 'exported', 'reconciled', 'cancelled')),
	job TEXT CHECK (job IN ('build', 'approve', 'export', 'apply', 'cancel')),
	cursor_key TEXT NOT NULL DEFAULT '',
	cursor_id INTEGER NOT NULL DEFAULT 0,
	announce INTEGER NOT NULL DEFAULT 0,     -- some policy of the run needs 公示
	lines INTEGER NOT NULL DEFAULT 0,
	total_fen INTEGER NOT NULL DEFAULT 0,
	waiting INTEGER NOT NULL DEFAULT 0,      -- entitlements due that wait (budget, account)
	waiting_fen INTEGER NOT NULL DEFAULT 0,
	paid INTEGER NOT NULL DEFAULT 0,
	paid_fen INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	failed_fen INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL,               -- the preparer (username; "system" at the CLI)
	created_by_id INTEGER NOT NULL DEFAULT 0,
	submitted_by TEXT, submitted_by_id INTEGER,
	approved_by TEXT, approved_by_id INTEGER,
	cancel_reason TEXT,
	version INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
-- at most one run builds at a time: budgets are shared
CREATE UNIQUE INDEX payment_runs_one_build ON payment_runs(job) WHERE job = 'build';

-- One line per entitlement paid by a run; the entitlement key is copied for the files.
--
-- No key is ever in two live lines (a failed or cancelled line no longer holds its key; a
-- paid one holds it for good): payment_lines_live allows one live line per entitlement id,
-- and an entitlement id stands for one key for good — the key is UNIQUE in entitlements
-- (0008), a row with a line cannot be deleted (the foreign key below) and its key cannot be
-- changed once confirmed (entitlements_key_fixed).  A six-column unique index on the copied
-- key said the same twice and halved the speed of building a run (docs/performance.md);
-- `talentport ledger check` verifies it on the data anyway.
CREATE TABLE payment_lines (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES payment_runs(id),
	entitlement_id INTEGER NOT NULL REFERENCES entitlements(id),
	policy TEXT NOT NULL,
	beneficiary_kind TEXT NOT NULL,
	beneficiary_id INTEGER NOT NULL,
	item TEXT NOT NULL,
	period_key TEXT NOT NULL,
	instalment INTEGER NOT NULL,
	budget_year INTEGER NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	status TEXT NOT NULL CHECK (status = 'pending' OR status = 'exported' OR status = 'paid'
	                            OR status = 'failed' OR status = 'cancelled'),
	bank TEXT, branch TEXT, account_name TEXT, account_mask TEXT, -- snapshot at build
	result TEXT CHECK (result IS NULL OR result = 'paid' OR result = 'failed'),
	reason TEXT,                             -- the bank's reason of a failure
	bank_ref TEXT,
	result_at TEXT
);
CREATE UNIQUE INDEX payment_lines_live ON payment_lines(entitlement_id)
	WHERE status <> 'failed' AND status <> 'cancelled';
CREATE INDEX payment_lines_run ON payment_lines(run_id, id);

CREATE TRIGGER entitlements_key_fixed
BEFORE UPDATE OF policy, beneficiary_kind, beneficiary_id, item, period_key, instalment, amount_fen
ON entitlements WHEN OLD.status NOT IN ('pending', 'excluded')
BEGIN
	SELECT RAISE(ABORT, 'the key and amount of a confirmed entitlement do not change');
END;

-- Entitlements a run found due but left waiting, and why ('budget', 'no_bank_account',
-- 'account_hold').  Written with the batch that saw them.
CREATE TABLE payment_waits (
	run_id INTEGER NOT NULL REFERENCES payment_runs(id),
	entitlement_id INTEGER NOT NULL,
	policy TEXT NOT NULL,
	budget_year INTEGER NOT NULL,
	amount_fen INTEGER NOT NULL,
	reason TEXT NOT NULL,
	PRIMARY KEY (run_id, entitlement_id)
) WITHOUT ROWID;

-- The ledger: double-entry, append-only, in fen.  Each entry's postings sum to zero.
-- Accounts: "budget:<policy>:<year>", "payable:<kind>:<id>", "bank_clearing",
-- "paid:<policy>:<year>".  A posting moves amount_fen INTO its account (negative: out).
CREATE TABLE ledger_entries (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('approve', 'export', 'paid', 'failed', 'correction')),
	run_id INTEGER REFERENCES payment_runs(id),
	memo TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE TABLE ledger_postings (
	id INTEGER PRIMARY KEY,
	entry_id INTEGER NOT NULL REFERENCES ledger_entries(id),
	account TEXT NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0),
	line_id INTEGER,
	entitlement_id INTEGER
);
CREATE INDEX ledger_postings_entry ON ledger_postings(entry_id);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;

-- What the platform tells a beneficiary (talent or enterprise): GET /api/v1/notices.
CREATE TABLE notices (
	id INTEGER PRIMARY KEY,
	beneficiary_kind TEXT NOT NULL,
	beneficiary_id INTEGER NOT NULL,
	kind TEXT NOT NULL,                      -- 'entitlement.confirmed', 'payment.failed', 'payment.paid'
	entitlement_id INTEGER,
	policy TEXT, period_key TEXT,
	amount_fen INTEGER,
	text_zh TEXT NOT NULL,
	text_en TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX notices_beneficiary ON notices(beneficiary_kind, beneficiary_id, id);

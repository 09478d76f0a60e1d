-- 0015: where the money goes — a bank account per beneficiary (issue 6 item 2;
-- src/domain/bank_accounts.h, docs/payments-accounts.md).
--
-- A beneficiary is a talent or an enterprise (beneficiary_kind + beneficiary_id).  Rows
-- are never overwritten: a change inserts a new row naming the one it replaced
-- (previous_id) and marks the old one replaced (replaced_at, replaced_by); at most one row
-- per beneficiary is current (replaced_at IS NULL).  The account number is sealed like ID
-- numbers (aad "bank_accounts.number", core/crypto.h) and kept masked for display.
-- A change (previous_id set) within 30 days holds the next payment until an office
-- reviewer or finance confirms it (confirmed_at/confirmed_by).  A bank's "account closed"
-- answer marks the current row invalid (invalid_at/invalid_reason) until it is replaced.
-- Times are unix seconds (UTC).

CREATE TABLE bank_accounts (
	id INTEGER PRIMARY KEY,
	beneficiary_kind TEXT NOT NULL CHECK (beneficiary_kind IN ('talent', 'enterprise')),
	beneficiary_id INTEGER NOT NULL,
	account_type TEXT NOT NULL CHECK (account_type IN ('personal_card', 'corporate')),
	bank TEXT NOT NULL,
	branch TEXT NOT NULL,
	account_name TEXT NOT NULL,
	number_enc BLOB NOT NULL,
	number_mask TEXT NOT NULL,
	previous_id INTEGER REFERENCES bank_accounts(id),
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_by_name TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	replaced_at INTEGER,
	replaced_by INTEGER REFERENCES bank_accounts(id),
	confirmed_at INTEGER,
	confirmed_by TEXT,
	invalid_at INTEGER,
	invalid_reason TEXT
);
CREATE UNIQUE INDEX bank_accounts_current ON bank_accounts(beneficiary_kind, beneficiary_id)
	WHERE replaced_at IS NULL;
CREATE INDEX bank_accounts_history ON bank_accounts(beneficiary_kind, beneficiary_id, id);

-- what was written stays written: only the replacement, confirmation and invalid marks move,
-- and number_enc when a key rotation (`talentport keys rotate`) re-seals the same number
CREATE TRIGGER bank_accounts_fixed BEFORE UPDATE OF beneficiary_kind, beneficiary_id,
	account_type, bank, branch, account_name, number_mask, previous_id,
	created_at, created_by, created_by_name, reason ON bank_accounts
BEGIN
	SELECT RAISE(ABORT, 'bank_accounts rows are not rewritten');
END;
CREATE TRIGGER bank_accounts_no_delete BEFORE DELETE ON bank_accounts
BEGIN
	SELECT RAISE(ABORT, 'bank_accounts rows are not deleted');
END;

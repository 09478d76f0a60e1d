-- 0020: the current account of a beneficiary as a payment run's build reads it (issue 6
-- benchmark, docs/performance.md "Payments").  store queue_batch joins each entitlement to
-- its beneficiary's current account (replaced_at IS NULL); bank_accounts_current, partial,
-- is not used for a LEFT JOIN's ON clause, so the join went through bank_accounts_history
-- and a lookup of the whole row (with its encrypted number) per line.  This index holds
-- every column the build reads: one index seek per line, no row lookup.  replaced_at is a
-- key column (IS NULL is an equality for the planner); replaced rows are few.  The id comes
-- first: SQLite's integer fast path then settles almost every comparison of the seek
-- (with the kind first, all equal, each went through the general record comparison).
CREATE INDEX bank_accounts_pay ON bank_accounts(beneficiary_id, beneficiary_kind, replaced_at,
	id, previous_id, created_at, confirmed_at, invalid_at, bank, branch, account_name,
	number_mask);

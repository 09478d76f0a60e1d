-- 0019: clawbacks offset against later payments (issue 6, item 6; docs/payments.md
-- "Clawbacks offset against later payments").
--
-- An open clawback (a negative adjustment of 0017, status pending or confirmed) is netted by
-- the payment-run build against the same beneficiary's lines, oldest clawback first, in
-- the order the run takes its lines.  A line keeps its gross amount (the entitlement's:
-- what the budget commits and the ledger approves); offset_fen of it is held back for the
-- clawbacks (never more than the line), and the bank is sent amount_fen - offset_fen.
-- Each part is a payment_offsets row: which clawback, how much.  An offset counts while its
-- line is live (not failed, not cancelled), exactly like the line's hold on its
-- entitlement: a failed or cancelled line gives the clawback its amount back, and what a
-- run could not offset stays outstanding for the next one.
ALTER TABLE payment_lines ADD COLUMN offset_fen INTEGER NOT NULL DEFAULT 0
	CHECK (offset_fen >= 0);
ALTER TABLE payment_runs ADD COLUMN offset_fen INTEGER NOT NULL DEFAULT 0;

CREATE TABLE payment_offsets (
	line_id INTEGER NOT NULL REFERENCES payment_lines(id),
	clawback_id INTEGER NOT NULL REFERENCES entitlements(id),
	run_id INTEGER NOT NULL REFERENCES payment_runs(id),
	policy TEXT NOT NULL,          -- the clawback's policy and year: the budget it returns to
	budget_year INTEGER NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	PRIMARY KEY (line_id, clawback_id)
) WITHOUT ROWID;
CREATE INDEX payment_offsets_clawback ON payment_offsets(clawback_id);

-- The open clawbacks of a beneficiary, found without a scan of entitlements.
CREATE INDEX entitlements_clawbacks ON entitlements(beneficiary_kind, beneficiary_id, id)
	WHERE amount_fen < 0 AND adjusts IS NOT NULL AND status IN ('pending', 'confirmed');

-- Never more offset than the clawback (counting the live lines' offsets only).
CREATE TRIGGER payment_offsets_within BEFORE INSERT ON payment_offsets
WHEN NEW.amount_fen + (SELECT COALESCE(SUM(o.amount_fen), 0) FROM payment_offsets o
	JOIN payment_lines l ON l.id = o.line_id
	WHERE o.clawback_id = NEW.clawback_id AND l.status <> 'failed' AND l.status <> 'cancelled')
     > -(SELECT amount_fen FROM entitlements WHERE id = NEW.clawback_id)
BEGIN
	SELECT RAISE(ABORT, 'offsets exceed the clawback');
END;
CREATE TRIGGER payment_offsets_no_update BEFORE UPDATE ON payment_offsets
BEGIN
	SELECT RAISE(ABORT, 'payment_offsets is append-only');
END;
CREATE TRIGGER payment_offsets_no_delete BEFORE DELETE ON payment_offsets
BEGIN
	SELECT RAISE(ABORT, 'payment_offsets is append-only');
END;

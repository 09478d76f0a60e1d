-- 0018: applied benefits through the workflow engine, prefilled from the facts the platform
-- holds (快申快享; issue 6, item 1; docs/payments.md "Applied benefits").
--
-- A benefit application (kind 'benefit', workflows/benefit.yaml) is an application of 0009
-- for one apply-channel policy, period and item.  Its `proposal` holds what the platform
-- computed when it was (re)submitted: the facts snapshot, the entitlements (amount per
-- instalment) and their explanations.  The office's final approval confirms the
-- entitlement rows of that key in the transaction that approves it.

ALTER TABLE applications ADD COLUMN policy TEXT;    -- benefit: the policy applied for
ALTER TABLE applications ADD COLUMN period TEXT;    -- benefit: the year, "2026"
ALTER TABLE applications ADD COLUMN item TEXT;      -- benefit: the item ("c1"), '' when none

-- 0009's "one open application per talent and kind" now holds for identification only;
-- a talent may have open benefit applications for different policies, periods and items,
-- but one per key.
DROP INDEX applications_open;
CREATE UNIQUE INDEX applications_open ON applications(kind, talent_id)
	WHERE kind = 'identification' AND state NOT IN ('certified', 'rejected', 'withdrawn');
CREATE UNIQUE INDEX applications_benefit_open ON applications(talent_id, policy, period, item)
	WHERE kind = 'benefit' AND state NOT IN ('approved', 'rejected', 'withdrawn');

-- Entitlements of apply-channel policies (written so by `policy run` from now on) need an
-- approved application: bulk and automatic confirmation skip them (confirming one by id is
-- refused), and the approval of application_id confirms them.  Rows written before this
-- migration carry 0 until the next policy run of their period replaces them.
ALTER TABLE entitlements ADD COLUMN needs_application INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entitlements ADD COLUMN application_id INTEGER REFERENCES applications(id);

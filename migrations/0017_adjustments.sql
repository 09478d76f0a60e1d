-- 0017: retroactive adjustments (issue 6, item 6; docs/payments.md "Retroactive changes").
--
-- `talentport payments recalc --period Y` (POST /api/v1/recalculations) evaluates year Y again
-- with the current pack and facts and compares, per entitlement key, the new amount with what
-- is owed so far for every confirmed or paid cash entitlement of the period: its amount plus
-- the amounts of its adjustments not cancelled.  A difference is written as an adjustment: an
-- entitlements row with
--   adjusts     = the original entitlement's id,
--   adjustment  = 1, 2, … (its sequence among the original's adjustments),
--   item        = the original's item + "#adj<N>" (so the 0008 key stays unique: the
--                 original's key plus the sequence),
--   amount_fen  = new - old (positive: arrears; negative: a clawback), status 'pending',
--   old_fen / new_fen = the amounts compared, old_hash = the explanation hash of the amount
--   owed so far (the original's, or the last adjustment's), explanation_hash = the new one,
--   run_id = the original's run.
-- Running it again finds old = new and writes nothing.
ALTER TABLE entitlements ADD COLUMN adjusts INTEGER REFERENCES entitlements(id);
ALTER TABLE entitlements ADD COLUMN adjustment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entitlements ADD COLUMN old_fen INTEGER;
ALTER TABLE entitlements ADD COLUMN new_fen INTEGER;
ALTER TABLE entitlements ADD COLUMN old_hash TEXT;
CREATE UNIQUE INDEX entitlements_adjustments ON entitlements(adjusts, adjustment)
	WHERE adjusts IS NOT NULL;

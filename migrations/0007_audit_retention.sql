-- 0007: the retention of the audit log is enforced by the database too.
--
-- A record may leave audit_log only when an archive row covers it (0006) AND it is older
-- than 180 days (网络安全法 art. 21: logs kept at least six months).  Without the second
-- condition anyone able to insert a row into audit_archives could remove recent history
-- with the triggers still in place.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_archives WHERE OLD.id BETWEEN first_id AND last_id)
  OR OLD.at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: only archived records older than 180 days may be removed');
END;

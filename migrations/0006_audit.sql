-- 0006: the tamper-evident audit log (src/domain/audit.h).
--
-- Append-only and hash-chained: hash = BLAKE2b-256(prev_hash || canonical fields), the
-- canonical form being documented in src/domain/audit.c.  The triggers below refuse
-- UPDATE always and DELETE except of a range already written to a signed archive file
-- (recorded in audit_archives first, in the same transaction).  Someone who can drop a
-- trigger can still change a row: `talentport audit verify` then names it.
--
-- Ids are given by the code (the last id + 1, the last archived id + 1 when the table is
-- empty) and are part of the hash, so the numbering is continuous across archives.
-- Appends are serialized by the write lock and read the last hash inside it, so the
-- chain cannot fork; `audit verify` checks every hash and link.  Indexes are kept to
-- the two that stay cheap to write (bench/bench_security: the actor and action indexes
-- and UNIQUE hash/prev_hash doubled what the audit record adds to a PATCH, 350 -> 170 µs
-- on this VM); filters on actor and action scan within the time range.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,              -- UTC, 2026-11-27T02:21:15.123Z
    actor_id    INTEGER NOT NULL DEFAULT 0, -- 0: anonymous or the command line
    actor       TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    reason      TEXT NOT NULL DEFAULT '',
    change_hash TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- the filters of GET /api/v1/audit (the rowid trails each index, so keyset paging by id
-- is served from the index too)
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

-- One row per archive file: records first_id..last_id were written to a file whose
-- SHA-256 is file_sha256, and the chain continues from last_hash.
CREATE TABLE audit_archives (
    id          INTEGER PRIMARY KEY,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL CHECK (last_id >= first_id),
    last_hash   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    archived_by TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_archives WHERE OLD.id BETWEEN first_id AND last_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: only archived records may be removed');
END;

CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit_archives is append-only');
END;

CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit_archives is append-only');
END;

-- 0010: evidence files of applications (issue 5, item 3; src/domain/evidence.h).
--
-- The bytes are NOT in the database: they live content-addressed in the files directory
-- (`<db>.files/sha256/ab/cdef…`, or `serve --files-dir`), named by their SHA-256.  A row
-- here says which application a blob belongs to, under which display name (cleaned; never
-- used on disk), with which content type (sniffed from the bytes, never from the name).
--
-- application_id has no foreign key yet: the applications table comes with migration 0009
-- (the workflow), which adds the reference when it rebuilds this table or checks it in the
-- domain.  Rows are never deleted: a delete sets deleted_at/deleted_by (the blob stays, as
-- other rows may share it and the audit trail names its hash).

CREATE TABLE application_files (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL CHECK (application_id > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	content_type TEXT NOT NULL CHECK (content_type = 'application/pdf' OR
	                                  content_type = 'image/jpeg' OR
	                                  content_type = 'image/png'),
	size INTEGER NOT NULL CHECK (size > 0),
	uploaded_by INTEGER NOT NULL,      -- users.id (0: the command line)
	uploaded_at INTEGER NOT NULL,      -- unix seconds
	deleted_at INTEGER,                -- unix seconds; NULL while the file is current
	deleted_by INTEGER,
	CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
);
-- one current row per content per application: a second upload of the same bytes returns
-- the first row; the per-application total is a sum over the current rows
CREATE UNIQUE INDEX application_files_current ON application_files(application_id, sha256)
	WHERE deleted_at IS NULL;
CREATE INDEX application_files_app ON application_files(application_id, id);

-- 0012: enterprise self-identification (企业自主认定), issue 5 item 4
-- (src/domain/self_identification.h, docs/self-identification.md).
--
-- Qualified enterprises may certify their own staff as 一类/二类/三类 [article]; which
-- enterprises qualify and their yearly quotas are [design] (policy-facts.md).  Both are data
-- here, so the talent office changes them without a rebuild: the criteria in
-- self_id_criteria (which checks are on) and the default quotas by enterprise size in
-- self_id_quota_defaults.  They are tables and not a YAML file under policies/jinjiang/,
-- whose *.yaml files are all read as the benefit pack.

-- The qualification criteria the platform knows how to check; enabled = 0 switches one off.
--   industry_4341   the enterprise's industry is in the "4341" system (industries.is_4341 = 1)
--   size_recorded   the enterprise's size is recorded (the default quotas follow it)
CREATE TABLE self_id_criteria (
	code TEXT PRIMARY KEY,
	enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);
INSERT INTO self_id_criteria (code, enabled, name_zh, name_en) VALUES
('industry_4341', 1, '所属行业属于“4341”现代产业体系', 'industry in the "4341" modern industrial system'),
('size_recorded', 1, '已登记企业规模', 'enterprise size recorded');

-- Default yearly quota per category by enterprise size, copied into enterprise_quotas when
-- the office qualifies an enterprise for a year (then set per enterprise).  [design]
-- placeholders: no public figure was found; the talent office edits them.
CREATE TABLE self_id_quota_defaults (
	size TEXT NOT NULL REFERENCES enterprise_sizes(code),
	category INTEGER NOT NULL CHECK (category BETWEEN 1 AND 3),
	quota INTEGER NOT NULL CHECK (quota BETWEEN 0 AND 100000),
	PRIMARY KEY (size, category)
) WITHOUT ROWID;
INSERT INTO self_id_quota_defaults (size, category, quota) VALUES
('micro', 1, 0), ('micro', 2, 1), ('micro', 3, 2),
('small', 1, 0), ('small', 2, 2), ('small', 3, 4),
('medium', 1, 1), ('medium', 2, 3), ('medium', 3, 6),
('large', 1, 2), ('large', 2, 5), ('large', 3, 10);

-- An enterprise qualified for self-identification in a year (*_by: the acting username).
CREATE TABLE enterprise_qualifications (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	qualified_by TEXT NOT NULL,
	qualified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
	PRIMARY KEY (enterprise_id, year)
) WITHOUT ROWID;

-- The quota per category of a qualified enterprise and year, set by the office.
CREATE TABLE enterprise_quotas (
	enterprise_id INTEGER NOT NULL,
	year INTEGER NOT NULL,
	category INTEGER NOT NULL CHECK (category BETWEEN 1 AND 3),
	quota INTEGER NOT NULL CHECK (quota BETWEEN 0 AND 100000),
	set_by TEXT NOT NULL,
	set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	PRIMARY KEY (enterprise_id, year, category),
	FOREIGN KEY (enterprise_id, year) REFERENCES enterprise_qualifications(enterprise_id, year)
) WITHOUT ROWID;

-- One nomination of a talent by an enterprise for a year.  status: 'active' (counts against
-- the quota and feeds person.self_identified), 'withdrawn' by the employer before the office
-- audited it (frees the slot, as if never made), 'revoked' by the office with a reason (frees
-- the slot; the talent cannot be nominated again that year).
CREATE TABLE self_identifications (
	id INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	talent_id INTEGER NOT NULL REFERENCES talents(id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	category INTEGER NOT NULL CHECK (category BETWEEN 1 AND 3),
	justification TEXT NOT NULL CHECK (length(justification) BETWEEN 1 AND 500),
	valid_from TEXT NOT NULL,
	valid_to TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn', 'revoked')),
	nominated_by TEXT NOT NULL,
	nominated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	audit_note TEXT,
	audited_by TEXT,
	audited_at TEXT,
	revoked_reason TEXT,
	revoked_by TEXT,
	revoked_at TEXT,
	withdrawn_at TEXT,
	CHECK (valid_to >= valid_from)
);
-- a talent is nominated at most once a year (a withdrawn nomination does not count)
CREATE UNIQUE INDEX self_identifications_once ON self_identifications(talent_id, year)
	WHERE status != 'withdrawn';
CREATE INDEX self_identifications_enterprise ON self_identifications(enterprise_id, year, category);

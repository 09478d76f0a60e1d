-- 0001: the talent registry and its reference codes.
-- Reference data are tables so that the talent office edits them without a rebuild.

CREATE TABLE towns (
	code TEXT PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('street', 'town')),
	sort INTEGER NOT NULL
);

-- "4341" modern industrial system: 4 + 3 + 4 + 1 groups.  The group names were not
-- found in public sources [design]; the chains are Jinjiang's known ones [public].
-- editable = 1: the talent office renames, adds and regroups these.
CREATE TABLE industries (
	code TEXT PRIMARY KEY,
	parent TEXT REFERENCES industries(code),
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	is_4341 INTEGER NOT NULL DEFAULT 1,
	editable INTEGER NOT NULL DEFAULT 1,
	sort INTEGER NOT NULL
);

CREATE TABLE degrees (
	code TEXT PRIMARY KEY,
	rank INTEGER NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE titles (
	code TEXT PRIMARY KEY,
	rank INTEGER NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);

-- National vocational skill levels: level 1 is the highest (高级技师).
CREATE TABLE skill_levels (
	code TEXT PRIMARY KEY,
	rank INTEGER NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE enterprise_sizes (
	code TEXT PRIMARY KEY,
	rank INTEGER NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE enterprises (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	name TEXT NOT NULL,
	credit_code TEXT NOT NULL UNIQUE,
	town TEXT NOT NULL REFERENCES towns(code),
	industry TEXT REFERENCES industries(code),
	size TEXT REFERENCES enterprise_sizes(code),
	contact_name TEXT,
	contact_phone TEXT,
	address TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX enterprises_name ON enterprises(name);
CREATE INDEX enterprises_town ON enterprises(town);
CREATE INDEX enterprises_industry ON enterprises(industry);

CREATE TABLE talents (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	name TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),
	id_number TEXT NOT NULL UNIQUE,
	birth_date TEXT NOT NULL,
	phone TEXT,
	email TEXT,
	degree TEXT REFERENCES degrees(code),
	double_first_class INTEGER,
	graduated_on TEXT,
	title TEXT REFERENCES titles(code),
	skill_level INTEGER CHECK (skill_level BETWEEN 1 AND 5),
	enterprise_id INTEGER REFERENCES enterprises(id),
	town TEXT REFERENCES towns(code),
	industry TEXT REFERENCES industries(code),
	tier INTEGER CHECK (tier BETWEEN 1 AND 7),
	tier_from TEXT,
	tier_to TEXT,
	quanzhou_level INTEGER CHECK (quanzhou_level BETWEEN 1 AND 5),
	quanzhou_selected_on TEXT,
	provincial_level INTEGER CHECK (provincial_level BETWEEN 1 AND 3),
	provincial_selected_on TEXT,
	short_term INTEGER NOT NULL DEFAULT 0,
	home_contract_date TEXT,
	home_area_cm2 INTEGER,
	home_in_jinjiang INTEGER,
	home_first INTEGER,
	startup_registered_on TEXT,
	startup_in_jinjiang INTEGER,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- name is searched by prefix (a Chinese surname first); the index serves names of any length.
CREATE INDEX talents_name ON talents(name);
CREATE INDEX talents_town ON talents(town, id);
CREATE INDEX talents_industry ON talents(industry, id);
CREATE INDEX talents_tier ON talents(tier, id);
CREATE INDEX talents_degree ON talents(degree, id);
CREATE INDEX talents_enterprise ON talents(enterprise_id, id);

CREATE TABLE talent_educations (
	talent_id INTEGER NOT NULL REFERENCES talents(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	degree TEXT NOT NULL REFERENCES degrees(code),
	school TEXT,
	major TEXT,
	graduated_on TEXT,
	double_first_class INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (talent_id, seq)
) WITHOUT ROWID;

CREATE TABLE talent_years (
	talent_id INTEGER NOT NULL REFERENCES talents(id) ON DELETE CASCADE,
	year INTEGER NOT NULL,
	insured_months INTEGER NOT NULL DEFAULT 0,
	days_in_jinjiang INTEGER,
	PRIMARY KEY (talent_id, year)
) WITHOUT ROWID;

CREATE TABLE talent_children (
	talent_id INTEGER NOT NULL REFERENCES talents(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	name TEXT,
	birth_date TEXT NOT NULL,
	PRIMARY KEY (talent_id, seq)
) WITHOUT ROWID;

CREATE TABLE employments (
	id INTEGER PRIMARY KEY,
	talent_id INTEGER NOT NULL REFERENCES talents(id) ON DELETE CASCADE,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	started_on TEXT NOT NULL,
	ended_on TEXT,
	position TEXT,
	annual_salary_fen INTEGER,
	CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX employments_talent ON employments(talent_id, started_on);
CREATE INDEX employments_enterprise ON employments(enterprise_id);

CREATE TABLE imports (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	format TEXT NOT NULL,
	filename TEXT,
	rows_total INTEGER NOT NULL,
	rows_imported INTEGER NOT NULL,
	rows_failed INTEGER NOT NULL,
	all_or_nothing INTEGER NOT NULL,
	committed INTEGER NOT NULL,
	report BLOB,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

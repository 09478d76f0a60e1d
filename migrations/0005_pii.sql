-- 0005: personal data encrypted at rest (ID numbers and phones; docs/operations.md "Keys").
-- Each value becomes three columns: *_enc the sealed value (core/crypto.h: XChaCha20-Poly1305,
-- the column's name authenticated with it), *_bidx a keyed hash for exact lookups and
-- uniqueness, *_mask the masked form every list shows (so lists decrypt nothing).
--
-- SQL cannot encrypt, so the plaintext is first copied into legacy_* columns; the store hooks
-- this migration (src/store/sqlite/pii.c, same transaction) to seal every legacy value, clear
-- it and drop the legacy_* columns, then VACUUMs after the migrate so that no freed page keeps
-- plaintext.  Run by hand, this file alone loses nothing: the values wait in legacy_*.
--
-- talents.id_number is UNIQUE, which ALTER TABLE cannot drop, so talents is rebuilt
-- (sqlite.org/lang_altertable.html, "making other kinds of table schema changes"): foreign
-- keys are off during migrations and checked before each one commits (sqlite.c).

-- The key file a database belongs to: opening it with another key file is refused.
CREATE TABLE crypto_meta (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	fingerprint TEXT NOT NULL, -- keyring_fingerprint(): 16 hex of a hash of the index key
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE talents_new (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	name TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),
	id_number_enc BLOB,         -- sealed, aad "talents.id_number"
	id_number_bidx BLOB UNIQUE, -- blind index ("id_number"): find by ID number, one per person
	id_number_mask TEXT,        -- "350582********123X"
	birth_date TEXT NOT NULL,
	phone_enc BLOB,             -- sealed, aad "talents.phone"
	phone_bidx BLOB,            -- blind index ("phone")
	phone_mask TEXT,            -- "138****5678"
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
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	legacy_id_number TEXT,      -- plaintext waiting to be sealed: dropped by this migration
	legacy_phone TEXT
);

INSERT INTO talents_new (id, version, name, gender, legacy_id_number, birth_date, legacy_phone,
	email, degree, double_first_class, graduated_on, title, skill_level, enterprise_id, town,
	industry, tier, tier_from, tier_to, quanzhou_level, quanzhou_selected_on, provincial_level,
	provincial_selected_on, short_term, home_contract_date, home_area_cm2, home_in_jinjiang,
	home_first, startup_registered_on, startup_in_jinjiang, created_at, updated_at)
SELECT id, version, name, gender, id_number, birth_date, phone,
	email, degree, double_first_class, graduated_on, title, skill_level, enterprise_id, town,
	industry, tier, tier_from, tier_to, quanzhou_level, quanzhou_selected_on, provincial_level,
	provincial_selected_on, short_term, home_contract_date, home_area_cm2, home_in_jinjiang,
	home_first, startup_registered_on, startup_in_jinjiang, created_at, updated_at
FROM talents;

DROP TABLE talents;
-- legacy renaming: leave the references to "talents" in other tables, views and triggers as
-- they are (they name the rebuilt table once it takes the name)
PRAGMA legacy_alter_table = ON;
ALTER TABLE talents_new RENAME TO talents;
PRAGMA legacy_alter_table = OFF;

-- the indexes of 0001 and 0003 (any other index or trigger on talents is carried over by the
-- hook, from the DDL it saved before this script ran)
CREATE INDEX talents_name ON talents(name);
CREATE INDEX talents_town ON talents(town, id);
CREATE INDEX talents_industry ON talents(industry, id);
CREATE INDEX talents_tier ON talents(tier, id);
CREATE INDEX talents_degree ON talents(degree, id);
CREATE INDEX talents_enterprise ON talents(enterprise_id, id);
CREATE INDEX talents_town_tier ON talents(town, tier, id);
CREATE INDEX talents_industry_tier ON talents(industry, tier, id);

-- enterprises.contact_phone carries no constraint: renamed in place, no rebuild
ALTER TABLE enterprises RENAME COLUMN contact_phone TO legacy_contact_phone;
ALTER TABLE enterprises ADD COLUMN contact_phone_enc BLOB;   -- aad "enterprises.contact_phone"
ALTER TABLE enterprises ADD COLUMN contact_phone_mask TEXT;

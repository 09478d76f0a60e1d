/*
 * test_pii.c — personal data sealed at rest (store/sqlite/pii.c, migrations/0005_pii.sql):
 * round trips, no plaintext in the columns or the file, lookups by blind index, the key
 * file checks at open, key rotation, and the upgrade of a plaintext database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "store/migrations.h"
#include "store/store.h"

struct fx {
	char dir[64];
	char db[128];
	char key[160];
	struct store *st;
	struct arena *a;
};

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char p[512];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static struct store *open_store(const char *db, int flags)
{
	char err[1024];
	struct store *st = NULL;
	if (store_open(db, flags, &st, err, sizeof err) != TP_OK)
		fail_msg("store_open %s: %s", db, err);
	return st;
}

static int setup_dir(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	unsetenv("TALENTPORT_KEY_FILE");
	snprintf(f->dir, sizeof f->dir, "/tmp/tp_test_pii_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	snprintf(f->key, sizeof f->key, "%s.key", f->db);
	f->a = arena_new();
	*state = f;
	return 0;
}

static int setup(void **state)
{
	if (setup_dir(state) != 0)
		return -1;
	struct fx *f = *state;
	char err[1024];
	if (store_open(f->db, STORE_CREATE, &f->st, err, sizeof err) != TP_OK)
		return -1;
	int applied, version;
	return store_migrate(f->st, &applied, &version) == TP_OK ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	arena_free(f->a);
	unsetenv("TALENTPORT_KEY_FILE");
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* A distinct valid ID number (GB 11643 MOD 11-2) for each k < 13440. */
static void make_id(unsigned k, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char buf[32];
	snprintf(buf, sizeof buf, "350582%04u%02u%02u321", 1960 + k / 336, 1 + (k / 28) % 12,
	         1 + k % 28);
	memcpy(out, buf, 17);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static struct talent person(const char *name, const char *idn, const char *phone)
{
	struct talent t;
	memset(&t, 0, sizeof t);
	t.name = name;
	t.gender = "M";
	t.id_number = idn;
	t.phone = phone;
	t.birth_date = "1990-01-01";
	t.double_first_class = -1;
	t.home_area_cm2 = -1;
	t.home_in_jinjiang = t.home_first = t.startup_in_jinjiang = -1;
	t.town = "350582102";
	return t;
}

/* The whole of a file (NULL and *n = 0 when it does not exist); caller frees. */
static unsigned char *slurp(const char *path, size_t *n)
{
	*n = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16;
	unsigned char *buf = malloc(cap);
	assert_non_null(buf);
	size_t r;
	while ((r = fread(buf + *n, 1, cap - *n, fp)) > 0) {
		*n += r;
		if (*n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(fp);
	return buf;
}

/* How many of the database's files (db, -wal) contain s. */
static int file_hits(const char *db, const char *s)
{
	static const char *const suffix[] = {"", "-wal", "-journal"};
	int hits = 0;
	for (size_t i = 0; i < 3; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		size_t n;
		unsigned char *buf = slurp(p, &n);
		if (buf && memmem(buf, n, s, strlen(s)))
			hits++;
		free(buf);
	}
	return hits;
}

static sqlite3 *raw_open(const char *db)
{
	sqlite3 *r;
	assert_int_equal(sqlite3_open_v2(db, &r, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	return r;
}

/* ---- round trips -------------------------------------------------------------------------- */

static void round_trip_and_raw_columns(void **state)
{
	struct fx *f = *state;
	char idn[19];
	make_id(7, idn);
	struct talent t = person("王芳", idn, "13812345678");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);

	struct talent g;
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &g), TP_OK);
	assert_string_equal(g.id_number, idn);
	assert_string_equal(g.phone, "13812345678");
	assert_string_equal(g.phone_mask, "138****5678");
	assert_int_equal(strncmp(g.id_number_mask, "350582********", 14), 0);
	assert_string_equal(g.id_number_mask + 14, idn + 14);

	/* an update re-seals; a phone taken away is gone */
	g.phone = NULL;
	assert_int_equal(STORE_CALL(talent_update, f->st, &g), TP_OK);
	struct talent h;
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &h), TP_OK);
	assert_null(h.phone);
	assert_null(h.phone_mask);
	assert_string_equal(h.id_number, idn);
	h.phone = "0595-85681234";
	assert_int_equal(STORE_CALL(talent_update, f->st, &h), TP_OK);

	/* lists carry the masks only */
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 10;
	struct talent_page p;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.n, 1);
	assert_null(p.items[0].id_number);
	assert_null(p.items[0].phone);
	assert_string_equal(p.items[0].id_number_mask, g.id_number_mask);
	assert_non_null(p.items[0].phone_mask);

	/* the raw columns: sealed bytes, no plaintext; the plaintext columns are gone */
	sqlite3 *r = raw_open(f->db);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(r,
	                                    "SELECT id_number_enc, phone_enc, id_number_bidx, "
	                                    "id_number_mask, phone_mask FROM talents",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	for (int c = 0; c < 3; c++) {
		assert_int_equal(sqlite3_column_type(st, c), SQLITE_BLOB);
		const void *b = sqlite3_column_blob(st, c);
		size_t n = (size_t)sqlite3_column_bytes(st, c);
		assert_null(memmem(b, n, idn, 18));
		assert_null(memmem(b, n, "85681234", 8));
		assert_null(memmem(b, n, idn + 6, 8)); /* not even the birth date part */
	}
	assert_int_equal(sqlite3_column_bytes(st, 0), 18 + 45);
	assert_int_equal(sqlite3_column_bytes(st, 2), 16);
	assert_string_equal(sqlite3_column_text(st, 4), "059********34");
	sqlite3_finalize(st);
	assert_int_not_equal(sqlite3_prepare_v2(r, "SELECT id_number FROM talents", -1, &st, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(sqlite3_prepare_v2(r, "SELECT phone FROM talents", -1, &st, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_prepare_v2(r, "SELECT contact_phone FROM enterprises", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_close(r);

	/* and nowhere in the files, once the WAL is checkpointed or not */
	assert_int_equal(file_hits(f->db, idn), 0);
	assert_int_equal(file_hits(f->db, "13812345678"), 0);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(file_hits(f->db, idn), 0);
	assert_int_equal(file_hits(f->db, "0595-85681234"), 0);
}

static void find_list_and_duplicates(void **state)
{
	struct fx *f = *state;
	char ids[5][19];
	for (unsigned i = 0; i < 5; i++) {
		make_id(100 + i, ids[i]);
		struct talent t = person("李娜", ids[i], NULL);
		assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	}
	int64_t id = 0;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ids[3], &id), TP_OK);
	struct talent g;
	assert_int_equal(STORE_CALL(talent_get, f->st, id, f->a, &g), TP_OK);
	assert_string_equal(g.id_number, ids[3]);
	char other[19];
	make_id(999, other);
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, other, &id), TP_ERR_NOT_FOUND);

	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 10;
	q.id_number = ids[1];
	struct talent_page p;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].id_number_mask + 14, ids[1] + 14);

	/* the blind index is unique: the same number twice conflicts, on insert and update */
	struct talent dup = person("李娜", ids[2], "13800138000");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &dup), TP_ERR_CONFLICT);
	g.id_number = ids[4];
	assert_int_equal(STORE_CALL(talent_update, f->st, &g), TP_ERR_CONFLICT);
}

static void enterprise_phone(void **state)
{
	struct fx *f = *state;
	struct enterprise e;
	memset(&e, 0, sizeof e);
	e.name = "晋江市测试鞋业有限公司";
	e.credit_code = "91350100M000100Y43";
	e.town = "350582102";
	e.contact_phone = "13912345678";
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);
	struct enterprise g;
	assert_int_equal(STORE_CALL(enterprise_get, f->st, e.id, f->a, &g), TP_OK);
	assert_string_equal(g.contact_phone, "13912345678");
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 10;
	struct enterprise_page p;
	assert_int_equal(STORE_CALL(enterprise_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].contact_phone, "13912345678");
	g.contact_phone = NULL;
	assert_int_equal(STORE_CALL(enterprise_update, f->st, &g), TP_OK);
	assert_int_equal(STORE_CALL(enterprise_get, f->st, e.id, f->a, &g), TP_OK);
	assert_null(g.contact_phone);
	g.contact_phone = "13912345678";
	assert_int_equal(STORE_CALL(enterprise_update, f->st, &g), TP_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(file_hits(f->db, "13912345678"), 0);
}

/* A sealed value changed behind the store's back, or moved to another column, does not
 * open: the read fails instead of returning something else. */
static void tampered_values_fail(void **state)
{
	struct fx *f = *state;
	char idn[19];
	make_id(5, idn);
	struct talent t = person("陈静", idn, "13700001111");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	struct talent g;
	sqlite3 *r = raw_open(f->db);
	assert_int_equal(
	    sqlite3_exec(r, "UPDATE talents SET phone_enc = id_number_enc", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &g), TP_ERR_DB);
	assert_int_equal(
	    sqlite3_exec(r,
	                 "UPDATE talents SET phone_enc = NULL, id_number_enc = "
	                 "substr(id_number_enc, 1, 40) || CASE WHEN substr(id_number_enc, "
	                 "41, 1) = x'00' THEN x'01' ELSE x'00' END || "
	                 "substr(id_number_enc, 42)",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &g), TP_ERR_DB);
	sqlite3_close(r);
}

/* ---- the key file at open ---------------------------------------------------------------- */

static void key_file_checks(void **state)
{
	struct fx *f = *state;
	char idn[19];
	make_id(9, idn);
	struct talent t = person("黄丽", idn, NULL);
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	store_close(f->st);
	f->st = NULL;
	char err[1024];
	struct store *st = NULL;

	/* another database's key file: refused, with the reason */
	char other[192];
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	store_close(open_store(other, STORE_CREATE));
	char other_key[200];
	snprintf(other_key, sizeof other_key, "%s.key", other);
	setenv("TALENTPORT_KEY_FILE", other_key, 1);
	assert_int_equal(store_open(f->db, 0, &st, err, sizeof err), TP_ERR_CONFLICT);
	assert_null(st);
	assert_non_null(strstr(err, "does not belong to this database"));
	assert_non_null(strstr(err, other_key));
	assert_int_equal(store_open(f->db, STORE_READONLY, &st, err, sizeof err), TP_ERR_CONFLICT);
	unsetenv("TALENTPORT_KEY_FILE");

	/* no key file: refused (even with STORE_CREATE: the database holds sealed values) */
	char moved[200];
	snprintf(moved, sizeof moved, "%s/moved.key", f->dir);
	assert_int_equal(rename(f->key, moved), 0);
	assert_int_equal(store_open(f->db, 0, &st, err, sizeof err), TP_ERR_NOT_FOUND);
	assert_non_null(strstr(err, "TALENTPORT_KEY_FILE"));
	assert_non_null(strstr(err, f->key));
	assert_int_equal(store_open(f->db, STORE_CREATE, &st, err, sizeof err), TP_ERR_NOT_FOUND);
	assert_int_equal(store_open(f->db, STORE_READONLY, &st, err, sizeof err), TP_ERR_NOT_FOUND);
	assert_int_equal(access(f->key, F_OK), -1); /* and none was made */

	/* the key file kept elsewhere, named by TALENTPORT_KEY_FILE */
	setenv("TALENTPORT_KEY_FILE", moved, 1);
	st = open_store(f->db, STORE_READONLY);
	int64_t id;
	assert_int_equal(STORE_CALL(talent_find_id_number, st, idn, &id), TP_OK);
	struct talent g;
	assert_int_equal(STORE_CALL(talent_get, st, id, f->a, &g), TP_OK);
	assert_string_equal(g.id_number, idn);
	store_close(st);
	unsetenv("TALENTPORT_KEY_FILE");
	assert_int_equal(rename(moved, f->key), 0);
	f->st = open_store(f->db, 0);
}

/* ---- rotation ---------------------------------------------------------------------------- */

static int64_t count_for(struct store *st, struct arena *a, uint32_t key_id)
{
	struct pii_key_count *c;
	size_t n;
	assert_int_equal(STORE_CALL(pii_key_counts, st, a, &c, &n), TP_OK);
	for (size_t i = 0; i < n; i++)
		if (c[i].key_id == key_id)
			return c[i].values;
	return 0;
}

static void rotation(void **state)
{
	struct fx *f = *state;
	enum { N = 40 };
	char ids[N][19];
	int64_t tids[N];
	for (unsigned i = 0; i < N; i++) {
		make_id(200 + i, ids[i]);
		struct talent t = person("林强", ids[i], i % 2 ? "13812345678" : NULL);
		assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
		tids[i] = t.id;
	}
	struct enterprise e;
	memset(&e, 0, sizeof e);
	e.name = "晋江市测试鞋业有限公司";
	e.credit_code = "91350100M000100Y43";
	e.town = "350582102";
	e.contact_phone = "13912345678";
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);

	struct pii_key_info ki;
	assert_int_equal(STORE_CALL(pii_key_info, f->st, &ki), TP_OK);
	uint32_t old = ki.active_id;
	assert_string_equal(ki.path, f->key);
	assert_int_equal(strlen(ki.fingerprint), 16);
	const int64_t sealed = N + N / 2 + 1;
	assert_int_equal(count_for(f->st, f->a, old), sealed);

	/* a second connection, opened before the rotation, as a server's would be */
	struct store *other = open_store(f->db, 0);

	uint32_t nid;
	assert_int_equal(STORE_CALL(pii_add_key, f->st, &nid), TP_OK);
	assert_int_not_equal(nid, old);
	assert_int_equal(STORE_CALL(pii_key_info, f->st, &ki), TP_OK);
	assert_int_equal(ki.active_id, nid);

	/* part of the way, then "interrupted": the rest is done by a fresh walk */
	struct pii_rekey_pos pos = {0};
	int64_t done, total = 0;
	assert_int_equal(STORE_CALL(pii_rekey, f->st, 7, &pos, &done), TP_OK);
	total += done;
	assert_int_equal(pos.table, 0);
	assert_true(done > 0 && done <= 14);
	memset(&pos, 0, sizeof pos);
	while (pos.table != PII_REKEY_DONE) {
		assert_int_equal(STORE_CALL(pii_rekey, f->st, 7, &pos, &done), TP_OK);
		total += done;
	}
	assert_int_equal(total, sealed);
	assert_int_equal(count_for(f->st, f->a, old), 0);
	assert_int_equal(count_for(f->st, f->a, nid), sealed);
	/* nothing left: another pass rewrites nothing */
	memset(&pos, 0, sizeof pos);
	total = 0;
	while (pos.table != PII_REKEY_DONE) {
		assert_int_equal(STORE_CALL(pii_rekey, f->st, 1000, &pos, &done), TP_OK);
		total += done;
	}
	assert_int_equal(total, 0);

	/* still readable, here and on the connection that knew only the old key */
	struct talent g;
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(STORE_CALL(talent_get, f->st, tids[i], f->a, &g), TP_OK);
		assert_string_equal(g.id_number, ids[i]);
		if (i % 2)
			assert_string_equal(g.phone, "13812345678");
	}
	assert_int_equal(STORE_CALL(talent_get, other, tids[3], f->a, &g), TP_OK);
	assert_string_equal(g.id_number, ids[3]);
	struct enterprise ge;
	assert_int_equal(STORE_CALL(enterprise_get, other, e.id, f->a, &ge), TP_OK);
	assert_string_equal(ge.contact_phone, "13912345678");
	int64_t id;
	assert_int_equal(STORE_CALL(talent_find_id_number, other, ids[5], &id), TP_OK);
	assert_int_equal(id, tids[5]);
	store_close(other);

	/* and after a reopen (the key file holds both keys) */
	store_close(f->st);
	f->st = open_store(f->db, STORE_READONLY);
	assert_int_equal(STORE_CALL(talent_get, f->st, tids[0], f->a, &g), TP_OK);
	assert_string_equal(g.id_number, ids[0]);
}

/* ---- the upgrade of a plaintext database ------------------------------------------------- */

static void exec_ok(sqlite3 *r, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(r, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
}

static void migrate_plaintext_database(void **state)
{
	struct fx *f = *state;
	enum { N = 600 }; /* more than one batch of the sealing pass */
	static char ids[N][19];
	/* schema version 3, as the previous release left it, with plaintext rows */
	sqlite3 *r;
	assert_int_equal(sqlite3_open(f->db, &r), SQLITE_OK);
	exec_ok(r, "PRAGMA journal_mode = WAL");
	exec_ok(r, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
	           "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
	           "(strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
	for (unsigned i = 0; i < migrations_count && migrations[i].version <= 3; i++) {
		exec_ok(r, migrations[i].sql);
		char ins[128];
		snprintf(ins, sizeof ins,
		         "INSERT INTO schema_migrations (version, name) VALUES "
		         "(%d, 'old')",
		         migrations[i].version);
		exec_ok(r, ins);
	}
	exec_ok(r, "INSERT INTO enterprises (id, name, credit_code, town, contact_phone) VALUES "
	           "(1, '晋江市旧鞋业有限公司', '91350100M000100Y43', '350582102', '13912340000')");
	exec_ok(r, "BEGIN");
	sqlite3_stmt *ins;
	assert_int_equal(
	    sqlite3_prepare_v2(r,
	                       "INSERT INTO talents (id, name, gender, id_number, "
	                       "birth_date, phone, town, tier, enterprise_id) VALUES "
	                       "(?, '旧人才', 'F', ?, '1990-01-01', ?, '350582102', ?, 1)",
	                       -1, &ins, NULL),
	    SQLITE_OK);
	char phone[N][12];
	for (unsigned i = 0; i < N; i++) {
		make_id(1000 + i, ids[i]);
		snprintf(phone[i], sizeof phone[i], "138%08u", 40000000 + i);
		sqlite3_reset(ins);
		sqlite3_bind_int(ins, 1, (int)i + 1);
		sqlite3_bind_text(ins, 2, ids[i], -1, SQLITE_STATIC);
		if (i % 3)
			sqlite3_bind_text(ins, 3, phone[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 3);
		sqlite3_bind_int(ins, 4, 1 + (int)i % 7);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
	}
	sqlite3_finalize(ins);
	exec_ok(r, "INSERT INTO talent_educations (talent_id, seq, degree, school) VALUES "
	           "(5, 1, 'master', '厦门大学')");
	exec_ok(r, "INSERT INTO employments (talent_id, enterprise_id, started_on) VALUES "
	           "(5, 1, '2020-01-01')");
	exec_ok(r, "COMMIT");
	sqlite3_close(r);
	assert_true(file_hits(f->db, ids[17]) > 0); /* the premise */

	/* the upgrade: the key file is made (nothing sealed yet), every value sealed */
	assert_int_equal(access(f->key, F_OK), -1);
	f->st = open_store(f->db, STORE_CREATE);
	int applied = 0, version = 0;
	assert_int_equal(store_migrate(f->st, &applied, &version), TP_OK);
	assert_true(applied >= 1);
	assert_int_equal(access(f->key, F_OK), 0);

	struct talent g;
	for (unsigned i = 0; i < N; i += 37) {
		int64_t id;
		assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ids[i], &id), TP_OK);
		assert_int_equal(id, (int64_t)i + 1);
		assert_int_equal(STORE_CALL(talent_get, f->st, id, f->a, &g), TP_OK);
		assert_string_equal(g.id_number, ids[i]);
		if (i % 3)
			assert_string_equal(g.phone, phone[i]);
		else
			assert_null(g.phone);
		assert_int_equal(g.tier, 1 + (int)i % 7);
	}
	assert_int_equal(STORE_CALL(talent_get, f->st, 5, f->a, &g), TP_OK);
	assert_int_equal(g.n_educations, 1);
	assert_int_equal(g.n_employments, 1);
	assert_string_equal(g.enterprise_name, "晋江市旧鞋业有限公司");
	struct enterprise e;
	assert_int_equal(STORE_CALL(enterprise_get, f->st, 1, f->a, &e), TP_OK);
	assert_string_equal(e.contact_phone, "13912340000");
	assert_int_equal(e.staff_count, N);

	/* a list by town and tier still comes from its index; a new talent still inserts */
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 5;
	q.town = "350582102";
	q.tier = 3;
	struct talent_page p;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, (N + 6) / 7);
	char fresh[19];
	make_id(5, fresh);
	struct talent t = person("新人才", fresh, NULL);
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	struct talent dup = person("新人才", ids[0], NULL);
	assert_int_equal(STORE_CALL(talent_insert, f->st, &dup), TP_ERR_CONFLICT);
	store_close(f->st);
	f->st = NULL;

	/* the schema: no plaintext column, the indexes back, foreign keys and integrity fine */
	r = raw_open(f->db);
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(r,
	                       "SELECT (SELECT count(*) FROM pragma_table_info("
	                       "'talents') WHERE name IN ('id_number', 'phone', "
	                       "'legacy_id_number', 'legacy_phone')) + (SELECT count(*) "
	                       "FROM pragma_table_info('enterprises') WHERE name IN "
	                       "('contact_phone', 'legacy_contact_phone')), (SELECT "
	                       "count(*) FROM sqlite_master WHERE type = 'index' AND "
	                       "tbl_name = 'talents' AND sql IS NOT NULL), (SELECT "
	                       "fingerprint FROM crypto_meta)",
	                       -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	assert_true(sqlite3_column_int(st, 1) >= 8);
	assert_int_equal(sqlite3_column_bytes(st, 2), 16);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(r, "PRAGMA foreign_key_check", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(r, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(r);

	/* and no plaintext left anywhere in the files */
	for (unsigned i = 0; i < N; i++) {
		if (file_hits(f->db, ids[i]))
			fail_msg("ID number %u is still in the database files", i);
		if (i % 3 && file_hits(f->db, phone[i]))
			fail_msg("phone %u is still in the database files", i);
	}
	assert_int_equal(file_hits(f->db, "13912340000"), 0);
	f->st = open_store(f->db, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(round_trip_and_raw_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(find_list_and_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(enterprise_phone, setup, teardown),
	    cmocka_unit_test_setup_teardown(tampered_values_fail, setup, teardown),
	    cmocka_unit_test_setup_teardown(key_file_checks, setup, teardown),
	    cmocka_unit_test_setup_teardown(rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(migrate_plaintext_database, setup_dir, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

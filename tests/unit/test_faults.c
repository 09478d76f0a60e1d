/*
 * test_faults.c — SQLite-style fault loops against the store and the domain
 * (STYLE.md "Fail every allocation, every I/O, in turn"; reliability.md targets:
 * "fail the Nth allocation / the Nth write or fsync, once and persistently").
 *
 * Allocation failures: a counting allocator is installed with
 * sqlite3_config(SQLITE_CONFIG_MALLOC) before SQLite initializes; it wraps the
 * default methods and fails the Nth xMalloc/xRealloc, once or from N on.
 * I/O failures: a shim VFS "faulty", registered as this binary's default VFS,
 * delegates to "unix" and fails the Nth xWrite (SQLITE_IOERR_WRITE) or xSync
 * (SQLITE_IOERR_FSYNC), once or from N on.  Both are off unless armed.
 *
 * Each loop: for N = 1, 2, 3 … open a fresh store (faults off), arm fault N, run the
 * operation (talent_create of a talent with child rows, or import_talents of a CSV of
 * 3 good rows and 1 bad), disarm, then check through a separate raw connection:
 *   - TP_OK: the talent (or all 3 good rows and the import record) is there exactly
 *     once with all its child rows;  otherwise: nothing new at all;
 *   - no orphan child rows, foreign_key_check empty, integrity_check "ok";
 *   - the same connection is usable again (a talent_create succeeds on it), and the
 *     next iteration's fresh store_open works.
 * Also looped: talent_get (its own read transaction) under allocation failures, and the
 * checkpoint that the last connection's close runs, under write/fsync failures.
 * The loop stops at the first N that was never reached (the operation ran clean).
 * Set TP_FAULTS_VERBOSE=1 for the store's error log and each loop's length and time.
 * Only SQLite's allocations are failed here (malloc of the project's own code is not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/verr.h"
#include "domain/import.h"
#include "domain/talents.h"
#include "io/table.h"
#include "store/store.h"

#define N_CAP 2000 /* no loop may need more faults than this */

/* ---- the counting allocator ------------------------------------------------------------ */

static sqlite3_mem_methods real_mem;

static struct {
	int armed, persistent;
	long n, count, hits;
} mf;

static int alloc_fails(void)
{
	if (!mf.armed)
		return 0;
	mf.count++;
	if (mf.count == mf.n || (mf.persistent && mf.count > mf.n)) {
		mf.hits++;
		return 1;
	}
	return 0;
}

static void *f_malloc(int n)
{
	return alloc_fails() ? NULL : real_mem.xMalloc(n);
}

static void *f_realloc(void *p, int n)
{
	return alloc_fails() ? NULL : real_mem.xRealloc(p, n);
}

/* ---- the faulty VFS --------------------------------------------------------------------- */

enum io_op { IO_WRITE, IO_SYNC };

static struct {
	int armed, persistent;
	enum io_op op;
	long n, count, hits;
} io;

static int io_fails(enum io_op op)
{
	if (!io.armed || io.op != op)
		return 0;
	io.count++;
	if (io.count == io.n || (io.persistent && io.count > io.n)) {
		io.hits++;
		return 1;
	}
	return 0;
}

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs faulty_vfs;

struct ffile {
	sqlite3_file base;
	sqlite3_file *real; /* the unix file, right after this struct */
};

#define REAL(f) (((struct ffile *)(f))->real)

static int ff_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int ff_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int ff_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (io_fails(IO_WRITE))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int ff_sync(sqlite3_file *f, int flags)
{
	if (io_fails(IO_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int ff_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int ff_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int ff_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int ff_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int ff_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int ff_device_chars(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int ff_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void ff_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int ff_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

/* one table per io_methods version the unix VFS may hand out */
#define FF_V1                                                                                   \
	ff_close, ff_read, ff_write, ff_truncate, ff_sync, ff_file_size, ff_lock, ff_unlock,     \
	    ff_check_reserved, ff_file_control, ff_sector_size, ff_device_chars
static const sqlite3_io_methods ff_methods[4] = {
    {0, FF_V1, NULL, NULL, NULL, NULL, NULL, NULL},
    {1, FF_V1, NULL, NULL, NULL, NULL, NULL, NULL},
    {2, FF_V1, ff_shm_map, ff_shm_lock, ff_shm_barrier, ff_shm_unmap, NULL, NULL},
    {3, FF_V1, ff_shm_map, ff_shm_lock, ff_shm_barrier, ff_shm_unmap, ff_fetch, ff_unfetch},
};

static int fv_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)v;
	struct ffile *p = (struct ffile *)f;
	p->real = (sqlite3_file *)&p[1];
	p->real->pMethods = NULL;
	int rc = unix_vfs->xOpen(unix_vfs, name, p->real, flags, out);
	const sqlite3_io_methods *m = p->real->pMethods;
	p->base.pMethods = m ? &ff_methods[m->iVersion > 3 ? 3 : m->iVersion] : NULL;
	return rc;
}
static int fv_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return unix_vfs->xDelete(unix_vfs, name, sync);
}
static int fv_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return unix_vfs->xAccess(unix_vfs, name, flags, out);
}
static int fv_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return unix_vfs->xFullPathname(unix_vfs, name, n, out);
}
static void *fv_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return unix_vfs->xDlOpen(unix_vfs, name);
}
static void fv_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	unix_vfs->xDlError(unix_vfs, n, msg);
}
static void (*fv_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return unix_vfs->xDlSym(unix_vfs, h, sym);
}
static void fv_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	unix_vfs->xDlClose(unix_vfs, h);
}
static int fv_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return unix_vfs->xRandomness(unix_vfs, n, out);
}
static int fv_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return unix_vfs->xSleep(unix_vfs, us);
}
static int fv_current_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	return unix_vfs->xCurrentTime(unix_vfs, t);
}
static int fv_last_error(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	return unix_vfs->xGetLastError(unix_vfs, n, msg);
}
static int fv_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	(void)v;
	return unix_vfs->xCurrentTimeInt64(unix_vfs, t);
}

/* Installs both hooks; must run before anything initializes SQLite. */
static void install_hooks(void)
{
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK) {
		fprintf(stderr, "test_faults: SQLITE_CONFIG_GETMALLOC failed\n");
		exit(1);
	}
	static sqlite3_mem_methods counting;
	counting = real_mem;
	counting.xMalloc = f_malloc;
	counting.xRealloc = f_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &counting) != SQLITE_OK) {
		fprintf(stderr, "test_faults: SQLite was initialized before the allocator\n");
		exit(1);
	}
	unix_vfs = sqlite3_vfs_find("unix");
	if (!unix_vfs) {
		fprintf(stderr, "test_faults: no unix VFS\n");
		exit(1);
	}
	faulty_vfs = (sqlite3_vfs){
	    .iVersion = 2,
	    .szOsFile = (int)sizeof(struct ffile) + unix_vfs->szOsFile,
	    .mxPathname = unix_vfs->mxPathname,
	    .zName = "faulty",
	    .xOpen = fv_open,
	    .xDelete = fv_delete,
	    .xAccess = fv_access,
	    .xFullPathname = fv_full_pathname,
	    .xDlOpen = fv_dlopen,
	    .xDlError = fv_dlerror,
	    .xDlSym = fv_dlsym,
	    .xDlClose = fv_dlclose,
	    .xRandomness = fv_randomness,
	    .xSleep = fv_sleep,
	    .xCurrentTime = fv_current_time,
	    .xGetLastError = fv_last_error,
	    .xCurrentTimeInt64 = fv_current_time64,
	};
	/* the default VFS of this binary: store_open takes a plain path */
	if (sqlite3_vfs_register(&faulty_vfs, 1) != SQLITE_OK) {
		fprintf(stderr, "test_faults: cannot register the faulty VFS\n");
		exit(1);
	}
}

/* ---- fault kinds ------------------------------------------------------------------------ */

enum fault { F_ALLOC, F_WRITE, F_SYNC };

static void arm(enum fault k, long n, int persistent)
{
	if (k == F_ALLOC) {
		mf.n = n;
		mf.count = mf.hits = 0;
		mf.persistent = persistent;
		mf.armed = 1;
	} else {
		io.op = k == F_WRITE ? IO_WRITE : IO_SYNC;
		io.n = n;
		io.count = io.hits = 0;
		io.persistent = persistent;
		io.armed = 1;
	}
}

/* Turns faults off; returns how many were injected. */
static long disarm(void)
{
	long hits = mf.hits + io.hits;
	mf.armed = io.armed = 0;
	mf.hits = io.hits = 0;
	return hits;
}

/* ---- fixture ---------------------------------------------------------------------------- */

struct fx {
	char dir[64];
	char db[128];
	sqlite3 *raw; /* a separate connection for the checks */
	struct keyring *kr; /* the database's keys: ID numbers are found by blind index */
	unsigned next; /* the next ID number to hand out */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/tp_test_faults_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	char err[256];
	struct store *st;
	if (store_open(f->db, STORE_CREATE, &st, err, sizeof err) != TP_OK)
		return -1;
	int applied, version;
	enum tp_rc rc = store_migrate(st, &applied, &version);
	store_close(st);
	if (rc != TP_OK)
		return -1;
	if (sqlite3_open_v2(f->db, &f->raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return -1;
	char key[192];
	keyring_default_path(f->db, key, sizeof key);
	if (keyring_load(key, 0, &f->kr, err, sizeof err) != TP_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	disarm();
	if (f->raw)
		sqlite3_close(f->raw);
	keyring_free(f->kr);
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "t.db-journal",
					    "t.db.key"};
	char p[192];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- data ------------------------------------------------------------------------------- */

/* A distinct valid ID number (GB 11643 MOD 11-2) for each k < 13440: born 1960-1999. */
static void make_id(unsigned k, char out[19])
{
	char buf[32];
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	assert_true(k < 40 * 336);
	snprintf(buf, sizeof buf, "350582%04u%02u%02u321", 1960 + k / 336, 1 + (k / 28) % 12,
		 1 + k % 28);
	memcpy(out, buf, 17);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* A talent with 2 educations, 2 years and 2 children; strings live in ids/the statics. */
static void make_talent(struct talent *t, const char *idn, struct education ed[2],
			struct talent_year yr[2], struct child ch[2])
{
	memset(t, 0, sizeof(*t));
	t->name = "陈故障";
	t->id_number = idn;
	t->phone = "13800138000";
	t->double_first_class = -1;
	t->home_area_cm2 = -1;
	t->home_in_jinjiang = t->home_first = t->startup_in_jinjiang = -1;
	t->town = "350582102";
	ed[0] = (struct education){"bachelor", "华侨大学", "机械", "2020-07-01", 0};
	ed[1] = (struct education){"master", "厦门大学", "材料", "2023-07-01", 1};
	yr[0] = (struct talent_year){2023, 0xFFF, 200};
	yr[1] = (struct talent_year){2024, 0x3F, -1};
	ch[0] = (struct child){"陈一", "2015-06-01"};
	ch[1] = (struct child){"陈二", "2018-09-09"};
	t->educations = ed;
	t->n_educations = 2;
	t->years = yr;
	t->n_years = 2;
	t->children = ch;
	t->n_children = 2;
}

/* ---- checks through the raw connection -------------------------------------------------- */

static int64_t q1(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW)
		fail_msg("step %s: %s", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void check_consistent(struct fx *f, const char *where)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(f->raw, "PRAGMA integrity_check", -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	const char *r = (const char *)sqlite3_column_text(q, 0);
	if (!r || strcmp(r, "ok") != 0)
		fail_msg("%s: integrity_check: %s", where, r ? r : "(null)");
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(f->raw, "PRAGMA foreign_key_check", -1, &q, NULL),
			 SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		fail_msg("%s: foreign_key_check names table %s", where, sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	int64_t orphans = q1(f->raw,
			     "SELECT (SELECT count(*) FROM talent_educations WHERE talent_id NOT IN "
			     "(SELECT id FROM talents)) + (SELECT count(*) FROM talent_years WHERE "
			     "talent_id NOT IN (SELECT id FROM talents)) + (SELECT count(*) FROM "
			     "talent_children WHERE talent_id NOT IN (SELECT id FROM talents))",
			     NULL);
	if (orphans)
		fail_msg("%s: %lld orphan child rows", where, (long long)orphans);
}

/* Totals the checks compare before and after. */
struct totals {
	int64_t talents, educations, years, children, imports;
};

static struct totals totals(struct fx *f)
{
	struct totals t;
	t.talents = q1(f->raw, "SELECT count(*) FROM talents", NULL);
	t.educations = q1(f->raw, "SELECT count(*) FROM talent_educations", NULL);
	t.years = q1(f->raw, "SELECT count(*) FROM talent_years", NULL);
	t.children = q1(f->raw, "SELECT count(*) FROM talent_children", NULL);
	t.imports = q1(f->raw, "SELECT count(*) FROM imports", NULL);
	return t;
}

/* q1 with the blind index of an ID number (it is sealed at rest) as the parameter */
static int64_t q1_idn(struct fx *f, const char *sql, const char *idn)
{
	unsigned char bidx[BLIND_INDEX_BYTES];
	pii_blind_index(f->kr, "id_number", idn, bidx);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(f->raw, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(f->raw));
	sqlite3_bind_blob(q, 1, bidx, sizeof bidx, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW)
		fail_msg("step %s: %s", sql, sqlite3_errmsg(f->raw));
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int64_t count_id(struct fx *f, const char *idn)
{
	return q1_idn(f, "SELECT count(*) FROM talents WHERE id_number_bidx = ?", idn);
}

/* child rows of the talent with this ID number: educations, years, children */
static void child_counts(struct fx *f, const char *idn, int64_t out[3])
{
	out[0] = q1_idn(f, "SELECT count(*) FROM talent_educations WHERE talent_id = "
			   "(SELECT id FROM talents WHERE id_number_bidx = ?)", idn);
	out[1] = q1_idn(f, "SELECT count(*) FROM talent_years WHERE talent_id = "
			   "(SELECT id FROM talents WHERE id_number_bidx = ?)", idn);
	out[2] = q1_idn(f, "SELECT count(*) FROM talent_children WHERE talent_id = "
			   "(SELECT id FROM talents WHERE id_number_bidx = ?)", idn);
}

/* ---- the operations --------------------------------------------------------------------- */

/* talent_create of a new talent with child rows; faults are armed by the caller. */
static enum tp_rc create_one(struct store *st, const char *idn, struct arena *a, int *invalid)
{
	struct verrors ve;
	verr_init(&ve, a);
	struct talent t;
	struct education ed[2];
	struct talent_year yr[2];
	struct child ch[2];
	make_talent(&t, idn, ed, yr, ch);
	enum tp_rc rc = talent_create(st, NULL, &t, &ve);
	*invalid = ve.n > 0;
	return rc;
}

/* The store must still work after the fault: one more talent_create must succeed. */
static void usable_after(struct fx *f, struct store *st, const char *where)
{
	char idn[19];
	make_id(f->next++, idn);
	struct arena *a = arena_new();
	assert_non_null(a);
	int invalid;
	enum tp_rc rc = create_one(st, idn, a, &invalid);
	arena_free(a);
	if (rc != TP_OK)
		fail_msg("%s: the store is not usable after the fault: talent_create -> %s", where,
			 tp_rc_str(rc));
	assert_int_equal(count_id(f, idn), 1);
}

static const char *fault_name(enum fault k)
{
	return k == F_ALLOC ? "malloc" : k == F_WRITE ? "xWrite" : "xSync";
}

/* One iteration of the talent_create loop; returns the faults injected. */
static long create_iteration(struct fx *f, enum fault k, long n, int persistent)
{
	char where[96];
	snprintf(where, sizeof where, "create, %s %s N=%ld", fault_name(k),
		 persistent ? "persistent" : "once", n);
	char err[256];
	struct store *st;
	if (store_open(f->db, 0, &st, err, sizeof err) != TP_OK)
		fail_msg("%s: store_open: %s", where, err);
	struct totals before = totals(f);
	char idn[19];
	make_id(f->next++, idn);
	struct arena *a = arena_new();
	assert_non_null(a);
	int invalid;
	arm(k, n, persistent);
	enum tp_rc rc = create_one(st, idn, a, &invalid);
	long hits = disarm();
	arena_free(a);

	check_consistent(f, where);
	struct totals after = totals(f);
	if (rc == TP_OK) {
		assert_int_equal(count_id(f, idn), 1);
		int64_t c[3];
		child_counts(f, idn, c);
		if (c[0] != 2 || c[1] != 2 || c[2] != 2)
			fail_msg("%s: TP_OK but child rows %lld/%lld/%lld, not 2/2/2", where,
				 (long long)c[0], (long long)c[1], (long long)c[2]);
		assert_int_equal(after.talents, before.talents + 1);
		assert_int_equal(after.educations, before.educations + 2);
	} else {
		if (count_id(f, idn) != 0 || after.talents != before.talents ||
		    after.educations != before.educations || after.years != before.years ||
		    after.children != before.children)
			fail_msg("%s: failed (%s) but wrote rows: talents %lld -> %lld", where,
				 tp_rc_str(rc), (long long)before.talents, (long long)after.talents);
		/* a fault is never blamed on the input */
		if (rc == TP_ERR_INVALID || rc == TP_ERR_CONFLICT || invalid)
			fail_msg("%s: a fault was reported as %s", where, tp_rc_str(rc));
		if (!hits)
			fail_msg("%s: failed (%s) with no fault injected", where, tp_rc_str(rc));
	}
	usable_after(f, st, where);
	store_close(st);
	return hits;
}

/* 3 good rows, 1 bad (wrong check digit); with educations (degree, school). */
static char *make_csv(struct fx *f, char ids[3][19])
{
	for (int i = 0; i < 3; i++)
		make_id(f->next++, ids[i]);
	char bad[19];
	make_id(f->next++, bad);
	bad[17] = bad[17] == '0' ? '1' : '0';
	char *csv = malloc(1024);
	assert_non_null(csv);
	snprintf(csv, 1024,
		 "姓名,身份证号,所在镇街,学历,毕业院校,毕业日期\n"
		 "陈一,%s,陈埭镇,本科,华侨大学,2020-07-01\n"
		 "林二,%s,350582001,硕士,厦门大学,2021-07-01\n"
		 "王三,%s,,,,\n"
		 "张四,%s,,,,\n",
		 ids[0], ids[1], bad, ids[2]);
	return csv;
}

static long import_iteration(struct fx *f, enum fault k, long n, int persistent)
{
	char where[96];
	snprintf(where, sizeof where, "import, %s %s N=%ld", fault_name(k),
		 persistent ? "persistent" : "once", n);
	char err[256];
	struct store *st;
	if (store_open(f->db, 0, &st, err, sizeof err) != TP_OK)
		fail_msg("%s: store_open: %s", where, err);
	struct totals before = totals(f);
	char ids[3][19];
	char *csv = make_csv(f, ids);
	struct table_reader *r;
	assert_int_equal(table_open_mem(csv, strlen(csv), TABLE_CSV, &r, err, sizeof err), TP_OK);
	struct import_opts o = {.all_or_nothing = 0, .filename = "faults.csv"};
	struct import_result res;
	arm(k, n, persistent);
	enum tp_rc rc = import_talents(st, r, &o, &res);
	long hits = disarm();
	table_close(r);
	free(csv);

	check_consistent(f, where);
	struct totals after = totals(f);
	int64_t in = count_id(f, ids[0]) + count_id(f, ids[1]) + count_id(f, ids[2]);
	if (rc == TP_OK) {
		if (!res.committed || res.rows_imported != 3 || res.rows_failed != 1 || in != 3) {
			for (size_t i = 0; i < res.n_errors; i++)
				fprintf(stderr, "  row %zu %s %s: %s\n", res.errors[i].row,
					res.errors[i].column, res.errors[i].code, res.errors[i].en);
			fail_msg("%s: TP_OK but committed %d, imported %zu, failed %zu, %lld rows in",
				 where, res.committed, res.rows_imported, res.rows_failed,
				 (long long)in);
		}
		assert_int_equal(after.talents, before.talents + 3);
		assert_int_equal(after.educations, before.educations + 2);
		assert_int_equal(after.imports, before.imports + 1);
		assert_int_equal(q1(f->raw, "SELECT rows_imported FROM imports ORDER BY id DESC LIMIT 1",
				    NULL),
				 3);
	} else {
		if (in != 0 || after.talents != before.talents ||
		    after.educations != before.educations || after.imports != before.imports)
			fail_msg("%s: failed (%s) but wrote: %lld of the rows, imports %lld -> %lld",
				 where, tp_rc_str(rc), (long long)in, (long long)before.imports,
				 (long long)after.imports);
		if (res.committed || res.rows_imported || res.import_id)
			fail_msg("%s: failed (%s) but the result says committed %d, imported %zu",
				 where, tp_rc_str(rc), res.committed, res.rows_imported);
		if (!hits)
			fail_msg("%s: failed (%s) with no fault injected", where, tp_rc_str(rc));
	}
	import_result_release(&res);
	usable_after(f, st, where);
	store_close(st);
	return hits;
}

/* talent_get (a read transaction of its own) of the first talent: the same reads or an
 * error, and the connection not left inside the read transaction. */
static long get_iteration(struct fx *f, enum fault k, long n, int persistent)
{
	char where[96];
	snprintf(where, sizeof where, "get, %s %s N=%ld", fault_name(k),
		 persistent ? "persistent" : "once", n);
	char err[256];
	struct store *st;
	if (store_open(f->db, 0, &st, err, sizeof err) != TP_OK)
		fail_msg("%s: store_open: %s", where, err);
	int64_t id = q1(f->raw, "SELECT min(id) FROM talents", NULL);
	struct arena *a = arena_new();
	assert_non_null(a);
	struct talent t;
	arm(k, n, persistent);
	enum tp_rc rc = STORE_CALL(talent_get, st, id, a, &t);
	long hits = disarm();
	if (rc == TP_OK) {
		if (!t.name || strcmp(t.name, "陈故障") != 0 || t.n_educations != 2 ||
		    t.n_years != 2 || t.n_children != 2 || !t.children[1].birth_date ||
		    strcmp(t.children[1].birth_date, "2018-09-09") != 0)
			fail_msg("%s: TP_OK but the talent read back incomplete", where);
	} else if (rc == TP_ERR_NOT_FOUND || !hits) {
		fail_msg("%s: talent_get -> %s", where, tp_rc_str(rc));
	}
	arena_free(a);
	usable_after(f, st, where);
	store_close(st);
	return hits;
}

/* The checkpoint of the last connection to close (it copies the WAL into the database
 * and deletes the WAL) under the fault: committed talents stay, nothing is corrupt. */
static long checkpoint_iteration(struct fx *f, enum fault k, long n, int persistent)
{
	char where[96];
	snprintf(where, sizeof where, "close+checkpoint, %s %s N=%ld", fault_name(k),
		 persistent ? "persistent" : "once", n);
	char err[256];
	struct store *st;
	if (store_open(f->db, 0, &st, err, sizeof err) != TP_OK)
		fail_msg("%s: store_open: %s", where, err);
	usable_after(f, st, where); /* something in the WAL to copy */
	struct totals before = totals(f);
	sqlite3_close(f->raw); /* the store is the last connection */
	f->raw = NULL;
	arm(k, n, persistent);
	store_close(st);
	long hits = disarm();
	assert_int_equal(sqlite3_open_v2(f->db, &f->raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	check_consistent(f, where);
	struct totals after = totals(f);
	if (memcmp(&before, &after, sizeof before) != 0)
		fail_msg("%s: talents %lld -> %lld after the checkpoint", where,
			 (long long)before.talents, (long long)after.talents);
	return hits;
}

/* The loop: N = 1, 2, … until an iteration runs with no fault reached. */
enum op { OP_CREATE, OP_IMPORT, OP_GET, OP_CHECKPOINT };

static void fault_loop(void **state, enum fault k, int persistent, enum op op)
{
	struct fx *f = *state;
	if (op == OP_GET) { /* the talent to read */
		char err[256];
		struct store *st;
		assert_int_equal(store_open(f->db, 0, &st, err, sizeof err), TP_OK);
		usable_after(f, st, "before the loop");
		store_close(st);
	}
	static long (*const iteration[])(struct fx *, enum fault, long, int) = {
	    [OP_CREATE] = create_iteration,
	    [OP_IMPORT] = import_iteration,
	    [OP_GET] = get_iteration,
	    [OP_CHECKPOINT] = checkpoint_iteration,
	};
	static const char *const op_name[] = {"create", "import", "get", "checkpoint"};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long n;
	for (n = 1; n <= N_CAP; n++)
		if (iteration[op](f, k, n, persistent) == 0)
			break;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n > N_CAP)
		fail_msg("the %s loop did not finish within %d faults", fault_name(k), N_CAP);
	if (getenv("TP_FAULTS_VERBOSE"))
		fprintf(stderr, "  %s %s %s: %ld iterations, %.2f s\n", op_name[op],
			fault_name(k), persistent ? "persistent" : "once", n,
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* and a fresh connection after everything */
	char err[256];
	struct store *st;
	assert_int_equal(store_open(f->db, 0, &st, err, sizeof err), TP_OK);
	usable_after(f, st, "after the loop");
	store_close(st);
	check_consistent(f, "after the loop");
}

static void oom_create_once(void **s) { fault_loop(s, F_ALLOC, 0, OP_CREATE); }
static void oom_create_persistent(void **s) { fault_loop(s, F_ALLOC, 1, OP_CREATE); }
static void oom_import_once(void **s) { fault_loop(s, F_ALLOC, 0, OP_IMPORT); }
static void oom_import_persistent(void **s) { fault_loop(s, F_ALLOC, 1, OP_IMPORT); }
static void oom_get_once(void **s) { fault_loop(s, F_ALLOC, 0, OP_GET); }
static void oom_get_persistent(void **s) { fault_loop(s, F_ALLOC, 1, OP_GET); }
static void write_create_once(void **s) { fault_loop(s, F_WRITE, 0, OP_CREATE); }
static void write_create_persistent(void **s) { fault_loop(s, F_WRITE, 1, OP_CREATE); }
static void sync_create_once(void **s) { fault_loop(s, F_SYNC, 0, OP_CREATE); }
static void sync_create_persistent(void **s) { fault_loop(s, F_SYNC, 1, OP_CREATE); }
static void write_import_once(void **s) { fault_loop(s, F_WRITE, 0, OP_IMPORT); }
static void write_import_persistent(void **s) { fault_loop(s, F_WRITE, 1, OP_IMPORT); }
static void sync_import_once(void **s) { fault_loop(s, F_SYNC, 0, OP_IMPORT); }
static void sync_import_persistent(void **s) { fault_loop(s, F_SYNC, 1, OP_IMPORT); }
static void write_checkpoint_once(void **s) { fault_loop(s, F_WRITE, 0, OP_CHECKPOINT); }
static void write_checkpoint_persistent(void **s) { fault_loop(s, F_WRITE, 1, OP_CHECKPOINT); }
static void sync_checkpoint_once(void **s) { fault_loop(s, F_SYNC, 0, OP_CHECKPOINT); }
static void sync_checkpoint_persistent(void **s) { fault_loop(s, F_SYNC, 1, OP_CHECKPOINT); }

/* The hooks themselves: an armed fault really fails SQLite, a disarmed one does not. */
static void hooks_work(void **state)
{
	struct fx *f = *state;
	arm(F_ALLOC, 1, 1);
	int64_t x = 0;
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(f->raw, "SELECT count(*) FROM talents WHERE name = 'x'", -1,
				    &q, NULL);
	assert_true(disarm() > 0);
	assert_int_equal(rc, SQLITE_NOMEM);
	assert_null(q);
	x = q1(f->raw, "SELECT count(*) FROM talents WHERE name = 'x'", NULL);
	assert_int_equal(x, 0);
	assert_string_equal(sqlite3_vfs_find(NULL)->zName, "faulty");
	arm(F_WRITE, 1, 0);
	rc = sqlite3_exec(f->raw, "CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)", NULL,
			  NULL, NULL);
	assert_true(disarm() > 0);
	assert_int_equal(rc & 0xff, SQLITE_IOERR);
	assert_int_equal(sqlite3_exec(f->raw, "CREATE TABLE scratch (x)", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(f->raw, "DROP TABLE scratch", NULL, NULL, NULL), SQLITE_OK);
}

int main(void)
{
	install_hooks();
	/* thousands of injected faults are each logged as a store error: keep the output short */
	if (!getenv("TP_FAULTS_VERBOSE"))
		log_set_level(LOG_OFF);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(hooks_work, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_create_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_create_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_import_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_import_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_get_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(oom_get_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_create_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_create_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_create_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_create_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_import_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_import_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_import_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_import_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_checkpoint_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_checkpoint_persistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_checkpoint_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(sync_checkpoint_persistent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

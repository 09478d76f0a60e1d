/*
 * Unit tests: the tamper-evident audit log (domain/audit.h) on a real SQLite store.
 * Tampering is done the way an intruder with the database file would: a raw sqlite3
 * connection that drops the triggers and rewrites or removes rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/date.h"
#include "domain/audit_int.h"
#include "store/store.h"

struct fx {
	char dir[64], db[96], key[96], out[96];
	struct store *st;
	struct arena *a;
	struct keyring *kr;
	struct actor who;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tp-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	snprintf(f->key, sizeof f->key, "%s/t.db.key", f->dir);
	snprintf(f->out, sizeof f->out, "%s/archive.jsonl", f->dir);
	char err[256];
	if (store_open(f->db, STORE_CREATE, &f->st, err, sizeof err) != TP_OK)
		return -1;
	int applied, version;
	if (store_migrate(f->st, &applied, &version) != TP_OK)
		return -1;
	if (keyring_load(f->key, 1, &f->kr, err, sizeof err) != TP_OK)
		return -1;
	f->a = arena_new();
	f->who.user_id = 3;
	f->who.username = "alice";
	f->who.role = ROLE_OFFICE_REVIEWER;
	f->who.ip = "192.0.2.7";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	keyring_free(f->kr);
	arena_free(f->a);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Runs SQL on a second, raw connection to the same file; returns the sqlite3 rc. */
static int raw(struct fx *f, const char *sql, char *msg, size_t msglen)
{
	sqlite3 *db;
	char *err = NULL;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (msg)
		snprintf(msg, msglen, "%s", err ? err : "");
	sqlite3_free(err);
	sqlite3_close(db);
	return rc;
}

static int64_t raw_count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void append_n(struct fx *f, int n)
{
	for (int i = 0; i < n; i++) {
		char oid[16], body[64];
		snprintf(oid, sizeof oid, "%d", i + 1);
		snprintf(body, sizeof body, "{\"tier\":%d}", i % 7 + 1);
		assert_int_equal(audit_append(f->st, &f->who, i % 3 ? "talent.update" : "auth.login",
					      i % 3 ? "talent" : "session", oid, "ok", "", body,
					      strlen(body)),
				 TP_OK);
	}
}

/* Appends one record dated at (a test hook: real records cannot be backdated). */
static void append_old(struct fx *f, const char *at)
{
	assert_int_equal(audit_append_at(f->st, &f->who, at, "talent.update", "talent", "9", "ok",
					 "", NULL, 0),
			 TP_OK);
}

static enum tp_rc verify(struct fx *f, int64_t *checked, int64_t *bad, char *why)
{
	return audit_verify(f->st, checked, bad, why, 512);
}

static void appended_records_verify_and_list(void **state)
{
	struct fx *f = *state;
	int64_t checked, bad;
	char why[512];
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK); /* empty */
	assert_int_equal(checked, 0);
	append_n(f, 20);
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 20);
	assert_int_equal(bad, 0);

	struct audit_query q = {.limit = 5, .newest_first = 1};
	struct audit_page p;
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 20);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.items[0].id, 20);
	assert_int_equal(p.items[4].id, 16);
	assert_string_equal(p.items[0].actor, "alice");
	assert_string_equal(p.items[0].role, "office_reviewer");
	assert_string_equal(p.items[0].ip, "192.0.2.7");
	assert_int_equal(p.items[0].actor_id, 3);
	assert_int_equal(strlen(p.items[0].change_hash), 64);
	assert_int_equal(strlen(p.items[0].at), 24);
	assert_string_equal(p.items[1].prev_hash, p.items[2].hash);
	q.after_id = 16; /* next page back in time */
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.items[0].id, 15);
	q = (struct audit_query){.limit = 500, .action = "auth.login"};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 7); /* i = 0, 3, ... 18 */
	assert_int_equal(p.items[0].id, 1); /* oldest first */
	q = (struct audit_query){.limit = 10, .from = "2000-01-01", .to = "2000-12-31"};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 0);
	q = (struct audit_query){.limit = 10, .from = "2000-01-01"};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 20);
	q = (struct audit_query){.limit = 501};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_ERR_INVALID);
	q = (struct audit_query){.limit = 10, .to = "yesterday"};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_ERR_INVALID);
	q = (struct audit_query){.limit = 10, .result = "maybe"};
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_ERR_INVALID);
}

static void bad_appends_are_refused_and_hostile_text_is_clipped(void **state)
{
	struct fx *f = *state;
	assert_int_equal(audit_append(f->st, &f->who, "", "", "", "ok", "", NULL, 0),
			 TP_ERR_INVALID);
	assert_int_equal(audit_append(f->st, &f->who, "Talent Update", "", "", "ok", "", NULL, 0),
			 TP_ERR_INVALID);
	assert_int_equal(audit_append(f->st, &f->who, "x.y", "", "", "maybe", "", NULL, 0),
			 TP_ERR_INVALID);
	char reason[2000];
	memset(reason, 'r', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	memcpy(reason, "bad\xff\xfe\nline", 10);
	struct actor anon = {.ip = "198.51.100.1"};
	assert_int_equal(audit_append(f->st, &anon, "auth.login_failed", "session", "", "failed",
				      reason, NULL, 0),
			 TP_OK);
	assert_int_equal(audit_append(f->st, NULL, "system.start", NULL, NULL, "ok", NULL, NULL, 0),
			 TP_OK);
	struct audit_query q = {.limit = 10};
	struct audit_page p;
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(strlen(p.items[0].reason), 500);
	assert_memory_equal(p.items[0].reason, "bad???line", 10);
	assert_string_equal(p.items[0].role, "");
	assert_string_equal(p.items[0].change_hash, "");
	assert_string_equal(p.items[1].ip, "");
	int64_t checked, bad;
	char why[512];
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 2);
}

static void triggers_refuse_update_and_delete(void **state)
{
	struct fx *f = *state;
	char msg[256];
	append_n(f, 3);
	assert_int_not_equal(raw(f, "UPDATE audit_log SET actor = 'mallory' WHERE id = 2", msg,
				 sizeof msg),
			     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_not_equal(raw(f, "DELETE FROM audit_log WHERE id = 2", msg, sizeof msg),
			     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_not_equal(raw(f, "DELETE FROM audit_log", msg, sizeof msg), SQLITE_OK);
	assert_int_equal(raw(f,
			     "INSERT INTO audit_archives (first_id, last_id, last_hash, file_sha256, "
			     "archived_at, archived_by) VALUES (100, 200, 'x', 'y', 'z', 'w')",
			     NULL, 0),
			 SQLITE_OK);
	assert_int_not_equal(raw(f, "UPDATE audit_archives SET last_id = 300", msg, sizeof msg),
			     SQLITE_OK);
	assert_int_not_equal(raw(f, "DELETE FROM audit_archives", msg, sizeof msg), SQLITE_OK);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log"), 3);
}

static void a_changed_record_is_named(void **state)
{
	struct fx *f = *state;
	int64_t checked, bad;
	char why[512];
	append_n(f, 10);
	assert_int_equal(raw(f,
			     "DROP TRIGGER audit_log_no_update;"
			     "UPDATE audit_log SET actor = 'mallory' WHERE id = 4",
			     NULL, 0),
			 SQLITE_OK);
	assert_int_equal(verify(f, &checked, &bad, why), TP_ERR_CONFLICT);
	assert_int_equal(bad, 4);
	assert_int_equal(checked, 3);
	assert_non_null(strstr(why, "record 4: hash mismatch"));

	/* a careful intruder recomputes the row's hash: the next record's link gives it away */
	struct audit_query q = {.limit = 1, .after_id = 3};
	struct audit_page p;
	assert_int_equal(audit_list(f->st, &q, f->a, &p), TP_OK);
	assert_string_equal(p.items[0].actor, "mallory");
	char h[65], sql[200];
	audit_record_hash(&p.items[0], h);
	snprintf(sql, sizeof sql, "UPDATE audit_log SET hash = '%s' WHERE id = 4", h);
	assert_int_equal(raw(f, sql, NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &checked, &bad, why), TP_ERR_CONFLICT);
	assert_int_equal(bad, 5);
	assert_non_null(strstr(why, "record 5: link broken"));
}

static void a_removed_record_breaks_the_next_link(void **state)
{
	struct fx *f = *state;
	int64_t checked, bad;
	char why[512];
	append_n(f, 10);
	assert_int_equal(raw(f,
			     "DROP TRIGGER audit_log_no_delete;"
			     "DELETE FROM audit_log WHERE id = 6",
			     NULL, 0),
			 SQLITE_OK);
	assert_int_equal(verify(f, &checked, &bad, why), TP_ERR_CONFLICT);
	assert_int_equal(bad, 7);
	assert_non_null(strstr(why, "record 7: link broken"));
	assert_non_null(strstr(why, "记录 7"));
}

static void a_rolled_back_record_goes_with_its_transaction(void **state)
{
	struct fx *f = *state;
	int64_t checked, bad;
	char why[512];
	append_n(f, 2);
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(audit_append(f->st, &f->who, "talent.create", "talent", "77", "ok", "",
				      NULL, 0),
			 TP_OK);
	assert_int_equal(store_rollback(f->st), TP_OK);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log WHERE object_id = '77'"), 0);
	append_n(f, 2);
	assert_int_equal(store_begin(f->st), TP_OK); /* and one that commits */
	assert_int_equal(audit_append(f->st, &f->who, "talent.create", "talent", "78", "ok", "",
				      NULL, 0),
			 TP_OK);
	assert_int_equal(store_commit(f->st), TP_OK);
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 5);
	assert_int_equal(raw_count(f, "SELECT max(id) FROM audit_log"), 5);
}

static void time_bounds(void **state)
{
	(void)state;
	char out[25];
	assert_int_equal(audit_time_bound("2026-11-27", 0, out), 0);
	assert_string_equal(out, "2026-11-27T00:00:00.000Z");
	assert_int_equal(audit_time_bound("2026-11-27", 1, out), 0);
	assert_string_equal(out, "2026-11-27T23:59:59.999Z");
	assert_int_equal(audit_time_bound("2026-11-27T02:21:15Z", 1, out), 0);
	assert_string_equal(out, "2026-11-27T02:21:15.999Z");
	assert_int_equal(audit_time_bound("2026-11-27T02:21:15.123Z", 0, out), 0);
	assert_string_equal(out, "2026-11-27T02:21:15.123Z");
	assert_int_equal(audit_time_bound("2026-02-30", 0, out), -1);
	assert_int_equal(audit_time_bound("2026-11-27T24:00:00Z", 0, out), -1);
	assert_int_equal(audit_time_bound("2026-11-27 02:21:15Z", 0, out), -1);
	assert_int_equal(audit_time_bound("", 0, out), -1);
	assert_int_equal(audit_time_bound(NULL, 0, out), -1);
}

/* The UTC day `days_ago` days before today, as YYYY-MM-DD. */
static void day_before(long days_ago, char out[11])
{
	date_format(date_from_days((long)(time(NULL) / 86400) - days_ago), out);
}

static void archive_refuses_recent_records(void **state)
{
	struct fx *f = *state;
	char day[11], why[512];
	int64_t n = -1;
	append_n(f, 3);
	day_before(AUDIT_RETENTION_DAYS - 1, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_ERR_INVALID);
	assert_non_null(strstr(why, "180"));
	assert_int_equal(n, 0);
	assert_int_equal(access(f->out, F_OK), -1);
	assert_int_equal(audit_archive(f->st, f->kr, "next week", f->out, &f->who, &n, why,
				       sizeof why),
			 TP_ERR_INVALID);
	/* old enough a date, but nothing that old: no file, nothing removed */
	day_before(AUDIT_RETENTION_DAYS, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_OK);
	assert_int_equal(n, 0);
	assert_int_equal(access(f->out, F_OK), -1);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log"), 3);
}

static void archive_moves_old_records_to_a_signed_file(void **state)
{
	struct fx *f = *state;
	char day[11], why[512];
	int64_t n = 0, checked, bad;
	for (int i = 0; i < 5; i++) {
		char at[25];
		snprintf(at, sizeof at, "2020-01-0%dT08:00:00.000Z", i + 1);
		append_old(f, at);
	}
	append_n(f, 3);
	day_before(AUDIT_RETENTION_DAYS, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_OK);
	assert_int_equal(n, 5);
	struct stat sb;
	assert_int_equal(stat(f->out, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0); /* audit data: owner only */

	unsigned char pk[32], own[32];
	assert_int_equal(audit_verify_archive(f->out, &n, pk, why, sizeof why), TP_OK);
	assert_int_equal(n, 5);
	keyring_sign_pk(f->kr, own);
	assert_memory_equal(pk, own, 32);

	/* gone from the database; the archive and its own record are there */
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log WHERE id <= 5"), 0);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_archives WHERE first_id = 1 "
				      "AND last_id = 5"),
			 1);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log WHERE action = "
				      "'audit.archive' AND object_id = '1-5' AND actor = 'alice'"),
			 1);
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 4); /* 3 recent + audit.archive */
	append_n(f, 2);
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 6);

	/* the remainder is still protected, and the file is never overwritten */
	assert_int_not_equal(raw(f, "DELETE FROM audit_log WHERE id = 6", NULL, 0), SQLITE_OK);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_ERR_CONFLICT);
	assert_int_equal(audit_verify_archive(f->out, &n, NULL, why, sizeof why), TP_OK);

	/* a removed first remaining record shows against the archive's last hash */
	assert_int_equal(raw(f,
			     "DROP TRIGGER audit_log_no_delete;"
			     "DELETE FROM audit_log WHERE id = 6",
			     NULL, 0),
			 SQLITE_OK);
	assert_int_equal(verify(f, &checked, &bad, why), TP_ERR_CONFLICT);
	assert_int_equal(bad, 7);
}

static void archive_when_everything_is_old_and_appends_continue(void **state)
{
	struct fx *f = *state;
	char day[11], why[512];
	int64_t n = 0, checked, bad;
	append_old(f, "2019-05-01T00:00:00.000Z");
	append_old(f, "2019-05-02T00:00:00.000Z");
	day_before(AUDIT_RETENTION_DAYS + 10, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_OK);
	assert_int_equal(n, 2);
	/* only the audit.archive record is left: its id and link continue the archive */
	assert_int_equal(raw_count(f, "SELECT min(id) FROM audit_log"), 3);
	assert_int_equal(verify(f, &checked, &bad, why), TP_OK);
	assert_int_equal(checked, 1);
}

static void archive_refuses_a_broken_chain(void **state)
{
	struct fx *f = *state;
	char day[11], why[512];
	int64_t n = 0;
	append_old(f, "2020-01-01T00:00:00.000Z");
	append_old(f, "2020-01-02T00:00:00.000Z");
	append_old(f, "2020-01-03T00:00:00.000Z");
	assert_int_equal(raw(f,
			     "DROP TRIGGER audit_log_no_update;"
			     "UPDATE audit_log SET object_id = '10' WHERE id = 2",
			     NULL, 0),
			 SQLITE_OK);
	day_before(AUDIT_RETENTION_DAYS, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_ERR_CONFLICT);
	assert_non_null(strstr(why, "record 2"));
	assert_int_equal(access(f->out, F_OK), -1);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit_log"), 3);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

static void spit(const char *path, const char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	fclose(fp);
}

static void a_changed_archive_file_fails(void **state)
{
	struct fx *f = *state;
	char day[11], why[512];
	int64_t n = 0;
	for (int i = 0; i < 4; i++) {
		char at[25];
		snprintf(at, sizeof at, "2021-03-0%dT08:00:00.000Z", i + 1);
		append_old(f, at);
	}
	day_before(AUDIT_RETENTION_DAYS, day);
	assert_int_equal(audit_archive(f->st, f->kr, day, f->out, &f->who, &n, why, sizeof why),
			 TP_OK);
	size_t len;
	char *orig = slurp(f->out, &len);
	char *buf = malloc(len + 1);

	/* one changed character: the signature fails */
	memcpy(buf, orig, len + 1);
	char *p = strstr(buf, "\"alice\"");
	assert_non_null(p);
	p[1] = 'A';
	spit(f->out, buf, len);
	assert_int_equal(audit_verify_archive(f->out, &n, NULL, why, sizeof why), TP_ERR_CONFLICT);
	assert_non_null(strstr(why, "signature"));

	/* truncated: the signature line is gone */
	spit(f->out, orig, (size_t)(strrchr(orig, '{') - orig));
	assert_int_equal(audit_verify_archive(f->out, &n, NULL, why, sizeof why), TP_ERR_CONFLICT);

	/* a changed record re-signed with another key: the signature holds, the chain not */
	memcpy(buf, orig, len + 1);
	p = strstr(buf, "\"alice\"");
	p[1] = 'A';
	char *sig_line = strrchr(buf, '{');
	size_t body = (size_t)(sig_line - buf);
	char other_path[128], err[256];
	snprintf(other_path, sizeof other_path, "%s/other.key", f->dir);
	struct keyring *other;
	assert_int_equal(keyring_load(other_path, 1, &other, err, sizeof err), TP_OK);
	unsigned char sig[64], pk[32];
	char sig_hex[129], pk_hex[65];
	keyring_sign(other, buf, body, sig);
	keyring_sign_pk(other, pk);
	keyring_free(other);
	hex_encode(sig, 64, sig_hex);
	hex_encode(pk, 32, pk_hex);
	snprintf(sig_line, len + 1 - body,
		 "{\"signature\":\"%s\",\"public_key\":\"%s\",\"algorithm\":\"ed25519\"}\n",
		 sig_hex, pk_hex);
	spit(f->out, buf, strlen(buf));
	assert_int_equal(audit_verify_archive(f->out, &n, NULL, why, sizeof why), TP_ERR_CONFLICT);
	assert_non_null(strstr(why, "record 1: hash mismatch"));

	/* the original again: fine */
	spit(f->out, orig, len);
	assert_int_equal(audit_verify_archive(f->out, &n, NULL, why, sizeof why), TP_OK);
	assert_int_equal(n, 4);
	free(buf);
	free(orig);
	snprintf(other_path, sizeof other_path, "%s/missing", f->dir);
	assert_int_equal(audit_verify_archive(other_path, &n, NULL, why, sizeof why), TP_ERR_IO);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(appended_records_verify_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_appends_are_refused_and_hostile_text_is_clipped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(triggers_refuse_update_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(a_changed_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(a_removed_record_breaks_the_next_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_rolled_back_record_goes_with_its_transaction, setup,
						teardown),
		cmocka_unit_test(time_bounds),
		cmocka_unit_test_setup_teardown(archive_refuses_recent_records, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_moves_old_records_to_a_signed_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(archive_when_everything_is_old_and_appends_continue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(archive_refuses_a_broken_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(a_changed_archive_file_fails, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

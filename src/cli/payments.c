/*
 * payments.c — `talentport payments …` (payment runs, domain/payments.h) and
 * `talentport ledger check`.  Every payments command first finishes any job a killed
 * process left unfinished (payments_resume), so any of them can simply be run again.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/verr.h"
#include "domain/accounts.h"
#include "domain/actor.h"
#include "domain/payments.h"
#include "domain/recalc.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: talentport payments run --period YYYY-MM [--db PATH]\n"
		"       talentport payments resume [--db PATH]\n"
		"       talentport payments show --run ID [--db PATH]\n"
		"       talentport payments submit --run ID [--db PATH]\n"
		"       talentport payments approve --run ID --as USERNAME [--db PATH]  (password on stdin)\n"
		"       talentport payments announcement-end --run ID [--db PATH]\n"
		"       talentport payments export --run ID [--db PATH]\n"
		"       talentport payments results --run ID --file RESULTS.json [--db PATH]\n"
		"       talentport payments cancel --run ID --reason TEXT [--db PATH]\n"
		"       talentport payments recalc --period YYYY [--db PATH] [--pack DIR] [--threads N]\n"
		"  recalc   重算某年：对已确认/已付的待遇写入补发或追回的调整行 / recalculates a year:\n"
		"           an adjustment (arrears or clawback) for every confirmed or paid\n"
		"           entitlement whose amount changed (docs/payments.md)\n"
		"  run      生成付款批次（草稿） / builds a payment run (draft) of the confirmed\n"
		"           entitlements due by the period, within the yearly budgets\n"
		"  resume   完成被中断的批次任务 / finishes the jobs a killed process left\n"
		"  approve  财政审批：四眼原则，需审批人本人密码（标准输入） / finance approval:\n"
		"           four eyes, the approver's password is read from stdin\n"
		"  results  导入银行结果 / applies the bank's results: a JSON array of\n"
		"           {\"line_id\", \"paid\", \"reason\", \"bank_ref\"}\n"
		"  $TALENTPORT_PAY_BATCH  lines per transaction (default %d)\n",
		PAY_BATCH_DEFAULT);
}

static void print_run(const struct payment_run *r)
{
	printf("{\"id\":%lld,\"period\":\"%s\",\"state\":\"%s\",\"job\":%s%s%s,\"lines\":%lld,"
	       "\"total_fen\":%lld,\"waiting\":%lld,\"waiting_fen\":%lld,\"paid\":%lld,"
	       "\"paid_fen\":%lld,\"failed\":%lld,\"failed_fen\":%lld,\"offset_fen\":%lld}\n",
	       (long long)r->id, r->period, r->state, r->job ? "\"" : "", r->job ? r->job : "null",
	       r->job ? "\"" : "", (long long)r->lines, (long long)r->total_fen,
	       (long long)r->waiting, (long long)r->waiting_fen, (long long)r->paid,
	       (long long)r->paid_fen, (long long)r->failed, (long long)r->failed_fen,
	       (long long)r->offset_fen);
}

static int fail(const char *sub, enum tp_rc rc, const struct verrors *ve)
{
	if (ve && ve->n)
		for (size_t i = 0; i < ve->n; i++)
			fprintf(stderr, "talentport payments %s: %s: %s / %s\n", sub, ve->v[i].field,
				ve->v[i].zh, ve->v[i].en);
	else
		fprintf(stderr, "talentport payments %s: %s\n", sub, tp_rc_str(rc));
	return 1;
}

/* Reads the results file: a JSON array; *out in a. */
static int read_results(const char *path, struct arena *a, struct pay_result **out, size_t *n)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc || !json_is_array(doc)) {
		fprintf(stderr, "talentport payments results: %s: %s\n", path,
			doc ? "not a JSON array" : je.text);
		json_decref(doc);
		return -1;
	}
	*n = json_array_size(doc);
	*out = arena_alloc(a, (*n + 1) * sizeof **out);
	for (size_t i = 0; *out && i < *n; i++) {
		json_t *o = json_array_get(doc, i);
		json_t *id = json_object_get(o, "line_id"), *paid = json_object_get(o, "paid");
		if (!json_is_integer(id) || !json_is_boolean(paid)) {
			fprintf(stderr, "talentport payments results: item %zu: line_id (integer) "
					"and paid (boolean) are required\n", i);
			json_decref(doc);
			return -1;
		}
		const char *reason = json_string_value(json_object_get(o, "reason"));
		const char *ref = json_string_value(json_object_get(o, "bank_ref"));
		(*out)[i] = (struct pay_result){.line_id = json_integer_value(id),
						.paid = json_is_true(paid),
						.reason = reason ? arena_strdup(a, reason) : NULL,
						.bank_ref = ref ? arena_strdup(a, ref) : NULL};
	}
	json_decref(doc);
	return *out ? 0 : -1;
}

/* The approver named by --as, with their password from stdin. */
static enum tp_rc approver(struct store *st, struct arena *a, const char *username,
			   struct actor *who, char *pw, size_t pwlen)
{
	struct user u;
	enum tp_rc rc = STORE_CALL(user_get, st, 0, username, a, &u);
	if (rc != TP_OK)
		return rc;
	*who = actor_system();
	who->user_id = u.id;
	who->username = u.username;
	who->role = u.role;
	who->unmask = 0;
	if (!fgets(pw, (int)pwlen, stdin))
		pw[0] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	return u.role == ROLE_FINANCE ? TP_OK : TP_ERR_INVALID;
}

/* `talentport payments recalc --period Y [--db] [--pack] [--threads]` (domain/recalc.h). */
static int cmd_recalc(int argc, char **argv)
{
	const char *db = NULL, *period = NULL, *pack = "policies/jinjiang", *threads = NULL;
	long year = 0, nt = 0;
	for (int i = 2; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--period", &period)) ||
		    (r = cli_opt_value(argc, argv, &i, "--pack", &pack)) ||
		    (r = cli_opt_value(argc, argv, &i, "--threads", &threads))) {
			if (r < 0)
				return 2;
			continue;
		}
		fprintf(stderr, "talentport payments: unknown argument '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	if (!period || cli_parse_long("--period", period, 1, 9999, &year) != 0 ||
	    (threads && cli_parse_long("--threads", threads, 1, 256, &nt) != 0)) {
		usage(stderr);
		return 2;
	}
	struct store *st;
	char err[512];
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport payments: %s\n", err);
		return 1;
	}
	int applied, version;
	enum tp_rc rc = store_migrate(st, &applied, &version);
	struct recalc_result res;
	memset(&res, 0, sizeof res);
	if (rc == TP_OK)
		rc = payments_recalc(st, NULL, pack, (int)year, (int)nt, &res);
	if (rc == TP_OK)
		printf("recalc %ld: pack %s, %lld compared; %lld adjustments (%lld arrears %lld fen, "
		       "%lld clawbacks %lld fen)\n",
		       year, res.pack_id, (long long)res.c.compared, (long long)res.c.adjustments,
		       (long long)res.c.arrears, (long long)res.c.arrears_fen,
		       (long long)res.c.clawbacks, (long long)res.c.clawback_fen);
	else
		fprintf(stderr, "talentport payments recalc: %s\n",
			res.err[0] ? res.err : tp_rc_str(rc));
	store_close(st);
	return rc == TP_OK ? 0 : 1;
}

int cmd_payments(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "recalc") == 0)
		return cmd_recalc(argc, argv);
	const char *db = NULL, *sub = NULL, *period = NULL, *run = NULL, *as = NULL, *file = NULL,
		   *reason = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--period", &period)) ||
		    (r = cli_opt_value(argc, argv, &i, "--run", &run)) ||
		    (r = cli_opt_value(argc, argv, &i, "--as", &as)) ||
		    (r = cli_opt_value(argc, argv, &i, "--file", &file)) ||
		    (r = cli_opt_value(argc, argv, &i, "--reason", &reason))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!sub && argv[i][0] != '-') {
			sub = argv[i];
			continue;
		}
		fprintf(stderr, "talentport payments: unknown argument '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	static const char *const subs[] = {"run", "resume", "show", "submit", "approve",
					   "announcement-end", "export", "results", "cancel", NULL};
	int known = 0;
	for (int k = 0; sub && subs[k]; k++)
		known |= strcmp(sub, subs[k]) == 0;
	long id = 0;
	int needs_run = known && strcmp(sub, "run") != 0 && strcmp(sub, "resume") != 0;
	if (!known || (needs_run && (!run || cli_parse_long("--run", run, 1, INT64_MAX, &id) != 0)) ||
	    (strcmp(sub, "run") == 0 && !period) || (strcmp(sub, "approve") == 0 && !as) ||
	    (strcmp(sub, "results") == 0 && !file)) {
		usage(stderr);
		return 2;
	}
	struct store *st;
	char err[512];
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport payments: %s\n", err);
		return 1;
	}
	int applied, version;
	enum tp_rc rc = store_migrate(st, &applied, &version);
	struct arena *a = arena_new();
	struct verrors ve;
	verr_init(&ve, a);
	struct actor who = actor_system();
	int resumed = 0;
	if (rc == TP_OK)
		rc = payments_resume(st, &resumed);
	if (rc == TP_OK && resumed)
		fprintf(stderr, "talentport payments: finished %d interrupted job(s)\n", resumed);
	if (rc == TP_OK) {
		if (strcmp(sub, "run") == 0) {
			int64_t rid;
			rc = payment_run_create(st, &who, period, &rid, &ve);
			id = rid;
		} else if (strcmp(sub, "submit") == 0) {
			rc = payment_run_submit(st, &who, id, &ve);
		} else if (strcmp(sub, "approve") == 0) {
			char pw[256];
			rc = approver(st, a, as, &who, pw, sizeof pw);
			if (rc == TP_OK)
				rc = payment_run_approve(st, &who, id, pw, &ve);
			else if (rc == TP_ERR_INVALID || rc == TP_ERR_NOT_FOUND)
				verr_add(&ve, "as", "not_finance", "审批人须为财政角色的账户",
					 "the approver must be a finance account"),
					rc = TP_ERR_INVALID;
		} else if (strcmp(sub, "announcement-end") == 0) {
			rc = payment_run_announcement_end(st, &who, id, &ve);
		} else if (strcmp(sub, "export") == 0) {
			rc = payment_run_mark_exported(st, &who, id, &ve);
		} else if (strcmp(sub, "results") == 0) {
			struct pay_result *res;
			size_t n;
			int64_t replayed;
			if (read_results(file, a, &res, &n) != 0)
				rc = TP_ERR_INVALID;
			else
				rc = payment_run_apply_results(st, &who, id, res, n, &replayed, &ve);
		} else if (strcmp(sub, "cancel") == 0) {
			rc = payment_run_cancel(st, &who, id, reason, &ve);
		}
	}
	struct payment_run r;
	if (rc == TP_OK && id && payment_run_get(st, id, a, &r) == TP_OK)
		print_run(&r);
	int status = rc == TP_OK ? 0 : fail(sub, rc, &ve);
	arena_free(a);
	store_close(st);
	return status;
}

int cmd_ledger(int argc, char **argv)
{
	const char *db = NULL, *sub = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			printf("usage: talentport ledger check [--db PATH]\n"
			       "  核对账本 / checks the ledger: every entry balances, all accounts sum to\n"
			       "  zero, paid <= approved per entitlement, no entitlement key paid twice.\n"
			       "  Exit 1 naming the first violation.\n");
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!sub && argv[i][0] != '-') {
			sub = argv[i];
			continue;
		}
		fprintf(stderr, "talentport ledger: unknown argument '%s'\n", argv[i]);
		return 2;
	}
	if (!sub || strcmp(sub, "check") != 0) {
		fprintf(stderr, "usage: talentport ledger check [--db PATH]\n");
		return 2;
	}
	struct store *st;
	char err[512];
	if (store_open(cli_db_path(db), STORE_READONLY, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport ledger: %s\n", err);
		return 1;
	}
	struct ledger_report rep;
	enum tp_rc rc = ledger_check(st, &rep);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport ledger check: %s\n", tp_rc_str(rc));
		return 1;
	}
	printf("{\"ok\":%s,\"entries\":%lld,\"postings\":%lld,\"sum_fen\":%lld,"
	       "\"approved_fen\":%lld,\"paid_fen\":%lld}\n",
	       rep.ok ? "true" : "false", (long long)rep.entries, (long long)rep.postings,
	       (long long)rep.sum_fen, (long long)rep.approved_fen, (long long)rep.paid_fen);
	if (!rep.ok) {
		fprintf(stderr, "talentport ledger check: %s\n", rep.violation);
		return 1;
	}
	return 0;
}

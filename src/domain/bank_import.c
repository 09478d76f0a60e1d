/*
 * bank_import.c — verified bank accounts in bulk (domain/bank_import.h).
 *
 * One pass over the file inside one transaction: each row is checked (the checks of
 * bank_account_validate), written (the store's replace, as bank_account_put) and audited;
 * a bad row writes nothing and is reported.  At the end the transaction commits — or, with
 * all_or_nothing and a bad row, or on a database error, rolls back.  The file is streamed:
 * memory does not grow with the rows (a set of the beneficiaries seen, 16 bytes each).
 */
#include "domain/bank_import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/luhn.h"
#include "core/verr.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/bank_accounts.h"
#include "io/table.h"
#include "store/bank_accounts.h"
#include "store/store.h"

enum col { C_ID_NUMBER, C_CREDIT_CODE, C_BANK, C_BRANCH, C_NAME, C_NUMBER, C_REASON, C_COUNT };

/* Accepted header texts of each column (Chinese, English; English compared without case). */
static const char *const HEADERS[C_COUNT][4] = {
	[C_ID_NUMBER] = {"身份证号", "证件号码", "id_number", NULL},
	[C_CREDIT_CODE] = {"统一社会信用代码", "credit_code", NULL, NULL},
	[C_BANK] = {"开户银行", "银行", "bank", NULL},
	[C_BRANCH] = {"开户网点", "开户支行", "branch", NULL},
	[C_NAME] = {"户名", "账户名", "account_name", NULL},
	[C_NUMBER] = {"账号", "卡号", "account_number", NULL},
	[C_REASON] = {"原因", "reason", NULL, NULL},
};

/* The beneficiaries seen in the file: an open-addressing set of (kind, id). */
struct seen {
	uint64_t *k;
	size_t cap, n;
};

/* 1 when key was already in the set, 0 when added, -1 out of memory. */
static int seen_add(struct seen *s, uint64_t key)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint64_t *k = calloc(cap, sizeof *k);
		if (!k)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->k[i])
				for (size_t j = (size_t)(s->k[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);;
				     j = (j + 1) & (cap - 1))
					if (!k[j]) {
						k[j] = s->k[i];
						break;
					}
		free(s->k);
		s->k = k;
		s->cap = cap;
	}
	for (size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull) & (s->cap - 1);;
	     j = (j + 1) & (s->cap - 1)) {
		if (s->k[j] == key)
			return 1;
		if (!s->k[j]) {
			s->k[j] = key;
			s->n++;
			return 0;
		}
	}
}

static void add_error(struct bank_import_result *res, size_t row, const char *field,
		      const char *code, const char *zh, const char *en)
{
	res->errors_total++;
	if (res->nerrors >= BANK_IMPORT_MAX_ERRORS)
		return;
	if (res->nerrors % 64 == 0) {
		struct bank_import_error *more =
		    arena_alloc(res->arena, (res->nerrors + 64) * sizeof *more);
		if (!more)
			return;
		if (res->nerrors)
			memcpy(more, res->errors, res->nerrors * sizeof *more);
		res->errors = more;
	}
	res->errors[res->nerrors++] = (struct bank_import_error){
	    .row = row,
	    .field = arena_strdup(res->arena, field),
	    .code = arena_strdup(res->arena, code),
	    .zh = arena_strdup(res->arena, zh),
	    .en = arena_strdup(res->arena, en)};
}

static int header_col(const char *h)
{
	while (*h == ' ')
		h++;
	size_t n = strlen(h);
	while (n && h[n - 1] == ' ')
		n--;
	for (int c = 0; c < C_COUNT; c++)
		for (int k = 0; k < 4 && HEADERS[c][k]; k++)
			if (strlen(HEADERS[c][k]) == n && strncasecmp(h, HEADERS[c][k], n) == 0)
				return c;
	return -1;
}

static const char *cell(const char *const *cells, size_t n, int idx)
{
	return idx >= 0 && (size_t)idx < n ? cells[idx] : "";
}

static int blank(const char *s)
{
	while (*s == ' ')
		s++;
	return !*s;
}

/* Checks and writes one row (inside the transaction); TP_OK with *outcome 0 written
 * (added or changed: *changed), 1 unchanged, 2 refused (errors added); another code: the
 * database failed. */
static enum tp_rc one_row(struct store *st, struct arena *a, const struct actor *who,
			  const int *col, const char *const *cells, size_t n, size_t row,
			  int64_t now, struct seen *seen, struct bank_import_result *res,
			  int *outcome, int *changed)
{
	struct verrors ve;
	verr_init(&ve, a);
	*outcome = 2;
	*changed = 0;
	const char *idn = cell(cells, n, col[C_ID_NUMBER]);
	const char *ucc = cell(cells, n, col[C_CREDIT_CODE]);
	struct bank_account b;
	memset(&b, 0, sizeof b);
	enum tp_rc rc;
	if (blank(idn) == blank(ucc)) {
		add_error(res, row, blank(idn) ? "id_number" : "credit_code", "beneficiary_required",
			  "须填写身份证号（人才）或统一社会信用代码（企业）之一，且只填一个",
			  "give exactly one of id_number (a talent) or credit_code (an enterprise)");
		return TP_OK;
	}
	int talent = !blank(idn);
	while (*idn == ' ')
		idn++;
	while (*ucc == ' ')
		ucc++;
	b.beneficiary_kind = talent ? "talent" : "enterprise";
	rc = talent ? STORE_CALL(talent_find_id_number, st, idn, &b.beneficiary_id)
		    : STORE_CALL(enterprise_find_credit_code, st, ucc, &b.beneficiary_id);
	if (rc == TP_ERR_NOT_FOUND || rc == TP_ERR_INVALID) {
		add_error(res, row, talent ? "id_number" : "credit_code", "beneficiary_not_found",
			  talent ? "没有该身份证号的人才" : "没有该统一社会信用代码的企业",
			  talent ? "no talent has this ID number"
				 : "no enterprise has this credit code");
		return TP_OK;
	}
	if (rc != TP_OK)
		return rc;
	b.bank = cell(cells, n, col[C_BANK]);
	b.branch = cell(cells, n, col[C_BRANCH]);
	b.account_name = cell(cells, n, col[C_NAME]);
	b.number = cell(cells, n, col[C_NUMBER]);
	b.reason = col[C_REASON] >= 0 ? cell(cells, n, col[C_REASON]) : "";
	rc = bank_account_validate(st, &b, a, &ve);
	if (rc == TP_ERR_INVALID) {
		for (size_t i = 0; i < ve.n; i++)
			add_error(res, row, ve.v[i].field, ve.v[i].code, ve.v[i].zh, ve.v[i].en);
		return TP_OK;
	}
	if (rc != TP_OK)
		return rc;
	int dup = seen_add(seen, (uint64_t)b.beneficiary_id << 1 | (uint64_t)!talent);
	if (dup < 0)
		return TP_ERR_NOMEM;
	if (dup) {
		add_error(res, row, talent ? "id_number" : "credit_code", "duplicate_beneficiary",
			  "同一受益人在文件中出现多次：只能有一个账户",
			  "the beneficiary appears earlier in the file: one account each");
		return TP_OK;
	}
	/* the same account again: nothing to do (no change, no hold) */
	struct bank_account cur;
	rc = st->ops->bank->current(st, b.beneficiary_kind, b.beneficiary_id, 1, a, &cur);
	if (rc == TP_OK && !cur.invalid_at && strcmp(cur.bank, b.bank) == 0 &&
	    strcmp(cur.branch, b.branch) == 0 && strcmp(cur.account_name, b.account_name) == 0 &&
	    cur.number && strcmp(cur.number, b.number) == 0) {
		*outcome = 1;
		return TP_OK;
	}
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		return rc;
	const char *digits = b.number;
	b.created_at = now;
	b.created_by = who->user_id;
	b.created_by_name = who->username && *who->username ? who->username : "system";
	if ((rc = st->ops->bank->replace(st, &b)) != TP_OK)
		return rc;
	char mask[24];
	bank_number_mask(digits, mask);
	/* as bank_account_put: never the number, the mask and whether a reason was given */
	rc = audit_changef(st, who, b.previous_id ? "bank_account.change" : "bank_account.add",
			   "bank_account", b.id,
			   "{\"beneficiary\":\"%s/%lld\",\"previous_id\":%lld,\"mask\":\"%s\","
			   "\"reason_given\":%s,\"import\":true}",
			   b.beneficiary_kind, (long long)b.beneficiary_id, (long long)b.previous_id,
			   mask, b.reason && *b.reason ? "true" : "false");
	if (rc == TP_OK) {
		*outcome = 0;
		*changed = b.previous_id != 0;
	}
	return rc;
}

enum tp_rc bank_accounts_import(struct store *st, struct table_reader *r,
				const struct bank_import_opts *o, struct bank_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (!(res->arena = arena_new()))
		return TP_ERR_NOMEM;
	struct actor sys = actor_system();
	const struct actor *who = o && o->who ? o->who : &sys;
	int64_t now = o && o->now ? o->now : tp_now();
	const char *const *cells;
	size_t n;
	int got = table_next(r, &cells, &n);
	if (got <= 0) {
		res->file_error = 1;
		add_error(res, got < 0 ? table_row_number(r) : 1, "file",
			  got < 0 ? "unreadable" : "empty",
			  got < 0 ? "文件无法读取" : "文件为空：第 1 行须为表头",
			  got < 0 ? table_error(r) : "the file is empty: row 1 must be the header");
		return TP_OK;
	}
	int col[C_COUNT];
	for (int c = 0; c < C_COUNT; c++)
		col[c] = -1;
	for (size_t i = 0; i < n; i++) {
		int c = header_col(cells[i]);
		if (c >= 0 && col[c] < 0)
			col[c] = (int)i;
	}
	static const char *const need[] = {"bank", "branch", "account_name", "account_number"};
	for (int c = C_BANK; c <= C_NUMBER; c++)
		if (col[c] < 0)
			add_error(res, 1, need[c - C_BANK], "column_missing",
				  "表头缺少必填列（开户银行、开户网点、户名、账号）",
				  "the header lacks a required column (bank, branch, account_name, "
				  "account_number)");
	if (col[C_ID_NUMBER] < 0 && col[C_CREDIT_CODE] < 0)
		add_error(res, 1, "id_number", "column_missing",
			  "表头须有身份证号或统一社会信用代码列",
			  "the header needs an id_number or a credit_code column");
	if (res->errors_total) {
		res->file_error = 1;
		return TP_OK;
	}

	struct seen seen = {0};
	enum tp_rc rc = store_begin(st);
	struct arena *a = NULL;
	size_t since_fresh = 0;
	while (rc == TP_OK && (got = table_next(r, &cells, &n)) > 0) {
		if (!a || ++since_fresh == 256) { /* a row's strings: freed every 256 rows */
			arena_free(a);
			since_fresh = 0;
			if (!(a = arena_new())) {
				rc = TP_ERR_NOMEM;
				break;
			}
		}
		res->rows++;
		int outcome, changed;
		rc = one_row(st, a, who, col, cells, n, table_row_number(r), now, &seen, res,
			     &outcome, &changed);
		if (rc != TP_OK)
			break;
		if (outcome == 2)
			res->failed++;
		else if (outcome == 1)
			res->unchanged++;
		else if (changed)
			res->changed++;
		else
			res->added++;
	}
	arena_free(a);
	free(seen.k);
	if (rc == TP_OK && got < 0) {
		res->file_error = 1;
		add_error(res, table_row_number(r), "file", "unreadable", "文件无法读取",
			  table_error(r));
	}
	int keep = rc == TP_OK && !res->file_error && !(o && o->all_or_nothing && res->failed) &&
		   res->added + res->changed > 0;
	char fname[256];
	size_t fl = 0;
	for (const char *f = o && o->filename ? o->filename : ""; *f && fl + 1 < sizeof fname; f++)
		fname[fl++] = *f == '"' || *f == '\\' || (unsigned char)*f < 0x20 ? '_' : *f;
	fname[fl] = '\0';
	if (keep)
		rc = audit_changef(st, who, "bank_account.import", "bank_account", 0,
				   "{\"file\":\"%s\",\"rows\":%zu,\"added\":%zu,\"changed\":%zu,"
				   "\"unchanged\":%zu,\"failed\":%zu}",
				   fname, res->rows, res->added,
				   res->changed, res->unchanged, res->failed);
	if (rc == TP_OK && !keep)
		rc = TP_ERR_CONFLICT; /* roll back (nothing written or nothing to keep) */
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT && !keep)
		rc = TP_OK;
	else if (rc == TP_OK)
		res->committed = 1;
	return rc;
}

void bank_import_release(struct bank_import_result *res)
{
	if (res) {
		arena_free(res->arena);
		memset(res, 0, sizeof *res);
	}
}

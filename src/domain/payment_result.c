/*
 * payment_result.c — the bank's result file read against a run's lines
 * (layout and rules in docs/payment-files.md).
 *
 * All or nothing: a row that cannot be read (MALFORMED), a line repeated with a
 * different outcome (CONFLICT) or an amount that is not the line's (AMOUNT) make the
 * report not applicable; rows for lines outside the run (UNMATCHED), exact repeats
 * (DUPLICATE) and run lines without a row (MISSING) are reported and do not block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "domain/payment_files_int.h"
#include "io/table.h"

struct parse {
	struct pay_result_report *rep;
	size_t rescap;
	const struct pay_line_view *lines;
	struct pf_idmap map;
	size_t *first;           /* per line: 1 + index into results, or 0 */
	signed char *first_paid; /* per line: the first row's status (-1 none) */
	int64_t *first_amount;
};

static void issue(struct parse *p, enum pay_issue_kind kind, size_t row, int64_t line_id,
		  const char *code, const char *zh, const char *en, ...)
	__attribute__((format(printf, 7, 8)));

/* Records an issue; zh is a fixed text, en a format for the detail (row prefixed). */
static void issue(struct parse *p, enum pay_issue_kind kind, size_t row, int64_t line_id,
		  const char *code, const char *zh, const char *en, ...)
{
	struct pay_result_report *rep = p->rep;
	struct pay_result_issue *is;
	char detail[120];
	va_list ap;

	switch (kind) {
	case PAY_ISSUE_MALFORMED: rep->malformed++; break;
	case PAY_ISSUE_UNMATCHED: rep->unmatched++; break;
	case PAY_ISSUE_DUPLICATE: rep->duplicates++; break;
	case PAY_ISSUE_CONFLICT: rep->conflicts++; break;
	case PAY_ISSUE_AMOUNT: rep->amount_mismatches++; break;
	case PAY_ISSUE_MISSING: rep->missing++; break;
	}
	if (rep->nissues == PAY_RESULT_MAX_ISSUES) {
		rep->issues_truncated = 1;
		return;
	}
	is = &rep->issues[rep->nissues++];
	is->kind = kind;
	is->row = row;
	is->line_id = line_id;
	is->code = code;
	va_start(ap, en);
	vsnprintf(detail, sizeof(detail), en, ap);
	va_end(ap);
	if (row > 0) {
		snprintf(is->zh, sizeof(is->zh), "第 %zu 行：%s", row, zh);
		snprintf(is->en, sizeof(is->en), "row %zu: %s", row, detail);
	} else {
		snprintf(is->zh, sizeof(is->zh), "%s", zh);
		snprintf(is->en, sizeof(is->en), "%s", detail);
	}
}

/* A caption row: its first cell holds text that does not start with a digit. */
static int is_caption(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s && !(*s >= '0' && *s <= '9');
}

/* s without ASCII blanks around it, into out (cap bytes); 0 if it did not fit. */
static int trimmed(const char *s, char *out, size_t cap)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/* A positive decimal line id of at most 18 digits; 0 if not. */
static int64_t parse_id(const char *s)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 18)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* 1 paid, 0 failed, -1 not a status. */
static int parse_status(const char *s)
{
	if (strcmp(s, "成功") == 0 || strcmp(s, "S") == 0 || strcmp(s, "s") == 0)
		return 1;
	if (strcmp(s, "失败") == 0 || strcmp(s, "F") == 0 || strcmp(s, "f") == 0)
		return 0;
	return -1;
}

static int add_result(struct parse *p, size_t li, int paid, const char *reason,
		      const char *ref)
{
	struct pay_result_report *rep = p->rep;
	struct pay_result *r;

	if (rep->nresults == p->rescap) {
		size_t cap = p->rescap ? p->rescap * 2 : 256;
		struct pay_result *n = realloc(rep->results, cap * sizeof(*n));

		if (!n)
			return -1;
		rep->results = n;
		p->rescap = cap;
	}
	r = &rep->results[rep->nresults];
	r->line_id = p->lines[li].line_id;
	r->paid = paid;
	r->reason = strdup(reason);
	r->bank_ref = strdup(ref);
	if (!r->reason || !r->bank_ref) {
		free((char *)r->reason);
		free((char *)r->bank_ref);
		return -1;
	}
	rep->nresults++;
	p->first[li] = rep->nresults;
	rep->matched++;
	if (paid) {
		rep->paid++;
		rep->paid_fen += p->lines[li].amount_fen;
	} else {
		rep->failed++;
		rep->failed_fen += p->lines[li].amount_fen;
	}
	return 0;
}

/* One data row; returns 0, or -1 when out of memory. */
static int one_row(struct parse *p, size_t row, const char *const *cells, size_t nc)
{
	char idt[32], st[32], amt[48], reason[PAY_RESULT_MAX_REASON + 1],
		ref[PAY_RESULT_MAX_REF + 1], yuan[PAYFILE_YUAN_BUFSZ], yuan2[PAYFILE_YUAN_BUFSZ];
	int64_t id, fen;
	size_t li;
	int paid;

	if (nc < 3)
		return issue(p, PAY_ISSUE_MALFORMED, row, 0, "result_columns",
			     "至少需要 明细编号、状态、金额 三列",
			     "needs at least line id, status and amount (%zu columns)", nc),
		       0;
	if (!trimmed(cells[0], idt, sizeof(idt)) || (id = parse_id(idt)) <= 0)
		return issue(p, PAY_ISSUE_MALFORMED, row, 0, "result_line_id",
			     "明细编号必须是正整数", "line id must be a positive integer"),
		       0;
	if (!trimmed(cells[1], st, sizeof(st)) || (paid = parse_status(st)) < 0)
		return issue(p, PAY_ISSUE_MALFORMED, row, id, "result_status",
			     "状态必须是 成功/失败 或 S/F", "status must be 成功/失败 or S/F"),
		       0;
	if (!trimmed(cells[2], amt, sizeof(amt)) || money_parse_yuan(amt, &fen) != 0 || fen <= 0)
		return issue(p, PAY_ISSUE_MALFORMED, row, id, "result_amount",
			     "金额必须是大于 0 的元金额，最多两位小数",
			     "amount must be yuan > 0 with at most 2 decimals"),
		       0;
	if (!trimmed(nc > 3 ? cells[3] : "", reason, sizeof(reason)))
		return issue(p, PAY_ISSUE_MALFORMED, row, id, "result_reason",
			     "原因不能超过 500 字节", "reason longer than %d bytes",
			     PAY_RESULT_MAX_REASON),
		       0;
	if (!trimmed(nc > 4 ? cells[4] : "", ref, sizeof(ref)))
		return issue(p, PAY_ISSUE_MALFORMED, row, id, "result_bank_ref",
			     "银行流水号不能超过 64 字节", "bank reference longer than %d bytes",
			     PAY_RESULT_MAX_REF),
		       0;
	li = pf_idmap_find(&p->map, id);
	if (li == (size_t)-1)
		return issue(p, PAY_ISSUE_UNMATCHED, row, id, "result_unmatched",
			     "明细编号不在本批次中，已跳过",
			     "line %lld is not in this run; skipped", (long long)id),
		       0;
	if (p->first_paid[li] >= 0) {
		if (p->first_paid[li] == paid && p->first_amount[li] == fen)
			return issue(p, PAY_ISSUE_DUPLICATE, row, id, "result_duplicate",
				     "与前面的行重复（结果相同），已跳过",
				     "line %lld repeated with the same result; skipped",
				     (long long)id),
			       0;
		return issue(p, PAY_ISSUE_CONFLICT, row, id, "result_conflict",
			     "同一明细出现两次且结果不同",
			     "line %lld appears again with another status or amount",
			     (long long)id),
		       0;
	}
	p->first_paid[li] = (signed char)paid;
	p->first_amount[li] = fen;
	if (fen != p->lines[li].amount_fen)
		return issue(p, PAY_ISSUE_AMOUNT, row, id, "result_amount_mismatch",
			     "银行金额与本批次明细金额不一致",
			     "line %lld: bank amount %s, run amount %s", (long long)id,
			     payfile_yuan(fen, yuan), payfile_yuan(p->lines[li].amount_fen, yuan2)),
		       0;
	return add_result(p, li, paid, reason, ref);
}

static void say(char *msg, size_t msglen, const char *zh, const char *en, const char *detail)
{
	if (msg && msglen > 0)
		snprintf(msg, msglen, "%s%s%s / %s%s%s", zh, *detail ? "：" : "", detail, en,
			 *detail ? ": " : "", detail);
}

void payfile_result_free(struct pay_result_report *rep)
{
	size_t i;

	if (!rep)
		return;
	for (i = 0; i < rep->nresults; i++) {
		free((char *)rep->results[i].reason);
		free((char *)rep->results[i].bank_ref);
	}
	free(rep->results);
	free(rep->issues);
	free(rep);
}

static void parse_free(struct parse *p)
{
	pf_idmap_free(&p->map);
	free(p->first);
	free(p->first_paid);
	free(p->first_amount);
}

enum tp_rc payfile_result_parse(const void *buf, size_t len, const struct pay_line_view *lines,
				size_t n, struct pay_result_report **out, char *msg,
				size_t msglen)
{
	struct parse p = {0};
	struct table_reader *r = NULL;
	const char *const *cells;
	char err[256] = "";
	size_t nc, i;
	int64_t bad = 0;
	enum tp_rc rc;
	int got, first = 1;

	*out = NULL;
	if (msg && msglen > 0)
		msg[0] = '\0';
	rc = pf_idmap_build(&p.map, lines, n, &bad);
	if (rc == TP_ERR_INVALID) {
		char d[32];

		snprintf(d, sizeof(d), "%lld", (long long)bad);
		say(msg, msglen, "批次明细编号重复或无效", "the run's line ids are not unique", d);
		return rc;
	}
	if (rc != TP_OK)
		return rc;
	rc = table_open_mem(buf, len, TABLE_AUTO, &r, err, sizeof(err));
	if (rc != TP_OK) {
		pf_idmap_free(&p.map);
		say(msg, msglen, "无法读取银行结果文件", "cannot read the bank result file", err);
		return rc;
	}
	if (table_was_gb18030(r)) {
		table_close(r);
		pf_idmap_free(&p.map);
		say(msg, msglen,
		    "银行结果文件不是 UTF-8 编码（像是 GBK/GB18030），请另存为 UTF-8 后再导入",
		    "the bank result file is not UTF-8 (it looks like GBK/GB18030); save it as "
		    "UTF-8 and import again",
		    "");
		return TP_ERR_INVALID;
	}
	p.lines = lines;
	p.rep = calloc(1, sizeof(*p.rep));
	p.first = calloc(n ? n : 1, sizeof(*p.first));
	p.first_paid = malloc(n ? n : 1);
	p.first_amount = calloc(n ? n : 1, sizeof(*p.first_amount));
	if (!p.rep || !p.first || !p.first_paid || !p.first_amount ||
	    !(p.rep->issues = calloc(PAY_RESULT_MAX_ISSUES, sizeof(*p.rep->issues))))
		goto nomem;
	memset(p.first_paid, -1, n ? n : 1);
	while ((got = table_next(r, &cells, &nc)) == 1) {
		size_t row = table_row_number(r);

		if (first) {
			first = 0;
			if (nc >= 1 && is_caption(cells[0]))
				continue;
		}
		p.rep->rows++;
		if (one_row(&p, row, cells, nc) < 0)
			goto nomem;
	}
	if (got < 0) {
		char d[320];

		rc = table_error_code(r);
		snprintf(d, sizeof(d), "%s", table_error(r));
		say(msg, msglen, "无法读取银行结果文件", "cannot read the bank result file", d);
		table_close(r);
		payfile_result_free(p.rep);
		parse_free(&p);
		return rc == TP_OK ? TP_ERR_INVALID : rc;
	}
	table_close(r);
	for (i = 0; i < n; i++)
		if (p.first_paid[i] < 0)
			issue(&p, PAY_ISSUE_MISSING, 0, lines[i].line_id, "result_missing",
			      "本批次明细在银行结果中没有对应行，仍待银行结果",
			      "line %lld has no row in the result; it stays pending",
			      (long long)lines[i].line_id);
	p.rep->applicable =
		p.rep->malformed == 0 && p.rep->conflicts == 0 && p.rep->amount_mismatches == 0;
	*out = p.rep;
	parse_free(&p);
	return TP_OK;
nomem:
	table_close(r);
	payfile_result_free(p.rep);
	parse_free(&p);
	return TP_ERR_NOMEM;
}

/*
 * payment_files.c — what every payment file shares: 元 formatting, masking, the line
 * checks and the line-id map.  See payment_files.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/utf8.h"
#include "domain/payment_files_int.h"

const char *payfile_yuan(int64_t fen, char out[PAYFILE_YUAN_BUFSZ])
{
	/* the one fen → 元 formatter of the project: integer arithmetic, INT64_MIN safe */
	money_format_yuan(fen, out, PAYFILE_YUAN_BUFSZ);
	return out;
}

/* Length of the character at s (invalid bytes count 1). */
static size_t char_len(const char *s, size_t avail)
{
	size_t k = utf8_seq_len((const unsigned char *)s, avail);

	return k ? k : 1;
}

const char *payfile_mask_name(const char *name, char *out, size_t outlen)
{
	size_t n, i, o;

	if (!out || outlen == 0)
		return out;
	out[0] = '\0';
	if (!name || !*name)
		return out;
	n = strlen(name);
	i = char_len(name, n);
	if (i >= outlen)
		return out;
	memcpy(out, name, i);
	o = i;
	while (i < n && o + 1 < outlen) {
		i += char_len(name + i, n - i);
		out[o++] = '*';
	}
	out[o] = '\0';
	return out;
}

const char *pf_mask_safe(const char *s, char *out, size_t outlen)
{
	size_t n, i, keep;

	if (!s)
		s = "";
	n = strlen(s);
	if (strchr(s, '*') || n == 0) {
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, s, n);
		out[n] = '\0';
		return out;
	}
	if (n == 18) {
		memcpy(out, s, 6);
		memset(out + 6, '*', 8);
		memcpy(out + 14, s + 14, 4);
		out[18] = '\0';
		return out;
	}
	if (n >= outlen)
		n = outlen - 1; /* long junk: masked whole, cut */
	keep = n > 4 ? 4 : 0;
	for (i = 0; i < n - keep; i++)
		out[i] = '*';
	memcpy(out + n - keep, s + strlen(s) - keep, keep);
	out[n] = '\0';
	return out;
}

const char *pf_kind_zh(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "talent") == 0)
		return "人才";
	if (strcmp(kind, "enterprise") == 0)
		return "企业";
	return kind;
}

enum tp_rc pf_fail(struct payfile_err *err, int64_t line_id, const char *code, const char *zh,
		   const char *en)
{
	if (err) {
		err->line_id = line_id;
		err->code = code;
		err->zh = zh;
		err->en = en;
	}
	return TP_ERR_INVALID;
}

static size_t slot_of(int64_t id, size_t mask)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 17) & mask;
}

enum tp_rc pf_idmap_build(struct pf_idmap *m, const struct pay_line_view *lines, size_t n,
			  int64_t *bad)
{
	size_t cap = 16, i;

	memset(m, 0, sizeof(*m));
	while (cap < n * 2)
		cap <<= 1;
	m->keys = calloc(cap, sizeof(*m->keys));
	m->vals = malloc(cap * sizeof(*m->vals));
	if (!m->keys || !m->vals) {
		pf_idmap_free(m);
		return TP_ERR_NOMEM;
	}
	m->mask = cap - 1;
	for (i = 0; i < n; i++) {
		int64_t id = lines[i].line_id;
		size_t s;

		if (id <= 0) {
			*bad = id;
			pf_idmap_free(m);
			return TP_ERR_INVALID;
		}
		for (s = slot_of(id, m->mask); m->keys[s] != 0; s = (s + 1) & m->mask) {
			if (m->keys[s] == id) {
				*bad = id;
				pf_idmap_free(m);
				return TP_ERR_INVALID;
			}
		}
		m->keys[s] = id;
		m->vals[s] = i;
	}
	return TP_OK;
}

size_t pf_idmap_find(const struct pf_idmap *m, int64_t id)
{
	size_t s;

	if (id <= 0 || !m->keys)
		return (size_t)-1;
	for (s = slot_of(id, m->mask); m->keys[s] != 0; s = (s + 1) & m->mask)
		if (m->keys[s] == id)
			return m->vals[s];
	return (size_t)-1;
}

void pf_idmap_free(struct pf_idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static int all_digits(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9' || i >= max)
			return 0;
	return i > 0;
}

static enum tp_rc check_bank_line(const struct pay_line_view *l, struct payfile_err *err)
{
	if (!l->account_number || !all_digits(l->account_number, 40))
		return pf_fail(err, l->line_id, "account_number",
			       "收款账号必须是 1–40 位数字",
			       "account_number must be 1-40 digits");
	if (!l->account_name || !*l->account_name)
		return pf_fail(err, l->line_id, "account_name", "收款户名不能为空",
			       "account_name is required");
	if (!l->bank || !*l->bank)
		return pf_fail(err, l->line_id, "bank", "开户银行不能为空", "bank is required");
	/* a quoted line break is valid CSV, but bank portals read one record per line */
	if (strpbrk(l->account_name, "\r\n") || strpbrk(l->bank, "\r\n") ||
	    (l->branch && strpbrk(l->branch, "\r\n")))
		return pf_fail(err, l->line_id, "bank_text",
			       "户名、开户银行、开户网点不能包含换行",
			       "account_name, bank and branch must not contain line breaks");
	if (l->amount_fen <= 0)
		return pf_fail(err, l->line_id, "amount",
			       "银行文件的金额必须大于 0（追回款应在批次前抵扣）",
			       "amount must be > 0 in a bank file (clawbacks are offset before the run)");
	return TP_OK;
}

enum tp_rc pf_check_lines(const struct pay_line_view *lines, size_t n, int bank,
			  int64_t *total, struct payfile_err *err)
{
	struct pf_idmap m;
	int64_t sum = 0, bad = 0;
	enum tp_rc rc;
	size_t i;

	if (n == 0 || !lines)
		return pf_fail(err, 0, "run_empty", "批次没有发放明细", "the run has no lines");
	if (n > PAYFILE_MAX_LINES) {
		pf_fail(err, 0, "run_too_large", "批次明细超过 10,000,000 行",
			"the run has more than 10,000,000 lines");
		return TP_ERR_TOO_LARGE;
	}
	rc = pf_idmap_build(&m, lines, n, &bad);
	if (rc == TP_ERR_INVALID)
		return pf_fail(err, bad, "line_id",
			       "明细编号必须大于 0 且在批次内唯一",
			       "line_id must be > 0 and unique within the run");
	if (rc != TP_OK)
		return rc;
	pf_idmap_free(&m);
	for (i = 0; i < n; i++) {
		if (bank && (rc = check_bank_line(&lines[i], err)) != TP_OK)
			return rc;
		if (lines[i].amount_fen > PAYFILE_MAX_AMOUNT_FEN ||
		    lines[i].amount_fen < -PAYFILE_MAX_AMOUNT_FEN)
			return pf_fail(err, lines[i].line_id, "amount",
				       "单笔金额的绝对值不能超过 1,000,000,000.00 元",
				       "an amount must be within ±1,000,000,000.00 yuan");
		if (__builtin_add_overflow(sum, lines[i].amount_fen, &sum)) {
			pf_fail(err, lines[i].line_id, "total_overflow", "合计金额超出范围",
				"the total does not fit in 64-bit fen");
			return TP_ERR_TOO_LARGE;
		}
	}
	*total = sum;
	return TP_OK;
}

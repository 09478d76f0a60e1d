/*
 * payment_csv.c — the bank file and the public-announcement list as CSV
 * (layouts in docs/payment-files.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/payment_files_int.h"

/* The purpose text (用途) is cut to this many characters: bank portals cap it. */
#define PURPOSE_MAX_CHARS 30

int payfile_csv_field(FILE *fp, const char *s, int guard)
{
	if (!s)
		s = "";
	guard = guard && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
			  *s == '\r');
	if (!strpbrk(s, ",\"\r\n")) {
		if (guard)
			putc('\'', fp);
		fputs(s, fp);
		return ferror(fp) ? -1 : 0;
	}
	putc('"', fp); /* the apostrophe goes inside: a quote must open the field */
	if (guard)
		putc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
	return ferror(fp) ? -1 : 0;
}

/*
 * Writes fields separated by commas, then CRLF.  Every field is formula-guarded except
 * the columns set in numbers (bit i: column i holds a number this file formatted, such
 * as "-0.50", which must stay a number).
 */
static void csv_row(FILE *fp, const char *const *f, size_t n, unsigned numbers)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			putc(',', fp);
		payfile_csv_field(fp, f[i], !(numbers >> i & 1u));
	}
	fputs("\r\n", fp);
}

/* "<title> <period>[ 第N期]", cut to PURPOSE_MAX_CHARS characters at a boundary. */
static const char *purpose(const struct pay_line_view *l, char *out, size_t outlen)
{
	const char *title = l->policy_title_zh && *l->policy_title_zh ? l->policy_title_zh
								       : (l->policy ? l->policy : "");
	size_t i = 0, chars = 0, n;

	if (l->instalment > 1)
		snprintf(out, outlen, "%s %s 第%d期", title, l->period_key ? l->period_key : "",
			 l->instalment);
	else
		snprintf(out, outlen, "%s %s", title, l->period_key ? l->period_key : "");
	n = strlen(out);
	while (i < n && chars < PURPOSE_MAX_CHARS) {
		unsigned char c = (unsigned char)out[i];
		i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		chars++;
	}
	if (i < n)
		out[i] = '\0';
	return out;
}

static void bom(FILE *fp, const struct payfile_csv_opts *o)
{
	if (!o || !o->no_bom)
		fputs("\xEF\xBB\xBF", fp);
}

static void bank_header(FILE *fp, const struct pay_run_view *run, int64_t count, int64_t total)
{
	char yuan[PAYFILE_YUAN_BUFSZ], num[2][32];

	snprintf(num[0], sizeof(num[0]), "%" PRId64, run->run_id);
	snprintf(num[1], sizeof(num[1]), "%" PRId64, count);
	const char *h[] = {"H",        num[0], run->period,         num[1],
			   payfile_yuan(total, yuan), run->payer_account, run->payer_name,
			   run->approved_by, run->approved_at};
	csv_row(fp, h, sizeof(h) / sizeof(h[0]), 1u << 4);
}

static void bank_details(FILE *fp, const struct pay_line_view *lines, size_t n)
{
	char yuan[PAYFILE_YUAN_BUFSZ], id[32], pur[256];

	for (size_t i = 0; i < n; i++) {
		const struct pay_line_view *l = &lines[i];
		const char *d[] = {"D",
				   id,
				   l->account_number,
				   l->account_name,
				   l->bank,
				   l->branch,
				   payfile_yuan(l->amount_fen, yuan),
				   purpose(l, pur, sizeof(pur))};

		snprintf(id, sizeof(id), "%" PRId64, l->line_id);
		csv_row(fp, d, sizeof(d) / sizeof(d[0]), 1u << 6);
	}
}

static void bank_trailer(FILE *fp, int64_t count, int64_t total)
{
	char yuan[PAYFILE_YUAN_BUFSZ], num[32];

	snprintf(num, sizeof(num), "%" PRId64, count);
	const char *t[] = {"T", num, payfile_yuan(total, yuan)};
	csv_row(fp, t, 3, 1u << 2);
}

enum tp_rc payfile_bank_csv(FILE *fp, const struct pay_run_view *run,
			    const struct pay_line_view *lines, size_t n,
			    const struct payfile_csv_opts *o, struct payfile_err *err)
{
	int64_t total;
	enum tp_rc rc;

	if (!run || run->run_id <= 0)
		return pf_fail(err, 0, "run_id", "批次号必须大于 0", "run_id must be > 0");
	rc = pf_check_lines(lines, n, 1, &total, err);
	if (rc != TP_OK)
		return rc;
	bom(fp, o);
	bank_header(fp, run, (int64_t)n, total);
	bank_details(fp, lines, n);
	bank_trailer(fp, (int64_t)n, total);
	return fflush(fp) != 0 || ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_bank_csv_begin(FILE *fp, struct payfile_bank_pages *pg,
				  const struct pay_run_view *run, int64_t count, int64_t total,
				  const struct payfile_csv_opts *o, struct payfile_err *err)
{
	memset(pg, 0, sizeof *pg);
	if (!run || run->run_id <= 0)
		return pf_fail(err, 0, "run_id", "批次号必须大于 0", "run_id must be > 0");
	if (count <= 0)
		return pf_fail(err, 0, "run_empty", "批次没有发放明细", "the run has no lines");
	if (count > PAYFILE_MAX_LINES) {
		pf_fail(err, 0, "run_too_large", "批次明细超过 10,000,000 行",
			"the run has more than 10,000,000 lines");
		return TP_ERR_TOO_LARGE;
	}
	pg->run_id = run->run_id;
	pg->count = count;
	pg->total = total;
	bom(fp, o);
	bank_header(fp, run, count, total);
	return ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_bank_csv_page(FILE *fp, struct payfile_bank_pages *pg,
				 const struct pay_line_view *lines, size_t n,
				 struct payfile_err *err)
{
	int64_t sum;
	enum tp_rc rc;

	if (n == 0)
		return TP_OK;
	if (lines[0].line_id <= pg->last_id)
		return pf_fail(err, lines[0].line_id, "line_id",
			       "明细编号必须大于 0 且在批次内唯一",
			       "line_id must be > 0 and unique within the run");
	rc = pf_check_lines(lines, n, 1, &sum, err);
	if (rc != TP_OK)
		return rc;
	if (__builtin_add_overflow(pg->sum, sum, &pg->sum)) {
		pf_fail(err, lines[n - 1].line_id, "total_overflow", "合计金额超出范围",
			"the total does not fit in 64-bit fen");
		return TP_ERR_TOO_LARGE;
	}
	pg->seen += (int64_t)n;
	pg->last_id = lines[n - 1].line_id;
	bank_details(fp, lines, n);
	return ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_bank_csv_end(FILE *fp, struct payfile_bank_pages *pg,
				struct payfile_err *err)
{
	if (pg->seen != pg->count || pg->sum != pg->total)
		return pf_fail(err, 0, "control_total",
			       "明细的笔数或合计与文件头不一致",
			       "the detail records do not add up to the header's count and total");
	bank_trailer(fp, pg->count, pg->total);
	return fflush(fp) != 0 || ferror(fp) ? TP_ERR_IO : TP_OK;
}

static const char *const NOTICE_HEAD[] = {"序号", "姓名", "证件号码", "镇街",
					  "政策",  "期间", "金额(元)"};

enum tp_rc payfile_notice_csv(FILE *fp, const struct pay_run_view *run,
			      const struct pay_line_view *lines, size_t n,
			      const struct payfile_csv_opts *o, struct payfile_err *err)
{
	char yuan[PAYFILE_YUAN_BUFSZ], seq[32], name[256], idm[64];
	int64_t total;
	enum tp_rc rc;
	size_t i;

	(void)run;
	rc = pf_check_lines(lines, n, 0, &total, err);
	if (rc != TP_OK)
		return rc;
	bom(fp, o);
	csv_row(fp, NOTICE_HEAD, 7, 0);
	for (i = 0; i < n; i++) {
		const struct pay_line_view *l = &lines[i];
		const char *f[] = {seq,
				   payfile_mask_name(l->name, name, sizeof(name)),
				   pf_mask_safe(l->id_mask, idm, sizeof(idm)),
				   l->town,
				   l->policy_title_zh && *l->policy_title_zh ? l->policy_title_zh
									      : l->policy,
				   l->period_key,
				   payfile_yuan(l->amount_fen, yuan)};

		snprintf(seq, sizeof(seq), "%zu", i + 1);
		csv_row(fp, f, 7, 1u << 6);
	}
	{
		const char *t[] = {"合计", seq, "", "", "", "", payfile_yuan(total, yuan)};

		snprintf(seq, sizeof(seq), "%zu笔", n);
		csv_row(fp, t, 7, 1u << 6);
	}
	return fflush(fp) != 0 || ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_notice_csv_begin(FILE *fp, struct payfile_notice_pages *pg,
				    const struct payfile_csv_opts *o)
{
	memset(pg, 0, sizeof *pg);
	bom(fp, o);
	csv_row(fp, NOTICE_HEAD, 7, 0);
	return ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_notice_csv_page(FILE *fp, struct payfile_notice_pages *pg,
				   const struct pay_line_view *lines, size_t n,
				   struct payfile_err *err)
{
	char yuan[PAYFILE_YUAN_BUFSZ], seq[32], name[256], idm[64];
	int64_t sum;
	enum tp_rc rc;

	if (n == 0)
		return TP_OK;
	rc = pf_check_lines(lines, n, 0, &sum, err);
	if (rc != TP_OK)
		return rc;
	if (__builtin_add_overflow(pg->sum, sum, &pg->sum)) {
		pf_fail(err, lines[n - 1].line_id, "total_overflow", "合计金额超出范围",
			"the total does not fit in 64-bit fen");
		return TP_ERR_TOO_LARGE;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pay_line_view *l = &lines[i];
		const char *f[] = {seq,
				   payfile_mask_name(l->name, name, sizeof(name)),
				   pf_mask_safe(l->id_mask, idm, sizeof(idm)),
				   l->town,
				   l->policy_title_zh && *l->policy_title_zh ? l->policy_title_zh
									      : l->policy,
				   l->period_key,
				   payfile_yuan(l->amount_fen, yuan)};

		snprintf(seq, sizeof(seq), "%" PRId64, ++pg->count);
		csv_row(fp, f, 7, 1u << 6);
	}
	return ferror(fp) ? TP_ERR_IO : TP_OK;
}

enum tp_rc payfile_notice_csv_end(FILE *fp, struct payfile_notice_pages *pg,
				  struct payfile_err *err)
{
	char yuan[PAYFILE_YUAN_BUFSZ], seq[32];

	if (pg->count == 0)
		return pf_fail(err, 0, "run_empty", "批次没有发放明细", "the run has no lines");
	snprintf(seq, sizeof(seq), "%" PRId64 "笔", pg->count);
	const char *t[] = {"合计", seq, "", "", "", "", payfile_yuan(pg->sum, yuan)};
	csv_row(fp, t, 7, 1u << 6);
	return fflush(fp) != 0 || ferror(fp) ? TP_ERR_IO : TP_OK;
}

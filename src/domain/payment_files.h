/*
 * payment_files.h — the files a finance office uses for a payment run (issue 6 item 7).
 *
 * Pure functions over arrays of lines: no store, no HTTP.  The caller (the payment-run
 * endpoints) reads the run and its lines, fills the views below and calls one of:
 *
 *   payfile_bank_csv      the bank file (代发文件) — CSV, the layout in docs/payment-files.md;
 *                         the only file that carries the plain account number
 *   payfile_list_xlsx     the payment list (发放清单) — XLSX, one sheet per policy + summary
 *   payfile_notice_csv    the public-announcement list (公示名单) — CSV
 *   payfile_notice_xlsx   the same as XLSX
 *   payfile_result_parse  the bank's result file → matched results + a report
 *
 * Amounts are integer fen in, 元 with exactly two decimals out (never floating point in
 * the text files; in XLSX a number is an IEEE double by definition, written as the
 * double nearest to fen/100, which is what Excel stores when a person types the amount).
 *
 * Every writer checks all lines before writing anything: on TP_ERR_INVALID nothing was
 * written and *err names the line and the rule (zh + en).  On TP_ERR_IO a CSV stream
 * may hold part of the file (the caller discards it); an XLSX file is removed.
 */
#ifndef TP_DOMAIN_PAYMENT_FILES_H
#define TP_DOMAIN_PAYMENT_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rc.h"

/* One payment line as the files need it.  Strings are UTF-8; NULL is written empty
 * unless a writer says a field is required. */
struct pay_line_view {
	int64_t line_id;          /* the bank reference: unique within the run, > 0 */
	int64_t entitlement_id;
	const char *policy, *policy_title_zh;  /* policy code, its Chinese title */
	const char *beneficiary_kind;          /* "talent" | "enterprise" */
	int64_t beneficiary_id;
	const char *name;                      /* full name (masked only in the notice) */
	const char *id_mask;                   /* the masked ID number ("350582********1231") */
	const char *town;
	const char *industry_chain;
	const char *period_key;                /* "2026-10", "2026" */
	int instalment;
	const char *bank, *branch, *account_name,
		*account_number /* plain: only the bank file carries it */, *account_mask;
	int64_t amount_fen;                    /* negative for a clawback (lists only) */
	int64_t offset_fen;                    /* of the line's amount, held back for the
						  beneficiary's clawbacks (docs/payments.md) */
};

/* The run the lines belong to (header of the bank file, title of the lists). */
struct pay_run_view {
	int64_t run_id;
	const char *period;
	const char *approved_by, *approved_at;
	const char *payer_account, *payer_name;
};

/* One line's result from the bank.  Shared with the payments module: whichever
 * header comes first defines it. */
#ifndef TP_PAY_RESULT_DEFINED
#define TP_PAY_RESULT_DEFINED
struct pay_result {
	int64_t line_id;
	int paid;               /* 1 paid (成功/S), 0 failed (失败/F) */
	const char *reason;     /* the bank's reason text ("" when none) */
	const char *bank_ref;   /* the bank's own reference ("" when none) */
};
#endif

/* Why a writer refused its input: the first offending line (0: the run itself), a
 * stable machine code and a zh-CN / English message (static strings). */
struct payfile_err {
	int64_t line_id;
	const char *code, *zh, *en;
};

/* Options of the CSV writers. */
struct payfile_csv_opts {
	int no_bom;   /* 1: no UTF-8 byte-order mark (for a bank that refuses one) */
};

/* The most lines one file may hold (the bank file and the lists). */
#define PAYFILE_MAX_LINES 10000000
/* The largest amount of one line, either sign (10 亿元): sums of any subset of
 * PAYFILE_MAX_LINES lines then fit in int64 fen. */
#define PAYFILE_MAX_AMOUNT_FEN INT64_C(100000000000)

/*
 * Writes fen as 元 with exactly two decimals and no grouping ("0.00", "0.01",
 * "123456789.01", "-0.50") into out (at least PAYFILE_YUAN_BUFSZ bytes).  Integer
 * arithmetic only; INT64_MIN works.  Returns out.
 */
#define PAYFILE_YUAN_BUFSZ 32
const char *payfile_yuan(int64_t fen, char out[PAYFILE_YUAN_BUFSZ]);

/*
 * Writes one CSV field to fp as RFC 4180 wants it: quoted (quotes doubled) when it
 * holds a comma, quote, CR or LF; when guard is 1 and s starts with = + - @ (or a tab
 * or CR), a leading apostrophe keeps spreadsheets from running it as a formula.
 * s NULL is an empty field.  Returns 0, or -1 on a write error.
 */
int payfile_csv_field(FILE *fp, const char *s, int guard);

/*
 * Masks a name for publication: the first character kept, each other character '*'
 * ("张三" → "张*", "欧阳娜娜" → "欧***", "Li" → "L*").  Invalid UTF-8 bytes count as
 * one character each.  Writes into out (outlen bytes, always NUL-terminated; the
 * result is cut at a character boundary if it does not fit) and returns out.
 */
const char *payfile_mask_name(const char *name, char *out, size_t outlen);

/*
 * The bank file of a run: header record, one detail record per line (the line id as
 * the bank reference), trailer record with count and control total; UTF-8 (with a BOM
 * unless o->no_bom), CRLF.  Every line needs account_number, account_name, bank and
 * an amount > 0 (a bank pays no negative amounts: clawbacks are offset before the run);
 * line ids unique and > 0; at most PAYFILE_MAX_LINES.  o may be NULL.
 * Returns TP_OK; TP_ERR_INVALID with *err set (nothing written); TP_ERR_TOO_LARGE
 * (too many lines, or the total does not fit in int64 fen); TP_ERR_NOMEM; TP_ERR_IO.
 */
enum tp_rc payfile_bank_csv(FILE *fp, const struct pay_run_view *run,
			    const struct pay_line_view *lines, size_t n,
			    const struct payfile_csv_opts *o, struct payfile_err *err);

/*
 * The same file written page by page, for runs too large to hold as views (the caller
 * reads the run's lines from the store in pages): _begin writes the header record with
 * the control count and total the caller worked out beforehand (count 0: run_empty,
 * TP_ERR_INVALID, nothing written); _page checks and writes the detail records of one
 * page (the checks of payfile_bank_csv; ids must keep increasing from page to page, which
 * the store's paging by id gives); _end writes the trailer.  TP_ERR_INVALID from _end when
 * the pages did not add up to the count and total of the header (*err names it).  A
 * check failing midway has written part of the file: the caller discards it.
 */
struct payfile_bank_pages {
	int64_t run_id, count, total, seen, sum, last_id;
};
enum tp_rc payfile_bank_csv_begin(FILE *fp, struct payfile_bank_pages *pg,
				  const struct pay_run_view *run, int64_t count, int64_t total,
				  const struct payfile_csv_opts *o, struct payfile_err *err);
enum tp_rc payfile_bank_csv_page(FILE *fp, struct payfile_bank_pages *pg,
				 const struct pay_line_view *lines, size_t n,
				 struct payfile_err *err);
enum tp_rc payfile_bank_csv_end(FILE *fp, struct payfile_bank_pages *pg,
				struct payfile_err *err);

/* The announcement list (payfile_notice_csv) page by page: _begin writes the BOM and the
 * header row; _page the rows of one page (numbered on from the pages before); _end the
 * total row — run_empty (TP_ERR_INVALID) when no page had a line.  Same checks. */
struct payfile_notice_pages {
	int64_t count, sum;
};
enum tp_rc payfile_notice_csv_begin(FILE *fp, struct payfile_notice_pages *pg,
				    const struct payfile_csv_opts *o);
enum tp_rc payfile_notice_csv_page(FILE *fp, struct payfile_notice_pages *pg,
				   const struct pay_line_view *lines, size_t n,
				   struct payfile_err *err);
enum tp_rc payfile_notice_csv_end(FILE *fp, struct payfile_notice_pages *pg,
				  struct payfile_err *err);

/* Options of the payment list. */
struct payfile_xlsx_opts {
	size_t rows_per_sheet;  /* lines per sheet before a policy continues; 0: 1,000,000 */
	int threads;            /* 2 or more: the sheets are deflated on a second thread
				   while the cells are formatted (xw_set_threads); 0, 1: one
				   thread.  The file is the same either way */
};

/*
 * The payment list as XLSX at path (created or truncated): a summary sheet first
 * (per policy: sheet name, title, count, total; the grand total), then one sheet per
 * policy (in order of first appearance; lines keep their order within it) with a
 * header row (frozen), masked ID numbers and account numbers as text, amounts as
 * numbers in 元 (format ¥#,##0.00) and a total row =SUM(...) whose cached value is
 * computed from the fen.  A policy with more than o->rows_per_sheet lines continues
 * on "<name>(2)", ... (Excel's limit is 1,048,576 rows).  o may be NULL (defaults).
 * Written by io/xlsx_stream.h: memory is O(lines) for the grouping index only (about
 * 24 bytes a line), plus one unlinked temporary file in $TMPDIR holding the sheet XML
 * (~630 bytes a line) deflated at level 1 (~85 bytes a line).  Returns TP_OK;
 * TP_ERR_INVALID with *err; TP_ERR_TOO_LARGE (a policy past 64 sheets); TP_ERR_NOMEM;
 * TP_ERR_IO.  On any error the file at path is removed.
 */
enum tp_rc payfile_list_xlsx(const char *path, const struct pay_run_view *run,
			     const struct pay_line_view *lines, size_t n,
			     const struct payfile_xlsx_opts *o, struct payfile_err *err);

/*
 * The public-announcement list (公示名单): 序号, masked name, masked ID number, town,
 * policy title, period, amount (元) — nothing else (no bank data).  CSV: UTF-8 with
 * a BOM unless o->no_bom, CRLF, formula-guarded, and a last row "合计" with count and
 * total.  XLSX: one sheet "公示名单", text cells, amounts as numbers, a =SUM total.
 * Same returns as the writers above.
 */
enum tp_rc payfile_notice_csv(FILE *fp, const struct pay_run_view *run,
			      const struct pay_line_view *lines, size_t n,
			      const struct payfile_csv_opts *o, struct payfile_err *err);
enum tp_rc payfile_notice_xlsx(const char *path, const struct pay_run_view *run,
			       const struct pay_line_view *lines, size_t n,
			       struct payfile_err *err);

/* ---- the bank's result file ---- */

enum pay_issue_kind {
	PAY_ISSUE_MALFORMED = 1,  /* blocks: the row cannot be read (bad id, status, amount …) */
	PAY_ISSUE_UNMATCHED,      /* reported: the line id is not in this run; row skipped */
	PAY_ISSUE_DUPLICATE,      /* reported: the same line again, same status and amount;
				     skipped.  A duplicate that disagrees is a CONFLICT */
	PAY_ISSUE_CONFLICT,       /* blocks: a line repeated with another status or amount */
	PAY_ISSUE_AMOUNT,         /* blocks: the bank's amount is not the line's amount */
	PAY_ISSUE_MISSING,        /* reported: a run line with no result row (row 0) */
};

struct pay_result_issue {
	enum pay_issue_kind kind;
	size_t row;               /* 1-based row of the file; 0 for MISSING */
	int64_t line_id;          /* 0 when the row's id could not be read */
	const char *code;         /* stable machine code, e.g. "result_status" */
	char zh[160], en[160];    /* the reason, naming the row and the rule */
};

/* At most this many issues are kept (the counts below are always complete). */
#define PAY_RESULT_MAX_ISSUES 1000
/* Caps of one result row's text fields (bytes). */
#define PAY_RESULT_MAX_REASON 500
#define PAY_RESULT_MAX_REF 64

struct pay_result_report {
	/* the results to apply, one per matched line, in file order; owned by the report */
	struct pay_result *results;
	size_t nresults;
	/* counts */
	size_t rows;              /* data rows read (the caption row not counted) */
	size_t matched, paid, failed;
	int64_t paid_fen, failed_fen;
	size_t malformed, unmatched, duplicates, conflicts, amount_mismatches, missing;
	/* 1 when the results may be applied: no MALFORMED, CONFLICT or AMOUNT issue */
	int applicable;
	struct pay_result_issue *issues;
	size_t nissues;
	int issues_truncated;     /* 1 when more than PAY_RESULT_MAX_ISSUES were found */
};

/*
 * Parses the bank's result file (len bytes at buf: CSV, UTF-8 with or without a BOM;
 * an XLSX with the same columns is read too) against the run's lines: columns line id,
 * status (成功/失败, S/F, case-insensitive), amount (元), reason, bank reference; a
 * first row whose line-id cell is not a number is a caption and skipped; columns past
 * the fifth are ignored.  On TP_OK *out holds the report (free with
 * payfile_result_free) — check (*out)->applicable before applying (*out)->results.
 * On a file that cannot be read at all (wrong encoding such as GBK, binary, a cell or
 * the file past the caps of io/table.h) returns TP_ERR_INVALID / TP_ERR_TOO_LARGE /
 * TP_ERR_UNSUPPORTED with *out NULL and a zh + en reason in msg (if msglen > 0);
 * TP_ERR_NOMEM.  Duplicate line ids in lines are TP_ERR_INVALID.
 */
enum tp_rc payfile_result_parse(const void *buf, size_t len, const struct pay_line_view *lines,
				size_t n, struct pay_result_report **out, char *msg,
				size_t msglen);

/* Frees a report and everything in it; NULL is a no-op. */
void payfile_result_free(struct pay_result_report *rep);

#endif

/*
 * bank_import.h — verified bank accounts in bulk (`talentport bank-accounts import`,
 * docs/payments-accounts.md "Bulk import"): a spreadsheet from the office or a bank's
 * roster, one account a row.
 *
 * Row 1 names the columns (Chinese or English, any order):
 *   身份证号 / id_number          the talent's ID number   } exactly one of the two
 *   统一社会信用代码 / credit_code  the enterprise's code    } per row
 *   开户银行 / bank, 开户网点 / branch, 户名 / account_name, 账号 / account_number,
 *   and optionally 原因 / reason.
 * Each row passes the checks of bank_account_validate() — the API's: the number's shape and
 * Luhn check for a talent's card, the account name equal to the registered name — and a
 * beneficiary named twice in the file is an error on the later row.  A row whose account
 * equals the beneficiary's current one (bank, branch, name, number) is left alone
 * ("unchanged": re-importing a file changes nothing and puts no payment on hold).
 *
 * Every good row is written in ONE transaction (prepared statements, one commit): the
 * account replaced and inserted as bank_account_put() does, each audited
 * ("bank_account.add" / ".change", the number never in the audit) with one
 * "bank_account.import" record for the file.  With all_or_nothing a single bad row keeps
 * everything out; without, the bad rows are reported and the rest go in.  A change of an
 * existing account holds the beneficiary's next payment as any change does.
 */
#ifndef TP_DOMAIN_BANK_IMPORT_H
#define TP_DOMAIN_BANK_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

struct store;
struct arena;
struct actor;
struct table_reader;

/* Errors kept in memory (all are counted). */
#define BANK_IMPORT_MAX_ERRORS 10000

struct bank_import_error {
	size_t row;        /* as a person counts it: the header is row 1 */
	const char *field; /* "account_number", "id_number", "file" … */
	const char *code, *zh, *en;
};

struct bank_import_result {
	size_t rows, added, changed, unchanged, failed;
	struct bank_import_error *errors; /* the first BANK_IMPORT_MAX_ERRORS */
	size_t nerrors, errors_total;
	int committed; /* 1: the good rows are in the database */
	int file_error; /* 1: the file was refused as a whole (header, unreadable) */
	struct arena *arena; /* owns errors: bank_import_release */
};

struct bank_import_opts {
	int all_or_nothing;
	const char *filename;    /* for the audit record (may be NULL) */
	const struct actor *who; /* the importer; NULL: actor_system() (the command line) */
	int64_t now;             /* unix seconds of the accounts (0: tp_now()) */
};

/* Imports the rows of r (see above).  TP_OK with res filled (committed says whether
 * anything was written); another code when the database failed (nothing written). */
enum tp_rc bank_accounts_import(struct store *st, struct table_reader *r,
				const struct bank_import_opts *o, struct bank_import_result *res);

void bank_import_release(struct bank_import_result *res);

#endif

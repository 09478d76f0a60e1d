/*
 * fuzz_payment_result.c — libFuzzer harness for the bank-result import
 * (payfile_result_parse) against a fixed run of four lines.
 * Build: clang -std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined
 *        tests/fuzz/fuzz_payment_result.c src/domain/payment_files.c src/domain/payment_result.c
 *        src/io/table.c src/io/csv_read.c src/io/xlsx_read.c src/core/money.c src/core/rc.c
 *        -lzip -lexpat
 * Run:   ./fuzz_payment_result tests/fuzz/corpus/payment_result
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/payment_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pay_line_view lines[4] = {
		{.line_id = 101, .amount_fen = 150000}, {.line_id = 102, .amount_fen = 1},
		{.line_id = 103, .amount_fen = 99},     {.line_id = 104, .amount_fen = 5000}};
	struct pay_result_report *rep = NULL;
	char msg[512];
	size_t i, j;

	if (payfile_result_parse(data, size, lines, 4, &rep, msg, sizeof(msg)) != TP_OK) {
		if (rep != NULL || memchr(msg, '\0', sizeof(msg)) == NULL || msg[0] == '\0')
			__builtin_trap();
		return 0;
	}
	/* the report's own arithmetic; a line whose first row had the wrong amount is
	 * neither matched nor missing */
	if (rep->matched != rep->nresults || rep->paid + rep->failed != rep->matched ||
	    rep->matched + rep->missing + rep->amount_mismatches != 4 ||
	    rep->nissues > PAY_RESULT_MAX_ISSUES ||
	    rep->applicable != (rep->malformed + rep->conflicts + rep->amount_mismatches == 0))
		__builtin_trap();
	for (i = 0; i < rep->nresults; i++) {
		int found = 0;

		for (j = 0; j < 4; j++)
			found |= rep->results[i].line_id == lines[j].line_id;
		for (j = 0; j < i; j++)
			if (rep->results[j].line_id == rep->results[i].line_id)
				__builtin_trap(); /* a line applied twice */
		if (!found || !rep->results[i].reason || !rep->results[i].bank_ref)
			__builtin_trap();
	}
	for (i = 0; i < rep->nissues; i++)
		if (!rep->issues[i].code || !memchr(rep->issues[i].zh, '\0', sizeof(rep->issues[i].zh)))
			__builtin_trap();
	payfile_result_free(rep);
	return 0;
}

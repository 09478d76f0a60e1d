/*
 * fuzz_table.c — libFuzzer harness for the table reader (CSV and XLSX uploads).
 * Build: clang -std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined
 *        tests/fuzz/fuzz_table.c src/io/table.c src/io/csv_read.c src/io/xlsx_read.c
 *        src/core/rc.c -lzip -lexpat
 * Run:   ./fuzz_table tests/fuzz/corpus/table
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_reader *r = NULL;
	const char *const *cells;
	size_t ncells, i, total = 0;
	char err[128];
	int got;

	if (table_open_mem(data, size, TABLE_AUTO, &r, err, sizeof(err)) != TP_OK) {
		if (r != NULL || memchr(err, '\0', sizeof(err)) == NULL)
			__builtin_trap();
		return 0;
	}
	while ((got = table_next(r, &cells, &ncells)) == 1) {
		if (ncells == 0 || ncells > TABLE_MAX_COLS)
			__builtin_trap();
		for (i = 0; i < ncells; i++) {
			total += strlen(cells[i]);
			total += (size_t)table_cell_is_date(r, i);
		}
		if (table_row_number(r) == 0)
			__builtin_trap();
	}
	if (got < 0 && table_error(r)[0] == '\0')
		__builtin_trap();
	(void)total;
	table_close(r);
	return 0;
}

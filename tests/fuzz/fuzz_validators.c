/*
 * fuzz_validators.c — libFuzzer harness for the input validators: ID numbers, credit
 * codes, loose dates, money, phones, JSON depth and UTF-8 checks.  Each must return an
 * answer for any bytes, never crash, and a normalized value must validate again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/jsonx.h"
#include "core/money.h"
#include "core/uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	char out[19], again[19];
	if (idcard_normalize(s, out) == IDCARD_OK) {
		if (idcard_normalize(out, again) != IDCARD_OK || strcmp(out, again) != 0)
			abort();
		char masked[19];
		idcard_mask(out, masked);
	}
	if (uscc_normalize(s, out) == USCC_OK) {
		if (uscc_normalize(out, again) != USCC_OK || strcmp(out, again) != 0)
			abort();
	}
	struct civil_date d;
	if (date_parse_loose(s, &d) == 0 && !date_valid(d.y, d.m, d.d))
		abort();
	int64_t fen;
	if (money_parse_yuan(s, &fen) == 0) {
		char buf[64];
		money_format_yuan(fen, buf, sizeof buf);
	}
	char ph[64];
	phone_valid(s);
	phone_mask(s, ph, sizeof ph);
	jsonx_depth_ok(s, size, 32);
	if (jsonx_utf8_ok(s, size))
		(void)jsonx_utf8_len(s);
	free(s);
	return 0;
}

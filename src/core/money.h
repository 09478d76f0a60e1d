/*
 * money.h — amounts of money as int64_t fen (分; 100 fen = 1 yuan).
 *
 * Money is never a floating-point number in TalentPort. Every function is
 * pure and thread-safe.
 */
#ifndef TP_MONEY_H
#define TP_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* A buffer this large always holds money_format_yuan()'s output. */
#define MONEY_YUAN_BUFSZ 32

/*
 * Parses a yuan amount into *fen: an optional sign ('-' or '+'), an optional
 * "¥" or "￥" (before or after the sign), digits with optional thousands
 * commas (then every group must be 3 digits: "12,345"), and an optional '.'
 * with 1 or 2 decimals. ASCII whitespace around the text is ignored.
 * Examples: "12345", "12345.6", "12,345.67", "-3.5", "¥12.00".
 * Returns 0 on success; -1 for NULL, junk, more than 2 decimals, a bare "."
 * or a value outside int64_t fen (*fen is then left unchanged).
 */
int money_parse_yuan(const char *s, int64_t *fen);

/*
 * Writes fen as yuan with exactly 2 decimals and no grouping into out
 * ("12345.67", "-0.05", "0.00"), truncated to outlen - 1 bytes and always
 * NUL-terminated when outlen > 0. MONEY_YUAN_BUFSZ bytes always suffice.
 */
void money_format_yuan(int64_t fen, char *out, size_t outlen);

#endif

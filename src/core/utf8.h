/*
 * utf8.h — the one UTF-8 decoder: the length of a well-formed sequence.
 */
#ifndef TP_UTF8_H
#define TP_UTF8_H

#include <stddef.h>

/*
 * Returns the length (1..4) of the well-formed UTF-8 sequence at s, given that
 * avail bytes are readable there, or 0 when it is not well formed (bad lead byte,
 * truncated, overlong, a surrogate, or past U+10FFFF).
 */
static inline size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	if (avail == 0)
		return 0;
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

#endif

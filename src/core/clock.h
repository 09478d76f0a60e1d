/*
 * clock.h — the wall clock, injectable for tests.
 *
 * tp_now() is time(NULL) unless $TALENTPORT_TEST_CLOCK names a file: then it is
 * the integer in that file (re-read on every call), so API tests can move time
 * forward (idle and absolute session expiry, lockout) without sleeping.  The
 * variable is read once, at the first call.
 */
#ifndef TP_CORE_CLOCK_H
#define TP_CORE_CLOCK_H

#include <stdint.h>

int64_t tp_now(void);

#endif

/*
 * rc.h — the one result type of TalentPort.
 *
 * Every fallible function returns enum tp_rc; TP_OK (zero) is success.
 * Codes are never renumbered: add new ones at the end.
 */
#ifndef TP_RC_H
#define TP_RC_H

enum tp_rc {
	TP_OK = 0,
	TP_ERR_NOMEM = 1,       /* allocation failed */
	TP_ERR_INVALID = 2,     /* the input broke a rule */
	TP_ERR_NOT_FOUND = 3,   /* no such object (or not visible to the caller) */
	TP_ERR_CONFLICT = 4,    /* unique key taken, stale version, wrong state */
	TP_ERR_IO = 5,          /* file or socket I/O failed */
	TP_ERR_DB = 6,          /* the store failed */
	TP_ERR_TOO_LARGE = 7,   /* a cap was exceeded */
	TP_ERR_UNSUPPORTED = 8, /* a format or feature we do not handle */
	TP_ERR_INTERNAL = 9,    /* a bug: an invariant did not hold */
	TP_ERR_BUSY = 10,       /* try again later */
	TP_ERR_USAGE = 11,      /* bad command-line usage */
};

/* Returns a stable lower-case name of rc ("ok", "nomem", ...); never NULL. */
const char *tp_rc_str(enum tp_rc rc);

#endif

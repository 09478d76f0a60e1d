/*
 * audit_int.h — internals shared by audit.c and audit_archive.c, and the test hook.
 * Not for use outside src/domain/ (and tests/unit/test_audit.c).
 */
#ifndef TP_DOMAIN_AUDIT_INT_H
#define TP_DOMAIN_AUDIT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/audit.h"

/*
 * audit_append with the timestamp given instead of read from the clock ("YYYY-MM-DDTHH:
 * MM:SS.mmmZ").  For tests, which need records old enough to archive: production code
 * calls audit_append, whose records cannot be backdated.
 */
enum tp_rc audit_append_at(struct store *st, const struct actor *who, const char *at,
			   const char *action, const char *object_type, const char *object_id,
			   const char *result, const char *reason, const void *change,
			   size_t change_len);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void audit_now(char out[25]);

/*
 * Walks a chain record by record.  Start it from what precedes the first record (the
 * last archive's last id and hash, else 0 and 64 zeros); each step recomputes the
 * record's hash and checks its link and id.  After a failure bad_id and the reason stay.
 */
struct audit_chain {
	char prev[65];   /* the hash the next record must name as prev_hash */
	int64_t last_id; /* the next record's id must be greater */
	int64_t checked; /* records that passed */
	int64_t bad_id;  /* 0 until a record fails */
	int why;         /* AUDIT_BAD_* */
};

enum { AUDIT_BAD_NONE = 0, AUDIT_BAD_HASH, AUDIT_BAD_LINK, AUDIT_BAD_ID, AUDIT_BAD_FORMAT };

void audit_chain_start(struct audit_chain *c, int64_t last_id, const char *last_hash);

/* Checks r against the chain: 0 when it holds (r becomes the chain's end), else -1. */
int audit_chain_step(struct audit_chain *c, const struct audit_record *r);

/* The failure as one line in Chinese and English: "记录 7：… / record 7: hash mismatch …". */
void audit_chain_why(const struct audit_chain *c, char *why, size_t whylen);

#endif

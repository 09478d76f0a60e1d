/*
 * password.h — password hashing (argon2id, libsodium) and the password policy.
 *
 * Hashes are PHC strings ($argon2id$v=19$m=19456,t=2,p=1$salt$hash) so parameters
 * can be raised later: password_needs_rehash() says when a stored one is weaker
 * than today's and the login path rehashes it.  Hashing is slow and memory-hungry
 * on purpose; at most PASSWORD_CONCURRENCY hashes run at once (the rest wait), so
 * a burst of logins cannot exhaust memory.
 */
#ifndef TP_CORE_PASSWORD_H
#define TP_CORE_PASSWORD_H

#include <stddef.h>

#include "core/rc.h"

struct verrors;

#define PASSWORD_PHC_MAX 128     /* crypto_pwhash_STRBYTES */
#define PASSWORD_MAX_LEN 128     /* bytes (ASVS 2.1.2) */
#define PASSWORD_OPSLIMIT 2      /* t */
#define PASSWORD_MEMLIMIT (19u * 1024 * 1024) /* m = 19 MiB */
#define PASSWORD_CONCURRENCY 4

/* Hashes pw into out (PHC string).  TP_ERR_NOMEM when memory for argon2 is short. */
enum tp_rc password_hash(const char *pw, char out[PASSWORD_PHC_MAX]);

/* 0 when pw matches phc; -1 when not (or phc is not a valid hash). */
int password_verify(const char *phc, const char *pw);

/* Spends the same time as a failed password_verify: used for unknown users. */
void password_verify_dummy(const char *pw);

/* 1 when phc was made with weaker parameters than today's. */
int password_needs_rehash(const char *phc);

/*
 * For tests and benchmarks: sets the cost process-wide (never used by serve); values under
 * libsodium's minimum are raised to it.  password_needs_rehash() compares with these
 * parameters, so hashes made after lowering them count as current; a hash stronger than
 * them is never reported.  Restore with (PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT).
 */
void password_set_test_params(unsigned long long opslimit, size_t memlimit);

enum password_policy_kind {
	PASSWORD_POLICY_DENGBAO3 = 0, /* 等保三级: ≥ 8 chars, 3 of 4 classes, staff expire in 90 days */
	PASSWORD_POLICY_ASVS = 1,     /* OWASP ASVS L2: ≥ 12 chars, no composition rule, no rotation */
};

struct password_policy {
	enum password_policy_kind kind;
	int min_len;          /* characters (UTF-8 code points) */
	int min_classes;      /* of lower, upper, digit, other */
	int staff_max_age_days; /* 0 = never expires */
	int force_first_change; /* an account made by someone else must change it at first login */
};

/* The preset for kind. */
struct password_policy password_policy_preset(enum password_policy_kind kind);

/* Parses "dengbao3" / "asvs"; -1 when unknown. */
int password_policy_parse(const char *name, enum password_policy_kind *out);

/*
 * Checks pw against the policy; adds errors for `field` to ve (zh + en, codes
 * password_too_short, password_too_long, password_classes, password_contains_username,
 * password_common).  Returns 0 when it passes.
 */
int password_policy_check(const struct password_policy *p, const char *pw, const char *username,
			  const char *field, struct verrors *ve);

#endif

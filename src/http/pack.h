/*
 * pack.h — the policy pack the server answers with: loaded once before the server
 * starts, read-only afterwards, shared by every worker thread (policy.h: a loaded
 * pack may be shared by threads).
 */
#ifndef TP_HTTP_PACK_H
#define TP_HTTP_PACK_H

#include <stdio.h>

struct pol_pack;

/*
 * Loads the pack in dir and makes it the server's.  On failure writes every error of
 * the pack (or why dir could not be read) to err and returns -1; the previous pack, if
 * any, stays.  Call before the server starts, never while it serves.
 */
int http_policy_pack_load(const char *dir, FILE *err);

/* The server's pack, or NULL when none was loaded (handlers answer 503). */
const struct pol_pack *http_policy_pack(void);
/* The folder the pack was loaded from (NULL when none): a recalculation reads it again. */
const char *http_policy_pack_dir(void);

/* Frees the server's pack (after the server stopped). */
void http_policy_pack_free(void);

#endif

/*
 * counts.c — a process-wide cache of list totals (SELECT count(*) … WHERE filters).
 *
 * A filtered list needs its total for pagination, and counting 50,000 index entries
 * costs milliseconds on every page turn.  Totals are cached by (SQL, parameters)
 * and stamped with a generation; any committed write anywhere makes the
 * generation move on, so a stale total is never served:
 *   - this process's writes bump it on insert/update and again on commit;
 *   - other connections' commits (other threads, other processes such as a
 *     `talentport import` while the server runs) are seen through
 *     PRAGMA data_version, checked before every lookup.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "store/sqlite/internal.h"

#define SLOTS 512

struct slot {
	char *key;
	uint64_t gen;
	int64_t total;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[SLOTS];
static atomic_uint_fast64_t generation = 1;

void sq_counts_bump(void)
{
	atomic_fetch_add(&generation, 1);
}

uint64_t sq_counts_generation(struct sq_store *s)
{
	sqlite3_stmt *q = sq_prepare(s, "PRAGMA data_version");
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(q, 0);
		if (v != s->data_version) {
			s->data_version = v;
			sq_counts_bump();
		}
	}
	if (q)
		sqlite3_reset(q);
	return atomic_load(&generation);
}

static size_t slot_of(const char *key)
{
	return (size_t)(hash_str(key) % SLOTS);
}

int sq_counts_get(const char *key, uint64_t gen, int64_t *total)
{
	size_t i = slot_of(key);
	int hit = 0;
	pthread_mutex_lock(&lock);
	if (slots[i].key && slots[i].gen == gen && strcmp(slots[i].key, key) == 0) {
		*total = slots[i].total;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void sq_counts_put(const char *key, uint64_t gen, int64_t total)
{
	size_t i = slot_of(key);
	char *copy = strdup(key);
	if (!copy)
		return;
	pthread_mutex_lock(&lock);
	char *old = slots[i].key;
	slots[i].key = copy;
	slots[i].gen = gen;
	slots[i].total = total;
	pthread_mutex_unlock(&lock);
	free(old);
}

uint64_t sq_generation(struct store *st)
{
	return sq_counts_generation(sq(st));
}

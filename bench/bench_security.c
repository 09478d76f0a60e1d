/*
 * bench_security — what security costs, measured in-process (not a test):
 *   1. argon2id password verifies per second at the production parameters
 *      (m = 19 MiB, t = 2), with 1, 2 and 4 threads (PASSWORD_CONCURRENCY caps them);
 *   2. the cost the audit record adds to a talent PATCH: talent_save (update + audit
 *      record, one transaction) against the same update through the store alone.
 * usage: bench_security [ROUNDS]   (prints RESULT lines; docs/performance.md has them)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/password.h"
#include "domain/demo.h"
#include "domain/talents.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char phc[PASSWORD_PHC_MAX];
static int per_thread;

static void *verify_loop(void *arg)
{
	(void)arg;
	for (int i = 0; i < per_thread; i++)
		if (password_verify(phc, "Correct-horse-42") != 0)
			abort();
	return NULL;
}

static void bench_argon(int total)
{
	if (password_hash("Correct-horse-42", phc) != TP_OK)
		abort();
	printf("phc prefix: %.32s\n", phc);
	for (int threads = 1; threads <= 4; threads *= 2) {
		pthread_t th[4];
		per_thread = total / threads;
		double t0 = now_s();
		for (int i = 0; i < threads; i++)
			pthread_create(&th[i], NULL, verify_loop, NULL);
		for (int i = 0; i < threads; i++)
			pthread_join(th[i], NULL);
		double dt = now_s() - t0;
		printf("RESULT argon2id_verify threads=%d verifies=%d per_s=%.1f ms_each=%.1f\n",
		       threads, per_thread * threads, per_thread * threads / dt,
		       dt * 1000 / (per_thread * threads) * threads);
	}
}

static void bench_audit(int rounds)
{
	char path[] = "/tmp/tp-bench-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	unlink(path);
	struct store *st;
	char err[256];
	int applied, version;
	if (store_open(path, STORE_CREATE, &st, err, sizeof err) != TP_OK ||
	    store_migrate(st, &applied, &version) != TP_OK)
		abort();
	struct demo_opts o = {.seed = 1, .talents = 2000, .enterprises = 50, .year = 2026};
	if (demo_generate(st, &o, NULL, NULL) != TP_OK)
		abort();
	struct arena *a = arena_new();
	struct actor sys = actor_system();
	for (int pass = 0; pass < 2; pass++) {
		double best[2] = {1e9, 1e9};
		for (int rep = 0; rep < 3; rep++) {
			for (int mode = 0; mode < 2; mode++) {
				double t0 = now_s();
				for (int i = 0; i < rounds; i++) {
					struct talent t;
					int64_t id = 1 + (i * 7919) % 2000;
					if (STORE_CALL(talent_get, st, id, a, &t) != TP_OK)
						abort();
					t.email = (i & 1) ? "a@example.com" : "b@example.com";
					if (mode == 0) { /* the domain path: update + audit record */
						struct verrors ve;
						verr_init(&ve, a);
						if (talent_save(st, &sys, &t, &ve) != TP_OK)
							abort();
					} else { /* the store alone, same transaction shape */
						if (store_begin(st) != TP_OK)
							abort();
						if (store_end(st, STORE_CALL(talent_update, st, &t)) !=
						    TP_OK)
							abort();
					}
				}
				double us = (now_s() - t0) * 1e6 / rounds;
				if (us < best[mode])
					best[mode] = us;
			}
		}
		if (pass == 1)
			printf("RESULT patch_audit rounds=%d with_audit_us=%.1f without_us=%.1f "
			       "added_us=%.1f ratio=%.2f\n",
			       rounds, best[0], best[1], best[0] - best[1], best[0] / best[1]);
	}
	arena_free(a);
	store_close(st);
	char p[64];
	const char *sfx[] = {"", "-wal", "-shm", ".key"};
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 2000;
	if (rounds < 10)
		rounds = 10;
	printf("bench_security: %ld cores\n", sysconf(_SC_NPROCESSORS_ONLN));
	bench_argon(40);
	bench_audit(rounds);
	return 0;
}
